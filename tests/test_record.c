/*
 * Unit tests of the stored-record codec (lib/record.c), against the format
 * documented at its top: the plain head (format byte, id, date) byte for
 * byte, field lengths on both sides of the varint length boundaries,
 * absent versus empty fields, records with and without the compression
 * dictionary, ni_record_decode_head on a record's first part, and every
 * truncation, bit flip and malformed tail giving NI_ECORRUPT, never a
 * crash (the sanitizer build catches any stray read).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/mem.h"
#include "../lib/record.h"
#include "test.h"

/* Field sizes on both sides of one- / two- / three-byte varint lengths
 * (a field is stored as varint length + 1, then its bytes). */
static const size_t edge_lens[] = { 0, 1, 126, 127, 128, 16382, 16383, 16384 };
#define NEDGE (sizeof edge_lens / sizeof edge_lens[0])

static char *filled(size_t n, char c)
{
    char *p = malloc(n + 1);
    size_t i;
    for (i = 0; i < n; i++)
        p[i] = (char)(c + (char)(i % 23));
    p[n] = '\0';
    return p;
}

static int same_field(const char *a, size_t an, const char *b, size_t bn)
{
    if (!a || !b)
        return !a && !b && an == 0 && bn == 0;
    return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

static int same_doc(const ni_doc *a, const ni_doc *b)
{
    return same_field(a->id, a->id_len, b->id, b->id_len) &&
           same_field(a->url, a->url_len, b->url, b->url_len) &&
           same_field(a->rubric, a->rubric_len, b->rubric, b->rubric_len) &&
           same_field(a->title, a->title_len, b->title, b->title_len) &&
           same_field(a->text, a->text_len, b->text, b->text_len) &&
           same_field(a->credit, a->credit_len, b->credit, b->credit_len) &&
           a->date == b->date && a->date_offset == b->date_offset &&
           a->date_form == b->date_form;
}

/* Encodes doc with c, decodes it with d into got (strings in scratch). */
static int round_trip(ni_record_codec *c, ni_record_codec *d, const ni_doc *doc,
                      ni_buf *rec, ni_buf *scratch, ni_doc *got)
{
    int rc;
    rec->len = 0;
    if ((rc = ni_record_encode(c, rec, doc)) < 0)
        return rc;
    return ni_record_decode(d, scratch, got, rec->data, rec->len);
}

static ni_doc sample_doc(void)
{
    ni_doc d = NI_DOC_INIT;
    d.id = "lenta-123";
    d.id_len = 9;
    d.url = "https://lenta.ru/news/2024/07/17/school/";
    d.url_len = strlen(d.url);
    d.rubric = "Общество";
    d.rubric_len = strlen(d.rubric);
    d.title = "Главы муниципалитетов приняли участие в проекте «Школы мэров»";
    d.title_len = strlen(d.title);
    d.text = "В Москве подвели итоги обучения первого выпуска «Школы мэров».";
    d.text_len = strlen(d.text);
    d.credit = "Фото: пресс-служба";
    d.credit_len = strlen(d.credit);
    d.date = 1721223000;
    return d;
}

/* The plain head byte for byte: format 4, id as varint length + 1, date
 * as zigzag + 1 (0 for none), after a date its zone (0: written without
 * an offset), then the length of the uncompressed tail. */
static void head_bytes(void)
{
    static const struct { int64_t date; unsigned char code[10]; size_t n; } dates[] = {
        { NI_DATE_NONE, { 0 }, 1 },
        { 0, { 1 }, 1 },
        { -1, { 2 }, 1 },
        { 1, { 3 }, 1 },
        { 63, { 127 }, 1 },            /* zigzag 126, + 1: the last one-byte code */
        { -64, { 0x80, 0x01 }, 2 },    /* zigzag 127, + 1 = 128 */
        { INT64_MAX, { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 }, 10 },
        { INT64_MIN + 1, { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 }, 10 },
    };
    ni_record_codec *c = NULL, *d = NULL;
    ni_buf rec = NI_BUF_INIT, scratch = NI_BUF_INIT, tail = NI_BUF_INIT;
    ni_doc doc = NI_DOC_INIT, got;
    size_t i;

    CHECK_RC(ni_record_codec_new(&c), 0);
    CHECK_RC(ni_record_codec_new(&d), 0);
    doc.id = "ab";
    doc.id_len = 2;
    for (i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        doc.date = dates[i].date;
        size_t z = dates[i].date != NI_DATE_NONE;
        CHECK_RC(round_trip(c, d, &doc, &rec, &scratch, &got), 0);
        CHECK(rec.len >= 4 + dates[i].n + z + 1 + 4);   /* and the head's check */
        CHECK(rec.data[0] == 4 && rec.data[1] == 3 && memcmp(rec.data + 2, "ab", 2) == 0);
        CHECK(memcmp(rec.data + 4, dates[i].code, dates[i].n) == 0);
        CHECK(!z || rec.data[4 + dates[i].n] == 0);
        CHECK(rec.data[4 + dates[i].n + z] == 5);     /* five absent fields, one byte each */
        CHECK(same_doc(&doc, &got));
    }
    /* the tail: each field varint 0 (absent) or length + 1, then its bytes */
    doc.url = "";
    doc.url_len = 0;
    doc.title = "T";
    doc.title_len = 1;
    CHECK_RC(ni_record_pack(&tail, &doc), 0);
    CHECK(tail.len == 6 && memcmp(tail.data, "\x01\x00\x02T\x00\x00", 6) == 0);
    ni_buf_free(&rec);
    ni_buf_free(&scratch);
    ni_buf_free(&tail);
    ni_record_codec_free(c);
    ni_record_codec_free(d);
}

/* An empty field is not an absent one; every field at every edge length
 * reads back, alone and with the others. */
static void field_lengths(void)
{
    ni_record_codec *c = NULL;
    ni_buf rec = NI_BUF_INIT, scratch = NI_BUF_INIT, tail = NI_BUF_INIT;
    ni_doc doc, got;
    size_t i, f;
    int ok = 1;

    CHECK_RC(ni_record_codec_new(&c), 0);
    doc = sample_doc();
    doc.url = doc.rubric = doc.title = doc.text = doc.credit = "";
    doc.url_len = doc.rubric_len = doc.title_len = doc.text_len = doc.credit_len = 0;
    CHECK_RC(round_trip(c, c, &doc, &rec, &scratch, &got), 0);
    CHECK(same_doc(&doc, &got));
    CHECK(got.url && got.rubric && got.title && got.text && got.credit);
    doc = (ni_doc)NI_DOC_INIT;
    doc.id = "x";
    doc.id_len = 1;
    CHECK_RC(round_trip(c, c, &doc, &rec, &scratch, &got), 0);
    CHECK(same_doc(&doc, &got));
    CHECK(!got.url && !got.rubric && !got.title && !got.text && !got.credit);

    for (i = 0; i < NEDGE; i++) {
        size_t n = edge_lens[i], want_varint = n + 1 < 128 ? 1 : n + 1 < 16384 ? 2 : 3;
        char *s = filled(n, 'a');
        for (f = 0; f < 6; f++) {
            doc = sample_doc();
            switch (f) {
            case 0: doc.id = s; doc.id_len = n; break;
            case 1: doc.url = s; doc.url_len = n; break;
            case 2: doc.rubric = s; doc.rubric_len = n; break;
            case 3: doc.title = s; doc.title_len = n; break;
            case 4: doc.text = s; doc.text_len = n; break;
            default: doc.credit = s; doc.credit_len = n; break;
            }
            ok &= round_trip(c, c, &doc, &rec, &scratch, &got) == 0 && same_doc(&doc, &got);
        }
        /* the varint of the length takes the bytes the format says */
        doc = (ni_doc)NI_DOC_INIT;
        doc.url = s;
        doc.url_len = n;
        tail.len = 0;
        CHECK_RC(ni_record_pack(&tail, &doc), 0);
        CHECK(tail.len == want_varint + n + 4);
        doc.url = NULL;
        doc.url_len = 0;
        doc.id = s;
        doc.id_len = n;
        rec.len = 0;
        CHECK_RC(ni_record_encode(c, &rec, &doc), 0);
        CHECK(rec.len > 1 + want_varint + n && rec.data[1 + want_varint + n] == 0);
        CHECK(memcmp(rec.data + 1 + want_varint, s, n) == 0);
        free(s);
    }
    CHECK(ok);
    ni_buf_free(&rec);
    ni_buf_free(&scratch);
    ni_buf_free(&tail);
    ni_record_codec_free(c);
}

/* The decoded strings live in scratch, not in the record's bytes. */
static void strings_in_scratch(void)
{
    ni_record_codec *c = NULL;
    ni_buf rec = NI_BUF_INIT, scratch = NI_BUF_INIT;
    ni_doc doc = sample_doc(), got;
    unsigned char *copy;

    CHECK_RC(ni_record_codec_new(&c), 0);
    CHECK_RC(ni_record_encode(c, &rec, &doc), 0);
    copy = malloc(rec.len);
    memcpy(copy, rec.data, rec.len);
    CHECK_RC(ni_record_decode(c, &scratch, &got, copy, rec.len), 0);
    memset(copy, 0, rec.len);
    free(copy);
    CHECK(same_doc(&doc, &got));
    CHECK((const unsigned char *)got.id > scratch.data &&
          (const unsigned char *)got.id + got.id_len <= scratch.data + scratch.len);
    /* encode appends */
    rec.len = 0;
    CHECK_RC(ni_buf_put(&rec, "xyz", 3), 0);
    CHECK_RC(ni_record_encode(c, &rec, &doc), 0);
    CHECK(memcmp(rec.data, "xyz", 3) == 0);
    CHECK_RC(ni_record_decode(c, &scratch, &got, rec.data + 3, rec.len - 3), 0);
    CHECK(same_doc(&doc, &got));
    ni_buf_free(&rec);
    ni_buf_free(&scratch);
    ni_record_codec_free(c);
}

/* A record of id, date and a given tail (ni_record_encode_packed). */
static int packed(ni_record_codec *c, ni_buf *rec, const void *tail, size_t n)
{
    rec->len = 0;
    return ni_record_encode_packed(c, rec, "id", 2, 42, 0, 0, tail, n);
}

/* Tails that decompress but are not five fields, and a record with no
 * tail at all. */
static void packed_tails(void)
{
    ni_record_codec *c = NULL;
    ni_buf rec = NI_BUF_INIT, scratch = NI_BUF_INIT;
    ni_doc got;

    CHECK_RC(ni_record_codec_new(&c), 0);
    CHECK_RC(packed(c, &rec, NULL, 0), 0);
    CHECK(rec.len == 11 && rec.data[5] == 0 && rec.data[6] == 0);  /* zone 0; length 0, the check, no frame */
    CHECK_RC(ni_record_decode(c, &scratch, &got, rec.data, rec.len), 0);
    CHECK(got.id_len == 2 && memcmp(got.id, "id", 2) == 0 && got.date == 42);
    CHECK(!got.url && !got.rubric && !got.title && !got.text && !got.credit);
    CHECK_RC(ni_buf_putc(&rec, 0), 0);                 /* a byte after no tail */
    CHECK_RC(ni_record_decode(c, &scratch, &got, rec.data, rec.len), NI_ECORRUPT);

    CHECK_RC(packed(c, &rec, "\x01\x02u\x00\x03tt\x00", 8), 0);
    CHECK_RC(ni_record_decode(c, &scratch, &got, rec.data, rec.len), 0);
    CHECK(got.url && got.url_len == 0 && got.rubric_len == 1 && got.rubric[0] == 'u' &&
          !got.title && got.text_len == 2 && !got.credit);
    CHECK_RC(packed(c, &rec, "\x00\x00\x00\x00", 4), 0);          /* four fields */
    CHECK_RC(ni_record_decode(c, &scratch, &got, rec.data, rec.len), NI_ECORRUPT);
    CHECK(strstr(ni_errmsg(), "bad text fields") != NULL);
    CHECK_RC(packed(c, &rec, "\x00\x00\x00\x00\x00\x00", 6), 0);  /* six */
    CHECK_RC(ni_record_decode(c, &scratch, &got, rec.data, rec.len), NI_ECORRUPT);
    CHECK_RC(packed(c, &rec, "\x00\x00\x00\x00\x04xy", 7), 0);    /* 3 bytes claimed, 2 */
    CHECK_RC(ni_record_decode(c, &scratch, &got, rec.data, rec.len), NI_ECORRUPT);
    CHECK_RC(packed(c, &rec, "\x00\x00\x00\x00\x03xy", 7), 0);    /* exactly 2 */
    CHECK_RC(ni_record_decode(c, &scratch, &got, rec.data, rec.len), 0);
    CHECK(got.credit_len == 2 && memcmp(got.credit, "xy", 2) == 0);
    CHECK_RC(packed(c, &rec, "\x00\x00\x00\x00\x80", 5), 0);      /* a cut varint */
    CHECK_RC(ni_record_decode(c, &scratch, &got, rec.data, rec.len), NI_ECORRUPT);
    ni_buf_free(&rec);
    ni_buf_free(&scratch);
    ni_record_codec_free(c);
}

/* Decodes and reads every byte of what it gave; 0 or the error. */
static int decode_touch(ni_record_codec *c, ni_buf *scratch, const unsigned char *p, size_t n)
{
    ni_doc d;
    unsigned sum = 0;
    size_t i;
    int rc = ni_record_decode(c, scratch, &d, p, n);
    if (rc < 0)
        return rc;
    for (i = 0; i < d.id_len; i++) sum += (unsigned char)d.id[i];
    for (i = 0; i < d.url_len; i++) sum += (unsigned char)d.url[i];
    for (i = 0; i < d.rubric_len; i++) sum += (unsigned char)d.rubric[i];
    for (i = 0; i < d.title_len; i++) sum += (unsigned char)d.title[i];
    for (i = 0; i < d.text_len; i++) sum += (unsigned char)d.text[i];
    for (i = 0; i < d.credit_len; i++) sum += (unsigned char)d.credit[i];
    return sum == 0xffffffffu;   /* never: keeps the reads */
}

/* Every truncation is NI_ECORRUPT; every bit flip NI_ECORRUPT or the same
 * document (the checksums cover every byte; a bit zstd does not read, as
 * the unused bit of the frame header, changes nothing); a byte too many, a wrong tail length and an unknown format
 * (format 6's records included) are NI_ECORRUPT. */
static void corrupt_records(ni_record_codec *c, const ni_doc *doc)
{
    ni_buf rec = NI_BUF_INIT, scratch = NI_BUF_INIT;
    unsigned char *copy;
    size_t len, bit, head;
    int rc, ok = 1;
    ni_doc got;

    CHECK_RC(ni_record_encode(c, &rec, doc), 0);
    copy = malloc(rec.len + 1);
    for (len = 0; len < rec.len; len++) {
        memcpy(copy, rec.data, len);
        ok &= decode_touch(c, &scratch, copy, len) == NI_ECORRUPT;
    }
    CHECK(ok);
    for (bit = 0; bit < rec.len * 8; bit++) {
        memcpy(copy, rec.data, rec.len);
        copy[bit / 8] ^= (unsigned char)(1u << (bit % 8));
        rc = ni_record_decode(c, &scratch, &got, copy, rec.len);
        ok &= rc == NI_ECORRUPT || (rc == 0 && same_doc(doc, &got));
    }
    CHECK(ok);
    memcpy(copy, rec.data, rec.len);
    copy[rec.len] = 0;
    CHECK_RC(decode_touch(c, &scratch, copy, rec.len + 1), NI_ECORRUPT);
    /* the tail length one more and one less than the frame's content */
    head = 1 + 1 + doc->id_len + 5 + 1;      /* id < 127 bytes, a 5-byte date, its zone */
    memcpy(copy, rec.data, rec.len);
    CHECK((copy[head] & 0x7f) > 1 && (copy[head] & 0x7f) < 0x7f);
    copy[head]++;
    CHECK_RC(decode_touch(c, &scratch, copy, rec.len), NI_ECORRUPT);
    copy[head] -= 2;
    CHECK_RC(decode_touch(c, &scratch, copy, rec.len), NI_ECORRUPT);
    CHECK(strstr(ni_errmsg(), "fails its checksum (head)") != NULL);
    memcpy(copy, rec.data, rec.len);
    copy[0] = 1;                                          /* format 1: not read */
    CHECK_RC(decode_touch(c, &scratch, copy, rec.len), NI_ECORRUPT);
    CHECK(strstr(ni_errmsg(), "unknown format") != NULL);
    copy[0] = copy[0] == 4 ? 2 : 3;                       /* format 6's */
    CHECK_RC(decode_touch(c, &scratch, copy, rec.len), NI_ECORRUPT);
    CHECK_RC(ni_record_decode_head(&got, copy, rec.len), NI_ECORRUPT);
    free(copy);
    ni_buf_free(&rec);
    ni_buf_free(&scratch);
}

static void corruption_plain(void)
{
    ni_record_codec *c = NULL;
    ni_doc doc = sample_doc();
    CHECK_RC(ni_record_codec_new(&c), 0);
    corrupt_records(c, &doc);
    ni_record_codec_free(c);
}

/* ni_record_decode_head on every prefix: the head needs its id, its date,
 * the tail length and the 4-byte check; a record's first part, HEAD_ROOM =
 * NI_MAX_ID_BYTES + 32 bytes in layout.c, always holds it. */
static void decode_head_prefixes(void)
{
    ni_record_codec *c = NULL;
    ni_buf rec = NI_BUF_INIT;
    ni_doc doc = sample_doc(), got;
    char *id = filled(400, 'A'), *text = filled(5000, 'a');
    size_t len, head;
    int ok = 1;

    CHECK_RC(ni_record_codec_new(&c), 0);
    doc.text = text;
    doc.text_len = 5000;
    CHECK_RC(ni_record_encode(c, &rec, &doc), 0);
    head = 1 + 1 + doc.id_len + 5 + 1 + 2 + 4;            /* zone 0; 5000: a 2-byte length */
    for (len = 0; len <= rec.len; len++) {
        int rc = ni_record_decode_head(&got, rec.data, len);
        if (len < head)
            ok &= rc == NI_ECORRUPT;
        else
            ok &= rc == 0 && got.id == (const char *)rec.data + 2 && got.id_len == 9 &&
                  got.date == doc.date && !got.url && !got.text && !got.credit &&
                  got.text_len == 0;
    }
    CHECK(ok);
    /* the longest id and the longest date still fit the first part */
    doc.id = id;
    doc.id_len = 400;
    doc.date = INT64_MIN + 1;
    rec.len = 0;
    CHECK_RC(ni_record_encode(c, &rec, &doc), 0);
    CHECK_RC(ni_record_decode_head(&got, rec.data, 1 + 2 + 400 + 10 + 1 + 2 + 4), 0);
    CHECK(got.id_len == 400 && memcmp(got.id, id, 400) == 0 && got.date == INT64_MIN + 1);
    CHECK_RC(ni_record_decode_head(&got, rec.data, 1 + 2 + 400 + 10 + 1 + 2 + 3), NI_ECORRUPT);
    doc.date_form = NI_DATE_OFFSET;                /* a 2-byte zone */
    doc.date_offset = 1439;
    rec.len = 0;
    CHECK_RC(ni_record_encode(c, &rec, &doc), 0);
    CHECK_RC(ni_record_decode_head(&got, rec.data, 1 + 2 + 400 + 10 + 2 + 2 + 4), 0);
    CHECK(got.date_offset == 1439);
    CHECK(1 + 2 + 400 + 10 + 2 + 5 + 4 <= 400 + 32);   /* HEAD_ROOM (layout.c): a 5-byte length */
    free(id);
    free(text);
    ni_buf_free(&rec);
    ni_record_codec_free(c);
}

/* ni_record_check: the tail's size is the sum of its fields' sizes and
 * may be 256 MiB (sizes only: no bytes are read). */
static void size_limit(void)
{
    ni_doc doc = NI_DOC_INIT;
    const size_t max = (size_t)1 << 28;
    doc.id = "x";
    doc.id_len = 1;
    doc.text = "";
    /* four absent fields (1 byte each), a 4-byte length, the text */
    doc.text_len = max - 8;
    CHECK_RC(ni_record_check(&doc), 0);
    doc.text_len = max - 7;
    CHECK_RC(ni_record_check(&doc), NI_EINVAL);
    doc.text_len = 0;
    doc.id_len = max - 13;       /* its 4-byte length, 9 bytes for format and date */
    CHECK_RC(ni_record_check(&doc), 0);
    doc.id_len++;
    CHECK_RC(ni_record_check(&doc), NI_EINVAL);
}

/* A failed pack leaves the buffer as it was. */
static void pack_failure(void)
{
    ni_buf out = NI_BUF_INIT;
    ni_doc doc = sample_doc();
    char *text = filled(100000, 'a');
    doc.text = text;
    doc.text_len = 100000;
    CHECK_RC(ni_buf_put(&out, "abc", 3), 0);
    ni_mem_fail_at(1, 1);
    CHECK_RC(ni_record_pack(&out, &doc), NI_ENOMEM);
    ni_mem_fail_at(0, 0);
    CHECK(out.len == 3 && memcmp(out.data, "abc", 3) == 0);
    CHECK_RC(ni_record_pack(&out, &doc), 0);
    CHECK(out.len > 100000);
    free(text);
    ni_buf_free(&out);
}

static const char *const vocab[] = {
    "мэр", "города", "заявил", "что", "в", "Москве", "открыли", "новую", "школу",
    "по", "данным", "агентства", "РИА", "Новости", "правительство", "области",
    "сообщили", "журналистам", "погода", "выставка", "президент", "году",
};

/* A news-like text of the given number of words (fewer if cap is short). */
static size_t news_text(char *out, size_t cap, uint64_t *x, size_t words)
{
    size_t k, t = 0;
    for (k = 0; k < words && t + 40 < cap; k++) {
        *x ^= *x << 13;
        *x ^= *x >> 7;
        *x ^= *x << 17;
        t += (size_t)snprintf(out + t, cap - t, "%s%s", k ? " " : "",
                              vocab[*x % (sizeof vocab / sizeof vocab[0])]);
    }
    return t;
}

/* Tails of n news-like documents laid end to end, for training. */
static size_t news_tails(ni_buf *samples, size_t *sizes, size_t n, size_t words)
{
    char text[8192];
    uint64_t x = 88172645463325252ull;
    size_t i, total = 0;
    samples->len = 0;
    for (i = 0; i < n; i++) {
        ni_doc d = NI_DOC_INIT;
        size_t before = samples->len;
        d.text = text;
        d.text_len = news_text(text, sizeof text, &x, words);
        d.title = "Новость дня";
        d.title_len = strlen(d.title);
        d.rubric = "Общество";
        d.rubric_len = strlen(d.rubric);
        if (ni_record_pack(samples, &d) < 0)
            return 0;
        sizes[i] = samples->len - before;
        total += sizes[i];
    }
    return total;
}

/* Training needs 16 samples and 20 bytes of them per byte of a
 * dictionary of at least 1 KiB. */
static void dict_training(void)
{
    ni_buf samples = NI_BUF_INIT, dict = NI_BUF_INIT;
    size_t sizes[64], total;
    ni_record_dict *d = NULL;

    total = news_tails(&samples, sizes, 64, 300);
    CHECK(total > 64 * 1024);
    CHECK_RC(ni_record_dict_train(&dict, samples.data, sizes, 15), NI_ENOTFOUND);
    CHECK(dict.len == 0);
    CHECK_RC(ni_record_dict_train(&dict, samples.data, sizes, 64), 0);
    CHECK(dict.len >= 1024 && dict.len <= total / 20);
    CHECK_RC(ni_record_dict_new(&d, dict.data, dict.len), 0);
    CHECK(ni_record_dict_same(d, dict.data, dict.len));
    CHECK(!ni_record_dict_same(d, dict.data, dict.len - 1));
    CHECK(!ni_record_dict_same(NULL, dict.data, dict.len));
    ni_record_dict_free(d);
    /* 16 samples of 20,479 bytes in all: a 1,023-byte dictionary at most,
     * too small; of 20,480 bytes, 1 KiB */
    {
        size_t small[16], i, sum = 0;
        for (i = 0; i < 16; i++) {
            small[i] = 1279;
            sum += small[i];
        }
        small[15] += 20479 - sum;
        CHECK(samples.len >= 20480);
        CHECK_RC(ni_record_dict_train(&dict, samples.data, small, 16), NI_ENOTFOUND);
        small[15]++;
        CHECK_RC(ni_record_dict_train(&dict, samples.data, small, 16), 0);
        CHECK(dict.len > 0 && dict.len <= 1024);
    }
    ni_buf_free(&samples);
    ni_buf_free(&dict);
}

/* Bytes that are not a zstd dictionary are refused. */
static void dict_refused(void)
{
    unsigned char raw[2048];
    ni_record_dict *d = (ni_record_dict *)1;
    size_t i;
    for (i = 0; i < sizeof raw; i++)
        raw[i] = (unsigned char)(i * 7);
    CHECK_RC(ni_record_dict_new(&d, raw, sizeof raw), NI_ECORRUPT);
    CHECK(d == NULL);
    CHECK_RC(ni_record_dict_new(&d, (const unsigned char *)"\x37\xa4\x30\xec", 4),
             NI_ECORRUPT);
    ni_record_dict_free(NULL);
}

/* Records made with a dictionary: format 5, smaller, read back only with
 * the dictionary; the codec follows a change of dictionary. */
static void with_dictionary(void)
{
    ni_buf samples = NI_BUF_INIT, dict = NI_BUF_INIT, dict2 = NI_BUF_INIT;
    ni_buf rec = NI_BUF_INIT, plain = NI_BUF_INIT, scratch = NI_BUF_INIT;
    ni_record_codec *c = NULL, *r = NULL;
    ni_record_dict *d = NULL, *d2 = NULL;
    size_t sizes[64], i, f;
    ni_doc doc = sample_doc(), got;
    char text[2048];
    uint64_t x = 1;
    int ok = 1;

    news_tails(&samples, sizes, 64, 300);
    CHECK_RC(ni_record_dict_train(&dict, samples.data, sizes, 64), 0);
    CHECK_RC(ni_record_dict_train(&dict2, samples.data, sizes, 32), 0);
    CHECK_RC(ni_record_dict_new(&d, dict.data, dict.len), 0);
    CHECK_RC(ni_record_dict_new(&d2, dict2.data, dict2.len), 0);
    CHECK_RC(ni_record_codec_new(&c), 0);
    CHECK_RC(ni_record_codec_new(&r), 0);

    /* a news-like text compresses better with the dictionary */
    doc.text = text;
    doc.text_len = news_text(text, sizeof text, &x, 80);
    CHECK_RC(ni_record_encode(c, &plain, &doc), 0);
    ni_record_codec_set_dict(c, d);
    CHECK_RC(ni_record_encode(c, &rec, &doc), 0);
    CHECK(plain.data[0] == 4 && rec.data[0] == 5);
    CHECK(memcmp(plain.data + 1, rec.data + 1, 1 + doc.id_len + 5) == 0);
    CHECK(rec.len < plain.len);
    CHECK_RC(ni_record_decode(r, &scratch, &got, rec.data, rec.len), NI_ECORRUPT);
    CHECK(strstr(ni_errmsg(), "dictionary") != NULL);
    CHECK_RC(ni_record_decode_head(&got, rec.data, rec.len), 0);   /* no dictionary needed */
    CHECK(got.id_len == doc.id_len && got.date == doc.date);
    ni_record_codec_set_dict(r, d);
    CHECK_RC(ni_record_decode(r, &scratch, &got, rec.data, rec.len), 0);
    CHECK(same_doc(&doc, &got));
    /* records without the dictionary stay readable with it */
    CHECK_RC(ni_record_decode(r, &scratch, &got, plain.data, plain.len), 0);
    CHECK(same_doc(&doc, &got));

    /* every edge length of every field */
    for (i = 0; i < NEDGE; i++) {
        char *s = filled(edge_lens[i], 'a');
        for (f = 0; f < 3; f++) {
            ni_doc e = sample_doc();
            if (f == 0) { e.id = s; e.id_len = edge_lens[i]; }
            if (f == 1) { e.title = s; e.title_len = edge_lens[i]; }
            if (f == 2) { e.text = s; e.text_len = edge_lens[i]; }
            ok &= round_trip(c, r, &e, &rec, &scratch, &got) == 0 && same_doc(&e, &got) &&
                  rec.data[0] == 5;
        }
        free(s);
    }
    CHECK(ok);

    /* another dictionary: the codec compresses with it, not the first */
    ni_record_codec_set_dict(c, d2);
    ni_record_codec_set_dict(r, d2);
    CHECK_RC(round_trip(c, r, &doc, &rec, &scratch, &got), 0);
    CHECK(same_doc(&doc, &got));
    ni_record_codec_set_dict(c, d);
    ni_record_codec_set_dict(r, d);
    CHECK_RC(round_trip(c, r, &doc, &rec, &scratch, &got), 0);
    CHECK(same_doc(&doc, &got));
    /* and none again: format 4 */
    ni_record_codec_set_dict(c, NULL);
    rec.len = 0;
    CHECK_RC(ni_record_encode(c, &rec, &doc), 0);
    CHECK(rec.data[0] == 4);

    doc = sample_doc();
    corrupt_records(r, &doc);
    ni_record_codec_free(c);
    ni_record_codec_free(r);
    ni_record_dict_free(d);
    ni_record_dict_free(d2);
    ni_buf_free(&samples);
    ni_buf_free(&dict);
    ni_buf_free(&dict2);
    ni_buf_free(&rec);
    ni_buf_free(&plain);
    ni_buf_free(&scratch);
}

/* How a date was written, after it: varint 0 (no offset), 1 (a day),
 * 2 + 1439 + offset minutes; none without a date; a record of format 2
 * (index format 6: no zone, no check) is not read; a zone out of range is
 * corrupt. */
static void zone_bytes(void)
{
    static const struct { int offset; unsigned form; unsigned char code[2]; size_t n; } zones[] = {
        { 0, 0, { 0 }, 1 },
        { 0, NI_DATE_DAY, { 1 }, 1 },
        { 0, NI_DATE_OFFSET, { 0xa1, 0x0b }, 2 },        /* 1441 = Z */
        { 180, NI_DATE_OFFSET, { 0xd5, 0x0c }, 2 },      /* 1621 = +03:00 */
        { -330, NI_DATE_OFFSET, { 0xd7, 0x08 }, 2 },     /* 1111 = -05:30 */
        { -1439, NI_DATE_OFFSET, { 2 }, 1 },
        { 1439, NI_DATE_OFFSET, { 0xc0, 0x16 }, 2 },     /* 2880 */
    };
    static const unsigned char v6[] = { 2, 3, 'a', 'b', 3, 0 };
    unsigned char bad[] = { 4, 3, 'a', 'b', 3, 0xc1, 0x16, 0 };   /* zone 2881 */
    ni_record_codec *c = NULL, *d = NULL;
    ni_buf rec = NI_BUF_INIT, scratch = NI_BUF_INIT;
    ni_doc doc = NI_DOC_INIT, got;
    size_t i;

    CHECK_RC(ni_record_codec_new(&c), 0);
    CHECK_RC(ni_record_codec_new(&d), 0);
    doc.id = "ab";
    doc.id_len = 2;
    doc.date = 86400;
    for (i = 0; i < sizeof zones / sizeof zones[0]; i++) {
        doc.date_offset = zones[i].offset;
        doc.date_form = zones[i].form;
        rec.len = 0;
        CHECK_RC(ni_record_encode_packed(c, &rec, "ab", 2, doc.date, doc.date_offset,
                                         doc.date_form, NULL, 0), 0);
        CHECK_RC(ni_record_decode(d, &scratch, &got, rec.data, rec.len), 0);
        CHECK(rec.len == 4 + 3 + zones[i].n + 1 + 4);       /* and the head's check */
        CHECK(memcmp(rec.data + 4, "\x81\xc6\x0a", 3) == 0);  /* zigzag(86400) + 1 */
        CHECK(memcmp(rec.data + 7, zones[i].code, zones[i].n) == 0);
        CHECK(same_doc(&doc, &got));
        CHECK_RC(ni_record_decode_head(&got, rec.data, rec.len), 0);
        CHECK(got.date_offset == doc.date_offset && got.date_form == doc.date_form);
    }
    /* index format 6's records (no zone, no check) are not read: format 7
     * indexes never hold them */
    CHECK_RC(ni_record_decode(d, &scratch, &got, v6, sizeof v6), NI_ECORRUPT);
    CHECK(strstr(ni_errmsg(), "unknown format") != NULL);
    CHECK_RC(ni_record_decode(d, &scratch, &got, bad, sizeof bad), NI_ECORRUPT);
    /* a zone one past the last (2880 -> 2881) in a record otherwise whole:
     * refused for its zone, before its check is looked at */
    rec.len = 0;
    CHECK_RC(ni_record_encode_packed(c, &rec, "ab", 2, 86400, 1439, NI_DATE_OFFSET, NULL, 0), 0);
    CHECK(rec.data[7] == 0xc0 && rec.data[8] == 0x16);
    rec.data[7] = 0xc1;
    CHECK_RC(ni_record_decode(d, &scratch, &got, rec.data, rec.len), NI_ECORRUPT);
    CHECK(strstr(ni_errmsg(), "bad fields") != NULL);
    ni_buf_free(&rec);
    ni_buf_free(&scratch);
    ni_record_codec_free(c);
    ni_record_codec_free(d);
}

TEST_MAIN(TEST(head_bytes), TEST(zone_bytes), TEST(field_lengths), TEST(strings_in_scratch), TEST(packed_tails),
          TEST(corruption_plain), TEST(decode_head_prefixes), TEST(size_limit),
          TEST(pack_failure), TEST(dict_training), TEST(dict_refused), TEST(with_dictionary))
