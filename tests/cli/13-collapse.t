# Near-duplicate collapsing, on a private index of three posts in $T/dup:
# "a" and its repost "a2" (the same text, another channel's footer), and
# "b", another story.

=== set up: a story, its repost, another story
$ printf '%s\n' '{"id":"a","title":"Пожар на складе","text":"Пожар на складе в Балашихе потушили к утру, пострадавших нет, сообщили в МЧС области."}' '{"id":"a2","title":"Пожар на складе","text":"Пожар на складе в Балашихе потушили к утру, пострадавших нет, сообщили в МЧС области. Подписывайтесь на канал"}' '{"id":"b","title":"Пожар в порту","text":"Пожар в порту Находки локализовали, огонь охватил два ангара с техникой."}' > "$T/dup.jsonl" && nsearch index -q "$T/dup" "$T/dup.jsonl"
! ^nsearch: indexed 3 documents

=== the repost is folded into the story: "+1 similar", hits count stories
$ nsearch query "$T/dup" пожар --no-snippet
| s/^([0-9]+)\. [0-9.]+ /\1. S /
> 1. S  Пожар в порту  [b]
> 2. S  Пожар на складе  [a]  +1 similar
! ^2 hits of 3 \(all words\), 2 stories in the first 3 in

=== --json lists the folded ids on the hit, stories in the summary
$ nsearch query "$T/dup" пожар --no-snippet --json
| s/"score":[0-9.e+-]+/"score":S/
| s/"ms":[0-9]+\.[0-9]{3},/"ms":M,/
> {"rank":1,"score":S,"id":"b","title":"Пожар в порту","date":null,"rubric":null,"url":null}
> {"rank":2,"score":S,"id":"a","title":"Пожар на складе","date":null,"rubric":null,"url":null,"duplicates":["a2"]}
> {"total":3,"returned":2,"ms":M,"mode":"all words","stories":2,"examined":3}

=== the second page of one story: "a", with its repost, ranked third of the documents
$ nsearch query "$T/dup" пожар --no-snippet --json -n 1 --offset 1
| s/"score":[0-9.e+-]+/"score":S/
| s/"ms":[0-9]+\.[0-9]{3},/"ms":M,/
> {"rank":2,"score":S,"id":"a","title":"Пожар на складе","date":null,"rubric":null,"url":null,"duplicates":["a2"]}
> {"total":3,"returned":1,"ms":M,"mode":"all words","stories":2,"examined":3}

=== --no-collapse shows every document, no stories counted
$ nsearch query "$T/dup" пожар --no-snippet --json --no-collapse
| s/"score":[0-9.e+-]+/"score":S/
| s/"ms":[0-9]+\.[0-9]{3},/"ms":M,/
> {"rank":1,"score":S,"id":"b","title":"Пожар в порту","date":null,"rubric":null,"url":null}
> {"rank":2,"score":S,"id":"a","title":"Пожар на складе","date":null,"rubric":null,"url":null}
> {"rank":3,"score":S,"id":"a2","title":"Пожар на складе","date":null,"rubric":null,"url":null}
> {"total":3,"returned":3,"ms":M,"mode":"all words"}

=== explain: the folded repost has the rank of the hit it was folded into
$ nsearch explain "$T/dup" пожар a2 --json
| s/.*"rank":([0-9]+).*/rank \1/
> rank 2

=== explain --no-collapse: its rank among documents
$ nsearch explain "$T/dup" пожар a2 --json --no-collapse
| s/.*"rank":([0-9]+).*/rank \1/
> rank 3

=== similar: the near copy first (its score the share of shingles), then the related story
$ nsearch similar "$T/dup" a
| s/^([0-9]+)\. [0-9.]+ /\1. S /
> 1. S  Пожар на складе  [a2]  (near copy)
> 2. S  Пожар в порту  [b]
! ^2 similar of 2 in

=== similar --json -n 1: one hit, marked as a near copy
$ nsearch similar "$T/dup" a --json -n 1
| s/"ms":[0-9]+\.[0-9]{3}/"ms":M/
> {"rank":1,"score":0.733333,"id":"a2","title":"Пожар на складе","date":null,"rubric":null,"url":null,"near_copy":true}
> {"total":2,"returned":1,"ms":M}

=== similar of an id the index has not: exit 1, said on stderr
$ nsearch similar "$T/dup" zz
? 1
! ^nsearch: no document 'zz' in

=== similar needs an id
$ nsearch similar "$T/dup"
? 2
! ^nsearch: no document id given
