// SPDX-License-Identifier: GPL-2.0
/*
 * recordmcount_elf.c - decode, validate and encode ELF relocatable objects
 * for scripts/recordmcount.
 *
 * Supported: little-endian ET_REL objects of class ELFCLASS64 with
 * machine EM_X86_64, and of class ELFCLASS32 with machine EM_386.  All
 * fields are read and written byte by byte in little-endian order, so the
 * tool gives the same result on any host.  Both classes share one code path:
 * a table of field widths per record and class drives one decoder and one
 * encoder.
 *
 * rm_elf_parse() checks every header, table and string the rest of the
 * tool will touch against the size of the file before anything else runs;
 * see the invariants in recordmcount.h.
 */
#include <elf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recordmcount.h"

/*
 * On-disk layouts.  Every ELF record is a packed sequence of little-endian
 * fields; a layout lists, in file order, which field comes next and its
 * width.  One decoder and one encoder serve both classes, whose records
 * differ in field widths and, for symbols, in field order.
 */
struct layout {
	unsigned int n;
	struct {
		u8 id;
		u8 width;
	} f[13];
};

enum { EH_TYPE, EH_MACHINE, EH_VERSION, EH_ENTRY, EH_PHOFF, EH_SHOFF,
	EH_FLAGS, EH_EHSIZE, EH_PHENTSIZE, EH_PHNUM, EH_SHENTSIZE, EH_SHNUM,
	EH_SHSTRNDX, EH_N };
enum { SH_NAME, SH_TYPE, SH_FLAGS, SH_ADDR, SH_OFFSET, SH_SIZE, SH_LINK,
	SH_INFO, SH_ADDRALIGN, SH_ENTSIZE, SH_N };
enum { ST_NAME, ST_INFO, ST_OTHER, ST_SHNDX, ST_VALUE, ST_SIZE, ST_N };
enum { R_OFFSET, R_INFO, R_ADDEND, R_N };

/* The ELF header from e_type on (after e_ident[]). */
static const struct layout ehdr64 = { EH_N, {
	{ EH_TYPE, 2 }, { EH_MACHINE, 2 }, { EH_VERSION, 4 }, { EH_ENTRY, 8 },
	{ EH_PHOFF, 8 }, { EH_SHOFF, 8 }, { EH_FLAGS, 4 }, { EH_EHSIZE, 2 },
	{ EH_PHENTSIZE, 2 }, { EH_PHNUM, 2 }, { EH_SHENTSIZE, 2 },
	{ EH_SHNUM, 2 }, { EH_SHSTRNDX, 2 } } };
static const struct layout ehdr32 = { EH_N, {
	{ EH_TYPE, 2 }, { EH_MACHINE, 2 }, { EH_VERSION, 4 }, { EH_ENTRY, 4 },
	{ EH_PHOFF, 4 }, { EH_SHOFF, 4 }, { EH_FLAGS, 4 }, { EH_EHSIZE, 2 },
	{ EH_PHENTSIZE, 2 }, { EH_PHNUM, 2 }, { EH_SHENTSIZE, 2 },
	{ EH_SHNUM, 2 }, { EH_SHSTRNDX, 2 } } };
static const struct layout shdr64 = { SH_N, {
	{ SH_NAME, 4 }, { SH_TYPE, 4 }, { SH_FLAGS, 8 }, { SH_ADDR, 8 },
	{ SH_OFFSET, 8 }, { SH_SIZE, 8 }, { SH_LINK, 4 }, { SH_INFO, 4 },
	{ SH_ADDRALIGN, 8 }, { SH_ENTSIZE, 8 } } };
static const struct layout shdr32 = { SH_N, {
	{ SH_NAME, 4 }, { SH_TYPE, 4 }, { SH_FLAGS, 4 }, { SH_ADDR, 4 },
	{ SH_OFFSET, 4 }, { SH_SIZE, 4 }, { SH_LINK, 4 }, { SH_INFO, 4 },
	{ SH_ADDRALIGN, 4 }, { SH_ENTSIZE, 4 } } };
static const struct layout sym64 = { ST_N, {
	{ ST_NAME, 4 }, { ST_INFO, 1 }, { ST_OTHER, 1 }, { ST_SHNDX, 2 },
	{ ST_VALUE, 8 }, { ST_SIZE, 8 } } };
static const struct layout sym32 = { ST_N, {
	{ ST_NAME, 4 }, { ST_VALUE, 4 }, { ST_SIZE, 4 }, { ST_INFO, 1 },
	{ ST_OTHER, 1 }, { ST_SHNDX, 2 } } };
static const struct layout rela64 = { R_N, {
	{ R_OFFSET, 8 }, { R_INFO, 8 }, { R_ADDEND, 8 } } };
static const struct layout rela32 = { R_N, {
	{ R_OFFSET, 4 }, { R_INFO, 4 }, { R_ADDEND, 4 } } };

/**
 * rm_get_le() - read a little-endian unsigned field
 * @p: its first byte
 * @width: its size in bytes, at most 8
 *
 * Return: the value.
 */
u64 rm_get_le(const unsigned char *p, unsigned int width)
{
	u64 v = 0;

	while (width--)
		v = v << 8 | p[width];
	return v;
}

/**
 * rm_set_le() - write a little-endian field
 * @p: its first byte
 * @width: its size in bytes, at most 8
 * @v: the value, truncated to @width bytes
 */
void rm_set_le(unsigned char *p, unsigned int width, u64 v)
{
	unsigned int i;

	for (i = 0; i < width; i++, v >>= 8)
		p[i] = (unsigned char)v;
}

/* Decode the first @n fields of layout @l at @p into @v (indexed by id). */
static void decode(const struct layout *l, unsigned int n,
		   const unsigned char *p, u64 *v)
{
	unsigned int i;

	for (i = 0; i < n; p += l->f[i].width, i++)
		v[l->f[i].id] = rm_get_le(p, l->f[i].width);
}

static void encode(const struct layout *l, unsigned int n, unsigned char *p,
		   const u64 *v)
{
	unsigned int i;

	for (i = 0; i < n; p += l->f[i].width, i++)
		rm_set_le(p, l->f[i].width, v[l->f[i].id]);
}

static size_t layout_size(const struct layout *l, unsigned int n)
{
	size_t size = 0;

	while (n--)
		size += l->f[n].width;
	return size;
}

/**
 * rm_ehdr_size() - size of the ELF header of @e's class
 * @e: the object
 *
 * Return: the size in bytes.
 */
size_t rm_ehdr_size(const struct rm_elf *e)
{
	return EI_NIDENT + layout_size(e->is64 ? &ehdr64 : &ehdr32, EH_N);
}

/**
 * rm_shdr_size() - size of a section header of @e's class
 * @e: the object
 *
 * Return: the size in bytes.
 */
size_t rm_shdr_size(const struct rm_elf *e)
{
	return layout_size(e->is64 ? &shdr64 : &shdr32, SH_N);
}

/**
 * rm_sym_size() - size of a symbol of @e's class
 * @e: the object
 *
 * Return: the size in bytes.
 */
size_t rm_sym_size(const struct rm_elf *e)
{
	return layout_size(e->is64 ? &sym64 : &sym32, ST_N);
}

/**
 * rm_rel_size() - size of a relocation of @e's class
 * @e: the object
 * @rela: with an addend (SHT_RELA) or without (SHT_REL)
 *
 * Return: the size in bytes.
 */
size_t rm_rel_size(const struct rm_elf *e, bool rela)
{
	return layout_size(e->is64 ? &rela64 : &rela32, rela ? R_N : R_ADDEND);
}

/**
 * rm_fail() - record why processing of @e failed
 * @e: the object
 * @fmt: printf format of the one-line reason
 *
 * Return: -1, so that callers can write "return rm_fail(...)".
 */
int rm_fail(struct rm_elf *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->err, sizeof(e->err), fmt, ap);
	va_end(ap);
	return -1;
}

static const struct layout *ehdr_l(const struct rm_elf *e)
{
	return e->is64 ? &ehdr64 : &ehdr32;
}

static void get_shdr(const struct rm_elf *e, const unsigned char *p,
		     struct rm_shdr *s)
{
	u64 v[SH_N];

	decode(e->is64 ? &shdr64 : &shdr32, SH_N, p, v);
	s->name = v[SH_NAME];
	s->type = v[SH_TYPE];
	s->flags = v[SH_FLAGS];
	s->addr = v[SH_ADDR];
	s->offset = v[SH_OFFSET];
	s->size = v[SH_SIZE];
	s->link = v[SH_LINK];
	s->info = v[SH_INFO];
	s->addralign = v[SH_ADDRALIGN];
	s->entsize = v[SH_ENTSIZE];
}

/**
 * rm_put_shdr() - encode a section header
 * @e: the object (gives the class)
 * @dst: where the rm_shdr_size(e) bytes go
 * @s: the header
 */
void rm_put_shdr(const struct rm_elf *e, unsigned char *dst,
		 const struct rm_shdr *s)
{
	const u64 v[SH_N] = {
		[SH_NAME] = s->name, [SH_TYPE] = s->type,
		[SH_FLAGS] = s->flags, [SH_ADDR] = s->addr,
		[SH_OFFSET] = s->offset, [SH_SIZE] = s->size,
		[SH_LINK] = s->link, [SH_INFO] = s->info,
		[SH_ADDRALIGN] = s->addralign, [SH_ENTSIZE] = s->entsize,
	};

	encode(e->is64 ? &shdr64 : &shdr32, SH_N, dst, v);
}

/**
 * rm_put_ehdr_tables() - point the ELF header of @image at a new section
 * header table
 * @e: the object
 * @image: the output image; it starts with a copy of the ELF header
 * @shoff: file offset of the new table
 * @shnum: number of headers in it (extended numbering used as needed;
 *         the caller has already stored section 0 in the table)
 */
void rm_put_ehdr_tables(const struct rm_elf *e, unsigned char *image,
			u64 shoff, unsigned int shnum)
{
	u64 v[EH_N];

	decode(ehdr_l(e), EH_N, image + EI_NIDENT, v);
	v[EH_SHOFF] = shoff;
	v[EH_SHNUM] = shnum < SHN_LORESERVE ? shnum : 0;
	v[EH_SHSTRNDX] = e->shstrndx < SHN_LORESERVE ? e->shstrndx : SHN_XINDEX;
	encode(ehdr_l(e), EH_N, image + EI_NIDENT, v);
}

/**
 * rm_get_sym() - decode symbol @idx of the symbol table
 * @e: a parsed object with a symbol table
 * @idx: symbol index, below e->nsyms
 * @s: result; s->shndx has SHN_XINDEX resolved
 */
void rm_get_sym(const struct rm_elf *e, size_t idx, struct rm_sym *s)
{
	const unsigned char *p = e->buf + e->sh[e->symtab].offset +
				 idx * rm_sym_size(e);
	u64 v[ST_N];

	decode(e->is64 ? &sym64 : &sym32, ST_N, p, v);
	s->name = v[ST_NAME];
	s->info = v[ST_INFO];
	s->other = v[ST_OTHER];
	s->raw_shndx = v[ST_SHNDX];
	s->value = v[ST_VALUE];
	s->size = v[ST_SIZE];
	s->shndx = s->raw_shndx;
	if (s->raw_shndx == SHN_XINDEX)
		s->shndx = e->xindex ?
			rm_get_le(e->buf + e->sh[e->xindex].offset + idx * 4, 4) : 0;
	else if (s->raw_shndx >= SHN_LORESERVE)
		s->shndx = 0;	/* ABS, COMMON: no section of ours */
}

/**
 * rm_put_sym() - encode a symbol (raw_shndx is written, not shndx)
 * @e: the object (gives the class)
 * @dst: where the rm_sym_size(e) bytes go
 * @s: the symbol
 */
void rm_put_sym(const struct rm_elf *e, unsigned char *dst,
		const struct rm_sym *s)
{
	const u64 v[ST_N] = {
		[ST_NAME] = s->name, [ST_INFO] = s->info,
		[ST_OTHER] = s->other, [ST_SHNDX] = s->raw_shndx,
		[ST_VALUE] = s->value, [ST_SIZE] = s->size,
	};

	encode(e->is64 ? &sym64 : &sym32, ST_N, dst, v);
}

/**
 * rm_get_rel() - decode relocation @idx of section @sec
 * @e: a parsed object
 * @sec: a validated SHT_REL or SHT_RELA section of @e
 * @idx: entry index
 * @r: result
 */
void rm_get_rel(const struct rm_elf *e, const struct rm_shdr *sec,
		size_t idx, struct rm_rel *r)
{
	bool rela = sec->type == SHT_RELA;
	const unsigned char *p = e->buf + sec->offset +
				 idx * rm_rel_size(e, rela);
	u64 v[R_N] = { 0 };

	decode(e->is64 ? &rela64 : &rela32, rela ? R_N : R_ADDEND, p, v);
	r->offset = v[R_OFFSET];
	r->sym = e->is64 ? ELF64_R_SYM(v[R_INFO]) : ELF32_R_SYM(v[R_INFO]);
	r->type = e->is64 ? ELF64_R_TYPE(v[R_INFO]) : ELF32_R_TYPE(v[R_INFO]);
	/* sign-extend the addend from its width */
	r->addend = e->is64 ? (s64)v[R_ADDEND] : (s64)(s32)v[R_ADDEND];
}

/**
 * rm_put_rel() - encode a relocation
 * @e: the object (gives the class)
 * @dst: where the rm_rel_size(e, rela) bytes go
 * @rela: write an Elf*_Rela (with addend) rather than an Elf*_Rel
 * @r: the relocation
 */
void rm_put_rel(const struct rm_elf *e, unsigned char *dst, bool rela,
		const struct rm_rel *r)
{
	const u64 v[R_N] = {
		[R_OFFSET] = r->offset,
		[R_INFO] = e->is64 ? ELF64_R_INFO((u64)r->sym, r->type) :
				     ELF32_R_INFO(r->sym, r->type),
		[R_ADDEND] = (u64)r->addend,
	};

	encode(e->is64 ? &rela64 : &rela32, rela ? R_N : R_ADDEND, dst, v);
}

/* Is [off, off + len) inside the file? */
static bool in_file(const struct rm_elf *e, u64 off, u64 len)
{
	return off <= e->size && len <= e->size - off;
}

static const char *str_at(const struct rm_elf *e, unsigned int strsec,
			  u32 off)
{
	return (const char *)e->buf + e->sh[strsec].offset + off;
}

/* Is string @off of string table @strsec NUL-terminated inside it? */
static bool str_ok(const struct rm_elf *e, unsigned int strsec, u32 off)
{
	const struct rm_shdr *s = &e->sh[strsec];

	return off < s->size &&
	       memchr(str_at(e, strsec, off), '\0', s->size - off);
}

/**
 * rm_sec_name() - name of section @idx (validated by rm_elf_parse())
 * @e: a parsed object
 * @idx: section index below e->shnum
 *
 * Return: the name, inside e->buf.
 */
const char *rm_sec_name(const struct rm_elf *e, unsigned int idx)
{
	return str_at(e, e->shstrndx, e->sh[idx].name);
}

/**
 * rm_sym_name() - name of symbol @s, or "" if it has none or a bad one
 * @e: a parsed object with a symbol table
 * @s: a symbol of it
 *
 * Return: the name, inside e->buf, or a constant empty string.
 */
const char *rm_sym_name(const struct rm_elf *e, const struct rm_sym *s)
{
	unsigned int strsec = e->sh[e->symtab].link;

	if (!str_ok(e, strsec, s->name))
		return "";
	return str_at(e, strsec, s->name);
}

static int check_ident(struct rm_elf *e)
{
	const unsigned char *id = e->buf;

	if (e->size < EI_NIDENT || memcmp(id, ELFMAG, SELFMAG))
		return rm_fail(e, "not an ELF file");
	if (id[EI_CLASS] != ELFCLASS32 && id[EI_CLASS] != ELFCLASS64)
		return rm_fail(e, "unknown ELF class %u", id[EI_CLASS]);
	if (id[EI_DATA] != ELFDATA2LSB)
		return rm_fail(e, "not a little-endian object (EI_DATA %u)",
			       id[EI_DATA]);
	if (id[EI_VERSION] != EV_CURRENT)
		return rm_fail(e, "unknown ELF version %u", id[EI_VERSION]);
	e->is64 = id[EI_CLASS] == ELFCLASS64;
	if (e->size < rm_ehdr_size(e))
		return rm_fail(e, "truncated ELF header (%zu bytes)", e->size);
	return 0;
}

static int check_ehdr(struct rm_elf *e, u64 *shoff, u64 *shnum,
		      u64 *shstrndx)
{
	u64 v[EH_N], want = e->is64 ? EM_X86_64 : EM_386;

	decode(ehdr_l(e), EH_N, e->buf + EI_NIDENT, v);
	if (v[EH_TYPE] != ET_REL)
		return rm_fail(e, "not a relocatable object (e_type %llu)",
			       (unsigned long long)v[EH_TYPE]);
	if (v[EH_MACHINE] != want)
		return rm_fail(e, "unsupported machine %llu for ELFCLASS%d (want %s)",
			       (unsigned long long)v[EH_MACHINE],
			       e->is64 ? 64 : 32, e->is64 ? "x86_64" : "i386");
	if (v[EH_SHENTSIZE] != rm_shdr_size(e))
		return rm_fail(e, "bad section header size %llu",
			       (unsigned long long)v[EH_SHENTSIZE]);
	*shoff = v[EH_SHOFF];
	*shnum = v[EH_SHNUM];
	*shstrndx = v[EH_SHSTRNDX];
	if (!*shoff || !in_file(e, *shoff, rm_shdr_size(e)))
		return rm_fail(e, "section header table offset 0x%llx outside the file",
			       (unsigned long long)*shoff);
	return 0;
}

static int read_shdrs(struct rm_elf *e)
{
	u64 shoff = 0, shnum = 0, shstrndx = 0, i;
	struct rm_shdr s0;

	if (check_ehdr(e, &shoff, &shnum, &shstrndx))
		return -1;
	get_shdr(e, e->buf + shoff, &s0);
	if (shnum == 0)
		shnum = s0.size;	/* extended section numbering */
	if (shstrndx == SHN_XINDEX)
		shstrndx = s0.link;
	if (shnum == 0 || shnum > (e->size - shoff) / rm_shdr_size(e))
		return rm_fail(e, "section header table (%llu entries at 0x%llx) outside the file",
			       (unsigned long long)shnum,
			       (unsigned long long)shoff);
	if (shstrndx == 0 || shstrndx >= shnum)
		return rm_fail(e, "bad section name table index %llu",
			       (unsigned long long)shstrndx);
	e->shnum = shnum;
	e->shstrndx = shstrndx;
	e->sh = calloc(shnum, sizeof(*e->sh));
	if (!e->sh)
		return rm_fail(e, "out of memory");
	for (i = 0; i < shnum; i++)
		get_shdr(e, e->buf + shoff + i * rm_shdr_size(e), &e->sh[i]);
	return 0;
}

static int check_section(struct rm_elf *e, unsigned int i)
{
	const struct rm_shdr *s = &e->sh[i];

	if (s->type != SHT_NOBITS && s->type != SHT_NULL &&
	    !in_file(e, s->offset, s->size))
		return rm_fail(e, "section %u (offset 0x%llx, size 0x%llx) outside the file",
			       i, (unsigned long long)s->offset,
			       (unsigned long long)s->size);
	if (i && !str_ok(e, e->shstrndx, s->name))
		return rm_fail(e, "section %u has a bad name offset 0x%x",
			       i, s->name);
	return 0;
}

static int check_table(struct rm_elf *e, unsigned int i, u64 entsize)
{
	const struct rm_shdr *s = &e->sh[i];

	if (s->entsize != entsize || s->size % entsize)
		return rm_fail(e, "section %s: entry size %llu, size %llu (want entries of %llu)",
			       rm_sec_name(e, i), (unsigned long long)s->entsize,
			       (unsigned long long)s->size,
			       (unsigned long long)entsize);
	return 0;
}

static int check_symtab(struct rm_elf *e, unsigned int i)
{
	const struct rm_shdr *s = &e->sh[i];

	if (e->symtab)
		return rm_fail(e, "more than one symbol table");
	if (check_table(e, i, rm_sym_size(e)))
		return -1;
	if (s->link == 0 || s->link >= e->shnum ||
	    e->sh[s->link].type != SHT_STRTAB)
		return rm_fail(e, "symbol table links to bad string table %u",
			       s->link);
	e->symtab = i;
	e->nsyms = s->size / rm_sym_size(e);
	if (s->info > e->nsyms)
		return rm_fail(e, "symbol table: first global %u beyond %zu symbols",
			       s->info, e->nsyms);
	return 0;
}

static int check_rel(struct rm_elf *e, unsigned int i)
{
	const struct rm_shdr *s = &e->sh[i];
	bool rela = s->type == SHT_RELA;

	if (check_table(e, i, rm_rel_size(e, rela)))
		return -1;
	if (s->link != e->symtab || s->info >= e->shnum)
		return rm_fail(e, "relocation section %s: bad link %u or info %u",
			       rm_sec_name(e, i), s->link, s->info);
	return 0;
}

static int check_xindex(struct rm_elf *e)
{
	unsigned int i;

	for (i = 1; i < e->shnum; i++) {
		const struct rm_shdr *s = &e->sh[i];

		if (s->type != SHT_SYMTAB_SHNDX || s->link != e->symtab)
			continue;
		if (e->xindex)
			return rm_fail(e, "more than one SHT_SYMTAB_SHNDX section");
		if (check_table(e, i, 4) || s->size / 4 != e->nsyms)
			return rm_fail(e, "%s: %llu bytes for %zu symbols",
				       rm_sec_name(e, i),
				       (unsigned long long)s->size, e->nsyms);
		e->xindex = i;
	}
	return 0;
}

/**
 * rm_elf_parse() - validate the object in e->buf and decode its headers
 * @e: e->buf, e->size and e->path set
 *
 * Return: 0, or -1 with the reason in e->err.
 */
int rm_elf_parse(struct rm_elf *e)
{
	unsigned int i;

	if (check_ident(e) || read_shdrs(e))
		return -1;
	if (e->sh[e->shstrndx].type != SHT_STRTAB ||
	    check_section(e, e->shstrndx) || e->sh[e->shstrndx].size == 0)
		return rm_fail(e, "bad section name table");
	for (i = 0; i < e->shnum; i++)
		if (check_section(e, i))
			return -1;
	for (i = 1; i < e->shnum; i++)
		if (e->sh[i].type == SHT_SYMTAB && check_symtab(e, i))
			return -1;
	for (i = 1; i < e->shnum; i++) {
		if (e->sh[i].type != SHT_REL && e->sh[i].type != SHT_RELA)
			continue;
		if (!e->symtab)
			return rm_fail(e, "relocations without a symbol table");
		if (check_rel(e, i))
			return -1;
	}
	return e->symtab ? check_xindex(e) : 0;
}
