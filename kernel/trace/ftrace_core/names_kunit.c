// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of names.c, built in and run at boot.
 *
 * - Every site of the running kernel (its chunk, equal to upstream's
 *   records: the ftrace_records suite) gets from ftrace_names_build_kernel()
 *   exactly the name kallsyms_lookup() gives it, and the same verdict on
 *   sites too far from their symbol; the build time and the bytes per
 *   site are reported.
 * - Its index, taken from kallsyms' name order, is the one a sort by
 *   (name, site) gives.
 * - The index answers every kind of pattern exactly as a brute-force scan
 *   of all names with an independent matcher does.
 * - Module symbol tables follow find_kallsyms_symbol()'s rules: no
 *   undefined, unnamed or mapping symbol; the first of several at one
 *   address; sites too far from any symbol have no name.
 *
 * Locking: nothing shared but the kernel's chunk, which never changes.
 */
#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/ftrace.h>
#include <linux/glob.h>
#include <linux/kallsyms.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"

/* The kernel's sites and their table, shared by the cases. */
static struct {
	const unsigned long *ip;
	unsigned int nr;
	struct ftrace_names *names;
	s64 build_ns;
} fnk;

/*
 * The kernel's sites: its chunk (records.c), which the ftrace_records
 * suite shows equal to upstream's records.
 */
static int fnk_suite_init(struct kunit_suite *suite)
{
	ktime_t t0;

	if (!ftrace_kernel_chunk)
		return -ENOENT;
	fnk.ip = ftrace_kernel_chunk->ip;
	fnk.nr = ftrace_kernel_chunk->nr;
	t0 = ktime_get();
	fnk.names = ftrace_names_build_kernel(fnk.ip, fnk.nr);
	fnk.build_ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
	return PTR_ERR_OR_ZERO(fnk.names);
}

static void fnk_suite_exit(struct kunit_suite *suite)
{
	ftrace_names_free(fnk.names);
	memset(&fnk, 0, sizeof(fnk));
}

/*
 * Every kernel site: the name kallsyms_lookup() gives and its offset from
 * that symbol, or no name if it is bad.
 */
static void fnk_kernel_as_kallsyms(struct kunit *test)
{
	char *want = kunit_kmalloc(test, KSYM_NAME_LEN, GFP_KERNEL);
	char *buf = kunit_kmalloc(test, KSYM_NAME_LEN, GFP_KERNEL);
	unsigned int i, wrong = 0, bad = 0;

	KUNIT_ASSERT_NOT_NULL(test, want);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_TRUE(test, fnk.names->ksym);
	KUNIT_ASSERT_GT(test, fnk.nr, 1000U);
	KUNIT_EXPECT_EQ(test, fnk.names->nr, fnk.nr);
	for (i = 0; i < fnk.nr; i++) {
		unsigned long off = 0, bad_off = 0;
		const char *got, *ret;
		char *mod = NULL;

		ret = kallsyms_lookup(fnk.ip[i], NULL, &off, &mod, want);
		got = ftrace_names_name(fnk.names, i, buf, &bad_off);
		KUNIT_EXPECT_NULL(test, mod);
		if (!ret || off > FTRACE_NAME_MAX_OFFSET) {
			bad++;
			if (!got && (!ret || bad_off == off))
				continue;
		} else if (got && !strcmp(got, want) &&
			   ftrace_names_start(fnk.names, i) == (long)off) {
			continue;	/* name and the function's start */
		}
		if (wrong++ < 5)
			kunit_err(test, "site %pS (%lx): kallsyms %s+%lu, table %s+%lu\n",
				  (void *)fnk.ip[i], fnk.ip[i], ret ? want : "-",
				  off, got ?: "-", bad_off);
	}
	KUNIT_EXPECT_EQ(test, wrong, 0U);
	kunit_info(test, "%u sites (%u without a name): names built in %lld us, %zu bytes (%zu per site, names in kallsyms' table)\n",
		   fnk.nr, bad, fnk.build_ns / 1000, ftrace_names_bytes(fnk.names),
		   ftrace_names_bytes(fnk.names) / fnk.nr);
}

/* The index from kallsyms' name order against one sorted by comparisons. */
static void fnk_kernel_index_two_ways(struct kunit *test)
{
	struct ftrace_names *s = ftrace_names_build_kernel_as(fnk.ip, fnk.nr,
							      false);
	unsigned int k, diff = 0;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	KUNIT_EXPECT_FALSE(test, fnk.names->sorted);	/* kallsyms' order */
	KUNIT_EXPECT_TRUE(test, s->sorted);
	KUNIT_EXPECT_EQ(test, s->nr_named, fnk.names->nr_named);
	KUNIT_EXPECT_EQ(test, memcmp(s->name, fnk.names->name,
				     fnk.nr * sizeof(u32)), 0);
	for (k = 0; k < min(s->nr_named, fnk.names->nr_named); k++)
		diff += s->by_name[k] != fnk.names->by_name[k];
	KUNIT_EXPECT_EQ(test, diff, 0U);
	ftrace_names_free(s);
}

/* An independent matcher, for the brute force. */
static bool fnk_ref_match(const struct ftrace_name_pattern *p, const char *s)
{
	size_t sl = strlen(s);

	switch (p->type) {
	case FTRACE_NAME_FULL:
		return sl == p->len && !memcmp(s, p->str, sl);
	case FTRACE_NAME_FRONT:
		return sl >= p->len && !memcmp(s, p->str, p->len);
	case FTRACE_NAME_MIDDLE:
		for (; sl >= p->len; s++, sl--)
			if (!memcmp(s, p->str, p->len))
				return true;
		return false;
	case FTRACE_NAME_END:
		return sl >= p->len && !memcmp(s + sl - p->len, p->str, p->len);
	case FTRACE_NAME_GLOB:
		return glob_match(p->str, s);
	}
	return false;
}

/* What a match reported; @buf and @last_name: KSYM_NAME_LEN bytes each */
struct fnk_seen {
	const struct ftrace_names *names;
	unsigned long *map;
	int last;	/* last site reported, to check the order */
	char *last_name;
	char *buf;
	bool out_of_order;
};

/* Names come in strcmp() order, the sites of one name ascending. */
static int fnk_collect(void *data, unsigned int site)
{
	struct fnk_seen *seen = data;
	unsigned long off;
	const char *name = ftrace_names_name(seen->names, site, seen->buf, &off);
	int c = seen->last < 0 ? 1 : strcmp(name ?: "", seen->last_name);

	if (c < 0 || (!c && (int)site <= seen->last))
		seen->out_of_order = true;
	seen->last = site;
	strscpy(seen->last_name, name ?: "", KSYM_NAME_LEN);
	__set_bit(site, seen->map);
	return 0;
}

static void fnk_seen_init(struct kunit *test, struct fnk_seen *seen,
			  const struct ftrace_names *n, unsigned long *map)
{
	*seen = (struct fnk_seen){ .names = n, .map = map, .last = -1 };
	seen->buf = kunit_kmalloc(test, KSYM_NAME_LEN, GFP_KERNEL);
	seen->last_name = kunit_kmalloc(test, KSYM_NAME_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, seen->buf);
	KUNIT_ASSERT_NOT_NULL(test, seen->last_name);
}

/* @p through the index against a scan of every site's name. */
static void fnk_check_pattern(struct kunit *test,
			      const struct ftrace_name_pattern *p,
			      unsigned long *map)
{
	unsigned int i, want = 0, wrong = 0;
	struct fnk_seen seen;
	int got;

	fnk_seen_init(test, &seen, fnk.names, map);
	bitmap_zero(map, fnk.nr);
	got = ftrace_names_match(fnk.names, p, fnk_collect, &seen);
	for (i = 0; i < fnk.nr; i++) {
		unsigned long off;
		const char *name = ftrace_names_name(fnk.names, i, seen.buf,
						     &off);
		bool hit = name && fnk_ref_match(p, name);

		want += hit;
		wrong += hit != test_bit(i, map);
	}
	KUNIT_EXPECT_EQ_MSG(test, got, (int)want, "type %d \"%s\"", p->type,
			    p->str);
	KUNIT_EXPECT_EQ_MSG(test, wrong, 0U, "type %d \"%s\"", p->type, p->str);
	KUNIT_EXPECT_FALSE(test, seen.out_of_order);
}

/* Patterns of every kind made from a sample of the kernel's names. */
static void fnk_index_as_scan(struct kunit *test)
{
	unsigned long *map = bitmap_zalloc(fnk.nr, GFP_KERNEL);
	char *buf = kunit_kzalloc(test, KSYM_NAME_LEN, GFP_KERNEL);
	char *nbuf = kunit_kzalloc(test, KSYM_NAME_LEN, GFP_KERNEL);
	struct ftrace_name_pattern p;
	unsigned int i, tried = 0;

	KUNIT_ASSERT_NOT_NULL(test, map);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, nbuf);
	for (i = 0; i < fnk.nr; i += 397) {
		unsigned long off;
		const char *name = ftrace_names_name(fnk.names, i, nbuf, &off);
		size_t len;

		if (!name)
			continue;
		len = strlen(name);
		p = (struct ftrace_name_pattern){ FTRACE_NAME_FULL, name, len };
		fnk_check_pattern(test, &p, map);
		KUNIT_EXPECT_TRUE(test, test_bit(i, map));
		strscpy(buf, name, min_t(size_t, len, 4) + 1);
		p = (struct ftrace_name_pattern){ FTRACE_NAME_FRONT, buf,
						  strlen(buf) };
		fnk_check_pattern(test, &p, map);
		if (len > 4) {
			strscpy(buf, name + len - 4, 5);
			p = (struct ftrace_name_pattern){ FTRACE_NAME_END, buf,
							  4 };
			fnk_check_pattern(test, &p, map);
			strscpy(buf, name + 1, 4);
			p = (struct ftrace_name_pattern){ FTRACE_NAME_MIDDLE,
							  buf, 3 };
			fnk_check_pattern(test, &p, map);
			snprintf(buf, KSYM_NAME_LEN, "%c*%c?", name[0],
				 name[len - 2]);
			p = (struct ftrace_name_pattern){ FTRACE_NAME_GLOB, buf,
							  strlen(buf) };
			fnk_check_pattern(test, &p, map);
		}
		tried++;
	}
	/* prefixes that sort before and after every name, and no name */
	p = (struct ftrace_name_pattern){ FTRACE_NAME_FRONT, "", 0 };
	fnk_check_pattern(test, &p, map);
	p = (struct ftrace_name_pattern){ FTRACE_NAME_FULL, "\x7f", 1 };
	fnk_check_pattern(test, &p, map);
	p = (struct ftrace_name_pattern){ FTRACE_NAME_FULL, "no_such_fn_x", 12 };
	fnk_check_pattern(test, &p, map);
	KUNIT_EXPECT_GT(test, tried, 2U);
	bitmap_free(map);
}

/*
 * A module's symbol table: what may name a site and what may not.
 * Index: 0 null, then symbols deliberately out of address order.  Its
 * string table holds "dup" twice, as a module's core string table does
 * for two static functions of one name (add_kallsyms() copies a name
 * per symbol): the table borrows it, a name is found at either copy.
 */
static const char fnk_strtab[] =
	"\0alpha\0beta\0$x\0.Lfoo\0gamma\0beta_first\0undef\0dup\0dup";
enum {
	S_ALPHA = 1, S_BETA = 7, S_MAP = 12, S_LOCAL = 15, S_GAMMA = 21,
	S_BFIRST = 27, S_UNDEF = 38, S_DUP = 44, S_DUP2 = 48,
};

#define FNK_SYM(name, value, shndx) \
	{ .st_name = (name), .st_value = (value), .st_shndx = (shndx) }

static const Elf_Sym fnk_syms[] = {
	FNK_SYM(0, 0, SHN_UNDEF),
	FNK_SYM(S_GAMMA, 0x1400, 1),
	FNK_SYM(S_ALPHA, 0x1000, 1),
	FNK_SYM(S_MAP, 0x1100, 1),	/* mapping symbol: names nothing */
	FNK_SYM(S_UNDEF, 0x1100, SHN_UNDEF),
	FNK_SYM(S_BFIRST, 0x1200, 1),	/* first at 0x1200 in the table */
	FNK_SYM(S_BETA, 0x1200, 1),
	FNK_SYM(0, 0x1300, 1),		/* unnamed */
	FNK_SYM(S_LOCAL, 0x1300, 1),	/* .L local label */
	FNK_SYM(S_DUP2, 0x2000, 1),
	FNK_SYM(S_DUP, 0x3000, 1),
	FNK_SYM(S_DUP2, 0x4000, 1),
};

static void fnk_module_rules(struct kunit *test)
{
	static const unsigned long ip[] = {
		0x0800, 0x1000, 0x1004, 0x1100, 0x1204, 0x1300, 0x1404,
		0x2000, 0x3004, 0x4004,
	};
	static const char * const want[] = {
		NULL, "alpha", "alpha", NULL, "beta_first", NULL, "gamma",
		"dup", "dup", "dup",
	};
	static const unsigned long want_off[] = { 0, 0, 0, 0x100, 0, 0x100 };
	struct ftrace_name_pattern dup = { FTRACE_NAME_FULL, "dup", 3 };
	struct ftrace_name_pattern du = { FTRACE_NAME_FRONT, "du", 2 };
	struct ftrace_name_pattern up = { FTRACE_NAME_END, "up", 2 };
	unsigned long map[1] = { 0 };
	unsigned long off7, off8;
	struct fnk_seen seen;
	struct ftrace_names *n;
	unsigned int i;

	n = ftrace_names_build_syms(ip, ARRAY_SIZE(ip), fnk_syms,
				    ARRAY_SIZE(fnk_syms), fnk_strtab);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, n);
	for (i = 0; i < ARRAY_SIZE(ip); i++) {
		unsigned long off = ~0UL;
		const char *got = ftrace_names_name(n, i, NULL, &off);

		if (!want[i]) {
			KUNIT_EXPECT_NULL_MSG(test, got, "site %#lx", ip[i]);
			KUNIT_EXPECT_EQ_MSG(test, off, want_off[i], "site %#lx",
					    ip[i]);
		} else {
			KUNIT_EXPECT_STREQ_MSG(test, got ?: "(none)", want[i],
					       "site %#lx", ip[i]);
		}
	}
	/* no copy: a name is read where the string table holds it */
	KUNIT_EXPECT_PTR_EQ(test, ftrace_names_name(n, 7, NULL, &off7),
			    &fnk_strtab[S_DUP2]);
	KUNIT_EXPECT_PTR_EQ(test, ftrace_names_name(n, 8, NULL, &off8),
			    &fnk_strtab[S_DUP]);
	/* "dup", at two offsets, names its three sites, in order */
	fnk_seen_init(test, &seen, n, map);
	KUNIT_EXPECT_EQ(test, ftrace_names_match(n, &dup, fnk_collect, &seen),
			3);
	KUNIT_EXPECT_EQ(test, map[0], BIT(7) | BIT(8) | BIT(9));
	KUNIT_EXPECT_FALSE(test, seen.out_of_order);
	map[0] = 0;
	fnk_seen_init(test, &seen, n, map);
	KUNIT_EXPECT_EQ(test, ftrace_names_match(n, &du, fnk_collect, &seen),
			3);
	KUNIT_EXPECT_EQ(test, map[0], BIT(7) | BIT(8) | BIT(9));
	map[0] = 0;
	fnk_seen_init(test, &seen, n, map);
	KUNIT_EXPECT_EQ(test, ftrace_names_match(n, &up, fnk_collect, &seen),
			3);
	KUNIT_EXPECT_EQ(test, map[0], BIT(7) | BIT(8) | BIT(9));
	KUNIT_EXPECT_EQ(test, ftrace_names_count(n, "dup"), 3);
	KUNIT_EXPECT_EQ(test, ftrace_names_count(n, "gamma"), 1);
	ftrace_names_free(n);

	n = ftrace_names_build_syms(NULL, 0, fnk_syms, ARRAY_SIZE(fnk_syms),
				    fnk_strtab);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, n);
	KUNIT_EXPECT_EQ(test, n->nr_named, 0U);
	KUNIT_EXPECT_EQ(test, ftrace_names_match(n, &dup, fnk_collect, &seen),
			0);
	ftrace_names_free(n);
}

static struct kunit_case fnk_cases[] = {
	KUNIT_CASE(fnk_kernel_as_kallsyms),
	KUNIT_CASE(fnk_kernel_index_two_ways),
	KUNIT_CASE_SLOW(fnk_index_as_scan),
	KUNIT_CASE(fnk_module_rules),
	{}
};

static struct kunit_suite fnk_suite = {
	.name = "ftrace_names",
	.suite_init = fnk_suite_init,
	.suite_exit = fnk_suite_exit,
	.test_cases = fnk_cases,
};

kunit_test_suite(fnk_suite);
