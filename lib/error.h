/*
 * error.h - failures and their messages (error.c): a function that fails
 * returns a negative NI_E* code and records what went wrong for
 * ni_errmsg(), per thread.
 */
#ifndef NI_ERROR_H
#define NI_ERROR_H

#include "newsindex.h"

#if defined(__GNUC__)
#define NI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define NI_PRINTF(f, a)
#endif

/* Records the message of a failure for ni_errmsg(); returns rc. */
int ni_error(int rc, const char *fmt, ...) NI_PRINTF(2, 3);
void ni_error_clear(void);

#endif
