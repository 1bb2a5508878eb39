// SPDX-License-Identifier: GPL-2.0
/*
 * live.c - the ops, bound to the registry (update.c), when our core runs
 * ftrace (CONFIG_FTRACE_OWN_CORE_LIVE): register_ftrace_function() and
 * its kin, the ops on the list that ftrace_caller's list function walks
 * (live_calls.c), the managers of several users (function_graph's), the
 * trace arrays' ops, and the commit of an ops' new sets.
 *
 * An ops registered here has a slot: a struct ftrace_acct_ops holding
 * references to the sets its shells (hash.c) held when it registered or
 * last committed, its flags and its trampoline (live_tramp.c: a site it
 * alone covers calls it; any other covered site calls ftrace_caller or
 * ftrace_regs_caller, whose call goes to the list function).  A
 * manager's slot holds the merge of its users' sets
 * (subops.c), recomputed whenever a user comes, goes or changes.
 *
 * New sets reach text before they are published: a writer of an ops'
 * filter or notrace set hands the candidate sets to ftrace_core_commit()
 * under the ops' regex_lock and ftrace_lock, and publishes them before it
 * drops ftrace_lock; if the registry cannot apply them (no memory, the
 * engine's own failure), the writer publishes nothing and fails.  A
 * shell shared by several ops (function_graph's users point their
 * func_hash at their tracer's) commits every ops that reads it.
 *
 * Order of a registration: the ops joins the list (its callback is
 * filtered by its sets, so it runs only where it asked), then its sites
 * are patched.  Of an unregistration: its sites are unpatched, it leaves
 * the list (keeping its ->next so that a walker on it finds its way),
 * and a dynamic ops waits for every CPU and task to have left its
 * callback before the caller may free it.
 *
 * The list itself and what the sites call are live_calls.c's; every
 * change that may take a site away marks the callers unsettled, and
 * after every change of the list or of the zombies,
 * ftrace_live_single_update() tells the list function whether one ops
 * alone is left to call.
 *
 * Locking: ftrace_lock serializes the slots, the list and every registry
 * call; ftrace_core_chunks_lock is taken below it for the registry's
 * walks.  Order: regex_lock > ftrace_lock > ftrace_core_chunks_lock >
 * text_mutex.  A manager's shells are written only under ftrace_lock
 * (fgraph calls in with ftrace_lock held), never under a regex_lock.
 *
 * The core never traces itself: every function here is notrace.
 */
#define pr_fmt(fmt) "ftrace: " fmt

#include <linux/ftrace.h>
#include <linux/init.h>
#include <linux/kprobes.h>
#include <linux/delay.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/rcupdate_wait.h>
#include <asm/sections.h>
#include <linux/slab.h>

#include "../trace.h"
#include "../ftrace_internal.h"
#include "live.h"

/* Serializes the ops, their slots and list, and every registry change. */
DEFINE_MUTEX(ftrace_lock);

struct ftrace_ops global_ops = {
	.func = ftrace_stub,
	.local_hash.regex_lock = __MUTEX_INITIALIZER(global_ops.local_hash.regex_lock),
	.func_hash = &global_ops.local_hash,
	.subop_list = LIST_HEAD_INIT(global_ops.subop_list),
	.flags = FTRACE_OPS_FL_INITIALIZED | FTRACE_OPS_FL_PID,
};

int ftrace_enabled __read_mostly = 1;

LIST_HEAD(ftrace_live_slots);	/* ftrace_lock */

/* The registry of our core's ops: its engine is the x86 one. */
static const struct ftrace_engine live_engine = {
	.change = ftrace_arch_change_sites,
	.caller = FTRACE_ADDR,
	.regs_caller = FTRACE_REGS_ADDR,
};

/* The chunks whose sites are live: a module's from its enable on. */
static notrace struct ftrace_chunk *live_next(struct ftrace_registry *r,
					      struct ftrace_chunk *c)
{
	do {
		c = ftrace_chunk_next(c);
	} while (c && !c->enabled);
	return c;
}

struct ftrace_registry ftrace_live_registry;

/**
 * ftrace_live_registry_init() - set up the registry, at ftrace_init()
 */
notrace void __init ftrace_live_registry_init(void)
{
	ftrace_registry_init(&ftrace_live_registry, &ftrace_lock, &live_engine,
			     live_next, NULL);
}

static notrace struct ftrace_live_slot *live_slot_of(struct ftrace_ops *ops)
{
	struct ftrace_live_slot *s;

	lockdep_assert_held(&ftrace_lock);
	list_for_each_entry(s, &ftrace_live_slots, list)
		if (s->ops == ops)
			return s;
	return NULL;
}

/*
 * The sets @ops reads now (new references; stale addresses left out), or
 * @cand_* in place of the shells of @fh, the func_hash being committed.
 */
static notrace void live_sets_of(struct ftrace_ops *ops,
				 const struct ftrace_ops_hash *fh,
				 struct ftrace_sites *cand_filter,
				 struct ftrace_sites *cand_notrace,
				 struct ftrace_sites **filter,
				 struct ftrace_sites **notrace_sites)
{
	struct ftrace_ops_hash *h = ops->func_hash;

	if (fh && h == fh) {
		*filter = ftrace_sites_get(cand_filter);
		*notrace_sites = ftrace_sites_get(cand_notrace);
		return;
	}
	/*
	 * Writers publish under ftrace_lock, but ftrace_core_free_filter()
	 * clears an unregistered ops' shells without it: read them under
	 * RCU, take references on the sets.
	 */
	rcu_read_lock();
	*filter = ftrace_sites_get(ftrace_hash_live(rcu_dereference(h->filter_hash),
						    true));
	*notrace_sites =
		ftrace_sites_get(ftrace_hash_live(rcu_dereference(h->notrace_hash),
						  false));
	rcu_read_unlock();
}

static notrace void live_put_sets(struct ftrace_sites *f, struct ftrace_sites *n)
{
	ftrace_sites_put(f);
	ftrace_sites_put(n);
}

/* Publish a manager's sets in its own shells (ftrace_lock, no regex_lock) */
static notrace int live_publish_manager(struct ftrace_ops *ops,
					struct ftrace_sites *f,
					struct ftrace_sites *n)
{
	struct ftrace_hash *hf, *hn, *of, *on;

	lockdep_assert_held(&ftrace_lock);
	hf = ftrace_hash_shell(ftrace_sites_get(f), 0, GFP_KERNEL);
	hn = ftrace_hash_shell(ftrace_sites_get(n), 0, GFP_KERNEL);
	if (!hf || !hn) {
		ftrace_hash_shell_free(hf);
		ftrace_hash_shell_free(hn);
		return -ENOMEM;
	}
	of = rcu_dereference_protected(ops->func_hash->filter_hash,
				       lockdep_is_held(&ftrace_lock));
	on = rcu_dereference_protected(ops->func_hash->notrace_hash,
				       lockdep_is_held(&ftrace_lock));
	rcu_assign_pointer(ops->func_hash->filter_hash, hf);
	rcu_assign_pointer(ops->func_hash->notrace_hash, hn);
	ftrace_hash_shell_free(of);
	ftrace_hash_shell_free(on);
	return 0;
}

/*
 * The merged sets of manager @mgr's users (new references), with
 * @extra counted as a user and @skip not, and @fh read as @cand_*.
 */
static notrace int live_merge(struct ftrace_ops *mgr, struct ftrace_ops *extra,
			      struct ftrace_ops *skip,
			      const struct ftrace_ops_hash *fh,
			      struct ftrace_sites *cand_f,
			      struct ftrace_sites *cand_n,
			      struct ftrace_sites **f, struct ftrace_sites **n)
{
	struct ftrace_acct_ops *users, **up;
	struct ftrace_ops *u;
	unsigned int nr = 0, i;
	int ret;

	list_for_each_entry(u, &mgr->subop_list, list)
		nr++;
	nr++;
	users = kcalloc(nr, sizeof(*users), GFP_KERNEL);
	up = kcalloc(nr, sizeof(*up), GFP_KERNEL);
	ret = -ENOMEM;
	if (!users || !up)
		goto out;
	i = 0;
	list_for_each_entry(u, &mgr->subop_list, list) {
		if (u == skip)
			continue;
		live_sets_of(u, fh, cand_f, cand_n, &users[i].filter,
			     &users[i].notrace_sites);
		users[i].flags = u->flags;
		up[i] = &users[i];
		i++;
	}
	if (extra) {
		live_sets_of(extra, fh, cand_f, cand_n, &users[i].filter,
			     &users[i].notrace_sites);
		users[i].flags = extra->flags;
		up[i] = &users[i];
		i++;
	}
	ret = ftrace_subops_merge((const struct ftrace_acct_ops *const *)up,
				  i, f, n, GFP_KERNEL);
	while (i--)
		live_put_sets(users[i].filter, users[i].notrace_sites);
out:
	kfree(up);
	kfree(users);
	return ret;
}

/* Hand @ops' slot new sets (references passed on success). */
static notrace int live_slot_set(struct ftrace_ops *ops, struct ftrace_sites *f,
				 struct ftrace_sites *n)
{
	struct ftrace_live_slot *s = live_slot_of(ops);
	int ret;

	if (!s)
		return -EINVAL;
	ftrace_live_reg_begin(true);
	ret = ftrace_reg_set(&ftrace_live_registry, &s->acct, f, n);
	ftrace_live_reg_end();
	return ret;
}

/*
 * Registered manager @mgr takes the merge of its users (@extra counted,
 * @skip not, @fh read as @cf/@cn): its slot first, then its shells.
 * Nothing changed on error.
 */
static notrace int live_manager_apply(struct ftrace_ops *mgr,
				      struct ftrace_ops *extra,
				      struct ftrace_ops *skip,
				      const struct ftrace_ops_hash *fh,
				      struct ftrace_sites *cf,
				      struct ftrace_sites *cn)
{
	struct ftrace_sites *f, *n;
	int ret;

	ret = live_merge(mgr, extra, skip, fh, cf, cn, &f, &n);
	if (ret)
		return ret;
	ret = live_slot_set(mgr, f, n);
	if (ret) {
		live_put_sets(f, n);
		return ret;
	}
	/* the slot holds @f and @n now; a failure leaves stale shells */
	WARN_ON_ONCE(live_publish_manager(mgr, f, n));
	return 0;
}

/*
 * Slots whose ops left while the registry could not take their sites
 * back (no memory, the engine's own failure): the ops is gone from the
 * list and may be freed, its sites still call ftrace_caller, whose list
 * walk no longer finds it; the slot keeps their states right until a
 * later change takes it out of the registry (live_reap()).
 */
LIST_HEAD(ftrace_live_zombie_slots);	/* ftrace_lock */

/* Wait until no CPU or task can still be in @ops' callback. */
static notrace void live_wait_callers(struct ftrace_ops *ops)
{
	if (ops->flags & FTRACE_OPS_FL_DYNAMIC)
		ftrace_live_settle_callers();
}

/**
 * ftrace_live_clean() - may the list's only ops be called straight?
 *
 * No zombie's sites remain and no quarantined site may hold a call
 * (live_calls.c).
 *
 * Context: ftrace_lock held.
 * Return: true if none.
 */
notrace bool ftrace_live_clean(void)
{
	lockdep_assert_held(&ftrace_lock);
	return list_empty(&ftrace_live_zombie_slots) &&
	       !ftrace_live_registry.nr_calling;
}

/*
 * Around every call that changes the registry: one that may take a site
 * away (@takes) leaves calls in flight from it (live_calls.c); after it,
 * a site quarantined while it held a call ends the single-ops shortcut.
 */
static notrace void live_reg_begin(bool takes)
{
	lockdep_assert_held(&ftrace_lock);
	if (takes)
		ftrace_live_callers_unsettle();
	mutex_lock(&ftrace_core_chunks_lock);
}

static notrace void live_reg_end(void)
{
	mutex_unlock(&ftrace_core_chunks_lock);
	if (!ftrace_live_clean())
		ftrace_live_single_stop();
}

/*
 * @ops left the list: walk from now on, wait for its callers, then let
 * the list function call the one ops left straight if it may.
 */
static notrace void live_left(struct ftrace_ops *ops)
{
	ftrace_live_single_stop();
	live_wait_callers(ops);
	ftrace_live_single_update();
}

/**
 * ftrace_live_reg_begin() - before a registry call from another file
 * (the checker's repair, a direct ops' move): see live_reg_begin()
 * @takes: it may take a site away
 *
 * Context: ftrace_lock held; takes ftrace_core_chunks_lock.
 */
notrace void ftrace_live_reg_begin(bool takes)
{
	live_reg_begin(takes);
}

/**
 * ftrace_live_reg_end() - after it
 *
 * Context: ftrace_lock held; drops ftrace_core_chunks_lock.
 */
notrace void ftrace_live_reg_end(void)
{
	live_reg_end();
}

/* Put @s's acct into the registry (@in) or take it out. */
static notrace int live_reg_toggle(struct ftrace_live_slot *s, bool in)
{
	int ret;

	live_reg_begin(!in);
	if (in)
		ret = ftrace_reg_register(&ftrace_live_registry, &s->acct);
	else
		ret = ftrace_reg_unregister(&ftrace_live_registry, &s->acct);
	live_reg_end();
	return ret;
}

/**
 * ftrace_live_set_enabled() - apply kernel.ftrace_enabled
 * @on: 1 to let the registered ops at their sites, 0 to take every site
 *      back to the NOP
 *
 * The ops stay registered and the states stay kept (ftrace_reg_switch());
 * only the text changes.  A permanent ops (FTRACE_OPS_FL_PERMANENT)
 * refuses 0.
 *
 * Context: takes ftrace_lock; may sleep.
 * Return: 0, -EBUSY (a permanent ops), or the registry's error: then
 * nothing changed.
 */
notrace int ftrace_live_set_enabled(bool on)
{
	struct ftrace_live_slot *s;
	int ret = 0;

	mutex_lock(&ftrace_lock);
	if (!on) {
		list_for_each_entry(s, &ftrace_live_slots, list)
			if (s->ops->flags & FTRACE_OPS_FL_PERMANENT) {
				ret = -EBUSY;
				goto out;
			}
	}
	live_reg_begin(true);
	ret = ftrace_reg_switch(&ftrace_live_registry, !on);
	live_reg_end();
out:
	ftrace_enabled = !ftrace_live_registry.off;
	mutex_unlock(&ftrace_lock);
	return ret;
}

/**
 * ftrace_live_acct_of() - the registry's view of a registered ops
 * @ops: the ops
 *
 * Context: ftrace_lock held.
 * Return: its slot's accounting, or NULL if @ops is not registered.
 */
notrace struct ftrace_acct_ops *ftrace_live_acct_of(struct ftrace_ops *ops)
{
	struct ftrace_live_slot *s = live_slot_of(ops);

	return s ? &s->acct : NULL;
}

/**
 * ftrace_live_sets_now() - the sets a registered ops' slot must hold: its
 * shells' live sets; a manager's, the merge of its users'
 * @ops: the ops
 * @f: its filter (a new reference)
 * @n: its notrace set (a new reference)
 *
 * Context: ftrace_lock held; may sleep.
 * Return: 0, or -ENOMEM (a manager's merge).
 */
notrace int ftrace_live_sets_now(struct ftrace_ops *ops,
				 struct ftrace_sites **f,
				 struct ftrace_sites **n)
{
	lockdep_assert_held(&ftrace_lock);
	if (!list_empty(&ops->subop_list))
		return live_merge(ops, NULL, NULL, NULL, NULL, NULL, f, n);
	live_sets_of(ops, NULL, NULL, NULL, f, n);
	return 0;
}

/**
 * ftrace_live_resync() - a registered ops' slot takes the sets of
 * ftrace_live_sets_now() (after stale addresses were marked in its
 * shells, or a check found it wrong: live_stale.c)
 * @ops: the ops
 *
 * Context: ftrace_lock held (not ftrace_core_chunks_lock); may sleep.
 * Return: 0, or the registry's error (nothing changed).
 */
notrace int ftrace_live_resync(struct ftrace_ops *ops)
{
	struct ftrace_sites *f, *n;
	int ret;

	lockdep_assert_held(&ftrace_lock);
	if (!list_empty(&ops->subop_list))
		return live_manager_apply(ops, NULL, NULL, NULL, NULL, NULL);
	live_sets_of(ops, NULL, NULL, NULL, &f, &n);
	ret = live_slot_set(ops, f, n);
	if (ret)
		live_put_sets(f, n);
	return ret;
}

/* Take the zombies out of the registry now, if it can. */
static notrace void live_reap(void)
{
	struct ftrace_live_slot *s, *t;

	lockdep_assert_held(&ftrace_lock);
	list_for_each_entry_safe(s, t, &ftrace_live_zombie_slots, list) {
		if (live_reg_toggle(s, false))
			continue;
		list_del(&s->list);
		ftrace_live_tramp_reap(s->acct.tramp);
		live_put_sets(s->acct.filter, s->acct.notrace_sites);
		kfree(s);
	}
	ftrace_live_single_update();
}

/**
 * ftrace_live_zombies() - how many left ops still wait to leave the
 * registry (ftrace_live_zombie_slots)
 *
 * Context: ftrace_lock held.
 * Return: their number.
 */
notrace unsigned int ftrace_live_zombies(void)
{
	struct ftrace_live_slot *s;
	unsigned int n = 0;

	lockdep_assert_held(&ftrace_lock);
	list_for_each_entry(s, &ftrace_live_zombie_slots, list)
		n++;
	return n;
}

/**
 * ftrace_startup() - register an ops with the registry and the list
 * @ops: the ops, not enabled
 * @command: unused (upstream's FTRACE_* commands)
 *
 * Context: ftrace_lock held; may sleep.
 * Return: 0; -EBUSY if @ops is enabled already, if it would only cover
 * quarantined sites, or if it may change the ip (IPMODIFY) where another
 * ops may (ftrace_live_exclusive()); -ENOMEM or the engine's own error.
 */
notrace int ftrace_startup(struct ftrace_ops *ops, int command)
{
	struct ftrace_live_slot *s;
	int ret;

	lockdep_assert_held(&ftrace_lock);
	ftrace_core_ops_init(ops);
	if (ops->flags & (FTRACE_OPS_FL_ENABLED | FTRACE_OPS_FL_DELETED))
		return -EBUSY;
	live_reap();
	if (!is_kernel_core_data((unsigned long)ops))
		ops->flags |= FTRACE_OPS_FL_DYNAMIC;
	if (ops->flags & FTRACE_OPS_FL_SAVE_REGS_IF_SUPPORTED)
		ops->flags |= FTRACE_OPS_FL_SAVE_REGS;
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->ops = ops;
	live_sets_of(ops, NULL, NULL, NULL, &s->acct.filter,
		     &s->acct.notrace_sites);
	s->acct.flags = ops->flags;
	if (ops->flags & FTRACE_OPS_FL_DIRECT)
		s->acct.direct = ops->direct_call;
	ret = ftrace_live_exclusive(ops, &s->acct);
	if (ret) {
		live_put_sets(s->acct.filter, s->acct.notrace_sites);
		kfree(s);
		return ret;
	}
	/* users tell a registered ops by it (fprobe_is_registered()) */
	ops->saved_func = ops->func;
	ops->func = ftrace_live_pid_callback(ops);
	s->acct.tramp = ftrace_live_tramp_get(ops);

	ops->flags |= FTRACE_OPS_FL_ADDING;
	ftrace_live_list_add(ops);
	ftrace_live_single_update();
	ret = -EBUSY;	/* a permanent ops must run, and ftrace is off */
	if (!ftrace_live_registry.off || !(ops->flags & FTRACE_OPS_FL_PERMANENT))
		ret = live_reg_toggle(s, true);
	ops->flags &= ~FTRACE_OPS_FL_ADDING;
	if (ret) {
		ftrace_live_list_del(ops);
		ftrace_live_tramp_leave(ops);
		live_left(ops);
		ftrace_live_tramp_put(ops);
		ops->func = ops->saved_func;
		ftrace_live_exclusive_undo(ops, &s->acct);
		live_put_sets(s->acct.filter, s->acct.notrace_sites);
		kfree(s);
		return ret;
	}
	list_add(&s->list, &ftrace_live_slots);
	ops->flags |= FTRACE_OPS_FL_ENABLED;
	return 0;
}

/**
 * ftrace_shutdown() - unregister an ops
 * @ops: the ops
 * @command: unused
 *
 * Never fails for a registered ops: if the registry cannot take its
 * sites back now (no memory, the engine's own failure), its slot waits
 * among the zombies (live_reap()) while the ops leaves the list and may
 * be freed.  A direct ops' sites would still jump to its trampoline: its
 * slot is retried for a while first, then kept with a warning.
 *
 * Context: ftrace_lock held; may sleep.
 * Return: 0, or -EINVAL if @ops is not registered.
 */
notrace int ftrace_shutdown(struct ftrace_ops *ops, int command)
{
	struct ftrace_live_slot *s;
	unsigned int tries = ops->flags & FTRACE_OPS_FL_DIRECT ? 50 : 1;
	int ret;

	lockdep_assert_held(&ftrace_lock);
	s = live_slot_of(ops);
	if (!s)
		return -EINVAL;
	ops->flags |= FTRACE_OPS_FL_REMOVING;
	while ((ret = live_reg_toggle(s, false)) && --tries)
		msleep(20);
	ops->flags &= ~FTRACE_OPS_FL_REMOVING;
	list_del(&s->list);
	ftrace_live_list_del(ops);
	if (ret) {
		s->ops = NULL;
		/* before the wait: no call into @ops once it may be freed */
		ftrace_live_tramp_orphan(ops);
		list_add(&s->list, &ftrace_live_zombie_slots);
	} else {
		ftrace_live_tramp_leave(ops);
	}
	ops->flags &= ~FTRACE_OPS_FL_ENABLED;
	live_left(ops);
	ops->func = ops->saved_func;
	/*
	 * Its sites are back and it is no longer among the registered (a
	 * dynamic ops' callers are gone too; a static one's may still be in
	 * flight, as with upstream's core): a direct ops that shared them
	 * may go plain (a bpf trampoline rebuilt now does not find it
	 * again).
	 */
	ftrace_live_exclusive_end(s);
	if (ret) {
		pr_warn("%ps: sites kept until the registry can take them (%d)\n",
			ops->func, ret);
		WARN_ON_ONCE(ops->flags & FTRACE_OPS_FL_DIRECT);
		return 0;
	}
	ftrace_live_tramp_put(ops);
	live_put_sets(s->acct.filter, s->acct.notrace_sites);
	kfree(s);
	live_reap();
	return 0;
}

/**
 * ftrace_startup_subops() - add a user to a manager ops
 * @ops: the manager (function_graph's graph_ops)
 * @subops: the user, not enabled
 * @command: unused
 *
 * The manager covers exactly the sites its users cover (subops.c); it is
 * registered with its first user.
 *
 * Context: ftrace_lock held; may sleep.
 * Return: 0, -EBUSY if @subops is enabled, or the registry's error
 * (nothing changed).
 */
notrace int ftrace_startup_subops(struct ftrace_ops *ops,
				  struct ftrace_ops *subops, int command)
{
	struct ftrace_sites *f, *n;
	int ret;

	lockdep_assert_held(&ftrace_lock);
	ftrace_core_ops_init(ops);
	ftrace_core_ops_init(subops);
	if (WARN_ON_ONCE(subops->flags & FTRACE_OPS_FL_ENABLED))
		return -EBUSY;
	if (ops->flags & FTRACE_OPS_FL_ENABLED) {
		ret = live_manager_apply(ops, subops, NULL, NULL, NULL, NULL);
	} else {
		ret = live_merge(ops, subops, NULL, NULL, NULL, NULL, &f, &n);
		if (ret)
			return ret;
		ret = live_publish_manager(ops, f, n);
		live_put_sets(f, n);
		if (!ret)
			ret = ftrace_startup(ops, command);
	}
	if (ret)
		return ret;
	list_add(&subops->list, &ops->subop_list);
	subops->flags |= FTRACE_OPS_FL_ENABLED | FTRACE_OPS_FL_SUBOP;
	subops->managed = ops;
	return 0;
}

/**
 * ftrace_shutdown_subops() - remove a user from its manager
 * @ops: the manager
 * @subops: the user
 * @command: unused
 *
 * Context: ftrace_lock held; may sleep.
 * Return: 0, -EINVAL if @subops is not a user of @ops, or the registry's
 * error (nothing changed).
 */
notrace int ftrace_shutdown_subops(struct ftrace_ops *ops,
				   struct ftrace_ops *subops, int command)
{
	int ret;

	lockdep_assert_held(&ftrace_lock);
	if (!(subops->flags & FTRACE_OPS_FL_SUBOP) || subops->managed != ops)
		return -EINVAL;
	if (list_is_singular(&ops->subop_list)) {
		ret = ftrace_shutdown(ops, command);
		if (ret)
			return ret;
		live_publish_manager(ops, FTRACE_SITES_NONE_SET,
				     FTRACE_SITES_NONE_SET);
	} else {
		ret = live_manager_apply(ops, NULL, subops, NULL, NULL, NULL);
		if (ret)
			return ret;
	}
	list_del_init(&subops->list);
	subops->flags &= ~(FTRACE_OPS_FL_ENABLED | FTRACE_OPS_FL_SUBOP);
	subops->managed = NULL;
	return 0;
}

/*
 * Commit @fh's candidate sets to the manager @mgr if one of its users
 * reads @fh.
 */
static notrace int live_commit_manager(struct ftrace_ops *mgr,
				       const struct ftrace_ops_hash *fh,
				       struct ftrace_sites *cf,
				       struct ftrace_sites *cn)
{
	struct ftrace_ops *u;
	bool reads = false;

	list_for_each_entry(u, &mgr->subop_list, list)
		reads |= u->func_hash == fh;
	if (!reads)
		return 0;
	return live_manager_apply(mgr, NULL, NULL, fh, cf, cn);
}

/* @s's accounting with @filter and @notrace_sites for sets */
static notrace void live_cand(struct ftrace_acct_ops *cand,
			      const struct ftrace_live_slot *s,
			      struct ftrace_sites *filter,
			      struct ftrace_sites *notrace_sites)
{
	*cand = s->acct;
	cand->filter = filter;
	cand->notrace_sites = notrace_sites;
}

/* A commit failed: the first @asked ops reading @fh asked their peers. */
static notrace void live_commit_unask(const struct ftrace_ops_hash *fh,
				      struct ftrace_sites *filter,
				      struct ftrace_sites *notrace_sites,
				      unsigned int asked)
{
	struct ftrace_acct_ops cand;
	struct ftrace_live_slot *s;

	list_for_each_entry(s, &ftrace_live_slots, list) {
		if (!asked)
			return;
		if (s->ops->func_hash != fh)
			continue;
		live_cand(&cand, s, filter, notrace_sites);
		ftrace_live_exclusive_undo(s->ops, &cand);
		asked--;
	}
}

/**
 * ftrace_core_commit() - apply an ops' new sets before they are published
 * @ops: the ops whose func_hash gets them
 * @filter: the new filter set
 * @notrace_sites: the new notrace set
 *
 * Every registered ops that reads @ops->func_hash (@ops itself, or a
 * function_graph user sharing its tracer's hashes, through its manager)
 * gets the sets in the registry, unless they would have an IPMODIFY ops
 * share a site with another (ftrace_live_exclusive(): -EBUSY, nothing
 * changed, no direct ops left asked to share).
 *
 * The caller publishes the sets before it drops ftrace_lock, so that no
 * registration or merge reads the shells between the commit and the
 * publication.  A failure after an earlier ops took the sets leaves that
 * one with them (reported): only no memory or the engine's own failure
 * can do that.
 *
 * Context: @ops' regex_lock and ftrace_lock held
 * (ftrace_core_commit_lock()); may sleep.
 * Return: 0, or the registry's error: then publish nothing.
 */
notrace int ftrace_core_commit(struct ftrace_ops *ops,
			       struct ftrace_sites *filter,
			       struct ftrace_sites *notrace_sites)
{
	const struct ftrace_ops_hash *fh = ops->func_hash;
	struct ftrace_acct_ops cand;
	struct ftrace_live_slot *s;
	unsigned int done = 0, asked = 0;
	int ret = 0;

	lockdep_assert_held(&ftrace_lock);
	list_for_each_entry(s, &ftrace_live_slots, list) {
		if (s->ops->func_hash != fh)
			continue;
		live_cand(&cand, s, filter, notrace_sites);
		ret = ftrace_live_exclusive(s->ops, &cand);
		if (ret)
			break;
		asked++;
	}
	if (ret) {
		live_commit_unask(fh, filter, notrace_sites, asked);
		return ret;
	}
	list_for_each_entry(s, &ftrace_live_slots, list) {
		struct ftrace_ops *op = s->ops;

		if (!list_empty(&op->subop_list)) {
			ret = live_commit_manager(op, fh, filter,
						  notrace_sites);
		} else if (op->func_hash == fh) {
			ret = live_slot_set(op, ftrace_sites_get(filter),
					    ftrace_sites_get(notrace_sites));
			if (ret)
				live_put_sets(filter, notrace_sites);
		}
		if (ret)
			break;
		done++;
	}
	if (ret && done)
		pr_warn("new sets reached some ops and not others (%d)\n", ret);
	if (ret)
		live_commit_unask(fh, filter, notrace_sites, asked);
	return ret;
}

/**
 * ftrace_core_commit_lock() - what a commit and its publication hold
 *
 * Context: process context; an ops' regex_lock held.
 */
notrace void ftrace_core_commit_lock(void)
	__acquires(&ftrace_lock)
{
	mutex_lock(&ftrace_lock);
}

/**
 * ftrace_core_commit_unlock() - drop what ftrace_core_commit_lock() took
 */
notrace void ftrace_core_commit_unlock(void)
	__releases(&ftrace_lock)
{
	mutex_unlock(&ftrace_lock);
}

/**
 * register_ftrace_function() - start calling an ops' callback at the
 * sites its sets cover
 * @ops: the ops
 *
 * Return: 0 or ftrace_startup()'s error.
 */
notrace int register_ftrace_function(struct ftrace_ops *ops)
{
	guard(mutex)(&ftrace_lock);
	return ftrace_startup(ops, 0);	/* it initialises @ops */
}
EXPORT_SYMBOL_GPL(register_ftrace_function);

/**
 * unregister_ftrace_function() - stop calling an ops' callback
 * @ops: the ops
 *
 * A dynamic ops may be freed when this returns.
 *
 * Return: 0; -EINVAL if it is not registered.
 */
notrace int unregister_ftrace_function(struct ftrace_ops *ops)
{
	guard(mutex)(&ftrace_lock);
	return ftrace_shutdown(ops, 0);
}
EXPORT_SYMBOL_GPL(unregister_ftrace_function);

/**
 * __register_ftrace_function() - ftrace_startup() for callers holding
 * ftrace_lock
 * @ops: the ops
 *
 * Return: ftrace_startup()'s.
 */
notrace int __register_ftrace_function(struct ftrace_ops *ops)
{
	return ftrace_startup(ops, 0);
}

/**
 * __unregister_ftrace_function() - ftrace_shutdown() for callers holding
 * ftrace_lock
 * @ops: the ops
 *
 * Return: ftrace_shutdown()'s.
 */
notrace int __unregister_ftrace_function(struct ftrace_ops *ops)
{
	return ftrace_shutdown(ops, 0);
}
