# nsearch index: directories, bad records, stdin, errors, progress.

=== a directory with a bad JSON line: reported as file:line, counted, exit 0
# data/bad also holds NOTES (no news suffix) and .hidden.jsonl: neither is
# read, so exactly the two good records of feed.jsonl are indexed.
$ nsearch index "$T/bad.idx" data/bad
! ^data/bad/feed\.jsonl:2: 
! ^nsearch: indexed 2 documents \([0-9.]+ (bytes|kB) read, [0-9.]+ (bytes|kB) of text\) in [0-9.]+ s, [0-9.]+ MB/s of text; 1 bad record$
!! indexing:
!! hidden

=== the records around the bad line were indexed
$ nsearch get "$T/bad.idx" ria-1913593149 --json
> {"id":"ria-1913593149","url":null,"date":"2023-12-04 12:20:00","rubric":"society","title":"На Камчатке создадут министерство по делам молодежи","credit":null,"text":"ПЕТРОПАВЛОВСК-КАМЧАТСКИЙ, 4 дек – РИА Новости. Новый орган исполнительной власти - министерство по делам молодежи - создадут на Камчатке, сообщил в своем Telegram-канале губернатор Камчатского края Владимир Солодов."}

=== the bad record itself was not
$ nsearch get "$T/bad.idx" ria-broken
? 1
! ^nsearch: no document 'ria-broken' in '.*/bad\.idx'$

=== hidden files in a directory are skipped
$ nsearch get "$T/bad.idx" ria-1913652643
? 1
! ^nsearch: no document 'ria-1913652643' in

=== an explicitly named hidden file is read
$ nsearch index -q "$T/hidden.idx" data/bad/.hidden.jsonl && nsearch get "$T/hidden.idx" ria-1913652643 --json
> {"id":"ria-1913652643","url":"https://ria.ru/20231204/shkola-1913652643.html","date":"2023-12-04 14:58:00","rubric":"society","title":"В Госдуме одобрили поправку о запрете использования телефонов в школах","credit":null,"text":"МОСКВА, 4 дек - РИА Новости. Комитет Госдумы по просвещению одобрил поправку о запрете использования телефонов в школах даже в образовательных целях."}
! ^nsearch: indexed 1 document \(

=== "-" reads standard input
$ nsearch index "$T/stdin.idx" - && nsearch query "$T/stdin.idx" приложение --json --no-snippet | sed -E 's/"(score|ms)":[0-9.e+-]+/"\1":X/'
< {"id":"ria-1913236799","url":"https://ria.ru/20231201/sbermarket-1913236799.html","date":"2023-12-01T17:29:00","rubric":"society","title":"Приложение \"Сбермаркет\" пропало из App Store","text":"МОСКВА, 1 дек - РИА Новости. Приложение сервиса \"Сбермаркет\" больше недоступно для скачивания в App Store, убедился корреспондент РИА Новости."}
> {"rank":1,"score":X,"id":"ria-1913236799","title":"Приложение \"Сбермаркет\" пропало из App Store","date":"2023-12-01 17:29:00","rubric":"society","url":"https://ria.ru/20231201/sbermarket-1913236799.html"}
> {"total":1,"returned":1,"ms":X,"mode":"all words","stories":1,"examined":1}
! ^nsearch: indexed 1 document \([0-9]+ bytes read, [0-9]+ bytes of text\) in

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
$ nsearch index --batch 2 "$T/batch.idx" data/news.jsonl && nsearch query "$T/batch.idx" щелкунчик --sort date --json | sed -E 's/.*"id":"([^"]*)".*/\1/; s/.*"total":([0-9]+).*/total \1/'
> ria-1908828530
> ria-1907394827
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

=== -j 1 and -j 4 write the same index (same documents, same scores)
$ nsearch index -q -j 1 "$T/j1.idx" data/news.jsonl data/news.jsonl && nsearch index -q --threads 4 "$T/j4.idx" data/news.jsonl data/news.jsonl && nsearch query "$T/j1.idx" 'москва OR театр' --json --no-snippet | sed -E 's/"ms":[0-9.e+-]+/"ms":X/' >"$T/j1.out" && nsearch query "$T/j4.idx" 'москва OR театр' --json --no-snippet | sed -E 's/"ms":[0-9.e+-]+/"ms":X/' >"$T/j4.out" && cmp "$T/j1.out" "$T/j4.out" && grep -c '"rank"' "$T/j4.out"
> 6

=== --threads must be 1 to 64
$ nsearch index -j 0 "$T/j0.idx" data/news.jsonl
? 2
! ^nsearch: --threads must be 1 to 64$
