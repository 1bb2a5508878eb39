#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the upstream ftrace kselftests (plus ours from the overlay) on
# kernel $1, one ftracetest call per test, in as few VMs as possible.
#
#   ksuite.sh K [FIRST [LAST]]
#
# HX_PICK (an extended regular expression) runs only the tests between
# FIRST and LAST whose path (e.g. ftrace/fgraph-filter.tc) matches it.
# A VM runs the tests from FIRST on; when it dies (oops=panic) or a test
# runs past its timeout, the test in flight is recorded as failed with the
# reason, and a fresh VM resumes with the next test.  Writes, in
# $RUNS/$K/:
#   results.txt  "key RESULT" per ftracetest result line, in runner order
#                (key = test path, with ":instance" for the instance re-run)
#   reports.txt  "key<TAB>signature" per kernel WARN/BUG/Oops/... report
#   boot1.log    the serial log of the first VM (boot selftests)
# (HX_RUNDIR names another folder; HX_MODE another guest mode than
# "suite", one that runs suite.sh first; HX_KARGS adds kernel arguments.)
. "$(dirname "$0")/lib.sh"

k=${1:-}
src=$(ksrc "$k")
dir=${HX_RUNDIR:-$RUNS/$k}
TEST_TIMEOUT=${HX_TEST_TIMEOUT:-600}
BOOT_TIMEOUT=${HX_BOOT_TIMEOUT:-300}

mapfile -t TESTS < <(list_tests "$src")
n=${#TESTS[@]}
first=${2:-1}
last=${3:-$n}
[ "$last" -le "$n" ] || last=$n

# The numbers of the picked tests, comma-separated, for the guest (all:
# every test of the range).
pick=all
picked() { [ "$pick" = all ] || [[ ",$pick," == *",$1,"* ]]; }
if [ -n "${HX_PICK:-}" ]; then
	pick=
	for ((i = first; i <= last; i++)); do
		[[ ${TESTS[i - 1]} =~ $HX_PICK ]] && pick=$pick${pick:+,}$i
	done
	[ -n "$pick" ] || die "HX_PICK '$HX_PICK' matches no test in $first..$last"
fi

mkdir -p "$dir"
rm -f "$dir"/vm*.log* "$dir/results.txt" "$dir/reports.txt"
: > "$dir/results.txt"
: > "$dir/reports.txt"

# Kernel-report signature: drop timestamps, CPU/PID, offsets and line
# numbers, so the same report on ours and upstream compares equal.
ksig() {
	sed -E 's/\r//g; s/[[:space:]]+$//; s/^@@K //; s/^\[ *[0-9.]+\] //; s/CPU: [0-9]+ (UID: [0-9]+ )?PID: [0-9]+ //;
		s/\+0x[0-9a-f]+\/0x[0-9a-f]+//g; s/(\.[ch]):[0-9]+/\1/g;
		s/ Comm: .*//; s/ \(pid [0-9]+\)//'
}

instance_test() {
	grep -q '^# flags:.*instance' \
		"$src/tools/testing/selftests/ftrace/test.d/$1"
}

# Report (once) what the VM log $1 says about tests up to now.
shown=0
progress() {
	local logf=$1 line i rc secs res
	while read -r line; do
		set -- $line
		i=$3
		[ "$i" -gt "$shown" ] || continue
		rc=${4#rc=}
		secs=${5#secs=}
		res=$(grep -a "^@@HX RESULT $i " "$logf" | tr -d "\r" | awk '{printf " %s", $5}')
		printf '[%s] (%d/%d) %-60s%s (%ss)\n' "$k" "$i" "$n" \
			"${TESTS[$((i - 1))]}" "${res:- no result, rc=$rc}" "$secs"
		shown=$i
	done < <(grep -a '^@@HX END ' "$logf" | tr -d '\r')
}

# Collect results and kernel reports of every completed test in log $1.
collect() {
	local logf=$1
	grep -a '^@@HX RESULT ' "$logf" | tr -d '\r' |
		awk '{print $4, $5}' >> "$dir/results.txt"
	awk -v re="$KREPORT" '
		/^@@HX BEGIN / { key = $4; next }
		/^@@HX END / { key = ""; next }
		key != "" && $0 ~ re && $0 !~ /^@@L / { print key "\t" $0 }
	' "$logf" | tr -d '\r' | while IFS=$'\t' read -r key l; do
		printf '%s\t%s\n' "$key" "$(printf '%s\n' "$l" | ksig)"
	done >> "$dir/reports.txt"
}

t0=$(now)
start=$first
vm=0
while [ "$start" -le "$last" ]; do
	vm=$((vm + 1))
	logf=$dir/vm$vm.log
	: > "$logf"
	log "[$k] VM $vm: tests $start..$last${HX_PICK:+ matching $HX_PICK}"
	vm_start "$k" "hx.mode=${HX_MODE:-suite} ${HX_KARGS:-} hx.start=$start hx.end=$last hx.pick=$pick" "$logf"
	vt0=$(now)
	cur=0
	ct0=$vt0
	why=
	while kill -0 "$VM_PID" 2>/dev/null; do
		sleep 2
		progress "$logf"
		b=$(grep -a '^@@HX BEGIN ' "$logf" | tail -n 1 | awk '{print $3}')
		if [ -n "$b" ] && [ "$b" != "$cur" ]; then
			cur=$b
			ct0=$(now)
		fi
		if [ "$cur" = 0 ] && [ $(($(now) - vt0)) -gt "$BOOT_TIMEOUT" ]; then
			why="boot hang (no test started after ${BOOT_TIMEOUT}s)"
			break
		fi
		if [ "$cur" != 0 ] && [ $(($(now) - ct0)) -gt "$TEST_TIMEOUT" ] &&
		   ! grep -aq "^@@HX END $cur " "$logf"; then
			why="hang (timeout ${TEST_TIMEOUT}s)"
			break
		fi
		grep -aq '^@@HX DONE' "$logf" && sleep 3 && break
	done
	vm_kill "$VM_PID"
	progress "$logf"
	[ $vm = 1 ] && cp "$logf" "$dir/boot1.log"
	collect "$logf"
	if grep -aq '^@@HX DONE' "$logf"; then
		break
	fi
	if [ "$cur" = 0 ]; then
		log "[$k] VM $vm did not reach the tests: ${why:-it died during boot}"
		tail -n 30 "$logf" | sed 's/^/    /'
		for ((i = start; i <= last; i++)); do
			picked "$i" && echo "${TESTS[$((i - 1))]} FAIL(boot)" >> "$dir/results.txt"
		done
		break
	fi
	if grep -aq "^@@HX END $cur " "$logf"; then
		# Died between two tests: resume after the last finished one.
		start=$((cur + 1))
		continue
	fi
	# The test in flight killed or hung the VM.
	t=${TESTS[$((cur - 1))]}
	if [ -z "$why" ]; then
		if sed -n "/^@@HX BEGIN $cur /,\$p" "$logf" | grep -aqE 'Oops|BUG:|general protection'; then
			why="oops"
		elif sed -n "/^@@HX BEGIN $cur /,\$p" "$logf" | grep -aq 'Kernel panic'; then
			why="panic"
		else
			why="VM died"
		fi
	fi
	printf '[%s] (%d/%d) %-60s FAIL: %s\n' "$k" "$cur" "$n" "$t" "$why"
	echo "$t FAIL($why)" >> "$dir/results.txt"
	instance_test "$t" && echo "$t:instance FAIL($why)" >> "$dir/results.txt"
	sed -n "/^@@HX BEGIN $cur /,\$p" "$logf" | grep -aE "$KREPORT" |
		grep -av '^@@' | ksig | sed "s|^|$t\t|" >> "$dir/reports.txt"
	shown=$cur
	start=$((cur + 1))
done
sort -u -o "$dir/reports.txt" "$dir/reports.txt"
log "[$k] kselftest: $(wc -l < "$dir/results.txt") results in $vm VM(s), $(( $(now) - t0 ))s"
