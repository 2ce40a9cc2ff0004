/*
 * idset.h - the document ids one `nsearch index` run has read, so that an
 * id read twice (the later record replaces the earlier one in the index)
 * is reported.  Holds 64-bit hashes of the ids, not the ids: 16 bytes a
 * document at most, and two different ids taken for one by a hash
 * collision (about n^2 / 2^65 for n ids) only make a spurious report.
 */
#ifndef NSEARCH_IDSET_H
#define NSEARCH_IDSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct idset {
    uint64_t *slot;     /* open addressing; 0 is empty (a hash of 0 is kept as 1) */
    size_t n, cap;
} idset;

#define IDSET_INIT { NULL, 0, 0 }

/* Adds id[0..len): 1 when it was read before, 0 when it is new, or
 * NI_ENOMEM (the set is unchanged). */
int idset_add(idset *s, const char *id, size_t len);

void idset_free(idset *s);

#endif
