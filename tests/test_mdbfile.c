/*
 * mdbfile.c at its boundaries: a new file that a power loss left torn
 * before its first commit is emptied, and only then; a file that ends
 * before free pages of its newest commit (a crash before ni_txn_commit
 * padded it) passes the open's check, and one page less does not.
 * The files are written by hand (meta pages) or by LMDB itself.
 */
#include <fcntl.h>
#include <lmdb.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "newsindex.h"
#include "../lib/mdbfile.h"
#include "test.h"
#include "tmpdir.h"

#define PG 4096
#define OFF_TXNID (16 + 24 + 2 * 48 + 8)

static char dir[300], data[330], lock_path[330];

/* A file of the given size whose meta pages are valid with the given
 * transaction ids (-1: a page of zeros). */
static void write_file(size_t size, long txn0, long txn1)
{
    unsigned char *b = calloc(1, size > 2 * PG ? size : 2 * PG);
    long txn[2] = { txn0, txn1 };
    FILE *f;
    for (int i = 0; i < 2; i++) {
        unsigned char *p = b + (size_t)i * PG;
        uint16_t flags = 0x08;
        uint32_t magic = 0xBEEFC0DEu, version = 1, psize = PG;
        uint64_t id = (uint64_t)txn[i], last = 1;
        if (txn[i] < 0)
            continue;
        p[0] = (unsigned char)i;                              /* page number */
        memcpy(p + 10, &flags, 2);
        memcpy(p + 16, &magic, 4);
        memcpy(p + 20, &version, 4);
        memcpy(p + 16 + 24, &psize, 4);
        memcpy(p + 16 + 24 + 96, &last, 8);
        memcpy(p + OFF_TXNID, &id, 8);
    }
    f = fopen(data, "wb");
    CHECK(f != NULL);
    if (f) {
        CHECK(fwrite(b, 1, size, f) == size);
        fclose(f);
    }
    free(b);
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "%s", test_new_dir());
    CHECK(mkdir(dir, 0755) == 0);
    snprintf(data, sizeof data, "%s/data.mdb", dir);
    snprintf(lock_path, sizeof lock_path, "%s/lock.mdb", dir);
}

static void unborn(void)
{
    setup();
    /* meta pages of transaction 0, one torn away: emptied */
    write_file(2 * PG, 0, -1);
    CHECK(ni_mdbfile_reset_unborn(dir, data) == 1);
    CHECK(file_size(data) == 0);
    write_file(PG + 512, 0, 0);                  /* cut inside page 1 */
    CHECK(ni_mdbfile_reset_unborn(dir, data) == 1);
    CHECK(file_size(data) == 0);
    write_file(512, -1, -1);
    CHECK(ni_mdbfile_reset_unborn(dir, data) == 1);
    /* a meta page of transaction 1 is a commit: kept */
    write_file(2 * PG, 0, 1);
    CHECK(ni_mdbfile_reset_unborn(dir, data) == 0);
    CHECK(file_size(data) == 2 * PG);
    write_file(2 * PG, 2, -1);
    CHECK(ni_mdbfile_reset_unborn(dir, data) == 0);
    /* more than two pages: kept (a commit's pages were written) */
    write_file(2 * PG + 1, 0, -1);
    CHECK(ni_mdbfile_reset_unborn(dir, data) == 0);
    CHECK(file_size(data) == 2 * PG + 1);
    write_file(2 * PG, 0, -1);
    CHECK(ni_mdbfile_reset_unborn(dir, data) == 1);
}

/* Another process holds the index open (LMDB's shared lock on byte 0 of
 * lock.mdb): a creator at work, whose file is left alone. */
static void unborn_in_use(void)
{
    int p[2], fd;
    char c;
    pid_t pid;

    setup();
    write_file(2 * PG, 0, -1);
    CHECK(pipe(p) == 0);
    pid = fork();
    if (pid == 0) {
        struct flock lk = { 0 };
        fd = open(lock_path, O_RDWR | O_CREAT, 0644);
        lk.l_type = F_RDLCK;
        lk.l_whence = SEEK_SET;
        lk.l_len = 1;
        if (fd < 0 || fcntl(fd, F_SETLK, &lk) != 0)
            _exit(1);
        if (write(p[1], "x", 1) != 1)
            _exit(1);
        pause();
        _exit(0);
    }
    CHECK(read(p[0], &c, 1) == 1);
    CHECK(ni_mdbfile_reset_unborn(dir, data) == 0);
    CHECK(file_size(data) == 2 * PG);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    CHECK(ni_mdbfile_reset_unborn(dir, data) == 1);
    close(p[0]);
    close(p[1]);
}

/* LMDB leaves the file short: three commits that each put 100 values of
 * 3,000 bytes (overflow pages) and delete half of them again.  Returns
 * the pages the newest meta page names, or 0. */
static size_t lmdb_short_file(size_t *file_pages)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    MDB_envinfo info;
    static char val[3000];
    int bad = 0;

    memset(val, 'x', sizeof val);
    if (mdb_env_create(&env) || mdb_env_set_mapsize(env, 1 << 26) ||
        mdb_env_open(env, dir, 0, 0644))
        return 0;
    for (int round = 0; round < 3 && !bad; round++) {
        bad = mdb_txn_begin(env, NULL, 0, &txn) || mdb_dbi_open(txn, NULL, 0, &dbi);
        for (int i = 0; i < 100 && !bad; i++) {
            char k[32];
            MDB_val kv = { (size_t)snprintf(k, sizeof k, "k%03d-%d", i, round), k };
            MDB_val vv = { sizeof val, val };
            bad = mdb_put(txn, dbi, &kv, &vv, 0) != 0;
        }
        for (int i = 50; i < 100 && !bad; i++) {
            char k[32];
            MDB_val kv = { (size_t)snprintf(k, sizeof k, "k%03d-%d", i, round), k };
            bad = mdb_del(txn, dbi, &kv, NULL) != 0;
        }
        bad = bad || mdb_txn_commit(txn) != 0;
    }
    bad = bad || mdb_env_info(env, &info) != 0;
    mdb_env_close(env);
    *file_pages = (size_t)file_size(data) / PG;
    return bad ? 0 : info.me_last_pgno + 1;
}

static void loose_tail(void)
{
    size_t pages, want;
    setup();
    want = lmdb_short_file(&pages);
    CHECK(want > 0);
    /* the case itself: LMDB did leave the file short */
    CHECK(pages < want);
    CHECK_RC(ni_mdbfile_check(dir, data), 0);
    /* one page less: a page of the snapshot is missing */
    CHECK(truncate(data, (off_t)(pages - 1) * PG) == 0);
    CHECK_RC(ni_mdbfile_check(dir, data), NI_ECORRUPT);
    CHECK(strstr(ni_errmsg(), "cut short") != NULL);
    /* padded as ni_txn_commit does: whole */
    CHECK(truncate(data, (off_t)want * PG) == 0);
    CHECK_RC(ni_mdbfile_check(dir, data), 0);
}

TEST_MAIN(TEST(unborn), TEST(unborn_in_use), TEST(loose_tail))
