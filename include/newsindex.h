/*
 * newsindex.h - the whole public API of libnewsindex, a full-text search
 * library for Russian news.
 *
 * Conventions (see README.md):
 *  - Every function that can fail returns an int: 0 on success, a negative
 *    NI_E* code on failure.  ni_strerror() names the code; ni_errmsg() gives
 *    the detailed message of the last failure on the calling thread.
 *    Iterators return 0 for an item, NI_DONE (positive) at the end.
 *  - Out-parameters come first and are named out.  A constructor always sets
 *    *out, to NULL on failure, and frees what it had built.
 *  - What comes back through **out belongs to the caller and is released by
 *    the matching ni_*_free / ni_*_close, which accept NULL.  Pointers inside
 *    results are borrowed; each doc comment says how long they stay valid.
 *  - Text is UTF-8 passed as (pointer, length); it need not be NUL-terminated
 *    and may contain any bytes (invalid sequences are replaced, see
 *    ni_analyzer_start).
 *  - Options structs start with a version field; initialise them with the
 *    matching *_INIT macro and change only the fields you need.
 *
 * Thread safety: an ni_index may be shared by threads, as a connection
 * in SQLite's serialized mode.  Every call on it may be made from any
 * thread at any time:
 *  - reads (ni_search, ni_similar, ni_explain, ni_index_get,
 *    ni_index_stats, ni_index_check, ni_index_facets, ni_index_copy) run
 *    at the same time as each other and as writes, each on a committed
 *    snapshot;
 *  - writes (ni_index_add, ni_index_delete, ni_index_commit,
 *    ni_index_compact, ni_index_shrink) are serialised by the library: they run one after
 *    another, in whatever order the threads reach them, and share one
 *    batch (a commit from any thread commits every add and delete made
 *    before it, from every thread);
 *  - ni_index_close may come while other threads are inside calls: those
 *    finish (a write waiting for its turn fails with NI_EINVAL), calls
 *    begun after it fail with NI_EINVAL, and the handle is freed after the
 *    last call and the last open ni_hits (see ni_index_close).
 * An ni_hits, ni_facets, ni_explanation or ni_analyzer is used by one
 * thread at a time (any thread); an ni_doc is plain data.  One writer per
 * index at a time across processes: a second one waits in its commit
 * until the first commits.  Readers in other processes see each commit
 * atomically.
 *
 * Misuse: a call on an index handle that was closed (or never opened)
 * returns NI_EINVAL ("not an open index", or "was closed" while its
 * cursors keep it), and closing it again does nothing; the library keeps
 * a list of its open handles and checks it before touching one, so this
 * holds after the handle's memory was freed too, unless a new handle got
 * the same address.  ni_hits_free and ni_doc_free refuse (NI_EINVAL in
 * ni_errmsg) a cursor or document freed already, as do ni_hits_next,
 * ni_hits_snippet, ni_hits_title and ni_hits_duplicate: the mark lives
 * in the freed memory, so this is caught only until the memory is given
 * out again (right after the free it is, with glibc); in general using
 * freed memory stays undefined behaviour.
 */
#ifndef NEWSINDEX_H
#define NEWSINDEX_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(NI_BUILDING) && defined(__GNUC__)
#define NI_API __attribute__((visibility("default")))
#else
#define NI_API
#endif

#define NI_VERSION_MAJOR 0
#define NI_VERSION_MINOR 2
#define NI_VERSION_PATCH 0
#define NI_VERSION_STRING "0.2.0"

/** The library's version string, e.g. "0.2.0" (static storage).  In 0.2
 *  ni_doc and ni_hit grew (the date's form and offset): the soname is
 *  libnewsindex.so.1, so programs built against 0.1 must be built again. */
NI_API const char *ni_version(void);

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

#define NI_OK        0   /**< success */
#define NI_DONE      1   /**< an iterator has no more items */
#define NI_ENOMEM   (-1) /**< out of memory */
#define NI_EIO      (-2) /**< operating-system I/O error (message names the file) */
#define NI_ECORRUPT (-3) /**< stored bytes are not valid: the index is damaged */
#define NI_EVERSION (-4) /**< the index was written by an incompatible format version */
#define NI_ENOTFOUND (-5) /**< no such document, index or file */
#define NI_EINVAL   (-6) /**< invalid argument or input record */
#define NI_ESYNTAX  (-7) /**< query syntax error (message gives the 0-based character position) */
#define NI_EFULL    (-8) /**< the index map or the disk is full; nothing committed is lost */
#define NI_EREADONLY (-9) /**< a write on an index opened read-only */
#define NI_EBUSY    (-10) /**< the index is busy: too many readers, another process grew
                               the map while this thread keeps searches open, or
                               another copy writes the same destination */
#define NI_ELIMIT   (-11) /**< a query needs more work than the search options allow
                                 (ni_search_options.max_terms) */

/** A static English name for an error code ("out of memory", ...). */
NI_API const char *ni_strerror(int rc);

/**
 * The detailed message of the last failure on the calling thread, or "" when
 * there was none.  Valid until the next library call on this thread.
 */
NI_API const char *ni_errmsg(void);

/* ------------------------------------------------------------------ */
/* Dates                                                               */
/* ------------------------------------------------------------------ */

/** The date value of a document that has none. */
#define NI_DATE_NONE INT64_MIN

/**
 * Parses a date-time: "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS]" or ISO 8601
 * ("YYYY-MM-DDTHH:MM[:SS[.fff]][Z|+HH:MM|-HH:MM]").  The result is seconds
 * since 1970-01-01 00:00 UTC: times with an offset are converted to UTC,
 * times without one are read as UTC, a date alone is 00:00 UTC of that
 * day; fractions of a second are dropped.  Returns 0, or NI_EINVAL for
 * anything else (including impossible dates such as 2024-02-30).
 * ni_date_parse_tz also tells the offset and whether a time was given.
 */
NI_API int ni_date_parse(int64_t *out, const char *s, size_t len);

/**
 * Formats a date as "YYYY-MM-DD HH:MM:SS" (or "YYYY-MM-DD" when the time is
 * 00:00:00) into buf, NUL-terminated.  Returns the length written, or 0 when
 * date is NI_DATE_NONE or size < 20.  It cannot tell a date without a time
 * from midnight, nor show an offset: ni_date_format_tz can.
 */
NI_API size_t ni_date_format(char *buf, size_t size, int64_t date);

/* How a date was written (ni_doc.date_form, ni_hit.date_form): */
#define NI_DATE_OFFSET 1u /**< with Z or a UTC offset, kept in date_offset */
#define NI_DATE_DAY    2u /**< a date without a time: its day, from 00:00 UTC
                               (the date is a multiple of 86400) */
/* 0: a date and time without an offset, read as UTC. */

/** Dates (seconds) beyond +-NI_DATE_LIMIT (about year 1,000,000) are not
 *  stored nor formatted. */
#define NI_DATE_LIMIT ((int64_t)1 << 45)

/**
 * ni_date_parse that also says how the date was written: *form is
 * NI_DATE_DAY for "YYYY-MM-DD", NI_DATE_OFFSET for a time with Z or an
 * offset (then *offset_min is the offset in minutes east of UTC: 180 for
 * +03:00, -330 for -05:30, 0 for Z), 0 for a time without an offset (read
 * as UTC: there is no time zone database to guess the writer's); then
 * *offset_min is 0.  *out is UTC seconds, as ni_date_parse gives.
 */
NI_API int ni_date_parse_tz(int64_t *out, int *offset_min, unsigned *form, const char *s,
                            size_t len);

/**
 * Formats a date as it was written (what ni_date_parse_tz gave): "YYYY-MM-DD"
 * for NI_DATE_DAY, "YYYY-MM-DD HH:MM:SS+03:00" for NI_DATE_OFFSET (the time
 * in that offset's local time; Z is "+00:00"), "YYYY-MM-DD HH:MM:SS" for 0
 * (UTC, midnight included), into buf, NUL-terminated; ni_date_parse_tz
 * reads each back to the same values.  Returns the length, or 0 when date
 * is NI_DATE_NONE or beyond NI_DATE_LIMIT, form or offset is not one
 * ni_date_parse_tz gives, or size < 26 (NI_DATE_BUF is enough).
 */
NI_API size_t ni_date_format_tz(char *buf, size_t size, int64_t date, int offset_min,
                                unsigned form);

/** Room for any date ni_date_format_tz writes. */
#define NI_DATE_BUF 40

/* ------------------------------------------------------------------ */
/* Analyzer: the tokens an index is built from                          */
/* ------------------------------------------------------------------ */

/**
 * The analyzer turns UTF-8 text into tokens.  The same analysis is used at
 * index time and at query time: ICU word boundaries (UAX #29), NFKC and
 * full case folding, ё → е, soft hyphens, zero-width characters and stress
 * marks removed, Latin look-alike letters inside Cyrillic words repaired,
 * hyphenated compounds indexed whole and by parts, Snowball stemming
 * (Russian for Cyrillic words, English for Latin ones), name keys for
 * capitalised Cyrillic words (see NI_TOKEN_NAME), numbers kept as
 * written.  An analyzer is not thread-safe: use one per thread.
 */
typedef struct ni_analyzer ni_analyzer;

#define NI_TOKEN_NUMBER   0x01u /**< a number (digits, possibly with , or .) */
#define NI_TOKEN_COMPOUND 0x02u /**< a whole hyphenated compound; its parts follow */
#define NI_TOKEN_PART     0x04u /**< one part of the compound emitted just before */
#define NI_TOKEN_LATIN    0x08u /**< a word in Latin script (stemmed as English) */
#define NI_TOKEN_FUNCTION 0x10u /**< a function word (see ni_is_function_word) */
#define NI_TOKEN_NAME     0x20u /**< a name key (below); shares the word's position */

/**
 * Name keys.  Snowball stems the case forms of Russian names apart
 * («Песков» → «песк», «Пескова» → «песков»; «Киев» → «ки») and onto common
 * words («песок» → «песк»).  So a word of Cyrillic letters written with a
 * capital also yields its name key: the word without its case ending
 * (Песков, Пескова, Пескову, Песковым → песков; Ростове → ростов; Марии →
 * мар), one for every case form of a name, as its term with a one-byte
 * prefix that says where the word stood:
 *
 *  - NI_NAME_MID: capitalised in the middle of a sentence, so a name.  Such
 *    a word yields the name key instead of its stemmed term.
 *  - NI_NAME_START: capitalised first in a sentence (after . ! ? … : or a
 *    line break, or first in the text) or written in capitals: maybe a
 *    name.  It yields its stemmed term first, then the name key when that
 *    is not the term («Песков»: «песк», then «песков»; «Москва»: «москв»).
 *
 * A hyphenated compound whose first part has a name key has one too: the
 * parts' keys joined by '-' (Ростов-на-Дону, Ростове-на-Дону →
 * «ростов-на-дон»).  Function words and one-letter words have none.
 */
#define NI_NAME_MID   '\x02'
#define NI_NAME_START '\x03'

/** One token.  Pointers are borrowed: valid until the next analyzer call. */
typedef struct ni_token {
    const char *term;  /**< the indexed term: normalised and stemmed */
    size_t term_len;
    const char *norm;  /**< the normalised form before stemming */
    size_t norm_len;
    uint32_t position; /**< word position; a compound shares its first part's */
    size_t start;      /**< byte offset of the word in the input text */
    size_t end;        /**< byte offset just past the word */
    unsigned flags;    /**< NI_TOKEN_* bits */
} ni_token;

/** Creates an analyzer; free it with ni_analyzer_free. */
NI_API int ni_analyzer_new(ni_analyzer **out);

/** Frees an analyzer (NULL is accepted). */
NI_API void ni_analyzer_free(ni_analyzer *an);

/**
 * Starts analysing text[0..len).  The text is borrowed: it must stay
 * unchanged until the last ni_analyzer_next call for it.  The first word gets
 * position first_position.  Invalid UTF-8 is read as U+FFFD (which separates
 * words) and NUL bytes as spaces, so the rest of the text is always analysed;
 * words longer than NI_MAX_WORD_BYTES after normalisation take a position but
 * yield no token.
 */
NI_API int ni_analyzer_start(ni_analyzer *an, const char *text, size_t len,
                             uint32_t first_position);

/** The longest normalised word that yields a token, in bytes. */
#define NI_MAX_WORD_BYTES 120

/**
 * Yields the next token in *out: returns 0, NI_DONE after the last one, or a
 * negative error.  Positions never decrease.
 */
NI_API int ni_analyzer_next(ni_analyzer *an, ni_token *out);

/**
 * The position after the last word of the text analysed so far: the number
 * of positions a fully read text took, counting from first_position.
 */
NI_API uint32_t ni_analyzer_end_position(const ni_analyzer *an);

/**
 * 1 when norm (a normalised form, as in ni_token.norm) is a Russian function
 * word (prepositions, conjunctions, particles, pronouns such as «и», «в»,
 * «не», «для»); 0 otherwise.  Content words such as «москва» never are.
 * Function words are indexed like any word; queries may treat them as
 * optional.
 */
NI_API int ni_is_function_word(const char *norm, size_t len);

/* ------------------------------------------------------------------ */
/* Documents                                                           */
/* ------------------------------------------------------------------ */

/**
 * A news document.  All strings are UTF-8 (pointer, length); a NULL pointer
 * means the field is absent.  id is required and unique in an index.
 */
typedef struct ni_doc {
    const char *id;     size_t id_len;     /**< external id (required) */
    const char *url;    size_t url_len;
    const char *rubric; size_t rubric_len;
    const char *title;  size_t title_len;
    const char *text;   size_t text_len;   /**< body */
    const char *credit; size_t credit_len; /**< photo credit, stored not indexed */
    int64_t date;       /**< see ni_date_parse; NI_DATE_NONE when unknown */
    /** How the date was written (ni_date_parse_tz), stored with it and
     *  given back by ni_index_get and the hits, so that it prints as
     *  written (ni_date_format_tz); searches sort and filter by date, UTC,
     *  alone.  0 for both (a zeroed or older caller's doc): a time read as
     *  UTC.  ni_index_add refuses an offset beyond +-23:59, an unknown
     *  form, NI_DATE_DAY on a date that is not 00:00 UTC, and a date
     *  beyond NI_DATE_LIMIT (NI_EINVAL). */
    int date_offset;    /**< minutes east of UTC, with NI_DATE_OFFSET (else 0) */
    unsigned date_form; /**< NI_DATE_OFFSET, NI_DATE_DAY or 0 */
} ni_doc;

/** A ni_doc with every field absent. */
#define NI_DOC_INIT { NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NI_DATE_NONE, 0, 0 }

/* ------------------------------------------------------------------ */
/* Index                                                               */
/* ------------------------------------------------------------------ */

typedef struct ni_index ni_index;

#define NI_OPEN_OPTIONS_VERSION 3  /**< 1: without threads; 2: without
                                        reclaim_percent */

#define NI_OPEN_CREATE   0x01u /**< create the index when it does not exist */
#define NI_OPEN_READONLY 0x02u /**< open for searching only (also in a directory
                                    this process may not write: then without LMDB's
                                    lock file, right while nobody writes the index) */

typedef struct ni_open_options {
    unsigned version;      /**< NI_OPEN_OPTIONS_VERSION */
    unsigned flags;        /**< NI_OPEN_* bits */
    size_t memory_budget;  /**< about how many bytes the uncommitted batch may
                                hold in memory (estimated as twice the text
                                added) before it is flushed into the pending
                                write transaction (default 256 MiB; under an
                                address-space limit, `ulimit -v`, an eighth of
                                the room it leaves, at least 16 MiB) */
    uint64_t map_size;     /**< initial LMDB map size in bytes, 0 = automatic:
                                the file and half of it again, at least 32 MiB
                                more (less under an address-space limit); the
                                map grows by itself when it fills.  The map is
                                address space, not memory */
    unsigned threads;      /**< threads that analyse added documents: 0 or 1 =
                                the calling thread, inside ni_index_add; N > 1 =
                                N - 1 background threads plus the calling thread
                                (started by the first add; see ni_index_add) */
    unsigned reclaim_percent; /**< incremental reclamation of deleted documents'
                                postings, like Lucene's deletesPctAllowed for
                                one term: a commit that deletes or replaces a
                                document rewrites each of its terms whose
                                postings of deleted documents have reached
                                this percentage of all its postings (1-100;
                                0 = the default, 20; above 100 = never: only
                                ni_index_compact removes them).  So no term
                                keeps more than this share of dead postings,
                                which searches read and skip, and a commit
                                rewrites only terms it changes anyway */
} ni_open_options;

#define NI_OPEN_OPTIONS_INIT { NI_OPEN_OPTIONS_VERSION, NI_OPEN_CREATE, 0, 0, 1, 0 }

/**
 * Opens the index in directory path (created, with the directory, when
 * NI_OPEN_CREATE is set).  opts may be NULL for the defaults.  Returns
 * NI_ENOTFOUND when there is no index and NI_OPEN_CREATE is not set,
 * NI_EVERSION for an index of another format version, NI_EIO otherwise.
 * Close with ni_index_close.
 */
NI_API int ni_index_open(ni_index **out, const char *path,
                         const ni_open_options *opts);

/**
 * Closes an index (NULL accepted).  Documents added since the last commit
 * are discarded (after a write in progress in another thread returns).
 * ni_hits of this index still open stay usable: the handle is freed when
 * the last of them is, or the last call in progress in another thread
 * returns (as sqlite3_close_v2 does).  Calls on the closed handle fail
 * with NI_EINVAL ("was closed" while it lives, "not an open index" once
 * freed) and closing it again does nothing (ni_errmsg says so once it is
 * freed); see Misuse above for the limit.
 */
NI_API void ni_index_close(ni_index *idx);

/**
 * Adds a document.  The strings are copied.  A document whose id is already
 * in the index (or added earlier in this batch) replaces it at commit.
 * Nothing is visible to searches until ni_index_commit.  NI_EINVAL means
 * this document was refused and the batch is intact; any other error means
 * writing the batch (when it outgrew the memory budget) failed and the whole
 * uncommitted batch was discarded, the committed index being intact.
 *
 * With ni_open_options.threads > 1 the document is analysed in the
 * background: ni_index_add checks it (NI_EINVAL), copies it and returns.
 * When analysing an earlier document fails (NI_ENOMEM), the next add or
 * commit of this index returns that error, naming the document, and the
 * whole uncommitted batch is discarded.
 */
NI_API int ni_index_add(ni_index *idx, const ni_doc *doc);

/**
 * Deletes the document with the given external id at the next commit.
 * Returns NI_ENOTFOUND when no such document exists (committed or pending);
 * deleting a committed id twice before the commit is not an error.
 */
NI_API int ni_index_delete(ni_index *idx, const char *id, size_t id_len);

/**
 * Makes every add and delete since the last commit durable and visible to
 * readers at once (one LMDB write transaction).  On failure nothing of the
 * batch is visible, the committed index is intact and the batch is dropped.
 * When the map must grow, the commit waits (up to 10 s) for the open
 * ni_hits of this process to be freed, since they pin the old map; free
 * cursors before committing from the same thread, and before waiting for
 * a write while another thread's commit may be growing the map.  NI_EFULL
 * when the disk is full or the map cannot grow.
 */
NI_API int ni_index_commit(ni_index *idx);

/**
 * Fetches a stored document by external id into *out (caller frees it with
 * ni_doc_free).  The fields point into *out.  NI_ENOTFOUND when absent.
 * Only committed documents are found.
 */
NI_API int ni_index_get(ni_doc **out, ni_index *idx, const char *id,
                        size_t id_len);

/** Frees a document returned by ni_index_get (NULL accepted).  A document
 *  freed already is refused while its memory was not given out again
 *  (see Misuse above). */
NI_API void ni_doc_free(ni_doc *doc);

/**
 * Text of unknown encoding as UTF-8, for readers of files that are not
 * always UTF-8 (nsearch index reads article pages through it).  Valid
 * UTF-8 is copied as is, without a leading byte order mark.  Other text's
 * encoding is found by ICU's charset detector among those Russian text
 * comes in (windows-1251, KOI8-R, ISO-8859-5; UTF-16 by its byte order
 * mark) and converted by ICU.  *out (NUL-terminated, *out_len bytes
 * without the NUL) is freed with ni_text_free; *charset, when charset is
 * not NULL, gets the encoding's static name ("UTF-8", "windows-1251", ...).
 * Returns 0, NI_EINVAL when the text is in none of these encodings (or
 * over 700 MB when not UTF-8), or NI_ENOMEM.  Short texts may be detected
 * wrongly: a few words of windows-1251 can read as KOI8-R.
 */
NI_API int ni_text_to_utf8(char **out, size_t *out_len, const char **charset,
                           const char *in, size_t len);

/** Frees text from ni_text_to_utf8 (NULL accepted). */
NI_API void ni_text_free(char *text);

/** Index statistics. */
typedef struct ni_stats {
    uint64_t docs;          /**< live documents */
    uint64_t deleted;       /**< documents deleted since the last
                                 ni_index_compact: their postings may remain
                                 (commits reclaim them a term at a time, see
                                 ni_open_options.reclaim_percent) */
    uint64_t terms;         /**< distinct terms */
    uint64_t tokens;        /**< indexed tokens (title + body) */
    double avg_title_len;   /**< average title length in positions */
    double avg_body_len;    /**< average body length in positions */
    uint64_t index_bytes;   /**< bytes used in the LMDB file */
    uint64_t file_bytes;    /**< size of the LMDB file */
    uint64_t map_bytes;     /**< current map size */
    uint32_t format_version;
    /** The newest date any document added to the index had (NI_DATE_NONE
     *  when none had one): the default reference date of freshness
     *  (ni_search_options.fresh_ref).  An upper bound of the live
     *  documents' dates: deleting or replacing the newest document does
     *  not lower it, so results do not change with the clock nor with
     *  deletions of old news. */
    int64_t newest;
} ni_stats;

/** Fills *out with the statistics of the committed index. */
NI_API int ni_index_stats(ni_stats *out, ni_index *idx);

/** What ni_index_check walked. */
typedef struct ni_index_check_stats {
    uint64_t docs;    /**< live documents */
    uint64_t terms;   /**< lexicon entries */
    uint64_t blocks;  /**< posting blocks */
} ni_index_check_stats;

/**
 * Verifies the whole committed index: statistics against per-document
 * entries, ids against stored documents, every posting block (keys, order,
 * bounds, positions) against the lexicon.  Returns 0 when consistent, or
 * NI_ECORRUPT with ni_errmsg() naming the first inconsistency.  out may be
 * NULL.
 */
NI_API int ni_index_check(ni_index_check_stats *out, ni_index *idx);

/**
 * Commits the pending batch, then rewrites all the posting lists that hold
 * deleted documents without them, so their space is reused, and resets
 * ni_stats.deleted.  Commits do the same by themselves for the terms they
 * change, a term at a time (ni_open_options.reclaim_percent), so it is
 * rarely needed.  The file keeps its size (LMDB never gives pages back):
 * ni_index_shrink also returns the space to the file system.
 */
NI_API int ni_index_compact(ni_index *idx);

/**
 * Writes a compacted copy of the committed index into directory path.
 * Every table is rewritten in key order, so the B-tree pages of the copy
 * are full, where an index built in several flushes or commits has many
 * half-empty ones (keys inserted between existing keys split pages in
 * two): the copy is smaller, and otherwise the same index, table by table
 * and byte for byte.  It opens, searches and takes further writes like any
 * index.  Deleted documents are copied as they are: ni_index_compact first
 * to drop their postings.
 *
 * The copy reads one snapshot, like a search: writers in other threads and
 * processes go on meanwhile and are not seen; the uncommitted batch of idx
 * is not copied.  An index opened NI_OPEN_READONLY can be copied.  While
 * the copy runs it holds the map like an open ni_hits (see
 * ni_index_commit).
 *
 * path is created when absent; an existing directory is used when it holds
 * no index.  NI_EINVAL when it holds one (nothing in it is touched) or when
 * path is not a directory.  The copy is written into path/.copy-tmp,
 * synced to disk and then moved into place as path/data.mdb, so path holds
 * either the whole copy, durable, or no index: on failure (NI_ENOMEM,
 * NI_EFULL, NI_EIO, ...) the files this call made are removed, and path
 * too when it created it.  A killed process leaves path/.copy-tmp behind,
 * which is no index; the next copy into path takes it over.  While a copy
 * runs it holds a lock on path/.copy-tmp/owner (flock), which the system
 * drops when the process ends: another copy into path meanwhile is
 * NI_EBUSY, naming that process, and touches nothing.  flags is reserved:
 * pass NI_COPY_DEFAULT.
 */
NI_API int ni_index_copy(ni_index *idx, const char *path, unsigned flags);

/** The flags of ni_index_copy: none yet (also tells that the function exists). */
#define NI_COPY_DEFAULT 0u

/** Progress of a long call: done of about total units (bytes for
 *  ni_index_shrink), reported now and then from the calling thread. */
typedef void (*ni_progress_fn)(uint64_t done, uint64_t total, void *payload);

/** What ni_index_shrink did. */
typedef struct ni_shrink_info {
    uint64_t bytes_before;   /**< size of the index's file before */
    uint64_t bytes_after;    /**< and after */
    int swapped;             /**< 1: the compacted copy took the index's place */
    char reason[200];        /**< when swapped is 0: why not (a sentence) */
} ni_shrink_info;

/**
 * Compacts the index (as ni_index_compact) and returns the space it does
 * not need to the file system: writes a compacted copy (as ni_index_copy)
 * into a sibling directory, ".NAME.compact" next to the index directory
 * NAME, and exchanges the two directories in one atomic rename
 * (renameat2 RENAME_EXCHANGE), so the path holds the old index or the
 * whole new one, never a mix; the old one is then removed.  The file ends
 * about the size of a copy (bench/README.md).
 *
 * The copy is taken while this call holds the index's writer lock, which
 * it keeps until the swap is on disk: writers in other threads and
 * processes wait meanwhile, and none commits into the old file after the
 * copy (a write transaction that finds its file replaced moves over to
 * the new one first).  Searches in any process go on: those under way
 * read the old file to their end (it stays mapped), later ones move over
 * to the new file (within about 10 ms, when their process has no search
 * open; a writer waits up to 10 s for that, else fails with NI_EBUSY).
 * Handles of this library open the index through a handle on its
 * directory, so a process opening it meanwhile gets the old or the new
 * index whole.  Other LMDB programs (mdb_stat ...) must not have it open.
 *
 * A process killed at any moment leaves the index working with every
 * committed document (the old or the new file); what it leaves in
 * ".NAME.compact" is removed by the next shrink.  When the file system
 * cannot exchange directories (or the index directory is a mount point),
 * nothing is swapped: the compaction in place stays, out->swapped is 0 and
 * out->reason says why; that is not an error.  Needs free disk space for
 * the copy (NI_EFULL otherwise, the index as it was).  progress, when not
 * NULL, is told the bytes copied.  out may be NULL.  Not for an index
 * opened NI_OPEN_READONLY (NI_EREADONLY).
 */
NI_API int ni_index_shrink(ni_shrink_info *out, ni_index *idx, ni_progress_fn progress,
                           void *payload);

/* ------------------------------------------------------------------ */
/* Search                                                              */
/* ------------------------------------------------------------------ */

#define NI_SEARCH_OPTIONS_VERSION 4  /**< 1: without proximity (then 0.3);
                                          2: without max_terms (then the default);
                                          3: without the fresh_ fields (then off) */

#define NI_SORT_RELEVANCE 0 /**< BM25F score, ties by newer date, then indexing order */
#define NI_SORT_DATE      1 /**< newest first, ties by score, then indexing order */

typedef struct ni_search_options {
    unsigned version;     /**< NI_SEARCH_OPTIONS_VERSION */
    size_t limit;         /**< hits to return (default 10) */
    size_t offset;        /**< hits to skip (default 0) */
    int default_or;       /**< 1: plain words are OR-ed, 0: AND-ed (default) */
    /* BM25F (lib/rank.h).  The defaults were chosen on public query sets
     * (bench/README.md, "Ranking"): with a low k1 a document holding more
     * of the query's words wins over one repeating a few of them. */
    double k1;            /**< BM25 k1 > 0 (default 0.3) */
    double b;             /**< BM25 b in [0, 1] (default 0.75) */
    double title_weight;  /**< BM25F weight of the title field, >= 0 (default 4.0) */
    int sort;             /**< NI_SORT_RELEVANCE or NI_SORT_DATE */
    unsigned flags;       /**< NI_SEARCH_* bits */
    /** Proximity: the weight of a bonus for neighbouring words of the
     *  query that stand near each other in a document's title or body (as
     *  in the query, or up to four positions off; closer weighs more);
     *  >= 0, 0 leaves it out (default 0.3, chosen with k1: bench/README.md).
     *  Per pair of words at most weight * 1.3 * the idf of the commoner
     *  word (weight * idf for a pair standing as in the query once);
     *  formula in lib/rank.h.  For the plain words at the top level of a
     *  query (not phrases, fields, or words under OR or NOT), the three
     *  pairs of the rarest words among them (lib/prox.h). */
    double proximity;
    /** The most terms (entries of the index's lexicon) the whole query may
     *  be searched by: every word's terms and every term a prefix expands
     *  to, counted once per query part (equal parts, such as a* OR a*, are
     *  one part).  A query that needs more fails with NI_ELIMIT ("query too
     *  broad: ... terms; at most ...") instead of keeping a server busy.
     *  0 means the default, NI_SEARCH_MAX_TERMS. */
    size_t max_terms;
    /** Freshness: prefer recent documents among relevant ones.  Each score
     *  is multiplied by
     *      1 - w + w * 2^(-age / fresh_half_life),
     *  age = max(0, fresh_ref - date) in seconds, w = fresh_weight: an
     *  exponential decay with that half-life, blended so that relevance
     *  still leads.  The factor lies in [1 - w, 1], so a document whose
     *  score without it is more than 1 / (1 - w) times another's (1.43
     *  at w = 0.3) always ranks above it.  A document without a date
     *  counts as the oldest (factor 1 - w: nothing says it is recent, and
     *  it already comes last among ties); one newer than fresh_ref as of
     *  age 0.  Off (the scores bit for bit those without it) when
     *  fresh_half_life or fresh_weight is 0 (the default).  Pruning
     *  (NI_SEARCH_APPROX_TOTAL) stays exact: the factor is at most 1.
     *  With NI_SORT_DATE it changes the scores, which only break ties. */
    double fresh_half_life;   /**< seconds, >= 0; 0: off (default) */
    double fresh_weight;      /**< w in [0, 1] (default NI_FRESH_WEIGHT) */
    /** The date ages are counted from.  NI_DATE_NONE (the default): the
     *  newest date of the index (ni_stats.newest), so that results do
     *  not drift with the clock; pass the time of the request instead
     *  for ages from now. */
    int64_t fresh_ref;
} ni_search_options;

#define NI_FRESH_WEIGHT 0.3        /**< the default of ni_search_options.fresh_weight */

#define NI_SEARCH_MAX_TERMS 4096   /**< the default of ni_search_options.max_terms */

/** Hits carry only id, date and score (url, rubric, title are NULL): no
 *  stored text is decompressed, for callers that fetch documents later. */
#define NI_SEARCH_IDS_ONLY 0x1u

/** ni_hits_total may be a lower bound: lets a search skip documents that
 *  cannot enter the top offset + limit (MaxScore and block-max dynamic
 *  pruning, for words, phrases, AND, OR and long queries; not with
 *  NI_SORT_DATE or date ranges).  The hits, their order and their scores
 *  are the same as without it. */
#define NI_SEARCH_APPROX_TOTAL 0x2u

/** With the default AND, every content word is required however many the
 *  query has, as in the AND of other engines.  Without it a list of five or
 *  more plain words (a pasted headline) needs only 80 % of them (mode "at
 *  least N of M words").  Function words stay optional either way; no
 *  effect with default_or or explicit operators.  No partial matches
 *  follow either. */
#define NI_SEARCH_ALL_WORDS 0x4u

/** No partial matches (see ni_hits_partial_total): the hits stop after the
 *  last document that matches the query as ni_hits_mode says. */
#define NI_SEARCH_NO_PARTIAL 0x8u

/** No query rescue (see ni_hits_rewrite): every word is searched as
 *  typed, also one that matches nothing. */
#define NI_SEARCH_EXACT 0x10u

/** No near-duplicate collapsing (see ni_hits_duplicates): every matching
 *  document is a hit of its own, ranked as it scores. */
#define NI_SEARCH_NO_COLLAPSE 0x20u

#define NI_SEARCH_OPTIONS_INIT \
    { NI_SEARCH_OPTIONS_VERSION, 10, 0, 0, 0.3, 0.75, 4.0, NI_SORT_RELEVANCE, 0, 0.3, 0, \
      0, NI_FRESH_WEIGHT, NI_DATE_NONE }

/** The result cursor of a search. */
typedef struct ni_hits ni_hits;

/** One hit; strings are borrowed until the next ni_hits_next or free. */
typedef struct ni_hit {
    size_t rank;        /**< 1-based rank, counting the offset */
    double score;
    const char *id;     size_t id_len;
    const char *url;    size_t url_len;
    const char *rubric; size_t rubric_len;
    const char *title;  size_t title_len;
    int64_t date;       /**< UTC seconds, NI_DATE_NONE when it has none */
    int date_offset;    /**< how the date was written (ni_doc.date_offset, */
    unsigned date_form; /**< .date_form): for ni_date_format_tz */
} ni_hit;

/*
 * The query language (as README.md, "Query language"):
 *
 *   школа мэров          every word (default AND; default_or: any word); every
 *                        inflected form matches; function words optional;
 *                        five or more plain words need 80 % of them, and
 *                        partial matches follow the full ones
 *   a OR b, a | b        either; AND binds tighter than OR; a AND b explicit
 *   -a, NOT a            without a;  ( )  groups
 *   "школа мэров"        a phrase («...» and “...” too); "a b"~3 within 3
 *                        extra positions, any order
 *   мэр*                 a prefix of the stemmed form (at most 128 terms)
 *   title:мост, title:(a OR b*), title:"a b"   in the title
 *   rubric:Общество, rubric:"В мире", rubric:(a OR b)   of a rubric
 *   date:2024-07-17, date:2024-07, date:2024, date:2024-07..2024-12,
 *   date:(2024-07 OR 2024-09), after:2024-12, before:2024-12   dates (below)
 *
 * A rubric or date group takes values joined by OR only.  Rubric and date
 * items beside words filter: the words are matched as they would be alone
 * (the share of a long list, partial matches), within the filter.  A whole
 * query is searched by at most ni_search_options.max_terms terms.
 */

/**
 * Runs query (UTF-8) against the committed index.  opts may be NULL for the
 * defaults.  The cursor reads a consistent snapshot: commits made while it
 * is open are not seen.  NI_ESYNTAX for a malformed query (the message
 * gives the character position); a query with an unbalanced quote or
 * bracket (pasted text) is not one: its quotes and brackets are read as
 * spaces, and ni_hits_notice says so.  Date filters compare the UTC
 * instant of a document's date (ni_doc.date) with days of UTC:
 * date:2024-12 holds December; after:2024-12 is from December on, the
 * month named included; before:2024-12 is up to the last second of
 * November, the month named left out (the same for YYYY and YYYY-MM-DD).
 */
NI_API int ni_search(ni_hits **out, ni_index *idx, const char *query,
                     size_t query_len, const ni_search_options *opts);

/** Yields the next hit: 0, NI_DONE after the last, or a negative error. */
NI_API int ni_hits_next(ni_hits *hits, ni_hit *out);

/** The number of documents that match the query fully (before
 *  limit/offset; partial matches are counted by ni_hits_partial_total);
 *  with NI_SEARCH_APPROX_TOTAL possibly only a lower bound (see
 *  ni_hits_total_is_exact). */
NI_API uint64_t ni_hits_total(const ni_hits *hits);

/** 1 when ni_hits_total is exact, 0 when it is a lower bound. */
NI_API int ni_hits_total_is_exact(const ni_hits *hits);

/** A passage of a hit's text with the words that matched highlighted. */
typedef struct ni_snippet {
    const char *text;      /**< valid UTF-8 on word boundaries, not NUL-terminated */
    size_t len;
    const size_t *ranges;  /**< nranges pairs: byte offsets start, end into text */
    size_t nranges;
} ni_snippet;

/**
 * The best passage, about max_chars characters long (0 means 200), of the
 * body of the hit last returned by ni_hits_next (of its title when the body
 * is empty), with every word that matches a query term highlighted,
 * inflected forms included («школа» highlights «школы»).  The passage holds
 * as many different query words as it can.  Of a body longer than 8 KiB
 * it is taken from the first 8 KiB when a word there matches (the lead of
 * an article; reading the whole of every long hit cost more than the
 * search), else from the first 256 KiB.  Borrowed until the next
 * ni_hits_next or ni_hits_free.  NI_EINVAL before the first hit.
 */
NI_API int ni_hits_snippet(ni_snippet *out, ni_hits *hits, size_t max_chars);

/**
 * The title of the hit last returned by ni_hits_next, whole, with every
 * word that matches a query term highlighted as ni_hits_snippet does (the
 * text is the title as a snippet shows it: control characters made spaces,
 * bytes that are not UTF-8 made U+FFFD; the ranges are byte offsets into
 * out->text).  An empty one when the hit has no title.  Borrowed
 * until the next ni_hits_next or ni_hits_free; independent of the snippet.
 * NI_EINVAL before the first hit.
 */
NI_API int ni_hits_title(ni_snippet *out, ni_hits *hits);

/**
 * How the query's plain words were combined, for display: "all words",
 * "any word", "at least 5 of 8 words" (a long query needs only a share of
 * its words) or "boolean" (operators, phrases or fields were used).  Static
 * for the cursor's life.
 */
NI_API const char *ni_hits_mode(const ni_hits *hits);

/**
 * Partial matches.  When two or more plain words (no operators, phrases or
 * title:; rubric and date filters allowed) in the default AND match fewer
 * documents than offset + limit, the hits go on after the last full match
 * with documents that hold only some of the content words, best first by
 * BM25F: a pasted headline whose words are not all in the article still
 * finds it.  Not with NI_SEARCH_ALL_WORDS or NI_SEARCH_NO_PARTIAL, nor
 * with default_or (any word already matches).  ni_hits_total counts the full matches only; this
 * counts the partial ones (0 when none were added; with
 * NI_SEARCH_APPROX_TOTAL possibly a lower bound).
 */
NI_API uint64_t ni_hits_partial_total(const ni_hits *hits);

/** 1 when the hit last returned by ni_hits_next is a partial match (its
 *  rank is past every full match), 0 otherwise. */
NI_API int ni_hits_is_partial(const ni_hits *hits);

/**
 * A notice about the query worth showing the user, or NULL: e.g. that a
 * prefix matched more terms than were searched.  Valid for the cursor's
 * life.
 */
NI_API const char *ni_hits_notice(const ni_hits *hits);

/*
 * Query rescue.  A query word that matches nothing in the index (none of
 * the terms it would be searched by is in a live document) may have been
 * typed in the wrong keyboard layout («vjcrdf» for «москва», «руддщ» for
 * «hello»), transliterated («navalny», «shchukin»), or with a typo
 * («президнет»).  Unless NI_SEARCH_EXACT is set, such a word is searched
 * as the word(s) the index has that it most likely meant (up to three,
 * scored as one word), and the cursor says so: the query as searched and
 * one rewrite per word.  A query typed in the other layout is switched
 * whole; in a query typed in Latin letters, the Latin words the index has
 * are searched beside their more frequent Cyrillic words too.  Only queries
 * with a word that matches nothing are rewritten, and only into words the
 * index has: a query whose words all match is searched exactly as typed,
 * with the same hits and scores as with NI_SEARCH_EXACT.  When a search
 * finds fewer than three documents, a word in 1 to 3 documents with a word
 * one typo away in 100 times as many gets that word suggested (a rewrite
 * marked suggested; the search is as typed).  Quoted phrases and field
 * values (title:, rubric:) are not rescued.
 */
#define NI_RESCUE_LAYOUT   1 /**< typed with the other keyboard layout on (ЙЦУКЕН/QWERTY) */
#define NI_RESCUE_TRANSLIT 2 /**< Cyrillic word typed in Latin letters */
#define NI_RESCUE_TYPO     3 /**< a typo: a word one or two edits away */

/** One rewritten word.  Strings are borrowed from the cursor. */
typedef struct ni_rewrite {
    int kind;                          /**< NI_RESCUE_* */
    int suggested;                     /**< 1: only suggested, the word was
                                            searched as typed (it matches a
                                            little, the rewrite much more) */
    const char *from;  size_t from_len; /**< the word as typed */
    const char *to;    size_t to_len;   /**< what was searched (or is suggested):
                                            a word, or words joined by ", " */
} ni_rewrite;

/** The number of rewrites the rescue made or suggests (0 when none). */
NI_API size_t ni_hits_rewrites(const ni_hits *hits);

/** Fills *out with rewrite i (0-based): 0, or NI_EINVAL when i is out of
 *  range. */
NI_API int ni_hits_rewrite(const ni_hits *hits, size_t i, ni_rewrite *out);

/** The query as it was searched, when the rescue rewrote it (its length in
 *  *len), or NULL when it was searched as typed.  Valid for the cursor's
 *  life. */
NI_API const char *ni_hits_searched(const ni_hits *hits, size_t *len);

/**
 * Why nothing matched, for the reader, when the query found no document
 * (no full and no partial match), else NULL: which words match nothing in
 * the index («вкусняшка» matches nothing in the index), which filter
 * excludes every document (a rubric the index has not, with the rubrics it
 * has; a date range with no document, with the span of the index's
 * dates), or that a lower-case "or" was read as a word; "no document
 * matches the whole query" when none of these applies.  Reasons are joined by
 * "; ".  Valid for the cursor's life.
 */
NI_API const char *ni_hits_why_none(const ni_hits *hits);

/*
 * Near-duplicate collapsing.  News is republished: agencies' texts by many
 * sites, posts by other channels.  Each document has a signature of its
 * words, taken when it is indexed (a MinHash of its word 3-shingles), and
 * unless NI_SEARCH_NO_COLLAPSE is set a search folds every hit that is a
 * near copy of a better-ranked hit into that hit (the best-ranked such
 * one, among the hits that represent a story): the hits are stories, each
 * represented by its best-ranked document, and ni_hits_duplicates lists
 * the others.  Near copies have 55 % or more of their word 3-shingles in
 * common (intersection over union): the signatures tell when they are sure,
 * and when they are not (an estimate between 0.35 and 0.75) the two stored
 * texts are analysed again and compared exactly.
 *
 * Pages stay whole and stable: the search fetches the first documents of
 * the ranking in growing rounds (1.5 * (offset + limit) + 5, then 4 times
 * more each round, up to 4 * (offset + limit) + 4096) until they hold
 * offset + limit stories, so a query whose documents hold ten stories
 * returns ten.  Whether a document starts a story depends only on the
 * documents ranked above it, so the stories are one sequence and offset
 * N + limit goes on where offset N ended; ni_hit.rank counts stories.  A
 * story's duplicates are those among the documents fetched for its page,
 * so a later page may find more of an earlier story, which it does not
 * show again.  Past the last round the page holds the stories found.
 * ni_hits_total and ni_hits_partial_total still count documents.
 */

/** The number of documents folded into the hit last returned by
 *  ni_hits_next (0 with NI_SEARCH_NO_COLLAPSE or before the first hit). */
NI_API size_t ni_hits_duplicates(const ni_hits *hits);

/**
 * Fills *out with folded document i (0-based, best-ranked first) of the hit
 * last returned: its id, date and score, and url, rubric and title unless
 * NI_SEARCH_IDS_ONLY; rank is the representing hit's.  Strings are
 * borrowed until the next ni_hits_duplicate, ni_hits_next or
 * ni_hits_free.  0, or NI_EINVAL when i >= ni_hits_duplicates(hits).
 */
NI_API int ni_hits_duplicate(ni_hits *hits, size_t i, ni_hit *out);

/**
 * Stories among the first documents of the ranking: the number of distinct
 * stories the collapse found among the first *examined documents (full
 * matches, then partial ones) that it looked at, at least the page's
 * offset + limit stories unless the matches ran out.  When *examined equals
 * ni_hits_total + ni_hits_partial_total (and the total is exact), every
 * match was looked at and the count is that of the whole result.  0 and
 * *examined 0 with NI_SEARCH_NO_COLLAPSE.  examined may be NULL.
 */
NI_API uint64_t ni_hits_stories(const ni_hits *hits, uint64_t *examined);

/**
 * Articles like the committed document with external id `id`, as a cursor
 * of hits: first its near copies (as collapsing folds them), most similar
 * first, their score the share of word 3-shingles in common that their
 * signatures estimate (0..1); then the
 * documents that best match its most distinctive words: up to 12 words of
 * its title and body with the highest tf * idf (no function words,
 * numbers, or words no other document has), searched as plain words
 * OR-ed, ranked by BM25F with opts (NULL for the defaults: its ranking
 * parameters, limit and offset apply; default_or, collapsing and the
 * query rescue do not), the document itself and its near copies left
 * out.  ni_hits_is_near_copy says which hits are copies; ni_hits_total
 * counts the copies and the documents holding any of the words, the
 * document left out.  NI_ENOTFOUND when there is no such document,
 * NI_EINVAL for an empty id or bad options.  Cost: one search and a scan
 * of every document's 32-byte signature.
 */
NI_API int ni_similar(ni_hits **out, ni_index *idx, const char *id, size_t id_len,
                      const ni_search_options *opts);

/** 1 when the hit last returned by ni_hits_next of a ni_similar cursor is a
 *  near copy of the document, 0 otherwise (always 0 for ni_search). */
NI_API int ni_hits_is_near_copy(const ni_hits *hits);

/** Frees a cursor (NULL accepted); the last cursor of a closed index
 *  frees the index.  A cursor freed already is refused while its memory
 *  was not given out again (see Misuse above). */
NI_API void ni_hits_free(ni_hits *hits);

/* ------------------------------------------------------------------ */
/* Facets: how the matches fall by rubric and by date                   */
/* ------------------------------------------------------------------ */

/**
 * Facets count documents by rubric and by date (day, month or year), over
 * the whole match set of a search, not only the page of hits it returns:
 * the rubric counts say how many hits a rubric: filter would leave, the
 * date counts how many a date: filter.  Read them with ni_facets_count and
 * ni_facets_get; free them with ni_facets_free.
 */
typedef struct ni_facets ni_facets;

/** One bucket: a rubric or a date period and its documents.  value is
 *  borrowed until ni_facets_free; not NUL-terminated. */
typedef struct ni_facet_bucket {
    const char *value; size_t value_len; /**< the rubric as documents spell it,
                                              or "YYYY-MM-DD", "YYYY-MM", "YYYY" */
    uint64_t count;                      /**< documents in it */
} ni_facet_bucket;

/** One facet: its buckets and the documents that have no value for it.
 *  The bucket counts and missing add up to ni_facets_total. */
typedef struct ni_facet {
    const char *name;                 /**< "rubric", "date:day", "date:month" or
                                           "date:year" (static) */
    const ni_facet_bucket *buckets;   /**< rubrics by count, more first, then by
                                           their bytes; dates oldest first */
    size_t nbuckets;
    uint64_t missing;                 /**< documents without a rubric (or whose
                                           rubric has no words) / without a date */
} ni_facet;

/**
 * Counts the full matches of the search behind hits by spec: facet names
 * separated by commas, "rubric", "date:day", "date:month", "date:year"
 * (e.g. "rubric,date:month"), each at most once; NI_EINVAL with a message
 * for another spec (spec is UTF-8, spec_len bytes).  Computed on request,
 * on the cursor's snapshot: every document that matches the query as
 * ni_search searched it (after the query rescue: ni_hits_searched) is
 * enumerated, without the pruning of NI_SEARCH_APPROX_TOTAL, so the total
 * (ni_facets_total) is exact: ni_hits_total of the search without that
 * flag.  Documents without a rubric (or whose rubric has no words) or
 * without a date are counted in ni_facet.missing.  Partial matches
 * (ni_hits_partial_total) are not counted.  A rubric's count is what
 * ni_hits_total gives for (QUERY) AND rubric:"R" with the same options
 * (for up to four plain words in the default mode, simply QUERY
 * rubric:"R": from five on, a field would make every word required); a
 * date bucket's count what (QUERY) AND date:B gives:
 * buckets go by the date as stored, as the date filters do.  Rubrics are
 * shown as the first document (in indexing order) of the index that has
 * the rubric spells it: rubrics written in another case or spacing are one
 * rubric (as for rubric:).  The cursor is not moved: hits and snippets
 * already returned stay valid.  Like the cursor, one thread at a time.
 * Costs about what enumerating the matches costs (4 ms of one core for
 * 91,000, bench/README.md).  Free *out with ni_facets_free.
 */
NI_API int ni_hits_facets(ni_facets **out, ni_hits *hits, const char *spec,
                          size_t spec_len);

/**
 * The same counts over every live document of the committed index (e.g.
 * the rubrics of an index with their sizes: "rubric"; with
 * ni_facets_span, its date range).
 */
NI_API int ni_index_facets(ni_facets **out, ni_index *idx, const char *spec,
                           size_t spec_len);

/** The number of facets (as many as the spec named). */
NI_API size_t ni_facets_count(const ni_facets *facets);

/** Fills *out with facet i, in the order of the spec: 0, or NI_EINVAL when
 *  i is out of range.  Its pointers are borrowed until ni_facets_free. */
NI_API int ni_facets_get(ni_facet *out, const ni_facets *facets, size_t i);

/** The documents counted: the full matches (ni_hits_facets) or the live
 *  documents (ni_index_facets). */
NI_API uint64_t ni_facets_total(const ni_facets *facets);

/** The oldest and newest date among the documents counted, NI_DATE_NONE
 *  when none of them has a date (either pointer may be NULL). */
NI_API void ni_facets_span(const ni_facets *facets, int64_t *first, int64_t *last);

/** Frees facets (NULL accepted). */
NI_API void ni_facets_free(ni_facets *facets);

/* ------------------------------------------------------------------ */
/* Explaining a match                                                  */
/* ------------------------------------------------------------------ */

/**
 * How one document matched a query and what its score is made of, or why
 * it did not match (ni_explain).  Read it with the ni_explanation_*
 * accessors; free it with ni_explanation_free.  Not thread-safe: one
 * thread at a time.
 */
typedef struct ni_explanation ni_explanation;

/**
 * Explains how the committed document with external id `id` fares with
 * query and opts (NULL for the defaults), exactly as ni_search would treat
 * it: whether it matches (fully, or as a partial match), the BM25F score
 * ni_search gives it (the same double, to the last bit), a line per query
 * term with its frequencies in the document and its part of the score,
 * the reasons it does not match, and its rank in ni_search's hits for the
 * same options (offset + limit hits deep).  One snapshot is read for all of
 * it.  Returns 0 (also when the document does not match), NI_ENOTFOUND
 * when there is no document with that id, NI_ESYNTAX for a malformed
 * query, NI_EINVAL for bad options, as ni_search.
 */
NI_API int ni_explain(ni_explanation **out, ni_index *idx, const char *query,
                      size_t query_len, const char *id, size_t id_len,
                      const ni_search_options *opts);

/* How the document matched (ni_explanation_match). */
#define NI_EXPLAIN_NO_MATCH 0 /**< it does not match: see the reasons */
#define NI_EXPLAIN_FULL     1 /**< it matches the query as ni_hits_mode says */
#define NI_EXPLAIN_PARTIAL  2 /**< it is a partial match, holding only some of the
                                   words (see ni_hits_partial_total); the reasons
                                   say which it lacks.  ni_search lists it after
                                   the full matches when those are fewer than
                                   offset + limit */

/** NI_EXPLAIN_NO_MATCH, NI_EXPLAIN_FULL or NI_EXPLAIN_PARTIAL. */
NI_API int ni_explanation_match(const ni_explanation *ex);

/**
 * The document's score, as ni_search gives it (ni_hit.score), or 0 when it
 * does not match: the sum of the counted terms' scores
 * (ni_explain_term.score), added up in the order of the query's structure
 * (so their plain sum may differ in the last bits), plus the proximity
 * bonus (ni_explanation_proximity), added last, times the freshness
 * factor (ni_explanation_freshness) when freshness is on.
 */
NI_API double ni_explanation_score(const ni_explanation *ex);

/**
 * The part of the score for the query's words standing near each other in
 * the document (ni_search_options.proximity), 0 when there is none or the
 * document does not match.
 */
NI_API double ni_explanation_proximity(const ni_explanation *ex);

/**
 * The freshness factor the score was multiplied by (see
 * ni_search_options.fresh_half_life), in [1 - fresh_weight, 1]; 1 when
 * freshness is off or the document does not match.  The score is then
 * that of the terms and proximity times this factor.
 */
NI_API double ni_explanation_freshness(const ni_explanation *ex);

/** Its 1-based rank in ni_search's hits for the same query and options
 *  (counting the offset), or 0 when it is not among them.  Unless
 *  NI_SEARCH_NO_COLLAPSE, hits are stories: a document folded into a hit
 *  as its near copy has that hit's rank (see ni_hits_duplicates). */
NI_API size_t ni_explanation_rank(const ni_explanation *ex);

/** How the query's plain words were combined, as ni_hits_mode says ("all
 *  words", "at least 3 of 5 words", ...).  Valid until the explanation is
 *  freed. */
NI_API const char *ni_explanation_mode(const ni_explanation *ex);

/** What the BM25F score of the document is computed from: its field
 *  lengths, the index's averages and size, and the parameters of the
 *  options; and its date, for date filters.  A term's score is
 *  idf * tf' * (k1 + 1) / (tf' + k1), where tf' = title_weight * tf_title /
 *  (1 - b + b * len_title / avg_title) + (tf_body + lead_weight * lead) /
 *  (1 - b + b * len_body / avg_body) (a field no document has is not
 *  normalised; lead is 1 when the term is in the lead of the body and not
 *  in the title: ni_explain_term.lead). */
typedef struct ni_explain_doc {
    uint32_t len_title, len_body;  /**< the document's lengths, in positions */
    int64_t date;                  /**< its date (NI_DATE_NONE when it has none) */
    double avg_title, avg_body;    /**< the averages over the index */
    uint64_t docs;                 /**< live documents (N of the idf) */
    double k1, b, title_weight;    /**< from the search options */
    double lead_weight;            /**< the weight of a term in the lead */
} ni_explain_doc;

/** Fills *out for the explained document. */
NI_API void ni_explanation_doc(ni_explain_doc *out, const ni_explanation *ex);

/* What a term line stands for (ni_explain_term.kind).  More kinds may come
 * (e.g. more terms a word is searched under); show an unknown one as an
 * alternate. */
#define NI_EXPLAIN_WORD      1 /**< a query word's indexed term (its stem); a phrase
                                    of one word is that word */
#define NI_EXPLAIN_FORM      2 /**< the word as written, normalised, searched beside
                                    its stem («ростове» beside «ростов») */
#define NI_EXPLAIN_ALTERNATE 3 /**< another term a query word is searched under */
#define NI_EXPLAIN_PHRASE    4 /**< a word of a phrase or NEAR ("a b", "a b"~N), or
                                    of a query word that analyses into several
                                    («10/20»), counted where they stand together */
#define NI_EXPLAIN_PREFIX    5 /**< a term a prefix (word*) expanded to; only those
                                    the document holds are listed */
#define NI_EXPLAIN_NAME      6 /**< a query word's name key (NI_TOKEN_NAME): the term
                                    starts with NI_NAME_MID or NI_NAME_START.  A word
                                    searched under several terms is scored as one
                                    term: its score is on the first line the
                                    document holds */

/**
 * One term of the query as it was searched, with the document's figures.
 * Words the query excludes (NOT) and rubric: filters have no lines (see the
 * reasons).  Strings are borrowed until the explanation is freed.
 */
typedef struct ni_explain_term {
    const char *term;  size_t term_len;   /**< the indexed term */
    const char *query; size_t query_len;  /**< the part of the query it comes from,
                                               as written («title:мост», «"a b"~2») */
    int kind;                  /**< NI_EXPLAIN_WORD, ... */
    int title_only;            /**< 1: restricted to the title (title:) */
    uint32_t tf_title;         /**< occurrences in the document's title */
    uint32_t tf_body;          /**< in its body (0 when title_only: not counted) */
    uint32_t df;               /**< live documents holding the term */
    double idf;                /**< ln(1 + (N - df + 0.5) / (df + 0.5)) */
    int counted;               /**< 1 when score is part of the document's score:
                                    the term is there and the query counts it (a
                                    phrase only where the phrase is, one side of
                                    an OR only where that side matches) */
    double score;              /**< its BM25F score in the document when counted,
                                    else 0 */
    int lead;                  /**< 1: it occurs in the lead of the document's body
                                    (its first 25 positions), which counts when
                                    it is not in the title (ni_explain_doc) */
} ni_explain_term;

/** The number of term lines. */
NI_API size_t ni_explanation_term_count(const ni_explanation *ex);

/** Fills *out with term line i (in the order of the query): 0, or NI_EINVAL
 *  when i is out of range. */
NI_API int ni_explanation_term(ni_explain_term *out, const ni_explanation *ex, size_t i);

/* Why a document does not match (ni_explain_reason.kind), or, for a partial
 * match, what it lacks. */
#define NI_WHY_LACKS    1 /**< it does not hold a word, phrase or prefix the query
                               needs */
#define NI_WHY_EXCLUDED 2 /**< it holds what the query excludes (-word, NOT ...) */
#define NI_WHY_DATE     3 /**< its date is outside a date:, after: or before: range,
                               or it has none */
#define NI_WHY_RUBRIC   4 /**< its rubric is not the one rubric: asks for */
#define NI_WHY_TOO_FEW  5 /**< a long query needing only a share of its words: the
                               document holds fewer (held, needed, of); each word
                               it lacks follows as NI_WHY_LACKS */
#define NI_WHY_NONE_OF  6 /**< it holds none of the alternatives of an OR (with
                               default_or: none of the words); why not, for each
                               alternative that is more than a word, follows */
#define NI_WHY_EMPTY    7 /**< the query has nothing to search (no words) */

/** One reason; the query part is borrowed until the explanation is freed. */
typedef struct ni_explain_reason {
    int kind;                             /**< NI_WHY_* */
    const char *query; size_t query_len;  /**< the part of the query concerned, as
                                               written («-москва», «date:2024») */
    size_t held, needed, of;              /**< NI_WHY_TOO_FEW: words held, needed,
                                               in the query; 0 otherwise */
} ni_explain_reason;

/** The number of reasons: at least one when the document does not match
 *  or is a partial match, none when it matches fully. */
NI_API size_t ni_explanation_reason_count(const ni_explanation *ex);

/** Fills *out with reason i: 0, or NI_EINVAL when i is out of range. */
NI_API int ni_explanation_reason(ni_explain_reason *out, const ni_explanation *ex,
                                 size_t i);

/** Frees an explanation (NULL accepted). */
NI_API void ni_explanation_free(ni_explanation *ex);

/* ---- Shards: one collection over several indexes ---------------------- */

/*
 * A collection may be split by document over several indexes (shards) and
 * still be searched exactly as one index of all its documents would search
 * it: the same hits in the same order with bit-identical scores.  BM25F
 * needs a few figures of the whole collection (the live documents, the
 * title and body length sums, each query term's df, the newest date for
 * freshness); everything else is per document.  A search runs in two
 * phases, as Xapian's remote backend does:
 *
 *   1. on every shard, open a snapshot and read the query's statistics
 *      (ni_shard_stats_read); sum them (ni_shard_stats_merge);
 *   2. on every shard, search its snapshot with the summed statistics
 *      (ni_shard_search): each returns its best offset + limit; merge the
 *      lists (ni_shard_hits_merge).
 *
 * Nothing here depends on a transport: statistics and hit lists have a
 * binary wire form (ni_shard_stats_encode, ni_shard_hits_encode) for
 * sending them between processes.  Sharded local indexes (a directory of
 * shards, ni_shardset_*) use these calls in one process.
 *
 * Ties.  One index orders hits by score, then newer date, then indexing
 * order (its internal ids; with NI_SORT_DATE, date first, then score).
 * Shards do not share internal ids, so a hit carries ni_shard_hit.order,
 * which the caller sets to a position in one indexing order that every
 * shard agrees on (ni_shardset keeps each document's place in the order of
 * indexing); the merge breaks ties by it, as one index built in that order
 * breaks them by internal id.
 *
 * What a sharded search does not do yet (each shard is searched as with
 * these flags, whatever opts says): fold near copies across shards
 * (NI_SEARCH_NO_COLLAPSE), rescue words (NI_SEARCH_EXACT: a word absent
 * from every shard is searched as typed, where one index would rescue it),
 * suggest words.  A prefix is exact while it expands to at most 128 terms
 * in every shard.  Facets are not merged yet.
 */

/** The statistics of a query on one or more shards (opaque). */
typedef struct ni_shard_stats ni_shard_stats;

/** A read snapshot of one index (opaque): both phases of a search must
 *  see the same documents, so phase 1 opens it and phase 2 searches it. */
typedef struct ni_snapshot ni_snapshot;

/** Opens a snapshot of idx into *out: the index as its last commit left
 *  it, until ni_snapshot_close.  idx must outlive it.  0 or <0. */
NI_API int ni_snapshot_open(ni_snapshot **out, ni_index *idx);

/** Closes a snapshot (NULL accepted); every hit list searched in it must
 *  be freed first. */
NI_API void ni_snapshot_close(ni_snapshot *snap);

/**
 * Phase 1: the statistics of query (as ni_search parses it, with opts; NULL
 * for the defaults) in snap into *out, the caller's (ni_shard_stats_free):
 * the live documents, the title and body length sums, the newest date,
 * and the df of every term the query may be searched by.  0 or <0.
 */
NI_API int ni_shard_stats_read(ni_shard_stats **out, ni_snapshot *snap, const char *query,
                               size_t query_len, const ni_search_options *opts);

/** Adds from's statistics to into's (sums; the newest of the two dates),
 *  as if into's shard held from's documents too.  Associative and
 *  commutative.  0, NI_EINVAL (the same object twice) or NI_ENOMEM. */
NI_API int ni_shard_stats_merge(ni_shard_stats *into, const ni_shard_stats *from);

/** The live documents the statistics count. */
NI_API uint64_t ni_shard_stats_docs(const ni_shard_stats *stats);

/** Frees statistics (NULL accepted). */
NI_API void ni_shard_stats_free(ni_shard_stats *stats);

/** One hit of a shard. */
typedef struct ni_shard_hit {
    double score;       /**< as one index of the whole collection scores it */
    int64_t date;       /**< NI_DATE_NONE when none */
    uint64_t order;     /**< the tie-break (see "Ties" above): the internal id
                             in its shard until the caller sets it */
    uint32_t doc;       /**< internal id in its shard */
    uint32_t shard;     /**< which shard: set by the caller */
    int partial;        /**< 1: a partial match (ni_hits_is_partial) */
} ni_shard_hit;

/** A list of hits, best first, every full match before any partial one. */
typedef struct ni_shard_hits {
    ni_shard_hit *hit;
    size_t n;
    uint64_t total;          /**< full matches (ni_hits_total) */
    uint64_t partial_total;  /**< partial matches (ni_hits_partial_total) */
    int total_approx;        /**< 1: total is a lower bound */
    int sort_by_date;        /**< the order is NI_SORT_DATE's */
} ni_shard_hits;

/**
 * Phase 2: searches snap with the statistics global (the merge of every
 * shard's) into *out, the caller's (ni_shard_hits_free): the best offset +
 * limit hits of opts (NULL: the defaults) with their scores, each shard
 * field 0, order = doc.  0 or <0.
 */
NI_API int ni_shard_search(ni_shard_hits **out, ni_snapshot *snap, const char *query,
                           size_t query_len, const ni_search_options *opts,
                           ni_shard_stats *global);

/**
 * Merges the lists[0..n) of a query's shards into *out, the caller's: the
 * best offset + limit of them all (opts as given to ni_shard_search; skip
 * the first offset), full matches first, each part in the order of one
 * index (score, newer date, order; or date first with NI_SORT_DATE), with
 * the totals summed (partial matches count only when the full ones are
 * fewer than offset + limit, as in one index).  0 or <0.
 */
NI_API int ni_shard_hits_merge(ni_shard_hits **out, ni_shard_hits *const *lists, size_t n,
                               const ni_search_options *opts);

/** Frees a hit list (NULL accepted). */
NI_API void ni_shard_hits_free(ni_shard_hits *hits);

/*
 * Wire forms, versioned and checked (the layout is described in
 * lib/shardwire.c): *out is the caller's, freed with ni_wire_free; a
 * decoder reads untrusted bytes and returns NI_ECORRUPT for anything it
 * does not accept, NI_EVERSION for a version it does not know.
 */
NI_API int ni_shard_stats_encode(unsigned char **out, size_t *len,
                                 const ni_shard_stats *stats);
NI_API int ni_shard_stats_decode(ni_shard_stats **out, const unsigned char *p, size_t len);
NI_API int ni_shard_hits_encode(unsigned char **out, size_t *len, const ni_shard_hits *hits);
NI_API int ni_shard_hits_decode(ni_shard_hits **out, const unsigned char *p, size_t len);
/** Frees what an encoder gave (NULL accepted). */
NI_API void ni_wire_free(unsigned char *p);

/*
 * Local shards: a collection split over N indexes in one directory (the
 * layout is described in lib/shardset.c: DB/shards names N, DB/shard-K
 * are the indexes, DB/order-K their documents' places in the order of
 * indexing).  A document goes to the shard ni_shardset_pick names, by a
 * stable hash of its id (FNV-1a, 32 bits, of the id's bytes, modulo N).
 * ni_shardset_search runs both phases in this process and returns a
 * cursor like ni_search's: the same hits, scores and totals as one index
 * of the same documents added in the same order (with the limits stated
 * under "Shards" above).  Facets of it are not available yet (NI_EINVAL).
 */

#define NI_SHARDS_MAX 256   /**< the most shards of a local sharded index */

/** A sharded index in a directory (opaque). */
typedef struct ni_shardset ni_shardset;

/**
 * Opens the sharded index at path into *out (the caller's, closed with
 * ni_shardset_close), each shard with opts (NULL: the defaults).  shards
 * 0 opens an existing one (NI_ENOTFOUND when path is not a sharded
 * index); shards N > 0 also creates it with N shards when absent and
 * opts has NI_OPEN_CREATE, and fails with NI_EINVAL when it has another
 * number.  0 or <0.
 */
NI_API int ni_shardset_open(ni_shardset **out, const char *path, unsigned shards,
                            const ni_open_options *opts);

/** Closes a sharded index (NULL accepted); uncommitted adds are lost. */
NI_API void ni_shardset_close(ni_shardset *set);

/** The number of shards. */
NI_API unsigned ni_shardset_count(const ni_shardset *set);

/** Shard i (borrowed while set is open), NULL when i is out of range:
 *  for what is asked of one shard (ni_index_get of an id in the shard
 *  ni_shardset_pick names, ni_index_stats, ni_index_check). */
NI_API ni_index *ni_shardset_shard(ni_shardset *set, unsigned i);

/** The shard of the document with this id. */
NI_API unsigned ni_shardset_pick(const ni_shardset *set, const char *id, size_t id_len);

/** ni_index_add into the document's shard; its place in the order of
 *  indexing is the next. */
NI_API int ni_shardset_add(ni_shardset *set, const ni_doc *doc);

/** ni_index_delete in the document's shard. */
NI_API int ni_shardset_delete(ni_shardset *set, const char *id, size_t id_len);

/** Commits every shard (ni_index_commit) and writes their order files. */
NI_API int ni_shardset_commit(ni_shardset *set);

/** Searches all shards as one index (see above) into *out, freed with
 *  ni_hits_free. */
NI_API int ni_shardset_search(ni_hits **out, ni_shardset *set, const char *query,
                              size_t query_len, const ni_search_options *opts);

#ifdef __cplusplus
}
#endif

#endif /* NEWSINDEX_H */
