/*
 * error.c - error codes and the per-thread message of the last failure.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "mem.h"

static _Thread_local char last_msg[512];

const char *ni_version(void)
{
    return NI_VERSION_STRING;
}

const char *ni_strerror(int rc)
{
    switch (rc) {
    case NI_OK:        return "success";
    case NI_DONE:      return "no more items";
    case NI_ENOMEM:    return "out of memory";
    case NI_EIO:       return "input/output error";
    case NI_ECORRUPT:  return "index is corrupt";
    case NI_EVERSION:  return "unsupported index format version";
    case NI_ENOTFOUND: return "not found";
    case NI_EINVAL:    return "invalid argument";
    case NI_ESYNTAX:   return "query syntax error";
    case NI_EFULL:     return "index or disk is full";
    case NI_EREADONLY: return "index is read-only";
    case NI_EBUSY:     return "index is busy";
    case NI_ELIMIT:    return "query exceeds a limit";
    default:           return "unknown error";
    }
}

const char *ni_errmsg(void)
{
    return last_msg;
}

int ni_error(int rc, const char *fmt, ...)
{
    /* formatted aside first: an argument may be ni_errmsg() itself (a
     * message quoting the previous one), which vsnprintf must not write
     * over while reading it */
    char msg[sizeof last_msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    memcpy(last_msg, msg, strlen(msg) + 1);
    return rc;
}

void ni_error_clear(void)
{
    last_msg[0] = '\0';
}
