/*
 * test_serve.c - nsearch serve: the JSON API's handlers called directly
 * (every argument limit on both sides, errors, the members of a reply), then
 * the server itself as a process ($NSEARCH serve, default tools/nsearch)
 * over HTTP: the page's files and their headers, paths and methods it
 * refuses, requests larger than its limits, many clients at once, commits
 * of another writer showing up, and a clean stop on SIGTERM and SIGINT with
 * a log line per request.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "newsindex.h"
#include "serve.h"
#include "test.h"
#include "testidx.h"

/* ------------------------------------------------------------------ */
/* The API's handlers                                                  */
/* ------------------------------------------------------------------ */

/* Arguments as name, value pairs (value with an explicit length, so that
 * a test can pass a NUL inside). */
typedef struct kv {
    const char *name, *value;
    size_t len;
} kv;

typedef struct fake_args {
    kv v[8];
    int n;
} fake_args;

static const char *fake_get(void *ctx, const char *name, size_t *len)
{
    fake_args *f = ctx;
    for (int i = 0; i < f->n; i++)
        if (strcmp(f->v[i].name, name) == 0) {
            *len = f->v[i].len;
            return f->v[i].value;
        }
    return NULL;
}

static void put(fake_args *f, const char *name, const char *value)
{
    f->v[f->n].name = name;
    f->v[f->n].value = value;
    f->v[f->n].len = strlen(value);
    f->n++;
}

static ni_index *api_idx;
static char api_dir[] = "/tmp/ni-serve-XXXXXX";

static void add_doc(ni_index *idx, const char *id, const char *title, const char *rubric,
                    const char *date, const char *text)
{
    tidx_add_doc(idx, id, title, rubric, date, text);
}

static const char copy_text[] =
    "Выпускники школы мэров защитили проекты благоустройства городских парков и набережных "
    "в трёх муниципалитетах Владимирской области перед экспертами из Москвы";

/* Twelve documents about the school of mayors (two near copies among
 * them, one with a hostile title and URL), rubrics Общество and Политика. */
static const char *const texts[10] = {
    "Школа мэров выпустила глав муниципалитетов Владимирской области",
    "В школе мэров учились главы городов, сёл и посёлков",
    "Губернатор вручил дипломы выпускникам школы мэров в Суздале",
    "Школа мэров открыла набор: заявки принимают до конца августа",
    "Мэры малых городов рассказали, чему научились в школе мэров",
    "Проекты выпускников школы мэров получат гранты на благоустройство",
    "Школа мэров провела выездную сессию в Гусь-Хрустальном",
    "Эксперты школы мэров оценили бюджеты поселений",
    "Из школы мэров вышли двадцать руководителей районов",
    "Школа мэров: как управлять городом без дефицита",
};

static void api_setup(void)
{
    char id[16], title[64], date[16];
    api_idx = tidx_open_temp(api_dir);
    for (int i = 0; i < 10; i++) {
        snprintf(id, sizeof id, "d%02d", i);
        snprintf(title, sizeof title, "Школа мэров, выпуск %d", i);
        snprintf(date, sizeof date, "2024-07-%02d", i + 1);
        add_doc(api_idx, id, title, i < 6 ? "Общество" : "Политика", date,
                texts[i]);
    }
    add_doc(api_idx, "copy-a", "Выпуск школы мэров", "Общество", "2024-08-01", copy_text);
    add_doc(api_idx, "copy-b", "<img src=x onerror=alert(1)>", "Общество", "2024-08-02",
            copy_text);
    CHECK_RC(ni_index_commit(api_idx), 0);
}

/* Runs handler fn with the arguments; returns the status (0 when the
 * handler failed) and leaves the body in *body (the caller frees). */
static unsigned call(int (*fn)(serve_reply *, ni_index *, const serve_args *), fake_args *f,
                     char **body)
{
    serve_reply r = { 0, NULL, NULL, 0 };
    serve_args a = { fake_get, f };
    if (fn(&r, api_idx, &a) < 0) {
        free(r.body);
        *body = NULL;
        return 0;
    }
    CHECK(r.type && strncmp(r.type, "application/json", 16) == 0);
    CHECK(r.body && r.len == strlen(r.body) && r.body[r.len - 1] == '\n');
    *body = r.body;
    return r.status;
}

/* The status of a search with arguments "name=value" pairs. */
static unsigned search_status(const char *const *pairs, int n, const char *want_in_body)
{
    fake_args f = { .n = 0 };
    char *body;
    for (int i = 0; i < n; i += 2)
        put(&f, pairs[i], pairs[i + 1]);
    unsigned st = call(serve_api_search, &f, &body);
    if (want_in_body && (!body || !strstr(body, want_in_body))) {
        fprintf(stderr, "body lacks %s: %s\n", want_in_body, body ? body : "(none)");
        CHECK(0);
    }
    free(body);
    return st;
}

static void search_reply(void)
{
    fake_args f = { .n = 0 };
    char *body;
    put(&f, "q", "школа мэров");
    put(&f, "n", "3");
    CHECK(call(serve_api_search, &f, &body) == 200);
    /* all 12 match; the two copies fold into one story */
    CHECK(strstr(body, "{\"total\":12,\"returned\":3,") == body);
    CHECK(strstr(body, ",\"hits\":[{\"rank\":1,"));
    CHECK(strstr(body, "\"snippet\":"));
    CHECK(strstr(body, "\"highlights\":[["));
    CHECK(strstr(body, "\"title_highlights\":[["));
    CHECK(body[strlen(body) - 2] == '}');
    free(body);
}

static void search_limits(void)
{
    char q[SERVE_MAX_QUERY + 2];
    /* n: 1 and 100 are taken, 0 and 101 are not */
    CHECK(search_status((const char *[]){ "q", "школа", "n", "1" }, 4, "\"returned\":1,") == 200);
    CHECK(search_status((const char *[]){ "q", "школа", "n", "100" }, 4, "\"returned\":11,") == 200);
    CHECK(search_status((const char *[]){ "q", "школа", "n", "0" }, 4, "n must be") == 400);
    CHECK(search_status((const char *[]){ "q", "школа", "n", "101" }, 4, "n must be") == 400);
    CHECK(search_status((const char *[]){ "q", "школа", "n", "" }, 4, "n must be") == 400);
    CHECK(search_status((const char *[]){ "q", "школа", "n", "1x" }, 4, "n must be") == 400);
    CHECK(search_status((const char *[]){ "q", "школа", "n", "-1" }, 4, "n must be") == 400);
    CHECK(search_status((const char *[]){ "q", "школа", "n", "99999999999" }, 4, NULL) == 400);
    /* offset: 0 and 10000 are taken, 10001 is not */
    CHECK(search_status((const char *[]){ "q", "школа", "offset", "0" }, 4, NULL) == 200);
    /* 12 matches, 11 stories: the copies fold */
    CHECK(search_status((const char *[]){ "q", "школа", "offset", "10" }, 4, "\"returned\":1,") ==
          200);
    CHECK(search_status((const char *[]){ "q", "школа", "offset", "11" }, 4, "\"returned\":0,") ==
          200);
    CHECK(search_status((const char *[]){ "q", "школа", "offset", "10000" }, 4,
                        "\"returned\":0,") == 200);
    CHECK(search_status((const char *[]){ "q", "школа", "offset", "10001" }, 4, "offset") == 400);
    /* q: missing, empty, exactly the limit (spaces then a word), one more */
    CHECK(search_status((const char *[]){ "n", "3" }, 2, "missing q") == 400);
    CHECK(search_status((const char *[]){ "q", "" }, 2, "missing q") == 400);
    memset(q, ' ', sizeof q);
    strcpy(q + SERVE_MAX_QUERY - 10, "школа");                 /* 4096 bytes in all */
    CHECK(search_status((const char *[]){ "q", q }, 2, "\"total\":12,") == 200);
    strcpy(q + SERVE_MAX_QUERY - 9, "школа");                  /* 4097 */
    CHECK(search_status((const char *[]){ "q", q }, 2, "q too long: 4097 bytes") == 414);
    /* sort, exact, collapse */
    CHECK(search_status((const char *[]){ "q", "школа", "sort", "date", "n", "1" }, 6,
                        "\"id\":\"copy-b\"") == 200);
    CHECK(search_status((const char *[]){ "q", "школа", "sort", "newest" }, 4, "sort") == 400);
    CHECK(search_status((const char *[]){ "q", "школа", "exact", "2" }, 4, "exact") == 400);
    CHECK(search_status((const char *[]){ "q", "школа", "collapse", "yes" }, 4, "collapse") ==
          400);
}

static void search_bad_text(void)
{
    fake_args f = { .n = 0 };
    char *body;
    /* a NUL inside q: the decoded value is longer than its C string */
    put(&f, "q", "школа");
    f.v[0].value = "шк\0ола";
    f.v[0].len = 7;
    CHECK(call(serve_api_search, &f, &body) == 400);
    CHECK(body && strstr(body, "not valid UTF-8"));
    free(body);
    CHECK(search_status((const char *[]){ "q", "\xff\xfe" }, 2, "not valid UTF-8") == 400);
    CHECK(search_status((const char *[]){ "q", "шко\xd0" }, 2, "not valid UTF-8") == 400);
    /* the library's refusals are 400 with its reason */
    CHECK(search_status((const char *[]){ "q", "title:" }, 2, "bad query: field without") == 400);
    CHECK(search_status((const char *[]){ "q", "date:2024-13" }, 2, "bad query: bad date") == 400);
    CHECK(search_status((const char *[]){ "q", "школа", "facets", "colour" }, 4, "bad facets") ==
          400);
    CHECK(search_status((const char *[]){ "q", "школа", "facets", "rubric\xff" }, 4,
                        "facets is not valid UTF-8") == 400);
    char spec[SERVE_MAX_FACETS + 2];
    memset(spec, ' ', sizeof spec);
    memcpy(spec + SERVE_MAX_FACETS - 6, "rubric", 7);          /* 256 bytes: read */
    CHECK(search_status((const char *[]){ "q", "школа", "facets", spec }, 4,
                        "\"facets\":{\"rubric\":") == 200);
    memcpy(spec + SERVE_MAX_FACETS - 5, "rubric", 7);          /* 257 */
    CHECK(search_status((const char *[]){ "q", "школа", "facets", spec }, 4, "facets too long") ==
          414);
}

static void search_members(void)
{
    /* the copies fold: one hit lists the other as a whole object */
    CHECK(search_status((const char *[]){ "q", "набережных парков" }, 2,
                        "\"duplicates\":[{\"id\":\"copy-") == 200);
    CHECK(search_status((const char *[]){ "q", "набережных парков" }, 2,
                        "\"total\":2,\"returned\":1,") == 200);
    CHECK(search_status((const char *[]){ "q", "набережных парков", "collapse", "0" }, 4,
                        "\"total\":2,\"returned\":2,") == 200);
    /* facets over every match */
    CHECK(search_status((const char *[]){ "q", "школа", "facets", "rubric" }, 4,
                        "\"facets\":{\"rubric\":[{\"value\":\"Общество\",\"count\":8},"
                        "{\"value\":\"Политика\",\"count\":4}]}") == 200);
    /* a rescued query says what it searched; exact=1 does not rescue */
    CHECK(search_status((const char *[]){ "q", "irjkf" }, 2, "\"searched\":\"школа\"") == 200);
    CHECK(search_status((const char *[]){ "q", "irjkf", "exact", "1" }, 4, "\"total\":0,") == 200);
    /* a hostile title is JSON text like any other */
    CHECK(search_status((const char *[]){ "q", "набережных", "collapse", "0" }, 4,
                        "\"title\":\"<img src=x onerror=alert(1)>\"") == 200);
}

static void doc_and_stats(void)
{
    fake_args f = { .n = 0 };
    char *body, id[SERVE_MAX_ID + 2];
    put(&f, "id", "d03");
    CHECK(call(serve_api_doc, &f, &body) == 200);
    CHECK(body && strstr(body, "{\"id\":\"d03\",") == body && strstr(body, "\"text\":\"Школа мэров открыла набор"));
    free(body);
    f.v[0].value = "nope";
    f.v[0].len = 4;
    CHECK(call(serve_api_doc, &f, &body) == 404);
    CHECK(body && strstr(body, "no document 'nope'"));
    free(body);
    /* id: the limit is taken (not found), one more byte is not */
    memset(id, 'x', sizeof id);
    id[SERVE_MAX_ID] = 0;
    f.v[0].value = id;
    f.v[0].len = SERVE_MAX_ID;
    CHECK(call(serve_api_doc, &f, &body) == 404);
    free(body);
    f.v[0].len = SERVE_MAX_ID + 1;
    id[SERVE_MAX_ID + 1] = 0;
    CHECK(call(serve_api_doc, &f, &body) == 414);
    free(body);
    f.n = 0;
    CHECK(call(serve_api_doc, &f, &body) == 400);
    CHECK(body && strstr(body, "missing id"));
    free(body);
    CHECK(call(serve_api_stats, &f, &body) == 200);
    CHECK(body && strstr(body, "{\"docs\":12,"));
    free(body);
}

static void page_files(void)
{
    serve_file f;
    CHECK(serve_page_file(&f, "/") == 0 && strstr(f.type, "text/html"));
    CHECK(f.len > 100 && memcmp(f.data, "<!doctype html>", 15) == 0);
    CHECK(f.data[f.len - 1] == '\n' && memmem(f.data, f.len, "</html>", 7));
    CHECK(serve_page_file(&f, "/app.js") == 0 && strstr(f.type, "javascript"));
    CHECK(memmem(f.data, f.len, "textContent", 11) != NULL);
    CHECK(serve_page_file(&f, "/app.css") == 0 && strstr(f.type, "text/css"));
    CHECK(serve_page_file(&f, "/favicon.svg") == 0 && strstr(f.type, "image/svg+xml"));
    CHECK(f.len > 20 && memcmp(f.data, "<svg", 4) == 0);
    for (size_t i = 0; i < SERVE_PAGE_FILES; i++)
        CHECK(serve_page_file(&f, serve_page_paths[i]) == 0);
    CHECK(serve_page_file(&f, "/index.html") < 0);
    CHECK(serve_page_file(&f, "") < 0);
}

/* ------------------------------------------------------------------ */
/* The server as a process                                             */
/* ------------------------------------------------------------------ */

typedef struct server_proc {
    pid_t pid;
    int port;
    FILE *log;          /* its stderr */
} server_proc;

/* Starts $NSEARCH serve dir --port 0 (and extra options); the port from
 * its "serving ... on http://127.0.0.1:PORT/" line. */
static int server_start(server_proc *s, const char *dir, const char *extra)
{
    const char *bin = getenv("NSEARCH") ? getenv("NSEARCH") : "tools/nsearch";
    int fds[2];
    char line[512];
    if (pipe(fds) < 0)
        return -1;
    s->pid = fork();
    if (s->pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        close(fds[1]);
        if (extra)
            execl(bin, bin, "serve", dir, "--port", "0", "--threads", "2", extra, (char *)NULL);
        else
            execl(bin, bin, "serve", dir, "--port", "0", "--threads", "2", (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    s->log = fdopen(fds[0], "r");
    s->port = 0;
    while (s->log && fgets(line, sizeof line, s->log)) {
        const char *p = strstr(line, "http://127.0.0.1:");
        if (p) {
            s->port = atoi(p + 17);
            break;
        }
    }
    return s->port > 0 ? 0 : -1;
}

/* Sends req (a whole HTTP/1.1 request) and reads the reply until the
 * server closes; the status, the reply in *out (malloc'ed). */
static int http(int port, const char *req, size_t reqlen, char **out)
{
    struct sockaddr_in sa;
    int fd = socket(AF_INET, SOCK_STREAM, 0), status = 0;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    ssize_t n;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    *out = NULL;
    if (fd < 0 || !buf || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
        goto done;
    for (size_t at = 0; at < reqlen; at += (size_t)n)
        if ((n = send(fd, req + at, reqlen - at, MSG_NOSIGNAL)) <= 0)
            break;
    while ((n = recv(fd, buf + len, cap - len - 1, 0)) > 0) {
        len += (size_t)n;
        if (cap - len < 2) {
            char *b = realloc(buf, cap *= 2);
            if (!b)
                break;
            buf = b;
        }
    }
    buf[len] = 0;
    if (len > 12 && strncmp(buf, "HTTP/1.1 ", 9) == 0)
        status = atoi(buf + 9);
    *out = buf;
    buf = NULL;
done:
    free(buf);
    if (fd >= 0)
        close(fd);
    return status;
}

/* GET target with Connection: close. */
static int get(int port, const char *target, char **out)
{
    size_t size = strlen(target) + 64;
    char *req = malloc(size);
    int n, st;
    if (!req)
        return 0;
    n = snprintf(req, size, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", target);
    st = http(port, req, (size_t)n, out);
    free(req);
    return st;
}

static const char *body_of(const char *reply)
{
    const char *b = reply ? strstr(reply, "\r\n\r\n") : NULL;
    return b ? b + 4 : "";
}

/* The server's exit status after sig, or -1 when it did not stop in 10 s. */
static int server_stop(server_proc *s, int sig)
{
    int st;
    kill(s->pid, sig);
    for (int i = 0; i < 1000; i++) {
        if (waitpid(s->pid, &st, WNOHANG) == s->pid)
            return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        usleep(10000);
    }
    kill(s->pid, SIGKILL);
    waitpid(s->pid, &st, 0);
    return -1;
}

static void http_page_and_refusals(void)
{
    server_proc s;
    char *r, big[40000];
    int lines = 0, ok = 0, ok_log = 0, raw = 0, long_cut = -1;
    char line[1024];
    if (server_start(&s, api_dir, NULL) < 0) {
        CHECK(!"server started");
        return;
    }
    CHECK(get(s.port, "/", &r) == 200);
    CHECK(strstr(r, "Content-Type: text/html; charset=utf-8\r\n"));
    CHECK(strstr(r, "Content-Security-Policy: default-src 'none'; script-src 'self';"));
    CHECK(strstr(r, "X-Content-Type-Options: nosniff\r\n"));
    CHECK(strstr(body_of(r), "<!doctype html>") == body_of(r));
    free(r);
    CHECK(get(s.port, "/app.js", &r) == 200 && strstr(r, "text/javascript"));
    free(r);
    CHECK(get(s.port, "/api/search?q=%D1%88%D0%BA%D0%BE%D0%BB%D0%B0+%D0%BC%D1%8D%D1%80%D0%BE%D0%B2",
              &r) == 200);
    CHECK(strstr(body_of(r), "{\"total\":12,"));
    CHECK(strstr(r, "Content-Security-Policy:") && strstr(r, "Cache-Control: no-store"));
    free(r);
    CHECK(get(s.port, "/api/search?q=%FF", &r) == 400 && strstr(r, "not valid UTF-8"));
    free(r);
    /* nothing outside the site */
    CHECK(get(s.port, "/../../etc/passwd", &r) == 404);
    CHECK(!strstr(r, "root:"));
    free(r);
    CHECK(get(s.port, "/app.js/", &r) == 404);
    free(r);
    CHECK(get(s.port, "/api/", &r) == 404 && strstr(r, "\"error\":"));
    free(r);
    /* read-only: no other method */
    const char post[] = "POST /api/search?q=a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                        "Content-Length: 3\r\n\r\nabc";
    CHECK(http(s.port, post, sizeof post - 1, &r) == 405 && strstr(r, "Allow: GET, HEAD"));
    free(r);
    const char head[] = "HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    CHECK(http(s.port, head, sizeof head - 1, &r) == 200 && *body_of(r) == 0);
    free(r);
    /* a request line or headers over the limit are refused, not served */
    memset(big, 'a', sizeof big);
    memcpy(big, "GET /?q=", 8);
    strcpy(big + sizeof big - 40, " HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(http(s.port, big, strlen(big), &r) == 414);
    free(r);
    /* q over the limit through HTTP: the API's own 414, as JSON */
    char target[3 * SERVE_MAX_QUERY + 64];
    int at = snprintf(target, sizeof target, "/api/search?q=");
    for (int i = 0; i <= SERVE_MAX_QUERY; i++)
        at += snprintf(target + at, sizeof target - (size_t)at, "%%D1");
    CHECK(get(s.port, target, &r) == 414 && strstr(body_of(r), "{\"error\":\"q too long"));
    free(r);
    /* the log never carries control characters or bidi overrides as they are */
    CHECK(get(s.port, "/api/search?q=a%01b%C2%9Bc%E2%80%AEd%E2%81%A6e%1B[31m", &r) == 200);
    free(r);
    CHECK(server_stop(&s, SIGTERM) == 0);
    /* one line per request (HEAD and POST included), then the stop */
    while (fgets(line, sizeof line, s.log)) {
        if (strstr(line, " 127.0.0.1 GET ") || strstr(line, " 127.0.0.1 POST ") ||
            strstr(line, " 127.0.0.1 HEAD "))
            lines++;
        if (strstr(line, "terminated, stopping"))
            ok = 1;
        if (strstr(line, "/api/search?q=a?b?c?d?e?[31m 200 "))   /* one ? a character */
            ok_log = 1;
        if (strstr(line, "/api/search?q=??????"))     /* 0xD1 alone is no character */
            long_cut = strstr(line, "?... 414 ") != NULL;
        for (const char *p = line; *p; p++)
            if ((unsigned char)*p < 0x20 && *p != '\n')
                raw = 1;
        if (strstr(line, "\xc2\x9b") || strstr(line, "\xe2\x80\xae") || strstr(line, "\xe2\x81\xa6"))
            raw = 1;
    }
    CHECK(lines == 11);         /* the request over the limit never reached it */
    CHECK(ok && ok_log && !raw);
    CHECK(long_cut == 1);       /* cut to CLI_QUERY_ECHO characters */
    fclose(s.log);
}

typedef struct client {
    int port, ok;
} client;

static void *client_run(void *p)
{
    client *c = p;
    char *r;
    for (int i = 0; i < 40; i++) {
        int st = get(c->port, i % 2 ? "/api/search?q=%D1%88%D0%BA%D0%BE%D0%BB%D0%B0&n=5"
                                    : "/api/doc?id=d05", &r);
        if (st == 200 && (i % 2 ? strstr(body_of(r), "\"returned\":5,") != NULL
                                : strstr(body_of(r), "\"id\":\"d05\"") != NULL))
            c->ok++;
        free(r);
    }
    return NULL;
}

/* Eight clients at once, then a commit by another writer shows up in the
 * next request; SIGINT stops the server too. */
static void http_clients_and_commits(void)
{
    server_proc s;
    pthread_t t[8];
    client c[8];
    char *r;
    if (server_start(&s, api_dir, "--quiet") < 0) {
        CHECK(!"server started");
        return;
    }
    for (int i = 0; i < 8; i++) {
        c[i].port = s.port;
        c[i].ok = 0;
        pthread_create(&t[i], NULL, client_run, &c[i]);
    }
    for (int i = 0; i < 8; i++) {
        pthread_join(t[i], NULL);
        CHECK(c[i].ok == 40);
    }
    /* the index is ours to write: the API fixture's handle is the writer */
    add_doc(api_idx, "late", "Школа мэров: поздняя новость", NULL, NULL, "школа мэров");
    CHECK_RC(ni_index_commit(api_idx), 0);
    CHECK(get(s.port, "/api/search?q=%D1%88%D0%BA%D0%BE%D0%BB%D0%B0&collapse=0", &r) == 200);
    CHECK(strstr(body_of(r), "{\"total\":13,"));
    free(r);
    CHECK(get(s.port, "/api/doc?id=late", &r) == 200);
    free(r);
    CHECK_RC(ni_index_delete(api_idx, "late", 4), 0);
    CHECK_RC(ni_index_commit(api_idx), 0);
    CHECK(get(s.port, "/api/doc?id=late", &r) == 404);
    free(r);
    CHECK(server_stop(&s, SIGINT) == 0);
    fclose(s.log);
}

/* A server that cannot start says so and exits 2: a missing index, a
 * port another server holds. */
static void http_bad_start(void)
{
    server_proc s, first;
    char port[16], line[512];
    int st, said = 0;
    CHECK(server_start(&s, "/nonexistent/ni-serve-test", NULL) < 0);
    waitpid(s.pid, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 2);
    if (s.log)
        fclose(s.log);
    if (server_start(&first, api_dir, NULL) < 0) {
        CHECK(!"server started");
        return;
    }
    snprintf(port, sizeof port, "%d", first.port);
    int fds[2];
    CHECK(pipe(fds) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        const char *bin = getenv("NSEARCH") ? getenv("NSEARCH") : "tools/nsearch";
        dup2(fds[1], 2);
        close(fds[0]);
        close(fds[1]);
        execl(bin, bin, "serve", api_dir, "--port", port, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    waitpid(pid, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 2);
    FILE *err = fdopen(fds[0], "r");
    while (err && fgets(line, sizeof line, err))
        said |= strstr(line, "cannot listen on 127.0.0.1 port") != NULL;
    if (err)
        fclose(err);
    CHECK(said);
    CHECK(server_stop(&first, SIGTERM) == 0);
    fclose(first.log);
}

static void cleanup(void)
{
    tidx_close_remove(api_idx, api_dir);
}

TEST_MAIN(TEST(api_setup), TEST(search_reply), TEST(search_limits), TEST(search_bad_text),
          TEST(search_members), TEST(doc_and_stats), TEST(page_files),
          TEST(http_page_and_refusals), TEST(http_clients_and_commits), TEST(http_bad_start),
          TEST(cleanup))
