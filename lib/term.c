/*
 * term.c - the matchers that read posting blocks (match.h): a term, a
 * cursor over its blocks; a word searched by its alternative terms (stem,
 * normal form, name keys) and scored as one term; and phrases and NEAR, a
 * conjunction of words checked on their positions.  The matchers that
 * combine others are in match.c; which terms a word has is build.c's
 * choice.
 *
 * A term matcher walks the blocks of its term in key order; advancing past
 * the current block is one B-tree seek on term 0x00 be32(target), which lands
 * on the first block whose last document is >= target, so whole blocks are
 * skipped without being read.  A term whose one block is inline in its
 * lexicon value has no cursor: past that block it is done.  Its bound up
 * to a target (ops->bound) moves it to the block holding the target reading
 * the block's header only (largest frequencies, smallest lengths); a lazy
 * term decodes a block's documents only when one of them is needed.  A
 * phrase bounds its score with the sum of its terms' bounds; a phrase's
 * word with several terms holds a position where any of them does.  For
 * explanations (explain.c), a term, word or phrase matcher tells its terms'
 * df, idf, frequencies and scores at its document; for proximity (prox.c),
 * a term or word matcher its positions there.
 */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "mem.h"
#include "query.h"
#include "shardstats.h"
#include "term.h"

/* ---- term -------------------------------------------------------------- */

typedef struct term_m {
    ni_matcher m;
    ni_match_ctx *c;
    ni_cursor *cur;            /* NULL for an inline block */
    char *term;
    size_t len;
    ni_term_step s;            /* the current block and document in it */
    unsigned field;
    int scored;
    int lazy;                  /* decode a block only when its documents are
                                  needed (the caller decodes before scoring) */
    uint32_t df;
    double idf;
    double blk_max;            /* bound of the current block, < 0: not yet */
} term_m;

/* Decodes the current block's entries through the one t stands on (its
 * documents further on are decoded when t gets there). */
static int term_decode(term_m *t)
{
    uint32_t at;
    if (t->s.i < t->s.blk.ndec || t->m.doc == NI_NO_DOC)
        return 0;
    if (t->s.blk.ndec == 0)
        t->c->blocks_decoded++;
    return ni_block_seek(&t->s.blk, t->s.i, 0, &at);
}

static int term_load(term_m *t)
{
    ni_val k, v;
    int rc = ni_cursor_get(t->cur, &k, &v);
    if (rc == NI_DONE || (rc == 0 && (k.len != t->len + 5 ||
                                      memcmp(k.data, t->term, t->len) != 0 ||
                                      k.data[t->len] != 0))) {
        t->m.doc = NI_NO_DOC;
        return 0;
    }
    if (rc < 0 || (rc = ni_block_open(&t->s.blk, v.data, v.len)) < 0)
        return rc;
    if (t->s.blk.last_doc != ni_get_be32(k.data + t->len + 1))
        return ni_error(NI_ECORRUPT, "posting block of '%.*s' is under the wrong key",
                        (int)t->len, t->term);
    t->c->blocks_read++;
    t->s.i = 0;
    t->blk_max = -1;
    t->m.doc = t->s.blk.first_doc;
    return 0;
}

/* 1 when the cursor stands on a block of another term or on one of t's
 * whose last document (in its key) is >= target. */
static int cursor_reaches(term_m *t, uint32_t target)
{
    ni_val k;
    if (ni_cursor_get(t->cur, &k, NULL) < 0)
        return 0;
    return k.len != t->len + 5 || memcmp(k.data, t->term, t->len) != 0 ||
           k.data[t->len] != 0 || ni_get_be32(k.data + t->len + 1) >= target;
}

/* Moves to the next block (or the first whose last document is >= target,
 * when seek), ending the matcher when there is none.  A seek tries the
 * next block first: dense terms are mostly sent only that far, and
 * stepping is cheaper than a search from the root. */
static int term_next_block(term_m *t, int seek, uint32_t target)
{
    unsigned char key[NI_POSTING_KEY_MAX];
    int rc;
    if (!t->cur) {
        t->m.doc = NI_NO_DOC;
        return 0;
    }
    rc = ni_cursor_next(t->cur);
    if (seek && rc == 0 && !cursor_reaches(t, target))
        rc = ni_cursor_seek(t->cur, key, ni_posting_key(key, t->term, t->len, target));
    return rc < 0 ? rc : term_load(t);
}

/* Skips documents without the term in the title when restricted to it
 * (whole blocks without it in any title unread), and decodes the block
 * unless lazy. */
static int term_settle(term_m *t)
{
    int rc;
    while (t->field == NI_QFIELD_TITLE && t->m.doc != NI_NO_DOC) {
        if (t->s.blk.max_tf_title > 0) {
            if ((rc = term_decode(t)) < 0)
                return rc;
            if (t->s.blk.tf_title[t->s.i] > 0)
                break;
            if (++t->s.i < t->s.blk.ndocs) {
                if ((rc = term_decode(t)) < 0)
                    return rc;
                t->m.doc = t->s.blk.docs[t->s.i];
                continue;
            }
        }
        if ((rc = term_next_block(t, 0, 0)) < 0)
            return rc;
    }
    return t->lazy ? 0 : term_decode(t);
}

static int term_next(ni_matcher *m)
{
    term_m *t = (term_m *)m;
    int rc;
    if (m->doc == NI_NO_DOC)
        return 0;
    if ((rc = term_decode(t)) < 0)
        return rc;
    if (++t->s.i < t->s.blk.ndocs) {
        if ((rc = term_decode(t)) < 0)
            return rc;
        m->doc = t->s.blk.docs[t->s.i];
    } else if ((rc = term_next_block(t, 0, 0)) < 0) {
        return rc;
    }
    return term_settle(t);
}

static int term_advance(ni_matcher *m, uint32_t target)
{
    term_m *t = (term_m *)m;
    int rc;
    if (m->doc >= target)
        return 0;
    if (target > t->s.blk.last_doc) {
        if ((rc = term_next_block(t, 1, target)) < 0)
            return rc;
        if (m->doc == NI_NO_DOC)
            return 0;
    }
    if (target > t->s.blk.first_doc) {
        if (t->s.blk.ndec == 0)
            t->c->blocks_decoded++;
        /* the block's last document is >= target: one is found */
        if ((rc = ni_block_seek(&t->s.blk, t->s.i, target, &t->s.i)) < 0)
            return rc;
        m->doc = t->s.blk.docs[t->s.i];
    }
    return term_settle(t);
}

/*
 * Moves t to the block holding the first document >= target, if it is not
 * there yet, reading only the block's header: t then stands on the block's
 * first document (its first in the title when restricted to it), which may
 * be below target; a term that is not lazy is decoded there, since its
 * parent may score it without advancing it.  The caller advances t to
 * target or beyond before it uses t's document again.
 */
static int term_shallow(term_m *t, uint32_t target)
{
    int rc;
    if (t->m.doc == NI_NO_DOC || target <= t->s.blk.last_doc)
        return 0;
    if ((rc = term_next_block(t, 1, target)) < 0)
        return rc;
    return term_settle(t);
}

/* No document of t's current block scores more than this. */
static double term_block_max(term_m *t)
{
    if (t->blk_max < 0)
        t->blk_max = t->scored && t->m.doc != NI_NO_DOC
                         ? ni_bm25_term(&t->c->bm25, t->idf, t->s.blk.max_tf_title,
                                        t->field == NI_QFIELD_TITLE ? 0 : t->s.blk.max_tf_body,
                                        t->field == NI_QFIELD_TITLE ? 0 : t->s.blk.max_lead,
                                        t->s.blk.min_len_title, t->s.blk.min_len_body)
                         : 0;
    return t->blk_max;
}

/* The lead of t's current document as ni_bm25_term counts it. */
static uint32_t term_lead(const term_m *t)
{
    return t->field == NI_QFIELD_TITLE
               ? 0 : ni_bm25_lead(t->s.blk.tf_title[t->s.i], ni_block_lead(&t->s.blk, t->s.i));
}

static double term_score(ni_matcher *m, const ni_docinfo *di)
{
    term_m *t = (term_m *)m;
    if (!t->scored || m->doc == NI_NO_DOC)
        return 0;
    return ni_bm25_term_inv(&t->c->bm25, t->idf, t->s.blk.tf_title[t->s.i],
                            t->field == NI_QFIELD_TITLE ? 0 : t->s.blk.tf_body[t->s.i],
                            term_lead(t), di->inv_title, di->inv_body);
}

static void term_free(ni_matcher *m)
{
    term_m *t = (term_m *)m;
    ni_cursor_close(t->cur);
    ni_mem_free(t->term);
    ni_mem_free(t);
}

/* ops->bound: the bound of the block holding the first document >= target. */
static int term_bound(ni_matcher *m, uint32_t target, uint32_t *upto, double *out)
{
    term_m *t = (term_m *)m;
    int rc;
    *out = 0;
    if ((rc = term_shallow(t, target)) < 0)
        return rc;
    if (m->doc != NI_NO_DOC) {
        if (t->s.blk.last_doc < *upto)
            *upto = t->s.blk.last_doc;
        *out = term_block_max(t);
    }
    return 0;
}

static void term_set_lazy(ni_matcher *m)
{
    ((term_m *)m)->lazy = 1;
}

static int term_ready(ni_matcher *m)
{
    return term_decode((term_m *)m);
}

static const ni_matcher_ops term_ops = {
    .next = term_next, .advance = term_advance, .score = term_score, .free = term_free,
    .bound = term_bound, .set_lazy = term_set_lazy, .ready = term_ready,
};

/* Whether a document of the term may have it in its lead: the lexicon
 * does not say, unless its one block is inline. */
static uint32_t lead_bound(const ni_term_info *ti)
{
    ni_block b;
    if (!ti->block)
        return 1;
    if (ni_block_open(&b, ti->block, ti->block_len) < 0) {
        ni_error_clear();
        return 1;
    }
    return b.max_lead;
}

/* Opens a term, whose lexicon entry is *known when not NULL (read in this
 * transaction); its idf is that of df when df >= 0, of its own document
 * frequency otherwise. */
static int term_open(term_m **out, ni_match_ctx *c, const char *term, size_t len,
                     unsigned field, int scored, double df, const ni_term_info *known)
{
    unsigned char key[NI_POSTING_KEY_MAX];
    ni_term_info ti;
    term_m *t;
    int rc;

    *out = NULL;
    if (len == 0 || len > NI_MAX_WORD_BYTES * 2)
        return NI_ENOTFOUND;
    if (known)
        ti = *known;
    else if ((rc = ni_term_info_read_bounds(c->txn, term, len, &ti)) < 0)
        return rc;
    if (c->gs && !known && scored && ti.postings > 0 && df < 0) {
        uint32_t here = ti.df;
        if ((rc = ni_shard_stats_lookup(c->gs, term, len, &ti)) < 0)
            return rc;
        df = (double)ti.df;
        ti.df = here;
    }
    if (ti.postings == 0 || (c->gs && c->gs->recording))
        return NI_ENOTFOUND;    /* phase 1 of shards reads the dictionary only */
    t = ni_mem_calloc(1, sizeof *t);
    if (!t)
        return ni_error(NI_ENOMEM, "out of memory");
    t->m.ops = &term_ops;
    t->m.step = field == NI_QFIELD_TITLE ? NULL : &t->s;
    t->m.cost = ni_shard_stats_cost(c->gs, term, len, ti.postings);
    t->c = c;
    t->field = field;
    t->scored = scored;
    t->len = len;
    t->df = ti.df;
    t->idf = ni_bm25_idf(c->bm25.docs, df >= 0 ? df : (double)ti.df);
    /* No document scores more than the largest frequencies over the
     * smallest lengths would (the score grows with tf, shrinks with length). */
    t->m.max_score = scored ? ni_bm25_term(&c->bm25, t->idf, ti.max_tf_title,
                                           field == NI_QFIELD_TITLE ? 0 : ti.max_tf_body,
                                           field != NI_QFIELD_TITLE && lead_bound(&ti),
                                           ti.min_len_title, ti.min_len_body) : 0;
    t->term = ni_mem_strndup(term, len);
    if (!t->term) {
        ni_mem_free(t);
        return ni_error(NI_ENOMEM, "out of memory");
    }
    t->blk_max = -1;
    if (ti.block) {
        /* in the read transaction's snapshot, like a cursor's block */
        if ((rc = ni_block_open(&t->s.blk, ti.block, ti.block_len)) == 0) {
            c->blocks_read++;
            t->s.i = 0;
            t->m.doc = t->s.blk.first_doc;
            rc = term_settle(t);
        }
    } else if ((rc = ni_cursor_open(&t->cur, c->txn, NI_T_POSTINGS)) == 0 &&
               (rc = ni_cursor_seek(t->cur, key, ni_posting_key(key, term, len, 0))) >= 0 &&
               (rc = term_load(t)) == 0) {
        rc = term_settle(t);
    }
    if (rc < 0) {
        term_free(&t->m);
        return rc;
    }
    *out = t;
    return 0;
}

int ni_match_term(ni_matcher **out, ni_match_ctx *c, const char *term,
                  size_t len, unsigned field, int scored)
{
    term_m *t;
    int rc = term_open(&t, c, term, len, field, scored, -1, NULL);
    *out = t ? &t->m : NULL;
    return rc;
}

int ni_term_lookup(ni_match_ctx *c, const char *term, size_t len, ni_term_info *ti)
{
    int rc;
    if (len == 0 || len > NI_MAX_WORD_BYTES * 2)
        return 0;
    if ((rc = ni_term_info_read_bounds(c->txn, term, len, ti)) < 0) {
        if (rc != NI_ENOTFOUND)
            return rc;
        if (!c->gs)
            return 0;
        ni_error_clear();
        memset(ti, 0, sizeof *ti);
    }
    if (c->gs)
        return ni_shard_stats_lookup(c->gs, term, len, ti);
    return ti->postings > 0;
}

void ni_alts_put(ni_alts *a, ni_match_ctx *c, const char *term, size_t len,
                 const ni_term_info *ti)
{
    size_t i;
    if (a->n == NI_MAX_ALTS)
        return;
    for (i = 0; i < a->n; i++)
        if (a->len[i] == len && memcmp(a->term[i], term, len) == 0)
            return;
    a->term[a->n] = term;
    a->len[a->n] = len;
    a->info[a->n++] = *ti;
    a->df += (double)ti->df;
    if (a->df > c->bm25.docs)
        a->df = c->bm25.docs;
}

int ni_alts_add(ni_alts *a, ni_match_ctx *c, const char *term, size_t len)
{
    ni_term_info ti;
    int rc = ni_term_lookup(c, term, len, &ti);
    if (rc > 0)
        ni_alts_put(a, c, term, len, &ti);
    return rc;
}

/*
 * A word's alternatives scored as one term (Lucene's SynonymQuery): its
 * frequencies in a document are the sums of theirs, scored once with the
 * word's idf, so a document holding the word under two terms does not
 * score two saturations.  The bound of a window sums the alternatives'
 * largest block frequencies over their smallest lengths (the score grows
 * with frequency, shrinks with length).
 */
typedef struct word_m {
    ni_matcher m;
    ni_match_ctx *c;
    term_m *t[NI_MAX_ALTS];
    size_t n;
    double idf;
    unsigned field;
    /* the last bound (word_bound): bval holds for the documents from bfrom
     * to bupto, the end of the shortest of the blocks it was read from */
    uint32_t bfrom, bupto;
    double bval;
} word_m;

static void word_settle(word_m *w)
{
    size_t i;
    w->m.doc = NI_NO_DOC;
    for (i = 0; i < w->n; i++)
        if (w->t[i]->m.doc < w->m.doc)
            w->m.doc = w->t[i]->m.doc;
}

static int word_next(ni_matcher *m)
{
    word_m *w = (word_m *)m;
    size_t i;
    int rc;
    if (m->doc == NI_NO_DOC)
        return 0;
    for (i = 0; i < w->n; i++)
        if (w->t[i]->m.doc == m->doc && (rc = ni_matcher_next(&w->t[i]->m)) < 0)
            return rc;
    word_settle(w);
    return 0;
}

static int word_advance(ni_matcher *m, uint32_t target)
{
    word_m *w = (word_m *)m;
    size_t i;
    int rc;
    if (m->doc >= target)
        return 0;
    for (i = 0; i < w->n; i++)
        if ((rc = ni_matcher_advance(&w->t[i]->m, target)) < 0)
            return rc;
    word_settle(w);
    return 0;
}

static double word_score(ni_matcher *m, const ni_docinfo *di)
{
    word_m *w = (word_m *)m;
    uint32_t tt = 0, tb = 0, lead = 0;
    size_t i;
    if (m->doc == NI_NO_DOC)
        return 0;
    for (i = 0; i < w->n; i++) {
        term_m *t = w->t[i];
        if (t->m.doc != m->doc)
            continue;
        tt += t->s.blk.tf_title[t->s.i];
        tb += w->field == NI_QFIELD_TITLE ? 0 : t->s.blk.tf_body[t->s.i];
        lead |= w->field == NI_QFIELD_TITLE ? 0 : ni_block_lead(&t->s.blk, t->s.i);
    }
    return ni_bm25_term_inv(&w->c->bm25, w->idf, tt, tb, ni_bm25_lead(tt, lead),
                            di->inv_title, di->inv_body);
}

/*
 * ops->bound.  The sum over the word's terms of their blocks' maxima holds
 * up to the end of the shortest of those blocks; a later target up to there
 * lies in the same blocks of every term that has not moved on (one that has
 * is past them, and the old block still bounds what it had there), so the
 * bound is kept for it: an OR asks for it at each candidate.
 */
static int word_bound(ni_matcher *m, uint32_t target, uint32_t *upto, double *out)
{
    word_m *w = (word_m *)m;
    uint32_t tt = 0, tb = 0, lead = 0, lt = UINT32_MAX, lb = UINT32_MAX, end = UINT32_MAX;
    size_t i;
    int rc, any = 0;

    if (target >= w->bfrom && target <= w->bupto) {
        if (w->bupto < *upto)
            *upto = w->bupto;
        *out = w->bval;
        return 0;
    }
    for (i = 0; i < w->n; i++) {
        term_m *t = w->t[i];
        if ((rc = term_shallow(t, target)) < 0)
            return rc;
        if (t->m.doc == NI_NO_DOC)
            continue;
        if (t->s.blk.last_doc < end)
            end = t->s.blk.last_doc;
        tt += t->s.blk.max_tf_title;
        tb += w->field == NI_QFIELD_TITLE ? 0 : t->s.blk.max_tf_body;
        lead |= w->field == NI_QFIELD_TITLE ? 0 : t->s.blk.max_lead;
        if (t->s.blk.min_len_title < lt)
            lt = t->s.blk.min_len_title;
        if (t->s.blk.min_len_body < lb)
            lb = t->s.blk.min_len_body;
        any = 1;
    }
    word_settle(w);
    *out = any ? ni_bm25_term(&w->c->bm25, w->idf, tt, tb, lead, lt, lb) : 0;
    if (end < *upto)
        *upto = end;
    w->bfrom = target;
    w->bupto = end;
    w->bval = *out;
    return 0;
}

static void word_free(ni_matcher *m)
{
    word_m *w = (word_m *)m;
    size_t i;
    for (i = 0; i < w->n; i++)
        term_free(&w->t[i]->m);
    ni_mem_free(w);
}

static const ni_matcher_ops word_ops = {
    .next = word_next, .advance = word_advance, .score = word_score, .free = word_free,
    .bound = word_bound,
};

int ni_match_word(ni_matcher **out, ni_match_ctx *c, const ni_alts *a, unsigned field)
{
    word_m *w;
    size_t i;
    int rc;

    *out = NULL;
    if (a->n == 0 || (c->gs && c->gs->recording))
        return NI_ENOTFOUND;    /* phase 1 of shards reads the dictionary only */
    if (a->n == 1 && (!c->gs || a->info[0].postings > 0)) {
        term_m *t;
        int rc1 = term_open(&t, c, a->term[0], a->len[0], field, 1, c->gs ? a->df : -1,
                            &a->info[0]);
        *out = t ? &t->m : NULL;
        return rc1;
    }
    if (!(w = ni_mem_calloc(1, sizeof *w)))
        return ni_error(NI_ENOMEM, "out of memory");
    w->m.ops = &word_ops;
    w->c = c;
    w->field = field;
    w->bfrom = 1;               /* no bound kept yet: bfrom > bupto */
    w->idf = ni_bm25_idf(c->bm25.docs, a->df);
    /* no document holds more of the word than all its terms' largest
     * frequencies, nor is shorter than their shortest lengths */
    {
        uint32_t tt = 0, tb = 0, lead = 0, lt = UINT32_MAX, lb = UINT32_MAX;
        for (i = 0; i < a->n; i++) {
            if (a->info[i].postings == 0)
                continue;   /* only in a shard (c->gs): a term of others */
            tt += a->info[i].max_tf_title;
            tb += field == NI_QFIELD_TITLE ? 0 : a->info[i].max_tf_body;
            lead |= field == NI_QFIELD_TITLE ? 0 : lead_bound(&a->info[i]);
            lt = a->info[i].min_len_title < lt ? a->info[i].min_len_title : lt;
            lb = a->info[i].min_len_body < lb ? a->info[i].min_len_body : lb;
        }
        w->m.max_score = ni_bm25_term(&c->bm25, w->idf, tt, tb, lead, lt, lb);
    }
    for (i = 0; i < a->n; i++) {
        /* the cost counts the terms of other shards too (c->gs): matchers
         * ordered by cost sum their scores in that order */
        w->m.cost += ni_shard_stats_cost(c->gs, a->term[i], a->len[i], a->info[i].postings);
        if (a->info[i].postings == 0)
            continue;
        if ((rc = term_open(&w->t[w->n++], c, a->term[i], a->len[i], field, 1, a->df,
                            &a->info[i])) < 0) {
            w->n--;
            word_free(&w->m);
            return rc;
        }
    }
    word_settle(w);
    *out = &w->m;
    return 0;
}

/* ---- positions of a word, for proximity -------------------------------- */

static int cmp_pos(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/*
 * The positions of the terms t[0..n) that stand on doc (a word's
 * alternatives), merged into (*pos)[0..*npos): ascending, each once (an
 * alternative's are sorted; several are sorted again).  Only the title's
 * when title_only.  *pos has room for *cap, grown with ni_mem_realloc.
 */
static int merge_positions(term_m *const *t, size_t n, uint32_t doc, int title_only,
                           uint32_t **pos, uint32_t *npos, uint32_t *cap)
{
    uint32_t total = 0, k = 0, i, j, parts = 0;
    size_t a;
    int rc;

    for (a = 0; a < n; a++)
        if (t[a]->m.doc == doc) {
            if ((rc = term_decode(t[a])) < 0)
                return rc;
            total += t[a]->s.blk.tf_title[t[a]->s.i] + t[a]->s.blk.tf_body[t[a]->s.i];
        }
    if (total > *cap) {
        uint32_t *np = ni_mem_realloc(*pos, (size_t)total * sizeof *np);
        if (!np)
            return ni_error(NI_ENOMEM, "out of memory");
        *pos = np;
        *cap = total;
    }
    for (a = 0; a < n; a++) {
        const ni_block *b = &t[a]->s.blk;
        uint32_t x = t[a]->s.i, tf;
        if (t[a]->m.doc != doc)
            continue;
        tf = b->tf_title[x] + b->tf_body[x];
        if ((rc = ni_block_positions(&t[a]->s.blk, x, *pos + k, tf)) < 0)
            return rc;
        /* restricted to the title: only the positions there count */
        k += title_only ? b->tf_title[x] : tf;
        parts++;
    }
    if (parts > 1) {
        qsort(*pos, k, sizeof **pos, cmp_pos);
        for (i = j = 0; i < k; i++)
            if (j == 0 || (*pos)[i] != (*pos)[j - 1])
                (*pos)[j++] = (*pos)[i];
        k = j;
    }
    *npos = k;
    return 0;
}

int ni_match_positions(ni_matcher *m, uint32_t **pos, uint32_t *n, uint32_t *cap)
{
    term_m *t = (term_m *)m;
    *n = 0;
    if (m->doc == NI_NO_DOC)
        return 0;
    if (m->ops == &term_ops)
        return merge_positions(&t, 1, m->doc, 0, pos, n, cap);
    if (m->ops == &word_ops)
        return merge_positions(((word_m *)m)->t, ((word_m *)m)->n, m->doc, 0, pos, n, cap);
    return 0;
}

/* The frequency of t's current document, UINT32_MAX when not decoded. */
static uint32_t term_tf(const term_m *t)
{
    if (t->s.i >= t->s.blk.ndec)
        return UINT32_MAX;
    return t->s.blk.tf_title[t->s.i] + t->s.blk.tf_body[t->s.i];
}

uint32_t ni_match_tf(const ni_matcher *m)
{
    const word_m *w;
    uint64_t tf = 0;
    size_t i;
    if (m->doc == NI_NO_DOC)
        return 0;
    if (m->ops == &term_ops)
        return term_tf((const term_m *)m);
    if (m->ops != &word_ops)
        return UINT32_MAX;
    w = (const word_m *)m;
    for (i = 0; i < w->n; i++)
        if (w->t[i]->m.doc == m->doc)
            tf += term_tf(w->t[i]);
    return tf < UINT32_MAX ? (uint32_t)tf : UINT32_MAX;
}

double ni_match_idf(const ni_matcher *m)
{
    if (m->ops == &term_ops)
        return ((const term_m *)m)->scored ? ((const term_m *)m)->idf : 0;
    return m->ops == &word_ops ? ((const word_m *)m)->idf : 0;
}

/* ---- phrase and NEAR --------------------------------------------------- */

typedef struct phrase_m {
    ni_matcher m;
    ni_match_ctx *c;
    term_m **terms;            /* the slots' alternatives, slot after slot */
    size_t *first;             /* slot k's: terms[first[k] .. first[k + 1]) */
    uint32_t *qpos;
    size_t n;                  /* slots */
    size_t nterms;             /* entries of terms (NULL until opened) */
    uint32_t slop;
    unsigned field;
    uint32_t **pos;            /* positions of each slot in the current doc */
    uint32_t *npos, *cap;
    uint32_t *cursor;          /* NEAR: index into each list */
    uint32_t *same;            /* NEAR: copies of slot k in the query, on its
                                  first copy (0 on later copies) */
} phrase_m;

/* The positions of slot k in document doc: those of its alternatives that
 * stand on doc, merged (an alternative's are sorted; several are sorted
 * again and each position kept once). */
static int load_positions(phrase_m *p, size_t k, uint32_t doc)
{
    return merge_positions(p->terms + p->first[k], p->first[k + 1] - p->first[k], doc,
                           p->field == NI_QFIELD_TITLE, &p->pos[k], &p->npos[k], &p->cap[k]);
}

static int contains(const uint32_t *a, uint32_t n, uint32_t v)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (a[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && a[lo] == v;
}

/* Positions in the sorted a[0..n) within [lo, hi]. */
static uint32_t count_in(const uint32_t *a, uint32_t n, uint32_t lo, uint32_t hi)
{
    uint32_t i = 0, j;
    while (i < n && a[i] < lo)
        i++;
    for (j = i; j < n && a[j] <= hi; j++)
        ;
    return j - i;
}

/* A word given twice in a NEAR query needs two occurrences in the window,
 * not one occurrence counted twice. */
static int enough_copies(const phrase_m *p, uint32_t lo, uint32_t hi)
{
    size_t k;
    for (k = 0; k < p->n; k++)
        if (p->same[k] > 1 && count_in(p->pos[k], p->npos[k], lo, hi) < p->same[k])
            return 0;
    return 1;
}

/* 1 when the positions of the current document satisfy the phrase. */
static int phrase_check(phrase_m *p)
{
    size_t k;
    uint32_t i;
    if (p->slop == 0) {
        for (i = 0; i < p->npos[0]; i++) {
            uint32_t start = p->pos[0][i];
            if (start < p->qpos[0])
                continue;
            start -= p->qpos[0];
            for (k = 1; k < p->n; k++)
                if (!contains(p->pos[k], p->npos[k], start + p->qpos[k]))
                    break;
            if (k == p->n)
                return 1;
        }
        return 0;
    }
    /* NEAR: the smallest window holding one position of every term. */
    for (k = 0; k < p->n; k++)
        p->cursor[k] = 0;
    for (;;) {
        uint32_t lo = UINT32_MAX, hi = 0;
        size_t lo_k = 0;
        for (k = 0; k < p->n; k++) {
            uint32_t v;
            if (p->cursor[k] >= p->npos[k])
                return 0;
            v = p->pos[k][p->cursor[k]];
            if (v < lo)
                lo = v, lo_k = k;
            if (v > hi)
                hi = v;
        }
        if ((uint64_t)hi - lo <= (uint64_t)p->n - 1 + p->slop && enough_copies(p, lo, hi))
            return 1;
        p->cursor[lo_k]++;
    }
}

/* Advances slot k's alternatives to target and returns the first document
 * one of them stands on (NI_NO_DOC when all are done) in *doc. */
static int slot_advance(phrase_m *p, size_t k, uint32_t target, uint32_t *doc)
{
    size_t a;
    int rc;
    *doc = NI_NO_DOC;
    for (a = p->first[k]; a < p->first[k + 1]; a++) {
        term_m *t = p->terms[a];
        if ((rc = term_advance(&t->m, target)) < 0)
            return rc;
        if (t->m.doc < *doc)
            *doc = t->m.doc;
    }
    return 0;
}

/* From document doc on, the first where all slots are present and the
 * positions fit. */
static int phrase_find(phrase_m *p, uint32_t doc)
{
    uint32_t d;
    size_t k;
    int rc, agree;

    for (;;) {
        do {
            agree = 1;
            for (k = 0; k < p->n; k++) {
                if ((rc = slot_advance(p, k, doc, &d)) < 0)
                    return rc;
                if (d == NI_NO_DOC) {
                    p->m.doc = NI_NO_DOC;
                    return 0;
                }
                if (d > doc) {
                    doc = d;
                    agree = 0;
                }
            }
        } while (!agree);
        for (k = 0; k < p->n; k++)
            if ((rc = load_positions(p, k, doc)) < 0)
                return rc;
        if (phrase_check(p)) {
            p->m.doc = doc;
            return 0;
        }
        if (doc == NI_NO_DOC - 1) {
            p->m.doc = NI_NO_DOC;
            return 0;
        }
        doc++;
    }
}

static int phrase_next(ni_matcher *m)
{
    if (m->doc == NI_NO_DOC)
        return 0;
    return phrase_find((phrase_m *)m, m->doc + 1);
}

static int phrase_advance(ni_matcher *m, uint32_t target)
{
    if (m->doc >= target)
        return 0;
    return phrase_find((phrase_m *)m, target);
}

static double phrase_score(ni_matcher *m, const ni_docinfo *di)
{
    phrase_m *p = (phrase_m *)m;
    double s = 0;
    size_t a;
    for (a = 0; a < p->first[p->n]; a++)
        if (p->terms[a]->m.doc == m->doc)
            s += term_score(&p->terms[a]->m, di);
    return s;
}

static void phrase_free(ni_matcher *m)
{
    phrase_m *p = (phrase_m *)m;
    size_t k;
    if (p->terms)
        for (k = 0; k < p->nterms; k++)
            if (p->terms[k])
                term_free(&p->terms[k]->m);
    if (p->pos)
        for (k = 0; k < p->n; k++)
            ni_mem_free(p->pos[k]);
    ni_mem_free(p->terms);
    ni_mem_free(p->first);
    ni_mem_free(p->pos);
    ni_mem_free(p->npos);
    ni_mem_free(p->cap);
    ni_mem_free(p->cursor);
    ni_mem_free(p->qpos);
    ni_mem_free(p->same);
    ni_mem_free(p);
}

/* ops->bound: the sum of the terms' block bounds. */
static int phrase_bound(ni_matcher *m, uint32_t target, uint32_t *upto, double *out)
{
    phrase_m *p = (phrase_m *)m;
    double s = 0, b;
    size_t a;
    int rc;
    for (a = 0; a < p->first[p->n]; a++) {
        if ((rc = ni_matcher_bound(&p->terms[a]->m, target, upto, &b)) < 0)
            return rc;
        s += b;
    }
    *out = s;
    return 0;
}

static const ni_matcher_ops phrase_ops = {
    .next = phrase_next, .advance = phrase_advance, .score = phrase_score,
    .free = phrase_free, .bound = phrase_bound,
};

/* The slot of the phrase's i-th term. */
static size_t phrase_slot(const phrase_m *p, size_t i)
{
    size_t k = 0;
    while (k + 1 < p->n && p->first[k + 1] <= i)
        k++;
    return k;
}

/* 1 when slots a and b have the same alternatives. */
static int same_slot(const ni_alts *a, const ni_alts *b)
{
    size_t i;
    if (a->n != b->n)
        return 0;
    for (i = 0; i < a->n; i++)
        if (a->len[i] != b->len[i] || memcmp(a->term[i], b->term[i], a->len[i]) != 0)
            return 0;
    return 1;
}

/* Opens the alternatives of every slot. */
static int phrase_open_terms(phrase_m *p, const ni_alts *slots)
{
    size_t k, a, at = 0;
    int rc;
    for (k = 0; k < p->n; k++) {
        uint64_t cost = 0;
        p->first[k] = at;
        for (a = 0; a < slots[k].n; a++) {
            term_m *t;
            if (slots[k].info[a].postings == 0) {
                /* only in a shard (c->gs): a term of others */
                cost += ni_shard_stats_cost(p->c->gs, slots[k].term[a], slots[k].len[a], 0);
                continue;
            }
            if ((rc = term_open(&t, p->c, slots[k].term[a], slots[k].len[a], p->field, 1,
                                slots[k].n > 1 || p->c->gs ? slots[k].df : -1,
                                &slots[k].info[a])) < 0)
                return rc;
            p->terms[at++] = t;
            p->first[k + 1] = at;
            p->m.max_score += t->m.max_score;
            cost += t->m.cost;
        }
        if (k == 0 || cost < p->m.cost)
            p->m.cost = cost;
    }
    p->nterms = at;             /* fewer in a shard without some terms */
    return 0;
}

int ni_match_phrase(ni_matcher **out, ni_match_ctx *c, const ni_alts *slots,
                    const uint32_t *qpos, size_t n, uint32_t slop, unsigned field)
{
    phrase_m *p;
    size_t k, nterms = 0;
    int rc;

    *out = NULL;
    if (c->gs && c->gs->recording)
        return NI_ENOTFOUND;    /* phase 1 of shards: the dictionary only */
    for (k = 0; k < n; k++) {
        size_t here = 0, a;
        for (a = 0; a < slots[k].n; a++)
            here += slots[k].info[a].postings > 0;
        if (here == 0)
            return NI_ENOTFOUND;
        nterms += slots[k].n;
    }
    if (n == 0)
        return NI_ENOTFOUND;
    p = ni_mem_calloc(1, sizeof *p);
    if (!p)
        return ni_error(NI_ENOMEM, "out of memory");
    p->m.ops = &phrase_ops;
    p->c = c;
    p->n = n;
    p->slop = slop;
    p->field = field;
    p->terms = ni_mem_calloc(nterms, sizeof *p->terms);
    p->nterms = p->terms ? nterms : 0;
    p->first = ni_mem_calloc(n + 1, sizeof *p->first);
    p->pos = ni_mem_calloc(n, sizeof *p->pos);
    p->npos = ni_mem_calloc(n, sizeof *p->npos);
    p->cap = ni_mem_calloc(n, sizeof *p->cap);
    p->cursor = ni_mem_calloc(n, sizeof *p->cursor);
    p->qpos = ni_mem_calloc(n, sizeof *p->qpos);
    p->same = ni_mem_calloc(n, sizeof *p->same);
    if (!p->terms || !p->first || !p->pos || !p->npos || !p->cap || !p->cursor ||
        !p->qpos || !p->same) {
        phrase_free(&p->m);
        return ni_error(NI_ENOMEM, "out of memory");
    }
    memcpy(p->qpos, qpos, n * sizeof *qpos);
    for (k = 0; k < n; k++) {
        size_t j;
        for (j = 0; j < k && !same_slot(&slots[j], &slots[k]); j++)
            ;
        p->same[j]++;
    }
    if ((rc = phrase_open_terms(p, slots)) < 0 || (rc = phrase_find(p, 0)) < 0) {
        phrase_free(&p->m);
        return rc;
    }
    *out = &p->m;
    return 0;
}

/* ---- explaining -------------------------------------------------------- */

size_t ni_match_term_count(const ni_matcher *m)
{
    if (m->ops == &term_ops)
        return 1;
    if (m->ops == &word_ops)
        return ((const word_m *)m)->n;
    return m->ops == &phrase_ops ? ((const phrase_m *)m)->nterms : 0;
}

int ni_match_term_detail(ni_term_detail *out, ni_matcher *m, size_t i, uint32_t doc,
                         const ni_docinfo *di)
{
    term_m *t = m->ops == &term_ops ? (term_m *)m
              : m->ops == &word_ops ? ((word_m *)m)->t[i] : ((phrase_m *)m)->terms[i];
    size_t j;
    int rc;

    memset(out, 0, sizeof *out);
    out->term = t->term;
    out->len = t->len;
    out->field = t->field;
    out->df = t->df;
    out->idf = t->idf;
    if (m->ops == &phrase_ops) {
        out->slot = phrase_slot((const phrase_m *)m, i);
        out->words = ((const phrase_m *)m)->n;
    }
    /* a phrase on doc has a term of every slot on it, a word one of its
     * terms: the others stand elsewhere */
    if (m->doc != doc || doc == NI_NO_DOC || t->m.doc != doc)
        return 0;
    if ((rc = term_decode(t)) < 0)
        return rc;
    out->tf_title = t->s.blk.tf_title[t->s.i];
    out->tf_body = t->field == NI_QFIELD_TITLE ? 0 : t->s.blk.tf_body[t->s.i];
    out->lead = t->field == NI_QFIELD_TITLE ? 0 : ni_block_lead(&t->s.blk, t->s.i);
    if (m->ops != &word_ops) {
        out->score = term_score(&t->m, di);
        return 0;
    }
    /* a word scores its terms as one: the whole on the first one there */
    for (j = 0; j < i && ((word_m *)m)->t[j]->m.doc != doc; j++)
        ;
    out->score = j == i ? word_score(m, di) : 0;
    return 0;
}
