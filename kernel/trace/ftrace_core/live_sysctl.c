// SPDX-License-Identifier: GPL-2.0
/*
 * live_sysctl.c - kernel.ftrace_enabled when our core runs ftrace
 * (CONFIG_FTRACE_OWN_CORE_LIVE).
 *
 * Writing 0 takes every registered ops out of its sites (they all go
 * back to the NOP) while the ops stay registered; 1 puts them back
 * (live.c, ftrace_live_set_enabled()).  A permanent ops (livepatch's)
 * makes 0 fail with -EBUSY.  The value read is the one applied: a write
 * that fails leaves it as it was.  Nothing here ever turns ftrace off
 * for good.
 *
 * Locking: the write is serialized by ftrace_lock (taken by
 * ftrace_live_set_enabled()).
 */
#include <linux/init.h>
#include <linux/sysctl.h>

#include "live.h"

static notrace int sysctl_ftrace_enabled(const struct ctl_table *table,
					 int write, void *buffer, size_t *lenp,
					 loff_t *ppos)
{
	struct ctl_table t = *table;
	int val = READ_ONCE(ftrace_enabled);
	int ret;

	t.data = &val;
	ret = proc_dointvec_minmax(&t, write, buffer, lenp, ppos);
	if (ret || !write)
		return ret;
	return ftrace_live_set_enabled(val);
}

static struct ctl_table ftrace_sysctls[] = {
	{
		.procname = "ftrace_enabled",
		.mode = 0644,
		.proc_handler = sysctl_ftrace_enabled,
		.data = &ftrace_enabled,
		.maxlen = sizeof(int),
		.extra1 = SYSCTL_ZERO,	/* 0 or 1 only */
		.extra2 = SYSCTL_ONE,
	},
};

static notrace int __init ftrace_sysctl_init(void)
{
	register_sysctl_init("kernel", ftrace_sysctls);
	return 0;
}
late_initcall(ftrace_sysctl_init);
