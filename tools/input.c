/*
 * input.c - documents from files, standard input or memory for nsearch
 * index (see input.h).  Gzip is recognised by its magic bytes and read
 * through zlib (which passes plain files through); JSON Lines by the name
 * (.jsonl, .ndjson, .json, possibly .gz) or a first non-blank byte '{';
 * anything else is one article page (article.c).
 *
 * Document ids: the record's id, else its url, else ID:LINE for a JSON
 * Lines record and ID for an article page, ID being the name
 * input_set_id_name gave (the path as given by default).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "article.h"
#include "input.h"
#include "jsonl.h"
#include "utf8.h"

#define READ_CHUNK (256 * 1024)
#define MAX_LINE ((size_t)64 << 20)
#define MAX_ARTICLE ((size_t)256 << 20)

enum { FMT_JSONL, FMT_ARRAY, FMT_ARTICLE };

struct input {
    char *name;
    char *idname;                /* NULL: name */
    gzFile gz;                   /* NULL for memory input */
    const char *mem;
    size_t memlen;
    int format, eof, done, failed;
    char *buf;                   /* bytes read and not yet consumed */
    size_t start, len, cap;
    unsigned long line;
    unsigned long id_line;       /* the line of the record last read */
    int in_array;                /* FMT_ARRAY: past its '[' */
    struct {                     /* object_end's scan of the record at start */
        size_t at, depth;
        int str, esc;
    } scan;
    char *text;                  /* an article converted to UTF-8 (ni_text_to_utf8) */
    const char *charset;         /* from that encoding */
    uint64_t bytes;
    uint64_t unnamed;            /* records given ID:LINE */
    jsonl_buf jb;
    char id[64 + 4096];
    char err[1024], warn[1024];
    int has_warn;
};

static int suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), k = strlen(suf);
    return n >= k && strcmp(s + n - k, suf) == 0;
}

static int jsonl_name(const char *p)
{
    static const char *const sufs[] = { ".jsonl", ".ndjson", ".json", ".jsonl.gz",
                                        ".ndjson.gz", ".json.gz" };
    size_t i;
    for (i = 0; i < sizeof sufs / sizeof sufs[0]; i++)
        if (suffix(p, sufs[i]))
            return 1;
    return 0;
}

/* zlib's message without the "<fd:N>: " it names a descriptor by (the
 * input's name comes before it). */
static const char *gz_msg(const char *msg)
{
    if (msg && msg[0] == '<') {
        const char *p = strstr(msg, ">: ");
        if (p)
            return p + 3;
    }
    return msg;
}

/* The offset of the first NUL byte among the first n of s, or n. */
static size_t first_nul(const char *s, size_t n)
{
    const char *p = memchr(s, '\0', n);
    return p ? (size_t)(p - s) : n;
}

/* Reads more input into buf; 0, or 1 at the end, or <0. */
static int fill(input *in)
{
    int n;
    if (in->eof)
        return 1;
    if (in->start > 0 && in->start == in->len)
        in->start = in->len = 0;
    if (in->start > in->cap / 2) {
        memmove(in->buf, in->buf + in->start, in->len - in->start);
        in->len -= in->start;
        in->start = 0;
    }
    if (in->cap - in->len < READ_CHUNK) {
        size_t cap = in->cap ? in->cap * 2 : READ_CHUNK * 2;
        char *b;
        while (cap - in->len < READ_CHUNK)
            cap *= 2;
        b = realloc(in->buf, cap);
        if (!b) {
            snprintf(in->err, sizeof in->err, "%s: out of memory", in->name);
            return NI_ENOMEM;
        }
        in->buf = b;
        in->cap = cap;
    }
    if (!in->gz) {
        size_t k = in->memlen - in->bytes;
        if (k > READ_CHUNK)
            k = READ_CHUNK;
        memcpy(in->buf + in->len, in->mem + in->bytes, k);
        in->len += k;
        in->bytes += k;
        if (k == 0)
            in->eof = 1;
        return k ? 0 : 1;
    }
    n = gzread(in->gz, in->buf + in->len, READ_CHUNK);
    if (n < 0) {
        int zerr;
        const char *msg = gzerror(in->gz, &zerr);
        snprintf(in->err, sizeof in->err, "%s: %s", in->name,
                 zerr == Z_ERRNO ? strerror(errno) : gz_msg(msg));
        in->eof = 1;
        return NI_EIO;
    }
    in->len += (size_t)n;
    {
        z_off_t off = gzoffset(in->gz);
        if (off >= 0)
            in->bytes = (uint64_t)off;
    }
    if (n == 0) {
        int zerr;
        const char *msg = gzerror(in->gz, &zerr);
        in->eof = 1;
        if (zerr == Z_BUF_ERROR || (zerr != Z_OK && zerr != Z_STREAM_END)) {
            snprintf(in->err, sizeof in->err, "%s: truncated or damaged gzip data (%s)",
                     in->name, msg && *msg ? gz_msg(msg) : "unexpected end of file");
            return NI_EIO;
        }
        return 1;
    }
    return 0;
}

static int open_common(input **out, const char *name, gzFile gz, const char *mem,
                       size_t memlen, char *errbuf, size_t errsize)
{
    input *in = calloc(1, sizeof *in);
    size_t i;
    int rc, utf16;

    *out = NULL;
    if (!in || !(in->name = strdup(name))) {
        free(in);
        if (gz)
            gzclose(gz);
        snprintf(errbuf, errsize, "%s: out of memory", name);
        return NI_ENOMEM;
    }
    in->gz = gz;
    in->mem = mem;
    in->memlen = memlen;
    rc = fill(in);
    if (rc < 0) {
        snprintf(errbuf, errsize, "%s", in->err);
        input_close(in);
        return rc;
    }
    if (in->len >= 3 && memcmp(in->buf, "\xef\xbb\xbf", 3) == 0)
        in->start = 3;                  /* a UTF-8 byte order mark */
    /* NUL bytes: a binary file (UTF-16 has them, and its byte order mark) */
    i = first_nul(in->buf, in->len);
    utf16 = in->len >= 2 && (memcmp(in->buf, "\xff\xfe", 2) == 0 ||
                             memcmp(in->buf, "\xfe\xff", 2) == 0);
    if (i < in->len && !utf16) {
        snprintf(errbuf, errsize, "%s: a binary file (a NUL byte at offset %zu), skipped",
                 name, i);
        input_close(in);
        return NI_EINVAL;
    }
    for (i = in->start; i < in->len && (in->buf[i] == ' ' || in->buf[i] == '\n' ||
                                        in->buf[i] == '\r' || in->buf[i] == '\t'); i++)
        ;
    in->format = i < in->len && in->buf[i] == '[' ? FMT_ARRAY
                 : jsonl_name(name) || (i < in->len && in->buf[i] == '{') ? FMT_JSONL
                 : FMT_ARTICLE;
    *out = in;
    return 0;
}

int input_open(input **out, const char *path, char *errbuf, size_t errsize)
{
    gzFile gz;
    FILE *f;
    int fd;

    *out = NULL;
    if (strcmp(path, "-") == 0) {
        gz = gzdopen(0, "rb");
        if (!gz) {
            snprintf(errbuf, errsize, "cannot read standard input");
            return NI_EIO;
        }
        return open_common(out, "stdin", gz, NULL, 0, errbuf, errsize);
    }
    f = fopen(path, "rb");
    if (!f) {
        int e = errno;
        snprintf(errbuf, errsize, "cannot open '%s': %s", path, strerror(e));
        return e == ENOENT ? NI_ENOTFOUND : NI_EIO;
    }
    fd = dup(fileno(f));
    fclose(f);
    gz = fd >= 0 ? gzdopen(fd, "rb") : NULL;
    if (!gz) {
        if (fd >= 0)
            close(fd);
        snprintf(errbuf, errsize, "cannot read '%s'", path);
        return NI_EIO;
    }
    gzbuffer(gz, 256 * 1024);
    return open_common(out, path, gz, NULL, 0, errbuf, errsize);
}

int input_open_mem(input **out, const char *name, const char *data, size_t len)
{
    char err[256];
    return open_common(out, name, NULL, data, len, err, sizeof err);
}

/* The id of a record without one: its url, else ID:LINE. */
static void name_doc(input *in, ni_doc *doc, unsigned long line)
{
    in->id_line = line;
    if (doc->id)
        return;
    if (doc->url) {
        doc->id = doc->url;
        doc->id_len = doc->url_len;
        return;
    }
    snprintf(in->id, sizeof in->id, "%.4000s:%lu", in->idname ? in->idname : in->name, line);
    doc->id = in->id;
    doc->id_len = strlen(in->id);
    in->unnamed++;
}

static int next_jsonl(input *in, ni_doc *doc)
{
    for (;;) {
        char *nl;
        size_t n;
        int rc;
        while (!(nl = memchr(in->buf + in->start, '\n', in->len - in->start))) {
            if (in->len - in->start > MAX_LINE) {
                /* skip the rest of the line */
                in->line++;
                snprintf(in->err, sizeof in->err, "%s:%lu: line longer than %zu MiB",
                         in->name, in->line, MAX_LINE >> 20);
                for (;;) {
                    in->start = in->len;
                    if ((rc = fill(in)) != 0)
                        break;
                    if ((nl = memchr(in->buf, '\n', in->len))) {
                        in->start = (size_t)(nl - in->buf) + 1;
                        break;
                    }
                }
                return NI_EINVAL;
            }
            rc = fill(in);
            if (rc < 0)
                return rc;
            if (rc == 1)
                break;
        }
        if (!nl && in->start == in->len)
            return NI_DONE;
        n = nl ? (size_t)(nl - (in->buf + in->start)) : in->len - in->start;
        {
            const char *line = in->buf + in->start;
            size_t k;
            in->start += n + (nl != NULL);
            in->line++;
            for (k = 0; k < n && (line[k] == ' ' || line[k] == '\t' || line[k] == '\r'); k++)
                ;
            if (k == n)
                continue;                      /* blank line */
            rc = jsonl_parse(line, n, doc, &in->jb, in->err, sizeof in->err);
            if (rc < 0) {
                char reason[sizeof in->err];
                snprintf(reason, sizeof reason, "%s", in->err);
                snprintf(in->err, sizeof in->err, "%.500s:%lu: %.480s", in->name, in->line, reason);
                return rc == NI_ENOMEM ? NI_ENOMEM : NI_EINVAL;
            }
        }
        name_doc(in, doc, in->line);
        return 0;
    }
}

/* The extent of the JSON value starting with '{' at the buffer's start:
 * its length, or 0 when it does not end within the bytes read so far.  Only
 * strings and nesting are followed (jsonl_parse checks the rest).  The scan
 * goes on where the last call stopped (in->scan), so a record read in many
 * pieces is scanned once. */
static size_t object_end(input *in)
{
    const char *s = in->buf + in->start;
    size_t n = in->len - in->start, i = in->scan.at;
    for (; i < n; i++) {
        char c = s[i];
        if (in->scan.esc) {
            in->scan.esc = 0;
        } else if (in->scan.str) {
            if (c == '\\')
                in->scan.esc = 1;
            else if (c == '"')
                in->scan.str = 0;
        } else if (c == '"') {
            in->scan.str = 1;
        } else if (c == '{' || c == '[') {
            in->scan.depth++;
        } else if ((c == '}' || c == ']') && --in->scan.depth == 0) {
            memset(&in->scan, 0, sizeof in->scan);
            return i + 1;
        }
    }
    in->scan.at = i;
    return 0;
}

/* Moves past n bytes of the buffer, counting their lines. */
static void consume(input *in, size_t n)
{
    const char *p = in->buf + in->start, *end = p + n;
    while ((p = memchr(p, '\n', (size_t)(end - p)))) {
        in->line++;
        p++;
    }
    in->start += n;
}

/* A file holding one JSON array of records: each element is read as a JSON
 * Lines record is, its line the one it starts on. */
static int next_array(input *in, ni_doc *doc)
{
    for (;;) {
        size_t i, n;
        unsigned long line;
        int rc;
        /* blanks, the '[' and the commas between elements */
        for (;;) {
            for (i = in->start; i < in->len && strchr(" \t\r\n,", in->buf[i]) &&
                                in->buf[i] != '\0'; i++)
                ;
            consume(in, i - in->start);
            if (in->start < in->len || (rc = fill(in)) == 1)
                break;
            if (rc < 0)
                return rc;
        }
        if (in->start == in->len) {
            if (in->in_array != 2) {
                snprintf(in->err, sizeof in->err, "%s:%lu: the JSON array is not closed",
                         in->name, in->line + 1);
                in->in_array = 2;
                return NI_EINVAL;
            }
            return NI_DONE;
        }
        if (!in->in_array && in->buf[in->start] == '[') {
            in->in_array = 1;
            consume(in, 1);
            continue;
        }
        if (in->in_array == 1 && in->buf[in->start] == ']') {
            in->in_array = 2;
            consume(in, 1);
            continue;
        }
        if (in->in_array != 1 || in->buf[in->start] != '{') {
            snprintf(in->err, sizeof in->err, "%s:%lu: expected a JSON object in the array",
                     in->name, in->line + 1);
            in->start = in->len;            /* the rest cannot be read as records */
            in->eof = 1;
            in->in_array = 2;
            return NI_EINVAL;
        }
        while ((n = object_end(in)) == 0) {
            if (in->len - in->start > MAX_LINE) {
                snprintf(in->err, sizeof in->err, "%s:%lu: record longer than %zu MiB",
                         in->name, in->line + 1, MAX_LINE >> 20);
                in->start = in->len;
                in->eof = 1;
                in->in_array = 2;
                return NI_EINVAL;
            }
            if ((rc = fill(in)) < 0)
                return rc;
            if (rc == 1) {
                snprintf(in->err, sizeof in->err, "%s:%lu: the record is cut short",
                         in->name, in->line + 1);
                in->start = in->len;
                in->in_array = 2;
                return NI_EINVAL;
            }
        }
        line = in->line + 1;
        rc = jsonl_parse(in->buf + in->start, n, doc, &in->jb, in->err, sizeof in->err);
        consume(in, n);
        if (rc < 0) {
            char reason[sizeof in->err];
            snprintf(reason, sizeof reason, "%s", in->err);
            snprintf(in->err, sizeof in->err, "%.500s:%lu: %.480s", in->name, line, reason);
            return rc == NI_ENOMEM ? NI_ENOMEM : NI_EINVAL;
        }
        name_doc(in, doc, line);
        return 0;
    }
}

static int valid_utf8(const char *s, size_t n)
{
    size_t i = 0, k;
    while (i < n) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        if ((k = utf8_seq_len((const unsigned char *)s + i, n - i)) == 0)
            return 0;
        i += k;
    }
    return 1;
}

/* The article's bytes as UTF-8: the buffer's own, or converted from the
 * encoding the library detects (a warning names it).  0 or NI_EINVAL. */
static int to_utf8(input *in, const char **text, size_t *len)
{
    const char *cs;
    int rc;
    *text = in->buf + in->start;
    *len = in->len - in->start;
    if (valid_utf8(*text, *len))
        return 0;
    if ((rc = ni_text_to_utf8(&in->text, len, &cs, *text, *len)) < 0) {
        if (rc == NI_ENOMEM)
            snprintf(in->err, sizeof in->err, "%s: out of memory", in->name);
        else
            snprintf(in->err, sizeof in->err, "%.500s:1: %.480s", in->name, ni_errmsg());
        return rc == NI_ENOMEM ? NI_ENOMEM : NI_EINVAL;
    }
    *text = in->text;
    in->charset = cs;
    return 0;
}

static int next_article(input *in, ni_doc *doc)
{
    const char *text;
    size_t len;
    int rc;
    if (in->done)
        return NI_DONE;
    in->done = 1;
    while ((rc = fill(in)) == 0)
        if (in->len > MAX_ARTICLE) {
            snprintf(in->err, sizeof in->err, "%s: article larger than %zu MiB",
                     in->name, MAX_ARTICLE >> 20);
            return NI_EINVAL;
        }
    if (rc < 0)
        return rc;
    if ((rc = to_utf8(in, &text, &len)) < 0)
        return rc;
    rc = article_parse(text, len, doc, in->warn, sizeof in->warn);
    if (rc < 0) {
        snprintf(in->err, sizeof in->err, "%s:1: no text", in->name);
        return NI_EINVAL;
    }
    if (rc == 1 || in->text) {              /* the layout's, the conversion's */
        char w[sizeof in->warn];
        snprintf(w, sizeof w, "%s", rc == 1 ? in->warn : "");
        snprintf(in->warn, sizeof in->warn, "%.500s:1: %s%s%s%.400s", in->name,
                 in->text ? "not UTF-8, read as " : "", in->text ? in->charset : "",
                 in->text && rc == 1 ? "; " : "", w);
        in->has_warn = 1;
    }
    snprintf(in->id, sizeof in->id, "%.4000s", in->idname ? in->idname : in->name);
    doc->id = in->id;
    doc->id_len = strlen(in->id);
    return 0;
}

int input_next(input *in, ni_doc *doc)
{
    in->has_warn = 0;
    in->err[0] = '\0';
    if (in->failed)
        return NI_DONE;
    {
        int rc = in->format == FMT_JSONL ? next_jsonl(in, doc)
                 : in->format == FMT_ARRAY ? next_array(in, doc) : next_article(in, doc);
        if (rc == NI_EIO || rc == NI_ENOMEM)
            in->failed = 1;
        return rc;
    }
}

const char *input_error(const input *in)
{
    return in->err;
}

const char *input_warning(const input *in)
{
    return in->has_warn ? in->warn : NULL;
}

uint64_t input_bytes_read(const input *in)
{
    return in->bytes;
}

int input_set_id_name(input *in, const char *idname)
{
    char *p = strdup(idname);
    if (!p)
        return NI_ENOMEM;
    free(in->idname);
    in->idname = p;
    return 0;
}

const char *input_name(const input *in)
{
    return in->name;
}

unsigned long input_line(const input *in)
{
    return in->format == FMT_ARTICLE ? 1 : in->id_line;
}

uint64_t input_unnamed(const input *in)
{
    return in->unnamed;
}

void input_close(input *in)
{
    if (!in)
        return;
    if (in->gz)
        gzclose(in->gz);
    jsonl_buf_free(&in->jb);
    free(in->buf);
    free(in->name);
    free(in->idname);
    ni_text_free(in->text);
    free(in);
}
