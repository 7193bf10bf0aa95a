#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Command-line behaviour of dwarf2btf: exit codes, error messages, output
# safety (no clobbering, no leftovers) and determinism.
set -u
. "$(dirname "$0")/../lib.sh"

need_d2b cli || finish

T=$D2B_TMP
FIX=$D2B_SRC/tests/fixtures

# run CMD...: stdout to $T/out, stderr to $T/err, status in $rc
run() {
	"$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
}

# --- options ---
run "$D2B" --help
if [ "$rc" -eq 0 ] && cat "$T/out" "$T/err" | grep -q -- '-o'; then
	pass help
else
	fail help "--help exited $rc or does not mention -o"
fi

run "$D2B" --version
if [ "$rc" -eq 0 ] && [ -s "$T/out" ]; then
	pass version
	note "version: $(head -n 1 "$T/out")"
else
	fail version "--version exited $rc or printed nothing on stdout"
fi

run "$D2B"
if [ "$rc" -eq 2 ]; then
	pass no-args
else
	fail no-args "no arguments: exit $rc, want 2"
fi

run "$D2B" --no-such-option
if [ "$rc" -eq 2 ] && [ -s "$T/err" ]; then
	pass unknown-option
else
	fail unknown-option "--no-such-option: exit $rc, want 2 with a message on stderr"
fi

# --- errors on input ---
missing=$T/does-not-exist
run "$D2B" "$missing" -o "$T/missing.btf"
if [ "$rc" -eq 1 ] && head -n 1 "$T/err" | grep -qF "dwarf2btf: $missing: "; then
	pass missing-input
else
	fail missing-input "exit $rc, want 1 and stderr 'dwarf2btf: $missing: ...'; got: $(head -n 1 "$T/err")"
fi
if [ -e "$T/missing.btf" ]; then
	fail missing-input-no-output "missing.btf was created for a missing input"
else
	pass missing-input-no-output
fi

notelf=$T/not-elf.txt
echo "this is not an ELF file" >"$notelf"
run "$D2B" "$notelf" -o "$T/notelf.btf"
if [ "$rc" -eq 1 ] && head -n 1 "$T/err" | grep -qF "dwarf2btf: $notelf: "; then
	pass non-elf-input
else
	fail non-elf-input "exit $rc, want 1 and stderr 'dwarf2btf: $notelf: ...'; got: $(head -n 1 "$T/err")"
fi

# an existing output survives a failed conversion, and no temp file is left
mkdir "$T/outdir"
printf 'precious contents\n' >"$T/outdir/out.btf"
cp "$T/outdir/out.btf" "$T/precious.orig"
run "$D2B" "$notelf" -o "$T/outdir/out.btf"
if [ "$rc" -ne 1 ]; then
	fail keep-output-on-error "conversion of a non-ELF input exited $rc, want 1"
elif ! cmp -s "$T/outdir/out.btf" "$T/precious.orig"; then
	fail keep-output-on-error "existing out.btf was changed by a failed conversion"
else
	pass keep-output-on-error
fi
left=$(ls -A "$T/outdir")
if [ "$left" = out.btf ]; then
	pass no-temp-files-on-error
else
	fail no-temp-files-on-error "directory has: $(echo "$left" | tr '\n' ' ')"
fi

run "$D2B" "$notelf" -o "$T/no/such/dir/out.btf"
if [ "$rc" -eq 1 ]; then
	pass output-dir-missing
else
	fail output-dir-missing "output in a missing directory: exit $rc, want 1"
fi

# --- conversions of fixtures ---
if has gcc; then
	CC=gcc
elif has cc; then
	CC=cc
else
	skip determinism "no C compiler"
	finish
fi
if ! $CC -gdwarf-5 -O1 -o "$T/structs" "$FIX/structs.c" 2>"$T/cc.err" ||
	! $CC -gdwarf-5 -O1 -o "$T/same_name" "$FIX/same_name_a.c" "$FIX/same_name_b.c" 2>>"$T/cc.err" ||
	! $CC -gdwarf-4 -O1 -o "$T/multi_cu" "$FIX/multi_cu_a.c" "$FIX/multi_cu_b.c" 2>>"$T/cc.err"; then
	fail compile-fixtures "$CC failed: $(head -n 1 "$T/cc.err")"
	finish
fi

mkdir "$T/conv"
run "$D2B" "$T/structs" -o "$T/conv/a.btf"
if [ "$rc" -eq 0 ] && [ -s "$T/conv/a.btf" ]; then
	pass convert
else
	fail convert "dwarf2btf structs -o a.btf: exit $rc: $(head -n 1 "$T/err")"
fi
left=$(ls -A "$T/conv")
if [ "$left" = a.btf ] || [ "$left" = "$(printf 'a.btf\na.btf.build-id')" ]; then
	pass no-temp-files
else
	fail no-temp-files "after a conversion the directory has: $(echo "$left" | tr '\n' ' ')"
fi

# overwrite an existing output
printf 'old\n' >"$T/conv/b.btf"
run "$D2B" "$T/structs" -o "$T/conv/b.btf"
if [ "$rc" -eq 0 ] && cmp -s "$T/conv/a.btf" "$T/conv/b.btf"; then
	pass deterministic
else
	fail deterministic "second conversion (over an existing file) exit $rc or output differs from the first"
fi

run "$D2B" --validate "$T/conv/a.btf"
if [ "$rc" -eq 0 ]; then
	pass validate-ours
else
	fail validate-ours "--validate of our output: exit $rc: $(head -n 1 "$T/err")"
fi
run "$D2B" --validate "$notelf"
if [ "$rc" -eq 1 ] && { [ -s "$T/err" ] || [ -s "$T/out" ]; }; then
	pass validate-garbage
else
	fail validate-garbage "--validate of a text file: exit $rc, want 1 with a message"
fi
# truncated BTF
if [ -s "$T/conv/a.btf" ]; then
	sz=$(wc -c <"$T/conv/a.btf")
	head -c $((sz - 5)) "$T/conv/a.btf" >"$T/truncated.btf"
	run "$D2B" --validate "$T/truncated.btf"
	if [ "$rc" -eq 1 ]; then
		pass validate-truncated
	else
		fail validate-truncated "--validate of a truncated BTF: exit $rc, want 1"
	fi
fi

run "$D2B" --diff "$T/conv/a.btf" "$T/conv/a.btf"
if [ "$rc" -eq 0 ] && grep -qx 'differences 0' "$T/out" && grep -q '^kind STRUCT ' "$T/out"; then
	pass diff-self
else
	fail diff-self "--diff X X: exit $rc, want 0 with 'differences 0' and kind lines"
fi
run "$D2B" --diff "$T/conv/a.btf" "$missing"
if [ "$rc" -eq 1 ]; then
	pass diff-missing
else
	fail diff-missing "--diff with a missing file: exit $rc, want 1"
fi

for prog in same_name multi_cu structs; do
	run "$D2B" -j1 "$T/$prog" -o "$T/$prog.j1.btf"
	rc1=$rc
	run "$D2B" -j2 "$T/$prog" -o "$T/$prog.j2.btf"
	rc2=$rc
	run "$D2B" -j 2 "$T/$prog" -o "$T/$prog.j2b.btf"
	rc3=$rc
	if [ "$rc1" -ne 0 ] || [ "$rc2" -ne 0 ] || [ "$rc3" -ne 0 ]; then
		fail "jobs-identical.$prog" "-j1/-j2/-j 2 conversions exited $rc1/$rc2/$rc3"
	elif ! cmp -s "$T/$prog.j1.btf" "$T/$prog.j2.btf" ||
		! cmp -s "$T/$prog.j1.btf" "$T/$prog.j2b.btf"; then
		fail "jobs-identical.$prog" "-j1 and -j2 outputs differ"
	else
		pass "jobs-identical.$prog"
	fi
done

# -v says how declarations were resolved: struct s declared in c.c and
# defined in a.c (before refinement), then also defined otherwise in b.c
# (by merging; dedup.c's struct early)
cat >"$T/er_a.c" <<'SRC'
struct s { int a; };
struct s g_a;
int main(void) { return g_a.a; }
SRC
cat >"$T/er_b.c" <<'SRC'
struct s { long b; char c; };
struct s g_b;
SRC
cat >"$T/er_c.c" <<'SRC'
struct s;
struct t { struct s *p; int x; };
struct t g_t;
SRC
if ! $CC -g -O1 -o "$T/er_one" "$T/er_a.c" "$T/er_c.c" 2>"$T/cc.err" ||
	! $CC -g -O1 -o "$T/er_two" "$T/er_a.c" "$T/er_b.c" "$T/er_c.c" 2>>"$T/cc.err"; then
	fail compile-early "$CC failed: $(head -n 1 "$T/cc.err")"
else
	run "$D2B" -v "$T/er_one" -o "$T/er_one.btf"
	if [ "$rc" -eq 0 ] && grep -q '^dwarf2btf: dedup: .* 1 declarations resolved (1 before refinement)' "$T/err"; then
		pass verbose-early-resolution
	else
		fail verbose-early-resolution "exit $rc, -v says: $(grep '^dwarf2btf: dedup: ' "$T/err" | head -n 1)"
	fi
	run "$D2B" -v "$T/er_two" -o "$T/er_two.btf"
	if [ "$rc" -eq 0 ] &&
		grep -qx 'dwarf2btf: dedup: struct s has different definitions: its declarations are resolved by merging' "$T/err" &&
		grep -q '^dwarf2btf: dedup: .* (0 before refinement)' "$T/err"; then
		pass verbose-early-fallback
	else
		fail verbose-early-fallback "exit $rc, -v says: $(grep '^dwarf2btf: dedup: ' "$T/err" | tr '\n' ' ')"
	fi
fi
finish
