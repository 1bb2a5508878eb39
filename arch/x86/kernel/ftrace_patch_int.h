/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ftrace_patch_int.h - the state of the x86 ftrace patch engine, shared
 * by its two halves: ftrace_patch.c (the protocol: groups, the int3
 * handler, the writes, perf's reports, the run's close) and
 * ftrace_patch_request.c (requests: every site checked, then handed over
 * as groups).  Nothing else includes it.
 *
 * text_mutex guards every field of ftrace_fpe; the int3 handler reads
 * ftrace_fpe.desc alone, under a reference on ftrace_fpe.desc.refs
 * (ftrace_patch.c, DOC: locking).
 */
#ifndef _X86_KERNEL_FTRACE_PATCH_INT_H
#define _X86_KERNEL_FTRACE_PATCH_INT_H

#include <linux/perf_event.h>
#include <linux/types.h>
#include <linux/unaligned.h>
#include <asm/ibt.h>

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
struct fp_engine {
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
};

extern struct fp_engine ftrace_fpe;

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

/* The 5 bytes of @insn in a u64, byte 0 lowest; no stack round trip. */
static __always_inline u64 fp_pack(const u8 *insn)
{
	return get_unaligned((const u32 *)insn) | (u64)insn[4] << 32;
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

void fp_open_group(struct fp_live *vec, unsigned int n,
		   struct fp_live *stray, unsigned int ns);

#endif /* _X86_KERNEL_FTRACE_PATCH_INT_H */
