/*
 * cmd_get.c - "nsearch get DB ID": prints one stored document.
 *
 * Human output is a header block (id, url, date, rubric, title, credit; absent
 * fields left out), a blank line, then the text.  --json prints one object
 * with every field (null when absent).  Exit 1 when there is no such
 * document, 2 on an error.
 */
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: " CLI_PROG " get DB ID [options]\n"
    "\n"
    "Prints the document with external id ID from the index in directory DB.\n"
    "\n"
    "      --json        one JSON object with every field\n"
    "  -h, --help        show this help\n";

static void field(const char *name, const char *s, size_t n)
{
    if (!s)
        return;
    printf("%-8s", name);
    out_text(stdout, s, n, 0);
    fputc('\n', stdout);
}

static void print_human(const ni_doc *d)
{
    char date[NI_DATE_BUF];
    field("id:", d->id, d->id_len);
    field("url:", d->url, d->url_len);
    if (d->date != NI_DATE_NONE) {
        out_date(date, sizeof date, d->date, d->date_offset, d->date_form);
        field("date:", date, strlen(date));
    }
    field("rubric:", d->rubric, d->rubric_len);
    field("title:", d->title, d->title_len);
    field("credit:", d->credit, d->credit_len);
    if (d->text && d->text_len) {
        fputc('\n', stdout);
        out_text(stdout, d->text, d->text_len, 1);
        if (d->text[d->text_len - 1] != '\n')
            fputc('\n', stdout);
    }
}

int cmd_get(int argc, char **argv)
{
    const char *db = NULL, *id = NULL;
    int json = 0, k, ret = EXIT_ERROR;
    ni_index *idx = NULL;
    ni_shardset *set = NULL;
    ni_doc *doc = NULL;
    const char *pos[2];
    static const char *const missing[] = { "no index given", "no document id given" };

    if ((k = cli_simple_args(argc, argv, usage, pos, 2, missing, &json)) != -1)
        return k;
    db = pos[0];
    id = pos[1];

    if (cli_is_sharded(db)) {
        /* a sharded index: the shard the id names */
        if (cli_open_shards(&set, db, NI_OPEN_READONLY) != 0)
            goto cleanup;
        idx = ni_shardset_shard(set, ni_shardset_pick(set, id, strlen(id)));
    } else if (cli_open_index(&idx, db, NI_OPEN_READONLY) != 0)
        goto cleanup;
    char echo[CLI_ECHO_SIZE];
    int rc = ni_index_get(&doc, idx, id, strlen(id));
    if (rc == NI_ENOTFOUND) {
        cli_error("no document '%s' in '%s'", cli_echo(echo, sizeof echo, id, strlen(id)), db);
        ret = EXIT_NOHITS;
        goto cleanup;
    }
    if (rc != 0) {
        cli_error("cannot read document '%s': %s", cli_echo(echo, sizeof echo, id, strlen(id)),
                  cli_errdetail(rc));
        goto cleanup;
    }
    if (json) {
        cli_doc_json(stdout, doc);
        fputc('\n', stdout);
    } else {
        print_human(doc);
    }
    ret = 0;

cleanup:
    ni_doc_free(doc);
    if (set)
        ni_shardset_close(set);
    else
        ni_index_close(idx);
    return ret;
}
