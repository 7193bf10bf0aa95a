#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Refreshes the corpus kept in the repository, tests/fuzz/corpus/TARGET/,
# from a campaign's (build/fuzz/corpus/TARGET/, tests/fuzz/campaign.sh):
# libFuzzer's merge (-use_counters=0: a new edge, not a new hit count)
# on top of the seeds that tests/fuzz/seeds.sh makes from the fixtures,
# which CI makes again and so need not be kept; of the inputs that reach
# edges the seeds do not, the smallest first, up to BUDGET KiB per target
# (default 128), so that the repository stays small.
#
#   sh tests/fuzz/keep-corpus.sh [BUDGET_KIB] [TARGET...]   (make fuzz-keep)
set -u

BUDGET=${1:-128}
[ $# -eq 0 ] || shift
SRC=$(cd "$(dirname "$0")/../.." && pwd)
FB=$SRC/build/fuzz
KEPT=$SRC/tests/fuzz/corpus
if [ $# -eq 0 ]; then
	for f in "$FB"/fuzz_*; do
		[ -x "$f" ] && set -- "$@" "${f##*/fuzz_}"
	done
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/d2b-keep.XXXXXX")
trap 'rm -rf "$work"' EXIT
sh "$SRC/tests/fuzz/seeds.sh" "$work/seeds" >/dev/null 2>&1

for t in "$@"; do
	s=$t
	[ "$t" != header ] || s=btf
	mkdir -p "$work/$t" "$KEPT/$t"
	cp "$work/seeds/$s"/* "$work/$t/" 2>/dev/null
	ls "$work/$t" >"$work/$t.seeds"
	set --
	for d in "$KEPT/$t" "$FB/corpus/$t"; do
		[ -n "$(ls -A "$d" 2>/dev/null)" ] && set -- "$@" "$d"
	done
	[ $# -gt 0 ] || continue
	"$FB/fuzz_$t" -merge=1 -use_counters=0 -timeout=30 -rss_limit_mb=2048 \
		"$work/$t" "$@" >"$work/$t.log" 2>&1 ||
		{ echo "keep-corpus: $t: merge failed: $(tail -n 1 "$work/$t.log")" >&2; continue; }
	(cd "$work/$t" && xargs rm -f <"$work/$t.seeds")
	rm -f "$KEPT/$t"/*
	total=0
	n=0
	# smallest first, within the budget
	for f in $(cd "$work/$t" && ls -S -r); do
		sz=$(wc -c <"$work/$t/$f")
		[ $((total + sz)) -le $((BUDGET * 1024)) ] || break
		cp "$work/$t/$f" "$KEPT/$t/"
		total=$((total + sz))
		n=$((n + 1))
	done
	echo "keep-corpus: $t: $n of $(ls "$work/$t" | wc -l) inputs beyond the seeds kept, $total bytes"
done
