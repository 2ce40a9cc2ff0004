# nsearch query against the shared index $DB (data/news.jsonl).  Scores
# depend on BM25 details, so they are masked; ranks, order, ids, titles,
# dates, counts and snippets are exact.  The expected hits were found by
# reading data/news.jsonl: "метро" is in n1 (title and text) and n5 (title
# and text) only; "ставку" only in n3; "снегопад" (снегопаде) only in n2.
# Snippets: the library's passage starts at most 30 characters before the
# best matching word, on a word, and ends at the end of a word (lib/snippet.c);
# the texts here are shorter than its 200 characters.

=== hits sorted by date: rank, score, date, title, id; url and rubric; snippet
$ nsearch query "$DB" метро --sort date
| s/^([0-9]+\.) [0-9]+\.[0-9]{4}  /\1 S  /
> 1. S  2024-03-05 14:00:00  В Санкт-Петербурге открылась выставка об истории метро  [n5]
>     https://example.ru/news/n5 (Культура)
>     первых станций ленинградского метро. Выставка продлится до конца мая
> 2. S  2024-03-01 10:00:00  В Москве открылся новый участок Большой кольцевой линии метро  [n1]
>     https://example.ru/news/n1 (Город)
>     Большой кольцевой линии метро. На участке построены три станции. Пассажиры смогут сократить время в пути на 20 минут
! ^2 hits of 2 \(all words\) in [0-9]+\.[0-9]{3} ms$

=== --no-snippet leaves the passage out
$ nsearch query "$DB" метро --sort date --no-snippet
| s/^([0-9]+\.) [0-9]+\.[0-9]{4}  /\1 S  /
> 1. S  2024-03-05 14:00:00  В Санкт-Петербурге открылась выставка об истории метро  [n5]
>     https://example.ru/news/n5 (Культура)
> 2. S  2024-03-01 10:00:00  В Москве открылся новый участок Большой кольцевой линии метро  [n1]
>     https://example.ru/news/n1 (Город)

=== no hits: exit 1, nothing on stdout
$ nsearch query "$DB" крокодил
? 1
! ^0 hits of 0 \(all words\) in [0-9.]+ ms$

=== --json: one object per hit, then a summary object; nothing on stderr
$ nsearch query "$DB" ставку --json
| s/"score":[0-9]+(\.[0-9]+)?(e[-+]?[0-9]+)?,/"score":S,/
| s/"ms":[0-9]+\.[0-9]{3},/"ms":M,/
> {"rank":1,"score":S,"id":"n3","title":"Центробанк сохранил ключевую ставку на уровне 16 процентов","date":"2024-02-16 00:00:00","rubric":"Экономика","url":"https://example.ru/news/n3","snippet":"решение сохранить ключевую ставку. Регулятор допускает снижение ставки во втором полугодии","highlights":[[51,63],[120,132]]}
> {"total":1,"returned":1,"ms":M,"mode":"all words"}
!! .

=== --json with no hits prints only the summary, exit 1
$ nsearch query "$DB" крокодил --json
? 1
| s/"ms":[0-9]+\.[0-9]{3},/"ms":M,/
> {"total":0,"returned":0,"ms":M,"mode":"all words"}

=== --json: absent date, url and rubric are null
$ nsearch query "$DB" хоккею --json --no-snippet
| s/"score":[^,]*,/"score":S,/
| s/"ms":[^,]*,/"ms":M,/
> {"rank":1,"score":S,"id":"n4","title":"Сборная России по хоккею выиграла турнир в Санкт-Петербурге","date":null,"rubric":"Спорт","url":null}
> {"total":1,"returned":1,"ms":M,"mode":"all words"}

=== --json escapes quotes inside strings
$ nsearch query "$DB" облигаций --json -n 1 --no-snippet
| s/"score":[^,]*,/"score":S,/
| 2,$d
> {"rank":1,"score":S,"id":"n6","title":"Компания \"Ромашка\" объявила о выпуске облигаций","date":"2024-03-04 12:15:00","rubric":null,"url":"https://example.ru/news/n6"}

=== a hit without date or url: the date column and the url are left out
$ nsearch query "$DB" хоккею --no-snippet
| s/^([0-9]+\.) [0-9]+\.[0-9]{4}  /\1 S  /
> 1. S  Сборная России по хоккею выиграла турнир в Санкт-Петербурге  [n4]
>     (Спорт)

=== -n limits the hits; total still counts every match
$ nsearch query "$DB" метро --sort date -n 1 --no-snippet
| s/^([0-9]+\.) [0-9]+\.[0-9]{4}  /\1 S  /
> 1. S  2024-03-05 14:00:00  В Санкт-Петербурге открылась выставка об истории метро  [n5]
>     https://example.ru/news/n5 (Культура)
! ^1 hit of 2 \(all words\) in

=== --offset skips hits; ranks count the offset
$ nsearch query "$DB" метро --sort date -n 1 --offset 1 --json --no-snippet
| s/"score":[^,]*,/"score":S,/
| s/"ms":[^,]*,/"ms":M,/
> {"rank":2,"score":S,"id":"n1","title":"В Москве открылся новый участок Большой кольцевой линии метро","date":"2024-03-01 10:00:00","rubric":"Город","url":"https://example.ru/news/n1"}
> {"total":2,"returned":1,"ms":M,"mode":"all words"}

=== an offset past the last hit returns nothing but the query still matched
$ nsearch query "$DB" метро --offset 5 --json
| s/"ms":[^,]*,/"ms":M,/
> {"total":2,"returned":0,"ms":M,"mode":"all words"}

=== -n 0 only counts
$ nsearch query "$DB" метро -n 0
! ^0 hits of 2 \(all words\) in

=== options may come first, with = or attached values
$ nsearch query --sort=date -n1 --json "$DB" метро
| s/.*"id":"([^"]*)".*/\1/
| s/.*"total":([0-9]+).*/total \1/
> n5
> total 2

=== -- ends options
$ nsearch query --json --sort date -- "$DB" метро
| s/.*"id":"([^"]*)".*/\1/
| s/.*"total":([0-9]+).*/total \1/
> n5
> n1
> total 2

=== several query words are AND-ed by default
$ nsearch query "$DB" ставку снегопад
? 1
! ^0 hits of 0 \(all words\) in

=== --or matches any word
$ nsearch query "$DB" ставку снегопад --or --sort date --json
| s/.*"id":"([^"]*)".*/\1/
| s/.*"total":([0-9]+).*"mode":"([^"]*)".*/total \1, \2/
> n2
> n3
> total 2, any word

=== a quoted query argument is the same as separate words
$ nsearch query "$DB" 'ставку снегопад' --or --sort date --json
| s/.*"id":"([^"]*)".*/\1/
| s/.*"total":([0-9]+).*/total \1/
> n2
> n3
> total 2

=== words are matched in any inflection (снегопад finds «снегопаде»)
$ nsearch query "$DB" снегопаде --json
| s/.*"id":"([^"]*)".*/\1/
| s/.*"total":([0-9]+).*/total \1/
> n2
> total 1

=== piped into head: the first hit line only, no progress anywhere
$ nsearch query "$DB" метро --sort date | head -n 1
| s/^([0-9]+\.) [0-9]+\.[0-9]{4}  /\1 S  /
> 1. S  2024-03-05 14:00:00  В Санкт-Петербурге открылась выставка об истории метро  [n5]
!! indexing

=== query on a terminal: progress never, summary on stderr
$ script -qec '"$NSEARCH" query "$DB" метро --sort date 2>"$T/q.err" | head -n 1 >"$T/q.out"' /dev/null </dev/null >/dev/null; sed -E 's/^([0-9]+\.) [0-9]+\.[0-9]{4}  /\1 S  /' "$T/q.out"; cat "$T/q.err"
| s/in [0-9.]+ ms$/in X ms/
> 1. S  2024-03-05 14:00:00  В Санкт-Петербурге открылась выставка об истории метро  [n5]
> 2 hits of 2 (all words) in X ms

=== a query syntax error: the library's message, exit 2
$ nsearch query "$DB" '(метро'
? 2
! ^nsearch: bad query '\(метро': .*[0-9]
!! hits of

=== an unclosed phrase is a syntax error too
$ nsearch query "$DB" '"школа мэров' --json
? 2
! ^nsearch: bad query '"школа мэров': 

=== a word starting with '-' is an option unless it comes after --
$ nsearch query "$DB" москве -метро
? 2
! ^nsearch: unknown option '-метро' \(arguments that start with '-' go after '--'\)$

=== after --, "-метро" excludes documents with метро
$ nsearch query "$DB" москве --json -- -метро
| s/.*"id":"([^"]*)".*/\1/
| s/.*"total":([0-9]+).*"mode":"([^"]*)".*/total \1, \2/
> n2
> total 1, boolean

=== the query language passes through: a phrase
$ nsearch query "$DB" '"ключевую ставку"' --json
| s/.*"id":"([^"]*)".*/\1/
| s/.*"total":([0-9]+).*/total \1/
> n3
> total 1

=== the query language passes through: a date period
$ nsearch query "$DB" 'метро date:2024-03-05' --json
| s/.*"id":"([^"]*)".*/\1/
| s/.*"total":([0-9]+).*/total \1/
> n5
> total 1
