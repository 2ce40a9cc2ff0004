# nsearch get: documents from data/news.jsonl, printed as stored.

=== get prints the fields, a blank line, then the text
$ nsearch get "$DB" ria-1908828530
> id:     ria-1908828530
> url:    https://ria.ru/20231111/schelkunchik-1908828530.html
> date:   2023-11-11 11:07:00
> rubric: culture
> title:  В кассах Большого театра начались продажи билетов на "Щелкунчик"
> credit: РИА Новости
>
> МОСКВА, 11 ноя - РИА Новости. В кассах Большого театра начались продажи билетов на балет "Щелкунчик" с 29 по 31 декабря, передает корреспондент РИА Новости.
> Ранее Большой театр на официальном сайте опубликовал специальную программу предварительной продажи билетов на спектакли балета "Щелкунчик" в связи с повышенным спросом на спектакль.
!! .

=== absent fields are left out
$ nsearch get "$DB" ria-1902239544
> id:     ria-1902239544
> rubric: economy
> title:  Греф заявил о присоединении Сбера ко второй волне теста цифрового рубля
>
> МОСКВА, 12 окт - РИА Новости. Сбербанк присоединится ко второй волне тестирования цифрового рубля, заявил журналистам глава кредитной организации Герман Греф.

=== get --json: every field, null when absent, quotes and newlines escaped
$ nsearch get --json "$DB" ria-1908828530
> {"id":"ria-1908828530","url":"https://ria.ru/20231111/schelkunchik-1908828530.html","date":"2023-11-11 11:07:00","rubric":"culture","title":"В кассах Большого театра начались продажи билетов на \"Щелкунчик\"","credit":"РИА Новости","text":"МОСКВА, 11 ноя - РИА Новости. В кассах Большого театра начались продажи билетов на балет \"Щелкунчик\" с 29 по 31 декабря, передает корреспондент РИА Новости.\nРанее Большой театр на официальном сайте опубликовал специальную программу предварительной продажи билетов на спектакли балета \"Щелкунчик\" в связи с повышенным спросом на спектакль."}

=== get --json of a document without date and url
$ nsearch get "$DB" ria-1902239544 --json
> {"id":"ria-1902239544","url":null,"date":null,"rubric":"economy","title":"Греф заявил о присоединении Сбера ко второй волне теста цифрового рубля","credit":null,"text":"МОСКВА, 12 окт - РИА Новости. Сбербанк присоединится ко второй волне тестирования цифрового рубля, заявил журналистам глава кредитной организации Герман Греф."}

=== a missing id: message on stderr, exit 1
$ nsearch get "$DB" ria-0
? 1
! ^nsearch: no document 'ria-0' in '.*/db'$

=== ids are exact: no stemming or case folding
$ nsearch get "$DB" RIA-1902239544
? 1
! ^nsearch: no document 'RIA-1902239544' in

=== a long id is echoed cut to 60 characters, the reason first
$ nsearch get "$DB" "$(printf 'x%.0s' $(seq 1 500))"
? 1
! ^nsearch: no document 'x{60}\.\.\.' in '.*'$
