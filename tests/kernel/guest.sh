# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Sourced by the QEMU tests (e2e.sh, tools.sh, stress.sh) after tests/lib.sh:
# the module builds, the busybox initramfs, the boot, and the guest's
# "MARK name PASS|FAIL" reports. $D2B_SRC must be set; kmod_build needs $K,
# the kernel's build directory.
#
# QEMU uses software emulation by default: KVM inside a virtual machine (CI)
# is often missing or broken (here it starts, then hangs before the kernel
# prints anything). D2B_QEMU_ACCEL=kvm where it works.

guest_accel=${D2B_QEMU_ACCEL:-tcg}

# kmod_build DIR BTF [MAKE ARGS...]: kbuild/ copied to DIR and built with
# BTF against $K; the log is DIR.log
kmod_build() {
	_d=$1
	_b=$2
	shift 2
	rm -rf "$_d"
	cp -r "$D2B_SRC/kbuild" "$_d"
	make -C "$_d" clean KDIR="$K" >/dev/null 2>&1
	make -C "$_d" BTF="$_b" KDIR="$K" W=1 "$@" >"$_d.log" 2>&1
}

# btf_corrupt IN OUT: IN (a .btf and its .build-id) copied to OUT with the
# magic's first byte cleared: the same size and build-id, not BTF
btf_corrupt() {
	cp "$1" "$2" && cp "$1.build-id" "$2.build-id" &&
		printf '\000' | dd of="$2" bs=1 seek=0 count=1 conv=notrunc 2>/dev/null
}

# guest_can_run NAME WHAT: 0, or 1 after a SKIP line for NAME when the QEMU
# tests are off (D2B_SKIP_KERNEL=1), dwarf2btf is not built, or the host is
# not x86_64 (WHAT: what of the host's runs in the guest)
guest_can_run() {
	if [ "${D2B_SKIP_KERNEL:-0}" = 1 ]; then
		skip "$1" "D2B_SKIP_KERNEL=1"
		return 1
	fi
	need_d2b "$1" || return 1
	if [ "$(uname -m)" != x86_64 ]; then
		skip "$1" "needs an x86_64 host ($2 run in the guest)"
		return 1
	fi
}

# guest_root DIR INIT: an initramfs tree with static busybox, INIT as /init
# and guest-init.sh, which it sources
guest_root() {
	rm -rf "$1"
	mkdir -p "$1/bin" "$1/proc" "$1/sys" "$1/dev" "$1/tmp"
	cp /bin/busybox "$1/bin/busybox"
	cp "$D2B_SRC/tests/kernel/guest-init.sh" "$1/guest-init.sh"
	cp "$2" "$1/init"
	chmod 755 "$1/init"
}

# guest_cpio DIR OUT: the tree as a newc archive, in a stable order
guest_cpio() {
	(cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$2"
}

# guest_boot KDIR CPIO LOG TIMEOUT APPEND [QEMU ARGS...]: boots the kernel of
# build directory KDIR on the serial console into LOG (carriage returns
# removed), and its MARK lines into LOG.marks. Sets guest_rc (qemu's exit
# status, 124 on timeout) and guest_secs.
guest_boot() {
	_k=$1
	_i=$2
	_l=$3
	_to=$4
	_a=$5
	shift 5
	_t0=$(date +%s)
	timeout -k 10 "$_to" qemu-system-x86_64 -nographic -no-reboot -accel "$guest_accel" \
		-kernel "$_k/arch/x86/boot/bzImage" -initrd "$_i" \
		-append "console=ttyS0 panic=-1 $_a" "$@" </dev/null >"$_l.raw" 2>&1
	guest_rc=$?
	guest_secs=$(($(date +%s) - _t0))
	tr -d '\r' <"$_l.raw" >"$_l"
	rm -f "$_l.raw"
	grep -o 'MARK.*' "$_l" >"$_l.marks"
}

# guest_checks MARKS NAME...: a PASS or FAIL for each check the guest
# reported, prefixed "guest."
guest_checks() {
	_m=$1
	shift
	for _c in "$@"; do
		_l=$(grep -m1 "^MARK $_c " "$_m")
		case $_l in
		"MARK $_c PASS"*) pass "guest.$_c" ;;
		"MARK $_c FAIL"*) fail "guest.$_c" "${_l#"MARK $_c FAIL"}" ;;
		*) fail "guest.$_c" "no result from the guest (qemu exit $guest_rc)" ;;
		esac
	done
}
