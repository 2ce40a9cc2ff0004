# nsearch get: documents from data/news.jsonl, printed as stored.

=== get prints the fields, a blank line, then the text
$ nsearch get "$DB" n5
> id:     n5
> url:    https://example.ru/news/n5
> date:   2024-03-05 14:00:00
> rubric: Культура
> title:  В Санкт-Петербурге открылась выставка об истории метро
> credit: Фото: пресс-служба музея
>
> В Музее городской скульптуры показывают чертежи первых станций ленинградского метро.
> Выставка продлится до конца мая.
!! .

=== absent fields are left out
$ nsearch get "$DB" n4
> id:     n4
> rubric: Спорт
> title:  Сборная России по хоккею выиграла турнир в Санкт-Петербурге
>
> В финальном матче хоккеисты обыграли соперников со счётом 3:1. Турнир проходил в Санкт-Петербурге.

=== get --json: every field, null when absent, control characters escaped
$ nsearch get "$DB" n6 --json
> {"id":"n6","url":"https://example.ru/news/n6","date":"2024-03-04 12:15:00","rubric":null,"title":"Компания \"Ромашка\" объявила о выпуске облигаций","credit":null,"text":"Облигации\tразместят на Московской бирже. Объём выпуска составит 5 млрд рублей."}

=== get --json keeps newlines of the text escaped
$ nsearch get --json "$DB" n5
> {"id":"n5","url":"https://example.ru/news/n5","date":"2024-03-05 14:00:00","rubric":"Культура","title":"В Санкт-Петербурге открылась выставка об истории метро","credit":"Фото: пресс-служба музея","text":"В Музее городской скульптуры показывают чертежи первых станций ленинградского метро.\nВыставка продлится до конца мая."}

=== a missing id: message on stderr, exit 1
$ nsearch get "$DB" n99
? 1
! ^nsearch: no document 'n99' in '.*/db'$

=== ids are exact: no stemming or case folding
$ nsearch get "$DB" N1
? 1
! ^nsearch: no document 'N1' in
