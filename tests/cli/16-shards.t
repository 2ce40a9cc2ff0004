# nsearch index --shards N and nsearch query on a sharded index (local
# shards, lib/shardset.c).  The corpus is indexed into one index and into
# three shards; every query must print the same hits (ids, order, scores
# to the printed digits, snippets, totals) from both.  The bit-for-bit
# comparison of scores is tests/test_shardset.c's.  Near copies are not
# folded across shards yet, nor words rescued: both sides run with
# --no-collapse --exact.

=== --shards 3 makes the layout file and three shards
$ nsearch index -q --shards 3 "$T/sh" ../../corpus && cat "$T/sh/shards" && ls "$T/sh"
! ^nsearch: indexed 111 documents
> newsindex-shards 1 3
> order-0
> order-1
> order-2
> shard-0
> shard-1
> shard-2
> shards

=== the same hits as one index in every mode
$ nsearch index -q "$T/one" ../../corpus && for o in "" "--all-words" "--or" "--sort date" "--offset 3 -n 5" "--fresh 30d"; do for q in мэр "школа мэров" Голунов "москва OR суд" '"Иван Голунов"' "title:Москва" "суд -москва" "суд date:2016" "школ*"; do nsearch query --json --no-collapse --exact $o "$T/one" "$q" | sed 's/"ms":[0-9.]*,//' > "$T/a"; nsearch query --json --no-collapse --exact $o "$T/sh" "$q" | sed 's/"ms":[0-9.]*,//' > "$T/b"; cmp -s "$T/a" "$T/b" || { echo "differs: $o $q"; exit 1; }; done; done; echo same
> same

=== a later run finds the shards by itself; another count is refused
$ nsearch index -q --shards 4 "$T/sh" ../../corpus
? 2
! ^nsearch: cannot open sharded index '.*': .*3 shards, not 4

=== --shards 0 is a usage error
$ nsearch index --shards 0 "$T/sh0" ../../corpus
? 2
! --shards must be 1 to 256

=== get finds a document in the shard its id names
$ nsearch get "$T/sh" meduza-golunov-0001 | head -3
> id:     meduza-golunov-0001
> date:   2016-11-07
> title:  Липы за 200 тысяч

=== delete removes it from its shard; searches and get no longer find it
$ nsearch delete "$T/sh" meduza-golunov-0001 && nsearch delete "$T/one" meduza-golunov-0001 && nsearch query --json --no-collapse --exact "$T/one" липы | sed 's/"ms":[0-9.]*,//' > "$T/a" && nsearch query --json --no-collapse --exact "$T/sh" липы | sed 's/"ms":[0-9.]*,//' > "$T/b" && cmp "$T/a" "$T/b" && grep -c meduza-golunov-0001 "$T/b"; nsearch get "$T/sh" meduza-golunov-0001
? 1
! ^nsearch: deleted 1 document$
! ^nsearch: no document 'meduza-golunov-0001' in '.*/sh'$
> 0

=== check walks every shard
$ nsearch check "$T/sh" | sed -E 's/[0-9]+ terms, [0-9]+ posting blocks/T terms, B posting blocks/'
> ok: 110 documents, T terms, B posting blocks
