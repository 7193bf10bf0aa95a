#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# The C header writer (dwarf2btf --header), on the fixtures and on the
# real kernel. Layout is checked against a reference BTF read by
# tests/tools/layout-oracle.c (libbpf, none of our code): pahole's BTF of
# the same fixture binary, and the kernel build's own .BTF.
#
# For each fixture (tests/fixtures, built by gcc and by clang):
#   header.NAME.TAG.compile    the header from the binary's DWARF compiles
#                              without warnings: clang -target bpf -Wall
#                              -Werror, and gcc -fsyntax-only -Wall -Werror
#   header.NAME.TAG.same       the header from the DWARF and the header from
#                              our raw .btf of it are identical but for what
#                              only DWARF knows: aligned() attributes, and the
#                              padding bitfields those stand in for
#   header.NAME.TAG.layout     the oracle's sizeof/offsetof _Static_asserts
#                              hold (clang -target bpf) and each bitfield
#                              holds exactly its bits (a host program)
# For the Debian kernel (tests/fetch-kernel.sh; D2B_SKIP_REAL_KERNEL=1 skips):
#   header.kernel.compile, header.kernel.layout (with the counts),
#   header.kernel.deterministic  two runs on our .btf give the same bytes
#   header.kernel.dwarf_vs_btf   the header from the DWARF equals the one
#                                from our .btf but for aligned() attributes
#                                and the padding they stand in for
#   header.kernel.types          --types task_struct compiles and defines it
# Always:
#   header.cli.no_input          no INPUT and nothing found (D2B_ROOT points
#                                to an empty tree): exit 1, paths listed
#   header.cli.types_unknown     --types NAME that matches nothing: exit 1
set -u
. "$(dirname "$0")/../lib.sh"

# a header without aligned() attributes and unnamed padding bitfields
sans_align() {
	sed -e 's/ __attribute__((aligned([0-9]*)))//' \
		-e 's/__attribute__((packed, aligned([0-9]*)))/__attribute__((packed))/' "$1" |
		grep -Ev '^[[:space:]]*(char|short|int|long|long long): [0-9]+;$'
}

T=$D2B_TMP
CC=${CC:-cc}

need_d2b header || finish

# --- tools ---

have_clang=0
if has clang && printf 'int x;\n' | clang -target bpf -x c -c -o /dev/null - 2>/dev/null; then
	have_clang=1
else
	note "clang with the BPF target not found: compile and layout checks are skipped"
fi
oracle=$T/layout-oracle
if ! $CC -O2 -Wall -o "$oracle" "$D2B_SRC/tests/tools/layout-oracle.c" -lbpf >"$T/oracle.log" 2>&1; then
	note "cannot build tests/tools/layout-oracle.c (libbpf-dev installed?): layout checks are skipped"
	detail "$T/oracle.log" 5
	oracle=
fi

# check_compile NAME HEADER: the header alone, clang for BPF and gcc
check_compile() {
	_d=$(dirname "$2")
	printf '#include "%s"\n' "$(basename "$2")" >"$_d/inc.c"
	if [ "$have_clang" -eq 0 ]; then
		skip "$1" "no clang with the BPF target"
		return
	fi
	if ! clang -target bpf -Wall -Werror -c -o "$_d/inc.o" "$_d/inc.c" >"$_d/clang.log" 2>&1; then
		fail "$1" "clang -target bpf -Wall -Werror rejects the header"
		detail "$_d/clang.log" 15
	elif has gcc && ! gcc -fsyntax-only -Wall -Werror "$_d/inc.c" >"$_d/gcc.log" 2>&1; then
		fail "$1" "gcc -fsyntax-only -Wall -Werror rejects the header"
		detail "$_d/gcc.log" 15
	else
		pass "$1"
	fi
}

# check_layout NAME HEADER REF.btf: the oracle's facts hold for HEADER
check_layout() {
	_d=$(dirname "$2")
	if [ -z "$oracle" ] || [ "$have_clang" -eq 0 ]; then
		skip "$1" "no layout oracle or no clang"
		return
	fi
	if ! "$oracle" "$3" "$_d/asserts.c" "$_d/bits.c" >"$_d/oracle.out" 2>&1; then
		fail "$1" "layout-oracle failed: $(head -n 1 "$_d/oracle.out")"
		return
	fi
	_counts=$(cat "$_d/oracle.out")
	if ! clang -target bpf -c -o "$_d/asserts.o" "$_d/asserts.c" >"$_d/asserts.log" 2>&1; then
		fail "$1" "$(grep -c 'error:' "$_d/asserts.log") layout assertions fail ($_counts)"
		grep 'error:' "$_d/asserts.log" | detail - 20
		return
	fi
	if ! $CC -O0 -w -o "$_d/bits" "$_d/bits.c" >"$_d/bits.log" 2>&1; then
		fail "$1" "the bitfield checker does not build ($_counts)"
		detail "$_d/bits.log" 10
		return
	fi
	if ! "$_d/bits" >"$_d/bits.out" 2>&1; then
		fail "$1" "$(grep -c '^FAIL' "$_d/bits.out") bitfields misplaced ($_counts)"
		detail "$_d/bits.out" 20
		return
	fi
	pass "$1"
	note "$1: $_counts, all hold"
}

# --- fixtures ---

for prog in $(programs); do
	for tag in gcc clang; do
		t=header.$prog.$tag
		if ! has "$tag"; then
			skip "$t" "$tag not installed"
			continue
		fi
		d=$T/$prog.$tag
		mkdir -p "$d"
		x=$d/$prog
		if [ "$tag" = gcc ]; then
			cflags="-gdwarf-5 -O1"
		else
			cflags="-g -O1"
		fi
		# shellcheck disable=SC2046,SC2086 # several sources, no blanks in their paths
		if ! $tag $cflags -o "$x" $(sources_of "$prog") >"$d/cc.log" 2>&1; then
			fail "$t.build" "$tag could not build the fixture"
			detail "$d/cc.log" 5
			continue
		fi
		if ! "$D2B" --header "$x" -o "$d/vmlinux.h" 2>"$d/hdr.err"; then
			fail "$t.header" "dwarf2btf --header exited $?: $(head -n 1 "$d/hdr.err")"
			continue
		fi
		check_compile "$t.compile" "$d/vmlinux.h"
		if "$D2B" "$x" -o "$x.btf" 2>"$d/conv.err" &&
			"$D2B" --header "$x.btf" -o "$d/from-btf.h" 2>>"$d/conv.err"; then
			sans_align "$d/vmlinux.h" >"$d/a.h"
			sans_align "$d/from-btf.h" >"$d/b.h"
			if cmp -s "$d/a.h" "$d/b.h"; then
				pass "$t.same"
				grep -c 'aligned(' "$d/vmlinux.h" | sed 's/^/# aligned() from DWARF: /'
			else
				fail "$t.same" "the headers from the DWARF and from our .btf differ"
				diff "$d/a.h" "$d/b.h" | detail - 20
			fi
		else
			fail "$t.same" "$(head -n 1 "$d/conv.err")"
		fi
		if ! has pahole; then
			skip "$t.layout" "pahole not installed (it makes the reference BTF)"
		elif ! pahole -J --btf_gen_floats --btf_encode_detached="$x.pahole.btf" "$x" \
			>"$d/pahole.log" 2>&1 || [ ! -s "$x.pahole.btf" ]; then
			skip "$t.layout" "pahole failed: $(head -n 1 "$d/pahole.log")"
		else
			check_layout "$t.layout" "$d/vmlinux.h" "$x.pahole.btf"
		fi
	done
done

# --- command line ---

mkdir -p "$T/emptyroot"
D2B_ROOT=$T/emptyroot "$D2B" --header >"$T/noinput.out" 2>"$T/noinput.err"
rc=$?
rel=$(uname -r)
if [ "$rc" -eq 1 ] && grep -q "$T/emptyroot/sys/kernel/btf/vmlinux" "$T/noinput.err" &&
	grep -q "$T/emptyroot/usr/lib/debug/boot/vmlinux-$rel\$" "$T/noinput.err" &&
	grep -q "kernel-debuginfo" "$T/noinput.err" && [ ! -s "$T/noinput.out" ]; then
	pass header.cli.no_input
else
	fail header.cli.no_input "want exit 1 and the paths tried, got exit $rc"
	detail "$T/noinput.err" 12
fi

# --- the real kernel ---

if [ "${D2B_SKIP_REAL_KERNEL:-0}" = 1 ]; then
	skip header.kernel "D2B_SKIP_REAL_KERNEL=1"
	finish
fi
if ! vmlinux=$(sh "$D2B_SRC/tests/fetch-kernel.sh" 2>"$T/fetch.log"); then
	skip header.kernel "no Debian debug kernel: $(tail -n 1 "$T/fetch.log")"
	finish
fi
K=$T/kernel
mkdir -p "$K/types"
if ! objcopy -O binary --only-section=.BTF "$vmlinux" "$K/ref.btf" 2>"$K/objcopy.log" ||
	[ ! -s "$K/ref.btf" ]; then
	skip header.kernel "no .BTF in $vmlinux to compare with"
	finish
fi
if ! "$D2B" --header "$vmlinux" -o "$K/vmlinux.h" 2>"$K/hdr.err"; then
	fail header.kernel.header "dwarf2btf --header $vmlinux: $(head -n 1 "$K/hdr.err")"
	finish
fi
check_compile header.kernel.compile "$K/vmlinux.h"
check_layout header.kernel.layout "$K/vmlinux.h" "$K/ref.btf"

if "$D2B" "$vmlinux" -o "$K/ours.btf" 2>"$K/conv.err" &&
	"$D2B" --header "$K/ours.btf" -o "$K/a.h" && "$D2B" --header "$K/ours.btf" -o "$K/b.h"; then
	if cmp -s "$K/a.h" "$K/b.h"; then
		pass header.kernel.deterministic
	else
		fail header.kernel.deterministic "two runs on the same .btf differ"
	fi
	sans_align "$K/vmlinux.h" >"$K/dwarf-sans.h"
	sans_align "$K/a.h" >"$K/btf-sans.h"
	if cmp -s "$K/dwarf-sans.h" "$K/btf-sans.h"; then
		pass header.kernel.dwarf_vs_btf
		note "aligned() attributes from DWARF in the kernel's header: $(grep -c 'aligned(' "$K/vmlinux.h")"
	else
		fail header.kernel.dwarf_vs_btf "the header from the DWARF differs from the one from our .btf"
		diff "$K/dwarf-sans.h" "$K/btf-sans.h" | detail - 20
	fi
else
	fail header.kernel.deterministic "cannot convert or write: $(head -n 1 "$K/conv.err")"
fi
# not a test of the writer but of the converter: the same header as from
# the kernel's own .BTF means the same types, ___N suffixes and order
if "$D2B" --header "$K/ref.btf" -o "$K/ref.h" 2>/dev/null; then
	n=$(diff "$K/a.h" "$K/ref.h" | grep -c '^[<>]')
	note "header from our BTF vs from the kernel's .BTF: $n differing lines"
fi

if "$D2B" --header "$K/ours.btf" --types task_struct -o "$K/types/vmlinux.h" 2>"$K/types.err" &&
	grep -q '^struct task_struct {$' "$K/types/vmlinux.h"; then
	check_compile header.kernel.types "$K/types/vmlinux.h"
	note "--types task_struct: $(wc -l <"$K/types/vmlinux.h") lines"
else
	fail header.kernel.types "--types task_struct: $(head -n 1 "$K/types.err")"
fi

"$D2B" --header "$K/ours.btf" --types task_struct,no_such_type_anywhere >/dev/null 2>"$K/unk.err"
rc=$?
if [ "$rc" -eq 1 ] && grep -q "no_such_type_anywhere" "$K/unk.err"; then
	pass header.cli.types_unknown
else
	fail header.cli.types_unknown "want exit 1 naming the type, got exit $rc: $(head -n 1 "$K/unk.err")"
fi

finish
