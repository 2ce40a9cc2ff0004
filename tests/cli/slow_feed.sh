#!/bin/sh
# slow_feed.sh FILE - prints the first 3 lines of FILE, waits half a second,
# then the rest: input slow enough for nsearch index to draw progress.
head -n 3 "$1"
sleep 0.5
tail -n +4 "$1"
