#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Test runner: sh tests/run.sh BUILD_DIR      (make check does this)
#
# Runs every executable in BUILD_DIR/tests/ (C unit tests), then every
# tests/cases/*.sh with D2B, D2B_BUILD, D2B_SRC, D2B_CACHE and a fresh
# D2B_TMP in the environment. Each prints PASS:/FAIL:/SKIP: lines, which
# are shown prefixed with the test's name and counted. A test that exits
# non-zero without a FAIL line, times out, or prints no result at all
# counts as one failure. Last line: "N passed, N failed, N skipped".
#
# Environment:
#   D2B_TESTS             only these tests (space-separated basenames of
#                         unit binaries or case scripts, ".sh" optional)
#   D2B_SKIP_REAL_KERNEL  1: skip the Debian kernel test (real-kernel.sh)
#   D2B_TEST_TIMEOUT      seconds per test (default 3000)
#   D2B_CACHE             download cache (default ${XDG_CACHE_HOME:-$HOME/.cache}/dwarf2btf)
set -u

if [ $# -ne 1 ]; then
	echo "usage: sh tests/run.sh BUILD_DIR" >&2
	exit 2
fi
if [ ! -d "$1" ]; then
	echo "run.sh: $1: no such build directory" >&2
	exit 2
fi

D2B_SRC=$(cd "$(dirname "$0")/.." && pwd)
D2B_BUILD=$(cd "$1" && pwd)
D2B=$D2B_BUILD/dwarf2btf
D2B_CACHE=${D2B_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dwarf2btf}
mkdir -p "$D2B_CACHE"
D2B_CACHE=$(cd "$D2B_CACHE" && pwd)
export D2B D2B_BUILD D2B_SRC D2B_CACHE
TIMEOUT=${D2B_TEST_TIMEOUT:-3000}

work=$(mktemp -d "${TMPDIR:-/tmp}/d2b-run.XXXXXX")
cur_tmp=
cleanup() {
	[ -z "$cur_tmp" ] || rm -rf "$cur_tmp"
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

npass=0
nfail=0
nskip=0
nrun=0

selected() {
	[ -n "${D2B_TESTS:-}" ] || return 0
	for _t in $D2B_TESTS; do
		if [ "$_t" = "$1" ] || [ "$_t" = "${1%.sh}" ]; then
			return 0
		fi
	done
	return 1
}

# run_test LABEL COMMAND...   (cwd: repo root, stdin: /dev/null)
run_test() {
	label=$1
	shift
	nrun=$((nrun + 1))
	out=$work/out
	rcf=$work/rc
	echo 0 >"$rcf"
	t0=$(date +%s)
	{
		(cd "$D2B_SRC" && exec timeout -k 30 "$TIMEOUT" "$@" </dev/null)
		echo $? >"$rcf"
	} 2>&1 | tee "$out" | awk -v p="$label: " '{ print p $0; fflush() }'
	rc=$(cat "$rcf")
	t1=$(date +%s)
	p=$(grep -c '^PASS: ' "$out")
	f=$(grep -c '^FAIL: ' "$out")
	s=$(grep -c '^SKIP: ' "$out")
	npass=$((npass + p))
	nfail=$((nfail + f))
	nskip=$((nskip + s))
	if [ "$rc" -gt 128 ] && [ "$rc" -ne 137 ]; then
		echo "$label: FAIL: $label: killed by signal $((rc - 128))"
		f=$((f + 1))
		nfail=$((nfail + 1))
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
			echo "$label: FAIL: $label: timed out after ${TIMEOUT}s"
		else
			echo "$label: FAIL: $label: exited $rc"
		fi
		f=$((f + 1))
		nfail=$((nfail + 1))
	elif [ $((p + f + s)) -eq 0 ]; then
		echo "$label: FAIL: $label: printed no PASS/FAIL/SKIP line (exit $rc)"
		f=$((f + 1))
		nfail=$((nfail + 1))
	fi
	echo "$label: # $p passed, $f failed, $s skipped, exit $rc, $((t1 - t0))s"
}

for bin in "$D2B_BUILD"/tests/*; do
	[ -f "$bin" ] && [ -x "$bin" ] || continue
	name=${bin##*/}
	selected "$name" || continue
	cur_tmp=$(mktemp -d "${TMPDIR:-/tmp}/d2b-test.XXXXXX")
	D2B_TMP=$cur_tmp
	export D2B_TMP
	run_test "$name" "$bin"
	rm -rf "$cur_tmp"
	cur_tmp=
done

for script in "$D2B_SRC"/tests/cases/*.sh; do
	[ -f "$script" ] || continue
	name=${script##*/}
	selected "$name" || continue
	cur_tmp=$(mktemp -d "${TMPDIR:-/tmp}/d2b-test.XXXXXX")
	D2B_TMP=$cur_tmp
	export D2B_TMP
	run_test "$name" sh "$script"
	rm -rf "$cur_tmp"
	cur_tmp=
done

if [ "$nrun" -eq 0 ]; then
	why="no test found"
	[ -z "${D2B_TESTS:-}" ] || why="no test matched D2B_TESTS=\"$D2B_TESTS\""
	echo "run.sh: FAIL: run.sh: $why"
	nfail=$((nfail + 1))
fi

echo "$npass passed, $nfail failed, $nskip skipped"
[ "$nfail" -eq 0 ]
