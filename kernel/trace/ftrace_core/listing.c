// SPDX-License-Identifier: GPL-2.0
/*
 * Listings of the sites: available_filter_functions and
 * available_filter_functions_addrs, as upstream prints them (one site per
 * line, in address order, "name", "name [module]" or
 * "__ftrace_invalid_address___<offset>", the _addrs file with the site's
 * address in front), streamed from the chunks' name tables: no kallsyms
 * lookup per line.  A chunk's names are built on its first listing.
 *
 * Beside upstream's core, the files live in tracefs' ftrace_core/ folder
 * (upstream's own stay where they are, and a kselftest compares both);
 * init text sites, which upstream's ftrace_free_init_mem() drops after
 * boot, are skipped once init memory is freed.  When our core runs
 * ftrace, these are the top-level files.
 *
 * Locking: ftrace_core_names_lock serializes building names; a listing
 * holds ftrace_core_chunks_lock (records.c) from ->start to ->stop, so the
 * chunks it walks stay listed.
 */
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/tracefs.h>

#include <asm/sections.h>

#include "internal.h"

/* Serializes building a chunk's names (->names is set once). */
static DEFINE_MUTEX(ftrace_core_names_lock);

/* Where a listing is: a site of a chunk. */
struct listing_iter {
	struct ftrace_chunk *c;
	unsigned int i;
	loff_t base;	/* sites of the chunks before @c */
	const struct ftrace_names *names;	/* @c's, NULL: not fetched */
	struct ftrace_sites *only;	/* list only these (a reference) */
	bool addrs;
	char buf[KSYM_NAME_LEN];	/* a kernel site's name, decoded */
};

/**
 * ftrace_chunk_names() - a chunk's name table, built on first use
 * @c: a listed chunk
 *
 * Context: process context; may sleep.
 * Return: the table, or an ERR_PTR() if it could not be built.
 */
notrace const struct ftrace_names *ftrace_chunk_names(struct ftrace_chunk *c)
{
	struct ftrace_names *n;

	mutex_lock(&ftrace_core_names_lock);
	n = c->names;
	if (!n) {
		n = c->mod ? ftrace_names_build_module(c->mod, c->ip, c->nr,
						       c->init)
			   : ftrace_names_build_kernel(c->ip, c->nr);
		if (!IS_ERR(n))	/* read locklessly by ftrace_location() */
			smp_store_release(&c->names, n);
	}
	mutex_unlock(&ftrace_core_names_lock);
	return n;
}

/**
 * ftrace_chunk_bytes() - memory a chunk's records and names hold
 * @c: a listed chunk
 * @names: set to the bytes of its name table (0: not built yet)
 *
 * Context: process context, ftrace_core_chunks_lock held.
 * Return: the bytes of its addresses, states, touched bits and names.
 */
notrace size_t ftrace_chunk_bytes(struct ftrace_chunk *c, size_t *names)
{
	size_t rec = c->nr * (sizeof(*c->ip) + sizeof(*c->state)) +
		     BITS_TO_LONGS(c->nr) * sizeof(long) + sizeof(*c);

	lockdep_assert_held(&ftrace_core_chunks_lock);
	mutex_lock(&ftrace_core_names_lock);
	*names = c->names ? ftrace_names_bytes(c->names) : 0;
	mutex_unlock(&ftrace_core_names_lock);
	return rec + *names;
}

/* A site not listed: gone, or not in the set listed. */
static notrace bool listing_skip(const struct listing_iter *it)
{
	return ftrace_chunk_site_gone(it->c, it->i) ||
	       (it->only && !ftrace_sites_has(it->only, it->c->ip[it->i]));
}

/*
 * Move to the first listed site at or after (@c, @i), or past the end.
 * A position is the site's index among all chunks' sites, skipped ones
 * included, so that ->start finds it without walking the sites before.
 */
static notrace bool listing_settle(struct listing_iter *it)
{
	lockdep_assert_held(&ftrace_core_chunks_lock);
	while (it->c) {
		for (; it->i < it->c->nr; it->i++)
			if (!listing_skip(it))
				return true;
		it->base += it->c->nr;
		it->c = ftrace_chunk_next(it->c);
		it->i = 0;
		it->names = NULL;
	}
	return false;
}

static notrace void *listing_start(struct seq_file *m, loff_t *pos)
	__acquires(&ftrace_core_chunks_lock)
{
	struct listing_iter *it = m->private;

	mutex_lock(&ftrace_core_chunks_lock);
	/* a chunk may have gone between two reads: fetch its names anew */
	it->names = NULL;
	it->base = 0;
	it->c = ftrace_chunk_next(NULL);
	while (it->c && *pos >= it->base + it->c->nr) {
		it->base += it->c->nr;
		it->c = ftrace_chunk_next(it->c);
	}
	if (!it->c)
		return NULL;
	it->i = *pos - it->base;
	if (!listing_settle(it))
		return NULL;
	*pos = it->base + it->i;
	return it;
}

static notrace void *listing_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct listing_iter *it = v;
	bool more;

	it->i++;
	more = listing_settle(it);
	*pos = it->base + it->i;
	return more ? it : NULL;
}

static notrace void listing_stop(struct seq_file *m, void *v)
	__releases(&ftrace_core_chunks_lock)
{
	mutex_unlock(&ftrace_core_chunks_lock);
}

/*
 * The site's name; a kernel site's is decoded straight into the file's
 * buffer when the longest name fits there, else through @it->buf (and
 * seq_puts(), which marks the buffer full if this one does not fit: the
 * line is then shown again into a larger buffer).
 */
static notrace void listing_name(struct seq_file *m, struct listing_iter *it)
{
	const struct ftrace_names *n = it->names;
	unsigned long off = 0;
	const char *name;
	char *dst;

	if (n->ksym && ftrace_names_named(n, it->i) &&
	    seq_get_buf(m, &dst) >= KSYM_NAME_LEN) {
		seq_commit(m, ftrace_ksym_name(ftrace_name_pool(n->name[it->i]),
					       dst));
		return;
	}
	name = ftrace_names_name(n, it->i, it->buf, &off);
	if (name)
		seq_puts(m, name);
	else
		seq_printf(m, "__ftrace_invalid_address___%lu", off);
}

static notrace int listing_show(struct seq_file *m, void *v)
{
	struct listing_iter *it = v;
	unsigned long ip = it->c->ip[it->i];

	/* once per chunk and read(), not per line */
	if (!it->names) {
		const struct ftrace_names *n = ftrace_chunk_names(it->c);

		if (IS_ERR(n))
			return PTR_ERR(n);
		it->names = n;
	}
	if (it->addrs)
		seq_printf(m, "%lx ", ip);
	listing_name(m, it);
	if (it->c->mod)
		seq_printf(m, " [%s]", it->c->mod->name);
	seq_putc(m, '\n');
	return 0;
}

static const struct seq_operations listing_seq_ops = {
	.start = listing_start,
	.next = listing_next,
	.stop = listing_stop,
	.show = listing_show,
};

static notrace int listing_open(struct inode *inode, struct file *file)
{
	struct listing_iter *it;

	it = __seq_open_private(file, &listing_seq_ops, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->addrs = (uintptr_t)inode->i_private;
	return 0;
}

/**
 * ftrace_listing_open_sites() - open @file as a listing of a site set
 * @file: the file being opened for reading
 * @only: the set, whose reference the listing takes over (dropped by
 *        ftrace_listing_release(), or here on failure)
 *
 * The lines are those of available_filter_functions, for the sites of
 * @only (a filter file's contents).
 *
 * Context: process context.
 * Return: 0 or -ENOMEM.
 */
notrace int ftrace_listing_open_sites(struct file *file,
				      struct ftrace_sites *only)
{
	struct listing_iter *it;

	it = __seq_open_private(file, &listing_seq_ops, sizeof(*it));
	if (!it) {
		ftrace_sites_put(only);
		return -ENOMEM;
	}
	it->only = only;
	return 0;
}

/**
 * ftrace_listing_release() - release a listing opened by listing.c
 * @inode: its inode
 * @file: its file
 *
 * Return: 0.
 */
notrace int ftrace_listing_release(struct inode *inode, struct file *file)
{
	struct listing_iter *it = ((struct seq_file *)file->private_data)->private;

	if (it->only)
		ftrace_sites_put(it->only);
	return seq_release_private(inode, file);
}

const struct file_operations ftrace_core_listing_fops = {
	.open = listing_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = ftrace_listing_release,
};

/*
 * Every file of tracefs' ftrace_core/ folder, made by one initcall: the
 * listings here, the filter files (filter.c; i_private picks the set)
 * and the check (check.c).
 */
struct ftrace_core_file {
	const char *name;
	umode_t mode;
	uintptr_t data;
	const struct file_operations *fops;
};

static const struct ftrace_core_file ftrace_core_files[] __initconst = {
	{ "available_filter_functions", 0444, 0, &ftrace_core_listing_fops },
	{ "available_filter_functions_addrs", 0444, 1, &ftrace_core_listing_fops },
	{ "set_ftrace_filter", 0644, 0, &ftrace_core_filter_fops },
	{ "set_ftrace_notrace", 0644, 1, &ftrace_core_filter_fops },
	{ "check", 0444, 0, &ftrace_core_check_fops },
};

static notrace int __init ftrace_core_tracefs_init(void)
{
	struct dentry *d = tracefs_create_dir("ftrace_core", NULL);
	unsigned int i;

	if (IS_ERR_OR_NULL(d))
		return d ? PTR_ERR(d) : -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(ftrace_core_files); i++)
		tracefs_create_file(ftrace_core_files[i].name,
				    ftrace_core_files[i].mode, d,
				    (void *)ftrace_core_files[i].data,
				    ftrace_core_files[i].fops);
	return 0;
}
late_initcall(ftrace_core_tracefs_init);
