/*
 * snipscan.c - the places of a text where a query term's word can be,
 * from its bytes alone (snipscan.h).  A snippet used to analyse every word
 * of a hit's text to find the few that match; most of a search's time went
 * there (bench/README.md, "nsearch serve").  This scan finds a superset of
 * the matching words' places by comparing folded characters, so snippet.c
 * analyses only those places and the passage it shows.
 *
 * Why a superset: a word yields a term when the analyzer's normal form of
 * it (NFKC + case folding, ё → е, Latin look-alikes made Cyrillic in a
 * Cyrillic word, soft hyphens, zero-width characters and stress marks
 * dropped; analyzer.c) stems to the term, and the Russian stemmer only
 * removes endings, so the term is a prefix of the normal form; a name key
 * is a prefix of it too, and a compound's term begins with its first
 * part's.  For text made of ASCII, а..я, А..Я, Ёё and a list of
 * punctuation, the normal form of a word is its characters folded one by
 * one as fold() does (with Latin look-alikes always made Cyrillic, which
 * only adds places), so the folded text holds each term's core where the
 * word begins.  Latin-1 letters are letters in no core.  Every other
 * character (other letters, combining marks other than stress, symbols
 * not on the list, bad UTF-8) is a place itself: the word holding it is
 * analysed, whatever its normal form.  The scan is unsure only of where a
 * piece may start (ni_snipscan_initial).
 *
 * Does not: analyse, allocate through anything but lib/mem.c, keep state
 * between texts.
 */
#include <string.h>

#include "analyzer.h"
#include "error.h"
#include "mem.h"
#include "snipscan.h"

#define PUNCT 0xffff             /* a character that is in no core */
#define SKIP 0xfffe              /* a character the analyzer drops */
#define UNSURE 0xfffd            /* a character the scan cannot fold */
#define LETTER 0xfffc            /* a letter that is in no core */
#define MAX_CORES 64

void ni_snipscan_free(ni_snipscan *s)
{
    ni_mem_free(s->cores);
    memset(s, 0, sizeof *s);
}

/* Latin letters the analyzer makes Cyrillic in a Cyrillic word
 * (analyzer.c lookalike_from / lookalike_to). */
static uint16_t lookalike(unsigned c)
{
    static const char from[] = "abcehkmoptxy";
    static const uint16_t to[] = { 0x430, 0x432, 0x441, 0x435, 0x43d, 0x43a,
                                   0x43c, 0x43e, 0x440, 0x442, 0x445, 0x443 };
    const char *p = c ? strchr(from, (int)c) : NULL;
    return p ? to[p - from] : (uint16_t)c;
}

/* Non-ASCII characters that are words of their own for the word breaks
 * (UAX #29 "Other") and yield no token, so they only separate words:
 * no-break space, ¢ £ ¤ ¥ § © « ® ° ± » × ÷, dashes, quotes, † ‡ •, …, ‰,
 * primes, ‼, currency signs (not ₨, which is letters in NFKC), the keycap
 * mark, №, arrows, mathematical and technical signs, geometric shapes,
 * symbols and dingbats (not the circled digits), emoji and the regional
 * indicators of flags.  tests/test_snippet.c checks each against the
 * analyzer. */
static int punct(unsigned cp)
{
    static const unsigned r[][2] = {
        { 0xa0, 0xa0 }, { 0xa2, 0xa5 }, { 0xa7, 0xa7 }, { 0xa9, 0xa9 }, { 0xab, 0xab },
        { 0xae, 0xae }, { 0xb0, 0xb1 }, { 0xbb, 0xbb }, { 0xd7, 0xd7 }, { 0xf7, 0xf7 },
        { 0x2010, 0x2015 }, { 0x2018, 0x201e }, { 0x2020, 0x2022 }, { 0x2026, 0x2026 },
        { 0x2030, 0x2030 }, { 0x2032, 0x2033 }, { 0x203c, 0x203c }, { 0x20a0, 0x20a7 },
        { 0x20a9, 0x20bf }, { 0x20e3, 0x20e3 }, { 0x2116, 0x2116 }, { 0x2190, 0x23ff },
        { 0x25a0, 0x2775 }, { 0x2794, 0x27bf }, { 0x2b00, 0x2bff }, { 0x1f1e6, 0x1f1ff },
        { 0x1f300, 0x1f64f }, { 0x1f680, 0x1f6ff }, { 0x1f7e0, 0x1f7eb }, { 0x1f900, 0x1faff },
    };
    size_t i;
    for (i = 0; i < sizeof r / sizeof r[0]; i++)
        if (cp >= r[i][0] && cp <= r[i][1])
            return 1;
    return 0;
}

/* The code point at p (n > 0 bytes left), its length in *len; -1 for
 * bad UTF-8 (*len 1). */
static long code_point(const unsigned char *p, size_t n, size_t *len)
{
    unsigned c = p[0];
    if (c < 0x80) {
        *len = 1;
        return c;
    }
    if ((*len = ni_utf8_len(p, n)) == 0) {
        *len = 1;
        return -1;
    }
    if (*len == 2)
        return (c & 0x1f) << 6 | (p[1] & 0x3f);
    if (*len == 3)
        return (c & 0x0f) << 12 | (unsigned)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
    return (c & 0x07) << 18 | (unsigned)(p[1] & 0x3f) << 12 | (unsigned)(p[2] & 0x3f) << 6 |
           (p[3] & 0x3f);
}

/* 1 for the characters the analyzer drops before the word breaks see
 * them (analyzer.c dropped). */
static int dropped(long cp)
{
    return cp == 0xad || cp == 0x300 || cp == 0x301 || (cp >= 0x200b && cp <= 0x200d) ||
           cp == 0x2060 || cp == 0xfeff;
}

/* 1 for the characters the word breaks attach to the character before
 * them and NFKC case folding drops (variation selectors, direction marks),
 * or keeps (the keycap mark). */
static int attached(long cp)
{
    return cp == 0xfe0e || cp == 0xfe0f || cp == 0x200e || cp == 0x200f || cp == 0x20e3;
}

/* The character at p (n > 0 bytes left) folded, its length in *len: a
 * Cyrillic small letter, an ASCII character (small letters that look
 * Cyrillic made Cyrillic), LETTER (a Latin-1 letter: in a word, never in
 * a core), PUNCT, SKIP or UNSURE. */
static uint16_t fold(const unsigned char *p, size_t n, size_t *len)
{
    long cp = code_point(p, n, len);
    if (cp < 0x80) {
        if (cp < 0)
            return UNSURE;
        if (cp >= 'A' && cp <= 'Z')
            cp += 'a' - 'A';
        return cp >= 'a' && cp <= 'z' ? lookalike((unsigned)cp) : (uint16_t)cp;
    }
    if (cp >= 0x410 && cp <= 0x42f)
        return (uint16_t)(cp + 0x20);
    if (cp >= 0x430 && cp <= 0x44f)
        return (uint16_t)cp;
    if (cp == 0x401 || cp == 0x451)
        return 0x435;
    if (dropped(cp) || (attached(cp) && cp != 0x20e3))
        return SKIP;
    if (cp >= 0xc0 && cp <= 0xff && cp != 0xd7 && cp != 0xf7)
        return LETTER;
    return punct((unsigned)cp) ? PUNCT : UNSURE;
}

/* The core of term t[0..n) into out (at most n characters): its
 * characters up to the first '-', after a name-key prefix.  Returns the
 * core's length, 0 for a term no word yields (the rubric's), or -1 when
 * the scan cannot look for it. */
static long core_of(const unsigned char *t, size_t n, uint16_t *out)
{
    size_t i = 0, k = 0;
    if (n && t[0] == NI_RUBRIC_PREFIX[0])
        return 0;
    if (n && (t[0] == (unsigned char)NI_NAME_MID || t[0] == (unsigned char)NI_NAME_START))
        i = 1;
    while (i < n && t[i] != '-') {
        if ((t[i] >= '0' && t[i] <= '9') || t[i] == ',' || t[i] == '.') {
            out[k++] = t[i++];
        } else if (i + 1 < n && t[i] == 0xd0 && t[i + 1] >= 0xb0 && t[i + 1] <= 0xbf) {
            out[k++] = (uint16_t)(0x430 + t[i + 1] - 0xb0);
            i += 2;
        } else if (i + 1 < n && t[i] == 0xd1 && t[i + 1] >= 0x80 && t[i + 1] <= 0x8f) {
            out[k++] = (uint16_t)(0x440 + t[i + 1] - 0x80);
            i += 2;
        } else {
            return -1;
        }
    }
    return k ? (long)k : -1;
}

int ni_snipscan_terms(ni_snipscan *s, const ni_buf *terms)
{
    size_t off = 0, need = terms->len + 2 * MAX_CORES;
    s->ncores = s->cores_len = 0;
    ni_mem_free(s->cores);
    if (!(s->cores = ni_mem_alloc(need * sizeof *s->cores)))
        return ni_error(NI_ENOMEM, "out of memory");
    while (off + 2 <= terms->len) {
        size_t len = (size_t)terms->data[off] << 8 | terms->data[off + 1], c, at;
        uint16_t *core = s->cores + s->cores_len + 1;
        long k;
        if (off + 2 + len > terms->len)
            return NI_SNIPSCAN_UNSURE;
        k = core_of(terms->data + off + 2, len, core);
        off += 2 + len;
        if (k < 0)
            return NI_SNIPSCAN_UNSURE;
        if (k == 0)
            continue;
        for (c = 0, at = 0; c < s->ncores; c++, at += 1 + s->cores[at])
            if (s->cores[at] == k && memcmp(s->cores + at + 1, core, (size_t)k * 2) == 0)
                break;
        if (c < s->ncores)
            continue;           /* the same core as another term's */
        if (s->ncores == MAX_CORES)
            return NI_SNIPSCAN_UNSURE;
        s->cores[s->cores_len] = (uint16_t)k;
        s->cores_len += 1 + (size_t)k;
        s->ncores++;
    }
    return 0;
}

/* The character at p (n > 0 bytes left) folded, as fold(), with ASCII and
 * а..я, А..Я decoded inline: most of a Russian text. */
static inline uint16_t fold_fast(const unsigned char *p, size_t n, size_t *len)
{
    unsigned b = p[0];
    if (b < 0x80 && !((b | 0x20) >= 'a' && (b | 0x20) <= 'z')) {
        *len = 1;
        return (uint16_t)b;
    }
    if ((b == 0xd0 || b == 0xd1) && n > 1 && (p[1] & 0xc0) == 0x80) {
        unsigned cp = (b & 0x1f) << 6 | (p[1] & 0x3f);
        if (cp >= 0x410 && cp <= 0x44f) {
            *len = 2;
            return (uint16_t)(cp < 0x430 ? cp + 0x20 : cp);
        }
    }
    return fold(p, n, len);
}

/* 1 when a core starts at byte i of text[i..to) once folded (the text's
 * characters folded only as far as a core needs them). */
static int core_at(const ni_snipscan *s, const unsigned char *t, size_t i, size_t to)
{
    uint16_t f[256];
    size_t j, at, k, m = 0, p = i, len;
    for (j = 0, at = 0; j < s->ncores; j++, at += 1 + s->cores[at]) {
        size_t cl = s->cores[at];
        for (k = 0; k < cl; k++) {
            while (k == m && p < to) {
                uint16_t c = fold_fast(t + p, to - p, &len);
                p += len;
                if (c != SKIP)
                    f[m++] = c;
            }
            if (k == m || f[k] != s->cores[at + 1 + k])
                break;
        }
        if (k == cl)
            return 1;
    }
    return 0;
}

static int put(size_t **out, size_t *n, size_t *cap, size_t v)
{
    if (*n == *cap) {
        size_t nc = *cap ? 2 * *cap : 64;
        size_t *p = ni_mem_realloc(*out, nc * sizeof *p);
        if (!p)
            return ni_error(NI_ENOMEM, "out of memory");
        *out = p;
        *cap = nc;
    }
    (*out)[(*n)++] = v;
    return 0;
}

int ni_snipscan_find(ni_snipscan *s, const char *text, size_t from, size_t to,
                     size_t **out, size_t *n, size_t *cap)
{
    enum { OTHER, FIRST, PLACE };   /* what a character is to the scan */
    const unsigned char *t = (const unsigned char *)text;
    size_t i, j, len;
    uint64_t first = 0;        /* the cores' first characters, а..я */
    unsigned char ascii[128];  /* per ASCII byte */
    unsigned char cyr[2][64];  /* per second byte after 0xd0 and 0xd1 */
    int rc;

    *n = 0;
    for (j = 0, i = 0; j < s->ncores; j++, i += 1 + s->cores[i]) {
        uint16_t c = s->cores[i + 1];
        if (c >= 0x430 && c <= 0x44f)
            first |= (uint64_t)1 << (c - 0x430);
    }
    memset(ascii, OTHER, sizeof ascii);
    for (i = 'a'; i <= 'z'; i++) {
        uint16_t c = lookalike((unsigned)i);
        if (c >= 0x430 && (first >> (c - 0x430) & 1))
            ascii[i] = ascii[i - 'a' + 'A'] = FIRST;
    }
    for (j = 0, i = 0; j < s->ncores; j++, i += 1 + s->cores[i])
        if (s->cores[i + 1] < 0x80)
            ascii[s->cores[i + 1]] = FIRST;
    for (i = 0; i < 64; i++) {
        /* 0xd0: U+0400..U+043F; 0xd1: U+0440..U+047F */
        unsigned lo = 0x400 + (unsigned)i, hi = 0x440 + (unsigned)i;
        unsigned f0 = lo == 0x401 ? 0x435 : lo >= 0x430 ? lo : lo >= 0x410 ? lo + 0x20 : 0;
        unsigned f1 = hi == 0x451 ? 0x435 : hi <= 0x44f ? hi : 0;
        cyr[0][i] = (unsigned char)(!f0 ? PLACE : first >> (f0 - 0x430) & 1 ? FIRST : OTHER);
        cyr[1][i] = (unsigned char)(!f1 ? PLACE : first >> (f1 - 0x430) & 1 ? FIRST : OTHER);
    }
    for (i = from; i < to; i += len) {
        unsigned b = t[i], what;
        if (b < 0x80) {
            len = 1;
            what = ascii[b];
        } else if ((b == 0xd0 || b == 0xd1) && i + 1 < to && (t[i + 1] & 0xc0) == 0x80) {
            len = 2;
            what = cyr[b - 0xd0][t[i + 1] & 0x3f];
        } else {
            uint16_t c = fold(t + i, to - i, &len);
            what = c == UNSURE ? PLACE : OTHER;
        }
        /* a character the scan cannot fold is a place: its word is analysed */
        if (what != OTHER && (what == PLACE || core_at(s, t, i, to)) &&
            (rc = put(out, n, cap, i)) < 0)
            return rc;
    }
    return 0;
}

int ni_snipscan_initial(const char *text, size_t at, size_t to)
{
    const unsigned char *t = (const unsigned char *)text;
    size_t p = at, len, end;
    /* a variation selector, direction mark or keycap right after the white
     * space would join it in the whole text but stand first in the piece */
    while (p < to) {
        long cp = code_point(t + p, to - p, &len);
        if (attached(cp) || fold(t + p, to - p, &len) == UNSURE)
            return NI_SNIPSCAN_UNSURE;
        if (!dropped(cp))
            break;
        p += len;
    }
    p = at;
    while (p > 0) {
        unsigned c = t[p - 1];
        uint16_t f;
        if (c < 0x80) {
            p--;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
                return 0;
            if (c == '_')
                return NI_SNIPSCAN_UNSURE;
            if (c == '.' || c == '!' || c == '?' || c == ':' || c == '\n' || c == '\r')
                return 1;
            continue;
        }
        end = p;
        for (p--; p > 0 && (t[p] & 0xc0) == 0x80 && end - p < 4; p--)
            ;
        f = fold(t + p, end - p, &len);
        if (f == UNSURE || p + len != end)
            return NI_SNIPSCAN_UNSURE;
        if ((f >= 0x430 && f <= 0x44f) || f == LETTER)
            return 0;
        if (t[p] == 0xe2 && t[p + 1] == 0x80 && t[p + 2] == 0xa6)
            return 1;           /* … */
    }
    return 1;
}
