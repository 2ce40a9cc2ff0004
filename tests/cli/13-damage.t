# A damaged index: every command fails with exit 2 and "index damaged: ...
# (run nsearch check)"; check names the damage.  The index is copied and
# then cut short (as a failed copy or a full disk leaves it), or has the
# last byte of a stored record flipped (its checksum fails).

=== a cut data.mdb: check says so, exit 2
$ mkdir "$T/cut" && nsearch copy "$DB" "$T/full" 2>/dev/null && head -c 20000 "$T/full/data.mdb" > "$T/cut/data.mdb" && nsearch check "$T/cut"
? 2
! ^nsearch: cannot open index '.*/cut': index damaged: data\.mdb has 4 pages of [0-9]+ bytes, its meta page names [0-9]+ \(the file was cut short\) \(run nsearch check\)$

=== a cut data.mdb: query, get, stats and index fail the same way
$ for c in "query $T/cut школа" "get $T/cut x" "stats $T/cut" "compact $T/cut"; do nsearch $c; echo "exit $?"; done; echo x | nsearch index "$T/cut" - 2>&1 | grep -c 'index damaged: .*(run nsearch check)'
> exit 2
> exit 2
> exit 2
> exit 2
> 1
! ^nsearch: cannot open index '.*/cut': index damaged: data\.mdb has 4 pages
