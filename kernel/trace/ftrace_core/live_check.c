// SPDX-License-Identifier: GPL-2.0
/*
 * live_check.c - the checker when our core runs ftrace
 * (CONFIG_FTRACE_OWN_CORE_LIVE): tracefs ftrace_core/check recomputes
 * every live site's state from the registered ops (ftrace_reg_check(),
 * repairing a wrong one), and compares every site's text with the call
 * its state gives it (ftrace_reg_target()), or the NOP.
 *
 *   N sites, M count mismatches, K text mismatches
 *   O ops enabled, C sites covered, Q quarantined, ftrace on|off
 *   memory: B bytes for S records (N of names), P.PP bytes per site
 *   count <function>+<off> <ip>: have <count>/<flags>, want <count>/<flags>
 *   text <function>+<off> <ip>: have <5 bytes>, want <5 bytes>
 *   quarantined <function>+<off> <ip>: expected <5 bytes>, found <5 bytes> (errno)
 *
 * A mismatch is reported, and a wrong state repaired from the
 * recomputation; never a reason to stop ftrace.  Quarantined sites are
 * left out of both comparisons and listed with what the engine found.
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

#include "internal.h"

#define LCHECK_INSN	MCOUNT_INSN_SIZE
#define LCHECK_LIST	32
#define LCHECK_BUF	(3 * LCHECK_LIST * 160)

struct lcheck_run {
	struct seq_buf lines;
	unsigned long sites, counts, texts, covered;
	size_t bytes, names, records;
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

static notrace void lcheck_text(struct lcheck_run *r, unsigned long ip,
				u32 st)
{
	unsigned long to = ftrace_reg_target(&ftrace_live_registry, ip, st);
	u8 have[LCHECK_INSN], want[LCHECK_INSN];

	if (to)
		memcpy(want, text_gen_insn(CALL_INSN_OPCODE, (void *)ip,
					   (void *)to), LCHECK_INSN);
	else
		memcpy(want, x86_nops[5], LCHECK_INSN);
	if (copy_from_kernel_nofault(have, (void *)ip, LCHECK_INSN))
		memset(have, 0, LCHECK_INSN);
	else if (!memcmp(have, want, LCHECK_INSN))
		return;
	if (r->texts++ >= LCHECK_LIST)
		return;
	seq_buf_printf(&r->lines, "text %pS %lx: have %*phN, want %*phN\n",
		       (void *)ip, ip, LCHECK_INSN, have, LCHECK_INSN, want);
}

static notrace int lcheck_show(struct seq_file *m, void *v)
{
	struct ftrace_registry *reg = &ftrace_live_registry;
	struct ftrace_quarantined *q;
	struct lcheck_run r = {};
	struct ftrace_chunk *c;
	unsigned int i, nops = 0;
	char *buf;

	buf = kmalloc(LCHECK_BUF, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	seq_buf_init(&r.lines, buf, LCHECK_BUF);
	mutex_lock(&ftrace_lock);
	ftrace_live_reg_begin(true);	/* a repair may take sites away */
	ftrace_reg_check(reg, true, lcheck_report, &r);
	for (i = 0; i < reg->nslot; i++)
		nops += !!reg->slot[i];
	for (c = reg->next(reg, NULL); c; c = reg->next(reg, c)) {
		size_t names;

		r.bytes += ftrace_chunk_bytes(c, &names);
		r.names += names;
		r.records += c->nr;
		for (i = 0; i < c->nr; i++) {
			u32 st = READ_ONCE(c->state[i]);

			if (ftrace_chunk_site_gone(c, i) ||
			    (st & FTRACE_ACCT_QUARANTINE))
				continue;
			r.sites++;
			if (st & FTRACE_ACCT_COUNT)
				r.covered++;
			lcheck_text(&r, c->ip[i], st);
		}
	}
	list_for_each_entry(q, &reg->quarantine, list)
		seq_buf_printf(&r.lines,
			       "quarantined %pS %lx: expected %*phN, found %*phN (%d)\n",
			       (void *)q->ip, q->ip, LCHECK_INSN, q->expected,
			       LCHECK_INSN, q->found, q->err);
	ftrace_live_reg_end();
	mutex_unlock(&ftrace_lock);

	seq_printf(m, "%lu sites, %lu count mismatches, %lu text mismatches\n",
		   r.sites, r.counts, r.texts);
	seq_printf(m, "%u ops enabled, %lu sites covered, %u quarantined, ftrace %s\n",
		   nops, r.covered, reg->nr_quarantined,
		   READ_ONCE(ftrace_enabled) ? "on" : "off");
	seq_printf(m, "memory: %zu bytes for %zu records (%zu of names), %zu.%02zu bytes per site\n",
		   r.bytes, r.records, r.names, r.bytes / max(r.records, 1UL),
		   r.bytes * 100 / max(r.records, 1UL) % 100);
	seq_write(m, buf, seq_buf_used(&r.lines));
	if (r.counts || r.texts)
		pr_warn_ratelimited("ftrace_core: check: %lu count and %lu text mismatches in %lu sites\n",
				    r.counts, r.texts, r.sites);
	kfree(buf);
	return 0;
}

static int lcheck_open(struct inode *inode, struct file *file)
{
	return single_open_size(file, lcheck_show, NULL, LCHECK_BUF + 256);
}

const struct file_operations ftrace_core_check_fops = {
	.open = lcheck_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};
