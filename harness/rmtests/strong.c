// SPDX-License-Identifier: GPL-2.0
/* Test object for scripts/recordmcount: overrides weakonly.c's functions. */
int rmt_over1(int x)
{
	return x - 1;
}

int rmt_over2(int x)
{
	return x * 7 - 2;
}

int rmt_main(void)
{
	return rmt_over1(1) + rmt_over2(2);
}
