/*
 * pipeline.c - background inversion of documents (pipeline.h).
 *
 * A ring of jobs, oldest at head.  A job is FREE, QUEUED (a copy of its
 * document waits), RUNNING (a thread inverts it) or DONE (its result or
 * error waits for the caller).  Threads take the oldest QUEUED job; the
 * caller takes results from the head only, so they come back in order.
 * One mutex guards the states and counts; a job's buffers belong to
 * whoever moved it out of QUEUED (or, when FREE, to the caller).
 *
 * The same threads also run loops (ni_pipeline_for_start): each takes
 * the next FOR_CHUNK indices under the mutex until none are left.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "mem.h"
#include "pipeline.h"

#define JOBS_PER_THREAD 16
#define FOR_CHUNK 16
#define KEEP_BYTES ((size_t)4 << 20)   /* larger job buffers are freed after use */

enum { FREE, QUEUED, RUNNING, DONE };

typedef struct job {
    int state, rc;
    char err[256];
    ni_buf in;                 /* the document's strings */
    ni_doc doc;                /* pointing into in */
    ni_doc_terms out;
} job;

typedef struct worker {
    ni_pipeline *p;
    ni_inverter *inv;
    pthread_t thread;
} worker;

struct ni_pipeline {
    pthread_mutex_t mu;
    pthread_cond_t work;       /* a job was queued, or quit */
    pthread_cond_t done;       /* a job finished */
    job *jobs;
    unsigned cap, head, count, queued;
    worker *workers;
    unsigned nworkers;         /* started */
    ni_inverter *inv;          /* the caller's, when it lends a hand (not ours) */
    int quit;

    /* the loop of ni_pipeline_for_start, when fn is set */
    int (*fn)(void *ctx, size_t i, unsigned k);
    void *ctx;
    size_t for_n, for_next;    /* indices: all, the next to hand out */
    unsigned for_busy;         /* threads inside a chunk */
    int for_rc;
    char for_err[256];
};

/* The oldest QUEUED job, now RUNNING.  Under the lock, queued > 0. */
static job *take(ni_pipeline *p)
{
    unsigned k;
    for (k = 0; k < p->count; k++) {
        job *j = &p->jobs[(p->head + k) % p->cap];
        if (j->state == QUEUED) {
            j->state = RUNNING;
            p->queued--;
            return j;
        }
    }
    return NULL;
}

static void run(job *j, ni_inverter *inv)
{
    j->rc = ni_invert_doc(inv, &j->doc, &j->out);
    if (j->rc < 0)
        snprintf(j->err, sizeof j->err, "%s", ni_errmsg());
}

/* Whether the loop has indices left to hand out (under the lock). */
static int for_pending(const ni_pipeline *p)
{
    return p->fn && p->for_next < p->for_n;
}

/* Runs the next chunk of the loop as thread k; called and returns with
 * the lock held. */
static void for_chunk(ni_pipeline *p, unsigned k)
{
    size_t i = p->for_next, end = i + FOR_CHUNK < p->for_n ? i + FOR_CHUNK : p->for_n;
    int rc = 0;

    p->for_next = end;
    p->for_busy++;
    pthread_mutex_unlock(&p->mu);
    for (; i < end && rc >= 0; i++)
        rc = p->fn(p->ctx, i, k);
    pthread_mutex_lock(&p->mu);
    if (rc < 0 && p->for_rc >= 0) {
        p->for_rc = rc;
        snprintf(p->for_err, sizeof p->for_err, "%s", ni_errmsg());
        p->for_next = p->for_n;
    }
    if (--p->for_busy == 0 && p->for_next >= p->for_n)
        pthread_cond_broadcast(&p->done);
}

static void *worker_main(void *arg)
{
    worker *wk = arg;
    ni_pipeline *p = wk->p;

    pthread_mutex_lock(&p->mu);
    for (;;) {
        job *j;
        while (!p->quit && !p->queued && !for_pending(p))
            pthread_cond_wait(&p->work, &p->mu);
        if (p->quit)
            break;
        if (for_pending(p)) {
            for_chunk(p, (unsigned)(wk - p->workers));
            continue;
        }
        j = take(p);
        pthread_mutex_unlock(&p->mu);
        run(j, wk->inv);
        pthread_mutex_lock(&p->mu);
        j->state = DONE;
        pthread_cond_broadcast(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

int ni_pipeline_new(ni_pipeline **out, unsigned threads, ni_inverter *caller)
{
    ni_pipeline *p = ni_mem_calloc(1, sizeof *p);
    sigset_t all, old;
    unsigned i;

    *out = NULL;
    if (!p)
        return ni_error(NI_ENOMEM, "out of memory");
    if (threads < 2)
        threads = 2;
    p->cap = threads * JOBS_PER_THREAD;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    p->jobs = ni_mem_calloc(p->cap, sizeof *p->jobs);
    p->workers = ni_mem_calloc(threads - 1, sizeof *p->workers);
    if (!p->jobs || !p->workers) {
        ni_pipeline_free(p);
        return ni_error(NI_ENOMEM, "out of memory");
    }
    p->inv = caller;
    /* the application's signals are for its own threads */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    for (i = 0; i + 1 < threads; i++) {
        worker *wk = &p->workers[p->nworkers];
        wk->p = p;
        if (ni_inverter_new(&wk->inv) < 0)
            break;
        if (pthread_create(&wk->thread, NULL, worker_main, wk) != 0) {
            ni_inverter_free(wk->inv);
            wk->inv = NULL;
            break;
        }
        p->nworkers++;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    ni_error_clear();
    *out = p;
    return 0;
}

void ni_pipeline_free(ni_pipeline *p)
{
    unsigned i;
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->quit = 1;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (i = 0; i < p->nworkers; i++) {
        pthread_join(p->workers[i].thread, NULL);
        ni_inverter_free(p->workers[i].inv);
    }
    for (i = 0; p->jobs && i < p->cap; i++) {
        ni_buf_free(&p->jobs[i].in);
        ni_doc_terms_free(&p->jobs[i].out);
    }
    ni_mem_free(p->jobs);
    ni_mem_free(p->workers);
    pthread_cond_destroy(&p->done);
    pthread_cond_destroy(&p->work);
    pthread_mutex_destroy(&p->mu);
    ni_mem_free(p);
}

int ni_pipeline_full(const ni_pipeline *p)
{
    return p->count == p->cap;   /* only the caller changes count */
}

int ni_pipeline_busy(const ni_pipeline *p)
{
    return p->count > 0;
}

/* Copies the strings of doc into j->in and points j->doc at them. */
static int copy_doc(job *j, const ni_doc *doc)
{
    const char *src[6] = { doc->id, doc->url, doc->rubric, doc->title, doc->text, doc->credit };
    size_t len[6] = { doc->id_len, doc->url_len, doc->rubric_len, doc->title_len,
                      doc->text_len, doc->credit_len };
    const char **dst[6] = { &j->doc.id, &j->doc.url, &j->doc.rubric, &j->doc.title,
                            &j->doc.text, &j->doc.credit };
    size_t *dlen[6] = { &j->doc.id_len, &j->doc.url_len, &j->doc.rubric_len,
                        &j->doc.title_len, &j->doc.text_len, &j->doc.credit_len };
    size_t off[6], total = 1, i;
    int rc;

    for (i = 0; i < 6; i++)
        if (src[i])
            total += len[i];
    j->in.len = 0;
    if ((rc = ni_buf_reserve(&j->in, total)) < 0)
        return rc;
    for (i = 0; i < 6; i++) {
        off[i] = j->in.len;
        if (src[i] && len[i])
            memcpy(j->in.data + j->in.len, src[i], len[i]);
        if (src[i])
            j->in.len += len[i];
    }
    for (i = 0; i < 6; i++) {
        *dst[i] = src[i] ? (const char *)j->in.data + off[i] : NULL;
        *dlen[i] = src[i] ? len[i] : 0;
    }
    j->doc.date = doc->date;
    j->doc.date_offset = doc->date_offset;
    j->doc.date_form = doc->date_form;
    return 0;
}

int ni_pipeline_put(ni_pipeline *p, const ni_doc *doc)
{
    job *j = &p->jobs[(p->head + p->count) % p->cap];
    int rc;

    if ((rc = copy_doc(j, doc)) < 0)
        return rc;
    pthread_mutex_lock(&p->mu);
    j->state = QUEUED;
    p->count++;
    p->queued++;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
    return 0;
}

int ni_pipeline_next(ni_pipeline *p, int wait, const ni_doc_terms **out)
{
    job *h;

    pthread_mutex_lock(&p->mu);
    for (;;) {
        if (!p->count) {
            pthread_mutex_unlock(&p->mu);
            return NI_DONE;
        }
        h = &p->jobs[p->head];
        if (h->state == DONE)
            break;
        if (!wait) {
            pthread_mutex_unlock(&p->mu);
            return NI_DONE;
        }
        if (p->queued) {
            /* rather than wait, invert the oldest queued document here */
            job *j = take(p);
            pthread_mutex_unlock(&p->mu);
            run(j, p->inv);
            pthread_mutex_lock(&p->mu);
            j->state = DONE;
            continue;
        }
        pthread_cond_wait(&p->done, &p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    *out = &h->out;
    return h->rc < 0 ? ni_error(h->rc, "%s", h->err) : 0;
}

void ni_pipeline_release(ni_pipeline *p)
{
    job *h = &p->jobs[p->head];
    if (h->in.cap > KEEP_BYTES)
        ni_buf_free(&h->in);
    if (h->out.record.cap + h->out.post.cap + h->out.terms.cap > KEEP_BYTES)
        ni_doc_terms_free(&h->out);
    pthread_mutex_lock(&p->mu);
    h->state = FREE;
    p->head = (p->head + 1) % p->cap;
    p->count--;
    pthread_mutex_unlock(&p->mu);
}

unsigned ni_pipeline_threads(const ni_pipeline *p)
{
    return p->nworkers + 1;
}

void ni_pipeline_for_start(ni_pipeline *p, size_t n,
                           int (*fn)(void *ctx, size_t i, unsigned k), void *ctx)
{
    pthread_mutex_lock(&p->mu);
    p->fn = fn;
    p->ctx = ctx;
    p->for_n = n;
    p->for_next = 0;
    p->for_rc = 0;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
}

int ni_pipeline_for_wait(ni_pipeline *p)
{
    int rc;

    pthread_mutex_lock(&p->mu);
    while (for_pending(p))
        for_chunk(p, p->nworkers);
    while (p->for_busy)
        pthread_cond_wait(&p->done, &p->mu);
    p->fn = NULL;
    rc = p->for_rc;
    pthread_mutex_unlock(&p->mu);
    return rc < 0 ? ni_error(rc, "%s", p->for_err) : 0;
}
