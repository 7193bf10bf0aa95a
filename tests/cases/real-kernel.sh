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
# Differences listed in tests/real-kernel-exceptions.txt (pahole's mistakes)
# are not counted.
#   kernel.jobs-identical   -j1 output is byte-identical to the default's
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
"$D2B" --diff "$ref" "$ours" >"$T/diff.out" 2>"$T/diff.err"
rc=$?
mkdir -p "$D2B_CACHE"
cp "$T/diff.out" "$D2B_CACHE/last-real-kernel.diff" 2>/dev/null || true
grep -E '^(kind |differences )' "$T/diff.out" | sed 's/^/# /'
if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
	fail kernel.diff "dwarf2btf --diff ref.btf ours.btf exited $rc: $(head -n 1 "$T/diff.err")"
	finish
fi
if ! grep -q '^differences [0-9]' "$T/diff.out" ||
	! grep -q '^kind STRUCT a=[1-9][0-9]* b=[0-9]* matched=[1-9]' "$T/diff.out"; then
	fail kernel.diff "--diff output lacks the summary ('kind STRUCT ... matched=N' with N > 0, 'differences N')"
	detail "$T/diff.out" 10
	finish
fi
note "full diff: $D2B_CACHE/last-real-kernel.diff ($(grep -c '^[<>] ' "$T/diff.out") lines)"

# value of field $2 (a, b, matched, only_a, only_b, differ) of kind $1; 0 if absent
field() {
	awk -v k="$1" -v f="$2" '$1 == "kind" && $2 == k {
		for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == f) v = kv[2] } }
		END { print v + 0 }' "$T/diff.out"
}

# number of FUNC names that BTF file $1 lists more than once (bpftool needed)
dup_funcs() {
	if has bpftool; then
		bpftool btf dump file "$1" 2>/dev/null | awk '$2 == "FUNC" { c[$3]++ }
			END { for (k in c) if (c[k] > 1) n++; print n + 0 }'
	else
		echo "? (no bpftool)"
	fi
}

# diff lines that tests/real-kernel-exceptions.txt explains: "DIR KIND NAME"
exc=$D2B_SRC/tests/real-kernel-exceptions.txt
sed -e 's/[[:space:]]*#.*//' -e '/^$/d' "$exc" | awk '{ print $1, $2, $3 }' | sort -u >"$T/exc.keys"
awk '/^[<>] / { name = $3; sub(/:$/, "", name); print $1, $2, name "\t" $0 }' "$T/diff.out" |
	sort -t "$(printf '\t')" -k1,1 >"$T/diff.keyed"
join -t "$(printf '\t')" -v 1 "$T/diff.keyed" "$T/exc.keys" | cut -f2- >"$T/diff.unexplained"
join -t "$(printf '\t')" "$T/diff.keyed" "$T/exc.keys" | cut -f2- >"$T/diff.explained"
unused=$(cut -f1 "$T/diff.keyed" | sort -u | comm -13 - "$T/exc.keys")
[ -z "$unused" ] || note "exceptions that no longer match a difference: $unused"
note "differences explained by tests/real-kernel-exceptions.txt: $(wc -l <"$T/diff.explained")"

# lines of direction $1 and kind $2 in file $3
nlines() {
	awk -v d="$1" -v k="$2" '$1 == d && $2 == k { n++ } END { print n + 0 }' "$3"
}

bad=
for k in STRUCT UNION ENUM ENUM64 TYPEDEF INT FLOAT FWD VAR DATASEC; do
	n=$(nlines '<' "$k" "$T/diff.unexplained")
	[ "$n" -eq 0 ] || bad="$bad $k:$n"
done
if [ -z "$bad" ]; then
	pass kernel.types-complete
else
	fail kernel.types-complete "reference types missing or different in ours:$bad"
	for k in STRUCT UNION ENUM ENUM64 TYPEDEF INT FLOAT FWD VAR DATASEC; do
		grep "^< $k " "$T/diff.unexplained" | head -n 5
	done | detail - 50
fi

bad=
for k in $(awk '$1 == "kind" { print $2 }' "$T/diff.out"); do
	a=$(field "$k" a)
	b=$(($(field "$k" b) - $(nlines '>' "$k" "$T/diff.explained")))
	[ "$b" -le "$a" ] || bad="$bad $k:a=$a,b=$b"
done
if [ -z "$bad" ]; then
	pass kernel.no-extra
else
	fail kernel.no-extra "more types in ours than in the reference:$bad"
fi

# FUNC: most of the reference's, and none of ours without an identical
# counterpart ('>' lines). The kernel's BTF lists some names twice (a
# syscall wrapper and its weak fallback, with other parameter names); we
# write one, so "differ" counts those names and is not a test.
fa=$(field FUNC a)
fm=$(field FUNC matched)
fb=$(nlines '>' FUNC "$T/diff.unexplained")
if [ "$fa" -eq 0 ]; then
	fail kernel.funcs "the reference has no FUNC"
elif [ $((fm * 100)) -lt $((fa * 98)) ] || [ "$fb" -ne 0 ]; then
	fail kernel.funcs "FUNC matched=$fm of a=$fa ($((fm * 1000 / fa / 10)).$((fm * 1000 / fa % 10))%, want >= 98%), FUNCs of ours unlike any of the reference's: $fb (want 0)"
	grep '^> FUNC ' "$T/diff.unexplained" | head -n 20 | detail - 20
	note "reference FUNC names listed more than once: $(dup_funcs "$ref")"
else
	pass kernel.funcs
	note "FUNC matched=$fm of a=$fa ($((fm * 1000 / fa / 10)).$((fm * 1000 / fa % 10))%), none of ours differs"
fi

# (g)
if ! convert_timed j1 "$T/ours.j1.btf" -j1; then
	fail kernel.jobs-identical "dwarf2btf -j1 failed: $(tail -n 1 "$T/conv.j1.err")"
elif cmp -s "$ours" "$T/ours.j1.btf"; then
	pass kernel.jobs-identical
else
	fail kernel.jobs-identical "-j1 output differs from the default's: $(cmp "$ours" "$T/ours.j1.btf" 2>&1 | head -n 1)"
fi

finish
