/*
 * Tests of the analyzer: the golden table tests/analyzer_golden.tsv (format
 * at its top), then properties over real and hostile text: offsets inside
 * the input and on UTF-8 boundaries, positions never decreasing,
 * first_position and end_position, function words, the form cache (one
 * word 100,000 times; more distinct forms than the cache holds), the
 * 64 KiB decoding chunks, reuse, and allocation failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsindex.h"
#include "../lib/analyzer.h"
#include "../lib/mem.h"
#include "test.h"

static size_t unescape(const char *s, size_t n, char *out)
{
    size_t i = 0, o = 0;
    while (i < n) {
        if (s[i] == '\\' && i + 1 < n) {
            char c = s[i + 1];
            if (c == 'x' && i + 3 < n) {
                char hex[3] = { s[i + 2], s[i + 3], 0 };
                out[o++] = (char)strtol(hex, NULL, 16);
                i += 4;
                continue;
            }
            out[o++] = c == '0' ? '\0' : c == 't' ? '\t' : c == 'n' ? '\n' : c;
            i += 2;
            continue;
        }
        out[o++] = s[i++];
    }
    return o;
}

/* The tokens of text in the golden format. */
/* Writes the tokens of text[0..n), analysed from position first, to out,
 * each after a space (offsets shifted by base); the length written, or a
 * negative error. */
static long render_at(ni_analyzer *an, const char *text, size_t n, uint32_t first,
                      size_t base, char *out, size_t size)
{
    ni_token t;
    size_t o = 0;
    int rc;
    out[0] = '\0';
    if ((rc = ni_analyzer_start(an, text, n, first)) < 0)
        return rc;
    while ((rc = ni_analyzer_next(an, &t)) == 0) {
        /* a name key without its prefix byte, which the flag K or k shows */
        int name = (t.flags & NI_TOKEN_NAME) && t.term_len;
        o += (size_t)snprintf(out + o, size - o, " %.*s@%u:%zu-%zu",
                              (int)t.term_len - name, t.term + name, t.position,
                              base + t.start, base + t.end);
        if (t.flags) {
            o += (size_t)snprintf(out + o, size - o, "/%s%s%s%s%s%s",
                                  t.flags & NI_TOKEN_COMPOUND ? "C" : "",
                                  t.flags & NI_TOKEN_PART ? "P" : "",
                                  t.flags & NI_TOKEN_NUMBER ? "N" : "",
                                  t.flags & NI_TOKEN_LATIN ? "L" : "",
                                  t.flags & NI_TOKEN_FUNCTION ? "F" : "",
                                  !name ? "" : t.term[0] == NI_NAME_MID ? "K" : "k");
        }
    }
    return rc == NI_DONE ? (long)o : rc;
}

static int render(ni_analyzer *an, const char *text, size_t n, char *out, size_t size)
{
    long o = render_at(an, text, n, 0, 0, out, size);
    if (o > 0)
        memmove(out, out + 1, (size_t)o);   /* no leading space */
    return o < 0 ? (int)o : 0;
}

static void golden(void)
{
    FILE *f = fopen("tests/analyzer_golden.tsv", "r");
    ni_analyzer *an = NULL;
    char line[8192], in[8192], got[16384];
    int cases = 0, bad = 0;

    CHECK(f != NULL);
    if (!f)
        return;
    CHECK_RC(ni_analyzer_new(&an), 0);
    while (fgets(line, sizeof line, f)) {
        char *tab, *want;
        size_t n;
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        tab = strchr(line, '\t');
        if (!tab) {
            fprintf(stderr, "golden: no tab in '%s'\n", line);
            bad++;
            continue;
        }
        want = tab + 1;
        n = unescape(line, (size_t)(tab - line), in);
        cases++;
        if (render(an, in, n, got, sizeof got) < 0 || strcmp(got, want) != 0) {
            fprintf(stderr, "golden: [%.*s]\n  want %s\n  got  %s\n", (int)(tab - line),
                    line, want, got);
            bad++;
        }
    }
    fclose(f);
    ni_analyzer_free(an);
    CHECK(bad == 0);
    CHECK(cases >= 300);
    printf("%d golden cases\n", cases);
}

/* Offsets in bounds and on character starts, positions non-decreasing,
 * terms non-empty and bounded. */
static int well_formed(ni_analyzer *an, const char *s, size_t n, uint32_t first)
{
    ni_token t;
    uint32_t last = first;
    int rc;
    if (ni_analyzer_start(an, s, n, first) < 0)
        return 0;
    while ((rc = ni_analyzer_next(an, &t)) == 0) {
        if (t.start >= t.end || t.end > n || t.position < last ||
            t.term_len == 0 || t.term_len > 2 * NI_MAX_WORD_BYTES + 8 ||
            ((unsigned char)s[t.start] & 0xc0) == 0x80 ||
            (t.end < n && ((unsigned char)s[t.end] & 0xc0) == 0x80))
            return 0;
        last = t.position;
    }
    return rc == NI_DONE && ni_analyzer_end_position(an) >= last;
}

static void properties(void)
{
    static const char *const texts[] = {
        "В Москве подвели итоги обучения первого выпуска «Школы мэров».",
        "\xff\xfe\xc3 \xe2\x82 обрыв\xf0\x9f", "", "   ", "\0\0\0",
        "Ростов-на-Дону--Су-57---COVID-19-", "a-b-c-d-e-f-g-h-i-j-k-l",
        "\xcc\x81\xcc\x81\xc2\xad", "🙂 эмодзи 😀 и 中文 日本語",
    };
    ni_analyzer *an = NULL;
    ni_token t;
    size_t i;

    CHECK_RC(ni_analyzer_new(&an), 0);
    for (i = 0; i < sizeof texts / sizeof texts[0]; i++)
        CHECK(well_formed(an, texts[i], strlen(texts[i]) + (i == 4 ? 3 : 0), 7));
    /* first_position and end_position */
    CHECK_RC(ni_analyzer_start(an, "один два три", strlen("один два три"), 100), 0);
    CHECK_RC(ni_analyzer_next(an, &t), 0);
    CHECK(t.position == 100);
    while (ni_analyzer_next(an, &t) == 0)
        ;
    CHECK(ni_analyzer_end_position(an) == 103);
    /* function words are exactly the listed ones */
    CHECK(ni_is_function_word("для", strlen("для")));
    CHECK(ni_is_function_word("не", strlen("не")));
    CHECK(!ni_is_function_word("москва", strlen("москва")));
    CHECK(!ni_is_function_word("россия", strlen("россия")));
    CHECK(!ni_is_function_word("год", strlen("год")));
    CHECK(!ni_is_function_word(NULL, 0));
    CHECK_RC(ni_analyzer_start(NULL, "x", 1, 0), NI_EINVAL);
    ni_analyzer_free(an);
    ni_analyzer_free(NULL);
}

static void cache_and_chunks(void)
{
    size_t big = 300000 * 12, n = 0, i;
    char *s = malloc(big + 64);
    ni_analyzer *an = NULL;
    ni_token t;
    uint32_t count = 0, last_pos = 0;
    int ok = 1;

    CHECK_RC(ni_analyzer_new(&an), 0);
    /* one form 100,000 times: one term all along */
    for (i = 0; i < 100000; i++) {
        memcpy(s + n, "школы ", strlen("школы "));
        n += strlen("школы ");
    }
    CHECK_RC(ni_analyzer_start(an, s, n, 0), 0);
    while (ni_analyzer_next(an, &t) == 0) {
        ok &= t.term_len == strlen("школ") && memcmp(t.term, "школ", t.term_len) == 0 &&
              t.position == count && t.start == count * strlen("школы ");
        count++;
    }
    CHECK(ok && count == 100000);

    /* 200,000 distinct forms (more than the cache holds): each one right,
     * across many 64 KiB chunks */
    n = 0;
    for (i = 0; i < 200000; i++)
        n += (size_t)snprintf(s + n, big + 64 - n, "слово%zu ", i);
    CHECK_RC(ni_analyzer_start(an, s, n, 0), 0);
    count = 0;
    ok = 1;
    while (ni_analyzer_next(an, &t) == 0) {
        char want[32];
        int wl = snprintf(want, sizeof want, "слово%u", count);
        ok &= t.norm_len == (size_t)wl && memcmp(t.norm, want, (size_t)wl) == 0 &&
              memcmp(s + t.start, want, (size_t)wl) == 0 && t.position == count;
        last_pos = t.position;
        count++;
    }
    CHECK(ok && count == 200000 && last_pos == 199999);
    CHECK(well_formed(an, s, n, 0));
    ni_analyzer_free(an);
    free(s);
}

/* A text with more distinct forms than the cache holds (so it grows, then
 * starts over), with compounds and words too long to keep inline in a cache
 * entry: one analyzer over all of it gives the tokens that analyzers
 * renewed every 1,000 segments (whose caches never fill) give segment by
 * segment; a second pass over the same text (a warm cache) gives them
 * again. */
static void cache_growth(void)
{
    const size_t nseg = 60000, size = nseg * 400;
    char *text = malloc(nseg * 160), *want = malloc(size), *got = malloc(size);
    size_t *seg = malloc((nseg + 1) * sizeof *seg), n = 0, o = 0, i;
    ni_analyzer *big = NULL, *ref = NULL;
    uint32_t pos = 0;
    long r = 0;

    for (i = 0; i < nseg; i++) {
        seg[i] = n;
        n += (size_t)sprintf(text + n, "Село%zu-на-Речке%zu длинноесловонаписанноечерезмногобукв%zu Ёлки%zu. ",
                             i, i % 7, i, i);
    }
    seg[nseg] = n;
    CHECK_RC(ni_analyzer_new(&big), 0);
    for (i = 0; i < nseg && r >= 0; i++) {
        if (i % 1000 == 0) {
            ni_analyzer_free(ref);
            ref = NULL;
            CHECK_RC(ni_analyzer_new(&ref), 0);
        }
        r = render_at(ref, text + seg[i], seg[i + 1] - seg[i], pos, seg[i], want + o, size - o);
        o += r > 0 ? (size_t)r : 0;
        pos = ni_analyzer_end_position(ref);
    }
    CHECK(r >= 0 && pos == nseg * 5);
    CHECK(render_at(big, text, n, 0, 0, got, size) == (long)o && strcmp(got, want) == 0);
    CHECK(render_at(big, text, n, 0, 0, got, size) == (long)o && strcmp(got, want) == 0);
    ni_analyzer_free(ref);
    ni_analyzer_free(big);
    free(seg);
    free(got);
    free(want);
    free(text);
}

/* Words around the 64 KiB decoding boundary, when the text has spaces and
 * when it has none near it (the cut falls between characters then): every
 * word's offsets point at its own bytes, and a two-byte letter is never
 * split.  The shift by one byte moves the boundary inside a letter. */
static void chunk_boundary(void)
{
    size_t size = 3 * 65536, shift;
    char *s = malloc(size + 16);
    ni_analyzer *an = NULL;

    CHECK_RC(ni_analyzer_new(&an), 0);
    for (shift = 0; shift < 4; shift++) {
        int spaces;
        for (spaces = 0; spaces < 2; spaces++) {
            size_t n = shift, count = 0, bytes = 0;
            ni_token t;
            int ok = 1;
            memset(s, 'x', shift);
            if (shift)
                s[shift - 1] = ' ';
            while (n + 12 < size) {
                memcpy(s + n, "жжж", 6);        /* 6 bytes, then a separator */
                s[n + 6] = spaces ? ' ' : ',';
                n += 7;
            }
            CHECK_RC(ni_analyzer_start(an, s, n, 0), 0);
            while (ni_analyzer_next(an, &t) == 0) {
                if (t.start < shift)
                    continue;
                /* whole words «жжж» or, where the cut fell inside a word,
                 * its pieces: each on letter boundaries inside one word */
                ok &= (t.start - shift) / 7 == (t.end - 1 - shift) / 7 &&
                      (t.start - shift) % 7 % 2 == 0 && (t.end - shift) % 7 % 2 == 0 &&
                      t.end - t.start == t.norm_len &&
                      memcmp(s + t.start, t.norm, t.norm_len) == 0;
                bytes += t.end - t.start;
                count++;
            }
            CHECK(ok);
            /* every letter is in exactly one token */
            CHECK(bytes == (n - shift) / 7 * 6);
            if (spaces)
                CHECK(count == (n - shift) / 7);
            else
                CHECK(count >= (n - shift) / 7 && count <= (n - shift) / 7 + 3);
        }
    }
    ni_analyzer_free(an);
    free(s);
}

/* Allocation N = 1, 2, ... fails: every run ends in NI_ENOMEM or in the
 * right tokens, and the same analyzer then analyses the text right; the loop
 * ends with the first run that made fewer than N allocations (untouched).
 * Leaks show under ASan. */
/* The rubric term: prefix and normalised words joined by one space, the
 * parts of a compound left out, cut at NI_MAX_WORD_BYTES * 2 bytes. */
static void rubric_term(void)
{
    ni_analyzer *an = NULL;
    ni_buf out = NI_BUF_INIT;
    char in[600];
    size_t p = sizeof NI_RUBRIC_PREFIX - 1, max = NI_MAX_WORD_BYTES * 2, i;
    const char *s;

    CHECK_RC(ni_analyzer_new(&an), 0);
    if (!an)
        return;
    s = "ОБЩЕСТВО  и Ёлки";
    CHECK(ni_rubric_term(an, &out, s, strlen(s)) == 1);
    CHECK(out.len == p + strlen("общество и елки") &&
          memcmp(out.data, NI_RUBRIC_PREFIX "общество и елки", out.len) == 0);
    s = "Ростов-на-Дону";
    CHECK(ni_rubric_term(an, &out, s, strlen(s)) == 1);
    CHECK(out.len == p + strlen("ростов-на-дону") &&
          memcmp(out.data + p, "ростов-на-дону", out.len - p) == 0);
    s = " «» — ";
    CHECK(ni_rubric_term(an, &out, s, strlen(s)) == 0);
    CHECK(ni_rubric_term(an, &out, "", 0) == 0);
    /* words of 9 letters and a space: the term reaches max - 1, max, max + 1
     * bytes with the prefix; only the last is cut, to max */
    for (i = 0; i < 3; i++) {
        size_t want = max - 1 + i, n = 0;
        while (p + n + 10 <= want) {
            memcpy(in + n, n ? " aaaaaaaaa" : "aaaaaaaaaa", 10);
            n += 10;
        }
        memset(in + n, 'b', want - p - n);
        n = want - p;
        CHECK(ni_rubric_term(an, &out, in, n) == 1);
        CHECK(out.len == (want > max ? max : want));
    }
    ni_buf_free(&out);
    ni_analyzer_free(an);
}

/* ni_utf8_len, which snippets use to copy only well-formed UTF-8: every
 * boundary of every sequence length, on both sides. */
static void utf8_len(void)
{
    static const struct { const char *s; size_t n; size_t want; } c[] = {
        { "\x00", 1, 1 }, { "\x7f", 1, 1 },
        { "\x80", 1, 0 }, { "\xbf", 1, 0 },                 /* continuation bytes */
        { "\xc0\x80", 2, 0 }, { "\xc1\xbf", 2, 0 },         /* overlong 2-byte */
        { "\xc2\x80", 2, 2 }, { "\xdf\xbf", 2, 2 },         /* U+0080, U+07FF */
        { "\xd0\xb0", 2, 2 }, { "\xd0\xb0", 1, 0 },         /* «а», cut short */
        { "\xd0\x41", 2, 0 }, { "\xd0\xc0", 2, 0 },         /* bad continuation */
        { "\xe0\x9f\xbf", 3, 0 }, { "\xe0\xa0\x80", 3, 3 }, /* overlong / U+0800 */
        { "\xed\x9f\xbf", 3, 3 }, { "\xed\xa0\x80", 3, 0 }, /* U+D7FF / U+D800 */
        { "\xed\xbf\xbf", 3, 0 }, { "\xee\x80\x80", 3, 3 }, /* U+DFFF / U+E000 */
        { "\xef\xbf\xbf", 3, 3 }, { "\xef\xbf\xbf", 2, 0 }, /* U+FFFF, cut short */
        { "\xf0\x8f\xbf\xbf", 4, 0 }, { "\xf0\x90\x80\x80", 4, 4 }, /* overlong / U+10000 */
        { "\xf4\x8f\xbf\xbf", 4, 4 }, { "\xf4\x90\x80\x80", 4, 0 }, /* U+10FFFF / past */
        { "\xf5\x80\x80\x80", 4, 0 }, { "\xff", 1, 0 },
        { "\xf0\x9f\x98\x80", 3, 0 }, { "\xf0\x9f\x98\x80x", 5, 4 }, /* emoji cut / whole */
    };
    size_t i;
    for (i = 0; i < sizeof c / sizeof c[0]; i++) {
        size_t got = ni_utf8_len((const unsigned char *)c[i].s, c[i].n);
        if (got != c[i].want) {
            fprintf(stderr, "case %zu: ni_utf8_len = %zu, want %zu\n", i, got, c[i].want);
            CHECK(got == c[i].want);
        }
    }
}

/* The normal forms and flags of text's tokens, "norm/flags " each. */
static int norms(ni_analyzer *an, const char *text, char *out, size_t size)
{
    ni_token t;
    size_t o = 0;
    int rc = ni_analyzer_start(an, text, strlen(text), 0);
    out[0] = '\0';
    while (rc == 0 && (rc = ni_analyzer_next(an, &t)) == 0 && o < size)
        o += (size_t)snprintf(out + o, size - o, "%.*s/%x ", (int)t.norm_len, t.norm, t.flags);
    return rc == NI_DONE ? 0 : rc;
}

/* The analyzer folds words of ASCII letters and digits, А..я and Ё/ё itself,
 * without ICU's normaliser: each such character, and each beside the ranges,
 * gives the same normal form in a word of its own ("f" c "f") as in a word
 * that goes through the normaliser (fullwidth "ｆ" c "ｆ", which folds to
 * "f" c "f"). */
static void simple_fold(void)
{
    static const unsigned ranges[][2] = { { 0x21, 0x7e }, { 0x3ff, 0x460 } };
    char simple[64], icu[64], want[256], got[256];
    ni_analyzer *an;
    size_t r;
    unsigned c;
    int bad = 0, cases = 0;

    CHECK_RC(ni_analyzer_new(&an), 0);
    for (r = 0; r < sizeof ranges / sizeof ranges[0]; r++)
        for (c = ranges[r][0]; c <= ranges[r][1]; c++) {
            char ch[4] = { 0 };
            if (c < 0x80) {
                ch[0] = (char)c;
            } else {
                ch[0] = (char)(0xc0 | (c >> 6));
                ch[1] = (char)(0x80 | (c & 0x3f));
            }
            snprintf(simple, sizeof simple, "f%sf", ch);
            snprintf(icu, sizeof icu, "\xef\xbd\x86%s\xef\xbd\x86", ch);
            cases++;
            if (norms(an, icu, want, sizeof want) != 0 || norms(an, simple, got, sizeof got) != 0 ||
                strcmp(got, want) != 0) {
                fprintf(stderr, "U+%04X: via ICU '%s', simple '%s'\n", c, want, got);
                bad++;
            }
        }
    CHECK(bad == 0);
    CHECK(cases == 94 + 98);
    /* a capital beside the ranges folds too, through ICU */
    CHECK_RC(norms(an, "ÀБ Ѐа", got, sizeof got), 0);
    CHECK(strncmp(got, "àб/", 5) == 0 && strstr(got, " ѐа/") != NULL);
    ni_analyzer_free(an);
}

static void allocation_failure(void)
{
    const char *text = "Ростов-на-Дону: «Школа мэров» открыла 2-й поток, ёлка и Mосква.";
    size_t n = strlen(text);
    char want[4096], got[4096];
    ni_analyzer *an;
    uint64_t k, made = 0;
    int rc = 0, ok = 1;

    CHECK_RC(ni_analyzer_new(&an), 0);
    CHECK_RC(render(an, text, n, want, sizeof want), 0);
    ni_analyzer_free(an);
    for (k = 1; k < 100000; k++) {
        an = NULL;
        ni_mem_fail_at(k, 0);
        rc = ni_analyzer_new(&an);
        if (rc == 0)
            rc = render(an, text, n, got, sizeof got);
        made = ni_mem_fail_at(0, 0);
        ok &= rc == NI_ENOMEM || (rc == 0 && strcmp(got, want) == 0);
        if (an) {
            /* after a failure the analyzer is still usable */
            ok &= render(an, text, n, got, sizeof got) == 0 && strcmp(got, want) == 0;
            ni_analyzer_free(an);
        }
        if (made < k)
            break;
    }
    CHECK(ok);
    CHECK(rc == 0 && made < k && k > 3);
}

TEST_MAIN(TEST(golden), TEST(properties), TEST(cache_and_chunks), TEST(cache_growth), TEST(chunk_boundary),
          TEST(utf8_len), TEST(rubric_term), TEST(simple_fold), TEST(allocation_failure))
