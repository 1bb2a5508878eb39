// SPDX-License-Identifier: GPL-2.0
/*
 * filter_api.c - the in-kernel filter API on an ops' shells:
 * ftrace_set_filter_ip(), _ips(), ftrace_set_filter(), ftrace_set_notrace()
 * and ftrace_free_filter(), as kprobes, fprobe, perf and the stack tracer
 * call them, with the lazy initialisation every entry point owes an ops
 * that its user declared and never initialised.
 *
 * A call computes the new set from the current one and publishes it as
 * a new shell (hash.c) in the ops' func_hash, or changes nothing: an
 * address that is no site (-EINVAL), the removal of an address the set
 * does not list (-ENOENT), a pattern that selects nothing (-EINVAL) or
 * no memory (-ENOMEM) leave the ops as it was.
 *
 * The three kinds of set at this boundary (see hash.c):
 *  - an ops that never had a filter, and one whose filter was cleared
 *    (reset with nothing added), traces every site: its filter is ALL,
 *    as upstream's empty hash;
 *  - a filter whose last listed site was removed traces nothing: it is
 *    NONE, where upstream's hash became empty and so traced every site
 *    (the accounting series of 2025 about fprobe);
 *  - adding to a filter that is ALL starts a list, as adding to
 *    upstream's empty hash does.
 * A notrace set that is emptied is NONE.
 *
 * Beside upstream's core these act on ops no core registered (the KUnit
 * suite compares them with upstream's on a twin ops); bound to our core
 * they will also hand the new sets of a registered ops to the registry
 * (update.c).
 *
 * A call resolves its addresses or names before it takes ftrace_lock to
 * publish; a module that went (or came) in between may have taken what
 * it resolved, and the publication would name that address afresh,
 * cutting its stale mark (live_stale.c).  So a call that names sites
 * reads the count of module chunks listed and unlisted first
 * (ftrace_core_chunks_gen()) and, if the count moved by its
 * publication, starts again from the set of that moment: it acts as if
 * it came after the module.  A removal names nothing and cuts no mark.
 * The refusal of a quarantined site named by address is made under the
 * same hold as the count's check and the publication, so what it checks
 * is what is published, on a retry too.
 *
 * Locking: the ops' func_hash->regex_lock serializes the writers of its
 * sets (taken here; above ftrace_core_chunks_lock, which resolving
 * patterns takes); readers read the shells under RCU.  May sleep.
 *
 * The core never traces itself: every function here is notrace.
 */
#include <kunit/static_stub.h>
#include <linux/err.h>
#include <linux/ftrace.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"
#include "../trace.h"

/**
 * ftrace_core_ops_init() - initialise an ops on its first use
 * @ops: the ops, maybe never initialised by its user
 *
 * Its own hashes become its sets, unless its func_hash already points
 * elsewhere (fgraph's users share their manager's, and such ops come
 * initialised).
 *
 * Context: process context, before the ops is shared.
 */
notrace void ftrace_core_ops_init(struct ftrace_ops *ops)
{
	if (ops->flags & FTRACE_OPS_FL_INITIALIZED)
		return;
	mutex_init(&ops->local_hash.regex_lock);
	INIT_LIST_HEAD(&ops->subop_list);
	if (!ops->func_hash)
		ops->func_hash = &ops->local_hash;
	ops->flags |= FTRACE_OPS_FL_INITIALIZED;
}

/* Where the filter (@filter) or notrace set of @ops is published. */
static notrace struct ftrace_hash __rcu **
api_slot(struct ftrace_ops *ops, bool filter)
{
	return filter ? &ops->func_hash->filter_hash :
			&ops->func_hash->notrace_hash;
}

/* The published shell of the filter (@filter) or notrace set of @ops. */
static notrace struct ftrace_hash *api_cur(struct ftrace_ops *ops,
					   bool filter)
{
	struct mutex *held = &ops->func_hash->regex_lock;

	return rcu_dereference_protected(*api_slot(ops, filter),
					 lockdep_is_held(held));
}

/* The set a call starts from: none after a reset; a list otherwise. */
static notrace struct ftrace_sites *api_base(struct ftrace_ops *ops,
					     bool filter, bool reset)
{
	struct ftrace_hash *h;
	struct ftrace_sites *s;

	if (reset)
		return FTRACE_SITES_NONE_SET;
	h = api_cur(ops, filter);
	s = ftrace_hash_sites(h, filter);
	/* adding to "every site" starts a list */
	return ftrace_sites_is_all(s) ? FTRACE_SITES_NONE_SET
				      : ftrace_sites_get(s);
}

/* api_publish(): a chunk came or went since the caller resolved */
#define API_MOVED	1

/*
 * Publish @s (its reference) as the new filter or notrace set; @fresh
 * (or NULL): addresses the caller named, which are no longer stale (a
 * function that came where a gone one was, named again).  The registered
 * ops read the sets less their stale addresses (hash.c).  @gen (or
 * NULL): ftrace_core_chunks_gen() as the caller read it before resolving
 * @fresh; if it moved since, nothing is published and the caller, told
 * API_MOVED, resolves again: what it resolved may have gone, and naming
 * it would cut the mark that says so.  @by_addr: @fresh was named by
 * address; a filter may not name a quarantined site so (-EBUSY, checked
 * under the same hold).  By name it may: such an ops then fails to
 * register, as a filter file that names only quarantined sites lets its
 * tracer fail to start.
 */
static notrace int api_publish(struct ftrace_ops *ops, bool filter,
			       struct ftrace_sites *s,
			       struct ftrace_sites *fresh,
			       const unsigned long *gen, bool by_addr)
{
	struct ftrace_hash __rcu **slot = api_slot(ops, filter);
	struct ftrace_hash *h = ftrace_hash_shell(s, 0, GFP_KERNEL);
	struct ftrace_sites *other, *cut, *live;
	struct ftrace_hash *old;
	int ret;

	if (!h)
		return -ENOMEM;
	/* the ops that read these shells get the sets first (live.c) */
	ftrace_core_commit_lock();
	if (gen && *gen != ftrace_core_chunks_gen()) {
		ftrace_core_commit_unlock();
		ftrace_hash_shell_free(h);
		return API_MOVED;
	}
	/* a filter may not name a quarantined site by address */
	ret = filter && by_addr && fresh ? ftrace_core_refuse_sites(fresh) : 0;
	if (ret) {
		ftrace_core_commit_unlock();
		ftrace_hash_shell_free(h);
		return ret;
	}
	cut = ftrace_hash_stale_cut(api_cur(ops, filter), s, fresh);
	ret = PTR_ERR_OR_ZERO(cut);
	if (!ret) {
		ret = ftrace_hash_set_stale(h, cut);
		ftrace_sites_put(cut);
	}
	if (!ret) {
		live = ftrace_hash_live(h, filter);
		other = ftrace_hash_live(api_cur(ops, !filter), !filter);
		ret = filter ? ftrace_core_commit(ops, live, other)
			     : ftrace_core_commit(ops, other, live);
	}
	if (ret) {
		ftrace_core_commit_unlock();
		ftrace_hash_shell_free(h);
		return ret;
	}
	old = api_cur(ops, filter);
	ftrace_hash_shell_own(h, filter);	/* stale marks reach it */
	rcu_assign_pointer(*slot, h);
	ftrace_core_commit_unlock();
	ftrace_hash_shell_free(old);
	return 0;
}

/**
 * ftrace_core_api_site() - the site of an address, as the filter API
 * resolves it
 * @ip: a site, or a function start
 *
 * ftrace_records_location(), behind a KUnit seam: a case may have a
 * module go between a call's resolution and its publication.
 *
 * Context: process context.
 * Return: the site's address, or 0.
 */
notrace unsigned long ftrace_core_api_site(unsigned long ip)
{
	KUNIT_STATIC_STUB_REDIRECT(ftrace_core_api_site, ip);
	return ftrace_records_location(ip);
}

/*
 * @s with the sites of @ips added or removed, in one merge: a new
 * reference, or an ERR_PTR().  Checked first, as upstream checks each in
 * turn: an address of no site, or a removal of a site @s does not list
 * (or that the call names twice), fails the call.  An add leaves the
 * sites it named in *@fresh (a reference), a removal NULL.
 */
static notrace struct ftrace_sites *api_many(struct ftrace_sites *s,
					     const unsigned long *ips,
					     unsigned int cnt, bool remove,
					     struct ftrace_sites **fresh)
{
	struct ftrace_sites *some, *r;
	unsigned long *ip;
	unsigned int i;

	ip = kvmalloc_array(cnt, sizeof(*ip), GFP_KERNEL);
	if (!ip)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i < cnt; i++) {
		ip[i] = ftrace_core_api_site(ips[i]);
		if (!ip[i]) {
			r = ERR_PTR(-EINVAL);
			goto out;
		}
		if (remove && !ftrace_sites_has(s, ip[i])) {
			r = ERR_PTR(-ENOENT);
			goto out;
		}
	}
	if (remove && ftrace_ips_sort_unique(ip, cnt) != cnt) {
		r = ERR_PTR(-ENOENT);	/* the second removal finds none */
		goto out;
	}
	some = ftrace_sites_from(ip, cnt, GFP_KERNEL);
	r = some;
	if (IS_ERR(some))
		goto out;
	r = remove ? ftrace_sites_minus(s, some, GFP_KERNEL)
		   : ftrace_sites_union(s, some, GFP_KERNEL);
	if (!remove && !IS_ERR(r))
		*fresh = some;
	else
		ftrace_sites_put(some);
out:
	kvfree(ip);
	return r;
}

/**
 * ftrace_core_set_addrs() - add addresses to, or remove them from, an
 * ops' filter or notrace set
 * @ops: the ops
 * @ips: the addresses: sites, or function starts (sym+0, as
 *       ftrace_location() maps them)
 * @cnt: how many
 * @remove: remove them instead of adding them
 * @reset: start from an empty set
 * @filter: the filter, else the notrace set
 *
 * Context: process context; takes ops' regex_lock; may sleep.
 * Return: 0; -EINVAL for an address that is no site, -ENOENT for the
 * removal of one not listed, -EBUSY for a quarantined site added to a
 * filter, -ENOMEM: the ops is then unchanged.
 */
notrace int ftrace_core_set_addrs(struct ftrace_ops *ops,
				  const unsigned long *ips, unsigned int cnt,
				  bool remove, bool reset, bool filter)
{
	struct ftrace_sites *s, *next, *fresh = NULL;
	unsigned long gen;
	int ret;

	ftrace_core_ops_init(ops);
	if (!cnt && !reset)
		return 0;
	mutex_lock(&ops->func_hash->regex_lock);
	do {
		gen = ftrace_core_chunks_gen();
		ret = 0;
		s = api_base(ops, filter, reset);
		if (cnt) {
			next = api_many(s, ips, cnt, remove, &fresh);
			ftrace_sites_put(s);
			s = IS_ERR(next) ? FTRACE_SITES_NONE_SET : next;
			if (IS_ERR(next))
				ret = PTR_ERR(next);
		}
		/* cleared with nothing added: a filter traces every site */
		if (!ret && filter && reset && !cnt)
			s = FTRACE_SITES_ALL_SET;
		if (!ret)
			ret = api_publish(ops, filter, s, fresh,
					  fresh ? &gen : NULL, true);
		else
			ftrace_sites_put(s);
		ftrace_sites_put(fresh);
		fresh = NULL;
	} while (ret == API_MOVED);
	mutex_unlock(&ops->func_hash->regex_lock);
	return ret;
}

/**
 * ftrace_core_set_regex() - apply a pattern to an ops' filter or notrace
 * set (ftrace_set_filter(), ftrace_set_notrace())
 * @ops: the ops
 * @buf: the pattern, as a filter file's token ("!name" removes); NULL or
 *       empty: none
 * @len: its length
 * @reset: start from an empty set
 * @filter: the filter, else the notrace set
 *
 * Context: process context; takes ops' regex_lock; may sleep.
 * Return: 0; -EINVAL if the pattern selects nothing (or is not one a
 * filter file takes); -ENOMEM: the ops is then unchanged.
 */
notrace int ftrace_core_set_regex(struct ftrace_ops *ops,
				  const unsigned char *buf, int len,
				  bool reset, bool filter)
{
	struct ftrace_sites *s, *named;
	char *pattern = NULL, *work = NULL;
	unsigned long gen;
	int ret;

	ftrace_core_ops_init(ops);
	if (buf && len > 0) {
		pattern = kmemdup_nul(buf, len, GFP_KERNEL);
		work = kmalloc(len + 1, GFP_KERNEL);	/* the parser cuts it */
		if (!pattern || !work) {
			kfree(pattern);
			kfree(work);
			return -ENOMEM;
		}
	} else if (!reset) {
		return 0;	/* nothing asked */
	}
	mutex_lock(&ops->func_hash->regex_lock);
	do {
		gen = ftrace_core_chunks_gen();
		ret = 0;
		named = FTRACE_SITES_NONE_SET;
		s = api_base(ops, filter, reset);
		if (pattern) {	/* what it names is no longer stale */
			memcpy(work, pattern, len + 1);
			ret = ftrace_filter_write_named(work, &s, &named);
		} else if (filter && reset) {
			s = FTRACE_SITES_ALL_SET;	/* cleared */
		}
		if (!ret)
			ret = api_publish(ops, filter, s, named,
					  ftrace_sites_is_none(named) ?
					  NULL : &gen, false);
		else
			ftrace_sites_put(s);
		ftrace_sites_put(named);
	} while (ret == API_MOVED);
	mutex_unlock(&ops->func_hash->regex_lock);
	kfree(work);
	kfree(pattern);
	return ret;
}

/**
 * ftrace_core_publish() - give an ops' filter or notrace set a new set
 * @ops: the ops
 * @filter: the filter, else the notrace set
 * @s: the set (its reference passes on)
 * @fresh: the addresses the writer named (NULL: none): no longer stale
 *
 * The registered ops that read the shells get @s first
 * (ftrace_core_commit()).
 *
 * Context: process context; takes ops' regex_lock; may sleep.
 * Return: 0, or an error: the ops is then unchanged.
 */
notrace int ftrace_core_publish(struct ftrace_ops *ops, bool filter,
				struct ftrace_sites *s, struct ftrace_sites *fresh)
{
	int ret;

	ftrace_core_ops_init(ops);
	mutex_lock(&ops->func_hash->regex_lock);
	ret = api_publish(ops, filter, s, fresh, NULL, false);
	mutex_unlock(&ops->func_hash->regex_lock);
	return ret;
}

/**
 * ftrace_core_edit() - replace an ops' filter or notrace set by what
 * @edit makes of it, with no writer in between
 * @ops: the ops
 * @filter: the filter, else the notrace set
 * @edit: given the current set (borrowed), returns the new one (a new
 *        reference), NULL to leave it, or an ERR_PTR(); it may add to
 *        *@named (a reference, "no site" at first) the addresses it
 *        named, which are no longer stale
 * @data: for @edit
 *
 * Context: process context; takes ops' regex_lock; may sleep.
 * Return: 0, @edit's error, or the publication's: the ops is then
 * unchanged.
 */
notrace int ftrace_core_edit(struct ftrace_ops *ops, bool filter,
			     struct ftrace_sites *(*edit)(struct ftrace_sites *cur,
							  struct ftrace_sites **named,
							  void *data),
			     void *data)
{
	struct ftrace_sites *s, *named = FTRACE_SITES_NONE_SET;
	int ret = 0;

	ftrace_core_ops_init(ops);
	mutex_lock(&ops->func_hash->regex_lock);
	s = edit(ftrace_hash_sites(api_cur(ops, filter), filter), &named, data);
	if (IS_ERR(s))
		ret = PTR_ERR(s);
	else if (s)
		ret = api_publish(ops, filter, s, named, NULL, false);
	mutex_unlock(&ops->func_hash->regex_lock);
	ftrace_sites_put(named);
	return ret;
}

/**
 * ftrace_core_free_filter() - drop an ops' filter and notrace sets
 * @ops: the ops, not registered
 *
 * Context: process context; may sleep.
 */
notrace void ftrace_core_free_filter(struct ftrace_ops *ops)
{
	int filter;

	ftrace_core_ops_init(ops);
	mutex_lock(&ops->func_hash->regex_lock);
	for (filter = 0; filter < 2; filter++) {
		ftrace_hash_shell_free(api_cur(ops, filter));
		RCU_INIT_POINTER(*api_slot(ops, filter), NULL);
	}
	mutex_unlock(&ops->func_hash->regex_lock);
}
