#!/bin/sh
# crash-soak.sh [RUNS]: the crash-safety test with many kills (default 200).
# Run from the top of the tree after `make`: tests/crash-soak.sh 200
CRASH_RUNS=${1:-200} NSEARCH=${NSEARCH:-tools/nsearch} exec sh "$(dirname "$0")/sh_crash.sh"
