# nsearch query --stdin: one query a line of standard input, one JSON object
# a line out (the --json summary, then "line", "query" and "hits"), the
# index opened once; a line that fails says so and the rest goes on.

=== --stdin: each line's summary, line, query and hits; a CR before the newline dropped
$ nsearch query "$DB" --stdin --no-snippet
< осадков
< крокодил
< греф
| s/"score":[^,]*,/"score":S,/g
| s/"ms":[^,]*,/"ms":M,/
> {"total":1,"returned":1,"ms":M,"mode":"all words","stories":1,"examined":1,"line":1,"query":"осадков","hits":[{"rank":1,"score":S,"id":"ria-1913493715","title":"В Москве выпало рекордное количество осадков","date":"2023-12-03 19:48:00","rubric":"society","url":"https://ria.ru/20231203/sneg-1913493715.html"}]}
> {"total":0,"returned":0,"ms":M,"mode":"all words","why_none":"«крокодил» matches nothing in the index","line":2,"query":"крокодил","hits":[]}
> {"total":1,"returned":1,"ms":M,"mode":"all words","stories":1,"examined":1,"line":3,"query":"греф","hits":[{"rank":1,"score":S,"id":"ria-1902239544","title":"Греф заявил о присоединении Сбера ко второй волне теста цифрового рубля","date":null,"rubric":"economy","url":null}]}
!! .

=== --stdin: snippets and highlights as with --json, the options apply to every line
$ printf 'осадков\r\nщелкунчик' | nsearch query "$DB" --stdin -n 1
| s/"score":[^,]*,/"score":S,/g
| s/"ms":[^,]*,/"ms":M,/
| s/"title":"([^"\\]|\\.)*"/"title":T/
| s/"snippet":"([^"\\]|\\.)*"/"snippet":P/
| s/"highlights":\[[^]]*\]\]/"highlights":H/
| s/"date":"[^"]*"/"date":D/
| s/"url":"[^"]*"/"url":U/
| s/"id":"[^"]*"/"id":I/
| s/"rubric":"[^"]*"/"rubric":R/
| s/"total":[0-9]+/"total":N/
| s/"stories":[0-9]+,"examined":[0-9]+,//
> {"total":N,"returned":1,"ms":M,"mode":"all words","line":1,"query":"осадков","hits":[{"rank":1,"score":S,"id":I,"title":T,"date":D,"rubric":R,"url":U,"snippet":P,"highlights":H}]}
> {"total":N,"returned":1,"ms":M,"mode":"all words","line":2,"query":"щелкунчик","hits":[{"rank":1,"score":S,"id":I,"title":T,"date":D,"rubric":R,"url":U,"snippet":P,"highlights":H}]}

=== --stdin: no line has a hit: exit 1
$ nsearch query "$DB" --stdin
< крокодил
? 1
| s/"ms":[^,]*,/"ms":M,/
> {"total":0,"returned":0,"ms":M,"mode":"all words","why_none":"«крокодил» matches nothing in the index","line":1,"query":"крокодил","hits":[]}

=== --stdin: a line over 4,096 bytes is an error naming the line, the next lines still searched, exit 2
$ (head -c 4097 /dev/zero | tr '\0' 'a'; echo; echo греф) | nsearch query "$DB" --stdin --no-snippet
? 2
! ^nsearch: stdin:1: query longer than 4096 bytes: 'a+\.\.\.'$
| s/"score":[^,]*,/"score":S,/g
| s/"ms":[^,]*,/"ms":M,/
| s/"query":"a{4096}"/"query":A4096/
> {"line":1,"query":A4096,"error":"query longer than 4096 bytes"}
> {"total":1,"returned":1,"ms":M,"mode":"all words","stories":1,"examined":1,"line":2,"query":"греф","hits":[{"rank":1,"score":S,"id":"ria-1902239544","title":"Греф заявил о присоединении Сбера ко второй волне теста цифрового рубля","date":null,"rubric":"economy","url":null}]}

=== --stdin: a line of exactly 4,096 bytes is searched
$ (head -c 4096 /dev/zero | tr '\0' 'a'; echo) | nsearch query "$DB" --stdin --no-snippet
? 1
| s/"ms":[^,]*,/"ms":M,/
| s/"query":"a{4096}"/"query":A4096/
| s/"why_none":"[^"]*",//
> {"total":0,"returned":0,"ms":M,"mode":"all words","line":1,"query":A4096,"hits":[]}

=== --stdin takes no QUERY arguments
$ nsearch query "$DB" --stdin греф
? 2
! ^nsearch: --stdin reads the queries from standard input: no QUERY arguments$

=== without --stdin a query is still needed
$ nsearch query "$DB"
? 2
! ^nsearch: no query given$

=== --stdin --ids: the hits without stored text
$ nsearch query "$DB" --stdin --ids
< греф
| s/"score":[^,]*,/"score":S,/g
| s/"ms":[^,]*,/"ms":M,/
> {"total":1,"returned":1,"ms":M,"mode":"all words","stories":1,"examined":1,"line":1,"query":"греф","hits":[{"rank":1,"score":S,"id":"ria-1902239544","title":null,"date":null,"rubric":null,"url":null}]}
