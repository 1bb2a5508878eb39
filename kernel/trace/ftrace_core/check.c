// SPDX-License-Identifier: GPL-2.0
/*
 * The checker: every live site's count and flags recomputed from scratch
 * from the registered ops (accounting.c's pure function of their sets),
 * and every site's text compared with what its record says it holds.
 *
 * tracefs ftrace_core/check, on each read:
 *
 *   N sites, M count mismatches, K text mismatches
 *   O ops enabled, C sites covered, ftrace on|off
 *   count <function>+<off> <ip>: have <count>/<flags>, want <count>/<flags>
 *   text <function>+<off> <ip>: have <5 bytes>, want <5 bytes>
 *   ...                       (the first CHECK_LIST of each kind)
 *
 * make check reads it after every kselftest the core kernel runs and
 * requires 0 and 0.  A mismatch is reported (here and with one line in
 * the kernel log), never a reason to stop ftrace.
 *
 * Beside upstream's core (the core kernel until ours replaces it) the
 * records are upstream's (struct dyn_ftrace, walked with the arch's
 * ftrace_rec_iter) and the ops are upstream's ftrace_ops_list: the check
 * is then an oracle of our accounting against upstream's incremental
 * counts, on every test, and reports only (it does not write upstream's
 * records).  What is compared of a record:
 *   - the count: how many enabled ops cover the site (filter holds it,
 *     notrace does not; an empty upstream filter hash means all sites, an
 *     empty notrace hash none; converted at this boundary to our ALL,
 *     SOME and NONE sets);
 *   - DIRECT and TRAMP (one ops covers it, and has a trampoline);
 *   - REGS and IPMODIFY where the count is not 0 (upstream leaves REGS
 *     set on a record whose last ops went, and sets IPMODIFY from a
 *     filter alone: at count 0 neither means anything);
 *   - the text: with ftrace enabled (sysctl) and the count not 0, a call
 *     to the trampoline the record says it uses (ftrace_get_addr_curr());
 *     otherwise the 5-byte NOP.  Not checked once ftrace is dead.
 * Records of a module still being set up (FTRACE_FL_DISABLED) are not
 * sites yet.
 *
 * Locking: the whole check runs under ftrace_lock, which every change of
 * the ops list, of an ops's hashes, of the records and of their text
 * takes (the text changes with text_mutex inside it): what it reads is
 * one consistent state.  It allocates (GFP_KERNEL) and may sleep.
 */
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/ftrace.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/seq_buf.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <asm/nops.h>
#include <asm/text-patching.h>

#include "../ftrace_internal.h"
#include "../trace.h"
#include "internal.h"

#define CHECK_INSN	MCOUNT_INSN_SIZE
#define CHECK_LIST	32	/* mismatches listed of each kind */
#define CHECK_BUF	(2 * CHECK_LIST * 160)

/* The registered ops as the accounting sees them. */
struct check_ops {
	unsigned int nr;
	struct ftrace_acct_ops *acct;
	const struct ftrace_acct_ops **ptr;
};

struct check_run {
	struct seq_buf lines;	/* the mismatches listed */
	unsigned long sites, counts, texts;
	unsigned long covered;	/* sites some ops covers */
	unsigned int ops;	/* enabled ops */
};

/*
 * Upstream's hash as a site set: an empty hash is @empty (ALL for a
 * filter, NONE for a notrace hash), else the SOME set of its entries.
 */
static notrace struct ftrace_sites *check_hash_sites(struct ftrace_hash *h,
						     struct ftrace_sites *empty)
{
	struct ftrace_ipvec v = {};
	struct ftrace_func_entry *e;
	struct ftrace_sites *s;
	unsigned long i;

	if (ftrace_hash_empty(h))
		return empty;
	for (i = 0; i < BIT(h->size_bits); i++)
		hlist_for_each_entry(e, &h->buckets[i], hlist)
			if (ftrace_ipvec_push(&v, e->ip, GFP_KERNEL)) {
				ftrace_ipvec_free(&v);
				return ERR_PTR(-ENOMEM);
			}
	s = ftrace_sites_from(v.ip, v.nr, GFP_KERNEL);
	ftrace_ipvec_free(&v);
	return s ? s : ERR_PTR(-ENOMEM);
}

static notrace void check_ops_free(struct check_ops *co)
{
	unsigned int i;

	for (i = 0; i < co->nr; i++) {
		ftrace_sites_put(co->acct[i].filter);
		ftrace_sites_put(co->acct[i].notrace_sites);
	}
	kfree(co->acct);
	kfree(co->ptr);
}

/* The enabled ops of upstream's list, their hashes as our site sets. */
static notrace int check_ops_snapshot(struct check_ops *co)
{
	struct ftrace_ops *op;
	unsigned int n = 0;

	lockdep_assert_held(&ftrace_lock);
	for (op = rcu_dereference_protected(ftrace_ops_list,
					    lockdep_is_held(&ftrace_lock));
	     op != &ftrace_list_end;
	     op = rcu_dereference_protected(op->next,
					    lockdep_is_held(&ftrace_lock)))
		n++;
	co->nr = 0;
	co->acct = kcalloc(max(n, 1U), sizeof(*co->acct), GFP_KERNEL);
	co->ptr = kcalloc(max(n, 1U), sizeof(*co->ptr), GFP_KERNEL);
	if (!co->acct || !co->ptr)
		goto nomem;
	for (op = rcu_dereference_protected(ftrace_ops_list,
					    lockdep_is_held(&ftrace_lock));
	     op != &ftrace_list_end;
	     op = rcu_dereference_protected(op->next,
					    lockdep_is_held(&ftrace_lock))) {
		struct ftrace_acct_ops *a = &co->acct[co->nr];
		struct ftrace_ops_hash *fh = op->func_hash;

		if (!(op->flags & FTRACE_OPS_FL_ENABLED) ||
		    (op->flags & FTRACE_OPS_FL_STUB))
			continue;
		a->filter = check_hash_sites(fh ? fh->filter_hash : NULL,
					     FTRACE_SITES_ALL_SET);
		a->notrace_sites = check_hash_sites(fh ? fh->notrace_hash
						       : NULL,
						    FTRACE_SITES_NONE_SET);
		if (IS_ERR(a->filter) || IS_ERR(a->notrace_sites)) {
			if (!IS_ERR(a->filter))
				ftrace_sites_put(a->filter);
			if (!IS_ERR(a->notrace_sites))
				ftrace_sites_put(a->notrace_sites);
			goto nomem;
		}
		a->flags = op->flags;
		a->tramp = op->trampoline;
		co->ptr[co->nr] = a;
		co->nr++;
	}
	return 0;
nomem:
	check_ops_free(co);
	return -ENOMEM;
}

/* A record's flags in the accounting's terms (count and flag bits). */
static notrace u32 check_rec_state(const struct dyn_ftrace *rec)
{
	u32 st = min_t(unsigned long, ftrace_rec_count(rec), FTRACE_ACCT_COUNT);

	if (rec->flags & FTRACE_FL_REGS)
		st |= FTRACE_ACCT_REGS;
	if (rec->flags & FTRACE_FL_IPMODIFY)
		st |= FTRACE_ACCT_IPMODIFY;
	if (rec->flags & FTRACE_FL_DIRECT)
		st |= FTRACE_ACCT_DIRECT;
	if (rec->flags & FTRACE_FL_TRAMP)
		st |= FTRACE_ACCT_TRAMP;
	return st;
}

/* The bits compared: REGS and IPMODIFY mean nothing at count 0. */
static notrace u32 check_mask(u32 want)
{
	u32 mask = FTRACE_ACCT_COUNT | FTRACE_ACCT_DIRECT | FTRACE_ACCT_TRAMP;

	if (want & FTRACE_ACCT_COUNT)
		mask |= FTRACE_ACCT_REGS | FTRACE_ACCT_IPMODIFY;
	return mask;
}

static notrace void check_count(struct check_run *r, struct dyn_ftrace *rec,
				const struct check_ops *co)
{
	u32 want = ftrace_acct_compute(rec->ip, co->ptr, co->nr);
	u32 have = check_rec_state(rec);
	char h[16], w[16];

	if (want & FTRACE_ACCT_COUNT)
		r->covered++;

	if (!((want ^ have) & check_mask(want)))
		return;
	if (r->counts++ >= CHECK_LIST)
		return;
	ftrace_acct_state_str(h, sizeof(h), have);
	ftrace_acct_state_str(w, sizeof(w), want);
	seq_buf_printf(&r->lines, "count %pS %lx: have %s, want %s\n",
		       (void *)rec->ip, rec->ip, h, w);
}

static notrace void check_text(struct check_run *r, struct dyn_ftrace *rec)
{
	u8 have[CHECK_INSN], want[CHECK_INSN];

	if (ftrace_enabled && ftrace_rec_count(rec))
		memcpy(want, text_gen_insn(CALL_INSN_OPCODE, (void *)rec->ip,
					   (void *)ftrace_get_addr_curr(rec)),
		       CHECK_INSN);
	else
		memcpy(want, x86_nops[5], CHECK_INSN);
	if (copy_from_kernel_nofault(have, (void *)rec->ip, CHECK_INSN))
		memset(have, 0, CHECK_INSN);
	else if (!memcmp(have, want, CHECK_INSN))
		return;
	if (r->texts++ >= CHECK_LIST)
		return;
	seq_buf_printf(&r->lines, "text %pS %lx: have %*phN, want %*phN\n",
		       (void *)rec->ip, rec->ip, CHECK_INSN, have, CHECK_INSN,
		       want);
}

static notrace int check_show(struct seq_file *m, void *v)
{
	struct check_run r = {};
	struct ftrace_rec_iter *iter;
	struct check_ops co;
	char *buf;
	bool dead;
	int ret;

	buf = kmalloc(CHECK_BUF, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	seq_buf_init(&r.lines, buf, CHECK_BUF);
	mutex_lock(&ftrace_lock);
	ret = check_ops_snapshot(&co);
	if (ret)
		goto unlock;
	dead = ftrace_is_dead();
	r.ops = co.nr;
	for_ftrace_rec_iter(iter) {
		struct dyn_ftrace *rec = ftrace_rec_iter_record(iter);

		if (rec->flags & FTRACE_FL_DISABLED)
			continue;
		r.sites++;
		check_count(&r, rec, &co);
		if (!dead)
			check_text(&r, rec);
	}
	check_ops_free(&co);
unlock:
	mutex_unlock(&ftrace_lock);
	if (!ret) {
		seq_printf(m, "%lu sites, %lu count mismatches, %lu text mismatches\n",
			   r.sites, r.counts, r.texts);
		seq_printf(m, "%u ops enabled, %lu sites covered, ftrace %s\n",
			   r.ops, r.covered, ftrace_enabled ? "on" : "off");
		seq_write(m, buf, seq_buf_used(&r.lines));
		if (r.counts > CHECK_LIST || r.texts > CHECK_LIST)
			seq_printf(m, "(the first %u of each kind listed)\n",
				   CHECK_LIST);
		if (dead)
			seq_puts(m, "(ftrace is dead: text not checked)\n");
		if (r.counts || r.texts)
			pr_warn_ratelimited("ftrace_core: check: %lu count and %lu text mismatches in %lu sites\n",
					    r.counts, r.texts, r.sites);
	}
	kfree(buf);
	return ret;
}

static notrace int check_open(struct inode *inode, struct file *file)
{
	return single_open_size(file, check_show, NULL, CHECK_BUF + 256);
}

const struct file_operations ftrace_core_check_fops = {
	.open = check_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};
