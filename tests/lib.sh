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

# install_missing NAME VERDICT [PKG...]: installs the Debian packages PKG
# (the missing ones, found by the caller; none: nothing to do). Returns 1
# after a SKIP line for NAME when not root, and after a VERDICT line (skip
# or fail) with apt's last line when installing fails.
install_missing() {
	_name=$1
	_verdict=$2
	shift 2
	[ $# -gt 0 ] || return 0
	if [ "$(id -u)" -ne 0 ]; then
		skip "$_name" "missing packages: $* (not root, not installing)"
		return 1
	fi
	note "installing: $*"
	if ! { apt-get -q update >/dev/null 2>&1; env DEBIAN_FRONTEND=noninteractive apt-get -q -y \
		-o APT::Install-Recommends=false -o DPkg::Lock::Timeout=600 \
		install "$@" >"$D2B_TMP/apt.log" 2>&1; }; then
		"$_verdict" "$_name" "cannot install: $*: $(tail -n 1 "$D2B_TMP/apt.log")"
		return 1
	fi
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

# Compare our BTF of a kernel with a reference BTF of the same kernel (its
# own .BTF, or pahole's), type by type:
#   compare_kernel_btf PREFIX REF OURS EXCEPTIONS
# prints PASS/FAIL PREFIX.types-complete (every reference STRUCT, UNION,
# ENUM, ENUM64, TYPEDEF, INT, FLOAT, FWD, VAR and DATASEC is in ours,
# identical), PREFIX.no-extra (per kind no more types than the reference)
# and PREFIX.funcs (FUNC: at least 98% of the reference's, and every FUNC
# of ours identical to one of the reference's). Difference lines listed in
# EXCEPTIONS ("DIR KIND NAME  # reason": pahole's mistakes) are not counted.
# Keeps the diff in $D2B_TMP/PREFIX.diff. Returns 1 when --diff fails.
compare_kernel_btf() {
	_p=$1
	_ref=$2
	_ours=$3
	_exc=$4
	_d=$D2B_TMP/$_p.diff
	"$D2B" --diff "$_ref" "$_ours" >"$_d" 2>"$D2B_TMP/$_p.diff.err"
	_rc=$?
	grep -E '^(kind |differences )' "$_d" | sed 's/^/# /'
	if { [ "$_rc" -ne 0 ] && [ "$_rc" -ne 3 ]; } || ! grep -q '^differences [0-9]' "$_d" ||
		! grep -q '^kind STRUCT a=[1-9][0-9]* b=[0-9]* matched=[1-9]' "$_d"; then
		fail "$_p.diff" "dwarf2btf --diff exited $_rc without a summary: $(head -n 1 "$D2B_TMP/$_p.diff.err")"
		return 1
	fi
	# difference lines keyed "DIR KIND NAME", split by the exceptions file
	sed -e 's/[[:space:]]*#.*//' -e '/^$/d' "$_exc" | awk '{ print $1, $2, $3 }' |
		sort -u >"$_d.exc"
	awk '/^[<>] / { name = $3; sub(/:$/, "", name); print $1, $2, name "\t" $0 }' "$_d" |
		sort -t "$(printf '\t')" -k1,1 >"$_d.keyed"
	join -t "$(printf '\t')" -v 1 "$_d.keyed" "$_d.exc" | cut -f2- >"$_d.unexplained"
	join -t "$(printf '\t')" "$_d.keyed" "$_d.exc" | cut -f2- >"$_d.explained"
	_unused=$(cut -f1 "$_d.keyed" | sort -u | comm -13 - "$_d.exc")
	[ -z "$_unused" ] || note "exceptions that no longer match a difference: $_unused"
	note "differences explained by ${_exc##*/}: $(wc -l <"$_d.explained")"

	_bad=
	for _k in STRUCT UNION ENUM ENUM64 TYPEDEF INT FLOAT FWD VAR DATASEC; do
		_n=$(_diff_lines '<' "$_k" "$_d.unexplained")
		[ "$_n" -eq 0 ] || _bad="$_bad $_k:$_n"
	done
	if [ -z "$_bad" ]; then
		pass "$_p.types-complete"
	else
		fail "$_p.types-complete" "reference types missing or different in ours:$_bad"
		grep '^< ' "$_d.unexplained" | grep -v '^< FUNC ' | head -n 20 | detail - 20
	fi

	_bad=
	for _k in $(awk '$1 == "kind" { print $2 }' "$_d"); do
		_a=$(_diff_field "$_d" "$_k" a)
		_b=$(($(_diff_field "$_d" "$_k" b) - $(_diff_lines '>' "$_k" "$_d.explained")))
		[ "$_b" -le "$_a" ] || _bad="$_bad $_k:a=$_a,b=$_b"
	done
	if [ -z "$_bad" ]; then
		pass "$_p.no-extra"
	else
		fail "$_p.no-extra" "more types in ours than in the reference:$_bad"
	fi

	# The kernel's BTF lists some names twice (a syscall wrapper and its
	# weak fallback, with other parameter names); we write one, so --diff's
	# "differ" counts those names and is not a test.
	_fa=$(_diff_field "$_d" FUNC a)
	_fm=$(_diff_field "$_d" FUNC matched)
	_fb=$(_diff_lines '>' FUNC "$_d.unexplained")
	if [ "$_fa" -eq 0 ]; then
		fail "$_p.funcs" "the reference has no FUNC"
	elif [ $((_fm * 100)) -lt $((_fa * 98)) ] || [ "$_fb" -ne 0 ]; then
		fail "$_p.funcs" "FUNC matched=$_fm of a=$_fa ($((_fm * 1000 / _fa / 10)).$((_fm * 1000 / _fa % 10))%, want >= 98%), FUNCs of ours unlike any of the reference's: $_fb (want 0)"
		grep '^> FUNC ' "$_d.unexplained" | head -n 20 | detail - 20
	else
		pass "$_p.funcs"
		note "FUNC matched=$_fm of a=$_fa ($((_fm * 1000 / _fa / 10)).$((_fm * 1000 / _fa % 10))%), none of ours differs"
	fi
	return 0
}

# value of field $3 (a, b, matched, only_a, only_b, differ) of kind $2 in
# the --diff output $1; 0 when absent
_diff_field() {
	awk -v k="$2" -v f="$3" '$1 == "kind" && $2 == k {
		for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == f) v = kv[2] } }
		END { print v + 0 }' "$1"
}

# lines of direction $1 and kind $2 in file $3
_diff_lines() {
	awk -v d="$1" -v k="$2" '$1 == d && $2 == k { n++ } END { print n + 0 }' "$3"
}

# The fixture programs: NAME.c, or NAME_a.c, NAME_b.c, ... linked together.
# programs prints each NAME; sources_of NAME prints its source files.
programs() {
	for f in "$D2B_SRC"/tests/fixtures/*.c; do
		b=${f##*/}
		b=${b%.c}
		case $b in
		*_[a-z]) echo "${b%_?}" ;;
		*) echo "$b" ;;
		esac
	done | sort -u
}

sources_of() {
	if [ -f "$D2B_SRC/tests/fixtures/$1.c" ]; then
		echo "$D2B_SRC/tests/fixtures/$1.c"
	else
		for f in "$D2B_SRC/tests/fixtures/$1"_[a-z].c; do
			echo "$f"
		done
	fi
}

# dbg_deb ABI: the newest linux-image-ABI-dbg package tests/fetch-kernel.sh
# left in the cache (nothing when there is none)
dbg_deb() {
	ls "$D2B_CACHE/downloads/linux-image-$1-dbg_"*.deb 2>/dev/null | sort -V | tail -n 1
}

# extract_modules DEB ABI MODULE...: the debug .ko of each MODULE (a path
# under kernel/, without .ko) of the -dbg package DEB, once, into
# $D2B_CACHE/modules/ABI/MODULE.ko. Those the package lacks are left out.
extract_modules() {
	_deb=$1
	_abi=$2
	_dir=$D2B_CACHE/modules/$2
	shift 2
	_want=
	for _m in "$@"; do
		[ -f "$_dir/$_m.ko" ] || _want="$_want ./usr/lib/debug/lib/modules/$_abi/kernel/$_m.ko"
	done
	[ -n "$_want" ] || return 0
	mkdir -p "$_dir"
	_tmp=$(mktemp -d "$_dir/.tmp.XXXXXX")
	# shellcheck disable=SC2086 # one argument per member
	dpkg-deb --fsys-tarfile "$_deb" | tar -x -C "$_tmp" $_want 2>/dev/null
	for _m in "$@"; do
		_f=$_tmp/usr/lib/debug/lib/modules/$_abi/kernel/$_m.ko
		if [ -f "$_f" ]; then
			mkdir -p "$_dir/$(dirname "$_m")"
			mv "$_f" "$_dir/$_m.ko"
		fi
	done
	rm -rf "$_tmp"
}

#   compare_module_btf PREFIX BASE KO NAME EXCEPTIONS
# converts the module KO on top of BASE (--base) and prints PASS/FAIL
# PREFIX.valid (our validator and bpftool -B accept it) and PREFIX (ours
# equals pahole -J --btf_base on the same .ko, but for the lines of
# EXCEPTIONS whose first field is NAME: "NAME DIR KIND TYPE  # reason").
# Leaves the split BTF in $D2B_TMP/NAME.btf; returns 1 when it has none.
compare_module_btf() {
	_p=$1
	_base=$2
	_ko=$3
	_n=$4
	_exc=$5
	_t=$D2B_TMP
	if ! "$D2B" --base "$_base" "$_ko" -o "$_t/$_n.btf" 2>"$_t/err"; then
		fail "$_p" "conversion failed: $(head -n 1 "$_t/err")"
		return 1
	fi
	if "$D2B" --base "$_base" --validate "$_t/$_n.btf" >/dev/null 2>"$_t/err" &&
		bpftool btf dump file "$_t/$_n.btf" -B "$_base" >/dev/null 2>>"$_t/err"; then
		pass "$_p.valid"
	else
		fail "$_p.valid" "$(head -n 1 "$_t/err")"
	fi
	rm -f "$_t/$_n.p.btf"
	if ! pahole -J --btf_gen_floats --btf_base "$_base" \
		--btf_encode_detached="$_t/$_n.p.btf" "$_ko" >"$_t/err" 2>&1; then
		fail "$_p" "pahole failed: $(head -n 1 "$_t/err")"
		return 0
	fi
	"$D2B" --base "$_base" --diff "$_t/$_n.p.btf" "$_t/$_n.btf" >"$_t/diff"
	sed -e 's/[[:space:]]*#.*//' -e '/^$/d' "$_exc" |
		awk -v n="$_n" '$1 == n { print $2, $3, $4 }' | sort >"$_t/exc"
	awk '/^[<>] / { t = $3; sub(/:$/, "", t); print $1, $2, t }' "$_t/diff" | sort >"$_t/got"
	_extra=$(comm -23 "$_t/got" "$_t/exc")
	_gone=$(comm -13 "$_t/got" "$_t/exc")
	if [ -z "$_extra" ]; then
		pass "$_p"
		[ -z "$_gone" ] || note "$_n: exceptions that no longer match: $_gone"
	else
		fail "$_p" "$(echo "$_extra" | wc -l) differences from pahole not listed in ${_exc#"$D2B_SRC/"}"
		echo "$_extra" | detail - 10
	fi
	return 0
}
