/*
 * words.h - the surface-word lexicon (table words, format in layout.c):
 * the words of the live documents as the analyzer normalises them before
 * stemming (ni_token.norm), each with the number of live documents whose
 * title or body holds it.  It is where the query rescue finds the words
 * a mistyped one may stand for (typo.c); the postings stay keyed by terms.
 *
 * Which words: a token that is not a number and not a whole hyphenated
 * compound (its parts are words of their own), whose normal form has
 * 1 to NI_WORD_MAX_BYTES bytes, all of them letters of the Cyrillic
 * (U+0400..U+0481, U+048A..U+052F) or Latin (a..z, U+00DF..U+024F but
 * U+00F7) blocks.  After the analyzer's case folding and ё → е those are
 * lower case.  Words with digits, apostrophes or letters of other
 * scripts are not kept.
 *
 * Beside it, table translit: key 0x00 word -> (empty), for each Cyrillic
 * word the transliteration key of (translit.h), so that a Latin word's key
 * finds the words it may romanise (ni_words_by_key).
 *
 * Kept exact by flush.c: a document added counts each of its words once,
 * a document deleted or replaced is analysed again and uncounts them; an
 * entry whose count reaches 0 is removed.  Compaction leaves the table
 * alone: it holds no document numbers.
 */
#ifndef NI_WORDS_H
#define NI_WORDS_H

#include "store.h"
#include "translit.h"

/* The longest normal form kept, in bytes (32 Cyrillic letters, 64 Latin). */
#define NI_WORD_MAX_BYTES 64

/* The first byte of a word among a document's or a batch's terms
 * (invert.c, batch.c): in memory only, flush.c writes such entries to the
 * words table without it, never to terms. */
#define NI_WORD_PREFIX '\x04'

/* 1 when the normal form norm[0..len) is a word the table keeps (above);
 * 0 otherwise. */
int ni_words_accept(const char *norm, size_t len);

/* The code point of the well-formed UTF-8 sequence p[0..k) (k from
 * ni_utf8_len). */
static inline uint32_t ni_words_code_point(const unsigned char *p, size_t k)
{
    switch (k) {
    case 1: return p[0];
    case 2: return (uint32_t)(p[0] & 0x1f) << 6 | (p[1] & 0x3fu);
    case 3: return (uint32_t)(p[0] & 0x0f) << 12 | (uint32_t)(p[1] & 0x3f) << 6 |
                   (p[2] & 0x3fu);
    default: return (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3f) << 12 |
                    (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3fu);
    }
}

/*
 * Decodes the well-formed UTF-8 s[0..len) into at most max code points in
 * out.  Returns their number, or -1 when s is not well-formed or has more
 * than max.
 */
int ni_words_decode(const char *s, size_t len, uint32_t *out, size_t max);

/* The df of a value of the words table: 0, or NI_ECORRUPT (no message)
 * when the bytes are not one varint in 1..UINT32_MAX. */
int ni_words_value(const ni_val *v, uint32_t *df);

/* The number of live documents holding the word w[0..len): 0 with *df, or
 * NI_ENOTFOUND (*df = 0) when the table does not have it. */
int ni_words_df(ni_txn *t, const char *w, size_t len, uint32_t *df);

/*
 * Adds delta to the count of the word w[0..len) (a word ni_words_accept
 * keeps): an entry is made for a new word, removed when its count
 * reaches 0.  c, a cursor on NI_T_WORDS of t or NULL, writes it; with
 * past_end, w sorts after every word of the table (ni_store_key_after)
 * and c appends it.  A Cyrillic word's transliteration key (translit.h)
 * is kept beside it in NI_T_TRANSLIT, made and removed with its entry,
 * through tr.
 * NI_ECORRUPT when the count would go below 0 or the entry is damaged.
 */
int ni_words_change(ni_txn *t, ni_cursor *c, ni_translit *tr, const char *w, size_t len,
                    int64_t delta, int past_end);

/* Called by ni_words_by_key for each word with its df; nonzero stops. */
typedef int (*ni_words_fn)(void *arg, const char *w, size_t len, uint32_t df);

/*
 * The words of the table whose transliteration key is key[0..klen) (what
 * ni_translit_key_lat gives for a Latin word), in byte order, each with its
 * df, passed to fn.  Returns 0 (or what fn returned to stop), <0 on error.
 */
int ni_words_by_key(ni_txn *t, const char *key, size_t klen, ni_words_fn fn, void *arg);

/* The same for the keys that start with prefix[0..plen) and have at most
 * more bytes after it (other endings of a word whose form the index has
 * not: «vyzyvayetsya» finds «вызывает»). */
int ni_words_by_key_prefix(ni_txn *t, const char *prefix, size_t plen, size_t more,
                           ni_words_fn fn, void *arg);

#endif
