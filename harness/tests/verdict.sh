#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The verdict rules of harness/verdict.sh on a made-up baseline and run.
set -eu
v=$(dirname "$0")/../verdict.sh
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
printf '%s\n' 'result a/x.tc PASS' 'result a/x.tc:instance PASS' \
	'result a/y.tc FAIL' 'result b/z.tc PASS' 'result b/w.tc PASS' \
	'result b/v.tc UNRESOLVED' \
	"$(printf 'report b/w.tc\tWARNING: at kernel/foo.c foo')" > "$d/base"
mkdir "$d/run"
printf '%s\n' 'a/x.tc PASS' 'a/x.tc:instance FAIL' 'a/y.tc FAIL' \
	'b/z.tc PASS' 'b/w.tc PASS' 'b/v.tc UNRESOLVED' > "$d/run/results.txt"
# b/w.tc: the same report as upstream (not ours); b/z.tc: a new one;
# b/v.tc: a new one in a test upstream does not pass either.
printf '%s\n' "$(printf 'b/w.tc\tWARNING: at kernel/foo.c foo')" \
	"$(printf 'b/z.tc\tBUG: kernel NULL pointer dereference')" \
	"$(printf 'b/v.tc\tOops: int3')" > "$d/run/reports.txt"
out=$("$v" "$d/base" "$d/run")
echo "$out"
# passed: a/x.tc, b/w.tc; failed: a/x.tc:instance, b/z.tc, b/v.tc;
# not counted: a/y.tc
[ "$(echo "$out" | tail -n 1)" = "verdict 2 3 1" ]
echo "$out" | grep -q 'FAIL a/x.tc:instance'
echo "$out" | grep -q 'FAIL b/z.tc .*new kernel report'
! echo "$out" | grep -q 'FAIL b/w.tc'
# a test missing from our run counts as failed
grep -v '^b/w.tc' "$d/run/results.txt" > "$d/r" && mv "$d/r" "$d/run/results.txt"
[ "$("$v" "$d/base" "$d/run" | tail -n 1)" = "verdict 1 4 1" ]
# a test of ours (not in the baseline) counts: passed if PASS, else failed
echo 'c/ours.tc PASS' >> "$d/run/results.txt"
[ "$("$v" "$d/base" "$d/run" | tail -n 1)" = "verdict 2 4 1" ]
echo 'c/mine.tc FAIL' >> "$d/run/results.txt"
out=$("$v" "$d/base" "$d/run")
[ "$(echo "$out" | tail -n 1)" = "verdict 2 5 1" ]
echo "$out" | grep -q 'FAIL c/mine.tc .*our own test'
# a core/ test (our core's, core kernel only) may be UNSUPPORTED here, not
# counted; elsewhere UNSUPPORTED fails an own test
echo 'core/mine.tc UNSUPPORTED' >> "$d/run/results.txt"
out=$("$v" "$d/base" "$d/run")
[ "$(echo "$out" | tail -n 1)" = "verdict 2 5 2" ]
echo 'c/other.tc UNSUPPORTED' >> "$d/run/results.txt"
[ "$("$v" "$d/base" "$d/run" | tail -n 1)" = "verdict 2 6 2" ]
