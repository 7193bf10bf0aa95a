# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Helpers for tests/cases/*.sh, sourced with
#   . "$(dirname "$0")/../lib.sh"
#
# tests/run.sh sets D2B, D2B_BUILD, D2B_SRC, D2B_CACHE and D2B_TMP. A case
# script can also be run on its own from anywhere, e.g.
#   sh tests/cases/cli.sh            (uses build/ and a temporary D2B_TMP)
#
# Output protocol (one line each, counted by tests/run.sh):
#   PASS: name
#   FAIL: name: why
#   SKIP: name: why
# Anything else is a log line; detail lines start with "# ".

D2B_FAILS=0

pass() { echo "PASS: $1"; }
fail() {
	_n=$1
	shift
	echo "FAIL: $_n: $*"
	D2B_FAILS=$((D2B_FAILS + 1))
}
skip() {
	_n=$1
	shift
	echo "SKIP: $_n: $*"
}
note() { echo "# $*"; }
# print a file (or stdin) as indented detail lines, at most $2 lines (default 40)
detail() {
	_max=${2:-40}
	sed -n "1,${_max}s/^/#   /p" "${1:--}"
	if [ "$1" != - ] && [ -f "$1" ]; then
		_tot=$(wc -l <"$1")
		[ "$_tot" -le "$_max" ] || echo "#   ... ($((_tot - _max)) more lines)"
	fi
}
has() { command -v "$1" >/dev/null 2>&1; }

# end a case script: non-zero status when any FAIL was printed
finish() {
	[ "$D2B_FAILS" -eq 0 ] || exit 1
	exit 0
}

# --- environment (defaults for running a case script by hand) ---
if [ -z "${D2B_SRC:-}" ]; then
	D2B_SRC=$(cd "$(dirname "$0")/../.." && pwd)
fi
D2B_BUILD=${D2B_BUILD:-$D2B_SRC/build}
D2B=${D2B:-$D2B_BUILD/dwarf2btf}
D2B_CACHE=${D2B_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dwarf2btf}
if [ -z "${D2B_TMP:-}" ]; then
	D2B_TMP=$(mktemp -d "${TMPDIR:-/tmp}/d2b-case.XXXXXX")
	# shellcheck disable=SC2064
	trap "rm -rf '$D2B_TMP'" EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
fi
export D2B D2B_BUILD D2B_SRC D2B_CACHE D2B_TMP

# true when the converter binary is there; otherwise prints a FAIL for $1
need_d2b() {
	if [ -x "$D2B" ]; then
		return 0
	fi
	fail "$1" "converter not built: $D2B"
	return 1
}

# Build tests/tools/libbpf-check.c into $D2B_BUILD/tools/ when missing or
# older than its source; print its path. On failure print the reason to
# stderr and return 1.
libbpf_check_tool() {
	_src=$D2B_SRC/tests/tools/libbpf-check.c
	_bin=$D2B_BUILD/tools/libbpf-check
	if [ -x "$_bin" ] && [ -z "$(find "$_src" -newer "$_bin" 2>/dev/null)" ]; then
		echo "$_bin"
		return 0
	fi
	mkdir -p "$D2B_BUILD/tools"
	_tmpbin=$_bin.tmp.$$
	if ! ${CC:-cc} -O2 -Wall -o "$_tmpbin" "$_src" -lbpf >"$D2B_TMP/libbpf-check.log" 2>&1; then
		rm -f "$_tmpbin"
		echo "cannot build libbpf-check (libbpf-dev installed?): $(head -n 3 "$D2B_TMP/libbpf-check.log" | tr '\n' ' ')" >&2
		return 1
	fi
	mv -f "$_tmpbin" "$_bin"
	echo "$_bin"
}

# Run the three outside consumers on a BTF file and report each:
#   consumers_check PREFIX FILE
# prints PASS/FAIL PREFIX.validate, PREFIX.bpftool, PREFIX.libbpf
consumers_check() {
	_p=$1
	_f=$2
	if "$D2B" --validate "$_f" >"$D2B_TMP/validate.out" 2>&1; then
		pass "$_p.validate"
	else
		fail "$_p.validate" "dwarf2btf --validate rejects $(basename "$_f") (exit $?)"
		detail "$D2B_TMP/validate.out" 10
	fi
	if ! has bpftool; then
		skip "$_p.bpftool" "bpftool not installed"
	elif bpftool btf dump file "$_f" >"$D2B_TMP/bpftool.out" 2>&1 &&
		[ -s "$D2B_TMP/bpftool.out" ]; then
		pass "$_p.bpftool"
	else
		fail "$_p.bpftool" "bpftool btf dump file rejects $(basename "$_f")"
		tail -n 5 "$D2B_TMP/bpftool.out" | detail - 5
	fi
	if _lc=$(libbpf_check_tool 2>"$D2B_TMP/lc.err"); then
		if "$_lc" "$_f" >"$D2B_TMP/libbpf.out" 2>&1 &&
			grep -q '^ok types=[1-9]' "$D2B_TMP/libbpf.out"; then
			pass "$_p.libbpf"
		else
			fail "$_p.libbpf" "libbpf btf__parse rejects $(basename "$_f"): $(head -n 1 "$D2B_TMP/libbpf.out")"
		fi
	else
		skip "$_p.libbpf" "$(cat "$D2B_TMP/lc.err")"
	fi
}
