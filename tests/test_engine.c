/*
 * End-to-end tests of the engine through the public header only: index,
 * commit, reopen, search, get, stats, replace, delete, BM25F scores checked
 * against values computed by hand, multi-commit and memory-budget flushes,
 * map growth, a reader process searching while a writer commits, and
 * commits that reclaim deleted postings giving what a fresh index gives.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "newsindex.h"
#include "../lib/layout.h"      /* NI_MAX_ID_BYTES */
#include "test.h"
#include "tmpdir.h"


static ni_doc mkdoc(const char *id, const char *title, const char *text)
{
    ni_doc d = NI_DOC_INIT;
    d.id = id;
    d.id_len = strlen(id);
    if (title) {
        d.title = title;
        d.title_len = strlen(title);
    }
    if (text) {
        d.text = text;
        d.text_len = strlen(text);
    }
    return d;
}

static int add(ni_index *idx, const char *id, const char *title, const char *text)
{
    ni_doc d = mkdoc(id, title, text);
    return ni_index_add(idx, &d);
}

/* Runs q and writes up to n hit ids (comma-separated) into buf; returns
 * the total, or -1 on error. */
static long search_ids(ni_index *idx, const char *q, int or_mode, char *buf,
                       size_t size, double *scores)
{
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    ni_hits *h;
    ni_hit hit;
    size_t used = 0;
    int rc, i = 0;
    long total;

    o.default_or = or_mode;
    o.limit = 20;
    o.flags = NI_SEARCH_NO_COLLAPSE;   /* documents, near copies too */
    buf[0] = '\0';
    if (ni_search(&h, idx, q, strlen(q), &o) < 0)
        return -1;
    while ((rc = ni_hits_next(h, &hit)) == 0) {
        used += (size_t)snprintf(buf + used, size - used, "%s%.*s", used ? "," : "",
                                 (int)hit.id_len, hit.id);
        if (scores)
            scores[i++] = hit.score;
    }
    total = rc == NI_DONE ? (long)ni_hits_total(h) : -1;
    ni_hits_free(h);
    return total;
}

static ni_index *open_new(size_t budget, uint64_t map)
{
    ni_open_options o = NI_OPEN_OPTIONS_INIT;
    ni_index *idx = NULL;
    o.memory_budget = budget;
    o.map_size = map;
    CHECK_RC(ni_index_open(&idx, test_new_dir(), &o), 0);
    return idx;
}

static void add_small_collection(ni_index *idx)
{
    CHECK_RC(add(idx, "d1", "Кот", "Кот собака"), 0);
    CHECK_RC(add(idx, "d2", NULL, "Собака собака рыба"), 0);
    CHECK_RC(add(idx, "d3", "Рыба", "Рыба кот рыба птица"), 0);
}

/* Scores computed by hand (python, the formulas in lib/rank.h):
 * N = 3, avg title 2/3, avg body 3, k1 0.3, b 0.75, title weight 4, lead
 * weight 1.5 (the defaults).  Every body word is in the lead: it counts in
 * d1 for собака, in d2 and d3 for their words, not in d1 for кот and in d3
 * for рыба, which their titles hold. */
static void bm25_by_hand(void)
{
    ni_index *idx = open_new(0, 0);
    char ids[256];
    double s[8];

    add_small_collection(idx);
    CHECK_RC(ni_index_commit(idx), 0);

    CHECK(search_ids(idx, "кот", 0, ids, sizeof ids, s) == 2);
    CHECK(strcmp(ids, "d1,d3") == 0);
    CHECK(fabs(s[0] - 0.5706515044878178) < 1e-9);
    CHECK(fabs(s[1] - 0.5313084504517012) < 1e-9);

    CHECK(search_ids(idx, "собака", 0, ids, sizeof ids, s) == 2);
    CHECK(strcmp(ids, "d2,d1") == 0);
    CHECK(fabs(s[0] - 0.562767503438973) < 1e-9);
    CHECK(fabs(s[1] - 0.5605547871738132) < 1e-9);

    /* one full match, then the partial ones scored as the words OR-ed; d1
     * holds «Кот собака» in its body (positions 101, 102: the words as in
     * the query, d = 1, closeness 1), which adds the proximity bonus
     * 0.3 * idf 0.47000362924573558 * 1 * 1.3 / (1 + 0.3) (rank.h) */
    CHECK(search_ids(idx, "кот собаки", 0, ids, sizeof ids, s) == 1);
    CHECK(strcmp(ids, "d1,d2,d3") == 0);
    CHECK(fabs(s[0] - (0.5706515044878178 + 0.5605547871738132 + 0.1410010887737207)) <
          1e-9);
    CHECK(fabs(s[1] - 0.562767503438973) < 1e-9);
    CHECK(fabs(s[2] - 0.5313084504517012) < 1e-9);

    CHECK(search_ids(idx, "кот собака", 1, ids, sizeof ids, NULL) == 3);
    CHECK(search_ids(idx, "жираф", 0, ids, sizeof ids, NULL) == 0);
    CHECK(search_ids(idx, "кот жираф", 0, ids, sizeof ids, NULL) == 0);
    CHECK(search_ids(idx, "кот жираф", 1, ids, sizeof ids, NULL) == 2);
    CHECK(search_ids(idx, "", 0, ids, sizeof ids, NULL) == 0);
    ni_index_close(idx);
}

static void ranking_rules(void)
{
    ni_index *idx = open_new(0, 0);
    char ids[256];

    /* a title match outranks a body match past the lead (the first 25
     * positions of the body) */
    CHECK_RC(add(idx, "body", "Новости региона", "Губернатор открыл вчера после долгого "
                 "ремонта и нескольких отсрочек новую дорогу к северной окраине города, "
                 "где жители давно ждали этого события и собирались на площади, а "
                 "затем осмотрел мост через реку"), 0);
    /* a word in the lead outranks the same word further on */
    CHECK_RC(add(idx, "late", "Город", "Власти обсудили бюджет, дороги, школы, больницы, "
                 "парки, транспорт, освещение, уборку, стройки, рынки, налоги, тарифы, "
                 "выборы, мусор, воду, тепло, связь, спорт, музеи, театры, кино, цирк, зоопарк, "
                 "пляж, паром"), 0);
    CHECK_RC(add(idx, "early", "Город", "Паром обсудили власти: бюджет, дороги, школы, "
                 "больницы, парки, транспорт, освещение, уборку, стройки, рынки, налоги, "
                 "тарифы, выборы, мусор, воду, тепло, связь, спорт, музеи, театры, кино, цирк, "
                 "зоопарк, пляж"), 0);
    CHECK_RC(add(idx, "title", "Губернатор открыл мост", "Церемония прошла в субботу"), 0);
    /* a shorter document outranks a longer one with the same tf */
    CHECK_RC(add(idx, "short", "Культура", "Фестиваль джаза"), 0);
    CHECK_RC(add(idx, "long", "Культура", "Фестиваль прошёл в парке при большом "
                 "стечении публики несмотря на дождь и холодный ветер"), 0);
    /* rare terms outweigh common ones */
    CHECK_RC(add(idx, "common1", "Город", "Выставка картин открылась"), 0);
    CHECK_RC(add(idx, "common2", "Город", "Выставка цветов открылась"), 0);
    CHECK_RC(add(idx, "common3", "Город", "Выставка машин открылась"), 0);
    CHECK_RC(add(idx, "rare", "Город", "Аукцион картин завершился"), 0);
    CHECK_RC(ni_index_commit(idx), 0);

    CHECK(search_ids(idx, "мост", 0, ids, sizeof ids, NULL) == 2);
    CHECK(strcmp(ids, "title,body") == 0);
    CHECK(search_ids(idx, "паром", 0, ids, sizeof ids, NULL) == 2);
    CHECK(strcmp(ids, "early,late") == 0);
    CHECK(search_ids(idx, "фестиваль", 0, ids, sizeof ids, NULL) == 2);
    CHECK(strcmp(ids, "short,long") == 0);
    CHECK(search_ids(idx, "выставка аукцион", 1, ids, sizeof ids, NULL) == 4);
    CHECK(strncmp(ids, "rare,", 5) == 0);
    ni_index_close(idx);
}

/* The first hit's id of q (default AND) under o, into buf; its score. */
static double first_hit(ni_index *idx, const char *q, const ni_search_options *o, char *buf,
                        size_t size)
{
    ni_hits *h = NULL;
    ni_hit hit;
    double score = -1;
    buf[0] = '\0';
    CHECK_RC(ni_search(&h, idx, q, strlen(q), o), 0);
    if (h && ni_hits_next(h, &hit) == 0) {
        snprintf(buf, size, "%.*s", (int)hit.id_len, hit.id);
        score = hit.score;
    }
    ni_hits_free(h);
    return score;
}

/* The example: «школа мэров» finds a post about «мэрии … электронная
 * школа» (Snowball makes мэрия and мэр one stem) and the article about the
 * «Школа мэров»; the words standing together put the article first, which
 * BM25F alone does not (the post is short and holds both in its title). */
static void proximity_ranks(void)
{
    ni_index *idx = open_new(0, 0);
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    struct { unsigned version; size_t limit, offset; int default_or; double k1, b, w;
             int sort; unsigned flags; } v1 = { 1, 10, 0, 0, 0.3, 0.75, 4.0, 0, 0 };
    char id[64];
    double with, without;

    CHECK_RC(add(idx, "article", "Главы трех муниципалитетов приняли участие в проекте "
                 "«Школы мэров»", "В Москве подвели итоги обучения первого выпуска «Школы "
                 "мэров». Результатом восьми месяцев обучения стали 157 проектов, которые "
                 "главы городов представили экспертам и коллегам."), 0);
    CHECK_RC(add(idx, "post", "В мэрии Москвы заявили, что работа сервиса «Московская "
                 "электронная школа» восстановлена", "В мэрии Москвы заявили, что работа "
                 "сервиса «Московская электронная школа» восстановлена."), 0);
    CHECK_RC(add(idx, "other1", "Погода", "В школе отменили уроки из-за снега."), 0);
    CHECK_RC(add(idx, "other2", "Выборы", "Мэр города встретился с жителями."), 0);
    CHECK_RC(add(idx, "other3", "Спорт", "Футбольный матч перенесли на субботу."), 0);
    CHECK_RC(ni_index_commit(idx), 0);

    with = first_hit(idx, "школа мэров", &o, id, sizeof id);
    CHECK(strcmp(id, "article") == 0);
    o.default_or = 1;
    first_hit(idx, "школа мэров", &o, id, sizeof id);
    CHECK(strcmp(id, "article") == 0);
    o.default_or = 0;
    o.flags = NI_SEARCH_APPROX_TOTAL;
    CHECK(first_hit(idx, "школа мэров", &o, id, sizeof id) == with);
    CHECK(strcmp(id, "article") == 0);
    /* without proximity the post comes first */
    o.proximity = 0;
    first_hit(idx, "школа мэров", &o, id, sizeof id);
    CHECK(strcmp(id, "post") == 0);
    o.flags = 0;
    without = first_hit(idx, "мэров школа", &o, id, sizeof id);
    CHECK(strcmp(id, "post") == 0);
    /* the words reversed stand three apart in the article: a smaller bonus */
    o.proximity = 0.3;
    CHECK(first_hit(idx, "мэров школа", &o, id, sizeof id) > without);
    /* a caller built against version 1 of the options gets the default */
    CHECK(first_hit(idx, "школа мэров", (const ni_search_options *)(const void *)&v1, id,
                    sizeof id) == with);
    CHECK(strcmp(id, "article") == 0);
    o.proximity = -1;
    CHECK_RC(ni_search(&(ni_hits *){ NULL }, idx, "школа", 10, &o), NI_EINVAL);
    ni_index_close(idx);
}

static void reopen_get_stats(void)
{
    const char *path = test_new_dir();
    ni_open_options ro = NI_OPEN_OPTIONS_INIT;
    ni_index *idx = NULL;
    ni_doc d = mkdoc("news/1", "Школа мэров", "В Москве подвели итоги обучения.");
    ni_doc *got = NULL;
    ni_stats st;
    char ids[256];

    CHECK_RC(ni_index_open(&idx, path, NULL), 0);
    d.url = "https://example.ru/1";
    d.url_len = strlen(d.url);
    d.rubric = "Общество";
    d.rubric_len = strlen(d.rubric);
    d.credit = "Фото: пресс-служба";
    d.credit_len = strlen(d.credit);
    CHECK_RC(ni_date_parse(&d.date, "2024-07-17 13:30", 16), 0);
    CHECK_RC(ni_index_add(idx, &d), 0);
    /* not visible before commit */
    CHECK(search_ids(idx, "школа", 0, ids, sizeof ids, NULL) == 0);
    CHECK_RC(ni_index_get(&got, idx, "news/1", 6), NI_ENOTFOUND);
    CHECK(got == NULL);
    /* an empty id is a clean error, not LMDB's (one byte is an id) */
    CHECK_RC(ni_index_get(&got, idx, "", 0), NI_EINVAL);
    CHECK(got == NULL && strstr(ni_errmsg(), "document id must be 1 to") != NULL);
    CHECK_RC(ni_index_get(&got, idx, "n", 1), NI_ENOTFOUND);
    CHECK_RC(ni_index_commit(idx), 0);
    ni_index_close(idx);

    ro.flags = NI_OPEN_READONLY;
    CHECK_RC(ni_index_open(&idx, path, &ro), 0);
    CHECK(search_ids(idx, "школы мэров", 0, ids, sizeof ids, NULL) == 1);
    CHECK(strcmp(ids, "news/1") == 0);
    CHECK_RC(ni_index_get(&got, idx, "news/1", 6), 0);
    if (got) {
        CHECK(got->title_len == strlen("Школа мэров") &&
              memcmp(got->title, "Школа мэров", got->title_len) == 0);
        CHECK(got->url_len == d.url_len && memcmp(got->url, d.url, d.url_len) == 0);
        CHECK(got->credit_len == d.credit_len);
        CHECK(got->text_len == d.text_len && memcmp(got->text, d.text, d.text_len) == 0);
        CHECK(got->date == d.date);
    }
    ni_doc_free(got);
    CHECK_RC(ni_index_stats(&st, idx), 0);
    CHECK(st.docs == 1 && st.deleted == 0);
    CHECK(st.terms >= 6);
    CHECK(st.avg_title_len == 2.0);
    CHECK(st.index_bytes > 0 && st.file_bytes >= st.index_bytes);
    CHECK_RC(add(idx, "x", "a", "b"), NI_EREADONLY);
    CHECK_RC(ni_index_commit(idx), NI_EREADONLY);
    ni_index_close(idx);

    CHECK_RC(ni_index_open(&idx, "/nonexistent/dir/idx", &ro), NI_ENOTFOUND);
    CHECK(idx == NULL);
    CHECK(strstr(ni_errmsg(), "/nonexistent/dir/idx") != NULL);
}

/* Deleting from {d1,d2,d3} gives the scores of an index built from the
 * rest: df, N and average lengths all follow the deletion. */
static void delete_and_replace(void)
{
    ni_index *a = open_new(0, 0), *b = open_new(0, 0);
    char ids_a[256], ids_b[256];
    double sa[8], sb[8];
    ni_stats st;

    add_small_collection(a);
    CHECK_RC(ni_index_commit(a), 0);
    CHECK_RC(ni_index_delete(a, "d2", 2), 0);
    CHECK_RC(ni_index_delete(a, "nope", 4), NI_ENOTFOUND);
    CHECK_RC(ni_index_commit(a), 0);

    CHECK_RC(add(b, "d1", "Кот", "Кот собака"), 0);
    CHECK_RC(add(b, "d3", "Рыба", "Рыба кот рыба птица"), 0);
    CHECK_RC(ni_index_commit(b), 0);

    CHECK(search_ids(a, "рыба", 1, ids_a, sizeof ids_a, sa) == 1);
    CHECK(search_ids(b, "рыба", 1, ids_b, sizeof ids_b, sb) == 1);
    CHECK(strcmp(ids_a, ids_b) == 0 && fabs(sa[0] - sb[0]) < 1e-12);
    CHECK(search_ids(a, "собака кот", 1, ids_a, sizeof ids_a, sa) == 2);
    CHECK(search_ids(b, "собака кот", 1, ids_b, sizeof ids_b, sb) == 2);
    CHECK(strcmp(ids_a, ids_b) == 0 && fabs(sa[0] - sb[0]) < 1e-12 &&
          fabs(sa[1] - sb[1]) < 1e-12);
    CHECK_RC(ni_index_stats(&st, a), 0);
    CHECK(st.docs == 2 && st.deleted == 1);

    /* replace: the same id again, committed and within one batch */
    CHECK_RC(add(a, "d1", "Жираф", "Жираф в зоопарке"), 0);
    CHECK_RC(add(a, "d9", "Слон", "Слон"), 0);
    CHECK_RC(add(a, "d9", "Слон", "Слон и жираф"), 0);
    CHECK_RC(ni_index_commit(a), 0);
    CHECK(search_ids(a, "кот", 0, ids_a, sizeof ids_a, NULL) == 1);
    CHECK(strcmp(ids_a, "d3") == 0);
    CHECK(search_ids(a, "жираф", 0, ids_a, sizeof ids_a, NULL) == 2);
    CHECK(strcmp(ids_a, "d1,d9") == 0);
    CHECK(search_ids(a, "слон", 0, ids_a, sizeof ids_a, NULL) == 1);
    CHECK_RC(ni_index_stats(&st, a), 0);
    CHECK(st.docs == 3);

    /* add then delete in one batch: gone; delete then add: present */
    CHECK_RC(add(a, "tmp", NULL, "Временная заметка"), 0);
    CHECK_RC(ni_index_delete(a, "tmp", 3), 0);
    CHECK_RC(ni_index_delete(a, "d3", 2), 0);
    CHECK_RC(add(a, "d3", NULL, "Рыба вернулась"), 0);
    CHECK_RC(ni_index_commit(a), 0);
    CHECK(search_ids(a, "заметка", 0, ids_a, sizeof ids_a, NULL) == 0);
    CHECK(search_ids(a, "вернулась", 0, ids_a, sizeof ids_a, NULL) == 1);
    CHECK(search_ids(a, "кот", 0, ids_a, sizeof ids_a, NULL) == 0);
    ni_index_close(a);
    ni_index_close(b);
}

/* Many documents in several commits, with a tiny memory budget, equal the
 * same documents in one commit: tail blocks are merged correctly. */
static void commits_and_budget(void)
{
    ni_index *a = open_new(0, 0), *b = open_new(1, 0);
    char id[32], text[128], ids_a[512], ids_b[512];
    double sa[20], sb[20];
    int i;

    for (i = 0; i < 700; i++) {
        snprintf(id, sizeof id, "doc%04d", i);
        snprintf(text, sizeof text, "новость номер %d %s", i,
                 i % 7 == 0 ? "редкое слово" : i % 2 ? "погода" : "спорт спорт");
        CHECK_RC(add(a, id, NULL, text), 0);
        CHECK_RC(add(b, id, NULL, text), 0);
        if (i % 150 == 149)
            CHECK_RC(ni_index_commit(b), 0);
    }
    CHECK_RC(ni_index_commit(a), 0);
    CHECK_RC(ni_index_commit(b), 0);
    CHECK(search_ids(a, "новость", 0, ids_a, sizeof ids_a, sa) == 700);
    CHECK(search_ids(b, "новость", 0, ids_b, sizeof ids_b, sb) == 700);
    CHECK(strcmp(ids_a, ids_b) == 0);
    CHECK(search_ids(a, "новость редкое", 0, ids_a, sizeof ids_a, sa) == 100);
    CHECK(search_ids(b, "новость редкое", 0, ids_b, sizeof ids_b, sb) == 100);
    CHECK(strcmp(ids_a, ids_b) == 0 && fabs(sa[0] - sb[0]) < 1e-12);
    CHECK(search_ids(a, "погода", 0, ids_a, sizeof ids_a, sa) == 300);
    CHECK(search_ids(a, "редкое OR спорт", 0, ids_a, sizeof ids_a, sa) == 400);
    CHECK(search_ids(a, "699", 0, ids_a, sizeof ids_a, sa) == 1);
    CHECK(strcmp(ids_a, "doc0699") == 0);
    ni_index_close(a);
    ni_index_close(b);
}

/* Adds 400 documents of 60 words each, ids prefix0 .. prefix399. */
static void add_400(ni_index *idx, char prefix)
{
    char id[32], text[4096];
    int i, j;
    for (i = 0; i < 400; i++) {
        size_t n = 0;
        snprintf(id, sizeof id, "%c%d", prefix, i);
        for (j = 0; j < 60; j++)
            n += (size_t)snprintf(text + n, sizeof text - n, "слово%d ", (i * 61 + j) % 5000);
        CHECK_RC(add(idx, id, NULL, text), 0);
    }
}

/* A map far too small for the batch grows by itself. */
static void map_grows(void)
{
    ni_index *idx = open_new(0, 64 * 1024);
    ni_stats st;

    add_400(idx, 'g');
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK_RC(ni_index_stats(&st, idx), 0);
    CHECK(st.docs == 400);
    CHECK(st.map_bytes > 64 * 1024);
    ni_index_close(idx);

    /* the same with a budget that flushes several times inside the batch:
     * the map is grown before the write transaction starts */
    idx = open_new(200000, 64 * 1024);
    add_400(idx, 'h');
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK_RC(ni_index_stats(&st, idx), 0);
    CHECK(st.docs == 400);
    CHECK_RC(ni_index_check(NULL, idx), 0);
    ni_index_close(idx);
}

/* A reader process searches while this process commits batches of 50:
 * every total it sees is a whole number of batches. */
static void reader_process(void)
{
    const char *path = test_new_dir();
    ni_index *w = NULL;
    char id[32];
    pid_t pid;
    int i, b, status = 0;

    CHECK_RC(ni_index_open(&w, path, NULL), 0);
    CHECK_RC(add(w, "seed", NULL, "сводка"), 0);
    CHECK_RC(ni_index_commit(w), 0);
    pid = fork();
    if (pid == 0) {
        ni_open_options ro = NI_OPEN_OPTIONS_INIT;
        ni_index *r = NULL;
        char ids[4096];
        int bad = 0, n;
        ro.flags = NI_OPEN_READONLY;
        if (ni_index_open(&r, path, &ro) < 0)
            _exit(3);
        for (n = 0; n < 300; n++) {
            long total = search_ids(r, "сводка", 0, ids, sizeof ids, NULL);
            if (total < 1 || (total - 1) % 50 != 0)
                bad++;
        }
        ni_index_close(r);
        _exit(bad ? 1 : 0);
    }
    for (b = 0; b < 20; b++) {
        for (i = 0; i < 50; i++) {
            snprintf(id, sizeof id, "b%d-%d", b, i);
            CHECK_RC(add(w, id, NULL, "сводка новостей дня"), 0);
        }
        CHECK_RC(ni_index_commit(w), 0);
    }
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ni_index_close(w);
}

/* Deleting most documents then compacting keeps the results and the
 * check passes; auto-compaction resets the deleted count. */
static void compact_and_check(void)
{
    ni_index *idx = open_new(0, 0);
    ni_index_check_stats cs;
    char id[32], text[128], ids[512], ids2[512];
    double s1[20], s2[20];
    ni_stats st;
    int i;

    for (i = 0; i < 2000; i++) {
        snprintf(id, sizeof id, "n%d", i);
        snprintf(text, sizeof text, "сообщение %d о погоде %s", i, i % 10 ? "дождь" : "солнце");
        CHECK_RC(add(idx, id, NULL, text), 0);
    }
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK_RC(ni_index_check(&cs, idx), 0);
    CHECK(cs.docs == 2000 && cs.terms > 2000 && cs.blocks > 0);
    for (i = 0; i < 1000; i += 2) {
        snprintf(id, sizeof id, "n%d", i);
        CHECK_RC(ni_index_delete(idx, id, strlen(id)), 0);
    }
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK_RC(ni_index_stats(&st, idx), 0);
    CHECK(st.docs == 1500 && st.deleted == 500);
    CHECK_RC(ni_index_check(NULL, idx), 0);
    CHECK(search_ids(idx, "солнце", 0, ids, sizeof ids, s1) == 100);
    CHECK_RC(ni_index_compact(idx), 0);
    CHECK_RC(ni_index_stats(&st, idx), 0);
    CHECK(st.docs == 1500 && st.deleted == 0);
    CHECK_RC(ni_index_check(NULL, idx), 0);
    CHECK(search_ids(idx, "солнце", 0, ids2, sizeof ids2, s2) == 100);
    CHECK(strcmp(ids, ids2) == 0 && fabs(s1[0] - s2[0]) < 1e-12);

    /* commits reclaim as they delete (ni_open_options.reclaim_percent):
     * no compaction needed, and the count is of deletions since one */
    for (i = 1; i < 2000; i += 2) {
        snprintf(id, sizeof id, "n%d", i);
        CHECK_RC(ni_index_delete(idx, id, strlen(id)), 0);
    }
    for (i = 1000; i < 1100; i += 2) {
        snprintf(id, sizeof id, "n%d", i);
        CHECK_RC(ni_index_delete(idx, id, strlen(id)), 0);
    }
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK_RC(ni_index_stats(&st, idx), 0);
    CHECK(st.docs == 450 && st.deleted == 1050);
    CHECK_RC(ni_index_check(&cs, idx), 0);
    CHECK(search_ids(idx, "погоде", 0, ids, sizeof ids, NULL) == 450);
    ni_index_close(idx);
}

/* Body text number k of the replacement tests: 4 to 15 words of a small
 * vocabulary, from a linear congruential generator. */
static void vocab_text(char *out, size_t size, unsigned k)
{
    static const char *const words[] = {
        "погода", "дождь", "солнце", "город", "мэр", "школа", "выборы", "рынок",
        "нефть", "курс", "рубль", "банк", "театр", "премьера", "футбол", "матч",
        "суд", "закон", "налог", "бюджет", "снег", "мороз", "ветер", "море"
    };
    unsigned x = k * 2654435761u + 12345u, n, i;
    size_t used = 0;
    n = 4 + (x >> 7) % 12;
    out[0] = 0;
    for (i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        used += (size_t)snprintf(out + used, size - used, "%s%s", i ? " " : "",
                                 words[(x >> 16) % 24]);
    }
}

/* Documents r0..r299 committed 7 at a time, each replaced twice (new text,
 * then its final text) in commits of 7, one in ten deleted: with any
 * reclamation share (default, 1 %: every time, none) the index checks and
 * every search gives the same ids and scores as an index built fresh from
 * the final documents in one commit, with the same statistics; a term
 * only the first texts had leaves the lexicon when commits reclaim. */
static void reclaim_same_as_fresh(void)
{
    static const char *const queries[] = {
        "погода", "дождь солнце", "мэр OR школа", "\"курс рубля\"", "нефть -рынок",
        "театр премьера матч", "суд закон налог бюджет"
    };
    static const unsigned shares[] = { 0, 1, 101 };
    char fresh_ids[7][2][512], ids[512], text[256], id[16];
    double fresh_sc[7][2][20], sc[20];
    long fresh_n[7][2];
    ni_stats fst, st;
    size_t q, v;
    int i, pass;
    ni_index *f = open_new(0, 0);

    for (i = 0; i < 300; i++) {
        if (i % 10 == 3)
            continue;
        snprintf(id, sizeof id, "r%d", i);
        vocab_text(text, sizeof text, (unsigned)i + 2000);
        CHECK_RC(add(f, id, NULL, text), 0);
    }
    CHECK_RC(ni_index_commit(f), 0);
    CHECK_RC(ni_index_stats(&fst, f), 0);
    for (q = 0; q < 7; q++)
        for (pass = 0; pass < 2; pass++)
            fresh_n[q][pass] = search_ids(f, queries[q], pass, fresh_ids[q][pass], 512,
                                          fresh_sc[q][pass]);
    ni_index_close(f);

    for (v = 0; v < 3; v++) {
        ni_open_options o = NI_OPEN_OPTIONS_INIT;
        ni_index *idx = NULL;
        o.reclaim_percent = shares[v];
        CHECK_RC(ni_index_open(&idx, test_new_dir(), &o), 0);
        for (pass = 0; pass < 3; pass++)
            for (i = 0; i < 300; i++) {
                snprintf(id, sizeof id, "r%d", i);
                vocab_text(text, sizeof text, (unsigned)i + (pass == 2 ? 2000u : 1000u * (unsigned)pass));
                if (pass == 0)      /* a word only the first texts have */
                    strcat(text, " черновик");
                if (pass == 2 && i % 10 == 3)
                    CHECK_RC(ni_index_delete(idx, id, strlen(id)), 0);
                else
                    CHECK_RC(add(idx, id, NULL, text), 0);
                if (i % 7 == 6)
                    CHECK_RC(ni_index_commit(idx), 0);
            }
        CHECK_RC(ni_index_commit(idx), 0);
        CHECK_RC(ni_index_check(NULL, idx), 0);
        CHECK_RC(ni_index_stats(&st, idx), 0);
        CHECK(st.docs == fst.docs && st.tokens == fst.tokens && st.deleted == 600);
        /* without reclamation the lexicon keeps черновик, with no document */
        CHECK(st.terms == fst.terms + (shares[v] > 100));
        CHECK(search_ids(idx, "черновик", 1, ids, sizeof ids, NULL) == 0);
        for (q = 0; q < 14; q++) {
            int or_mode = (int)(q & 1);
            long n = search_ids(idx, queries[q / 2], or_mode, ids, sizeof ids, sc);
            CHECK(n == fresh_n[q / 2][or_mode] && n > 0 &&
                  strcmp(ids, fresh_ids[q / 2][or_mode]) == 0);
            for (i = 0; i < 20 && i < n; i++)
                CHECK(fabs(sc[i] - fresh_sc[q / 2][or_mode][i]) < 1e-9);
        }
        ni_index_close(idx);
    }
}

/* A term's postings move from its lexicon entry (few documents) to the
 * postings table as it grows over commits, and back when compaction
 * shrinks it; searches, phrases and the check agree at every step. */
static void inline_and_table_terms(void)
{
    ni_index *idx = open_new(0, 0);
    char id[32], text[128], ids[2048];
    int i, live = 0;

    for (i = 0; i < 260; i++) {
        snprintf(id, sizeof id, "r%d", i);
        snprintf(text, sizeof text, "редкость сегодня номер %d", i);
        CHECK_RC(add(idx, id, NULL, text), 0);
        live++;
        if (i == 4 || i % 50 == 49) {
            CHECK_RC(ni_index_commit(idx), 0);
            CHECK_RC(ni_index_check(NULL, idx), 0);
            CHECK(search_ids(idx, "редкость", 0, ids, sizeof ids, NULL) == live);
            CHECK(search_ids(idx, "\"редкость сегодня\"", 0, ids, sizeof ids, NULL) == live);
        }
    }
    /* a batch whose only posting of an inline term is replaced in it */
    CHECK_RC(add(idx, "x", NULL, "одиночка"), 0);
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK_RC(add(idx, "y", NULL, "одиночка тоже"), 0);
    CHECK_RC(add(idx, "y", NULL, "другое"), 0);
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK_RC(ni_index_check(NULL, idx), 0);
    CHECK(search_ids(idx, "одиночка", 0, ids, sizeof ids, NULL) == 1);
    for (i = 0; i < 250; i++) {
        snprintf(id, sizeof id, "r%d", i);
        CHECK_RC(ni_index_delete(idx, id, strlen(id)), 0);
    }
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK_RC(ni_index_compact(idx), 0);
    CHECK_RC(ni_index_check(NULL, idx), 0);
    CHECK(search_ids(idx, "редкость", 0, ids, sizeof ids, NULL) == 10);
    CHECK(strstr(ids, "r255") != NULL && strstr(ids, "r25,") == NULL);
    CHECK(search_ids(idx, "\"редкость сегодня\"", 0, ids, sizeof ids, NULL) == 10);
    CHECK_RC(ni_index_delete(idx, "r259", 4), 0);
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK_RC(ni_index_check(NULL, idx), 0);
    CHECK(search_ids(idx, "редкость", 0, ids, sizeof ids, NULL) == 9);
    ni_index_close(idx);
}

static void bad_arguments(void)
{
    ni_index *idx = open_new(0, 0);
    ni_doc d = mkdoc("", "t", "x");
    ni_hits *h = NULL;
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    char longid[600];

    CHECK_RC(ni_index_add(idx, &d), NI_EINVAL);
    memset(longid, 'x', sizeof longid - 1);
    longid[sizeof longid - 1] = '\0';
    d = mkdoc(longid, "t", "x");
    CHECK_RC(ni_index_add(idx, &d), NI_EINVAL);
    /* the longest id is taken, stored, found and deleted; one byte more is
     * refused by add and by delete */
    longid[NI_MAX_ID_BYTES + 1] = '\0';
    d.id_len = NI_MAX_ID_BYTES + 1;
    CHECK_RC(ni_index_add(idx, &d), NI_EINVAL);
    CHECK_RC(ni_index_delete(idx, longid, NI_MAX_ID_BYTES + 1), NI_EINVAL);
    d.id_len = NI_MAX_ID_BYTES;
    CHECK_RC(ni_index_add(idx, &d), 0);
    CHECK_RC(ni_index_commit(idx), 0);
    {
        ni_doc *got = NULL;
        CHECK_RC(ni_index_get(&got, idx, longid, NI_MAX_ID_BYTES), 0);
        CHECK(got && got->id_len == NI_MAX_ID_BYTES && memcmp(got->id, longid, got->id_len) == 0);
        ni_doc_free(got);
    }
    CHECK_RC(ni_index_delete(idx, longid, NI_MAX_ID_BYTES), 0);
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK_RC(ni_index_add(idx, NULL), NI_EINVAL);
    o.version = 99;
    CHECK_RC(ni_search(&h, idx, "x", 1, &o), NI_EINVAL);
    CHECK(h == NULL);
    o = (ni_search_options)NI_SEARCH_OPTIONS_INIT;
    o.b = 2;
    CHECK_RC(ni_search(&h, idx, "x", 1, &o), NI_EINVAL);
    CHECK(strlen(ni_strerror(NI_EFULL)) > 0);
    ni_hits_free(NULL);
    ni_index_close(NULL);
    ni_doc_free(NULL);
    ni_index_close(idx);
}

TEST_MAIN(TEST(bm25_by_hand), TEST(ranking_rules), TEST(proximity_ranks),
          TEST(reopen_get_stats), TEST(delete_and_replace),
          TEST(commits_and_budget), TEST(map_grows), TEST(reader_process),
          TEST(compact_and_check), TEST(reclaim_same_as_fresh),
          TEST(inline_and_table_terms), TEST(bad_arguments))
