#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Read __fentry__/mcount call-site tables of ELF objects, independently of
scripts/recordmcount (this is the checker, so it shares no code with it).

  mcount_sites.py sites OBJ...     print "section offset" of each entry of
                                   __mcount_loc, and "call"/"nop" lines for
                                   the live and NOP-ed calls outside it
  mcount_sites.py linked EXE       every __mcount_loc word of a linked
                                   executable must point at "call __fentry__"
  mcount_sites.py compare OURS UPSTREAM [SKIP...]
                                   kernel oracle: for every compiled object
                                   of the UPSTREAM build dir (gcc's
                                   -mrecord-mcount table), the same object
                                   in OURS (our tool's table) must record
                                   the same (section, offset) set; objects
                                   whose path starts with a SKIP prefix are
                                   left out (sources our overlay replaces)
  mcount_sites.py same DIR_A DIR_B every *.o of DIR_A that has a table in
                                   both dirs must have the same table in DIR_B;
                                   counts objects without a table in each
Only little-endian ELF32/ELF64 is handled: that is all the tool supports.
"""
import bisect
import os
import struct
import sys

SHT_SYMTAB, SHT_RELA, SHT_NOBITS, SHT_REL = 2, 4, 8, 9
SHT_SYMTAB_SHNDX = 18
SHF_EXECINSTR = 4
SHN_XINDEX = 0xffff
NOPS = (bytes.fromhex("0f1f440000"), bytes.fromhex("3e8d742600"))


class Elf:
    def __init__(self, path):
        with open(path, "rb") as f:
            self.data = f.read()
        d = self.data
        if d[:4] != b"\x7fELF" or d[5] != 1:
            raise ValueError(f"{path}: not a little-endian ELF file")
        self.is64 = d[4] == 2
        hdr = struct.unpack_from("<HHIQQQIHHHHHH" if self.is64
                                 else "<HHIIIIIHHHHHH", d, 16)
        self.type, self.mach, shoff = hdr[0], hdr[1], hdr[5]
        shnum, shstrndx = hdr[11], hdr[12]
        self.sh = []
        fmt, size = ("<IIQQQQIIQQ", 64) if self.is64 else ("<IIIIIIIIII", 40)
        first = struct.unpack_from(fmt, d, shoff)
        if shnum == 0:
            shnum = first[5]
        if shstrndx == SHN_XINDEX:
            shstrndx = first[6]
        for i in range(shnum):
            (name, typ, flags, addr, off, sz, link, info, _,
             ent) = struct.unpack_from(fmt, d, shoff + i * size)
            self.sh.append(dict(name=name, type=typ, flags=flags, addr=addr,
                                off=off, size=sz, link=link, info=info,
                                ent=ent))
        strs = self.sh[shstrndx]
        for s in self.sh:
            s["sname"] = self.cstr(strs["off"] + s["name"])
        self.syms = self.read_syms()

    def cstr(self, off):
        return self.data[off:self.data.index(b"\0", off)].decode()

    def read_syms(self):
        syms = []
        tabs = [i for i, s in enumerate(self.sh) if s["type"] == SHT_SYMTAB]
        if not tabs:
            return syms
        st = self.sh[tabs[0]]
        xs = [s for s in self.sh
              if s["type"] == SHT_SYMTAB_SHNDX and s["link"] == tabs[0]]
        strs = self.sh[st["link"]]
        n = st["size"] // st["ent"]
        for i in range(n):
            o = st["off"] + i * st["ent"]
            if self.is64:
                name, info, _, shndx, value, _ = struct.unpack_from(
                    "<IBBHQQ", self.data, o)
            else:
                name, value, _, info, _, shndx = struct.unpack_from(
                    "<IIIBBH", self.data, o)
            if shndx == SHN_XINDEX and xs:
                shndx = struct.unpack_from("<I", self.data,
                                           xs[0]["off"] + 4 * i)[0]
            syms.append(dict(name=self.cstr(strs["off"] + name), info=info,
                             shndx=shndx, value=value))
        return syms

    def relocs(self, rsec):
        """(offset, sym, type, addend or None) of a REL/RELA section."""
        out = []
        rela = rsec["type"] == SHT_RELA
        for i in range(rsec["size"] // rsec["ent"]):
            o = rsec["off"] + i * rsec["ent"]
            if self.is64:
                off, info = struct.unpack_from("<QQ", self.data, o)
                sym, typ = info >> 32, info & 0xffffffff
                add = struct.unpack_from("<q", self.data, o + 16)[0] \
                    if rela else None
            else:
                off, info = struct.unpack_from("<II", self.data, o)
                sym, typ = info >> 8, info & 0xff
                add = struct.unpack_from("<i", self.data, o + 8)[0] \
                    if rela else None
            out.append((off, sym, typ, add))
        return out

    def rel_sections(self):
        return [s for s in self.sh if s["type"] in (SHT_REL, SHT_RELA)]

    def table_sites(self):
        """Sorted (section name, offset) of every __mcount_loc entry."""
        locs = [i for i, s in enumerate(self.sh)
                if s["sname"] == "__mcount_loc"]
        if not locs:
            return []
        word = 8 if self.is64 else 4
        loc = self.sh[locs[0]]
        sites = []
        for r in self.rel_sections():
            if r["info"] != locs[0]:
                continue
            for off, sym, _, add in self.relocs(r):
                if add is None:
                    add = struct.unpack_from("<i", self.data,
                                             loc["off"] + off)[0]
                s = self.syms[sym]
                sec = self.sh[s["shndx"]]["sname"]
                sites.append((sec, s["value"] + add))
        if len(sites) * word != loc["size"]:
            raise ValueError("__mcount_loc size does not match relocations")
        return sorted(sites)

    def calls(self):
        """('call'|'nop', section, offset) of references to the tracer
        in executable sections."""
        out = []
        for r in self.rel_sections():
            tgt = self.sh[r["info"]]
            if not tgt["flags"] & SHF_EXECINSTR or tgt["type"] == SHT_NOBITS:
                continue
            for off, sym, typ, _ in self.relocs(r):
                if self.syms[sym]["name"] not in ("__fentry__", "mcount"):
                    continue
                at = tgt["off"] + off - 1
                code = self.data[at:at + 5]
                if typ in (2, 4) and code[0] == 0xe8:
                    out.append(("call", tgt["sname"], off - 1))
                elif typ == 0 and code in NOPS:
                    out.append(("nop", tgt["sname"], off - 1))
        return sorted(out)


def cmd_sites(paths):
    for p in paths:
        e = Elf(p)
        for sec, off in e.table_sites():
            print(f"site {sec} {off:#x}")
        recorded = set(e.table_sites())
        for kind, sec, off in e.calls():
            if kind == "nop" or (sec, off) not in recorded:
                print(f"{kind} {sec} {off:#x}")
    return 0


def cmd_linked(path):
    e = Elf(path)
    fentry = {s["value"] for s in e.syms if s["name"] == "__fentry__"}
    loc = [s for s in e.sh if s["sname"] == "__mcount_loc"][0]
    word, fmt = (8, "<Q") if e.is64 else (4, "<I")
    text = sorted((s["addr"], s["addr"] + s["size"], s["off"]) for s in e.sh
                  if s["flags"] & SHF_EXECINSTR and s["type"] != SHT_NOBITS)
    starts = [t[0] for t in text]
    n = loc["size"] // word
    addrs = [struct.unpack_from(fmt, e.data, loc["off"] + i * word)[0]
             for i in range(n)]
    bad = 0
    for i, addr in enumerate(addrs):
        k = bisect.bisect_right(starts, addr) - 1
        ok = False
        if k >= 0 and addr + 5 <= text[k][1]:
            at = text[k][2] + addr - text[k][0]
            rel = struct.unpack_from("<i", e.data, at + 1)[0]
            ok = e.data[at] == 0xe8 and addr + 5 + rel in fentry
        if not ok:
            print(f"{path}: entry {i} ({addr:#x}) is not a call to __fentry__")
            bad += 1
    dups = n - len(set(addrs))
    print(f"{n} entries, {bad} bad, {dups} duplicates")
    return 1 if bad or dups else 0


def compiled_objects(top):
    """Objects of a kbuild O= dir that the compiler made (not ld -r)."""
    for d, dirs, files in os.walk(top):
        rel = os.path.relpath(d, top)
        if rel.split(os.sep)[0] in ("tools", "scripts"):
            dirs[:] = []
            continue
        for f in files:
            if not f.endswith(".o"):
                continue
            cmd = os.path.join(d, "." + f + ".cmd")
            try:
                with open(cmd) as c:
                    line = c.readline()
            except OSError:
                continue
            if " -c " in line:
                yield os.path.normpath(os.path.join(rel, f))


def cmd_compare(ours, upstream, skip):
    nobj = nsites = nskip = 0
    diffs = []
    for obj in sorted(compiled_objects(upstream)):
        if any(obj.startswith(s) for s in skip):
            nskip += 1
            continue
        theirs = Elf(os.path.join(upstream, obj)).table_sites()
        try:
            mine_elf = Elf(os.path.join(ours, obj))
        except FileNotFoundError:
            diffs.append(f"{obj}: missing in ours")
            continue
        mine = mine_elf.table_sites()
        live = [c for c in mine_elf.calls()
                if c[0] == "call" and (c[1], c[2]) not in set(mine)]
        nobj += 1
        nsites += len(theirs)
        if mine != theirs:
            a, b = set(mine), set(theirs)
            diffs.append(f"{obj}: {len(a - b)} sites only ours "
                         f"{sorted(a - b)[:3]}, {len(b - a)} only gcc "
                         f"{sorted(b - a)[:3]}")
        if live:
            diffs.append(f"{obj}: {len(live)} live calls neither "
                         f"recorded nor NOP-ed, e.g. {live[0]}")
    for d in diffs:
        print("DIFF " + d)
    print(f"mcount oracle: {nobj} objects, {nsites} call sites compared "
          f"with gcc -mrecord-mcount, {nskip} skipped (overlay sources), "
          f"{len(diffs)} differences")
    return 1 if diffs or not nsites else 0


def cmd_same(a, b):
    objs = sorted(os.path.relpath(os.path.join(d, f), a)
                  for d, _, files in os.walk(a) for f in files
                  if f.endswith(".o"))
    both = sites = only_a = only_b = 0
    diffs = []
    for obj in objs:
        ta = Elf(os.path.join(a, obj)).table_sites()
        tb = Elf(os.path.join(b, obj)).table_sites()
        only_a += bool(ta) and not tb
        only_b += bool(tb) and not ta
        if ta and tb:
            both += 1
            sites += len(ta)
            if ta != tb:
                diffs.append(obj)
    for d in diffs:
        print(f"DIFF {d}")
    print(f"{len(objs)} objects: {both} with tables from both tools "
          f"({sites} sites), {len(diffs)} differing; without a table: "
          f"{only_b} in {a} only, {only_a} in {b} only")
    return 1 if diffs else 0


def main(argv):
    if len(argv) >= 2 and argv[0] == "sites":
        return cmd_sites(argv[1:])
    if len(argv) == 2 and argv[0] == "linked":
        return cmd_linked(argv[1])
    if len(argv) == 3 and argv[0] == "same":
        return cmd_same(argv[1], argv[2])
    if len(argv) >= 3 and argv[0] == "compare":
        return cmd_compare(argv[1], argv[2], argv[3:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
