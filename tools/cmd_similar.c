/*
 * cmd_similar.c - "nsearch similar DB ID": the articles like a document
 * (ni_similar): its near copies, then the documents that best match its
 * most distinctive words.
 *
 * Human output, one line per hit: "1. 0.8750  date  title  [id]" with
 * "  (near copy)" after a copy (its score the estimated share of shingles
 * it has in common), then "N similar of M in X ms" on stderr.  --json: one
 * object per hit ("near_copy":true on a copy), then
 * {"total":M,"returned":N,"ms":X}.  Exit 0 with hits, 1 without (also when
 * there is no document ID: said on stderr), 2 on an error.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static const char usage[] =
    "usage: " CLI_PROG " similar DB ID [options]\n"
    "\n"
    "Lists the articles like document ID of the index in directory DB: its\n"
    "near copies (republished stories) first, then the documents that best\n"
    "match its most distinctive words.\n"
    "\n"
    "  -n, --limit K     show at most K hits (default 10)\n"
    "      --offset N    skip the first N hits (default 0)\n"
    "      --json        JSON Lines: one object per hit, then a summary\n"
    "  -h, --help        show this help\n";

enum { OPT_JSON = 1 };

static const cli_opt opts[] = {
    { "-n|--limit", OPT_LIMIT, 1 },
    { "--offset", OPT_OFFSET, 1 },
    { "--json", OPT_JSON, 0 },
    { NULL, 0, 0 },
};

typedef struct similar_args {
    ni_search_options so;
    int json;
} similar_args;

static int similar_opt(cli_args *a, int key, void *payload)
{
    similar_args *s = payload;
    int rc = cli_search_opt(a, key, &s->so);
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    if (key == OPT_JSON)
        s->json = 1;
    return 0;
}

static void print_hit(const ni_hit *h, int copy, int json)
{
    char date[NI_DATE_BUF];
    if (json) {
        fputc('{', stdout);
        cli_hit_json_members(stdout, h);
        fputs(copy ? ",\"near_copy\":true}\n" : "}\n", stdout);
        return;
    }
    printf("%zu. %.4f  ", h->rank, h->score);
    if (h->date != NI_DATE_NONE)
        printf("%s  ", out_date(date, sizeof date, h->date, h->date_offset, h->date_form));
    if (h->title && h->title_len)
        out_text(stdout, h->title, h->title_len, 0);
    else
        fputs("(no title)", stdout);
    fputs("  [", stdout);
    out_text(stdout, h->id, h->id_len, 0);
    printf("]%s\n", copy ? "  (near copy)" : "");
}

int cmd_similar(int argc, char **argv)
{
    similar_args s = { NI_SEARCH_OPTIONS_INIT, 0 };
    cli_list args;
    ni_index *idx = NULL;
    ni_hits *hits = NULL;
    ni_hit h;
    size_t returned = 0;
    struct timespec t0;
    int rc, ret;

    if ((ret = cli_list_args(&args, argc, argv, opts, usage, "no document id given",
                             similar_opt, &s)) != -1)
        return ret;
    ret = EXIT_ERROR;
    if (args.n != 1) {
        cli_error("similar takes one document id, not %d", args.n);
        goto cleanup;
    }
    if (cli_open_index(&idx, args.db, NI_OPEN_READONLY) != 0)
        goto cleanup;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = ni_similar(&hits, idx, args.items[0], strlen(args.items[0]), &s.so);
    if (rc == NI_ENOTFOUND) {
        cli_error("no document '%s' in '%s'", args.items[0], args.db);
        ret = EXIT_NOHITS;
        goto cleanup;
    }
    if (rc < 0) {
        cli_error("cannot search '%s': %s", args.db, cli_errdetail(rc));
        goto cleanup;
    }
    while ((rc = ni_hits_next(hits, &h)) == 0) {
        print_hit(&h, ni_hits_is_near_copy(hits), s.json);
        returned++;
    }
    if (rc != NI_DONE) {
        cli_error("cannot read hits from '%s': %s", args.db, cli_errdetail(rc));
        goto cleanup;
    }
    double ms = out_elapsed(&t0) * 1e3;
    if (s.json)
        printf("{\"total\":%llu,\"returned\":%zu,\"ms\":%.3f}\n",
               (unsigned long long)ni_hits_total(hits), returned, ms);
    else
        fprintf(stderr, "%zu similar of %llu in %.3f ms\n", returned,
                (unsigned long long)ni_hits_total(hits), ms);
    ret = ni_hits_total(hits) > 0 ? EXIT_HITS : EXIT_NOHITS;

cleanup:
    ni_hits_free(hits);
    ni_index_close(idx);
    cli_list_free(&args);
    return ret;
}
