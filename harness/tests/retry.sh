#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# harness/retry.sh retries only the upstream tests harness/retryable.txt
# names, and only if upstream passes them: never ours, never another.
set -eu
r=$(dirname "$0")/../retry.sh
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cat > "$d/results.txt" <<'EOR'
preemptirq/irqsoff_tracer.tc FAIL
ftrace/patch-engine-stress.tc FAIL
ftrace/patch-engine-kunit.tc FAIL(hang (timeout 600s))
kprobe/kprobe_args.tc FAIL
tracer/wakeup.tc PASS
EOR
cat > "$d/base" <<'EOR'
result preemptirq/irqsoff_tracer.tc PASS
result kprobe/kprobe_args.tc PASS
EOR
got=$("$r" --candidates "$d" "$d/base")
[ "$got" = preemptirq/irqsoff_tracer.tc ] || { echo "candidates: $got"; exit 1; }
# not retried when upstream fails it too
sed -i '/irqsoff/d' "$d/base"
got=$("$r" --candidates "$d" "$d/base")
[ -z "$got" ] || { echo "candidates without upstream's pass: $got"; exit 1; }
