/*
 * envdir.h - the directory of an index as a create sees it (made when
 * absent, and put back as it was when the create fails), and as an open
 * sees it (a handle on one directory, and whether its data.mdb is still
 * the one at the path: shrink.c swaps directories).
 */
#ifndef NI_ENVDIR_H
#define NI_ENVDIR_H

/* What was there before an open, for ni_envdir_undo. */
typedef struct ni_envdir {
    int made_dir;      /* this open made the directory */
    int had_data;      /* data.mdb was there */
    int had_lock;      /* lock.mdb was there */
} ni_envdir;

/*
 * Prepares directory path for an open: makes it when it is absent and
 * create is set (another process may make it at the same time: then both
 * use it).  Fills *before.  0, or NI_ENOTFOUND (absent, create not set),
 * NI_EINVAL (not a directory), NI_EREADONLY or NI_EIO, with a message.
 */
int ni_envdir_prepare(const char *path, int create, ni_envdir *before);

/*
 * After a failed open that prepared path: removes data.mdb and lock.mdb
 * when they were not there before and no process has the environment open
 * (LMDB holds a lock on lock.mdb while it does), then the directory when
 * this open made it and it is empty.  Never anything else.
 */
void ni_envdir_undo(const char *path, const ni_envdir *before);

/* path made absolute and without symbolic links, in ni_mem memory (a
 * copy of path when that fails: the open then says why); NULL when out of
 * memory. */
char *ni_envdir_real(const char *path);

/* A handle on the directory of an index for one open (ni_envdir_hold). */
typedef struct ni_envdir_handle {
    int fd;              /* O_PATH descriptor of the directory, or -1 */
    char path[64];       /* "/proc/self/fd/N" naming it, or "" */
} ni_envdir_handle;

/*
 * Takes a handle on directory path: files opened under h->path come from
 * this one directory, even when path is renamed or swapped meanwhile (so
 * LMDB never pairs one directory's lock.mdb with another's data.mdb).
 * Returns h->path, or path itself when there is no /proc to name the
 * handle through (then h->fd is -1).  ni_envdir_release closes it.
 */
const char *ni_envdir_hold(ni_envdir_handle *h, const char *path);
void ni_envdir_release(ni_envdir_handle *h);

/* Whether the handle's directory is no longer the one at path (swapped or
 * removed since it was taken): an open that failed through it may retry. */
int ni_envdir_moved(const ni_envdir_handle *h, const char *path);

/*
 * Whether data_fd, an open data.mdb, is the data.mdb now in directory
 * path: 1, or 0 when that was replaced (a shrink swapped the directory)
 * or removed.  One stat().
 */
int ni_envdir_is_current(const char *path, int data_fd);

#endif
