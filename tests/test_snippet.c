/*
 * Unit tests of snippet making (lib/snippet.c): every inflected form of a
 * query word highlighted at its exact byte offsets, compounds whole or by
 * a part, the window at the start and at the end of a text, the context
 * kept before the first match (30 characters) and max_chars on both sides
 * of each boundary, the window with the most distinct terms, UTF-8 never
 * cut inside a character (also at the scan limit), the first part of a
 * long text read alone when a word matches there (both sides of the cut),
 * bad bytes and control characters cleaned with the highlights still in
 * place, and empty text.
 *
 * Results are compared as the passage with each highlighted range in
 * brackets, so "[Школы] мэров" is a passage whose bytes 0..10 are
 * highlighted.
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/analyzer.h"
#include "../lib/mem.h"
#include "../lib/snippet.h"
#include "../lib/snipscan.h"
#include "test.h"

static ni_analyzer *an;
static ni_buf terms = NI_BUF_INIT, out_text = NI_BUF_INIT, out_ranges = NI_BUF_INIT;
static char got[4096];

static void add_term(const char *term, size_t len)
{
    ni_buf_putc(&terms, (unsigned char)(len >> 8));
    ni_buf_putc(&terms, (unsigned char)len);
    ni_buf_put(&terms, term, len);
}

/* The terms of the words of query (compound parts left out, as a search
 * does for a word), in the snippet's term list format: as a search of a
 * name does, each word's term and its name key with both prefixes. */
static void set_query(const char *query)
{
    ni_token tok;
    terms.len = 0;
    if (!an && ni_analyzer_new(&an) < 0)
        exit(2);
    ni_analyzer_set_query(an, 1);
    if (ni_analyzer_start(an, query, strlen(query), 0) < 0)
        exit(2);
    while (ni_analyzer_next(an, &tok) == 0) {
        char start[256];
        if (tok.flags & NI_TOKEN_PART)
            continue;
        add_term(tok.term, tok.term_len);
        if (!(tok.flags & NI_TOKEN_NAME) || tok.term_len > sizeof start)
            continue;
        memcpy(start, tok.term, tok.term_len);
        start[0] = NI_NAME_START;
        add_term(start, tok.term_len);
    }
    ni_analyzer_set_query(an, 0);   /* the text is read as a document */
}

/* 1 when out_text and out_ranges are what ni_snippet_make_exhaustive
 * gives for text[0..len) and the terms (every case here checks that the
 * pieces snipscan finds give the passage the whole text gives). */
static int same_as_exhaustive(const char *text, size_t len, size_t max)
{
    static ni_buf t = NI_BUF_INIT, r = NI_BUF_INIT;
    if (ni_snippet_make_exhaustive(an, text, len, &terms, max, &t, &r) < 0)
        return 0;
    return t.len == out_text.len && r.len == out_ranges.len &&
           (!t.len || memcmp(t.data, out_text.data, t.len) == 0) &&
           (!r.len || memcmp(r.data, out_ranges.data, r.len) == 0);
}

/* The passage of text[0..len) for query with its ranges bracketed (in
 * got), or "ERR"; NULL text with len 0 allowed. */
static const char *snip_n(const char *text, size_t len, const char *query, size_t max)
{
    const size_t *r;
    size_t i, n = 0, nr, at = 0;
    set_query(query);
    /* a failure is what got holds too: callers test got */
    if (ni_snippet_make(an, text, len, &terms, max, &out_text, &out_ranges) < 0)
        return strcpy(got, "ERR");
    if (!same_as_exhaustive(text, len, max))
        return strcpy(got, "NOT AS EXHAUSTIVE");
    r = (const size_t *)(void *)out_ranges.data;
    nr = out_ranges.len / (2 * sizeof *r);
    for (i = 0; i < nr; i++) {
        if (r[2 * i] < at || r[2 * i] > r[2 * i + 1] || r[2 * i + 1] > out_text.len)
            return strcpy(got, "BAD RANGES");
        memcpy(got + n, out_text.data + at, r[2 * i] - at);
        n += r[2 * i] - at;
        got[n++] = '[';
        memcpy(got + n, out_text.data + r[2 * i], r[2 * i + 1] - r[2 * i]);
        n += r[2 * i + 1] - r[2 * i];
        got[n++] = ']';
        at = r[2 * i + 1];
    }
    memcpy(got + n, out_text.data + at, out_text.len - at);
    got[n + out_text.len - at] = '\0';
    return got;
}

static const char *snip(const char *text, const char *query, size_t max)
{
    return snip_n(text, strlen(text), query, max);
}

#define SNIP_IS(text, query, max, want) do { const char *g_ = snip(text, query, max); \
    if (strcmp(g_, want) != 0) { test_failures++; \
        fprintf(stderr, "%s:%d: snippet of '%s' for '%s' (%zu):\n  got  '%s'\n  want '%s'\n", \
                __FILE__, __LINE__, text, query, (size_t)(max), g_, want); } } while (0)

/* Characters (UTF-8 lead bytes) of s. */
static size_t nchars(const char *s, size_t n)
{
    size_t i, c = 0;
    for (i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xc0) != 0x80;
    return c;
}

/* 1 when s[0..n) is valid UTF-8 without control characters. */
static int clean_utf8(const unsigned char *s, size_t n)
{
    size_t i = 0, k, len;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x20 || c == 0x7f)
            return 0;
        len = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3
            : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
        if (!len || i + len > n)
            return 0;
        for (k = 1; k < len; k++)
            if ((s[i + k] & 0xc0) != 0x80)
                return 0;
        i += len;
    }
    return 1;
}

static void empty_text(void)
{
    ni_buf_put(&out_text, "old", 3);
    SNIP_IS("", "школа", 100, "");
    CHECK(out_text.len == 0 && out_ranges.len == 0);
    CHECK(strcmp(snip_n(NULL, 0, "школа", 100), "") == 0);
    /* no words at all */
    SNIP_IS(" ... !!! ", "школа", 100, "");
    /* no query terms: the start of the text, nothing highlighted */
    SNIP_IS("Школа мэров открылась", "", 100, "Школа мэров открылась");
    SNIP_IS("Школа мэров открылась", "мост", 100, "Школа мэров открылась");
}

static void inflected_forms(void)
{
    SNIP_IS("Школа, школы, школе, школу, школой, о школах и ШКОЛАМИ.", "школа", 200,
            "[Школа], [школы], [школе], [школу], [школой], о [школах] и [ШКОЛАМИ]");
    SNIP_IS("Ёлка, ёлки, елку и Елкой украсили", "ёлка", 200,
            "[Ёлка], [ёлки], [елку] и [Елкой] украсили");
    SNIP_IS("Ёлка, ёлки, елку и Елкой украсили", "елки", 200,
            "[Ёлка], [ёлки], [елку] и [Елкой] украсили");
    /* two query words, each with its forms; other words untouched */
    SNIP_IS("В школе мэров мэр рассказал о мэрах", "школа мэров", 200,
            "В [школе] [мэров] [мэр] рассказал о [мэрах]");
    /* Latin words are stemmed as English */
    SNIP_IS("Schools and school teachers", "school", 200,
            "[Schools] and [school] teachers");
}

static void compounds(void)
{
    /* the whole compound is highlighted whole */
    SNIP_IS("Мост в Ростове-на-Дону открыли", "Ростове-на-Дону", 200,
            "Мост в [Ростове-на-Дону] открыли");
    /* a part: only the part */
    SNIP_IS("Мост в Ростове-на-Дону открыли", "Ростове", 200,
            "Мост в [Ростове]-на-Дону открыли");
    SNIP_IS("Мост в Ростове-на-Дону открыли", "Дон", 200,
            "Мост в Ростове-на-[Дону] открыли");
    /* the whole and a part asked for: the whole, once */
    SNIP_IS("Мост в Ростове-на-Дону открыли", "Ростове-на-Дону Дон", 200,
            "Мост в [Ростове-на-Дону] открыли");
}

/* The passage starts at the first word of the match's context and ends
 * with a word, never with what follows it. */
static void text_start_and_end(void)
{
    SNIP_IS("Школа мэров открылась в среду.", "школа", 200,
            "[Школа] мэров открылась в среду");
    SNIP_IS("«Школа мэров» открылась", "школа", 200, "[Школа] мэров» открылась");
    /* a match at the end: at most 30 characters of context before it */
    SNIP_IS("слово слово слово слово слово слово слово слово слово слово школа.", "школа", 200,
            "слово слово слово слово слово [школа]");
    SNIP_IS("слово слово слово слово слово слово слово слово слово слово школа", "школа", 11,
            "слово [школа]");
}

/* Context before the match: a word starting 30 characters before it is
 * kept, one starting 31 before is not. */
static void lead_boundary(void)
{
    /* 26 + 1 + 2 + 1 = 30 characters from the first word to the match */
    SNIP_IS("ааааааааааааааааааааааааaa бб школа", "школа", 200,
            "ааааааааааааааааааааааааaa бб [школа]");
    SNIP_IS("аааааааааааааааааааааааааaa бб школа", "школа", 200, "бб [школа]");
    /* the context must leave the match in the window */
    SNIP_IS("один два школа три", "школа", 14, "один два [школа]");
    SNIP_IS("один два школа три", "школа", 13, "два [школа] три");
    SNIP_IS("один два школа три", "школа", 9, "два [школа]");
    SNIP_IS("один два школа три", "школа", 8, "[школа]");
}

/* max_chars on both sides of each word's end; words wider than it. */
static void max_chars_boundary(void)
{
    static const char text[] = "школа один два три четыре";
    SNIP_IS(text, "школа", 25, "[школа] один два три четыре");
    SNIP_IS(text, "школа", 24, "[школа] один два три");
    SNIP_IS(text, "школа", 18, "[школа] один два три");
    SNIP_IS(text, "школа", 17, "[школа] один два");
    SNIP_IS(text, "школа", 14, "[школа] один два");
    SNIP_IS(text, "школа", 13, "[школа] один");
    SNIP_IS(text, "школа", 10, "[школа] один");
    SNIP_IS(text, "школа", 9, "[школа]");
    SNIP_IS(text, "школа", 5, "[школа]");
    /* a word wider than max_chars is shown whole, alone */
    SNIP_IS(text, "школа", 4, "[школа]");
    SNIP_IS(text, "школа", 1, "[школа]");
    /* a word of 8 letters, then 100 of 5: k of them end 8 + 6k characters
     * from its start (200 for 32, 206 for 33); max_chars 0 is 200 */
    {
        char big[1500];
        size_t n = 0, i, w[][2] = { { 0, 200 }, { 200, 200 }, { 199, 194 }, { 205, 200 },
                                   { 206, 206 } };
        n += (size_t)snprintf(big, sizeof big, "абвгдежз");
        for (i = 0; i < 100; i++)
            n += (size_t)snprintf(big + n, sizeof big - n, " слово");
        for (i = 0; i < sizeof w / sizeof w[0]; i++) {
            snip(big, "слово", w[i][0]);
            CHECK(nchars((const char *)out_text.data, out_text.len) == w[i][1]);
            CHECK(out_ranges.len == (w[i][1] - 8) / 6 * 2 * sizeof(size_t));
            CHECK(memcmp(out_text.data, "абвгдежз", 16) == 0);
        }
    }
}

/* The window with the most distinct terms wins, then the most matches,
 * then the earliest. */
static void best_window(void)
{
    SNIP_IS("школа а б в г д е ж з и к л м н о п р с т у ф х ц ч ш щ э ю я школа мэров",
            "школа мэров", 50, "о п р с т у ф х ц ч ш щ э ю я [школа] [мэров]");
    SNIP_IS("мэров а б в г д е ж з и к л м н о п р с т у ф х ц ч ш щ э ю я школа школа",
            "школа мэров", 50, "о п р с т у ф х ц ч ш щ э ю я [школа] [школа]");
    SNIP_IS("мэров а б в г д е ж з и к л м н о п р с т у ф х ц ч ш щ э ю я школа",
            "школа мэров", 20, "[мэров] а б в г д е ж");
    /* the context before the window never pushes its distinct terms out
     * (repeats may go) */
    SNIP_IS("школа а б в г д е ж з и к л м н о п р с т у ф х ц ч ш щ э ю я школа мэров",
            "школа мэров", 20, "щ э ю я [школа] [мэров]");
    SNIP_IS("мэров а б в г д е ж з и к л м н о п р с т у ф х ц ч ш щ э ю я школа школа",
            "школа мэров", 20, "ц ч ш щ э ю я [школа]");
    /* a window exactly max_chars wide counts its last word */
    SNIP_IS("школа аа мэров а б в г д е ж з и к л м н о п р с т у ф х ц ч ш щ э ю я "
            "школа мэров", "школа мэров", 14, "[школа] аа [мэров]");
    /* two distinct terms beat three matches of one */
    SNIP_IS("школа школа школа а б в г д е ж з и к л м н о п р с т у ф х ц ч ш щ э ю я "
            "школа мэров", "школа мэров", 50,
            "о п р с т у ф х ц ч ш щ э ю я [школа] [мэров]");
}

/* Control characters become spaces and bad bytes U+FFFD; the ranges
 * follow the bytes as written. */
static void cleaning(void)
{
    SNIP_IS("школа\tшколы\nшколе", "школа", 100, "[школа] [школы] [школе]");
    SNIP_IS("школа \xff школы", "школа", 100, "[школа] \xef\xbf\xbd [школы]");
    SNIP_IS("школа \xd0 школы \xe2\x82 школе", "школа", 100,
            "[школа] \xef\xbf\xbd [школы] \xef\xbf\xbd\xef\xbf\xbd [школе]");
    SNIP_IS("школа\x7f\x01школы", "школа", 100, "[школа]  [школы]");
    /* overlong forms, a surrogate, past U+10FFFF: one U+FFFD a byte */
    SNIP_IS("школа \xc0\xaf школы \xe0\x80\xaf школе", "школа", 100,
            "[школа] \xef\xbf\xbd\xef\xbf\xbd [школы] "
            "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd [школе]");
    SNIP_IS("школа \xed\xa0\x80 школы \xf4\x90\x80\x80 школе", "школа", 100,
            "[школа] \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd [школы] "
            "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd [школе]");
    /* four-byte characters are kept */
    SNIP_IS("школа 😀 школы", "школа", 100, "[школа] 😀 [школы]");
    CHECK(clean_utf8(out_text.data, out_text.len));
}

/* Cyrillic, Greek, CJK and emoji text under every max_chars: the passage
 * is valid UTF-8, a piece of the text cut at character boundaries, and
 * no wider than max_chars unless it is a single word. */
static void utf8_boundaries(void)
{
    static const char text[] =
        "Мэр 北京 city школа αβγ 😀smile школы ёж-ёжик école школе 中文字 конец";
    size_t max;
    int ok = 1;
    for (max = 1; max <= 80; max++) {
        const char *p;
        snip(text, "школа", max);
        p = out_text.len ? memmem(text, sizeof text - 1, out_text.data, out_text.len) : NULL;
        ok &= p != NULL && clean_utf8(out_text.data, out_text.len);
        if (!p)
            continue;
        ok &= ((unsigned char)p[0] & 0xc0) != 0x80;
        ok &= ((unsigned char)p[out_text.len] & 0xc0) != 0x80;   /* text ends in NUL */
        ok &= nchars(p, out_text.len) <= max || !memchr(p, ' ', out_text.len);
        ok &= strchr(got, '[') != NULL;
    }
    CHECK(ok);
}

/* Only the first NI_SNIPPET_SCAN bytes are read, even when that cuts a
 * character: the passage still ends on a character boundary. */
static void scan_limit(void)
{
    size_t len = NI_SNIPPET_SCAN + 100, i;
    char *text = malloc(len + 1);
    /* "x", then two-byte "ш" at odd offsets (words of 19, two spaces
     * between): the limit falls inside one */
    text[0] = 'x';
    for (i = 1; i + 2 <= len; i += 2)
        memcpy(text + i, (i - 1) / 2 % 20 == 19 ? "  " : "ш", 2);
    text[len - 1] = ' ';
    text[len] = '\0';
    memcpy(text + len - 20, " школа ", 12);
    snip_n(text, len, "школа", 200);
    CHECK(strchr(got, '[') == NULL);          /* the match is past the limit */
    CHECK(out_text.len > 0 && clean_utf8(out_text.data, out_text.len));
    /* a match just before the limit; the text cut in the word after it */
    memcpy(text + NI_SNIPPET_SCAN - 41, " школа ", 12);
    memcpy(text + NI_SNIPPET_SCAN - 29, "шшшшшшшшшшшшшшш", 30);
    snip_n(text, len, "школа", 200);
    CHECK(strstr(got, "[школа] шшшшшшшшшшшшшш") != NULL);
    CHECK(clean_utf8(out_text.data, out_text.len));
    CHECK(out_text.len >= 28 && memcmp(out_text.data + out_text.len - 28,
                                       "шшшшшшшшшшшшшш", 28) == 0);
    CHECK(memmem(out_text.data, out_text.len, "\xef\xbf\xbd", 3) == NULL);
    free(text);
}

/* A text of n bytes: "xx " words, then what the test writes into it. */
static char *filler(size_t n)
{
    char *t = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        t[i] = i % 3 == 2 ? ' ' : 'x';
    t[n] = '\0';
    return t;
}

/* A text longer than NI_SNIPPET_FIRST: its passage comes from its first
 * NI_SNIPPET_FIRST bytes when a word matches there (even when a better
 * window lies further on), else from the whole text; a word ending at the
 * cut is in the first part, a word across it is not. */
static void first_part(void)
{
    size_t len = NI_SNIPPET_FIRST + 3000, f = NI_SNIPPET_FIRST;
    char *t = filler(len);
    memcpy(t + 300, "школа ", 11);
    memcpy(t + f + 600, " школа мэров ", 23);
    snip_n(t, len, "школа мэров", 60);
    CHECK(strstr(got, "[школа]") && !strstr(got, "[мэров]"));
    /* no match in the first part: the whole text */
    memcpy(t + 300, "xx xx ", 6);
    snip_n(t, len, "школа мэров", 60);
    CHECK(strstr(got, "[школа] [мэров]") != NULL);
    free(t);

    /* "школа" ends at the cut (a space at NI_SNIPPET_FIRST), "мэров" after
     * it: the first part holds only «школа» */
    t = filler(len);
    memcpy(t + f - 11, " школа мэров ", 23);
    snip_n(t, len, "школа мэров", 60);
    CHECK(strstr(got, "[школа]") && !strstr(got, "мэров"));
    free(t);
    /* one byte later it crosses the cut: left out of the first part, which
     * then matches nothing, so the whole text is read */
    t = filler(len);
    memcpy(t + f - 10, " школа мэров ", 23);
    snip_n(t, len, "школа мэров", 60);
    CHECK(strstr(got, "[школа] [мэров]") != NULL);
    free(t);
    /* a text of exactly NI_SNIPPET_FIRST bytes is read whole */
    t = filler(f);
    memcpy(t + 300, "школа ", 11);
    memcpy(t + f - 22, " школа мэров", 22);
    snip_n(t, f, "школа мэров", 60);
    CHECK(strstr(got, "[школа] [мэров]") != NULL);
    free(t);
}

/* Random texts of tricky pieces (inflections, capitals after and inside
 * sentences, Latin look-alikes, stress marks, soft hyphens, ё, compounds,
 * numbers, emoji, marks the word breaks attach, letters the scan does not
 * know, bad bytes, long texts past the first part) under several queries
 * and widths: the scan's passage is always the whole text's. */
static void scan_as_exhaustive(void)
{
    static const char *const pieces[] = {
        "школа", "Школы", "ШКОЛЕ", "шк\x6fла", "шко\xcc\x81ла", "шко\xc2\xadлой", "Путин",
        "Путина", "путину", "ПУТИН", "Ростов-на-Дону", "ростова-на-дону", "Дону", "ёлка",
        "Ёлки", "елку", "мэр", "мэров", "Мэрия", "10,5", "2024", "т.е.", "А.В.Путин",
        "школа\xef\xb8\x8f", "\xe2\x83\xa3школа", "\xef\xb8\x8fпутин", "\xe2\x80\x8eшкола",
        "і", "café", "№5", "_школа", "школа_", "school", "Schools", "\xff", "\xd0", "слово",
        "и", "в", "🔴", "❤️", "🇷🇺", "x", "Пyтин", "PUTIN",
    };
    static const char *const seps[] = {
        " ", " ", " ", ". ", "! ", "? ", ", ", ": ", "\n", " — ", " «", "» ", "… ", "\xc2\xa0",
        "-", ".", "\t", "  ", " (", ") ", "\xe2\x80\xa8", " 🔴 ", "'",
    };
    static const char *const queries[] = {
        "школа", "путин", "Путин", "ростов-на-дону", "дон", "школа путин", "ёлка мэр", "10,5",
        "school", "мэров школа ёлка", "слово", "т",
    };
    static const size_t widths[] = { 1, 13, 30, 60, 200, 240, NI_SNIPPET_WHOLE };
    uint64_t x = 12345;
    size_t round, n_rounds = 3000, bad = 0, cap = NI_SNIPPET_FIRST + 4000;
    char *text = malloc(cap + 64);
    for (round = 0; round < n_rounds; round++) {
        size_t len = 0, target;
        x = x * 6364136223846793005u + 1442695040888963407u;
        target = (x >> 33) % 8 == 0 ? NI_SNIPPET_FIRST - 200 + (x >> 40) % 4000 : (x >> 40) % 600;
        while (len < target) {
            const char *w, *sep;
            x = x * 6364136223846793005u + 1442695040888963407u;
            w = pieces[(x >> 33) % (sizeof pieces / sizeof pieces[0])];
            sep = seps[(x >> 45) % (sizeof seps / sizeof seps[0])];
            if ((x >> 20) % 4 && target > 1000)
                w = "слово";
            memcpy(text + len, w, strlen(w));
            len += strlen(w);
            memcpy(text + len, sep, strlen(sep));
            len += strlen(sep);
        }
        for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
            size_t wd = widths[(round + q) % (sizeof widths / sizeof widths[0])];
            set_query(queries[q]);
            if (ni_snippet_make(an, text, len, &terms, wd, &out_text, &out_ranges) < 0 ||
                !same_as_exhaustive(text, len, wd)) {
                if (bad++ < 3)
                    fprintf(stderr, "scan_as_exhaustive: round %zu query '%s' width %zu:\n%.*s\n",
                            round, queries[q], wd, (int)len, text);
            }
        }
    }
    CHECK(bad == 0);
    free(text);
}

/* Every character snipscan takes for a separator (not a place to analyse)
 * yields no token of its own, as the analyzer reads it. */
static void scan_separators(void)
{
    ni_snipscan sc = NI_SNIPSCAN_INIT;
    size_t *at = NULL, n = 0, cap = 0, checked = 0;
    unsigned cp;
    int ok = 1;
    terms.len = 0;
    add_term("а", 2);
    CHECK(ni_snipscan_terms(&sc, &terms) == 0);
    for (cp = 0x80; cp < 0x20000; cp++) {
        char u[4];
        size_t len;
        ni_token tok;
        if ((cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x400 && cp <= 0x4ff) ||
            (cp >= 0xc0 && cp <= 0xff))
            continue;   /* surrogates; Cyrillic and Latin-1 letters fold */
        if (cp < 0x800) {
            u[0] = (char)(0xc0 | cp >> 6);
            u[1] = (char)(0x80 | (cp & 0x3f));
            len = 2;
        } else if (cp < 0x10000) {
            u[0] = (char)(0xe0 | cp >> 12);
            u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
            u[2] = (char)(0x80 | (cp & 0x3f));
            len = 3;
        } else {
            u[0] = (char)(0xf0 | cp >> 18);
            u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
            u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
            u[3] = (char)(0x80 | (cp & 0x3f));
            len = 4;
        }
        if (ni_snipscan_find(&sc, u, 0, len, &at, &n, &cap) != 0 || n != 0)
            continue;   /* not known: a place, analysed */
        checked++;
        if (ni_analyzer_start(an, u, len, 0) < 0 || ni_analyzer_next(an, &tok) != NI_DONE) {
            if (ok)
                fprintf(stderr, "scan_separators: U+%04X yields a token\n", cp);
            ok = 0;
        }
    }
    CHECK(ok);
    CHECK(checked > 2000);
    ni_mem_free(at);
    ni_snipscan_free(&sc);
}

static void cleanup(void)
{
    ni_analyzer_free(an);
    ni_buf_free(&terms);
    ni_buf_free(&out_text);
    ni_buf_free(&out_ranges);
}

int main(void)
{
    static const test_case t[] = {
        TEST(empty_text), TEST(inflected_forms), TEST(compounds), TEST(text_start_and_end),
        TEST(lead_boundary), TEST(max_chars_boundary), TEST(best_window), TEST(cleaning),
        TEST(utf8_boundaries), TEST(scan_limit), TEST(first_part), TEST(scan_as_exhaustive),
        TEST(scan_separators),
    };
    int rc = test_run(t, (int)(sizeof t / sizeof t[0]));
    cleanup();
    return rc;
}
