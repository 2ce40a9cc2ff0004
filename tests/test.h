/*
 * test.h - the whole unit-test framework: CHECK records a failure and goes
 * on; TEST_MAIN runs the listed cases and ends with "N passed, N failed",
 * counting cases (a case fails when any CHECK in it failed).
 */
#ifndef NI_TEST_H
#define NI_TEST_H
#include <stdio.h>

static int test_failures;
#define CHECK(c) do { if (!(c)) { test_failures++; \
    fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #c); } } while (0)
#define CHECK_RC(call, want) do { int rc_ = (call); if (rc_ != (want)) { test_failures++; \
    fprintf(stderr, "%s:%d: %s returned %d, want %d (%s)\n", __FILE__, __LINE__, \
            #call, rc_, (int)(want), ni_errmsg()); } } while (0)
typedef struct { const char *name; void (*fn)(void); } test_case;
static int test_run(const test_case *t, int n)
{
    int passed = 0, failed = 0;
    for (int i = 0; i < n; i++) {
        int before = test_failures;
        t[i].fn();
        if (test_failures == before) passed++;
        else { failed++; fprintf(stderr, "FAIL %s\n", t[i].name); }
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
#define TEST(f) { #f, f }
#define TEST_MAIN(...) int main(void) { static const test_case t_[] = { __VA_ARGS__ }; \
    return test_run(t_, (int)(sizeof t_ / sizeof t_[0])); }
#endif
