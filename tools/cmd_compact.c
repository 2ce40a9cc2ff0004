/*
 * cmd_compact.c - "nsearch compact DB": rewrites the posting lists without
 * deleted documents and returns the space the index does not need to the
 * file system (ni_index_shrink), or with --in-place only the first
 * (ni_index_compact); reports the file's size before and after.  The index
 * is checked first (ni_index_check): compaction reads and rewrites in a
 * write transaction, where LMDB is not guarded against damaged pages
 * (store.c), so a damaged index is refused by the check's read-only walk
 * before compaction touches it.
 */
#include <unistd.h>

#include "cli.h"

static const char usage[] =
    "usage: " CLI_PROG " compact DB [options]\n"
    "\n"
    "Rewrites the index in directory DB without the postings of deleted\n"
    "documents and gives the space it does not need back to the file system:\n"
    "a compacted copy (as '" CLI_PROG " copy') is written next to DB, as\n"
    "'.DB.compact', and takes DB's place in one atomic rename.  Needs free\n"
    "disk space for the copy.  Searches and writers in other processes may\n"
    "keep DB open: writers wait while the copy is made, searches go on.  A\n"
    "killed compact leaves DB whole; the next one removes what it left.  When\n"
    "the file system cannot exchange directories atomically the index is\n"
    "compacted in place and keeps its size (said on stderr).  A damaged index\n"
    "(see '" CLI_PROG " check') is refused.  Progress goes to stderr when it is a\n"
    "terminal.\n"
    "\n"
    "      --in-place    only compact in place: the freed pages are reused by\n"
    "                    later writes, the file keeps its size (fast)\n"
    "  -q, --quiet       no progress display\n"
    "  -h, --help        show this help\n";

enum { OPT_QUIET = 1, OPT_IN_PLACE };

static const cli_opt opts[] = {
    { "-q|--quiet", OPT_QUIET, 0 },
    { "--in-place", OPT_IN_PLACE, 0 },
    { NULL, 0, 0 },
};

/* The progress line on stderr (a terminal). */
typedef struct progress {
    struct timespec t0;
    double last;
    int drawn;
} progress;

static void draw(uint64_t done, uint64_t total, void *payload)
{
    progress *p = payload;
    double t = out_elapsed(&p->t0);
    char b1[32], b2[32];
    if (t - p->last < 0.2 && done < total)
        return;
    p->last = t;
    p->drawn = fprintf(stderr, "\rcompacting: copied %s of %s (%.0f%%)   ",
                       out_bytes(b1, sizeof b1, done), out_bytes(b2, sizeof b2, total),
                       total ? 100.0 * (double)done / (double)total : 100.0);
    fflush(stderr);
}

static int parse(int argc, char **argv, const char **db, int *quiet, int *in_place)
{
    cli_args a;
    int k;
    *db = NULL;
    cli_args_init(&a, argc, argv, opts, usage);
    while ((k = cli_next(&a)) != -1) {
        if (k == -2)
            return EXIT_ERROR;
        if (k == OPT_HELP)
            return 0;
        if (k == OPT_QUIET)
            *quiet = 1;
        else if (k == OPT_IN_PLACE)
            *in_place = 1;
        else if (!*db)
            *db = a.pos;
        else
            return cli_usage_error(&a, "unexpected argument '%s'", a.pos);
    }
    if (!*db)
        return cli_usage_error(&a, "no index given");
    return -1;
}

int cmd_compact(int argc, char **argv)
{
    const char *db;
    ni_index *idx;
    ni_stats before, after;
    ni_shrink_info info;
    progress p = { { 0, 0 }, 0, 0 };
    int rc, quiet = 0, in_place = 0;
    char b1[32], b2[32];
    double secs;

    if ((rc = parse(argc, argv, &db, &quiet, &in_place)) != -1)
        return rc;
    if (cli_open_index(&idx, db, 0) != 0)
        return EXIT_ERROR;
    clock_gettime(CLOCK_MONOTONIC, &p.t0);
    if ((rc = ni_index_check(NULL, idx)) < 0 || (rc = ni_index_stats(&before, idx)) < 0 ||
        (rc = in_place ? ni_index_compact(idx)
                       : ni_index_shrink(&info, idx, quiet || !isatty(STDERR_FILENO) ? NULL
                                                                                      : draw,
                                         &p)) < 0 ||
        (rc = ni_index_stats(&after, idx)) < 0) {
        if (p.drawn)
            fprintf(stderr, "\r%*s\r", p.drawn, "");
        cli_error("cannot compact '%s': %s", db, cli_errdetail(rc));
        ni_index_close(idx);
        return EXIT_ERROR;
    }
    secs = out_elapsed(&p.t0);
    ni_index_close(idx);
    if (p.drawn)
        fprintf(stderr, "\r%*s\r", p.drawn, "");
    fprintf(stderr, CLI_PROG ": compacted '%s': postings of %llu deleted documents dropped",
            db, (unsigned long long)(before.deleted - after.deleted));
    if (in_place)
        fprintf(stderr, ", their pages are free for reuse; the file keeps its size (%s)",
                out_bytes(b1, sizeof b1, after.file_bytes));
    else if (info.swapped)
        fprintf(stderr, "; file %s -> %s, %.0f %%", out_bytes(b1, sizeof b1, info.bytes_before),
                out_bytes(b2, sizeof b2, info.bytes_after),
                info.bytes_before ? 100.0 * (double)info.bytes_after / (double)info.bytes_before
                                  : 100.0);
    fprintf(stderr, ", %.1f s\n", secs);
    if (!in_place && !info.swapped)
        fprintf(stderr, CLI_PROG ": the file of '%s' did not shrink: %s\n", db, info.reason);
    return 0;
}
