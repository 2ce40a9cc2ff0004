/*
 * pipeline.h - documents inverted (invert.h) by background threads while
 * the caller goes on; results come back in the order the documents went
 * in.  The caller's thread lends a hand when it would otherwise wait.
 * One caller at a time: the writer's call that has the turn (index.h),
 * from whichever thread, or the writer's own thread for a flush
 * (writer.c); the writer's turn orders their accesses.
 */
#ifndef NI_PIPELINE_H
#define NI_PIPELINE_H

#include "invert.h"

typedef struct ni_pipeline ni_pipeline;

/* threads >= 2: threads - 1 background threads plus the caller, who
 * inverts with the inverter given (which stays the caller's).  When fewer
 * threads start, the pipeline runs with those (or only the caller).
 * NI_ENOMEM. */
int ni_pipeline_new(ni_pipeline **out, unsigned threads, ni_inverter *caller);

/* Stops the threads; unfinished documents are dropped. */
void ni_pipeline_free(ni_pipeline *p);

/* Whether ni_pipeline_put has room. */
int ni_pipeline_full(const ni_pipeline *p);

/* Whether documents are in the pipeline (finished or not). */
int ni_pipeline_busy(const ni_pipeline *p);

/* Queues a copy of doc.  The pipeline must not be full.  NI_ENOMEM. */
int ni_pipeline_put(ni_pipeline *p, const ni_doc *doc);

/*
 * The oldest document's result: 0 with *out (valid until
 * ni_pipeline_release), or its error (message set) — release it in both
 * cases.  NI_DONE when the pipeline is empty, or when wait is 0 and the
 * oldest document is not finished yet.
 */
int ni_pipeline_next(ni_pipeline *p, int wait, const ni_doc_terms **out);

/* Frees the slot of the document ni_pipeline_next returned. */
void ni_pipeline_release(ni_pipeline *p);

/* Threads that work for the pipeline, the caller's included. */
unsigned ni_pipeline_threads(const ni_pipeline *p);

/*
 * A loop: fn(ctx, i, k) is called for every i in [0, n), spread over the
 * pipeline's threads and the caller's; k < ni_pipeline_threads(p) names
 * the thread, so that fn can keep per-thread state.  ni_pipeline_for_start
 * sets the background threads on it and returns: the caller may do other
 * work, then must call ni_pipeline_for_wait before any other call, which
 * runs what is left with the caller's hand too and returns 0, or the first
 * error fn returned (message set; the remaining i are skipped).  The
 * pipeline must be empty (no documents in it).
 */
void ni_pipeline_for_start(ni_pipeline *p, size_t n,
                           int (*fn)(void *ctx, size_t i, unsigned k), void *ctx);
int ni_pipeline_for_wait(ni_pipeline *p);

#endif
