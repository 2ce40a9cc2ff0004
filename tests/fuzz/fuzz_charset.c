/* libFuzzer target: text of unknown encoding to UTF-8 (lib/charset.c,
 * ni_text_to_utf8), and nsearch's reader of an article page that is not
 * UTF-8 (tools/input.c), over random bytes: the output is valid UTF-8, and
 * UTF-8 input comes back as it was, without its byte order mark. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "input.h"
#include "newsindex.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int valid(const char *s, size_t n)
{
    size_t i = 0, k;
    while (i < n) {
        if ((k = utf8_seq_len((const unsigned char *)s + i, n - i)) == 0)
            return 0;
        i += k;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data, *cs = NULL;
    char *out = NULL;
    size_t len = 0, skip = size >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
    input *in = NULL;
    ni_doc d;
    int rc = ni_text_to_utf8(&out, &len, &cs, s, size);

    if (rc == 0) {
        assert(out && cs && out[len] == '\0' && valid(out, len));
        if (valid(s + skip, size - skip))
            assert(strcmp(cs, "UTF-8") == 0 && len == size - skip &&
                   memcmp(out, s + skip, len) == 0);
    } else {
        assert(rc == NI_EINVAL && !out && !valid(s + skip, size - skip));
    }
    ni_text_free(out);
    if (input_open_mem(&in, "fuzz.txt", s, size) == 0) {
        if (input_next(in, &d) == 0) {
            assert(d.id && d.id_len > 0);
            assert(!d.title || valid(d.title, d.title_len));
            assert(!d.text || valid(d.text, d.text_len));
        }
        input_close(in);
    }
    return 0;
}
