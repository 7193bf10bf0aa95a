#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Other architectures of Debian's debug kernels (tests/fetch-kernel.sh with
# D2B_KERNEL_FLAVOUR), converted on this machine and compared type by type
# (tests/lib.sh compare_kernel_btf):
#   cloud-arm64   against the .BTF the kernel build put into the same file
#   s390x         big-endian, without a .BTF of its own: against pahole -J
#                 on the same file; our output must be big-endian too
# Also: libbpf, bpftool and our validator accept each output; and the
# split BTF of one module of the same package (drivers/block/loop), on our
# vmlinux BTF as the base, equals pahole -J --btf_base and has the
# kernel's byte order (tests/lib.sh compare_module_btf).
# D2B_SKIP_REAL_KERNEL=1 skips all; D2B_ARCH_FLAVOURS picks flavours.
set -u
. "$(dirname "$0")/../lib.sh"

if [ "${D2B_SKIP_REAL_KERNEL:-0}" = 1 ]; then
	skip arch "D2B_SKIP_REAL_KERNEL=1"
	finish
fi
need_d2b arch || finish
T=$D2B_TMP

# byte_order_check NAME FILE REF WHO: FILE's BTF is in REF's byte order (the
# magic's first bytes agree)
byte_order_check() {
	_want=$(od -An -tx1 -N2 "$3" | tr -d ' ')
	_got=$(od -An -tx1 -N2 "$2" | tr -d ' ')
	if [ "$_got" = "$_want" ]; then
		pass "$1"
	else
		fail "$1" "magic bytes $_got, $4's $_want"
	fi
}

for flavour in ${D2B_ARCH_FLAVOURS:-cloud-arm64 s390x}; do
	p=arch.$flavour
	if ! vmlinux=$(D2B_KERNEL_FLAVOUR=$flavour sh "$D2B_SRC/tests/fetch-kernel.sh" \
		2>"$T/fetch.err"); then
		fail "$p.fetch" "tests/fetch-kernel.sh: $(tail -n 1 "$T/fetch.err")"
		continue
	fi
	note "$flavour: $vmlinux"
	ours=$T/$flavour.btf
	if ! "$D2B" "$vmlinux" -o "$ours" 2>"$T/conv.err"; then
		fail "$p.convert" "$(tail -n 1 "$T/conv.err")"
		continue
	fi
	consumers_check "$p" "$ours"

	if readelf -S "$vmlinux" | grep -q ' \.BTF '; then
		ref=$vmlinux
	else
		ref=$T/$flavour.pahole.btf
		rm -f "$ref"
		# one thread: pahole 1.24's FUNCs change with its thread count
		if ! pahole -J --btf_gen_floats --btf_encode_detached="$ref" "$vmlinux" \
			>"$T/pahole.err" 2>&1; then
			fail "$p.pahole" "pahole -J failed: $(tail -n 1 "$T/pahole.err")"
			continue
		fi
		byte_order_check "$p.byte-order" "$ours" "$ref" pahole
	fi
	compare_kernel_btf "$p" "$ref" "$ours" "$D2B_SRC/tests/exceptions/real-kernel-$flavour.txt"

	# a module of the same package, split on our vmlinux BTF, in its byte order
	abi=${vmlinux##*/vmlinux-}
	deb=$(dbg_deb "$abi")
	ko=$D2B_CACHE/modules/$abi/drivers/block/loop.ko
	[ -z "$deb" ] || extract_modules "$deb" "$abi" drivers/block/loop
	if [ ! -f "$ko" ]; then
		fail "$p.module" "no drivers/block/loop.ko in ${deb:-a linux-image-$abi-dbg package}"
	elif compare_module_btf "$p.module" "$ours" "$ko" loop \
		"$D2B_SRC/tests/exceptions/modules.txt"; then
		byte_order_check "$p.module.byte-order" "$T/loop.btf" "$ours" vmlinux
	fi
done

finish
