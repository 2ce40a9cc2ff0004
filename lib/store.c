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
 * before ni_store_sync (the copy of copy.c).  A new file's first meta
 * pages, which LMDB writes without syncing, are synced before the first
 * commit, and a file a power loss left torn before that commit is started
 * again (ni_mdbfile_reset_unborn).  After the first commit of a new index
 * its directory (and the parent, when the directory is new) is synced:
 * LMDB does not, and POSIX keeps a new file's name only then.  tests/test_powercut.c loses the power
 * at every write and sync of the commit path (tests/powercut.c).
 *
 * Map size: LMDB maps a fixed address range.  It starts at the file and
 * some headroom and grows (space.c says by how much) when a write reports
 * MDB_MAP_FULL (the writer aborts, calls ni_store_grow and redoes the
 * batch) and before a writer begins (ni_store_reserve), so that `ulimit -v`
 * of a few hundred MB is enough for a small index.  Growing requires that
 * no transaction of this process is open, so every transaction holds a
 * read lock of a process-wide rwlock and growing takes the write lock.
 * When another process grew the file past this map, mdb_txn_begin says
 * MDB_MAP_RESIZED and we map the file again, with our own headroom (not
 * the size the other process chose: LMDB's meta page keeps the largest
 * map any writer ever used).
 *
 * Read-only directories: LMDB keeps its reader table in lock.mdb, which a
 * reader must be able to write.  When an index opened for searching sits
 * where this process may not write (read-only media, another user's
 * index), it is opened again with MDB_NOLOCK: no reader table, so searches
 * are right only while nobody writes the index, which is what such a
 * directory is for.
 *
 * Swapped directories (shrink.c).  A shrink puts a compacted copy in
 * place of the index's directory while other processes have it open.
 * lock.mdb belongs to its data.mdb (readers pick the meta page by the
 * transaction id kept in it, the writer's mutex lives in it), so an open
 * goes through a handle on the directory (envdir.h: /proc/self/fd/N), and
 * LMDB opens both files from the one directory even when the path is
 * swapped meanwhile; after the open, data.mdb must still be the one at
 * the path, else the open starts again (attach).  A write transaction,
 * once it holds the writer lock (which a shrink holds until the swap is
 * done), checks the same and moves over to the new index first (follow),
 * so nothing is committed into a replaced file; a read transaction checks
 * every SWAP_CHECK_MS and moves over when this process has no transaction
 * open (follow_read: after a second of trying it waits a moment for them),
 * reading the old file (mapped, and open after its name is gone) until
 * then.
 *
 * Damaged files.  LMDB maps data.mdb and trusts it: a page past the end of
 * a file cut short is a SIGBUS on first touch, and LMDB follows any page
 * number below the last page its meta page names.  So before LMDB opens the
 * file, ni_mdbfile_check (mdbfile.c) reads both meta pages as LMDB does (mdb.c
 * mdb_env_read_header: a P_META page, magic, data version 1, the page
 * size; the one with the larger transaction id is the snapshot) and
 * requires the file to hold every page up to the newest meta's last page
 * and both tree roots below it: a truncated file is then NI_ECORRUPT at
 * open, never a signal.  LMDB leaves the file shorter than its last page
 * when that page was allocated and freed in the same commit (a "loose"
 * page, never written); ni_txn_commit pads such a file to its full length,
 * and a file a crash or power loss left short before the padding passes
 * when every page it lacks is in LMDB's free-page tree (mdbfile.c).  Keys and
 * values LMDB returns are checked to lie in their page or overflow run
 * (span_ok: a damaged node size would otherwise point past it, or past
 * the file's end), and LMDB's own assertions and faults on damaged pages
 * become NI_ECORRUPT (guard.h).
 * What stays: a file truncated while this process has it open is a SIGBUS
 * on the first read of a page past the new end, as for every mmap-based
 * store; nothing is read wrong silently (the process ends).
 *
 * Seals (index format 8; 7 had a hash of its own, 4 times slower on a
 * docinfo chunk).  The values of the tables a search reads its
 * answers from, terms, postings, ids and docinfo, end in a 4-byte seal:
 * seal() of the key and the value, added by every write here and
 * verified, and cut off, by every read (a value that fails is NI_ECORRUPT
 * naming the table).  So a damaged posting block, lexicon entry or
 * document length is an error, not a search that quietly finds other
 * documents or other scores.  Not sealed: docs (records carry their own
 * checksums, record.c); meta (the format and statistics are compared at
 * open and by check, the dictionary by the records' checksums, and an
 * index of an older format must read as one); words and translit, the
 * query rescue's tables of many small values (a seal would add 11 % to
 * their pages; check verifies every entry's form and their agreement, a
 * damaged count there changes suggestions only).  A search verifies each
 * posting block and docinfo chunk it reads (a chunk once per query, the
 * matchers keep it).  The cost is in bench/README.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <lmdb.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>
#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
/* libxxhash's own runtime dispatch (xxh_x86dispatch.h): XXH3 with the
 * widest vector unit the CPU has (AVX2: a 4 KiB docinfo chunk in 100 ns
 * instead of 330 with the SSE2 baseline), the same hashes.  Debian builds
 * it into the shared library only, not libxxhash.a: a weak reference,
 * which a static link leaves null, and then the baseline. */
extern XXH64_hash_t XXH3_64bits_withSeed_dispatch(const void *input, size_t len,
                                                  XXH64_hash_t seed) __attribute__((weak));
static XXH64_hash_t xxh3(const void *p, size_t n, XXH64_hash_t seed)
{
    return XXH3_64bits_withSeed_dispatch ? XXH3_64bits_withSeed_dispatch(p, n, seed)
                                         : XXH3_64bits_withSeed(p, n, seed);
}
#else
#define xxh3 XXH3_64bits_withSeed
#endif

#include "envdir.h"
#include "guard.h"
#include "error.h"
#include "mdbfile.h"
#include "mem.h"
#include "space.h"
#include "store.h"

#define GROW_WAIT_SECONDS 10
#define ATTACH_TRIES 4          /* opens while shrinks swap the directory */
#define SWAP_CHECK_MS 10        /* how often read transactions look for a swap */
#define FOLLOW_PATIENCE_MS 1000 /* reads try to follow it this long before waiting */
#define FOLLOW_WAIT_MS 200      /* for this long */
#define SEAL_SEED 0x9e3779b97f4a7c15u   /* of the key's hash: part of the format */

static const char *const table_names[NI_T_COUNT] = {
    "meta", "terms", "postings", "docs", "ids", "docinfo", "words", "translit",
    "sigs"
};
/* The tables whose values are sealed (top comment). */
static const unsigned char sealed[NI_T_COUNT] = { 0, 1, 1, 0, 1, 1, 0, 0 };
#define SEAL_BYTES 4

struct ni_store {
    MDB_env *env;
    MDB_dbi dbi[NI_T_COUNT];
    pthread_rwlock_t lock;
    char *path;            /* as the caller gave it, for messages */
    char *real;            /* absolute, for finding a swap (is_current) */
    int64_t checked_ms;    /* when a read transaction last looked for one */
    int64_t stale_ms;      /* since when reads could not follow one (0: none) */
    int64_t waited_ms;     /* when a read last waited to follow one */
    unsigned flags;
    int map_full;
    int lost;              /* growing the map failed after LMDB unmapped it */
    size_t page_size;
    int check_spans;       /* pages lie at addresses aligned to page_size */
    uintptr_t map_base;    /* where LMDB mapped data.mdb; 0 when not known */
};

struct ni_txn {
    ni_store *s;
    MDB_txn *txn;
    int write;
    int broken;      /* an LMDB assertion failed in it: only good for aborting */
    uint64_t file_end; /* size of data.mdb, read at the first overflow value */
    unsigned char *wbuf; /* a sealed value being written */
    size_t wcap;
};

struct ni_cursor {
    MDB_cursor *cur;
    ni_txn *t;
    ni_store *s;
    const char *table;
    enum ni_table tb;
    MDB_val key, val;
    int valid;
};

/* LMDB's assertion callback: leaves a guarded read (guard.h); unguarded,
 * LMDB aborts. */
static void on_assert(MDB_env *env, const char *msg)
{
    (void)env;
    ni_guard_fire(msg);
}

/* rc = call, or GUARD_FIRED when LMDB failed an assertion in it or a page
 * faulted (guard.h). */
#define GUARD_FIRED (MDB_LAST_ERRCODE + 1000)
#define GUARDED(rc, call)                                                   \
    do {                                                                    \
        jmp_buf jb_;                                                        \
        if (_setjmp(jb_)) {                                                 \
            (rc) = GUARD_FIRED;                                             \
        } else {                                                            \
            ni_guard_jb = &jb_;                                             \
            (rc) = (call);                                                  \
            ni_guard_jb = NULL;                                             \
        }                                                                   \
    } while (0)

/* Whether s's last write failed for want of space (ni_space_exhausted on
 * data.mdb, or on the directory when LMDB has no file open). */
static int out_of_space(ni_store *s, char *why, size_t size)
{
    mdb_filehandle_t fd = -1;
    if (s->env && mdb_env_get_fd(s->env, &fd) != 0)
        fd = -1;
    return ni_space_exhausted(fd, s->path, why, size);
}

static int translate(int err, ni_store *s, const char *what)
{
    const char *path = s ? s->path : "";
    char why[160];
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
    case EIO:           /* LMDB's word for a short write (space.c) */
        if (s && out_of_space(s, why, sizeof why))
            return ni_error(NI_EFULL, "%s on '%s': %s", what, path, why);
        return ni_error(err == EIO ? NI_EIO : NI_EFULL, "%s on '%s': %s%s", what, path,
                        err == ENOSPC ? "disk full: " : "", strerror(err));
    case ENOMEM:
        return ni_error(NI_ENOMEM, "%s on '%s': out of memory", what, path);
    case GUARD_FIRED:
        return ni_error(NI_ECORRUPT, "%s on '%s': a damaged page (LMDB: %s)", what, path,
                        ni_guard_message());
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

static uintptr_t find_map(ni_store *s);
static int store_info(ni_store *s, ni_store_info *out);
static int remap(ni_store *s, uint64_t size, const char *what);
static uint64_t used_bytes(ni_store *s);

/* The seal of a key and its value: XXH3 (libxxhash) of the value, seeded
 * with XXH3 of the key (both lengths count), its low 32 bits.  Part of the
 * format (layout.c, format 8): never change it without a new format. */
static uint32_t seal(const MDB_val *k, const void *v, size_t n)
{
    XXH64_hash_t kh = xxh3(k->mv_data, k->mv_size, SEAL_SEED);
    return (uint32_t)xxh3(v, n, kh);
}

/* Verifies and cuts off the seal of v (under key k): 0, or NI_ECORRUPT. */
static int unseal(const char *table, const MDB_val *k, MDB_val *v)
{
    const unsigned char *p = v->mv_data;
    size_t n = v->mv_size - SEAL_BYTES;
    if (v->mv_size < SEAL_BYTES || ni_get_le32(p + n) != seal(k, p, n))
        return ni_error(NI_ECORRUPT, "a damaged entry in table '%s' (%zu bytes under a "
                        "%zu-byte key) fails its checksum", table, v->mv_size, k->mv_size);
    v->mv_size = n;
    return 0;
}

/* v with its seal, in t's buffer, for table tb under key k (v itself when
 * tb is not sealed).  0 or NI_ENOMEM. */
static int seal_value(ni_txn *t, enum ni_table tb, const MDB_val *k, MDB_val *v)
{
    uint32_t h;
    unsigned char *p;
    if (!sealed[tb])
        return 0;
    if (v->mv_size + SEAL_BYTES > t->wcap) {
        size_t cap = (v->mv_size + SEAL_BYTES) * 2;
        unsigned char *nb = ni_mem_realloc(t->wbuf, cap);
        if (!nb)
            return ni_error(NI_ENOMEM, "out of memory");
        t->wbuf = nb;
        t->wcap = cap;
    }
    p = t->wbuf;
    memcpy(p, v->mv_data, v->mv_size);
    h = seal(k, p, v->mv_size);
    ni_put_le32(p + v->mv_size, h);
    v->mv_data = p;
    v->mv_size += SEAL_BYTES;
    return 0;
}

/* For any call of a transaction in which an LMDB assertion failed. */
static int txn_broken(void)
{
    return ni_error(NI_ECORRUPT, "read after a damaged page");
}

/* mdb_dbi_open, guarded in a read transaction. */
static int dbi_open(MDB_txn *txn, const char *name, int write, MDB_dbi *dbi)
{
    int rc;
    if (write)
        return mdb_dbi_open(txn, name, MDB_CREATE, dbi);
    GUARDED(rc, mdb_dbi_open(txn, name, 0, dbi));
    return rc;
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
        if (rc == MDB_MAP_RESIZED) {       /* grown by another process since */
            if ((rc = remap(s, ni_space_initial_map(used_bytes(s), ni_space_room()),
                            "cannot map the grown index")) < 0)
                return rc;
            rc = mdb_txn_begin(s->env, NULL, write ? 0 : MDB_RDONLY, &txn);
        }
        if (rc)
            return translate(rc, s, "cannot begin transaction");
        for (i = 0; i < NI_T_COUNT; i++) {
            rc = dbi_open(txn, table_names[i], write, &s->dbi[i]);
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

/* Creates s->env and opens it in directory dpath; an index opened for
 * searching where lock.mdb cannot be written is opened again with
 * MDB_NOLOCK (top comment).  s->env is NULL on failure. */
static int env_open(ni_store *s, const char *dpath, uint64_t map_size)
{
    unsigned eflags = MDB_NOTLS, nolock;
    int rc = 0;

    if (s->flags & NI_STORE_READONLY)
        eflags |= MDB_RDONLY;
    if (s->flags & NI_STORE_NOSYNC)
        eflags |= MDB_NOSYNC;
    for (nolock = 0; nolock <= 1; nolock++) {
        if ((rc = mdb_env_create(&s->env)) != 0) {
            s->env = NULL;
            return translate(rc, s, "cannot create environment");
        }
        mdb_env_set_maxdbs(s->env, NI_T_COUNT + 2);
        mdb_env_set_assert(s->env, on_assert);
        mdb_env_set_mapsize(s->env, (size_t)map_size);
        if ((rc = mdb_env_open(s->env, dpath, eflags | (nolock ? MDB_NOLOCK : 0), 0666)) == 0)
            return 0;
        /* a failed open leaves an environment only good for closing */
        mdb_env_close(s->env);
        s->env = NULL;
        if (!((rc == EACCES || rc == EROFS) && (s->flags & NI_STORE_READONLY)))
            break;
    }
    return translate(rc, s, "cannot open index");
}

void (*ni_store_attach_hook)(void);

/* Whether s has the data.mdb that is now in its directory (a shrink may
 * have put a compacted copy there: shrink.c). */
static int is_current(ni_store *s)
{
    mdb_filehandle_t fd;
    return mdb_env_get_fd(s->env, &fd) != 0 || ni_envdir_is_current(s->real, fd);
}

/*
 * Opens s->env on the index in directory s->real: through a handle on the
 * directory (envdir.h), so lock.mdb and data.mdb are one directory's, with
 * data.mdb checked before LMDB maps it (mdbfile.h), and again when a
 * shrink swapped the directory meanwhile, so that s->env has the index
 * that is at the path when this returns.  map_size 0 picks one (space.h).
 * *fresh: data.mdb was absent or empty (a new index).
 */
static int attach(ni_store *s, uint64_t map_size, int create, int *fresh)
{
    ni_envdir_handle h;
    char data[4096];
    const char *dp;
    struct stat st;
    int rc = 0, tries, have = 0, moved;

    for (tries = 0; tries < ATTACH_TRIES; tries++) {
        dp = ni_envdir_hold(&h, s->real);
        if (ni_store_attach_hook)
            ni_store_attach_hook();
        if ((size_t)snprintf(data, sizeof data, "%s/data.mdb", dp) >= sizeof data) {
            ni_envdir_release(&h);
            return ni_error(NI_EINVAL, "cannot open index '%s': path too long", s->path);
        }
        /* an empty data.mdb: its creator died before LMDB wrote the first
         * meta pages (nothing was ever committed); a writer initialises it */
        have = stat(data, &st) == 0 && st.st_size > 0;
        if (have && create && !(s->flags & NI_STORE_READONLY) &&
            ni_mdbfile_reset_unborn(dp, data))
            have = 0;
        rc = have ? ni_mdbfile_check(s->path, data) : 0;
        if (rc == 0 && !have && !create)
            rc = ni_error(NI_ENOTFOUND, "cannot open index '%s': no index there", s->path);
        if (rc == 0)
            rc = env_open(s, dp, map_size ? map_size :
                          ni_space_initial_map(have ? (uint64_t)st.st_size : 0, ni_space_room()));
        if (rc == 0 && !is_current(s)) {
            mdb_env_close(s->env);
            s->env = NULL;
            rc = ni_error(NI_EBUSY, "index '%s' was replaced while it was being opened",
                          s->path);
        }
        moved = rc < 0 && ni_envdir_moved(&h, s->real);
        ni_envdir_release(&h);
        if (!moved)
            break;
    }
    *fresh = !have;
    return rc;
}

int ni_store_open(ni_store **out, const char *path, unsigned flags,
                  uint64_t map_size, int create)
{
    ni_store *s;
    int rc, fresh;
    ni_envdir before;

    *out = NULL;
    if ((rc = ni_envdir_prepare(path, create, &before)) < 0)
        return rc;
    s = ni_mem_calloc(1, sizeof *s);
    if (!s || !(s->path = ni_mem_strndup(path, strlen(path))) || !(s->real = ni_envdir_real(path))) {
        if (s)
            ni_mem_free(s->path);
        ni_mem_free(s);
        ni_envdir_undo(path, &before);
        return ni_error(NI_ENOMEM, "out of memory");
    }
    s->flags = flags;
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
            ni_mem_free(s->real);
            ni_mem_free(s->path);
            ni_mem_free(s);
            ni_envdir_undo(path, &before);
            return ni_error(NI_ENOMEM, "cannot create lock");
        }
    }
    {
        static pthread_once_t once = PTHREAD_ONCE_INIT;
        pthread_once(&once, ni_guard_install);
    }
    if ((rc = attach(s, map_size, create, &fresh)) < 0)
        goto fail;
    /* LMDB wrote a new file's meta pages without syncing them: synced
     * before the first commit writes more, a power loss leaves either
     * them (torn, which ni_mdbfile_reset_unborn recognises) or a commit */
    if (fresh && !(flags & (NI_STORE_READONLY | NI_STORE_NOSYNC)) &&
        (rc = mdb_env_sync(s->env, 1)) != 0) {
        rc = translate(rc, s, "cannot sync a new index");
        goto fail;
    }
    {
        MDB_stat ms;
        if ((rc = mdb_env_stat(s->env, &ms)) != 0) {
            rc = translate(rc, s, "cannot read environment info");
            goto fail;
        }
        s->page_size = ms.ms_psize;
        s->check_spans = (long)s->page_size <= sysconf(_SC_PAGESIZE);
    }
    rc = open_tables(s, create && !(flags & NI_STORE_READONLY));
    if (rc)
        goto fail;
    if (fresh && !(flags & (NI_STORE_READONLY | NI_STORE_NOSYNC)) &&
        (rc = ni_mdbfile_sync_new(path, before.made_dir)) < 0)
        goto fail;
    s->map_base = find_map(s);
    *out = s;
    return 0;
fail:
    ni_store_close(s);
    ni_envdir_undo(path, &before);
    return rc;
}

void ni_store_close(ni_store *s)
{
    if (!s)
        return;
    if (s->env)
        mdb_env_close(s->env);
    pthread_rwlock_destroy(&s->lock);
    ni_mem_free(s->real);
    ni_mem_free(s->path);
    ni_mem_free(s);
}

/* Locks out every transaction of this process, waiting at most
 * GROW_WAIT_SECONDS (a thread holding a cursor would wait on itself). */
static int lock_for(ni_store *s, long ms)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += ms / 1000;
    deadline.tv_nsec += (ms % 1000) * 1000000;
    if (deadline.tv_nsec >= 1000000000) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000;
    }
    return pthread_rwlock_timedwrlock(&s->lock, &deadline) == 0 ? 0 : -1;
}

static int lock_all(ni_store *s)
{
    return lock_for(s, GROW_WAIT_SECONDS * 1000L);
}

/* Maps the file again at size bytes (all transactions of this process
 * locked out).  LMDB unmaps the old map before it maps the new one, and a
 * failure there leaves it none: so the address space is tried first
 * (ni_space_can_map), and a failure all the same marks the store lost
 * (EINVAL comes before the unmap). */
static int remap(ni_store *s, uint64_t size, const char *what)
{
    MDB_envinfo info;
    int rc;
    if (mdb_env_info(s->env, &info) == 0 && size > info.me_mapsize &&
        !ni_space_can_map(size - info.me_mapsize))
        return ni_error(NI_ENOMEM, "%s on '%s': no address space for a map of %llu MB "
                        "(ulimit -v)", what, s->path, (unsigned long long)(size >> 20));
    if (sizeof(size_t) < 8 && size > SIZE_MAX)
        return translate(MDB_MAP_FULL, s, what);
    rc = mdb_env_set_mapsize(s->env, (size_t)size);
    s->map_base = find_map(s);
    if (rc && rc != EINVAL)
        s->lost = 1;
    return rc ? translate(rc, s, what) : 0;
}

/* The pages in use now, in bytes (the newest meta page's). */
static uint64_t used_bytes(ni_store *s)
{
    MDB_envinfo info;
    if (mdb_env_info(s->env, &info) != 0)
        return 0;
    return (uint64_t)(info.me_last_pgno + 1) * s->page_size;
}

static int adopt_new_size(ni_store *s)
{
    int rc;
    if (lock_all(s) < 0)
        return ni_error(NI_EBUSY, "index '%s' was grown by another process; adopting "
                        "its size waits for the open searches of this process", s->path);
    rc = remap(s, ni_space_initial_map(used_bytes(s), ni_space_room()),
               "cannot map the grown index");
    pthread_rwlock_unlock(&s->lock);
    return rc;
}

/*
 * Moves s over to the index now at its path, after a shrink put a
 * compacted copy there (shrink.c): the new environment is opened, then the
 * old one closed, with every transaction of this process locked out
 * (waiting up to wait_ms for those open to end; 0: only when none is).
 * On failure s keeps the old environment: its snapshots stay readable,
 * and writes are refused (ni_txn_begin).
 */
static int follow(ni_store *s, long wait_ms)
{
    MDB_env *old;
    MDB_dbi dbi[NI_T_COUNT];
    int rc, fresh;

    if (wait_ms ? lock_for(s, wait_ms) < 0 : pthread_rwlock_trywrlock(&s->lock) != 0)
        return ni_error(NI_EBUSY, "index '%s' was replaced by its compacted copy "
                        "(ni_index_shrink) and searches of this process keep the old one "
                        "open: close the index and open it again", s->path);
    if (is_current(s)) {
        pthread_rwlock_unlock(&s->lock);
        return 0;
    }
    old = s->env;
    memcpy(dbi, s->dbi, sizeof dbi);
    s->env = NULL;
    if ((rc = attach(s, 0, 0, &fresh)) == 0 && (rc = open_tables(s, 0)) < 0)
        mdb_env_close(s->env);
    if (rc == 0) {
        mdb_env_close(old);
        s->map_base = find_map(s);
        s->lost = 0;
    } else {
        s->env = old;
        memcpy(s->dbi, dbi, sizeof dbi);
    }
    pthread_rwlock_unlock(&s->lock);
    return rc;
}

int ni_store_follow(ni_store *s)
{
    return follow(s, GROW_WAIT_SECONDS * 1000L);
}

const char *ni_store_real_path(const ni_store *s)
{
    return s->real;
}

/* Whether a read transaction should look for a swap now (a stat() each
 * time): at most every SWAP_CHECK_MS.  *now: the time in ms. */
static int check_due(ni_store *s, int64_t *now)
{
    struct timespec ts;
    int64_t last;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    *now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    last = __atomic_load_n(&s->checked_ms, __ATOMIC_RELAXED);
    if (*now - last < SWAP_CHECK_MS)
        return 0;
    __atomic_store_n(&s->checked_ms, *now, __ATOMIC_RELAXED);
    return 1;
}

/*
 * A read transaction found the index swapped at time now (ms): moves over
 * when no transaction of this process is open.  A process always busy
 * searching in several threads may never have none open: after
 * FOLLOW_PATIENCE_MS of trying, this waits up to FOLLOW_WAIT_MS (once per
 * FOLLOW_PATIENCE_MS) for those open to end, new ones queueing behind the
 * wait (the lock prefers writers).  A thread that itself holds one waits
 * in vain, and goes on reading the old file.
 */
static void follow_read(ni_store *s, int64_t now)
{
    int64_t since = __atomic_load_n(&s->stale_ms, __ATOMIC_RELAXED);
    long wait = 0;
    if (!since)
        __atomic_store_n(&s->stale_ms, now, __ATOMIC_RELAXED);
    else if (now - since >= FOLLOW_PATIENCE_MS &&
             now - __atomic_load_n(&s->waited_ms, __ATOMIC_RELAXED) >= FOLLOW_PATIENCE_MS) {
        __atomic_store_n(&s->waited_ms, now, __ATOMIC_RELAXED);
        wait = FOLLOW_WAIT_MS;
    }
    if (follow(s, wait) == 0)
        __atomic_store_n(&s->stale_ms, 0, __ATOMIC_RELAXED);
    else
        ni_error_clear();
}

int ni_txn_begin(ni_txn **out, ni_store *s, int write)
{
    ni_txn *t;
    int64_t now;
    int rc, tries;

    *out = NULL;
    if (write && (s->flags & NI_STORE_READONLY))
        return ni_error(NI_EREADONLY, "index '%s' is open read-only", s->path);
    if (s->lost)
        return ni_error(NI_ENOMEM, "index '%s' lost its map when growing it failed; "
                        "close and open it again", s->path);
    t = ni_mem_alloc(sizeof *t);
    if (!t)
        return ni_error(NI_ENOMEM, "out of memory");
    t->s = s;
    t->write = write;
    t->broken = 0;
    t->file_end = 0;
    t->wbuf = NULL;
    t->wcap = 0;
    /* a shrink swapped the index (shrink.c): a search moves over when
     * this process has nothing open in the old one, else reads on there */
    if (!write && check_due(s, &now)) {
        int current;
        pthread_rwlock_rdlock(&s->lock);
        current = is_current(s);
        pthread_rwlock_unlock(&s->lock);
        if (!current)
            follow_read(s, now);
    }
    for (tries = 0;; tries++) {
        if (pthread_rwlock_rdlock(&s->lock) != 0) {
            ni_mem_free(t);
            return ni_error(NI_EIO, "cannot lock index '%s'", s->path);
        }
        rc = mdb_txn_begin(s->env, NULL, write ? 0 : MDB_RDONLY, &t->txn);
        /* a writer holds the file's writer lock now, and a shrink swaps
         * only under it: a file still at the path stays there until this
         * commit, one replaced takes no more commits (they would be lost) */
        if (rc == 0 && write && !is_current(s)) {
            mdb_txn_abort(t->txn);
            pthread_rwlock_unlock(&s->lock);
            if (tries < 3 && (rc = follow(s, GROW_WAIT_SECONDS * 1000L)) == 0)
                continue;
            if (rc == 0)
                rc = ni_error(NI_EBUSY, "index '%s' keeps being replaced", s->path);
            ni_mem_free(t);
            return rc;
        }
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

/* After a commit: extends a file that LMDB left shorter than its last page
 * (a loose page, top comment) with zeros.  fallocate only ever extends, so
 * a commit of another process meanwhile is safe.  Best effort: a file
 * system without fallocate keeps the short file. */
static void pad_file(ni_store *s)
{
    MDB_envinfo info;
    struct stat st;
    mdb_filehandle_t fd;
    off_t want;

    if (mdb_env_info(s->env, &info) != 0 || mdb_env_get_fd(s->env, &fd) != 0 ||
        fstat(fd, &st) != 0)
        return;
    want = (off_t)((info.me_last_pgno + 1) * s->page_size);
    if (st.st_size >= want)
        return;
    if (fallocate(fd, 0, st.st_size, want - st.st_size) == 0 &&
        !(s->flags & NI_STORE_NOSYNC))
        (void)fdatasync(fd);
}

int ni_txn_commit(ni_txn *t)
{
    ni_store *s = t->s;
    int rc;
    if (t->broken) {
        ni_txn_abort(t);
        return txn_broken();
    }
    rc = mdb_txn_commit(t->txn);
    if (rc == 0 && t->write)
        pad_file(s);
    pthread_rwlock_unlock(&s->lock);
    ni_mem_free(t->wbuf);
    ni_mem_free(t);
    return rc ? translate(rc, s, "cannot commit") : 0;
}

void ni_txn_abort(ni_txn *t)
{
    if (!t)
        return;
    mdb_txn_abort(t->txn);
    pthread_rwlock_unlock(&t->s->lock);
    ni_mem_free(t->wbuf);
    ni_mem_free(t);
}

int ni_store_grow(ni_store *s, uint64_t need)
{
    MDB_envinfo info;
    int rc;

    if (lock_all(s) < 0)
        return ni_error(NI_EFULL, "index '%s' is full and cannot grow while "
                        "searches of this process are open", s->path);
    if ((rc = mdb_env_info(s->env, &info)) != 0)
        rc = translate(rc, s, "cannot read environment info");
    else
        rc = remap(s, ni_space_grow_target(info.me_mapsize, used_bytes(s), need,
                                           ni_space_room()), "cannot grow the map");
    pthread_rwlock_unlock(&s->lock);
    return rc;
}

int ni_store_reserve(ni_store *s, uint64_t need)
{
    MDB_envinfo info;
    uint64_t used, free;
    int rc;
    /* s->env changes when another thread follows a shrink (follow) */
    pthread_rwlock_rdlock(&s->lock);
    rc = mdb_env_info(s->env, &info);
    used = used_bytes(s);
    pthread_rwlock_unlock(&s->lock);
    if (rc)
        return 0;
    free = info.me_mapsize > used ? info.me_mapsize - used : 0;
    need = ni_space_want_free(need, free, ni_space_room());
    return free >= need ? 0 : ni_store_grow(s, need);
}

static MDB_val mval(const void *p, size_t n)
{
    MDB_val v;
    v.mv_data = (void *)(uintptr_t)p;
    v.mv_size = n;
    return v;
}


/* After a guarded call of t that failed an LMDB assertion: t is broken. */
static int guard_fired(ni_txn *t, const char *table)
{
    t->broken = 1;
    return ni_error(NI_ECORRUPT, "a damaged page in table '%s' (LMDB: %s)", table,
                    ni_guard_message());
}

/*
 * Whether n bytes at p, a key or value LMDB returned in a read transaction
 * (so inside the map), lie inside their page, or for a value on overflow
 * pages inside its run of pages and the file: a damaged node or overflow
 * header could otherwise send a reader past its page, or past the end of
 * the file (SIGBUS).  A page starts at an address aligned to the page size
 * (LMDB maps the file at an address aligned to the system page, which is
 * its page size); a value on overflow pages starts right after the first
 * page's header, where a node of a leaf page cannot.
 */
#define PAGE_HDR NI_MDB_PAGE_HDR
static int span_ok(ni_txn *t, const void *p, size_t n)
{
    ni_store *s = t->s;
    uintptr_t a = (uintptr_t)p, page, end;
    uint16_t flags;
    uint32_t pages;
    struct stat st;
    mdb_filehandle_t fd;

    if (t->write || !s->check_spans)
        return 1;
    page = a & ~(uintptr_t)(s->page_size - 1);
    end = page + s->page_size;
    if (a - page == PAGE_HDR) {
        memcpy(&flags, (const void *)(page + NI_MDB_OFF_FLAGS), 2);
        if (flags & NI_MDB_P_OVERFLOW) {
            memcpy(&pages, (const void *)(page + NI_MDB_OFF_PAGES), 4);
            if (!s->map_base || page < s->map_base)
                return pages && n <= (uintptr_t)pages * s->page_size - PAGE_HDR;
            if (!t->file_end) {
                if (mdb_env_get_fd(s->env, &fd) != 0 || fstat(fd, &st) != 0)
                    return 0;
                t->file_end = (uint64_t)st.st_size;
            }
            if ((uint64_t)(page - s->map_base) > t->file_end ||
                pages > (t->file_end - (uint64_t)(page - s->map_base)) / s->page_size)
                return 0;
            end = page + (uintptr_t)pages * s->page_size;
        }
    }
    return n <= end - a;
}

/* The damage span_ok found, as NI_ECORRUPT. */
static int span_bad(const char *table, const char *what, size_t n)
{
    return ni_error(NI_ECORRUPT, "a damaged page in table '%s': a %s of %zu bytes runs "
                    "past its page", table, what, n);
}

/* Where LMDB mapped data.mdb; 0 when not known.  The map moves when it
 * grows. */
static uintptr_t find_map(ni_store *s)
{
    struct stat st;
    mdb_filehandle_t fd;
    if (mdb_env_get_fd(s->env, &fd) != 0 || fstat(fd, &st) != 0)
        return 0;
    return ni_space_map_base((unsigned long)st.st_ino, "data.mdb");
}

/* mdb_get, guarded. */
static int txn_read(ni_txn *t, enum ni_table tb, MDB_val *k, MDB_val *v)
{
    int rc;
    GUARDED(rc, mdb_get(t->txn, t->s->dbi[tb], k, v));
    return rc;
}

int ni_txn_get(ni_txn *t, enum ni_table tb, const void *key, size_t klen,
               ni_val *val)
{
    MDB_val k = mval(key, klen), v;
    int rc;
    if (t->broken)
        return txn_broken();
    rc = txn_read(t, tb, &k, &v);
    if (rc == GUARD_FIRED)
        return guard_fired(t, table_names[tb]);
    if (rc)
        return rc == MDB_NOTFOUND ? NI_ENOTFOUND : translate(rc, t->s, "read failed");
    if (!span_ok(t, v.mv_data, v.mv_size))
        return span_bad(table_names[tb], "value", v.mv_size);
    if (sealed[tb] && (rc = unseal(table_names[tb], &k, &v)) < 0)
        return rc;
    val->data = v.mv_data;
    val->len = v.mv_size;
    return 0;
}

int ni_txn_put(ni_txn *t, enum ni_table tb, const void *key, size_t klen,
               const void *val, size_t vlen)
{
    MDB_val k = mval(key, klen), v = mval(val, vlen);
    int rc;
    if (t->broken)
        return txn_broken();
    if ((rc = seal_value(t, tb, &k, &v)) < 0)
        return rc;
    rc = mdb_put(t->txn, t->s->dbi[tb], &k, &v, 0);
    return rc ? translate(rc, t->s, "write failed") : 0;
}

int ni_txn_append(ni_txn *t, enum ni_table tb, const void *key, size_t klen,
                  const void *val, size_t vlen)
{
    MDB_val k = mval(key, klen), v = mval(val, vlen);
    int rc;
    if (t->broken)
        return txn_broken();
    if ((rc = seal_value(t, tb, &k, &v)) < 0)
        return rc;
    rc = mdb_put(t->txn, t->s->dbi[tb], &k, &v, MDB_APPEND);
    if (rc == MDB_KEYEXIST)
        return ni_error(NI_EINVAL, "append of a key that does not sort last");
    return rc ? translate(rc, t->s, "write failed") : 0;
}

int ni_txn_del(ni_txn *t, enum ni_table tb, const void *key, size_t klen)
{
    MDB_val k = mval(key, klen);
    int rc;
    if (t->broken)
        return txn_broken();
    rc = mdb_del(t->txn, t->s->dbi[tb], &k, NULL);
    if (rc)
        return rc == MDB_NOTFOUND ? NI_ENOTFOUND : translate(rc, t->s, "delete failed");
    return 0;
}

int ni_txn_count(ni_txn *t, enum ni_table tb, uint64_t *out)
{
    MDB_stat st;
    int rc;
    if (t->broken)
        return txn_broken();
    rc = mdb_stat(t->txn, t->s->dbi[tb], &st);
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
    if (t->broken)
        return txn_broken();
    c = ni_mem_calloc(1, sizeof *c);
    if (!c)
        return ni_error(NI_ENOMEM, "out of memory");
    rc = mdb_cursor_open(t->txn, t->s->dbi[tb], &c->cur);
    if (rc) {
        ni_mem_free(c);
        return translate(rc, t->s, "cannot open cursor");
    }
    c->s = t->s;
    c->t = t;
    c->table = table_names[tb];
    c->tb = tb;
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

/* mdb_cursor_get, guarded. */
static int cursor_read(ni_cursor *c, MDB_cursor_op op)
{
    int rc;
    GUARDED(rc, mdb_cursor_get(c->cur, &c->key, &c->val, op));
    return rc;
}

static int move(ni_cursor *c, MDB_cursor_op op)
{
    int rc;
    c->valid = 0;
    if (c->t->broken)
        return txn_broken();
    rc = cursor_read(c, op);
    if (rc == GUARD_FIRED)
        return guard_fired(c->t, c->table);
    if (rc == 0 && !span_ok(c->t, c->key.mv_data, c->key.mv_size))
        return span_bad(c->table, "key", c->key.mv_size);
    if (rc == 0 && !span_ok(c->t, c->val.mv_data, c->val.mv_size))
        return span_bad(c->table, "value", c->val.mv_size);
    if (rc == 0 && sealed[c->tb] && (rc = unseal(c->table, &c->key, &c->val)) < 0)
        return rc;
    c->valid = rc == 0;
    if (rc == MDB_NOTFOUND)
        return NI_DONE;
    return rc ? translate(rc, c->s, "cursor read failed") : 0;
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
    int rc;
    c->valid = 0;
    if (c->t->broken)
        return txn_broken();
    if ((rc = seal_value(c->t, c->tb, &k, &v)) < 0)
        return rc;
    rc = mdb_cursor_put(c->cur, &k, &v, append ? MDB_APPEND : 0);
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
    int rc;
    pthread_rwlock_rdlock(&s->lock);
    rc = store_info(s, out);
    pthread_rwlock_unlock(&s->lock);
    return rc;
}

int ni_txn_info(ni_txn *t, ni_store_info *out)
{
    return store_info(t->s, out);
}

/* ni_store_info_get with s->env kept by the caller. */
static int store_info(ni_store *s, ni_store_info *out)
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
    int rc;
    pthread_rwlock_rdlock(&s->lock);
    rc = mdb_env_sync(s->env, 1);
    pthread_rwlock_unlock(&s->lock);
    return rc ? translate(rc, s, "cannot write to disk") : 0;
}
