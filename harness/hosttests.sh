#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host tests: every executable harness/tests/*.sh (tests of the harness
# itself and of our host tools, e.g. recordmcount.sh).  Each script
# exits 0 on success.  Ends with "N passed, N failed".
. "$(dirname "$0")/lib.sh"

p=0
f=0
for t in "$TOP"/harness/tests/*.sh; do
	[ -x "$t" ] || continue
	out=$("$t" 2>&1)
	rc=$?
	# A script that prints "ok NAME" / "not ok NAME: why" lines counts
	# each line as one test; any other script counts once, by exit code.
	np=$(printf '%s\n' "$out" | grep -c '^ok ')
	nf=$(printf '%s\n' "$out" | grep -c '^not ok ')
	if [ $((np + nf)) -gt 0 ]; then
		printf '%s\n' "$out" | grep -E '^(not )?ok ' |
			sed "s|^ok |PASS $(basename "$t"): |; s|^not ok |FAIL $(basename "$t"): |"
		[ $rc = 0 ] || [ "$nf" -gt 0 ] || nf=1
		p=$((p + np))
		f=$((f + nf))
	elif [ $rc = 0 ]; then
		p=$((p + 1))
		echo "PASS $(basename "$t")"
	else
		f=$((f + 1))
		echo "FAIL $(basename "$t")"
		printf '%s\n' "$out" | tail -n 20 | sed 's/^/    /'
	fi
done
echo "$p passed, $f failed"
