#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of harness/ipis.sh (hx.mode=ipis): where the function-call
# IPIs of a tracer switch come from.
#  1. plain: CAL interrupts around the write, as make bench counts them;
#  2. the same with one (never firing) event enabled: that keeps the
#     cmdline-recording probes on sched_switch/sched_wakeup registered,
#     so the function tracer's init no longer registers them itself
#     (jump label + static call updates, text_poke_bp(): 3 syncs each);
#  3. who queues the calls: a hist trigger on csd:csd_queue_cpu keyed on
#     the queueing and the queued function (cheap), then on whole kernel
#     stacks (slow); both enable an event, so they see case 2.
T=/sys/kernel/tracing
cd $T || exit 1
E=events/csd/csd_queue_cpu
plain() {
	for step in function nop function nop; do
		r=$(hxtool write-ipi current_tracer $step)
		echo "@@L $1 switch to $step: ${r#* } CAL, ${r% *} ns"
	done
}
plain plain
echo 1 > events/sched/sched_process_fork/enable
plain "sched probes registered"
echo 0 > events/sched/sched_process_fork/enable
for keys in callsite.sym,func.sym common_stacktrace; do
	for step in function nop; do
		echo "hist:keys=$keys:sort=hitcount.descending" > $E/trigger
		r=$(hxtool write-ipi current_tracer $step)
		echo "@@L [$keys] switch to $step: ${r#* } CAL, ${r% *} ns"
		sed -n '/^{/,/^$/p; /^Totals/,$p' $E/hist | head -n 4000 | sed 's/^/@@L /'
		echo "!hist:keys=$keys:sort=hitcount.descending" > $E/trigger
	done
done
echo "@@HX RESULT ipis PASS"
