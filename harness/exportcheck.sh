#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# exportcheck.sh MODULE.SYMVERS none|gated
# What the x86 patch engine (arch/x86/kernel/ftrace*.c) exports to modules:
#   none   a kernel built without the engine's test configs: nothing of
#          the engine (ftrace_patch_*, ftrace_arch_kunit_*) is exported;
#   gated  a kernel with them: every engine export is GPL-only and in one
#          of the test namespaces (EXPORTED_FOR_KUNIT_TESTING,
#          FTRACE_PATCH_TEST), none in the global namespace.
# Prints each offending export and "exports: PASS|FAIL (...)".
set -u
symvers=$1
mode=$2
[ -r "$symvers" ] || { echo "exports: FAIL (no $symvers)"; exit 1; }
# crc <TAB> symbol <TAB> module <TAB> export type <TAB> namespace
eng=$(awk -F'\t' '$2 ~ /^ftrace_(patch|arch_kunit)_/' "$symvers")
n=$(printf '%s' "$eng" | grep -c . || true)
case $mode in
none)
	bad=$eng ;;
gated)
	bad=$(printf '%s\n' "$eng" | awk -F'\t' 'NF &&
		!($4 == "EXPORT_SYMBOL_GPL" &&
		  ($5 == "EXPORTED_FOR_KUNIT_TESTING" || $5 == "FTRACE_PATCH_TEST"))')
	[ "$n" -gt 0 ] || bad="(no engine export: the test configs are off?)" ;;
*)
	echo "usage: $0 MODULE.SYMVERS none|gated" >&2
	exit 2 ;;
esac
if [ -n "$bad" ]; then
	printf '%s\n' "$bad" | sed 's/^/    exported: /'
	echo "exports: FAIL ($mode, $n engine exports)"
	exit 1
fi
echo "exports: PASS ($mode, $n engine exports)"
