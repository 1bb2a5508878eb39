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
 * A shell never changes: a writer makes a new one and publishes it
 * (rcu_assign_pointer()); the old one and its reference on its set go
 * after a grace period (ftrace_hash_shell_free()), so that lock-free
 * readers (the callbacks' filter test) may still look.
 *
 * The core never traces itself: every function here is notrace.
 */
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "internal.h"
#include "../trace.h"

/**
 * struct ftrace_sites_hash - a shell
 * @hash: what other files read: ->count, ->flags
 * @sites: what it holds (a reference)
 */
struct ftrace_sites_hash {
	struct ftrace_hash hash;
	struct ftrace_sites *sites;
};

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
	h->hash.count = s->kind == FTRACE_SITES_SOME ? s->nr : 0;
	h->hash.flags = flags;
	return &h->hash;
}

static notrace void hash_shell_rcu(struct rcu_head *rcu)
{
	struct ftrace_sites_hash *h = container_of(rcu, struct ftrace_sites_hash,
						   hash.rcu);

	ftrace_sites_put(h->sites);
	kfree(h);
}

/**
 * ftrace_hash_shell_free() - free a shell after a grace period
 * @hash: a shell of ftrace_hash_shell(), unpublished; NULL is ignored
 *
 * Context: any context.
 */
notrace void ftrace_hash_shell_free(struct ftrace_hash *hash)
{
	if (hash)
		call_rcu(&hash->rcu, hash_shell_rcu);
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
	return container_of(hash, struct ftrace_sites_hash, hash)->sites;
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
	struct ftrace_sites *s = ftrace_hash_sites(hash, false);

	if (s->kind != FTRACE_SITES_SOME || !ftrace_sites_has(s, ip))
		return NULL;
	return &hash_listed;
}
