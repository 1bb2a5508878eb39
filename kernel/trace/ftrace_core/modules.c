// SPDX-License-Identifier: GPL-2.0
/*
 * Modules: a module's chunk of sites, from its __mcount_loc table, with
 * its names pointing into the module's own string table (names.c: the
 * core symbols' for the core text, the load's for the init text, each
 * there as long as the chunk is listed); gone with the module.
 *
 * Beside upstream's core this rides on the module notifier: when the
 * module is live (its init code has run; upstream drops the init sites
 * right after, in ftrace_free_mem()) its chunk is built without the init
 * text sites, named and listed; when it goes, the chunk is unlisted and
 * freed after a grace period.  When our core runs ftrace, the loader's
 * hooks (ftrace_module_init(), ftrace_module_enable(), ftrace_free_mem(),
 * ftrace_release_mod()) do this, and a module has two chunks from the
 * start: its init text's sites (gone when that text is freed) and the
 * rest.
 *
 * Locking: the notifier runs in the loader's context, one module at a
 * time for a given module; ftrace_core_chunks_lock (records.c) covers the
 * list.  A module's core symbols, from which its chunk is named, are
 * filled before ftrace_module_init() and stay until it is freed, after
 * the GOING notification that unlists the chunk.
 */
#include <linux/err.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/printk.h>
#include <linux/slab.h>

#include "internal.h"

/**
 * ftrace_module_sites() - the sites of a module's table inside or outside
 * its init text, copied
 * @mod: the module
 * @init: those inside its init text, else those outside
 * @nr: receives how many
 *
 * Context: process context; may sleep.
 * Return: the copy (kvfree() it), or NULL for no memory.
 */
notrace unsigned long *ftrace_module_sites(struct module *mod, bool init,
					   size_t *nr)
{
	const struct module_memory *it = &mod->mem[MOD_INIT_TEXT];
	unsigned long lo = (unsigned long)it->base, hi = lo + it->size;
	unsigned long *ip;
	size_t i, n = 0;

	ip = kvmalloc_array(max(mod->num_ftrace_callsites, 1U), sizeof(*ip),
			    GFP_KERNEL);
	if (!ip)
		return NULL;
	for (i = 0; i < mod->num_ftrace_callsites; i++) {
		unsigned long a = mod->ftrace_callsites[i];

		if ((a >= lo && a < hi) == init)
			ip[n++] = a;
	}
	*nr = n;
	return ip;
}

/**
 * ftrace_module_chunk_build() - one of a module's chunks, built and
 * named, not listed yet
 * @mod: the module, its symbols there (its init ones too for @init)
 * @init: the chunk of its init text's sites, else of the rest
 *
 * Failures are reported here.
 *
 * Context: process context; may sleep.
 * Return: the chunk, or NULL (no site, no memory).
 */
notrace struct ftrace_chunk *ftrace_module_chunk_build(struct module *mod,
						       bool init)
{
	struct ftrace_chunk *c;
	struct ftrace_names *n;
	unsigned long *ip;
	size_t nr;

	if (!mod->num_ftrace_callsites)
		return NULL;
	ip = ftrace_module_sites(mod, init, &nr);
	if (!ip)
		goto nomem;
	c = ftrace_chunk_build(mod, ip, ip + nr);
	kvfree(ip);
	if (PTR_ERR_OR_ZERO(c) == -ENOENT)
		return NULL;
	if (IS_ERR(c))
		goto nomem;
	c->init = init;
	n = ftrace_names_build_module(mod, c->ip, c->nr, init);
	if (IS_ERR(n)) {
		ftrace_chunk_free(c);
		goto nomem;
	}
	c->names = n;
	return c;
nomem:
	pr_err("ftrace core: module %s's sites not listed (no memory, or a name table too large)\n",
	       mod->name);
	return NULL;
}

/**
 * ftrace_module_chunk_list() - list a built module chunk
 * @mod: its module
 * @c: the chunk of ftrace_module_chunk_build(), or NULL
 *
 * An overlap with a listed chunk is reported, and @c freed.
 *
 * Context: process context; takes ftrace_core_chunks_lock.
 * Return: @c if listed, else NULL.
 */
notrace struct ftrace_chunk *ftrace_module_chunk_list(struct module *mod,
						      struct ftrace_chunk *c)
{
	if (c && ftrace_chunk_list(c)) {
		pr_err("ftrace core: module %s's sites overlap another chunk\n",
		       mod->name);
		ftrace_chunk_free(c);
		return NULL;
	}
	return c;
}

/**
 * ftrace_module_chunk() - one of a module's chunks, built, named and
 * listed
 * @mod: the module, its symbols there (its init ones too for @init)
 * @init: the chunk of its init text's sites, else of the rest
 *
 * Context: process context; may sleep.
 * Return: the listed chunk, or NULL (no site, no memory, an overlap).
 */
notrace struct ftrace_chunk *ftrace_module_chunk(struct module *mod, bool init)
{
	return ftrace_module_chunk_list(mod, ftrace_module_chunk_build(mod, init));
}

static notrace void modules_going(struct module *mod)
{
	struct ftrace_chunk *c;

	mutex_lock(&ftrace_core_chunks_lock);
	for (c = ftrace_chunk_next(NULL); c; c = ftrace_chunk_next(c))
		if (c->mod == mod)
			break;
	mutex_unlock(&ftrace_core_chunks_lock);
	if (!c)
		return;
	ftrace_filter_chunk_gone(c);
	ftrace_chunk_unlist(c);
}

static notrace int modules_notify(struct notifier_block *nb,
				  unsigned long state, void *data)
{
	if (state == MODULE_STATE_LIVE)
		ftrace_module_chunk(data, false);
	else if (state == MODULE_STATE_GOING)
		modules_going(data);
	return NOTIFY_OK;
}

static struct notifier_block modules_nb = {
	.notifier_call = modules_notify,
};

static notrace int __init ftrace_core_modules_init(void)
{
	/* our core live: the loader's hooks do this (live_boot.c) */
	if (IS_ENABLED(CONFIG_FTRACE_OWN_CORE_LIVE))
		return 0;
	return register_module_notifier(&modules_nb);
}
core_initcall(ftrace_core_modules_init);
