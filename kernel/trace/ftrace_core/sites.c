// SPDX-License-Identifier: GPL-2.0
/*
 * Site sets: which ftrace sites an ops (or a filter, or a notrace list)
 * covers.
 *
 * A set is one of three distinct kinds, never confused with one another:
 *
 *   NONE  no site at all: ftrace_sites_none_set, a static singleton
 *   ALL   every site, including those of modules not loaded yet:
 *         ftrace_sites_all_set, a static singleton
 *   SOME  the addresses in ->ip[], strictly ascending (sorted, no
 *         duplicate), at least one
 *
 * "Empty means all" is never used: an operation whose result holds no
 * address returns the NONE set.  A difference whose result would be the
 * complement of a finite set (ALL minus SOME) cannot be represented and
 * is refused with -EDOM; the caller decides what it means.
 *
 * Invariants: a set never changes once built.  Operations never consume
 * their inputs; each returns a new reference the caller owns (a reference
 * on one of the inputs when the result is exactly that input, so equal
 * sets are shared rather than copied).  References on the singletons are
 * no-ops and their counts never move.
 *
 * Locking: none of its own.  Since sets are immutable, any number of
 * readers may use one concurrently; ftrace_sites_has() takes no lock, and
 * may run in any context (the tracing fast path, preemption disabled, NMI).
 * Publishing a set is the caller's business: it replaces a pointer under
 * its own lock with rcu_assign_pointer(), and readers rcu_dereference() it
 * under RCU (or with preemption disabled).  The last ftrace_sites_put()
 * frees with kvfree_rcu(), so that such readers may finish first.
 *
 * Cost: merges (union, intersection, difference) are O(n + m); building
 * a set from an unsorted array is O(n log n); lookups are O(log n).
 *
 * The core never traces itself: every function here is notrace (what
 * they call besides, sort() and the allocator, is off the fast path).
 */
#include <linux/bits.h>
#include <linux/cache.h>
#include <linux/err.h>
#include <linux/overflow.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "internal.h"

struct ftrace_sites ftrace_sites_none_set __read_mostly = {
	.kind	= FTRACE_SITES_NONE,
	.ref	= REFCOUNT_INIT(1),
};

struct ftrace_sites ftrace_sites_all_set __read_mostly = {
	.kind	= FTRACE_SITES_ALL,
	.ref	= REFCOUNT_INIT(1),
};

/* What a merge of a and b keeps: addresses only in a, only in b, in both. */
#define SITES_A		BIT(0)
#define SITES_B		BIT(1)
#define SITES_AB	BIT(2)

#define SITES_UNION	(SITES_A | SITES_B | SITES_AB)
#define SITES_INTER	SITES_AB
#define SITES_MINUS	SITES_A

/* The ipvec's first capacity; it doubles from there. */
#define IPVEC_FIRST_CAP	16U

static notrace bool sites_is_static(const struct ftrace_sites *s)
{
	return s == FTRACE_SITES_NONE_SET || s == FTRACE_SITES_ALL_SET;
}

/* A SOME set with room for @nr addresses, one reference, ->ip[] unset. */
static notrace struct ftrace_sites *sites_alloc(size_t nr, gfp_t gfp)
{
	struct ftrace_sites *s;

	if (nr != (unsigned int)nr)	/* ->nr could not count them */
		return ERR_PTR(-ENOMEM);
	s = kvmalloc(struct_size(s, ip, nr), gfp);
	if (!s)
		return ERR_PTR(-ENOMEM);
	s->kind = FTRACE_SITES_SOME;
	s->nr = nr;
	refcount_set(&s->ref, 1);
	return s;
}

static notrace int sites_cmp(const void *pa, const void *pb)
{
	unsigned long a = *(const unsigned long *)pa;
	unsigned long b = *(const unsigned long *)pb;

	return (a > b) - (a < b);
}

/*
 * Walk the SOME sets @a and @b in step, keeping the addresses the mask
 * @keep asks for, in ascending order and once each.  Stores them in @out
 * unless it is NULL; returns how many were kept.  O(a->nr + b->nr).
 */
static notrace size_t sites_merge(const struct ftrace_sites *a,
				  const struct ftrace_sites *b,
				  unsigned int keep, unsigned long *out)
{
	unsigned int i = 0, j = 0, which;
	unsigned long ip;
	size_t n = 0;

	while (i < a->nr || j < b->nr) {
		/* Past the end of a, only b is left: b alone is never kept */
		if (i == a->nr && !(keep & SITES_B))
			break;
		if (j == b->nr || (i < a->nr && a->ip[i] < b->ip[j])) {
			ip = a->ip[i++];
			which = SITES_A;
		} else if (i == a->nr || b->ip[j] < a->ip[i]) {
			ip = b->ip[j++];
			which = SITES_B;
		} else {
			ip = a->ip[i++];
			j++;
			which = SITES_AB;
		}
		if (!(keep & which))
			continue;
		if (out)
			out[n] = ip;
		n++;
	}
	return n;
}

/* The merge of two SOME sets: NONE, a shared input, or a new set. */
static notrace struct ftrace_sites *sites_combine(struct ftrace_sites *a,
						  struct ftrace_sites *b,
						  unsigned int keep, gfp_t gfp)
{
	struct ftrace_sites *s;
	size_t nr;

	nr = sites_merge(a, b, keep, NULL);
	if (!nr)
		return FTRACE_SITES_NONE_SET;
	/*
	 * The union contains both inputs, the intersection is contained in
	 * both, the difference is contained in a (and disjoint from b): a
	 * result of an input's size is that input, shared, not copied.
	 */
	if (nr == a->nr)
		return ftrace_sites_get(a);
	if (keep != SITES_MINUS && nr == b->nr)
		return ftrace_sites_get(b);

	s = sites_alloc(nr, gfp);
	if (IS_ERR(s))
		return s;
	sites_merge(a, b, keep, s->ip);
	return s;
}

/**
 * ftrace_ips_sort_unique() - sort addresses, each kept once
 * @ip: the addresses, sorted and compacted in place
 * @nr: how many
 *
 * What both site sets and record chunks are made of.  O(n log n); O(n)
 * if they are sorted already.
 *
 * Context: any context.
 * Return: how many distinct addresses now lead @ip.
 */
notrace unsigned int ftrace_ips_sort_unique(unsigned long *ip,
					    unsigned int nr)
{
	unsigned int i, n;

	if (!nr)
		return 0;
	/*
	 * The kernel's __mcount_loc is sorted at build time, and most sets
	 * are built from sorted sites: one pass spares the sort (at boot,
	 * heapsort's 700,000 compares of 23,000 sites were most of
	 * ftrace_init() under -icount).
	 */
	for (i = 1; i < nr && ip[i - 1] <= ip[i]; i++)
		;
	if (i < nr)
		sort(ip, nr, sizeof(*ip), sites_cmp, NULL);
	for (i = 1, n = 1; i < nr; i++)
		if (ip[i] != ip[n - 1])
			ip[n++] = ip[i];
	return n;
}

/**
 * ftrace_sites_from() - build a site set from addresses
 * @ip: the addresses, in any order, duplicates allowed (may be NULL if @nr
 *      is 0); copied, not kept
 * @nr: how many
 * @gfp: allocation flags
 *
 * Context: any context @gfp allows.
 * Return: the NONE set if @nr is 0, otherwise a new SOME set of the
 * addresses, sorted and without duplicates, with one reference (the
 * caller's); ERR_PTR(-ENOMEM) if memory runs out.
 */
notrace struct ftrace_sites *ftrace_sites_from(const unsigned long *ip,
					       unsigned int nr, gfp_t gfp)
{
	struct ftrace_sites *s, *fit;
	unsigned int n;

	if (!nr)
		return FTRACE_SITES_NONE_SET;

	s = sites_alloc(nr, gfp);
	if (IS_ERR(s))
		return s;
	memcpy(s->ip, ip, array_size(nr, sizeof(*ip)));
	n = ftrace_ips_sort_unique(s->ip, nr);
	s->nr = n;

	/* Mostly duplicates: give the room back if memory allows. */
	if (n <= nr / 2) {
		fit = sites_alloc(n, gfp);
		if (!IS_ERR(fit)) {
			memcpy(fit->ip, s->ip, array_size(n, sizeof(*s->ip)));
			kvfree(s);	/* never published: no grace period */
			s = fit;
		}
	}
	return s;
}

/**
 * ftrace_sites_lookup() - does a SOME set hold an address?
 * @s: the set, of kind FTRACE_SITES_SOME (ftrace_sites_has() decides the
 *     other kinds without a call)
 * @ip: the address
 *
 * Lock-free and allocation-free: safe in any context, including the
 * tracing fast path with preemption disabled.  O(log n).
 *
 * Return: whether @ip is one of @s's addresses.
 */
notrace bool ftrace_sites_lookup(const struct ftrace_sites *s,
				 unsigned long ip)
{
	unsigned int lo = ftrace_ips_lower(s->ip, 0, s->nr, ip);

	return lo < s->nr && s->ip[lo] == ip;
}

/**
 * ftrace_sites_union() - the sites in either of two sets
 * @a: a set (not consumed)
 * @b: a set (not consumed)
 * @gfp: allocation flags
 *
 * NONE with x is x; ALL with x is ALL; two SOME sets merge.  O(n + m).
 *
 * Context: any context @gfp allows.
 * Return: a new reference the caller owns (on @a or @b when the union is
 * exactly that input); ERR_PTR(-ENOMEM) if memory runs out.
 */
notrace struct ftrace_sites *ftrace_sites_union(struct ftrace_sites *a,
						struct ftrace_sites *b,
						gfp_t gfp)
{
	if (ftrace_sites_is_all(a) || ftrace_sites_is_none(b))
		return ftrace_sites_get(a);
	if (ftrace_sites_is_all(b) || ftrace_sites_is_none(a))
		return ftrace_sites_get(b);
	return sites_combine(a, b, SITES_UNION, gfp);
}

/**
 * ftrace_sites_inter() - the sites in both of two sets
 * @a: a set (not consumed)
 * @b: a set (not consumed)
 * @gfp: allocation flags
 *
 * NONE with x is NONE; ALL with x is x; two SOME sets merge, and an empty
 * intersection is the NONE set.  O(n + m).
 *
 * Context: any context @gfp allows.
 * Return: a new reference the caller owns (on @a or @b when the
 * intersection is exactly that input); ERR_PTR(-ENOMEM) if memory runs out.
 */
notrace struct ftrace_sites *ftrace_sites_inter(struct ftrace_sites *a,
						struct ftrace_sites *b,
						gfp_t gfp)
{
	if (ftrace_sites_is_none(a) || ftrace_sites_is_all(b))
		return ftrace_sites_get(a);
	if (ftrace_sites_is_none(b) || ftrace_sites_is_all(a))
		return ftrace_sites_get(b);
	return sites_combine(a, b, SITES_INTER, gfp);
}

/**
 * ftrace_sites_minus() - the sites of one set that are not in another
 * @a: the set to take from (not consumed)
 * @b: the sites to take away (not consumed)
 * @gfp: allocation flags
 *
 * x minus NONE is x; x minus ALL is NONE; NONE minus x is NONE; two SOME
 * sets merge, and an empty difference is the NONE set.  ALL minus SOME
 * would be the complement of a finite set, which a site set cannot hold:
 * it is refused, and the caller decides what it means.  O(n + m).
 *
 * Context: any context @gfp allows.
 * Return: a new reference the caller owns (on @a when nothing is taken
 * away); ERR_PTR(-EDOM) for ALL minus SOME; ERR_PTR(-ENOMEM) if memory
 * runs out.
 */
notrace struct ftrace_sites *ftrace_sites_minus(struct ftrace_sites *a,
						struct ftrace_sites *b,
						gfp_t gfp)
{
	if (ftrace_sites_is_none(a) || ftrace_sites_is_none(b))
		return ftrace_sites_get(a);
	if (ftrace_sites_is_all(b))
		return FTRACE_SITES_NONE_SET;
	if (ftrace_sites_is_all(a))
		return ERR_PTR(-EDOM);
	return sites_combine(a, b, SITES_MINUS, gfp);
}

/**
 * ftrace_sites_equal() - do two sets hold the same sites?
 * @a: a set
 * @b: a set
 *
 * Context: any context.
 * Return: true if @a and @b are of the same kind and, for SOME sets, hold
 * the same addresses.
 */
notrace bool ftrace_sites_equal(const struct ftrace_sites *a,
				const struct ftrace_sites *b)
{
	if (a == b)
		return true;
	if (a->kind != b->kind)
		return false;
	if (a->kind != FTRACE_SITES_SOME)
		return true;
	return a->nr == b->nr &&
	       !memcmp(a->ip, b->ip, array_size(a->nr, sizeof(*a->ip)));
}

/**
 * ftrace_sites_get() - take a reference on a set
 * @s: the set (the caller already holds a reference, or reads it under the
 *     lock that publishes it); NULL and the NONE and ALL sets are left as
 *     they are
 *
 * A reader protected by RCU alone must not take a reference this way: the
 * count of a set being replaced may already have dropped to zero.
 *
 * Context: any context.
 * Return: @s.
 */
notrace struct ftrace_sites *ftrace_sites_get(struct ftrace_sites *s)
{
	if (s && !sites_is_static(s))
		refcount_inc(&s->ref);
	return s;
}

/**
 * ftrace_sites_put() - drop a reference on a set
 * @s: the set; NULL and the NONE and ALL sets are ignored
 *
 * The last reference frees the set after an RCU grace period, so lockless
 * readers (under RCU or with preemption disabled) may finish with it.
 *
 * Context: any context but NMI; does not sleep.
 */
notrace void ftrace_sites_put(struct ftrace_sites *s)
{
	if (!s || sites_is_static(s))
		return;
	if (refcount_dec_and_test(&s->ref))
		kvfree_rcu(s, rcu);
}

/**
 * ftrace_ipvec_push() - append an address to an address vector
 * @v: the vector (zero-initialized at first)
 * @ip: the address
 * @gfp: allocation flags
 *
 * The vector grows by doubling, from 16 addresses.
 *
 * Context: any context @gfp allows; the caller serializes pushes on @v.
 * Return: 0, or -ENOMEM if it could not grow (@v is then unchanged).
 */
notrace int ftrace_ipvec_push(struct ftrace_ipvec *v, unsigned long ip,
			      gfp_t gfp)
{
	unsigned long *p;
	unsigned int cap;

	if (v->nr == v->cap) {
		if (!v->cap)
			cap = IPVEC_FIRST_CAP;
		else if (check_mul_overflow(v->cap, 2U, &cap))
			return -ENOMEM;
		p = kvrealloc(v->ip, array_size(cap, sizeof(*p)), gfp);
		if (!p)
			return -ENOMEM;
		v->ip = p;
		v->cap = cap;
	}
	v->ip[v->nr++] = ip;
	return 0;
}

/**
 * ftrace_ipvec_free() - free an address vector's memory
 * @v: the vector; left empty (zeroed) and ready for reuse
 *
 * Context: process context.
 */
notrace void ftrace_ipvec_free(struct ftrace_ipvec *v)
{
	kvfree(v->ip);
	v->ip = NULL;
	v->nr = 0;
	v->cap = 0;
}
