#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Judge a kselftest run of our kernel against upstream's committed results.
#
#   verdict.sh BASELINE RUNDIR
#
# BASELINE lines: "result KEY RESULT" and "report KEY<TAB>SIGNATURE"
# (written by baseline.sh); RUNDIR holds results.txt and reports.txt of
# our run (ksuite.sh).  Rules:
#   - a key upstream PASSes must PASS on ours, else it is our failure;
#   - a key upstream does not pass is reported and not counted;
#   - a key not in the baseline is one of our own tests (the overlay's
#     test.d): it must PASS; but a test of core/ (our own core's, which
#     only the core kernel has, harness/corecheck.sh) may be UNSUPPORTED,
#     not counted;
#   - a kernel report in a test is our failure unless upstream's run of the
#     same test had a report with the same signature.
# Prints failing keys, a per-directory summary, and last a line
#   "verdict PASSED FAILED UNCOUNTED".
set -u
base=$1
dir=$2

awk -F'\t' -v base="$base" -v res="$dir/results.txt" -v rep="$dir/reports.txt" '
function dirof(k) { sub(/\/[^\/]*$/, "", k); return k }
BEGIN {
	while ((getline l < base) > 0) {
		if (l ~ /^result /) { split(l, a, " "); up[a[2]] = a[3]; order[++n] = a[2] }
		else if (l ~ /^report /) { sub(/^report /, "", l); uprep[l] = 1 }
	}
	while ((getline l < res) > 0) { split(l, a, " "); ours[a[1]] = a[2]; if (!(a[1] in up)) extra[a[1]] = a[2] }
	while ((getline l < rep) > 0) {
		split(l, a, "\t")
		if (!(l in uprep)) { newrep[a[1]] = newrep[a[1]] "\n        " a[2] }
		else { oldrep[a[1]] = oldrep[a[1]] "\n        " a[2] " (upstream too)" }
	}
	if (n == 0) { print "verdict: empty baseline " base; print "verdict 0 1 0"; exit }
	for (i = 1; i <= n; i++) {
		k = order[i]; d = dirof(k); dirs[d] = 1
		o = (k in ours) ? ours[k] : "MISSING"
		if (up[k] == "PASS") {
			if (o == "PASS" && !(k in newrep)) { p++; dp[d]++ }
			else {
				f++; df[d]++
				printf "  FAIL %-58s ours %s, upstream PASS%s\n", k, o, \
					(k in newrep) ? "; new kernel report:" newrep[k] : ""
			}
		} else if (k in newrep) {
			f++; df[d]++
			printf "  FAIL %-58s new kernel report:%s\n", k, newrep[k]
		} else {
			u++; du[d]++
			printf "  note %-58s ours %s, upstream %s (not counted)\n", k, o, up[k]
		}
		if (k in oldrep) printf "  note %-58s kernel report%s\n", k, oldrep[k]
	}
	for (k in extra) {
		d = dirof(k); dirs[d] = 1
		if (extra[k] == "PASS" && !(k in newrep)) { p++; dp[d]++; continue }
		# core/: tests of our own core, which only the core kernel has
		if (k ~ /^core\// && extra[k] == "UNSUPPORTED" && !(k in newrep)) {
			u++; du[d]++
			printf "  note %-58s ours UNSUPPORTED (core kernel only; not counted)\n", k
			continue
		}
		f++; df[d]++
		printf "  FAIL %-58s ours %s (our own test: must pass)%s\n", k, extra[k], \
			(k in newrep) ? "; new kernel report:" newrep[k] : ""
	}
	print "  per directory (passed / failed / not counted):"
	m = 0
	for (d in dirs) sorted[++m] = d
	for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++)
		if (sorted[j] < sorted[i]) { t = sorted[i]; sorted[i] = sorted[j]; sorted[j] = t }
	for (i = 1; i <= m; i++) {
		d = sorted[i]
		printf "    %-24s %3d / %3d / %3d\n", d, dp[d], df[d], du[d]
	}
	printf "verdict %d %d %d\n", p, f, u
}'
