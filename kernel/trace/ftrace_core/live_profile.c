// SPDX-License-Identifier: GPL-2.0
/*
 * live_profile.c - the function profiler when our core runs ftrace
 * (CONFIG_FTRACE_OWN_CORE_LIVE, CONFIG_FUNCTION_PROFILER): tracefs
 * function_profile_enabled, and trace_stat/function<cpu>: per function,
 * its hits, its total and average time and their variance, slowest
 * first.
 *
 * The profiler is a function_graph user that follows the global filter
 * (set_ftrace_filter).  Each CPU counts into a table of its own, an
 * open-addressed array of PROF_SLOTS entries allocated once, at the
 * first enable: the callbacks run with interrupts off on their CPU and
 * never allocate.  A function first seen when the table is three
 * quarters full is not counted (prof_cpu->dropped says how many).  An
 * enable starts every table from zero.
 *
 * The time of a call is the graph tracer's, from entry to return; with
 * the graph-time option off (ftrace_graph_graph_time_control()), the
 * time of the calls it made is taken out.
 *
 * Locking: prof_lock serializes enable, disable, reset and the stat
 * files' lines.  A table is written only by its CPU, with interrupts
 * off; an NMI that finds its CPU inserting counts nothing (busy).
 *
 * The core never traces itself: every function here is notrace.
 */
#include <linux/ftrace.h>
#include <linux/hash.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/tracefs.h>
#include <linux/vmalloc.h>

#include "../trace.h"
#include "../trace_stat.h"
#include "live.h"

#define PROF_BITS	14
#define PROF_SLOTS	BIT(PROF_BITS)
#define PROF_FULL	(PROF_SLOTS / 4 * 3)

struct prof_entry {
	unsigned long ip;	/* 0: a free slot */
	unsigned long hits;
	u64 time;
	u64 time_sq;
};

struct prof_cpu {
	struct prof_entry *e;
	unsigned int used;
	unsigned int busy;
	unsigned long dropped;
	struct tracer_stat stat;
	char name[16];
};

static DEFINE_PER_CPU(struct prof_cpu, prof_cpus);
static DEFINE_MUTEX(prof_lock);
static bool prof_on;			/* prof_lock; read by the callbacks */
static bool prof_graph_time = true;	/* children's time counted */

/**
 * ftrace_graph_graph_time_control() - the graph-time option
 * @enable: a function's time includes its children's (true), or not
 */
notrace void ftrace_graph_graph_time_control(bool enable)
{
	WRITE_ONCE(prof_graph_time, enable);
}

/* The entry of @ip in @pc's table, added if @add; interrupts off. */
static notrace struct prof_entry *prof_slot(struct prof_cpu *pc,
					    unsigned long ip, bool add)
{
	unsigned int i = hash_long(ip, PROF_BITS), n;
	struct prof_entry *e = NULL;

	for (n = 0; n < PROF_SLOTS; n++, i = (i + 1) & (PROF_SLOTS - 1)) {
		e = &pc->e[i];
		if (e->ip == ip)
			return e;
		if (!e->ip)
			break;
	}
	if (!add || !e || e->ip)
		return NULL;
	if (pc->used >= PROF_FULL) {
		pc->dropped++;
		return NULL;
	}
	if (pc->busy)		/* an NMI into an insertion here */
		return NULL;
	pc->busy = 1;
	barrier();
	if (!e->ip) {		/* an NMI may have taken it just before */
		e->ip = ip;
		pc->used++;
	}
	barrier();
	pc->busy = 0;
	return e->ip == ip ? e : NULL;
}

static notrace int prof_entry_cb(struct ftrace_graph_ent *trace,
				 struct fgraph_ops *gops)
{
	struct ftrace_ret_stack *rs;
	struct prof_cpu *pc;
	struct prof_entry *e;
	unsigned long flags;

	if (!READ_ONCE(prof_on))
		return 0;
	local_irq_save(flags);
	pc = this_cpu_ptr(&prof_cpus);
	e = pc->e ? prof_slot(pc, trace->func, true) : NULL;
	if (e)
		e->hits++;
	local_irq_restore(flags);
	if (!current->ret_stack)
		return 0;
	rs = ftrace_graph_get_ret_stack(current, 0);
	if (rs)
		rs->subtime = 0;
	return 1;
}

static notrace void prof_return_cb(struct ftrace_graph_ret *trace,
				   struct fgraph_ops *gops)
{
	struct ftrace_ret_stack *rs;
	struct prof_cpu *pc;
	struct prof_entry *e;
	unsigned long flags;
	u64 t;

	if (!READ_ONCE(prof_on) || !trace->calltime)
		return;
	t = trace->rettime - trace->calltime;
	if (!READ_ONCE(prof_graph_time)) {
		/* the parent's own time leaves out this call's */
		rs = ftrace_graph_get_ret_stack(current, 1);
		if (rs)
			rs->subtime += t;
		rs = ftrace_graph_get_ret_stack(current, 0);
		t = rs && rs->subtime < t ? t - rs->subtime : 0;
	}
	local_irq_save(flags);
	pc = this_cpu_ptr(&prof_cpus);
	e = pc->e ? prof_slot(pc, trace->func, false) : NULL;
	if (e) {
		e->time += t;
		e->time_sq += t * t;
	}
	local_irq_restore(flags);
}

static struct fgraph_ops prof_gops = {
	.entryfunc = prof_entry_cb,
	.retfunc = prof_return_cb,
};

/* Every CPU's table, allocated or emptied. */
static notrace int prof_tables_reset(void)
{
	struct prof_cpu *pc;
	int cpu;

	lockdep_assert_held(&prof_lock);
	for_each_possible_cpu(cpu) {
		pc = per_cpu_ptr(&prof_cpus, cpu);
		if (!pc->e)
			pc->e = vzalloc(array_size(PROF_SLOTS, sizeof(*pc->e)));
		else
			memset(pc->e, 0, array_size(PROF_SLOTS, sizeof(*pc->e)));
		if (!pc->e)
			return -ENOMEM;
		pc->used = 0;
		pc->dropped = 0;
	}
	return 0;
}

static notrace int prof_set(bool on)
{
	int ret = 0;

	guard(mutex)(&prof_lock);
	if (on == prof_on)
		return 0;
	if (!on) {
		WRITE_ONCE(prof_on, false);
		unregister_ftrace_graph(&prof_gops);
		return 0;
	}
	ret = prof_tables_reset();
	if (ret)
		return ret;
	ftrace_ops_set_global_filter(&prof_gops.ops);
	WRITE_ONCE(prof_on, true);
	ret = register_ftrace_graph(&prof_gops);
	if (ret)
		WRITE_ONCE(prof_on, false);
	return ret;
}

static notrace ssize_t prof_write(struct file *file, const char __user *ubuf,
				  size_t cnt, loff_t *ppos)
{
	unsigned long val;
	int err = kstrtoul_from_user(ubuf, cnt, 10, &val);

	err = err ?: prof_set(val != 0);
	if (err)
		return err;
	*ppos += cnt;
	return cnt;
}

static notrace ssize_t prof_read(struct file *file, char __user *ubuf,
				 size_t cnt, loff_t *ppos)
{
	char buf[4];
	int n = scnprintf(buf, sizeof(buf), "%d\n", READ_ONCE(prof_on));

	return simple_read_from_buffer(ubuf, cnt, ppos, buf, n);
}

static const struct file_operations prof_fops = {
	.open = tracing_open_generic,
	.read = prof_read,
	.write = prof_write,
	.llseek = default_llseek,
};

/* ---- trace_stat/function<cpu> ------------------------------------------ */

/* The first counted entry at or after @e in @pc's table. */
static notrace void *prof_from(struct prof_cpu *pc, struct prof_entry *e)
{
	for (; pc->e && e < pc->e + PROF_SLOTS; e++)
		if (e->ip && e->hits)
			return e;
	return NULL;
}

static notrace void *prof_stat_start(struct tracer_stat *ts)
{
	struct prof_cpu *pc = container_of(ts, struct prof_cpu, stat);

	return pc->e ? prof_from(pc, pc->e) : NULL;
}

static notrace void *prof_stat_next(void *prev, int idx)
{
	struct prof_entry *e = prev;
	struct prof_cpu *pc;
	int cpu;

	for_each_possible_cpu(cpu) {
		pc = per_cpu_ptr(&prof_cpus, cpu);
		if (pc->e && e >= pc->e && e < pc->e + PROF_SLOTS)
			return prof_from(pc, e + 1);
	}
	return NULL;
}

/* Slowest first (trace_stat shows the greatest first). */
static notrace int prof_stat_cmp(const void *a, const void *b)
{
	const struct prof_entry *x = a, *y = b;

	return x->time < y->time ? -1 : x->time > y->time;
}

static notrace int prof_stat_headers(struct seq_file *m)
{
	seq_puts(m, "  Function                               Hit    Time            Avg             s^2\n"
		    "  --------                               ---    ----            ---             ---\n");
	return 0;
}

static notrace int prof_stat_show(struct seq_file *m, void *v)
{
	struct prof_entry *e = v;
	struct trace_seq *s;
	char name[KSYM_SYMBOL_LEN];
	u64 avg, var = 0, n;

	guard(mutex)(&prof_lock);
	n = READ_ONCE(e->hits);
	if (!n)
		return -EBUSY;		/* a reset went by */
	avg = div64_u64(e->time, n);
	if (tracing_thresh && avg < tracing_thresh)
		return 0;
	/* s^2 = (n * sum(x^2) - sum(x)^2) / (n * (n - 1)), in us^2 */
	if (n > 1)
		var = div64_u64(n * e->time_sq - e->time * e->time,
				n * (n - 1) * 1000);
	snprintf(name, sizeof(name), "%ps", (void *)e->ip);
	seq_printf(m, "  %-30.30s  %10llu    ", name, n);
	s = kmalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	trace_seq_init(s);
	trace_print_graph_duration(e->time, s);
	trace_seq_puts(s, "    ");
	trace_print_graph_duration(avg, s);
	trace_seq_puts(s, "    ");
	trace_print_graph_duration(var, s);
	trace_print_seq(m, s);
	kfree(s);
	seq_putc(m, '\n');
	return 0;
}

/**
 * ftrace_live_profile_tracefs() - function_profile_enabled and the
 * per-CPU stat files
 * @d_tracer: the top-level tracefs folder
 */
notrace void __init ftrace_live_profile_tracefs(struct dentry *d_tracer)
{
	struct prof_cpu *pc;
	int cpu;

	for_each_possible_cpu(cpu) {
		pc = per_cpu_ptr(&prof_cpus, cpu);
		snprintf(pc->name, sizeof(pc->name), "function%d", cpu);
		pc->stat.name = pc->name;
		pc->stat.stat_start = prof_stat_start;
		pc->stat.stat_next = prof_stat_next;
		pc->stat.stat_cmp = prof_stat_cmp;
		pc->stat.stat_headers = prof_stat_headers;
		pc->stat.stat_show = prof_stat_show;
		if (register_stat_tracer(&pc->stat))
			pr_warn("ftrace: no profile file for cpu %d\n", cpu);
	}
	trace_create_file("function_profile_enabled", TRACE_MODE_WRITE,
			  d_tracer, NULL, &prof_fops);
}
