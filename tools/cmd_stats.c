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

enum { OPT_JSON = 1 };

static const cli_opt opts[] = {
    { "--json", OPT_JSON, 0 },
    { NULL, 0, 0 },
};

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
    const char *db = NULL;
    int json = 0, k, ret = EXIT_ERROR;
    ni_index *idx = NULL;
    cli_args a;

    cli_args_init(&a, argc, argv, opts, usage);
    while ((k = cli_next(&a)) != -1) {
        switch (k) {
        case -2:
            return EXIT_ERROR;
        case OPT_HELP:
            return 0;
        case OPT_JSON:
            json = 1;
            break;
        case 0:
            if (db)
                return cli_usage_error(&a, "unexpected argument '%s'", a.pos);
            db = a.pos;
            break;
        }
    }
    if (!db)
        return cli_usage_error(&a, "no index given");

    if (cli_open_index(&idx, db, NI_OPEN_READONLY) != 0)
        return EXIT_ERROR;
    ni_stats st;
    int rc = ni_index_stats(&st, idx);
    if (rc != 0) {
        cli_error("cannot read statistics of '%s': %s", db, cli_errdetail(rc));
        goto cleanup;
    }
    if (json)
        print_json(&st);
    else
        print_human(&st);
    ret = 0;

cleanup:
    ni_index_close(idx);
    return ret;
}
