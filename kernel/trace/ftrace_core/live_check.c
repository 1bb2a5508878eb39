// SPDX-License-Identifier: GPL-2.0
/*
 * live_check.c - the checker when our core runs ftrace
 * (CONFIG_FTRACE_OWN_CORE_LIVE): tracefs ftrace_core/check recomputes
 * every live site's state from the registered ops (ftrace_reg_check(),
 * repairing a wrong one), and compares every site's text with the call
 * its state gives it (ftrace_reg_target()), or the NOP.  First, every
 * registered ops' slot against the sets its shells hold, stale addresses
 * left out (ftrace_live_check_sets(): a wrong slot counts as a count
 * mismatch, "count sets of <ops>", and is set right).
 *
 *   N sites, M count mismatches, K text mismatches
 *   O ops enabled, C sites covered, Q quarantined, ftrace on|off
 *   memory: B bytes for S records (N of names), P.PP bytes per site
 *   repair: R sites rewritten, F refused (quarantined)   (if any)
 *   count <function>+<off> <ip>: have <count>/<flags>, want <count>/<flags>
 *   text <function>+<off> <ip>: have <5 bytes>, want <5 bytes>
 *   quarantined <function>+<off> <ip>: expected <5 bytes>, found <5 bytes> (errno)
 * (each list at most LCHECK_LIST lines: the file's size is bounded, so
 * seq_read never runs the check twice for one read)
 *
 * A mismatch is reported and repaired from the recomputation; never a
 * reason to stop ftrace.  A wrong state is stored right first; then a
 * site whose text is the NOP or a call, but not the one its state says,
 * gets the right one (all of them in one run of the engine, up to
 * LCHECK_FIX per read, the rest at the next); a site holding anything
 * else holds another patcher's bytes and is quarantined, as the engine
 * would have it.  Quarantined sites are left out of both comparisons and
 * listed with what the engine found.
 *
 * Locking: the whole check runs under ftrace_lock >
 * ftrace_core_chunks_lock: one consistent state of the ops, the states
 * and the text.
 */
#include <linux/fs.h>
#include <linux/ftrace.h>
#include <linux/seq_buf.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <asm/nops.h>
#include <asm/text-patching.h>

#include "live.h"

#define LCHECK_INSN	MCOUNT_INSN_SIZE
#define LCHECK_LIST	32
#define LCHECK_BUF	(3 * LCHECK_LIST * 160 + 64)
#define LCHECK_FIX	64

struct lcheck_run {
	struct seq_buf lines;
	unsigned long sites, counts, texts, covered;
	size_t bytes, names, records;
	struct ftrace_site_change *fix;	/* LCHECK_FIX of them */
	unsigned int nr_fix, refused;
	int fix_err;
};

static notrace void lcheck_report(void *data, struct ftrace_chunk *c,
				  unsigned int site, u32 have, u32 want)
{
	struct lcheck_run *r = data;
	char h[16], w[16];

	if (r->counts++ >= LCHECK_LIST)
		return;
	ftrace_acct_state_str(h, sizeof(h), have);
	ftrace_acct_state_str(w, sizeof(w), want);
	seq_buf_printf(&r->lines, "count %pS %lx: have %s, want %s\n",
		       (void *)c->ip[site], c->ip[site], h, w);
}

/*
 * Site @ip holds @have where @want (a call to @to, or the NOP) belongs:
 * plan the engine's change from what @have calls, or quarantine the site
 * if @have is neither a call nor the NOP.
 */
static notrace void lcheck_fix(struct lcheck_run *r, unsigned long ip,
			       const u8 *have, const u8 *want,
			       unsigned long to)
{
	struct ftrace_site_change *ch;

	if (!r->fix || r->nr_fix == LCHECK_FIX)
		return;
	ch = &r->fix[r->nr_fix];
	memset(ch, 0, sizeof(*ch));
	ch->ip = ip;
	ch->to = to;
	ch->from = ftrace_site_call_target(have, ip);
	if (!ch->from && memcmp(have, x86_nops[5], LCHECK_INSN)) {
		/* as the engine would: it should have held @to (nr_calling) */
		ch->from = to;
		ch->err = -EINVAL;
		memcpy(ch->expected, want, LCHECK_INSN);
		memcpy(ch->found, have, LCHECK_INSN);
		ftrace_reg_quarantine(&ftrace_live_registry, ch);
		return;
	}
	r->nr_fix++;
}

static notrace void lcheck_text(struct lcheck_run *r, unsigned long ip,
				u32 st)
{
	unsigned long to = ftrace_reg_target(&ftrace_live_registry, ip, st);
	u8 have[LCHECK_INSN], want[LCHECK_INSN];
	bool readable;

	if (to)
		memcpy(want, text_gen_insn(CALL_INSN_OPCODE, (void *)ip,
					   (void *)to), LCHECK_INSN);
	else
		memcpy(want, x86_nops[5], LCHECK_INSN);
	readable = !copy_from_kernel_nofault(have, (void *)ip, LCHECK_INSN);
	if (!readable)
		memset(have, 0, LCHECK_INSN);
	else if (!memcmp(have, want, LCHECK_INSN))
		return;
	if (r->texts++ < LCHECK_LIST)
		seq_buf_printf(&r->lines, "text %pS %lx: have %*phN, want %*phN\n",
			       (void *)ip, ip, LCHECK_INSN, have, LCHECK_INSN,
			       want);
	if (readable)
		lcheck_fix(r, ip, have, want, to);
}

/* A registered ops whose slot does not hold what its shells say. */
static notrace void lcheck_set_report(void *data, struct ftrace_ops *ops)
{
	struct lcheck_run *r = data;

	seq_buf_printf(&r->lines, "count sets of %ps: the registry's differ from the ops'\n",
		       ops->saved_func ?: ops->func);
}

/* One check: every state and every text, repaired where wrong. */
static notrace void lcheck_collect(struct lcheck_run *r, unsigned int *nops)
{
	struct ftrace_registry *reg = &ftrace_live_registry;
	struct ftrace_quarantined *q;
	struct ftrace_chunk *c;
	unsigned int i;

	mutex_lock(&ftrace_lock);
	/* the slots first: the states are computed from them */
	r->counts += ftrace_live_check_sets(lcheck_set_report, r);
	ftrace_live_reg_begin(true);	/* a repair may take sites away */
	ftrace_reg_check(reg, true, lcheck_report, r);
	for (*nops = 0, i = 0; i < reg->nslot; i++)
		*nops += !!reg->slot[i];
	for (c = reg->next(reg, NULL); c; c = reg->next(reg, c)) {
		size_t names;

		r->bytes += ftrace_chunk_bytes(c, &names);
		r->names += names;
		r->records += c->nr;
		for (i = 0; i < c->nr; i++) {
			u32 st = READ_ONCE(c->state[i]);

			if (ftrace_chunk_site_gone(c, i) ||
			    (st & FTRACE_ACCT_QUARANTINE))
				continue;
			r->sites++;
			if (st & FTRACE_ACCT_COUNT)
				r->covered++;
			lcheck_text(r, c->ip[i], st);
		}
	}
	r->fix_err = ftrace_reg_repair(reg, r->fix, r->nr_fix);
	for (i = 0; !r->fix_err && i < r->nr_fix; i++)
		r->refused += !!r->fix[i].err;
	i = 0;
	list_for_each_entry(q, &reg->quarantine, list)
		if (i++ < LCHECK_LIST)
			seq_buf_printf(&r->lines,
				       "quarantined %pS %lx: expected %*phN, found %*phN (%d)\n",
				       (void *)q->ip, q->ip, LCHECK_INSN,
				       q->expected, LCHECK_INSN, q->found, q->err);
	if (i > LCHECK_LIST)
		seq_buf_printf(&r->lines, "quarantined: %u more\n",
			       i - LCHECK_LIST);
	ftrace_live_reg_end();
	mutex_unlock(&ftrace_lock);
}

/**
 * ftrace_live_check_texts() - run the check, repairs included, as a read
 * of ftrace_core/check does
 *
 * Context: process context; may sleep.
 * Return: how many sites' text it found wrong (0 if it had no memory).
 */
notrace unsigned long ftrace_live_check_texts(void)
{
	struct lcheck_run r = {};
	unsigned int nops;
	char *buf;

	buf = kmalloc(LCHECK_BUF, GFP_KERNEL);
	r.fix = kmalloc_array(LCHECK_FIX, sizeof(*r.fix), GFP_KERNEL);
	if (buf && r.fix) {
		seq_buf_init(&r.lines, buf, LCHECK_BUF);
		lcheck_collect(&r, &nops);
	}
	kfree(r.fix);
	kfree(buf);
	return r.texts;
}

static notrace int lcheck_show(struct seq_file *m, void *v)
{
	struct ftrace_registry *reg = &ftrace_live_registry;
	struct lcheck_run r = {};
	unsigned int nops;
	char *buf;

	buf = kmalloc(LCHECK_BUF, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	seq_buf_init(&r.lines, buf, LCHECK_BUF);
	/* without it the check still reports, and repairs states only */
	r.fix = kmalloc_array(LCHECK_FIX, sizeof(*r.fix), GFP_KERNEL);
	lcheck_collect(&r, &nops);

	seq_printf(m, "%lu sites, %lu count mismatches, %lu text mismatches\n",
		   r.sites, r.counts, r.texts);
	seq_printf(m, "%u ops enabled, %lu sites covered, %u quarantined, ftrace %s\n",
		   nops, r.covered, reg->nr_quarantined,
		   READ_ONCE(ftrace_enabled) ? "on" : "off");
	seq_printf(m, "memory: %zu bytes for %zu records (%zu of names), %zu.%02zu bytes per site\n",
		   r.bytes, r.records, r.names, r.bytes / max(r.records, 1UL),
		   r.bytes * 100 / max(r.records, 1UL) % 100);
	if (r.nr_fix && r.fix_err)
		seq_printf(m, "repair: none of %u sites rewritten (%d)\n",
			   r.nr_fix, r.fix_err);
	else if (r.nr_fix)
		seq_printf(m, "repair: %u sites rewritten, %u refused (quarantined)\n",
			   r.nr_fix - r.refused, r.refused);
	seq_write(m, buf, seq_buf_used(&r.lines));
	if (r.counts || r.texts)
		pr_warn_ratelimited("ftrace_core: check: %lu count and %lu text mismatches in %lu sites\n",
				    r.counts, r.texts, r.sites);
	kfree(r.fix);
	kfree(buf);
	return 0;
}

static notrace int lcheck_open(struct inode *inode, struct file *file)
{
	return single_open_size(file, lcheck_show, NULL, LCHECK_BUF + 1024);
}

const struct file_operations ftrace_core_check_fops = {
	.open = lcheck_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};
