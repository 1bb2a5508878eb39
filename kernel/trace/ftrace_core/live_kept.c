// SPDX-License-Identifier: GPL-2.0
/*
 * live_kept.c - the names of a module's freed init functions, kept for
 * kallsyms while the module lives, when our core runs ftrace
 * (CONFIG_FTRACE_OWN_CORE_LIVE).
 *
 * A module's init sites may have been traced while its init ran; once
 * its init text is freed the module's own symbols lose those names, yet
 * a trace may still hold their addresses.  When that text is freed with
 * an ops registered (live_boot.c's ftrace_free_mem()), each named site of
 * the init chunk leaves its function's start, size and name here, in one
 * block per module: kallsyms asks ftrace_mod_address_lookup() for an
 * address no module or bpf program claims, and /proc/kallsyms lists them
 * through ftrace_mod_get_kallsym(), as upstream's core does.
 *
 * The names come from the chunk's own table (names.c); only each
 * function's start and size are asked of kallsyms, once per init
 * function, while the module's init symbols are still there.
 *
 * Locking: kept_maps is changed under ftrace_lock; readers walk it under
 * RCU with preemption off (kallsyms' lookups run in any context), and a
 * block is freed after a grace period.  A block is never changed once
 * listed.
 *
 * The core never traces itself: every function here is notrace.
 */
#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "live.h"

/* A freed init function: where it was, how long, its name in the pool. */
struct kept_func {
	unsigned long start;
	unsigned long size;
	u32 name;
};

/* One module's kept names, @f by ascending @start, then the names. */
struct kept_map {
	struct list_head list;
	struct rcu_head rcu;
	struct module *mod;
	unsigned int nr;
	const char *pool;
	struct kept_func f[];
};

static LIST_HEAD(kept_maps);	/* ftrace_lock; RCU readers */

/*
 * Site @i of @c: its name (from the chunk's table, a module's: its names
 * are text), and its function's start and size (from kallsyms), or NULL
 * if either is missing.
 */
static notrace const char *kept_site(struct ftrace_chunk *c, unsigned int i,
				     unsigned long *start, unsigned long *size)
{
	unsigned long off;
	const char *name = ftrace_names_name(c->names, i, NULL, &off);

	if (!name || !kallsyms_lookup_size_offset(c->ip[i], size, &off))
		return NULL;
	*start = c->ip[i] - off;
	return name;
}

/**
 * ftrace_live_keep_names() - keep the names of a module's init chunk's
 * functions, its init text about to be freed
 * @c: the chunk (c->init), named, its module's init symbols still there
 *
 * Nothing is kept when there is no memory (kallsyms then answers with
 * the bare address, as for any unknown one).
 *
 * Context: ftrace_lock held; may sleep.
 */
notrace void ftrace_live_keep_names(struct ftrace_chunk *c)
{
	unsigned long start, size, off;
	unsigned int i, k = 0;
	size_t bytes = 0, at = 0;
	struct kept_map *m;
	const char *name;
	char *pool;

	lockdep_assert_held(&ftrace_lock);
	if (!c->mod || !c->init || !c->names)
		return;
	/* room for every named site; kallsyms is asked once, below */
	for (i = 0; i < c->nr; i++) {
		name = ftrace_names_name(c->names, i, NULL, &off);
		if (name)
			bytes += strlen(name) + 1;
	}
	if (!bytes)
		return;
	m = kzalloc(struct_size(m, f, c->nr) + bytes, GFP_KERNEL);
	if (!m)
		return;
	pool = (char *)&m->f[c->nr];
	for (i = 0; i < c->nr; i++) {
		name = kept_site(c, i, &start, &size);
		if (!name)
			continue;
		m->f[k].start = start;
		m->f[k].size = size;
		m->f[k].name = at;
		strscpy(pool + at, name, bytes - at);
		at += strlen(name) + 1;
		k++;
	}
	if (!k) {
		kfree(m);
		return;
	}
	m->mod = c->mod;
	m->nr = k;
	m->pool = pool;
	list_add_tail_rcu(&m->list, &kept_maps);
}

/**
 * ftrace_live_forget_names() - a module goes: its kept names with it
 * @mod: the module
 *
 * Context: process context.
 */
notrace void ftrace_live_forget_names(struct module *mod)
{
	struct kept_map *m, *t;

	mutex_lock(&ftrace_lock);
	list_for_each_entry_safe(m, t, &kept_maps, list) {
		if (m->mod == mod) {
			list_del_rcu(&m->list);
			kfree_rcu(m, rcu);
		}
	}
	mutex_unlock(&ftrace_lock);
}

/* The kept function of @m holding @addr, or NULL. */
static notrace const struct kept_func *kept_find(const struct kept_map *m,
						 unsigned long addr)
{
	unsigned int lo = 0, hi = m->nr;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (m->f[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || addr - m->f[lo - 1].start >= m->f[lo - 1].size)
		return NULL;
	return &m->f[lo - 1];
}

/**
 * ftrace_mod_address_lookup() - an address in a module's freed init
 * function, by the names kept
 * @addr: the address
 * @size: if not NULL, receives its function's size
 * @off: if not NULL, receives its offset in it
 * @modname: if not NULL, receives the module's name
 * @modbuildid: if not NULL, receives the module's build id
 * @sym: receives the name (KSYM_NAME_LEN bytes)
 *
 * Context: any (RCU, preemption off).
 * Return: the name's length, or 0 if no kept name holds @addr.
 */
notrace int ftrace_mod_address_lookup(unsigned long addr, unsigned long *size,
				      unsigned long *off, char **modname,
				      const unsigned char **modbuildid,
				      char *sym)
{
	const struct kept_func *f = NULL;
	struct kept_map *m;
	int ret = 0;

	preempt_disable_notrace();
	list_for_each_entry_rcu(m, &kept_maps, list) {
		f = kept_find(m, addr);
		if (f)
			break;
	}
	if (f) {
		if (size)
			*size = f->size;
		if (off)
			*off = addr - f->start;
		if (modname)
			*modname = m->mod->name;
		if (modbuildid)
			*modbuildid = module_buildid(m->mod);
		ret = strscpy(sym, m->pool + f->name, KSYM_NAME_LEN);
		if (ret < 0)
			ret = KSYM_NAME_LEN - 1;
	}
	preempt_enable_notrace();
	return ret;
}

/**
 * ftrace_mod_get_kallsym() - the kept names, by number, for /proc/kallsyms
 * @symnum: the number, from 0 across every module's kept names
 * @value: receives the function's address
 * @type: receives its type ('T')
 * @name: receives its name (KSYM_NAME_LEN bytes)
 * @module_name: receives its module's name (MODULE_NAME_LEN bytes)
 * @exported: receives 1 (listed in upper case, as upstream's are)
 *
 * Context: any (RCU, preemption off).
 * Return: 0, or -ERANGE past the last one.
 */
notrace int ftrace_mod_get_kallsym(unsigned int symnum, unsigned long *value,
				   char *type, char *name, char *module_name,
				   int *exported)
{
	struct kept_map *m;
	int ret = -ERANGE;

	preempt_disable_notrace();
	list_for_each_entry_rcu(m, &kept_maps, list) {
		if (symnum >= m->nr) {
			symnum -= m->nr;
			continue;
		}
		*value = m->f[symnum].start;
		*type = 'T';
		strscpy(name, m->pool + m->f[symnum].name, KSYM_NAME_LEN);
		strscpy(module_name, m->mod->name, MODULE_NAME_LEN);
		*exported = 1;
		ret = 0;
		break;
	}
	preempt_enable_notrace();
	return ret;
}
