// SPDX-License-Identifier: GPL-2.0
/*
 * ftrace_tramp.c - per-ops ftrace trampolines on x86_64.
 *
 * An ops that is the only one tracing a site may get its own copy of
 * ftrace_caller (or of ftrace_regs_caller when it wants full registers):
 * the copy passes the ops itself, from a slot after its code, instead of
 * function_trace_op, and calls ftrace_ops_get_func(ops) directly instead
 * of the list function.  Layout of a trampoline:
 *
 *	[copy of the caller][ret (or jmp return thunk)][struct ftrace_ops *]
 *
 * Invariants: a trampoline is built (not live yet) with plain writes,
 * then made read-only and executable; afterwards only its call is ever
 * changed, through the patch engine under text_mutex.  The core frees a
 * trampoline only after no task can be running in it.  Which caller a
 * trampoline copies is read from its size, never from the ops' flags,
 * which a static ops may change between two registrations
 * (ftrace_tramp_fits()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/execmem.h>
#include <linux/ftrace.h>
#include <linux/memory.h>
#include <linux/set_memory.h>
#include <linux/uaccess.h>

#include <asm/ftrace.h>
#include <asm/ftrace_sites.h>
#include <asm/nops.h>
#include <asm/text-patching.h>

#include "ftrace_patch.h"

/* "movq disp32(%rip), %rdx" loads the ops; 3 opcode bytes, then disp32 */
static const u8 op_load[] = { 0x48, 0x8b, 0x15 };
#define OP_LOAD_SIZE	7
#define JNZ8_OPCODE	0x75

#define TRAMP_RET_SIZE	(IS_ENABLED(CONFIG_MITIGATION_RETPOLINE) ? \
			 JMP32_INSN_SIZE : \
			 RET_INSN_SIZE + IS_ENABLED(CONFIG_MITIGATION_SLS))

/* Offsets, from the start of the caller a trampoline copies. */
struct tramp_shape {
	unsigned long start;
	unsigned long size;
	unsigned long op_ptr;
	unsigned long call;
	unsigned long jnz;	/* 0: none */
};

static void tramp_shape(bool regs, struct tramp_shape *t)
{
	if (regs) {
		t->start = (unsigned long)ftrace_regs_caller;
		t->size = (unsigned long)ftrace_regs_caller_end - t->start;
		t->op_ptr = (unsigned long)ftrace_regs_caller_op_ptr - t->start;
		t->call = (unsigned long)ftrace_regs_call - t->start;
		t->jnz = (unsigned long)ftrace_regs_caller_jmp - t->start;
	} else {
		t->start = (unsigned long)ftrace_caller;
		t->size = (unsigned long)ftrace_caller_end - t->start;
		t->op_ptr = (unsigned long)ftrace_caller_op_ptr - t->start;
		t->call = (unsigned long)ftrace_call - t->start;
		t->jnz = 0;
	}
}

static bool ops_wants_regs(const struct ftrace_ops *ops)
{
	return ops->flags & FTRACE_OPS_FL_SAVE_REGS;
}

static unsigned long tramp_total(const struct tramp_shape *t)
{
	return t->size + TRAMP_RET_SIZE + sizeof(void *);
}

/*
 * Was @ops' trampoline (ours) copied from ftrace_regs_caller?  Its size
 * says, whatever @ops' flags say now: the two shapes differ in size.
 */
static bool tramp_built_regs(const struct ftrace_ops *ops)
{
	struct tramp_shape t;

	tramp_shape(true, &t);
	return ops->trampoline_size == tramp_total(&t);
}

static void tramp_put_ret(u8 *ip)
{
	static const u8 ret_int3[] = { RET_INSN_OPCODE, INT3_INSN_OPCODE };

	if (cpu_wants_rethunk_at(ip))
		__text_gen_insn(ip, JMP32_INSN_OPCODE, ip, x86_return_thunk,
				JMP32_INSN_SIZE);
	else
		memcpy(ip, ret_int3, sizeof(ret_int3));
}

/* Make the copy load its ops from the slot after the code. */
static int tramp_point_ops(u8 *tramp, const struct tramp_shape *t)
{
	u8 *insn = tramp + t->op_ptr;
	u8 *slot = tramp + t->size + TRAMP_RET_SIZE;
	s32 disp = (s32)(slot - (insn + OP_LOAD_SIZE));

	if (WARN_ON(memcmp(insn, op_load, sizeof(op_load))))
		return -EINVAL;
	memcpy(insn + sizeof(op_load), &disp, sizeof(disp));
	return 0;
}

/* Build a trampoline for @ops; returns its address or 0. */
static unsigned long tramp_create(struct ftrace_ops *ops, unsigned int *size)
{
	struct tramp_shape t;
	u8 *tramp;

	tramp_shape(ops_wants_regs(ops), &t);
	tramp = execmem_alloc(EXECMEM_FTRACE, tramp_total(&t));
	if (!tramp)
		return 0;
	if (WARN_ON(copy_from_kernel_nofault(tramp, (void *)t.start, t.size)))
		goto fail;
	tramp_put_ret(tramp + t.size);
	/* a private trampoline never takes the direct-call exit */
	if (t.jnz) {
		if (WARN_ON(tramp[t.jnz] != JNZ8_OPCODE))
			goto fail;
		memcpy(tramp + t.jnz, x86_nops[2], 2);
	}
	/* fix rip-relative operands for the new place */
	text_poke_apply_relocation(tramp, tramp, t.size, (u8 *)t.start, t.size);
	*(struct ftrace_ops **)(tramp + t.size + TRAMP_RET_SIZE) = ops;
	if (tramp_point_ops(tramp, &t))
		goto fail;
	memcpy(tramp + t.call, text_gen_insn(CALL_INSN_OPCODE, tramp + t.call,
					     ftrace_ops_get_func(ops)),
	       CALL_INSN_SIZE);
	ops->flags |= FTRACE_OPS_FL_ALLOC_TRAMP;
	*size = tramp_total(&t);
	set_memory_rox((unsigned long)tramp, DIV_ROUND_UP(*size, PAGE_SIZE));
	return (unsigned long)tramp;
fail:
	execmem_free(tramp);
	return 0;
}

/*
 * Point the call inside @ops' live trampoline at @func; nothing is
 * written if it calls @func already (a static ops registered again).
 */
static int tramp_retarget(struct ftrace_ops *ops, void *func)
{
	struct ftrace_patch_site s = {};
	struct tramp_shape t;
	int ret = 0;

	/* the call is where the copy has it, not where @ops' flags put it */
	tramp_shape(tramp_built_regs(ops), &t);
	s.ip = ops->trampoline + t.call;
	memcpy(s.new, text_gen_insn(CALL_INSN_OPCODE, (void *)s.ip, func),
	       CALL_INSN_SIZE);
	mutex_lock(&text_mutex);
	if (copy_from_kernel_nofault(s.old, (void *)s.ip, CALL_INSN_SIZE))
		ret = -EFAULT;
	else if (memcmp(s.old, s.new, CALL_INSN_SIZE))
		ret = ftrace_patch_batch(&s, 1);
	mutex_unlock(&text_mutex);
	WARN(ret, "ftrace trampoline %pS: call not changed (%d)\n",
	     (void *)ops->trampoline, ret);
	return ret;
}

/**
 * ftrace_tramp_fits() - does @ops' trampoline pass the registers @ops asks
 * for now?
 * @ops: the ops
 *
 * A static ops keeps its trampoline between registrations; one that
 * changed FTRACE_OPS_FL_SAVE_REGS since it was built needs a new one
 * (our core's live_tramp.c retires the old one then).
 *
 * Return: false only for a trampoline of ours of the other shape.
 */
bool ftrace_tramp_fits(const struct ftrace_ops *ops)
{
	if (!ops->trampoline || !(ops->flags & FTRACE_OPS_FL_ALLOC_TRAMP))
		return true;
	return tramp_built_regs(ops) == ops_wants_regs(ops);
}

/**
 * arch_ftrace_update_trampoline() - create @ops' trampoline, or point its
 * call at the ops' current function
 * @ops: the ops; a trampoline the caller provided is left alone
 */
void arch_ftrace_update_trampoline(struct ftrace_ops *ops)
{
	unsigned int size;

	if (!ops->trampoline) {
		ops->trampoline = tramp_create(ops, &size);
		if (ops->trampoline)
			ops->trampoline_size = size;
		return;
	}
	if (ops->flags & FTRACE_OPS_FL_ALLOC_TRAMP)
		tramp_retarget(ops, ftrace_ops_get_func(ops));
}

/**
 * ftrace_tramp_detach() - take the trampoline we built for @ops away from
 * it while sites may still call it
 * @ops: the ops, leaving; it may be freed after this returns
 *
 * The trampoline's call goes to ftrace_stub from now on (what a site of
 * an ops no longer listed gets from the list function); @ops forgets it,
 * so a later registration builds a new one.  Our core's zombies
 * (kernel/trace/ftrace_core/live.c).
 *
 * Context: may sleep (text_mutex).
 * Return: the trampoline, for ftrace_tramp_release() once no task can be
 * in it; 0 if @ops had none of ours.
 */
unsigned long ftrace_tramp_detach(struct ftrace_ops *ops)
{
	unsigned long tramp = ops->trampoline;

	if (!tramp || !(ops->flags & FTRACE_OPS_FL_ALLOC_TRAMP))
		return 0;
	/* on failure (warned) it still calls into @ops: nothing better */
	tramp_retarget(ops, ftrace_stub);
	ops->trampoline = 0;
	ops->trampoline_size = 0;
	ops->flags &= ~FTRACE_OPS_FL_ALLOC_TRAMP;
	return tramp;
}

/**
 * ftrace_tramp_release() - free a trampoline ftrace_tramp_detach() handed
 * over
 * @tramp: it, or 0
 *
 * Context: no site calls it and no task can be running in it.
 */
void ftrace_tramp_release(unsigned long tramp)
{
	if (tramp)
		execmem_free((void *)tramp);
}

/* The target of the call instruction at @ip, or NULL. */
static void *call_target(unsigned long ip)
{
	u8 insn[CALL_INSN_SIZE];
	unsigned long dest;

	if (WARN_ON_ONCE(copy_from_kernel_nofault(insn, (void *)ip,
						  CALL_INSN_SIZE)))
		return NULL;
	dest = ftrace_call_dest(insn, ip);
	WARN_ON_ONCE(!dest);
	return (void *)dest;
}

/**
 * arch_ftrace_trampoline_func() - the function a trampoline calls, for
 * enabled_functions
 * @ops: the ops, or NULL
 * @rec: the site it traces
 *
 * Return: the callee, or NULL for a trampoline that is not ours.
 */
void *arch_ftrace_trampoline_func(struct ftrace_ops *ops,
				  struct dyn_ftrace *rec)
{
	struct tramp_shape t;

	if (ops && (ops->flags & FTRACE_OPS_FL_ALLOC_TRAMP)) {
		if (!ops->trampoline)
			return NULL;
		tramp_shape(tramp_built_regs(ops), &t);
		return call_target(ops->trampoline + t.call);
	}
	if (ops && ops->trampoline)
		return NULL;
	tramp_shape(rec->flags & FTRACE_FL_REGS_EN, &t);
	return call_target(t.start + t.call);
}

/**
 * arch_ftrace_trampoline_free() - free the trampoline we built for @ops
 * @ops: the ops, or NULL
 */
void arch_ftrace_trampoline_free(struct ftrace_ops *ops)
{
	if (!ops || !(ops->flags & FTRACE_OPS_FL_ALLOC_TRAMP))
		return;
	execmem_free((void *)ops->trampoline);
	ops->trampoline = 0;
}

/**
 * set_ftrace_ops_ro() - make every trampoline we built read-only
 *
 * Called when the kernel's rodata becomes read-only.
 */
void set_ftrace_ops_ro(void)
{
	struct ftrace_ops *ops;

	do_for_each_ftrace_op(ops, ftrace_ops_list) {
		if (!(ops->flags & FTRACE_OPS_FL_ALLOC_TRAMP) || !ops->trampoline)
			continue;
		set_memory_ro(ops->trampoline,
			      DIV_ROUND_UP(ops->trampoline_size, PAGE_SIZE));
	} while_for_each_ftrace_op(ops);
}
