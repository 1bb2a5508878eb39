// SPDX-License-Identifier: GPL-2.0
#define pr_fmt(fmt) "ftrace_core: " fmt
/*
 * The kernel's site names, left where the kernel already keeps them: in
 * kallsyms' compressed name table (kernel/kallsyms_internal.h), which
 * every kernel with ftrace has (FUNCTION_TRACER selects KALLSYMS).  The
 * table of the kernel's chunk holds, per site, the offset of its
 * symbol's record in kallsyms_names[] (with its offset from the
 * function's start, as names.c's tables do), and the index by name; no
 * copy of any name.  A name is decoded on use (a token lookup per
 * compressed byte); a module's stay in its own string table (names.c).
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
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "../../kallsyms_internal.h"
#include "internal.h"
#include "names.h"

/*
 * The tokens of the record at @off, their number in *@len: a record is
 * its length in one byte, or in two when the first has its top bit set
 * (the low seven bits first), then that many token numbers.
 */
static __always_inline const u8 *ksym_rec(u32 off, unsigned int *len)
{
	const u8 *rec = &kallsyms_names[off];
	unsigned int n = *rec++;

	if (n & 0x80)
		n = (n & 0x7f) | (unsigned int)*rec++ << 7;
	*len = n;
	return rec;
}

/* The offset of the record after the one at @off. */
static notrace u32 ksym_next(u32 off)
{
	unsigned int len;
	const u8 *rec = ksym_rec(off, &len);

	return rec + len - kallsyms_names;
}

/*
 * kallsyms' tokens, each padded to KSYM_TOK bytes, with their lengths:
 * a decoder copies a short token with one fixed-size move instead of
 * byte by byte (a listing decodes one name per line).  Filled once,
 * before the first kernel table is built; read-only afterwards.  Fixed
 * size: 256 * (KSYM_TOK + 1) bytes, counted in ftrace_names_bytes().
 */
#define KSYM_TOK	16

static struct {
	u8 len[256];
	char s[256][KSYM_TOK];
} ksym_tok;
static bool ksym_tok_ready;
static DEFINE_MUTEX(ksym_tok_lock);

static notrace void ksym_tok_init(void)
{
	unsigned int t;

	/* pairs with the release below: the tokens are seen filled */
	if (smp_load_acquire(&ksym_tok_ready))
		return;
	mutex_lock(&ksym_tok_lock);
	if (!ksym_tok_ready) {
		for (t = 0; t < 256; t++) {
			const char *tok = &kallsyms_token_table[kallsyms_token_index[t]];
			size_t n = strlen(tok);

			ksym_tok.len[t] = min_t(size_t, n, U8_MAX);
			memcpy(ksym_tok.s[t], tok, min_t(size_t, n, KSYM_TOK));
		}
		/* the tokens before the flag, for lockless decoders */
		smp_store_release(&ksym_tok_ready, true);
	}
	mutex_unlock(&ksym_tok_lock);
}

/*
 * Append token @t, less its first @skip letters, at @out, writing no
 * further than @end; return the new end of the text.
 */
static notrace char *ksym_put(char *out, char *end, u8 t, unsigned int skip)
{
	const char *tok = &kallsyms_token_table[kallsyms_token_index[t]];

	for (tok += skip && *tok; *tok && out < end; tok++)
		*out++ = *tok;
	return out;
}

/**
 * ftrace_ksym_name() - decode the name of a kallsyms record
 * @off: the record's offset in kallsyms_names[]
 * @buf: KSYM_NAME_LEN bytes
 *
 * The name as kallsyms_lookup() gives it: the type letter left out,
 * truncated to KSYM_NAME_LEN - 1 bytes, NUL-terminated.  Only for
 * records of a table built by this file (its tokens are ready then).
 * A short token is one fixed-size move while KSYM_TOK bytes are left.
 *
 * Context: any context.
 * Return: the name's length.
 */
notrace size_t ftrace_ksym_name(u32 off, char *buf)
{
	char *out = buf, *end = buf + KSYM_NAME_LEN - 1;
	char *fast_end = end - KSYM_TOK;
	unsigned int len;
	const u8 *rec = ksym_rec(off, &len);

	/* the first token begins with the symbol's type letter */
	if (len) {
		out = ksym_put(out, end, *rec++, 1);
		len--;
	}
	while (len--) {
		u8 t = *rec++;

		if (likely(ksym_tok.len[t] <= KSYM_TOK && out <= fast_end)) {
			memcpy(out, ksym_tok.s[t], KSYM_TOK);
			out += ksym_tok.len[t];
		} else {
			out = ksym_put(out, end, t, 0);
		}
	}
	*out = '\0';
	return out - buf;
}

/**
 * ftrace_ksym_ncmp() - compare a kallsyms record's name with a string
 * @off: the record's offset in kallsyms_names[]
 * @s: the string
 * @n: at most this many characters (strlen(@s) + 1: the whole name)
 *
 * As strncmp(name, @s, @n), decoding only up to the first difference:
 * a binary search by name mostly stops within the first token.
 *
 * Context: any context.
 * Return: <0, 0 or >0 as the name sorts before, equal to or after @s.
 */
notrace int ftrace_ksym_ncmp(u32 off, const char *s, size_t n)
{
	unsigned int len, skip = 1;
	const u8 *rec = ksym_rec(off, &len);

	for (; n; len--) {
		const char *tok;

		if (!len)	/* the name ends: its NUL against @s */
			return *s ? -1 : 0;
		tok = &kallsyms_token_table[kallsyms_token_index[*rec++]];
		for (tok += skip && *tok, skip = 0; *tok && n; tok++, s++, n--)
			if (*tok != *s)
				return (u8)*tok < (u8)*s ? -1 : 1;
	}
	return 0;
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
 * Is the index in (name, site) order, each site once?  Each symbol's name
 * is decoded once; the sites of one symbol are adjacent.
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
			if (n->by_name[k] <= n->by_name[k - 1])
				return false;
			continue;
		}
		ftrace_ksym_name(off, b);
		c = prev == U32_MAX ? -1 : strcmp(a, b);
		if (c > 0 || (!c && n->by_name[k] <= n->by_name[k - 1]))
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

	if (vs != vt) {
		ftrace_ksym_name(vs, ks->a);
		ftrace_ksym_name(vt, ks->b);
		c = strcmp(ks->a, ks->b);
	}
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
			pr_info("kallsyms' name order is not strcmp()'s: sorting the names\n");
		ksym_index_sort(n, a, a + KSYM_NAME_LEN);
		n->sorted = true;
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
notrace struct ftrace_names *
ftrace_names_build_kernel_as(const unsigned long *ip, unsigned int nr,
			     bool by_seqs)
{
	struct ftrace_names *n;
	struct names_merge *m;
	int err = -ENOMEM;

	ksym_tok_init();
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
 * ftrace_ksym_bytes() - memory the kernel's tables share
 *
 * Return: the bytes of the padded token table (names_ksym.c).
 */
notrace size_t ftrace_ksym_bytes(void)
{
	return sizeof(ksym_tok);
}

/**
 * ftrace_names_build_kernel() - the names of the kernel's sites
 * @ip: the sites, strictly ascending, all in the kernel image
 * @nr: how many
 *
 * Context: process context; may sleep.
 * Return: the table, or an ERR_PTR().
 */
notrace struct ftrace_names *
ftrace_names_build_kernel(const unsigned long *ip, unsigned int nr)
{
	return ftrace_names_build_kernel_as(ip, nr, true);
}
