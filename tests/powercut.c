/*
 * powercut.c - a power loss simulated under a running program, in the
 * spirit of SQLite's crash-test VFS (src/test6.c), as an LD_PRELOAD shim.
 * Built as build/tests/powercut.so; test_powercut.c drives it.
 *
 * It watches one file, $POWERCUT_FILE (an index's data.mdb; lock.mdb holds
 * no data that survives a restart), and lets every call through to the
 * kernel, so the program runs as it would.  On the side it keeps what a
 * power loss could not take away: the file's durable image, which starts
 * as the file's content when the program first writes it and takes in the
 * writes made since the last sync when a sync returns.  The events it
 * counts on that file, in order:
 *   writes:  write, pwrite(64), writev, pwritev(64), pwritev2 (an fd
 *            opened with O_DSYNC or O_SYNC, as LMDB's meta page fd is, is
 *            durable when the call returns: a write and a sync in one);
 *   sizes:   ftruncate(64), fallocate(64), posix_fallocate(64);
 *   syncs:   fsync, fdatasync, msync (MS_SYNC), syncfs, sync.
 *   (sync_file_range is counted but makes nothing durable: it flushes no
 *   disk cache and no metadata.)
 * With $POWERCUT_AT = K, the power goes off during event K: the event has
 * begun and not returned.  The shim writes the image the disk could hold
 * to $POWERCUT_OUT and _exit()s with status 99 without returning.  That
 * image is the durable one plus a choice, drawn from $POWERCUT_SEED and K,
 * among the writes and size changes not yet synced (the event in flight
 * included), made in units of a sector ($POWERCUT_SECTOR, 512 bytes: a
 * sector is written whole or not at all, as disks promise):
 *   lose:     none of them reached the disk;
 *   tear:     all of them did except the last, which is torn: a prefix of
 *             its sectors reached it;
 *   prefix:   the first n of them did, the next one torn, the rest lost
 *             (a disk that writes in order);
 *   scatter:  each sector of each of them did or did not, independently
 *             (a disk that reorders: a later write of the same sector
 *             wins when both arrive).
 * $POWERCUT_TEAR=byte tears at any byte instead of a sector boundary, and
 * $POWERCUT_GARBAGE=1 lets a scattered sector arrive as garbage: harsher
 * than the disks LMDB is written for (it relies on a meta page's 512-byte
 * sector being written whole), so these are measured, not required.
 * The file grows to the end of the last sector that arrived; a size
 * change arrives or not as a whole.
 * Without $POWERCUT_AT, the shim only counts: at exit it writes
 * "events N writes W syncs S sizes Z" to $POWERCUT_COUNT.
 * A shared writable mapping of the file (MDB_WRITEMAP) writes where no call
 * can see it: the shim refuses it (the mmap fails with EINVAL and a message).
 * Directory entries: when this process creates the file (open with
 * O_CREAT) or its directory (mkdir), the new entry is durable only once
 * the directory holding it is synced (fsync or fdatasync of it), as POSIX
 * has it (ext4 and XFS order it with the file's own sync; other file
 * systems need not).  Until then a cut loses it, at random: the shim then
 * also creates $POWERCUT_OUT.gone, for the driver to leave the file out.
 * Not modelled: renames, and writes by other processes.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define CUT_STATUS 99

enum { EV_WRITE, EV_SIZE, EV_SYNC };

/* A write or size change not yet synced.  A size change has data NULL and
 * sets the file's size to off. */
typedef struct pending {
    off_t off;
    size_t len;
    unsigned char *data;
} pending;

static struct {
    int on;                    /* POWERCUT_FILE set */
    const char *file, *out, *count_path;
    unsigned long long at, events, writes, syncs, sizes;
    uint64_t seed;
    size_t sector;
    int tear_bytes, garbage;
    int started;               /* the durable image holds the file */
    dev_t dev;
    ino_t ino;
    unsigned char *dur;        /* durable image */
    size_t dur_len, dur_cap;
    pending *pend;
    size_t npend, pend_cap;
    int in_shim;
    int entries;               /* ENTRY_* not yet durable */
} S;

enum { ENTRY_FILE = 1, ENTRY_DIR = 2 };

#define REAL(ret, name, ...) \
    static ret (*real_##name)(__VA_ARGS__); \
    if (!real_##name) \
        real_##name = (ret (*)(__VA_ARGS__))dlsym(RTLD_NEXT, #name)

static void die(const char *msg)
{
    fprintf(stderr, "powercut: %s\n", msg);
    _exit(98);
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        die("out of memory");
    return p;
}

/* xorshift64*: the choices of one cut, from the seed and K */
static uint64_t rng_state;
static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}

static uint64_t below(uint64_t n)
{
    return n ? rnd() % n : 0;
}

static void load_env(void)
{
    const char *v;
    static int done;
    if (done)
        return;
    done = 1;
    S.file = getenv("POWERCUT_FILE");
    S.on = S.file && *S.file;
    S.out = getenv("POWERCUT_OUT");
    S.count_path = getenv("POWERCUT_COUNT");
    S.at = (v = getenv("POWERCUT_AT")) ? strtoull(v, NULL, 10) : 0;
    S.seed = (v = getenv("POWERCUT_SEED")) ? strtoull(v, NULL, 10) : 1;
    S.sector = (v = getenv("POWERCUT_SECTOR")) ? strtoul(v, NULL, 10) : 512;
    if (!S.sector)
        S.sector = 512;
    S.tear_bytes = (v = getenv("POWERCUT_TEAR")) && strcmp(v, "byte") == 0;
    S.garbage = (v = getenv("POWERCUT_GARBAGE")) && strcmp(v, "1") == 0;
    if (S.on && S.at && !S.out)
        die("POWERCUT_AT without POWERCUT_OUT");
}

static void dur_reserve(size_t n)
{
    if (n <= S.dur_cap)
        return;
    S.dur_cap = n > 2 * S.dur_cap ? n : 2 * S.dur_cap;
    S.dur = xrealloc(S.dur, S.dur_cap);
}

/* Sets the image's size to n (zeros when it grows). */
static void img_resize(unsigned char **img, size_t *len, size_t *cap, size_t n)
{
    if (n > *cap) {
        *cap = n > 2 * *cap ? n : 2 * *cap;
        *img = xrealloc(*img, *cap);
    }
    if (n > *len)
        memset(*img + *len, 0, n - *len);
    *len = n;
}

static void img_write(unsigned char **img, size_t *len, size_t *cap, off_t off,
                      const unsigned char *p, size_t n)
{
    size_t end = (size_t)off + n;
    if (end > *len)
        img_resize(img, len, cap, end);
    memcpy(*img + off, p, n);
}

/* Reads the file as it is now (before the program's first write to it):
 * the durable image to start from. */
static void start(int fd)
{
    struct stat st;
    size_t got = 0;
    REAL(ssize_t, pread, int, void *, size_t, off_t);
    if (fstat(fd, &st) != 0)
        die("cannot stat the watched file");
    dur_reserve((size_t)st.st_size);
    while (got < (size_t)st.st_size) {
        ssize_t n = real_pread(fd, S.dur + got, (size_t)st.st_size - got, (off_t)got);
        if (n <= 0)
            die("cannot read the watched file");
        got += (size_t)n;
    }
    S.dur_len = got;
    S.started = 1;
}

/* Whether fd is the watched file; *dsync: writes through it are synchronous. */
static int watched(int fd, int *dsync)
{
    struct stat st, want;
    int fl;
    load_env();
    if (!S.on || S.in_shim || fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    if (!S.dev && !S.ino) {
        if (stat(S.file, &want) != 0)
            return 0;
        S.dev = want.st_dev;
        S.ino = want.st_ino;
    }
    if (st.st_dev != S.dev || st.st_ino != S.ino)
        return 0;
    if (dsync) {
        fl = fcntl(fd, F_GETFL);
        *dsync = fl >= 0 && (fl & (O_DSYNC | O_SYNC)) != 0;
    }
    if (!S.started)
        start(fd);
    return 1;
}

static void pend_add(off_t off, const void *data, size_t len)
{
    pending *p;
    if (S.npend == S.pend_cap) {
        S.pend_cap = S.pend_cap ? 2 * S.pend_cap : 64;
        S.pend = xrealloc(S.pend, S.pend_cap * sizeof *S.pend);
    }
    p = &S.pend[S.npend++];
    p->off = off;
    p->len = len;
    p->data = NULL;
    if (data) {
        p->data = xrealloc(NULL, len);
        memcpy(p->data, data, len);
    }
}

/* A sync returned: every pending change is on the disk. */
static void make_durable(void)
{
    size_t i;
    for (i = 0; i < S.npend; i++) {
        pending *p = &S.pend[i];
        if (p->data)
            img_write(&S.dur, &S.dur_len, &S.dur_cap, p->off, p->data, p->len);
        else
            img_resize(&S.dur, &S.dur_len, &S.dur_cap, (size_t)p->off);
        free(p->data);
    }
    S.npend = 0;
}

/* Applies bytes [from, to) of pending change p to the image, sector by
 * sector; scatter: each sector arrives or not (or as garbage) at random. */
static void land(unsigned char **img, size_t *len, size_t *cap, const pending *p,
                 size_t from, size_t to, int scatter)
{
    size_t b = from;
    if (!p->data) {
        img_resize(img, len, cap, (size_t)p->off);
        return;
    }
    while (b < to) {
        /* the rest of the sector that byte b of the write falls in */
        size_t fo = (size_t)p->off + b;
        size_t e = (fo / S.sector + 1) * S.sector - (size_t)p->off;
        if (e > to)
            e = to;
        if (!scatter) {
            img_write(img, len, cap, (off_t)fo, p->data + b, e - b);
        } else {
            uint64_t r = below(S.garbage ? 3 : 2);
            if (r == 1) {
                img_write(img, len, cap, (off_t)fo, p->data + b, e - b);
            } else if (r == 2) {
                unsigned char junk[4096];
                size_t k, n = e - b < sizeof junk ? e - b : sizeof junk;
                for (k = 0; k < n; k++)
                    junk[k] = (unsigned char)rnd();
                img_write(img, len, cap, (off_t)fo, junk, n);
            }
        }
        b = e;
    }
}

/* How many bytes of p arrive when it is torn: a sector boundary of the
 * file strictly inside it (or any byte), or none of it. */
static size_t torn_len(const pending *p)
{
    size_t first, end, n, r;
    if (!p->data || p->len < 2)
        return 0;
    if (S.tear_bytes)
        return (size_t)below(p->len);
    first = ((size_t)p->off / S.sector + 1) * S.sector;   /* first boundary after off */
    end = (size_t)p->off + p->len;
    if (first >= end)
        return 0;                      /* inside one sector: all or nothing */
    n = (end - 1 - first) / S.sector + 1;                  /* boundaries inside it */
    r = (size_t)below(n + 1);
    return r == 0 ? 0 : first + (r - 1) * S.sector - (size_t)p->off;
}

static const char *const kind_name[] = { "lose", "tear", "prefix", "scatter" };

/* The power goes off: writes the image the disk could hold, exits. */
static void cut(const char *what)
{
    unsigned char *img;
    size_t len = S.dur_len, cap = S.dur_len, i, n = 0, torn = 0;
    int kind, fd;
    REAL(ssize_t, write, int, const void *, size_t);

    S.in_shim = 1;
    rng_state = (S.seed * 0x9E3779B97F4A7C15ULL) ^ (S.at * 0xBF58476D1CE4E5B9ULL) ^ 1;
    for (i = 0; i < 4; i++)
        rnd();
    img = xrealloc(NULL, cap);
    memcpy(img, S.dur, len);
    kind = (int)below(4);
    if (kind == 1 || kind == 2) {
        n = kind == 1 ? (S.npend ? S.npend - 1 : 0) : (size_t)below(S.npend + 1);
        for (i = 0; i < n; i++)
            land(&img, &len, &cap, &S.pend[i], 0, S.pend[i].data ? S.pend[i].len : 0, 0);
        if (n < S.npend) {
            torn = torn_len(&S.pend[n]);
            if (torn)
                land(&img, &len, &cap, &S.pend[n], 0, torn, 0);
        }
    } else if (kind == 3) {
        for (i = 0; i < S.npend; i++) {
            if (!S.pend[i].data) {
                if (below(2))
                    land(&img, &len, &cap, &S.pend[i], 0, 0, 0);
            } else {
                land(&img, &len, &cap, &S.pend[i], 0, S.pend[i].len, 1);
            }
        }
    }
    if (S.entries && below(2)) {
        char gone[4096];
        snprintf(gone, sizeof gone, "%s.gone", S.out);
        if ((fd = open(gone, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
            die("cannot create POWERCUT_OUT.gone");
        close(fd);
        fprintf(stderr, "powercut: the %s's directory entry, never synced, is lost\n",
                S.entries & ENTRY_DIR ? "directory" : "file");
    }
    fd = open(S.out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        die("cannot create POWERCUT_OUT");
    for (i = 0; i < len;) {
        ssize_t w = real_write(fd, img + i, len - i);
        if (w <= 0)
            die("cannot write POWERCUT_OUT");
        i += (size_t)w;
    }
    close(fd);
    fprintf(stderr, "powercut: power off during event %llu (%s): %s, %zu pending, "
            "%zu whole, %zu bytes of the next\n", S.at, what, kind_name[kind], S.npend,
            n, torn);
    _exit(CUT_STATUS);
}

/* Counts an event on the watched file; cuts when it is the chosen one. */
static void event(int type, const char *what)
{
    S.events++;
    if (type == EV_WRITE)
        S.writes++;
    else if (type == EV_SYNC)
        S.syncs++;
    else
        S.sizes++;
    if (S.at && S.events == S.at)
        cut(what);
}

static void note_write(int fd, off_t off, const struct iovec *iov, int iovcnt,
                       const void *buf, size_t len)
{
    int dsync = 0, i;
    if (!watched(fd, &dsync))
        return;
    if (off < 0) {
        REAL(off_t, lseek, int, off_t, int);
        off = real_lseek(fd, 0, SEEK_CUR);
        if (off < 0)
            die("cannot tell the position of the watched file");
    }
    if (iov) {
        size_t total = 0, at = 0;
        unsigned char *all;
        for (i = 0; i < iovcnt; i++)
            total += iov[i].iov_len;
        all = xrealloc(NULL, total);
        for (i = 0; i < iovcnt; i++) {
            memcpy(all + at, iov[i].iov_base, iov[i].iov_len);
            at += iov[i].iov_len;
        }
        pend_add(off, all, total);
        free(all);
    } else {
        pend_add(off, buf, len);
    }
    event(EV_WRITE, dsync ? "synchronous write" : "write");
    if (dsync)
        make_durable();
}

/* Records a pending size change of the watched file to size. */
static void note_size(int fd, off_t size, int grow_only, const char *what)
{
    struct stat st;
    if (!watched(fd, NULL))
        return;
    if (grow_only && fstat(fd, &st) == 0 && st.st_size >= size)
        return;
    pend_add(size, NULL, 0);
    event(EV_SIZE, what);
}

/* The watched file's directory (up = 0) or that directory's parent (1). */
static int entry_dir(int up, char *buf, size_t size)
{
    char *slash;
    if ((size_t)snprintf(buf, size, "%s", S.file) >= size)
        return -1;
    for (int i = 0; i <= up; i++) {
        if (!(slash = strrchr(buf, '/'))) {
            snprintf(buf, size, ".");
            return i == up ? 0 : -1;
        }
        *slash = 0;
        if (!*buf)
            snprintf(buf, size, "/");
    }
    return 0;
}

static int same_file(const struct stat *a, const char *path)
{
    struct stat b;
    return stat(path, &b) == 0 && a->st_dev == b.st_dev && a->st_ino == b.st_ino;
}

/* A sync of a directory: the entries it holds are durable. */
static void note_dir_sync(int fd)
{
    struct stat st;
    char dir[4096];
    if (!S.on || !S.entries || fstat(fd, &st) != 0 || !S_ISDIR(st.st_mode))
        return;
    if ((S.entries & ENTRY_FILE) && entry_dir(0, dir, sizeof dir) == 0 && same_file(&st, dir))
        S.entries &= ~ENTRY_FILE;
    if ((S.entries & ENTRY_DIR) && entry_dir(1, dir, sizeof dir) == 0 && same_file(&st, dir))
        S.entries &= ~ENTRY_DIR;
}

static void note_sync(int fd, const char *what)
{
    if (fd >= 0)
        note_dir_sync(fd);
    if (fd >= 0 && !watched(fd, NULL))
        return;
    if (fd < 0) {
        load_env();
        if (!S.on || !S.started)
            return;
    }
    event(EV_SYNC, what);
    make_durable();
}

/* ---- the calls ----------------------------------------------------------- */

/* Whether path (relative to dirfd) names nothing yet. */
static int absent(int dirfd, const char *path)
{
    struct stat st;
    load_env();
    return S.on && fstatat(dirfd, path, &st, 0) != 0 && errno == ENOENT;
}

/* After open(..., O_CREAT) made a file: the watched one's entry is new. */
static void note_created(int fd)
{
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0 && same_file(&st, S.file))
        S.entries |= ENTRY_FILE;
}

static int open_common(int dirfd, const char *path, int flags, mode_t mode, int at, int is64)
{
    int fd, created = (flags & O_CREAT) && absent(dirfd, path);
    if (at) {
        REAL(int, openat, int, const char *, int, ...);
        REAL(int, openat64, int, const char *, int, ...);
        fd = is64 ? real_openat64(dirfd, path, flags, mode) : real_openat(dirfd, path, flags, mode);
    } else {
        REAL(int, open, const char *, int, ...);
        REAL(int, open64, const char *, int, ...);
        fd = is64 ? real_open64(path, flags, mode) : real_open(path, flags, mode);
    }
    if (created)
        note_created(fd);
    return fd;
}

static mode_t open_mode(int flags, va_list ap)
{
    return (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
}

int open(const char *path, int flags, ...)
{
    va_list ap;
    mode_t mode;
    va_start(ap, flags);
    mode = open_mode(flags, ap);
    va_end(ap);
    return open_common(AT_FDCWD, path, flags, mode, 0, 0);
}

int open64(const char *path, int flags, ...)
{
    va_list ap;
    mode_t mode;
    va_start(ap, flags);
    mode = open_mode(flags, ap);
    va_end(ap);
    return open_common(AT_FDCWD, path, flags, mode, 0, 1);
}

int openat(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    mode_t mode;
    va_start(ap, flags);
    mode = open_mode(flags, ap);
    va_end(ap);
    return open_common(dirfd, path, flags, mode, 1, 0);
}

int openat64(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    mode_t mode;
    va_start(ap, flags);
    mode = open_mode(flags, ap);
    va_end(ap);
    return open_common(dirfd, path, flags, mode, 1, 1);
}

int mkdir(const char *path, mode_t mode)
{
    REAL(int, mkdir, const char *, mode_t);
    char dir[4096];
    struct stat st;
    int r = real_mkdir(path, mode);
    load_env();
    if (r == 0 && S.on && entry_dir(0, dir, sizeof dir) == 0 && stat(path, &st) == 0 &&
        same_file(&st, dir))
        S.entries |= ENTRY_DIR;
    return r;
}

ssize_t write(int fd, const void *buf, size_t n)
{
    REAL(ssize_t, write, int, const void *, size_t);
    note_write(fd, -1, NULL, 0, buf, n);
    return real_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    REAL(ssize_t, pwrite, int, const void *, size_t, off_t);
    note_write(fd, off, NULL, 0, buf, n);
    return real_pwrite(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
    REAL(ssize_t, pwrite64, int, const void *, size_t, off_t);
    note_write(fd, off, NULL, 0, buf, n);
    return real_pwrite64(fd, buf, n, off);
}

ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
    REAL(ssize_t, writev, int, const struct iovec *, int);
    note_write(fd, -1, iov, cnt, NULL, 0);
    return real_writev(fd, iov, cnt);
}

ssize_t pwritev(int fd, const struct iovec *iov, int cnt, off_t off)
{
    REAL(ssize_t, pwritev, int, const struct iovec *, int, off_t);
    note_write(fd, off, iov, cnt, NULL, 0);
    return real_pwritev(fd, iov, cnt, off);
}

ssize_t pwritev64(int fd, const struct iovec *iov, int cnt, off_t off)
{
    REAL(ssize_t, pwritev64, int, const struct iovec *, int, off_t);
    note_write(fd, off, iov, cnt, NULL, 0);
    return real_pwritev64(fd, iov, cnt, off);
}

ssize_t pwritev2(int fd, const struct iovec *iov, int cnt, off_t off, int flags)
{
    REAL(ssize_t, pwritev2, int, const struct iovec *, int, off_t, int);
    note_write(fd, off, iov, cnt, NULL, 0);
    if (flags & (RWF_DSYNC | RWF_SYNC)) {
        ssize_t r = real_pwritev2(fd, iov, cnt, off, flags);
        if (watched(fd, NULL))
            make_durable();
        return r;
    }
    return real_pwritev2(fd, iov, cnt, off, flags);
}

int ftruncate(int fd, off_t size)
{
    REAL(int, ftruncate, int, off_t);
    note_size(fd, size, 0, "ftruncate");
    return real_ftruncate(fd, size);
}

int ftruncate64(int fd, off_t size)
{
    REAL(int, ftruncate64, int, off_t);
    note_size(fd, size, 0, "ftruncate");
    return real_ftruncate64(fd, size);
}

int fallocate(int fd, int mode, off_t off, off_t len)
{
    REAL(int, fallocate, int, int, off_t, off_t);
    if (!(mode & FALLOC_FL_KEEP_SIZE))
        note_size(fd, off + len, 1, "fallocate");
    return real_fallocate(fd, mode, off, len);
}

int fallocate64(int fd, int mode, off_t off, off_t len)
{
    REAL(int, fallocate64, int, int, off_t, off_t);
    if (!(mode & FALLOC_FL_KEEP_SIZE))
        note_size(fd, off + len, 1, "fallocate");
    return real_fallocate64(fd, mode, off, len);
}

int posix_fallocate(int fd, off_t off, off_t len)
{
    REAL(int, posix_fallocate, int, off_t, off_t);
    note_size(fd, off + len, 1, "posix_fallocate");
    return real_posix_fallocate(fd, off, len);
}

int posix_fallocate64(int fd, off_t off, off_t len)
{
    REAL(int, posix_fallocate64, int, off_t, off_t);
    note_size(fd, off + len, 1, "posix_fallocate");
    return real_posix_fallocate64(fd, off, len);
}

int fsync(int fd)
{
    REAL(int, fsync, int);
    int r = real_fsync(fd);
    if (r == 0)
        note_sync(fd, "fsync");
    return r;
}

int fdatasync(int fd)
{
    REAL(int, fdatasync, int);
    int r = real_fdatasync(fd);
    if (r == 0)
        note_sync(fd, "fdatasync");
    return r;
}

int syncfs(int fd)
{
    REAL(int, syncfs, int);
    int r = real_syncfs(fd);
    if (r == 0)
        note_sync(-1, "syncfs");
    return r;
}

void sync(void)
{
    REAL(void, sync, void);
    real_sync();
    note_sync(-1, "sync");
}

int msync(void *addr, size_t len, int flags)
{
    REAL(int, msync, void *, size_t, int);
    int r = real_msync(addr, len, flags);
    /* only a writable shared map of the file needs it, and the shim
     * refuses those: counted, it makes nothing more durable */
    if (r == 0 && S.on && S.started && (flags & MS_SYNC))
        event(EV_SYNC, "msync");
    return r;
}

int sync_file_range(int fd, off_t off, off_t n, unsigned int flags)
{
    REAL(int, sync_file_range, int, off_t, off_t, unsigned int);
    if (watched(fd, NULL))
        event(EV_SYNC, "sync_file_range");
    return real_sync_file_range(fd, off, n, flags);
}

static void *map_check(int prot, int flags, int fd)
{
    if ((prot & PROT_WRITE) && (flags & MAP_SHARED) && watched(fd, NULL)) {
        fprintf(stderr, "powercut: a writable shared map of %s (MDB_WRITEMAP) "
                "writes where the shim cannot see\n", S.file);
        errno = EINVAL;
        return MAP_FAILED;
    }
    return NULL;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    REAL(void *, mmap, void *, size_t, int, int, int, off_t);
    if (map_check(prot, flags, fd))
        return MAP_FAILED;
    return real_mmap(addr, len, prot, flags, fd, off);
}

void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    REAL(void *, mmap64, void *, size_t, int, int, int, off_t);
    if (map_check(prot, flags, fd))
        return MAP_FAILED;
    return real_mmap64(addr, len, prot, flags, fd, off);
}

__attribute__((destructor)) static void report(void)
{
    FILE *f;
    if (!S.on || S.at || !S.count_path)
        return;
    S.in_shim = 1;
    if ((f = fopen(S.count_path, "w")) != NULL) {
        fprintf(f, "events %llu writes %llu syncs %llu sizes %llu\n", S.events, S.writes,
                S.syncs, S.sizes);
        fclose(f);
    }
}
