/* SPDX-License-Identifier: GPL-2.0 */
/*
 * live_kunit.h - what the KUnit suites of the live core share
 * (live_kunit.c: "ftrace_live", live_stale_kunit.c: "ftrace_live_stale"):
 * a callback that does nothing, a function's site by name, what a site
 * calls, a filter's append, another patcher's jmp (to the next
 * instruction: harmless if run) and its write, the registry's reports.
 *
 * Everything here runs in a test case at boot, in process context; the
 * core's locks are taken as their owners take them (ftrace_lock for the
 * registry's reports, text_mutex for a write of text).
 */
#ifndef _FTRACE_CORE_LIVE_KUNIT_H
#define _FTRACE_CORE_LIVE_KUNIT_H

#include <kunit/test.h>
#include <linux/ftrace.h>
#include <linux/kallsyms.h>
#include <linux/memory.h>
#include <linux/string.h>

#include <asm/ftrace_sites.h>
#include <asm/text-patching.h>

#include "../ftrace_internal.h"
#include "live.h"

static inline notrace void lk_nop(unsigned long ip, unsigned long parent_ip,
				  struct ftrace_ops *op,
				  struct ftrace_regs *fregs)
{
}

static inline notrace unsigned long lk_site(struct kunit *test,
					    const char *name)
{
	unsigned long ip = ftrace_location(kallsyms_lookup_name(name));

	KUNIT_ASSERT_NE(test, ip, 0UL);
	return ip;
}

/* What the site at @ip calls, or 0 if it holds no call. */
static inline notrace unsigned long lk_calls(unsigned long ip)
{
	return ftrace_site_call_target((const u8 *)ip, ip);
}

static inline notrace int lk_filter_add(struct ftrace_ops *ops,
					const char *name)
{
	return ftrace_set_filter(ops, (unsigned char *)name, strlen(name), 0);
}

static const u8 lk_jmp0[MCOUNT_INSN_SIZE] = { 0xe9, 0, 0, 0, 0 };

/* Has the registry reported @ip quarantined, having found @found? */
static inline notrace bool lk_reported(unsigned long ip, const u8 *found)
{
	struct ftrace_quarantined *q;
	bool seen = false;

	mutex_lock(&ftrace_lock);
	list_for_each_entry(q, &ftrace_live_registry.quarantine, list)
		seen |= q->ip == ip && !memcmp(q->found, found, MCOUNT_INSN_SIZE);
	mutex_unlock(&ftrace_lock);
	return seen;
}

static inline notrace void lk_poke(unsigned long ip, const u8 *insn)
{
	mutex_lock(&text_mutex);
	text_poke_bp((void *)ip, insn, MCOUNT_INSN_SIZE, NULL);
	mutex_unlock(&text_mutex);
}

#endif /* _FTRACE_CORE_LIVE_KUNIT_H */
