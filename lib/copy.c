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
 * index; a later copy into DIR refuses to start until it is removed, since
 * it may as well be another copy at work.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "copy.h"
#include "error.h"
#include "layout.h"
#include "mem.h"

#define COPY_CHUNK ((uint64_t)64 << 20)
#define ENTRY_OVERHEAD 16        /* a leaf node's header and index slot, about */
#define TMP_NAME ".copy-tmp"

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

/* Appends every entry of table tb of the snapshot from to the same, empty,
 * table of dst, committing every COPY_CHUNK bytes. */
static int copy_table(ni_store *dst, ni_txn *from, enum ni_table tb)
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

int ni_copy_index(ni_store *src, const char *path)
{
    char *data = NULL, *tmp = NULL, *tmp_data = NULL, *tmp_lock = NULL;
    ni_store *dst = NULL;
    ni_txn *snap = NULL;
    struct stat st;
    int rc = 0, made_dir = 0, made_tmp = 0, placed = 0, tb;

    if (!(data = join(path, "data.mdb")) || !(tmp = join(path, TMP_NAME)) ||
        !(tmp_data = join(tmp, "data.mdb")) || !(tmp_lock = join(tmp, "lock.mdb"))) {
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
    if (mkdir(tmp, 0777) != 0) {
        if (errno == EEXIST)
            rc = ni_error(NI_EINVAL, "'%s' exists: another copy is at work, or one "
                          "was interrupted (then remove it)", tmp);
        else
            rc = os_error(errno, "cannot create", tmp);
        goto cleanup;
    }
    made_tmp = 1;

    if ((rc = ni_store_open(&dst, tmp, NI_STORE_NOSYNC, 0, 1)) < 0 ||
        (rc = ni_txn_begin(&snap, src, 0)) < 0)
        goto cleanup;
    for (tb = 0; tb < NI_T_COUNT; tb++)
        if ((rc = copy_table(dst, snap, (enum ni_table)tb)) < 0)
            goto cleanup;
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
    if (made_tmp) {
        unlink(tmp_data);
        unlink(tmp_lock);
        rmdir(tmp);
    }
    if (rc < 0 && made_dir)
        rmdir(path);
    ni_mem_free(data);
    ni_mem_free(tmp);
    ni_mem_free(tmp_data);
    ni_mem_free(tmp_lock);
    return rc;
}
