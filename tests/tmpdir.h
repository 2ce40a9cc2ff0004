/*
 * tmpdir.h - fresh index paths for tests: test_new_dir() returns a new path
 * (not yet created) under one temporary directory made at the first call
 * and removed at exit.  The returned string is overwritten by the next call.
 */
#ifndef NI_TEST_TMPDIR_H
#define NI_TEST_TMPDIR_H
#include <stdio.h>
#include <stdlib.h>

static char test_tmp_root[] = "/tmp/ni-test-XXXXXX";
static int test_tmp_count;

static void test_tmp_cleanup(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", test_tmp_root);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", test_tmp_root);
}

static const char *test_new_dir(void)
{
    static char path[256];
    if (test_tmp_count++ == 0) {
        if (!mkdtemp(test_tmp_root)) {
            perror("mkdtemp");
            exit(2);
        }
        atexit(test_tmp_cleanup);
    }
    snprintf(path, sizeof path, "%s/i%d", test_tmp_root, test_tmp_count);
    return path;
}
#endif
