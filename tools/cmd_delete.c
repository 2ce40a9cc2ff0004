/*
 * cmd_delete.c - "nsearch delete DB ID...": deletes documents by id in one
 * commit.  Exit 0 when every id was deleted, 1 when some were not in the
 * index (named on stderr; the others are still deleted), 2 on an error
 * (nothing is deleted).
 */
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: " CLI_PROG " delete DB ID... [options]\n"
    "\n"
    "Deletes the documents with these ids from the index in directory DB,\n"
    "all in one commit.  Searches never return them afterwards; their space\n"
    "is reused after 'nsearch compact' (or automatically once a quarter of\n"
    "the index is deleted).\n"
    "\n"
    "  -h, --help        show this help\n";

static const cli_opt opts[] = {
    { NULL, 0, 0 },
};

int cmd_delete(int argc, char **argv)
{
    const char *db = NULL;
    ni_index *idx = NULL;
    cli_args a;
    int k, rc, missing = 0, ids = 0, first = 1;

    /* a first pass for the usage errors, before the index is opened */
    cli_args_init(&a, argc, argv, opts, usage);
    while ((k = cli_next(&a)) != -1) {
        if (k == -2)
            return EXIT_ERROR;
        if (k == OPT_HELP)
            return 0;
        if (k == 0) {
            if (!db)
                db = a.pos;
            else
                ids++;
        }
    }
    if (!db)
        return cli_usage_error(&a, "no index given");
    if (!ids)
        return cli_usage_error(&a, "no document id given");
    if (cli_open_index(&idx, db, 0) != 0)
        return EXIT_ERROR;
    cli_args_init(&a, argc, argv, opts, usage);
    while ((k = cli_next(&a)) != -1) {
        if (k != 0)
            continue;
        if (first) {
            first = 0;
            continue;
        }
        rc = ni_index_delete(idx, a.pos, strlen(a.pos));
        if (rc == NI_ENOTFOUND) {
            cli_error("no document '%s' in '%s'", a.pos, db);
            missing++;
        } else if (rc < 0) {
            cli_error("cannot delete '%s': %s", a.pos, cli_errdetail(rc));
            ni_index_close(idx);
            return EXIT_ERROR;
        }
    }
    if ((rc = ni_index_commit(idx)) < 0) {
        cli_error("cannot commit to '%s': %s", db, cli_errdetail(rc));
        ni_index_close(idx);
        return EXIT_ERROR;
    }
    ni_index_close(idx);
    fprintf(stderr, CLI_PROG ": deleted %d document%s\n", ids - missing,
            ids - missing == 1 ? "" : "s");
    return missing ? EXIT_NOHITS : 0;
}
