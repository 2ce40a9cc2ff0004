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

=== ids without an id or url: the path relative to the directory given, however it is typed
# a record without id and url is named FILE:LINE, FILE relative to the
# directory walked (one warning per file counts them); the article page by
# its path too; the same tree typed another way replaces, never duplicates
$ mkdir -p "$T/ids/feed" && cp ../../corpus/shkola-merov.txt "$T/ids/" && printf '{"title":"Альфа","text":"альфа один"}\n{"title":"Бета","text":"бета два"}\n' > "$T/ids/feed/a.jsonl" && nsearch index -q "$T/ids.idx" "$T/ids" && (cd "$T" && nsearch index -q ids.idx ./ids/) && nsearch query "$T/ids.idx" 'альфа OR бета OR мэров' --json --no-snippet --sort date | sed -E 's/.*"id":"([^"]*)".*/\1/; s/.*"total":([0-9]+).*/total \1/'
> shkola-merov.txt
> feed/a.jsonl:1
> feed/a.jsonl:2
> total 3
! ^warning: .*/ids/feed/a\.jsonl: 2 records without an id or url, named feed/a\.jsonl:LINE$
!! ^warning: \./ids/feed/a\.jsonl: 1 record

=== a file named explicitly is known by its file name
$ nsearch index -q "$T/ids.idx" "$T/ids/shkola-merov.txt" && nsearch stats "$T/ids.idx" --json | sed -E 's/.*"docs":([0-9]+).*/\1/'
> 3

=== records from standard input without an id get ids unique to the run: a second feed adds
$ printf '{"title":"A","text":"гамма"}\n' | nsearch index -q "$T/feed.idx" - && printf '{"title":"A","text":"гамма"}\n' | nsearch index -q "$T/feed.idx" - && nsearch query "$T/feed.idx" гамма --json --no-snippet --no-collapse | sed -E 's/.*"id":"stdin-[0-9]+\.[0-9]{9}-[0-9]+:1".*/stdin-S.N-P:1/; s/.*"total":([0-9]+).*/total \1/'
> stdin-S.N-P:1
> stdin-S.N-P:1
> total 2
! ^warning: stdin: 1 record without an id or url, named stdin-[0-9]+\.[0-9]{9}-[0-9]+:LINE \(feeding them again adds them again\)$

=== an id read twice in one run is reported with the line that replaces
$ printf '{"id":"x1","title":"A","text":"дельта"}\n{"id":"x2","title":"B","text":"дельта"}\n{"id":"x1","title":"C","text":"дельта"}\n' > "$T/dup.jsonl" && nsearch index "$T/dup.idx" "$T/dup.jsonl" && nsearch query "$T/dup.idx" дельта --json --no-snippet --sort date | sed -E 's/.*"title":"([^"]*)".*/\1/; s/.*"total":([0-9]+).*/total \1/'
> B
> C
> total 2
! ^warning: .*/dup\.jsonl:3: id 'x1' was read before in this run; this record replaces that one$
! ^nsearch: indexed 3 documents .*; 1 id read twice$

=== a UTF-8 byte order mark does not cost the first record
$ printf '\357\273\277{"id":"b1","title":"Первый","text":"запись с меткой"}\n{"id":"b2","title":"Второй","text":"запись"}\n' > "$T/bom.jsonl" && nsearch index -q "$T/bom.idx" "$T/bom.jsonl" && nsearch query "$T/bom.idx" запись --json --no-snippet | sed -E 's/.*"id":"([^"]*)".*/\1/; s/.*"total":([0-9]+).*/total \1/' | sort
> b1
> b2
> total 2

=== a .json file holding one JSON array is read as records, its errors by line
$ printf '[\n  {"id":"a1","title":"Альфа","text":"массив один"},\n  {"id":"a2","title":"Бета","text":"массив два", "date": 5},\n  {"id":"a3","title":"Гамма","text":"массив [три] \\"}\\""}\n]\n' > "$T/arr.json" && nsearch index "$T/arr.idx" "$T/arr.json" && nsearch query "$T/arr.idx" массив --json --no-snippet --sort date | sed -E 's/.*"id":"([^"]*)".*/\1/; s/.*"total":([0-9]+).*/total \1/'
> a1
> a3
> total 2
! ^.*/arr\.json:3: 
! ^nsearch: indexed 2 documents .*; 1 bad record$

=== an array that is not closed is reported after its records
$ printf '[{"id":"c1","title":"А","text":"открытый"},\n{"id":"c2","title":"Б","text":"открытый"}\n' > "$T/open.json" && nsearch index "$T/open.idx" "$T/open.json"
! ^.*/open\.json:3: the JSON array is not closed$
! ^nsearch: indexed 2 documents .*; 1 bad record$

=== a binary file is skipped with one warning, the rest indexed
$ printf 'ELF\000\001\002 not text' > "$T/blob.txt" && nsearch index "$T/bin.idx" "$T/blob.txt" data/news.jsonl
! ^warning: .*/blob\.txt: a binary file \(a NUL byte at offset 3\), skipped$
! ^nsearch: indexed 6 documents .*; 1 warning$

=== an article page in windows-1251 or KOI8-R is converted, with a warning
# (iconv -c: the few characters these encodings lack are left out)
# (the two are near copies of each other: --no-collapse shows both)
$ iconv -c -f UTF-8 -t CP1251 ../../corpus/shkola-merov.txt > "$T/cp1251.txt"; iconv -c -f UTF-8 -t KOI8-R ../../corpus/shkola-merov.txt > "$T/koi8.txt"; nsearch index "$T/enc.idx" "$T/cp1251.txt" "$T/koi8.txt" && nsearch query "$T/enc.idx" 'школа мэров владимирской' --json --no-snippet --no-collapse | sed -E 's/.*"id":"([^"]*)","title":"([^"«]*).*/\1 \2/; s/.*"total":([0-9]+).*/total \1/' | sort
> cp1251.txt Главы трех муниципалитетов Владимирской области приняли участие в проекте 
> koi8.txt Главы трех муниципалитетов Владимирской области приняли участие в проекте Школы мэров
> total 2
! ^warning: .*/cp1251\.txt:1: not UTF-8, read as windows-1251$
! ^warning: .*/koi8\.txt:1: not UTF-8, read as KOI8-R$

=== a file of bad records reports the first ten, then a count
$ for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo '{bad'; done > "$T/bad12.jsonl" && nsearch index "$T/bad12.idx" "$T/bad12.jsonl"
! ^.*/bad12\.jsonl:10: expected a key at byte 1 \(more in this file are only counted\)$
!! bad12\.jsonl:11:
! ^.*/bad12\.jsonl: 12 bad records in all$
! ^nsearch: indexed 0 documents .*; 12 bad records$

=== gzip errors name the file, not a descriptor
$ gzip -c data/news.jsonl | head -c 700 > "$T/cut.jsonl.gz"; nsearch index "$T/cut.idx" "$T/cut.jsonl.gz"
? 2
! ^.*/cut\.jsonl\.gz: truncated or damaged gzip data \(unexpected end of file\)$
!! fd:

=== swapped arguments: a directory of files that is no index is refused, nothing written
$ mkdir -p "$T/swap" && cp data/news.jsonl "$T/swap/" && nsearch index "$T/swap" "$T/new.idx"; ls "$T/swap"
? 0
> news.jsonl
! ^nsearch: '.*/swap' is a directory that holds files but no index; are the arguments swapped\? \(usage: nsearch index DB PATH\.\.\.\)$
