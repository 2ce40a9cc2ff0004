/*
 * Unit tests of error reporting (lib/error.c): ni_error's return value
 * and message, a message that quotes the previous one (ni_errmsg() as an
 * argument, as check.c and writer.c do), truncation of long messages,
 * the message being per thread, and ni_strerror.
 */
#include <pthread.h>
#include <string.h>

#include "../lib/error.h"
#include "../lib/mem.h"
#include "test.h"

static void message(void)
{
    CHECK(ni_error(NI_ECORRUPT, "bad %s %d", "block", 7) == NI_ECORRUPT);
    CHECK(strcmp(ni_errmsg(), "bad block 7") == 0);
    ni_error_clear();
    CHECK(strcmp(ni_errmsg(), "") == 0);
}

/* The previous message as an argument of the next one. */
static void quoting_the_last(void)
{
    ni_error(NI_ECORRUPT, "posting block: unknown format");
    ni_error(NI_ECORRUPT, "term '%s': %s", "школа", ni_errmsg());
    CHECK(strcmp(ni_errmsg(), "term 'школа': posting block: unknown format") == 0);
    ni_error(NI_EIO, "writing failed (%s); discarded", ni_errmsg());
    CHECK(strcmp(ni_errmsg(), "writing failed (term 'школа': posting block: unknown "
                              "format); discarded") == 0);
}

static void long_message(void)
{
    char big[2000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    ni_error(NI_EINVAL, "%s", big);
    CHECK(strlen(ni_errmsg()) == 511 && strncmp(ni_errmsg(), big, 511) == 0);
    ni_error(NI_EINVAL, "again: %s", ni_errmsg());
    CHECK(strlen(ni_errmsg()) == 511 && strncmp(ni_errmsg(), "again: xxx", 10) == 0);
}

static void *other_thread(void *arg)
{
    ni_error(NI_EIO, "from another thread");
    *(int *)arg = strcmp(ni_errmsg(), "from another thread") == 0;
    return NULL;
}

static void per_thread(void)
{
    pthread_t th;
    int ok = 0;
    ni_error(NI_EINVAL, "from this thread");
    CHECK(pthread_create(&th, NULL, other_thread, &ok) == 0);
    pthread_join(th, NULL);
    CHECK(ok);
    CHECK(strcmp(ni_errmsg(), "from this thread") == 0);
}

static void strerror_codes(void)
{
    static const int codes[] = { NI_OK, NI_DONE, NI_ENOMEM, NI_EIO, NI_ECORRUPT, NI_EVERSION,
                                 NI_ENOTFOUND, NI_EINVAL, NI_ESYNTAX, NI_EFULL, NI_EREADONLY,
                                 NI_EBUSY };
    size_t i, j, n = sizeof codes / sizeof codes[0];
    for (i = 0; i < n; i++) {
        CHECK(strcmp(ni_strerror(codes[i]), "unknown error") != 0);
        for (j = 0; j < i; j++)
            CHECK(strcmp(ni_strerror(codes[i]), ni_strerror(codes[j])) != 0);
    }
    CHECK(strcmp(ni_strerror(-1000), "unknown error") == 0);
    CHECK(strcmp(ni_strerror(NI_ECORRUPT), "index is corrupt") == 0);
}

TEST_MAIN(TEST(message), TEST(quoting_the_last), TEST(long_message), TEST(per_thread),
          TEST(strerror_codes))
