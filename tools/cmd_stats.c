/*
 * cmd_stats.c - "nsearch stats DB": prints ni_index_stats of an index, as
 * "name value" lines or, with --json, one JSON object.
 */
#include "cli.h"

static const char usage[] =
    "usage: " CLI_PROG " stats DB [options]\n"
    "\n"
    "Prints statistics of the index in directory DB.\n"
    "\n"
    "      --json        one JSON object\n"
    "  -h, --help        show this help\n";

static void print_json(const ni_stats *s)
{
    printf("{\"docs\":%llu,\"deleted\":%llu,\"terms\":%llu,\"tokens\":%llu,"
           "\"avg_title_len\":",
           (unsigned long long)s->docs, (unsigned long long)s->deleted,
           (unsigned long long)s->terms, (unsigned long long)s->tokens);
    out_json_num(stdout, s->avg_title_len);
    fputs(",\"avg_body_len\":", stdout);
    out_json_num(stdout, s->avg_body_len);
    printf(",\"index_bytes\":%llu,\"file_bytes\":%llu,\"map_bytes\":%llu,"
           "\"format_version\":%u}\n",
           (unsigned long long)s->index_bytes,
           (unsigned long long)s->file_bytes,
           (unsigned long long)s->map_bytes, (unsigned)s->format_version);
}

static void print_human(const ni_stats *s)
{
    printf("documents        %llu\n", (unsigned long long)s->docs);
    printf("deleted          %llu\n", (unsigned long long)s->deleted);
    printf("terms            %llu\n", (unsigned long long)s->terms);
    printf("tokens           %llu\n", (unsigned long long)s->tokens);
    printf("avg title length %.2f\n", s->avg_title_len);
    printf("avg body length  %.2f\n", s->avg_body_len);
    printf("index bytes      %llu\n", (unsigned long long)s->index_bytes);
    printf("file bytes       %llu\n", (unsigned long long)s->file_bytes);
    printf("map bytes        %llu\n", (unsigned long long)s->map_bytes);
    printf("format version   %u\n", (unsigned)s->format_version);
}

int cmd_stats(int argc, char **argv)
{
    const char *db;
    ni_index *idx;
    ni_stats st;
    int json = 0, rc;

    if ((rc = cli_open_db_arg(&idx, &db, argc, argv, usage, &json, NI_OPEN_READONLY)) != -1)
        return rc;
    rc = ni_index_stats(&st, idx);
    if (rc != 0)
        cli_error("cannot read statistics of '%s': %s", db, cli_errdetail(rc));
    else if (json)
        print_json(&st);
    else
        print_human(&st);
    ni_index_close(idx);
    return rc == 0 ? 0 : EXIT_ERROR;
}
