/*
 * cmd_analyze.c - "nsearch analyze TEXT...": the tokens the analyzer makes
 * of a text, as an index and a query see them (ni_analyzer_*), to see why
 * a word does or does not match.  No index is opened.
 *
 * One line per token, tab-separated: position, byte offsets start-end in
 * the text, the word as written, the indexed term, the normalised form,
 * and the token's flags (comma-separated; "-" for none).  A name key is
 * shown without its one-byte prefix, flagged "name" (capitalised in the
 * middle of a sentence) or "maybe-name" (at a sentence start, or in
 * capitals).  With --json, one
 * object per token, then a summary {"tokens":N,"positions":M}.  TEXT
 * arguments are joined by single spaces (the offsets count in that text);
 * "-" reads the text from standard input instead.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: " CLI_PROG " analyze [options] TEXT...\n"
    "\n"
    "Prints the tokens the analyzer makes of TEXT (the words joined by\n"
    "spaces; '-' reads standard input), one a line: position, byte offsets\n"
    "start-end, the word as written, the indexed term, the normalised form,\n"
    "and flags (number, compound, part, latin, function, name, maybe-name),\n"
    "tab-separated.  A word written with a capital has a name key too (the\n"
    "word less its case ending), flagged name or maybe-name.\n"
    "Exit status 0 with tokens, 1 without.\n"
    "\n"
    "      --json        one JSON object per token, then a summary\n"
    "  -h, --help        show this help\n";

enum { OPT_JSON = 1 };

static const cli_opt opts[] = {
    { "--json", OPT_JSON, 0 },
    { NULL, 0, 0 },
};

static const struct {
    unsigned bit;
    const char *name;
} flag_names[] = {
    { NI_TOKEN_NUMBER, "number" },
    { NI_TOKEN_COMPOUND, "compound" },
    { NI_TOKEN_PART, "part" },
    { NI_TOKEN_LATIN, "latin" },
    { NI_TOKEN_FUNCTION, "function" },
};

#define NFLAGS (sizeof flag_names / sizeof flag_names[0])

/* The text to analyse: the positional arguments joined by spaces, or all
 * of standard input for "-".  NULL (message printed) on failure. */
static char *gather(const char **items, int n, size_t *len)
{
    char *s;
    size_t cap = 1, k;
    int i;

    if (n == 1 && strcmp(items[0], "-") == 0) {
        size_t got;
        *len = 0;
        cap = 1 << 16;
        if (!(s = malloc(cap)))
            goto nomem;
        while ((got = fread(s + *len, 1, cap - *len, stdin)) > 0) {
            *len += got;
            if (*len == cap) {
                char *t = realloc(s, cap *= 2);
                if (!t) {
                    free(s);
                    goto nomem;
                }
                s = t;
            }
        }
        if (ferror(stdin)) {
            cli_error("cannot read standard input");
            free(s);
            return NULL;
        }
        return s;
    }
    for (i = 0; i < n; i++)
        cap += strlen(items[i]) + 1;
    if (!(s = malloc(cap)))
        goto nomem;
    for (k = 0, i = 0; i < n; i++) {
        size_t m = strlen(items[i]);
        if (i)
            s[k++] = ' ';
        memcpy(s + k, items[i], m);
        k += m;
    }
    *len = k;
    return s;
nomem:
    cli_error("out of memory");
    return NULL;
}

static void print_flags(const ni_token *t, int json)
{
    const char *sep = "";
    size_t i;
    if (json)
        fputc('[', stdout);
    for (i = 0; i < NFLAGS; i++) {
        if (!(t->flags & flag_names[i].bit))
            continue;
        printf(json ? "%s\"%s\"" : "%s%s", sep, flag_names[i].name);
        sep = ",";
    }
    if ((t->flags & NI_TOKEN_NAME) && t->term_len) {
        printf(json ? "%s\"%s\"" : "%s%s", sep,
               t->term[0] == NI_NAME_MID ? "name" : "maybe-name");
        sep = ",";
    }
    if (json)
        fputc(']', stdout);
    else if (!*sep)
        fputc('-', stdout);
}

static void print_token(const ni_token *t, const char *text, int json)
{
    /* a name key without its prefix byte (print_flags tells which) */
    int name = (t->flags & NI_TOKEN_NAME) && t->term_len;
    const char *term = t->term + name;
    size_t term_len = t->term_len - (size_t)name;

    if (json) {
        printf("{\"position\":%u,\"start\":%zu,\"end\":%zu,\"text\":", t->position,
               t->start, t->end);
        out_json_str(stdout, text + t->start, t->end - t->start);
        fputs(",\"term\":", stdout);
        out_json_str(stdout, term, term_len);
        fputs(",\"norm\":", stdout);
        out_json_str(stdout, t->norm, t->norm_len);
        fputs(",\"flags\":", stdout);
        print_flags(t, 1);
        fputs("}\n", stdout);
        return;
    }
    printf("%u\t%zu-%zu\t", t->position, t->start, t->end);
    out_text(stdout, text + t->start, t->end - t->start, 0);
    fputc('\t', stdout);
    out_text(stdout, term, term_len, 0);
    fputc('\t', stdout);
    out_text(stdout, t->norm, t->norm_len, 0);
    fputc('\t', stdout);
    print_flags(t, 0);
    fputc('\n', stdout);
}

/* The positional arguments, in argv (no copies): NULL after printing a
 * usage error or the help (*rc is the exit code then). */
static const char **parse(int argc, char **argv, int *n, int *json, int *rc)
{
    const char **items = malloc((size_t)argc * sizeof *items);
    cli_args a;
    int key;

    *n = 0;
    if (!items) {
        cli_error("out of memory");
        *rc = EXIT_ERROR;
        return NULL;
    }
    cli_args_init(&a, argc, argv, opts, usage);
    while ((key = cli_next(&a)) != -1) {
        if (key == -2 || key == OPT_HELP) {
            *rc = key == OPT_HELP ? 0 : EXIT_ERROR;
            free(items);
            return NULL;
        }
        if (key == OPT_JSON)
            *json = 1;
        else
            items[(*n)++] = a.pos;
    }
    if (*n == 0) {
        *rc = cli_usage_error(&a, "no text given");
        free(items);
        return NULL;
    }
    return items;
}

int cmd_analyze(int argc, char **argv)
{
    ni_analyzer *an = NULL;
    const char **items;
    ni_token tok;
    char *text;
    size_t len = 0, ntok = 0;
    int json = 0, n, rc = 0;

    if (!(items = parse(argc, argv, &n, &json, &rc)))
        return rc;
    text = gather(items, n, &len);
    free(items);
    if (!text)
        return EXIT_ERROR;
    if ((rc = ni_analyzer_new(&an)) == 0 && (rc = ni_analyzer_start(an, text, len, 0)) == 0) {
        while ((rc = ni_analyzer_next(an, &tok)) == 0) {
            print_token(&tok, text, json);
            ntok++;
        }
        if (rc == NI_DONE)
            rc = 0;
    }
    if (rc < 0)
        cli_error("cannot analyse the text: %s", cli_errdetail(rc));
    else if (json)
        printf("{\"tokens\":%zu,\"positions\":%u}\n", ntok, ni_analyzer_end_position(an));
    ni_analyzer_free(an);
    free(text);
    if (rc < 0)
        return EXIT_ERROR;
    return ntok ? 0 : EXIT_NOHITS;
}
