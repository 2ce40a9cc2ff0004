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

=== --color=always colours a pipe too, the title's matched words marked (every form)
$ nsearch query "$DB" 'мэр школа' --color=always --no-snippet -n 1 | head -n 1 | sed 's/\x1b\[33m/<m>/g; s/\x1b\[[0-9;]*m//g'
> 1. S  2024-07-17 13:30:00  Главы трех муниципалитетов Владимирской области приняли участие в проекте «<m>Школы <m>мэров»  [shkola-merov.txt]
| s/^1\. [0-9.]+ /1. S /

=== --color=never turns it off on a terminal
$ e=$(printf '\033'); TERM=xterm script -qec '"$NSEARCH" query "$DB" щелкунчик --color=never' /dev/null </dev/null | grep -q "$e" && echo colour || echo plain
> plain

=== --color takes auto, always or never
$ nsearch query "$DB" щелкунчик --color=yes
? 2
! ^nsearch: --color must be auto, always or never$
