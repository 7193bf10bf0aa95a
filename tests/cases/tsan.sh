#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# The ThreadSanitizer pass (docs/robustness.md): builds dwarf2btf with
# `make SANITIZE=thread` (build/tsan/) and converts with it at several -j,
# each output compared byte for byte with the normal build's at -j1:
#   tsan.NAME.jN        fixture program NAME (gcc, DWARF 5), raw BTF
#   tsan.NAME.header.jN the same, vmlinux.h straight from DWARF (the
#                       alignments are collected on a thread of their own)
#   tsan.split.jN       split BTF of a fixture on the BTF of another (--base)
#   tsan.dwz.jN         a program whose types dwz moved to an alternate file
#   tsan.kernel.jN      Debian's cloud debug vmlinux (tests/fetch-kernel.sh)
#   tsan.fuzz-jobs      the fuzz target that converts at -j1 and -j2 and
#                       compares (tests/fuzz/fuzz_jobs.c), built with TSan and
#                       clang, replays the seeds, tests/fuzz/corpus/jobs/ and
#                       tests/fuzz/regressions/jobs/: broken DWARF takes the
#                       threads through their error paths
# Any ThreadSanitizer report fails the conversion (exit 66).
# The fixtures run at -j2, -j3 and -j4 (seconds); the kernel takes about
# 30 s of CPU per conversion under TSan, so `make check` runs it at
# D2B_TSAN_KERNEL_JOBS (default 4) and `make check-tsan` at 2 3 4.
# D2B_SKIP_REAL_KERNEL=1 skips the kernel.
set -u
. "$(dirname "$0")/../lib.sh"

if [ "${D2B_SANITIZE_PASS:-0}" = 1 ]; then
	skip tsan "inside the sanitizer pass"
	finish
fi
case $D2B_BUILD in
*/san | */tsan)
	skip tsan "D2B_BUILD is a sanitized build"
	finish
	;;
esac
need_d2b tsan || finish

T=$D2B_TMP
TSAN=$D2B_SRC/build/tsan/dwarf2btf
JOBS="2 3 4"
KJOBS=${D2B_TSAN_KERNEL_JOBS:-4}

# a make of its own, not the jobserver of a `make check` around us
if ! (cd "$D2B_SRC" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s SANITIZE=thread all) \
	>"$T/build.log" 2>&1; then
	fail tsan.build "make SANITIZE=thread all failed"
	detail "$T/build.log" 20
	finish
fi
pass tsan.build

TSAN_OPTIONS="exitcode=66 halt_on_error=1 second_deadlock_stack=1"
export TSAN_OPTIONS
# TSan's shadow memory needs the address layout it knows; kernels with more
# mmap randomisation bits than it expects refuse it until ASLR is off
RUN=
printf 'x' >"$T/not-elf"
"$TSAN" "$T/not-elf" -o "$T/x.btf" >"$T/probe.log" 2>&1
if grep -q 'ThreadSanitizer: unexpected memory mapping' "$T/probe.log"; then
	RUN="setarch $(uname -m) -R"
	note "ASLR off for the TSan build (kernel's mmap randomisation)"
fi

# same NAME JOBS REF ARGS...: the TSan build at -jJOBS with ARGS writes
# $T/tsan.out, which must be REF byte for byte, with no report
same() {
	_name=$1
	_j=$2
	_ref=$3
	shift 3
	rm -f "$T/tsan.out"
	$RUN "$TSAN" -q -j"$_j" "$@" -o "$T/tsan.out" >"$T/tsan.log" 2>&1
	_rc=$?
	if grep -q 'WARNING: ThreadSanitizer' "$T/tsan.log"; then
		fail "$_name" "ThreadSanitizer report"
		grep -E '^(WARNING|  [A-Z][a-z].*|    #[0-9] )' "$T/tsan.log" | detail - 30
	elif [ "$_rc" -ne 0 ]; then
		fail "$_name" "exit $_rc: $(head -n 1 "$T/tsan.log")"
	elif ! cmp -s "$_ref" "$T/tsan.out"; then
		fail "$_name" "output differs from the normal build's: $(cmp "$_ref" "$T/tsan.out" 2>&1 | head -n 1)"
	else
		pass "$_name"
	fi
}

# ref NAME OUT ARGS...: the normal build at -j1; false (and a FAIL) on error
ref() {
	_name=$1
	_out=$2
	shift 2
	"$D2B" -q -j1 "$@" -o "$_out" >"$T/ref.log" 2>&1 && return 0
	fail "$_name" "the normal build failed: $(head -n 1 "$T/ref.log")"
	return 1
}

# --- the fixture programs ---
for p in $(programs | sort -u); do
	# shellcheck disable=SC2046 # one word per source file
	if ! gcc -gdwarf-5 -O1 -w -o "$T/$p" $(sources_of "$p") 2>"$T/cc.err"; then
		fail "tsan.$p" "gcc failed: $(head -n 1 "$T/cc.err")"
		continue
	fi
	if ref "tsan.$p" "$T/$p.btf" "$T/$p"; then
		for j in $JOBS; do same "tsan.$p.j$j" "$j" "$T/$p.btf" "$T/$p"; done
	fi
	if ref "tsan.$p.header" "$T/$p.h" --header "$T/$p"; then
		for j in $JOBS; do same "tsan.$p.header.j$j" "$j" "$T/$p.h" --header "$T/$p"; done
	fi
done

# --- split BTF: multi_cu's types on top of structs' ---
if [ -f "$T/structs.btf" ] && [ -f "$T/multi_cu" ] &&
	ref tsan.split "$T/split.btf" --base "$T/structs.btf" "$T/multi_cu"; then
	for j in $JOBS; do
		same "tsan.split.j$j" "$j" "$T/split.btf" --base "$T/structs.btf" "$T/multi_cu"
	done
fi

# --- dwz: types moved to an alternate file read through .gnu_debugaltlink ---
if ! has dwz; then
	skip tsan.dwz "dwz not installed (tests/install-deps.sh installs it)"
else
	mkdir -p "$T/dwz"
	# shellcheck disable=SC2046
	gcc -g -O1 -w -o "$T/dwz/p1" $(sources_of structs) &&
		gcc -g -O2 -w -o "$T/dwz/p2" $(sources_of structs) &&
		gcc -g -O0 -w -o "$T/dwz/p3" $(sources_of multi_cu)
	if (cd "$T/dwz" && dwz -m common.dwz -M "$T/dwz/common.dwz" p1 p2 p3) >"$T/dwz.log" 2>&1 &&
		[ -s "$T/dwz/common.dwz" ] && ref tsan.dwz "$T/dwz.btf" "$T/dwz/p3"; then
		for j in $JOBS; do same "tsan.dwz.j$j" "$j" "$T/dwz.btf" "$T/dwz/p3"; done
	else
		fail tsan.dwz "dwz -m failed: $(head -n 1 "$T/dwz.log")"
	fi
fi

# --- the fuzz inputs, through the error paths of the threads ---
if ! has clang; then
	skip tsan.fuzz-jobs "clang not installed (tests/install-deps.sh installs it)"
elif ! (cd "$D2B_SRC" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s \
	FUZZ_BUILD=build/fuzz-tsan FUZZ_SAN=-fsanitize=thread FUZZ_INSTR= \
	FUZZ_DRIVER=tests/fuzz/replay.c build/fuzz-tsan/fuzz_jobs) >"$T/fbuild.log" 2>&1; then
	fail tsan.fuzz-jobs "make build/fuzz-tsan/fuzz_jobs failed"
	detail "$T/fbuild.log" 20
else
	sh "$D2B_SRC/tests/fuzz/seeds.sh" "$T/seeds" "$D2B" >/dev/null 2>&1
	set -- "$T/seeds/jobs"
	for d in "$D2B_SRC/tests/fuzz/corpus/jobs" "$D2B_SRC/tests/fuzz/regressions/jobs"; do
		[ -d "$d" ] && set -- "$@" "$d"
	done
	$RUN "$D2B_SRC/build/fuzz-tsan/fuzz_jobs" "$@" >"$T/fjobs.log" 2>&1
	rc=$?
	if grep -q 'WARNING: ThreadSanitizer' "$T/fjobs.log"; then
		fail tsan.fuzz-jobs "ThreadSanitizer report"
		grep -E '^(WARNING|  [A-Z][a-z].*|    #[0-9] )' "$T/fjobs.log" | detail - 30
	elif [ "$rc" -ne 0 ]; then
		fail tsan.fuzz-jobs "exit $rc: $(grep -m 1 -E 'fuzz:|ERROR' "$T/fjobs.log")"
	else
		pass tsan.fuzz-jobs
		note "fuzz_jobs under TSan: $(tail -n 1 "$T/fjobs.log" | sed 's/^replay: //')"
	fi
fi

# --- the real kernel ---
if [ "${D2B_SKIP_REAL_KERNEL:-0}" = 1 ]; then
	skip tsan.kernel "D2B_SKIP_REAL_KERNEL=1"
	finish
fi
if ! vmlinux=$(sh "$D2B_SRC/tests/fetch-kernel.sh" 2>"$T/fetch.err"); then
	fail tsan.kernel "tests/fetch-kernel.sh failed: $(tail -n 1 "$T/fetch.err")"
	finish
fi
if ref tsan.kernel "$T/kernel.btf" "$vmlinux"; then
	for j in $KJOBS; do
		t0=$(date +%s)
		same "tsan.kernel.j$j" "$j" "$T/kernel.btf" "$vmlinux"
		note "kernel at -j$j under TSan: $(($(date +%s) - t0)) s"
	done
fi
finish
