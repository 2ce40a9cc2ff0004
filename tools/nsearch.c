/*
 * nsearch.c - the command table and main() of the nsearch CLI.
 *
 * main() only dispatches: "nsearch <command> [args]" runs the command's
 * cmd_x(argc, argv) with argv[0] the command name.  --help and --version go
 * to stdout with exit 0; a missing or unknown command is a usage error
 * (stderr, exit 2).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

typedef struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    { "index", cmd_index, "add documents from files, directories or stdin" },
    { "query", cmd_query, "search an index" },
    { "get",   cmd_get,   "print a stored document by id" },
    { "stats", cmd_stats, "print index statistics" },
    { "check", cmd_check, "verify the whole index" },
    { "delete", cmd_delete, "delete documents by id" },
    { "compact", cmd_compact, "reclaim the space of deleted documents" },
    { "copy",    cmd_copy,    "write a compacted copy of an index" },
    { "analyze", cmd_analyze, "show the tokens and terms of a text" },
    { "explain", cmd_explain, "show how a document matches a query and its score" },
    { "similar", cmd_similar, "list the articles like a document: copies, then related" },
    { "serve",   cmd_serve,   "serve a search page and a JSON API over HTTP" },
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void print_usage(FILE *f, int full)
{
    fputs("usage: " CLI_PROG " <command> [options] [args]\n", f);
    if (!full) {
        fputs("Try '" CLI_PROG " --help' for the list of commands.\n", f);
        return;
    }
    fputs("\nFull-text search for Russian news.\n\ncommands:\n", f);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fputs("\n'" CLI_PROG " <command> --help' describes a command.\n"
          "Exit status: 0 success (query: at least one hit), 1 no hits or "
          "not found,\n2 an error.\n", f);
}

static const command *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stderr, 0);
        return EXIT_ERROR;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        print_usage(stdout, 1);
        return 0;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
        printf(CLI_PROG " %s (libnewsindex %s)\n", NI_VERSION_STRING,
               ni_version());
        return 0;
    }
    if (strcmp(name, "help") == 0) {
        if (argc < 3) {
            print_usage(stdout, 1);
            return 0;
        }
        const command *c = find_command(argv[2]);
        if (!c) {
            cli_error("'%s' is not a command; see '" CLI_PROG " --help'",
                      argv[2]);
            return EXIT_ERROR;
        }
        char help[] = "--help";
        char *hargv[] = { argv[2], help, NULL };
        return c->fn(2, hargv);
    }
    if (name[0] == '-') {
        cli_error("unknown option '%s'", name);
        print_usage(stderr, 0);
        return EXIT_ERROR;
    }
    const command *c = find_command(name);
    if (!c) {
        cli_error("'%s' is not a command; see '" CLI_PROG " --help'", name);
        return EXIT_ERROR;
    }
    int rc = c->fn(argc - 1, argv + 1);
    /* A closed pipe (nsearch ... | head) ends the process by SIGPIPE, as
     * for grep; any other write failure (a full disk) is an error. */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (rc != EXIT_ERROR) /* else the command has said what failed */
            cli_error("cannot write output: %s", strerror(errno));
        return EXIT_ERROR;
    }
    return rc;
}
