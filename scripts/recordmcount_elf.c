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
 * fields; a layout lists, in file order, each field's width (W: the
 * class's address width) and the offset of the u64 member of the decoded
 * struct that holds it.  One decoder and one encoder serve every record of
 * both classes; only symbols need a layout per class, as their fields
 * come in another order.
 */
struct layout {
	unsigned int n;
	struct {
		u8 width;
		u8 member;
	} f[13];
};

/* The ELF header from e_type on (after e_ident[]). */
struct rm_ehdr {
	u64 type;
	u64 machine;
	u64 version;
	u64 entry;
	u64 phoff;
	u64 shoff;
	u64 flags;
	u64 ehsize;
	u64 phentsize;
	u64 phnum;
	u64 shentsize;
	u64 shnum;
	u64 shstrndx;
};

#define EHDR_FIELDS 13
#define SHDR_FIELDS 10
#define SYM_FIELDS 6
#define REL_FIELDS 2	/* RELA: 3 */

/* W: the width of an address, 8 bytes in ELFCLASS64, 4 in ELFCLASS32 */
#define W 0

static const struct layout ehdr_layout = { EHDR_FIELDS, {
	{ 2, offsetof(struct rm_ehdr, type) },
	{ 2, offsetof(struct rm_ehdr, machine) },
	{ 4, offsetof(struct rm_ehdr, version) },
	{ W, offsetof(struct rm_ehdr, entry) },
	{ W, offsetof(struct rm_ehdr, phoff) },
	{ W, offsetof(struct rm_ehdr, shoff) },
	{ 4, offsetof(struct rm_ehdr, flags) },
	{ 2, offsetof(struct rm_ehdr, ehsize) },
	{ 2, offsetof(struct rm_ehdr, phentsize) },
	{ 2, offsetof(struct rm_ehdr, phnum) },
	{ 2, offsetof(struct rm_ehdr, shentsize) },
	{ 2, offsetof(struct rm_ehdr, shnum) },
	{ 2, offsetof(struct rm_ehdr, shstrndx) } } };
static const struct layout shdr_layout = { SHDR_FIELDS, {
	{ 4, offsetof(struct rm_shdr, name) },
	{ 4, offsetof(struct rm_shdr, type) },
	{ W, offsetof(struct rm_shdr, flags) },
	{ W, offsetof(struct rm_shdr, addr) },
	{ W, offsetof(struct rm_shdr, offset) },
	{ W, offsetof(struct rm_shdr, size) },
	{ 4, offsetof(struct rm_shdr, link) },
	{ 4, offsetof(struct rm_shdr, info) },
	{ W, offsetof(struct rm_shdr, addralign) },
	{ W, offsetof(struct rm_shdr, entsize) } } };
static const struct layout rel_layout = { REL_FIELDS + 1, {
	{ W, offsetof(struct rm_rel, offset) },
	{ W, offsetof(struct rm_rel, info) },
	{ W, offsetof(struct rm_rel, addend) } } };
static const struct layout sym64 = { SYM_FIELDS, {
	{ 4, offsetof(struct rm_sym, name) },
	{ 1, offsetof(struct rm_sym, info) },
	{ 1, offsetof(struct rm_sym, other) },
	{ 2, offsetof(struct rm_sym, raw_shndx) },
	{ 8, offsetof(struct rm_sym, value) },
	{ 8, offsetof(struct rm_sym, size) } } };
static const struct layout sym32 = { SYM_FIELDS, {
	{ 4, offsetof(struct rm_sym, name) },
	{ 4, offsetof(struct rm_sym, value) },
	{ 4, offsetof(struct rm_sym, size) },
	{ 1, offsetof(struct rm_sym, info) },
	{ 1, offsetof(struct rm_sym, other) },
	{ 2, offsetof(struct rm_sym, raw_shndx) } } };

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

static unsigned int width(const struct rm_elf *e, const struct layout *l,
			  unsigned int i)
{
	if (l->f[i].width != W)
		return l->f[i].width;
	return e->is64 ? 8 : 4;
}

/* Decode the first @n fields of layout @l at @p into the struct at @dst. */
static void decode(const struct rm_elf *e, const struct layout *l,
		   unsigned int n, const unsigned char *p, void *dst)
{
	unsigned int i;

	for (i = 0; i < n; p += width(e, l, i), i++) {
		u64 v = rm_get_le(p, width(e, l, i));

		memcpy((char *)dst + l->f[i].member, &v, sizeof(v));
	}
}

static void encode(const struct rm_elf *e, const struct layout *l,
		   unsigned int n, unsigned char *p, const void *src)
{
	unsigned int i;

	for (i = 0; i < n; p += width(e, l, i), i++) {
		u64 v;

		memcpy(&v, (const char *)src + l->f[i].member, sizeof(v));
		rm_set_le(p, width(e, l, i), v);
	}
}

static size_t layout_size(const struct rm_elf *e, const struct layout *l,
			  unsigned int n)
{
	size_t size = 0;

	while (n--)
		size += width(e, l, n);
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
	return EI_NIDENT + layout_size(e, &ehdr_layout, EHDR_FIELDS);
}

/**
 * rm_shdr_size() - size of a section header of @e's class
 * @e: the object
 *
 * Return: the size in bytes.
 */
size_t rm_shdr_size(const struct rm_elf *e)
{
	return layout_size(e, &shdr_layout, SHDR_FIELDS);
}

/**
 * rm_sym_size() - size of a symbol of @e's class
 * @e: the object
 *
 * Return: the size in bytes.
 */
size_t rm_sym_size(const struct rm_elf *e)
{
	return layout_size(e, e->is64 ? &sym64 : &sym32, SYM_FIELDS);
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
	return layout_size(e, &rel_layout, REL_FIELDS + rela);
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

static void get_shdr(const struct rm_elf *e, const unsigned char *p,
		     struct rm_shdr *s)
{
	decode(e, &shdr_layout, SHDR_FIELDS, p, s);
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
	encode(e, &shdr_layout, SHDR_FIELDS, dst, s);
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
	struct rm_ehdr h;

	decode(e, &ehdr_layout, EHDR_FIELDS, image + EI_NIDENT, &h);
	h.shoff = shoff;
	h.shnum = shnum < SHN_LORESERVE ? shnum : 0;
	h.shstrndx = e->shstrndx < SHN_LORESERVE ? e->shstrndx : SHN_XINDEX;
	encode(e, &ehdr_layout, EHDR_FIELDS, image + EI_NIDENT, &h);
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

	decode(e, e->is64 ? &sym64 : &sym32, SYM_FIELDS, p, s);
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
	encode(e, e->is64 ? &sym64 : &sym32, SYM_FIELDS, dst, s);
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

	r->addend = 0;
	decode(e, &rel_layout, REL_FIELDS + rela, p, r);
	r->sym = e->is64 ? ELF64_R_SYM(r->info) : ELF32_R_SYM(r->info);
	r->type = e->is64 ? ELF64_R_TYPE(r->info) : ELF32_R_TYPE(r->info);
	if (!e->is64)	/* sign-extend a 32-bit addend */
		r->addend = (u64)(s64)(s32)r->addend;
}

/**
 * rm_put_rel() - encode a relocation (@r->info is made from sym and type)
 * @e: the object (gives the class)
 * @dst: where the rm_rel_size(e, rela) bytes go
 * @rela: write an Elf*_Rela (with addend) rather than an Elf*_Rel
 * @r: the relocation
 */
void rm_put_rel(const struct rm_elf *e, unsigned char *dst, bool rela,
		const struct rm_rel *r)
{
	struct rm_rel w = *r;

	w.info = e->is64 ? ELF64_R_INFO((u64)r->sym, r->type) :
			   ELF32_R_INFO(r->sym, r->type);
	encode(e, &rel_layout, REL_FIELDS + rela, dst, &w);
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
	u64 want = e->is64 ? EM_X86_64 : EM_386;
	struct rm_ehdr h;

	decode(e, &ehdr_layout, EHDR_FIELDS, e->buf + EI_NIDENT, &h);
	if (h.type != ET_REL)
		return rm_fail(e, "not a relocatable object (e_type %llu)",
			       (unsigned long long)h.type);
	if (h.machine != want)
		return rm_fail(e, "unsupported machine %llu for ELFCLASS%d (want %s)",
			       (unsigned long long)h.machine,
			       e->is64 ? 64 : 32, e->is64 ? "x86_64" : "i386");
	if (h.shentsize != rm_shdr_size(e))
		return rm_fail(e, "bad section header size %llu",
			       (unsigned long long)h.shentsize);
	*shoff = h.shoff;
	*shnum = h.shnum;
	*shstrndx = h.shstrndx;
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
			       i, (unsigned int)s->name);
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
			       (unsigned int)s->link);
	e->symtab = i;
	e->nsyms = s->size / rm_sym_size(e);
	if (s->info > e->nsyms)
		return rm_fail(e, "symbol table: first global %u beyond %zu symbols",
			       (unsigned int)s->info, e->nsyms);
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
			       rm_sec_name(e, i), (unsigned int)s->link,
			       (unsigned int)s->info);
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
