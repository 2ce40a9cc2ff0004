/*
 * match.h - document-at-a-time matchers: every query node becomes a
 * matcher with next() and advance(target) over increasing internal ids
 * (Apache Lucy's Matcher), so conjunctions leapfrog, disjunctions merge,
 * and a matcher can bound its score for dynamic pruning (prune.h).  The
 * matchers that read posting blocks (term, phrase, NEAR) are made by
 * term.h; the others (AND, OR, date filter, all, none) and the docinfo
 * cache are match.c's.
 */
#ifndef NI_MATCH_H
#define NI_MATCH_H

#include "fresh.h"
#include "layout.h"
#include "postings.h"
#include "rank.h"

#define NI_NO_DOC UINT32_MAX

/* What all matchers of one search share. */
typedef struct ni_match_ctx {
    ni_txn *txn;
    ni_bm25 bm25;
    ni_fresh fresh;              /* applied to the final scores (topk.c) */
    uint32_t next_doc;           /* ids below this exist */
    /* a search over shards (shardstats.h): phase 1 notes the local df of
     * every term read, phase 2 reads the global df from it; NULL: this
     * index's own statistics */
    struct ni_shard_stats *gs;
    /* docinfo chunk cache (see ni_match_ctx_release) */
    ni_cursor *di_cur;
    uint32_t di_chunk;
    const unsigned char *di_data;
    size_t di_len;
    /* what pruning saved (read by tests) */
    uint64_t blocks_read;        /* posting-block headers read */
    uint64_t blocks_decoded;     /* blocks whose documents were decoded */
    uint64_t windows_skipped;    /* runs of documents ruled out by block bounds */
} ni_match_ctx;

/* Releases what the matchers cached in c (a cursor); c stays usable. */
void ni_match_ctx_release(ni_match_ctx *c);

typedef struct ni_matcher ni_matcher;

/*
 * How an AND or an OR combines other matchers (ops->parts), for the top-k
 * evaluator (prune.c): it flattens nested ORs, sums their scores in the
 * order their score functions do, and takes ANDs apart.  The arrays are
 * the matcher's own, valid while it lives.
 */
typedef enum { NI_PARTS_NONE, NI_PARTS_AND, NI_PARTS_OR, NI_PARTS_BONUS } ni_parts_kind;

typedef struct ni_match_parts {
    ni_parts_kind kind;          /* NI_PARTS_NONE: neither an AND nor an OR */
    ni_matcher **kids;           /* AND: the required parts, rarest first;
                                    OR: the kids, in the order they are summed;
                                    BONUS: kids[0], whose score the matcher's
                                    is plus its bonus (ops->bonus); when
                                    kids[0] is an OR (or an AND of one, with
                                    optional scorers), 0 where fewer than
                                    two of the OR's kids stand (nested ORs
                                    flattened) */
    size_t nkids;
    ni_matcher **opt, **excl;    /* AND: optional scorers; excluded parts */
    size_t nopt, nexcl;
    size_t min_match;            /* OR: kids a document must hold (>= 1) */
    size_t ngen;                 /* OR: kids[0..ngen) propose documents
                                    (with min_match > 1, the rarest kids;
                                    every document holds one of them) */
} ni_match_parts;

typedef struct ni_matcher_ops {
    int (*next)(ni_matcher *m);                    /* 0 or <0; doc = NI_NO_DOC at end */
    int (*advance)(ni_matcher *m, uint32_t target); /* first doc >= target */
    double (*score)(ni_matcher *m, const ni_docinfo *di); /* at the current doc */
    void (*free)(ni_matcher *m);

    /* For top-k evaluation with pruning (prune.c).  Each may be NULL;
     * call them through the ni_matcher_* wrappers below. */

    /*
     * Lucene's advanceShallow and getMaxScore in one: moves the posting
     * cursors under m that stand before target to the block holding the
     * first document >= target, reading block headers only, and sets *out
     * to a bound of m's score on every document in [target, *upto],
     * lowering *upto to the last document of the shortest posting block
     * that bound rests on.  m stands on a document (not at its end); it may
     * stand before target afterwards: the caller advances it to target or
     * beyond before it reads m->doc again.  NULL: the bound is max_score,
     * for all documents.
     */
    int (*bound)(ni_matcher *m, uint32_t target, uint32_t *upto, double *out);
    /* Fills *out with how m combines other matchers.  NULL: NI_PARTS_NONE. */
    void (*parts)(const ni_matcher *m, ni_match_parts *out);
    /* From now on m decodes a posting block's documents only when they are
     * needed, which leaves blocks ruled out by their headers undecoded;
     * the caller calls ready() before it scores m.  NULL: nothing to do. */
    void (*set_lazy)(ni_matcher *m);
    /* Decodes what a lazy m needs to score its current document.  0 or <0.
     * NULL: nothing to do. */
    int (*ready)(ni_matcher *m);
    /* A BONUS matcher (ops->parts): *out = its score at doc less that of
     * its kid, where every matcher under it holding doc stands on it (and
     * those that do not, past it or at their end).  When the kid's score
     * there plus the bonus cannot reach theta (ni_hopeless), it may stop
     * early with any *out that still cannot (-HUGE_VAL: never).  0 or <0. */
    int (*bonus)(ni_matcher *m, uint32_t doc, const ni_docinfo *di, double score,
                 double theta, double *out);
} ni_matcher_ops;

/*
 * The state of a term matcher that the top-k evaluator steps through
 * inline (ni_matcher_next, ni_matcher_advance), without a call per
 * document: its current posting block, of which the entries
 * blk.docs[0..blk.ndec) are decoded, and the index i of its current
 * document in it.  While the term is not at its end and i < blk.ndec,
 * its doc is blk.docs[i]; moving to another decoded entry j of the block
 * is setting i = j and doc = blk.docs[j].  Owned by the term (term.c).
 */
typedef struct ni_term_step {
    ni_block blk;
    uint32_t i;
} ni_term_step;

struct ni_matcher {
    const ni_matcher_ops *ops;
    uint32_t doc;                /* current document, NI_NO_DOC when done */
    double max_score;            /* no document scores more, share included */
    /* what m's presence in a document may add to a bonus scored above it
     * (proximity, prox.h), beyond m's own score: part of max_score and of
     * every bound (ni_matcher_bound), so that sums of bounds stay above
     * scores with their bonus; 0 for most matchers */
    double share;
    uint64_t cost;               /* documents it may visit (for ordering) */
    /* a term's block, when any decoded document of it may be stepped to
     * inline (not for terms restricted to the title); NULL otherwise */
    ni_term_step *step;
    /* top-k evaluation: the score at document scored_at - 1 (0: none), so
     * that a candidate's final sum does not score its matchers again */
    uint32_t scored_at;
    double scored;
};

/* m->ops->next(m), with a term's step to a decoded entry of its block
 * taken inline: the proposing terms of a top-k OR step through every
 * document they hold. */
static inline int ni_matcher_next(ni_matcher *m)
{
    ni_term_step *s = m->step;
    if (s && m->doc != NI_NO_DOC && s->i + 1 < s->blk.ndec) {
        m->doc = s->blk.docs[++s->i];
        return 0;
    }
    return m->ops->next(m);
}

/* m->ops->advance(m, target), with a term's step among the decoded
 * entries of its block taken inline: optional and probed terms are sent a
 * few documents on at a time, many times per query. */
static inline int ni_matcher_advance(ni_matcher *m, uint32_t target)
{
    ni_term_step *s = m->step;
    if (m->doc >= target)
        return 0;
    if (s && target <= s->blk.last_doc) {
        uint32_t i = s->i, n = s->blk.ndec;
        while (i < n && s->blk.docs[i] < target)
            i++;
        if (i < n) {
            s->i = i;
            m->doc = s->blk.docs[i];
            return 0;
        }
    }
    return m->ops->advance(m, target);
}

/* ops->bound plus m's share where m has one; 0 at m's end, max_score
 * otherwise. */
static inline int ni_matcher_bound(ni_matcher *m, uint32_t target, uint32_t *upto,
                                   double *out)
{
    int rc;
    if (m->doc == NI_NO_DOC) {
        *out = 0;
        return 0;
    }
    if (!m->ops->bound) {
        *out = m->max_score;
        return 0;
    }
    rc = m->ops->bound(m, target, upto, out);
    *out += m->share;
    return rc;
}

/* ops->parts, or NI_PARTS_NONE. */
static inline void ni_matcher_parts(const ni_matcher *m, ni_match_parts *out)
{
    if (m->ops->parts)
        m->ops->parts(m, out);
    else
        out->kind = NI_PARTS_NONE;
}

/* ops->bonus where m has one; 0 otherwise. */
static inline int ni_matcher_bonus(ni_matcher *m, uint32_t doc, const ni_docinfo *di,
                                   double score, double theta, double *out)
{
    *out = 0;
    return m->ops->bonus ? m->ops->bonus(m, doc, di, score, theta, out) : 0;
}

/* True when score plus bound cannot beat theta, the score a document must
 * reach to enter the top k, with room for rounding (a tie may still win
 * on date): the one test of dynamic pruning (prune.c, topk.c, prox.c). */
static inline int ni_hopeless(double score, double bound, double theta)
{
    return (score + bound) * (1.0 + 1e-9) < theta;
}

/* ops->set_lazy where m has one. */
static inline void ni_matcher_set_lazy(ni_matcher *m)
{
    if (m->ops->set_lazy)
        m->ops->set_lazy(m);
}

/* ops->ready where m has one. */
static inline int ni_matcher_ready(ni_matcher *m)
{
    return m->ops->ready ? m->ops->ready(m) : 0;
}

/* Makes the docinfo chunk holding doc c's cached one (the slow path of
 * ni_match_docinfo): 0, or NI_ECORRUPT when doc has no entry. */
int ni_match_docinfo_load(ni_match_ctx *c, uint32_t doc);

/*
 * The docinfo of doc: 1 when live, 0 when deleted, <0 on error (a missing
 * entry is NI_ECORRUPT).
 * Inline: the top-k loops read one per candidate.
 */
static inline int ni_match_docinfo(ni_match_ctx *c, uint32_t doc, ni_docinfo *out)
{
    size_t off = (size_t)(doc % NI_DOCINFO_CHUNK) * NI_DOCINFO_ENTRY;
    int rc;
    if ((!c->di_data || c->di_chunk != doc / NI_DOCINFO_CHUNK ||
         c->di_len < off + NI_DOCINFO_ENTRY) &&
        (rc = ni_match_docinfo_load(c, doc)) < 0)
        return rc;
    ni_docinfo_decode(c->di_data + off, out);
    if (out->len_title == NI_DELETED)
        return 0;
    out->inv_title = ni_bm25_inv_norm(&c->bm25, out->len_title, c->bm25.avg_title);
    out->inv_body = ni_bm25_inv_norm(&c->bm25, out->len_body, c->bm25.avg_body);
    return 1;
}

/* ni_match_docinfo for only whether doc is live (1, else 0; <0 on error)
 * and its date, without the BM25 norms (what facets.c reads of every
 * match). */
static inline int ni_match_live_date(ni_match_ctx *c, uint32_t doc, int64_t *date)
{
    size_t off = (size_t)(doc % NI_DOCINFO_CHUNK) * NI_DOCINFO_ENTRY;
    int rc;
    if ((!c->di_data || c->di_chunk != doc / NI_DOCINFO_CHUNK ||
         c->di_len < off + NI_DOCINFO_ENTRY) &&
        (rc = ni_match_docinfo_load(c, doc)) < 0)
        return rc;
    if (ni_get_le32(c->di_data + off) == NI_DELETED)
        return 0;
    *date = (int64_t)ni_get_le64(c->di_data + off + 8);
    return 1;
}

/* Documents matching every req, none of excl; opt only add to the score.
 * Takes ownership of the matchers (also on failure).  nreq >= 1. */
int ni_match_and(ni_matcher **out, ni_matcher **req, size_t nreq,
                 ni_matcher **opt, size_t nopt, ni_matcher **excl, size_t nexcl);

/* Documents matching at least min_match of kids (min_match >= 1).  Takes
 * ownership. */
int ni_match_or(ni_matcher **out, ni_matcher **kids, size_t n, size_t min_match);

/* Every live document. */
int ni_match_all(ni_matcher **out, ni_match_ctx *c);

/* Documents of kid whose date is within [lo, hi].  Takes ownership. */
int ni_match_date(ni_matcher **out, ni_match_ctx *c, ni_matcher *kid,
                  int64_t lo, int64_t hi);

/* Matches nothing. */
int ni_match_none(ni_matcher **out);

/* Frees m and the matchers it owns; NULL accepted. */
void ni_matcher_free(ni_matcher *m);

/* Which of the matchers above that have no parts m is, for explaining a
 * match (explain.c): a date filter (its kid and range in *kid, *lo, *hi),
 * every document, nothing, or another (an AND, an OR, a term, a phrase). */
typedef enum { NI_MATCH_OTHER, NI_MATCH_DATE, NI_MATCH_ALL, NI_MATCH_NONE } ni_match_kind;
ni_match_kind ni_match_describe(const ni_matcher *m, ni_matcher **kid, int64_t *lo,
                                int64_t *hi);

#endif
