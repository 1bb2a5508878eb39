// SPDX-License-Identifier: GPL-2.0
/*
 * hx_foreign: a module with one call site that another patcher has
 * already written over when the module loads.  hx_foreign_site() is
 * listed in the module's __mcount_loc, but its first five bytes are a
 * jmp to the next instruction (e9 00 00 00 00) instead of the call to
 * __fentry__ that ftrace expects there: the core must refuse the site
 * at load (quarantine it, report it with its bytes) and go on; upstream's
 * core turns all of ftrace off instead.  core/quarantine-module.tc loads
 * it on the live kernel.
 *
 * The table is written here, so recordmcount leaves this object alone
 * (an object that has __mcount_loc already): the module's other
 * functions are not sites; their calls to __fentry__ return at once.
 */
#include <linux/module.h>

asm(".pushsection .text, \"ax\"\n"
	".globl hx_foreign_site\n"
	".type hx_foreign_site, @function\n"
	"hx_foreign_site:\n"
	"	.byte 0xe9, 0x00, 0x00, 0x00, 0x00\n"
	"	movl $42, %eax\n"
	"	ret\n"
	".size hx_foreign_site, . - hx_foreign_site\n"
	".popsection\n"
	".pushsection __mcount_loc, \"a\"\n"
	"	.quad hx_foreign_site\n"
	".popsection\n");

int hx_foreign_site(void);

static int __init hx_foreign_init(void)
{
	/* the jmp goes to the next instruction: calling it is harmless */
	return hx_foreign_site() == 42 ? 0 : -EINVAL;
}

static void __exit hx_foreign_exit(void)
{
}

module_init(hx_foreign_init);
module_exit(hx_foreign_exit);
MODULE_DESCRIPTION("a call site written over before ftrace sees it");
MODULE_LICENSE("GPL");
