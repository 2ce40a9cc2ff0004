/*
 * buf.c - growable byte buffer and varints, the building blocks of every
 * encoder in the library.
 */
#include <string.h>

#include "buf.h"
#include "error.h"
#include "mem.h"

int ni_buf_grow(ni_buf *b, size_t extra)
{
    size_t need, cap;
    unsigned char *p;

    if (extra > SIZE_MAX - b->len)
        return ni_error(NI_ENOMEM, "buffer size overflow");
    need = b->len + extra;
    if (need <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    p = ni_mem_realloc(b->data, cap);
    if (!p)
        return ni_error(NI_ENOMEM, "out of memory (buffer of %zu bytes)", cap);
    b->data = p;
    b->cap = cap;
    return 0;
}

int ni_buf_putc(ni_buf *b, unsigned char c)
{
    int rc;
    if (b->len == b->cap && (rc = ni_buf_reserve(b, 1)) < 0)
        return rc;
    b->data[b->len++] = c;
    return 0;
}

int ni_buf_put_varint(ni_buf *b, uint64_t v)
{
    int rc;
    if (b->cap - b->len < 10 && (rc = ni_buf_reserve(b, 10)) < 0)
        return rc;
    b->len += ni_varint_put(b->data + b->len, v);
    return 0;
}

void ni_buf_free(ni_buf *b)
{
    ni_mem_free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

size_t ni_varint_put(unsigned char *p, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (unsigned char)v;
    return n;
}

int ni_varint_get_long(const unsigned char **pp, const unsigned char *end,
                       uint64_t *out)
{
    const unsigned char *p = *pp;
    uint64_t v = 0;
    unsigned shift = 0;

    while (p < end && shift < 70) {
        unsigned char c = *p++;
        if (shift == 63 && c > 1)
            return NI_ECORRUPT;
        v |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80)) {
            *pp = p;
            *out = v;
            return 0;
        }
        shift += 7;
    }
    return NI_ECORRUPT;
}

int ni_grow(void **p, size_t *cap, size_t need, size_t elem)
{
    size_t ncap;
    void *np;
    if (need <= *cap)
        return 0;
    ncap = *cap ? *cap : 16;
    while (ncap < need)
        ncap *= 2;
    if (ncap > SIZE_MAX / elem)
        return ni_error(NI_ENOMEM, "out of memory");
    np = ni_mem_realloc(*p, ncap * elem);
    if (!np)
        return ni_error(NI_ENOMEM, "out of memory");
    *p = np;
    *cap = ncap;
    return 0;
}
