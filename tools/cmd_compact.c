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

static const cli_opt opts[] = {
    { NULL, 0, 0 },
};

int cmd_compact(int argc, char **argv)
{
    const char *db = NULL;
    ni_index *idx = NULL;
    ni_stats before, after;

    cli_args a;
    int k, rc;

    cli_args_init(&a, argc, argv, opts, usage);
    while ((k = cli_next(&a)) != -1) {
        if (k == -2)
            return EXIT_ERROR;
        if (k == OPT_HELP)
            return 0;
        if (k == 0) {
            if (db)
                return cli_usage_error(&a, "unexpected argument '%s'", a.pos);
            db = a.pos;
        }
    }
    if (!db)
        return cli_usage_error(&a, "no index given");
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
