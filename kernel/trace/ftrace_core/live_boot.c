// SPDX-License-Identifier: GPL-2.0
/*
 * live_boot.c - the sites' life when our core runs ftrace
 * (CONFIG_FTRACE_OWN_CORE_LIVE): the kernel's chunk built and its sites
 * turned into NOPs at ftrace_init(), a module's at load
 * (ftrace_module_init()), made live at its enable and dropped at its
 * release, init text forgotten when freed (a module's init sites are a
 * chunk of their own, whose names may be kept: live_kept.c), and the
 * lookups the rest of the kernel makes on the sites.
 *
 * The first conversion of a chunk (every site from "call __fentry__" to
 * the NOP) happens while its text is not live yet: at boot before other
 * CPUs run, for a module before its text is executable; the engine's
 * early path writes it (ftrace_arch_init_sites()).  A site whose bytes
 * are not the call is quarantined there and then, as a site refused
 * later is (update.c): ftrace goes on without it.
 *
 * Locking: boot_drop_lock > (live_mods.c's and live_probes.c's locks)
 * > ftrace_lock > ftrace_core_chunks_lock.  A module's chunks are listed
 * at load, not enabled (the registry's walk skips them) until
 * ftrace_module_enable(), which gives their sites their targets under
 * ftrace_lock; each is unlisted under ftrace_lock when it goes
 * (boot_drop(), one at a time under boot_drop_lock), and freed after a
 * grace period.
 *
 * The core never traces itself: every function here is notrace.
 */
#define pr_fmt(fmt) "ftrace: " fmt

#include <linux/err.h>
#include <linux/ftrace.h>
#include <linux/init.h>
#include <linux/sched/clock.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include "../trace.h"
#include "../ftrace_internal.h"
#include "live.h"

unsigned long ftrace_update_tot_cnt;
unsigned long ftrace_number_of_pages;
unsigned long ftrace_number_of_groups;
/* How long the first conversions took, for dyn_ftrace_total_info. */
u64 ftrace_boot_convert_ns, ftrace_module_convert_ns;

/* Account a listed chunk in dyn_ftrace_total_info's figures. */
static notrace void boot_count(const struct ftrace_chunk *c, int sign)
{
	size_t bytes = c->nr * (sizeof(*c->ip) + sizeof(*c->state));

	ftrace_update_tot_cnt += sign * (long)c->nr;
	ftrace_number_of_pages += sign * (long)DIV_ROUND_UP(bytes, PAGE_SIZE);
	ftrace_number_of_groups += sign;
}

/*
 * Turn every site of @c from the call to __fentry__ into the NOP, early;
 * refused sites are quarantined.  @c is listed and enabled.
 */
static notrace void boot_convert(struct ftrace_chunk *c)
{
	struct ftrace_site_change *ch;
	unsigned int i;
	bool was;

	/* not zeroed: the engine fills in every outcome (0.1 ms at boot) */
	ch = kvmalloc_array(c->nr, sizeof(*ch), GFP_KERNEL);
	if (!ch)
		return;	/* the sites keep calling __fentry__, which returns */
	for (i = 0; i < c->nr; i++) {
		ch[i].ip = c->ip[i];
		ch[i].from = MCOUNT_ADDR;
		ch[i].to = 0;
	}
	ftrace_arch_init_sites(ch, c->nr);
	mutex_lock(&ftrace_lock);
	mutex_lock(&ftrace_core_chunks_lock);
	was = c->enabled;
	c->enabled = true;	/* for the quarantine's walk */
	for (i = 0; i < c->nr; i++)
		if (ch[i].err)
			ftrace_reg_quarantine(&ftrace_live_registry, &ch[i]);
	c->enabled = was;
	mutex_unlock(&ftrace_core_chunks_lock);
	mutex_unlock(&ftrace_lock);
	kvfree(ch);
}

/**
 * ftrace_init() - the kernel's sites, at boot: built, listed, NOPs
 *
 * Called by start_kernel() before other CPUs run.
 */
notrace void __init ftrace_init(void)
{
	struct ftrace_chunk *c;
	u64 t0 = local_clock();

	ftrace_live_registry_init();
	if (ftrace_live_graph_init() || ftrace_arch_init_callers()) {
		pr_err("ftrace_caller's call not set: no function tracing\n");
		return;
	}
	c = ftrace_chunk_build(NULL, __start_mcount_loc, __stop_mcount_loc);
	if (IS_ERR(c)) {
		pr_err("no kernel sites (%ld)\n", PTR_ERR(c));
		return;
	}
	c->enabled = true;
	if (ftrace_chunk_list(c)) {
		ftrace_chunk_free(c);
		return;
	}
	ftrace_kernel_chunk = c;
	boot_convert(c);
	boot_count(c, 1);
	ftrace_boot_convert_ns = local_clock() - t0;
	/* as upstream's two lines, both after the work (make bench reads them) */
	pr_info("allocating %u entries in %lu pages\n", c->nr,
		ftrace_number_of_pages);
	pr_info("allocated %lu pages with %lu groups\n",
		ftrace_number_of_pages, ftrace_number_of_groups);
	ftrace_live_boot_params();
}

/* @mod's chunk of its init text's sites or of the rest, or NULL. */
static notrace struct ftrace_chunk *boot_chunk_of(struct module *mod,
						  bool init)
{
	struct ftrace_chunk *c;

	lockdep_assert_held(&ftrace_core_chunks_lock);
	for (c = ftrace_chunk_next(NULL); c; c = ftrace_chunk_next(c))
		if (c->mod == mod && c->init == init)
			return c;
	return NULL;
}

/*
 * One of a loading module's chunks, built and listed; first, under
 * ftrace_lock, the addresses of it that ops' sets already name are
 * marked stale (live_stale.c): they named functions that went.
 */
static notrace struct ftrace_chunk *boot_module_chunk(struct module *mod,
						      bool init)
{
	struct ftrace_chunk *c = ftrace_module_chunk_build(mod, init);
	char what[MODULE_NAME_LEN + 12];

	if (!c)
		return NULL;
	snprintf(what, sizeof(what), "%s (loading)", mod->name);
	mutex_lock(&ftrace_lock);
	if (ftrace_live_stale_mark(c->ip, c->nr, what)) {
		/* its sites keep calling __fentry__, which returns */
		pr_err("module %s: stale addresses not all marked: its %ssites not traceable\n",
		       mod->name, init ? "init " : "");
		ftrace_chunk_free(c);
		c = NULL;
	} else {
		c = ftrace_module_chunk_list(mod, c);
		ftrace_live_chunks_moved();
	}
	mutex_unlock(&ftrace_lock);
	return c;
}

/* A new module chunk's sites: NOPs now, counted. */
static notrace void boot_module_convert(struct ftrace_chunk *c)
{
	if (!c)
		return;
	boot_convert(c);
	mutex_lock(&ftrace_lock);
	boot_count(c, 1);
	mutex_unlock(&ftrace_lock);
}

/**
 * ftrace_module_init() - a loading module's sites: built, named, NOPs
 * @mod: the module, its text not executable yet
 *
 * Two chunks: its init text's sites, which leave when that text is
 * freed (ftrace_free_mem()), and the rest.
 */
notrace void ftrace_module_init(struct module *mod)
{
	u64 t0 = local_clock();

	boot_module_convert(boot_module_chunk(mod, false));
	boot_module_convert(boot_module_chunk(mod, true));
	ftrace_module_convert_ns += local_clock() - t0;
}

/*
 * A module chunk's sites get what the registered ops make of them.
 * Return: whether the module has that chunk, enabled.
 */
static notrace bool boot_enable(struct module *mod, bool init)
{
	struct ftrace_chunk *c;
	int ret;

	lockdep_assert_held(&ftrace_lock);
	mutex_lock(&ftrace_core_chunks_lock);
	c = boot_chunk_of(mod, init);
	if (c) {
		c->enabled = true;
		ret = ftrace_reg_chunk_enable(&ftrace_live_registry, c);
		if (ret) {
			/* NOPs with states 0: out of every plan and check */
			c->enabled = false;
			pr_err("module %s's %ssites not enabled (%d): not traceable\n",
			       mod->name, init ? "init " : "", ret);
		}
	}
	mutex_unlock(&ftrace_core_chunks_lock);
	return c && c->enabled;
}

/**
 * ftrace_module_enable() - a loaded module's sites get what the
 * registered ops make of them
 * @mod: the module, formed, not running yet
 */
notrace void ftrace_module_enable(struct module *mod)
{
	bool any;

	mutex_lock(&ftrace_lock);
	any = boot_enable(mod, false);
	any |= boot_enable(mod, true);
	mutex_unlock(&ftrace_lock);
	if (any)
		ftrace_live_mods_arm(mod);
}

static DEFINE_MUTEX(boot_drop_lock);

/* Is an ops registered (may a trace hold the addresses of text)? */
static notrace bool boot_tracing(void)
{
	struct ftrace_ops *first;

	first = rcu_dereference_protected(ftrace_ops_list,
					  lockdep_is_held(&ftrace_lock));
	return first != &ftrace_list_end;
}

/*
 * One of @mod's chunks leaves: out of the filter files' sets, of the
 * registry and of the list (freed after a grace period); with @keep and
 * an ops registered (a trace may hold the addresses), the names of its
 * functions stay for kallsyms until the module goes.
 */
static notrace void boot_drop(struct module *mod, bool init, bool keep)
{
	struct ftrace_sites *gone;
	struct ftrace_chunk *c;

	/* one drop at a time: a forced unload may race the init text's */
	guard(mutex)(&boot_drop_lock);
	mutex_lock(&ftrace_core_chunks_lock);
	c = boot_chunk_of(mod, init);
	mutex_unlock(&ftrace_core_chunks_lock);
	if (c) {
		/* the filters forget its sites, and so do the probes */
		gone = ftrace_sites_from(c->ip, c->nr, GFP_KERNEL);
		ftrace_live_mods_drop(c, gone);
		ftrace_live_probes_drop(c, gone);
		if (!IS_ERR(gone))
			ftrace_sites_put(gone);
	}

	mutex_lock(&ftrace_lock);
	mutex_lock(&ftrace_core_chunks_lock);
	c = boot_chunk_of(mod, init);
	if (c) {
		if (keep && boot_tracing())
			ftrace_live_keep_names(c);
		c->enabled = false;
		boot_count(c, -1);
		ftrace_reg_forget_chunk(&ftrace_live_registry, c);
	}
	mutex_unlock(&ftrace_core_chunks_lock);
	if (c) {
		/* the ops' sets that still name its sites: stale now */
		if (ftrace_live_stale_mark(c->ip, c->nr, "a going module"))
			pr_err("module %s: stale addresses not all marked (no memory)\n",
			       mod->name);
		ftrace_filter_chunk_gone(c);
		ftrace_chunk_unlist(c);
		ftrace_live_chunks_moved();
	}
	mutex_unlock(&ftrace_lock);
}

/**
 * ftrace_release_mod() - a going (or failed) module's sites are dropped,
 * and the names kept of its freed init functions
 * @mod: the module
 */
notrace void ftrace_release_mod(struct module *mod)
{
	boot_drop(mod, true, false);
	boot_drop(mod, false, false);
	ftrace_live_forget_names(mod);
}

/**
 * ftrace_free_mem() - a module's init text is about to be freed
 * @mod: the module, its init done, its init symbols still there
 * @start_ptr: start of the text
 * @end_ptr: its end
 *
 * The chunk of its init text's sites leaves, as a going module's does;
 * if an ops is registered (a trace may hold their addresses, as
 * upstream's core judges), the names of those functions are kept for
 * kallsyms (ftrace_mod_address_lookup()) until the module goes.
 */
notrace void ftrace_free_mem(struct module *mod, void *start_ptr, void *end_ptr)
{
	if (mod)	/* the kernel's: ftrace_free_init_mem() */
		boot_drop(mod, true, true);
}

/**
 * ftrace_free_init_mem() - the kernel's init text is being freed
 *
 * Its sites stay in the kernel's chunk, gone to the listings from now on
 * (ftrace_chunk_site_gone()); their state becomes FTRACE_ACCT_QUARANTINE
 * without a report, so that no plan names them and no check counts
 * them: they are never written again.
 */
notrace void __init ftrace_free_init_mem(void)
{
	struct ftrace_chunk *c = ftrace_kernel_chunk;
	unsigned int i;

	if (!c)
		return;
	mutex_lock(&ftrace_lock);
	for (i = 0; i < c->nr; i++)
		if (is_kernel_inittext(c->ip[i])) {
			WRITE_ONCE(c->state[i], FTRACE_ACCT_QUARANTINE);
			/* as upstream: dyn_ftrace_total_info counts live sites */
			ftrace_update_tot_cnt--;
		}
	mutex_unlock(&ftrace_lock);
}

/**
 * ftrace_location_range() - the first site met by an address range
 * @start: its first byte
 * @end: its last byte
 *
 * Context: any.
 * Return: the site, or 0.
 */
notrace unsigned long ftrace_location_range(unsigned long start,
					    unsigned long end)
{
	return ftrace_records_range(start, end);
}

/**
 * ftrace_location() - the site at @ip, or of the function @ip starts
 * @ip: an address
 *
 * Context: any.
 * Return: the site, or 0.
 */
notrace unsigned long ftrace_location(unsigned long ip)
{
	return ftrace_records_location(ip);
}

/**
 * ftrace_text_reserved() - does a range hold a site?
 * @start: its first byte
 * @end: its last byte
 *
 * Context: any.
 * Return: 1 if it does, else 0.
 */
notrace int ftrace_text_reserved(const void *start, const void *end)
{
	return !!ftrace_records_range((unsigned long)start,
				      (unsigned long)end);
}
