/*
 * copy.c - ni_index_copy: a compacted copy of the committed index in
 * another directory.
 *
 * Why: LMDB splits a full leaf page in two halves when a key goes into the
 * middle of a table.  A flush or commit after the first one inserts its new
 * terms, posting blocks and ids between existing keys, so an index built in
 * several flushes has many half-empty pages (the lexicon of all of
 * ../shared/corpus built in two flushes: 46 % of its pages used).  Keys
 * appended in order (MDB_APPEND) fill every leaf page instead.  LMDB's
 * mdb_env_copy2(MDB_CP_COMPACT) only leaves the free pages out; it copies
 * the half-empty ones as they are.
 *
 * What: one read transaction of the source, so the copy is one committed
 * state while writers in other threads and processes go on.  Every table
 * is read in key order and appended to the same table of a new
 * environment, key and value bytes as they are: nothing here knows what a
 * table holds, so any layout of the tables is copied alike.  The
 * destination commits every COPY_CHUNK bytes of entries (dirty pages stay
 * bounded in memory, and the map may grow between commits) and at the end
 * of each table; it is opened without syncing commits (NI_STORE_NOSYNC) and
 * synced once at the end, since nobody reads it before.
 *
 * Never a copy that looks valid but is not: an index is a directory with a
 * data.mdb, and ni_store_open finds no index in one without.  The copy is
 * written as DIR/.copy-tmp/data.mdb, synced, linked as DIR/data.mdb (which
 * fails rather than replace an index made there meanwhile) and the
 * directory synced (and its parent when DIR was created here).  On any
 * failure the temporary files are removed, and DIR too when this call
 * created it.  A killed process leaves DIR/.copy-tmp behind, which is no
 * index.
 *
 * Who owns DIR/.copy-tmp: the copy that holds an flock on DIR/.copy-tmp/owner
 * (which also names its pid, for the message).  The kernel drops the lock
 * when the process ends however it ends, so a lock that can be taken means
 * the copy that made the directory is gone: a later copy takes the
 * directory over (removes LMDB's files there and writes its own copy),
 * while a live copy's is left alone and reported (NI_EBUSY).  The maker
 * creates owner right after the directory, with O_EXCL: should another copy
 * take over an owner-less directory in that instant, the maker gives up
 * instead.  A directory without owner (left by a version before this
 * rule, or a copy killed in that instant) is taken over the same way.  A
 * copy unlinks owner before it lets go of the lock, and a copy that got
 * the lock checks that owner is still the file it locked.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "copy.h"
#include "error.h"
#include "layout.h"
#include "mem.h"

#define COPY_CHUNK ((uint64_t)64 << 20)
#define PROGRESS_STEP ((uint64_t)1 << 20)   /* bytes copied between reports */
#define ENTRY_OVERHEAD 16        /* a leaf node's header and index slot, about */
#define TMP_NAME ".copy-tmp"
#define OWNER_NAME "owner"
#define TAKE_TRIES 3

/* dir "/" name in a new string, NULL when out of memory. */
static char *join(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = ni_mem_alloc(a + b + 2);
    if (p) {
        memcpy(p, dir, a);
        p[a] = '/';
        memcpy(p + a + 1, name, b + 1);
    }
    return p;
}

static int os_error(int err, const char *what, const char *path)
{
    int rc = NI_EIO;
    if (err == EACCES || err == EROFS || err == EPERM)
        rc = NI_EREADONLY;
    else if (err == ENOSPC || err == EDQUOT)
        rc = NI_EFULL;
    else if (err == ENOMEM)
        rc = NI_ENOMEM;
    return ni_error(rc, "%s '%s': %s", what, path, strerror(err));
}

/* Makes the entries of directory path (renames, new files) durable. */
static int sync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY), rc = 0;
    if (fd < 0)
        return os_error(errno, "cannot open directory", path);
    if (fsync(fd) != 0)
        rc = os_error(errno, "cannot sync directory", path);
    close(fd);
    return rc;
}

/* Syncs the directory that holds path (path itself is a directory name). */
static int sync_parent(const char *path)
{
    size_t n = strlen(path);
    char *parent;
    int rc;

    while (n > 1 && path[n - 1] == '/')
        n--;
    while (n > 0 && path[n - 1] != '/')
        n--;
    while (n > 1 && path[n - 1] == '/')
        n--;
    if (n == 0)
        return sync_dir(".");
    if (!(parent = ni_mem_strndup(path, n)))
        return ni_error(NI_ENOMEM, "out of memory");
    rc = sync_dir(parent);
    ni_mem_free(parent);
    return rc;
}

/* Locks the owner file open as fd without waiting: 0, 1 when another
 * copy holds it, or an error. */
static int lock_owner(int fd, const char *owner)
{
    if (flock(fd, LOCK_EX | LOCK_NB) == 0)
        return 0;
    if (errno == EWOULDBLOCK)
        return 1;
    return os_error(errno, "cannot lock", owner);
}

/* Records this process in the owner file open as fd (best effort: only
 * messages read it). */
static void write_owner(int fd)
{
    char b[32];
    int n = snprintf(b, sizeof b, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, b, (size_t)n, 0) != n)
        return;
}

/* NI_EBUSY naming the live copy that owns tmp (its owner open as fd). */
static int busy(int fd, const char *tmp)
{
    char b[32];
    ssize_t n = pread(fd, b, sizeof b - 1, 0);
    long pid = 0;
    b[n > 0 ? n : 0] = '\0';
    pid = strtol(b, NULL, 10);
    if (pid > 0)
        return ni_error(NI_EBUSY, "'%s' is in use by another copy (process %ld)", tmp, pid);
    return ni_error(NI_EBUSY, "'%s' is in use by another copy", tmp);
}

/*
 * Takes the temporary directory tmp (top comment): made here, or left by
 * a copy whose process is gone, whose files in it (tmp_data, tmp_lock) are
 * then removed.  0 with *fd the locked owner file, NI_EBUSY when a live
 * copy owns it, or another error.
 */
static int take_tmp(const char *tmp, const char *owner, const char *tmp_data,
                    const char *tmp_lock, int *fd)
{
    struct stat a, b;
    int rc, tries, made;

    *fd = -1;
    for (tries = 0; tries < TAKE_TRIES; tries++) {
        made = mkdir(tmp, 0777) == 0;
        if (!made && errno != EEXIST)
            return os_error(errno, "cannot create", tmp);
        *fd = open(owner, O_RDWR | O_CREAT | O_CLOEXEC | (made ? O_EXCL : 0), 0644);
        if (*fd < 0) {
            rc = errno;
            if (made && rc == EEXIST)   /* taken over as it was made */
                return ni_error(NI_EBUSY, "'%s' was taken by another copy", tmp);
            if (made)
                rmdir(tmp);
            return os_error(rc, "cannot create", owner);
        }
        if ((rc = lock_owner(*fd, owner)) != 0) {
            if (rc == 1)
                rc = made ? ni_error(NI_EBUSY, "'%s' was taken by another copy", tmp)
                          : busy(*fd, tmp);
            close(*fd);
            *fd = -1;
            return rc;
        }
        /* the lock is ours: is owner still the file locked? (a copy that
         * ends unlinks it before it lets go) */
        if (stat(owner, &a) == 0 && fstat(*fd, &b) == 0 && a.st_ino == b.st_ino &&
            a.st_dev == b.st_dev) {
            if (!made) {                 /* its copy is gone: so are its files */
                unlink(tmp_data);
                unlink(tmp_lock);
            }
            write_owner(*fd);
            return 0;
        }
        close(*fd);
        *fd = -1;
    }
    return ni_error(NI_EBUSY, "'%s' keeps changing: another copy is at work", tmp);
}

/* Where a copy is, for its progress callback. */
typedef struct progress {
    ni_progress_fn fn;
    void *payload;
    uint64_t done, total;   /* bytes of entries copied, of the source's pages */
    uint64_t unreported;    /* copied since the last report */
} progress;

static void report(progress *p, uint64_t bytes)
{
    p->done += bytes;
    if (p->fn)
        p->fn(p->done < p->total ? p->done : p->total, p->total, p->payload);
}

/* Appends every entry of table tb of the snapshot from to the same, empty,
 * table of dst, committing every COPY_CHUNK bytes. */
static int copy_table(ni_store *dst, ni_txn *from, enum ni_table tb, progress *pr)
{
    ni_cursor *c = NULL;
    ni_txn *to = NULL;
    ni_val k, v;
    uint64_t pending = 0, need;
    int rc;

    if ((rc = ni_cursor_open(&c, from, tb)) < 0)
        return rc;
    for (rc = ni_cursor_first(c); rc == 0; rc = ni_cursor_next(c)) {
        if ((rc = ni_cursor_get(c, &k, &v)) != 0)
            break;
        need = k.len + v.len + ENTRY_OVERHEAD;
        if (to && pending + need > COPY_CHUNK) {
            rc = ni_txn_commit(to);
            to = NULL;
            if (rc < 0)
                break;
        }
        if (!to) {
            /* no transaction of dst is open: the map may grow now */
            pending = 0;
            if ((rc = ni_store_reserve(dst, 2 * (need > COPY_CHUNK ? need : COPY_CHUNK))) < 0 ||
                (rc = ni_txn_begin(&to, dst, 1)) < 0)
                break;
        }
        if ((rc = ni_txn_append(to, tb, k.data, k.len, v.data, v.len)) < 0)
            break;
        pending += need;
        if ((pr->unreported += need) >= PROGRESS_STEP) {
            report(pr, pr->unreported);
            pr->unreported = 0;
        }
    }
    if (rc == NI_DONE) {
        rc = 0;
        if (to) {
            rc = ni_txn_commit(to);
            to = NULL;
        }
    }
    ni_txn_abort(to);
    ni_cursor_close(c);
    return rc;
}

int ni_copy_index(ni_store *src, const char *path, ni_progress_fn fn, void *payload)
{
    progress pr;
    ni_store_info info;
    char *data = NULL, *tmp = NULL, *tmp_data = NULL, *tmp_lock = NULL, *owner = NULL;
    ni_store *dst = NULL;
    ni_txn *snap = NULL;
    struct stat st;
    int rc = 0, made_dir = 0, owner_fd = -1, placed = 0, tb;

    if (!(data = join(path, "data.mdb")) || !(tmp = join(path, TMP_NAME)) ||
        !(tmp_data = join(tmp, "data.mdb")) || !(tmp_lock = join(tmp, "lock.mdb")) ||
        !(owner = join(tmp, OWNER_NAME))) {
        rc = ni_error(NI_ENOMEM, "out of memory");
        goto cleanup;
    }
    if (stat(path, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            rc = ni_error(NI_EINVAL, "'%s' is not a directory", path);
            goto cleanup;
        }
        if (lstat(data, &st) == 0) {
            rc = ni_error(NI_EINVAL, "'%s' already holds an index", path);
            goto cleanup;
        }
    } else if (errno != ENOENT) {
        rc = os_error(errno, "cannot copy to", path);
        goto cleanup;
    } else if (mkdir(path, 0777) != 0) {
        rc = os_error(errno, "cannot create", path);
        goto cleanup;
    } else {
        made_dir = 1;
    }
    if ((rc = take_tmp(tmp, owner, tmp_data, tmp_lock, &owner_fd)) < 0)
        goto cleanup;

    if ((rc = ni_store_open(&dst, tmp, NI_STORE_NOSYNC, 0, 1)) < 0 ||
        (rc = ni_txn_begin(&snap, src, 0)) < 0 || (rc = ni_txn_info(snap, &info)) < 0)
        goto cleanup;
    memset(&pr, 0, sizeof pr);
    pr.fn = fn;
    pr.payload = payload;
    pr.total = info.used_bytes;
    for (tb = 0; tb < NI_T_COUNT; tb++)
        if ((rc = copy_table(dst, snap, (enum ni_table)tb, &pr)) < 0)
            goto cleanup;
    if (fn)
        fn(pr.total, pr.total, payload);
    ni_txn_abort(snap);
    snap = NULL;
    if ((rc = ni_store_sync(dst)) < 0)
        goto cleanup;
    ni_store_close(dst);
    dst = NULL;

    /* a link, not rename(): an index made there meanwhile is not replaced */
    if (link(tmp_data, data) != 0) {
        rc = errno == EEXIST ? ni_error(NI_EINVAL, "'%s' already holds an index", path)
                             : os_error(errno, "cannot link the copy to", data);
        goto cleanup;
    }
    placed = 1;
    if ((rc = sync_dir(path)) < 0 || (made_dir && (rc = sync_parent(path)) < 0))
        goto cleanup;

cleanup:
    ni_txn_abort(snap);
    ni_store_close(dst);
    if (rc < 0 && placed)
        unlink(data);
    if (owner_fd >= 0) {
        unlink(tmp_data);
        unlink(tmp_lock);
        unlink(owner);           /* before the lock goes (top comment) */
        rmdir(tmp);
        close(owner_fd);
    }
    if (rc < 0 && made_dir)
        rmdir(path);
    ni_mem_free(data);
    ni_mem_free(tmp);
    ni_mem_free(tmp_data);
    ni_mem_free(tmp_lock);
    ni_mem_free(owner);
    return rc;
}
