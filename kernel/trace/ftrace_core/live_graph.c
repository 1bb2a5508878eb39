// SPDX-License-Identifier: GPL-2.0
/*
 * live_graph.c - the function_graph tracer's filter files when our core
 * runs ftrace (CONFIG_FTRACE_OWN_CORE_LIVE): set_graph_function (graph
 * only these functions and what they call) and set_graph_notrace (not
 * these, nor what they call), and their boot parameters
 * ftrace_graph_filter= and ftrace_graph_notrace=.
 *
 * The graph tracer reads ftrace_graph_hash and ftrace_graph_notrace_hash
 * (trace.h's ftrace_graph_addr()) with upstream's meaning: an empty hash
 * is "every function" for the first and "none" for the second.  Each
 * holds a shell (hash.c) around the set of listed sites, "no site" when
 * nothing is listed; a writer builds a new set and publishes a new shell,
 * the old one goes once every CPU has left the graph tracer's readers
 * (an RCU-tasks-rude wait, then a grace period).
 *
 * A file opened for writing starts from the published set, or from none
 * with O_TRUNC; each write's tokens apply whole or not at all, a token
 * may span writes (filter.c's writer), and the close publishes, unless a
 * write of that open was refused (then nothing is, not even the
 * truncation).
 *
 * Locking: graph_lock serializes the publications (and the reads of the
 * published sets by writers and listings).
 *
 * The core never traces itself: every function here is notrace.
 */
#include <linux/ftrace.h>
#include <linux/rcupdate_wait.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/tracefs.h>

#include "../trace.h"
#include "live.h"

struct ftrace_hash __rcu *ftrace_graph_hash;
struct ftrace_hash __rcu *ftrace_graph_notrace_hash;

static DEFINE_MUTEX(graph_lock);

static notrace struct ftrace_hash __rcu **graph_slot(bool exclude)
{
	return exclude ? &ftrace_graph_notrace_hash : &ftrace_graph_hash;
}

/* The listed sites of one file (a reference). */
static notrace struct ftrace_sites *graph_sites(bool exclude)
{
	struct ftrace_hash *h;

	lockdep_assert_held(&graph_lock);
	h = rcu_dereference_protected(*graph_slot(exclude),
				      lockdep_is_held(&graph_lock));
	return ftrace_sites_get(ftrace_hash_sites(h, false));
}

/*
 * Publish @s (its reference passes) as one file's sites; the shell it
 * replaces is left in *@old for the caller to free.
 */
static notrace int graph_swap(bool exclude, struct ftrace_sites *s,
			      struct ftrace_hash **old)
{
	struct ftrace_hash *h = ftrace_hash_shell(s, 0, GFP_KERNEL);

	lockdep_assert_held(&graph_lock);
	if (!h)
		return -ENOMEM;
	*old = rcu_dereference_protected(*graph_slot(exclude),
					 lockdep_is_held(&graph_lock));
	rcu_assign_pointer(*graph_slot(exclude), h);
	return 0;
}

/* At boot: no reader can hold the old shell past a grace period. */
static notrace int __init graph_publish_boot(bool exclude,
					     struct ftrace_sites *s)
{
	struct ftrace_hash *old = NULL;
	int ret = graph_swap(exclude, s, &old);

	ftrace_hash_shell_free(old);
	return ret;
}

/**
 * ftrace_live_graph_init() - both sets empty, at ftrace_init()
 *
 * Return: 0 or -ENOMEM.
 */
notrace int __init ftrace_live_graph_init(void)
{
	int ret;

	guard(mutex)(&graph_lock);
	ret = graph_publish_boot(false, FTRACE_SITES_NONE_SET);
	return ret ?: graph_publish_boot(true, FTRACE_SITES_NONE_SET);
}

/**
 * ftrace_live_graph_boot() - a boot parameter's patterns
 * @buf: comma-separated patterns
 * @exclude: set_graph_notrace's, else set_graph_function's
 */
notrace void __init ftrace_live_graph_boot(char *buf, bool exclude)
{
	struct ftrace_sites *s;
	char *func;

	guard(mutex)(&graph_lock);
	s = graph_sites(exclude);
	while (buf) {
		func = strsep(&buf, ",");
		if (*func && ftrace_filter_write_tokens(func, &s))
			pr_warn("ftrace: graph boot pattern %s matches nothing\n",
				func);
	}
	if (graph_publish_boot(exclude, s))
		pr_warn("ftrace: graph boot patterns not applied\n");
}

/* An open writer: what it will publish. */
struct graph_open {
	bool exclude;
	struct ftrace_filter_writer w;
};

static notrace int graph_show(struct seq_file *m, void *v)
{
	bool exclude = m->private;
	struct ftrace_sites *s;
	unsigned int i;

	mutex_lock(&graph_lock);
	s = graph_sites(exclude);
	mutex_unlock(&graph_lock);
	for (i = 0; s->kind == FTRACE_SITES_SOME && i < s->nr; i++)
		seq_printf(m, "%ps\n", (void *)s->ip[i]);
	if (s->kind != FTRACE_SITES_SOME)
		seq_puts(m, exclude ? "#### no functions disabled ####\n" :
				      "#### all functions enabled ####\n");
	ftrace_sites_put(s);
	return 0;
}

/* Patterns only, as upstream's graph files: no ":mod:", no command. */
static notrace int graph_take(struct ftrace_filter_writer *w, char *buf)
{
	if (strchr(buf, ':'))
		return -EINVAL;	/* no function name holds one */
	return ftrace_filter_write_tokens(buf, &w->pending);
}

static notrace int graph_open(struct inode *inode, struct file *file)
{
	bool exclude = inode->i_private;
	struct graph_open *go;
	int ret;

	ret = tracing_check_open_get_tr(NULL);	/* lockdown, tracing on */
	if (ret)
		return ret;
	if (!(file->f_mode & FMODE_WRITE))
		return single_open(file, graph_show, (void *)exclude);
	if (file->f_mode & FMODE_READ)
		return -EINVAL;
	go = kzalloc(sizeof(*go), GFP_KERNEL);
	if (!go)
		return -ENOMEM;
	go->exclude = exclude;
	go->w.take = graph_take;
	if (file->f_flags & O_TRUNC) {
		go->w.pending = FTRACE_SITES_NONE_SET;
	} else {
		mutex_lock(&graph_lock);
		go->w.pending = graph_sites(exclude);
		mutex_unlock(&graph_lock);
	}
	file->private_data = go;
	return 0;
}

static notrace ssize_t graph_write(struct file *file, const char __user *ubuf,
				   size_t cnt, loff_t *ppos)
{
	struct graph_open *go = file->private_data;

	return ftrace_filter_write_set(ubuf, cnt, ppos, &go->w);
}

static notrace int graph_release(struct inode *inode, struct file *file)
{
	struct graph_open *go = file->private_data;
	struct ftrace_hash *old = NULL;

	if (!(file->f_mode & FMODE_WRITE))
		return single_release(inode, file);
	/* a write refused: nothing published, not even O_TRUNC */
	if (!ftrace_filter_writer_end(&go->w, file_dentry(file)->d_name.name)) {
		ftrace_sites_put(go->w.pending);
		kfree(go);
		return 0;
	}
	mutex_lock(&graph_lock);
	if (graph_swap(go->exclude, go->w.pending, &old))
		pr_warn("ftrace: graph filter not applied\n");
	mutex_unlock(&graph_lock);
	/*
	 * The graph tracer reads the shells with preemption off, also where
	 * RCU is not watching: wait for every CPU to have left such a place.
	 */
	if (old) {
		synchronize_rcu_tasks_rude();
		ftrace_hash_shell_free(old);
	}
	kfree(go);
	return 0;
}

static notrace loff_t graph_llseek(struct file *file, loff_t off, int whence)
{
	if (file->f_mode & FMODE_WRITE)
		return file->f_pos;
	return seq_lseek(file, off, whence);
}

static const struct file_operations graph_fops = {
	.open = graph_open,
	.read = seq_read,
	.write = graph_write,
	.llseek = graph_llseek,
	.release = graph_release,
};

/**
 * ftrace_live_graph_tracefs() - set_graph_function and set_graph_notrace
 * @d_tracer: the top-level tracefs folder
 */
notrace void __init ftrace_live_graph_tracefs(struct dentry *d_tracer)
{
	trace_create_file("set_graph_function", TRACE_MODE_WRITE, d_tracer,
			  (void *)false, &graph_fops);
	trace_create_file("set_graph_notrace", TRACE_MODE_WRITE, d_tracer,
			  (void *)true, &graph_fops);
}
