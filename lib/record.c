/*
 * record.c - stored fields of a document (the "docs" table values) and the
 * index's compression dictionary.  The only file that includes <zstd.h>.
 *
 * Format.  The id and date are kept plain, so that a search asking only
 * for ids reads no compressed bytes; the rest is compressed:
 *   u8      format: 4 = the tail is a plain zstd frame, 5 = a zstd frame
 *           made with the index's dictionary (meta "dict", below); 2 and
 *           3 were the same without the zone and the checksums (index
 *           format 6), 1 index format 1's (no dictionary, 8-byte date)
 *   id: varint length + 1, bytes
 *   varint  date: 0 when unknown (NI_DATE_NONE), else zigzag(date) + 1
 *           (5 bytes for a date in seconds of this century), UTC
 *   varint  zone, only after a known date (formats 4 and 5): how the date
 *           was written (ni_doc.date_form, date_offset): 0 a time without
 *           offset (read as UTC), 1 a date without a time (NI_DATE_DAY),
 *           2 + 1439 + offset in minutes (0 .. 2878) for Z or an offset
 *           (NI_DATE_OFFSET); 1 byte, or 2 with an offset
 *   varint  length of the uncompressed tail, 0 when there is none
 *   le32    head check: head_check() of the bytes above
 *   bytes   zstd frame (level 3, content size, content checksum, no
 *           dictionary id) of the tail: url, rubric, title, text, credit,
 *           each varint 0 (absent) or length + 1, then the bytes
 *
 * Checksums (index format 7).  Every byte of a record is covered: the head
 * by its check, the frame's content by zstd's checksum (the low 32 bits of
 * XXH64 of the tail, verified by every decompression), the frame header's
 * content size by the tail length it must equal, and a frame without the
 * checksum flag is refused (a flipped flag would switch the check off).
 * Compressed bytes that still decompress to the right length with the
 * wrong content fail the checksum.  Reads verify before they return a
 * field: a damaged record is NI_ECORRUPT naming the document, never
 * altered text.  8 bytes a record; the cost is measured in bench/README.md.
 *
 * The dictionary is a zstd dictionary (ZDICT_trainFromBuffer_fastCover) of
 * up to NI_RECORD_DICT_MAX bytes trained on tails of the first large batch; it
 * holds the words, phrases and field layout news articles share, so each
 * short record needs not carry them (about 0.65 of the size without it on
 * Russian news).  It is written once and never changed, so records of both
 * formats stay readable with it.
 */
#include <string.h>
/* ZDICT_trainFromBuffer_fastCover is in zdict.h's "static linking only"
 * part, but exported by libzstd.so.1 and stable since zstd 1.3.6 */
#define ZDICT_STATIC_LINKING_ONLY
#include <zdict.h>
/* ZSTD_createDDict_byReference likewise: in the "static linking only" part
 * of zstd.h, exported by libzstd.so.1 since zstd 1.0 */
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

#include "error.h"
#include "mem.h"
#include "record.h"

#define FORMAT_PLAIN 4
#define FORMAT_DICT 5
#define CHECK_BYTES 4
#define ZONE_MAX (2 + 2 * 1439)
#define ZSTD_LEVEL 3
#define MAX_PAYLOAD ((uint64_t)1 << 28)   /* 256 MiB */

struct ni_record_dict {
    unsigned char *bytes;
    size_t len;
    ZSTD_DDict *ddict;
};

struct ni_record_codec {
    ZSTD_CCtx *cctx;
    ZSTD_DCtx *dctx;
    ni_buf plain;
    const ni_record_dict *dict;   /* borrowed */
    ZSTD_CDict *cdict;            /* of cdict_of, made on first use */
    const ni_record_dict *cdict_of;
};

int ni_record_dict_new(ni_record_dict **out, const unsigned char *bytes, size_t len)
{
    ni_record_dict *d;

    *out = NULL;
    /* a full zstd dictionary (magic, id, entropy tables), never raw content */
    if (len < 8 || len > NI_RECORD_DICT_MAX || ZSTD_getDictID_fromDict(bytes, len) == 0)
        return ni_error(NI_ECORRUPT, "compression dictionary of %zu bytes is not one", len);
    if (!(d = ni_mem_calloc(1, sizeof *d)) || !(d->bytes = ni_mem_alloc(len))) {
        ni_mem_free(d);
        return ni_error(NI_ENOMEM, "out of memory");
    }
    memcpy(d->bytes, bytes, len);
    d->len = len;
    /* by reference: d->bytes lives as long as the DDict (a second copy of
     * 110 KB was a fifth of a one-query process's fresh pages) */
    if (!(d->ddict = ZSTD_createDDict_byReference(d->bytes, len))) {
        ni_record_dict_free(d);
        return ni_error(NI_ECORRUPT, "compression dictionary is damaged");
    }
    *out = d;
    return 0;
}

void ni_record_dict_free(ni_record_dict *d)
{
    if (!d)
        return;
    ZSTD_freeDDict(d->ddict);
    ni_mem_free(d->bytes);
    ni_mem_free(d);
}

int ni_record_dict_same(const ni_record_dict *d, const unsigned char *bytes, size_t len)
{
    return d && d->len == len && memcmp(d->bytes, bytes, len) == 0;
}

int ni_record_dict_train(ni_buf *out, const unsigned char *samples, const size_t *sizes,
                         size_t n)
{
    size_t total = 0, i, cap, got;
    ZDICT_fastCover_params_t params;

    /* ZDICT_trainFromBuffer tries four segment sizes k and keeps the best:
     * on 2 MiB of news that took 0.4 s of a 3 s build.  One run with
     * k = 200, its best on news and on all of ../shared/corpus, takes
     * 0.05 s and compresses as well (news index 21.28 vs 21.35 MB). */
    memset(&params, 0, sizeof params);
    params.k = 200;
    params.d = 8;
    params.f = 20;
    params.accel = 1;
    params.splitPoint = 1.0;
    params.zParams.compressionLevel = ZSTD_LEVEL;
    out->len = 0;
    for (i = 0; i < n; i++)
        total += sizes[i];
    /* about 20 bytes of samples per byte of dictionary */
    cap = total / 20 < NI_RECORD_DICT_MAX ? total / 20 : NI_RECORD_DICT_MAX;
    if (n < 16 || n > UINT32_MAX || cap < 1024)
        return NI_ENOTFOUND;
    if (ni_buf_reserve(out, cap) < 0)
        return ni_error(NI_ENOMEM, "out of memory");
    got = ZDICT_trainFromBuffer_fastCover(out->data, cap, samples, sizes, (unsigned)n, params);
    if (ZDICT_isError(got))
        return NI_ENOTFOUND;      /* too few or too uniform samples: no dictionary */
    out->len = got;
    return 0;
}

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
    ZSTD_freeCDict(c->cdict);
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

void ni_record_codec_set_dict(ni_record_codec *c, const ni_record_dict *d)
{
    /* a new dictionary may sit where a freed one was: never trust a
     * compression dictionary made for an earlier pointer */
    if (d != c->dict) {
        ZSTD_freeCDict(c->cdict);
        c->cdict = NULL;
        c->cdict_of = NULL;
    }
    c->dict = d;
}

int ni_record_pack(ni_buf *out, const ni_doc *doc)
{
    size_t before = out->len;
    int rc;
    if ((rc = put_field(out, doc->url, doc->url_len)) < 0 ||
        (rc = put_field(out, doc->rubric, doc->rubric_len)) < 0 ||
        (rc = put_field(out, doc->title, doc->title_len)) < 0 ||
        (rc = put_field(out, doc->text, doc->text_len)) < 0 ||
        (rc = put_field(out, doc->credit, doc->credit_len)) < 0)
        goto fail;
    if (out->len - before > MAX_PAYLOAD) {
        rc = ni_error(NI_EINVAL, "document too large (%zu bytes)", out->len - before);
        goto fail;
    }
    return 0;
fail:
    out->len = before;
    return rc;
}

/* The check of a record's head (format above): a 64-bit multiply-xorshift
 * hash of 8 bytes at a time, its low 32 bits.  Each step is a bijection of
 * the state for a given word, so any change within one 8-byte word (every
 * single-bit flip) always changes the 64-bit state; two changes collide
 * with a chance of about 2^-32.  Part of the format: never change it. */
static uint32_t head_check(const unsigned char *p, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15u ^ n, w;
    size_t i;
    for (; n >= 8; p += 8, n -= 8) {
        w = ni_get_le64(p);
        h = (h ^ w) * 0xff51afd7ed558ccdu;
        h ^= h >> 32;
    }
    for (w = 0, i = 0; i < n; i++)
        w |= (uint64_t)p[i] << (8 * i);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53u;
    h ^= h >> 29;
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 32;
    return (uint32_t)h;
}

static uint64_t date_code(int64_t date)
{
    uint64_t u = (uint64_t)date;
    if (date == NI_DATE_NONE)
        return 0;
    return ((u << 1) ^ (date < 0 ? UINT64_MAX : 0)) + 1;
}

static int64_t date_decode(uint64_t v)
{
    if (v == 0)
        return NI_DATE_NONE;
    v--;
    return (int64_t)((v >> 1) ^ (0 - (v & 1)));
}

/* Compresses src into dst (cap bytes); 0 and *n, or <0 with a message. */
static int compress(ni_record_codec *c, void *dst, size_t cap, const void *src,
                    size_t len, size_t *n)
{
    size_t r;
    if (c->dict && c->cdict_of != c->dict) {
        ZSTD_freeCDict(c->cdict);
        c->cdict_of = NULL;
        if (!(c->cdict = ZSTD_createCDict(c->dict->bytes, c->dict->len, ZSTD_LEVEL)))
            return ni_error(NI_ENOMEM, "out of memory (zstd dictionary)");
        c->cdict_of = c->dict;
    }
    if (!ZSTD_isError(r = ZSTD_CCtx_setParameter(c->cctx, ZSTD_c_compressionLevel,
                                                 ZSTD_LEVEL)) &&
        !ZSTD_isError(r = ZSTD_CCtx_setParameter(c->cctx, ZSTD_c_checksumFlag, 1)) &&
        !ZSTD_isError(r = ZSTD_CCtx_setParameter(c->cctx, ZSTD_c_dictIDFlag, 0)) &&
        (!c->dict || !ZSTD_isError(r = ZSTD_CCtx_refCDict(c->cctx, c->cdict))))
        r = ZSTD_compress2(c->cctx, dst, cap, src, len);
    ZSTD_CCtx_reset(c->cctx, ZSTD_reset_session_and_parameters);
    if (ZSTD_isError(r))
        return ni_error(NI_ENOMEM, "zstd: %s", ZSTD_getErrorName(r));
    *n = r;
    return 0;
}

int ni_record_encode_packed(ni_record_codec *c, ni_buf *out, const char *id, size_t id_len,
                            int64_t date, int date_offset, unsigned date_form,
                            const unsigned char *plain, size_t plain_len)
{
    size_t bound, n = 0, before = out->len;
    int rc = 0;

    if ((rc = ni_buf_putc(out, c->dict ? FORMAT_DICT : FORMAT_PLAIN)) < 0 ||
        (rc = put_field(out, id, id_len)) < 0)
        goto fail;
    if ((rc = ni_buf_put_varint(out, date_code(date))) < 0)
        goto fail;
    if (plain_len > MAX_PAYLOAD || out->len - before > MAX_PAYLOAD) {
        rc = ni_error(NI_EINVAL, "document too large (%zu bytes)", plain_len);
        goto fail;
    }
    if (date != NI_DATE_NONE &&
        (rc = ni_buf_put_varint(out, date_form == NI_DATE_OFFSET
                                         ? (uint64_t)(2 + 1439 + date_offset)
                                         : date_form == NI_DATE_DAY)) < 0)
        goto fail;
    if ((rc = ni_buf_put_varint(out, plain_len)) < 0 ||
        (rc = ni_buf_reserve(out, CHECK_BYTES)) < 0)
        goto fail;
    ni_put_le32(out->data + out->len, head_check(out->data + before, out->len - before));
    out->len += CHECK_BYTES;
    if (!c->cctx && !(c->cctx = ZSTD_createCCtx())) {
        rc = ni_error(NI_ENOMEM, "out of memory (zstd context)");
        goto fail;
    }
    if (plain_len) {
        bound = ZSTD_compressBound(plain_len);
        if ((rc = ni_buf_reserve(out, bound)) < 0)
            goto fail;
        if ((rc = compress(c, out->data + out->len, bound, plain, plain_len, &n)) < 0)
            goto fail;
        out->len += n;
    }
    return 0;
fail:
    out->len = before;
    return rc;
}

int ni_record_encode(ni_record_codec *c, ni_buf *out, const ni_doc *doc)
{
    int rc;
    c->plain.len = 0;
    if ((rc = ni_record_pack(&c->plain, doc)) < 0)
        return rc;
    return ni_record_encode_packed(c, out, doc->id, doc->id_len, doc->date, doc->date_offset,
                                   doc->date_form, c->plain.data, c->plain.len);
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

/* The plain part, its check verified; *tail points at the frame, whose
 * content has *plain_len bytes. */
static int decode_head(ni_doc *doc, const unsigned char *data, size_t len,
                       const unsigned char **tail, uint64_t *plain_len)
{
    const unsigned char *p = data, *end = data + len;
    uint64_t date, zone = 0;
    if (len < 1 || p[0] < FORMAT_PLAIN || p[0] > FORMAT_DICT)
        return ni_error(NI_ECORRUPT, "stored document: unknown format");
    p++;
    if (get_field(&p, end, &doc->id, &doc->id_len) < 0 || ni_varint_get(&p, end, &date) < 0 ||
        (date && ni_varint_get(&p, end, &zone) < 0) || zone > ZONE_MAX ||
        ni_varint_get(&p, end, plain_len) < 0 || (size_t)(end - p) < CHECK_BYTES)
        return ni_error(NI_ECORRUPT, "stored document: bad fields");
    if (ni_get_le32(p) != head_check(data, (size_t)(p - data)))
        return ni_error(NI_ECORRUPT, "stored document fails its checksum (head)");
    doc->date = date_decode(date);
    doc->date_form = zone == 0 ? 0 : zone == 1 ? NI_DATE_DAY : NI_DATE_OFFSET;
    doc->date_offset = zone >= 2 ? (int)zone - 2 - 1439 : 0;
    doc->url = doc->rubric = doc->title = doc->text = doc->credit = NULL;
    doc->url_len = doc->rubric_len = doc->title_len = doc->text_len = doc->credit_len = 0;
    *tail = p + CHECK_BYTES;
    return 0;
}

int ni_record_decode_head(ni_doc *doc, const unsigned char *data, size_t len)
{
    const unsigned char *tail;
    uint64_t plain_len;
    return decode_head(doc, data, len, &tail, &plain_len);
}

/* A zstd frame (RFC 8878): magic, then the frame header descriptor, whose
 * bit 2 says the frame ends in a content checksum. */
static int frame_has_checksum(const unsigned char *p, size_t n)
{
    return n > 4 && (p[4] & 0x04);
}

int ni_record_decode(ni_record_codec *c, ni_buf *scratch, ni_doc *doc,
                     const unsigned char *data, size_t len)
{
    const unsigned char *p, *end = data + len, *head_end;
    size_t head_len, n;
    uint64_t plain_len;
    int rc;

    if ((rc = decode_head(doc, data, len, &p, &plain_len)) < 0)
        return rc;
    head_end = p;
    if (plain_len > MAX_PAYLOAD || (plain_len == 0 && p != end) ||
        (plain_len > 0 && (ZSTD_getFrameContentSize(p, (size_t)(end - p)) != plain_len ||
                           !frame_has_checksum(p, (size_t)(end - p)))))
        return ni_error(NI_ECORRUPT, "stored document '%.*s' fails its checksum (text "
                        "header)", (int)(doc->id_len < 100 ? doc->id_len : 100), doc->id);
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
        int with_dict = data[0] == FORMAT_DICT;
        if (with_dict && !c->dict)
            return ni_error(NI_ECORRUPT, "stored document needs the compression "
                            "dictionary, which the index lacks");
        if (with_dict)
            n = ZSTD_decompress_usingDDict(c->dctx, scratch->data + head_len,
                                           (size_t)plain_len, p, (size_t)(end - p),
                                           c->dict->ddict);
        else
            n = ZSTD_decompressDCtx(c->dctx, scratch->data + head_len, (size_t)plain_len,
                                    p, (size_t)(end - p));
        if (ZSTD_isError(n) || n != plain_len)
            return ni_error(NI_ECORRUPT, "stored document '%.*s' fails its checksum (%s)",
                            (int)(doc->id_len < 100 ? doc->id_len : 100), doc->id,
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
