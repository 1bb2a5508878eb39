#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# harness/benchtable.sh: medians (odd and even counts), ratios, missing
# samples, the order of figures and of kernels, one table per mode.
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
echo "icount live enable_ms 1" >> "$d/all"
out=$("$t" "$d/all")
echo "$out"
# one table per mode; columns: upstream, then each other kernel and its
# ratio, in order of appearance
tcg=$(echo "$out" | sed -n '/^plain TCG$/,/^-icount$/p')
ic=$(echo "$out" | sed -n '/^-icount$/,$p')
# tcg: upstream median 20, ours median 6 -> 0.30; live has no sample
echo "$tcg" | grep -Eq '^enable_ms +20 +6 +0\.30 +- +-$'
echo "$tcg" | grep -Eq '^sites +100 +100 +1\.00 +- +-$'
# icount: 8.5 and 2.5 -> 0.29, live 1 -> 0.12; no sample of sites: no row
echo "$ic" | grep -Eq '^enable_ms +8\.5 +2\.5 +0\.29 +1 +0\.12$'
! echo "$ic" | grep -q '^sites'
echo "$tcg" | sed -n 2p | grep -Eq '^figure \(median\) +upstream +ours +ratio +live +ratio$'
[ "$(echo "$tcg" | sed -n 3p | cut -d' ' -f1)" = enable_ms ]
