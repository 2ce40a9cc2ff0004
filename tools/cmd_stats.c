/*
 * cmd_stats.c - "nsearch stats DB": prints ni_index_stats of an index, its
 * date range and its rubrics with their documents (ni_index_facets), as
 * "name value" lines or, with --json, one JSON object.
 */
#include "cli.h"

static const char usage[] =
    "usage: " CLI_PROG " stats DB [options]\n"
    "\n"
    "Prints statistics of the index in directory DB: its documents, terms and\n"
    "sizes, the dates of its oldest and newest documents, and its rubrics with\n"
    "the number of documents in each (most first).\n"
    "\n"
    "      --json        one JSON object\n"
    "  -h, --help        show this help\n";

/* "first date", "last date", "undated", then "rubrics N" and a line per
 * rubric, "  NAME  COUNT" ("(no rubric)" last, for documents without). */
static void print_facets_human(const ni_facets *f)
{
    ni_facet rub, year;
    int64_t first, last;
    char date[40];
    size_t j;
    ni_facets_span(f, &first, &last);
    if (ni_facets_get(&rub, f, 0) < 0 || ni_facets_get(&year, f, 1) < 0)
        return;
    printf("first date       %s\n",
           first == NI_DATE_NONE ? "-" : out_date(date, sizeof date, first, 0, 0));
    printf("last date        %s\n",
           last == NI_DATE_NONE ? "-" : out_date(date, sizeof date, last, 0, 0));
    printf("undated          %llu\n", (unsigned long long)year.missing);
    printf("rubrics          %zu\n", rub.nbuckets);
    for (j = 0; j < rub.nbuckets; j++) {
        fputs("  ", stdout);
        out_text(stdout, rub.buckets[j].value, rub.buckets[j].value_len, 0);
        printf("  %llu\n", (unsigned long long)rub.buckets[j].count);
    }
    if (rub.missing)
        printf("  (no rubric)  %llu\n", (unsigned long long)rub.missing);
}

static void print_human(const ni_stats *s, const ni_facets *f)
{
    printf("documents        %llu\n", (unsigned long long)s->docs);
    printf("deleted          %llu\n", (unsigned long long)s->deleted);
    printf("terms            %llu\n", (unsigned long long)s->terms);
    printf("tokens           %llu\n", (unsigned long long)s->tokens);
    printf("avg title length %.2f\n", s->avg_title_len);
    printf("avg body length  %.2f\n", s->avg_body_len);
    {
        /* sizes a person reads, with the exact count (--json has it raw) */
        char b[32];
        printf("index size       %s (%llu bytes)\n", out_bytes(b, sizeof b, s->index_bytes),
               (unsigned long long)s->index_bytes);
        printf("file size        %s (%llu bytes)\n", out_bytes(b, sizeof b, s->file_bytes),
               (unsigned long long)s->file_bytes);
        printf("map size         %s (%llu bytes)\n", out_bytes(b, sizeof b, s->map_bytes),
               (unsigned long long)s->map_bytes);
    }
    printf("format version   %u\n", (unsigned)s->format_version);
    print_facets_human(f);
}

int cmd_stats(int argc, char **argv)
{
    const char *db;
    ni_index *idx;
    ni_facets *f = NULL;
    ni_stats st;
    int json = 0, rc;

    if ((rc = cli_open_db_arg(&idx, &db, argc, argv, usage, &json, NI_OPEN_READONLY)) != -1)
        return rc;
    rc = ni_index_stats(&st, idx);
    if (rc == 0)
        rc = ni_index_facets(&f, idx, "rubric,date:year", 16);
    if (rc != 0)
        cli_error("cannot read statistics of '%s': %s", db, cli_errdetail(rc));
    else if (json) {
        cli_stats_json(stdout, &st, f);
        fputc('\n', stdout);
    } else {
        print_human(&st, f);
    }
    ni_facets_free(f);
    ni_index_close(idx);
    return rc == 0 ? 0 : EXIT_ERROR;
}
