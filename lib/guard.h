/*
 * guard.h - leaving a read of a damaged page by longjmp instead of ending
 * the process (guard.c), for store.c's LMDB reads: LMDB fails an assertion
 * and aborts, or follows a damaged node into SIGSEGV or past the file's end
 * into SIGBUS.  A guarded call sets ni_guard_jb to a jmp_buf of its own
 * (_setjmp) for the length of the LMDB call; a fault or a failed assertion
 * inside it jumps back there, with ni_guard_message() saying what happened.
 * Outside a guarded call nothing changes: the fault goes to the handler
 * installed before (the default, or a sanitizer's), and LMDB aborts on an
 * assertion as it would without this.
 */
#ifndef NI_GUARD_H
#define NI_GUARD_H

#include <setjmp.h>

/* The jmp_buf of the guarded call in progress on this thread, or NULL. */
extern _Thread_local jmp_buf *ni_guard_jb;

/* Installs the SIGSEGV and SIGBUS handlers (once per process: call it
 * through pthread_once).  A program that installs its own handlers for
 * these signals later turns the guard off for faults (not for LMDB's
 * assertions). */
void ni_guard_install(void);

/* Leaves the guarded call in progress on this thread, if any, with msg as
 * the message (LMDB's assertion callback calls it); returns when none is
 * in progress. */
void ni_guard_fire(const char *msg);

/* What ended the last guarded call that jumped, on this thread. */
const char *ni_guard_message(void);

#endif
