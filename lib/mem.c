/*
 * mem.c - the one allocation choke point of the library.  A test build can
 * make the n-th allocation fail (ni_mem_fail_at) to prove that every path
 * ends in a clean NI_ENOMEM without leaks.  The counter is process-wide
 * (atomic: indexing threads allocate too); which thread makes the n-th
 * allocation is only predictable when one thread allocates.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

static _Atomic uint64_t alloc_count;
static _Atomic uint64_t fail_at;
static _Atomic int fail_sticky;

uint64_t ni_mem_fail_at(uint64_t n, int sticky)
{
    uint64_t made = atomic_exchange(&alloc_count, 0);
    fail_at = n;
    fail_sticky = sticky;
    return made;
}

static int should_fail(void)
{
    uint64_t n = atomic_fetch_add_explicit(&alloc_count, 1, memory_order_relaxed) + 1;
    uint64_t at = atomic_load_explicit(&fail_at, memory_order_relaxed);
    if (at == 0)
        return 0;
    return n == at || (fail_sticky && n > at);
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
