/*
 * dedup_pairs.c - the near-duplicate decision of the library on pairs of
 * documents of an index (bench/dedup/evaluate.py reads its output).
 *
 *   dedup_pairs DIR < pairs.tsv
 *
 * Reads lines "id_a<TAB>id_b[<TAB>anything]" (lines starting with # are
 * skipped); fetches both documents, computes their signatures as indexing
 * does (ni_invert_doc, minhash.h) and their exact shingle sets
 * (nearcopy.h), and prints the line followed by
 * "<TAB>estimate<TAB>near<TAB>estimate_near" (the estimated Jaccard
 * similarity; 1 when a search folds one into the other, else 0; 1 when
 * the estimate alone is at least NI_SIG_NEAR), or "<TAB>missing".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsindex.h"
#include "../lib/invert.h"
#include "../lib/minhash.h"
#include "../lib/mem.h"
#include "../lib/nearcopy.h"

typedef struct pair_doc {
    unsigned char sig[NI_SIG_BYTES];
    uint64_t *set;
    size_t n;
} pair_doc;

static int read_doc(ni_index *idx, ni_inverter *inv, ni_analyzer *an, const char *id,
                    size_t len, pair_doc *out)
{
    ni_doc_terms dt;
    ni_doc *d = NULL;
    int rc;
    memset(&dt, 0, sizeof dt);
    out->set = NULL;
    if ((rc = ni_index_get(&d, idx, id, len)) == 0 && (rc = ni_invert_doc(inv, d, &dt)) == 0 &&
        (rc = ni_shingles_of_doc(&out->set, &out->n, an, d)) == 0)
        memcpy(out->sig, dt.sig, NI_SIG_BYTES);
    ni_doc_terms_free(&dt);
    ni_doc_free(d);
    return rc;
}

/* What ni_nearcopy_test decides for a and b. */
static int folds(const pair_doc *a, const pair_doc *b)
{
    if (ni_minhash_is_none(a->sig) || ni_minhash_is_none(b->sig))
        return 0;
    switch (ni_minhash_compare(a->sig, b->sig)) {
    case NI_SIG_APART:
        return 0;
    case NI_SIG_COPIES:
        return 1;
    default:
        return ni_shingles_near(a->set, a->n, b->set, b->n);
    }
}

int main(int argc, char **argv)
{
    ni_open_options oo = NI_OPEN_OPTIONS_INIT;
    ni_index *idx = NULL;
    ni_inverter *inv = NULL;
    ni_analyzer *an = NULL;
    char line[65536];

    if (argc != 2) {
        fprintf(stderr, "usage: dedup_pairs DIR < pairs.tsv\n");
        return 2;
    }
    oo.flags = NI_OPEN_READONLY;
    if (ni_index_open(&idx, argv[1], &oo) < 0 || ni_inverter_new(&inv) < 0 ||
        ni_analyzer_new(&an) < 0) {
        fprintf(stderr, "dedup_pairs: %s\n", ni_errmsg());
        return 2;
    }
    while (fgets(line, sizeof line, stdin)) {
        pair_doc a, b;
        char *tab1, *tab2;
        size_t n = strlen(line);
        if (n && line[n - 1] == '\n')
            line[--n] = '\0';
        if (line[0] == '#' || !(tab1 = strchr(line, '\t')))
            continue;
        tab2 = strchr(tab1 + 1, '\t');
        if (!tab2)
            tab2 = line + n;
        memset(&b, 0, sizeof b);
        if (read_doc(idx, inv, an, line, (size_t)(tab1 - line), &a) < 0 ||
            read_doc(idx, inv, an, tab1 + 1, (size_t)(tab2 - tab1 - 1), &b) < 0)
            printf("%s\tmissing\n", line);
        else
            printf("%s\t%.3f\t%d\t%d\n", line, ni_minhash_similarity(a.sig, b.sig),
                   folds(&a, &b), ni_minhash_near(a.sig, b.sig));
        ni_mem_free(a.set);
        ni_mem_free(b.set);
    }
    ni_analyzer_free(an);
    ni_inverter_free(inv);
    ni_index_close(idx);
    return 0;
}
