/*
 * dedup_pairs.c - the near-duplicate decision of the library on pairs of
 * documents of an index (bench/dedup/evaluate.py reads its output).
 *
 *   dedup_pairs DIR < pairs.tsv
 *
 * Reads lines "id_a<TAB>id_b[<TAB>anything]" (lines starting with # are
 * skipped); fetches both documents, computes their signatures as indexing
 * does (ni_invert_doc, minhash.h) and prints the line followed by
 * "<TAB>estimate<TAB>near" (the estimated Jaccard similarity, and 1 when
 * a search folds one into the other, else 0), or "<TAB>missing".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsindex.h"
#include "../lib/invert.h"
#include "../lib/minhash.h"

static int signature(ni_index *idx, ni_inverter *inv, const char *id, size_t len,
                     unsigned char sig[NI_SIG_BYTES])
{
    ni_doc_terms dt;
    ni_doc *d = NULL;
    int rc;
    memset(&dt, 0, sizeof dt);
    if ((rc = ni_index_get(&d, idx, id, len)) == 0 && (rc = ni_invert_doc(inv, d, &dt)) == 0)
        memcpy(sig, dt.sig, NI_SIG_BYTES);
    ni_doc_terms_free(&dt);
    ni_doc_free(d);
    return rc;
}

int main(int argc, char **argv)
{
    ni_open_options oo = NI_OPEN_OPTIONS_INIT;
    ni_index *idx = NULL;
    ni_inverter *inv = NULL;
    char line[65536];

    if (argc != 2) {
        fprintf(stderr, "usage: dedup_pairs DIR < pairs.tsv\n");
        return 2;
    }
    oo.flags = NI_OPEN_READONLY;
    if (ni_index_open(&idx, argv[1], &oo) < 0 || ni_inverter_new(&inv) < 0) {
        fprintf(stderr, "dedup_pairs: %s\n", ni_errmsg());
        return 2;
    }
    while (fgets(line, sizeof line, stdin)) {
        unsigned char a[NI_SIG_BYTES], b[NI_SIG_BYTES];
        char *tab1, *tab2;
        size_t n = strlen(line);
        if (n && line[n - 1] == '\n')
            line[--n] = '\0';
        if (line[0] == '#' || !(tab1 = strchr(line, '\t')))
            continue;
        tab2 = strchr(tab1 + 1, '\t');
        if (!tab2)
            tab2 = line + n;
        if (signature(idx, inv, line, (size_t)(tab1 - line), a) < 0 ||
            signature(idx, inv, tab1 + 1, (size_t)(tab2 - tab1 - 1), b) < 0) {
            printf("%s\tmissing\n", line);
            continue;
        }
        printf("%s\t%.3f\t%d\n", line, ni_minhash_similarity(a, b), ni_minhash_near(a, b));
    }
    ni_inverter_free(inv);
    ni_index_close(idx);
    return 0;
}
