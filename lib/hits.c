/*
 * hits.c - the result cursor of a search (hits.h): handing out the hits a
 * search kept, one at a time with their stored fields, the passage of
 * each (snippet.c), and what the search says about itself (its mode,
 * totals, notices, rewrites by the query rescue, why nothing matched).
 * Searching is search.c's.
 */
#include <stddef.h>
#include <string.h>

#include "build.h"
#include "error.h"
#include "hits.h"
#include "mem.h"
#include "query.h"
#include "search.h"
#include "snippet.h"

/* ni_hits_free marks the cursor dead before it frees it: a call on it
 * before its memory is given out again is refused (hits.h). */
_Static_assert(offsetof(ni_hits, dead) >= 32, "the mark must outlive free()");

static int freed(const ni_hits *h, const char *fn)
{
    if (h->dead != NI_HITS_DEAD)
        return 0;
    return ni_error(NI_EINVAL, "%s: the hits were freed already", fn);
}

void ni_hits_free(ni_hits *h)
{
    if (!h || freed(h, "ni_hits_free"))
        return;
    h->dead = NI_HITS_DEAD;
    ni_doc_reader_release(&h->rd);
    ni_doc_reader_release(&h->dup_rd);
    ni_collapse_free(&h->collapse);
    if (!h->txn_borrowed)
        ni_txn_abort(h->txn);
    ni_buf_free(&h->terms);
    ni_buf_free(&h->snip_text);
    ni_buf_free(&h->snip_ranges);
    ni_buf_free(&h->title_text);
    ni_buf_free(&h->title_ranges);
    ni_rescue_free(&h->rescue);
    ni_build_cache_drop(h);
    ni_query_free(h->tree);
    ni_buf_free(&h->query);
    ni_buf_free(&h->why_none);
    ni_buf_free(&h->lenient);
    ni_mem_free(h->res);
    if (h->parts) {
        size_t i;
        for (i = 0; i < h->nparts; i++)
            ni_hits_free(h->parts[i]);
        for (i = 0; i < h->nparts; i++)
            ni_snapshot_close(h->snaps[i]);
        ni_mem_free(h->parts);
        ni_mem_free(h->snaps);
        ni_mem_free(h->part_of);
    }
    if (h->held)
        ni_index_release(h->idx);   /* the last of a closed index frees it */
    ni_mem_free(h);
}

/* A hit's fields from its stored document d (borrowed as d is). */
static void hit_fields(ni_hit *out, const ni_doc *d)
{
    out->id = d->id;
    out->id_len = d->id_len;
    out->url = d->url;
    out->url_len = d->url_len;
    out->rubric = d->rubric;
    out->rubric_len = d->rubric_len;
    out->title = d->title;
    out->title_len = d->title_len;
    out->date = d->date;
    out->date_offset = d->date_offset;
    out->date_form = d->date_form;
}

int ni_hits_next(ni_hits *h, ni_hit *out)
{
    ni_doc d;
    const ni_result *r;
    int rc;

    if (!h || !out)
        return ni_error(NI_EINVAL, "ni_hits_next: NULL argument");
    if ((rc = freed(h, "ni_hits_next")) < 0)
        return rc;
    if (h->next >= h->nres)
        return NI_DONE;
    r = &h->res[h->next];
    h->have_cur = 0;
    if (h->parts) {
        /* of a shard: read by its cursor, which then makes the snippets */
        ni_hits *p = h->cur_part = h->parts[h->part_of[h->next]];
        p->have_cur = 0;
        if ((rc = h->ids_only ? ni_doc_reader_head(&p->rd, r->doc, &d)
                              : ni_doc_reader_get(&p->rd, r->doc, &d)) < 0)
            return rc;
        p->cur_full = !h->ids_only;
        p->cur = d;
        p->cur_doc = r->doc;
        p->have_cur = 1;
    } else if ((rc = h->ids_only ? ni_doc_reader_head(&h->rd, r->doc, &d)
                                 : ni_doc_reader_get(&h->rd, r->doc, &d)) < 0)
        return rc;
    h->cur_full = !h->ids_only;
    h->cur = d;
    h->cur_doc = r->doc;
    h->have_cur = 1;
    h->cur_partial = h->has_partial && h->next >= h->nstrict;
    h->next++;
    out->rank = h->next;
    out->score = r->score;
    hit_fields(out, &d);
    return 0;
}

const char *ni_hits_parsed(const ni_hits *h, size_t *len)
{
    *len = h->qbase ? h->qlen : 0;
    return h->qbase ? h->qbase : "";
}

ni_txn *ni_hits_txn(const ni_hits *h)
{
    return h->txn;
}

uint64_t ni_hits_total(const ni_hits *h)
{
    return h ? h->total : 0;
}

uint64_t ni_hits_partial_total(const ni_hits *h)
{
    return h ? h->partial_total : 0;
}

int ni_hits_is_partial(const ni_hits *h)
{
    return h && h->have_cur && h->cur_partial;
}

void ni_hits_pruning(const ni_hits *h, uint64_t *headers_only, uint64_t *windows)
{
    *headers_only = h->headers_only;
    *windows = h->windows;
}

int ni_hits_total_is_exact(const ni_hits *h)
{
    return h ? !h->total_approx : 1;
}

const char *ni_hits_mode(const ni_hits *h)
{
    return h ? h->mode : "";
}

const char *ni_hits_notice(const ni_hits *h)
{
    return h && h->notice[0] ? h->notice : NULL;
}

int ni_hits_snippet(ni_snippet *out, ni_hits *h, size_t max_chars)
{
    ni_analyzer *an;
    const char *text;
    size_t len;
    int rc;

    if (!out || !h)
        return ni_error(NI_EINVAL, "ni_hits_snippet: NULL argument");
    if ((rc = freed(h, "ni_hits_snippet")) < 0)
        return rc;
    memset(out, 0, sizeof *out);
    if (!h->have_cur)
        return ni_error(NI_EINVAL, "ni_hits_snippet: no current hit");
    if (h->parts)
        h = h->cur_part;
    {
        ni_doc full = h->cur;
        if (!h->cur_full && (rc = ni_doc_reader_get(&h->rd, h->cur_doc, &full)) < 0)
            return rc;
        text = full.text;
        len = full.text_len;
        if (!text || !len) {
            text = full.title;
            len = full.title_len;
        }
    }
    if ((rc = ni_index_borrow_analyzer(h->idx, &an)) < 0)
        return rc;
    rc = ni_snippet_make(an, text, len, &h->terms, max_chars, &h->snip_text,
                         &h->snip_ranges);
    ni_index_return_analyzer(h->idx, an);
    if (rc < 0)
        return rc;
    out->text = (const char *)h->snip_text.data;
    out->len = h->snip_text.len;
    out->ranges = (const size_t *)(void *)h->snip_ranges.data;
    out->nranges = h->snip_ranges.len / (2 * sizeof(size_t));
    if (!out->text)
        out->text = "";
    return 0;
}

int ni_hits_title(ni_snippet *out, ni_hits *h)
{
    ni_analyzer *an;
    ni_doc full;
    int rc;

    if (!out || !h)
        return ni_error(NI_EINVAL, "ni_hits_title: NULL argument");
    if ((rc = freed(h, "ni_hits_title")) < 0)
        return rc;
    memset(out, 0, sizeof *out);
    out->text = "";
    if (!h->have_cur)
        return ni_error(NI_EINVAL, "ni_hits_title: no current hit");
    if (h->parts)
        h = h->cur_part;
    full = h->cur;
    if (!h->cur_full && (rc = ni_doc_reader_get(&h->rd, h->cur_doc, &full)) < 0)
        return rc;
    if (!full.title || !full.title_len)
        return 0;
    if ((rc = ni_index_borrow_analyzer(h->idx, &an)) < 0)
        return rc;
    rc = ni_snippet_make(an, full.title, full.title_len, &h->terms, NI_SNIPPET_WHOLE,
                         &h->title_text, &h->title_ranges);
    ni_index_return_analyzer(h->idx, an);
    if (rc < 0)
        return rc;
    if (h->title_text.data) {
        out->text = (const char *)h->title_text.data;
        out->len = h->title_text.len;
    }
    out->ranges = (const size_t *)(void *)h->title_ranges.data;
    out->nranges = h->title_ranges.len / (2 * sizeof(size_t));
    return 0;
}

size_t ni_hits_rewrites(const ni_hits *h)
{
    return h ? h->rescue.n : 0;
}

int ni_hits_rewrite(const ni_hits *h, size_t i, ni_rewrite *out)
{
    const ni_rewrite_at *w;
    const char *base;
    if (!h || !out || i >= h->rescue.n)
        return ni_error(NI_EINVAL, "no rewrite %zu", i);
    w = &h->rescue.rw[i];
    base = (const char *)h->rescue.text.data;
    out->kind = w->kind;
    out->suggested = w->suggested;
    out->from = base + w->from_off;
    out->from_len = w->from_len;
    out->to = base + w->to_off;
    out->to_len = w->to_len;
    return 0;
}

const char *ni_hits_searched(const ni_hits *h, size_t *len)
{
    if (!h || !h->rescue.rewritten) {
        if (len)
            *len = 0;
        return NULL;
    }
    if (len)
        *len = h->rescue.searched.len;
    return (const char *)h->rescue.searched.data;
}

size_t ni_hits_duplicates(const ni_hits *h)
{
    size_t s;
    if (!h || !h->have_cur || !h->collapse.on)
        return 0;
    s = h->next - 1;
    return s < h->collapse.nstories ? h->collapse.start[s + 1] - h->collapse.start[s] : 0;
}

int ni_hits_duplicate(ni_hits *h, size_t i, ni_hit *out)
{
    const ni_result *r;
    ni_doc d;
    int rc;

    if (!h || !out)
        return ni_error(NI_EINVAL, "ni_hits_duplicate: NULL argument");
    if ((rc = freed(h, "ni_hits_duplicate")) < 0)
        return rc;
    if (i >= ni_hits_duplicates(h))
        return ni_error(NI_EINVAL, "no duplicate %zu", i);
    r = &h->collapse.dup[h->collapse.start[h->next - 1] + i];
    if ((rc = h->ids_only ? ni_doc_reader_head(&h->dup_rd, r->doc, &d)
                          : ni_doc_reader_get(&h->dup_rd, r->doc, &d)) < 0)
        return rc;
    out->rank = h->next;
    out->score = r->score;
    hit_fields(out, &d);   /* the date's form too, as ni_hits_next gives */
    return 0;
}

int ni_hits_is_near_copy(const ni_hits *h)
{
    return h && h->have_cur && h->next - 1 < h->near_copies;
}

uint64_t ni_hits_stories(const ni_hits *h, uint64_t *examined)
{
    if (examined)
        *examined = h && h->collapse.on ? h->collapse.examined : 0;
    return h && h->collapse.on ? h->collapse.stories : 0;
}

const char *ni_hits_why_none(const ni_hits *h)
{
    return h && h->why_none.len ? (const char *)h->why_none.data : NULL;
}
