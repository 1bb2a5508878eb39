#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Our kernel built with the frame-pointer unwinder (configs/fp.config):
# the CONFIG_FRAME_POINTER branch of our ftrace_64.S builds a frame for
# the traced function and one for its caller, and nothing in our default
# config runs it.  Builds that kernel (kernel "fp", same source as ours)
# and runs the kselftests whose stack traces cross the trampolines or
# whose returns are hooked: direct/*, ftrace/fgraph-*,
# ftrace/func-filter-stacktrace.tc, ftrace/func-stack-frames.tc (ours: it
# fails if a frame is missing) and ftrace/func_stack_tracer.tc.  Every
# result must be PASS, with no kernel report.  Prints the results and
# "fp check: PASS|FAIL"; exits 0 on PASS.
. "$(dirname "$0")/lib.sh"

PICK='^(direct/|ftrace/fgraph-|ftrace/func-filter-stacktrace\.tc|ftrace/func-stack-frames\.tc|ftrace/func_stack_tracer\.tc)'

if ! "$TOP/harness/kbuild.sh" fp || ! "$TOP/harness/initramfs.sh" fp; then
	echo "fp check: FAIL (build)"
	exit 1
fi

mapfile -t TESTS < <(list_tests "$(ksrc fp)")
dir=$RUNS/fp
rm -rf "$dir"
mkdir -p "$dir"
: > "$dir/results.txt"
: > "$dir/reports.txt"

# One VM per run of consecutive picked tests (numbered from 1).
run_range() {
	local sub=$dir/r$1
	HX_RUNDIR=$sub "$TOP/harness/ksuite.sh" fp "$1" "$2" > "$sub.log" 2>&1
	cat "$sub/results.txt" >> "$dir/results.txt" 2>/dev/null
	cat "$sub/reports.txt" >> "$dir/reports.txt" 2>/dev/null
}

first=0
for ((i = 1; i <= ${#TESTS[@]} + 1; i++)); do
	if ((i <= ${#TESTS[@]})) && [[ ${TESTS[i - 1]} =~ $PICK ]]; then
		((first)) || first=$i
		continue
	fi
	((first)) && run_range "$first" $((i - 1))
	first=0
done

sed 's/^/    /' "$dir/results.txt"
sed 's/^/    report: /' "$dir/reports.txt"
want=$(printf '%s\n' "${TESTS[@]}" | grep -cE "$PICK")
got=$(awk '!/:instance /' "$dir/results.txt" | wc -l)
if [ "$want" -gt 0 ] && [ "$got" = "$want" ] &&
	! grep -qv ' PASS$' "$dir/results.txt" && [ ! -s "$dir/reports.txt" ]; then
	echo "fp check: PASS ($got tests)"
	exit 0
fi
echo "fp check: FAIL ($got of $want tests ran; see $dir)"
exit 1
