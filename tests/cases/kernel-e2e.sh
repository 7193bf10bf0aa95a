#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# The end-to-end test on a real non-BTF kernel in QEMU (tests/kernel/e2e.sh;
# also: make check-kernel). D2B_SKIP_KERNEL=1 skips it.
exec sh "$(dirname "$0")/../kernel/e2e.sh"
