/*
 * Power loss on the commit path, simulated by the LD_PRELOAD shim
 * tests/powercut.c (built next to this program as powercut.so).
 *
 * A round starts from an index state S (empty, or the image an earlier cut
 * left) holding commits 1..c0 of a fixed workload, and runs this program
 * as a writer (--child) that makes commits c0+1..c0+COMMITS, writing each
 * commit's number to an acknowledgement file once ni_index_commit has
 * returned.  A first run under the shim counts the events on data.mdb
 * (writes, size changes, syncs: N); then for each K in 1..N a run from a
 * copy of S loses the power during event K, and the image the shim leaves
 * is checked as a restarted writer would find it:
 *   - it opens (ni_index_open with NI_OPEN_CREATE) and ni_index_check
 *     says it is consistent;
 *   - it holds exactly the state after commit c for one c: the last
 *     acknowledged commit or the one in flight (atomic and durable): every
 *     document of that state with its exact text, no other (the stats'
 *     count, each text through ni_index_get, and a search's total);
 * The next round goes on from one of the images (every fourth from an
 * empty directory).  POWERCUT_CUTS (default 300) cuts in all,
 * POWERCUT_SEED the seed; POWERCUT_TEAR and POWERCUT_GARBAGE pass to the
 * shim.  Ends with "N passed, N failed", one case per cut.
 *
 * Commit c of the workload adds documents c<c>-0 .. c<c>-(1 + c % 4) (the
 * first of every third commit 2,000 words, beyond a page, the others 20 to
 * 80 words), replaces c<c-2>-0 with a second version, deletes c<c-3>-1 and
 * sets the document "counter" to "коммит <c>", which tells which commit an
 * image holds.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "newsindex.h"
#include "../lib/store.h"
#include "tmpdir.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define UNDER_SANITIZER 1
#else
#define UNDER_SANITIZER 0
#endif

#define COMMITS 6
#define EARLY 6             /* a new index's first events ... */
#define EARLY_REPEATS 3     /* ... are cut this many more times */
#define CUT_STATUS 99

static const char *const vocab[] = {
    "погода", "выборы", "мэр", "школа", "город", "новость", "президент", "рынок",
    "нефть", "курс", "рубль", "футбол", "матч", "театр", "премьера", "снег",
    "дорога", "мост", "больница", "врач", "суд", "закон", "депутат", "завод",
};
#define NVOCAB (sizeof vocab / sizeof vocab[0])

/* ---- the workload ------------------------------------------------------ */

static int docs_in(int c)
{
    return 2 + c % 4;
}

/* Whether document c<i>-<j> lives after commit c, and in which version. */
static int doc_version(int c, int i, int j)
{
    if (i < 1 || i > c || j < 0 || j >= docs_in(i))
        return 0;
    if (j == 1 && i + 3 <= c)
        return 0;
    return j == 0 && i + 2 <= c ? 2 : 1;
}

static uint64_t live_docs(int c)
{
    uint64_t n = c > 0;                                   /* the counter */
    for (int i = 1; i <= c; i++)
        n += (uint64_t)docs_in(i) - (i + 3 <= c);
    return n;
}

/* The text of c<i>-<j> in version v, into buf (at least 40,000 bytes). */
static size_t doc_text(char *buf, int i, int j, int v)
{
    uint64_t x = ((uint64_t)i * 1000 + (uint64_t)j) * 3 + (uint64_t)v;
    int words = j == 0 && i % 3 == 0 ? 2000 : 20 + (int)((uint64_t)(i * 7 + j) % 61);
    size_t n = (size_t)sprintf(buf, "сводка c%d-%d версия %d:", i, j, v);
    for (int k = 0; k < words; k++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        n += (size_t)sprintf(buf + n, " %s%d", vocab[(x >> 33) % NVOCAB], (int)(x >> 58));
    }
    return n;
}

static int add_text(ni_index *idx, const char *id, const char *text, size_t len)
{
    ni_doc d = NI_DOC_INIT;
    d.id = id;
    d.id_len = strlen(id);
    d.text = text;
    d.text_len = len;
    return ni_index_add(idx, &d);
}

/* The writer: commits c0+1 .. c0+n to dir, acknowledging each in ack. */
static int child_main(const char *dir, const char *ack, int c0, int n)
{
    ni_open_options o = NI_OPEN_OPTIONS_INIT;
    ni_index *idx;
    static char text[40000];
    char id[64], line[32];
    int fd, rc, c;

    if ((fd = open(ack, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644)) < 0)
        return 2;
    o.memory_budget = 16384;
    if ((rc = ni_index_open(&idx, dir, &o)) != 0) {
        fprintf(stderr, "child: open: %s\n", ni_errmsg());
        return 3;
    }
    for (c = c0 + 1; c <= c0 + n; c++) {
        rc = 0;
        /* twice: with a small memory budget the first copy is flushed into
         * the transaction and replaced in it, which frees pages allocated
         * in the same transaction (LMDB's loose pages) */
        for (int twice = 0; twice < 2; twice++)
            for (int j = 0; j < docs_in(c) && !rc; j++) {
                snprintf(id, sizeof id, "c%d-%d", c, j);
                rc = add_text(idx, id, text, doc_text(text, c, j, 1));
            }
        if (!rc && c > 2) {
            snprintf(id, sizeof id, "c%d-0", c - 2);
            rc = add_text(idx, id, text, doc_text(text, c - 2, 0, 2));
        }
        if (!rc && c > 3) {
            snprintf(id, sizeof id, "c%d-1", c - 3);
            rc = ni_index_delete(idx, id, strlen(id));
        }
        if (!rc) {
            int len = snprintf(text, sizeof text, "коммит %d", c);
            rc = add_text(idx, "counter", text, (size_t)len);
        }
        if (!rc)
            rc = ni_index_commit(idx);
        if (rc) {
            fprintf(stderr, "child: commit %d: %s\n", c, ni_errmsg());
            return 4;
        }
        int len = snprintf(line, sizeof line, "%d\n", c);
        if (write(fd, line, (size_t)len) != len)
            return 2;
    }
    ni_index_close(idx);
    close(fd);
    return 0;
}

/* ---- the store workload ------------------------------------------------ */

/* Commit c puts STORE_PUTS values of 3,000 bytes (on overflow pages) as
 * r<c>-<i> into the docs table, deletes the second half of them again and
 * sets "counter" to c: pages allocated and freed in one commit, which LMDB
 * never writes, so that the file ends before the last page its meta page
 * names until ni_txn_commit pads it. */
#define STORE_PUTS 60
#define STORE_VAL 3000

static void store_value(unsigned char *buf, int c, int i)
{
    uint64_t x = (uint64_t)c * 7919 + (uint64_t)i;
    for (int k = 0; k < STORE_VAL; k++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        buf[k] = (unsigned char)(x >> 56);
    }
}

static int store_child(const char *dir, const char *ack, int c0, int n)
{
    ni_store *s;
    ni_txn *t;
    static unsigned char val[STORE_VAL];
    char key[32], line[32];
    int fd, rc, c;

    if ((fd = open(ack, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644)) < 0)
        return 2;
    if ((rc = ni_store_open(&s, dir, 0, 0, 1)) != 0) {
        fprintf(stderr, "child: open: %s\n", ni_errmsg());
        return 3;
    }
    for (c = c0 + 1; c <= c0 + n; c++) {
        if ((rc = ni_txn_begin(&t, s, 1)) != 0)
            break;
        for (int i = 0; i < STORE_PUTS && !rc; i++) {
            snprintf(key, sizeof key, "r%d-%d", c, i);
            store_value(val, c, i);
            rc = ni_txn_put(t, NI_T_DOCS, key, strlen(key), val, sizeof val);
        }
        for (int i = STORE_PUTS / 2; i < STORE_PUTS && !rc; i++) {
            snprintf(key, sizeof key, "r%d-%d", c, i);
            rc = ni_txn_del(t, NI_T_DOCS, key, strlen(key));
        }
        if (!rc)
            rc = ni_txn_put(t, NI_T_DOCS, "counter", 7, &c, sizeof c);
        if (rc) {
            ni_txn_abort(t);
            break;
        }
        if ((rc = ni_txn_commit(t)) != 0)
            break;
        int len = snprintf(line, sizeof line, "%d\n", c);
        if (write(fd, line, (size_t)len) != len)
            return 2;
    }
    if (rc)
        fprintf(stderr, "child: commit %d: %s\n", c, ni_errmsg());
    ni_store_close(s);
    close(fd);
    return rc ? 4 : 0;
}

/* The store workload's check_image. */
static int check_store(const char *dir, int lo, int hi, char *msg, size_t size)
{
    ni_store *s = NULL;
    ni_txn *t = NULL;
    ni_val v;
    uint64_t count;
    static unsigned char val[STORE_VAL];
    char key[32];
    int rc, c = 0, result = -1;

    if ((rc = ni_store_open(&s, dir, 0, 0, 1)) != 0) {
        snprintf(msg, size, "does not open: %s", ni_errmsg());
        return -1;
    }
    if ((rc = ni_txn_begin(&t, s, 0)) != 0) {
        snprintf(msg, size, "cannot read: %s", ni_errmsg());
        goto done;
    }
    rc = ni_txn_get(t, NI_T_DOCS, "counter", 7, &v);
    if (rc == 0 && v.len == sizeof c)
        memcpy(&c, v.data, sizeof c);
    else if (rc != NI_ENOTFOUND) {
        snprintf(msg, size, "the counter: %s", rc ? ni_errmsg() : "not an int");
        goto done;
    }
    if (c < lo || c > hi) {
        snprintf(msg, size, "holds commit %d, acknowledged %d%s", c, lo,
                 c < lo ? ": a committed batch is lost" : "");
        goto done;
    }
    if ((rc = ni_txn_count(t, NI_T_DOCS, &count)) != 0 ||
        count != (uint64_t)c * (STORE_PUTS / 2) + (c > 0)) {
        snprintf(msg, size, "commit %d: %llu values, want %llu", c,
                 rc ? 0ULL : (unsigned long long)count,
                 (unsigned long long)c * (STORE_PUTS / 2) + (c > 0));
        goto done;
    }
    for (int i = 1; i <= c; i++)
        for (int j = 0; j < STORE_PUTS / 2; j++) {
            snprintf(key, sizeof key, "r%d-%d", i, j);
            store_value(val, i, j);
            if ((rc = ni_txn_get(t, NI_T_DOCS, key, strlen(key), &v)) != 0 ||
                v.len != sizeof val || memcmp(v.data, val, sizeof val) != 0) {
                snprintf(msg, size, "commit %d: %s %s", c, key, rc ? "is lost" : "differs");
                goto done;
            }
        }
    result = c;
done:
    ni_txn_abort(t);
    ni_store_close(s);
    return result;
}

/* ---- the driver -------------------------------------------------------- */

static int store_mode;      /* the driver's workload: the store's or the index's */

static char shim[4096], self[4096], root[1024];

static int copy_file(const char *from, const char *to)
{
    char buf[65536];
    ssize_t n;
    int in = open(from, O_RDONLY), out;
    if (in < 0)
        return errno == ENOENT ? 0 : -1;
    out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0) {
        close(in);
        return -1;
    }
    while ((n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) != n)
            n = -1;
    close(in);
    close(out);
    return n < 0 ? -1 : 0;
}

/* A fresh directory dir holding a copy of state's data.mdb (state NULL or
 * without one: empty). */
static void fresh_dir(const char *dir, const char *state_file)
{
    char cmd[8300], path[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0 || mkdir(dir, 0755) != 0) {
        perror(dir);
        exit(2);
    }
    snprintf(path, sizeof path, "%s/data.mdb", dir);
    if (state_file && copy_file(state_file, path) != 0) {
        perror(path);
        exit(2);
    }
}

/* Runs the writer on dir under the shim; returns its wait status. */
static int run_child(const char *dir, int c0, int at, uint64_t seed, const char *out,
                     const char *count)
{
    char file[1200], ack[1200], errp[1200], c0s[16], ns[16], ats[24], seeds[24];
    pid_t pid;
    int st;
    snprintf(file, sizeof file, "%s/data.mdb", dir);
    snprintf(ack, sizeof ack, "%s/ack", root);
    snprintf(errp, sizeof errp, "%s/child.err", root);
    snprintf(c0s, sizeof c0s, "%d", c0);
    snprintf(ns, sizeof ns, "%d", COMMITS);
    snprintf(ats, sizeof ats, "%d", at);
    snprintf(seeds, sizeof seeds, "%llu", (unsigned long long)seed);
    pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(2);
    }
    if (pid == 0) {
        int efd = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (efd >= 0)
            dup2(efd, 2);
        setenv("LD_PRELOAD", shim, 1);
        setenv("POWERCUT_FILE", file, 1);
        setenv("POWERCUT_SEED", seeds, 1);
        if (at) {
            setenv("POWERCUT_AT", ats, 1);
            setenv("POWERCUT_OUT", out, 1);
        } else {
            setenv("POWERCUT_COUNT", count, 1);
        }
        alarm(120);
        execl(self, self, store_mode ? "--store" : "--child", dir, ack, c0s, ns, (char *)NULL);
        _exit(127);
    }
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) {
            perror("waitpid");
            exit(2);
        }
    return st;
}

/* The last commit the writer acknowledged, or c0. */
static int last_ack(int c0)
{
    char path[1200], buf[4096];
    int fd, last = c0;
    ssize_t n;
    snprintf(path, sizeof path, "%s/ack", root);
    if ((fd = open(path, O_RDONLY)) < 0)
        return c0;
    n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n > 0) {
        char *p = buf, *nl;
        buf[n] = 0;
        while ((nl = strchr(p, '\n')) != NULL) {
            last = atoi(p);
            p = nl + 1;
        }
    }
    return last;
}

static void child_err(char *buf, size_t size)
{
    char path[1200];
    ssize_t n;
    int fd;
    snprintf(path, sizeof path, "%s/child.err", root);
    buf[0] = 0;
    if ((fd = open(path, O_RDONLY)) < 0)
        return;
    n = read(fd, buf, size - 1);
    close(fd);
    buf[n > 0 ? n : 0] = 0;
    if (n > 0 && buf[n - 1] == '\n')
        buf[n - 1] = 0;
}

/* Checks the index in dir: returns the commit it holds, or -1 with why in msg. */
static int check_index(const char *dir, int lo, int hi, char *msg, size_t size)
{
    ni_open_options o = NI_OPEN_OPTIONS_INIT;
    ni_index *idx = NULL;
    ni_doc *d = NULL;
    ni_stats st;
    ni_hits *h = NULL;
    static char text[40000];
    char id[64];
    int rc, c = 0, result = -1;

    if ((rc = ni_index_open(&idx, dir, &o)) != 0) {
        snprintf(msg, size, "does not open: %s", ni_errmsg());
        return -1;
    }
    if ((rc = ni_index_check(NULL, idx)) != 0) {
        snprintf(msg, size, "check: %s", ni_errmsg());
        goto done;
    }
    rc = ni_index_get(&d, idx, "counter", 7);
    if (rc == 0) {
        if (d->text_len < 14 || memcmp(d->text, "коммит ", 13) != 0) {
            snprintf(msg, size, "the counter reads '%.*s'", (int)d->text_len, d->text);
            goto done;
        }
        c = atoi(d->text + 13);
    } else if (rc != NI_ENOTFOUND) {
        snprintf(msg, size, "get counter: %s", ni_errmsg());
        goto done;
    }
    ni_doc_free(d);
    d = NULL;
    if (c < lo || c > hi) {
        snprintf(msg, size, "holds commit %d, acknowledged %d%s", c, lo,
                 c < lo ? ": a committed batch is lost" : "");
        goto done;
    }
    if ((rc = ni_index_stats(&st, idx)) != 0 || st.docs != live_docs(c)) {
        snprintf(msg, size, "commit %d: %llu documents, want %llu (%s)", c,
                 rc ? 0ULL : (unsigned long long)st.docs, (unsigned long long)live_docs(c),
                 rc ? ni_errmsg() : "stats");
        goto done;
    }
    for (int i = 1; i <= c + 1; i++) {
        for (int j = 0; j < 6; j++) {
            int v = doc_version(c, i, j);
            snprintf(id, sizeof id, "c%d-%d", i, j);
            rc = ni_index_get(&d, idx, id, strlen(id));
            if (v == 0 && rc != NI_ENOTFOUND) {
                snprintf(msg, size, "commit %d: %s is there (%d: %s)", c, id, rc,
                         rc ? ni_errmsg() : "found");
                goto done;
            }
            if (v != 0) {
                size_t n = doc_text(text, i, j, v);
                if (rc != 0) {
                    snprintf(msg, size, "commit %d: %s version %d is lost: %s", c, id, v,
                             ni_errmsg());
                    goto done;
                }
                if (d->text_len != n || memcmp(d->text, text, n) != 0) {
                    snprintf(msg, size, "commit %d: %s has another text than version %d",
                             c, id, v);
                    goto done;
                }
            }
            ni_doc_free(d);
            d = NULL;
        }
    }
    if ((rc = ni_search(&h, idx, "сводка", strlen("сводка"), NULL)) != 0 ||
        ni_hits_total(h) + (c > 0) != live_docs(c)) {
        snprintf(msg, size, "commit %d: a search finds %llu documents of %llu", c,
                 rc ? 0ULL : (unsigned long long)ni_hits_total(h),
                 (unsigned long long)live_docs(c) - (c > 0));
        goto done;
    }
    result = c;
done:
    ni_hits_free(h);
    ni_doc_free(d);
    ni_index_close(idx);
    return result;
}

static int check_image(const char *dir, int lo, int hi, char *msg, size_t size)
{
    return store_mode ? check_store(dir, lo, hi, msg, size) : check_index(dir, lo, hi, msg, size);
}

static void remove_root(void)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", root);
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 31;
    x *= 0x7fb5d5e5d1b2a2b5ULL;
    x ^= x >> 29;
    return x;
}

static char state[1100], work[1100], img[1100], next[1100], count[1100], imgdir[1100];

/* Rounds of the workload until cuts cuts: adds to *passed and *failed. */
static void rounds(int cuts, uint64_t seed, int *passed, int *failed)
{
    char msg[600], err[2048];
    int done = 0, round = 0, c_state = 0, have_state = 0;
    long landed = 0, inflight = 0, writes_total = 0, syncs_total = 0;
    long sizes_total = 0;

    while (done < cuts) {
        unsigned long long events = 0, writes = 0, syncs = 0, sizes = 0, extra;
        int st, pick, next_c = -1;
        FILE *f;

        if (round % 4 == 0)
            have_state = 0, c_state = 0;
        /* the run without a cut: how many events, and its end state */
        fresh_dir(work, have_state ? state : NULL);
        st = run_child(work, c_state, 0, seed, NULL, count);
        child_err(err, sizeof err);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || !(f = fopen(count, "r"))) {
            fprintf(stderr, "round %d: the writer without a cut failed (%d): %s\n", round,
                    st, err);
            (*failed)++;
            break;
        }
        if (fscanf(f, "events %llu writes %llu syncs %llu sizes %llu", &events, &writes,
                   &syncs, &sizes) != 4)
            events = 0;
        writes_total += (long)writes;
        syncs_total += (long)syncs;
        sizes_total += (long)sizes;
        fclose(f);
        if (check_image(work, c_state + COMMITS, c_state + COMMITS, msg, sizeof msg) < 0) {
            fprintf(stderr, "round %d: the writer without a cut: %s\n", round, msg);
            (*failed)++;
        }
        pick = 1 + (int)(mix(seed + (uint64_t)round) % (events ? events : 1));
        /* the first events of a new index (its creation) cut again with
         * other choices: few, and where a new file is fragile */
        extra = have_state ? 0 : EARLY_REPEATS * (events < EARLY ? events : EARLY);
        for (unsigned long long t = 1; t <= events + extra && done < cuts; t++, done++) {
            unsigned long long k = t <= events ? t : (t - events - 1) % EARLY + 1;
            uint64_t cut_seed = seed + (uint64_t)round +
                                (t <= events ? 0 : 1000003 * (1 + (t - events - 1) / EARLY));
            int acked, c;
            fresh_dir(work, have_state ? state : NULL);
            if (!have_state)
                rmdir(work);        /* the writer makes it: its entry too */
            unlink(img);
            st = run_child(work, c_state, (int)k, cut_seed, img, NULL);
            child_err(err, sizeof err);
            acked = last_ack(c_state);
            if (!WIFEXITED(st) || (WEXITSTATUS(st) != CUT_STATUS && WEXITSTATUS(st) != 0)) {
                fprintf(stderr, "round %d cut %llu: the writer ended with status %d: %s\n",
                        round, k, st, err);
                (*failed)++;
                continue;
            }
            {
                /* the shim says the file's directory entry was lost */
                char gone[1300];
                snprintf(gone, sizeof gone, "%s.gone", img);
                fresh_dir(imgdir, WEXITSTATUS(st) == 0 || unlink(gone) == 0 ? NULL : img);
            }
            if (WEXITSTATUS(st) == 0) {
                char from[1300];
                snprintf(from, sizeof from, "%s/data.mdb", work);
                fresh_dir(imgdir, from);
            }
            c = check_image(imgdir, acked, WEXITSTATUS(st) == 0 ? acked : acked + 1, msg,
                            sizeof msg);
            if (c < 0) {
                fprintf(stderr, "FAIL round %d (from commit %d, seed %llu) cut at event "
                        "%llu of %llu: %s\n  %s\n", round, c_state,
                        (unsigned long long)cut_seed, k, events, msg, err);
                (*failed)++;
                continue;
            }
            (*passed)++;
            if (WEXITSTATUS(st) == CUT_STATUS && acked < c_state + COMMITS) {
                inflight++;
                landed += c > acked;
            }
            if ((int)t == pick) {
                char from[1300];
                snprintf(from, sizeof from, "%s/data.mdb", imgdir);
                if (copy_file(from, next) == 0)
                    next_c = c;
            }
        }
        if (next_c >= 0) {
            rename(next, state);
            c_state = next_c;
            have_state = 1;
        }
        round++;
    }
    printf("%s: %d power cuts in %d rounds (events: %ld writes, %ld syncs, %ld size "
           "changes), seed %llu; a commit in flight landed in %ld of %ld cuts\n",
           store_mode ? "store" : "index", done, round, writes_total, syncs_total,
           sizes_total, (unsigned long long)seed, landed, inflight);
}

static int driver(void)
{
    const char *v;
    int cuts = (v = getenv("POWERCUT_CUTS")) ? atoi(v) : 250;
    int store_cuts = (v = getenv("POWERCUT_STORE_CUTS")) ? atoi(v) : 50;
    uint64_t seed = (v = getenv("POWERCUT_SEED")) ? strtoull(v, NULL, 10)
                                                  : (uint64_t)time(NULL);
    int passed = 0, failed = 0;
    ssize_t n;

    n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return 2;
    self[n] = 0;
    snprintf(shim, sizeof shim, "%.*s/powercut.so", (int)(strrchr(self, '/') - self), self);
    if (access(shim, R_OK) != 0) {
        fprintf(stderr, "no shim at %s\n", shim);
        printf("0 passed, 1 failed\n");
        return 1;
    }
    /* the shim stands for the disk: the real files may as well be in
     * memory, where the writers' syncs cost nothing */
    snprintf(root, sizeof root, "/dev/shm/ni-powercut-XXXXXX");
    if (mkdtemp(root))
        atexit(remove_root);
    else if (snprintf(root, sizeof root, "%s", test_new_dir()) < 0 || mkdir(root, 0755) != 0) {
        perror(root);
        return 2;
    }
    snprintf(state, sizeof state, "%s/state.mdb", root);
    snprintf(next, sizeof next, "%s/next.mdb", root);
    snprintf(work, sizeof work, "%s/work", root);
    snprintf(img, sizeof img, "%s/image.mdb", root);
    snprintf(imgdir, sizeof imgdir, "%s/image", root);
    snprintf(count, sizeof count, "%s/count", root);
    rounds(cuts, seed, &passed, &failed);
    store_mode = 1;
    rounds(store_cuts, seed, &passed, &failed);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}

int main(int argc, char **argv)
{
    if (argc == 6 && strcmp(argv[1], "--child") == 0)
        return child_main(argv[2], argv[3], atoi(argv[4]), atoi(argv[5]));
    if (argc == 6 && strcmp(argv[1], "--store") == 0)
        return store_child(argv[2], argv[3], atoi(argv[4]), atoi(argv[5]));
    if (UNDER_SANITIZER) {
        /* the shim, preloaded, is not instrumented: run by the normal build only */
        printf("power cuts: skipped under sanitizers\n0 passed, 0 failed\n");
        return 0;
    }
    return driver();
}
