# nsearch analyze: the analyzer's tokens of a text, no index involved.
# The terms are Snowball's and ICU's: a change of either shows up here.

=== analyze: position, offsets, word, term, normal form, flags; a capitalised word's name key
$ nsearch analyze 'Песков: в Ростове-на-Дону Mосква, ёлки' 10,5
> 0	0-12	Песков	песк	песков	-
> 0	0-12	Песков	песков	песков	maybe-name
> 1	14-16	в	в	в	function
> 2	17-45	Ростове-на-Дону	ростов-на-дон	ростове-на-дону	compound,name
> 2	17-31	Ростове	ростов	ростове	part,name
> 3	32-36	на	на	на	part,function
> 4	37-45	Дону	дон	дону	part,name
> 5	46-57	Mосква	москв	москва	name
> 6	59-67	ёлки	елк	елки	-
> 7	68-72	10,5	10,5	10,5	number

=== analyze --json: one object per token, then the summary
$ nsearch analyze --json Пескова iPhone
> {"position":0,"start":0,"end":14,"text":"Пескова","term":"песков","norm":"пескова","flags":[]}
> {"position":1,"start":15,"end":21,"text":"iPhone","term":"iphon","norm":"iphone","flags":["latin"]}
> {"tokens":2,"positions":2}

=== analyze -: the text from standard input, lines and all
$ nsearch analyze -
< Школа мэров
< выпуск
> 0	0-10	Школа	школ	школа	-
> 1	11-21	мэров	мэр	мэров	-
> 2	22-34	выпуск	выпуск	выпуск	-

=== analyze: punctuation only has no tokens, exit 1
$ nsearch analyze '«» — !'
? 1

=== analyze --json without tokens: the summary alone
$ nsearch analyze --json ' '
? 1
> {"tokens":0,"positions":0}

=== analyze without text: usage error
$ nsearch analyze --json
? 2
! ^nsearch: no text given$
! ^usage: nsearch analyze

=== analyze --help
$ nsearch analyze --help | head -1
> usage: nsearch analyze [options] TEXT...
