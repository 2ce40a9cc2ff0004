/*
 * args.c - option parsing shared by the nsearch subcommands (the whole
 * argument loop of the usual shapes: DB alone, DB and a fixed number of
 * arguments, DB and a list), error messages, and opening an index with the
 * CLI's error wording.
 *
 * Options may come before or after positional arguments (like git and
 * ripgrep); "--" ends options.  No global state: the parser is a struct the
 * subcommand owns.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"

static const cli_opt help_opt = { "-h|--help", OPT_HELP, 0 };

void cli_args_init(cli_args *a, int argc, char **argv, const cli_opt *opts,
                   const char *usage)
{
    a->argc = argc;
    a->argv = argv;
    a->i = 1;
    a->only_pos = 0;
    a->opts = opts;
    a->usage = usage;
    a->value = NULL;
    a->pos = NULL;
    a->optname[0] = '\0';
}

void cli_vmessage(int prefixed, const char *fmt, va_list ap)
{
    if (prefixed)
        fputs(CLI_PROG ": ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cli_vmessage(1, fmt, ap);
    va_end(ap);
}

int cli_usage_error(const cli_args *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cli_vmessage(1, fmt, ap);
    va_end(ap);
    /* Short usage: the first line of the help text and where to read more. */
    const char *nl = strchr(a->usage, '\n');
    int len = nl ? (int)(nl - a->usage) : (int)strlen(a->usage);
    fprintf(stderr, "%.*s\nTry '" CLI_PROG " %s --help' for more.\n", len,
            a->usage, a->argv[0]);
    return EXIT_ERROR;
}

/* 1 when the spelling name[0..len) is one of the '|'-separated names. */
static int names_match(const char *names, const char *name, size_t len)
{
    const char *p = names;
    while (*p) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n == len && memcmp(p, name, len) == 0)
            return 1;
        if (!bar)
            break;
        p = bar + 1;
    }
    return 0;
}

static const cli_opt *find_opt(const cli_opt *opts, const char *name,
                               size_t len)
{
    for (const cli_opt *o = opts; o && o->names; o++)
        if (names_match(o->names, name, len))
            return o;
    if (names_match(help_opt.names, name, len))
        return &help_opt;
    return NULL;
}

int cli_next(cli_args *a)
{
    a->value = NULL;
    a->pos = NULL;
    a->optname[0] = '\0';
    if (a->i >= a->argc)
        return -1;
    char *arg = a->argv[a->i++];
    if (a->only_pos || arg[0] != '-' || arg[1] == '\0') {
        a->pos = arg;
        return 0;
    }
    if (strcmp(arg, "--") == 0) {
        a->only_pos = 1;
        return cli_next(a);
    }

    const cli_opt *o;
    const char *inline_value = NULL;
    if (arg[1] == '-') {
        /* --name or --name=value */
        const char *eq = strchr(arg, '=');
        size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
        o = find_opt(a->opts, arg, len);
        if (!o) {
            cli_usage_error(a, "unknown option '%.*s'", (int)len, arg);
            return -2;
        }
        if (eq) {
            if (!o->has_arg) {
                cli_usage_error(a, "option '%.*s' takes no value", (int)len,
                                arg);
                return -2;
            }
            inline_value = eq + 1;
        }
    } else {
        /* -x or -xVALUE */
        o = find_opt(a->opts, arg, 2);
        if (!o || (arg[2] != '\0' && !o->has_arg)) {
            /* Likely a word such as a negated query term: say how to pass
             * it. */
            if (arg[2] != '\0')
                cli_usage_error(a, "unknown option '%s' (arguments that start "
                                "with '-' go after '--')", arg);
            else
                cli_usage_error(a, "unknown option '%s'", arg);
            return -2;
        }
        if (arg[2] != '\0') {
            inline_value = arg + 2;
        }
    }

    snprintf(a->optname, sizeof a->optname, "%.*s",
             arg[1] == '-' ? (int)strcspn(arg, "=") : 2, arg);
    if (o->key == OPT_HELP) {
        fputs(a->usage, stdout);
        return OPT_HELP;
    }
    if (o->has_arg) {
        if (inline_value) {
            a->value = inline_value;
        } else if (a->i < a->argc) {
            a->value = a->argv[a->i++];
        } else {
            cli_usage_error(a, "option '%s' needs a value", a->optname);
            return -2;
        }
    }
    return o->key;
}

int cli_parse_size(const cli_args *a, const char *s, size_t *out)
{
    const char *opt = a->optname;
    char *end;
    if (s[0] < '0' || s[0] > '9') {
        cli_usage_error(a, "option '%s' needs a number, not '%s'", opt, s);
        return -1;
    }
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end != '\0' || errno == ERANGE || v > SIZE_MAX) {
        cli_usage_error(a, "option '%s' needs a number, not '%s'", opt, s);
        return -1;
    }
    *out = (size_t)v;
    return 0;
}

const char *cli_errdetail(int rc)
{
    static _Thread_local char damaged[600];   /* nsearch serve calls it from its threads */
    const char *msg = ni_errmsg();
    if (!msg || !*msg)
        msg = ni_strerror(rc);
    if (rc != NI_ECORRUPT)
        return msg;
    snprintf(damaged, sizeof damaged, "index damaged: %s (run " CLI_PROG " check)", msg);
    return damaged;
}

/* --fresh HALF[,W]: a half-life of a number and h, d or w, and an
 * optional weight; 0 or -1 after a usage error. */
static int parse_fresh(const cli_args *a, const char *s, ni_search_options *so)
{
    char *end;
    double n = strtod(s, &end), unit, w = NI_FRESH_WEIGHT;
    switch (end > s ? *end : '\0') {
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    case 'w': unit = 7 * 86400; break;
    default: unit = 0; break;
    }
    if (unit > 0 && end[1] == ',') {
        const char *ws = end + 2;
        w = strtod(ws, &end);
        if (end == ws)
            end = (char *)"x";
    } else {
        end += unit > 0;
    }
    if (!unit || *end || !(n * unit >= 1 && n * unit <= 1e12) || !(w >= 0 && w <= 1)) {
        cli_usage_error(a, "--fresh wants a half-life and an optional weight from 0 to 1, "
                        "such as 48h, 7d or 2w,0.5, not '%s'", s);
        return -1;
    }
    so->fresh_half_life = n * unit;
    so->fresh_weight = w;
    return 0;
}

/* --fresh-ref DATE: a date ni_date_parse takes, or "now"; 0 or -1. */
static int parse_fresh_ref(const cli_args *a, const char *s, ni_search_options *so)
{
    if (strcmp(s, "now") == 0) {
        so->fresh_ref = (int64_t)time(NULL);
        return 0;
    }
    if (ni_date_parse(&so->fresh_ref, s, strlen(s)) == 0)
        return 0;
    cli_usage_error(a, "--fresh-ref wants a date (YYYY-MM-DD[THH:MM[:SS][+HH:MM]]) "
                    "or 'now', not '%s'", s);
    return -1;
}

int cli_search_opt(cli_args *a, int key, ni_search_options *so)
{
    switch (key) {
    case OPT_LIMIT:
        return cli_parse_size(a, a->value, &so->limit) < 0 ? -1 : 1;
    case OPT_OFFSET:
        return cli_parse_size(a, a->value, &so->offset) < 0 ? -1 : 1;
    case OPT_OR:
        so->default_or = 1;
        return 1;
    case OPT_ALL_WORDS:
        so->flags |= NI_SEARCH_ALL_WORDS;
        return 1;
    case OPT_NO_PARTIAL:
        so->flags |= NI_SEARCH_NO_PARTIAL;
        return 1;
    case OPT_EXACT:
        so->flags |= NI_SEARCH_EXACT;
        return 1;
    case OPT_FRESH:
        return parse_fresh(a, a->value, so) < 0 ? -1 : 1;
    case OPT_FRESH_REF:
        return parse_fresh_ref(a, a->value, so) < 0 ? -1 : 1;
    case OPT_NO_COLLAPSE:
        so->flags |= NI_SEARCH_NO_COLLAPSE;
        return 1;
    case OPT_SORT:
        if (strcmp(a->value, "relevance") == 0) {
            so->sort = NI_SORT_RELEVANCE;
        } else if (strcmp(a->value, "date") == 0) {
            so->sort = NI_SORT_DATE;
        } else {
            cli_usage_error(a, "--sort must be 'relevance' or 'date', not '%s'", a->value);
            return -1;
        }
        return 1;
    }
    return 0;
}

const char *cli_echo(char *buf, size_t size, const char *s, size_t len)
{
    size_t n = 0, chars = 0;
    /* count characters by their first bytes (the text may not be valid
     * UTF-8: then bytes that are not continuations) */
    while (n < len && chars < CLI_QUERY_ECHO) {
        n++;
        while (n < len && ((unsigned char)s[n] & 0xc0) == 0x80)
            n++;
        chars++;
    }
    if (n + 4 > size)
        n = size > 4 ? size - 4 : 0;
    snprintf(buf, size, "%.*s%s", (int)n, s, n < len ? "..." : "");
    return buf;
}

void cli_bad_query(const char *query, int rc)
{
    char echo[CLI_ECHO_SIZE];
    cli_error("bad query: %s: '%s'", cli_errdetail(rc), cli_echo(echo, sizeof echo, query, strlen(query)));
}

int cli_is_sharded(const char *path)
{
    char file[4096];
    struct stat st;
    snprintf(file, sizeof file, "%s/shards", path);
    return stat(file, &st) == 0 && S_ISREG(st.st_mode);
}

int cli_open_shards(ni_shardset **out, const char *path, unsigned flags)
{
    ni_open_options opts = NI_OPEN_OPTIONS_INIT;
    int rc;
    opts.flags = flags;
    if ((rc = ni_shardset_open(out, path, 0, &opts)) < 0)
        cli_error("cannot open sharded index '%s': %s", path, cli_errdetail(rc));
    return rc;
}

int cli_open_index(ni_index **out, const char *path, unsigned flags)
{
    ni_open_options opts = NI_OPEN_OPTIONS_INIT;
    opts.flags = flags;
    return cli_open_index_with(out, path, &opts);
}

int cli_open_index_with(ni_index **out, const char *path, const ni_open_options *opts)
{
    int rc = ni_index_open(out, path, opts);
    if (rc == 0)
        return 0;
    /* The library's message may already say "cannot open index 'path': ..."
     * (or "cannot create ..."); print it as is rather than twice. */
    const char *msg = ni_errmsg();
    size_t plen = strlen(path);
    const char *q = msg ? strstr(msg, "'") : NULL;
    if (rc == NI_ECORRUPT) {
        cli_error("cannot open index '%s': %s", path, cli_errdetail(rc));
        return rc;
    }
    if (msg && strncmp(msg, "cannot ", 7) == 0 && q &&
        strncmp(q + 1, path, plen) == 0 && q[plen + 1] == '\'') {
        cli_error("%s", msg);
        return rc;
    }
    struct stat st;
    if (rc == NI_ENOTFOUND && stat(path, &st) != 0)
        cli_error("cannot open index '%s': %s", path, strerror(errno));
    else
        cli_error("cannot open index '%s': %s", path, cli_errdetail(rc));
    return rc;
}

int cli_simple_args(int argc, char **argv, const char *usage, const char **pos,
                    int n, const char *const *missing, int *json)
{
    static const cli_opt with_json[] = { { "--json", 1, 0 }, { NULL, 0, 0 } };
    static const cli_opt without[] = { { NULL, 0, 0 } };
    cli_args a;
    int k, got = 0, i;

    for (i = 0; i < n; i++)
        pos[i] = NULL;
    cli_args_init(&a, argc, argv, json ? with_json : without, usage);
    while ((k = cli_next(&a)) != -1) {
        if (k == -2)
            return EXIT_ERROR;
        if (k == OPT_HELP)
            return 0;
        if (k == 1 && json)
            *json = 1;
        if (k == 0) {
            if (got == n)
                return cli_usage_error(&a, "unexpected argument '%s'", a.pos);
            pos[got++] = a.pos;
        }
    }
    if (got < n)
        return cli_usage_error(&a, "%s", missing[got]);
    return -1;
}

int cli_open_db_arg(ni_index **out, const char **db, int argc, char **argv,
                    const char *usage, int *json, unsigned flags)
{
    static const char *const missing[] = { "no index given" };
    int k;

    *out = NULL;
    if ((k = cli_simple_args(argc, argv, usage, db, 1, missing, json)) != -1)
        return k;
    if (cli_open_index(out, *db, flags) != 0)
        return EXIT_ERROR;
    return -1;
}

int cli_list_args(cli_list *out, int argc, char **argv, const cli_opt *opts,
                  const char *usage, const char *missing, cli_opt_fn on_opt,
                  void *payload)
{
    cli_args a;
    int k, ret = EXIT_ERROR;

    out->db = NULL;
    out->n = 0;
    out->items = calloc((size_t)argc + 1, sizeof *out->items);
    if (!out->items) {
        cli_error("out of memory");
        return EXIT_ERROR;
    }
    cli_args_init(&a, argc, argv, opts, usage);
    while ((k = cli_next(&a)) != -1) {
        if (k == -2)
            goto cleanup;
        if (k == OPT_HELP) {
            ret = 0;
            goto cleanup;
        }
        if (k == 0) {
            if (!out->db)
                out->db = a.pos;
            else
                out->items[out->n++] = a.pos;
        } else if (on_opt(&a, k, payload) < 0) {
            goto cleanup;
        }
    }
    if (!out->db || (out->n == 0 && missing)) {
        cli_usage_error(&a, "%s", out->db ? missing : "no index given");
        goto cleanup;
    }
    ret = -1;

cleanup:
    if (ret != -1)
        cli_list_free(out);
    return ret;
}

void cli_list_free(cli_list *l)
{
    free(l->items);
    l->items = NULL;
    l->n = 0;
}
