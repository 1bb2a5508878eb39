// SPDX-License-Identifier: GPL-2.0
/*
 * ftrace_adapter.c - x86 side of dynamic ftrace for upstream's core
 * (kernel/trace/ftrace.c): what it asks of the architecture, served by
 * the batch patch engine (ftrace_patch.c).  Our own core
 * (CONFIG_FTRACE_OWN_CORE_LIVE) talks to the engine through
 * ftrace_sites.c instead, and this file is not built with it.
 *
 * Every ftrace site is the 5 bytes of a "call __fentry__" that the
 * compiler put at the start of a function.  At boot and module load
 * (text not live yet, ftrace_poke_late == 0) a site is checked and turned
 * into the 5-byte NOP by a plain write.  Later every change goes through
 * the patch engine, and all changes between
 * ftrace_arch_code_modify_prepare() and ..._post_process() form one
 * protocol run: ftrace_replace_code() opens all records the core wants
 * changed as one group, with the ftrace_call sites (see ftrace_func_run),
 * the final callback retargets the open ftrace_call sites, calls made by
 * the core one at a time (module enable) are queued and opened as one
 * group, and post_process closes the run.  A tracer switch thus costs
 * three all-CPU syncs, or four when perf_event_text_poke()'s own site is
 * among the records (see ftrace_patch.c), whatever the number of sites.
 *
 * What to do with a site the engine refused is the core's decision.
 * Upstream's core gives up on ftrace at the first refusal (ftrace_bug()),
 * and would then never turn the other sites of the change off again: so
 * its changes are opened all or none (FTRACE_PATCH_ALL), and a refusal
 * leaves every site and every record of the change as it was, as
 * upstream's own x86 code does.  Memory is reserved before any record's
 * change is committed; a failure that is no site's own is reported once,
 * and the change is undone whole.
 *
 * Locking: text_mutex is held from ftrace_arch_code_modify_prepare() to
 * ftrace_arch_code_modify_post_process(); it guards ftrace_poke_late,
 * the queue of pending sites, the record buffer and ftrace_func_run.  The core's
 * ftrace_lock is held around both.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ftrace.h>
#include <linux/memory.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <asm/ftrace.h>
#include <asm/nops.h>
#include <asm/sync_core.h>
#include <asm/text-patching.h>

#include "ftrace_patch.h"

#ifdef CONFIG_DYNAMIC_FTRACE

static int ftrace_poke_late;

/*
 * Sites queued by ftrace_make_call() and friends while poking late
 * (pending), and the record changes of ftrace_replace_code() (records,
 * where ->chg[i] is the change of site ->s[i]).  pending only grows;
 * records is sized from the core's live records before each walk (room
 * for all of them, shrunk when they dropped below half of it, as after a
 * large module went), so that a tracer switch allocates (and vfree()s,
 * which costs TLB flushes) nothing while the records stay as they are,
 * and module load and unload cycles do not make it grow.
 */
struct ftrace_rec_change {
	struct dyn_ftrace *rec;
	unsigned long was;	/* its flags before ftrace_update_record() */
};

struct ftrace_site_buf {
	struct ftrace_patch_site *s;
	struct ftrace_rec_change *chg;	/* records only */
	unsigned int nr, cap;
	unsigned int want;	/* records: room the last walk reserved */
	bool to_caller;		/* a site goes to ftrace_(regs_)caller */
};

static struct ftrace_site_buf pending, records;

/*
 * What ftrace_bug() prints as expected: the core reads ftrace_expected
 * after the function that set it returned, so it points here.
 */
static u8 ftrace_expected_insn[MCOUNT_INSN_SIZE];

/*
 * The calls at ftrace_call and ftrace_regs_call during one run.  The core
 * points them at the list function before it changes records and at the
 * final callback after (ftrace_modify_all_code()), so that a single ops'
 * callback, called from ftrace_caller without a hash check, never gets a
 * site that a record newly sends to ftrace_caller and that is not its
 * own.  So a group with such a record (->to_caller) waits for those two
 * sites to be open, if they call a single ops' callback now.  Otherwise
 * their change needs no sync of its own: if they call ftrace_stub or the
 * list function (harmless: the stub calls nothing, the list function
 * checks every ops' hashes), any mix of old and new records is safe with
 * them; if no record goes to ftrace_caller, only old records reach them,
 * as they do until the list function's own group is synced.  Then they
 * are queued and join the records' group (going to the list function, or
 * straight to the stub), and the final callback retargets them once
 * every record is open.
 */
enum ftrace_func_state {
	FUNC_IDLE,	/* not touched in this run */
	FUNC_QUEUED,	/* ->s read, to open with the records or pending */
	FUNC_OPEN,	/* open: retargeted from now on */
};

static struct {
	enum ftrace_func_state state;
	bool harmless;		/* QUEUED: they call the stub or list now */
	ftrace_func_t target;	/* what the core asked for last */
	struct ftrace_patch_site s[2];
} ftrace_func_run;

static const unsigned long ftrace_func_ips[] = {
	(unsigned long)&ftrace_call, (unsigned long)&ftrace_regs_call,
};

/*
 * Room in @b for exactly @cap sites (and their changes if @chg); @cap is
 * at least b->nr.  If only one of the two arrays could be reallocated,
 * ->cap is what both still hold.
 */
static int ftrace_site_buf_resize(struct ftrace_site_buf *b, unsigned int cap,
				  bool chg)
{
	struct ftrace_rec_change *c;
	struct ftrace_patch_site *s;

	s = kvrealloc(b->s, cap * sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	b->s = s;
	if (chg) {
		c = kvrealloc(b->chg, cap * sizeof(*c), GFP_KERNEL);
		if (!c) {
			b->cap = min(b->cap, cap);
			return -ENOMEM;
		}
		b->chg = c;
	}
	b->cap = cap;
	return 0;
}

/* A new site at the end of @b (with room for its change if @chg), or NULL. */
static __always_inline struct ftrace_patch_site *
ftrace_site_add(struct ftrace_site_buf *b, bool chg)
{
	if (b->nr == b->cap &&
	    ftrace_site_buf_resize(b, max(2 * b->cap, 64U), chg))
		return NULL;
	return &b->s[b->nr++];
}

static __always_inline void ftrace_nop_insn(u8 *insn)
{
	memcpy(insn, x86_nops[5], MCOUNT_INSN_SIZE);
}

/* "call @target" at @ip; no call thunk, the trampolines account depth. */
static __always_inline void ftrace_call_insn(u8 *insn, unsigned long ip,
					     unsigned long target)
{
	__text_gen_insn(insn, CALL_INSN_OPCODE, (void *)ip, (void *)target,
			CALL_INSN_SIZE);
}

/**
 * ftrace_arch_code_modify_prepare() - start a series of text changes
 *
 * Takes text_mutex, which keeps module loading and every other text
 * patcher out until ftrace_arch_code_modify_post_process().
 */
void ftrace_arch_code_modify_prepare(void)
	__acquires(&text_mutex)
{
	mutex_lock(&text_mutex);
	ftrace_poke_late = 1;
}

/* True if @s goes to ftrace_caller or ftrace_regs_caller. */
static bool ftrace_site_to_caller(const struct ftrace_patch_site *s)
{
	unsigned long to = ftrace_call_dest(s->new, s->ip);

	return to == FTRACE_ADDR || to == FTRACE_REGS_ADDR;
}

/* A callback any mix of old and new records is safe with. */
static bool ftrace_func_harmless(unsigned long fn)
{
	return fn == (unsigned long)ftrace_stub ||
	       fn == (unsigned long)arch_ftrace_ops_list_func;
}

/*
 * Read what the ftrace_call sites hold into ftrace_func_run.s, and whether
 * both call ftrace_stub or the list function.
 */
static int ftrace_func_read(void)
{
	struct ftrace_patch_site *s = ftrace_func_run.s;
	unsigned int i;

	ftrace_func_run.harmless = true;
	for (i = 0; i < ARRAY_SIZE(ftrace_func_ips); i++) {
		unsigned long ip = ftrace_func_ips[i];

		memset(&s[i], 0, sizeof(s[i]));
		s[i].ip = ip;
		if (copy_from_kernel_nofault(s[i].old, (void *)ip,
					     MCOUNT_INSN_SIZE))
			return -EFAULT;
		if (!ftrace_func_harmless(ftrace_call_dest(s[i].old, ip)))
			ftrace_func_run.harmless = false;
	}
	return 0;
}

/*
 * The new instruction of sites @s as they open: ftrace_func_run.target
 * if it is harmless, else the list function until the records are open.
 * They open even if that is what they call now, to be retargeted.
 */
static void ftrace_func_aim(struct ftrace_patch_site *s)
{
	unsigned long fn = (unsigned long)ftrace_func_run.target;
	unsigned int i;

	if (!ftrace_func_harmless(fn))
		fn = (unsigned long)arch_ftrace_ops_list_func;
	for (i = 0; i < ARRAY_SIZE(ftrace_func_ips); i++) {
		ftrace_call_insn(s[i].new, s[i].ip, fn);
		s[i].open_same = true;
	}
}

/* Point the open ftrace_call sites at @func. */
static int ftrace_func_retarget(ftrace_func_t func)
{
	u8 insn[MCOUNT_INSN_SIZE];
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(ftrace_func_ips); i++) {
		ftrace_call_insn(insn, ftrace_func_ips[i], (unsigned long)func);
		ret = ftrace_patch_retarget(ftrace_func_ips[i], insn);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * The ftrace_call sites just opened, aimed by ftrace_func_aim(): a single
 * ops' callback they went to the list function for gets them now.
 */
static int ftrace_func_opened(void)
{
	ftrace_func_run.state = FUNC_OPEN;
	if (ftrace_func_harmless((unsigned long)ftrace_func_run.target))
		return 0;
	return ftrace_func_retarget(ftrace_func_run.target);
}

/* Open the queued ftrace_call sites as a group of their own. */
static int ftrace_func_open_alone(void)
{
	ftrace_func_aim(ftrace_func_run.s);
	return ftrace_patch_open(ftrace_func_run.s,
				 ARRAY_SIZE(ftrace_func_ips), 0) ?:
	       ftrace_func_opened();
}

/*
 * Queue the ftrace_call sites at the end of @b, which opens next (with
 * room for their changes if @chg, with no record), or open them first if
 * they may not join it (see ftrace_func_run).  Return: the index of the
 * first, or -1 if they are not queued.
 */
static int ftrace_func_join(struct ftrace_site_buf *b, bool chg)
{
	unsigned int i, first = b->nr;
	int err;

	if (ftrace_func_run.state != FUNC_QUEUED)
		return -1;
	if (!ftrace_func_run.harmless && b->to_caller) {
		err = ftrace_func_open_alone();
		WARN(err, "ftrace_call sites not patched (%d)\n", err);
		return -1;
	}
	ftrace_func_aim(ftrace_func_run.s);
	for (i = 0; i < ARRAY_SIZE(ftrace_func_ips); i++) {
		struct ftrace_patch_site *s = ftrace_site_add(b, chg);

		if (!s) {
			b->nr = first;
			WARN(1, "ftrace_call sites not patched (%d)\n", -ENOMEM);
			return -1;
		}
		*s = ftrace_func_run.s[i];
		if (chg)
			b->chg[b->nr - 1].rec = NULL;
	}
	return first;
}

/*
 * The ftrace_call sites at @first of @b were opened (or not): point them
 * at the final target.  A failure can only be -ENOMEM; the core would
 * have warned (FTRACE_WARN_ON) had ftrace_update_ftrace_func() returned
 * it, and so does this.
 */
static void ftrace_func_joined(struct ftrace_site_buf *b, int first)
{
	int err;

	if (first < 0)
		return;
	err = b->s[first].err ?: b->s[first + 1].err ?: ftrace_func_opened();
	WARN(err, "ftrace_call sites not patched (%d)\n", err);
}

static void ftrace_run_pending(void)
{
	unsigned int i;
	int func, ret;

	lockdep_assert_held(&text_mutex);
	func = ftrace_func_join(&pending, false);
	if (!pending.nr)
		return;
	ret = ftrace_patch_open(pending.s, pending.nr, 0);
	if (ret == -ENOMEM || ret == -EEXIST) {
		/* reserved at queueing: only the window's tables can fail */
		pr_err("%u queued sites not patched (%d)\n", pending.nr, ret);
		func = -1;
	}
	for (i = 0; i < pending.nr; i++)
		if (pending.s[i].err && (func < 0 || i < func))
			pr_err_ratelimited("site %pS not patched (%d)\n",
					   (void *)pending.s[i].ip,
					   pending.s[i].err);
	ftrace_func_joined(&pending, func);
	pending.nr = 0;
	pending.to_caller = false;
}

/**
 * ftrace_arch_code_modify_post_process() - end a series of text changes
 *
 * Opens what ftrace_make_call() queued (and ftrace_call sites still
 * queued) as one group, closes the run and drops text_mutex.
 */
void ftrace_arch_code_modify_post_process(void)
	__releases(&text_mutex)
{
	ftrace_run_pending();
	ftrace_patch_close();
	ftrace_func_run.state = FUNC_IDLE;
	ftrace_poke_late = 0;
	mutex_unlock(&text_mutex);
}

static int ftrace_check_site(unsigned long ip, const u8 *old)
{
	u8 cur[MCOUNT_INSN_SIZE];

	if (copy_from_kernel_nofault(cur, (void *)ip, MCOUNT_INSN_SIZE))
		return -EFAULT;
	if (memcmp(cur, old, MCOUNT_INSN_SIZE)) {
		memcpy(ftrace_expected_insn, old, MCOUNT_INSN_SIZE);
		ftrace_expected = ftrace_expected_insn;
		return -EINVAL;
	}
	return 0;
}

/*
 * Text that is not live yet (boot, module load): check and write it
 * directly.  Core text is still writable at boot and module text before
 * the module is formed; no other CPU runs it yet, and serializing this
 * CPU makes it fetch the new bytes.
 */
static int ftrace_write_early(unsigned long ip, const u8 *old, const u8 *new)
{
	unsigned long flags;
	int ret = ftrace_check_site(ip, old);

	if (ret)
		return ret;
	local_irq_save(flags);
	memcpy((void *)ip, new, MCOUNT_INSN_SIZE);
	sync_core();
	local_irq_restore(flags);
	return 0;
}

/*
 * Live text, one site at a time (ftrace_make_call() and friends, e.g. when
 * a module's records are enabled): queue it for post_process.  The bytes
 * are checked now because the core wants this call's verdict; the engine
 * checks them again when it opens the queue, which under text_mutex
 * cannot disagree, and keeps the engine's own guarantee independent of
 * its callers.
 */
static int ftrace_queue_site(unsigned long ip, const u8 *old, const u8 *new)
{
	struct ftrace_patch_site *s;
	int ret = ftrace_check_site(ip, old);

	lockdep_assert_held(&text_mutex);
	if (ret)
		return ret;
	s = ftrace_site_add(&pending, false);
	if (!s || ftrace_patch_reserve(pending.nr)) {
		if (s)
			pending.nr--;
		return -ENOMEM;
	}
	s->ip = ip;
	s->open_same = false;
	memcpy(s->old, old, MCOUNT_INSN_SIZE);
	memcpy(s->new, new, MCOUNT_INSN_SIZE);
	pending.to_caller |= ftrace_site_to_caller(s);
	return 0;
}

static int ftrace_change_site(unsigned long ip, const u8 *old, const u8 *new)
{
	if (ftrace_poke_late)
		return ftrace_queue_site(ip, old, new);
	return ftrace_write_early(ip, old, new);
}

/**
 * ftrace_make_nop() - turn a site that calls @addr into a NOP
 * @mod: module of the site (unused)
 * @rec: the site
 * @addr: only MCOUNT_ADDR: the first conversion at boot or module load;
 *        later changes go through ftrace_replace_code()
 *
 * Return: 0, -EFAULT, -EINVAL (bytes differ) or -ENOMEM.
 */
int ftrace_make_nop(struct module *mod, struct dyn_ftrace *rec,
		    unsigned long addr)
{
	u8 old[MCOUNT_INSN_SIZE], new[MCOUNT_INSN_SIZE];

	if (WARN_ONCE(addr != MCOUNT_ADDR, "%s: not __fentry__", __func__))
		return -EINVAL;
	ftrace_call_insn(old, rec->ip, addr);
	ftrace_nop_insn(new);
	return ftrace_change_site(rec->ip, old, new);
}

/**
 * ftrace_make_call() - turn a NOP site into a call to @addr
 * @rec: the site
 * @addr: the trampoline
 *
 * Return: 0, -EFAULT, -EINVAL (bytes differ) or -ENOMEM.
 */
int ftrace_make_call(struct dyn_ftrace *rec, unsigned long addr)
{
	u8 old[MCOUNT_INSN_SIZE], new[MCOUNT_INSN_SIZE];

	ftrace_nop_insn(old);
	ftrace_call_insn(new, rec->ip, addr);
	return ftrace_change_site(rec->ip, old, new);
}

/**
 * ftrace_modify_call() - retarget a call site
 * @rec: the site
 * @old_addr: its current target
 * @addr: its new target
 *
 * Return: 0, -EFAULT, -EINVAL (bytes differ) or -ENOMEM.
 */
int ftrace_modify_call(struct dyn_ftrace *rec, unsigned long old_addr,
		       unsigned long addr)
{
	u8 old[MCOUNT_INSN_SIZE], new[MCOUNT_INSN_SIZE];

	ftrace_call_insn(old, rec->ip, old_addr);
	ftrace_call_insn(new, rec->ip, addr);
	return ftrace_change_site(rec->ip, old, new);
}

/**
 * ftrace_update_ftrace_func() - make the static trampolines call @func
 * @func: the new callback (a single ops' function or the list function)
 *
 * The call sites (ftrace_call, ftrace_regs_call) are retargeted if they
 * are open in this run already: the core's second call (the final
 * callback, after the records changed) costs no sync of its own.  Else
 * they are queued to open with the records, or before them if they must
 * (see ftrace_func_run).
 *
 * Context: text_mutex held (between prepare and post_process).
 * Return: 0 or the engine's error.
 */
int ftrace_update_ftrace_func(ftrace_func_t func)
{
	int ret;

	lockdep_assert_held(&text_mutex);
	ftrace_func_run.target = func;
	if (ftrace_func_run.state == FUNC_QUEUED)
		return 0;
	/* -ENOENT: the engine closed the run to start another (FP_GROUPS) */
	if (ftrace_func_run.state == FUNC_OPEN && !ftrace_func_retarget(func))
		return 0;
	ret = ftrace_func_read();
	ftrace_func_run.state = ret ? FUNC_IDLE : FUNC_QUEUED;
	return ret;
}

/*
 * ftrace_replace_code() opens a group: take the ftrace_call sites along
 * if they call the stub or the list function, are not touched yet in
 * this run, and the core will point them elsewhere after the records
 * (it set ftrace_trace_function before the run; it skipped the list
 * function step because they call that already), so that the final
 * callback retargets them without a sync of their own.
 */
static void ftrace_func_ride_along(void)
{
	unsigned long now;

	if (ftrace_func_run.state != FUNC_IDLE || ftrace_func_read() ||
	    !ftrace_func_run.harmless)
		return;
	now = ftrace_call_dest(ftrace_func_run.s[0].old, ftrace_func_ips[0]);
	if (now == (unsigned long)READ_ONCE(ftrace_trace_function))
		return;
	ftrace_func_run.target = (ftrace_func_t)now;
	ftrace_func_run.state = FUNC_QUEUED;
}

/*
 * Where @rec called before ftrace_update_record() changed its flags to
 * @now: ftrace_get_addr_curr() reads the flags that say what the site
 * calls (the _EN ones), so it is asked with the flags of then.  Nobody
 * else reads or writes rec->flags meanwhile: the core holds ftrace_lock.
 */
static unsigned long ftrace_addr_was(struct dyn_ftrace *rec,
				     unsigned long was)
{
	unsigned long now = rec->flags, addr;

	rec->flags = was;
	addr = ftrace_get_addr_curr(rec);
	rec->flags = now;
	return addr;
}

/* Old and new bytes of @rec for @update; false if it stays as it is. */
static __always_inline bool ftrace_rec_insns(struct dyn_ftrace *rec,
					     unsigned long was, int update,
					     u8 *old, u8 *new)
{
	switch (update) {
	case FTRACE_UPDATE_MAKE_CALL:
		ftrace_nop_insn(old);
		ftrace_call_insn(new, rec->ip, ftrace_get_addr_new(rec));
		return true;
	case FTRACE_UPDATE_MODIFY_CALL:
		ftrace_call_insn(old, rec->ip, ftrace_addr_was(rec, was));
		ftrace_call_insn(new, rec->ip, ftrace_get_addr_new(rec));
		return true;
	case FTRACE_UPDATE_MAKE_NOP:
		ftrace_call_insn(old, rec->ip, ftrace_addr_was(rec, was));
		ftrace_nop_insn(new);
		return true;
	default:
		return false;
	}
}

/* Undo the changes of every record of @b: none is committed. */
static void ftrace_undo_records(struct ftrace_site_buf *b)
{
	unsigned int i;

	for (i = 0; i < b->nr; i++)
		if (b->chg[i].rec)
			b->chg[i].rec->flags = b->chg[i].was;
}

/*
 * The engine refused a site, so it opened none (FTRACE_PATCH_ALL): no
 * record's change is committed, and the first refused record goes to the
 * core, which decides (upstream's ftrace_bug(): ftrace off for good).
 * ftrace_test_record() sets again what ftrace_bug() reports as the kind
 * of change that failed.
 */
static void ftrace_refuse_records(struct ftrace_site_buf *b, int enable)
{
	unsigned int i;

	ftrace_undo_records(b);
	for (i = 0; i < b->nr; i++) {
		struct dyn_ftrace *rec = b->chg[i].rec;

		if (!b->s[i].err || !rec)
			continue;
		ftrace_test_record(rec, enable);
		memcpy(ftrace_expected_insn, b->s[i].old, MCOUNT_INSN_SIZE);
		ftrace_expected = ftrace_expected_insn;
		ftrace_bug(b->s[i].err, rec);
		ftrace_expected = NULL;
		return;
	}
}

/* No memory for the change: nothing committed, said once. */
static void ftrace_records_nomem(struct ftrace_site_buf *b, int err)
{
	ftrace_undo_records(b);
	pr_err("no memory to change %u sites (%d): none changed\n", b->nr,
	       err);
}

/*
 * Room for every live record and the two ftrace_call sites, in the record
 * buffer and in the engine, before any record's change is committed.
 */
static int ftrace_records_reserve(void)
{
	unsigned int want = ftrace_update_tot_cnt + ARRAY_SIZE(ftrace_func_ips);

	lockdep_assert_held(&text_mutex);
	records.want = want;
	if (records.cap < want) {
		if (ftrace_site_buf_resize(&records, want, true))
			return -ENOMEM;
	} else if (records.cap / 2 > want) {
		ftrace_site_buf_resize(&records, want, true);	/* may keep it */
	}
	return ftrace_patch_reserve(want);
}

/**
 * ftrace_replace_code() - apply the core's pending record changes
 * @enable: as for ftrace_update_record()
 *
 * One walk over the records: each record's change is committed as it is
 * queued (as the core's generic ftrace_replace_code() does), and undone,
 * with every other of the change, if the engine refuses a site or memory
 * runs out.  All records that change open as one group, with the
 * ftrace_call sites if they may (ftrace_func_run); the run closes in
 * ftrace_arch_code_modify_post_process().
 *
 * Context: text_mutex and ftrace_lock held.
 */
void ftrace_replace_code(int enable)
{
	struct ftrace_rec_iter *iter;
	int func, ret;

	lockdep_assert_held(&text_mutex);
	records.nr = 0;
	records.to_caller = false;
	ret = ftrace_records_reserve();
	if (ret) {
		ftrace_records_nomem(&records, ret);
		return;
	}
	for_ftrace_rec_iter(iter) {
		struct dyn_ftrace *rec = ftrace_rec_iter_record(iter);
		unsigned long was = rec->flags;
		int update = ftrace_update_record(rec, enable);
		struct ftrace_patch_site *s;

		if (update == FTRACE_UPDATE_IGNORE)
			continue;
		s = ftrace_site_add(&records, true);
		if (!s) {
			rec->flags = was;
			ftrace_records_nomem(&records, -ENOMEM);
			return;
		}
		records.chg[records.nr - 1].rec = rec;
		records.chg[records.nr - 1].was = was;
		s->ip = rec->ip;
		s->open_same = false;
		if (!ftrace_rec_insns(rec, was, update, s->old, s->new)) {
			rec->flags = was;
			records.nr--;
		} else if (!records.to_caller &&
			   s->new[0] == CALL_INSN_OPCODE) {
			records.to_caller = ftrace_site_to_caller(s);
		}
	}
	if (!records.nr)
		return;
	ftrace_func_ride_along();
	func = ftrace_func_join(&records, true);
	ret = ftrace_patch_open(records.s, records.nr, FTRACE_PATCH_ALL);
	if (ret == -ENOMEM || ret == -EEXIST) {
		ftrace_records_nomem(&records, ret);
		return;	/* the ftrace_call sites stay queued */
	}
	if (ret) {
		ftrace_refuse_records(&records, enable);
		return;
	}
	ftrace_func_joined(&records, func);
}

/**
 * arch_ftrace_update_code() - run the core's update without stop_machine
 * @command: FTRACE_* command bits
 *
 * The batch protocol is safe with all CPUs running.
 */
void arch_ftrace_update_code(int command)
{
	ftrace_modify_all_code(command);
}

#if defined(CONFIG_FUNCTION_GRAPH_TRACER) && \
	!defined(CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS)
/* The 5-byte jmp in ftrace_32.S's ftrace_caller: to the graph caller or not. */
void ftrace_graph_call(void);

/* Point that jmp at @to, in the core's run (text_mutex held). */
static int ftrace_graph_jmp(void *to)
{
	unsigned long ip = (unsigned long)&ftrace_graph_call;
	struct ftrace_patch_site s = { .ip = ip };

	lockdep_assert_held(&text_mutex);
	if (copy_from_kernel_nofault(s.old, (void *)ip, MCOUNT_INSN_SIZE))
		return -EFAULT;
	__text_gen_insn(s.new, JMP32_INSN_OPCODE, (void *)ip, to,
			JMP32_INSN_SIZE);
	return ftrace_patch_open(&s, 1, 0);
}

/**
 * ftrace_enable_ftrace_graph_caller() - send ftrace_caller on to the
 * function graph caller (kernels without DYNAMIC_FTRACE_WITH_ARGS)
 *
 * Return: 0 or the engine's error.
 */
int ftrace_enable_ftrace_graph_caller(void)
{
	return ftrace_graph_jmp(ftrace_graph_caller);
}

/**
 * ftrace_disable_ftrace_graph_caller() - let ftrace_caller return again
 *
 * Return: 0 or the engine's error.
 */
int ftrace_disable_ftrace_graph_caller(void)
{
	return ftrace_graph_jmp(ftrace_stub);
}
#endif

#if IS_ENABLED(CONFIG_FTRACE_PATCH_TEST)
/**
 * ftrace_patch_test_records() - how the record buffer is sized
 * @want: receives the room the last ftrace_replace_code() reserved (the
 *        live records and the two ftrace_call sites)
 *
 * For the engine's test module: across module load and unload cycles the
 * room follows the live records and the buffer does not grow.
 *
 * Context: process context; takes text_mutex.
 * Return: the room the buffer has.
 */
unsigned int ftrace_patch_test_records(unsigned int *want)
{
	unsigned int cap;

	mutex_lock(&text_mutex);
	*want = records.want;
	cap = records.cap;
	mutex_unlock(&text_mutex);
	return cap;
}
EXPORT_SYMBOL_NS_GPL(ftrace_patch_test_records, FTRACE_PATCH_TEST);
#endif

#if IS_ENABLED(CONFIG_FTRACE_PATCH_KUNIT_TEST)
/**
 * ftrace_arch_kunit_make_nop() - ftrace_make_nop() on a made-up record,
 * for the engine's KUnit tests
 * @ip: the record's site, which must not hold a call to __fentry__ (so
 *      the check refuses it and nothing is written)
 * @expected: receives ftrace_expected as ftrace_make_nop() left it
 *
 * Context: text_mutex held (ftrace_patch_kunit_lock()), so no run is open
 * and the site would be written early: hence the check of @ip first.
 * Return: -EPERM if @ip holds that call, else ftrace_make_nop()'s return.
 */
int ftrace_arch_kunit_make_nop(unsigned long ip, const void **expected)
{
	struct dyn_ftrace rec = { .ip = ip };
	u8 call[MCOUNT_INSN_SIZE];
	int ret;

	lockdep_assert_held(&text_mutex);
	ftrace_call_insn(call, ip, MCOUNT_ADDR);
	if (ftrace_poke_late || !ftrace_check_site(ip, call))
		return -EPERM;
	ftrace_expected = NULL;
	ret = ftrace_make_nop(NULL, &rec, MCOUNT_ADDR);
	*expected = ftrace_expected;
	ftrace_expected = NULL;
	return ret;
}
EXPORT_SYMBOL_IF_FP_KUNIT(ftrace_arch_kunit_make_nop);
#endif

#endif /* CONFIG_DYNAMIC_FTRACE */
