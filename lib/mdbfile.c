/*
 * mdbfile.c - LMDB's meta pages read without LMDB (mdbfile.h), so that a
 * damaged or truncated data.mdb is reported before LMDB maps it, a file
 * whose creation a power loss cut short is started again, and a new
 * index's directory entries are made durable.  Reads
 * two small pieces of the file with pread (and, for a file that ends
 * before its last page, the path to one record of the free-page tree);
 * no LMDB call.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "mdbfile.h"
#include "mem.h"

/* a file short of its newest commit: looked at again this often, this far
 * apart (a writer pads it right after the commit: store.c) */
#define MDBFILE_SHORT_TRIES 3
#define MDBFILE_SHORT_WAIT_US 10000
#define PAGE_HDR NI_MDB_PAGE_HDR
#define P_META_FLAG 0x08
#define MDB_MAGIC_NUMBER 0xBEEFC0DEu
#define MDB_DATA_VERSION_1 1u
#define META_BYTES (PAGE_HDR + 8 + 8 + 8 + 2 * 48 + 8 + 8)
#define OFF_FLAGS NI_MDB_OFF_FLAGS
#define OFF_MAGIC (PAGE_HDR + 0)
#define OFF_VERSION (PAGE_HDR + 4)
#define OFF_PSIZE (PAGE_HDR + 24)              /* mm_dbs[0].md_pad */
#define OFF_ROOT(db) (PAGE_HDR + 24 + (db) * 48 + 40)
#define OFF_LAST_PG (PAGE_HDR + 24 + 2 * 48)
#define OFF_TXNID (OFF_LAST_PG + 8)
#define NO_PAGE UINT64_MAX                     /* P_INVALID: an empty tree */
#define P_BRANCH_FLAG 0x01
#define P_LEAF_FLAG 0x02
#define F_BIGDATA 0x01                         /* a leaf node's value on overflow pages */

typedef struct meta_page {
    uint32_t psize;
    uint64_t last_pg, txnid, root[2];
} meta_page;

static uint64_t get_u64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static uint32_t get_u32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

/* Reads meta page i (at offset off) of the file: 0, or NI_ECORRUPT. */
static int read_meta(int fd, const char *path, int i, off_t off, meta_page *m)
{
    unsigned char b[META_BYTES];
    uint16_t flags;
    ssize_t n = pread(fd, b, sizeof b, off);
    if (n < 0)
        return ni_error(NI_EIO, "cannot read index '%s': %s", path, strerror(errno));
    if ((size_t)n < sizeof b)
        return ni_error(NI_ECORRUPT, "data.mdb ends inside meta page %d", i);
    memcpy(&flags, b + OFF_FLAGS, 2);
    if (!(flags & P_META_FLAG) || get_u32(b + OFF_MAGIC) != MDB_MAGIC_NUMBER)
        return ni_error(NI_ECORRUPT, "meta page %d of data.mdb is not an LMDB meta "
                        "page", i);
    if (get_u32(b + OFF_VERSION) != MDB_DATA_VERSION_1)
        return ni_error(NI_ECORRUPT, "meta page %d of data.mdb has data version %u, "
                        "LMDB 0.9 writes 1", i, get_u32(b + OFF_VERSION));
    m->psize = get_u32(b + OFF_PSIZE);
    m->last_pg = get_u64(b + OFF_LAST_PG);
    m->txnid = get_u64(b + OFF_TXNID);
    m->root[0] = get_u64(b + OFF_ROOT(0));
    m->root[1] = get_u64(b + OFF_ROOT(1));
    if (m->psize < 512 || m->psize > 65536 || (m->psize & (m->psize - 1)))
        return ni_error(NI_ECORRUPT, "meta page %d of data.mdb names a page size of %u "
                        "bytes", i, m->psize);
    return 0;
}

/* Reads n bytes at page pgno, offset off, of a file of pages pages. */
static int read_at(int fd, const meta_page *m, uint64_t pages, uint64_t pgno, size_t off,
                   void *buf, size_t n)
{
    if (pgno >= pages || off + n > (uint64_t)(pages - pgno) * m->psize)
        return -1;
    return pread(fd, buf, n, (off_t)(pgno * m->psize + off)) == (ssize_t)n ? 0 : -1;
}

/* Marks in seen (a bit per page from first to last) the pages of the list
 * (an LMDB IDL: a count, then page numbers) of n bytes; -1 when it is not
 * one or names a page twice. */
static int idl_mark(const unsigned char *idl, size_t n, uint64_t first, uint64_t last,
                    unsigned char *seen)
{
    uint64_t count, i;
    if (n < 8 || (count = get_u64(idl)) > n / 8 - 1)
        return -1;
    for (i = 1; i <= count; i++) {
        uint64_t pg = get_u64(idl + 8 * i);
        if (pg < first || pg > last)
            continue;
        if (seen[(pg - first) / 8] & (1u << ((pg - first) % 8)))
            return -1;
        seen[(pg - first) / 8] |= (unsigned char)(1u << ((pg - first) % 8));
    }
    return 0;
}

/* Marks the pages the leaf node at off of page pg lists (its value, inline
 * or on overflow pages): 0, or -1. */
static int leaf_mark(int fd, const meta_page *m, uint64_t pages, const unsigned char *pg,
                     uint16_t off, uint64_t last, unsigned char *seen)
{
    uint16_t w[4];
    size_t dsize, at;
    uint64_t ov;
    unsigned char *data;
    int rc;
    memcpy(w, pg + off, 8);          /* size lo, size hi, flags, key size */
    dsize = (size_t)w[0] | (size_t)w[1] << 16;
    at = (size_t)off + 8 + w[3];
    if (!(w[2] & F_BIGDATA))
        return at + dsize <= m->psize ? idl_mark(pg + at, dsize, pages, last, seen) : -1;
    if (at + 8 > m->psize || (ov = get_u64(pg + at)) >= pages ||
        dsize + PAGE_HDR > (pages - ov) * m->psize || !(data = ni_mem_alloc(dsize ? dsize : 1)))
        return -1;
    rc = read_at(fd, m, pages, ov, PAGE_HDR, data, dsize) < 0
             ? -1 : idl_mark(data, dsize, pages, last, seen);
    ni_mem_free(data);
    return rc;
}

/*
 * Whether the pages from `pages` on to m's last page, past the end of the
 * file, are all free pages of m's snapshot.  LMDB leaves a file that short
 * when a commit's last pages were allocated and freed in it (never
 * written); ni_txn_commit pads the file afterwards, and a crash or a
 * power loss can come before the padding.  Free pages are listed in the
 * free-page tree (mdb_freelist_save), whose every page is read here,
 * checked to lie in the file; no snapshot reads a free page.  0 on
 * anything unexpected.
 */
static int loose_tail(const char *data_path, const meta_page *m, uint64_t pages)
{
    enum { STACK = 4096 };          /* pages to visit: a few levels of branches */
    unsigned char *pg = NULL, *seen = NULL;
    uint64_t *stack = NULL, tail = m->last_pg - pages + 1, i;
    size_t depth = 0, visited = 0;
    int fd, ok = 0;

    /* each page listed takes 8 bytes of the file */
    if (m->root[0] == NO_PAGE || tail > pages * (m->psize / 8) ||
        (fd = open(data_path, O_RDONLY | O_CLOEXEC)) < 0)
        return 0;
    if (!(pg = ni_mem_alloc(m->psize)) || !(seen = ni_mem_calloc(1, (size_t)(tail + 7) / 8)) ||
        !(stack = ni_mem_alloc(STACK * sizeof *stack)))
        goto done;
    stack[depth++] = m->root[0];
    while (depth > 0) {
        uint64_t pgno = stack[--depth];
        uint16_t flags, lower, n, k;
        if (++visited > pages || read_at(fd, m, pages, pgno, 0, pg, m->psize) < 0 ||
            get_u64(pg) != pgno)
            goto done;
        memcpy(&flags, pg + OFF_FLAGS, 2);
        memcpy(&lower, pg + 12, 2);
        if (lower < PAGE_HDR || lower > m->psize || !(flags & (P_BRANCH_FLAG | P_LEAF_FLAG)))
            goto done;
        n = (uint16_t)((lower - PAGE_HDR) / 2);
        for (k = 0; k < n; k++) {
            uint16_t off, w[3];
            memcpy(&off, pg + PAGE_HDR + 2 * k, 2);
            if ((size_t)off + 8 > m->psize)
                goto done;
            if (flags & P_LEAF_FLAG) {
                if (leaf_mark(fd, m, pages, pg, off, m->last_pg, seen) < 0)
                    goto done;
                continue;
            }
            if (depth == STACK)
                goto done;
            memcpy(w, pg + off, 6);             /* NODEPGNO: lo, hi, flags */
            stack[depth++] = (uint64_t)w[0] | (uint64_t)w[1] << 16 | (uint64_t)w[2] << 32;
        }
    }
    for (i = 0; i < tail && (seen[i / 8] & (1u << (i % 8))); i++)
        ;
    ok = i == tail;
done:
    ni_mem_free(stack);
    ni_mem_free(seen);
    ni_mem_free(pg);
    close(fd);
    return ok;
}

/* The two meta pages of data_path in m and, read after them, its size
 * in *st (a writer in another process writes a commit's pages before its
 * meta page, so a size read after the meta pages covers them).  1 when
 * the file cannot be opened (LMDB will say why), 0, or an error. */
static int read_metas(const char *path, const char *data_path, meta_page m[2], struct stat *st)
{
    int fd, rc;
    if ((fd = open(data_path, O_RDONLY | O_CLOEXEC)) < 0)
        return 1;
    rc = read_meta(fd, path, 0, 0, &m[0]);
    if (rc == 0)
        rc = read_meta(fd, path, 1, (off_t)m[0].psize, &m[1]);
    if (rc == 0 && m[1].psize != m[0].psize)
        rc = ni_error(NI_ECORRUPT, "the meta pages of data.mdb name page sizes %u and %u",
                      m[0].psize, m[1].psize);
    if (rc == 0 && fstat(fd, st) != 0)
        rc = ni_error(NI_EIO, "cannot read index '%s': %s", path, strerror(errno));
    close(fd);
    return rc;
}

int ni_mdbfile_check(const char *path, const char *data_path)
{
    meta_page m[2];
    const meta_page *cur, *prev;
    struct stat st;
    uint64_t pages;
    int rc, i, tries;

    /* a writer in another process may be between a commit's meta page and
     * the padding of the pages it left unwritten (store.c): a file short
     * of its newest commit is looked at again a few times */
    for (tries = 0;; tries++) {
        if ((rc = read_metas(path, data_path, m, &st)) != 0)
            return rc > 0 ? 0 : rc;
        /* transaction N writes meta page N % 2, so the two hold
         * consecutive ids (or 0, never written): other ids mean one is
         * damaged, and LMDB would read the snapshot its damaged id names */
        for (i = 0; i < 2; i++)
            if (m[i].txnid != 0 && m[i].txnid % 2 != (uint64_t)i)
                return ni_error(NI_ECORRUPT, "meta page %d of data.mdb names transaction "
                                "%llu, which meta page %d cannot hold", i,
                                (unsigned long long)m[i].txnid, i);
        if ((m[0].txnid > m[1].txnid ? m[0].txnid - m[1].txnid
                                     : m[1].txnid - m[0].txnid) > 1)
            return ni_error(NI_ECORRUPT, "the meta pages of data.mdb name transactions %llu "
                            "and %llu, not consecutive ones", (unsigned long long)m[0].txnid,
                            (unsigned long long)m[1].txnid);
        cur = &m[m[0].txnid < m[1].txnid];       /* mdb_env_pick_meta */
        prev = &m[m[0].txnid >= m[1].txnid];
        pages = (uint64_t)st.st_size / cur->psize;
        /* short only by the newest commit's free pages (loose_tail): the
         * previous commit's pages are all there (padded before this
         * commit's sync) */
        if (cur->last_pg >= 1 && (cur->last_pg < pages ||
                                  (pages > prev->last_pg && loose_tail(data_path, cur, pages))))
            break;
        if (cur->last_pg < 1 || tries == MDBFILE_SHORT_TRIES)
            return ni_error(NI_ECORRUPT, "data.mdb has %llu pages of %u bytes, its meta page "
                            "names %llu (the file was cut short)",
                            (unsigned long long)pages, cur->psize,
                            (unsigned long long)cur->last_pg + 1);
        usleep(MDBFILE_SHORT_WAIT_US);
    }
    for (i = 0; i < 2; i++)
        if (cur->root[i] != NO_PAGE && (cur->root[i] < 2 || cur->root[i] > cur->last_pg))
            return ni_error(NI_ECORRUPT, "the meta page of data.mdb names root page %llu of "
                            "%llu pages",
                            (unsigned long long)cur->root[i],
                            (unsigned long long)cur->last_pg + 1);
    return 0;
}


/* Whether meta page i of fd names a committed transaction (a meta page
 * with a transaction id above 0).  A page missing or not a meta page names
 * none. */
static int names_commit(int fd, int i, long page)
{
    unsigned char b[META_BYTES];
    uint16_t flags;
    if (pread(fd, b, sizeof b, (off_t)i * page) != (ssize_t)sizeof b)
        return 0;
    memcpy(&flags, b + OFF_FLAGS, 2);
    return (flags & P_META_FLAG) && get_u32(b + OFF_MAGIC) == MDB_MAGIC_NUMBER &&
           get_u64(b + OFF_TXNID) != 0;
}

int ni_mdbfile_reset_unborn(const char *path, const char *data_path)
{
    struct flock lk;
    struct stat st;
    char lock_path[4096];
    long page = sysconf(_SC_PAGESIZE);
    int fd, lfd, reset = 0;

    if (page <= 0 || (size_t)snprintf(lock_path, sizeof lock_path, "%s/lock.mdb", path) >=
                         sizeof lock_path)
        return 0;
    if ((fd = open(data_path, O_RDWR | O_CLOEXEC)) < 0)
        return 0;
    if (fstat(fd, &st) != 0 || st.st_size > 2 * page || names_commit(fd, 0, page) ||
        names_commit(fd, 1, page)) {
        close(fd);
        return 0;
    }
    /* LMDB makes lock.mdb before it writes data.mdb: without one, nobody
     * has the index open (and none is made here, which would confuse an
     * opener's reading of it) */
    if ((lfd = open(lock_path, O_RDWR | O_CLOEXEC)) < 0) {
        reset = errno == ENOENT && ftruncate(fd, 0) == 0;
    } else {
        memset(&lk, 0, sizeof lk);
        lk.l_type = F_WRLCK;
        lk.l_whence = SEEK_SET;
        lk.l_start = 0;
        lk.l_len = 1;
        /* closing lfd drops the lock, before LMDB takes its own */
        reset = fcntl(lfd, F_SETLK, &lk) == 0 && ftruncate(fd, 0) == 0;
        close(lfd);
    }
    close(fd);
    return reset;
}

/* Syncs directory dir: 0 or NI_EIO.  A file system that cannot sync a
 * directory (EINVAL, as some FUSE ones) has nothing to make durable. */
static int sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = 0;
    if (fd < 0 || (fsync(fd) != 0 && errno != EINVAL && errno != ENOTSUP))
        rc = ni_error(NI_EIO, "cannot sync directory '%s': %s", dir, strerror(errno));
    if (fd >= 0)
        close(fd);
    return rc;
}

int ni_mdbfile_sync_new(const char *path, int made_dir)
{
    char *parent, *slash;
    size_t n = strlen(path);
    int rc;

    if ((rc = sync_dir(path)) < 0 || !made_dir)
        return rc;
    while (n > 1 && path[n - 1] == '/')
        n--;                                    /* "a/idx/" is "a/idx" */
    if (!(parent = ni_mem_strndup(path, n)))
        return ni_error(NI_ENOMEM, "out of memory");
    slash = strrchr(parent, '/');
    if (slash)
        slash[slash == parent] = 0;             /* "a/idx" -> "a", "/idx" -> "/" */
    rc = sync_dir(slash ? parent : ".");
    ni_mem_free(parent);
    return rc;
}
