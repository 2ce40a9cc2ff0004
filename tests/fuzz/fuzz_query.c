/* libFuzzer target: the query parser over random bytes.  Every text must
 * point inside the input and inside its node's span, kids counts stay
 * within the node limit. */
#include <assert.h>
#include <stdint.h>

#include "query.h"

static size_t walk(const ni_qnode *q, const char *s, size_t n, int depth)
{
    size_t i, count = 1;
    assert(depth <= NI_QUERY_MAX_DEPTH * 2 + 4);
    if (q->text)
        assert(q->text >= s && q->text + q->len <= s + n);
    assert(q->offset < q->end && q->end <= n);
    if (q->text)
        assert(q->offset <= (size_t)(q->text - s) && q->text + q->len <= s + q->end);
    if (q->type == NI_Q_NOT)
        assert(q->nkids == 1);
    if (q->type == NI_Q_DATE)
        assert(q->lo <= q->hi);
    for (i = 0; i < q->nkids; i++) {
        assert(q->kids[i]->offset >= q->offset && q->kids[i]->end <= q->end);
        count += walk(q->kids[i], s, n, depth + 1);
    }
    return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ni_qnode *q = NULL;
    int rc = ni_query_parse(&q, (const char *)data, size);
    assert(rc == 0 || rc == NI_ESYNTAX);
    if (q)
        assert(walk(q, (const char *)data, size, 0) <= NI_QUERY_MAX_NODES);
    ni_query_free(q);
    return 0;
}
