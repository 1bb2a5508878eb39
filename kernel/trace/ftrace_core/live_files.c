// SPDX-License-Identifier: GPL-2.0
/*
 * live_files.c - tracefs files of an ops' sets and of the sites, when our
 * core runs ftrace (CONFIG_FTRACE_OWN_CORE_LIVE): set_ftrace_filter and
 * set_ftrace_notrace of every trace array, the stack tracer's filter
 * (ftrace_regex_open() and friends), available_filter_functions{,_addrs}
 * and enabled_functions.
 *
 * A filter file opened for writing starts from no site with O_TRUNC,
 * from the ops' set otherwise; each write's tokens apply whole or not at
 * all (filter.c); the result is published at close, through the
 * registry for a registered ops (ftrace_live_mods_publish()): an
 * O_TRUNC open's set, an appending open's changes applied to the set
 * of that moment (two overlapping ">>" both count), unless a write
 * of that open was refused: then nothing is, not even the truncation
 * (upstream publishes what it took, an empty filter after a refused
 * "echo bad > set_ftrace_filter", which means every function).  As upstream
 * shows it, a filter left empty traces every function ("#### all
 * functions enabled ####"), and an empty notrace set refuses none.
 *
 * Locking: an open file's pending set is its own, changed under its
 * writer's lock (a going module's drop edits it too, live_mods.c);
 * publishing at close takes mods_lock, the ops' regex_lock, then
 * ftrace_lock.
 * enabled_functions is read under ftrace_lock > ftrace_core_chunks_lock.
 *
 * The core never traces itself: every function here is notrace.
 */
#include <linux/fs.h>
#include <linux/ftrace.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/tracefs.h>
#include <linux/uaccess.h>

#include "../ftrace_internal.h"
#include "../trace.h"
#include "live.h"

/* One open of a filter file for writing. */
struct files_open {
	struct ftrace_ops *ops;
	bool filter;
	bool trunc;
	struct ftrace_filter_writer w;	/* pending set, carry, refused */
	struct ftrace_live_writer mw;	/* going modules leave w.pending */
	struct list_head pend_mods;	/* :mod: tokens for absent modules */
};

/**
 * ftrace_live_ops_sites() - the set an ops' filter or notrace file shows
 * @ops: the ops
 * @filter: the filter, else the notrace set
 *
 * Context: process context; takes the ops' regex_lock.
 * Return: the set (a reference).
 */
notrace struct ftrace_sites *ftrace_live_ops_sites(struct ftrace_ops *ops,
						   bool filter)
{
	struct ftrace_sites *s;

	ftrace_core_ops_init(ops);
	mutex_lock(&ops->func_hash->regex_lock);
	s = ftrace_hash_sites(rcu_dereference_protected(filter ?
				ops->func_hash->filter_hash :
				ops->func_hash->notrace_hash,
				lockdep_is_held(&ops->func_hash->regex_lock)),
			      filter);
	s = ftrace_sites_get(s);
	mutex_unlock(&ops->func_hash->regex_lock);
	return s;
}

/* A filter file's trace array: its ops' (the stack tracer's has none). */
static notrace struct trace_array *files_tr(struct ftrace_ops *ops)
{
	return ops ? ops->private : NULL;
}

/*
 * A small set, its pending :mod: tokens, or upstream's lines for none;
 * then a filter's probes.
 */
static notrace int files_show(struct seq_file *m, bool filter)
{
	struct ftrace_ops *ops = m->private;
	struct ftrace_sites *s = ftrace_live_ops_sites(ops, filter);
	unsigned int i, n;

	for (i = 0; s->kind == FTRACE_SITES_SOME && i < s->nr; i++)
		seq_printf(m, "%ps\n", (void *)s->ip[i]);
	n = ftrace_live_mods_show(m, ops, filter);
	if (!n && filter && ftrace_sites_is_all(s))
		seq_puts(m, "#### all functions enabled ####\n");
	if (!n && !filter && ftrace_sites_is_none(s))
		seq_puts(m, "#### no functions disabled ####\n");
	if (filter)
		ftrace_live_probes_show(m, files_tr(ops));
	ftrace_sites_put(s);
	return 0;
}

static notrace int files_filter_show(struct seq_file *m, void *v)
{
	return files_show(m, true);
}

static notrace int files_notrace_show(struct seq_file *m, void *v)
{
	return files_show(m, false);
}

static notrace int files_open_read(struct ftrace_ops *ops, bool filter,
				   struct file *file)
{
	struct ftrace_sites *s = ftrace_live_ops_sites(ops, filter);
	struct trace_array *tr = files_tr(ops);

	/* a large list streams through the name tables */
	if (s->kind == FTRACE_SITES_SOME &&
	    !ftrace_live_mods_pending(ops, filter) &&
	    !(filter && tr && !list_empty(&tr->func_probes)))
		return ftrace_listing_open_sites(file, s);
	ftrace_sites_put(s);
	return single_open(file, filter ? files_filter_show :
					  files_notrace_show, ops);
}

/*
 * Complete tokens of a writer: commands run at once, in order
 * (live_probes.c), ":mod:" tokens for absent modules are kept for the
 * close, the rest go into the pending set; a bad token refuses them all
 * (and the open: its close publishes nothing).
 */
static notrace int files_take(struct ftrace_filter_writer *w, char *buf)
{
	struct files_open *fo = container_of(w, struct files_open, w);
	LIST_HEAD(mods);
	int ret;

	ret = ftrace_live_probes_take(buf, files_tr(fo->ops), fo->filter);
	if (!ret)
		ret = ftrace_live_mods_take(buf, fo->ops, fo->filter, &mods);
	if (!ret) {
		struct ftrace_sites *was;

		mutex_lock(&fo->mw.lock);
		was = ftrace_sites_get(fo->w.pending);
		ret = ftrace_filter_write_named(buf, &fo->w.pending,
						&fo->mw.named);
		/* a write that changed the set: what it holds is written */
		if (!ret && !ftrace_sites_equal(was, fo->w.pending))
			fo->mw.emptied = false;
		ftrace_sites_put(was);
		mutex_unlock(&fo->mw.lock);
	}
	if (ret) {
		ftrace_live_mods_free(&mods);
		return ret;
	}
	list_splice_tail(&mods, &fo->pend_mods);
	return 0;
}

static notrace int files_open_write(struct ftrace_ops *ops, bool filter,
				    struct file *file)
{
	struct files_open *fo;

	if (file->f_mode & FMODE_READ)
		return -EINVAL;
	fo = kzalloc(sizeof(*fo), GFP_KERNEL);
	if (!fo || ftrace_live_mods_add_ops(ops)) {
		kfree(fo);
		return -ENOMEM;
	}
	fo->ops = ops;
	fo->filter = filter;
	fo->w.take = files_take;
	INIT_LIST_HEAD(&fo->pend_mods);
	fo->trunc = file->f_flags & O_TRUNC;
	ftrace_live_mods_writer_open(&fo->mw, &fo->w.pending, ops, filter,
				     fo->trunc);
	file->private_data = fo;
	return 0;
}

/**
 * ftrace_regex_open() - open a filter file of an ops
 * @tr: unused: the trace array is the ops' own (ops->private), held from
 *      open to release, so that its instance cannot go meanwhile
 * @ops: the ops, the inode's i_private
 * @flag: FTRACE_ITER_FILTER or FTRACE_ITER_NOTRACE
 * @inode: the file's inode
 * @file: the file
 *
 * Return: 0; -EINVAL for a read-write open; -ENOMEM; -EPERM under
 * lockdown, -ENODEV if the trace array is going.
 */
notrace int ftrace_regex_open(struct trace_array *tr, struct ftrace_ops *ops,
			      int flag, struct inode *inode, struct file *file)
{
	bool filter = flag & FTRACE_ITER_FILTER;
	int ret;

	tr = files_tr(ops);
	ret = tracing_check_open_get_tr(tr);
	if (ret)
		return ret;
	ret = (file->f_mode & FMODE_WRITE) ? files_open_write(ops, filter, file)
					    : files_open_read(ops, filter, file);
	if (ret && tr)
		trace_array_put(tr);
	return ret;
}

/**
 * ftrace_filter_write() - a write to a filter file
 * @file: the file
 * @ubuf: the tokens
 * @cnt: their length
 * @ppos: the position
 *
 * A token the write leaves unfinished waits for the next write or the
 * close (filter.c's writer).  Commands ("glob:traceoff") run at once, in
 * order (live_probes.c); the filter tokens are kept for the release, all
 * of them or none.
 *
 * Return: bytes taken, or the first bad token's error (no filter token
 * applied).
 */
notrace ssize_t ftrace_filter_write(struct file *file, const char __user *ubuf,
				    size_t cnt, loff_t *ppos)
{
	struct files_open *fo = file->private_data;

	return ftrace_filter_write_set(ubuf, cnt, ppos, &fo->w);
}

/**
 * ftrace_notrace_write() - a write to a notrace file
 * @file: the file
 * @ubuf: the tokens
 * @cnt: their length
 * @ppos: the position
 *
 * Return: as ftrace_filter_write().
 */
notrace ssize_t ftrace_notrace_write(struct file *file,
				     const char __user *ubuf, size_t cnt,
				     loff_t *ppos)
{
	return ftrace_filter_write(file, ubuf, cnt, ppos);
}

/**
 * ftrace_regex_release() - close a filter file: publish what was written
 * @inode: its inode
 * @file: the file
 *
 * An open with a refused write publishes nothing, not even the
 * truncation of its O_TRUNC: "echo bad > set_ftrace_filter" leaves the
 * filter as it was (upstream publishes the empty filter, which turns a
 * running function tracer onto every function).
 *
 * Return: 0 (an error of the registry is reported in the log: the ops
 * keeps its sets).
 */
notrace int ftrace_regex_release(struct inode *inode, struct file *file)
{
	struct trace_array *tr = files_tr(inode->i_private);
	struct files_open *fo = file->private_data;
	int ret;

	/* the trace array (and its ops) stays until the file is done */
	if (!(file->f_mode & FMODE_WRITE)) {
		struct seq_file *m = file->private_data;

		if (m->op->show == files_filter_show ||
		    m->op->show == files_notrace_show)
			ret = single_release(inode, file);
		else
			ret = ftrace_listing_release(inode, file);
		if (tr)
			trace_array_put(tr);
		return ret;
	}
	/* the token the last write left unfinished, or a refusal */
	if (!ftrace_filter_writer_end(&fo->w, file_dentry(file)->d_name.name)) {
		ftrace_live_mods_writer_close(&fo->mw);
		ftrace_live_mods_free(&fo->pend_mods);
		ftrace_sites_put(fo->w.pending);
		goto out;
	}
	/* with its :mod: tokens; an empty filter traces every function */
	ret = ftrace_live_mods_publish(fo->ops, fo->filter, &fo->mw,
				       &fo->pend_mods, fo->trunc);
	if (ret)
		pr_warn("ftrace: filter not applied (%d)\n", ret);
out:
	kfree(fo);
	if (tr)
		trace_array_put(tr);
	return 0;
}

static notrace loff_t files_llseek(struct file *file, loff_t offset,
				   int whence)
{
	if (file->f_mode & FMODE_WRITE)
		return file->f_pos;
	return seq_lseek(file, offset, whence);
}

static notrace int files_filter_open(struct inode *inode, struct file *file)
{
	return ftrace_regex_open(NULL, inode->i_private, FTRACE_ITER_FILTER,
				 inode, file);
}

static notrace int files_notrace_open(struct inode *inode, struct file *file)
{
	return ftrace_regex_open(NULL, inode->i_private, FTRACE_ITER_NOTRACE,
				 inode, file);
}

static const struct file_operations files_filter_fops = {
	.open = files_filter_open,
	.read = seq_read,
	.write = ftrace_filter_write,
	.llseek = files_llseek,
	.release = ftrace_regex_release,
};

static const struct file_operations files_notrace_fops = {
	.open = files_notrace_open,
	.read = seq_read,
	.write = ftrace_notrace_write,
	.llseek = files_llseek,
	.release = ftrace_regex_release,
};

static notrace void files_create_filters(struct ftrace_ops *ops,
					 struct dentry *parent)
{
	/* else listed at the first open for writing */
	if (ftrace_live_mods_add_ops(ops))
		pr_warn("ftrace: filter files' ops not listed yet (no memory)\n");
	trace_create_file("set_ftrace_filter", TRACE_MODE_WRITE, parent,
			  ops, &files_filter_fops);
	trace_create_file("set_ftrace_notrace", TRACE_MODE_WRITE, parent,
			  ops, &files_notrace_fops);
}

/**
 * ftrace_create_filter_files() - a trace array's filter files
 * @tr: the trace array (its ops)
 * @parent: its folder
 */
notrace void ftrace_create_filter_files(struct trace_array *tr,
					struct dentry *parent)
{
	files_create_filters(tr->ops, parent);
}

/**
 * ftrace_destroy_filter_files() - a trace array's ops goes
 * @ops: its ops
 *
 * Unregistered if it still is, then its sets are dropped.
 */
notrace void ftrace_destroy_filter_files(struct ftrace_ops *ops)
{
	mutex_lock(&ftrace_lock);
	if (ops->flags & FTRACE_OPS_FL_ENABLED)
		ftrace_shutdown(ops, 0);
	ops->flags |= FTRACE_OPS_FL_DELETED;
	mutex_unlock(&ftrace_lock);
	ftrace_live_mods_del_ops(ops);
	ftrace_core_free_filter(ops);
}

/**
 * ftrace_set_early_filter() - a boot parameter's pattern for an ops
 * @ops: the ops
 * @buf: the comma-separated patterns
 * @enable: the filter, else the notrace set
 */
notrace void __init ftrace_set_early_filter(struct ftrace_ops *ops, char *buf,
					    int enable)
{
	char *func;

	ftrace_core_ops_init(ops);
	while (buf) {
		func = strsep(&buf, ",");
		if (*func)
			ftrace_core_set_regex(ops, func, strlen(func), false,
					      enable);
	}
}

/*
 * enabled_functions: every live site some ops covers, and its state;
 * touched_functions: every live site that ever got a call, and its state.
 */
struct files_enabled {
	struct ftrace_chunk *c;
	unsigned int i;
	bool touched;
};

static notrace bool files_enabled_settle(struct files_enabled *it)
{
	for (; it->c; it->c = ftrace_chunk_next(it->c), it->i = 0) {
		if (!it->c->enabled)
			continue;
		for (; it->i < it->c->nr; it->i++) {
			u32 st = READ_ONCE(it->c->state[it->i]);
			bool on = it->touched ?
				  it->c->touched && test_bit(it->i, it->c->touched) :
				  (st & FTRACE_ACCT_COUNT) &&
				  !(st & FTRACE_ACCT_QUARANTINE);

			if (on && !ftrace_chunk_site_gone(it->c, it->i))
				return true;
		}
	}
	return false;
}

static notrace void *files_enabled_start(struct seq_file *m, loff_t *pos)
{
	struct files_enabled *it = m->private;
	loff_t n = *pos;

	mutex_lock(&ftrace_lock);
	mutex_lock(&ftrace_core_chunks_lock);
	it->c = ftrace_chunk_next(NULL);
	it->i = 0;
	while (files_enabled_settle(it)) {
		if (!n--)
			return it;
		it->i++;
	}
	return NULL;
}

static notrace void *files_enabled_next(struct seq_file *m, void *v,
					loff_t *pos)
{
	struct files_enabled *it = v;

	(*pos)++;
	it->i++;
	return files_enabled_settle(it) ? it : NULL;
}

static notrace void files_enabled_stop(struct seq_file *m, void *v)
{
	mutex_unlock(&ftrace_core_chunks_lock);
	mutex_unlock(&ftrace_lock);
}

/* A site calling an ops' trampoline: which, and what it calls. */
static notrace void files_enabled_tramp(struct seq_file *m, unsigned long ip,
					u32 st)
{
	unsigned long tramp = ftrace_reg_target(&ftrace_live_registry, ip, st);
	struct ftrace_live_slot *s;

	if (!tramp)
		return;
	list_for_each_entry(s, &ftrace_live_slots, list) {
		if (s->acct.tramp == tramp) {
			seq_printf(m, "\ttramp: %pS (%pS)", (void *)tramp,
				   (void *)s->ops->func);
			return;
		}
	}
	seq_puts(m, "\ttramp: ERROR!");	/* a zombie's, as upstream says */
}

static notrace int files_enabled_show(struct seq_file *m, void *v)
{
	struct files_enabled *it = v;
	unsigned long ip = it->c->ip[it->i];
	u32 st = READ_ONCE(it->c->state[it->i]);

	seq_printf(m, "%ps (%u)%s%s%s%s%s", (void *)ip,
		   (u32)(st & FTRACE_ACCT_COUNT),
		   st & FTRACE_ACCT_REGS ? " R" : "  ",
		   st & FTRACE_ACCT_IPMODIFY ? " I" : "  ",
		   st & FTRACE_ACCT_DIRECT ? " D" : "  ", "  ", "   ");
	if (st & FTRACE_ACCT_TRAMP)
		files_enabled_tramp(m, ip, st);
	seq_putc(m, '\n');
	return 0;
}

static const struct seq_operations files_enabled_seq = {
	.start = files_enabled_start,
	.next = files_enabled_next,
	.stop = files_enabled_stop,
	.show = files_enabled_show,
};

static notrace int files_enabled_open(struct inode *inode, struct file *file)
{
	struct files_enabled *it;

	it = __seq_open_private(file, &files_enabled_seq, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->touched = inode->i_private;	/* touched_functions */
	return 0;
}

static const struct file_operations files_enabled_fops = {
	.open = files_enabled_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = seq_release_private,
};

/**
 * ftrace_init_tracefs_toplevel() - the files of the sites, and the
 * global ops' filter files
 * @tr: the top-level trace array
 * @d_tracer: its folder
 */
notrace void __init ftrace_init_tracefs_toplevel(struct trace_array *tr,
						 struct dentry *d_tracer)
{
	trace_create_file("available_filter_functions", TRACE_MODE_READ,
			  d_tracer, NULL, &ftrace_core_listing_fops);
	trace_create_file("available_filter_functions_addrs", TRACE_MODE_READ,
			  d_tracer, (void *)1, &ftrace_core_listing_fops);
	trace_create_file("enabled_functions", TRACE_MODE_READ, d_tracer,
			  NULL, &files_enabled_fops);
	trace_create_file("touched_functions", TRACE_MODE_READ, d_tracer,
			  (void *)1, &files_enabled_fops);
	files_create_filters(&global_ops, d_tracer);
	ftrace_live_profile_tracefs(d_tracer);
	ftrace_live_graph_tracefs(d_tracer);
}
