#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# End-to-end test on a real kernel without BTF (make check-kernel, or
# tests/cases/kernel-e2e.sh from make check):
#
#   1. build (or take from the cache) a small x86_64 6.1 kernel without
#      CONFIG_DEBUG_INFO_BTF (tests/kernel/build-kernel.sh)
#   2. convert its vmlinux with dwarf2btf to raw BTF and to ELF
#   3. check-build-id.sh: accepts that BTF for this kernel, refuses
#      Debian's cloud kernel BTF (when that kernel is in the cache)
#   4. build the kbuild/ module against it: good blob, corrupted blob, and
#      a second copy under another name
#   5. vmlinux.h, a CO-RE kprobe program and a static libbpf loader
#   6. boot it in QEMU with a busybox initramfs whose /init
#      (tests/kernel/init.sh) runs the checks and prints MARK lines
#   7. boot it again with module.sig_enforce=1: the unsigned module and one
#      signed with an unknown key are refused, the signed one serves the BTF
#
# Environment: D2B_SKIP_KERNEL=1 skips it; D2B_QEMU_TIMEOUT (default 180 s);
# D2B_QEMU_ACCEL (default tcg; kvm where it works).
set -u
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/guest.sh"

KT=$D2B_SRC/tests/kernel
T=$D2B_TMP

guest_can_run kernel-e2e "static busybox and loader" || finish

# --- tools ---
need_pkgs=
has qemu-system-x86_64 || need_pkgs="$need_pkgs qemu-system-x86"
[ -x /bin/busybox ] && file_is_static=$(LC_ALL=C ldd /bin/busybox 2>&1 | grep -c 'not a dynamic') &&
	[ "$file_is_static" -gt 0 ] || need_pkgs="$need_pkgs busybox-static"
has cpio || need_pkgs="$need_pkgs cpio"
has clang || need_pkgs="$need_pkgs clang"
has flex || need_pkgs="$need_pkgs flex"
has bison || need_pkgs="$need_pkgs bison"
has bc || need_pkgs="$need_pkgs bc"
[ -f /usr/lib/x86_64-linux-gnu/libbpf.a ] || need_pkgs="$need_pkgs libbpf-dev"
[ -f /usr/lib/x86_64-linux-gnu/libelf.a ] || need_pkgs="$need_pkgs libelf-dev"
[ -f /usr/lib/x86_64-linux-gnu/libz.a ] || need_pkgs="$need_pkgs zlib1g-dev"
[ -f /usr/lib/x86_64-linux-gnu/libzstd.a ] || need_pkgs="$need_pkgs libzstd-dev"
[ -f /usr/include/openssl/ssl.h ] || need_pkgs="$need_pkgs libssl-dev"
# shellcheck disable=SC2086
install_missing kernel-e2e skip $need_pkgs || finish

# --- 1. the kernel ---
t0=$(date +%s)
if ! K=$(sh "$KT/build-kernel.sh" 2>"$T/build-kernel.log"); then
	fail build-kernel "$(tail -n 1 "$T/build-kernel.log")"
	detail "$T/build-kernel.log" 30
	finish
fi
t1=$(date +%s)
pass build-kernel
note "kernel: $K ($((t1 - t0))s now; build took $(cat "$K/.d2b-complete")s when it was made)"
release=$(cat "$K/include/config/kernel.release")

# --- 2. conversion ---
t0=$(date +%s)
if ! "$D2B" "$K/vmlinux" -o "$T/vmlinux.btf" 2>"$T/conv.err" ||
	! "$D2B" --format elf "$K/vmlinux" -o "$T/vmlinux.elf" 2>>"$T/conv.err"; then
	fail convert "dwarf2btf on the test kernel: $(head -n 1 "$T/conv.err")"
	finish
fi
t1=$(date +%s)
pass convert
note "vmlinux.btf $(wc -c <"$T/vmlinux.btf") bytes, vmlinux.elf $(wc -c <"$T/vmlinux.elf") bytes, two conversions in $((t1 - t0))s"

# --- 3. build-id checks ---
if sh "$D2B_SRC/kbuild/check-build-id.sh" "$T/vmlinux.btf.build-id" "$K" >"$T/bid.out" 2>&1; then
	pass build-id-accepts-own
else
	fail build-id-accepts-own "$(head -n 1 "$T/bid.out")"
fi
deb=$(ls "$D2B_CACHE"/kernels/*-cloud-amd64/usr/lib/debug/boot/vmlinux-* 2>/dev/null | sort -V | tail -n 1)
if [ -z "$deb" ]; then
	skip build-id-refuses-debian "Debian cloud debug vmlinux not in the cache (make run fetches it)"
elif ! "$D2B" "$deb" -o "$T/debian.btf" 2>"$T/deb.err"; then
	fail build-id-refuses-debian "converting $deb: $(head -n 1 "$T/deb.err")"
else
	cp -r "$D2B_SRC/kbuild" "$T/mod-deb"
	make -C "$T/mod-deb" clean KDIR="$K" >/dev/null 2>&1
	want=$(cat "$T/vmlinux.btf.build-id")
	debid=$(cat "$T/debian.btf.build-id")
	if make -C "$T/mod-deb" BTF="$T/debian.btf" KDIR="$K" >"$T/deb.out" 2>&1; then
		fail build-id-refuses-debian "make built the module with Debian's BTF for the test kernel"
	elif ! grep -q "$want" "$T/deb.out" || ! grep -q "$debid" "$T/deb.out"; then
		fail build-id-refuses-debian "refused, but the message does not name both ids"
		detail "$T/deb.out" 10
	elif ls "$T/mod-deb"/*.ko >/dev/null 2>&1; then
		fail build-id-refuses-debian "refused, but a .ko was built"
	else
		pass build-id-refuses-debian
		grep 'dwarf2btf:' "$T/deb.out" | detail - 3
	fi
fi

# --- 4. modules ---
t0=$(date +%s)
if kmod_build "$T/mod-good" "$T/vmlinux.btf" && [ -f "$T/mod-good/btf_vmlinux.ko" ]; then
	if grep -q 'warning:' "$T/mod-good.log"; then
		fail module-build "warnings building against the test kernel"
		grep 'warning:' "$T/mod-good.log" | detail - 10
	else
		pass module-build
	fi
else
	fail module-build "make -C kbuild against the test kernel failed"
	tail -n 15 "$T/mod-good.log" | detail - 15
	finish
fi
t1=$(date +%s)
note "module built in $((t1 - t0))s, $(wc -c <"$T/mod-good/btf_vmlinux.ko") bytes"
# a corrupted blob, and a second copy under another name
if ! btf_corrupt "$T/vmlinux.btf" "$T/bad.btf" || ! kmod_build "$T/mod-bad" "$T/bad.btf" ||
	! kmod_build "$T/mod-two" "$T/vmlinux.btf" MODNAME=btf_vmlinux_two; then
	fail module-build-variants "corrupted-blob or renamed module did not build"
	finish
fi

# --- 5. BPF program and loader ---
if "$D2B" --help 2>&1 | grep -q -- '--header' &&
	"$D2B" --header "$T/vmlinux.btf" >"$T/vmlinux.h" 2>"$T/hdr.err" && [ -s "$T/vmlinux.h" ]; then
	hdr_tool="dwarf2btf --header"
elif bpftool btf dump file "$T/vmlinux.btf" format c >"$T/vmlinux.h" 2>"$T/hdr.err"; then
	hdr_tool="bpftool btf dump (dwarf2btf --header not available)"
else
	fail vmlinux-h "no vmlinux.h: $(head -n 1 "$T/hdr.err")"
	finish
fi
note "vmlinux.h from $hdr_tool"
if ! clang -O2 -g -target bpf -D__TARGET_ARCH_x86 -I"$T" -I"$KT" \
	-c "$KT/exec_trace.bpf.c" -o "$T/exec_trace.bpf.o" 2>"$T/clang.err"; then
	fail bpf-build "clang: $(grep -m1 error "$T/clang.err")"
	finish
fi
if ! gcc -static -O2 -Wall -Wextra -I"$KT" -o "$T/loader" "$KT/loader.c" \
	-lbpf -lelf -lz -lzstd 2>"$T/gcc.err"; then
	fail loader-build "gcc -static: $(head -n 1 "$T/gcc.err")"
	finish
fi
pass bpf-build

# --- 6. initramfs and boot ---
R=$T/root
guest_root "$R" "$KT/init.sh"
mkdir -p "$R/bad" "$R/other"
cp "$T/loader" "$T/exec_trace.bpf.o" "$T/vmlinux.btf" "$T/vmlinux.elf" "$R/"
cp "$T/mod-good/btf_vmlinux.ko" "$R/"
cp "$T/mod-bad/btf_vmlinux.ko" "$R/bad/"
cp "$T/mod-two/btf_vmlinux_two.ko" "$R/other/"
guest_cpio "$R" "$T/initramfs.cpio" || { fail initramfs "cpio failed"; finish; }

guest_boot "$K" "$T/initramfs.cpio" "$T/serial.log" "${D2B_QEMU_TIMEOUT:-180}" loglevel=4 \
	-m 512M -smp 1
note "qemu ($guest_accel) ran ${guest_secs}s, exit $guest_rc, kernel $release"
sed -n 's/^MARK # /  guest: /p' "$T/serial.log.marks" | detail - 60
guest_checks "$T/serial.log.marks" a-no-sysfs-btf e-no-btf-fails insmod b-sysfs-identical \
	c-core-via-sysfs d-rmmod-removes f-core-via-boot-elf g-corrupt-refused \
	h-existing-btf-refused
if grep -q '^MARK done' "$T/serial.log.marks"; then
	pass guest.completed
else
	fail guest.completed "init did not reach the end; serial log tail:"
	tail -n 25 "$T/serial.log" | detail - 25
fi
# --- 7. signed modules: the same kernel booted with module.sig_enforce=1 ---
# (what CONFIG_MODULE_SIG_FORCE or lockdown under Secure Boot impose). The
# module is signed as DKMS does, with scripts/sign-file: once with a fresh
# key the kernel does not trust (a machine owner key not enrolled), once
# with the test kernel's own signing key, which stands in for an enrolled
# one (QEMU without UEFI and shim has no MOK list).
S=$T/sigroot
guest_root "$S" "$KT/init.sh"
mkdir -p "$S/mok" "$S/signed"
cp "$T/vmlinux.btf" "$T/mod-good/btf_vmlinux.ko" "$S/"
cp "$T/mod-good/btf_vmlinux.ko" "$S/mok/"
cp "$T/mod-good/btf_vmlinux.ko" "$S/signed/"
if ! openssl req -new -x509 -newkey rsa:2048 -nodes -days 36500 -subj "/CN=dwarf2btf test MOK/" \
	-outform DER -keyout "$T/mok.key" -out "$T/mok.der" >"$T/openssl.log" 2>&1 ||
	! "$K/scripts/sign-file" sha256 "$T/mok.key" "$T/mok.der" "$S/mok/btf_vmlinux.ko" ||
	! "$K/scripts/sign-file" sha256 "$K/certs/signing_key.pem" "$K/certs/signing_key.x509" \
		"$S/signed/btf_vmlinux.ko"; then
	fail sign "signing the module with scripts/sign-file failed"
	detail "$T/openssl.log" 5
	finish
fi
tail -c 28 "$S/signed/btf_vmlinux.ko" | grep -q '~Module signature appended~' &&
	pass sign || fail sign "no signature appended by sign-file"
guest_cpio "$S" "$T/sig.cpio"
guest_boot "$K" "$T/sig.cpio" "$T/sig-serial.log" "${D2B_QEMU_TIMEOUT:-180}" \
	"loglevel=4 module.sig_enforce=1 d2b.sig" -m 512M -smp 1
sed -n 's/^MARK # /  guest: /p' "$T/sig-serial.log.marks" | detail - 30
guest_checks "$T/sig-serial.log.marks" s-unsigned-refused s-unknown-key-refused s-signed-serves
finish
