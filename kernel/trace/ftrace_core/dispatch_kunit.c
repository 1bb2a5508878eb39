// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of hash.c and dispatch.c: ops whose func_hash holds shells
 * around site sets, on a private list.
 *
 *   shells     what other files read of a shell (count, flags,
 *              ftrace_hash_empty(), the lookup) and what the core reads
 *              (the set): "no site" and "all sites" stay apart
 *   test       ftrace_core_ops_test(): a list minus its notrace set, no
 *              site, all but one, never given sets, regs required
 *   list       the list function calls exactly the covering ops, in list
 *              order, never a stub
 *   recursion  a callback that would recurse 10 deep through the list
 *              function, or the assist function, is cut after one level
 *              (the transition level upstream's recursion bits allow)
 *   single     the shortcut for the list's only ops: called whatever its
 *              sets, never a stub, pt_regs only where saved, the assist
 *              for one that asks for recursion protection
 *
 * Locking: none; each walk runs with preemption disabled, as at a site.
 */
#include <kunit/test.h>
#include <linux/ftrace.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "internal.h"
#include "../trace.h"

#define DSK_BASE	((unsigned long)-0x7c000000L)
#define DSK_A		(DSK_BASE + 0x10)
#define DSK_B		(DSK_BASE + 0x20)
#define DSK_C		(DSK_BASE + 0x30)
#define DSK_D		(DSK_BASE + 0x40)
#define DSK_OPS		5

struct dsk_world {
	struct ftrace_ops ops[DSK_OPS];
	struct ftrace_ops_hash fh[DSK_OPS];
	struct ftrace_ops __rcu *head;
	struct __arch_ftrace_regs regs;	/* ->regs.cs set: full regs */
	struct ftrace_hash *shells[8];
	unsigned int nshells;
	int hits[DSK_OPS];
	int order[16];
	unsigned int norder;
	int nested;			/* calls made from inside a callback */
	bool via_assist;		/* ops 4 recurses through assist */
};

static struct dsk_world *dsk_w;

static void dsk_release(void *p)
{
	struct dsk_world *w = p;
	unsigned int i;

	for (i = 0; i < w->nshells; i++)
		ftrace_hash_shell_free(w->shells[i]);
	rcu_barrier();
	dsk_w = NULL;
}

static struct dsk_world *dsk_new(struct kunit *test)
{
	struct dsk_world *w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, w);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, dsk_release, w),
			0);
	dsk_w = w;
	return w;
}

/* A shell of the listed addresses (@nr 0: @kind's static set) */
static struct ftrace_hash *dsk_shell(struct kunit *test, struct dsk_world *w,
				     struct ftrace_sites *kind,
				     const unsigned long *ip, unsigned int nr,
				     unsigned long flags)
{
	struct ftrace_sites *s = kind;
	struct ftrace_hash *h;

	if (nr) {
		s = ftrace_sites_from(ip, nr, GFP_KERNEL);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	}
	h = ftrace_hash_shell(s, flags, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);
	w->shells[w->nshells++] = h;
	return h;
}

static void dsk_func(unsigned long ip, unsigned long parent_ip,
		     struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct dsk_world *w = dsk_w;
	int i = op - w->ops;

	w->hits[i]++;
	if (w->norder < ARRAY_SIZE(w->order))
		w->order[w->norder++] = i;
	/* ops 4 would recurse 10 deep through the list or assist function */
	if (i == 4 && w->nested < 10) {
		w->nested++;
		if (w->via_assist)
			ftrace_core_assist_func(DSK_D, ip, op, fregs);
		else
			ftrace_core_list_walk(&w->head, DSK_D, ip, fregs);
	}
}

/* Ops @i with sets @f and @n (NULL: never given) */
static void dsk_ops(struct dsk_world *w, int i, struct ftrace_hash *f,
		    struct ftrace_hash *n, unsigned long flags)
{
	struct ftrace_ops *o = &w->ops[i];

	o->func = dsk_func;
	o->flags = flags;
	RCU_INIT_POINTER(w->fh[i].filter_hash, f);
	RCU_INIT_POINTER(w->fh[i].notrace_hash, n);
	o->func_hash = &w->fh[i];
}

static void dsk_walk(struct dsk_world *w, unsigned long ip, bool full)
{
	w->regs.regs.cs = full ? __KERNEL_CS : 0;
	memset(w->hits, 0, sizeof(w->hits));
	w->norder = 0;
	w->nested = 0;
	preempt_disable_notrace();
	ftrace_core_list_walk(&w->head, ip, DSK_BASE,
			      (struct ftrace_regs *)&w->regs);
	preempt_enable_notrace();
}

static void dsk_test_shells(struct kunit *test)
{
	static const unsigned long ab[] = { DSK_A, DSK_B };
	struct dsk_world *w = dsk_new(test);
	struct ftrace_hash *some = dsk_shell(test, w, NULL, ab, 2, 0);
	struct ftrace_hash *none = dsk_shell(test, w, FTRACE_SITES_NONE_SET,
					     NULL, 0, 0);
	struct ftrace_hash *all = dsk_shell(test, w, FTRACE_SITES_ALL_SET,
					    NULL, 0, 0);
	struct ftrace_hash *pending = dsk_shell(test, w, FTRACE_SITES_NONE_SET,
						NULL, 0, FTRACE_HASH_FL_MOD);

	/* what other files read */
	KUNIT_EXPECT_EQ(test, some->count, 2UL);
	KUNIT_EXPECT_FALSE(test, ftrace_hash_empty(some));
	KUNIT_EXPECT_TRUE(test, ftrace_hash_empty(none));
	KUNIT_EXPECT_TRUE(test, ftrace_hash_empty(all));
	KUNIT_EXPECT_FALSE(test, ftrace_hash_empty(pending));
	KUNIT_EXPECT_NOT_NULL(test, ftrace_core_lookup_ip(some, DSK_B));
	KUNIT_EXPECT_NULL(test, ftrace_core_lookup_ip(some, DSK_C));
	KUNIT_EXPECT_NULL(test, ftrace_core_lookup_ip(all, DSK_A));
	KUNIT_EXPECT_NULL(test, ftrace_core_lookup_ip(NULL, DSK_A));

	/* what the core reads: no site and all sites stay apart */
	KUNIT_EXPECT_TRUE(test, ftrace_sites_is_none(ftrace_hash_sites(none, true)));
	KUNIT_EXPECT_TRUE(test, ftrace_sites_is_all(ftrace_hash_sites(all, true)));
	KUNIT_EXPECT_TRUE(test, ftrace_sites_is_all(ftrace_hash_sites(NULL, true)));
	KUNIT_EXPECT_TRUE(test, ftrace_sites_is_none(ftrace_hash_sites(NULL, false)));
}

static void dsk_test_test(struct kunit *test)
{
	static const unsigned long ab[] = { DSK_A, DSK_B }, b[] = { DSK_B };
	static const unsigned long c[] = { DSK_C };
	struct dsk_world *w = dsk_new(test);
	struct ftrace_ops *o = w->ops;
	int regs = 1;

	dsk_ops(w, 0, dsk_shell(test, w, NULL, ab, 2, 0),
		dsk_shell(test, w, NULL, b, 1, 0), 0);
	dsk_ops(w, 1, dsk_shell(test, w, FTRACE_SITES_NONE_SET, NULL, 0, 0),
		NULL, 0);
	dsk_ops(w, 2, dsk_shell(test, w, FTRACE_SITES_ALL_SET, NULL, 0, 0),
		dsk_shell(test, w, NULL, c, 1, 0), 0);
	dsk_ops(w, 3, NULL, NULL, FTRACE_OPS_FL_SAVE_REGS);

	KUNIT_EXPECT_TRUE(test, ftrace_core_ops_test(&o[0], DSK_A, NULL));
	KUNIT_EXPECT_FALSE(test, ftrace_core_ops_test(&o[0], DSK_B, NULL));
	KUNIT_EXPECT_FALSE(test, ftrace_core_ops_test(&o[0], DSK_C, NULL));
	/* a filter emptied to no site traces nothing, never everything */
	KUNIT_EXPECT_FALSE(test, ftrace_core_ops_test(&o[1], DSK_A, NULL));
	KUNIT_EXPECT_TRUE(test, ftrace_core_ops_test(&o[2], DSK_D, NULL));
	KUNIT_EXPECT_FALSE(test, ftrace_core_ops_test(&o[2], DSK_C, NULL));
	/* never given sets: all sites, but only with the regs it needs */
	KUNIT_EXPECT_FALSE(test, ftrace_core_ops_test(&o[3], DSK_C, NULL));
	KUNIT_EXPECT_TRUE(test, ftrace_core_ops_test(&o[3], DSK_C, &regs));
}

static void dsk_test_list(struct kunit *test)
{
	static const unsigned long ab[] = { DSK_A, DSK_B }, c[] = { DSK_C };
	struct dsk_world *w = dsk_new(test);
	struct ftrace_hash *all = dsk_shell(test, w, FTRACE_SITES_ALL_SET,
					    NULL, 0, 0);

	dsk_ops(w, 0, dsk_shell(test, w, NULL, ab, 2, 0), NULL, 0);
	dsk_ops(w, 1, all, dsk_shell(test, w, NULL, c, 1, 0), 0);
	dsk_ops(w, 2, all, NULL, FTRACE_OPS_FL_STUB);
	dsk_ops(w, 3, NULL, NULL, FTRACE_OPS_FL_SAVE_REGS);
	/* 3 -> 1 -> 2 -> 0 */
	RCU_INIT_POINTER(w->head, &w->ops[3]);
	RCU_INIT_POINTER(w->ops[3].next, &w->ops[1]);
	RCU_INIT_POINTER(w->ops[1].next, &w->ops[2]);
	RCU_INIT_POINTER(w->ops[2].next, &w->ops[0]);

	dsk_walk(w, DSK_A, true);
	KUNIT_EXPECT_EQ(test, w->norder, 3U);
	KUNIT_EXPECT_EQ(test, w->order[0], 3);
	KUNIT_EXPECT_EQ(test, w->order[1], 1);
	KUNIT_EXPECT_EQ(test, w->order[2], 0);

	dsk_walk(w, DSK_C, false);	/* no regs: not ops 3 */
	KUNIT_EXPECT_EQ(test, w->norder, 0U);
	dsk_walk(w, DSK_D, false);
	KUNIT_EXPECT_EQ(test, w->norder, 1U);
	KUNIT_EXPECT_EQ(test, w->hits[1], 1);
	KUNIT_EXPECT_EQ(test, w->hits[2], 0);
}

static void dsk_test_recursion(struct kunit *test)
{
	struct dsk_world *w = dsk_new(test);

	dsk_ops(w, 4, NULL, NULL, FTRACE_OPS_FL_RECURSION);
	dsk_ops(w, 0, NULL, NULL, 0);
	RCU_INIT_POINTER(w->head, &w->ops[4]);
	RCU_INIT_POINTER(w->ops[4].next, &w->ops[0]);

	/*
	 * The list function: one level of recursion passes (the transition
	 * bit: an interrupt seen before its context is), the next is cut.
	 */
	dsk_walk(w, DSK_A, false);
	KUNIT_EXPECT_EQ(test, w->nested, 2);
	KUNIT_EXPECT_EQ(test, w->hits[4], 2);
	KUNIT_EXPECT_EQ(test, w->hits[0], 2);

	/* the assist function guards an ops that asks for it, the same way */
	KUNIT_EXPECT_PTR_EQ(test, ftrace_core_ops_get_func(&w->ops[4]),
			    (ftrace_func_t)ftrace_core_assist_func);
	KUNIT_EXPECT_PTR_EQ(test, ftrace_core_ops_get_func(&w->ops[0]),
			    (ftrace_func_t)dsk_func);
	memset(w->hits, 0, sizeof(w->hits));
	w->nested = 0;
	w->via_assist = true;
	preempt_disable_notrace();
	ftrace_core_assist_func(DSK_A, DSK_BASE, &w->ops[4],
				(struct ftrace_regs *)&w->regs);
	preempt_enable_notrace();
	KUNIT_EXPECT_EQ(test, w->nested, 2);
	KUNIT_EXPECT_EQ(test, w->hits[4], 2);
	KUNIT_EXPECT_EQ(test, w->hits[0], 0);
}

static void dsk_single(struct dsk_world *w, int i, bool full)
{
	w->regs.regs.cs = full ? __KERNEL_CS : 0;
	memset(w->hits, 0, sizeof(w->hits));
	w->nested = 0;
	preempt_disable_notrace();
	ftrace_core_single_call(&w->ops[i], DSK_C, DSK_BASE,
				(struct ftrace_regs *)&w->regs);
	preempt_enable_notrace();
}

static void dsk_test_single(struct kunit *test)
{
	static const unsigned long a[] = { DSK_A };
	struct dsk_world *w = dsk_new(test);

	/* its sets are not tested: every patched site is its own */
	dsk_ops(w, 0, dsk_shell(test, w, NULL, a, 1, 0), NULL, 0);
	dsk_single(w, 0, false);
	KUNIT_EXPECT_EQ(test, w->hits[0], 1);

	dsk_ops(w, 1, NULL, NULL, FTRACE_OPS_FL_STUB);
	dsk_single(w, 1, true);
	KUNIT_EXPECT_EQ(test, w->hits[1], 0);

	/* pt_regs only where the caller saved them */
	dsk_ops(w, 2, NULL, NULL, FTRACE_OPS_FL_SAVE_REGS);
	dsk_single(w, 2, false);
	KUNIT_EXPECT_EQ(test, w->hits[2], 0);
	dsk_single(w, 2, true);
	KUNIT_EXPECT_EQ(test, w->hits[2], 1);

	/* an ops that asks for recursion protection goes through the assist */
	dsk_ops(w, 4, NULL, NULL, FTRACE_OPS_FL_RECURSION);
	w->via_assist = true;
	dsk_single(w, 4, false);
	KUNIT_EXPECT_EQ(test, w->nested, 2);
	KUNIT_EXPECT_EQ(test, w->hits[4], 2);
}

static struct kunit_case dsk_cases[] = {
	KUNIT_CASE(dsk_test_shells),
	KUNIT_CASE(dsk_test_test),
	KUNIT_CASE(dsk_test_list),
	KUNIT_CASE(dsk_test_recursion),
	KUNIT_CASE(dsk_test_single),
	{}
};

static struct kunit_suite dsk_suite = {
	.name = "ftrace_dispatch",
	.test_cases = dsk_cases,
};

kunit_test_suite(dsk_suite);
