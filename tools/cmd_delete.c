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
    "all in one commit.  Searches never return them afterwards; the commit\n"
    "rewrites each of their terms whose postings are a fifth or more of\n"
    "deleted documents, and 'nsearch compact' all the others.\n"
    "\n"
    "  -h, --help        show this help\n";

static const cli_opt opts[] = {
    { NULL, 0, 0 },
};

int cmd_delete(int argc, char **argv)
{
    ni_index *idx = NULL;
    ni_shardset *set = NULL;    /* a sharded index: instead of idx */
    cli_list args;
    int k, rc, missing = 0, ret;

    if ((ret = cli_list_args(&args, argc, argv, opts, usage, "no document id given", NULL,
                             NULL)) != -1)
        return ret;
    ret = EXIT_ERROR;
    if (cli_is_sharded(args.db) ? cli_open_shards(&set, args.db, 0) != 0
                                : cli_open_index(&idx, args.db, 0) != 0)
        goto cleanup;
    for (k = 0; k < args.n; k++) {
        const char *id = args.items[k];
        char echo[CLI_ECHO_SIZE];
        rc = set ? ni_shardset_delete(set, id, strlen(id)) : ni_index_delete(idx, id, strlen(id));
        if (rc == NI_ENOTFOUND) {
            cli_error("no document '%s' in '%s'", cli_echo(echo, sizeof echo, id, strlen(id)), args.db);
            missing++;
        } else if (rc < 0) {
            cli_error("cannot delete '%s': %s", cli_echo(echo, sizeof echo, id, strlen(id)),
                      cli_errdetail(rc));
            goto cleanup;
        }
    }
    if ((rc = set ? ni_shardset_commit(set) : ni_index_commit(idx)) < 0) {
        cli_error("cannot commit to '%s': %s", args.db, cli_errdetail(rc));
        goto cleanup;
    }
    ni_index_close(idx);
    idx = NULL;
    ni_shardset_close(set);
    set = NULL;
    fprintf(stderr, CLI_PROG ": deleted %d document%s\n", args.n - missing,
            args.n - missing == 1 ? "" : "s");
    ret = missing ? EXIT_NOHITS : 0;

cleanup:
    ni_index_close(idx);
    ni_shardset_close(set);
    cli_list_free(&args);
    return ret;
}
