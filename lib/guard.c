/*
 * guard.c - the read guard of guard.h: signal handlers and the jump.
 *
 * LMDB checks its pages with assertions (mdb.c mdb_assert0, compiled into
 * Debian's liblmdb) that call the environment's assert function and then
 * abort(): a damaged page would end the process.  In a read transaction
 * LMDB holds no lock and writes nothing (its reader slot is released by
 * mdb_txn_abort), so a failed assertion there leaves LMDB by longjmp back
 * to the guarded call, which reports NI_ECORRUPT (store.c); the
 * transaction is marked broken and every later call through it fails the
 * same way until it is aborted.  Reads in a write transaction (mdb_get,
 * mdb_cursor_get) change no page either and are guarded the same way (the
 * abort then releases the writer's lock); writes (mdb_put, mdb_del) are
 * not, since LMDB may be halfway through changing pages: there an
 * assertion still aborts, which is why compaction is preceded by a check
 * in nsearch.  A guard costs a _setjmp per LMDB read call.
 *
 * Not every damaged page fails an assertion first: a node whose flags say
 * "duplicates" in a table without them makes mdb_cursor_next follow a NULL
 * cursor (SIGSEGV), a node size past the file's end is a SIGBUS.  So the
 * first open installs handlers of SIGSEGV and SIGBUS that leave a guarded
 * LMDB read the same way (SA_NODEFER: the signal stays unblocked after the
 * jump).  Outside a guarded call they put back the handler installed
 * before them (the default, or a sanitizer's) and return, so the fault
 * happens again and is handled as it would have been without this
 * library.  Knows nothing of LMDB: store.c hooks it in.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "guard.h"

_Thread_local jmp_buf *ni_guard_jb;
static _Thread_local char guard_msg[200];

static struct sigaction old_segv, old_bus;

static void on_fault(int sig, siginfo_t *info, void *context)
{
    jmp_buf *jb = ni_guard_jb;
    (void)context;
    if (!jb) {
        /* a fault happens again on return, now to the old handler; a
         * signal sent by kill() would not: it is sent again */
        sigaction(sig, sig == SIGBUS ? &old_bus : &old_segv, NULL);
        if (info->si_code <= 0)
            raise(sig);
        return;
    }
    ni_guard_jb = NULL;
    snprintf(guard_msg, sizeof guard_msg, "%s reading a page",
             sig == SIGBUS ? "SIGBUS (past the end of the file)" : "SIGSEGV");
    longjmp(*jb, 1);
}

void ni_guard_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &old_segv);
    sigaction(SIGBUS, &sa, &old_bus);
}

void ni_guard_fire(const char *msg)
{
    jmp_buf *jb = ni_guard_jb;
    if (jb == NULL)
        return;                 /* unguarded: LMDB aborts */
    ni_guard_jb = NULL;
    snprintf(guard_msg, sizeof guard_msg, "%s", msg);
    longjmp(*jb, 1);
}

const char *ni_guard_message(void)
{
    return guard_msg;
}
