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
deb=$(ls "$D2B_CACHE/downloads/linux-image-$abi-dbg_"*.deb 2>/dev/null | sort -V | tail -n 1)
if [ -z "$deb" ]; then
	fail modules.fetch "no linux-image-$abi-dbg package in $D2B_CACHE/downloads"
	finish
fi
objcopy -O binary --only-section=.BTF "$vmlinux" "$T/base.btf"

# the modules, extracted once into the cache
mdir=$D2B_CACHE/modules/$abi
want=
for m in $MODULES; do
	[ -f "$mdir/$m.ko" ] || want="$want ./usr/lib/debug/lib/modules/$abi/kernel/$m.ko"
done
if [ -n "$want" ]; then
	mkdir -p "$mdir"
	tmp=$(mktemp -d "$mdir/.tmp.XXXXXX")
	# shellcheck disable=SC2086 # one argument per member
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" $want 2>"$T/tar.err"
	for m in $MODULES; do
		f=$tmp/usr/lib/debug/lib/modules/$abi/kernel/$m.ko
		if [ -f "$f" ]; then
			mkdir -p "$mdir/$(dirname "$m")"
			mv "$f" "$mdir/$m.ko"
		fi
	done
	rm -rf "$tmp"
fi

for m in $MODULES; do
	name=${m##*/}
	p=modules.$name
	ko=$mdir/$m.ko
	if [ ! -f "$ko" ]; then
		fail "$p" "$m.ko is not in $deb"
		continue
	fi
	if ! "$D2B" --base "$T/base.btf" "$ko" -o "$T/$name.btf" 2>"$T/err"; then
		fail "$p" "conversion failed: $(head -n 1 "$T/err")"
		continue
	fi
	if "$D2B" --base "$T/base.btf" --validate "$T/$name.btf" >/dev/null 2>"$T/err" &&
		bpftool btf dump file "$T/$name.btf" -B "$T/base.btf" >/dev/null 2>>"$T/err"; then
		pass "$p.valid"
	else
		fail "$p.valid" "$(head -n 1 "$T/err")"
	fi
	rm -f "$T/$name.p.btf"
	if ! pahole -J --btf_gen_floats --btf_base "$T/base.btf" \
		--btf_encode_detached="$T/$name.p.btf" "$ko" >"$T/err" 2>&1; then
		fail "$p" "pahole failed: $(head -n 1 "$T/err")"
		continue
	fi
	"$D2B" --base "$T/base.btf" --diff "$T/$name.p.btf" "$T/$name.btf" >"$T/diff"
	# lines listed for this module: "NAME DIR KIND TYPE  # reason"
	sed -e 's/[[:space:]]*#.*//' -e '/^$/d' "$EXC" | awk -v n="$name" '$1 == n { print $2, $3, $4 }' |
		sort >"$T/exc"
	awk '/^[<>] / { t = $3; sub(/:$/, "", t); print $1, $2, t }' "$T/diff" | sort >"$T/got"
	extra=$(comm -23 "$T/got" "$T/exc")
	gone=$(comm -13 "$T/got" "$T/exc")
	if [ -z "$extra" ]; then
		pass "$p"
		[ -z "$gone" ] || note "$name: exceptions that no longer match: $gone"
	else
		fail "$p" "$(echo "$extra" | wc -l) differences from pahole not listed in tests/exceptions/modules.txt"
		echo "$extra" | detail - 10
	fi
done

finish
