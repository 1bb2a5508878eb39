/* SPDX-License-Identifier: GPL-2.0 */
/*
 * live.h - the contract between the live*.c files, which bind the
 * pieces of internal.h into the core that runs ftrace
 * (CONFIG_FTRACE_OWN_CORE_LIVE): registry slots, the calls' list, the
 * sites' life, filter files and their pending ":mod:" tokens, probes,
 * trampolines, stale addresses.  The files and the lock order are
 * listed once, in internal.h.
 */
#ifndef _KERNEL_TRACE_FTRACE_CORE_LIVE_H
#define _KERNEL_TRACE_FTRACE_CORE_LIVE_H

#include "internal.h"

extern struct ftrace_registry ftrace_live_registry;
extern struct ftrace_ops global_ops;
extern u64 ftrace_boot_convert_ns, ftrace_module_convert_ns;

void ftrace_live_registry_init(void);
int ftrace_live_graph_init(void);
void ftrace_live_graph_boot(char *buf, bool exclude);
struct dentry;
void ftrace_live_graph_tracefs(struct dentry *d_tracer);
bool ftrace_live_direct_taken(const struct ftrace_sites *f);
struct ftrace_acct_ops *ftrace_live_acct_of(struct ftrace_ops *ops);
int ftrace_live_share_self(struct ftrace_ops *ops);

/*
 * A registered ops and what the registry knows of it (live.c); a
 * zombie's slot owns the trampoline its sites may still call
 * (acct.tramp, orphaned: live_tramp.c).
 */
struct ftrace_live_slot {
	struct list_head list;
	struct ftrace_ops *ops;
	struct ftrace_acct_ops acct;
};

extern struct list_head ftrace_live_slots;	/* ftrace_lock */
extern struct list_head ftrace_live_zombie_slots;	/* ftrace_lock */

int ftrace_live_exclusive(struct ftrace_ops *ops,
			  const struct ftrace_acct_ops *a);
void ftrace_live_exclusive_undo(struct ftrace_ops *ops,
				const struct ftrace_acct_ops *a);
void ftrace_live_exclusive_end(struct ftrace_live_slot *gone);
void ftrace_live_keep_names(struct ftrace_chunk *c);
unsigned long ftrace_live_tramp_get(struct ftrace_ops *ops);
void ftrace_live_tramp_follow(struct ftrace_ops *ops);
void ftrace_live_tramp_put(struct ftrace_ops *ops);
void ftrace_live_tramp_orphan(struct ftrace_ops *ops);
void ftrace_live_tramp_leave(struct ftrace_ops *ops);
void ftrace_live_tramp_reap(unsigned long tramp);
void ftrace_live_forget_names(struct module *mod);
unsigned long ftrace_live_check_texts(void);
int ftrace_live_set_enabled(bool on);
struct ftrace_sites *ftrace_live_ops_sites(struct ftrace_ops *ops,
					   bool filter);

struct seq_file;
int ftrace_live_mods_take(char *buf, struct ftrace_ops *ops, bool filter,
			  struct list_head *pend);
void ftrace_live_mods_free(struct list_head *pend);

/**
 * struct ftrace_live_writer - an open filter file's pending set, which a
 * going module's sites leave as they leave the published sets
 * @list: in live_mods.c's list of open writers (mods_lock)
 * @lock: held around every change of *@set while the writer is listed
 * @set: the pending set (the file's)
 * @base: (@lock) the set it started from, of an open without O_TRUNC
 *        (NULL with it): its close publishes what it added to and
 *        removed from that set, applied to the set as it is then
 * @named: the sites its writes named (not with '!'), under @lock: no
 *         longer stale when published (live_stale.c)
 * @emptied: (@lock) its set has no site because a going module's drop
 *           took them, or it started from a filter with none, and no
 *           write changed it since: its close publishes no site, not
 *           "every site" as an emptied filter file does
 * @lost: (mods_lock) a going module's sites could not be taken out of it (no
 *        memory): its close publishes nothing
 */
struct ftrace_live_writer {
	struct list_head list;
	struct mutex lock;		/* protects *set */
	struct ftrace_sites **set;
	struct ftrace_sites *base;
	struct ftrace_sites *named;
	bool emptied;
	bool lost;
};

void ftrace_live_mods_writer_open(struct ftrace_live_writer *mw,
				  struct ftrace_sites **set,
				  struct ftrace_ops *ops, bool filter,
				  bool trunc);
void ftrace_live_mods_writer_close(struct ftrace_live_writer *mw);
int ftrace_live_mods_publish(struct ftrace_ops *ops, bool filter,
			     struct ftrace_live_writer *mw,
			     struct list_head *pend, bool trunc);
bool ftrace_live_mods_pending(struct ftrace_ops *ops, bool filter);
unsigned int ftrace_live_mods_show(struct seq_file *m, struct ftrace_ops *ops,
				   bool filter);
void ftrace_live_mods_arm(struct module *mod);
void ftrace_live_mods_drop(struct ftrace_chunk *c, struct ftrace_sites *gone);
int ftrace_live_mods_add_ops(struct ftrace_ops *ops);
void ftrace_live_mods_del_ops(struct ftrace_ops *ops);
ftrace_func_t ftrace_live_pid_callback(struct ftrace_ops *ops);
unsigned int ftrace_live_zombies(void);
void ftrace_live_list_add(struct ftrace_ops *ops);
void ftrace_live_list_del(struct ftrace_ops *ops);
void ftrace_live_callers_unsettle(void);
void ftrace_live_settle_callers(void);
void ftrace_live_single_stop(void);
void ftrace_live_single_update(void);
void ftrace_live_settle_flush(void);
bool ftrace_live_clean(void);
struct ftrace_ops *ftrace_live_single(void);
void ftrace_live_reg_begin(bool takes);
void ftrace_live_reg_end(void);
int ftrace_live_resync(struct ftrace_ops *ops);
int ftrace_live_sets_now(struct ftrace_ops *ops, struct ftrace_sites **f,
			 struct ftrace_sites **n);
unsigned int
ftrace_live_check_sets(void (*report)(void *data, struct ftrace_ops *ops),
		       void *data);
int ftrace_live_stale_mark(const unsigned long *ip, unsigned int nr,
			   const char *what);
void ftrace_live_chunks_moved(void);
void ftrace_live_boot_params(void);
struct trace_array;
int ftrace_live_probes_take(char *buf, struct trace_array *tr, bool filter);
void ftrace_live_probes_show(struct seq_file *m, struct trace_array *tr);
void ftrace_live_probes_drop(struct ftrace_chunk *c,
			     struct ftrace_sites *gone);
struct dentry;
#if defined(CONFIG_FUNCTION_PROFILER) && defined(CONFIG_FUNCTION_GRAPH_TRACER)
void ftrace_live_profile_tracefs(struct dentry *d_tracer);
#else
static inline void ftrace_live_profile_tracefs(struct dentry *d_tracer) { }
#endif

#endif /* _KERNEL_TRACE_FTRACE_CORE_LIVE_H */
