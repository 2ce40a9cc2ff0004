/*
 * store.c - the LMDB environment of an index: opening, transactions, tables,
 * cursors, map growth.  The only file that includes <lmdb.h>; every LMDB
 * error is translated to an NI_* code with a message here.
 *
 * Durability: LMDB's default sync mode (no MDB_NOSYNC, MDB_NOMETASYNC or
 * MDB_WRITEMAP): a commit returns after its pages and meta page are on
 * disk, so a committed batch survives a process kill, an OS crash and a
 * power loss; a killed writer leaves the previous commit intact.
 * NI_STORE_NOSYNC turns the waiting off, for a file that nobody uses
 * before ni_store_sync (the copy of copy.c).
 *
 * Map size: LMDB maps a fixed address range.  We start at 8 GiB (or twice
 * the file) and double it when a write reports MDB_MAP_FULL (the writer
 * aborts, calls ni_store_grow and redoes the batch).  Growing requires that
 * no transaction of this process is open, so every transaction holds a
 * read lock of a process-wide rwlock and growing takes the write lock.
 * When another process grew the map, mdb_txn_begin says MDB_MAP_RESIZED
 * and we adopt the new size the same way.
 *
 * Read-only directories: LMDB keeps its reader table in lock.mdb, which a
 * reader must be able to write.  When an index opened for searching sits
 * where this process may not write (read-only media, another user's
 * index), it is opened again with MDB_NOLOCK: no reader table, so searches
 * are right only while nobody writes the index, which is what such a
 * directory is for.
 */
#include <errno.h>
#include <lmdb.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "error.h"
#include "mem.h"
#include "store.h"

#define DEFAULT_MAP (8ull << 30)   /* address space only: the file grows as written */
#define GROW_WAIT_SECONDS 10

static const char *const table_names[NI_T_COUNT] = {
    "meta", "terms", "postings", "docs", "ids", "docinfo", "words", "translit",
    "sigs"
};

struct ni_store {
    MDB_env *env;
    MDB_dbi dbi[NI_T_COUNT];
    pthread_rwlock_t lock;
    char *path;
    unsigned flags;
    int map_full;
    size_t page_size;
};

struct ni_txn {
    ni_store *s;
    MDB_txn *txn;
};

struct ni_cursor {
    MDB_cursor *cur;
    ni_store *s;
    MDB_val key, val;
    int valid;
};

static int translate(int err, ni_store *s, const char *what)
{
    const char *path = s ? s->path : "";
    switch (err) {
    case MDB_SUCCESS:
        return 0;
    case MDB_NOTFOUND:
        return NI_ENOTFOUND;
    case MDB_MAP_FULL:
        if (s)
            s->map_full = 1;
        return ni_error(NI_EFULL, "index '%s' is full (%s)", path, what);
    case MDB_TXN_FULL:
        return ni_error(NI_EFULL, "index '%s' is full (%s)", path, what);
    case ENOSPC:
    case EFBIG:
    case EDQUOT:
        return ni_error(NI_EFULL, "%s on '%s': %s", what, path, strerror(err));
    case ENOMEM:
        return ni_error(NI_ENOMEM, "%s on '%s': out of memory", what, path);
    case MDB_CORRUPTED:
    case MDB_PAGE_NOTFOUND:
    case MDB_INVALID:
    case MDB_BAD_TXN:
        return ni_error(NI_ECORRUPT, "%s on '%s': %s", what, path,
                        mdb_strerror(err));
    case MDB_VERSION_MISMATCH:
        return ni_error(NI_EVERSION, "%s on '%s': %s", what, path,
                        mdb_strerror(err));
    case MDB_READERS_FULL:
        return ni_error(NI_EBUSY, "%s on '%s': %s", what, path,
                        mdb_strerror(err));
    case EACCES:
    case EROFS:
    case EPERM:
        return ni_error(NI_EREADONLY, "%s on '%s': %s", what, path,
                        strerror(err));
    case MDB_BAD_VALSIZE:
    case EINVAL:
        return ni_error(NI_EINVAL, "%s on '%s': %s", what, path,
                        mdb_strerror(err));
    default:
        return ni_error(NI_EIO, "%s on '%s': %s", what, path,
                        mdb_strerror(err));
    }
}

int ni_store_take_map_full(ni_store *s)
{
    int v = s->map_full;
    s->map_full = 0;
    return v;
}

const char *ni_store_path(const ni_store *s)
{
    return s->path;
}

/* Opens the tables in a read transaction when they all exist, so that a
 * writable open does not wait for another process's writer; creates them
 * in a write transaction otherwise (when allowed). */
static int open_tables(ni_store *s, int create)
{
    MDB_txn *txn;
    int rc, i, write;

    for (write = 0; write <= 1; write++) {
        rc = mdb_txn_begin(s->env, NULL, write ? 0 : MDB_RDONLY, &txn);
        if (rc)
            return translate(rc, s, "cannot begin transaction");
        for (i = 0; i < NI_T_COUNT; i++) {
            rc = mdb_dbi_open(txn, table_names[i], write ? MDB_CREATE : 0, &s->dbi[i]);
            if (rc)
                break;
        }
        if (rc == 0) {
            rc = mdb_txn_commit(txn);
            return rc ? translate(rc, s, "cannot open tables") : 0;
        }
        mdb_txn_abort(txn);
        if (rc != MDB_NOTFOUND)
            return translate(rc, s, "cannot open table");
        /* tables are made together: with meta there, a table missing is
         * one an older library did not make */
        if (i > 0)
            return ni_error(NI_EVERSION, "index '%s' has no table '%s': an older format "
                            "(index the documents again)", s->path, table_names[i]);
        if (!create)
            return ni_error(NI_ENOTFOUND, "cannot open index '%s': not an index", s->path);
    }
    return translate(rc, s, "cannot open table");
}

int ni_store_open(ni_store **out, const char *path, unsigned flags,
                  uint64_t map_size, int create)
{
    ni_store *s;
    struct stat st;
    char *data_path = NULL;
    int rc, have_data;
    size_t plen = strlen(path);
    unsigned eflags = MDB_NOTLS;

    *out = NULL;
    if (stat(path, &st) != 0) {
        if (errno != ENOENT || !create)
            return ni_error(errno == ENOENT ? NI_ENOTFOUND : NI_EIO,
                            "cannot open index '%s': %s", path, strerror(errno));
        /* another process may create it meanwhile: then both open it, and
         * LMDB's lock file orders their writes */
        if (mkdir(path, 0777) != 0 &&
            !(errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode)))
            return ni_error(errno == EACCES || errno == EROFS ? NI_EREADONLY : NI_EIO,
                            "cannot create index '%s': %s", path, strerror(errno));
    } else if (!S_ISDIR(st.st_mode)) {
        return ni_error(NI_EINVAL, "cannot open index '%s': not a directory", path);
    }

    data_path = ni_mem_alloc(plen + sizeof "/data.mdb");
    if (!data_path)
        return ni_error(NI_ENOMEM, "out of memory");
    memcpy(data_path, path, plen);
    memcpy(data_path + plen, "/data.mdb", sizeof "/data.mdb");
    /* an empty data.mdb: its creator died before LMDB wrote the first meta
     * pages (nothing was ever committed); a writer initialises it */
    have_data = stat(data_path, &st) == 0 && st.st_size > 0;
    ni_mem_free(data_path);
    if (!have_data && !create)
        return ni_error(NI_ENOTFOUND, "cannot open index '%s': no index there", path);
    if (!map_size) {
        map_size = DEFAULT_MAP;
        if (have_data && (uint64_t)st.st_size * 2 > map_size)
            map_size = (uint64_t)st.st_size * 2;
    }

    s = ni_mem_calloc(1, sizeof *s);
    if (!s)
        return ni_error(NI_ENOMEM, "out of memory");
    s->flags = flags;
    s->path = ni_mem_strndup(path, plen);
    if (!s->path) {
        ni_mem_free(s);
        return ni_error(NI_ENOMEM, "out of memory");
    }
    {
        /* growing must not starve behind a stream of searches */
        pthread_rwlockattr_t attr;
        int bad = pthread_rwlockattr_init(&attr) != 0;
        if (!bad)
            pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
        bad = bad || pthread_rwlock_init(&s->lock, &attr) != 0;
        if (!bad)
            pthread_rwlockattr_destroy(&attr);
        if (bad) {
            ni_mem_free(s->path);
            ni_mem_free(s);
            return ni_error(NI_ENOMEM, "cannot create lock");
        }
    }
    rc = mdb_env_create(&s->env);
    if (rc) {
        s->env = NULL;
        rc = translate(rc, s, "cannot create environment");
        goto fail;
    }
    mdb_env_set_maxdbs(s->env, NI_T_COUNT + 2);
    mdb_env_set_mapsize(s->env, (size_t)map_size);
    if (flags & NI_STORE_READONLY)
        eflags |= MDB_RDONLY;
    if (flags & NI_STORE_NOSYNC)
        eflags |= MDB_NOSYNC;
    rc = mdb_env_open(s->env, path, eflags, 0666);
    if ((rc == EACCES || rc == EROFS) && (flags & NI_STORE_READONLY)) {
        /* a failed open leaves an environment only good for closing */
        mdb_env_close(s->env);
        if ((rc = mdb_env_create(&s->env)) == 0) {
            mdb_env_set_maxdbs(s->env, NI_T_COUNT + 2);
            mdb_env_set_mapsize(s->env, (size_t)map_size);
            rc = mdb_env_open(s->env, path, eflags | MDB_NOLOCK, 0666);
        } else {
            s->env = NULL;
        }
    }
    if (rc) {
        rc = translate(rc, s, "cannot open index");
        goto fail;
    }
    rc = open_tables(s, create && !(flags & NI_STORE_READONLY));
    if (rc)
        goto fail;
    {
        MDB_stat ms;
        if ((rc = mdb_env_stat(s->env, &ms)) != 0) {
            rc = translate(rc, s, "cannot read environment info");
            goto fail;
        }
        s->page_size = ms.ms_psize;
    }
    *out = s;
    return 0;
fail:
    ni_store_close(s);
    return rc;
}

void ni_store_close(ni_store *s)
{
    if (!s)
        return;
    if (s->env)
        mdb_env_close(s->env);
    pthread_rwlock_destroy(&s->lock);
    ni_mem_free(s->path);
    ni_mem_free(s);
}

/* Locks out every transaction of this process, waiting at most
 * GROW_WAIT_SECONDS (a thread holding a cursor would wait on itself). */
static int lock_all(ni_store *s)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += GROW_WAIT_SECONDS;
    return pthread_rwlock_timedwrlock(&s->lock, &deadline) == 0 ? 0 : -1;
}

static int adopt_new_size(ni_store *s)
{
    int rc;
    if (lock_all(s) < 0)
        return ni_error(NI_EBUSY, "index '%s' was grown by another process; adopting "
                        "its size waits for the open searches of this process", s->path);
    rc = mdb_env_set_mapsize(s->env, 0);
    pthread_rwlock_unlock(&s->lock);
    return rc ? translate(rc, s, "cannot adopt map size") : 0;
}

int ni_txn_begin(ni_txn **out, ni_store *s, int write)
{
    ni_txn *t;
    int rc, tries;

    *out = NULL;
    if (write && (s->flags & NI_STORE_READONLY))
        return ni_error(NI_EREADONLY, "index '%s' is open read-only", s->path);
    t = ni_mem_alloc(sizeof *t);
    if (!t)
        return ni_error(NI_ENOMEM, "out of memory");
    t->s = s;
    for (tries = 0;; tries++) {
        if (pthread_rwlock_rdlock(&s->lock) != 0) {
            ni_mem_free(t);
            return ni_error(NI_EIO, "cannot lock index '%s'", s->path);
        }
        rc = mdb_txn_begin(s->env, NULL, write ? 0 : MDB_RDONLY, &t->txn);
        if (rc == 0)
            break;
        pthread_rwlock_unlock(&s->lock);
        if (rc == MDB_MAP_RESIZED && tries < 3) {
            if ((rc = adopt_new_size(s)) == 0)
                continue;
        } else {
            rc = translate(rc, s, "cannot begin transaction");
        }
        ni_mem_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

int ni_txn_commit(ni_txn *t)
{
    int rc = mdb_txn_commit(t->txn);
    ni_store *s = t->s;
    pthread_rwlock_unlock(&s->lock);
    ni_mem_free(t);
    return rc ? translate(rc, s, "cannot commit") : 0;
}

void ni_txn_abort(ni_txn *t)
{
    if (!t)
        return;
    mdb_txn_abort(t->txn);
    pthread_rwlock_unlock(&t->s->lock);
    ni_mem_free(t);
}

int ni_store_grow(ni_store *s, uint64_t need)
{
    MDB_envinfo info;
    MDB_stat st;
    uint64_t size, used;
    int rc;

    if (lock_all(s) < 0)
        return ni_error(NI_EFULL, "index '%s' is full and cannot grow while "
                        "searches of this process are open", s->path);
    mdb_env_info(s->env, &info);
    mdb_env_stat(s->env, &st);
    used = (uint64_t)(info.me_last_pgno + 1) * st.ms_psize;
    size = (uint64_t)info.me_mapsize * 2;
    while (size < used + need * 2)
        size *= 2;
    if (sizeof(size_t) < 8 && size > SIZE_MAX)
        rc = MDB_MAP_FULL;
    else
        rc = mdb_env_set_mapsize(s->env, (size_t)size);
    pthread_rwlock_unlock(&s->lock);
    return rc ? translate(rc, s, "cannot grow map") : 0;
}

int ni_store_reserve(ni_store *s, uint64_t need)
{
    MDB_envinfo info;
    MDB_stat st;
    uint64_t used;
    if (mdb_env_info(s->env, &info) || mdb_env_stat(s->env, &st))
        return 0;
    used = (uint64_t)(info.me_last_pgno + 1) * st.ms_psize;
    if ((uint64_t)info.me_mapsize >= used + need)
        return 0;
    return ni_store_grow(s, need);
}

static MDB_val mval(const void *p, size_t n)
{
    MDB_val v;
    v.mv_data = (void *)(uintptr_t)p;
    v.mv_size = n;
    return v;
}

int ni_txn_get(ni_txn *t, enum ni_table tb, const void *key, size_t klen,
               ni_val *val)
{
    MDB_val k = mval(key, klen), v;
    int rc = mdb_get(t->txn, t->s->dbi[tb], &k, &v);
    if (rc)
        return rc == MDB_NOTFOUND ? NI_ENOTFOUND : translate(rc, t->s, "read failed");
    val->data = v.mv_data;
    val->len = v.mv_size;
    return 0;
}

int ni_txn_put(ni_txn *t, enum ni_table tb, const void *key, size_t klen,
               const void *val, size_t vlen)
{
    MDB_val k = mval(key, klen), v = mval(val, vlen);
    int rc = mdb_put(t->txn, t->s->dbi[tb], &k, &v, 0);
    return rc ? translate(rc, t->s, "write failed") : 0;
}

int ni_txn_append(ni_txn *t, enum ni_table tb, const void *key, size_t klen,
                  const void *val, size_t vlen)
{
    MDB_val k = mval(key, klen), v = mval(val, vlen);
    int rc = mdb_put(t->txn, t->s->dbi[tb], &k, &v, MDB_APPEND);
    if (rc == MDB_KEYEXIST)
        return ni_error(NI_EINVAL, "append of a key that does not sort last");
    return rc ? translate(rc, t->s, "write failed") : 0;
}

int ni_txn_del(ni_txn *t, enum ni_table tb, const void *key, size_t klen)
{
    MDB_val k = mval(key, klen);
    int rc = mdb_del(t->txn, t->s->dbi[tb], &k, NULL);
    if (rc)
        return rc == MDB_NOTFOUND ? NI_ENOTFOUND : translate(rc, t->s, "delete failed");
    return 0;
}

int ni_txn_count(ni_txn *t, enum ni_table tb, uint64_t *out)
{
    MDB_stat st;
    int rc = mdb_stat(t->txn, t->s->dbi[tb], &st);
    if (rc)
        return translate(rc, t->s, "stat failed");
    *out = st.ms_entries;
    return 0;
}

/* A leaf page (mdb.c) is a 16-byte header, then a 2-byte index slot and
 * an even-sized node (8-byte header, key, value) per entry; a node larger
 * than me_nodemax = ((page size - 16) / 2, rounded down to even) - 2 goes
 * to an overflow page.  Were this wrong, values would only fill pages less
 * well: nothing depends on it but space. */
size_t ni_txn_leaf_value(ni_txn *t, size_t klen, unsigned n)
{
    size_t node = ((t->s->page_size - 16) / (n < 2 ? 2 : n) & ~(size_t)1) - 2;
    return node > 8 + klen ? node - 8 - klen : 0;
}

int ni_cursor_open(ni_cursor **out, ni_txn *t, enum ni_table tb)
{
    ni_cursor *c;
    int rc;

    *out = NULL;
    c = ni_mem_calloc(1, sizeof *c);
    if (!c)
        return ni_error(NI_ENOMEM, "out of memory");
    rc = mdb_cursor_open(t->txn, t->s->dbi[tb], &c->cur);
    if (rc) {
        ni_mem_free(c);
        return translate(rc, t->s, "cannot open cursor");
    }
    c->s = t->s;
    *out = c;
    return 0;
}

void ni_cursor_close(ni_cursor *c)
{
    if (!c)
        return;
    mdb_cursor_close(c->cur);
    ni_mem_free(c);
}

static int move(ni_cursor *c, MDB_cursor_op op)
{
    int rc = mdb_cursor_get(c->cur, &c->key, &c->val, op);
    c->valid = rc == 0;
    if (rc == MDB_NOTFOUND)
        return NI_DONE;
    return rc ? translate(rc, NULL, "cursor read failed") : 0;
}

int ni_cursor_seek(ni_cursor *c, const void *key, size_t klen)
{
    c->key = mval(key, klen);
    return move(c, MDB_SET_RANGE);
}

int ni_cursor_put(ni_cursor *c, const void *key, size_t klen, const void *val, size_t vlen,
                  int append)
{
    MDB_val k = mval(key, klen), v = mval(val, vlen);
    int rc = mdb_cursor_put(c->cur, &k, &v, append ? MDB_APPEND : 0);
    c->valid = 0;
    if (rc == MDB_KEYEXIST && append)
        return ni_error(NI_EINVAL, "append of a key that does not sort last");
    return rc ? translate(rc, c->s, "write failed") : 0;
}

int ni_cursor_first(ni_cursor *c) { return move(c, MDB_FIRST); }
int ni_cursor_last(ni_cursor *c) { return move(c, MDB_LAST); }

int ni_cursor_next(ni_cursor *c)
{
    return move(c, c->valid ? MDB_NEXT : MDB_FIRST);
}

int ni_cursor_prev(ni_cursor *c)
{
    return move(c, c->valid ? MDB_PREV : MDB_LAST);
}

int ni_cursor_get(ni_cursor *c, ni_val *key, ni_val *val)
{
    if (!c->valid)
        return NI_DONE;
    if (key) {
        key->data = c->key.mv_data;
        key->len = c->key.mv_size;
    }
    if (val) {
        val->data = c->val.mv_data;
        val->len = c->val.mv_size;
    }
    return 0;
}

int ni_store_info_get(ni_store *s, ni_store_info *out)
{
    MDB_envinfo info;
    MDB_stat st;
    struct stat fst;
    char buf[4096];
    int rc;

    if ((rc = mdb_env_info(s->env, &info)) || (rc = mdb_env_stat(s->env, &st)))
        return translate(rc, s, "cannot read environment info");
    out->used_bytes = (uint64_t)(info.me_last_pgno + 1) * st.ms_psize;
    out->map_bytes = info.me_mapsize;
    out->file_bytes = 0;
    snprintf(buf, sizeof buf, "%s/data.mdb", s->path);
    if (stat(buf, &fst) == 0)
        out->file_bytes = (uint64_t)fst.st_size;
    return 0;
}

int ni_store_sync(ni_store *s)
{
    int rc = mdb_env_sync(s->env, 1);
    return rc ? translate(rc, s, "cannot write to disk") : 0;
}
