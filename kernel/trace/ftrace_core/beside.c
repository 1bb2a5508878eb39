// SPDX-License-Identifier: GPL-2.0
/*
 * beside.c - what our core's pieces need of the ops while upstream's
 * kernel/trace/ftrace.c still runs ftrace (CONFIG_FTRACE_OWN_CORE
 * without _LIVE): no ops is registered with our registry, so an ops'
 * new sets have nobody to reach before they are published.
 */
#include "internal.h"

/**
 * ftrace_core_commit() - nothing to commit beside upstream's core
 * @ops: the ops
 * @filter: its new filter
 * @notrace_sites: its new notrace set
 *
 * Return: 0.
 */
notrace int ftrace_core_commit(struct ftrace_ops *ops,
			       struct ftrace_sites *filter,
			       struct ftrace_sites *notrace_sites)
{
	return 0;
}

/**
 * ftrace_core_commit_lock() - nothing to hold beside upstream's core
 */
notrace void ftrace_core_commit_lock(void)
{
}

/**
 * ftrace_core_commit_unlock() - nothing to drop beside upstream's core
 */
notrace void ftrace_core_commit_unlock(void)
{
}

/**
 * ftrace_core_chunks_gen() - nothing counted beside upstream's core
 *
 * Return: 0: nothing marks stale addresses there, so the filter API
 * never resolves again.
 */
notrace unsigned long ftrace_core_chunks_gen(void)
{
	return 0;
}

/**
 * ftrace_core_refuse_sites() - no site is quarantined beside upstream's
 * core
 * @s: the sites a filter names by address
 *
 * Return: 0.
 */
notrace int ftrace_core_refuse_sites(const struct ftrace_sites *s)
{
	return 0;
}
