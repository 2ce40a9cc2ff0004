/*
 * facets.c - printing facets (ni_facets) for "nsearch query --facets" and
 * "nsearch stats": as a JSON member, and as a short block of text.  Only
 * formats what the library counted.
 */
#include <string.h>

#include "cli.h"

/* At most this many buckets a facet shows in text (--json has all). */
#define TEXT_BUCKETS 10

void cli_facet_json(FILE *f, const ni_facet *fc)
{
    size_t j;
    fputc('[', f);
    for (j = 0; j < fc->nbuckets; j++) {
        fputs(j ? ",{\"value\":" : "{\"value\":", f);
        out_json_str(f, fc->buckets[j].value, fc->buckets[j].value_len);
        fprintf(f, ",\"count\":%llu}", (unsigned long long)fc->buckets[j].count);
    }
    if (fc->missing)
        fprintf(f, "%s{\"value\":null,\"count\":%llu}", j ? "," : "",
                (unsigned long long)fc->missing);
    fputc(']', f);
}

void cli_facets_json(FILE *f, const ni_facets *fs)
{
    size_t i, n = ni_facets_count(fs);
    fputs(",\"facets\":{", f);
    for (i = 0; i < n; i++) {
        ni_facet fc;
        if (ni_facets_get(&fc, fs, i) < 0)
            break;
        if (i)
            fputc(',', f);
        out_json_str(f, fc.name, strlen(fc.name));
        fputc(':', f);
        cli_facet_json(f, &fc);
    }
    fputc('}', f);
}

/* "value count" with a separator before all but the first. */
static void put_bucket(FILE *f, const char *value, size_t len, uint64_t count, int first)
{
    if (!first)
        fputs(", ", f);
    out_text(f, value, len, 0);
    fprintf(f, " %llu", (unsigned long long)count);
}

/* One facet on one line: "rubric: Политика 12, Общество 7, (none) 1".
 * Rubrics: the TEXT_BUCKETS largest, then "... N more"; dates: the
 * TEXT_BUCKETS newest, after "N older ...". */
static void facet_human(FILE *f, const ni_facet *fc)
{
    int rubric = strcmp(fc->name, "rubric") == 0;
    size_t n = fc->nbuckets, from = 0, to = n, j;

    if (n > TEXT_BUCKETS) {
        if (rubric)
            to = TEXT_BUCKETS;
        else
            from = n - TEXT_BUCKETS;
    }
    fprintf(f, "  %s: ", fc->name);
    if (from)
        fprintf(f, "%zu older ..., ", from);
    for (j = from; j < to; j++)
        put_bucket(f, fc->buckets[j].value, fc->buckets[j].value_len, fc->buckets[j].count,
                   j == from);
    if (to < n)
        fprintf(f, ", ... %zu more", n - to);
    if (fc->missing)
        put_bucket(f, rubric ? "(no rubric)" : "(no date)", rubric ? 11 : 9, fc->missing,
                   n == 0);
    if (!n && !fc->missing)
        fputs("-", f);
    fputc('\n', f);
}

void cli_facets_human(FILE *f, const ni_facets *fs)
{
    size_t i, n = ni_facets_count(fs);
    uint64_t total = ni_facets_total(fs);
    fprintf(f, "facets of %llu %s:\n", (unsigned long long)total,
            total == 1 ? "match" : "matches");
    for (i = 0; i < n; i++) {
        ni_facet fc;
        if (ni_facets_get(&fc, fs, i) == 0)
            facet_human(f, &fc);
    }
}
