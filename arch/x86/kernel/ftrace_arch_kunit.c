// SPDX-License-Identifier: GPL-2.0
/*
 * ftrace_arch_kunit.c - KUnit tests of arch/x86/kernel/ftrace.c with the
 * kernel's real ftrace core: what the core's records and the text hold
 * when the engine cannot get memory for a change.
 *
 * Unlike ftrace_patch_kunit.c this file is built with -pg: fak_target()
 * below has an ftrace record of its own, which an ftrace_ops of the test
 * filters on.  The engine is made to fail through KUnit static stubs on
 * ftrace_patch_reserve() (before any record's change is committed) and on
 * ftrace_patch_open() (after the walk committed every change): either way
 * the change must be undone whole, so that the text, the records and the
 * core agree, ftrace stays alive, and the same ops registered afterwards
 * traces.  A record left committed with its text unchanged makes the
 * unregistration expect a call where a NOP is: the core's ftrace_bug()
 * then switches ftrace off, and the last registration fails with -ENODEV.
 *
 * Locking: none of its own; the core takes ftrace_lock and text_mutex.
 * The stubs redirect only calls made by the test's own thread.
 */
#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/ftrace.h>
#include <linux/module.h>
#include <linux/string.h>

#include <asm/ibt.h>
#include <asm/nops.h>
#include <asm/text-patching.h>

#include "ftrace_patch.h"

static atomic_t fak_hits;

/* The traced function: an ftrace site, never inlined, never optimized out. */
static noinline void fak_target(void)
{
	barrier();
}

static void notrace fak_func(unsigned long ip, unsigned long parent_ip,
			     struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	atomic_inc(&fak_hits);
}

static struct ftrace_ops fak_ops = {
	.func = fak_func,
};

/* The site of fak_target(): its first byte, or the one after its ENDBR. */
static unsigned long fak_site(void)
{
	unsigned long ip = (unsigned long)fak_target;
	u32 first;

	OPTIMIZER_HIDE_VAR(ip);
	memcpy(&first, (void *)ip, sizeof(first));
	return is_endbr(first) ? ip + ENDBR_INSN_SIZE : ip;
}

/* x86_nops[5], which is not exported */
static const u8 fak_nop5[MCOUNT_INSN_SIZE] = { BYTES_NOP5 };

static bool fak_site_is_nop(void)
{
	return !memcmp((void *)fak_site(), fak_nop5, MCOUNT_INSN_SIZE);
}

/* A call (to ftrace_caller or the ops' trampoline; the engine checked it). */
static bool fak_site_is_call(void)
{
	return *(const u8 *)fak_site() == CALL_INSN_OPCODE;
}

/* How often fak_ops saw fak_target() in @n calls. */
static int fak_call(int n)
{
	int i;

	atomic_set(&fak_hits, 0);
	for (i = 0; i < n; i++)
		fak_target();
	return atomic_read(&fak_hits);
}

static int fak_reserve_fails(unsigned int nr)
{
	return -ENOMEM;
}

static int fak_open_fails(struct ftrace_patch_site *sites, unsigned int nr,
			  unsigned int flags)
{
	return -ENOMEM;
}

static int fak_init(struct kunit *test)
{
	int ret = ftrace_set_filter_ip(&fak_ops, (unsigned long)fak_target,
				       0, 1);

	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_TRUE(test, fak_site_is_nop());
	return 0;
}

/* Upstream's core WARNs on unregistering an ops that is not registered. */
static void fak_exit(struct kunit *test)
{
	if (fak_ops.flags & FTRACE_OPS_FL_ENABLED)
		unregister_ftrace_function(&fak_ops);
}

/*
 * Once, at the end: upstream's ftrace_free_filter() frees the hashes but
 * leaves the ops pointing at them, so the ops may not be used after it
 * (each case's fak_init() replaces the filter instead).
 */
static void fak_suite_exit(struct kunit_suite *suite)
{
	ftrace_free_filter(&fak_ops);
}

/* Registered, traced, unregistered: the site is a call, then a NOP. */
static void fak_then_traces(struct kunit *test)
{
	KUNIT_ASSERT_EQ(test, register_ftrace_function(&fak_ops), 0);
	KUNIT_EXPECT_TRUE(test, fak_site_is_call());
	KUNIT_EXPECT_EQ(test, fak_call(3), 3);
	KUNIT_EXPECT_EQ(test, unregister_ftrace_function(&fak_ops), 0);
	KUNIT_EXPECT_TRUE(test, fak_site_is_nop());
	KUNIT_EXPECT_EQ(test, fak_call(3), 0);
}

/*
 * The registration that met no memory (@ret its result) changed nothing:
 * the site is a NOP, no call is seen, unregistering works; afterwards the
 * same ops traces.
 */
static void fak_nothing_changed(struct kunit *test, int ret)
{
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_TRUE(test, fak_site_is_nop());
	KUNIT_EXPECT_EQ(test, fak_call(3), 0);
	KUNIT_ASSERT_EQ(test, unregister_ftrace_function(&fak_ops), 0);
	KUNIT_EXPECT_TRUE(test, fak_site_is_nop());
	fak_then_traces(test);
}

/*
 * No memory before the walk: no record changes.  Upstream's core cannot
 * be told (ftrace_replace_code() is void), so the registration succeeds
 * and the site stays a NOP; the records must agree with it.
 */
static void fak_reserve_nomem(struct kunit *test)
{
	int ret;

	kunit_activate_static_stub(test, ftrace_patch_reserve,
				   fak_reserve_fails);
	ret = register_ftrace_function(&fak_ops);
	kunit_deactivate_static_stub(test, ftrace_patch_reserve);
	fak_nothing_changed(test, ret);
}

/*
 * No memory when the walk is done: every record's change was committed
 * as it was queued and must be undone.
 */
static void fak_open_nomem(struct kunit *test)
{
	int ret;

	kunit_activate_static_stub(test, ftrace_patch_open, fak_open_fails);
	ret = register_ftrace_function(&fak_ops);
	kunit_deactivate_static_stub(test, ftrace_patch_open);
	fak_nothing_changed(test, ret);
}

static struct kunit_case fak_cases[] = {
	KUNIT_CASE(fak_reserve_nomem),
	KUNIT_CASE(fak_open_nomem),
	{}
};

static struct kunit_suite fak_suite = {
	.name = "ftrace_arch",
	.init = fak_init,
	.exit = fak_exit,
	.suite_exit = fak_suite_exit,
	.test_cases = fak_cases,
};

kunit_test_suite(fak_suite);

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_DESCRIPTION("KUnit tests of x86 ftrace.c with the real ftrace core");
MODULE_LICENSE("GPL");
