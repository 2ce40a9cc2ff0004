/*
 * postlist.c - a term's posting list decoded and encoded again (postlist.h),
 * for the flush and compaction, and the bitmap of deleted documents the
 * flush filters them with.  The block format itself is postings.c's.
 */
#include "error.h"
#include "mem.h"
#include "postlist.h"

void ni_postlist_free(ni_postlist *pl)
{
    ni_mem_free(pl->post);
    ni_mem_free(pl->pos);
    ni_buf_free(&pl->block);
    memset(pl, 0, sizeof *pl);
}

int ni_postlist_reserve(ni_postlist *pl, size_t n, size_t npos)
{
    size_t i;
    int rc;

    if ((rc = NI_GROW(pl->post, pl->cap_post, pl->n + n)) < 0)
        return rc;
    if (pl->npos + npos <= pl->cap_pos)
        return 0;
    /* the positions move: the postings keep their offsets meanwhile */
    for (i = 0; i < pl->n; i++)
        pl->post[i].pos = (const uint32_t *)(uintptr_t)(pl->post[i].pos - pl->pos);
    rc = NI_GROW(pl->pos, pl->cap_pos, pl->npos + npos);
    for (i = 0; i < pl->n; i++)
        pl->post[i].pos = pl->pos + (uintptr_t)pl->post[i].pos;
    return rc;
}

/* The postings of block data[0..len) appended; live (docinfo) or dead
 * (a bitmap) leaves deleted documents out, counted in *dropped. */
static int add_block(ni_postlist *pl, const unsigned char *data, size_t len, ni_txn *live,
                     const ni_deadset *dead, uint32_t *dropped)
{
    ni_block b;
    ni_docinfo di;
    size_t total = 0;
    uint32_t j;
    int rc;

    if ((rc = ni_block_open(&b, data, len)) < 0 || (rc = ni_block_decode_docs(&b)) < 0)
        return rc;
    for (j = 0; j < b.ndocs; j++)
        total += (size_t)b.tf_title[j] + b.tf_body[j];
    if ((rc = ni_postlist_reserve(pl, b.ndocs, total)) < 0)
        return rc;
    di.len_title = b.min_len_title;
    di.len_body = b.min_len_body;
    for (j = 0; j < b.ndocs; j++) {
        uint32_t tf = b.tf_title[j] + b.tf_body[j];
        ni_posting *q = &pl->post[pl->n];
        if (live) {
            if ((rc = ni_docinfo_get(live, b.docs[j], &di)) < 0)
                return rc == NI_ENOTFOUND
                           ? ni_error(NI_ECORRUPT, "document %u has no docinfo", b.docs[j])
                           : rc;
            if (di.len_title == NI_DELETED) {
                ++*dropped;
                continue;
            }
        } else if (dead && ni_deadset_has(dead, b.docs[j])) {
            ++*dropped;
            continue;
        }
        if ((rc = ni_block_positions(&b, j, pl->pos + pl->npos, tf)) < 0)
            return rc;
        q->doc = b.docs[j];
        q->tf_title = b.tf_title[j];
        q->tf_body = b.tf_body[j];
        q->len_title = di.len_title;
        q->len_body = di.len_body;
        q->pos = pl->pos + pl->npos;
        q->lead = ni_block_lead(&b, j);
        pl->npos += tf;
        pl->n++;
    }
    return 0;
}

int ni_postlist_add_block(ni_postlist *pl, const unsigned char *data, size_t len,
                          ni_txn *live)
{
    uint32_t dropped = 0;
    return add_block(pl, data, len, live, NULL, &dropped);
}

int ni_postlist_add_live(ni_postlist *pl, const unsigned char *data, size_t len,
                         const ni_deadset *dead, uint32_t *dropped)
{
    return add_block(pl, data, len, NULL, dead, dropped);
}

/* ---- deleted documents --------------------------------------------------- */

int ni_deadset_load(ni_deadset *d, ni_txn *t, uint32_t ndocs)
{
    size_t bytes = ((size_t)ndocs + 7) / 8;
    uint32_t chunk, doc;
    int rc;

    if ((rc = NI_GROW(d->bits, d->cap, bytes ? bytes : 1)) < 0)
        return rc;
    memset(d->bits, 0, bytes);
    d->n = ndocs;
    for (chunk = 0; chunk <= (ndocs ? (ndocs - 1) / NI_DOCINFO_CHUNK : 0) && ndocs; chunk++) {
        unsigned char key[4];
        uint32_t first = chunk * NI_DOCINFO_CHUNK;
        ni_val v;
        ni_put_be32(key, chunk);
        if ((rc = ni_txn_get(t, NI_T_DOCINFO, key, 4, &v)) < 0)
            return rc == NI_ENOTFOUND ? ni_error(NI_ECORRUPT, "docinfo chunk %u missing", chunk)
                                      : rc;
        for (doc = first; doc < ndocs && doc < first + NI_DOCINFO_CHUNK; doc++) {
            size_t off = (size_t)(doc - first) * NI_DOCINFO_ENTRY;
            if (v.len < off + NI_DOCINFO_ENTRY)
                return ni_error(NI_ECORRUPT, "docinfo chunk %u is short", chunk);
            if (ni_get_le32(v.data + off) == NI_DELETED)
                ni_deadset_add(d, doc);
        }
    }
    return 0;
}

void ni_deadset_free(ni_deadset *d)
{
    ni_mem_free(d->bits);
    memset(d, 0, sizeof *d);
}

int ni_postlist_store(ni_postlist *pl, ni_txn *t, const char *term, size_t tlen,
                      int in_table, const ni_buf *last, ni_term_info *ti)
{
    unsigned char key[NI_POSTING_KEY_MAX];
    size_t i, n = pl->n;
    int rc;

    ti->block = NULL;
    ti->block_len = 0;
    for (i = 0; i < n; i += NI_BLOCK_DOCS) {
        size_t m = n - i < NI_BLOCK_DOCS ? n - i : NI_BLOCK_DOCS;
        size_t klen = ni_posting_key(key, term, tlen, pl->post[i + m - 1].doc);
        pl->block.len = 0;
        if ((rc = ni_block_encode(&pl->block, pl->post + i, m)) < 0)
            return rc;
        if (m == n && !in_table && pl->block.len <= NI_INLINE_MAX) {
            ti->block = pl->block.data;
            ti->block_len = pl->block.len;
            return 0;
        }
        rc = last && ni_store_key_after(key, klen, last->data, last->len)
                 ? ni_txn_append(t, NI_T_POSTINGS, key, klen, pl->block.data, pl->block.len)
                 : ni_txn_put(t, NI_T_POSTINGS, key, klen, pl->block.data, pl->block.len);
        if (rc < 0)
            return rc;
    }
    return 0;
}
