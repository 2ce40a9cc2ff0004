/*
 * invert.c - one document analysed and inverted on its own (invert.h).
 * Tokens are gathered as (distinct-term index, position) pairs and counted
 * per term; a counting sort groups them by term, keeping the positions in
 * the order the analyzer gave them, which is ascending.  Each term's group
 * is written as the varints the batch stores (batch.h): title tf, body tf,
 * position gaps.  A token repeated at one position counts once.
 *
 * Its words, one per position, also make its near-duplicate signature
 * (minhash.h).
 *
 * The document's surface words (words.h) are terms too, with the prefix
 * NI_WORD_PREFIX: each once, at position 0, whether in title or body, so
 * the batch knows which documents hold a word and flush.c can count them
 * into the words table.
 */
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "error.h"
#include "hash.h"
#include "invert.h"
#include "layout.h"
#include "mem.h"
#include "record.h"
#include "words.h"

struct ni_inverter {
    ni_analyzer *an;
    ni_hash terms;                 /* the document's terms: dt indexes */
    uint64_t *occ;                 /* dt index << 32 | position */
    size_t nocc, cap_occ;
    uint32_t *count;               /* occurrences per dt, then group ends */
    size_t cap_count;
    uint32_t *pos;                 /* positions grouped by dt */
    size_t cap_pos;
    ni_buf rubric;
    ni_buf word;                   /* NI_WORD_PREFIX and a word */
    ni_minhash sig;                /* the document's signature, being built */
    uint32_t sig_pos;              /* position of the last word it took + 1 */
};

int ni_inverter_new(ni_inverter **out)
{
    ni_inverter *inv = ni_mem_calloc(1, sizeof *inv);
    int rc;

    *out = NULL;
    if (!inv)
        return ni_error(NI_ENOMEM, "out of memory");
    if ((rc = ni_analyzer_new(&inv->an)) < 0) {
        ni_inverter_free(inv);
        return rc;
    }
    *out = inv;
    return 0;
}

void ni_inverter_free(ni_inverter *inv)
{
    if (!inv)
        return;
    ni_analyzer_free(inv->an);
    ni_hash_free(&inv->terms);
    ni_mem_free(inv->occ);
    ni_mem_free(inv->count);
    ni_mem_free(inv->pos);
    ni_buf_free(&inv->rubric);
    ni_buf_free(&inv->word);
    ni_mem_free(inv);
}

ni_analyzer *ni_inverter_analyzer(ni_inverter *inv)
{
    return inv->an;
}

void ni_doc_terms_free(ni_doc_terms *d)
{
    ni_buf_free(&d->record);
    ni_buf_free(&d->terms);
    ni_buf_free(&d->post);
    ni_mem_free(d->dt);
    memset(d, 0, sizeof *d);
}

static uint32_t dt_hash(const void *ctx, uint32_t i)
{
    return ((const ni_doc_terms *)ctx)->dt[i].hash;
}

static int dt_is(const void *ctx, uint32_t i, const void *term, size_t len, uint32_t h)
{
    const ni_doc_terms *d = ctx;
    const ni_dterm *t = &d->dt[i];
    return ni_term_same(d->terms.data, t->term_off, t->term_len, t->hash, term, len, h);
}

/* The index in d->dt of term (whose ni_term_hash is h), added when new. */
static int term_index(ni_inverter *inv, ni_doc_terms *d, const char *term, size_t len,
                      uint32_t h, uint32_t *out)
{
    size_t slot;
    ni_dterm *t;
    int rc;

    if ((rc = ni_hash_reserve(&inv->terms, 1024, dt_hash, d)) < 0)
        return rc;
    if ((*out = ni_hash_find(&inv->terms, h, dt_is, d, term, len, &slot)) != NI_HASH_NONE)
        return 0;
    if ((rc = NI_GROW(d->dt, d->cap_dt, d->ndt + 1)) < 0 ||
        (rc = NI_GROW(inv->count, inv->cap_count, d->ndt + 1)) < 0)
        return rc;
    inv->count[d->ndt] = 0;
    t = &d->dt[d->ndt];
    t->term_off = (uint32_t)d->terms.len;
    t->term_len = (uint32_t)len;
    t->hash = h;
    if ((rc = ni_buf_put(&d->terms, term, len)) < 0)
        return rc;
    ni_hash_add(&inv->terms, slot, (uint32_t)d->ndt);
    *out = (uint32_t)d->ndt++;
    return 0;
}

static int occur(ni_inverter *inv, ni_doc_terms *d, const char *term, size_t len,
                 uint32_t hash, uint32_t position)
{
    uint32_t t;
    int rc;
    if ((rc = term_index(inv, d, term, len, hash, &t)) < 0)
        return rc;
    if (inv->nocc == inv->cap_occ && (rc = NI_GROW(inv->occ, inv->cap_occ, inv->nocc + 1)) < 0)
        return rc;
    inv->occ[inv->nocc++] = (uint64_t)t << 32 | position;
    inv->count[t]++;
    return 0;
}

/* The surface word of tok, when the words table keeps it, as a term
 * (NI_WORD_PREFIX and the word) of the document, once.  A word already
 * there is not looked at again. */
static int add_word(ni_inverter *inv, ni_doc_terms *d, const ni_token *tok)
{
    ni_buf *w = &inv->word;
    uint32_t t, h;
    size_t slot;
    int rc;

    if (tok->flags & (NI_TOKEN_NUMBER | NI_TOKEN_COMPOUND))
        return 0;
    w->len = 0;
    if ((rc = ni_buf_putc(w, (unsigned char)NI_WORD_PREFIX)) < 0 ||
        (rc = ni_buf_put(w, tok->norm, tok->norm_len)) < 0 ||
        (rc = ni_hash_reserve(&inv->terms, 1024, dt_hash, d)) < 0)
        return rc;
    h = ni_term_hash(w->data, w->len);
    if (ni_hash_find(&inv->terms, h, dt_is, d, w->data, w->len, &slot) != NI_HASH_NONE ||
        !ni_words_accept(tok->norm, tok->norm_len))
        return 0;
    if ((rc = term_index(inv, d, (const char *)w->data, w->len, h, &t)) < 0)
        return rc;
    if (inv->nocc == inv->cap_occ && (rc = NI_GROW(inv->occ, inv->cap_occ, inv->nocc + 1)) < 0)
        return rc;
    inv->occ[inv->nocc++] = (uint64_t)t << 32;
    inv->count[t]++;
    return 0;
}

static int add_field(ni_inverter *inv, ni_doc_terms *d, const char *text, size_t len,
                     uint32_t first, uint32_t *end)
{
    ni_token tok;
    int rc;

    *end = first;
    if (!text || !len)
        return 0;
    if ((rc = ni_analyzer_start(inv->an, text, len, first)) < 0)
        return rc;
    while ((rc = ni_analyzer_next(inv->an, &tok)) == 0) {
        /* one word a position for the signature: a compound whole, not
         * its parts; a name key shares its word's position */
        if (!(tok.flags & NI_TOKEN_PART) && tok.position + 1 != inv->sig_pos) {
            ni_minhash_word(&inv->sig, tok.norm, tok.norm_len);
            inv->sig_pos = tok.position + 1;
        }
        if ((tok.term_len > 0 && tok.term_len <= NI_MAX_TERM_BYTES &&
             (rc = occur(inv, d, tok.term, tok.term_len, ni_analyzer_term_hash(inv->an),
                         tok.position)) < 0) ||
            (rc = add_word(inv, d, &tok)) < 0)
            return rc;
    }
    if (rc < 0)
        return rc;
    *end = ni_analyzer_end_position(inv->an);
    return 0;
}

/* The rubric as one term (see ni_rubric_term) at position pos; it is never
 * scored, only filtered on. */
static int add_rubric(ni_inverter *inv, ni_doc_terms *d, const char *rubric, size_t len,
                      uint32_t pos)
{
    int rc;
    if (!rubric || !len)
        return 0;
    if ((rc = ni_rubric_term(inv->an, &inv->rubric, rubric, len)) <= 0)
        return rc;
    return occur(inv, d, (const char *)inv->rubric.data, inv->rubric.len,
                 ni_term_hash(inv->rubric.data, inv->rubric.len), pos);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Writes every term's postings from the occurrences. */
static int write_postings(ni_inverter *inv, ni_doc_terms *d, uint32_t body_start)
{
    uint32_t *end = inv->count, *pos, sum = 0;
    size_t i, t;
    int rc;

    if ((rc = NI_GROW(inv->pos, inv->cap_pos, inv->nocc + 1)) < 0 ||
        /* at most 5 bytes for each of two tfs per term and each gap */
        (rc = ni_buf_reserve(&d->post, (inv->nocc + 2 * d->ndt) * 5)) < 0)
        return rc;
    pos = inv->pos;
    for (t = 0; t < d->ndt; t++) {      /* counts -> where groups start */
        uint32_t c = end[t];
        end[t] = sum;
        sum += c;
    }
    for (i = 0; i < inv->nocc; i++)     /* ... -> where they end */
        pos[end[inv->occ[i] >> 32]++] = (uint32_t)inv->occ[i];
    for (t = 0; t < d->ndt; t++) {
        uint32_t first = t ? end[t - 1] : 0, k, tft = 0, tfb = 0, prev = 0;
        unsigned char *start = d->post.data + d->post.len, *p = start;
        for (k = first + 1; k < end[t] && pos[k - 1] <= pos[k]; k++)
            ;
        if (k < end[t])                 /* never from the analyzer */
            qsort(pos + first, end[t] - first, sizeof *pos, cmp_u32);
        for (k = first; k < end[t]; k++)
            if (k == first || pos[k] != pos[k - 1])
                *(pos[k] < body_start ? &tft : &tfb) += 1;
        p = ni_varint_put32(p, tft);
        p = ni_varint_put32(p, tfb);
        for (k = first; k < end[t]; k++) {
            if (k > first && pos[k] == pos[k - 1])
                continue;
            p = ni_varint_put32(p, pos[k] - prev);
            prev = pos[k];
        }
        d->dt[t].post_off = (uint32_t)d->post.len;
        d->dt[t].post_len = (uint32_t)(p - start);
        d->post.len += (size_t)(p - start);
    }
    return 0;
}

int ni_invert_doc(ni_inverter *inv, const ni_doc *doc, ni_doc_terms *d)
{
    uint32_t lt = 0, body_end = 0;
    int rc;

    d->record.len = d->terms.len = d->post.len = 0;
    d->ndt = 0;
    d->len_title = d->len_body = 0;
    inv->nocc = 0;
    ni_minhash_start(&inv->sig);
    inv->sig_pos = 0;
    if ((rc = ni_record_pack(&d->record, doc)) == 0 &&
        (rc = add_field(inv, d, doc->title, doc->title_len, 0, &lt)) == 0 &&
        (rc = add_field(inv, d, doc->text, doc->text_len, lt + NI_BODY_GAP, &body_end)) == 0 &&
        (rc = add_rubric(inv, d, doc->rubric, doc->rubric_len, body_end + NI_BODY_GAP)) == 0)
        rc = write_postings(inv, d, lt + NI_BODY_GAP);
    /* the table is empty again for the next document */
    ni_hash_clear(&inv->terms);
    if (rc < 0)
        return rc;
    d->len_title = lt;
    d->len_body = body_end - (lt + NI_BODY_GAP);
    ni_minhash_finish(&inv->sig, d->sig);
    return 0;
}
