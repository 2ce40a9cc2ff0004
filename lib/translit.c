/*
 * translit.c - transliteration keys: one short ASCII key for a Cyrillic
 * word and for the Latin spellings people type for it, so that query
 * rescue finds «щукин» from shchukin, schukin or shhukin by looking the
 * key up.  The second ICU user beside analyzer.c, and only for
 * transliteration (utrans); the analyzer stays the owner of word breaking
 * and normalisation.  Does not: generate Cyrillic from Latin (the schemes
 * are ambiguous that way: ICU's Latin-Russian/BGN reads solnce as «солнcе»),
 * store keys or look them up (the rescue and the lexicon do), decide
 * whether a word should be rescued.
 *
 * Cyrillic side.  The word is romanised by ICU's Russian-Latin/BGN and
 * its few letters outside ASCII folded here (ë -> e; ʹ ʺ of ь ъ dropped),
 * then collapsed.  A word of lower-case а..я, ё and hyphens (nearly every
 * word the lexicon holds) is romanised from a table instead, made by
 * ni_translit_new from ICU's romanisations of each letter after б and of
 * е, ё after each letter (about 140 of them), since ICU's compound
 * transliterator costs some 30,000 instructions a word and indexing
 * romanises every new word: the same keys, which the tests check on every
 * string of up to three of these letters (BGN's rules look one letter to
 * each side) and bench/translit_keys icu on whole vocabularies.  Latin side.
 * The typed word is lower-cased and collapsed the same way.  Both keys are
 * equal when the Latin word is the BGN/PCGN, ICAO Doc 9303, GOST 7.79-B or
 * informal romanisation of the Cyrillic one, up to the differences below.
 *
 * Collapsing (what the schemes write differently becomes one symbol):
 *   1. ' ` " and BGN's · separator are dropped (ь ъ, GOST-B's y' e`).
 *   2. Left to right, longest first: shch sch shh -> S (щ), zh -> Z (ж),
 *      kh h x -> H (х), ch -> C (ч), sh -> W (ш; also skh sx, сх, which
 *      people type as sh: shema for «схема»), ts tz cz c -> c (ц; also
 *      тс, which BGN writes t·s; but ts before h or ch is т before ш, щ),
 *      i j y -> Y (и ы й and the iotation of е ё ю я: ICAO ia iu,
 *      informal ja ju, GOST-B yo).
 *   3. Runs of one symbol other than a o u are squeezed (ий iy ii -> Y,
 *      нн nn -> n: people drop doubled consonants; ее ee -> e: ICAO's ee is
 *      BGN's eye).  Doubled a o u stay, as Russian spells them
 *      (кооператив), so that good is not год.
 *   4. Yo becomes e (ё typed as yo or jo, which the lexicon spells е;
 *      also йо, ио: район and raion alike), Y before e goes (BGN's ye),
 *      and ICAO's ie for ъ before an iotated vowel goes (obieiavil is
 *      ob"yavil); then runs are squeezed again.
 * Kept apart: a e o u and every other consonant.  Merged, knowingly:
 * и/ы/й (были/били), ц/тс, сх/ш, е/э, йо/ио/е, нн/н.  Not merged: x for кс
 * (alexandr is not «александр»), tch for ч (tchaikovsky).  The bench
 * (bench/translit_bench.py, figures in bench/README.md) measures what this
 * costs: candidate sets of a median 1 and a p99 of 3 words.
 */
#include <string.h>
#include <unicode/utrans.h>
#include <unicode/ustring.h>

#include "error.h"
#include "mem.h"
#include "translit.h"

/* UTF-16 units of a romanised word: a word has at most NI_MAX_WORD_BYTES / 2
 * letters, and BGN writes at most four Latin letters and a · for each. */
#define UBUF (NI_MAX_WORD_BYTES * 3)

/* The letters of the per-letter table: а..я (U+0430..U+044F) and ё. */
#define LETTERS 33
#define LETTER_MAX 8            /* bytes of a letter's romanisation, + NUL */

struct ni_translit {
    UTransliterator *bgn;   /* Russian-Latin/BGN */
    UChar u[UBUF];
    char ascii[UBUF];
    /* what BGN makes of each lower-case letter alone, folded as below
     * (letter_of: а..я then ё; ь and ъ make ""), when letter_ok */
    char letter[LETTERS][LETTER_MAX];
    unsigned char letter_ok[LETTERS];
    /* е and ё (ye, e) after each letter, at the start (LETTERS) and after
     * '-' (LETTERS + 1), when e_ok */
    char e_after[LETTERS + 2][2][LETTER_MAX];
    unsigned char e_ok[LETTERS + 2][2];
};

static int romanise(ni_translit *tr, const char *w, size_t len, size_t *n);

/* The UTF-8 of letter i of the table (а..я, then ё) into w[0..2). */
static void letter_utf8(int i, char *w)
{
    unsigned cp = i < 32 ? 0x430u + (unsigned)i : 0x451u;
    w[0] = (char)(0xC0 | cp >> 6);
    w[1] = (char)(0x80 | (cp & 0x3F));
}

/* What ICU romanises w[0..n) into, less its first skip bytes, which must
 * be pre[0..skip): into out (LETTER_MAX bytes, NUL-terminated), with *ok
 * set when it fits.  0 or <0. */
static int romanise_part(ni_translit *tr, const char *w, size_t n, const char *pre,
                         size_t skip, char *out, unsigned char *ok)
{
    size_t len = 0;
    int rc = romanise(tr, w, n, &len);
    *ok = 0;
    if (rc <= 0)
        return rc;
    if (len >= skip && len - skip < LETTER_MAX && memcmp(tr->ascii, pre, skip) == 0) {
        memcpy(out, tr->ascii + skip, len - skip);
        out[len - skip] = 0;
        *ok = 1;
    }
    return 0;
}

/*
 * The per-letter table, from ICU: each letter as it stands after б (inside
 * a word), and е, ё after each letter, first, and after '-', where BGN
 * writes ye or e by what precedes them.  About 140 short romanisations.
 */
static int letter_table(ni_translit *tr)
{
    static const int e_letters[2] = { 5, 32 };   /* е, ё */
    char w[6], pre[LETTER_MAX + 1];
    int i, j, rc;

    for (i = 0; i < LETTERS; i++) {
        w[0] = '\xD0';
        w[1] = '\xB1';                    /* б */
        letter_utf8(i, w + 2);
        if ((rc = romanise_part(tr, w, 4, "b", 1, tr->letter[i], &tr->letter_ok[i])) < 0)
            return rc;
    }
    for (i = 0; i < LETTERS + 2; i++) {
        size_t plen = 0, skip;
        unsigned char ok = 1;
        if (i < LETTERS) {
            letter_utf8(i, w);
            plen = 2;
        } else if (i == LETTERS + 1) {
            w[0] = '-';
            plen = 1;
        }
        /* what the letter before makes alone */
        skip = 0;
        if (plen) {
            if ((rc = romanise(tr, w, plen, &skip)) < 0)
                return rc;
            ok = rc > 0 && skip <= LETTER_MAX;
            if (ok)
                memcpy(pre, tr->ascii, skip);
        }
        for (j = 0; j < 2; j++) {
            letter_utf8(e_letters[j], w + plen);
            tr->e_ok[i][j] = 0;
            if (ok && (rc = romanise_part(tr, w, plen + 2, pre, skip, tr->e_after[i][j],
                                          &tr->e_ok[i][j])) < 0)
                return rc;
        }
    }
    return 0;
}

int ni_translit_new(ni_translit **out)
{
    static const char id[] = "Russian-Latin/BGN";
    UChar uid[sizeof id];
    UErrorCode st = U_ZERO_ERROR;
    ni_translit *tr;
    int rc;

    if (!out)
        return ni_error(NI_EINVAL, "ni_translit_new: out is NULL");
    *out = NULL;
    tr = ni_mem_calloc(1, sizeof *tr);
    if (!tr)
        return ni_error(NI_ENOMEM, "out of memory");
    u_uastrcpy(uid, id);
    tr->bgn = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
    if (U_FAILURE(st)) {
        tr->bgn = NULL;
        ni_translit_free(tr);
        if (st == U_MEMORY_ALLOCATION_ERROR)
            return ni_error(NI_ENOMEM, "ICU transliterator: out of memory");
        return ni_error(NI_EINVAL, "ICU transliterator %s: %s", id, u_errorName(st));
    }
    if ((rc = letter_table(tr)) < 0) {
        ni_translit_free(tr);
        return rc;
    }
    *out = tr;
    return 0;
}

void ni_translit_free(ni_translit *tr)
{
    if (!tr)
        return;
    if (tr->bgn)
        utrans_close(tr->bgn);
    ni_mem_free(tr);
}

/* Step 2: the symbol of the longest spelling at s (which has n > 0 bytes,
 * lower-case letters and '-'), its length in *used.  ts before h or ch
 * is т before ш or щ (tshch, tshh, tsch), not ц. */
static char symbol_at(const char *s, size_t n, size_t *used)
{
    static const struct { const char *latin; size_t len; char sym; } digraphs[] = {
        { "shch", 4, 'S' }, { "sch", 3, 'S' }, { "shh", 3, 'S' }, { "skh", 3, 'W' },
        { "sx", 2, 'W' }, { "zh", 2, 'Z' }, { "kh", 2, 'H' }, { "ch", 2, 'C' },
        { "sh", 2, 'W' }, { "ts", 2, 'c' }, { "tz", 2, 'c' }, { "cz", 2, 'c' },
    };
    size_t i;
    /* only these letters start one: the rest is one letter (indexing keys
     * every new word, and this runs at each of its letters) */
    if (s[0] != 's' && s[0] != 'z' && s[0] != 'k' && s[0] != 'c' && s[0] != 't')
        i = sizeof digraphs / sizeof digraphs[0];
    else
        i = 0;
    for (; i < sizeof digraphs / sizeof digraphs[0]; i++) {
        size_t k = digraphs[i].len;
        if (k <= n && s[0] == digraphs[i].latin[0] && memcmp(s, digraphs[i].latin, k) == 0 &&
            !(digraphs[i].sym == 'c' && k < n &&
              (s[k] == 'h' || (s[k] == 'c' && k + 1 < n && s[k + 1] == 'h')))) {
            *used = k;
            return digraphs[i].sym;
        }
    }
    *used = 1;
    switch (s[0]) {
    case 'h': case 'x': return 'H';
    case 'i': case 'j': case 'y': return 'Y';
    default: return s[0];
    }
}

/* Squeezes runs of one byte other than a o u in k[0..n) in place;
 * returns the new length. */
static size_t squeeze(char *k, size_t n)
{
    size_t i, o = 0;
    for (i = 0; i < n; i++)
        if (o == 0 || k[o - 1] != k[i] || k[i] == 'a' || k[i] == 'o' || k[i] == 'u')
            k[o++] = k[i];
    return o;
}

/* Step 4 in place over k[0..n): Yo becomes e, Y before e goes, and so
 * does ICAO's ie for ъ (Ye before Y and a vowel: obieiavil as ob"yavil).
 * Returns the new length. */
static size_t iotation(char *k, size_t n)
{
    size_t j, o = 0;
    for (j = 0; j < n; j++) {
        if (k[j] != 'Y' || j + 1 == n) {
            k[o++] = k[j];
        } else if (k[j + 1] == 'o') {
            k[o++] = 'e';
            j++;
        } else if (k[j + 1] == 'e' && j + 3 < n && k[j + 2] == 'Y' &&
                   strchr("aeou", k[j + 3])) {
            j++;
        } else if (k[j + 1] != 'e') {
            k[o++] = k[j];
        }
    }
    return o;
}

/* Steps 2 to 4 over s[0..n), lower-case letters and '-' (step 1 is the
 * callers'), into out: 1, 0 when the key would be empty or too long,
 * or NI_ENOMEM. */
static int collapse(const char *s, size_t n, ni_buf *out)
{
    char k[UBUF];
    size_t i = 0, o = 0, used;

    out->len = 0;
    if (n > sizeof k)
        return 0;
    while (i < n) {
        k[o++] = symbol_at(s + i, n - i, &used);
        i += used;
    }
    o = squeeze(k, o);
    o = squeeze(k, iotation(k, o));
    if (o == 0 || o > NI_TRANSLIT_KEY_MAX)
        return 0;
    return ni_buf_put(out, k, o) < 0 ? NI_ENOMEM : 1;
}

static int is_dropped(unsigned c)
{
    return c == '\'' || c == '`' || c == '"' || c == 0xB7;  /* · */
}

int ni_translit_key_lat(ni_translit *tr, const char *w, size_t len, ni_buf *out)
{
    char a[NI_MAX_WORD_BYTES];
    size_t i, n = 0, letters = 0;

    (void)tr;
    if (!out || (!w && len))
        return ni_error(NI_EINVAL, "ni_translit_key_lat: NULL argument");
    out->len = 0;
    if (len > NI_MAX_WORD_BYTES)
        return 0;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)w[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if (c >= 'a' && c <= 'z')
            letters++;
        else if (is_dropped(c))
            continue;
        else if (c != '-')
            return 0;
        a[n++] = (char)c;
    }
    return letters ? collapse(a, n, out) : 0;
}

/* 1 when c may stand in a Cyrillic word: a letter of U+0400..U+04FF, or
 * a hyphen. */
static int cyrillic_ok(UChar c)
{
    return c == '-' || (c >= 0x400 && c <= 0x4FF && c != 0x482 &&
                        !(c >= 0x483 && c <= 0x489));
}

/* ICU's BGN romanisation of w (len bytes, checked by the caller), folded
 * to lower-case ASCII letters and '-' (ë -> e; ʹ ʺ and the dropped marks
 * gone), into tr->ascii[0..*n): 1, 0 when w is not a Cyrillic word or
 * the result is not all ASCII, or <0. */
static int romanise(ni_translit *tr, const char *w, size_t len, size_t *n)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t ulen = 0, limit, i;

    *n = 0;
    u_strFromUTF8(tr->u, UBUF, &ulen, w, (int32_t)len, &st);
    if (U_FAILURE(st))
        return ni_error(NI_EINVAL, "ni_translit_key_cyr: invalid UTF-8");
    for (i = 0; i < ulen; i++)
        if (!cyrillic_ok(tr->u[i]))
            return 0;
    limit = ulen;
    utrans_transUChars(tr->bgn, tr->u, &ulen, UBUF, 0, &limit, &st);
    if (st == U_BUFFER_OVERFLOW_ERROR)
        return 0;
    if (U_FAILURE(st))
        return ni_error(st == U_MEMORY_ALLOCATION_ERROR ? NI_ENOMEM : NI_EINVAL,
                        "ICU transliteration: %s", u_errorName(st));
    for (i = 0; i < limit; i++) {
        UChar c = tr->u[i];
        if (c >= 'A' && c <= 'Z')
            c = (UChar)(c - 'A' + 'a');
        else if (c == 0xEB || c == 0xCB)     /* BGN's ë of ё */
            c = 'e';
        else if (c == 0x2B9 || c == 0x2BA)   /* BGN's ʹ ʺ of ь ъ */
            continue;
        if (is_dropped(c))
            continue;
        if (!(c >= 'a' && c <= 'z') && c != '-')
            return 0;
        tr->ascii[(*n)++] = (char)c;
    }
    return 1;
}

/* The index in tr->letter of the lower-case letter at p (2 bytes), or
 * -1. */
static int letter_of(const unsigned char *p)
{
    if (p[0] == 0xD0 && p[1] >= 0xB0 && p[1] <= 0xBF)
        return p[1] - 0xB0;                 /* а..п */
    if (p[0] == 0xD1 && p[1] >= 0x80 && p[1] <= 0x8F)
        return 16 + (p[1] - 0x80);          /* р..я */
    if (p[0] == 0xD1 && p[1] == 0x91)
        return 32;                          /* ё */
    return -1;
}

/* The romanisation of a word of lower-case а..я, ё and '-' from the
 * per-letter table into tr->ascii[0..*n): 1, or 0 when w holds anything
 * else (then ICU romanises it whole).  The same key as ICU's whole-word
 * romanisation: BGN's context rules (ye at the start or after a vowel, ·
 * between letters) are what collapsing drops, which tests/test_translit.c
 * checks on every pair and triple of letters. */
static int romanise_letters(ni_translit *tr, const char *w, size_t len, size_t *n)
{
    const unsigned char *p = (const unsigned char *)w, *end = p + len;
    int prev = LETTERS;                     /* the start */
    *n = 0;
    while (p < end) {
        const char *r;
        int l;
        if (*p == '-') {
            tr->ascii[(*n)++] = '-';
            prev = LETTERS + 1;
            p++;
            continue;
        }
        if (end - p < 2 || (l = letter_of(p)) < 0)
            return 0;
        if (l == 5 || l == 32) {            /* е, ё: by what precedes */
            int e = l == 32;
            if (!tr->e_ok[prev][e])
                return 0;
            r = tr->e_after[prev][e];
        } else {
            if (!tr->letter_ok[l])
                return 0;
            r = tr->letter[l];
        }
        while (*r)
            tr->ascii[(*n)++] = *r++;
        prev = l;
        p += 2;
    }
    return 1;
}

/* The key of the Cyrillic word w, romanised from the per-letter table when
 * table is set and the word allows it, else by ICU whole. */
static int key_cyr(ni_translit *tr, const char *w, size_t len, ni_buf *out, int table)
{
    size_t n = 0, i, letters = 0;
    int rc;

    if (!tr || !out || (!w && len))
        return ni_error(NI_EINVAL, "ni_translit_key_cyr: NULL argument");
    out->len = 0;
    if (len == 0 || len > NI_MAX_WORD_BYTES)
        return 0;
    if (!(table && romanise_letters(tr, w, len, &n)) && (rc = romanise(tr, w, len, &n)) <= 0)
        return rc;
    for (i = 0; i < n; i++)
        letters += tr->ascii[i] != '-';
    return letters ? collapse(tr->ascii, n, out) : 0;
}

int ni_translit_key_cyr(ni_translit *tr, const char *w, size_t len, ni_buf *out)
{
    return key_cyr(tr, w, len, out, 1);
}

int ni_translit_key_cyr_icu(ni_translit *tr, const char *w, size_t len, ni_buf *out)
{
    return key_cyr(tr, w, len, out, 0);
}
