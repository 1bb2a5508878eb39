#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of harness/faulttest.sh (hx.mode=fault): the patch engine's
# fault test.  A site of ftrace_patch_test.ko is overwritten with a foreign
# jmp, then all the module's functions are traced: the engine must refuse
# that one site and report the jmp it found.  Upstream's core then calls
# ftrace_bug(), which turns ftrace off for good, so none of the change may
# be written: the module checks that every other site still holds the NOP
# after the refusal and after the ops is unregistered.  Ftrace stays off:
# this runs in a VM of its own, or last; the record ftrace_bug() reports
# must not have been committed.
if modprobe ftrace_patch_test fault=1; then
	r=PASS
else
	r=FAIL
fi
dmesg | grep -E 'ftrace_patch_test|ftrace patch' | sed 's/^/@@L /'

# The core's side: ftrace_bug() prints the refused record, which must
# have its flags of before the request (FTRACE_FL_ENABLED, bit 31, clear:
# the change the engine refused was not committed) and the kind of
# change that failed for that very record (a call to be set).
dmesg | grep -E 'ftrace (bug|failed)|actual:|expected:|call site|record flags' |
	sed 's/^/@@L core: /'
flags=$(dmesg | sed -n 's/.*ftrace record flags: \([0-9a-f]*\).*/\1/p' | head -n 1)
if [ -z "$flags" ] || [ $((0x$flags & 0x80000000)) != 0 ]; then
	echo "@@L core: refused record flags '$flags': change committed"
	r=FAIL
fi
if ! dmesg | grep -q 'Setting ftrace call site to call ftrace function'; then
	echo "@@L core: ftrace_bug() did not report a call being set"
	r=FAIL
fi
echo "@@HX RESULT fault $r"
