/*
 * cmd_query.c - "nsearch query DB QUERY": runs ni_search and prints the hits.
 *
 * Human output, one hit per entry:
 *     1. 12.3456  2024-03-01 10:00:00  Title  [id]
 *         https://url (rubric)
 * (the date is left out when the document has none)
 * and "N hits of M in X ms" on stderr.  --json prints JSON Lines: one object
 * per hit, then {"total":M,"returned":N,"ms":X}.  Exit 0 when the query
 * matched at least one document, 1 when none, 2 on an error.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static const char usage[] =
    "usage: " CLI_PROG " query DB QUERY... [options]\n"
    "\n"
    "Searches the index in directory DB.  Several QUERY arguments are joined\n"
    "with spaces.\n"
    "\n"
    "  -n, --limit K     show at most K hits (default 10)\n"
    "      --offset N    skip the first N hits (default 0)\n"
    "      --or          match any of the words instead of all of them\n"
    "      --sort ORDER  relevance (default) or date (newest first)\n"
    "      --json        JSON Lines: one object per hit, then a summary\n"
    "  -h, --help        show this help\n";

enum { OPT_LIMIT = 1, OPT_OFFSET, OPT_OR, OPT_SORT, OPT_JSON };

static const cli_opt opts[] = {
    { "-n|--limit", OPT_LIMIT, 1 },
    { "--offset", OPT_OFFSET, 1 },
    { "--or", OPT_OR, 0 },
    { "--sort", OPT_SORT, 1 },
    { "--json", OPT_JSON, 0 },
    { NULL, 0, 0 },
};

static void print_hit_json(const ni_hit *h)
{
    printf("{\"rank\":%zu,\"score\":", h->rank);
    out_json_num(stdout, h->score);
    fputs(",\"id\":", stdout);
    out_json_str(stdout, h->id, h->id_len);
    fputs(",\"title\":", stdout);
    out_json_str(stdout, h->title, h->title_len);
    fputs(",\"date\":", stdout);
    out_json_date(stdout, h->date);
    fputs(",\"rubric\":", stdout);
    out_json_str(stdout, h->rubric, h->rubric_len);
    fputs(",\"url\":", stdout);
    out_json_str(stdout, h->url, h->url_len);
    fputs("}\n", stdout);
}

static void print_hit_human(const ni_hit *h, const out_colours *c)
{
    char date[40];
    printf("%s%zu.%s %.4f  ", c->rank, h->rank, c->off, h->score);
    if (h->date != NI_DATE_NONE)
        printf("%s  ", out_date(date, sizeof date, h->date));
    fputs(c->bold, stdout);
    if (h->title && h->title_len)
        out_text(stdout, h->title, h->title_len, 0);
    else
        fputs("(no title)", stdout);
    printf("%s  %s[", c->off, c->id);
    out_text(stdout, h->id, h->id_len, 0);
    printf("]%s\n", c->off);

    int has_url = h->url && h->url_len, has_rubric = h->rubric && h->rubric_len;
    if (has_url || has_rubric) {
        printf("    %s", c->dim);
        if (has_url)
            out_text(stdout, h->url, h->url_len, 0);
        if (has_url && has_rubric)
            fputc(' ', stdout);
        if (has_rubric) {
            fputc('(', stdout);
            out_text(stdout, h->rubric, h->rubric_len, 0);
            fputc(')', stdout);
        }
        printf("%s\n", c->off);
    }
    /* SNIPPET HOOK: when newsindex.h gains a snippet function, print the
     * hit's snippet here as a third, indented line (matched words in
     * c->bold).  Nothing is printed until then. */
}

/* Joins argv-style words with single spaces into a fresh string. */
static char *join_words(char **words, int n)
{
    size_t len = 0;
    for (int i = 0; i < n; i++)
        len += strlen(words[i]) + 1;
    char *s = malloc(len + 1);
    if (!s)
        return NULL;
    s[0] = '\0';
    char *p = s;
    for (int i = 0; i < n; i++) {
        size_t w = strlen(words[i]);
        if (i)
            *p++ = ' ';
        memcpy(p, words[i], w);
        p += w;
    }
    *p = '\0';
    return s;
}

int cmd_query(int argc, char **argv)
{
    ni_search_options so = NI_SEARCH_OPTIONS_INIT;
    int json = 0;
    const char *db = NULL;
    char **words = calloc((size_t)argc + 1, sizeof *words);
    int nwords = 0;
    cli_args a;
    int k, ret = EXIT_ERROR;
    ni_index *idx = NULL;
    ni_hits *hits = NULL;
    char *query = NULL;

    if (!words) {
        cli_error("out of memory");
        return EXIT_ERROR;
    }
    cli_args_init(&a, argc, argv, opts, usage);
    while ((k = cli_next(&a)) != -1) {
        switch (k) {
        case -2:
            goto cleanup;
        case OPT_HELP:
            ret = 0;
            goto cleanup;
        case 0:
            if (!db)
                db = a.pos;
            else
                words[nwords++] = (char *)a.pos;
            break;
        case OPT_LIMIT:
            if (cli_parse_size(&a, a.value, &so.limit) < 0)
                goto cleanup;
            break;
        case OPT_OFFSET:
            if (cli_parse_size(&a, a.value, &so.offset) < 0)
                goto cleanup;
            break;
        case OPT_OR:
            so.default_or = 1;
            break;
        case OPT_SORT:
            if (strcmp(a.value, "relevance") == 0) {
                so.sort = NI_SORT_RELEVANCE;
            } else if (strcmp(a.value, "date") == 0) {
                so.sort = NI_SORT_DATE;
            } else {
                cli_usage_error(&a, "--sort must be 'relevance' or 'date', "
                                "not '%s'", a.value);
                goto cleanup;
            }
            break;
        case OPT_JSON:
            json = 1;
            break;
        }
    }
    if (!db || nwords == 0) {
        cli_usage_error(&a, db ? "no query given" : "no index given");
        goto cleanup;
    }
    query = join_words(words, nwords);
    if (!query) {
        cli_error("out of memory");
        goto cleanup;
    }

    if (cli_open_index(&idx, db, NI_OPEN_READONLY) != 0)
        goto cleanup;

    out_colours c;
    out_colours_init(&c, !json && out_use_colour(stdout));
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = ni_search(&hits, idx, query, strlen(query), &so);
    if (rc == NI_ESYNTAX) {
        cli_error("bad query '%s': %s", query, cli_errdetail(rc));
        goto cleanup;
    }
    if (rc != 0) {
        cli_error("cannot search '%s': %s", db, cli_errdetail(rc));
        goto cleanup;
    }
    size_t returned = 0;
    ni_hit h;
    while ((rc = ni_hits_next(hits, &h)) == 0) {
        returned++;
        if (json)
            print_hit_json(&h);
        else
            print_hit_human(&h, &c);
    }
    double ms = out_elapsed(&t0) * 1e3;
    if (rc < 0) {
        cli_error("cannot read hits from '%s': %s", db, cli_errdetail(rc));
        goto cleanup;
    }
    uint64_t total = ni_hits_total(hits);
    if (json)
        printf("{\"total\":%llu,\"returned\":%zu,\"ms\":%.3f}\n",
               (unsigned long long)total, returned, ms);
    else
        fprintf(stderr, "%zu %s of %llu in %.3f ms\n", returned,
                returned == 1 ? "hit" : "hits", (unsigned long long)total,
                ms);
    ret = total > 0 ? EXIT_HITS : EXIT_NOHITS;

cleanup:
    ni_hits_free(hits);
    ni_index_close(idx);
    free(query);
    free(words);
    return ret;
}
