// SPDX-License-Identifier: GPL-2.0
/*
 * live_absent.c - the entry points of part 2 of our core (function probes
 * and commands, pid filters, graph filter files, the
 * profiler), which the rest of the kernel links against, when our core
 * runs ftrace (CONFIG_FTRACE_OWN_CORE_LIVE, the development kernel
 * only): each refuses with -EOPNOTSUPP or does nothing, as the README
 * lists.  Nothing here reaches the "ours" kernel.
 *
 * Commands are kept in a list, so that the tracers that register them
 * at boot succeed; a filter file's "func:command" token is refused
 * (filter.c) until part 2 runs them.
 *
 * Locking: ftrace_lock protects the command list.
 */
#include <linux/ftrace.h>
#include <linux/list.h>

#include "../trace.h"
#include "internal.h"

static LIST_HEAD(absent_commands);	/* ftrace_lock */

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

/**
 * register_ftrace_command() - a filter-file command (kept for part 2)
 * @cmd: the command
 *
 * Return: 0, or -EBUSY if one of that name is registered.
 */
int register_ftrace_command(struct ftrace_func_command *cmd)
{
	struct ftrace_func_command *p;
	int ret = 0;

	mutex_lock(&ftrace_lock);
	list_for_each_entry(p, &absent_commands, list) {
		if (!strcmp(p->name, cmd->name)) {
			ret = -EBUSY;
			goto out;
		}
	}
	list_add(&cmd->list, &absent_commands);
out:
	mutex_unlock(&ftrace_lock);
	return ret;
}

/**
 * unregister_ftrace_command() - drop a filter-file command
 * @cmd: the command
 *
 * Return: 0, or -ENODEV if it is not registered.
 */
int unregister_ftrace_command(struct ftrace_func_command *cmd)
{
	struct ftrace_func_command *p;
	bool found = false;

	mutex_lock(&ftrace_lock);
	list_for_each_entry(p, &absent_commands, list)
		found |= p == cmd;
	if (found)
		list_del_init(&cmd->list);
	mutex_unlock(&ftrace_lock);
	return found ? 0 : -ENODEV;
}

/**
 * allocate_ftrace_func_mapper() - function probes' map (part 2)
 *
 * Return: NULL: callers fail with -ENOMEM, before any probe exists.
 */
struct ftrace_func_mapper *allocate_ftrace_func_mapper(void)
{
	return NULL;
}

/**
 * ftrace_func_mapper_find_ip() - part 2
 * @mapper: unused
 * @ip: unused
 *
 * Return: NULL.
 */
void **ftrace_func_mapper_find_ip(struct ftrace_func_mapper *mapper,
				  unsigned long ip)
{
	return NULL;
}

/**
 * ftrace_func_mapper_add_ip() - part 2
 * @mapper: unused
 * @ip: unused
 * @data: unused
 *
 * Return: -EOPNOTSUPP.
 */
int ftrace_func_mapper_add_ip(struct ftrace_func_mapper *mapper,
			      unsigned long ip, void *data)
{
	return -EOPNOTSUPP;
}

/**
 * ftrace_func_mapper_remove_ip() - part 2
 * @mapper: unused
 * @ip: unused
 *
 * Return: NULL.
 */
void *ftrace_func_mapper_remove_ip(struct ftrace_func_mapper *mapper,
				   unsigned long ip)
{
	return NULL;
}

/**
 * free_ftrace_func_mapper() - part 2
 * @mapper: unused
 * @free_func: unused
 */
void free_ftrace_func_mapper(struct ftrace_func_mapper *mapper,
			     ftrace_mapper_func free_func)
{
}

/**
 * register_ftrace_function_probe() - function probes (part 2)
 * @glob: unused
 * @tr: unused
 * @ops: unused
 * @data: unused
 *
 * Return: -EOPNOTSUPP.
 */
int register_ftrace_function_probe(char *glob, struct trace_array *tr,
				   struct ftrace_probe_ops *ops, void *data)
{
	return -EOPNOTSUPP;
}

/**
 * unregister_ftrace_function_probe_func() - function probes (part 2)
 * @glob: unused
 * @tr: unused
 * @ops: unused
 *
 * Return: -EOPNOTSUPP.
 */
int unregister_ftrace_function_probe_func(char *glob, struct trace_array *tr,
					  struct ftrace_probe_ops *ops)
{
	return -EOPNOTSUPP;
}

/**
 * clear_ftrace_function_probes() - function probes (part 2): none exist
 * @tr: unused
 */
void clear_ftrace_function_probes(struct trace_array *tr)
{
}

/**
 * ftrace_pids_enabled() - pid filters (part 2): none
 * @ops: unused
 *
 * Return: false.
 */
bool ftrace_pids_enabled(struct ftrace_ops *ops)
{
	return false;
}

/**
 * ftrace_clear_pids() - pid filters (part 2): none to clear
 * @tr: unused
 */
void ftrace_clear_pids(struct trace_array *tr)
{
}

/**
 * ftrace_pid_follow_fork() - pid filters (part 2)
 * @tr: unused
 * @enable: unused
 */
void ftrace_pid_follow_fork(struct trace_array *tr, bool enable)
{
}

/**
 * ftrace_init_tracefs() - a trace array's pid filter files (part 2):
 * none yet
 * @tr: unused
 * @d_tracer: unused
 */
void ftrace_init_tracefs(struct trace_array *tr, struct dentry *d_tracer)
{
}

/**
 * ftrace_graph_graph_time_control() - the profiler (part 2)
 * @enable: unused
 */
void ftrace_graph_graph_time_control(bool enable)
{
}
