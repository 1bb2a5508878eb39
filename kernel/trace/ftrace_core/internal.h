/* SPDX-License-Identifier: GPL-2.0 */
/*
 * internal.h - the contract between the files of
 * our ftrace core.
 *
 * The core grows here, piece by piece, in the "core" kernel
 * (CONFIG_FTRACE_OWN_CORE); until it replaces upstream's
 * kernel/trace/ftrace.c, its pieces are built beside it and proven by
 * their KUnit tests.  Each file opens with its job, its locks and its
 * invariants; the lock order of the whole core is written once, here:
 *
 *   ftrace_lock  >  ftrace_core_chunks_lock  >  ftrace_core_names_lock
 *   filter_lock (filter.c)  >  ftrace_core_chunks_lock
 *   ftrace_lock  >  text_mutex
 *   ftrace_lock  >  hash_owned_lock (hash.c)
 *   ftrace_lock (a registry's lock)  >  the engine's own locks
 *
 * Pieces so far:
 *   sites.c   site sets: "no site", "all sites" and "these sites" as
 *             three distinct states (never "empty means all")
 *   names.c   each site's function name and module, and a name index
 *   records.c the sites, in chunks (the kernel's, one per module), and
 *             the lookups made on them in any context
 *   modules.c a module's chunk, built and named when it is live, gone
 *             with it
 *   listing.c available_filter_functions{,_addrs} from the name tables
 *   accounting.c  each site's state (count, REGS, IPMODIFY, DIRECT,
 *             TRAMP) as a pure function of the ops' sets: incremental
 *             updates from set differences, and the check that
 *             recomputes every site from scratch
 *   filter.c  what set_ftrace_filter's tokens select, through the name
 *             index; a write applied whole or not at all
 *   check.c   tracefs ftrace_core/check: every live record's count and
 *             flags against that function of the registered ops, and
 *             its text against the record (ftrace_lock)
 *   subops.c  a manager ops' sets (function_graph's) from its users':
 *             it covers exactly the sites some user covers
 *   hash.c    struct ftrace_hash at the boundary: a shell around a set
 *   dispatch.c what runs at a site: the list and assist functions and
 *             the filter test of the callbacks, on the ops' sets
 *   filter_api.c the in-kernel filter API (ftrace_set_filter_ip() and
 *             friends) on an ops' shells, with lazy ops initialisation
 *   symbols.c names to function addresses through the name index
 *             (ftrace_lookup_symbols())
 *   update.c  a registry of ops: each registration, unregistration or
 *             change of sets is one plan of site changes (what each site
 *             calls now and must call), handed to the engine as one
 *             run; a site the engine refuses is quarantined, never the
 *             whole of ftrace
 *   update_sweep.c changes no ops makes: a module chunk's enable,
 *             kernel.ftrace_enabled's switch, the check's repairs
 *   quarantine.c the sites the engine refused: never written again
 *   beside.c  what the pieces need while upstream's core runs ftrace
 *
 * With CONFIG_FTRACE_OWN_CORE_LIVE our core runs ftrace, in place of
 * upstream's ftrace.o (the "live" kernel), and these bind the pieces
 * (live.h is the contract between them):
 *   live.c        ops as registry slots, the list, managers, commits,
 *                 kernel.ftrace_enabled's switch
 *   live_share.c  which ops may share a site (IPMODIFY, direct ops'
 *                 ops_func)
 *   live_boot.c   the sites at boot, module load, enable and release
 *   live_kept.c   the names of a module's freed init functions, for
 *                 kallsyms
 *   live_api.c    the filter API under its upstream names
 *   live_files.c  filter files, listings, enabled_functions
 *   live_mods.c   :mod: filters pending for absent modules; a going
 *                 module's sites out of the filter files' sets
 *   live_direct.c direct calls
 *   live_tramp.c  per-ops trampolines: built, followed, freed, looked up
 *   live_check.c  the checker on our own records
 *   live_sysctl.c kernel.ftrace_enabled
 *   live_pid.c    pid filters (set_ftrace_pid, set_ftrace_notrace_pid)
 *   live_probes.c function commands and probes, their ip -> data maps
 *   live_profile.c the function profiler (CONFIG_FUNCTION_PROFILER)
 *   live_params.c boot parameters ftrace_filter=, ftrace_notrace=, and
 *                 the graph ones
 *   live_graph.c  set_graph_function, set_graph_notrace
 * Lock order there: event_mutex > probes_lock > mods_lock > an ops'
 * regex_lock > ftrace_lock > ftrace_core_chunks_lock > text_mutex, and
 * mods_lock > an open filter file's writer lock >
 * ftrace_core_chunks_lock.
 */
#ifndef _KERNEL_TRACE_FTRACE_CORE_INTERNAL_H
#define _KERNEL_TRACE_FTRACE_CORE_INTERNAL_H

#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/elf.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/ftrace.h>
#include <linux/kernel.h>
#include <linux/refcount.h>
#include <linux/workqueue.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

#include <asm/ftrace_sites.h>
#include <asm/text-patching.h>
#include <asm/sections.h>

/* ---- sites.c: site sets ------------------------------------------------ */

/**
 * enum ftrace_sites_kind - what a site set holds
 * @FTRACE_SITES_NONE: no site
 * @FTRACE_SITES_ALL: every site, present and future (modules loaded later)
 * @FTRACE_SITES_SOME: the sites in ->ip[], at least one
 */
enum ftrace_sites_kind {
	FTRACE_SITES_NONE,
	FTRACE_SITES_ALL,
	FTRACE_SITES_SOME,
};

/**
 * struct ftrace_sites - an immutable set of ftrace site addresses
 * @kind: NONE, ALL or SOME; a SOME set is never empty
 * @nr: number of addresses in @ip (SOME), 0 otherwise
 * @ref: references; the NONE and ALL sets are static and never freed
 * @rcu: frees the set after a grace period, so that lockless readers
 *       (ftrace_sites_has() with preemption disabled) may still look
 * @ip: strictly ascending addresses (SOME)
 *
 * A set never changes once built: a writer builds a new one and publishes
 * it (rcu_assign_pointer()), readers keep a reference or read under RCU.
 */
struct ftrace_sites {
	enum ftrace_sites_kind kind;
	unsigned int nr;
	refcount_t ref;
	struct rcu_head rcu;
	unsigned long ip[];
};

extern struct ftrace_sites ftrace_sites_none_set;
extern struct ftrace_sites ftrace_sites_all_set;

#define FTRACE_SITES_NONE_SET	(&ftrace_sites_none_set)
#define FTRACE_SITES_ALL_SET	(&ftrace_sites_all_set)

struct ftrace_sites *ftrace_sites_from(const unsigned long *ip,
				       unsigned int nr, gfp_t gfp);
bool ftrace_sites_lookup(const struct ftrace_sites *s, unsigned long ip);
struct ftrace_sites *ftrace_sites_union(struct ftrace_sites *a,
					struct ftrace_sites *b, gfp_t gfp);
struct ftrace_sites *ftrace_sites_inter(struct ftrace_sites *a,
					struct ftrace_sites *b, gfp_t gfp);
struct ftrace_sites *ftrace_sites_minus(struct ftrace_sites *a,
					struct ftrace_sites *b, gfp_t gfp);
bool ftrace_sites_equal(const struct ftrace_sites *a,
			const struct ftrace_sites *b);
struct ftrace_sites *ftrace_sites_get(struct ftrace_sites *s);
void ftrace_sites_put(struct ftrace_sites *s);
unsigned int ftrace_ips_sort_unique(unsigned long *ip, unsigned int nr);

/**
 * ftrace_ips_lower() - the first index at or after @lo in the ascending
 * array @ip of @nr addresses whose address is not below @key (@nr if none)
 */
static inline unsigned int ftrace_ips_lower(const unsigned long *ip,
					    unsigned int lo, unsigned int nr,
					    unsigned long key)
{
	unsigned int hi = nr, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ip[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/**
 * struct ftrace_ipvec - a growable array of addresses, in any order,
 * duplicates allowed: what a parser collects before ftrace_sites_from()
 * @ip: the addresses
 * @nr: how many
 * @cap: room in @ip
 */
struct ftrace_ipvec {
	unsigned long *ip;
	unsigned int nr;
	unsigned int cap;
};

int ftrace_ipvec_push(struct ftrace_ipvec *v, unsigned long ip, gfp_t gfp);
void ftrace_ipvec_free(struct ftrace_ipvec *v);

static inline bool ftrace_sites_is_all(const struct ftrace_sites *s)
{
	return s->kind == FTRACE_SITES_ALL;
}

static inline bool ftrace_sites_is_none(const struct ftrace_sites *s)
{
	return s->kind == FTRACE_SITES_NONE;
}

/**
 * ftrace_sites_has() - does a site set hold an address?
 * @s: the set (a reference, or read under RCU)
 * @ip: the address
 *
 * Always inline (the kernel is built for size): the accounting asks it
 * several times for every site a change visits, mostly of ALL and NONE
 * sets.  Lock-free and allocation-free: safe in any context, including
 * the tracing fast path with preemption disabled.  O(log n).
 *
 * Return: true for the ALL set, false for the NONE set, and for a SOME
 * set whether @ip is one of its addresses.
 */
static __always_inline bool ftrace_sites_has(const struct ftrace_sites *s,
					     unsigned long ip)
{
	if (s->kind == FTRACE_SITES_SOME)
		return ftrace_sites_lookup(s, ip);
	return s->kind == FTRACE_SITES_ALL;
}

/* ---- names.c: each site's function name, an index by name -------------- */

struct module;

/*
 * ftrace_names->name[] of a site: FTRACE_NAME_BAD, no valid name, the low
 * bits holding the offset from its nearest symbol; else bits 0-27 are the
 * offset of its name (in a module's string table, or with ->ksym of its
 * symbol's record in kallsyms_names[]) and bits 28-30 its offset from
 * its function's start (FTRACE_NAME_START_UNKNOWN: too large to hold).
 */
#define FTRACE_NAME_BAD		BIT(31)
#define FTRACE_NAME_OFF_MAX	(FTRACE_NAME_BAD - 1)
#define FTRACE_NAME_POOL_MASK	GENMASK(27, 0)
#define FTRACE_NAME_START_SHIFT	28
#define FTRACE_NAME_START_UNKNOWN 7U

/* The pool offset of a named site's name[] value. */
static inline u32 ftrace_name_pool(u32 v)
{
	return v & FTRACE_NAME_POOL_MASK;
}

/* A named site's name[] value: its name at @pool_off, @start bytes in. */
static inline u32 ftrace_name_val(u32 pool_off, unsigned long start)
{
	return pool_off | (u32)min_t(unsigned long, start,
				     FTRACE_NAME_START_UNKNOWN)
			  << FTRACE_NAME_START_SHIFT;
}

/*
 * A site further than this from its symbol is the leftover of a dropped
 * weak function: it has no name (upstream's FTRACE_MCOUNT_MAX_OFFSET).
 */
#ifdef FTRACE_MCOUNT_MAX_OFFSET
#define FTRACE_NAME_MAX_OFFSET	FTRACE_MCOUNT_MAX_OFFSET
#else
#define FTRACE_NAME_MAX_OFFSET	ULONG_MAX
#endif

/**
 * struct ftrace_names - the names of one chunk of sites (see names.c)
 * @nr: sites, in address order
 * @nr_named: sites with a valid name, the entries of @by_name
 * @name: per site, where its name is (@pool's offset, or with @ksym the
 *        offset of its symbol's record in kallsyms' table), or
 *        FTRACE_NAME_BAD | its offset from the nearest symbol
 * @by_name: the named sites sorted by (name, site)
 * @pool: a module's: the string table of its symbols, borrowed (see
 *        names.c for how long it lives); NULL with @ksym
 * @ksym: the kernel's table: names stay in kallsyms' compressed table
 *        (names_ksym.c)
 * @sorted: the kernel's table: its index was sorted by comparisons, not
 *          taken from kallsyms' name order
 */
struct ftrace_names {
	unsigned int nr;
	unsigned int nr_named;
	u32 *name;
	u32 *by_name;
	const char *pool;
	bool ksym;
	bool sorted;
};

/**
 * enum ftrace_name_match - how a pattern matches a name, as upstream's
 * filter tokens do (see filter_parse_regex())
 * @FTRACE_NAME_FULL: the whole name
 * @FTRACE_NAME_FRONT: a prefix ("foo*")
 * @FTRACE_NAME_MIDDLE: anywhere ("*foo*")
 * @FTRACE_NAME_END: a suffix ("*foo")
 * @FTRACE_NAME_GLOB: glob_match()
 */
enum ftrace_name_match {
	FTRACE_NAME_FULL,
	FTRACE_NAME_FRONT,
	FTRACE_NAME_MIDDLE,
	FTRACE_NAME_END,
	FTRACE_NAME_GLOB,
};

/**
 * struct ftrace_name_pattern - what ftrace_names_match() looks for
 * @type: how @str matches
 * @str: the text, NUL-terminated, without the '*' that gave @type
 * @len: strlen(@str)
 */
struct ftrace_name_pattern {
	enum ftrace_name_match type;
	const char *str;
	unsigned int len;
};

struct ftrace_names *ftrace_names_build_kernel(const unsigned long *ip,
					       unsigned int nr);
struct ftrace_names *ftrace_names_build_kernel_as(const unsigned long *ip,
						  unsigned int nr,
						  bool by_seqs);
size_t ftrace_ksym_name(u32 off, char *buf);
int ftrace_ksym_ncmp(u32 off, const char *s, size_t n);
size_t ftrace_ksym_bytes(void);
const char *ftrace_names_str(const struct ftrace_names *n, u32 v, char *buf);
struct ftrace_names *ftrace_names_build_syms(const unsigned long *ip,
					     unsigned int nr,
					     const Elf_Sym *sym,
					     unsigned int nsym,
					     const char *strtab);
struct ftrace_names *ftrace_names_build_module(struct module *mod,
					       const unsigned long *ip,
					       unsigned int nr, bool init);
void ftrace_names_free(struct ftrace_names *n);
size_t ftrace_names_bytes(const struct ftrace_names *n);
int ftrace_names_match(const struct ftrace_names *n,
		       const struct ftrace_name_pattern *p,
		       int (*fn)(void *data, unsigned int site), void *data);
bool ftrace_name_matches(const struct ftrace_name_pattern *p, const char *s);
int ftrace_names_count(const struct ftrace_names *n, const char *name);

/**
 * ftrace_names_named() - has a site a valid name?
 * @n: the table
 * @site: the site's index in its chunk
 *
 * Return: true if it has one (false: upstream lists it as
 * "__ftrace_invalid_address___<offset>").
 */
static inline bool ftrace_names_named(const struct ftrace_names *n,
				      unsigned int site)
{
	return !(n->name[site] & FTRACE_NAME_BAD);
}

/**
 * ftrace_names_name() - a site's name
 * @n: the table
 * @site: the site's index in its chunk
 * @buf: KSYM_NAME_LEN bytes to decode a kernel site's name into, or NULL
 *       (see ftrace_names_str())
 * @bad_off: set to the site's offset from its nearest symbol when it has
 *           no valid name
 *
 * Return: the name, or NULL if the site has none (or @buf is needed).
 */
static inline const char *ftrace_names_name(const struct ftrace_names *n,
					    unsigned int site, char *buf,
					    unsigned long *bad_off)
{
	u32 v = n->name[site];

	if (v & FTRACE_NAME_BAD) {
		*bad_off = v & FTRACE_NAME_OFF_MAX;
		return NULL;
	}
	return ftrace_names_str(n, v, buf);
}

/**
 * ftrace_names_start() - a named site's offset from its function's start
 * @n: the table
 * @site: the site's index in its chunk
 *
 * Return: the offset (0, or the ENDBR before the site), or -1 if the
 * table could not hold it (or the site has no valid name).
 */
static inline long ftrace_names_start(const struct ftrace_names *n,
				      unsigned int site)
{
	u32 v = n->name[site];
	u32 start = v >> FTRACE_NAME_START_SHIFT;

	if ((v & FTRACE_NAME_BAD) || start == FTRACE_NAME_START_UNKNOWN)
		return -1;
	return start;
}

/* ---- accounting.c: each site's state, derived from the ops' sets -------- */

/*
 * A site's state (u32): how many ops cover it and what they need of it.
 * A pure function of the registered ops' sets and flags: an update
 * changes it incrementally from the difference of the sets, and the
 * checker recomputes it from scratch and compares.
 */
#define FTRACE_ACCT_REGS	BIT(31)	/* an ops on it wants full pt_regs */
#define FTRACE_ACCT_IPMODIFY	BIT(30)	/* an ops on it may change the ip */
#define FTRACE_ACCT_DIRECT	BIT(29)	/* an ops on it is a direct call */
#define FTRACE_ACCT_TRAMP	BIT(28)	/* one ops on it, with a trampoline */
/*
 * The engine refused the site (update.c): it is left out of the
 * accounting (no update or check touches it) and never written again.
 */
#define FTRACE_ACCT_QUARANTINE	BIT(27)
#define FTRACE_ACCT_COUNT	GENMASK(26, 0)	/* how many ops cover it */

/**
 * struct ftrace_acct_ops - what the accounting needs to know of an ops
 * @filter: the sites it asks for (ALL, SOME or NONE: NONE covers none)
 * @notrace_sites: the sites it refuses (NONE or SOME; ALL refuses every
 *                 site)
 * @flags: its FTRACE_OPS_FL_* flags (SAVE_REGS, IPMODIFY, DIRECT count)
 * @tramp: its own trampoline's address, 0 if it has none
 * @direct: where a site it alone covers calls if it is DIRECT (update.c)
 *
 * An ops covers a site if @filter has it and @notrace_sites does not.
 */
struct ftrace_acct_ops {
	struct ftrace_sites *filter;
	struct ftrace_sites *notrace_sites;
	unsigned long flags;
	unsigned long tramp;
	unsigned long direct;
};

/**
 * struct ftrace_acct_chunk - the sites of one chunk and their states
 * @ip: the sites, strictly ascending
 * @state: per site, its state (FTRACE_ACCT_*)
 * @nr: how many
 */
struct ftrace_acct_chunk {
	const unsigned long *ip;
	u32 *state;
	unsigned int nr;
};

/**
 * ftrace_acct_covers() - does an ops cover a site?
 * @o: the ops, or NULL (covers nothing)
 * @ip: the site's address
 *
 * An ops covers a site when its filter holds it and its notrace set does
 * not; a NONE filter covers nothing, an ALL filter every site its notrace
 * set does not refuse.  A missing (NULL) set counts as NONE.  O(log s);
 * always inline: asked several times for every site a change visits.
 *
 * Context: any context; lock-free, the sets read as sites.c allows.
 * Return: true if @o covers @ip.
 */
static __always_inline bool
ftrace_acct_covers(const struct ftrace_acct_ops *o, unsigned long ip)
{
	return o && o->filter && ftrace_sites_has(o->filter, ip) &&
	       !(o->notrace_sites && ftrace_sites_has(o->notrace_sites, ip));
}

u32 ftrace_acct_compute(unsigned long ip,
			const struct ftrace_acct_ops *const *ops,
			unsigned int nops);
bool ftrace_acct_only(const struct ftrace_acct_ops *const *ops,
		      unsigned int nops, const struct ftrace_acct_ops *o);
int ftrace_acct_update(struct ftrace_acct_chunk *c,
		       const struct ftrace_acct_ops *before,
		       const struct ftrace_acct_ops *after,
		       const struct ftrace_acct_ops *const *ops,
		       unsigned int nops,
		       void (*changed)(void *data, unsigned int site,
				       unsigned int n, u32 was),
		       void *data);
unsigned int ftrace_acct_check(struct ftrace_acct_chunk *c,
			       const struct ftrace_acct_ops *const *ops,
			       unsigned int nops, bool repair,
			       void (*report)(void *data, unsigned int site,
					      u32 have, u32 want),
			       void *data);

void ftrace_acct_state_str(char *buf, size_t len, u32 st);

/* ---- subops.c: a manager ops' sets from its users' ------------------- */

int ftrace_subops_merge(const struct ftrace_acct_ops *const *users,
			unsigned int nr, struct ftrace_sites **filter,
			struct ftrace_sites **notrace_sites, gfp_t gfp);

/* ---- hash.c: struct ftrace_hash at the boundary, a shell around a set -- */

struct ftrace_hash;
struct ftrace_func_entry;

struct ftrace_hash *ftrace_hash_shell(struct ftrace_sites *s,
				      unsigned long flags, gfp_t gfp);
void ftrace_hash_shell_free(struct ftrace_hash *hash);
void ftrace_hash_shell_own(struct ftrace_hash *hash, bool filter);
int ftrace_hash_owned_walk(int (*fn)(struct ftrace_hash *hash, bool filter,
				     void *data),
			   void *data);
struct ftrace_sites *ftrace_hash_sites(const struct ftrace_hash *hash,
				       bool filter);
struct ftrace_sites *ftrace_hash_live(const struct ftrace_hash *hash,
				      bool filter);
struct ftrace_sites *ftrace_hash_stale(const struct ftrace_hash *hash);
int ftrace_hash_set_stale(struct ftrace_hash *hash, struct ftrace_sites *stale);
struct ftrace_sites *ftrace_hash_stale_cut(const struct ftrace_hash *old,
					   struct ftrace_sites *s,
					   struct ftrace_sites *fresh);
struct ftrace_func_entry *ftrace_core_lookup_ip(struct ftrace_hash *hash,
						unsigned long ip);

/* ---- dispatch.c: what runs at a site ----------------------------------- */

bool ftrace_core_ops_test(struct ftrace_ops *ops, unsigned long ip,
			  void *regs);
void ftrace_core_list_walk(struct ftrace_ops __rcu *const *head,
			   unsigned long ip, unsigned long parent_ip,
			   struct ftrace_regs *fregs);
void ftrace_core_assist_func(unsigned long ip, unsigned long parent_ip,
			     struct ftrace_ops *op, struct ftrace_regs *fregs);
void ftrace_core_single_slow(struct ftrace_ops *op, unsigned long ip,
			     unsigned long parent_ip, struct ftrace_regs *fregs);

#define FTRACE_CORE_SINGLE_SLOW	(FTRACE_OPS_FL_RECURSION | FTRACE_OPS_FL_RCU | \
				 FTRACE_OPS_FL_STUB | FTRACE_OPS_FL_SAVE_REGS)

/**
 * ftrace_core_single_call() - the list function's shortcut when one ops
 * is all the list holds
 * @op: that ops
 * @ip: the site
 * @parent_ip: its caller
 * @fregs: the registers ftrace_caller saved
 *
 * Every patched site is then one of @op's own, so its sets are not
 * tested (as upstream's trampoline of a single ops calls it straight):
 * one test of its flags, then its callback, or ftrace_core_single_slow().
 * Unlike the walk it takes no recursion bit (as upstream's trampoline).
 *
 * Context: any context, from ftrace_caller: may be preemptible.
 */
static __always_inline void ftrace_core_single_call(struct ftrace_ops *op,
						    unsigned long ip,
						    unsigned long parent_ip,
						    struct ftrace_regs *fregs)
{
	if (likely(!(READ_ONCE(op->flags) & FTRACE_CORE_SINGLE_SLOW)))
		op->func(ip, parent_ip, op, fregs);
	else
		ftrace_core_single_slow(op, ip, parent_ip, fregs);
}

ftrace_func_t ftrace_core_ops_get_func(struct ftrace_ops *ops);

/* ---- filter_api.c: the in-kernel filter API on an ops' shells ---------- */

void ftrace_core_ops_init(struct ftrace_ops *ops);
unsigned long ftrace_core_api_site(unsigned long ip);
int ftrace_core_set_addrs(struct ftrace_ops *ops, const unsigned long *ips,
			  unsigned int cnt, bool remove, bool reset,
			  bool filter);
int ftrace_core_set_regex(struct ftrace_ops *ops, const unsigned char *buf,
			  int len, bool reset, bool filter);
void ftrace_core_free_filter(struct ftrace_ops *ops);
int ftrace_core_edit(struct ftrace_ops *ops, bool filter,
		     struct ftrace_sites *(*edit)(struct ftrace_sites *cur,
						  struct ftrace_sites **named,
						  void *data),
		     void *data);

/*
 * Before an ops' new sets are published, the registered ops that read
 * them get them (live.c), the commit and the publication under
 * ftrace_core_commit_lock() (ftrace_lock); beside upstream's core no ops
 * is ours and these do nothing (beside.c).
 */
int ftrace_core_commit(struct ftrace_ops *ops, struct ftrace_sites *filter,
		       struct ftrace_sites *notrace_sites);
void ftrace_core_commit_lock(void);
void ftrace_core_commit_unlock(void);
/* module chunks listed or unlisted (live_stale.c; beside.c: none) */
unsigned long ftrace_core_chunks_gen(void);
/* -EBUSY if a site of @s is quarantined (live_api.c; beside.c: none is) */
int ftrace_core_refuse_sites(const struct ftrace_sites *s);

/* ---- symbols.c: function names to addresses --------------------------- */

int ftrace_core_lookup_symbols(const char **sorted_syms, size_t cnt,
			       unsigned long *addrs);

/* ---- records.c: the sites, in chunks ------------------------------------- */

/**
 * struct ftrace_chunk - the sites of the kernel or of one module's text
 * @list: in the chunk list, by address (RCU)
 * @mod: the module, NULL for the kernel
 * @init: a module's init text's sites (live core: a module has a chunk
 *        of those until its init text is freed, and one of the rest)
 * @nr: how many sites, at least one
 * @ip: the sites, strictly ascending
 * @state: per site, its state (accounting.c)
 * @names: the sites' names, NULL until built (names.c)
 * @enabled: its sites take part in the registry's plans (live core: the
 *           kernel's from boot, a module's from its enable)
 * @touched: per site, set once the registry has written a call there
 *           (touched_functions); never cleared while the chunk lives
 * @dropped: its sites left the filter files' sets (live_mods.c; set under
 *           ftrace_core_chunks_lock): a filter token no longer selects them
 * @free_work: frees it a grace period after it is unlisted
 */
struct ftrace_chunk {
	struct list_head list;
	struct module *mod;
	unsigned int nr;
	bool enabled;
	bool init;
	bool dropped;
	unsigned long *ip;
	u32 *state;
	unsigned long *touched;
	struct ftrace_names *names;
	struct rcu_work free_work;
};

/* A chunk's first and last site (a chunk has at least one). */
static inline unsigned long ftrace_chunk_first(const struct ftrace_chunk *c)
{
	return c->ip[0];
}

static inline unsigned long ftrace_chunk_last(const struct ftrace_chunk *c)
{
	return c->ip[c->nr - 1];
}

extern struct ftrace_chunk *ftrace_kernel_chunk;
extern struct mutex ftrace_core_chunks_lock;

/* The kernel's __mcount_loc table (init data: gone after boot). */
extern const unsigned long __start_mcount_loc[];
extern const unsigned long __stop_mcount_loc[];

struct ftrace_chunk *ftrace_chunk_build(struct module *mod,
					const unsigned long *start,
					const unsigned long *end);
void ftrace_chunk_free(struct ftrace_chunk *c);
int ftrace_chunk_list(struct ftrace_chunk *c);
void ftrace_chunk_unlist(struct ftrace_chunk *c);
struct ftrace_chunk *ftrace_chunk_next(struct ftrace_chunk *c);
unsigned long ftrace_records_range(unsigned long start, unsigned long end);
unsigned long ftrace_records_location(unsigned long ip);

/*
 * Whether site @i of @c is gone: the kernel's init text sites, once init
 * memory is being freed (upstream's ftrace_free_init_mem() drops their
 * records; a module's chunk never has its init sites: modules.c).
 */
static inline bool ftrace_chunk_site_gone(const struct ftrace_chunk *c,
					  unsigned int i)
{
	return !c->mod && system_state >= SYSTEM_FREEING_INITMEM &&
	       is_kernel_inittext(c->ip[i]);
}

unsigned long *ftrace_module_sites(struct module *mod, bool init, size_t *nr);
struct ftrace_chunk *ftrace_module_chunk(struct module *mod, bool init);
struct ftrace_chunk *ftrace_module_chunk_build(struct module *mod, bool init);
struct ftrace_chunk *ftrace_module_chunk_list(struct module *mod,
					      struct ftrace_chunk *c);

/* ---- update.c: the registered ops, one plan per change, quarantine ---- */

/* struct ftrace_site_change: <asm/ftrace_sites.h> */

/**
 * struct ftrace_engine - what writes plans into text: the arch's engine,
 * or a test's model of text
 * @change: make every site of @c (@nr of them, ascending ips) hold its
 *          @to, as one run; the outcome of each site in it.  Returns 0,
 *          or an error that is no site's own, and then changed nothing
 * @data: passed to @change
 * @caller: what a covered site calls (ftrace_caller)
 * @regs_caller: what it calls when an ops on it wants pt_regs
 */
struct ftrace_engine {
	int (*change)(void *data, struct ftrace_site_change *c,
		      unsigned int nr);
	void *data;
	unsigned long caller;
	unsigned long regs_caller;
};

/**
 * struct ftrace_quarantined - a site the engine refused, as reported
 * @list: in the registry's quarantine list
 * @ip: the site
 * @err: the engine's errno
 * @expected: what the site should have held
 * @found: what it held
 * @from: what it called when it was refused a change (0: the NOP)
 * @calling: it was refused a change from a caller, which it may still call
 */
struct ftrace_quarantined {
	struct list_head list;
	unsigned long ip;
	unsigned long from;
	int err;
	bool calling;
	u8 expected[MCOUNT_INSN_SIZE];
	u8 found[MCOUNT_INSN_SIZE];
};

/**
 * struct ftrace_registry - the registered ops and what they make of the
 * sites (see update.c)
 * @lock: serializes everything here (ftrace_lock in the kernel)
 * @engine: writes the plans
 * @next: the chunk after @c (the first if @c is NULL), NULL after the last
 * @chunks: for @next
 * @slot: the registered ops; NULL entries are free slots
 * @nslot: entries in @slot
 * @quarantine: the quarantined sites' reports
 * @nr_quarantined: quarantined sites (reported or not: a report may have
 *                  found no memory)
 * @nr_calling: quarantined sites that may still call what they called,
 *              as far as the reports tell (UINT_MAX once a site that
 *              held a call had no memory for its report: from then on,
 *              for good; see ftrace_reg_may_call())
 * @plans: plans handed to the engine
 * @changes: sites in them
 * @quiet: do not print quarantine reports (tests that make many)
 * @off: every site holds the NOP (kernel.ftrace_enabled is 0); the
 *       states are still kept
 */
struct ftrace_registry {
	struct mutex *lock;	/* serializes all of it: ftrace_lock */
	const struct ftrace_engine *engine;
	struct ftrace_chunk *(*next)(struct ftrace_registry *r,
				     struct ftrace_chunk *c);
	void *chunks;
	struct ftrace_acct_ops **slot;
	unsigned int nslot;
	struct list_head quarantine;
	unsigned int nr_quarantined;
	unsigned int nr_calling;
	unsigned long plans;
	unsigned long changes;
	bool quiet;
	bool off;
};

void ftrace_registry_init(struct ftrace_registry *r, struct mutex *lock,
			  const struct ftrace_engine *engine,
			  struct ftrace_chunk *(*next)(struct ftrace_registry *,
						       struct ftrace_chunk *),
			  void *chunks);
void ftrace_registry_release(struct ftrace_registry *r);
int ftrace_reg_register(struct ftrace_registry *r, struct ftrace_acct_ops *o);
int ftrace_reg_unregister(struct ftrace_registry *r,
			  struct ftrace_acct_ops *o);
int ftrace_reg_set(struct ftrace_registry *r, struct ftrace_acct_ops *o,
		   struct ftrace_sites *filter,
		   struct ftrace_sites *notrace_sites);
int ftrace_reg_redirect(struct ftrace_registry *r, struct ftrace_acct_ops *o,
			unsigned long direct);
int ftrace_reg_chunk_enable(struct ftrace_registry *r, struct ftrace_chunk *c);
int ftrace_reg_switch(struct ftrace_registry *r, bool off);
void ftrace_reg_quarantine(struct ftrace_registry *r,
			   const struct ftrace_site_change *ch);
bool ftrace_reg_quarantined(struct ftrace_registry *r, unsigned long ip);
bool ftrace_reg_may_call(struct ftrace_registry *r, unsigned long target);
struct ftrace_chunk *ftrace_reg_find(struct ftrace_registry *r,
				     unsigned long ip, unsigned int *site);
void ftrace_reg_forget_chunk(struct ftrace_registry *r,
			     struct ftrace_chunk *c);
unsigned long ftrace_reg_target(struct ftrace_registry *r, unsigned long ip,
				u32 state);
int ftrace_reg_repair(struct ftrace_registry *r,
		      struct ftrace_site_change *ch, unsigned int nr);
unsigned int ftrace_reg_check(struct ftrace_registry *r, bool repair,
			      void (*report)(void *data,
					     struct ftrace_chunk *c,
					     unsigned int site,
					     u32 have, u32 want),
			      void *data);

/* What the 5 bytes at @insn, the site @ip, call, or 0 if not a call. */
static inline unsigned long ftrace_site_call_target(const u8 *insn,
						    unsigned long ip)
{
	if (insn[0] != CALL_INSN_OPCODE)
		return 0;
	return ip + MCOUNT_INSN_SIZE + *(const s32 *)(insn + 1);
}

/* ---- listing.c: available_filter_functions{,_addrs} ------------------- */

struct dentry;
struct file;
struct inode;

const struct ftrace_names *ftrace_chunk_names(struct ftrace_chunk *c);
size_t ftrace_chunk_bytes(struct ftrace_chunk *c, size_t *names);
extern const struct file_operations ftrace_core_filter_fops;
extern const struct file_operations ftrace_core_check_fops;
int ftrace_listing_open_sites(struct file *file, struct ftrace_sites *only);
int ftrace_listing_release(struct inode *inode, struct file *file);

/* ---- filter.c: what a filter file's tokens select ----------------------- */

/**
 * struct ftrace_filter_writer - an open filter-like file's writer
 * @pending: the set its close publishes
 * @carry: a token its last write left unfinished (kmalloc'ed), which a
 *         later write or the close ends
 * @refused: a write was refused: the close publishes nothing
 * @take: what complete tokens do (NULL: ftrace_filter_write_tokens() on
 *        @pending); returns 0 or the first bad token's error, all or none
 */
struct ftrace_filter_writer {
	struct ftrace_sites *pending;
	char *carry;
	bool refused;
	int (*take)(struct ftrace_filter_writer *w, char *buf);
};

int ftrace_filter_write_tokens(char *buf, struct ftrace_sites **set);
int ftrace_filter_write_named(char *buf, struct ftrace_sites **set,
			      struct ftrace_sites **named);
ssize_t ftrace_filter_write_set(const char __user *ubuf, size_t cnt,
				loff_t *ppos, struct ftrace_filter_writer *w);
bool ftrace_filter_writer_end(struct ftrace_filter_writer *w,
			      const char *name);
void ftrace_filter_chunk_gone(struct ftrace_chunk *c);

/* ---- live*.c: our core running ftrace (live.h has the rest) ---------- */

/* The lock of the registered ops (live.c; upstream's core's beside). */
extern struct mutex ftrace_lock;
/* listing.c's available_filter_functions, opened by live_files.c */
extern const struct file_operations ftrace_core_listing_fops;
int ftrace_core_publish(struct ftrace_ops *ops, bool filter,
			struct ftrace_sites *s, struct ftrace_sites *fresh);

#endif /* _KERNEL_TRACE_FTRACE_CORE_INTERNAL_H */
