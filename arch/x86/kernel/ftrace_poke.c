// SPDX-License-Identifier: GPL-2.0
/*
 * ftrace_poke.c - write kernel text of many pages through private
 * aliases, for the ftrace patch engine (ftrace_patch.c).
 *
 * DOC: alias region
 * Kernel and module text is mapped read-only.  To write it, each text page
 * of a protocol run gets a writable alias in poking_mm, the mm that
 * alternative.c made for text_poke() and in which no user code ever runs.
 * All kernel and module text (and the ftrace trampolines, which live in
 * module space) lies in the top 2 GiB of the address space, from
 * __START_KERNEL_map up; its alias is at the same offset in a 2 GiB
 * region of poking_mm's user half, placed clear of text_poke()'s own two
 * pages at poking_addr.  So a page's alias is found by arithmetic, a site
 * that crosses a page boundary stays contiguous, and a page is mapped
 * once per run however many sites and steps write to it.
 *
 * Why no other CPU can ever see a writable alias:
 *  - poking_mm is loaded only by the CPU that holds text_mutex, with
 *    interrupts off, between fpoke_begin() and fpoke_end();
 *  - between those the PTEs stay, but no CPU has poking_mm loaded (6.12's
 *    switch_mm_irqs_off() drops a CPU from mm_cpumask() when it leaves an
 *    mm), so no CPU can walk them or cache them anew, and text_poke(), the
 *    only other user of poking_mm, needs text_mutex, which the run holds;
 *  - fpoke_unmap() clears the PTEs and flushes poking_mm's TLB entries
 *    (a local flush: the mm is loaded nowhere) before the run lets
 *    text_mutex go.
 *
 * Locking: every function here requires text_mutex.
 */
#include <linux/ftrace.h>
#include <linux/kasan.h>
#include <linux/memory.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pgtable.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <asm/debugreg.h>
#include <asm/mmu_context.h>
#include <asm/text-patching.h>
#include <asm/tlbflush.h>

#include "ftrace_poke.h"

#define FPOKE_SPAN	SZ_2G

unsigned long fpoke_base;

/* Place the region once: 2 GiB aligned, clear of poking_addr's pages. */
static unsigned long fpoke_region(void)
{
	unsigned long base = 2 * FPOKE_SPAN;

	if (fpoke_base)
		return fpoke_base;
	while (poking_addr + 2 * PAGE_SIZE > base &&
	       poking_addr < base + FPOKE_SPAN)
		base += FPOKE_SPAN;
	fpoke_base = base;
	return base;
}

/*
 * The page of @addr if it is text the engine may write: core kernel text,
 * module text, or an ftrace trampoline (module space, but no module's);
 * else NULL.  Module data lies in module space too and is refused.
 */
static struct page *text_page(unsigned long addr)
{
	if (core_kernel_text(addr))
		return virt_to_page((void *)addr);
	if (is_module_text_address(addr) || is_ftrace_trampoline(addr))
		return vmalloc_to_page((void *)addr);
	return NULL;
}

static int fpoke_note(struct fpoke_window *w, unsigned long va, pte_t *ptep)
{
	if (w->nr == w->cap) {
		unsigned int cap = w->cap ? 2 * w->cap : 256;
		struct fpoke_alias *p;

		p = kvrealloc(w->map, cap * sizeof(*p), GFP_KERNEL);
		if (!p)
			return -ENOMEM;
		w->map = p;
		w->cap = cap;
	}
	w->map[w->nr].va = va;
	w->map[w->nr++].ptep = ptep;
	return 0;
}

/*
 * The PTE of alias address @va in poking_mm, its page tables allocated
 * if need be.  Aliases of consecutive text pages are consecutive, so the
 * PTE table of the last walk mostly serves the next page too.  The tables
 * of the alias region are never freed (poking_mm lives forever and only
 * its PTEs are ever cleared), and text_mutex keeps every other user of
 * poking_mm out, so a PTE pointer stays valid and may be written without
 * the PTE lock.
 */
static pte_t *fpoke_pte(struct fpoke_window *w, unsigned long va)
{
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;

	if (w->ptbl && (va & PMD_MASK) == w->ptbl_va)
		return w->ptbl + pte_index(va);
	pgd = pgd_offset(poking_mm, va);
	p4d = p4d_alloc(poking_mm, pgd, va);
	pud = p4d ? pud_alloc(poking_mm, p4d, va) : NULL;
	pmd = pud ? pmd_alloc(poking_mm, pud, va) : NULL;
	if (!pmd || pte_alloc(poking_mm, pmd))
		return NULL;
	w->ptbl = pte_offset_kernel(pmd, va & PMD_MASK);
	w->ptbl_va = va & PMD_MASK;
	return w->ptbl + pte_index(va);
}

/* Give text page @page its alias; 0 if it has one already. */
static int fpoke_map_page(struct fpoke_window *w, unsigned long page)
{
	pgprot_t prot = __pgprot(pgprot_val(PAGE_KERNEL) & ~_PAGE_GLOBAL);
	unsigned long va = (unsigned long)fpoke_alias(page);
	struct page *pg = text_page(page);
	pte_t *ptep;
	int ret;

	if (!pg)
		return -EFAULT;
	ptep = fpoke_pte(w, va);
	if (!ptep)
		return -ENOMEM;
	if (pte_present(ptep_get(ptep)))
		return 0;
	ret = fpoke_note(w, va, ptep);
	if (!ret)
		set_pte_at(poking_mm, va, ptep, mk_pte(pg, prot));
	return ret;
}

/**
 * __fpoke_map() - give the text pages of @len bytes at @ip their aliases
 * @w: the window of this run
 * @ip: first byte, kernel or module text
 * @len: bytes, at most a page
 *
 * May sleep (page tables of poking_mm are allocated on first use).
 *
 * Return: 0; -EFAULT if @ip is not core kernel text, module text or an
 * ftrace trampoline, or not mapped; -ENOMEM.  What was mapped stays
 * mapped until fpoke_unmap().
 */
int __fpoke_map(struct fpoke_window *w, unsigned long ip, size_t len)
{
	unsigned long first = ip & PAGE_MASK;
	unsigned long last = (ip + len - 1) & PAGE_MASK;
	int ret = 0;

	lockdep_assert_held(&text_mutex);
	fpoke_region();
	if (first < __START_KERNEL_map)
		return -EFAULT;
	if (first != w->last)
		ret = fpoke_map_page(w, first);
	if (!ret && last != first)
		ret = fpoke_map_page(w, last);
	if (!ret)
		w->last = last;
	return ret;
}

/**
 * fpoke_unmap() - take every alias of the run away and flush their TLB
 * entries
 * @w: the window of the run; empty afterwards
 */
void fpoke_unmap(struct fpoke_window *w)
{
	unsigned long lo = ULONG_MAX, hi = 0;
	unsigned int i;

	lockdep_assert_held(&text_mutex);
	for (i = 0; i < w->nr; i++) {
		unsigned long va = w->map[i].va;

		pte_clear(poking_mm, va, w->map[i].ptep);
		lo = min(lo, va);
		hi = max(hi, va + PAGE_SIZE);
	}
	/* poking_mm is loaded nowhere now: a local flush, no IPI */
	if (w->nr)
		flush_tlb_mm_range(poking_mm, lo, hi, PAGE_SHIFT, false);
	w->nr = 0;
	w->last = 0;
}

/**
 * fpoke_begin() - load poking_mm on this CPU, interrupts off
 * @w: the window of the run
 *
 * Breakpoints are disabled meanwhile: a user watchpoint on an alias
 * address must not fire in here.  So are KASAN's reports, as around
 * text_poke()'s own write: the aliases lie in poking_mm's user half, and
 * KASAN takes every write there for a user-memory access.
 */
void fpoke_begin(struct fpoke_window *w)
{
	lockdep_assert_held(&text_mutex);
	local_irq_save(w->irqflags);
	if (this_cpu_read(cpu_tlbstate_shared.is_lazy))
		leave_mm();
	w->prev_mm = this_cpu_read(cpu_tlbstate.loaded_mm);
	switch_mm_irqs_off(NULL, poking_mm, current);
	if (hw_breakpoint_active())
		hw_breakpoint_disable();
	kasan_disable_current();
}

/**
 * fpoke_end() - go back to the previous mm, interrupts as before
 * @w: the window fpoke_begin() was called for
 *
 * Loading the previous mm serializes this CPU, so it sees its own writes.
 */
void fpoke_end(struct fpoke_window *w)
{
	lockdep_assert_irqs_disabled();
	kasan_enable_current();
	switch_mm_irqs_off(NULL, w->prev_mm, current);
	if (hw_breakpoint_active())
		hw_breakpoint_restore();
	local_irq_restore(w->irqflags);
}
