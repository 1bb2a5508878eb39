#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of harness/ipis.sh (hx.mode=ipis): where the function-call
# IPIs of a tracer switch come from.  A hist trigger on csd:csd_queue_cpu
# (one event per CPU a cross-CPU call is queued for) counts them by kernel
# stack while the function tracer is switched on and off again.
T=/sys/kernel/tracing
cd $T || exit 1
E=events/csd/csd_queue_cpu
for step in function nop; do
	echo 'hist:keys=common_stacktrace:sort=hitcount.descending' > $E/trigger
	r=$(hxtool write-ipi current_tracer $step)
	echo "@@L switch to $step: ${r#* } CAL interrupts in all, ${r% *} ns"
	sed -n '/^{/,/^$/p; /^Totals/,$p' $E/hist | head -n 4000 | sed 's/^/@@L /'
	echo '!hist:keys=common_stacktrace:sort=hitcount.descending' > $E/trigger
done
echo "@@HX RESULT ipis PASS"
