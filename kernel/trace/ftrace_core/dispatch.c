// SPDX-License-Identifier: GPL-2.0
/*
 * dispatch.c - what runs at a traced site: the list function, which
 * calls every ops whose sets cover the site, the assist function, which
 * guards one ops' callback, and the filter test of a callback
 * (ftrace_ops_test(), which fgraph calls for each of its users).
 *
 * When one ops is all the list holds, the list function calls it
 * through ftrace_core_single_call() (internal.h) without a walk or a test
 * of its sets.
 *
 * These run in any context (NMI included) with preemption disabled, from
 * ftrace_caller, a trampoline or fgraph.  They take no lock and allocate
 * nothing: an ops' sets are read through its func_hash's shells
 * (hash.c) under the callers' RCU-sched protection, and a set is freed
 * only after a grace period.  The list is walked through ->next pointers
 * that a registration publishes with rcu_assign_pointer() and that an
 * unregistered ops keeps, so that a walker on it finds its way on.
 *
 * Recursion: the list and assist functions take the TRACE_LIST_START
 * recursion bit for the context they run in; a callback that reaches
 * another traced function in the same context is not called again.
 * An ops that asks for RCU (FTRACE_OPS_FL_RCU) is skipped where RCU is
 * not watching; a stub ops (FTRACE_OPS_FL_STUB) is never called.
 *
 * The core never traces itself: every function here is notrace and none
 * may be probed.
 */
#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/rcupdate.h>
#include <linux/trace_recursion.h>

#include "internal.h"

/* May @op's callback run here?  Never a stub; RCU ops where RCU watches. */
static notrace __always_inline bool dispatch_callable(const struct ftrace_ops *op)
{
	if (op->flags & FTRACE_OPS_FL_STUB)
		return false;
	return !(op->flags & FTRACE_OPS_FL_RCU) || rcu_is_watching();
}

/* The sets of @ops, as its shells hold them, stale addresses left out. */
static notrace __always_inline bool
dispatch_covers(struct ftrace_ops *ops, unsigned long ip)
{
	struct ftrace_ops_hash *fh = ops->func_hash;
	struct ftrace_acct_ops a = { };

	if (!fh)
		return true;	/* never given sets: all sites */
	a.filter = ftrace_hash_live(rcu_dereference_raw(fh->filter_hash),
				    true);
	a.notrace_sites =
		ftrace_hash_live(rcu_dereference_raw(fh->notrace_hash),
				 false);
	return ftrace_acct_covers(&a, ip);
}

/**
 * ftrace_core_ops_test() - should @ops's callback run at @ip?
 * @ops: the ops
 * @ip: the site
 * @regs: the pt_regs the caller has, or NULL
 *
 * An ops that needs pt_regs never runs without them.
 *
 * Context: any context, preemption disabled.
 * Return: true if @ops covers @ip (and has the regs it needs).
 */
notrace bool ftrace_core_ops_test(struct ftrace_ops *ops, unsigned long ip,
				  void *regs)
{
	if (!regs && (ops->flags & FTRACE_OPS_FL_SAVE_REGS))
		return false;
	return dispatch_covers(ops, ip);
}

NOKPROBE_SYMBOL(ftrace_core_ops_test);

/**
 * ftrace_core_list_walk() - call every ops of a list that covers a site
 * @head: the list's head (ftrace_ops_list), ending at NULL or
 *        &ftrace_list_end
 * @ip: the site
 * @parent_ip: its caller
 * @fregs: the registers ftrace_caller saved
 *
 * Context: any context, preemption disabled.
 */
notrace void ftrace_core_list_walk(struct ftrace_ops __rcu *const *head,
				   unsigned long ip, unsigned long parent_ip,
				   struct ftrace_regs *fregs)
{
	int bit = trace_test_and_set_recursion(ip, parent_ip, TRACE_LIST_START);
	struct ftrace_ops *op = rcu_dereference_raw(*head);
	void *regs;

	if (bit < 0)
		return;
	/* only an ops that asks for pt_regs needs them: a full set or NULL */
	regs = ftrace_get_regs(fregs);
	while (op && op != &ftrace_list_end) {
		if (dispatch_callable(op) && ftrace_core_ops_test(op, ip, regs))
			op->func(ip, parent_ip, op, fregs);
		op = rcu_dereference_raw(op->next);
	}
	trace_clear_recursion(bit);
}

NOKPROBE_SYMBOL(ftrace_core_list_walk);

/**
 * ftrace_core_assist_func() - one ops' callback, guarded
 * @ip: the site
 * @parent_ip: its caller
 * @op: the ops
 * @fregs: the registers ftrace_caller saved
 *
 * What a site calls for an ops that wants recursion protection or RCU
 * (ftrace_core_ops_get_func()).
 *
 * Context: any context, preemption disabled.
 */
notrace void ftrace_core_assist_func(unsigned long ip,
				     unsigned long parent_ip,
				     struct ftrace_ops *op,
				     struct ftrace_regs *fregs)
{
	int bit = trace_test_and_set_recursion(ip, parent_ip, TRACE_LIST_START);

	if (bit >= 0) {
		if (dispatch_callable(op))
			op->func(ip, parent_ip, op, fregs);
		trace_clear_recursion(bit);
	}
}

NOKPROBE_SYMBOL(ftrace_core_assist_func);

/**
 * ftrace_core_single_slow() - ftrace_core_single_call() for an ops with a
 * flag in FTRACE_CORE_SINGLE_SLOW
 * @op: the ops
 * @ip: the site
 * @parent_ip: its caller
 * @fregs: the registers ftrace_caller saved
 *
 * A stub is never called, nor an ops that needs pt_regs without them (a
 * call in flight from a site just taken back from another ops); an ops
 * that asks for recursion protection or RCU goes through the assist
 * function.
 *
 * Context: any context, from ftrace_caller: may be preemptible.
 */
notrace void ftrace_core_single_slow(struct ftrace_ops *op, unsigned long ip,
				     unsigned long parent_ip,
				     struct ftrace_regs *fregs)
{
	unsigned long flags = READ_ONCE(op->flags);

	if (flags & FTRACE_OPS_FL_STUB)
		return;
	if ((flags & FTRACE_OPS_FL_SAVE_REGS) && !ftrace_get_regs(fregs))
		return;
	if (flags & (FTRACE_OPS_FL_RECURSION | FTRACE_OPS_FL_RCU))
		ftrace_core_assist_func(ip, parent_ip, op, fregs);
	else
		op->func(ip, parent_ip, op, fregs);
}

NOKPROBE_SYMBOL(ftrace_core_single_slow);

/**
 * ftrace_core_ops_get_func() - what a site that @ops alone covers calls
 * @ops: the ops
 *
 * Context: any.
 * Return: @ops's callback, or the assist function if it asks for
 * recursion protection or RCU.
 */
notrace ftrace_func_t ftrace_core_ops_get_func(struct ftrace_ops *ops)
{
	if (ops->flags & (FTRACE_OPS_FL_RECURSION | FTRACE_OPS_FL_RCU))
		return ftrace_core_assist_func;
	return ops->func;
}
