/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The merge of symbols with a chunk's sites, shared by names.c (a
 * module's symbols, names left in its string table) and names_ksym.c
 * (the kernel's, names left in kallsyms' compressed table).  Not part of the
 * core's contract (internal.h): only the two builders use it.
 *
 * A merge visits symbols in ascending address order: each call of
 * ftrace_names_merge_sym() first names every site below the symbol's
 * address after the symbol before it, then makes it the current one.
 * One merge belongs to one builder: no locking.
 */
#ifndef _FTRACE_CORE_NAMES_H
#define _FTRACE_CORE_NAMES_H

#include <linux/kallsyms.h>
#include <linux/types.h>

/**
 * struct names_merge - symbols (ascending addresses) merged with sites
 * @ip: the sites, strictly ascending
 * @nr: how many
 * @next: the first site not named yet
 * @name: per site, its value in the table's @name array
 * @first: the kernel's merge only: per kallsyms symbol, the first site
 *         it names (U32_MAX: none), or NULL
 * @have_sym: a current symbol exists
 * @sym_addr: its address (the first symbol at that address)
 * @sym_off: its name's offset (in the module's string table, or of its
 *           record in kallsyms' table)
 * @sym_idx: the kernel's merge: its index in kallsyms' table
 */
struct names_merge {
	const unsigned long *ip;
	unsigned int nr;
	unsigned int next;
	u32 *name;
	u32 *first;
	bool have_sym;
	unsigned long sym_addr;
	u32 sym_off;
	unsigned int sym_idx;
};

int ftrace_names_merge_init(struct names_merge *m, const unsigned long *ip,
			    unsigned int nr);
int ftrace_names_merge_sym(struct names_merge *m, unsigned long addr);
int ftrace_names_merge_upto(struct names_merge *m, unsigned long limit);
struct ftrace_names *ftrace_names_alloc(struct names_merge *m);

#endif /* _FTRACE_CORE_NAMES_H */
