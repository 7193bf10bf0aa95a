#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Debian's libbpf-tools, bpftrace and bpftool on kernels without BTF, in
# QEMU (tests/kernel/tools.sh; also: make check-tools). D2B_SKIP_KERNEL=1
# skips it.
exec sh "$(dirname "$0")/../kernel/tools.sh"
