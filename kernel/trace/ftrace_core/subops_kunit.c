// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of subops.c: a manager's sets merged from its users' sets.
 *
 *   exact   two cases where upstream's merge (filters united, notrace
 *           sets intersected) covers a site no user traces: here the
 *           manager covers exactly what the users cover
 *   random  3000 random groups of 0 to 6 users (filters NONE, ALL or
 *           lists; notrace sets NONE, lists, sometimes ALL) over 256
 *           sites and 16 addresses in no list: the manager covers an
 *           address if and only if some user covers it
 */
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/prandom.h>
#include <linux/slab.h>

#include "internal.h"

#define FSU_BASE	((unsigned long)-0x7d000000L)
#define FSU_SITES	256U
#define FSU_EXTRA	16U
#define FSU_USERS	6U
#define FSU_ROUNDS	3000U
#define FSU_SEED	0x5ab0b5eedULL

static unsigned long fsu_ip(unsigned int n)
{
	return FSU_BASE + 0x20UL * n;
}

KUNIT_DEFINE_ACTION_WRAPPER(fsu_put_action, ftrace_sites_put,
			    struct ftrace_sites *);

/* A set of the sites listed in @idx; put when the test ends */
static struct ftrace_sites *fsu_set(struct kunit *test,
				    const unsigned int *idx, unsigned int nr)
{
	unsigned long ip[8];
	struct ftrace_sites *s;
	unsigned int i;

	for (i = 0; i < nr; i++)
		ip[i] = fsu_ip(idx[i]);
	s = ftrace_sites_from(ip, nr, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, fsu_put_action,
							s), 0);
	return s;
}

/* Merge @users; the result is put when the test ends */
static void fsu_merge(struct kunit *test,
		      const struct ftrace_acct_ops *const *users,
		      unsigned int nr, struct ftrace_acct_ops *m)
{
	KUNIT_ASSERT_EQ(test, ftrace_subops_merge(users, nr, &m->filter,
						  &m->notrace_sites,
						  GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, fsu_put_action,
							m->filter), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, fsu_put_action,
							m->notrace_sites), 0);
}

static void fsu_test_exact(struct kunit *test)
{
	static const unsigned int ab[] = { 1, 2 }, a[] = { 1 }, b[] = { 2 };
	static const unsigned int bc[] = { 2, 3 }, c[] = { 3 }, x[] = { 9 };
	struct ftrace_acct_ops u1 = {
		.filter = fsu_set(test, ab, 2), .notrace_sites = fsu_set(test, a, 1),
	};
	struct ftrace_acct_ops u2 = {
		.filter = FTRACE_SITES_ALL_SET, .notrace_sites = fsu_set(test, x, 1),
	};
	struct ftrace_acct_ops u3 = {
		.filter = fsu_set(test, ab, 2), .notrace_sites = fsu_set(test, b, 1),
	};
	struct ftrace_acct_ops u4 = {
		.filter = fsu_set(test, bc, 2), .notrace_sites = fsu_set(test, c, 1),
	};
	const struct ftrace_acct_ops *g1[] = { &u1, &u2 }, *g2[] = { &u3, &u4 };
	struct ftrace_acct_ops m1 = { }, m2 = { };

	/* upstream's merge: all sites, x included (notrace {a} & {x} = {}) */
	fsu_merge(test, g1, 2, &m1);
	KUNIT_EXPECT_TRUE(test, ftrace_sites_is_all(m1.filter));
	KUNIT_EXPECT_TRUE(test, ftrace_sites_equal(m1.notrace_sites, u2.notrace_sites));
	KUNIT_EXPECT_TRUE(test, ftrace_acct_covers(&m1, fsu_ip(1)));
	KUNIT_EXPECT_FALSE(test, ftrace_acct_covers(&m1, fsu_ip(9)));

	/* upstream's merge: {a, b, c}, c included (notrace {b} & {c} = {}) */
	fsu_merge(test, g2, 2, &m2);
	KUNIT_EXPECT_TRUE(test, ftrace_sites_equal(m2.filter, u1.filter));
	KUNIT_EXPECT_TRUE(test, ftrace_sites_is_none(m2.notrace_sites));
	KUNIT_EXPECT_FALSE(test, ftrace_acct_covers(&m2, fsu_ip(3)));
}

struct fsu_rand {
	struct rnd_state rnd;
	struct ftrace_acct_ops u[FSU_USERS];
	const struct ftrace_acct_ops *p[FSU_USERS];
	unsigned long buf[FSU_SITES];
};

static u32 fsu_below(struct fsu_rand *r, u32 n)
{
	return prandom_u32_state(&r->rnd) % n;
}

/* NONE, ALL (filters a quarter, notrace sets 1 in 20) or a random list */
static struct ftrace_sites *fsu_rand_set(struct kunit *test,
					 struct fsu_rand *r, bool filter)
{
	unsigned int roll = fsu_below(r, 20), n = 0, i, density;
	struct ftrace_sites *s;

	if (roll < (filter ? 3U : 10U))
		return FTRACE_SITES_NONE_SET;
	if (roll < (filter ? 8U : 11U))
		return FTRACE_SITES_ALL_SET;
	density = 1 + fsu_below(r, 64);
	for (i = 0; i < FSU_SITES; i++) {
		if (fsu_below(r, 64) < density)
			r->buf[n++] = fsu_ip(i);
	}
	if (!n)
		return FTRACE_SITES_NONE_SET;
	s = ftrace_sites_from(r->buf, n, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	return s;
}

static void fsu_rand_release(void *p)
{
	struct fsu_rand *r = p;
	unsigned int i;

	for (i = 0; i < FSU_USERS; i++) {
		ftrace_sites_put(r->u[i].filter);
		ftrace_sites_put(r->u[i].notrace_sites);
		r->u[i].filter = NULL;
		r->u[i].notrace_sites = NULL;
	}
}

static void fsu_test_random(struct kunit *test)
{
	struct fsu_rand *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	unsigned int round, i, k, nr, wrong = 0, covered = 0, alls = 0;
	struct ftrace_acct_ops m;
	unsigned long ip;
	bool any;

	KUNIT_ASSERT_NOT_NULL(test, r);
	prandom_seed_state(&r->rnd, FSU_SEED);
	for (round = 0; round < FSU_ROUNDS && !wrong; round++) {
		fsu_rand_release(r);
		nr = fsu_below(r, FSU_USERS + 1);
		for (i = 0; i < nr; i++) {
			r->u[i].filter = fsu_rand_set(test, r, true);
			r->u[i].notrace_sites = fsu_rand_set(test, r, false);
			/* a hole now and then */
			r->p[i] = fsu_below(r, 8) ? &r->u[i] : NULL;
		}
		memset(&m, 0, sizeof(m));
		KUNIT_ASSERT_EQ(test, ftrace_subops_merge(r->p, nr, &m.filter,
							  &m.notrace_sites,
							  GFP_KERNEL), 0);
		alls += ftrace_sites_is_all(m.filter);
		/* the sites, then addresses in no list */
		for (k = 0; k < FSU_SITES + FSU_EXTRA; k++) {
			ip = k < FSU_SITES ? fsu_ip(k) : fsu_ip(FSU_SITES + 2 * k) + 8;
			for (any = false, i = 0; i < nr && !any; i++)
				any = ftrace_acct_covers(r->p[i], ip);
			covered += any;
			if (any != ftrace_acct_covers(&m, ip)) {
				wrong++;
				KUNIT_FAIL(test, "round %u, %u users, address %u: users %d",
					   round, nr, k, any);
				break;
			}
		}
		ftrace_sites_put(m.filter);
		ftrace_sites_put(m.notrace_sites);
	}
	fsu_rand_release(r);
	kunit_info(test, "%u rounds, %u addresses covered, %u managers of all sites\n",
		   round, covered, alls);
}

static struct kunit_case fsu_cases[] = {
	KUNIT_CASE(fsu_test_exact),
	KUNIT_CASE_SLOW(fsu_test_random),
	{}
};

static struct kunit_suite fsu_suite = {
	.name = "ftrace_subops",
	.test_cases = fsu_cases,
};

kunit_test_suite(fsu_suite);
