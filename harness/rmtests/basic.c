// SPDX-License-Identifier: GPL-2.0
/*
 * Test object for scripts/recordmcount: call sites in several traced
 * sections, a weak function beside non-weak ones, a notrace function and
 * a function in a section ftrace does not trace.
 *
 * Compiled without any header (also with -m32): the test passes __weak,
 * noinline, __section() and notrace with -D, as the kernel defines them.
 */
int rmt_sink;

static noinline int rmt_static(int x)
{
	rmt_sink += x;
	return x * 3;
}

__weak noinline int rmt_weak(int x)
{
	return rmt_static(x) + 1;
}

int rmt_global(int x)
{
	return rmt_static(x) + rmt_weak(x);
}

__section(".init.text") noinline int rmt_init(int x)
{
	return rmt_global(x) + 7;
}

__section(".sched.text") noinline int rmt_sched(int x)
{
	return rmt_global(x) + 8;
}

__section(".text.unlikely") noinline int rmt_cold(int x)
{
	return rmt_global(x) + 9;
}

notrace int rmt_notrace(int x)
{
	return rmt_global(x) + 10;
}

__section(".rmt.untraced") noinline int rmt_untraced(int x)
{
	return rmt_global(x) + 11;
}
