/*
 * search.c - evaluating a query against a snapshot of the index and
 * handing out the hits.
 *
 * Terms come from the analyzer (the same analysis as at index time); a
 * hyphenated compound is searched as its whole-compound term.  Evaluation
 * is document-at-a-time over term iterators with next() and advance(target)
 * (a posting-block cursor: advancing past the current block is one B-tree
 * seek on the key term 0x00 be32(target), which lands on the block holding
 * the target or the next one).
 *
 * Default AND: every content word is required; function words (see
 * ni_is_function_word) are optional and only add to the score, unless the
 * query has nothing else.  OR: any term matches.  Deleted documents (marked
 * in docinfo) are skipped.  The top offset + limit documents are kept in a
 * heap ordered by score, then newer date, then internal id; hits with equal
 * score and date are finally ordered by external id.
 */
#include <stdlib.h>
#include <string.h>

#include "index.h"
#include "rank.h"

#define MAX_QUERY_TERMS 256
#define NO_DOC UINT32_MAX

typedef struct term_it {
    const char *term;
    size_t len;
    ni_cursor *cur;
    ni_block blk;
    uint32_t i;
    uint32_t doc;          /* current document, NO_DOC at the end */
    int required;
    double idf;
} term_it;

typedef struct result {
    uint32_t doc;
    double score;
    int64_t date;
} result;

typedef struct docinfo_reader {
    ni_txn *t;
    uint32_t chunk;
    const unsigned char *data;
    size_t len;
} docinfo_reader;

struct ni_hits {
    ni_index *idx;
    ni_txn *txn;
    ni_record_codec *codec;
    ni_buf scratch;
    result *res;
    size_t nres, next, offset;
    uint64_t total;
};

/* ---- term iterators ---------------------------------------------------- */

static int load_block(term_it *it)
{
    ni_val k, v;
    int rc = ni_cursor_get(it->cur, &k, &v);
    if (rc == NI_DONE || (rc == 0 && (k.len != it->len + 5 ||
                                      memcmp(k.data, it->term, it->len) != 0 ||
                                      k.data[it->len] != 0))) {
        it->doc = NO_DOC;
        return 0;
    }
    if (rc < 0 || (rc = ni_block_open(&it->blk, v.data, v.len)) < 0 ||
        (rc = ni_block_decode_docs(&it->blk)) < 0)
        return rc;
    if (it->blk.last_doc != ni_get_be32(k.data + it->len + 1))
        return ni_error(NI_ECORRUPT, "posting block key does not match its last document");
    it->i = 0;
    it->doc = it->blk.docs[0];
    return 0;
}

static int it_open(term_it *it, ni_txn *t)
{
    unsigned char key[NI_POSTING_KEY_MAX];
    int rc = ni_cursor_open(&it->cur, t, NI_T_POSTINGS);
    if (rc < 0)
        return rc;
    rc = ni_cursor_seek(it->cur, key, ni_posting_key(key, it->term, it->len, 0));
    if (rc < 0)
        return rc;
    return load_block(it);
}

static int it_next(term_it *it)
{
    int rc;
    if (it->doc == NO_DOC)
        return 0;
    if (++it->i < it->blk.ndocs) {
        it->doc = it->blk.docs[it->i];
        return 0;
    }
    rc = ni_cursor_next(it->cur);
    if (rc < 0)
        return rc;
    return load_block(it);
}

static int it_advance(term_it *it, uint32_t target)
{
    int rc;
    if (it->doc >= target)
        return 0;
    if (target > it->blk.last_doc) {
        unsigned char key[NI_POSTING_KEY_MAX];
        rc = ni_cursor_seek(it->cur, key, ni_posting_key(key, it->term, it->len, target));
        if (rc < 0)
            return rc;
        if ((rc = load_block(it)) < 0 || it->doc == NO_DOC)
            return rc;
    }
    while (it->blk.docs[it->i] < target)
        it->i++;           /* the block's last doc is >= target */
    it->doc = it->blk.docs[it->i];
    return 0;
}

/* ---- documents --------------------------------------------------------- */

/* 1 when doc is live (filling *di), 0 when deleted or absent, <0 error. */
static int docinfo_live(docinfo_reader *r, uint32_t doc, ni_docinfo *di)
{
    uint32_t chunk = doc / NI_DOCINFO_CHUNK;
    size_t off = (size_t)(doc % NI_DOCINFO_CHUNK) * NI_DOCINFO_ENTRY;
    if (!r->data || r->chunk != chunk) {
        unsigned char key[4];
        ni_val v;
        int rc;
        ni_put_be32(key, chunk);
        rc = ni_txn_get(r->t, NI_T_DOCINFO, key, 4, &v);
        if (rc == NI_ENOTFOUND)
            return ni_error(NI_ECORRUPT, "document %u has no docinfo", doc);
        if (rc < 0)
            return rc;
        r->chunk = chunk;
        r->data = v.data;
        r->len = v.len;
    }
    if (r->len < off + NI_DOCINFO_ENTRY)
        return ni_error(NI_ECORRUPT, "document %u has no docinfo", doc);
    ni_docinfo_decode(r->data + off, di);
    return di->len_title != NI_DELETED;
}

/* ---- the heap of the best results -------------------------------------- */

/* 1 when a ranks before b. */
static int better(const result *a, const result *b, int sort_by_date)
{
    if (sort_by_date) {
        if (a->date != b->date)
            return a->date > b->date;
        if (a->score != b->score)
            return a->score > b->score;
    } else {
        if (a->score != b->score)
            return a->score > b->score;
        if (a->date != b->date)
            return a->date > b->date;
    }
    return a->doc < b->doc;
}

/* A min-heap (worst on top) of at most k results. */
static void heap_push(result *h, size_t *n, size_t k, const result *r, int by_date)
{
    size_t i, p;
    if (*n == k) {
        if (!better(r, &h[0], by_date))
            return;
        /* replace the root and sift down */
        i = 0;
        for (;;) {
            size_t l = 2 * i + 1, m = i;
            const result *cur = r;
            if (l < *n && better(cur, &h[l], by_date))
                m = l, cur = &h[l];
            if (l + 1 < *n && better(cur, &h[l + 1], by_date))
                m = l + 1;
            if (m == i)
                break;
            h[i] = h[m];
            i = m;
        }
        h[i] = *r;
        return;
    }
    i = (*n)++;
    while (i > 0 && better(&h[p = (i - 1) / 2], r, by_date)) {
        h[i] = h[p];
        i = p;
    }
    h[i] = *r;
}

/* ---- query terms ------------------------------------------------------- */

typedef struct query {
    term_it its[MAX_QUERY_TERMS];
    size_t n;
    ni_buf terms;
    size_t offs[MAX_QUERY_TERMS];
} query;

static int add_term(query *q, const ni_token *tok, int required)
{
    size_t i;
    int rc;
    for (i = 0; i < q->n; i++)
        if (q->its[i].len == tok->term_len &&
            memcmp(q->terms.data + q->offs[i], tok->term, tok->term_len) == 0) {
            q->its[i].required |= required;
            return 0;
        }
    if (q->n == MAX_QUERY_TERMS)
        return 0;
    q->offs[q->n] = q->terms.len;
    if ((rc = ni_buf_put(&q->terms, tok->term, tok->term_len)) < 0)
        return rc;
    memset(&q->its[q->n], 0, sizeof q->its[q->n]);
    q->its[q->n].len = tok->term_len;
    q->its[q->n].required = required;
    q->n++;
    return 0;
}

static int parse_query(ni_index *idx, query *q, const char *s, size_t len, int and_mode)
{
    ni_analyzer *an;
    ni_token tok;
    size_t i, content = 0;
    int rc;

    if ((rc = ni_index_borrow_analyzer(idx, &an)) < 0)
        return rc;
    rc = ni_analyzer_start(an, s, len, 0);
    while (rc == 0 && (rc = ni_analyzer_next(an, &tok)) == 0) {
        if ((tok.flags & NI_TOKEN_PART) || tok.term_len == 0)
            continue;
        if (!(tok.flags & NI_TOKEN_FUNCTION))
            content++;
        rc = add_term(q, &tok, and_mode && !(tok.flags & NI_TOKEN_FUNCTION));
    }
    ni_index_return_analyzer(idx, an);
    if (rc < 0)
        return rc;
    if (and_mode && content == 0)
        for (i = 0; i < q->n; i++)
            q->its[i].required = 1;
    for (i = 0; i < q->n; i++)
        q->its[i].term = (const char *)q->terms.data + q->offs[i];
    return 0;
}

/* ---- evaluation -------------------------------------------------------- */

static int evaluate(ni_hits *h, query *q, const ni_search_options *o)
{
    ni_bm25 p;
    ni_meta m;
    ni_term_info ti;
    docinfo_reader dr;
    size_t i, k = o->offset + o->limit, nreq = 0, n = 0;
    int rc;

    if ((rc = ni_meta_read(h->txn, &m)) < 0)
        return rc;
    p.k1 = o->k1;
    p.b = o->b;
    p.title_weight = o->title_weight;
    p.docs = (double)m.docs;
    p.avg_title = m.docs ? (double)m.sum_title / (double)m.docs : 0;
    p.avg_body = m.docs ? (double)m.sum_body / (double)m.docs : 0;

    /* Open the terms the index has; a missing required term means no hit. */
    for (i = 0; i < q->n; i++) {
        term_it *it = &q->its[i];
        rc = ni_term_info_read(h->txn, it->term, it->len, &ti);
        if (rc == NI_ENOTFOUND || (rc == 0 && ti.postings == 0)) {
            if (it->required)
                return 0;
            continue;
        }
        if (rc < 0)
            return rc;
        it->idf = ni_bm25_idf(p.docs, ti.df);
        if ((rc = it_open(it, h->txn)) < 0)
            return rc;
        if (it->required)
            nreq++;
        if (n != i) {
            q->its[n] = *it;
            it->cur = NULL;
        }
        n++;
    }
    q->n = n;
    if (n == 0 || k == 0)
        return 0;
    h->res = ni_mem_alloc(k * sizeof *h->res);
    if (!h->res)
        return ni_error(NI_ENOMEM, "out of memory");

    dr.t = h->txn;
    dr.data = NULL;
    dr.chunk = 0;
    dr.len = 0;
    for (;;) {
        uint32_t doc = NO_DOC;
        ni_docinfo di;
        result r;

        if (nreq) {
            /* leapfrog the required iterators to a common document */
            int agree;
            doc = 0;
            do {
                agree = 1;
                for (i = 0; i < n; i++) {
                    if (!q->its[i].required)
                        continue;
                    if ((rc = it_advance(&q->its[i], doc)) < 0)
                        return rc;
                    if (q->its[i].doc == NO_DOC)
                        goto done;
                    if (q->its[i].doc > doc) {
                        agree = 0;
                        doc = q->its[i].doc;
                    }
                }
            } while (!agree);
        } else {
            for (i = 0; i < n; i++)
                if (q->its[i].doc < doc)
                    doc = q->its[i].doc;
            if (doc == NO_DOC)
                break;
        }

        if ((rc = docinfo_live(&dr, doc, &di)) < 0)
            return rc;
        if (rc) {
            r.doc = doc;
            r.date = di.date;
            r.score = 0;
            for (i = 0; i < n; i++) {
                term_it *it = &q->its[i];
                if (!it->required && (rc = it_advance(it, doc)) < 0)
                    return rc;
                if (it->doc == doc)
                    r.score += ni_bm25_term(&p, it->idf, it->blk.tf_title[it->i],
                                            it->blk.tf_body[it->i], di.len_title,
                                            di.len_body);
            }
            h->total++;
            heap_push(h->res, &h->nres, k, &r, o->sort == NI_SORT_DATE);
        }
        /* move every iterator on this document past it */
        for (i = 0; i < n; i++)
            if (q->its[i].doc == doc && (rc = it_next(&q->its[i])) < 0)
                return rc;
    }
done:
    return 0;
}

static int cmp_results(const void *a, const void *b, void *by_date)
{
    int d = *(const int *)by_date;
    return better(a, b, d) ? -1 : better(b, a, d) ? 1 : 0;
}

/* Fetches the stored record of doc into *d (strings in h->scratch). */
static int fetch(ni_hits *h, uint32_t doc, ni_doc *d)
{
    unsigned char key[4];
    ni_val v;
    int rc;
    ni_put_be32(key, doc);
    rc = ni_txn_get(h->txn, NI_T_DOCS, key, 4, &v);
    if (rc == NI_ENOTFOUND)
        return ni_error(NI_ECORRUPT, "document %u has no stored fields", doc);
    if (rc < 0)
        return rc;
    return ni_record_decode(h->codec, &h->scratch, d, v.data, v.len);
}

/* Orders runs of hits with equal score and date by external id. */
static int order_ties(ni_hits *h)
{
    size_t i, j, a, b;
    for (i = 0; i < h->nres; i = j) {
        for (j = i + 1; j < h->nres && h->res[j].score == h->res[i].score &&
                        h->res[j].date == h->res[i].date; j++)
            ;
        for (a = i + 1; a < j; a++)      /* insertion sort: runs are tiny */
            for (b = a; b > i; b--) {
                ni_doc x, y;
                char *xid;
                int rc, c;
                size_t n;
                if ((rc = fetch(h, h->res[b - 1].doc, &x)) < 0)
                    return rc;
                xid = ni_mem_strndup(x.id, x.id_len);
                if (!xid)
                    return ni_error(NI_ENOMEM, "out of memory");
                if ((rc = fetch(h, h->res[b].doc, &y)) < 0) {
                    ni_mem_free(xid);
                    return rc;
                }
                n = x.id_len < y.id_len ? x.id_len : y.id_len;
                c = memcmp(xid, y.id, n);
                if (c == 0)
                    c = (x.id_len > y.id_len) - (x.id_len < y.id_len);
                ni_mem_free(xid);
                if (c <= 0)
                    break;
                result tmp = h->res[b - 1];
                h->res[b - 1] = h->res[b];
                h->res[b] = tmp;
            }
    }
    return 0;
}

void ni_hits_free(ni_hits *h)
{
    if (!h)
        return;
    ni_txn_abort(h->txn);
    ni_record_codec_free(h->codec);
    ni_buf_free(&h->scratch);
    ni_mem_free(h->res);
    ni_mem_free(h);
}

int ni_search_run(ni_hits **out, ni_index *idx, const char *s, size_t len,
                  const ni_search_options *o)
{
    ni_hits *h;
    query *q;
    size_t i;
    int rc, by_date;

    *out = NULL;
    h = ni_mem_calloc(1, sizeof *h);
    q = ni_mem_calloc(1, sizeof *q);
    if (!h || !q) {
        ni_mem_free(h);
        ni_mem_free(q);
        return ni_error(NI_ENOMEM, "out of memory");
    }
    h->idx = idx;
    h->offset = o->offset;
    if ((rc = ni_record_codec_new(&h->codec)) < 0 ||
        (rc = ni_txn_begin(&h->txn, idx->store, 0)) < 0 ||
        (rc = parse_query(idx, q, s, len, !o->default_or)) < 0 ||
        (rc = evaluate(h, q, o)) < 0)
        goto cleanup;
    by_date = o->sort == NI_SORT_DATE;
    qsort_r(h->res, h->nres, sizeof *h->res, cmp_results, &by_date);
    if ((rc = order_ties(h)) < 0)
        goto cleanup;
    h->next = h->offset;
cleanup:
    for (i = 0; i < q->n; i++)
        ni_cursor_close(q->its[i].cur);
    ni_buf_free(&q->terms);
    ni_mem_free(q);
    if (rc < 0) {
        ni_hits_free(h);
        return rc;
    }
    *out = h;
    return 0;
}

int ni_hits_next(ni_hits *h, ni_hit *out)
{
    ni_doc d;
    const result *r;
    int rc;

    if (!h || !out)
        return ni_error(NI_EINVAL, "ni_hits_next: NULL argument");
    if (h->next >= h->nres)
        return NI_DONE;
    r = &h->res[h->next];
    if ((rc = fetch(h, r->doc, &d)) < 0)
        return rc;
    h->next++;
    out->rank = h->next;
    out->score = r->score;
    out->id = d.id;
    out->id_len = d.id_len;
    out->url = d.url;
    out->url_len = d.url_len;
    out->rubric = d.rubric;
    out->rubric_len = d.rubric_len;
    out->title = d.title;
    out->title_len = d.title_len;
    out->date = d.date;
    return 0;
}

uint64_t ni_hits_total(const ni_hits *h)
{
    return h ? h->total : 0;
}
