#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# harness/bootcheck.sh on made-up boot logs: the verdict may follow on a
# later line, OK counts like PASSED, FAILED/NG/no verdict/one CPU fail.
set -eu
b=$(dirname "$0")/../bootcheck.sh
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
good='[    0.6] Testing tracer function: PASSED
[    3.9] Testing dynamic ftrace ops #1: 
[    4.0] (1 0 1 0 0) 
[    5.7] (3 3 5 0 1678810) PASSED
[   47.8] Testing ftrace filter: OK
[   47.8] trace_kprobe: Testing kprobe tracing: 
[   47.9] Freeing initrd memory: 3732K
[   48.0] OK'
printf '%s\n@@HX BOOTED cpus=2 kernel=x\n' "$good" > "$d/ok"
"$b" "$d/ok" | grep -q '4 startup selftests, 4 passed'
printf '%s\n[ 49] Testing tracer nop: FAILED!\n@@HX BOOTED cpus=2\n' "$good" > "$d/f1"
! "$b" "$d/f1"
printf '%s\n[ 49] Testing tracer nop: \n@@HX BOOTED cpus=2\n' "$good" > "$d/f2"
! "$b" "$d/f2"
printf '%s\n[ 49] Testing kprobe tracing: NG: Some tests are failed.\n@@HX BOOTED cpus=2\n' "$good" > "$d/f3"
! "$b" "$d/f3"
printf '%s\n@@HX BOOTED cpus=1\n' "$good" > "$d/f4"
! "$b" "$d/f4"
printf '%s\n' "$good" > "$d/f5"
! "$b" "$d/f5"
# Messages after init started are not boot selftests.
printf '%s\n@@HX BOOTED cpus=2\nTesting tracer x: FAILED\n' "$good" > "$d/ok2"
"$b" "$d/ok2"
# The kernel's own CPU count wins over init's line, which a printk may cut.
printf '[ 0.6] smp: Brought up 1 node, 2 CPUs\n%s\n@@HX BOOTED cpus[ 6.0] tsc: Refined TSC\n=2 kernel=ours\n' "$good" > "$d/cut"
"$b" "$d/cut" | grep -q '^    2 CPUs;'
printf '[ 0.6] smp: Brought up 1 node, 1 CPU\n%s\n@@HX BOOTED cpus=2\n' "$good" > "$d/one"
! "$b" "$d/one"
