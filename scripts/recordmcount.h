/* SPDX-License-Identifier: GPL-2.0 */
/*
 * recordmcount.h - declarations shared by the files of scripts/recordmcount.
 *
 * The tool reads one relocatable ELF object at a time into memory
 * (struct rm_elf), finds its calls to __fentry__/mcount, and writes a
 * complete new image of the object beside it (the modified e->buf followed
 * by the new tables), which then replaces the original by rename().
 * Nothing is ever written into the original file.
 *
 * Files:
 *   recordmcount.c       command line, file I/O, atomic replacement
 *   recordmcount_elf.c   ELF decoding, validation and encoding for both
 *                        ELFCLASS64/EM_X86_64 and ELFCLASS32/EM_386
 *   recordmcount_sites.c call-site discovery, NOP conversion and the
 *                        layout of the new __mcount_loc sections
 *
 * Built with -I tools/include for the kernel's u8..u64, __printf and
 * ARRAY_SIZE, as scripts/sorttable is.
 *
 * Invariants: after rm_elf_parse() succeeds, every section header, symbol
 * and relocation the other files may read lies inside the file image, and
 * every name is NUL-terminated inside its string table.  Accessors never
 * check bounds again.  Section contents may be modified in e->buf (NOPs,
 * symbol renumbering, ELF header); the section header array e->sh is the
 * one written out.
 */
#ifndef RECORDMCOUNT_H
#define RECORDMCOUNT_H

#include <linux/compiler.h>
#include <linux/kernel.h>
#include <linux/types.h>

/*
 * Decoded records.  Every field is a u64 whatever its width on disk, so
 * that one table-driven codec (recordmcount_elf.c) fills them all.
 */
struct rm_shdr {
	u64 name;
	u64 type;
	u64 flags;
	u64 addr;
	u64 offset;
	u64 size;
	u64 link;
	u64 info;
	u64 addralign;
	u64 entsize;
};

/* A symbol; @shndx is the real section index (SHN_XINDEX resolved). */
struct rm_sym {
	u64 name;
	u64 info;
	u64 other;
	u64 raw_shndx;
	u64 value;
	u64 size;
	u64 shndx;
};

/*
 * A relocation of either kind: @info as on disk, split into @sym and
 * @type; @addend is 0 for SHT_REL entries.
 */
struct rm_rel {
	u64 offset;
	u64 info;
	u64 addend;
	u32 sym;
	u32 type;
};

struct rm_elf {
	const char *path;
	unsigned char *buf;	/* the whole object; private copy */
	size_t size;
	bool is64;		/* ELFCLASS64/EM_X86_64, else ELFCLASS32/EM_386 */
	unsigned int shnum;	/* real count, SHN_XINDEX resolved */
	unsigned int shstrndx;	/* real index, SHN_XINDEX resolved */
	struct rm_shdr *sh;	/* shnum decoded headers */
	unsigned int symtab;	/* index of SHT_SYMTAB, 0 if none */
	unsigned int xindex;	/* index of its SHT_SYMTAB_SHNDX, 0 if none */
	size_t nsyms;
	char err[256];		/* why the last call failed */
};

/* Sizes of the on-disk structures for the object's class. */
size_t rm_ehdr_size(const struct rm_elf *e);
size_t rm_shdr_size(const struct rm_elf *e);
size_t rm_sym_size(const struct rm_elf *e);
size_t rm_rel_size(const struct rm_elf *e, bool rela);

__printf(2, 3) int rm_fail(struct rm_elf *e, const char *fmt, ...);

int rm_elf_parse(struct rm_elf *e);
const char *rm_sec_name(const struct rm_elf *e, unsigned int idx);
const char *rm_sym_name(const struct rm_elf *e, const struct rm_sym *s);

void rm_get_sym(const struct rm_elf *e, size_t idx, struct rm_sym *s);
void rm_put_sym(const struct rm_elf *e, unsigned char *dst,
		const struct rm_sym *s);
void rm_get_rel(const struct rm_elf *e, const struct rm_shdr *sec,
		size_t idx, struct rm_rel *r);
void rm_put_rel(const struct rm_elf *e, unsigned char *dst, bool rela,
		const struct rm_rel *r);
void rm_put_shdr(const struct rm_elf *e, unsigned char *dst,
		 const struct rm_shdr *s);
void rm_put_ehdr_tables(const struct rm_elf *e, unsigned char *image,
			u64 shoff, unsigned int shnum);

u64 rm_get_le(const unsigned char *p, unsigned int width);
void rm_set_le(unsigned char *p, unsigned int width, u64 v);

/*
 * The growing tail of a new image: the bytes that follow the (modified)
 * object in e->buf, which the tail starts after (@base = e->size).
 */
struct rm_buf {
	unsigned char *p;
	size_t len;
	size_t cap;
	u64 base;
};

int rm_buf_append(struct rm_buf *b, const void *src, size_t n);
u64 rm_buf_pos(const struct rm_buf *b);
int rm_buf_align(struct rm_buf *b, size_t align);

/* Outcome of rm_record() for one object. */
enum rm_result {
	RM_ERROR = -1,
	RM_UNCHANGED,		/* no call sites: nothing to write */
	RM_ALREADY_DONE,	/* __mcount_loc present: left alone */
	RM_REWRITTEN,		/* new image: e->buf, then @out */
};

struct rm_stats {
	size_t sites;		/* recorded in __mcount_loc */
	size_t nops;		/* turned into NOPs (untraced sections) */
	size_t new_syms;	/* section symbols added to .symtab */
};

enum rm_result rm_record(struct rm_elf *e, bool warn, struct rm_buf *out,
			 struct rm_stats *st);

#endif /* RECORDMCOUNT_H */
