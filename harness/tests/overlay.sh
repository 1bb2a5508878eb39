#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# harness/tree.sh ours on a made-up tree and overlay: overlay files and
# patches land, an unchanged re-run replaces nothing (mtimes kept, so
# kbuild stays incremental), a changed file is replaced, a file dropped
# from the overlay returns to its pristine text, and the pristine tree
# (hard-linked) is never modified.
set -eu
tree=$(cd "$(dirname "$0")/.." && pwd)/tree.sh
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
export HX_TOP=$d
P=$d/build/upstream/linux-source-6.12
O=$d/build/ours/linux-source-6.12
mkdir -p "$P/kernel/trace" "$P/scripts" "$d/kernel/trace" "$d/patches"
echo 'VERSION = 6' > "$P/Makefile"
printf 'a\nb\nc\n' > "$P/kernel/trace/ftrace.c"
printf 'x\n' > "$P/scripts/recordmcount.c"
printf 'keep\n' > "$P/scripts/other.c"
printf 'ours\n' > "$d/kernel/trace/ftrace.c"
cat > "$d/patches/0001-x.patch" <<'P'
--- a/scripts/recordmcount.c
+++ b/scripts/recordmcount.c
@@ -1 +1 @@
-x
+y
P
"$tree" ours > /dev/null
[ "$(cat "$O/kernel/trace/ftrace.c")" = ours ]
[ "$(cat "$O/scripts/recordmcount.c")" = y ]
[ "$(cat "$P/kernel/trace/ftrace.c")" = "$(printf 'a\nb\nc')" ]
[ "$(cat "$P/scripts/recordmcount.c")" = x ]
[ "$O/scripts/other.c" -ef "$P/scripts/other.c" ]
touch -d '2000-01-01' "$O/kernel/trace/ftrace.c" "$O/scripts/recordmcount.c"
"$tree" ours | grep -q ', 0 replaced'
[ "$(stat -c %Y "$O/kernel/trace/ftrace.c")" = "$(date -d 2000-01-01 +%s)" ]
[ "$(stat -c %Y "$O/scripts/recordmcount.c")" = "$(date -d 2000-01-01 +%s)" ]
printf 'ours2\n' > "$d/kernel/trace/ftrace.c"
"$tree" ours | grep -q ', 1 replaced'
[ "$(cat "$O/kernel/trace/ftrace.c")" = ours2 ]
[ "$(stat -c %Y "$O/scripts/recordmcount.c")" = "$(date -d 2000-01-01 +%s)" ]
rm "$d/kernel/trace/ftrace.c" "$d/patches/0001-x.patch"
"$tree" ours | grep -q ', 2 replaced'
cmp "$O/kernel/trace/ftrace.c" "$P/kernel/trace/ftrace.c"
cmp "$O/scripts/recordmcount.c" "$P/scripts/recordmcount.c"
[ "$(cat "$P/scripts/recordmcount.c")" = x ]
# a patch that does not apply stops the tree preparation
printf -- '--- a/scripts/other.c\n+++ b/scripts/other.c\n@@ -1 +1 @@\n-nothere\n+z\n' > "$d/patches/0002-bad.patch"
! "$tree" ours > /dev/null 2>&1
