#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Determinism soak (not in `make check`: minutes): N conversions (default
# 50) of Debian's cloud debug vmlinux (tests/fetch-kernel.sh), cycling
# through -j1, -j2, -j3 and -j4, each compared byte for byte with the first.
# Prints one line per run and a summary; exits 1 when any output differs.
#
#   sh tests/soak.sh BUILD_DIR [N]        (make soak SOAK_RUNS=50)
set -eu

BUILD=${1:-build}
N=${2:-50}
SRC=$(cd "$(dirname "$0")/.." && pwd)
D2B=$(cd "$BUILD" && pwd)/dwarf2btf
T=$(mktemp -d "${TMPDIR:-/tmp}/d2b-soak.XXXXXX")
trap 'rm -rf "$T"' EXIT

[ -x "$D2B" ] || { echo "soak: no $D2B (run make first)" >&2; exit 1; }
vmlinux=$(sh "$SRC/tests/fetch-kernel.sh")
i=1
bad=0
t0=$(date +%s)
while [ "$i" -le "$N" ]; do
	j=$(((i - 1) % 4 + 1))
	"$D2B" -q -j"$j" "$vmlinux" -o "$T/out.btf"
	h=$(sha256sum <"$T/out.btf" | cut -c1-16)
	if [ "$i" -eq 1 ]; then
		mv "$T/out.btf" "$T/first.btf"
		first=$h
	elif ! cmp -s "$T/first.btf" "$T/out.btf"; then
		bad=$((bad + 1))
		cp "$T/out.btf" "$SRC/$BUILD/soak-differs-$i.btf"
		echo "soak: run $i (-j$j): differs from run 1, kept in $BUILD/soak-differs-$i.btf"
	fi
	echo "soak: run $i of $N, -j$j, sha256 $h"
	i=$((i + 1))
done
echo "soak: $((N - bad)) of $N conversions at -j1..4 byte-identical (sha256 $first, $(wc -c <"$T/first.btf") bytes), $(($(date +%s) - t0)) s"
[ "$bad" -eq 0 ]
