/*
 * similar.c - the articles like a document (similar.h).
 *
 * Its most distinctive words: the document is analysed again (title and
 * body) and each indexed term scored tf * idf, idf as BM25's over the
 * live documents; terms of function words, numbers, terms in this
 * document only (df 1, which find nothing else) and words the query
 * language would read as syntax are left out.  The best NI_SIMILAR_WORDS
 * are searched by the normal form of a word that has them, as plain words
 * OR-ed (BM25F weighs them by idf and by how the other document uses
 * them), with the caller's options otherwise, without collapsing and
 * without query rescue.  Its near copies (nearcopy.h, as a search folds
 * them) are found by a scan of the sigs table (32 bytes a document), in
 * the snapshot of the hits.  The hits
 * are the copies, most similar first (score: the estimated Jaccard
 * similarity), then the search's hits other than the document and its
 * copies; offset and limit apply to that list.
 *
 * Does not rank beyond ni_search and keeps no state between calls.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "error.h"
#include "hits.h"
#include "layout.h"
#include "mem.h"
#include "minhash.h"
#include "nearcopy.h"
#include "search.h"
#include "similar.h"

typedef struct cand {
    uint32_t term_off, term_len;   /* in the terms buffer */
    uint32_t norm_off, norm_len;   /* a normal form that has it */
    uint32_t tf;
    double weight;
} cand;

typedef struct picker {
    ni_buf bytes;
    cand *c;
    size_t n, cap;
} picker;

/* Whether a normal form can stand in a query as a plain word. */
static int plain_word(const char *s, size_t n)
{
    size_t i;
    if (!n || s[0] == '-' || n > NI_MAX_WORD_BYTES)
        return 0;
    for (i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x80 && !((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-'))
            return 0;
    }
    return 1;
}

static int note(picker *p, const ni_token *t)
{
    size_t i;
    int rc;
    for (i = 0; i < p->n; i++)
        if (p->c[i].term_len == t->term_len &&
            memcmp(p->bytes.data + p->c[i].term_off, t->term, t->term_len) == 0) {
            p->c[i].tf++;
            return 0;
        }
    if ((rc = NI_GROW(p->c, p->cap, p->n + 1)) < 0)
        return rc;
    p->c[p->n].term_off = (uint32_t)p->bytes.len;
    p->c[p->n].term_len = (uint32_t)t->term_len;
    if ((rc = ni_buf_put(&p->bytes, t->term, t->term_len)) < 0)
        return rc;
    p->c[p->n].norm_off = (uint32_t)p->bytes.len;
    p->c[p->n].norm_len = (uint32_t)t->norm_len;
    if ((rc = ni_buf_put(&p->bytes, t->norm, t->norm_len)) < 0)
        return rc;
    p->c[p->n].tf = 1;
    p->c[p->n].weight = 0;
    p->n++;
    return 0;
}

/* The terms of one field of the document into p. */
static int gather(picker *p, ni_analyzer *an, const char *text, size_t len)
{
    ni_token t;
    int rc;
    if (!text || !len)
        return 0;
    if ((rc = ni_analyzer_start(an, text, len, 0)) < 0)
        return rc;
    while ((rc = ni_analyzer_next(an, &t)) == 0)
        if (!(t.flags & (NI_TOKEN_NUMBER | NI_TOKEN_FUNCTION)) && t.term_len &&
            t.term_len <= NI_MAX_TERM_BYTES && plain_word(t.norm, t.norm_len) &&
            (rc = note(p, &t)) < 0)
            return rc;
    return rc == NI_DONE ? 0 : rc;
}

static int by_weight(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    return x->weight > y->weight ? -1 : x->weight < y->weight;
}

/* The query of the document's most distinctive words into q (empty when
 * it has none). */
static int words_query(ni_index *idx, const char *id, size_t id_len, ni_buf *q)
{
    ni_txn *t = NULL;
    ni_doc_reader rd;
    ni_analyzer *an = NULL;
    picker p;
    ni_meta m;
    ni_doc d;
    uint32_t doc;
    size_t i, used;
    int rc;

    memset(&p, 0, sizeof p);
    if ((rc = ni_txn_begin(&t, idx->store, 0)) < 0)
        return rc;
    ni_doc_reader_init(&rd, idx, t);
    if ((rc = ni_id_get(t, id, id_len, &doc)) < 0 ||
        (rc = ni_meta_read(t, &m)) < 0 ||
        (rc = ni_doc_reader_get(&rd, doc, &d)) < 0 ||
        (rc = ni_index_borrow_analyzer(idx, &an)) < 0)
        goto cleanup;
    rc = gather(&p, an, d.title, d.title_len);
    if (rc == 0)
        rc = gather(&p, an, d.text, d.text_len);
    ni_index_return_analyzer(idx, an);
    if (rc < 0)
        goto cleanup;
    for (i = 0; i < p.n; i++) {
        ni_term_info ti;
        double df, n = (double)m.docs;
        rc = ni_term_info_read_bounds(t, (const char *)p.bytes.data + p.c[i].term_off,
                                      p.c[i].term_len, &ti);
        if (rc == NI_ENOTFOUND)
            continue;
        if (rc < 0)
            goto cleanup;
        df = ti.df;
        if (ti.df > 1)
            p.c[i].weight = p.c[i].tf * log(1 + (n - df + 0.5) / (df + 0.5));
    }
    rc = 0;
    if (p.n > 1)
        qsort(p.c, p.n, sizeof *p.c, by_weight);
    for (i = 0, used = 0; i < p.n && used < NI_SIMILAR_WORDS && p.c[i].weight > 0; i++, used++)
        if ((used && (rc = ni_buf_putc(q, ' ')) < 0) ||
            (rc = ni_buf_put(q, p.bytes.data + p.c[i].norm_off, p.c[i].norm_len)) < 0)
            goto cleanup;
cleanup:
    ni_buf_free(&p.bytes);
    ni_mem_free(p.c);
    ni_doc_reader_release(&rd);
    ni_txn_abort(t);
    return rc;
}

static int by_similarity(const void *a, const void *b)
{
    const ni_result *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->doc < y->doc ? -1 : x->doc > y->doc;
}

/* The near copies of doc in the snapshot of rd, most similar first, into
 * *out (*n of them). */
static int near_copies(ni_doc_reader *rd, uint32_t doc, ni_result **out, size_t *n)
{
    const unsigned char *mine;
    ni_cursor *c = NULL;
    ni_nearcopy nc;
    size_t cap = 0;
    ni_val k, v;
    int rc;

    *out = NULL;
    *n = 0;
    if ((rc = ni_sig_get(rd->t, doc, &mine)) < 0)
        return rc == NI_ENOTFOUND ? 0 : rc;
    if (ni_minhash_is_none(mine) || (rc = ni_cursor_open(&c, rd->t, NI_T_SIGS)) < 0)
        return rc;
    ni_nearcopy_init(&nc, rd);
    for (rc = ni_cursor_first(c); rc == 0; rc = ni_cursor_next(c)) {
        size_t i;
        if ((rc = ni_cursor_get(c, &k, &v)) < 0)
            break;
        if (k.len != 4) {
            rc = ni_error(NI_ECORRUPT, "signature chunk key has %zu bytes", k.len);
            break;
        }
        for (i = 0; i + NI_SIG_BYTES <= v.len; i += NI_SIG_BYTES) {
            uint32_t d = ni_get_be32(k.data) * NI_SIG_CHUNK + (uint32_t)(i / NI_SIG_BYTES);
            if (d == doc || ni_minhash_is_none(v.data + i))
                continue;
            if ((rc = ni_nearcopy_test(&nc, doc, mine, d, v.data + i)) < 0)
                goto done;
            if (!rc)
                continue;
            if ((rc = NI_GROW(*out, cap, *n + 1)) < 0)
                goto done;
            (*out)[*n].doc = d;
            (*out)[*n].score = ni_minhash_similarity(mine, v.data + i);
            (*out)[*n].date = 0;
            ++*n;
        }
    }
done:
    ni_nearcopy_release(&nc);
    ni_cursor_close(c);
    if (rc != NI_DONE && rc < 0)
        return rc;
    if (*n > 1)
        qsort(*out, *n, sizeof **out, by_similarity);
    return 0;
}

static int in_list(const ni_result *r, size_t n, uint32_t doc)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (r[i].doc == doc)
            return 1;
    return 0;
}

/* How many of h's hits are neither doc nor one of the copies. */
static size_t others(const ni_hits *h, uint32_t doc, const ni_result *copies, size_t ncopies)
{
    size_t i, n = 0;
    for (i = 0; i < h->nres; i++)
        n += h->res[i].doc != doc && !in_list(copies, ncopies, h->res[i].doc);
    return n;
}

/* h's hits become the copies, then its own hits but doc and the copies;
 * the first offset + limit of them. */
static int merge(ni_hits *h, uint32_t doc, ni_result *copies, size_t ncopies, size_t keep)
{
    ni_result *res = ni_mem_alloc((ncopies + h->nres + 1) * sizeof *res);
    size_t n = 0, i;
    if (!res)
        return ni_error(NI_ENOMEM, "out of memory");
    for (i = 0; i < ncopies; i++)
        res[n++] = copies[i];
    for (i = 0; i < h->nres; i++)
        if (h->res[i].doc != doc && !in_list(copies, ncopies, h->res[i].doc))
            res[n++] = h->res[i];
    ni_mem_free(h->res);
    h->res = res;
    h->nres = n < keep ? n : keep;
    h->near_copies = ncopies;
    h->has_partial = 0;
    h->partial_total = 0;
    if (h->total)
        h->total--;            /* the document holds its own words */
    if (h->total < ncopies)
        h->total = ncopies;
    return 0;
}

int ni_similar_run(ni_hits **out, ni_index *idx, const char *id, size_t id_len,
                   const ni_search_options *o)
{
    ni_search_options so = *o;
    ni_result *copies = NULL;
    ni_hits *h = NULL;
    ni_buf q = { 0 };
    size_t ncopies = 0, keep = o->offset + o->limit, round;
    uint32_t doc = 0;
    int rc;

    *out = NULL;
    if ((rc = words_query(idx, id, id_len, &q)) < 0)
        goto cleanup;
    so.default_or = 1;
    so.flags |= NI_SEARCH_NO_COLLAPSE | NI_SEARCH_EXACT | NI_SEARCH_NO_PARTIAL;
    so.offset = 0;
    so.limit = keep + 1 + 16;
    /* the hits must hold keep - ncopies others than doc and its copies,
     * which are known once searched (in the hits' snapshot) */
    for (round = 0; round < 3; round++) {
        ni_hits_free(h);
        ni_mem_free(copies);
        h = NULL;
        copies = NULL;
        if ((rc = ni_search_run(&h, idx, q.len ? (const char *)q.data : "", q.len, &so)) < 0 ||
            (rc = ni_id_get(h->txn, id, id_len, &doc)) < 0 ||
            (rc = near_copies(&h->dup_rd, doc, &copies, &ncopies)) < 0)
            goto cleanup;
        if (h->nres < so.limit || ncopies >= keep || others(h, doc, copies, ncopies) >= keep - ncopies)
            break;
        so.limit = keep + 1 + ncopies;
    }
    if ((rc = merge(h, doc, copies, ncopies, keep)) < 0)
        goto cleanup;
    h->offset = h->next = o->offset < h->nres ? o->offset : h->nres;
    *out = h;
    h = NULL;
cleanup:
    ni_hits_free(h);
    ni_mem_free(copies);
    ni_buf_free(&q);
    return rc;
}
