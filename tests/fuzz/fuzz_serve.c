/* libFuzzer target: nsearch serve's API (tools/serve_api.c) over random
 * request arguments.  The input is "name=value" pairs split at '&' (values
 * may hold any byte, NUL included), given to /api/search, /api/doc and
 * /api/stats over a small index made at the first call.  Every answer is a
 * JSON object ending in a newline, without a raw control byte, with a
 * status the API documents: 200, or an error (400, 404, 414) with "error". */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "newsindex.h"
#include "serve.h"

typedef struct pairs {
    const char *name[16], *value[16];
    size_t len[16];
    char names[16][16];
    int n;
} pairs;

static const char *get(void *ctx, const char *name, size_t *len)
{
    pairs *p = ctx;
    for (int i = 0; i < p->n; i++)
        if (strcmp(p->name[i], name) == 0) {
            *len = p->len[i];
            return p->value[i];
        }
    return NULL;
}

static char dir[] = "/tmp/ni-fuzz-serve-XXXXXX";
static ni_index *idx;

static void remove_index(void)
{
    char cmd[64];
    ni_index_close(idx);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

static void make_index(void)
{
    static const char *const texts[] = {
        "Школа мэров выпустила глав муниципалитетов", "Москва и Ростов-на-Дону",
        "Курс рубля на бирже", "Выпускники школы мэров", "Погода в Москве",
    };
    char id[8];
    if (!mkdtemp(dir) || ni_index_open(&idx, dir, NULL) < 0)
        abort();
    for (int i = 0; i < 5; i++) {
        ni_doc d = NI_DOC_INIT;
        snprintf(id, sizeof id, "d%d", i);
        d.id = id;
        d.id_len = strlen(id);
        d.text = texts[i];
        d.text_len = strlen(texts[i]);
        d.rubric = i % 2 ? "Общество" : "Политика";
        d.rubric_len = strlen(d.rubric);
        if (ni_index_add(idx, &d) < 0)
            abort();
    }
    if (ni_index_commit(idx) < 0)
        abort();
    atexit(remove_index);
}

static void check(int (*fn)(serve_reply *, ni_index *, const serve_args *), pairs *p)
{
    serve_reply r = { 0, NULL, NULL, 0 };
    serve_args a = { get, p };
    int rc = fn(&r, idx, &a);
    assert(rc == 0);
    assert(r.body && r.len >= 3 && r.body[0] == '{' && r.body[r.len - 1] == '\n' &&
           r.body[r.len - 2] == '}');
    assert(r.status == 200 || r.status == 400 || r.status == 404 || r.status == 414);
    if (r.status != 200)
        assert(strncmp(r.body, "{\"error\":", 9) == 0);
    for (size_t i = 0; i + 1 < r.len; i++)      /* JSON: control bytes only escaped */
        assert((unsigned char)r.body[i] >= 0x20);
    free(r.body);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pairs p;
    size_t at = 0;
    char *copy;
    if (!idx)
        make_index();
    if (!(copy = malloc(size + 1)))
        return 0;
    memcpy(copy, data, size);
    copy[size] = 0;
    p.n = 0;
    while (at <= size && p.n < 16) {
        const char *amp = memchr(copy + at, '&', size - at);
        size_t end = amp ? (size_t)(amp - copy) : size;
        const char *eq = memchr(copy + at, '=', end - at);
        size_t nlen = eq ? (size_t)(eq - copy) - at : end - at;
        if (nlen >= sizeof p.names[0])
            nlen = sizeof p.names[0] - 1;
        memcpy(p.names[p.n], copy + at, nlen);
        p.names[p.n][nlen] = 0;
        p.name[p.n] = p.names[p.n];
        p.value[p.n] = eq ? eq + 1 : copy + end;
        p.len[p.n] = eq ? end - (size_t)(eq + 1 - copy) : 0;
        copy[end] = 0;      /* values are NUL-terminated, as libmicrohttpd gives them */
        p.n++;
        at = end + 1;
    }
    check(serve_api_search, &p);
    check(serve_api_doc, &p);
    if (size && data[0] == 's')
        check(serve_api_stats, &p);
    free(copy);
    return 0;
}
