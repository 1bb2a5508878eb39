/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ftrace_64.S - what an ftrace site calls on x86_64.
 *
 * A traced function starts with "call __fentry__", before its own frame.
 * At boot the site becomes a NOP; when traced it calls ftrace_caller, or
 * ftrace_regs_caller for callbacks that want every register, or a copy of
 * either (a per-ops trampoline, ftrace_tramp.c), or a direct trampoline.
 *
 * Stack when a caller starts (no frame pointers):
 *	0(%rsp)  return address into the traced function (site + 5)
 *	8(%rsp)  the traced function's own return address (its parent)
 * The caller builds a struct pt_regs (FRAME_SIZE bytes) below that, the
 * struct ftrace_regs the callback gets as its 4th argument:
 *  - both: RAX RCX RDX RSI RDI R8 R9 RBP, ORIG_RAX = 0, RIP = site + 5,
 *    RSP = address of the parent slot (the traced function's stack
 *    pointer at its first instruction);
 *  - ftrace_caller stores CS = 0: arch_ftrace_get_regs() then says the
 *    registers are partial;
 *  - ftrace_regs_caller also stores RBX R10-R15, EFLAGS, CS, SS.
 * Callback arguments: site address, parent, ops (function_trace_op, or
 * the trampoline's own ops), the regs.  After the callback, RIP goes back
 * into the return slot (a callback may redirect the traced function, as
 * livepatch and kprobes do); in ftrace_regs_caller a non-zero ORIG_RAX
 * (arch_ftrace_set_direct_caller()) makes the return a jump to that
 * direct trampoline, with the stack as the site left it.
 *
 * ftrace_tramp.c copies [ftrace_caller, ftrace_caller_end) and
 * [ftrace_regs_caller, ftrace_regs_caller_end) and relies on: the 7-byte
 * "movq function_trace_op(%rip), %rdx" at the *_op_ptr labels, the 5-byte
 * calls at ftrace_call and ftrace_regs_call (the patch engine retargets
 * them), and a 2-byte "jnz" at ftrace_regs_caller_jmp.
 *
 * With frame pointers, two frames (the parent's and the traced
 * function's) sit between the return address and the pt_regs, so that
 * a frame-pointer unwind through a callback sees both functions.
 */
#include <linux/export.h>
#include <linux/cfi_types.h>
#include <linux/linkage.h>
#include <asm/asm-offsets.h>
#include <asm/ptrace.h>
#include <asm/ftrace.h>
#include <asm/nospec-branch.h>
#include <asm/unwind_hints.h>
#include <asm/frame.h>

	.code64
	.section .text, "ax"

#ifdef CONFIG_FRAME_POINTER
/* saved %rbp, then two frames of (return address, %rbp) */
# define FT_FRAMES	(8 + 2 * 16)
#else
# define FT_FRAMES	0
#endif

/* Bytes between %rsp and the return address into the traced function. */
#define FT_SIZE		(FRAME_SIZE + FT_FRAMES)

/*
 * Build the pt_regs part both callers share.  @above: bytes the caller
 * pushed before (8 for the flags of ftrace_regs_caller).  Leaves the
 * site address in %rdi and the parent in %rsi.
 */
.macro ft_save above=0
#ifdef CONFIG_FRAME_POINTER
	pushq	%rbp
	pushq	\above + 16(%rsp)	/* parent */
	pushq	%rbp
	movq	%rsp, %rbp
	pushq	\above + 24(%rsp)	/* site + 5 */
	pushq	%rbp
	movq	%rsp, %rbp
#endif
	subq	$FRAME_SIZE, %rsp
	movq	%rax, RAX(%rsp)
	movq	%rcx, RCX(%rsp)
	movq	%rdx, RDX(%rsp)
	movq	%rsi, RSI(%rsp)
	movq	%rdi, RDI(%rsp)
	movq	%r8, R8(%rsp)
	movq	%r9, R9(%rsp)
	movq	$0, ORIG_RAX(%rsp)
#ifdef CONFIG_FRAME_POINTER
	movq	FT_SIZE - 8(%rsp), %rdx	/* %rbp as the site had it */
	movq	%rdx, RBP(%rsp)
#else
	movq	%rbp, RBP(%rsp)
#endif
	movq	FT_SIZE + \above + 8(%rsp), %rsi
	movq	FT_SIZE + \above(%rsp), %rdi
	movq	%rdi, RIP(%rsp)
	subq	$MCOUNT_INSN_SIZE, %rdi
.endm

/* Undo ft_save, leaving @keep bytes of it on the stack. */
.macro ft_restore keep=0
	movq	RBP(%rsp), %rbp
	movq	R9(%rsp), %r9
	movq	R8(%rsp), %r8
	movq	RDI(%rsp), %rdi
	movq	RSI(%rsp), %rsi
	movq	RDX(%rsp), %rdx
	movq	RCX(%rsp), %rcx
	movq	RAX(%rsp), %rax
	addq	$(FT_SIZE - \keep), %rsp
.endm

/* The load of the ops, at label @op_ptr (trampolines rewrite it). */
.macro ft_load_ops op_ptr
SYM_INNER_LABEL(\op_ptr, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
	movq	function_trace_op(%rip), %rdx
.endm

/* Call the callback with the regs; the call is at label @call. */
.macro ft_callback call
	movq	%rsp, %rcx
	CALL_DEPTH_ACCOUNT
SYM_INNER_LABEL(\call, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
	call	ftrace_stub
.endm

/* pt_regs offsets of the registers only ftrace_regs_caller saves */
	.set	.Lft_off_rbx, RBX
	.set	.Lft_off_r10, R10
	.set	.Lft_off_r11, R11
	.set	.Lft_off_r12, R12
	.set	.Lft_off_r13, R13
	.set	.Lft_off_r14, R14
	.set	.Lft_off_r15, R15

/* Save (@dir = save) or restore those registers. */
.macro ft_regs_rest dir
	.irp r, rbx, r10, r11, r12, r13, r14, r15
	.ifc \dir, save
	movq	%\r, .Lft_off_\r(%rsp)
	.else
	movq	.Lft_off_\r(%rsp), %\r
	.endif
	.endr
.endm

/* The whole body of a function that only returns. */
.macro ft_return_only
	CALL_DEPTH_ACCOUNT
	RET
.endm

#ifdef CONFIG_FUNCTION_GRAPH_TRACER
SYM_TYPED_FUNC_START(ftrace_stub_graph)
	ft_return_only
SYM_FUNC_END(ftrace_stub_graph)
#endif

/* Reached by indirect calls (typed): the callbacks' default. */
SYM_TYPED_FUNC_START(ftrace_stub)
	ft_return_only
SYM_FUNC_END(ftrace_stub)

#ifdef CONFIG_DYNAMIC_FTRACE

/* Sites call this only before boot turns them into NOPs. */
SYM_FUNC_START(__fentry__)
	ft_return_only
SYM_FUNC_END(__fentry__)
EXPORT_SYMBOL(__fentry__)

SYM_FUNC_START(ftrace_caller)
	ft_save
	CALL_DEPTH_ACCOUNT
	leaq	FT_SIZE + 8(%rsp), %rcx
	movq	%rcx, RSP(%rsp)
	movq	$0, CS(%rsp)

	ft_load_ops ftrace_caller_op_ptr
	ft_callback ftrace_call

	movq	RIP(%rsp), %rax
	movq	%rax, FT_SIZE(%rsp)
	ft_restore

/* Trampolines copy up to here and add their own return. */
SYM_INNER_LABEL(ftrace_caller_end, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
	RET
SYM_FUNC_END(ftrace_caller);
STACK_FRAME_NON_STANDARD_FP(ftrace_caller)

SYM_FUNC_START(ftrace_regs_caller)
	pushfq
	ft_save 8
	CALL_DEPTH_ACCOUNT

	ft_load_ops ftrace_regs_caller_op_ptr
	ft_regs_rest save
	movq	FT_SIZE(%rsp), %rcx
	movq	%rcx, EFLAGS(%rsp)
	movq	$__KERNEL_CS, CS(%rsp)
	movq	$__KERNEL_DS, SS(%rsp)
	leaq	FT_SIZE + 16(%rsp), %rcx
	movq	%rcx, RSP(%rsp)
	ENCODE_FRAME_POINTER
	ft_callback ftrace_regs_call

	/* the callback may have changed flags and rip: put them in place */
	movq	EFLAGS(%rsp), %rax
	movq	%rax, FT_SIZE(%rsp)
	movq	RIP(%rsp), %rax
	movq	%rax, FT_SIZE + 8(%rsp)
	ft_regs_rest restore
	movq	ORIG_RAX(%rsp), %rax
	testq	%rax, %rax

SYM_INNER_LABEL(ftrace_regs_caller_jmp, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
	jnz	.Lft_direct

	ft_restore
	popfq

/* Trampolines copy up to here and add their own return. */
SYM_INNER_LABEL(ftrace_regs_caller_end, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
	RET

	/*
	 * Direct call: the flags move down one slot, the direct trampoline's
	 * address (%rax) takes theirs; after ft_restore and popfq the stack
	 * is [direct trampoline][site + 5][parent], and a return enters the
	 * direct trampoline as if the site had called it.
	 */
.Lft_direct:
	movq	FT_SIZE(%rsp), %rcx
	movq	%rcx, FT_SIZE - 8(%rsp)
	movq	%rax, FT_SIZE(%rsp)
	ft_restore 8
	popfq
	UNWIND_HINT_FUNC

	/*
	 * That return was never called: a call of our own keeps the return
	 * stack buffer (and call depth tracking) balanced.
	 */
	ANNOTATE_INTRA_FUNCTION_CALL
	call	.Lft_direct_ret
	int3
.Lft_direct_ret:
	leaq	8(%rsp), %rsp
	ALTERNATIVE __stringify(RET), \
		    __stringify(ANNOTATE_UNRET_SAFE; ret; int3), \
		    X86_FEATURE_CALL_DEPTH
SYM_FUNC_END(ftrace_regs_caller)
STACK_FRAME_NON_STANDARD_FP(ftrace_regs_caller)

SYM_FUNC_START(ftrace_stub_direct_tramp)
	ft_return_only
SYM_FUNC_END(ftrace_stub_direct_tramp)

#else /* !CONFIG_DYNAMIC_FTRACE */

/*
 * Without dynamic ftrace every site stays a call to here: return at
 * once unless a tracer is on, else call it with (site, parent).
 */
SYM_FUNC_START(__fentry__)
	CALL_DEPTH_ACCOUNT
	cmpq	$ftrace_stub, ftrace_trace_function
	jne	.Lft_static
	RET
.Lft_static:
	ft_save
	movq	ftrace_trace_function, %r8
	CALL_NOSPEC r8
	ft_restore
	RET
SYM_FUNC_END(__fentry__)
EXPORT_SYMBOL(__fentry__)
STACK_FRAME_NON_STANDARD_FP(__fentry__)

#endif /* CONFIG_DYNAMIC_FTRACE */

#ifdef CONFIG_FUNCTION_GRAPH_TRACER
/*
 * A traced function whose return prepare_ftrace_return() diverted
 * returns here.  Its return values (RAX, RDX), RBP and its stack pointer
 * go to ftrace_return_to_handler() in a partial ftrace_regs; that returns
 * the real return address, where we go on.
 */
SYM_CODE_START(return_to_handler)
	UNWIND_HINT_UNDEFINED
	ANNOTATE_NOENDBR
	/* the slot of the return address just consumed */
	subq	$8, %rsp
	UNWIND_HINT_FUNC
	subq	$FRAME_SIZE, %rsp
	/* the stack pointer as the traced function left it */
	leaq	(FRAME_SIZE + 8)(%rsp), %rdi
	movq	%rdi, RSP(%rsp)
	movq	%rbp, RBP(%rsp)
	movq	%rdx, RDX(%rsp)
	movq	%rax, RAX(%rsp)
	movq	%rsp, %rdi
	call	ftrace_return_to_handler
	movq	%rax, %rcx
	movq	RAX(%rsp), %rax
	movq	RDX(%rsp), %rdx
	addq	$(FRAME_SIZE + 8), %rsp

	/*
	 * Go to %rcx by a return, which IBT allows without an ENDBR there,
	 * after a call of our own that keeps the return stack balanced.
	 */
	ANNOTATE_INTRA_FUNCTION_CALL
	call	.Lrth_go
	int3
.Lrth_go:
	movq	%rcx, (%rsp)
	ALTERNATIVE __stringify(RET), \
		    __stringify(ANNOTATE_UNRET_SAFE; ret; int3), \
		    X86_FEATURE_CALL_DEPTH
SYM_CODE_END(return_to_handler)
#endif
