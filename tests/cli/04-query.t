# nsearch query against the shared index $DB (data/news.jsonl).  Scores
# depend on BM25 details, so they are masked; ranks, order, ids, titles,
# dates, counts and snippets are exact.  The expected hits come from reading
# data/news.jsonl: «Щелкунчик» is in ria-1908828530 and ria-1907394827 only,
# «осадков» only in ria-1913493715, «Тройка» only in ria-1913048616, «Греф»
# only in ria-1902239544 (which has no date and no url).
# Snippets: the library's passage starts at the word at most 30 characters
# before the best matching word and ends with the last word that fits in 200
# characters, control characters made spaces (lib/snippet.c).

=== hits sorted by date: rank, score, date, title, id; url and rubric; snippet
$ nsearch query "$DB" щелкунчик --sort date
| s/^([0-9]+\.) [0-9]+\.[0-9]{4}  /\1 S  /
> 1. S  2023-11-11 11:07:00  В кассах Большого театра начались продажи билетов на "Щелкунчик"  [ria-1908828530]
>     https://ria.ru/20231111/schelkunchik-1908828530.html (culture)
>     продажи билетов на балет "Щелкунчик" с 29 по 31 декабря, передает корреспондент РИА Новости. Ранее Большой театр на официальном сайте опубликовал специальную программу предварительной продажи билетов
> 2. S  2023-11-04 11:15:00  Эксцессов при продаже билетов на "Щелкунчик" нет, заявили в Большом театре  [ria-1907394827]
>     https://ria.ru/20231104/schelkunchik-1907394827.html (culture)
>     продажи билетов на балет "Щелкунчик" у здания Большого театра нет, сообщили РИА Новости в пресс-службе театра
! ^2 hits of 2 \(all words\) in [0-9]+\.[0-9]{3} ms$

=== --no-snippet leaves the passage out
$ nsearch query "$DB" щелкунчик --sort date --no-snippet
| s/^([0-9]+\.) [0-9]+\.[0-9]{4}  /\1 S  /
> 1. S  2023-11-11 11:07:00  В кассах Большого театра начались продажи билетов на "Щелкунчик"  [ria-1908828530]
>     https://ria.ru/20231111/schelkunchik-1908828530.html (culture)
> 2. S  2023-11-04 11:15:00  Эксцессов при продаже билетов на "Щелкунчик" нет, заявили в Большом театре  [ria-1907394827]
>     https://ria.ru/20231104/schelkunchik-1907394827.html (culture)

=== --ids prints the ids alone, in the order of the hits
$ nsearch query "$DB" щелкунчик --sort date --ids
> ria-1908828530
> ria-1907394827
! ^2 hits of 2 \(all words\) in [0-9]+\.[0-9]{3} ms$

=== --ids --json: the hits without stored text (title, rubric, url null), no snippet
$ nsearch query "$DB" щелкунчик --sort date --ids --json -n 1
| s/"score":[^,]*,/"score":S,/
| s/"ms":[^,]*,/"ms":M,/
> {"rank":1,"score":S,"id":"ria-1908828530","title":null,"date":"2023-11-11 11:07:00","rubric":null,"url":null}
> {"total":2,"returned":1,"ms":M,"mode":"all words","stories":2,"examined":2}

=== no hits: exit 1, nothing on stdout
$ nsearch query "$DB" крокодил
? 1
! ^nothing found: «крокодил» matches nothing in the index$
! ^0 hits of 0 \(all words\) in [0-9.]+ ms$

=== --json: one object per hit, then a summary object; nothing on stderr
$ nsearch query "$DB" осадков --json
| s/"score":[0-9]+(\.[0-9]+)?(e[-+]?[0-9]+)?,/"score":S,/
| s/"ms":[0-9]+\.[0-9]{3},/"ms":M,/
> {"rank":1,"score":S,"id":"ria-1913493715","title":"В Москве выпало рекордное количество осадков","date":"2023-12-03 19:48:00","rubric":"society","url":"https://ria.ru/20231203/sneg-1913493715.html","snippet":"рекорд по количеству выпавших осадков обновился в Москве, в столице выпало 10 миллиметров снега, сообщил в Telegram-канале ведущий специалист центра погоды \"Фобос\" Михаил Леус","highlights":[[56,70]]}
> {"total":1,"returned":1,"ms":M,"mode":"all words","stories":1,"examined":1}
!! .

=== --json with no hits prints only the summary, exit 1
$ nsearch query "$DB" крокодил --json
? 1
| s/"ms":[0-9]+\.[0-9]{3},/"ms":M,/
> {"total":0,"returned":0,"ms":M,"mode":"all words","why_none":"«крокодил» matches nothing in the index"}

=== --json: absent date and url are null
$ nsearch query "$DB" греф --json --no-snippet
| s/"score":[^,]*,/"score":S,/
| s/"ms":[^,]*,/"ms":M,/
> {"rank":1,"score":S,"id":"ria-1902239544","title":"Греф заявил о присоединении Сбера ко второй волне теста цифрового рубля","date":null,"rubric":"economy","url":null}
> {"total":1,"returned":1,"ms":M,"mode":"all words","stories":1,"examined":1}

=== --json escapes quotes inside strings
$ nsearch query "$DB" тройка --json -n 1 --no-snippet
| s/"score":[^,]*,/"score":S,/
| 2,$d
> {"rank":1,"score":S,"id":"ria-1913048616","title":"В Москве с 1 декабря вырастет стоимость карты \"Тройка\"","date":"2023-12-01 01:18:00","rubric":"society","url":"https://ria.ru/20231201/troyka-1913048616.html"}

=== a hit without date or url: the date column and the url are left out
$ nsearch query "$DB" греф --no-snippet
| s/^([0-9]+\.) [0-9]+\.[0-9]{4}  /\1 S  /
> 1. S  Греф заявил о присоединении Сбера ко второй волне теста цифрового рубля  [ria-1902239544]
>     (economy)

=== -n limits the hits; total still counts every match
$ nsearch query "$DB" щелкунчик --sort date -n 1 --no-snippet
| s/^([0-9]+\.) [0-9]+\.[0-9]{4}  /\1 S  /
> 1. S  2023-11-11 11:07:00  В кассах Большого театра начались продажи билетов на "Щелкунчик"  [ria-1908828530]
>     https://ria.ru/20231111/schelkunchik-1908828530.html (culture)
! ^1 hit of 2 \(all words\) in

=== --offset skips hits; ranks count the offset
$ nsearch query "$DB" щелкунчик --sort date -n 1 --offset 1 --json --no-snippet
| s/"score":[^,]*,/"score":S,/
| s/"ms":[^,]*,/"ms":M,/
> {"rank":2,"score":S,"id":"ria-1907394827","title":"Эксцессов при продаже билетов на \"Щелкунчик\" нет, заявили в Большом театре","date":"2023-11-04 11:15:00","rubric":"culture","url":"https://ria.ru/20231104/schelkunchik-1907394827.html"}
> {"total":2,"returned":1,"ms":M,"mode":"all words","stories":2,"examined":2}

=== an offset past the last hit returns nothing but the query still matched
$ nsearch query "$DB" щелкунчик --offset 5 --json
| s/"ms":[^,]*,/"ms":M,/
> {"total":2,"returned":0,"ms":M,"mode":"all words","stories":2,"examined":2}

=== -n 0 only counts
$ nsearch query "$DB" щелкунчик -n 0
! ^0 hits of 2 \(all words\) in

=== options may come first, with = or attached values
$ nsearch query --sort=date -n1 --json "$DB" щелкунчик
| s/.*"id":"([^"]*)".*/\1/
| s/.*"total":([0-9]+).*/total \1/
> ria-1908828530
> total 2

=== -- ends options
$ nsearch query --json --sort date -- "$DB" щелкунчик
| s/.*"id":"([^"]*)".*/\1/
| s/.*"total":([0-9]+).*/total \1/
> ria-1908828530
> ria-1907394827
> total 2

=== several query words are AND-ed by default (--no-partial: nothing else)
$ nsearch query "$DB" осадков тройка --no-partial
? 1
! ^0 hits of 0 \(all words\) in

=== no document holds both words: the partial matches follow, marked, exit 0
$ nsearch query "$DB" осадков тройка --no-snippet
| s/^([0-9]+\.) [0-9.]+ /\1 S /
> 1. S  2023-12-03 19:48:00  В Москве выпало рекордное количество осадков  [ria-1913493715]  (partial match)
>     https://ria.ru/20231203/sneg-1913493715.html (society)
> 2. S  2023-12-01 01:18:00  В Москве с 1 декабря вырастет стоимость карты "Тройка"  [ria-1913048616]  (partial match)
>     https://ria.ru/20231201/troyka-1913048616.html (society)
! ^2 hits of 0 \(all words\) and 2 partial matches in

=== partial matches in --json: "partial" on the hit and in the summary
$ nsearch query "$DB" осадков тройка --json --no-snippet -n 1
| s/"score":[^,]*,/"score":S,/
| s/"ms":[^,]*,/"ms":M,/
> {"rank":1,"score":S,"id":"ria-1913493715","title":"В Москве выпало рекордное количество осадков","date":"2023-12-03 19:48:00","rubric":"society","url":"https://ria.ru/20231203/sneg-1913493715.html","partial":true}
> {"total":0,"returned":1,"ms":M,"mode":"all words","partial":2,"stories":2,"examined":2}

=== a long query needs 80 % of its words
$ nsearch query "$DB" рекорд осадков Москве снега крокодил --json --no-partial
| s/.*"id":"([^"]*)".*/\1/
| s/.*"total":([0-9]+).*"mode":"([^"]*)".*/total \1, \2/
> ria-1913493715
> total 1, at least 4 of 5 words

=== --all-words needs every one of them
$ nsearch query "$DB" рекорд осадков Москве снега крокодил --all-words --json
? 1
| s/.*"total":([0-9]+).*"mode":"([^"]*)".*/total \1, \2/
> total 0, all words

=== --all-words with five words the article has
$ nsearch query "$DB" рекорд осадков Москве снега выпало --all-words --json
| s/.*"id":"([^"]*)".*/\1/
| s/.*"total":([0-9]+).*"mode":"([^"]*)".*/total \1, \2/
> ria-1913493715
> total 1, all words

=== --or matches any word
$ nsearch query "$DB" осадков тройка --or --sort date --json
| s/.*"id":"([^"]*)".*/\1/
| s/.*"total":([0-9]+).*"mode":"([^"]*)".*/total \1, \2/
> ria-1913493715
> ria-1913048616
> total 2, any word

=== a quoted query argument is the same as separate words
$ nsearch query "$DB" 'осадков тройка' --or --sort date --json
| s/.*"id":"([^"]*)".*/\1/
| s/.*"total":([0-9]+).*/total \1/
> ria-1913493715
> ria-1913048616
> total 2

=== words are matched in any inflection (снег finds «снега»)
$ nsearch query "$DB" снег --json
| s/.*"id":"([^"]*)".*/\1/
| s/.*"total":([0-9]+).*/total \1/
> ria-1913493715
> total 1

=== piped into head: the first hit line only, no progress anywhere
$ nsearch query "$DB" щелкунчик --sort date | head -n 1
| s/^([0-9]+\.) [0-9]+\.[0-9]{4}  /\1 S  /
> 1. S  2023-11-11 11:07:00  В кассах Большого театра начались продажи билетов на "Щелкунчик"  [ria-1908828530]
!! indexing

=== query on a terminal: progress never, summary on stderr
$ script -qec '"$NSEARCH" query "$DB" щелкунчик --sort date 2>"$T/q.err" | head -n 1 >"$T/q.out"' /dev/null </dev/null >/dev/null; sed -E 's/^([0-9]+\.) [0-9]+\.[0-9]{4}  /\1 S  /' "$T/q.out"; cat "$T/q.err"
| s/in [0-9.]+ ms$/in X ms/
> 1. S  2023-11-11 11:07:00  В кассах Большого театра начались продажи билетов на "Щелкунчик"  [ria-1908828530]
> 2 hits of 2 (all words) in X ms

=== a query syntax error: the library's message, exit 2
$ nsearch query "$DB" 'щелкунчик OR'
? 2
! ^nsearch: bad query: OR without a right operand at 10: 'щелкунчик OR'$
!! hits of

=== an unbalanced bracket is no error: the words are searched, with a note
$ nsearch query "$DB" '(щелкунчик' -n 0
! ^nsearch: note: an unbalanced quote or bracket: the query was searched as plain words$
! ^0 hits of 2 \(all words\)

=== nor is an unclosed phrase
$ nsearch query "$DB" '"цифрового рубля' --json --no-partial -n 0
| s/"ms":[0-9]+\.[0-9]{3},/"ms":M,/
> {"total":1,"returned":0,"ms":M,"mode":"all words"}
! ^nsearch: note: an unbalanced quote or bracket

=== a word starting with '-' is an option unless it comes after --
$ nsearch query "$DB" большого -эксцессов
? 2
! ^nsearch: unknown option '-эксцессов' \(arguments that start with '-' go after '--'\)$

=== after --, "-эксцессов" excludes documents with that word
$ nsearch query "$DB" большого --json -- -эксцессов
| s/.*"id":"([^"]*)".*/\1/
| s/.*"total":([0-9]+).*"mode":"([^"]*)".*/total \1, \2/
> ria-1908828530
> shkola-merov.txt
> total 2, boolean

=== the query language passes through: a phrase
$ nsearch query "$DB" '"цифрового рубля"' --json
| s/.*"id":"([^"]*)".*/\1/
| s/.*"total":([0-9]+).*/total \1/
> ria-1902239544
> total 1

=== the query language passes through: a date period
$ nsearch query "$DB" 'щелкунчик date:2023-11-04' --json
| s/.*"id":"([^"]*)".*/\1/
| s/.*"total":([0-9]+).*/total \1/
> ria-1907394827
> total 1

=== the sample article (corpus/shkola-merov.txt): the demo query finds it
# Its id is the path it was indexed under; title, date and rubric come from
# the article's header lines; it has no url.
$ nsearch query "$DB" 'школа мэров' --json --no-snippet -n 1
| s/"score":[^,]*,/"score":S,/
| s/"ms":[^,]*,/"ms":M,/
> {"rank":1,"score":S,"id":"shkola-merov.txt","title":"Главы трех муниципалитетов Владимирской области приняли участие в проекте «Школы мэров»","date":"2024-07-17 13:30:00","rubric":"Общество","url":null}
> {"total":1,"returned":1,"ms":M,"mode":"all words","stories":1,"examined":1}

=== a failed write of the results is an error, reported once
$ nsearch query "$DB" щелкунчик >/dev/full
? 2
! ^nsearch: cannot write output: No space left on device$
!! hits of

=== the same in JSON mode
$ nsearch query "$DB" щелкунчик --json >/dev/full
? 2
! ^nsearch: cannot write output: No space left on device$

=== a query needing more terms than the budget is a bad query, exit 2
$ nsearch query "$DB" "$(i=0; q=москве; while [ $i -lt 2100 ]; do q="$q OR москве"; i=$((i+1)); done; echo "$q")"
? 2
! ^nsearch: bad query: query too broad: more than 4096 terms; at most 4096 .*: 'москве OR москве OR .*\.\.\.'$

=== rubric:(a OR b) matches documents of either rubric, as rubric:a OR rubric:b does
$ for q in 'rubric:(culture OR economy)' 'rubric:culture OR rubric:economy' 'rubric:culture' 'rubric:economy'; do nsearch query "$DB" "$q" --json --no-snippet | sed -nE 's/.*"total":([0-9]+).*/\1/p'; done
> 3
> 3
> 2
> 1

=== a field group the parser cannot take is an error, not an empty result
$ nsearch query "$DB" 'rubric:(culture AND economy)'
? 2
! ^nsearch: bad query: rubric:\(\.\.\.\) takes rubrics joined by OR at 16: 'rubric:\(culture AND economy\)'$
