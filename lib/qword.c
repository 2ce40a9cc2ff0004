/*
 * qword.c - the words of a query text and the terms each is searched by
 * (qword.h).  The text is analysed in query mode, where every word with a
 * name key yields its term and then its key (NI_NAME_MID); which of them
 * serve is chosen here against the lexicon.  Does not build matchers
 * (search.c) or rescue words the index does not know (rescue.c).
 */
#include <string.h>

#include "analyzer.h"
#include "namekey.h"
#include "qword.h"
#include "shardstats.h"

int ni_qwords_read(ni_qwords *ws, ni_analyzer *an, const char *text, size_t len,
                   int phrase)
{
    unsigned skip = phrase ? NI_TOKEN_COMPOUND : NI_TOKEN_PART;
    uint32_t first = 0;
    ni_buf *buf = &ws->buf;
    ni_token tok;
    int rc, kept = 0;

    memset(ws, 0, sizeof *ws);
    ws->all_function = 1;
    if ((rc = ni_analyzer_start(an, text, len, 0)) < 0)
        return rc;
    while ((rc = ni_analyzer_next(an, &tok)) == 0) {
        ni_qword *x = &ws->w[ws->n - (ws->n > 0)];
        if ((tok.flags & skip) || tok.term_len == 0)
            continue;
        if (tok.flags & NI_TOKEN_NAME) {
            /* the key of the word just read (query mode: NI_NAME_MID) */
            if (!kept || x->key_len)
                continue;
            x->key_off = buf->len;
            x->key_len = tok.term_len;
            if ((rc = ni_buf_put(buf, tok.term, tok.term_len)) < 0 ||
                (rc = ni_buf_putc(buf, (unsigned char)NI_NAME_START)) < 0 ||
                (rc = ni_buf_put(buf, tok.term + 1, tok.term_len - 1)) < 0)
                return rc;
            continue;
        }
        if (!(kept = ws->n < NI_MAX_QWORDS))
            continue;
        x = &ws->w[ws->n];
        memset(x, 0, sizeof *x);
        if (ws->n == 0)
            first = tok.position;
        x->qpos = tok.position - first;
        x->flags = tok.flags;
        x->start = tok.start;
        x->end = tok.end;
        ws->all_function &= (tok.flags & NI_TOKEN_FUNCTION) != 0;
        x->term_off = buf->len;
        x->term_len = tok.term_len;
        if ((rc = ni_buf_put(buf, tok.term, tok.term_len)) < 0)
            return rc;
        if (!(tok.flags & (NI_TOKEN_NUMBER | NI_TOKEN_COMPOUND)) &&
            (tok.norm_len != tok.term_len || memcmp(tok.norm, tok.term, tok.term_len))) {
            x->norm_off = buf->len;
            x->norm_len = tok.norm_len;
            if ((rc = ni_buf_put(buf, tok.norm, tok.norm_len)) < 0)
                return rc;
        }
        ws->n++;
    }
    return rc < 0 ? rc : 0;
}

void ni_qwords_free(ni_qwords *ws)
{
    ni_buf_free(&ws->buf);
    ws->n = 0;
}

const char *ni_qword_term(const ni_qwords *ws, size_t i)
{
    return (const char *)ws->buf.data + ws->w[i].term_off;
}

/*
 * Its term and normal form; its name key as written mid-sentence (a name,
 * or a word capitalised there, which is indexed under its key only).  When
 * the index holds the key mid-sentence at least half as often as at
 * sentence starts, the word is a name: its key at sentence starts too, and,
 * when Snowball cut the name's suffix (so the term is a common word's:
 * «песк» of «песок») or stemmed it to a function word («вас» of «Васю»),
 * not the term.  The key at sentence starts is also the last resort of a
 * word nothing else finds.
 */
int ni_qword_alts(ni_match_ctx *c, const ni_qwords *ws, size_t i, ni_alts *a)
{
    const ni_qword *w = &ws->w[i];
    const char *base = (const char *)ws->buf.data;
    const char *term = base + w->term_off, *key = base + w->key_off;
    ni_term_info mid, start;
    int rc, has_mid = 0, has_start = 0, is_name = 0, drop_term = 0;

    memset(a, 0, sizeof *a);
    if (w->key_len) {
        if ((rc = has_mid = ni_term_lookup(c, key, w->key_len, &mid)) < 0 ||
            (rc = has_start = ni_term_lookup(c, key + w->key_len, w->key_len, &start)) < 0)
            return rc;
        is_name = has_mid && 2 * (uint64_t)mid.df >= (has_start ? start.df : 0);
        drop_term = is_name && ((w->flags & NI_TOKEN_COMPOUND) ||
                                ni_name_overstemmed(term, w->term_len, key + 1, w->key_len - 1) ||
                                ni_is_function_word(term, w->term_len));
    }
    /* phase 1 of a search over shards notes every term another shard may
     * search by (shardstats.h) */
    if (drop_term && c->gs && c->gs->recording) {
        ni_term_info dropped;
        if ((rc = ni_term_lookup(c, term, w->term_len, &dropped)) < 0)
            return rc;
    }
    if ((!drop_term && (rc = ni_alts_add(a, c, term, w->term_len)) < 0) ||
        (w->norm_len && (rc = ni_alts_add(a, c, base + w->norm_off, w->norm_len)) < 0))
        return rc;
    if (has_mid)
        ni_alts_put(a, c, key, w->key_len, &mid);
    if (has_start && (is_name || a->n == 0))
        ni_alts_put(a, c, key + w->key_len, w->key_len, &start);
    return 0;
}
