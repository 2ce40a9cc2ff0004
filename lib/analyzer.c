/*
 * analyzer.c - from UTF-8 text to index terms.  The only file that includes
 * ICU headers.  Does: UTF-8 decoding with exact byte offsets, word
 * boundaries (ICU word break iterator, UAX #29), normalisation (NFKC +
 * full case folding, ё → е, Latin look-alikes repaired in Cyrillic words),
 * hyphenated compounds, stemming (stem.c), function-word flags.  Does not:
 * drop stop words, keep any state between documents other than caches.
 *
 * Decoding.  The text is decoded to UTF-16 once, a chunk of up to
 * CHUNK_BYTES at a time (cut after a space where possible, so memory stays
 * bounded for a 100 MB document), remembering for every UTF-16 unit the
 * byte offsets of the character it came from.  Invalid UTF-8 becomes
 * U+FFFD (which separates words, like punctuation); NUL bytes become
 * spaces.  Soft hyphens (U+00AD), zero-width characters (U+200B..U+200D,
 * U+2060, U+FEFF) and combining stress marks (U+0300, U+0301) are dropped
 * here, so «за́мок» and «пере\u00ADдача» are read as one word.
 *
 * Words.  The break iterator's rule status keeps letters, numbers and
 * ideographs and drops spaces and punctuation.  Letters joined by a dot,
 * which UAX #29 keeps in one word, are words of their own (Д.Медведева,
 * А.В.Лебедев, т.е.; numbers such as 10.5 stay whole), and so are those
 * joined by an '@', which UAX #29 counts as a letter: a Telegram mention
 * @banksta is the word banksta, user@mail.ru the words user, mail and ru
 * (analysis version 3).  Words joined by exactly one
 * hyphen (U+002D, U+2010 or U+2011) with nothing else between them form a
 * compound (Ростов-на-Дону, Су-57, COVID-19, по-русски; at most MAX_PARTS
 * parts): it is emitted first, whole, at its first part's position, with the
 * parts' terms joined by '-', then each part at its own position.  En and
 * em dashes separate words.
 *
 * Terms.  NFKC + case folding (unorm2 NFKC_Casefold), then ё → е.  In a
 * word with Cyrillic letters whose other letters are all Latin look-alikes
 * (a b c e h k m o p t x y after folding), those are made Cyrillic.
 * Numbers (rule status NUMBER) are kept as written after NFKC: «10,5» and
 * «10.5» are different terms, «２０２４» is «2024».  Cyrillic words are
 * stemmed by Snowball russian, words in Latin script by Snowball english,
 * other scripts are not stemmed.  A word whose normal form is longer than
 * NI_MAX_WORD_BYTES takes a position but yields no token.
 *
 * Cache.  Normal form, term and flags are cached by the word as written
 * (its UTF-16 units), so each form is normalised and stemmed once per
 * analyzer.  The cache is an open-addressing table of 64-byte entries that
 * hold the word itself when it is short (almost every word), so a hit reads
 * one cache line; normal forms and terms live in an arena.  The table starts
 * small (a query's analyzer stays small) and doubles up to CACHE_MAX_SLOTS;
 * when that is full, the cache starts over.
 */
#include <string.h>
#include <sys/mman.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include "analyzer.h"
#include "error.h"
#include "hash.h"
#include "mem.h"
#include "namekey.h"
#include "stem.h"

#define CHUNK_BYTES (64 * 1024)
#define MAX_PARTS 8
#define MAX_WORD_UNITS 256          /* longer words are too long anyway */
#define CACHE_MIN_SLOTS 1024
#define CACHE_MAX_SLOTS (1u << 18)  /* 16 MiB of entries */
#define KEY_INLINE 21               /* UTF-16 units kept in the entry */
#define HUGE_PAGE (2u << 20)

#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

typedef struct entry {              /* 64 bytes, aligned: one cache line */
    uint32_t hash;
    uint32_t text_off;              /* normal form, then term, in the arena */
    uint32_t term_hash;             /* ni_term_hash of the term */
    uint16_t key_len;               /* UTF-16 units; 0: an empty slot */
    uint8_t norm_len, term_len;     /* bytes; at most NI_MAX_WORD_BYTES */
    uint8_t term_in_norm;           /* the term is a prefix of the norm */
    uint8_t flags;                  /* NI_TOKEN_* */
    uint8_t too_long;
    uint8_t name_len;               /* bytes of the norm that are its name
                                       key; 0: none (not a Cyrillic word) */
    uint8_t letter_case;            /* LOWER, TITLE or CAPS, as written */
    uint8_t pad;
    UChar key[KEY_INLINE];          /* longer: uint32 arena offset of the key */
} entry;
_Static_assert(sizeof(entry) == 64, "an entry is one cache line");

typedef struct part {
    const entry *e;
    int32_t s, t;                   /* UTF-16 range in the chunk */
    int number;
    int initial;                    /* first word of a sentence (or field) */
    uint32_t hash;                  /* of the word and number, for lookup */
} part;

typedef struct pending {
    uint32_t norm_off, norm_len, term_off, term_len;  /* into arena or run */
    uint32_t term_hash;
    int norm_in_run, term_in_run;   /* in run_bytes, not the cache's arena */
    uint32_t position;
    size_t start, end;
    unsigned flags;
} pending;

struct ni_analyzer {
    UBreakIterator *bi;
    const UNormalizer2 *nfkc_cf;    /* fetched by the first word that needs it */
    ni_stemmer *ru, *en;

    const char *text;
    size_t len, next;               /* input and the next byte to decode */
    size_t base;                    /* byte offset of the chunk */
    UChar *u;                       /* the chunk in UTF-16 */
    uint32_t *ustart, *uend;        /* byte offsets (from base) per unit */
    int32_t ulen, ucap;
    int chunk_open;
    int32_t boundary;               /* the break iterator's position */
    int32_t rest, rest_end;         /* a word's part after a dot, to come */
    part ahead;                     /* the chunk's next word, when s < t */

    uint32_t position;              /* of the next word */
    int sentence_start;             /* the next word begins a sentence */
    int query;                      /* query mode: see ni_analyzer_set_query */
    part run[MAX_PARTS];
    int nrun;

    pending queue[2 * (MAX_PARTS + 1)];  /* a term and a name key each */
    int qlen, qnext;
    ni_buf run_bytes;               /* compound strings and name keys */

    entry *table;                   /* nslots entries, 64-byte aligned */
    void *table_mem;                /* as allocated */
    uint32_t nslots, nentries;
    ni_buf arena;                   /* normal forms, terms, long keys */
    UChar fold[MAX_WORD_UNITS * 4];
    char utf8[MAX_WORD_UNITS * 12];
};

/* ---- creation ----------------------------------------------------------- */

static int icu_error(UErrorCode st, const char *what)
{
    if (st == U_MEMORY_ALLOCATION_ERROR)
        return ni_error(NI_ENOMEM, "%s: out of memory", what);
    return ni_error(NI_EINVAL, "%s: %s", what, u_errorName(st));
}

/* Replaces the cache's table by an empty one of n slots (the old one is
 * the caller's to free). */
static int table_new(ni_analyzer *an, uint32_t n)
{
    size_t bytes = (size_t)n * sizeof(entry);
    size_t align = bytes >= 2 * HUGE_PAGE ? HUGE_PAGE : 64;
    void *mem = ni_mem_calloc(1, bytes + align - 1);
    if (!mem)
        return ni_error(NI_ENOMEM, "out of memory");
    an->table_mem = mem;
    an->table = (entry *)(((uintptr_t)mem + align - 1) & ~(uintptr_t)(align - 1));
#ifdef MADV_HUGEPAGE
    /* look-ups land anywhere in the table: with 4 KiB pages most of them
     * would miss the TLB too */
    if (align == HUGE_PAGE)
        (void)madvise(an->table, bytes, MADV_HUGEPAGE);
#endif
    an->nslots = n;
    an->nentries = 0;
    return 0;
}

int ni_analyzer_new(ni_analyzer **out)
{
    UErrorCode st = U_ZERO_ERROR;
    ni_analyzer *an;
    int rc;

    if (!out)
        return ni_error(NI_EINVAL, "ni_analyzer_new: out is NULL");
    *out = NULL;
    an = ni_mem_calloc(1, sizeof *an);
    if (!an)
        return ni_error(NI_ENOMEM, "out of memory");
    if ((rc = table_new(an, CACHE_MIN_SLOTS)) < 0)
        goto fail;
    an->bi = ubrk_open(UBRK_WORD, "ru", NULL, 0, &st);
    if (U_FAILURE(st)) {
        an->bi = NULL;
        rc = icu_error(st, "ICU word break iterator");
        goto fail;
    }
    if ((rc = ni_stemmer_new(&an->ru, "russian")) < 0 ||
        (rc = ni_stemmer_new(&an->en, "english")) < 0)
        goto fail;
    *out = an;
    return 0;
fail:
    ni_analyzer_free(an);
    return rc;
}

void ni_analyzer_free(ni_analyzer *an)
{
    if (!an)
        return;
    if (an->bi)
        ubrk_close(an->bi);
    ni_stemmer_free(an->ru);
    ni_stemmer_free(an->en);
    ni_mem_free(an->u);
    ni_mem_free(an->ustart);
    ni_mem_free(an->uend);
    ni_mem_free(an->table_mem);
    ni_buf_free(&an->arena);
    ni_buf_free(&an->run_bytes);
    ni_mem_free(an);
}

int ni_analyzer_start(ni_analyzer *an, const char *text, size_t len,
                      uint32_t first_position)
{
    if (!an || (!text && len))
        return ni_error(NI_EINVAL, "ni_analyzer_start: NULL argument");
    an->text = text;
    an->len = len;
    an->next = 0;
    an->base = 0;
    an->chunk_open = 0;
    an->position = first_position;
    an->sentence_start = 1;
    an->nrun = 0;
    an->qlen = an->qnext = 0;
    return 0;
}

int ni_analyzer_start_at(ni_analyzer *an, const char *text, size_t len, size_t from,
                         int initial)
{
    int rc;
    if (from > len)
        return ni_error(NI_EINVAL, "ni_analyzer_start_at: from past the end");
    if ((rc = ni_analyzer_start(an, text, len, 0)) < 0)
        return rc;
    an->next = from;
    an->sentence_start = initial != 0;
    return 0;
}

uint32_t ni_analyzer_end_position(const ni_analyzer *an)
{
    return an->position;
}

/* ---- decoding ----------------------------------------------------------- */

static int dropped(UChar32 c)
{
    return c == 0xAD || (c >= 0x200B && c <= 0x200D) || c == 0x2060 ||
           c == 0xFEFF || c == 0x300 || c == 0x301;
}

/* Decodes s[0..n) into UTF-16 u with, per unit, the byte offsets of the
 * character it came from; returns the number of units (at most n).
 * Invalid UTF-8 becomes U+FFFD, NUL a space; dropped() characters go. */
static int32_t decode(const char *text, size_t n, UChar *u, uint32_t *us, uint32_t *ue)
{
    const uint8_t *s = (const uint8_t *)text;
    int32_t k = 0, len = (int32_t)n, m = 0;

    while (k < len) {
        int32_t from = k;
        UChar32 c = s[k];
        if (c >= 1 && c < 0x80) {
            /* ASCII other than NUL: most spaces, digits and punctuation */
            u[m] = (UChar)c;
            us[m] = (uint32_t)k;
            ue[m++] = (uint32_t)++k;
            continue;
        }
        if (c >= 0xC2 && c < 0xE0 && k + 1 < len && (s[k + 1] & 0xC0) == 0x80) {
            /* two bytes: Cyrillic, soft hyphen, combining accents */
            c = (c & 0x1F) << 6 | (s[k + 1] & 0x3F);
            k += 2;
            if (c >= 0x400 || !dropped(c)) {    /* Cyrillic: never dropped */
                u[m] = (UChar)c;
                us[m] = (uint32_t)from;
                ue[m++] = (uint32_t)k;
            }
            continue;
        }
        U8_NEXT(s, k, len, c);
        if (c < 0)
            c = 0xFFFD;
        else if (c == 0)
            c = ' ';
        if (dropped(c))
            continue;
        if (U_IS_BMP(c)) {
            u[m] = (UChar)c;
            us[m] = (uint32_t)from;
            ue[m++] = (uint32_t)k;
        } else {
            u[m] = U16_LEAD(c);
            us[m] = (uint32_t)from;
            ue[m++] = (uint32_t)k;
            u[m] = U16_TRAIL(c);
            us[m] = (uint32_t)from;
            ue[m++] = (uint32_t)k;
        }
    }
    return m;
}

/* Decodes the next chunk of the input into an->u; 0 when one was read,
 * NI_DONE at the end of the text. */
static int next_chunk(ni_analyzer *an)
{
    size_t end, cut;
    int32_t need;
    UErrorCode st = U_ZERO_ERROR;

    if (an->next >= an->len)
        return NI_DONE;
    end = an->len;
    if (end - an->next > CHUNK_BYTES) {
        end = an->next + CHUNK_BYTES;
        /* cut after a space in the last 4 KiB, else at a character start */
        for (cut = end; cut > end - 4096; cut--)
            if (an->text[cut - 1] == ' ' || an->text[cut - 1] == '\n')
                break;
        if (cut > end - 4096)
            end = cut;
        else
            while (end > an->next + 1 && ((unsigned char)an->text[end] & 0xC0) == 0x80)
                end--;
    }
    need = (int32_t)(end - an->next) + 1;
    if (need > an->ucap) {
        UChar *u = ni_mem_realloc(an->u, (size_t)need * sizeof *u);
        uint32_t *s, *e;
        if (!u)
            return ni_error(NI_ENOMEM, "out of memory");
        an->u = u;
        s = ni_mem_realloc(an->ustart, (size_t)need * sizeof *s);
        if (!s)
            return ni_error(NI_ENOMEM, "out of memory");
        an->ustart = s;
        e = ni_mem_realloc(an->uend, (size_t)need * sizeof *e);
        if (!e)
            return ni_error(NI_ENOMEM, "out of memory");
        an->uend = e;
        an->ucap = need;
    }
    an->base = an->next;
    an->ulen = decode(an->text + an->base, end - an->base, an->u, an->ustart, an->uend);
    an->next = end;
    ubrk_setText(an->bi, an->u, an->ulen, &st);
    if (U_FAILURE(st))
        return icu_error(st, "ICU word break iterator");
    an->boundary = 0;
    an->rest = an->rest_end = 0;
    an->chunk_open = 1;
    return 0;
}

/* ---- normal forms and terms -------------------------------------------- */

/* The hash of a word's units for the cache: four units at a time. */
static uint32_t hash_units(const UChar *u, int32_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15u ^ (uint64_t)n, w;
    for (; n >= 4; u += 4, n -= 4) {
        memcpy(&w, u, sizeof w);
        h = (h ^ w) * 0xff51afd7ed558ccdu;
        h ^= h >> 32;
    }
    w = n == 0 ? 0 : n == 1 ? u[0] : (uint64_t)u[0] | (uint64_t)u[1] << 16 |
                                      (n == 3 ? (uint64_t)u[2] << 32 : 0);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53u;
    h ^= h >> 29;
    h *= 0xff51afd7ed558ccdu;
    return (uint32_t)(h ^ h >> 32);
}

static const UChar lookalike_from[] = u"abcehkmoptxy";
static const UChar lookalike_to[] = u"авсенкмортху";


/* ---- name keys ---------------------------------------------------------- */

enum { LOWER, TITLE, CAPS };       /* entry.letter_case */

/* How the word u[0..n) is written: CAPS when it has two letters or more,
 * all capitals; TITLE when its first letter is a capital; LOWER otherwise. */
static uint8_t letter_case(const UChar *u, int32_t n)
{
    int32_t i, letters = 0, upper = 0, first_upper = 0;
    for (i = 0; i < n; i++) {
        UChar32 c = u[i];          /* a surrogate half is no letter: fine here */
        if (!u_isalpha(c))
            continue;
        if (u_isupper(c) || u_istitle(c)) {
            upper++;
            if (letters == 0)
                first_upper = 1;
        }
        letters++;
    }
    if (letters >= 2 && upper == letters)
        return CAPS;
    return first_upper ? TITLE : LOWER;
}


/* NFKC_Casefold of u[0..n) into out when every character is an ASCII
 * letter or digit, a letter А..я or Ё/ё: each capital made small, which is
 * what ICU's normaliser does with these (test_analyzer compares the two for
 * each).  Returns 0, out undefined, for a word with any other character.
 * Most words are such, and a process that meets no other (one query of a
 * script) does not load ICU's normalisation data. */
static int fold_simple(const UChar *u, int32_t n, UChar *out)
{
    int32_t i;
    for (i = 0; i < n; i++) {
        UChar c = u[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 0x0410 && c <= 0x042F))
            c = (UChar)(c + 0x20);
        else if (c == 0x0401)
            c = 0x0451;
        else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                   (c >= 0x0430 && c <= 0x044F) || c == 0x0451))
            return 0;
        out[i] = c;
    }
    return 1;
}

/* Normalises, classifies and stems the word u[0..n) into a new cache
 * entry. */
static int make_entry(ni_analyzer *an, const UChar *u, int32_t n, int number,
                      entry *e)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t fl, i, j, cyr = 0, lat = 0, other = 0, nonletter = 0, ulen = 0;
    const char *term;
    size_t term_len;
    int rc;

    e->flags = 0;
    e->too_long = 0;
    e->text_off = 0;
    e->term_hash = 0;
    e->norm_len = e->term_len = 0;
    e->term_in_norm = 1;
    e->name_len = 0;
    e->letter_case = letter_case(u, n);
    if (n <= (int32_t)(sizeof an->fold / sizeof an->fold[0]) && fold_simple(u, n, an->fold)) {
        fl = n;
    } else {
        if (!an->nfkc_cf && (an->nfkc_cf = unorm2_getNFKCCasefoldInstance(&st)) == NULL)
            return icu_error(U_FAILURE(st) ? st : U_INTERNAL_PROGRAM_ERROR, "ICU normalizer");
        fl = unorm2_normalize(an->nfkc_cf, u, n, an->fold,
                              (int32_t)(sizeof an->fold / sizeof an->fold[0]), &st);
        if (st == U_BUFFER_OVERFLOW_ERROR) {
            e->too_long = 1;
            return 0;
        }
        if (U_FAILURE(st))
            return icu_error(st, "ICU normalization");
    }
    /* ё -> е, and drop marks the normalisation left (stress on й etc.) */
    for (i = j = 0; i < fl; i++) {
        UChar c = an->fold[i];
        if (c == 0x0451)
            c = 0x0435;
        if (c == 0x0300 || c == 0x0301)
            continue;
        an->fold[j++] = c;
    }
    fl = j;
    for (i = 0; i < fl; i++) {
        UChar32 c = an->fold[i];
        UErrorCode se = U_ZERO_ERROR;
        UScriptCode sc;
        if (c >= 0x0430 && c <= 0x044F) {   /* а..я, most letters here */
            cyr++;
            continue;
        }
        if (!u_isalpha(c)) {
            nonletter++;
            continue;
        }
        sc = uscript_getScript(c, &se);
        if (sc == USCRIPT_CYRILLIC)
            cyr++;
        else if (sc == USCRIPT_LATIN && u_strchr(lookalike_from, (UChar)c))
            lat++;
        else
            other++;
    }
    if (cyr && lat && !other)
        for (i = 0; i < fl; i++) {
            const UChar *p = an->fold[i] < 0x80 ? u_strchr(lookalike_from, an->fold[i]) : NULL;
            if (p)
                an->fold[i] = lookalike_to[p - lookalike_from];
        }
    if (!cyr && lat + other) {
        /* Latin (or another script): English stemming only for Latin */
        for (i = 0; i < fl; i++) {
            UErrorCode se = U_ZERO_ERROR;
            if (u_isalpha(an->fold[i]) &&
                uscript_getScript(an->fold[i], &se) == USCRIPT_LATIN) {
                e->flags |= NI_TOKEN_LATIN;
                break;
            }
        }
    }
    st = U_ZERO_ERROR;
    u_strToUTF8(an->utf8, (int32_t)sizeof an->utf8, &ulen, an->fold, fl, &st);
    if (U_FAILURE(st) || ulen > NI_MAX_WORD_BYTES || ulen == 0) {
        e->too_long = ulen > 0 || U_FAILURE(st);
        if (ulen == 0 && !U_FAILURE(st))
            e->too_long = 1;
        return 0;
    }
    if (number)
        e->flags |= NI_TOKEN_NUMBER;
    term = an->utf8;
    term_len = (size_t)ulen;
    if (!number && cyr)
        rc = ni_stemmer_stem(an->ru, an->utf8, (size_t)ulen, &term, &term_len);
    else if (!number && (e->flags & NI_TOKEN_LATIN))
        rc = ni_stemmer_stem(an->en, an->utf8, (size_t)ulen, &term, &term_len);
    else
        rc = 0;
    if (rc < 0)
        return rc;
    if (ni_is_function_word(an->utf8, (size_t)ulen))
        e->flags |= NI_TOKEN_FUNCTION;
    /* a stem is mostly a prefix of the normal form: stored once */
    e->text_off = (uint32_t)an->arena.len;
    if (term_len > NI_MAX_WORD_BYTES) {      /* a stem never grows that much */
        e->too_long = 1;
        return 0;
    }
    e->norm_len = (uint8_t)ulen;
    e->term_len = (uint8_t)term_len;
    /* a word of two Cyrillic letters or more, two bytes each, has a name
     * key, unless it is a function word */
    if (!number && cyr && !other && !nonletter && fl >= 2 && ulen == 2 * fl &&
        !(e->flags & NI_TOKEN_FUNCTION))
        e->name_len = (uint8_t)ni_name_key_len(an->utf8, (size_t)ulen);
    e->term_hash = ni_term_hash(term, term_len);
    e->term_in_norm = term_len <= (size_t)ulen && memcmp(term, an->utf8, term_len) == 0;
    if ((rc = ni_buf_put(&an->arena, an->utf8, (size_t)ulen)) < 0)
        return rc;
    return e->term_in_norm ? 0 : ni_buf_put(&an->arena, term, term_len);
}

static const char *entry_norm(const ni_analyzer *an, const entry *e)
{
    return (const char *)an->arena.data + e->text_off;
}

static const char *entry_term(const ni_analyzer *an, const entry *e)
{
    return entry_norm(an, e) + (e->term_in_norm ? 0 : e->norm_len);
}

/* The word an entry is for (not aligned for UChar when in the arena). */
static const void *entry_key(const ni_analyzer *an, const entry *e)
{
    uint32_t off;
    if (e->key_len <= KEY_INLINE)
        return e->key;
    memcpy(&off, e->key, sizeof off);
    return an->arena.data + off;
}

/* The cache entry of the word u[0..n), made when absent.  There is room:
 * see cache_reserve. */
static int lookup(ni_analyzer *an, part *w)
{
    const UChar *u = an->u + w->s;
    int32_t n = w->t - w->s;
    uint32_t h = w->hash, mask = an->nslots - 1, j;
    size_t mark = an->arena.len;
    entry *e;
    int rc;

    for (j = h & mask; (e = &an->table[j])->key_len; j = (j + 1) & mask)
        if (e->hash == h && e->key_len == (uint32_t)n &&
            memcmp(entry_key(an, e), u, (size_t)n * sizeof *u) == 0) {
            w->e = e;
            return 0;
        }
    if ((rc = make_entry(an, u, n, w->number, e)) < 0)
        goto fail;
    if (n <= KEY_INLINE) {
        memcpy(e->key, u, (size_t)n * sizeof *u);
    } else {
        uint32_t off = (uint32_t)an->arena.len;
        if ((rc = ni_buf_put(&an->arena, u, (size_t)n * sizeof *u)) < 0)
            goto fail;
        memcpy(e->key, &off, sizeof off);
    }
    e->hash = h;
    e->key_len = (uint16_t)n;         /* n <= MAX_WORD_UNITS: the slot is taken */
    an->nentries++;
    w->e = e;
    return 0;
fail:
    e->key_len = 0;
    an->arena.len = mark;
    return rc;
}

/* Makes room for the entries of one run (MAX_PARTS + 2 new words at load
 * at most 5/8): doubles the table while it may grow, else starts the cache
 * over.  Returns 1 when entries moved or went (pointers to them are stale),
 * 0 when nothing changed, or NI_ENOMEM. */
static int cache_reserve(ni_analyzer *an)
{
    entry *old = an->table;
    void *old_mem = an->table_mem;
    uint32_t i, j, nold = an->nslots, n = an->nentries, mask;
    int rc;

    if ((n + MAX_PARTS + 2) * 8 <= nold * 5)
        return 0;
    if (nold >= CACHE_MAX_SLOTS) {
        memset(old, 0, (size_t)nold * sizeof *old);
        an->nentries = 0;
        an->arena.len = 0;
        return 1;
    }
    if ((rc = table_new(an, nold * 2)) < 0) {
        an->table = old;
        an->table_mem = old_mem;
        an->nslots = nold;
        an->nentries = n;
        return rc;
    }
    mask = an->nslots - 1;
    for (i = 0; i < nold; i++) {
        if (!old[i].key_len)
            continue;
        for (j = old[i].hash & mask; an->table[j].key_len; j = (j + 1) & mask)
            ;
        an->table[j] = old[i];
    }
    an->nentries = n;
    ni_mem_free(old_mem);
    return 1;
}

/* ---- words, runs and compounds ------------------------------------------ */

static int hyphen(UChar c)
{
    return c == 0x2D || c == 0x2010 || c == 0x2011;
}

#define CHUNK_END 2   /* next_word: the chunk ended with a run open */

/* 1 when the characters between two words u[0..n) end a sentence (or a
 * line or a heading: . ! ? … : and line breaks), so a capital letter after
 * them says nothing about a name. */
static int ends_sentence(const UChar *u, int32_t n)
{
    int32_t i;
    for (i = 0; i < n; i++)
        if (u[i] == '.' || u[i] == '!' || u[i] == '?' || u[i] == ':' || u[i] == '\n' ||
            u[i] == '\r' || u[i] == 0x2026 || u[i] == 0x2029 || u[i] == 0x2028)
            return 1;
    return 0;
}

/* Moves the break iterator to the chunk's next word and keeps it in
 * an->ahead (s == t at the end of the chunk).  Its cache slot is fetched
 * now, so the memory access overlaps the work on the word before it. */
static void scan_ahead(ni_analyzer *an)
{
    part *w = &an->ahead;
    for (;;) {
        int32_t s, t, d;
        int status = UBRK_WORD_LETTER;
        if (an->rest < an->rest_end) {
            s = an->rest;
            t = an->rest_end;
            an->rest_end = 0;
        } else {
            s = an->boundary;
            t = ubrk_next(an->bi);
            if (t == UBRK_DONE) {
                w->s = w->t = 0;
                return;
            }
            an->boundary = t;
            status = ubrk_getRuleStatus(an->bi);
            if (status >= UBRK_WORD_NONE && status < UBRK_WORD_NONE_LIMIT) {
                if (!an->sentence_start)
                    an->sentence_start = ends_sentence(an->u + s, t - s);
                continue;
            }
        }
        w->number = status >= UBRK_WORD_NUMBER && status < UBRK_WORD_NUMBER_LIMIT;
        /* an '@' is no part of a word (@banksta, user@mail) */
        while (s < t && an->u[s] == '@')
            s++;
        while (t > s && an->u[t - 1] == '@')
            t--;
        if (s == t)
            continue;
        /* letters joined by a dot or an '@' are words of their own
         * (Д.Медведева, user@mail) */
        for (d = s + 1; !w->number && d < t - 1 && an->u[d] != '.' && an->u[d] != '@'; d++)
            ;
        if (!w->number && d < t - 1) {
            an->rest = d + 1;
            an->rest_end = t;
            t = d;
        }
        w->s = s;
        w->t = t;
        w->e = NULL;
        w->initial = an->sentence_start;
        an->sentence_start = 0;
        if (t - s <= MAX_WORD_UNITS) {
            w->hash = hash_units(an->u + s, t - s) ^ (uint32_t)w->number;
            PREFETCH(&an->table[w->hash & (an->nslots - 1)]);
        }
        return;
    }
}

/* The next word of the text in *w: 0, NI_DONE at the end, or CHUNK_END
 * when a run must be flushed before the next chunk is decoded (its offsets
 * refer to the current one). */
static int next_word(ni_analyzer *an, part *w)
{
    int rc;
    for (;;) {
        if (!an->chunk_open) {
            if (an->nrun)
                return CHUNK_END;
            if ((rc = next_chunk(an)) != 0)
                return rc;
            scan_ahead(an);
        }
        if (an->ahead.s == an->ahead.t) {
            an->chunk_open = 0;
            continue;
        }
        *w = an->ahead;
        scan_ahead(an);
        return 0;
    }
}

/* The name key prefix (NI_NAME_MID, NI_NAME_START) of a word with entry e
 * standing first in its sentence or not, 0 for none: a lower-case word has
 * none in a document; in a query every word with a key has one. */
static char name_prefix(const ni_analyzer *an, const entry *e, int initial)
{
    if (!e->name_len || (!an->query && e->letter_case == LOWER))
        return 0;
    if (an->query)
        return NI_NAME_MID;
    return e->letter_case == TITLE && !initial ? NI_NAME_MID : NI_NAME_START;
}

static void queue_entry(ni_analyzer *an, const part *p, unsigned extra)
{
    pending *q = &an->queue[an->qlen++];
    q->norm_in_run = q->term_in_run = 0;
    q->norm_off = p->e->text_off;
    q->norm_len = p->e->norm_len;
    q->term_off = p->e->text_off + (p->e->term_in_norm ? 0 : p->e->norm_len);
    q->term_len = p->e->term_len;
    q->term_hash = p->e->term_hash;
    q->flags = p->e->flags | extra;
    q->position = an->position;
    q->start = an->base + an->ustart[p->s];
    q->end = an->base + an->uend[p->t - 1];
}

/* Queues the name key token of a word: prefix and key, the word's norm. */
static int queue_name(ni_analyzer *an, const part *p, char prefix, unsigned extra)
{
    ni_buf *rb = &an->run_bytes;
    pending *q = &an->queue[an->qlen];
    int rc;

    queue_entry(an, p, extra | NI_TOKEN_NAME);
    q->term_in_run = 1;
    q->term_off = (uint32_t)rb->len;
    q->term_len = (uint32_t)p->e->name_len + 1;
    if ((rc = ni_buf_putc(rb, (unsigned char)prefix)) < 0 ||
        (rc = ni_buf_put(rb, entry_norm(an, p->e), p->e->name_len)) < 0)
        return rc;
    q->term_hash = ni_term_hash(rb->data + q->term_off, q->term_len);
    return 0;
}

/* Queues one word's tokens: its term, unless it is a name in the middle of
 * a sentence of a document, and its name key when it has one (at a
 * sentence start, only when it is not the term: «Москва» there is
 * «москв» either way, «Песков» is «песк» and «песков»). */
static int queue_word(ni_analyzer *an, const part *p, unsigned extra)
{
    const entry *e = p->e;
    char prefix = name_prefix(an, e, p->initial);
    if (e->too_long)
        return 0;
    if (an->query || prefix != NI_NAME_MID)
        queue_entry(an, p, extra);
    /* at a sentence start, a key equal to the term says nothing more */
    if (prefix == NI_NAME_START && !an->query && e->name_len == e->term_len &&
        memcmp(entry_norm(an, e), entry_term(an, e), e->term_len) == 0)
        return 0;
    return prefix ? queue_name(an, p, prefix, extra) : 0;
}

enum { JOIN_NORMS, JOIN_TERMS, JOIN_KEYS };

/* Appends the run's parts joined by '-' to the run bytes: their norms,
 * their terms, or their name keys where they have one and norms elsewhere. */
static int join_parts(ni_analyzer *an, int n, int what)
{
    ni_buf *rb = &an->run_bytes;
    int i, rc;
    for (i = 0; i < n; i++) {
        const entry *e = an->run[i].e;
        const char *s = what == JOIN_TERMS ? entry_term(an, e) : entry_norm(an, e);
        size_t len = what == JOIN_TERMS ? e->term_len :
                     what == JOIN_KEYS && e->name_len ? e->name_len : e->norm_len;
        if ((i && (rc = ni_buf_putc(rb, '-')) < 0) || (rc = ni_buf_put(rb, s, len)) < 0)
            return rc;
    }
    return 0;
}

/* 1 when every part of the run's n has a name key equal to its term, so
 * the compound's key is its term. */
static int same_as_term(const ni_analyzer *an, int n)
{
    int i;
    for (i = 0; i < n; i++) {
        const entry *e = an->run[i].e;
        size_t len = e->name_len ? e->name_len : e->norm_len;
        if (len != e->term_len ||
            memcmp(entry_norm(an, e), entry_term(an, e), e->term_len) != 0)
            return 0;
    }
    return 1;
}

/* Queues the whole compound of the run's n parts: its term (the parts'
 * terms joined), unless its first part is a name in the middle of a
 * sentence of a document, and its name key (the parts' keys joined) when
 * the first part has one. */
static int queue_compound(ni_analyzer *an, int n)
{
    ni_buf *rb = &an->run_bytes;
    char prefix = name_prefix(an, an->run[0].e, an->run[0].initial);
    unsigned flags = NI_TOKEN_COMPOUND;
    uint32_t norm_off = (uint32_t)rb->len, norm_len;
    int i, rc;

    for (i = 0; i < n; i++)
        if (an->run[i].e->too_long)
            return 0;
        else if (an->run[i].e->flags & NI_TOKEN_LATIN)
            flags |= NI_TOKEN_LATIN;
    if ((rc = join_parts(an, n, JOIN_NORMS)) < 0)
        return rc;
    norm_len = (uint32_t)rb->len - norm_off;
    if (norm_len > NI_MAX_WORD_BYTES * 2)
        return 0;
    for (i = 0; i < 2; i++) {
        pending *q = &an->queue[an->qlen];
        if (i == 0 ? !an->query && prefix == NI_NAME_MID : !prefix)
            continue;
        if (i == 1 && prefix == NI_NAME_START && !an->query && same_as_term(an, n))
            continue;
        q->norm_in_run = q->term_in_run = 1;
        q->norm_off = norm_off;
        q->norm_len = norm_len;
        q->term_off = (uint32_t)rb->len;
        if ((i && (rc = ni_buf_putc(rb, (unsigned char)prefix)) < 0) ||
            (rc = join_parts(an, n, i ? JOIN_KEYS : JOIN_TERMS)) < 0)
            return rc;
        q->term_len = (uint32_t)rb->len - q->term_off;
        q->term_hash = ni_term_hash(rb->data + q->term_off, q->term_len);
        q->flags = flags | (i ? NI_TOKEN_NAME : 0);
        q->position = an->position;
        q->start = an->base + an->ustart[an->run[0].s];
        q->end = an->base + an->uend[an->run[n - 1].t - 1];
        an->qlen++;
    }
    return 0;
}

/* Turns the collected run (one word or a compound) into queued tokens. */
static int flush_run(ni_analyzer *an)
{
    int i, rc, n = an->nrun;

    an->nrun = 0;
    an->run_bytes.len = 0;
    if (n > 1 && (rc = queue_compound(an, n)) < 0)
        return rc;
    for (i = 0; i < n; i++) {
        if ((rc = queue_word(an, &an->run[i], n > 1 ? NI_TOKEN_PART : 0)) < 0)
            return rc;
        an->position++;
    }
    return 0;
}

/* Reads words until a run is complete and queues its tokens (the queue
 * may stay empty when the run's words were too long); NI_DONE at the end. */
static int fill(ni_analyzer *an)
{
    part w;
    int rc;

    an->qlen = an->qnext = 0;
    if ((rc = cache_reserve(an)) < 0)
        return rc;
    /* the word carried over from the last fill needs its entry again */
    if (rc && an->nrun && (rc = lookup(an, &an->run[0])) < 0)
        return rc;
    for (;;) {
        rc = next_word(an, &w);
        if (rc == NI_DONE || rc == CHUNK_END)
            return an->nrun ? flush_run(an) : rc == NI_DONE ? NI_DONE : 0;
        if (rc < 0)
            return rc;
        if (w.t - w.s > MAX_WORD_UNITS) {
            /* far too long: a position, no token; it ends any run */
            if (an->nrun && (rc = flush_run(an)) < 0)
                return rc;
            an->position++;
            return 0;
        }
        if ((rc = lookup(an, &w)) < 0)
            return rc;
        if (an->nrun) {
            const part *last = &an->run[an->nrun - 1];
            if (an->nrun < MAX_PARTS && w.s == last->t + 1 && hyphen(an->u[last->t])) {
                an->run[an->nrun++] = w;
                continue;
            }
            rc = flush_run(an);
            an->run[an->nrun++] = w;
            return rc;
        }
        an->run[an->nrun++] = w;
    }
}

int ni_analyzer_next(ni_analyzer *an, ni_token *out)
{
    const pending *q;
    int rc;

    if (!an || !out)
        return ni_error(NI_EINVAL, "ni_analyzer_next: NULL argument");
    while (an->qnext >= an->qlen)
        if ((rc = fill(an)) != 0)
            return rc;
    q = &an->queue[an->qnext++];
    out->norm = (const char *)(q->norm_in_run ? an->run_bytes.data : an->arena.data) +
                q->norm_off;
    out->term = (const char *)(q->term_in_run ? an->run_bytes.data : an->arena.data) +
                q->term_off;
    out->norm_len = q->norm_len;
    out->term_len = q->term_len;
    out->position = q->position;
    out->start = q->start;
    out->end = q->end;
    out->flags = q->flags;
    return 0;
}

size_t ni_utf8_len(const unsigned char *p, size_t left)
{
    int32_t i = 0, n = left < 4 ? (int32_t)left : 4;
    UChar32 c;
    U8_NEXT(p, i, n, c);
    return c < 0 ? 0 : (size_t)i;
}

void ni_analyzer_set_query(ni_analyzer *an, int on)
{
    an->query = on != 0;
}

uint32_t ni_analyzer_term_hash(const ni_analyzer *an)
{
    return an->queue[an->qnext - 1].term_hash;
}

int ni_rubric_term(ni_analyzer *an, ni_buf *out, const char *s, size_t n)
{
    ni_token tok;
    int rc, query = an->query;

    out->len = 0;
    if ((rc = ni_buf_put(out, NI_RUBRIC_PREFIX, sizeof NI_RUBRIC_PREFIX - 1)) < 0 ||
        (rc = ni_analyzer_start(an, s, n, 0)) < 0)
        return rc;
    an->query = 1;             /* every word's own token, whatever its case */
    while ((rc = ni_analyzer_next(an, &tok)) == 0) {
        if (tok.flags & (NI_TOKEN_PART | NI_TOKEN_NAME))
            continue;
        if (out->len > sizeof NI_RUBRIC_PREFIX - 1 && (rc = ni_buf_putc(out, ' ')) < 0)
            return rc;
        if ((rc = ni_buf_put(out, tok.norm, tok.norm_len)) < 0)
            return rc;
        if (out->len > NI_MAX_WORD_BYTES * 2)
            break;
    }
    an->query = query;
    if (rc < 0)
        return rc;
    if (out->len > NI_MAX_WORD_BYTES * 2)
        out->len = NI_MAX_WORD_BYTES * 2;
    return out->len > sizeof NI_RUBRIC_PREFIX - 1;
}
