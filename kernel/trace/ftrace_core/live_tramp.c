// SPDX-License-Identifier: GPL-2.0
/*
 * live_tramp.c - per-ops trampolines when our core runs ftrace
 * (CONFIG_FTRACE_OWN_CORE_LIVE).
 *
 * A site that one ops alone covers calls that ops' own trampoline: the
 * x86 engine's copy of ftrace_caller (or of ftrace_regs_caller for an ops
 * that wants full registers) which passes the ops itself and calls its
 * callback straight (arch/x86/kernel/ftrace_tramp.c), instead of
 * ftrace_caller and the list function.  The registry gives such a site
 * the TRAMP state (accounting.c) and the trampoline as its target
 * (update.c); every other site keeps calling the shared callers.
 *
 * Every trampoline built here is on live_tramps from its creation until
 * it is freed, whether its ops is registered or not, so that the engine
 * may write it (it maps only text it knows, is_ftrace_trampoline()) and a
 * site may be pointed at it (kernel_text_address()).
 *
 * Lifetimes.  An ops gets its trampoline when it registers (a direct ops
 * none: a site it alone covers calls its direct address).  A dynamic
 * ops' trampoline is freed when the ops leaves, after the wait for its
 * callers (live.c: then no task can still be in it); a static ops keeps
 * its own for its next registration, whose callback it is pointed at
 * then, unless the ops changed FTRACE_OPS_FL_SAVE_REGS in between: that
 * trampoline, of the other register shape, is orphaned and freed after
 * a wait, and a new one is built.  Orphans: an ops that leaves as a
 * zombie (live.c: the registry could not take its sites back, so they
 * still call its trampoline) hands the trampoline to its slot, pointed
 * at ftrace_stub before the wait: the ops may be freed, the trampoline
 * is freed only when the zombie is reaped, after a wait.  A trampoline that a quarantined site
 * may still call (it was refused a change while it held that call,
 * update.c) is orphaned the same way when its ops leaves, and kept for
 * good.
 *
 * The trampoline's call follows the ops' callback: at registration and
 * at every switch of the pid gate (live_pid.c).
 *
 * Lookups from any context (the unwinder, kernel_text_address()): an RCU
 * walk of live_tramps with preemption off; an entry is freed after a
 * grace period.
 *
 * Locking: ftrace_lock for every change of live_tramps and of a
 * trampoline; the engine's text_mutex nests inside it.  The core never
 * traces itself: every function is notrace.
 */
#define pr_fmt(fmt) "ftrace: " fmt

#include <linux/ftrace.h>
#include <linux/printk.h>
#include <linux/rculist.h>
#include <linux/slab.h>

#include <asm/ftrace_sites.h>

#include "../ftrace_internal.h"
#include "live.h"

/**
 * struct live_tramp - a trampoline we built
 * @list: on live_tramps (RCU)
 * @addr: its text
 * @size: its size
 * @ops: its ops, NULL once orphaned
 * @rcu: to free the entry
 */
struct live_tramp {
	struct list_head list;
	unsigned long addr;
	unsigned long size;
	struct ftrace_ops *ops;
	struct rcu_head rcu;
};

static LIST_HEAD(live_tramps);	/* ftrace_lock; RCU for lookups */

static notrace struct live_tramp *tramp_find(unsigned long addr)
{
	struct live_tramp *t;

	list_for_each_entry_rcu(t, &live_tramps, list,
				lockdep_is_held(&ftrace_lock))
		if (addr >= t->addr && addr - t->addr < t->size)
			return t;
	return NULL;
}

/* Unlist and free the trampoline at @addr; no task can be in it. */
static notrace void tramp_free(unsigned long addr)
{
	struct live_tramp *t = tramp_find(addr);

	if (WARN_ON_ONCE(!t))
		return;
	list_del_rcu(&t->list);
	ftrace_tramp_release(addr);
	kfree_rcu(t, rcu);
}

/**
 * ftrace_live_tramp_get() - give a registering ops its trampoline
 * @ops: the ops, its callback (pid gate included) set
 *
 * A static ops that had one gets it back, pointed at its callback, if it
 * still asks for the registers it was built for; else that one is freed
 * (no site calls it since the ops left; after the wait for its callers)
 * and the ops gets a new one.
 *
 * Context: ftrace_lock held; may sleep.
 * Return: the trampoline its lone sites call, or 0 (a direct ops, no
 * memory): they call the shared callers then.
 */
notrace unsigned long ftrace_live_tramp_get(struct ftrace_ops *ops)
{
	struct live_tramp *t;

	lockdep_assert_held(&ftrace_lock);
	if (ops->flags & FTRACE_OPS_FL_DIRECT)
		return 0;
	if (ops->trampoline && !ftrace_tramp_fits(ops)) {
		unsigned long old = ops->trampoline;

		ftrace_live_tramp_orphan(ops);
		ftrace_live_tramp_reap(old);
	}
	if (ops->trampoline) {
		/* ours (listed) or the ops' own, which is left alone */
		arch_ftrace_update_trampoline(ops);
		return ops->trampoline;
	}
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return 0;
	arch_ftrace_update_trampoline(ops);
	if (!ops->trampoline) {
		kfree(t);
		return 0;
	}
	t->addr = ops->trampoline;
	t->size = ops->trampoline_size;
	t->ops = ops;
	list_add_rcu(&t->list, &live_tramps);
	return ops->trampoline;
}

/**
 * ftrace_live_tramp_follow() - point a registered ops' trampoline at its
 * callback, after the callback changed
 * @ops: the ops
 *
 * Context: ftrace_lock held; may sleep.
 */
notrace void ftrace_live_tramp_follow(struct ftrace_ops *ops)
{
	lockdep_assert_held(&ftrace_lock);
	if (ops->trampoline && (ops->flags & FTRACE_OPS_FL_ALLOC_TRAMP))
		arch_ftrace_update_trampoline(ops);
}

/**
 * ftrace_live_tramp_orphan() - take @ops' trampoline from it: it calls
 * ftrace_stub from now on
 * @ops: the ops, leaving while sites may still call its trampoline;
 *       before the wait for its callers
 *
 * The trampoline stays listed, owned by no ops, until
 * ftrace_live_tramp_reap() (a zombie's) or for good.
 *
 * Context: ftrace_lock held; may sleep.
 */
notrace void ftrace_live_tramp_orphan(struct ftrace_ops *ops)
{
	struct live_tramp *t;

	lockdep_assert_held(&ftrace_lock);
	t = ops->trampoline ? tramp_find(ops->trampoline) : NULL;
	if (!t)
		return;
	WARN_ON_ONCE(ftrace_tramp_detach(ops) != t->addr);
	WRITE_ONCE(t->ops, NULL);
}

/**
 * ftrace_live_tramp_leave() - @ops leaves the list: a trampoline that a
 * quarantined site may still call is orphaned and kept for good
 * @ops: the ops; before the wait for its callers
 *
 * Context: ftrace_lock held; may sleep.
 */
notrace void ftrace_live_tramp_leave(struct ftrace_ops *ops)
{
	lockdep_assert_held(&ftrace_lock);
	if (!ops->trampoline ||
	    !ftrace_reg_may_call(&ftrace_live_registry, ops->trampoline))
		return;
	pr_warn("%ps: trampoline kept, a quarantined site may call it\n",
		ops->func);
	ftrace_live_tramp_orphan(ops);
}

/**
 * ftrace_live_tramp_put() - an ops left: free a dynamic ops' trampoline
 * @ops: the ops; no site of a plan calls its trampoline, and no task can
 *       be in it (the wait for its callers is done)
 *
 * A static ops keeps its own for its next registration.
 *
 * Context: ftrace_lock held.
 */
notrace void ftrace_live_tramp_put(struct ftrace_ops *ops)
{
	lockdep_assert_held(&ftrace_lock);
	if (!(ops->flags & FTRACE_OPS_FL_DYNAMIC) || !ops->trampoline ||
	    !(ops->flags & FTRACE_OPS_FL_ALLOC_TRAMP))
		return;
	tramp_free(ops->trampoline);
	ops->trampoline = 0;
	ops->trampoline_size = 0;
}

/**
 * ftrace_live_tramp_reap() - free a reaped zombie's trampoline
 * @tramp: its slot's (acct.tramp), or 0; no site of a plan calls it any
 *         more
 *
 * Only an orphan of ours is freed (not an ops' own trampoline), after a
 * wait until no task can be in it; kept if a quarantined site may still
 * call it.
 *
 * Context: ftrace_lock held; may sleep.
 */
notrace void ftrace_live_tramp_reap(unsigned long tramp)
{
	struct live_tramp *t;

	lockdep_assert_held(&ftrace_lock);
	t = tramp ? tramp_find(tramp) : NULL;
	if (!t || t->ops || t->addr != tramp ||
	    ftrace_reg_may_call(&ftrace_live_registry, tramp))
		return;
	ftrace_live_settle_callers();
	tramp_free(tramp);
}

/**
 * ftrace_ops_trampoline() - the ops whose trampoline holds @addr
 * @addr: an address
 *
 * Context: any (the unwinder).
 * Return: the ops, or NULL (none, or an orphaned trampoline).
 */
notrace struct ftrace_ops *ftrace_ops_trampoline(unsigned long addr)
{
	struct ftrace_ops *ops = NULL;
	struct live_tramp *t;

	preempt_disable_notrace();
	t = tramp_find(addr);
	if (t)
		ops = READ_ONCE(t->ops);
	preempt_enable_notrace();
	return ops;
}

/**
 * is_ftrace_trampoline() - is @addr in a trampoline we built?
 * @addr: an address
 *
 * Orphaned ones count: sites may still call them.
 *
 * Context: any.
 * Return: true if it is.
 */
notrace bool is_ftrace_trampoline(unsigned long addr)
{
	bool found;

	preempt_disable_notrace();
	found = tramp_find(addr);
	preempt_enable_notrace();
	return found;
}
