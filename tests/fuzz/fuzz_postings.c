/* libFuzzer target: the posting-block decoder over random bytes.  When a
 * block decodes, re-encoding what was decoded must give the same values,
 * and seeking (partial decoding) at increasing targets finds what the full
 * decoding has. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "postings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint32_t pos[NI_BLOCK_DOCS][64];
    ni_posting p[NI_BLOCK_DOCS];
    ni_block b, c;
    ni_buf out = NI_BUF_INIT;
    uint32_t i, tf;
    int ok = 1;

    if (ni_block_open(&b, data, size) < 0)
        return 0;
    if (ni_block_open(&c, data, size) == 0 && b.ndocs > 0) {
        /* seek to a few targets spread over the block, partially decoded */
        uint32_t at = 0, k, span = b.last_doc - b.first_doc;
        for (k = 1; k <= 4; k++) {
            uint32_t target = b.first_doc + (uint32_t)((uint64_t)span * k / 4), found;
            if (ni_block_seek(&c, at, target, &found) < 0)
                break;
            if (found == c.ndocs)
                break;        /* damaged: no entry reaches the last document */
            assert(found < c.ndec && c.docs[found] >= target);
            assert(found == at || c.docs[found - 1] < target);
            at = found;
        }
    }
    if (ni_block_decode_docs(&b) < 0)
        return 0;
    if (ni_block_open(&c, data, size) == 0) {
        uint32_t found;
        assert(ni_block_seek(&c, 0, b.last_doc, &found) == 0);
        assert(found == b.ndocs - 1);
        for (i = 0; i < b.ndocs; i++)
            assert(c.docs[i] == b.docs[i] && c.tf_title[i] == b.tf_title[i] &&
                   c.tf_body[i] == b.tf_body[i]);
    }
    for (i = 0; i < b.ndocs; i++) {
        tf = b.tf_title[i] + b.tf_body[i];
        if (tf > 64) {
            ok = 0;
            continue;
        }
        if (ni_block_positions(&b, i, pos[i], 64) < 0) {
            ok = 0;
            continue;
        }
        p[i].doc = b.docs[i];
        p[i].tf_title = b.tf_title[i];
        p[i].tf_body = b.tf_body[i];
        p[i].len_title = b.min_len_title;
        p[i].len_body = b.min_len_body;
        p[i].pos = pos[i];
    }
    /* random access after sequential: the same positions */
    if (b.ndocs > 1 && b.tf_title[0] + b.tf_body[0] <= 64) {
        uint32_t again[64];
        if (ni_block_positions(&b, 0, again, 64) == 0 && ok)
            assert(memcmp(again, pos[0], (b.tf_title[0] + b.tf_body[0]) * sizeof *again) == 0);
    }
    if (!ok)
        return 0;
    if (ni_block_encode(&out, p, b.ndocs) == 0) {
        assert(ni_block_open(&c, out.data, out.len) == 0);
        assert(ni_block_decode_docs(&c) == 0);
        assert(c.ndocs == b.ndocs && c.first_doc == b.first_doc && c.last_doc == b.last_doc);
        for (i = 0; i < c.ndocs; i++)
            assert(c.docs[i] == b.docs[i] && c.tf_title[i] == b.tf_title[i] &&
                   c.tf_body[i] == b.tf_body[i]);
    }
    ni_buf_free(&out);
    return 0;
}
