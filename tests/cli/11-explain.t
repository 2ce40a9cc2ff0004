# nsearch explain: how one document of $DB (data/news.jsonl) fares with a
# query.  Scores are masked (S) as in 04-query.t; idf, frequencies, lengths
# and reasons are exact.  From reading data/news.jsonl: «продажи» and
# «билетов» stand in the titles of ria-1908828530 and ria-1907394827 only
# (twice more in the first one's body), «осадков» in ria-1913493715 only,
# which has «рекорд» in its body and «рекордное» in its title.  N = 7.

=== a full match: the terms, their frequencies, df, idf and score, the proximity bonus (the words stand together) and the total
$ nsearch explain "$DB" продажи билетов ria-1908828530
| s/^score     [0-9]+\.[0-9]{4}$/score     S/
| s/  +[0-9]+\.[0-9]{4}$/  S/
> document  ria-1908828530
> query     продажи билетов
> mode      all words
> match     full
> score     S
> rank      1
> date      2023-11-11 11:07:00
> lengths   title 9, body 47 (averages 9.43, 83.57 over 7 documents)
> bm25f     k1 0.3, b 0.75, title weight 4, lead weight 1.5
>
> query    term    kind  field  tf:title  tf:body  lead  df     idf   score
> продажи  продаж  word  any           1        2   yes   2  1.1632  S
> билетов  билет   word  any           1        2   yes   2  1.1632  S
>                                                       proximity  S
>                                                           total  S
!! .

=== a partial match says what it lacks; its score counts the words it holds
$ nsearch explain "$DB" осадков продажи ria-1913493715
| s/^score     [0-9]+\.[0-9]{4}$/score     S/
| s/  +[0-9]+\.[0-9]{4}$/  S/
> document  ria-1913493715
> query     осадков продажи
> mode      all words
> match     partial (holds only some of the words)
> score     S
> rank      1
> date      2023-12-03 19:48:00
> lengths   title 6, body 31 (averages 9.43, 83.57 over 7 documents)
> bm25f     k1 0.3, b 0.75, title weight 4, lead weight 1.5
>
> query    term    kind  field  tf:title  tf:body  lead  df     idf   score
> осадков  осадк   word  any           1        1   yes   1  1.6740  S
> продажи  продаж  word  any           0        0     -   2  1.1632       -
>                                                           total  S
>
> partial   lacks продажи

=== --no-partial: no match, exit 1; no term is counted
$ nsearch explain "$DB" осадков продажи --no-partial ria-1913493715
? 1
> document  ria-1913493715
> query     осадков продажи
> mode      all words
> match     none
> rank      not among the first 100 hits
> date      2023-12-03 19:48:00
> lengths   title 6, body 31 (averages 9.43, 83.57 over 7 documents)
> bm25f     k1 0.3, b 0.75, title weight 4, lead weight 1.5
>
> query    term    kind  field  tf:title  tf:body  lead  df     idf  score
> осадков  осадк   word  any           1        1   yes   1  1.6740      -
> продажи  продаж  word  any           0        0     -   2  1.1632      -
>
> why not   lacks продажи
!! .

=== a prefix lists the terms the document holds
$ nsearch explain "$DB" 'рекорд* москве' ria-1913493715 | sed -n '/^query  *term/,$p'
| s/  +[0-9]+\.[0-9]{4}$/  S/
> query    term     kind    field  tf:title  tf:body  lead  df     idf   score
> рекорд*  рекорд   prefix  any           0        1   yes   1  1.6740  S
> рекорд*  рекордн  prefix  any           1        0     -   1  1.6740  S
> москве   москв    word    any           0        1   yes   6  0.0645  S
> москве   москв    name    any           1        1   yes   4  0.0645  S
>                                                              total  S

=== -n: how deep the rank is looked for
$ nsearch explain "$DB" продажи билетов ria-1907394827 -n 1 | sed -n '/^match/p;/^rank/p'
> match     full
> rank      not among the first 1 hit

=== --offset 1 -n 1: the second hit
$ nsearch explain "$DB" продажи билетов ria-1907394827 -n 1 --offset 1 | sed -n '/^rank/p'
> rank      2

=== reasons quote the query: excluded words, dates, rubrics, OR
$ nsearch explain "$DB" -- билетов -щелкунчик date:2023-12 ria-1908828530 | sed -n '/^why not/,$p'
> why not   excluded by -щелкунчик
>           date 2023-11-11 11:07:00 is outside date:2023-12

=== rubric: and title:
$ nsearch explain "$DB" 'title:театр rubric:society' ria-1907394827 | sed -n '/^query  *term/,$p'
> query        term   kind  field  tf:title  tf:body  lead  df     idf  score
> title:театр  театр  word  title         1        0     -   2  1.1632      -
>
> why not   not in rubric:society

=== --or: none of the words
$ nsearch explain "$DB" --or осадков снега ria-1902239544 | sed -n '/^match/p;/^date/p;/^why not/,$p'
> match     none
> date      none
> why not   holds none of осадков снега

=== a long query: 5 of 6 words needed, 2 held: a partial match, what it lacks
$ nsearch explain "$DB" выпало рекордное количество осадков ленинского проспекта ria-1912824677 | sed -n '/^mode/p;/^match/p;/^partial/,$p'
> mode      at least 5 of 6 words
> match     partial (holds only some of the words)
> partial   holds 2 of the 6 words, needs 5: выпало рекордное количество осадков ленинского проспекта
>           lacks выпало
>           lacks рекордное
>           lacks количество
>           lacks осадков

=== --json: one object; a phrase's words
$ nsearch explain --json "$DB" '"продажи билетов"' ria-1907394827
| s/"score":[0-9.e+-]+/"score":S/g
> {"id":"ria-1907394827","query":"\"продажи билетов\"","match":"full","score":S,"proximity":0,"rank":2,"mode":"boolean","doc":{"title_len":11,"body_len":29,"date":"2023-11-04 11:15:00","avg_title_len":9.42857,"avg_body_len":83.5714,"docs":7,"k1":0.3,"b":0.75,"title_weight":4,"lead_weight":1.5},"terms":[{"query":"\"продажи билетов\"","term":"продаж","kind":"phrase","field":"any","tf_title":1,"tf_body":1,"lead":true,"df":2,"idf":1.16315,"counted":true,"score":S},{"query":"\"продажи билетов\"","term":"билет","kind":"phrase","field":"any","tf_title":1,"tf_body":1,"lead":true,"df":2,"idf":1.16315,"counted":true,"score":S}],"reasons":[]}

=== --json without a match: score and rank null, the reasons
$ nsearch explain --json "$DB" 'осадков -москва' ria-1913493715
? 1
| s/"doc":\{[^}]*\}/"doc":D/
> {"id":"ria-1913493715","query":"осадков -москва","match":"none","score":null,"proximity":null,"rank":null,"mode":"boolean","doc":D,"terms":[{"query":"осадков","term":"осадк","kind":"word","field":"any","tf_title":1,"tf_body":1,"lead":true,"df":1,"idf":1.67398,"counted":false,"score":0}],"reasons":[{"kind":"excluded","query":"-москва"}]}

=== no such document: exit 1
$ nsearch explain "$DB" осадков nope
? 1
! ^nsearch: no document 'nope' in '.*'$

=== the last argument is the id: without one, a usage error
$ nsearch explain "$DB" осадков
? 2
! ^nsearch: no document id given
! ^usage: nsearch explain

=== no query
$ nsearch explain "$DB"
? 2
! ^nsearch: no query given$

=== a malformed query
$ nsearch explain "$DB" 'осадков OR' ria-1913493715
? 2
! ^nsearch: bad query: OR without a right operand at 8: 'осадков OR'$

=== explain --help
$ nsearch explain --help | head -1
> usage: nsearch explain DB QUERY... ID [options]
