# Help, version and usage errors: nothing here needs an index.

=== --help prints the command list to stdout
$ nsearch --help
> usage: nsearch <command> [options] [args]
>
> Full-text search for Russian news.
>
> commands:
>   index    add documents from files, directories or stdin
>   query    search an index
>   get      print a stored document by id
>   stats    print index statistics
>   check    verify the whole index
>   delete   delete documents by id
>   compact  reclaim the space of deleted documents
>   copy     write a compacted copy of an index
>   analyze  show the tokens and terms of a text
>   explain  show how a document matches a query and its score
>   similar  list the articles like a document: copies, then related
>   serve    serve a search page and a JSON API over HTTP
>
> 'nsearch <command> --help' describes a command.
> Exit status: 0 success (query: at least one hit), 1 no hits or not found,
> 2 an error.
!! .

=== help is also a command
$ nsearch help | head -n 1
> usage: nsearch <command> [options] [args]

=== --version prints program and library versions to stdout
$ nsearch --version
| s/[0-9]+\.[0-9]+\.[0-9]+/X.Y.Z/g
> nsearch X.Y.Z (libnewsindex X.Y.Z)
!! .

=== a command's --help goes to stdout with exit 0
$ nsearch query --help
| 2,$d
> usage: nsearch query DB QUERY... [options]
!! .

=== help COMMAND is the same as COMMAND --help
$ nsearch help index
| 2,$d
> usage: nsearch index DB PATH... [options]

=== no command is a usage error
$ nsearch
? 2
! ^usage: nsearch <command>
! ^Try 'nsearch --help'

=== an unknown command is a usage error
$ nsearch frobnicate "$DB"
? 2
! ^nsearch: 'frobnicate' is not a command; see 'nsearch --help'$

=== an unknown option is a usage error with short usage on stderr
$ nsearch query "$DB" метро --frobnicate
? 2
! ^nsearch: unknown option '--frobnicate'$
! ^usage: nsearch query DB QUERY\.\.\. \[options\]$
! ^Try 'nsearch query --help' for more\.$

=== an unknown short option
$ nsearch stats -x "$DB"
? 2
! ^nsearch: unknown option '-x'$

=== an unknown option before the command
$ nsearch --frobnicate
? 2
! ^nsearch: unknown option '--frobnicate'$

=== -n needs a number
$ nsearch query "$DB" метро -n many
? 2
! ^nsearch: option '-n' needs a number, not 'many'$

=== --offset needs a non-negative number
$ nsearch query "$DB" метро --offset=-1
? 2
! ^nsearch: option '--offset' needs a number, not '-1'$

=== an option value may not be missing
$ nsearch query "$DB" метро --limit
? 2
! ^nsearch: option '--limit' needs a value$

=== a flag takes no value
$ nsearch query "$DB" метро --json=yes
? 2
! ^nsearch: option '--json' takes no value$

=== --sort takes relevance or date only
$ nsearch query "$DB" метро --sort oldest
? 2
! ^nsearch: --sort must be 'relevance' or 'date', not 'oldest'$

=== query needs a query
$ nsearch query "$DB"
? 2
! ^nsearch: no query given$

=== query needs an index
$ nsearch query
? 2
! ^nsearch: no index given$

=== get takes exactly DB and ID
$ nsearch get "$DB" n1 n2
? 2
! ^nsearch: unexpected argument 'n2'$

=== stats needs an index
$ nsearch stats
? 2
! ^nsearch: no index given$

=== index needs at least one PATH
$ nsearch index "$T/none.idx"
? 2
! ^nsearch: no input PATH given$

=== --batch must be positive
$ nsearch index --batch 0 "$T/none.idx" data/news.jsonl
? 2
! ^nsearch: --batch must be at least 1$
