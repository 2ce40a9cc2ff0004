/* libFuzzer target: the stored-record decoder over random bytes, with a
 * compression dictionary (so both record formats are decoded), and the
 * dictionary loader over the same bytes.  Decoded strings must lie inside
 * the decoder's buffer. */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>

#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A dictionary trained once on generated article-like tails. */
static ni_record_dict *make_dict(void)
{
    static const char *const words[] = { "мэр", "города", "заявил", "в", "Москве",
                                         "школу", "по", "данным", "РИА", "Новости" };
    ni_buf samples = NI_BUF_INIT, one = NI_BUF_INIT, dict = NI_BUF_INIT;
    size_t sizes[300], i, k;
    char text[2048];
    uint32_t x = 1;
    ni_record_dict *d = NULL;

    for (i = 0; i < 300; i++) {
        ni_doc doc = NI_DOC_INIT;
        size_t n = 0;
        for (k = 0; k < 120; k++) {
            x = x * 1103515245u + 12345u;
            n += (size_t)snprintf(text + n, sizeof text - n, " %s",
                                  words[(x >> 16) % (sizeof words / sizeof words[0])]);
        }
        doc.text = text;
        doc.text_len = n;
        one.len = 0;
        if (ni_record_pack(&one, &doc) < 0 || ni_buf_put(&samples, one.data, one.len) < 0)
            break;
        sizes[i] = one.len;
    }
    if (i == 300 && ni_record_dict_train(&dict, samples.data, sizes, i) == 0)
        (void)ni_record_dict_new(&d, dict.data, dict.len);
    ni_buf_free(&samples);
    ni_buf_free(&one);
    ni_buf_free(&dict);
    return d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ni_record_codec *c;
    static ni_record_dict *dict;
    ni_record_dict *d2 = NULL;
    ni_buf scratch = NI_BUF_INIT, again = NI_BUF_INIT;
    ni_doc d;

    if (!c) {
        if (ni_record_codec_new(&c) < 0)
            return 0;
        dict = make_dict();
        assert(dict);
        ni_record_codec_set_dict(c, dict);
    }
    if (ni_record_dict_new(&d2, data, size) == 0)
        ni_record_dict_free(d2);
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
