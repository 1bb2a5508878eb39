// SPDX-License-Identifier: GPL-2.0
/*
 * ftrace.c - x86 side of the function graph tracer: hooking a traced
 * function's return (prepare_ftrace_return(), ftrace_graph_func()).
 *
 * What the ftrace core asks of the architecture to patch sites lives in
 * ftrace_adapter.c (upstream's core) and ftrace_sites.c (our own core);
 * both use the batch patch engine (ftrace_patch.c).
 */
#include <linux/ftrace.h>

#include <asm/ftrace.h>

#ifdef CONFIG_FUNCTION_GRAPH_TRACER

/*
 * Whether the graph tracer may hook this return at all: not from code
 * that runs before paging (resume from suspend-to-RAM enters traced
 * functions in real mode, where the stack address is below the kernel
 * half), not once the graph tracer died, not while the task paused it.
 */
static __always_inline bool ftrace_graph_may_hook(void)
{
	if ((long)__builtin_frame_address(0) >= 0)
		return false;
	return !ftrace_graph_is_dead() &&
	       !atomic_read(&current->tracing_graph_pause);
}

/**
 * prepare_ftrace_return() - divert a traced function's return into
 * return_to_handler
 * @ip: the traced function's site
 * @parent: the stack slot holding its return address
 * @frame_pointer: the caller's frame pointer, or 0
 */
void prepare_ftrace_return(unsigned long ip, unsigned long *parent,
			   unsigned long frame_pointer)
{
	int bit;

	if (unlikely(!ftrace_graph_may_hook()))
		return;
	bit = ftrace_test_recursion_trylock(ip, *parent);
	if (bit >= 0) {
		if (!function_graph_enter(*parent, ip, frame_pointer, parent))
			*parent = (unsigned long)&return_to_handler;
		ftrace_test_recursion_unlock(bit);
	}
}

#ifdef CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS
/**
 * ftrace_graph_func() - the function graph tracer's ftrace callback
 * @ip: the traced function's site
 * @parent_ip: its caller
 * @op: the graph ops
 * @fregs: registers at the site; their stack pointer points at the
 *         return address slot
 */
void ftrace_graph_func(unsigned long ip, unsigned long parent_ip,
		       struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	unsigned long sp = kernel_stack_pointer(&arch_ftrace_regs(fregs)->regs);

	prepare_ftrace_return(ip, (unsigned long *)sp, 0);
}
#endif
#endif /* CONFIG_FUNCTION_GRAPH_TRACER */
