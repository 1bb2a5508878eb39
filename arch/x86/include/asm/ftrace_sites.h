/* SPDX-License-Identifier: GPL-2.0 */
/*
 * asm/ftrace_sites.h - what our ftrace core (kernel/trace/ftrace_core/)
 * asks of the x86 patch engine: one plan of site changes, each site's
 * current and new call in, each site's outcome out
 * (arch/x86/kernel/ftrace_sites.c).
 */
#ifndef _ASM_X86_FTRACE_SITES_H
#define _ASM_X86_FTRACE_SITES_H

#include <linux/types.h>
#include <asm/ftrace.h>

/**
 * struct ftrace_site_change - one site of a plan
 * @ip: the site
 * @from: what it calls now, 0 for the NOP
 * @to: what it must call, 0 for the NOP
 * @err: out: 0 if the site holds @to now, else why it was left alone
 *       (-EINVAL: it did not hold @from, or @to is not text; -EFAULT:
 *       not text or unmapped; -ERANGE: @from or @to out of a call's reach)
 * @expected: out, when @err is set: the bytes of @from (zeros for -ERANGE)
 * @found: out, when @err is set: the bytes the site held for -EINVAL
 *         (@from's own if @to was refused), zeros otherwise
 *
 * The out fields need no clearing: the engine sets @err of every site.
 */
struct ftrace_site_change {
	unsigned long ip;
	unsigned long from;
	unsigned long to;
	int err;
	u8 expected[MCOUNT_INSN_SIZE];
	u8 found[MCOUNT_INSN_SIZE];
};

int ftrace_arch_change_sites(void *data, struct ftrace_site_change *c,
			     unsigned int nr);

void ftrace_arch_init_sites(struct ftrace_site_change *c, unsigned int nr);
int ftrace_arch_init_callers(void);

struct ftrace_ops;
bool ftrace_tramp_fits(const struct ftrace_ops *ops);
unsigned long ftrace_tramp_detach(struct ftrace_ops *ops);
void ftrace_tramp_release(unsigned long tramp);

#endif /* _ASM_X86_FTRACE_SITES_H */
