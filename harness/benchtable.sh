#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Turn benchmark samples into the table `make bench` prints.
#
#   benchtable.sh ALL.TXT...
#
# Input lines: "MODE KERNEL FIGURE VALUE" (MODE tcg|icount, KERNEL
# upstream|ours), one per sample; several files are merged.  Output: per
# figure, in order of first appearance, the median of each kernel and the
# ratio ours/upstream, for plain TCG and for -icount ("-" where a side
# has no sample).
set -u
awk '
function median(s,   a, n, i, j, t) {
	n = split(s, a, " ")
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
		if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function ratio(o, u) { return (o == "" || u == "" || u + 0 == 0) ? "-" : sprintf("%.2f", o / u) }
function cell(x) { return x == "" ? "-" : x }
{
	v[$1, $2, $3] = v[$1, $2, $3] " " $4
	if (!($3 in seen)) { seen[$3] = 1; order[++nf] = $3 }
}
END {
	printf "%-36s %12s %12s %6s | %12s %12s %6s\n", "figure (median)", "upstream", "ours", "ratio", \
		"icount:up", "icount:ours", "ratio"
	for (i = 1; i <= nf; i++) {
		f = order[i]
		for (m = 1; m <= 2; m++) {
			mode = m == 1 ? "tcg" : "icount"
			u[m] = ((mode, "upstream", f) in v) ? median(v[mode, "upstream", f]) : ""
			o[m] = ((mode, "ours", f) in v) ? median(v[mode, "ours", f]) : ""
		}
		printf "%-36s %12s %12s %6s | %12s %12s %6s\n", f, cell(u[1]), cell(o[1]), \
			ratio(o[1], u[1]), cell(u[2]), cell(o[2]), ratio(o[2], u[2])
	}
}' "$@"
