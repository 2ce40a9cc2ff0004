/*
 * index.c - the ni_index handle's services: opening the store and checking
 * its format version, the pool of analyzers lent to searches, the record
 * codec with the index's compression dictionary (read once), and reading
 * stored documents of a snapshot (by internal number or by id) and the
 * index's statistics.  It checks no caller's arguments (api.c does) and
 * neither writes documents (writer.c) nor searches (search.c).
 *
 * Threads (the rules are in newsindex.h).  Searches share the handle
 * freely: the analyzer pool, the dictionary, the name cache and the count
 * of holds are under pool_lock, and each search reads its own snapshot.
 * Write calls take the writer's turn for their whole length (SQLite's
 * serialized mode, for the writer only), so adds, deletes and commits of
 * any threads run one after another; the writer keeps a write transaction that
 * outlives a call on a thread of its own (writer.c).  The handle's life:
 * the list of open handles (open_lock) is what every public call checks
 * first, so a closed and freed handle is refused without touching its
 * memory; calls in progress and open cursors are holds, and the handle is
 * freed with the last of them after close.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "analyzer.h"
#include "error.h"
#include "index.h"
#include "layout.h"
#include "mem.h"
#include "space.h"
#include "writer.h"

#define DEFAULT_BUDGET ((size_t)256 << 20)
#define MIN_BUDGET ((size_t)16 << 20)
/* Under an address-space limit the budget is at most this part of the
 * room left: the batch takes several times its estimate at its peak, and
 * the map needs room beside it. */
#define BUDGET_SHARE 8
#define MAX_THREADS 64

/* The open handles, newest first; the lock is taken before any
 * handle's pool_lock. */
static pthread_mutex_t open_lock = PTHREAD_MUTEX_INITIALIZER;
static ni_index *open_list;

static const char format_key[] = "format";
static const char analysis_key[] = "analysis";

/* The memory budget when the caller gives none: DEFAULT_BUDGET, less
 * under an address-space limit (`ulimit -v`, space.h). */
static size_t default_budget(void)
{
    uint64_t room = ni_space_room();
    if (room == NI_SPACE_UNLIMITED || room / BUDGET_SHARE >= DEFAULT_BUDGET)
        return DEFAULT_BUDGET;
    return room / BUDGET_SHARE > MIN_BUDGET ? (size_t)(room / BUDGET_SHARE) : MIN_BUDGET;
}

/* The analysis check at open: an index built with another analysis (see
 * NI_ANALYSIS_VERSION) would be searched for terms it does not hold. */
static int check_analysis(ni_index *idx, ni_txn *t)
{
    ni_val v;
    uint32_t version = 1;      /* before it was recorded */
    int rc = ni_txn_get(t, NI_T_META, analysis_key, sizeof analysis_key - 1, &v);
    if (rc < 0 && rc != NI_ENOTFOUND)
        return rc;
    if (rc == 0)
        version = v.len == 4 ? ni_get_le32(v.data) : 0;
    if (version != NI_ANALYSIS_VERSION)
        return ni_error(NI_EVERSION, "index '%s' was built with analysis version %u; this "
                        "library analyses text with version %u (index the documents again)",
                        ni_store_path(idx->store), version, NI_ANALYSIS_VERSION);
    return 0;
}

/* The format check at open: see NI_FORMAT_VERSION in layout.h. */
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
        if (version >= NI_FORMAT_OLDEST && version <= NI_FORMAT_VERSION &&
            (rc = check_analysis(idx, t)) < 0) {
            ni_txn_abort(t);
            return rc;
        }
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
    ni_put_le32(b, NI_ANALYSIS_VERSION);
    if ((rc = ni_txn_put(t, NI_T_META, analysis_key, sizeof analysis_key - 1, b, 4)) < 0) {
        ni_txn_abort(t);
        return rc;
    }
    return ni_txn_commit(t);
}

int ni_index_new(ni_index **out, const char *path, const ni_open_options *opts)
{
    ni_index *idx;
    int rc;

    *out = NULL;
    idx = ni_mem_calloc(1, sizeof *idx);
    if (!idx)
        return ni_error(NI_ENOMEM, "out of memory");
    idx->flags = opts->flags;
    idx->memory_budget = opts->memory_budget ? opts->memory_budget : default_budget();
    /* a version 1 caller's struct ends before threads */
    idx->threads = opts->version >= 2 && opts->threads > 1 ? opts->threads : 1;
    if (idx->threads > MAX_THREADS)
        idx->threads = MAX_THREADS;
    /* a version 2 caller's struct ends before reclaim_percent */
    idx->reclaim_percent = opts->version >= 3 ? opts->reclaim_percent : 0;
    if (pthread_mutex_init(&idx->pool_lock, NULL) != 0) {
        ni_mem_free(idx);
        return ni_error(NI_ENOMEM, "cannot create mutex");
    }
    if (pthread_mutex_init(&idx->write_lock, NULL) != 0) {
        pthread_mutex_destroy(&idx->pool_lock);
        ni_mem_free(idx);
        return ni_error(NI_ENOMEM, "cannot create mutex");
    }
    if (pthread_cond_init(&idx->write_turn, NULL) != 0) {
        pthread_mutex_destroy(&idx->write_lock);
        pthread_mutex_destroy(&idx->pool_lock);
        ni_mem_free(idx);
        return ni_error(NI_ENOMEM, "cannot create condition variable");
    }
    rc = ni_store_open(&idx->store, path,
                       (opts->flags & NI_OPEN_READONLY) ? NI_STORE_READONLY : 0,
                       opts->map_size,
                       (opts->flags & NI_OPEN_CREATE) && !(opts->flags & NI_OPEN_READONLY));
    if (rc == 0)
        rc = check_format(idx, !(opts->flags & NI_OPEN_READONLY));
    if (rc < 0) {
        ni_index_free(idx);
        return rc;
    }
    pthread_mutex_lock(&open_lock);
    idx->next_open = open_list;
    open_list = idx;
    pthread_mutex_unlock(&open_lock);
    *out = idx;
    return 0;
}

/* A cached string (ni_index_name_*): an open-addressing slot, empty when
 * s is NULL. */
struct ni_doc_name {
    uint32_t doc;
    char *s;
    size_t n;
};

static void names_clear(ni_index *idx)
{
    size_t i;
    for (i = 0; i < idx->capnames; i++)
        ni_mem_free(idx->names[i].s);
    ni_mem_free(idx->names);
    idx->names = NULL;
    idx->nnames = idx->capnames = 0;
}

static size_t name_slot(const ni_index *idx, uint32_t doc)
{
    size_t j = (size_t)((doc * 0x9E3779B1u) & (uint32_t)(idx->capnames - 1));
    while (idx->names[j].s && idx->names[j].doc != doc)
        j = (j + 1) & (idx->capnames - 1);
    return j;
}

int ni_index_name_get(ni_index *idx, uint32_t doc, ni_buf *out)
{
    int rc = 0;
    pthread_mutex_lock(&idx->pool_lock);
    if (idx->capnames) {
        const struct ni_doc_name *e = &idx->names[name_slot(idx, doc)];
        if (e->s)
            rc = ni_buf_put(out, e->s, e->n) < 0 ? NI_ENOMEM : 1;
    }
    pthread_mutex_unlock(&idx->pool_lock);
    return rc == NI_ENOMEM ? ni_error(NI_ENOMEM, "out of memory") : rc;
}

int ni_index_name_put(ni_index *idx, uint32_t doc, const char *s, size_t n)
{
    char *copy = ni_mem_alloc(n ? n : 1);
    struct ni_doc_name *e;
    if (!copy)
        return ni_error(NI_ENOMEM, "out of memory");
    memcpy(copy, s, n);
    pthread_mutex_lock(&idx->pool_lock);
    if (idx->nnames >= NI_INDEX_NAMES)
        names_clear(idx);
    if (!idx->capnames) {
        if (!(idx->names = ni_mem_calloc(2 * NI_INDEX_NAMES, sizeof *idx->names))) {
            pthread_mutex_unlock(&idx->pool_lock);
            ni_mem_free(copy);
            return ni_error(NI_ENOMEM, "out of memory");
        }
        idx->capnames = 2 * NI_INDEX_NAMES;
    }
    e = &idx->names[name_slot(idx, doc)];
    if (e->s) {
        ni_mem_free(copy);           /* another thread put it first */
    } else {
        e->doc = doc;
        e->s = copy;
        e->n = n;
        idx->nnames++;
    }
    pthread_mutex_unlock(&idx->pool_lock);
    return 0;
}

void ni_index_free(ni_index *idx)
{
    ni_index **p;
    int i;
    if (!idx)
        return;
    pthread_mutex_lock(&open_lock);
    for (p = &open_list; *p && *p != idx; p = &(*p)->next_open)
        ;
    if (*p)
        *p = idx->next_open;
    pthread_mutex_unlock(&open_lock);
    names_clear(idx);
    for (i = 0; i < idx->pool_count; i++)
        ni_analyzer_free(idx->pool[i]);
    ni_store_close(idx->store);
    ni_record_dict_free(idx->dict);
    pthread_cond_destroy(&idx->write_turn);
    pthread_mutex_destroy(&idx->write_lock);
    pthread_mutex_destroy(&idx->pool_lock);
    ni_mem_free(idx);
}

/* Whether idx is on the list of open handles (under open_lock). */
static int is_open(const ni_index *idx)
{
    const ni_index *p;
    for (p = open_list; p && p != idx; p = p->next_open)
        ;
    return p != NULL;
}

int ni_index_enter(ni_index *idx, const char *fn)
{
    int rc = 0;
    pthread_mutex_lock(&open_lock);
    if (!idx) {
        rc = ni_error(NI_EINVAL, "%s: index is NULL", fn);
    } else if (!is_open(idx)) {
        rc = ni_error(NI_EINVAL, "%s: not an open index (closed already?)", fn);
    } else {
        pthread_mutex_lock(&idx->pool_lock);
        if (idx->closing)
            rc = ni_error(NI_EINVAL, "%s: index '%s' was closed", fn, ni_store_path(idx->store));
        else
            idx->holds++;
        pthread_mutex_unlock(&idx->pool_lock);
    }
    pthread_mutex_unlock(&open_lock);
    return rc;
}

void ni_index_leave(ni_index *idx)
{
    ni_index_release(idx);
}

void ni_index_hold(ni_index *idx)
{
    pthread_mutex_lock(&idx->pool_lock);
    idx->holds++;
    pthread_mutex_unlock(&idx->pool_lock);
}

void ni_index_release(ni_index *idx)
{
    int last;
    pthread_mutex_lock(&idx->pool_lock);
    last = --idx->holds == 0 && idx->closing;
    pthread_mutex_unlock(&idx->pool_lock);
    if (last)
        ni_index_free(idx);
}

/* Waits for the writer's turn and takes it (index.h). */
static void take_turn(ni_index *idx)
{
    pthread_mutex_lock(&idx->write_lock);
    while (idx->writing)
        pthread_cond_wait(&idx->write_turn, &idx->write_lock);
    idx->writing = 1;
    pthread_mutex_unlock(&idx->write_lock);
}

void ni_index_close_handle(ni_index *idx)
{
    int closing = 0;

    if (!idx)
        return;
    pthread_mutex_lock(&open_lock);
    if (!is_open(idx)) {
        ni_error(NI_EINVAL, "ni_index_close: not an open index (closed already?)");
        closing = 1;
    } else {
        pthread_mutex_lock(&idx->pool_lock);
        closing = idx->closing;
        if (!closing)
            idx->holds++;          /* until the writer is freed */
        idx->closing = 1;
        pthread_mutex_unlock(&idx->pool_lock);
    }
    pthread_mutex_unlock(&open_lock);
    if (closing)
        return;
    /* after the write in progress, if any: later ones see closing */
    take_turn(idx);
    ni_writer_free(idx->writer);
    idx->writer = NULL;
    ni_index_writer_unlock(idx);
    ni_index_release(idx);
}

int ni_index_writer_lock(ni_index *idx, ni_writer **out)
{
    int rc = 0, closing;

    *out = NULL;
    if (idx->flags & NI_OPEN_READONLY)
        return ni_error(NI_EREADONLY, "index '%s' is open read-only",
                        ni_store_path(idx->store));
    take_turn(idx);
    pthread_mutex_lock(&idx->pool_lock);
    closing = idx->closing;
    pthread_mutex_unlock(&idx->pool_lock);
    if (closing)
        rc = ni_error(NI_EINVAL, "index '%s' was closed", ni_store_path(idx->store));
    else if (!idx->writer)
        rc = ni_writer_new(&idx->writer, idx->store, idx->threads, idx->memory_budget,
                           idx->reclaim_percent);
    if (rc < 0) {
        ni_index_writer_unlock(idx);
        return rc;
    }
    *out = idx->writer;
    return 0;
}

void ni_index_writer_unlock(ni_index *idx)
{
    pthread_mutex_lock(&idx->write_lock);
    idx->writing = 0;
    pthread_cond_signal(&idx->write_turn);
    pthread_mutex_unlock(&idx->write_lock);
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

/* ---- stored documents ------------------------------------------------- */

void ni_doc_reader_init(ni_doc_reader *r, ni_index *idx, ni_txn *t)
{
    memset(r, 0, sizeof *r);
    r->idx = idx;
    r->t = t;
}

void ni_doc_reader_release(ni_doc_reader *r)
{
    ni_record_codec_free(r->codec);
    r->codec = NULL;
    ni_buf_free(&r->raw);
    ni_buf_free(&r->scratch);
}

int ni_doc_reader_get(ni_doc_reader *r, uint32_t doc, ni_doc *out)
{
    ni_val v;
    int rc = ni_stored_get(r->t, doc, &r->raw, &v);
    if (rc < 0)
        return rc;
    if (!r->codec && (rc = ni_index_record_codec(&r->codec, r->idx, r->t)) < 0)
        return rc;
    return ni_record_decode(r->codec, &r->scratch, out, v.data, v.len);
}

int ni_doc_reader_head(ni_doc_reader *r, uint32_t doc, ni_doc *out)
{
    ni_val v;
    int rc = ni_stored_head(r->t, doc, &v);
    return rc < 0 ? rc : ni_record_decode_head(out, v.data, v.len);
}

/*
 * What ni_index_get returns: the ni_doc, a magic number and the bytes, in
 * one allocation.  The magic lies past the first 32 bytes, which free()
 * may use for its own lists (glibc does), so that a freed document keeps
 * DOC_DEAD until its memory is given out again: ni_doc_free twice in a
 * row is caught (not in general: memory used again holds anything).
 */
#define DOC_LIVE 0x6e69646fu   /* "nido" */
#define DOC_DEAD 0x64656164u   /* "dead" */

typedef struct doc_copy {
    ni_doc doc;
    uint32_t magic;
} doc_copy;

_Static_assert(offsetof(doc_copy, magic) >= 32, "the magic must outlive free()");

void ni_index_doc_free(ni_doc *doc)
{
    doc_copy *c = (doc_copy *)doc;
    if (!doc)
        return;
    if (c->magic != DOC_LIVE) {
        ni_error(NI_EINVAL, "ni_doc_free: %s", c->magic == DOC_DEAD ? "document freed already"
                                                                    : "not a document of ni_index_get");
        return;
    }
    c->magic = DOC_DEAD;
    ni_mem_free(c);
}

int ni_index_read_doc(ni_doc **out, ni_index *idx, const char *id, size_t id_len)
{
    ni_doc_reader r;
    ni_txn *t = NULL;
    ni_doc d;
    doc_copy *copy;
    char *bytes;
    uint32_t doc;
    int rc;

    if ((rc = ni_txn_begin(&t, idx->store, 0)) < 0)
        return rc;
    ni_doc_reader_init(&r, idx, t);
    if ((rc = ni_id_get(t, id, id_len, &doc)) < 0 ||
        (rc = ni_doc_reader_get(&r, doc, &d)) < 0)
        goto cleanup;
    /* a damaged id entry may name another document, whose record is sound */
    if (d.id_len != id_len || memcmp(d.id, id, id_len) != 0) {
        rc = ni_error(NI_ECORRUPT, "id '%.*s' maps to document %u, which stores another id",
                      (int)(id_len > 100 ? 100 : id_len), id, doc);
        goto cleanup;
    }
    copy = ni_mem_alloc(sizeof *copy + r.scratch.len);
    if (!copy) {
        rc = ni_error(NI_ENOMEM, "out of memory");
        goto cleanup;
    }
    copy->doc = d;
    copy->magic = DOC_LIVE;
    bytes = (char *)(copy + 1);
    memcpy(bytes, r.scratch.data, r.scratch.len);
#define REBASE(f) if (copy->doc.f) copy->doc.f = bytes + (copy->doc.f - (const char *)r.scratch.data)
    REBASE(id); REBASE(url); REBASE(rubric); REBASE(title); REBASE(text); REBASE(credit);
#undef REBASE
    *out = &copy->doc;
cleanup:
    ni_doc_reader_release(&r);
    ni_txn_abort(t);
    return rc;
}

int ni_index_read_stats(ni_stats *out, ni_index *idx)
{
    ni_store_info info;
    ni_txn *t = NULL;
    ni_meta m;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = ni_txn_begin(&t, idx->store, 0)) < 0)
        return rc;
    if ((rc = ni_meta_read(t, &m)) < 0 || (rc = ni_newest_read(t, &out->newest)) < 0 ||
        (rc = ni_txn_count(t, NI_T_TERMS, &out->terms)) < 0 ||
        (rc = ni_txn_info(t, &info)) < 0)
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
