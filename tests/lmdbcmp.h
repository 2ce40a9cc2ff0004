/*
 * lmdbcmp.h - for tests: whether two LMDB environments (index directories)
 * hold the same named tables, listed from the main table so that none is
 * left out, with the same keys and values; and whether one table holds a
 * key.  Include after <lmdb.h>, <stdint.h>, <stdio.h> and <string.h>.
 */
#ifndef NI_TEST_LMDBCMP_H
#define NI_TEST_LMDBCMP_H

typedef struct lmdb_cmp {
    size_t tables, entries;   /* compared (all, when the environments are the same) */
    size_t pages[2];          /* pages of all tables in a and in b */
} lmdb_cmp;

/* Pages of one table (branch, leaf and overflow). */
static inline size_t lmdb_pages(const MDB_stat *st)
{
    return st->ms_branch_pages + st->ms_leaf_pages + st->ms_overflow_pages;
}

static inline int lmdb_open_ro(MDB_env **env, MDB_txn **txn, const char *path)
{
    return mdb_env_create(env) || mdb_env_set_maxdbs(*env, 16) ||
           mdb_env_open(*env, path, MDB_RDONLY, 0644) ||
           mdb_txn_begin(*env, NULL, MDB_RDONLY, txn);
}

/*
 * 1 when a and b hold the same tables with the same keys and values (a
 * difference is named on stderr); when pages_le is set, each table of b
 * must also take at most as many pages as in a.  out may be NULL.
 */
static inline int lmdb_same_tables(const char *a, const char *b, int pages_le, lmdb_cmp *out)
{
    const char *paths[2] = { a, b };
    MDB_env *env[2] = { NULL, NULL };
    MDB_txn *txn[2] = { NULL, NULL };
    MDB_cursor *names[2] = { NULL, NULL };
    MDB_val name[2], nv[2];
    lmdb_cmp cmp = { 0, 0, { 0, 0 } };
    int e, same = 1, rn[2];

    for (e = 0; e < 2; e++) {
        MDB_dbi main_dbi;
        if (lmdb_open_ro(&env[e], &txn[e], paths[e]) ||
            mdb_dbi_open(txn[e], NULL, 0, &main_dbi) ||
            mdb_cursor_open(txn[e], main_dbi, &names[e]))
            same = 0;
    }
    for (e = 0; e < 2; e++)
        rn[e] = same ? mdb_cursor_get(names[e], &name[e], &nv[e], MDB_FIRST) : MDB_NOTFOUND;
    while (same && rn[0] == 0 && rn[1] == 0) {
        MDB_dbi dbi[2];
        MDB_cursor *c[2] = { NULL, NULL };
        MDB_val k[2], v[2];
        MDB_stat st[2];
        char tname[64];
        int r[2];

        snprintf(tname, sizeof tname, "%.*s", (int)name[0].mv_size, (char *)name[0].mv_data);
        same = name[0].mv_size == name[1].mv_size &&
               memcmp(name[0].mv_data, name[1].mv_data, name[0].mv_size) == 0;
        for (e = 0; same && e < 2; e++)
            if (mdb_dbi_open(txn[e], tname, 0, &dbi[e]) || mdb_cursor_open(txn[e], dbi[e], &c[e]) ||
                mdb_stat(txn[e], dbi[e], &st[e]))
                same = 0;
        for (e = 0; e < 2; e++)
            r[e] = same ? mdb_cursor_get(c[e], &k[e], &v[e], MDB_FIRST) : MDB_NOTFOUND;
        while (same && r[0] == 0 && r[1] == 0) {
            same = k[0].mv_size == k[1].mv_size && v[0].mv_size == v[1].mv_size &&
                   memcmp(k[0].mv_data, k[1].mv_data, k[0].mv_size) == 0 &&
                   memcmp(v[0].mv_data, v[1].mv_data, v[0].mv_size) == 0;
            if (!same)
                fprintf(stderr, "table %s differs at entry %zu\n", tname, cmp.entries);
            cmp.entries++;
            for (e = 0; e < 2; e++)
                r[e] = mdb_cursor_get(c[e], &k[e], &v[e], MDB_NEXT);
        }
        if (same && r[0] != r[1]) {
            fprintf(stderr, "table %s: one has more entries\n", tname);
            same = 0;
        }
        if (same) {
            cmp.tables++;
            cmp.pages[0] += lmdb_pages(&st[0]);
            cmp.pages[1] += lmdb_pages(&st[1]);
            if (pages_le && lmdb_pages(&st[1]) > lmdb_pages(&st[0])) {
                fprintf(stderr, "table %s: %zu pages, in the copy %zu\n", tname,
                        lmdb_pages(&st[0]), lmdb_pages(&st[1]));
                same = 0;
            }
        }
        for (e = 0; e < 2; e++)
            mdb_cursor_close(c[e]);
        for (e = 0; e < 2; e++)
            rn[e] = mdb_cursor_get(names[e], &name[e], &nv[e], MDB_NEXT);
    }
    if (rn[0] != rn[1])
        same = 0;
    for (e = 0; e < 2; e++) {
        mdb_cursor_close(names[e]);
        mdb_txn_abort(txn[e]);
        if (env[e])
            mdb_env_close(env[e]);
    }
    if (out)
        *out = cmp;
    return same;
}

/* 1 when table of the environment at path holds key. */
static inline int lmdb_has_key(const char *path, const char *table, const char *key)
{
    MDB_env *env = NULL;
    MDB_txn *txn = NULL;
    MDB_dbi dbi;
    MDB_val k, v;
    int found = 0;

    k.mv_data = (void *)(uintptr_t)key;
    k.mv_size = strlen(key);
    if (!lmdb_open_ro(&env, &txn, path) && !mdb_dbi_open(txn, table, 0, &dbi))
        found = mdb_get(txn, dbi, &k, &v) == 0;
    mdb_txn_abort(txn);
    if (env)
        mdb_env_close(env);
    return found;
}

#endif
