# Colour: only when stdout is a terminal, never with NO_COLOR, TERM=dumb
# or --json.  ESC is the byte that starts every colour sequence.

=== a terminal gets colour
$ e=$(printf '\033'); TERM=xterm script -qec '"$NSEARCH" query "$DB" щелкунчик' /dev/null </dev/null | grep -q "$e" && echo colour || echo plain
> colour

=== NO_COLOR turns colour off
$ e=$(printf '\033'); NO_COLOR=1 TERM=xterm script -qec '"$NSEARCH" query "$DB" щелкунчик' /dev/null </dev/null | grep -q "$e" && echo colour || echo plain
> plain

=== TERM=dumb turns colour off
$ e=$(printf '\033'); TERM=dumb script -qec '"$NSEARCH" query "$DB" щелкунчик' /dev/null </dev/null | grep -q "$e" && echo colour || echo plain
> plain

=== --json is never coloured
$ e=$(printf '\033'); TERM=xterm script -qec '"$NSEARCH" query "$DB" щелкунчик --json' /dev/null </dev/null | grep -q "$e" && echo colour || echo plain
> plain

=== a pipe is never coloured
$ e=$(printf '\033'); TERM=xterm nsearch query "$DB" щелкунчик | grep -q "$e" && echo colour || echo plain
> plain
