// SPDX-License-Identifier: GPL-2.0
/*
 * subops.c - the sets of a manager ops from the sets of its users.
 *
 * function_graph registers one ops with the core (the manager) for all
 * of its users (each instance's graph tracer, the profiler, fprobes...),
 * each of which has its own filter and notrace sets
 * (ftrace_startup_subops()).  The manager must cover exactly the sites
 * that at least one user covers: a user covers a site when its filter
 * holds it and its own notrace set does not, so one user's notrace set
 * never hides a site that another user asks for, and never reaches past
 * its own filter.
 *
 * Upstream merges the filters by union and the notrace sets by
 * intersection, which covers more than that: a user with filter {a, b}
 * and notrace {a} beside a user of all sites but x gives the manager all
 * sites (a, b and x included, though no user traces x).  Here, with a
 * manager's pair of sets (F, N) covering F minus N:
 *
 *   D  = the union of F_i - N_i over the users whose filter is a list of
 *        sites (F_i - N_i is a list too);
 *   if no user's filter is ALL:   F = D,    N = NONE;
 *   otherwise:                    F = ALL,  N = (the intersection of
 *        N_i over the users whose filter is ALL) - D.
 *
 * Then a site is covered by (F, N) if and only if some user covers it: it
 * escapes N when some ALL user does not refuse it, or when a listing
 * user covers it.  A user whose filter is NONE, or whose notrace set is
 * ALL, covers nothing and counts for nothing.
 *
 * Locking: none; the users' sets are immutable (sites.c) and the caller
 * keeps them alive.  May allocate with the caller's gfp.
 *
 * The core never traces itself: every function here is notrace.
 */
#include <linux/err.h>
#include <linux/errno.h>

#include "internal.h"

/* Replace *@acc by @next (a new reference or an error), dropping *@acc. */
static notrace int subops_take(struct ftrace_sites **acc,
			       struct ftrace_sites *next)
{
	if (IS_ERR(next))
		return PTR_ERR(next);
	ftrace_sites_put(*acc);
	*acc = next;
	return 0;
}

/* A missing set is NONE. */
static notrace struct ftrace_sites *subops_set(struct ftrace_sites *s)
{
	return s ?: FTRACE_SITES_NONE_SET;
}

/**
 * ftrace_subops_merge() - the sets of a manager ops, from its users'
 * @users: the users' sets and flags; NULL entries are skipped
 * @nr: entries in @users
 * @filter: receives the manager's filter (a reference)
 * @notrace_sites: receives the manager's notrace set (a reference)
 * @gfp: allocation flags
 *
 * The manager then covers a site if and only if one of the users does
 * (ftrace_acct_covers()); see the top of this file.  O(total size of the
 * users' sets times the number of users).
 *
 * Context: any context @gfp allows.
 * Return: 0, or -ENOMEM (then *@filter and *@notrace_sites are left
 * alone).
 */
notrace int ftrace_subops_merge(const struct ftrace_acct_ops *const *users,
				unsigned int nr, struct ftrace_sites **filter,
				struct ftrace_sites **notrace_sites, gfp_t gfp)
{
	struct ftrace_sites *d = FTRACE_SITES_NONE_SET;
	struct ftrace_sites *n = NULL, *f, *nt;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < nr && !ret; i++) {
		const struct ftrace_acct_ops *u = users[i];

		if (!u)
			continue;
		f = subops_set(u->filter);
		nt = subops_set(u->notrace_sites);
		if (ftrace_sites_is_none(f) || ftrace_sites_is_all(nt))
			continue;
		if (ftrace_sites_is_all(f)) {
			/* the first ALL user starts the intersection */
			ret = subops_take(&n, n ? ftrace_sites_inter(n, nt, gfp)
						: ftrace_sites_get(nt));
			continue;
		}
		f = ftrace_sites_minus(f, nt, gfp);
		if (IS_ERR(f)) {
			ret = PTR_ERR(f);
			break;
		}
		ret = subops_take(&d, ftrace_sites_union(d, f, gfp));
		ftrace_sites_put(f);
	}
	if (!ret && n)
		ret = subops_take(&n, ftrace_sites_minus(n, d, gfp));
	if (ret) {
		ftrace_sites_put(n);
		ftrace_sites_put(d);
		return ret;
	}
	if (n) {
		ftrace_sites_put(d);
		*filter = FTRACE_SITES_ALL_SET;
		*notrace_sites = n;
	} else {
		*filter = d;
		*notrace_sites = FTRACE_SITES_NONE_SET;
	}
	return 0;
}
