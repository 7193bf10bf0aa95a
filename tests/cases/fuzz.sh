#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Fuzz smoke test (docs/robustness.md): builds the libFuzzer targets
# tests/fuzz/fuzz_*.c (make fuzz-build: clang, ASan, UBSan, into
# build/fuzz/), then for each target
#   fuzz.TARGET.regressions  every file of tests/fuzz/regressions/TARGET/
#                            runs through it without a crash, leak or hang
#   fuzz.TARGET.corpus       so does every input of the minimised corpus kept
#                            in tests/fuzz/corpus/TARGET/
#   fuzz.TARGET              D2B_FUZZ_SECONDS (default 15) of fuzzing from the
#                            corpus in build/fuzz/corpus/TARGET (seeded from
#                            tests/fuzz/corpus/TARGET and the fixtures by
#                            tests/fuzz/seeds.sh) finds nothing. An input
#                            that crashes, leaks, hangs (> 30 s) or runs out
#                            of memory (> 2 GiB) is copied to
#                            tests/fuzz/regressions/TARGET/ and reported:
#                            fix the bug, commit the file.
# `make fuzz FUZZ_SECONDS=N` runs this with D2B_FUZZ_SECONDS=N.
# D2B_FUZZ_TARGETS restricts the targets (e.g. "btf elf"); D2B_FUZZ_SEED
# sets libFuzzer's seed (default 1; 0: random).
set -u
. "$(dirname "$0")/../lib.sh"

T=$D2B_TMP
SECS=${D2B_FUZZ_SECONDS:-15}
# a fixed seed: the smoke test explores the same inputs on every run, so CI
# does not fail on a find of chance; D2B_FUZZ_SEED=0 picks one at random
SEED=${D2B_FUZZ_SEED:-1}
FUZZ_BUILD=$D2B_SRC/build/fuzz
REG=$D2B_SRC/tests/fuzz/regressions
KEPT=$D2B_SRC/tests/fuzz/corpus
CORPUS=$FUZZ_BUILD/corpus

if ! has clang; then
	skip fuzz "clang not installed (tests/install-deps.sh installs it)"
	finish
fi
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' >"$T/probe.c"
if ! clang -fsanitize=fuzzer,address,undefined -o "$T/probe" "$T/probe.c" >"$T/probe.log" 2>&1; then
	skip fuzz "clang cannot link libFuzzer (libclang-rt-14-dev missing?): $(head -n 1 "$T/probe.log")"
	finish
fi

# a sub-make of its own: not the jobserver of a `make check` around us
if ! (cd "$D2B_SRC" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s fuzz-build) \
	>"$T/build.log" 2>&1; then
	fail fuzz.build "make fuzz-build failed"
	detail "$T/build.log" 20
	finish
fi
pass fuzz.build

targets=
for f in "$D2B_SRC"/tests/fuzz/fuzz_*.c; do
	t=${f##*/fuzz_}
	t=${t%.c}
	if [ -n "${D2B_FUZZ_TARGETS:-}" ]; then
		case " $D2B_FUZZ_TARGETS " in
		*" $t "*) ;;
		*) continue ;;
		esac
	fi
	targets="$targets $t"
done

# first line of a sanitizer or libFuzzer report in log $1
report_line() {
	grep -m 1 -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|ALARM|fuzz:)' "$1" |
		sed 's/^==[0-9]*==//'
}

# keep_artifacts TARGET DIR: copy crash/leak/timeout/oom inputs to regressions
keep_artifacts() {
	_n=0
	mkdir -p "$REG/$1"
	for _a in "$2"/crash-* "$2"/leak-* "$2"/timeout-* "$2"/oom-*; do
		[ -f "$_a" ] || continue
		cp "$_a" "$REG/$1/${_a##*/}"
		note "new reproducer: tests/fuzz/regressions/$1/${_a##*/}"
		_n=$((_n + 1))
	done
	return "$_n"
}

for t in $targets; do
	bin=$FUZZ_BUILD/fuzz_$t
	if [ ! -x "$bin" ]; then
		fail "fuzz.$t" "$bin was not built"
		continue
	fi
	opts="-timeout=30 -rss_limit_mb=2048 -malloc_limit_mb=2048"

	# --- known reproducers: each must now pass ---
	set --
	if [ -d "$REG/$t" ]; then
		for r in "$REG/$t"/*; do
			[ -f "$r" ] && set -- "$@" "$r"
		done
	fi
	if [ $# -eq 0 ]; then
		skip "fuzz.$t.regressions" "no files in tests/fuzz/regressions/$t"
	else
		bad=
		for r in "$@"; do
			# shellcheck disable=SC2086
			if ! "$bin" $opts "$r" >"$T/replay.$t.log" 2>&1; then
				bad="$bad ${r##*/}"
				note "$t: ${r##*/}: $(report_line "$T/replay.$t.log")"
			fi
		done
		if [ -z "$bad" ]; then
			pass "fuzz.$t.regressions"
			note "$t: $# reproducers replayed"
		else
			fail "fuzz.$t.regressions" "still failing:$bad"
		fi
	fi

	# --- the corpus kept in the repository, in one process ---
	if [ -z "$(ls -A "$KEPT/$t" 2>/dev/null)" ]; then
		skip "fuzz.$t.corpus" "no files in tests/fuzz/corpus/$t"
	# shellcheck disable=SC2086
	elif "$bin" $opts -runs=0 "$KEPT/$t" >"$T/corpus.$t.log" 2>&1; then
		pass "fuzz.$t.corpus"
		note "$t: $(ls "$KEPT/$t" | wc -l) corpus inputs replayed"
	else
		fail "fuzz.$t.corpus" "an input of tests/fuzz/corpus/$t fails: $(report_line "$T/corpus.$t.log")"
		grep -E 'ERROR|runtime error|SUMMARY|^    #[0-9] |Running: ' "$T/corpus.$t.log" |
			head -n 12 | detail - 12
	fi

	# --- a short fuzzing run ---
	if [ "$SECS" -le 0 ]; then
		skip "fuzz.$t" "D2B_FUZZ_SECONDS=$SECS"
		continue
	fi
	if [ ! -d "$CORPUS/$t" ] || [ -z "$(ls -A "$CORPUS/$t" 2>/dev/null)" ]; then
		[ -d "$T/seeds" ] || sh "$D2B_SRC/tests/fuzz/seeds.sh" "$T/seeds" "$D2B" >"$T/seeds.log" 2>&1
		mkdir -p "$CORPUS/$t"
		# the header writer reads BTF: it starts from the BTF seeds
		seeds=$t
		[ "$t" != header ] || seeds=btf
		cp "$T/seeds/$seeds"/* "$CORPUS/$t/" 2>/dev/null
		cp "$KEPT/$t"/* "$CORPUS/$t/" 2>/dev/null
	fi
	art=$T/artifacts.$t
	mkdir -p "$art"
	log=$T/fuzz.$t.log
	# shellcheck disable=SC2086
	"$bin" $opts -max_total_time="$SECS" -seed="$SEED" -print_final_stats=1 \
		-artifact_prefix="$art/" "$CORPUS/$t" >"$log" 2>&1
	rc=$?
	last=$(grep -E '^#[0-9]+[[:space:]]+(DONE|INITED|NEW|REDUCE|pulse)' "$log" | tail -n 1)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
	note "$t: ${SECS}s, ${execs:-?} executions, cov: ${cov:-?} ft: ${ft:-?}, corpus ${corp:-?} inputs"
	keep_artifacts "$t" "$art"
	nart=$?
	if [ "$rc" -eq 0 ] && [ "$nart" -eq 0 ]; then
		pass "fuzz.$t"
	else
		fail "fuzz.$t" "exit $rc, $nart new reproducer(s) in tests/fuzz/regressions/$t: $(report_line "$log")"
		grep -E 'ERROR|runtime error|SUMMARY|^    #[0-9] ' "$log" | head -n 12 | detail - 12
	fi
done

finish
