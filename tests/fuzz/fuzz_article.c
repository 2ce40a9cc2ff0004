/* libFuzzer target: article-page input (tools/article.c) over random
 * bytes; the document's strings lie inside the input. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "article.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define INSIDE(p, n) assert(!(p) || ((p) >= s && (p) + (n) <= s + size))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    char warn[256];
    ni_doc d;
    int rc = article_parse(s, size, &d, warn, sizeof warn);
    assert(rc == 0 || rc == 1 || rc == NI_EINVAL);
    if (rc >= 0) {
        INSIDE(d.title, d.title_len);
        INSIDE(d.text, d.text_len);
        INSIDE(d.rubric, d.rubric_len);
        INSIDE(d.credit, d.credit_len);
        assert(d.title && d.title_len > 0);
    }
    return 0;
}
