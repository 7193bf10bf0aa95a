#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# What a person meets: --help (one screen, the same options as the man
# page, the getopt table and the bash completion), the progress line (on a
# terminal only), --stats and --json (valid JSON, sensible numbers, the
# base file of split BTF, errors as JSON), the man page (renders without warnings), make install and make
# uninstall (binary, man page, completion, the module's DKMS sources).
set -u
. "$(dirname "$0")/../lib.sh"

need_d2b ux || finish

T=$D2B_TMP
SRC=$D2B_SRC
MAN=$SRC/docs/dwarf2btf.1
COMP=$SRC/docs/dwarf2btf.bash-completion

# run CMD...: stdout to $T/out, stderr to $T/err, status in $rc
run() {
	"$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
}

# --- the options, from each place that lists them ---
"$D2B" --help >"$T/help" 2>&1
grep -oE -- '--[a-z][a-z0-9-]*' "$T/help" | sort -u >"$T/opts.help"
# the tags of the OPTIONS section of the man page
sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$MAN" | sed -n '/^\.TP/{n;p;}' | sed 's/\\-/-/g' |
	grep -oE -- '--[a-z][a-z0-9-]*' | sort -u >"$T/opts.man"
# getopt_long's table in the CLI
sed -n 's/.*{ "\([a-z0-9-]*\)", *\(no\|required\|optional\)_argument.*/--\1/p' \
	"$SRC/dwarf2btf/main.c" | sort -u >"$T/opts.getopt"
# the completion's word list and cases (comments aside)
sed 's/#.*//' "$COMP" | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u >"$T/opts.comp"

# same_set NAME A B WHAT-A WHAT-B
same_set() {
	_a=$(comm -23 "$2" "$3" | tr '\n' ' ')
	_b=$(comm -13 "$2" "$3" | tr '\n' ' ')
	if [ ! -s "$2" ] || [ ! -s "$3" ]; then
		fail "$1" "no options found in $4 or $5"
	elif [ -z "$_a$_b" ]; then
		pass "$1"
	else
		fail "$1" "only in $4: ${_a:-none}; only in $5: ${_b:-none}"
	fi
}
same_set help-vs-man "$T/opts.help" "$T/opts.man" "--help" "the man page's OPTIONS"
same_set help-vs-getopt "$T/opts.help" "$T/opts.getopt" "--help" "main.c's getopt table"
same_set help-vs-completion "$T/opts.help" "$T/opts.comp" "--help" "the bash completion"
note "options: $(tr '\n' ' ' <"$T/opts.help")"

# one screen: at most 24 lines of at most 80 columns, everyday commands first
lines=$(wc -l <"$T/help")
cols=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$T/help")
if [ "$lines" -le 24 ] && [ "$cols" -le 80 ]; then
	pass help-one-screen
else
	fail help-one-screen "--help is $lines lines (max 24), $cols columns (max 80)"
fi
if head -n 2 "$T/help" | grep -q -- '-o OUTPUT' && head -n 2 "$T/help" | grep -q -- '--header'; then
	pass help-everyday-first
else
	fail help-everyday-first "the first two lines of --help are not the conversion and --header"
	detail "$T/help" 3
fi

# --- the man page ---
if has groff; then
	groff -ww -z -man "$MAN" >"$T/groff.out" 2>&1
	if [ -s "$T/groff.out" ]; then
		fail man-groff "groff -ww -z -man warns"
		detail "$T/groff.out" 10
	else
		pass man-groff
	fi
else
	skip man-groff "groff not installed"
fi
if has man; then
	MANWIDTH=80 man --warnings -l "$MAN" 2>&1 >/dev/null | sed '/^$/d' >"$T/man.out"
	if [ -s "$T/man.out" ]; then
		fail man-render "man --warnings -l warns"
		detail "$T/man.out" 10
	else
		pass man-render
	fi
	for s in NAME SYNOPSIS DESCRIPTION OPTIONS 'EXIT STATUS' FILES EXAMPLES 'SEE ALSO'; do
		grep -q "^\.SH \"\{0,1\}$s" "$MAN" || fail man-sections "no $s section"
	done
	grep -q '^\.\\" SPDX-License-Identifier: ' "$MAN" || fail man-sections "no SPDX line"
	pass man-sections
else
	skip man-render "man not installed"
fi

# --- fixtures: a C program, and one with an assembly CU (skipped, -v says so) ---
if ! has gcc; then
	skip ux-fixtures "no gcc"
	finish
fi
gcc -g -O1 -o "$T/x" "$SRC/tests/fixtures/structs.c" 2>"$T/gcc.err" ||
	{ fail ux-fixtures "gcc failed: $(head -n 1 "$T/gcc.err")"; finish; }
# as writes a DWARF unit for plain assembly with an instruction in it
printf '\t.text\n\t.globl asm_nop\nasm_nop:\n\tnop\n' >"$T/a.s"
gcc -g -O1 -o "$T/xa" "$SRC/tests/fixtures/structs.c" "$T/a.s" 2>"$T/gcc.err" ||
	{ fail ux-fixtures "gcc with an assembly file failed: $(head -n 1 "$T/gcc.err")"; finish; }
gcc -g -O1 -o "$T/y" "$SRC/tests/fixtures/enums.c" 2>"$T/gcc.err" ||
	{ fail ux-fixtures "gcc failed: $(head -n 1 "$T/gcc.err")"; finish; }

# --- progress ---
run "$D2B" "$T/x" -o "$T/x.btf"
cr=$(printf '\r')
if [ "$rc" -ne 0 ]; then
	fail progress-not-tty "conversion exited $rc: $(head -n 1 "$T/err")"
elif grep -q "$cr" "$T/err" || [ -s "$T/err" ]; then
	fail progress-not-tty "stderr is a file, yet it got output (carriage returns: $(tr -cd '\r' <"$T/err" | wc -c))"
	detail "$T/err" 5
else
	pass progress-not-tty
fi

if ! has script; then
	skip progress-tty "script (util-linux) not installed"
else
	# script runs the command under a pseudo-terminal; TERM is set so that
	# a CI environment without one (or TERM=dumb) does not turn it off
	printf 'TERM=xterm exec "%s" -v "%s" -o "%s"\n' "$D2B" "$T/xa" "$T/xa.btf" >"$T/pty.sh"
	printf 'TERM=xterm exec "%s" -q "%s" -o "%s"\n' "$D2B" "$T/xa" "$T/xa.btf" >"$T/pty-q.sh"
	printf 'TERM=xterm exec "%s" "%s" -o "%s"\n' "$D2B" "$T/xa" "$T/xa.btf" >"$T/pty-plain.sh"
	script -qec "sh '$T/pty.sh'" /dev/null >"$T/pty.out" 2>&1 </dev/null
	rc=$?
	tr '\r' '\n' <"$T/pty.out" >"$T/pty.lines"
	if [ "$rc" -ne 0 ]; then
		fail progress-tty "conversion under script exited $rc"
		detail "$T/pty.lines" 10
	elif grep -q "$cr" "$T/pty.out" && grep -q 'dwarf2btf: converting, [0-9]/2 CUs' "$T/pty.lines" &&
		grep -q 'dwarf2btf: deduplicating' "$T/pty.lines"; then
		pass progress-tty
	else
		fail progress-tty "no progress line (converting, N/2 CUs) under a pseudo-terminal"
		detail "$T/pty.lines" 10
	fi
	# the -v line about the assembly CU starts a line of its own
	if grep -q '^dwarf2btf: .*: skipping CU .*not C' "$T/pty.lines"; then
		pass progress-tty-log-lines
	else
		fail progress-tty-log-lines "the -v line about the assembly CU ran into the progress line"
		detail "$T/pty.lines" 10
	fi
	# cleared at the end: what follows the last carriage return is blank
	script -qec "sh '$T/pty-plain.sh'" /dev/null >"$T/pty-plain.out" 2>&1 </dev/null
	last=$(tr -d '\n' <"$T/pty-plain.out" | awk -v RS='\r' 'END { print }')
	if [ -z "$(printf '%s' "$last" | tr -d ' ')" ]; then
		pass progress-tty-cleared
	else
		fail progress-tty-cleared "the terminal is left with: $last"
	fi
	script -qec "sh '$T/pty-q.sh'" /dev/null >"$T/pty-q.out" 2>&1 </dev/null
	if grep -q 'converting' "$T/pty-q.out"; then
		fail progress-quiet "-q under a pseudo-terminal still draws progress"
	else
		pass progress-quiet
	fi
fi

# --- --stats and --json ---
run "$D2B" --stats "$T/x" -o "$T/x.btf"
if [ "$rc" -eq 0 ] && grep -q 'before dedup' "$T/err" && grep -q '^  total ' "$T/err" &&
	grep -q 'FUNCs' "$T/err"; then
	pass stats-table
else
	fail stats-table "--stats: exit $rc, no table on stderr"
	detail "$T/err" 10
fi

if ! has jq; then
	skip json "jq not installed"
	finish
fi

run "$D2B" --json --stats "$T/x" -o "$T/x.btf"
size=$(wc -c <"$T/x.btf")
if [ "$rc" -ne 0 ] || ! jq -e . "$T/out" >/dev/null 2>&1; then
	fail json-stats "--json --stats: exit $rc, or stdout is not JSON"
	detail "$T/out" 5
	detail "$T/err" 5
elif [ "$(wc -l <"$T/out")" -ne 1 ]; then
	fail json-stats "--json printed $(wc -l <"$T/out") lines, want one object on one line"
elif ! jq -e --argjson size "$size" '
	.types.total > 0 and .types_before_dedup.total >= .types.total and
	([.types.per_kind[]] | add) == .types.total and
	([.types_before_dedup.per_kind[]] | add) == .types_before_dedup.total and
	.types.per_kind.STRUCT > 0 and .cus.total >= 1 and .threads >= 1 and
	.strings.count > 0 and .strings.bytes > .strings.count and
	.output_bytes == $size and .funcs.written >= 1 and
	(.funcs.left_out | has("arguments_moved") and has("prototypes_differ")) and
	.seconds.total >= 0 and .format == "raw"' "$T/out" >/dev/null; then
	fail json-stats "--json numbers do not add up"
	jq . "$T/out" | detail - 60
else
	pass json-stats
	note "$(jq -c '{types: .types.total, before: .types_before_dedup.total, strings, output_bytes}' "$T/out")"
fi
if [ -s "$T/err" ]; then
	fail json-stats-stderr "--json wrote to stderr: $(head -n 1 "$T/err")"
else
	pass json-stats-stderr
fi

# split BTF: the table and the object name the base; without --base, no "base"
if jq -e 'has("base") | not' "$T/out" >/dev/null; then
	pass json-no-base
else
	fail json-no-base "--json without --base has a \"base\" member: $(cat "$T/out")"
fi
cp "$T/x.btf" "$T/base.btf"
run "$D2B" --stats --base "$T/base.btf" "$T/x" -o "$T/split.btf"
if [ "$rc" -eq 0 ] && grep -qxF "  split BTF on    $T/base.btf (its types counted in neither column)" "$T/err"; then
	pass stats-base
else
	fail stats-base "--stats --base: exit $rc, the table does not name the base"
	detail "$T/err" 5
fi
run "$D2B" --json --base "$T/base.btf" "$T/x" -o "$T/split.btf"
if [ "$rc" -eq 0 ] && jq -e --arg base "$T/base.btf" '.base == $base' "$T/out" >/dev/null; then
	pass json-base
else
	fail json-base "--json --base: exit $rc, \"base\" is not the base file: $(head -c 300 "$T/out")"
fi

run "$D2B" --json "$T/does-not-exist" -o "$T/none.btf"
if [ "$rc" -eq 1 ] && jq -e '.error | type == "string" and length > 0' "$T/out" >/dev/null 2>&1 &&
	[ ! -s "$T/err" ]; then
	pass json-error
else
	fail json-error "--json with a missing input: exit $rc (want 1), stdout: $(head -c 200 "$T/out")"
fi

# a name that needs escaping, and bytes that are not UTF-8
odd=$T/$(printf 'we"ird\\ na\001me\377')
run "$D2B" --json "$odd" -o "$T/none.btf"
if [ "$rc" -eq 1 ] && jq -e '.error | contains("we\"ird\\")' "$T/out" >/dev/null 2>&1; then
	pass json-error-escaped
else
	fail json-error-escaped "--json error for an odd file name is not valid JSON: $(head -c 200 "$T/out" | od -c | head -n 3)"
fi

run "$D2B" --json "$T/x" -o -
if [ "$rc" -eq 2 ]; then
	pass json-stdout-refused
else
	fail json-stdout-refused "--json with -o -: exit $rc, want 2"
fi

"$D2B" -q "$T/y" -o "$T/y.btf" 2>/dev/null
run "$D2B" --json --diff "$T/x.btf" "$T/x.btf"
if [ "$rc" -eq 0 ] && jq -e '.equal == true and .total_differences == 0 and
	.kinds.STRUCT.matched > 0' "$T/out" >/dev/null 2>&1; then
	pass json-diff-equal
else
	fail json-diff-equal "--json --diff of a file with itself: exit $rc, $(head -c 200 "$T/out")"
fi
run "$D2B" --json --diff "$T/x.btf" "$T/y.btf"
if [ "$rc" -eq 3 ] && jq -e '.equal == false and .total_differences == (.differences | length) and
	(.differences | all(.side == "a" or .side == "b"))' "$T/out" >/dev/null 2>&1; then
	pass json-diff-different
else
	fail json-diff-different "--json --diff of different files: exit $rc (want 3), $(head -c 200 "$T/out")"
fi
run "$D2B" --json --validate "$T/x.btf"
if [ "$rc" -eq 0 ] && jq -e '.valid == true and .types > 0' "$T/out" >/dev/null 2>&1; then
	pass json-validate
else
	fail json-validate "--json --validate: exit $rc, $(head -c 200 "$T/out")"
fi

# --- bash completion ---
if has bash; then
	got=$(bash -c '. "$1"; COMP_WORDS=(dwarf2btf --sta); COMP_CWORD=1; _dwarf2btf; echo "${COMPREPLY[*]}"' _ "$COMP" 2>&1)
	got2=$(bash -c '. "$1"; COMP_WORDS=(dwarf2btf --format ""); COMP_CWORD=2; _dwarf2btf; echo "${COMPREPLY[*]}"' _ "$COMP" 2>&1)
	if [ "$got" = "--stats" ] && [ "$got2" = "raw elf" ]; then
		pass completion
	else
		fail completion "'--sta' completes to '$got' (want --stats), '--format ' to '$got2'"
	fi
else
	skip completion "bash not installed"
fi

# --- make install / uninstall ---
R=$T/root
# the binary under test as it is: never rebuilt (-o), whatever the build dir
if ! make -s -C "$SRC" install DESTDIR="$R" PREFIX=/usr BIN="$D2B" -o "$D2B" >"$T/install.log" 2>&1; then
	fail install "make install failed"
	detail "$T/install.log" 20
	finish
fi
name=$(sed -n 's/^PACKAGE_NAME="\{0,1\}\([A-Za-z0-9_.+-]*\).*/\1/p' "$SRC/kbuild/dkms.conf" 2>/dev/null | head -n 1)
ver=$(sed -n 's/^PACKAGE_VERSION="\{0,1\}\([A-Za-z0-9_.+-]*\).*/\1/p' "$SRC/kbuild/dkms.conf" 2>/dev/null | head -n 1)
ver=${ver:-$(sed -n 's/^VERSION := *//p' "$SRC/Makefile")}
dkms=$R/usr/src/${name:-btf_vmlinux}-$ver
missing=
[ -x "$R/usr/bin/dwarf2btf" ] || missing="$missing bin/dwarf2btf"
cmp -s "$R/usr/share/man/man1/dwarf2btf.1" "$MAN" || missing="$missing man1/dwarf2btf.1"
cmp -s "$R/usr/share/bash-completion/completions/dwarf2btf" "$COMP" ||
	missing="$missing completions/dwarf2btf"
for f in "$SRC"/kbuild/Kbuild "$SRC"/kbuild/Makefile "$SRC"/kbuild/*.c "$SRC"/kbuild/*.S \
	"$SRC"/kbuild/*.h "$SRC"/kbuild/*.sh "$SRC"/kbuild/dkms.conf; do
	[ -f "$f" ] || continue
	case $f in *.mod.c) continue ;; esac
	cmp -s "$f" "$dkms/${f##*/}" || missing="$missing ${dkms#"$R"}/${f##*/}"
	case $f in *.sh) [ -x "$dkms/${f##*/}" ] || missing="$missing ${f##*/}(not executable)" ;; esac
done
if [ -z "$missing" ]; then
	pass install
	note "installed: $(cd "$R" && find . -type f | sort | tr '\n' ' ')"
else
	fail install "not installed as expected:$missing"
	(cd "$R" && find . | sort) | detail - 30
fi
if has man; then
	if [ -z "$(MANWIDTH=80 man --warnings -l "$R/usr/share/man/man1/dwarf2btf.1" 2>&1 >/dev/null)" ] &&
		MANWIDTH=80 man -l "$R/usr/share/man/man1/dwarf2btf.1" 2>/dev/null | grep -q 'EXIT STATUS'; then
		pass install-man
	else
		fail install-man "the installed man page does not render cleanly"
	fi
fi
"$R/usr/bin/dwarf2btf" --version >/dev/null 2>&1 && pass install-runs ||
	fail install-runs "the installed binary does not run"

if ! make -s -C "$SRC" uninstall DESTDIR="$R" PREFIX=/usr >"$T/uninstall.log" 2>&1; then
	fail uninstall "make uninstall failed"
	detail "$T/uninstall.log" 20
else
	left=$(cd "$R" && find . -type f | sort | tr '\n' ' ')
	if [ -z "$left" ]; then
		pass uninstall
	else
		fail uninstall "left behind: $left"
	fi
fi

finish
