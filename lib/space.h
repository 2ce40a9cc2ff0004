/*
 * space.h - room for an index: how much address space its map may take,
 * and whether a failed write ran out of disk.  No LMDB here: store.c asks
 * and acts.
 */
#ifndef NI_SPACE_H
#define NI_SPACE_H

#include <stddef.h>
#include <stdint.h>

#define NI_SPACE_UNLIMITED UINT64_MAX

/* Address space this process may still map: the address-space limit
 * (RLIMIT_AS, `ulimit -v`) less what is mapped now, or NI_SPACE_UNLIMITED
 * when there is no limit. */
uint64_t ni_space_room(void);

/* The map to open (or adopt) a file of used bytes with: the file and
 * headroom, less headroom when room (ni_space_room) is short. */
uint64_t ni_space_initial_map(uint64_t used, uint64_t room);

/* How much of need bytes of free map a writer should insist on, free bytes
 * being free now: need itself without a limit, else at most half of what
 * the map and the address space have left between them (so that reserving
 * again and again converges instead of eating the address space). */
uint64_t ni_space_want_free(uint64_t need, uint64_t free, uint64_t room);

/* The size to grow a map of map bytes, used of them in use, to so that
 * need more bytes fit: double, or enough for twice need, but at most half
 * of the room left; never less than used + need. */
uint64_t ni_space_grow_target(uint64_t map, uint64_t used, uint64_t need, uint64_t room);

/* Whether bytes more of address space can be mapped now (a mapping tried
 * and released): growing a map that then fails to map would leave LMDB
 * without one. */
int ni_space_can_map(uint64_t bytes);

/*
 * Whether a write to the file open as fd failed for want of space, as
 * LMDB reports a short write (EIO): 1 with why (a phrase starting with
 * "disk full" or naming the file-size limit) written, else 0.  The file
 * reached the file-size limit (RLIMIT_FSIZE), or its file system has
 * almost no free blocks left for this process.  fd -1: only the file
 * system of directory dir is looked at.
 */
int ni_space_exhausted(int fd, const char *dir, char *why, size_t size);

/* Where the file of inode ino, whose path contains name, is mapped from
 * its start in this process (/proc/self/maps, Linux); 0 when it is not,
 * or when it is mapped more than once. */
uintptr_t ni_space_map_base(unsigned long ino, const char *name);

#endif
