#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Diagnostic: boot kernel $1 (ours or upstream, default ours) and print
# the kernel stacks that queue cross-CPU function calls during a tracer
# switch on and off (harness/guest/ipis.sh).  Not part of make check.
. "$(dirname "$0")/lib.sh"

k=${1:-ours}
dir=$RUNS/$k
mkdir -p "$dir"
logf=$dir/ipis.log
: > "$logf"
vm_start "$k" "ftrace=nop hx.mode=ipis" "$logf"
vm_wait_done "$VM_PID" "$logf" 900 || echo "ipis: VM timed out"
grep -a '^@@L ' "$logf" | tr -d '\r' | sed 's/^@@L //'
