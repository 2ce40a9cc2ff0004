/* libFuzzer target: the wire forms of a sharded search (lib/shardwire.c).
 * The first byte picks statistics or a hit list; the rest is decoded.
 * Whatever decodes encodes again to the same bytes (one form per value),
 * and statistics merged into an empty table encode the same too. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "newsindex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char *enc = NULL;
    size_t len = 0;

    if (size < 1)
        return 0;
    if (data[0] & 1) {
        ni_shard_stats *s = NULL, *empty = NULL;
        if (ni_shard_stats_decode(&s, data + 1, size - 1) == 0) {
            assert(ni_shard_stats_encode(&enc, &len, s) == 0);
            assert(len == size - 1 && memcmp(enc, data + 1, len) == 0);
            ni_wire_free(enc);
            /* an empty table: the header of 5 + 4 * 8 + 4 zero bytes */
            if (ni_shard_stats_decode(&empty, (const unsigned char *)"nist\1"
                                      "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
                                      "\0\0\0\0\0\0\0\x80\0\0\0\0", 41) == 0 &&
                ni_shard_stats_merge(empty, s) == 0) {
                assert(ni_shard_stats_encode(&enc, &len, empty) == 0);
                assert(len == size - 1 && memcmp(enc, data + 1, len) == 0);
                ni_wire_free(enc);
            }
            ni_shard_stats_free(empty);
        }
        ni_shard_stats_free(s);
    } else {
        ni_shard_hits *h = NULL;
        if (ni_shard_hits_decode(&h, data + 1, size - 1) == 0) {
            assert(ni_shard_hits_encode(&enc, &len, h) == 0);
            assert(len == size - 1 && memcmp(enc, data + 1, len) == 0);
            ni_wire_free(enc);
        }
        ni_shard_hits_free(h);
    }
    return 0;
}
