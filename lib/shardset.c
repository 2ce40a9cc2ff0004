/*
 * shardset.c - local shards (newsindex.h, ni_shardset_*): one collection
 * split over N indexes in one directory, written through one handle and
 * searched in the two phases of the shard API (shard.c) in one process,
 * so that an application searches it as it searches one index.  Does not
 * split an existing index, nor change the number of shards.
 *
 * Layout of the directory DB:
 *     DB/shards         one line of text: "newsindex-shards 1 N\n" (layout
 *                       version 1, N shards, 1 <= N <= NI_SHARDS_MAX)
 *     DB/shard-K        shard K (0 <= K < N): an index directory as
 *                       ni_index_open makes it, unchanged in format
 *     DB/order-K        shard K's documents in the order of indexing over
 *                       all shards: a le64 per internal id of the shard
 *                       (its ids below the shard's next internal id), the
 *                       place of that document in one sequence every add
 *                       of the collection took a number from; the tie-break
 *                       of equal hits (newsindex.h, "Ties"), as one index
 *                       built in that order breaks ties by its internal ids
 * A document goes to shard FNV-1a-32(id bytes) mod N (ni_shardset_pick).
 *
 * The order file of a shard is rewritten (a new file renamed over it)
 * after each commit of the shard: the ids the commit gave out are looked
 * up by external id.  A crash between the two leaves the file short; the
 * missing entries read as UINT64_MAX (last among ties), never a wrong hit
 * or score.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "hits.h"
#include "index.h"
#include "layout.h"
#include "mem.h"
#include "search.h"
#include "shard.h"

#define LAYOUT_VERSION 1
#define NO_ORDER UINT64_MAX

typedef struct part {
    ni_index *idx;
    uint64_t *order;           /* internal id -> place in indexing order */
    size_t norder, cap;
    ni_buf pending;            /* adds since the last commit: le32 length,
                                  the id, le64 place */
} part;

struct ni_shardset {
    char *path;
    unsigned n;
    part *p;
    uint64_t next_place;       /* the next add's place */
};

unsigned ni_shardset_pick(const ni_shardset *set, const char *id, size_t id_len)
{
    uint32_t h = 2166136261u;
    size_t i;
    for (i = 0; i < id_len; i++)
        h = (h ^ (unsigned char)id[i]) * 16777619u;
    return set && set->n ? h % set->n : 0;
}

unsigned ni_shardset_count(const ni_shardset *set)
{
    return set ? set->n : 0;
}

ni_index *ni_shardset_shard(ni_shardset *set, unsigned i)
{
    return set && i < set->n ? set->p[i].idx : NULL;
}

/* path/name-k (k < 0: path/name) into buf. */
static void part_path(char *buf, size_t size, const char *path, const char *name, int k)
{
    if (k < 0)
        snprintf(buf, size, "%s/%s", path, name);
    else
        snprintf(buf, size, "%s/%s-%d", path, name, k);
}

/* Reads the layout file of path: *n its shard count; NI_ENOTFOUND when
 * there is none. */
static int read_layout(const char *path, unsigned *n)
{
    char file[4096], line[64];
    unsigned version = 0;
    FILE *f;
    int ok;

    part_path(file, sizeof file, path, "shards", -1);
    if (!(f = fopen(file, "r")))
        return errno == ENOENT || errno == ENOTDIR
                   ? ni_error(NI_ENOTFOUND, "'%s' is not a sharded index", path)
                   : ni_error(NI_EIO, "cannot read '%s': %s", file, strerror(errno));
    ok = fgets(line, sizeof line, f) && sscanf(line, "newsindex-shards %u %u", &version, n) == 2;
    fclose(f);
    if (!ok || *n < 1 || *n > NI_SHARDS_MAX)
        return ni_error(NI_ECORRUPT, "'%s' is not a shard layout", file);
    if (version != LAYOUT_VERSION)
        return ni_error(NI_EVERSION, "shard layout version %u in '%s'; this library knows %u",
                        version, file, LAYOUT_VERSION);
    return 0;
}

/* Writes data[0..len) to path through a new file renamed over it. */
static int write_file(const char *path, const void *data, size_t len)
{
    char tmp[4200];
    FILE *f;
    int ok;

    snprintf(tmp, sizeof tmp, "%s.new", path);
    if (!(f = fopen(tmp, "wb")))
        return ni_error(NI_EIO, "cannot write '%s': %s", tmp, strerror(errno));
    ok = (len == 0 || fwrite(data, 1, len, f) == len) && fflush(f) == 0 && fsync(fileno(f)) == 0;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return ni_error(NI_EIO, "cannot write '%s': %s", path, strerror(e));
    }
    return 0;
}

/* The next internal id of idx's last commit into *next. */
static int next_doc(ni_index *idx, uint64_t *next)
{
    ni_txn *t;
    ni_meta m;
    int rc = ni_txn_begin(&t, idx->store, 0);
    if (rc < 0)
        return rc;
    rc = ni_meta_read(t, &m);
    ni_txn_abort(t);
    *next = m.next_doc;
    return rc;
}

/* Sizes p's order to next entries (new ones NO_ORDER). */
static int order_resize(part *p, uint64_t next)
{
    if (next > SIZE_MAX / sizeof *p->order)
        return ni_error(NI_ENOMEM, "out of memory");
    if (ni_grow((void **)&p->order, &p->cap, (size_t)next ? (size_t)next : 1, sizeof *p->order) < 0)
        return ni_error(NI_ENOMEM, "out of memory");
    while (p->norder < next)
        p->order[p->norder++] = NO_ORDER;
    p->norder = (size_t)next;
    return 0;
}

/* Reads shard k's order file (missing: none yet), as long as its index's
 * next internal id; raises set->next_place past every place in it. */
static int read_order(ni_shardset *set, int k)
{
    char file[4096];
    part *p = &set->p[k];
    uint64_t next;
    unsigned char x[8];
    FILE *f;
    size_t i = 0;
    int rc;

    if ((rc = next_doc(p->idx, &next)) < 0 || (rc = order_resize(p, next)) < 0)
        return rc;
    part_path(file, sizeof file, set->path, "order", k);
    if (!(f = fopen(file, "rb")))
        return errno == ENOENT ? 0 : ni_error(NI_EIO, "cannot read '%s': %s", file,
                                              strerror(errno));
    while (i < p->norder && fread(x, 1, 8, f) == 8)
        p->order[i++] = ni_get_le64(x);
    fclose(f);
    for (i = 0; i < p->norder; i++)
        if (p->order[i] != NO_ORDER && p->order[i] >= set->next_place)
            set->next_place = p->order[i] + 1;
    return 0;
}

void ni_shardset_close(ni_shardset *set)
{
    unsigned i;
    if (!set)
        return;
    for (i = 0; set->p && i < set->n; i++) {
        ni_index_close(set->p[i].idx);
        ni_mem_free(set->p[i].order);
        ni_buf_free(&set->p[i].pending);
    }
    ni_mem_free(set->p);
    ni_mem_free(set->path);
    ni_mem_free(set);
}

/* Makes the directory path with a layout file of n shards, when it holds
 * no layout yet. */
static int create_layout(const char *path, unsigned n)
{
    char file[4096], line[64];
    if (n < 1 || n > NI_SHARDS_MAX)
        return ni_error(NI_EINVAL, "%u shards: 1 to %d", n, NI_SHARDS_MAX);
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        return ni_error(NI_EIO, "cannot make '%s': %s", path, strerror(errno));
    part_path(file, sizeof file, path, "shards", -1);
    snprintf(line, sizeof line, "newsindex-shards %d %u\n", LAYOUT_VERSION, n);
    return write_file(file, line, strlen(line));
}

int ni_shardset_open(ni_shardset **out, const char *path, unsigned shards,
                     const ni_open_options *opts)
{
    ni_open_options def = NI_OPEN_OPTIONS_INIT;
    ni_shardset *set;
    unsigned n = 0, i;
    int rc;

    ni_error_clear();
    if (!out)
        return ni_error(NI_EINVAL, "ni_shardset_open: out is NULL");
    *out = NULL;
    if (!path || !*path || strlen(path) > 4000)
        return ni_error(NI_EINVAL, "ni_shardset_open: no path, or a path too long");
    if (!opts)
        opts = &def;
    rc = read_layout(path, &n);
    if (rc == NI_ENOTFOUND && shards && (opts->flags & NI_OPEN_CREATE)) {
        ni_error_clear();
        if ((rc = create_layout(path, shards)) == 0)
            n = shards;
    }
    if (rc < 0)
        return rc;
    if (shards && shards != n)
        return ni_error(NI_EINVAL, "'%s' has %u shards, not %u", path, n, shards);
    if (!(set = ni_mem_calloc(1, sizeof *set)) || !(set->path = ni_mem_strndup(path, strlen(path))) ||
        !(set->p = ni_mem_calloc(n, sizeof *set->p))) {
        ni_shardset_close(set);
        return ni_error(NI_ENOMEM, "out of memory");
    }
    set->n = n;
    for (i = 0; i < n; i++) {
        char dir[4096];
        part_path(dir, sizeof dir, path, "shard", (int)i);
        if ((rc = ni_index_open(&set->p[i].idx, dir, opts)) < 0 ||
            (rc = read_order(set, (int)i)) < 0) {
            ni_shardset_close(set);
            return rc;
        }
    }
    *out = set;
    return 0;
}

int ni_shardset_add(ni_shardset *set, const ni_doc *doc)
{
    unsigned char x[8];
    part *p;
    int rc;

    if (!set || !doc || (!doc->id && doc->id_len))
        return ni_error(NI_EINVAL, "ni_shardset_add: NULL argument");
    if (doc->id_len > UINT32_MAX)
        return ni_error(NI_EINVAL, "ni_shardset_add: an id of %zu bytes", doc->id_len);
    p = &set->p[ni_shardset_pick(set, doc->id, doc->id_len)];
    if ((rc = ni_index_add(p->idx, doc)) < 0)
        return rc;
    ni_put_le32(x, (uint32_t)doc->id_len);
    if ((rc = ni_buf_put(&p->pending, x, 4)) < 0 ||
        (rc = ni_buf_put(&p->pending, doc->id, doc->id_len)) < 0)
        return rc;
    ni_put_le64(x, set->next_place++);
    return ni_buf_put(&p->pending, x, 8);
}

int ni_shardset_delete(ni_shardset *set, const char *id, size_t id_len)
{
    if (!set || (!id && id_len))
        return ni_error(NI_EINVAL, "ni_shardset_delete: NULL argument");
    return ni_index_delete(set->p[ni_shardset_pick(set, id, id_len)].idx, id, id_len);
}

/* Commits shard k, then gives the internal ids its commit handed out
 * their places (the last add of an id wins) and rewrites its order file. */
static int commit_part(ni_shardset *set, int k)
{
    part *p = &set->p[k];
    size_t old = p->norder, at = 0, i;
    uint64_t next;
    ni_txn *t = NULL;
    char file[4096];
    ni_buf bytes = { 0 };
    int rc;

    if ((rc = ni_index_commit(p->idx)) < 0 || (rc = next_doc(p->idx, &next)) < 0 ||
        (rc = order_resize(p, next)) < 0 || (rc = ni_txn_begin(&t, p->idx->store, 0)) < 0)
        goto cleanup;
    while (at < p->pending.len) {
        const unsigned char *e = p->pending.data + at;
        uint32_t len = ni_get_le32(e), doc;
        at += 4 + len + 8;
        if ((rc = ni_id_get(t, (const char *)e + 4, len, &doc)) == NI_ENOTFOUND) {
            ni_error_clear();
            rc = 0;
            continue;           /* deleted again before the commit */
        }
        if (rc < 0)
            goto cleanup;
        if (doc >= old && doc < p->norder)
            p->order[doc] = ni_get_le64(e + 4 + len);
    }
    p->pending.len = 0;
    if (!(bytes.data = ni_mem_alloc(p->norder * 8 + 1))) {
        rc = ni_error(NI_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (i = 0; i < p->norder; i++)
        ni_put_le64(bytes.data + 8 * i, p->order[i]);
    part_path(file, sizeof file, set->path, "order", k);
    rc = write_file(file, bytes.data, p->norder * 8);
cleanup:
    ni_txn_abort(t);
    ni_mem_free(bytes.data);
    return rc;
}

int ni_shardset_commit(ni_shardset *set)
{
    unsigned i;
    int rc = 0;
    if (!set)
        return ni_error(NI_EINVAL, "ni_shardset_commit: NULL argument");
    for (i = 0; i < set->n && rc == 0; i++)
        rc = commit_part(set, (int)i);
    return rc;
}

/* The shards' cursors merged into the cursor *m (fields of ni_hits). */
static int merge_parts(ni_hits *m, ni_shardset *set, ni_hits **parts,
                       const ni_search_options *opts)
{
    ni_shard_hits **lists = ni_mem_calloc(set->n, sizeof *lists), *merged = NULL;
    size_t i, j;
    int rc = 0;

    if (!lists)
        return ni_error(NI_ENOMEM, "out of memory");
    for (i = 0; i < set->n && rc == 0; i++) {
        if ((rc = ni_shard_hits_of(&lists[i], parts[i])) < 0)
            break;
        for (j = 0; j < lists[i]->n; j++) {
            ni_shard_hit *x = &lists[i]->hit[j];
            x->shard = (uint32_t)i;
            x->order = x->doc < set->p[i].norder ? set->p[i].order[x->doc] : NO_ORDER;
        }
    }
    if (rc == 0 && (rc = ni_shard_hits_merge(&merged, lists, set->n, opts)) == 0) {
        m->res = ni_mem_alloc((merged->n ? merged->n : 1) * sizeof *m->res);
        m->part_of = ni_mem_alloc((merged->n ? merged->n : 1) * sizeof *m->part_of);
        if (!m->res || !m->part_of)
            rc = ni_error(NI_ENOMEM, "out of memory");
        for (i = 0; rc == 0 && i < merged->n; i++) {
            m->res[i].doc = merged->hit[i].doc;
            m->res[i].score = merged->hit[i].score;
            m->res[i].date = merged->hit[i].date;
            m->part_of[i] = merged->hit[i].shard;
            m->nstrict += !merged->hit[i].partial;
            m->has_partial |= merged->hit[i].partial;
        }
        if (rc == 0) {
            m->nres = merged->n;
            m->total = merged->total;
            m->partial_total = merged->partial_total;
            m->total_approx = merged->total_approx;
        }
    }
    for (i = 0; i < set->n; i++)
        ni_shard_hits_free(lists[i]);
    ni_mem_free(lists);
    ni_shard_hits_free(merged);
    return rc;
}

/* Phase 1 into *global: each shard's statistics in its snapshot, summed. */
static int gather(ni_shard_stats **global, ni_shardset *set, ni_snapshot **snaps,
                  const char *query, size_t len, const ni_search_options *opts)
{
    unsigned i;
    int rc = 0;
    *global = NULL;
    for (i = 0; i < set->n && rc == 0; i++) {
        ni_shard_stats *s = NULL;
        if ((rc = ni_snapshot_open(&snaps[i], set->p[i].idx)) == 0 &&
            (rc = ni_shard_stats_read(&s, snaps[i], query, len, opts)) == 0) {
            if (!*global)
                *global = s;
            else {
                rc = ni_shard_stats_merge(*global, s);
                ni_shard_stats_free(s);
            }
        }
    }
    return rc;
}

int ni_shardset_search(ni_hits **out, ni_shardset *set, const char *query, size_t len,
                       const ni_search_options *opts)
{
    ni_search_options def = NI_SEARCH_OPTIONS_INIT, full = NI_SEARCH_OPTIONS_INIT;
    ni_shard_stats *global = NULL;
    ni_hits *m;
    unsigned i;
    int rc;

    ni_error_clear();
    if (!out)
        return ni_error(NI_EINVAL, "ni_shardset_search: out is NULL");
    *out = NULL;
    if (!set || (!query && len))
        return ni_error(NI_EINVAL, "ni_shardset_search: NULL argument");
    if (!opts)
        opts = &def;
    if ((rc = ni_search_options_check(&opts, &full)) < 0)
        return rc;
    if (!(m = ni_mem_calloc(1, sizeof *m)) ||
        !(m->parts = ni_mem_calloc(set->n, sizeof *m->parts)) ||
        !(m->snaps = ni_mem_calloc(set->n, sizeof *m->snaps))) {
        if (m)
            ni_mem_free(m->parts);
        ni_mem_free(m);
        return ni_error(NI_ENOMEM, "out of memory");
    }
    m->nparts = set->n;
    m->opts = *opts;
    m->ids_only = (opts->flags & NI_SEARCH_IDS_ONLY) != 0;
    rc = gather(&global, set, m->snaps, query ? query : "", len, opts);
    for (i = 0; i < set->n && rc == 0; i++)
        if ((rc = ni_shard_search_hits(&m->parts[i], m->snaps[i], query ? query : "", len,
                                       opts, global)) == 0)
            m->parts[i]->gs = NULL;     /* freed below; only the search used it */
    if (rc == 0)
        rc = merge_parts(m, set, m->parts, opts);
    ni_shard_stats_free(global);
    if (rc < 0) {
        ni_hits_free(m);
        return rc;
    }
    memcpy(m->mode, m->parts[0]->mode, sizeof m->mode);
    memcpy(m->notice, m->parts[0]->notice, sizeof m->notice);
    m->offset = m->next = opts->offset;
    *out = m;
    return 0;
}
