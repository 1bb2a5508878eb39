#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Give failed kselftests of a run one more chance, each in a fresh VM.
#
#   retry.sh K DIR [BASELINE]
#   retry.sh --candidates DIR [BASELINE]   only print what would be retried
#
# Candidates are the tests of DIR/results.txt (a ksuite.sh run of kernel
# K) with a FAIL result that harness/retryable.txt names (upstream tests
# that are timing dependent under TCG, each with the reason); with
# BASELINE, only those upstream passes.  Our own tests and every other
# test are never retried: a failure is a failure.  A test whose retry
# passes is recorded as PASS and listed in DIR/flaky.txt, "key first ->
# retry"; kernel reports of both runs stay in DIR/reports.txt and still
# count.  More than HX_MAX_RETRIES (5) candidates means a real breakage:
# then nothing is retried.
. "$(dirname "$0")/lib.sh"

k=$1
dir=$2
base=${3:-}
max=${HX_MAX_RETRIES:-5}

failed_tests() {
	awk -v base="$base" -v ok="$TOP/harness/retryable.txt" '
		BEGIN { if (base != "") while ((getline l < base) > 0)
			if (l ~ /^result .* PASS$/) { split(l, a, " "); up[a[2]] = 1 }
			while ((getline l < ok) > 0)
				if (l !~ /^#/ && l != "") { split(l, a, "\t"); may[a[1]] = 1 } }
		$2 ~ /^FAIL/ { t = $1; sub(/:instance$/, "", t)
			if ((base == "" || ($1 in up)) && (t in may)) print t }
	' "$dir/results.txt" | awk '!seen[$0]++'
}

mapfile -t cand < <(failed_tests)
if [ "$k" = --candidates ]; then
	printf '%s\n' "${cand[@]}" | sed '/^$/d'
	exit 0
fi
src=$(ksrc "$k")
mapfile -t TESTS < <(list_tests "$src")
: > "$dir/flaky.txt"
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
