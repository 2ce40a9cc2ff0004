/* libFuzzer target: the facet spec parser (lib/facets.c) over random bytes.
 * It accepts a spec or gives NI_EINVAL with a message, never reads past
 * the input; an accepted spec has 1 to NI_FACETS_MAX distinct facets, and
 * the canonical spec made of their names parses to the same facets. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "error.h"
#include "facets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ni_facet_spec fs, again;
    char canon[64];
    size_t i, j, at = 0;
    int rc = ni_facets_parse(&fs, (const char *)data, size);

    if (rc < 0) {
        assert(rc == NI_EINVAL && ni_errmsg()[0] != '\0');
        return 0;
    }
    assert(rc == 0 && fs.n >= 1 && fs.n <= NI_FACETS_MAX);
    for (i = 0; i < fs.n; i++) {
        for (j = 0; j < i; j++)
            assert(fs.kind[i] != fs.kind[j]);
        const char *name = ni_facet_name(fs.kind[i]);
        assert(at + strlen(name) + 1 < sizeof canon);
        if (i)
            canon[at++] = ',';
        memcpy(canon + at, name, strlen(name));
        at += strlen(name);
    }
    assert(ni_facets_parse(&again, canon, at) == 0 && again.n == fs.n);
    assert(memcmp(again.kind, fs.kind, fs.n * sizeof *fs.kind) == 0);
    return 0;
}
