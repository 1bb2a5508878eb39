// SPDX-License-Identifier: GPL-2.0
/*
 * live_kunit.c - KUnit suite "ftrace_live": what the ops of our running
 * core promise their users (CONFIG_FTRACE_OWN_CORE_LIVE): two ops that
 * may change the ip never share a site, at registration or at a filter
 * change, and nothing is half-applied when they would; unregistering
 * never fails for a registered ops, even when the engine cannot write,
 * and the sites it left catch up at the next change; unregistering an
 * ops that is not registered is refused; a site another patcher wrote
 * over is quarantined while every other site is traced, and an ops or a
 * kprobe on only that function is refused; the list function calls the
 * list's only ops straight, and walks while another ops, a zombie or a
 * quarantined site that held a call is there; a site one ops alone
 * covers calls its trampoline, kept by a zombie and freed with a dynamic
 * ops, built anew for a static ops that changed SAVE_REGS; a direct ops
 * sharing
 * sites with IPMODIFY ops is asked and told as it must be; the check
 * repairs a site's text as well as its state.  Stale addresses have
 * their own suite (live_stale_kunit.c).
 *
 * The suite runs at boot, before any tracer: it uses real functions of
 * the kernel (vfs_read, vfs_write) and the live registry, and puts every
 * site back as it found it.  To make the engine fail it swaps the
 * registry's engine for one that refuses every run, under ftrace_lock.
 * The quarantine case writes a jmp to the next instruction (harmless if
 * run) over emergency_sync()'s site and takes it away at the end; the
 * site stays quarantined for the rest of the boot, as any site another
 * patcher touched does (ftrace_core/check lists it); so does
 * emergency_thaw_all()'s, which the check case writes over the same way.
 */
#include <linux/kprobes.h>
#include <linux/slab.h>
#include <linux/stringify.h>

#include <asm/nops.h>

#include "../trace.h"
#include "live_kunit.h"

#define LK_IPMOD (FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_IPMODIFY)

static struct ftrace_ops lk_a = { .func = lk_nop, .flags = LK_IPMOD };
static struct ftrace_ops lk_b = { .func = lk_nop, .flags = LK_IPMOD };
static struct ftrace_ops lk_c = { .func = lk_nop };

static notrace int lk_filter(struct ftrace_ops *ops, const char *name)
{
	return ftrace_set_filter(ops, (unsigned char *)name, strlen(name), 1);
}

static notrace void lk_ipmodify_exclusive(struct kunit *test)
{
	struct pt_regs regs = {};	/* SAVE_REGS ops are tested with regs */
	unsigned long rd = lk_site(test, "vfs_read");
	unsigned long wr = lk_site(test, "vfs_write");

	KUNIT_ASSERT_EQ(test, lk_filter(&lk_a, "vfs_read"), 0);
	KUNIT_ASSERT_EQ(test, register_ftrace_function(&lk_a), 0);

	/* a second ip-modifier on the same site is refused */
	KUNIT_ASSERT_EQ(test, lk_filter(&lk_b, "vfs_read"), 0);
	KUNIT_EXPECT_EQ(test, register_ftrace_function(&lk_b), -EBUSY);
	KUNIT_EXPECT_FALSE(test, lk_b.flags & FTRACE_OPS_FL_ENABLED);

	/* elsewhere it registers; moving onto the site is refused whole */
	KUNIT_ASSERT_EQ(test, lk_filter(&lk_b, "vfs_write"), 0);
	KUNIT_ASSERT_EQ(test, register_ftrace_function(&lk_b), 0);
	KUNIT_EXPECT_EQ(test, lk_filter(&lk_b, "vfs_read"), -EBUSY);
	KUNIT_EXPECT_TRUE(test, ftrace_ops_test(&lk_b, wr, &regs));
	KUNIT_EXPECT_FALSE(test, ftrace_ops_test(&lk_b, rd, &regs));

	/* an ops that does not modify the ip shares the site */
	KUNIT_ASSERT_EQ(test, lk_filter(&lk_c, "vfs_read"), 0);
	KUNIT_EXPECT_EQ(test, register_ftrace_function(&lk_c), 0);
	KUNIT_EXPECT_EQ(test, unregister_ftrace_function(&lk_c), 0);

	/* once the first leaves, the site is free */
	KUNIT_EXPECT_EQ(test, unregister_ftrace_function(&lk_a), 0);
	KUNIT_EXPECT_EQ(test, lk_filter(&lk_b, "vfs_read"), 0);
	KUNIT_EXPECT_TRUE(test, ftrace_ops_test(&lk_b, rd, &regs));
	KUNIT_EXPECT_EQ(test, unregister_ftrace_function(&lk_b), 0);

	ftrace_free_filter(&lk_a);
	ftrace_free_filter(&lk_b);
	ftrace_free_filter(&lk_c);
}

static notrace int lk_refuse(void *data, struct ftrace_site_change *c,
			     unsigned int nr)
{
	return -ENOMEM;
}

/*
 * @fn (__register_ftrace_function() or __unregister_ftrace_function()) on
 * @ops while the registry's engine refuses every run; then, still under
 * ftrace_lock, how many zombies wait and whether the list function calls
 * one ops straight (@single).
 */
static notrace int lk_refused(int (*fn)(struct ftrace_ops *ops),
			      struct ftrace_ops *ops, unsigned int *zombies,
			      struct ftrace_ops **single)
{
	struct ftrace_engine refusing = *ftrace_live_registry.engine;
	const struct ftrace_engine *saved;
	int ret;

	refusing.change = lk_refuse;
	mutex_lock(&ftrace_lock);
	saved = ftrace_live_registry.engine;
	ftrace_live_registry.engine = &refusing;
	ret = fn(ops);
	ftrace_live_registry.engine = saved;
	*zombies = ftrace_live_zombies();
	*single = ftrace_live_single();
	mutex_unlock(&ftrace_lock);
	return ret;
}

static notrace void lk_unregister_infallible(struct kunit *test)
{
	struct ftrace_ops *single;
	unsigned int zombies;
	unsigned long rd = lk_site(test, "vfs_read");
	u8 before[MCOUNT_INSN_SIZE], after[MCOUNT_INSN_SIZE];
	int ret;

	memcpy(before, (void *)rd, sizeof(before));
	KUNIT_ASSERT_EQ(test, lk_filter(&lk_a, "vfs_read"), 0);
	KUNIT_ASSERT_EQ(test, register_ftrace_function(&lk_a), 0);

	ret = lk_refused(__unregister_ftrace_function, &lk_a, &zombies,
			 &single);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, zombies, 1U);
	KUNIT_EXPECT_FALSE(test, lk_a.flags & FTRACE_OPS_FL_ENABLED);
	/* it may be registered again at once, and leave normally */
	KUNIT_EXPECT_EQ(test, register_ftrace_function(&lk_a), 0);
	KUNIT_EXPECT_EQ(test, unregister_ftrace_function(&lk_a), 0);

	/* the next change took the zombie out: the site is as before */
	mutex_lock(&ftrace_lock);
	KUNIT_EXPECT_EQ(test, ftrace_live_zombies(), 0U);
	mutex_unlock(&ftrace_lock);
	memcpy(after, (void *)rd, sizeof(after));
	KUNIT_EXPECT_MEMEQ(test, before, after, sizeof(before));

	/* an ops that is not registered is refused cleanly */
	KUNIT_EXPECT_EQ(test, unregister_ftrace_function(&lk_a), -EINVAL);
	ftrace_free_filter(&lk_a);
}

static struct ftrace_ops lk_all = { .func = lk_nop };

static notrace void lk_quarantine(struct kunit *test)
{
	unsigned long ip = lk_site(test, "emergency_sync");
	unsigned long rd = lk_site(test, "vfs_read");
	struct kprobe kp = { .symbol_name = "emergency_sync" };
	u8 nop[MCOUNT_INSN_SIZE], rd_nop[MCOUNT_INSN_SIZE];
	int ret;

	memcpy(nop, (void *)ip, sizeof(nop));
	memcpy(rd_nop, (void *)rd, sizeof(rd_nop));
	lk_poke(ip, lk_jmp0);	/* another patcher */

	/* every function: that site refused and reported, the rest calls */
	KUNIT_ASSERT_EQ(test, register_ftrace_function(&lk_all), 0);
	KUNIT_EXPECT_EQ(test, ftrace_enabled, 1);
	KUNIT_EXPECT_EQ(test, *(u8 *)rd, (u8)CALL_INSN_OPCODE);
	KUNIT_EXPECT_MEMEQ(test, (u8 *)ip, lk_jmp0, sizeof(lk_jmp0));
	KUNIT_EXPECT_TRUE(test, lk_reported(ip, lk_jmp0));

	/* only that function: an ops, an address, a kprobe are refused */
	KUNIT_ASSERT_EQ(test, lk_filter(&lk_c, "emergency_sync"), 0);
	KUNIT_EXPECT_EQ(test, register_ftrace_function(&lk_c), -EBUSY);
	KUNIT_EXPECT_EQ(test, ftrace_set_filter_ip(&lk_b, ip, 0, 1), -EBUSY);
	ret = register_kprobe(&kp);
	KUNIT_EXPECT_NE(test, ret, 0);
	if (!ret)
		unregister_kprobe(&kp);

	/* later changes work; nop: every site back, the jmp left alone */
	KUNIT_ASSERT_EQ(test, lk_filter(&lk_c, "vfs_read"), 0);
	KUNIT_EXPECT_EQ(test, register_ftrace_function(&lk_c), 0);
	KUNIT_EXPECT_EQ(test, unregister_ftrace_function(&lk_c), 0);
	KUNIT_EXPECT_EQ(test, unregister_ftrace_function(&lk_all), 0);
	KUNIT_EXPECT_MEMEQ(test, (u8 *)rd, rd_nop, sizeof(rd_nop));
	KUNIT_EXPECT_MEMEQ(test, (u8 *)ip, lk_jmp0, sizeof(lk_jmp0));

	lk_poke(ip, nop);	/* the other patcher leaves */
	ftrace_free_filter(&lk_b);
	ftrace_free_filter(&lk_c);
	ftrace_free_filter(&lk_all);
}

static struct ftrace_ops lk_d = { .func = lk_nop };

static notrace struct ftrace_ops *lk_single_now(void)
{
	struct ftrace_ops *one;

	ftrace_live_settle_flush();	/* a wait for the callers may be due */
	mutex_lock(&ftrace_lock);
	one = ftrace_live_single();
	mutex_unlock(&ftrace_lock);
	return one;
}

/*
 * The list function calls the list's only ops straight, never while
 * another ops is registered, a zombie's sites remain, or a quarantined
 * site may still hold a call; and only after a wait for the calls in
 * flight from sites taken away, which the change itself does not make.
 */
static notrace void lk_single(struct kunit *test)
{
	struct ftrace_ops *single;
	unsigned int zombies;
	bool alone;

	mutex_lock(&ftrace_lock);
	alone = rcu_dereference_protected(ftrace_ops_list,
					  lockdep_is_held(&ftrace_lock)) ==
		&ftrace_list_end && !ftrace_live_zombies() &&
		!ftrace_live_registry.nr_calling;
	mutex_unlock(&ftrace_lock);
	if (!alone)
		kunit_skip(test, "another ops, a zombie or a calling quarantined site");

	KUNIT_ASSERT_EQ(test, lk_filter(&lk_c, "vfs_read"), 0);
	KUNIT_ASSERT_EQ(test, lk_filter(&lk_d, "vfs_write"), 0);
	KUNIT_ASSERT_EQ(test, register_ftrace_function(&lk_c), 0);
	KUNIT_EXPECT_PTR_EQ(test, lk_single_now(), &lk_c);
	KUNIT_EXPECT_EQ(test, register_ftrace_function(&lk_d), 0);
	KUNIT_EXPECT_NULL(test, lk_single_now());
	KUNIT_EXPECT_EQ(test, unregister_ftrace_function(&lk_d), 0);
	/* calls from lk_d's sites may be in flight: walk until a wait ends */
	mutex_lock(&ftrace_lock);
	KUNIT_EXPECT_NULL(test, ftrace_live_single());
	mutex_unlock(&ftrace_lock);
	KUNIT_EXPECT_PTR_EQ(test, lk_single_now(), &lk_c);

	/* one ops and a zombie, whose sites still call: walk */
	KUNIT_EXPECT_EQ(test, register_ftrace_function(&lk_d), 0);
	KUNIT_EXPECT_EQ(test, lk_refused(__unregister_ftrace_function, &lk_c,
					 &zombies, &single), 0);
	KUNIT_EXPECT_EQ(test, zombies, 1U);
	KUNIT_EXPECT_NULL(test, single);
	/* the zombie leaves with the next change; one ops alone again */
	KUNIT_EXPECT_EQ(test, register_ftrace_function(&lk_c), 0);
	KUNIT_EXPECT_EQ(test, unregister_ftrace_function(&lk_c), 0);
	KUNIT_EXPECT_PTR_EQ(test, lk_single_now(), &lk_d);
	mutex_lock(&ftrace_lock);
	KUNIT_EXPECT_EQ(test, ftrace_live_zombies(), 0U);
	mutex_unlock(&ftrace_lock);

	/* a site quarantined while it held a call: walk */
	mutex_lock(&ftrace_lock);
	ftrace_live_registry.nr_calling++;
	ftrace_live_reg_begin(false);	/* as after a plan that quarantined it */
	ftrace_live_reg_end();
	KUNIT_EXPECT_NULL(test, ftrace_live_single());
	mutex_unlock(&ftrace_lock);
	KUNIT_EXPECT_EQ(test, register_ftrace_function(&lk_c), 0);
	KUNIT_EXPECT_EQ(test, unregister_ftrace_function(&lk_c), 0);
	KUNIT_EXPECT_NULL(test, lk_single_now());
	mutex_lock(&ftrace_lock);
	ftrace_live_registry.nr_calling--;
	mutex_unlock(&ftrace_lock);
	KUNIT_EXPECT_EQ(test, unregister_ftrace_function(&lk_d), 0);
	KUNIT_EXPECT_NULL(test, lk_single_now());

	ftrace_free_filter(&lk_c);
	ftrace_free_filter(&lk_d);
}

/* Does the trampoline at @tramp (@size bytes) hold a call to @func? */
static notrace bool lk_tramp_calls(unsigned long tramp, unsigned long size,
				   void *func)
{
	unsigned long i;

	for (i = 0; i + MCOUNT_INSN_SIZE <= size; i++)
		if (lk_calls(tramp + i) == (unsigned long)func)
			return true;
	return false;
}

/*
 * A site one ops alone covers calls that ops' own trampoline, which calls
 * its callback; shared, the caller.  A zombie keeps its ops' trampoline,
 * which calls ftrace_stub from then on, until it is reaped; a dynamic
 * ops' trampoline goes with it.
 */
static notrace void lk_tramp(struct kunit *test)
{
	unsigned long rd = lk_site(test, "vfs_read");
	unsigned long tramp, size;
	struct ftrace_ops *single, *dyn;
	unsigned int zombies;

	if (lk_calls(rd))
		kunit_skip(test, "vfs_read traced");
	KUNIT_ASSERT_EQ(test, lk_filter(&lk_c, "vfs_read"), 0);
	KUNIT_ASSERT_EQ(test, lk_filter(&lk_d, "vfs_read"), 0);
	KUNIT_ASSERT_EQ(test, register_ftrace_function(&lk_c), 0);
	tramp = lk_c.trampoline;
	size = lk_c.trampoline_size;
	if (!tramp) {
		KUNIT_FAIL(test, "no trampoline for an ops on vfs_read");
		unregister_ftrace_function(&lk_c);
		goto out;
	}
	KUNIT_EXPECT_EQ(test, lk_calls(rd), tramp);
	KUNIT_EXPECT_TRUE(test, lk_tramp_calls(tramp, size, lk_nop));
	KUNIT_EXPECT_TRUE(test, is_ftrace_trampoline(tramp + size - 1));
	KUNIT_EXPECT_FALSE(test, is_ftrace_trampoline(tramp + size));
	KUNIT_EXPECT_PTR_EQ(test, ftrace_ops_trampoline(tramp), &lk_c);

	/* shared: the caller; alone again: the trampoline */
	KUNIT_EXPECT_EQ(test, register_ftrace_function(&lk_d), 0);
	KUNIT_EXPECT_EQ(test, lk_calls(rd), (unsigned long)FTRACE_ADDR);
	KUNIT_EXPECT_EQ(test, unregister_ftrace_function(&lk_d), 0);
	KUNIT_EXPECT_EQ(test, lk_calls(rd), tramp);

	/* a zombie's site still calls the trampoline, which calls no ops */
	KUNIT_EXPECT_EQ(test, lk_refused(__unregister_ftrace_function, &lk_c,
					 &zombies, &single), 0);
	KUNIT_EXPECT_EQ(test, zombies, 1U);
	KUNIT_EXPECT_EQ(test, lk_c.trampoline, 0UL);
	/* still text the engine may write and a site may call */
	KUNIT_EXPECT_TRUE(test, is_ftrace_trampoline(tramp));
	KUNIT_EXPECT_NULL(test, ftrace_ops_trampoline(tramp));
	KUNIT_EXPECT_EQ(test, lk_calls(rd), tramp);
	KUNIT_EXPECT_TRUE(test, lk_tramp_calls(tramp, size, ftrace_stub));
	KUNIT_EXPECT_FALSE(test, lk_tramp_calls(tramp, size, lk_nop));
	/* reaped at the next change: the site goes to the new ops' own */
	KUNIT_EXPECT_EQ(test, register_ftrace_function(&lk_d), 0);
	mutex_lock(&ftrace_lock);
	KUNIT_EXPECT_EQ(test, ftrace_live_zombies(), 0U);
	mutex_unlock(&ftrace_lock);
	KUNIT_EXPECT_NE(test, lk_d.trampoline, 0UL);
	KUNIT_EXPECT_EQ(test, lk_calls(rd), lk_d.trampoline);
	KUNIT_EXPECT_FALSE(test, is_ftrace_trampoline(tramp));
	KUNIT_EXPECT_EQ(test, unregister_ftrace_function(&lk_d), 0);
	KUNIT_EXPECT_EQ(test, lk_calls(rd), 0UL);

	/* a dynamic ops' trampoline is freed when it leaves */
	dyn = kzalloc(sizeof(*dyn), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dyn);
	dyn->func = lk_nop;
	if (!lk_filter(dyn, "vfs_read") && !register_ftrace_function(dyn)) {
		KUNIT_EXPECT_TRUE(test, dyn->flags & FTRACE_OPS_FL_DYNAMIC);
		KUNIT_EXPECT_NE(test, dyn->trampoline, 0UL);
		tramp = dyn->trampoline;
		KUNIT_EXPECT_EQ(test, lk_calls(rd), tramp);
		KUNIT_EXPECT_EQ(test, unregister_ftrace_function(dyn), 0);
		KUNIT_EXPECT_EQ(test, dyn->trampoline, 0UL);
		KUNIT_EXPECT_FALSE(test, is_ftrace_trampoline(tramp));
	} else {
		KUNIT_FAIL(test, "a dynamic ops on vfs_read did not register");
	}
	ftrace_free_filter(dyn);
	kfree(dyn);
out:
	ftrace_free_filter(&lk_c);
	ftrace_free_filter(&lk_d);
}

static unsigned int lk_shape_hits, lk_shape_regs;

static notrace void lk_shape_func(unsigned long ip, unsigned long parent_ip,
				  struct ftrace_ops *op,
				  struct ftrace_regs *fregs)
{
	lk_shape_hits++;
	if (ftrace_get_regs(fregs))
		lk_shape_regs++;
}

static struct ftrace_ops lk_s = { .func = lk_shape_func };

/*
 * Register lk_s with or without SAVE_REGS, call the selftests' traced
 * function once and leave: did the callback run, with registers as
 * asked, from a trampoline of the shape asked?  Returns the trampoline.
 */
static notrace unsigned long lk_shape_once(struct kunit *test, bool regs,
					   unsigned long ip)
{
	unsigned int hits = lk_shape_hits, with = lk_shape_regs;
	unsigned long tramp;

	if (regs)
		lk_s.flags |= FTRACE_OPS_FL_SAVE_REGS;
	else
		lk_s.flags &= ~FTRACE_OPS_FL_SAVE_REGS;
	KUNIT_ASSERT_EQ(test, register_ftrace_function(&lk_s), 0);
	tramp = lk_s.trampoline;
	KUNIT_EXPECT_NE(test, tramp, 0UL);
	KUNIT_EXPECT_TRUE(test, ftrace_tramp_fits(&lk_s));
	KUNIT_EXPECT_EQ(test, lk_calls(ip), tramp);
	KUNIT_EXPECT_TRUE(test, lk_tramp_calls(tramp, lk_s.trampoline_size,
					       ftrace_ops_get_func(&lk_s)));
	if (IS_ENABLED(CONFIG_FTRACE_SELFTEST))	/* else skipped: not built */
		DYN_FTRACE_TEST_NAME();
	KUNIT_EXPECT_EQ(test, lk_shape_hits, hits + 1);
	KUNIT_EXPECT_EQ(test, lk_shape_regs, with + regs);
	KUNIT_EXPECT_EQ(test, unregister_ftrace_function(&lk_s), 0);
	KUNIT_EXPECT_EQ(test, lk_calls(ip), 0UL);
	return tramp;
}

/*
 * A static ops keeps its trampoline between registrations; one that
 * asks for registers it did not ask for before (or the reverse) gets a
 * trampoline of the new shape, which passes them (or not), and the old
 * one is freed.
 */
static notrace void lk_tramp_shape(struct kunit *test)
{
	unsigned long ip, plain, regs;

	if (!IS_ENABLED(CONFIG_FTRACE_SELFTEST))
		kunit_skip(test, "no selftests' function to trace");
	ip = lk_site(test, __stringify(DYN_FTRACE_TEST_NAME));
	if (lk_calls(ip))
		kunit_skip(test, "the selftests' function traced");
	KUNIT_ASSERT_EQ(test, lk_filter(&lk_s, __stringify(DYN_FTRACE_TEST_NAME)),
			0);
	plain = lk_shape_once(test, false, ip);
	KUNIT_EXPECT_EQ(test, lk_s.trampoline, plain);
	KUNIT_EXPECT_EQ(test, lk_shape_once(test, false, ip), plain);

	regs = lk_shape_once(test, true, ip);
	KUNIT_EXPECT_EQ(test, lk_shape_once(test, true, ip), regs);
	if (regs != plain)
		KUNIT_EXPECT_FALSE(test, is_ftrace_trampoline(plain));

	plain = lk_shape_once(test, false, ip);
	if (plain != regs)
		KUNIT_EXPECT_FALSE(test, is_ftrace_trampoline(regs));
	ftrace_free_filter(&lk_s);
}

static unsigned int lk_peer_on, lk_peer_off, lk_self;

static notrace int lk_share(struct ftrace_ops *op, enum ftrace_ops_cmd cmd)
{
	if (cmd == FTRACE_OPS_CMD_ENABLE_SHARE_IPMODIFY_PEER)
		lk_peer_on++;
	else if (cmd == FTRACE_OPS_CMD_DISABLE_SHARE_IPMODIFY_PEER)
		lk_peer_off++;
	else if (cmd == FTRACE_OPS_CMD_ENABLE_SHARE_IPMODIFY_SELF)
		lk_self++;
	return 0;
}

static struct ftrace_ops lk_dr = { .ops_func = lk_share };
static struct ftrace_ops lk_e = { .func = lk_nop, .flags = LK_IPMOD };

/*
 * A direct ops (the kernel's stub trampoline) on vfs_read and vfs_write
 * is asked (ENABLE_SHARE_IPMODIFY_PEER) by every IPMODIFY ops coming
 * onto one of them, and told it shares no more (DISABLE_...) only once
 * no IPMODIFY ops covers one: when the last one leaves, or when one that
 * asked is refused or fails after the ask and no other shares; a direct
 * ops coming onto an IPMODIFY ops' site asks itself (SELF).
 */
static notrace void lk_share_peer(struct kunit *test)
{
	unsigned long tramp = (unsigned long)ftrace_stub_direct_tramp;
	unsigned long wr = lk_site(test, "vfs_write");
	struct ftrace_ops *single;
	unsigned int zombies;
	bool alone;
	int ret;

	lk_peer_on = 0;
	lk_peer_off = 0;
	lk_self = 0;
	lk_site(test, "vfs_llseek");
	KUNIT_ASSERT_EQ(test, lk_filter(&lk_a, "vfs_llseek"), 0);
	KUNIT_ASSERT_EQ(test, register_ftrace_function(&lk_a), 0);
	KUNIT_ASSERT_EQ(test, lk_filter(&lk_dr, "vfs_read"), 0);
	KUNIT_ASSERT_EQ(test, lk_filter_add(&lk_dr, "vfs_write"), 0);
	KUNIT_ASSERT_EQ(test, register_ftrace_direct(&lk_dr, tramp), 0);
	KUNIT_EXPECT_EQ(test, lk_self, 0U);

	/* two IPMODIFY ops come, one on each site: each asks */
	KUNIT_ASSERT_EQ(test, lk_filter(&lk_b, "vfs_read"), 0);
	KUNIT_ASSERT_EQ(test, register_ftrace_function(&lk_b), 0);
	KUNIT_EXPECT_EQ(test, lk_peer_on, 1U);
	KUNIT_ASSERT_EQ(test, lk_filter(&lk_e, "vfs_write"), 0);
	KUNIT_ASSERT_EQ(test, register_ftrace_function(&lk_e), 0);
	KUNIT_EXPECT_EQ(test, lk_peer_on, 2U);

	/* one leaves: the other still shares, nothing told */
	KUNIT_EXPECT_EQ(test, unregister_ftrace_function(&lk_b), 0);
	KUNIT_EXPECT_EQ(test, lk_peer_off, 0U);
	/* it asks again to move onto lk_a's site too, refused: still shares */
	KUNIT_EXPECT_EQ(test, lk_filter_add(&lk_e, "vfs_llseek"), -EBUSY);
	KUNIT_EXPECT_EQ(test, lk_peer_on, 3U);
	KUNIT_EXPECT_EQ(test, lk_peer_off, 0U);
	/* the last leaves: told */
	KUNIT_EXPECT_EQ(test, unregister_ftrace_function(&lk_e), 0);
	KUNIT_EXPECT_EQ(test, lk_peer_off, 1U);

	/* asked, then refused for lk_a's site: told */
	KUNIT_ASSERT_EQ(test, lk_filter(&lk_b, "vfs_read"), 0);
	KUNIT_ASSERT_EQ(test, lk_filter_add(&lk_b, "vfs_llseek"), 0);
	KUNIT_EXPECT_EQ(test, register_ftrace_function(&lk_b), -EBUSY);
	KUNIT_EXPECT_EQ(test, lk_peer_on, 4U);
	KUNIT_EXPECT_EQ(test, lk_peer_off, 2U);

	/*
	 * Asked, then the engine fails: told.  On vfs_write the direct ops
	 * alone calls its trampoline, so lk_b coming needs a run, unless
	 * another ops (a boot-time tracer) covers it too: then lk_b
	 * registers, and leaving tells the same.
	 */
	alone = lk_calls(wr) == tramp;
	KUNIT_ASSERT_EQ(test, lk_filter(&lk_b, "vfs_write"), 0);
	ret = lk_refused(__register_ftrace_function, &lk_b, &zombies, &single);
	if (alone) {
		KUNIT_EXPECT_NE(test, ret, 0);
	} else if (!ret) {
		kunit_info(test, "vfs_write shared: the engine's failure not exercised\n");
		KUNIT_EXPECT_EQ(test, unregister_ftrace_function(&lk_b), 0);
	}
	KUNIT_EXPECT_FALSE(test, lk_b.flags & FTRACE_OPS_FL_ENABLED);
	KUNIT_EXPECT_EQ(test, lk_peer_on, 5U);
	KUNIT_EXPECT_EQ(test, lk_peer_off, 3U);

	/* the direct ops onto an IPMODIFY ops' site asks itself */
	KUNIT_EXPECT_EQ(test, unregister_ftrace_direct(&lk_dr, tramp, true), 0);
	KUNIT_ASSERT_EQ(test, lk_filter(&lk_dr, "vfs_llseek"), 0);
	KUNIT_ASSERT_EQ(test, register_ftrace_direct(&lk_dr, tramp), 0);
	KUNIT_EXPECT_EQ(test, lk_self, 1U);
	KUNIT_EXPECT_EQ(test, unregister_ftrace_direct(&lk_dr, tramp, true), 0);
	KUNIT_EXPECT_EQ(test, unregister_ftrace_function(&lk_a), 0);
	KUNIT_EXPECT_EQ(test, lk_peer_on, 5U);
	KUNIT_EXPECT_EQ(test, lk_peer_off, 3U);

	ftrace_free_filter(&lk_a);
	ftrace_free_filter(&lk_b);
	ftrace_free_filter(&lk_e);
}

/*
 * The check repairs text, not only states: a lost write (the NOP where
 * the call belongs), a call to the wrong caller, a call left where the
 * NOP belongs are each found once, rewritten, and gone at the next
 * check; bytes that are neither get the site quarantined.
 */
static notrace void lk_check_repairs(struct kunit *test)
{
	unsigned long rd = lk_site(test, "vfs_read");
	unsigned long rm = lk_site(test, "emergency_remount");
	unsigned long th = lk_site(test, "emergency_thaw_all");
	const u8 *nop = x86_nops[5];
	u8 call[MCOUNT_INSN_SIZE], wrong[MCOUNT_INSN_SIZE];
	unsigned long other;

	KUNIT_ASSERT_EQ(test, ftrace_live_check_texts(), 0UL);
	if (memcmp((void *)rm, nop, MCOUNT_INSN_SIZE) ||
	    memcmp((void *)th, nop, MCOUNT_INSN_SIZE))
		kunit_skip(test, "emergency_remount or emergency_thaw_all traced");
	KUNIT_ASSERT_EQ(test, lk_filter(&lk_c, "vfs_read"), 0);
	KUNIT_ASSERT_EQ(test, register_ftrace_function(&lk_c), 0);
	memcpy(call, (void *)rd, sizeof(call));
	KUNIT_ASSERT_EQ(test, call[0], (u8)CALL_INSN_OPCODE);

	lk_poke(rd, nop);	/* a write lost */
	KUNIT_EXPECT_EQ(test, ftrace_live_check_texts(), 1UL);
	KUNIT_EXPECT_MEMEQ(test, (u8 *)rd, call, sizeof(call));
	KUNIT_EXPECT_EQ(test, ftrace_live_check_texts(), 0UL);

	/* the other caller */
	other = lk_calls(rd) == FTRACE_REGS_ADDR ? FTRACE_ADDR : FTRACE_REGS_ADDR;
	memcpy(wrong, text_gen_insn(CALL_INSN_OPCODE, (void *)rd,
				    (void *)other), sizeof(wrong));
	lk_poke(rd, wrong);
	KUNIT_EXPECT_EQ(test, ftrace_live_check_texts(), 1UL);
	KUNIT_EXPECT_MEMEQ(test, (u8 *)rd, call, sizeof(call));
	KUNIT_EXPECT_EQ(test, unregister_ftrace_function(&lk_c), 0);

	/* a call left where the NOP belongs */
	memcpy(wrong, text_gen_insn(CALL_INSN_OPCODE, (void *)rm,
				    (void *)FTRACE_ADDR), sizeof(wrong));
	lk_poke(rm, wrong);
	KUNIT_EXPECT_EQ(test, ftrace_live_check_texts(), 1UL);
	KUNIT_EXPECT_MEMEQ(test, (u8 *)rm, nop, MCOUNT_INSN_SIZE);
	KUNIT_EXPECT_EQ(test, ftrace_live_check_texts(), 0UL);

	/* another patcher's bytes: quarantined, reported, left alone */
	lk_poke(th, lk_jmp0);
	KUNIT_EXPECT_EQ(test, ftrace_live_check_texts(), 1UL);
	KUNIT_EXPECT_TRUE(test, lk_reported(th, lk_jmp0));
	KUNIT_EXPECT_MEMEQ(test, (u8 *)th, lk_jmp0, sizeof(lk_jmp0));
	KUNIT_EXPECT_EQ(test, ftrace_live_check_texts(), 0UL);
	lk_poke(th, nop);	/* it leaves; the site stays quarantined */
	ftrace_free_filter(&lk_c);
}

static struct kunit_case lk_cases[] = {
	KUNIT_CASE(lk_ipmodify_exclusive),
	KUNIT_CASE(lk_unregister_infallible),
	KUNIT_CASE(lk_quarantine),
	KUNIT_CASE(lk_single),
	KUNIT_CASE(lk_tramp),
	KUNIT_CASE(lk_tramp_shape),
	KUNIT_CASE(lk_share_peer),
	KUNIT_CASE(lk_check_repairs),
	{}
};

static struct kunit_suite lk_suite = {
	.name = "ftrace_live",
	.test_cases = lk_cases,
};

kunit_test_suite(lk_suite);
