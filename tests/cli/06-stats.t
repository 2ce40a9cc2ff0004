# nsearch stats.  Counts that depend on the analyzer (terms, tokens,
# averages) and on LMDB page use (bytes) are masked; the document count is
# exact.

=== stats --json: one object with every field
$ nsearch index -q "$T/news.idx" data/news.jsonl 2>/dev/null; nsearch stats "$T/news.idx" --json
| s/"(terms|tokens|index_bytes|file_bytes|map_bytes)":[0-9]+/"\1":N/g
| s/"(avg_title_len|avg_body_len)":[0-9]+(\.[0-9]+)?(e[-+]?[0-9]+)?/"\1":F/g
| s/"format_version":[1-9][0-9]*/"format_version":V/
> {"docs":6,"deleted":0,"terms":N,"tokens":N,"avg_title_len":F,"avg_body_len":F,"index_bytes":N,"file_bytes":N,"map_bytes":N,"format_version":V}

=== stats: one "name value" line per field
$ nsearch index -q "$T/news2.idx" data/news.jsonl 2>/dev/null; nsearch stats "$T/news2.idx"
| s/^(terms|tokens|index bytes|file bytes|map bytes|format version)( +)[0-9]+$/\1\2N/
| s/^(avg title length|avg body length)( +)[0-9]+\.[0-9]{2}$/\1\2F/
> documents        6
> deleted          0
> terms            N
> tokens           N
> avg title length F
> avg body length  F
> index bytes      N
> file bytes       N
> map bytes        N
> format version   N

=== stats of an empty index
$ mkdir "$T/nothing"; nsearch index -q "$T/empty.idx" "$T/nothing" 2>/dev/null; nsearch stats "$T/empty.idx" --json | sed -E 's/.*"docs":([0-9]+),"deleted":([0-9]+).*/\1 \2/'
> 0 0

=== check: a sound index, exit 0, what was walked on stdout
$ nsearch index -q "$T/check.idx" data/news.jsonl 2>/dev/null; nsearch check "$T/check.idx"
| s/, [0-9]+ terms, [0-9]+ posting blocks$/, N terms, N posting blocks/
> ok: 6 documents, N terms, N posting blocks
!! .

=== check --json
$ nsearch check --json "$T/check.idx"
| s/"(terms|blocks)":[0-9]+/"\1":N/g
> {"ok":true,"docs":6,"terms":N,"blocks":N}

=== check of a missing index
$ nsearch check "$T/missing.idx"
? 2
! ^nsearch: cannot open index '.*/missing\.idx': No such file or directory$
