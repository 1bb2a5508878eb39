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
 *     mapped (-EFAULT, -ENOMEM) or does not hold old (-EINVAL, actual
 *     bytes kept) is reported in the site and left alone.  Publish the
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
 * request before it commits to anything.
 *
 * DOC: locking
 * All of the engine's state is in fpe (struct fp_engine).  text_mutex
 * serializes runs with each other and with every other text patcher
 * (text_poke*, kprobes, static calls, jump labels, alternatives), and
 * guards every field of fpe; a run is always closed before text_mutex is
 * dropped.  The int3 handler, which may run in any context (NMI
 * included), reads fpe.desc only, under a reference it takes on
 * fpe.desc.refs: closing drops the run's own reference and waits for the
 * handlers' to go.  The int3 handler is called after poke_int3_handler()
 * and only claims an int3 at an address of an open group, so
 * text_poke_bp()'s and kprobes' breakpoints never reach it with a match.
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
#include <linux/sort.h>

#include <asm/nops.h>
#include <asm/sync_core.h>
#include <asm/text-patching.h>

#include "ftrace_patch.h"
#include "ftrace_poke.h"

/* One open site as the int3 handler sees it. */
struct fp_live {
	unsigned long ip;
	u64 insn;		/* the new instruction, byte 0 lowest */
	u64 old;		/* what the site held before the run, for perf */
};

struct fp_group {
	struct fp_live *vec;	/* sorted by ip */
	unsigned int nr;
};

/* Groups one run holds at most; one more closes the run first. */
#define FP_GROUPS	8

/*
 * A request's sites come in ip order, mostly: the core's records do, and
 * a few sites appended (ftrace.c's ftrace_call sites) go to a group of
 * their own, up to this many, opened in the same step.  Sorting 22,000
 * sites for two costs more than the rest of a tracer switch.
 */
#define FP_STRAYS	64

/* The groups of the open run, as the int3 handler reads them. */
struct fp_desc {
	struct fp_group grp[FP_GROUPS];
	unsigned int ngrp;
	atomic_t refs;
};

/*
 * perf_event_text_poke() is told about every site opened, once, while the
 * site holds int3: after the open's sync, before its first byte is
 * written (as text_poke_bp() reports), with the bytes of before the run
 * and the new instruction.  perf's own site (fp_is_perf_site()) must then
 * be neither a call nor an int3, or every report would be traced (~550
 * instructions with the function tracer on: ten times the rest of the
 * protocol per site) or trap.  Going to a call, the site gets a group of
 * its own, opened after the others were reported: one sync more.  Going
 * to a NOP, it opens with the others and the run tells perf at close
 * instead: bytes 1..4 of every site are written and synced, then the
 * first byte of perf's own site (sync), and the reports go out, with
 * that site a plain NOP, before the other first bytes are written: one
 * sync more too.
 */
struct fp_perf {
	unsigned long ip;	/* perf's site going to a NOP in this run, or 0 */
	u8 head;		/* its new first byte */
	unsigned int untold;	/* groups from this one on report at close */
};

/* The refused sites of the last request that refused any (tests read it). */
#define FP_FAIL_LOG	16

/*
 * The engine.  text_mutex guards every field; the int3 handler reads
 * ->desc alone, under a reference on ->desc.refs (see DOC: locking).
 *
 * Group k of a run lives in ->buf[k], a buffer that only grows: group
 * k + 1 can grow while groups 0..k are published, and a tracer switch
 * allocates and frees nothing.
 */
static struct fp_engine {
	struct fp_desc desc;
	struct {
		struct fp_live *vec;
		unsigned int cap;
	} buf[FP_GROUPS];
	struct fpoke_window window;
	struct fp_perf perf;
	unsigned long call_ok;	/* a call target found to be text, this run */
	struct ftrace_patch_stats stats;	/* statistics, never read here */
	struct ftrace_patch_site fail_log[FP_FAIL_LOG];
	unsigned int fail_nr;
} fpe;

static __always_inline struct fp_live *fp_find(const struct fp_group *g,
					       unsigned long ip)
{
	unsigned int lo = 0, hi = g->nr;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		struct fp_live *l = &g->vec[mid];

		if (l->ip == ip)
			return l;
		if (l->ip < ip)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

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
	struct fp_desc *d = &fpe.desc;
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
	fpe.stats.syncs++;
}

/* The 5 bytes of @insn in a u64, byte 0 lowest; no stack round trip. */
static __always_inline u64 fp_pack(const u8 *insn)
{
	return get_unaligned((const u32 *)insn) | (u64)insn[4] << 32;
}

static __always_inline bool fp_same(const u8 *a, const u8 *b)
{
	return get_unaligned((const u32 *)a) == get_unaligned((const u32 *)b) &&
	       a[4] == b[4];
}

/*
 * What the engine may write: a call to kernel text (the core's
 * trampolines, a callback, a direct-call target, BPF's trampolines), a
 * jmp, or the 5-byte NOP.  A run's calls mostly go to one target: the
 * last one found to be text is remembered until the run closes.
 */
static bool fp_new_ok(const struct ftrace_patch_site *s)
{
	unsigned long to;

	switch (s->new[0]) {
	case CALL_INSN_OPCODE:
		to = ftrace_call_dest(s->new, s->ip);
		if (to == fpe.call_ok)
			return true;
		if (!kernel_text_address(to))
			return false;
		fpe.call_ok = to;
		return true;
	case JMP32_INSN_OPCODE:
		return true;
	default:
		return fp_same(s->new, x86_nops[5]);
	}
}

/* What fp_check() found of a site. */
enum fp_verdict {
	FP_KEEP,	/* it holds old, and new is old: nothing to do */
	FP_OPEN,	/* it holds old and is to be opened */
	FP_REFUSED,	/* its own fault: ->err (and ->actual) say why */
	FP_NOMEM,	/* no memory for the window: the request fails */
};

/*
 * Give one site its alias and compare its bytes.  fpoke_map() found the
 * site's page present in the kernel's page tables, so a plain read of the
 * site cannot fault.  ->actual is filled for a site that does not hold
 * ->old only.
 */
static __always_inline enum fp_verdict fp_check(struct ftrace_patch_site *s)
{
	const u8 *text = (const u8 *)s->ip;

	s->err = fpoke_map(&fpe.window, s->ip, MCOUNT_INSN_SIZE);
	if (unlikely(s->err == -ENOMEM)) {
		s->err = 0;
		return FP_NOMEM;
	}
	if (likely(!s->err) && unlikely(!fp_same(text, s->old))) {
		memcpy(s->actual, text, MCOUNT_INSN_SIZE);
		s->err = -EINVAL;
		pr_warn_ratelimited("site %pS: found %5phN, expected %5phN\n",
				    (void *)s->ip, s->actual, s->old);
	} else if (likely(!s->err) && unlikely(!fp_new_ok(s))) {
		s->err = -EINVAL;
		pr_warn_ratelimited("site %pS: will not write %5phN\n",
				    (void *)s->ip, s->new);
	}
	if (unlikely(s->err))
		return FP_REFUSED;
	return s->open_same || !fp_same(s->old, s->new) ? FP_OPEN : FP_KEEP;
}

static void fp_publish(struct fp_live *vec, unsigned int nr)
{
	struct fp_desc *d = &fpe.desc;
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
	struct fp_desc *d = &fpe.desc;

	if (!atomic_dec_and_test(&d->refs))
		atomic_cond_read_acquire(&d->refs, !VAL);
	WRITE_ONCE(d->ngrp, 0);
}

/*
 * Sites written per stretch with interrupts off and poking_mm loaded: a
 * byte or a word each, so a stretch is well under 100 us even when every
 * write misses the cache.  Each stretch costs two calls of the traced
 * switch_mm_irqs_off(), which trap on its own site while the run is open.
 * The engine may reschedule between stretches, and every this many
 * sites of its other long loops.
 */
#define FP_IRQ_CHUNK	1024

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
		fpoke_begin(&fpe.window);
		fp_write_range(&g->vec[i], &g->vec[i + n], step);
		fpoke_end(&fpe.window);
		cond_resched();
	}
}

/* Write one step at every open site, sync. */
static void fp_write_all(enum fp_step step)
{
	unsigned int g;

	for (g = 0; g < fpe.desc.ngrp; g++)
		fp_write_step(&fpe.desc.grp[g], step);
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

	fpoke_begin(&fpe.window);
	fpoke_put8(fpe.perf.ip, fpe.perf.head);
	fpoke_end(&fpe.window);
	fp_sync();
	for (g = fpe.perf.untold; g < fpe.desc.ngrp; g++)
		fp_tell_group(&fpe.desc.grp[g]);
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
	if (fpe.desc.ngrp) {
		fp_write_all(FP_TAIL);
		if (fpe.perf.ip)
			fp_tell_late();
		fp_write_all(FP_HEAD);
		fp_unpublish();
		fpe.perf.ip = 0;
		fpe.stats.runs++;
	}
	fpe.call_ok = 0;
	fpoke_unmap(&fpe.window);
}
EXPORT_SYMBOL_IF_FP_KUNIT(ftrace_patch_close);

static void fp_log_failures(const struct ftrace_patch_site *sites,
			    unsigned int nr)
{
	unsigned int i, n = 0;

	for (i = 0; i < nr; i++)
		if (sites[i].err && n++ < FP_FAIL_LOG)
			fpe.fail_log[n - 1] = sites[i];
	if (n)
		fpe.fail_nr = n;
}

static int cmp_live(const void *a, const void *b)
{
	const struct fp_live *x = a, *y = b;

	return x->ip < y->ip ? -1 : x->ip > y->ip;
}

/*
 * The core hands sites over in ip order, mostly: sort only if not.
 * Return: false if a site is there twice.
 */
static bool fp_sort_live(struct fp_live *vec, unsigned int nr)
{
	unsigned int i;

	for (i = 1; i < nr; i++)
		if (vec[i - 1].ip >= vec[i].ip)
			break;
	if (i == nr)
		return true;
	sort(vec, nr, sizeof(*vec), cmp_live, NULL);
	for (i = 1; i < nr; i++)
		if (vec[i - 1].ip == vec[i].ip)
			return false;
	return true;
}

static int fp_buf_grow(unsigned int k, unsigned int need)
{
	struct fp_live *p;

	if (need <= fpe.buf[k].cap)
		return 0;
	need = max(need, 2 * fpe.buf[k].cap);
	p = kvmalloc_array(need, sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	kvfree(fpe.buf[k].vec);
	fpe.buf[k].vec = p;
	fpe.buf[k].cap = need;
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
	if (fpe.desc.ngrp + 3 > FP_GROUPS)
		ftrace_patch_close();
	k = fpe.desc.ngrp;
	if (fp_buf_grow(k, nr) || fp_buf_grow(k + 1, FP_STRAYS))
		return -ENOMEM;
	return fp_buf_grow(k + 2, 1);
}
EXPORT_SYMBOL_IF_FP_KUNIT(ftrace_patch_reserve);

/*
 * perf_event_text_poke()'s own ftrace site, at its entry or after its
 * ENDBR64.  ftrace_patch_open() reports every site to perf while the site
 * holds int3; were this site among them, each report would trap.
 */
static __always_inline bool fp_is_perf_site(unsigned long ip)
{
	unsigned long fn = (unsigned long)perf_event_text_poke;

	/* keep the compiler from making "fn + 4" a relocation (objtool) */
	OPTIMIZER_HIDE_VAR(fn);
	return ip == fn || ip == fn + ENDBR_INSN_SIZE;
}

/*
 * Publish the @n sites of @vec and the @ns of @stray (both sorted) as the
 * next groups, int3 them, sync once, tell perf now or at close (struct
 * fp_perf).
 */
static void fp_open_group(struct fp_live *vec, unsigned int n,
			  struct fp_live *stray, unsigned int ns)
{
	unsigned int k = fpe.desc.ngrp, g;

	if (!n && !ns)
		return;
	if (n)
		fp_publish(vec, n);
	if (ns)
		fp_publish(stray, ns);
	for (g = k; g < fpe.desc.ngrp; g++)
		fp_write_step(&fpe.desc.grp[g], FP_INT3);
	fp_sync();
	for (g = k; g < fpe.desc.ngrp && !fpe.perf.ip; g++)
		fp_tell_group(&fpe.desc.grp[g]);
	fpe.stats.batches++;
	fpe.stats.sites += n + ns;
}

/* The sites of a request that passed the check, as fp_live vectors. */
struct fp_request {
	struct fp_live *vec, *stray;
	unsigned int n, ns;
	const struct ftrace_patch_site *perf;	/* perf's own site, if any */
	bool perf_late;		/* it goes to a NOP: in vec or stray */
	unsigned int refused;
	int err;		/* the first refused site's */
};

static void fp_add(struct fp_request *r, const struct ftrace_patch_site *s)
{
	struct fp_live *l;

	if (r->n && s->ip < r->vec[r->n - 1].ip && r->ns < FP_STRAYS)
		l = &r->stray[r->ns++];
	else
		l = &r->vec[r->n++];
	l->ip = s->ip;
	l->insn = fp_pack(s->new);
	l->old = fp_pack(s->old);
}

/* Check every site of @sites into @r; -ENOMEM if the window has none. */
static int fp_check_all(struct fp_request *r,
			struct ftrace_patch_site *sites, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		struct ftrace_patch_site *s = &sites[i];

		if (!((i + 1) % FP_IRQ_CHUNK))
			cond_resched();
		switch (fp_check(s)) {
		case FP_NOMEM:
			return -ENOMEM;
		case FP_REFUSED:
			if (!r->refused++)
				r->err = s->err;
			continue;
		case FP_KEEP:
			continue;
		case FP_OPEN:
			break;
		}
		/* perf's own site: see struct fp_perf */
		if (unlikely(fp_is_perf_site(s->ip)))
			r->perf = s;
		else
			fp_add(r, s);
	}
	return 0;
}

/* A request that fails whole blames no site. */
static void fp_clear_errors(struct ftrace_patch_site *sites, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		sites[i].err = 0;
}

/*
 * Sort the request's sites; false if one is there twice (the check cannot
 * tell: nothing is written before every site was checked).
 */
static bool fp_request_sorted(struct fp_request *r)
{
	struct fp_group vec = { r->vec, r->n }, stray = { r->stray, r->ns };
	unsigned int i;

	if (!fp_sort_live(r->vec, r->n) || !fp_sort_live(r->stray, r->ns))
		return false;
	for (i = 0; i < r->ns; i++)
		if (fp_find(&vec, r->stray[i].ip))
			return false;
	return !r->perf || r->perf_late ||
	       (!fp_find(&vec, r->perf->ip) && !fp_find(&stray, r->perf->ip));
}

/*
 * perf's own site goes to a NOP with the others, perf told at close; or
 * to a call, in a group of its own opened after them, from the buffer of
 * that group's index (ftrace_patch_reserve() made room).
 */
static void fp_open_request(struct fp_request *r)
{
	const struct ftrace_patch_site *p = r->perf;
	struct fp_live *one;

	if (r->perf_late) {
		if (!fpe.perf.ip)
			fpe.perf.untold = fpe.desc.ngrp;
		fpe.perf.ip = p->ip;
		fpe.perf.head = p->new[0];
	}
	fp_open_group(r->vec, r->n, r->stray, r->ns);
	if (p && !r->perf_late) {
		one = fpe.buf[fpe.desc.ngrp].vec;
		one->ip = p->ip;
		one->insn = fp_pack(p->new);
		one->old = fp_pack(p->old);
		fp_open_group(one, 1, NULL, 0);
	}
}

/**
 * ftrace_patch_open() - open a group of sites: from its return on, every
 * CPU runs the new instruction of each (emulated until the run closes)
 * @sites: the sites, in any order (kept)
 * @nr: how many
 * @flags: FTRACE_PATCH_ALL: if a site is refused, open none
 *
 * Every site is checked first.  Sites that fail the check are refused,
 * with the reason in their ->err (and ->actual), and left untouched; the
 * others are opened, unless @flags asked for all or none.  A site must
 * not be opened twice in one run (its check would find the int3).
 *
 * Context: process context, text_mutex held; may sleep.
 * Return: 0 if every site was opened; the first refused site's error if
 * some were refused; -ENOMEM (no memory for the group or the window) or
 * -EEXIST (a site given twice) if the request failed whole: then nothing
 * was opened and no site's ->err is set.
 */
int ftrace_patch_open(struct ftrace_patch_site *sites, unsigned int nr,
		      unsigned int flags)
{
	struct fp_request r = { };
	int ret;

	KUNIT_STATIC_STUB_REDIRECT(ftrace_patch_open, sites, nr, flags);
	might_sleep();
	lockdep_assert_held(&text_mutex);
	ret = ftrace_patch_reserve(nr);
	if (ret)
		return ret;
	r.vec = fpe.buf[fpe.desc.ngrp].vec;
	r.stray = fpe.buf[fpe.desc.ngrp + 1].vec;
	ret = fp_check_all(&r, sites, nr);
	if (ret) {
		fp_clear_errors(sites, nr);
		return ret;
	}
	if (r.refused) {
		fpe.stats.failed += r.refused;
		fp_log_failures(sites, nr);
		if (flags & FTRACE_PATCH_ALL)
			return r.err;
	}
	if (r.perf && r.perf->new[0] != CALL_INSN_OPCODE) {
		fp_add(&r, r.perf);
		r.perf_late = true;
	}
	if (!fp_request_sorted(&r)) {
		pr_err("a request names a site twice\n");
		fp_clear_errors(sites, nr);
		return -EEXIST;
	}
	fp_open_request(&r);
	return r.err;
}
EXPORT_SYMBOL_IF_FP_KUNIT(ftrace_patch_open);
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
	for (g = 0; g < fpe.desc.ngrp; g++) {
		struct fp_live *l = fp_find(&fpe.desc.grp[g], ip);

		if (l) {
			WRITE_ONCE(l->insn, fp_pack(insn));
			fp_text_poke_event(l, l->insn);
			return 0;
		}
	}
	return -ENOENT;
}
EXPORT_SYMBOL_IF_FP_KUNIT(ftrace_patch_retarget);

/**
 * ftrace_patch_batch() - patch a batch of sites completely
 * @sites: the sites, in any order (kept)
 * @nr: how many
 *
 * Opens them and closes the run (with whatever else it held).
 *
 * Context: process context, text_mutex held; may sleep.
 * Return: as ftrace_patch_open() without flags.
 */
int ftrace_patch_batch(struct ftrace_patch_site *sites, unsigned int nr)
{
	int ret = ftrace_patch_open(sites, nr, 0);

	ftrace_patch_close();
	return ret;
}
EXPORT_SYMBOL_IF_FP_KUNIT(ftrace_patch_batch);

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
	n = fpe.fail_nr;
	memcpy(out, fpe.fail_log, min3(n, max, FP_FAIL_LOG) * sizeof(*out));
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
	*st = fpe.stats;
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
	if (WARN_ON_ONCE(fpe.desc.ngrp))
		ftrace_patch_close();
	mutex_unlock(&text_mutex);
}
EXPORT_SYMBOL_IF_FP_KUNIT(ftrace_patch_kunit_unlock);
#endif
