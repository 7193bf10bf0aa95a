#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Coverage per fuzz target (docs/robustness.md): runs each target of
# build/fuzz-cov/ (make fuzz-coverage builds them with clang's
# -fprofile-instr-generate -fcoverage-mapping) once over every input of its
# corpus, the seeds (tests/fuzz/seeds.sh) and its reproducers, then reports
# with llvm-profdata and llvm-cov the lines and functions reached of our
# code the fuzzers link: every file of dwarf2btf/ and emit/ but
# dwarf2btf/main.c (the CLI).
#
#   sh tests/fuzz/coverage.sh [CORPUS_DIR]
# CORPUS_DIR/TARGET/ holds each target's corpus (default tests/fuzz/corpus,
# which with the seeds and tests/fuzz/regressions/TARGET/ is what
# `make check` runs). Reports go to build/fuzz-cov/TARGET.txt (per file),
# the table to stdout.
set -u

SRC=$(cd "$(dirname "$0")/../.." && pwd)
CORPUS=${1:-$SRC/tests/fuzz/corpus}
FB=$SRC/build/fuzz-cov
REG=$SRC/tests/fuzz/regressions
for tool in llvm-profdata llvm-cov; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "coverage: $tool not found (package llvm)" >&2; exit 2; }
done
cd "$SRC" || exit 2
files=$(ls dwarf2btf/*.c emit/*.c | grep -v '^dwarf2btf/main\.c$')
seeds=$(mktemp -d "${TMPDIR:-/tmp}/d2b-seeds.XXXXXX")
trap 'rm -rf "$seeds"' EXIT
sh tests/fuzz/seeds.sh "$seeds" >/dev/null 2>&1

printf '%-8s %7s %17s %17s\n' target inputs lines functions
for bin in "$FB"/fuzz_*; do
	[ -x "$bin" ] || continue
	t=${bin##*/fuzz_}
	rm -rf "$FB/prof.$t"
	mkdir -p "$FB/prof.$t"
	s=$t
	[ "$t" != header ] || s=btf
	set --
	for d in "$CORPUS/$t" "$seeds/$s" "$REG/$t"; do
		[ -d "$d" ] && [ -n "$(ls -A "$d")" ] && set -- "$@" "$d"
	done
	if [ $# -eq 0 ]; then
		printf '%-8s %7s\n' "$t" "no corpus"
		continue
	fi
	n=$(find "$@" -type f | wc -l)
	LLVM_PROFILE_FILE="$FB/prof.$t/%p.profraw" "$bin" -runs=0 -timeout=60 \
		-rss_limit_mb=4096 "$@" >"$FB/$t.run.log" 2>&1
	llvm-profdata merge -sparse -o "$FB/$t.profdata" "$FB/prof.$t"/*.profraw || continue
	# shellcheck disable=SC2086 # one word per file
	llvm-cov report -instr-profile="$FB/$t.profdata" "$bin" $files >"$FB/$t.txt" 2>/dev/null
	awk -v t="$t" -v n="$n" '$1 == "TOTAL" {
		# TOTAL regions missed cover functions missed exec lines missed cover [branches]
		printf "%-8s %7d %8d/%-6d %5s %8d/%-6d %5s\n", t, n, $8 - $9, $8, $10, $5 - $6, $5, $7
	}' "$FB/$t.txt"
done
