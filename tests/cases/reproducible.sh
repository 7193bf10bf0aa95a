#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# The output for each Debian debug kernel in the cache (tests/fetch-kernel.sh)
# against the SHA-256 stored for its ABI in tests/digests.txt: a refactoring
# must leave every byte where it was.
#   digest.ABI.jN       dwarf2btf -jN vmlinux -o out.btf, N = 1, 2, 3
#   digest.ABI.header   dwarf2btf -j2 --header vmlinux
# Downloads nothing: a kernel not in the cache is skipped (real-kernel.sh and
# real-kernel-arches.sh fetch them; this name sorts after theirs, so that
# tests/run.sh runs it after them). A cached kernel without stored digests
# gets a note with the lines to add. D2B_SKIP_REAL_KERNEL=1 skips all.
set -u
. "$(dirname "$0")/../lib.sh"

DIGESTS=$D2B_SRC/tests/digests.txt

if [ "${D2B_SKIP_REAL_KERNEL:-0}" = 1 ]; then
	skip digest "D2B_SKIP_REAL_KERNEL=1"
	finish
fi
need_d2b digest || finish
if ! has sha256sum; then
	skip digest "sha256sum not installed"
	finish
fi

# the stored digest of $1 ($2: btf or header), or nothing
stored() {
	awk -v abi="$1" -v what="$2" '$1 == abi && $2 == what { print $3; exit }' "$DIGESTS"
}

sum() { sha256sum <"$1" | cut -c1-64; }

# check_one NAME FILE WANT
check_one() {
	got=$(sum "$2")
	if [ "$got" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "sha256 $got, stored $3"
	fi
}

abis=$(awk '!/^[ \t]*(#|$)/ { print $1 }' "$DIGESTS" | sort -u)
for d in "$D2B_CACHE"/kernels/*/usr/lib/debug/boot/vmlinux-*; do
	[ -f "$d" ] || continue
	abi=${d##*/vmlinux-}
	case " $(echo $abis) " in
	*" $abi "*) ;;
	*)
		note "$abi is cached but has no digests; if its output is right, add to tests/digests.txt:"
		"$D2B" -q -j2 "$d" -o "$D2B_TMP/new.btf" 2>/dev/null &&
			note "$abi btf $(sum "$D2B_TMP/new.btf")"
		"$D2B" -q -j2 --header "$d" >"$D2B_TMP/new.h" 2>/dev/null &&
			note "$abi header $(sum "$D2B_TMP/new.h")"
		;;
	esac
done

for abi in $abis; do
	vmlinux=$D2B_CACHE/kernels/$abi/usr/lib/debug/boot/vmlinux-$abi
	p=digest.$abi
	if [ ! -f "$vmlinux" ]; then
		skip "$p" "not in the cache ($vmlinux); tests/fetch-kernel.sh fetches it"
		continue
	fi
	want=$(stored "$abi" btf)
	for j in 1 2 3; do
		out=$D2B_TMP/$abi.j$j.btf
		if ! "$D2B" -q -j$j "$vmlinux" -o "$out" 2>"$D2B_TMP/conv.err"; then
			fail "$p.j$j" "dwarf2btf -j$j failed: $(tail -n 1 "$D2B_TMP/conv.err")"
			continue
		fi
		check_one "$p.j$j" "$out" "$want"
		rm -f "$out"
	done
	want=$(stored "$abi" header)
	if [ -z "$want" ]; then
		skip "$p.header" "no header digest in tests/digests.txt"
	elif ! "$D2B" -q -j2 --header "$vmlinux" >"$D2B_TMP/$abi.h" 2>"$D2B_TMP/conv.err"; then
		fail "$p.header" "dwarf2btf --header failed: $(tail -n 1 "$D2B_TMP/conv.err")"
	else
		check_one "$p.header" "$D2B_TMP/$abi.h" "$want"
	fi
	rm -f "$D2B_TMP/$abi.h"
done

finish
