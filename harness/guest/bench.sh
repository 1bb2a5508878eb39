#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# One round of the ftrace benchmark; each figure is printed as
# "@@B name value" for the host (harness/bench.sh) to take medians of.
T=/sys/kernel/tracing
cd $T || exit 1
ncpu=$(grep -c ^processor /proc/cpuinfo)
B() { echo "@@B $1 $2"; }

ms() { awk -v ns="$1" 'BEGIN { printf "%.3f", ns / 1000000 }'; }
# Timestamp of the first kernel message matching $1, or with $2=prev of
# the message just before it.
stamp() {
	dmesg | awk -v re="$1" -v prev="${2:-}" '$0 ~ re { print (prev ? p : $0); exit } { p = $0 }' |
		sed 's/^\[ *\([0-9.]*\)\].*/\1/'
}

# Boot: call sites recorded at boot and live now (init text freed), and
# the time ftrace_init() takes to record and convert every call site.  In
# 6.12 both of its messages come after the work, so the span runs from the
# message printed just before ftrace_init() (SLUB's, in mm_core_init()) to
# its last one: it also holds the rest of mm_core_init() and poking_init(),
# the same code in both kernels.
B boot_sites "$(dmesg | sed -n 's/.*ftrace: allocating \([0-9]*\) entries.*/\1/p' | head -n 1)"
B sites_now "$(awk '{ print $1; exit }' dyn_ftrace_total_info)"
B mem_pages "$(sed -n 's/.*pages:\([0-9]*\).*/\1/p' dyn_ftrace_total_info)"
a=$(stamp 'ftrace: allocating' prev)
b=$(stamp 'ftrace: allocated')
[ -n "$a" ] && [ -n "$b" ] &&
	B boot_ftrace_init_ms "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", (b - a) * 1000 }')"

# Cost per call: getppid() with the function tracer off, then on all.
calls() {
	B getppid_off_ns "$(hxtool getppid 1000000)"
	echo function > current_tracer
	B getppid_traced_ns "$(hxtool getppid 1000000)"
	echo nop > current_tracer
}
# hx.bench=call: the boot figures and these only
if [ "$1" = call ]; then
	calls
	exit 0
fi

# Tracer switch on all functions: time and function-call IPIs, both
# counted by hxtool right around the write (no shell fork in the count).
# write-ipi FILE STRING NAME: figures NAME_ms and NAME_ipi_per_cpu.
timed_write() {
	r=$(hxtool write-ipi "$1" "$2")
	B "$3_ms" "$(ms "${r% *}")"
	B "$3_ipi_per_cpu" "$(awk -v c="${r#* }" -v n="$ncpu" 'BEGIN { printf "%.1f", c / n }')"
}
timed_write current_tracer function enable_all
timed_write current_tracer nop disable_all

# Five more switches on and off, in the same state; the median of each.
# 27 to 59 ms of a switch are trace.c's ring-buffer reset waiting for RCU
# grace periods that end on a tick, so each switch is one draw from that
# spread, even under -icount; these are five more per boot.  (After an
# event has been enabled and disabled, as below, a switch on takes 8 to
# 16 ms longer in both kernels: waits outside ftrace, not looked into.)
on=
off=
for i in 1 2 3 4 5; do
	r=$(hxtool write-ipi current_tracer function)
	on="$on ${r% *}"
	r=$(hxtool write-ipi current_tracer nop)
	off="$off ${r% *}"
done
median5() { printf '%s\n' $* | sort -n | sed -n 3p; }
B enable_all_rep_ms "$(ms "$(median5 $on)")"
B disable_all_rep_ms "$(ms "$(median5 $off)")"

# The same with the cmdline-recording probes (sched_switch, sched_wakeup,
# sched_wakeup_new) kept registered by an enabled event that does not
# fire here: the function tracer's start no longer registers them (their
# jump label and static call updates, text_poke_bp(), are about 19 CAL
# interrupts per switch in both kernels, none of them ftrace's).
echo 1 > events/sched/sched_process_fork/enable
timed_write current_tracer function enable_all_probes_kept
timed_write current_tracer nop disable_all_probes_kept
echo 0 > events/sched/sched_process_fork/enable

# The call sites alone, without the tracer's own start and stop (ring
# buffer resets, RCU grace periods, cmdline-recording probes): with the
# function tracer on one function, emptying set_ftrace_filter (open with
# O_TRUNC, nothing written) switches every site on; writing the one
# function back switches all the others off.  The function is given by
# its index ("1": the first record), so that no name is matched against
# every symbol (that costs ~400 ms alone, the core's, not the sites').
echo 1 > set_ftrace_filter
echo function > current_tracer
# hx.bench=profile: where the site switches spend their time, for the
# kernels whose initramfs has perf (the live ones): 20 switches of every
# site on and off sampled by perf's cpu-clock (under -icount a sample
# every 20,000 instructions), the kernel's symbols by their share.
if [ "$1" = profile ]; then
	command -v perf > /dev/null || { echo "bench: no perf here" >&2; exit 0; }
	perf record -q -a -F 50000 -e cpu-clock -o /tmp/sites.data -- sh -c \
		'for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
			: > set_ftrace_filter; echo 1 > set_ftrace_filter
		done' 2>&1
	perf report -i /tmp/sites.data --stdio --no-children --sort sym 2>&1 |
		grep -v '^#' | grep . | head -n 80 | sed 's/^/@@P /'
	exit 0
fi
timed_write set_ftrace_filter "" sites_on
B sites_on_enabled "$(wc -l < enabled_functions)"
timed_write set_ftrace_filter 1 sites_off
B sites_off_enabled "$(wc -l < enabled_functions)"
echo nop > current_tracer
echo > set_ftrace_filter

# The core kernel (configs/core.config) lists the sites from our core's
# records and name tables in ftrace_core/: the first read builds the
# kernel's names (one pass over kallsyms), the second streams them;
# upstream's file, read the same way, is the comparison.
if [ -d ftrace_core ]; then
	B own_read_available_filter_functions_first_ms "$(ms "$(hxtool read ftrace_core/available_filter_functions)")"
	B own_read_available_filter_functions_ms "$(ms "$(hxtool read ftrace_core/available_filter_functions)")"
	B upstream_read_available_filter_functions_ms "$(ms "$(hxtool read available_filter_functions)")"
fi

# hx.bench=switch: the switch and site figures only (a boot in a minute,
# instead of seven under -icount: the name filters below take 140 s).
[ "$1" = switch ] && exit 0

# 1,000 distinct names that are unique in available_filter_functions.
grep -v '\[' available_filter_functions | sort | uniq -u | head -n 1000 > /tmp/names
echo > set_ftrace_filter
t=$(hxtool append-each set_ftrace_filter /tmp/names)
n=$(wc -l < set_ftrace_filter)
[ "$n" = 1000 ] && B filter_1000_appends_ms "$(ms "$t")"
echo > set_ftrace_filter
t=$(hxtool write-all set_ftrace_filter /tmp/names)
n=$(wc -l < set_ftrace_filter)
[ "$n" = 1000 ] && B filter_1000_one_write_ms "$(ms "$t")"
echo > set_ftrace_filter
# the same names through our core's filter file (core kernels): resolved
# by our name index instead of a kallsyms lookup per record
if [ -f ftrace_core/set_ftrace_filter ]; then
	F=ftrace_core/set_ftrace_filter
	echo > $F
	t=$(hxtool append-each $F /tmp/names)
	[ "$(wc -l < $F)" = 1000 ] && B own_filter_1000_appends_ms "$(ms "$t")"
	echo > $F
	t=$(hxtool write-all $F /tmp/names)
	[ "$(wc -l < $F)" = 1000 ] && B own_filter_1000_one_write_ms "$(ms "$t")"
	echo > $F
fi

B read_available_filter_functions_ms "$(ms "$(hxtool read available_filter_functions)")"

# Memory per call site, after that read (a kernel whose names are built
# on first use has them now).  Our core (live) prints its records, name
# tables and index in ftrace_core/check; upstream's core keeps only its
# record pages (dyn_ftrace_total_info), its names are kallsyms'.
site_bytes() {
	bps=
	[ -r ftrace_core/check ] &&
		bps=$(sed -n 's/^memory: .*, \([0-9.]*\) bytes per site$/\1/p' ftrace_core/check)
	[ -n "$bps" ] || bps=$(awk '{ printf "%.2f", $3 * 4096 / $1; exit }' FS='[ :]+' dyn_ftrace_total_info)
	echo "$bps"
}
B bytes_per_site "$(site_bytes)"

calls

# Scale (harness/scale.sh puts the module in the bench initramfs): load a
# module of 20,000 functions, switch the function tracer on and off at
# every site with it loaded (about 42,000), attach an fprobe to 10,000 of
# its functions by name and detach it (the module times both and counts
# the handler's calls: one per probed function called), unload.
S=/sys/module/hx_scale/parameters/fprobe
if [ -f /opt/hx/hx_scale.ko ]; then
	B scale_load_ms "$(ms "$(hxtool insmod /opt/hx/hx_scale.ko)")"
	B scale_sites "$(awk '{ print $1; exit }' dyn_ftrace_total_info)"
	# the same with the module's 20,000 sites (and names) beside the kernel's
	B scale_bytes_per_site "$(site_bytes)"
	timed_write current_tracer function scale_enable_all
	timed_write current_tracer nop scale_disable_all
	if echo 10000 > $S; then
		set -- $(cat $S)
		if [ "$1" = 10000 ] && [ "$4" = 10000 ] && [ "$5" = 0 ]; then
			B fprobe_10000_register_ms "$(ms "$2")"
			B fprobe_10000_unregister_ms "$(ms "$3")"
		else
			echo "bench: fprobe on 10000 functions: $*" >&2
		fi
	fi
	B scale_unload_ms "$(ms "$(hxtool rmmod hx_scale)")"
fi
