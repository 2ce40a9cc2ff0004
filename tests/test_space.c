/*
 * test_space.c - the map's size and the index directory around a create
 * (space.c, envdir.c, their use in store.c): the sizing rules at their
 * boundaries, a reader adopting a file another process grew with its own
 * headroom, and a failed create that removes what it made and nothing
 * else.  (sh_ulimit.sh runs nsearch under `ulimit -v`; test_reliability's
 * full_disk and sh_diskfull.sh the full disk.)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "newsindex.h"
#include "../lib/envdir.h"
#include "../lib/space.h"
#include "test.h"
#include "tmpdir.h"

#define MIB ((uint64_t)1 << 20)
#define U NI_SPACE_UNLIMITED

static int add(ni_index *idx, const char *id, const char *text)
{
    ni_doc d;
    memset(&d, 0, sizeof d);
    d.id = id;
    d.id_len = strlen(id);
    d.text = text;
    d.text_len = strlen(text);
    return ni_index_add(idx, &d);
}

static long total(ni_index *idx, const char *q)
{
    ni_hits *h = NULL;
    long t;
    if (ni_search(&h, idx, q, strlen(q), NULL) < 0)
        return -1;
    t = (long)ni_hits_total(h);
    ni_hits_free(h);
    return t;
}

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* ---- the sizing rules ----------------------------------------------------- */

static void initial_map(void)
{
    /* headroom: half the file, at least 32 MiB, rounded up to a MiB */
    CHECK(ni_space_initial_map(0, U) == 32 * MIB);
    CHECK(ni_space_initial_map(64 * MIB, U) == 96 * MIB);     /* 32 MiB either way */
    CHECK(ni_space_initial_map(64 * MIB + 2, U) == 97 * MIB);
    CHECK(ni_space_initial_map(66 * MIB, U) == 99 * MIB);     /* past it: half */
    CHECK(ni_space_initial_map(1000 * MIB, U) == 1500 * MIB);
    /* under a limit: at most a quarter of the room */
    CHECK(ni_space_initial_map(10 * MIB, 128 * MIB) == 42 * MIB);
    CHECK(ni_space_initial_map(10 * MIB, 124 * MIB) == 41 * MIB);
    CHECK(ni_space_initial_map(10 * MIB, 0) == 10 * MIB);
}

static void want_free(void)
{
    CHECK(ni_space_want_free(600 * MIB, 0, U) == 600 * MIB);
    /* at most half of the free map and the room together */
    CHECK(ni_space_want_free(600 * MIB, 100 * MIB, 300 * MIB) == 200 * MIB);
    CHECK(ni_space_want_free(199 * MIB, 100 * MIB, 300 * MIB) == 199 * MIB);
    CHECK(ni_space_want_free(600 * MIB, 0, 0) == 0);
}

static void grow_target(void)
{
    /* double, or twice the need beyond what is used */
    CHECK(ni_space_grow_target(100 * MIB, 90 * MIB, 1 * MIB, U) == 200 * MIB);
    CHECK(ni_space_grow_target(100 * MIB, 90 * MIB, 55 * MIB, U) == 200 * MIB);
    CHECK(ni_space_grow_target(100 * MIB, 90 * MIB, 56 * MIB, U) == 202 * MIB);
    /* under a limit by at most half the room, but never less than needed */
    CHECK(ni_space_grow_target(100 * MIB, 90 * MIB, 1 * MIB, 100 * MIB) == 150 * MIB);
    CHECK(ni_space_grow_target(100 * MIB, 90 * MIB, 60 * MIB, 100 * MIB) == 150 * MIB);
    CHECK(ni_space_grow_target(100 * MIB, 90 * MIB, 61 * MIB, 100 * MIB) == 151 * MIB);
    /* always more than before */
    CHECK(ni_space_grow_target(100 * MIB, 10 * MIB, 0, 0) == 101 * MIB);
}

/* Reserving again and again under a limit converges: the second reserve
 * of the same need grows nothing. */
static void reserve_converges(void)
{
    uint64_t map = 40 * MIB, used = 30 * MIB, room = 300 * MIB, need = 600 * MIB, want;
    want = ni_space_want_free(need, map - used, room);
    CHECK(want == 155 * MIB);
    map = ni_space_grow_target(map, used, want, room);
    room -= map - 40 * MIB;
    CHECK(map - used >= ni_space_want_free(need, map - used, room));
}

static void can_map(void)
{
    CHECK(ni_space_can_map(0));
    CHECK(ni_space_can_map(64 * MIB));
    CHECK(!ni_space_can_map((uint64_t)1 << 62));
}

/* The file-size limit as LMDB meets it: the file at its limit. */
static void exhausted(void)
{
    const char *dir = test_new_dir();
    char path[300], why[200];
    struct rlimit old, lim;
    int fd;

    CHECK(mkdir(dir, 0777) == 0);
    snprintf(path, sizeof path, "%s/f", dir);
    fd = open(path, O_RDWR | O_CREAT, 0644);
    CHECK(fd >= 0);
    CHECK(ftruncate(fd, (off_t)(8 * MIB)) == 0);
    CHECK(ni_space_exhausted(fd, dir, why, sizeof why) == 0);
    getrlimit(RLIMIT_FSIZE, &old);
    lim = old;
    lim.rlim_cur = 9 * MIB;               /* within a MiB of the file: reached */
    CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0);
    CHECK(ni_space_exhausted(fd, dir, why, sizeof why) == 1);
    CHECK(strstr(why, "file-size limit of 9437184 bytes") != NULL);
    lim.rlim_cur = 9 * MIB + 1;
    CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0);
    CHECK(ni_space_exhausted(fd, dir, why, sizeof why) == 0);
    setrlimit(RLIMIT_FSIZE, &old);
    CHECK(ni_space_exhausted(-1, dir, why, sizeof why) == 0);  /* /tmp has room */
    close(fd);
}

/* ---- another process grows the file --------------------------------------- */

static void reader_adopts_growth(void)
{
    const char *p = test_new_dir();
    char path[256], id[32], text[4096];
    ni_open_options ro = NI_OPEN_OPTIONS_INIT;
    ni_index *w = NULL, *r = NULL;
    ni_stats st;
    pid_t pid;
    int status = 0, i, k;
    size_t n;

    snprintf(path, sizeof path, "%s", p);
    CHECK_RC(ni_index_open(&w, path, NULL), 0);
    CHECK_RC(add(w, "seed", "сводка"), 0);
    CHECK_RC(ni_index_commit(w), 0);
    ni_index_close(w);

    /* a reader with the smallest map LMDB allows: the file itself */
    ro.flags = NI_OPEN_READONLY;
    ro.map_size = 1;
    CHECK_RC(ni_index_open(&r, path, &ro), 0);
    CHECK(total(r, "сводка") == 1);
    pid = fork();
    if (pid == 0) {
        if (ni_index_open(&w, path, NULL) < 0)
            _exit(3);
        for (i = 0; i < 300; i++) {
            snprintf(id, sizeof id, "d%d", i);
            for (n = 0, k = 0; n < sizeof text - 40; k++)
                n += (size_t)snprintf(text + n, sizeof text - n, "сводка%d ", i * 400 + k);
            if (add(w, id, text) < 0)
                _exit(4);
        }
        _exit(ni_index_commit(w) < 0 ? 5 : 0);
    }
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    /* the file is past the reader's map now: its next search maps it again */
    CHECK(total(r, "сводка") == 1);
    CHECK(total(r, "сводка7") == 1);
    CHECK_RC(ni_index_stats(&st, r), 0);
    /* with its own headroom, not the writer's map (LMDB's meta page keeps
     * the largest map a writer used) */
    CHECK(st.map_bytes >= st.file_bytes);
    CHECK(st.map_bytes <= ni_space_initial_map(st.file_bytes, U));
    ni_index_close(r);
}

/* ---- a failed create ------------------------------------------------------ */

static ni_open_options huge_map(void)
{
    ni_open_options o = NI_OPEN_OPTIONS_INIT;
    o.flags = NI_OPEN_CREATE;
    o.map_size = (uint64_t)1 << 62;        /* no address space has room for it */
    return o;
}

static void failed_create_removes_its_directory(void)
{
    ni_open_options o = huge_map();
    ni_index *idx = NULL;
    char path[256];

    snprintf(path, sizeof path, "%s", test_new_dir());
    CHECK(ni_index_open(&idx, path, &o) < 0);
    CHECK(idx == NULL);
    CHECK(!exists(path));
    /* and the path takes an index afterwards */
    CHECK_RC(ni_index_open(&idx, path, NULL), 0);
    ni_index_close(idx);
}

static void failed_create_keeps_what_was_there(void)
{
    ni_open_options o = huge_map();
    ni_index *idx = NULL;
    char path[256], file[300];
    int fd;

    /* an empty directory the caller made stays, empty */
    snprintf(path, sizeof path, "%s", test_new_dir());
    CHECK(mkdir(path, 0777) == 0);
    CHECK(ni_index_open(&idx, path, &o) < 0);
    CHECK(exists(path));
    snprintf(file, sizeof file, "%s/data.mdb", path);
    CHECK(!exists(file));
    snprintf(file, sizeof file, "%s/lock.mdb", path);
    CHECK(!exists(file));

    /* a foreign file stays, and so does the directory */
    snprintf(file, sizeof file, "%s/notes.txt", path);
    fd = open(file, O_WRONLY | O_CREAT, 0644);
    CHECK(fd >= 0 && write(fd, "x", 1) == 1);
    close(fd);
    CHECK(ni_index_open(&idx, path, &o) < 0);
    CHECK(exists(file));
    CHECK(exists(path));
    unlink(file);

    /* an index there stays whole when an open fails */
    CHECK_RC(ni_index_open(&idx, path, NULL), 0);
    CHECK_RC(add(idx, "a", "альфа"), 0);
    CHECK_RC(ni_index_commit(idx), 0);
    ni_index_close(idx);
    CHECK(ni_index_open(&idx, path, &o) < 0);
    snprintf(file, sizeof file, "%s/data.mdb", path);
    CHECK(exists(file));
    CHECK_RC(ni_index_open(&idx, path, NULL), 0);
    CHECK(total(idx, "альфа") == 1);
    ni_index_close(idx);
}

/* The lock LMDB holds while an environment is open keeps its files. */
static void undo_spares_an_open_environment(void)
{
    ni_envdir before = { 1, 0, 0 };
    char path[256], file[300];
    ni_index *idx = NULL;
    pid_t pid;
    int status = 0, fds[2];
    char c;

    snprintf(path, sizeof path, "%s", test_new_dir());
    CHECK(pipe(fds) == 0);
    pid = fork();
    if (pid == 0) {
        close(fds[0]);
        if (ni_index_open(&idx, path, NULL) < 0)
            _exit(3);
        if (write(fds[1], "x", 1) != 1)
            _exit(4);
        sleep(2);
        ni_index_close(idx);
        _exit(0);
    }
    close(fds[1]);
    CHECK(read(fds[0], &c, 1) == 1);
    close(fds[0]);
    ni_envdir_undo(path, &before);        /* as if this process made them */
    snprintf(file, sizeof file, "%s/data.mdb", path);
    CHECK(exists(file));
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ni_envdir_undo(path, &before);        /* nobody has it open now */
    CHECK(!exists(file));
    CHECK(!exists(path));
}

TEST_MAIN(TEST(initial_map), TEST(want_free), TEST(grow_target), TEST(reserve_converges),
          TEST(can_map), TEST(exhausted), TEST(reader_adopts_growth),
          TEST(failed_create_removes_its_directory), TEST(failed_create_keeps_what_was_there),
          TEST(undo_spares_an_open_environment))
