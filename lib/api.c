/*
 * api.c - the public entry points: argument checks, handles, the format
 * version check at open.  The work is done in writer.c and search.c.
 */
#include <stdio.h>
#include <string.h>

#include "index.h"

#define DEFAULT_BUDGET ((size_t)256 << 20)
#define MAX_THREADS 64

static const char format_key[] = "format";

static int check_format(ni_index *idx, int may_write)
{
    ni_txn *t = NULL;
    ni_val v;
    unsigned char b[4];
    int rc;

    if ((rc = ni_txn_begin(&t, idx->store, 0)) < 0)
        return rc;
    rc = ni_txn_get(t, NI_T_META, format_key, sizeof format_key - 1, &v);
    if (rc == 0) {
        uint32_t version = v.len == 4 ? ni_get_le32(v.data) : 0;
        ni_txn_abort(t);
        if (version < NI_FORMAT_OLDEST || version > NI_FORMAT_VERSION)
            return ni_error(NI_EVERSION, "index '%s' has format version %u; this library "
                            "reads versions %u to %u%s", ni_store_path(idx->store), version,
                            NI_FORMAT_OLDEST, NI_FORMAT_VERSION,
                            version < NI_FORMAT_OLDEST ? " (index the documents again)" : "");
        if (version == NI_FORMAT_VERSION || !may_write)
            return 0;
        /* an older index is one of this version too; once written, older
         * libraries must not read it */
    } else {
        ni_txn_abort(t);
        if (rc != NI_ENOTFOUND)
            return rc;
        if (!may_write)
            return ni_error(NI_ENOTFOUND, "cannot open index '%s': no index there",
                            ni_store_path(idx->store));
    }
    if ((rc = ni_txn_begin(&t, idx->store, 1)) < 0)
        return rc;
    ni_put_le32(b, NI_FORMAT_VERSION);
    if ((rc = ni_txn_put(t, NI_T_META, format_key, sizeof format_key - 1, b, 4)) < 0) {
        ni_txn_abort(t);
        return rc;
    }
    return ni_txn_commit(t);
}

int ni_index_open(ni_index **out, const char *path, const ni_open_options *opts)
{
    ni_open_options def = NI_OPEN_OPTIONS_INIT;
    ni_index *idx;
    int rc;

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
    idx = ni_mem_calloc(1, sizeof *idx);
    if (!idx)
        return ni_error(NI_ENOMEM, "out of memory");
    idx->flags = opts->flags;
    idx->memory_budget = opts->memory_budget ? opts->memory_budget : DEFAULT_BUDGET;
    /* a version 1 caller's struct ends before threads */
    idx->threads = opts->version >= 2 && opts->threads > 1 ? opts->threads : 1;
    if (idx->threads > MAX_THREADS)
        idx->threads = MAX_THREADS;
    if (pthread_mutex_init(&idx->pool_lock, NULL) != 0) {
        ni_mem_free(idx);
        return ni_error(NI_ENOMEM, "cannot create mutex");
    }
    rc = ni_store_open(&idx->store, path,
                       (opts->flags & NI_OPEN_READONLY) ? NI_STORE_READONLY : 0,
                       opts->map_size,
                       (opts->flags & NI_OPEN_CREATE) && !(opts->flags & NI_OPEN_READONLY));
    if (rc == 0)
        rc = check_format(idx, !(opts->flags & NI_OPEN_READONLY));
    if (rc < 0) {
        ni_index_close(idx);
        return rc;
    }
    *out = idx;
    return 0;
}

void ni_index_close(ni_index *idx)
{
    int i;
    if (!idx)
        return;
    ni_writer_free(idx->writer);
    for (i = 0; i < idx->pool_count; i++)
        ni_analyzer_free(idx->pool[i]);
    ni_store_close(idx->store);
    ni_record_dict_free(idx->dict);
    pthread_mutex_destroy(&idx->pool_lock);
    ni_mem_free(idx);
}

int ni_index_borrow_analyzer(ni_index *idx, ni_analyzer **out)
{
    pthread_mutex_lock(&idx->pool_lock);
    if (idx->pool_count > 0) {
        *out = idx->pool[--idx->pool_count];
        pthread_mutex_unlock(&idx->pool_lock);
        return 0;
    }
    pthread_mutex_unlock(&idx->pool_lock);
    return ni_analyzer_new(out);
}

void ni_index_return_analyzer(ni_index *idx, ni_analyzer *an)
{
    pthread_mutex_lock(&idx->pool_lock);
    if (idx->pool_count < (int)(sizeof idx->pool / sizeof idx->pool[0])) {
        idx->pool[idx->pool_count++] = an;
        an = NULL;
    }
    pthread_mutex_unlock(&idx->pool_lock);
    ni_analyzer_free(an);
}

int ni_index_record_codec(ni_record_codec **out, ni_index *idx, ni_txn *t)
{
    ni_record_dict *d;
    ni_val v;
    int rc;

    if ((rc = ni_record_codec_new(out)) < 0)
        return rc;
    pthread_mutex_lock(&idx->pool_lock);
    d = idx->dict;
    pthread_mutex_unlock(&idx->pool_lock);
    if (!d) {
        rc = ni_dict_read(t, &v);
        if (rc == NI_ENOTFOUND)
            return 0;
        if (rc < 0 || (rc = ni_record_dict_new(&d, v.data, v.len)) < 0) {
            ni_record_codec_free(*out);
            *out = NULL;
            return rc;
        }
        /* committed dictionaries never change: any thread's copy will do */
        pthread_mutex_lock(&idx->pool_lock);
        if (idx->dict) {
            ni_record_dict_free(d);
            d = idx->dict;
        } else {
            idx->dict = d;
        }
        pthread_mutex_unlock(&idx->pool_lock);
    }
    ni_record_codec_set_dict(*out, d);
    return 0;
}

static int writable(ni_index *idx)
{
    if (!idx)
        return ni_error(NI_EINVAL, "index is NULL");
    if (idx->flags & NI_OPEN_READONLY)
        return ni_error(NI_EREADONLY, "index '%s' is open read-only",
                        ni_store_path(idx->store));
    if (!idx->writer)
        return ni_writer_new(&idx->writer, idx);
    return 0;
}

static int check_text(const char *s, size_t n, const char *field)
{
    if (!s && n)
        return ni_error(NI_EINVAL, "document %s is NULL with length %zu", field, n);
    return 0;
}

int ni_index_add(ni_index *idx, const ni_doc *doc)
{
    int rc;
    ni_error_clear();
    if ((rc = writable(idx)) < 0)
        return rc;
    if (!doc)
        return ni_error(NI_EINVAL, "ni_index_add: doc is NULL");
    if ((rc = check_text(doc->url, doc->url_len, "url")) < 0 ||
        (rc = check_text(doc->rubric, doc->rubric_len, "rubric")) < 0 ||
        (rc = check_text(doc->title, doc->title_len, "title")) < 0 ||
        (rc = check_text(doc->text, doc->text_len, "text")) < 0 ||
        (rc = check_text(doc->credit, doc->credit_len, "credit")) < 0)
        return rc;
    return ni_writer_add(idx->writer, doc);
}

int ni_index_delete(ni_index *idx, const char *id, size_t id_len)
{
    int rc;
    ni_error_clear();
    if ((rc = writable(idx)) < 0)
        return rc;
    return ni_writer_delete(idx->writer, id, id_len);
}

int ni_index_commit(ni_index *idx)
{
    int rc;
    ni_error_clear();
    if ((rc = writable(idx)) < 0)
        return rc;
    return ni_writer_commit(idx->writer);
}

int ni_index_compact(ni_index *idx)
{
    int rc;
    ni_error_clear();
    if ((rc = writable(idx)) < 0)
        return rc;
    return ni_writer_compact(idx->writer);
}

int ni_index_copy(ni_index *idx, const char *path, unsigned flags)
{
    ni_error_clear();
    if (!idx || !path || !*path)
        return ni_error(NI_EINVAL, "ni_index_copy: %s", idx ? "no path" : "index is NULL");
    if (flags)
        return ni_error(NI_EINVAL, "ni_index_copy: unknown flags 0x%x", flags);
    return ni_copy_index(idx->store, path);
}

/* An ni_doc and its bytes in one allocation. */
int ni_index_get(ni_doc **out, ni_index *idx, const char *id, size_t id_len)
{
    ni_record_codec *codec = NULL;
    ni_buf scratch = NI_BUF_INIT, raw = NI_BUF_INIT;
    ni_txn *t = NULL;
    ni_val v;
    ni_doc d, *copy;
    int rc;

    ni_error_clear();
    if (!out)
        return ni_error(NI_EINVAL, "ni_index_get: out is NULL");
    *out = NULL;
    if (!idx || !id)
        return ni_error(NI_EINVAL, "ni_index_get: NULL argument");
    if ((rc = ni_txn_begin(&t, idx->store, 0)) < 0)
        return rc;
    rc = ni_txn_get(t, NI_T_IDS, id, id_len, &v);
    if (rc == NI_ENOTFOUND) {
        rc = ni_error(NI_ENOTFOUND, "no document with id '%.*s'",
                      (int)(id_len > 200 ? 200 : id_len), id);
        goto cleanup;
    }
    if (rc < 0)
        goto cleanup;
    if (v.len != 4) {
        rc = ni_error(NI_ECORRUPT, "id entry has %zu bytes", v.len);
        goto cleanup;
    }
    if ((rc = ni_stored_get(t, ni_get_be32(v.data), &raw, &v)) < 0 ||
        (rc = ni_index_record_codec(&codec, idx, t)) < 0 ||
        (rc = ni_record_decode(codec, &scratch, &d, v.data, v.len)) < 0)
        goto cleanup;
    copy = ni_mem_alloc(sizeof *copy + scratch.len);
    if (!copy) {
        rc = ni_error(NI_ENOMEM, "out of memory");
        goto cleanup;
    }
    *copy = d;
    memcpy(copy + 1, scratch.data, scratch.len);
#define REBASE(f) if (copy->f) copy->f = (const char *)(copy + 1) + (copy->f - (const char *)scratch.data)
    REBASE(id); REBASE(url); REBASE(rubric); REBASE(title); REBASE(text); REBASE(credit);
#undef REBASE
    *out = copy;
cleanup:
    ni_txn_abort(t);
    ni_record_codec_free(codec);
    ni_buf_free(&scratch);
    ni_buf_free(&raw);
    return rc;
}

void ni_doc_free(ni_doc *doc)
{
    ni_mem_free(doc);
}

int ni_index_stats(ni_stats *out, ni_index *idx)
{
    ni_store_info info;
    ni_txn *t = NULL;
    ni_meta m;
    int rc;

    ni_error_clear();
    if (!out || !idx)
        return ni_error(NI_EINVAL, "ni_index_stats: NULL argument");
    memset(out, 0, sizeof *out);
    if ((rc = ni_txn_begin(&t, idx->store, 0)) < 0)
        return rc;
    if ((rc = ni_meta_read(t, &m)) < 0 ||
        (rc = ni_txn_count(t, NI_T_TERMS, &out->terms)) < 0 ||
        (rc = ni_store_info_get(idx->store, &info)) < 0)
        goto cleanup;
    out->docs = m.docs;
    out->deleted = m.deleted;
    out->tokens = m.sum_title + m.sum_body;
    out->avg_title_len = m.docs ? (double)m.sum_title / (double)m.docs : 0;
    out->avg_body_len = m.docs ? (double)m.sum_body / (double)m.docs : 0;
    out->index_bytes = info.used_bytes;
    out->file_bytes = info.file_bytes;
    out->map_bytes = info.map_bytes;
    out->format_version = NI_FORMAT_VERSION;
cleanup:
    ni_txn_abort(t);
    return rc;
}

int ni_search(ni_hits **out, ni_index *idx, const char *query, size_t query_len,
              const ni_search_options *opts)
{
    ni_search_options def = NI_SEARCH_OPTIONS_INIT;

    ni_error_clear();
    if (!out)
        return ni_error(NI_EINVAL, "ni_search: out is NULL");
    *out = NULL;
    if (!idx || (!query && query_len))
        return ni_error(NI_EINVAL, "ni_search: NULL argument");
    if (!opts)
        opts = &def;
    if (opts->version != NI_SEARCH_OPTIONS_VERSION)
        return ni_error(NI_EINVAL, "ni_search_options version %u; this library "
                        "knows %u", opts->version, NI_SEARCH_OPTIONS_VERSION);
    if (!(opts->k1 > 0) || !(opts->b >= 0 && opts->b <= 1) || !(opts->title_weight >= 0) ||
        opts->k1 > 1e6 || opts->title_weight > 1e6)
        return ni_error(NI_EINVAL, "BM25 parameters out of range (k1 %g, b %g, "
                        "title weight %g)", opts->k1, opts->b, opts->title_weight);
    if (opts->limit > ((size_t)1 << 24) || opts->offset > ((size_t)1 << 24))
        return ni_error(NI_EINVAL, "limit and offset must be at most %zu",
                        (size_t)1 << 24);
    if (opts->sort != NI_SORT_RELEVANCE && opts->sort != NI_SORT_DATE)
        return ni_error(NI_EINVAL, "unknown sort order %d", opts->sort);
    return ni_search_run(out, idx, query ? query : "", query_len, opts);
}
