#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# harness/exportcheck.sh: an engine export in a kernel without the test
# configs, or one outside the test namespaces, fails it.
set -u
r=$(dirname "$0")/../exportcheck.sh
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
t=$(printf '\t')
ok() { if "$@" > /dev/null; then echo "ok $name"; else echo "not ok $name"; fi; }
ko() { if "$@" > /dev/null; then echo "not ok $name"; else echo "ok $name"; fi; }

cat > "$d/plain" <<EOR
0x00000000${t}register_ftrace_function${t}vmlinux${t}EXPORT_SYMBOL_GPL${t}
0x00000000${t}ftrace_set_filter_ip${t}vmlinux${t}EXPORT_SYMBOL_GPL${t}
EOR
cat > "$d/gated" <<EOR
0x00000000${t}register_ftrace_function${t}vmlinux${t}EXPORT_SYMBOL_GPL${t}
0x00000000${t}ftrace_patch_open${t}vmlinux${t}EXPORT_SYMBOL_GPL${t}EXPORTED_FOR_KUNIT_TESTING
0x00000000${t}ftrace_patch_failures${t}vmlinux${t}EXPORT_SYMBOL_GPL${t}FTRACE_PATCH_TEST
EOR
sed "s/FTRACE_PATCH_TEST\$//" "$d/gated" > "$d/global"
sed "s/EXPORT_SYMBOL_GPL${t}FTRACE/EXPORT_SYMBOL${t}FTRACE/" "$d/gated" > "$d/nongpl"

name="none: a kernel without engine exports passes"; ok "$r" "$d/plain" none
name="none: an engine export fails"; ko "$r" "$d/gated" none
name="gated: test namespaces pass"; ok "$r" "$d/gated" gated
name="gated: the global namespace fails"; ko "$r" "$d/global" gated
name="gated: a non-GPL export fails"; ko "$r" "$d/nongpl" gated
name="gated: no engine export at all fails"; ko "$r" "$d/plain" gated
