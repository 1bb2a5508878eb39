// SPDX-License-Identifier: GPL-2.0
/*
 * ftrace_patch_32.c - the patch engine's interface (ftrace_patch.h) for
 * 32-bit x86, on the kernel's own batch text patcher.
 *
 * The x86_64 engine (ftrace_patch.c, ftrace_poke.c) writes text through
 * aliases in a 2 GiB window of poking_mm placed at __START_KERNEL_map's
 * offset, which only exists on x86_64.  Here a group is checked whole,
 * like there, then written with text_poke_queue() and text_poke_finish():
 * when ftrace_patch_open() returns, every CPU runs the new instructions,
 * as the interface promises, and text_poke_bp_batch() reports each site
 * to perf and emulates it meanwhile.  A group costs what upstream's x86
 * code costs (three syncs per 256 sites); a retarget is one
 * text_poke_bp() of its own.
 *
 * Locking: text_mutex, held by every caller, guards fp32_open.
 */
#define pr_fmt(fmt) "ftrace patch: " fmt

#include <linux/kallsyms.h>
#include <linux/memory.h>
#include <linux/ftrace.h>
#include <linux/uaccess.h>

#include <asm/nops.h>
#include <asm/text-patching.h>

#include "ftrace_patch.h"

/* Sites opened with ->open_same in this run: the ones retarget may move. */
#define FP32_OPEN	8
static struct {
	unsigned long ip[FP32_OPEN];
	unsigned int nr;
} fp32_open;

/* A call to kernel text, a jmp, or the 5-byte NOP: what may be written. */
static bool fp32_new_ok(const struct ftrace_patch_site *s)
{
	switch (s->new[0]) {
	case CALL_INSN_OPCODE:
		return kernel_text_address(ftrace_call_dest(s->new, s->ip));
	case JMP32_INSN_OPCODE:
		return true;
	default:
		return !memcmp(s->new, x86_nops[5], MCOUNT_INSN_SIZE);
	}
}

/* Check one site; 0 if it may be written. */
static int fp32_check(struct ftrace_patch_site *s)
{
	if (!kernel_text_address(s->ip) ||
	    copy_from_kernel_nofault(s->actual, (void *)s->ip,
				     MCOUNT_INSN_SIZE))
		return -EFAULT;
	if (memcmp(s->actual, s->old, MCOUNT_INSN_SIZE)) {
		pr_warn_ratelimited("site %pS: found %5phN, expected %5phN\n",
				    (void *)s->ip, s->actual, s->old);
		return -EINVAL;
	}
	if (!fp32_new_ok(s)) {
		pr_warn_ratelimited("site %pS: will not write %5phN\n",
				    (void *)s->ip, s->new);
		return -EINVAL;
	}
	return 0;
}

/**
 * ftrace_patch_reserve() - nothing to reserve: the kernel's batch
 * patcher has its own fixed vector
 * @nr: sites of the next request
 *
 * Return: 0.
 */
int ftrace_patch_reserve(unsigned int nr)
{
	lockdep_assert_held(&text_mutex);
	return 0;
}

/**
 * ftrace_patch_open() - check a group of sites whole, then write it
 * @sites: the sites, in any order (kept)
 * @nr: how many
 * @flags: FTRACE_PATCH_ALL: if a site is refused, write none
 *
 * Context: process context, text_mutex held; may sleep.
 * Return: 0, or the first refused site's error (see ftrace_patch.h);
 * -ENOMEM if more sites ask to be retargeted than this engine keeps.
 */
int ftrace_patch_open(struct ftrace_patch_site *sites, unsigned int nr,
		      unsigned int flags)
{
	unsigned int i, refused = 0, same = 0;
	int first = 0;

	might_sleep();
	lockdep_assert_held(&text_mutex);
	for (i = 0; i < nr; i++) {
		sites[i].err = fp32_check(&sites[i]);
		if (sites[i].err && !refused++)
			first = sites[i].err;
		same += !sites[i].err && sites[i].open_same;
	}
	if (fp32_open.nr + same > FP32_OPEN) {
		for (i = 0; i < nr; i++)
			sites[i].err = 0;
		return -ENOMEM;
	}
	if (refused && (flags & FTRACE_PATCH_ALL))
		return first;
	for (i = 0; i < nr; i++) {
		struct ftrace_patch_site *s = &sites[i];

		if (s->err)
			continue;
		if (s->open_same)
			fp32_open.ip[fp32_open.nr++] = s->ip;
		if (memcmp(s->old, s->new, MCOUNT_INSN_SIZE))
			text_poke_queue((void *)s->ip, s->new, MCOUNT_INSN_SIZE,
					NULL);
		if (!((i + 1) % 1024))
			cond_resched();
	}
	text_poke_finish();
	return first;
}

/**
 * ftrace_patch_retarget() - give a site opened in this run with
 * ->open_same another new instruction, now
 * @ip: the site
 * @insn: its instruction from now on
 *
 * Context: process context, text_mutex held; may sleep.
 * Return: 0, or -ENOENT if @ip was not opened so (nothing changed).
 */
int ftrace_patch_retarget(unsigned long ip, const u8 *insn)
{
	unsigned int i;

	lockdep_assert_held(&text_mutex);
	for (i = 0; i < fp32_open.nr; i++) {
		if (fp32_open.ip[i] != ip)
			continue;
		text_poke_bp((void *)ip, insn, MCOUNT_INSN_SIZE, NULL);
		return 0;
	}
	return -ENOENT;
}

/**
 * ftrace_patch_close() - end the run: its sites are written already
 *
 * Context: text_mutex held.
 */
void ftrace_patch_close(void)
{
	lockdep_assert_held(&text_mutex);
	fp32_open.nr = 0;
}

/**
 * ftrace_patch_batch() - patch a batch of sites completely
 * @sites: the sites, in any order (kept)
 * @nr: how many
 *
 * Context: process context, text_mutex held; may sleep.
 * Return: as ftrace_patch_open() without flags.
 */
int ftrace_patch_batch(struct ftrace_patch_site *sites, unsigned int nr)
{
	int ret = ftrace_patch_open(sites, nr, 0);

	ftrace_patch_close();
	return ret;
}
