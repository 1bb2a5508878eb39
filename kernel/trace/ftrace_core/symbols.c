// SPDX-License-Identifier: GPL-2.0
/*
 * symbols.c - function names to addresses through the name index, for
 * ftrace_lookup_symbols() (fprobe's and kprobe_multi's lists of names).
 *
 * Upstream walks every kallsyms symbol of the kernel and of every module,
 * with a binary search of the names and an ftrace_location() per symbol,
 * for each call.  Here each name is one search of the name index of the
 * kernel's chunk, then of the modules' chunks: O(k log n) for k names;
 * the start of each function is the site less the offset its name table
 * keeps (kallsyms_lookup_size_offset() only where the table could not
 * hold it: in a module that lookup walks every symbol of the module).
 *
 * What it answers is upstream's: for each name, the start (sym+0) of a
 * function of that name that has a live site; the kernel's first, and
 * among the kernel's functions of one name the lowest, as kallsyms walks
 * them.  Where a name is in several modules and not in the kernel,
 * upstream takes the module loaded last and this the module at the
 * lowest address.
 *
 * Locking: ftrace_core_chunks_lock around the walk (chunks stay listed),
 * ftrace_core_names_lock inside it while a name table is built.  May
 * sleep (name tables are built on first use).
 *
 * The core never traces itself: every function here is notrace.
 */
#include <linux/err.h>
#include <linux/kallsyms.h>
#include <linux/mutex.h>
#include <linux/string.h>

#include "internal.h"

/* The first live site of one name: the walk stops there. */
struct symbols_hit {
	const struct ftrace_chunk *c;
	int site;
};

static notrace int symbols_first(void *data, unsigned int site)
{
	struct symbols_hit *h = data;

	if (ftrace_chunk_site_gone(h->c, site))
		return 0;
	h->site = site;
	return -ECANCELED;
}

/* The start of @name's function in @c, 0 if it has no live site there. */
static notrace unsigned long symbols_in(struct ftrace_chunk *c,
					const char *name)
{
	struct ftrace_name_pattern p = {
		.type = FTRACE_NAME_FULL, .str = name, .len = strlen(name),
	};
	struct symbols_hit h = { .c = c, .site = -1 };
	const struct ftrace_names *n = ftrace_chunk_names(c);
	unsigned long size, off;
	long start;

	if (IS_ERR(n))
		return 0;
	ftrace_names_match(n, &p, symbols_first, &h);
	if (h.site < 0)
		return 0;
	start = ftrace_names_start(n, h.site);
	if (start >= 0)
		return c->ip[h.site] - start;
	if (!kallsyms_lookup_size_offset(c->ip[h.site], &size, &off))
		return 0;
	return c->ip[h.site] - off;
}

/**
 * ftrace_core_lookup_symbols() - the addresses of functions, by name
 * @sorted_syms: the names, in strcmp() order
 * @cnt: how many
 * @addrs: receives, for each name, its function's start, or 0
 *
 * As upstream's ftrace_lookup_symbols() (see the top of this file).
 *
 * Context: process context; may sleep.
 * Return: 0 if every name was found, -ESRCH otherwise.
 */
notrace int ftrace_core_lookup_symbols(const char **sorted_syms, size_t cnt,
				       unsigned long *addrs)
{
	struct ftrace_chunk *c;
	size_t i, found = 0;

	memset(addrs, 0, cnt * sizeof(*addrs));
	mutex_lock(&ftrace_core_chunks_lock);
	for (i = 0; i < cnt; i++) {
		if (ftrace_kernel_chunk)
			addrs[i] = symbols_in(ftrace_kernel_chunk,
					      sorted_syms[i]);
		for (c = ftrace_chunk_next(NULL); c && !addrs[i];
		     c = ftrace_chunk_next(c)) {
			if (c != ftrace_kernel_chunk)
				addrs[i] = symbols_in(c, sorted_syms[i]);
		}
		found += !!addrs[i];
	}
	mutex_unlock(&ftrace_core_chunks_lock);
	return found == cnt ? 0 : -ESRCH;
}
