/*
 * space.c - room for an index: the size of its LMDB map, and telling a
 * full disk from other write errors.  Does not open, map or write files
 * (store.c does); reads process limits, /proc/self/statm and the file
 * system's free blocks.
 *
 * The map.  LMDB maps data.mdb into a fixed range of address space and a
 * write that does not fit in it fails (MDB_MAP_FULL).  Address space costs
 * nothing on a 64-bit system, unless the process has a limit on it
 * (RLIMIT_AS, `ulimit -v`): then every byte of map counts against it as
 * much as the heap does.  So the map starts at the file and some headroom
 * (half the file, at least 32 MiB; less when the limit leaves less) and
 * grows when a write needs it, doubling without a limit and by at most
 * half of the room left under one.  Readers need no headroom at all: a
 * file grown by another process is adopted when a transaction begins.
 *
 * A full disk.  LMDB writes pages with pwritev and the meta page with
 * pwrite; a short write, which is how a full file system or the file-size
 * limit usually shows, becomes EIO, only a write that wrote nothing gives
 * ENOSPC or EFBIG.  After an EIO, ni_space_exhausted looks at what the
 * write ran into: the file at its size limit, or its file system with
 * (almost) no free blocks for this process.  An I/O error on a disk that
 * happens to be nearly full is then reported as a full disk, with the
 * free bytes in the message.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "space.h"

#define MIB ((uint64_t)1 << 20)
#define MIN_HEADROOM (32 * MIB)
/* Free bytes below which a failed write is taken for a full disk: a short
 * write fills the file system to its last free block. */
#define FULL_FREE (4 * MIB)

static uint64_t round_mib(uint64_t n)
{
    return (n + MIB - 1) / MIB * MIB;
}

uint64_t ni_space_room(void)
{
    struct rlimit rl;
    unsigned long long pages = 0;
    uint64_t mapped;
    FILE *f;

    if (getrlimit(RLIMIT_AS, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
        return NI_SPACE_UNLIMITED;
    if ((f = fopen("/proc/self/statm", "re")) != NULL) {
        if (fscanf(f, "%llu", &pages) != 1)
            pages = 0;
        fclose(f);
    }
    mapped = (uint64_t)pages * (uint64_t)sysconf(_SC_PAGESIZE);
    return mapped < (uint64_t)rl.rlim_cur ? (uint64_t)rl.rlim_cur - mapped : 0;
}

uint64_t ni_space_initial_map(uint64_t used, uint64_t room)
{
    uint64_t headroom = used / 2 > MIN_HEADROOM ? used / 2 : MIN_HEADROOM;
    if (room != NI_SPACE_UNLIMITED && headroom > room / 4)
        headroom = room / 4;
    return round_mib(used + headroom);
}

uint64_t ni_space_want_free(uint64_t need, uint64_t free, uint64_t room)
{
    uint64_t half;
    if (room == NI_SPACE_UNLIMITED)
        return need;
    half = free / 2 + room / 2;
    return need < half ? need : half;
}

uint64_t ni_space_grow_target(uint64_t map, uint64_t used, uint64_t need, uint64_t room)
{
    uint64_t want = map * 2, least = round_mib(used + need);
    if (want < used + 2 * need)
        want = used + 2 * need;
    if (room != NI_SPACE_UNLIMITED && want > map + room / 2)
        want = map + room / 2;
    if (want < least)
        want = least;
    want = round_mib(want);
    return want > map ? want : map + MIB;
}

int ni_space_can_map(uint64_t bytes)
{
    void *p;
    if (bytes == 0)
        return 1;
    if (bytes > SIZE_MAX)
        return 0;
    p = mmap(NULL, (size_t)bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
             -1, 0);
    if (p == MAP_FAILED)
        return 0;
    munmap(p, (size_t)bytes);
    return 1;
}

int ni_space_exhausted(int fd, const char *dir, char *why, size_t size)
{
    struct rlimit rl;
    struct stat st;
    struct statvfs vfs;
    uint64_t free_bytes;

    if (fd >= 0 && fstat(fd, &st) == 0 && getrlimit(RLIMIT_FSIZE, &rl) == 0 &&
        rl.rlim_cur != RLIM_INFINITY && (uint64_t)st.st_size + MIB >= (uint64_t)rl.rlim_cur) {
        snprintf(why, size, "the file reached the file-size limit of %llu bytes (ulimit -f)",
                 (unsigned long long)rl.rlim_cur);
        return 1;
    }
    if (fd >= 0 ? fstatvfs(fd, &vfs) != 0 : statvfs(dir, &vfs) != 0)
        return 0;
    /* root may write into the blocks kept for it */
    free_bytes = (uint64_t)(geteuid() == 0 ? vfs.f_bfree : vfs.f_bavail) * vfs.f_frsize;
    if (free_bytes >= FULL_FREE)
        return 0;
    snprintf(why, size, "disk full (%llu bytes free)", (unsigned long long)free_bytes);
    return 1;
}

uintptr_t ni_space_map_base(unsigned long ino, const char *name)
{
    char line[512], path[4096];
    unsigned long lo, hi, off, node;
    uintptr_t base = 0;
    FILE *f = fopen("/proc/self/maps", "re");

    if (!f)
        return 0;
    while (fgets(line, sizeof line, f))
        if (strstr(line, name) &&
            sscanf(line, "%lx-%lx %*s %lx %*s %lu %4095s", &lo, &hi, &off, &node, path) == 5 &&
            off == 0 && node == ino && strstr(path, name)) {
            if (base) {
                /* mapped twice (a child of fork() keeps its parent's map
                 * beside its own): which one is ours is not known */
                base = 0;
                break;
            }
            base = (uintptr_t)lo;
        }
    fclose(f);
    return base;
}
