# Scores exactly, to four decimals in text and six significant digits in
# JSON: the other case files mask them (ranking is tuned often), so these
# cases are what catches a change in BM25F, the title weight, the lead bonus,
# proximity or partial matching that keeps the order but moves the scores.
# When ranking changes on purpose, update these values with it.

=== text: two hits of one word, exact scores
$ nsearch query "$DB" щелкунчик --no-snippet
> 1. 1.4509  2023-11-11 11:07:00  В кассах Большого театра начались продажи билетов на "Щелкунчик"  [ria-1908828530]
>     https://ria.ru/20231111/schelkunchik-1908828530.html (culture)
> 2. 1.4341  2023-11-04 11:15:00  Эксцессов при продаже билетов на "Щелкунчик" нет, заявили в Большом театре  [ria-1907394827]
>     https://ria.ru/20231104/schelkunchik-1907394827.html (culture)
! ^2 hits of 2 \(all words\) in [0-9]+\.[0-9]{3} ms$

=== text: a phrase OR a word, the phrase in a title scores highest
$ nsearch query "$DB" '"школа мэров" OR щелкунчик' --no-snippet
> 1. 3.9666  2024-07-17 13:30:00  Главы трех муниципалитетов Владимирской области приняли участие в проекте «Школы мэров»  [shkola-merov.txt]
>     (Общество)
> 2. 1.4509  2023-11-11 11:07:00  В кассах Большого театра начались продажи билетов на "Щелкунчик"  [ria-1908828530]
>     https://ria.ru/20231111/schelkunchik-1908828530.html (culture)
> 3. 1.4341  2023-11-04 11:15:00  Эксцессов при продаже билетов на "Щелкунчик" нет, заявили в Большом театре  [ria-1907394827]
>     https://ria.ru/20231104/schelkunchik-1907394827.html (culture)
! ^3 hits of 3 \(boolean\) in [0-9]+\.[0-9]{3} ms$

=== JSON: a full match (two words, proximity) and a partial one
$ nsearch query "$DB" 'мэр школа' --json --no-snippet
| s/"ms":[0-9]+\.[0-9]{3},/"ms":M,/
> {"rank":1,"score":3.22256,"id":"shkola-merov.txt","title":"Главы трех муниципалитетов Владимирской области приняли участие в проекте «Школы мэров»","date":"2024-07-17 13:30:00","rubric":"Общество","url":null}
> {"rank":2,"score":1.31136,"id":"ria-1912824677","title":"На юго-западе Москвы завершили благоустройство участка Ленинского проспекта","date":"2023-11-30 10:25:00","rubric":"society","url":"https://ria.ru/20231130/blagoustroystvo-1912824677.html","partial":true}
> {"total":1,"returned":2,"ms":M,"mode":"all words","partial":1,"stories":2,"examined":2}

=== JSON: an inflected form (снег finds «снега»)
$ nsearch query "$DB" снег --json --no-snippet -n 2
| s/"ms":[0-9]+\.[0-9]{3},/"ms":M,/
> {"rank":1,"score":2.04646,"id":"ria-1913493715","title":"В Москве выпало рекордное количество осадков","date":"2023-12-03 19:48:00","rubric":"society","url":"https://ria.ru/20231203/sneg-1913493715.html"}
> {"total":1,"returned":1,"ms":M,"mode":"all words","stories":1,"examined":1}
