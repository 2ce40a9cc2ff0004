/* Unit tests for buf.c, varints and the allocation choke point. */
#include <string.h>

#include "../lib/buf.h"
#include "../lib/error.h"
#include "../lib/mem.h"
#include "test.h"

static void varint_roundtrip(void)
{
    static const uint64_t values[] = { 0, 1, 127, 128, 300, 16383, 16384,
                                       UINT32_MAX, UINT64_MAX };
    ni_buf b = NI_BUF_INIT;
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
        CHECK_RC(ni_buf_put_varint(&b, values[i]), 0);
    const unsigned char *p = b.data, *end = b.data + b.len;
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        uint64_t v = 0;
        CHECK_RC(ni_varint_get(&p, end, &v), 0);
        CHECK(v == values[i]);
    }
    CHECK(p == end);
    ni_buf_free(&b);
}

static void varint_truncated(void)
{
    const unsigned char bytes[] = { 0x80, 0x80 };
    const unsigned char *p = bytes;
    uint64_t v;
    CHECK_RC(ni_varint_get(&p, bytes + 2, &v), NI_ECORRUPT);
    const unsigned char overlong[11] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                         0xff, 0xff, 0xff, 0xff, 0x01 };
    p = overlong;
    CHECK_RC(ni_varint_get(&p, overlong + 11, &v), NI_ECORRUPT);
}

/* The 64-bit limit: a 10th byte may carry only bit 63 (1 is the most it
 * holds); 2 would be bit 64, so the varint is refused, not wrapped. */
static void varint_limit(void)
{
    unsigned char bytes[10];
    const unsigned char *p;
    uint64_t v;
    memset(bytes, 0xff, 9);
    bytes[9] = 0x01;
    p = bytes;
    CHECK_RC(ni_varint_get(&p, bytes + 10, &v), 0);
    CHECK(v == UINT64_MAX && p == bytes + 10);
    memset(bytes, 0x80, 9);
    p = bytes;
    CHECK_RC(ni_varint_get(&p, bytes + 10, &v), 0);
    CHECK(v == (uint64_t)1 << 63 && p == bytes + 10);
    bytes[9] = 0x02;
    p = bytes;
    CHECK_RC(ni_varint_get(&p, bytes + 10, &v), NI_ECORRUPT);
    memset(bytes, 0xff, 9);
    p = bytes;
    CHECK_RC(ni_varint_get(&p, bytes + 10, &v), NI_ECORRUPT);
}

static void buf_grows(void)
{
    ni_buf b = NI_BUF_INIT;
    for (int i = 0; i < 10000; i++)
        CHECK_RC(ni_buf_putc(&b, (unsigned char)i), 0);
    CHECK(b.len == 10000);
    CHECK(b.data[9999] == (unsigned char)9999);
    ni_buf_free(&b);
    CHECK(b.data == NULL && b.len == 0);
}

static void alloc_failure(void)
{
    ni_buf b = NI_BUF_INIT;
    ni_mem_fail_at(1, 0);
    CHECK_RC(ni_buf_put(&b, "abc", 3), NI_ENOMEM);
    CHECK(b.len == 0);
    CHECK_RC(ni_buf_put(&b, "abc", 3), 0);
    ni_mem_fail_at(0, 0);
    CHECK(b.len == 3 && memcmp(b.data, "abc", 3) == 0);
    ni_buf_free(&b);
}

/* The choke point itself: the n-th allocation fails, the ones before it
 * do not; after it the others succeed again, or (sticky) fail too; the
 * count of allocations made comes back when injection is set again. */
static void fault_injection(void)
{
    void *p[5];
    int i;
    ni_mem_fail_at(3, 0);
    for (i = 0; i < 5; i++)
        p[i] = ni_mem_alloc(8);
    CHECK(p[0] && p[1] && !p[2] && p[3] && p[4]);
    for (i = 0; i < 5; i++)
        ni_mem_free(p[i]);
    CHECK(ni_mem_fail_at(3, 1) == 5);
    p[0] = ni_mem_alloc(8);
    p[1] = ni_mem_calloc(2, 4);
    p[2] = ni_mem_alloc(8);
    p[3] = ni_mem_realloc(NULL, 8);
    p[4] = ni_mem_strndup("abc", 3);
    CHECK(p[0] && p[1] && !p[2] && !p[3] && !p[4]);
    CHECK(ni_mem_fail_at(0, 0) == 5);
    for (i = 0; i < 5; i++)
        ni_mem_free(p[i]);
    p[0] = ni_mem_alloc(8);
    CHECK(p[0] != NULL);
    ni_mem_free(p[0]);
}

static void error_messages(void)
{
    CHECK(strcmp(ni_strerror(NI_ENOMEM), "out of memory") == 0);
    CHECK(ni_error(NI_EINVAL, "bad %s", "thing") == NI_EINVAL);
    CHECK(strcmp(ni_errmsg(), "bad thing") == 0);
    CHECK(strcmp(ni_strerror(12345), "unknown error") == 0);
}

TEST_MAIN(TEST(varint_roundtrip), TEST(varint_truncated), TEST(varint_limit), TEST(buf_grows),
          TEST(alloc_failure), TEST(fault_injection), TEST(error_messages))
