#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# /init of tests/kernel/tools.sh's initramfs (static busybox): mounts the
# host's root read-only over 9p at /host and the test disk at /host/mnt,
# sets up the situation named by d2b.situation= on the kernel command line,
# runs tools-run.sh chrooted into the host's root, and reboots.
#   1  nothing: the kernel has no BTF and none is served
#   2  btf_vmlinux.ko loaded: /sys/kernel/btf/vmlinux
#   3  the raw BTF at /boot/vmlinux-$(uname -r), no module
#   4  the kernel built with BTF (nothing to set up)
#   5  as 2, on the 6.12 kernel
# Files: /btf_vmlinux.ko, /vmlinux.btf.

. /guest-init.sh
s=$(sed -n 's/.*d2b\.situation=\([0-9]\).*/\1/p' /proc/cmdline)
mark "boot $(uname -r) situation $s"

H=/host
mkdir -p $H
if ! mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=512000 hostroot $H; then
	mark "setup FAIL cannot mount the host's root over 9p"
	reboot -f
fi
mount -t proc proc $H/proc
mount -t sysfs sysfs $H/sys
mount -t devtmpfs devtmpfs $H/dev
mount -t tmpfs tmpfs $H/tmp
mount -t tmpfs tmpfs $H/run
mount -t tmpfs tmpfs $H/boot
mount -t debugfs debugfs $H/sys/kernel/debug
mount -t tracefs tracefs $H/sys/kernel/tracing
mount -t bpf bpf $H/sys/fs/bpf
mount -t cgroup2 cgroup2 $H/sys/fs/cgroup
if ! mount -t ext4 /dev/vda $H/mnt; then
	mark "setup FAIL cannot mount the test disk"
	reboot -f
fi
ip link set lo up

case $s in
2 | 5)
	insmod /btf_vmlinux.ko || mark "setup FAIL insmod btf_vmlinux.ko"
	if cmp -s /sys/kernel/btf/vmlinux /vmlinux.btf; then
		mark "served PASS"
	else
		mark "served FAIL /sys/kernel/btf/vmlinux differs from vmlinux.btf"
	fi
	;;
3)
	cp /vmlinux.btf "$H/boot/vmlinux-$(uname -r)"
	;;
esac
mark "setup PASS $(ls /sys/kernel/btf 2>/dev/null | tr '\n' ' ')"

chroot $H /bin/sh /mnt/tools-run.sh "$s" 2>&1 | sed 's/^/MARK # /'
mark "run done"
umount $H/mnt
mark done
reboot -f
