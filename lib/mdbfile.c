/*
 * mdbfile.c - LMDB's meta pages read without LMDB (mdbfile.h), so that a
 * damaged or truncated data.mdb is reported before LMDB maps it, and a
 * file whose creation a power loss cut short is started again.  Reads
 * two small pieces of the file with pread; no LMDB call, no allocation.
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

int ni_mdbfile_check(const char *path, const char *data_path)
{
    meta_page m[2];
    const meta_page *cur;
    struct stat st;
    uint64_t pages;
    int fd, rc, i;

    if ((fd = open(data_path, O_RDONLY | O_CLOEXEC)) < 0)
        return 0;                 /* LMDB reports it, with its own words */
    rc = fstat(fd, &st) != 0 ? ni_error(NI_EIO, "cannot read index '%s': %s", path,
                                        strerror(errno)) : 0;
    if (rc == 0 && (rc = read_meta(fd, path, 0, 0, &m[0])) == 0 &&
        (rc = read_meta(fd, path, 1, (off_t)m[0].psize, &m[1])) == 0 &&
        m[1].psize != m[0].psize)
        rc = ni_error(NI_ECORRUPT, "the meta pages of data.mdb name page sizes %u and %u",
                      m[0].psize, m[1].psize);
    close(fd);
    if (rc)
        return rc;
    /* transaction N writes meta page N % 2, so the two hold consecutive
     * ids (or 0, never written): other ids mean one is damaged, and
     * LMDB would read the snapshot its damaged id names */
    for (i = 0; i < 2; i++)
        if (m[i].txnid != 0 && m[i].txnid % 2 != (uint64_t)i)
            return ni_error(NI_ECORRUPT, "meta page %d of data.mdb names transaction %llu, "
                            "which meta page %d cannot hold", i,
                            (unsigned long long)m[i].txnid, i);
    if ((m[0].txnid > m[1].txnid ? m[0].txnid - m[1].txnid : m[1].txnid - m[0].txnid) > 1)
        return ni_error(NI_ECORRUPT, "the meta pages of data.mdb name transactions %llu and "
                        "%llu, not consecutive ones", (unsigned long long)m[0].txnid,
                        (unsigned long long)m[1].txnid);
    cur = &m[m[0].txnid < m[1].txnid];       /* mdb_env_pick_meta */
    pages = (uint64_t)st.st_size / cur->psize;
    if (cur->last_pg < 1 || cur->last_pg >= pages)
        return ni_error(NI_ECORRUPT, "data.mdb has %llu pages of %u bytes, its meta page "
                        "names %llu (the file was cut short)",
                        (unsigned long long)pages, cur->psize,
                        (unsigned long long)cur->last_pg + 1);
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
    if ((lfd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0666)) >= 0) {
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
