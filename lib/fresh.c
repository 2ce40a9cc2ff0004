/*
 * fresh.c - freshness (fresh.h): the options read into the factor's
 * parameters, and the reference date: the caller's, or the newest date of
 * the index (the meta "newest" value, layout.c), so that the same query on
 * the same index ranks the same tomorrow.  The factor itself is inline in
 * fresh.h: it is computed once per collected document.
 */
#include "fresh.h"
#include "layout.h"

int ni_fresh_init(ni_fresh *f, ni_txn *t, const ni_search_options *o)
{
    f->on = o->fresh_half_life > 0 && o->fresh_weight > 0;
    f->w = o->fresh_weight;
    f->inv_half = f->on ? 1.0 / o->fresh_half_life : 0;
    f->ref = o->fresh_ref;
    f->memo_date = NI_DATE_NONE;
    f->memo = 1.0 - f->w;
    if (f->on && f->ref == NI_DATE_NONE)
        return ni_newest_read(t, &f->ref);
    return 0;
}
