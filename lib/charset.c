/*
 * charset.c - text of unknown encoding to UTF-8 (ni_text_to_utf8, public
 * API): valid UTF-8 passes through, anything else goes to ICU's charset
 * detector (ucsdet), limited to the encodings Russian text is found in,
 * and ICU's converters (ucnv).  No tables of its own: what a byte means in
 * windows-1251 or KOI8-R is ICU's.  Does not guess what a file is (JSON,
 * an article page, binary): that is the reader's.
 */
#include <string.h>

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>

#include "analyzer.h"
#include "error.h"
#include "mem.h"
#include "newsindex.h"

/* The encodings accepted from the detector, as ICU names them, and the
 * least confidence (of ICU's 0..100) each needs: real Russian paragraphs
 * score 45 to 55 in the single-byte ones, a few words 30 or more, while
 * binary bytes score 5 or less; ICU gives UTF-16 10 for any text, 100 with
 * a byte order mark, so it is taken only with one.  ICU's detector has no
 * IBM866 (DOS) recogniser. */
static const struct { const char *name; int32_t min; } russian[] = {
    { "windows-1251", 20 }, { "KOI8-R", 20 }, { "ISO-8859-5", 20 },
    { "UTF-16LE", 100 }, { "UTF-16BE", 100 },
};

static int valid_utf8(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        size_t n = (unsigned char)s[i] < 0x80 ? 1 : ni_utf8_len((const unsigned char *)s + i,
                                                                  len - i);
        if (n == 0)
            return 0;
        i += n;
    }
    return 1;
}

/* Copies s[0..len) into a new NUL-terminated buffer. */
static int copy_out(char **out, size_t *out_len, const char *s, size_t len)
{
    if (!(*out = ni_mem_alloc(len + 1)))
        return ni_error(NI_ENOMEM, "out of memory");
    memcpy(*out, s, len);
    (*out)[len] = '\0';
    *out_len = len;
    return 0;
}

/* The best of the accepted encodings the detector finds for s, or NULL. */
static const char *detect(const char *s, size_t len)
{
    UErrorCode e = U_ZERO_ERROR;
    UCharsetDetector *d = ucsdet_open(&e);
    const UCharsetMatch **m;
    const char *found = NULL;
    int32_t n = 0, i;
    size_t k;

    if (U_FAILURE(e))
        return NULL;
    ucsdet_setText(d, s, len > INT32_MAX ? INT32_MAX : (int32_t)len, &e);
    m = U_SUCCESS(e) ? ucsdet_detectAll(d, &n, &e) : NULL;
    for (i = 0; U_SUCCESS(e) && m && i < n && !found; i++) {
        const char *name = ucsdet_getName(m[i], &e);
        int32_t conf = ucsdet_getConfidence(m[i], &e);
        if (U_FAILURE(e))
            break;
        for (k = 0; k < sizeof russian / sizeof *russian; k++)
            if (strcmp(name, russian[k].name) == 0 && conf >= russian[k].min)
                found = russian[k].name;
    }
    ucsdet_close(d);
    return found;
}

int ni_text_to_utf8(char **out, size_t *out_len, const char **charset, const char *in,
                    size_t len)
{
    UErrorCode e = U_ZERO_ERROR;
    const char *cs, *from;
    int32_t need;

    *out = NULL;
    *out_len = 0;
    if (charset)
        *charset = NULL;
    if (len >= 3 && memcmp(in, "\xef\xbb\xbf", 3) == 0) {   /* a BOM */
        in += 3;
        len -= 3;
    }
    if (valid_utf8(in, len)) {
        if (charset)
            *charset = "UTF-8";
        return copy_out(out, out_len, in, len);
    }
    if (len > INT32_MAX / 3)
        return ni_error(NI_EINVAL, "text of %zu bytes too long to convert", len);
    if (!(cs = detect(in, len)))
        return ni_error(NI_EINVAL, "not UTF-8 and not in an encoding of Russian text "
                        "(windows-1251, KOI8-R, ISO-8859-5, UTF-16)");
    /* ICU's "UTF-16" reads the byte order mark (and drops it); one pass
     * for the length, one to convert */
    from = strncmp(cs, "UTF-16", 6) == 0 ? "UTF-16" : cs;
    need = ucnv_convert("UTF-8", from, NULL, 0, in, (int32_t)len, &e);
    if (e != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(e))
        return ni_error(NI_EINVAL, "cannot convert from %s: %s", cs, u_errorName(e));
    if (!(*out = ni_mem_alloc((size_t)need + 1)))
        return ni_error(NI_ENOMEM, "out of memory");
    e = U_ZERO_ERROR;
    need = ucnv_convert("UTF-8", from, *out, need + 1, in, (int32_t)len, &e);
    if (U_FAILURE(e)) {
        ni_mem_free(*out);
        *out = NULL;
        return ni_error(NI_EINVAL, "cannot convert from %s: %s", cs, u_errorName(e));
    }
    *out_len = (size_t)need;
    if (charset)
        *charset = cs;
    return 0;
}

void ni_text_free(char *text)
{
    ni_mem_free(text);
}
