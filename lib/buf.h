/*
 * buf.h - bytes in memory (buf.c): a growable byte buffer, growable arrays,
 * LEB128 varints and fixed-width integers in either byte order.
 */
#ifndef NI_BUF_H
#define NI_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "newsindex.h"

/* A growable byte buffer; on allocation failure functions return NI_ENOMEM
 * and leave the buffer as it was. */
typedef struct ni_buf {
    unsigned char *data;
    size_t len;
    size_t cap;
} ni_buf;

#define NI_BUF_INIT { NULL, 0, 0 }

/* Makes room for extra more bytes: 0 or NI_ENOMEM. */
int ni_buf_grow(ni_buf *b, size_t extra);
static inline int ni_buf_reserve(ni_buf *b, size_t extra)
{
    return extra <= b->cap - b->len ? 0 : ni_buf_grow(b, extra);
}
static inline int ni_buf_put(ni_buf *b, const void *p, size_t n)
{
    int rc;
    if (n == 0)
        return 0;
    if ((rc = ni_buf_reserve(b, n)) < 0)
        return rc;
    memcpy(b->data + b->len, p, n);
    b->len += n;
    return 0;
}
/* Appends the NUL-terminated string s (without its NUL). */
static inline int ni_buf_puts(ni_buf *b, const char *s)
{
    return ni_buf_put(b, s, strlen(s));
}
int ni_buf_putc(ni_buf *b, unsigned char c);
int ni_buf_put_varint(ni_buf *b, uint64_t v);
void ni_buf_free(ni_buf *b);

/* Grows the array *p of *cap elements of elem bytes (doubling, from 16) to
 * hold need of them.  0 or NI_ENOMEM (the array is unchanged then). */
int ni_grow(void **p, size_t *cap, size_t need, size_t elem);
#define NI_GROW(arr, cap, need) \
    ((need) <= (cap) ? 0 : ni_grow((void **)&(arr), &(cap), (need), sizeof *(arr)))

/* LEB128-style unsigned varints (7 bits a byte, low first). */
size_t ni_varint_put(unsigned char *p, uint64_t v); /* p needs 10 bytes */
/* Reads a varint from [*p, end); returns 0 or NI_ECORRUPT when truncated
 * or longer than 10 bytes. */
int ni_varint_get_long(const unsigned char **p, const unsigned char *end,
                       uint64_t *out);
static inline int ni_varint_get(const unsigned char **p, const unsigned char *end,
                                uint64_t *out)
{
    const unsigned char *s = *p;
    if (s < end && s[0] < 0x80) {       /* one or two bytes: most of them */
        *out = s[0];
        *p = s + 1;
        return 0;
    }
    if (end - s >= 2 && s[1] < 0x80) {
        *out = (uint64_t)(s[0] & 0x7f) | (uint64_t)s[1] << 7;
        *p = s + 2;
        return 0;
    }
    return ni_varint_get_long(p, end, out);
}
/* Writes v at p (room for 5 bytes) and returns the end: the inline form
 * for hot loops. */
static inline unsigned char *ni_varint_put32(unsigned char *p, uint32_t v)
{
    while (v >= 0x80) {
        *p++ = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    *p++ = (unsigned char)v;
    return p;
}

/* Fixed-width big-endian integers (sort in key order) and little-endian. */
static inline void ni_put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24); p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);  p[3] = (unsigned char)v;
}
static inline uint32_t ni_get_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | (uint32_t)p[3];
}
static inline void ni_put_le32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;         p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16); p[3] = (unsigned char)(v >> 24);
}
static inline uint32_t ni_get_le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 |
           (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline void ni_put_le64(unsigned char *p, uint64_t v)
{
    ni_put_le32(p, (uint32_t)v);
    ni_put_le32(p + 4, (uint32_t)(v >> 32));
}
static inline uint64_t ni_get_le64(const unsigned char *p)
{
    return (uint64_t)ni_get_le32(p) | (uint64_t)ni_get_le32(p + 4) << 32;
}

#endif
