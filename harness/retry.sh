#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Give failed kselftests of a run one more chance, each in a fresh VM.
#
#   retry.sh K DIR [BASELINE]
#
# Candidates are the tests of DIR/results.txt (a ksuite.sh run of kernel
# K) with a FAIL result; with BASELINE, only those upstream passes.  Some
# tests are timing-dependent under TCG (e.g. preemptirq/irqsoff_tracer.tc
# expects the module's 500 ms irqs-off section to be the longest, and
# sometimes an idle-path interrupt is slower).  A test whose retry passes
# is recorded as PASS and listed in DIR/flaky.txt, "key first -> retry";
# kernel reports of both runs stay in DIR/reports.txt and still count.
# More than HX_MAX_RETRIES (5) candidates means a real breakage: then
# nothing is retried.
. "$(dirname "$0")/lib.sh"

k=$1
dir=$2
base=${3:-}
max=${HX_MAX_RETRIES:-5}
src=$(ksrc "$k")
mapfile -t TESTS < <(list_tests "$src")
: > "$dir/flaky.txt"

failed_tests() {
	awk -v base="$base" '
		BEGIN { if (base != "") while ((getline l < base) > 0)
			if (l ~ /^result .* PASS$/) { split(l, a, " "); up[a[2]] = 1 } }
		$2 ~ /^FAIL/ && (base == "" || ($1 in up)) { sub(/:instance$/, "", $1); print $1 }
	' "$dir/results.txt" | awk '!seen[$0]++'
}

mapfile -t cand < <(failed_tests)
[ ${#cand[@]} -gt 0 ] || exit 0
if [ ${#cand[@]} -gt "$max" ]; then
	log "[$k] ${#cand[@]} tests failed: more than $max, no retries"
	exit 0
fi
for t in "${cand[@]}"; do
	i=0
	for ((j = 0; j < ${#TESTS[@]}; j++)); do
		[ "${TESTS[$j]}" = "$t" ] && i=$((j + 1))
	done
	[ $i -gt 0 ] || continue
	log "[$k] retrying $t once in a fresh VM"
	rdir=$dir/retry-$i
	HX_RUNDIR=$rdir "$TOP/harness/ksuite.sh" "$k" "$i" "$i"
	cat "$rdir/reports.txt" >> "$dir/reports.txt"
	while read -r key res; do
		old=$(awk -v k="$key" '$1 == k { print $2 }' "$dir/results.txt")
		[ "$old" != PASS ] && [ "$res" = PASS ] || continue
		echo "$key $old -> $res" >> "$dir/flaky.txt"
		awk -v k="$key" '$1 == k { $2 = "PASS" } { print }' "$dir/results.txt" \
			> "$dir/results.tmp" && mv "$dir/results.tmp" "$dir/results.txt"
	done < "$rdir/results.txt"
done
sort -u -o "$dir/reports.txt" "$dir/reports.txt"
if [ -s "$dir/flaky.txt" ]; then
	log "[$k] passed on retry (flaky):"
	sed 's/^/    /' "$dir/flaky.txt"
fi
