/*
 * envdir.h - the directory of an index as a create sees it: made when
 * absent, and put back as it was when the create fails.
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

#endif
