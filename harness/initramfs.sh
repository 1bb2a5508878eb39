#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the initramfs of kernel $1 (ours | upstream): $BUILD/$1/initramfs.cpio.gz.
#
# Contents: Debian's busybox-static with every applet linked in PATH and
# /bin/sh a real copy (the uprobe test greps /proc/self/maps for a
# .../bin/...sh mapping); dash, nice and chrt with their shared libraries
# (ftracetest runs under dash, because busybox's standalone shell execs
# applets through /proc/self/exe and the dynstring trigger test keys on
# the exec'd file name; nice and chrt are not busybox applets); a second
# user and group; the kernel's modules with depmod; that kernel's
# kselftest ftrace folder (with our own tests from the overlay) and the
# guest scripts of harness/guest; for the live kernels, trace-cmd, perf
# and the module with a foreign site (/opt/hx/hx_foreign.ko).
. "$(dirname "$0")/lib.sh"

k=${1:-}
src=$(ksrc "$k")
out=$BUILD/$k/obj
root=$BUILD/$k/initramfs
rel=$(cat "$out/include/config/kernel.release" 2>/dev/null) ||
	die "[$k] not built"

copy_with_libs() {
	local bin=$1 dst=$2 lib
	mkdir -p "$root/$(dirname "$dst")"
	cp -L "$bin" "$root/$dst"
	for lib in $(ldd "$bin" | grep -o '/[^ ]*'); do
		mkdir -p "$root/$(dirname "$lib")"
		cp -L "$lib" "$root/$lib"
	done
}

rm -rf "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,root,run,opt}
mkdir -p "$root"/home/user "$root"/usr/share/hx
# usr-merged Debian: libraries are found through /lib64 and /lib
mkdir -p "$root/usr/lib/x86_64-linux-gnu" "$root/usr/lib64"
ln -s usr/lib "$root/lib"
ln -s usr/lib64 "$root/lib64"

bb=$(command -v busybox)
cp "$bb" "$root/bin/busybox"
for a in $("$bb" --list-full); do
	[ -e "$root/$a" ] || ln -s /bin/busybox "$root/$a"
done
rm -f "$root/bin/sh"
cp "$bb" "$root/bin/sh"
copy_with_libs /usr/bin/dash /bin/dash
copy_with_libs /usr/bin/nice /usr/bin/nice
copy_with_libs /usr/bin/chrt /usr/bin/chrt
# Real clients of the core, for the live kernels' core/clients.tc:
# Debian's trace-cmd and perf (bookworm's perf is 6.1's; its ftrace
# command only needs tracefs).
case $k in
live | liveperf | livedebug)
	copy_with_libs /usr/bin/trace-cmd /usr/bin/trace-cmd
	copy_with_libs /usr/bin/perf /usr/bin/perf
	# core/quarantine-module.tc's module (harness/foreign), out of tree
	fdir=$BUILD/$k/foreign
	rm -rf "$fdir"
	mkdir -p "$fdir" "$root/opt/hx"
	cp "$TOP"/harness/foreign/hx_foreign.c "$TOP"/harness/foreign/Makefile "$fdir/"
	make -C "$src" O="$out" CC="$KCC" M="$fdir" modules > "$fdir/build.log" 2>&1 ||
		{ tail -n 20 "$fdir/build.log" >&2; die "[$k] hx_foreign build failed"; }
	cp "$fdir/hx_foreign.ko" "$root/opt/hx/"
	;;
esac

cat > "$root/etc/passwd" <<'PW'
root:x:0:0:root:/root:/bin/sh
user:x:1000:1000:user:/home/user:/bin/sh
PW
cat > "$root/etc/group" <<'GR'
root:x:0:
user:x:1000:
GR
echo "hx" > "$root/etc/hostname"
printf '127.0.0.1 localhost\n' > "$root/etc/hosts"

mkdir -p "$root/lib/modules"
cp -a "$BUILD/$k/mods/lib/modules/$rel" "$root/lib/modules/"
rm -f "$root/lib/modules/$rel/build" "$root/lib/modules/$rel/source"
depmod -b "$root" "$rel" || die "depmod failed"

cp -a "$src/tools/testing/selftests/ftrace" "$root/opt/ftrace"
list_tests "$src" > "$root/opt/ftrace/hx-tests.txt"

cp "$TOP"/harness/guest/init "$root/init"
cp "$TOP"/harness/guest/*.sh "$root/usr/share/hx/"
chmod +x "$root/init" "$root"/usr/share/hx/*.sh
if [ -f "$TOP/harness/guest/hxtool.c" ]; then
	gcc -O2 -Wall -static -o "$root/usr/bin/hxtool" \
		"$TOP/harness/guest/hxtool.c" || die "hxtool build failed"
fi
echo "$k" > "$root/etc/hx-kernel"

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) |
	gzip -1 > "$root.cpio.gz.tmp" || die "cpio failed"
mv "$root.cpio.gz.tmp" "$root.cpio.gz"
log "[$k] initramfs $(du -h "$root.cpio.gz" | cut -f1) ($(wc -l < "$root/opt/ftrace/hx-tests.txt") kselftests)"
