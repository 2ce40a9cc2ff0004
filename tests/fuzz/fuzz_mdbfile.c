/* libFuzzer target: the check of LMDB's meta pages that runs before LMDB
 * maps data.mdb (lib/mdbfile.c), over random files.  It returns 0 or
 * NI_ECORRUPT (NI_EIO only for a failed read), never reads out of
 * bounds, and accepts a file only when it holds two meta pages. */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mdbfile.h"
#include "newsindex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char dir[64], path[96];
    FILE *f;
    int rc;

    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/ni-fuzz-mdbfile-%d", (int)getpid());
        mkdir(dir, 0755);
        snprintf(path, sizeof path, "%s/data.mdb", dir);
    }
    if (!(f = fopen(path, "wb")))
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    rc = ni_mdbfile_check(dir, path);
    assert(rc == 0 || rc == NI_ECORRUPT || rc == NI_EIO);
    assert(rc != 0 || size >= 2 * 512);
    return 0;
}
