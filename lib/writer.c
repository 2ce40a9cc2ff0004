/*
 * writer.c - the writer of an index handle: documents added, replaced and
 * deleted into the batch (batch.c), the batch flushed (flush.c) into a
 * write transaction that stays open until commit (each flush reclaims
 * deleted documents' postings in the terms it changes, compact.h), and
 * compaction on request (compact.c).  Does not invert, write tables or
 * compact itself.
 *
 * Documents are analysed and inverted one by one (invert.c), in the
 * calling thread or, with ni_open_options.threads > 1, in the pipeline's
 * threads (pipeline.c); either way they are merged into the batch in the
 * order they were added and flushed after the same documents, so the index
 * written is the same byte for byte.  At flush the stored records are
 * compressed by the same threads.
 *
 * When the batch outgrows the memory budget (an estimate from the sizes of
 * the documents added, see batch.c) it is flushed into a write transaction
 * that stays open until ni_index_commit, so readers never see part of a
 * batch.
 *
 * Deleting: an id pending in the batch is forgotten there; an id
 * committed is deleted at flush (flush.c), as is the committed copy of
 * every id the batch adds again.
 *
 * Threads.  The index's write lock (index.c) lets one call of the writer
 * run at a time, from any thread.  A write transaction that ends within
 * the call that began it (a commit of a batch wholly in memory) runs in
 * the caller's thread.  One that outlives its call (a flush forced by the
 * budget, then more flushes and the commit, maybe called from other
 * threads) is begun, used and ended on the writer's own thread (runner.c,
 * started by the first such flush): LMDB binds a write transaction to the
 * thread that began it (its writer mutex is a robust pthread mutex,
 * unlocked at commit: committed from another thread it stays locked and
 * the next writer waits forever; lmdb.h: "a transaction and its cursors
 * must only be used by a single thread"; and store.c's read lock of the
 * process-wide rwlock is taken and released the same way), so the
 * transaction has one thread for its whole life whichever threads call.
 *
 * Before a write transaction starts, the map is grown to leave room for
 * this flush and the next ones (twice the memory budget, four times the
 * batch; under an address-space limit at most half of what is left, see
 * space.c).  A full map (MDB_MAP_FULL) aborts the transaction and grows the
 * map; when the batch was still wholly in memory the flush is redone,
 * otherwise the batch is discarded (NI_EFULL) and the committed index is
 * intact.
 */
#include <stdio.h>
#include <string.h>

#include "batch.h"
#include "compact.h"
#include "error.h"
#include "flush.h"
#include "invert.h"
#include "layout.h"
#include "mem.h"
#include "pipeline.h"
#include "record.h"
#include "runner.h"
#include "writer.h"

struct ni_writer {
    ni_store *store;
    unsigned threads;          /* analysing added documents */
    size_t memory_budget;      /* flush when the batch holds more */
    ni_inverter *inv;          /* analyses added documents in this thread */
    ni_doc_terms dterms;       /* its result */
    ni_pipeline *pipe;         /* or in others (threads > 1) */
    ni_batch batch;
    ni_flush *flush;
    ni_txn *txn;               /* open between calls after a flush forced
                                  by the budget: then touched only on
                                  runner's thread (top comment) */
    ni_runner *runner;         /* started by the first such flush */
};

int ni_writer_new(ni_writer **out, ni_store *store, unsigned threads, size_t memory_budget,
                  unsigned reclaim_percent)
{
    ni_writer *w = ni_mem_calloc(1, sizeof *w);
    int rc;

    *out = NULL;
    if (!w)
        return ni_error(NI_ENOMEM, "out of memory");
    w->store = store;
    w->threads = threads;
    w->memory_budget = memory_budget;
    if ((rc = ni_inverter_new(&w->inv)) < 0 ||
        (rc = ni_flush_new(&w->flush, store)) < 0) {
        ni_writer_free(w);
        return rc;
    }
    ni_flush_set_reclaim(w->flush, reclaim_percent);
    *out = w;
    return 0;
}

/* A call on the writer's own thread (top comment). */
typedef struct txn_call {
    ni_writer *w;
    int commit;                /* write_call: commit after the flush */
    const char *id;            /* lookup_call: the id looked up */
    size_t len;
} txn_call;

static int abort_call(void *arg)
{
    ni_writer *w = arg;
    ni_txn_abort(w->txn);
    w->txn = NULL;
    return 0;
}

/* Aborts the write transaction left open by an earlier call, on the
 * thread that began it. */
static void abort_txn(ni_writer *w)
{
    if (w->txn)
        ni_runner_call(w->runner, abort_call, w);
}

/* Empties the batch, with the documents still in the pipeline. */
static void batch_clear(ni_writer *w)
{
    const ni_doc_terms *dt;
    char msg[512];
    if (w->pipe && ni_pipeline_busy(w->pipe)) {
        /* documents still in the pipeline belong to this batch; their
         * errors do not replace the message of the caller's */
        snprintf(msg, sizeof msg, "%s", ni_errmsg());
        while (ni_pipeline_next(w->pipe, 1, &dt) != NI_DONE)
            ni_pipeline_release(w->pipe);
        ni_error(NI_OK, "%s", msg);
    }
    ni_batch_clear(&w->batch);
    if (w->flush)
        ni_flush_trim(w->flush);
}

void ni_writer_free(ni_writer *w)
{
    if (!w)
        return;
    ni_pipeline_free(w->pipe);     /* first: its threads use w->inv */
    w->pipe = NULL;
    batch_clear(w);
    abort_txn(w);
    ni_runner_free(w->runner);
    ni_inverter_free(w->inv);
    ni_doc_terms_free(&w->dterms);
    ni_batch_free(&w->batch);
    ni_flush_free(w->flush);
    ni_mem_free(w);
}

/* Discards the batch after documents of the pipeline failed: rc with the
 * message of that failure. */
static int discard(ni_writer *w, int rc)
{
    char msg[400];
    snprintf(msg, sizeof msg, "%s", ni_errmsg());
    abort_txn(w);
    batch_clear(w);
    return ni_error(rc, "%s; the uncommitted batch was discarded", msg);
}

/* Merges the pipeline's oldest document into the batch (waiting for it
 * when wait is set): 0, NI_DONE when there is none (ready), or an error
 * after which the batch is discarded. */
static int collect(ni_writer *w, int wait)
{
    const ni_doc_terms *dt;
    const ni_batch_doc *d;
    int rc = ni_pipeline_next(w->pipe, wait, &dt);

    if (rc == NI_DONE)
        return NI_DONE;
    if (rc < 0) {
        d = &w->batch.docs[w->batch.merged];
        rc = ni_error(rc, "document '%.*s' was not indexed: %s",
                      (int)(d->id_len > 200 ? 200 : d->id_len), ni_batch_id(&w->batch, d),
                      ni_errmsg());
    } else
        rc = ni_batch_merge(&w->batch, dt);
    ni_pipeline_release(w->pipe);
    if (rc < 0)
        return discard(w, rc);
    return 0;
}

/* Makes room in the pipeline (started by the first add) for one more
 * document. */
static int pipeline_room(ni_writer *w)
{
    int rc;
    if (!w->pipe && (rc = ni_pipeline_new(&w->pipe, w->threads, w->inv)) < 0)
        return rc;
    while (ni_pipeline_full(w->pipe))
        if ((rc = collect(w, 1)) < 0)
            return rc;
    return 0;
}

/*
 * Writes the batch, merged whole, into the open write transaction (opening
 * it first).  commit: also commits it.  A full map is grown and the flush
 * redone when no earlier flush of the batch is in the transaction.
 */
static int write_batch(ni_writer *w, int commit)
{
    ni_store *s = w->store;
    int rc, attempt, had_txn;

    for (attempt = 0;; attempt++) {
        had_txn = w->txn != NULL;
        /* room for this flush and a few more of the batch: the map cannot
         * grow while the transaction is open */
        if (!w->txn && (rc = ni_store_reserve(s, (uint64_t)w->memory_budget * 2 +
                                                     (uint64_t)w->batch.mem * 4 + (64u << 20))) < 0)
            break;
        if (!w->txn && (rc = ni_txn_begin(&w->txn, s, 1)) < 0)
            break;
        rc = ni_flush_batch(w->flush, w->txn, &w->batch, w->inv, w->pipe);
        if (rc == 0 && commit) {
            rc = ni_txn_commit(w->txn);
            w->txn = NULL;
        }
        if (rc == 0) {
            batch_clear(w);
            return 0;
        }
        ni_txn_abort(w->txn);
        w->txn = NULL;
        if (rc == NI_EFULL && ni_store_take_map_full(s)) {
            /* grow in any case, so that the next batch fits; redo this one
             * when it was still wholly in memory */
            int grown = ni_store_grow(s, w->batch.mem) == 0;
            if (grown && !had_txn && attempt < 16)
                continue;
            rc = ni_error(NI_EFULL, "index '%s' was full; the map has %s; the "
                          "uncommitted batch was discarded", ni_store_path(s),
                          grown ? "grown, add the batch again" : "not grown");
        }
        break;
    }
    batch_clear(w);
    /* a failed flush discards the batch: never report it as one bad document */
    if (rc == NI_EINVAL)
        rc = ni_error(NI_EIO, "writing the batch failed (%s); it was discarded", ni_errmsg());
    return rc;
}

static int write_call(void *arg)
{
    const txn_call *c = arg;
    return write_batch(c->w, c->commit);
}

/*
 * Flushes the batch (first merging what the pipeline holds) into the write
 * transaction; commit: and commits it.  Where the transaction outlives
 * this call, on the writer's thread (top comment).
 */
static int flush_batch(ni_writer *w, int commit)
{
    txn_call c = { w, commit, NULL, 0 };
    int rc;

    while (w->pipe && (rc = collect(w, 1)) == 0)
        ;
    if (w->pipe && rc < 0)
        return rc;
    if (!w->txn && commit)
        return write_batch(w, 1);       /* begins and ends in this call */
    if (!w->runner && (rc = ni_runner_new(&w->runner)) < 0) {
        batch_clear(w);
        return ni_error(rc, "%s; the uncommitted batch was discarded", ni_errmsg());
    }
    return ni_runner_call(w->runner, write_call, &c);
}

int ni_writer_add(ni_writer *w, const ni_doc *doc)
{
    ni_batch *b = &w->batch;
    int rc;

    if (!doc->id || doc->id_len == 0 || doc->id_len > NI_MAX_ID_BYTES)
        return ni_error(NI_EINVAL, "document id must be 1 to %d bytes (got %zu)",
                        NI_MAX_ID_BYTES, doc->id ? doc->id_len : 0);
    if (b->ndocs >= UINT32_MAX / 2)
        return ni_error(NI_EFULL, "too many documents in one batch");
    if ((rc = ni_record_check(doc)) < 0)
        return rc;
    if (w->threads > 1 && (rc = pipeline_room(w)) < 0)
        return rc;
    if ((rc = ni_batch_begin(b, doc)) < 0)
        return rc;
    if (w->pipe) {
        if ((rc = ni_pipeline_put(w->pipe, doc)) < 0) {
            ni_batch_cancel(b);
            return rc;
        }
    } else if ((rc = ni_invert_doc(w->inv, doc, &w->dterms)) < 0 ||
               (rc = ni_batch_merge(b, &w->dterms)) < 0) {
        ni_batch_fail(b);
        return rc;
    }
    ni_batch_end(b, doc);
    if (w->pipe)
        while ((rc = collect(w, 0)) == 0)
            ;
    if (rc < 0)
        return rc;
    if (b->mem >= w->memory_budget)
        return flush_batch(w, 0);
    return 0;
}

static int lookup_call(void *arg)
{
    const txn_call *c = arg;
    ni_val v;
    return ni_txn_get(c->w->txn, NI_T_IDS, c->id, c->len, &v);
}

int ni_writer_delete(ni_writer *w, const char *id, size_t len)
{
    ni_txn *t = NULL;
    ni_val v;
    int rc, found;

    if (!id || len == 0 || len > NI_MAX_ID_BYTES)
        return ni_error(NI_EINVAL, "document id must be 1 to %d bytes",
                        NI_MAX_ID_BYTES);
    found = ni_batch_kill(&w->batch, id, len);
    if (w->txn) {
        /* flushed but not committed: only the open transaction knows */
        txn_call c = { w, 0, id, len };
        rc = ni_runner_call(w->runner, lookup_call, &c);
    } else {
        if ((rc = ni_txn_begin(&t, w->store, 0)) < 0)
            return rc;
        rc = ni_txn_get(t, NI_T_IDS, id, len, &v);
        ni_txn_abort(t);
    }
    if (rc == 0)
        found = 1;
    else if (rc != NI_ENOTFOUND)
        return rc;
    if (!found)
        return ni_error(NI_ENOTFOUND, "no document with id '%.*s'",
                        (int)(len > 200 ? 200 : len), id);
    return ni_batch_delete(&w->batch, id, len);
}

int ni_writer_commit(ni_writer *w)
{
    if (!w->txn && w->batch.ndocs == 0 && w->batch.ndels == 0)
        return 0;
    /* deleted documents' postings are reclaimed by the flush, a term at a
     * time (compact.h), not by a compaction of the whole index */
    return flush_batch(w, 1);
}

int ni_writer_compact(ni_writer *w)
{
    int rc;
    if ((rc = ni_writer_commit(w)) < 0)
        return rc;
    return ni_compact(w->store);
}
