#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of harness/faulttest.sh (hx.mode=fault): the patch engine's
# fault test.  A site of ftrace_patch_test.ko is overwritten with a foreign
# jmp, then all the module's functions are traced: the engine must refuse
# that one site, report the jmp it found, and patch all others.  Upstream's
# core then calls ftrace_bug(), which turns ftrace off: so this runs in a
# VM of its own.
if modprobe ftrace_patch_test fault=1; then
	r=PASS
else
	r=FAIL
fi
dmesg | grep -E 'ftrace_patch_test|ftrace patch' | sed 's/^/@@L /'
echo "@@HX RESULT fault $r"
