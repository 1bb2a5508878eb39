// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of update.c: a registry of ops over two chunks of made-up
 * sites, and a model of text as the engine (each site's bytes as the
 * engine would write them; a "foreign" site holds another patcher's jmp).
 *
 *   targets     what each site calls, ops by ops: caller, regs caller,
 *               trampoline, direct, NOP; one plan per change; refusals
 *               of bad requests (twice registered, never registered)
 *   quarantine  a foreign site among all: every other site patched, the
 *               site reported with its bytes and never written again;
 *               an ops on it alone refused, before and after its plan
 *   redirect    a direct ops moved to another address: its sites alone
 *               retargeted in one plan, shared ones and every state
 *               unchanged; a whole failure keeps the old address; a
 *               foreign site quarantined, not counted as calling; a
 *               site refused while it calls the old address fails the
 *               move and the moved sites go back
 *   engine_fail an engine that fails a plan whole: registration,
 *               change and unregistration leave states and text as
 *               they were
 *   random      4000 random registrations, unregistrations and set
 *               changes with sites turning foreign and whole failures
 *               (fixed seed): after each, the check finds 0 wrong
 *               states, every live site's text is its target, no
 *               quarantined site was ever written, and the engine never
 *               found a live site other than the plan said
 *
 * Locking: fuk_lock is the registries' lock, held around each call.
 */
#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/errno.h>
#include <linux/ftrace.h>
#include <linux/mutex.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include <asm/nops.h>

#include "internal.h"

#define FUK_BASE	((unsigned long)-0x7e000000L)
#define FUK_A		300U			/* sites of chunk 0 */
#define FUK_B		200U			/* sites of chunk 1 */
#define FUK_SITES	(FUK_A + FUK_B)
#define FUK_CALLER	(FUK_BASE - 0x1000)
#define FUK_REGS_CALLER	(FUK_BASE - 0x2000)
#define FUK_TRAMP(n)	(FUK_BASE - 0x10000 - 0x1000UL * (n))
#define FUK_DIRECT(n)	(FUK_BASE - 0x40000 - 0x1000UL * (n))
#define FUK_SLOTS	8U
#define FUK_ACTIONS	4000U
#define FUK_SEED	0x0bda7e5eed5ULL

static DEFINE_MUTEX(fuk_lock);

/* Site n; chunk 1 lies 1 MiB further than chunk 0's end would */
static inline unsigned long fuk_ip(unsigned int n)
{
	return FUK_BASE + 0x40UL * n + (n >= FUK_A ? 0x100000 : 0);
}

/* The made-up kernel: two chunks, their text, a log of the engine's work */
struct fuk_world {
	struct ftrace_registry r;
	struct ftrace_engine e;
	struct ftrace_chunk ch[2];
	unsigned long ip[FUK_SITES];
	u32 state[FUK_SITES];
	unsigned long text[FUK_SITES];	/* what each site calls, 0: NOP */
	DECLARE_BITMAP(foreign, FUK_SITES);
	DECLARE_BITMAP(unmappable, FUK_SITES);	/* refused, bytes kept */
	int fail_next;			/* the next plan fails whole */
	unsigned int runs;		/* plans run */
	unsigned int q_written;		/* quarantined sites asked to change */
	unsigned int stale;		/* live sites not holding "from" */
	unsigned int unsorted;		/* plans not in ascending order */
};

static struct ftrace_chunk *fuk_next(struct ftrace_registry *r,
				     struct ftrace_chunk *c)
{
	struct fuk_world *w = r->chunks;

	if (!c)
		return &w->ch[0];
	return c == &w->ch[0] ? &w->ch[1] : NULL;
}

static int fuk_index(const struct fuk_world *w, unsigned long ip)
{
	unsigned int i;

	for (i = 0; i < FUK_SITES; i++) {
		if (w->ip[i] == ip)
			return i;
	}
	return -1;
}

/* The bytes of a site that calls @to (0: the NOP) */
static void fuk_bytes(u8 *b, unsigned long ip, unsigned long to)
{
	if (!to) {
		memcpy(b, x86_nops[5], MCOUNT_INSN_SIZE);
		return;
	}
	b[0] = 0xe8;
	put_unaligned((u32)(to - ip - MCOUNT_INSN_SIZE), (u32 *)&b[1]);
}

static int fuk_change(void *data, struct ftrace_site_change *c,
		      unsigned int nr)
{
	struct fuk_world *w = data;
	unsigned int i;
	int s;

	if (w->fail_next) {
		s = w->fail_next;
		w->fail_next = 0;
		return s;
	}
	w->runs++;
	for (i = 0; i < nr; i++) {
		if (i && c[i].ip <= c[i - 1].ip)
			w->unsorted++;
		s = fuk_index(w, c[i].ip);
		c[i].err = 0;
		memset(c[i].found, 0, MCOUNT_INSN_SIZE);
		fuk_bytes(c[i].expected, c[i].ip, c[i].from);
		if (s < 0) {
			c[i].err = -EFAULT;
			continue;
		}
		if (w->state[s] & FTRACE_ACCT_QUARANTINE)
			w->q_written++;
		if (test_bit(s, w->unmappable)) {
			c[i].err = -EFAULT;
			continue;
		}
		if (test_bit(s, w->foreign)) {
			c[i].found[0] = 0xe9;	/* another patcher's jmp */
			c[i].err = -EINVAL;
			continue;
		}
		if (w->text[s] != c[i].from) {
			w->stale++;
			fuk_bytes(c[i].found, c[i].ip, w->text[s]);
			c[i].err = -EINVAL;
			continue;
		}
		w->text[s] = c[i].to;
	}
	return 0;
}

static void fuk_release(void *p)
{
	struct fuk_world *w = p;

	ftrace_registry_release(&w->r);
}

static struct fuk_world *fuk_new(struct kunit *test)
{
	struct fuk_world *w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, w);
	for (i = 0; i < FUK_SITES; i++)
		w->ip[i] = fuk_ip(i);
	w->ch[0].ip = w->ip;
	w->ch[0].state = w->state;
	w->ch[0].nr = FUK_A;
	w->ch[1].ip = w->ip + FUK_A;
	w->ch[1].state = w->state + FUK_A;
	w->ch[1].nr = FUK_B;
	w->e.change = fuk_change;
	w->e.data = w;
	w->e.caller = FUK_CALLER;
	w->e.regs_caller = FUK_REGS_CALLER;
	ftrace_registry_init(&w->r, &fuk_lock, &w->e, fuk_next, w);
	w->r.quiet = true;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, fuk_release, w),
			0);
	return w;
}

/*
 * The registry's calls, each under its lock (a test that stops on a
 * failed assertion must not leave it held).
 */
static int fuk_reg(struct fuk_world *w, struct ftrace_acct_ops *o)
{
	guard(mutex)(&fuk_lock);
	return ftrace_reg_register(&w->r, o);
}

static int fuk_unreg(struct fuk_world *w, struct ftrace_acct_ops *o)
{
	guard(mutex)(&fuk_lock);
	return ftrace_reg_unregister(&w->r, o);
}

static int fuk_set(struct fuk_world *w, struct ftrace_acct_ops *o,
		   struct ftrace_sites *f, struct ftrace_sites *n)
{
	guard(mutex)(&fuk_lock);
	return ftrace_reg_set(&w->r, o, f, n);
}

static int fuk_redirect(struct fuk_world *w, struct ftrace_acct_ops *o,
			unsigned long direct)
{
	guard(mutex)(&fuk_lock);
	return ftrace_reg_redirect(&w->r, o, direct);
}

static unsigned int fuk_check(struct fuk_world *w)
{
	guard(mutex)(&fuk_lock);
	return ftrace_reg_check(&w->r, false, NULL, NULL);
}

KUNIT_DEFINE_ACTION_WRAPPER(fuk_put_action, ftrace_sites_put,
			    struct ftrace_sites *);

/* The set of sites @first..@last step @step; the test keeps a reference */
static struct ftrace_sites *fuk_range(struct kunit *test, unsigned int first,
				      unsigned int last, unsigned int step)
{
	unsigned long *ip = kunit_kmalloc_array(test, FUK_SITES, sizeof(*ip),
						GFP_KERNEL);
	struct ftrace_sites *s;
	unsigned int n = 0, i;

	KUNIT_ASSERT_NOT_NULL(test, ip);
	for (i = first; i <= last; i += step)
		ip[n++] = fuk_ip(i);
	s = ftrace_sites_from(ip, n, GFP_KERNEL);
	kunit_kfree(test, ip);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	KUNIT_ASSERT_EQ(test,
			kunit_add_action_or_reset(test, fuk_put_action, s), 0);
	return s;
}

/* How many sites' text is not their target; quarantined ones left out */
static unsigned int fuk_wrong_text(struct fuk_world *w)
{
	unsigned int i, bad = 0;

	guard(mutex)(&fuk_lock);
	for (i = 0; i < FUK_SITES; i++) {
		if (w->state[i] & FTRACE_ACCT_QUARANTINE)
			continue;
		bad += w->text[i] != ftrace_reg_target(&w->r, w->ip[i],
						       w->state[i]);
	}
	return bad;
}

static unsigned int fuk_count(struct fuk_world *w, unsigned long to)
{
	unsigned int i, n = 0;

	for (i = 0; i < FUK_SITES; i++)
		n += w->text[i] == to;
	return n;
}

static void fuk_test_targets(struct kunit *test)
{
	struct fuk_world *w = fuk_new(test);
	/* a's filter goes to the registry at ftrace_reg_set(): a reference */
	struct ftrace_acct_ops a = {
		.filter = ftrace_sites_get(fuk_range(test, 0, 399, 1)),
	};
	struct ftrace_acct_ops b = {
		.filter = fuk_range(test, 250, 349, 1),
		.flags = FTRACE_OPS_FL_SAVE_REGS,
	};
	struct ftrace_acct_ops t = {
		.filter = fuk_range(test, 420, 429, 1),
		.tramp = FUK_TRAMP(1),
	};
	struct ftrace_acct_ops d = {
		.filter = fuk_range(test, 425, 434, 1),
		.flags = FTRACE_OPS_FL_DIRECT,
		.direct = FUK_DIRECT(1),
	};
	struct ftrace_sites *f;

	KUNIT_EXPECT_EQ(test, fuk_reg(w, &a), 0);
	KUNIT_EXPECT_EQ(test, fuk_count(w, FUK_CALLER), 400U);
	KUNIT_EXPECT_EQ(test, w->runs, 1U);

	/* b wants regs on 100 of a's sites: 100 changes in one plan */
	KUNIT_EXPECT_EQ(test, fuk_reg(w, &b), 0);
	KUNIT_EXPECT_EQ(test, fuk_count(w, FUK_REGS_CALLER), 100U);
	KUNIT_EXPECT_EQ(test, fuk_count(w, FUK_CALLER), 300U);
	KUNIT_EXPECT_EQ(test, w->runs, 2U);
	KUNIT_EXPECT_EQ(test, w->r.changes, 500UL);

	/* A trampoline where it alone covers, a direct call likewise */
	KUNIT_EXPECT_EQ(test, fuk_reg(w, &t), 0);
	KUNIT_EXPECT_EQ(test, fuk_count(w, FUK_TRAMP(1)), 10U);
	KUNIT_EXPECT_EQ(test, fuk_reg(w, &d), 0);
	KUNIT_EXPECT_EQ(test, fuk_count(w, FUK_TRAMP(1)), 5U);
	KUNIT_EXPECT_EQ(test, fuk_count(w, FUK_DIRECT(1)), 5U);
	KUNIT_EXPECT_EQ(test, w->text[427 - 0], FUK_CALLER);

	/* Bad requests change nothing */
	KUNIT_EXPECT_EQ(test, fuk_reg(w, &a), -EBUSY);
	KUNIT_EXPECT_EQ(test, w->runs, 4U);

	/* t leaves: its sites under d alone go direct */
	KUNIT_EXPECT_EQ(test, fuk_unreg(w, &t), 0);
	KUNIT_EXPECT_EQ(test, fuk_unreg(w, &t), -EINVAL);
	KUNIT_EXPECT_EQ(test, fuk_count(w, FUK_DIRECT(1)), 10U);
	KUNIT_EXPECT_EQ(test, w->runs, 5U);

	/* a moves to 0..99: one plan; its sites under b keep regs */
	f = ftrace_sites_get(fuk_range(test, 0, 99, 1));
	KUNIT_EXPECT_EQ(test, fuk_set(w, &a, f, NULL), 0);
	KUNIT_EXPECT_EQ(test, w->runs, 6U);
	KUNIT_EXPECT_EQ(test, fuk_count(w, FUK_CALLER), 100U);
	KUNIT_EXPECT_EQ(test, fuk_count(w, FUK_REGS_CALLER), 100U);

	KUNIT_EXPECT_EQ(test, fuk_unreg(w, &a), 0);
	KUNIT_EXPECT_EQ(test, fuk_unreg(w, &b), 0);
	KUNIT_EXPECT_EQ(test, fuk_unreg(w, &d), 0);
	KUNIT_EXPECT_EQ(test, fuk_count(w, 0), FUK_SITES);
	KUNIT_EXPECT_EQ(test, fuk_check(w), 0U);
	KUNIT_EXPECT_EQ(test, w->stale + w->unsorted, 0U);
	ftrace_sites_put(a.filter);
}

static void fuk_test_quarantine(struct kunit *test)
{
	struct fuk_world *w = fuk_new(test);
	struct ftrace_acct_ops all = { .filter = FTRACE_SITES_ALL_SET };
	struct ftrace_acct_ops one = { .filter = fuk_range(test, 7, 7, 1) };
	struct ftrace_acct_ops two = { .filter = fuk_range(test, 7, 8, 1) };
	struct ftrace_acct_ops late = {
		.filter = fuk_range(test, 450, 450, 1),
	};
	struct ftrace_quarantined *q;
	u8 nop[MCOUNT_INSN_SIZE];

	__set_bit(7, w->foreign);
	KUNIT_EXPECT_EQ(test, fuk_reg(w, &all), 0);
	KUNIT_EXPECT_EQ(test, fuk_count(w, FUK_CALLER), FUK_SITES - 1);
	KUNIT_EXPECT_EQ(test, w->text[7], 0UL);
	KUNIT_EXPECT_EQ(test, w->state[7], FTRACE_ACCT_QUARANTINE);
	KUNIT_EXPECT_EQ(test, w->r.nr_quarantined, 1U);

	q = list_first_entry_or_null(&w->r.quarantine,
				     struct ftrace_quarantined, list);
	KUNIT_ASSERT_NOT_NULL(test, q);
	fuk_bytes(nop, fuk_ip(7), 0);
	KUNIT_EXPECT_EQ(test, q->ip, fuk_ip(7));
	KUNIT_EXPECT_EQ(test, q->err, -EINVAL);
	KUNIT_EXPECT_MEMEQ(test, q->expected, nop, MCOUNT_INSN_SIZE);
	KUNIT_EXPECT_EQ(test, q->found[0], 0xe9);

	/* An ops on that site alone is refused; with another site, not */
	KUNIT_EXPECT_EQ(test, fuk_reg(w, &one), -EBUSY);
	KUNIT_EXPECT_EQ(test, fuk_reg(w, &two), 0);
	KUNIT_EXPECT_EQ(test, w->state[8], 2U);

	/* Refused by its own plan: quarantined, and not registered */
	KUNIT_EXPECT_EQ(test, fuk_unreg(w, &all), 0);
	__set_bit(450, w->foreign);
	KUNIT_EXPECT_EQ(test, fuk_reg(w, &late), -EBUSY);
	KUNIT_EXPECT_EQ(test, w->r.nr_quarantined, 2U);
	KUNIT_EXPECT_EQ(test, w->state[450], FTRACE_ACCT_QUARANTINE);
	KUNIT_EXPECT_EQ(test, fuk_unreg(w, &late), -EINVAL);
	KUNIT_EXPECT_EQ(test, fuk_reg(w, &late), -EBUSY);

	KUNIT_EXPECT_EQ(test, fuk_unreg(w, &two), 0);
	KUNIT_EXPECT_EQ(test, fuk_count(w, 0), FUK_SITES);
	KUNIT_EXPECT_EQ(test, w->q_written, 0U);
	KUNIT_EXPECT_EQ(test, fuk_check(w), 0U);
	KUNIT_EXPECT_EQ(test, w->stale + w->unsorted, 0U);
}

static void fuk_test_engine_fail(struct kunit *test)
{
	struct fuk_world *w = fuk_new(test);
	struct ftrace_acct_ops a = { .filter = fuk_range(test, 10, 99, 1) };
	struct ftrace_sites *other = fuk_range(test, 300, 499, 2);
	u32 *state = kunit_kmalloc(test, sizeof(w->state), GFP_KERNEL);
	unsigned long *text = kunit_kmalloc(test, sizeof(w->text), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, state);
	KUNIT_ASSERT_NOT_NULL(test, text);
	w->fail_next = -ENOMEM;
	KUNIT_EXPECT_EQ(test, fuk_reg(w, &a), -ENOMEM);
	KUNIT_EXPECT_EQ(test, fuk_count(w, 0), FUK_SITES);
	KUNIT_EXPECT_EQ(test, fuk_unreg(w, &a), -EINVAL);
	KUNIT_EXPECT_EQ(test, fuk_check(w), 0U);

	KUNIT_ASSERT_EQ(test, fuk_reg(w, &a), 0);
	memcpy(state, w->state, sizeof(w->state));
	memcpy(text, w->text, sizeof(w->text));

	w->fail_next = -EIO;
	KUNIT_EXPECT_EQ(test, fuk_set(w, &a, other, NULL), -EIO);
	KUNIT_EXPECT_PTR_EQ(test, a.filter, w->r.slot[0]->filter);
	KUNIT_EXPECT_EQ(test, a.filter->nr, 90U);
	w->fail_next = -EIO;
	KUNIT_EXPECT_EQ(test, fuk_unreg(w, &a), -EIO);
	KUNIT_EXPECT_MEMEQ(test, state, w->state, sizeof(w->state));
	KUNIT_EXPECT_MEMEQ(test, text, w->text, sizeof(w->text));
	KUNIT_EXPECT_EQ(test, fuk_check(w), 0U);

	KUNIT_EXPECT_EQ(test, fuk_unreg(w, &a), 0);
	KUNIT_EXPECT_EQ(test, fuk_count(w, 0), FUK_SITES);
}

static void fuk_test_redirect(struct kunit *test)
{
	struct fuk_world *w = fuk_new(test);
	struct ftrace_acct_ops d = {
		.filter = fuk_range(test, 20, 29, 1),
		.flags = FTRACE_OPS_FL_DIRECT,
		.direct = FUK_DIRECT(1),
	};
	struct ftrace_acct_ops t = { .filter = fuk_range(test, 25, 34, 1) };
	struct ftrace_acct_ops gone = d;
	u32 *state = kunit_kmalloc(test, sizeof(w->state), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, state);
	KUNIT_ASSERT_EQ(test, fuk_reg(w, &d), 0);
	KUNIT_ASSERT_EQ(test, fuk_reg(w, &t), 0);
	KUNIT_EXPECT_EQ(test, fuk_count(w, FUK_DIRECT(1)), 5U);
	KUNIT_EXPECT_EQ(test, fuk_count(w, FUK_CALLER), 10U);
	memcpy(state, w->state, sizeof(w->state));

	/* its five sites alone move, in one plan; no state changes */
	KUNIT_EXPECT_EQ(test, fuk_redirect(w, &d, FUK_DIRECT(2)), 0);
	KUNIT_EXPECT_EQ(test, w->runs, 3U);
	KUNIT_EXPECT_EQ(test, d.direct, FUK_DIRECT(2));
	KUNIT_EXPECT_EQ(test, fuk_count(w, FUK_DIRECT(2)), 5U);
	KUNIT_EXPECT_EQ(test, fuk_count(w, FUK_DIRECT(1)), 0U);
	KUNIT_EXPECT_EQ(test, fuk_count(w, FUK_CALLER), 10U);
	KUNIT_EXPECT_MEMEQ(test, state, w->state, sizeof(w->state));
	KUNIT_EXPECT_EQ(test, fuk_wrong_text(w), 0U);

	/* the same address: nothing to write */
	KUNIT_EXPECT_EQ(test, fuk_redirect(w, &d, FUK_DIRECT(2)), 0);
	KUNIT_EXPECT_EQ(test, w->runs, 3U);

	/* bad requests: not direct, not registered, no address */
	KUNIT_EXPECT_EQ(test, fuk_redirect(w, &t, FUK_DIRECT(3)), -EINVAL);
	KUNIT_EXPECT_EQ(test, fuk_redirect(w, &gone, FUK_DIRECT(3)), -EINVAL);
	KUNIT_EXPECT_EQ(test, fuk_redirect(w, &d, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, d.direct, FUK_DIRECT(2));

	/* a whole failure keeps the old address and text */
	w->fail_next = -EIO;
	KUNIT_EXPECT_EQ(test, fuk_redirect(w, &d, FUK_DIRECT(3)), -EIO);
	KUNIT_EXPECT_EQ(test, d.direct, FUK_DIRECT(2));
	KUNIT_EXPECT_EQ(test, fuk_count(w, FUK_DIRECT(2)), 5U);
	KUNIT_EXPECT_EQ(test, fuk_wrong_text(w), 0U);

	/* a foreign site is quarantined; it did not call a caller */
	set_bit(21, w->foreign);
	KUNIT_EXPECT_EQ(test, fuk_redirect(w, &d, FUK_DIRECT(1)), 0);
	KUNIT_EXPECT_EQ(test, fuk_count(w, FUK_DIRECT(1)), 4U);
	KUNIT_EXPECT_EQ(test, w->state[21], FTRACE_ACCT_QUARANTINE);
	KUNIT_EXPECT_EQ(test, w->r.nr_quarantined, 1U);
	KUNIT_EXPECT_EQ(test, w->r.nr_calling, 0U);
	KUNIT_EXPECT_EQ(test, fuk_wrong_text(w), 0U);

	/*
	 * A site refused while it still calls the old address: the move
	 * fails, the sites that moved go back (a second run), none is
	 * quarantined; once it can be written the move goes through.
	 */
	set_bit(22, w->unmappable);
	KUNIT_EXPECT_EQ(test, fuk_redirect(w, &d, FUK_DIRECT(3)), -EFAULT);
	KUNIT_EXPECT_EQ(test, w->runs, 6U);
	KUNIT_EXPECT_EQ(test, d.direct, FUK_DIRECT(1));
	KUNIT_EXPECT_EQ(test, fuk_count(w, FUK_DIRECT(1)), 4U);
	KUNIT_EXPECT_EQ(test, fuk_count(w, FUK_DIRECT(3)), 0U);
	KUNIT_EXPECT_EQ(test, w->r.nr_quarantined, 1U);
	KUNIT_EXPECT_EQ(test, fuk_wrong_text(w), 0U);
	clear_bit(22, w->unmappable);
	KUNIT_EXPECT_EQ(test, fuk_redirect(w, &d, FUK_DIRECT(3)), 0);
	KUNIT_EXPECT_EQ(test, fuk_count(w, FUK_DIRECT(3)), 4U);

	KUNIT_EXPECT_EQ(test, fuk_unreg(w, &t), 0);
	KUNIT_EXPECT_EQ(test, fuk_unreg(w, &d), 0);
	KUNIT_EXPECT_EQ(test, fuk_check(w), 0U);
	KUNIT_EXPECT_EQ(test, w->stale + w->unsorted + w->q_written, 0U);
}

/* ---- random changes ----------------------------------------------------- */

struct fuk_rand {
	struct rnd_state rnd;
	struct ftrace_acct_ops o[FUK_SLOTS];
	bool live[FUK_SLOTS];
	unsigned long buf[FUK_SITES];
	unsigned int busy, failed, turned;
};

static u32 fuk_below(struct fuk_rand *r, u32 n)
{
	return prandom_u32_state(&r->rnd) % n;
}

/* ALL a fifth of the time for a filter, NONE a tenth, else SOME */
static struct ftrace_sites *fuk_rand_set(struct kunit *test,
					 struct fuk_rand *r, bool filter)
{
	unsigned int roll = fuk_below(r, 10), k, i;
	struct ftrace_sites *s;

	if (filter && roll < 2)
		return FTRACE_SITES_ALL_SET;
	if (roll < (filter ? 3U : 6U))
		return FTRACE_SITES_NONE_SET;
	k = 1 + fuk_below(r, 1U << fuk_below(r, 9));
	for (i = 0; i < k; i++)
		r->buf[i] = fuk_ip(fuk_below(r, FUK_SITES));
	s = ftrace_sites_from(r->buf, k, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	return s;
}

static void fuk_rand_release(void *p)
{
	struct fuk_rand *r = p;
	unsigned int i;

	for (i = 0; i < FUK_SLOTS; i++) {
		ftrace_sites_put(r->o[i].filter);
		ftrace_sites_put(r->o[i].notrace_sites);
	}
}

static void fuk_step(struct kunit *test, struct fuk_world *w,
		     struct fuk_rand *r, unsigned int i)
{
	struct ftrace_acct_ops *o = &r->o[i];
	struct ftrace_sites *f, *n;
	int ret;

	if (!fuk_below(r, 40))
		w->fail_next = -ENOMEM;
	if (!r->live[i]) {
		ftrace_sites_put(o->filter);
		ftrace_sites_put(o->notrace_sites);
		o->filter = fuk_rand_set(test, r, true);
		o->notrace_sites = fuk_rand_set(test, r, false);
		o->flags = fuk_below(r, 3) ? 0 : FTRACE_OPS_FL_SAVE_REGS;
		o->tramp = fuk_below(r, 3) ? 0 : FUK_TRAMP(i);
		if (!fuk_below(r, 5)) {
			o->flags |= FTRACE_OPS_FL_DIRECT;
			o->direct = FUK_DIRECT(i);
		}
		ret = fuk_reg(w, o);
		r->live[i] = !ret;
		r->busy += ret == -EBUSY;
	} else if (fuk_below(r, 2)) {
		ret = fuk_unreg(w, o);
		r->live[i] = !!ret;
	} else {
		f = fuk_rand_set(test, r, true);
		n = fuk_rand_set(test, r, false);
		ret = fuk_set(w, o, f, n);
		if (ret) {
			ftrace_sites_put(f);
			ftrace_sites_put(n);
		}
	}
	if (ret == -ENOMEM)
		r->failed++;
	KUNIT_EXPECT_TRUE(test, !ret || ret == -EBUSY || ret == -ENOMEM);
	w->fail_next = 0;
}

static void fuk_test_random(struct kunit *test)
{
	struct fuk_world *w = fuk_new(test);
	unsigned int act, i, s, bad = 0, wrong = 0, seen = 0, left = 0;
	struct fuk_rand *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, fuk_rand_release,
							r), 0);
	prandom_seed_state(&r->rnd, FUK_SEED);

	for (act = 0; act < FUK_ACTIONS && !bad && !wrong; act++) {
		if (!fuk_below(r, 200)) {
			s = fuk_below(r, FUK_SITES);
			r->turned += !__test_and_set_bit(s, w->foreign);
		}
		fuk_step(test, w, r, fuk_below(r, FUK_SLOTS));
		bad = fuk_check(w);
		wrong = fuk_wrong_text(w);
	}
	KUNIT_EXPECT_EQ_MSG(test, bad, 0U, "wrong states after action %u", act);
	KUNIT_EXPECT_EQ_MSG(test, wrong, 0U, "wrong text after action %u", act);

	for (i = 0; i < FUK_SLOTS; i++) {
		if (r->live[i])
			KUNIT_EXPECT_EQ(test, fuk_unreg(w, &r->o[i]),
					0);
	}
	/* Every site back to 0 and the NOP, but the quarantined (foreign) */
	for (i = 0; i < FUK_SITES; i++) {
		if (w->state[i] & FTRACE_ACCT_QUARANTINE) {
			seen++;
			left += !test_bit(i, w->foreign);
		} else {
			left += w->state[i] || w->text[i];
		}
	}
	KUNIT_EXPECT_EQ(test, left, 0U);
	KUNIT_EXPECT_EQ(test, seen, w->r.nr_quarantined);
	KUNIT_EXPECT_EQ(test, w->q_written, 0U);
	KUNIT_EXPECT_EQ(test, w->stale, 0U);
	KUNIT_EXPECT_EQ(test, w->unsorted, 0U);
	kunit_info(test, "%u actions, %u plans, %lu site changes, %u sites turned foreign, %u quarantined, %u refused as only quarantined, %u whole failures\n",
		   act, w->runs, w->r.changes, r->turned, w->r.nr_quarantined,
		   r->busy, r->failed);
}

static struct kunit_case fuk_cases[] = {
	KUNIT_CASE(fuk_test_targets),
	KUNIT_CASE(fuk_test_quarantine),
	KUNIT_CASE(fuk_test_redirect),
	KUNIT_CASE(fuk_test_engine_fail),
	KUNIT_CASE_SLOW(fuk_test_random),
	{}
};

static struct kunit_suite fuk_suite = {
	.name = "ftrace_update",
	.test_cases = fuk_cases,
};

kunit_test_suite(fuk_suite);
