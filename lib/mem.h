/*
 * mem.h - the allocation choke point (mem.c): every allocation of the
 * library goes through these, so a test build can make the n-th one fail.
 */
#ifndef NI_MEM_H
#define NI_MEM_H

#include <stddef.h>
#include <stdint.h>

void *ni_mem_alloc(size_t n);
void *ni_mem_calloc(size_t count, size_t size);
void *ni_mem_realloc(void *p, size_t n);
void ni_mem_free(void *p);
char *ni_mem_strndup(const char *s, size_t n);

/*
 * Fault injection for tests: make the n-th allocation from now fail (and
 * every one after it while sticky is set); 0 turns it off.  Returns the
 * number of allocations made since the last call.
 */
uint64_t ni_mem_fail_at(uint64_t n, int sticky);

#endif
