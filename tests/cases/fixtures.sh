#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Convert each fixture program (tests/fixtures) built by three compilers
# and compare with pahole 1.24's BTF of the same binary.
#
# A fixture is NAME.c, or NAME_a.c NAME_b.c ... linked into one program
# NAME (several compilation units). For each fixture x compiler:
#   NAME.TAG.diff      dwarf2btf --diff pahole.btf ours.btf shows only the
#                      lines listed in tests/exceptions/fixtures.txt
#   NAME.TAG.validate  dwarf2btf --validate accepts ours
#   NAME.TAG.bpftool   bpftool btf dump file accepts ours
#   NAME.TAG.libbpf    libbpf's btf__parse accepts ours
#   NAME.TAG.expect    the "d2b-expect: COUNT TEXT" comments of the sources
#                      hold for ours: COUNT lines of `bpftool btf dump file`
#                      start with TEXT after their "[id] ".
#                      "d2b-expect(TAG,...): ..." applies to those tags only.
#
# Environment: D2B_FIXTURES (fixture names) and D2B_COMPILERS (tags among
# gcc4 gcc5 clang) restrict the matrix.
set -u
. "$(dirname "$0")/../lib.sh"

EXC=$D2B_SRC/tests/exceptions/fixtures.txt
ALL_DIFFS=$D2B_TMP/all-diffs
: >"$ALL_DIFFS"

need_d2b fixtures || finish

in_list() {
	_w=$1
	shift
	for _x in "$@"; do
		[ "$_x" != "$_w" ] || return 0
	done
	return 1
}

# print the diff lines ("< ..." / "> ...") of file $3 that the exceptions
# file does not allow for fixture $1 and compiler tag $2
unexpected_lines() {
	awk -v fx="$1" -v tag="$2" '
	FILENAME == ARGV[1] {
		if ($0 ~ /^[ \t]*(#|$)/)
			next
		rest = $0
		sub(/^[ \t]*[^ \t]+[ \t]+[^ \t]+[ \t]+/, "", rest)
		i = index(rest, "  #")
		if (i)
			rest = substr(rest, 1, i - 1)
		sub(/[ \t]+$/, "", rest)
		if (($1 == fx || $1 == "*") && ($2 == tag || $2 == "*"))
			ok[rest] = 1
		next
	}
	/^[<>] / {
		l = $0
		sub(/[ \t]+$/, "", l)
		if (!(l in ok))
			print l
	}' "$EXC" "$3"
}

# expectations of fixture $1 for tag $2, as "COUNT<TAB>TEXT" lines
expectations() {
	for src in $(sources_of "$1"); do
		sed -n 's/^[[:space:]]*\/\/[[:space:]]*d2b-expect\(([^)]*)\)\{0,1\}:[[:space:]]*\(.*\)$/\1 \2/p' "$src"
	done | while IFS= read -r line; do
		case $line in
		"("*)
			tags=${line%%)*}
			tags=${tags#(}
			rest=${line#*) }
			case ",$tags," in
			*",$2,"*) ;;
			*) continue ;;
			esac
			;;
		*)
			rest=${line# }
			;;
		esac
		count=${rest%% *}
		text=${rest#* }
		printf '%s\t%s\n' "$count" "$text"
	done
}

# check_expect EXPECTATIONS_FILE DUMP_FILE: print the failing ones
check_expect() {
	awk -F '\t' '
	FILENAME == ARGV[1] { n++; cnt[n] = $1; txt[n] = $2; next }
	{
		sub(/^\[[0-9]+\] /, "")
		for (i = 1; i <= n; i++)
			if (index($0, txt[i]) == 1)
				seen[i]++
	}
	END {
		for (i = 1; i <= n; i++)
			if (seen[i] + 0 != cnt[i] + 0)
				printf "expected %d, found %d: %s\n", cnt[i], seen[i], txt[i]
	}' "$1" "$2"
}

compiler_cmd() {
	case $1 in
	gcc4) echo "gcc -gdwarf-4 -O1" ;;
	gcc5) echo "gcc -gdwarf-5 -O1" ;;
	clang) echo "clang -g -O1" ;;
	esac
}

have_pahole=1
if ! has pahole; then
	have_pahole=0
	note "pahole not installed: the .diff tests are skipped"
fi

# shellcheck disable=SC2086
for prog in $(programs); do
	if [ -n "${D2B_FIXTURES:-}" ] && ! in_list "$prog" $D2B_FIXTURES; then
		continue
	fi
	for tag in gcc4 gcc5 clang; do
		if [ -n "${D2B_COMPILERS:-}" ] && ! in_list "$tag" $D2B_COMPILERS; then
			continue
		fi
		t=$prog.$tag
		cmd=$(compiler_cmd "$tag")
		ccbin=${cmd%% *}
		if ! has "$ccbin"; then
			skip "$t" "$ccbin not installed"
			continue
		fi
		dir=$D2B_TMP/$t
		mkdir -p "$dir"
		x=$dir/$prog
		# shellcheck disable=SC2046 # several sources, no blanks in their paths
		if ! $cmd -o "$x" $(sources_of "$prog") >"$dir/cc.log" 2>&1; then
			fail "$t.compile" "$cmd failed"
			detail "$dir/cc.log" 10
			continue
		fi

		if ! "$D2B" "$x" -o "$x.btf" >"$dir/conv.out" 2>"$dir/conv.err"; then
			fail "$t.convert" "dwarf2btf $prog -o $prog.btf exited $?: $(head -n 1 "$dir/conv.err")"
			continue
		fi
		if [ ! -s "$x.btf" ]; then
			fail "$t.convert" "dwarf2btf exited 0 but wrote no output"
			continue
		fi

		# --- comparison with pahole ---
		if [ "$have_pahole" -eq 0 ]; then
			skip "$t.diff" "pahole not installed"
		elif ! pahole -J --btf_gen_floats --btf_encode_detached="$x.pahole.btf" "$x" \
			>"$dir/pahole.log" 2>&1 || [ ! -s "$x.pahole.btf" ]; then
			skip "$t.diff" "pahole failed to make the reference: $(head -n 1 "$dir/pahole.log")"
		else
			"$D2B" --diff "$x.pahole.btf" "$x.btf" >"$dir/diff.out" 2>"$dir/diff.err"
			rc=$?
			ndiff=$(sed -n 's/^differences \([0-9][0-9]*\)$/\1/p' "$dir/diff.out")
			matched=$(awk '/^kind [A-Z_0-9]+ / {
				for (i = 3; i <= NF; i++) if ($i ~ /^matched=/) { sub(/^matched=/, "", $i); m += $i } }
				END { print m + 0 }' "$dir/diff.out")
			nlines=$(grep -c '^[<>] ' "$dir/diff.out")
			if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
				fail "$t.diff" "dwarf2btf --diff exited $rc: $(head -n 1 "$dir/diff.err")"
			elif [ -z "$ndiff" ]; then
				fail "$t.diff" "no 'differences N' line in --diff output"
				detail "$dir/diff.out" 10
			elif [ "$matched" -eq 0 ]; then
				fail "$t.diff" "--diff matched no types"
				grep '^kind ' "$dir/diff.out" | detail - 20
			elif { [ "$rc" -eq 0 ] && [ "$ndiff" -ne 0 ]; } ||
				{ [ "$rc" -eq 3 ] && [ "$ndiff" -eq 0 ]; } ||
				{ [ "$ndiff" -ne 0 ] && [ "$nlines" -eq 0 ]; }; then
				fail "$t.diff" "--diff inconsistent: exit $rc, 'differences $ndiff', $nlines </> lines"
			else
				grep '^[<>] ' "$dir/diff.out" | sed "s|^|$prog $tag |" >>"$ALL_DIFFS"
				unexpected_lines "$prog" "$tag" "$dir/diff.out" >"$dir/unexpected"
				nun=$(wc -l <"$dir/unexpected")
				if [ "$nun" -eq 0 ]; then
					pass "$t.diff"
					[ "$ndiff" -eq 0 ] || note "$t: differences $ndiff, all listed in tests/exceptions/fixtures.txt"
				else
					fail "$t.diff" "$nun difference lines not in tests/exceptions/fixtures.txt (< pahole, > ours)"
					detail "$dir/unexpected" 30
					grep '^kind ' "$dir/diff.out" | grep -v ' only_a=0 only_b=0 differ=0$' | detail - 20
				fi
			fi
		fi

		# --- consumers ---
		consumers_check "$t" "$x.btf"

		# --- expectations from the sources ---
		expectations "$prog" "$tag" >"$dir/expect"
		if [ ! -s "$dir/expect" ]; then
			skip "$t.expect" "no d2b-expect lines for $tag"
		elif ! has bpftool; then
			skip "$t.expect" "bpftool not installed"
		elif ! bpftool btf dump file "$x.btf" >"$dir/dump" 2>/dev/null; then
			fail "$t.expect" "bpftool cannot dump ours"
		else
			check_expect "$dir/expect" "$dir/dump" >"$dir/expect.bad"
			if [ -s "$dir/expect.bad" ]; then
				fail "$t.expect" "$(wc -l <"$dir/expect.bad") of $(wc -l <"$dir/expect") expectations do not hold"
				detail "$dir/expect.bad" 20
			else
				pass "$t.expect"
			fi
			# a wrong expectation shows here: pahole should meet them too
			if [ -s "$x.pahole.btf" ] &&
				bpftool btf dump file "$x.pahole.btf" >"$dir/pdump" 2>/dev/null; then
				check_expect "$dir/expect" "$dir/pdump" | sed 's/^/note: pahole output: /' | detail - 10
			fi
		fi
	done
done

# exceptions that matched nothing in this run (all three compilers only)
if [ -z "${D2B_FIXTURES:-}" ] && [ -z "${D2B_COMPILERS:-}" ] && [ -f "$EXC" ]; then
	awk '
	FILENAME == ARGV[1] {
		l = $0
		sub(/[ \t]+$/, "", l)
		d[$1 " " $2 " " substr(l, length($1 " " $2 " ") + 1)] = 1
		next
	}
	/^[ \t]*(#|$)/ { next }
	{
		rest = $0
		sub(/^[ \t]*[^ \t]+[ \t]+[^ \t]+[ \t]+/, "", rest)
		i = index(rest, "  #")
		if (i)
			rest = substr(rest, 1, i - 1)
		sub(/[ \t]+$/, "", rest)
		used = 0
		for (k in d) {
			split(k, p, " ")
			kl = substr(k, length(p[1] " " p[2] " ") + 1)
			if (kl == rest && ($1 == "*" || $1 == p[1]) && ($2 == "*" || $2 == p[2]))
				used = 1
		}
		if (!used)
			printf "# unused exception, line %d: %s\n", FNR, $0
	}' "$ALL_DIFFS" "$EXC"
fi

finish
