/*
 * rescue.h - query rescue (rescue.c): a query word that matches nothing in
 * the index, typed in the wrong keyboard layout, transliterated or with a
 * typo, is searched as the words the index has that it most likely meant,
 * and the rewrites are recorded for the caller to show.
 *
 * The gate, shared by every rescue: only words the index does not know
 * (no term of theirs in the lexicon) are rewritten, and only into words it
 * knows; a word that matches is never touched, so a query whose words all
 * match is searched exactly as typed.  Quoted phrases and field values are
 * not rescued.  Off with NI_SEARCH_EXACT.
 */
#ifndef NI_RESCUE_H
#define NI_RESCUE_H

#include "query.h"
#include "qword.h"

#define NI_RESCUE_MAX 16          /* rewrites recorded per query */
#define NI_RESCUE_CANDIDATES 3    /* words a rescued word is searched as, at most */
#define NI_RESCUE_ENDING 3        /* a transliterated word's ending may differ
                                     in this many key bytes */
#define NI_RESCUE_FEW 3           /* a search with fewer hits than this ... */
#define NI_RESCUE_RARE_DF 3       /* ... and a word in this many documents or
                                     fewer may get a suggestion ... */
#define NI_RESCUE_SUGGEST 100     /* ... of a word this many times as frequent */
#define NI_LAYOUT_ALONE_DF 2      /* a run switching alone: its words are in this
                                     many documents */
#define NI_LAYOUT_SHORT 3         /* runs of this many characters or fewer switch
                                     only with the rest of the query */

/* One rewrite: from (as typed) and to (what was searched) are offsets into
 * the rescue's text buffer. */
typedef struct ni_rewrite_at {
    int kind;                     /* NI_RESCUE_* of newsindex.h */
    int suggested;                /* only suggested: the original was searched */
    size_t from_off, from_len, to_off, to_len;
    size_t at, at_len;            /* a word's: where it stands in the query as
                                     parsed; to_first: the length of its first
                                     candidate in to */
    size_t to_first;
    int word;                     /* a word's rewrite (not the layout's) */
} ni_rewrite_at;

typedef struct ni_rescue {
    int translit_query;           /* a Latin word of the query matches nothing
                                     and romanises words of the index */
    ni_buf text;                  /* the strings of the rewrites */
    ni_rewrite_at rw[NI_RESCUE_MAX];
    size_t n;
    ni_buf layout;                /* the query switched to the other layout,
                                     which the searched tree is parsed from */
    ni_buf searched;              /* the query as searched, when rewritten
                                     (ni_rescue_compose) */
    int rewritten;
} ni_rescue;

void ni_rescue_free(ni_rescue *r);

/*
 * Wrong keyboard layout.  Reads query[0..len) by runs of non-space
 * characters (operators, quotes and brackets left as they are) and maps
 * each with the layout switch (kblayout.h; a trailing ',' or '.' is tried
 * both as punctuation and as the key of б or ю).  A run passes when the
 * index does not know one of its words but knows each word of its switch.
 * The query was typed in the other layout when half of its runs or more
 * pass, runs longer than NI_LAYOUT_SHORT characters, two of them or one
 * whose switch's words are in NI_LAYOUT_ALONE_DF documents or more: then
 * every run that passes switches, as does every run whose switch the index
 * knows («D» for «В») and every short run the index knows neither way
 * («Rnj» for «Кто»).  Otherwise only long runs passing with
 * NI_LAYOUT_ALONE_DF switch («vs», «ru», «t» are common Latin words that
 * look like «мы», «кг», «е»; a word of one document is often a typo).
 * Returns 1 with the switched query in r->layout (and a rewrite per
 * run), 0 when nothing switched.  an must be in query mode.
 */
int ni_rescue_layout(ni_rescue *r, ni_match_ctx *c, ni_analyzer *an, const char *query,
                     size_t len);

/*
 * Reads the plain words of tree (not in phrases, fields, or under NOT) that
 * have Latin letters: when one matches nothing and romanises words of the
 * index, the query was typed in Latin letters (r->translit_query), and
 * ni_rescue_word searches its other Latin words as their Cyrillic words
 * too when those are more frequent («smi», «plan», «ukraine» beside
 * «predlozhili»).  an in query mode.
 */
int ni_rescue_scan(ni_rescue *r, ni_match_ctx *c, ni_analyzer *an, const ni_qnode *tree);

/*
 * A word the index does not know: word i of ws, a plain word of the query
 * (not in a phrase, a field or under NOT), written typed[0..typed_len) at
 * byte at of the query as parsed, whose terms are in *a.  When none of
 * them is in a document, it is searched as up to NI_RESCUE_CANDIDATES
 * words the index has, their terms added to *a (scored as one word with
 * the summed df):
 *  - a Latin word, the Cyrillic words it romanises (their transliteration
 *    key is its key: translit.h, words.h), the most frequent first, or
 *    when the index has none of that form, words with another ending;
 *  - else a word of 5 letters or more, the words one typo away (two from 9
 *    letters; typo.h) with the same first letter, the nearest, then the
 *    most frequent.
 * A word in a document is searched as typed (see ni_rescue_suggest).  In
 * a query typed in Latin letters (ni_rescue_scan), a Latin
 * word that matches is searched as itself and the Cyrillic words it
 * romanises that are in more documents than it.  The rewrite is recorded in r.  The strings the added terms
 * point to are in *mem (free it with ni_mem_free once the matcher is
 * built).  Returns 1 when the word was rescued, 2 when rescued as a
 * function word («chto» as «что»: optional in the default AND), 0 when
 * not, <0 on error.
 */
int ni_rescue_word(ni_rescue *r, ni_match_ctx *c, ni_analyzer *an, const ni_qwords *ws,
                   size_t i, const char *typed, size_t typed_len, size_t at, ni_alts *a,
                   char **mem);

/*
 * After a search found fewer than NI_RESCUE_FEW documents: for each plain
 * word of tree (as ni_rescue_scan reads them) in 1 to NI_RESCUE_RARE_DF
 * documents, a word one typo away in NI_RESCUE_SUGGEST times as many is
 * suggested (a rewrite marked suggested; the search stands).  base: the
 * query as parsed, which the tree's texts point into (or NULL).
 */
int ni_rescue_suggest(ni_rescue *r, ni_match_ctx *c, ni_analyzer *an, const ni_qnode *tree,
                      const char *base);

/* 1 when the word at byte at of the query as parsed was rescued, 2 when
 * a rewrite of it was only suggested, 0 when neither (also for SIZE_MAX). */
int ni_rescue_at(const ni_rescue *r, size_t at);

/*
 * The query as searched: the query as parsed, base[0..len), with each word
 * rescued replaced by its first candidate, into r->searched (base may be
 * r->layout); the switched query when only the layout was.
 */
int ni_rescue_compose(ni_rescue *r, const char *base, size_t len);

#endif
