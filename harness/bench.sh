#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`: boot each kernel with the same benchmark script
# (harness/guest/bench.sh), HX_BENCH_REPS times (default 5) in plain TCG
# and HX_BENCH_ICOUNT_REPS times (default the same) under "-icount
# shift=0,sleep=off" (guest time counts instructions, so those figures do
# not depend on host noise; HX_BENCH_MODES="tcg" or "icount" runs one
# mode only), and print the median of each figure with each kernel's ratio
# to upstream.  Runs alternate between the
# kernels so that slow host phases hit both alike.  Benchmark boots pass
# "ftrace=nop": starting a boot tracer skips the tracer startup selftests
# (45 s per boot under TCG; `make check` runs them), on both kernels
# alike; ftrace_init() itself, timed below, runs before any of that.
# Then harness/rmbench.sh times scripts/recordmcount on the host.
# HX_BENCH_KERNELS names the kernels, upstream first (default "upstream
# ours liveperf": upstream's core, ours with it, and our own core
# running ftrace, side by side).  HX_BENCH_KERNELS="ours" boots ours only (to merge its all.txt with an
# earlier run's upstream figures: harness/benchtable.sh FILES...).
# HX_BENCH_PARTS=switch measures the tracer switches and the call sites
# only (a boot in about a minute under -icount instead of seven);
# HX_BENCH_PARTS=call the cost per traced call (getppid) only;
# HX_BENCH_PARTS=profile (kernels with perf in their initramfs: live,
# liveperf) a perf profile of 20 switches of every site, "@@P" lines in
# $RUNS/bench/*.log, no figures.
# Every full run ends with the scale figures: a module of 20,000
# functions (harness/scale.sh, harness/scale/hx_scale.c) loaded, the
# tracer switched at all sites with it, an fprobe on 10,000 of its
# functions by name.
. "$(dirname "$0")/lib.sh"

REPS=${HX_BENCH_REPS:-5}
IREPS=${HX_BENCH_ICOUNT_REPS:-$REPS}
MODES=${HX_BENCH_MODES:-tcg icount}
KERNELS=${HX_BENCH_KERNELS:-upstream ours liveperf}
PARTS=${HX_BENCH_PARTS:-all}
dir=$RUNS/bench
rm -rf "$dir"
mkdir -p "$dir"
t0=$(now)

one_run() {
	local k=$1 mode=$2 rep=$3 logf
	logf=$dir/$mode-$k-$rep.log
	: > "$logf"
	HX_ICOUNT=$([ "$mode" = icount ] && echo 1 || echo 0)
	HX_INITRD=initramfs-bench.cpio.gz vm_start "$k" "ftrace=nop hx.mode=bench hx.bench=$PARTS" "$logf"
	vm_wait_done "$VM_PID" "$logf" 900 ||
		echo "bench: $k $mode run $rep timed out" >&2
	grep -a '^@@B ' "$logf" | tr -d '\r' | awk -v k="$k" -v m="$mode" \
		'{ print m, k, $2, $3 }' >> "$dir/all.txt"
}

# the scale module, built against each kernel, in its bench initramfs
for k in $KERNELS; do
	"$TOP/harness/scale.sh" "$k" || exit 1
done

for mode in $MODES; do
	n=$REPS
	[ "$mode" = icount ] && n=$IREPS
	for ((rep = 1; rep <= n; rep++)); do
		for k in $KERNELS; do
			log "bench: $mode, $k, run $rep/$n"
			one_run "$k" "$mode" "$rep"
		done
	done
done

log "bench: recordmcount on the host"
"$TOP/harness/rmbench.sh" "$REPS" "$dir/all.txt"

"$TOP/harness/benchtable.sh" "$dir/all.txt" | tee "$dir/table.txt"
echo "(median of $REPS boots per kernel in plain TCG, $IREPS under -icount; QEMU TCG thread=single, 2 vCPUs; $(( $(now) - t0 ))s)"
