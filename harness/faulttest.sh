#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The x86 patch engine's fault test, in a VM of its own (see
# harness/guest/fault.sh).  Prints the engine's report and
# "fault test: PASS|FAIL"; exits 0 on PASS.  The WARN that upstream's core
# prints from ftrace_bug() is the core's expected reaction here, not a
# failure: the test checks the engine's per-site report.
. "$(dirname "$0")/lib.sh"

dir=$RUNS/ours
mkdir -p "$dir"
logf=$dir/fault.log
: > "$logf"
vm_start ours "ftrace=nop hx.mode=fault" "$logf"
vm_wait_done "$VM_PID" "$logf" 600 || echo "fault test: VM timed out"
grep -a '^@@L ' "$logf" | tr -d '\r' | sed 's/^@@L /    /'
if grep -aq '^@@HX RESULT fault PASS' "$logf"; then
	echo "fault test: PASS"
	exit 0
fi
echo "fault test: FAIL (log: $logf)"
exit 1
