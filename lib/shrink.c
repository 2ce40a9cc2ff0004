/*
 * shrink.c - ni_index_shrink: the file of an index brought down to the
 * size of a compacted copy, while other processes keep it open.
 *
 * An LMDB file never gives pages back, and its data.mdb cannot be replaced
 * alone: lock.mdb belongs to it (readers pick the meta page by the
 * transaction id kept there, the writer's mutex lives there).  So the
 * whole directory is replaced: a compacted copy (copy.c) is written into
 * the sibling directory .NAME.compact and the two directories are
 * exchanged in one rename (renameat2 RENAME_EXCHANGE), then the old one,
 * now at the sibling's name, is removed.
 *
 * The steps, and why each is safe (enum ni_shrink_step):
 *  1. Begin a write transaction of the index: LMDB's writer lock, across
 *     processes.  Nothing is committed until it ends, so the copy, read
 *     from a snapshot begun after it, holds every committed document.
 *  2. Remove what an earlier shrink left in the sibling (it was killed:
 *     its copy, or the old index after its swap; garbage either way).
 *     Shrinks exclude each other by step 1, so nobody else writes there.
 *  3. Copy into the sibling: synced, with the sibling's entry in the
 *     parent directory (copy.c).
 *  4. Open the copy and begin a write transaction there too: once the
 *     directories are exchanged, processes that open the path get the copy
 *     and could commit into it before the exchange is on disk, and a power
 *     loss would then bring the old directory back without their commit.
 *  5-7. Exchange the directories, sync the parent.  Should the sync fail,
 *     they are exchanged back (nothing was committed to either meanwhile).
 *  8. Let both writer locks go.  A writer of another process that had the
 *     old file open gets the old file's writer lock now, and store.c then
 *     finds that its data.mdb is no longer the one at the path: it opens
 *     the new one and begins there (ni_txn_begin), so no commit is ever
 *     lost in the old file.  Searches under way read the old file to their
 *     end: it stays mapped, and open, after its name is gone.
 *  9. Remove the old index's files, and move this handle over.
 * A process killed anywhere leaves the old index or the new one, each
 * whole, at the path (the exchange is atomic, also across a power loss)
 * and garbage in the sibling, which step 2 of the next shrink removes.
 *
 * Openers in other processes pair lock.mdb and data.mdb of one directory:
 * store.c opens through a handle on the directory (envdir.h), and checks
 * after the open that its data.mdb is still the one at the path, else
 * opens again.  A file system without RENAME_EXCHANGE (or an index
 * directory that is a mount point) swaps nothing: the in-place compaction
 * stays, and out->reason says why.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "copy.h"
#include "error.h"
#include "mem.h"
#include "shrink.h"

#define SIBLING_SUFFIX ".compact"

int (*ni_shrink_hook)(enum ni_shrink_step step);

static int at_step(enum ni_shrink_step step)
{
    return ni_shrink_hook ? ni_shrink_hook(step) : 0;
}

static int os_error(int err, const char *what, const char *path)
{
    int rc = NI_EIO;
    if (err == EACCES || err == EROFS || err == EPERM)
        rc = NI_EREADONLY;
    else if (err == ENOSPC || err == EDQUOT)
        rc = NI_EFULL;
    return ni_error(rc, "%s '%s': %s", what, path, strerror(err));
}

/* The files a shrink or a copy leaves in the sibling, deepest first. */
static const char *const leftovers[] = {
    ".copy-tmp/data.mdb", ".copy-tmp/lock.mdb", ".copy-tmp/owner", ".copy-tmp",
    "data.mdb", "lock.mdb",
};

/* Removes the sibling directory sib and the files of leftovers in it;
 * NI_EINVAL when it is still there (holds something else), if report. */
static int clear_sibling(const char *sib, int report)
{
    char p[4096];
    size_t i;
    struct stat st;

    for (i = 0; i < sizeof leftovers / sizeof *leftovers; i++) {
        if ((size_t)snprintf(p, sizeof p, "%s/%s", sib, leftovers[i]) >= sizeof p)
            continue;
        if (strcmp(leftovers[i], ".copy-tmp") == 0)
            rmdir(p);
        else
            unlink(p);
    }
    if (rmdir(sib) == 0 || errno == ENOENT || !report)
        return 0;
    if (lstat(sib, &st) != 0 && errno == ENOENT)
        return 0;
    return ni_error(NI_EINVAL, "'%s' is in the way (it holds files a shrink did not leave "
                    "there): remove it", sib);
}

/* Whether err from renameat2(RENAME_EXCHANGE) means that this file system
 * (or this directory) cannot do it, rather than a failure. */
static int cannot_exchange(int err)
{
    return err == EINVAL || err == ENOSYS || err == EXDEV || err == EBUSY ||
           err == EOPNOTSUPP;
}

static uint64_t file_size(const char *dir)
{
    char p[4096];
    struct stat st;
    if ((size_t)snprintf(p, sizeof p, "%s/data.mdb", dir) >= sizeof p || stat(p, &st) != 0)
        return 0;
    return (uint64_t)st.st_size;
}

/* parent and sibling names of directory real, in *parent and *sib. */
static int names(const char *real, char **parent, char **sib)
{
    const char *slash = strrchr(real, '/');
    size_t n = strlen(real), pn;

    *parent = *sib = NULL;
    if (!slash || slash[1] == '\0')
        return ni_error(NI_EINVAL, "cannot shrink the index in '%s': it is a root directory",
                        real);
    pn = slash == real ? 1 : (size_t)(slash - real);
    if (!(*parent = ni_mem_strndup(real, pn)) ||
        !(*sib = ni_mem_alloc(n + sizeof "/." SIBLING_SUFFIX))) {
        ni_mem_free(*parent);
        *parent = NULL;
        return ni_error(NI_ENOMEM, "out of memory");
    }
    snprintf(*sib, n + sizeof "/." SIBLING_SUFFIX, "%.*s/.%s" SIBLING_SUFFIX,
             (int)(slash - real), real, slash + 1);
    return 0;
}

/* Exchanges directories a and b: 0, or an errno. */
static int exchange(const char *a, const char *b)
{
    int e = at_step(NI_SHRINK_EXCHANGE);
    if (e)
        return e;
    return renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) == 0 ? 0 : errno;
}

int ni_shrink(ni_store *s, ni_shrink_info *out, ni_progress_fn fn, void *payload)
{
    const char *real = ni_store_real_path(s);
    char *parent = NULL, *sib = NULL;
    ni_txn *old = NULL, *w2 = NULL;
    ni_store *copy = NULL;
    int rc, e, swapped = 0, pfd = -1;

    memset(out, 0, sizeof *out);
    out->bytes_before = out->bytes_after = file_size(real);
    if ((rc = names(real, &parent, &sib)) < 0 || (rc = ni_txn_begin(&old, s, 1)) < 0)
        goto cleanup;
    if ((e = at_step(NI_SHRINK_LOCKED)) != 0 ||
        ((rc = clear_sibling(sib, 1)) == 0 && (e = at_step(NI_SHRINK_CLEARED)) != 0)) {
        rc = rc < 0 ? rc : os_error(e, "cannot clear", sib);
        goto cleanup;
    }
    if (rc < 0 || (rc = ni_copy_index(s, sib, fn, payload)) < 0)
        goto cleanup;
    if ((e = at_step(NI_SHRINK_COPIED)) != 0) {
        rc = os_error(e, "cannot copy to", sib);
        goto cleanup;
    }
    if ((rc = ni_store_open(&copy, sib, 0, 0, 0)) < 0 || (rc = ni_txn_begin(&w2, copy, 1)) < 0)
        goto cleanup;
    if ((e = at_step(NI_SHRINK_NEW_LOCKED)) != 0 ||
        (pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
        rc = os_error(e ? e : errno, "cannot open directory", parent);
        goto cleanup;
    }
    if ((e = exchange(real, sib)) != 0) {
        if (!cannot_exchange(e)) {
            rc = os_error(e, "cannot exchange the index with its compacted copy in", sib);
            goto cleanup;
        }
        snprintf(out->reason, sizeof out->reason, "the file system cannot exchange "
                 "directories atomically (renameat2 RENAME_EXCHANGE: %s): the index was "
                 "compacted in place, its file keeps its size", strerror(e));
        goto cleanup;
    }
    swapped = 1;
    if ((e = at_step(NI_SHRINK_SWAPPED)) == 0 && fsync(pfd) != 0)
        e = errno;
    if (e == 0)
        e = at_step(NI_SHRINK_SYNCED);
    if (e != 0) {
        /* both writer locks are still held: nothing was committed to
         * either index, so the old one may come back */
        rc = os_error(e, "cannot sync directory", parent);
        if (renameat2(AT_FDCWD, real, AT_FDCWD, sib, RENAME_EXCHANGE) == 0) {
            swapped = 0;
            (void)fsync(pfd);
        }
        goto cleanup;
    }

cleanup:
    ni_txn_abort(w2);
    ni_store_close(copy);
    if (old) {
        ni_txn_abort(old);
        if ((e = at_step(NI_SHRINK_RELEASED)) != 0 && rc == 0)
            rc = os_error(e, "cannot shrink", real);
    }
    if (sib)
        clear_sibling(sib, 0);       /* the old index, or the copy not used */
    if (swapped) {
        if (rc == 0 && (e = at_step(NI_SHRINK_REMOVED)) != 0)
            rc = os_error(e, "cannot shrink", real);
        out->swapped = 1;
        out->bytes_after = file_size(real);
        /* searches of this handle move over by themselves */
        if (ni_store_follow(s) < 0 && rc == 0)
            ni_error_clear();
    }
    if (pfd >= 0)
        close(pfd);
    ni_mem_free(parent);
    ni_mem_free(sib);
    return rc;
}
