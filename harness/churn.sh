#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make churn: module churn at full length on the live kernel (our core
# runs ftrace): core/module-churn.tc with hx.churn=1000, 1,000 load and
# unload cycles of trace-events-sample under the function tracer on
# every function, function_graph in an instance with a pending ":mod:"
# filter, a second instance filtering the module's functions by name and
# a kprobe event on one of them; ftrace_core/check 0 after every 100
# cycles, no kernel report (make check runs the same test with 100
# cycles in its live step).  HX_CHURN sets another number of cycles.
# Prints the test's figures and "churn check: PASS|FAIL".
. "$(dirname "$0")/lib.sh"

K=${HX_CHURN_KERNEL:-live}
N=${HX_CHURN:-1000}
if ! "$TOP/harness/kbuild.sh" "$K" || ! "$TOP/harness/initramfs.sh" "$K"; then
	echo "churn check: FAIL (build)"
	exit 1
fi
dir=$RUNS/churn
t0=$(now)
ok=1
HX_KARGS="hx.churn=$N" HX_TEST_TIMEOUT=$((600 + N * 3)) HX_BOOT_TIMEOUT=900 \
	picked_suite "$K" '^core/module-churn\.tc$' "$dir" || ok=0
tr -d '\r' < "$dir"/vm1.log | grep -a '^@@K .*ftrace churn: ' | sed 's/.*ftrace churn: /    /'
echo "    $N cycles on $K in $(($(now) - t0)) s (boot included)"
check_end churn $ok "$dir"
