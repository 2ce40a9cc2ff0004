/*
 * internal.h - what the modules of lib/ share: the allocation choke point,
 * error reporting and a growable byte buffer.  Not installed.
 */
#ifndef NI_INTERNAL_H
#define NI_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "newsindex.h"

#if defined(__GNUC__)
#define NI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define NI_PRINTF(f, a)
#endif

/* mem.c: every allocation of the library goes through these. */
void *ni_mem_alloc(size_t n);
void *ni_mem_calloc(size_t count, size_t size);
void *ni_mem_realloc(void *p, size_t n);
void ni_mem_free(void *p);
char *ni_mem_strndup(const char *s, size_t n);

/*
 * Fault injection for tests: make the n-th allocation from now fail (and
 * every one after it while sticky is set); 0 turns it off.  Returns the
 * number of allocations made since the last call.
 */
uint64_t ni_mem_fail_at(uint64_t n, int sticky);

/* error.c: records the message of a failure for ni_errmsg(); returns rc. */
int ni_error(int rc, const char *fmt, ...) NI_PRINTF(2, 3);
void ni_error_clear(void);

/* buf.c: a growable byte buffer; on allocation failure functions return
 * NI_ENOMEM and leave the buffer as it was. */
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
int ni_buf_putc(ni_buf *b, unsigned char c);
int ni_buf_put_varint(ni_buf *b, uint64_t v);
void ni_buf_free(ni_buf *b);

/* Grows the array *p of *cap elements of elem bytes (doubling, from 16) to
 * hold need of them.  0 or NI_ENOMEM (the array is unchanged then). */
int ni_grow(void **p, size_t *cap, size_t need, size_t elem);
#define NI_GROW(arr, cap, need) \
    ((need) <= (cap) ? 0 : ni_grow((void **)&(arr), &(cap), (need), sizeof *(arr)))

/* varint.c: LEB128-style unsigned varints (7 bits a byte, low first). */
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

/* analyzer.c: ni_term_hash of the term of the token the last
 * ni_analyzer_next returned (computed once per cached word form). */
uint32_t ni_analyzer_term_hash(const ni_analyzer *an);

/* date.c: civil calendar helpers (proleptic Gregorian). */
int64_t ni_days_from_civil(int64_t y, unsigned m, unsigned d);
unsigned ni_days_in_month(int64_t y, unsigned m);

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
