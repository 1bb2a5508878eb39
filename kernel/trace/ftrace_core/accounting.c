// SPDX-License-Identifier: GPL-2.0
/*
 * Accounting: each ftrace site's state, derived from the registered ops.
 *
 * A site's state (a u32, FTRACE_ACCT_* in internal.h) says how many ops
 * cover the site and what they need of it:
 *
 *   COUNT     how many registered ops cover it
 *   REGS      one of them has FTRACE_OPS_FL_SAVE_REGS
 *   IPMODIFY  one of them has FTRACE_OPS_FL_IPMODIFY
 *   DIRECT    one of them has FTRACE_OPS_FL_DIRECT
 *   TRAMP     exactly one ops covers it, and that ops has a trampoline
 *
 * A quarantined site (QUARANTINE alone, set by update.c when the engine
 * refused it) is left out: no update or check changes its state.
 *
 * An ops covers a site when its filter holds the site and its notrace set
 * does not; a NONE filter covers nothing (never "empty means all").
 *
 * The state is a pure function of the registered ops (their sets, flags
 * and trampolines): ftrace_acct_compute() computes it from scratch.  The
 * per-site array of a chunk is only a cache of that function, so that the
 * patching code need not look at every ops for every site.
 *
 * Keeping the cache: when one ops changes (registered, unregistered, or
 * given another filter, notrace set, flags or trampoline),
 * ftrace_acct_update() visits only the sites whose state can change: those
 * the ops covers before and not after or the reverse, and when what it
 * asks of a site changes (flags, trampoline), the sites it covers before
 * or after.  Those sites lie in the union of the old and new filters (or,
 * when only the notrace set changed, of the old and new notrace sets): the
 * candidates are found by merging two sorted address arrays and looking
 * each address up in the chunk, unless a set is ALL, in which case every
 * site of the chunk is a candidate.
 *
 * Checking the cache: ftrace_acct_check() recomputes every site from
 * scratch, reports each difference and may repair it.  A wrong state is
 * a bug to report and repair, never a reason to stop ftrace: nothing here
 * BUG()s or WARN()s, and an update that finds a count about to go below
 * zero or past FTRACE_ACCT_COUNT stores the recomputed state instead of a
 * wrapped one and tells its caller (-ERANGE), which may then check.
 *
 * Invariants (between updates, if every change was passed to an update):
 * for every site i of a chunk, state[i] == ftrace_acct_compute(ip[i],
 * registered ops); a site no ops covers has state 0; TRAMP implies a
 * count of 1; the count saturates at FTRACE_ACCT_COUNT and never wraps.
 *
 * ftrace_reg_check() runs the check over every chunk of a registry.
 *
 * Locking: none here.  The caller serializes every update and check of a
 * chunk (under ftrace_lock) and keeps the ops' sets alive while it runs;
 * sets are immutable and read lock-free (see sites.c).  States are stored
 * with WRITE_ONCE(), so that a lockless reader sees a whole state, old or
 * new.  Nothing here sleeps or allocates.
 *
 * Cost (n sites in the chunk, m registered ops, k addresses in the sets
 * that bound the candidates, s the size of the largest set):
 *   ftrace_acct_covers()   O(log s)
 *   ftrace_acct_compute()  O(m log s)
 *   ftrace_acct_update()   O(k log n) to find the candidates when no set
 *                          bounding them is ALL, else O(k log n) plus
 *                          the sites whose coverage changes; plus
 *                          O(m log s) per candidate, O(1) when the
 *                          changing ops is the only one registered
 *   ftrace_acct_check()    O(n m log s)
 *
 * The core never traces itself: every function here is notrace.
 */
#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/ftrace.h>
#include <linux/limits.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/sprintf.h>
#include <linux/types.h>

#include "internal.h"

/* A run of consecutive sites that went from @was to @now. */
struct acct_run {
	unsigned int first, n;
	u32 was, now;
};

/* One update: what changed, where the states are, whom to tell. */
struct acct_walk {
	struct ftrace_acct_chunk *c;
	const struct ftrace_acct_ops *before;
	const struct ftrace_acct_ops *after;
	const struct ftrace_acct_ops *const *ops;
	unsigned int nops;
	bool asks;		/* flags or trampoline differ */
	void (*changed)(void *data, unsigned int site, unsigned int n,
			u32 was);
	void *data;
	struct acct_run run;	/* changed sites not told yet */
	unsigned int nr_changed;
	bool range;		/* a count would have wrapped */
	bool alone;		/* no ops but @after is registered */
	u32 alone_state;	/* then a site @after covers has this state */
};

static notrace const struct ftrace_sites *
acct_set(const struct ftrace_sites *s)
{
	return s ? s : FTRACE_SITES_NONE_SET;
}

/* Addresses a set contributes to a merge: none unless it is SOME. */
static notrace unsigned int acct_nr(const struct ftrace_sites *s)
{
	return s->kind == FTRACE_SITES_SOME ? s->nr : 0;
}

/* What an ops's flags and trampoline give a site, TRAMP aside. */
static notrace u32 acct_flag_bits(unsigned long flags)
{
	u32 bits = 0;

	if (flags & FTRACE_OPS_FL_SAVE_REGS)
		bits |= FTRACE_ACCT_REGS;
	if (flags & FTRACE_OPS_FL_IPMODIFY)
		bits |= FTRACE_ACCT_IPMODIFY;
	if (flags & FTRACE_OPS_FL_DIRECT)
		bits |= FTRACE_ACCT_DIRECT;
	return bits;
}

/**
 * ftrace_acct_compute() - a site's state, from scratch
 * @ip: the site's address
 * @ops: the registered ops; NULL entries are skipped
 * @nops: how many entries @ops has
 *
 * The count of the ops covering @ip (saturating at FTRACE_ACCT_COUNT),
 * REGS, IPMODIFY and DIRECT if one of them asks for it, TRAMP if exactly
 * one covers @ip and it has a trampoline.  O(nops log s).
 *
 * Context: any context; lock-free.
 * Return: the state; 0 if no ops covers @ip.
 */
notrace u32 ftrace_acct_compute(unsigned long ip,
				const struct ftrace_acct_ops *const *ops,
				unsigned int nops)
{
	const struct ftrace_acct_ops *o, *last = NULL;
	u32 count = 0, bits = 0;
	unsigned int i;

	for (i = 0; i < nops; i++) {
		o = ops[i];
		if (!ftrace_acct_covers(o, ip))
			continue;
		if (count < FTRACE_ACCT_COUNT)
			count++;
		bits |= acct_flag_bits(o->flags);
		last = o;
	}
	if (count == 1 && last->tramp)
		bits |= FTRACE_ACCT_TRAMP;
	return bits | count;
}

/* Tell of the run of changed sites kept so far, if any. */
static notrace void acct_tell(struct acct_walk *w)
{
	if (w->run.n && w->changed)
		w->changed(w->data, w->run.first, w->run.n, w->run.was);
	w->run.n = 0;
}

/*
 * Site @site went from @was to @now: tell of it with the sites before it
 * that made the same move, in one call (a switch of every site is one
 * run per chunk, not 22,000 calls).
 */
static __always_inline void acct_changed(struct acct_walk *w,
					 unsigned int site, u32 was, u32 now)
{
	if (w->run.n && site == w->run.first + w->run.n &&
	    was == w->run.was && now == w->run.now) {
		w->run.n++;
		return;
	}
	acct_tell(w);
	w->run.first = site;
	w->run.n = 1;
	w->run.was = was;
	w->run.now = now;
}

/*
 * One candidate site, which @before covers if @was_in and @after if
 * @is_in: recompute it if the change can touch it, store and report the
 * new state if it differs.  The count the cache would reach by one step
 * is only checked for wrapping: what is stored is recomputed.
 */
static __always_inline void acct_visit_known(struct acct_walk *w,
					     unsigned int site, bool was_in,
					     bool is_in)
{
	u32 was, want, count;

	if (was_in == is_in && !(was_in && w->asks))
		return;

	was = w->c->state[site];
	if (was & FTRACE_ACCT_QUARANTINE)
		return;
	count = was & FTRACE_ACCT_COUNT;
	if ((is_in && !was_in && count == FTRACE_ACCT_COUNT) ||
	    (was_in && !is_in && !count))
		w->range = true;

	if (w->alone)
		want = is_in ? w->alone_state : 0;
	else
		want = ftrace_acct_compute(w->c->ip[site], w->ops, w->nops);
	if (want == was)
		return;
	WRITE_ONCE(w->c->state[site], want);
	w->nr_changed++;
	acct_changed(w, site, was, want);
}

/*
 * acct_visit_known() for the sites @lo to @hi, all covered alike, when
 * @after is alone: their new state is one, so each site costs a load, a
 * compare and, if it changed, a store, with the run kept in registers.
 */
static __always_inline void acct_visit_alone(struct acct_walk *w,
					     unsigned int lo, unsigned int hi,
					     bool was_in, bool is_in)
{
	u32 *state = w->c->state, want = is_in ? w->alone_state : 0;
	bool up = is_in && !was_in, down = was_in && !is_in;
	struct acct_run run = w->run;
	unsigned int i, changed = 0;
	u32 was, count;

	for (i = lo; i < hi; i++) {
		was = state[i];
		if (was & FTRACE_ACCT_QUARANTINE)
			continue;
		count = was & FTRACE_ACCT_COUNT;
		if (unlikely((up && count == FTRACE_ACCT_COUNT) ||
			     (down && !count)))
			w->range = true;
		if (was == want)
			continue;
		WRITE_ONCE(state[i], want);
		changed++;
		if (run.n && i == run.first + run.n && was == run.was &&
		    want == run.now) {
			run.n++;
			continue;
		}
		w->run = run;
		acct_tell(w);
		run = (struct acct_run){ .first = i, .n = 1, .was = was,
					 .now = want };
	}
	w->run = run;
	w->nr_changed += changed;
}

/* One candidate site, looked up in both ops' sets. */
static notrace void acct_visit(struct acct_walk *w, unsigned int site)
{
	unsigned long ip = w->c->ip[site];

	acct_visit_known(w, site, ftrace_acct_covers(w->before, ip),
			 ftrace_acct_covers(w->after, ip));
}

/**
 * ftrace_acct_only() - is @o the only ops registered, once (or, for a NULL
 * @o, none at all)?
 * @ops: the registered ops; NULL entries are skipped
 * @nops: how many entries @ops has
 * @o: the ops, or NULL
 *
 * Then a site's state is a function of whether @o covers it: what
 * ftrace_acct_compute() gives is the same at every site @o covers, and
 * 0 elsewhere.  The update (a tracer switch visits every site) and
 * update.c's plan (the target of each state) both lean on it.
 *
 * Context: any context.
 * Return: true if so.
 */
notrace bool ftrace_acct_only(const struct ftrace_acct_ops *const *ops,
			      unsigned int nops,
			      const struct ftrace_acct_ops *o)
{
	unsigned int i, seen = 0;

	for (i = 0; i < nops; i++) {
		if (!ops[i])
			continue;
		if (ops[i] != o)
			return false;
		seen++;
	}
	return seen == (o ? 1 : 0);
}

/* With @after alone, the state of a site it covers: computed once. */
static notrace void acct_check_alone(struct acct_walk *w)
{
	if (!ftrace_acct_only(w->ops, w->nops, w->after))
		return;
	w->alone = true;
	if (w->after)
		w->alone_state = 1 | acct_flag_bits(w->after->flags) |
				 (w->after->tramp ? FTRACE_ACCT_TRAMP : 0);
}

/*
 * Whether a set holds each of a chunk's sites in turn: a cursor that only
 * moves forward as the sites ascend, so a walk costs O(s) over the set
 * instead of a search per site.  @next is the set's first address not
 * below the last site asked, ULONG_MAX past its end (and for a set of no
 * address: no site lies there); @all for an ALL set.
 */
struct acct_cursor {
	const unsigned long *p, *end;
	unsigned long next;
	bool all;
};

static notrace void acct_cursor_init(struct acct_cursor *k,
				     const struct ftrace_sites *s,
				     unsigned long first)
{
	unsigned int nr = acct_nr(s);

	k->all = ftrace_sites_is_all(s);
	k->p = s->ip + ftrace_ips_lower(s->ip, 0, nr, first);
	k->end = s->ip + nr;
	k->next = k->p < k->end ? *k->p : ULONG_MAX;
}

/* Does the set of @k hold @ip, @ip not below the last one asked? */
static __always_inline bool acct_cursor_has(struct acct_cursor *k,
					    unsigned long ip)
{
	while (unlikely(k->next < ip))
		k->next = ++k->p < k->end ? *k->p : ULONG_MAX;
	return k->all || k->next == ip;
}

/* ftrace_acct_covers() for ascending addresses: a cursor per set */
struct acct_cover {
	struct acct_cursor filter, skip;
};

static notrace void acct_cover_init(struct acct_cover *k,
				    const struct ftrace_acct_ops *o,
				    unsigned long first)
{
	acct_cursor_init(&k->filter, acct_set(o ? o->filter : NULL), first);
	acct_cursor_init(&k->skip, acct_set(o ? o->notrace_sites : NULL),
			 first);
}

static __always_inline bool acct_covers_next(struct acct_cover *k,
					     unsigned long ip)
{
	return acct_cursor_has(&k->filter, ip) &&
	       !acct_cursor_has(&k->skip, ip);
}

/* Does @k cover a site that none of its sets names? */
static __always_inline bool acct_covers_unnamed(const struct acct_cover *k)
{
	return k->filter.all && !k->skip.all;
}

/* The first address not below @ip that a set of @k names, or ULONG_MAX. */
static __always_inline unsigned long acct_cover_next(struct acct_cover *k,
						     unsigned long ip)
{
	acct_cursor_has(&k->filter, ip);
	acct_cursor_has(&k->skip, ip);
	return min(k->filter.next, k->skip.next);
}

/*
 * Every site of the chunk is a candidate.  O(k log n + changed sites)
 * for the k addresses the four sets name: whether @before and @after
 * cover a site changes only at those, so between two of them every site
 * is covered alike (as the ALL and NONE sets say), and such a stretch is
 * either passed over whole or visited without asking any set.
 */
static notrace void acct_walk_all(struct acct_walk *w)
{
	const unsigned long *ip = w->c->ip;
	unsigned int i = 0, next, nr = w->c->nr;
	struct acct_cover b, a;
	bool was_in, is_in, stretch;
	unsigned long named;

	acct_cover_init(&b, w->before, ip[0]);
	acct_cover_init(&a, w->after, ip[0]);
	was_in = acct_covers_unnamed(&b);
	is_in = acct_covers_unnamed(&a);
	stretch = was_in != is_in || (was_in && w->asks);
	while (i < nr) {
		named = min(acct_cover_next(&b, ip[i]),
			    acct_cover_next(&a, ip[i]));
		next = named == ULONG_MAX ? nr :
		       ftrace_ips_lower(ip, i, nr, named);
		if (stretch && w->alone)
			acct_visit_alone(w, i, next, was_in, is_in);
		else if (stretch)
			for (; i < next; i++)
				acct_visit_known(w, i, was_in, is_in);
		i = next;
		if (i < nr && ip[i] == named) {
			acct_visit_known(w, i, acct_covers_next(&b, named),
					 acct_covers_next(&a, named));
			i++;
		}
	}
}

/* The first site at or after @lo whose address is not below @ip. */
static notrace unsigned int acct_lower(const struct ftrace_acct_chunk *c,
				       unsigned int lo, unsigned long ip)
{
	return ftrace_ips_lower(c->ip, lo, c->nr, ip);
}

/*
 * The candidates are the sites of the chunk among the addresses of @a and
 * @b (NONE or SOME sets): merge them in ascending order, each address
 * once, and look each up in the chunk, from where the last one was found.
 * Addresses outside the chunk are skipped.  O(k log n).
 */
static notrace void acct_walk_merge(struct acct_walk *w,
				    const struct ftrace_sites *a,
				    const struct ftrace_sites *b)
{
	unsigned int i = 0, j = 0, na = acct_nr(a), nb = acct_nr(b);
	unsigned int site = 0;
	unsigned long ip;

	while (i < na || j < nb) {
		if (j == nb || (i < na && a->ip[i] < b->ip[j])) {
			ip = a->ip[i++];
		} else if (i == na || b->ip[j] < a->ip[i]) {
			ip = b->ip[j++];
		} else {
			ip = a->ip[i++];
			j++;
		}
		site = acct_lower(w->c, site, ip);
		if (site == w->c->nr)
			break;	/* every address left is past the chunk */
		if (w->c->ip[site] == ip)
			acct_visit(w, site);
	}
}

/* What a walk over the addresses of @a and @b costs, in sites. */
static notrace unsigned long acct_cost(const struct ftrace_acct_chunk *c,
				       const struct ftrace_sites *a,
				       const struct ftrace_sites *b)
{
	if (ftrace_sites_is_all(a) || ftrace_sites_is_all(b))
		return c->nr;
	return (unsigned long)acct_nr(a) + acct_nr(b);
}

/**
 * ftrace_acct_update() - update a chunk's states after one ops changed
 * @c: the chunk
 * @before: the ops as it was (a copy, holding its old sets), or NULL if it
 *          is being registered
 * @after: the ops as it is now, or NULL if it is being unregistered
 * @ops: every registered ops after the change (with @after, without an
 *       unregistered one); NULL entries are skipped
 * @nops: how many entries @ops has
 * @changed: called for the sites whose states changed, in ascending
 *           order, once per run of consecutive sites that went from the
 *           same state to the same state: with the first one's index in
 *           @c, how many, and their state before (their state now is
 *           in @c); may be NULL
 * @data: passed to @changed
 *
 * Only the sites whose state can change are visited: those one of @before
 * and @after covers and the other does not, and, when their SAVE_REGS,
 * IPMODIFY or DIRECT flags or their trampolines differ, those either
 * covers.  Each is recomputed from @ops, so that its state equals
 * ftrace_acct_compute()'s.  The candidates come from the union of the two
 * filters (of the two notrace sets, if only those changed and that is
 * cheaper): O(k log n) for k addresses, also if a set is ALL (then the
 * candidates between two addresses are all or none of the sites there),
 * plus O(nops log s) per candidate (O(1) if @after is the only ops in
 * @ops).  Addresses outside @c are ignored.
 *
 * A state the cache had wrong is not wrapped: if a candidate's count would
 * have gone below zero or past FTRACE_ACCT_COUNT, the site gets its
 * recomputed state all the same, and the update goes on with the other
 * sites before returning -ERANGE.
 *
 * Context: any context; does not sleep.  The caller serializes the
 * updates and checks of @c (ftrace_lock) and keeps the sets alive.
 * Return: the number of sites whose state changed, or -ERANGE if a count
 * would have wrapped (@c is then up to date all the same).
 */
notrace int ftrace_acct_update(struct ftrace_acct_chunk *c,
			       const struct ftrace_acct_ops *before,
			       const struct ftrace_acct_ops *after,
			       const struct ftrace_acct_ops *const *ops,
			       unsigned int nops,
			       void (*changed)(void *data, unsigned int site,
					       unsigned int n, u32 was),
			       void *data)
{
	struct acct_walk w = {
		.c = c, .before = before, .after = after,
		.ops = ops, .nops = nops,
		.changed = changed, .data = data,
	};
	const struct ftrace_sites *fa, *fb, *na, *nb;

	if (!c->nr || (!before && !after))
		return 0;

	fb = acct_set(before ? before->filter : NULL);
	fa = acct_set(after ? after->filter : NULL);
	if (before && after) {
		nb = acct_set(before->notrace_sites);
		na = acct_set(after->notrace_sites);
		w.asks = before->tramp != after->tramp ||
			 acct_flag_bits(before->flags) !=
			 acct_flag_bits(after->flags);
		/*
		 * Same filter, same needs: a site can only change where the
		 * notrace sets disagree, so those bound the candidates as
		 * well: walk whichever pair of sets is cheaper.
		 */
		if (!w.asks && ftrace_sites_equal(fb, fa)) {
			if (ftrace_sites_equal(nb, na))
				return 0;
			if (acct_cost(c, nb, na) < acct_cost(c, fb, fa)) {
				fb = nb;
				fa = na;
			}
		}
	}

	acct_check_alone(&w);
	if (ftrace_sites_is_all(fb) || ftrace_sites_is_all(fa))
		acct_walk_all(&w);
	else
		acct_walk_merge(&w, fb, fa);
	acct_tell(&w);

	if (w.range)
		return -ERANGE;
	return min_t(unsigned int, w.nr_changed, INT_MAX);
}

/**
 * ftrace_acct_check() - recompute every state of a chunk and compare
 * @c: the chunk
 * @ops: every registered ops; NULL entries are skipped
 * @nops: how many entries @ops has
 * @repair: store the recomputed state of each site found wrong
 * @report: called for each site found wrong, with its index in @c, the
 *          state it has and the state it should have; may be NULL
 * @data: passed to @report
 *
 * Each site is recomputed with ftrace_acct_compute(), a quarantined one
 * skipped.  A wrong state is reported (and repaired if asked), never
 * fatal.  O(n nops log s).
 *
 * Context: any context; does not sleep.  The caller serializes the
 * updates and checks of @c (ftrace_lock) and keeps the sets alive.
 * Return: the number of sites whose state was wrong (0 if the cache is
 * exact).
 */
notrace unsigned int ftrace_acct_check(struct ftrace_acct_chunk *c,
				       const struct ftrace_acct_ops *const *ops,
				       unsigned int nops, bool repair,
				       void (*report)(void *data,
						      unsigned int site,
						      u32 have, u32 want),
				       void *data)
{
	unsigned int i, bad = 0;
	u32 have, want;

	for (i = 0; i < c->nr; i++) {
		have = c->state[i];
		if (have & FTRACE_ACCT_QUARANTINE)
			continue;
		want = ftrace_acct_compute(c->ip[i], ops, nops);
		if (have == want)
			continue;
		bad++;
		if (report)
			report(data, i, have, want);
		if (repair)
			WRITE_ONCE(c->state[i], want);
	}
	return bad;
}

/**
 * ftrace_acct_state_str() - a state as the checkers print it
 * @buf: receives "count/RIDT", a '-' for each flag not set
 * @len: room in @buf
 * @st: the state
 */
notrace void ftrace_acct_state_str(char *buf, size_t len, u32 st)
{
	snprintf(buf, len, "%u/%c%c%c%c", (u32)(st & FTRACE_ACCT_COUNT),
		 st & FTRACE_ACCT_REGS ? 'R' : '-',
		 st & FTRACE_ACCT_IPMODIFY ? 'I' : '-',
		 st & FTRACE_ACCT_DIRECT ? 'D' : '-',
		 st & FTRACE_ACCT_TRAMP ? 'T' : '-');
}

/* ftrace_reg_check() over a registry's chunks, its report told the chunk */
struct acct_reg_check {
	void (*report)(void *data, struct ftrace_chunk *c, unsigned int site,
		       u32 have, u32 want);
	void *data;
	struct ftrace_chunk *c;
};

static notrace void acct_reg_report(void *data, unsigned int site,
				    u32 have, u32 want)
{
	struct acct_reg_check *k = data;

	k->report(k->data, k->c, site, have, want);
}

/**
 * ftrace_reg_check() - recompute every state from the registered ops
 * @r: the registry
 * @repair: store the recomputed state of a site found wrong
 * @report: told of each site found wrong (chunk, index, have, want); may
 *          be NULL
 * @data: passed to @report
 *
 * Quarantined sites are left out (accounting.c).
 *
 * Context: r->lock held.
 * Return: how many states were wrong.
 */
notrace unsigned int ftrace_reg_check(struct ftrace_registry *r, bool repair,
				      void (*report)(void *data,
						     struct ftrace_chunk *c,
						     unsigned int site,
						     u32 have, u32 want),
				      void *data)
{
	struct acct_reg_check k = { .report = report, .data = data };
	struct ftrace_acct_chunk ac;
	unsigned int bad = 0;

	lockdep_assert_held(r->lock);
	for (k.c = r->next(r, NULL); k.c; k.c = r->next(r, k.c)) {
		ac.ip = k.c->ip;
		ac.state = k.c->state;
		ac.nr = k.c->nr;
		bad += ftrace_acct_check(&ac,
				(const struct ftrace_acct_ops *const *)r->slot,
				r->nslot, repair, report ? acct_reg_report : NULL,
				&k);
	}
	return bad;
}
