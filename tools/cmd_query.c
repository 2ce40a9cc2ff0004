/*
 * cmd_query.c - "nsearch query DB QUERY": runs ni_search and prints the hits.
 *
 * Human output, one hit per entry:
 *     1. 12.3456  2024-03-01 10:00:00  Title  [id]
 *         https://url (rubric)
 *         the best passage of the text, matched words in bold on a terminal
 * (the date, url/rubric line and passage are left out when absent; a
 * partial match, holding only some of the words, ends its first line with
 * "(partial match)") and "N hits of M (mode) in X ms" on stderr, the mode
 * being ni_hits_mode(), with " and P partial matches" before " in" when
 * there are some, and ", S stories in the first E" when near copies were
 * folded (ni_hits_stories, S < E); a hit into which near copies were folded ends
 * its first line with "+K similar".  --json prints JSON Lines: one object
 * per hit (with "snippet" and "highlights", byte ranges into the snippet,
 * "partial":true on a partial match, "duplicates":[ids] of the near copies
 * folded into it), then {"total":M,"returned":N,"ms":X,"mode":"..."} (and
 * "partial":P when there are partial matches, "stories":S,"examined":E
 * when collapsing, "searched" and "rewrites" when the query rescue
 * rewrote words; "facets" with --facets: tools/facets.c).  With --facets
 * the text output ends with the facets block after the hits.  A notice of the library about the query goes to
 * stderr, and so does a line on what the rescue did ("showing results for
 * «москва» (vjcrdf → москва, keyboard layout); search for vjcrdf exactly:
 * --exact"), and when nothing was found, why ("nothing found: «вкусняшка»
 * matches nothing in the index"; "why_none" in the JSON summary).  Exit 0 when the query matched at least one document, fully or
 * partly, 1 when none, 2 on an error.
 *
 * --stdin, for scripts that ask many queries of one open index: a query a
 * line of standard input, one JSON object a line out, the summary's members
 * then "line", "query" and "hits" (the objects --json prints); a line that
 * fails gets {"line","query","error"} and a message on stderr naming it,
 * and the rest goes on.  Exit 2 when a line failed, else 0 when a query
 * matched, 1 when none did.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static const char usage[] =
    "usage: " CLI_PROG " query DB QUERY... [options]\n"
    "       " CLI_PROG " query DB --stdin [options] < queries\n"
    "\n"
    "Searches the index in directory DB.  Several QUERY arguments are joined\n"
    "with spaces.  Date filters name days, months or years of UTC:\n"
    "date:2024-12 is December, after:2024-12 from December on (December\n"
    "included), before:2024-12 up to the end of November (December left out).\n"
    "Dates print as written: with their UTC offset, or a day alone.\n"
    "\n"
    "  -n, --limit K     show at most K hits (default 10)\n"
    "      --offset N    skip the first N hits (default 0)\n"
    "      --or          match any of the words instead of all of them\n"
    "      --all-words   require every word even in a long query (five or more\n"
    "                    words otherwise need only 80 % of them); no partial\n"
    "                    matches\n"
    "      --no-partial  stop after the last full match (by default, when fewer\n"
    "                    documents than asked for hold all the words, the hits\n"
    "                    go on with those holding some of them)\n"
    "      --sort ORDER  relevance (default) or date (newest first)\n"
    "      --json        JSON Lines: one object per hit, then a summary; a hit's\n"
    "                    \"highlights\" are [start, end] byte offsets (UTF-8)\n"
    "                    into its \"snippet\", not character offsets\n"
    "      --no-snippet  leave out the passage of text shown with each hit\n"
    "      --ids         print only each hit's id, one a line (with --json or\n"
    "                    --stdin: its title, rubric and url null, no snippet):\n"
    "                    no stored text is read\n"
    "      --exact       search every word as typed: no rescue of words that\n"
    "                    match nothing (wrong keyboard layout, transliteration,\n"
    "                    typos)\n"
    CLI_FRESH_HELP
    "      --facets SPEC count all the full matches by rubric and by date:\n"
    "                    SPEC is a comma-separated list of rubric, date:day,\n"
    "                    date:month, date:year (a block after the hits; with\n"
    "                    --json a \"facets\" member of the summary)\n"
    "      --no-collapse show near copies (republished stories) as hits of\n"
    "                    their own; by default each is folded into the best-\n"
    "                    ranked hit it repeats (\"+N similar\", \"duplicates\")\n"
    "      --color WHEN  highlight matched words: auto (default: on a terminal,\n"
    "                    unless NO_COLOR is set or TERM=dumb), always, never\n"
    "      --stdin       read the queries from standard input, one a line (no\n"
    "                    QUERY arguments), and write one JSON object a line:\n"
    "                    the summary of --json with \"line\", \"query\" and\n"
    "                    \"hits\" (or \"error\"); the index is opened once\n"
    "  -h, --help        show this help\n";

enum { OPT_JSON = 1, OPT_NO_SNIPPET, OPT_IDS, OPT_FACETS, OPT_COLOR, OPT_STDIN };

static const cli_opt opts[] = {
    CLI_SEARCH_OPTS,
    { "--json", OPT_JSON, 0 },
    { "--no-snippet", OPT_NO_SNIPPET, 0 },
    { "--ids", OPT_IDS, 0 },
    { "--facets", OPT_FACETS, 1 },
    { "--color", OPT_COLOR, 1 },
    { "--stdin", OPT_STDIN, 0 },
    { NULL, 0, 0 },
};

/* A hit as a JSON object on f (no newline). */
static int print_hit_json(FILE *f, ni_hits *hits, const ni_hit *h, int partial,
                          const ni_snippet *sn)
{
    int rc;
    fputc('{', f);
    cli_hit_json_members(f, h);
    if (partial)
        fputs(",\"partial\":true", f);
    if ((rc = cli_duplicates_json(f, hits, 0)) < 0)
        return rc;
    if (sn)
        cli_snippet_json(f, sn);
    fputc('}', f);
    return 0;
}

/* The snippet on one line, its matched words in bold when colour is on. */
static void print_snippet_human(const ni_snippet *sn, const out_colours *c)
{
    size_t at = 0;
    fputs("    ", stdout);
    for (size_t i = 0; i < sn->nranges; i++) {
        size_t a = sn->ranges[2 * i], b = sn->ranges[2 * i + 1];
        if (a < at || b < a || b > sn->len)
            continue; /* not in order: show the text unhighlighted */
        out_text(stdout, sn->text + at, a - at, 0);
        fputs(c->bold, stdout);
        out_text(stdout, sn->text + a, b - a, 0);
        fputs(c->off, stdout);
        at = b;
    }
    out_text(stdout, sn->text + at, sn->len - at, 0);
    fputc('\n', stdout);
}

/* A title (bold already) with its matched words marked (ni_hits_title). */
static void print_title_marked(const ni_snippet *t, const out_colours *c)
{
    size_t at = 0;
    for (size_t i = 0; i < t->nranges; i++) {
        size_t a = t->ranges[2 * i], b = t->ranges[2 * i + 1];
        if (a < at || b < a || b > t->len)
            continue;
        out_text(stdout, t->text + at, a - at, 0);
        printf("%s", c->mark);
        out_text(stdout, t->text + a, b - a, 0);
        printf("%s%s", c->off, c->bold);
        at = b;
    }
    out_text(stdout, t->text + at, t->len - at, 0);
}

/* title: the marked title when colour is on, else NULL (the title as is). */
static void print_hit_human(const ni_hit *h, int partial, size_t similar,
                            const ni_snippet *title, const ni_snippet *sn, const out_colours *c)
{
    char date[NI_DATE_BUF];
    printf("%s%zu.%s %.4f  ", c->rank, h->rank, c->off, h->score);
    if (h->date != NI_DATE_NONE)
        printf("%s  ", out_date(date, sizeof date, h->date, h->date_offset, h->date_form));
    fputs(c->bold, stdout);
    if (title && title->len)
        print_title_marked(title, c);
    else if (h->title && h->title_len)
        out_text(stdout, h->title, h->title_len, 0);
    else
        fputs("(no title)", stdout);
    printf("%s  %s[", c->off, c->id);
    out_text(stdout, h->id, h->id_len, 0);
    printf("]%s%s", c->off, partial ? "  (partial match)" : "");
    if (similar)
        printf("  +%zu similar", similar);
    fputc('\n', stdout);

    int has_url = h->url && h->url_len, has_rubric = h->rubric && h->rubric_len;
    if (has_url || has_rubric) {
        printf("    %s", c->dim);
        if (has_url)
            out_text(stdout, h->url, h->url_len, 0);
        if (has_url && has_rubric)
            fputc(' ', stdout);
        if (has_rubric) {
            fputc('(', stdout);
            out_text(stdout, h->rubric, h->rubric_len, 0);
            fputc(')', stdout);
        }
        printf("%s\n", c->off);
    }
    if (sn && sn->len)
        print_snippet_human(sn, c);
}

/* Joins argv-style words with single spaces into a fresh string. */
static char *join_words(const char *const *words, int n)
{
    size_t len = 0;
    for (int i = 0; i < n; i++)
        len += strlen(words[i]) + 1;
    char *s = malloc(len + 1);
    if (!s)
        return NULL;
    s[0] = '\0';
    char *p = s;
    for (int i = 0; i < n; i++) {
        size_t w = strlen(words[i]);
        if (i)
            *p++ = ' ';
        memcpy(p, words[i], w);
        p += w;
    }
    *p = '\0';
    return s;
}

/* What the options ask for. */
typedef struct query_args {
    ni_search_options so;
    int json, snippets;
    int ids;                   /* --ids: NI_SEARCH_IDS_ONLY, the ids alone */
    const char *facets;        /* --facets SPEC, or NULL */
    int color;                 /* --color: -1 auto (a terminal), 0 never, 1 always */
    int from_stdin;            /* --stdin */
} query_args;

static int query_opt(cli_args *a, int key, void *payload)
{
    query_args *q = payload;
    int rc = cli_search_opt(a, key, &q->so);
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    if (key == OPT_JSON)
        q->json = 1;
    else if (key == OPT_NO_SNIPPET)
        q->snippets = 0;
    else if (key == OPT_IDS) {
        q->ids = 1;
        q->snippets = 0;
        q->so.flags |= NI_SEARCH_IDS_ONLY;
    }
    else if (key == OPT_FACETS)
        q->facets = a->value;
    else if (key == OPT_STDIN)
        q->from_stdin = 1;
    else if (key == OPT_COLOR) {
        if (strcmp(a->value, "auto") == 0)
            q->color = -1;
        else if (strcmp(a->value, "always") == 0)
            q->color = 1;
        else if (strcmp(a->value, "never") == 0)
            q->color = 0;
        else {
            cli_usage_error(a, "--color must be auto, always or never");
            return -1;
        }
    }
    return 0;
}

/* Prints each hit (with its snippet unless q says not to; its id alone with
 * --ids) and counts them in *returned; returns 0 or the error that stopped
 * the hits. */
static int print_hits(ni_hits *hits, const query_args *q, size_t *returned)
{
    out_colours c;
    ni_hit h;
    int rc;

    out_colours_init(&c, !q->json && (q->color < 0 ? out_use_colour(stdout) : q->color));
    while ((rc = ni_hits_next(hits, &h)) == 0) {
        ni_snippet snip, *sn = NULL;
        ++*returned;
        if (q->snippets) {
            if ((rc = ni_hits_snippet(&snip, hits, 0)) < 0)
                return rc;
            sn = &snip;
        }
        if (q->ids && !q->json) {
            out_text(stdout, h.id, h.id_len, 0);
            fputc('\n', stdout);
        } else if (!q->json) {
            ni_snippet title, *t = NULL;
            if (*c.mark) {
                if ((rc = ni_hits_title(&title, hits)) < 0)
                    return rc;
                t = &title;
            }
            print_hit_human(&h, ni_hits_is_partial(hits), ni_hits_duplicates(hits), t, sn, &c);
        }
        else if ((rc = print_hit_json(stdout, hits, &h, ni_hits_is_partial(hits), sn)) < 0)
            return rc;
        else
            fputc('\n', stdout);
    }
    return rc == NI_DONE ? 0 : rc;
}

/* The rescue's rewrites as lines on stderr: "showing results for «...»
 * (keyboard layout); search for ... exactly: --exact" when the query was
 * rewritten, "did you mean «...»?" for a suggestion. */
static void print_rescue_human(ni_hits *hits, const char *query)
{
    size_t n = ni_hits_rewrites(hits), i, len;
    const char *searched = ni_hits_searched(hits, &len);
    for (i = 0; i < n; i++) {
        ni_rewrite w;
        if (ni_hits_rewrite(hits, i, &w) == 0 && w.suggested)
            fprintf(stderr, "did you mean \u00ab%.*s\u00bb (%s) for %.*s?\n", (int)w.to_len,
                    w.to, cli_rescue_kind(w.kind), (int)w.from_len, w.from);
    }
    if (!searched)
        return;
    fprintf(stderr, "showing results for \u00ab%.*s\u00bb (", (int)len, searched);
    for (i = 0; i < n; i++) {
        ni_rewrite w;
        if (ni_hits_rewrite(hits, i, &w) == 0 && !w.suggested)
            fprintf(stderr, "%s%.*s \u2192 %.*s, %s", i ? "; " : "", (int)w.from_len, w.from,
                    (int)w.to_len, w.to, cli_rescue_kind(w.kind));
    }
    fprintf(stderr, "); search for %s exactly: --exact\n", query);
}

/* The library's notice about the query on stderr, then the summary: a JSON
 * line on stdout, or "N hits of M (mode) in X ms" on stderr. */
static void print_summary(ni_hits *hits, const query_args *q, const char *query,
                          size_t returned, double ms, const ni_facets *facets)
{
    uint64_t total = ni_hits_total(hits), partial = ni_hits_partial_total(hits), examined;
    uint64_t stories = ni_hits_stories(hits, &examined);
    char more[64] = "", among[80] = "";
    const char *mode = ni_hits_mode(hits);
    const char *notice = ni_hits_notice(hits), *why = ni_hits_why_none(hits);
    if (notice)
        cli_error("note: %s", notice);
    if (q->json) {
        fputc('{', stdout);
        cli_summary_json_members(stdout, hits, returned, ms, facets);
        fputs("}\n", stdout);
    } else {
        print_rescue_human(hits, query);
        if (why)
            fprintf(stderr, "nothing found: %s\n", why);
        if (partial)
            snprintf(more, sizeof more, " and %llu partial %s", (unsigned long long)partial,
                     partial == 1 ? "match" : "matches");
        if (stories < examined)
            snprintf(among, sizeof among, ", %llu %s in the first %llu",
                     (unsigned long long)stories, stories == 1 ? "story" : "stories",
                     (unsigned long long)examined);
        fprintf(stderr, "%zu %s of %llu (%s)%s%s in %.3f ms\n", returned,
                returned == 1 ? "hit" : "hits", (unsigned long long)total,
                mode, more, among, ms);
    }
}

/* The sharded index of this run (ni_shardset), or NULL: idx is searched. */
static ni_shardset *shardset;

/* ni_search, or on a sharded index ni_shardset_search. */
static int db_search(ni_hits **out, ni_index *idx, const char *query, size_t len,
                     const ni_search_options *so)
{
    return shardset ? ni_shardset_search(out, shardset, query, len, so)
                    : ni_search(out, idx, query, len, so);
}

/* Runs query on the index db and prints the hits; returns the exit code. */
static int run_query(ni_index *idx, const char *db, const char *query, const query_args *q)
{
    ni_hits *hits = NULL;
    ni_facets *facets = NULL;
    size_t returned = 0;
    int ret = EXIT_ERROR;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = db_search(&hits, idx, query, strlen(query), &q->so);
    if (rc == NI_ESYNTAX || rc == NI_ELIMIT) {
        cli_bad_query(query, rc);
        goto cleanup;
    }
    if (rc != 0) {
        cli_error("cannot search '%s': %s", db, cli_errdetail(rc));
        goto cleanup;
    }
    if (q->facets && (rc = ni_hits_facets(&facets, hits, q->facets, strlen(q->facets))) < 0) {
        if (rc == NI_EINVAL)
            cli_error("bad --facets '%s': %s", q->facets, cli_errdetail(rc));
        else
            cli_error("cannot count facets in '%s': %s", db, cli_errdetail(rc));
        goto cleanup;
    }
    rc = print_hits(hits, q, &returned);
    if (rc == 0 && facets && !q->json)
        cli_facets_human(stdout, facets);
    double ms = out_elapsed(&t0) * 1e3;
    if (rc < 0) {
        cli_error("cannot read hits from '%s': %s", db, cli_errdetail(rc));
        goto cleanup;
    }
    if (!q->json && fflush(stdout) != 0) {
        /* Do not claim hits in the summary that never reached stdout. */
        cli_error("cannot write output: %s", strerror(errno));
        goto cleanup;
    }
    print_summary(hits, q, query, returned, ms, facets);
    ret = ni_hits_total(hits) > 0 || ni_hits_partial_total(hits) > 0 ? EXIT_HITS : EXIT_NOHITS;

cleanup:
    ni_facets_free(facets);
    ni_hits_free(hits);
    return ret;
}

/* The longest line --stdin takes as a query (as nsearch serve's q). */
#define STDIN_QUERY_MAX 4096

/* The hits of q's search as the members of a JSON array, into f. */
static int hits_json(FILE *f, ni_hits *hits, const query_args *q, size_t *returned)
{
    ni_hit h;
    int rc;
    while ((rc = ni_hits_next(hits, &h)) == 0) {
        ni_snippet snip;
        if (q->snippets && (rc = ni_hits_snippet(&snip, hits, 0)) < 0)
            return rc;
        if ((*returned)++)
            fputc(',', f);
        if ((rc = print_hit_json(f, hits, &h, ni_hits_is_partial(hits),
                                 q->snippets ? &snip : NULL)) < 0)
            return rc;
    }
    return rc == NI_DONE ? 0 : rc;
}

/* One line of --stdin: its JSON object on stdout; EXIT_HITS, EXIT_NOHITS,
 * or EXIT_ERROR with {"line","query","error"} and the reason on stderr. */
static int stdin_line(ni_index *idx, const query_args *q, size_t line, const char *s,
                      size_t len)
{
    ni_hits *hits = NULL;
    ni_facets *facets = NULL;
    char *buf = NULL, err[256] = "", echo[CLI_ECHO_SIZE];
    size_t blen = 0, returned = 0;
    FILE *mem = NULL;
    struct timespec t0;
    int rc, ret = EXIT_ERROR;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (len > STDIN_QUERY_MAX) {
        snprintf(err, sizeof err, "query longer than %d bytes", STDIN_QUERY_MAX);
        goto cleanup;
    }
    if ((rc = db_search(&hits, idx, s, len, &q->so)) < 0 ||
        (q->facets && (rc = ni_hits_facets(&facets, hits, q->facets, strlen(q->facets))) < 0)) {
        snprintf(err, sizeof err, "%s", cli_errdetail(rc));
        goto cleanup;
    }
    if (!(mem = open_memstream(&buf, &blen))) {
        snprintf(err, sizeof err, "out of memory");
        goto cleanup;
    }
    rc = hits_json(mem, hits, q, &returned);
    if (fclose(mem) != 0 && rc == 0)
        rc = NI_ENOMEM;
    mem = NULL;
    if (rc < 0) {
        snprintf(err, sizeof err, "%s", cli_errdetail(rc));
        goto cleanup;
    }
    fputc('{', stdout);
    cli_summary_json_members(stdout, hits, returned, out_elapsed(&t0) * 1e3, facets);
    fprintf(stdout, ",\"line\":%zu", line);
    out_json_key_str(stdout, "query", s, len);
    fputs(",\"hits\":[", stdout);
    fwrite(buf, 1, blen, stdout);
    fputs("]}\n", stdout);
    ret = ni_hits_total(hits) > 0 || ni_hits_partial_total(hits) > 0 ? EXIT_HITS : EXIT_NOHITS;

cleanup:
    if (ret == EXIT_ERROR) {
        cli_error("stdin:%zu: %s: '%s'", line, err, cli_echo(echo, sizeof echo, s, len));
        fprintf(stdout, "{\"line\":%zu", line);
        out_json_key_str(stdout, "query", s, len > STDIN_QUERY_MAX ? STDIN_QUERY_MAX : len);
        out_json_key_str(stdout, "error", err, strlen(err));
        fputs("}\n", stdout);
    }
    free(buf);
    ni_facets_free(facets);
    ni_hits_free(hits);
    return ret;
}

/* --stdin: every line of standard input searched on idx (a final line
 * without a newline too, a CR before the newline dropped); the exit code
 * (top comment). */
static int run_stdin(ni_index *idx, const query_args *q)
{
    char *s = NULL;
    size_t cap = 0, line = 0;
    ssize_t n;
    int any_hits = 0, failed = 0, rc;

    while ((n = getline(&s, &cap, stdin)) >= 0) {
        size_t len = (size_t)n;
        line++;
        if (len && s[len - 1] == '\n')
            len--;
        if (len && s[len - 1] == '\r')
            len--;
        rc = stdin_line(idx, q, line, s, len);
        any_hits |= rc == EXIT_HITS;
        failed |= rc == EXIT_ERROR;
    }
    if (ferror(stdin)) {
        cli_error("cannot read standard input: %s", strerror(errno));
        failed = 1;
    }
    free(s);
    if (fflush(stdout) != 0) {
        cli_error("cannot write output: %s", strerror(errno));
        failed = 1;
    }
    return failed ? EXIT_ERROR : any_hits ? EXIT_HITS : EXIT_NOHITS;
}

int cmd_query(int argc, char **argv)
{
    query_args q = { NI_SEARCH_OPTIONS_INIT, 0, 1, 0, NULL, -1, 0 };
    cli_list args;
    cli_args a;
    ni_index *idx = NULL;
    char *query = NULL;
    int ret;

    if ((ret = cli_list_args(&args, argc, argv, opts, usage, NULL, query_opt, &q)) != -1)
        return ret;
    ret = EXIT_ERROR;
    cli_args_init(&a, argc, argv, opts, usage);
    if (!q.from_stdin && args.n == 0) {
        cli_usage_error(&a, "no query given");
        goto cleanup;
    }
    if (q.from_stdin && args.n > 0) {
        cli_usage_error(&a, "--stdin reads the queries from standard input: no QUERY "
                        "arguments");
        goto cleanup;
    }
    if (cli_is_sharded(args.db)) {
        ni_open_options oo = NI_OPEN_OPTIONS_INIT;
        int rc;
        oo.flags = NI_OPEN_READONLY;
        if ((rc = ni_shardset_open(&shardset, args.db, 0, &oo)) < 0) {
            cli_error("cannot open sharded index '%s': %s", args.db, cli_errdetail(rc));
            goto cleanup;
        }
    } else if (cli_open_index(&idx, args.db, NI_OPEN_READONLY) != 0)
        goto cleanup;
    if (q.from_stdin) {
        ret = run_stdin(idx, &q);
        goto cleanup;
    }
    query = join_words(args.items, args.n);
    if (!query) {
        cli_error("out of memory");
        goto cleanup;
    }
    ret = run_query(idx, args.db, query, &q);

cleanup:
    ni_index_close(idx);
    ni_shardset_close(shardset);
    shardset = NULL;
    free(query);
    cli_list_free(&args);
    return ret;
}
