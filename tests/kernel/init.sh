#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# /init of the end-to-end test's initramfs (static busybox). Runs the
# scenario and reports each check on the serial console as
#   MARK name PASS|FAIL [detail]
# and detail lines as "MARK # text"; tests/kernel/e2e.sh reads them.
# Files: /loader, /exec_trace.bpf.o, /vmlinux.btf (raw), /vmlinux.elf,
# /btf_vmlinux.ko (good blob), /bad/btf_vmlinux.ko (corrupted blob).

. /guest-init.sh
rel=$(uname -r)
mark "boot $rel"

# Booted with module.sig_enforce=1 (d2b.sig on the command line): the
# kernel takes only modules signed with a key it trusts, as under Secure
# Boot's lockdown. /btf_vmlinux.ko is unsigned, /mok/ signed with a key the
# kernel does not know (a machine owner key not enrolled), /signed/ with
# the test kernel's own signing key.
if grep -q 'd2b\.sig' /proc/cmdline; then
	insmod /btf_vmlinux.ko 2>/tmp/unsigned.log
	rc=$?
	log /tmp/unsigned.log
	[ "$rc" -ne 0 ] && [ ! -e /sys/kernel/btf ]
	check s-unsigned-refused $? "unsigned module: insmod exit $rc"
	insmod /mok/btf_vmlinux.ko 2>/tmp/mok.log
	rc=$?
	log /tmp/mok.log
	[ "$rc" -ne 0 ] && [ ! -e /sys/kernel/btf ]
	check s-unknown-key-refused $? "module signed with an unknown key: insmod exit $rc"
	insmod /signed/btf_vmlinux.ko 2>/tmp/signed.log
	rc=$?
	log /tmp/signed.log
	[ "$rc" -eq 0 ] && cmp /sys/kernel/btf/vmlinux /vmlinux.btf
	check s-signed-serves $? "signed module: insmod exit $rc, or the sysfs file differs"
	dmesg | grep 'rejected\|btf_vmlinux' | sed 's/^/MARK # /'
	mark done
	reboot -f
fi

# (a) no BTF before the module
[ ! -e /sys/kernel/btf ]
check a-no-sysfs-btf $? "/sys/kernel/btf exists before insmod"

# (e) negative control: no BTF anywhere, the CO-RE program cannot load
/loader /exec_trace.bpf.o /bin/true >/tmp/neg.log 2>&1
rc=$?
log /tmp/neg.log
[ "$rc" -ne 0 ] && grep -q 'failed to find valid kernel BTF' /tmp/neg.log
check e-no-btf-fails $? "loader exit $rc without the libbpf no-BTF error"

# (b) the module serves the blob byte for byte, with the exact size
insmod /btf_vmlinux.ko
rc=$?
check insmod $rc "insmod exit $rc"
dmesg | grep 'btf_vmlinux' | tail -n 3 | sed 's/^/MARK # /'
ok=1
if [ -e /sys/kernel/btf/vmlinux ] && cmp /sys/kernel/btf/vmlinux /vmlinux.btf &&
	[ "$(stat -c %s /sys/kernel/btf/vmlinux)" = "$(stat -c %s /vmlinux.btf)" ]; then
	ok=0
fi
check b-sysfs-identical $ok "sysfs file missing or not identical to vmlinux.btf"
mark "# sysfs size $(stat -c %s /sys/kernel/btf/vmlinux 2>/dev/null) mode $(stat -c %a /sys/kernel/btf/vmlinux 2>/dev/null)"

# (c) an unmodified libbpf loader finds it and CO-RE reads are right
/loader /exec_trace.bpf.o /bin/true >/tmp/sysfs.log 2>&1
rc=$?
log /tmp/sysfs.log
check c-core-via-sysfs $rc "loader exit $rc"

# (d) unloading removes the file and the directory
rmmod btf_vmlinux
rc=$?
[ "$rc" -eq 0 ] && [ ! -e /sys/kernel/btf/vmlinux ] && [ ! -e /sys/kernel/btf ]
check d-rmmod-removes $? "rmmod exit $rc or /sys/kernel/btf still there"

# (f) the ELF file at libbpf's fallback path works too
mkdir -p /boot
cp /vmlinux.elf "/boot/vmlinux-$rel"
/loader /exec_trace.bpf.o /bin/true >/tmp/elf.log 2>&1
rc=$?
log /tmp/elf.log
check f-core-via-boot-elf $rc "loader exit $rc with /boot/vmlinux-$rel"
rm -f "/boot/vmlinux-$rel"

# (g) a corrupted blob is refused at load time, leaving nothing behind
insmod /bad/btf_vmlinux.ko 2>/tmp/bad.log
rc=$?
log /tmp/bad.log
dmesg | grep 'btf_vmlinux' | tail -n 1 | sed 's/^/MARK # /'
[ "$rc" -ne 0 ] && [ ! -e /sys/kernel/btf ] && ! grep -q '^btf_vmlinux ' /proc/modules
check g-corrupt-refused $? "insmod of the corrupted blob exit $rc"

# (h) the module stays away when /sys/kernel/btf exists already
insmod /btf_vmlinux.ko && insmod /other/btf_vmlinux_two.ko 2>/tmp/two.log
rc=$?
log /tmp/two.log
dmesg | grep 'btf_vmlinux' | tail -n 1 | sed 's/^/MARK # /'
[ "$rc" -ne 0 ] && cmp -s /sys/kernel/btf/vmlinux /vmlinux.btf &&
	! dmesg | grep -q 'cannot create duplicate\|Call Trace'
check h-existing-btf-refused $? "second module exit $rc, or a duplicate warning in dmesg"
rmmod btf_vmlinux 2>/dev/null

mark done
reboot -f
