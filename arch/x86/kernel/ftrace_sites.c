// SPDX-License-Identifier: GPL-2.0
/*
 * ftrace_sites.c - the patch engine as our own ftrace core takes it: a
 * plan of site changes (what each site calls now and must call, 0 for
 * the NOP) run as one protocol run of the engine, each site's outcome
 * written back.
 *
 * Unlike the adapter that serves upstream's core (ftrace.c), nothing
 * here reads or writes the core's records, guesses the order of its
 * calls, or decides what a refusal means: a refused site is left as it
 * was and reported in its change (errno, the bytes expected, the bytes
 * found); the core quarantines it and goes on with the others.
 *
 * Text not live yet (the kernel's at boot, a module's before it is
 * formed) is written directly instead: ftrace_arch_init_sites(), and
 * ftrace_arch_init_callers() for the calls in ftrace_caller and
 * ftrace_regs_caller.
 *
 * Locking: takes text_mutex around the run (the core's ftrace_lock is
 * above it).  May sleep.
 */
#include <linux/errno.h>
#include <linux/ftrace.h>
#include <linux/memory.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <asm/ftrace_sites.h>
#include <asm/ftrace.h>
#include <asm/nops.h>
#include <asm/text-patching.h>

#include "ftrace_patch.h"

/*
 * The bytes at @ip of a call to @to (0: the NOP); false if out of reach.
 * Always inline: a switch of every site asks it twice per site.
 */
static __always_inline bool fs_insn(u8 *insn, unsigned long ip,
				    unsigned long to)
{
	long rel = (long)to - (long)(ip + CALL_INSN_SIZE);

	if (!to) {
		memcpy(insn, x86_nops[5], MCOUNT_INSN_SIZE);
		return true;
	}
	if (rel != (s32)rel)
		return false;
	__text_gen_insn(insn, CALL_INSN_OPCODE, (void *)ip, (void *)to,
			CALL_INSN_SIZE);
	return true;
}

/**
 * ftrace_arch_change_sites() - run a plan of site changes
 * @data: unused (the engine's private data in struct ftrace_engine)
 * @c: the changes; each site at most once
 * @nr: how many
 *
 * Each site that holds the call (or NOP) of its ->from gets the one of
 * its ->to, all in one run of the engine (one int3 protocol run, whatever
 * @nr).  A site that does not is left alone, with ->err set and ->found
 * holding its bytes; ->expected always holds the bytes of ->from.
 *
 * Context: process context; takes text_mutex; may sleep.
 * Return: 0 (each site's outcome in its ->err), or -ENOMEM / -EEXIST if
 * the run failed whole: then no site changed.
 */
int ftrace_arch_change_sites(void *data, struct ftrace_site_change *c,
			     unsigned int nr)
{
	struct ftrace_patch_site *s;
	unsigned int i, n = 0, k;
	int ret;

	s = kvmalloc_array(nr ?: 1, sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		struct ftrace_site_change *ci = &c[i];
		struct ftrace_patch_site *si = &s[n];

		ci->err = 0;
		memset(ci->found, 0, MCOUNT_INSN_SIZE);
		if (!fs_insn(ci->expected, ci->ip, ci->from) ||
		    !fs_insn(si->new, ci->ip, ci->to)) {
			memset(ci->expected, 0, MCOUNT_INSN_SIZE);
			ci->err = -ERANGE;
			continue;
		}
		si->ip = ci->ip;
		memcpy(si->old, ci->expected, MCOUNT_INSN_SIZE);
		memset(si->actual, 0, MCOUNT_INSN_SIZE);
		si->open_same = false;
		si->err = 0;
		n++;
	}

	mutex_lock(&text_mutex);
	ret = n ? ftrace_patch_batch(s, n) : 0;
	mutex_unlock(&text_mutex);

	/* a refusal sets its site's ->err; a whole failure sets none */
	for (i = 0; ret && i < n && !s[i].err; i++)
		;
	if (ret && i == n) {
		kvfree(s);
		return ret;
	}
	for (i = 0, k = 0; i < nr; i++) {
		if (c[i].err == -ERANGE)
			continue;
		c[i].err = s[k].err;
		if (s[k].err == -EINVAL)
			memcpy(c[i].found, s[k].actual, MCOUNT_INSN_SIZE);
		k++;
	}
	kvfree(s);
	return 0;
}

/**
 * ftrace_arch_init_sites() - change sites of text that is not live yet
 * @c: the changes (what each site calls now and must call)
 * @nr: how many
 *
 * For the first conversion of the kernel's sites at boot (one CPU runs,
 * with interrupts off, and the text is still writable) and of a module's
 * before it is formed (its text not executable yet): each site holding
 * the bytes of its ->from is written directly; one that does not is left
 * alone, with ->err -EINVAL and ->found its bytes (-EFAULT if unreadable,
 * -ERANGE out of reach).  No CPU runs the sites while they change (at
 * boot only this one, which runs none of them in this loop), so one
 * serialization after the last write makes this CPU fetch them anew, and
 * the others fetch them when they start (ftrace_init() under -icount,
 * 23,500 sites: 9.15 ms with a text_poke_early() and its serialization
 * per site, 6.38 ms so).
 *
 * Context: boot, or the loader before the module runs; may not be used
 * on live text.
 */
void ftrace_arch_init_sites(struct ftrace_site_change *c, unsigned int nr)
{
	u8 cur[MCOUNT_INSN_SIZE], new[MCOUNT_INSN_SIZE];
	unsigned int i;

	for (i = 0; i < nr; i++) {
		c[i].err = 0;
		memset(c[i].found, 0, MCOUNT_INSN_SIZE);
		if (!fs_insn(c[i].expected, c[i].ip, c[i].from) ||
		    !fs_insn(new, c[i].ip, c[i].to)) {
			memset(c[i].expected, 0, MCOUNT_INSN_SIZE);
			c[i].err = -ERANGE;
			continue;
		}
		if (copy_from_kernel_nofault(cur, (void *)c[i].ip,
					     MCOUNT_INSN_SIZE)) {
			c[i].err = -EFAULT;
			continue;
		}
		if (memcmp(cur, c[i].expected, MCOUNT_INSN_SIZE)) {
			memcpy(c[i].found, cur, MCOUNT_INSN_SIZE);
			c[i].err = -EINVAL;
			continue;
		}
		memcpy((void *)c[i].ip, new, MCOUNT_INSN_SIZE);
	}
	sync_core();
}

/**
 * ftrace_arch_init_callers() - point the calls in ftrace_caller and
 * ftrace_regs_caller at the list function, at boot
 *
 * A site they serve may be covered by several ops: the list function
 * filters every call.  A site one ops alone covers calls that ops' own
 * trampoline instead (live_tramp.c), a copy with its own call.
 *
 * Context: boot, before other CPUs run.
 * Return: 0, or the error of a site not as built.
 */
int __init ftrace_arch_init_callers(void)
{
	struct ftrace_site_change c[2] = {
		{ .ip = (unsigned long)&ftrace_call },
		{ .ip = (unsigned long)&ftrace_regs_call },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		c[i].from = (unsigned long)ftrace_stub;
		c[i].to = (unsigned long)arch_ftrace_ops_list_func;
	}
	ftrace_arch_init_sites(c, ARRAY_SIZE(c));
	return c[0].err ?: c[1].err;
}
