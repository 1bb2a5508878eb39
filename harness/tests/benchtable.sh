#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# harness/benchtable.sh: medians (odd and even counts), ratios, missing
# samples and the order of figures.
set -eu
t=$(dirname "$0")/../benchtable.sh
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cat > "$d/all" <<'A'
tcg upstream enable_ms 10
tcg ours enable_ms 4
tcg upstream enable_ms 30
tcg ours enable_ms 6
tcg upstream enable_ms 20
tcg ours enable_ms 100
icount upstream enable_ms 8
icount ours enable_ms 2
icount upstream enable_ms 9
icount ours enable_ms 3
tcg upstream sites 100
tcg ours sites 100
A
out=$("$t" "$d/all")
echo "$out"
# tcg: upstream median 20, ours median 6 -> 0.30; icount: 8.5 and 2.5 -> 0.29
echo "$out" | grep -Eq '^enable_ms +20 +6 +0\.30 \| +8\.5 +2\.5 +0\.29$'
echo "$out" | grep -Eq '^sites +100 +100 +1\.00 \| +- +- +-$'
[ "$(echo "$out" | sed -n 2p | cut -d' ' -f1)" = enable_ms ]
