// SPDX-License-Identifier: GPL-2.0
/*
 * live_stale.c - addresses that an ops' sets name and that now belong
 * to another function (CONFIG_FTRACE_OWN_CORE_LIVE).
 *
 * The filter files drop a going module's sites (live_mods.c), but the
 * sets of ops without filter files (direct ops, fprobes, in-kernel users
 * of ftrace_set_filter_ip()) keep them, and a module loaded later may
 * have sites at those addresses.  Those addresses are stale: they named
 * a function that went.  ftrace_live_stale_mark() finds them, in every
 * registered ops' filter and notrace shells (a function_graph manager's
 * users' included) and in every other set an owner published, when a
 * module's chunk is built, before it is listed (an address of it named
 * earlier cannot name it), and when a chunk is dropped (its sites named
 * by an ops, registered or not); it marks them in the shells (hash.c:
 * the live set is the set less them) and gives the slots of the
 * registered ops concerned their live sets again.  A zombie's slot
 * loses them outright (its sites may still call an orphaned trampoline).
 *
 * The sets of ops not registered at the time are marked as well (every
 * set an owner published is listed, hash.c's owned shells): one
 * registered later, whose sets still name the address, does not cover
 * the new function, where any ops of upstream's core does.
 *
 * So what a site gets stays a pure function of the registered ops'
 * published sets, stale marks included: ftrace_core/check recomputes it
 * from them.  An address stays stale until the owner removes it or names
 * it again (ftrace_hash_stale_cut()).
 *
 * An owner that resolved addresses before a chunk was dropped (or one
 * listed) and publishes them after would name anew an address that went
 * meanwhile, cutting its mark: each listing and unlisting of a module's
 * chunk is counted (ftrace_live_chunks_moved()), and the filter API
 * resolves again when the count moved between its resolution and its
 * publication (ftrace_core_chunks_gen()).
 *
 * Locking: everything here runs under ftrace_lock, which serializes the
 * marks with the owners' publications (filter_api.c's cut, and its
 * reading of the count that decides, run under it too), and the walk of
 * the owned shells under hash_owned_lock too (ftrace_lock >
 * hash_owned_lock); the shells' live sets are read by the callbacks'
 * filter test under RCU.  Each ops' marks are reported once per mark.
 */
#include <linux/ftrace.h>
#include <linux/slab.h>

#include "live.h"

/* Chunks listed or unlisted: written under ftrace_lock, read without. */
static unsigned long chunks_gen;

/*
 * Mark the addresses of @chunk that the shell @h (a filter, with
 * @filter) names as stale.  *@named tells whether it names any (marked
 * now or before).  Return: 1 if the shell's live set changed, 0 if not,
 * or an error.
 */
static notrace int stale_shell(struct ftrace_hash *h, bool filter,
			       struct ftrace_sites *chunk, bool *named)
{
	struct ftrace_sites *sites, *hit, *all;
	unsigned int i;
	int ret;

	sites = ftrace_hash_sites(h, filter);
	if (!h || sites->kind != FTRACE_SITES_SOME)
		return 0;
	/* most shells lie outside the chunk: one search says so */
	i = ftrace_ips_lower(sites->ip, 0, sites->nr, chunk->ip[0]);
	if (i == sites->nr || sites->ip[i] > chunk->ip[chunk->nr - 1])
		return 0;
	hit = ftrace_sites_inter(sites, chunk, GFP_KERNEL);
	if (IS_ERR(hit))
		return PTR_ERR(hit);
	*named |= !ftrace_sites_is_none(hit);
	all = ftrace_sites_union(ftrace_hash_stale(h), hit, GFP_KERNEL);
	ftrace_sites_put(hit);
	if (IS_ERR(all))
		return PTR_ERR(all);
	ret = 0;
	if (!ftrace_sites_equal(all, ftrace_hash_stale(h))) {
		ret = ftrace_hash_set_stale(h, all);
		ret = ret ?: 1;
	}
	ftrace_sites_put(all);
	return ret;
}

/*
 * Both shells of @ops, each tried even if the other fails; a new mark is
 * reported once.  Return: 0, or the first error.
 */
static notrace int stale_ops(struct ftrace_ops *ops, struct ftrace_sites *chunk,
			     const char *what, bool *named)
{
	struct ftrace_ops_hash *fh = ops->func_hash;
	int f, n;

	if (!fh)
		return 0;
	f = stale_shell(rcu_dereference_protected(fh->filter_hash,
						  lockdep_is_held(&ftrace_lock)),
			true, chunk, named);
	n = stale_shell(rcu_dereference_protected(fh->notrace_hash,
						  lockdep_is_held(&ftrace_lock)),
			false, chunk, named);
	if (f > 0 || n > 0)
		pr_warn("ftrace: %ps: stale addresses left out, sites of %s\n",
			ops->saved_func ?: ops->func, what);
	if (f < 0)
		return f;
	return n < 0 ? n : 0;
}

/* ftrace_hash_owned_walk()'s data: a chunk, and the shells marked now */
struct stale_walk {
	struct ftrace_sites *chunk;
	unsigned int marked;
};

/* A set published for any ops, registered or not (hash.c's walk). */
static notrace int stale_owned(struct ftrace_hash *h, bool filter, void *data)
{
	struct stale_walk *w = data;
	bool named = false;
	int ret = stale_shell(h, filter, w->chunk, &named);

	if (ret > 0)
		w->marked++;
	return ret < 0 ? ret : 0;
}

/* Do two sets of a slot hold the same sites (NULL: none)? */
static notrace bool stale_same(const struct ftrace_sites *a,
			       const struct ftrace_sites *b)
{
	return ftrace_sites_equal(a ?: FTRACE_SITES_NONE_SET,
				  b ?: FTRACE_SITES_NONE_SET);
}

/*
 * Give @s's slot its shells' live sets (ftrace_live_sets_now()) if it
 * does not hold them; *@wrong tells whether it did not.  Comparing,
 * rather than trusting that only a new mark can leave a slot behind,
 * also catches a shell shared by two slots (the second finds the mark
 * made) and a slot whose resync failed earlier.
 * Return: 0, or an error (the slot unchanged).
 */
static notrace int stale_slot_sync(struct ftrace_live_slot *s, bool *wrong)
{
	struct ftrace_sites *f, *n;
	int ret;

	*wrong = false;
	ret = ftrace_live_sets_now(s->ops, &f, &n);
	if (ret)
		return ret;
	*wrong = !stale_same(f, s->acct.filter) ||
		 !stale_same(n, s->acct.notrace_sites);
	ftrace_sites_put(f);
	ftrace_sites_put(n);
	return *wrong ? ftrace_live_resync(s->ops) : 0;
}

/*
 * No zombie covers the addresses of @gone: its slot loses them, so that
 * a function that comes there is not given a call to an orphaned
 * trampoline.  Return: 0, or the first error (that zombie keeps them).
 */
static notrace int stale_zombies(struct ftrace_sites *gone)
{
	struct ftrace_live_slot *s;
	struct ftrace_sites *f, *n, *hit;
	int ret = 0, err;

	lockdep_assert_held(&ftrace_lock);
	list_for_each_entry(s, &ftrace_live_zombie_slots, list) {
		if (!s->acct.filter || s->acct.filter->kind != FTRACE_SITES_SOME)
			continue;
		hit = ftrace_sites_inter(s->acct.filter, gone, GFP_KERNEL);
		if (IS_ERR(hit)) {
			ret = ret ?: PTR_ERR(hit);
			continue;
		}
		err = 0;
		if (!ftrace_sites_is_none(hit)) {
			f = ftrace_sites_minus(s->acct.filter, hit, GFP_KERNEL);
			err = PTR_ERR_OR_ZERO(f);
			if (!err) {
				n = ftrace_sites_get(s->acct.notrace_sites);
				ftrace_live_reg_begin(true);
				err = ftrace_reg_set(&ftrace_live_registry,
						     &s->acct, f, n);
				ftrace_live_reg_end();
				if (err) {
					ftrace_sites_put(f);
					ftrace_sites_put(n);
				}
			}
		}
		ftrace_sites_put(hit);
		ret = ret ?: err;
	}
	return ret;
}

/**
 * ftrace_live_stale_mark() - mark the addresses of a chunk that the
 * ops' sets name as stale, the registered ops' slots following
 * @ip: the chunk's sites, ascending
 * @nr: how many (at least one)
 * @what: what they are, for the report ("module foo")
 *
 * Context: ftrace_lock held; takes hash_owned_lock; may sleep.
 * Return: 0, or the first error (-ENOMEM): the marks made stay.
 */
notrace int ftrace_live_stale_mark(const unsigned long *ip, unsigned int nr,
				   const char *what)
{
	struct ftrace_live_slot *s;
	struct stale_walk w = { };
	struct ftrace_ops *u;
	int ret = 0, r;
	bool named, wrong;

	lockdep_assert_held(&ftrace_lock);
	if (!nr)
		return 0;
	w.chunk = ftrace_sites_from(ip, nr, GFP_KERNEL);
	if (IS_ERR(w.chunk))
		return PTR_ERR(w.chunk);
	list_for_each_entry(s, &ftrace_live_slots, list) {
		named = false;
		if (list_empty(&s->ops->subop_list)) {
			r = stale_ops(s->ops, w.chunk, what, &named);
			ret = ret ?: r;
		} else {
			list_for_each_entry(u, &s->ops->subop_list, list) {
				r = stale_ops(u, w.chunk, what, &named);
				ret = ret ?: r;
			}
		}
		/* whatever was marked, even beside an error, takes effect */
		if (named) {
			r = stale_slot_sync(s, &wrong);
			ret = ret ?: r;
		}
	}
	/* the ops not registered now, for when they are (those are marked) */
	r = ftrace_hash_owned_walk(stale_owned, &w);
	ret = ret ?: r;
	if (w.marked)
		pr_warn("ftrace: sets of ops not registered (%u): stale addresses left out, sites of %s\n",
			w.marked, what);
	r = stale_zombies(w.chunk);
	ret = ret ?: r;
	ftrace_sites_put(w.chunk);
	return ret;
}

/**
 * ftrace_live_chunks_moved() - a module's chunk was listed or unlisted
 *
 * Called after the list changed: a filter call that read the count
 * before, and may have resolved against the list as it was, resolves
 * again (ftrace_core_chunks_gen()).
 *
 * Context: ftrace_lock held.
 */
notrace void ftrace_live_chunks_moved(void)
{
	lockdep_assert_held(&ftrace_lock);
	/* pairs with ftrace_core_chunks_gen(): the list's change first */
	smp_store_release(&chunks_gen, chunks_gen + 1);
}

/**
 * ftrace_core_chunks_gen() - how many times a module's chunk was listed
 * or unlisted
 *
 * An owner reads it before resolving addresses or names and again,
 * under ftrace_lock, when it publishes them: a change says a chunk came
 * or went in between, and that what it resolved may name a function
 * that went (filter_api.c then resolves again).
 *
 * Context: any; the reading that decides is made under ftrace_lock.
 * Return: the count; it only grows.
 */
notrace unsigned long ftrace_core_chunks_gen(void)
{
	/* a resolution after this sees the list as of this count, or newer */
	return smp_load_acquire(&chunks_gen);
}

/**
 * ftrace_live_check_sets() - does every registered ops' slot hold what
 * its shells say now (ftrace_live_sets_now(): stale addresses left
 * out)?  A slot that does not is reported and set right.
 * @report: called with each such ops and @data
 * @data: for @report
 *
 * Context: ftrace_lock held (not ftrace_core_chunks_lock); may sleep.
 * Return: how many slots were wrong.
 */
notrace unsigned int
ftrace_live_check_sets(void (*report)(void *data, struct ftrace_ops *ops),
		       void *data)
{
	struct ftrace_live_slot *s;
	unsigned int bad = 0;
	bool wrong;

	lockdep_assert_held(&ftrace_lock);
	list_for_each_entry(s, &ftrace_live_slots, list) {
		/* no memory to judge: not counted */
		stale_slot_sync(s, &wrong);
		if (wrong) {
			bad++;
			report(data, s->ops);
		}
	}
	return bad;
}
