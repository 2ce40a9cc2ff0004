/* libFuzzer target: JSON Lines input (tools/input.c, jsonl.c) over random
 * bytes; every document has an id and strings stay in bounds. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    input *in = NULL;
    ni_doc d;
    int rc, n = 0;

    if (input_open_mem(&in, "fuzz.jsonl", (const char *)data, size) < 0)
        return 0;
    while ((rc = input_next(in, &d)) != NI_DONE && n++ < 100000) {
        if (rc == NI_EINVAL) {
            assert(strncmp(input_error(in), "fuzz.jsonl:", 11) == 0);
            continue;
        }
        if (rc < 0)
            break;
        assert(d.id && d.id_len > 0);
        if (d.title)
            assert(memchr(d.title, 0, 0) == NULL && d.title_len <= size);
        if (d.text)
            assert(d.text_len <= size);
    }
    input_close(in);
    return 0;
}
