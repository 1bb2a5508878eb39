#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A VM never outlives the script that started it (harness/lib.sh,
# vm_start): with HX_FAKE_VM=1 the "VM" is a sleep; the script that
# started it is killed with SIGTERM (its trap) or SIGKILL (the guard), or
# the run's top script is killed while the starter lives on.
set -u
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
lib=$(cd "$(dirname "$0")/.." && pwd)/lib.sh

# Starter: source lib.sh, start a fake VM, write its pid, wait forever.
cat > "$d/starter.sh" <<EOS
. "$lib"
vm_start ours "" "$d/serial"
echo \$VM_PID > "$d/vm.pid"
while :; do sleep 1; done
EOS

# Start the starter (as run by a top script $1 = "self" or "parent"),
# kill it with signal $2 (or its top with "top"), report whether the VM
# is gone 4 seconds later.
run() {
	local how=$1 sig=$2 vm top starter i
	rm -f "$d/vm.pid"
	if [ "$how" = self ]; then
		HX_FAKE_VM=1 HX_RUNNER_PID= bash "$d/starter.sh" &
		starter=$!
		top=$starter
	else
		# a top script that runs the starter in the foreground
		HX_FAKE_VM=1 bash -c 'export HX_RUNNER_PID=$$; bash "$1" & wait' _ "$d/starter.sh" &
		top=$!
	fi
	for i in $(seq 50); do [ -s "$d/vm.pid" ] && break; sleep 0.1; done
	vm=$(cat "$d/vm.pid" 2>/dev/null)
	[ -n "$vm" ] || { echo "not ok $how $sig: no VM started"; return; }
	kill -0 "$vm" || { echo "not ok $how $sig: VM not running"; return; }
	kill "-$sig" "$top"
	sleep 4
	if kill -0 "$vm" 2>/dev/null; then
		echo "not ok $how $sig: the VM outlived its runner"
		kill -9 "$vm"
	else
		echo "ok VM ended when its runner got SIG$sig ($how)"
	fi
	pkill -9 -f "$d/starter.sh" 2>/dev/null
	wait 2>/dev/null
}

run self TERM
run self KILL
run parent KILL
