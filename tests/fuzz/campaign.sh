#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# A fuzzing campaign (docs/robustness.md): every libFuzzer target of
# build/fuzz/ (make fuzz-build) at once, each for SECONDS of wall time at
# `nice -n 19` (so that it takes only idle CPU), on its corpus in
# build/fuzz/corpus/TARGET (seeded by tests/fuzz/seeds.sh when empty,
# kept from run to run). Prints one line per target: CPU seconds used
# (user + system), executions, libFuzzer's cov and ft, corpus size, and
# the inputs that crashed, leaked, hung or ran out of memory, which are
# copied to tests/fuzz/regressions/TARGET/ (exit 1 when there are any),
# and how many took over 10 s (libFuzzer's slow units: on a loaded machine
# they are mostly the load; replay them to tell).
#
#   sh tests/fuzz/campaign.sh SECONDS [TARGET...]   (make fuzz-campaign FUZZ_SECONDS=N)
set -u

SECS=${1:?usage: campaign.sh SECONDS [TARGET...]}
shift
SRC=$(cd "$(dirname "$0")/../.." && pwd)
FB=$SRC/build/fuzz
REG=$SRC/tests/fuzz/regressions
[ -x /usr/bin/time ] || { echo "campaign: needs /usr/bin/time (package time)" >&2; exit 2; }
if [ $# -eq 0 ]; then
	for f in "$FB"/fuzz_*; do
		[ -x "$f" ] && set -- "$@" "${f##*/fuzz_}"
	done
fi
[ $# -gt 0 ] || { echo "campaign: no targets in $FB (make fuzz-build)" >&2; exit 2; }
LOGS=$FB/campaign
mkdir -p "$LOGS"
seeds=

for t in "$@"; do
	if [ -z "$(ls -A "$FB/corpus/$t" 2>/dev/null)" ]; then
		if [ -z "$seeds" ]; then
			seeds=$(mktemp -d "${TMPDIR:-/tmp}/d2b-seeds.XXXXXX")
			sh "$SRC/tests/fuzz/seeds.sh" "$seeds" >/dev/null 2>&1
		fi
		s=$t
		[ "$t" != header ] || s=btf
		mkdir -p "$FB/corpus/$t"
		cp "$seeds/$s"/* "$FB/corpus/$t/" 2>/dev/null
	fi
	rm -rf "$LOGS/artifacts.$t"
	mkdir -p "$LOGS/artifacts.$t"
	nice -n 19 /usr/bin/time -f '%U %S' -o "$LOGS/$t.cpu" \
		"$FB/fuzz_$t" -timeout=30 -rss_limit_mb=2048 -malloc_limit_mb=2048 \
		-max_total_time="$SECS" -print_final_stats=1 \
		-artifact_prefix="$LOGS/artifacts.$t/" "$FB/corpus/$t" >"$LOGS/$t.log" 2>&1 &
done
wait
[ -z "$seeds" ] || rm -rf "$seeds"

found=0
printf '%-8s %10s %12s %7s %7s %7s  %s\n' target cpu_s executions cov ft corpus found
for t in "$@"; do
	cpu=$(awk 'NF == 2 { printf "%.0f", $1 + $2 }' "$LOGS/$t.cpu" 2>/dev/null)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$LOGS/$t.log")
	last=$(grep -E '^#[0-9]+[[:space:]]+(DONE|INITED|NEW|REDUCE|pulse)' "$LOGS/$t.log" | tail -n 1)
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(ls "$FB/corpus/$t" | wc -l)
	arts=
	slow=$(ls "$LOGS/artifacts.$t" | grep -c '^slow-unit-')
	[ "$slow" -eq 0 ] || arts=" $slow slow (> 10 s, kept in $LOGS/artifacts.$t)"
	for a in "$LOGS/artifacts.$t"/crash-* "$LOGS/artifacts.$t"/leak-* \
		"$LOGS/artifacts.$t"/timeout-* "$LOGS/artifacts.$t"/oom-*; do
		[ -f "$a" ] || continue
		mkdir -p "$REG/$t"
		cp "$a" "$REG/$t/"
		arts="$arts ${a##*/}"
		found=$((found + 1))
	done
	printf '%-8s %10s %12s %7s %7s %7s  %s\n' "$t" "${cpu:-?}" "${execs:-?}" "${cov:-?}" \
		"${ft:-?}" "$corp" "${arts:-none}"
done
[ "$found" -eq 0 ]
