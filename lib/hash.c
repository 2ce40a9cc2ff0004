/*
 * hash.c - growing and emptying the open-addressing table of hash.h (the
 * lookup and the check for room are inline there).  Does not hash or compare keys.
 */
#include "error.h"
#include "hash.h"
#include "mem.h"

int ni_hash_grow(ni_hash *t, size_t first, ni_hash_of hash_of, const void *ctx)
{
    size_t n = t->nslots ? t->nslots * 2 : first, k, j;
    uint32_t *slots, *filled;

    slots = ni_mem_calloc(n, sizeof *slots);
    filled = ni_mem_alloc(n / 2 * sizeof *filled);
    if (!slots || !filled) {
        ni_mem_free(slots);
        ni_mem_free(filled);
        return ni_error(NI_ENOMEM, "out of memory");
    }
    for (k = 0; k < t->count; k++) {
        uint32_t e1 = t->slots[t->filled[k]];
        for (j = hash_of(ctx, e1 - 1) & (n - 1); slots[j]; j = (j + 1) & (n - 1))
            ;
        slots[j] = e1;
        filled[k] = (uint32_t)j;
    }
    ni_mem_free(t->slots);
    ni_mem_free(t->filled);
    t->slots = slots;
    t->filled = filled;
    t->nslots = n;
    return 0;
}

void ni_hash_clear(ni_hash *t)
{
    size_t k;
    for (k = 0; k < t->count; k++)
        t->slots[t->filled[k]] = 0;
    t->count = 0;
}

void ni_hash_free(ni_hash *t)
{
    ni_mem_free(t->slots);
    ni_mem_free(t->filled);
    memset(t, 0, sizeof *t);
}
