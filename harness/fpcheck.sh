#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Our kernel built with the frame-pointer unwinder (configs/fp.config):
# the CONFIG_FRAME_POINTER branch of our ftrace_64.S builds a frame for
# the traced function and one for its caller, and nothing in our default
# config runs it.  Builds that kernel (kernel "fp", same source as ours)
# and runs the kselftests whose stack traces cross the trampolines or
# whose returns are hooked: direct/*, ftrace/fgraph-*,
# ftrace/func-filter-stacktrace.tc, ftrace/func-stack-frames.tc (ours: it
# fails if a frame is missing) and ftrace/func_stack_tracer.tc.  Every
# result must be PASS, with no kernel report.  Prints the results and
# "fp check: PASS|FAIL"; exits 0 on PASS.  fp.config leaves the engine's
# test modules out: in that kernel nothing of the engine may be exported,
# and in ours (built before this step) only GPL-only into the test
# namespaces (harness/exportcheck.sh).
. "$(dirname "$0")/lib.sh"

PICK='^(direct/|ftrace/fgraph-|ftrace/func-filter-stacktrace\.tc|ftrace/func-stack-frames\.tc|ftrace/func_stack_tracer\.tc)'

if ! "$TOP/harness/kbuild.sh" fp || ! "$TOP/harness/initramfs.sh" fp; then
	echo "fp check: FAIL (build)"
	exit 1
fi
exports=0
"$TOP/harness/exportcheck.sh" "$BUILD/fp/obj/Module.symvers" none || exports=1
"$TOP/harness/exportcheck.sh" "$BUILD/ours/obj/Module.symvers" gated || exports=1
if [ $exports != 0 ]; then
	echo "fp check: FAIL (exports)"
	exit 1
fi
if picked_suite fp "$PICK" "$RUNS/fp"; then
	echo "fp check: PASS ($PICKED_SUMMARY)"
	exit 0
fi
echo "fp check: FAIL ($PICKED_SUMMARY; see $RUNS/fp and $RUNS/fp.log)"
exit 1
