/*
 * serve_api.c - the JSON API of nsearch serve: /api/search, /api/doc and
 * /api/stats, as functions from a request's arguments to a reply.
 *
 * Every argument is checked before the index is asked: q, id and facets
 * must be valid UTF-8 without NUL bytes and not longer than the SERVE_MAX_
 * limits, numbers must be plain decimals within their range.  A bad
 * argument is a 400 (414 for one too long) with a message naming it; a
 * query the library refuses (syntax, too broad) is a 400 with the
 * library's reason; an index that fails (damaged, I/O) is a 500.
 * The JSON is written by hitjson.c, as nsearch query --json writes it.
 * Each search reads one committed snapshot (ni_search's), so commits by an
 * indexer in another process show up in the next request.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "serve.h"
#include "utf8.h"

#define JSON_TYPE "application/json; charset=utf-8"

/* A memory stream for r's body (what r held before is freed), or NULL. */
static FILE *reply_open(serve_reply *r)
{
    free(r->body);
    r->body = NULL;
    r->len = 0;
    return open_memstream(&r->body, &r->len);
}

/* Ends the body written to f (a newline) and the reply: status, JSON.
 * Returns 0, or -1 when out of memory. */
static int reply_close(serve_reply *r, FILE *f, unsigned status)
{
    fputc('\n', f);
    if (ferror(f) | (fclose(f) != 0))      /* fclose does not tell a failed write */
        return -1;
    r->status = status;
    r->type = JSON_TYPE;
    return 0;
}

int serve_error(serve_reply *r, unsigned status, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    FILE *f;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!(f = reply_open(r)))
        return -1;
    fputs("{\"error\":", f);
    out_json_str(f, msg, strlen(msg));
    fputc('}', f);
    return reply_close(r, f, status);
}

/* 1 when s[0..n) is valid UTF-8 without NUL bytes. */
static int clean_text(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, len;
    while (i < n) {
        if (p[i] == 0 || (len = utf8_seq_len(p + i, n - i)) == 0)
            return 0;
        i += len;
    }
    return 1;
}

/*
 * The text argument name (q, id): in *out, with its length; 0 when it is
 * there and clean, else -1 after filling r with the error (-2 when out of
 * memory).  A missing or empty one is an error when required.
 */
static int text_arg(serve_reply *r, const serve_args *a, const char *name, size_t max,
                    const char **out, size_t *len)
{
    *out = a->get(a->ctx, name, len);
    if (!*out || *len == 0)
        return serve_error(r, 400, "missing %s", name) < 0 ? -2 : -1;
    if (*len > max)
        return serve_error(r, 414, "%s too long: %zu bytes, at most %zu", name, *len, max) < 0
                   ? -2 : -1;
    if (!clean_text(*out, *len))
        return serve_error(r, 400, "%s is not valid UTF-8 text", name) < 0 ? -2 : -1;
    return 0;
}

/* The number argument name in [0, max] into *out (dflt when absent): 0, or
 * -1 / -2 as text_arg. */
static int size_arg(serve_reply *r, const serve_args *a, const char *name, size_t min,
                    size_t max, size_t dflt, size_t *out)
{
    size_t len, v = 0, i;
    const char *s = a->get(a->ctx, name, &len);
    *out = dflt;
    if (!s)
        return 0;
    for (i = 0; i < len && i < 6 && s[i] >= '0' && s[i] <= '9'; i++)
        v = v * 10 + (size_t)(s[i] - '0');
    if (len == 0 || i < len || v < min || v > max)
        return serve_error(r, 400, "%s must be a number from %zu to %zu", name, min, max) < 0
                   ? -2 : -1;
    *out = v;
    return 0;
}

/* A flag argument: 1 for "1", 0 for "0" or absent; -1 / -2 as text_arg. */
static int flag_arg(serve_reply *r, const serve_args *a, const char *name, int *out)
{
    size_t len;
    const char *s = a->get(a->ctx, name, &len);
    *out = 0;
    if (!s || strcmp(s, "0") == 0)
        return 0;
    if (strcmp(s, "1") == 0) {
        *out = 1;
        return 0;
    }
    return serve_error(r, 400, "%s must be 0 or 1", name) < 0 ? -2 : -1;
}

/* The search options of a request into *so: 0, or -1 / -2 as text_arg. */
static int search_opts(serve_reply *r, const serve_args *a, ni_search_options *so)
{
    size_t len;
    const char *sort = a->get(a->ctx, "sort", &len);
    int exact, collapse = 1, rc;
    if ((rc = size_arg(r, a, "n", 1, SERVE_MAX_LIMIT, 10, &so->limit)) < 0 ||
        (rc = size_arg(r, a, "offset", 0, SERVE_MAX_OFFSET, 0, &so->offset)) < 0 ||
        (rc = flag_arg(r, a, "exact", &exact)) < 0)
        return rc;
    if (a->get(a->ctx, "collapse", &len) && (rc = flag_arg(r, a, "collapse", &collapse)) < 0)
        return rc;
    if (exact)
        so->flags |= NI_SEARCH_EXACT;
    if (!collapse)
        so->flags |= NI_SEARCH_NO_COLLAPSE;
    if (!sort || strcmp(sort, "relevance") == 0)
        so->sort = NI_SORT_RELEVANCE;
    else if (strcmp(sort, "date") == 0)
        so->sort = NI_SORT_DATE;
    else
        return serve_error(r, 400, "sort must be relevance or date") < 0 ? -2 : -1;
    return 0;
}

/* Writes the member ,"title_highlights":[[s,e],...]: byte ranges of the
 * matched words in the hit's title. */
static int title_json(FILE *f, ni_hits *hits)
{
    ni_snippet t;
    int rc = ni_hits_title(&t, hits);
    if (rc < 0)
        return rc;
    fputs(",\"title_highlights\":[", f);
    for (size_t i = 0; i < t.nranges; i++)
        fprintf(f, "%s[%zu,%zu]", i ? "," : "", t.ranges[2 * i], t.ranges[2 * i + 1]);
    fputc(']', f);
    return 0;
}

/* Writes the hits as a JSON array to f, counting them in *returned. */
static int hits_json(FILE *f, ni_hits *hits, size_t *returned)
{
    ni_hit h;
    ni_snippet sn;
    int rc;
    fputc('[', f);
    while ((rc = ni_hits_next(hits, &h)) == 0) {
        fputs(++*returned > 1 ? ",{" : "{", f);
        cli_hit_json_members(f, &h);
        if (ni_hits_is_partial(hits))
            fputs(",\"partial\":true", f);
        if ((rc = cli_duplicates_json(f, hits, 1)) < 0 || (rc = title_json(f, hits)) < 0 ||
            (rc = ni_hits_snippet(&sn, hits, SERVE_SNIPPET)) < 0)
            return rc;
        cli_snippet_json(f, &sn);
        fputc('}', f);
    }
    fputc(']', f);
    return rc == NI_DONE ? 0 : rc;
}

/* The reply to a search the library refused or failed. */
static int search_failed(serve_reply *r, int rc, const char *what)
{
    if (rc == NI_ESYNTAX || rc == NI_ELIMIT || rc == NI_EINVAL)
        return serve_error(r, 400, "bad %s: %s", what, cli_errdetail(rc));
    if (rc == NI_ENOMEM)
        return -1;
    return serve_error(r, 500, "cannot search: %s", cli_errdetail(rc));
}

int serve_api_search(serve_reply *r, ni_index *idx, const serve_args *a)
{
    ni_search_options so = NI_SEARCH_OPTIONS_INIT;
    ni_hits *hits = NULL;
    ni_facets *facets = NULL;
    char *hbuf = NULL;
    size_t hlen = 0, returned = 0, qlen, flen = 0;
    const char *q, *fspec;
    FILE *f = NULL, *hf = NULL;
    struct timespec t0;
    int rc, ret = -1;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    if ((rc = text_arg(r, a, "q", SERVE_MAX_QUERY, &q, &qlen)) < 0 ||
        (rc = search_opts(r, a, &so)) < 0)
        return rc == -1 ? 0 : -1;
    if ((fspec = a->get(a->ctx, "facets", &flen)) && flen &&
        (rc = text_arg(r, a, "facets", SERVE_MAX_FACETS, &fspec, &flen)) < 0)
        return rc == -1 ? 0 : -1;
    if ((rc = ni_search(&hits, idx, q, qlen, &so)) < 0) {
        ret = search_failed(r, rc, "query");
        goto cleanup;
    }
    if (fspec && flen && (rc = ni_hits_facets(&facets, hits, fspec, flen)) < 0) {
        ret = search_failed(r, rc, "facets");
        goto cleanup;
    }
    if (!(hf = open_memstream(&hbuf, &hlen)))
        goto cleanup;
    rc = hits_json(hf, hits, &returned);
    if (ferror(hf) | (fclose(hf) != 0)) {
        hf = NULL;
        goto cleanup;
    }
    hf = NULL;
    if (rc < 0) {
        ret = search_failed(r, rc, "hits");
        goto cleanup;
    }
    if (!(f = reply_open(r)))
        goto cleanup;
    fputc('{', f);
    cli_summary_json_members(f, hits, returned, out_elapsed(&t0) * 1e3, facets);
    const char *notice = ni_hits_notice(hits);
    if (notice)
        out_json_key_str(f, "notice", notice, strlen(notice));
    fputs(",\"hits\":", f);
    fwrite(hbuf, 1, hlen, f);
    fputc('}', f);
    ret = reply_close(r, f, 200);

cleanup:
    if (hf)
        fclose(hf);
    free(hbuf);
    ni_facets_free(facets);
    ni_hits_free(hits);
    return ret;
}

int serve_api_doc(serve_reply *r, ni_index *idx, const serve_args *a)
{
    ni_doc *doc = NULL;
    const char *id;
    size_t len;
    FILE *f;
    char echo[CLI_ECHO_SIZE];
    int rc;

    if ((rc = text_arg(r, a, "id", SERVE_MAX_ID, &id, &len)) < 0)
        return rc == -1 ? 0 : -1;
    rc = ni_index_get(&doc, idx, id, len);
    if (rc == NI_ENOTFOUND)
        return serve_error(r, 404, "no document '%s'", cli_echo(echo, sizeof echo, id, len));
    if (rc == NI_ENOMEM)
        return -1;
    if (rc < 0)
        return serve_error(r, 500, "cannot read document: %s", cli_errdetail(rc));
    if ((f = reply_open(r))) {
        cli_doc_json(f, doc);
        rc = reply_close(r, f, 200);
    } else {
        rc = -1;
    }
    ni_doc_free(doc);
    return rc;
}

int serve_api_stats(serve_reply *r, ni_index *idx, const serve_args *a)
{
    ni_stats st;
    ni_facets *fs = NULL;
    FILE *f;
    int rc;
    (void)a;

    if ((rc = ni_index_stats(&st, idx)) == 0)
        rc = ni_index_facets(&fs, idx, "rubric,date:year", 16);
    if (rc == NI_ENOMEM)
        return -1;
    if (rc < 0)
        return serve_error(r, 500, "cannot read statistics: %s", cli_errdetail(rc));
    if ((f = reply_open(r))) {
        cli_stats_json(f, &st, fs);
        rc = reply_close(r, f, 200);
    } else {
        rc = -1;
    }
    ni_facets_free(fs);
    return rc;
}
