# bench/worktrees.sh - sourced by compare.sh and same.sh: two revisions
# built side by side in temporary worktrees (git worktree add --detach).
#
#   worktrees_init NAME   makes $tmp ($TMPDIR/ni-NAME.XXXXXX) and removes it
#                         and its worktrees on exit, unless KEEP=1
#   worktree_add REV DIR  checks REV out in DIR and copies the working tree's
#                         bench drivers (bench/*.c, run.sh) over its own, so
#                         only the library differs between the two
# $here must be the checkout's top directory.

worktrees_cleanup() {
    if [ "${KEEP:-0}" = 1 ]; then
        echo "$wt_name: kept $tmp" >&2
        return
    fi
    for w in "$tmp"/r1 "$tmp"/r2; do
        [ -d "$w" ] && git -C "$here" worktree remove --force "$w" >/dev/null 2>&1
    done
    rm -rf "$tmp"
    git -C "$here" worktree prune
}

worktrees_init() {
    wt_name=$1
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/ni-$1.XXXXXX")
    trap worktrees_cleanup EXIT INT TERM
}

worktree_add() {
    git -C "$here" worktree add --detach -q "$2" "$1"
    mkdir -p "$2/bench"
    cp "$here"/bench/*.c "$here"/bench/run.sh "$2/bench/"
    echo "$wt_name: building $1 ($(git -C "$2" rev-parse --short HEAD)) in $2" >&2
}
