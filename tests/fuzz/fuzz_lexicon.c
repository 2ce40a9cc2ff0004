/* libFuzzer target: the lexicon-entry decoders (lib/layout.c: whole, and
 * without cf as searches read it) over random bytes, and the inline
 * posting block of an entry that decodes.  A decoded
 * entry must encode to bytes that decode to the same entry. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "layout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char again[NI_TERM_INFO_MAX];
    uint32_t pos[64], i;
    ni_term_info ti, tj;
    ni_block b;
    size_t n;

    /* what a search reads: never fails where the whole decode succeeds */
    if (ni_term_info_decode_bounds(&tj, data, size) == 0)
        assert(tj.df <= tj.postings && tj.cf == 0 &&
               (!tj.block || (tj.block >= data && tj.block + tj.block_len == data + size)));
    if (ni_term_info_decode(&ti, data, size) < 0)
        return 0;
    assert(ni_term_info_decode_bounds(&tj, data, size) == 0 && tj.df == ti.df &&
           tj.postings == ti.postings && tj.max_tf_title == ti.max_tf_title &&
           tj.min_len_body == ti.min_len_body && tj.block == ti.block);
    assert(ti.df <= ti.postings);
    assert(!ti.block || (ti.block >= data && ti.block + ti.block_len == data + size));
    n = ni_term_info_encode(again, &ti);
    assert(ni_term_info_decode(&tj, again, n) == 0);
    assert(tj.df == ti.df && tj.postings == ti.postings && tj.cf == ti.cf &&
           tj.max_tf_title == ti.max_tf_title && tj.max_tf_body == ti.max_tf_body &&
           tj.min_len_title == ti.min_len_title && tj.min_len_body == ti.min_len_body &&
           tj.block_len == ti.block_len &&
           (!ti.block || memcmp(tj.block, ti.block, ti.block_len) == 0));
    if (!ti.block)
        return 0;
    if (ni_block_open(&b, ti.block, ti.block_len) < 0 || ni_block_decode_docs(&b) < 0)
        return 0;
    for (i = 0; i < b.ndocs; i++)
        if (b.tf_title[i] + b.tf_body[i] <= 64)
            (void)ni_block_positions(&b, i, pos, 64);
    return 0;
}
