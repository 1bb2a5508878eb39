// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of records.c, built in and run at boot, beside upstream's
 * core, which is their oracle:
 *
 * - the kernel's chunk holds exactly the sites of upstream's records (in
 *   the kernel image, read under ftrace_lock);
 * - ftrace_records_range() answers every single-address query around
 *   every site as ftrace_location_range() does, and
 *   ftrace_records_location() every function start as ftrace_location();
 * - random ranges meet a site in ours exactly when they do in upstream's,
 *   ours being the lowest;
 * - building: zero entries dropped, sorted, each site once, an empty
 *   table refused; overlapping chunks refused.
 *
 * Locking: ftrace_lock while upstream's records are read.
 */
#include <kunit/test.h>
#include <linux/ftrace.h>
#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/prandom.h>
#include <linux/slab.h>

#include <asm/sections.h>

#include "../ftrace_internal.h"
#include "internal.h"

/* Upstream's records in the kernel image, in its order (ascending). */
static unsigned long *frk_upstream(unsigned int *nr)
{
	struct ftrace_rec_iter *iter;
	unsigned int cap = 0, n = 0;
	unsigned long *ip;

	mutex_lock(&ftrace_lock);
	for_ftrace_rec_iter(iter)
		cap++;
	ip = kvmalloc_array(max(cap, 1U), sizeof(*ip), GFP_KERNEL);
	if (ip) {
		for_ftrace_rec_iter(iter) {
			unsigned long a = ftrace_rec_iter_record(iter)->ip;

			if (n < cap && (is_kernel_text(a) || is_kernel_inittext(a)))
				ip[n++] = a;
		}
	}
	mutex_unlock(&ftrace_lock);
	*nr = n;
	return ip;
}

static void frk_same_sites(struct kunit *test)
{
	struct ftrace_chunk *c = ftrace_kernel_chunk;
	unsigned int nr, i, wrong = 0;
	unsigned long *up;

	KUNIT_ASSERT_NOT_NULL(test, c);
	up = frk_upstream(&nr);
	KUNIT_ASSERT_NOT_NULL(test, up);
	KUNIT_EXPECT_EQ(test, c->nr, nr);
	for (i = 0; i < min(nr, c->nr); i++) {
		if (c->ip[i] == up[i])
			continue;
		if (wrong++ < 5)
			kunit_err(test, "site %u: ours %pS, upstream %pS\n", i,
				  (void *)c->ip[i], (void *)up[i]);
	}
	KUNIT_EXPECT_EQ(test, wrong, 0U);
	kunit_info(test, "%u sites in the kernel's chunk (%zu bytes per site with the states)\n",
		   c->nr, sizeof(*c->ip) + sizeof(*c->state));
	kvfree(up);
}

/* Around every site and at every function start: as upstream answers. */
static void frk_location(struct kunit *test)
{
	static const int around[] = { -5, -1, 0, 1, 2, 4, 5 };
	struct ftrace_chunk *c = ftrace_kernel_chunk;
	unsigned int i, k, wrong = 0, starts = 0;

	KUNIT_ASSERT_NOT_NULL(test, c);
	for (i = 0; i < c->nr; i++) {
		unsigned long s = c->ip[i], size, off, f;

		for (k = 0; k < ARRAY_SIZE(around); k++) {
			unsigned long a = s + around[k];
			unsigned long ours = ftrace_records_range(a, a);
			unsigned long up = ftrace_location_range(a, a);

			if (ours != up && wrong++ < 5)
				kunit_err(test, "range %lx: ours %lx, upstream %lx\n",
					  a, ours, up);
		}
		if (!kallsyms_lookup_size_offset(s, &size, &off))
			continue;
		f = s - off;
		starts++;
		if (ftrace_records_location(f) != ftrace_location(f) &&
		    wrong++ < 5)
			kunit_err(test, "location of %pS: ours %lx, upstream %lx\n",
				  (void *)f, ftrace_records_location(f),
				  ftrace_location(f));
	}
	KUNIT_EXPECT_EQ(test, wrong, 0U);
	KUNIT_EXPECT_GT(test, starts, c->nr / 2);
}

/* Random ranges over the kernel's text. */
static void frk_ranges(struct kunit *test)
{
	struct ftrace_chunk *c = ftrace_kernel_chunk;
	unsigned long span = ftrace_chunk_last(c) - ftrace_chunk_first(c) + 64;
	struct rnd_state rs;
	unsigned int i, met = 0, wrong = 0;

	prandom_seed_state(&rs, 0x7ecd5);
	for (i = 0; i < 4000; i++) {
		unsigned long a = ftrace_chunk_first(c) - 32 +
				  prandom_u32_state(&rs) % span;
		unsigned long b = a + prandom_u32_state(&rs) % 512;
		unsigned long ours = ftrace_records_range(a, b);
		unsigned long up = ftrace_location_range(a, b);

		met += !!ours;
		/* upstream returns one site it meets, ours the lowest */
		if (!ours != !up || (ours && (ours > up || ours + MCOUNT_INSN_SIZE <= a ||
					      ours > b)))
			if (wrong++ < 5)
				kunit_err(test, "[%lx, %lx]: ours %lx, upstream %lx\n",
					  a, b, ours, up);
	}
	KUNIT_EXPECT_EQ(test, wrong, 0U);
	KUNIT_EXPECT_GT(test, met, 100U);
}

/* Stands for a module: its chunk gets no kernel text check. */
static struct module frk_mod;

/* A module's table: unsorted, zero-padded, a site twice. */
static void frk_build(struct kunit *test)
{
	static const unsigned long tab[] = {
		0, 0x13000, 0x11000, 0x12000, 0x11000, 0,
	};
	static const unsigned long zeros[] = { 0, 0 };
	struct ftrace_chunk *c, *k = ftrace_kernel_chunk;
	unsigned long over[] = { ftrace_chunk_first(k) + 1 };

	c = ftrace_chunk_build(&frk_mod, tab, tab + ARRAY_SIZE(tab));
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c);
	KUNIT_EXPECT_EQ(test, c->nr, 3U);
	KUNIT_EXPECT_EQ(test, c->ip[0], 0x11000UL);
	KUNIT_EXPECT_EQ(test, c->ip[1], 0x12000UL);
	KUNIT_EXPECT_EQ(test, c->ip[2], 0x13000UL);
	KUNIT_EXPECT_EQ(test, ftrace_chunk_first(c), 0x11000UL);
	KUNIT_EXPECT_EQ(test, ftrace_chunk_last(c), 0x13000UL);
	KUNIT_EXPECT_EQ(test, c->state[1], 0U);
	KUNIT_ASSERT_EQ(test, ftrace_chunk_list(c), 0);
	KUNIT_EXPECT_EQ(test, ftrace_records_range(0x12002, 0x12002), 0x12000UL);
	KUNIT_EXPECT_EQ(test, ftrace_records_range(0x11005, 0x11fff), 0UL);
	KUNIT_EXPECT_EQ(test, ftrace_records_range(0x10000, 0x13000), 0x11000UL);
	ftrace_chunk_unlist(c);
	KUNIT_EXPECT_EQ(test, ftrace_records_range(0x12002, 0x12002), 0UL);

	c = ftrace_chunk_build(&frk_mod, zeros, zeros + 2);
	KUNIT_EXPECT_EQ(test, PTR_ERR(c), -ENOENT);

	/* a chunk inside the kernel's is refused */
	c = ftrace_chunk_build(&frk_mod, over, over + 1);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c);
	KUNIT_EXPECT_EQ(test, ftrace_chunk_list(c), -EBUSY);
	ftrace_chunk_free(c);
}

static struct kunit_case frk_cases[] = {
	KUNIT_CASE(frk_same_sites),
	KUNIT_CASE_SLOW(frk_location),
	KUNIT_CASE(frk_ranges),
	KUNIT_CASE(frk_build),
	{}
};

static struct kunit_suite frk_suite = {
	.name = "ftrace_records",
	.test_cases = frk_cases,
};

kunit_test_suite(frk_suite);
