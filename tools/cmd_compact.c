/*
 * cmd_compact.c - "nsearch compact DB": rewrites the posting lists without
 * deleted documents (ni_index_compact) and reports the space in use before
 * and after.
 */
#include "cli.h"

static const char usage[] =
    "usage: " CLI_PROG " compact DB [options]\n"
    "\n"
    "Rewrites the index in directory DB without the postings of deleted\n"
    "documents, so their space is reused.  Searches may run meanwhile.\n"
    "\n"
    "  -h, --help        show this help\n";


int cmd_compact(int argc, char **argv)
{
    const char *db = NULL;
    ni_index *idx = NULL;
    ni_stats before, after;
    int k, rc;
    const char *pos[1];
    static const char *const missing[] = { "no index given" };

    if ((k = cli_simple_args(argc, argv, usage, pos, 1, missing, NULL)) != -1)
        return k;
    db = pos[0];

    if (cli_open_index(&idx, db, 0) != 0)
        return EXIT_ERROR;
    if ((rc = ni_index_stats(&before, idx)) < 0 || (rc = ni_index_compact(idx)) < 0 ||
        (rc = ni_index_stats(&after, idx)) < 0) {
        cli_error("cannot compact '%s': %s", db, cli_errdetail(rc));
        ni_index_close(idx);
        return EXIT_ERROR;
    }
    ni_index_close(idx);
    fprintf(stderr, CLI_PROG ": compacted '%s': postings of %llu deleted documents "
            "dropped, their pages are free for reuse\n", db,
            (unsigned long long)(before.deleted - after.deleted));
    return 0;
}
