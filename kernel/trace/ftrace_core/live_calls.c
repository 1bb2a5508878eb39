// SPDX-License-Identifier: GPL-2.0
/*
 * live_calls.c - what a traced site calls when our core runs ftrace
 * (CONFIG_FTRACE_OWN_CORE_LIVE): the list of registered ops that
 * ftrace_caller's list function walks, the list function itself, and
 * the answers other files ask of it (ftrace_ops_test(),
 * ftrace_ops_get_func()).
 *
 * A patched site that one ops with a trampoline alone covers calls that
 * trampoline (live_tramp.c); every other one calls ftrace_caller or
 * ftrace_regs_caller, whose call goes to arch_ftrace_ops_list_func().
 * It walks the list and calls each ops whose sets cover the site
 * (dispatch.c), except when every call that can reach it comes from a
 * site of one ops alone: then that ops is called straight, without a
 * walk or a test of its sets (single_ops, as a trampoline calls its
 * ops).
 *
 * When is that so?  The list must hold that ops alone; no site may be
 * left calling the caller for an ops that is gone (live.c's zombies, a
 * site quarantined while it held a call: the registry's nr_calling);
 * and no call may still be in flight from a site that stopped calling
 * the caller for another ops: a task preempted inside ftrace_caller
 * resumes later, and must not then run this ops (a livepatch, a direct
 * call) for a function it does not cover.  So every change that may
 * take a site away (an unregistration, a change of sets, the
 * ftrace_enabled switch, a repair) marks the callers unsettled
 * (ftrace_live_callers_unsettle(): a count), and single_ops is set only
 * once a wait for every CPU and task in flight has followed the last such
 * mark.  That wait (RCU-tasks, rude and plain: tens of milliseconds) is
 * not made by the change that finds one ops alone: it walks the list
 * meanwhile, and a work item waits, then sets single_ops if no mark came
 * in between, or waits again (settle_work).  Only a caller that must
 * know its callers gone (a dynamic ops' unregistration, a trampoline's
 * free) waits itself (ftrace_live_settle_callers()).
 *
 * Invariants: the list ends at ftrace_list_end; an ops that leaves it
 * keeps its ->next, so that a walker on it finds its way on.
 * single_ops is NULL, or the list's only ops, with no call in flight
 * from a site that was not that ops' own since it was set.  It is
 * recomputed after every change of the list or of the zombies
 * (ftrace_live_single_update()) and by settle_work: set before the sites
 * of a new ops are patched or, if it must wait, after; cleared
 * (ftrace_live_single_stop()) before a leaving ops waits for its callers.
 * settled is the count of marks a finished wait began after: equal to
 * unsettled, no call from a site taken away can be in flight.
 *
 * Locking: ftrace_lock (live.c) for every change of the list, of
 * single_ops and of the two counts; settle_work takes it, but not across
 * its wait, and nobody waits for the work while holding it.  The list
 * function reads the list and single_ops locklessly, from ftrace_caller
 * (preemptible: the waits above include RCU-tasks).
 *
 * The core never traces itself: every function here is notrace.
 */
#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/rcupdate.h>
#include <linux/rcupdate_wait.h>
#include <linux/workqueue.h>

#include "../ftrace_internal.h"
#include "live.h"

struct ftrace_ops ftrace_list_end __read_mostly = {
	.func = ftrace_stub,
	.flags = FTRACE_OPS_FL_STUB | FTRACE_OPS_FL_INITIALIZED,
};

struct ftrace_ops __rcu *ftrace_ops_list __read_mostly = &ftrace_list_end;
/* ftrace_caller loads it into the callback's op argument. */
struct ftrace_ops *function_trace_op __read_mostly = &ftrace_list_end;
ftrace_func_t ftrace_trace_function __read_mostly = ftrace_stub;

/* The only ops of the list, called straight; else NULL (see the top) */
static struct ftrace_ops *single_ops __read_mostly;
/*
 * Marks of a site that may have stopped calling the caller, and the mark
 * the last full wait followed (none at boot: every site starts as the NOP)
 */
static unsigned long unsettled, settled;

static void settle_fn(struct work_struct *work);
static DECLARE_WORK(settle_work, settle_fn);

/**
 * ftrace_live_list_add() - add an ops to the list walked at the sites
 * @ops: the ops
 *
 * Context: ftrace_lock held.
 */
notrace void ftrace_live_list_add(struct ftrace_ops *ops)
{
	lockdep_assert_held(&ftrace_lock);
	ops->next = rcu_dereference_protected(ftrace_ops_list,
					      lockdep_is_held(&ftrace_lock));
	rcu_assign_pointer(ftrace_ops_list, ops);
}

/**
 * ftrace_live_list_del() - take an ops off the list
 * @ops: the ops; it keeps its ->next for walkers on it
 *
 * Context: ftrace_lock held.
 */
notrace void ftrace_live_list_del(struct ftrace_ops *ops)
{
	struct ftrace_ops __rcu **p = &ftrace_ops_list;
	struct ftrace_ops *op;

	lockdep_assert_held(&ftrace_lock);
	for (;;) {
		op = rcu_dereference_protected(*p, lockdep_is_held(&ftrace_lock));
		if (op == &ftrace_list_end)
			return;
		if (op == ops)
			break;
		p = &op->next;
	}
	rcu_assign_pointer(*p, rcu_dereference_protected(ops->next, true));
}

/**
 * ftrace_live_callers_unsettle() - a site may have stopped calling the
 * caller for some ops: calls from it may still be in flight
 *
 * Context: ftrace_lock held.
 */
notrace void ftrace_live_callers_unsettle(void)
{
	lockdep_assert_held(&ftrace_lock);
	unsettled++;
}

/* Wait for the CPUs and tasks that may be in the caller or a callback. */
static notrace void settle_wait(void)
{
	synchronize_rcu_tasks_rude();
	if (IS_ENABLED(CONFIG_PREEMPTION))
		synchronize_rcu_tasks();
}

/**
 * ftrace_live_settle_callers() - wait until no CPU or task can still be
 * inside ftrace_caller, or a callback, from before now
 *
 * Context: ftrace_lock held; sleeps.
 */
notrace void ftrace_live_settle_callers(void)
{
	lockdep_assert_held(&ftrace_lock);
	settle_wait();
	settled = unsettled;
}

/*
 * The wait single_ops needs, made off the path of the change that found
 * one ops alone: every mark counted before it was read is of a change
 * done (under ftrace_lock), so calls from the sites it took away are in
 * flight or over, and the wait covers them.
 */
static notrace void settle_fn(struct work_struct *work)
{
	unsigned long seen;

	mutex_lock(&ftrace_lock);
	seen = unsettled;
	if (seen != settled) {	/* else a caller's own wait came first */
		mutex_unlock(&ftrace_lock);
		settle_wait();
		mutex_lock(&ftrace_lock);
		if ((long)(seen - settled) > 0)
			settled = seen;
	}
	/* queues the work again if a mark came meanwhile */
	ftrace_live_single_update();
	mutex_unlock(&ftrace_lock);
}

/**
 * ftrace_live_settle_flush() - let the pending waits for the callers end
 *
 * For KUnit, which reads single_ops: once no work is pending or running,
 * single_ops is what the last change and the last wait make it, unless
 * another thread changed something since.
 *
 * Context: process context; ftrace_lock not held; sleeps.
 */
notrace void ftrace_live_settle_flush(void)
{
	lockdep_assert_not_held(&ftrace_lock);
	/* a run that saw a new mark queued itself again */
	while (flush_work(&settle_work))
		;
}

/**
 * ftrace_live_single_stop() - walk the list at every call from now on
 *
 * Before a leaving ops waits for its callers.
 *
 * Context: ftrace_lock held.
 */
notrace void ftrace_live_single_stop(void)
{
	lockdep_assert_held(&ftrace_lock);
	WRITE_ONCE(single_ops, NULL);
	/* seen by every CPU before the callers' wait */
	smp_mb();
}

/**
 * ftrace_live_single_update() - call the list's only ops straight, or walk
 *
 * Straight only if no site is left calling the caller for an ops that is
 * gone (ftrace_live_clean(): no zombie, no quarantined site that held a
 * call).  After any change of the list or of the zombies.  If a site may have
 * stopped calling the caller since the last wait, the list is walked and
 * settle_work waits for the calls in flight, then comes back here (at
 * boot, before workqueues, the wait is made here).  The store is ordered
 * before what follows: the engine's run that patches a new ops' sites.
 *
 * Context: ftrace_lock held; may sleep.
 */
notrace void ftrace_live_single_update(void)
{
	struct ftrace_ops *first, *one = NULL;

	lockdep_assert_held(&ftrace_lock);
	first = rcu_dereference_protected(ftrace_ops_list,
					  lockdep_is_held(&ftrace_lock));
	if (ftrace_live_clean() && first != &ftrace_list_end &&
	    rcu_dereference_protected(first->next,
				      lockdep_is_held(&ftrace_lock)) ==
	    &ftrace_list_end)
		one = first;
	if (one == READ_ONCE(single_ops))
		return;
	if (one && unsettled != settled) {
		ftrace_live_single_stop();
		if (system_unbound_wq) {
			queue_work(system_unbound_wq, &settle_work);
			return;
		}
		ftrace_live_settle_callers();
	}
	WRITE_ONCE(single_ops, one);
	/* seen by every CPU before the engine's run */
	smp_mb();
}

/**
 * ftrace_live_single() - the ops the list function calls straight
 *
 * Context: ftrace_lock held (KUnit).
 * Return: it, or NULL while the list function walks the list.
 */
notrace struct ftrace_ops *ftrace_live_single(void)
{
	lockdep_assert_held(&ftrace_lock);
	return single_ops;
}

/**
 * arch_ftrace_ops_list_func() - what ftrace_caller calls: every ops on
 * the list that covers @ip, or the only one straight
 * @ip: the site
 * @parent_ip: its caller
 * @op: unused (ftrace_caller's function_trace_op)
 * @fregs: the saved registers
 */
notrace void arch_ftrace_ops_list_func(unsigned long ip,
				       unsigned long parent_ip,
				       struct ftrace_ops *op,
				       struct ftrace_regs *fregs)
{
	struct ftrace_ops *one = READ_ONCE(single_ops);

	if (one)
		ftrace_core_single_call(one, ip, parent_ip, fregs);
	else
		ftrace_core_list_walk(&ftrace_ops_list, ip, parent_ip, fregs);
}

NOKPROBE_SYMBOL(arch_ftrace_ops_list_func);

/**
 * ftrace_ops_test() - does @ops cover @ip?
 * @ops: the ops
 * @ip: the site
 * @regs: the pt_regs the caller has, or NULL
 *
 * Return: 1 if its callback should run there, else 0.
 */
notrace int ftrace_ops_test(struct ftrace_ops *ops, unsigned long ip,
			    void *regs)
{
	return ftrace_core_ops_test(ops, ip, regs);
}

NOKPROBE_SYMBOL(ftrace_ops_test);

/**
 * ftrace_ops_get_func() - what a site @ops alone covers would call
 * @ops: the ops
 *
 * Return: its callback, or the assist function.
 */
notrace ftrace_func_t ftrace_ops_get_func(struct ftrace_ops *ops)
{
	return ftrace_core_ops_get_func(ops);
}

