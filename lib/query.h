/*
 * query.h - the query language: parses a query string into a tree.  Pure
 * syntax: no analysis, no I/O, no global state (build.c analyses the
 * leaves and evaluates the tree).
 *
 * Grammar (whitespace separates items; keywords are case-sensitive):
 *
 *   query    := or
 *   or       := and { ("OR" | "|") and }
 *   and      := unary { unary }              juxtaposition: default operator
 *   unary    := ("-" | "NOT") unary | primary
 *   primary  := "(" or ")"
 *             | '"' text '"' [ "~" N ]       phrase; ~N: words within N positions
 *             | "title:" (word | phrase | prefix | "(" or ")")
 *             | "rubric:" (word | phrase)
 *             | "date:" DATE [ ".." DATE ] | "after:" DATE | "before:" DATE
 *             | word "*"                     prefix of the normalised form
 *             | word
 *
 *   DATE is YYYY, YYYY-MM or YYYY-MM-DD (a period: date:2024-07 is all of
 *   July; date:A..B spans from the start of A to the end of B; after:D is
 *   from the start of D's period on, the period included: after:2024-12
 *   holds December; before:D is up to its start, the period left out:
 *   before:2024-12 ends with the last second of November.  Periods are
 *   days of UTC, and so are the dates they are compared with).
 *
 * Errors: NI_ESYNTAX with the 0-based character position in the message
 * ("unbalanced parenthesis at 12"), for unbalanced parentheses or quotes,
 * an operator without an operand, a bad date, a field without a value,
 * nesting deeper than NI_QUERY_MAX_DEPTH or more than NI_QUERY_MAX_NODES
 * nodes.  An empty query parses to NULL with rc 0.
 */
#ifndef NI_QUERY_H
#define NI_QUERY_H

#include "buf.h"

#define NI_QUERY_MAX_DEPTH 32
#define NI_QUERY_MAX_NODES 4096

typedef enum ni_qtype {
    NI_Q_WORD,     /* text: a word (may analyse to several tokens) */
    NI_Q_PHRASE,   /* text: the phrase's inner text; slop */
    NI_Q_PREFIX,   /* text: the word before '*' */
    NI_Q_RUBRIC,   /* text: the rubric value */
    NI_Q_DATE,     /* lo..hi (inclusive seconds, see ni_date_parse) */
    NI_Q_AND,      /* kids: explicit or implicit AND (see implicit) */
    NI_Q_OR,       /* kids */
    NI_Q_NOT       /* kids[0]: the negated node */
} ni_qtype;

#define NI_QFIELD_ANY   0
#define NI_QFIELD_TITLE 1

typedef struct ni_qnode {
    ni_qtype type;
    unsigned field;            /* NI_QFIELD_*, for WORD PHRASE PREFIX */
    const char *text;          /* points into the query string */
    size_t len;
    uint32_t slop;             /* PHRASE: 0 = exact phrase */
    int64_t lo, hi;            /* DATE */
    int implicit;              /* AND: made by juxtaposition, so the
                                  default operator decides its meaning */
    size_t offset, end;        /* the node's bytes in the query, [offset, end):
                                  from a NOT's '-', a group's '(' or a
                                  field's name to just past its last byte
                                  (an AND or OR: from its first item to the
                                  end of its last) */
    struct ni_qnode **kids;
    size_t nkids;
} ni_qnode;

/* Parses query[0..len) into *out (NULL for an empty query); free with
 * ni_query_free.  0, NI_ESYNTAX or NI_ENOMEM. */
int ni_query_parse(ni_qnode **out, const char *query, size_t len);
void ni_query_free(ni_qnode *q);

/* The typographic quote at s[i] (of s[0..len)): 1 for «, -1 for », 2 for
 * “, -2 for ”, 0 for none. */
int ni_query_quote_mark(const char *s, size_t len, size_t i);

/*
 * ni_query_parse, and when that is NI_ESYNTAX and s has an unbalanced
 * quote or bracket (an odd number of '"', unequal numbers of ( and ), « and
 * », “ and ”: pasted text, mostly), again with its quotes and brackets as
 * spaces, copied into *lenient (the tree's texts then point into it):
 * returns 1 then, 0 when s parsed as it is, <0 on error.
 */
int ni_query_parse_lenient(ni_qnode **out, const char *s, size_t len, ni_buf *lenient);

#endif
