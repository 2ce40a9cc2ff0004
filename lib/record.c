/*
 * record.c - stored fields of a document (the "docs" table values).  The
 * only file that includes <zstd.h>.
 *
 * Format (version 1):
 *   u8      1 (format)
 *   varint  length of the uncompressed payload
 *   bytes   zstd frame (level 3) of the payload:
 *             for id, url, rubric, title, text, credit in this order:
 *               varint 0 (field absent) or length + 1, then the bytes
 *             8 bytes little-endian: date (int64, NI_DATE_NONE when unknown)
 */
#include <string.h>
#include <zstd.h>

#include "record.h"

#define RECORD_FORMAT 1
#define ZSTD_LEVEL 3
#define MAX_PAYLOAD ((uint64_t)1 << 28)   /* 256 MiB */
#define MIN_PAYLOAD 14                      /* six empty fields and a date */

struct ni_record_codec {
    ZSTD_CCtx *cctx;
    ZSTD_DCtx *dctx;
    ni_buf plain;
};

int ni_record_codec_new(ni_record_codec **out)
{
    ni_record_codec *c = ni_mem_calloc(1, sizeof *c);
    *out = NULL;
    if (!c)
        return ni_error(NI_ENOMEM, "out of memory");
    c->cctx = ZSTD_createCCtx();
    c->dctx = ZSTD_createDCtx();
    if (!c->cctx || !c->dctx) {
        ni_record_codec_free(c);
        return ni_error(NI_ENOMEM, "out of memory (zstd context)");
    }
    *out = c;
    return 0;
}

void ni_record_codec_free(ni_record_codec *c)
{
    if (!c)
        return;
    ZSTD_freeCCtx(c->cctx);
    ZSTD_freeDCtx(c->dctx);
    ni_buf_free(&c->plain);
    ni_mem_free(c);
}

static int put_field(ni_buf *b, const char *s, size_t n)
{
    int rc;
    if (!s)
        return ni_buf_putc(b, 0);
    if ((rc = ni_buf_put_varint(b, (uint64_t)n + 1)) < 0)
        return rc;
    return ni_buf_put(b, s, n);
}

int ni_record_encode(ni_record_codec *c, ni_buf *out, const ni_doc *doc)
{
    ni_buf *p = &c->plain;
    unsigned char date[8];
    size_t bound, n;
    int rc = 0;

    p->len = 0;
    if ((rc = put_field(p, doc->id, doc->id_len)) < 0 ||
        (rc = put_field(p, doc->url, doc->url_len)) < 0 ||
        (rc = put_field(p, doc->rubric, doc->rubric_len)) < 0 ||
        (rc = put_field(p, doc->title, doc->title_len)) < 0 ||
        (rc = put_field(p, doc->text, doc->text_len)) < 0 ||
        (rc = put_field(p, doc->credit, doc->credit_len)) < 0)
        return rc;
    ni_put_le64(date, (uint64_t)doc->date);
    if ((rc = ni_buf_put(p, date, 8)) < 0)
        return rc;
    if (p->len > MAX_PAYLOAD)
        return ni_error(NI_EINVAL, "document too large (%zu bytes)", p->len);

    bound = ZSTD_compressBound(p->len);
    if ((rc = ni_buf_reserve(out, bound + 11)) < 0)
        return rc;
    out->data[out->len++] = RECORD_FORMAT;
    out->len += ni_varint_put(out->data + out->len, p->len);
    n = ZSTD_compressCCtx(c->cctx, out->data + out->len, bound, p->data,
                          p->len, ZSTD_LEVEL);
    if (ZSTD_isError(n))
        return ni_error(NI_ENOMEM, "zstd: %s", ZSTD_getErrorName(n));
    out->len += n;
    return 0;
}

static int get_field(const unsigned char **p, const unsigned char *end,
                     const char **s, size_t *n)
{
    uint64_t v;
    if (ni_varint_get(p, end, &v) < 0)
        return NI_ECORRUPT;
    if (v == 0) {
        *s = NULL;
        *n = 0;
        return 0;
    }
    v--;
    if (v > (uint64_t)(end - *p))
        return NI_ECORRUPT;
    *s = (const char *)*p;
    *n = (size_t)v;
    *p += v;
    return 0;
}

int ni_record_decode(ni_record_codec *c, ni_buf *scratch, ni_doc *doc,
                     const unsigned char *data, size_t len)
{
    const unsigned char *p = data, *end = data + len;
    uint64_t plain_len;
    size_t n;
    int rc;

    if (len < 2 || *p++ != RECORD_FORMAT ||
        ni_varint_get(&p, end, &plain_len) < 0 || plain_len > MAX_PAYLOAD ||
        plain_len < MIN_PAYLOAD ||
        ZSTD_getFrameContentSize(p, (size_t)(end - p)) != plain_len)
        return ni_error(NI_ECORRUPT, "stored document: bad header");
    scratch->len = 0;
    if ((rc = ni_buf_reserve(scratch, (size_t)plain_len)) < 0)
        return rc;
    n = ZSTD_decompressDCtx(c->dctx, scratch->data, (size_t)plain_len, p,
                            (size_t)(end - p));
    if (ZSTD_isError(n) || n != plain_len)
        return ni_error(NI_ECORRUPT, "stored document: %s",
                        ZSTD_isError(n) ? ZSTD_getErrorName(n) : "length mismatch");
    scratch->len = n;
    p = scratch->data;
    end = p + n;
    if (get_field(&p, end, &doc->id, &doc->id_len) < 0 ||
        get_field(&p, end, &doc->url, &doc->url_len) < 0 ||
        get_field(&p, end, &doc->rubric, &doc->rubric_len) < 0 ||
        get_field(&p, end, &doc->title, &doc->title_len) < 0 ||
        get_field(&p, end, &doc->text, &doc->text_len) < 0 ||
        get_field(&p, end, &doc->credit, &doc->credit_len) < 0 ||
        end - p != 8)
        return ni_error(NI_ECORRUPT, "stored document: bad fields");
    doc->date = (int64_t)ni_get_le64(p);
    return 0;
}
