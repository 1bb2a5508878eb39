// SPDX-License-Identifier: GPL-2.0
/*
 * Test object for scripts/recordmcount: the only symbols of .text are weak
 * and no section symbol is emitted, so the tool must add one; strong.c
 * overrides both functions at link time.
 */
__weak int rmt_over1(int x)
{
	return x + 1;
}

__weak int rmt_over2(int x)
{
	return x * 5 + 2;
}
