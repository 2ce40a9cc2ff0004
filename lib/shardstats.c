/*
 * shardstats.c - the collection statistics of a query (shardstats.h): a
 * table of terms and their df, sorted so that merging two tables is one
 * pass and the wire form (shardwire.c) is canonical.  Does not read the
 * index itself: term.c calls ni_shard_stats_lookup on each dictionary read
 * of a search whose context carries a table (match.h, gs).
 */
#include <string.h>

#include "error.h"
#include "match.h"
#include "mem.h"
#include "shardstats.h"

static int cmp_term(const char *a, size_t alen, const char *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    if (c)
        return c;
    return alen < blen ? -1 : alen > blen;
}

/* The index at which term stands or would be inserted; *found set. */
static size_t locate(const ni_shard_stats *s, const char *term, size_t len, int *found)
{
    size_t lo = 0, hi = s->n;
    *found = 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_term(s->t[mid].term, s->t[mid].len, term, len);
        if (c == 0) {
            *found = 1;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const ni_shard_term *ni_shard_stats_find(const ni_shard_stats *s, const char *term, size_t len)
{
    int found;
    size_t i = locate(s, term, len, &found);
    return found ? &s->t[i] : NULL;
}

int ni_shard_stats_set(ni_shard_stats *s, const char *term, size_t len, uint64_t df,
                       uint64_t postings)
{
    int found;
    size_t i = locate(s, term, len, &found);
    char *copy;

    if (found) {
        s->t[i].df = df;
        s->t[i].postings = postings;
        return 0;
    }
    if (len > UINT32_MAX)
        return ni_error(NI_EINVAL, "a term of %zu bytes", len);
    if (ni_grow((void **)&s->t, &s->cap, s->n + 1, sizeof *s->t) < 0)
        return ni_error(NI_ENOMEM, "out of memory");
    if (!(copy = ni_mem_alloc(len ? len : 1)))
        return ni_error(NI_ENOMEM, "out of memory");
    memcpy(copy, term, len);
    memmove(s->t + i + 1, s->t + i, (s->n - i) * sizeof *s->t);
    s->t[i].term = copy;
    s->t[i].len = (uint32_t)len;
    s->t[i].df = df;
    s->t[i].postings = postings;
    s->n++;
    return 0;
}

int ni_shard_stats_lookup(ni_shard_stats *s, const char *term, size_t len, ni_term_info *ti)
{
    const ni_shard_term *e;
    int rc;

    if (s->recording) {
        uint64_t here = ti->postings ? ti->df : 0;
        if ((rc = ni_shard_stats_set(s, term, len, here, ti->postings)) < 0)
            return rc;
        return here > 0 || ti->postings > 0;
    }
    e = ni_shard_stats_find(s, term, len);
    ti->df = !e ? 0 : e->df > UINT32_MAX ? UINT32_MAX : (uint32_t)e->df;
    return ti->df > 0;
}

uint64_t ni_shard_stats_cost(const ni_shard_stats *s, const char *term, size_t len,
                             uint64_t local)
{
    const ni_shard_term *e;
    if (!s || s->recording)
        return local;
    e = ni_shard_stats_find(s, term, len);
    return e ? e->postings : local;
}

int ni_shard_stats_new(ni_shard_stats **out)
{
    *out = ni_mem_calloc(1, sizeof **out);
    if (!*out)
        return ni_error(NI_ENOMEM, "out of memory");
    (*out)->newest = NI_DATE_NONE;
    return 0;
}

void ni_shard_stats_free(ni_shard_stats *s)
{
    size_t i;
    if (!s)
        return;
    for (i = 0; i < s->n; i++)
        ni_mem_free(s->t[i].term);
    ni_mem_free(s->t);
    ni_mem_free(s);
}

uint64_t ni_shard_stats_docs(const ni_shard_stats *s)
{
    return s ? s->docs : 0;
}

int ni_shard_stats_merge(ni_shard_stats *into, const ni_shard_stats *from)
{
    size_t i;
    int rc;

    ni_error_clear();
    if (!into || !from)
        return ni_error(NI_EINVAL, "ni_shard_stats_merge: NULL argument");
    if (into == from)
        return ni_error(NI_EINVAL, "ni_shard_stats_merge: the same statistics twice");
    for (i = 0; i < from->n; i++) {
        const ni_shard_term *e = ni_shard_stats_find(into, from->t[i].term, from->t[i].len);
        uint64_t df = (e ? e->df : 0) + from->t[i].df;
        uint64_t postings = (e ? e->postings : 0) + from->t[i].postings;
        if ((rc = ni_shard_stats_set(into, from->t[i].term, from->t[i].len, df, postings)) < 0)
            return rc;
    }
    into->docs += from->docs;
    into->sum_title += from->sum_title;
    into->sum_body += from->sum_body;
    if (from->newest != NI_DATE_NONE && (into->newest == NI_DATE_NONE ||
                                         from->newest > into->newest))
        into->newest = from->newest;
    return 0;
}

void ni_shard_stats_apply(ni_shard_stats *s, ni_match_ctx *c)
{
    c->gs = s;
    c->bm25.docs = (double)s->docs;
    c->bm25.avg_title = s->docs ? (double)s->sum_title / (double)s->docs : 0;
    c->bm25.avg_body = s->docs ? (double)s->sum_body / (double)s->docs : 0;
}
