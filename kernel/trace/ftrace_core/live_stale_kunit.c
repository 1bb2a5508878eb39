// SPDX-License-Identifier: GPL-2.0
/*
 * live_stale_kunit.c - KUnit suite "ftrace_live_stale": addresses that an
 * ops' sets name and that came to belong to another function
 * (live_stale.c) are left out of what the ops covers until its owner
 * names them again, by every ops that reads the shell marked, registered
 * when the mark was made or not; a filter call whose address went before
 * it published resolves it again, and refuses it if the site there now
 * is quarantined.
 *
 * The suite runs at boot, before any tracer, on the live registry and
 * real functions of the kernel (vfs_read, vfs_write, emergency_remount),
 * and puts every site back as it found it.  A module's going is
 * simulated: marks made as a drop makes them, and the count of chunk
 * listings moved, through the filter API's seam ftrace_core_api_site().
 * The quarantine case writes a jmp to the next instruction (harmless if
 * run) over emergency_restart()'s site and takes it away; the site stays
 * quarantined for the rest of the boot, as any site another patcher
 * touched does (ftrace_core/check lists it).
 */
#include <kunit/static_stub.h>

#include <asm/nops.h>

#include "live_kunit.h"

static struct ftrace_ops lk_c = { .func = lk_nop };
static struct ftrace_ops lk_d = { .func = lk_nop };

/* lk_c, registered, leaves its stale @gone out and covers @kept */
static notrace void lk_expect_left_out(struct kunit *test, unsigned long gone,
				       unsigned long kept)
{
	KUNIT_EXPECT_EQ(test, lk_calls(gone), 0UL);
	KUNIT_EXPECT_NE(test, lk_calls(kept), 0UL);
	KUNIT_EXPECT_FALSE(test, ftrace_ops_test(&lk_c, gone, NULL));
	KUNIT_EXPECT_TRUE(test, ftrace_ops_test(&lk_c, kept, NULL));
	KUNIT_EXPECT_EQ(test, ftrace_live_check_texts(), 0UL);
}

/*
 * Addresses an ops names that came to belong to another function (a
 * module went, another was loaded there) are stale once marked: the
 * ops' sites there are taken back and its callback's filter test leaves
 * them out, while what it names beside them stays traced; another ops
 * that names the site patches it; a change that keeps naming it keeps
 * the mark, naming it again ends it; losing its only site leaves the
 * ops with no site, never every site.
 */
static notrace void lk_stale(struct kunit *test)
{
	unsigned long rd = lk_site(test, "vfs_read");
	unsigned long wr = lk_site(test, "vfs_write");
	int ret;

	KUNIT_ASSERT_EQ(test, ftrace_set_filter_ip(&lk_c, rd, 0, 1), 0);
	KUNIT_ASSERT_EQ(test, ftrace_set_filter_ip(&lk_c, wr, 0, 0), 0);
	KUNIT_ASSERT_EQ(test, register_ftrace_function(&lk_c), 0);
	KUNIT_EXPECT_NE(test, lk_calls(wr), 0UL);

	mutex_lock(&ftrace_lock);
	ret = ftrace_live_stale_mark(&wr, 1, "kunit");
	mutex_unlock(&ftrace_lock);
	KUNIT_EXPECT_EQ(test, ret, 0);
	lk_expect_left_out(test, wr, rd);

	/* another ops names vfs_write: patched for it, not for lk_c */
	KUNIT_ASSERT_EQ(test, ftrace_set_filter_ip(&lk_d, wr, 0, 1), 0);
	KUNIT_ASSERT_EQ(test, register_ftrace_function(&lk_d), 0);
	KUNIT_EXPECT_NE(test, lk_calls(wr), 0UL);
	KUNIT_EXPECT_FALSE(test, ftrace_ops_test(&lk_c, wr, NULL));
	KUNIT_EXPECT_EQ(test, unregister_ftrace_function(&lk_d), 0);
	KUNIT_EXPECT_EQ(test, lk_calls(wr), 0UL);

	/* a change that keeps naming it keeps the mark */
	KUNIT_EXPECT_EQ(test, lk_filter_add(&lk_c, "vfs_read"), 0);
	KUNIT_EXPECT_FALSE(test, ftrace_ops_test(&lk_c, wr, NULL));
	KUNIT_EXPECT_EQ(test, lk_calls(wr), 0UL);

	/* named again: the function there now is covered */
	KUNIT_EXPECT_EQ(test, ftrace_set_filter_ip(&lk_c, wr, 0, 0), 0);
	KUNIT_EXPECT_TRUE(test, ftrace_ops_test(&lk_c, wr, NULL));
	KUNIT_EXPECT_NE(test, lk_calls(wr), 0UL);

	/* the same named by its name (ftrace_set_filter()) */
	mutex_lock(&ftrace_lock);
	ret = ftrace_live_stale_mark(&wr, 1, "kunit");
	mutex_unlock(&ftrace_lock);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_FALSE(test, ftrace_ops_test(&lk_c, wr, NULL));
	KUNIT_EXPECT_EQ(test, lk_filter_add(&lk_c, "vfs_write"), 0);
	KUNIT_EXPECT_TRUE(test, ftrace_ops_test(&lk_c, wr, NULL));
	KUNIT_EXPECT_NE(test, lk_calls(wr), 0UL);
	KUNIT_EXPECT_EQ(test, ftrace_live_check_texts(), 0UL);

	/* its only site stale: no site, not every site */
	KUNIT_ASSERT_EQ(test, ftrace_set_filter_ip(&lk_c, wr, 0, 1), 0);
	mutex_lock(&ftrace_lock);
	ret = ftrace_live_stale_mark(&wr, 1, "kunit");
	mutex_unlock(&ftrace_lock);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_FALSE(test, ftrace_ops_test(&lk_c, wr, NULL));
	KUNIT_EXPECT_FALSE(test, ftrace_ops_test(&lk_c, rd, NULL));
	KUNIT_EXPECT_EQ(test, lk_calls(wr), 0UL);
	KUNIT_EXPECT_EQ(test, lk_calls(rd), 0UL);

	KUNIT_EXPECT_EQ(test, unregister_ftrace_function(&lk_c), 0);
	KUNIT_EXPECT_EQ(test, ftrace_live_check_texts(), 0UL);
	ftrace_free_filter(&lk_c);
	ftrace_free_filter(&lk_d);
}

static struct ftrace_ops lk_sh = { .func = lk_nop };

static notrace void lk_no_report(void *data, struct ftrace_ops *ops)
{
}

/*
 * Two registered ops reading one shell (as ftrace_ops_set_global_filter()
 * makes them): a mark there takes the address out of both slots, not
 * only out of the first, which found it unmarked; the check then finds
 * no slot to set right.
 */
static notrace void lk_stale_shared(struct kunit *test)
{
	unsigned long rd = lk_site(test, "vfs_read");
	unsigned long wr = lk_site(test, "vfs_write");
	unsigned int wrong;
	int ret;

	KUNIT_ASSERT_EQ(test, ftrace_set_filter_ip(&lk_c, rd, 0, 1), 0);
	KUNIT_ASSERT_EQ(test, ftrace_set_filter_ip(&lk_c, wr, 0, 0), 0);
	ftrace_core_ops_init(&lk_sh);
	lk_sh.func_hash = lk_c.func_hash;
	KUNIT_ASSERT_EQ(test, register_ftrace_function(&lk_c), 0);
	KUNIT_ASSERT_EQ(test, register_ftrace_function(&lk_sh), 0);
	KUNIT_EXPECT_NE(test, lk_calls(wr), 0UL);

	mutex_lock(&ftrace_lock);
	ret = ftrace_live_stale_mark(&wr, 1, "kunit");
	wrong = ftrace_live_check_sets(lk_no_report, NULL);
	mutex_unlock(&ftrace_lock);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, wrong, 0U);
	KUNIT_EXPECT_EQ(test, lk_calls(wr), 0UL);
	KUNIT_EXPECT_NE(test, lk_calls(rd), 0UL);
	KUNIT_EXPECT_FALSE(test, ftrace_ops_test(&lk_sh, wr, NULL));
	KUNIT_EXPECT_EQ(test, ftrace_live_check_texts(), 0UL);

	KUNIT_EXPECT_EQ(test, unregister_ftrace_function(&lk_sh), 0);
	KUNIT_EXPECT_EQ(test, unregister_ftrace_function(&lk_c), 0);
	KUNIT_EXPECT_EQ(test, ftrace_live_check_texts(), 0UL);
	lk_sh.func_hash = &lk_sh.local_hash;
	ftrace_free_filter(&lk_c);
}

/* ftrace_hash_owned_walk(): count the owned sets naming *@data */
static notrace int lk_count_naming(struct ftrace_hash *h, bool filter,
				   void *data)
{
	unsigned long *arg = data;	/* [0] the address, [1] the count */
	struct ftrace_sites *s = ftrace_hash_sites(h, filter);

	if (s->kind == FTRACE_SITES_SOME && ftrace_sites_has(s, arg[0]))
		arg[1]++;
	return 0;
}

/*
 * lk_c's filter becomes vfs_read's site (@rd) and emergency_remount()'s
 * (@rm), which nothing traces; the case is skipped if another set names
 * @rm too (a mark reaches every owner's sets).  With @mark, @rm is
 * marked stale under the same hold of ftrace_lock.  Return: the mark's
 * result, or 0.
 */
static notrace int lk_name_alone(struct kunit *test, unsigned long rd,
				 unsigned long rm, bool mark)
{
	unsigned long arg[2] = { rm, 0 };
	int ret = 0;

	KUNIT_ASSERT_EQ(test, ftrace_set_filter_ip(&lk_c, rd, 0, 1), 0);
	KUNIT_ASSERT_EQ(test, ftrace_set_filter_ip(&lk_c, rm, 0, 0), 0);
	mutex_lock(&ftrace_lock);
	ftrace_hash_owned_walk(lk_count_naming, arg);
	if (arg[1] == 1 && mark)
		ret = ftrace_live_stale_mark(&rm, 1, "kunit");
	mutex_unlock(&ftrace_lock);
	if (arg[1] != 1) {
		ftrace_free_filter(&lk_c);
		kunit_skip(test, "another set names emergency_remount");
	}
	return ret;
}

/*
 * An ops not registered when the mark is made (a module came where its
 * sets name an address): its shell is marked all the same, so that
 * registering it later does not cover the function there, while what
 * it names beside stays traced; naming the address again ends the mark.
 */
static notrace void lk_stale_unregistered(struct kunit *test)
{
	unsigned long rd = lk_site(test, "vfs_read");
	unsigned long rm = lk_site(test, "emergency_remount");

	KUNIT_EXPECT_EQ(test, lk_name_alone(test, rd, rm, true), 0);
	KUNIT_ASSERT_EQ(test, register_ftrace_function(&lk_c), 0);
	lk_expect_left_out(test, rm, rd);

	KUNIT_EXPECT_EQ(test, ftrace_set_filter_ip(&lk_c, rm, 0, 0), 0);
	KUNIT_EXPECT_TRUE(test, ftrace_ops_test(&lk_c, rm, NULL));
	KUNIT_EXPECT_NE(test, lk_calls(rm), 0UL);

	KUNIT_EXPECT_EQ(test, unregister_ftrace_function(&lk_c), 0);
	KUNIT_EXPECT_EQ(test, lk_calls(rm), 0UL);
	KUNIT_EXPECT_EQ(test, ftrace_live_check_texts(), 0UL);
	ftrace_free_filter(&lk_c);
}

/*
 * The site a racing call names, the site a later lookup finds at that
 * address (0: none), and how often the call resolved.
 */
static unsigned long lk_going, lk_there_now;
static unsigned int lk_resolved;

/*
 * ftrace_core_api_site() while a module goes, simulated: the call
 * resolves its site, then the drop marks the address and moves the
 * count (the chunk stays: the kernel's), and the next lookup finds what
 * is there after the module's unlisting (lk_there_now: no site, or the
 * site of a module that came since).
 */
static notrace unsigned long lk_site_going(unsigned long ip)
{
	if (ip != lk_going)
		return 0;
	if (lk_resolved++)
		return lk_there_now;
	mutex_lock(&ftrace_lock);	/* as boot_drop() marks and counts */
	WARN_ON(ftrace_live_stale_mark(&lk_going, 1, "kunit (going)"));
	ftrace_live_chunks_moved();
	mutex_unlock(&ftrace_lock);
	return ip;
}

/*
 * ftrace_set_filter_ip() adds @going to lk_c's filter while its module
 * goes (lk_site_going()), @there_now the site at that address after it:
 * the call resolves twice.  Return: the call's result.
 */
static notrace int lk_add_racing(struct kunit *test, unsigned long going,
				 unsigned long there_now)
{
	int ret;

	lk_going = going;
	lk_there_now = there_now;
	lk_resolved = 0;
	kunit_activate_static_stub(test, ftrace_core_api_site, lk_site_going);
	ret = ftrace_set_filter_ip(&lk_c, going, 0, 0);
	kunit_deactivate_static_stub(test, ftrace_core_api_site);
	KUNIT_EXPECT_EQ(test, lk_resolved, 2U);
	return ret;
}

/*
 * A filter call that resolved an address before its module went, and
 * publishes after the drop marked that address stale, must not name it
 * afresh (which would cut the mark): it resolves again and, the address
 * being no site now, fails as a call made after the module went does.
 * The ops keeps what it had, the address left out.
 */
static notrace void lk_stale_race(struct kunit *test)
{
	unsigned long rd = lk_site(test, "vfs_read");
	unsigned long rm = lk_site(test, "emergency_remount");
	int ret;

	lk_name_alone(test, rd, rm, false);
	KUNIT_ASSERT_EQ(test, register_ftrace_function(&lk_c), 0);
	KUNIT_EXPECT_NE(test, lk_calls(rm), 0UL);

	ret = lk_add_racing(test, rm, 0);
	KUNIT_EXPECT_EQ(test, ret, -EINVAL);
	lk_expect_left_out(test, rm, rd);

	KUNIT_EXPECT_EQ(test, unregister_ftrace_function(&lk_c), 0);
	KUNIT_EXPECT_EQ(test, lk_calls(rd), 0UL);
	KUNIT_EXPECT_EQ(test, ftrace_live_check_texts(), 0UL);
	ftrace_free_filter(&lk_c);
}

/*
 * The call's retry, after a module went and another came where its
 * address was, finds that the site there now was refused at the new
 * module's load (quarantined): simulated by a second lookup that gives
 * a quarantined site.  The refusal is made on what the retry resolved:
 * -EBUSY, the filter as it was (checked once, on the first resolution,
 * the call named the quarantined site, which never calls).
 */
static notrace void lk_stale_race_quarantined(struct kunit *test)
{
	unsigned long rd = lk_site(test, "vfs_read");
	unsigned long rm = lk_site(test, "emergency_remount");
	unsigned long q = lk_site(test, "emergency_restart");
	u8 nop[MCOUNT_INSN_SIZE];
	struct ftrace_hash *h;
	bool named;
	int ret;

	memcpy(nop, (void *)q, sizeof(nop));
	if (memcmp(nop, x86_nops[5], MCOUNT_INSN_SIZE))
		kunit_skip(test, "emergency_restart traced");
	lk_poke(q, lk_jmp0);	/* another patcher */
	ftrace_live_check_texts();
	lk_poke(q, nop);	/* it leaves; the site stays quarantined */
	KUNIT_ASSERT_TRUE(test, lk_reported(q, lk_jmp0));

	lk_name_alone(test, rd, rm, false);
	ret = lk_add_racing(test, rm, q);
	KUNIT_EXPECT_EQ(test, ret, -EBUSY);

	mutex_lock(&lk_c.func_hash->regex_lock);
	h = rcu_dereference_protected(lk_c.func_hash->filter_hash,
				      lockdep_is_held(&lk_c.func_hash->regex_lock));
	named = ftrace_sites_has(ftrace_hash_sites(h, true), q);
	mutex_unlock(&lk_c.func_hash->regex_lock);
	KUNIT_EXPECT_FALSE(test, named);
	ftrace_free_filter(&lk_c);
}

static struct kunit_case lk_stale_cases[] = {
	KUNIT_CASE(lk_stale),
	KUNIT_CASE(lk_stale_shared),
	KUNIT_CASE(lk_stale_unregistered),
	KUNIT_CASE(lk_stale_race),
	KUNIT_CASE(lk_stale_race_quarantined),
	{}
};

static struct kunit_suite lk_stale_suite = {
	.name = "ftrace_live_stale",
	.test_cases = lk_stale_cases,
};

kunit_test_suite(lk_stale_suite);
