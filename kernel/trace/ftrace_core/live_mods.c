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
 * filter files (ftrace_live_mods_drop()), so that a module loaded later
 * at the same addresses is not traced by a stale entry; a filter left
 * with no site traces nothing, it does not become "every function".
 *
 * Locking: mods_lock protects both lists and keeps a listed ops from
 * going.  Order: mods_lock > an ops' regex_lock > ftrace_lock: arming
 * and dropping edit each set under mods_lock and its ops' regex_lock
 * (ftrace_core_edit()), so no filter write falls between the read and
 * the publication.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../trace.h"
#include "internal.h"

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

/* Is a module of this name loaded (has a chunk)? */
static bool mods_loaded(const char *name)
{
	struct ftrace_chunk *c;
	bool found = false;

	mutex_lock(&ftrace_core_chunks_lock);
	for (c = ftrace_chunk_next(NULL); c && !found; c = ftrace_chunk_next(c))
		found = c->mod && !strcmp(c->mod->name, name);
	mutex_unlock(&ftrace_core_chunks_lock);
	return found;
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
 * Context: process context; may sleep.
 * Return: 0 or -ENOMEM (then @pend may hold some: free it).
 */
int ftrace_live_mods_take(char *buf, struct ftrace_ops *ops, bool filter,
			  struct list_head *pend)
{
	char *p = buf;

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

static void mods_free(struct mods_pending *e)
{
	kfree(e->token);
	kfree(e);
}

/**
 * ftrace_live_mods_free() - free tokens taken and not committed
 * @pend: the list
 */
void ftrace_live_mods_free(struct list_head *pend)
{
	struct mods_pending *e, *t;

	list_for_each_entry_safe(e, t, pend, list) {
		list_del(&e->list);
		mods_free(e);
	}
}

/**
 * ftrace_live_mods_commit() - a file's taken tokens become pending
 * @ops: the ops
 * @filter: its filter, else its notrace set
 * @pend: the tokens (moved out)
 * @trunc: the file was opened with O_TRUNC: earlier pending tokens of
 *         the set go
 *
 * Return: whether the set has pending tokens now.
 */
bool ftrace_live_mods_commit(struct ftrace_ops *ops, bool filter,
			     struct list_head *pend, bool trunc)
{
	struct mods_pending *e, *t;
	bool any = false;

	mutex_lock(&mods_lock);
	list_for_each_entry_safe(e, t, &mods_pending, list) {
		if (e->ops != ops || e->filter != filter)
			continue;
		if (trunc) {
			list_del(&e->list);
			mods_free(e);
		} else {
			any = true;
		}
	}
	any |= !list_empty(pend);
	list_splice_tail_init(pend, &mods_pending);
	mutex_unlock(&mods_lock);
	return any;
}

/**
 * ftrace_live_mods_pending() - does a set have pending tokens?
 * @ops: the ops
 * @filter: its filter, else its notrace set
 *
 * Return: true if it does.
 */
bool ftrace_live_mods_pending(struct ftrace_ops *ops, bool filter)
{
	struct mods_pending *e;
	bool any = false;

	mutex_lock(&mods_lock);
	list_for_each_entry(e, &mods_pending, list)
		any |= e->ops == ops && e->filter == filter;
	mutex_unlock(&mods_lock);
	return any;
}

/**
 * ftrace_live_mods_show() - print a set's pending tokens
 * @m: the file
 * @ops: the ops
 * @filter: its filter, else its notrace set
 *
 * Return: how many were printed.
 */
unsigned int ftrace_live_mods_show(struct seq_file *m, struct ftrace_ops *ops,
				   bool filter)
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
static struct ftrace_sites *mods_arm_edit(struct ftrace_sites *cur, void *data)
{
	struct mods_pending *e = data;
	struct ftrace_sites *s;
	char *tok;
	int ret;

	/* a filter that traced every function traces the token's now */
	s = ftrace_sites_is_all(cur) ? FTRACE_SITES_NONE_SET :
				       ftrace_sites_get(cur);
	tok = kstrdup(e->token, GFP_KERNEL);
	ret = tok ? ftrace_filter_write_tokens(tok, &s) : -ENOMEM;
	kfree(tok);
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
void ftrace_live_mods_arm(struct module *mod)
{
	struct mods_pending *e, *t;
	int ret;

	mutex_lock(&mods_lock);
	list_for_each_entry_safe(e, t, &mods_pending, list) {
		if (strcmp(e->module, mod->name))
			continue;
		ret = ftrace_core_edit(e->ops, e->filter, mods_arm_edit, e);
		if (ret && ret != -EINVAL)
			pr_warn("ftrace: %s not armed for module %s (%d)\n",
				e->token, mod->name, ret);
		list_del(&e->list);
		mods_free(e);
	}
	mutex_unlock(&mods_lock);
}

/* ftrace_core_edit(): the set without a going module's sites */
static struct ftrace_sites *mods_drop_edit(struct ftrace_sites *cur,
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

/**
 * ftrace_live_mods_drop() - a module goes: its sites leave the sets of
 * every ops with filter files
 * @c: its chunk, still listed
 *
 * Context: process context, ftrace_lock not held; may sleep.
 */
void ftrace_live_mods_drop(struct ftrace_chunk *c)
{
	struct ftrace_sites *gone;
	struct mods_ops *o;
	int filter;

	gone = ftrace_sites_from(c->ip, c->nr, GFP_KERNEL);
	if (IS_ERR(gone))
		return;
	mutex_lock(&mods_lock);
	list_for_each_entry(o, &mods_ops, list)
		for (filter = 0; filter < 2; filter++)
			if (ftrace_core_edit(o->ops, filter, mods_drop_edit, gone))
				pr_warn("ftrace: module %s's sites left in a filter\n",
					c->mod->name);
	mutex_unlock(&mods_lock);
	ftrace_sites_put(gone);
}

/**
 * ftrace_live_mods_add_ops() - an ops got filter files
 * @ops: the ops
 */
void ftrace_live_mods_add_ops(struct ftrace_ops *ops)
{
	struct mods_ops *o = kzalloc(sizeof(*o), GFP_KERNEL);

	if (!o)
		return;
	o->ops = ops;
	mutex_lock(&mods_lock);
	list_add(&o->list, &mods_ops);
	mutex_unlock(&mods_lock);
}

/**
 * ftrace_live_mods_del_ops() - an ops' filter files went: forget it and
 * its pending tokens
 * @ops: the ops
 */
void ftrace_live_mods_del_ops(struct ftrace_ops *ops)
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
