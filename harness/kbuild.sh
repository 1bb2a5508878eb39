#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Configure and build kernel $1 (ours | upstream | fp | debug | core |
# coreperf | live | liveperf | livedebug | i386) out of tree.
#
# Both kernels get the same config recipe: tinyconfig plus
# configs/ftrace.config, then olddefconfig; ours also gets
# configs/ours.config, which only adds test modules that exist only in our
# overlay (nothing that changes the kernel itself).  The config is produced in a
# scratch folder and copied into the real O= folder only when it differs,
# so a rebuild with nothing changed recompiles nothing.  Every option the
# fragment sets must survive olddefconfig, or the build stops.
. "$(dirname "$0")/lib.sh"

k=${1:-}
src=$(ksrc "$k")
out=$BUILD/$k/obj
frags=$TOP/configs/ftrace.config
[ "$k" != upstream ] && frags="$frags $TOP/configs/ours.config"
[ "$k" = fp ] && frags="$frags $TOP/configs/fp.config"
[ "$k" = debug ] && frags="$frags $TOP/configs/debug.config"
# core: our core's pieces developed under lockdep and KASAN; coreperf: the
# same without the debug options, for make bench's figures of the core
[ "$k" = core ] && frags="$frags $TOP/configs/debug.config $TOP/configs/core.config"
[ "$k" = coreperf ] && frags="$frags $TOP/configs/core.config"
# live: our core running ftrace instead of upstream's (in development);
# livedebug: the same under the debug options (make livedebugcheck: its
# tests cost three times as much, which make check's 90 minutes cannot
# hold beside the core and debug steps)
[ "$k" = live ] && frags="$frags $TOP/configs/core.config $TOP/configs/live.config"
# liveperf: live as make bench measures it (configs/liveperf.config)
[ "$k" = liveperf ] && frags="$frags $TOP/configs/core.config $TOP/configs/live.config $TOP/configs/liveperf.config"
[ "$k" = livedebug ] && frags="$frags $TOP/configs/debug.config $TOP/configs/core.config $TOP/configs/live.config"
# i386: 32-bit, compiled and linked only (bzImage, no modules)
targets="bzImage modules"
if [ "$k" = i386 ]; then
	frags=$TOP/configs/i386.config
	export ARCH=i386
	targets=bzImage
fi

make_config() {
	local cfg=$BUILD/$k/cfg line sym bad=0
	mkdir -p "$cfg" "$out"
	make -s -C "$src" O="$cfg" CC="$KCC" tinyconfig >/dev/null ||
		die "tinyconfig failed"
	cat $frags >> "$cfg/.config"
	make -s -C "$src" O="$cfg" CC="$KCC" olddefconfig >/dev/null 2>&1 ||
		die "olddefconfig failed"
	# Later fragments override earlier ones: check the last request of
	# every symbol.
	while read -r line; do
		case $line in
		CONFIG_*=*)
			grep -qxF "$line" "$cfg/.config" && continue
			echo "config: requested $line, got:" \
				"$(grep -E "^(# )?${line%%=*}[= ]" "$cfg/.config" || echo absent)" >&2
			bad=1 ;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }; sym=${sym%% *}
			grep -q "^$sym=" "$cfg/.config" || continue
			echo "config: requested $sym off, but it is on" >&2
			bad=1 ;;
		esac
	done < <(cat $frags | sed -n 's/^\(CONFIG_[A-Za-z0-9_]*\)=.*/\1 &/p; s/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1 &/p' |
		awk '{ k = $1; sub(/^[^ ]* /, ""); last[k] = $0; if (!(k in seen)) { seen[k] = 1; order[n++] = k } }
		     END { for (i = 0; i < n; i++) print last[order[i]] }')
	[ $bad = 0 ] || die "config fragment did not stick (see above)"
	if ! cmp -s "$cfg/.config" "$out/.config"; then
		cp "$cfg/.config" "$out/.config"
		log "[$k] new .config"
	fi
}

[ -f "$src/Makefile" ] || die "source tree $src missing"
t0=$(now)
make_config
log "[$k] building bzImage and modules (-j$NCPU, ccache)"
make -C "$src" O="$out" CC="$KCC" -j"$NCPU" olddefconfig >/dev/null 2>&1
if ! make -C "$src" O="$out" CC="$KCC" -j"$NCPU" $targets \
	> "$out/build.log" 2>&1; then
	grep -E 'error|Error' "$out/build.log" | head -30 >&2
	die "[$k] kernel build failed, see $out/build.log"
fi
rel=$(cat "$out/include/config/kernel.release")
if [ "$k" = i386 ]; then
	log "[$k] built Linux $rel (i386) in $(( $(now) - t0 ))s ($(grep -c warning: "$out/build.log") compiler warnings)"
	exit 0
fi
rm -rf "$BUILD/$k/mods"
make -C "$src" O="$out" INSTALL_MOD_PATH="$BUILD/$k/mods" INSTALL_MOD_STRIP=1 \
	modules_install > "$out/modules_install.log" 2>&1 ||
	die "[$k] modules_install failed, see $out/modules_install.log"
log "[$k] built Linux $rel in $(( $(now) - t0 ))s ($(grep -c warning: "$out/build.log") compiler warnings)"
