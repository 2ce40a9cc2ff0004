/*
 * test_nearcopy.c - near copies decided exactly where the signature is
 * unsure (lib/nearcopy.c, ni_minhash_compare): the exact shingle set of a
 * document is the one its signature is made of (compounds, numbers,
 * names, title and body, short and empty texts), the 0.55 bound and the
 * signature's bounds on both sides, and pairs whose estimate falls on the
 * wrong side of 0.5 decided by their text, each document analysed once, up
 * to a number of documents (then by the estimate at 0.6).
 */
#include <stdio.h>
#include <string.h>

#include "newsindex.h"
#include "../lib/analyzer.h"
#include "../lib/buf.h"
#include "../lib/index.h"
#include "../lib/layout.h"
#include "../lib/invert.h"
#include "../lib/mem.h"
#include "../lib/minhash.h"
#include "../lib/nearcopy.h"
#include "../lib/store.h"
#include "test.h"
#include "testidx.h"

static void near_bound(void)
{
    uint64_t a[32], b[32];
    size_t i;
    for (i = 0; i < 32; i++) {
        a[i] = 2 * i;
        b[i] = 2 * i;
    }
    /* 11 shared of 20: 0.55 */
    for (i = 11; i < 32; i++)
        b[i] = 1000 + i;
    CHECK(ni_shingles_near(a, 15, b, 16));
    /* 11 shared of 21 */
    CHECK(!ni_shingles_near(a, 15, b, 17));
    CHECK(!ni_shingles_near(a, 16, b, 16));
    /* 12 of 21 */
    b[11] = a[11];
    CHECK(ni_shingles_near(a, 16, b, 17));
    CHECK(ni_shingles_near(a, 1, a, 1));
    CHECK(!ni_shingles_near(a, 0, a, 0));
    CHECK(!ni_shingles_near(a, 5, b, 0));
}

/* Signatures with equal minima: a all zero, b with 64 - equal nibbles
 * set. */
static void sigs_with(unsigned equal, unsigned char a[NI_SIG_BYTES], unsigned char b[NI_SIG_BYTES])
{
    unsigned i;
    memset(a, 0, NI_SIG_BYTES);
    memset(b, 0, NI_SIG_BYTES);
    for (i = equal; i < NI_SIG_K; i++)
        b[i / 2] |= (unsigned char)(1u << (i % 2 ? 4 : 0));
}

static void compare_bounds(void)
{
    unsigned char a[NI_SIG_BYTES], b[NI_SIG_BYTES];
    /* estimate 0.6: 40 equal minima */
    sigs_with(39, a, b);
    CHECK(!ni_minhash_at_least(a, b, NI_NEAR_GUESS));
    sigs_with(40, a, b);
    CHECK(ni_minhash_at_least(a, b, NI_NEAR_GUESS));
    /* estimate 0.35: 64 * (1/16 + 15/16 * 0.35) = 25 equal minima */
    sigs_with(24, a, b);
    CHECK(ni_minhash_compare(a, b) == NI_SIG_APART);
    sigs_with(25, a, b);
    CHECK(ni_minhash_compare(a, b) == NI_SIG_UNSURE);
    /* estimate 0.75: 49 */
    sigs_with(48, a, b);
    CHECK(ni_minhash_compare(a, b) == NI_SIG_UNSURE);
    sigs_with(49, a, b);
    CHECK(ni_minhash_compare(a, b) == NI_SIG_COPIES);
    sigs_with(64, a, b);
    CHECK(ni_minhash_compare(a, b) == NI_SIG_COPIES);
    sigs_with(0, a, b);
    CHECK(ni_minhash_compare(a, b) == NI_SIG_APART);
}

/* The shingle set of title and text: its size, and that it makes the
 * signature indexing gives the document. */
static size_t set_size(ni_analyzer *an, ni_inverter *inv, const char *title, const char *text)
{
    ni_doc d = NI_DOC_INIT;
    ni_doc_terms dt;
    unsigned char sig[NI_SIG_BYTES];
    uint64_t *h = NULL;
    size_t n = 0, i;

    d.id = "x";
    d.id_len = 1;
    d.title = title;
    d.title_len = title ? strlen(title) : 0;
    d.text = text;
    d.text_len = strlen(text);
    memset(&dt, 0, sizeof dt);
    CHECK_RC(ni_shingles_of_doc(&h, &n, an, &d), 0);
    CHECK_RC(ni_invert_doc(inv, &d, &dt), 0);
    ni_minhash_of_set(h, n, sig);
    CHECK(memcmp(sig, dt.sig, NI_SIG_BYTES) == 0);
    CHECK((h == NULL) == (n == 0));
    for (i = 1; i < n; i++)
        CHECK(h[i - 1] < h[i]);
    ni_doc_terms_free(&dt);
    ni_mem_free(h);
    return n;
}

static void sets_make_signatures(void)
{
    ni_analyzer *an = NULL;
    ni_inverter *inv = NULL;
    CHECK_RC(ni_analyzer_new(&an), 0);
    CHECK_RC(ni_inverter_new(&inv), 0);
    /* a compound is one word: 5 words, 3 shingles (its parts would add 3) */
    CHECK(set_size(an, inv, NULL, "мы едем в Ростов-на-Дону завтра") == 3);
    /* a decimal number is one word; a name key does not take a position */
    CHECK(set_size(an, inv, NULL, "Иван Петров купил 1,5 тонны") == 3);
    /* title and body read as one sequence */
    CHECK(set_size(an, inv, "один два", "три четыре") == 2);
    CHECK(set_size(an, inv, "один два три", "") == 1);
    /* a repeated shingle counts once */
    CHECK(set_size(an, inv, NULL, "раз два три раз два три") == 3);
    /* fewer than three words: one shingle of them; none: no set */
    CHECK(set_size(an, inv, NULL, "один два") == 1);
    CHECK(set_size(an, inv, "один", "") == 1);
    CHECK(set_size(an, inv, NULL, "!!! ...") == 0);
    CHECK(set_size(an, inv, "Moscow", "Мэр сказал: «Да» — и ушёл, ёлки-палки, COVID-19 в 2024 г.") > 5);
    ni_inverter_free(inv);
    ni_analyzer_free(an);
}

/* first and 41 words: words base + i, the i >= keep of them
 * base + own + i.  Two such texts with keep = 42 and keep = s + 2 share
 * s of their 40 shingles: Jaccard s / (80 - s). */
static void pair_text(char *out, size_t size, const char *first, unsigned base, unsigned keep,
                      unsigned own)
{
    size_t at = (size_t)snprintf(out, size, "%s", first);
    char w[32];
    unsigned i;
    for (i = 1; i < 42; i++) {
        tidx_word(w, i < keep ? base + i : base + own + i);
        at += (size_t)snprintf(out + at, size - at, " %s", w);
    }
}

static uint32_t internal_id(ni_txn *t, const char *id)
{
    ni_val v;
    CHECK_RC(ni_txn_get(t, NI_T_IDS, id, strlen(id), &v), 0);
    return ni_get_be32(v.data);
}

static const unsigned char *sig_of(ni_txn *t, uint32_t doc)
{
    const unsigned char *s = NULL;
    CHECK_RC(ni_sig_get(t, doc, &s), 0);
    return s;
}

/* The pairs of test_collapse.c's unsure_settled_exactly: "пожар" a
 * Jaccard of 27/53 estimated 0.70, "взрыв" 30/50 estimated 0.42. */
static void exact_in_between(void)
{
    char dir[] = "/tmp/ni_nearcopy_XXXXXX", text[1024];
    ni_index *idx = tidx_open_temp(dir);
    ni_doc_reader rd;
    ni_nearcopy nc;
    ni_txn *t = NULL;
    uint32_t pa, pb, va, vb;
    const unsigned char *spa, *spb, *sva, *svb;

    pair_text(text, sizeof text, "пожар", 30800, 42, 5000);
    tidx_add(idx, "pa", NULL, text);
    pair_text(text, sizeof text, "пожар", 30800, 29, 5000);
    tidx_add(idx, "pb", NULL, text);
    pair_text(text, sizeof text, "взрыв", 34000, 42, 5000);
    tidx_add(idx, "va", NULL, text);
    pair_text(text, sizeof text, "взрыв", 34000, 32, 5000);
    tidx_add(idx, "vb", NULL, text);
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK_RC(ni_txn_begin(&t, idx->store, 0), 0);
    pa = internal_id(t, "pa");
    pb = internal_id(t, "pb");
    va = internal_id(t, "va");
    vb = internal_id(t, "vb");
    spa = sig_of(t, pa);
    spb = sig_of(t, pb);
    sva = sig_of(t, va);
    svb = sig_of(t, vb);
    /* the premise: estimates on the wrong side of 0.5, unsure */
    CHECK(ni_minhash_near(spa, spb));
    CHECK(!ni_minhash_near(sva, svb));
    CHECK(ni_minhash_compare(spa, spb) == NI_SIG_UNSURE);
    CHECK(ni_minhash_compare(sva, svb) == NI_SIG_UNSURE);

    ni_doc_reader_init(&rd, idx, t);
    ni_nearcopy_init(&nc, &rd);
    CHECK_RC(ni_nearcopy_test(&nc, pa, spa, pb, spb), 0);
    CHECK_RC(ni_nearcopy_test(&nc, vb, svb, va, sva), 1);
    CHECK(nc.exact == 2 && nc.nsets == 4);
    /* sets are kept: no document read again */
    CHECK_RC(ni_nearcopy_test(&nc, pb, spb, pa, spa), 0);
    CHECK_RC(ni_nearcopy_test(&nc, va, sva, vb, svb), 1);
    CHECK(nc.exact == 4 && nc.nsets == 4);
    /* sure estimates read nothing */
    CHECK_RC(ni_nearcopy_test(&nc, pa, spa, pa, spa), 1);
    CHECK_RC(ni_nearcopy_test(&nc, pa, spa, va, sva), 0);
    CHECK(nc.exact == 4 && nc.tests == 6);
    ni_nearcopy_release(&nc);
    CHECK(nc.sets == NULL && nc.nsets == 0);
    /* a fresh nc reads both again */
    ni_nearcopy_init(&nc, &rd);
    CHECK_RC(ni_nearcopy_test(&nc, va, sva, vb, svb), 1);
    CHECK(nc.nsets == 2 && nc.exact == 1);
    ni_nearcopy_release(&nc);
    /* up to max_sets documents read; then the estimate at 0.6 decides */
    ni_nearcopy_init(&nc, &rd);
    CHECK(nc.max_sets == NI_NEAR_READS);
    nc.max_sets = 4;
    CHECK_RC(ni_nearcopy_test(&nc, pa, spa, pb, spb), 0);
    CHECK_RC(ni_nearcopy_test(&nc, va, sva, vb, svb), 1);
    CHECK(nc.nsets == 4 && nc.guessed == 0);
    ni_nearcopy_release(&nc);
    ni_nearcopy_init(&nc, &rd);
    nc.max_sets = 3;
    CHECK_RC(ni_nearcopy_test(&nc, pa, spa, pb, spb), 0);
    CHECK_RC(ni_nearcopy_test(&nc, va, sva, vb, svb), 0);     /* 0.42 < 0.6 */
    CHECK(nc.nsets == 2 && nc.guessed == 1);
    CHECK_RC(ni_nearcopy_test(&nc, pb, spb, pa, spa), 0);     /* read: exact */
    CHECK(nc.guessed == 1);
    nc.max_sets = 2;
    CHECK_RC(ni_nearcopy_test(&nc, pa, spa, va, sva), 0);     /* apart */
    CHECK(nc.guessed == 1);
    CHECK(ni_minhash_at_least(spa, spb, NI_NEAR_GUESS));
    ni_nearcopy_release(&nc);
    ni_nearcopy_init(&nc, &rd);
    nc.max_sets = 1;
    CHECK_RC(ni_nearcopy_test(&nc, pa, spa, pb, spb), 1);     /* 0.70 >= 0.6 */
    CHECK(nc.nsets == 0 && nc.guessed == 1);
    ni_nearcopy_release(&nc);
    ni_doc_reader_release(&rd);
    ni_txn_abort(t);
    tidx_close_remove(idx, dir);
}

TEST_MAIN(TEST(near_bound), TEST(compare_bounds), TEST(sets_make_signatures),
          TEST(exact_in_between))
