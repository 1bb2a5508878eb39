// SPDX-License-Identifier: GPL-2.0
/*
 * live_params.c - the boot parameters of the global ops' sets when our
 * core runs ftrace (CONFIG_FTRACE_OWN_CORE_LIVE): ftrace_filter= and
 * ftrace_notrace=, comma-separated patterns (globs, :mod:), applied at
 * the end of ftrace_init(), before any tracer can start (ftrace=function
 * then traces only them).  Either one sets ftrace_filter_param, which
 * tells the tracers' boot selftests to stay away from the global ops.
 * ftrace_graph_filter= and ftrace_graph_notrace= fill set_graph_function
 * and set_graph_notrace (live_graph.c) at the same time;
 * ftrace_graph_max_depth= sets the graph tracer's depth limit.
 *
 * Locking: none: written by the command-line parser, read once at
 * ftrace_init(), both before other CPUs run.
 */
#include <linux/ftrace.h>
#include <linux/init.h>
#include <linux/kstrtox.h>
#include <linux/string.h>

#include <asm/setup.h>

#include "../trace.h"
#include "live.h"

#define PARAMS_SIZE	COMMAND_LINE_SIZE

bool ftrace_filter_param __initdata;
static char params_filter[PARAMS_SIZE] __initdata;
static char params_notrace[PARAMS_SIZE] __initdata;
static char params_graph[PARAMS_SIZE] __initdata;
static char params_graph_notrace[PARAMS_SIZE] __initdata;

static notrace int __init params_set_filter(char *str)
{
	ftrace_filter_param = true;
	strscpy(params_filter, str, sizeof(params_filter));
	return 1;
}
__setup("ftrace_filter=", params_set_filter);

static int __init params_set_notrace(char *str)
{
	ftrace_filter_param = true;
	strscpy(params_notrace, str, sizeof(params_notrace));
	return 1;
}
__setup("ftrace_notrace=", params_set_notrace);

static notrace int __init params_set_graph(char *str)
{
	strscpy(params_graph, str, sizeof(params_graph));
	return 1;
}
__setup("ftrace_graph_filter=", params_set_graph);

static int __init params_set_graph_notrace(char *str)
{
	strscpy(params_graph_notrace, str, sizeof(params_graph_notrace));
	return 1;
}
__setup("ftrace_graph_notrace=", params_set_graph_notrace);

static notrace int __init params_set_graph_depth(char *str)
{
	if (!IS_ENABLED(CONFIG_FUNCTION_GRAPH_TRACER))
		return 0;
	return str && !kstrtouint(str, 0, &fgraph_max_depth);
}
__setup("ftrace_graph_max_depth=", params_set_graph_depth);

/**
 * ftrace_live_boot_params() - apply ftrace_filter= and ftrace_notrace=
 * to the global ops, and the graph filter parameters
 */
notrace void __init ftrace_live_boot_params(void)
{
	if (params_filter[0])
		ftrace_set_early_filter(&global_ops, params_filter, 1);
	if (params_notrace[0])
		ftrace_set_early_filter(&global_ops, params_notrace, 0);
	if (params_graph[0])
		ftrace_live_graph_boot(params_graph, false);
	if (params_graph_notrace[0])
		ftrace_live_graph_boot(params_graph_notrace, true);
}
