# Opening an index that is not there.

=== query on a missing index
$ nsearch query "$T/missing.idx" метро
? 2
! ^nsearch: cannot open index '.*/missing\.idx': No such file or directory$

=== get on a missing index
$ nsearch get "$T/missing.idx" n1
? 2
! ^nsearch: cannot open index '.*/missing\.idx': No such file or directory$

=== stats on a missing index
$ nsearch stats "$T/missing.idx" --json
? 2
! ^nsearch: cannot open index '.*/missing\.idx': No such file or directory$

=== reading commands never create an index
$ nsearch stats "$T/absent.idx"; echo "exit $?"; [ -e "$T/absent.idx" ] && echo created || echo absent
> exit 2
> absent

=== a directory that is not an index
$ mkdir -p "$T/emptydir"; nsearch query "$T/emptydir" метро
? 2
! ^nsearch: cannot open index '.*/emptydir': 
