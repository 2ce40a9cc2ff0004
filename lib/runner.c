/*
 * runner.c - a thread that runs calls for others (runner.h).  One call is
 * posted at a time under the mutex; the thread runs it outside the lock
 * and signals its end.  The caller's message (error.c keeps one per
 * thread) goes with the call and comes back with its result.  Does not
 * queue: the callers are serialised by whoever owns the runner.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "mem.h"
#include "runner.h"

struct ni_runner {
    pthread_mutex_t mu;
    pthread_cond_t posted;     /* a call, or quit */
    pthread_cond_t finished;   /* the call returned */
    pthread_t thread;
    int (*fn)(void *arg);      /* the call waiting or running; NULL when none */
    void *arg;
    int rc, done, quit;
    char msg[512];             /* the caller's message, then fn's */
};

static void *runner_main(void *p)
{
    ni_runner *r = p;

    pthread_mutex_lock(&r->mu);
    for (;;) {
        while (!r->quit && (!r->fn || r->done))
            pthread_cond_wait(&r->posted, &r->mu);
        if (r->quit)
            break;
        pthread_mutex_unlock(&r->mu);
        ni_error(NI_OK, "%s", r->msg);
        r->rc = r->fn(r->arg);
        snprintf(r->msg, sizeof r->msg, "%s", ni_errmsg());
        pthread_mutex_lock(&r->mu);
        r->done = 1;
        pthread_cond_signal(&r->finished);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

int ni_runner_new(ni_runner **out)
{
    ni_runner *r = ni_mem_calloc(1, sizeof *r);
    sigset_t all, old;
    int rc;

    *out = NULL;
    if (!r)
        return ni_error(NI_ENOMEM, "out of memory");
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->posted, NULL);
    pthread_cond_init(&r->finished, NULL);
    /* the application's signals are for its own threads */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    rc = pthread_create(&r->thread, NULL, runner_main, r);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        pthread_cond_destroy(&r->finished);
        pthread_cond_destroy(&r->posted);
        pthread_mutex_destroy(&r->mu);
        ni_mem_free(r);
        return ni_error(NI_ENOMEM, "cannot start the writer's thread: %s", strerror(rc));
    }
    *out = r;
    return 0;
}

int ni_runner_call(ni_runner *r, int (*fn)(void *arg), void *arg)
{
    int rc;

    pthread_mutex_lock(&r->mu);
    snprintf(r->msg, sizeof r->msg, "%s", ni_errmsg());
    r->fn = fn;
    r->arg = arg;
    r->done = 0;
    pthread_cond_signal(&r->posted);
    while (!r->done)
        pthread_cond_wait(&r->finished, &r->mu);
    r->fn = NULL;
    rc = r->rc;
    ni_error(NI_OK, "%s", r->msg);
    pthread_mutex_unlock(&r->mu);
    return rc;
}

void ni_runner_free(ni_runner *r)
{
    if (!r)
        return;
    pthread_mutex_lock(&r->mu);
    r->quit = 1;
    pthread_cond_signal(&r->posted);
    pthread_mutex_unlock(&r->mu);
    pthread_join(r->thread, NULL);
    pthread_cond_destroy(&r->finished);
    pthread_cond_destroy(&r->posted);
    pthread_mutex_destroy(&r->mu);
    ni_mem_free(r);
}
