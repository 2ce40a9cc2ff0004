/*
 * cmd_explain.c - "nsearch explain DB QUERY... ID": how the document with
 * id ID fares with QUERY (ni_explain): whether it matches, fully or as a
 * partial match, its score and rank, what each query term adds, or why it
 * does not match.  The query and the options are those of "nsearch query".
 *
 * Human output: a block of "name value" lines (document, match, score,
 * rank, mode, the document's lengths and the BM25F parameters), a table
 * with a row per query term (the query part, the indexed term, its kind,
 * field, frequencies in title and body, df, idf and score; "-" for a term
 * the score does not count) ending with the proximity bonus (when there is
 * one) and the total, then the reasons, one a line.  --json prints one object with the same.  Exit 0 when the
 * document matches (fully or partly), 1 when it does not or there is no
 * such document, 2 on an error.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "utf8.h"

static const char usage[] =
    "usage: " CLI_PROG " explain DB QUERY... ID [options]\n"
    "\n"
    "Explains how the document with id ID fares with QUERY in the index in\n"
    "directory DB: whether it matches, its score and rank, what each query term\n"
    "adds to the score (its frequencies in the title and body, df, idf), or why\n"
    "it does not match.  The last argument is the id; the QUERY arguments before\n"
    "it are joined with spaces.  Exit status 0 when the document matches (also\n"
    "as a partial match), 1 when it does not or there is no such document.\n"
    "\n"
    "  -n, --limit K     look for its rank among the first K hits (default 100)\n"
    "      --offset N    ... after skipping N (default 0)\n"
    "      --or          match any of the words instead of all of them\n"
    "      --all-words   require every word even in a long query; no partial\n"
    "                    matches\n"
    "      --no-partial  no partial matches\n"
    "      --sort ORDER  relevance (default) or date: the order of the rank\n"
    "      --exact       search every word as typed (no query rescue)\n"
    "      --no-collapse rank among documents, near copies not folded into\n"
    "                    the hit they repeat (the rank counts stories otherwise)\n"
    "      --json        one JSON object\n"
    CLI_FRESH_HELP
    "  -h, --help        show this help\n";

enum { OPT_JSON = 1 };

static const cli_opt opts[] = {
    CLI_SEARCH_OPTS,
    { "--json", OPT_JSON, 0 },
    { NULL, 0, 0 },
};

typedef struct explain_args {
    ni_search_options so;
    int json;
} explain_args;

static int explain_opt(cli_args *a, int key, void *payload)
{
    explain_args *e = payload;
    int rc = cli_search_opt(a, key, &e->so);
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    if (key == OPT_JSON)
        e->json = 1;
    return 0;
}

static const char *const match_names[] = { "none", "full", "partial" };
static const char *const kind_names[] = { "?", "word", "form", "alternate", "phrase",
                                          "prefix", "name" };

/* A term line's kind as shown: a name key at sentence starts is
 * "name-start" (NI_NAME_START), an unknown kind "alternate". */
static const char *kind_of(const ni_explain_term *t)
{
    if (t->kind == NI_EXPLAIN_NAME && t->term_len && t->term[0] == NI_NAME_START)
        return "name-start";
    if (t->kind < 1 || (size_t)t->kind >= sizeof kind_names / sizeof kind_names[0])
        return "alternate";
    return kind_names[t->kind];
}

/* A term line's term as shown: a name key without its prefix byte. */
static void term_of(const ni_explain_term *t, const char **s, size_t *len)
{
    int name = t->kind == NI_EXPLAIN_NAME && t->term_len;
    *s = t->term + name;
    *len = t->term_len - (size_t)name;
}
static const char *const why_names[] = { "?", "lacks", "excluded", "date", "rubric",
                                         "too_few", "none_of", "empty" };

#define NAME(names, i) \
    ((i) >= 0 && (size_t)(i) < sizeof names / sizeof names[0] ? names[i] : names[0])

/* ---- JSON -------------------------------------------------------------- */

static void print_doc_json(const ni_explain_doc *d)
{
    printf(",\"doc\":{\"title_len\":%u,\"body_len\":%u", d->len_title, d->len_body);
    out_json_key_date(stdout, "date", d->date, 0, 0);
    fputs(",\"avg_title_len\":", stdout);
    out_json_num(stdout, d->avg_title);
    fputs(",\"avg_body_len\":", stdout);
    out_json_num(stdout, d->avg_body);
    printf(",\"docs\":%llu,\"k1\":", (unsigned long long)d->docs);
    out_json_num(stdout, d->k1);
    fputs(",\"b\":", stdout);
    out_json_num(stdout, d->b);
    fputs(",\"title_weight\":", stdout);
    out_json_num(stdout, d->title_weight);
    fputs(",\"lead_weight\":", stdout);
    out_json_num(stdout, d->lead_weight);
    fputc('}', stdout);
}

static void print_json(const ni_explanation *ex, const char *id, const char *query)
{
    ni_explain_doc d;
    size_t i;

    fputs("{\"id\":", stdout);
    out_json_str(stdout, id, strlen(id));
    out_json_key_str(stdout, "query", query, strlen(query));
    printf(",\"match\":\"%s\",\"score\":", NAME(match_names, ni_explanation_match(ex)));
    if (ni_explanation_match(ex) == NI_EXPLAIN_NO_MATCH) {
        fputs("null,\"proximity\":null", stdout);
    } else {
        out_json_num(stdout, ni_explanation_score(ex));
        fputs(",\"proximity\":", stdout);
        out_json_num(stdout, ni_explanation_proximity(ex));
        if (ni_explanation_freshness(ex) != 1) {
            fputs(",\"freshness\":", stdout);
            out_json_num(stdout, ni_explanation_freshness(ex));
        }
    }
    if (ni_explanation_rank(ex))
        printf(",\"rank\":%zu", ni_explanation_rank(ex));
    else
        fputs(",\"rank\":null", stdout);
    out_json_key_str(stdout, "mode", ni_explanation_mode(ex), strlen(ni_explanation_mode(ex)));
    ni_explanation_doc(&d, ex);
    print_doc_json(&d);
    fputs(",\"terms\":[", stdout);
    for (i = 0; i < ni_explanation_term_count(ex); i++) {
        ni_explain_term t;
        const char *term;
        size_t term_len;
        if (ni_explanation_term(&t, ex, i) < 0)
            break;
        fputs(i ? ",{\"query\":" : "{\"query\":", stdout);
        out_json_str(stdout, t.query, t.query_len);
        term_of(&t, &term, &term_len);
        out_json_key_str(stdout, "term", term, term_len);
        printf(",\"kind\":\"%s\",\"field\":\"%s\",\"tf_title\":%u,\"tf_body\":%u,"
               "\"lead\":%s,\"df\":%u,\"idf\":", kind_of(&t), t.title_only ? "title" : "any",
               t.tf_title, t.tf_body, t.lead ? "true" : "false", t.df);
        out_json_num(stdout, t.idf);
        printf(",\"counted\":%s,\"score\":", t.counted ? "true" : "false");
        out_json_num(stdout, t.score);
        fputc('}', stdout);
    }
    fputs("],\"reasons\":[", stdout);
    for (i = 0; i < ni_explanation_reason_count(ex); i++) {
        ni_explain_reason r;
        if (ni_explanation_reason(&r, ex, i) < 0)
            break;
        printf("%s{\"kind\":\"%s\"", i ? "," : "", NAME(why_names, r.kind));
        out_json_key_str(stdout, "query", r.query, r.query_len);
        if (r.kind == NI_WHY_TOO_FEW)
            printf(",\"held\":%zu,\"needed\":%zu,\"of\":%zu", r.held, r.needed, r.of);
        fputc('}', stdout);
    }
    fputs("]}\n", stdout);
}

/* ---- text -------------------------------------------------------------- */

/* Characters out_text writes for s[0..n) (an invalid byte is one). */
static size_t width(const char *s, size_t n)
{
    size_t i = 0, w = 0, len;
    while (i < n) {
        len = utf8_seq_len((const unsigned char *)s + i, n - i);
        i += len ? len : 1;
        w++;
    }
    return w;
}

/* s[0..n) for a terminal, padded with spaces to w characters. */
static void cell(const char *s, size_t n, size_t w)
{
    size_t have = width(s, n);
    out_text(stdout, s, n, 0);
    while (have++ < w)
        fputc(' ', stdout);
}

#define NCOLS 10
static const char *const heads[NCOLS] = { "query", "term", "kind", "field", "tf:title",
                                          "tf:body", "lead", "df", "idf", "score" };

/* The cells of a term row: text columns 0-3 point into t, numbers into
 * buf. */
static void row(const ni_explain_term *t, char buf[6][32], const char *cells[NCOLS],
                size_t lens[NCOLS])
{
    cells[0] = t->query, lens[0] = t->query_len;
    term_of(t, &cells[1], &lens[1]);
    cells[2] = kind_of(t);
    cells[3] = t->title_only ? "title" : "any";
    snprintf(buf[0], sizeof buf[0], "%u", t->tf_title);
    snprintf(buf[1], sizeof buf[1], "%u", t->tf_body);
    snprintf(buf[2], sizeof buf[2], "%s", t->lead ? "yes" : "-");
    snprintf(buf[3], sizeof buf[3], "%u", t->df);
    snprintf(buf[4], sizeof buf[4], "%.4f", t->idf);
    if (t->counted)
        snprintf(buf[5], sizeof buf[5], "%.4f", t->score);
    else
        snprintf(buf[5], sizeof buf[5], "-");
    for (int k = 2; k < NCOLS; k++) {
        if (k >= 4)
            cells[k] = buf[k - 4];
        lens[k] = strlen(cells[k]);
    }
}

/* The table of term rows, columns aligned (text left, numbers right),
 * the proximity bonus when there is one, and the total. */
static void print_terms(const ni_explanation *ex)
{
    size_t n = ni_explanation_term_count(ex), w[NCOLS], lens[NCOLS], i;
    const char *cells[NCOLS];
    char buf[6][32], total[32], prox[32];
    ni_explain_term t;
    int k;

    snprintf(total, sizeof total, "%.4f", ni_explanation_score(ex));
    snprintf(prox, sizeof prox, "%.4f", ni_explanation_proximity(ex));
    for (k = 0; k < NCOLS; k++)
        w[k] = strlen(heads[k]);
    if (ni_explanation_match(ex) != NI_EXPLAIN_NO_MATCH && strlen(total) > w[NCOLS - 1])
        w[NCOLS - 1] = strlen(total);
    if (ni_explanation_proximity(ex) != 0 && strlen(prox) > w[NCOLS - 1])
        w[NCOLS - 1] = strlen(prox);
    for (i = 0; i < n && ni_explanation_term(&t, ex, i) == 0; i++) {
        row(&t, buf, cells, lens);
        for (k = 0; k < NCOLS; k++)
            if (width(cells[k], lens[k]) > w[k])
                w[k] = width(cells[k], lens[k]);
    }
    fputc('\n', stdout);
    for (k = 0; k < NCOLS; k++)
        printf(k < 4 ? "%-*s%s" : "%*s%s", (int)w[k], heads[k], k + 1 < NCOLS ? "  " : "\n");
    for (i = 0; i < n && ni_explanation_term(&t, ex, i) == 0; i++) {
        row(&t, buf, cells, lens);
        for (k = 0; k < NCOLS; k++) {
            if (k < 4)
                cell(cells[k], lens[k], w[k]);
            else
                printf("%*s", (int)w[k], cells[k]);
            fputs(k + 1 < NCOLS ? "  " : "\n", stdout);
        }
    }
    if (ni_explanation_match(ex) != NI_EXPLAIN_NO_MATCH) {
        size_t left = 0;
        for (k = 0; k + 1 < NCOLS; k++)
            left += w[k] + 2;
        if (ni_explanation_proximity(ex) != 0)
            printf("%*s%*s\n", (int)(left - 2), "proximity  ", (int)w[NCOLS - 1], prox);
        if (ni_explanation_freshness(ex) != 1)
            printf("%*s%*.4f\n", (int)(left - 2), "times freshness  ", (int)w[NCOLS - 1],
                   ni_explanation_freshness(ex));
        printf("%*s%*s\n", (int)(left - 2), "total  ", (int)w[NCOLS - 1], total);
    }
}

static void print_reason(const ni_explain_reason *r, const ni_explain_doc *d)
{
    char date[NI_DATE_BUF];
    switch (r->kind) {
    case NI_WHY_LACKS:
        fputs("lacks ", stdout);
        break;
    case NI_WHY_EXCLUDED:
        fputs("excluded by ", stdout);
        break;
    case NI_WHY_DATE:
        if (d->date == NI_DATE_NONE)
            fputs("has no date for ", stdout);
        else
            printf("date %s is outside ", out_date(date, sizeof date, d->date, 0, 0));
        break;
    case NI_WHY_RUBRIC:
        fputs("not in ", stdout);
        break;
    case NI_WHY_TOO_FEW:
        printf("holds %zu of the %zu words, needs %zu: ", r->held, r->of, r->needed);
        break;
    case NI_WHY_NONE_OF:
        fputs("holds none of ", stdout);
        break;
    case NI_WHY_EMPTY:
        fputs("nothing to search in ", stdout);
        break;
    default:
        fputs("does not match ", stdout);
    }
    out_text(stdout, r->query, r->query_len, 0);
    fputc('\n', stdout);
}

static void print_human(const ni_explanation *ex, const char *id, const char *query,
                        const ni_search_options *so)
{
    int match = ni_explanation_match(ex);
    ni_explain_doc d;
    char date[NI_DATE_BUF];
    size_t i;

    ni_explanation_doc(&d, ex);
    fputs("document  ", stdout);
    out_text(stdout, id, strlen(id), 0);
    fputs("\nquery     ", stdout);
    out_text(stdout, query, strlen(query), 0);
    printf("\nmode      %s\nmatch     %s\n", ni_explanation_mode(ex),
           match == NI_EXPLAIN_FULL      ? "full"
           : match == NI_EXPLAIN_PARTIAL ? "partial (holds only some of the words)"
                                         : "none");
    if (match != NI_EXPLAIN_NO_MATCH)
        printf("score     %.4f\n", ni_explanation_score(ex));
    if (ni_explanation_rank(ex))
        printf("rank      %zu\n", ni_explanation_rank(ex));
    else
        printf("rank      not among the first %zu %s\n", so->offset + so->limit,
               so->offset + so->limit == 1 ? "hit" : "hits");
    printf("date      %s\n", d.date == NI_DATE_NONE ? "none" : out_date(date, sizeof date, d.date, 0, 0));
    printf("lengths   title %u, body %u (averages %.2f, %.2f over %llu documents)\n",
           d.len_title, d.len_body, d.avg_title, d.avg_body, (unsigned long long)d.docs);
    printf("bm25f     k1 %g, b %g, title weight %g, lead weight %g\n", d.k1, d.b,
           d.title_weight, d.lead_weight);
    if (ni_explanation_term_count(ex))
        print_terms(ex);
    if (ni_explanation_reason_count(ex))
        fputc('\n', stdout);
    for (i = 0; i < ni_explanation_reason_count(ex); i++) {
        ni_explain_reason r;
        if (ni_explanation_reason(&r, ex, i) == 0) {
            fputs(i ? "          " : match == NI_EXPLAIN_PARTIAL ? "partial   " : "why not   ",
                  stdout);
            print_reason(&r, &d);
        }
    }
}

/* Joins words with single spaces into a fresh string (NULL: no memory). */
static char *join(const char *const *words, int n)
{
    size_t len = 1, at = 0;
    char *s;
    int i;
    for (i = 0; i < n; i++)
        len += strlen(words[i]) + 1;
    if (!(s = malloc(len)))
        return NULL;
    for (i = 0; i < n; i++) {
        size_t w = strlen(words[i]);
        if (i)
            s[at++] = ' ';
        memcpy(s + at, words[i], w);
        at += w;
    }
    s[at] = '\0';
    return s;
}

int cmd_explain(int argc, char **argv)
{
    explain_args e = { NI_SEARCH_OPTIONS_INIT, 0 };
    ni_explanation *ex = NULL;
    ni_index *idx = NULL;
    char *query = NULL;
    const char *id;
    cli_list args;
    char echo[CLI_ECHO_SIZE];
    int ret, rc;

    e.so.limit = 100;
    if ((ret = cli_list_args(&args, argc, argv, opts, usage, "no query given", explain_opt,
                             &e)) != -1)
        return ret;
    ret = EXIT_ERROR;
    if (args.n < 2) {
        cli_args a;
        cli_args_init(&a, argc, argv, opts, usage);
        cli_usage_error(&a, "no document id given (the last argument is the id)");
        goto cleanup;
    }
    id = args.items[args.n - 1];
    if (!(query = join(args.items, args.n - 1))) {
        cli_error("out of memory");
        goto cleanup;
    }
    if (cli_open_index(&idx, args.db, NI_OPEN_READONLY) != 0)
        goto cleanup;
    rc = ni_explain(&ex, idx, query, strlen(query), id, strlen(id), &e.so);
    if (rc == NI_ENOTFOUND) {
        cli_error("no document '%s' in '%s'", cli_echo(echo, sizeof echo, id, strlen(id)), args.db);
        ret = EXIT_NOHITS;
        goto cleanup;
    }
    if (rc == NI_ESYNTAX || rc == NI_ELIMIT) {
        cli_bad_query(query, rc);
        goto cleanup;
    }
    if (rc != 0) {
        cli_error("cannot explain '%s' in '%s': %s", cli_echo(echo, sizeof echo, id, strlen(id)), args.db,
                  cli_errdetail(rc));
        goto cleanup;
    }
    if (e.json)
        print_json(ex, id, query);
    else
        print_human(ex, id, query, &e.so);
    ret = ni_explanation_match(ex) != NI_EXPLAIN_NO_MATCH ? EXIT_HITS : EXIT_NOHITS;

cleanup:
    ni_explanation_free(ex);
    ni_index_close(idx);
    free(query);
    cli_list_free(&args);
    return ret;
}
