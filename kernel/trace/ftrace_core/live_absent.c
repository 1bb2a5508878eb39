// SPDX-License-Identifier: GPL-2.0
/*
 * live_absent.c - the entry points of part 2 of our core (graph filter
 * files), which the rest of the kernel links against, when our core
 * runs ftrace (CONFIG_FTRACE_OWN_CORE_LIVE, the development kernel
 * only): each refuses with -EOPNOTSUPP or does nothing, as the README
 * lists.  Nothing here reaches the "ours" kernel.
 *
 * Locking: none (the graph filter sets are set once at ftrace_init()).
 */
#include <linux/ftrace.h>
#include <linux/list.h>

#include "../trace.h"
#include "internal.h"

/*
 * The graph filter sets (set_graph_function, part 2): shells of "no
 * site", which the graph tracer reads as empty: every function graphed,
 * none refused.  Set at ftrace_init(), before any tracer runs.
 */
struct ftrace_hash __rcu *ftrace_graph_hash;
struct ftrace_hash __rcu *ftrace_graph_notrace_hash;

/**
 * ftrace_absent_init() - the graph filter sets, empty
 *
 * Return: 0 or -ENOMEM.
 */
int __init ftrace_absent_init(void)
{
	struct ftrace_hash *g, *n;

	g = ftrace_hash_shell(FTRACE_SITES_NONE_SET, 0, GFP_KERNEL);
	n = ftrace_hash_shell(FTRACE_SITES_NONE_SET, 0, GFP_KERNEL);
	if (!g || !n) {
		ftrace_hash_shell_free(g);
		ftrace_hash_shell_free(n);
		return -ENOMEM;
	}
	rcu_assign_pointer(ftrace_graph_hash, g);
	rcu_assign_pointer(ftrace_graph_notrace_hash, n);
	return 0;
}

bool ftrace_filter_param __initdata;

