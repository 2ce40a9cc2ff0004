/*
 * cmd_copy.c - "nsearch copy SRC DST": writes a compacted copy of the index
 * in SRC into the new directory DST (ni_index_copy) and reports the sizes
 * of both data files.
 */
#include "cli.h"

static const char usage[] =
    "usage: " CLI_PROG " copy SRC DST [options]\n"
    "\n"
    "Writes a copy of the index in directory SRC into directory DST (created\n"
    "when absent; it must not hold an index) with every table rewritten in\n"
    "key order, so that its pages are full: an index built in several\n"
    "commits or flushes shrinks.  The copy is the committed state of SRC when\n"
    "the copy starts; SRC may be written meanwhile.  DST holds either the\n"
    "whole copy or, after a failure, no index.  Sizes go to stderr.\n"
    "\n"
    "      --json        the sizes as one JSON object on stdout\n"
    "  -h, --help        show this help\n";

int cmd_copy(int argc, char **argv)
{
    const char *pos[2];
    static const char *const missing[] = { "no index given", "no destination given" };
    ni_index *src = NULL, *dst = NULL;
    ni_stats before, after;
    struct timespec t0;
    char b1[32], b2[32];
    int json = 0, k, rc;
    double secs;

    if ((k = cli_simple_args(argc, argv, usage, pos, 2, missing, &json)) != -1)
        return k;
    if (cli_open_index(&src, pos[0], NI_OPEN_READONLY) != 0)
        return EXIT_ERROR;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if ((rc = ni_index_stats(&before, src)) < 0 ||
        (rc = ni_index_copy(src, pos[1], NI_COPY_DEFAULT)) < 0) {
        cli_error("cannot copy '%s' to '%s': %s", pos[0], pos[1], cli_errdetail(rc));
        ni_index_close(src);
        return EXIT_ERROR;
    }
    secs = out_elapsed(&t0);
    ni_index_close(src);
    if (cli_open_index(&dst, pos[1], NI_OPEN_READONLY) != 0)
        return EXIT_ERROR;
    rc = ni_index_stats(&after, dst);
    ni_index_close(dst);
    if (rc < 0) {
        cli_error("cannot read statistics of '%s': %s", pos[1], cli_errdetail(rc));
        return EXIT_ERROR;
    }
    if (json)
        printf("{\"docs\":%llu,\"src_bytes\":%llu,\"dst_bytes\":%llu,\"seconds\":%.3f}\n",
               (unsigned long long)after.docs, (unsigned long long)before.file_bytes,
               (unsigned long long)after.file_bytes, secs);
    fprintf(stderr, CLI_PROG ": copied '%s' to '%s': %llu documents, %llu bytes (%s) -> "
            "%llu bytes (%s), %.0f %%, %.1f s\n", pos[0], pos[1],
            (unsigned long long)after.docs, (unsigned long long)before.file_bytes,
            out_bytes(b1, sizeof b1, before.file_bytes),
            (unsigned long long)after.file_bytes, out_bytes(b2, sizeof b2, after.file_bytes),
            before.file_bytes ? 100.0 * (double)after.file_bytes / (double)before.file_bytes : 100.0,
            secs);
    return 0;
}
