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
 * then collapsed.  Latin side.
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

struct ni_translit {
    UTransliterator *bgn;   /* Russian-Latin/BGN */
    UChar u[UBUF];
    char ascii[UBUF];
};

int ni_translit_new(ni_translit **out)
{
    static const char id[] = "Russian-Latin/BGN";
    UChar uid[sizeof id];
    UErrorCode st = U_ZERO_ERROR;
    ni_translit *tr;

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
    static const struct { const char *latin; char sym; } digraphs[] = {
        { "shch", 'S' }, { "sch", 'S' }, { "shh", 'S' }, { "skh", 'W' }, { "sx", 'W' },
        { "zh", 'Z' }, { "kh", 'H' }, { "ch", 'C' }, { "sh", 'W' },
        { "ts", 'c' }, { "tz", 'c' }, { "cz", 'c' },
    };
    size_t i;
    for (i = 0; i < sizeof digraphs / sizeof digraphs[0]; i++) {
        size_t k = strlen(digraphs[i].latin);
        if (k <= n && memcmp(s, digraphs[i].latin, k) == 0 &&
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

int ni_translit_key_cyr(ni_translit *tr, const char *w, size_t len, ni_buf *out)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t ulen = 0, limit, i;
    size_t n = 0, letters = 0;

    if (!tr || !out || (!w && len))
        return ni_error(NI_EINVAL, "ni_translit_key_cyr: NULL argument");
    out->len = 0;
    if (len == 0 || len > NI_MAX_WORD_BYTES)
        return 0;
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
        if (c >= 'a' && c <= 'z')
            letters++;
        else if (is_dropped(c))
            continue;
        else if (c != '-')
            return 0;
        tr->ascii[n++] = (char)c;
    }
    return letters ? collapse(tr->ascii, n, out) : 0;
}
