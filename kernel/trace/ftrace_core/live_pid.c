// SPDX-License-Identifier: GPL-2.0
/*
 * live_pid.c - pid filters when our core runs ftrace
 * (CONFIG_FTRACE_OWN_CORE_LIVE): each trace array's set_ftrace_pid and
 * set_ftrace_notrace_pid, the per-CPU verdict that the function and
 * graph callbacks of its ops read, and the tracepoint probes that keep
 * that verdict right across task switches (and, with the function-fork
 * option, across fork and exit).
 *
 * State: tr->function_pids and tr->function_no_pids, the two pid lists
 * of a trace array (trace.c's trace_pid_list), each NULL when its file
 * is empty.  Each CPU's tr->array_buffer.data->ftrace_ignore_pid says
 * what runs there now: FTRACE_PID_TRACE (no list: trace everyone),
 * FTRACE_PID_IGNORE (the current task is filtered out), or the pid of
 * the current task, which the lists let through.  An ops flagged
 * FTRACE_OPS_FL_PID whose trace array has a list calls pid_gate(),
 * which reads that verdict and then the ops' own callback
 * (ops->saved_func); otherwise its callback is called directly.
 *
 * Invariants: the sched_switch probe of a trace array is registered
 * exactly while one of its two lists exists; a list is freed only after
 * an RCU grace period since it was unpublished (the probes and
 * ignore_task_cpu read it under RCU-sched).
 *
 * Locking: ftrace_lock protects both lists of every trace array, the
 * probes' registration and every ops->func switch; readers of the
 * files hold it across a whole seq_file pass.
 *
 * The core never traces itself: every function here is notrace.
 */
#include <linux/fs.h>
#include <linux/ftrace.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/tracefs.h>
#include <trace/events/sched.h>

#include "../trace.h"
#include "../ftrace_internal.h"
#include "live.h"

/* The two files of a trace array, by the list each one edits. */
enum pid_kind { PID_FILTER, PID_NOTRACE };

/* Both lists of @tr, under ftrace_lock. */
static notrace struct trace_pid_list *pid_list_of(struct trace_array *tr,
						  enum pid_kind kind)
{
	if (kind == PID_FILTER)
		return rcu_dereference_protected(tr->function_pids,
						 lockdep_is_held(&ftrace_lock));
	return rcu_dereference_protected(tr->function_no_pids,
					 lockdep_is_held(&ftrace_lock));
}

static notrace void pid_list_set(struct trace_array *tr, enum pid_kind kind,
				 struct trace_pid_list *l)
{
	if (kind == PID_FILTER)
		rcu_assign_pointer(tr->function_pids, l);
	else
		rcu_assign_pointer(tr->function_no_pids, l);
}

/**
 * ftrace_pids_enabled() - does @ops filter its calls by pid now?
 * @ops: an ops
 *
 * Return: true if @ops asks for pid filtering (FTRACE_OPS_FL_PID), has a
 * trace array, and that trace array has a pid list.
 */
notrace bool ftrace_pids_enabled(struct ftrace_ops *ops)
{
	struct trace_array *tr = ops->private;

	if (!(ops->flags & FTRACE_OPS_FL_PID) || !tr)
		return false;
	return rcu_access_pointer(tr->function_pids) ||
	       rcu_access_pointer(tr->function_no_pids);
}

/* What a pid-filtered ops' sites call: the verdict, then its callback. */
static notrace void pid_gate(unsigned long ip, unsigned long parent_ip,
			     struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct trace_array *tr = op->private;

	if (tr) {
		int who = this_cpu_read(tr->array_buffer.data->ftrace_ignore_pid);

		if (who == FTRACE_PID_IGNORE)
			return;
		if (who != FTRACE_PID_TRACE && who != current->pid)
			return;
	}
	op->saved_func(ip, parent_ip, op, fregs);
}

/**
 * ftrace_live_pid_callback() - the callback a registering ops runs
 * @ops: the ops, its own callback saved in ->saved_func
 *
 * Context: ftrace_lock held.
 * Return: pid_gate() if @ops filters by pid now, else its own callback.
 */
notrace ftrace_func_t ftrace_live_pid_callback(struct ftrace_ops *ops)
{
	lockdep_assert_held(&ftrace_lock);
	return ftrace_pids_enabled(ops) ? pid_gate : ops->saved_func;
}

/* Give every registered pid-aware ops the callback its lists ask for. */
static notrace void pid_switch_callbacks(void)
{
	struct ftrace_ops *op;

	lockdep_assert_held(&ftrace_lock);
	for (op = rcu_dereference_protected(ftrace_ops_list,
					    lockdep_is_held(&ftrace_lock));
	     op != &ftrace_list_end;
	     op = rcu_dereference_protected(op->next,
					    lockdep_is_held(&ftrace_lock))) {
		if (!(op->flags & FTRACE_OPS_FL_PID))
			continue;
		WRITE_ONCE(op->func, ftrace_live_pid_callback(op));
		ftrace_live_tramp_follow(op);
	}
	fgraph_update_pid_func();
}

/* The verdict for @task on this CPU, from @tr's lists. */
static notrace void pid_verdict(struct trace_array *tr,
				struct trace_pid_list *yes,
				struct trace_pid_list *no,
				struct task_struct *task)
{
	int who = trace_ignore_this_task(yes, no, task) ? FTRACE_PID_IGNORE :
							  task->pid;

	this_cpu_write(tr->array_buffer.data->ftrace_ignore_pid, who);
}

static notrace void pid_on_switch(void *data, bool preempt,
				  struct task_struct *prev,
				  struct task_struct *next,
				  unsigned int prev_state)
{
	struct trace_array *tr = data;

	pid_verdict(tr, rcu_dereference_sched(tr->function_pids),
		    rcu_dereference_sched(tr->function_no_pids), next);
}

/* on_each_cpu(): the verdict for the task running there now */
static notrace void pid_verdict_here(void *data)
{
	struct trace_array *tr = data;

	pid_verdict(tr, rcu_dereference_sched(tr->function_pids),
		    rcu_dereference_sched(tr->function_no_pids), current);
}

static notrace void pid_on_fork(void *data, struct task_struct *self,
				struct task_struct *task)
{
	struct trace_array *tr = data;

	trace_filter_add_remove_task(rcu_dereference_sched(tr->function_pids),
				     self, task);
	trace_filter_add_remove_task(rcu_dereference_sched(tr->function_no_pids),
				     self, task);
}

static notrace void pid_on_free(void *data, struct task_struct *task)
{
	struct trace_array *tr = data;

	trace_filter_add_remove_task(rcu_dereference_sched(tr->function_pids),
				     NULL, task);
	trace_filter_add_remove_task(rcu_dereference_sched(tr->function_no_pids),
				     NULL, task);
}

/**
 * ftrace_pid_follow_fork() - the function-fork option of a trace array
 * @tr: the trace array
 * @enable: children join their parent's lists (true) or not
 */
notrace void ftrace_pid_follow_fork(struct trace_array *tr, bool enable)
{
	if (enable) {
		register_trace_sched_process_fork(pid_on_fork, tr);
		register_trace_sched_process_free(pid_on_free, tr);
		return;
	}
	unregister_trace_sched_process_fork(pid_on_fork, tr);
	unregister_trace_sched_process_free(pid_on_free, tr);
}

/*
 * After @tr's lists changed (@had: one existed before): the switch probe
 * is registered while a list exists, and every CPU's verdict is made
 * for the task running there, or for everyone when no list is left.
 */
static notrace void pid_refresh(struct trace_array *tr, bool had)
{
	bool has = pid_list_of(tr, PID_FILTER) || pid_list_of(tr, PID_NOTRACE);
	int cpu;

	lockdep_assert_held(&ftrace_lock);
	if (has) {
		if (!had)
			register_trace_sched_switch(pid_on_switch, tr);
		on_each_cpu(pid_verdict_here, tr, 1);
	} else if (had) {
		unregister_trace_sched_switch(pid_on_switch, tr);
		tracepoint_synchronize_unregister();
		for_each_possible_cpu(cpu)
			per_cpu_ptr(tr->array_buffer.data, cpu)->ftrace_ignore_pid =
				FTRACE_PID_TRACE;
	}
	pid_switch_callbacks();
}

/* Empty @tr's lists of @kinds (a mask of 1 << enum pid_kind). */
static notrace void pid_clear(struct trace_array *tr, unsigned int kinds)
{
	struct trace_pid_list *old[2] = { NULL, NULL };
	enum pid_kind k;
	bool had;

	lockdep_assert_held(&ftrace_lock);
	had = pid_list_of(tr, PID_FILTER) || pid_list_of(tr, PID_NOTRACE);
	for (k = PID_FILTER; k <= PID_NOTRACE; k++) {
		if (!(kinds & (1U << k)))
			continue;
		old[k] = pid_list_of(tr, k);
		pid_list_set(tr, k, NULL);
	}
	if (!old[PID_FILTER] && !old[PID_NOTRACE])
		return;
	pid_refresh(tr, had);
	synchronize_rcu();
	for (k = PID_FILTER; k <= PID_NOTRACE; k++)
		if (old[k])
			trace_pid_list_free(old[k]);
}

/**
 * ftrace_clear_pids() - empty both pid lists of a trace array
 * @tr: the trace array (being removed, or reset)
 */
notrace void ftrace_clear_pids(struct trace_array *tr)
{
	guard(mutex)(&ftrace_lock);
	pid_clear(tr, 1U << PID_FILTER | 1U << PID_NOTRACE);
}

/* ---- the two files --------------------------------------------------- */

/* What a file of @kind opened on: its trace array and its list. */
struct pid_file {
	struct trace_array *tr;
	enum pid_kind kind;
};

/* The line an empty list prints, past any pid's cursor. */
#define PID_NONE_CURSOR	((void *)(PID_MAX_LIMIT + 2UL))

static notrace void *pid_seq_start(struct seq_file *m, loff_t *pos)
	__acquires(&ftrace_lock)
{
	struct pid_file *pf = m->private;
	struct trace_pid_list *l;

	mutex_lock(&ftrace_lock);
	l = pid_list_of(pf->tr, pf->kind);
	if (!l)
		return *pos ? NULL : PID_NONE_CURSOR;
	return trace_pid_start(l, pos);
}

static notrace void *pid_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct pid_file *pf = m->private;
	struct trace_pid_list *l = pid_list_of(pf->tr, pf->kind);

	if (v == PID_NONE_CURSOR || !l) {
		(*pos)++;
		return NULL;
	}
	return trace_pid_next(l, v, pos);
}

static notrace void pid_seq_stop(struct seq_file *m, void *v)
	__releases(&ftrace_lock)
{
	mutex_unlock(&ftrace_lock);
}

/* A pid of the list, or the one line an empty list reads as. */
static notrace int pid_seq_show(struct seq_file *m, void *v)
{
	if (v != PID_NONE_CURSOR)
		return trace_pid_show(m, v);
	seq_puts(m, "no pid\n");
	return 0;
}

static const struct seq_operations pid_seq_ops = {
	.start = pid_seq_start,
	.next = pid_seq_next,
	.stop = pid_seq_stop,
	.show = pid_seq_show,
};

/* Both files share their operations; the name says which list. */
static const char *const pid_file_names[] = {
	[PID_FILTER] = "set_ftrace_pid",
	[PID_NOTRACE] = "set_ftrace_notrace_pid",
};

static notrace int pid_open(struct inode *inode, struct file *file)
{
	enum pid_kind kind = strcmp(file_dentry(file)->d_name.name,
				    pid_file_names[PID_FILTER]) ?
			     PID_NOTRACE : PID_FILTER;
	struct trace_array *tr = inode->i_private;
	struct pid_file *pf;
	int ret;

	ret = tracing_check_open_get_tr(tr);
	if (ret)
		return ret;
	pf = __seq_open_private(file, &pid_seq_ops, sizeof(*pf));
	if (!pf) {
		trace_array_put(tr);
		return -ENOMEM;
	}
	pf->tr = tr;
	pf->kind = kind;
	if ((file->f_mode & FMODE_WRITE) && (file->f_flags & O_TRUNC)) {
		guard(mutex)(&ftrace_lock);
		pid_clear(tr, 1U << kind);
	}
	return 0;
}

/*
 * A write adds the pids it names to the file's list (trace_pid_write()
 * builds a new list from the old one and the text, or fails with the old
 * one untouched); the new list is published, pid_refresh() makes the
 * verdicts, and the old list is freed after a grace period.
 */
static notrace ssize_t pid_write(struct file *file, const char __user *ubuf,
				 size_t cnt, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	struct pid_file *pf = m->private;
	struct trace_array *tr = pf->tr;
	struct trace_pid_list *old, *other, *new;
	ssize_t ret;

	if (!cnt)
		return 0;
	guard(mutex)(&ftrace_lock);
	old = pid_list_of(tr, pf->kind);
	other = pid_list_of(tr, pf->kind == PID_FILTER ? PID_NOTRACE :
							 PID_FILTER);
	ret = trace_pid_write(old, &new, ubuf, cnt);
	if (ret < 0)
		return ret;
	pid_list_set(tr, pf->kind, new);
	pid_refresh(tr, old || other);
	if (old) {
		synchronize_rcu();
		trace_pid_list_free(old);
	}
	if (ret > 0)
		*ppos += ret;
	return ret;
}

static notrace int pid_release(struct inode *inode, struct file *file)
{
	struct pid_file *pf = ((struct seq_file *)file->private_data)->private;

	trace_array_put(pf->tr);
	return seq_release_private(inode, file);
}

static const struct file_operations pid_fops = {
	.open = pid_open,
	.release = pid_release,
	.read = seq_read,
	.write = pid_write,
	.llseek = tracing_lseek,
};

/**
 * ftrace_init_tracefs() - a trace array's pid filter files
 * @tr: the trace array
 * @d_tracer: its tracefs directory
 */
notrace void ftrace_init_tracefs(struct trace_array *tr,
				 struct dentry *d_tracer)
{
	enum pid_kind k;

	for (k = PID_FILTER; k <= PID_NOTRACE; k++)
		trace_create_file(pid_file_names[k], TRACE_MODE_WRITE, d_tracer,
				  tr, &pid_fops);
}
