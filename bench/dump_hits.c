/*
 * dump_hits.c - every hit of every query, with full-precision scores, for
 * comparing two revisions' answers (bench/same.sh).
 *
 *   dump_hits DIR [--or] [--all-words] [--no-partial] [--approx] [--n N]
 *             [--proximity W] [--fresh SECONDS[,W]] [--fresh-ref UTC] < queries
 *
 * Reads one query a line from stdin; for each prints "q<TAB>query<TAB>total"
 * (or the error code), then "id<TAB>score" per hit (score as %.17g), through
 * the public API only, with NI_SEARCH_IDS_ONLY (and NI_SEARCH_NO_COLLAPSE:
 * documents, not stories).  --approx sets
 * NI_SEARCH_APPROX_TOTAL (pruned top k: the hits must be the same); a
 * partial match (where the library has them) is printed with a "~" after
 * its id.  --proximity W sets the weight of proximity (0: BM25F alone).
 * --fresh sets freshness's half-life in seconds and its weight (default
 * NI_FRESH_WEIGHT), --fresh-ref its reference date in seconds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsindex.h"

#ifdef NI_SEARCH_NO_PARTIAL
#define PARTIAL(h) ni_hits_is_partial(h)
#else
#define PARTIAL(h) 0
#endif

int main(int argc, char **argv)
{
    ni_search_options so = NI_SEARCH_OPTIONS_INIT;
    ni_index *idx;
    ni_open_options oo = NI_OPEN_OPTIONS_INIT;
    char line[65536];
    int i, rc;

    if (argc < 2) {
        fprintf(stderr, "usage: dump_hits DIR [--or] [--all-words] [--no-partial] [--approx] "
                        "[--n N] [--proximity W] [--fresh SECONDS[,W]] [--fresh-ref UTC] "
                        "< queries\n");
        return 2;
    }
    so.limit = 100;
    so.flags = NI_SEARCH_IDS_ONLY;
#ifdef NI_SEARCH_NO_COLLAPSE
    so.flags |= NI_SEARCH_NO_COLLAPSE;  /* every document, as revisions before it */
#endif
    for (i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--or") == 0)
            so.default_or = 1;
        else if (strcmp(argv[i], "--all-words") == 0)
            so.flags |= NI_SEARCH_ALL_WORDS;
#ifdef NI_SEARCH_NO_PARTIAL
        else if (strcmp(argv[i], "--no-partial") == 0)
            so.flags |= NI_SEARCH_NO_PARTIAL;
#endif
        else if (strcmp(argv[i], "--approx") == 0)
            so.flags |= NI_SEARCH_APPROX_TOTAL;
        else if (strcmp(argv[i], "--n") == 0 && i + 1 < argc)
            so.limit = (size_t)strtoul(argv[++i], NULL, 10);
#if NI_SEARCH_OPTIONS_VERSION >= 2
        else if (strcmp(argv[i], "--proximity") == 0 && i + 1 < argc)
            so.proximity = strtod(argv[++i], NULL);
#if NI_SEARCH_OPTIONS_VERSION >= 4
        else if (strcmp(argv[i], "--fresh") == 0 && i + 1 < argc) {
            char *end;
            so.fresh_half_life = strtod(argv[++i], &end);
            if (*end == ',')
                so.fresh_weight = strtod(end + 1, NULL);
        } else if (strcmp(argv[i], "--fresh-ref") == 0 && i + 1 < argc)
            so.fresh_ref = strtoll(argv[++i], NULL, 10);
#endif
#endif
        else {
            fprintf(stderr, "dump_hits: unknown option '%s'\n", argv[i]);
            return 2;
        }
    }
    oo.flags = NI_OPEN_READONLY;
    if ((rc = ni_index_open(&idx, argv[1], &oo)) < 0) {
        fprintf(stderr, "dump_hits: cannot open '%s': %s\n", argv[1], ni_errmsg());
        return 2;
    }
    while (fgets(line, sizeof line, stdin)) {
        size_t n = strcspn(line, "\n");
        ni_hits *hits;
        ni_hit hit;
        line[n] = '\0';
        if ((rc = ni_search(&hits, idx, line, n, &so)) < 0) {
            printf("q\t%s\terror %d\n", line, rc);
            continue;
        }
        printf("q\t%s\t%llu\n", line, (unsigned long long)ni_hits_total(hits));
        while ((rc = ni_hits_next(hits, &hit)) == 0)
            printf("%.*s%s\t%.17g\n", (int)hit.id_len, hit.id, PARTIAL(hits) ? "~" : "",
                   hit.score);
        if (rc != NI_DONE)
            printf("error %d\n", rc);
        ni_hits_free(hits);
    }
    ni_index_close(idx);
    return 0;
}
