# SPDX-License-Identifier: GPL-2.0
# Top-level entry points; see README.md.  Every step is incremental and
# does its own set-up (Debian packages, source trees, kernels, initramfs).

H := harness

.PHONY: all run check baseline bench fuzz ipis deps tree ours upstream fp fpcheck debug debugcheck i386 clean

all: ours

deps:
	@$(H)/deps.sh

tree: deps
	@$(H)/tree.sh pristine

# Ours, ours with the frame-pointer unwinder (configs/fp.config) and ours
# with lockdep and KASAN (configs/debug.config): one source tree, three
# configs.
ours fp debug: tree
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

run: ours
	@$(H)/run.sh

check: deps
	@$(H)/check.sh

baseline: upstream
	@$(H)/baseline.sh

bench: ours upstream
	@$(H)/bench.sh

# Where the cross-CPU calls of a tracer switch come from (K=ours|upstream).
ipis: ours upstream
	@$(H)/ipis.sh $${K:-ours}

# Long fuzz run of scripts/recordmcount (make check runs 10,000 inputs).
fuzz: deps
	@HX_FUZZ_ITERS=$${HX_FUZZ_ITERS:-2000000} $(H)/tests/recordmcount.sh

clean:
	rm -rf build
