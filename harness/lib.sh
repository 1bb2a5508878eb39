# SPDX-License-Identifier: GPL-2.0
# Common settings for the harness scripts; sourced, never run.
#
# Layout (everything generated lives under $BUILD, which git ignores),
# for kernel <k> = upstream | ours | fp (ours built with frame pointers,
# configs/fp.config; it has no source folder of its own):
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
	ours | fp) echo "$OURS_SRC" ;;
	upstream) echo "$PRISTINE" ;;
	*) die "unknown kernel '$1' (ours, fp or upstream)" ;;
	esac
}

# The kselftests of source tree $1, in ftracetest's order (numbered from 1
# in that order everywhere in the harness).
list_tests() {
	(cd "$1/tools/testing/selftests/ftrace/test.d" &&
		find . -name '*.tc' | sed 's|^\./||' | LC_ALL=C sort)
}

# Seconds since the epoch, for timing steps.
now() { date +%s; }

# QEMU command line for kernel $1, extra kernel arguments $2.  TCG with
# thread=single: multi-threaded TCG does not give the cross-modifying-code
# guarantees that ftrace's int3 patching relies on (upstream itself oopses
# in its boot selftests under thread=multi).  HX_ICOUNT=1 adds
# "-icount shift=0,sleep=off": guest time then counts instructions.
qemu_cmd() {
	local k=$1 extra=$2
	QEMU=(qemu-system-x86_64 -accel tcg,thread=single -smp 2 -m 2G
		-nodefaults -no-user-config -no-reboot -display none
		-kernel "$BUILD/$k/obj/arch/x86/boot/bzImage"
		-initrd "$BUILD/$k/initramfs.cpio.gz"
		-append "console=ttyS0,115200 oops=panic panic=-1 $extra")
	if [ "${HX_ICOUNT:-0}" = 1 ]; then
		QEMU+=(-icount shift=0,sleep=off)
	fi
}

# Boot kernel $1 with extra arguments $2, serial console to file $3, in the
# background; the pid of QEMU is left in $VM_PID.
vm_start() {
	qemu_cmd "$1" "$2"
	"${QEMU[@]}" -serial "file:$3" -monitor none < /dev/null > "$3.qemu" 2>&1 &
	VM_PID=$!
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
