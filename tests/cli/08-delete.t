# nsearch delete and compact, on a copy of data/news.jsonl in $T/del.

=== set up a private index
$ nsearch index -q "$T/del" data/news.jsonl
! ^nsearch: indexed 6 documents

=== delete: the document is gone from searches and get
$ nsearch delete "$T/del" ria-1908828530
! ^nsearch: deleted 1 document$

=== the deleted document is not found
$ nsearch get "$T/del" ria-1908828530
? 1
! ^nsearch: no document 'ria-1908828530'

=== the statistics count it as deleted
$ nsearch stats --json "$T/del"
| s/.*"docs":([0-9]+),"deleted":([0-9]+).*/docs \1, deleted \2/
> docs 5, deleted 1

=== a missing id is named, the others are deleted, exit 1
$ nsearch delete "$T/del" ria-0 ria-1902239544
? 1
! ^nsearch: no document 'ria-0' in
! ^nsearch: deleted 1 document$

=== delete needs an id
$ nsearch delete "$T/del"
? 2
! ^nsearch: no document id given

=== compact drops the postings of deleted documents and shrinks the file; the index stays sound
$ nsearch compact "$T/del"
! ^nsearch: compacted '.*/del': postings of 2 deleted documents dropped; file [0-9.]+ [kM]B -> [0-9.]+ [kM]B, [0-9]+ %, [0-9.]+ s$
!! compacting:

=== the directory it exchanged with is gone
$ ls -a "$T" | grep -c compact
? 1
> 0

=== compact --in-place only frees pages, quietly with -q
$ nsearch compact --in-place -q "$T/del"
! ^nsearch: compacted '.*/del': postings of 0 deleted documents dropped, their pages are free for reuse; the file keeps its size \([0-9.]+ [kM]B\), [0-9.]+ s$

=== compact takes one index
$ nsearch compact "$T/del" "$T/x"
? 2
! ^nsearch: unexpected argument

=== after compaction nothing is counted as deleted
$ nsearch stats --json "$T/del"
| s/.*"docs":([0-9]+),"deleted":([0-9]+).*/docs \1, deleted \2/
> docs 4, deleted 0

=== and the check passes
$ nsearch check "$T/del"
| s/[0-9]+ terms, [0-9]+ posting blocks/T terms, B posting blocks/
> ok: 4 documents, T terms, B posting blocks
