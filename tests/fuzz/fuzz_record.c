/* libFuzzer target: the stored-record decoder over random bytes; decoded
 * strings must lie inside the decoder's buffer. */
#include <assert.h>
#include <stdint.h>

#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ni_record_codec *c;
    ni_buf scratch = NI_BUF_INIT, again = NI_BUF_INIT;
    ni_doc d;

    if (!c && ni_record_codec_new(&c) < 0)
        return 0;
    if (ni_record_decode(c, &scratch, &d, data, size) == 0) {
        const char *lo = (const char *)scratch.data, *hi = lo + scratch.len;
        assert(!d.id || (d.id >= lo && d.id + d.id_len <= hi));
        assert(!d.text || (d.text >= lo && d.text + d.text_len <= hi));
        assert(ni_record_encode(c, &again, &d) == 0);
    }
    ni_buf_free(&scratch);
    ni_buf_free(&again);
    return 0;
}
