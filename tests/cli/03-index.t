# nsearch index: directories, bad records, stdin, errors, progress.

=== a directory with a bad JSON line: reported as file:line, counted, exit 0
$ nsearch index "$T/bad.idx" data/bad
! ^data/bad/feed\.jsonl:2: 
! ^nsearch: indexed 2 documents \([0-9.]+ (bytes|kB)\) in [0-9.]+ s, [0-9.]+ MB/s; 1 bad record$
!! indexing:
!! hidden

=== the records around the bad line were indexed
$ nsearch get "$T/bad.idx" b3 --json
> {"id":"b3","url":null,"date":"2024-01-11 00:00:00","rubric":null,"title":"В Твери отремонтируют мост через Волгу","credit":null,"text":"Работы начнутся весной и продлятся два года."}

=== the bad record itself was not
$ nsearch get "$T/bad.idx" b2
? 1
! ^nsearch: no document 'b2' in '.*/bad\.idx'$

=== hidden files in a directory are skipped
$ nsearch get "$T/bad.idx" h1
? 1
! ^nsearch: no document 'h1' in

=== an explicitly named hidden file is read
$ nsearch index -q "$T/hidden.idx" data/bad/.hidden.jsonl && nsearch get "$T/hidden.idx" h1 --json
> {"id":"h1","url":null,"date":null,"rubric":null,"title":"Скрытый файл не индексируется","credit":null,"text":"Этот документ лежит в скрытом файле и не должен попасть в индекс."}
! ^nsearch: indexed 1 document \(

=== "-" reads standard input
$ nsearch index "$T/stdin.idx" - && nsearch query "$T/stdin.idx" доллара --json --no-snippet | sed -E 's/"(score|ms)":[0-9.e+-]+/"\1":X/'
< {"id":"s1","date":"2024-03-07 18:00:00","title":"Курс доллара снизился","text":"На торгах Московской биржи курс доллара снизился до 90 рублей."}
> {"rank":1,"score":X,"id":"s1","title":"Курс доллара снизился","date":"2024-03-07 18:00:00","rubric":null,"url":null}
> {"total":1,"returned":1,"ms":X,"mode":"all words"}
! ^nsearch: indexed 1 document \([0-9]+ bytes\) in

=== an input that cannot be opened is an error: the rest is indexed, exit 2
$ nsearch index "$T/mix.idx" data/no-such.jsonl data/news.jsonl
? 2
! ^nsearch: cannot open 'data/no-such\.jsonl': No such file or directory$
! ^nsearch: indexed 6 documents \(.*; 1 error$

=== ... and what could be read is committed
$ nsearch stats "$T/mix.idx" --json | sed -E 's/.*"docs":([0-9]+).*/\1/'
> 6

=== re-indexing a document id replaces it
$ nsearch index -q "$T/twice.idx" data/news.jsonl data/news.jsonl && nsearch stats "$T/twice.idx" --json | sed -E 's/.*"docs":([0-9]+).*/\1/'
> 6

=== small batches commit as they go and give the same index
$ nsearch index --batch 2 "$T/batch.idx" data/news.jsonl && nsearch query "$T/batch.idx" метро --sort date --json | sed -E 's/.*"id":"([^"]*)".*/\1/; s/.*"total":([0-9]+).*/total \1/'
> n5
> n1
> total 2
! ^nsearch: indexed 6 documents

=== the index cannot be opened: exit 2, nothing read
$ cp data/news.jsonl "$T/plainfile"; nsearch index "$T/plainfile" data/news.jsonl
? 2
! ^nsearch: cannot open index '.*/plainfile': 
!! indexed

=== an index inside the walked directory is not read as input
$ mkdir -p "$T/tree" && cp data/news.jsonl "$T/tree/" && nsearch index -q "$T/tree/idx" "$T/tree" && nsearch index -q "$T/tree/idx" "$T/tree" && nsearch stats "$T/tree/idx" --json | sed -E 's/.*"docs":([0-9]+).*/\1/'
> 6
!! bad record|warning|error

=== on a terminal, progress goes to stderr and never to stdout
$ script -qec 'sh ./slow_feed.sh data/news.jsonl | "$NSEARCH" index "$T/tty.idx" - >"$T/tty.out"' /dev/null </dev/null >"$T/tty.log"; grep -q 'indexing: [0-9]* docs' "$T/tty.log" && echo progress; wc -c <"$T/tty.out" | tr -d ' '
> progress
> 0

=== not on a terminal: no progress, only the summary
$ sh ./slow_feed.sh data/news.jsonl | nsearch index "$T/notty.idx" -
!! indexing
! ^nsearch: indexed 6 documents

=== -q turns progress off on a terminal too
$ script -qec 'sh ./slow_feed.sh data/news.jsonl | "$NSEARCH" index -q "$T/ttyq.idx" -' /dev/null </dev/null >"$T/ttyq.log"; grep -c 'indexing:' "$T/ttyq.log"; grep -c 'nsearch: indexed 6 documents' "$T/ttyq.log"
> 0
> 1
