// SPDX-License-Identifier: GPL-2.0
/*
 * ftrace_sites_kunit.c - KUnit tests of ftrace_sites.c on real text: the
 * ftrace sites of three functions of this file (built with -pg, so they
 * have sites, which the running core keeps as NOPs: nothing traces them)
 * are sent to a counter and back, in plans of several sites, one of
 * which the engine must refuse.
 *
 *   plan     two sites to fsk_hit() in one run (the engine's counters:
 *            one run, three syncs), both fire; back to the NOP: silent
 *   refused  a site that does not hold what its change says is left
 *            alone, reported with the bytes expected and found, while
 *            the other site of the plan changes; a target out of a
 *            call's reach is refused before the run (-ERANGE)
 *   order    a plan out of ip order runs whole, in one run
 *   twice    a plan that names a site twice fails whole (-EEXIST):
 *            nothing written, no site blamed
 *
 * The sites are given back their NOPs when a test ends, however it ends.
 *
 * Locking: none of its own; ftrace_arch_change_sites() takes text_mutex.
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/ftrace.h>
#include <linux/mm.h>
#include <linux/string.h>

#include <asm/ftrace_sites.h>
#include <asm/ibt.h>
#include <asm/nops.h>
#include <asm/text-patching.h>

#include "ftrace_patch.h"

static atomic_t fsk_hits;

/*
 * Called from the sites, before the functions' own code: they take no
 * arguments, so the registers this may change hold nothing of theirs.
 */
static notrace noinline void fsk_hit(void)
{
	atomic_inc(&fsk_hits);
}

static noinline void fsk_a(void)
{
	barrier();
}

static noinline void fsk_b(void)
{
	barrier();
}

static noinline void fsk_c(void)
{
	barrier();
}

static void (*const fsk_fn[])(void) = { fsk_a, fsk_b, fsk_c };

/* The site of function @i: its first byte, or the one after its ENDBR */
static unsigned long fsk_site(unsigned int i)
{
	unsigned long ip = (unsigned long)fsk_fn[i];
	u32 first;

	OPTIMIZER_HIDE_VAR(ip);
	memcpy(&first, (void *)ip, sizeof(first));
	return is_endbr(first) ? ip + ENDBR_INSN_SIZE : ip;
}

static bool fsk_is_nop(unsigned int i)
{
	return !memcmp((void *)fsk_site(i), x86_nops[5], MCOUNT_INSN_SIZE);
}

static bool fsk_calls(unsigned int i, unsigned long to)
{
	const u8 *p = (const u8 *)fsk_site(i);

	return ftrace_call_dest(p, fsk_site(i)) == to;
}

/* Hits in one call of each function */
static int fsk_run(void)
{
	unsigned int i;

	atomic_set(&fsk_hits, 0);
	for (i = 0; i < ARRAY_SIZE(fsk_fn); i++)
		fsk_fn[i]();
	return atomic_read(&fsk_hits);
}

/* Whatever a test left: a site that calls fsk_hit() gets its NOP back */
static void fsk_exit(struct kunit *test)
{
	struct ftrace_site_change c = { .to = 0 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fsk_fn); i++) {
		if (!fsk_calls(i, (unsigned long)fsk_hit))
			continue;
		c.ip = fsk_site(i);
		c.from = (unsigned long)fsk_hit;
		KUNIT_EXPECT_EQ(test, ftrace_arch_change_sites(NULL, &c, 1), 0);
		KUNIT_EXPECT_EQ(test, c.err, 0);
	}
}

static int fsk_init(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fsk_fn); i++) {
		if (!fsk_is_nop(i))
			kunit_skip(test, "site %u is traced", i);
	}
	return 0;
}

static void fsk_test_plan(struct kunit *test)
{
	unsigned long hit = (unsigned long)fsk_hit;
	struct ftrace_site_change c[2] = {
		{ .ip = fsk_site(0), .from = 0, .to = hit },
		{ .ip = fsk_site(2), .from = 0, .to = hit },
	};
	struct ftrace_patch_stats st0, st1;

	KUNIT_EXPECT_EQ(test, fsk_run(), 0);
	ftrace_patch_get_stats(&st0);
	KUNIT_ASSERT_EQ(test, ftrace_arch_change_sites(NULL, c, 2), 0);
	ftrace_patch_get_stats(&st1);
	KUNIT_EXPECT_EQ(test, c[0].err, 0);
	KUNIT_EXPECT_EQ(test, c[1].err, 0);
	KUNIT_EXPECT_EQ(test, st1.runs - st0.runs, 1UL);
	KUNIT_EXPECT_EQ(test, st1.syncs - st0.syncs, 3UL);
	KUNIT_EXPECT_EQ(test, st1.sites - st0.sites, 2UL);
	KUNIT_EXPECT_TRUE(test, fsk_calls(0, hit) && fsk_calls(2, hit));
	KUNIT_EXPECT_TRUE(test, fsk_is_nop(1));
	KUNIT_EXPECT_EQ(test, fsk_run(), 2);

	c[0].from = hit;
	c[0].to = 0;
	c[1].from = hit;
	c[1].to = 0;
	KUNIT_ASSERT_EQ(test, ftrace_arch_change_sites(NULL, c, 2), 0);
	KUNIT_EXPECT_EQ(test, c[0].err + c[1].err, 0);
	KUNIT_EXPECT_TRUE(test, fsk_is_nop(0) && fsk_is_nop(2));
	KUNIT_EXPECT_EQ(test, fsk_run(), 0);
}

static void fsk_test_refused(struct kunit *test)
{
	unsigned long hit = (unsigned long)fsk_hit;
	struct ftrace_site_change c[3] = {
		/* it holds the NOP, not a call */
		{ .ip = fsk_site(0), .from = hit, .to = 0 },
		{ .ip = fsk_site(1), .from = 0, .to = hit },
		/* a call from kernel text to the direct map: out of reach */
		{ .ip = fsk_site(2), .from = 0, .to = PAGE_OFFSET },
	};
	u8 call[MCOUNT_INSN_SIZE];

	KUNIT_ASSERT_EQ(test, ftrace_arch_change_sites(NULL, c, 3), 0);
	__text_gen_insn(call, CALL_INSN_OPCODE, (void *)fsk_site(0),
			(void *)hit, CALL_INSN_SIZE);
	KUNIT_EXPECT_EQ(test, c[0].err, -EINVAL);
	KUNIT_EXPECT_MEMEQ(test, c[0].expected, call, MCOUNT_INSN_SIZE);
	KUNIT_EXPECT_MEMEQ(test, c[0].found, x86_nops[5], MCOUNT_INSN_SIZE);
	KUNIT_EXPECT_EQ(test, c[1].err, 0);
	KUNIT_EXPECT_EQ(test, c[2].err, -ERANGE);
	KUNIT_EXPECT_TRUE(test, fsk_is_nop(0) && fsk_is_nop(2));
	KUNIT_EXPECT_TRUE(test, fsk_calls(1, hit));
	KUNIT_EXPECT_EQ(test, fsk_run(), 1);
}

/* The engine reads a plan in any order: descending sites, one run. */
static void fsk_test_order(struct kunit *test)
{
	unsigned long hit = (unsigned long)fsk_hit;
	struct ftrace_site_change c[3] = {
		{ .ip = fsk_site(2), .from = 0, .to = hit },
		{ .ip = fsk_site(1), .from = 0, .to = hit },
		{ .ip = fsk_site(0), .from = 0, .to = hit },
	};
	struct ftrace_patch_stats st0, st1;

	if (fsk_site(2) < fsk_site(0))
		swap(c[0].ip, c[2].ip);
	ftrace_patch_get_stats(&st0);
	KUNIT_ASSERT_EQ(test, ftrace_arch_change_sites(NULL, c, 3), 0);
	ftrace_patch_get_stats(&st1);
	KUNIT_EXPECT_EQ(test, c[0].err + c[1].err + c[2].err, 0);
	KUNIT_EXPECT_EQ(test, st1.runs - st0.runs, 1UL);
	KUNIT_EXPECT_EQ(test, st1.sites - st0.sites, 3UL);
	KUNIT_EXPECT_EQ(test, fsk_run(), 3);
}

/* A site named twice fails the plan whole: nothing written, no blame. */
static void fsk_test_twice(struct kunit *test)
{
	unsigned long hit = (unsigned long)fsk_hit;
	struct ftrace_site_change c[3] = {
		{ .ip = fsk_site(0), .from = 0, .to = hit },
		{ .ip = fsk_site(1), .from = 0, .to = hit },
		{ .ip = fsk_site(1), .from = 0, .to = hit },
	};

	KUNIT_EXPECT_EQ(test, ftrace_arch_change_sites(NULL, c, 3), -EEXIST);
	KUNIT_EXPECT_EQ(test, c[0].err + c[1].err + c[2].err, 0);
	KUNIT_EXPECT_TRUE(test, fsk_is_nop(0) && fsk_is_nop(1));
	KUNIT_EXPECT_EQ(test, fsk_run(), 0);
}

static struct kunit_case fsk_cases[] = {
	KUNIT_CASE(fsk_test_plan),
	KUNIT_CASE(fsk_test_refused),
	KUNIT_CASE(fsk_test_order),
	KUNIT_CASE(fsk_test_twice),
	{}
};

static struct kunit_suite fsk_suite = {
	.name = "ftrace_sites_engine",
	.init = fsk_init,
	.exit = fsk_exit,
	.test_cases = fsk_cases,
};

kunit_test_suite(fsk_suite);
