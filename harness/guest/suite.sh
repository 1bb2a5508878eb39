#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run kselftests number $1..$2 of /opt/ftrace/hx-tests.txt, one
# ftracetest call each, under dash; with $3 a comma-separated list of
# numbers, only those (default "all").  Reports on the console with the
# @@HX protocol described in /init; the kernel log of each test follows
# its results as "@@K " lines, so the host can attribute every WARN,
# BUG or Oops to the test during which it appeared.
start=$1
end=$2
pick=${3:-all}
cd /opt/ftrace || exit 1
dmesg -c > /dev/null
i=0
while read -r t; do
	i=$((i + 1))
	[ "$i" -lt "$start" ] && continue
	[ "$i" -gt "$end" ] && break
	case "$pick" in
	all) ;;
	*) case ",$pick," in *",$i,"*) ;; *) continue ;; esac ;;
	esac
	echo "@@HX BEGIN $i $t"
	t0=$(cut -d. -f1 /proc/uptime)
	rm -rf /tmp/hxlogs
	dash ./ftracetest -l /tmp/hxlogs -v "test.d/$t" > /tmp/hx.out 2>&1
	rc=$?
	awk -v i="$i" -v t="$t" '/^\[[0-9]+\] / {
		r = $NF; gsub(/[][]/, "", r); k = t
		if (index($0, "(instance)")) k = t ":instance"
		print "@@HX RESULT " i " " k " " r
	}' /tmp/hx.out
	if [ "$rc" != 0 ] || grep -q '^\[[0-9]*\] .*\[\(FAIL\|UNRESOLVED\|UNDEFINED\)\]' /tmp/hx.out; then
		tail -n 40 /tmp/hx.out | sed 's/^/@@L /'
	fi
	# the core kernel: every record against the registered ops
	if [ -r /sys/kernel/tracing/ftrace_core/check ]; then
		cat /sys/kernel/tracing/ftrace_core/check > /tmp/hxcheck 2>&1
		echo "@@HX CHECK $i $t $(head -n 1 /tmp/hxcheck)"
		tail -n +2 /tmp/hxcheck | sed 's/^/@@L /'
	fi
	dmesg -c | sed 's/^/@@K /'
	echo "@@HX END $i rc=$rc secs=$(( $(cut -d. -f1 /proc/uptime) - t0 ))"
done < hx-tests.txt
