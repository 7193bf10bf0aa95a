#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Hostile and broken input (docs/robustness.md): each row runs dwarf2btf
# on one bad input and asserts the exit status and the exact message (one
# line on stderr). Conversion rows also check that an existing output file
# survives unchanged and that nothing else (no temporary file, no
# .build-id file) appears in the output directory.
#
#   input files     empty, not ELF, no DWARF, a kernel without DWARF,
#                   truncated at several points, sections beyond the end,
#                   a gzip bomb, truncated gzip
#   packages        .deb and .rpm cut short and corrupt, without a vmlinux,
#                   xz bombs, empty standard input
#   DWARF           made by hand with tests/dwarf-asm.sh: cut and corrupt
#                   unit headers and abbreviations, references outside the
#                   unit, type cycles without a pointer, absurd sizes and
#                   counts, deep nesting, long pointer chains
#   C               legal C that BTF cannot describe: 70,000 members or
#                   enumerators, a 200-character name, a typedef chain of 40
#   BTF             every broken blob of tests/unit/test_btf_read.c's table
#                   through --validate (exit 1, the rule in the message),
#                   --diff (no crash) and as the --base of a conversion
#                   (exit 1, the blob named)
#   output          missing directory, read-only directory, full file
#                   system, a directory, /dev/null, a FIFO, a symbolic link
set -u
. "$(dirname "$0")/../lib.sh"
. "$D2B_SRC/tests/dwarf-asm.sh"

need_d2b bad-input || finish
T=$D2B_TMP
IN=$T/in
OUT=$T/o
mkdir -p "$IN" "$OUT"
FIX=$D2B_SRC/tests/fixtures
PRECIOUS="precious contents of an earlier conversion"

# row_check NAME STATUS WANT: compare $rc and $T/err with the expectation;
# WANT is the exact stderr line, or "~REGEX" for an extended regex
row_check() {
	_name=$1
	_want_rc=$2
	_want=$3
	_got=$(head -n 1 "$T/err")
	_lines=$(wc -l <"$T/err")
	if grep -qE 'Sanitizer|runtime error|AddressSanitizer|LeakSanitizer' "$T/err"; then
		fail "$_name" "sanitizer report: $(grep -m 1 -E 'ERROR|runtime error|SUMMARY' "$T/err")"
		return 1
	fi
	if [ "$rc" -ne "$_want_rc" ]; then
		fail "$_name" "exit $rc, want $_want_rc: $_got"
		return 1
	fi
	case $_want in
	"~"*)
		if ! printf '%s\n' "$_got" | grep -Eqx -- "${_want#"~"}"; then
			fail "$_name" "stderr '$_got' does not match '${_want#"~"}'"
			return 1
		fi
		;;
	*)
		if [ "$_got" != "$_want" ]; then
			fail "$_name" "stderr '$_got', want '$_want'"
			return 1
		fi
		;;
	esac
	if [ "$_lines" -gt 1 ]; then
		fail "$_name" "$_lines lines on stderr, want one"
		detail "$T/err" 5
		return 1
	fi
	return 0
}

# conv NAME STATUS WANT INPUT [OPTIONS...]: convert $IN/INPUT (named
# relatively, as messages show it) into $OUT/out.btf, which holds $PRECIOUS
conv() {
	_cname=$1
	_cstatus=$2
	_cwant=$3
	_cin=$4
	shift 4
	rm -rf "$OUT"
	mkdir -p "$OUT"
	printf '%s\n' "$PRECIOUS" >"$OUT/out.btf"
	(cd "$IN" && exec "$D2B" "$@" "$_cin" -o "$OUT/out.btf") >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	row_check "$_cname" "$_cstatus" "$_cwant" || return
	if [ "$_cstatus" -ne 0 ] && [ "$(cat "$OUT/out.btf")" != "$PRECIOUS" ]; then
		fail "$_cname" "the existing output was changed by a failed conversion"
		return
	fi
	_left=$(ls -A "$OUT" | tr '\n' ' ')
	if [ "$_cstatus" -ne 0 ] && [ "$_left" != "out.btf " ]; then
		fail "$_cname" "output directory holds: $_left"
		return
	fi
	pass "$_cname"
}

# run_row NAME STATUS WANT CMD...: any command, run in $IN
run_row() {
	_rname=$1
	_rstatus=$2
	_rwant=$3
	shift 3
	(cd "$IN" && exec "$@") >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	row_check "$_rname" "$_rstatus" "$_rwant" && pass "$_rname"
}

# asm NAME FUNCTION...: $IN/NAME, an executable of the hand-made DWARF
# the functions print (between dw_begin and dw_end)
asm() {
	_an=$1
	shift
	{
		dw_begin
		for _f in "$@"; do
			"$_f"
		done
		dw_end
	} >"$T/$_an.s" || return 1
	as -o "$T/$_an.o" "$T/$_an.s" 2>"$T/as.err" &&
		ld -e 0 -o "$IN/$_an" "$T/$_an.o" 2>"$T/ld.err"
}

size_of() { wc -c <"$1" | tr -d ' '; }

CC=
for c in gcc cc clang; do
	if has "$c"; then
		CC=$c
		break
	fi
done
if [ -z "$CC" ]; then
	skip bad-input "no C compiler"
	finish
fi
if ! $CC -g -O1 -o "$IN/structs" "$FIX/structs.c" 2>"$T/cc.err"; then
	fail bad-input.compile "$CC structs.c failed: $(head -n 1 "$T/cc.err")"
	finish
fi
S=$IN/structs
NODWARF="no DWARF found (install the -dbg or -debuginfo package)"

# ---------------------------------------------------------------- input files
: >"$IN/empty"
conv empty-file 1 "dwarf2btf: empty: empty file, not an ELF file" empty
echo "this is not an ELF file" >"$IN/notelf.txt"
conv not-elf 1 "dwarf2btf: notelf.txt: not an ELF file" notelf.txt
head -c 40 "$IN/structs" >"$IN/elf-header-cut"
conv elf-header-cut 1 "dwarf2btf: elf-header-cut: truncated or corrupt ELF header" elf-header-cut

$CC -O1 -c -o "$IN/nodebug.o" "$FIX/structs.c"
conv no-dwarf-object 1 "dwarf2btf: nodebug.o: $NODWARF" nodebug.o
strip -o "$IN/stripped" "$IN/structs"
conv stripped-executable 1 "dwarf2btf: stripped: $NODWARF" stripped

# a kernel image without DWARF: the message names its debug package
printf '%s\n' 'const char linux_banner[] = "Linux version 6.1.0-99-amd64 (debian-kernel@lists.debian.org) (gcc-12) #1 SMP Debian 6.1.999-1\n";' \
	'int start_kernel(void) { return linux_banner[0]; }' >"$T/vmlinux.c"
$CC -O1 -c -o "$T/vmlinux.o" "$T/vmlinux.c" && ld -e start_kernel -o "$IN/vmlinux" "$T/vmlinux.o"
KMSG="dwarf2btf: vmlinux: no DWARF found: Linux 6.1.0-99-amd64 without debug info; the vmlinux with DWARF is in its debug package (Debian: linux-image-6.1.0-99-amd64-dbg, Ubuntu: linux-image-unsigned-6.1.0-99-amd64-dbgsym, Fedora/RHEL: kernel-debuginfo-6.1.0-99-amd64)"
conv kernel-without-dwarf 1 "$KMSG" vmlinux
"$D2B" "$IN/structs" -o "$T/some.btf" >/dev/null 2>&1
objcopy --add-section .BTF="$T/some.btf" "$IN/vmlinux" "$IN/vmlinux-btf"
conv kernel-with-btf-without-dwarf 1 \
	"$(echo "$KMSG" | sed 's/: vmlinux:/: vmlinux-btf:/'); it has a .BTF section, which is BTF already" \
	vmlinux-btf

# cut short at several points: the section headers come last
full=$(size_of "$IN/structs")
for n in 64 1000 $((full / 2)) $((full - 100)) $((full - 1)); do
	head -c "$n" "$IN/structs" >"$IN/cut$n"
	conv "truncated-at-$n" 1 \
		"dwarf2btf: cut$n: truncated or corrupt: $n bytes, but the section headers end at byte $full" \
		"cut$n"
done

# .debug_info moved beyond the end of the file (its sh_offset rewritten)
idx=$(readelf -S -W "$IN/structs" | sed -n 's/^ *\[ *\([0-9]*\)\] \.debug_info .*/\1/p')
shoff=$(readelf -h "$IN/structs" | sed -n 's/^ *Start of section headers: *\([0-9]*\).*/\1/p')
isize=$(readelf -S -W "$IN/structs" | awk '$2 == ".debug_info" { print strtonum("0x" $6) }' 2>/dev/null)
[ -n "$isize" ] || isize=$(readelf -S -W "$IN/structs" | awk '$2 == ".debug_info" { print $6 }' |
	while read -r h; do printf '%d\n' "0x$h"; done)
if [ -n "$idx" ] && [ -n "$shoff" ] && [ -n "$isize" ]; then
	cp "$IN/structs" "$IN/section-beyond-end"
	# sh_offset: 8 bytes at 24 into the 64-byte header, little-endian 0x100000
	printf '\000\000\020\000\000\000\000\000' |
		dd of="$IN/section-beyond-end" bs=1 seek=$((shoff + idx * 64 + 24)) conv=notrunc 2>/dev/null
	conv section-beyond-end 1 \
		"dwarf2btf: section-beyond-end: truncated or corrupt: $full bytes, but section .debug_info ends at byte $((1048576 + isize))" \
		section-beyond-end
else
	skip section-beyond-end "cannot read the section headers with readelf"
fi

# gzip: a bomb (100 MB of zeros), and a truncated stream
if has gzip; then
	head -c 100000000 /dev/zero | gzip -1 >"$IN/bomb.gz"
	conv gzip-bomb 1 "dwarf2btf: bomb.gz: gzip data inflates to more than 67108864 bytes, more than any vmlinux" bomb.gz
	gzip -c "$IN/structs" | head -c 2000 >"$IN/cut.gz"
	conv gzip-truncated 1 "dwarf2btf: cut.gz: corrupt or truncated gzip data (unexpected end of file)" cut.gz
else
	skip gzip-bomb "gzip not installed"
fi

# packages (dwarf2btf/package.c): cut short, corrupt, without a vmlinux,
# an "xz bomb" in a package and in a stream, empty standard input
if has dpkg-deb && has rpmbuild && has xz; then
	. "$D2B_SRC/tests/packages.sh"
	P=$T/pkgroot
	mkdir -p "$P/usr/lib/debug/boot"
	cp "$IN/structs" "$P/usr/lib/debug/boot/vmlinux-9.9.9"
	pkg_deb "$P" "$IN/good.deb" xz
	pkg_rpm "$P" "$IN/good.rpm" xz
	n=$(wc -c <"$IN/good.deb")
	head -c $((n / 2)) "$IN/good.deb" >"$IN/cut.deb"
	conv package-truncated 1 "~dwarf2btf: cut\.deb: truncated or corrupt package: .+" cut.deb
	cp "$IN/good.deb" "$IN/bad.deb"
	printf 'corrupt data here' | dd of="$IN/bad.deb" bs=1 seek=$((n - 600)) conv=notrunc 2>/dev/null
	conv package-corrupt 1 "~dwarf2btf: bad\.deb: truncated or corrupt package: .+" bad.deb
	n=$(wc -c <"$IN/good.rpm")
	head -c $((n * 3 / 4)) "$IN/good.rpm" >"$IN/cut.rpm"
	conv rpm-truncated 1 "~dwarf2btf: cut\.rpm: truncated or corrupt package: .+" cut.rpm
	cp "$IN/good.rpm" "$IN/bad.rpm"
	printf 'corrupt data here' | dd of="$IN/bad.rpm" bs=1 seek=$((n - 600)) conv=notrunc 2>/dev/null
	conv rpm-corrupt 1 "~dwarf2btf: bad\.rpm: truncated or corrupt package: .+" bad.rpm
	rm -rf "$P"
	mkdir -p "$P/usr/share/doc/x"
	echo hello >"$P/usr/share/doc/x/README"
	pkg_deb "$P" "$IN/novmlinux.deb" xz
	conv package-without-vmlinux 1 "dwarf2btf: novmlinux.deb: no debug vmlinux in the package (looked for usr/lib/debug/boot/vmlinux-* and usr/lib/debug/lib/modules/*/vmlinux)" novmlinux.deb
	rm -rf "$P"
	mkdir -p "$P/usr/lib/debug/boot"
	head -c 100000000 /dev/zero >"$P/usr/lib/debug/boot/vmlinux-9.9.9"
	pkg_deb "$P" "$IN/bomb.deb" xz
	rm -rf "$P"
	conv package-bomb 1 "dwarf2btf: bomb.deb: ./usr/lib/debug/boot/vmlinux-9.9.9 is 100000000 bytes, more than any vmlinux" bomb.deb
	{ printf '\177ELF'; head -c 100000000 /dev/zero; } | xz -1 >"$IN/bomb.xz"
	conv xz-bomb 1 "dwarf2btf: bomb.xz: <stream> unpacks to more than 67108864 bytes, more than any vmlinux" bomb.xz
	conv stdin-empty 1 "dwarf2btf: <stdin>: empty file, not an ELF file" -
else
	skip package-truncated "dpkg-deb, rpmbuild or xz not installed"
fi

# ---------------------------------------------------------------- DWARF by hand
if ! has as || ! has ld; then
	skip bad-dwarf "binutils (as, ld) not installed"
else
	t_int() { dw_base int int 4 5; }
	t_typedef_cycle() { dw_typedef a a b; dw_typedef b b a; }
	t_modifier_cycle() { dw_const c v; dw_volatile v c; dw_typedef t t c; }
	t_struct_self() { dw_struct s s 8; dw_member self s 0; dw_struct_end; }
	t_struct_mutual() {
		dw_struct a a 8; dw_member b b 0; dw_struct_end
		dw_struct b b 8; dw_member a a 0; dw_struct_end
	}
	t_ref_outside() { dw_typedef_raw t t 0x7fffffff; }
	t_typedef_noname() { dw_typedef_noname t int; }
	t_bad_name() { dw_typedef t "a b" int; }
	t_member_beyond() { dw_struct s s 4; dw_member x int 100; dw_struct_end; }
	t_count_2e63() { dw_array a int; dw_subrange_count 0x8000000000000000; dw_array_end; dw_typedef t huge a; }
	t_bound_2e40() { dw_array a int; dw_subrange_ub 0x10000000000; dw_array_end; dw_typedef t huge a; }
	t_bound_below() { dw_array a int; dw_subrange_ub 0xfffffffffffffff0; dw_array_end; dw_typedef t huge a; }
	t_bytes_2e32() { dw_array a int; dw_subrange_ub 0x3fffffff; dw_array_end; dw_typedef t huge a; }
	t_struct_2e63() { dw_struct8 s s 0x8000000000000000; dw_member x int 0; dw_struct_end; }
	t_enum_16() { dw_enum e e 16; dw_enumerator A 1; dw_enum_end; }
	t_enum_range() { dw_enum e e 4; dw_enumerator A 0x100000000; dw_enum_end; }
	t_nested_300() {
		_i=0
		while [ $_i -lt 300 ]; do
			dw_struct "s$_i" "s$_i" 4
			_i=$((_i + 1))
		done
		while [ $_i -gt 0 ]; do
			dw_struct_end
			_i=$((_i - 1))
		done
	}
	# $CHAIN pointers to pointers to ... $CHAIN_BASE
	CHAIN_BASE=int
	t_ptr_chain() {
		dw_ptr p0 "$CHAIN_BASE"
		_i=1
		while [ $_i -lt "$CHAIN" ]; do
			dw_ptr "p$_i" "p$((_i - 1))"
			_i=$((_i + 1))
		done
	}
	# typedefs 100,000 deep: no recursion anywhere may follow it
	t_typedef_chain() {
		dw_typedef t0 t0 int
		_i=1
		while [ $_i -lt 100000 ]; do
			dw_typedef "t$_i" "t$_i" "t$((_i - 1))"
			_i=$((_i + 1))
		done
	}

	asm typedef-cycle t_int t_typedef_cycle
	conv typedef-cycle 1 "dwarf2btf: typedef-cycle: DWARF describes types BTF cannot hold: type [2] TYPEDEF 'a': reference cycle through [3] TYPEDEF with no pointer in it: the type would contain itself" typedef-cycle
	asm modifier-cycle t_int t_modifier_cycle
	conv modifier-cycle 1 "~dwarf2btf: modifier-cycle: DWARF describes types BTF cannot hold: type \[[0-9]+\] (CONST|VOLATILE) '': reference cycle through \[[0-9]+\] (CONST|VOLATILE) with no pointer in it: the type would contain itself" modifier-cycle
	asm struct-contains-itself t_struct_self
	conv struct-contains-itself 1 "dwarf2btf: struct-contains-itself: DWARF describes types BTF cannot hold: type [1] STRUCT 's': reference cycle through [1] STRUCT with no pointer in it: the type would contain itself" struct-contains-itself
	asm structs-contain-each-other t_struct_mutual
	conv structs-contain-each-other 1 "~dwarf2btf: structs-contain-each-other: DWARF describes types BTF cannot hold: type \[[12]\] STRUCT '[ab]': reference cycle through \[[12]\] STRUCT with no pointer in it: the type would contain itself" structs-contain-each-other
	asm ref-outside-unit t_int t_ref_outside
	conv ref-outside-unit 1 "dwarf2btf: ref-outside-unit: DIE at 0x1a: DW_AT_type refers outside the debug info" ref-outside-unit
	asm typedef-without-name t_int t_typedef_noname
	conv typedef-without-name 1 "dwarf2btf: typedef-without-name: DWARF describes types BTF cannot hold: type [2] TYPEDEF '': name is empty" typedef-without-name
	asm name-not-identifier t_int t_bad_name
	conv name-not-identifier 1 "dwarf2btf: name-not-identifier: DWARF describes types BTF cannot hold: type [2] TYPEDEF 'a b': name has a character not allowed in an identifier" name-not-identifier
	asm member-beyond-struct t_int t_member_beyond
	conv member-beyond-struct 1 "dwarf2btf: member-beyond-struct: DWARF describes types BTF cannot hold: type [2] STRUCT 's': member 'x' offset 800 beyond struct size 4" member-beyond-struct
	# DWARF 2-4 bitfields whose storage size or bit offset would overflow
	# the offset's arithmetic (fuzz_gzip found the first)
	t_bitfield_storage() { dw_struct s s 4; dw_bitfield x int 0xeb0a000000000001 3 5 0; dw_struct_end; }
	t_bitfield_bit_off() { dw_struct s s 4; dw_bitfield x int 4 3 -0x7fffffffffffffff 0; dw_struct_end; }
	asm bitfield-storage-2e63 t_int t_bitfield_storage
	conv bitfield-storage-2e63 1 "~dwarf2btf: bitfield-storage-2e63: DIE at 0x[0-9a-f]+: bitfield storage size 16936349348680171521 or DW_AT_bit_offset 5 out of range" bitfield-storage-2e63
	asm bitfield-offset-2e63 t_int t_bitfield_bit_off
	conv bitfield-offset-2e63 1 "~dwarf2btf: bitfield-offset-2e63: DIE at 0x[0-9a-f]+: bitfield storage size 4 or DW_AT_bit_offset -9223372036854775807 out of range" bitfield-offset-2e63
	asm array-count-2e63 t_int t_count_2e63
	conv array-count-2e63 1 "dwarf2btf: array-count-2e63: DIE at 0x1a: array of more than 2^32 elements cannot be described in BTF" array-count-2e63
	asm array-2e40-elements t_int t_bound_2e40
	conv array-2e40-elements 1 "dwarf2btf: array-2e40-elements: DIE at 0x1a: array of more than 2^32 elements cannot be described in BTF" array-2e40-elements
	asm array-bound-below-lower t_int t_bound_below
	conv array-bound-below-lower 1 "dwarf2btf: array-bound-below-lower: DIE at 0x1a: array of more than 2^32 elements cannot be described in BTF" array-bound-below-lower
	asm array-of-16-gib t_int t_bytes_2e32
	conv array-of-16-gib 1 "dwarf2btf: array-of-16-gib: DWARF describes types BTF cannot hold: type [2] ARRAY '': 1073741824 elements of 4 bytes overflow 32 bits" array-of-16-gib
	asm struct-2e63-bytes t_int t_struct_2e63
	conv struct-2e63-bytes 1 "dwarf2btf: struct-2e63-bytes: DIE at 0x1a: struct larger than 4 GiB" struct-2e63-bytes
	asm enum-of-16-bytes t_enum_16
	conv enum-of-16-bytes 1 "dwarf2btf: enum-of-16-bytes: DIE at 0x13: enum of 16 bytes" enum-of-16-bytes
	asm enumerator-out-of-range t_enum_range
	conv enumerator-out-of-range 1 "dwarf2btf: enumerator-out-of-range: DIE at 0x17: enumerator value 4294967296 does not fit a 4-byte enum" enumerator-out-of-range
	asm nested-300-deep t_int t_nested_300
	conv nested-300-deep 1 "dwarf2btf: nested-300-deep: DIE at 0x6a5: DIEs nested deeper than 256" nested-300-deep
	CHAIN=200
	asm pointer-chain-200 t_int t_ptr_chain
	conv pointer-chain-200 0 "" pointer-chain-200
	CHAIN=20000
	asm pointer-chain-20000 t_int t_ptr_chain
	# hashed whole, as it reaches no cycle: no round, and every pointer kept
	conv pointer-chain-20000 0 "" pointer-chain-20000
	_got=$("$D2B" --validate "$OUT/out.btf" 2>&1)
	case $_got in
	*"valid BTF, 20001 types") pass pointer-chain-20000.types ;;
	*) fail pointer-chain-20000.types "$_got" ;;
	esac
	# ending in an anonymous struct that points to itself: the hash takes
	# in five links, and each round one more
	t_self_pointing() {
		dw_struct a "" 8
		dw_member next pa 0
		dw_struct_end
		dw_ptr pa a
	}
	CHAIN_BASE=a
	asm pointer-chain-20000-cycle t_self_pointing t_ptr_chain
	conv pointer-chain-20000-cycle 1 "dwarf2btf: pointer-chain-20000-cycle: deduplication does not settle in 256 rounds: the types form chains of hundreds of links that differ only at their far end (pointer to pointer to ...), which no compiler writes" pointer-chain-20000-cycle
	# 2,000 units, each referring to the end of a 2,200-link chain in the
	# first: each converts the whole chain again (4.4 million nodes)
	t_cross_unit() {
		dw_ptr p0 int
		_i=1
		while [ $_i -lt 2200 ]; do
			dw_ptr "p$_i" "p$((_i - 1))"
			_i=$((_i + 1))
		done
		_u=1
		while [ $_u -le 2000 ]; do
			dw_unit "u$_u" "u$_u.c"
			dw_typedef_addr "t$_u" "t$_u" p2199
			_u=$((_u + 1))
		done
	}
	asm cross-unit-blowup t_int t_cross_unit
	conv cross-unit-blowup 1 "dwarf2btf: cross-unit-blowup: more than 4194304 type nodes (one per byte of debug info): the units refer into other units far more than compilers write" cross-unit-blowup
	# 1,000 structs "s" that differ only 150 pointers deep: trying each
	# against all earlier ones is quadratic; the work limit keeps them apart
	t_same_name() {
		_j=0
		while [ $_j -lt 1000 ]; do
			dw_base "b$_j" "int$_j" 4 5
			dw_ptr "c${_j}_0" "b$_j"
			_i=1
			while [ $_i -lt 150 ]; do
				dw_ptr "c${_j}_$_i" "c${_j}_$((_i - 1))"
				_i=$((_i + 1))
			done
			dw_struct "s$_j" s 8
			dw_member x "c${_j}_149" 0
			dw_struct_end
			_j=$((_j + 1))
		done
	}
	asm same-name-1000-structs t_same_name
	conv same-name-1000-structs 0 "dwarf2btf: note: merging same-named types stopped at its work limit: some equal types are written twice" same-name-1000-structs
	asm typedef-chain-100000 t_int t_typedef_chain
	conv typedef-chain-100000 1 "dwarf2btf: typedef-chain-100000: DWARF describes types BTF cannot hold: type [34] TYPEDEF 't32': modifier chain deeper than 32" typedef-chain-100000

	# cut and corrupted .debug_info and .debug_abbrev of a small unit
	asm small t_int
	objcopy --dump-section .debug_info="$T/info" "$IN/small" "$T/junk"
	head -c 11 "$T/info" >"$T/info11"
	objcopy --update-section .debug_info="$T/info11" "$IN/small" "$IN/info-cut-in-header"
	conv debug-info-cut-in-unit-header 1 "dwarf2btf: info-cut-in-header: corrupt DWARF unit headers: a unit header is cut short" info-cut-in-header
	head -c 5 "$T/info" >"$T/info5"
	objcopy --update-section .debug_info="$T/info5" "$IN/small" "$IN/info-cut-in-length"
	conv debug-info-cut-in-unit-length 1 "dwarf2btf: info-cut-in-length: corrupt DWARF unit headers: invalid DWARF" info-cut-in-length
	head -c 20 "$T/info" >"$T/info20"
	objcopy --update-section .debug_info="$T/info20" "$IN/small" "$IN/info-cut-in-die"
	conv debug-info-cut-in-die 1 "dwarf2btf: info-cut-in-die: DIE at 0x13: corrupt DIE tree: invalid DWARF" info-cut-in-die
	# the base type's DW_AT_encoding given the undefined form 0x7f
	sed 's/\.uleb128 0x3e, 0xb\t# encoding, data1/.uleb128 0x3e, 0x7f\t# encoding, bad form/' \
		"$T/small.s" >"$T/badform.s"
	as -o "$T/badform.o" "$T/badform.s" && ld -e 0 -o "$IN/abbrev-bad-form" "$T/badform.o" 2>/dev/null
	conv abbrev-bad-form 1 "dwarf2btf: abbrev-bad-form: DIE at 0x13: corrupt DIE tree: invalid DWARF" abbrev-bad-form
	t_undefined_abbrev() { printf '\t.uleb128 99\n\t.byte 1, 2, 3, 4\n'; }
	asm abbrev-undefined-code t_undefined_abbrev
	conv abbrev-undefined-code 1 "dwarf2btf: abbrev-undefined-code: DIE at 0x13: corrupt DIE tree: invalid DWARF" abbrev-undefined-code
	# every byte of the abbreviations flipped in turn: errors or success, never a crash
	objcopy --dump-section .debug_abbrev="$T/abbrev" "$IN/small" "$T/junk"
	n=$(size_of "$T/abbrev")
	bad=
	i=0
	while [ $i -lt "$n" ]; do
		cp "$T/abbrev" "$T/abbrev.x"
		printf '\377' | dd of="$T/abbrev.x" bs=1 seek=$i conv=notrunc 2>/dev/null
		objcopy --update-section .debug_abbrev="$T/abbrev.x" "$IN/small" "$IN/flip" 2>/dev/null
		"$D2B" "$IN/flip" -o "$OUT/flip.btf" >/dev/null 2>"$T/err"
		rc=$?
		if [ "$rc" -gt 1 ] || grep -qE 'Sanitizer|runtime error' "$T/err" ||
			{ [ "$rc" -eq 1 ] && [ "$(wc -l <"$T/err")" -ne 1 ]; }; then
			bad="$bad $i:$rc"
		fi
		i=$((i + 1))
	done
	if [ -z "$bad" ]; then
		pass abbrev-every-byte-flipped
	else
		fail abbrev-every-byte-flipped "byte:exit of the failures:$bad"
	fi
fi

# ---------------------------------------------------------------- legal C, beyond BTF
gen_wide() {
	echo 'struct wide {'
	i=0
	while [ $i -lt 70000 ]; do
		echo "int m$i;"
		i=$((i + 1))
	done
	echo '} w;'
}
gen_wide >"$T/wide.c"
$CC -g -c -o "$IN/wide.o" "$T/wide.c"
conv struct-70000-members 1 "~dwarf2btf: wide\.o: DIE at 0x[0-9a-f]+: 70000 members, more than BTF can hold \(65535\)" wide.o
sed 's/^struct wide {/enum many {/; s/^int m\([0-9]*\);/E\1,/; s/^} w;/} e;/' "$T/wide.c" >"$T/many.c"
$CC -g -c -o "$IN/many.o" "$T/many.c"
conv enum-70000-enumerators 1 "~dwarf2btf: many\.o: DIE at 0x[0-9a-f]+: 70000 enumerators, more than BTF can hold \(65535\)" many.o
long=$(printf '%0200d' 0 | tr 0 a)
printf 'struct %s { int x; } v;\n' "$long" >"$T/long.c"
$CC -g -c -o "$IN/long.o" "$T/long.c"
conv name-of-200-characters 1 "~dwarf2btf: long\.o: DWARF describes types BTF cannot hold: type \[[0-9]+\] STRUCT 'a{64}': name too long \(128 bytes or more, limit 127\)" long.o
{
	echo 'typedef int t0;'
	i=1
	while [ $i -le 40 ]; do
		echo "typedef t$((i - 1)) t$i;"
		i=$((i + 1))
	done
	echo 't40 v;'
} >"$T/chain.c"
$CC -g -c -o "$IN/chain.o" "$T/chain.c"
conv typedef-chain-of-40 1 "~dwarf2btf: chain\.o: DWARF describes types BTF cannot hold: type \[[0-9]+\] TYPEDEF 't[0-9]+': modifier chain deeper than 32" chain.o

# ---------------------------------------------------------------- BTF blobs
bt=$D2B_BUILD/tests/test_btf_read
if [ ! -x "$bt" ]; then
	skip bad-btf "$bt not built (make unit)"
elif ! mkdir -p "$T/btf" || ! "$bt" --write-bad "$T/btf" >"$T/bt.log" 2>&1; then
	fail bad-btf "test_btf_read --write-bad failed: $(head -n 1 "$T/bt.log")"
else
	nv=0
	nd=0
	nb=0
	bad=
	tab=$(printf '\t')
	while IFS=$tab read -r name expect; do
		f=$name.btf
		(cd "$T/btf" && exec "$D2B" --validate "$f") >"$T/out" 2>"$T/err" </dev/null
		rc=$?
		got=$(head -n 1 "$T/err")
		case $got in
		"dwarf2btf: $f: "*"$expect"*) ;;
		*) got="MISMATCH: $got" ;;
		esac
		if [ "$rc" -ne 1 ] || [ "${got#MISMATCH}" != "$got" ] ||
			grep -qE 'Sanitizer|runtime error' "$T/err"; then
			bad="$bad validate.$name"
			note "validate $name: exit $rc, $got (want ...$expect...)"
		else
			nv=$((nv + 1))
		fi
		# --diff compares whatever parses; a blob that does not, it refuses
		(cd "$T/btf" && exec "$D2B" --diff "$f" "$f") >"$T/out" 2>"$T/err" </dev/null
		rc=$?
		if grep -qE 'Sanitizer|runtime error' "$T/err" ||
			{ [ "$rc" -eq 0 ] && ! grep -qx 'differences 0' "$T/out"; } ||
			{ [ "$rc" -eq 1 ] && ! head -n 1 "$T/err" | grep -qF "dwarf2btf: $f: "; } ||
			{ [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; }; then
			bad="$bad diff.$name"
			note "diff $name: exit $rc: $(head -n 1 "$T/err")"
		else
			nd=$((nd + 1))
		fi
		# as --base, refused with its rule before any conversion
		(cd "$T/btf" && exec "$D2B" --base "$f" "$S" -o "$T/split.btf") >"$T/out" 2>"$T/err" </dev/null
		rc=$?
		if [ "$rc" -ne 1 ] || ! head -n 1 "$T/err" | grep -qF "dwarf2btf: $f: " ||
			grep -qE 'Sanitizer|runtime error' "$T/err"; then
			bad="$bad base.$name"
			note "base $name: exit $rc: $(head -n 1 "$T/err")"
		else
			nb=$((nb + 1))
		fi
	done <"$T/btf/cases.txt"
	if [ -z "$bad" ]; then
		pass bad-btf
		note "bad-btf: $nv blobs rejected by --validate with their rule, $nd through --diff, $nb as --base"
	else
		fail bad-btf "failed:$bad"
	fi
fi

# 42 KB whose descriptions for --diff would take gigabytes: 1,100 typedefs
# of an anonymous struct of 1,000 anonymous structs of 1,000 ints
cp "$D2B_SRC/tests/data/diff-description-bomb.btf" "$IN/bomb.btf"
run_row diff-description-bomb 1 "dwarf2btf: bomb.btf, bomb.btf: comparison stopped: the type descriptions grow beyond 256 MiB (anonymous types nested and shared far more than in any kernel)" \
	"$D2B" --diff bomb.btf bomb.btf
run_row validate-description-bomb 0 "" "$D2B" --validate bomb.btf

# ---------------------------------------------------------------- output

run_row output-missing-dir 1 "dwarf2btf: $T/no/such/dir/out.btf: cannot create: no such file or directory" \
	"$D2B" "$S" -o "$T/no/such/dir/out.btf"
mkdir "$T/adir"
run_row output-is-a-directory 1 "dwarf2btf: $T/adir: cannot write: is a directory" "$D2B" "$S" -o "$T/adir"

# read-only directory: a read-only bind mount (root), else a directory we cannot write
mkdir -p "$T/ro"
printf '%s\n' "$PRECIOUS" >"$T/ro/out.btf"
ro=
if [ "$(id -u)" -eq 0 ] && mount --bind "$T/ro" "$T/ro" 2>/dev/null; then
	if mount -o remount,bind,ro "$T/ro" 2>/dev/null; then
		ro=mount
	else
		umount "$T/ro"
	fi
elif [ "$(id -u)" -ne 0 ]; then
	chmod a-w "$T/ro" && ro=chmod
fi
if [ -z "$ro" ]; then
	skip output-read-only-dir "cannot make a read-only directory here (mount --bind -o ro failed)"
else
	run_row output-read-only-dir 1 \
		"~dwarf2btf: $T/ro/out\.btf: cannot create: (read-only file system|permission denied)" \
		"$D2B" "$S" -o "$T/ro/out.btf"
	if [ "$(cat "$T/ro/out.btf")" != "$PRECIOUS" ] || [ "$(ls -A "$T/ro")" != out.btf ]; then
		fail output-read-only-dir.untouched "the read-only directory changed: $(ls -A "$T/ro" | tr '\n' ' ')"
	else
		pass output-read-only-dir.untouched
	fi
	if [ "$ro" = mount ]; then
		umount "$T/ro"
	else
		chmod u+w "$T/ro"
	fi
fi

# full file system: a 64 KiB tmpfs, filled up
mkdir -p "$T/full"
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=64k tmpfs "$T/full" 2>/dev/null; then
	printf '%s\n' "$PRECIOUS" >"$T/full/out.btf"
	dd if=/dev/zero of="$T/full/fill" bs=4096 2>/dev/null
	run_row output-disk-full 1 "dwarf2btf: $T/full/out.btf: cannot write: no space left on device" \
		"$D2B" "$S" -o "$T/full/out.btf"
	if [ "$(cat "$T/full/out.btf")" != "$PRECIOUS" ] ||
		[ "$(ls -A "$T/full" | tr '\n' ' ')" != "fill out.btf " ]; then
		fail output-disk-full.untouched "the full file system changed: $(ls -A "$T/full" | tr '\n' ' ')"
	else
		pass output-disk-full.untouched
	fi
	umount "$T/full"
else
	skip output-disk-full "cannot mount a small tmpfs here (needs root)"
fi

# a device, a FIFO, a symbolic link: written into or through, never replaced
if [ -c /dev/null ] && [ -w /dev/null ]; then
	rm -f /dev/null.build-id 2>/dev/null
	run_row output-dev-null 0 "" "$D2B" "$S" -o /dev/null
	if [ ! -c /dev/null ] || [ -e /dev/null.build-id ]; then
		fail output-dev-null.kept "/dev/null is no longer a character device, or /dev/null.build-id appeared"
	else
		pass output-dev-null.kept
	fi
fi
if has mkfifo && mkfifo "$T/fifo" 2>/dev/null; then
	cat "$T/fifo" >"$T/fifo.out" &
	reader=$!
	run_row output-fifo 0 "" "$D2B" "$S" -o "$T/fifo"
	wait "$reader"
	"$D2B" "$S" -o "$T/direct.btf" 2>/dev/null
	if [ ! -p "$T/fifo" ] || [ -e "$T/fifo.build-id" ] || ! cmp -s "$T/fifo.out" "$T/direct.btf"; then
		fail output-fifo.kept "the FIFO was replaced, got a .build-id file, or passed other bytes"
	else
		pass output-fifo.kept
	fi
fi
# reports on a stdout that cannot take them
if [ -c /dev/full ]; then
	run_row stdout-full-convert 1 "dwarf2btf: <stdout>: cannot write: no space left on device" \
		sh -c 'exec "$1" "$2" -o - >/dev/full' sh "$D2B" "$S"
	run_row stdout-full-validate 1 "dwarf2btf: <stdout>: cannot write" \
		sh -c 'exec "$1" --validate "$2" >/dev/full' sh "$D2B" "$T/some.btf"
	run_row stdout-full-diff 1 "dwarf2btf: <stdout>: cannot write" \
		sh -c 'exec "$1" --diff "$2" "$2" >/dev/full' sh "$D2B" "$T/some.btf"
fi
mkdir -p "$T/link"
printf 'old\n' >"$T/link/target.btf"
ln -s target.btf "$T/link/link.btf"
run_row output-symlink 0 "" "$D2B" "$S" -o "$T/link/link.btf"
if [ ! -L "$T/link/link.btf" ] || ! cmp -s "$T/link/target.btf" "$T/direct.btf"; then
	fail output-symlink.kept "the link was replaced, or its target not written"
else
	pass output-symlink.kept
fi

finish
