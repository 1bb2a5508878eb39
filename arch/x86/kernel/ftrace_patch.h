/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ftrace_patch.h - the x86 ftrace patch engine (ftrace_patch.c) and its
 * page window (ftrace_poke.c), as used by arch/x86/kernel/ftrace.c and by
 * the int3 trap handler in traps.c.
 */
#ifndef _X86_KERNEL_FTRACE_PATCH_H
#define _X86_KERNEL_FTRACE_PATCH_H

#include <linux/types.h>
#include <linux/unaligned.h>
#include <linux/compiler.h>
#include <asm/page.h>
#include <asm/pgtable_types.h>
#include <asm/ftrace.h>
#include <asm/text-patching.h>

/* Labels inside ftrace_64.S that per-ops trampolines are built from. */
void ftrace_caller_end(void);
void ftrace_caller_op_ptr(void);
void ftrace_regs_caller_end(void);
void ftrace_regs_caller_op_ptr(void);
void ftrace_regs_caller_jmp(void);

struct pt_regs;
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
 * Inline: consecutive sites are mostly in the page mapped last.
 *
 * Return: as __fpoke_map().
 */
static inline int fpoke_map(struct fpoke_window *w, unsigned long ip,
			    size_t len)
{
	if ((ip & PAGE_MASK) == w->last &&
	    ((ip + len - 1) & PAGE_MASK) == w->last)
		return 0;
	return __fpoke_map(w, ip, len);
}

/* What the call @insn (5 bytes) at @ip calls, or 0 if it is not a call. */
static inline unsigned long ftrace_call_dest(const u8 *insn, unsigned long ip)
{
	if (insn[0] != CALL_INSN_OPCODE)
		return 0;
	/* keep "ip + 5" from being a relocation into ftrace_caller (objtool) */
	OPTIMIZER_HIDE_VAR(ip);
	return ip + CALL_INSN_SIZE + (s32)get_unaligned((const u32 *)&insn[1]);
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

/*
 * One site of a batch: it holds @old now and must hold @new afterwards.
 * A site whose @new is @old is left alone, unless @open_same asks to open
 * it anyway, so that ftrace_patch_retarget() can change it later in the
 * run without a sync of its own.  The engine fills @err (0, -EFAULT: not
 * text or unmapped, -EINVAL: not @old, or -ENOMEM) and, on -EINVAL,
 * @actual with the bytes it found.  A site with an error is left
 * untouched.
 */
struct ftrace_patch_site {
	unsigned long ip;
	u8 old[MCOUNT_INSN_SIZE];
	u8 new[MCOUNT_INSN_SIZE];
	u8 actual[MCOUNT_INSN_SIZE];
	bool open_same;
	int err;
};

/* Counters of the engine's work, readable for tests and benchmarks. */
struct ftrace_patch_stats {
	unsigned long batches;	/* groups of sites opened */
	unsigned long runs;	/* protocol runs (closes) */
	unsigned long syncs;	/* all-CPU serializations */
	unsigned long sites;	/* sites written */
	unsigned long failed;	/* sites refused (err != 0) */
};

int ftrace_patch_open(struct ftrace_patch_site *sites, unsigned int nr);
int ftrace_patch_retarget(unsigned long ip, const u8 *insn);
void ftrace_patch_close(void);
int ftrace_patch_batch(struct ftrace_patch_site *sites, unsigned int nr);
void ftrace_patch_get_stats(struct ftrace_patch_stats *st);
unsigned int ftrace_patch_failures(struct ftrace_patch_site *out,
				   unsigned int max);
bool ftrace_patch_int3_handler(struct pt_regs *regs);
int ftrace_patch_test_foreign_jmp(unsigned long ip);
void ftrace_patch_kunit_lock(void);
void ftrace_patch_kunit_unlock(void);

#endif /* _X86_KERNEL_FTRACE_PATCH_H */
