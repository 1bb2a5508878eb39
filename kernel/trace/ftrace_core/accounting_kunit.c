// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of accounting.c (suite "ftrace_acct"), built in with
 * CONFIG_FTRACE_OWN_CORE_KUNIT_TEST: internal functions, called directly.
 *
 *   kinds    NONE covers nothing, ALL all but its notrace sites
 *   two_ops  count, TRAMP, REGS/IPMODIFY/DIRECT from covering ops only
 *   check    a planted mismatch reported and repaired; counts never wrap
 *   random   6000 random actions on 8 ops and 1024 sites (fixed seed),
 *            each checked against a model, the checker and changed()
 *   cost     an ops of 3 sites touches no other site
 *
 * Every set is put when the test ends, however it ends (deferred KUnit
 * actions).  Locking: none; chunks, ops and sets are the test's own.
 */
#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/array_size.h>
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/ftrace.h>
#include <linux/gfp.h>
#include <linux/prandom.h>
#include <linux/string.h>

#include "internal.h"

/* 0xffffffff81000000 on 64-bit kernels, 0x81000000 on 32-bit ones */
#define FAK_BASE	((unsigned long)-0x7f000000L)
#define FAK_IP(n)	(FAK_BASE + 0x10UL * (n))

#define FAK_REGS	FTRACE_OPS_FL_SAVE_REGS
#define FAK_IPMOD	FTRACE_OPS_FL_IPMODIFY
#define FAK_DIRECT	FTRACE_OPS_FL_DIRECT
/* Flags the state must not depend on */
#define FAK_NOISE	(FTRACE_OPS_FL_ENABLED | FTRACE_OPS_FL_RECURSION)

#define S_REGS		FTRACE_ACCT_REGS
#define S_IPMOD		FTRACE_ACCT_IPMODIFY
#define S_DIRECT	FTRACE_ACCT_DIRECT
#define S_TRAMP		FTRACE_ACCT_TRAMP

#define FAK_NONE	FTRACE_SITES_NONE_SET
#define FAK_ALL		FTRACE_SITES_ALL_SET
#define FAK_OPS(f, n, fl, t) \
	{ .filter = (f), .notrace_sites = (n), .flags = (fl), .tramp = (t) }

#define FAK_SITES	1024U
#define FAK_SLOTS	8U
#define FAK_ACTIONS	6000U
#define FAK_SEED	0xacc0a7f00d5eedULL

KUNIT_DEFINE_ACTION_WRAPPER(fak_put_action, ftrace_sites_put,
			    struct ftrace_sites *);

/* Run @action(@ctx) when the test ends, however it ends. */
static void fak_defer(struct kunit *test, kunit_action_t *action, void *ctx)
{
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, action, ctx), 0);
}

/* @ip must give a set: it is put when the test ends. */
static struct ftrace_sites *fak_set(struct kunit *test,
				    const unsigned long *ip, unsigned int nr)
{
	struct ftrace_sites *s = ftrace_sites_from(ip, nr, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	fak_defer(test, fak_put_action, s);
	return s;
}

/* What changed() was told during one update, and report() last */
struct fak_log {
	DECLARE_BITMAP(seen, FAK_SITES);
	u32 was[FAK_SITES];
	unsigned int calls;		/* sites told */
	unsigned int twice;		/* a site told twice */
	unsigned int wild;		/* a site past FAK_SITES, a bad run */
	unsigned int next;		/* the site after the last run */
	const u32 *state;		/* the chunk's states, if known */
	unsigned int reports, site;
	u32 have, want;
};

/* A chunk of @nr sites, 0x20 bytes apart from FAK_IP(0), and a log */
struct fak_small {
	struct ftrace_acct_chunk c;
	struct fak_log l;
	unsigned long ip[FAK_SITES];
	u32 state[FAK_SITES];
};

static struct fak_small *fak_new(struct kunit *test, unsigned int nr)
{
	struct fak_small *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, t);
	for (i = 0; i < nr; i++)
		t->ip[i] = FAK_IP(2 * i);
	t->c.ip = t->ip;
	t->c.state = t->state;
	t->c.nr = nr;
	return t;
}

static void fak_changed(void *data, unsigned int first, unsigned int n,
			u32 was)
{
	struct fak_log *l = data;
	unsigned int site;

	if (!n || first < l->next)
		l->wild++;	/* runs ascend, none empty */
	for (site = first; l->state && site < first + n && site < FAK_SITES;
	     site++)
		if (l->state[site] != l->state[first])
			l->wild++;	/* one new state per run */
	l->next = first + n;
	for (site = first; site < first + n; site++) {
		l->calls++;
		if (site >= FAK_SITES) {
			l->wild++;
			return;
		}
		if (__test_and_set_bit(site, l->seen))
			l->twice++;
		l->was[site] = was;
	}
}

static int fak_update(struct ftrace_acct_chunk *c,
		      const struct ftrace_acct_ops *before,
		      const struct ftrace_acct_ops *after,
		      const struct ftrace_acct_ops *const *ops,
		      unsigned int nops, struct fak_log *l)
{
	memset(l, 0, sizeof(*l));
	l->state = c->state;
	return ftrace_acct_update(c, before, after, ops, nops, fak_changed, l);
}

static void fak_report(void *data, unsigned int site, u32 have, u32 want)
{
	struct fak_log *l = data;

	l->reports++;
	l->site = site;
	l->have = have;
	l->want = want;
}

/* How many states of @c are wrong (none repaired) */
static unsigned int fak_bad(struct ftrace_acct_chunk *c,
			    const struct ftrace_acct_ops *const *ops,
			    unsigned int nops)
{
	return ftrace_acct_check(c, ops, nops, false, NULL, NULL);
}

static void fak_test_kinds(struct kunit *test)
{
	static const unsigned long nt[] = { FAK_IP(4), FAK_IP(10) };
	struct ftrace_acct_ops none = FAK_OPS(FAK_NONE, FAK_NONE, FAK_REGS,
					      true);
	struct ftrace_acct_ops refuse = FAK_OPS(FAK_ALL, FAK_ALL, FAK_REGS,
						true);
	struct ftrace_acct_ops all = FAK_OPS(FAK_ALL, fak_set(test, nt, 2),
					     FAK_REGS, false);
	const struct ftrace_acct_ops *ops[] = { NULL, &none, &refuse, &all };
	struct fak_small *t = fak_new(test, 8);
	struct ftrace_acct_chunk *c = &t->c;
	struct fak_log *l = &t->l;
	struct ftrace_acct_ops old;
	unsigned int i;
	bool out;

	KUNIT_EXPECT_FALSE(test, ftrace_acct_covers(NULL, FAK_IP(0)));
	for (i = 0; i < c->nr; i++) {
		out = i == 2 || i == 5;		/* FAK_IP(4), FAK_IP(10) */
		KUNIT_EXPECT_FALSE(test, ftrace_acct_covers(&none, c->ip[i]));
		KUNIT_EXPECT_FALSE(test, ftrace_acct_covers(&refuse, c->ip[i]));
		KUNIT_EXPECT_EQ(test, ftrace_acct_covers(&all, c->ip[i]), !out);
	}
	/* ALL is every site, in the chunk or not */
	KUNIT_EXPECT_TRUE(test, ftrace_acct_covers(&all, FAK_IP(1)));
	KUNIT_EXPECT_TRUE(test, ftrace_acct_covers(&all, FAK_IP(100000)));
	KUNIT_EXPECT_EQ(test, ftrace_acct_compute(FAK_IP(0), ops, 0), 0U);
	KUNIT_EXPECT_EQ(test, ftrace_acct_compute(FAK_IP(0), ops, 3), 0U);

	/* Registering the NONE and the refusing ops changes nothing */
	KUNIT_EXPECT_EQ(test, fak_update(c, NULL, &none, ops, 2, l), 0);
	KUNIT_EXPECT_EQ(test, fak_update(c, NULL, &refuse, ops, 3, l), 0);
	KUNIT_EXPECT_EQ(test, l->calls, 0U);

	KUNIT_EXPECT_EQ(test, fak_update(c, NULL, &all, ops, 4, l), 6);
	KUNIT_EXPECT_EQ(test, l->calls, 6U);
	for (i = 0; i < c->nr; i++) {
		out = i == 2 || i == 5;
		KUNIT_EXPECT_EQ(test, c->state[i], out ? 0U : 1U | S_REGS);
		KUNIT_EXPECT_EQ(test, test_bit(i, l->seen), !out);
		KUNIT_EXPECT_EQ(test, c->state[i],
				ftrace_acct_compute(c->ip[i], ops, 4));
	}
	KUNIT_EXPECT_EQ(test, fak_bad(c, ops, 4), 0U);

	/* A trampoline: TRAMP on the six sites it alone covers */
	old = all;
	all.tramp = true;
	KUNIT_EXPECT_EQ(test, fak_update(c, &old, &all, ops, 4, l), 6);
	KUNIT_EXPECT_EQ(test, c->state[0], 1U | S_REGS | S_TRAMP);
	KUNIT_EXPECT_EQ(test, c->state[2], 0U);

	/* Unregistered: every state back to 0 */
	ops[3] = NULL;
	KUNIT_EXPECT_EQ(test, fak_update(c, &all, NULL, ops, 4, l), 6);
	KUNIT_EXPECT_EQ(test, l->was[7], 1U | S_REGS | S_TRAMP);
	KUNIT_EXPECT_FALSE(test, test_bit(5, l->seen));
	for (i = 0; i < c->nr; i++)
		KUNIT_EXPECT_EQ(test, c->state[i], 0U);
}

static void fak_test_two_ops(struct kunit *test)
{
	struct fak_small *t = fak_new(test, 8);
	struct ftrace_acct_chunk *c = &t->c;
	struct fak_log *l = &t->l;
	const unsigned long *ip = c->ip;
	const unsigned long fa[] = { ip[1], ip[2] };
	const unsigned long fb[] = { ip[2], ip[3] };
	const unsigned long fc[] = { ip[2], ip[4] };
	struct ftrace_acct_ops a = FAK_OPS(fak_set(test, fa, 2), FAK_NONE, 0,
					   true);
	struct ftrace_acct_ops b = FAK_OPS(fak_set(test, fb, 2), FAK_NONE,
					   FAK_IPMOD | FAK_DIRECT, false);
	/* SAVE_REGS, but refuses site 2 */
	struct ftrace_acct_ops o = FAK_OPS(fak_set(test, fc, 2),
					   fak_set(test, fc, 1), FAK_REGS, true);
	const struct ftrace_acct_ops *ops[] = { &a, &o, &b };
	struct ftrace_acct_ops old;

	KUNIT_EXPECT_EQ(test, fak_update(c, NULL, &a, ops, 1, l), 2);
	KUNIT_EXPECT_EQ(test, c->state[1], 1U | S_TRAMP);
	KUNIT_EXPECT_EQ(test, c->state[2], 1U | S_TRAMP);

	/* o does not cover site 2: its REGS stays off it */
	KUNIT_EXPECT_EQ(test, fak_update(c, NULL, &o, ops, 2, l), 1);
	KUNIT_EXPECT_TRUE(test, test_bit(4, l->seen));
	KUNIT_EXPECT_EQ(test, c->state[2], 1U | S_TRAMP);
	KUNIT_EXPECT_EQ(test, c->state[4], 1U | S_REGS | S_TRAMP);

	/* Two ops on site 2: count 2, TRAMP gone, b's needs */
	KUNIT_EXPECT_EQ(test, fak_update(c, NULL, &b, ops, 3, l), 2);
	KUNIT_EXPECT_EQ(test, l->was[2], 1U | S_TRAMP);
	KUNIT_EXPECT_EQ(test, c->state[2], 2U | S_IPMOD | S_DIRECT);
	KUNIT_EXPECT_EQ(test, c->state[3], 1U | S_IPMOD | S_DIRECT);
	KUNIT_EXPECT_EQ(test, c->state[1], 1U | S_TRAMP);
	KUNIT_EXPECT_EQ(test, fak_bad(c, ops, 3), 0U);

	/* b leaves: a alone again, with its trampoline */
	ops[2] = NULL;
	KUNIT_EXPECT_EQ(test, fak_update(c, &b, NULL, ops, 3, l), 2);
	KUNIT_EXPECT_EQ(test, c->state[2], 1U | S_TRAMP);
	KUNIT_EXPECT_EQ(test, c->state[3], 0U);

	/* o asks for IPMODIFY: its one site only */
	old = o;
	o.flags |= FAK_IPMOD;
	KUNIT_EXPECT_EQ(test, fak_update(c, &old, &o, ops, 3, l), 1);
	KUNIT_EXPECT_EQ(test, c->state[4], 1U | S_REGS | S_IPMOD | S_TRAMP);
	/* Flags the state ignores change nothing */
	old = o;
	o.flags |= FAK_NOISE;
	KUNIT_EXPECT_EQ(test, fak_update(c, &old, &o, ops, 3, l), 0);
	KUNIT_EXPECT_EQ(test, l->calls, 0U);
	KUNIT_EXPECT_EQ(test, fak_bad(c, ops, 3), 0U);
}

static void fak_test_check(struct kunit *test)
{
	struct fak_small *t = fak_new(test, 16);
	struct ftrace_acct_chunk *c = &t->c;
	struct fak_log *l = &t->l;
	const unsigned long five[] = {
		c->ip[1], c->ip[2], c->ip[3], c->ip[4], c->ip[5],
	};
	struct ftrace_acct_ops a = FAK_OPS(FAK_ALL, fak_set(test, &c->ip[3], 1),
					   FAK_REGS, false);
	struct ftrace_acct_ops b = FAK_OPS(fak_set(test, five, 5), FAK_NONE,
					   0, true);
	const struct ftrace_acct_ops *ops[] = { &a, &b };
	u32 good;

	KUNIT_ASSERT_EQ(test, fak_update(c, NULL, &a, ops, 1, l), 15);
	KUNIT_ASSERT_EQ(test, fak_update(c, NULL, &b, ops, 2, l), 5);
	KUNIT_ASSERT_EQ(test, fak_bad(c, ops, 2), 0U);
	KUNIT_EXPECT_EQ(test, c->state[3], 1U | S_TRAMP);

	/* One wrong state: found, reported, left alone, then repaired */
	good = c->state[7];
	c->state[7] ^= S_DIRECT;
	KUNIT_EXPECT_EQ(test, ftrace_acct_check(c, ops, 2, false, fak_report,
						l), 1U);
	KUNIT_EXPECT_EQ(test, l->reports, 1U);
	KUNIT_EXPECT_EQ(test, l->site, 7U);
	KUNIT_EXPECT_EQ(test, l->have, good ^ S_DIRECT);
	KUNIT_EXPECT_EQ(test, l->want, good);
	KUNIT_EXPECT_EQ(test, c->state[7], good ^ S_DIRECT);
	KUNIT_EXPECT_EQ(test, ftrace_acct_check(c, ops, 2, true, NULL, NULL),
			1U);
	KUNIT_EXPECT_EQ(test, c->state[7], good);
	KUNIT_EXPECT_EQ(test, ftrace_acct_check(c, ops, 2, false, fak_report,
						l), 0U);
	KUNIT_EXPECT_EQ(test, l->reports, 1U);

	/* A count that would go below 0: recomputed, not wrapped */
	c->state[1] = 0;
	ops[1] = NULL;
	KUNIT_EXPECT_EQ(test, fak_update(c, &b, NULL, ops, 2, l), -ERANGE);
	KUNIT_EXPECT_EQ(test, c->state[1], 1U | S_REGS);
	KUNIT_EXPECT_EQ(test, c->state[3], 0U);
	KUNIT_EXPECT_EQ(test, fak_bad(c, ops, 2), 0U);

	/* A count that would pass FTRACE_ACCT_COUNT: the same */
	c->state[2] = FTRACE_ACCT_COUNT;
	ops[1] = &b;
	KUNIT_EXPECT_EQ(test, fak_update(c, NULL, &b, ops, 2, l), -ERANGE);
	KUNIT_EXPECT_EQ(test, c->state[2], 2U | S_REGS);
	KUNIT_EXPECT_EQ(test, c->state[3], 1U | S_TRAMP);
	KUNIT_EXPECT_EQ(test, fak_bad(c, ops, 2), 0U);
}

/* ---- random actions against a model ------------------------------------ */

/* An ops slot, and what its sets hold among the chunk's sites */
struct fak_slot {
	struct ftrace_acct_ops o;
	bool live;
	DECLARE_BITMAP(fbits, FAK_SITES);
	DECLARE_BITMAP(nbits, FAK_SITES);
};

enum { FAK_REGISTER, FAK_UNREGISTER, FAK_CHANGE, FAK_NR_KINDS };

static const char * const fak_kind_name[FAK_NR_KINDS] = {
	"register", "unregister", "change",
};

struct fak_rand {
	struct rnd_state rnd;
	struct ftrace_acct_chunk c;
	unsigned long ip[FAK_SITES];		/* ascending, with gaps */
	u32 state[FAK_SITES];
	u32 prev[FAK_SITES];
	struct fak_slot slot[FAK_SLOTS];
	const struct ftrace_acct_ops *ops[FAK_SLOTS];	/* NULL: free */
	struct ftrace_acct_ops old;		/* "before" during an update */
	unsigned long buf[FAK_SITES + 8];
	struct fak_log log;
	unsigned int kinds[FAK_NR_KINDS];
	unsigned long changes;
};

static void fak_put_ops(struct ftrace_acct_ops *o)
{
	ftrace_sites_put(o->filter);
	ftrace_sites_put(o->notrace_sites);
	memset(o, 0, sizeof(*o));
}

static void fak_rand_release(void *p)
{
	struct fak_rand *r = p;
	unsigned int i;

	for (i = 0; i < FAK_SLOTS; i++)
		fak_put_ops(&r->slot[i].o);
	fak_put_ops(&r->old);
}

static u32 fak_below(struct fak_rand *r, u32 n)
{
	return prandom_u32_state(&r->rnd) % n;
}

/* An address that is not a site of the chunk (see fak_test_random()) */
static unsigned long fak_foreign(struct fak_rand *r)
{
	unsigned long ip = r->ip[fak_below(r, FAK_SITES)];
	unsigned long n = (ip - FAK_BASE) / 0x10;

	switch (fak_below(r, 4)) {
	case 0:
		return ip + 8;
	case 1:		/* another place of the site's 0x40 bytes */
		return FAK_IP(n - n % 4 + (n + 1 + fak_below(r, 3)) % 4);
	case 2:
		return FAK_IP(4 * FAK_SITES + fak_below(r, 64));
	default:
		return FAK_BASE - 0x10UL * (1 + fak_below(r, 64));
	}
}

/*
 * A random set into *@sp (putting what was there), its sites of the chunk
 * into @bits.  A filter is ALL 20% of the time, NONE 10%, otherwise SOME;
 * a notrace set is NONE or SOME.  SOME sets are of every size, and a
 * quarter of them hold addresses outside the chunk as well.
 */
static void fak_rand_set(struct kunit *test, struct fak_rand *r,
			 struct ftrace_sites **sp, unsigned long *bits,
			 bool filter)
{
	unsigned int roll = fak_below(r, 10), k, n = 0, i, site;
	struct ftrace_sites *s;

	bitmap_zero(bits, FAK_SITES);
	if (filter && roll < 2) {
		s = FAK_ALL;
		bitmap_fill(bits, FAK_SITES);
	} else if (roll < (filter ? 3U : 5U)) {
		s = FAK_NONE;
	} else {
		k = 1 + fak_below(r, 1U << fak_below(r, filter ? 11 : 7));
		for (i = 0; i < k; i++) {
			site = fak_below(r, FAK_SITES);
			__set_bit(site, bits);
			r->buf[n++] = r->ip[site];
		}
		for (i = fak_below(r, 4) ? 0 : 1 + fak_below(r, 4); i; i--)
			r->buf[n++] = fak_foreign(r);
		s = ftrace_sites_from(r->buf, n, GFP_KERNEL);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	}
	ftrace_sites_put(*sp);
	*sp = s;
}

/* Each of the flags a quarter of the time */
static unsigned long fak_rand_flags(struct fak_rand *r)
{
	u32 x = prandom_u32_state(&r->rnd);

	return (x & 0x03 ? 0 : FAK_REGS) | (x & 0x0c ? 0 : FAK_IPMOD) |
	       (x & 0x30 ? 0 : FAK_DIRECT) | (x & 0xc0 ? 0 : FAK_NOISE);
}

/* What a site's state must be, from the model of the slots */
static u32 fak_model(const struct fak_rand *r, unsigned int site)
{
	const struct fak_slot *s, *one = NULL;
	u32 count = 0, bits = 0;
	unsigned int i;

	for (i = 0; i < FAK_SLOTS; i++) {
		s = &r->slot[i];
		if (!s->live || test_bit(site, s->nbits) ||
		    !test_bit(site, s->fbits))
			continue;
		count++;
		one = s;
		if (s->o.flags & FAK_REGS)
			bits |= S_REGS;
		if (s->o.flags & FAK_IPMOD)
			bits |= S_IPMOD;
		if (s->o.flags & FAK_DIRECT)
			bits |= S_DIRECT;
	}
	if (count == 1 && one->o.tramp)
		bits |= S_TRAMP;
	return count | bits;
}

/* One random action and its update; false (and a failure) if wrong */
static bool fak_step(struct kunit *test, struct fak_rand *r,
		     unsigned int act, unsigned int kind)
{
	const struct ftrace_acct_ops *before = &r->old, *after;
	unsigned int i = fak_below(r, FAK_SLOTS), diff = 0, what;
	bool cb = fak_below(r, 16);	/* sometimes no changed() */
	bool moved;
	const char *why = NULL;
	struct fak_slot *s;
	int ret;

	/* A random slot in use, or free to register */
	while (r->slot[i].live != (kind != FAK_REGISTER))
		i = (i + 1) % FAK_SLOTS;
	s = &r->slot[i];
	after = &s->o;
	memcpy(r->prev, r->state, sizeof(r->prev));
	memset(&r->log, 0, sizeof(r->log));
	r->log.state = r->state;

	if (kind == FAK_REGISTER) {
		before = NULL;
		what = 0xf;
	} else {
		r->old = s->o;
		ftrace_sites_get(r->old.filter);
		ftrace_sites_get(r->old.notrace_sites);
		/* Mostly one thing at a time, sometimes several */
		what = fak_below(r, 4) ? BIT(fak_below(r, 4)) :
					 1 + fak_below(r, 15);
	}
	if (kind == FAK_UNREGISTER) {
		fak_put_ops(&s->o);
		s->live = false;
		r->ops[i] = NULL;
		after = NULL;
		what = 0;
	}
	if (what & BIT(0))
		fak_rand_set(test, r, &s->o.filter, s->fbits, true);
	if (what & BIT(1))
		fak_rand_set(test, r, &s->o.notrace_sites, s->nbits, false);
	if (what & BIT(2))
		s->o.flags = fak_rand_flags(r);
	if (what & BIT(3))
		s->o.tramp = kind == FAK_REGISTER ? fak_below(r, 2) :
			     !s->o.tramp;
	if (kind == FAK_REGISTER) {
		s->live = true;
		r->ops[i] = &s->o;
	}

	ret = ftrace_acct_update(&r->c, before, after, r->ops, FAK_SLOTS,
				 cb ? fak_changed : NULL, &r->log);
	fak_put_ops(&r->old);
	r->kinds[kind]++;

	for (i = 0; i < FAK_SITES; i++) {
		moved = r->state[i] != r->prev[i];
		diff += moved;
		if (r->state[i] != fak_model(r, i))
			why = "state differs from the model";
		else if (cb && test_bit(i, r->log.seen) != moved)
			why = "changed() and the states disagree";
		else if (cb && moved && r->log.was[i] != r->prev[i])
			why = "changed() told a wrong old state";
		if (why) {
			KUNIT_FAIL(test, "#%u %s: site %u: %s (%#x, was %#x, model %#x)",
				   act, fak_kind_name[kind], i, why,
				   r->state[i], r->prev[i], fak_model(r, i));
			return false;
		}
	}
	r->changes += diff;
	if (ret != (int)diff)
		why = "wrong return";
	else if (cb && (r->log.calls != diff || r->log.twice || r->log.wild))
		why = "wrong changed() calls";
	else if (fak_bad(&r->c, r->ops, FAK_SLOTS))
		why = "the check failed";
	if (why)
		KUNIT_FAIL(test, "#%u %s: %s: returned %d, %u calls, %u states changed",
			   act, fak_kind_name[kind], why, ret, r->log.calls,
			   diff);
	return !why;
}

static void fak_test_random(struct kunit *test)
{
	unsigned int i, act, kind, live = 0;
	struct fak_rand *r;
	bool ok = true;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	fak_defer(test, fak_rand_release, r);

	kunit_info(test, "seed %#llx, %u actions\n", FAK_SEED, FAK_ACTIONS);
	prandom_seed_state(&r->rnd, FAK_SEED);
	/* One site in each 0x40 bytes, at a random one of its 4 places */
	for (i = 0; i < FAK_SITES; i++)
		r->ip[i] = FAK_IP(4 * i + fak_below(r, 4));
	r->c.ip = r->ip;
	r->c.state = r->state;
	r->c.nr = FAK_SITES;

	for (act = 0; ok && act < FAK_ACTIONS; act++) {
		/* A quarter each way: from 0 to FAK_SLOTS ops, all along */
		i = fak_below(r, 20);
		if (!live || (live < FAK_SLOTS && i < 5))
			kind = FAK_REGISTER;
		else if (i < 10)
			kind = FAK_UNREGISTER;
		else
			kind = FAK_CHANGE;
		ok = fak_step(test, r, act, kind);
		live += kind == FAK_REGISTER;
		live -= kind == FAK_UNREGISTER;
	}
	/* Unregister whatever is left: every state back to 0 */
	for (; ok && live; live--, act++)
		ok = fak_step(test, r, act, FAK_UNREGISTER);
	for (i = 0; ok && i < FAK_SITES; i++)
		KUNIT_EXPECT_EQ(test, r->state[i], 0U);

	kunit_info(test, "%u registered, %u unregistered, %u changed: %lu state changes\n",
		   r->kinds[FAK_REGISTER], r->kinds[FAK_UNREGISTER],
		   r->kinds[FAK_CHANGE], r->changes);
}

/* ---- cost: only the sites of the sets --------------------------------- */

static void fak_test_cost(struct kunit *test)
{
	struct fak_small *t = fak_new(test, FAK_SITES);
	struct ftrace_acct_chunk *c = &t->c;
	struct fak_log *l = &t->l;
	/* Three sites, and addresses between sites and out of the chunk */
	const unsigned long three[] = {
		c->ip[101], c->ip[503], c->ip[901], c->ip[200] + 0x10,
		FAK_IP(2 * FAK_SITES + 6), FAK_BASE - 0x10,
	};
	struct ftrace_acct_ops w = FAK_OPS(FAK_ALL, FAK_NONE, FAK_REGS, true);
	struct ftrace_acct_ops x = FAK_OPS(fak_set(test, three, 6), FAK_NONE,
					   FAK_DIRECT, true);
	const struct ftrace_acct_ops *ops[] = { &w, &x };
	struct ftrace_acct_ops old;
	unsigned int i, planted = 0;

	KUNIT_ASSERT_EQ(test, fak_update(c, NULL, &w, ops, 1, l),
			(int)FAK_SITES);

	/* Every 16th site wrong: an update that touches it would repair it */
	for (i = 0; i < FAK_SITES; i += 16, planted++)
		c->state[i] ^= S_IPMOD;

	KUNIT_EXPECT_EQ(test, fak_update(c, NULL, &x, ops, 2, l), 3);
	KUNIT_EXPECT_EQ(test, l->calls, 3U);
	KUNIT_EXPECT_TRUE(test, test_bit(101, l->seen) &&
			  test_bit(503, l->seen) && test_bit(901, l->seen));
	KUNIT_EXPECT_EQ(test, c->state[503], 2U | S_REGS | S_DIRECT);

	/* Other needs: the same three sites */
	old = x;
	x.flags = FAK_IPMOD;
	KUNIT_EXPECT_EQ(test, fak_update(c, &old, &x, ops, 2, l), 3);
	KUNIT_EXPECT_EQ(test, bitmap_weight(l->seen, FAK_SITES), 3U);
	KUNIT_EXPECT_EQ(test, c->state[901], 2U | S_REGS | S_IPMOD);

	/* A notrace site: that one alone */
	old = x;
	x.notrace_sites = fak_set(test, &c->ip[503], 1);
	KUNIT_EXPECT_EQ(test, fak_update(c, &old, &x, ops, 2, l), 1);
	KUNIT_EXPECT_TRUE(test, test_bit(503, l->seen));
	KUNIT_EXPECT_EQ(test, c->state[503], 1U | S_REGS | S_TRAMP);

	/* The ALL ops's notrace: its sites alone, not the whole chunk */
	old = w;
	w.notrace_sites = fak_set(test, &c->ip[7], 1);
	KUNIT_EXPECT_EQ(test, fak_update(c, &old, &w, ops, 2, l), 1);
	KUNIT_EXPECT_TRUE(test, test_bit(7, l->seen));
	KUNIT_EXPECT_EQ(test, c->state[7], 0U);

	ops[1] = NULL;
	KUNIT_EXPECT_EQ(test, fak_update(c, &x, NULL, ops, 2, l), 2);
	KUNIT_EXPECT_EQ(test, l->calls, 2U);
	KUNIT_EXPECT_EQ(test, c->state[101], 1U | S_REGS | S_TRAMP);

	/* None of the planted states was touched */
	KUNIT_EXPECT_EQ(test, ftrace_acct_check(c, ops, 2, true, NULL, NULL),
			planted);
}

static struct kunit_case fak_cases[] = {
	KUNIT_CASE(fak_test_kinds),
	KUNIT_CASE(fak_test_two_ops),
	KUNIT_CASE(fak_test_check),
	KUNIT_CASE_SLOW(fak_test_random),
	KUNIT_CASE(fak_test_cost),
	{}
};

static struct kunit_suite fak_suite = {
	.name = "ftrace_acct",
	.test_cases = fak_cases,
};

kunit_test_suite(fak_suite);
