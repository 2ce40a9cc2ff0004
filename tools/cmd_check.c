/*
 * cmd_check.c - "nsearch check DB": verifies the whole index with
 * ni_index_check.  Prints what was walked; exit 0 when the index is
 * consistent, 2 when it is damaged (the first inconsistency named on
 * stderr) or the check could not run.
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

int cmd_check(int argc, char **argv)
{
    ni_index_check_stats st = { 0, 0, 0 };
    ni_index *idx;
    const char *db;
    int json = 0, rc;

    if ((rc = cli_open_db_arg(&idx, &db, argc, argv, usage, &json, NI_OPEN_READONLY)) != -1)
        return rc;
    rc = ni_index_check(&st, idx);
    if (rc == NI_ECORRUPT)
        cli_error("index '%s' is damaged: %s", db, ni_errmsg());
    else if (rc != 0)
        cli_error("cannot check index '%s': %s", db, cli_errdetail(rc));
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
