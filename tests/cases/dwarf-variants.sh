#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# The same types reach dwarf2btf in many packagings; each must give the BTF
# the plain file gives (or pahole's, where pahole reads it right):
#   variants.old-dwarf.*    -gdwarf-2 -gstrict-dwarf (DWARF 2 bitfields),
#                           -gdwarf-3: same as pahole 1.24
#   variants.type-units.*   -fdebug-types-section, DWARF 4 and 5: same as
#                           without (pahole 1.24 gets these wrong or crashes)
#   variants.compressed.*   objcopy --compress-debug-sections=zlib, =zlib-gnu:
#                           byte-identical; also on the real vmlinux
#   variants.gzip.*         the file gzipped: byte-identical; truncated: error
#   variants.dwz.*          dwz (one file, and -m with an alternate file):
#                           same types; alternate file missing: error
#   variants.relocatable.*  gcc and clang .o files: same as pahole 1.24
set -u
. "$(dirname "$0")/../lib.sh"

need_d2b variants || finish
T=$D2B_TMP
PROGS="structs bitfields enums arrays funcs recursive qualifiers"

# build NAME OUT CC FLAGS...: the fixture program NAME (NAME.c or NAME_*.c)
build() {
	_name=$1
	_out=$2
	_cc=$3
	shift 3
	# shellcheck disable=SC2046 # one word per source file
	"$_cc" -O1 -w -o "$_out" "$@" $(sources_of "$_name") 2>"$T/cc.err"
}

# same_types NAME A B: pass NAME when the BTFs of ELF files A and B agree
same_types() {
	if ! "$D2B" "$2" -o "$T/a.btf" 2>"$T/err" || ! "$D2B" "$3" -o "$T/b.btf" 2>"$T/err"; then
		fail "$1" "conversion failed: $(head -n 1 "$T/err")"
	elif "$D2B" --diff "$T/a.btf" "$T/b.btf" >"$T/diff"; then
		pass "$1"
	else
		fail "$1" "$(grep -c '^[<>]' "$T/diff") types differ"
		grep '^[<>]' "$T/diff" | detail - 10
	fi
}

# same_bytes NAME A B: pass NAME when A and B convert to identical bytes
same_bytes() {
	if ! "$D2B" "$2" -o "$T/a.btf" 2>"$T/err" || ! "$D2B" "$3" -o "$T/b.btf" 2>"$T/err"; then
		fail "$1" "conversion failed: $(head -n 1 "$T/err")"
	elif cmp -s "$T/a.btf" "$T/b.btf"; then
		pass "$1"
	else
		fail "$1" "outputs differ: $(cmp "$T/a.btf" "$T/b.btf" 2>&1 | head -n 1)"
	fi
}

# like_pahole NAME FILE: pass NAME when our BTF of FILE equals pahole's
like_pahole() {
	rm -f "$T/p.btf"
	if ! pahole -J --btf_gen_floats --btf_encode_detached="$T/p.btf" "$2" >"$T/err" 2>&1; then
		skip "$1" "pahole failed on it: $(head -n 1 "$T/err")"
	elif ! "$D2B" "$2" -o "$T/o.btf" 2>"$T/err"; then
		fail "$1" "conversion failed: $(head -n 1 "$T/err")"
	elif "$D2B" --diff "$T/p.btf" "$T/o.btf" >"$T/diff"; then
		pass "$1"
	else
		fail "$1" "$(grep -c '^[<>]' "$T/diff") types differ from pahole's"
		grep '^[<>]' "$T/diff" | detail - 10
	fi
}

# expect_error NAME STATUS TEXT ARGS...: dwarf2btf ARGS exits STATUS, stderr has TEXT
expect_error() {
	_name=$1
	_want=$2
	_text=$3
	shift 3
	"$D2B" "$@" >/dev/null 2>"$T/err"
	_rc=$?
	if [ "$_rc" -ne "$_want" ]; then
		fail "$_name" "exit $_rc, want $_want: $(head -n 1 "$T/err")"
	elif ! grep -qF "$_text" "$T/err"; then
		fail "$_name" "message lacks '$_text': $(head -n 1 "$T/err")"
	else
		pass "$_name"
	fi
}

for p in $PROGS; do
	build "$p" "$T/$p.plain" gcc -gdwarf-4 || { fail "variants.build.$p" "$(head -n 3 "$T/cc.err")"; continue; }

	if has pahole; then
		for v in 2 3; do
			strict=
			[ "$v" = 2 ] && strict=-gstrict-dwarf
			build "$p" "$T/$p.v$v" gcc "-gdwarf-$v" $strict &&
				like_pahole "variants.old-dwarf.$p.dwarf$v" "$T/$p.v$v"
		done
		build "$p" "$T/$p.o" gcc -g -c && like_pahole "variants.relocatable.$p.gcc" "$T/$p.o"
		build "$p" "$T/$p.clang.o" clang -g -c &&
			like_pahole "variants.relocatable.$p.clang" "$T/$p.clang.o"
	fi

	for v in 4 5; do
		build "$p" "$T/$p.tu$v" gcc "-gdwarf-$v" -fdebug-types-section &&
			same_types "variants.type-units.$p.dwarf$v" "$T/$p.plain" "$T/$p.tu$v"
	done

	for z in zlib zlib-gnu; do
		if objcopy --compress-debug-sections=$z "$T/$p.plain" "$T/$p.$z" 2>"$T/err"; then
			same_bytes "variants.compressed.$p.$z" "$T/$p.plain" "$T/$p.$z"
		else
			fail "variants.compressed.$p.$z" "objcopy: $(head -n 1 "$T/err")"
		fi
	done

	gzip -c "$T/$p.plain" >"$T/$p.gz" && same_bytes "variants.gzip.$p" "$T/$p.plain" "$T/$p.gz"
done

# a truncated gzip stream
head -c $(($(wc -c <"$T/structs.gz") / 2)) "$T/structs.gz" >"$T/trunc.gz"
expect_error variants.gzip.truncated 1 "trunc.gz: corrupt or truncated gzip data" \
	"$T/trunc.gz" -o "$T/x.btf"

# dwz: one file, then three programs sharing an alternate file
if has dwz; then
	mkdir -p "$T/dwz"
	build structs "$T/dwz/one" gcc -g
	cp "$T/dwz/one" "$T/dwz/one.orig"
	if dwz "$T/dwz/one" 2>"$T/err"; then
		same_types variants.dwz.single "$T/dwz/one.orig" "$T/dwz/one"
	else
		fail variants.dwz.single "dwz: $(head -n 1 "$T/err")"
	fi
	build structs "$T/dwz/p1" gcc -g
	build structs "$T/dwz/p2" gcc -g -O2
	build multi_cu "$T/dwz/p3" gcc -g -O0
	for x in p1 p2 p3; do cp "$T/dwz/$x" "$T/dwz/$x.orig"; done
	if (cd "$T/dwz" && dwz -m common.dwz -M "$T/dwz/common.dwz" p1 p2 p3) 2>"$T/err" &&
		grep -q . "$T/dwz/common.dwz"; then
		for x in p1 p2 p3; do
			same_types "variants.dwz.multifile.$x" "$T/dwz/$x.orig" "$T/dwz/$x"
		done
		mv "$T/dwz/common.dwz" "$T/dwz/common.moved"
		expect_error variants.dwz.alt-missing 1 "dwz alternate debug file not found" \
			"$T/dwz/p1" -o "$T/x.btf"
	else
		fail variants.dwz.multifile "dwz -m: $(head -n 1 "$T/err")"
	fi
else
	skip variants.dwz "dwz is not installed (tests/install-deps.sh installs it)"
fi

# the real vmlinux with compressed debug sections
if [ "${D2B_SKIP_REAL_KERNEL:-0}" = 1 ]; then
	skip variants.compressed.vmlinux "D2B_SKIP_REAL_KERNEL=1"
elif ! vmlinux=$(sh "$D2B_SRC/tests/fetch-kernel.sh" 2>"$T/fetch.err"); then
	fail variants.compressed.vmlinux "tests/fetch-kernel.sh: $(tail -n 1 "$T/fetch.err")"
elif ! objcopy --compress-debug-sections=zlib "$vmlinux" "$T/vmlinux.z" 2>"$T/err"; then
	fail variants.compressed.vmlinux "objcopy: $(head -n 1 "$T/err")"
else
	same_bytes variants.compressed.vmlinux "$vmlinux" "$T/vmlinux.z"
	rm -f "$T/vmlinux.z"
fi

finish
