// SPDX-License-Identifier: GPL-2.0
/*
 * update_sweep.c - changes of the registry's sites that no ops' change
 * makes: a module chunk's sites given what the registered ops make of
 * them (at the module's enable), every site taken to the NOP and back
 * (kernel.ftrace_enabled), and the sites whose text the check found
 * wrong given their targets again.
 *
 * Each is one run of the engine (ftrace_reg_run(), update.c), its
 * outcomes applied as for any plan (ftrace_reg_outcomes(): a refused
 * site is quarantined, never the whole of ftrace).  What a site must
 * call is ftrace_reg_target() of its state; the states themselves change
 * only at a chunk's enable (computed from the registered ops: the
 * accounting's pure function, accounting.c).
 *
 * Locking: r->lock (ftrace_lock) held by every caller and across the
 * engine's run, as in update.c; states are stored with WRITE_ONCE() for
 * lockless readers.  Everything may sleep (allocations, the engine).
 *
 * The core never traces itself: every function here is notrace.
 */
#include <linux/errno.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include "internal.h"
#include "update.h"

/**
 * ftrace_reg_repair() - give sites whose text the check found wrong the
 * call (or NOP) their states say
 * @r: the registry
 * @ch: the sites: @ip, @from (what each holds now, decoded from its
 *      bytes: 0 for the NOP, or for bytes that are neither the NOP nor a
 *      call) and @to (ftrace_reg_target() of its state)
 * @nr: how many
 *
 * One run of the engine, as any plan; a site refused (bytes another
 * patcher wrote) is quarantined and reported.
 *
 * Context: r->lock held; may sleep.
 * Return: 0; the engine's own error: nothing changed.
 */
notrace int ftrace_reg_repair(struct ftrace_registry *r,
			      struct ftrace_site_change *ch, unsigned int nr)
{
	int ret;

	lockdep_assert_held(r->lock);
	ret = ftrace_reg_run(r, ch, nr);
	if (!ret)
		ftrace_reg_outcomes(r, ch, nr);
	return ret;
}

/**
 * ftrace_reg_chunk_enable() - give a chunk's sites what the registered
 * ops make of them
 * @r: the registry
 * @c: a chunk that r->next now walks, every site holding the NOP and
 *     state 0 (a module's, at its enable), or quarantined
 *
 * Each site's state is computed from the registered ops, and the sites
 * covered go from the NOP to their targets in one run of the engine; a
 * site refused is quarantined.
 *
 * Context: r->lock held; may sleep.
 * Return: 0; -ENOMEM or the engine's own error: then no site changed and
 * every state is left 0 (the check reports the sites an ops covers).
 */
notrace int ftrace_reg_chunk_enable(struct ftrace_registry *r,
				    struct ftrace_chunk *c)
{
	const struct ftrace_acct_ops *const *ops =
		(const struct ftrace_acct_ops *const *)r->slot;
	struct ftrace_site_change *ch;
	unsigned int i, nr = 0;
	u32 *want;
	int ret = 0;

	lockdep_assert_held(r->lock);
	ch = kvmalloc_array(c->nr, sizeof(*ch), GFP_KERNEL);
	want = kvmalloc_array(c->nr, sizeof(*want), GFP_KERNEL);
	if (!ch || !want) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < c->nr; i++) {
		unsigned long to;

		want[i] = 0;
		if (c->state[i] & FTRACE_ACCT_QUARANTINE)
			continue;
		want[i] = ftrace_acct_compute(c->ip[i], ops, r->nslot);
		to = ftrace_reg_target(r, c->ip[i], want[i]);
		if (!to)
			continue;
		ch[nr].ip = c->ip[i];
		ch[nr].from = 0;
		ch[nr].to = to;
		nr++;
	}
	ret = ftrace_reg_run(r, ch, nr);
	if (ret)
		goto out;
	for (i = 0; i < c->nr; i++)
		if (!(c->state[i] & FTRACE_ACCT_QUARANTINE))
			WRITE_ONCE(c->state[i], want[i]);
	ftrace_reg_outcomes(r, ch, nr);
out:
	kvfree(want);
	kvfree(ch);
	return ret;
}

/**
 * ftrace_reg_switch() - take every site to the NOP, or back to its target
 * @r: the registry
 * @off: true: every site holds the NOP from now on (the states are kept
 *       and updated as usual); false: every covered site calls its
 *       target again
 *
 * kernel.ftrace_enabled: one run of the engine for all the sites that
 * change; a site refused is quarantined.
 *
 * Context: r->lock held; may sleep.
 * Return: 0; -ENOMEM or the engine's own error: nothing changed.
 */
notrace int ftrace_reg_switch(struct ftrace_registry *r, bool off)
{
	struct ftrace_site_change *ch = NULL;
	unsigned int i, nr = 0, cap = 0;
	struct ftrace_chunk *c;
	int ret = 0;

	lockdep_assert_held(r->lock);
	if (r->off == off)
		return 0;
	cap = ftrace_reg_total(r);
	if (cap) {
		ch = kvmalloc_array(cap, sizeof(*ch), GFP_KERNEL);
		if (!ch)
			return -ENOMEM;
	}
	for (c = r->next(r, NULL); c && nr < cap; c = r->next(r, c)) {
		for (i = 0; i < c->nr && nr < cap; i++) {
			unsigned long from, to;

			if (ftrace_chunk_site_gone(c, i))
				continue;
			from = ftrace_reg_target(r, c->ip[i], c->state[i]);
			r->off = off;
			to = ftrace_reg_target(r, c->ip[i], c->state[i]);
			r->off = !off;
			if (from == to)
				continue;
			ch[nr].ip = c->ip[i];
			ch[nr].from = from;
			ch[nr].to = to;
			nr++;
		}
	}
	ret = ftrace_reg_run(r, ch, nr);
	if (!ret) {
		r->off = off;
		ftrace_reg_outcomes(r, ch, nr);
	}
	kvfree(ch);
	return ret;
}
