# SPDX-License-Identifier: GPL-2.0
# Top-level entry points; see README.md.  Every step is incremental and
# does its own set-up (Debian packages, source trees, kernels, initramfs).

H := harness

.PHONY: all run check baseline bench fuzz ipis deps tree ours upstream fp fpcheck debug debugcheck core coreperf live liveperf livedebug corecheck livecheck livedebugcheck churn i386 clean

all: ours

deps:
	@$(H)/deps.sh

tree: deps
	@$(H)/tree.sh pristine

# Ours, ours with the frame-pointer unwinder (configs/fp.config), ours
# with lockdep and KASAN (configs/debug.config), ours with the pieces of
# our own ftrace core under lockdep and KASAN (configs/debug.config and
# configs/core.config) and without them (coreperf, for make bench
# HX_BENCH_KERNELS="upstream coreperf"), and live: our core running
# ftrace instead of upstream's (configs/live.config, in development; make
# run K=live boots it; make bench HX_BENCH_KERNELS="upstream live") and
# liveperf, live as make bench measures it (without CONFIG_BUG, like
# upstream: make bench HX_BENCH_KERNELS="upstream liveperf"), and
# livedebug, the same under the debug options: one source tree, eight
# configs.
ours fp debug core coreperf live liveperf livedebug: tree
	@$(H)/tree.sh ours
	@$(H)/kbuild.sh $@
	@$(H)/initramfs.sh $@

upstream: tree
	@$(H)/kbuild.sh upstream
	@$(H)/initramfs.sh upstream

fpcheck: deps tree
	@$(H)/tree.sh ours
	@$(H)/fpcheck.sh

# Ours for 32-bit x86 (configs/i386.config), compiled and linked only.
i386: tree
	@$(H)/tree.sh ours
	@$(H)/kbuild.sh i386

debugcheck: deps tree
	@$(H)/tree.sh ours
	@$(H)/debugcheck.sh

# The core kernel: boot selftests, our core's KUnit suites, core-pass.txt
# (our pieces beside upstream's core, their oracle; by hand, no longer a
# step of make check).
corecheck: deps tree
	@$(H)/tree.sh ours
	@$(H)/corecheck.sh

# The live kernel's step of make check alone: our core running ftrace.
livecheck: deps tree
	@$(H)/tree.sh ours
	@$(H)/corecheck.sh live

# The live kernel under lockdep, KASAN and the list, object and
# sleep-in-atomic checks, with the 25 tests of livedebug-pass.txt (by
# hand: over an hour here; step 10 of make check runs the part of them
# that livedebug-gate.txt names).
livedebugcheck: deps tree
	@$(H)/tree.sh ours
	@$(H)/corecheck.sh livedebug

# Module churn at full length on the live kernel: core/module-churn.tc
# with 1,000 load/unload cycles (make check runs 100).
churn: deps tree
	@$(H)/tree.sh ours
	@$(H)/churn.sh

# make run K=core boots the core kernel instead of ours (K=live: the live
# kernel, where our core runs ftrace).
RUNK := $(if $(K),$(K),ours)
run: $(RUNK)
	@HX_KERNEL=$(RUNK) $(H)/run.sh

check: deps
	@$(H)/check.sh

baseline: upstream
	@$(H)/baseline.sh

# the kernels HX_BENCH_KERNELS names are built too (ours: recordmcount's
# figures use its objects); by default upstream, ours and liveperf (our
# core running ftrace) side by side in one run, each with its ratio to
# upstream
HX_BENCH_KERNELS ?= upstream ours liveperf
export HX_BENCH_KERNELS
bench: ours upstream $(HX_BENCH_KERNELS)
	@$(H)/bench.sh

# Where the cross-CPU calls of a tracer switch come from (K=ours|upstream).
ipis: ours upstream
	@$(H)/ipis.sh $${K:-ours}

# Long fuzz run of scripts/recordmcount (make check runs 10,000 inputs).
fuzz: deps
	@HX_FUZZ_ITERS=$${HX_FUZZ_ITERS:-2000000} $(H)/tests/recordmcount.sh

clean:
	rm -rf build
