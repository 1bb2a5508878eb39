// SPDX-License-Identifier: GPL-2.0
/*
 * ftrace_patch_request.c - what the x86 ftrace patch engine is asked:
 * a request of sites (ftrace_patch_open(), for the adapter that serves
 * upstream's core and for the tests) or a plan of our core's changes
 * (ftrace_patch_changes()).  Every site of a request is checked before
 * anything is written: mapped in the run's page window, its bytes
 * compared with what it must hold, its new instruction validated.  A
 * site that fails is refused, with the reason (and the bytes found) in
 * its own record, and left alone; the others go into the run's next
 * groups, in ip order (the core's order; a few out of it go to a group
 * of strays, more are sorted), and are opened (ftrace_patch.c).  A
 * failure that is no site's own (no memory, a site given twice) fails
 * the request whole: nothing opened, no site blamed.
 *
 * A plan of our core is read straight into the groups: per site the two
 * instructions are encoded from the addresses, the bytes compared, and
 * the site appended, with no copy of the plan in between (a switch of
 * every site: about 70 instructions per site under -icount).
 *
 * Locking: text_mutex held by every caller, as in ftrace_patch.c.
 */
#define pr_fmt(fmt) "ftrace patch: " fmt

#include <kunit/static_stub.h>
#include <linux/kallsyms.h>
#include <linux/memory.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sort.h>
#include <linux/string.h>

#include <asm/ftrace_sites.h>
#include <asm/nops.h>
#include <asm/text-patching.h>

#include "ftrace_patch_int.h"

/*
 * What the engine may write at @ip: a call to kernel text (the core's
 * trampolines, a callback, a direct-call target, BPF's trampolines), a
 * jmp, or the 5-byte NOP.  A run's calls mostly go to one target: the
 * last one found to be text is remembered until the run closes.
 */
static __always_inline bool fp_new_ok(unsigned long ip, u64 new)
{
	unsigned long to;

	switch ((u8)new) {
	case CALL_INSN_OPCODE:
		to = ip + CALL_INSN_SIZE + (s32)(u32)(new >> 8);
		if (to == ftrace_fpe.call_ok)
			return true;
		if (!kernel_text_address(to))
			return false;
		ftrace_fpe.call_ok = to;
		return true;
	case JMP32_INSN_OPCODE:
		return true;
	default:
		return new == fp_pack(x86_nops[5]);
	}
}

/* Why fp_check() refused a site, ratelimited; out of its way. */
static noinline void fp_warn(unsigned long ip, const char *what, u64 bytes,
			     u64 old)
{
	if (old)
		pr_warn_ratelimited("site %pS: %s %5phN, expected %5phN\n",
				    (void *)ip, what, &bytes, &old);
	else
		pr_warn_ratelimited("site %pS: %s %5phN\n", (void *)ip, what,
				    &bytes);
}

/* What fp_check() found of a site. */
enum fp_verdict {
	FP_KEEP,	/* it holds old, and new is old: nothing to do */
	FP_OPEN,	/* it holds old and is to be opened */
	FP_REFUSED,	/* its own fault: *err (and *found) say why */
	FP_NOMEM,	/* no memory for the window: the request fails */
};

/*
 * Give the site @ip its alias and compare its bytes with @old; @new is
 * what it is to hold.  fpoke_map() found the site's page present in the
 * kernel's page tables, so a plain read of the site cannot fault.
 * *@found is set for a refused site that could be read: its bytes.
 */
static __always_inline enum fp_verdict fp_check(unsigned long ip, u64 old,
						u64 new, bool open_same,
						int *err, u64 *found)
{
	u64 have;

	*err = fpoke_map(&ftrace_fpe.window, ip, MCOUNT_INSN_SIZE);
	if (unlikely(*err == -ENOMEM)) {
		*err = 0;
		return FP_NOMEM;
	}
	if (unlikely(*err))
		return FP_REFUSED;
	have = fp_pack((const u8 *)ip);
	if (unlikely(have != old)) {
		*found = have;
		*err = -EINVAL;
		fp_warn(ip, "found", have, old);
		return FP_REFUSED;
	}
	if (unlikely(!fp_new_ok(ip, new))) {
		*found = have;
		*err = -EINVAL;
		fp_warn(ip, "will not write", new, 0);
		return FP_REFUSED;
	}
	return open_same || old != new ? FP_OPEN : FP_KEEP;
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

/* The sites of a request that passed the check, as fp_live vectors. */
struct fp_request {
	struct fp_live *vec, *stray;
	unsigned int n, ns;
	struct fp_live perf;	/* perf's own site, if ->perf.ip */
	bool perf_late;		/* it goes to a NOP: in vec or stray */
	bool unsorted;		/* vec is not in ascending order */
	unsigned int refused;
	int err;		/* the first refused site's */
};

/*
 * Where site @ip goes: after the last one of vec if above it (the core's
 * order), else, if below it, among the strays while there is room, else
 * (the last one again, or no room) vec, which is then sorted before it
 * opens: a site given twice is found then.
 */
static __always_inline struct fp_live *fp_slot(struct fp_request *r,
					       unsigned long ip)
{
	unsigned long last;

	if (!r->n)
		return &r->vec[r->n++];
	last = r->vec[r->n - 1].ip;
	if (likely(ip > last))
		return &r->vec[r->n++];
	if (ip < last && r->ns < FP_STRAYS)
		return &r->stray[r->ns++];
	r->unsorted = true;
	return &r->vec[r->n++];
}

static __always_inline void fp_add(struct fp_request *r, unsigned long ip,
				   u64 old, u64 new)
{
	/* perf's own site: see struct fp_perf */
	struct fp_live *l = unlikely(fp_is_perf_site(ip)) ? &r->perf :
			    fp_slot(r, ip);

	l->ip = ip;
	l->insn = new;
	l->old = old;
}

/* A site refused: counted; the first one's error is the request's. */
static void fp_refuse(struct fp_request *r, int err)
{
	if (!r->refused++)
		r->err = err;
}

/*
 * The failure log (the tests read it) holds the refusals of the last
 * request that had any and did not fail whole: written once the check
 * is over.
 */
static void fp_log_start(struct fp_request *r)
{
	ftrace_fpe.fail_nr = 0;
	ftrace_fpe.stats.failed += r->refused;
}

static void fp_log_refused(unsigned long ip, u64 old, u64 new, u64 found,
			   int err)
{
	struct ftrace_patch_site *s;

	if (ftrace_fpe.fail_nr < FP_FAIL_LOG) {
		s = &ftrace_fpe.fail_log[ftrace_fpe.fail_nr];
		memset(s, 0, sizeof(*s));
		s->ip = ip;
		memcpy(s->old, &old, MCOUNT_INSN_SIZE);
		memcpy(s->new, &new, MCOUNT_INSN_SIZE);
		memcpy(s->actual, &found, MCOUNT_INSN_SIZE);
		s->err = err;
	}
	ftrace_fpe.fail_nr++;
}

static void fp_log_sites(struct fp_request *r,
			 const struct ftrace_patch_site *sites,
			 unsigned int nr)
{
	unsigned int i;

	fp_log_start(r);
	for (i = 0; i < nr; i++)
		if (sites[i].err)
			fp_log_refused(sites[i].ip, fp_pack(sites[i].old),
				       fp_pack(sites[i].new),
				       fp_pack(sites[i].actual), sites[i].err);
}

/* Check every site of @sites into @r; -ENOMEM if the window has none. */
static int fp_check_sites(struct fp_request *r,
			  struct ftrace_patch_site *sites, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		struct ftrace_patch_site *s = &sites[i];
		u64 old = fp_pack(s->old), new = fp_pack(s->new), found = 0;

		if (!((i + 1) % FP_IRQ_CHUNK))
			cond_resched();
		switch (fp_check(s->ip, old, new, s->open_same, &s->err,
				 &found)) {
		case FP_NOMEM:
			return -ENOMEM;
		case FP_REFUSED:
			if (s->err == -EINVAL)
				memcpy(s->actual, &found, MCOUNT_INSN_SIZE);
			fp_refuse(r, s->err);
			continue;
		case FP_KEEP:
			continue;
		case FP_OPEN:
			break;
		}
		fp_add(r, s->ip, old, new);
	}
	return 0;
}

/*
 * Sort the request's sites; false if one is there twice (the check cannot
 * tell: nothing is written before every site was checked).
 */
static bool fp_request_sorted(struct fp_request *r)
{
	struct fp_group vec = { r->vec, r->n }, stray = { r->stray, r->ns };
	unsigned int i;

	if ((r->unsorted && !fp_sort_live(r->vec, r->n)) ||
	    !fp_sort_live(r->stray, r->ns))
		return false;
	for (i = 0; i < r->ns; i++)
		if (fp_find(&vec, r->stray[i].ip))
			return false;
	return !r->perf.ip || r->perf_late ||
	       (!fp_find(&vec, r->perf.ip) && !fp_find(&stray, r->perf.ip));
}

/*
 * perf's own site goes to a NOP with the others, perf told at close; or
 * to a call, in a group of its own opened after them, from the buffer of
 * that group's index (ftrace_patch_reserve() made room).
 */
static void fp_open_request(struct fp_request *r)
{
	struct fp_live *one;

	if (r->perf_late) {
		if (!ftrace_fpe.perf.ip)
			ftrace_fpe.perf.untold = ftrace_fpe.desc.ngrp;
		ftrace_fpe.perf.ip = r->perf.ip;
		ftrace_fpe.perf.head = r->perf.insn;
	}
	fp_open_group(r->vec, r->n, r->stray, r->ns);
	if (r->perf.ip && !r->perf_late) {
		one = ftrace_fpe.buf[ftrace_fpe.desc.ngrp].vec;
		*one = r->perf;
		fp_open_group(one, 1, NULL, 0);
	}
}

/*
 * Open the sites of @r, checked: none if one was refused and @flags says
 * FTRACE_PATCH_ALL.  Return: as ftrace_patch_open(); on -EEXIST the
 * caller clears its sites' errors.
 */
static int fp_open_checked(struct fp_request *r, unsigned int flags)
{
	if (r->refused && (flags & FTRACE_PATCH_ALL))
		return r->err;
	if (r->perf.ip && (u8)r->perf.insn != CALL_INSN_OPCODE) {
		*fp_slot(r, r->perf.ip) = r->perf;
		r->perf_late = true;
	}
	if (!fp_request_sorted(r)) {
		pr_err("a request names a site twice\n");
		return -EEXIST;
	}
	fp_open_request(r);
	return r->err;
}

/* A request that fails whole blames no site. */
static void fp_clear_errors(struct ftrace_patch_site *sites, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		sites[i].err = 0;
}

/* The room of a request of @nr sites, and its vectors in @r. */
static int fp_request_init(struct fp_request *r, unsigned int nr)
{
	int ret = ftrace_patch_reserve(nr);

	memset(r, 0, sizeof(*r));
	r->vec = ftrace_fpe.buf[ftrace_fpe.desc.ngrp].vec;
	r->stray = ftrace_fpe.buf[ftrace_fpe.desc.ngrp + 1].vec;
	return ret;
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
	struct fp_request r;
	int ret;

	KUNIT_STATIC_STUB_REDIRECT(ftrace_patch_open, sites, nr, flags);
	might_sleep();
	lockdep_assert_held(&text_mutex);
	ret = fp_request_init(&r, nr);
	if (ret)
		return ret;
	ret = fp_check_sites(&r, sites, nr);
	if (!ret && r.refused)
		fp_log_sites(&r, sites, nr);
	if (!ret)
		ret = fp_open_checked(&r, flags);
	if (ret == -ENOMEM || ret == -EEXIST)
		fp_clear_errors(sites, nr);
	return ret;
}
EXPORT_SYMBOL_IF_FP_KUNIT(ftrace_patch_open);

/* A change refused: its bytes expected and found, and fp_refuse(). */
static noinline void fp_refuse_change(struct fp_request *r,
				      struct ftrace_site_change *ci, u64 old,
				      u64 found)
{
	memcpy(ci->expected, &old, MCOUNT_INSN_SIZE);
	memcpy(ci->found, &found, MCOUNT_INSN_SIZE);
	fp_refuse(r, ci->err);
}

/* fp_log_sites() for a plan; a change out of a call's reach never ran. */
static void fp_log_changes(struct fp_request *r,
			   const struct ftrace_site_change *c, unsigned int nr)
{
	unsigned int i;
	u64 old, new;

	fp_log_start(r);
	for (i = 0; i < nr; i++) {
		if (!c[i].err || c[i].err == -ERANGE)
			continue;
		ftrace_patch_insn(c[i].ip, c[i].from, &old);
		ftrace_patch_insn(c[i].ip, c[i].to, &new);
		fp_log_refused(c[i].ip, old, new, fp_pack(c[i].found),
			       c[i].err);
	}
}

/* ftrace_patch_open() for a plan of the core's changes (no flags). */
static int fp_check_changes(struct fp_request *r,
			    struct ftrace_site_change *c, unsigned int nr)
{
	unsigned long perf = (unsigned long)perf_event_text_poke;
	struct fp_live *v = r->vec + r->n;
	unsigned long last = r->n ? v[-1].ip : 0;
	unsigned int i;
	int ret = 0;

	/* no relocation to perf_event_text_poke + 4 (objtool, as above) */
	OPTIMIZER_HIDE_VAR(perf);
	for (i = 0; i < nr; i++) {
		struct ftrace_site_change *ci = &c[i];
		unsigned long ip = ci->ip;
		u64 old, new, found = 0;

		if (!((i + 1) % FP_IRQ_CHUNK))
			cond_resched();
		if (unlikely(!ftrace_patch_insn(ip, ci->from, &old) ||
			     !ftrace_patch_insn(ip, ci->to, &new))) {
			ci->err = -ERANGE;
			memset(ci->expected, 0, MCOUNT_INSN_SIZE);
			memset(ci->found, 0, MCOUNT_INSN_SIZE);
			continue;
		}
		switch (fp_check(ip, old, new, false, &ci->err, &found)) {
		case FP_NOMEM:
			ret = -ENOMEM;
			goto out;
		case FP_REFUSED:
			fp_refuse_change(r, ci, old, found);
			continue;
		case FP_KEEP:
			continue;
		case FP_OPEN:
			break;
		}
		/* the core's order, not perf's site: append in registers */
		if (likely(ip > last && ip - perf > ENDBR_INSN_SIZE)) {
			v->ip = ip;
			v->insn = new;
			v->old = old;
			v++;
			last = ip;
			continue;
		}
		r->n = v - r->vec;
		fp_add(r, ip, old, new);
		v = r->vec + r->n;
		last = r->n ? v[-1].ip : 0;
	}
out:
	r->n = v - r->vec;
	return ret;
}

/**
 * ftrace_patch_changes() - run a plan of our core's site changes
 * @c: the changes (what each site calls now and must call, 0 for the
 *     NOP), in any order, each site at most once
 * @nr: how many
 *
 * Opens every site that holds its ->from and may get its ->to, and closes
 * the run (with whatever else it held): one protocol run whatever @nr.
 * Each site's outcome is in its ->err; a refused site (-EINVAL: it does
 * not hold ->from, or ->to is not text; -EFAULT: not mappable; -ERANGE:
 * ->from or ->to out of a call's reach) is left alone, with ->expected
 * (the bytes of ->from) and ->found (what it held, for -EINVAL) filled.
 * The sites go straight from the plan into the run's groups: a switch of
 * every site costs one pass over the plan, no copy of it.
 *
 * Context: process context, text_mutex held; may sleep.
 * Return: 0, or -ENOMEM / -EEXIST (a site given twice) if the run failed
 * whole: then no site changed and no ->err is set.
 */
int ftrace_patch_changes(struct ftrace_site_change *c, unsigned int nr)
{
	struct fp_request r;
	unsigned int i;
	int ret;

	might_sleep();
	lockdep_assert_held(&text_mutex);
	ret = fp_request_init(&r, nr);
	if (!ret)
		ret = fp_check_changes(&r, c, nr);
	if (!ret && r.refused)
		fp_log_changes(&r, c, nr);
	if (!ret)
		ret = fp_open_checked(&r, 0);
	ftrace_patch_close();
	if (ret != -ENOMEM && ret != -EEXIST)
		return 0;
	for (i = 0; i < nr; i++)
		c[i].err = 0;
	return ret;
}
EXPORT_SYMBOL_IF_FP_KUNIT(ftrace_patch_changes);

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
