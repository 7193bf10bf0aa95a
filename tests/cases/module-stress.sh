#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# btf_vmlinux.ko under stress on the debug kernel in QEMU
# (tests/kernel/stress.sh; also: make check-stress, which builds that
# kernel). Skipped until the debug kernel is in the cache.
exec sh "$(dirname "$0")/../kernel/stress.sh"
