// SPDX-License-Identifier: GPL-2.0
/*
 * live_share.c - which registered ops may share a site, when our core
 * runs ftrace (CONFIG_FTRACE_OWN_CORE_LIVE): two ops that may change the
 * ip (IPMODIFY) never do; a direct ops does with an IPMODIFY one only if
 * its ops_func agrees (bpf trampolines then keep the original stack).
 *
 * The protocol with a direct ops' ops_func, as upstream's core speaks it:
 * an IPMODIFY ops coming onto a direct ops' sites asks the direct ops
 * (ENABLE_SHARE_IPMODIFY_PEER); a direct ops coming onto an IPMODIFY
 * ops' sites asks itself (ENABLE_SHARE_IPMODIFY_SELF).  Where upstream
 * stops there, ours takes an agreement back: DISABLE_SHARE_IPMODIFY_PEER
 * is sent when the last IPMODIFY ops sharing a site with it is gone,
 * whether it left (ftrace_live_exclusive_end(), once it is off the
 * registered list and out of its callback) or never came because its
 * registration or filter change failed after the ask
 * (ftrace_live_exclusive_undo(), and ftrace_live_exclusive() itself when
 * a later ops refuses); never while another IPMODIFY ops still shares
 * one.  An IPMODIFY ops whose filter change moves it off a direct ops'
 * sites tells it nothing (as upstream's core).
 *
 * The slots are live.c's (ftrace_live_slots); everything here runs under
 * ftrace_lock, which serializes them, and takes ftrace_core_chunks_lock
 * below it for a walk of the live chunks.
 *
 * The core never traces itself: every function here is notrace.
 */
#include <linux/ftrace.h>
#include <linux/list.h>
#include <linux/mutex.h>

#include "../ftrace_internal.h"
#include "live.h"

/*
 * Do @a and @b cover a site in common?  A SOME filter is walked; two ALL
 * filters walk the live chunks.
 */
static notrace bool live_overlap(const struct ftrace_acct_ops *a,
				 const struct ftrace_acct_ops *b)
{
	const struct ftrace_acct_ops *by = ftrace_sites_is_all(a->filter) ? b : a;
	struct ftrace_registry *r = &ftrace_live_registry;
	struct ftrace_chunk *c = NULL;
	bool both = false;
	unsigned int i;

	if (ftrace_sites_is_none(a->filter) || ftrace_sites_is_none(b->filter))
		return false;
	if (!ftrace_sites_is_all(by->filter)) {
		for (i = 0; i < by->filter->nr && !both; i++)
			both = ftrace_acct_covers(a, by->filter->ip[i]) &&
			       ftrace_acct_covers(b, by->filter->ip[i]);
		return both;
	}
	mutex_lock(&ftrace_core_chunks_lock);
	while (!both && (c = r->next(r, c)))
		for (i = 0; i < c->nr && !both; i++)
			both = ftrace_acct_covers(a, c->ip[i]) &&
			       ftrace_acct_covers(b, c->ip[i]);
	mutex_unlock(&ftrace_core_chunks_lock);
	return both;
}

/* Is @s a direct ops that @ops, covering @a, asks as its IPMODIFY peer? */
static notrace bool live_peer(struct ftrace_ops *ops,
			      const struct ftrace_acct_ops *a,
			      const struct ftrace_live_slot *s)
{
	unsigned long f = s->acct.flags;

	return a->flags & FTRACE_OPS_FL_IPMODIFY && s->ops != ops &&
	       f & FTRACE_OPS_FL_DIRECT && !(f & FTRACE_OPS_FL_IPMODIFY) &&
	       live_overlap(a, &s->acct);
}

/*
 * The direct ops of @d no longer shares with an IPMODIFY ops unless a
 * registered one but @gone still covers a site of it: tell it.
 */
static notrace void live_unshare(struct ftrace_live_slot *d,
				 const struct ftrace_live_slot *gone)
{
	struct ftrace_live_slot *s;

	if (!d->ops->ops_func)
		return;
	list_for_each_entry(s, &ftrace_live_slots, list)
		if (s != gone && s != d &&
		    s->acct.flags & FTRACE_OPS_FL_IPMODIFY &&
		    live_overlap(&s->acct, &d->acct))
			return;
	d->ops->ops_func(d->ops, FTRACE_OPS_CMD_DISABLE_SHARE_IPMODIFY_PEER);
}

/* Take back the asks @ops covering @a made of the peers before @stop. */
static notrace void live_unask(struct ftrace_ops *ops,
			       const struct ftrace_acct_ops *a,
			       const struct ftrace_live_slot *stop)
{
	struct ftrace_live_slot *s;

	list_for_each_entry(s, &ftrace_live_slots, list) {
		if (s == stop)
			return;
		if (live_peer(ops, a, s))
			live_unshare(s, NULL);
	}
}

/**
 * ftrace_live_exclusive() - may @ops cover what @a says beside the
 * registered ops?
 * @ops: the ops coming, or changing its sets
 * @a: what it would cover, with its flags
 *
 * Two IPMODIFY ops never share a site; a direct ops shares one with an
 * IPMODIFY ops only if its ops_func agrees (asked as the peer when the
 * IPMODIFY ops comes, as itself when the direct ops does).  A refusal
 * takes back the peers' agreements asked before it.
 *
 * Context: ftrace_lock held.
 * Return: 0; -EBUSY, or an ops_func's error: then no peer stays asked.
 */
notrace int ftrace_live_exclusive(struct ftrace_ops *ops,
				  const struct ftrace_acct_ops *a)
{
	bool ipmod = a->flags & FTRACE_OPS_FL_IPMODIFY;
	struct ftrace_live_slot *s;
	int ret = 0;

	lockdep_assert_held(&ftrace_lock);
	if (!ipmod && !(a->flags & FTRACE_OPS_FL_DIRECT))
		return 0;
	list_for_each_entry(s, &ftrace_live_slots, list) {
		struct ftrace_ops *op = s->ops;
		unsigned long f = s->acct.flags;

		if (op == ops || !(f & FTRACE_OPS_FL_IPMODIFY ||
				   (ipmod && f & FTRACE_OPS_FL_DIRECT)))
			continue;
		if (!live_overlap(a, &s->acct))
			continue;
		if (ipmod && f & FTRACE_OPS_FL_IPMODIFY)
			ret = -EBUSY;
		else if (ipmod)
			ret = op->ops_func ?
			      op->ops_func(op, FTRACE_OPS_CMD_ENABLE_SHARE_IPMODIFY_PEER) :
			      -EBUSY;
		else
			ret = ops->ops_func ?
			      ops->ops_func(ops, FTRACE_OPS_CMD_ENABLE_SHARE_IPMODIFY_SELF) :
			      -EBUSY;
		if (ret) {
			live_unask(ops, a, s);
			return ret;
		}
	}
	return 0;
}

/**
 * ftrace_live_exclusive_undo() - @ops will not cover @a after all
 * @ops: the ops whose registration or change failed after
 *	 ftrace_live_exclusive() agreed
 * @a: what it would have covered
 *
 * Every direct ops asked as its peer that no registered IPMODIFY ops
 * shares a site with is told it shares none.
 *
 * Context: ftrace_lock held; the registered slots as they are after the
 * failure (@ops' own with its old sets, if it is registered).
 */
notrace void ftrace_live_exclusive_undo(struct ftrace_ops *ops,
					const struct ftrace_acct_ops *a)
{
	lockdep_assert_held(&ftrace_lock);
	live_unask(ops, a, NULL);
}

/**
 * ftrace_live_exclusive_end() - an ops left: each direct ops it shared
 * sites with, and that no registered IPMODIFY ops shares one with, is
 * told
 * @gone: its slot, no longer among the registered ones (its ops pointer
 *	  may be NULL: a zombie's), its sites back (and, a dynamic ops',
 *	  its callers gone)
 *
 * Context: ftrace_lock held.
 */
notrace void ftrace_live_exclusive_end(struct ftrace_live_slot *gone)
{
	struct ftrace_live_slot *s;

	lockdep_assert_held(&ftrace_lock);
	if (!(gone->acct.flags & FTRACE_OPS_FL_IPMODIFY))
		return;
	list_for_each_entry(s, &ftrace_live_slots, list)
		if (s != gone && live_peer(gone->ops, &gone->acct, s))
			live_unshare(s, gone);
}

/**
 * ftrace_live_share_self() - may a registered direct ops go on sharing
 * its sites with the IPMODIFY ops there? (its ops_func says, as before a
 * move of its address with upstream's core)
 * @ops: the direct ops
 *
 * Context: ftrace_lock held.
 * Return: 0, or the ops_func's error (-EBUSY if it has none); -EINVAL if
 * @ops is not registered.
 */
notrace int ftrace_live_share_self(struct ftrace_ops *ops)
{
	struct ftrace_acct_ops *a = ftrace_live_acct_of(ops);

	return a ? ftrace_live_exclusive(ops, a) : -EINVAL;
}
