/*
 * nearcopy.c - near copies by signature, and exactly when it is unsure
 * (nearcopy.h).
 *
 * A signature's estimate of the Jaccard similarity has a standard error
 * of about 0.066 around 0.5 (minhash.h): folding on the estimate alone
 * folded pairs of 0.35 to 0.5 as often as one in eight on some searches
 * (bench/README.md, "Near-duplicates").  So an estimate between
 * NI_SIG_APART_BELOW and NI_SIG_COPIES_FROM is settled on the exact sets:
 * the document's stored title and text analysed again, its words taken as
 * invert.c takes them for the signature (one per position, a compound
 * whole and not its parts), shingled and hashed by ni_shingler, sorted.
 * Few pairs of a search's candidates fall there (most share nothing, and
 * reposts are near 1), and each document is analysed once per nc, up to
 * nc->max_sets documents: a search among template posts (a channel's
 * "where to go today", posts of a few lines under a long footer of links)
 * could otherwise read dozens.
 *
 * Does not compute or store signatures (minhash.c, invert.c, layout.c)
 * and does not decide which hit a copy folds into (collapse.c).
 */
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "buf.h"
#include "error.h"
#include "mem.h"
#include "minhash.h"
#include "nearcopy.h"
#include "postings.h"

void ni_nearcopy_init(ni_nearcopy *nc, ni_doc_reader *rd)
{
    memset(nc, 0, sizeof *nc);
    nc->rd = rd;
    nc->max_sets = NI_NEAR_READS;
}

void ni_nearcopy_release(ni_nearcopy *nc)
{
    size_t i;
    for (i = 0; i < nc->nsets; i++)
        ni_mem_free(nc->sets[i].h);
    ni_mem_free(nc->sets);
    nc->sets = NULL;
    nc->nsets = nc->capsets = 0;
}

typedef struct words {
    ni_shingler sh;
    uint32_t pos;              /* position of the last word taken + 1 */
    uint64_t *h;
    size_t n, cap;
} words;

static int add_hash(words *w, uint64_t h)
{
    int rc;
    if (w->n == w->cap && (rc = NI_GROW(w->h, w->cap, w->n + 1)) < 0)
        return rc;
    w->h[w->n++] = h;
    return 0;
}

/* The words of one field, from position first; *end is the position after
 * them (as invert.c's add_field). */
static int add_field(words *w, ni_analyzer *an, const char *text, size_t len, uint32_t first,
                     uint32_t *end)
{
    ni_token tok;
    uint64_t h;
    int rc;

    *end = first;
    if (!text || !len)
        return 0;
    if ((rc = ni_analyzer_start(an, text, len, first)) < 0)
        return rc;
    while ((rc = ni_analyzer_next(an, &tok)) == 0)
        if (!(tok.flags & NI_TOKEN_PART) && tok.position + 1 != w->pos) {
            w->pos = tok.position + 1;
            if (ni_shingler_word(&w->sh, tok.norm, tok.norm_len, &h) && (rc = add_hash(w, h)) < 0)
                return rc;
        }
    if (rc != NI_DONE)
        return rc;
    *end = ni_analyzer_end_position(an);
    return 0;
}

static int by_value(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int ni_shingles_of_doc(uint64_t **out, size_t *n, ni_analyzer *an, const ni_doc *d)
{
    words w;
    uint32_t title_end, body_end;
    uint64_t h;
    size_t i, k;
    int rc;

    memset(&w, 0, sizeof w);
    *out = NULL;
    *n = 0;
    if ((rc = add_field(&w, an, d->title, d->title_len, 0, &title_end)) < 0 ||
        (rc = add_field(&w, an, d->text, d->text_len, title_end + NI_BODY_GAP, &body_end)) < 0 ||
        (ni_shingler_end(&w.sh, &h) && (rc = add_hash(&w, h)) < 0)) {
        ni_mem_free(w.h);
        return rc;
    }
    if (w.n)
        qsort(w.h, w.n, sizeof *w.h, by_value);
    for (i = k = 0; i < w.n; i++)
        if (!k || w.h[i] != w.h[k - 1])
            w.h[k++] = w.h[i];
    *out = w.h;
    *n = k;
    return 0;
}

int ni_shingles_near(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    size_t i = 0, j = 0, both = 0;
    if (!na || !nb)
        return 0;
    while (i < na && j < nb) {
        if (a[i] == b[j]) {
            both++;
            i++;
            j++;
        } else if (a[i] < b[j]) {
            i++;
        } else {
            j++;
        }
    }
    /* both / (na + nb - both) >= NUM / DEN */
    return (uint64_t)both * NI_NEAR_DEN >= (uint64_t)(na + nb - both) * NI_NEAR_NUM;
}

/* The index in nc->sets of doc's shingle set, or nc->nsets. */
static size_t find(const ni_nearcopy *nc, uint32_t doc)
{
    size_t i;
    for (i = 0; i < nc->nsets; i++)
        if (nc->sets[i].doc == doc)
            break;
    return i;
}

/* The index in nc->sets of doc's shingle set, made at the first call for
 * it (which may move the others). */
static int set_of(ni_nearcopy *nc, uint32_t doc, size_t *out)
{
    ni_shingle_set *s;
    ni_analyzer *an;
    ni_doc d;
    int rc;

    if ((*out = find(nc, doc)) < nc->nsets)
        return 0;
    if ((rc = NI_GROW(nc->sets, nc->capsets, nc->nsets + 1)) < 0)
        return rc;
    if ((rc = ni_doc_reader_get(nc->rd, doc, &d)) < 0 ||
        (rc = ni_index_borrow_analyzer(nc->rd->idx, &an)) < 0)
        return rc;
    s = &nc->sets[nc->nsets];
    s->doc = doc;
    rc = ni_shingles_of_doc(&s->h, &s->n, an, &d);
    ni_index_return_analyzer(nc->rd->idx, an);
    if (rc < 0)
        return rc;
    *out = nc->nsets++;
    return 0;
}

int ni_nearcopy_test(ni_nearcopy *nc, uint32_t a, const unsigned char *sa, uint32_t b,
                     const unsigned char *sb)
{
    const ni_shingle_set *x, *y;
    size_t i, j;
    int rc;

    nc->tests++;
    switch (ni_minhash_compare(sa, sb)) {
    case NI_SIG_APART:
        return 0;
    case NI_SIG_COPIES:
        return 1;
    default:
        break;
    }
    if (nc->nsets + (find(nc, a) == nc->nsets) + (find(nc, b) == nc->nsets) > nc->max_sets) {
        nc->guessed++;
        return ni_minhash_at_least(sa, sb, NI_NEAR_GUESS);
    }
    nc->exact++;
    if ((rc = set_of(nc, a, &i)) < 0 || (rc = set_of(nc, b, &j)) < 0)
        return rc;
    x = &nc->sets[i];
    y = &nc->sets[j];
    return ni_shingles_near(x->h, x->n, y->h, y->n);
}
