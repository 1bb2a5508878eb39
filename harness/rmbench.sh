#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host benchmark of scripts/recordmcount (part of `make bench`): our tool
# against upstream's (built from the pristine tree), each run once per
# object as kbuild runs it, on identical copies of every kernel and module
# object of the `ours` build with its __mcount_loc removed again.
#
#   rmbench.sh REPS OUT   appends "tcg KERNEL FIGURE VALUE" samples to OUT
#                         (host figures share the table's first column
#                         group), alternating the two tools REPS times
# Figures: wall time over all objects with one process per object (as
# kbuild runs it; mostly exec cost) and with one process for all of them,
# the peak RSS of that one process, and how many objects each tool failed
# on or skipped (upstream's skips every file whose name ends in
# "/ftrace.o" by design, so it loses the call sites of
# arch/x86/kernel/kprobes/ftrace.o that gcc records; it also fails on a
# section whose only symbols are weak when the assembler emitted no
# section symbol, which does not happen in this kernel).  Also checks that both
# tools recorded the same call sites wherever both succeeded.
. "$(dirname "$0")/lib.sh"

REPS=$1
OUT=$2
W=$BUILD/rmbench
OBJ=$BUILD/ours/obj
HOSTFLAGS="-O2 -fomit-frame-pointer -std=gnu11"
# The runs work on copies in tmpfs when there is one: on disk, journal and
# writeback noise moved single runs by +-30% here, on tmpfs by under 10%.
RUN=$W
[ -d /dev/shm ] && [ -w /dev/shm ] && RUN=/dev/shm/hx-rmbench.$$
rm -rf "$W"
mkdir -p "$W/in" "$RUN"
trap '[ "$RUN" = "$W" ] || rm -rf "$RUN"' EXIT

gcc $HOSTFLAGS -o "$W/rm-upstream" "$PRISTINE/scripts/recordmcount.c" &&
	gcc $HOSTFLAGS -I"$PRISTINE/tools/include" -o "$W/rm-ours" \
		"$TOP"/scripts/recordmcount*.c || die "cannot build the tools"

# Inputs: every object our tool processed, without its table.
(cd "$OBJ" && find . \( -path ./tools -o -path ./scripts \) -prune -o \
	-name '*.o' ! -name vmlinux.o -print0 |
	xargs -0 grep -l --null -F __mcount_loc) |
	while IFS= read -r -d '' f; do
		mkdir -p "$W/in/$(dirname "$f")"
		objcopy -R __mcount_loc -R .rela__mcount_loc "$OBJ/$f" "$W/in/$f"
	done
(cd "$W/in" && find . -name '*.o' | sort) > "$W/list"
log "recordmcount bench: $(wc -l < "$W/list") objects, $REPS runs per tool"

# run_tool K MODE: process a fresh copy of the inputs with tool K, once
# per object (MODE per-object, as kbuild does) or all in one process
# (MODE one); print "wall_ms peak_rss_kb failed_objects".  An object the
# tool failed on has no table afterwards.
run_tool() {
	local k=$1 r=$RUN/run-$1 t per=
	[ "$2" = per-object ] && per="-n 1"
	rm -rf "$r"
	cp -r "$W/in" "$r"
	# shellcheck disable=SC2086
	t=$(cd "$r" && /usr/bin/time -f '%e %M' xargs $per "$W/rm-$k" \
		< "$W/list" 2>&1 > /dev/null | tail -n 1)
	set -- $t
	echo "$(awk -v s="$1" 'BEGIN { print s * 1000 }') $2" \
		"$(cd "$r" && xargs grep -L -F __mcount_loc < "$W/list" | wc -l)"
}

for ((rep = 1; rep <= REPS; rep++)); do
	for k in upstream ours; do
		read -r wall _ failed < <(run_tool "$k" per-object)
		read -r wall1 peak _ < <(run_tool "$k" one)
		printf 'tcg %s %s %s\n' \
			"$k" host_recordmcount_per_object_ms "$wall" \
			"$k" host_recordmcount_one_process_ms "$wall1" \
			"$k" host_recordmcount_peak_rss_kb "$peak" \
			"$k" host_recordmcount_objects_without_table "$failed" >> "$OUT"
	done
done
python3 "$TOP/harness/mcount_sites.py" same "$RUN/run-upstream" "$RUN/run-ours"
