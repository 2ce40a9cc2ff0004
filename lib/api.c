/*
 * api.c - the public entry points of include/newsindex.h: argument checks
 * and the version of option structs, nothing else.  Every call on an
 * ni_index enters it first (ni_index_enter: an open handle, the call
 * counted until it leaves) and writes take its write lock (index.h).  The handle's services
 * are in index.c, writing in writer.c, searching in search.c, explaining a
 * match in explain.c, verifying in check.c, copying in copy.c.
 */
#include <stddef.h>
#include <string.h>

#include "copy.h"
#include "error.h"
#include "explain.h"
#include "index.h"
#include "mem.h"
#include "search.h"
#include "shrink.h"
#include "similar.h"
#include "writer.h"

int ni_index_open(ni_index **out, const char *path, const ni_open_options *opts)
{
    ni_open_options def = NI_OPEN_OPTIONS_INIT;

    ni_error_clear();
    if (!out)
        return ni_error(NI_EINVAL, "ni_index_open: out is NULL");
    *out = NULL;
    if (!path || !*path)
        return ni_error(NI_EINVAL, "ni_index_open: no path");
    if (!opts)
        opts = &def;
    if (opts->version < 1 || opts->version > NI_OPEN_OPTIONS_VERSION)
        return ni_error(NI_EINVAL, "ni_open_options version %u; this library "
                        "knows 1 to %u", opts->version, NI_OPEN_OPTIONS_VERSION);
    return ni_index_new(out, path, opts);
}

void ni_index_close(ni_index *idx)
{
    ni_index_close_handle(idx);
}

/* The date of doc with how it was written: what ni_date_parse_tz gives. */
static int check_date(const ni_doc *doc)
{
    if (doc->date == NI_DATE_NONE)
        return 0;
    if (doc->date < -NI_DATE_LIMIT || doc->date > NI_DATE_LIMIT)
        return ni_error(NI_EINVAL, "document date %lld is out of range",
                        (long long)doc->date);
    if (doc->date_form > NI_DATE_DAY ||
        (doc->date_form == NI_DATE_OFFSET ? doc->date_offset < -1439 || doc->date_offset > 1439
                                          : doc->date_offset != 0) ||
        (doc->date_form == NI_DATE_DAY && doc->date % 86400 != 0))
        return ni_error(NI_EINVAL, "document date form %u with offset %d minutes is not "
                        "one ni_date_parse_tz gives", doc->date_form, doc->date_offset);
    return 0;
}

static int check_text(const char *s, size_t n, const char *field)
{
    if (!s && n)
        return ni_error(NI_EINVAL, "document %s is NULL with length %zu", field, n);
    return 0;
}

/* A call of the writer: op(w, doc, id, len) on the handle's writer,
 * under its write lock (index.h). */
typedef int (*write_op)(ni_writer *w, const ni_doc *doc, const char *id, size_t len);

static int write_call(ni_index *idx, write_op op, const ni_doc *doc, const char *id,
                      size_t len)
{
    ni_writer *w;
    int rc = ni_index_writer_lock(idx, &w);
    if (rc == 0) {
        rc = op(w, doc, id, len);
        ni_index_writer_unlock(idx);
    }
    return rc;
}

static int add_op(ni_writer *w, const ni_doc *doc, const char *id, size_t len)
{
    (void)id, (void)len;
    return ni_writer_add(w, doc);
}

static int delete_op(ni_writer *w, const ni_doc *doc, const char *id, size_t len)
{
    (void)doc;
    return ni_writer_delete(w, id, len);
}

static int commit_op(ni_writer *w, const ni_doc *doc, const char *id, size_t len)
{
    (void)doc, (void)id, (void)len;
    return ni_writer_commit(w);
}

static int compact_op(ni_writer *w, const ni_doc *doc, const char *id, size_t len)
{
    (void)doc, (void)id, (void)len;
    return ni_writer_compact(w);
}

static int check_doc(const ni_doc *doc)
{
    int rc;
    if (!doc)
        return ni_error(NI_EINVAL, "ni_index_add: doc is NULL");
    if ((rc = check_text(doc->url, doc->url_len, "url")) < 0 ||
        (rc = check_text(doc->rubric, doc->rubric_len, "rubric")) < 0 ||
        (rc = check_text(doc->title, doc->title_len, "title")) < 0 ||
        (rc = check_text(doc->text, doc->text_len, "text")) < 0 ||
        (rc = check_text(doc->credit, doc->credit_len, "credit")) < 0)
        return rc;
    return check_date(doc);
}

int ni_index_add(ni_index *idx, const ni_doc *doc)
{
    int rc;
    ni_error_clear();
    if ((rc = ni_index_enter(idx, "ni_index_add")) < 0)
        return rc;
    if ((rc = check_doc(doc)) == 0)
        rc = write_call(idx, add_op, doc, NULL, 0);
    ni_index_leave(idx);
    return rc;
}

int ni_index_delete(ni_index *idx, const char *id, size_t id_len)
{
    int rc;
    ni_error_clear();
    if ((rc = ni_index_enter(idx, "ni_index_delete")) < 0)
        return rc;
    rc = write_call(idx, delete_op, NULL, id, id_len);
    ni_index_leave(idx);
    return rc;
}

int ni_index_commit(ni_index *idx)
{
    int rc;
    ni_error_clear();
    if ((rc = ni_index_enter(idx, "ni_index_commit")) < 0)
        return rc;
    rc = write_call(idx, commit_op, NULL, NULL, 0);
    ni_index_leave(idx);
    return rc;
}

int ni_index_compact(ni_index *idx)
{
    int rc;
    ni_error_clear();
    if ((rc = ni_index_enter(idx, "ni_index_compact")) < 0)
        return rc;
    rc = write_call(idx, compact_op, NULL, NULL, 0);
    ni_index_leave(idx);
    return rc;
}

int ni_index_shrink(ni_shrink_info *out, ni_index *idx, ni_progress_fn progress,
                    void *payload)
{
    ni_shrink_info none;
    ni_store_info before;
    ni_writer *w;
    int rc;
    ni_error_clear();
    if (!out)
        out = &none;
    memset(out, 0, sizeof *out);
    if ((rc = ni_index_enter(idx, "ni_index_shrink")) < 0)
        return rc;
    if ((rc = ni_index_writer_lock(idx, &w)) == 0) {
        if ((rc = ni_store_info_get(idx->store, &before)) == 0 &&
            (rc = ni_writer_compact(w)) == 0) {
            rc = ni_shrink(idx->store, out, progress, payload);
            out->bytes_before = before.file_bytes;
        }
        ni_index_writer_unlock(idx);
    }
    ni_index_leave(idx);
    return rc;
}

int ni_index_copy(ni_index *idx, const char *path, unsigned flags)
{
    int rc;
    ni_error_clear();
    if ((rc = ni_index_enter(idx, "ni_index_copy")) < 0)
        return rc;
    if (!path || !*path)
        rc = ni_error(NI_EINVAL, "ni_index_copy: no path");
    else if (flags)
        rc = ni_error(NI_EINVAL, "ni_index_copy: unknown flags 0x%x", flags);
    else
        rc = ni_copy_index(idx->store, path, NULL, NULL);
    ni_index_leave(idx);
    return rc;
}

int ni_index_get(ni_doc **out, ni_index *idx, const char *id, size_t id_len)
{
    int rc;
    ni_error_clear();
    if (!out)
        return ni_error(NI_EINVAL, "ni_index_get: out is NULL");
    *out = NULL;
    if (!id)
        return ni_error(NI_EINVAL, "ni_index_get: NULL argument");
    if ((rc = ni_index_enter(idx, "ni_index_get")) < 0)
        return rc;
    if (id_len == 0)
        rc = ni_error(NI_EINVAL, "document id must be 1 to %d bytes", NI_MAX_ID_BYTES);
    else
        rc = ni_index_read_doc(out, idx, id, id_len);
    ni_index_leave(idx);
    return rc;
}

void ni_doc_free(ni_doc *doc)
{
    ni_index_doc_free(doc);
}

int ni_index_stats(ni_stats *out, ni_index *idx)
{
    int rc;
    ni_error_clear();
    if (!out)
        return ni_error(NI_EINVAL, "ni_index_stats: NULL argument");
    if ((rc = ni_index_enter(idx, "ni_index_stats")) < 0)
        return rc;
    rc = ni_index_read_stats(out, idx);
    ni_index_leave(idx);
    return rc;
}

/* 0 when *opts (not NULL) are search options this library takes; options
 * of an older version (1 without proximity, 2 without max_terms, 3
 * without freshness) are
 * copied into full, which holds the defaults, and *opts points there. */
int ni_search_options_check(const ni_search_options **opts, ni_search_options *full)
{
    const ni_search_options *o = *opts;
    if (o->version < 1 || o->version > NI_SEARCH_OPTIONS_VERSION)
        return ni_error(NI_EINVAL, "ni_search_options version %u; this library "
                        "knows 1 to %u", o->version, NI_SEARCH_OPTIONS_VERSION);
    if (o->version < NI_SEARCH_OPTIONS_VERSION) {
        /* a caller's struct without the later fields: those it has, the
         * defaults (already in full) after them */
        memcpy(full, o, o->version == 1   ? offsetof(ni_search_options, proximity)
                        : o->version == 2 ? offsetof(ni_search_options, max_terms)
                                          : offsetof(ni_search_options, fresh_half_life));
        full->version = NI_SEARCH_OPTIONS_VERSION;
        *opts = o = full;
    }
    if (!(o->k1 > 0) || !(o->b >= 0 && o->b <= 1) || !(o->title_weight >= 0) ||
        o->k1 > 1e6 || o->title_weight > 1e6 || !(o->proximity >= 0) || o->proximity > 1e6)
        return ni_error(NI_EINVAL, "ranking parameters out of range (k1 %g, b %g, "
                        "title weight %g, proximity %g)", o->k1, o->b, o->title_weight,
                        o->proximity);
    if (!(o->fresh_half_life == 0 || (o->fresh_half_life >= 1 && o->fresh_half_life <= 1e12)) ||
        !(o->fresh_weight >= 0 && o->fresh_weight <= 1))
        return ni_error(NI_EINVAL, "freshness out of range (half-life %g s: 0 or 1 to 1e12; "
                        "weight %g: 0 to 1)", o->fresh_half_life, o->fresh_weight);
    if (o->limit > ((size_t)1 << 24) || o->offset > ((size_t)1 << 24))
        return ni_error(NI_EINVAL, "limit and offset must be at most %zu",
                        (size_t)1 << 24);
    if (o->sort != NI_SORT_RELEVANCE && o->sort != NI_SORT_DATE)
        return ni_error(NI_EINVAL, "unknown sort order %d", o->sort);
    return 0;
}

int ni_search(ni_hits **out, ni_index *idx, const char *query, size_t query_len,
              const ni_search_options *opts)
{
    ni_search_options def = NI_SEARCH_OPTIONS_INIT;
    int rc;

    ni_error_clear();
    if (!out)
        return ni_error(NI_EINVAL, "ni_search: out is NULL");
    *out = NULL;
    if (!query && query_len)
        return ni_error(NI_EINVAL, "ni_search: NULL argument");
    if (!opts)
        opts = &def;
    if ((rc = ni_search_options_check(&opts, &def)) < 0 ||
        (rc = ni_index_enter(idx, "ni_search")) < 0)
        return rc;
    rc = ni_search_run(out, idx, query ? query : "", query_len, opts);
    ni_index_leave(idx);
    return rc;
}

int ni_similar(ni_hits **out, ni_index *idx, const char *id, size_t id_len,
               const ni_search_options *opts)
{
    ni_search_options def = NI_SEARCH_OPTIONS_INIT;
    int rc;

    ni_error_clear();
    if (!out)
        return ni_error(NI_EINVAL, "ni_similar: out is NULL");
    *out = NULL;
    if (!id || !id_len)
        return ni_error(NI_EINVAL, "ni_similar: NULL argument or empty id");
    if (!opts)
        opts = &def;
    if ((rc = ni_search_options_check(&opts, &def)) < 0 ||
        (rc = ni_index_enter(idx, "ni_similar")) < 0)
        return rc;
    rc = ni_similar_run(out, idx, id, id_len, opts);
    ni_index_leave(idx);
    return rc;
}

int ni_explain(ni_explanation **out, ni_index *idx, const char *query, size_t query_len,
               const char *id, size_t id_len, const ni_search_options *opts)
{
    ni_search_options def = NI_SEARCH_OPTIONS_INIT;
    int rc;

    ni_error_clear();
    if (!out)
        return ni_error(NI_EINVAL, "ni_explain: out is NULL");
    *out = NULL;
    if ((!query && query_len) || !id)
        return ni_error(NI_EINVAL, "ni_explain: NULL argument");
    if (!opts)
        opts = &def;
    if ((rc = ni_search_options_check(&opts, &def)) < 0 ||
        (rc = ni_index_enter(idx, "ni_explain")) < 0)
        return rc;
    rc = ni_explain_run(out, idx, query ? query : "", query_len, id, id_len, opts);
    ni_index_leave(idx);
    return rc;
}
