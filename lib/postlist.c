/*
 * postlist.c - a term's posting list decoded and encoded again (postlist.h),
 * for the flush and compaction.  The block format itself is postings.c's.
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

int ni_postlist_add_block(ni_postlist *pl, const unsigned char *data, size_t len,
                          ni_txn *live)
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
            if (di.len_title == NI_DELETED)
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
