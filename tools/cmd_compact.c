/*
 * cmd_compact.c - "nsearch compact DB": rewrites the posting lists without
 * deleted documents (ni_index_compact) and reports the space in use before
 * and after.  The index is checked first (ni_index_check): compaction
 * reads and rewrites in a write transaction, where LMDB is not guarded
 * against damaged pages (store.c), so a damaged index is refused by the
 * check's read-only walk before compaction touches it.
 */
#include "cli.h"

static const char usage[] =
    "usage: " CLI_PROG " compact DB [options]\n"
    "\n"
    "Rewrites the index in directory DB without the postings of deleted\n"
    "documents, so their space is reused by later writes.  The file does not\n"
    "shrink: an LMDB file never gives pages back; '" CLI_PROG " copy DB NEW' writes\n"
    "a compacted copy of its current size.  Searches may run meanwhile.  A\n"
    "damaged index (see '" CLI_PROG " check') is refused.\n"
    "\n"
    "  -h, --help        show this help\n";

int cmd_compact(int argc, char **argv)
{
    const char *db;
    ni_index *idx;
    ni_stats before, after;
    int rc;

    if ((rc = cli_open_db_arg(&idx, &db, argc, argv, usage, NULL, 0)) != -1)
        return rc;
    if ((rc = ni_index_check(NULL, idx)) < 0 || (rc = ni_index_stats(&before, idx)) < 0 ||
        (rc = ni_index_compact(idx)) < 0 ||
        (rc = ni_index_stats(&after, idx)) < 0) {
        cli_error("cannot compact '%s': %s", db, cli_errdetail(rc));
        ni_index_close(idx);
        return EXIT_ERROR;
    }
    ni_index_close(idx);
    {
        char b[32];
        fprintf(stderr, CLI_PROG ": compacted '%s': postings of %llu deleted documents "
                "dropped, their pages are free for reuse; the file keeps its size (%s): "
                "'" CLI_PROG " copy' writes a compact copy\n", db,
                (unsigned long long)(before.deleted - after.deleted),
                out_bytes(b, sizeof b, after.file_bytes));
    }
    return 0;
}
