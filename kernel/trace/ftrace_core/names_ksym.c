// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's site names, left where the kernel already keeps them: in
 * kallsyms' compressed name table (kernel/kallsyms_internal.h), which
 * every kernel with ftrace has (FUNCTION_TRACER selects KALLSYMS).  The
 * table of the kernel's chunk holds, per site, the offset of its
 * symbol's record in kallsyms_names[] (with its offset from the
 * function's start, as names.c's tables do), and the index by name; no
 * copy of any name.  A name is decoded on use (a token lookup per
 * compressed byte); a module's names stay in a pool of their own
 * (names.c), since its symbol table moves when its init part is freed.
 *
 * Built in one walk over kallsyms' records in address order (their
 * addresses from kallsyms_sym_address(), their records skipped by
 * length: no name is decoded), merged with the sites (names.h).  The
 * index by name follows kallsyms_seqs_of_names[], the symbols in name
 * order that kallsyms_lookup_name() searches: O(symbols), no sort.  That
 * order is checked once, each name decoded once; should it ever differ
 * from strcmp()'s (another kallsyms), the index is sorted instead.
 *
 * Record format read here (scripts/kallsyms.c writes it): a length byte,
 * or two when its top bit is set (low 7 bits first), then that many
 * token numbers; the tokens' concatenation is the symbol's type letter
 * followed by its name.
 *
 * Invariants and locking: as names.c; kallsyms' tables never change.
 */
#include <linux/err.h>
#include <linux/kallsyms.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "../../kallsyms_internal.h"
#include "internal.h"
#include "names.h"

/* The offset of the record after the one at @off. */
static notrace u32 ksym_next(u32 off)
{
	u32 len = kallsyms_names[off];

	if (!(len & 0x80))
		return off + 1 + len;
	return off + 2 + ((len & 0x7f) | (u32)kallsyms_names[off + 1] << 7);
}

/**
 * ftrace_ksym_name() - decode the name of a kallsyms record
 * @off: the record's offset in kallsyms_names[]
 * @buf: KSYM_NAME_LEN bytes
 *
 * The name as kallsyms_lookup() gives it: the type letter left out,
 * truncated to KSYM_NAME_LEN - 1 bytes.
 *
 * Context: any context.
 * Return: @buf.
 */
notrace char *ftrace_ksym_name(u32 off, char *buf)
{
	const u8 *rec = &kallsyms_names[off];
	char *out = buf, *end = buf + KSYM_NAME_LEN - 1;
	unsigned int len = *rec++, skip = 1;

	if (len & 0x80)
		len = (len & 0x7f) | (unsigned int)*rec++ << 7;
	while (len--) {
		const char *tok = &kallsyms_token_table[kallsyms_token_index[*rec++]];

		/* the first token begins with the type letter */
		tok += skip && *tok;
		skip = 0;
		while (*tok && out < end)
			*out++ = *tok++;
	}
	*out = '\0';
	return buf;
}

/*
 * The index from kallsyms' name order: for each symbol, in that order,
 * the run of sites it names (adjacent: the sites after it up to the next
 * symbol's address).  False if it does not account for every named site.
 */
static notrace bool ksym_index_by_seqs(struct ftrace_names *n,
				       const u32 *first)
{
	const u8 *q = kallsyms_seqs_of_names;
	unsigned int j, k = 0;

	for (j = 0; j < kallsyms_num_syms; j++, q += 3) {
		u32 seq = (u32)q[0] << 16 | (u32)q[1] << 8 | q[2];
		u32 site, v;

		if (seq >= kallsyms_num_syms)
			return false;
		site = first[seq];
		if (site == U32_MAX)
			continue;
		v = n->name[site];
		do {
			if (k == n->nr_named)
				return false;
			n->by_name[k++] = site++;
		} while (site < n->nr && !(n->name[site] & FTRACE_NAME_BAD) &&
			 ftrace_name_pool(n->name[site]) == ftrace_name_pool(v));
	}
	return k == n->nr_named;
}

/*
 * Is the index in (name, site) order?  Each symbol's name is decoded
 * once; the sites of one symbol are adjacent and ascending already.
 */
static notrace bool ksym_index_sorted(const struct ftrace_names *n, char *a,
				      char *b)
{
	u32 prev = U32_MAX;
	unsigned int k;

	for (k = 0; k < n->nr_named; k++) {
		u32 off = ftrace_name_pool(n->name[n->by_name[k]]);
		int c;

		if (off == prev) {
			if (n->by_name[k] < n->by_name[k - 1])
				return false;
			continue;
		}
		ftrace_ksym_name(off, b);
		c = prev == U32_MAX ? -1 : strcmp(a, b);
		if (c > 0 || (!c && n->by_name[k] < n->by_name[k - 1]))
			return false;
		swap(a, b);
		prev = off;
		if (!(k % 4096))
			cond_resched();
	}
	return true;
}

struct ksym_sort {
	const struct ftrace_names *n;
	char *a, *b;
};

static notrace int ksym_cmp_site(const void *x, const void *y,
				 const void *priv)
{
	const struct ksym_sort *ks = priv;
	u32 s = *(const u32 *)x, t = *(const u32 *)y;
	u32 vs = ftrace_name_pool(ks->n->name[s]);
	u32 vt = ftrace_name_pool(ks->n->name[t]);
	int c = 0;

	if (vs != vt)
		c = strcmp(ftrace_ksym_name(vs, ks->a),
			   ftrace_ksym_name(vt, ks->b));
	return c ?: (s > t) - (s < t);
}

/* The index by comparisons: every named site, sorted by (name, site). */
static notrace void ksym_index_sort(struct ftrace_names *n, char *a, char *b)
{
	struct ksym_sort ks = { .n = n, .a = a, .b = b };
	unsigned int i, k = 0;

	for (i = 0; i < n->nr; i++)
		if (!(n->name[i] & FTRACE_NAME_BAD))
			n->by_name[k++] = i;
	sort_r(n->by_name, n->nr_named, sizeof(u32), ksym_cmp_site, NULL, &ks);
}

/* The table of a finished walk: its names, then its index. */
static notrace struct ftrace_names *ksym_finish(struct names_merge *m,
						bool by_seqs)
{
	struct ftrace_names *n;
	char *a;

	a = kmalloc(2 * KSYM_NAME_LEN, GFP_KERNEL);
	n = a ? ftrace_names_alloc(m) : NULL;
	if (!n) {
		kfree(a);
		return ERR_PTR(-ENOMEM);
	}
	n->ksym = true;
	if (!by_seqs || !ksym_index_by_seqs(n, m->first) ||
	    !ksym_index_sorted(n, a, a + KSYM_NAME_LEN)) {
		if (by_seqs)
			pr_info("ftrace_core: kallsyms' name order is not strcmp()'s: sorting the names\n");
		ksym_index_sort(n, a, a + KSYM_NAME_LEN);
	}
	kfree(a);
	return n;
}

/* One walk over kallsyms' records in address order, merged with @ip. */
static notrace int ksym_walk(struct names_merge *m)
{
	unsigned int i;
	u32 off = 0;
	int ret;

	for (i = 0; i < kallsyms_num_syms && m->next < m->nr; i++) {
		ret = ftrace_names_merge_sym(m, kallsyms_sym_address(i));
		if (ret < 0)
			return ret;
		if (ret) {
			if (off > FTRACE_NAME_POOL_MASK)
				return -E2BIG;
			m->sym_off = off;
			m->sym_idx = i;
		}
		off = ksym_next(off);
		if (!(i % 4096))
			cond_resched();
	}
	return ftrace_names_merge_upto(m, ULONG_MAX);
}

/**
 * ftrace_names_build_kernel_as() - the names of the kernel's sites
 * @ip: the sites, strictly ascending, all in the kernel image
 * @nr: how many
 * @by_seqs: take the index from kallsyms' name order (checked); false
 *           sorts it by comparisons (KUnit compares both)
 *
 * Context: process context; may sleep.
 * Return: the table, or an ERR_PTR().
 */
struct ftrace_names *ftrace_names_build_kernel_as(const unsigned long *ip,
						  unsigned int nr,
						  bool by_seqs)
{
	struct ftrace_names *n;
	struct names_merge *m;
	int err = -ENOMEM;

	m = kmalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return ERR_PTR(-ENOMEM);
	if (ftrace_names_merge_init(m, ip, nr))
		goto out;
	m->first = kvmalloc_array(max(kallsyms_num_syms, 1U), sizeof(u32),
				  GFP_KERNEL);
	if (!m->first)
		goto out;
	memset(m->first, 0xff, kallsyms_num_syms * sizeof(u32));
	err = ksym_walk(m);
out:
	n = err ? ERR_PTR(err) : ksym_finish(m, by_seqs);
	kvfree(m->first);
	kvfree(m->name);
	kfree(m);
	return n;
}

/**
 * ftrace_names_build_kernel() - the names of the kernel's sites
 * @ip: the sites, strictly ascending, all in the kernel image
 * @nr: how many
 *
 * Context: process context; may sleep.
 * Return: the table, or an ERR_PTR().
 */
struct ftrace_names *ftrace_names_build_kernel(const unsigned long *ip,
					       unsigned int nr)
{
	return ftrace_names_build_kernel_as(ip, nr, true);
}
