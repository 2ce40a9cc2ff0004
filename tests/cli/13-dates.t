# Dates as written, filtered and sorted in UTC, and freshness.  The index
# is built from data/dates.jsonl: the same story with dates in every form;
# msk (02:30 +03:00) is 2024-11-30 23:30 UTC, west (20:00 -05:30) is
# 2024-12-01 01:30 UTC.  Scores are masked (equal texts score alike; the
# order of equal scores is by newer date, then indexing order).

=== index the dated stories
$ nsearch index -q "$T/d.idx" data/dates.jsonl
! ^nsearch: indexed 8 documents

=== get prints each date as written: offset, a day alone, a time without offset
$ for id in msk west z day naive none; do nsearch get "$T/d.idx" $id | sed -n 2p; done
> date:   2024-12-01 02:30:00+03:00
> date:   2024-11-30 20:00:00-05:30
> date:   2024-12-01 00:00:00+00:00
> date:   2024-12-01
> date:   2024-12-01 00:00:00
> title:  Кит без даты

=== get --json: the date as written, null when there is none
$ nsearch get "$T/d.idx" msk --json && nsearch get "$T/d.idx" none --json
> {"id":"msk","url":null,"date":"2024-12-01 02:30:00+03:00","rubric":null,"title":"Кит у берега","credit":null,"text":"Кит плывёт вдоль берега, сообщили в Москве."}
> {"id":"none","url":null,"date":null,"rubric":null,"title":"Кит без даты","credit":null,"text":"Кит плывёт без даты."}

=== --sort date orders by UTC: msk's 02:30 +03:00 is before z's midnight UTC
$ nsearch query "$T/d.idx" кит --sort date --no-snippet
| s/^([0-9]+\.) [0-9]+\.[0-9]{4}  /\1 S  /
> 1. S  2024-11-30 20:00:00-05:30  Кит в океане  [west]
> 2. S  2024-12-01 00:00:00+00:00  Кит в порту  [z]
> 3. S  2024-12-01  Кит на севере  [day]
> 4. S  2024-12-01 00:00:00  Кит на западе  [naive]
> 5. S  2024-11-30 23:59:59+00:00  Кит на юге  [last]
> 6. S  2024-12-01 02:30:00+03:00  Кит у берега  [msk]
> 7. S  2024-10-01 12:00:00+03:00  Кит у маяка  [old]
> 8. S  Кит без даты  [none]
! ^8 hits of 8

=== after:2024-12 is from December on (UTC), December included
$ nsearch query "$T/d.idx" 'кит after:2024-12' --sort date --json
| s/"score":[0-9.e+-]+,/"score":S,/
| s/"ms":[0-9]+\.[0-9]{3},/"ms":M,/
| s/,"snippet".*$/}/
> {"rank":1,"score":S,"id":"west","title":"Кит в океане","date":"2024-11-30 20:00:00-05:30","rubric":null,"url":null}
> {"rank":2,"score":S,"id":"z","title":"Кит в порту","date":"2024-12-01 00:00:00+00:00","rubric":null,"url":null}
> {"rank":3,"score":S,"id":"day","title":"Кит на севере","date":"2024-12-01","rubric":null,"url":null}
> {"rank":4,"score":S,"id":"naive","title":"Кит на западе","date":"2024-12-01 00:00:00","rubric":null,"url":null}
> {"total":4,"returned":4,"ms":M,"mode":"all words","stories":4,"examined":4}

=== before:2024-12 ends with the last second of November (UTC)
$ nsearch query "$T/d.idx" 'кит before:2024-12' --sort date --no-snippet
| s/^([0-9]+\.) [0-9]+\.[0-9]{4}  /\1 S  /
> 1. S  2024-11-30 23:59:59+00:00  Кит на юге  [last]
> 2. S  2024-12-01 02:30:00+03:00  Кит у берега  [msk]
> 3. S  2024-10-01 12:00:00+03:00  Кит у маяка  [old]
! ^3 hits of 3

=== after:D includes the day named, before:D leaves it out
$ nsearch query "$T/d.idx" 'кит after:2024-11-30' -n 0 && nsearch query "$T/d.idx" 'кит before:2024-11-30' -n 0
! ^0 hits of 6 
! ^0 hits of 1 

=== --fresh: the old story and the undated one drop by 1 - W; the same ranking otherwise
$ nsearch query "$T/d.idx" кит --no-snippet --fresh 1d,0.5 --json
| s/"ms":[0-9]+\.[0-9]{3},/"ms":M,/
| s/^\{"rank":([0-9]+),"score":([0-9.e+-]+),"id":"([a-z]+)".*$/\1 \3 \2/
> 1 west 0.0701538
> 2 z 0.0686666
> 3 day 0.0686666
> 4 naive 0.0686666
> 5 last 0.0686664
> 6 msk 0.0678785
> 7 old 0.0350769
> 8 none 0.0350769
> {"total":8,"returned":8,"ms":M,"mode":"all words","stories":8,"examined":8}

=== --fresh-ref moves the reference: every dated story is newer than it, age 0
$ nsearch query "$T/d.idx" кит --no-snippet --fresh 12h,1 --fresh-ref 2024-10-01 --json
| s/"ms":[0-9]+\.[0-9]{3},/"ms":M,/
| s/^\{"rank":([0-9]+),"score":([0-9.e+-]+),"id":"([a-z]+)".*$/\1 \3 \2/
> 1 west 0.0701538
> 2 z 0.0701538
> 3 day 0.0701538
> 4 naive 0.0701538
> 5 last 0.0701538
> 6 old 0.0701538
> 7 msk 0.0698383
> 8 none 0
> {"total":8,"returned":8,"ms":M,"mode":"all words","stories":8,"examined":8}

=== explain shows the freshness factor under the total's terms
$ nsearch explain "$T/d.idx" кит old --fresh 1d,0.5 --json
| s/^.*"score":([0-9.e+-]+),"proximity":0,"freshness":([0-9.e+-]+).*$/\1 \2/
> 0.0350769 0.5

=== --fresh without a unit, a weight out of range, a bad reference: usage errors
$ nsearch query "$T/d.idx" кит --fresh 7; nsearch query "$T/d.idx" кит --fresh 7d,1.5; nsearch query "$T/d.idx" кит --fresh 7d --fresh-ref вчера
? 2
! ^nsearch: --fresh wants a half-life and an optional weight from 0 to 1, such as 48h, 7d or 2w,0\.5, not '7'$
! ^nsearch: --fresh wants a half-life and an optional weight from 0 to 1, such as 48h, 7d or 2w,0\.5, not '7d,1\.5'$
! ^nsearch: --fresh-ref wants a date
