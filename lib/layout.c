/*
 * layout.c - the on-disk format of an index, documented here, and the
 * codecs of its tables' small values: meta stats and dictionary, lexicon
 * entries, docinfo entries, posting keys, stored records cut into parts.
 * Does not encode posting blocks (postings.c) or the bytes of a stored
 * record (record.c), and does not decide what is written when: flush.c
 * writes a batch, compact.c rewrites posting lists.
 *
 * On-disk format, version 8 (NI_FORMAT_VERSION; checked at open: any
 * other gives NI_EVERSION; version 7, whose seals are another hash; 6,
 * without the sigs table, without
 * checksums (stored records of formats 2 and 3, no seals, 255 documents per
 * docinfo chunk), without dates' zones and the newest date;
 * version 5, with the words tables but posting
 * blocks of format 3, which do not mark the documents holding a term in
 * their lead, or with the lead but no words tables; version 4 with
 * neither; and version 3, also without the analysis key and with terms of
 * analysis 1, must be built again: "index the documents again").  One LMDB
 * environment (data.mdb in the index directory) with these named tables;
 * integers in values are little-endian, integers in keys big-endian so
 * that keys sort by number.  Every value of the terms, postings, ids and
 * docinfo tables ends in a 4-byte seal of its key and value (the low 32
 * bits of XXH3 of the value seeded with XXH3 of the key), written and
 * verified by store.c and never seen by the codecs here (the values below
 * are without it); stored records carry their own checksums (record.c):
 *
 *   meta      "format"  -> u32 format version
 *             "analysis" -> u32 the analysis the terms come from
 *                          (NI_ANALYSIS_VERSION in analyzer.h; checked at
 *                          open, another gives NI_EVERSION)
 *             "stats"   -> u64 docs, deleted, next_doc, sum_title, sum_body
 *                          (see ni_meta in index.h)
 *             "newest"  -> i64 the newest date any document added had
 *                          (absent while none had one; never lowered by a
 *                          delete: an upper bound; index format 7)
 *             "dict"    -> the zstd dictionary of stored records (record.c),
 *                          absent until a flush has at least DICT_MIN_BATCH
 *                          bytes of text to train it on (an even sample of
 *                          DICT_SAMPLE_BYTES; flush.c); written once, never
 *                          changed
 *   terms     term      -> u8 kind, then
 *                          kind 0: varint df, postings, cf, max_tf_title,
 *                          max_tf_body, min_len_title, min_len_body
 *                          (ni_term_info: counts and pruning bounds; the
 *                          blocks are in postings);
 *                          kind 1: varint df, postings, cf, then the term's
 *                          only posting block, at most NI_INLINE_MAX bytes,
 *                          to the end of the value (its header gives the
 *                          bounds; no postings entries);
 *                          kind 2: as kind 1 when none of the block's
 *                          documents is deleted: only the block, whose
 *                          documents and frequencies give df = postings
 *                          and cf.  Most terms are rare: inline, they cost
 *                          no postings key and no second lookup
 *   postings  term 0x00 be32(last doc of block) -> posting block
 *                          (format at the top of postings.c): the blocks of
 *                          a term in doc order, up to 128 documents each, so
 *                          a reader skips to any document with one B-tree
 *                          seek and reads each block's pruning bounds first
 *   docs      be32(doc) -> stored fields (format at the top of record.c),
 *                          or, when they are longer than an eighth of a
 *                          page (496 bytes with 4 KiB pages), their first
 *                          part of that size: then be32(doc) be32(n) ->
 *                          part n, n = 1, 2, ... with no gap; a reader
 *                          follows the keys, whatever the sizes (below,
 *                          ni_stored_put; new in version 3)
 *   ids       external id -> be32(doc); a flush writes its ids in byte
 *                          order, appending those past the table's last
 *   docinfo   be32(doc / 254) -> up to 254 entries of u32 title length,
 *                          u32 body length, i64 date; title length
 *                          0xffffffff marks a deleted document
 *   words     word      -> varint df: the surface-word lexicon (new in
 *                          version 6).  A word is a normal form of the
 *                          analyzer before stemming (ni_token.norm) of 1
 *                          to 64 bytes, Cyrillic and Latin letters only
 *                          (the rule: words.h); df, at least 1, counts the
 *                          live documents whose title or body has it (an
 *                          entry at 0 is removed).  Kept exact at every
 *                          flush (flush.c); holds no document numbers, so
 *                          compaction leaves it alone.  UTF-8 in byte order
 *                          is code-point order: typo.c walks it as a trie
 *   translit  key 0x00 word -> (empty): for each word of words that has a
 *                          transliteration key (translit.h: Cyrillic words)
 *                          its key, so that a Latin word's key finds the
 *                          words it may romanise (new in version 6; made
 *                          and removed with the words entry)
 *   sigs      be32(doc / 127) -> up to 127 near-duplicate signatures of
 *                          32 bytes (NI_SIG_BYTES; minhash.h: 64 minima of
 *                          4 bits, nibble-packed), one for each document of
 *                          the chunk in order (new in version 7).  Written
 *                          with the docinfo entry at flush; a deleted
 *                          document's becomes the signature of no words
 *                          (32 bytes 0xff), so no search folds into it;
 *                          compaction keeps doc numbers, so leaves it alone
 *
 * Terms are the analyzer's tokens: stems, whole compounds, and name keys,
 * which start with the byte 0x02 or 0x03 (NI_NAME_MID, NI_NAME_START in
 * newsindex.h); rubric terms start with 0x01 (NI_RUBRIC_PREFIX).  No word
 * term starts with a byte below 0x20.  A document's title takes positions
 * 0..T-1 and its body starts at T + NI_BODY_GAP.  Lengths count positions.
 */
#include <string.h>

#include "error.h"
#include "layout.h"
#include "minhash.h"

static const char stats_key[] = "stats";
static const char dict_key[] = "dict";
static const char newest_key[] = "newest";

int ni_newest_read(ni_txn *t, int64_t *out)
{
    ni_val v;
    int rc = ni_txn_get(t, NI_T_META, newest_key, sizeof newest_key - 1, &v);
    *out = NI_DATE_NONE;
    if (rc == NI_ENOTFOUND)
        return 0;
    if (rc < 0)
        return rc;
    if (v.len != 8)
        return ni_error(NI_ECORRUPT, "newest date has %zu bytes, want 8", v.len);
    *out = (int64_t)ni_get_le64(v.data);
    return 0;
}

int ni_newest_note(ni_txn *t, int64_t date)
{
    unsigned char b[8];
    int64_t cur;
    int rc;
    if (date == NI_DATE_NONE)
        return 0;
    if ((rc = ni_newest_read(t, &cur)) < 0)
        return rc;
    if (cur != NI_DATE_NONE && cur >= date)
        return 0;
    ni_put_le64(b, (uint64_t)date);
    return ni_txn_put(t, NI_T_META, newest_key, sizeof newest_key - 1, b, sizeof b);
}

int ni_sig_get(ni_txn *t, uint32_t doc, const unsigned char **out)
{
    unsigned char key[4];
    size_t off = (size_t)(doc % NI_SIG_CHUNK) * NI_SIG_BYTES;
    ni_val v;
    int rc;

    *out = NULL;
    ni_put_be32(key, doc / NI_SIG_CHUNK);
    if ((rc = ni_txn_get(t, NI_T_SIGS, key, 4, &v)) < 0)
        return rc;
    if (v.len < off + NI_SIG_BYTES)
        return NI_ENOTFOUND;
    *out = v.data + off;
    return 0;
}

int ni_sig_put(ni_txn *t, uint32_t doc, const unsigned char *sig)
{
    unsigned char key[4], chunk[NI_SIG_CHUNK * NI_SIG_BYTES];
    size_t i = doc % NI_SIG_CHUNK, n = 0;
    ni_val v;
    int rc;

    ni_put_be32(key, doc / NI_SIG_CHUNK);
    memset(chunk, NI_SIG_NONE_BYTE, sizeof chunk);
    rc = ni_txn_get(t, NI_T_SIGS, key, 4, &v);
    if (rc == 0) {
        if (v.len > sizeof chunk || v.len % NI_SIG_BYTES)
            return ni_error(NI_ECORRUPT, "signature chunk %u has %zu bytes",
                            doc / NI_SIG_CHUNK, v.len);
        memcpy(chunk, v.data, v.len);
        n = v.len;
    } else if (rc != NI_ENOTFOUND) {
        return rc;
    }
    memcpy(chunk + i * NI_SIG_BYTES, sig, NI_SIG_BYTES);
    if (n < (i + 1) * NI_SIG_BYTES)
        n = (i + 1) * NI_SIG_BYTES;
    return ni_txn_put(t, NI_T_SIGS, key, 4, chunk, n);
}

int ni_dict_read(ni_txn *t, ni_val *out)
{
    return ni_txn_get(t, NI_T_META, dict_key, sizeof dict_key - 1, out);
}

int ni_dict_write(ni_txn *t, const unsigned char *bytes, size_t len)
{
    return ni_txn_put(t, NI_T_META, dict_key, sizeof dict_key - 1, bytes, len);
}

int ni_meta_read(ni_txn *t, ni_meta *m)
{
    ni_val v;
    int rc = ni_txn_get(t, NI_T_META, stats_key, sizeof stats_key - 1, &v);
    memset(m, 0, sizeof *m);
    if (rc == NI_ENOTFOUND)
        return 0;
    if (rc < 0)
        return rc;
    if (v.len != 40)
        return ni_error(NI_ECORRUPT, "index statistics have %zu bytes, want 40", v.len);
    m->docs = ni_get_le64(v.data);
    m->deleted = ni_get_le64(v.data + 8);
    m->next_doc = ni_get_le64(v.data + 16);
    m->sum_title = ni_get_le64(v.data + 24);
    m->sum_body = ni_get_le64(v.data + 32);
    if (m->next_doc > UINT32_MAX || m->docs > m->next_doc)
        return ni_error(NI_ECORRUPT, "index statistics are inconsistent");
    return 0;
}

int ni_meta_write(ni_txn *t, const ni_meta *m)
{
    unsigned char b[40];
    ni_put_le64(b, m->docs);
    ni_put_le64(b + 8, m->deleted);
    ni_put_le64(b + 16, m->next_doc);
    ni_put_le64(b + 24, m->sum_title);
    ni_put_le64(b + 32, m->sum_body);
    return ni_txn_put(t, NI_T_META, stats_key, sizeof stats_key - 1, b, sizeof b);
}

/* The sum of the frequencies of a block's documents, or -1 when the
 * bytes are not a block. */
static int64_t block_cf(ni_block *b, const unsigned char *p, size_t len)
{
    int64_t cf = 0;
    uint32_t i;
    if (ni_block_open(b, p, len) < 0 || ni_block_decode_docs(b) < 0) {
        ni_error_clear();
        return -1;
    }
    for (i = 0; i < b->ndocs; i++)
        cf += (int64_t)b->tf_title[i] + b->tf_body[i];
    return cf;
}

/* ni_term_info_decode; without cf (0) when !with_cf, reading only the
 * header of an inline block. */
static int term_info_decode(ni_term_info *out, const unsigned char *p, size_t len,
                            int with_cf)
{
    const unsigned char *end = p + len;
    uint64_t v[7];
    int kind, i, nv;
    ni_block b;

    memset(out, 0, sizeof *out);
    if (len < 1 || p[0] > 2)
        return NI_ECORRUPT;
    kind = *p++;
    nv = kind == 0 ? 7 : kind == 1 ? 3 : 0;
    for (i = 0; i < nv; i++)
        if (ni_varint_get(&p, end, &v[i]) < 0 || (i != 2 && v[i] > UINT32_MAX))
            return NI_ECORRUPT;
    if (kind == 0) {
        if (p != end)
            return NI_ECORRUPT;
        out->max_tf_title = (uint32_t)v[3];
        out->max_tf_body = (uint32_t)v[4];
        out->min_len_title = (uint32_t)v[5];
        out->min_len_body = (uint32_t)v[6];
    } else {
        int64_t cf = 0;
        if (end - p > NI_INLINE_MAX)
            return NI_ECORRUPT;
        if (!with_cf) {
            if (ni_block_open(&b, p, (size_t)(end - p)) < 0) {
                ni_error_clear();
                return NI_ECORRUPT;
            }
        } else if ((cf = block_cf(&b, p, (size_t)(end - p))) < 0) {
            return NI_ECORRUPT;
        }
        if (kind == 2) {
            v[0] = v[1] = b.ndocs;
            v[2] = (uint64_t)cf;
        }
        if (b.ndocs != v[1])
            return NI_ECORRUPT;
        out->max_tf_title = b.max_tf_title;
        out->max_tf_body = b.max_tf_body;
        out->min_len_title = b.min_len_title;
        out->min_len_body = b.min_len_body;
        out->block = p;
        out->block_len = (size_t)(end - p);
    }
    out->df = (uint32_t)v[0];
    out->postings = (uint32_t)v[1];
    out->cf = with_cf ? v[2] : 0;
    if (out->df > out->postings || (with_cf && out->cf < out->df))
        return NI_ECORRUPT;
    return 0;
}

int ni_term_info_decode(ni_term_info *out, const unsigned char *p, size_t len)
{
    return term_info_decode(out, p, len, 1);
}

int ni_term_info_decode_bounds(ni_term_info *out, const unsigned char *p, size_t len)
{
    return term_info_decode(out, p, len, 0);
}

/* ni_term_info_encode; docs and cf count the documents and occurrences
 * of ti's inline block when the caller knows them (docs 0: counted here). */
static size_t encode(unsigned char *p, const ni_term_info *ti, uint32_t docs, uint64_t cf)
{
    size_t n = 1;
    if (ti->block && ti->df == ti->postings && !docs) {
        ni_block b;
        int64_t c = block_cf(&b, ti->block, ti->block_len);
        if (c >= 0) {
            docs = b.ndocs;
            cf = (uint64_t)c;
        }
    }
    if (ti->block && ti->df == ti->postings && docs && cf == ti->cf && docs == ti->df) {
        /* no deleted documents: the counts are the block's */
        p[0] = 2;
        memmove(p + 1, ti->block, ti->block_len);
        return 1 + ti->block_len;
    }
    p[0] = ti->block ? 1 : 0;
    n += ni_varint_put(p + n, ti->df);
    n += ni_varint_put(p + n, ti->postings);
    n += ni_varint_put(p + n, ti->cf);
    if (ti->block) {
        memmove(p + n, ti->block, ti->block_len);
        return n + ti->block_len;
    }
    n += ni_varint_put(p + n, ti->max_tf_title);
    n += ni_varint_put(p + n, ti->max_tf_body);
    n += ni_varint_put(p + n, ti->min_len_title);
    n += ni_varint_put(p + n, ti->min_len_body);
    return n;
}

size_t ni_term_info_encode(unsigned char *p, const ni_term_info *ti)
{
    return encode(p, ti, 0, 0);
}

static int term_info_read(ni_txn *t, const char *term, size_t len, ni_term_info *out,
                          int with_cf)
{
    ni_val v;
    int rc = ni_txn_get(t, NI_T_TERMS, term, len, &v);
    if (rc < 0)
        return rc;
    if ((with_cf ? ni_term_info_decode(out, v.data, v.len)
                 : ni_term_info_decode_bounds(out, v.data, v.len)) < 0)
        return ni_error(NI_ECORRUPT, "lexicon entry of '%.*s' (%zu bytes) is damaged",
                        (int)len, term, v.len);
    return 0;
}

int ni_term_info_read(ni_txn *t, const char *term, size_t len, ni_term_info *out)
{
    return term_info_read(t, term, len, out, 1);
}

int ni_term_info_read_bounds(ni_txn *t, const char *term, size_t len, ni_term_info *out)
{
    return term_info_read(t, term, len, out, 0);
}

int ni_term_info_write(ni_txn *t, const char *term, size_t len, const ni_term_info *ti,
                       int append)
{
    unsigned char b[NI_TERM_INFO_MAX];
    size_t n;
    if (ti->block && ti->block_len > NI_INLINE_MAX)
        return ni_error(NI_EINVAL, "inline block of '%.*s' too large", (int)len, term);
    n = encode(b, ti, 0, 0);
    return append ? ni_txn_append(t, NI_T_TERMS, term, len, b, n)
                  : ni_txn_put(t, NI_T_TERMS, term, len, b, n);
}

int ni_term_info_put(ni_cursor *c, const char *term, size_t len, const ni_term_info *ti,
                     int append, uint32_t block_docs, uint64_t block_cf)
{
    unsigned char b[NI_TERM_INFO_MAX];
    if (ti->block && ti->block_len > NI_INLINE_MAX)
        return ni_error(NI_EINVAL, "inline block of '%.*s' too large", (int)len, term);
    return ni_cursor_put(c, term, len, b, encode(b, ti, block_docs, block_cf), append);
}

void ni_docinfo_encode(unsigned char *p, const ni_docinfo *di)
{
    ni_put_le32(p, di->len_title);
    ni_put_le32(p + 4, di->len_body);
    ni_put_le64(p + 8, (uint64_t)di->date);
}

int ni_docinfo_get(ni_txn *t, uint32_t doc, ni_docinfo *out)
{
    unsigned char key[4];
    size_t off = (size_t)(doc % NI_DOCINFO_CHUNK) * NI_DOCINFO_ENTRY;
    ni_val v;
    int rc;

    ni_put_be32(key, doc / NI_DOCINFO_CHUNK);
    if ((rc = ni_txn_get(t, NI_T_DOCINFO, key, 4, &v)) < 0)
        return rc;
    if (v.len < off + NI_DOCINFO_ENTRY)
        return NI_ENOTFOUND;
    ni_docinfo_decode(v.data + off, out);
    return 0;
}

int ni_id_get(ni_txn *t, const char *id, size_t id_len, uint32_t *doc)
{
    ni_val v;
    int rc = ni_txn_get(t, NI_T_IDS, id, id_len, &v);
    if (rc == NI_ENOTFOUND)
        return ni_error(NI_ENOTFOUND, "no document with id '%.*s'",
                        (int)(id_len > 200 ? 200 : id_len), id);
    if (rc < 0)
        return rc;
    if (v.len != 4)
        return ni_error(NI_ECORRUPT, "id entry has %zu bytes", v.len);
    *doc = ni_get_be32(v.data);
    return 0;
}

int ni_docinfo_put(ni_txn *t, uint32_t doc, const ni_docinfo *di)
{
    unsigned char key[4], chunk[NI_DOCINFO_CHUNK * NI_DOCINFO_ENTRY];
    size_t i = doc % NI_DOCINFO_CHUNK, n = 0;
    ni_val v;
    int rc;

    ni_put_be32(key, doc / NI_DOCINFO_CHUNK);
    memset(chunk, 0, sizeof chunk);
    rc = ni_txn_get(t, NI_T_DOCINFO, key, 4, &v);
    if (rc == 0) {
        if (v.len > sizeof chunk || v.len % NI_DOCINFO_ENTRY)
            return ni_error(NI_ECORRUPT, "docinfo chunk %u has %zu bytes",
                            doc / NI_DOCINFO_CHUNK, v.len);
        memcpy(chunk, v.data, v.len);
        n = v.len;
    } else if (rc != NI_ENOTFOUND) {
        return rc;
    }
    ni_docinfo_encode(chunk + i * NI_DOCINFO_ENTRY, di);
    if (n < (i + 1) * NI_DOCINFO_ENTRY)
        n = (i + 1) * NI_DOCINFO_ENTRY;
    return ni_txn_put(t, NI_T_DOCINFO, key, 4, chunk, n);
}

size_t ni_posting_key(unsigned char *key, const char *term, size_t len, uint32_t doc)
{
    memcpy(key, term, len);
    key[len] = 0;
    ni_put_be32(key + len + 1, doc);
    return len + 5;
}

/* Stored records.  A record is the value of be32(doc) or, when larger than
 * head_max, cut into parts: the first, exactly head_max bytes, under
 * be32(doc), then part n = 1, 2, ... under be32(doc) be32(n), each
 * part_max bytes but the last.  Only a head of HEAD_ROOM bytes or more
 * can have parts, and a reader follows the keys n = 1, 2, ... as long as
 * they are there: the sizes are the writer's choice, not the format's (a
 * copy into an environment of another page size reads the same).  The
 * writer's sizes are such that PARTS_PER_PAGE of them fill a leaf page:
 * whole, a record of more than half a page would take overflow pages of
 * its own, the last one half empty on average, and one of nearly half a
 * page would leave the space before it on its leaf page empty (4 KiB
 * pages: head_max 496, part_max 492 bytes).  On all of ../shared/corpus
 * (long texts) the docs table took 77.8 MB of pages for 56.9 MB of
 * records whole, 62.9 MB in parts (60.5 MB since the dictionary's
 * one-run training made records slightly smaller). */
#define HEAD_ROOM (NI_MAX_ID_BYTES + 32)  /* a record's plain head fits: it is never cut */
#define PARTS_PER_PAGE 8
static size_t head_max(ni_txn *t) { return ni_txn_leaf_value(t, 4, PARTS_PER_PAGE); }
static size_t part_max(ni_txn *t) { return ni_txn_leaf_value(t, 8, PARTS_PER_PAGE); }

static void part_key(unsigned char key[8], uint32_t doc, uint32_t n)
{
    ni_put_be32(key, doc);
    ni_put_be32(key + 4, n);
}

int ni_stored_put(ni_txn *t, uint32_t doc, const unsigned char *rec, size_t len)
{
    size_t hmax = head_max(t), pmax = part_max(t), n;
    unsigned char key[8];
    uint32_t part = 0;
    int rc;

    if (hmax < HEAD_ROOM || pmax == 0 || len <= hmax)
        hmax = len;
    part_key(key, doc, 0);
    if ((rc = ni_txn_append(t, NI_T_DOCS, key, 4, rec, hmax)) < 0)
        return rc;
    for (rec += hmax, len -= hmax; len > 0; rec += n, len -= n) {
        n = len < pmax ? len : pmax;
        part_key(key, doc, ++part);
        if ((rc = ni_txn_append(t, NI_T_DOCS, key, 8, rec, n)) < 0)
            return rc;
    }
    return 0;
}

int ni_stored_head(ni_txn *t, uint32_t doc, ni_val *out)
{
    unsigned char key[4];
    int rc;
    ni_put_be32(key, doc);
    rc = ni_txn_get(t, NI_T_DOCS, key, 4, out);
    if (rc == NI_ENOTFOUND)
        return ni_error(NI_ECORRUPT, "document %u has no stored fields", doc);
    return rc;
}

int ni_stored_get(ni_txn *t, uint32_t doc, ni_buf *buf, ni_val *out)
{
    unsigned char key[8];
    ni_cursor *c = NULL;
    uint32_t part = 1;
    ni_val k, v;
    int rc;

    if ((rc = ni_stored_head(t, doc, out)) < 0 || out->len < HEAD_ROOM)
        return rc;
    part_key(key, doc, 1);
    if ((rc = ni_cursor_open(&c, t, NI_T_DOCS)) < 0)
        return rc;
    buf->len = 0;
    rc = ni_buf_put(buf, out->data, out->len);
    for (rc = rc < 0 ? rc : ni_cursor_seek(c, key, 8); rc == 0; rc = ni_cursor_next(c), part++) {
        if ((rc = ni_cursor_get(c, &k, &v)) < 0)
            break;
        if (k.len != 8 || ni_get_be32(k.data) != doc || ni_get_be32(k.data + 4) != part)
            break;
        if ((rc = ni_buf_put(buf, v.data, v.len)) < 0)
            break;
    }
    ni_cursor_close(c);
    if (rc < 0 && rc != NI_DONE)
        return rc;
    out->data = buf->data;
    out->len = buf->len;
    return 0;
}

int ni_stored_del(ni_txn *t, uint32_t doc)
{
    unsigned char key[8];
    uint32_t part;
    ni_val v;
    int rc, cut;

    if ((rc = ni_stored_head(t, doc, &v)) < 0)
        return rc;
    cut = v.len >= HEAD_ROOM;
    part_key(key, doc, 0);
    if ((rc = ni_txn_del(t, NI_T_DOCS, key, 4)) < 0 || !cut)
        return rc;
    for (part = 1;; part++) {
        part_key(key, doc, part);
        if ((rc = ni_txn_del(t, NI_T_DOCS, key, 8)) < 0)
            return rc == NI_ENOTFOUND ? 0 : rc;
    }
}

int ni_stored_count(ni_txn *t, uint64_t *out)
{
    uint32_t doc = 0, part = 0;
    ni_cursor *cur = NULL;
    size_t head_len = 0;
    ni_val k, v;
    int rc;

    *out = 0;
    if ((rc = ni_cursor_open(&cur, t, NI_T_DOCS)) < 0)
        return rc;
    for (rc = ni_cursor_first(cur); rc == 0; rc = ni_cursor_next(cur)) {
        if ((rc = ni_cursor_get(cur, &k, &v)) < 0)
            break;
        if (k.len == 4) {
            doc = ni_get_be32(k.data);
            head_len = v.len;
            part = 0;
            ++*out;
        } else if (k.len == 8 && *out && ni_get_be32(k.data) == doc &&
                   ni_get_be32(k.data + 4) == part + 1 && head_len >= HEAD_ROOM) {
            part++;
        } else if (k.len == 8) {
            rc = ni_error(NI_ECORRUPT, "stored records: part %u of document %u follows "
                          "part %u of document %u (head of %zu bytes)",
                          ni_get_be32(k.data + 4), ni_get_be32(k.data), part, doc, head_len);
            break;
        } else {
            rc = ni_error(NI_ECORRUPT, "stored records: a key of %zu bytes after document %u",
                          k.len, doc);
            break;
        }
    }
    ni_cursor_close(cur);
    return rc == NI_DONE ? 0 : rc;
}
