/*
 * compact.c - compaction (compact.h).  A term needs it when its lexicon
 * value counts more postings than live documents (postings > df); its
 * blocks, inline or in the postings table, are decoded without the
 * documents docinfo marks deleted and stored again (postlist.c), or the
 * term is removed when none is left.  Its pruning bounds are kept: they
 * still bound the documents left.  Does not touch stored records, ids or
 * docinfo (deletion at flush removed what it could, flush.c).
 *
 * The same rewrite of one term is the flush's incremental reclamation
 * (ni_compact_term, ni_reclaim_due): a commit that deletes a document
 * touches the lexicon entry of each of its terms anyway, and rewrites
 * those whose deleted postings have reached a share of all of theirs.
 */
#include <string.h>

#include "compact.h"
#include "error.h"
#include "layout.h"
#include "postlist.h"

/* Whether k is a posting key of term (tlen bytes). */
static int is_posting_key(const ni_val *k, const char *term, size_t tlen)
{
    return k->len == tlen + 5 && memcmp(k->data, term, tlen) == 0 && k->data[tlen] == 0;
}

/* Reads the blocks of term in the postings table into pl, without deleted
 * documents (those of dead, or docinfo's when dead is NULL), and removes
 * them from the table. */
static int take_blocks(ni_postlist *pl, ni_txn *t, ni_cursor *c, const char *term, size_t tlen,
                       const ni_deadset *dead)
{
    uint32_t dropped = 0;
    unsigned char key[NI_POSTING_KEY_MAX];
    ni_val k, v;
    int rc;

    for (rc = ni_cursor_seek(c, key, ni_posting_key(key, term, tlen, 0)); rc == 0;
         rc = ni_cursor_next(c)) {
        if ((rc = ni_cursor_get(c, &k, &v)) < 0)
            return rc;
        if (!is_posting_key(&k, term, tlen))
            break;
        rc = dead ? ni_postlist_add_live(pl, v.data, v.len, dead, &dropped)
                  : ni_postlist_add_block(pl, v.data, v.len, t);
        if (rc < 0)
            return rc;
    }
    if (rc < 0 && rc != NI_DONE)
        return rc;
    while ((rc = ni_cursor_seek(c, key, ni_posting_key(key, term, tlen, 0))) == 0 &&
           (rc = ni_cursor_get(c, &k, NULL)) == 0 && is_posting_key(&k, term, tlen)) {
        memcpy(key, k.data, k.len);
        if ((rc = ni_txn_del(t, NI_T_POSTINGS, key, k.len)) < 0)
            return rc;
    }
    return rc < 0 && rc != NI_DONE ? rc : 0;
}

int ni_compact_term(ni_postlist *pl, ni_txn *t, ni_cursor *c, const char *term, size_t tlen,
                    ni_term_info *ti, const ni_deadset *dead)
{
    uint32_t dropped = 0;
    int rc;

    ni_postlist_clear(pl);
    if (!ti->block)
        rc = take_blocks(pl, t, c, term, tlen, dead);
    else if (dead)
        rc = ni_postlist_add_live(pl, ti->block, ti->block_len, dead, &dropped);
    else
        rc = ni_postlist_add_block(pl, ti->block, ti->block_len, t);
    if (rc < 0)
        return rc;
    ti->postings = (uint32_t)pl->n;
    if (pl->n == 0)
        return ni_txn_del(t, NI_T_TERMS, term, tlen);
    if ((rc = ni_postlist_store(pl, t, term, tlen, 0, NULL, ti)) < 0)
        return rc;
    return ni_term_info_write(t, term, tlen, ti, 0);
}

int ni_reclaim_due(const ni_term_info *ti, unsigned pct)
{
    uint64_t deleted = ti->postings > ti->df ? ti->postings - ti->df : 0;
    /* above 100 % never: deleted <= postings */
    return deleted > 0 && deleted * 100 >= (uint64_t)pct * ti->postings;
}

/* Appends to out the terms whose postings include deleted documents, each
 * as a big-endian u16 length and its bytes; *n counts them. */
static int terms_to_compact(ni_txn *t, ni_buf *out, size_t *n)
{
    ni_cursor *terms = NULL;
    ni_term_info ti;
    ni_val k, v;
    int rc;

    if ((rc = ni_cursor_open(&terms, t, NI_T_TERMS)) < 0)
        return rc;
    for (rc = ni_cursor_first(terms); rc == 0; rc = ni_cursor_next(terms)) {
        unsigned char len[2];
        if ((rc = ni_cursor_get(terms, &k, &v)) < 0)
            break;
        if (k.len == 0 || k.len > NI_MAX_WORD_BYTES * 2 ||
            ni_term_info_decode(&ti, v.data, v.len) < 0) {
            rc = ni_error(NI_ECORRUPT, "bad lexicon entry");
            break;
        }
        if (ti.postings == ti.df)
            continue;
        len[0] = (unsigned char)(k.len >> 8);
        len[1] = (unsigned char)k.len;
        if ((rc = ni_buf_put(out, len, 2)) < 0 || (rc = ni_buf_put(out, k.data, k.len)) < 0)
            break;
        ++*n;
    }
    ni_cursor_close(terms);
    return rc == NI_DONE ? 0 : rc;
}

static int compact_into(ni_txn *t)
{
    ni_buf terms = NI_BUF_INIT;
    ni_postlist pl;
    ni_cursor *post = NULL;
    ni_meta m;
    size_t off, i, nterms = 0;
    int rc;

    memset(&pl, 0, sizeof pl);
    /* the terms with postings of deleted documents, collected first */
    if ((rc = ni_meta_read(t, &m)) < 0 || (rc = terms_to_compact(t, &terms, &nterms)) < 0 ||
        (rc = ni_cursor_open(&post, t, NI_T_POSTINGS)) < 0)
        goto cleanup;
    for (i = 0, off = 0; i < nterms && rc >= 0; i++) {
        size_t tlen = (size_t)terms.data[off] << 8 | terms.data[off + 1];
        const char *term = (const char *)terms.data + off + 2;
        ni_term_info ti;
        if ((rc = ni_term_info_read(t, term, tlen, &ti)) == 0)
            rc = ni_compact_term(&pl, t, post, term, tlen, &ti, NULL);
        off += 2 + tlen;
    }
    if (rc < 0)
        goto cleanup;
    m.deleted = 0;
    rc = ni_meta_write(t, &m);
cleanup:
    ni_cursor_close(post);
    ni_postlist_free(&pl);
    ni_buf_free(&terms);
    return rc;
}

int ni_compact(ni_store *s)
{
    int rc, attempt;

    for (attempt = 0;; attempt++) {
        ni_txn *t;
        if ((rc = ni_txn_begin(&t, s, 1)) < 0)
            return rc;
        if ((rc = compact_into(t)) < 0) {
            ni_txn_abort(t);
            if (rc == NI_EFULL && ni_store_take_map_full(s) && attempt < 16 &&
                ni_store_grow(s, 0) == 0)
                continue;
            return rc;
        }
        return ni_txn_commit(t);
    }
}
