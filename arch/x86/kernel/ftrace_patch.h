/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ftrace_patch.h - the x86 ftrace patch engine (ftrace_patch.c), as used
 * by ftrace.c, ftrace_tramp.c and the engine's tests.  The int3 hook that
 * traps.c calls is declared in <asm/text-patching.h>, with the kernel's
 * own text-patching interface; the page window has ftrace_poke.h.
 */
#ifndef _X86_KERNEL_FTRACE_PATCH_H
#define _X86_KERNEL_FTRACE_PATCH_H

#include <linux/types.h>
#include <linux/unaligned.h>
#include <linux/compiler.h>
#include <asm/ftrace.h>
#include <asm/nops.h>
#include <asm/text-patching.h>

/*
 * The engine's API is exported to its KUnit tests only, GPL-only, and only
 * in a kernel that builds them (EXPORT_SYMBOL_IF_KUNIT alone would export
 * it whenever KUnit is configured, and to any module).  harness/
 * exportcheck.sh checks both kinds of kernel.
 */
#if IS_ENABLED(CONFIG_FTRACE_PATCH_KUNIT_TEST)
#define EXPORT_SYMBOL_IF_FP_KUNIT(sym)	\
	EXPORT_SYMBOL_NS_GPL(sym, EXPORTED_FOR_KUNIT_TESTING)
#else
#define EXPORT_SYMBOL_IF_FP_KUNIT(sym)	__ADDRESSABLE(sym)
#endif

/* Labels inside ftrace_64.S that per-ops trampolines are built from. */
void ftrace_caller_end(void);
void ftrace_caller_op_ptr(void);
void ftrace_regs_caller_end(void);
void ftrace_regs_caller_op_ptr(void);
void ftrace_regs_caller_jmp(void);

/* What the call @insn (5 bytes) at @ip calls, or 0 if it is not a call. */
static inline unsigned long ftrace_call_dest(const u8 *insn, unsigned long ip)
{
	if (insn[0] != CALL_INSN_OPCODE)
		return 0;
	/* keep "ip + 5" from being a relocation into ftrace_caller (objtool) */
	OPTIMIZER_HIDE_VAR(ip);
	return ip + CALL_INSN_SIZE + (s32)get_unaligned((const u32 *)&insn[1]);
}

/*
 * The 5 bytes of a call from the site @ip to @to, or of the 5-byte NOP
 * if @to is 0, in *@insn (byte 0 lowest); false if @to is out of a
 * call's reach.
 */
static __always_inline bool ftrace_patch_insn(unsigned long ip,
					      unsigned long to, u64 *insn)
{
	long rel = (long)to - (long)(ip + CALL_INSN_SIZE);

	if (!to) {
		*insn = get_unaligned((const u32 *)x86_nops[5]) |
			(u64)x86_nops[5][4] << 32;
		return true;
	}
	if (rel != (s32)rel)
		return false;
	*insn = CALL_INSN_OPCODE | (u64)(u32)rel << 8;
	return true;
}

/*
 * One site of a batch: it holds @old now and must hold @new afterwards.
 * A site whose @new is @old is left alone, unless @open_same asks to open
 * it anyway, so that ftrace_patch_retarget() can change it later in the
 * run without a sync of its own.  The engine fills @err (0; -EFAULT: not
 * text or unmapped; -EINVAL: not @old, or @new is none of a call to
 * kernel text, a jmp and the 5-byte NOP) and, for -EINVAL, @actual with
 * the bytes it found.  A site with an error is left untouched.
 */
struct ftrace_patch_site {
	unsigned long ip;
	u8 old[MCOUNT_INSN_SIZE];
	u8 new[MCOUNT_INSN_SIZE];
	u8 actual[MCOUNT_INSN_SIZE];
	bool open_same;
	int err;
};

/* Counters of the engine's work (statistics only), read by its tests. */
struct ftrace_patch_stats {
	unsigned long batches;	/* groups of sites opened */
	unsigned long runs;	/* protocol runs (closes) */
	unsigned long syncs;	/* all-CPU serializations */
	unsigned long sites;	/* sites written */
	unsigned long failed;	/* sites refused (err != 0) */
};

/*
 * The core's count of live records (upstream's kernel/trace/ftrace.c,
 * declared in its private kernel/trace/trace.h): ftrace.c sizes a tracer
 * switch's buffers from it.
 */
extern unsigned long ftrace_update_tot_cnt;

/* ftrace_patch_open() flags */
#define FTRACE_PATCH_ALL	BIT(0)	/* one site refused: open none */

int ftrace_patch_reserve(unsigned int nr);
int ftrace_patch_open(struct ftrace_patch_site *sites, unsigned int nr,
		      unsigned int flags);
int ftrace_patch_retarget(unsigned long ip, const u8 *insn);
void ftrace_patch_close(void);
int ftrace_patch_batch(struct ftrace_patch_site *sites, unsigned int nr);
struct ftrace_site_change;
int ftrace_patch_changes(struct ftrace_site_change *c, unsigned int nr);
void ftrace_patch_perf_event(unsigned long ip, const void *old,
			     const void *new);

/* For the engine's test modules only (FTRACE_PATCH_TEST, _KUNIT_TEST). */
void ftrace_patch_get_stats(struct ftrace_patch_stats *st);
unsigned int ftrace_patch_failures(struct ftrace_patch_site *out,
				   unsigned int max);
int ftrace_patch_test_foreign_jmp(unsigned long ip);
unsigned int ftrace_patch_test_records(unsigned int *want);
void ftrace_patch_kunit_lock(void);
void ftrace_patch_kunit_unlock(void);
int ftrace_arch_kunit_make_nop(unsigned long ip, const void **expected);

#endif /* _X86_KERNEL_FTRACE_PATCH_H */
