/*
 * test_damage.c - the corruption suite: damaged copies of a small index,
 * each read by a child process that checks, counts and searches it and
 * fetches every document.  Every answer must be a clean error or the
 * undamaged index's answer, never a signal or a hang (a 20 s alarm), and
 * when a read gave an error or other data, check must report the damage.
 *
 * The damages: data.mdb cut at page boundaries and inside pages, each page
 * zeroed, random bits flipped and random bytes written over pages of each
 * type in turn.
 * Each damaged page is classified by a walk of LMDB's trees from the
 * newest meta page (meta, branch, leaf, overflow, free list, or unused: a
 * page no tree uses), so the counts show every kind was hit.  DAMAGE_COPIES (default 1,000, 300 under a sanitizer) sets
 * the number of copies, DAMAGE_SEED the random choices (so a run of
 * another seed tries others: bench/damage.sh runs many), DAMAGE_KEEP=dir
 * keeps the copies that failed.  Prints one line per kind and the totals.
 *
 * Required: no signal, no hang, no stored document read back altered (the
 * records' checksums), and check reporting every copy on which a read
 * failed or answered otherwise.  Counted but allowed: other answers that
 * differ without an error (a damaged lexicon or id entry makes a search
 * find less, or an id not found): the index tables other than stored
 * records carry no checksums, and check finds those damages.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "newsindex.h"
#include "test.h"

#define NDOCS 48
#define PAGE 4096
#define ALARM_SECONDS 20
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define DEFAULT_COPIES 300    /* a sanitizer's run is slower */
#else
#define DEFAULT_COPIES 1000
#endif

static const char *const queries[] = {
    "школа мэров", "город OR область", "\"новая школа\"", "прав*", "мэр -город",
    "title:школа", "дети учителя",
};
#define NQUERIES (sizeof queries / sizeof queries[0])

static char dir[] = "/tmp/ni-damage-XXXXXX";
static char clean_path[64], copy_path[64];
static unsigned char *clean;         /* the undamaged data.mdb */
static size_t clean_len;

/* The answers of the undamaged index, compared with a copy's. */
static char *ref_get[NDOCS], *ref_query[NQUERIES], *ref_stats;

static uint64_t rng_state;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static const char *const words[] = {
    "школа", "мэров", "город", "область", "глава", "новая", "проект", "учителя",
    "дети", "права", "правительство", "закон", "суд", "выборы", "депутат", "бюджет",
    "строительство", "дорога", "больница", "врач", "музей", "выставка", "театр",
    "спектакль", "футбол", "команда", "матч", "погода", "снег", "мороз", "весна",
    "пришёл", "ушёл", "сказал", "заявил", "сообщил", "компания", "банк", "рубль",
    "нефть", "газ", "завод", "рабочие", "зарплата", "пенсия", "налог", "мэр",
};
#define NWORDS (sizeof words / sizeof words[0])

/* A text of n words from the list. */
static void gen_text(char *buf, size_t size, unsigned n)
{
    size_t at = 0;
    unsigned i;
    buf[0] = '\0';
    for (i = 0; i < n && at + 40 < size; i++)
        at += (size_t)snprintf(buf + at, size - at, "%s%s", i ? (i % 11 ? " " : ". ") : "",
                               words[rnd() % NWORDS]);
}

static void doc_id(char *buf, size_t size, int i)
{
    snprintf(buf, size, "doc-%03d", i);
}

/* The index: NDOCS documents in three commits (one whose posting block of
 * «школа» takes overflow pages), then two deleted (free pages). */
static int build(void)
{
    static char text[400000], title[200], id[32];
    ni_index *idx = NULL;
    int i, rc = 0;

    snprintf(clean_path, sizeof clean_path, "%s/clean", dir);
    if (ni_index_open(&idx, clean_path, NULL) < 0)
        return -1;
    for (i = 0; i < NDOCS && rc == 0; i++) {
        ni_doc d = NI_DOC_INIT;
        doc_id(id, sizeof id, i);
        gen_text(title, sizeof title, 3 + (unsigned)(rnd() % 5));
        gen_text(text, sizeof text, i == 7 ? 4000 : 40 + (unsigned)(rnd() % 300));
        if (i == 7) {                /* a posting block of «школа» on overflow pages */
            size_t at = strlen(text), k;
            for (k = 0; k < 5000 && at + 16 < sizeof text; k++)
                at += (size_t)snprintf(text + at, sizeof text - at, " школа");
        }
        d.id = id;
        d.id_len = strlen(id);
        d.title = title;
        d.title_len = strlen(title);
        d.text = text;
        d.text_len = strlen(text);
        d.url = "https://example.org/news";
        d.url_len = strlen(d.url);
        d.date = 1700000000 + i * 3600;
        rc = ni_index_add(idx, &d);
        if (rc == 0 && (i == 20 || i == 40))
            rc = ni_index_commit(idx);
    }
    if (rc == 0)
        rc = ni_index_commit(idx);
    if (rc == 0)
        rc = ni_index_delete(idx, "doc-003", 7);
    if (rc == 0)
        rc = ni_index_delete(idx, "doc-010", 7);
    if (rc == 0)
        rc = ni_index_commit(idx);
    ni_index_close(idx);
    return rc;
}

/* Appends to a growing string. */
typedef struct str {
    char *p;
    size_t len, cap;
} str;

static void put(str *s, const void *data, size_t n)
{
    if (s->len + n + 1 > s->cap) {
        s->cap = (s->len + n + 1) * 2;
        s->p = realloc(s->p, s->cap);
        if (!s->p)
            abort();
    }
    memcpy(s->p + s->len, data, n);
    s->len += n;
    s->p[s->len] = '\0';
}

static void putf(str *s, const char *field, const char *p, size_t n)
{
    char head[64];
    snprintf(head, sizeof head, "|%s %zu:", field, p ? n : (size_t)-1);
    put(s, head, strlen(head));
    if (p)
        put(s, p, n);
}

/* The answers of idx: a string, or NULL for an error. */
static char *answer_get(ni_index *idx, int i)
{
    char id[32], date[32];
    ni_doc *d = NULL;
    str s = { NULL, 0, 0 };
    int rc;
    doc_id(id, sizeof id, i);
    rc = ni_index_get(&d, idx, id, strlen(id));
    if (rc == NI_ENOTFOUND)
        return strdup("not found");
    if (rc < 0)
        return NULL;
    putf(&s, "id", d->id, d->id_len);
    putf(&s, "url", d->url, d->url_len);
    putf(&s, "rubric", d->rubric, d->rubric_len);
    putf(&s, "title", d->title, d->title_len);
    putf(&s, "text", d->text, d->text_len);
    putf(&s, "credit", d->credit, d->credit_len);
    snprintf(date, sizeof date, "|date %lld", (long long)d->date);
    put(&s, date, strlen(date));
    ni_doc_free(d);
    return s.p;
}

static char *answer_query(ni_index *idx, const char *q)
{
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    ni_hits *h = NULL;
    ni_hit hit;
    ni_snippet sn;
    str s = { NULL, 0, 0 };
    char num[64];
    int rc;

    o.limit = 20;
    if (ni_search(&h, idx, q, strlen(q), &o) < 0)
        return NULL;
    put(&s, "", 0);
    while ((rc = ni_hits_next(h, &hit)) == 0) {
        snprintf(num, sizeof num, "|%.9g %lld", hit.score, (long long)hit.date);
        put(&s, num, strlen(num));
        putf(&s, "id", hit.id, hit.id_len);
        putf(&s, "title", hit.title, hit.title_len);
        if ((rc = ni_hits_snippet(&sn, h, 120)) < 0)
            break;
        putf(&s, "snippet", sn.text, sn.len);
    }
    snprintf(num, sizeof num, "|total %llu", (unsigned long long)ni_hits_total(h));
    put(&s, num, strlen(num));
    ni_hits_free(h);
    if (rc != NI_DONE) {
        free(s.p);
        return NULL;
    }
    return s.p;
}

static char *answer_stats(ni_index *idx)
{
    ni_stats st;
    char buf[200];
    if (ni_index_stats(&st, idx) < 0)
        return NULL;
    snprintf(buf, sizeof buf, "%llu %llu %llu %llu %.9g %.9g %u",
             (unsigned long long)st.docs, (unsigned long long)st.deleted,
             (unsigned long long)st.terms, (unsigned long long)st.tokens, st.avg_title_len,
             st.avg_body_len, st.format_version);
    return strdup(buf);
}

/* What a child found, as its exit status bits. */
#define SAW_ERROR 1     /* some read failed cleanly */
#define SAW_WRONG 2     /* some read succeeded with other data */
#define CHECK_BAD 4     /* check reported damage (or failed) */
#define OPEN_BAD 8      /* the index did not open */
#define WRONG_TEXT 16   /* get returned a document other than the one stored */

/* One answer against its reference. */
static int compare(char *got, const char *want, const char *what)
{
    int r = 0;
    if (!got)
        return SAW_ERROR;
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "  wrong data: %s\n", what);
        r = SAW_WRONG;
        if (strcmp(what, "get") == 0 && strcmp(got, "not found") != 0)
            r |= WRONG_TEXT;
    }
    free(got);
    return r;
}

/* The child's work on the copy: its status bits. */
static int read_copy(void)
{
    ni_open_options o = NI_OPEN_OPTIONS_INIT;
    ni_index *idx = NULL;
    int r = 0, i;

    o.flags = NI_OPEN_READONLY;
    if (ni_index_open(&idx, copy_path, &o) < 0)
        return OPEN_BAD | CHECK_BAD | SAW_ERROR;
    if (ni_index_check(NULL, idx) < 0)
        r |= CHECK_BAD;
    r |= compare(answer_stats(idx), ref_stats, "stats");
    for (i = 0; i < NDOCS; i++)
        r |= compare(answer_get(idx, i), ref_get[i], "get");
    for (i = 0; i < (int)NQUERIES; i++)
        r |= compare(answer_query(idx, queries[i]), ref_query[i], queries[i]);
    ni_index_close(idx);
    return r;
}

enum kind { K_TRUNC, K_ZERO, K_FLIP, K_BYTES, K_COUNT };
static const char *const kind_names[K_COUNT] = {
    "truncation", "zeroed page", "bit flip", "random bytes"
};
enum ptype { P_META, P_BRANCH, P_LEAF, P_OVERFLOW, P_FREELIST, P_UNUSED, P_TYPES };
static const char *const ptype_names[P_TYPES] = {
    "meta", "branch", "leaf", "overflow", "free list", "unused"
};
static unsigned char *types;          /* ptype + 1 of each page of clean */

static uint64_t le(const unsigned char *p, int n)
{
    uint64_t v = 0;
    while (n--)
        v = v << 8 | p[n];
    return v;
}

/* Marks the pages of the B-tree rooted at pg (LMDB 0.9 page and node
 * layout, mdb.c): free-list pages, or branch, leaf and overflow pages. */
static void walk_tree(uint64_t pg, int freelist, int depth)
{
    const unsigned char *h;
    unsigned nkeys, i;
    uint16_t flags;

    if (pg >= clean_len / PAGE || depth > 10)
        return;
    h = clean + pg * PAGE;
    flags = (uint16_t)le(h + 10, 2);
    nkeys = (unsigned)(le(h + 12, 2) - 16) / 2;
    types[pg] = (unsigned char)(1 + (freelist ? P_FREELIST : flags & 1 ? P_BRANCH : P_LEAF));
    for (i = 0; i < nkeys; i++) {
        const unsigned char *node = h + le(h + 16 + 2 * i, 2);
        uint16_t nflags = (uint16_t)le(node + 4, 2), ksize = (uint16_t)le(node + 6, 2);
        const unsigned char *data = node + 8 + ksize;
        if (flags & 1) {
            walk_tree(le(node, 4) | le(node + 4, 2) << 32, freelist, depth + 1);
        } else if (nflags & 1) {                  /* F_BIGDATA: overflow pages */
            uint64_t ov = le(data, 8), k, n;
            if (ov >= clean_len / PAGE)
                continue;
            n = le(clean + ov * PAGE + 12, 4);
            for (k = 0; k < n && ov + k < clean_len / PAGE; k++)
                types[ov + k] = 1 + P_OVERFLOW;
        } else if (nflags & 2) {                  /* F_SUBDATA: a named table */
            walk_tree(le(data + 40, 8), 0, depth + 1);
        }
    }
}

/* The type of page pg of the clean file, from a walk of its trees from
 * the newest meta page. */
static enum ptype page_type(size_t pg)
{
    if (!types) {
        const unsigned char *m0 = clean + 16, *m1 = clean + PAGE + 16, *m;
        types = malloc(clean_len / PAGE);
        memset(types, 1 + P_UNUSED, clean_len / PAGE);
        types[0] = types[1] = 1 + P_META;
        m = le(m0 + 128, 8) < le(m1 + 128, 8) ? m1 : m0;   /* mm_txnid */
        walk_tree(le(m + 24 + 40, 8), 1, 0);
        walk_tree(le(m + 24 + 48 + 40, 8), 0, 0);
    }
    return (enum ptype)(types[pg] - 1);
}

/* A page for the i-th random damage: of each type in turn (so that the one
 * overflow page is hit as often as the many leaf pages), any page when the
 * index has none of that type. */
static size_t pick_page(unsigned i)
{
    size_t pages = clean_len / PAGE, pg, n = 0, k;
    enum ptype want = (enum ptype)(i % P_TYPES);
    for (pg = 0; pg < pages; pg++)
        n += page_type(pg) == want;
    if (n == 0)
        return rnd() % pages;
    k = rnd() % n;
    for (pg = 0; pg < pages; pg++)
        if (page_type(pg) == want && k-- == 0)
            break;
    return pg;
}

typedef struct tally {
    unsigned copies, signals, hangs, wrong, wrong_text, missed, detected, unchanged;
} tally;

/* With DAMAGE_KEEP=dir set, keeps a copy that failed in dir/fail-N/. */
static void keep(const unsigned char *data, size_t len, const tally *t)
{
    const char *to = getenv("DAMAGE_KEEP");
    char path[300];
    FILE *f;
    if (!to)
        return;
    snprintf(path, sizeof path, "%s/fail-%u", to, t->copies);
    mkdir(to, 0755);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/fail-%u/data.mdb", to, t->copies);
    if ((f = fopen(path, "wb")) != NULL) {
        fwrite(data, 1, len, f);
        fclose(f);
    }
}

/* Writes the damaged copy, reads it in a child, tallies the outcome. */
static void try_copy(const unsigned char *data, size_t len, tally *t, const char *what)
{
    char path[96];
    int fd, status, bits;
    pid_t pid;

    snprintf(path, sizeof path, "%s/data.mdb", copy_path);
    unlink(path);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, data, len) != (ssize_t)len) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(2);
    }
    close(fd);
    snprintf(path, sizeof path, "%s/lock.mdb", copy_path);
    unlink(path);
    t->copies++;
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        alarm(ALARM_SECONDS);
        _exit(read_copy());
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid) {
        fprintf(stderr, "fork failed\n");
        exit(2);
    }
    if (WIFSIGNALED(status)) {
        if (WTERMSIG(status) == SIGALRM)
            t->hangs++;
        else
            t->signals++;
        fprintf(stderr, "%s: signal %d\n", what, WTERMSIG(status));
        keep(data, len, t);
        return;
    }
    bits = WEXITSTATUS(status);
    if (bits & WRONG_TEXT) {
        t->wrong_text++;
        fprintf(stderr, "%s: a stored document read back altered\n", what);
    }
    if (bits & SAW_WRONG) {
        keep(data, len, t);
        t->wrong++;
        fprintf(stderr, "%s: silent wrong data%s\n", what,
                bits & CHECK_BAD ? " (check found damage)" : "");
    }
    if ((bits & (SAW_WRONG | SAW_ERROR)) && !(bits & CHECK_BAD)) {
        t->missed++;
        fprintf(stderr, "%s: check said ok, a read did not\n", what);
    }
    if (bits & CHECK_BAD)
        t->detected++;
    else if (!(bits & (SAW_WRONG | SAW_ERROR)))
        t->unchanged++;
}

static tally kinds[K_COUNT], ptypes[P_TYPES];

static void damaged(enum kind k, size_t pg, const unsigned char *data, size_t len,
                    const char *what)
{
    tally before = kinds[k];
    try_copy(data, len, &kinds[k], what);
    if (pg != SIZE_MAX && pg < clean_len / PAGE) {
        tally *t = &ptypes[page_type(pg)];
        t->copies++;
        t->signals += kinds[k].signals - before.signals;
        t->hangs += kinds[k].hangs - before.hangs;
        t->wrong += kinds[k].wrong - before.wrong;
        t->wrong_text += kinds[k].wrong_text - before.wrong_text;
        t->missed += kinds[k].missed - before.missed;
        t->detected += kinds[k].detected - before.detected;
    }
}

static int read_file(const char *path, unsigned char **out, size_t *len)
{
    struct stat st;
    int fd = open(path, O_RDONLY);
    if (fd < 0 || fstat(fd, &st) != 0)
        return -1;
    *out = malloc((size_t)st.st_size);
    *len = (size_t)st.st_size;
    if (!*out || read(fd, *out, *len) != (ssize_t)*len)
        return -1;
    close(fd);
    return 0;
}

static int references(void)
{
    ni_index *idx = NULL;
    int i;
    if (ni_index_open(&idx, clean_path, NULL) < 0 || ni_index_check(NULL, idx) < 0)
        return -1;
    ref_stats = answer_stats(idx);
    for (i = 0; i < NDOCS; i++)
        if (!(ref_get[i] = answer_get(idx, i)))
            return -1;
    for (i = 0; i < (int)NQUERIES; i++)
        if (!(ref_query[i] = answer_query(idx, queries[i])))
            return -1;
    ni_index_close(idx);
    return ref_stats ? 0 : -1;
}

static void print_tally(const char *name, const tally *t)
{
    printf("  %-10s %5u copies: %4u detected by check, %4u read unchanged; %u signals, "
           "%u hangs, %u altered texts, %u other silent wrong answers, %u missed by check\n",
           name, t->copies, t->detected, t->unchanged, t->signals, t->hangs, t->wrong_text,
           t->wrong - t->wrong_text, t->missed);
}

static void damage_suite(void)
{
    const char *env = getenv("DAMAGE_COPIES");
    unsigned want = env ? (unsigned)atoi(env) : DEFAULT_COPIES, n, pages, i;
    unsigned char *copy;
    char what[128], path[96];
    tally all = { 0, 0, 0, 0, 0, 0, 0, 0 };
    size_t pg, off, j;
    int failures = test_failures;

    env = getenv("DAMAGE_SEED");
    rng_state = 0x9e3779b97f4a7c15u;
    CHECK(mkdtemp(dir) != NULL);
    CHECK_RC(build(), 0);
    snprintf(path, sizeof path, "%s/data.mdb", clean_path);
    CHECK(read_file(path, &clean, &clean_len) == 0);
    CHECK_RC(references(), 0);
    if (test_failures != failures)
        return;
    rng_state ^= env ? strtoull(env, NULL, 0) * 0x2545f4914f6cdd1du : 0;
    snprintf(copy_path, sizeof copy_path, "%s/copy", dir);
    mkdir(copy_path, 0755);
    copy = malloc(clean_len);
    pages = (unsigned)(clean_len / PAGE);
    printf("index: %u documents, data.mdb %zu bytes (%u pages)\n", NDOCS, clean_len, pages);

    /* the undamaged copy reads the same (kept as fail-0 with DAMAGE_KEEP) */
    keep(clean, clean_len, &all);
    try_copy(clean, clean_len, &all, "undamaged");
    CHECK(all.unchanged == 1);

    /* cut at every page boundary (the first 2 pages: inside them too) and
     * at a random point inside every fourth page */
    for (i = 0; i < pages && kinds[K_TRUNC].copies < want / 5; i++) {
        snprintf(what, sizeof what, "cut at page %u", i);
        damaged(K_TRUNC, i, clean, (size_t)i * PAGE, what);
        if (i < 2 || i % 4 == 0) {
            off = (size_t)i * PAGE + 1 + rnd() % (PAGE - 1);
            snprintf(what, sizeof what, "cut at byte %zu", off);
            damaged(K_TRUNC, i, clean, off, what);
        }
    }
    /* every page zeroed */
    for (i = 0; i < pages && kinds[K_ZERO].copies < want / 5; i++) {
        memcpy(copy, clean, clean_len);
        memset(copy + (size_t)i * PAGE, 0, PAGE);
        snprintf(what, sizeof what, "page %u (%s) zeroed", i, ptype_names[page_type(i)]);
        damaged(K_ZERO, i, copy, clean_len, what);
    }
    /* one bit flipped, in the page header and its first bytes (node
     * offsets, sizes, keys) half the time, anywhere in the page otherwise */
    for (n = want * 2 / 5; kinds[K_FLIP].copies < n;) {
        pg = pick_page(kinds[K_FLIP].copies);
        off = rnd() % 2 ? rnd() % 64 : rnd() % PAGE;
        memcpy(copy, clean, clean_len);
        copy[pg * PAGE + off] ^= (unsigned char)(1u << (rnd() % 8));
        snprintf(what, sizeof what, "bit flip in page %zu (%s) at %zu", pg,
                 ptype_names[page_type(pg)], off);
        damaged(K_FLIP, pg, copy, clean_len, what);
    }
    /* 1 to 32 random bytes written at a random place of a page */
    while (all.copies + kinds[K_TRUNC].copies + kinds[K_ZERO].copies +
           kinds[K_FLIP].copies + kinds[K_BYTES].copies < want + 1) {
        size_t nb = 1 + rnd() % 32;
        pg = pick_page(kinds[K_BYTES].copies);
        off = rnd() % (PAGE - nb);
        memcpy(copy, clean, clean_len);
        for (j = 0; j < nb; j++)
            copy[pg * PAGE + off + j] = (unsigned char)rnd();
        snprintf(what, sizeof what, "%zu random bytes in page %zu (%s) at %zu", nb, pg,
                 ptype_names[page_type(pg)], off);
        damaged(K_BYTES, pg, copy, clean_len, what);
    }

    for (i = 0; i < K_COUNT; i++) {
        print_tally(kind_names[i], &kinds[i]);
        all.copies += kinds[i].copies;
        all.signals += kinds[i].signals;
        all.hangs += kinds[i].hangs;
        all.wrong += kinds[i].wrong;
        all.wrong_text += kinds[i].wrong_text;
        all.missed += kinds[i].missed;
        all.detected += kinds[i].detected;
        all.unchanged += kinds[i].unchanged;
    }
    printf("by page type:\n");
    for (i = 0; i < P_TYPES; i++)
        print_tally(ptype_names[i], &ptypes[i]);
    print_tally("all", &all);
    CHECK(all.signals == 0);
    CHECK(all.hangs == 0);
    CHECK(all.wrong_text == 0);
    CHECK(all.missed == 0);
    free(copy);
    snprintf(path, sizeof path, "rm -rf '%s'", dir);
    CHECK(system(path) == 0);
}

/* Opens dir/copy holding the first len bytes of the clean file followed
 * by extra zero bytes: the open's rc, its message in msg. */
static int open_cut(size_t len, size_t extra, char *msg, size_t size)
{
    ni_open_options o = NI_OPEN_OPTIONS_INIT;
    ni_index *idx = NULL;
    char path[96];
    FILE *f;
    int rc;
    size_t i;

    snprintf(path, sizeof path, "%s/data.mdb", copy_path);
    if (!(f = fopen(path, "wb")))
        return -100;
    fwrite(clean, 1, len, f);
    for (i = 0; i < extra; i++)
        fputc(0, f);
    fclose(f);
    snprintf(path, sizeof path, "%s/lock.mdb", copy_path);
    unlink(path);
    o.flags = NI_OPEN_READONLY;
    rc = ni_index_open(&idx, copy_path, &o);
    snprintf(msg, size, "%s", rc < 0 ? ni_errmsg() : "");
    ni_index_close(idx);
    return rc;
}

/* The open's file check at its boundaries, in this process (a check that
 * let a short file through would not crash here before a read): the whole
 * file and one with a page more open; one page or one byte less, a meta
 * page cut or with another magic, version or page size are NI_ECORRUPT. */
static void open_check(void)
{
    char msg[300], path[96];
    unsigned char *save;
    size_t last;
    int failures = test_failures;

    CHECK(mkdtemp(dir) != NULL);
    rng_state = 0x9e3779b97f4a7c15u;
    CHECK_RC(build(), 0);
    snprintf(path, sizeof path, "%s/data.mdb", clean_path);
    CHECK(read_file(path, &clean, &clean_len) == 0);
    snprintf(copy_path, sizeof copy_path, "%s/copy", dir);
    mkdir(copy_path, 0755);
    if (test_failures != failures)
        return;
    CHECK_RC(open_cut(clean_len, 0, msg, sizeof msg), 0);
    CHECK_RC(open_cut(clean_len, PAGE, msg, sizeof msg), 0);
    CHECK_RC(open_cut(clean_len - PAGE, 0, msg, sizeof msg), NI_ECORRUPT);
    CHECK(strstr(msg, "(the file was cut short)") != NULL);
    CHECK_RC(open_cut(clean_len - 1, 0, msg, sizeof msg), NI_ECORRUPT);
    CHECK_RC(open_cut(PAGE + 100, 0, msg, sizeof msg), NI_ECORRUPT);
    CHECK(strstr(msg, "ends inside meta page 1") != NULL);
    CHECK_RC(open_cut(100, 0, msg, sizeof msg), NI_ECORRUPT);
    CHECK(strstr(msg, "ends inside meta page 0") != NULL);
    save = malloc(clean_len);
    memcpy(save, clean, clean_len);
    clean[PAGE + 16] ^= 1;                          /* magic of meta page 1 */
    CHECK_RC(open_cut(clean_len, 0, msg, sizeof msg), NI_ECORRUPT);
    CHECK(strstr(msg, "meta page 1 of data.mdb is not an LMDB meta page") != NULL);
    memcpy(clean, save, clean_len);
    clean[20] = 2;                                  /* data version of meta page 0 */
    CHECK_RC(open_cut(clean_len, 0, msg, sizeof msg), NI_ECORRUPT);
    CHECK(strstr(msg, "data version 2") != NULL);
    memcpy(clean, save, clean_len);
    clean[16 + 24 + 1] ^= 0x40;                     /* page size 4096 -> 20480 */
    CHECK_RC(open_cut(clean_len, 0, msg, sizeof msg), NI_ECORRUPT);
    CHECK(strstr(msg, "page size of 20480 bytes") != NULL);
    memcpy(clean, save, clean_len);
    /* a meta page's transaction id damaged: its high byte (LMDB would read
     * the older snapshot), its low bit (the other page's parity) */
    clean[16 + 128 + 7] = 0x40;
    CHECK_RC(open_cut(clean_len, 0, msg, sizeof msg), NI_ECORRUPT);
    CHECK(strstr(msg, "not consecutive ones") != NULL);
    memcpy(clean, save, clean_len);
    clean[16 + 128] ^= 1;
    CHECK_RC(open_cut(clean_len, 0, msg, sizeof msg), NI_ECORRUPT);
    CHECK(strstr(msg, "which meta page 0 cannot hold") != NULL);
    memcpy(clean, save, clean_len);
    /* the newest meta page names one page more than the file has */
    last = le(clean + PAGE + 16 + 128, 8) > le(clean + 16 + 128, 8) ? PAGE : 0;
    clean[last + 16 + 120] = (unsigned char)(clean_len / PAGE);
    CHECK_RC(open_cut(clean_len, 0, msg, sizeof msg), NI_ECORRUPT);
    CHECK(strstr(msg, "cut short") != NULL);
    clean[last + 16 + 120] = (unsigned char)(clean_len / PAGE - 1);
    CHECK_RC(open_cut(clean_len, 0, msg, sizeof msg), 0);
    memcpy(clean, save, clean_len);
    free(save);
    free(clean);
    clean = NULL;
    snprintf(path, sizeof path, "rm -rf '%s'", dir);
    CHECK(system(path) == 0);
    memcpy(dir + strlen(dir) - 6, "XXXXXX", 6);
}

/* Outside LMDB, the library's fault handlers change nothing: a fault and a
 * SIGSEGV or SIGBUS sent by kill() still end the process by that signal
 * (under ASan: through ASan's handler, which reports and exits) once an
 * index was opened (which installs the handlers). */
static void unguarded_faults(void)
{
    int how, status;
    for (how = 0; how < 3; how++) {
        pid_t pid;
        fflush(NULL);
        pid = fork();
        if (pid == 0) {
            char d[] = "/tmp/ni-damage-sig-XXXXXX";
            ni_index *idx = NULL;
            if (!mkdtemp(d) || ni_index_open(&idx, d, NULL) < 0)
                _exit(3);
            if (how == 0)
                raise(SIGSEGV);
            else if (how == 1)
                kill(getpid(), SIGBUS);
            else
                *(volatile int *)(uintptr_t)getenv("NI_NO_SUCH_VARIABLE") = 1;
            _exit(4);
        }
        CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
#if defined(__SANITIZE_ADDRESS__)
        /* the handler before the library's is ASan's: it reports and exits */
        CHECK(!WIFEXITED(status) || (WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 4));
#else
        CHECK(WIFSIGNALED(status) && WTERMSIG(status) == (how == 1 ? SIGBUS : SIGSEGV));
#endif
    }
    CHECK(system("rm -rf /tmp/ni-damage-sig-*") == 0);
}

TEST_MAIN(TEST(open_check), TEST(unguarded_faults), TEST(damage_suite))
