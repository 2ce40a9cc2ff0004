/*
 * cli.h - what the files of the nsearch CLI share: the subcommands, option
 * parsing (args.c) and output helpers (out.c).
 *
 * The CLI is a client of include/newsindex.h only.  stdout carries results
 * only; diagnostics, warnings and progress go to stderr.  Exit codes follow
 * grep: 0 success (query: at least one match), 1 no match / not found,
 * 2 any error.
 */
#ifndef NSEARCH_CLI_H
#define NSEARCH_CLI_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "newsindex.h"

#if defined(__GNUC__)
#define CLI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CLI_PRINTF(f, a)
#endif

#define CLI_PROG "nsearch"

/* Exit codes. */
#define EXIT_HITS   0
#define EXIT_NOHITS 1
#define EXIT_ERROR  2

/* Subcommands: argv[0] is the subcommand name; they return an exit code. */
int cmd_index(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_get(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_delete(int argc, char **argv);
int cmd_compact(int argc, char **argv);
int cmd_copy(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_similar(int argc, char **argv);
int cmd_serve(int argc, char **argv);

/* ------------------------------------------------------------------ */
/* args.c: option parsing                                              */
/* ------------------------------------------------------------------ */

/*
 * One option a subcommand accepts.  names is a '|'-separated list of
 * spellings ("-n|--limit"); key is returned by cli_next (> 0); has_arg says
 * whether it takes a value ("-n 5", "-n5", "--limit 5", "--limit=5").
 */
typedef struct cli_opt {
    const char *names;
    int key;
    int has_arg;
} cli_opt;

/* Keys every subcommand handles the same way. */
#define OPT_HELP 1000

/*
 * Walks argv of a subcommand.  Options may come before or after positional
 * arguments; "--" ends options; "-" alone is a positional argument.
 */
typedef struct cli_args {
    int argc;
    char **argv;
    int i;              /* next argv index */
    int only_pos;       /* seen "--" */
    const cli_opt *opts;
    const char *usage;  /* the subcommand's usage text, for errors */
    const char *value;  /* value of the last option with has_arg */
    const char *pos;    /* the last positional argument */
    char optname[64];   /* the last option as spelled ("-n", "--limit") */
} cli_args;

/* Starts parsing argv[1..argc) (argv[0] is the subcommand name).  opts ends
 * with an entry whose names is NULL; "-h|--help" is always understood. */
void cli_args_init(cli_args *a, int argc, char **argv, const cli_opt *opts,
                   const char *usage);

/*
 * The next item: an option's key, 0 for a positional argument (in a->pos),
 * -1 at the end, or -2 after a usage error has been printed to stderr.
 * For OPT_HELP, the usage text has already been printed to stdout.
 */
int cli_next(cli_args *a);

/*
 * The whole argument loop of a subcommand that takes exactly n positional
 * arguments (pos[0] the index, then e.g. a document id; missing[i] is the
 * usage error when pos[i] is absent) and, when json is not NULL, --json.
 * Returns -1 when the subcommand should go on, else its exit code.
 */
int cli_simple_args(int argc, char **argv, const char *usage, const char **pos,
                    int n, const char *const *missing, int *json);

/*
 * The opening of a subcommand whose one argument is the index DB (and
 * --json when json is not NULL): cli_simple_args, then cli_open_index of DB
 * with flags.  Returns -1 when the subcommand should go on, with the index
 * in *out and its path in *db; else its exit code (help shown, or the error
 * printed).
 */
int cli_open_db_arg(ni_index **out, const char **db, int argc, char **argv,
                    const char *usage, int *json, unsigned flags);

/* A subcommand's handling of its option key (value in a->value): returns 0,
 * or -1 after printing a usage error. */
typedef int (*cli_opt_fn)(cli_args *a, int key, void *payload);

/* The positional arguments of a subcommand taking DB and a list: DB, then
 * the n others in order (input paths, query words). */
typedef struct cli_list {
    const char *db;
    const char **items;
    int n;
} cli_list;

/*
 * The whole argument loop of a subcommand that takes DB and one or more
 * further positional arguments: options from opts go to on_opt (with
 * payload; NULL when opts has none), the positional arguments to *out.  missing is the usage error
 * when only DB is given (NULL: the caller decides).  Returns -1 when the subcommand should go on (then
 * cli_list_free(out) is the caller's), else its exit code (help shown, or
 * the error printed; nothing to free).
 */
int cli_list_args(cli_list *out, int argc, char **argv, const cli_opt *opts,
                  const char *usage, const char *missing, cli_opt_fn on_opt,
                  void *payload);

void cli_list_free(cli_list *l);

/* Prints "nsearch: <message>" and short usage (the first line of the usage
 * text and a pointer to --help) to stderr; returns EXIT_ERROR. */
int cli_usage_error(const cli_args *a, const char *fmt, ...)
    CLI_PRINTF(2, 3);

/* Parses a non-negative decimal count (the value s of the last option) into
 * *out; prints a usage error and returns -1 when it is not one. */
int cli_parse_size(const cli_args *a, const char *s, size_t *out);

/* The search options query and explain share, as keys and cli_opt rows
 * (put CLI_SEARCH_OPTS in a subcommand's table). */
enum {
    OPT_LIMIT = 900, OPT_OFFSET, OPT_OR, OPT_ALL_WORDS, OPT_NO_PARTIAL, OPT_SORT, OPT_EXACT,
    OPT_FRESH, OPT_FRESH_REF, OPT_NO_COLLAPSE
};
#define CLI_SEARCH_OPTS \
    { "-n|--limit", OPT_LIMIT, 1 }, { "--offset", OPT_OFFSET, 1 }, { "--or", OPT_OR, 0 }, \
    { "--all-words", OPT_ALL_WORDS, 0 }, { "--no-partial", OPT_NO_PARTIAL, 0 }, \
    { "--sort", OPT_SORT, 1 }, { "--exact", OPT_EXACT, 0 }, { "--fresh", OPT_FRESH, 1 }, \
    { "--fresh-ref", OPT_FRESH_REF, 1 }, { "--no-collapse", OPT_NO_COLLAPSE, 0 }

/* The lines of --help for --fresh and --fresh-ref. */
#define CLI_FRESH_HELP \
    "      --fresh HALF[,W]  prefer recent articles among relevant ones: scores\n" \
    "                    times 1 - W + W * 2^(-age / HALF), HALF a half-life such\n" \
    "                    as 48h, 7d or 2w, W a weight from 0 to 1 (default 0.3);\n" \
    "                    ages count from the newest article of the index; an\n" \
    "                    undated one counts as the oldest (1 - W)\n" \
    "      --fresh-ref DATE  count ages from DATE instead (\"now\": the clock)\n"

/* Applies option key (the value of the last option in a) to *so: 1 when key
 * is one of the search options, 0 when not, -1 after a usage error. */
int cli_search_opt(cli_args *a, int key, ni_search_options *so);

/* Prints "nsearch: <message>" to stderr. */
void cli_error(const char *fmt, ...) CLI_PRINTF(1, 2);

/* Prints the message and a newline to stderr, after "nsearch: " when
 * prefixed (without it for "file:line: reason" lines). */
void cli_vmessage(int prefixed, const char *fmt, va_list ap) CLI_PRINTF(2, 0);

/*
 * Opens the index at path with the given NI_OPEN_* flags; on failure prints
 * "nsearch: cannot open index 'path': reason" and returns the error code.
 */
int cli_open_index(ni_index **out, const char *path, unsigned flags);

/* 1 when path is a sharded index (it holds a "shards" file: ni_shardset). */
int cli_is_sharded(const char *path);

/* ni_shardset_open of an existing sharded index with flags, a failure
 * reported; 0 or <0. */
int cli_open_shards(ni_shardset **out, const char *path, unsigned flags);
/* The same with all the options. */
int cli_open_index_with(ni_index **out, const char *path, const ni_open_options *opts);

/* The detail of the last library failure: ni_errmsg(), or ni_strerror(rc)
 * when the library left no message; for NI_ECORRUPT "index damaged: ...
 * (run nsearch check)" (in a buffer of the calling thread, until its next
 * call). */
const char *cli_errdetail(int rc);

/*
 * What a message echoes of a text the user gave (a query, a document id):
 * its first CLI_QUERY_ECHO characters, then "..." when there is more, in
 * buf (NUL-terminated; size at least CLI_ECHO_SIZE).  A 1 MB id or a 100 KB
 * query is not printed whole.  Returns buf.
 */
#define CLI_QUERY_ECHO 60
#define CLI_ECHO_SIZE (CLI_QUERY_ECHO * 4 + 4)
const char *cli_echo(char *buf, size_t size, const char *s, size_t len);

/* Reports a query ni_search refused: "bad query: REASON: 'QUERY'", the
 * reason first, the query as cli_echo cuts it. */
void cli_bad_query(const char *query, int rc);

/* ------------------------------------------------------------------ */
/* facets.c: facets as JSON and text                                   */
/* ------------------------------------------------------------------ */

/* Writes a facet's buckets as a JSON array of {"value":..,"count":N},
 * then {"value":null,"count":N} for the documents without a value when
 * there are some. */
void cli_facet_json(FILE *f, const ni_facet *fc);

/* Writes ,"facets":{"rubric":[...],"date:month":[...]} (a member of an
 * object after its first). */
void cli_facets_json(FILE *f, const ni_facets *fs);

/* Writes "facets of N matches:" ("1 match") and a line per facet ("  rubric: Политика
 * 12, Общество 7, (no rubric) 1"): the 10 largest rubrics, the 10 newest
 * date buckets. */
void cli_facets_human(FILE *f, const ni_facets *fs);

/* ------------------------------------------------------------------ */
/* hitjson.c: hits, summaries, documents and statistics as JSON         */
/* ------------------------------------------------------------------ */

/* Writes a hit's members "rank","score","id","title","date","rubric","url"
 * (the first member of an object: no leading comma). */
void cli_hit_json_members(FILE *f, const ni_hit *h);

/* Writes ,"snippet":"...","highlights":[[s,e],...] (byte offsets into the
 * snippet's UTF-8). */
void cli_snippet_json(FILE *f, const ni_snippet *sn);

/* Writes ,"duplicates":[...] of the near copies folded into the hit last
 * returned, when there are any: their ids, or (whole) objects with "id",
 * "title", "date", "rubric" and "url".  Returns 0 or a library error. */
int cli_duplicates_json(FILE *f, ni_hits *hits, int whole);

/* The name of a rescue kind (NI_RESCUE_*): "keyboard layout",
 * "transliteration", "typo". */
const char *cli_rescue_kind(int kind);

/* Writes the members of a query's summary (the first members of an object):
 * "total", "returned", "ms", "mode", then "partial", "stories" and
 * "examined", "searched" and "rewrites", "facets" (when facets is not
 * NULL), "why_none", each when there is something to say. */
void cli_summary_json_members(FILE *f, ni_hits *hits, size_t returned, double ms,
                              const ni_facets *facets);

/* Writes a document as one JSON object with every field (null when
 * absent): "id", "url", "date", "rubric", "title", "credit", "text". */
void cli_doc_json(FILE *f, const ni_doc *d);

/* Writes ni_index_stats as one JSON object, with the date range and the
 * rubrics of fs (ni_index_facets "rubric,date:year"). */
void cli_stats_json(FILE *f, const ni_stats *s, const ni_facets *fs);

/* ------------------------------------------------------------------ */
/* out.c: output helpers                                               */
/* ------------------------------------------------------------------ */

/*
 * Writes s[0..n) as a JSON string (with the quotes): control characters
 * escaped, valid UTF-8 kept, each invalid byte replaced by U+FFFD.  A NULL
 * s writes null.
 */
void out_json_str(FILE *f, const char *s, size_t n);

/* Writes a date as out_date does, as a JSON string, or null for
 * NI_DATE_NONE. */
void out_json_date(FILE *f, int64_t date, int offset, unsigned form);

/* Write ,"key": and then the value as out_json_str or out_json_date do: a
 * member of an object after its first.  key is written as is (a plain
 * ASCII name). */
void out_json_key_str(FILE *f, const char *key, const char *s, size_t n);
void out_json_key_date(FILE *f, const char *key, int64_t date, int offset, unsigned form);

/* Writes a double as a JSON number (null when not finite). */
void out_json_num(FILE *f, double v);

/*
 * Writes text for a human reader on a terminal: invalid UTF-8 bytes become
 * U+FFFD, control characters (and, unless keep_newlines, newlines and tabs)
 * become spaces, so stored text can never drive the terminal.
 */
void out_text(FILE *f, const char *s, size_t n, int keep_newlines);

/*
 * Formats a date as it was written (ni_date_format_tz: offset and form as
 * ni_doc.date_offset and date_form; 0, 0 for UTC with the time) into buf
 * (NI_DATE_BUF bytes): "YYYY-MM-DD HH:MM:SS+03:00", "YYYY-MM-DD HH:MM:SS"
 * (UTC, no offset written) or "YYYY-MM-DD" (a date without a time);
 * returns buf, or "" for NI_DATE_NONE.
 */
const char *out_date(char *buf, size_t size, int64_t date, int offset, unsigned form);

/* 1 when output to f should be coloured: f is a terminal, NO_COLOR is unset
 * or empty, and TERM is set and not "dumb". */
int out_use_colour(FILE *f);

/* SGR sequences, or "" when colour is off. */
typedef struct out_colours {
    const char *bold, *dim, *rank, *id, *off;
    const char *mark;           /* a matched word in a title (bold already) */
} out_colours;

void out_colours_init(out_colours *c, int on);

/* "1.2 MB" style size into buf. */
const char *out_bytes(char *buf, size_t size, uint64_t bytes);

/* Seconds from a CLOCK_MONOTONIC reading to now. */
double out_elapsed(const struct timespec *start);

#endif
