// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of symbols.c against upstream's ftrace_lookup_symbols(),
 * which runs beside it in the core kernel:
 *
 *   same     40 sorted lists of 1 to 64 names drawn from the kernel's
 *            sites (names of several functions included), then lists
 *            with a name no function has: the same return and the same
 *            address for every name; the time of both
 *   none     no name: 0; names no function has: -ESRCH, addresses 0
 */
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/ftrace.h>
#include <linux/ktime.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "internal.h"

#define FSY_ROUNDS	40U
#define FSY_MAX		64U
#define FSY_SEED	0x5b01c0deULL

static int fsy_cmp(const void *a, const void *b)
{
	return strcmp(*(const char * const *)a, *(const char * const *)b);
}

/* Sort @names and drop repeats; the number left */
static unsigned int fsy_sort(const char **names, unsigned int nr)
{
	unsigned int i, k = 0;

	sort(names, nr, sizeof(*names), fsy_cmp, NULL);
	for (i = 0; i < nr; i++) {
		if (!k || strcmp(names[k - 1], names[i]))
			names[k++] = names[i];
	}
	return k;
}

/*
 * The name of a random named site of the kernel, or one it repeats (a
 * copy the test owns); @buf: KSYM_NAME_LEN bytes to decode into
 */
static const char *fsy_pick(struct kunit *test, const struct ftrace_names *n,
			    struct rnd_state *rnd, bool repeated, char *buf)
{
	unsigned int k, tries;
	char *name;

	for (tries = 0; tries < 1000; tries++) {
		k = prandom_u32_state(rnd) % n->nr_named;
		ftrace_names_str(n, n->name[n->by_name[k]], buf);
		if (!repeated || ftrace_names_count(n, buf) > 1)
			break;
	}
	name = kunit_kstrdup(test, buf, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, name);
	return name;
}

static void fsy_test_same(struct kunit *test)
{
	const char **names = kunit_kcalloc(test, FSY_MAX + 1, sizeof(*names),
					   GFP_KERNEL);
	unsigned long *ours = kunit_kcalloc(test, FSY_MAX + 1, sizeof(*ours),
					    GFP_KERNEL);
	unsigned long *theirs = kunit_kcalloc(test, FSY_MAX + 1,
					      sizeof(*theirs), GFP_KERNEL);
	char *buf = kunit_kmalloc(test, KSYM_NAME_LEN, GFP_KERNEL);
	const struct ftrace_names *n;
	unsigned int round, i, nr, total = 0;
	u64 t_ours = 0, t_theirs = 0, t0;
	struct rnd_state rnd;
	int r1, r2;

	KUNIT_ASSERT_TRUE(test, names && ours && theirs && buf);
	KUNIT_ASSERT_NOT_NULL(test, ftrace_kernel_chunk);
	n = ftrace_chunk_names(ftrace_kernel_chunk);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, n);
	prandom_seed_state(&rnd, FSY_SEED);

	for (round = 0; round < FSY_ROUNDS; round++) {
		nr = 1 + prandom_u32_state(&rnd) % FSY_MAX;
		for (i = 0; i < nr; i++)
			names[i] = fsy_pick(test, n, &rnd, i % 4 == 0, buf);
		/* the last rounds ask for a name no function has */
		if (round >= FSY_ROUNDS - 4)
			names[nr++] = "no_such_function_in_the_kernel";
		nr = fsy_sort(names, nr);
		total += nr;

		t0 = ktime_get_ns();
		r1 = ftrace_core_lookup_symbols(names, nr, ours);
		t_ours += ktime_get_ns() - t0;
		t0 = ktime_get_ns();
		r2 = ftrace_lookup_symbols(names, nr, theirs);
		t_theirs += ktime_get_ns() - t0;

		KUNIT_EXPECT_EQ_MSG(test, r1, r2, "round %u", round);
		for (i = 0; i < nr; i++) {
			if (ours[i] == theirs[i])
				continue;
			KUNIT_FAIL(test, "round %u: %s: ours %pS (%lx), upstream's %pS (%lx)",
				   round, names[i], (void *)ours[i], ours[i],
				   (void *)theirs[i], theirs[i]);
			return;
		}
	}
	kunit_info(test, "%u names in %u lookups: ours %llu us, upstream's %llu us\n",
		   total, FSY_ROUNDS, t_ours / 1000, t_theirs / 1000);
}

/* No name at all, and only names no function has */
static void fsy_test_none(struct kunit *test)
{
	const char **names = kunit_kcalloc(test, 2, sizeof(*names), GFP_KERNEL);
	unsigned long addrs[2] = { 1, 1 };

	KUNIT_ASSERT_NOT_NULL(test, names);
	names[0] = "no_such_function_a";
	names[1] = "no_such_function_b";

	KUNIT_EXPECT_EQ(test, ftrace_core_lookup_symbols(names, 0, addrs), 0);
	KUNIT_EXPECT_EQ(test, ftrace_core_lookup_symbols(names, 2, addrs),
			-ESRCH);
	KUNIT_EXPECT_EQ(test, addrs[0] | addrs[1], 0UL);
}

static struct kunit_case fsy_cases[] = {
	KUNIT_CASE_SLOW(fsy_test_same),
	KUNIT_CASE(fsy_test_none),
	{}
};

static struct kunit_suite fsy_suite = {
	.name = "ftrace_symbols",
	.test_cases = fsy_cases,
};

kunit_test_suite(fsy_suite);
