# SPDX-License-Identifier: GPL-2.0
# Common settings for the harness scripts; sourced, never run.
#
# Layout (everything generated lives under $BUILD, which git ignores),
# for kernel <k> = upstream | ours | fp (ours built with frame pointers,
# configs/fp.config) | debug (ours with lockdep and KASAN,
# configs/debug.config) | core (ours with the pieces of our own ftrace
# core, configs/core.config) | i386 (ours for 32-bit x86,
# configs/i386.config, compiled only); fp, debug, core and i386 have no
# source folder of their own:
#   $BUILD/<k>/linux-source-6.12   source: upstream's is unpacked from
#                                  Debian's tarball; ours is a hard-linked
#                                  copy of it plus our overlay
#   $BUILD/<k>/obj                 O= output
#   $BUILD/<k>/mods                modules_install
#   $BUILD/<k>/initramfs.cpio.gz   initramfs
#   $BUILD/runs/<k>/               serial logs and results of guest runs
# Source and O= folder sit side by side in both kernels, so the compiler
# command lines relative to the O= folder are identical, and ccache (with
# CCACHE_BASEDIR) serves every file the overlay does not change.
# Files in ours' source are only ever replaced (rm, then write), never
# written in place, so the hard links to the pristine tree stay intact.

set -u

TOP=${HX_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
BUILD=$TOP/build
TARBALL=${TARBALL:-/usr/src/linux-source-6.12.tar.xz}
PRISTINE=$BUILD/upstream/linux-source-6.12
OURS_SRC=$BUILD/ours/linux-source-6.12
RUNS=$BUILD/runs
NCPU=$(nproc)

export CCACHE_BASEDIR=$TOP
export CCACHE_NOHASHDIR=true
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
KCC="ccache gcc"

# Directories of the repository that land in the kernel tree, same path.
OVERLAY_DIRS="kernel arch include scripts lib tools/testing/selftests/ftrace"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Source tree of kernel $1.
ksrc() {
	case $1 in
	ours | fp | debug | core | coreperf | live | liveperf | livedebug | i386) echo "$OURS_SRC" ;;
	upstream) echo "$PRISTINE" ;;
	*) die "unknown kernel '$1' (ours, fp, debug, core, coreperf, live, liveperf, livedebug, i386 or upstream)" ;;
	esac
}

# The kselftests of source tree $1, in ftracetest's order (numbered from 1
# in that order everywhere in the harness).
list_tests() {
	(cd "$1/tools/testing/selftests/ftrace/test.d" &&
		find . -name '*.tc' | sed 's|^\./||' | LC_ALL=C sort)
}

# Kernel reports that fail a test: WARN, BUG (KASAN's and the
# sleep-in-atomic check's among them), Oops, lockdep and RCU splats
# (lockdep's "INFO: trying to register non-static key" too), ODEBUG,
# hung tasks, stalls, panics.
KREPORT='WARNING:|BUG:|Oops|kernel BUG|general protection|INFO: possible|INFO: task|INFO: trying|ODEBUG:|lockdep|KASAN|UBSAN|soft lockup|self-detected stall|Kernel panic'

# The kernel reports of the boot in serial log $1 (up to "@@HX BOOTED"),
# each printed as "    boot report: ..."; lockdep's banner ("RCU lockdep
# checking is enabled.") is none.  Returns 1 if there was any.
boot_reports() {
	local r
	r=$(sed -n '1,/^@@HX BOOTED/p' "$1" | tr -d '\r' | grep -aE "$KREPORT" |
		grep -av 'RCU lockdep checking is enabled')
	[ -z "$r" ] && return 0
	printf '%s\n' "$r" | sed 's/^/    boot report: /'
	return 1
}

# The closing line of check $1 ("NAME check: PASS" if $2 is 1, else
# "NAME check: FAIL (see $3)"), and exit 0 or 1.
check_end() {
	if [ "$2" = 1 ]; then
		echo "$1 check: PASS"
		exit 0
	fi
	echo "$1 check: FAIL (see $3)"
	exit 1
}

# Run the kselftests of kernel $1 whose path matches the extended regular
# expression $2, as few VMs as ksuite.sh needs, into folder $3 (log in
# $3.log).  A failed test that harness/retryable.txt names (an upstream
# test timing dependent under TCG) gets one retry in a fresh VM, as in
# make check's step 5 (retry.sh; its folder $3/retry-N); nothing else is
# retried.  Prints the results and the kernel reports; returns 0 if all
# the picked tests ran and passed with no kernel report.
picked_suite() {
	local k=$1 pick=$2 dir=$3 want got
	rm -rf "$dir"
	mkdir -p "$(dirname "$dir")"
	HX_PICK=$pick HX_RUNDIR=$dir "$TOP/harness/ksuite.sh" "$k" > "$dir.log" 2>&1
	"$TOP/harness/retry.sh" "$k" "$dir" >> "$dir.log" 2>&1
	sed 's/^/    /' "$dir/results.txt"
	[ ! -s "$dir/flaky.txt" ] ||
		awk '{ printf "    passed on retry (1 retry, first %s): %s\n", $2, $1 }' "$dir/flaky.txt"
	sed 's/^/    report: /' "$dir/reports.txt"
	want=$(list_tests "$(ksrc "$k")" | grep -cE "$pick")
	got=$(awk '!/:instance /' "$dir/results.txt" | wc -l)
	PICKED_SUMMARY="$got of $want tests ran"
	[ "$got" = "$want" ] || echo "    FAIL: only $got of the $want picked tests have a result"
	[ "$want" -gt 0 ] && [ "$got" = "$want" ] &&
		! grep -qv ' PASS$' "$dir/results.txt" && [ ! -s "$dir/reports.txt" ]
}

# Seconds since the epoch, for timing steps.
now() { date +%s; }

# QEMU command line for kernel $1, extra kernel arguments $2.  TCG with
# thread=single: multi-threaded TCG does not give the cross-modifying-code
# guarantees that ftrace's int3 patching relies on (upstream itself oopses
# in its boot selftests under thread=multi).  HX_ICOUNT=1 adds
# "-icount shift=0,sleep=off": guest time then counts instructions.
# HX_INITRD names another initramfs of that kernel's folder (make bench:
# initramfs-bench.cpio.gz, harness/scale.sh).
qemu_cmd() {
	local k=$1 extra=$2
	# The kernels with lockdep and KASAN run some tens of times slower
	# under TCG than on hardware: RCU's CPU stall warning waits 120 s
	# there instead of its 21 (a stall is still a report, KREPORT).
	case $k in
	debug | core | livedebug) extra="rcupdate.rcu_cpu_stall_timeout=120 $extra" ;;
	esac
	QEMU=(qemu-system-x86_64 -accel tcg,thread=single -smp 2 -m 2G
		-nodefaults -no-user-config -no-reboot -display none
		-kernel "$BUILD/$k/obj/arch/x86/boot/bzImage"
		-initrd "$BUILD/$k/${HX_INITRD:-initramfs.cpio.gz}"
		-append "console=ttyS0,115200 oops=panic panic=-1 $extra")
	if [ "${HX_ICOUNT:-0}" = 1 ]; then
		QEMU+=(-icount shift=0,sleep=off)
	fi
}

# The script at the top of this run (make check, make bench, ...): a VM
# that outlives it is ended by its guard (vm_start).
export HX_RUNNER_PID=${HX_RUNNER_PID:-$$}
VM_PIDS=

# End every VM this script started (EXIT, or a signal: then exit too).
vm_end_all() {
	local p
	for p in $VM_PIDS; do
		kill -9 "$p" 2>/dev/null
	done
	VM_PIDS=
}

# Boot kernel $1 with extra arguments $2, serial console to file $3, in the
# background; the pid of QEMU is left in $VM_PID.  A QEMU never outlives
# the script that started it nor the run's top script: a trap ends it on
# this script's exit or signal, and a guard process ends it within a
# second of either script's death, even by SIGKILL (which no trap sees).
# HX_FAKE_VM=1 runs "sleep" instead of QEMU (harness/tests/vmguard.sh).
vm_start() {
	local me=$$ top=$HX_RUNNER_PID
	qemu_cmd "$1" "$2"
	if [ "${HX_FAKE_VM:-0}" = 1 ]; then
		sleep 600 &
	else
		"${QEMU[@]}" -serial "file:$3" -monitor none < /dev/null \
			> "$3.qemu" 2>&1 &
	fi
	VM_PID=$!
	VM_PIDS="$VM_PIDS $VM_PID"
	trap vm_end_all EXIT
	trap 'vm_end_all; exit 143' TERM
	trap 'vm_end_all; exit 130' INT
	trap 'vm_end_all; exit 129' HUP
	(
		trap - EXIT TERM INT HUP
		exec > /dev/null 2>&1 < /dev/null
		while kill -0 "$VM_PID" && kill -0 "$me" && kill -0 "$top"; do
			sleep 1
		done
		kill -9 "$VM_PID"
	) &
}

vm_kill() {
	kill "$1" 2>/dev/null
	sleep 1
	kill -9 "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

# Wait until the guest of pid $1, logging to $2, prints "@@HX DONE" or
# powers off, at most $3 seconds; then stop QEMU.  Fails on timeout.
vm_wait_done() {
	local pid=$1 logf=$2 limit=$3 start rc=0
	start=$(now)
	while kill -0 "$pid" 2>/dev/null; do
		sleep 1
		grep -aq '^@@HX DONE' "$logf" && break
		if [ $(($(now) - start)) -gt "$limit" ]; then
			rc=1
			break
		fi
	done
	vm_kill "$pid"
	return $rc
}
