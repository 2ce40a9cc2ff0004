/*
 * layout.c - encoding and decoding of the small fixed-layout values of the
 * index tables (meta stats, lexicon entries, docinfo entries, posting
 * keys).  The format itself is documented at the top of writer.c.
 */
#include <string.h>

#include "index.h"

static const char stats_key[] = "stats";
static const char dict_key[] = "dict";

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

int ni_term_info_decode(ni_term_info *out, const unsigned char *p, size_t len)
{
    if (len != NI_TERM_INFO_BYTES)
        return NI_ECORRUPT;
    out->df = ni_get_le32(p);
    out->postings = ni_get_le32(p + 4);
    out->cf = ni_get_le64(p + 8);
    out->max_tf_title = ni_get_le32(p + 16);
    out->max_tf_body = ni_get_le32(p + 20);
    out->min_len_title = ni_get_le32(p + 24);
    out->min_len_body = ni_get_le32(p + 28);
    return 0;
}

void ni_term_info_encode(unsigned char *p, const ni_term_info *ti)
{
    ni_put_le32(p, ti->df);
    ni_put_le32(p + 4, ti->postings);
    ni_put_le64(p + 8, ti->cf);
    ni_put_le32(p + 16, ti->max_tf_title);
    ni_put_le32(p + 20, ti->max_tf_body);
    ni_put_le32(p + 24, ti->min_len_title);
    ni_put_le32(p + 28, ti->min_len_body);
}

int ni_term_info_read(ni_txn *t, const char *term, size_t len, ni_term_info *out)
{
    ni_val v;
    int rc = ni_txn_get(t, NI_T_TERMS, term, len, &v);
    if (rc < 0)
        return rc;
    if (ni_term_info_decode(out, v.data, v.len) < 0)
        return ni_error(NI_ECORRUPT, "lexicon entry of '%.*s' has %zu bytes",
                        (int)len, term, v.len);
    return 0;
}

int ni_term_info_write(ni_txn *t, const char *term, size_t len,
                       const ni_term_info *ti)
{
    unsigned char b[NI_TERM_INFO_BYTES];
    ni_term_info_encode(b, ti);
    return ni_txn_put(t, NI_T_TERMS, term, len, b, sizeof b);
}

void ni_docinfo_decode(const unsigned char *p, ni_docinfo *out)
{
    out->len_title = ni_get_le32(p);
    out->len_body = ni_get_le32(p + 4);
    out->date = (int64_t)ni_get_le64(p + 8);
    out->inv_title = out->inv_body = 1.0;
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

size_t ni_posting_key(unsigned char *key, const char *term, size_t len, uint32_t doc)
{
    memcpy(key, term, len);
    key[len] = 0;
    ni_put_be32(key + len + 1, doc);
    return len + 5;
}

int ni_rubric_term(ni_analyzer *an, ni_buf *out, const char *s, size_t n)
{
    ni_token tok;
    int rc;

    out->len = 0;
    if ((rc = ni_buf_put(out, NI_RUBRIC_PREFIX, sizeof NI_RUBRIC_PREFIX - 1)) < 0 ||
        (rc = ni_analyzer_start(an, s, n, 0)) < 0)
        return rc;
    while ((rc = ni_analyzer_next(an, &tok)) == 0) {
        if (tok.flags & NI_TOKEN_PART)
            continue;
        if (out->len > sizeof NI_RUBRIC_PREFIX - 1 && (rc = ni_buf_putc(out, ' ')) < 0)
            return rc;
        if ((rc = ni_buf_put(out, tok.norm, tok.norm_len)) < 0)
            return rc;
        if (out->len > NI_MAX_WORD_BYTES * 2)
            break;
    }
    if (rc < 0)
        return rc;
    if (out->len > NI_MAX_WORD_BYTES * 2)
        out->len = NI_MAX_WORD_BYTES * 2;
    return out->len > sizeof NI_RUBRIC_PREFIX - 1;
}

int ni_stored_get(ni_txn *t, uint32_t doc, ni_val *out)
{
    unsigned char key[4];
    int rc;
    ni_put_be32(key, doc);
    rc = ni_txn_get(t, NI_T_DOCS, key, 4, out);
    if (rc == NI_ENOTFOUND)
        return ni_error(NI_ECORRUPT, "document %u has no stored fields", doc);
    return rc;
}
