/* libFuzzer target: the analyzer over random bytes.  Offsets stay inside
 * the input and a word starts on a character (never on a continuation
 * byte), positions never decrease, terms are non-empty and bounded. */
#include <assert.h>
#include <stdint.h>

#include "newsindex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ni_analyzer *an;
    ni_token t;
    uint32_t last = 3;
    int rc;

    if (!an && ni_analyzer_new(&an) < 0)
        return 0;
    if (ni_analyzer_start(an, (const char *)data, size, 3) < 0)
        return 0;
    while ((rc = ni_analyzer_next(an, &t)) == 0) {
        assert(t.start < t.end && t.end <= size);
        assert((data[t.start] & 0xC0) != 0x80);
        assert(t.position >= last);
        assert(t.term_len > 0 && t.term_len <= 2 * NI_MAX_WORD_BYTES + 16);
        assert(t.norm_len > 0);
        last = t.position;
    }
    assert(rc == NI_DONE);
    assert(ni_analyzer_end_position(an) >= last);
    return 0;
}
