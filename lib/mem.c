/*
 * mem.c - the one allocation choke point of the library.  A test build can
 * make the n-th allocation fail (ni_mem_fail_at) to prove that every path
 * ends in a clean NI_ENOMEM without leaks.  The counter is process-wide and
 * only meant for single-threaded fault-injection tests.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static uint64_t alloc_count;
static uint64_t fail_at;
static int fail_sticky;

uint64_t ni_mem_fail_at(uint64_t n, int sticky)
{
    uint64_t made = alloc_count;
    alloc_count = 0;
    fail_at = n;
    fail_sticky = sticky;
    return made;
}

static int should_fail(void)
{
    alloc_count++;
    if (fail_at == 0)
        return 0;
    return alloc_count == fail_at || (fail_sticky && alloc_count > fail_at);
}

void *ni_mem_alloc(size_t n)
{
    if (should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *ni_mem_calloc(size_t count, size_t size)
{
    if (should_fail())
        return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *ni_mem_realloc(void *p, size_t n)
{
    if (should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

void ni_mem_free(void *p)
{
    free(p);
}

char *ni_mem_strndup(const char *s, size_t n)
{
    char *d = ni_mem_alloc(n + 1);
    if (d) {
        if (n)
            memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}
