// SPDX-License-Identifier: GPL-2.0
/*
 * recordmcount_sites.c - find the __fentry__/mcount call sites of one
 * object and lay out the new image with its __mcount_loc table.
 *
 * A call site is a 5-byte "call rel32" (opcode 0xe8) whose rel32 field
 * carries a PC32 or PLT32 relocation against a symbol named __fentry__ or
 * mcount, inside an executable section.
 *  - In a traced section (.text, .text.*, .init.text, ...: traced_name())
 *    it gets an entry in __mcount_loc: one absolute word relocated against a
 *    non-weak symbol of the site's own section, so that the linker resolves
 *    it to this very site even when a weak function is overridden.  The
 *    section symbol is preferred; if a section has no non-weak symbol at
 *    all, a section symbol is added to .symtab (renumbering the global
 *    symbols and every reference to them).
 *  - In any other executable section the call becomes a 5-byte NOP and its
 *    relocation R_*_NONE, so that nothing ever calls the tracer from code
 *    ftrace does not know about.
 *
 * The new image is the old one (with NOPs, renumbering and the new ELF
 * header fields applied in e->buf) followed by the tail in the output
 * buffer, which holds only the new tables: [.symtab and .symtab_shndx copies],
 * a copy of the section name table with the two new names, __mcount_loc,
 * its relocations, and a new section header table.  Old headers and tables
 * stay behind as unreferenced bytes.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recordmcount.h"

#define NO_SYM	UINT32_MAX

/* Relocation types that may sit in the rel32 field of a call (both ABIs). */
#define RM_R_PC32	2	/* R_X86_64_PC32, R_386_PC32 */
#define RM_R_PLT32	4	/* R_X86_64_PLT32, R_386_PLT32 */
#define RM_R_WORD	1	/* R_X86_64_64, R_386_32 */
#define RM_R_NONE	0

static const unsigned char nop5_64[5] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
/* i386 kernels may run on CPUs without NOPL: use "ds lea 0(%esi),%esi". */
static const unsigned char nop5_32[5] = { 0x3e, 0x8d, 0x74, 0x26, 0x00 };

struct site {
	u32 sec;
	u64 off;
};

struct scan {
	struct rm_elf *e;
	bool warn;
	struct site *sites;
	size_t nsites;
	size_t cap;
	size_t nops;
	u32 *secsym;	/* per section: reference symbol or NO_SYM */
	u64 *secval;	/* per section: st_value of that symbol */
	bool *tracer;	/* per symbol: named __fentry__ or mcount */
};

/**
 * rm_buf_append() - append @n bytes to @b, growing it as needed
 * @b: the buffer
 * @src: the bytes
 * @n: how many
 *
 * Return: 0, or -1 when out of memory.
 */
int rm_buf_append(struct rm_buf *b, const void *src, size_t n)
{
	if (n > b->cap - b->len) {
		size_t cap = b->cap ? b->cap : 4096;
		unsigned char *p;

		while (cap - b->len < n) {
			if (cap > SIZE_MAX / 2)
				return -1;
			cap *= 2;
		}
		p = realloc(b->p, cap);
		if (!p)
			return -1;
		b->p = p;
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->len, src, n);
	b->len += n;
	return 0;
}

/**
 * rm_buf_pos() - file offset at which the next byte appended to @b lands
 * @b: the buffer
 *
 * Return: b->base + b->len.
 */
u64 rm_buf_pos(const struct rm_buf *b)
{
	return b->base + b->len;
}

/**
 * rm_buf_align() - pad @b with zero bytes to a multiple of @align
 * @b: the buffer
 * @align: a power of two not above 8
 *
 * Return: 0, or -1 when out of memory.
 */
int rm_buf_align(struct rm_buf *b, size_t align)
{
	static const unsigned char zero[8];

	return rm_buf_append(b, zero, (align - rm_buf_pos(b) % align) % align);
}

static void warn_at(const struct scan *sc, unsigned int sec, u64 off,
		    const char *what)
{
	if (sc->warn)
		fprintf(stderr, "recordmcount: %s: warning: %s+0x%llx: %s\n",
			sc->e->path, rm_sec_name(sc->e, sec),
			(unsigned long long)off, what);
}

static bool traced_name(const char *name)
{
	static const char *const names[] = {
		".text", ".init.text", ".ref.text", ".sched.text",
		".spinlock.text", ".irqentry.text", ".softirqentry.text",
		".kprobes.text", ".cpuidle.text",
	};
	size_t i;

	if (!strncmp(name, ".text.", 6))
		return true;
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

static bool is_exec(const struct rm_shdr *s)
{
	return (s->flags & SHF_EXECINSTR) && s->type == SHT_PROGBITS;
}

static int add_site(struct scan *sc, u32 sec, u64 off)
{
	if (sc->nsites == sc->cap) {
		size_t cap = sc->cap ? 2 * sc->cap : 256;
		struct site *n = realloc(sc->sites, cap * sizeof(*n));

		if (!n)
			return rm_fail(sc->e, "out of memory");
		sc->sites = n;
		sc->cap = cap;
	}
	sc->sites[sc->nsites].sec = sec;
	sc->sites[sc->nsites].off = off;
	sc->nsites++;
	return 0;
}

/* Turn the call at @off of section @sec into a NOP, its relocation @r
 * (entry @idx of @rsec) into R_*_NONE.
 */
static void make_nop(struct scan *sc, unsigned int rsec, size_t idx,
		     struct rm_rel *r, u64 off)
{
	struct rm_elf *e = sc->e;
	const struct rm_shdr *rs = &e->sh[rsec];
	const struct rm_shdr *ts = &e->sh[rs->info];
	bool rela = rs->type == SHT_RELA;

	memcpy(e->buf + ts->offset + off, e->is64 ? nop5_64 : nop5_32, 5);
	r->type = RM_R_NONE;
	rm_put_rel(e, e->buf + rs->offset + idx * rm_rel_size(e, rela), rela,
		   r);
	sc->nops++;
	warn_at(sc, rs->info, off, "call in an untraced section made a NOP");
}

/* Mark the symbols named __fentry__ or mcount, once per object. */
static int find_tracer_syms(struct scan *sc)
{
	struct rm_elf *e = sc->e;
	struct rm_sym s;
	size_t i;

	sc->tracer = calloc(e->nsyms ? e->nsyms : 1, sizeof(*sc->tracer));
	if (!sc->tracer)
		return rm_fail(e, "out of memory");
	for (i = 1; i < e->nsyms; i++) {
		const char *name;

		rm_get_sym(e, i, &s);
		name = rm_sym_name(e, &s);
		sc->tracer[i] = !strcmp(name, "__fentry__") ||
				!strcmp(name, "mcount");
	}
	return 0;
}

/* Classify relocation @idx of relocation section @rsec. */
static int scan_rel(struct scan *sc, unsigned int rsec, size_t idx)
{
	struct rm_elf *e = sc->e;
	const struct rm_shdr *rs = &e->sh[rsec];
	const struct rm_shdr *ts = &e->sh[rs->info];
	const char *tname = rm_sec_name(e, rs->info);
	struct rm_rel r;
	u64 off;

	rm_get_rel(e, rs, idx, &r);
	if (r.sym >= e->nsyms)
		return rm_fail(e, "%s: relocation %zu: symbol %u out of range",
			       rm_sec_name(e, rsec), idx, r.sym);
	if (!sc->tracer[r.sym])
		return 0;
	if (r.type == RM_R_NONE)
		return 0;	/* already a NOP */
	if (r.type != RM_R_PC32 && r.type != RM_R_PLT32) {
		warn_at(sc, rs->info, r.offset,
			"reference of another type than a call's, ignored");
		return 0;
	}
	if (r.offset < 1 || r.offset > ts->size || ts->size - r.offset < 4)
		return rm_fail(e, "%s: relocation at 0x%llx outside section %s",
			       rm_sec_name(e, rsec),
			       (unsigned long long)r.offset, tname);
	off = r.offset - 1;
	if (e->buf[ts->offset + off] != 0xe8) {
		warn_at(sc, rs->info, off, "not a call instruction, ignored");
		return 0;
	}
	if (traced_name(tname))
		return add_site(sc, rs->info, off);
	make_nop(sc, rsec, idx, &r, off);
	return 0;
}

static int scan_sites(struct scan *sc)
{
	struct rm_elf *e = sc->e;
	unsigned int i;
	size_t j, n;

	for (i = 1; i < e->shnum; i++) {
		const struct rm_shdr *rs = &e->sh[i];

		if (rs->type != SHT_REL && rs->type != SHT_RELA)
			continue;
		if (!rs->info || !is_exec(&e->sh[rs->info]))
			continue;
		n = rs->size / rs->entsize;
		for (j = 0; j < n; j++)
			if (scan_rel(sc, i, j))
				return -1;
	}
	return 0;
}

static int cmp_site(const void *a, const void *b)
{
	const struct site *x = a, *y = b;

	if (x->sec != y->sec)
		return x->sec < y->sec ? -1 : 1;
	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return 0;
}

static void sort_sites(struct scan *sc)
{
	size_t i, n = 0;

	qsort(sc->sites, sc->nsites, sizeof(*sc->sites), cmp_site);
	for (i = 0; i < sc->nsites; i++)
		if (!n || cmp_site(&sc->sites[n - 1], &sc->sites[i]))
			sc->sites[n++] = sc->sites[i];
	sc->nsites = n;
}

/*
 * Pick, for every section, the symbol __mcount_loc entries are relative to:
 * its section symbol, else its first LOCAL or GLOBAL (never WEAK) symbol.
 */
static int pick_secsyms(struct scan *sc)
{
	struct rm_elf *e = sc->e;
	struct rm_sym s;
	size_t i;

	sc->secsym = malloc(e->shnum * sizeof(*sc->secsym));
	sc->secval = calloc(e->shnum, sizeof(*sc->secval));
	if (!sc->secsym || !sc->secval)
		return rm_fail(e, "out of memory");
	for (i = 0; i < e->shnum; i++)
		sc->secsym[i] = NO_SYM;
	for (i = 1; i < e->nsyms; i++) {
		int bind, type;

		rm_get_sym(e, i, &s);
		bind = ELF64_ST_BIND(s.info);
		type = ELF64_ST_TYPE(s.info);
		if (!s.shndx || s.shndx >= e->shnum ||
		    (bind != STB_LOCAL && bind != STB_GLOBAL))
			continue;
		if (sc->secsym[s.shndx] != NO_SYM && type != STT_SECTION)
			continue;
		if (sc->secsym[s.shndx] != NO_SYM && s.value)
			continue;	/* keep a section symbol of value 0 */
		sc->secsym[s.shndx] = i;
		sc->secval[s.shndx] = s.value;
	}
	return 0;
}

/* Map an old symbol index to its index after @nadd symbols were inserted
 * at the first global.
 */
static u32 remap(const struct rm_elf *e, u32 idx, u32 nadd)
{
	return idx >= e->sh[e->symtab].info ? idx + nadd : idx;
}

/* Renumber the symbol references in e->buf for @nadd symbols inserted
 * before the first global.
 */
static int renumber_users(struct scan *sc, u32 nadd)
{
	struct rm_elf *e = sc->e;
	struct rm_rel r;
	unsigned int i;
	size_t j, n;

	for (i = 1; i < e->shnum; i++) {
		struct rm_shdr *s = &e->sh[i];
		bool rela = s->type == SHT_RELA;

		if (s->link != e->symtab || i == e->xindex)
			continue;
		if (s->type == SHT_GROUP) {
			if (s->info >= e->nsyms)
				return rm_fail(e, "group %s: bad signature symbol %u",
					       rm_sec_name(e, i),
					       (unsigned int)s->info);
			s->info = remap(e, s->info, nadd);
			continue;
		}
		if (s->type != SHT_REL && s->type != SHT_RELA)
			return rm_fail(e, "cannot add a symbol: %s (type 0x%x) uses symbol indices",
				       rm_sec_name(e, i), (unsigned int)s->type);
		n = s->size / s->entsize;
		for (j = 0; j < n; j++) {
			unsigned char *p = e->buf + s->offset +
					   j * rm_rel_size(e, rela);

			rm_get_rel(e, s, j, &r);
			r.sym = remap(e, r.sym, nadd);
			rm_put_rel(e, p, rela, &r);
		}
	}
	return 0;
}

/* Append a copy of the symbol table (and of .symtab_shndx) with one new
 * section symbol for every section in @need, placed before the globals.
 */
static int append_symtab(struct scan *sc, const u32 *need, u32 nadd,
			 struct rm_buf *out)
{
	struct rm_elf *e = sc->e;
	struct rm_shdr *st = &e->sh[e->symtab];
	size_t symsz = rm_sym_size(e), first = st->info, i;
	unsigned char *old = e->buf + st->offset, ent[24];
	unsigned char zero[4] = { 0 }, xent[4];
	u64 xoff = 0;

	if (rm_buf_align(out, 8))
		return -1;
	st->offset = rm_buf_pos(out);
	if (rm_buf_append(out, old, first * symsz))
		return -1;
	for (i = 0; i < nadd; i++) {
		struct rm_sym s = {
			.info = ELF64_ST_INFO(STB_LOCAL, STT_SECTION),
			.raw_shndx = need[i] < SHN_LORESERVE ? need[i] :
				     SHN_XINDEX,
		};

		if (need[i] >= SHN_LORESERVE && !e->xindex)
			return rm_fail(e, "section %u needs .symtab_shndx, which is missing",
				       need[i]);
		rm_put_sym(e, ent, &s);
		if (rm_buf_append(out, ent, symsz))
			return -1;
		sc->secsym[need[i]] = first + i;
		sc->secval[need[i]] = 0;
	}
	if (rm_buf_append(out, old + first * symsz, (e->nsyms - first) * symsz))
		return -1;
	st->size += nadd * symsz;
	st->info += nadd;
	if (!e->xindex)
		return 0;

	old = e->buf + e->sh[e->xindex].offset;
	xoff = rm_buf_pos(out);
	if (rm_buf_append(out, old, first * 4))
		return -1;
	for (i = 0; i < nadd; i++) {
		rm_set_le(xent, 4, need[i] < SHN_LORESERVE ? 0 : need[i]);
		if (rm_buf_append(out, need[i] < SHN_LORESERVE ? zero : xent, 4))
			return -1;
	}
	if (rm_buf_append(out, old + first * 4, (e->nsyms - first) * 4))
		return -1;
	e->sh[e->xindex].offset = xoff;
	e->sh[e->xindex].size += nadd * 4;
	return 0;
}

/* Give every section with sites and no usable symbol a section symbol. */
static int add_missing_syms(struct scan *sc, struct rm_buf *out,
			    struct rm_stats *st)
{
	struct rm_elf *e = sc->e;
	u32 *need, nadd = 0;
	size_t i;
	int ret;

	need = malloc((sc->nsites + 1) * sizeof(*need));
	if (!need)
		return rm_fail(e, "out of memory");
	for (i = 0; i < sc->nsites; i++) {
		u32 sec = sc->sites[i].sec;

		if (sc->secsym[sec] == NO_SYM && (!nadd || need[nadd - 1] != sec))
			need[nadd++] = sec;
	}
	ret = 0;
	if (nadd) {
		ret = renumber_users(sc, nadd);
		for (i = 0; i < e->shnum; i++)
			if (sc->secsym[i] != NO_SYM)
				sc->secsym[i] = remap(e, sc->secsym[i], nadd);
		if (!ret)
			ret = append_symtab(sc, need, nadd, out);
	}
	st->new_syms = nadd;
	free(need);
	return ret;
}

/* Append the name table copy, __mcount_loc, its relocations and the new
 * section header table; point the ELF header at them.
 */
static int append_tables(struct scan *sc, struct rm_buf *out)
{
	struct rm_elf *e = sc->e;
	bool rela = e->is64;
	size_t word = e->is64 ? 8 : 4, relsz = rm_rel_size(e, rela), i;
	const char *relname = rela ? ".rela__mcount_loc" : ".rel__mcount_loc";
	size_t namelen = strlen(relname) + 1;
	struct rm_shdr *strs = &e->sh[e->shstrndx];
	struct rm_shdr loc = { 0 }, rel = { 0 };
	unsigned int total = e->shnum + 2;
	unsigned char ent[64];	/* an Elf64_Shdr, the largest record written */
	u64 shoff;

	if (rm_buf_align(out, 8))
		return -1;
	rel.name = strs->size;
	loc.name = rel.name + namelen - 1 - strlen("__mcount_loc");
	if (rm_buf_append(out, e->buf + strs->offset, strs->size) ||
	    rm_buf_append(out, relname, namelen))
		return -1;
	strs->offset = rm_buf_pos(out) - strs->size - namelen;
	strs->size += namelen;

	if (rm_buf_align(out, word))
		return -1;
	loc.type = SHT_PROGBITS;
	loc.flags = SHF_ALLOC;
	loc.offset = rm_buf_pos(out);
	loc.size = sc->nsites * word;
	loc.addralign = word;
	loc.entsize = word;
	for (i = 0; i < sc->nsites; i++) {
		const struct site *s = &sc->sites[i];
		u64 addend = s->off - sc->secval[s->sec];

		/* RELA: the addend is in the relocation, the word stays 0. */
		memset(ent, 0, sizeof(ent));
		if (!rela)
			rm_set_le(ent, 4, addend);
		if (rm_buf_append(out, ent, word))
			return -1;
	}

	rel.type = rela ? SHT_RELA : SHT_REL;
	rel.flags = SHF_INFO_LINK;
	rel.offset = rm_buf_pos(out);
	rel.size = sc->nsites * relsz;
	rel.link = e->symtab;
	rel.info = e->shnum;
	rel.addralign = word;
	rel.entsize = relsz;
	for (i = 0; i < sc->nsites; i++) {
		const struct site *s = &sc->sites[i];
		struct rm_rel r = {
			.offset = i * word,
			.sym = sc->secsym[s->sec],
			.type = RM_R_WORD,
			.addend = (s64)(s->off - sc->secval[s->sec]),
		};

		rm_put_rel(e, ent, rela, &r);
		if (rm_buf_append(out, ent, relsz))
			return -1;
	}

	if (rm_buf_align(out, 8))
		return -1;
	shoff = rm_buf_pos(out);
	if (total >= SHN_LORESERVE)
		e->sh[0].size = total;
	for (i = 0; i < e->shnum + 2U; i++) {
		const struct rm_shdr *s = i < e->shnum ? &e->sh[i] :
					  i == e->shnum ? &loc : &rel;

		rm_put_shdr(e, ent, s);
		if (rm_buf_append(out, ent, rm_shdr_size(e)))
			return -1;
	}
	rm_put_ehdr_tables(e, e->buf, shoff, total);
	return 0;
}

static bool has_mcount_loc(const struct rm_elf *e)
{
	unsigned int i;

	for (i = 1; i < e->shnum; i++)
		if (!strcmp(rm_sec_name(e, i), "__mcount_loc"))
			return true;
	return false;
}

static enum rm_result build_image(struct scan *sc, struct rm_buf *out,
				  struct rm_stats *st)
{
	struct rm_elf *e = sc->e;

	st->nops = sc->nops;
	st->sites = sc->nsites;
	out->base = e->size;
	if (!sc->nsites)
		return RM_REWRITTEN;	/* only NOPs */
	sort_sites(sc);
	st->sites = sc->nsites;
	if (pick_secsyms(sc) || add_missing_syms(sc, out, st) ||
	    append_tables(sc, out))
		return RM_ERROR;
	return RM_REWRITTEN;
}

/**
 * rm_record() - compute the new image of one object
 * @e: a parsed object (rm_elf_parse()); NOPs are written into e->buf
 * @warn: print a warning for each call made a NOP or ignored
 * @out: an empty buffer; receives the tail of the new image
 * @st: receives what was done
 *
 * Return: RM_REWRITTEN when the new image is e->buf followed by @out,
 * RM_UNCHANGED or
 * RM_ALREADY_DONE if the object must stay as it is, or RM_ERROR with the
 * reason in e->err.
 */
enum rm_result rm_record(struct rm_elf *e, bool warn, struct rm_buf *out,
			 struct rm_stats *st)
{
	struct scan sc = { .e = e, .warn = warn };
	enum rm_result res = RM_UNCHANGED;

	memset(st, 0, sizeof(*st));
	if (has_mcount_loc(e))
		return RM_ALREADY_DONE;
	if (!e->symtab)
		return RM_UNCHANGED;
	if (find_tracer_syms(&sc) || scan_sites(&sc))
		res = RM_ERROR;
	else if (sc.nsites || sc.nops)
		res = build_image(&sc, out, st);
	free(sc.tracer);
	free(sc.sites);
	free(sc.secsym);
	free(sc.secval);
	return res;
}
