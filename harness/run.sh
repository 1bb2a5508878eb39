#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make run`: boot our kernel (`make run K=core`: the core kernel).  On a terminal: a busybox shell with tracefs
# at /sys/kernel/tracing.  Otherwise: the "who clears my kernel log" demo,
# then power off.
. "$(dirname "$0")/lib.sh"

if [ -t 0 ] && [ -t 1 ]; then
	qemu_cmd "${HX_KERNEL:-ours}" "quiet hx.mode=shell"
	echo "QEMU: Ctrl-A X quits; 'exit' in the shell powers the guest off."
	exec "${QEMU[@]}" -serial mon:stdio
fi
mkdir -p "$RUNS"
logf=$RUNS/demo.log
: > "$logf"
log "booting our kernel for the demo (no terminal)"
vm_start "${HX_KERNEL:-ours}" "quiet hx.mode=demo" "$logf"
vm_wait_done "$VM_PID" "$logf" 300 || echo "demo: no answer after 300 s" >&2
sed -n '/^@@HX BOOTED/,/^@@HX DONE/p' "$logf" | tr -d '\r' | grep -av '^@@HX'
grep -aq '^demo: OK' "$logf"
