/*
 * fts5_snowball.c: a loadable SQLite extension with an FTS5 tokenizer "snowball" that stems
 * Russian, so that bench/cli_compare.py can search an FTS5 table with the `sqlite3` shell
 * (`.load`) and find the word forms nsearch finds.
 *
 * It wraps FTS5's own unicode61 tokenizer (its arguments pass through: remove_diacritics 2 and
 * so on) and replaces each token by its Snowball "russian" stem (ё is folded to е first, as
 * the stemmer expects).  Tokens over 64 bytes are passed on unstemmed.  It is a benchmark
 * tool, not part of the library: nothing in lib/ or tools/ uses it.
 *
 *     cc -O2 -fPIC -shared bench/fts5_snowball.c -lstemmer -o fts5_snowball.so
 *     sqlite3 db.sqlite '.load ./fts5_snowball sqlite3_fts5snowball_init' \
 *         "CREATE VIRTUAL TABLE t USING fts5(a, tokenize='snowball unicode61 remove_diacritics 2')"
 */
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

struct snowball {
	fts5_tokenizer parent;
	Fts5Tokenizer *inner;
	struct sb_stemmer *stemmer;
};

struct relay {
	struct snowball *sb;
	void *ctx;
	int (*token)(void *, int, const char *, int, int, int);
};

static fts5_api *fts5_of(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	return api;
}

static void sb_delete(Fts5Tokenizer *tok)
{
	struct snowball *sb = (struct snowball *)tok;

	if (sb == NULL)
		return;
	if (sb->inner != NULL)
		sb->parent.xDelete(sb->inner);
	if (sb->stemmer != NULL)
		sb_stemmer_delete(sb->stemmer);
	sqlite3_free(sb);
}

static int sb_create(void *payload, const char **argv, int argc, Fts5Tokenizer **out)
{
	fts5_api *api = payload;
	struct snowball *sb;
	void *parent_payload = NULL;
	const char *name = argc > 0 ? argv[0] : "unicode61";
	int rc;

	*out = NULL;
	sb = sqlite3_malloc(sizeof *sb);
	if (sb == NULL)
		return SQLITE_NOMEM;
	memset(sb, 0, sizeof *sb);
	rc = api->xFindTokenizer(api, name, &parent_payload, &sb->parent);
	if (rc == SQLITE_OK)
		rc = sb->parent.xCreate(parent_payload, argc > 1 ? argv + 1 : NULL,
		                        argc > 1 ? argc - 1 : 0, &sb->inner);
	if (rc == SQLITE_OK) {
		sb->stemmer = sb_stemmer_new("russian", "UTF_8");
		if (sb->stemmer == NULL)
			rc = SQLITE_ERROR;
	}
	if (rc != SQLITE_OK) {
		sb_delete((Fts5Tokenizer *)sb);
		return rc;
	}
	*out = (Fts5Tokenizer *)sb;
	return SQLITE_OK;
}

/* Each token of the parent, ё -> е, then stemmed. */
static int sb_token(void *p, int flags, const char *tok, int n, int start, int end)
{
	struct relay *r = p;
	char folded[64];
	const sb_symbol *stem;
	int i, len = 0;

	if (n > (int)sizeof folded)
		return r->token(r->ctx, flags, tok, n, start, end);
	for (i = 0; i < n; i++) {
		if (i + 1 < n && (unsigned char)tok[i] == 0xd1 && (unsigned char)tok[i + 1] == 0x91) {
			folded[len++] = (char)0xd0;
			folded[len++] = (char)0xb5;
			i++;
		} else {
			folded[len++] = tok[i];
		}
	}
	stem = sb_stemmer_stem(r->sb->stemmer, (const sb_symbol *)folded, len);
	if (stem == NULL)
		return SQLITE_NOMEM;
	return r->token(r->ctx, flags, (const char *)stem, sb_stemmer_length(r->sb->stemmer),
	                start, end);
}

static int sb_tokenize(Fts5Tokenizer *tok, void *ctx, int flags, const char *text, int n,
                       int (*token)(void *, int, const char *, int, int, int))
{
	struct snowball *sb = (struct snowball *)tok;
	struct relay r = { sb, ctx, token };

	return sb->parent.xTokenize(sb->inner, &r, flags, text, n, sb_token);
}

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_fts5snowball_init(sqlite3 *db, char **err, const sqlite3_api_routines *routines);

int sqlite3_fts5snowball_init(sqlite3 *db, char **err, const sqlite3_api_routines *routines)
{
	fts5_tokenizer t = { sb_create, sb_delete, sb_tokenize };
	fts5_api *api;

	SQLITE_EXTENSION_INIT2(routines);
	api = fts5_of(db);
	if (api == NULL) {
		*err = sqlite3_mprintf("fts5_snowball: FTS5 is not available");
		return SQLITE_ERROR;
	}
	return api->xCreateTokenizer(api, "snowball", api, &t, NULL);
}
