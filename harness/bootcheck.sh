#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Check a boot log (serial console): at least 2 CPUs online, and every
# "Testing ..." line printed by CONFIG_FTRACE_STARTUP_TEST ended in
# success: PASSED, or OK for the filter and kprobe selftests; the verdict
# may come on a later line (pr_cont), and any FAILED or NG fails.
set -u
logf=$1
[ -f "$logf" ] || { echo "no boot log $logf"; exit 1; }
booted=$(grep -a '^@@HX BOOTED' "$logf" | head -n 1 | tr -d '\r')
[ -n "$booted" ] || { echo "the guest never reached init"; exit 1; }
# The CPUs the kernel brought up, from its own line ("smp: Brought up 1
# node, 2 CPUs"): a printk never splits another, while init's @@HX BOOTED
# line may be cut by one (seen: "@@HX BOOTED cpus[ 6.07] tsc: ..."); that
# line's count only if the kernel's is missing.
cpus=$(grep -a 'smp: Brought up .* CPU' "$logf" | head -n 1 |
	sed -n 's/.* \([0-9][0-9]*\) CPUs\{0,1\}[^A-Za-z]*$/\1/p')
[ -n "$cpus" ] || cpus=$(echo "$booted" | sed -n 's/.*cpus=\([0-9]*\).*/\1/p')
# Only the kernel's own boot messages, before init ran.
sed -n '1,/^@@HX BOOTED/p' "$logf" | tr -d '\r' | awk -v cpus="$cpus" '
	/Testing / {
		if (cur != "") { bad[++nb] = cur " (no PASSED)" }
		cur = $0; sub(/^.*Testing /, "", cur); sub(/: .*/, "", cur); n++
	}
	/FAILED|[^A-Z]NG:/ { bad[++nb] = (cur != "" ? cur : "?") ": " $0; cur = ""; next }
	/PASSED|[^A-Z]OK$/ { if (cur != "") { ok++; cur = "" } }
	END {
		if (cur != "") bad[++nb] = cur " (no PASSED)"
		printf "    %d CPUs; %d startup selftests, %d passed\n", cpus, n, ok
		for (i = 1; i <= nb; i++) printf "    FAILED: %s\n", bad[i]
		if (cpus < 2) print "    fewer than 2 CPUs came up"
		exit (n > 0 && nb == 0 && ok == n && cpus >= 2) ? 0 : 1
	}'
