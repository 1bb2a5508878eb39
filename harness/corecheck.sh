#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The "core" kernel (configs/debug.config + configs/core.config): ours
# plus the pieces of our own ftrace core (kernel/trace/ftrace_core/) and
# their KUnit suites, built in and run at boot, all under lockdep, KASAN
# and the list, object and sleep-in-atomic checks (the core is developed
# under them; make bench measures "coreperf", the same without them).
# Builds it and boots it once:
#   - every CONFIG_FTRACE_STARTUP_TEST line PASSED (bootcheck.sh);
#   - every KUnit suite of the core (CORE_SUITES) ran, with every case
#     passed; their figures (kunit_info lines) are printed;
#   - no kernel report in the boot (lockdep, KASAN, ... included);
#   - every kselftest in tools/testing/selftests/ftrace/core-pass.txt
#     passes, with no kernel report, and after each one tracefs
#     ftrace_core/check (kernel/trace/ftrace_core/check.c) reads
#     "N sites, 0 count mismatches, 0 text mismatches".
# corecheck.sh live also boots once with ftrace=function ftrace_filter=
# ftrace_notrace= and checks what the function tracer traced from boot
# (not with HX_PARAMS_BOOT=0: step 10, where step 11 does it).
# Nothing is retried.  Prints what it found and "core check: PASS|FAIL";
# exits 0 on PASS.
#
# corecheck.sh live: the same for the "live" kernel (configs/core.config
# + configs/live.config; corecheck.sh livedebug: the same kernel with
# configs/debug.config, make livedebugcheck, not a step of make check),
# where our
# core runs ftrace instead of upstream's: its KUnit suites but the three
# that compare our pieces with upstream's core, and the kselftests of
# live-pass.txt: every upstream test that upstream passes here and ours
# (livedebug: livedebug-pass.txt, the part that drives the core);
# ftrace_core/check is then kernel/trace/ftrace_core/live_check.c, on
# our own records.  A second argument names another list of that folder
# (step 10 of make check: corecheck.sh livedebug livedebug-gate.txt).
. "$(dirname "$0")/lib.sh"

K=${1:-core}
CORE_SUITES="ftrace_sites ftrace_names ftrace_records ftrace_acct ftrace_update ftrace_sites_engine ftrace_subops ftrace_symbols ftrace_dispatch ftrace_filter_api"
LIST=$TOP/tools/testing/selftests/ftrace/core-pass.txt
if [ "$K" = live ] || [ "$K" = livedebug ]; then
	CORE_SUITES="ftrace_sites ftrace_names ftrace_acct ftrace_update ftrace_sites_engine ftrace_subops ftrace_dispatch ftrace_live ftrace_live_stale"
	LIST=$TOP/tools/testing/selftests/ftrace/live-pass.txt
	[ "$K" = livedebug ] && LIST=$TOP/tools/testing/selftests/ftrace/livedebug-pass.txt
fi
if [ -n "${2:-}" ]; then
	LIST=$TOP/tools/testing/selftests/ftrace/$2
	[ -f "$LIST" ] || { echo "$K check: FAIL (no list $LIST)"; exit 1; }
fi

if ! "$TOP/harness/kbuild.sh" "$K" || ! "$TOP/harness/initramfs.sh" "$K"; then
	echo "$K check: FAIL (build)"
	exit 1
fi
dir=$RUNS/$K
ok=1
tests=$(grep -v '^#' "$LIST" | sed 's/[[:space:]]*$//' | grep .)
if [ -n "$tests" ]; then
	pick="^($(printf '%s\n' "$tests" | sed 's/[.]/\\./g' | paste -sd '|'))\$"
	# Under lockdep and KASAN a module cycle with the function tracer on
	# every function takes about 20 s: 5 cycles there (make check's live
	# step runs 100, make churn 1,000).
	kargs=
	[ "$K" = livedebug ] && kargs=hx.churn=5
	HX_KARGS=$kargs HX_BOOT_TIMEOUT=900 picked_suite "$K" "$pick" "$dir" || ok=0
	echo "    kselftests: $PICKED_SUMMARY"
	# ftrace_core/check after every test: every record against the ops
	checks=$(cat "$dir"/vm*.log | tr -d '\r' | grep -a '^@@HX CHECK ' || true)
	nt=$(printf '%s\n' "$tests" | grep -c .)
	nc=$(printf '%s\n' "$checks" | grep -c . || true)
	# a retried test's VM (retry.sh) read the checker too: 0 there as well
	bad=$( (printf '%s\n' "$checks"
		cat "$dir"/retry-*/vm*.log 2>/dev/null | tr -d '\r' | grep -a '^@@HX CHECK ') |
		grep -vE '^@@HX CHECK [0-9]+ [^ ]+ [0-9]+ sites, 0 count mismatches, 0 text mismatches$' || true)
	if [ "$nc" != "$nt" ] || [ -n "$bad" ]; then
		echo "    check: FAIL ($nc reads after $nt tests)"
		printf '%s\n' "$bad" | sed 's/^@@HX CHECK /        after /'
		cat "$dir"/vm*.log | tr -d '\r' |
			sed -n '/^@@HX CHECK .* [1-9][0-9]* \(count\|text\)/,/^@@HX END/p' |
			grep -a '^@@L \(count\|text\|(\)' | head -n 40 | sed 's/^@@L /        /'
		ok=0
	else
		echo "    check: PASS (after each of the $nt tests: $(printf '%s\n' "$checks" |
			tail -n 1 | cut -d' ' -f5-))"
	fi
else
	rm -rf "$dir"
	mkdir -p "$dir"
	vm_start "$K" "hx.mode=suite hx.pick=none" "$dir/boot1.log"
	vm_wait_done "$VM_PID" "$dir/boot1.log" 900 || ok=0
	echo "    kselftests: none listed"
fi

echo "    boot:"
"$TOP/harness/bootcheck.sh" "$dir/boot1.log" || ok=0
bootlog=$(sed -n '1,/^@@HX BOOTED/p' "$dir/boot1.log" | tr -d '\r')
# the suites' figures (kunit_info lines: "    # case: ...")
printf '%s\n' "$bootlog" | grep -aE '^(\[ *[0-9.]+\] )?    # [a-z_]+: ' | grep -av 'should be marked slow\|# module:' |
	sed 's/^\[ *[0-9.]*\] *//; s/^/    kunit: /'
for s in $CORE_SUITES; do
	# "# ftrace_sites: pass:6 fail:0 skip:0 total:6", then "ok N ftrace_sites"
	line=$(printf '%s\n' "$bootlog" | grep -a "# $s: pass:" | tail -n 1)
	if printf '%s\n' "$line" | grep -qE "pass:([1-9][0-9]*) fail:0 skip:0 total:\\1\$" &&
	   printf '%s\n' "$bootlog" | grep -aqE "(^|\] )ok [0-9]+ $s\$"; then
		echo "    kunit $s: ${line#*# $s: }"
	else
		echo "    kunit $s: FAIL (${line:-did not run})"
		printf '%s\n' "$bootlog" | grep -aE "not ok|Expected|# .*: (EXPECTATION|ASSERTION)" |
			head -n 20 | sed 's/^/        /'
		ok=0
	fi
done
boot_reports "$dir/boot1.log" || ok=0

# The live kernel's boot parameters: ftrace=function starts the function
# tracer at early boot on the global ops, whose sets ftrace_filter= and
# ftrace_notrace= gave: exactly vfs_read is traced; the graph filter
# files hold what ftrace_graph_filter= and ftrace_graph_notrace= named.
if { [ "$K" = live ] || [ "$K" = livedebug ]; } && [ "${HX_PARAMS_BOOT:-1}" = 1 ]; then
	plog=$dir/params.log
	vm_start "$K" "ftrace=function ftrace_filter=vfs_read,vfs_write ftrace_notrace=vfs_write ftrace_graph_filter=vfs_read ftrace_graph_notrace=vfs_write hx.mode=params" "$plog"
	vm_wait_done "$VM_PID" "$plog" 600 || ok=0
	p=$(tr -d '\r' < "$plog" | grep -a '^@@P ' | cut -c5-)
	want="current_tracer function
set_ftrace_filter vfs_read
set_ftrace_filter vfs_write
set_ftrace_notrace vfs_write
set_graph_function vfs_read
set_graph_notrace vfs_write"
	got=$(printf '%s\n' "$p" | grep -E '^(current_tracer|set_(ftrace|graph)_(filter|notrace|function)) ' | sort)
	en=$(printf '%s\n' "$p" | grep '^enabled_functions ' | cut -d' ' -f2)
	tr_funcs=$(printf '%s\n' "$p" | grep '^traced ' | cut -d' ' -f2 | sort -u | paste -sd' ')
	if [ "$got" = "$want" ] && [ "$en" = vfs_read ] && [ "$tr_funcs" = "vfs_read" ] &&
	   boot_reports "$plog" > /dev/null; then
		echo "    boot parameters: PASS (ftrace=function at boot on vfs_read,vfs_write less vfs_write: only vfs_read traced, $(printf '%s\n' "$p" | grep '^traced vfs_read ' | cut -d' ' -f3) calls)"
	else
		echo "    boot parameters: FAIL"
		printf '%s\n' "$p" | head -n 20 | sed 's/^/        /'
		boot_reports "$plog"
		ok=0
	fi
fi

check_end "$K" $ok "$dir"
