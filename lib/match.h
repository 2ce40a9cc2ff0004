/*
 * match.h - document-at-a-time matchers: every query node becomes a
 * matcher with next() and advance(target) over increasing internal ids
 * (Apache Lucy's Matcher), so conjunctions leapfrog, disjunctions merge,
 * and a matcher can bound its score for dynamic pruning.
 */
#ifndef NI_MATCH_H
#define NI_MATCH_H

#include "layout.h"
#include "rank.h"

#define NI_NO_DOC UINT32_MAX

/* What all matchers of one search share. */
typedef struct ni_match_ctx {
    ni_txn *txn;
    ni_bm25 bm25;
    uint32_t next_doc;           /* ids below this exist */
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

typedef struct ni_matcher_ops {
    int (*next)(ni_matcher *m);                    /* 0 or <0; doc = NI_NO_DOC at end */
    int (*advance)(ni_matcher *m, uint32_t target); /* first doc >= target */
    double (*score)(ni_matcher *m, const ni_docinfo *di); /* at the current doc */
    void (*free)(ni_matcher *m);
} ni_matcher_ops;

struct ni_matcher {
    const ni_matcher_ops *ops;
    uint32_t doc;                /* current document, NI_NO_DOC when done */
    double max_score;            /* no document scores more */
    uint64_t cost;               /* documents it may visit (for ordering) */
    /* top-k evaluation: the score at document scored_at - 1 (0: none), so
     * that a candidate's final sum does not score its matchers again */
    uint32_t scored_at;
    double scored;
};

/*
 * The docinfo of doc: 1 when live, 0 when deleted, <0 on error (a missing
 * entry is NI_ECORRUPT).
 */
int ni_match_docinfo(ni_match_ctx *c, uint32_t doc, ni_docinfo *out);

/* A term's postings; NI_ENOTFOUND when the index has no such term.  field
 * NI_QFIELD_TITLE keeps only documents with the term in the title (and
 * scores only the title).  Not scored when scored is 0. */
int ni_match_term(ni_matcher **out, ni_match_ctx *c, const char *term,
                  size_t len, unsigned field, int scored);

/* Terms at relative positions qpos[] (increasing); slop 0: exactly there,
 * slop N: all within a window of n - 1 + N positions, in any order.
 * NI_ENOTFOUND when a term is absent. */
int ni_match_phrase(ni_matcher **out, ni_match_ctx *c, const char *const *terms,
                    const size_t *lens, const uint32_t *qpos, size_t n,
                    uint32_t slop, unsigned field);

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

void ni_matcher_free(ni_matcher *m);

/*
 * Called for every document pruning cannot rule out (and once first with
 * doc NI_NO_DOC to ask the starting threshold): returns the score a document
 * must reach to enter the top k now (-HUGE_VAL while it is not full).
 */
typedef double (*ni_collect_fn)(void *arg, uint32_t doc, double score,
                                const ni_docinfo *di);

/*
 * Top-k evaluation with dynamic pruning, for a term, a phrase, an AND
 * (required, optional and excluded parts), an OR of scorers or an OR with
 * a minimum number of matching kids (either possibly beside optional
 * scorers).  ORs use MaxScore: kids whose bounds together cannot reach the
 * threshold stop proposing candidates and are only probed while a
 * candidate can still make it.  Both ORs and ANDs sum the bounds of the
 * posting blocks around a candidate (read from block headers) and skip
 * the documents up to the end of the shortest of those blocks when the sum
 * cannot reach the threshold.  Documents that cannot enter the top k are
 * never collected, so a count of collected documents is a lower bound.
 * NI_ENOTFOUND when root has another shape (then evaluate exhaustively).
 */
int ni_match_maxscore(ni_matcher *root, ni_match_ctx *c, ni_collect_fn collect,
                      void *arg);

#endif
