#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Kernel modules: split BTF on top of vmlinux's (--base), for debug .ko files
# of the same Debian -dbg package as tests/fetch-kernel.sh's vmlinux, with
# the kernel's own .BTF as the base for both sides:
#   modules.NAME         ours equals pahole -J --btf_base on the same .ko,
#                        but for differences listed with their reasons in
#                        tests/exceptions/modules.txt
#   modules.NAME.valid   our validator and bpftool (-B base) accept it
# D2B_SKIP_REAL_KERNEL=1 skips; D2B_MODULES picks modules (paths under
# kernel/, without .ko).
set -u
. "$(dirname "$0")/../lib.sh"

if [ "${D2B_SKIP_REAL_KERNEL:-0}" = 1 ]; then
	skip modules "D2B_SKIP_REAL_KERNEL=1"
	finish
fi
need_d2b modules || finish
T=$D2B_TMP
MODULES=${D2B_MODULES:-"lib/crc7 drivers/block/loop drivers/block/zram/zram
	net/sched/sch_htb drivers/net/ethernet/amazon/ena/ena net/netfilter/nf_tables
	arch/x86/kvm/kvm drivers/net/wireguard/wireguard"}
EXC=$D2B_SRC/tests/exceptions/modules.txt

if ! vmlinux=$(sh "$D2B_SRC/tests/fetch-kernel.sh" 2>"$T/fetch.err"); then
	fail modules.fetch "tests/fetch-kernel.sh: $(tail -n 1 "$T/fetch.err")"
	finish
fi
abi=${vmlinux##*/vmlinux-}
deb=$(dbg_deb "$abi")
if [ -z "$deb" ]; then
	fail modules.fetch "no linux-image-$abi-dbg package in $D2B_CACHE/downloads"
	finish
fi
objcopy -O binary --only-section=.BTF "$vmlinux" "$T/base.btf"

# shellcheck disable=SC2086 # one argument per module
extract_modules "$deb" "$abi" $MODULES
for m in $MODULES; do
	name=${m##*/}
	ko=$D2B_CACHE/modules/$abi/$m.ko
	if [ -f "$ko" ]; then
		compare_module_btf "modules.$name" "$T/base.btf" "$ko" "$name" "$EXC"
	else
		fail "modules.$name" "$m.ko is not in $deb"
	fi
done

finish
