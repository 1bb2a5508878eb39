#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The pass lists of tools/testing/selftests/ftrace against what they
# must hold, so that none drifts from the results it is derived from:
#   - live-pass.txt (step 11) holds every upstream test that upstream
#     passes here (each "result T PASS" of upstream-results.txt), and
#     every test it names is ours (under test.d/ here) or upstream's;
#   - livedebug-gate.txt (step 10) is part of livedebug-pass.txt, which
#     is part of live-pass.txt.
# Prints "ok NAME" / "not ok NAME: why" lines.
. "$(dirname "$0")/../lib.sh"

D=$TOP/tools/testing/selftests/ftrace
names() { grep -v '^#' "$1" | sed 's/[[:space:]]*$//' | grep . | sort -u; }

upass=$(sed -n 's/^result \([^ :]*\) PASS$/\1/p' "$D/upstream-results.txt" | sort -u)
live=$(names "$D/live-pass.txt")
missing=$(comm -23 <(printf '%s\n' "$upass") <(printf '%s\n' "$live"))
if [ -n "$upass" ] && [ -z "$missing" ]; then
	echo "ok live-pass.txt holds the $(printf '%s\n' "$upass" | wc -l) upstream tests upstream passes"
else
	echo "not ok live-pass.txt lacks: $(printf '%s\n' "$missing" | paste -sd' ' | cut -c1-300)"
fi

# a listed test is ours (test.d/ here) or upstream's (it has a result)
known=$(sed -n 's/^result \([^ :]*\) .*/\1/p' "$D/upstream-results.txt" | sort -u)
absent=
for t in $live; do
	[ -f "$D/test.d/$t" ] || printf '%s\n' "$known" | grep -qxF "$t" ||
		absent="$absent $t"
done
if [ -z "$absent" ]; then
	echo "ok every test of live-pass.txt is ours or has an upstream result"
else
	echo "not ok live-pass.txt names unknown tests:$absent"
fi

subset() { # small big
	local extra
	extra=$(comm -23 <(names "$D/$1") <(names "$D/$2"))
	if [ -z "$extra" ] && [ -n "$(names "$D/$1")" ]; then
		echo "ok $1 is part of $2"
	else
		echo "not ok $1 is not part of $2:$(printf ' %s' $extra)"
	fi
}
subset livedebug-gate.txt livedebug-pass.txt
subset livedebug-pass.txt live-pass.txt
