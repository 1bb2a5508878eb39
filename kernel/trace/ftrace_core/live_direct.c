// SPDX-License-Identifier: GPL-2.0
/*
 * live_direct.c - direct calls when our core runs ftrace
 * (CONFIG_FTRACE_OWN_CORE_LIVE): register_ftrace_direct() and
 * unregister_ftrace_direct().
 *
 * A direct ops is an ops with FTRACE_OPS_FL_DIRECT whose slot carries its
 * direct address (live.c): a site it alone covers calls that address
 * straight (update.c's targets); a site it shares with other ops calls
 * ftrace_regs_caller (the ops asks for pt_regs), whose list function runs
 * the ops' callback, which points the return of ftrace_regs_caller at the
 * address (arch_ftrace_set_direct_caller()).  At most one direct ops per
 * site: a second is refused with -EBUSY.
 *
 * Moving a direct ops to another address changes no site's state: the
 * sites it alone covers go from the old address to the new one in one
 * run of the engine (ftrace_reg_redirect()), and then the callback of
 * its shared sites reads the new address.  Before the move, an ops that
 * shares sites with an IPMODIFY ops is asked again whether it can
 * (ops_func, ENABLE_SHARE_IPMODIFY_SELF), as upstream's core asks it.  A
 * failed move leaves no task on its way to the new address; after a
 * move, a task may still be on its way to the old one: the caller frees
 * it only after its own wait (bpf trampolines wait for RCU-tasks), as
 * with upstream's core.
 *
 * Locking: the ops' regex_lock > ftrace_lock: registration reads the
 * filter and registers with no writer in between.  ftrace_lock stands
 * for upstream's direct_mutex: modify_ftrace_direct_nolock() is called
 * with it held, from an ops_func the core runs (bpf trampolines asked to
 * share a site with an IPMODIFY ops).
 */
#include <linux/ftrace.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>

#include "../ftrace_internal.h"
#include "live.h"

/* At a shared site: send ftrace_regs_caller on to the direct address. */
static notrace void direct_func(unsigned long ip, unsigned long parent_ip,
				struct ftrace_ops *ops,
				struct ftrace_regs *fregs)
{
	unsigned long addr = READ_ONCE(ops->direct_call);

	if (addr)
		arch_ftrace_set_direct_caller(fregs, addr);
}

NOKPROBE_SYMBOL(direct_func);

/**
 * ftrace_live_direct_taken() - does a direct ops cover a site of @f?
 * @f: a set of sites (SOME)
 *
 * The registry's slots: the registered ops, and the zombies, whose
 * sites still call their address.
 *
 * Context: ftrace_lock held.
 * Return: true if one does.
 */
notrace bool ftrace_live_direct_taken(const struct ftrace_sites *f)
{
	const struct ftrace_registry *r = &ftrace_live_registry;
	const struct ftrace_acct_ops *o;
	unsigned int k, i;

	lockdep_assert_held(&ftrace_lock);
	for (k = 0; k < r->nslot; k++) {
		o = r->slot[k];
		if (!o || !(o->flags & FTRACE_OPS_FL_DIRECT))
			continue;
		for (i = 0; i < f->nr; i++)
			if (ftrace_acct_covers(o, f->ip[i]))
				return true;
	}
	return false;
}

/**
 * register_ftrace_direct() - call @addr at the sites of @ops' filter
 * @ops: the ops, its filter listing the sites, not registered
 * @addr: the direct trampoline
 *
 * Return: 0; -EINVAL (no address, a filter that lists no site, or @ops
 * registered); -EBUSY if a site has a direct call already; the
 * registry's error.
 */
notrace int register_ftrace_direct(struct ftrace_ops *ops, unsigned long addr)
{
	struct ftrace_sites *f;
	struct ftrace_hash *h;
	int ret;

	if (!addr)
		return -EINVAL;
	ftrace_core_ops_init(ops);
	/* no writer of the filter between this read and the registration */
	mutex_lock(&ops->func_hash->regex_lock);
	mutex_lock(&ftrace_lock);
	ret = -EINVAL;
	if (ops->flags & FTRACE_OPS_FL_ENABLED)
		goto out;
	h = rcu_dereference_protected(ops->func_hash->filter_hash,
				      lockdep_is_held(&ops->func_hash->regex_lock));
	f = ftrace_hash_live(h, true);
	if (f->kind != FTRACE_SITES_SOME)
		goto out;
	ret = -EBUSY;
	if (ftrace_live_direct_taken(f))
		goto out;
	ops->func = direct_func;
	ops->direct_call = addr;
	ops->flags |= FTRACE_OPS_FL_DIRECT | FTRACE_OPS_FL_SAVE_REGS;
	ret = ftrace_startup(ops, 0);
	if (ret) {
		ops->flags &= ~FTRACE_OPS_FL_DIRECT;
		ops->direct_call = 0;
	}
out:
	mutex_unlock(&ftrace_lock);
	mutex_unlock(&ops->func_hash->regex_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(register_ftrace_direct);

/**
 * unregister_ftrace_direct() - stop a direct ops
 * @ops: the ops
 * @addr: its address
 * @free_filters: drop its sets too
 *
 * Return: 0; -EINVAL if @ops is not a registered direct ops at @addr.
 */
notrace int unregister_ftrace_direct(struct ftrace_ops *ops, unsigned long addr,
				     bool free_filters)
{
	int ret = -EINVAL;

	mutex_lock(&ftrace_lock);
	if ((ops->flags & FTRACE_OPS_FL_DIRECT) && ops->direct_call == addr)
		ret = ftrace_shutdown(ops, 0);
	if (!ret) {
		ops->flags &= ~FTRACE_OPS_FL_DIRECT;
		ops->direct_call = 0;
	}
	mutex_unlock(&ftrace_lock);
	if (!ret && free_filters)
		ftrace_core_free_filter(ops);
	return ret;
}
EXPORT_SYMBOL_GPL(unregister_ftrace_direct);

static notrace int live_direct_modify(struct ftrace_ops *ops,
				      unsigned long addr)
{
	int ret;

	lockdep_assert_held(&ftrace_lock);
	if (!addr || !(ops->flags & FTRACE_OPS_FL_DIRECT) ||
	    !(ops->flags & FTRACE_OPS_FL_ENABLED))
		return -EINVAL;
	if (addr == ops->direct_call)
		return 0;
	/* the engine's own rule, also for an ops whose sites are all shared */
	if (!kernel_text_address(addr))
		return -EINVAL;
	/* a bpf trampoline sharing with a livepatch may need rebuilding */
	ret = ftrace_live_share_self(ops);
	if (ret)
		return ret;
	/* no site leaves or joins a caller: the callers stay settled */
	ftrace_live_reg_begin(false);
	ret = ftrace_reg_redirect(&ftrace_live_registry,
				  ftrace_live_acct_of(ops), addr);
	ftrace_live_reg_end();
	/*
	 * Only now the shared sites' callback: a failure must not have sent
	 * a task to @addr, which the caller frees then.
	 */
	if (!ret)
		WRITE_ONCE(ops->direct_call, addr);
	return ret;
}

/**
 * modify_ftrace_direct() - move a direct ops to another address
 * @ops: the ops, registered with register_ftrace_direct()
 * @addr: the new address
 *
 * Context: process context, ftrace_lock not held; may sleep.
 * Return: 0; -EINVAL if @ops is not a registered direct ops or @addr is
 * 0; -ENOMEM or the engine's own error: nothing changed.
 */
notrace int modify_ftrace_direct(struct ftrace_ops *ops, unsigned long addr)
{
	int ret;

	mutex_lock(&ftrace_lock);
	ret = live_direct_modify(ops, addr);
	mutex_unlock(&ftrace_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(modify_ftrace_direct);

/**
 * modify_ftrace_direct_nolock() - modify_ftrace_direct() for an ops_func
 * @ops: the ops, registered with register_ftrace_direct()
 * @addr: the new address
 *
 * Context: ftrace_lock held (an ops_func the core runs); may sleep.
 * Return: as modify_ftrace_direct().
 */
notrace int modify_ftrace_direct_nolock(struct ftrace_ops *ops,
					unsigned long addr)
{
	return live_direct_modify(ops, addr);
}
EXPORT_SYMBOL_GPL(modify_ftrace_direct_nolock);
