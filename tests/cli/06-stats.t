# nsearch stats.  Counts that depend on the analyzer (terms, tokens,
# averages) and on LMDB page use (bytes) are masked; the document count,
# the date range and the rubrics are exact.

=== stats --json: one object with every field
$ nsearch index -q "$T/news.idx" data/news.jsonl 2>/dev/null && nsearch stats "$T/news.idx" --json
| s/"(terms|tokens|index_bytes|file_bytes|map_bytes)":[0-9]+/"\1":N/g
| s/"(avg_title_len|avg_body_len)":[0-9]+(\.[0-9]+)?(e[-+]?[0-9]+)?/"\1":F/g
| s/"format_version":[1-9][0-9]*/"format_version":V/
> {"docs":6,"deleted":0,"terms":N,"tokens":N,"avg_title_len":F,"avg_body_len":F,"index_bytes":N,"file_bytes":N,"map_bytes":N,"format_version":V,"first_date":"2023-11-04 11:15:00","last_date":"2023-12-03 19:48:00","undated":1,"rubrics":[{"value":"society","count":3},{"value":"culture","count":2},{"value":"economy","count":1}]}

=== stats: one "name value" line per field
$ nsearch index -q "$T/news2.idx" data/news.jsonl 2>/dev/null && nsearch stats "$T/news2.idx"
| s/^(terms|tokens|format version)( +)[0-9]+$/\1\2N/
| s/^(index size|file size|map size)( +)[0-9.]+ (bytes|kB|MB|GB) \([0-9]+ bytes\)$/\1\2X (N bytes)/
| s/^(avg title length|avg body length)( +)[0-9]+\.[0-9]{2}$/\1\2F/
> documents        6
> deleted          0
> terms            N
> tokens           N
> avg title length F
> avg body length  F
> index size       X (N bytes)
> file size        X (N bytes)
> map size         X (N bytes)
> format version   N
> first date       2023-11-04 11:15:00
> last date        2023-12-03 19:48:00
> undated          1
> rubrics          3
>   society  3
>   culture  2
>   economy  1

=== stats of an empty index
$ mkdir "$T/nothing" && nsearch index -q "$T/empty.idx" "$T/nothing" 2>/dev/null && nsearch stats "$T/empty.idx" --json | sed -E 's/.*"docs":([0-9]+),"deleted":([0-9]+).*/\1 \2/'
> 0 0

=== stats of an empty index: no dates, no rubrics
$ nsearch stats "$T/empty.idx" --json | sed -E 's/.*"format_version":[0-9]+,//'
> "first_date":null,"last_date":null,"undated":0,"rubrics":[]}

=== stats: a rubric spelled two ways is one, shown as its first document has it; documents without a rubric, deleted ones left out
$ printf '%s\n' '{"id":"1","text":"a","rubric":"В мире","date":"2024-12-31 23:59:59"}' '{"id":"2","text":"b","rubric":"в  МИРЕ","date":"2025-01-01"}' '{"id":"3","text":"c"}' '{"id":"4","text":"d","rubric":"Спорт"}' | nsearch index -q "$T/r.idx" - 2>/dev/null && nsearch delete "$T/r.idx" 4 2>/dev/null && nsearch stats "$T/r.idx" | sed -n '/^first date/,$p'
> first date       2024-12-31 23:59:59
> last date        2025-01-01 00:00:00
> undated          1
> rubrics          1
>   В мире  2
>   (no rubric)  1

=== check: a sound index, exit 0, what was walked on stdout
$ nsearch index -q "$T/check.idx" data/news.jsonl 2>/dev/null && nsearch check "$T/check.idx"
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
