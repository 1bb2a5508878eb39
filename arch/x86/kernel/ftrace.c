// SPDX-License-Identifier: GPL-2.0
/*
 * ftrace.c - x86 side of dynamic ftrace: what the ftrace core asks of the
 * architecture, served by the batch patch engine (ftrace_patch.c).
 *
 * Every ftrace site is the 5 bytes of a "call __fentry__" that the
 * compiler put at the start of a function.  At boot and module load
 * (text not live yet, ftrace_poke_late == 0) a site is checked and turned
 * into the 5-byte NOP by a plain write.  Later every change goes through
 * the patch engine, and all changes between
 * ftrace_arch_code_modify_prepare() and ..._post_process() form one
 * protocol run: the ftrace_call sites open first (to the list function),
 * ftrace_replace_code() opens all records the core wants changed as one
 * group, the final callback retargets the open ftrace_call sites, calls
 * made by the core one at a time (module enable) are queued and opened
 * as one group, and post_process closes the run.  A tracer switch thus
 * costs four or five all-CPU syncs (see ftrace_patch.c), whatever the
 * number of sites.
 *
 * What to do with a site the engine refused is the core's decision:
 * with upstream's core that is ftrace_bug(), called here for each refused
 * site after the rest of the group was opened.
 *
 * Locking: text_mutex is held from ftrace_arch_code_modify_prepare() to
 * ftrace_arch_code_modify_post_process(); it guards ftrace_poke_late,
 * the queue of pending sites and the record buffer.  The core's
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
 * where ->chg[i] is the change of site ->s[i]): buffers that only grow,
 * so that a tracer switch allocates (and vfree()s, which costs TLB
 * flushes) nothing.
 */
struct ftrace_rec_change {
	struct dyn_ftrace *rec;
	unsigned long was;	/* its flags before ftrace_update_record() */
};

struct ftrace_site_buf {
	struct ftrace_patch_site *s;
	struct ftrace_rec_change *chg;	/* records only */
	unsigned int nr, cap;
};

static struct ftrace_site_buf pending, records;

/*
 * Sites ftrace_make_nop() converted at boot and module load (never
 * decremented): at least as many as there are records, so the record
 * buffer is sized once instead of doubling (and copying) its way up on
 * the first tracer switch.  Boot is single-threaded; later the core's
 * ftrace_lock serializes module loads with ftrace_replace_code().
 */
static unsigned int ftrace_nr_sites;

/* Room in @b for @want sites (and their changes if @chg), at least. */
static int ftrace_site_buf_grow(struct ftrace_site_buf *b, unsigned int want,
				bool chg)
{
	unsigned int cap = max3(want, 2 * b->cap, 64U);
	struct ftrace_rec_change *c;
	struct ftrace_patch_site *s;

	s = kvrealloc(b->s, cap * sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	b->s = s;
	if (chg) {
		c = kvrealloc(b->chg, cap * sizeof(*c), GFP_KERNEL);
		if (!c)
			return -ENOMEM;
		b->chg = c;
	}
	b->cap = cap;
	return 0;
}

/* A new site at the end of @b (with room for its change if @chg), or NULL. */
static __always_inline struct ftrace_patch_site *
ftrace_site_add(struct ftrace_site_buf *b, bool chg)
{
	if (b->nr == b->cap && ftrace_site_buf_grow(b, 0, chg))
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

static void ftrace_run_pending(void)
{
	unsigned int i;

	lockdep_assert_held(&text_mutex);
	if (!pending.nr)
		return;
	ftrace_patch_open(pending.s, pending.nr);
	for (i = 0; i < pending.nr; i++)
		if (pending.s[i].err)
			pr_err("site %pS not patched (%d)\n",
			       (void *)pending.s[i].ip, pending.s[i].err);
	pending.nr = 0;
}

/**
 * ftrace_arch_code_modify_post_process() - end a series of text changes
 *
 * Opens what ftrace_make_call() queued as one group, closes the run and
 * drops text_mutex.
 */
void ftrace_arch_code_modify_post_process(void)
	__releases(&text_mutex)
{
	ftrace_run_pending();
	ftrace_patch_close();
	ftrace_poke_late = 0;
	mutex_unlock(&text_mutex);
}

static int ftrace_check_site(unsigned long ip, const u8 *old)
{
	u8 cur[MCOUNT_INSN_SIZE];

	if (copy_from_kernel_nofault(cur, (void *)ip, MCOUNT_INSN_SIZE))
		return -EFAULT;
	if (memcmp(cur, old, MCOUNT_INSN_SIZE)) {
		ftrace_expected = old;
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
	if (!s)
		return -ENOMEM;
	s->ip = ip;
	memcpy(s->old, old, MCOUNT_INSN_SIZE);
	memcpy(s->new, new, MCOUNT_INSN_SIZE);
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
	ftrace_nr_sites++;
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
 * A call site (ftrace_call, ftrace_regs_call) that is open in this run
 * already is retargeted: the core's second call (the final callback,
 * after the records changed) costs no sync of its own.  The others open
 * as one group, going from whatever they call now to @func.
 *
 * Context: text_mutex held (between prepare and post_process).
 * Return: 0 or the engine's error.
 */
int ftrace_update_ftrace_func(ftrace_func_t func)
{
	static const unsigned long ips[] = {
		(unsigned long)&ftrace_call, (unsigned long)&ftrace_regs_call,
	};
	struct ftrace_patch_site s[ARRAY_SIZE(ips)];
	unsigned int i, n = 0;

	lockdep_assert_held(&text_mutex);
	for (i = 0; i < ARRAY_SIZE(ips); i++) {
		s[n].ip = ips[i];
		ftrace_call_insn(s[n].new, ips[i], (unsigned long)func);
		if (!ftrace_patch_retarget(ips[i], s[n].new))
			continue;
		if (copy_from_kernel_nofault(s[n].old, (void *)ips[i],
					     MCOUNT_INSN_SIZE))
			return -EFAULT;
		n++;
	}
	return n ? ftrace_patch_open(s, n) : 0;
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

/*
 * The engine refused some sites: their records get back the flags they
 * had (the change is not committed) and go to the core, which decides.
 * ftrace_test_record() sets again what ftrace_bug() reports as the kind
 * of change that failed.
 */
static void ftrace_refuse_records(struct ftrace_site_buf *b, int enable)
{
	unsigned int i;

	for (i = 0; i < b->nr; i++) {
		struct dyn_ftrace *rec = b->chg[i].rec;

		if (!b->s[i].err)
			continue;
		rec->flags = b->chg[i].was;
		ftrace_test_record(rec, enable);
		ftrace_expected = b->s[i].old;
		ftrace_bug(b->s[i].err, rec);
		ftrace_expected = NULL;
	}
}

/**
 * ftrace_replace_code() - apply the core's pending record changes
 * @enable: as for ftrace_update_record()
 *
 * One walk over the records: each record's change is committed as it is
 * queued (as the core's generic ftrace_replace_code() does), and undone
 * for a site the engine refuses.  All records that change open as one
 * group; the run closes in ftrace_arch_code_modify_post_process().
 *
 * Context: text_mutex and ftrace_lock held.
 */
void ftrace_replace_code(int enable)
{
	struct ftrace_rec_iter *iter;

	lockdep_assert_held(&text_mutex);
	records.nr = 0;
	if (records.cap < ftrace_nr_sites)
		ftrace_site_buf_grow(&records, ftrace_nr_sites, true);
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
			pr_err("no memory for %u sites\n", records.nr + 1);
			break;
		}
		records.chg[records.nr - 1].rec = rec;
		records.chg[records.nr - 1].was = was;
		s->ip = rec->ip;
		if (!ftrace_rec_insns(rec, was, update, s->old, s->new)) {
			rec->flags = was;
			records.nr--;
		}
	}
	if (ftrace_patch_open(records.s, records.nr))
		ftrace_refuse_records(&records, enable);
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

#endif /* CONFIG_DYNAMIC_FTRACE */

#ifdef CONFIG_FUNCTION_GRAPH_TRACER

/**
 * prepare_ftrace_return() - divert a traced function's return into
 * return_to_handler
 * @ip: the traced function's site
 * @parent: the stack slot holding its return address
 * @frame_pointer: the caller's frame pointer, or 0
 */
void prepare_ftrace_return(unsigned long ip, unsigned long *parent,
			   unsigned long frame_pointer)
{
	unsigned long hook = (unsigned long)&return_to_handler;
	int bit;

	/* early CPU bring-up code may run this in real mode: bail out */
	if (unlikely((long)__builtin_frame_address(0) >= 0))
		return;
	if (unlikely(ftrace_graph_is_dead()) ||
	    unlikely(atomic_read(&current->tracing_graph_pause)))
		return;
	bit = ftrace_test_recursion_trylock(ip, *parent);
	if (bit < 0)
		return;
	if (!function_graph_enter(*parent, ip, frame_pointer, parent))
		*parent = hook;
	ftrace_test_recursion_unlock(bit);
}

#ifdef CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS
/**
 * ftrace_graph_func() - the function graph tracer's ftrace callback
 * @ip: the traced function's site
 * @parent_ip: its caller
 * @op: the graph ops
 * @fregs: registers at the site; the stack pointer points at the
 *         return address slot
 */
void ftrace_graph_func(unsigned long ip, unsigned long parent_ip,
		       struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct pt_regs *regs = &arch_ftrace_regs(fregs)->regs;
	unsigned long *slot = (unsigned long *)kernel_stack_pointer(regs);

	prepare_ftrace_return(ip, slot, 0);
}
#endif
#endif /* CONFIG_FUNCTION_GRAPH_TRACER */
