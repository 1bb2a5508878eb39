#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Turn benchmark samples into the table `make bench` prints.
#
#   benchtable.sh ALL.TXT...
#
# Input lines: "MODE KERNEL FIGURE VALUE" (MODE tcg|icount, KERNEL
# upstream|ours|live|...), one per sample; several files are merged.
# Output: one table per mode that has samples; per figure, in order of
# first appearance, the median of each kernel (upstream first, the others
# in order of appearance), each followed by its ratio to upstream ("-"
# where a side has no sample).
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
function med(mode, k, f) { return ((mode, k, f) in v) ? median(v[mode, k, f]) : "" }
{
	v[$1, $2, $3] = v[$1, $2, $3] " " $4
	if (!($3 in seen)) { seen[$3] = 1; order[++nf] = $3 }
	if (!($2 in kseen)) { kseen[$2] = 1; if ($2 != "upstream") ks[++nk] = $2 }
	modes[$1] = 1
}
END {
	for (m = 1; m <= 2; m++) {
		mode = m == 1 ? "tcg" : "icount"
		if (!(mode in modes))
			continue
		printf "%s\n%-38s %12s", (mode == "tcg" ? "plain TCG" : "-icount"), "figure (median)", "upstream"
		for (j = 1; j <= nk; j++)
			printf " %12s %6s", ks[j], "ratio"
		printf "\n"
		for (i = 1; i <= nf; i++) {
			f = order[i]
			u = med(mode, "upstream", f)
			line = sprintf("%-38s %12s", f, cell(u))
			any = u != ""
			for (j = 1; j <= nk; j++) {
				o = med(mode, ks[j], f)
				any = any || o != ""
				line = line sprintf(" %12s %6s", cell(o), ratio(o, u))
			}
			if (any)
				print line
		}
	}
}' "$@"
