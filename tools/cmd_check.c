/*
 * cmd_check.c - "nsearch check DB": verifies the whole index with
 * ni_index_check.  Prints what was walked; exit 0 when the index is
 * consistent, 2 when it is damaged (the first inconsistency named on
 * stderr) or the check could not run.  A sharded index (ni_shardset) is
 * checked shard by shard.
 */
#include "cli.h"

static const char usage[] =
    "usage: " CLI_PROG " check DB [options]\n"
    "\n"
    "Verifies every structure of the index in directory DB.  Exit status 2\n"
    "means the index is damaged (the first inconsistency is named) or could\n"
    "not be checked.\n"
    "\n"
    "      --json        one JSON object\n"
    "  -h, --help        show this help\n";

/* Checks idx (named db), adding its counts to *sum; prints a damage or
 * failure.  0 or <0. */
static int check_one(ni_index *idx, const char *db, ni_index_check_stats *sum)
{
    ni_index_check_stats st = { 0, 0, 0 };
    int rc = ni_index_check(&st, idx);
    if (rc == NI_ECORRUPT)
        cli_error("index '%s' is damaged: %s", db, ni_errmsg());
    else if (rc != 0)
        cli_error("cannot check index '%s': %s", db, cli_errdetail(rc));
    sum->docs += st.docs;
    sum->terms += st.terms;
    sum->blocks += st.blocks;
    return rc;
}

/* Every shard of the sharded index db, one after the other (the terms
 * count each shard's: a term in two shards counts twice). */
static int check_shards(const char *db, ni_index_check_stats *sum)
{
    ni_shardset *set = NULL;
    unsigned i;
    int rc = cli_open_shards(&set, db, NI_OPEN_READONLY);
    for (i = 0; rc == 0 && i < ni_shardset_count(set); i++) {
        char name[4200];
        snprintf(name, sizeof name, "%s/shard-%u", db, i);
        rc = check_one(ni_shardset_shard(set, i), name, sum);
    }
    ni_shardset_close(set);
    return rc;
}

int cmd_check(int argc, char **argv)
{
    ni_index_check_stats st = { 0, 0, 0 };
    ni_index *idx = NULL;
    const char *db;
    const char *pos[1];
    static const char *const missing[] = { "no index given" };
    int json = 0, rc;

    if ((rc = cli_simple_args(argc, argv, usage, pos, 1, missing, &json)) != -1)
        return rc;
    db = pos[0];
    if (cli_is_sharded(db))
        rc = check_shards(db, &st);
    else if ((rc = cli_open_index(&idx, db, NI_OPEN_READONLY)) != 0)
        return EXIT_ERROR;
    else
        rc = check_one(idx, db, &st);
    if (json && (rc == 0 || rc == NI_ECORRUPT)) {
        printf("{\"ok\":%s,\"docs\":%llu,\"terms\":%llu,\"blocks\":%llu}\n",
               rc == 0 ? "true" : "false", (unsigned long long)st.docs,
               (unsigned long long)st.terms, (unsigned long long)st.blocks);
    } else if (rc == 0) {
        printf("ok: %llu documents, %llu terms, %llu posting blocks\n",
               (unsigned long long)st.docs, (unsigned long long)st.terms,
               (unsigned long long)st.blocks);
    }
    ni_index_close(idx);
    return rc == 0 ? 0 : EXIT_ERROR;
}
