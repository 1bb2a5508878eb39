// SPDX-License-Identifier: GPL-2.0
/*
 * live_mods.c - ":mod:" filters for modules not loaded yet, and a going
 * module's sites dropped from the filter files' sets, when our core runs
 * ftrace (CONFIG_FTRACE_OWN_CORE_LIVE).
 *
 * A filter file's token "func:mod:module" naming a module that is not
 * loaded selects nothing now: it is kept, pending, for that ops' filter
 * (or notrace) set, shown by reading the file as it was written, and
 * armed when the module loads (ftrace_live_mods_arm(): the token then
 * resolves against the module's sites and is dropped from the pending
 * list), as upstream's visible semantics have it (func_mod_trace.tc).
 * While a filter has pending tokens and no site, it traces nothing (not
 * every function): upstream's hash then counts as not empty.
 *
 * When a module goes, its sites leave the sets of every ops that has
 * filter files (ftrace_live_mods_drop()), and the pending set of every
 * filter file open for writing (struct ftrace_live_writer), so that a
 * module loaded later at the same addresses is not traced by a stale
 * entry; from then on no token selects them (the chunk is marked
 * dropped).  A filter left with no site traces nothing, it does not
 * become "every function".
 *
 * A module counts as loaded for a token from its sites' enabling to the
 * start of their drop (a chunk of it enabled and not dropped, read under
 * ftrace_core_chunks_lock): a token written or closed in that time
 * resolves against it, one written or closed outside waits for its next
 * arming, which follows the enabling.
 *
 * Locking: mods_lock protects the lists and keeps a listed ops from
 * going.  Order: mods_lock > an ops' regex_lock > ftrace_lock, and
 * mods_lock > a writer's lock > ftrace_core_chunks_lock (resolving a
 * token; marking a chunk dropped): arming and
 * dropping edit each set under mods_lock and its ops' regex_lock
 * (ftrace_core_edit()), so no filter write falls between the read and
 * the publication; a filter file's close publishes under mods_lock too
 * (ftrace_live_mods_publish()), so a module that loads between a write
 * and the close finds its token pending or resolved, never neither, and
 * an arming never falls between the close's check and its publication.
 * A token that fails to arm (no memory, or the registry refused the
 * change) stays pending and shown, not retried while the module stays:
 * the module's next load arms it, a truncating open drops it.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../trace.h"
#include "live.h"

/* A pending token. */
struct mods_pending {
	struct list_head list;
	struct ftrace_ops *ops;
	bool filter;
	char *token;	/* as written: "func:mod:module" */
	const char *module;	/* in @token */
};

/* An ops with filter files. */
struct mods_ops {
	struct list_head list;
	struct ftrace_ops *ops;
};

static DEFINE_MUTEX(mods_lock);
static LIST_HEAD(mods_pending);	/* mods_lock */
static LIST_HEAD(mods_ops);	/* mods_lock */
static LIST_HEAD(mods_writers);	/* mods_lock */

/*
 * Is a module of this name loaded, as a token sees it?  From its sites'
 * enabling (ftrace_module_enable(), before its arming) to its drop: a
 * chunk of it enabled and not dropped.  Not "has it a listed chunk": a
 * module's chunks are listed before they are enabled and unlisted after
 * its sites left the filters, and a token resolved in either gap would
 * be lost (a loading module: nothing arms it) or put back sites that
 * are going.  The drop marks the chunk under mods_lock, so no token
 * taken or closed under it sees a module between its check and its use.
 */
static notrace bool mods_loaded(const char *name)
{
	struct ftrace_chunk *c;
	bool loaded = false;

	lockdep_assert_held(&mods_lock);
	mutex_lock(&ftrace_core_chunks_lock);
	for (c = ftrace_chunk_next(NULL); c && !loaded; c = ftrace_chunk_next(c))
		loaded = c->mod && c->enabled && !c->dropped &&
			 !strcmp(c->mod->name, name);
	mutex_unlock(&ftrace_core_chunks_lock);
	return loaded;
}

/**
 * ftrace_live_mods_take() - take a write's tokens for modules not loaded
 * @buf: the write's tokens (those taken are blanked out in place)
 * @ops: the ops of the file
 * @filter: its filter file, else its notrace file
 * @pend: receives the tokens taken (struct mods_pending)
 *
 * A token is taken if it is "[func]:mod:module" with a module name that
 * is plain (no glob, no '!') and not loaded.
 *
 * Context: process context; takes mods_lock; may sleep.
 * Return: 0 or -ENOMEM (then @pend may hold some: free it).
 */
notrace int ftrace_live_mods_take(char *buf, struct ftrace_ops *ops,
				  bool filter, struct list_head *pend)
{
	char *p = buf;

	guard(mutex)(&mods_lock);
	while (*p) {
		size_t len = strcspn(p, " \t\n");
		char save = p[len], *mod;
		struct mods_pending *e;

		p[len] = '\0';
		mod = strstr(p, ":mod:");
		if (mod && p[0] != '!' && mod[5] &&
		    !strpbrk(mod + 5, "*?[!") && !mods_loaded(mod + 5)) {
			e = kzalloc(sizeof(*e), GFP_KERNEL);
			if (e)
				e->token = kstrdup(p, GFP_KERNEL);
			if (!e || !e->token) {
				kfree(e);
				p[len] = save;
				return -ENOMEM;
			}
			e->ops = ops;
			e->filter = filter;
			e->module = strstr(e->token, ":mod:") + 5;
			list_add_tail(&e->list, pend);
			memset(p, ' ', len);
		}
		p[len] = save;
		p += len;
		p += strspn(p, " \t\n");
	}
	return 0;
}

static notrace void mods_free(struct mods_pending *e)
{
	kfree(e->token);
	kfree(e);
}

/**
 * ftrace_live_mods_free() - free tokens taken and not committed
 * @pend: the list
 */
notrace void ftrace_live_mods_free(struct list_head *pend)
{
	struct mods_pending *e, *t;

	list_for_each_entry_safe(e, t, pend, list) {
		list_del(&e->list);
		mods_free(e);
	}
}

/*
 * Apply @e's token to *@s (replaced only on success), as a write would;
 * *@named gains the sites it selected (ftrace_filter_write_named()).
 */
static notrace int mods_apply(const struct mods_pending *e,
			      struct ftrace_sites **s,
			      struct ftrace_sites **named)
{
	char *tok = kstrdup(e->token, GFP_KERNEL);
	int ret;

	ret = tok ? ftrace_filter_write_named(tok, s, named) : -ENOMEM;
	kfree(tok);
	return ret;
}

/* Has the set @filter of @ops pending tokens? */
static notrace bool mods_has_pending(struct ftrace_ops *ops, bool filter)
{
	struct mods_pending *e;

	lockdep_assert_held(&mods_lock);
	list_for_each_entry(e, &mods_pending, list)
		if (e->ops == ops && e->filter == filter)
			return true;
	return false;
}

/*
 * The tokens of @pend whose module was loaded since their write resolve
 * into *@s now, as they would have then (one that selects nothing is
 * dropped, as at arming), and what they select into *@named; the rest
 * stay in @pend.
 */
static notrace int mods_resolve_loaded(struct list_head *pend,
				       struct ftrace_sites **s,
				       struct ftrace_sites **named)
{
	struct mods_pending *e, *t;
	int ret;

	lockdep_assert_held(&mods_lock);
	list_for_each_entry_safe(e, t, pend, list) {
		if (!mods_loaded(e->module))
			continue;
		ret = mods_apply(e, s, named);
		if (ret && ret != -EINVAL)
			return ret;
		list_del(&e->list);
		mods_free(e);
	}
	return 0;
}

/**
 * ftrace_live_mods_writer_open() - a filter file opened for writing: its
 * pending set starts, and follows the modules that go
 * @mw: the writer, the file's
 * @set: the file's pending set, set here
 * @ops: the file's ops
 * @filter: its filter, else its notrace file
 * @trunc: opened with O_TRUNC: the set starts with no site, else with
 *         the ops' (every site is "no site" to add to)
 *
 * The copy and the listing are one step under mods_lock: no module's
 * drop falls between them.  Without O_TRUNC the copy is kept as the
 * writer's base (ftrace_live_mods_publish() rebases onto the set of the
 * close).
 *
 * Context: process context; takes mods_lock and the ops' regex_lock.
 */
notrace void ftrace_live_mods_writer_open(struct ftrace_live_writer *mw,
					  struct ftrace_sites **set,
					  struct ftrace_ops *ops, bool filter,
					  bool trunc)
{
	mutex_init(&mw->lock);
	mw->set = set;
	mw->named = FTRACE_SITES_NONE_SET;
	mw->lost = false;
	guard(mutex)(&mods_lock);
	*set = trunc ? FTRACE_SITES_NONE_SET : ftrace_live_ops_sites(ops, filter);
	/* a filter that traces nothing stays so if nothing is written */
	mw->emptied = !trunc && ftrace_sites_is_none(*set);
	if (ftrace_sites_is_all(*set))
		*set = FTRACE_SITES_NONE_SET;	/* ALL is static: no put */
	mw->base = trunc ? NULL : ftrace_sites_get(*set);
	list_add(&mw->list, &mods_writers);
}

/* @mw leaves the list: no drop edits its set from now on. */
static notrace void mods_writer_unlist(struct ftrace_live_writer *mw)
{
	lockdep_assert_held(&mods_lock);
	list_del(&mw->list);
	mutex_destroy(&mw->lock);
}

/**
 * ftrace_live_mods_writer_close() - a filter file closed without
 * publishing: its writer leaves the list
 * @mw: the writer
 *
 * Context: process context; takes mods_lock.
 */
notrace void ftrace_live_mods_writer_close(struct ftrace_live_writer *mw)
{
	mutex_lock(&mods_lock);
	mods_writer_unlist(mw);
	mutex_unlock(&mods_lock);
	ftrace_sites_put(mw->named);
	ftrace_sites_put(mw->base);
}

/* What a filter file's close publishes: mods_rebase_edit()'s data. */
struct mods_rebase {
	struct ftrace_sites *set;	/* the writer's set */
	struct ftrace_sites *base;	/* what it started from; NULL: O_TRUNC */
	struct ftrace_sites *named;	/* what its writes named */
	bool filter;
	bool changed;		/* @set is not @base, or it has :mod: tokens */
	bool empty_is_all;	/* a filter left with no site traces all */
};

/*
 * (@cur minus what the writer removed from its base) plus what it added
 * to it: two appenders that overlap both count, as if each had opened
 * after the other's close.  A filter's "every site" is "no site" to add
 * to or remove from, as at the open (a notrace set is never "every
 * site": its -EDOM would fail the close).  A new reference or an
 * ERR_PTR().  A going module whose sites the ops' set kept (no memory
 * to edit it, reported then) keeps them here too.  When nobody changed
 * the set since the open (the common case: one writer), the result is
 * the writer's set, with no set operation.
 */
static notrace struct ftrace_sites *mods_rebase(const struct mods_rebase *r,
						struct ftrace_sites *cur)
{
	struct ftrace_sites *added, *removed, *kept, *res;

	if (r->filter && ftrace_sites_is_all(cur))
		cur = FTRACE_SITES_NONE_SET;
	if (ftrace_sites_equal(cur, r->base))
		return ftrace_sites_get(r->set);
	added = ftrace_sites_minus(r->set, r->base, GFP_KERNEL);
	if (IS_ERR(added))
		return added;
	removed = ftrace_sites_minus(r->base, r->set, GFP_KERNEL);
	res = removed;
	if (IS_ERR(removed))
		goto out_added;
	kept = ftrace_sites_minus(cur, removed, GFP_KERNEL);
	res = kept;
	if (IS_ERR(kept))
		goto out_removed;
	res = ftrace_sites_union(kept, added, GFP_KERNEL);
	ftrace_sites_put(kept);
out_removed:
	ftrace_sites_put(removed);
out_added:
	ftrace_sites_put(added);
	return res;
}

/*
 * ftrace_core_edit(): the set a filter file's close publishes, given the
 * ops' set now (@cur).  A truncating open publishes its own set; an
 * appending one that changed nothing (what it added it removed again)
 * leaves @cur as it is (NULL: no publication), else rebases its
 * changes onto it.  Either way
 * its named sites are no longer stale.  A filter left with no site
 * traces every site (@empty_is_all), unless it traced none before the
 * rebase: then the appender's changes did not empty it.
 */
static notrace struct ftrace_sites *
mods_rebase_edit(struct ftrace_sites *cur, struct ftrace_sites **named,
		 void *data)
{
	const struct mods_rebase *r = data;
	struct ftrace_sites *res;
	bool may_all = r->empty_is_all;

	ftrace_sites_put(*named);
	*named = ftrace_sites_get(r->named);
	/* nothing to publish, unless what it named ends a stale mark */
	if (r->base && !r->changed)
		return ftrace_sites_is_none(r->named) ? NULL :
						       ftrace_sites_get(cur);
	if (r->base) {
		may_all &= !ftrace_sites_is_none(cur);
		res = mods_rebase(r, cur);
	} else {
		res = ftrace_sites_get(r->set);
	}
	if (!IS_ERR(res) && r->filter && ftrace_sites_is_none(res) && may_all) {
		ftrace_sites_put(res);
		res = FTRACE_SITES_ALL_SET;
	}
	return res;
}

/**
 * ftrace_live_mods_publish() - publish a filter file's set and its
 * tokens for modules not loaded
 * @ops: the ops
 * @filter: its filter, else its notrace set
 * @mw: the file's writer: its set is consumed, it leaves the list
 * @pend: the tokens taken from the writes (consumed)
 * @trunc: the file was opened with O_TRUNC: earlier pending tokens of
 *         the set go
 *
 * All under mods_lock, so that no module's arming or dropping falls
 * between the check and the publication: a token whose module came
 * since its write resolves now, the others become pending.  A filter
 * left with no site and no pending token traces every function, as
 * upstream's does.
 *
 * An open without O_TRUNC publishes its changes, not its copy: what its
 * writes added to and removed from the set it started from is applied
 * to the set as it is now, in one step under the ops' regex_lock
 * (ftrace_core_edit()), so that an appender closing after another does
 * not undo the other's tokens (upstream's last close wins).
 *
 * Context: process context; takes mods_lock, ftrace_core_chunks_lock,
 * the ops' regex_lock and ftrace_lock, in that order.
 * Return: 0, or an error (-ENOMEM also if a going module's sites could
 * not be taken out of the writer's set): then neither the set nor the
 * pending tokens changed.
 */
notrace int ftrace_live_mods_publish(struct ftrace_ops *ops, bool filter,
				     struct ftrace_live_writer *mw,
				     struct list_head *pend, bool trunc)
{
	struct mods_rebase r = { .filter = filter };
	struct mods_pending *e, *t;
	bool any;
	int ret;

	mutex_lock(&mods_lock);
	mods_writer_unlist(mw);	/* no drop edits the writer from now on */
	r.set = *mw->set;
	*mw->set = NULL;	/* consumed */
	r.base = mw->base;
	ret = mw->lost ? -ENOMEM :
			 mods_resolve_loaded(pend, &r.set, &mw->named);
	if (ret)
		goto fail;
	any = !list_empty(pend) || (!trunc && mods_has_pending(ops, filter));
	r.empty_is_all = !any && !mw->emptied;
	r.changed = !list_empty(pend) || (r.base &&
					  !ftrace_sites_equal(r.set, r.base));
	r.named = mw->named;
	ret = ftrace_core_edit(ops, filter, mods_rebase_edit, &r);
	if (ret)
		goto fail;
	list_for_each_entry_safe(e, t, &mods_pending, list) {
		if (trunc && e->ops == ops && e->filter == filter) {
			list_del(&e->list);
			mods_free(e);
		}
	}
	list_splice_tail_init(pend, &mods_pending);
fail:
	mutex_unlock(&mods_lock);
	ftrace_sites_put(r.set);
	ftrace_sites_put(r.base);
	ftrace_sites_put(mw->named);
	if (ret)
		ftrace_live_mods_free(pend);
	return ret;
}

/**
 * ftrace_live_mods_pending() - does a set have pending tokens?
 * @ops: the ops
 * @filter: its filter, else its notrace set
 *
 * Return: true if it does.
 */
notrace bool ftrace_live_mods_pending(struct ftrace_ops *ops, bool filter)
{
	guard(mutex)(&mods_lock);
	return mods_has_pending(ops, filter);
}

/**
 * ftrace_live_mods_show() - print a set's pending tokens
 * @m: the file
 * @ops: the ops
 * @filter: its filter, else its notrace set
 *
 * Return: how many were printed.
 */
notrace unsigned int ftrace_live_mods_show(struct seq_file *m,
					   struct ftrace_ops *ops, bool filter)
{
	struct mods_pending *e;
	unsigned int n = 0;

	mutex_lock(&mods_lock);
	list_for_each_entry(e, &mods_pending, list) {
		if (e->ops == ops && e->filter == filter) {
			seq_printf(m, "%s\n", e->token);
			n++;
		}
	}
	mutex_unlock(&mods_lock);
	return n;
}

/* ftrace_core_edit(): the set with a pending token applied */
static notrace struct ftrace_sites *mods_arm_edit(struct ftrace_sites *cur,
						  struct ftrace_sites **named,
						  void *data)
{
	struct mods_pending *e = data;
	struct ftrace_sites *s;
	int ret;

	/* a filter that traced every function traces the token's now */
	s = ftrace_sites_is_all(cur) ? FTRACE_SITES_NONE_SET :
				       ftrace_sites_get(cur);
	ret = mods_apply(e, &s, named);	/* named at its arming */
	if (ret) {
		ftrace_sites_put(s);
		return ERR_PTR(ret);
	}
	return s;
}

/**
 * ftrace_live_mods_arm() - a module loaded: its pending tokens resolve
 * @mod: the module, its sites enabled
 *
 * Each token is applied to its ops' set under that ops' regex_lock, and
 * under mods_lock, which keeps the ops from going
 * (ftrace_live_mods_del_ops()).
 *
 * Context: process context, ftrace_lock not held; may sleep.
 */
notrace void ftrace_live_mods_arm(struct module *mod)
{
	struct mods_pending *e, *t;
	int ret;

	mutex_lock(&mods_lock);
	list_for_each_entry_safe(e, t, &mods_pending, list) {
		if (strcmp(e->module, mod->name))
			continue;
		ret = ftrace_core_edit(e->ops, e->filter, mods_arm_edit, e);
		if (ret && ret != -EINVAL) {
			/* still shown by the file: not armed */
			pr_warn("ftrace: %s not armed for module %s (%d), left pending\n",
				e->token, mod->name, ret);
			continue;
		}
		list_del(&e->list);
		mods_free(e);
	}
	mutex_unlock(&mods_lock);
}

/* ftrace_core_edit(): the set without a going module's sites */
static notrace struct ftrace_sites *mods_drop_edit(struct ftrace_sites *cur,
						   struct ftrace_sites **named,
						   void *data)
{
	struct ftrace_sites *gone = data, *res;

	if (cur->kind != FTRACE_SITES_SOME)
		return NULL;
	res = ftrace_sites_minus(cur, gone, GFP_KERNEL);
	if (!IS_ERR(res) && ftrace_sites_equal(res, cur)) {
		ftrace_sites_put(res);
		return NULL;	/* none of its sites */
	}
	return res;
}

/*
 * *@s without @gone's sites; false if there was no memory (*@s then
 * unchanged).
 */
static notrace bool mods_cut(struct ftrace_sites **s, struct ftrace_sites *gone)
{
	struct ftrace_sites *res = mods_drop_edit(*s, NULL, gone);

	if (IS_ERR(res))
		return false;
	if (res) {
		ftrace_sites_put(*s);
		*s = res;
	}
	return true;
}

/*
 * Every open writer's set without @gone's sites (one left with none
 * publishes none), and what it named without them: those addresses
 * name no function it asked for now.
 */
static notrace void mods_writers_drop(struct ftrace_sites *gone)
{
	struct ftrace_live_writer *mw;
	bool had;

	lockdep_assert_held(&mods_lock);
	list_for_each_entry(mw, &mods_writers, list) {
		mutex_lock(&mw->lock);
		had = !ftrace_sites_is_none(*mw->set);
		if (!mods_cut(mw->set, gone) || !mods_cut(&mw->named, gone) ||
		    (mw->base && !mods_cut(&mw->base, gone)))
			mw->lost = true;
		else if (had && ftrace_sites_is_none(*mw->set))
			mw->emptied = true;
		mutex_unlock(&mw->lock);
	}
}

/* No memory to drop a module's sites: no open writer may publish. */
static notrace void mods_writers_lost(void)
{
	struct ftrace_live_writer *mw;

	lockdep_assert_held(&mods_lock);
	list_for_each_entry(mw, &mods_writers, list)
		mw->lost = true;
}

/**
 * ftrace_live_mods_drop() - a module goes: its sites leave the sets of
 * every ops with filter files and of every file open for writing
 * @c: its chunk, still listed: marked dropped, no token selects it
 * @gone: its sites (ftrace_sites_from()), or the ERR_PTR() of building
 *        them: then no open writer may publish
 *
 * Context: process context, ftrace_lock not held; may sleep.
 */
notrace void ftrace_live_mods_drop(struct ftrace_chunk *c,
				   struct ftrace_sites *gone)
{
	struct mods_ops *o;
	int filter;

	mutex_lock(&mods_lock);
	mutex_lock(&ftrace_core_chunks_lock);
	c->dropped = true;	/* no token selects its sites from now on */
	mutex_unlock(&ftrace_core_chunks_lock);
	if (IS_ERR(gone)) {
		mods_writers_lost();
		mutex_unlock(&mods_lock);
		pr_warn("ftrace: module %s's sites left in a filter (no memory)\n",
			c->mod->name);
		return;
	}
	mods_writers_drop(gone);
	list_for_each_entry(o, &mods_ops, list)
		for (filter = 0; filter < 2; filter++)
			if (ftrace_core_edit(o->ops, filter, mods_drop_edit, gone))
				pr_warn("ftrace: module %s's sites left in a filter\n",
					c->mod->name);
	mutex_unlock(&mods_lock);
}

/**
 * ftrace_live_mods_add_ops() - an ops has filter files: a going module's
 * sites leave its sets from now on
 * @ops: the ops (once listed, a second call does nothing)
 *
 * Called when a trace array's files are made and at each open of a
 * filter file for writing, so that an ops whose files another part of
 * the kernel made (the stack tracer's stack_trace_filter) is listed
 * before its first write, and one that could not be listed at its
 * files' making is at the next open.
 *
 * Context: process context; takes mods_lock.
 * Return: 0 or -ENOMEM.
 */
notrace int ftrace_live_mods_add_ops(struct ftrace_ops *ops)
{
	struct mods_ops *o;

	guard(mutex)(&mods_lock);
	list_for_each_entry(o, &mods_ops, list)
		if (o->ops == ops)
			return 0;
	o = kzalloc(sizeof(*o), GFP_KERNEL);
	if (!o)
		return -ENOMEM;
	o->ops = ops;
	list_add(&o->list, &mods_ops);
	return 0;
}

/**
 * ftrace_live_mods_del_ops() - an ops' filter files went: forget it and
 * its pending tokens
 * @ops: the ops
 */
notrace void ftrace_live_mods_del_ops(struct ftrace_ops *ops)
{
	struct mods_pending *e, *t;
	struct mods_ops *o, *u;

	mutex_lock(&mods_lock);
	list_for_each_entry_safe(o, u, &mods_ops, list) {
		if (o->ops == ops) {
			list_del(&o->list);
			kfree(o);
		}
	}
	list_for_each_entry_safe(e, t, &mods_pending, list) {
		if (e->ops == ops) {
			list_del(&e->list);
			mods_free(e);
		}
	}
	mutex_unlock(&mods_lock);
}
