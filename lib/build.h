/*
 * build.h - from the parsed query tree to matchers (build.c), for
 * search.c: the builder's state between building and evaluating (the
 * partial pass and the rounds of collapsing build the same tree again).
 */
#ifndef NI_BUILD_H
#define NI_BUILD_H

#include "analyzer.h"
#include "match.h"
#include "prox.h"
#include "query.h"
#include "search.h"

/* One build of a query tree; fields are read by search.c between builds
 * (and_mode, prox and rescue are set by it before one). */
typedef struct builder {
    ni_match_ctx *c;
    ni_analyzer *an;
    int and_mode;
    int all_words;             /* NI_SEARCH_ALL_WORDS: no share for long queries */
    int rescue;                /* not NI_SEARCH_EXACT: words matching nothing rescued */
    size_t unknown;            /* plain words that matched nothing, built so far */
    size_t nterms, max_terms;  /* terms the tree is searched by, and its budget */
    ni_hits *h;
    int boolean;               /* operators were used */
    size_t words;              /* content words of the last plain AND built */
    ni_search_note_fn note;    /* see ni_search_build; NULL for searches */
    void *note_arg;
    /* proximity (prox.h): the content words of the query's top AND */
    const ni_qnode *root;
    double prox;               /* its weight; 0: none */
    ni_matcher *slot[NI_PROX_WORDS];
    uint32_t slot_qpos[NI_PROX_WORDS];
    size_t nslots;
    uint32_t qpos;             /* query position of the next word */
    uint32_t text_end;         /* positions the last text built took */
} builder;

/* Sets b up for building h's query with c and o (the mode named in h). */
void ni_build_init(builder *b, ni_hits *h, ni_match_ctx *c, const ni_search_options *o);

/* Builds tree with an analyzer of the index into *root (NULL when nothing
 * is searched), the root wrapped with the proximity of its words; "boolean"
 * becomes h's mode when operators were used.  0 or <0 (NI_ELIMIT past the
 * terms' budget). */
int ni_build_tree(builder *b, const ni_qnode *tree, ni_matcher **root);

/* 1 when the full matches of the tree b built are followed by partial
 * ones if they are fewer than asked for. */
int ni_build_wants_partial(const builder *b, const ni_qnode *tree, const ni_search_options *o);

/* Frees what the builds kept of the words of h's tree's nodes (before the
 * tree is freed or replaced; ni_hits_free does it). */
void ni_build_cache_drop(ni_hits *h);

#endif
