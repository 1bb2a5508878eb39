// SPDX-License-Identifier: GPL-2.0
/*
 * Records: the ftrace sites, in chunks (the kernel's, and one per module),
 * and the lookups the rest of the kernel makes on them in any context
 * (ftrace_location(), ftrace_location_range(), ftrace_text_reserved()).
 *
 * A chunk is built once from its __mcount_loc table: the addresses sorted
 * (a module's table is not sorted at build time), the zero entries some
 * linkers pad with and, for the kernel, entries outside its text (a
 * dropped weak function's, moved by KASLR) left out, each site once.  No
 * allocation per site: one array of addresses and one of states
 * (accounting.c) per chunk; names come later (names.c).
 *
 * Invariants: a chunk's ->ip[] is strictly ascending, holds at least one
 * site and never changes while the chunk is listed; listed chunks do not
 * overlap.
 *
 * Locking: ftrace_chunks is changed under ftrace_core_chunks_lock (a
 * chunk is added or removed, never edited), with the RCU list primitives;
 * a walker holding the lock (ftrace_chunk_next()) sees them all stay;
 * lookups take no lock and run under RCU (rcu_read_lock_sched(), as the
 * callers may be in any context, kprobes' int3 handler included).  A
 * removed chunk is freed after a grace period.
 */
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/ftrace.h>
#include <linux/kallsyms.h>
#include <linux/init.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/rculist.h>
#include <linux/slab.h>

#include <asm/sections.h>

#include "internal.h"

static LIST_HEAD(ftrace_chunks);
/* Protects ftrace_chunks: adding and removing chunks, walks that sleep. */
DEFINE_MUTEX(ftrace_core_chunks_lock);

/* The kernel's chunk, listed at boot and never removed. */
struct ftrace_chunk *ftrace_kernel_chunk;

/* May the kernel's table hold @ip?  (Upstream's core drops the others.) */
static notrace bool records_kernel_text(unsigned long ip)
{
	return is_kernel_text(ip) || is_kernel_inittext(ip);
}

/**
 * ftrace_chunk_build() - a chunk from an __mcount_loc table
 * @mod: the module the table belongs to, or NULL for the kernel's
 * @start: the table's first entry
 * @end: one past its last
 *
 * Context: process context; may sleep.
 * Return: the chunk, not listed yet, or an ERR_PTR(): -ENOMEM, or -ENOENT
 * if the table holds no site.
 */
notrace struct ftrace_chunk *ftrace_chunk_build(struct module *mod,
						const unsigned long *start,
						const unsigned long *end)
{
	size_t n = end - start, i, k = 0;
	struct ftrace_chunk *c;
	unsigned long *ip;

	if (!n || n > UINT_MAX)
		return ERR_PTR(n ? -E2BIG : -ENOENT);
	ip = kvmalloc_array(n, sizeof(*ip), GFP_KERNEL);
	if (!ip)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i < n; i++) {
		unsigned long a = start[i];

		if (!a || (!mod && !records_kernel_text(a)))
			continue;
		ip[k++] = ftrace_call_adjust(a);
	}
	n = ftrace_ips_sort_unique(ip, k);
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!n || !c) {
		kfree(c);
		kvfree(ip);
		return ERR_PTR(n ? -ENOMEM : -ENOENT);
	}
	c->state = kvcalloc(n, sizeof(*c->state), GFP_KERNEL);
	c->touched = bitmap_zalloc(n, GFP_KERNEL);
	if (!c->state || !c->touched) {
		bitmap_free(c->touched);
		kvfree(c->state);
		kfree(c);
		kvfree(ip);
		return ERR_PTR(-ENOMEM);
	}
	c->mod = mod;
	c->ip = ip;
	c->nr = n;
	return c;
}

/**
 * ftrace_chunk_free() - free a chunk that is not listed
 * @c: the chunk; NULL and ERR_PTR() values are ignored
 */
notrace void ftrace_chunk_free(struct ftrace_chunk *c)
{
	if (IS_ERR_OR_NULL(c))
		return;
	ftrace_names_free(c->names);
	bitmap_free(c->touched);
	kvfree(c->state);
	kvfree(c->ip);
	kfree(c);
}

/**
 * ftrace_chunk_list() - make a chunk's sites visible to the lookups
 * @c: a built chunk
 *
 * Context: process context.
 * Return: 0, or -EBUSY if it overlaps a listed chunk (it is then not
 * listed).
 */
notrace int ftrace_chunk_list(struct ftrace_chunk *c)
{
	struct ftrace_chunk *p;
	struct list_head *at = &ftrace_chunks;

	mutex_lock(&ftrace_core_chunks_lock);
	list_for_each_entry(p, &ftrace_chunks, list) {
		if (ftrace_chunk_first(p) <= ftrace_chunk_last(c) &&
		    ftrace_chunk_first(c) <= ftrace_chunk_last(p)) {
			mutex_unlock(&ftrace_core_chunks_lock);
			return -EBUSY;
		}
		if (ftrace_chunk_first(p) > ftrace_chunk_last(c))
			break;
		at = &p->list;
	}
	list_add_rcu(&c->list, at);
	mutex_unlock(&ftrace_core_chunks_lock);
	return 0;
}

static notrace void chunk_free_work(struct work_struct *work)
{
	ftrace_chunk_free(container_of(to_rcu_work(work), struct ftrace_chunk,
				       free_work));
}

/**
 * ftrace_chunk_unlist() - hide a chunk from the lookups, free it later
 * @c: a listed chunk
 *
 * The chunk is freed from a workqueue after an RCU grace period (lookups
 * run with preemption disabled): a module's load, which drops its init
 * chunk, never waits for one.
 *
 * Context: process context.
 */
notrace void ftrace_chunk_unlist(struct ftrace_chunk *c)
{
	mutex_lock(&ftrace_core_chunks_lock);
	list_del_rcu(&c->list);
	mutex_unlock(&ftrace_core_chunks_lock);
	INIT_RCU_WORK(&c->free_work, chunk_free_work);
	queue_rcu_work(system_wq, &c->free_work);
}

/**
 * ftrace_chunk_next() - walk the listed chunks, in address order
 * @c: the chunk before, or NULL for the first
 *
 * Context: ftrace_core_chunks_lock held.
 * Return: the next chunk, or NULL after the last.
 */
notrace struct ftrace_chunk *ftrace_chunk_next(struct ftrace_chunk *c)
{
	lockdep_assert_held(&ftrace_core_chunks_lock);
	if (!c)
		return list_first_entry_or_null(&ftrace_chunks,
						struct ftrace_chunk, list);
	if (list_is_last(&c->list, &ftrace_chunks))
		return NULL;
	return list_next_entry(c, list);
}

/* The first site of @c whose 5 bytes meet [start, end], or 0. */
static notrace unsigned long records_first(const struct ftrace_chunk *c,
					   unsigned long start,
					   unsigned long end)
{
	unsigned int lo = 0, hi = c->nr;

	/* the first site that ends after @start */
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (c->ip[mid] + MCOUNT_INSN_SIZE <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < c->nr && c->ip[lo] <= end)
		return c->ip[lo];
	return 0;
}

/**
 * ftrace_records_range() - the first site met by an address range
 * @start: first byte of the range
 * @end: last byte of the range (inclusive)
 *
 * A site is met when one of its MCOUNT_INSN_SIZE bytes is in the range,
 * as upstream's ftrace_location_range() matches.
 *
 * Context: any; takes no lock, never sleeps.
 * Return: the lowest such site's address, or 0.
 */
notrace unsigned long ftrace_records_range(unsigned long start,
					   unsigned long end)
{
	struct ftrace_chunk *c;
	unsigned long ip = 0;

	rcu_read_lock_sched_notrace();
	list_for_each_entry_rcu(c, &ftrace_chunks, list) {
		if (ftrace_chunk_last(c) + MCOUNT_INSN_SIZE <= start)
			continue;
		if (ftrace_chunk_first(c) > end)
			break;
		ip = records_first(c, start, end);
		if (ip)
			break;
	}
	rcu_read_unlock_sched_notrace();
	return ip;
}

/*
 * The site of the function that starts at @ip, as its chunk's name table
 * (a module's is built at its load) tells it without kallsyms: the site
 * at most FTRACE_NAME_MAX_OFFSET bytes after @ip whose offset from its
 * function's start is exactly that, else 0 (no function starts at @ip;
 * the table names a site's function after the highest symbol at or below
 * it), in *@site.  False: the table cannot tell (not built, no such site,
 * an offset it could not hold).  RCU-sched held.
 */
static notrace bool records_start_site(unsigned long ip, unsigned long *site)
{
	const struct ftrace_names *n;
	struct ftrace_chunk *c;
	unsigned int lo, hi;
	long start;

	list_for_each_entry_rcu(c, &ftrace_chunks, list) {
		if (ftrace_chunk_last(c) < ip)
			continue;
		if (ftrace_chunk_first(c) > ip &&
		    ftrace_chunk_first(c) - ip > FTRACE_NAME_MAX_OFFSET)
			return false;
		/* pairs with ftrace_chunk_names() publishing a built table */
		n = smp_load_acquire(&c->names);
		if (!n)
			return false;
		lo = 0;
		hi = c->nr;
		while (lo < hi) {	/* the first site at or after @ip */
			unsigned int mid = lo + (hi - lo) / 2;

			if (c->ip[mid] < ip)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (c->ip[lo] - ip > FTRACE_NAME_MAX_OFFSET)
			return false;
		start = ftrace_names_start(n, lo);
		if (start < 0)
			return false;
		*site = start == c->ip[lo] - ip ? c->ip[lo] : 0;
		return true;
	}
	return false;
}

/**
 * ftrace_records_location() - the site of a function, or at an address
 * @ip: a site, or the first byte of a function
 *
 * As upstream's ftrace_location(): a site met by @ip itself, else, if @ip
 * starts a function, the first site inside it (after an ENDBR).  The
 * function's start comes from the name table where it can tell (in a
 * module, kallsyms walks every symbol of the module for each address);
 * else from kallsyms.
 *
 * Context: any; takes no lock, never sleeps.
 * Return: the site's address, or 0.
 */
notrace unsigned long ftrace_records_location(unsigned long ip)
{
	unsigned long loc = ftrace_records_range(ip, ip);
	unsigned long size, offset;
	bool known;

	if (loc)
		return loc;
	rcu_read_lock_sched_notrace();
	known = records_start_site(ip, &loc);
	rcu_read_unlock_sched_notrace();
	if (known)
		return loc;
	if (!kallsyms_lookup_size_offset(ip, &size, &offset) || offset)
		return loc;
	return ftrace_records_range(ip, ip + size - 1);
}

/*
 * The kernel's chunk, while the table is there.  Beside upstream's core
 * this is an initcall of its own; when our core runs ftrace, ftrace_init()
 * builds it, before the sites are converted.
 */
static notrace int __init ftrace_records_boot(void)
{
	struct ftrace_chunk *c;
	int ret;

	if (IS_ENABLED(CONFIG_FTRACE_OWN_CORE_LIVE))
		return 0;	/* ftrace_init() built it */
	c = ftrace_chunk_build(NULL, __start_mcount_loc, __stop_mcount_loc);
	if (IS_ERR(c)) {
		pr_err("ftrace core: no kernel chunk (%ld)\n", PTR_ERR(c));
		return PTR_ERR(c);
	}
	ret = ftrace_chunk_list(c);
	if (ret) {
		ftrace_chunk_free(c);
		return ret;
	}
	ftrace_kernel_chunk = c;
	return 0;
}
early_initcall(ftrace_records_boot);
