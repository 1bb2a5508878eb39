#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make check`: the test gate.
#   1. host tests (harness/hosttests.sh)
#   2. build our kernel and its initramfs
#   3. recordmcount oracle: build upstream too (gcc -mrecord-mcount makes
#      its tables); every compiled object of ours must record the same
#      call sites as the same object of upstream
#   4. every kselftest of the ftrace folder on our kernel (ksuite.sh); a
#      few failures of tests upstream passes get one retry (retry.sh)
#   5. boot: every CONFIG_FTRACE_STARTUP_TEST "Testing ..." line PASSED,
#      at least 2 CPUs online
#   6. the x86 patch engine's fault test, in a VM of its own
#      (harness/faulttest.sh): a foreign jmp on one site is refused and
#      reported with its bytes, every other site is patched
#   7. our kernel with frame pointers (harness/fpcheck.sh): the stack
#      trace, function graph and direct-call kselftests
#   8. verdict against tools/testing/selftests/ftrace/upstream-results.txt
# Ends with "N passed, N failed, N skipped" (skipped: tests that do not
# pass on upstream either, reported but not counted).
. "$(dirname "$0")/lib.sh"

BASELINE=$TOP/tools/testing/selftests/ftrace/upstream-results.txt
passed=0
failed=0
t_start=$(now)

step() { log "== $*"; }
count() { if [ "$1" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi; }

step "1/8 host tests"
t0=$(now)
out=$("$TOP/harness/hosttests.sh" 2>&1)
printf '%s\n' "$out" | sed 's/^/    /'
read -r hp hf < <(printf '%s\n' "$out" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' | tail -n 1)
passed=$((passed + ${hp:-0}))
failed=$((failed + ${hf:-1}))
t_host=$(($(now) - t0))

step "2/8 build our kernel"
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

step "3/8 recordmcount oracle: our tables against gcc's (builds upstream)"
t0=$(now)
# Objects built from C sources our overlay replaces are not comparable.
skip=$(sed -n 's/\.c$/.o/p' "$BUILD/ours/overlay.manifest" | grep -v '^scripts/')
"$TOP/harness/kbuild.sh" upstream &&
	python3 "$TOP/harness/mcount_sites.py" compare "$BUILD/ours/obj" \
		"$BUILD/upstream/obj" $skip
count $?
t_oracle=$(($(now) - t0))

step "4/8 kselftest ftrace on our kernel (one test at a time)"
t0=$(now)
"$TOP/harness/ksuite.sh" ours
"$TOP/harness/retry.sh" ours "$RUNS/ours" "$BASELINE"
t_suite=$(($(now) - t0))

step "5/8 boot: CPUs and ftrace startup selftests"
"$TOP/harness/bootcheck.sh" "$RUNS/ours/boot1.log"
count $?

step "6/8 patch engine fault test"
"$TOP/harness/faulttest.sh"
count $?

step "7/8 frame-pointer build: stack traces through the trampolines"
t0=$(now)
"$TOP/harness/fpcheck.sh"
count $?
t_fp=$(($(now) - t0))

step "8/8 verdict against upstream's results"
v=$("$TOP/harness/verdict.sh" "$BASELINE" "$RUNS/ours")
printf '%s\n' "$v" | grep -v '^verdict '
read -r _ vp vf vu < <(printf '%s\n' "$v" | grep '^verdict ')
passed=$((passed + ${vp:-0}))
failed=$((failed + ${vf:-1}))

echo
echo "times: host tests ${t_host}s, build ${t_build}s, mcount oracle ${t_oracle}s, kselftest ${t_suite}s, fp ${t_fp}s, total $(($(now) - t_start))s"
echo "$passed passed, $failed failed, ${vu:-0} skipped"
[ "$failed" = 0 ]
