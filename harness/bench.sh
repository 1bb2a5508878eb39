#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`: boot both kernels HX_BENCH_REPS times (default 5) with the
# same benchmark script (harness/guest/bench.sh), once in plain TCG and
# once under "-icount shift=0,sleep=off" (guest time counts instructions,
# so those figures do not depend on host noise), and print the median of
# each figure with the ratio ours/upstream.  Runs alternate between the
# kernels so that slow host phases hit both alike.  Benchmark boots pass
# "ftrace=nop": starting a boot tracer skips the tracer startup selftests
# (45 s per boot under TCG; `make check` runs them), on both kernels
# alike; ftrace_init() itself, timed below, runs before any of that.
. "$(dirname "$0")/lib.sh"

REPS=${HX_BENCH_REPS:-5}
dir=$RUNS/bench
rm -rf "$dir"
mkdir -p "$dir"
t0=$(now)

one_run() {
	local k=$1 mode=$2 rep=$3 logf
	logf=$dir/$mode-$k-$rep.log
	: > "$logf"
	HX_ICOUNT=$([ "$mode" = icount ] && echo 1 || echo 0)
	vm_start "$k" "ftrace=nop hx.mode=bench" "$logf"
	vm_wait_done "$VM_PID" "$logf" 900 ||
		echo "bench: $k $mode run $rep timed out" >&2
	grep -a '^@@B ' "$logf" | tr -d '\r' | awk -v k="$k" -v m="$mode" \
		'{ print m, k, $2, $3 }' >> "$dir/all.txt"
}

for mode in tcg icount; do
	for ((rep = 1; rep <= REPS; rep++)); do
		for k in upstream ours; do
			log "bench: $mode, $k, run $rep/$REPS"
			one_run "$k" "$mode" "$rep"
		done
	done
done

# Median per (mode, kernel, figure), then the table.
awk '
function median(s,   a, n, i, j, t) {
	n = split(s, a, " ")
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
		if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function ratio(o, u) { return (o == "" || u == "" || u + 0 == 0) ? "-" : sprintf("%.2f", o / u) }
{
	key = $1 SUBSEP $2 SUBSEP $3
	v[key] = v[key] " " $4; cnt[key]++
	if (!($3 in seen)) { seen[$3] = 1; order[++nf] = $3 }
}
END {
	printf "%-36s %12s %12s %6s | %12s %12s %6s\n", "figure (median)", "upstream", "ours", "ratio", \
		"icount:up", "icount:ours", "ratio"
	for (i = 1; i <= nf; i++) {
		f = order[i]
		for (m = 1; m <= 2; m++) {
			mode = m == 1 ? "tcg" : "icount"
			u[m] = (mode SUBSEP "upstream" SUBSEP f) in v ? median(v[mode, "upstream", f]) : ""
			o[m] = (mode SUBSEP "ours" SUBSEP f) in v ? median(v[mode, "ours", f]) : ""
		}
		printf "%-36s %12s %12s %6s | %12s %12s %6s\n", f, u[1], o[1], ratio(o[1], u[1]), \
			u[2], o[2], ratio(o[2], u[2])
	}
}' "$dir/all.txt" | tee "$dir/table.txt"
echo "(median of $REPS boots per kernel and mode; QEMU TCG thread=single, 2 vCPUs; $(( $(now) - t0 ))s)"
