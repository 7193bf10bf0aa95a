#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Convert Debian's cloud-amd64 debug vmlinux (tests/fetch-kernel.sh) and
# compare with the .BTF that the kernel build made from the same DWARF.
#   kernel.validate / .bpftool / .libbpf   consumers accept our BTF
#   kernel.types-complete   for STRUCT UNION ENUM ENUM64 TYPEDEF INT FLOAT FWD
#                           VAR DATASEC every reference type is in ours (only_a=0)
#   kernel.no-extra         per kind, ours has no more types than the reference
#   kernel.funcs            FUNC: matched >= 98% of the reference, and every
#                           FUNC of ours identical to one of the reference's
# Differences listed in tests/exceptions/real-kernel-cloud-amd64.txt (pahole's mistakes)
# are not counted.
#   kernel.jobs1-identical, kernel.jobs3-identical   -j1 and -j3 output are
#                           byte-identical to the default's (-j: online CPUs)
#   kernel.early-resolution  every declaration is resolved before refinement
#                           (dwarf2btf -v): this kernel has no declared name
#                           with two definitions, and merging alone takes
#                           6.2 million steps instead of 1,226
# D2B_SKIP_REAL_KERNEL=1 skips all of it. The full --diff output is kept in
# $D2B_CACHE/last-real-kernel.diff.
set -u
. "$(dirname "$0")/../lib.sh"

if [ "${D2B_SKIP_REAL_KERNEL:-0}" = 1 ]; then
	skip kernel "D2B_SKIP_REAL_KERNEL=1"
	finish
fi
need_d2b kernel || finish

T=$D2B_TMP
if ! vmlinux=$(sh "$D2B_SRC/tests/fetch-kernel.sh" 2>"$T/fetch.err") || [ ! -s "$vmlinux" ]; then
	fail kernel.fetch "tests/fetch-kernel.sh failed: $(tail -n 1 "$T/fetch.err")"
	detail "$T/fetch.err" 10
	finish
fi
note "vmlinux: $vmlinux ($(($(wc -c <"$vmlinux") / 1048576)) MB)"

# the kernel build's own BTF
ref=$T/ref.btf
if objcopy -O binary --only-section=.BTF "$vmlinux" "$ref" 2>"$T/objcopy.err" &&
	[ "$(od -An -tx1 -N2 "$ref" | tr -d ' ')" = 9feb ]; then
	note "reference: .BTF of vmlinux, $(wc -c <"$ref") bytes"
else
	note "objcopy could not extract .BTF ($(head -n 1 "$T/objcopy.err")); passing the ELF to --diff"
	ref=$vmlinux
fi

# convert_timed LABEL OUT [OPTIONS...]: convert, print wall time and max RSS
convert_timed() {
	_label=$1
	_out=$2
	shift 2
	_t0=$(date +%s)
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -v -o "$T/time.$_label" "$D2B" "$@" "$vmlinux" -o "$_out" \
			>"$T/conv.$_label.out" 2>"$T/conv.$_label.err"
		_rc=$?
	else
		"$D2B" "$@" "$vmlinux" -o "$_out" >"$T/conv.$_label.out" 2>"$T/conv.$_label.err"
		_rc=$?
	fi
	_t1=$(date +%s)
	if [ -f "$T/time.$_label" ]; then
		_wall=$(sed -n 's/^[[:space:]]*Elapsed (wall clock) time[^:]*: *//p' "$T/time.$_label" | sed 's/.*: //')
		_rss=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): *//p' "$T/time.$_label")
		_user=$(sed -n 's/^[[:space:]]*User time (seconds): *//p' "$T/time.$_label")
		note "convert $_label (${*:-default jobs}): wall ${_wall:-?}, user ${_user:-?}s, max RSS $((${_rss:-0} / 1024)) MB, exit $_rc"
	else
		note "convert $_label (${*:-default jobs}): wall $((_t1 - _t0))s, exit $_rc"
	fi
	return "$_rc"
}

ours=$T/ours.btf
if ! convert_timed default "$ours"; then
	fail kernel.convert "dwarf2btf vmlinux -o ours.btf failed: $(tail -n 1 "$T/conv.default.err")"
	detail "$T/conv.default.err" 10
	finish
fi
if [ ! -s "$ours" ]; then
	fail kernel.convert "dwarf2btf exited 0 but ours.btf is empty"
	finish
fi
note "ours: $(wc -c <"$ours") bytes"

# (a) (b) (c)
consumers_check kernel "$ours"

# (d) (e) (f)
compare_kernel_btf kernel "$ref" "$ours" "$D2B_SRC/tests/exceptions/real-kernel-cloud-amd64.txt" ||
	finish
cp "$T/kernel.diff" "$D2B_CACHE/last-real-kernel.diff" 2>/dev/null || true

# (g) the same bytes for any thread count: one, the default, and more than the CPUs
for j in 1 3; do
	if ! convert_timed "j$j" "$T/ours.j$j.btf" "-j$j" -v; then
		fail "kernel.jobs$j-identical" "dwarf2btf -j$j failed: $(tail -n 1 "$T/conv.j$j.err")"
	elif cmp -s "$ours" "$T/ours.j$j.btf"; then
		pass "kernel.jobs$j-identical"
	else
		fail "kernel.jobs$j-identical" "-j$j output differs from the default's: $(cmp "$ours" "$T/ours.j$j.btf" 2>&1 | head -n 1)"
	fi
done

# (h) "dwarf2btf: dedup: ... N declarations resolved (N before refinement)"
line=$(grep '^dwarf2btf: dedup: ' "$T/conv.j1.err" | grep 'declarations resolved')
resolved=$(printf '%s\n' "$line" | sed -n 's/.* \([0-9]*\) declarations resolved (\([0-9]*\) before refinement).*/\1 \2/p')
set -- $resolved
if [ $# -eq 2 ] && [ "$1" -gt 0 ] && [ "$1" = "$2" ]; then
	pass kernel.early-resolution
else
	fail kernel.early-resolution "not every declaration was resolved before refinement: ${line:-no dedup line in the -v output}"
	detail "$T/conv.j1.err" 5
fi

finish
