/*
 * fresh.h - freshness (fresh.c): the factor by which a document's score is
 * multiplied to prefer recent documents among relevant ones,
 *     1 - w + w * 2^(-age / half_life),  age = max(0, ref - date),
 * a document without a date counting as the oldest (factor 1 - w: with
 * nothing to say it is recent, it is never preferred for being so; the
 * same side as the ties of NI_SORT_RELEVANCE, which put it last).  The factor
 * lies in [1 - w, 1]: multiplying by it never raises a score, so the
 * bounds dynamic pruning sums stay bounds (scores are >= 0).  Reads the
 * reference date; does not rank nor sort.
 */
#ifndef NI_FRESH_H
#define NI_FRESH_H

#include <math.h>

#include "newsindex.h"
#include "store.h"

typedef struct ni_fresh {
    int on;             /* 0: scores are left as they are, to the bit */
    double w;           /* the weight, in (0, 1] */
    double inv_half;    /* 1 / half-life in seconds */
    int64_t ref;        /* ages count from here (NI_DATE_NONE: every
                           document is as old as an undated one) */
    int64_t memo_date;  /* the last date asked for, and its factor: a */
    double memo;        /* candidate's is asked for twice, by pruning
                           and by the collector */
} ni_fresh;

/* Sets *f from the options o: on when o->fresh_half_life and
 * o->fresh_weight are both above 0; the reference date is o->fresh_ref,
 * or, when that is NI_DATE_NONE, the index's newest date, read in t.
 * 0 or <0. */
int ni_fresh_init(ni_fresh *f, ni_txn *t, const ni_search_options *o);

/* The factor of a document dated date (NI_DATE_NONE: none), in
 * [1 - w, 1]; f must be on.  With no reference date (no document of the
 * index has one) every document has 1 - w. */
static inline double ni_fresh_factor(ni_fresh *f, int64_t date)
{
    double age;
    if (date == f->memo_date)
        return f->memo;
    f->memo_date = date;
    if (date == NI_DATE_NONE || f->ref == NI_DATE_NONE)
        return f->memo = 1.0 - f->w;
    age = date >= f->ref ? 0.0 : (double)f->ref - (double)date;
    return f->memo = 1.0 - f->w + f->w * exp2(-age * f->inv_half);
}

/* score with f applied: score itself, untouched, when f is off. */
static inline double ni_fresh_apply(ni_fresh *f, double score, int64_t date)
{
    return f->on ? score * ni_fresh_factor(f, date) : score;
}

#endif
