/*
 * translit_keys.c - the transliteration key (lib/translit.c) of every line
 * of stdin, one line out per line in (empty when the word has none), for
 * bench/translit_bench.py.  Usage: translit_keys cyr|lat|icu < words (icu:
 * the Cyrillic key with ICU romanising each word whole, ni_translit_key_cyr_icu)
 */
#include <stdio.h>
#include <string.h>

#include "newsindex.h"
#include "buf.h"
#include "translit.h"

int main(int argc, char **argv)
{
    ni_translit *tr = NULL;
    ni_buf key = NI_BUF_INIT;
    char line[4096];
    int cyr, rc = 2;

    if (argc != 2 || (strcmp(argv[1], "cyr") != 0 && strcmp(argv[1], "lat") != 0 &&
                      strcmp(argv[1], "icu") != 0)) {
        fprintf(stderr, "usage: translit_keys cyr|lat|icu < words\n");
        return 2;
    }
    cyr = strcmp(argv[1], "cyr") == 0 ? 1 : strcmp(argv[1], "icu") == 0 ? 2 : 0;
    if (ni_translit_new(&tr) < 0) {
        fprintf(stderr, "translit_keys: %s\n", ni_errmsg());
        return 2;
    }
    while (fgets(line, sizeof line, stdin)) {
        size_t n = strcspn(line, "\r\n");
        int r = cyr == 1 ? ni_translit_key_cyr(tr, line, n, &key)
                : cyr == 2 ? ni_translit_key_cyr_icu(tr, line, n, &key)
                           : ni_translit_key_lat(tr, line, n, &key);
        if (r < 0 && r != NI_EINVAL) {
            fprintf(stderr, "translit_keys: %s\n", ni_errmsg());
            goto cleanup;
        }
        printf("%.*s\n", r == 1 ? (int)key.len : 0, (const char *)key.data);
    }
    rc = 0;
cleanup:
    ni_buf_free(&key);
    ni_translit_free(tr);
    return rc;
}
