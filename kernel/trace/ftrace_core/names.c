// SPDX-License-Identifier: GPL-2.0
/*
 * Names of ftrace sites: for one chunk of sites (the kernel's, or one
 * module's), each site's function name exactly as kallsyms_lookup() gives
 * it, and an index by name.
 *
 * A chunk's names are built once, in one pass over the symbols merged
 * with the sites (both in address order, names.h): never a kallsyms
 * lookup per site.  Afterwards a site's name is one array access (a
 * module's) or one decode of a kallsyms record (the kernel's,
 * names_ksym.c), an exact name or a prefix is found by binary search in
 * O(log n + k), and other patterns scan the index once, testing a name
 * again only where its offset changes, without a kallsyms lookup.
 *
 * Layout (struct ftrace_names): no name is copied.  A module's @pool is
 * the string table of the symbol table it was built from, borrowed: the
 * module's core string table (add_kallsyms() fills it before
 * ftrace_module_init() and it stays until the module's memory is freed,
 * after ftrace_release_mod()), or for the chunk of its init text the
 * load's whole table, freed with the init text after ftrace_free_mem()
 * dropped that chunk.  The kernel's table has none (@ksym: its names
 * stay in kallsyms' compressed table).  @name[i] is the offset of site
 * i's name (in @pool, or of its symbol's record in kallsyms_names[])
 * with the site's offset from its function's start in
 * the top bits (ftrace_name_val(): ftrace_lookup_symbols() needs the
 * start, and a module's kallsyms lookup is a walk of all its symbols),
 * or FTRACE_NAME_BAD | offset for a site whose nearest symbol is more
 * than FTRACE_MCOUNT_MAX_OFFSET bytes before it (the leftover site of a
 * weak function the linker dropped; upstream lists it as
 * "__ftrace_invalid_address___<offset>" and never matches it); @by_name
 * lists the named sites sorted by (name, site), so the sites of one name
 * are adjacent.  Two symbols of one name have two offsets, in a
 * module's string table as in kallsyms' (ftrace_names_match() tests a
 * name once per offset, and compares names as strings).
 *
 * Which symbol names a site, as kallsyms_lookup() decides: the symbol
 * with the highest address at or below the site; of several at that
 * address, the first in the symbol table (kernel: kallsyms' table order;
 * module: its ELF symbol table, without undefined, unnamed and mapping
 * symbols).
 *
 * Invariants: a built table never changes; it belongs to its chunk and is
 * freed with it.  A module's names are read only while its chunk is
 * listed (under ftrace_core_chunks_lock, or before the listing), so
 * never after the string table goes; a lockless reader
 * (ftrace_location()) reads only @name.  Locking: none of its own
 * (readers need no lock since nothing changes); building needs the
 * symbols to stay put: the kernel's never change, a module's are read
 * while it is being loaded.
 */
#include <linux/elf.h>
#include <linux/err.h>
#include <linux/ftrace.h>
#include <linux/glob.h>
#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/module_symbol.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "internal.h"
#include "names.h"

/**
 * ftrace_names_merge_upto() - name every site below @limit after the
 * current symbol
 * @m: the merge
 * @limit: the next symbol's address (ULONG_MAX: the end)
 *
 * Return: 0.
 */
notrace int ftrace_names_merge_upto(struct names_merge *m, unsigned long limit)
{
	while (m->next < m->nr && m->ip[m->next] < limit) {
		unsigned long ip = m->ip[m->next];
		unsigned long off = m->have_sym ? ip - m->sym_addr : 0;

		if (!m->have_sym || off > FTRACE_NAME_MAX_OFFSET) {
			m->name[m->next++] = FTRACE_NAME_BAD |
					     min_t(unsigned long, off,
						   FTRACE_NAME_OFF_MAX);
			continue;
		}
		if (m->first && m->first[m->sym_idx] == U32_MAX)
			m->first[m->sym_idx] = m->next;
		m->name[m->next++] = ftrace_name_val(m->sym_off, off);
	}
	return 0;
}

/**
 * ftrace_names_merge_sym() - the next symbol in address order
 * @m: the merge
 * @addr: the symbol's address
 *
 * Names the sites below @addr after the symbol before.  An alias (the
 * first symbol at an address names it) or a symbol out of order is left
 * out.
 *
 * Return: 1 if the symbol now names the sites from @addr on (the caller
 * sets @m's sym_off, and sym_idx for the kernel's), 0 if it is left out,
 * or ftrace_names_merge_upto()'s error.
 */
notrace int ftrace_names_merge_sym(struct names_merge *m, unsigned long addr)
{
	int err;

	if (m->have_sym && addr <= m->sym_addr)
		return 0;
	err = ftrace_names_merge_upto(m, addr);
	if (err)
		return err;
	m->have_sym = true;
	m->sym_addr = addr;
	return 1;
}

/* Sorting sites by name: their names are in the borrowed string table. */
struct names_sort {
	const char *strtab;
	const u32 *name;
};

static notrace int names_cmp_site(const void *a, const void *b,
				  const void *priv)
{
	const struct names_sort *ns = priv;
	u32 x = *(const u32 *)a, y = *(const u32 *)b;
	int c = strcmp(ns->strtab + ftrace_name_pool(ns->name[x]),
		       ns->strtab + ftrace_name_pool(ns->name[y]));

	if (c)
		return c;
	return (x > y) - (x < y);
}

/* The table from a finished merge: the named sites sorted by name. */
static notrace struct ftrace_names *names_finish(struct names_merge *m,
						 const char *strtab)
{
	struct names_sort ns = { .strtab = strtab };
	struct ftrace_names *n;
	unsigned int i, k;

	n = ftrace_names_alloc(m);
	if (!n)
		return ERR_PTR(-ENOMEM);
	for (i = 0, k = 0; i < n->nr; i++)
		if (!(n->name[i] & FTRACE_NAME_BAD))
			n->by_name[k++] = i;
	ns.name = n->name;
	sort_r(n->by_name, n->nr_named, sizeof(u32), names_cmp_site, NULL, &ns);
	n->pool = strtab;
	return n;
}

/**
 * ftrace_names_merge_init() - start a merge of symbols with @nr sites
 * @m: the merge
 * @ip: the sites, strictly ascending
 * @nr: how many
 *
 * Return: 0, or -ENOMEM.
 */
notrace int ftrace_names_merge_init(struct names_merge *m,
				    const unsigned long *ip, unsigned int nr)
{
	memset(m, 0, sizeof(*m));
	m->ip = ip;
	m->nr = nr;
	m->name = kvmalloc_array(max(nr, 1U), sizeof(u32), GFP_KERNEL);
	return m->name ? 0 : -ENOMEM;
}

/**
 * ftrace_names_alloc() - a table taking over a finished merge's names
 * @m: the merge, every site named; its @name array moves to the table
 *
 * Return: the table, its @by_name allocated (not filled), or NULL.
 */
notrace struct ftrace_names *ftrace_names_alloc(struct names_merge *m)
{
	struct ftrace_names *n = kzalloc(sizeof(*n), GFP_KERNEL);
	unsigned int i;

	if (!n)
		return NULL;
	n->nr = m->nr;
	n->name = m->name;
	m->name = NULL;
	for (i = 0; i < n->nr; i++)
		n->nr_named += !(n->name[i] & FTRACE_NAME_BAD);
	n->by_name = kvmalloc_array(max(n->nr_named, 1U), sizeof(u32),
				    GFP_KERNEL);
	if (!n->by_name) {
		ftrace_names_free(n);
		return NULL;
	}
	return n;
}

/* The table of a module's merge, its names in @strtab. */
static notrace struct ftrace_names *names_merge_end(struct names_merge *m,
						    int err,
						    const char *strtab)
{
	struct ftrace_names *n;

	if (!err)
		err = ftrace_names_merge_upto(m, ULONG_MAX);
	n = err ? ERR_PTR(err) : names_finish(m, strtab);
	kvfree(m->name);
	return n;
}

/* A module symbol that may name a site, as find_kallsyms_symbol() allows. */
struct names_msym {
	unsigned long addr;
	unsigned int idx;
};

static notrace int names_cmp_msym(const void *a, const void *b)
{
	const struct names_msym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

/**
 * ftrace_names_build_syms() - the names of a module's sites from its
 * ELF symbol table
 * @ip: the sites, strictly ascending
 * @nr: how many
 * @sym: the symbol table (entry 0 is ELF's null symbol)
 * @nsym: its entries
 * @strtab: the string table its st_name offsets point into; the table
 *	    borrows it (no name is copied)
 *
 * Undefined, unnamed and mapping symbols name nothing; of the others, in
 * address order, the first in @sym at an address names the sites after it.
 *
 * Context: process context; may sleep.  @sym and @strtab must not change,
 * and @strtab must outlive every read of the table's names.
 * Return: the table, or an ERR_PTR() (-E2BIG: a name's offset beyond
 * what a site's value holds).
 */
notrace struct ftrace_names *ftrace_names_build_syms(const unsigned long *ip,
						     unsigned int nr,
						     const Elf_Sym *sym,
						     unsigned int nsym,
						     const char *strtab)
{
	struct names_msym *ms;
	struct names_merge *m;
	struct ftrace_names *n;
	unsigned int i, k = 0;
	int err = 0;

	ms = kvmalloc_array(max(nsym, 1U), sizeof(*ms), GFP_KERNEL);
	m = kmalloc(sizeof(*m), GFP_KERNEL);
	if (!ms || !m) {
		n = ERR_PTR(-ENOMEM);
		goto out;
	}
	for (i = 1; i < nsym; i++) {
		const char *s = strtab + sym[i].st_name;

		if (sym[i].st_shndx == SHN_UNDEF || !*s || is_mapping_symbol(s))
			continue;
		ms[k].addr = sym[i].st_value;
		ms[k++].idx = i;
	}
	sort(ms, k, sizeof(*ms), names_cmp_msym, NULL);
	if (ftrace_names_merge_init(m, ip, nr)) {
		n = ERR_PTR(-ENOMEM);
		goto out;
	}
	for (i = 0; i < k && m->next < nr; i++) {
		err = ftrace_names_merge_sym(m, ms[i].addr);
		if (err < 0)
			break;
		if (!err)
			continue;
		m->sym_off = sym[ms[i].idx].st_name;
		err = m->sym_off > FTRACE_NAME_POOL_MASK ? -E2BIG : 0;
		if (err)
			break;
	}
	n = names_merge_end(m, err, strtab);
out:
	kfree(m);
	kvfree(ms);
	return n;
}

/**
 * ftrace_names_build_module() - the names of a module's sites
 * @mod: the module, being loaded or in its LIVE notification (its symbols
 *       do not change meanwhile)
 * @ip: its sites, strictly ascending
 * @nr: how many
 * @init: the sites of its init text, else of the rest
 *
 * Its core text's sites are named from its core symbols, whose string
 * table stays until its memory is freed (and kallsyms names them from
 * these once it is live); its init text's from the load's whole table,
 * which goes with the init text.  The table borrows that string table.
 *
 * Context: process context, from the module loader; may sleep.
 * Return: the table, or an ERR_PTR().
 */
notrace struct ftrace_names *ftrace_names_build_module(struct module *mod,
						       const unsigned long *ip,
						       unsigned int nr,
						       bool init)
{
	struct mod_kallsyms *ks = &mod->core_kallsyms;

	/* the loader switches to the core symbols only after LIVE's notifier */
	if (init)
		ks = rcu_dereference_check(mod->kallsyms,
					   mod->state == MODULE_STATE_UNFORMED ||
					   mod->state == MODULE_STATE_COMING ||
					   mod->state == MODULE_STATE_LIVE);
	return ftrace_names_build_syms(ip, nr, ks->symtab, ks->num_symtab,
				       ks->strtab);
}

/**
 * ftrace_names_free() - free a table
 * @n: the table; NULL and ERR_PTR() values are ignored
 */
notrace void ftrace_names_free(struct ftrace_names *n)
{
	if (IS_ERR_OR_NULL(n))
		return;
	kvfree(n->name);
	kvfree(n->by_name);
	kfree(n);
}

/**
 * ftrace_names_bytes() - memory a table holds
 * @n: the table
 *
 * Return: bytes of its arrays (what it costs per site, times the sites;
 * the names it borrows are not its own); the kernel's table counts the
 * token table it decodes with.
 */
notrace size_t ftrace_names_bytes(const struct ftrace_names *n)
{
	return sizeof(*n) + n->nr * sizeof(u32) + n->nr_named * sizeof(u32) +
	       (n->ksym ? ftrace_ksym_bytes() : 0);
}

/**
 * ftrace_name_matches() - does a name match a pattern?
 * @p: the pattern
 * @s: the name (a function's or a module's)
 *
 * As upstream matches a name against a filter token.
 *
 * Context: any context.
 * Return: true if @s matches @p.
 */
notrace bool ftrace_name_matches(const struct ftrace_name_pattern *p,
				 const char *s)
{
	size_t len;

	switch (p->type) {
	case FTRACE_NAME_FULL:
		return !strcmp(s, p->str);
	case FTRACE_NAME_FRONT:
		return !strncmp(s, p->str, p->len);
	case FTRACE_NAME_MIDDLE:
		return strstr(s, p->str);
	case FTRACE_NAME_END:
		len = strlen(s);
		return len >= p->len && !memcmp(s + len - p->len, p->str,
						p->len);
	case FTRACE_NAME_GLOB:
		return glob_match(p->str, s);
	}
	return false;
}

/**
 * ftrace_names_str() - the name a value of a table's @name array stands for
 * @n: the table
 * @v: a named site's value (not FTRACE_NAME_BAD)
 * @buf: KSYM_NAME_LEN bytes for a name the table must decode (the
 *       kernel's, kept by kallsyms), or NULL to get only the names a
 *       table holds as text (a module's)
 *
 * Return: the name; NULL if it is in kallsyms' table and @buf is NULL.
 */
notrace const char *ftrace_names_str(const struct ftrace_names *n, u32 v,
				     char *buf)
{
	if (!n->ksym)
		return n->pool + ftrace_name_pool(v);
	if (!buf)
		return NULL;
	ftrace_ksym_name(ftrace_name_pool(v), buf);
	return buf;
}

/*
 * strncmp() of a named site's name (its value @v) with @p's text: the
 * whole name for FULL (its NUL compared too), its first p->len
 * characters for FRONT.
 */
static notrace int names_cmp(const struct ftrace_names *n, u32 v,
			     const struct ftrace_name_pattern *p)
{
	size_t len = p->len + (p->type == FTRACE_NAME_FULL);

	if (n->ksym)
		return ftrace_ksym_ncmp(ftrace_name_pool(v), p->str, len);
	return strncmp(n->pool + ftrace_name_pool(v), p->str, len);
}

/* The first entry of @by_name whose name is not below @p (FULL/FRONT). */
static notrace unsigned int names_lower(const struct ftrace_names *n,
					const struct ftrace_name_pattern *p)
{
	unsigned int lo = 0, hi = n->nr_named;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (names_cmp(n, n->name[n->by_name[mid]], p) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/**
 * ftrace_names_match() - call @fn for every site whose name matches @p
 * @n: the table
 * @p: the pattern; FULL and FRONT use the index, the others scan the
 *     named sites once
 * @fn: called with @data and the site's index; a negative return stops
 *      the walk and is returned
 * @data: for @fn
 *
 * Sites without a valid name never match.  Sites of one name come in
 * ascending order; names in strcmp() order.
 *
 * Context: process context; may sleep (a scan of the kernel's table
 * allocates a buffer to decode its names into).
 * Return: the number of sites matched, @fn's error, or -ENOMEM.
 */
notrace int ftrace_names_match(const struct ftrace_names *n,
			       const struct ftrace_name_pattern *p,
			       int (*fn)(void *data, unsigned int site),
			       void *data)
{
	bool indexed = p->type == FTRACE_NAME_FULL ||
		       p->type == FTRACE_NAME_FRONT;
	unsigned int k = indexed ? names_lower(n, p) : 0;
	u32 last = U32_MAX;
	bool hit = false;
	char *buf = NULL;
	int found = 0, ret;

	if (!indexed && n->ksym) {
		buf = kmalloc(KSYM_NAME_LEN, GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
	}
	for (; k < n->nr_named; k++) {
		unsigned int site = n->by_name[k];
		u32 off = ftrace_name_pool(n->name[site]);

		/* a new name (in kallsyms' table, a new symbol) */
		if (off != last) {
			last = off;
			if (indexed)
				hit = !names_cmp(n, off, p);
			else
				hit = ftrace_name_matches(p, ftrace_names_str(n, off, buf));
			if (!hit && indexed)
				break;
		}
		if (!hit)
			continue;
		ret = fn(data, site);
		if (ret < 0) {
			found = ret;
			break;
		}
		found++;
	}
	kfree(buf);
	return found;
}

static notrace int names_count_one(void *data, unsigned int site)
{
	return 0;
}

/**
 * ftrace_names_count() - how many sites have exactly this name
 * @n: the table
 * @name: the name
 *
 * Context: process context.
 * Return: the number of sites (several: a name of several functions).
 */
notrace int ftrace_names_count(const struct ftrace_names *n, const char *name)
{
	struct ftrace_name_pattern p = {
		.type = FTRACE_NAME_FULL, .str = name, .len = strlen(name),
	};

	return ftrace_names_match(n, &p, names_count_one, NULL);
}
