/*
 * record.c - stored fields of a document (the "docs" table values).  The
 * only file that includes <zstd.h>.
 *
 * Format (version 1).  The id and date are kept plain, so that a search
 * asking only for ids reads no compressed bytes; the rest is compressed:
 *   u8      1 (format)
 *   id: varint length + 1, bytes
 *   8 bytes little-endian: date (int64, NI_DATE_NONE when unknown)
 *   varint  length of the uncompressed tail, 0 when there is none
 *   bytes   zstd frame (level 3) of the tail: url, rubric, title, text,
 *           credit, each varint 0 (absent) or length + 1, then the bytes
 */
#include <string.h>
#include <zstd.h>

#include "record.h"

#define RECORD_FORMAT 1
#define ZSTD_LEVEL 3
#define MAX_PAYLOAD ((uint64_t)1 << 28)   /* 256 MiB */

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
    /* the zstd contexts are made on first use: a searcher never compresses */
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

/* Bytes put_field writes. */
static uint64_t field_size(const char *s, size_t n)
{
    uint64_t v = (uint64_t)n + 1, size = 1;
    if (!s)
        return 1;
    while (v >= 0x80) {
        v >>= 7;
        size++;
    }
    return size + n;
}

int ni_record_check(const ni_doc *doc)
{
    uint64_t plain = field_size(doc->url, doc->url_len) +
                     field_size(doc->rubric, doc->rubric_len) +
                     field_size(doc->title, doc->title_len) +
                     field_size(doc->text, doc->text_len) +
                     field_size(doc->credit, doc->credit_len);
    if (plain > MAX_PAYLOAD || field_size(doc->id, doc->id_len) + 9 > MAX_PAYLOAD)
        return ni_error(NI_EINVAL, "document too large (%llu bytes)", (unsigned long long)plain);
    return 0;
}

int ni_record_encode(ni_record_codec *c, ni_buf *out, const ni_doc *doc)
{
    ni_buf *p = &c->plain;
    unsigned char date[8];
    size_t bound, n, before = out->len;
    int rc = 0;

    p->len = 0;
    if ((rc = ni_buf_putc(out, RECORD_FORMAT)) < 0 ||
        (rc = put_field(out, doc->id, doc->id_len)) < 0)
        goto fail;
    ni_put_le64(date, (uint64_t)doc->date);
    if ((rc = ni_buf_put(out, date, 8)) < 0)
        goto fail;
    if ((rc = put_field(p, doc->url, doc->url_len)) < 0 ||
        (rc = put_field(p, doc->rubric, doc->rubric_len)) < 0 ||
        (rc = put_field(p, doc->title, doc->title_len)) < 0 ||
        (rc = put_field(p, doc->text, doc->text_len)) < 0 ||
        (rc = put_field(p, doc->credit, doc->credit_len)) < 0)
        goto fail;
    if (p->len > MAX_PAYLOAD || out->len - before > MAX_PAYLOAD) {
        rc = ni_error(NI_EINVAL, "document too large (%zu bytes)", p->len);
        goto fail;
    }
    if ((rc = ni_buf_put_varint(out, p->len)) < 0)
        goto fail;
    if (!c->cctx && !(c->cctx = ZSTD_createCCtx())) {
        rc = ni_error(NI_ENOMEM, "out of memory (zstd context)");
        goto fail;
    }
    if (p->len) {
        bound = ZSTD_compressBound(p->len);
        if ((rc = ni_buf_reserve(out, bound)) < 0)
            goto fail;
        n = ZSTD_compressCCtx(c->cctx, out->data + out->len, bound, p->data, p->len,
                              ZSTD_LEVEL);
        if (ZSTD_isError(n)) {
            rc = ni_error(NI_ENOMEM, "zstd: %s", ZSTD_getErrorName(n));
            goto fail;
        }
        out->len += n;
    }
    return 0;
fail:
    out->len = before;
    return rc;
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

/* The plain part; *tail points at the tail length. */
static int decode_head(ni_doc *doc, const unsigned char *data, size_t len,
                       const unsigned char **tail)
{
    const unsigned char *p = data, *end = data + len;
    if (len < 1 || *p++ != RECORD_FORMAT ||
        get_field(&p, end, &doc->id, &doc->id_len) < 0 || end - p < 9)
        return ni_error(NI_ECORRUPT, "stored document: bad fields");
    doc->date = (int64_t)ni_get_le64(p);
    doc->url = doc->rubric = doc->title = doc->text = doc->credit = NULL;
    doc->url_len = doc->rubric_len = doc->title_len = doc->text_len = doc->credit_len = 0;
    *tail = p + 8;
    return 0;
}

int ni_record_decode_head(ni_doc *doc, const unsigned char *data, size_t len)
{
    const unsigned char *tail;
    return decode_head(doc, data, len, &tail);
}

int ni_record_decode(ni_record_codec *c, ni_buf *scratch, ni_doc *doc,
                     const unsigned char *data, size_t len)
{
    const unsigned char *p, *end = data + len, *head_end;
    size_t head_len, n;
    uint64_t plain_len;
    int rc;

    if ((rc = decode_head(doc, data, len, &p)) < 0)
        return rc;
    head_end = p;
    if (ni_varint_get(&p, end, &plain_len) < 0 || plain_len > MAX_PAYLOAD ||
        (plain_len == 0 && p != end) ||
        (plain_len > 0 && ZSTD_getFrameContentSize(p, (size_t)(end - p)) != plain_len))
        return ni_error(NI_ECORRUPT, "stored document: bad text header");
    /* the head is copied too, so every string lives in scratch */
    head_len = (size_t)(head_end - data);
    scratch->len = 0;
    if ((rc = ni_buf_reserve(scratch, head_len + (size_t)plain_len + 1)) < 0)
        return rc;
    memcpy(scratch->data, data, head_len);
    if (plain_len) {
        const unsigned char *q, *qend;
        if (!c->dctx && !(c->dctx = ZSTD_createDCtx()))
            return ni_error(NI_ENOMEM, "out of memory (zstd context)");
        n = ZSTD_decompressDCtx(c->dctx, scratch->data + head_len, (size_t)plain_len, p,
                                (size_t)(end - p));
        if (ZSTD_isError(n) || n != plain_len)
            return ni_error(NI_ECORRUPT, "stored document: %s",
                            ZSTD_isError(n) ? ZSTD_getErrorName(n) : "length mismatch");
        q = scratch->data + head_len;
        qend = q + n;
        if (get_field(&q, qend, &doc->url, &doc->url_len) < 0 ||
            get_field(&q, qend, &doc->rubric, &doc->rubric_len) < 0 ||
            get_field(&q, qend, &doc->title, &doc->title_len) < 0 ||
            get_field(&q, qend, &doc->text, &doc->text_len) < 0 ||
            get_field(&q, qend, &doc->credit, &doc->credit_len) < 0 || q != qend)
            return ni_error(NI_ECORRUPT, "stored document: bad text fields");
    }
    scratch->len = head_len + (size_t)plain_len;
    {
        /* the id again, now from the copy in scratch */
        const unsigned char *q = scratch->data + 1;
        get_field(&q, scratch->data + head_len, &doc->id, &doc->id_len);
    }
    return 0;
}
