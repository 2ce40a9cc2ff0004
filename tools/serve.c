/*
 * serve.c - "nsearch serve DB": an HTTP server over one open index, with
 * the search page (serve_page.c) and the JSON API (serve_api.c).  The only
 * user of libmicrohttpd: it parses HTTP, this file routes requests, sets
 * the headers every reply carries, enforces the limits and logs.
 *
 * Threads: libmicrohttpd's pool (--threads, default one per core), each
 * polling with epoll and answering its connections itself; requests share
 * the one ni_index (searches may run at once: include/newsindex.h), each
 * one committed snapshot.  The main thread only waits for SIGINT or SIGTERM
 * (blocked everywhere else), then stops the daemon (it waits for requests
 * in flight) and closes the index.
 *
 * What is served: GET (and HEAD) of "/", "/app.js", "/app.css", "/favicon.svg",
 * "/api/search", "/api/doc", "/api/stats"; anything else is 404, any other
 * method 405.  Nothing writes to the index.  Limits: connections
 * (SERVE_CONNECTIONS, SERVE_PER_CLIENT from one address), the memory of a request's line and headers (32 KiB:
 * longer ones get 414/431 from libmicrohttpd), an idle connection is closed
 * after SERVE_TIMEOUT seconds, and the API's own limits (serve.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "cli.h"
#include "serve.h"
#include "utf8.h"

#define SERVE_CONNECTIONS 512
#define SERVE_PER_CLIENT  128     /* connections from one address */
#define SERVE_TIMEOUT     15      /* seconds */
#define SERVE_REQUEST_MEM (32 * 1024)

/* Every reply's headers: the page's scripts and styles only from this
 * server, nothing framed, nothing sniffed, no referrer to the articles'
 * sites. */
#define CSP "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; " \
            "img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

static const char usage[] =
    "usage: " CLI_PROG " serve DB [options]\n"
    "\n"
    "Serves a search page and a JSON API over the index in directory DB, in\n"
    "the foreground, until interrupted (Ctrl-C, SIGTERM).  Read-only: another\n"
    "process may index meanwhile; each request sees the last commit.\n"
    "\n"
    "  GET /                  the search page (/?q=QUERY searches)\n"
    "  GET /api/search?q=QUERY[&n=K][&offset=N][&sort=relevance|date]\n"
    "                 [&facets=SPEC][&exact=1][&collapse=0]\n"
    "                         the hits as JSON (n at most 100, offset at most\n"
    "                         10000, SPEC as query --facets)\n"
    "  GET /api/doc?id=ID     one document as JSON\n"
    "  GET /api/stats         the index's statistics as JSON\n"
    "\n"
    "      --host ADDR   the address to listen on (default 127.0.0.1; 0.0.0.0\n"
    "                    or :: for every interface)\n"
    "      --port N      the TCP port (default 8080; 0: any free port)\n"
    "      --threads N   threads answering requests (default: one per core)\n"
    "  -q, --quiet       no line per request on stderr\n"
    "  -h, --help        show this help\n";

enum { OPT_HOST = 1, OPT_PORT, OPT_THREADS, OPT_QUIET };

static const cli_opt opts[] = {
    { "--host", OPT_HOST, 1 },
    { "--port", OPT_PORT, 1 },
    { "--threads", OPT_THREADS, 1 },
    { "-q|--quiet", OPT_QUIET, 0 },
    { NULL, 0, 0 },
};

typedef struct server {
    ni_index *idx;
    int quiet;
    struct MHD_Response *files[SERVE_PAGE_FILES];   /* serve_page_paths' replies */
    size_t file_len[SERVE_PAGE_FILES];
} server;

/* serve_args over a connection's query string. */
static const char *conn_arg(void *ctx, const char *name, size_t *len)
{
    const char *v = NULL;
    if (MHD_lookup_connection_value_n(ctx, MHD_GET_ARGUMENT_KIND, name, strlen(name), &v,
                                      len) != MHD_YES)
        return NULL;
    return v;
}

/* The headers every reply carries. */
static void common_headers(struct MHD_Response *resp, const char *type, int cache)
{
    MHD_add_response_header(resp, "Content-Type", type);
    MHD_add_response_header(resp, "Content-Security-Policy", CSP);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Cache-Control", cache ? "no-cache" : "no-store");
}

/* 1 for the character p[0..len) a log must not carry as it is: a C1
 * control (U+0080..U+009F) or a bidirectional override or isolate
 * (U+202A..U+202E, U+2066..U+2069), which reorder what a terminal shows. */
static int invisible(const unsigned char *p, size_t len)
{
    if (len == 2)
        return p[0] == 0xC2 && p[1] <= 0x9F;
    if (len == 3 && p[0] == 0xE2 && p[1] == 0x80)
        return p[2] >= 0xAA && p[2] <= 0xAE;
    if (len == 3 && p[0] == 0xE2 && p[1] == 0x81)
        return p[2] >= 0xA6 && p[2] <= 0xA9;
    return 0;
}

/* Appends s[0..n) to buf (at *at, size cap) for the log: control bytes,
 * invalid UTF-8 and the characters invisible() names as '?', so a request
 * cannot drive the terminal. */
static void log_put(char *buf, size_t cap, size_t *at, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, len;
    while (i < n) {
        len = utf8_seq_len(p + i, n - i);
        if (*at + (len ? len : 1) >= cap)
            break;
        if (len == 0 || p[i] < 0x20 || p[i] == 0x7f || invisible(p + i, len)) {
            buf[(*at)++] = '?';
            i += len ? len : 1;
            continue;
        }
        memcpy(buf + *at, p + i, len);
        *at += len;
        i += len;
    }
    buf[*at] = 0;
}

typedef struct log_args {
    char buf[512];
    size_t at;
} log_args;

static enum MHD_Result log_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                               size_t key_size, const char *value, size_t value_size)
{
    log_args *l = cls;
    (void)kind;
    log_put(l->buf, sizeof l->buf, &l->at, l->at ? "&" : "?", 1);
    log_put(l->buf, sizeof l->buf, &l->at, key, key_size);
    if (value) {
        log_put(l->buf, sizeof l->buf, &l->at, "=", 1);
        log_put(l->buf, sizeof l->buf, &l->at, value, value_size);
    }
    return MHD_YES;
}

/* "2026-12-07T20:10:11Z 127.0.0.1 GET /api/search?q=... 200 5321 0.840 ms"
 * on stderr, the request's target cut to CLI_QUERY_ECHO characters. */
static void log_request(struct MHD_Connection *c, const char *method, const char *url,
                        unsigned status, size_t bytes, const struct timespec *t0)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char host[INET6_ADDRSTRLEN] = "-", when[32], target[CLI_ECHO_SIZE], path[CLI_ECHO_SIZE];
    log_args args = { .at = 0 };
    time_t now = time(NULL);
    struct tm tm;
    size_t at = 0;

    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, host,
                      sizeof host);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
                      host, sizeof host);
    }
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, log_arg, &args);
    log_put(path, sizeof path, &at, url, strlen(url));
    log_put(path, sizeof path, &at, args.buf, args.at);
    cli_echo(target, sizeof target, path, at);
    fprintf(stderr, "%s %s %s %s %u %zu %.3f ms\n", when, host, method, target, status, bytes,
            out_elapsed(t0) * 1e3);
}

/* Queues resp with status; logs the request. */
static enum MHD_Result reply(const server *s, struct MHD_Connection *c, const char *method,
                             const char *url, unsigned status, struct MHD_Response *resp,
                             size_t bytes, const struct timespec *t0)
{
    enum MHD_Result ok = MHD_queue_response(c, status, resp);
    if (!s->quiet)
        log_request(c, method, url, status, bytes, t0);
    return ok;
}

/* A reply built by serve_api (or an error of this file) as a response. */
static enum MHD_Result reply_body(const server *s, struct MHD_Connection *c, const char *method,
                                  const char *url, serve_reply *r, const struct timespec *t0)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(r->len, r->body, MHD_RESPMEM_MUST_FREE);
    enum MHD_Result ok;
    if (!resp) {
        free(r->body);
        return MHD_NO;
    }
    common_headers(resp, r->type, 0);
    if (r->status == 405)
        MHD_add_response_header(resp, "Allow", "GET, HEAD");
    ok = reply(s, c, method, url, r->status, resp, r->len, t0);
    MHD_destroy_response(resp);
    return ok;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **state)
{
    server *s = cls;
    serve_reply r = { 0, NULL, NULL, 0 };
    serve_args args = { conn_arg, c };
    struct timespec t0;
    int rc = 0;
    (void)version;
    (void)upload;
    (void)upload_size;
    (void)state;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
        rc = serve_error(&r, 405, "only GET and HEAD: this server does not change the index");
    } else if (strcmp(url, "/api/search") == 0) {
        rc = serve_api_search(&r, s->idx, &args);
    } else if (strcmp(url, "/api/doc") == 0) {
        rc = serve_api_doc(&r, s->idx, &args);
    } else if (strcmp(url, "/api/stats") == 0) {
        rc = serve_api_stats(&r, s->idx, &args);
    } else {
        for (size_t i = 0; i < SERVE_PAGE_FILES; i++)
            if (strcmp(url, serve_page_paths[i]) == 0)
                return reply(s, c, method, url, 200, s->files[i], s->file_len[i], &t0);
        rc = serve_error(&r, 404, "not found: %s", strncmp(url, "/api/", 5) == 0 ?
                         "the API has /api/search, /api/doc and /api/stats" : "the page is /");
    }
    if (rc < 0) {
        free(r.body);
        return MHD_NO;          /* out of memory: libmicrohttpd closes the connection */
    }
    return reply_body(s, c, method, url, &r, &t0);
}

/* libmicrohttpd's own messages (a socket error, a connection limit). */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    fputs(CLI_PROG " serve: ", stderr);
    vfprintf(stderr, fmt, ap);
}

typedef struct serve_opts {
    const char *host;
    unsigned port;
    unsigned threads;
    int quiet;
} serve_opts;

static int serve_opt(cli_args *a, int key, void *payload)
{
    serve_opts *o = payload;
    size_t v;
    if (key == OPT_HOST) {
        o->host = a->value;
    } else if (key == OPT_PORT) {
        if (cli_parse_size(a, a->value, &v) < 0)
            return -1;
        if (v > 65535) {
            cli_usage_error(a, "--port must be from 0 to 65535");
            return -1;
        }
        o->port = (unsigned)v;
    } else if (key == OPT_THREADS) {
        if (cli_parse_size(a, a->value, &v) < 0)
            return -1;
        if (v < 1 || v > 256) {
            cli_usage_error(a, "--threads must be from 1 to 256");
            return -1;
        }
        o->threads = (unsigned)v;
    } else if (key == OPT_QUIET) {
        o->quiet = 1;
    }
    return 0;
}

/* The page's files as responses made once and queued for every request. */
static int make_files(server *s)
{
    for (size_t i = 0; i < SERVE_PAGE_FILES; i++) {
        serve_file f;
        if (serve_page_file(&f, serve_page_paths[i]) < 0)
            return -1;
        s->files[i] = MHD_create_response_from_buffer(f.len, (void *)(uintptr_t)f.data,
                                                      MHD_RESPMEM_PERSISTENT);
        if (!s->files[i])
            return -1;
        s->file_len[i] = f.len;
        common_headers(s->files[i], f.type, 1);
    }
    return 0;
}

/* Starts the daemon on host:port; NULL after printing why not. */
static struct MHD_Daemon *start(server *s, const serve_opts *o)
{
    struct addrinfo hints, *ai = NULL;
    struct MHD_Daemon *d = NULL;
    char port[8];
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
    int rc;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    snprintf(port, sizeof port, "%u", o->port);
    if ((rc = getaddrinfo(o->host, port, &hints, &ai)) != 0) {
        cli_error("cannot listen on '%s': %s", o->host, gai_strerror(rc));
        return NULL;
    }
    if (ai->ai_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    d = MHD_start_daemon(flags, (uint16_t)o->port, NULL, NULL, handle, s,
                         MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
                         MHD_OPTION_SOCK_ADDR, ai->ai_addr,
                         MHD_OPTION_THREAD_POOL_SIZE, o->threads,
                         MHD_OPTION_CONNECTION_LIMIT, (unsigned)SERVE_CONNECTIONS,
                         MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SERVE_TIMEOUT,
                         MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SERVE_REQUEST_MEM,
                         MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)SERVE_PER_CLIENT,
                         MHD_OPTION_END);
    if (!d)     /* libmicrohttpd has said why (mhd_log) */
        cli_error("cannot listen on %s port %u", o->host, o->port);
    freeaddrinfo(ai);
    return d;
}

int cmd_serve(int argc, char **argv)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    serve_opts o = { "127.0.0.1", 8080, cores < 1 ? 1 : cores > 256 ? 256 : (unsigned)cores, 0 };
    server s = { NULL, 0, { NULL }, { 0 } };
    struct MHD_Daemon *d = NULL;
    const union MHD_DaemonInfo *di;
    const char *db = NULL;
    sigset_t stop;
    int sig = 0, ret = EXIT_ERROR, k;
    cli_args a;

    cli_args_init(&a, argc, argv, opts, usage);
    while ((k = cli_next(&a)) != -1) {
        if (k == -2)
            return EXIT_ERROR;
        if (k == OPT_HELP)
            return 0;
        if (k == 0) {
            if (db)
                return cli_usage_error(&a, "serve takes one index, not '%s' too", a.pos);
            db = a.pos;
        } else if (serve_opt(&a, k, &o) < 0) {
            return EXIT_ERROR;
        }
    }
    if (!db)
        return cli_usage_error(&a, "no index given");
    s.quiet = o.quiet;

    /* SIGINT and SIGTERM are taken by sigwait below: blocked before any
     * thread starts, so that every thread inherits the mask. */
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (cli_open_index(&s.idx, db, NI_OPEN_READONLY) != 0)
        goto cleanup;
    if (serve_mhd_load() < 0)
        goto cleanup;
    if (make_files(&s) < 0) {
        cli_error("out of memory");
        goto cleanup;
    }
    if (!(d = start(&s, &o)))
        goto cleanup;
    di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    fprintf(stderr, CLI_PROG ": serving '%s' on http://%s%s%s:%u/ (Ctrl-C stops)\n", db,
            strchr(o.host, ':') ? "[" : "", o.host, strchr(o.host, ':') ? "]" : "",
            di ? (unsigned)di->port : o.port);
    while (sigwait(&stop, &sig) != 0)
        ;
    fprintf(stderr, CLI_PROG ": %s, stopping\n", sig == SIGINT ? "interrupted" : "terminated");
    ret = 0;

cleanup:
    if (d)
        MHD_stop_daemon(d);
    for (size_t i = 0; i < sizeof s.files / sizeof s.files[0]; i++)
        if (s.files[i])
            MHD_destroy_response(s.files[i]);
    ni_index_close(s.idx);
    return ret;
}
