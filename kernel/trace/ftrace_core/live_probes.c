// SPDX-License-Identifier: GPL-2.0
/*
 * live_probes.c - function commands and probes when our core runs ftrace
 * (CONFIG_FTRACE_OWN_CORE_LIVE): the commands a set_ftrace_filter token
 * "[!]glob:command[:param]" runs (traceon, traceoff, snapshot,
 * stacktrace, dump, cpudump, enable_event, disable_event: registered by
 * the tracers), the function probes they register, the ip -> data maps
 * those keep, and the probe lines of set_ftrace_filter.
 *
 * A probe is one per (trace array, probe_ops): an ops of its own whose
 * filter set is exactly the functions the probe is on (never "all": a
 * new probe starts at "no site"), in the trace array's func_probes list.
 * Its callback calls probe_ops->func with the probe's data.  A function
 * added gets probe_ops->init first; a function removed gets
 * probe_ops->free once no CPU can be in the callback for it; the probe
 * goes, with probe_ops->free(ip 0), when it is on no function.  A going
 * module's functions leave every probe (ftrace_live_probes_drop()), as
 * they leave the filters: no probe names an address another function
 * may take.
 *
 * Commands run when their token is written, in the order written, as
 * upstream's do; the write fails with the first failing command's error
 * (the commands before it stay applied: they are not filter tokens, and
 * no function of the write's filter tokens is applied then).
 *
 * Locking: probes_lock serializes every probe change and read and
 * protects the commands list and each trace array's func_probes; order:
 * event_mutex > probes_lock > an ops' regex_lock > ftrace_lock.  A
 * probe's free runs under event_mutex where it may be an event
 * command's (enable_event holds it around its registrations; the drop
 * of a going module's functions takes it).  A map is changed by
 * its probe's init and free, under probes_lock, and read by the probe's
 * callback under RCU (preemption off).
 *
 * The core never traces itself: every function here is notrace.
 */
#include <linux/ftrace.h>
#include <linux/hash.h>
#include <linux/rculist.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../trace.h"
#include "live.h"

static DEFINE_MUTEX(probes_lock);
static LIST_HEAD(probes_commands);	/* probes_lock */
static LIST_HEAD(probes_all);		/* probes_lock: every probe */

/* ---- ip -> data maps ------------------------------------------------- */

#define MAP_BITS	6

struct ftrace_func_mapper {
	struct hlist_head head[1 << MAP_BITS];
};

struct map_entry {
	struct hlist_node node;
	unsigned long ip;
	void *data;
	struct rcu_head rcu;
};

/**
 * allocate_ftrace_func_mapper() - an empty map of functions to data
 *
 * Return: the map, or NULL (no memory).
 */
notrace struct ftrace_func_mapper *allocate_ftrace_func_mapper(void)
{
	return kzalloc(sizeof(struct ftrace_func_mapper), GFP_KERNEL);
}

static notrace struct map_entry *map_find(struct ftrace_func_mapper *m,
					  unsigned long ip)
{
	struct map_entry *e;

	hlist_for_each_entry_rcu_notrace(e, &m->head[hash_long(ip, MAP_BITS)],
					 node)
		if (e->ip == ip)
			return e;
	return NULL;
}

/**
 * ftrace_func_mapper_find_ip() - the data of a function
 * @mapper: the map
 * @ip: the function's site
 *
 * Context: a probe's callback, or probes_lock held.
 * Return: where its data is kept, or NULL if it has none.
 */
notrace void **ftrace_func_mapper_find_ip(struct ftrace_func_mapper *mapper,
					  unsigned long ip)
{
	struct map_entry *e = map_find(mapper, ip);

	return e ? &e->data : NULL;
}

/**
 * ftrace_func_mapper_add_ip() - give a function data
 * @mapper: the map
 * @ip: the function's site
 * @data: its data
 *
 * Return: 0, -EBUSY if it has data already, -ENOMEM.
 */
notrace int ftrace_func_mapper_add_ip(struct ftrace_func_mapper *mapper,
				      unsigned long ip, void *data)
{
	struct map_entry *e;

	if (map_find(mapper, ip))
		return -EBUSY;
	e = kmalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	e->ip = ip;
	e->data = data;
	hlist_add_head_rcu(&e->node, &mapper->head[hash_long(ip, MAP_BITS)]);
	return 0;
}

/**
 * ftrace_func_mapper_remove_ip() - take a function's data out of a map
 * @mapper: the map
 * @ip: the function's site
 *
 * Return: its data, or NULL if it had none.
 */
notrace void *ftrace_func_mapper_remove_ip(struct ftrace_func_mapper *mapper,
					   unsigned long ip)
{
	struct map_entry *e = map_find(mapper, ip);
	void *data;

	if (!e)
		return NULL;
	data = e->data;
	hlist_del_rcu(&e->node);
	kfree_rcu(e, rcu);
	return data;
}

/**
 * free_ftrace_func_mapper() - free a map
 * @mapper: the map, or NULL
 * @free_func: called with each function's data first, or NULL
 */
notrace void free_ftrace_func_mapper(struct ftrace_func_mapper *mapper,
				     ftrace_mapper_func free_func)
{
	struct hlist_node *t;
	struct map_entry *e;
	unsigned int b;

	if (!mapper)
		return;
	for (b = 0; b < ARRAY_SIZE(mapper->head); b++) {
		hlist_for_each_entry_safe(e, t, &mapper->head[b], node) {
			if (free_func)
				free_func(e->data);
			hlist_del_rcu(&e->node);
			kfree_rcu(e, rcu);
		}
	}
	kfree_rcu_mightsleep(mapper);
}

/* ---- probes ----------------------------------------------------------- */

struct live_probe {
	struct list_head list;		/* in tr->func_probes */
	struct list_head all;		/* in probes_all */
	struct ftrace_probe_ops *probe_ops;
	struct trace_array *tr;
	void *data;
	struct ftrace_ops ops;
};

static notrace void probe_call(unsigned long ip, unsigned long parent_ip,
			       struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct live_probe *p = container_of(op, struct live_probe, ops);

	preempt_disable_notrace();
	p->probe_ops->func(ip, parent_ip, p->tr, p->probe_ops, p->data);
	preempt_enable_notrace();
}

static notrace struct live_probe *probe_find(struct trace_array *tr,
					     struct ftrace_probe_ops *po)
{
	struct live_probe *p;

	lockdep_assert_held(&probes_lock);
	list_for_each_entry(p, &tr->func_probes, list)
		if (p->probe_ops == po)
			return p;
	return NULL;
}

/* The functions of @glob (all of them for NULL, "" or "*"), a reference. */
static notrace struct ftrace_sites *probe_resolve(const char *glob)
{
	struct ftrace_sites *s = FTRACE_SITES_NONE_SET;
	char *buf;
	int ret;

	if (!glob || !*glob || !strcmp(glob, "*"))
		return FTRACE_SITES_ALL_SET;
	buf = kstrdup(glob, GFP_KERNEL);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	ret = ftrace_filter_write_tokens(buf, &s);
	kfree(buf);
	return ret ? ERR_PTR(ret) : s;
}

/*
 * Every live site that is not quarantined, as a list (a reference): what
 * a probe on "*" is on.
 */
static notrace struct ftrace_sites *probe_every_site(void)
{
	struct ftrace_registry *r = &ftrace_live_registry;
	struct ftrace_ipvec v = {};
	struct ftrace_sites *s = ERR_PTR(-ENOMEM);
	struct ftrace_chunk *c = NULL;
	unsigned int i;
	int ret = 0;

	mutex_lock(&ftrace_lock);
	mutex_lock(&ftrace_core_chunks_lock);
	while (!ret && (c = r->next(r, c)))
		for (i = 0; !ret && !c->dropped && i < c->nr; i++)
			if (!(READ_ONCE(c->state[i]) & FTRACE_ACCT_QUARANTINE))
				ret = ftrace_ipvec_push(&v, c->ip[i], GFP_KERNEL);
	mutex_unlock(&ftrace_core_chunks_lock);
	mutex_unlock(&ftrace_lock);
	if (!ret)
		s = ftrace_sites_from(v.ip, v.nr, GFP_KERNEL);
	ftrace_ipvec_free(&v);
	return s;
}

/* Is every site of @s quarantined (a probe there would never run)? */
static notrace bool probe_only_quarantined(const struct ftrace_sites *s)
{
	bool all = true;
	unsigned int i;

	mutex_lock(&ftrace_lock);
	mutex_lock(&ftrace_core_chunks_lock);
	for (i = 0; all && i < s->nr; i++)
		all = ftrace_reg_quarantined(&ftrace_live_registry, s->ip[i]);
	mutex_unlock(&ftrace_core_chunks_lock);
	mutex_unlock(&ftrace_lock);
	return all;
}

/* A probe's functions now (a reference): its filter, never "all". */
static notrace struct ftrace_sites *probe_sites(struct live_probe *p)
{
	return ftrace_live_ops_sites(&p->ops, true);
}

static notrace struct live_probe *probe_new(struct trace_array *tr,
					    struct ftrace_probe_ops *po)
{
	struct live_probe *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return NULL;
	p->probe_ops = po;
	p->tr = tr;
	p->ops.func = probe_call;
	p->ops.flags = FTRACE_OPS_FL_DYNAMIC;
	ftrace_core_ops_init(&p->ops);
	if (ftrace_core_publish(&p->ops, true, FTRACE_SITES_NONE_SET, NULL)) {
		ftrace_core_free_filter(&p->ops);
		kfree(p);
		return NULL;
	}
	list_add(&p->list, &tr->func_probes);
	list_add(&p->all, &probes_all);
	return p;
}

/* A probe on no function goes. */
static notrace void probe_end(struct live_probe *p)
{
	if (p->probe_ops->free)
		p->probe_ops->free(p->probe_ops, p->tr, 0, p->data);
	list_del(&p->list);
	list_del(&p->all);
	ftrace_core_free_filter(&p->ops);
	kfree(p);
}

/* probe_ops->free for the functions of @gone, once none can be running */
static notrace void probe_free_each(struct live_probe *p,
				    struct ftrace_sites *gone)
{
	unsigned int i;

	if (!p->probe_ops->free || gone->kind != FTRACE_SITES_SOME)
		return;
	synchronize_rcu();
	for (i = 0; i < gone->nr; i++)
		p->probe_ops->free(p->probe_ops, p->tr, gone->ip[i], p->data);
}

/* Publish @s as @p's functions, registered while it has one. */
static notrace int probe_set(struct live_probe *p, struct ftrace_sites *s)
{
	bool on = p->ops.flags & FTRACE_OPS_FL_ENABLED;
	int ret;

	if (ftrace_sites_is_none(s) && on)
		unregister_ftrace_function(&p->ops);
	ret = ftrace_core_publish(&p->ops, true, ftrace_sites_get(s), NULL);
	if (ret || ftrace_sites_is_none(s) || on)
		return ret;
	ret = register_ftrace_function(&p->ops);
	if (ret)
		ftrace_core_publish(&p->ops, true, FTRACE_SITES_NONE_SET, NULL);
	return ret;
}

/**
 * register_ftrace_function_probe() - put a probe on the functions of a glob
 * @glob: the functions
 * @tr: the trace array
 * @probe_ops: what runs there
 * @data: handed to probe_ops->init for each function added
 *
 * Return: the number of functions added; -EINVAL if @glob adds none;
 * -EBUSY if every function it adds is quarantined; or an error of init,
 * of memory or of the registry (then nothing added).
 */
notrace int register_ftrace_function_probe(char *glob, struct trace_array *tr,
					   struct ftrace_probe_ops *probe_ops,
					   void *data)
{
	struct ftrace_sites *cur, *want, *add = NULL, *all = NULL;
	unsigned int inited = 0;
	struct live_probe *p;
	int ret;

	if (!tr || !glob || glob[0] == '!')
		return -EINVAL;
	guard(mutex)(&probes_lock);
	want = probe_resolve(glob);
	if (!IS_ERR(want) && ftrace_sites_is_all(want))
		want = probe_every_site();
	if (IS_ERR(want))
		return PTR_ERR(want);
	p = probe_find(tr, probe_ops) ?: probe_new(tr, probe_ops);
	if (!p) {
		ftrace_sites_put(want);
		return -ENOMEM;
	}
	cur = probe_sites(p);
	/*
	 * Everything that can fail comes before init: a failure after it
	 * would hand data back to probe_ops->free that its command frees
	 * too (enable_event's).
	 */
	add = ftrace_sites_minus(want, cur, GFP_KERNEL);
	ret = PTR_ERR_OR_ZERO(add);
	if (!ret && add->kind != FTRACE_SITES_SOME)
		ret = -EINVAL;		/* nothing new */
	if (!ret && probe_only_quarantined(add))
		ret = -EBUSY;
	if (!ret) {
		all = ftrace_sites_union(cur, add, GFP_KERNEL);
		ret = PTR_ERR_OR_ZERO(all);
	}
	while (!ret && probe_ops->init && inited < add->nr) {
		ret = probe_ops->init(probe_ops, tr, add->ip[inited], data,
				      &p->data);
		inited += !ret;
	}
	if (!ret)
		ret = probe_set(p, all);
	while (ret && probe_ops->free && inited--)
		probe_ops->free(probe_ops, tr, add->ip[inited], p->data);
	if (!ret)
		ret = add->nr;
	if (!IS_ERR_OR_NULL(all))
		ftrace_sites_put(all);
	if (!IS_ERR_OR_NULL(add))
		ftrace_sites_put(add);
	ftrace_sites_put(want);
	if (ftrace_sites_is_none(cur) && ret < 0)
		probe_end(p);
	ftrace_sites_put(cur);
	return ret;
}

/*
 * Take @p off the functions of @pick (every one of its own for "all"):
 * each gets probe_ops->free, and the probe goes if it is left on none.
 * Return: 0; -EINVAL if it is on none of them; an error of memory or of
 * the registry (nothing changed).
 */
static notrace int probe_take_off(struct live_probe *p,
				  struct ftrace_sites *pick)
{
	struct ftrace_sites *cur, *gone, *left = NULL;
	int ret;

	lockdep_assert_held(&probes_lock);
	cur = probe_sites(p);
	gone = ftrace_sites_is_all(pick) ? ftrace_sites_get(cur) :
		ftrace_sites_inter(cur, pick, GFP_KERNEL);
	ret = PTR_ERR_OR_ZERO(gone);
	if (!ret && gone->kind != FTRACE_SITES_SOME)
		ret = -EINVAL;
	if (!ret) {
		left = ftrace_sites_minus(cur, gone, GFP_KERNEL);
		ret = PTR_ERR_OR_ZERO(left);
	}
	if (!ret)
		ret = probe_set(p, left);
	if (!ret) {
		probe_free_each(p, gone);
		if (ftrace_sites_is_none(left))
			probe_end(p);
	}
	if (!IS_ERR_OR_NULL(left))
		ftrace_sites_put(left);
	if (!IS_ERR_OR_NULL(gone))
		ftrace_sites_put(gone);
	ftrace_sites_put(cur);
	return ret;
}

/**
 * unregister_ftrace_function_probe_func() - take a probe off the functions
 * of a glob
 * @glob: the functions (NULL, "" or "*": all of the probe's)
 * @tr: the trace array
 * @probe_ops: the probe's
 *
 * Return: 0; -ENODEV if there is no such probe; -EINVAL if it is on none
 * of @glob's functions; an error of memory or of the registry (nothing
 * changed).
 */
notrace int unregister_ftrace_function_probe_func(char *glob,
						  struct trace_array *tr,
						  struct ftrace_probe_ops *probe_ops)
{
	struct ftrace_sites *pick;
	struct live_probe *p;
	int ret;

	if (glob && glob[0] == '!')
		return -EINVAL;
	guard(mutex)(&probes_lock);
	p = probe_find(tr, probe_ops);
	if (!p)
		return -ENODEV;
	pick = probe_resolve(glob);
	if (IS_ERR(pick))
		return PTR_ERR(pick);
	ret = probe_take_off(p, pick);
	ftrace_sites_put(pick);
	return ret;
}

/**
 * ftrace_live_probes_drop() - a going module's functions leave every
 * probe
 * @c: its chunk, marked dropped: no probe takes its sites from now on
 * @gone: its sites, or the ERR_PTR() of building them (then they stay)
 *
 * As the filters forget them (live_mods.c): a module loaded later at the
 * same addresses is not probed by the old entries, and a probe written
 * for its functions then takes them.  A probe left on no function goes.
 *
 * Context: process context, no ftrace lock held; takes event_mutex and
 * probes_lock.
 */
notrace void ftrace_live_probes_drop(struct ftrace_chunk *c,
				     struct ftrace_sites *gone)
{
	struct live_probe *p, *t;
	int ret;

	if (IS_ERR(gone)) {
		pr_warn("ftrace: module %s's functions left in probes (no memory)\n",
			c->mod->name);
		return;
	}
	/* an event command's free changes the event: under event_mutex */
	mutex_lock(&event_mutex);
	mutex_lock(&probes_lock);
	list_for_each_entry_safe(p, t, &probes_all, all) {
		ret = probe_take_off(p, gone);
		if (ret && ret != -EINVAL)
			pr_warn("ftrace: module %s's functions left in a probe (%d)\n",
				c->mod->name, ret);
	}
	mutex_unlock(&probes_lock);
	mutex_unlock(&event_mutex);
}

/**
 * clear_ftrace_function_probes() - take every probe of a trace array off
 * @tr: the trace array (going)
 */
notrace void clear_ftrace_function_probes(struct trace_array *tr)
{
	struct ftrace_probe_ops *po;
	struct live_probe *p;

	for (;;) {
		mutex_lock(&probes_lock);
		p = list_first_entry_or_null(&tr->func_probes,
					     struct live_probe, list);
		po = p ? p->probe_ops : NULL;
		mutex_unlock(&probes_lock);
		if (!po)
			return;
		if (!unregister_ftrace_function_probe_func(NULL, tr, po))
			continue;
		/* no memory to do it cleanly: @tr goes, so must its probes */
		guard(mutex)(&probes_lock);
		p = probe_find(tr, po);
		if (!p)
			continue;
		if (p->ops.flags & FTRACE_OPS_FL_ENABLED)
			unregister_ftrace_function(&p->ops);
		probe_end(p);
	}
}

/**
 * ftrace_live_probes_show() - the probe lines of a set_ftrace_filter
 * @m: the file
 * @tr: its trace array, or NULL (no probes)
 *
 * "function:command:..." as each probe_ops prints it.
 */
notrace void ftrace_live_probes_show(struct seq_file *m,
				     struct trace_array *tr)
{
	struct ftrace_sites *s;
	struct live_probe *p;
	unsigned int i;

	if (!tr)
		return;
	guard(mutex)(&probes_lock);
	list_for_each_entry(p, &tr->func_probes, list) {
		s = probe_sites(p);
		for (i = 0; s->kind == FTRACE_SITES_SOME && i < s->nr; i++) {
			if (p->probe_ops->print)
				p->probe_ops->print(m, s->ip[i], p->probe_ops,
						    p->data);
			else
				seq_printf(m, "%ps:%ps\n", (void *)s->ip[i],
					   (void *)p->probe_ops->func);
		}
		ftrace_sites_put(s);
	}
}

/* ---- commands --------------------------------------------------------- */

/**
 * register_ftrace_command() - a command for set_ftrace_filter tokens
 * @cmd: the command
 *
 * Return: 0, or -EBUSY if one of that name is registered.
 */
notrace int register_ftrace_command(struct ftrace_func_command *cmd)
{
	struct ftrace_func_command *c;

	guard(mutex)(&probes_lock);
	list_for_each_entry(c, &probes_commands, list)
		if (!strcmp(c->name, cmd->name))
			return -EBUSY;
	list_add(&cmd->list, &probes_commands);
	return 0;
}

/**
 * unregister_ftrace_command() - drop a command
 * @cmd: the command
 *
 * Return: 0, or -ENODEV if none of its name is registered.
 */
notrace int unregister_ftrace_command(struct ftrace_func_command *cmd)
{
	struct ftrace_func_command *c;

	guard(mutex)(&probes_lock);
	list_for_each_entry(c, &probes_commands, list) {
		if (!strcmp(c->name, cmd->name)) {
			list_del_init(&c->list);
			return 0;
		}
	}
	return -ENODEV;
}

/* Run one "[!]glob:command[:param]" token (changed in place). */
static notrace int probes_run(char *tok, struct trace_array *tr, bool filter)
{
	char *glob = strsep(&tok, ":"), *name = strsep(&tok, ":");
	struct ftrace_func_command *c, *found = NULL;

	mutex_lock(&probes_lock);
	list_for_each_entry(c, &probes_commands, list)
		if (!strcmp(c->name, name))
			found = c;
	mutex_unlock(&probes_lock);
	if (!found || !tr)
		return -EINVAL;
	/* commands take probes_lock themselves; they never unregister */
	return found->func(tr, NULL, glob, name, tok, filter);
}

/**
 * ftrace_live_probes_take() - run a write's command tokens
 * @buf: the write's tokens (those run are blanked out in place)
 * @tr: the trace array of the file, or NULL
 * @filter: a set_ftrace_filter, else a set_ftrace_notrace
 *
 * A token is a command if it has a ':' and is not a ":mod:" one.
 *
 * Return: 0, or the first failing command's error (-EINVAL for an
 * unknown command or on a notrace file).
 */
notrace int ftrace_live_probes_take(char *buf, struct trace_array *tr,
				    bool filter)
{
	char *p = buf, *tok, *colon, *copy;
	size_t len;
	int ret;

	for (;;) {
		p = skip_spaces(p);
		if (!*p)
			return 0;
		tok = p;
		len = strcspn(tok, " \t\n\r\v\f");
		p = tok + len;
		colon = memchr(tok, ':', len);
		if (!colon || (len - (colon - tok) >= 5 &&
			       !strncmp(colon, ":mod:", 5)))
			continue;
		copy = kmemdup_nul(tok, len, GFP_KERNEL);
		if (!copy)
			return -ENOMEM;
		ret = probes_run(copy, tr, filter);
		kfree(copy);
		if (ret)
			return ret;
		memset(tok, ' ', len);
	}
}
