/*
 * test_args.c - the CLI's argument loops and messages (tools/args.c): what
 * cli_list_args and cli_open_db_arg hand back, the exit code and the exact
 * stdout / stderr text of help, usage errors and open errors, and
 * cli_vmessage's prefix.  stdout and stderr are captured through files.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "test.h"
#include "tmpdir.h"

/* stdout and stderr of what runs between capture_start and capture_end. */
static char cap_out[2048], cap_err[2048];
static FILE *cap_fout, *cap_ferr;
static int saved_out = -1, saved_err = -1;

static void capture_start(void)
{
    fflush(stdout);
    fflush(stderr);
    cap_fout = tmpfile();
    cap_ferr = tmpfile();
    saved_out = dup(STDOUT_FILENO);
    saved_err = dup(STDERR_FILENO);
    dup2(fileno(cap_fout), STDOUT_FILENO);
    dup2(fileno(cap_ferr), STDERR_FILENO);
}

static void read_all(FILE *f, char *buf, size_t size)
{
    size_t n;
    rewind(f);
    n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
}

static void capture_end(void)
{
    fflush(stdout);
    fflush(stderr);
    dup2(saved_out, STDOUT_FILENO);
    dup2(saved_err, STDERR_FILENO);
    close(saved_out);
    close(saved_err);
    read_all(cap_fout, cap_out, sizeof cap_out);
    read_all(cap_ferr, cap_err, sizeof cap_err);
}

static int text_is(const char *got, const char *want)
{
    if (strcmp(got, want) == 0)
        return 1;
    fprintf(stderr, "got:\n%s\nwant:\n%s\n", got, want);
    return 0;
}

static const char usage[] = "usage: nsearch demo DB WORD... [options]\n\nA demo.\n";
static const char short_usage[] =
    "usage: nsearch demo DB WORD... [options]\nTry 'nsearch demo --help' for more.\n";

enum { OPT_N = 1, OPT_FLAG, OPT_BAD };
static const cli_opt opts[] = {
    { "-n|--number", OPT_N, 1 },
    { "--flag", OPT_FLAG, 0 },
    { "--bad", OPT_BAD, 0 },
    { NULL, 0, 0 },
};

/* What demo_opt saw. */
typedef struct seen {
    size_t n;
    int flags;
} seen;

static int demo_opt(cli_args *a, int key, void *payload)
{
    seen *s = payload;
    switch (key) {
    case OPT_N:
        return cli_parse_size(a, a->value, &s->n);
    case OPT_FLAG:
        s->flags++;
        break;
    case OPT_BAD:
        cli_usage_error(a, "--bad is refused");
        return -1;
    }
    return 0;
}

/* cli_list_args over a NULL-terminated argv (not written to), output
 * captured. */
static int list(cli_list *l, seen *s, const char **argv)
{
    int argc = 0, rc;
    while (argv[argc])
        argc++;
    memset(s, 0, sizeof *s);
    capture_start();
    rc = cli_list_args(l, argc, (char **)argv, opts, usage, "no word given", demo_opt, s);
    capture_end();
    return rc;
}

static void list_args(void)
{
    cli_list l;
    seen s;
    const char *argv1[] = { "demo", "--flag", "db", "-n5", "one", "--flag", "two", "--", "-three",
                      NULL };
    CHECK(list(&l, &s, argv1) == -1);
    CHECK(strcmp(l.db, "db") == 0 && l.n == 3);
    CHECK(l.n == 3 && strcmp(l.items[0], "one") == 0 && strcmp(l.items[1], "two") == 0 &&
          strcmp(l.items[2], "-three") == 0);
    CHECK(s.n == 5 && s.flags == 2);
    CHECK(text_is(cap_out, "") && text_is(cap_err, ""));
    cli_list_free(&l);
    CHECK(l.items == NULL && l.n == 0);
    cli_list_free(&l);                       /* twice is harmless */

    const char *argv2[] = { "demo", "db", "-", NULL };   /* "-" is an argument */
    CHECK(list(&l, &s, argv2) == -1 && l.n == 1 && strcmp(l.items[0], "-") == 0);
    cli_list_free(&l);
}

static void list_args_errors(void)
{
    cli_list l;
    seen s;
    const char *none[] = { "demo", NULL };
    const char *only_db[] = { "demo", "--flag", "db", NULL };
    const char *help[] = { "demo", "db", "-h", "w", NULL };
    const char *refused[] = { "demo", "db", "w", "--bad", NULL };
    const char *unknown[] = { "demo", "db", "w", "--nope", NULL };
    const char *not_number[] = { "demo", "db", "w", "-n", "x", NULL };

    CHECK(list(&l, &s, none) == EXIT_ERROR && l.items == NULL);
    CHECK(text_is(cap_out, ""));
    CHECK(strncmp(cap_err, "nsearch: no index given\n", 24) == 0 &&
          text_is(cap_err + 24, short_usage));
    CHECK(list(&l, &s, only_db) == EXIT_ERROR && l.items == NULL);
    CHECK(strncmp(cap_err, "nsearch: no word given\n", 23) == 0 &&
          text_is(cap_err + 23, short_usage));
    CHECK(list(&l, &s, help) == 0 && l.items == NULL);
    CHECK(text_is(cap_out, usage) && text_is(cap_err, ""));
    CHECK(list(&l, &s, refused) == EXIT_ERROR && l.items == NULL);
    CHECK(strncmp(cap_err, "nsearch: --bad is refused\n", 26) == 0);
    CHECK(list(&l, &s, unknown) == EXIT_ERROR && l.items == NULL);
    CHECK(strncmp(cap_err, "nsearch: unknown option '--nope'\n", 33) == 0);
    CHECK(list(&l, &s, not_number) == EXIT_ERROR && l.items == NULL);
    CHECK(strncmp(cap_err, "nsearch: option '-n' needs a number, not 'x'\n", 45) == 0);
}

/* cli_open_db_arg over a NULL-terminated argv, output captured. */
static int open_db(ni_index **idx, const char **db, int *json, const char **argv)
{
    int argc = 0, rc;
    while (argv[argc])
        argc++;
    capture_start();
    rc = cli_open_db_arg(idx, db, argc, (char **)argv, usage, json, NI_OPEN_READONLY);
    capture_end();
    return rc;
}

static void open_db_arg(void)
{
    char path[256], missing_msg[400];
    ni_index *idx = NULL;
    const char *db = NULL;
    int json = 0;

    snprintf(path, sizeof path, "%s", test_new_dir());
    CHECK_RC(ni_index_open(&idx, path, NULL), 0);     /* creates it */
    ni_index_close(idx);

    const char *ok[] = { "demo", "--json", path, NULL };
    CHECK(open_db(&idx, &db, &json, ok) == -1);
    CHECK(idx != NULL && db && strcmp(db, path) == 0 && json == 1);
    CHECK(text_is(cap_out, "") && text_is(cap_err, ""));
    ni_index_close(idx);

    const char *no_json[] = { "demo", path, "--json", NULL };
    CHECK(open_db(&idx, &db, NULL, no_json) == EXIT_ERROR && idx == NULL);
    CHECK(strncmp(cap_err, "nsearch: unknown option '--json'\n", 33) == 0);

    const char *two[] = { "demo", path, "more", NULL };
    CHECK(open_db(&idx, &db, &json, two) == EXIT_ERROR && idx == NULL);
    CHECK(strncmp(cap_err, "nsearch: unexpected argument 'more'\n", 36) == 0);

    const char *none[] = { "demo", NULL };
    CHECK(open_db(&idx, &db, &json, none) == EXIT_ERROR && idx == NULL);
    CHECK(strncmp(cap_err, "nsearch: no index given\n", 24) == 0);

    const char *help[] = { "demo", "--help", NULL };
    CHECK(open_db(&idx, &db, &json, help) == 0 && idx == NULL);
    CHECK(text_is(cap_out, usage));

    snprintf(path, sizeof path, "%s", test_new_dir());   /* not created */
    const char *absent[] = { "demo", path, NULL };
    CHECK(open_db(&idx, &db, &json, absent) == EXIT_ERROR && idx == NULL);
    snprintf(missing_msg, sizeof missing_msg,
             "nsearch: cannot open index '%s': No such file or directory\n", path);
    CHECK(text_is(cap_out, "") && text_is(cap_err, missing_msg));
}

static void vmessage(const char *fmt, int prefixed, ...)
{
    va_list ap;
    va_start(ap, prefixed);
    cli_vmessage(prefixed, fmt, ap);
    va_end(ap);
}

static void messages(void)
{
    capture_start();
    vmessage("%s:%d: bad record", 0, "news.jsonl", 7);
    vmessage("cannot read '%s'", 1, "x");
    cli_error("out of %s", "memory");
    capture_end();
    CHECK(text_is(cap_out, ""));
    CHECK(text_is(cap_err, "news.jsonl:7: bad record\nnsearch: cannot read 'x'\n"
                           "nsearch: out of memory\n"));
}

TEST_MAIN(TEST(list_args), TEST(list_args_errors), TEST(open_db_arg), TEST(messages))
