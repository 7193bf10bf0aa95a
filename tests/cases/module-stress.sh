#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# btf_vmlinux.ko under stress on the debug kernel in QEMU
# (tests/kernel/stress.sh), shortened: 20 load/unload cycles rather than 200
# and every 10th allocation of a load failed rather than each (the whole run
# takes about 45 minutes under emulation: make check-stress, which also
# builds that kernel). Skipped until the debug kernel is in the cache.
D2B_STRESS_CYCLES=${D2B_STRESS_CYCLES:-20} \
D2B_STRESS_FAILNTH_STEP=${D2B_STRESS_FAILNTH_STEP:-10} \
	exec sh "$(dirname "$0")/../kernel/stress.sh"
