/*
 * stem.h - Snowball stemmers (libstemmer), the only user of <libstemmer.h>.
 */
#ifndef NI_STEM_H
#define NI_STEM_H

#include <stddef.h>

typedef struct ni_stemmer ni_stemmer;

/* lang: a Snowball algorithm name ("russian", "english"). */
int ni_stemmer_new(ni_stemmer **out, const char *lang);
void ni_stemmer_free(ni_stemmer *s);

/* Stems the UTF-8 word w[0..n); *out is valid until the next call. */
int ni_stemmer_stem(ni_stemmer *s, const char *w, size_t n, const char **out,
                    size_t *out_len);

#endif
