// SPDX-License-Identifier: GPL-2.0
/*
 * update.c - a registry of ops, and how each change of it reaches text:
 * one plan per change, handed to the engine as one run, with the outcome
 * of every site applied, and a site the engine refuses quarantined.
 *
 * A change is a registration, an unregistration, or new filter and
 * notrace sets for a registered ops.  It is made in four steps:
 *  1. bound: the sites it can touch lie in the union of the ops' old and
 *     new filters (all sites if one is ALL); room for that many changes
 *     is allocated first, so that nothing is changed if there is none;
 *  2. account: the slot array takes the ops' new form and every chunk's
 *     states are updated (accounting.c); each site whose state changed
 *     gives a change of the plan if what it must call changed: from the
 *     target of its old state among the ops as they were, to the target
 *     of its new state among the ops as they are (ftrace_reg_target());
 *  3. engine: the whole plan is one run of the engine;
 *  4. outcomes: if the engine failed as a whole (no site's fault, no site
 *     changed), the slot and the states are put back and the change
 *     fails with its error; otherwise every refused site is quarantined.
 * Changes that no ops makes (a module chunk's enable, the switch of
 * kernel.ftrace_enabled, the check's repairs) are update_sweep.c's, on
 * the same run and outcomes (update.h).
 *
 * Quarantine (quarantine.c).  A site the engine refused (its bytes were
 * not what its state says, or it could not be mapped) is never written
 * again, left out of the accounting and the check, reported once.
 * Nothing else changes: every other
 * site of the same plan holds its new instruction, ftrace stays on, later
 * changes work.  An ops that would trace only quarantined sites is
 * refused (-EBUSY) rather than registered to never fire: before its
 * registration if its filter names sites and all of them are
 * quarantined, and after its plan if the plan's refusals just made it so.
 *
 * Targets.  A site no ops covers holds the NOP (target 0).  A covered
 * site calls, in this order: the direct address of the one DIRECT ops
 * that alone covers it, the trampoline of the one ops that alone covers
 * it (TRAMP), the regs caller if an ops on it wants pt_regs (REGS), the
 * caller otherwise.  What it calls is a function of its state and of the
 * ops that cover it, so it is never stored per site.
 *
 * Ownership of sets: a registered ops' sets belong to the registry from
 * ftrace_reg_set() on, which puts the old ones once the new are in.
 *
 * Locking: r->lock (ftrace_lock) serializes every call here and is held
 * across the engine's run; the engine takes its own locks (text_mutex)
 * below it.  The slot array and the states change only under it; states
 * are stored with WRITE_ONCE() for lockless readers.  Everything may
 * sleep (allocations, the engine).
 *
 * The core never traces itself: every function here is notrace.
 */
#define pr_fmt(fmt) "ftrace: " fmt

#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"
#include "update.h"

/* One change being planned: the world before it, the plan so far. */
struct upd_plan {
	struct ftrace_registry *r;
	unsigned int idx;		/* the slot that changes */
	struct ftrace_acct_ops *was;	/* what it held before (or NULL) */
	struct ftrace_chunk *c;		/* the chunk being walked */
	struct ftrace_site_change *ch;
	unsigned int nr, cap;
	bool overflow;			/* more changes than the bound */
	bool alone;			/* slot idx holds the only ops */
	struct upd_memo {		/* the target of the last state asked */
		u32 state;
		bool valid;
		unsigned long to;
	} from, to;
};

/*
 * The one ops covering @ip among the slots, slot @idx read as @as (the
 * state says there is exactly one): @as itself if it covers @ip (the ops
 * that changes mostly is that one, and asking it first spares a walk of
 * every slot per site), else the first found.
 */
static notrace const struct ftrace_acct_ops *
upd_one_cover(struct ftrace_registry *r, unsigned long ip, unsigned int idx,
	      const struct ftrace_acct_ops *as)
{
	const struct ftrace_acct_ops *o;
	unsigned int i;

	if (idx < r->nslot && ftrace_acct_covers(as, ip))
		return as;
	for (i = 0; i < r->nslot; i++) {
		o = i == idx ? as : r->slot[i];
		if (ftrace_acct_covers(o, ip))
			return o;
	}
	return NULL;
}

/* What a site of @state calls, slot @idx read as @as (see the top). */
static notrace unsigned long upd_target(struct ftrace_registry *r,
					unsigned long ip, u32 state,
					unsigned int idx,
					const struct ftrace_acct_ops *as)
{
	const struct ftrace_engine *e = r->engine;
	u32 count = state & FTRACE_ACCT_COUNT;
	const struct ftrace_acct_ops *one = NULL;

	if (!count || (state & FTRACE_ACCT_QUARANTINE) || r->off)
		return 0;
	if (count == 1 && (state & (FTRACE_ACCT_DIRECT | FTRACE_ACCT_TRAMP)))
		one = upd_one_cover(r, ip, idx, as);
	if (one && (state & FTRACE_ACCT_DIRECT) && one->direct)
		return one->direct;
	if (one && (state & FTRACE_ACCT_TRAMP) && one->tramp)
		return one->tramp;
	return state & FTRACE_ACCT_REGS ? e->regs_caller : e->caller;
}

/**
 * ftrace_reg_target() - what a site must call
 * @r: the registry
 * @ip: the site
 * @state: its state (FTRACE_ACCT_*)
 *
 * Context: r->lock held.
 * Return: the address the site must call, 0 for the NOP (also for a
 * quarantined site, which is never written).
 */
notrace unsigned long ftrace_reg_target(struct ftrace_registry *r,
					unsigned long ip, u32 state)
{
	lockdep_assert_held(r->lock);
	return upd_target(r, ip, state, r->nslot, NULL);
}

/* Plan site @ip's change from @from to @to, if it is one. */
static __always_inline void upd_add(struct upd_plan *p, unsigned long ip,
				    unsigned long from, unsigned long to)
{
	struct ftrace_site_change *ch;

	if (from == to)
		return;
	if (p->nr == p->cap) {
		p->overflow = true;
		return;
	}
	ch = &p->ch[p->nr++];
	ch->ip = ip;
	ch->from = from;
	ch->to = to;
}

/* The same change at the @n sites of @ip. */
static notrace void upd_add_run(struct upd_plan *p, const unsigned long *ip,
				unsigned int n, unsigned long from,
				unsigned long to)
{
	struct ftrace_site_change *ch;
	unsigned int i;

	if (from == to)
		return;
	if (n > p->cap - p->nr) {
		p->overflow = true;
		n = p->cap - p->nr;
	}
	ch = &p->ch[p->nr];
	for (i = 0; i < n; i++) {
		ch[i].ip = ip[i];
		ch[i].from = from;
		ch[i].to = to;
	}
	p->nr += n;
}

/*
 * upd_target() with slot p->idx read as @as.  In a plan in which no other
 * slot holds an ops, the target of a state is the same at every site
 * that has it (for a count of one with DIRECT or TRAMP: every site @as
 * covers), so the last one is kept in @m: a switch of every site asks
 * the same two states 22,000 times.  @covered: the state was just
 * computed (accounting.c), so its count means that @as covers @ip; an
 * old state is a cache, and that is asked where it matters.
 */
static __always_inline unsigned long
upd_target_of(struct upd_plan *p, struct upd_memo *m, unsigned long ip,
	      u32 state, const struct ftrace_acct_ops *as, bool covered)
{
	unsigned long to;

	if (!(state & FTRACE_ACCT_COUNT))
		return 0;
	if (!p->alone ||
	    (!covered && (state & FTRACE_ACCT_COUNT) == 1 &&
	     (state & (FTRACE_ACCT_DIRECT | FTRACE_ACCT_TRAMP)) &&
	     !ftrace_acct_covers(as, ip)))
		return upd_target(p->r, ip, state, p->idx, as);
	if (m->valid && m->state == state)
		return m->to;
	to = upd_target(p->r, ip, state, p->idx, as);
	m->state = state;
	m->to = to;
	m->valid = true;
	return to;
}

/*
 * Plan site @ip of state @was among the ops as they were (slot p->idx
 * read as p->was), of state @now among the ops as they are.
 */
static __always_inline void upd_site(struct upd_plan *p, unsigned long ip,
				     u32 was, u32 now)
{
	upd_add(p, ip, upd_target_of(p, &p->from, ip, was, p->was, false),
		upd_target_of(p, &p->to, ip, now, p->r->slot[p->idx], true));
}

/* Does upd_target_of() ask the ops of an old state @was per site? */
static __always_inline bool upd_per_site(u32 was)
{
	return (was & FTRACE_ACCT_COUNT) == 1 &&
	       (was & (FTRACE_ACCT_DIRECT | FTRACE_ACCT_TRAMP));
}

/* Does @o cover every site (then the answer is yes everywhere)? */
static __always_inline bool upd_covers_all(const struct ftrace_acct_ops *o)
{
	return o && o->filter && ftrace_sites_is_all(o->filter) &&
	       (!o->notrace_sites || ftrace_sites_is_none(o->notrace_sites));
}

/*
 * accounting.c tells us of each run of @n sites from @site on that went
 * from @was to one same state.  When the changing ops is alone, every
 * site of the run has the same targets, unless its old state is a count
 * of one with DIRECT or TRAMP and the ops as it was did not cover every
 * site (upd_target_of() then asks it per site): one pair of targets for
 * the run, a switch of every site is a copy.
 */
static notrace void upd_changed(void *data, unsigned int site,
				unsigned int n, u32 was)
{
	struct upd_plan *p = data;
	const unsigned long *ip = &p->c->ip[site];
	u32 now = p->c->state[site];
	unsigned int i;

	if (!p->alone || (upd_per_site(was) && !upd_covers_all(p->was))) {
		for (i = 0; i < n; i++)
			upd_site(p, ip[i], was, now);
		return;
	}
	upd_add_run(p, ip, n,
		    upd_target_of(p, &p->from, ip[0], was, p->was, false),
		    upd_target_of(p, &p->to, ip[0], now, p->r->slot[p->idx],
				  true));
}

/* Update every chunk for slot @idx going from @before to @after. */
static notrace void upd_account(struct ftrace_registry *r,
				const struct ftrace_acct_ops *before,
				const struct ftrace_acct_ops *after,
				struct upd_plan *p)
{
	struct ftrace_acct_chunk ac;
	struct ftrace_chunk *c;

	for (c = r->next(r, NULL); c; c = r->next(r, c)) {
		ac.ip = c->ip;
		ac.state = c->state;
		ac.nr = c->nr;
		if (p)
			p->c = c;
		/* a count found wrong is stored right and says so: go on */
		ftrace_acct_update(&ac, before, after,
				   (const struct ftrace_acct_ops *const *)r->slot,
				   r->nslot, p ? upd_changed : NULL, p);
	}
}

/**
 * ftrace_reg_total() - how many sites the registry's chunks hold
 * @r: the registry
 *
 * Context: r->lock held (the chunks walked do not change).
 * Return: the number of sites, gone ones included.
 */
notrace unsigned int ftrace_reg_total(struct ftrace_registry *r)
{
	struct ftrace_chunk *c;
	unsigned int n = 0;

	for (c = r->next(r, NULL); c; c = r->next(r, c))
		n += c->nr;
	return n;
}

/* Addresses a filter bounds the changes with; all sites if it is ALL. */
static notrace unsigned int upd_bound_one(const struct ftrace_acct_ops *o,
					  unsigned int total)
{
	if (!o || !o->filter || ftrace_sites_is_none(o->filter))
		return 0;
	if (ftrace_sites_is_all(o->filter))
		return total;
	return o->filter->nr;
}

/**
 * ftrace_reg_find() - find a site among the registry's chunks
 * @r: the registry
 * @ip: the site
 * @site: receives its index in the chunk
 *
 * Context: r->lock held (or the chunks otherwise stable).
 * Return: its chunk, or NULL if @ip is no site.
 */
notrace struct ftrace_chunk *ftrace_reg_find(struct ftrace_registry *r,
					     unsigned long ip,
					     unsigned int *site)
{
	struct ftrace_chunk *c;
	unsigned int lo;

	for (c = r->next(r, NULL); c; c = r->next(r, c)) {
		if (ip < ftrace_chunk_first(c) || ip > ftrace_chunk_last(c))
			continue;
		lo = ftrace_ips_lower(c->ip, 0, c->nr, ip);
		if (lo < c->nr && c->ip[lo] == ip) {
			*site = lo;
			return c;
		}
	}
	return NULL;
}

/**
 * ftrace_reg_run() - one run of the engine
 * @r: the registry
 * @ch: the changes
 * @nr: how many (none: nothing to run)
 *
 * Context: r->lock held; may sleep.
 * Return: 0, or the engine's own error (no site changed); each site's
 * refusal comes back in its change (ftrace_reg_outcomes()).
 */
notrace int ftrace_reg_run(struct ftrace_registry *r,
			   struct ftrace_site_change *ch, unsigned int nr)
{
	return nr ? r->engine->change(r->engine->data, ch, nr) : 0;
}

/* The chunk and index of the site touched last. */
struct upd_cursor {
	struct ftrace_chunk *c;
	unsigned int i;
};

/*
 * A call was written at @ip: it is touched for good.  A plan lists each
 * chunk's sites in ascending order, often every one of them: the site
 * after the last one found is tried before a search.
 */
static notrace void upd_touch(struct ftrace_registry *r, unsigned long ip,
			      struct upd_cursor *at)
{
	struct ftrace_chunk *c = at->c;

	if (c && at->i + 1 < c->nr && c->ip[at->i + 1] == ip) {
		at->i++;
	} else {
		c = ftrace_reg_find(r, ip, &at->i);
		at->c = c;
	}
	if (c && c->touched && !test_bit(at->i, c->touched))
		set_bit(at->i, c->touched);
}

/**
 * ftrace_reg_outcomes() - a run of @nr changes went through: count it,
 * quarantine its refusals, mark the sites that got a call touched
 * @r: the registry
 * @ch: the changes, as ftrace_reg_run() returned them
 * @nr: how many
 *
 * Context: r->lock held, the new states already stored (a refused
 * site's quarantine is set over its state).
 */
notrace void ftrace_reg_outcomes(struct ftrace_registry *r,
				 const struct ftrace_site_change *ch,
				 unsigned int nr)
{
	struct upd_cursor at = { };
	unsigned int i;

	if (!nr)
		return;
	r->plans++;
	r->changes += nr;
	for (i = 0; i < nr; i++) {
		if (ch[i].err)
			ftrace_reg_quarantine(r, &ch[i]);
		else if (ch[i].to)
			upd_touch(r, ch[i].ip, &at);
	}
}

/* Call @fn for each site @o covers, with its chunk and index. */
static notrace void upd_each_covered(struct ftrace_registry *r,
				     const struct ftrace_acct_ops *o,
				     void (*fn)(void *data,
						struct ftrace_chunk *c,
						unsigned int site),
				     void *data)
{
	const struct ftrace_sites *f = o->filter;
	struct ftrace_chunk *c;
	unsigned int i, site;

	if (!f || ftrace_sites_is_none(f))
		return;
	if (ftrace_sites_is_all(f)) {
		for (c = r->next(r, NULL); c; c = r->next(r, c)) {
			for (i = 0; i < c->nr; i++)
				if (ftrace_acct_covers(o, c->ip[i]))
					fn(data, c, i);
		}
		return;
	}
	for (i = 0; i < f->nr; i++) {
		if (!ftrace_acct_covers(o, f->ip[i]))
			continue;
		c = ftrace_reg_find(r, f->ip[i], &site);
		if (c)
			fn(data, c, site);
	}
}

struct upd_count {
	unsigned int all, live;
};

static notrace void upd_count_one(void *data, struct ftrace_chunk *c,
				  unsigned int site)
{
	struct upd_count *n = data;

	n->all++;
	if (!(c->state[site] & FTRACE_ACCT_QUARANTINE))
		n->live++;
}

/* How many sites @o covers, and how many of them are not quarantined. */
static notrace void upd_covered(struct ftrace_registry *r,
				const struct ftrace_acct_ops *o,
				unsigned int *all, unsigned int *live)
{
	struct upd_count n = { };

	upd_each_covered(r, o, upd_count_one, &n);
	*all = n.all;
	*live = n.live;
}

/*
 * Slot @idx goes from @before to @after (either may be NULL): account,
 * plan, run, apply the outcomes.  On an error nothing has changed.
 */
static notrace int upd_change(struct ftrace_registry *r, unsigned int idx,
			      struct ftrace_acct_ops *before,
			      struct ftrace_acct_ops *after)
{
	unsigned int total = ftrace_reg_total(r);
	struct upd_plan p = { .r = r, .idx = idx, .was = before };
	int ret;

	p.cap = min(upd_bound_one(before, total) +
		    upd_bound_one(after, total), total);
	if (p.cap) {
		p.ch = kvmalloc_array(p.cap, sizeof(*p.ch), GFP_KERNEL);
		if (!p.ch)
			return -ENOMEM;
	}

	r->slot[idx] = after;
	p.alone = ftrace_acct_only((const struct ftrace_acct_ops *const *)r->slot,
				   r->nslot, after);
	upd_account(r, before, after, &p);
	if (WARN_ON_ONCE(p.overflow)) {
		ret = -EOVERFLOW;
		goto undo;
	}

	ret = ftrace_reg_run(r, p.ch, p.nr);
	if (ret)
		goto undo;
	ftrace_reg_outcomes(r, p.ch, p.nr);
	kvfree(p.ch);
	return 0;

undo:
	r->slot[idx] = before;
	upd_account(r, after, before, NULL);
	kvfree(p.ch);
	return ret;
}

static notrace int upd_slot_of(struct ftrace_registry *r,
			       const struct ftrace_acct_ops *o)
{
	unsigned int i;

	for (i = 0; i < r->nslot; i++) {
		if (r->slot[i] == o)
			return i;
	}
	return -ENOENT;
}

/* A free slot, the array grown by one if there is none. */
static notrace int upd_free_slot(struct ftrace_registry *r)
{
	struct ftrace_acct_ops **s;
	int i = upd_slot_of(r, NULL);

	if (i >= 0)
		return i;
	s = krealloc_array(r->slot, r->nslot + 1, sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s[r->nslot] = NULL;
	r->slot = s;
	return r->nslot++;
}

/**
 * ftrace_reg_register() - register an ops
 * @r: the registry
 * @o: the ops, with its sets, flags and trampoline; not registered
 *
 * Its covered sites get their new states and the targets these give them,
 * in one run of the engine; a site refused is quarantined.
 *
 * Context: r->lock held; may sleep.
 * Return: 0; -EBUSY if @o is registered already, or if every site its
 * filter covers is (or, by this plan, got) quarantined: then it is not
 * registered; -ENOMEM, or the engine's own error: nothing changed.
 */
notrace int ftrace_reg_register(struct ftrace_registry *r,
				struct ftrace_acct_ops *o)
{
	unsigned int all, live;
	int idx, ret;

	lockdep_assert_held(r->lock);
	if (upd_slot_of(r, o) >= 0)
		return -EBUSY;
	upd_covered(r, o, &all, &live);
	if (all && !live)
		return -EBUSY;

	idx = upd_free_slot(r);
	if (idx < 0)
		return idx;
	ret = upd_change(r, idx, NULL, o);
	if (ret)
		return ret;

	upd_covered(r, o, &all, &live);
	if (all && !live) {
		/*
		 * Its plan's refusals left it only quarantined sites, which
		 * no update touches: taking it out changes no target.
		 */
		r->slot[idx] = NULL;
		upd_account(r, o, NULL, NULL);
		return -EBUSY;
	}
	return 0;
}

/**
 * ftrace_reg_unregister() - unregister an ops
 * @r: the registry
 * @o: the ops
 *
 * Its sites lose it in one run of the engine; a site refused is
 * quarantined.  The ops keeps its sets (the caller frees them).
 *
 * Context: r->lock held; may sleep.
 * Return: 0; -EINVAL if @o is not registered (nothing done); -ENOMEM or
 * the engine's own error: @o stays registered, nothing changed.
 */
notrace int ftrace_reg_unregister(struct ftrace_registry *r,
				  struct ftrace_acct_ops *o)
{
	int idx;

	lockdep_assert_held(r->lock);
	idx = o ? upd_slot_of(r, o) : -ENOENT;
	if (idx < 0)
		return -EINVAL;
	return upd_change(r, idx, o, NULL);
}

/**
 * ftrace_reg_set() - give a registered ops new filter and notrace sets
 * @r: the registry
 * @o: the ops
 * @filter: its new filter (NULL: no site)
 * @notrace_sites: its new notrace set (NULL: none refused)
 *
 * The sites whose coverage changes get their new states and targets in
 * one run of the engine; a site refused is quarantined.  On success @o
 * holds the caller's references to the new sets and its old sets are put.
 *
 * Context: r->lock held; may sleep.
 * Return: 0; -EINVAL if @o is not registered; -ENOMEM or the engine's
 * own error: nothing changed, the caller keeps its references.
 */
notrace int ftrace_reg_set(struct ftrace_registry *r,
			   struct ftrace_acct_ops *o,
			   struct ftrace_sites *filter,
			   struct ftrace_sites *notrace_sites)
{
	struct ftrace_acct_ops *was;
	int idx, ret;

	lockdep_assert_held(r->lock);
	idx = o ? upd_slot_of(r, o) : -ENOENT;
	if (idx < 0)
		return -EINVAL;

	was = kmemdup(o, sizeof(*o), GFP_KERNEL);
	if (!was)
		return -ENOMEM;
	o->filter = filter;
	o->notrace_sites = notrace_sites;
	ret = upd_change(r, idx, was, o);
	if (ret) {
		o->filter = was->filter;
		o->notrace_sites = was->notrace_sites;
		r->slot[idx] = o;
	} else {
		if (was->filter)
			ftrace_sites_put(was->filter);
		if (was->notrace_sites)
			ftrace_sites_put(was->notrace_sites);
	}
	kfree(was);
	return ret;
}

/* A site of the redirected ops: from its old target to its new one. */
static notrace void upd_redirect_one(void *data, struct ftrace_chunk *c,
				     unsigned int site)
{
	upd_site(data, c->ip[site], c->state[site], c->state[site]);
}

/*
 * Was @ch refused with its site still holding what it held (not another
 * patcher's bytes: the new target refused, the page not mappable)?
 */
static notrace bool upd_held(const struct ftrace_site_change *ch)
{
	return ch->err && (ch->err != -EINVAL ||
			   !memcmp(ch->found, ch->expected, MCOUNT_INSN_SIZE));
}

/*
 * A redirect's run refused a site that still calls the old address,
 * which its caller frees once the redirect fails: the sites that moved
 * go back (a refusal of that is quarantined), the refused ones stay.
 * Should the way back fail whole (no memory), the moved sites keep the
 * new address, and the check reports them.  Returns the first such
 * refusal's error, or 0 if there was none.
 */
static notrace int upd_redirect_back(struct ftrace_registry *r,
				     struct upd_plan *p)
{
	unsigned int i, n = 0;
	int err = 0;

	for (i = 0; i < p->nr && !err; i++)
		if (upd_held(&p->ch[i]))
			err = p->ch[i].err;
	if (!err)
		return 0;
	for (i = 0; i < p->nr; i++) {
		struct ftrace_site_change *ch = &p->ch[i];

		if (ch->err) {
			/* another patcher's bytes: never ours again */
			if (!upd_held(ch))
				ftrace_reg_quarantine(r, ch);
			continue;
		}
		swap(ch->from, ch->to);
		p->ch[n++] = *ch;
	}
	if (n && !ftrace_reg_run(r, p->ch, n))
		ftrace_reg_outcomes(r, p->ch, n);
	return err;
}

/**
 * ftrace_reg_redirect() - move a registered DIRECT ops to another address
 * @r: the registry
 * @o: the ops
 * @direct: its new direct address
 *
 * No state changes: the sites @o alone covers go from its old address to
 * @direct in one run of the engine; the sites it shares keep calling the
 * regs caller, whose callback reads the ops' address.  A site refused for
 * another patcher's bytes is quarantined; one refused while it still
 * calls the old address (which the caller frees if this fails) makes the
 * whole move fail: the sites that moved go back.
 *
 * Context: r->lock held; may sleep.
 * Return: 0; -EINVAL if @o is not a registered DIRECT ops or @direct is
 * 0; -ENOMEM, the engine's own error, or the error of a site refused as
 * above: @o keeps its address, every site its old target.
 */
notrace int ftrace_reg_redirect(struct ftrace_registry *r,
				struct ftrace_acct_ops *o,
				unsigned long direct)
{
	struct ftrace_acct_ops was;
	struct upd_plan p = { .r = r, .was = &was };
	int idx, ret;

	lockdep_assert_held(r->lock);
	idx = o ? upd_slot_of(r, o) : -ENOENT;
	if (idx < 0 || !(o->flags & FTRACE_OPS_FL_DIRECT) || !direct)
		return -EINVAL;
	p.idx = idx;
	p.cap = upd_bound_one(o, ftrace_reg_total(r));
	if (p.cap) {
		p.ch = kvmalloc_array(p.cap, sizeof(*p.ch), GFP_KERNEL);
		if (!p.ch)
			return -ENOMEM;
	}
	was = *o;
	o->direct = direct;
	upd_each_covered(r, o, upd_redirect_one, &p);
	ret = WARN_ON_ONCE(p.overflow) ? -EOVERFLOW : 0;
	if (!ret)
		ret = ftrace_reg_run(r, p.ch, p.nr);
	if (!ret) {
		ret = upd_redirect_back(r, &p);
		if (!ret)
			ftrace_reg_outcomes(r, p.ch, p.nr);
	}
	if (ret)
		o->direct = was.direct;
	kvfree(p.ch);
	return ret;
}

/**
 * ftrace_registry_init() - an empty registry
 * @r: the registry
 * @lock: what serializes it (ftrace_lock)
 * @engine: what writes its plans
 * @next: walks the chunks whose sites it manages
 * @chunks: for @next
 *
 * Context: any.
 */
notrace void ftrace_registry_init(struct ftrace_registry *r,
				  struct mutex *lock,
				  const struct ftrace_engine *engine,
				  struct ftrace_chunk *(*next)(struct ftrace_registry *,
							       struct ftrace_chunk *),
				  void *chunks)
{
	memset(r, 0, sizeof(*r));
	r->lock = lock;
	r->engine = engine;
	r->next = next;
	r->chunks = chunks;
	INIT_LIST_HEAD(&r->quarantine);
}

/**
 * ftrace_registry_release() - free what a registry allocated
 * @r: the registry, its ops unregistered (their sets are theirs)
 *
 * Context: r->lock held, or the registry unreachable.
 */
notrace void ftrace_registry_release(struct ftrace_registry *r)
{
	struct ftrace_quarantined *q, *tmp;

	list_for_each_entry_safe(q, tmp, &r->quarantine, list) {
		list_del(&q->list);
		kfree(q);
	}
	kfree(r->slot);
	r->slot = NULL;
	r->nslot = 0;
}
