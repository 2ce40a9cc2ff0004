# Query rescue: a word typed with the wrong keyboard layout on, which
# matches nothing, is searched as the word the index has; one line says so.

=== a word typed on QWERTY is searched as the Cyrillic word, said on stderr
$ nsearch query "$DB" otkreyxbr --no-snippet
| s/^([0-9]+)\. [0-9.]+ /\1. S /
> 1. S  2023-11-11 11:07:00  В кассах Большого театра начались продажи билетов на "Щелкунчик"  [ria-1908828530]
>     https://ria.ru/20231111/schelkunchik-1908828530.html (culture)
> 2. S  2023-11-04 11:15:00  Эксцессов при продаже билетов на "Щелкунчик" нет, заявили в Большом театре  [ria-1907394827]
>     https://ria.ru/20231104/schelkunchik-1907394827.html (culture)
! ^showing results for «щелкунчик» \(otkreyxbr → щелкунчик, keyboard layout\); search for otkreyxbr exactly: --exact$
! ^2 hits of 2 \(all words\)

=== --json carries the query as searched and the rewrites in the summary
$ nsearch query "$DB" otkreyxbr --no-snippet --json -n 0
| s/"ms":[0-9]+\.[0-9]{3},/"ms":M,/
> {"total":2,"returned":0,"ms":M,"mode":"all words","searched":"щелкунчик","rewrites":[{"kind":"keyboard layout","from":"otkreyxbr","to":"щелкунчик","suggested":false}]}

=== --exact searches the word as typed
$ nsearch query "$DB" otkreyxbr --exact
? 1
!! showing
! ^0 hits of 0 \(all words\)

=== a word the index has is never switched
$ nsearch query "$DB" Telegram -n 0
!! showing
! ^0 hits of [1-9]

=== nothing found says why: a rubric the index has not, with those it has
$ nsearch query "$DB" "москва rubric:спорт"
? 1
! ^nothing found: no rubric «спорт» \(rubrics: culture, economy, society, общество\)$

=== nothing found says why: dates outside the index's span
$ nsearch query "$DB" москва date:2030 --json
? 1
| s/"ms":[0-9]+\.[0-9]{3},/"ms":M,/
> {"total":0,"returned":0,"ms":M,"mode":"all words","why_none":"no document is dated 2030-01-01 .. 2030-12-31 (the index spans 2023-11-04 .. 2024-07-17)"}

=== an unbalanced quote or bracket is searched as plain words, with a note
$ nsearch query "$DB" '"школа мэров' -n 0
! ^nsearch: note: an unbalanced quote or bracket: the query was searched as plain words$
! ^0 hits of 1 \(all words\)

=== a bad query is echoed up to 60 characters (positions count characters)
$ nsearch query "$DB" 'жжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжж OR'
? 2
! ^nsearch: bad query: OR without a right operand at 58: 'жжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжж OR'$

=== a longer one is cut there
$ nsearch query "$DB" 'жжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжж OR'
? 2
! ^nsearch: bad query: OR without a right operand at 59: 'жжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжж O\.\.\.'$

=== a transliterated word is searched as the Cyrillic word
$ nsearch query "$DB" shchelkunchik -n 0
! ^showing results for «щелкунчик» \(shchelkunchik → щелкунчик, transliteration\); search for shchelkunchik exactly: --exact$
! ^0 hits of 2 \(all words\)

=== a typo is searched as the word one edit away
$ nsearch query "$DB" щелкунчек --json -n 0
| s/"ms":[0-9]+\.[0-9]{3},/"ms":M,/
> {"total":2,"returned":0,"ms":M,"mode":"all words","searched":"щелкунчик","rewrites":[{"kind":"typo","from":"щелкунчек","to":"щелкунчик","suggested":false}]}

=== explain reads the query as the search rescued it
$ nsearch explain "$DB" otkreyxbr ria-1908828530 | grep -E '^(match|rank) '
> match     full
> rank      1

=== explain --exact reads it as typed
$ nsearch explain "$DB" otkreyxbr ria-1908828530 --exact | grep -E '^(match|rank) '
> match     none
> rank      not among the first 100 hits
