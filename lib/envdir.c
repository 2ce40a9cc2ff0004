/*
 * envdir.c - the directory of an index around a create and an open: made
 * by the open that creates the index, and removed again, with the files
 * LMDB made in it, when that open fails (a full disk, no address space
 * for the map), so that a failed `nsearch index` leaves no empty index
 * behind.  Knows
 * LMDB's file names and its lock protocol, not its API (store.c).
 *
 * Removed are only the directory this open made and data.mdb and lock.mdb
 * when they were not there before it; a directory that was there, or that
 * holds anything else, stays.  Another process may have made the same
 * files at the same time (two writers creating one index): LMDB holds a
 * POSIX lock on the first byte of lock.mdb while an environment is open,
 * so the files stay while anyone holds it.
 *
 * An open sees the directory through a handle (ni_envdir_hold): an O_PATH
 * descriptor named as /proc/self/fd/N, under which LMDB opens lock.mdb and
 * data.mdb from that one directory even when a shrink (shrink.c)
 * exchanges it with another meanwhile; ni_envdir_is_current tells whether
 * an open data.mdb is still the one at the path.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "envdir.h"
#include "error.h"
#include "mem.h"

static int exists(const char *path, const char *name)
{
    char p[4096];
    struct stat st;
    if ((size_t)snprintf(p, sizeof p, "%s/%s", path, name) >= sizeof p)
        return 1;                /* too long to check: assume it was there */
    return lstat(p, &st) == 0 || errno != ENOENT;
}

int ni_envdir_prepare(const char *path, int create, ni_envdir *before)
{
    struct stat st;

    memset(before, 0, sizeof *before);
    if (stat(path, &st) != 0) {
        if (errno != ENOENT || !create)
            return ni_error(errno == ENOENT ? NI_ENOTFOUND : NI_EIO,
                            "cannot open index '%s': %s", path, strerror(errno));
        if (mkdir(path, 0777) == 0) {
            before->made_dir = 1;
            return 0;
        }
        /* another process may create it meanwhile: then both open it, and
         * LMDB's lock file orders their writes */
        if (!(errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode)))
            return ni_error(errno == EACCES || errno == EROFS ? NI_EREADONLY : NI_EIO,
                            "cannot create index '%s': %s", path, strerror(errno));
    } else if (!S_ISDIR(st.st_mode)) {
        return ni_error(NI_EINVAL, "cannot open index '%s': not a directory", path);
    }
    before->had_data = exists(path, "data.mdb");
    before->had_lock = exists(path, "lock.mdb");
    return 0;
}

/* Whether a process has the environment in path open: holds a lock on
 * lock.mdb (this process's own environment must be closed already). */
static int in_use(const char *lock_path)
{
    struct flock fl;
    int fd = open(lock_path, O_RDWR | O_CLOEXEC), used;
    if (fd < 0)
        return errno != ENOENT;
    memset(&fl, 0, sizeof fl);
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    fl.l_len = 1;
    used = fcntl(fd, F_GETLK, &fl) != 0 || fl.l_type != F_UNLCK;
    close(fd);
    return used;
}

void ni_envdir_undo(const char *path, const ni_envdir *before)
{
    char data[4096], lock[4096];
    if ((size_t)snprintf(data, sizeof data, "%s/data.mdb", path) >= sizeof data ||
        (size_t)snprintf(lock, sizeof lock, "%s/lock.mdb", path) >= sizeof lock)
        return;
    if (!before->had_lock && !in_use(lock)) {
        if (!before->had_data)
            unlink(data);
        unlink(lock);
    }
    if (before->made_dir)
        rmdir(path);           /* fails, as it should, when not empty */
}

const char *ni_envdir_hold(ni_envdir_handle *h, const char *path)
{
    struct stat a, b;
    h->path[0] = '\0';
    h->fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (h->fd < 0)
        return path;                 /* LMDB's own open then says why */
    snprintf(h->path, sizeof h->path, "/proc/self/fd/%d", h->fd);
    if (stat(h->path, &a) == 0 && fstat(h->fd, &b) == 0 && a.st_ino == b.st_ino &&
        a.st_dev == b.st_dev)
        return h->path;
    ni_envdir_release(h);
    return path;
}

void ni_envdir_release(ni_envdir_handle *h)
{
    if (h->fd >= 0)
        close(h->fd);
    h->fd = -1;
    h->path[0] = '\0';
}

int ni_envdir_moved(const ni_envdir_handle *h, const char *path)
{
    struct stat a, b;
    if (h->fd < 0 || fstat(h->fd, &b) != 0)
        return 0;
    return stat(path, &a) != 0 || a.st_ino != b.st_ino || a.st_dev != b.st_dev;
}

int ni_envdir_is_current(const char *path, int data_fd)
{
    char p[4096];
    struct stat a, b;
    if ((size_t)snprintf(p, sizeof p, "%s/data.mdb", path) >= sizeof p)
        return 1;                    /* cannot tell: as it was */
    if (fstat(data_fd, &b) != 0)
        return 1;
    return stat(p, &a) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

char *ni_envdir_real(const char *path)
{
    char *r = realpath(path, NULL), *out;
    out = ni_mem_strndup(r ? r : path, strlen(r ? r : path));
    free(r);
    return out;
}
