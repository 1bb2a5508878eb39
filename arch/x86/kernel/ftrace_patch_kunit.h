/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ftrace_patch_kunit.h - the sites of the patch engine's KUnit tests:
 * functions written in assembly in ftrace_patch_kunit.c, each an optional
 * ENDBR, 5-byte NOPs and a return.
 */
#ifndef _X86_KERNEL_FTRACE_PATCH_KUNIT_H
#define _X86_KERNEL_FTRACE_PATCH_KUNIT_H

/* One site each. */
void fpk_fn0(void);
void fpk_fn1(void);
void fpk_fn2(void);
void fpk_fn3(void);

/* FPK_ROW sites in a row. */
#define FPK_ROW		80
void fpk_row(void);

/* One site that begins 2 bytes before a page boundary. */
void fpk_straddle(void);

#endif /* _X86_KERNEL_FTRACE_PATCH_KUNIT_H */
