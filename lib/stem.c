/*
 * stem.c - a thin owner of libstemmer: creation, stemming, its failures
 * translated to NI_* codes.  A stemmer is not thread-safe (one per
 * analyzer).
 */
#include <libstemmer.h>
#include <limits.h>

#include "error.h"
#include "mem.h"
#include "stem.h"

struct ni_stemmer {
    struct sb_stemmer *sb;
};

int ni_stemmer_new(ni_stemmer **out, const char *lang)
{
    ni_stemmer *s = ni_mem_alloc(sizeof *s);
    *out = NULL;
    if (!s)
        return ni_error(NI_ENOMEM, "out of memory");
    s->sb = sb_stemmer_new(lang, "UTF_8");
    if (!s->sb) {
        ni_mem_free(s);
        return ni_error(NI_ENOMEM, "cannot create the Snowball '%s' stemmer", lang);
    }
    *out = s;
    return 0;
}

void ni_stemmer_free(ni_stemmer *s)
{
    if (!s)
        return;
    sb_stemmer_delete(s->sb);
    ni_mem_free(s);
}

int ni_stemmer_stem(ni_stemmer *s, const char *w, size_t n, const char **out,
                    size_t *out_len)
{
    const sb_symbol *r;
    if (n > INT_MAX)
        return ni_error(NI_EINVAL, "word too long to stem");
    r = sb_stemmer_stem(s->sb, (const sb_symbol *)w, (int)n);
    if (!r)
        return ni_error(NI_ENOMEM, "out of memory (stemmer)");
    *out = (const char *)r;
    *out_len = (size_t)sb_stemmer_length(s->sb);
    return 0;
}
