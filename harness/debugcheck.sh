#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Our kernel with lockdep, the sleep-in-atomic, list and RCU-head object
# checks and KASAN (configs/debug.config; kernel "debug", same source as
# ours), in one VM:
#   - the boot, with every CONFIG_FTRACE_STARTUP_TEST line PASSED;
#   - the kselftests that run what our code does: tracer switches and
#     pid filters, instances, module loads, and our own (the engine's
#     KUnit suite, its stress test with 100 cycles instead of 400, the
#     stack-frames test).  Under KASAN and
#     lockdep a traced call costs some ten times as much:
#     direct/ftrace-direct.tc (~350 s) and ftrace/fgraph-multi.tc (over
#     600 s: the graph tracer on every function) run in steps 5 and 8.
#     The filter files, module filters, graph filters, kprobes and
#     fprobes on ftrace and direct calls beside a kprobe (the tests of
#     core-pass.txt) run under the same debug options in make corecheck
#     (this kernel plus our core's pieces beside upstream's core, by
#     hand) and, on our own core, in make livedebugcheck; step 10 boots
#     our own core under them (the engine's patching of every site
#     included);
#   - last, the engine's fault test (harness/guest/fault.sh), whose
#     refusal turns upstream's core off.
# Any kernel report fails it (lockdep, KASAN, DEBUG_LIST, ODEBUG,
# sleep-in-atomic, WARN, BUG, ...), in the boot, in a test or in the fault
# test; the only one allowed is the WARN of ftrace_bug() in the fault
# test, the core's expected reaction there.  Nothing is retried.  Prints
# what it found and "debug check: PASS|FAIL"; exits 0 on PASS.
. "$(dirname "$0")/lib.sh"

PICK='^(ftrace/(func-filter-pid|func_traceonoff_triggers|patch-engine-kunit|patch-engine-stress|func-stack-frames)|kprobe/kprobe_module|instances/instance)\.tc$'

if ! "$TOP/harness/kbuild.sh" debug || ! "$TOP/harness/initramfs.sh" debug; then
	echo "debug check: FAIL (build)"
	exit 1
fi
dir=$RUNS/debug
ok=1
HX_MODE=debug HX_KARGS=ftrace_patch_test.cycles=100 HX_BOOT_TIMEOUT=900 \
	picked_suite debug "$PICK" "$dir" || ok=0
echo "    kselftests: $PICKED_SUMMARY"

echo "    boot:"
"$TOP/harness/bootcheck.sh" "$dir/boot1.log" || ok=0
boot_reports "$dir/boot1.log" || ok=0

# The fault test ran in the last VM, after the tests; before it, the
# VM printed how full lockdep's tables were.
last=$(ls "$dir"/vm*.log | sort -V | tail -n 1)
tr -d '\r' < "$last" | sed -n 's/^@@LD /    lockdep: /p'
fault=$(sed -n '/^@@HX FAULT BEGIN/,/^@@HX FAULT END/p' "$last" | tr -d '\r')
printf '%s\n' "$fault" | sed -n 's/^@@L /    fault: /p'
if ! printf '%s\n' "$fault" | grep -q '^@@HX FAULT RESULT PASS'; then
	echo "    fault test: FAIL or did not run"
	ok=0
fi
bad=$(printf '%s\n' "$fault" | grep '^@@K ' | grep -E "$KREPORT" |
	grep -vE 'WARNING: .* ftrace_bug\+')
if [ -n "$bad" ]; then
	printf '%s\n' "$bad" | sed 's/^@@K /    fault report: /'
	ok=0
fi

check_end debug $ok "$dir and $dir.log"
