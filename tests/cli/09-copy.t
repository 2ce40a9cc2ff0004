# nsearch copy: a compacted copy of $DB in $T; sizes are masked.

=== copy writes a new index, sizes before and after on stderr
$ nsearch copy "$DB" "$T/copy"
! ^nsearch: copied '.*/db' to '.*/copy': 7 documents, [0-9]+ bytes \(.*\) -> [0-9]+ bytes \(.*\), [0-9]+ %, [0-9.]+ s$

=== the copy answers as the original
$ nsearch query "$DB" 'школа мэров' --json | sed -E 's/"ms":[0-9.]+/"ms":M/' > "$T/a" && nsearch query "$T/copy" 'школа мэров' --json | sed -E 's/"ms":[0-9.]+/"ms":M/' > "$T/b"; cmp "$T/a" "$T/b" && echo same
> same

=== the copy passes the check
$ nsearch check "$T/copy"
| s/[0-9]+ terms, [0-9]+ posting blocks/T terms, B posting blocks/
> ok: 7 documents, T terms, B posting blocks

=== a copy to a name in the working directory (its parent is ".")
$ cd "$T" && nsearch copy "$DB" relcopy 2>/dev/null && nsearch check relcopy
| s/[0-9]+ terms, [0-9]+ posting blocks/T terms, B posting blocks/
> ok: 7 documents, T terms, B posting blocks

=== the copy takes further writes
$ nsearch delete "$T/copy" ria-1908828530 && nsearch get "$T/copy" ria-1908828530
? 1
! ^nsearch: deleted 1 document$
! ^nsearch: no document 'ria-1908828530'

=== --json: the sizes on stdout
$ nsearch copy --json "$DB" "$T/copy2"
| s/"(src_bytes|dst_bytes)":[0-9]+/"\1":N/g
| s/"seconds":[0-9.]+/"seconds":S/
> {"docs":7,"src_bytes":N,"dst_bytes":N,"seconds":S}

=== a destination that holds an index is refused and left alone
$ nsearch copy "$DB" "$T/copy"
? 2
! ^nsearch: cannot copy '.*/db' to '.*/copy': '.*/copy' already holds an index$

=== the refused copy changed nothing
$ nsearch stats --json "$T/copy"
| s/.*"docs":([0-9]+),"deleted":([0-9]+).*/docs \1, deleted \2/
> docs 6, deleted 1

=== a missing source
$ nsearch copy "$T/missing.idx" "$T/copy3"
? 2
! ^nsearch: cannot open index '.*/missing\.idx': No such file or directory$

=== and nothing was created
$ test -e "$T/copy3" || echo absent
> absent

=== copy needs a destination
$ nsearch copy "$DB"
? 2
! ^nsearch: no destination given$
! ^usage: nsearch copy SRC DST \[options\]$

=== copy --help
$ nsearch copy --help
| 2,$d
> usage: nsearch copy SRC DST [options]
!! .
