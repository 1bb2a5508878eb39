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
 * DOC: locking
 * text_mutex serializes runs with each other and with every other text
 * patcher (text_poke*, kprobes, static calls, jump labels, alternatives),
 * and guards the groups, their buffers, fp_window and fp_stats; a run
 * is always closed before text_mutex is dropped.  The int3 handler,
 * which may run in any context (NMI included), only takes a reference
 * on fp_desc: closing drops its own and waits for the handlers' to go.
 * The int3 handler is called after poke_int3_handler() and only claims
 * an int3 at an address of an open group, so text_poke_bp()'s and
 * kprobes' breakpoints never reach it with a match.
 */
#define pr_fmt(fmt) "ftrace patch: " fmt

#include <kunit/visibility.h>
#include <linux/memory.h>
#include <linux/module.h>
#include <linux/perf_event.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/sort.h>

#include <asm/nops.h>
#include <asm/sync_core.h>
#include <asm/text-patching.h>

#include "ftrace_patch.h"

/* One open site as the int3 handler sees it. */
struct fp_live {
	unsigned long ip;
	u64 insn;		/* the new instruction, byte 0 lowest */
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

static struct {
	struct fp_group grp[FP_GROUPS];
	unsigned int ngrp;
	atomic_t refs;
} fp_desc;

/*
 * Group k of a run lives in fp_buf[k], a buffer that only grows: group
 * k + 1 can grow while groups 0..k are published, and a tracer switch
 * allocates and frees nothing.
 */
static struct {
	struct fp_live *vec;
	unsigned int cap;
} fp_buf[FP_GROUPS];

static struct fpoke_window fp_window;
static struct ftrace_patch_stats fp_stats;

/*
 * perf_event_text_poke() is told about every site opened, once, while the
 * site holds int3: after the open's sync, before its first byte is
 * written (as text_poke_bp() reports).  perf's own site (fp_is_perf_site())
 * must then be neither a call nor an int3, or every report would be
 * traced (~550 instructions with the function tracer on: ten times the
 * rest of the protocol per site) or trap.  Going to a call, the site gets
 * a group of its own, opened after the others were reported: one sync
 * more.  Going to a NOP, it opens with the others and the run tells perf
 * at close instead: bytes 1..4 of every site are written and synced, then
 * the first byte of perf's own site (sync), and the reports go out, with
 * that site a plain NOP, before the other first bytes are written: one
 * sync more too.
 */
static struct {
	unsigned long ip;	/* perf's site going to a NOP in this run, or 0 */
	u8 head;		/* its new first byte */
	unsigned int untold;	/* groups from this one on report at close */
} fp_perf;

/* The refused sites of the last request that refused any (tests read it). */
#define FP_FAIL_LOG	16
static struct ftrace_patch_site fp_fail_log[FP_FAIL_LOG];
static unsigned int fp_fail_nr;

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
	struct fp_live *l = NULL;
	unsigned int g, ngrp;
	unsigned long ip;

	if (user_mode(regs))
		return false;
	/* pairs with the smp_wmb() in fp_publish(): int3 seen => group seen */
	smp_rmb();
	if (!raw_atomic_inc_not_zero(&fp_desc.refs))
		return false;
	ip = regs->ip - INT3_INSN_SIZE;
	/* pairs with the release in fp_publish(): count seen => group seen */
	ngrp = smp_load_acquire(&fp_desc.ngrp);
	for (g = 0; g < ngrp && !l; g++)
		l = fp_find(&fp_desc.grp[g], ip);
	if (l)
		fp_emulate(regs, ip, READ_ONCE(l->insn));
	/* our reads of the groups are done before the closer sees refs drop */
	smp_mb__before_atomic();
	raw_atomic_dec(&fp_desc.refs);
	return l;
}
EXPORT_SYMBOL_IF_KUNIT(ftrace_patch_int3_handler);

static void fp_sync_one(void *unused)
{
	sync_core();
}

static void fp_sync(void)
{
	on_each_cpu(fp_sync_one, NULL, 1);
	fp_stats.syncs++;
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
 * Give one site its alias and compare its bytes; true if it is to be
 * written.  fpoke_map() found the site's page present in the kernel's
 * page tables, so a plain read of the site cannot fault.  ->actual is
 * filled for a site that does not hold ->old only.
 */
static __always_inline bool fp_check(struct ftrace_patch_site *s)
{
	const u8 *text = (const u8 *)s->ip;

	s->err = fpoke_map(&fp_window, s->ip, MCOUNT_INSN_SIZE);
	if (likely(!s->err) && unlikely(!fp_same(text, s->old))) {
		memcpy(s->actual, text, MCOUNT_INSN_SIZE);
		s->err = -EINVAL;
		pr_warn("site %pS: found %5phN, expected %5phN\n",
			(void *)s->ip, s->actual, s->old);
	}
	if (unlikely(s->err)) {
		fp_stats.failed++;
		return false;
	}
	return s->open_same || !fp_same(s->old, s->new);
}

static void fp_publish(struct fp_live *vec, unsigned int nr)
{
	unsigned int k = fp_desc.ngrp;

	fp_desc.grp[k].vec = vec;
	fp_desc.grp[k].nr = nr;
	if (!k)
		atomic_set(&fp_desc.refs, 1);
	/* a handler that sees the new count sees the group */
	smp_store_release(&fp_desc.ngrp, k + 1);
	/* and the count before any int3 of the group */
	smp_wmb();
}

static void fp_unpublish(void)
{
	if (!atomic_dec_and_test(&fp_desc.refs))
		atomic_cond_read_acquire(&fp_desc.refs, !VAL);
	WRITE_ONCE(fp_desc.ngrp, 0);
}

/*
 * Sites written per stretch with interrupts off and poking_mm loaded: a
 * byte or a word each, so a stretch is well under 100 us even when every
 * write misses the cache.  Each stretch costs two calls of the traced
 * switch_mm_irqs_off(), which trap on its own site while the run is open.
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
		fpoke_begin(&fp_window);
		fp_write_range(&g->vec[i], &g->vec[i + n], step);
		fpoke_end(&fp_window);
	}
}

/* Write one step at every open site, sync. */
static void fp_write_all(enum fp_step step)
{
	unsigned int g;

	for (g = 0; g < fp_desc.ngrp; g++)
		fp_write_step(&fp_desc.grp[g], step);
	fp_sync();
}

static void fp_text_poke_event(unsigned long ip, u64 insn)
{
	perf_event_text_poke((void *)ip, (void *)ip, MCOUNT_INSN_SIZE, &insn,
			     MCOUNT_INSN_SIZE);
}

static void fp_tell_group(const struct fp_group *g)
{
	unsigned int i;

	for (i = 0; i < g->nr; i++)
		fp_text_poke_event(g->vec[i].ip, g->vec[i].insn);
}

/*
 * Between the tails and the first bytes: see fp_perf.  fp_write_all()
 * writes the same first byte at perf's site again, which changes nothing.
 */
static void fp_tell_late(void)
{
	unsigned int g;

	fpoke_begin(&fp_window);
	fpoke_put8(fp_perf.ip, fp_perf.head);
	fpoke_end(&fp_window);
	fp_sync();
	for (g = fp_perf.untold; g < fp_desc.ngrp; g++)
		fp_tell_group(&fp_desc.grp[g]);
}

/**
 * ftrace_patch_close() - finish the run: every open site gets its new
 * instruction for real
 *
 * Context: text_mutex held.
 */
void ftrace_patch_close(void)
{
	lockdep_assert_held(&text_mutex);
	if (fp_desc.ngrp) {
		fp_write_all(FP_TAIL);
		if (fp_perf.ip)
			fp_tell_late();
		fp_write_all(FP_HEAD);
		fp_unpublish();
		fp_perf.ip = 0;
		fp_stats.runs++;
	}
	fpoke_unmap(&fp_window);
}
EXPORT_SYMBOL_IF_KUNIT(ftrace_patch_close);

static void fp_log_failures(const struct ftrace_patch_site *sites,
			    unsigned int nr)
{
	unsigned int i, n = 0;

	for (i = 0; i < nr; i++)
		if (sites[i].err && n++ < FP_FAIL_LOG)
			fp_fail_log[n - 1] = sites[i];
	if (n)
		fp_fail_nr = n;
}

static int cmp_live(const void *a, const void *b)
{
	const struct fp_live *x = a, *y = b;

	return x->ip < y->ip ? -1 : x->ip > y->ip;
}

/* The core hands sites over in ip order, mostly: sort only if not. */
static void fp_sort_live(struct fp_live *vec, unsigned int nr)
{
	unsigned int i;

	for (i = 1; i < nr; i++)
		if (vec[i - 1].ip > vec[i].ip)
			break;
	if (i < nr)
		sort(vec, nr, sizeof(*vec), cmp_live, NULL);
}

static int fp_buf_grow(unsigned int k, unsigned int need)
{
	struct fp_live *p;

	if (need <= fp_buf[k].cap)
		return 0;
	need = max(need, 2 * fp_buf[k].cap);
	p = kvmalloc_array(need, sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	kvfree(fp_buf[k].vec);
	fp_buf[k].vec = p;
	fp_buf[k].cap = need;
	return 0;
}

/*
 * Room for a group of @need sites, one of FP_STRAYS and one of a single
 * site (see fp_is_perf_site()): closes the run if it holds too many
 * groups.  The buffers grown are not published.
 */
static int fp_reserve(unsigned int need)
{
	unsigned int k;

	if (fp_desc.ngrp + 3 > FP_GROUPS)
		ftrace_patch_close();
	k = fp_desc.ngrp;
	if (fp_buf_grow(k, need) || fp_buf_grow(k + 1, FP_STRAYS))
		return -ENOMEM;
	return fp_buf_grow(k + 2, 1);
}

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
 * perf's site @s goes to a NOP in the group about to open: the run
 * reports at close, from this group on (fp_perf).
 */
static void fp_perf_late(const struct ftrace_patch_site *s)
{
	if (!fp_perf.ip)
		fp_perf.untold = fp_desc.ngrp;
	fp_perf.ip = s->ip;
	fp_perf.head = s->new[0];
}

/*
 * Publish the @n sites of @vec and the @ns of @stray as the next groups,
 * int3 them, sync once, tell perf now or at close (fp_perf).
 */
static void fp_open_group(struct fp_live *vec, unsigned int n,
			  struct fp_live *stray, unsigned int ns)
{
	unsigned int k = fp_desc.ngrp, g;

	if (!n && !ns)
		return;
	if (n) {
		fp_sort_live(vec, n);
		fp_publish(vec, n);
	}
	if (ns) {
		fp_sort_live(stray, ns);
		fp_publish(stray, ns);
	}
	for (g = k; g < fp_desc.ngrp; g++)
		fp_write_step(&fp_desc.grp[g], FP_INT3);
	fp_sync();
	for (g = k; g < fp_desc.ngrp && !fp_perf.ip; g++)
		fp_tell_group(&fp_desc.grp[g]);
	fp_stats.batches++;
	fp_stats.sites += n + ns;
}

static int fp_first_error(const struct ftrace_patch_site *sites,
			  unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (sites[i].err)
			return sites[i].err;
	return 0;
}

/**
 * ftrace_patch_open() - open a group of sites: from its return on, every
 * CPU runs the new instruction of each (emulated until the run closes)
 * @sites: the sites, in any order (kept)
 * @nr: how many
 *
 * Sites that fail the check are reported in their ->err (and ->actual)
 * and left untouched; the others are opened.  A site must not be opened
 * twice in one run (its check would find the int3).
 *
 * Context: process context, text_mutex held; may sleep.
 * Return: 0 if every site was opened, else the first site error.
 */
int ftrace_patch_open(struct ftrace_patch_site *sites, unsigned int nr)
{
	unsigned long failed = fp_stats.failed;
	struct fp_live *vec, *stray, *l, perf = { };
	unsigned int i, n = 0, ns = 0;

	lockdep_assert_held(&text_mutex);
	if (fp_reserve(nr)) {
		for (i = 0; i < nr; i++)
			sites[i].err = -ENOMEM;
		return nr ? -ENOMEM : 0;
	}
	vec = fp_buf[fp_desc.ngrp].vec;
	stray = fp_buf[fp_desc.ngrp + 1].vec;
	for (i = 0; i < nr; i++) {
		struct ftrace_patch_site *s = &sites[i];

		if (!fp_check(s))
			continue;
		if (unlikely(fp_is_perf_site(s->ip))) {
			if (s->new[0] != CALL_INSN_OPCODE) {
				fp_perf_late(s);
			} else {
				perf.ip = s->ip;
				perf.insn = fp_pack(s->new);
				continue;
			}
		}
		if (n && s->ip < vec[n - 1].ip && ns < FP_STRAYS)
			l = &stray[ns++];
		else
			l = &vec[n++];
		l->ip = s->ip;
		l->insn = fp_pack(s->new);
	}
	fp_open_group(vec, n, stray, ns);
	/*
	 * The group of perf's site going to a call opens after the others,
	 * from the buffer of its own index (fp_reserve() made room).
	 */
	if (perf.ip) {
		*fp_buf[fp_desc.ngrp].vec = perf;
		fp_open_group(fp_buf[fp_desc.ngrp].vec, 1, NULL, 0);
	}
	if (fp_stats.failed == failed)
		return 0;
	fp_log_failures(sites, nr);
	return fp_first_error(sites, nr);
}
EXPORT_SYMBOL_IF_KUNIT(ftrace_patch_open);

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
	for (g = 0; g < fp_desc.ngrp; g++) {
		struct fp_live *l = fp_find(&fp_desc.grp[g], ip);

		if (l) {
			WRITE_ONCE(l->insn, fp_pack(insn));
			fp_text_poke_event(ip, l->insn);
			return 0;
		}
	}
	return -ENOENT;
}
EXPORT_SYMBOL_IF_KUNIT(ftrace_patch_retarget);

/**
 * ftrace_patch_batch() - patch a batch of sites completely
 * @sites: the sites, in any order (kept)
 * @nr: how many
 *
 * Opens them and closes the run (with whatever else it held).
 *
 * Context: process context, text_mutex held; may sleep.
 * Return: 0 if every site was patched, else the first site error.
 */
int ftrace_patch_batch(struct ftrace_patch_site *sites, unsigned int nr)
{
	int ret = ftrace_patch_open(sites, nr);

	ftrace_patch_close();
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(ftrace_patch_batch);

/**
 * ftrace_patch_failures() - the sites the last refusing batch refused
 * @out: receives up to @max of them (ip, old, actual, err)
 * @max: room in @out
 *
 * For tests: the engine's own per-site report, whatever the core did
 * with it.
 *
 * Return: how many sites that batch refused (may exceed @max).
 */
unsigned int ftrace_patch_failures(struct ftrace_patch_site *out,
				   unsigned int max)
{
	unsigned int n;

	mutex_lock(&text_mutex);
	n = fp_fail_nr;
	memcpy(out, fp_fail_log, min3(n, max, FP_FAIL_LOG) * sizeof(*out));
	mutex_unlock(&text_mutex);
	return n;
}
EXPORT_SYMBOL_GPL(ftrace_patch_failures);

/**
 * ftrace_patch_get_stats() - copy the engine's counters
 * @st: receives them
 *
 * For tests and benchmarks: syncs per request show that a run costs a
 * constant number of all-CPU syncs, whatever the number of sites.
 *
 * Context: process context; takes text_mutex.
 */
void ftrace_patch_get_stats(struct ftrace_patch_stats *st)
{
	mutex_lock(&text_mutex);
	*st = fp_stats;
	mutex_unlock(&text_mutex);
}
EXPORT_SYMBOL_GPL(ftrace_patch_get_stats);

#if IS_ENABLED(CONFIG_FTRACE_PATCH_TEST)
/**
 * ftrace_patch_test_foreign_jmp() - for the test module only: overwrite
 * the NOP of a module site with "jmp .+5", as a foreign patcher would
 * @ip: the site, in module text, holding the 5-byte NOP
 *
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
EXPORT_SYMBOL_GPL(ftrace_patch_test_foreign_jmp);
#endif

#if IS_ENABLED(CONFIG_KUNIT)
/**
 * ftrace_patch_kunit_lock() - take text_mutex for the engine's KUnit
 * tests, a module: the mutex itself is not exported
 */
void ftrace_patch_kunit_lock(void)
	__acquires(&text_mutex)
{
	mutex_lock(&text_mutex);
}
EXPORT_SYMBOL_IF_KUNIT(ftrace_patch_kunit_lock);

/**
 * ftrace_patch_kunit_unlock() - drop what ftrace_patch_kunit_lock() took
 *
 * A run the test left open would outlive the mutex: WARN and close it.
 */
void ftrace_patch_kunit_unlock(void)
	__releases(&text_mutex)
{
	if (WARN_ON_ONCE(fp_desc.ngrp))
		ftrace_patch_close();
	mutex_unlock(&text_mutex);
}
EXPORT_SYMBOL_IF_KUNIT(ftrace_patch_kunit_unlock);
#endif
