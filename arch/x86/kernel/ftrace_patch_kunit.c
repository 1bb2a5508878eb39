// SPDX-License-Identifier: GPL-2.0
/*
 * ftrace_patch_kunit.c - KUnit tests of the x86 ftrace patch engine
 * (ftrace_patch.c) on sites of their own.
 *
 * The sites are small functions written below in assembly: an optional
 * ENDBR, the 5-byte NOP (one site) or FPK_ROW of them in a row, and a
 * return.  That is kernel text no ftrace record knows, so the tests patch
 * it through the engine's API without the core noticing.  A test calls
 * the sites while a run is open, to see what the int3 handler emulates,
 * and again after the close, to run the bytes written; the exit hook puts
 * the NOPs back.
 *
 * Locking: every engine call is made with text_mutex held (taken through
 * ftrace_patch_kunit_lock(): the mutex is not exported), as the engine
 * requires; outside it no run is open.  Nothing that can abort a test
 * (KUNIT_ASSERT_*) runs while the mutex is held: what a test sees inside
 * is kept and checked after the unlock.
 */
#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/ftrace.h>
#include <linux/module.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include <asm/ibt.h>
#include <asm/linkage.h>
#include <asm/nops.h>
#include <asm/ptrace.h>
#include <asm/segment.h>
#include <asm/text-patching.h>

#include "ftrace_patch.h"
#include "ftrace_patch_kunit.h"

/* Single sites; the row has more than the engine's FP_STRAYS (64). */
#define FPK_ONE		4

#define FPK_FN(name, align, body)				\
	"	.pushsection .text, \"ax\"\n"			\
	"	.globl " #name "\n"				\
	"	.type " #name ", @function\n"			\
	"	.balign " #align "\n"				\
	#name ":\n"						\
	"	" ASM_ENDBR "\n"				\
	body							\
	"	" ASM_RET "\n"					\
	"	.size " #name ", . - " #name "\n"		\
	"	.popsection\n"

/*
 * fpk_straddle starts a page; one-byte NOPs lead to its site, which
 * begins 2 bytes before the next page.
 */
asm(FPK_FN(fpk_fn0, 16, "	" ASM_NOP5 "\n")
	FPK_FN(fpk_fn1, 16, "	" ASM_NOP5 "\n")
	FPK_FN(fpk_fn2, 16, "	" ASM_NOP5 "\n")
	FPK_FN(fpk_fn3, 16, "	" ASM_NOP5 "\n")
	FPK_FN(fpk_row, 16, "	.rept 80\n	" ASM_NOP5 "\n	.endr\n")
	FPK_FN(fpk_straddle, 4096,
	       "	.skip 4094 - (. - fpk_straddle), 0x90\n	" ASM_NOP5 "\n"));

static_assert(FPK_ROW == 80, "FPK_ROW is spelled out in fpk_row's .rept");
static_assert(PAGE_SIZE == 4096, "fpk_straddle is laid out for 4 KiB pages");

/* Index of fpk_straddle's site for fpk_ip(); all sites are below FPK_SITES. */
#define FPK_STRADDLE	(FPK_ONE + FPK_ROW)
#define FPK_SITES	(FPK_STRADDLE + 1)

/* What the patched sites call or jump to. */
static int fpk_hits[2];

static noinline void fpk_hit0(void)
{
	WRITE_ONCE(fpk_hits[0], fpk_hits[0] + 1);
}

static noinline void fpk_hit1(void)
{
	WRITE_ONCE(fpk_hits[1], fpk_hits[1] + 1);
}

/* The site functions; bit i of a mask in fpk_call_sites() is fpk_fns[i]. */
static void (* const fpk_fns[FPK_ONE + 2])(void) = {
	fpk_fn0, fpk_fn1, fpk_fn2, fpk_fn3, fpk_row, fpk_straddle,
};

#define FPK_CALL_ROW		BIT(FPK_ONE)
#define FPK_CALL_STRADDLE	BIT(FPK_ONE + 1)

/*
 * Run the site functions of @mask once each, from zeroed hit counters;
 * @hits gets the counters.
 */
static void fpk_call_sites(unsigned int mask, int hits[2])
{
	unsigned int i;

	WRITE_ONCE(fpk_hits[0], 0);
	WRITE_ONCE(fpk_hits[1], 0);
	for (i = 0; i < ARRAY_SIZE(fpk_fns); i++)
		if (mask & BIT(i))
			fpk_fns[i]();
	hits[0] = READ_ONCE(fpk_hits[0]);
	hits[1] = READ_ONCE(fpk_hits[1]);
}

/* A macro, so that KUnit reports the test's own line. */
#define FPK_EXPECT_HITS(t, hits, h0, h1)			\
	do {							\
		struct kunit *__t = (t);			\
		const int *__h = (hits);			\
								\
		KUNIT_EXPECT_EQ(__t, __h[0], h0);		\
		KUNIT_EXPECT_EQ(__t, __h[1], h1);		\
	} while (0)

/* First byte after a function's ENDBR; no "fn + 4" relocation (objtool). */
static unsigned long fpk_body(void (*fn)(void))
{
	unsigned long ip = (unsigned long)fn;

	OPTIMIZER_HIDE_VAR(ip);
	return ip + ENDBR_INSN_SIZE;
}

/*
 * Site @i: 0..FPK_ONE - 1 are the single sites, FPK_ONE + k site k of the
 * row, FPK_STRADDLE the one across a page boundary.
 */
static unsigned long fpk_ip(unsigned int i)
{
	if (i < FPK_ONE)
		return fpk_body(fpk_fns[i]);
	if (i == FPK_STRADDLE)
		return (fpk_body(fpk_straddle) & PAGE_MASK) + PAGE_SIZE - 2;
	return fpk_body(fpk_row) + (i - FPK_ONE) * MCOUNT_INSN_SIZE;
}

/* The NOP the sites hold (x86_nops[] is not exported to modules). */
static const u8 fpk_nop5[MCOUNT_INSN_SIZE] = { BYTES_NOP5 };

static const u8 *fpk_nop(void)
{
	return fpk_nop5;
}

static void fpk_call(u8 *insn, unsigned int i, void (*target)(void))
{
	__text_gen_insn(insn, CALL_INSN_OPCODE, (void *)fpk_ip(i), target,
			CALL_INSN_SIZE);
}

static void fpk_jmp(u8 *insn, unsigned int i, void (*target)(void))
{
	__text_gen_insn(insn, JMP32_INSN_OPCODE, (void *)fpk_ip(i), target,
			JMP32_INSN_SIZE);
}

static void fpk_site(struct ftrace_patch_site *s, unsigned long ip,
		     const u8 *old, const u8 *new)
{
	memset(s, 0, sizeof(*s));
	s->ip = ip;
	memcpy(s->old, old, MCOUNT_INSN_SIZE);
	memcpy(s->new, new, MCOUNT_INSN_SIZE);
}

static bool fpk_holds(unsigned int i, const u8 *insn)
{
	return !memcmp((const void *)fpk_ip(i), insn, MCOUNT_INSN_SIZE);
}

static void fpk_stats_delta(struct ftrace_patch_stats *d,
			    const struct ftrace_patch_stats *before)
{
	struct ftrace_patch_stats now;

	ftrace_patch_get_stats(&now);
	d->batches = now.batches - before->batches;
	d->runs = now.runs - before->runs;
	d->syncs = now.syncs - before->syncs;
	d->sites = now.sites - before->sites;
	d->failed = now.failed - before->failed;
}

/* Sites 0 and 1 from the NOP to calls of hit0 and hit1: @s, the calls. */
static void fpk_prep_two(struct ftrace_patch_site *s, u8 *call0, u8 *call1)
{
	fpk_call(call0, 0, fpk_hit0);
	fpk_call(call1, 1, fpk_hit1);
	fpk_site(&s[0], fpk_ip(0), fpk_nop(), call0);
	fpk_site(&s[1], fpk_ip(1), fpk_nop(), call1);
}

/* The decoder ftrace.c and the trampolines share. */
static void fpk_call_dest(struct kunit *test)
{
	unsigned long ip = fpk_ip(0);
	u8 insn[MCOUNT_INSN_SIZE];

	fpk_call(insn, 0, fpk_hit0);
	KUNIT_EXPECT_EQ(test, ftrace_call_dest(insn, ip),
			(unsigned long)fpk_hit0);
	/* a target below the site: negative displacement */
	__text_gen_insn(insn, CALL_INSN_OPCODE, (void *)ip, (void *)(ip - 4096),
			CALL_INSN_SIZE);
	KUNIT_EXPECT_EQ(test, ftrace_call_dest(insn, ip), ip - 4096);
	KUNIT_EXPECT_EQ(test, ftrace_call_dest(fpk_nop(), ip), 0UL);
	fpk_jmp(insn, 0, fpk_hit0);
	KUNIT_EXPECT_EQ(test, ftrace_call_dest(insn, ip), 0UL);
}

/* A batch writes the new bytes with one group: three syncs. */
static void fpk_batch(struct kunit *test)
{
	struct ftrace_patch_stats before, d;
	struct ftrace_patch_site s[2];
	u8 call0[MCOUNT_INSN_SIZE], call1[MCOUNT_INSN_SIZE];
	int ret, hits[2];

	fpk_prep_two(s, call0, call1);
	ftrace_patch_get_stats(&before);
	ftrace_patch_kunit_lock();
	ret = ftrace_patch_batch(s, 2);
	ftrace_patch_kunit_unlock();
	fpk_stats_delta(&d, &before);

	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_TRUE(test, fpk_holds(0, call0));
	KUNIT_EXPECT_TRUE(test, fpk_holds(1, call1));
	KUNIT_EXPECT_EQ(test, d.runs, 1UL);
	KUNIT_EXPECT_EQ(test, d.batches, 1UL);
	KUNIT_EXPECT_EQ(test, d.syncs, 3UL);
	KUNIT_EXPECT_EQ(test, d.sites, 2UL);
	fpk_call_sites(BIT(0) | BIT(1), hits);
	FPK_EXPECT_HITS(test, hits, 1, 1);
}

/*
 * While a run is open its sites hold int3 and CPUs that run them get the
 * new instruction emulated: a call calls, a NOP does not, a jmp jumps.
 */
static void fpk_open_emulates(struct kunit *test)
{
	u8 call0[MCOUNT_INSN_SIZE], call1[MCOUNT_INSN_SIZE];
	u8 jmp2[MCOUNT_INSN_SIZE], first[3];
	struct ftrace_patch_site s[3];
	int hits[2], ret, prep;

	fpk_call(call0, 0, fpk_hit0);
	fpk_call(call1, 1, fpk_hit1);
	fpk_jmp(jmp2, 2, fpk_hit1);
	ftrace_patch_kunit_lock();
	fpk_site(&s[0], fpk_ip(1), fpk_nop(), call1);
	prep = ftrace_patch_batch(s, 1);
	fpk_site(&s[0], fpk_ip(0), fpk_nop(), call0);
	fpk_site(&s[1], fpk_ip(1), call1, fpk_nop());
	fpk_site(&s[2], fpk_ip(2), fpk_nop(), jmp2);
	ret = ftrace_patch_open(s, 3, 0);
	first[0] = *(u8 *)fpk_ip(0);
	first[1] = *(u8 *)fpk_ip(1);
	first[2] = *(u8 *)fpk_ip(2);
	fpk_call_sites(BIT(0) | BIT(1) | BIT(2), hits);
	ftrace_patch_close();
	ftrace_patch_kunit_unlock();

	KUNIT_EXPECT_EQ(test, prep, 0);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, first[0], (u8)INT3_INSN_OPCODE);
	KUNIT_EXPECT_EQ(test, first[1], (u8)INT3_INSN_OPCODE);
	KUNIT_EXPECT_EQ(test, first[2], (u8)INT3_INSN_OPCODE);
	/* site 0 called hit0; site 1 is a NOP; site 2 jumped to hit1 */
	FPK_EXPECT_HITS(test, hits, 1, 1);
	KUNIT_EXPECT_TRUE(test, fpk_holds(0, call0));
	KUNIT_EXPECT_TRUE(test, fpk_holds(1, fpk_nop()));
	KUNIT_EXPECT_TRUE(test, fpk_holds(2, jmp2));
	fpk_call_sites(BIT(0) | BIT(1) | BIT(2), hits);
	FPK_EXPECT_HITS(test, hits, 1, 1);
}

/* An open site can change its new instruction; one not open cannot. */
static void fpk_retarget(struct kunit *test)
{
	u8 call0[MCOUNT_INSN_SIZE], call1[MCOUNT_INSN_SIZE];
	struct ftrace_patch_site s;
	int ret, moved, other, hits[2];

	fpk_call(call0, 0, fpk_hit0);
	fpk_call(call1, 0, fpk_hit1);
	ftrace_patch_kunit_lock();
	fpk_site(&s, fpk_ip(0), fpk_nop(), call0);
	ret = ftrace_patch_open(&s, 1, 0);
	moved = ftrace_patch_retarget(fpk_ip(0), call1);
	other = ftrace_patch_retarget(fpk_ip(3), call1);
	fpk_call_sites(BIT(0), hits);
	ftrace_patch_close();
	ftrace_patch_kunit_unlock();

	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, moved, 0);
	KUNIT_EXPECT_EQ(test, other, -ENOENT);
	FPK_EXPECT_HITS(test, hits, 0, 1);
	KUNIT_EXPECT_TRUE(test, fpk_holds(0, call1));
	KUNIT_EXPECT_TRUE(test, fpk_holds(3, fpk_nop()));
}

/*
 * A site that does not hold what its caller says is refused with the
 * bytes found and left alone; the rest of the batch is patched.
 */
static void fpk_refuse_bytes(struct kunit *test)
{
	u8 call0[MCOUNT_INSN_SIZE], call1[MCOUNT_INSN_SIZE];
	struct ftrace_patch_stats before, d;
	struct ftrace_patch_site s[2], log[2];
	unsigned int nlog;
	int ret;

	fpk_call(call0, 0, fpk_hit0);
	fpk_call(call1, 1, fpk_hit1);
	ftrace_patch_get_stats(&before);
	ftrace_patch_kunit_lock();
	fpk_site(&s[0], fpk_ip(0), fpk_nop(), call0);
	/* site 1 holds the NOP, not the call this says */
	fpk_site(&s[1], fpk_ip(1), call1, fpk_nop());
	ret = ftrace_patch_batch(s, 2);
	ftrace_patch_kunit_unlock();
	fpk_stats_delta(&d, &before);
	nlog = ftrace_patch_failures(log, ARRAY_SIZE(log));

	KUNIT_EXPECT_EQ(test, ret, -EINVAL);
	KUNIT_EXPECT_EQ(test, s[0].err, 0);
	KUNIT_EXPECT_EQ(test, s[1].err, -EINVAL);
	KUNIT_EXPECT_MEMEQ(test, s[1].actual, fpk_nop(), MCOUNT_INSN_SIZE);
	KUNIT_EXPECT_TRUE(test, fpk_holds(0, call0));
	KUNIT_EXPECT_TRUE(test, fpk_holds(1, fpk_nop()));
	KUNIT_EXPECT_EQ(test, d.failed, 1UL);
	KUNIT_EXPECT_EQ(test, d.sites, 1UL);
	KUNIT_ASSERT_EQ(test, nlog, 1U);
	KUNIT_EXPECT_EQ(test, log[0].ip, fpk_ip(1));
	KUNIT_EXPECT_EQ(test, log[0].err, -EINVAL);
	KUNIT_EXPECT_MEMEQ(test, log[0].actual, fpk_nop(), MCOUNT_INSN_SIZE);
}

/*
 * "Sites" that are not text are refused with -EFAULT and never written:
 * module data (module space, like module text) and vmalloc()ed memory.
 */
static void fpk_refuse_data(struct kunit *test)
{
	static u8 data[MCOUNT_INSN_SIZE] = { BYTES_NOP5 };
	struct ftrace_patch_site s[3];
	u8 call0[MCOUNT_INSN_SIZE];
	u8 *vbuf;
	int ret;

	vbuf = vmalloc(PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, vbuf);
	memcpy(vbuf, fpk_nop(), MCOUNT_INSN_SIZE);
	fpk_call(call0, 0, fpk_hit0);
	ftrace_patch_kunit_lock();
	fpk_site(&s[0], (unsigned long)data, fpk_nop(), call0);
	fpk_site(&s[1], (unsigned long)vbuf, fpk_nop(), call0);
	fpk_site(&s[2], fpk_ip(0), fpk_nop(), call0);
	ret = ftrace_patch_batch(s, 3);
	ftrace_patch_kunit_unlock();

	KUNIT_EXPECT_EQ(test, ret, -EFAULT);
	KUNIT_EXPECT_EQ(test, s[0].err, -EFAULT);
	KUNIT_EXPECT_EQ(test, s[1].err, -EFAULT);
	KUNIT_EXPECT_EQ(test, s[2].err, 0);
	KUNIT_EXPECT_MEMEQ(test, data, fpk_nop(), MCOUNT_INSN_SIZE);
	KUNIT_EXPECT_MEMEQ(test, vbuf, fpk_nop(), MCOUNT_INSN_SIZE);
	KUNIT_EXPECT_TRUE(test, fpk_holds(0, call0));
	vfree(vbuf);
}

/*
 * A site whose new bytes are its old ones is left alone, unless it asks
 * to be opened (open_same), so that it can be retargeted later.
 */
static void fpk_open_same(struct kunit *test)
{
	u8 call0[MCOUNT_INSN_SIZE], first[2];
	struct ftrace_patch_site s[2];
	int ret, moved, hits[2];

	fpk_call(call0, 1, fpk_hit0);
	ftrace_patch_kunit_lock();
	fpk_site(&s[0], fpk_ip(0), fpk_nop(), fpk_nop());
	fpk_site(&s[1], fpk_ip(1), fpk_nop(), fpk_nop());
	s[1].open_same = true;
	ret = ftrace_patch_open(s, 2, 0);
	first[0] = *(u8 *)fpk_ip(0);
	first[1] = *(u8 *)fpk_ip(1);
	moved = ftrace_patch_retarget(fpk_ip(1), call0);
	fpk_call_sites(BIT(0) | BIT(1), hits);
	ftrace_patch_close();
	ftrace_patch_kunit_unlock();

	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, first[0], fpk_nop()[0]);
	KUNIT_EXPECT_EQ(test, first[1], (u8)INT3_INSN_OPCODE);
	KUNIT_EXPECT_EQ(test, moved, 0);
	FPK_EXPECT_HITS(test, hits, 1, 0);
	KUNIT_EXPECT_TRUE(test, fpk_holds(0, fpk_nop()));
	KUNIT_EXPECT_TRUE(test, fpk_holds(1, call0));
}

/*
 * FPK_ROW sites handed over last to first: more out of order than the
 * engine's stray group holds, so the rest is sorted.  Still one group
 * step (three syncs), and every site is found by the int3 handler.
 */
static void fpk_row_reversed(struct kunit *test)
{
	struct ftrace_patch_stats before, d;
	struct ftrace_patch_site *s;
	u8 call[MCOUNT_INSN_SIZE];
	int ret, hits_open[2], hits[2];
	unsigned int k;

	s = kunit_kcalloc(test, FPK_ROW, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	for (k = 0; k < FPK_ROW; k++) {
		unsigned int i = FPK_ONE + FPK_ROW - 1 - k;

		fpk_call(call, i, fpk_hit0);
		fpk_site(&s[k], fpk_ip(i), fpk_nop(), call);
	}
	ftrace_patch_get_stats(&before);
	ftrace_patch_kunit_lock();
	ret = ftrace_patch_open(s, FPK_ROW, 0);
	fpk_call_sites(FPK_CALL_ROW, hits_open);
	ftrace_patch_close();
	ftrace_patch_kunit_unlock();
	fpk_stats_delta(&d, &before);

	KUNIT_EXPECT_EQ(test, ret, 0);
	FPK_EXPECT_HITS(test, hits_open, FPK_ROW, 0);
	KUNIT_EXPECT_EQ(test, d.syncs, 3UL);
	KUNIT_EXPECT_EQ(test, d.sites, (unsigned long)FPK_ROW);
	for (k = 0; k < FPK_ROW; k++)
		KUNIT_EXPECT_TRUE(test, fpk_holds(FPK_ONE + k, s[FPK_ROW - 1 - k].new));
	fpk_call_sites(FPK_CALL_ROW, hits);
	FPK_EXPECT_HITS(test, hits, FPK_ROW, 0);
}

/*
 * A site across a page boundary: both pages get their alias, the tail
 * write spans them, and the int3 handler finds the site meanwhile.
 */
static void fpk_page_straddle(struct kunit *test)
{
	unsigned long ip = fpk_ip(FPK_STRADDLE);
	u8 call[MCOUNT_INSN_SIZE];
	struct ftrace_patch_site s;
	int ret, hits_open[2], hits[2];

	KUNIT_ASSERT_EQ(test, ip & ~PAGE_MASK, PAGE_SIZE - 2);
	KUNIT_ASSERT_TRUE(test, fpk_holds(FPK_STRADDLE, fpk_nop()));
	fpk_call(call, FPK_STRADDLE, fpk_hit0);
	fpk_site(&s, ip, fpk_nop(), call);
	ftrace_patch_kunit_lock();
	ret = ftrace_patch_open(&s, 1, 0);
	fpk_call_sites(FPK_CALL_STRADDLE, hits_open);
	ftrace_patch_close();
	ftrace_patch_kunit_unlock();

	KUNIT_EXPECT_EQ(test, ret, 0);
	FPK_EXPECT_HITS(test, hits_open, 1, 0);
	KUNIT_EXPECT_TRUE(test, fpk_holds(FPK_STRADDLE, call));
	fpk_call_sites(FPK_CALL_STRADDLE, hits);
	FPK_EXPECT_HITS(test, hits, 1, 0);
}

/* One sync per group opened, two to close: a run of two groups costs 4. */
static void fpk_two_groups(struct kunit *test)
{
	struct ftrace_patch_stats before, d;
	struct ftrace_patch_site s[2];
	u8 call0[MCOUNT_INSN_SIZE], call1[MCOUNT_INSN_SIZE];
	int ret[2], hits[2];

	fpk_prep_two(s, call0, call1);
	ftrace_patch_get_stats(&before);
	ftrace_patch_kunit_lock();
	ret[0] = ftrace_patch_open(&s[0], 1, 0);
	ret[1] = ftrace_patch_open(&s[1], 1, 0);
	fpk_call_sites(BIT(0) | BIT(1), hits);
	ftrace_patch_close();
	ftrace_patch_kunit_unlock();
	fpk_stats_delta(&d, &before);

	KUNIT_EXPECT_EQ(test, ret[0], 0);
	KUNIT_EXPECT_EQ(test, ret[1], 0);
	FPK_EXPECT_HITS(test, hits, 1, 1);
	KUNIT_EXPECT_EQ(test, d.batches, 2UL);
	KUNIT_EXPECT_EQ(test, d.runs, 1UL);
	KUNIT_EXPECT_EQ(test, d.syncs, 4UL);
	KUNIT_EXPECT_TRUE(test, fpk_holds(0, call0));
	KUNIT_EXPECT_TRUE(test, fpk_holds(1, call1));
}

/*
 * The int3 handler on made-up trap frames: it claims only a kernel-mode
 * trap at an open site, and emulates a call as the CPU would (return
 * address pushed, ip at the target).
 */
static void fpk_handler(struct kunit *test)
{
	/* the frames: trapped at site 0 open, from user mode, at site 3, closed */
	static const struct { u16 cs; unsigned int site; } fr[] = {
		{ __KERNEL_CS, 0 }, { __USER_CS, 0 }, { __KERNEL_CS, 3 },
		{ __KERNEL_CS, 0 },
	};
	unsigned long stack[4] = { }, top = (unsigned long)&stack[4];
	struct pt_regs *at_open, *at_user, *at_other, *at_closed;
	u8 call0[MCOUNT_INSN_SIZE];
	struct ftrace_patch_site s;
	bool claimed[ARRAY_SIZE(fr)];
	unsigned int i;
	int ret;

	/* four frames on the stack are too much for KASAN's redzones */
	at_open = kunit_kcalloc(test, ARRAY_SIZE(fr), sizeof(*at_open),
				GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, at_open);
	for (i = 0; i < ARRAY_SIZE(fr); i++) {
		at_open[i].cs = fr[i].cs;
		at_open[i].sp = top;
		at_open[i].ip = fpk_ip(fr[i].site) + INT3_INSN_SIZE;
	}
	at_user = &at_open[1];
	at_other = &at_open[2];
	at_closed = &at_open[3];
	fpk_call(call0, 0, fpk_hit0);
	ftrace_patch_kunit_lock();
	fpk_site(&s, fpk_ip(0), fpk_nop(), call0);
	ret = ftrace_patch_open(&s, 1, 0);
	claimed[0] = ftrace_patch_int3_handler(at_open);
	claimed[1] = ftrace_patch_int3_handler(at_user);
	claimed[2] = ftrace_patch_int3_handler(at_other);
	ftrace_patch_close();
	claimed[3] = ftrace_patch_int3_handler(at_closed);
	ftrace_patch_kunit_unlock();

	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_TRUE(test, claimed[0]);
	KUNIT_EXPECT_EQ(test, at_open->ip, (unsigned long)fpk_hit0);
	KUNIT_EXPECT_EQ(test, at_open->sp, top - sizeof(long));
	KUNIT_EXPECT_EQ(test, stack[3], fpk_ip(0) + MCOUNT_INSN_SIZE);
	KUNIT_EXPECT_FALSE(test, claimed[1]);
	KUNIT_EXPECT_EQ(test, at_user->ip, fpk_ip(0) + INT3_INSN_SIZE);
	KUNIT_EXPECT_FALSE(test, claimed[2]);
	KUNIT_EXPECT_EQ(test, at_other->sp, top);
	KUNIT_EXPECT_FALSE(test, claimed[3]);
	KUNIT_EXPECT_EQ(test, at_closed->ip, fpk_ip(0) + INT3_INSN_SIZE);
}

/* What the engine told perf, as fpk_perf_stub() saw it. */
#define FPK_PERF_MAX	8
struct fpk_perf_log {
	unsigned int nr;
	struct {
		unsigned long ip;
		u8 old[MCOUNT_INSN_SIZE], new[MCOUNT_INSN_SIZE];
	} ev[FPK_PERF_MAX];
};

static struct fpk_perf_log *fpk_perf;

static void fpk_perf_stub(unsigned long ip, const void *old, const void *new)
{
	unsigned int n = fpk_perf->nr++;

	if (n >= FPK_PERF_MAX)
		return;
	fpk_perf->ev[n].ip = ip;
	memcpy(fpk_perf->ev[n].old, old, MCOUNT_INSN_SIZE);
	memcpy(fpk_perf->ev[n].new, new, MCOUNT_INSN_SIZE);
}

static void fpk_expect_event(struct kunit *test, const struct fpk_perf_log *log,
			     unsigned int i, unsigned int site, const u8 *old,
			     const u8 *new)
{
	KUNIT_EXPECT_EQ_MSG(test, log->ev[i].ip, fpk_ip(site), "event %u", i);
	KUNIT_EXPECT_MEMEQ_MSG(test, log->ev[i].old, old, MCOUNT_INSN_SIZE,
			       "event %u", i);
	KUNIT_EXPECT_MEMEQ_MSG(test, log->ev[i].new, new, MCOUNT_INSN_SIZE,
			       "event %u", i);
}

/*
 * perf hears of every site once as it opens, and again when it is
 * retargeted, with the bytes of before the run (never the int3) and the
 * instruction it runs from then on, as text_poke_bp() reports.
 */
static void fpk_perf_old_bytes(struct kunit *test)
{
	u8 call0[MCOUNT_INSN_SIZE], call1[MCOUNT_INSN_SIZE], back[MCOUNT_INSN_SIZE];
	struct ftrace_patch_site s[2];
	struct fpk_perf_log *log;
	int ret[3];

	log = kunit_kzalloc(test, sizeof(*log), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, log);
	fpk_perf = log;
	kunit_activate_static_stub(test, ftrace_patch_perf_event, fpk_perf_stub);
	fpk_prep_two(s, call0, call1);
	fpk_call(back, 0, fpk_hit1);
	ftrace_patch_kunit_lock();
	ret[0] = ftrace_patch_open(s, 2, 0);
	ret[1] = ftrace_patch_retarget(fpk_ip(0), back);
	ftrace_patch_close();
	/* and back: what they held before this run is the calls */
	fpk_site(&s[0], fpk_ip(0), back, fpk_nop());
	fpk_site(&s[1], fpk_ip(1), call1, fpk_nop());
	ret[2] = ftrace_patch_batch(s, 2);
	ftrace_patch_kunit_unlock();
	kunit_deactivate_static_stub(test, ftrace_patch_perf_event);

	KUNIT_EXPECT_EQ(test, ret[0], 0);
	KUNIT_EXPECT_EQ(test, ret[1], 0);
	KUNIT_EXPECT_EQ(test, ret[2], 0);
	KUNIT_ASSERT_EQ(test, log->nr, 5U);
	fpk_expect_event(test, log, 0, 0, fpk_nop(), call0);
	fpk_expect_event(test, log, 1, 1, fpk_nop(), call1);
	fpk_expect_event(test, log, 2, 0, fpk_nop(), back);
	fpk_expect_event(test, log, 3, 0, back, fpk_nop());
	fpk_expect_event(test, log, 4, 1, call1, fpk_nop());
}

/*
 * FTRACE_PATCH_ALL (upstream's core): one site refused, none of the
 * request is opened or written, and no sync is spent.
 */
static void fpk_refuse_all(struct kunit *test)
{
	u8 call0[MCOUNT_INSN_SIZE], call1[MCOUNT_INSN_SIZE];
	struct ftrace_patch_stats before, d;
	struct ftrace_patch_site s[3];
	int ret;

	fpk_prep_two(s, call0, call1);
	/* site 2 holds the NOP, not the call this says */
	fpk_site(&s[2], fpk_ip(2), call1, fpk_nop());
	ftrace_patch_get_stats(&before);
	ftrace_patch_kunit_lock();
	ret = ftrace_patch_open(s, 3, FTRACE_PATCH_ALL);
	ftrace_patch_close();
	ftrace_patch_kunit_unlock();
	fpk_stats_delta(&d, &before);

	KUNIT_EXPECT_EQ(test, ret, -EINVAL);
	KUNIT_EXPECT_EQ(test, s[0].err, 0);
	KUNIT_EXPECT_EQ(test, s[1].err, 0);
	KUNIT_EXPECT_EQ(test, s[2].err, -EINVAL);
	KUNIT_EXPECT_TRUE(test, fpk_holds(0, fpk_nop()));
	KUNIT_EXPECT_TRUE(test, fpk_holds(1, fpk_nop()));
	KUNIT_EXPECT_TRUE(test, fpk_holds(2, fpk_nop()));
	KUNIT_EXPECT_EQ(test, d.syncs, 0UL);
	KUNIT_EXPECT_EQ(test, d.sites, 0UL);
	KUNIT_EXPECT_EQ(test, d.failed, 1UL);
}

/*
 * The engine writes a call to kernel text, a jmp or the NOP: a call to
 * data or other bytes are refused, and the site left alone.
 */
static void fpk_refuse_insn(struct kunit *test)
{
	static const u8 ud2[MCOUNT_INSN_SIZE] = { 0x0f, 0x0b, 0x90, 0x90, 0x90 };
	static int not_text;
	u8 call0[MCOUNT_INSN_SIZE], to_data[MCOUNT_INSN_SIZE];
	struct ftrace_patch_site s[3];
	int ret;

	fpk_call(call0, 0, fpk_hit0);
	__text_gen_insn(to_data, CALL_INSN_OPCODE, (void *)fpk_ip(1),
			&not_text, CALL_INSN_SIZE);
	fpk_site(&s[0], fpk_ip(0), fpk_nop(), call0);
	fpk_site(&s[1], fpk_ip(1), fpk_nop(), to_data);
	fpk_site(&s[2], fpk_ip(2), fpk_nop(), ud2);
	ftrace_patch_kunit_lock();
	ret = ftrace_patch_batch(s, 3);
	ftrace_patch_kunit_unlock();

	KUNIT_EXPECT_EQ(test, ret, -EINVAL);
	KUNIT_EXPECT_EQ(test, s[0].err, 0);
	KUNIT_EXPECT_EQ(test, s[1].err, -EINVAL);
	KUNIT_EXPECT_EQ(test, s[2].err, -EINVAL);
	KUNIT_EXPECT_TRUE(test, fpk_holds(0, call0));
	KUNIT_EXPECT_TRUE(test, fpk_holds(1, fpk_nop()));
	KUNIT_EXPECT_TRUE(test, fpk_holds(2, fpk_nop()));
}

/* A request that names a site twice fails whole: nothing opened, no blame. */
static void fpk_duplicate(struct kunit *test)
{
	u8 call0[MCOUNT_INSN_SIZE], call1[MCOUNT_INSN_SIZE];
	struct ftrace_patch_stats before, d;
	struct ftrace_patch_site s[3];
	int ret;

	fpk_prep_two(s, call0, call1);
	fpk_site(&s[2], fpk_ip(0), fpk_nop(), call0);
	ftrace_patch_get_stats(&before);
	ftrace_patch_kunit_lock();
	ret = ftrace_patch_batch(s, 3);
	ftrace_patch_kunit_unlock();
	fpk_stats_delta(&d, &before);

	KUNIT_EXPECT_EQ(test, ret, -EEXIST);
	KUNIT_EXPECT_EQ(test, s[0].err, 0);
	KUNIT_EXPECT_EQ(test, s[1].err, 0);
	KUNIT_EXPECT_EQ(test, s[2].err, 0);
	KUNIT_EXPECT_TRUE(test, fpk_holds(0, fpk_nop()));
	KUNIT_EXPECT_TRUE(test, fpk_holds(1, fpk_nop()));
	KUNIT_EXPECT_EQ(test, d.syncs, 0UL);
}

static int fpk_reserve_fails(unsigned int nr)
{
	return -ENOMEM;
}

/*
 * No memory for a request is no site's fault: it fails whole, with no
 * site's ->err set and nothing written.
 */
static void fpk_nomem(struct kunit *test)
{
	u8 call0[MCOUNT_INSN_SIZE], call1[MCOUNT_INSN_SIZE];
	struct ftrace_patch_site s[2];
	int ret;

	fpk_prep_two(s, call0, call1);
	kunit_activate_static_stub(test, ftrace_patch_reserve, fpk_reserve_fails);
	ftrace_patch_kunit_lock();
	ret = ftrace_patch_batch(s, 2);
	ftrace_patch_kunit_unlock();
	kunit_deactivate_static_stub(test, ftrace_patch_reserve);

	KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
	KUNIT_EXPECT_EQ(test, s[0].err, 0);
	KUNIT_EXPECT_EQ(test, s[1].err, 0);
	KUNIT_EXPECT_TRUE(test, fpk_holds(0, fpk_nop()));
	KUNIT_EXPECT_TRUE(test, fpk_holds(1, fpk_nop()));
}

/* Overwrite the stack below this frame, where a callee's locals were. */
static noinline void fpk_clobber_stack(void)
{
	u8 junk[256];

	memset(junk, 0xa5, sizeof(junk));
	OPTIMIZER_HIDE_VAR(junk[0]);
}

/*
 * ftrace_bug() prints ftrace_expected after ftrace_make_nop() returned:
 * it must point at the call that was expected, not at a dead frame.
 */
static void fpk_expected_outlives(struct kunit *test)
{
	const void *expected = NULL;
	u8 call[MCOUNT_INSN_SIZE];
	int ret;

	ftrace_patch_kunit_lock();
	ret = ftrace_arch_kunit_make_nop(fpk_ip(0), &expected);
	ftrace_patch_kunit_unlock();
	fpk_clobber_stack();

	KUNIT_EXPECT_EQ(test, ret, -EINVAL);
	KUNIT_ASSERT_NOT_NULL(test, expected);
	KUNIT_EXPECT_FALSE(test, object_is_on_stack(expected));
	__text_gen_insn(call, CALL_INSN_OPCODE, (void *)fpk_ip(0),
			(void *)MCOUNT_ADDR, CALL_INSN_SIZE);
	KUNIT_EXPECT_MEMEQ(test, expected, call, MCOUNT_INSN_SIZE);
	KUNIT_EXPECT_TRUE(test, fpk_holds(0, fpk_nop()));
}

/* Every site back to the NOP, whatever the test left there. */
static void fpk_exit(struct kunit *test)
{
	struct ftrace_patch_site *s;
	unsigned int i, n = 0;

	s = kcalloc(FPK_SITES, sizeof(*s), GFP_KERNEL);
	if (!s)
		return;
	ftrace_patch_kunit_lock();
	for (i = 0; i < FPK_SITES; i++)
		if (!fpk_holds(i, fpk_nop()))
			fpk_site(&s[n++], fpk_ip(i), (const u8 *)fpk_ip(i),
				 fpk_nop());
	if (n)
		ftrace_patch_batch(s, n);
	ftrace_patch_kunit_unlock();
	kfree(s);
}

static struct kunit_case fpk_cases[] = {
	KUNIT_CASE(fpk_call_dest),
	KUNIT_CASE(fpk_batch),
	KUNIT_CASE(fpk_open_emulates),
	KUNIT_CASE(fpk_retarget),
	KUNIT_CASE(fpk_refuse_bytes),
	KUNIT_CASE(fpk_refuse_data),
	KUNIT_CASE(fpk_open_same),
	KUNIT_CASE(fpk_row_reversed),
	KUNIT_CASE(fpk_page_straddle),
	KUNIT_CASE(fpk_two_groups),
	KUNIT_CASE(fpk_handler),
	KUNIT_CASE(fpk_perf_old_bytes),
	KUNIT_CASE(fpk_refuse_all),
	KUNIT_CASE(fpk_refuse_insn),
	KUNIT_CASE(fpk_duplicate),
	KUNIT_CASE(fpk_nomem),
	KUNIT_CASE(fpk_expected_outlives),
	{}
};

static struct kunit_suite fpk_suite = {
	.name = "ftrace_patch",
	.exit = fpk_exit,
	.test_cases = fpk_cases,
};

kunit_test_suite(fpk_suite);

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_IMPORT_NS(FTRACE_PATCH_TEST);
MODULE_DESCRIPTION("KUnit tests of the x86 ftrace patch engine");
MODULE_LICENSE("GPL");
