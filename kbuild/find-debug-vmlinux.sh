#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Print the path of kernel release R's debug vmlinux, the file its debug
# package installs, or fail with a message that names the paths tried:
#
#   find-debug-vmlinux.sh R
#
# Debian and Ubuntu (-dbg, -dbgsym): /usr/lib/debug/boot/vmlinux-R
# RHEL, Fedora, Amazon Linux (kernel-debuginfo): /usr/lib/debug/lib/modules/R/vmlinux
# SUSE (kernel-*-debuginfo): /usr/lib/debug/boot/vmlinux-R.debug
# D2B_DEBUG_ROOT (for tests) is put in front of each path.
set -u

if [ $# -ne 1 ] || [ -z "$1" ]; then
	echo "usage: find-debug-vmlinux.sh RELEASE" >&2
	exit 2
fi
r=$1
d=${D2B_DEBUG_ROOT:-}/usr/lib/debug
for f in "$d/boot/vmlinux-$r" "$d/lib/modules/$r/vmlinux" "$d/boot/vmlinux-$r.debug"; do
	if [ -f "$f" ]; then
		echo "$f"
		exit 0
	fi
done
echo "btf_vmlinux: no debug vmlinux for $r in $d/boot or $d/lib/modules/$r (install the kernel's debug package: Debian linux-image-$r-dbg, Ubuntu linux-image-$r-dbgsym, RHEL/Fedora kernel-debuginfo-$r, SUSE kernel-*-debuginfo)" >&2
exit 1
