/*
 * bench_analyzer.c - analyzer throughput: bench_analyzer FILE.jsonl[.gz]...
 * analyses the title and text of every record with one analyzer on one
 * thread and prints MB/s (10^6 bytes of UTF-8 input) and tokens/s, as one
 * JSON line on stdout and a human line on stderr.  Reading and JSON
 * decoding happen before the clock starts.  Both wall-clock and process CPU
 * time are reported: on a shared machine the CPU figure is the steadier.
 *
 * The same fields also go, before and after, through ICU alone: UTF-8 to
 * UTF-16 with u_strFromUTF8 and the word break iterator with its rule
 * status, nothing else.  Their mean is the floor no ICU-based analyzer
 * goes below; "of_icu" is the analyzer's speed as a fraction of it, a
 * figure that moves less than MB/s when the machine is busy.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unicode/ubrk.h>
#include <unicode/ustring.h>

#include "input.h"
#include "newsindex.h"

static double now(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds ICU alone takes to find the words of every field. */
static double icu_alone(const char *all, const size_t *ends, size_t nend, unsigned long long *words)
{
    UErrorCode st = U_ZERO_ERROR;
    UBreakIterator *bi = ubrk_open(UBRK_WORD, "ru", NULL, 0, &st);
    UChar *u = NULL;
    int32_t cap = 0;
    size_t i, start;
    double c0 = now(CLOCK_PROCESS_CPUTIME_ID);

    *words = 0;
    for (i = 0, start = 0; i < nend && U_SUCCESS(st); start = ends[i++]) {
        int32_t n = 0;
        u_strFromUTF8(u, cap, &n, all + start, (int32_t)(ends[i] - start), &st);
        if (st == U_BUFFER_OVERFLOW_ERROR) {
            st = U_ZERO_ERROR;
            cap = n + 1;
            u = realloc(u, (size_t)cap * sizeof *u);
            u_strFromUTF8(u, cap, &n, all + start, (int32_t)(ends[i] - start), &st);
        }
        ubrk_setText(bi, u, n, &st);
        while (U_SUCCESS(st) && ubrk_next(bi) != UBRK_DONE)
            if (ubrk_getRuleStatus(bi) >= UBRK_WORD_NONE_LIMIT)
                ++*words;
    }
    if (U_FAILURE(st))
        fprintf(stderr, "bench_analyzer: ICU: %s\n", u_errorName(st));
    ubrk_close(bi);
    free(u);
    return now(CLOCK_PROCESS_CPUTIME_ID) - c0;
}

int main(int argc, char **argv)
{
    char *all = NULL, err[512];
    size_t len = 0, cap = 0, *ends = NULL, nend = 0, endcap = 0, i, start;
    unsigned long long tokens = 0, words;
    ni_analyzer *an = NULL;
    ni_token t;
    double t0, c0, secs, cpu, icu;
    int a;

    if (argc < 2) {
        fprintf(stderr, "usage: bench_analyzer FILE.jsonl[.gz]...\n");
        return 2;
    }
    for (a = 1; a < argc; a++) {
        input *in = NULL;
        ni_doc d;
        int rc;
        if (input_open(&in, argv[a], err, sizeof err) < 0) {
            fprintf(stderr, "bench_analyzer: %s\n", err);
            return 2;
        }
        while ((rc = input_next(in, &d)) != NI_DONE) {
            const char *parts[2] = { d.title, d.text };
            size_t lens[2] = { d.title_len, d.text_len }, p;
            if (rc < 0)
                continue;
            for (p = 0; p < 2; p++) {
                if (!parts[p] || !lens[p])
                    continue;
                if (len + lens[p] > cap) {
                    cap = (len + lens[p]) * 2;
                    all = realloc(all, cap);
                }
                memcpy(all + len, parts[p], lens[p]);
                len += lens[p];
                if (nend == endcap) {
                    endcap = endcap ? endcap * 2 : 1024;
                    ends = realloc(ends, endcap * sizeof *ends);
                }
                ends[nend++] = len;
            }
        }
        input_close(in);
    }
    if (ni_analyzer_new(&an) < 0)
        return 2;
    icu = icu_alone(all, ends, nend, &words);
    t0 = now(CLOCK_MONOTONIC);
    c0 = now(CLOCK_PROCESS_CPUTIME_ID);
    for (i = 0, start = 0; i < nend; start = ends[i++]) {
        ni_analyzer_start(an, all + start, ends[i] - start, 0);
        while (ni_analyzer_next(an, &t) == 0)
            tokens++;
    }
    secs = now(CLOCK_MONOTONIC) - t0;
    cpu = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    icu = (icu + icu_alone(all, ends, nend, &words)) / 2;
    printf("{\"bench\":\"analyzer\",\"files\":%d,\"fields\":%zu,\"bytes\":%zu,\"tokens\":%llu,"
           "\"seconds\":%.3f,\"mb_per_s\":%.2f,\"tokens_per_s\":%.0f,\"cpu_seconds\":%.3f,"
           "\"mb_per_cpu_s\":%.2f,\"icu_words\":%llu,\"icu_cpu_seconds\":%.3f,"
           "\"icu_mb_per_cpu_s\":%.2f,\"of_icu\":%.3f}\n", argc - 1, nend, len, tokens, secs,
           (double)len / 1e6 / secs, (double)tokens / secs, cpu, (double)len / 1e6 / cpu,
           words, icu, (double)len / 1e6 / icu, icu / cpu);
    fprintf(stderr, "analyzer: %.1f MB in %.2f s: %.1f MB/s, %.2f M tokens/s (one thread); "
            "%.2f s CPU: %.1f MB/s; ICU word breaks alone %.1f MB/s (analyzer at %.2f of it)\n",
            (double)len / 1e6, secs, (double)len / 1e6 / secs, (double)tokens / 1e6 / secs, cpu,
            (double)len / 1e6 / cpu, (double)len / 1e6 / icu, icu / cpu);
    ni_analyzer_free(an);
    free(all);
    free(ends);
    return 0;
}
