/*
 * Unit tests of the in-memory batch (lib/batch.c) and of the hash table it
 * and the inverter use (lib/hash.c): the table's growth on both sides of its
 * resize boundary, entries found again after it, emptying; documents
 * begun, merged, counted in, cancelled and failed; a pending id replaced
 * and killed, before and after the id table grows; committed ids listed
 * for deletion; the memory estimate; the term table's growth; the terms
 * and ids in byte order; the batch postings reader.  Documents are made by
 * hand (ni_doc_terms as invert.h describes them), so no analyzer is needed.
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/batch.h"
#include "test.h"

/* ---- the hash table alone --------------------------------------------- */

/* Entries are numbers; their hash is given by a table, so that tests can
 * make them collide. */
typedef struct keys {
    uint32_t key[4096];
    uint32_t hash[4096];
} keys;

static uint32_t key_hash(const void *ctx, uint32_t e)
{
    return ((const keys *)ctx)->hash[e];
}

static int key_is(const void *ctx, uint32_t e, const void *key, size_t len, uint32_t h)
{
    const keys *k = ctx;
    (void)len;
    return k->hash[e] == h && k->key[e] == *(const uint32_t *)key;
}

/* Puts entry e (reserving room first); 0 or <0. */
static int put(ni_hash *t, keys *k, uint32_t e)
{
    size_t slot;
    int rc;
    if ((rc = ni_hash_reserve(t, 16, key_hash, k)) < 0)
        return rc;
    if (ni_hash_find(t, k->hash[e], key_is, k, &k->key[e], 4, &slot) != NI_HASH_NONE)
        return -100;
    ni_hash_add(t, slot, e);
    return 0;
}

static uint32_t get(const ni_hash *t, const keys *k, uint32_t key, uint32_t h)
{
    size_t slot;
    return ni_hash_find(t, h, key_is, k, &key, 4, &slot);
}

static void hash_grows_at_half(void)
{
    static keys k;
    ni_hash t;
    uint32_t e;
    int ok = 1;

    memset(&t, 0, sizeof t);
    for (e = 0; e < 64; e++) {
        k.key[e] = 1000 + e;
        k.hash[e] = e % 3 == 0 ? 7 : e * 2654435761u;   /* a third collide */
    }
    /* 16 slots hold 8 entries: the 8th fits, the 9th doubles the table */
    for (e = 0; e < 8; e++)
        CHECK_RC(put(&t, &k, e), 0);
    CHECK(t.nslots == 16 && t.count == 8);
    CHECK_RC(put(&t, &k, 8), 0);
    CHECK(t.nslots == 32 && t.count == 9);
    for (e = 9; e < 16; e++)
        CHECK_RC(put(&t, &k, e), 0);
    CHECK(t.nslots == 32);
    CHECK_RC(put(&t, &k, 16), 0);
    CHECK(t.nslots == 64);
    for (e = 17; e < 64; e++)
        CHECK_RC(put(&t, &k, e), 0);
    CHECK(t.nslots == 128 && t.count == 64);
    /* every entry is found again after the moves, nothing else is */
    for (e = 0; e < 64; e++)
        ok &= get(&t, &k, k.key[e], k.hash[e]) == e;
    CHECK(ok);
    CHECK(get(&t, &k, 5, 7) == NI_HASH_NONE);
    CHECK(get(&t, &k, 1000, k.hash[1]) == NI_HASH_NONE);
    /* emptied, it keeps its size and takes new entries */
    ni_hash_clear(&t);
    CHECK(t.count == 0 && t.nslots == 128);
    for (e = 0; e < 64; e++)
        ok &= get(&t, &k, k.key[e], k.hash[e]) == NI_HASH_NONE;
    CHECK(ok);
    CHECK_RC(put(&t, &k, 3), 0);
    CHECK(get(&t, &k, k.key[3], k.hash[3]) == 3 && t.count == 1);
    ni_hash_free(&t);
    CHECK(t.slots == NULL && t.nslots == 0);
}

/* A slot found for a key present takes a new entry without a new slot. */
static void hash_replace(void)
{
    static keys k;
    ni_hash t;
    size_t slot;

    memset(&t, 0, sizeof t);
    k.key[0] = k.key[1] = 42;
    k.hash[0] = k.hash[1] = 9;
    CHECK_RC(put(&t, &k, 0), 0);
    CHECK(ni_hash_find(&t, 9, key_is, &k, &k.key[1], 4, &slot) == 0);
    ni_hash_replace(&t, slot, 1);
    CHECK(t.count == 1);
    CHECK(get(&t, &k, 42, 9) == 1);
    ni_hash_free(&t);
}

/* ---- documents made by hand ------------------------------------------- */

/* An inverted document whose body has terms[i] once at position 100 + i,
 * and a stored record of rec_len bytes. */
static void make_dt(ni_doc_terms *dt, const char *const *terms, size_t n, size_t rec_len)
{
    size_t i;
    dt->record.len = dt->terms.len = dt->post.len = 0;
    dt->ndt = 0;
    for (i = 0; i < rec_len; i++)
        ni_buf_putc(&dt->record, (unsigned char)('a' + i % 26));
    for (i = 0; i < n; i++) {
        size_t len = strlen(terms[i]);
        ni_dterm *t;
        if (NI_GROW(dt->dt, dt->cap_dt, dt->ndt + 1) < 0)
            abort();
        t = &dt->dt[dt->ndt++];
        t->term_off = (uint32_t)dt->terms.len;
        t->term_len = (uint32_t)len;
        t->hash = ni_term_hash(terms[i], len);
        ni_buf_put(&dt->terms, terms[i], len);
        t->post_off = (uint32_t)dt->post.len;
        ni_buf_put_varint(&dt->post, 0);            /* title tf */
        ni_buf_put_varint(&dt->post, 1);            /* body tf */
        ni_buf_put_varint(&dt->post, 100 + i);      /* its position */
        t->post_len = (uint32_t)(dt->post.len - t->post_off);
    }
    dt->len_title = 0;
    dt->len_body = (uint32_t)n;
}

static ni_doc doc_of(const char *id, const char *text)
{
    ni_doc d = NI_DOC_INIT;
    d.id = id;
    d.id_len = strlen(id);
    d.text = text;
    d.text_len = text ? strlen(text) : 0;
    d.date = 1700000000;
    return d;
}

/* Adds document id with these terms; 0 or <0. */
static int add(ni_batch *b, ni_doc_terms *dt, const char *id, const char *const *terms,
               size_t n)
{
    ni_doc d = doc_of(id, "text");
    int rc;
    make_dt(dt, terms, n, 10);
    if ((rc = ni_batch_begin(b, &d)) < 0)
        return rc;
    if ((rc = ni_batch_merge(b, dt)) < 0) {
        ni_batch_fail(b);
        return rc;
    }
    ni_batch_end(b, &d);
    return 0;
}

/* The index of term in b->term, or -1. */
static long find_term(const ni_batch *b, const char *term)
{
    size_t i, len = strlen(term);
    for (i = 0; i < b->nterms; i++)
        if (b->term[i].term_len == len &&
            memcmp(b->terms.data + b->term[i].term_off, term, len) == 0)
            return (long)i;
    return -1;
}

/* The local numbers in a term's postings (at most max), their count. */
static size_t locals(const ni_batch_term *a, uint32_t *out, size_t max)
{
    const unsigned char *p = a->post.data, *end = p + a->post.len;
    uint64_t local, tft, tfb;
    size_t n = 0;
    while (p < end && n < max) {
        if (ni_batch_posting(&p, end, &local, &tft, &tfb) < 0 ||
            ni_batch_positions(&p, end, tft + tfb, NULL) < 0)
            return (size_t)-1;
        out[n++] = (uint32_t)local;
    }
    return n;
}

static void adding(void)
{
    static const char *const d0[] = { "red", "green" }, *const d1[] = { "green", "blue" };
    ni_batch b;
    ni_doc_terms dt;
    uint32_t loc[8];
    long green;
    ni_doc d = doc_of("doc-1", "twelve chars");

    memset(&b, 0, sizeof b);
    memset(&dt, 0, sizeof dt);
    CHECK_RC(add(&b, &dt, "doc-0", d0, 2), 0);
    CHECK_RC(add(&b, &dt, "doc-1", d1, 2), 0);
    CHECK(b.ndocs == 2 && b.merged == 2 && b.nterms == 3);
    green = find_term(&b, "green");
    CHECK(green >= 0 && find_term(&b, "red") >= 0 && find_term(&b, "blue") >= 0);
    if (green >= 0) {
        CHECK(locals(&b.term[green], loc, 8) == 2 && loc[0] == 0 && loc[1] == 1);
        CHECK(b.term[green].hash == ni_term_hash("green", 5));
    }
    CHECK(b.docs[1].id_len == 5 && memcmp(ni_batch_id(&b, &b.docs[1]), "doc-1", 5) == 0);
    CHECK(b.docs[1].rec_len == 10 && b.docs[1].rec_off == 10);
    CHECK(b.docs[1].len_body == 2 && b.docs[1].date == 1700000000);
    CHECK(b.docs[0].dead == NI_BATCH_LIVE && b.docs[1].dead == NI_BATCH_LIVE);
    /* the estimate: 128 bytes of bookkeeping, the id, twice the text */
    CHECK(b.mem == 2 * (128 + 5 + 2 * 4));
    b.mem = 0;
    CHECK_RC(ni_batch_begin(&b, &d), 0);
    CHECK_RC(ni_batch_merge(&b, &dt), 0);
    ni_batch_end(&b, &d);
    CHECK(b.mem == 128 + 5 + 2 * 12);

    ni_batch_clear(&b);
    CHECK(b.ndocs == 0 && b.nterms == 0 && b.merged == 0 && b.mem == 0 && b.ids.len == 0);
    CHECK(b.term_hash.count == 0 && b.id_hash.count == 0);
    CHECK_RC(add(&b, &dt, "doc-0", d1, 2), 0);
    CHECK(b.nterms == 2 && find_term(&b, "red") < 0);
    ni_batch_free(&b);
    ni_doc_terms_free(&dt);
}

static void replacing_and_killing(void)
{
    static const char *const t[] = { "x" };
    ni_batch b;
    ni_doc_terms dt;
    size_t n;

    memset(&b, 0, sizeof b);
    memset(&dt, 0, sizeof dt);
    CHECK(ni_batch_kill(&b, "a", 1) == 0);            /* an empty batch */
    CHECK_RC(add(&b, &dt, "b", t, 1), 0);
    CHECK_RC(add(&b, &dt, "a", t, 1), 0);
    CHECK_RC(add(&b, &dt, "c", t, 1), 0);
    CHECK_RC(add(&b, &dt, "a", t, 1), 0);             /* replaces doc 1 */
    CHECK(b.docs[1].dead == NI_BATCH_REPLACED && b.docs[3].dead == NI_BATCH_LIVE);
    CHECK(b.docs[0].dead == NI_BATCH_LIVE && b.docs[2].dead == NI_BATCH_LIVE);
    CHECK_RC(ni_batch_sort_ids(&b, &n), 0);
    CHECK(n == 3 && b.order[0] == 3 && b.order[1] == 0 && b.order[2] == 2);
    CHECK(ni_batch_kill(&b, "a", 1) == 1);
    CHECK(b.docs[3].dead == NI_BATCH_REPLACED && b.docs[1].dead == NI_BATCH_REPLACED);
    CHECK(ni_batch_kill(&b, "a", 1) == 0);            /* no live copy left */
    CHECK(ni_batch_kill(&b, "zz", 2) == 0);
    CHECK(ni_batch_kill(&b, "c", 1) == 1 && b.docs[2].dead == NI_BATCH_REPLACED);
    CHECK_RC(ni_batch_sort_ids(&b, &n), 0);
    CHECK(n == 1 && b.order[0] == 0);
    /* an id added after its kill is live again */
    CHECK_RC(add(&b, &dt, "a", t, 1), 0);
    CHECK(b.docs[4].dead == NI_BATCH_LIVE && ni_batch_kill(&b, "a", 1) == 1);
    ni_batch_free(&b);
    ni_doc_terms_free(&dt);
}

static void deleting_committed(void)
{
    ni_batch b;
    memset(&b, 0, sizeof b);
    CHECK_RC(ni_batch_delete(&b, "old-1", 5), 0);
    CHECK_RC(ni_batch_delete(&b, "old-22", 6), 0);
    CHECK(b.ndels == 2 && b.ndocs == 0);
    CHECK(b.dels[1].len == 6 && memcmp(b.ids.data + b.dels[1].off, "old-22", 6) == 0);
    CHECK(b.dels[0].len == 5 && memcmp(b.ids.data + b.dels[0].off, "old-1", 5) == 0);
    ni_batch_clear(&b);
    CHECK(b.ndels == 0);
    ni_batch_free(&b);
}

static void cancelled_and_failed(void)
{
    static const char *const t[] = { "x" };
    ni_batch b;
    ni_doc_terms dt;
    ni_doc d = doc_of("gone", "text");
    size_t ids;

    memset(&b, 0, sizeof b);
    memset(&dt, 0, sizeof dt);
    CHECK_RC(add(&b, &dt, "kept", t, 1), 0);
    ids = b.ids.len;
    CHECK_RC(ni_batch_begin(&b, &d), 0);
    CHECK(b.ids.len == ids + 4);
    ni_batch_cancel(&b);
    CHECK(b.ids.len == ids && b.ndocs == 1 && b.merged == 1);
    CHECK_RC(ni_batch_begin(&b, &d), 0);
    ni_batch_fail(&b);
    CHECK(b.ids.len == ids && b.ndocs == 2 && b.merged == 2);
    CHECK(b.docs[1].dead == NI_BATCH_FAILED && b.mem == 128 + 4 + 8);
    CHECK(ni_batch_kill(&b, "gone", 4) == 0);         /* never in the id table */
    CHECK_RC(add(&b, &dt, "gone", t, 1), 0);
    CHECK(b.docs[2].dead == NI_BATCH_LIVE && b.docs[1].dead == NI_BATCH_FAILED);
    ni_batch_free(&b);
    ni_doc_terms_free(&dt);
}

/* The term table starts at 1024 slots: 512 terms fit, the 513th doubles
 * it; terms met before are found again after that. */
static void term_table_growth(void)
{
    static char names[600][8];
    static const char *terms[600];
    ni_batch b;
    ni_doc_terms dt;
    uint32_t loc[4];
    size_t i;
    long e;
    int ok = 1;

    memset(&b, 0, sizeof b);
    memset(&dt, 0, sizeof dt);
    for (i = 0; i < 600; i++) {
        snprintf(names[i], sizeof names[i], "t%zu", i);
        terms[i] = names[i];
    }
    CHECK_RC(add(&b, &dt, "d0", terms, 512), 0);
    CHECK(b.nterms == 512 && b.term_hash.nslots == 1024);
    CHECK_RC(add(&b, &dt, "d1", terms + 511, 2), 0);  /* t511 again, t512 new */
    CHECK(b.nterms == 513 && b.term_hash.nslots == 2048);
    CHECK_RC(add(&b, &dt, "d2", terms, 600), 0);
    CHECK(b.nterms == 600);
    for (i = 0; i < 600; i++) {
        e = find_term(&b, names[i]);
        ok &= e == (long)i;
        if (e >= 0)
            ok &= locals(&b.term[e], loc, 4) ==
                  (i == 511 ? 3u : i < 513 ? 2u : 1u);
    }
    CHECK(ok);
    ni_batch_free(&b);
    ni_doc_terms_free(&dt);
}

/* The id table starts at 256 slots: 128 ids fit, the 129th doubles it;
 * the latest copy of each id is what it finds, before and after. */
static void id_table_growth(void)
{
    static const char *const t[] = { "x" };
    ni_batch b;
    ni_doc_terms dt;
    char id[16];
    size_t i;
    int ok = 1;

    memset(&b, 0, sizeof b);
    memset(&dt, 0, sizeof dt);
    for (i = 0; i < 127; i++) {
        snprintf(id, sizeof id, "id%zu", i);
        CHECK_RC(add(&b, &dt, id, t, 1), 0);
    }
    CHECK_RC(add(&b, &dt, "id5", t, 1), 0);           /* doc 127 replaces doc 5 */
    CHECK(b.id_hash.count == 127 && b.id_hash.nslots == 256);
    CHECK_RC(add(&b, &dt, "id127", t, 1), 0);         /* the 128th id */
    CHECK(b.id_hash.count == 128 && b.id_hash.nslots == 256);
    CHECK_RC(add(&b, &dt, "id128", t, 1), 0);         /* the 129th */
    CHECK(b.id_hash.count == 129 && b.id_hash.nslots == 512);
    CHECK(b.docs[5].dead == NI_BATCH_REPLACED && b.docs[127].dead == NI_BATCH_LIVE);
    CHECK_RC(add(&b, &dt, "id5", t, 1), 0);           /* doc 130 replaces doc 127 */
    CHECK(b.docs[127].dead == NI_BATCH_REPLACED && b.docs[130].dead == NI_BATCH_LIVE);
    CHECK_RC(add(&b, &dt, "id0", t, 1), 0);           /* doc 131 replaces doc 0 */
    CHECK(b.docs[0].dead == NI_BATCH_REPLACED);
    for (i = 1; i < 129; i++) {
        snprintf(id, sizeof id, "id%zu", i);
        ok &= ni_batch_kill(&b, id, strlen(id)) == 1;
    }
    CHECK(ok);
    CHECK(ni_batch_kill(&b, "id0", 3) == 1 && b.docs[131].dead == NI_BATCH_REPLACED);
    CHECK(b.docs[130].dead == NI_BATCH_REPLACED);
    ni_batch_free(&b);
    ni_doc_terms_free(&dt);
}

static int cmp_bytes(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    size_t nx = strlen(x), ny = strlen(y), n = nx < ny ? nx : ny;
    int c = memcmp(x, y, n);
    return c ? c : (nx > ny) - (nx < ny);
}

/* Terms sharing 8-byte prefixes, prefixes of each other, bytes >= 0x80. */
static void terms_in_byte_order(void)
{
    static const char *const t[] = {
        "abcdefgh", "abcdefghi", "abcdefg", "abcdefgha", "b", "abcdefgh\x01",
        "\xd0\xb0", "\xd0\xb0\xd0\xb1\xd0\xb2\xd0\xb3\xd0\xb4", "a", "abcdefgg\xff",
        "abcdefghij", "abcdefgi" };
    const char *want[12];
    ni_batch b;
    ni_doc_terms dt;
    size_t i, n = sizeof t / sizeof t[0];
    int ok = 1;

    memset(&b, 0, sizeof b);
    memset(&dt, 0, sizeof dt);
    CHECK_RC(add(&b, &dt, "d", t, n), 0);
    memcpy(want, t, sizeof want);
    qsort(want, n, sizeof *want, cmp_bytes);
    CHECK_RC(ni_batch_sort_terms(&b), 0);
    for (i = 0; i < n; i++) {
        const ni_batch_term *a = &b.term[b.sorted[i].term];
        ok &= a->term_len == strlen(want[i]) &&
              memcmp(b.terms.data + a->term_off, want[i], a->term_len) == 0;
    }
    CHECK(ok);
    ni_batch_free(&b);
    ni_doc_terms_free(&dt);
}

static void postings_reader(void)
{
    ni_buf p = NI_BUF_INIT;
    const unsigned char *s, *end;
    uint64_t local, tft, tfb;
    uint32_t pos[4];
    size_t cut;

    /* doc 3: title tf 1, body tf 2, positions 2, 103, 300; doc 200: body 1 at 150 */
    ni_buf_put_varint(&p, 3);
    ni_buf_put_varint(&p, 1);
    ni_buf_put_varint(&p, 2);
    ni_buf_put_varint(&p, 2);
    ni_buf_put_varint(&p, 101);
    ni_buf_put_varint(&p, 197);
    ni_buf_put_varint(&p, 200);
    ni_buf_put_varint(&p, 0);
    ni_buf_put_varint(&p, 1);
    ni_buf_put_varint(&p, 150);
    s = p.data;
    end = s + p.len;
    CHECK_RC(ni_batch_posting(&s, end, &local, &tft, &tfb), 0);
    CHECK(local == 3 && tft == 1 && tfb == 2);
    CHECK_RC(ni_batch_positions(&s, end, tft + tfb, pos), 0);
    CHECK(pos[0] == 2 && pos[1] == 103 && pos[2] == 300);
    CHECK_RC(ni_batch_posting(&s, end, &local, &tft, &tfb), 0);
    CHECK(local == 200 && tft == 0 && tfb == 1);
    CHECK_RC(ni_batch_positions(&s, end, 1, NULL), 0);
    CHECK(s == end);
    /* every truncation is damage, never a read past the end */
    for (cut = 0; cut < p.len; cut++) {
        int rc = 0;
        s = p.data;
        end = s + cut;
        while (s < end && rc == 0 &&
               (rc = ni_batch_posting(&s, end, &local, &tft, &tfb)) == 0)
            rc = ni_batch_positions(&s, end, tft + tfb, pos);
        CHECK(rc == NI_ECORRUPT || ((cut == 0 || cut == 7) && rc == 0));
    }
    ni_buf_free(&p);
}

TEST_MAIN(TEST(hash_grows_at_half), TEST(hash_replace), TEST(adding),
          TEST(replacing_and_killing), TEST(deleting_committed), TEST(cancelled_and_failed),
          TEST(term_table_growth), TEST(id_table_growth), TEST(terms_in_byte_order),
          TEST(postings_reader))
