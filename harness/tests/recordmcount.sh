#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host unit tests of our scripts/recordmcount, on objects compiled here.
# Prints "ok NAME" or "not ok NAME: why" per case (hosttests.sh counts
# them); exits non-zero if any case failed.
#   HX_FUZZ_ITERS   iterations of the fuzz smoke case (default 10000)
. "$(dirname "$0")/../lib.sh"
RMT=$TOP/harness/rmtests
SITES="python3 $TOP/harness/mcount_sites.py"
W=$(mktemp -d /tmp/rmtest.XXXXXX)
trap 'rm -rf "$W"' EXIT
RM=$W/recordmcount
DEFS=("-D__weak=__attribute__((weak))" "-Dnoinline=__attribute__((noinline))"
      "-D__section(s)=__attribute__((section(s)))"
      "-Dnotrace=__attribute__((no_instrument_function))")
CF=(-O2 -fno-pie -fno-asynchronous-unwind-tables -fno-stack-protector -pg
    -mfentry "${DEFS[@]}")
nfail=0

ok() { echo "ok $1"; }
nok() { echo "not ok $1: $2"; nfail=$((nfail + 1)); }

# compile SRC OUT ARCHFLAGS...: our way (then the tool) and gcc's way
compile_pair() {
	local src=$1 out=$2
	shift 2
	gcc "${CF[@]}" "$@" -c "$RMT/$src" -o "$W/$out.o" &&
		gcc "${CF[@]}" "$@" -mrecord-mcount -c "$RMT/$src" -o "$W/$out.gcc.o" &&
		"$RM" "$W/$out.o"
}

# Our table must equal gcc's, except that gcc's sites in .rmt.untraced
# must be NOPs with us.
same_as_gcc() {
	local o=$1 want got
	want=$($SITES sites "$W/$o.gcc.o" | sed 's/^site \.rmt\.untraced/nop .rmt.untraced/' | sort)
	got=$($SITES sites "$W/$o.o" | sort)
	[ -n "$want" ] && [ "$want" = "$got" ] && return 0
	diff <(echo "$want") <(echo "$got") | head -n 6
	return 1
}

# The tool includes the kernel's tools/include, as kbuild builds it.
TOOLINC=-I$PRISTINE/tools/include
[ -d "$PRISTINE/tools/include" ] || "$TOP/harness/tree.sh" pristine > /dev/null

t_build() {
	local flags="-O2 -Wall -Wextra -Wmissing-prototypes -Wstrict-prototypes -Wshadow -Wformat=2 -Werror"
	if out=$(gcc $flags "$TOOLINC" -o "$RM" "$TOP"/scripts/recordmcount*.c 2>&1); then
		ok "build (gcc -Wall -Wextra -Werror)"
	else
		nok build "$out"
		exit 1
	fi
}

t_oracle() {
	local name=$1 src=$2 out=$3
	shift 3
	if ! compile_pair "$src" "$out" "$@"; then
		nok "$name" "compile or tool failed"
	elif d=$(same_as_gcc "$out"); then
		ok "$name ($($SITES sites "$W/$out.o" | grep -c '^site') sites, $($SITES sites "$W/$out.o" | grep -c '^nop') NOP)"
	else
		nok "$name" "tables differ from gcc -mrecord-mcount: $d"
	fi
}

t_notrace() {
	local o kind sec off inside=0
	# no site may fall inside rmt_notrace (it has no call to begin with)
	o=$(nm "$W/basic64.o" | awk '$3 == "rmt_notrace" { print $1 }')
	while read -r kind sec off; do
		[ "$sec" = .text ] && ((off >= 16#$o && off < 16#$o + 16)) &&
			inside=1
	done < <($SITES sites "$W/basic64.o")
	if [ -n "$o" ] && [ $inside = 0 ]; then
		ok "notrace function has no site"
	else
		nok notrace "a site inside rmt_notrace or symbol missing"
	fi
}

# weakonly.c: .text holds only weak symbols and no section symbol; the tool
# must add one, and after linking with strong.c (which overrides both
# functions) every entry must still point at its own call.
t_weak() {
	local m=$1 ldm=$2 n
	shift 2
	if ! compile_pair weakonly.c "weak$m" "$@" ||
	   ! gcc "${CF[@]}" "$@" -c "$RMT/strong.c" -o "$W/strong$m.o" ||
	   ! gcc "$@" -c "$RMT/stub.S" -o "$W/stub$m.o" ||
	   ! "$RM" "$W/strong$m.o"; then
		nok "weak-only object ($m-bit)" "build failed"
		return
	fi
	n=$(readelf -sW "$W/weak$m.o" | awk '$4 == "SECTION" && $7 == "1"' | wc -l)
	if [ "$n" != 1 ] || ! d=$(same_as_gcc "weak$m"); then
		nok "weak-only object ($m-bit)" "no section symbol added ($n) or table differs: ${d:-}"
		return
	fi
	if ! ld -m "$ldm" -e _start -o "$W/weak$m.exe" "$W/weak$m.o" \
		"$W/strong$m.o" "$W/stub$m.o" 2> "$W/ld.err"; then
		nok "weak override link ($m-bit)" "$(cat "$W/ld.err")"
	elif out=$($SITES linked "$W/weak$m.exe") &&
	     [ "${out##*$'\n'}" = "5 entries, 0 bad, 0 duplicates" ]; then
		ok "weak-only object and override link ($m-bit): $out"
	else
		nok "weak override link ($m-bit)" "$out"
	fi
}

# More than 65,280 sections: 33,000 functions, one section each, half of
# them weak (so half the sections need a new section symbol, which then
# needs SHN_XINDEX).
t_xindex() {
	local got
	awk 'BEGIN { for (i = 0; i < 33000; i++) {
		printf "\t.section .text.f%d,\"ax\",@progbits\n", i
		printf "\t.%s f%d\nf%d:\n\tcall __fentry__\n\tret\n",
			(i % 2 ? "weak" : "globl"), i, i } }' > "$W/big.s"
	if ! as --64 -o "$W/big.o" "$W/big.s" || ! "$RM" "$W/big.o"; then
		nok "over 65,280 sections" "assembler or tool failed"
		return
	fi
	got=$($SITES sites "$W/big.o" | awk '$1 == "site" && $3 == "0x0" &&
		$2 ~ /^\.text\.f[0-9]+$/ { n++ } END { print n + 0 }')
	if [ "$got" != 33000 ] ||
	   [ "$(readelf -sW "$W/big.o" | awk '$4 == "SECTION"' | wc -l)" != 16500 ]; then
		nok "over 65,280 sections" "$got of 33000 sites, or wrong section symbols"
	elif ! gcc -c "$RMT/stub.S" -o "$W/stub.o" ||
	     ! ld -e _start -o "$W/big.exe" "$W/big.o" "$W/stub.o" ||
	     ! out=$($SITES linked "$W/big.exe") ||
	     [ "${out##*$'\n'}" != "33000 entries, 0 bad, 0 duplicates" ]; then
		nok "over 65,280 sections" "link check: ${out:-link failed}"
	else
		ok "over 65,280 sections (66,010 after; 33,000 sites, 16,500 section symbols added, linked)"
	fi
}

t_again() {
	local f=$W/basic64.o ino out
	ino=$(stat -c %i "$f")
	cp "$f" "$W/again.ref"
	out=$("$RM" "$f" 2>&1)
	if [ $? = 0 ] && cmp -s "$f" "$W/again.ref" &&
	   [ "$(stat -c %i "$f")" = "$ino" ] &&
	   [[ $out == *"$f: __mcount_loc already present, left unchanged"* ]]; then
		ok "second run changes nothing and says so"
	else
		nok "second run" "rc/contents/inode changed or no message: $out"
	fi
}

t_untouched_cases() {
	local f=$W/plain.o ino
	gcc -O2 "${DEFS[@]}" -c "$RMT/basic.c" -o "$f" && cp "$f" "$W/plain.ref"
	ino=$(stat -c %i "$f")
	out=$("$RM" "$f" 2>&1)
	if [ $? = 0 ] && [ -z "$out" ] && cmp -s "$f" "$W/plain.ref" &&
	   [ "$(stat -c %i "$f")" = "$ino" ]; then
		ok "object without call sites left alone"
	else
		nok "object without call sites" "$out"
	fi
	gcc "${CF[@]}" -c "$RMT/basic.c" -o "$W/mode.o" && chmod 640 "$W/mode.o" &&
		"$RM" "$W/mode.o"
	if [ "$(stat -c %a "$W/mode.o")" = 640 ] &&
	   [ -z "$(find "$W" -name '*.rmc*')" ]; then
		ok "file mode kept, no temporary file left"
	else
		nok "file mode" "mode $(stat -c %a "$W/mode.o") or temp files left"
	fi
}

# poke FILE PYEXPR: patch bytes; PYEXPR sees e (mcount_sites.Elf), d
# (bytearray of the file) and struct, and may set d[...].
poke() {
	python3 - "$1" "$2" "$TOP/harness" <<'EOF'
import struct, sys
sys.path.insert(0, sys.argv[3])
import mcount_sites
e = mcount_sites.Elf(sys.argv[1])
d = bytearray(e.data)
def sec(name):
    return [s for s in e.sh if s["sname"] == name][0]
def shdr_at(name):
    i = [k for k, s in enumerate(e.sh) if s["sname"] == name][0]
    return struct.unpack_from("<Q", d, 0x28)[0] + 64 * i
exec(sys.argv[2])
open(sys.argv[1], "wb").write(d)
EOF
}

# bad NAME EXPECTED-MESSAGE FILE: the tool must fail with one line naming
# the file and the problem and leave the file byte-for-byte as it was.
bad() {
	local name=$1 msg=$2 f=$3 out rc lines
	cp "$f" "$W/bad.ref" 2> /dev/null
	out=$("$RM" "$f" 2>&1)
	rc=$?
	lines=$(printf '%s\n' "$out" | wc -l)
	if [ $rc = 1 ] && [ "$lines" = 1 ] && [[ $out == *"$f: "*"$msg"* ]] &&
	   { [ ! -e "$f" ] || cmp -s "$f" "$W/bad.ref"; } &&
	   [ -z "$(find "$W" -name '*.rmc*')" ]; then
		ok "bad input: $name"
	else
		nok "bad input: $name" "rc=$rc: $out"
	fi
}

t_bad_inputs() {
	local g=$W/good.o
	gcc "${CF[@]}" -c "$RMT/basic.c" -o "$g"
	mk() { cp "$g" "$W/$1.o"; [ -z "${2:-}" ] || poke "$W/$1.o" "$2"; }

	echo "just text" > "$W/text.o"
	bad "not ELF" "not an ELF file" "$W/text.o"
	head -c 40 "$g" > "$W/short.o"
	bad "truncated header" "truncated ELF header" "$W/short.o"
	head -c 600 "$g" > "$W/trunc.o"
	bad "truncated object" "outside the file" "$W/trunc.o"
	mk mach 'd[18:20] = struct.pack("<H", 183)'
	bad "wrong machine" "unsupported machine 183 for ELFCLASS64" "$W/mach.o"
	gcc "${CF[@]}" -m32 -c "$RMT/basic.c" -o "$W/x32.o" &&
		poke "$W/x32.o" 'd[18:20] = struct.pack("<H", 62)'
	bad "ELFCLASS32 x86_64 (x32)" "unsupported machine 62 for ELFCLASS32" "$W/x32.o"
	mk bige 'd[5] = 2'
	bad "big-endian" "not a little-endian object" "$W/bige.o"
	gcc -c "$RMT/stub.S" -o "$W/stub.o" && ld -e _start -o "$W/exe.o" "$W/stub.o"
	bad "executable, not relocatable" "not a relocatable object" "$W/exe.o"
	mk shoff 'd[0x28:0x30] = struct.pack("<Q", len(d) + 64)'
	bad "section header table past the end" "section header table offset" "$W/shoff.o"
	mk secoff 'o = shdr_at(".text"); d[o+24:o+32] = struct.pack("<Q", 1 << 40)'
	bad "section contents past the end" "outside the file" "$W/secoff.o"
	mk shstr 'd[0x3e:0x40] = struct.pack("<H", 0xfff0)'
	bad "bad name table index" "bad section name table index" "$W/shstr.o"
	mk symidx 'r = sec(".rela.text"); d[r["off"]+12:r["off"]+16] = struct.pack("<I", 99999)'
	bad "relocation symbol out of range" "symbol 99999 out of range" "$W/symidx.o"
	mk reloff 'r = [x for x in e.rel_sections() if x["sname"] == ".rela.text"][0]
rs = [k for k, x in enumerate(e.relocs(r)) if e.syms[x[1]]["name"] == "__fentry__"][0]
d[r["off"] + 24 * rs:r["off"] + 24 * rs + 8] = struct.pack("<Q", 1 << 20)'
	bad "call site outside its section" "outside section .text" "$W/reloff.o"
	mk entsz 'o = shdr_at(".symtab"); d[o+56:o+64] = struct.pack("<Q", 7)'
	bad "bad symbol entry size" "entry size 7" "$W/entsz.o"
	bad "missing file" "cannot open" "$W/nonexistent.o"

	cp "$g" "$W/multi1.o"
	out=$("$RM" "$W/multi1.o" "$W/text.o" 2>&1)
	if [ $? = 1 ] && [ "$($SITES sites "$W/multi1.o" | grep -c '^site')" -gt 0 ]; then
		ok "several files: good one processed, bad one reported, exit 1"
	else
		nok "several files" "$out"
	fi
}

t_fuzz() {
	local n=${HX_FUZZ_ITERS:-10000} f=$W/fuzz seed
	seed=${HX_FUZZ_SEED:-$(date +%s)}
	if ! gcc -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
		-fno-omit-frame-pointer "$TOOLINC" -I"$TOP/scripts" -o "$f" "$RMT/fuzz.c" \
		"$TOP/scripts/recordmcount_elf.c" "$TOP/scripts/recordmcount_sites.c"; then
		nok fuzz "sanitizer build failed"
		return
	fi
	gcc "${CF[@]}" -c "$RMT/basic.c" -o "$W/seed64.o" &&
		gcc "${CF[@]}" -m32 -c "$RMT/basic.c" -o "$W/seed32.o" &&
		gcc "${CF[@]}" -c "$RMT/weakonly.c" -o "$W/seedweak.o" &&
		cp "$W/seed64.o" "$W/seeddone.o" && "$RM" "$W/seeddone.o"
	if out=$("$f" "$n" "$seed" "$TOP/build/fuzz-crash.o" "$W"/seed*.o 2>&1); then
		ok "fuzz, ASan+UBSan, seed $seed: ${out##*fuzz: }"
	else
		nok "fuzz (seed $seed)" "$(printf '%s\n' "$out" | tail -n 8)"
	fi
}

cd "$W" || exit 1
t_build
t_oracle "x86_64 table equals gcc's" basic.c basic64
t_oracle "i386 table equals gcc's" basic.c basic32 -m32
t_notrace
t_weak 64 elf_x86_64
t_weak 32 elf_i386 -m32
t_xindex
t_again
t_untouched_cases
t_bad_inputs
t_fuzz
exit $((nfail > 0))
