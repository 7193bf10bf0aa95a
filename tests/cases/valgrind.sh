#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# One fixture conversion (two threads), --validate and --diff of its output,
# and a failing conversion, each under valgrind --leak-check=full: no
# invalid access, no use of uninitialised memory, no leak
# (docs/robustness.md). The sanitizer pass (tests/cases/sanitize.sh) covers
# more tests with ASan and UBSan; valgrind also sees what the uninstrumented
# libelf and libdw do with our buffers.
set -u
. "$(dirname "$0")/../lib.sh"

need_d2b valgrind || finish
if ! has valgrind; then
	skip valgrind "valgrind not installed (tests/install-deps.sh installs it)"
	finish
fi
T=$D2B_TMP
CC=gcc
has gcc || CC=cc
if ! $CC -g -O1 -o "$T/multi_cu" "$D2B_SRC/tests/fixtures/multi_cu_a.c" \
	"$D2B_SRC/tests/fixtures/multi_cu_b.c" 2>"$T/cc.err"; then
	fail valgrind.compile "$CC failed: $(head -n 1 "$T/cc.err")"
	finish
fi

# vg NAME WANT_STATUS ARGS...: dwarf2btf ARGS under valgrind
vg() {
	_n=$1
	_want=$2
	shift 2
	valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
		--errors-for-leak-kinds=definite,indirect --track-origins=yes \
		--log-file="$T/$_n.vg" "$D2B" "$@" >"$T/$_n.out" 2>"$T/$_n.err" </dev/null
	_rc=$?
	if [ "$_rc" -eq 99 ] || [ -s "$T/$_n.vg" ]; then
		fail "$_n" "valgrind reports errors (exit $_rc)"
		detail "$T/$_n.vg" 30
	elif [ "$_rc" -ne "$_want" ]; then
		fail "$_n" "exit $_rc, want $_want: $(head -n 1 "$T/$_n.err")"
	else
		pass "$_n"
	fi
}

vg valgrind.convert 0 -j2 "$T/multi_cu" -o "$T/multi_cu.btf"
vg valgrind.validate 0 --validate "$T/multi_cu.btf"
vg valgrind.diff 0 --diff "$T/multi_cu.btf" "$T/multi_cu.btf"
head -c 3000 "$T/multi_cu" >"$T/cut"
vg valgrind.convert-truncated 1 "$T/cut" -o "$T/cut.btf"
finish
