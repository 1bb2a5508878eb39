/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ftrace_poke.h - the page window of the ftrace patch engine
 * (ftrace_poke.c): writable aliases of text pages in poking_mm, as used
 * by ftrace_patch.c only.  Every function here requires text_mutex.
 */
#ifndef _X86_KERNEL_FTRACE_POKE_H
#define _X86_KERNEL_FTRACE_POKE_H

#include <linux/types.h>
#include <linux/unaligned.h>
#include <asm/page.h>
#include <asm/pgtable_types.h>

struct mm_struct;

/* One alias of a text page: its address and its PTE in poking_mm. */
struct fpoke_alias {
	unsigned long va;
	pte_t *ptep;
};

/* The text pages one protocol run has given aliases in poking_mm. */
struct fpoke_window {
	struct fpoke_alias *map;	/* mapped aliases */
	unsigned int nr, cap;
	unsigned long last;	/* page of the last fpoke_map() */
	pte_t *ptbl;		/* PTE table of the last alias mapped, */
	unsigned long ptbl_va;	/* covering the PMD_SIZE from here */
	unsigned long irqflags;
	struct mm_struct *prev_mm;
};

int __fpoke_map(struct fpoke_window *w, unsigned long ip, size_t len);
void fpoke_unmap(struct fpoke_window *w);
void fpoke_begin(struct fpoke_window *w);
void fpoke_end(struct fpoke_window *w);

/* Alias of __START_KERNEL_map in poking_mm; set by the first map. */
extern unsigned long fpoke_base;

/**
 * fpoke_map() - give the text pages of @len bytes at @ip their aliases
 * @w: the window of this run
 * @ip: first byte, kernel or module text
 * @len: bytes, at most a page
 *
 * Always inline: consecutive sites are mostly in the page mapped last,
 * and a switch of every site asks it 22,000 times.
 *
 * Return: as __fpoke_map().
 */
static __always_inline int fpoke_map(struct fpoke_window *w,
				     unsigned long ip, size_t len)
{
	if ((ip & PAGE_MASK) == w->last &&
	    ((ip + len - 1) & PAGE_MASK) == w->last)
		return 0;
	return __fpoke_map(w, ip, len);
}

static inline void *fpoke_alias(unsigned long addr)
{
	return (void *)(fpoke_base + (addr - __START_KERNEL_map));
}

/* Byte and 32-bit writes of mapped text, between fpoke_begin()/end(). */
static inline void fpoke_put8(unsigned long ip, u8 v)
{
	*(u8 *)fpoke_alias(ip) = v;
}

static inline void fpoke_put32(unsigned long ip, u32 v)
{
	put_unaligned(v, (u32 *)fpoke_alias(ip));
}

#endif /* _X86_KERNEL_FTRACE_POKE_H */
