// SPDX-License-Identifier: GPL-2.0
/*
 * ftrace_patch.c - live patching of 5-byte ftrace sites: one int3
 * protocol run, with three all-CPU syncs, for all the sites a series of
 * core requests changes.
 *
 * DOC: protocol
 * A site holds a 5-byte "call rel32" or the 5-byte NOP (old) and must
 * hold another one (new).  Sites come in groups; a run is a series of
 * groups opened one after the other, then closed together:
 *  open: check every site of the group.  One that cannot be read or
 *     mapped (-EFAULT) or does not hold old (-EINVAL, actual bytes kept)
 *     is reported in the site and left alone (no memory for the
 *     window's page tables fails the whole request instead).  Publish the
 *     others for ftrace_patch_int3_handler(), write int3 on their first
 *     byte, sync all CPUs.  From then on every CPU that runs such a site
 *     traps and has the new instruction emulated: the group has, in
 *     effect, changed.  (A request's sites out of ip order, up to
 *     FP_STRAYS, form a second group opened in the same step.)
 *  retarget: the instruction emulated for an open site may change (one
 *     atomic store): the ftrace_call sites open to the list function
 *     and go to the final callback when the core is done, in one run.
 *  close: write bytes 1..4 of every open site's new instruction, sync;
 *     write every first byte, sync; unpublish and wait until no handler
 *     looks at the groups any more.
 * Before a site's int3 is seen a CPU runs old, after step "open" it traps
 * or (after the first bytes) runs new: never a torn mix.  Each sync makes
 * sure that no CPU still has bytes of the step before in flight.  A
 * series of requests thus costs one sync per group plus two, and a
 * tracer switch (records and ftrace_call sites in one group, see
 * ftrace.c) three, or four when perf_event_text_poke()'s own site is
 * among the records (see fp_is_perf_site() and fp_perf), whatever the
 * number of sites.
 *
 * A request is checked whole before anything is written: a site that
 * does not hold old, or whose new instruction is none of a call to
 * kernel text, a jmp and the 5-byte NOP, is refused; with
 * FTRACE_PATCH_ALL (upstream's core, which gives up on ftrace at the
 * first refusal) one refusal opens none of the request.  A failure that
 * is no site's own (no memory for the group or the window's page tables,
 * the same site twice) fails the request whole: nothing opened, no site
 * blamed.  ftrace_patch_reserve() lets a caller get the memory of a
 * request before it commits to anything.  Requests are checked in
 * ftrace_patch_request.c, which hands the sites over as groups
 * (fp_open_group()); the state both halves share is in
 * ftrace_patch_int.h.
 *
 * DOC: locking
 * All of the engine's state is in ftrace_fpe (struct fp_engine).
 * text_mutex serializes runs with each other and with every other text
 * patcher (text_poke*, kprobes, static calls, jump labels,
 * alternatives), and guards every field of ftrace_fpe; a run is always
 * closed before text_mutex is dropped.  The int3 handler, which may run
 * in any context (NMI included), reads ftrace_fpe.desc only, under a
 * reference it takes on ftrace_fpe.desc.refs: closing drops the run's own
 * reference and waits for the handlers' to go.  The int3 handler is
 * called after poke_int3_handler() and only claims an int3 at an address
 * of an open group, so text_poke_bp()'s and kprobes' breakpoints never
 * reach it with a match.
 */
#define pr_fmt(fmt) "ftrace patch: " fmt

#include <kunit/static_stub.h>
#include <kunit/test-bug.h>
#include <linux/memory.h>
#include <linux/module.h>
#include <linux/perf_event.h>
#include <linux/kallsyms.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smp.h>

#include <asm/nops.h>
#include <asm/sync_core.h>
#include <asm/text-patching.h>

#include "ftrace_patch_int.h"

/* The engine (ftrace_patch_int.h); text_mutex guards it. */
struct fp_engine ftrace_fpe;

static __always_inline void fp_emulate(struct pt_regs *regs,
				       unsigned long ip, u64 insn)
{
	unsigned long next = ip + MCOUNT_INSN_SIZE;
	s32 rel = (s32)(u32)(insn >> 8);

	switch ((u8)insn) {
	case CALL_INSN_OPCODE:
		int3_emulate_call(regs, next + rel);
		break;
	case JMP32_INSN_OPCODE:
		int3_emulate_jmp(regs, next + rel);
		break;
	default:	/* the 5-byte NOP */
		int3_emulate_jmp(regs, next);
	}
}

/**
 * ftrace_patch_int3_handler() - emulate the new instruction of an open
 * site
 * @regs: the trap frame of an int3
 *
 * Called from exc_int3() before anything that could itself hit an int3.
 *
 * Return: true if the int3 was ours and @regs now continues after the
 * emulated instruction.
 */
noinstr bool ftrace_patch_int3_handler(struct pt_regs *regs)
{
	struct fp_desc *d = &ftrace_fpe.desc;
	struct fp_live *l = NULL;
	unsigned int g, ngrp;
	unsigned long ip;

	if (user_mode(regs))
		return false;
	/* pairs with the smp_wmb() in fp_publish(): int3 seen => group seen */
	smp_rmb();
	if (!raw_atomic_inc_not_zero(&d->refs))
		return false;
	ip = regs->ip - INT3_INSN_SIZE;
	/* pairs with the release in fp_publish(): count seen => group seen */
	ngrp = smp_load_acquire(&d->ngrp);
	for (g = 0; g < ngrp && !l; g++)
		l = fp_find(&d->grp[g], ip);
	if (l)
		fp_emulate(regs, ip, READ_ONCE(l->insn));
	/* our reads of the groups are done before the closer sees refs drop */
	smp_mb__before_atomic();
	raw_atomic_dec(&d->refs);
	return l;
}
EXPORT_SYMBOL_IF_FP_KUNIT(ftrace_patch_int3_handler);

static void fp_sync_one(void *unused)
{
	sync_core();
}

static void fp_sync(void)
{
	on_each_cpu(fp_sync_one, NULL, 1);
	ftrace_fpe.stats.syncs++;
}

static void fp_publish(struct fp_live *vec, unsigned int nr)
{
	struct fp_desc *d = &ftrace_fpe.desc;
	unsigned int k = d->ngrp;

	d->grp[k].vec = vec;
	d->grp[k].nr = nr;
	if (!k)
		atomic_set(&d->refs, 1);
	/* a handler that sees the new count sees the group */
	smp_store_release(&d->ngrp, k + 1);
	/* and the count before any int3 of the group */
	smp_wmb();
}

static void fp_unpublish(void)
{
	struct fp_desc *d = &ftrace_fpe.desc;

	if (!atomic_dec_and_test(&d->refs))
		atomic_cond_read_acquire(&d->refs, !VAL);
	WRITE_ONCE(d->ngrp, 0);
}

/* What one step of the protocol writes at each site. */
enum fp_step {
	FP_INT3,	/* int3 on the first byte */
	FP_TAIL,	/* bytes 1..4 of the new instruction */
	FP_HEAD,	/* its first byte */
};

static void fp_write_range(const struct fp_live *l, const struct fp_live *end,
			   enum fp_step step)
{
	switch (step) {
	case FP_INT3:
		for (; l < end; l++)
			fpoke_put8(l->ip, INT3_INSN_OPCODE);
		break;
	case FP_TAIL:
		for (; l < end; l++)
			fpoke_put32(l->ip + 1, l->insn >> 8);
		break;
	case FP_HEAD:
		for (; l < end; l++)
			fpoke_put8(l->ip, l->insn);
		break;
	}
}

static void fp_write_step(const struct fp_group *g, enum fp_step step)
{
	unsigned int i, n;

	for (i = 0; i < g->nr; i += n) {
		n = min(g->nr - i, FP_IRQ_CHUNK);
		fpoke_begin(&ftrace_fpe.window);
		fp_write_range(&g->vec[i], &g->vec[i + n], step);
		fpoke_end(&ftrace_fpe.window);
		cond_resched();
	}
}

/* Write one step at every open site, sync. */
static void fp_write_all(enum fp_step step)
{
	unsigned int g;

	for (g = 0; g < ftrace_fpe.desc.ngrp; g++)
		fp_write_step(&ftrace_fpe.desc.grp[g], step);
	fp_sync();
}

/**
 * ftrace_patch_perf_event() - tell perf that a site runs another
 * instruction from now on
 * @ip: the site
 * @old: the 5 bytes it held before the run (PT decoders walk the records
 *       backwards too)
 * @new: the 5 bytes it runs now
 *
 * The engine's only way to perf_event_text_poke(), so that its KUnit
 * tests can see every report (they stand in for it with a static stub).
 */
void ftrace_patch_perf_event(unsigned long ip, const void *old,
			     const void *new)
{
	KUNIT_STATIC_STUB_REDIRECT(ftrace_patch_perf_event, ip, old, new);
	perf_event_text_poke((void *)ip, old, MCOUNT_INSN_SIZE, new,
			     MCOUNT_INSN_SIZE);
}
EXPORT_SYMBOL_IF_FP_KUNIT(ftrace_patch_perf_event);

/* Tell perf that the site of @l, which held @l->old, now runs @insn. */
static void fp_text_poke_event(const struct fp_live *l, u64 insn)
{
	ftrace_patch_perf_event(l->ip, &l->old, &insn);
}

/*
 * Every site of a group, told straight to perf (a switch of every site
 * tells 22,000), unless a KUnit test runs: then through
 * ftrace_patch_perf_event(), which its static stub may stand in for.
 * text_mutex keeps ->insn still.
 */
static void fp_tell_group(const struct fp_group *g)
{
	bool stubbed = kunit_get_current_test();
	const struct fp_live *l;
	unsigned int i;

	for (i = 0; i < g->nr; i++) {
		l = &g->vec[i];
		if (unlikely(stubbed))
			fp_text_poke_event(l, l->insn);
		else
			perf_event_text_poke((void *)l->ip, &l->old,
					     MCOUNT_INSN_SIZE, &l->insn,
					     MCOUNT_INSN_SIZE);
		if (!((i + 1) % FP_IRQ_CHUNK))
			cond_resched();
	}
}

/*
 * Between the tails and the first bytes: see struct fp_perf.
 * fp_write_all() writes the same first byte at perf's site again, which
 * changes nothing.
 */
static void fp_tell_late(void)
{
	unsigned int g;

	fpoke_begin(&ftrace_fpe.window);
	fpoke_put8(ftrace_fpe.perf.ip, ftrace_fpe.perf.head);
	fpoke_end(&ftrace_fpe.window);
	fp_sync();
	for (g = ftrace_fpe.perf.untold; g < ftrace_fpe.desc.ngrp; g++)
		fp_tell_group(&ftrace_fpe.desc.grp[g]);
}

/**
 * ftrace_patch_close() - finish the run: every open site gets its new
 * instruction for real
 *
 * Context: process context, text_mutex held; may sleep.
 */
void ftrace_patch_close(void)
{
	might_sleep();
	lockdep_assert_held(&text_mutex);
	if (ftrace_fpe.desc.ngrp) {
		fp_write_all(FP_TAIL);
		if (ftrace_fpe.perf.ip)
			fp_tell_late();
		fp_write_all(FP_HEAD);
		fp_unpublish();
		ftrace_fpe.perf.ip = 0;
		ftrace_fpe.stats.runs++;
	}
	ftrace_fpe.call_ok = 0;
	fpoke_unmap(&ftrace_fpe.window);
}
EXPORT_SYMBOL_IF_FP_KUNIT(ftrace_patch_close);

static int fp_buf_grow(unsigned int k, unsigned int need)
{
	struct fp_live *p;

	if (need <= ftrace_fpe.buf[k].cap)
		return 0;
	need = max(need, 2 * ftrace_fpe.buf[k].cap);
	p = kvmalloc_array(need, sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	kvfree(ftrace_fpe.buf[k].vec);
	ftrace_fpe.buf[k].vec = p;
	ftrace_fpe.buf[k].cap = need;
	return 0;
}

/**
 * ftrace_patch_reserve() - get the memory of a request of @nr sites
 * @nr: sites the next ftrace_patch_open() will be asked to open
 *
 * Room for a group of @nr sites, one of FP_STRAYS and one of a single
 * site (see fp_is_perf_site()); closes the run first if it holds too many
 * groups.  After it returned 0, the next ftrace_patch_open() of at most
 * @nr sites fails for want of memory only if the page window's tables
 * cannot be allocated.  The buffers grown are not published.
 *
 * Context: process context, text_mutex held; may sleep.
 * Return: 0 or -ENOMEM.
 */
int ftrace_patch_reserve(unsigned int nr)
{
	unsigned int k;

	KUNIT_STATIC_STUB_REDIRECT(ftrace_patch_reserve, nr);
	might_sleep();
	lockdep_assert_held(&text_mutex);
	if (ftrace_fpe.desc.ngrp + 3 > FP_GROUPS)
		ftrace_patch_close();
	k = ftrace_fpe.desc.ngrp;
	if (fp_buf_grow(k, nr) || fp_buf_grow(k + 1, FP_STRAYS))
		return -ENOMEM;
	return fp_buf_grow(k + 2, 1);
}
EXPORT_SYMBOL_IF_FP_KUNIT(ftrace_patch_reserve);

/**
 * fp_open_group() - open the sites of a checked request
 * @vec: its sites in ip order
 * @n: how many
 * @stray: the few out of that order, sorted
 * @ns: how many
 *
 * Publishes them as the run's next groups, int3s them, syncs once, tells
 * perf now or at close (struct fp_perf).
 *
 * Context: text_mutex held; ftrace_patch_reserve() made room.
 */
void fp_open_group(struct fp_live *vec, unsigned int n,
		   struct fp_live *stray, unsigned int ns)
{
	unsigned int k = ftrace_fpe.desc.ngrp, g;

	if (!n && !ns)
		return;
	if (n)
		fp_publish(vec, n);
	if (ns)
		fp_publish(stray, ns);
	for (g = k; g < ftrace_fpe.desc.ngrp; g++)
		fp_write_step(&ftrace_fpe.desc.grp[g], FP_INT3);
	fp_sync();
	for (g = k; g < ftrace_fpe.desc.ngrp && !ftrace_fpe.perf.ip; g++)
		fp_tell_group(&ftrace_fpe.desc.grp[g]);
	ftrace_fpe.stats.batches++;
	ftrace_fpe.stats.sites += n + ns;
}

/**
 * ftrace_patch_retarget() - change the new instruction of an open site
 * @ip: the site
 * @insn: its new instruction from now on
 *
 * CPUs that trap on the site emulate @insn as soon as they see the store;
 * the run's close writes it.
 *
 * Context: text_mutex held.
 * Return: 0, or -ENOENT if @ip is not open (then nothing changed).
 */
int ftrace_patch_retarget(unsigned long ip, const u8 *insn)
{
	unsigned int g;

	lockdep_assert_held(&text_mutex);
	for (g = 0; g < ftrace_fpe.desc.ngrp; g++) {
		struct fp_live *l = fp_find(&ftrace_fpe.desc.grp[g], ip);

		if (l) {
			WRITE_ONCE(l->insn, fp_pack(insn));
			fp_text_poke_event(l, l->insn);
			return 0;
		}
	}
	return -ENOENT;
}
EXPORT_SYMBOL_IF_FP_KUNIT(ftrace_patch_retarget);

/*
 * What only the engine's test modules need: its counters, its failure
 * log, a foreign patcher's jmp, text_mutex for KUnit.  Exported in the
 * FTRACE_PATCH_TEST namespace, and only in kernels that build a test.
 */
#if IS_ENABLED(CONFIG_FTRACE_PATCH_TEST) || IS_ENABLED(CONFIG_FTRACE_PATCH_KUNIT_TEST) || \
	IS_ENABLED(CONFIG_FTRACE_OWN_CORE_KUNIT_TEST)
/**
 * ftrace_patch_failures() - the sites the last refusing request refused
 * @out: receives up to @max of them (ip, old, actual, err)
 * @max: room in @out
 *
 * The engine's own per-site report, whatever the core did with it.
 *
 * Context: process context; takes text_mutex.
 * Return: how many sites that request refused (may exceed @max).
 */
unsigned int ftrace_patch_failures(struct ftrace_patch_site *out,
				   unsigned int max)
{
	unsigned int n;

	mutex_lock(&text_mutex);
	n = ftrace_fpe.fail_nr;
	memcpy(out, ftrace_fpe.fail_log, min3(n, max, FP_FAIL_LOG) * sizeof(*out));
	mutex_unlock(&text_mutex);
	return n;
}
EXPORT_SYMBOL_NS_GPL(ftrace_patch_failures, FTRACE_PATCH_TEST);

/**
 * ftrace_patch_get_stats() - copy the engine's counters
 * @st: receives them
 *
 * Syncs per request show that a run costs a constant number of all-CPU
 * syncs, whatever the number of sites.
 *
 * Context: process context; takes text_mutex.
 */
void ftrace_patch_get_stats(struct ftrace_patch_stats *st)
{
	mutex_lock(&text_mutex);
	*st = ftrace_fpe.stats;
	mutex_unlock(&text_mutex);
}
EXPORT_SYMBOL_NS_GPL(ftrace_patch_get_stats, FTRACE_PATCH_TEST);

/**
 * ftrace_patch_test_foreign_jmp() - overwrite the NOP of a module site
 * with "jmp .+5", as a foreign patcher would
 * @ip: the site, in module text, holding the 5-byte NOP
 *
 * Context: process context; takes text_mutex.
 * Return: 0, -EINVAL if @ip is not module text, or the engine's error.
 */
int ftrace_patch_test_foreign_jmp(unsigned long ip)
{
	struct ftrace_patch_site s = { .ip = ip, .new = { JMP32_INSN_OPCODE } };
	int ret;

	if (!is_module_text_address(ip))
		return -EINVAL;
	memcpy(s.old, x86_nops[5], MCOUNT_INSN_SIZE);
	mutex_lock(&text_mutex);
	ret = ftrace_patch_batch(&s, 1);
	mutex_unlock(&text_mutex);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(ftrace_patch_test_foreign_jmp, FTRACE_PATCH_TEST);
#endif

#if IS_ENABLED(CONFIG_FTRACE_PATCH_KUNIT_TEST)
/**
 * ftrace_patch_kunit_lock() - take text_mutex for the engine's KUnit
 * tests, a module: the mutex itself is not exported
 */
void ftrace_patch_kunit_lock(void)
	__acquires(&text_mutex)
{
	mutex_lock(&text_mutex);
}
EXPORT_SYMBOL_IF_FP_KUNIT(ftrace_patch_kunit_lock);

/**
 * ftrace_patch_kunit_unlock() - drop what ftrace_patch_kunit_lock() took
 *
 * A run the test left open would outlive the mutex: WARN and close it.
 */
void ftrace_patch_kunit_unlock(void)
	__releases(&text_mutex)
{
	if (WARN_ON_ONCE(ftrace_fpe.desc.ngrp))
		ftrace_patch_close();
	mutex_unlock(&text_mutex);
}
EXPORT_SYMBOL_IF_FP_KUNIT(ftrace_patch_kunit_unlock);
#endif
