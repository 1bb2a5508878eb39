#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make check`: the test gate.
#   1. host tests (harness/hosttests.sh)
#   2. build our kernel and its initramfs
#   3. our overlay for 32-bit x86 (configs/i386.config): compiled and
#      linked, not booted
#   4. recordmcount oracle: build upstream too (gcc -mrecord-mcount makes
#      its tables); every compiled object of ours must record the same
#      call sites as the same object of upstream
#   5. every kselftest of the ftrace folder on our kernel (ksuite.sh); an
#      upstream test that harness/retryable.txt names as timing dependent
#      under TCG gets one retry (retry.sh); nothing else is retried
#   6. boot: every CONFIG_FTRACE_STARTUP_TEST "Testing ..." line PASSED,
#      at least 2 CPUs online
#   7. the x86 patch engine's fault test, in a VM of its own
#      (harness/faulttest.sh): a foreign jmp on one site is refused and
#      reported with its bytes, every other site is patched
#   8. our kernel with frame pointers (harness/fpcheck.sh): the stack
#      trace, function graph and direct-call kselftests
#   9. our kernel with lockdep and KASAN (harness/debugcheck.sh): boot
#      selftests, chosen kselftests, our own tests and the fault test in
#      one VM, no kernel report
#  10. the live kernel (our own core running ftrace) under lockdep, KASAN
#      and the list, object and sleep checks (harness/corecheck.sh
#      livedebug livedebug-gate.txt): boot selftests, the core's KUnit
#      suites, the kselftests of livedebug-gate.txt each followed by
#      ftrace_core/check (0 mismatches), no kernel report (the
#      boot-parameter boot is step 11's).  The "core" kernel (our
#      pieces beside upstream's core, their oracle) is make corecheck,
#      by hand
#  11. the live kernel without them (harness/corecheck.sh live): the
#      same with live-pass.txt, every upstream test that upstream passes
#      here and ours
#  12. verdict against tools/testing/selftests/ftrace/upstream-results.txt
# Ends with "N passed, N failed, N skipped" (skipped: tests that do not
# pass on upstream either, reported but not counted); before it, one line
# per test that passed only on its retry.
. "$(dirname "$0")/lib.sh"

BASELINE=$TOP/tools/testing/selftests/ftrace/upstream-results.txt
passed=0
failed=0
t_start=$(now)

# Each failing step's name and first FAIL lines, printed again just
# before the last line: CI shows only the tail of the output.
why=
step() { log "== $*"; }
count() { if [ "$1" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi; }
# run_step NAME CMD...: run a counted step, its output shown as it comes
run_step() {
	local name=$1 rc out
	shift
	out=$RUNS/step.out
	mkdir -p "$RUNS"
	"$@" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	count "$rc"
	[ "$rc" = 0 ] && return 0
	why="$why
  failed: $name: $(grep -a -m 4 -E 'FAIL|Error|error:|not ok|timed out|did not|report:|UNRESOLVED|UNTESTED' "$out" |
		sed 's/^ *//' | paste -sd'|' | cut -c1-400)"
	return "$rc"
}

step "1/12 host tests"
t0=$(now)
out=$("$TOP/harness/hosttests.sh" 2>&1)
printf '%s\n' "$out" | sed 's/^/    /'
read -r hp hf < <(printf '%s\n' "$out" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' | tail -n 1)
passed=$((passed + ${hp:-0}))
failed=$((failed + ${hf:-1}))
[ "${hf:-1}" = 0 ] || why="$why
  failed: host tests: $(printf '%s\n' "$out" | grep -a -m 4 '^FAIL' | paste -sd'|' | cut -c1-400)"
t_host=$(($(now) - t0))

step "2/12 build our kernel"
t0=$(now)
"$TOP/harness/tree.sh" pristine && "$TOP/harness/tree.sh" ours &&
	"$TOP/harness/kbuild.sh" ours && "$TOP/harness/initramfs.sh" ours
rc=$?
t_build=$(($(now) - t0))
if [ $rc != 0 ]; then
	echo "build failed"
	echo "$passed passed, $((failed + 1)) failed"
	exit 1
fi

step "3/12 build our overlay for 32-bit x86 (compile only)"
t0=$(now)
run_step "3 i386 build" "$TOP/harness/kbuild.sh" i386
t_i386=$(($(now) - t0))

step "4/12 recordmcount oracle: our tables against gcc's (builds upstream)"
t0=$(now)
# Objects built from C sources our overlay replaces are not comparable.
skip=$(sed -n 's/\.c$/.o/p' "$BUILD/ours/overlay.manifest" | grep -v '^scripts/')
oracle() {
	"$TOP/harness/kbuild.sh" upstream &&
		python3 "$TOP/harness/mcount_sites.py" compare "$BUILD/ours/obj" \
			"$BUILD/upstream/obj" "$@"
}
# shellcheck disable=SC2086
run_step "4 recordmcount oracle" oracle $skip
t_oracle=$(($(now) - t0))

step "5/12 kselftest ftrace on our kernel (one test at a time)"
t0=$(now)
"$TOP/harness/ksuite.sh" ours
"$TOP/harness/retry.sh" ours "$RUNS/ours" "$BASELINE"
t_suite=$(($(now) - t0))

step "6/12 boot: CPUs and ftrace startup selftests"
run_step "6 boot" "$TOP/harness/bootcheck.sh" "$RUNS/ours/boot1.log"

step "7/12 patch engine fault test"
run_step "7 fault test" "$TOP/harness/faulttest.sh"

step "8/12 frame-pointer build: stack traces through the trampolines; engine exports"
t0=$(now)
run_step "8 fp" "$TOP/harness/fpcheck.sh"
t_fp=$(($(now) - t0))

step "9/12 debug build: lockdep, KASAN, list and sleep checks"
t0=$(now)
run_step "9 debug" "$TOP/harness/debugcheck.sh"
t_debug=$(($(now) - t0))

step "10/12 live kernel under lockdep and KASAN: our own core running ftrace"
t0=$(now)
HX_PARAMS_BOOT=0 run_step "10 livedebug" "$TOP/harness/corecheck.sh" livedebug livedebug-gate.txt
t_livedebug=$(($(now) - t0))

step "11/12 live kernel: our own core running ftrace, every test upstream passes"
t0=$(now)
run_step "11 live" "$TOP/harness/corecheck.sh" live
t_live=$(($(now) - t0))

step "12/12 verdict against upstream's results"
v=$("$TOP/harness/verdict.sh" "$BASELINE" "$RUNS/ours")
printf '%s\n' "$v" | grep -v '^verdict '
read -r _ vp vf vu < <(printf '%s\n' "$v" | grep '^verdict ')
passed=$((passed + ${vp:-0}))
failed=$((failed + ${vf:-1}))
[ "${vf:-1}" = 0 ] || why="$why
  failed: 12 verdict: $(printf '%s\n' "$v" | grep -a -m 4 '^  FAIL' | sed 's/^ *FAIL *//' | paste -sd'|' | cut -c1-400)"

echo
echo "times: host tests ${t_host}s, build ${t_build}s, i386 ${t_i386}s, mcount oracle ${t_oracle}s, kselftest ${t_suite}s, fp ${t_fp}s, debug ${t_debug}s, livedebug ${t_livedebug}s, live ${t_live}s, total $(($(now) - t_start))s"
flaky=$RUNS/ours/flaky.txt
if [ -s "$flaky" ]; then
	while read -r key first _ _; do
		echo "passed on retry (1 retry, first $first): $key"
	done < "$flaky"
fi
[ -z "$why" ] || printf '%s\n' "$why" | tail -n +2
echo "$passed passed, $failed failed, ${vu:-0} skipped"
[ "$failed" = 0 ]
