// SPDX-License-Identifier: GPL-2.0
/*
 * hash.c - struct ftrace_hash at the core's boundary: a shell around one
 * of our site sets.
 *
 * Other files read an ops' filter and notrace sets, and the graph filter
 * sets, as struct ftrace_hash (kernel/trace/trace.h): ftrace_hash_empty()
 * reads ->count and ->flags, ftrace_lookup_ip() is the core's, fprobe
 * reads ->count, fgraph points an ops' func_hash at another's.  Nothing
 * outside the core walks the buckets.  So the core's hashes are shells:
 * ->count is the number of sites a list holds (0 for "all sites" and for
 * "no site"), ->flags keeps upstream's meaning (FTRACE_HASH_FL_MOD: a
 * :mod: filter waits for its module, and the hash counts as not empty),
 * ->buckets is NULL, and the set itself, with its three distinct kinds,
 * is what the core reads (ftrace_hash_sites()).
 *
 * Where upstream reads an empty filter as "all sites", the core reads
 * the set: a filter emptied by removing its last site is NONE and traces
 * nothing.  A missing hash (NULL: an ops never given one) is, for a
 * filter, all sites, and for a notrace set, none, as upstream has it.
 *
 * A shell's set never changes: a writer makes a new shell and publishes
 * it (rcu_assign_pointer()); the old one and its references on its sets
 * go after a grace period (ftrace_hash_shell_free()), so that lock-free
 * readers (the callbacks' filter test) may still look.
 *
 * Stale addresses: a module that went left its addresses in the sets of
 * ops that have no filter files (direct ops, fprobes, in-kernel users),
 * and a module loaded later may have sites there.  Such addresses are
 * marked stale in the shell (ftrace_hash_set_stale(), only under
 * ftrace_lock, or before the shell is published) and its "live" set,
 * the set minus them, is what every reader that decides what runs
 * reads (ftrace_hash_live(): the callbacks' filter test, the registry's
 * slots); the set as written (ftrace_hash_sites()) is what the owner
 * edits and its files print.  Only a "these sites" set has stale
 * addresses, and losing all of them makes it "no site", never "all
 * sites".
 *
 * Owned shells: the sets an owner published for its ops (filter_api.c)
 * are listed (ftrace_hash_shell_own()) until freed, so that the stale
 * marks reach the sets of ops not registered at the time as well
 * (ftrace_hash_owned_walk(), live_stale.c): one registered later does
 * not cover the function that came at an address it named before.
 * hash_owned_lock protects the list; order: an ops' regex_lock >
 * ftrace_lock > hash_owned_lock.  Freeing an owned shell takes it:
 * process context.
 *
 * The core never traces itself: every function here is notrace.
 */
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "internal.h"
#include "../trace.h"

/**
 * struct ftrace_sites_hash - a shell
 * @hash: what other files read: ->count, ->flags
 * @sites: what it holds (a reference), as its writer wrote it
 * @live: @sites minus @stale (a reference; @sites itself when nothing is
 *        stale); replaced under ftrace_lock, read under RCU
 * @stale: addresses of @sites that named another function (a reference,
 *         a SOME set within @sites), or NULL; ftrace_lock
 * @owned: in the list of owned shells (hash_owned_lock), else empty:
 *         listed once, before the shell is published
 * @filter: an owned shell is a filter, else a notrace set
 */
struct ftrace_sites_hash {
	struct ftrace_hash hash;
	struct ftrace_sites *sites;
	struct ftrace_sites __rcu *live;
	struct ftrace_sites *stale;
	struct list_head owned;
	bool filter;
};

static DEFINE_MUTEX(hash_owned_lock);
static LIST_HEAD(hash_owned);	/* hash_owned_lock */

static notrace struct ftrace_sites_hash *hash_of(const struct ftrace_hash *h)
{
	return container_of(h, struct ftrace_sites_hash, hash);
}

/* What ftrace_core_lookup_ip() returns for a listed address. */
static struct ftrace_func_entry hash_listed;

/**
 * ftrace_hash_shell() - a struct ftrace_hash that holds a site set
 * @s: the set; its reference passes to the shell
 * @flags: FTRACE_HASH_FL_* for readers (FTRACE_HASH_FL_MOD)
 * @gfp: allocation flags
 *
 * Context: any context @gfp allows.
 * Return: the shell, or NULL (the reference on @s is then dropped).
 */
notrace struct ftrace_hash *ftrace_hash_shell(struct ftrace_sites *s,
					      unsigned long flags, gfp_t gfp)
{
	struct ftrace_sites_hash *h = kzalloc(sizeof(*h), gfp);

	if (!h) {
		ftrace_sites_put(s);
		return NULL;
	}
	h->sites = s;
	INIT_LIST_HEAD(&h->owned);
	RCU_INIT_POINTER(h->live, ftrace_sites_get(s));
	h->hash.count = s->kind == FTRACE_SITES_SOME ? s->nr : 0;
	h->hash.flags = flags;
	return &h->hash;
}

static notrace void hash_shell_rcu(struct rcu_head *rcu)
{
	struct ftrace_sites_hash *h = container_of(rcu, struct ftrace_sites_hash,
						   hash.rcu);

	ftrace_sites_put(h->sites);
	ftrace_sites_put(rcu_dereference_protected(h->live, 1));
	ftrace_sites_put(h->stale);
	kfree(h);
}

/**
 * ftrace_hash_shell_free() - free a shell after a grace period
 * @hash: a shell of ftrace_hash_shell(), unpublished; NULL is ignored
 *
 * Context: process context (an owned shell leaves its list under
 * hash_owned_lock).
 */
notrace void ftrace_hash_shell_free(struct ftrace_hash *hash)
{
	struct ftrace_sites_hash *h;

	if (!hash)
		return;
	h = hash_of(hash);
	/* unpublished: nothing lists it meanwhile; no walk finds it after */
	if (!list_empty(&h->owned)) {
		mutex_lock(&hash_owned_lock);
		list_del(&h->owned);
		mutex_unlock(&hash_owned_lock);
	}
	call_rcu(&hash->rcu, hash_shell_rcu);
}

/**
 * ftrace_hash_shell_own() - list a shell as a set its owner publishes
 * @hash: the shell, not published yet
 * @filter: it is a filter, else a notrace set
 *
 * Context: process context; takes hash_owned_lock.  Freeing the shell
 * then takes it too.
 */
notrace void ftrace_hash_shell_own(struct ftrace_hash *hash, bool filter)
{
	struct ftrace_sites_hash *h = hash_of(hash);

	/* only our running core marks stale addresses (live_stale.c) */
	if (!IS_ENABLED(CONFIG_FTRACE_OWN_CORE_LIVE))
		return;
	h->filter = filter;
	mutex_lock(&hash_owned_lock);
	list_add_tail(&h->owned, &hash_owned);
	mutex_unlock(&hash_owned_lock);
}

/**
 * ftrace_hash_owned_walk() - call @fn on every owned shell
 * @fn: given a shell, whether it is a filter, and @data; returns 0 or
 *      an error; it must not free a shell
 * @data: for @fn
 *
 * Every shell is visited, whatever @fn returned for the others.
 *
 * Context: process context; ftrace_lock held (the stale marks' lock);
 * takes hash_owned_lock; @fn may sleep.
 * Return: 0, or @fn's first error.
 */
notrace int
ftrace_hash_owned_walk(int (*fn)(struct ftrace_hash *hash, bool filter,
				 void *data),
		       void *data)
{
	struct ftrace_sites_hash *h;
	int ret = 0, r;

	lockdep_assert_held(&ftrace_lock);
	mutex_lock(&hash_owned_lock);
	list_for_each_entry(h, &hash_owned, owned) {
		r = fn(&h->hash, h->filter, data);
		ret = ret ?: r;
	}
	mutex_unlock(&hash_owned_lock);
	return ret;
}

/**
 * ftrace_hash_sites() - the site set a hash holds
 * @hash: a shell, or NULL
 * @filter: @hash is a filter (NULL reads as all sites), else a notrace
 *          set (NULL reads as no site)
 *
 * Context: any context; @hash read under RCU or its writer's lock.
 * Return: the set (no reference taken: valid as long as @hash is).
 */
notrace struct ftrace_sites *ftrace_hash_sites(const struct ftrace_hash *hash,
					       bool filter)
{
	if (!hash)
		return filter ? FTRACE_SITES_ALL_SET : FTRACE_SITES_NONE_SET;
	return hash_of(hash)->sites;
}

/**
 * ftrace_hash_live() - the site set a hash holds, stale addresses left
 * out: what decides where its ops runs
 * @hash: a shell, or NULL
 * @filter: as for ftrace_hash_sites()
 *
 * Context: any context; @hash and its live set read under RCU (the
 * tracing fast path: preemption disabled) or under ftrace_lock.
 * Return: the set (no reference taken).
 */
notrace struct ftrace_sites *ftrace_hash_live(const struct ftrace_hash *hash,
					      bool filter)
{
	if (!hash)
		return filter ? FTRACE_SITES_ALL_SET : FTRACE_SITES_NONE_SET;
	return rcu_dereference_raw(hash_of(hash)->live);
}

/**
 * ftrace_hash_stale() - the stale addresses of a hash
 * @hash: a shell, or NULL
 *
 * Context: ftrace_lock held, or @hash not published yet.
 * Return: the set (no reference taken): NONE if there are none.
 */
notrace struct ftrace_sites *ftrace_hash_stale(const struct ftrace_hash *hash)
{
	if (!hash || !hash_of(hash)->stale)
		return FTRACE_SITES_NONE_SET;
	return hash_of(hash)->stale;
}

/**
 * ftrace_hash_set_stale() - mark a hash's stale addresses
 * @hash: a shell
 * @stale: its stale addresses from now on (not consumed): within its
 *         set, which must be a SOME set unless @stale is NONE
 *
 * Context: process context; ftrace_lock held, or @hash not published
 * yet.  Lock-free readers see the old live set or the new one.
 * Return: 0, or -ENOMEM (nothing changed).
 */
notrace int ftrace_hash_set_stale(struct ftrace_hash *hash,
				  struct ftrace_sites *stale)
{
	struct ftrace_sites_hash *h = hash_of(hash);
	struct ftrace_sites *live, *old;

	if (ftrace_sites_is_none(stale)) {
		live = ftrace_sites_get(h->sites);
		stale = NULL;
	} else {
		if (WARN_ON_ONCE(h->sites->kind != FTRACE_SITES_SOME))
			return -EINVAL;
		live = ftrace_sites_minus(h->sites, stale, GFP_KERNEL);
		if (IS_ERR(live))
			return PTR_ERR(live);
		stale = ftrace_sites_get(stale);
	}
	old = rcu_replace_pointer(h->live, live, true);
	ftrace_sites_put(old);	/* freed after a grace period */
	ftrace_sites_put(h->stale);
	h->stale = stale;
	return 0;
}

/**
 * ftrace_hash_stale_cut() - what stays stale when a writer replaces a set
 * @old: the shell being replaced, or NULL
 * @s: the set replacing it
 * @fresh: addresses the writer named afresh, for their new functions
 *         (NULL: none)
 *
 * An address stays stale while the owner's sets keep naming it without
 * naming it again: removing it, or naming it again, ends it.
 *
 * Context: ftrace_lock held (or @old not published).
 * Return: a new reference: @old's stale addresses that @s holds, less
 * @fresh (NONE if none); ERR_PTR(-ENOMEM).
 */
notrace struct ftrace_sites *ftrace_hash_stale_cut(const struct ftrace_hash *old,
						   struct ftrace_sites *s,
						   struct ftrace_sites *fresh)
{
	struct ftrace_sites *st = ftrace_hash_stale(old), *in, *r;

	if (ftrace_sites_is_none(st) || s->kind != FTRACE_SITES_SOME)
		return FTRACE_SITES_NONE_SET;
	in = ftrace_sites_inter(st, s, GFP_KERNEL);
	if (IS_ERR(in) || !fresh)
		return in;
	r = ftrace_sites_minus(in, fresh, GFP_KERNEL);
	ftrace_sites_put(in);
	return r;
}

/**
 * ftrace_core_lookup_ip() - upstream's ftrace_lookup_ip() on a shell
 * @hash: a shell, or NULL
 * @ip: the address
 *
 * Context: any context; @hash read under RCU or its writer's lock.
 * Return: non-NULL if @hash lists @ip (its entry's fields mean nothing:
 * callers only test it), NULL otherwise: for NULL, for "no site" and,
 * as upstream's empty hash, for "all sites", which lists nothing.
 */
notrace struct ftrace_func_entry *
ftrace_core_lookup_ip(struct ftrace_hash *hash, unsigned long ip)
{
	struct ftrace_sites *s = ftrace_hash_live(hash, false);

	if (s->kind != FTRACE_SITES_SOME || !ftrace_sites_has(s, ip))
		return NULL;
	return &hash_listed;
}
