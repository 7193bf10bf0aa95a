#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Seed corpora for the fuzz targets, made from the test fixtures:
#   sh tests/fuzz/seeds.sh OUTDIR [DWARF2BTF]
# writes OUTDIR/elf/ (small objects, the debug parts of executables, and
# packages of one: .deb, .rpm, tar, zstd),
# OUTDIR/dwarf/ (DWARF sections in the input format of fuzz_dwarf.c) and
# OUTDIR/btf/ (raw BTF that DWARF2BTF, default build/dwarf2btf, makes of
# them), and for the targets that combine them: OUTDIR/split/ (a BTF
# blob, "SPLITBTF", a dwarf/ seed), OUTDIR/dwz/ (a dwz-compressed program's
# dwarf/ seed, "ALTDWARF", its alternate file's), OUTDIR/gzip/ (flags and
# position bytes, then an elf/ seed), OUTDIR/jobs/ (the dwarf/ seeds).
# Needs gcc and binutils; clang and dwz are used when present.
set -u

src=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:?usage: seeds.sh OUTDIR [DWARF2BTF]}
d2b=${2:-$src/build/dwarf2btf}
fix=$src/tests/fixtures
mkdir -p "$out/elf" "$out/dwarf" "$out/btf" "$out/split" "$out/dwz" "$out/gzip" "$out/jobs"
work=$(mktemp -d "${TMPDIR:-/tmp}/d2b-seeds.XXXXXX")
trap 'rm -rf "$work"' EXIT

# fuzz_dwarf.c input: a flags byte, then the parts separated by "DWARFSEC"
dwarf_seed() {
	_bin=$1
	_dst=$2
	printf '\000' >"$_dst"
	for _s in .debug_abbrev .debug_info .debug_str .debug_line_str \
		.debug_str_offsets .debug_addr; do
		rm -f "$work/sec"
		objcopy --dump-section "$_s=$work/sec" "$_bin" "$work/junk" 2>/dev/null
		[ -f "$work/sec" ] && cat "$work/sec" >>"$_dst"
		printf 'DWARFSEC' >>"$_dst"
	done
	nm --defined-only "$_bin" 2>/dev/null |
		awk '$2 ~ /^[Tt]$/ { printf "%s%c", $3, 0 }' >>"$_dst"
}

cc_list=gcc
command -v clang >/dev/null 2>&1 && cc_list="gcc clang"
for f in "$fix"/*.c; do
	b=${f##*/}
	b=${b%.c}
	for cc in $cc_list; do
		for v in 4 5; do
			o=$work/$b.$cc$v
			"$cc" -gdwarf-$v -O1 -c -o "$o.o" "$f" 2>/dev/null || continue
			cp "$o.o" "$out/elf/$b.$cc$v.o"
			# executables: the fixtures that have a main()
			"$cc" -gdwarf-$v -O1 -o "$o" "$f" 2>/dev/null || continue
			objcopy --only-keep-debug "$o" "$o.dbg" 2>/dev/null &&
				cp "$o.dbg" "$out/elf/$b.$cc$v.dbg"
			dwarf_seed "$o" "$out/dwarf/$b.$cc$v"
			if [ -x "$d2b" ] && "$d2b" -j1 "$o" -o "$work/x.btf" 2>/dev/null; then
				cp "$work/x.btf" "$out/btf/$b.$cc$v.btf"
			fi
		done
	done
done
# the smallest valid blob: a header and a string section of one NUL
printf '\237\353\001\000\030\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\001\000\000\000\000' \
	>"$out/btf/empty.btf"
# one blob per rule the validator checks, from the unit tests' table
bt=$(dirname "$d2b")/tests/test_btf_read
if [ -x "$bt" ] && mkdir -p "$work/bad" && "$bt" --write-bad "$work/bad" >/dev/null 2>&1; then
	for f in "$work/bad"/*.btf; do
		cp "$f" "$out/btf/bad-${f##*/}"
	done
fi
# hand-made DWARF: a cycle, a deep nesting, a wide array
if command -v as >/dev/null 2>&1 && command -v ld >/dev/null 2>&1; then
	. "$src/tests/dwarf-asm.sh"
	{
		dw_begin
		dw_base int int 4 5
		dw_typedef a a b
		dw_typedef b b a
		dw_struct s s 16
		dw_member next p 0
		dw_member x int 8
		dw_struct_end
		dw_ptr p s
		dw_array arr s
		dw_subrange_ub 3
		dw_array_end
		dw_enum e e 4
		dw_enumerator A -1
		dw_enumerator B 7
		dw_enum_end
		dw_end
	} >"$work/hand.s"
	if as -o "$work/hand.o" "$work/hand.s" 2>/dev/null &&
		ld -e 0 -o "$work/hand" "$work/hand.o" 2>/dev/null; then
		cp "$work/hand" "$out/elf/hand-made"
		dwarf_seed "$work/hand" "$out/dwarf/hand-made"
	fi
fi
# packages holding a fixture program as their vmlinux (dwarf2btf/package.c)
D2B_SRC=$src
. "$src/tests/packages.sh"
mkdir -p "$work/pkg/usr/lib/debug/boot"
if pkg_vmlinux "$work/pkg/usr/lib/debug/boot/vmlinux-9.9.9" 2>/dev/null; then
	tar -C "$work/pkg" -cf "$out/elf/package.tar" .
	zstd -q -c "$work/pkg/usr/lib/debug/boot/vmlinux-9.9.9" >"$out/elf/vmlinux.zst" 2>/dev/null
	command -v dpkg-deb >/dev/null 2>&1 &&
		pkg_deb "$work/pkg" "$out/elf/package.deb" xz md5sums 2>/dev/null
	command -v rpmbuild >/dev/null 2>&1 &&
		pkg_rpm "$work/pkg" "$out/elf/package.rpm" zstd 2>/dev/null
fi
# split BTF: each program's DWARF on the BTF of structs (gcc, DWARF 5)
base=$out/btf/structs.gcc5.btf
if [ -f "$base" ]; then
	for f in "$out"/dwarf/*.gcc5; do
		{ cat "$base"; printf 'SPLITBTF'; cat "$f"; } >"$out/split/${f##*/}"
	done
fi
# dwz: three programs sharing an alternate file, as in tests/cases/dwarf-variants.sh
if command -v dwz >/dev/null 2>&1; then
	mkdir -p "$work/dwz"
	gcc -g -O1 -w -o "$work/dwz/p1" "$fix/structs.c" &&
		gcc -g -O2 -w -o "$work/dwz/p2" "$fix/structs.c" &&
		gcc -g -O0 -w -o "$work/dwz/p3" "$fix"/multi_cu_*.c &&
		(cd "$work/dwz" && dwz -m common.dwz -M "$work/dwz/common.dwz" p1 p2 p3) \
			>/dev/null 2>&1 &&
		dwarf_seed "$work/dwz/common.dwz" "$work/dwz/alt" &&
		for p in p1 p2 p3; do
			dwarf_seed "$work/dwz/$p" "$work/dwz/$p.seed"
			{ cat "$work/dwz/$p.seed"; printf 'ALTDWARF'; cat "$work/dwz/alt"; } \
				>"$out/dwz/$p"
		done
fi
# gzip: flags 0 (one whole member), position 0, the small files
for f in "$out"/elf/*.o "$out"/elf/hand-made; do
	[ -f "$f" ] || continue
	{ printf '\000\000'; cat "$f"; } >"$out/gzip/${f##*/}"
done
cp "$out"/dwarf/* "$out/jobs/" 2>/dev/null
exit 0
