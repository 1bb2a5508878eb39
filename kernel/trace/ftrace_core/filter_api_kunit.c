// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of filter_api.c against upstream's filter API, which runs
 * beside it in the core kernel, on twin ops that neither core registers:
 *
 *   twins   400 random calls (addresses of 24 functions, as sites or as
 *           function starts, added or removed, with or without reset,
 *           one or several at once; addresses of no site; clears; 16
 *           names and globs through ftrace_set_filter() and
 *           ftrace_set_notrace()) made to both: the same errno, and after
 *           each the same sets, but where upstream's hash is empty: there
 *           ours is "all sites" for a filter never set or cleared, and
 *           "no site" for a filter whose last site was removed (upstream:
 *           every site) and for an empty notrace set
 *   emptied the last site of a filter removed: ours traces no site,
 *           upstream's every site; cleared, ours every site again
 *   init    an ops its user never initialised is initialised by the
 *           first call; a func_hash set beforehand is kept
 */
#include <kunit/test.h>
#include <linux/ftrace.h>
#include <linux/kallsyms.h>
#include <linux/prandom.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "internal.h"
#include "../ftrace_internal.h"
#include "../trace.h"

#define FAP_POOL	24U
#define FAP_CALLS	400U
#define FAP_NAMED	16U
#define FAP_SEED	0xf17a91ULL

struct fap_world {
	struct ftrace_ops ours, theirs;
	unsigned long site[FAP_POOL];
	unsigned long start[FAP_POOL];
	const char *name[FAP_POOL];
	unsigned long buf[FAP_POOL];
	struct rnd_state rnd;
	bool filter_all;	/* ours: "all sites" where upstream's is empty */
};

static void fap_release(void *p)
{
	struct fap_world *w = p;

	ftrace_free_filter(&w->theirs);
	ftrace_core_free_filter(&w->ours);
	rcu_barrier();
}

static u32 fap_below(struct fap_world *w, u32 n)
{
	return prandom_u32_state(&w->rnd) % n;
}

static int fap_cmp(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* Upstream's hash as our set: NONE when it is empty */
static struct ftrace_sites *fap_theirs(struct kunit *test,
				       struct ftrace_hash *h)
{
	unsigned long *ip, n = 0, i;
	struct ftrace_func_entry *e;
	struct ftrace_sites *s;

	if (!h || !h->count)
		return FTRACE_SITES_NONE_SET;
	ip = kunit_kmalloc_array(test, h->count, sizeof(*ip), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ip);
	for (i = 0; i < (1UL << h->size_bits); i++) {
		hlist_for_each_entry(e, &h->buckets[i], hlist) {
			if (n < h->count)
				ip[n++] = e->ip;
		}
	}
	sort(ip, n, sizeof(*ip), fap_cmp, NULL);
	s = ftrace_sites_from(ip, n, GFP_KERNEL);
	kunit_kfree(test, ip);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	return s;
}

/* Do ours and upstream's sets agree?  Empty ones as the top says */
static bool fap_same(struct kunit *test, struct fap_world *w, bool filter)
{
	struct ftrace_ops_hash *fo = w->ours.func_hash, *ft = w->theirs.func_hash;
	struct ftrace_sites *o, *t;
	bool same;

	/* only this thread writes them */
	o = ftrace_hash_sites(rcu_dereference_protected(filter ?
			fo->filter_hash : fo->notrace_hash, true), filter);
	t = fap_theirs(test, rcu_dereference_protected(filter ?
			ft->filter_hash : ft->notrace_hash, true));
	if (ftrace_sites_is_none(t))
		same = filter && w->filter_all ? ftrace_sites_is_all(o)
					       : ftrace_sites_is_none(o);
	else
		same = ftrace_sites_equal(o, t);
	ftrace_sites_put(t);
	return same;
}

/* A pool of functions with one site each, named once in the kernel */
static void fap_pool(struct kunit *test, struct fap_world *w)
{
	const struct ftrace_names *n = ftrace_chunk_names(ftrace_kernel_chunk);
	unsigned int k, got = 0, tries;
	char *buf = kunit_kmalloc(test, KSYM_NAME_LEN, GFP_KERNEL);
	unsigned long size, off;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, n);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (tries = 0; got < FAP_POOL && tries < 100000; tries++) {
		k = fap_below(w, n->nr_named);
		ftrace_names_str(n, n->name[n->by_name[k]], buf);
		if (ftrace_names_count(n, buf) != 1)
			continue;	/* a name of several functions */
		w->site[got] = ftrace_kernel_chunk->ip[n->by_name[k]];
		if (ftrace_chunk_site_gone(ftrace_kernel_chunk, n->by_name[k]) ||
		    !kallsyms_lookup_size_offset(w->site[got], &size, &off))
			continue;
		w->start[got] = w->site[got] - off;
		w->name[got] = kunit_kstrdup(test, buf, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, w->name[got]);
		got++;
	}
	KUNIT_ASSERT_EQ(test, got, FAP_POOL);
}

/* One random call, made to both */
static void fap_call(struct kunit *test, struct fap_world *w, unsigned int c)
{
	bool remove = fap_below(w, 3) == 0, reset = fap_below(w, 6) == 0;
	unsigned int kind = fap_below(w, 20), cnt, i, k;
	char pat[KSYM_NAME_LEN + 2];
	int r1, r2;
	bool clear = false, filter = true;

	if (c % (FAP_CALLS / FAP_NAMED) == 0) {
		/* a name, or a glob of a name's first letters */
		k = fap_below(w, FAP_POOL);
		filter = fap_below(w, 2);
		snprintf(pat, sizeof(pat), "%s", w->name[k]);
		i = strlen(pat);
		if (fap_below(w, 3) == 0 && i > 6) {
			pat[i - 2] = '*';
			pat[i - 1] = '\0';
		}
		r1 = ftrace_core_set_regex(&w->ours, (unsigned char *)pat,
					   strlen(pat), reset, filter);
		r2 = filter ? ftrace_set_filter(&w->theirs, (unsigned char *)pat,
						strlen(pat), reset)
			    : ftrace_set_notrace(&w->theirs, (unsigned char *)pat,
						 strlen(pat), reset);
	} else if (kind == 0) {
		/* clear the filter */
		clear = true;
		r1 = ftrace_core_set_addrs(&w->ours, NULL, 0, false, true,
					   true);
		r2 = ftrace_set_filter_ips(&w->theirs, NULL, 0, 0, 1);
	} else {
		cnt = kind < 4 ? 1 + fap_below(w, 5) : 1;
		for (i = 0; i < cnt; i++) {
			/* mostly a few functions: lists empty now and then */
			k = fap_below(w, fap_below(w, 4) ? 4 : FAP_POOL);
			w->buf[i] = fap_below(w, 2) ? w->site[k] : w->start[k];
			if (fap_below(w, 40) == 0)	/* no site */
				w->buf[i] = (unsigned long)w + 8;
		}
		r1 = ftrace_core_set_addrs(&w->ours, w->buf, cnt, remove,
					   reset, true);
		r2 = cnt == 1 ? ftrace_set_filter_ip(&w->theirs, w->buf[0],
						     remove, reset)
			      : ftrace_set_filter_ips(&w->theirs, w->buf, cnt,
						      remove, reset);
	}
	KUNIT_ASSERT_EQ_MSG(test, r1, r2, "call %u", c);
	if (!r1 && filter)
		w->filter_all = clear;
	KUNIT_ASSERT_TRUE_MSG(test, fap_same(test, w, true),
			      "filters differ after call %u", c);
	KUNIT_ASSERT_TRUE_MSG(test, fap_same(test, w, false),
			      "notrace sets differ after call %u", c);
}

static void fap_test_twins(struct kunit *test)
{
	struct fap_world *w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	unsigned int c;

	KUNIT_ASSERT_NOT_NULL(test, w);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, fap_release, w),
			0);
	prandom_seed_state(&w->rnd, FAP_SEED);
	fap_pool(test, w);
	w->filter_all = true;
	ftrace_core_ops_init(&w->ours);
	ftrace_set_filter_ips(&w->theirs, NULL, 0, 0, 0);	/* init */
	for (c = 0; c < FAP_CALLS; c++)
		fap_call(test, w, c);
}

/* The last site removed: upstream traces every site, ours none */
static void fap_test_emptied(struct kunit *test)
{
	struct fap_world *w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	struct ftrace_sites *s;
	struct ftrace_hash *h;

	KUNIT_ASSERT_NOT_NULL(test, w);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, fap_release, w),
			0);
	prandom_seed_state(&w->rnd, FAP_SEED);
	fap_pool(test, w);
	KUNIT_ASSERT_EQ(test, ftrace_core_set_addrs(&w->ours, w->start, 1,
						    false, false, true), 0);
	KUNIT_ASSERT_EQ(test, ftrace_set_filter_ip(&w->theirs, w->start[0],
						   0, 0), 0);
	KUNIT_EXPECT_EQ(test, ftrace_core_set_addrs(&w->ours, w->site, 1,
						    true, false, true), 0);
	KUNIT_EXPECT_EQ(test, ftrace_set_filter_ip(&w->theirs, w->site[0],
						   1, 0), 0);
	s = ftrace_hash_sites(rcu_access_pointer(w->ours.func_hash->filter_hash),
			      true);
	KUNIT_EXPECT_TRUE(test, ftrace_sites_is_none(s));
	KUNIT_EXPECT_FALSE(test, ftrace_core_ops_test(&w->ours, w->site[1],
						      NULL));
	/* upstream's: an empty hash, which reads as every site */
	h = rcu_access_pointer(w->theirs.func_hash->filter_hash);
	KUNIT_EXPECT_TRUE(test, ftrace_hash_empty(h));
	KUNIT_EXPECT_TRUE(test, ftrace_ops_test(&w->theirs, w->site[1], NULL));
	/* cleared: every site again, for both */
	KUNIT_EXPECT_EQ(test, ftrace_core_set_regex(&w->ours, NULL, 0, true,
						    true), 0);
	KUNIT_EXPECT_TRUE(test, ftrace_core_ops_test(&w->ours, w->site[1],
						     NULL));
}

static void fap_test_init(struct kunit *test)
{
	struct ftrace_ops *a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	struct ftrace_ops *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);

	KUNIT_ASSERT_TRUE(test, a && b);
	KUNIT_EXPECT_EQ(test, ftrace_core_set_regex(a, NULL, 0, false, true),
			0);
	KUNIT_EXPECT_TRUE(test, a->flags & FTRACE_OPS_FL_INITIALIZED);
	KUNIT_EXPECT_PTR_EQ(test, a->func_hash, &a->local_hash);
	KUNIT_EXPECT_NULL(test, rcu_access_pointer(a->local_hash.filter_hash));

	/* as fgraph's users: the manager's hashes, initialised beforehand */
	b->func_hash = &a->local_hash;
	ftrace_core_ops_init(b);
	KUNIT_EXPECT_PTR_EQ(test, b->func_hash, &a->local_hash);
	ftrace_core_free_filter(a);
}

static struct kunit_case fap_cases[] = {
	KUNIT_CASE_SLOW(fap_test_twins),
	KUNIT_CASE(fap_test_emptied),
	KUNIT_CASE(fap_test_init),
	{}
};

static struct kunit_suite fap_suite = {
	.name = "ftrace_filter_api",
	.test_cases = fap_cases,
};

kunit_test_suite(fap_suite);
