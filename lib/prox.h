/*
 * prox.h - proximity in the score: a query's words standing near each
 * other in a document add a bonus to its score (the formula: rank.h,
 * ni_prox_*).  The builder (build.c) hands over the query's content
 * words, in query order, as the term or word matchers it built for them;
 * neighbouring words form pairs, of which the NI_PROX_PAIRS with the
 * largest bounds count (those of the rarest words: a pasted headline would
 * otherwise have positions read for most of its words in every candidate
 * document, while the pairs of common words add little).  Before the
 * words are combined into the query's tree, ni_prox_share puts the bound
 * of each pair's bonus on one of its two words (the rarer: fewer documents
 * carry it), so that the sums of bounds dynamic pruning works with stay
 * above scores with their bonus (match.h, share).  Then ni_match_prox
 * wraps the tree: its score is the tree's plus the bonus, which reads the
 * positions of the words standing on the document (prune.c and topk.c
 * read them only for documents that can still enter the top k).
 */
#ifndef NI_PROX_H
#define NI_PROX_H

#include "match.h"

#define NI_PROX_WORDS 64       /* words handed over at most */
#define NI_PROX_PAIRS 3        /* pairs that count at most */

/* Adds to the share and max_score of words[0..n) (n <= NI_PROX_WORDS) the
 * bound of the bonus of each pair of neighbours (words[k], words[k + 1])
 * that counts, standing qpos[k + 1] - qpos[k] apart in the query, weighed
 * by weight. */
void ni_prox_share(ni_matcher *const *words, const uint32_t *qpos, size_t n, double weight);

/*
 * kid's documents, scored as kid plus the proximity bonus of words[0..n)
 * (2 <= n <= NI_PROX_WORDS), term or word matchers under kid, borrowed:
 * kid owns them (when kid is an OR, they are among its kids: a document
 * on which fewer than two of those stand has no bonus, match.h); qpos and
 * weight as given to ni_prox_share, which must have been called.
 * Takes ownership of kid, also on failure.  Its parts (match.h) are
 * NI_PARTS_BONUS with kid.  An error reading positions while scoring is
 * returned by the next call of next or advance.
 */
int ni_match_prox(ni_matcher **out, ni_matcher *kid, ni_matcher *const *words,
                  const uint32_t *qpos, size_t n, double weight);

#endif
