#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host tests: every executable harness/tests/*.sh (tests of the harness
# itself) and, as they appear, the tests of our host tools.  Each script
# exits 0 on success.  Ends with "N passed, N failed".
. "$(dirname "$0")/lib.sh"

p=0
f=0
for t in "$TOP"/harness/tests/*.sh; do
	[ -x "$t" ] || continue
	if out=$("$t" 2>&1); then
		p=$((p + 1))
		echo "PASS $(basename "$t")"
	else
		f=$((f + 1))
		echo "FAIL $(basename "$t")"
		printf '%s\n' "$out" | tail -n 20 | sed 's/^/    /'
	fi
done
echo "$p passed, $f failed"
