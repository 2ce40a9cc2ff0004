#!/bin/sh
# sh_browser.sh - the search page of nsearch serve in a real headless
# browser (tests/browser/check_page.py: Debian's chromium over the DevTools
# protocol).  Needs python3 and chromium (make deps installs both); without
# them it fails, saying which is missing.
NSEARCH=${NSEARCH:-tools/nsearch}
if ! command -v python3 >/dev/null 2>&1; then
    echo "python3 not found: make deps installs it"
    echo "0 passed, 1 failed"
    exit 1
fi
exec python3 "$(dirname "$0")/browser/check_page.py" "$NSEARCH"
