/*
 * collapse.c - near copies folded into the hit that represents them
 * (collapse.h).  The greedy fold compares each candidate with the first
 * document of every story found before it: candidates times stories
 * near-copy tests (nearcopy.h), mostly of 32-byte signatures read from
 * the snapshot's sigs table (layout.h), which costs a page of the
 * candidates' chunks; a pair whose signatures are unsure is compared on
 * its stored text.  A document without a signature (none stored, or no
 * words) is a story of its own.
 *
 * Does not fetch candidates (search.c does, by ni_collapse_fetch) and
 * does not compute signatures (minhash.c, at index time).
 */
#include "collapse.h"
#include "error.h"
#include "layout.h"
#include "mem.h"
#include "minhash.h"
#include "nearcopy.h"

size_t ni_collapse_fetch(size_t want, size_t fetched)
{
    size_t cap = (want > SIZE_MAX / 8 ? SIZE_MAX / 2 : 4 * want) + NI_COLLAPSE_MAX_FETCH;
    if (!fetched)
        return want > SIZE_MAX / 4 ? want : want + want / 2 + 5;
    if (fetched >= cap)
        return 0;
    return fetched > cap / 4 ? cap : 4 * fetched;
}

/* Drops the folds of an earlier round. */
static void reset(ni_collapse *cl)
{
    ni_mem_free(cl->dup);
    ni_mem_free(cl->start);
    cl->dup = NULL;
    cl->start = NULL;
    cl->nstories = 0;
}

void ni_collapse_free(ni_collapse *cl)
{
    reset(cl);
    ni_nearcopy_release(&cl->nc);
}

/* The signature of doc, or NULL when it has none. */
static int sig_of(ni_txn *t, uint32_t doc, const unsigned char **out)
{
    int rc = ni_sig_get(t, doc, out);
    if (rc == NI_ENOTFOUND || (rc == 0 && ni_minhash_is_none(*out))) {
        *out = NULL;
        return 0;
    }
    return rc;
}

/* Moves the folded documents of the first keep stories into cl and the
 * stories' first documents to the front of res. */
static int gather(ni_collapse *cl, ni_result *res, size_t n, const size_t *story,
                  const size_t *first, size_t keep)
{
    size_t i, s, ndup = 0;

    if (!(cl->start = ni_mem_calloc(keep + 1, sizeof *cl->start)))
        return ni_error(NI_ENOMEM, "out of memory");
    for (i = 0; i < n; i++)
        if (story[i] < keep && first[story[i]] != i) {
            cl->start[story[i] + 1]++;
            ndup++;
        }
    for (s = 0; s < keep; s++)
        cl->start[s + 1] += cl->start[s];
    if (ndup && !(cl->dup = ni_mem_alloc(ndup * sizeof *cl->dup)))
        return ni_error(NI_ENOMEM, "out of memory");
    {
        size_t *fill = ni_mem_alloc((keep ? keep : 1) * sizeof *fill);
        if (!fill)
            return ni_error(NI_ENOMEM, "out of memory");
        for (s = 0; s < keep; s++)
            fill[s] = cl->start[s];
        for (i = 0; i < n; i++)
            if (story[i] < keep && first[story[i]] != i)
                cl->dup[fill[story[i]]++] = res[i];
        ni_mem_free(fill);
    }
    for (s = 0; s < keep; s++)      /* first[s] >= s: moves forward only */
        res[s] = res[first[s]];
    cl->nstories = keep;
    return 0;
}

int ni_collapse_fold(ni_collapse *cl, ni_doc_reader *rd, ni_result *res, size_t *nres,
                     size_t *nstrict, size_t want, int more_possible)
{
    size_t n = *nres, i, s, nst = 0, keep, strict = 0;
    const unsigned char **sig = NULL;
    size_t *story = NULL, *first = NULL;
    int rc = 0;

    if (!cl->nc.rd)
        ni_nearcopy_init(&cl->nc, rd);
    reset(cl);
    cl->on = 1;
    if (!n)
        return more_possible;
    sig = ni_mem_alloc(n * sizeof *sig);
    story = ni_mem_alloc(n * sizeof *story);
    first = ni_mem_alloc(n * sizeof *first);
    if (!sig || !story || !first) {
        rc = ni_error(NI_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (i = 0; i < n; i++) {
        if ((rc = sig_of(rd->t, res[i].doc, &sig[i])) < 0)
            goto cleanup;
        story[i] = nst;
        for (s = 0; sig[i] && s < nst; s++) {
            if (!sig[first[s]])
                continue;
            if ((rc = ni_nearcopy_test(&cl->nc, res[i].doc, sig[i], res[first[s]].doc,
                                       sig[first[s]])) < 0)
                goto cleanup;
            if (rc) {
                story[i] = s;
                break;
            }
        }
        rc = 0;
        if (story[i] == nst)
            first[nst++] = i;
    }
    if (nst < want && more_possible) {
        rc = 1;
        goto cleanup;
    }
    keep = nst < want ? nst : want;
    for (s = 0; s < keep; s++)
        strict += first[s] < *nstrict;
    if ((rc = gather(cl, res, n, story, first, keep)) < 0)
        goto cleanup;
    cl->stories = nst;
    cl->examined = n;
    *nres = keep;
    *nstrict = strict;
cleanup:
    ni_mem_free(sig);
    ni_mem_free(story);
    ni_mem_free(first);
    return rc;
}
