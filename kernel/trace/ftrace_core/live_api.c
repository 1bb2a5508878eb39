// SPDX-License-Identifier: GPL-2.0
/*
 * live_api.c - the in-kernel filter API under its upstream names, when
 * our core runs ftrace (CONFIG_FTRACE_OWN_CORE_LIVE): ftrace_set_filter()
 * and its kin map onto filter_api.c, whose writers commit a registered
 * ops' new sets to the registry before publishing them (live.c); the
 * trace arrays' ops; ftrace_kill(), which our core never obeys.
 *
 * Locking: as filter_api.c (the ops' regex_lock > ftrace_lock).
 *
 * The core never traces itself: every function here is notrace.
 */
#include <linux/ftrace.h>
#include <linux/kprobes.h>

#include "../trace.h"
#include "../ftrace_internal.h"
#include "live.h"

/**
 * ftrace_core_refuse_sites() - may a filter name these sites by address?
 * @s: the sites, as the filter API resolved them
 *
 * Not a quarantined one (kprobes, fprobes by address): its user would
 * wait for calls that never come.  filter_api.c asks when it publishes
 * what a resolution gave, a retry's after a module came or went included,
 * under the hold that publishes it.
 *
 * Context: ftrace_lock held (ftrace_core_commit_lock()); takes
 * ftrace_core_chunks_lock.
 * Return: 0, or -EBUSY if one is quarantined.
 */
notrace int ftrace_core_refuse_sites(const struct ftrace_sites *s)
{
	bool q = false;
	unsigned int i;

	lockdep_assert_held(&ftrace_lock);
	mutex_lock(&ftrace_core_chunks_lock);
	for (i = 0; i < s->nr && !q; i++)
		q = ftrace_reg_quarantined(&ftrace_live_registry, s->ip[i]);
	mutex_unlock(&ftrace_core_chunks_lock);
	return q ? -EBUSY : 0;
}

/**
 * ftrace_set_filter_ip() - add an address to an ops' filter, or remove it
 * @ops: the ops
 * @ip: a site, or the start of a function
 * @remove: remove it instead
 * @reset: clear the filter first
 *
 * Return: 0, -EINVAL (no site), -ENOENT (not listed), -EBUSY (a
 * quarantined site added), -ENOMEM, or the registry's error for a
 * registered ops; nothing changed on error.
 */
notrace int ftrace_set_filter_ip(struct ftrace_ops *ops, unsigned long ip,
				 int remove, int reset)
{
	return ftrace_core_set_addrs(ops, &ip, ip ? 1 : 0, remove, reset,
				     true);
}
EXPORT_SYMBOL_GPL(ftrace_set_filter_ip);

/**
 * ftrace_set_filter_ips() - add addresses to an ops' filter, or remove
 * them, in one change
 * @ops: the ops
 * @ips: the addresses
 * @cnt: how many
 * @remove: remove them instead
 * @reset: clear the filter first
 *
 * Return: as ftrace_set_filter_ip().
 */
notrace int ftrace_set_filter_ips(struct ftrace_ops *ops, unsigned long *ips,
				  unsigned int cnt, int remove, int reset)
{
	return ftrace_core_set_addrs(ops, ips, cnt, remove, reset, true);
}
EXPORT_SYMBOL_GPL(ftrace_set_filter_ips);

/**
 * ftrace_set_filter() - apply a pattern to an ops' filter
 * @ops: the ops
 * @buf: the pattern, as a set_ftrace_filter token
 * @len: its length
 * @reset: clear the filter first
 *
 * Return: 0, -EINVAL if it selects nothing, -ENOMEM, or the registry's
 * error; nothing changed on error.
 */
notrace int ftrace_set_filter(struct ftrace_ops *ops, unsigned char *buf,
			      int len, int reset)
{
	return ftrace_core_set_regex(ops, buf, len, reset, true);
}
EXPORT_SYMBOL_GPL(ftrace_set_filter);

/**
 * ftrace_set_notrace() - apply a pattern to an ops' notrace set
 * @ops: the ops
 * @buf: the pattern
 * @len: its length
 * @reset: clear the set first
 *
 * Return: as ftrace_set_filter().
 */
notrace int ftrace_set_notrace(struct ftrace_ops *ops, unsigned char *buf,
			       int len, int reset)
{
	return ftrace_core_set_regex(ops, buf, len, reset, false);
}
EXPORT_SYMBOL_GPL(ftrace_set_notrace);

/**
 * ftrace_set_global_filter() - apply a pattern to the global filter
 * @buf: the pattern
 * @len: its length
 * @reset: clear the filter first
 */
notrace void ftrace_set_global_filter(unsigned char *buf, int len, int reset)
{
	ftrace_core_set_regex(&global_ops, buf, len, reset, true);
}
EXPORT_SYMBOL_GPL(ftrace_set_global_filter);

/**
 * ftrace_set_global_notrace() - apply a pattern to the global notrace set
 * @buf: the pattern
 * @len: its length
 * @reset: clear the set first
 */
notrace void ftrace_set_global_notrace(unsigned char *buf, int len, int reset)
{
	ftrace_core_set_regex(&global_ops, buf, len, reset, false);
}
EXPORT_SYMBOL_GPL(ftrace_set_global_notrace);

/**
 * ftrace_ops_set_global_filter() - let an ops use the global sets
 * @ops: an ops never initialised
 */
notrace void ftrace_ops_set_global_filter(struct ftrace_ops *ops)
{
	if (ops->flags & FTRACE_OPS_FL_INITIALIZED)
		return;
	ftrace_core_ops_init(ops);
	ops->func_hash = &global_ops.local_hash;
}
EXPORT_SYMBOL_GPL(ftrace_ops_set_global_filter);

/**
 * ftrace_free_filter() - drop an ops' sets
 * @ops: the ops, not registered (a registered one is refused with a
 *       warning)
 */
notrace void ftrace_free_filter(struct ftrace_ops *ops)
{
	/* a registered ops keeps its sets: they are what its sites follow */
	if (WARN_ON_ONCE(ops->flags & FTRACE_OPS_FL_ENABLED))
		return;
	ftrace_core_free_filter(ops);
}
EXPORT_SYMBOL_GPL(ftrace_free_filter);

/**
 * ftrace_lookup_ip() - does a hash list @ip?
 * @hash: a shell of our core, or NULL
 * @ip: the address
 *
 * Context: any; @hash read under RCU or its writer's lock.
 * Return: non-NULL if listed.
 */
notrace struct ftrace_func_entry *ftrace_lookup_ip(struct ftrace_hash *hash,
						   unsigned long ip)
{
	return ftrace_core_lookup_ip(hash, ip);
}

NOKPROBE_SYMBOL(ftrace_lookup_ip);

/**
 * ftrace_lookup_symbols() - function names to addresses
 * @sorted_syms: the names, sorted
 * @cnt: how many
 * @addrs: receives each one's address
 *
 * Return: 0, or -ESRCH if a name was not found.
 */
notrace int ftrace_lookup_symbols(const char **sorted_syms, size_t cnt,
				  unsigned long *addrs)
{
	return ftrace_core_lookup_symbols(sorted_syms, cnt, addrs);
}
EXPORT_SYMBOL_GPL(ftrace_lookup_symbols);

/**
 * ftrace_init_global_array_ops() - the top-level trace array's ops
 * @tr: the top-level trace array
 */
notrace void __init ftrace_init_global_array_ops(struct trace_array *tr)
{
	struct ftrace_ops *ops = &global_ops;

	ftrace_init_trace_array(tr);
	ops->private = tr;
	tr->ops = ops;
	init_array_fgraph_ops(tr, ops);
}

/**
 * ftrace_init_array_ops() - give a trace array's ops its callback
 * @tr: the trace array
 * @func: the callback
 */
notrace void ftrace_init_array_ops(struct trace_array *tr, ftrace_func_t func)
{
	struct ftrace_ops *ops = tr->ops;

	if ((tr->flags & TRACE_ARRAY_FL_GLOBAL) && ops->func != ftrace_stub)
		pr_warn("the global trace array's ops already has a callback\n");
	ops->private = tr;
	ops->func = func;
}

/**
 * ftrace_reset_array_ops() - take a trace array's callback away
 * @tr: the trace array
 */
notrace void ftrace_reset_array_ops(struct trace_array *tr)
{
	tr->ops->func = ftrace_stub;
}

/**
 * ftrace_init_trace_array() - a trace array's lists of probes and :mod:
 * filters
 * @tr: the trace array
 */
notrace void ftrace_init_trace_array(struct trace_array *tr)
{
	INIT_LIST_HEAD(&tr->func_probes);
	INIT_LIST_HEAD(&tr->mod_trace);
	INIT_LIST_HEAD(&tr->mod_notrace);
}

/**
 * ftrace_kill() - upstream's way to switch ftrace off for good
 *
 * Our core never does: a site it cannot patch is quarantined (update.c),
 * and so is nothing else.  Kept for the tracers' self-tests that call it
 * when they fail; it only warns.
 */
notrace void ftrace_kill(void)
{
	pr_warn("%s() called: our core quarantines sites instead and goes on\n",
		__func__);
}

/**
 * ftrace_is_dead() - has ftrace been switched off for good?
 *
 * Return: 0: our core never switches ftrace off.
 */
notrace int ftrace_is_dead(void)
{
	return 0;
}
