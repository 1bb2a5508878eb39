// SPDX-License-Identifier: GPL-2.0
/*
 * quarantine.c - the registry's quarantine: sites the engine refused.
 *
 * A site the engine refused (its bytes were not what its state says, as
 * after another patcher wrote a jmp over it, or it could not be mapped)
 * gets the state FTRACE_ACCT_QUARANTINE: the accounting skips it from
 * then on, no later plan names it, so it is never written again, and the
 * check leaves it out.  It is reported once, with its function, the
 * bytes expected, the bytes found and the errno, and kept in the
 * registry's list; nr_quarantined counts the quarantined sites,
 * nr_calling those that may still hold the call to a caller they were
 * refused to leave (the list function must then keep testing each ops'
 * sets, live_calls.c).  A going chunk's sites leave both.
 *
 * Locking: r->lock (ftrace_lock), as for every registry call (update.c);
 * states are stored with WRITE_ONCE() for lockless readers.
 *
 * The core never traces itself: every function here is notrace.
 */
#define pr_fmt(fmt) "ftrace: " fmt

#include <linux/limits.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"

/* Was @ch refused while its site called a caller (which it may still)? */
static notrace bool q_calling(struct ftrace_registry *r,
			      const struct ftrace_site_change *ch)
{
	return ch->from && (ch->from == r->engine->caller ||
			    ch->from == r->engine->regs_caller);
}

/**
 * ftrace_reg_quarantine() - quarantine the site of a refused change
 * @r: the registry
 * @ch: the refused change (its site in a chunk r->next walks)
 *
 * The site is never written again, left out of the accounting, reported
 * once (unless r->quiet) and listed.  Called for each refusal of a plan,
 * and for the first conversion of a chunk's sites (boot, module load).
 *
 * Context: r->lock held; may sleep (allocates).
 */
notrace void ftrace_reg_quarantine(struct ftrace_registry *r,
				   const struct ftrace_site_change *ch)
{
	struct ftrace_quarantined *q;
	struct ftrace_chunk *c;
	unsigned long off;
	unsigned int site;
	const char *name;

	lockdep_assert_held(r->lock);
	c = ftrace_reg_find(r, ch->ip, &site);
	if (!c)
		return;
	WRITE_ONCE(c->state[site], FTRACE_ACCT_QUARANTINE);
	r->nr_quarantined++;

	q = kzalloc(sizeof(*q), GFP_KERNEL);
	if (q) {
		q->ip = ch->ip;
		q->from = ch->from;
		q->err = ch->err;
		q->calling = q_calling(r, ch);
		memcpy(q->expected, ch->expected, MCOUNT_INSN_SIZE);
		memcpy(q->found, ch->found, MCOUNT_INSN_SIZE);
		list_add_tail(&q->list, &r->quarantine);
	}
	/*
	 * A site left calling a caller reaches its callbacks for good; one
	 * that held any call and has no report may call anything.
	 */
	if (!q && ch->from)
		r->nr_calling = UINT_MAX;
	else if (q_calling(r, ch) && r->nr_calling != UINT_MAX)
		r->nr_calling++;
	if (r->quiet)
		return;
	/*
	 * A loading module's symbols are not known to kallsyms yet (%pS
	 * prints the bare address): its chunk's names are.
	 */
	name = NULL;
	if (c->mod && c->names)	/* a module's table: its names are text */
		name = ftrace_names_name(c->names, site, NULL, &off);
	if (name) {
		/* an offset too large for the table: not an ENDBR, see names.c */
		off = max(ftrace_names_start(c->names, site), 0L);
		pr_warn("site %s+0x%lx [%s] quarantined: expected %*phN, found %*phN (%d); the rest of ftrace goes on\n",
			name, off, c->mod->name, MCOUNT_INSN_SIZE,
			ch->expected, MCOUNT_INSN_SIZE, ch->found, ch->err);
		return;
	}
	pr_warn("site %pS quarantined: expected %*phN, found %*phN (%d); the rest of ftrace goes on\n",
		(void *)ch->ip, MCOUNT_INSN_SIZE, ch->expected,
		MCOUNT_INSN_SIZE, ch->found, ch->err);
}

/**
 * ftrace_reg_quarantined() - is @ip a quarantined site?
 * @r: the registry
 * @ip: an address
 *
 * Context: r->lock and ftrace_core_chunks_lock held.
 * Return: true if @ip is a site of a chunk r->next walks, quarantined.
 */
notrace bool ftrace_reg_quarantined(struct ftrace_registry *r,
				    unsigned long ip)
{
	struct ftrace_chunk *c;
	unsigned int i;

	lockdep_assert_held(r->lock);
	c = ftrace_reg_find(r, ip, &i);
	return c && (READ_ONCE(c->state[i]) & FTRACE_ACCT_QUARANTINE);
}

/**
 * ftrace_reg_may_call() - may a quarantined site still call @target?
 * @r: the registry
 * @target: an address a site may call (an ops' trampoline)
 *
 * A site refused a change while it held a call may hold it still: what it
 * calls must then never be freed.
 *
 * Context: r->lock held.
 * Return: true if a report says one held a call to @target, or if a
 * report was lost (no memory).
 */
notrace bool ftrace_reg_may_call(struct ftrace_registry *r,
				 unsigned long target)
{
	struct ftrace_quarantined *q;

	lockdep_assert_held(r->lock);
	if (r->nr_calling == UINT_MAX)
		return true;
	list_for_each_entry(q, &r->quarantine, list)
		if (q->from == target)
			return true;
	return false;
}

/**
 * ftrace_reg_forget_chunk() - a going chunk's sites leave the quarantine
 * @r: the registry
 * @c: the chunk (a module's), no longer walked by plans
 *
 * So that the quarantine lists and counts only sites that exist: a
 * module loaded later at the same addresses starts clean.
 *
 * Context: r->lock held.
 */
notrace void ftrace_reg_forget_chunk(struct ftrace_registry *r,
				     struct ftrace_chunk *c)
{
	struct ftrace_quarantined *q, *tmp;
	unsigned int i;

	lockdep_assert_held(r->lock);
	for (i = 0; i < c->nr; i++)
		if ((READ_ONCE(c->state[i]) & FTRACE_ACCT_QUARANTINE) &&
		    !WARN_ON_ONCE(!r->nr_quarantined))
			r->nr_quarantined--;
	list_for_each_entry_safe(q, tmp, &r->quarantine, list) {
		if (q->ip < ftrace_chunk_first(c) || q->ip > ftrace_chunk_last(c))
			continue;
		i = ftrace_ips_lower(c->ip, 0, c->nr, q->ip);
		if (i < c->nr && c->ip[i] == q->ip) {
			if (q->calling && r->nr_calling != UINT_MAX &&
			    !WARN_ON_ONCE(!r->nr_calling))
				r->nr_calling--;
			list_del(&q->list);
			kfree(q);
		}
	}
}
