/*
 * Unit tests of the query parser (lib/query.c): each case is a query and
 * the tree it must give, printed as an S-expression, or the error and the
 * byte offset its message must name.  Plus dates, size limits and
 * allocation failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/mem.h"
#include "../lib/query.h"
#include "test.h"

static void print(const ni_qnode *q, char *out, size_t size, size_t *n)
{
    static const char *const names[] = { "word", "phrase", "prefix", "rubric",
                                         "date", "and", "or", "not" };
    size_t i;
#define PUT(...) (*n += (size_t)snprintf(out + *n, *n < size ? size - *n : 0, __VA_ARGS__))
    if (!q) {
        PUT("nil");
        return;
    }
    PUT("(%s", names[q->type]);
    if (q->type == NI_Q_AND && !q->implicit)
        PUT("!");
    if (q->field == NI_QFIELD_TITLE)
        PUT(" title");
    if (q->text)
        PUT(" %.*s", (int)q->len, q->text);
    if (q->type == NI_Q_PHRASE && q->slop)
        PUT(" ~%u", q->slop);
    if (q->type == NI_Q_DATE)
        PUT(" %lld %lld", (long long)q->lo, (long long)q->hi);
    for (i = 0; i < q->nkids; i++) {
        PUT(" ");
        print(q->kids[i], out, size, n);
    }
    PUT(")");
#undef PUT
}

static const struct { const char *q, *want; } cases[] = {
    { "", "nil" },
    { "   ", "nil" },
    { "школа", "(word школа)" },
    { "школа мэров", "(and (word школа) (word мэров))" },
    { "школа OR мэров", "(or (word школа) (word мэров))" },
    { "школа | мэров", "(or (word школа) (word мэров))" },
    { "a b OR c", "(or (and (word a) (word b)) (word c))" },
    { "a OR b c", "(or (word a) (and (word b) (word c)))" },
    { "a AND b", "(and! (word a) (word b))" },
    { "a or b", "(and (word a) (word or) (word b))" },
    { "a not b", "(and (word a) (word not) (word b))" },
    { "школа -мэров", "(and (word школа) (not (word мэров)))" },
    { "школа NOT мэров", "(and (word школа) (not (word мэров)))" },
    { "NOT NOT a", "(not (not (word a)))" },
    { "- a", "(word a)" },
    { "a - b", "(and (word a) (word b))" },
    { "Ростов-на-Дону", "(word Ростов-на-Дону)" },
    { "(a OR b) c", "(and (or (word a) (word b)) (word c))" },
    { "((a))", "(word a)" },
    { "()", "nil" },
    { "\"школа мэров\"", "(phrase школа мэров)" },
    { "\"школа мэров\"~3", "(phrase школа мэров ~3)" },
    { "«Школа мэров»", "(phrase Школа мэров)" },
    { "“Школа мэров”", "(phrase Школа мэров)" },
    { "мэр*", "(prefix мэр)" },
    { "мэр**", "(prefix мэр)" },
    { "* a", "(word a)" },
    { "title:школа", "(word title школа)" },
    { "title:\"школа мэров\"", "(phrase title школа мэров)" },
    { "title:(a OR b*)", "(or (word title a) (prefix title b))" },
    { "title:мэр*", "(prefix title мэр)" },
    { "title:мэр**", "(prefix title мэр)" },      /* as a word outside a field */
    { "title:(мэр**)", "(prefix title мэр)" },
    { "rubric:Общество", "(rubric Общество)" },
    { "rubric:\"Городская среда\"", "(rubric Городская среда)" },
    { "date:2024-07-17", "(date 1721174400 1721260799)" },
    { "date:2024-07..2024-12", "(date 1719792000 1735689599)" },
    { "date:2024", "(date 1704067200 1735689599)" },
    { "after:2024-07-01", "(date 1719792000 9223372036854775807)" },   /* the day included */
    { "after:2024-07", "(date 1719792000 9223372036854775807)" },
    { "before:2024-08-01", "(date -9223372036854775807 1722470399)" },
    { "школа date:2024-07", "(and (word школа) (date 1719792000 1722470399))" },
    { "10:30 http://x.ru", "(and (word 10:30) (word http://x.ru))" },
    { "titles:a", "(word titles:a)" },
    /* a field's values joined by OR, for every field */
    { "rubric:(Общество OR \"В мире\")", "(or (rubric Общество) (rubric В мире))" },
    { "rubric:( a | b OR c )", "(or (rubric a) (rubric b) (rubric c))" },
    { "rubric:(a)", "(rubric a)" },
    { "date:(2024-07-17 OR 2024-07-19)",
      "(or (date 1721174400 1721260799) (date 1721347200 1721433599))" },
    { "x rubric:(a OR b)", "(and (word x) (or (rubric a) (rubric b)))" },
};

static void trees(void)
{
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ni_qnode *q = NULL;
        char got[512];
        size_t n = 0;
        int rc = ni_query_parse(&q, cases[i].q, strlen(cases[i].q));
        CHECK_RC(rc, 0);
        print(q, got, sizeof got, &n);
        if (strcmp(got, cases[i].want) != 0) {
            fprintf(stderr, "query [%s]: got %s, want %s\n", cases[i].q, got, cases[i].want);
            CHECK(!"tree differs");
        }
        ni_query_free(q);
    }
}

static const struct { const char *q, *msg; } errors[] = {
    { "(a", "unbalanced '(' at 0" },
    { "a)", "unbalanced ')' at 1" },
    { "a (b", "unbalanced '(' at 2" },
    { "\"школа", "missing closing quote at 0" },
    { "a OR", "OR without a right operand at 2" },
    { "OR a", "OR without a left operand at 0" },
    { "a | | b", "OR without a right operand at 2" },
    { "NOT", "NOT without an operand at 0" },
    { "\"a\"~x", "'~' wants a distance from 0 to 64 at 3" },
    { "\"a\"~65", "'~' wants a distance from 0 to 64 at 3" },
    { "date:2024-02-30", "bad date at 5" },
    { "date:2024-13", "bad date at 5" },
    { "date:2024-12..2024-01", "bad date range at 5" },
    { "after:yesterday", "bad date at 6" },
    { "title:", "field without a value at 0" },
    { "title:(a", "unbalanced '(' at 6" },
    { "a title:((b)", "unbalanced '(' at 8" },
    { "a ((b)", "unbalanced '(' at 2" },
    /* positions count characters, not bytes */
    { "школа (мэров", "unbalanced '(' at 6" },
    { "школа мэров)", "unbalanced ')' at 11" },
    { "«школа» OR", "OR without a right operand at 8" },
    { "rubric:(a AND b)", "rubric:(...) takes rubrics joined by OR at 10" },
    { "rubric:(a b)", "rubric:(...) takes rubrics joined by OR at 10" },
    { "rubric:(a -b)", "rubric:(...) takes rubrics joined by OR at 10" },
    { "rubric:(a OR (b))", "rubric:(...) takes rubrics joined by OR at 13" },
    { "rubric:()", "rubric:(...) takes rubrics joined by OR at 8" },
    { "rubric:(a OR", "unbalanced '(' at 7" },
    { "rubric:(a", "unbalanced '(' at 7" },
    { "date:(2024 AND 2025)", "a date field's (...) takes dates joined by OR at 11" },
    { "after:(2024 OR x)", "bad date at 15" },
    { "date:(\"2024\")", "a date in quotes at 6" },
};

static void syntax_errors(void)
{
    size_t i;
    for (i = 0; i < sizeof errors / sizeof errors[0]; i++) {
        ni_qnode *q = (ni_qnode *)1;
        int rc = ni_query_parse(&q, errors[i].q, strlen(errors[i].q));
        CHECK(rc == NI_ESYNTAX && q == NULL);
        if (strcmp(ni_errmsg(), errors[i].msg) != 0) {
            fprintf(stderr, "query [%s]: message '%s', want '%s'\n", errors[i].q,
                    ni_errmsg(), errors[i].msg);
            CHECK(!"message differs");
        }
    }
}

static void limits(void)
{
    size_t n = 100000, i;
    char *s = malloc(n + 1);
    ni_qnode *q = NULL;

    /* 1,000 words: one AND of 1,000 */
    for (i = 0; i < 1000; i++)
        memcpy(s + i * 2, "a ", 2);
    CHECK_RC(ni_query_parse(&q, s, 2000), 0);
    CHECK(q && q->type == NI_Q_AND && q->nkids == 1000);
    ni_query_free(q);
    /* 10,000 nested parentheses: an error, not a crash */
    memset(s, '(', 10000);
    CHECK_RC(ni_query_parse(&q, s, 10000), NI_ESYNTAX);
    CHECK(strstr(ni_errmsg(), "too deep") != NULL);
    memset(s, '-', 10000);
    s[10000] = 'a';
    CHECK_RC(ni_query_parse(&q, s, 10001), NI_ESYNTAX);
    /* 30 levels are fine */
    for (i = 0; i < 30; i++)
        s[i] = '(';
    s[30] = 'a';
    for (i = 0; i < 30; i++)
        s[31 + i] = ')';
    CHECK_RC(ni_query_parse(&q, s, 61), 0);
    CHECK(q && q->type == NI_Q_WORD);
    ni_query_free(q);
    /* too many parts: n words are n + 1 nodes (the AND), so 4,095 words
     * are the most, 4,096 one part too many */
    for (i = 0; i < 10000; i++)
        memcpy(s + i * 2, "a ", 2);
    CHECK_RC(ni_query_parse(&q, s, 20000), NI_ESYNTAX);
    CHECK_RC(ni_query_parse(&q, s, 2 * (NI_QUERY_MAX_NODES - 1)), 0);
    CHECK(q && q->type == NI_Q_AND && q->nkids == NI_QUERY_MAX_NODES - 1);
    ni_query_free(q);
    CHECK_RC(ni_query_parse(&q, s, 2 * NI_QUERY_MAX_NODES), NI_ESYNTAX);
    CHECK(q == NULL && strstr(ni_errmsg(), "more than 4096 parts") != NULL);
    /* NUL bytes and invalid UTF-8 are just bytes of words */
    CHECK_RC(ni_query_parse(&q, "a\0b \xff\xfe", 7), 0);
    CHECK(q && q->type == NI_Q_AND && q->nkids == 2 && q->kids[0]->len == 3);
    ni_query_free(q);
    free(s);
}

static void allocation_failure(void)
{
    const char *s = "(школа OR \"школа мэров\"~2) -title:мэр* rubric:Общество date:2024-07";
    uint64_t n;
    int rc = NI_ENOMEM;
    for (n = 1; rc == NI_ENOMEM && n < 1000; n++) {
        ni_qnode *q = NULL;
        ni_mem_fail_at(n, 1);
        rc = ni_query_parse(&q, s, strlen(s));
        ni_mem_fail_at(0, 0);
        CHECK(rc == 0 || rc == NI_ENOMEM);
        CHECK(rc == 0 || q == NULL);
        ni_query_free(q);
    }
    CHECK(rc == 0 && n > 5);
}

/* Every node's bytes [offset, end) in the query, in preorder, '|'-separated. */
static void print_spans(const ni_qnode *q, const char *s, char *out, size_t size, size_t *n)
{
    size_t i;
    *n += (size_t)snprintf(out + *n, *n < size ? size - *n : 0, "%s%.*s", *n ? "|" : "",
                           (int)(q->end - q->offset), s + q->offset);
    for (i = 0; i < q->nkids; i++)
        print_spans(q->kids[i], s, out, size, n);
}

/* The source spans explanations quote (explain.c). */
static void spans(void)
{
    static const struct { const char *q, *want; } sp[] = {
        { "школа", "школа" },
        { " школа  мэров ", "школа  мэров|школа|мэров" },
        { "a -b", "a -b|a|-b|b" },
        { "a NOT (b | c)", "a NOT (b | c)|a|NOT (b | c)|(b | c)|b|c" },
        { "\"школа мэров\"~2 x*", "\"школа мэров\"~2 x*|\"школа мэров\"~2|x*" },
        { "«школа мэров» z", "«школа мэров» z|«школа мэров»|z" },
        { "title:мост title:\"a b\" title:(c d*)",
          "title:мост title:\"a b\" title:(c d*)|title:мост|title:\"a b\"|title:(c d*)|c|d*" },
        { "rubric:Общество rubric:\"В мире\"", "rubric:Общество rubric:\"В мире\"|rubric:Общество|rubric:\"В мире\"" },
        { "a date:2024-07..2024-08 after:2024", "a date:2024-07..2024-08 after:2024|a|date:2024-07..2024-08|after:2024" },
        { "a | b c", "a | b c|a|b c|b|c" },
        { "(a)", "(a)" },
        { "rubric:(a OR \"b c\") z", "rubric:(a OR \"b c\") z|rubric:(a OR \"b c\")|a|\"b c\"|z" },
        { "rubric:( a )", "rubric:( a )" },
    };
    char out[512];
    size_t i, n;
    for (i = 0; i < sizeof sp / sizeof sp[0]; i++) {
        ni_qnode *q = NULL;
        CHECK_RC(ni_query_parse(&q, sp[i].q, strlen(sp[i].q)), 0);
        n = 0;
        out[0] = '\0';
        if (q)
            print_spans(q, sp[i].q, out, sizeof out, &n);
        if (strcmp(out, sp[i].want) != 0) {
            fprintf(stderr, "spans of '%s': got '%s', want '%s'\n", sp[i].q, out, sp[i].want);
            CHECK(0);
        }
        ni_query_free(q);
    }
}

TEST_MAIN(TEST(trees), TEST(syntax_errors), TEST(limits), TEST(allocation_failure), TEST(spans))
