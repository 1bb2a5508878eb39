#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# "Who clears my kernel log?": trace the syslog syscall's handler with the
# function tracer, clear the log from a process, and show the trace line
# that names that process and its pid.
T=/sys/kernel/tracing
cd $T || exit 1
fn=__x64_sys_syslog
grep -qx "$fn" available_filter_functions || fn=do_syslog
echo "demo: tracing $fn, the handler of syslog(2)"
echo "$fn" > set_ftrace_filter || exit 1
echo function > current_tracer
echo 1 > tracing_on
dmesg -c > /dev/null &
pid=$!
wait $pid
echo 0 > tracing_on
echo "demo: 'dmesg -c' ran as pid $pid; its line in the trace:"
if grep -E "^ *dmesg-$pid +\[" trace | grep -w "$fn"; then
	echo "demo: OK"
else
	echo "demo: no trace line for dmesg-$pid; the trace was:"
	cat trace
fi
echo nop > current_tracer
echo > set_ftrace_filter
