/*
 * prune.h - top-k evaluation of a matcher tree with dynamic pruning
 * (MaxScore and block-max), for searches that want the best k documents
 * and accept a lower bound for the number of matches.
 */
#ifndef NI_PRUNE_H
#define NI_PRUNE_H

#include "match.h"

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
 * scorers), any of them under a bonus (NI_PARTS_BONUS: proximity).  ORs use MaxScore: kids whose bounds together cannot reach the
 * threshold stop proposing candidates and are only probed while a
 * candidate can still make it.  Both ORs and ANDs sum the bounds of the
 * posting blocks around a candidate (read from block headers) and skip
 * the documents up to the end of the shortest of those blocks when the sum
 * cannot reach the threshold.  Documents that cannot enter the top k are
 * never collected, so a count of collected documents is a lower bound;
 * the scores of those collected equal exhaustive evaluation's to the last
 * bit.  The documents skip[0..nskip) (ascending; NULL when nskip is 0) are
 * left out before they are scored: neither collected nor counted.
 * NI_ENOTFOUND when root has another shape: root is untouched then, for
 * exhaustive evaluation.
 */
int ni_prune_topk(ni_matcher *root, ni_match_ctx *c, const uint32_t *skip, size_t nskip,
                  ni_collect_fn collect, void *arg);

#endif
