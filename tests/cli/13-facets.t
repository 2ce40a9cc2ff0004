# nsearch query --facets: counts of all the full matches by rubric and by
# date, after the hits (text) or in the summary (--json), on $DB
# (data/news.jsonl and shkola-merov.txt).  «в» is in the five RIA items
# with a date: three of society (2023-11-30, 2023-12-01, 2023-12-03), two
# of culture (2023-11-04, 2023-11-11), and in shkola-merov.txt (Общество,
# 2024-07-17); «Греф» only in ria-1902239544 (economy, no date).

=== a block after the hits: rubrics by count, months by date
$ nsearch query "$DB" щелкунчик --no-snippet -n 1 --sort date --facets rubric,date:month
| s/^([0-9]+\.) [0-9]+\.[0-9]{4}  /\1 S  /
> 1. S  2023-11-11 11:07:00  В кассах Большого театра начались продажи билетов на "Щелкунчик"  [ria-1908828530]
>     https://ria.ru/20231111/schelkunchik-1908828530.html (culture)
> facets of 2 matches:
>   rubric: culture 2
>   date:month: 2023-11 2
! ^1 hit of 2 \(all words\) in [0-9.]+ ms$

=== facets count every match, not only the page
$ nsearch query "$DB" в --no-snippet -n 1 --offset 5 --sort date --facets date:day,rubric,date:year
| s/^([0-9]+\.) [0-9]+\.[0-9]{4}  /\1 S  /
> 6. S  2023-11-04 11:15:00  Эксцессов при продаже билетов на "Щелкунчик" нет, заявили в Большом театре  [ria-1907394827]
>     https://ria.ru/20231104/schelkunchik-1907394827.html (culture)
> facets of 6 matches:
>   date:day: 2023-11-04 1, 2023-11-11 1, 2023-11-30 1, 2023-12-01 1, 2023-12-03 1, 2024-07-17 1
>   rubric: society 3, culture 2, Общество 1
>   date:year: 2023 5, 2024 1

=== --json: a "facets" member of the summary, buckets of {value, count}; documents without a value as value null
$ nsearch query "$DB" в OR греф -n 0 --json --facets rubric,date:month
| s/"ms":[0-9]+\.[0-9]{3},/"ms":M,/
> {"total":7,"returned":0,"ms":M,"mode":"boolean","facets":{"rubric":[{"value":"society","count":3},{"value":"culture","count":2},{"value":"economy","count":1},{"value":"Общество","count":1}],"date:month":[{"value":"2023-11","count":3},{"value":"2023-12","count":2},{"value":"2024-07","count":1},{"value":null,"count":1}]}}

=== a document without a date: counted as (no date)
$ nsearch query "$DB" греф --no-snippet --facets date:year,rubric
| s/^([0-9]+\.) [0-9]+\.[0-9]{4}  /\1 S  /
> 1. S  Греф заявил о присоединении Сбера ко второй волне теста цифрового рубля  [ria-1902239544]
>     (economy)
> facets of 1 match:
>   date:year: (no date) 1
>   rubric: economy 1

=== the facet counts equal the totals of the filtered query
$ for q in 'в rubric:society' 'в rubric:culture' 'в date:2023-11' 'в date:2023-12'; do nsearch query "$DB" "$q" -n 0 --json | sed -E 's/.*"total":([0-9]+).*/\1/'; done
> 3
> 2
> 3
> 2

=== no match: exit 1, empty facets
$ nsearch query "$DB" "в -в" --facets rubric,date:day
? 1
> facets of 0 matches:
>   rubric: -
>   date:day: -

=== a bad spec: exit 2, nothing on stdout
$ nsearch query "$DB" в --facets rubric,date:week
? 2
! ^nsearch: bad --facets 'rubric,date:week': bad date bucket 'week' \(day, month or year\)$

=== an unknown facet
$ nsearch query "$DB" в --facets author
? 2
! ^nsearch: bad --facets 'author': unknown facet 'author' \(rubric, date:day, date:month or date:year\)$

=== a facet twice
$ nsearch query "$DB" в --facets rubric,RUBRIC
? 2
! ^nsearch: bad --facets 'rubric,RUBRIC': facet 'rubric' given twice$

=== --facets without its value
$ nsearch query "$DB" в --facets
? 2
! ^nsearch: 

=== --help names --facets
$ nsearch query --help | grep -c -- '--facets SPEC'
> 1
