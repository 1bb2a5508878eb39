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
#include <linux/string.h>

#include <asm/ftrace_sites.h>
#include <asm/ftrace.h>
#include <asm/nops.h>
#include <asm/text-patching.h>

#include "ftrace_patch.h"

/**
 * ftrace_arch_change_sites() - run a plan of site changes
 * @data: unused (the engine's private data in struct ftrace_engine)
 * @c: the changes; each site at most once
 * @nr: how many
 *
 * Each site that holds the call (or NOP) of its ->from gets the one of
 * its ->to, all in one run of the engine (one int3 protocol run, whatever
 * @nr), the plan read straight into the run (ftrace_patch_changes()).  A
 * site that is refused is left alone, with ->err set, ->expected holding
 * the bytes of ->from and ->found its own (for -EINVAL; zeros else).
 *
 * Context: process context; takes text_mutex; may sleep.
 * Return: 0 (each site's outcome in its ->err), or -ENOMEM / -EEXIST if
 * the run failed whole: then no site changed.
 */
int ftrace_arch_change_sites(void *data, struct ftrace_site_change *c,
			     unsigned int nr)
{
	int ret;

	if (!nr)
		return 0;
	mutex_lock(&text_mutex);
	ret = ftrace_patch_changes(c, nr);
	mutex_unlock(&text_mutex);
	return ret;
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
	u64 old, new, cur = 0;
	unsigned int i;

	for (i = 0; i < nr; i++) {
		c[i].err = 0;
		memset(c[i].found, 0, MCOUNT_INSN_SIZE);
		memset(c[i].expected, 0, MCOUNT_INSN_SIZE);
		if (!ftrace_patch_insn(c[i].ip, c[i].from, &old) ||
		    !ftrace_patch_insn(c[i].ip, c[i].to, &new)) {
			c[i].err = -ERANGE;
			continue;
		}
		memcpy(c[i].expected, &old, MCOUNT_INSN_SIZE);
		if (copy_from_kernel_nofault(&cur, (void *)c[i].ip,
					     MCOUNT_INSN_SIZE)) {
			c[i].err = -EFAULT;
			continue;
		}
		if (cur != old) {
			memcpy(c[i].found, &cur, MCOUNT_INSN_SIZE);
			c[i].err = -EINVAL;
			continue;
		}
		memcpy((void *)c[i].ip, &new, MCOUNT_INSN_SIZE);
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
