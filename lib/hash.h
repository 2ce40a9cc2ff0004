/*
 * hash.h - the hash of a term's bytes, and one small open-addressing table
 * for the in-memory lookups of indexing: the inverter's terms of one
 * document (invert.c), the batch's terms and its pending ids (batch.c).
 *
 * The table holds entry numbers only, in slots found by linear probing
 * from a 32-bit hash, and stays at most half full.  The entries themselves
 * (term or id bytes, counts) live in the caller's arrays: the caller gives
 * the hash and a function that says whether an entry is the one sought, so
 * the table neither hashes, compares nor owns keys.  It remembers the slots
 * it filled, so that emptying it costs what was put in, not its size.  In
 * memory only, one thread at a time.
 */
#ifndef NI_HASH_H
#define NI_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The hash of a term's bytes used by the analyzer, the inverter and the
 * batch (in memory only); never 0.  Eight bytes at a time: terms are short. */
static inline uint32_t ni_term_hash(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 0x9e3779b97f4a7c15u ^ n, w;
    size_t i;
    for (; n >= 8; s += 8, n -= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdu;
        h ^= h >> 32;
    }
    for (w = 0, i = 0; i < n; i++)
        w |= (uint64_t)s[i] << (8 * i);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53u;
    h ^= h >> 29;
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 32;
    return (uint32_t)h ? (uint32_t)h : 1;
}

/* Whether the term of tlen bytes at bytes + off, whose hash is th, is the
 * key (len bytes, hash h): the comparison of the tables of terms. */
static inline int ni_term_same(const unsigned char *bytes, uint32_t off, uint32_t tlen,
                               uint32_t th, const void *key, size_t len, uint32_t h)
{
    return th == h && tlen == len && memcmp(bytes + off, key, len) == 0;
}

/* A table; zeroed memory is an empty one. */
typedef struct ni_hash {
    uint32_t *slots;        /* entry number + 1; 0: empty */
    uint32_t *filled;       /* the filled slots, in the order they were filled */
    size_t nslots;          /* 0 or a power of two */
    size_t count;           /* slots filled */
} ni_hash;

#define NI_HASH_NONE UINT32_MAX

/* The hash of entry e, for placing the entries again when the table grows. */
typedef uint32_t (*ni_hash_of)(const void *ctx, uint32_t e);
/* Whether entry e is the key (len bytes, hash h). */
typedef int (*ni_hash_eq)(const void *ctx, uint32_t e, const void *key, size_t len, uint32_t h);

/*
 * Makes room for one more entry: when the table would be more than half
 * full, doubles it (the first time to first slots, a power of two) and
 * places the entries again, in the order they were put, with hash_of.
 * 0, or NI_ENOMEM with the table unchanged.  Slots found before are stale.
 */
int ni_hash_grow(ni_hash *t, size_t first, ni_hash_of hash_of, const void *ctx);
static inline int ni_hash_reserve(ni_hash *t, size_t first, ni_hash_of hash_of,
                                  const void *ctx)
{
    return (t->count + 1) * 2 <= t->nslots ? 0 : ni_hash_grow(t, first, hash_of, ctx);
}

/*
 * The entry that eq says is the key (hash h), or NI_HASH_NONE; *slot is
 * where it is, or the empty slot where it would go (for ni_hash_add).  The
 * table must have slots (after a first ni_hash_reserve).  Inline, so that
 * eq is too: the inverter looks up every token.
 */
static inline uint32_t ni_hash_find(const ni_hash *t, uint32_t h, ni_hash_eq eq,
                                    const void *ctx, const void *key, size_t len,
                                    size_t *slot)
{
    size_t mask = t->nslots - 1, j;
    for (j = h & mask; t->slots[j]; j = (j + 1) & mask)
        if (eq(ctx, t->slots[j] - 1, key, len, h)) {
            *slot = j;
            return t->slots[j] - 1;
        }
    *slot = j;
    return NI_HASH_NONE;
}

/* Entry e for a new key, in the empty slot ni_hash_find gave for it
 * (with the room ni_hash_reserve made since). */
static inline void ni_hash_add(ni_hash *t, size_t slot, uint32_t e)
{
    t->filled[t->count++] = (uint32_t)slot;
    t->slots[slot] = e + 1;
}

/* Entry e instead of the one ni_hash_find found in slot. */
static inline void ni_hash_replace(ni_hash *t, size_t slot, uint32_t e)
{
    t->slots[slot] = e + 1;
}

/* Empties the table, keeping its slots. */
void ni_hash_clear(ni_hash *t);

void ni_hash_free(ni_hash *t);

#endif
