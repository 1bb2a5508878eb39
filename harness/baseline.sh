#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make baseline`: run the same kselftest suite on the unmodified upstream
# kernel and write each result (and every kernel report) to the committed
# tools/testing/selftests/ftrace/upstream-results.txt, which `make check`
# judges our kernel against.
. "$(dirname "$0")/lib.sh"

out=$TOP/tools/testing/selftests/ftrace/upstream-results.txt
t0=$(now)
"$TOP/harness/ksuite.sh" upstream
"$TOP/harness/retry.sh" upstream "$RUNS/upstream"
"$TOP/harness/bootcheck.sh" "$RUNS/upstream/boot1.log" ||
	die "upstream's boot selftests fail: fix the environment first"
dir=$RUNS/upstream
mkdir -p "$(dirname "$out")"
{
	echo "# Upstream Linux $("$TOP/harness/tree.sh" version) ftrace kselftest results, written by 'make baseline'."
	echo "# QEMU TCG thread=single, 2 vCPUs; one ftracetest call per test."
	echo "# result KEY RESULT   (KEY: test path; ':instance' = the instance re-run)"
	echo "# report KEY<TAB>SIG  (a kernel WARN/BUG/Oops seen during that test)"
	sed 's/^/# passed on retry: /' "$dir/flaky.txt"
	sed 's/^/result /' "$dir/results.txt"
	sort -u "$dir/reports.txt" | sed 's/^/report /'
} > "$out"
log "baseline: $(grep -c '^result .* PASS$' "$out") PASS of $(grep -c '^result ' "$out") results, $(grep -c '^report ' "$out") kernel reports, $(( $(now) - t0 ))s -> ${out#"$TOP"/}"
grep '^result ' "$out" | awk '{print $3}' | sort | uniq -c | sed 's/^/    /'
