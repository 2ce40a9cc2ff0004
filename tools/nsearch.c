/*
 * nsearch.c - the command table and main() of the nsearch CLI.
 */
#include <stdio.h>
#include <string.h>

#include "newsindex.h"

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        printf("nsearch %s\n", ni_version());
        return 0;
    }
    fprintf(stderr, "usage: nsearch <command> [args]\n");
    return 2;
}
