/*
 * postings.c - the posting-block codec (see postings.h).  Pure: no I/O, no
 * allocation, no global state.  Every decoder checks its input, since the
 * bytes come from disk: malformed blocks give NI_ECORRUPT, never a crash or
 * a read outside the block.
 *
 * Block format, version 4 (an LMDB value under the key
 * term 0x00 be32(last_doc), or inside a lexicon value; written by
 * postlist.c for the flush and compaction):
 *
 *   u8      format (3)
 *   varint  ndocs (1..128)
 *   varint  first_doc
 *   when ndocs > 1:
 *     varint  last_doc - first_doc
 *     varint  max_tf_title, max_tf_body     largest frequencies in the block
 *           (a one-document block's are its document's)
 *   varint  min_len_title, min_len_body     smallest document lengths
 *   varint  bytes of the document section << 1 | lead
 *   when lead is 1: (ndocs + 7) / 8 bytes, bit i (byte i / 8, bit i % 8)
 *           set when document i has the term in its lead (the first
 *           NI_LEAD_POSITIONS positions of the body: the posting's lead);
 *           lead 0: no document of the block has (version 4: new)
 *   documents    per document: varint gap << 1 | plain, gap = doc[i] -
 *                doc[i-1] - 1 (0 for the first); plain 1 means tf_title 0
 *                and tf_body 1 (the usual case: once, in the body), else
 *                the frequencies follow: varint tf_body << 2 |
 *                min(tf_title, 3), then when tf_title >= 3, varint
 *                tf_title - 3
 *   positions    per document: tf_title + tf_body varints, the first
 *                absolute, then gaps (>= 1) from the previous position;
 *                the first body position is stored less NI_BODY_GAP (as
 *                the document's first position, or as the gap from its
 *                last title position, then >= 1), since the body always
 *                starts that far after the title: news documents are
 *                short, so this makes most of them one byte
 *
 * The header alone bounds the BM25F score of every document of the block
 * (largest tf over smallest length), which is what block-max pruning needs.
 */
#include <string.h>

#include "error.h"
#include "postings.h"

#define FORMAT 4

/* One document's entry of the document section into p (30 bytes);
 * returns the length. */
static size_t doc_put(unsigned char *p, uint32_t gap, uint32_t tf_title, uint32_t tf_body)
{
    int plain = tf_title == 0 && tf_body == 1;
    size_t n = ni_varint_put(p, (uint64_t)gap << 1 | (unsigned)plain);
    if (plain)
        return n;
    n += ni_varint_put(p + n, (uint64_t)tf_body << 2 | (tf_title < 3 ? tf_title : 3));
    if (tf_title >= 3)
        n += ni_varint_put(p + n, tf_title - 3);
    return n;
}

int ni_block_encode(ni_buf *out, const ni_posting *p, size_t n)
{
    unsigned char head[64], tmp[30];
    size_t h = 0, i, before = out->len, docs_len = 0;
    uint32_t max_t = 0, max_b = 0, min_lt = UINT32_MAX, min_lb = UINT32_MAX, k;
    unsigned char lead[NI_BLOCK_DOCS / 8] = {0};
    int any_lead = 0;
    int rc;

    if (n == 0 || n > NI_BLOCK_DOCS)
        return ni_error(NI_EINVAL, "a block holds 1 to %d documents, not %zu",
                        NI_BLOCK_DOCS, n);
    for (i = 0; i < n; i++) {
        uint64_t tf = (uint64_t)p[i].tf_title + p[i].tf_body;
        if (i > 0 && p[i].doc <= p[i - 1].doc)
            return ni_error(NI_EINVAL, "block documents not increasing at %zu", i);
        if (tf == 0 || tf > UINT32_MAX)
            return ni_error(NI_EINVAL, "document %u has term frequency %llu",
                            p[i].doc, (unsigned long long)tf);
        for (k = 1; k < tf; k++)
            if (p[i].pos[k] <= p[i].pos[k - 1])
                return ni_error(NI_EINVAL, "positions of document %u not increasing",
                                p[i].doc);
        if (p[i].tf_body &&
            (p[i].tf_title ? (uint64_t)p[i].pos[p[i].tf_title] - p[i].pos[p[i].tf_title - 1]
                           : (uint64_t)p[i].pos[0] + 1) <= NI_BODY_GAP)
            return ni_error(NI_EINVAL, "body position of document %u within %d of the "
                            "title", p[i].doc, NI_BODY_GAP);
        if (p[i].tf_title > max_t)
            max_t = p[i].tf_title;
        if (p[i].tf_body > max_b)
            max_b = p[i].tf_body;
        if (p[i].len_title < min_lt)
            min_lt = p[i].len_title;
        if (p[i].len_body < min_lb)
            min_lb = p[i].len_body;
        if (p[i].lead) {
            lead[i >> 3] = (unsigned char)(lead[i >> 3] | 1u << (i & 7));
            any_lead = 1;
        }
        docs_len += doc_put(tmp, i ? p[i].doc - p[i - 1].doc - 1 : 0, p[i].tf_title,
                            p[i].tf_body);
    }

    head[h++] = FORMAT;
    h += ni_varint_put(head + h, n);
    h += ni_varint_put(head + h, p[0].doc);
    if (n > 1) {
        h += ni_varint_put(head + h, (uint64_t)p[n - 1].doc - p[0].doc);
        h += ni_varint_put(head + h, max_t);
        h += ni_varint_put(head + h, max_b);
    }
    h += ni_varint_put(head + h, min_lt);
    h += ni_varint_put(head + h, min_lb);
    h += ni_varint_put(head + h, (uint64_t)docs_len << 1 | (unsigned)any_lead);
    if ((rc = ni_buf_put(out, head, h)) < 0 ||
        (any_lead && (rc = ni_buf_put(out, lead, (n + 7) / 8)) < 0))
        goto fail;
    for (i = 0; i < n; i++)
        if ((rc = ni_buf_put(out, tmp, doc_put(tmp, i ? p[i].doc - p[i - 1].doc - 1 : 0,
                                               p[i].tf_title, p[i].tf_body))) < 0)
            goto fail;
    for (i = 0; i < n; i++) {
        uint32_t tf = p[i].tf_title + p[i].tf_body, prev = 0;
        for (k = 0; k < tf; k++) {
            uint32_t v = p[i].pos[k] - (k ? prev : 0);
            if (k == p[i].tf_title)
                v -= NI_BODY_GAP;
            if ((rc = ni_buf_put_varint(out, v)) < 0)
                goto fail;
            prev = p[i].pos[k];
        }
    }
    return 0;
fail:
    out->len = before;
    return rc;
}

static int corrupt(const char *what)
{
    return ni_error(NI_ECORRUPT, "posting block: %s", what);
}

/* A varint that must fit in 32 bits.  Most are one byte: read inline. */
static inline int get32(const unsigned char **p, const unsigned char *end, uint32_t *out)
{
    uint64_t v;
    if (*p < end && **p < 0x80) {
        *out = *(*p)++;
        return 0;
    }
    if (ni_varint_get(p, end, &v) < 0 || v > UINT32_MAX)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

/* A varint of one or two bytes inline, longer ones by ni_varint_get. */
static inline int get64(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
    const unsigned char *q = *p;
    if (q < end && q[0] < 0x80) {
        *v = q[0];
        *p = q + 1;
        return 0;
    }
    if (end - q >= 2 && q[1] < 0x80) {
        *v = (uint64_t)(q[0] & 0x7f) | (uint64_t)q[1] << 7;
        *p = q + 2;
        return 0;
    }
    return ni_varint_get(p, end, v);
}

/* One document's entry of the document section (see doc_put). */
static int doc_get(const unsigned char **p, const unsigned char *end, uint32_t *gap,
                   uint32_t *tf_title, uint32_t *tf_body)
{
    uint64_t v;
    uint32_t more;
    if (get64(p, end, &v) < 0 || v >> 1 > UINT32_MAX)
        return -1;
    *gap = (uint32_t)(v >> 1);
    if (v & 1) {
        *tf_title = 0;
        *tf_body = 1;
        return 0;
    }
    if (get64(p, end, &v) < 0 || v >> 2 > UINT32_MAX)
        return -1;
    *tf_body = (uint32_t)(v >> 2);
    *tf_title = (uint32_t)(v & 3);
    if (*tf_title == 3) {
        if (get32(p, end, &more) || more > UINT32_MAX - 3)
            return -1;
        *tf_title = 3 + more;
    }
    return 0;
}

int ni_block_open(ni_block *b, const unsigned char *data, size_t len)
{
    const unsigned char *p = data, *end = data + len;
    uint32_t span = 0, docs_len, nlead;

    if (len < 1)
        return corrupt("empty");
    if (*p++ != FORMAT)
        return corrupt("unknown format");
    if (get32(&p, end, &b->ndocs) || get32(&p, end, &b->first_doc))
        return corrupt("truncated header");
    if (b->ndocs < 1 || b->ndocs > NI_BLOCK_DOCS)
        return corrupt("bad document count");
    if (b->ndocs > 1 && (get32(&p, end, &span) || get32(&p, end, &b->max_tf_title) ||
                         get32(&p, end, &b->max_tf_body)))
        return corrupt("truncated header");
    if (get32(&p, end, &b->min_len_title) || get32(&p, end, &b->min_len_body) ||
        get32(&p, end, &docs_len))
        return corrupt("truncated header");
    if ((uint64_t)b->first_doc + span > UINT32_MAX - 1 || (b->ndocs == 1) != (span == 0) ||
        span < b->ndocs - 1)
        return corrupt("bad document range");
    b->max_lead = docs_len & 1;
    docs_len >>= 1;
    nlead = b->max_lead ? (b->ndocs + 7) / 8 : 0;
    if ((uint64_t)nlead + docs_len > (uint64_t)(end - p))
        return corrupt("sections past the end");
    b->lead = nlead ? p : NULL;
    p += nlead;
    if (b->ndocs == 1) {
        const unsigned char *q = p;
        uint32_t gap;
        if (doc_get(&q, p + docs_len, &gap, &b->max_tf_title, &b->max_tf_body) || gap)
            return corrupt("bad document entry");
    }
    if ((uint64_t)b->max_tf_title + b->max_tf_body == 0)
        return corrupt("zero frequency bound");
    b->last_doc = b->first_doc + span;
    b->docsec = p;
    b->docsec_end = p + docs_len;
    b->pos_base = b->pos_cur = b->docsec_end;
    b->pos_end = end;
    b->pos_doc = 0;
    b->dec_cur = b->docsec;
    b->ndec = 0;
    return 0;
}

/*
 * Reads the entry at *p inline when its gap takes two bytes (64 to 8191:
 * rare terms) and, unless plain, one byte of frequencies has tf_title < 3
 * (tf_body < 32, not both 0).  0, with *p unmoved, for the other shapes
 * and when fewer than 3 bytes are left (doc_get reads those).
 */
static inline int entry_long_gap(const unsigned char **p, const unsigned char *end,
                                 uint32_t *g, uint32_t *tt, uint32_t *tb)
{
    const unsigned char *q = *p;
    uint32_t v;
    if (end - q < 3 || q[0] < 0x80 || q[1] >= 0x80)
        return 0;
    v = (q[0] & 0x7fu) | (uint32_t)q[1] << 7;
    q += 2;
    if (v & 1) {
        *tt = 0;
        *tb = 1;
    } else if ((q[0] & 0x83) < 0x03 && q[0] != 0) {
        *tt = q[0] & 3u;
        *tb = (uint32_t)q[0] >> 2;
        q++;
    } else {
        return 0;
    }
    *g = v >> 1;
    *p = q;
    return 1;
}

/*
 * Decodes entries from ndec on: at least until n are (n <= ndocs), then on
 * while the last one decoded is below target (a seek stops on the entry it
 * looks for).  Checks the end of the section when all are decoded.  The
 * common entries (one byte; two bytes with tf_title < 3; see
 * entry_long_gap) are read inline;
 * the checks against the header's bounds and of the first gap are made
 * once at the end of the run, as nothing reads entries past ndec.
 */
static int decode_until(ni_block *b, uint32_t n, uint32_t target)
{
    const unsigned char *p = b->dec_cur, *end = b->docsec_end;
    uint32_t i = b->ndec, ndocs = b->ndocs, g, tt, tb;
    uint32_t seen_t = 0, seen_b = 0;    /* the largest frequencies */
    /* the document before entry i; wraps below first_doc for entry 0,
     * whose gap must be 0 */
    uint64_t doc = i ? b->docs[i - 1] : (uint64_t)b->first_doc - 1;

    if (i >= ndocs || (i >= n && doc >= target))
        return 0;
    do {
        unsigned c0 = p < end ? p[0] : 0x80;
        if ((c0 & 0x81) == 0x01) {
            /* one byte, tf_title 0 and tf_body 1: most entries */
            g = c0 >> 1;
            tt = 0;
            tb = 1;
            p++;
        } else if (c0 < 0x80 && end - p >= 2 && (p[1] & 0x83) < 0x03 && p[1] != 0) {
            /* two bytes: a small gap, 0 < tf_body + tf_title, tf_body < 32,
             * tf_title < 3 */
            g = c0 >> 1;
            tt = p[1] & 3;
            tb = p[1] >> 2;
            p += 2;
        } else if (!entry_long_gap(&p, end, &g, &tt, &tb)) {
            /* through copies, so that p, g, tt and tb stay in registers */
            const unsigned char *q = p;
            uint32_t sg, st, sb;
            if (doc_get(&q, end, &sg, &st, &sb))
                return corrupt("truncated document entries");
            if ((st | sb) == 0)
                return corrupt("document entry without occurrences");
            p = q;
            g = sg;
            tt = st;
            tb = sb;
        }
        seen_t = tt > seen_t ? tt : seen_t;
        seen_b = tb > seen_b ? tb : seen_b;
        doc += (uint64_t)g + 1;
        b->docs[i] = (uint32_t)doc;
        b->tf_title[i] = tt;
        b->tf_body[i] = tb;
        i++;
    } while (i < ndocs && (i < n || doc < target));
    if (seen_t > b->max_tf_title || seen_b > b->max_tf_body)
        return corrupt("frequency outside its bound");
    /* a gap below 2^32 lands on first_doc modulo 2^32 only when it is 0 */
    if (b->ndec == 0 && b->docs[0] != b->first_doc)
        return corrupt("gap before the first document");
    /* documents increase, so the last decoded is the largest */
    if (doc > b->last_doc)
        return corrupt("document beyond the block's last");
    /* the last entry is taken only when the section ends with it */
    if (i == ndocs && (p != end || doc != b->last_doc))
        return corrupt("document entries do not end at the last document");
    b->dec_cur = p;
    b->ndec = i;
    return 0;
}

int ni_block_decode_docs(ni_block *b)
{
    return decode_until(b, b->ndocs, 0);
}

int ni_block_seek(ni_block *b, uint32_t from, uint32_t target, uint32_t *index)
{
    uint32_t i = from;
    int rc;

    while (i < b->ndec && b->docs[i] < target)
        i++;
    if (i >= b->ndec && i < b->ndocs) {
        /* a few entries at least: a cursor that steps on (target 0) asks
         * for the next ones, one sent to a target seldom for many more */
        uint32_t ahead = target ? 8 : 32;
        if ((rc = decode_until(b, i + ahead < b->ndocs ? i + ahead : b->ndocs, target)) < 0)
            return rc;
        while (i < b->ndec && b->docs[i] < target)
            i++;
    }
    *index = i < b->ndec ? i : b->ndocs;
    return 0;
}

/* Skips n varints (positions of the documents before the one asked for);
 * 0 or -1 when truncated.  A varint ends at each byte below 0x80: while
 * at least eight are left, eight bytes are counted at a time. */
static int skip_varints(const unsigned char **p, const unsigned char *end, uint64_t n)
{
    const unsigned char *q = *p;
    while (n >= 8 && end - q >= 8) {
        uint64_t w;
        memcpy(&w, q, 8);
        w = (~w & 0x8080808080808080u) >> 7;
        n -= (w * 0x0101010101010101u) >> 56;
        q += 8;
    }
    for (; n > 0; n--) {
        while (q < end && (*q & 0x80))
            q++;
        if (q >= end)
            return -1;
        q++;
    }
    *p = q;
    return 0;
}

int ni_block_positions(ni_block *b, uint32_t i, uint32_t *pos, uint32_t cap)
{
    const unsigned char *p;
    uint64_t tf, cur = 0;
    uint32_t k, v;

    if (i >= b->ndec)
        return ni_error(NI_EINVAL, "no document %u decoded in the block", i);
    tf = (uint64_t)b->tf_title[i] + b->tf_body[i];
    if (tf > cap)
        return ni_error(NI_EINVAL, "room for %u positions, %llu needed", cap,
                        (unsigned long long)tf);
    if (i < b->pos_doc) {
        b->pos_cur = b->pos_base;
        b->pos_doc = 0;
    }
    p = b->pos_cur;
    if (b->pos_doc < i) {
        uint64_t skip = 0;
        for (k = b->pos_doc; k < i; k++)
            skip += (uint64_t)b->tf_title[k] + b->tf_body[k];
        if (skip_varints(&p, b->pos_end, skip))
            return corrupt("truncated positions");
        b->pos_doc = i;
    }
    b->pos_cur = p;
    for (k = 0; k < tf; k++) {
        if (get32(&p, b->pos_end, &v))
            return corrupt("truncated positions");
        if (k > 0 && v == 0)
            return corrupt("repeated position");
        if (k == b->tf_title[i])
            cur += NI_BODY_GAP;
        cur += v;
        if (cur > UINT32_MAX)
            return corrupt("position overflow");
        pos[k] = (uint32_t)cur;
    }
    b->pos_cur = p;
    b->pos_doc = i + 1;
    return 0;
}
