// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the site sets of sites.c (suite "ftrace_sites"), built in
 * with CONFIG_FTRACE_OWN_CORE_KUNIT_TEST: they call the core's internal
 * functions directly.
 *
 *   kinds    NONE, ALL and SOME are distinct; an empty intersection or
 *            difference is the NONE set, never ALL
 *   from     ftrace_sites_from() copies, sorts and removes duplicates
 *   algebra  union, intersection and difference with NONE, ALL and SOME
 *            operands; ALL minus SOME is -EDOM
 *   random   5000 random pairs (fixed seed, logged) against a bitmap model
 *            over 256 addresses: each operation, has() on every address,
 *            equal() with a rebuilt copy, strict order, no lost reference
 *   refs     reference counts, the singletons, results shared with inputs
 *   ipvec    10,000 pushes with duplicates, from() of them, free
 *
 * Every set a test obtains is put again, when the test ends at the latest
 * (deferred KUnit actions), even if an assertion stops it early.
 *
 * Locking: none; the sets are the test's own.
 */
#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/array_size.h>
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/prandom.h>
#include <linux/refcount.h>
#include <linux/string.h>

#include "internal.h"

/* 0xffffffff81000000 on 64-bit kernels, 0x81000000 on 32-bit ones */
#define FSK_BASE	((unsigned long)-0x7f000000L)
#define FSK_IP(n)	(FSK_BASE + 0x10UL * (n))

#define FSK_UNIVERSE	256U
#define FSK_ITERS	5000U
#define FSK_SEED	0x5eed0f7ace5175ULL

#define FSK_PUSHES	10000U
#define FSK_DISTINCT	2500U	/* each pushed 4 times */

KUNIT_DEFINE_ACTION_WRAPPER(fsk_put_action, ftrace_sites_put,
			    struct ftrace_sites *);
KUNIT_DEFINE_ACTION_WRAPPER(fsk_ipvec_action, ftrace_ipvec_free,
			    struct ftrace_ipvec *);

/* Run @action(@ctx) when the test ends, however it ends. */
static void fsk_defer(struct kunit *test, kunit_action_t *action, void *ctx)
{
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, action, ctx), 0);
}

/* @s must be a set: it is put when the test ends. */
static struct ftrace_sites *fsk_keep(struct kunit *test,
				     struct ftrace_sites *s)
{
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	fsk_defer(test, fsk_put_action, s);
	return s;
}

static struct ftrace_sites *fsk_set(struct kunit *test,
				    const unsigned long *ip, unsigned int nr)
{
	return fsk_keep(test, ftrace_sites_from(ip, nr, GFP_KERNEL));
}

enum { FSK_OR, FSK_AND, FSK_SUB, FSK_NR_OPS };

static const char * const fsk_op_name[FSK_NR_OPS] = {
	[FSK_OR] = "union", [FSK_AND] = "inter", [FSK_SUB] = "minus",
};

static struct ftrace_sites *fsk_apply(unsigned int op, struct ftrace_sites *a,
				      struct ftrace_sites *b)
{
	switch (op) {
	case FSK_OR:
		return ftrace_sites_union(a, b, GFP_KERNEL);
	case FSK_AND:
		return ftrace_sites_inter(a, b, GFP_KERNEL);
	default:
		return ftrace_sites_minus(a, b, GFP_KERNEL);
	}
}

/* @op on @a and @b, which must give a set: it is put when the test ends. */
static struct ftrace_sites *fsk_op(struct kunit *test, unsigned int op,
				   struct ftrace_sites *a,
				   struct ftrace_sites *b)
{
	return fsk_keep(test, fsk_apply(op, a, b));
}

static void fsk_test_kinds(struct kunit *test)
{
	static const unsigned long lo[] = { FSK_IP(0), FSK_IP(1) };
	static const unsigned long hi[] = { FSK_IP(2), FSK_IP(3) };
	static const unsigned long probe[] = { 0, FSK_IP(0), ULONG_MAX };
	struct ftrace_sites *none = FTRACE_SITES_NONE_SET;
	struct ftrace_sites *all = FTRACE_SITES_ALL_SET;
	struct ftrace_sites *a, *b, *r;
	unsigned int i;

	KUNIT_EXPECT_PTR_EQ(test, fsk_set(test, NULL, 0), none);
	KUNIT_EXPECT_PTR_EQ(test, fsk_set(test, lo, 0), none);
	KUNIT_EXPECT_TRUE(test, ftrace_sites_is_none(none));
	KUNIT_EXPECT_FALSE(test, ftrace_sites_is_all(none));
	KUNIT_EXPECT_TRUE(test, ftrace_sites_is_all(all));
	KUNIT_EXPECT_FALSE(test, ftrace_sites_is_none(all));
	for (i = 0; i < ARRAY_SIZE(probe); i++) {
		KUNIT_EXPECT_FALSE(test, ftrace_sites_has(none, probe[i]));
		KUNIT_EXPECT_TRUE(test, ftrace_sites_has(all, probe[i]));
	}
	KUNIT_EXPECT_FALSE(test, ftrace_sites_equal(none, all));
	KUNIT_EXPECT_FALSE(test, ftrace_sites_equal(all, none));
	KUNIT_EXPECT_TRUE(test, ftrace_sites_equal(none, none));
	KUNIT_EXPECT_TRUE(test, ftrace_sites_equal(all, all));

	a = fsk_set(test, lo, ARRAY_SIZE(lo));
	b = fsk_set(test, hi, ARRAY_SIZE(hi));
	KUNIT_EXPECT_EQ(test, a->kind, FTRACE_SITES_SOME);
	KUNIT_EXPECT_FALSE(test, ftrace_sites_equal(a, none));
	KUNIT_EXPECT_FALSE(test, ftrace_sites_equal(a, all));
	KUNIT_EXPECT_FALSE(test, ftrace_sites_equal(a, b));
	KUNIT_EXPECT_TRUE(test, ftrace_sites_has(a, lo[0]));
	KUNIT_EXPECT_TRUE(test, ftrace_sites_has(a, lo[1]));
	KUNIT_EXPECT_FALSE(test, ftrace_sites_has(a, lo[0] + 1));
	KUNIT_EXPECT_FALSE(test, ftrace_sites_has(a, hi[0]));
	KUNIT_EXPECT_FALSE(test, ftrace_sites_has(a, 0));

	/* Nothing in common, nothing left: NONE, never ALL */
	KUNIT_EXPECT_PTR_EQ(test, fsk_op(test, FSK_AND, a, b), none);
	KUNIT_EXPECT_PTR_EQ(test, fsk_op(test, FSK_SUB, a, a), none);
	r = fsk_op(test, FSK_OR, a, b);
	KUNIT_EXPECT_EQ(test, r->nr, 4U);
	KUNIT_EXPECT_PTR_EQ(test, fsk_op(test, FSK_SUB, b, r), none);
	KUNIT_EXPECT_PTR_EQ(test, fsk_op(test, FSK_AND, none, all), none);
	KUNIT_EXPECT_PTR_EQ(test, fsk_op(test, FSK_SUB, all, all), none);
}

static void fsk_test_from(struct kunit *test)
{
	static const unsigned long was[] = { FSK_IP(3), FSK_IP(1), FSK_IP(2),
					     FSK_IP(1) };
	static const unsigned long sorted[] = { FSK_IP(1), FSK_IP(2),
						FSK_IP(3) };
	static const unsigned long twice[] = { FSK_IP(4), FSK_IP(4) };
	unsigned long in[ARRAY_SIZE(was)];
	struct ftrace_sites *s, *t, *x, *u1, *u2;

	memcpy(in, was, sizeof(in));
	s = fsk_set(test, in, ARRAY_SIZE(in));
	t = fsk_set(test, sorted, ARRAY_SIZE(sorted));
	KUNIT_EXPECT_EQ(test, s->kind, FTRACE_SITES_SOME);
	KUNIT_ASSERT_EQ(test, s->nr, 3U);
	KUNIT_EXPECT_MEMEQ(test, s->ip, sorted, sizeof(sorted));
	KUNIT_EXPECT_MEMEQ(test, in, was, sizeof(was));
	KUNIT_EXPECT_TRUE(test, ftrace_sites_equal(s, t));
	KUNIT_EXPECT_TRUE(test, ftrace_sites_equal(t, s));

	/* An address given twice counts once */
	x = fsk_set(test, twice, ARRAY_SIZE(twice));
	KUNIT_ASSERT_EQ(test, x->nr, 1U);
	KUNIT_EXPECT_EQ(test, x->ip[0], FSK_IP(4));

	/* Adding it a second time changes nothing */
	u1 = fsk_op(test, FSK_OR, s, x);
	u2 = fsk_op(test, FSK_OR, u1, x);
	KUNIT_EXPECT_EQ(test, u1->nr, 4U);
	KUNIT_EXPECT_TRUE(test, ftrace_sites_equal(u1, u2));
	KUNIT_EXPECT_PTR_EQ(test, u2, u1);
	KUNIT_EXPECT_PTR_EQ(test, fsk_op(test, FSK_OR, s, s), s);
}

/* The operands and results of the algebra table; S1 = {1,2,3}, S2 = {2,4} */
enum { FSK_N, FSK_A, FSK_S1, FSK_S2, FSK_U12, FSK_I12, FSK_D12, FSK_D21,
	FSK_NR_SETS, FSK_EDOM = FSK_NR_SETS };

static const char * const fsk_set_name[FSK_NR_SETS + 1] = {
	"NONE", "ALL", "S1", "S2", "S1|S2", "S1&S2", "S1-S2", "S2-S1", "-EDOM",
};

#define FSK_R(op, a, b, want) { FSK_##op, FSK_##a, FSK_##b, FSK_##want }

static const struct fsk_row {
	u8 op, a, b, want;
} fsk_table[] = {
	FSK_R(OR, N, N, N), FSK_R(OR, N, A, A), FSK_R(OR, N, S1, S1),
	FSK_R(OR, A, N, A), FSK_R(OR, A, A, A), FSK_R(OR, A, S1, A),
	FSK_R(OR, S1, N, S1), FSK_R(OR, S1, A, A), FSK_R(OR, S1, S1, S1),
	FSK_R(OR, S1, S2, U12), FSK_R(OR, S2, S1, U12),
	FSK_R(OR, I12, S1, S1), FSK_R(OR, S1, I12, S1),

	FSK_R(AND, N, N, N), FSK_R(AND, N, A, N), FSK_R(AND, N, S1, N),
	FSK_R(AND, A, N, N), FSK_R(AND, A, A, A), FSK_R(AND, A, S1, S1),
	FSK_R(AND, S1, N, N), FSK_R(AND, S1, A, S1), FSK_R(AND, S1, S1, S1),
	FSK_R(AND, S1, S2, I12), FSK_R(AND, S2, S1, I12),
	FSK_R(AND, D12, D21, N),

	FSK_R(SUB, N, N, N), FSK_R(SUB, N, A, N), FSK_R(SUB, N, S1, N),
	FSK_R(SUB, A, N, A), FSK_R(SUB, A, A, N), FSK_R(SUB, A, S1, EDOM),
	FSK_R(SUB, S1, N, S1), FSK_R(SUB, S1, A, N), FSK_R(SUB, S1, S1, N),
	FSK_R(SUB, S1, S2, D12), FSK_R(SUB, S2, S1, D21),
	FSK_R(SUB, S1, D12, I12), FSK_R(SUB, D12, S2, D12),
};

static void fsk_test_algebra(struct kunit *test)
{
	static const unsigned long in[FSK_NR_SETS][4] = {
		[FSK_S1] = { FSK_IP(3), FSK_IP(1), FSK_IP(2) },
		[FSK_S2] = { FSK_IP(4), FSK_IP(2) },
		[FSK_U12] = { FSK_IP(1), FSK_IP(2), FSK_IP(3), FSK_IP(4) },
		[FSK_I12] = { FSK_IP(2) },
		[FSK_D12] = { FSK_IP(1), FSK_IP(3) },
		[FSK_D21] = { FSK_IP(4) },
	};
	static const u8 nr[FSK_NR_SETS] = { 0, 0, 3, 2, 4, 1, 2, 1 };
	struct ftrace_sites *set[FSK_NR_SETS], *r;
	const struct fsk_row *row;
	unsigned int i;
	bool ok;

	set[FSK_N] = FTRACE_SITES_NONE_SET;
	set[FSK_A] = FTRACE_SITES_ALL_SET;
	for (i = FSK_S1; i < FSK_NR_SETS; i++)
		set[i] = fsk_set(test, in[i], nr[i]);

	for (i = 0; i < ARRAY_SIZE(fsk_table); i++) {
		row = &fsk_table[i];
		r = fsk_apply(row->op, set[row->a], set[row->b]);
		/* A NONE or ALL result must be the singleton itself */
		if (row->want == FSK_EDOM)
			ok = r == ERR_PTR(-EDOM);
		else
			ok = !IS_ERR_OR_NULL(r) &&
			     ftrace_sites_equal(r, set[row->want]) &&
			     (r == set[row->want] ||
			      r->kind == FTRACE_SITES_SOME);
		KUNIT_EXPECT_TRUE_MSG(test, ok, "%s(%s, %s) is %pe, not %s",
				      fsk_op_name[row->op],
				      fsk_set_name[row->a],
				      fsk_set_name[row->b], r,
				      fsk_set_name[row->want]);
		if (!IS_ERR_OR_NULL(r))
			ftrace_sites_put(r);
	}

	/* No input consumed, no reference left behind */
	for (i = FSK_S1; i < FSK_NR_SETS; i++)
		KUNIT_EXPECT_EQ_MSG(test, refcount_read(&set[i]->ref), 1U,
				    "%s", fsk_set_name[i]);
}

/* ---- random sets against a bitmap model -------------------------------- */

/* What a set should be: its kind and, if SOME, its members in uni[] */
struct fsk_model {
	enum ftrace_sites_kind kind;
	DECLARE_BITMAP(bits, FSK_UNIVERSE);	/* empty unless SOME */
};

/* The sets of one iteration, put by fsk_rand_release() if it stops */
enum { FSK_HELD_A, FSK_HELD_B, FSK_HELD_R, FSK_HELD_COPY, FSK_NR_HELD };

struct fsk_rand {
	struct rnd_state rnd;
	unsigned long uni[FSK_UNIVERSE];	/* strictly ascending */
	unsigned int perm[FSK_UNIVERSE];	/* uni[]'s indexes, shuffled */
	unsigned long buf[2 * FSK_UNIVERSE];	/* from()'s input */
	struct ftrace_sites *held[FSK_NR_HELD];
};

static struct ftrace_sites *fsk_hold(struct kunit *test, struct fsk_rand *r,
				     unsigned int slot, struct ftrace_sites *s)
{
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	r->held[slot] = s;
	return s;
}

static void fsk_drop(struct fsk_rand *r, unsigned int slot)
{
	ftrace_sites_put(r->held[slot]);
	r->held[slot] = NULL;
}

static void fsk_rand_release(void *p)
{
	unsigned int i;

	for (i = 0; i < FSK_NR_HELD; i++)
		fsk_drop(p, i);
}

static u32 fsk_below(struct fsk_rand *r, u32 n)
{
	return prandom_u32_state(&r->rnd) % n;
}

/* Mostly SOME; if @like is SOME, often equal to it, smaller or larger. */
static void fsk_model_random(struct fsk_rand *r, struct fsk_model *m,
			     const struct fsk_model *like)
{
	unsigned int i, roll = fsk_below(r, 16), mask;

	bitmap_zero(m->bits, FSK_UNIVERSE);
	m->kind = roll == 0 ? FTRACE_SITES_NONE :
		  roll == 1 ? FTRACE_SITES_ALL : FTRACE_SITES_SOME;
	if (m->kind != FTRACE_SITES_SOME)
		return;
	if (like && like->kind == FTRACE_SITES_SOME && roll < 5) {
		bitmap_copy(m->bits, like->bits, FSK_UNIVERSE);
		for (i = 0; roll > 2 && i < FSK_UNIVERSE; i++) {
			if (fsk_below(r, 4))
				continue;
			if (roll == 3)
				__clear_bit(i, m->bits);
			else
				__set_bit(i, m->bits);
		}
	} else {
		/* Each address with a chance of 1, 1/2, ... or 1/32 */
		mask = (1U << fsk_below(r, 6)) - 1;
		for (i = 0; i < FSK_UNIVERSE; i++)
			if (!(prandom_u32_state(&r->rnd) & mask))
				__set_bit(i, m->bits);
	}
	if (bitmap_empty(m->bits, FSK_UNIVERSE))
		__set_bit(fsk_below(r, FSK_UNIVERSE), m->bits);
}

/* The rules of sites.c on the model; false for -EDOM (ALL minus SOME). */
static bool fsk_model_apply(unsigned int op, const struct fsk_model *a,
			    const struct fsk_model *b, struct fsk_model *m)
{
	bool all_a = a->kind == FTRACE_SITES_ALL;
	bool all_b = b->kind == FTRACE_SITES_ALL;

	bitmap_zero(m->bits, FSK_UNIVERSE);
	m->kind = FTRACE_SITES_NONE;
	switch (op) {
	case FSK_OR:
		if (all_a || all_b)
			m->kind = FTRACE_SITES_ALL;
		bitmap_or(m->bits, a->bits, b->bits, FSK_UNIVERSE);
		break;
	case FSK_AND:
		if (all_a || all_b) {
			*m = all_a ? *b : *a;
			return true;
		}
		bitmap_and(m->bits, a->bits, b->bits, FSK_UNIVERSE);
		break;
	default:
		if (all_b)
			return true;
		if (all_a && b->kind == FTRACE_SITES_SOME)
			return false;
		if (all_a)
			m->kind = FTRACE_SITES_ALL;
		bitmap_andnot(m->bits, a->bits, b->bits, FSK_UNIVERSE);
		break;
	}
	if (m->kind == FTRACE_SITES_ALL)
		bitmap_zero(m->bits, FSK_UNIVERSE);
	else if (!bitmap_empty(m->bits, FSK_UNIVERSE))
		m->kind = FTRACE_SITES_SOME;
	return true;
}

/* A set of @m's members, given in a shuffled order, some twice */
static struct ftrace_sites *fsk_build(struct fsk_rand *r,
				      const struct fsk_model *m)
{
	unsigned int i, k, n = 0, start = fsk_below(r, FSK_UNIVERSE);

	if (m->kind == FTRACE_SITES_ALL)
		return FTRACE_SITES_ALL_SET;
	/* SOME, or NONE from no address at all */
	for (i = 0; i < FSK_UNIVERSE; i++) {
		k = r->perm[(start + i) % FSK_UNIVERSE];
		if (!test_bit(k, m->bits))
			continue;
		r->buf[n++] = r->uni[k];
		if (!fsk_below(r, 4))
			r->buf[n++] = r->uni[k];
	}
	return ftrace_sites_from(r->buf, n, GFP_KERNEL);
}

/* Does @s hold what @m says?  Reports the first difference. */
static bool fsk_check(struct kunit *test, const struct fsk_rand *r,
		      const struct ftrace_sites *s, const struct fsk_model *m,
		      const char *what, unsigned int iter)
{
	bool all = m->kind == FTRACE_SITES_ALL;
	const char *why = NULL;
	unsigned int i, k = 0;
	unsigned long ip;

	if (s->kind != m->kind)
		why = "kind";
	else if ((m->kind == FTRACE_SITES_NONE && s != FTRACE_SITES_NONE_SET) ||
		 (all && s != FTRACE_SITES_ALL_SET))
		why = "singleton";
	else if (m->kind == FTRACE_SITES_SOME &&
		 (!s->nr || s->nr != bitmap_weight(m->bits, FSK_UNIVERSE)))
		why = "size";
	for (i = 1; !why && m->kind == FTRACE_SITES_SOME && i < s->nr; i++) {
		if (s->ip[i - 1] >= s->ip[i])
			why = "order";
	}
	if (!why && m->kind == FTRACE_SITES_SOME) {
		for_each_set_bit(i, m->bits, FSK_UNIVERSE) {
			if (s->ip[k++] != r->uni[i])
				why = "addresses";
		}
	}
	/* Every address of the universe; and between them, never a site */
	for (i = 0; !why && i < FSK_UNIVERSE; i++) {
		ip = r->uni[i];
		if (ftrace_sites_has(s, ip) != (all || test_bit(i, m->bits)) ||
		    ftrace_sites_has(s, ip - 8) != all ||
		    ftrace_sites_has(s, ip + 8) != all)
			why = "has()";
	}
	if (why)
		KUNIT_FAIL(test, "#%u %s (kind %d, want %d): wrong %s",
			   iter, what, (int)s->kind, (int)m->kind, why);
	return !why;
}

/* One operation on the held a and b, checked against the model */
static bool fsk_check_op(struct kunit *test, struct fsk_rand *r,
			 unsigned int op, const struct fsk_model *ma,
			 const struct fsk_model *mb, unsigned int iter)
{
	const char *what = fsk_op_name[op];
	struct ftrace_sites *s, *copy;
	struct fsk_model m;
	bool ok;

	s = fsk_apply(op, r->held[FSK_HELD_A], r->held[FSK_HELD_B]);
	if (!fsk_model_apply(op, ma, mb, &m)) {
		if (s == ERR_PTR(-EDOM))
			return true;
		KUNIT_FAIL(test, "#%u minus(ALL, SOME) is %pe", iter, s);
		if (!IS_ERR_OR_NULL(s))
			ftrace_sites_put(s);
		return false;
	}
	s = fsk_hold(test, r, FSK_HELD_R, s);
	ok = fsk_check(test, r, s, &m, what, iter);

	copy = fsk_hold(test, r, FSK_HELD_COPY, fsk_build(r, &m));
	if (ok && !(ftrace_sites_equal(s, copy) &&
		    ftrace_sites_equal(copy, s))) {
		KUNIT_FAIL(test, "#%u %s: not equal to its copy", iter, what);
		ok = false;
	}
	if (ok && ftrace_sites_equal(s, r->held[FSK_HELD_A]) !=
		  (m.kind == ma->kind &&
		   bitmap_equal(m.bits, ma->bits, FSK_UNIVERSE))) {
		KUNIT_FAIL(test, "#%u %s: equal() to a is wrong", iter, what);
		ok = false;
	}
	fsk_drop(r, FSK_HELD_COPY);
	fsk_drop(r, FSK_HELD_R);
	return ok;
}

static void fsk_test_random(struct kunit *test)
{
	unsigned int i, j, op, iter;
	struct fsk_model ma, mb;
	struct ftrace_sites *a;
	struct fsk_rand *r;
	bool ok = true;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	fsk_defer(test, fsk_rand_release, r);

	kunit_info(test, "seed %#llx, %u iterations\n", FSK_SEED, FSK_ITERS);
	prandom_seed_state(&r->rnd, FSK_SEED);
	/* 256 distinct random offsets, in ascending order, 16 bytes apart */
	for (i = 0; i < FSK_UNIVERSE; i++) {
		r->uni[i] = FSK_IP(i * 61 + fsk_below(r, 61));
		r->perm[i] = i;
	}
	for (i = FSK_UNIVERSE - 1; i > 0; i--) {
		j = fsk_below(r, i + 1);
		swap(r->perm[i], r->perm[j]);
	}

	for (iter = 0; ok && iter < FSK_ITERS; iter++) {
		fsk_model_random(r, &ma, NULL);
		fsk_model_random(r, &mb, &ma);
		a = fsk_hold(test, r, FSK_HELD_A, fsk_build(r, &ma));
		fsk_hold(test, r, FSK_HELD_B, fsk_build(r, &mb));
		ok = fsk_check(test, r, a, &ma, "a", iter) &&
		     fsk_check(test, r, r->held[FSK_HELD_B], &mb, "b", iter);
		for (op = 0; ok && op < FSK_NR_OPS; op++)
			ok = fsk_check_op(test, r, op, &ma, &mb, iter);
		/* Every result was put: a has its one reference left */
		if (ok && a->kind == FTRACE_SITES_SOME &&
		    refcount_read(&a->ref) != 1) {
			KUNIT_FAIL(test, "#%u: a has %u references", iter,
				   refcount_read(&a->ref));
			ok = false;
		}
		fsk_drop(r, FSK_HELD_B);
		fsk_drop(r, FSK_HELD_A);
	}
}

/* ---- references and address vectors ----------------------------------- */

static void fsk_test_refs(struct kunit *test)
{
	static const unsigned long in[] = { FSK_IP(1), FSK_IP(2), FSK_IP(3) };
	static const unsigned long sub[] = { FSK_IP(2) };
	static const unsigned long other[] = { FSK_IP(9) };
	struct ftrace_sites *none = FTRACE_SITES_NONE_SET;
	struct ftrace_sites *all = FTRACE_SITES_ALL_SET;
	unsigned int none_ref = refcount_read(&none->ref);
	unsigned int all_ref = refcount_read(&all->ref);
	struct ftrace_sites *s, *t, *o, *r;

	s = fsk_set(test, in, ARRAY_SIZE(in));
	t = fsk_set(test, sub, ARRAY_SIZE(sub));
	o = fsk_set(test, other, ARRAY_SIZE(other));
	KUNIT_EXPECT_EQ(test, refcount_read(&s->ref), 1U);
	KUNIT_EXPECT_PTR_EQ(test, ftrace_sites_get(s), s);
	KUNIT_EXPECT_EQ(test, refcount_read(&s->ref), 2U);
	ftrace_sites_put(s);
	KUNIT_EXPECT_EQ(test, refcount_read(&s->ref), 1U);

	/* NULL and the singletons: no-ops */
	ftrace_sites_put(NULL);
	KUNIT_EXPECT_PTR_EQ(test, ftrace_sites_get(none), none);
	KUNIT_EXPECT_PTR_EQ(test, ftrace_sites_get(all), all);
	ftrace_sites_put(none);
	ftrace_sites_put(none);
	ftrace_sites_put(all);
	ftrace_sites_put(all);
	KUNIT_EXPECT_EQ(test, refcount_read(&none->ref), none_ref);
	KUNIT_EXPECT_EQ(test, refcount_read(&all->ref), all_ref);

	/* A result that is an input is that input, with one more reference */
	KUNIT_EXPECT_PTR_EQ(test, fsk_op(test, FSK_OR, s, none), s);
	KUNIT_EXPECT_EQ(test, refcount_read(&s->ref), 2U);
	KUNIT_EXPECT_PTR_EQ(test, fsk_op(test, FSK_OR, t, s), s);
	KUNIT_EXPECT_PTR_EQ(test, fsk_op(test, FSK_AND, all, s), s);
	KUNIT_EXPECT_PTR_EQ(test, fsk_op(test, FSK_SUB, s, o), s);
	KUNIT_EXPECT_EQ(test, refcount_read(&s->ref), 5U);
	KUNIT_EXPECT_PTR_EQ(test, fsk_op(test, FSK_AND, s, t), t);
	KUNIT_EXPECT_EQ(test, refcount_read(&t->ref), 2U);

	/* A new set: a reference of its own, the inputs' counts unchanged */
	r = fsk_op(test, FSK_OR, s, o);
	KUNIT_EXPECT_TRUE(test, r != s && r != o);
	KUNIT_EXPECT_EQ(test, r->nr, 4U);
	KUNIT_EXPECT_EQ(test, refcount_read(&r->ref), 1U);
	KUNIT_EXPECT_EQ(test, refcount_read(&o->ref), 1U);
	KUNIT_EXPECT_EQ(test, refcount_read(&s->ref), 5U);
}

static void fsk_test_ipvec(struct kunit *test)
{
	struct ftrace_ipvec *v;
	struct ftrace_sites *s;
	unsigned int i, bad = 0;
	unsigned long ip;

	v = kunit_kzalloc(test, sizeof(*v), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, v);
	fsk_defer(test, fsk_ipvec_action, v);

	/* 7919 is prime to 2500: each FSK_IP(k) four times, scattered */
	for (i = 0; i < FSK_PUSHES; i++) {
		ip = FSK_IP(i * 7919U % FSK_DISTINCT);
		KUNIT_ASSERT_EQ(test, ftrace_ipvec_push(v, ip, GFP_KERNEL), 0);
		if (!i)
			KUNIT_EXPECT_EQ(test, v->cap, 16U);
	}
	KUNIT_ASSERT_EQ(test, v->nr, FSK_PUSHES);
	KUNIT_EXPECT_EQ(test, v->cap, 16384U);
	for (i = 0; i < FSK_PUSHES; i++)
		bad += v->ip[i] != FSK_IP(i * 7919U % FSK_DISTINCT);
	KUNIT_EXPECT_EQ(test, bad, 0U);

	s = fsk_set(test, v->ip, v->nr);
	KUNIT_ASSERT_EQ(test, s->nr, FSK_DISTINCT);
	for (i = 0, bad = 0; i < FSK_DISTINCT; i++)
		bad += s->ip[i] != FSK_IP(i) ||
		       !ftrace_sites_has(s, FSK_IP(i)) ||
		       ftrace_sites_has(s, FSK_IP(i) + 8);
	KUNIT_EXPECT_EQ(test, bad, 0U);
	KUNIT_EXPECT_FALSE(test, ftrace_sites_has(s, FSK_IP(FSK_DISTINCT)));

	ftrace_ipvec_free(v);
	KUNIT_ASSERT_NULL(test, v->ip);
	KUNIT_ASSERT_EQ(test, v->nr, 0U);
	KUNIT_ASSERT_EQ(test, v->cap, 0U);

	/* Usable again after free */
	KUNIT_ASSERT_EQ(test, ftrace_ipvec_push(v, FSK_IP(1), GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, v->nr, 1U);
	KUNIT_EXPECT_EQ(test, v->ip[0], FSK_IP(1));
}

static struct kunit_case fsk_cases[] = {
	KUNIT_CASE(fsk_test_kinds),
	KUNIT_CASE(fsk_test_from),
	KUNIT_CASE(fsk_test_algebra),
	KUNIT_CASE_SLOW(fsk_test_random),
	KUNIT_CASE(fsk_test_refs),
	KUNIT_CASE(fsk_test_ipvec),
	{}
};

static struct kunit_suite fsk_suite = {
	.name = "ftrace_sites",
	.test_cases = fsk_cases,
};

kunit_test_suite(fsk_suite);
