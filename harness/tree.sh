#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Prepare the two source trees.
#
#   tree.sh pristine   unpack Debian's tarball once into $PRISTINE
#   tree.sh ours       make $OURS_SRC = pristine + overlay + patches/*.patch
#
# The overlay is applied incrementally: the wanted content of every file
# we manage (overlay files, files touched by patches, and files we managed
# last time) is assembled in a staging folder from the pristine version,
# and only files whose content differs are replaced in $OURS_SRC.  So an
# unchanged overlay keeps every mtime, and kbuild rebuilds only what
# changed.  A file dropped from the overlay returns to its pristine text.
. "$(dirname "$0")/lib.sh"

pristine() {
	[ -f "$PRISTINE/Makefile" ] && return 0
	[ -f "$TARBALL" ] || die "$TARBALL missing (apt-get install linux-source-6.12)"
	log "unpacking $(basename "$TARBALL")"
	rm -rf "$PRISTINE.tmp"
	mkdir -p "$PRISTINE.tmp"
	tar -xJf "$TARBALL" -C "$PRISTINE.tmp" || die "cannot unpack $TARBALL"
	mv "$PRISTINE.tmp/linux-source-6.12" "$PRISTINE"
	rmdir "$PRISTINE.tmp"
}

kversion() {
	awk '/^VERSION =/{v=$3} /^PATCHLEVEL =/{p=$3} /^SUBLEVEL =/{s=$3}
	     END{print v "." p "." s}' "$PRISTINE/Makefile"
}

overlay_files() {
	local d
	for d in $OVERLAY_DIRS; do
		[ -d "$TOP/$d" ] || continue
		(cd "$TOP" && find "$d" -type f ! -name '*~' ! -name '*.orig' \
			! -name '*.rej')
	done
}

patched_files() {
	local p
	for p in "$TOP"/patches/*.patch; do
		[ -f "$p" ] || continue
		sed -n 's|^+++ [^/]*/\([^[:space:]]*\).*|\1|p' "$p"
	done
}

ours() {
	pristine
	if [ ! -f "$OURS_SRC/Makefile" ]; then
		log "creating $OURS_SRC (hard links to the pristine tree)"
		rm -rf "$OURS_SRC"
		mkdir -p "$(dirname "$OURS_SRC")"
		cp -al "$PRISTINE" "$OURS_SRC"
		: > "$BUILD/ours/overlay.manifest"
	fi
	local stage=$BUILD/ours/stage manifest=$BUILD/ours/overlay.manifest
	local want all f p n=0
	rm -rf "$stage"
	mkdir -p "$stage"
	want=$( { overlay_files; patched_files; } | sort -u)
	all=$( { printf '%s\n' "$want"; cat "$manifest" 2>/dev/null; } |
		sed '/^$/d' | sort -u)
	for f in $all; do
		if [ -f "$PRISTINE/$f" ]; then
			mkdir -p "$stage/$(dirname "$f")"
			cp -p "$PRISTINE/$f" "$stage/$f"
		fi
	done
	for f in $(overlay_files); do
		mkdir -p "$stage/$(dirname "$f")"
		cp -p "$TOP/$f" "$stage/$f"
	done
	for p in "$TOP"/patches/*.patch; do
		[ -f "$p" ] || continue
		patch -p1 -s -d "$stage" --no-backup-if-mismatch -r - < "$p" ||
			die "patch $(basename "$p") does not apply"
	done
	for f in $all; do
		if [ -f "$stage/$f" ]; then
			cmp -s "$stage/$f" "$OURS_SRC/$f" && continue
			mkdir -p "$OURS_SRC/$(dirname "$f")"
			rm -f "$OURS_SRC/$f"
			cp "$stage/$f" "$OURS_SRC/$f"
			n=$((n + 1))
		elif [ -e "$OURS_SRC/$f" ]; then
			rm -f "$OURS_SRC/$f"
			n=$((n + 1))
		fi
	done
	printf '%s\n' "$want" | sed '/^$/d' > "$manifest"
	rm -rf "$stage"
	log "overlay: $(printf '%s\n' "$want" | sed '/^$/d' | wc -l) files managed, $n replaced"
}

case ${1:-} in
pristine) pristine; log "kernel source: Linux $(kversion) (Debian linux-source-6.12)" ;;
ours) ours ;;
version) kversion ;;
*) die "usage: tree.sh pristine|ours|version" ;;
esac
