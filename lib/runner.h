/*
 * runner.h - a thread of its own that runs calls for its callers, one at a
 * time, each caller waiting for its call (runner.c).  For what must be
 * taken and given back by one thread whichever thread asks: the writer's
 * LMDB write transaction when it outlives the call that began it
 * (writer.c).
 */
#ifndef NI_RUNNER_H
#define NI_RUNNER_H

typedef struct ni_runner ni_runner;

/* Starts the thread (signals blocked in it).  NI_ENOMEM when it cannot. */
int ni_runner_new(ni_runner **out);

/*
 * Runs fn(arg) on the runner's thread and returns what it returns.  The
 * message of the caller's thread (ni_errmsg) is handed to fn's and back,
 * so it reads as if fn ran in the caller.  Callers take turns (the
 * index's write lock): one call at a time.
 */
int ni_runner_call(ni_runner *r, int (*fn)(void *arg), void *arg);

/* Stops and joins the thread; NULL is fine. */
void ni_runner_free(ni_runner *r);

#endif
