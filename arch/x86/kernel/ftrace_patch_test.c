// SPDX-License-Identifier: GPL-2.0
/*
 * ftrace_patch_test.c - stress and fault test of the x86 ftrace patch
 * engine, as a module: loading it runs the test; the load fails (-EINVAL)
 * if the test does.
 *
 *   modprobe ftrace_patch_test [cycles=N]   stress (default 1000 cycles)
 *   modprobe ftrace_patch_test fault=1      fault test (leaves ftrace off
 *                                           with upstream's core: boot a
 *                                           fresh kernel afterwards)
 *
 * Stress: two kthreads, one bound to each of CPU 0 and 1, call the 256
 * functions below in a loop, while the loading task turns tracing of
 * exactly those functions off and on again, @cycles times, by switching
 * the filter of a registered ftrace_ops to one function nobody calls and
 * back (unregistering would wait for an RCU-tasks grace period each time,
 * which busy kthreads on a preemptible kernel never grant).  While all 256
 * are on, the workers make "armed" passes; every call of an armed pass
 * must reach the callback (calls made while sites may be half on or off
 * are not counted on either side).  Pass: as many calls seen as made, at
 * least one armed pass per cycle, and at most 3 all-CPU syncs of the
 * engine per filter change of 257 sites (open, close; batches of 256
 * sites with 3 syncs each, as upstream's text_poke_queue() makes, would
 * need 6), and as many to register or unregister the ops with nothing
 * else tracing (the list function's own group would make that 4).
 *
 * Fault: one site is overwritten with a 5-byte jmp to the next
 * instruction, as a foreign patcher would, and the ops is registered: the
 * engine must refuse exactly that site, reporting the jmp as found.  With
 * upstream's core, which gives up on ftrace at the first refusal, none of
 * the change may be written (FTRACE_PATCH_ALL): every other site still
 * holds the NOP, after the refusal and after the ops is unregistered, and
 * the refused one still holds the jmp.
 *
 * Its "records" parameter shows how the arch code sizes its record
 * buffer (patch-engine-records.tc loads and unloads the module, which
 * brings some 270 sites each time, and checks the buffer follows the live
 * records).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/ftrace.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sysfs.h>

#include <asm/nops.h>
#include <asm/text-patching.h>

#include "ftrace_patch.h"

static unsigned int cycles = 1000;
module_param(cycles, uint, 0444);
MODULE_PARM_DESC(cycles, "register/unregister cycles of the stress test");
static bool fault;
module_param(fault, bool, 0444);
MODULE_PARM_DESC(fault, "run the fault test instead (leaves ftrace off)");

/*
 * /sys/module/ftrace_patch_test/parameters/records: "WANT CAP", the room
 * the last walk of the records reserved and the room the buffer has (the
 * records churn test reads it after a switch with the module loaded).
 */
static int tfp_records_get(char *buf, const struct kernel_param *kp)
{
	unsigned int want, cap = ftrace_patch_test_records(&want);

	return sysfs_emit(buf, "%u %u\n", want, cap);
}

static const struct kernel_param_ops tfp_records_ops = {
	.get = tfp_records_get,
};
module_param_cb(records, &tfp_records_ops, NULL, 0444);
MODULE_PARM_DESC(records, "room reserved by the last records walk, buffer room");

#define TFP_FN(n) static noinline int tfp_f_##n(int x) { return x ^ 0x##n; }

TFP_FN(00) TFP_FN(01) TFP_FN(02) TFP_FN(03) TFP_FN(04) TFP_FN(05)
TFP_FN(06) TFP_FN(07) TFP_FN(08) TFP_FN(09) TFP_FN(0a) TFP_FN(0b)
TFP_FN(0c) TFP_FN(0d) TFP_FN(0e) TFP_FN(0f) TFP_FN(10) TFP_FN(11)
TFP_FN(12) TFP_FN(13) TFP_FN(14) TFP_FN(15) TFP_FN(16) TFP_FN(17)
TFP_FN(18) TFP_FN(19) TFP_FN(1a) TFP_FN(1b) TFP_FN(1c) TFP_FN(1d)
TFP_FN(1e) TFP_FN(1f) TFP_FN(20) TFP_FN(21) TFP_FN(22) TFP_FN(23)
TFP_FN(24) TFP_FN(25) TFP_FN(26) TFP_FN(27) TFP_FN(28) TFP_FN(29)
TFP_FN(2a) TFP_FN(2b) TFP_FN(2c) TFP_FN(2d) TFP_FN(2e) TFP_FN(2f)
TFP_FN(30) TFP_FN(31) TFP_FN(32) TFP_FN(33) TFP_FN(34) TFP_FN(35)
TFP_FN(36) TFP_FN(37) TFP_FN(38) TFP_FN(39) TFP_FN(3a) TFP_FN(3b)
TFP_FN(3c) TFP_FN(3d) TFP_FN(3e) TFP_FN(3f) TFP_FN(40) TFP_FN(41)
TFP_FN(42) TFP_FN(43) TFP_FN(44) TFP_FN(45) TFP_FN(46) TFP_FN(47)
TFP_FN(48) TFP_FN(49) TFP_FN(4a) TFP_FN(4b) TFP_FN(4c) TFP_FN(4d)
TFP_FN(4e) TFP_FN(4f) TFP_FN(50) TFP_FN(51) TFP_FN(52) TFP_FN(53)
TFP_FN(54) TFP_FN(55) TFP_FN(56) TFP_FN(57) TFP_FN(58) TFP_FN(59)
TFP_FN(5a) TFP_FN(5b) TFP_FN(5c) TFP_FN(5d) TFP_FN(5e) TFP_FN(5f)
TFP_FN(60) TFP_FN(61) TFP_FN(62) TFP_FN(63) TFP_FN(64) TFP_FN(65)
TFP_FN(66) TFP_FN(67) TFP_FN(68) TFP_FN(69) TFP_FN(6a) TFP_FN(6b)
TFP_FN(6c) TFP_FN(6d) TFP_FN(6e) TFP_FN(6f) TFP_FN(70) TFP_FN(71)
TFP_FN(72) TFP_FN(73) TFP_FN(74) TFP_FN(75) TFP_FN(76) TFP_FN(77)
TFP_FN(78) TFP_FN(79) TFP_FN(7a) TFP_FN(7b) TFP_FN(7c) TFP_FN(7d)
TFP_FN(7e) TFP_FN(7f) TFP_FN(80) TFP_FN(81) TFP_FN(82) TFP_FN(83)
TFP_FN(84) TFP_FN(85) TFP_FN(86) TFP_FN(87) TFP_FN(88) TFP_FN(89)
TFP_FN(8a) TFP_FN(8b) TFP_FN(8c) TFP_FN(8d) TFP_FN(8e) TFP_FN(8f)
TFP_FN(90) TFP_FN(91) TFP_FN(92) TFP_FN(93) TFP_FN(94) TFP_FN(95)
TFP_FN(96) TFP_FN(97) TFP_FN(98) TFP_FN(99) TFP_FN(9a) TFP_FN(9b)
TFP_FN(9c) TFP_FN(9d) TFP_FN(9e) TFP_FN(9f) TFP_FN(a0) TFP_FN(a1)
TFP_FN(a2) TFP_FN(a3) TFP_FN(a4) TFP_FN(a5) TFP_FN(a6) TFP_FN(a7)
TFP_FN(a8) TFP_FN(a9) TFP_FN(aa) TFP_FN(ab) TFP_FN(ac) TFP_FN(ad)
TFP_FN(ae) TFP_FN(af) TFP_FN(b0) TFP_FN(b1) TFP_FN(b2) TFP_FN(b3)
TFP_FN(b4) TFP_FN(b5) TFP_FN(b6) TFP_FN(b7) TFP_FN(b8) TFP_FN(b9)
TFP_FN(ba) TFP_FN(bb) TFP_FN(bc) TFP_FN(bd) TFP_FN(be) TFP_FN(bf)
TFP_FN(c0) TFP_FN(c1) TFP_FN(c2) TFP_FN(c3) TFP_FN(c4) TFP_FN(c5)
TFP_FN(c6) TFP_FN(c7) TFP_FN(c8) TFP_FN(c9) TFP_FN(ca) TFP_FN(cb)
TFP_FN(cc) TFP_FN(cd) TFP_FN(ce) TFP_FN(cf) TFP_FN(d0) TFP_FN(d1)
TFP_FN(d2) TFP_FN(d3) TFP_FN(d4) TFP_FN(d5) TFP_FN(d6) TFP_FN(d7)
TFP_FN(d8) TFP_FN(d9) TFP_FN(da) TFP_FN(db) TFP_FN(dc) TFP_FN(dd)
TFP_FN(de) TFP_FN(df) TFP_FN(e0) TFP_FN(e1) TFP_FN(e2) TFP_FN(e3)
TFP_FN(e4) TFP_FN(e5) TFP_FN(e6) TFP_FN(e7) TFP_FN(e8) TFP_FN(e9)
TFP_FN(ea) TFP_FN(eb) TFP_FN(ec) TFP_FN(ed) TFP_FN(ee) TFP_FN(ef)
TFP_FN(f0) TFP_FN(f1) TFP_FN(f2) TFP_FN(f3) TFP_FN(f4) TFP_FN(f5)
TFP_FN(f6) TFP_FN(f7) TFP_FN(f8) TFP_FN(f9) TFP_FN(fa) TFP_FN(fb)
TFP_FN(fc) TFP_FN(fd) TFP_FN(fe) TFP_FN(ff)

static int (*const tfp_fns[])(int) = {
	tfp_f_00, tfp_f_01, tfp_f_02, tfp_f_03, tfp_f_04, tfp_f_05,
	tfp_f_06, tfp_f_07, tfp_f_08, tfp_f_09, tfp_f_0a, tfp_f_0b,
	tfp_f_0c, tfp_f_0d, tfp_f_0e, tfp_f_0f, tfp_f_10, tfp_f_11,
	tfp_f_12, tfp_f_13, tfp_f_14, tfp_f_15, tfp_f_16, tfp_f_17,
	tfp_f_18, tfp_f_19, tfp_f_1a, tfp_f_1b, tfp_f_1c, tfp_f_1d,
	tfp_f_1e, tfp_f_1f, tfp_f_20, tfp_f_21, tfp_f_22, tfp_f_23,
	tfp_f_24, tfp_f_25, tfp_f_26, tfp_f_27, tfp_f_28, tfp_f_29,
	tfp_f_2a, tfp_f_2b, tfp_f_2c, tfp_f_2d, tfp_f_2e, tfp_f_2f,
	tfp_f_30, tfp_f_31, tfp_f_32, tfp_f_33, tfp_f_34, tfp_f_35,
	tfp_f_36, tfp_f_37, tfp_f_38, tfp_f_39, tfp_f_3a, tfp_f_3b,
	tfp_f_3c, tfp_f_3d, tfp_f_3e, tfp_f_3f, tfp_f_40, tfp_f_41,
	tfp_f_42, tfp_f_43, tfp_f_44, tfp_f_45, tfp_f_46, tfp_f_47,
	tfp_f_48, tfp_f_49, tfp_f_4a, tfp_f_4b, tfp_f_4c, tfp_f_4d,
	tfp_f_4e, tfp_f_4f, tfp_f_50, tfp_f_51, tfp_f_52, tfp_f_53,
	tfp_f_54, tfp_f_55, tfp_f_56, tfp_f_57, tfp_f_58, tfp_f_59,
	tfp_f_5a, tfp_f_5b, tfp_f_5c, tfp_f_5d, tfp_f_5e, tfp_f_5f,
	tfp_f_60, tfp_f_61, tfp_f_62, tfp_f_63, tfp_f_64, tfp_f_65,
	tfp_f_66, tfp_f_67, tfp_f_68, tfp_f_69, tfp_f_6a, tfp_f_6b,
	tfp_f_6c, tfp_f_6d, tfp_f_6e, tfp_f_6f, tfp_f_70, tfp_f_71,
	tfp_f_72, tfp_f_73, tfp_f_74, tfp_f_75, tfp_f_76, tfp_f_77,
	tfp_f_78, tfp_f_79, tfp_f_7a, tfp_f_7b, tfp_f_7c, tfp_f_7d,
	tfp_f_7e, tfp_f_7f, tfp_f_80, tfp_f_81, tfp_f_82, tfp_f_83,
	tfp_f_84, tfp_f_85, tfp_f_86, tfp_f_87, tfp_f_88, tfp_f_89,
	tfp_f_8a, tfp_f_8b, tfp_f_8c, tfp_f_8d, tfp_f_8e, tfp_f_8f,
	tfp_f_90, tfp_f_91, tfp_f_92, tfp_f_93, tfp_f_94, tfp_f_95,
	tfp_f_96, tfp_f_97, tfp_f_98, tfp_f_99, tfp_f_9a, tfp_f_9b,
	tfp_f_9c, tfp_f_9d, tfp_f_9e, tfp_f_9f, tfp_f_a0, tfp_f_a1,
	tfp_f_a2, tfp_f_a3, tfp_f_a4, tfp_f_a5, tfp_f_a6, tfp_f_a7,
	tfp_f_a8, tfp_f_a9, tfp_f_aa, tfp_f_ab, tfp_f_ac, tfp_f_ad,
	tfp_f_ae, tfp_f_af, tfp_f_b0, tfp_f_b1, tfp_f_b2, tfp_f_b3,
	tfp_f_b4, tfp_f_b5, tfp_f_b6, tfp_f_b7, tfp_f_b8, tfp_f_b9,
	tfp_f_ba, tfp_f_bb, tfp_f_bc, tfp_f_bd, tfp_f_be, tfp_f_bf,
	tfp_f_c0, tfp_f_c1, tfp_f_c2, tfp_f_c3, tfp_f_c4, tfp_f_c5,
	tfp_f_c6, tfp_f_c7, tfp_f_c8, tfp_f_c9, tfp_f_ca, tfp_f_cb,
	tfp_f_cc, tfp_f_cd, tfp_f_ce, tfp_f_cf, tfp_f_d0, tfp_f_d1,
	tfp_f_d2, tfp_f_d3, tfp_f_d4, tfp_f_d5, tfp_f_d6, tfp_f_d7,
	tfp_f_d8, tfp_f_d9, tfp_f_da, tfp_f_db, tfp_f_dc, tfp_f_dd,
	tfp_f_de, tfp_f_df, tfp_f_e0, tfp_f_e1, tfp_f_e2, tfp_f_e3,
	tfp_f_e4, tfp_f_e5, tfp_f_e6, tfp_f_e7, tfp_f_e8, tfp_f_e9,
	tfp_f_ea, tfp_f_eb, tfp_f_ec, tfp_f_ed, tfp_f_ee, tfp_f_ef,
	tfp_f_f0, tfp_f_f1, tfp_f_f2, tfp_f_f3, tfp_f_f4, tfp_f_f5,
	tfp_f_f6, tfp_f_f7, tfp_f_f8, tfp_f_f9, tfp_f_fa, tfp_f_fb,
	tfp_f_fc, tfp_f_fd, tfp_f_fe, tfp_f_ff,
};

#define TFP_NR ARRAY_SIZE(tfp_fns)

struct tfp_worker {
	struct task_struct *task;
	long made;		/* calls made in armed passes */
	int armed;		/* in an armed pass now */
	int ack;		/* last epoch seen through */
};

static struct tfp_worker workers[2];
static atomic_long_t seen;
static int epoch;		/* odd: the ops is on, passes are armed */
static unsigned long ips[TFP_NR];

static void notrace tfp_callback(unsigned long ip, unsigned long pip,
				 struct ftrace_ops *op,
				 struct ftrace_regs *fregs)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(workers); i++)
		if (workers[i].task == current && READ_ONCE(workers[i].armed))
			atomic_long_inc(&seen);
}

static struct ftrace_ops tfp_ops = {
	.func = tfp_callback,
	.flags = FTRACE_OPS_FL_RECURSION,
};

static int tfp_work(void *arg)
{
	struct tfp_worker *w = arg;
	int sink = 0;

	while (!kthread_should_stop()) {
		/* pairs with the release in tfp_next_epoch() */
		int e = smp_load_acquire(&epoch);
		bool arm = e & 1;
		unsigned int i;

		WRITE_ONCE(w->armed, arm);
		for (i = 0; i < TFP_NR; i++)
			sink += tfp_fns[i](i);
		if (arm)
			w->made += TFP_NR;
		WRITE_ONCE(w->armed, 0);
		/* the controller reads ack with acquire: pass done */
		smp_store_release(&w->ack, e);
		cond_resched();
	}
	return sink & 0;
}

/* Move to the next epoch and wait until both workers went through it. */
static void tfp_next_epoch(void)
{
	int e = epoch + 1;
	unsigned int i;

	/* workers read epoch with acquire */
	smp_store_release(&epoch, e);
	for (i = 0; i < ARRAY_SIZE(workers); i++)
		/* pairs with the worker's release of ack */
		while (smp_load_acquire(&workers[i].ack) != e)
			usleep_range(50, 100);
}

static int tfp_start_workers(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(workers); i++) {
		workers[i].task = kthread_create(tfp_work, &workers[i],
						 "tfp_worker/%u", i);
		if (IS_ERR(workers[i].task))
			return PTR_ERR(workers[i].task);
		kthread_bind(workers[i].task, i % num_online_cpus());
		wake_up_process(workers[i].task);
	}
	return 0;
}

static void tfp_stop_workers(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(workers); i++)
		if (!IS_ERR_OR_NULL(workers[i].task))
			kthread_stop(workers[i].task);
}

/* The ftrace site of @fn: its first instruction, or the one after endbr64;
 * ftrace has made it the 5-byte NOP by now.
 */
static unsigned long tfp_site(unsigned long fn)
{
	static const u8 endbr64[] = { 0xf3, 0x0f, 0x1e, 0xfa };
	static const u8 nop5[] = { BYTES_NOP5 };

	if (!memcmp((void *)fn, endbr64, sizeof(endbr64)))
		fn += sizeof(endbr64);
	return memcmp((void *)fn, nop5, MCOUNT_INSN_SIZE) ? 0 : fn;
}

/* Never called: while "off", the ops' filter holds only this function. */
static noinline int tfp_off(int x)
{
	return x;
}

/*
 * All-CPU syncs one filter change may cost: open the records, close.  And
 * registering or unregistering the ops with nothing else tracing: the
 * ftrace_call sites (to the list function and back to the stub) ride
 * along with the records, so the same.
 */
#define TFP_SYNCS_PER_CHANGE	3
#define TFP_SYNCS_PER_SWITCH	3

/* Syncs of the engine so far. */
static unsigned long tfp_syncs(void)
{
	struct ftrace_patch_stats st;

	ftrace_patch_get_stats(&st);
	return st.syncs;
}

static int tfp_stress(void)
{
	unsigned long off_ip = tfp_site((unsigned long)tfp_off);
	struct ftrace_patch_stats st0, st1;
	unsigned long syncs, changes, on, off;
	long made = 0;
	unsigned int c, i;
	int ret;

	if (!off_ip)
		return -EINVAL;
	on = tfp_syncs();
	ret = register_ftrace_function(&tfp_ops);
	if (ret)
		return ret;
	on = tfp_syncs() - on;
	ret = tfp_start_workers();
	ftrace_patch_get_stats(&st0);
	for (c = 0; !ret && c < cycles; c++) {
		tfp_next_epoch();	/* armed: at least one pass each */
		tfp_next_epoch();	/* disarmed, no armed pass running */
		/* off: the filter holds only tfp_off; on: all 256 again */
		ret = ftrace_set_filter_ips(&tfp_ops, &off_ip, 1, 0, 1);
		if (!ret)
			ret = ftrace_set_filter_ips(&tfp_ops, ips, TFP_NR, 0, 1);
	}
	ftrace_patch_get_stats(&st1);
	tfp_stop_workers();
	off = tfp_syncs();
	unregister_ftrace_function(&tfp_ops);
	off = tfp_syncs() - off;
	for (i = 0; i < ARRAY_SIZE(workers); i++)
		made += workers[i].made;
	syncs = st1.syncs - st0.syncs;
	changes = 2UL * c;
	pr_info("stress: %u cycles, %ld calls made while on, %ld seen, error %d\n",
		c, made, atomic_long_read(&seen), ret);
	pr_info("stress: %lu filter changes of %zu sites each: %lu runs, %lu syncs (at most %u per change allowed)\n",
		changes, TFP_NR + 1, st1.runs - st0.runs, syncs,
		TFP_SYNCS_PER_CHANGE);
	pr_info("stress: registering cost %lu syncs, unregistering %lu (at most %u each allowed)\n",
		on, off, TFP_SYNCS_PER_SWITCH);
	if (ret)
		return ret;
	if (syncs > TFP_SYNCS_PER_CHANGE * changes ||
	    on > TFP_SYNCS_PER_SWITCH || off > TFP_SYNCS_PER_SWITCH)
		return -EINVAL;
	return made == atomic_long_read(&seen) && made ? 0 : -EINVAL;
}

/* Sites of the module that hold the NOP, and whether @victim holds @jmp. */
static unsigned int tfp_nops(unsigned long victim, const u8 *jmp, bool *kept)
{
	static const u8 nop5[] = { BYTES_NOP5 };
	unsigned int i, n = 0;

	for (i = 0; i < TFP_NR; i++)
		n += !memcmp((void *)ips[i], nop5, MCOUNT_INSN_SIZE);
	*kept = !memcmp((void *)victim, jmp, MCOUNT_INSN_SIZE);
	return n;
}

static int tfp_fault(void)
{
	static const u8 jmp_next[MCOUNT_INSN_SIZE] = { JMP32_INSN_OPCODE };
	struct ftrace_patch_site bad[4];
	unsigned int n, nops_on, nops_off;
	unsigned long victim = ips[7];
	bool kept_on, kept_off;

	if (ftrace_patch_test_foreign_jmp(victim))
		return -EINVAL;
	register_ftrace_function(&tfp_ops);
	n = ftrace_patch_failures(bad, ARRAY_SIZE(bad));
	nops_on = tfp_nops(victim, jmp_next, &kept_on);
	unregister_ftrace_function(&tfp_ops);
	nops_off = tfp_nops(victim, jmp_next, &kept_off);
	pr_info("fault: %u site(s) refused; first at %pS: found %5phN, expected %5phN, error %d\n",
		n, n ? (void *)bad[0].ip : NULL, n ? bad[0].actual : jmp_next,
		n ? bad[0].old : jmp_next, n ? bad[0].err : 0);
	pr_info("fault: %u of %zu other sites still NOPs after the refusal, %u after unregistering; the jmp %s, %s\n",
		nops_on, TFP_NR - 1, nops_off, kept_on ? "kept" : "lost",
		kept_off ? "kept" : "lost");
	if (n != 1 || bad[0].ip != victim || bad[0].err != -EINVAL ||
	    memcmp(bad[0].actual, jmp_next, MCOUNT_INSN_SIZE) ||
	    nops_on != TFP_NR - 1 || nops_off != TFP_NR - 1 ||
	    !kept_on || !kept_off)
		return -EINVAL;
	return 0;
}

static int __init tfp_init(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < TFP_NR; i++) {
		ips[i] = tfp_site((unsigned long)tfp_fns[i]);
		if (!ips[i]) {
			pr_err("function %u has no ftrace site\n", i);
			return -EINVAL;
		}
	}
	ret = ftrace_set_filter_ips(&tfp_ops, ips, TFP_NR, 0, 1);
	if (ret)
		return ret;
	ret = fault ? tfp_fault() : tfp_stress();
	ftrace_free_filter(&tfp_ops);
	pr_info("%s test %s\n", fault ? "fault" : "stress",
		ret ? "FAILED" : "passed");
	return ret;
}

static void __exit tfp_exit(void)
{
}

module_init(tfp_init);
module_exit(tfp_exit);
MODULE_DESCRIPTION("Stress and fault test of the x86 ftrace patch engine");
MODULE_IMPORT_NS(FTRACE_PATCH_TEST);
MODULE_LICENSE("GPL");
