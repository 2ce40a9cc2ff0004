/*
 * idset.c - the ids an indexing run has read (idset.h): a set of FNV-1a
 * hashes with linear probing, grown at half full.
 */
#include <stdlib.h>

#include "idset.h"
#include "newsindex.h"

static uint64_t hash(const char *s, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ull;         /* FNV-1a, 64 bits */
    size_t i;
    for (i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ull;
    }
    h ^= h >> 29;                               /* the low bits index the table */
    return h ? h : 1;
}

/* Puts h into slot (cap a power of two); 1 when it was there. */
static int put(uint64_t *slot, size_t cap, uint64_t h)
{
    size_t i = (size_t)h & (cap - 1);
    while (slot[i]) {
        if (slot[i] == h)
            return 1;
        i = (i + 1) & (cap - 1);
    }
    slot[i] = h;
    return 0;
}

int idset_add(idset *s, const char *id, size_t len)
{
    uint64_t h = hash(id, len);
    if (2 * (s->n + 1) > s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 1024, i;
        uint64_t *slot = calloc(cap, sizeof *slot);
        if (!slot)
            return NI_ENOMEM;
        for (i = 0; i < s->cap; i++)
            if (s->slot[i])
                put(slot, cap, s->slot[i]);
        free(s->slot);
        s->slot = slot;
        s->cap = cap;
    }
    if (put(s->slot, s->cap, h))
        return 1;
    s->n++;
    return 0;
}

void idset_free(idset *s)
{
    free(s->slot);
    s->slot = NULL;
    s->n = s->cap = 0;
}
