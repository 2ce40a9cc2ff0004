/*
 * facets.c - counting a query's matches by rubric and by date bucket
 * (facets.h): ni_hits_facets and ni_index_facets run here, the spec parser
 * too.  Searching is search.c's: it rebuilds the query as searched
 * (ni_search_rebuild) and this file enumerates every match once.
 *
 * The count.  Every document the matcher yields is stepped to in order,
 * without scoring or pruning, and its docinfo entry read (deleted documents
 * are skipped there): dates fall into day, month or year buckets of a small
 * hash table, and the ids, increasing, are kept (as an array and a bitmap).
 * Rubrics are terms (NI_RUBRIC_PREFIX, one per document at most), so each
 * rubric term of the lexicon is intersected with those ids (intersect: its
 * postings walked against the bitmap, or its cursor and the ids
 * leapfrogging).  A rubric counts exactly what a rubric: filter of the
 * same query finds; documents whose rubric has no words (no term) and
 * documents without one are counted as missing, and so are documents
 * without a date for the date facets, so that every facet's buckets and
 * missing add up to the total.
 *
 * What a rubric is shown as: the rubric stored with the first live
 * document (in indexing order) of its term, as that document spells it, so
 * that one rubric reads the same in every query of a snapshot («Общество»
 * and «ОБЩЕСТВО» are one term; the earlier document's spelling is shown);
 * the index handle caches it by document (ni_index_name_get).
 * Date buckets are named "YYYY-MM-DD", "YYYY-MM" and "YYYY", by the date
 * as stored (what date:, after: and before: filter on); rubrics are sorted
 * by count, more first, then by their shown name's bytes; date buckets by
 * date, oldest first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "date.h"
#include "error.h"
#include "facets.h"
#include "hits.h"
#include "mem.h"
#include "search.h"
#include "term.h"

struct ni_facets {
    ni_facet f[NI_FACETS_MAX];
    size_t n;
    ni_facet_bucket *buckets[NI_FACETS_MAX];
    ni_buf text;                 /* the buckets' values, end to end */
    uint64_t total;
    int64_t first, last;         /* dates of the counted documents */
};

/* ---- the spec ----------------------------------------------------------- */

static const struct {
    const char *name;
    ni_facet_kind kind;
} facet_names[] = {
    { "rubric", NI_FACET_RUBRIC },
    { "date:day", NI_FACET_DAY },
    { "date:month", NI_FACET_MONTH },
    { "date:year", NI_FACET_YEAR },
};

const char *ni_facet_name(ni_facet_kind kind)
{
    size_t i;
    for (i = 0; i < sizeof facet_names / sizeof *facet_names; i++)
        if (facet_names[i].kind == kind)
            return facet_names[i].name;
    return "?";
}

/* s[0..n) equals the lower-case ASCII name, letters in any case. */
static int same_name(const char *s, size_t n, const char *name)
{
    size_t i;
    if (n != strlen(name))
        return 0;
    for (i = 0; i < n; i++) {
        char ch = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
        if (ch != name[i])
            return 0;
    }
    return 1;
}

static int is_space(char ch)
{
    return ch == ' ' || ch == '\t';
}

/* One item s[0..n) (trimmed, not empty) into out. */
static int parse_item(ni_facet_spec *out, const char *s, size_t n)
{
    size_t i;
    int shown = n > 40 ? 40 : (int)n;
    for (i = 0; i < sizeof facet_names / sizeof *facet_names; i++)
        if (same_name(s, n, facet_names[i].name))
            break;
    if (i == sizeof facet_names / sizeof *facet_names) {
        if (same_name(s, n, "date"))
            return ni_error(NI_EINVAL, "facet 'date' needs a bucket: date:day, date:month "
                            "or date:year");
        if (n > 5 && same_name(s, 5, "date:"))
            return ni_error(NI_EINVAL, "bad date bucket '%.*s' (day, month or year)",
                            shown - 5, s + 5);
        return ni_error(NI_EINVAL, "unknown facet '%.*s' (rubric, date:day, date:month "
                        "or date:year)", shown, s);
    }
    for (size_t k = 0; k < out->n; k++)
        if (out->kind[k] == facet_names[i].kind)
            return ni_error(NI_EINVAL, "facet '%s' given twice", facet_names[i].name);
    out->kind[out->n++] = facet_names[i].kind;
    return 0;
}

int ni_facets_parse(ni_facet_spec *out, const char *s, size_t len)
{
    size_t i = 0;
    int rc;

    memset(out, 0, sizeof *out);
    if (!s)
        len = 0;
    for (;;) {
        size_t a = i, b;
        while (i < len && s[i] != ',')
            i++;
        b = i;
        while (a < b && is_space(s[a]))
            a++;
        while (b > a && is_space(s[b - 1]))
            b--;
        if (a == b && out->n == 0 && i == len)
            return ni_error(NI_EINVAL, "no facet given");
        if (a == b)
            return ni_error(NI_EINVAL, "empty facet in '%.*s'", (int)(len > 60 ? 60 : len), s);
        if ((rc = parse_item(out, s + a, b - a)) < 0)
            return rc;
        if (i == len)
            return 0;
        i++;                     /* the comma */
    }
}

/* ---- date buckets ------------------------------------------------------- */

/* A hash table of bucket keys and counts; a slot with count 0 is empty. */
typedef struct dslot {
    int64_t key;
    uint64_t count;
} dslot;

typedef struct dtable {
    dslot *slot;
    size_t cap, n;               /* cap a power of two, n <= cap / 2 */
} dtable;

static size_t dhash(int64_t key, size_t cap)
{
    return (size_t)(((uint64_t)key * 0x9E3779B97F4A7C15u) >> 32) & (cap - 1);
}

static int dtable_grow(dtable *t)
{
    size_t cap = t->cap ? t->cap * 2 : 64, i;
    dslot *s = ni_mem_calloc(cap, sizeof *s);
    if (!s)
        return ni_error(NI_ENOMEM, "out of memory");
    for (i = 0; i < t->cap; i++)
        if (t->slot[i].count) {
            size_t j = dhash(t->slot[i].key, cap);
            while (s[j].count)
                j = (j + 1) & (cap - 1);
            s[j] = t->slot[i];
        }
    ni_mem_free(t->slot);
    t->slot = s;
    t->cap = cap;
    return 0;
}

/* Counts one document in the bucket key. */
static int dtable_add(dtable *t, int64_t key)
{
    size_t j;
    int rc;
    if ((t->n + 1) * 2 > t->cap && (rc = dtable_grow(t)) < 0)
        return rc;
    for (j = dhash(key, t->cap); t->slot[j].count; j = (j + 1) & (t->cap - 1))
        if (t->slot[j].key == key) {
            t->slot[j].count++;
            return 0;
        }
    t->slot[j].key = key;
    t->slot[j].count = 1;
    t->n++;
    return 0;
}

static int cmp_dslot(const void *a, const void *b)
{
    int64_t x = ((const dslot *)a)->key, y = ((const dslot *)b)->key;
    return x < y ? -1 : x > y;
}

/* The day of date, rounded down (dates before 1970 are negative). */
static int64_t day_of(int64_t date)
{
    int64_t d = date / 86400;
    return date % 86400 < 0 ? d - 1 : d;
}

/* The bucket key of kind for day z: the day, y * 12 + month - 1, or y. */
static int64_t date_key(ni_facet_kind kind, int64_t z)
{
    int64_t y;
    unsigned m, d;
    if (kind == NI_FACET_DAY)
        return z;
    ni_civil_from_days(z, &y, &m, &d);
    return kind == NI_FACET_MONTH ? y * 12 + (int64_t)m - 1 : y;
}

/* The name of bucket key of kind into b (32 bytes); its length. */
static size_t date_name(char *b, ni_facet_kind kind, int64_t key)
{
    int64_t y;
    unsigned m, d;
    int n;
    if (kind == NI_FACET_DAY) {
        ni_civil_from_days(key, &y, &m, &d);
        n = snprintf(b, 32, "%04lld-%02u-%02u", (long long)y, m, d);
    } else if (kind == NI_FACET_MONTH) {
        y = key / 12 - (key % 12 < 0);
        n = snprintf(b, 32, "%04lld-%02u", (long long)y, (unsigned)(key - y * 12 + 1));
    } else {
        n = snprintf(b, 32, "%04lld", (long long)key);
    }
    return n > 0 ? (size_t)n : 0;
}

/* ---- the count ---------------------------------------------------------- */

/* Days whose month and year keys are kept (a direct-mapped cache: one
 * civil-date conversion per day, not per match). */
#define DCACHE 256

/* A rubric bucket being made: its count, and the document it is shown by. */
typedef struct rbucket {
    uint64_t count;
    uint32_t shown;
    size_t off, len;             /* its name in the result's text */
    const char *name;            /* there, once the text stays put */
} rbucket;

typedef struct counter {
    ni_facets *f;
    ni_match_ctx *c;
    ni_doc_reader *rd;
    const ni_facet_spec *spec;
    dtable dates[NI_FACETS_MAX];
    uint64_t undated;
    uint32_t *docs;              /* the matches, increasing (for rubrics) */
    size_t ndocs, capdocs;
    uint64_t *bits;              /* the same as a bitmap of c->next_doc bits */
    struct dcache {              /* month and year keys of recent days */
        int64_t day, month, year;
    } dcache[DCACHE];
    rbucket *rub;
    size_t nrub, caprub;
} counter;

static int want(const ni_facet_spec *spec, ni_facet_kind kind)
{
    size_t i;
    for (i = 0; i < spec->n; i++)
        if (spec->kind[i] == kind)
            return 1;
    return 0;
}

/* The bucket key of kind for day z (see date_key), through k's cache. */
static int64_t cached_key(counter *k, ni_facet_kind kind, int64_t z)
{
    struct dcache *e = &k->dcache[(uint64_t)z % DCACHE];
    if (kind == NI_FACET_DAY)
        return z;
    if (e->day != z) {
        e->day = z;
        e->month = date_key(NI_FACET_MONTH, z);
        e->year = date_key(NI_FACET_YEAR, z);
    }
    return kind == NI_FACET_MONTH ? e->month : e->year;
}

/* Counts one live match dated date (NI_DATE_NONE: none) in the date
 * facets. */
static int count_date(counter *k, int64_t date)
{
    int64_t z;
    size_t i;
    int rc;
    if (date == NI_DATE_NONE) {
        k->undated++;
        return 0;
    }
    if (k->f->first == NI_DATE_NONE || date < k->f->first)
        k->f->first = date;
    if (k->f->last == NI_DATE_NONE || date > k->f->last)
        k->f->last = date;
    z = day_of(date);
    for (i = 0; i < k->spec->n; i++)
        if (k->spec->kind[i] != NI_FACET_RUBRIC &&
            (rc = dtable_add(&k->dates[i], cached_key(k, k->spec->kind[i], z))) < 0)
            return rc;
    return 0;
}

/* Steps root through every match: totals, dates, the ids for rubrics
 * (in k->docs and k->bits). */
static int enumerate(counter *k, ni_matcher *root)
{
    int rubrics = want(k->spec, NI_FACET_RUBRIC), rc = 0;
    size_t i;

    for (i = 0; i < DCACHE; i++)
        k->dcache[i].day = INT64_MIN;    /* no day: dates are in seconds */
    if (rubrics && !(k->bits = ni_mem_calloc(k->c->next_doc / 64 + 1, sizeof *k->bits)))
        return ni_error(NI_ENOMEM, "out of memory");
    while (root && root->doc != NI_NO_DOC) {
        uint32_t doc = root->doc;
        int64_t date;
        if ((rc = ni_match_live_date(k->c, doc, &date)) < 0)
            return rc;
        if (rc == 1) {
            k->f->total++;
            if (rubrics) {
                if ((rc = NI_GROW(k->docs, k->capdocs, k->ndocs + 1)) < 0)
                    return rc;
                k->docs[k->ndocs++] = doc;
                if (doc < k->c->next_doc)
                    k->bits[doc / 64] |= (uint64_t)1 << (doc % 64);
            }
            if ((rc = count_date(k, date)) < 0)
                return rc;
        }
        if ((rc = root->ops->next(root)) < 0)
            return rc;
    }
    return 0;
}

/* The first index j >= i of docs[0..n) with docs[j] >= target (n if none),
 * galloping. */
static size_t gallop(const uint32_t *docs, size_t i, size_t n, uint32_t target)
{
    size_t step = 1, lo = i, hi;
    while (i + step < n && docs[i + step] < target) {
        lo = i + step;
        step *= 2;
    }
    hi = i + step < n ? i + step : n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (docs[mid] < target)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* How many of the matches m holds.  When m has no more postings than
 * there are matches, m steps through them, each looked up in the bitmap,
 * and seeks past runs of 64 documents without a match; otherwise m and
 * the ids leapfrog (m seeking its blocks by their last document, the ids
 * galloping).  Chosen on instruction counts (bench/README.md, "Facets"):
 * rubrics interleaved in indexing order (news) favour the walk, rubrics in
 * runs (the all-text index, file by file) the leapfrog. */
static int intersect(counter *k, ni_matcher *m, uint64_t *count)
{
    const uint32_t *docs = k->docs;
    size_t i = 0, n = k->ndocs;
    int rc = 0;
    *count = 0;
    if (m->cost <= (uint64_t)n) {
        size_t nwords = k->c->next_doc / 64 + 1, w;
        while (m->doc != NI_NO_DOC && rc == 0) {
            if ((w = m->doc / 64) >= nwords)
                break;
            if (k->bits[w]) {
                *count += (k->bits[w] >> (m->doc % 64)) & 1;
                rc = ni_matcher_next(m);
                continue;
            }
            /* no match among these 64 documents: on to the next that has */
            while (++w < nwords && !k->bits[w])
                ;
            if (w == nwords)
                break;
            rc = ni_matcher_advance(m, (uint32_t)(w * 64));
        }
        return rc;
    }
    while (i < n && m->doc != NI_NO_DOC && rc == 0) {
        if (m->doc < docs[i]) {
            rc = ni_matcher_advance(m, docs[i]);
        } else if (m->doc == docs[i]) {
            ++*count;
            i++;
            rc = ni_matcher_next(m);
        } else {
            i = gallop(docs, i, n, m->doc);
        }
    }
    return rc;
}

/* One rubric term: its first live document and its count among the
 * matches; a bucket when it has some. */
static int count_rubric(counter *k, const char *term, size_t len)
{
    ni_matcher *m = NULL;
    ni_docinfo di;
    uint64_t count = 0;
    uint32_t shown = NI_NO_DOC;
    int rc = ni_match_term(&m, k->c, term, len, NI_QFIELD_ANY, 0);

    if (rc == NI_ENOTFOUND)
        return 0;
    while (rc == 0 && m->doc != NI_NO_DOC) {
        if ((rc = ni_match_docinfo(k->c, m->doc, &di)) < 0)
            break;
        if (rc == 1) {
            shown = m->doc;
            rc = 0;
            break;
        }
        rc = m->ops->next(m);
    }
    if (rc == 0 && shown != NI_NO_DOC)
        rc = intersect(k, m, &count);
    if (rc == 0 && count) {
        if ((rc = NI_GROW(k->rub, k->caprub, k->nrub + 1)) == 0) {
            rbucket *b = &k->rub[k->nrub++];
            memset(b, 0, sizeof *b);
            b->count = count;
            b->shown = shown;
            /* the term's words, should the stored rubric be empty */
            b->off = k->f->text.len;
            b->len = len - (sizeof NI_RUBRIC_PREFIX - 1);
            rc = ni_buf_put(&k->f->text, term + sizeof NI_RUBRIC_PREFIX - 1, b->len);
        }
    }
    ni_matcher_free(m);
    return rc;
}

/* Names each rubric bucket by its shown document's stored rubric, which
 * the index handle caches (ni_index_name_get): reading a stored record
 * costs about 6 us (the compression dictionary's set-up for the frame). */
static int name_rubrics(counter *k)
{
    size_t i;
    int rc;
    for (i = 0; i < k->nrub; i++) {
        rbucket *b = &k->rub[i];
        size_t at = k->f->text.len;
        ni_doc d;
        if ((rc = ni_index_name_get(k->rd->idx, b->shown, &k->f->text)) < 0)
            return rc;
        if (rc == 0) {
            if ((rc = ni_doc_reader_get(k->rd, b->shown, &d)) < 0 ||
                (rc = ni_index_name_put(k->rd->idx, b->shown, d.rubric ? d.rubric : "",
                                        d.rubric_len)) < 0 ||
                (rc = ni_buf_put(&k->f->text, d.rubric, d.rubric_len)) < 0)
                return rc;
        }
        if (k->f->text.len > at) {     /* else the term's words stay */
            b->off = at;
            b->len = k->f->text.len - at;
        }
    }
    return 0;
}

/* Every rubric term of the lexicon, counted among the matches. */
static int count_rubrics(counter *k)
{
    const size_t plen = sizeof NI_RUBRIC_PREFIX - 1;
    char term[NI_POSTING_KEY_MAX];
    ni_cursor *cur;
    ni_val key;
    int rc;

    if (!k->ndocs)
        return 0;
    if ((rc = ni_cursor_open(&cur, k->c->txn, NI_T_TERMS)) < 0)
        return rc;
    for (rc = ni_cursor_seek(cur, NI_RUBRIC_PREFIX, plen); rc == 0; rc = ni_cursor_next(cur)) {
        if ((rc = ni_cursor_get(cur, &key, NULL)) < 0)
            break;
        if (key.len < plen || memcmp(key.data, NI_RUBRIC_PREFIX, plen) != 0)
            break;
        if (key.len > sizeof term)
            continue;
        memcpy(term, key.data, key.len);
        if ((rc = count_rubric(k, term, key.len)) < 0)
            break;
    }
    ni_cursor_close(cur);
    if (rc == NI_DONE)
        rc = 0;
    return rc < 0 ? rc : name_rubrics(k);
}

static int cmp_rbucket(const void *a, const void *b)
{
    const rbucket *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    c = memcmp(x->name, y->name, n);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* Facet i's buckets from what was counted; f->text has room for the
 * names of its dates (it does not move). */
static int finish(counter *k, size_t i)
{
    ni_facets *f = k->f;
    ni_facet_kind kind = k->spec->kind[i];
    dtable *t = &k->dates[i];
    size_t n = kind == NI_FACET_RUBRIC ? k->nrub : t->n, j, at = 0;
    uint64_t sum = 0;
    ni_facet_bucket *b = ni_mem_calloc(n ? n : 1, sizeof *b);
    int rc;

    if (!b)
        return ni_error(NI_ENOMEM, "out of memory");
    f->buckets[i] = b;
    f->f[i].name = ni_facet_name(kind);
    f->f[i].buckets = b;
    f->f[i].nbuckets = n;
    if (kind == NI_FACET_RUBRIC) {
        for (j = 0; j < n; j++) {
            b[j].value = k->rub[j].name;
            b[j].value_len = k->rub[j].len;
            b[j].count = k->rub[j].count;
            sum += b[j].count;
        }
        f->f[i].missing = f->total - sum;
        return 0;
    }
    for (j = 0; j < t->cap; j++)
        if (t->slot[j].count)
            t->slot[at++] = t->slot[j];
    if (at)
        qsort(t->slot, at, sizeof *t->slot, cmp_dslot);
    for (j = 0; j < at; j++) {
        char name[32];
        size_t len = date_name(name, kind, t->slot[j].key);
        b[j].value = (const char *)f->text.data + f->text.len;
        b[j].value_len = len;
        b[j].count = t->slot[j].count;
        if ((rc = ni_buf_put(&f->text, name, len)) < 0)
            return rc;
    }
    f->f[i].missing = k->undated;
    return 0;
}

int ni_facets_compute(ni_facets **out, ni_match_ctx *c, ni_doc_reader *rd, ni_matcher *root,
                      const ni_facet_spec *spec)
{
    counter k;
    size_t i, room;
    int rc;

    *out = NULL;
    memset(&k, 0, sizeof k);
    if (!(k.f = ni_mem_calloc(1, sizeof *k.f)))
        return ni_error(NI_ENOMEM, "out of memory");
    k.c = c;
    k.rd = rd;
    k.spec = spec;
    k.f->first = k.f->last = NI_DATE_NONE;
    k.f->n = spec->n;
    if ((rc = enumerate(&k, root)) < 0 ||
        (want(spec, NI_FACET_RUBRIC) && (rc = count_rubrics(&k)) < 0))
        goto cleanup;
    /* room for every date name, so that the buckets may point into text */
    for (i = 0, room = 1; i < spec->n; i++)
        room += k.dates[i].n * 32;
    if ((rc = ni_buf_reserve(&k.f->text, room)) < 0)
        goto cleanup;
    for (i = 0; i < k.nrub; i++)
        k.rub[i].name = (const char *)k.f->text.data + k.rub[i].off;
    if (k.nrub)
        qsort(k.rub, k.nrub, sizeof *k.rub, cmp_rbucket);
    for (i = 0; i < spec->n; i++)
        if ((rc = finish(&k, i)) < 0)
            goto cleanup;
cleanup:
    for (i = 0; i < NI_FACETS_MAX; i++)
        ni_mem_free(k.dates[i].slot);
    ni_mem_free(k.docs);
    ni_mem_free(k.bits);
    ni_mem_free(k.rub);
    if (rc < 0) {
        ni_facets_free(k.f);
        return rc;
    }
    *out = k.f;
    return 0;
}

/* ---- the public functions ------------------------------------------------ */

int ni_hits_facets(ni_facets **out, ni_hits *h, const char *spec, size_t len)
{
    ni_facet_spec fs;
    ni_match_ctx c;
    ni_matcher *root = NULL;
    ni_doc_reader rd;
    int rc;

    if (!out)
        return ni_error(NI_EINVAL, "ni_hits_facets: out is NULL");
    *out = NULL;
    if (!h || (!spec && len))
        return ni_error(NI_EINVAL, "ni_hits_facets: NULL argument");
    if (h->parts)
        return ni_error(NI_EINVAL, "facets of a search over shards are not merged yet");
    if ((rc = ni_facets_parse(&fs, spec, len)) < 0)
        return rc;
    ni_doc_reader_init(&rd, h->idx, h->txn);
    if ((rc = ni_search_rebuild(h, &c, &root)) == 0)
        rc = ni_facets_compute(out, &c, &rd, root, &fs);
    ni_matcher_free(root);
    ni_match_ctx_release(&c);
    ni_doc_reader_release(&rd);
    return rc;
}

int ni_index_facets(ni_facets **out, ni_index *idx, const char *spec, size_t len)
{
    ni_search_options so = NI_SEARCH_OPTIONS_INIT;
    ni_facet_spec fs;
    ni_match_ctx c;
    ni_matcher *root = NULL;
    ni_doc_reader rd;
    ni_txn *txn = NULL;
    int rc;

    if (!out)
        return ni_error(NI_EINVAL, "ni_index_facets: out is NULL");
    *out = NULL;
    if (!spec && len)
        return ni_error(NI_EINVAL, "ni_index_facets: NULL argument");
    if ((rc = ni_facets_parse(&fs, spec, len)) < 0 ||
        (rc = ni_index_enter(idx, "ni_index_facets")) < 0)
        return rc;
    if ((rc = ni_txn_begin(&txn, idx->store, 0)) < 0) {
        ni_index_leave(idx);
        return rc;
    }
    ni_doc_reader_init(&rd, idx, txn);
    if ((rc = ni_search_ctx_init(&c, txn, &so)) == 0) {
        if ((rc = ni_match_all(&root, &c)) == 0)
            rc = ni_facets_compute(out, &c, &rd, root, &fs);
        ni_matcher_free(root);
        ni_match_ctx_release(&c);
    }
    ni_doc_reader_release(&rd);
    ni_txn_abort(txn);
    ni_index_leave(idx);
    return rc;
}

size_t ni_facets_count(const ni_facets *f)
{
    return f ? f->n : 0;
}

int ni_facets_get(ni_facet *out, const ni_facets *f, size_t i)
{
    if (!out || !f || i >= f->n)
        return ni_error(NI_EINVAL, "no facet %zu", i);
    *out = f->f[i];
    return 0;
}

uint64_t ni_facets_total(const ni_facets *f)
{
    return f ? f->total : 0;
}

void ni_facets_span(const ni_facets *f, int64_t *first, int64_t *last)
{
    if (first)
        *first = f ? f->first : NI_DATE_NONE;
    if (last)
        *last = f ? f->last : NI_DATE_NONE;
}

void ni_facets_free(ni_facets *f)
{
    size_t i;
    if (!f)
        return;
    for (i = 0; i < NI_FACETS_MAX; i++)
        ni_mem_free(f->buckets[i]);
    ni_buf_free(&f->text);
    ni_mem_free(f);
}
