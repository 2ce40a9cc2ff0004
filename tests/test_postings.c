/*
 * Unit tests of the posting-block codec (lib/postings.c): round trips (the
 * lead bitmap too), the lead's boundary,
 * bounds, sequential and random position access, input validation, and
 * every truncation and bit flip of encoded blocks returning 0 or
 * NI_ECORRUPT (the sanitizer build catches any out-of-bounds read).
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/mem.h"
#include "../lib/postings.h"
#include "test.h"

static uint32_t positions[NI_BLOCK_DOCS][40];

/* n postings with doc ids from first in steps of step. */
static void make(ni_posting *p, size_t n, uint32_t first, uint32_t step)
{
    size_t i, k;
    for (i = 0; i < n; i++) {
        p[i].doc = first + (uint32_t)i * step;
        p[i].tf_title = (uint32_t)(i % 3);
        p[i].tf_body = (uint32_t)(i % 5) + (i % 3 == 0);
        p[i].len_title = 5 + (uint32_t)(i % 7);
        p[i].len_body = 100 + (uint32_t)i;
        for (k = 0; k < p[i].tf_title + p[i].tf_body; k++)
            positions[i][k] = (uint32_t)(k * 3 + i % 2 + (k >= p[i].tf_title ? 1000 : 0));
        p[i].pos = positions[i];
        p[i].lead = i % 4 == 1 || i == 127;
    }
}

static int same(const ni_posting *p, size_t n, const unsigned char *data, size_t len)
{
    ni_block b;
    uint32_t pos[400];
    size_t i;
    uint32_t any = 0;
    int ok = 1;
    if (ni_block_open(&b, data, len) < 0 || ni_block_decode_docs(&b) < 0 || b.ndocs != n)
        return 0;
    for (i = 0; i < n; i++) {
        uint32_t tf = p[i].tf_title + p[i].tf_body;
        ok &= ni_block_lead(&b, (uint32_t)i) == p[i].lead;
        any |= p[i].lead;
        ok &= b.docs[i] == p[i].doc && b.tf_title[i] == p[i].tf_title &&
              b.tf_body[i] == p[i].tf_body;
        ok &= ni_block_positions(&b, (uint32_t)i, pos, 400) == 0 &&
              memcmp(pos, p[i].pos, tf * sizeof *pos) == 0;
    }
    return ok && b.max_lead == any && b.first_doc == p[0].doc && b.last_doc == p[n - 1].doc;
}

static void round_trips(void)
{
    static ni_posting p[NI_BLOCK_DOCS];
    ni_buf out = NI_BUF_INIT;
    size_t sizes[] = { 1, 2, 77, NI_BLOCK_DOCS }, s;

    for (s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        make(p, sizes[s], 3, 1);
        out.len = 0;
        CHECK_RC(ni_block_encode(&out, p, sizes[s]), 0);
        CHECK(same(p, sizes[s], out.data, out.len));
        make(p, sizes[s], UINT32_MAX - 2 - (uint32_t)(sizes[s] - 1) * 1, 1);
        out.len = 0;
        CHECK_RC(ni_block_encode(&out, p, sizes[s]), 0);
        CHECK(same(p, sizes[s], out.data, out.len));
        make(p, sizes[s], 0, 100000);
        out.len = 0;
        CHECK_RC(ni_block_encode(&out, p, sizes[s]), 0);
        CHECK(same(p, sizes[s], out.data, out.len));
    }
    ni_buf_free(&out);
}

/* Title counts of 0 to 6 and 200 against body counts of 0 to 2 (3 and up
 * take an extra field after the two bits that hold 0, 1 and 2; a title
 * count of 0 with a body count of 1 is the one-field short form). */
static void title_counts(void)
{
    static const uint32_t titles[] = { 0, 1, 2, 3, 4, 5, 6, 200 };
    static uint32_t pos[24][204];
    ni_posting p[24];
    ni_buf out = NI_BUF_INIT;
    size_t n = 0, t, k;
    uint32_t b;
    for (t = 0; t < sizeof titles / sizeof titles[0]; t++)
        for (b = 0; b < 3; b++) {
            if (titles[t] + b == 0)
                continue;
            p[n].doc = 7 + (uint32_t)n * 3;
            p[n].tf_title = titles[t];
            p[n].tf_body = b;
            p[n].len_title = 250;
            p[n].len_body = 10;
            for (k = 0; k < titles[t] + b; k++)
                pos[n][k] = (uint32_t)k + (k >= titles[t] ? 300 : 0);
            p[n].pos = pos[n];
            p[n].lead = 0;
            n++;
        }
    CHECK_RC(ni_block_encode(&out, p, n), 0);
    CHECK(same(p, n, out.data, out.len));
    ni_buf_free(&out);
}

/* The lead: the first body position below len_title + NI_BODY_GAP +
 * NI_LEAD_POSITIONS; a block without a document in it has no bitmap. */
static void lead(void)
{
    static const uint32_t early[] = { 2, 5 + NI_BODY_GAP + NI_LEAD_POSITIONS - 1, 500 };
    static const uint32_t late[] = { 2, 5 + NI_BODY_GAP + NI_LEAD_POSITIONS, 500 };
    static ni_posting p[3];
    ni_buf with = NI_BUF_INIT, without = NI_BUF_INIT;
    ni_block b;

    CHECK(ni_posting_lead(early + 1, 2, 5) == 1);
    CHECK(ni_posting_lead(late + 1, 2, 5) == 0);
    CHECK(ni_posting_lead(late + 1, 2, 6) == 1);
    CHECK(ni_posting_lead(early + 1, 0, 5) == 0);      /* no body occurrence */
    make(p, 3, 10, 1);
    p[0].lead = p[1].lead = p[2].lead = 0;
    CHECK_RC(ni_block_encode(&without, p, 3), 0);
    CHECK(same(p, 3, without.data, without.len));
    p[2].lead = 1;
    CHECK_RC(ni_block_encode(&with, p, 3), 0);
    CHECK(same(p, 3, with.data, with.len));
    CHECK(with.len == without.len + 1);
    CHECK_RC(ni_block_open(&b, without.data, without.len), 0);
    CHECK(b.max_lead == 0 && ni_block_lead(&b, 2) == 0);
    CHECK_RC(ni_block_open(&b, with.data, with.len), 0);
    CHECK(b.max_lead == 1 && ni_block_lead(&b, 2) == 1 && ni_block_lead(&b, 1) == 0);
    ni_buf_free(&with);
    ni_buf_free(&without);
}

/* Frequencies above 127 take more than one byte: the general decoding
 * path, beside the one-byte fast path of the blocks above. */
static void large_frequencies(void)
{
    static uint32_t many[300];
    ni_posting p[3];
    ni_buf out = NI_BUF_INIT;
    uint32_t k;
    for (k = 0; k < 300; k++)
        many[k] = 1000 + 2 * k;
    make(p, 3, 10, 1);
    p[1].tf_title = 0;
    p[1].tf_body = 300;
    p[1].pos = many;
    CHECK_RC(ni_block_encode(&out, p, 3), 0);
    CHECK(same(p, 3, out.data, out.len));
    ni_buf_free(&out);
}

static void bounds_and_access(void)
{
    static ni_posting p[NI_BLOCK_DOCS];
    ni_buf out = NI_BUF_INIT;
    ni_block b;
    uint32_t pos[64], i;

    make(p, 50, 10, 3);
    CHECK_RC(ni_block_encode(&out, p, 50), 0);
    CHECK_RC(ni_block_open(&b, out.data, out.len), 0);
    CHECK(b.max_tf_title == 2 && b.max_tf_body == 5);
    CHECK(b.min_len_title == 5 && b.min_len_body == 100);
    CHECK(b.first_doc == 10 && b.last_doc == 10 + 49 * 3);
    CHECK_RC(ni_block_positions(&b, 0, pos, 64), NI_EINVAL);   /* docs first */
    CHECK_RC(ni_block_decode_docs(&b), 0);
    /* backwards, then forwards: the same answers */
    for (i = 50; i-- > 0;) {
        CHECK_RC(ni_block_positions(&b, i, pos, 64), 0);
        CHECK(memcmp(pos, p[i].pos, (p[i].tf_title + p[i].tf_body) * sizeof *pos) == 0);
    }
    for (i = 0; i < 50; i += 7) {
        CHECK_RC(ni_block_positions(&b, i, pos, 64), 0);
        CHECK(pos[0] == p[i].pos[0]);
    }
    CHECK_RC(ni_block_positions(&b, 50, pos, 64), NI_EINVAL);
    CHECK_RC(ni_block_positions(&b, 4, pos, 1), NI_EINVAL);    /* room for 1 of 5 */
    ni_buf_free(&out);
}

static void encode_validation(void)
{
    static ni_posting p[NI_BLOCK_DOCS + 1];
    ni_buf out = NI_BUF_INIT;
    uint32_t bad_pos[2] = { 5, 5 };

    make(p, NI_BLOCK_DOCS, 1, 1);
    CHECK_RC(ni_block_encode(&out, p, 0), NI_EINVAL);
    CHECK_RC(ni_block_encode(&out, p, NI_BLOCK_DOCS + 1), NI_EINVAL);
    p[1].doc = p[0].doc;
    CHECK_RC(ni_block_encode(&out, p, 2), NI_EINVAL);
    make(p, 2, 1, 1);
    p[1].tf_title = p[1].tf_body = 0;
    CHECK_RC(ni_block_encode(&out, p, 2), NI_EINVAL);
    make(p, 2, 1, 1);
    p[0].tf_title = 0;
    p[0].tf_body = 2;
    p[0].pos = bad_pos;
    CHECK_RC(ni_block_encode(&out, p, 1), NI_EINVAL);
    /* body positions come NI_BODY_GAP after the title (the codec relies on it) */
    bad_pos[0] = NI_BODY_GAP - 1;
    bad_pos[1] = NI_BODY_GAP + 1;
    p[0].tf_body = 1;
    CHECK_RC(ni_block_encode(&out, p, 1), NI_EINVAL);
    p[0].tf_title = 1;
    bad_pos[0] = 3;
    bad_pos[1] = 3 + NI_BODY_GAP;
    CHECK_RC(ni_block_encode(&out, p, 1), NI_EINVAL);
    bad_pos[1] = 4 + NI_BODY_GAP;
    CHECK_RC(ni_block_encode(&out, p, 1), 0);
    out.len = 0;
    ni_mem_fail_at(1, 1);
    make(p, 10, 1, 1);
    CHECK_RC(ni_block_encode(&out, p, 10), NI_ENOMEM);
    ni_mem_fail_at(0, 0);
    CHECK(out.len == 0);
    ni_buf_free(&out);
}

/* Decodes everything it can; returns 0 or NI_ECORRUPT. */
static int decode_all(const unsigned char *d, size_t n)
{
    ni_block b;
    uint32_t pos[600], i;
    int rc;
    if ((rc = ni_block_open(&b, d, n)) < 0 || (rc = ni_block_decode_docs(&b)) < 0)
        return rc;
    for (i = 0; i < b.ndocs; i++) {
        if (b.tf_title[i] + (uint64_t)b.tf_body[i] > 600)
            continue;
        if ((rc = ni_block_positions(&b, i, pos, 600)) < 0)
            return rc;
    }
    return 0;
}

static void corruption(void)
{
    static ni_posting p[NI_BLOCK_DOCS];
    ni_buf out = NI_BUF_INIT;
    unsigned char *copy;
    size_t len, bit;
    int rc, ok = 1;

    make(p, 40, 1000, 7);
    CHECK_RC(ni_block_encode(&out, p, 40), 0);
    copy = malloc(out.len);
    for (len = 0; len < out.len; len++) {      /* every truncation */
        memcpy(copy, out.data, len);
        rc = decode_all(copy, len);
        ok &= rc == NI_ECORRUPT;
    }
    CHECK(ok);
    for (bit = 0; bit < out.len * 8; bit++) {  /* every single bit flip */
        memcpy(copy, out.data, out.len);
        copy[bit / 8] ^= (unsigned char)(1u << (bit % 8));
        rc = decode_all(copy, out.len);
        CHECK(rc == 0 || rc == NI_ECORRUPT);
    }
    free(copy);
    ni_buf_free(&out);
}

/*
 * A document's positions read straight after opening the block, which
 * skips those of every document before it (eight bytes at a time while
 * eight positions or more are left): the same as read in order, for
 * positions stored in one to four bytes (runs of one-byte ones too) and
 * documents of 1 to 25 positions; and a block cut anywhere in its
 * positions gives NI_ECORRUPT for the last document, never a read past
 * the end (the sanitizer build would catch one).
 */
static void skipping_positions(void)
{
    static ni_posting p[NI_BLOCK_DOCS];
    static uint32_t pos[NI_BLOCK_DOCS][24];
    static const uint32_t gaps[] = { 1, 3, 200, 20000, 3000000 };
    ni_buf out = NI_BUF_INIT;
    ni_block b;
    uint32_t got[24], i, k;
    size_t len, from, tried = 0;
    int ok = 1;

    for (i = 0; i < NI_BLOCK_DOCS; i++) {
        uint32_t cur = 0;
        p[i].doc = 5 + i;
        p[i].tf_title = i % 4 == 1 ? 1 : 0;
        p[i].tf_body = i % 24 + (p[i].tf_title == 0);
        p[i].len_title = 3;
        p[i].len_body = 50;
        for (k = 0; k < p[i].tf_title + p[i].tf_body; k++) {
            cur += gaps[i % 3 ? (i + k * 7) % 5 : 0] + (k == p[i].tf_title ? NI_BODY_GAP : 0);
            pos[i][k] = cur;
        }
        p[i].pos = pos[i];
    }
    CHECK_RC(ni_block_encode(&out, p, NI_BLOCK_DOCS), 0);
    for (i = 0; i < NI_BLOCK_DOCS; i++) {
        if (ni_block_open(&b, out.data, out.len) < 0 || ni_block_decode_docs(&b) < 0 ||
            ni_block_positions(&b, i, got, 24) < 0 ||
            memcmp(got, pos[i], (p[i].tf_title + p[i].tf_body) * sizeof *got) != 0)
            ok = 0;
    }
    CHECK(ok);
    /* the positions section begins after the documents' entries: cut
     * from the first byte that the positions of document 0 need */
    CHECK_RC(ni_block_open(&b, out.data, out.len), 0);
    from = (size_t)(b.pos_base - out.data);
    for (len = from; len < out.len; len++) {
        unsigned char *cut = malloc(len);     /* no byte beyond it to read */
        ni_block c;
        if (!cut)
            break;
        memcpy(cut, out.data, len);
        if (ni_block_open(&c, cut, len) == 0 && ni_block_decode_docs(&c) == 0) {
            ok &= ni_block_positions(&c, NI_BLOCK_DOCS - 1, got, 24) == NI_ECORRUPT;
            tried++;
        }
        free(cut);
    }
    CHECK(ok);
    CHECK(tried > 100);
    ni_buf_free(&out);
}

TEST_MAIN(TEST(round_trips), TEST(title_counts), TEST(lead), TEST(large_frequencies), TEST(bounds_and_access),
          TEST(encode_validation), TEST(corruption), TEST(skipping_positions))
