/* SPDX-License-Identifier: GPL-2.0 */
/* Test stub for scripts/recordmcount link tests: the tracer hook. */
	.text
	.globl __fentry__
__fentry__:
	ret
	.globl _start
_start:
	ret
