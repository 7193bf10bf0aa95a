#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Benchmark (not a test): dwarf2btf against pahole on Debian's cloud debug
# vmlinux, in one run, commands alternating, N runs each (default 5);
# reports median, min and max wall time, median peak RSS, and the ratios,
# and writes the table to docs/performance.md.
#
#   sh tests/bench.sh BUILD_DIR [RUNS]       (make bench RUNS=5)
set -eu

BUILD=${1:-build}
RUNS=${2:-5}
SRC=$(cd "$(dirname "$0")/.." && pwd)
D2B=$(cd "$BUILD" && pwd)/dwarf2btf
OUT=$SRC/docs/performance.md
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

[ -x "$D2B" ] || { echo "bench: no $D2B (run make first)" >&2; exit 1; }
. "$SRC/tests/bench-lib.sh"
[ -x /usr/bin/time ] || { echo "bench: needs /usr/bin/time (package time)" >&2; exit 1; }
vmlinux=$(sh "$SRC/tests/fetch-kernel.sh")
objcopy -O binary --only-section=.BTF "$vmlinux" "$T/ref.btf"
"$D2B" "$vmlinux" -o "$T/ours.btf"
has_header=0
"$D2B" --help | grep -q -- '--header' && has_header=1

# name|command, run through sh -c; timings go to $T/<name>.times as "wall rss"
cat >"$T/commands" <<EOF
d2b-j1|"$D2B" -j1 "$vmlinux" -o "$T/o1.btf"
d2b-j2|"$D2B" -j2 "$vmlinux" -o "$T/o2.btf"
pahole-j1|rm -f "$T/p1.btf"; pahole -J --btf_gen_floats --btf_encode_detached="$T/p1.btf" "$vmlinux"
pahole-j2|rm -f "$T/p2.btf"; pahole -j2 -J --btf_gen_floats --btf_encode_detached="$T/p2.btf" "$vmlinux"
bpftool-c|bpftool btf dump file "$T/ours.btf" format c >"$T/b.h"
EOF
[ "$has_header" = 0 ] || echo "d2b-header|\"$D2B\" --header \"$T/ours.btf\" -o \"$T/d.h\"" >>"$T/commands"

i=1
while [ "$i" -le "$RUNS" ]; do
	bench_round "$T"
	echo "bench: run $i of $RUNS done" >&2
	i=$((i + 1))
done

# stat NAME: "median min max rss_median_MB"
stat() {
	rss=$(sort -n -k2 "$T/$1.times" | awk '{ r[NR] = $2 } END { print r[int((NR + 1) / 2)] }')
	sort -n "$T/$1.times" | awk -v rss="$rss" '{ w[NR] = $1 }
		END { printf "%.2f %.2f %.2f %d\n", w[int((NR + 1) / 2)], w[1], w[NR], rss / 1024 }'
}
for c in $(cut -d'|' -f1 "$T/commands"); do stat "$c" >"$T/$c.stat"; done
field() { awk -v f="$2" '{ print $f }' "$T/$1.stat"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

packages=$(sed -n '/^## Packages as input/,$p' "$OUT" 2>/dev/null || true)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mem=$(awk '/MemTotal/ { printf "%d GiB", $2 / 1048576 + 0.5 }' /proc/meminfo)
{
	echo '<!-- SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause -->'
	echo '# Performance'
	echo
	echo "Measured by \`make bench\` (tests/bench.sh) on $(date -u +%Y-%m-%d), $(nproc) CPUs"
	echo "($cpu), $mem, on Debian's \`${vmlinux##*/}\`"
	echo "($(($(wc -c <"$vmlinux") / 1048576)) MB). Commands alternate; $RUNS runs each;"
	echo "wall time in seconds (median, min-max), peak RSS in MB (median)."
	echo "pahole $(pahole --version), $(bpftool version | head -n 1), dwarf2btf $("$D2B" --version | cut -d' ' -f2)."
	echo
	echo '| command | wall median | min-max | peak RSS | vs pahole, same threads |'
	echo '| --- | ---: | ---: | ---: | --- |'
	for c in d2b-j1 pahole-j1 d2b-j2 pahole-j2 bpftool-c d2b-header; do
		[ -f "$T/$c.stat" ] || continue
		case $c in
		d2b-j1) label='`dwarf2btf -j1 vmlinux -o out.btf`'; ref=pahole-j1 ;;
		d2b-j2) label='`dwarf2btf -j2 vmlinux -o out.btf`'; ref=pahole-j2 ;;
		pahole-j1) label='`pahole -J --btf_gen_floats --btf_encode_detached=out.btf vmlinux`'; ref= ;;
		pahole-j2) label='`pahole -j2 -J --btf_gen_floats ...`'; ref= ;;
		bpftool-c) label='`bpftool btf dump file out.btf format c`'; ref= ;;
		d2b-header) label='`dwarf2btf --header out.btf`'; ref=bpftool-c ;;
		esac
		vs=
		if [ -n "$ref" ]; then
			vs="time $(ratio "$(field "$c" 1)" "$(field "$ref" 1)")x, RSS $(ratio "$(field "$c" 4)" "$(field "$ref" 4)")x"
			[ "$ref" != bpftool-c ] || vs="$vs (vs bpftool)"
		fi
		echo "| $label | $(field "$c" 1) | $(field "$c" 2)-$(field "$c" 3) | $(field "$c" 4) | $vs |"
	done
	echo
	if cmp -s "$T/o1.btf" "$T/o2.btf"; then
		echo 'The -j1 and -j2 outputs were byte-identical.'
	else
		echo 'The -j1 and -j2 outputs DIFFERED.'
	fi
	echo
	echo 'To reproduce: `make deps && make bench RUNS=5` (the debug kernel is downloaded'
	echo 'once into ~/.cache/dwarf2btf). Goals (issue 5): -j2 at most 0.25x pahole -j2,'
	echo '-j1 at most 0.3x pahole, peak RSS at most 0.5x.'
	cat <<'EOT'

## Where the time and memory go

`dwarf2btf --stats` prints the time per stage (the 6.1 kernel, `-j1`:
convert 1.1-1.2 s, dedup and encode 0.41-0.48 s; `-j2`: 0.61-0.71 s and
0.28-0.34 s; the load of this shared host moves them by a fifth or more).
Instruction counts (callgrind, `-j1`) are steadier than times here: 11.37 G
in all, 8.14 G in the conversion workers and 3.12 G deduplicating and
encoding (1.45 G of it the deep hash), built with link-time optimization
(the Makefile's `-flto=auto`: 12.01 G -> 11.72 G instructions and `-j2`
1.15 -> 1.06 s when it was turned on). In a quiet spell a `-j2` run takes
0.90-0.97 s from its start to the output written (timestamps): conversion
0.60-0.65 s, then 0.30 s, of which about 0.1 s on one thread.

- Conversion (about two thirds of `-j1`): each unit's DIEs are stepped
  through by a table of its abbreviations (`die_reader.c`), read once per
  unit; libdw, which looked up every DIE's abbreviation under a lock and
  decoded it again for each step and attribute (a third of all samples
  before, 3.1 s -> 2.2 s of conversion), is now a few percent. A struct,
  union or enum definition or a function pointer prototype seen before by
  the same worker is filled from what the first fill made (the memo,
  keyed by the bytes its DIEs say: docs/design.md): 854,000 of the 864,000
  struct and union definitions, 84,000 of the 87,000 enums and 459,700 of
  the 460,000 prototypes. Then, each measured in instructions at `-j1`:
  the walk steps over struct members inside the reader (6.05 million of
  the 10.8 million DIEs it visits; 21.36 G -> 21.01 G in all); the memo
  keys copy the keyed bytes of an abbreviation by a plan made once for it
  (key_die 1.63 G -> 0.87 G); a type reference within the unit is looked
  up by its offset, without libdw making the DIE (dwarf_formref_die took
  0.55 G); 4-byte values are read in one load (0.9 G went to a byte loop);
  an abbreviation's mask of its attributes answers lookups of absent ones
  (find_attr 0.53 G -> 0.37 G); the nodes of the unit's own DIEs are in an
  array by offset instead of a hash map (15.30 G -> 15.08 G); each
  abbreviation's attribute specs are read from .debug_abbrev itself
  (dwarf_getabbrevattr_data() reads every spec before the one asked for:
  14.38 G -> 14.24 G); the set of function symbols keeps each name's hash,
  so that a lookup rarely compares names in the cold symbol table (strcmp
  150-220 -> 70-80 samples at 5 kHz). The reader begins each unit before
  libdw is asked about the unit DIE, which made libdw read the whole
  abbreviation table to find that DIE's entry (dwarf_attr 179 M -> 0.5 M;
  14.15 G -> 14.06 G); and the first worker's string set becomes the
  result's, so that at -j1 no node is renamed (14.06 G -> 13.96 G). The
  memo's keys still cost about 10% of the instructions, the walk about
  20%, the append to the result graph 0.2-0.4 s (it writes the 108 MB of
  nodes and edges). The worker that appends no longer holds the lock
  while it copies (at `-j2` each worker waited 0.03-0.04 s for it; the
  median conversion of 8 alternating runs went from 1.53 s to 1.48 s).
  An appended CU graph goes back to the worker that made it, which empties
  it for its next CU: freed by the appending worker, its arrays went into
  the converter's malloc arena and took that arena's lock from under it
  (perf: sleeps in free, realloc and libdw's tsearch; context switches
  770-1,660 a run at `-j2`, now 130-140; median of 9 alternating runs
  0.98 s -> 0.95 s on a quiet host). Each worker renews its libdw handle
  every 256 units instead of 128, as each renewal faults in the headers of
  all units before (page faults 68,400 -> 62,500 at `-j1`, 76,200 ->
  69,700 at `-j2`; 0.5 MB more at the peak). A new page costs about 2 us
  on these machines (touching 128 MB of new memory: 66 ms, a memset of it
  after: 5.5 ms), so the blocks of refinement take over the 14 MB array
  early resolution is done with (2,800-4,200 faults fewer). The string
  sets (each worker's, the result's, the BTF's) keep each string's hash in
  its slot, so that a probe passes other strings without reading them:
  strncmp 1.48% -> 0.38% of the samples at `-j2`, the string functions
  together 6.6-6.9% -> 5.6%. Before the workers start, the units are listed
  from their headers, a pread() of a few bytes each, instead of by a libdw
  handle of its own that read each unit DIE: 10-40 ms -> about 2 ms on one
  thread (libdw still lists DWARF 4 type units, dwz and compressed files). The
  first operation of each parameter's location, which tells whether the
  compiler moved an argument, is read from the expression or the first
  entry of its location list by the reader (dwarf_getlocations() decoded
  all of it and kept it in a tree per unit: conversion 8.97 G -> 8.77 G
  instructions). The tables that are probed before they are written (the
  string sets, the memo, the name cache, the graph's table of data blocks,
  the deduplication's maps) come from zalloc(), which stores into each of
  their pages: calloc() leaves a fresh mapping unwritten, so the first
  probe of a page mapped the zero page and its first store faulted again,
  copying it, and flushed the other thread's TLB with an interprocessor
  interrupt (at `-j2` 11,550-12,835 TLB flushes and 3,100-3,800 IPIs a run,
  now 1,900-2,300 and 690-930; page faults 67,700 -> 62,300-64,500; wall
  median of 11 alternating runs 1.12 -> 1.04 s, CPU 2.03 -> 1.87 s, `-j1`
  1.82 -> 1.71 s; peak RSS 3 MB more). An entry of the append's table of
  data blocks holds where the block's words are, its kind, vlen and 8 bits
  of its hash, so that a probe reads no node of the growing 69 MB array
  (all appends at `-j1`: 178-197 ms -> 143-150 ms). The memo key's step
  over each member, enumerator or parameter (9.3 million of them) is
  inlined, and its type reference written in place instead of through a
  copy (fill_keyed() 3.13 G -> 2.78 G instructions).
- Deduplication (the other third, mostly serial): 3.4 million graph nodes,
  one per type DIE of every CU, 94,538 types written. Where each declared
  name has one definition (6.1 amd64 and s390x), every declaration is sent
  to its name's first definition before refinement, checked after seeding
  and again if a round splits a block of definitions (docs/design.md):
  refinement leaves 95,784 blocks instead of 1.96 million, and merging takes
  1,226 unification steps instead of 6.2 million. On arm64 struct of_bus has
  definitions of two shapes, so refinement runs as before. Timed at `-j2`
  with temporary timestamps, medians of 7 runs on the quietest host of this
  session: sending 192,703 declarations 0.025 s (both passes over the
  nodes by ranges in parallel: 0.032 s on one thread); deep hash 0.11-0.13
  s (one CU at a time, in parallel; with early resolution each type that
  reaches no cycle, which on the 6.1 kernels is every one, is hashed whole
  by one depth-first search instead of five passes: 1.94 G -> 1.45 G
  instructions, and 150 -> 143 ms at `-j2` on a noisy host, the phase
  waiting on memory more than on the passes; a chain of 20,000 pointers
  now settles at seeding instead of being refused after 256 rounds); seeding 0.037 s (its table sized for the blocks that are
  left; the shape compare inlined, with no memcmp call for nodes without
  data words: 585 M -> 504 M instructions); at `-j2` the first thread seeds
  each chunk of about 65,536 nodes as soon as it is hashed, while the
  other threads hash on (deep hash and seeding 176 -> 150 ms, median of 11
  alternating runs); the check after it 0.008 s (0.013 s on one thread); the
  stability check 0.017-0.02 s and the one round left with the check after
  it 0.015 s (a pointer to each of two struct elf_note_info of one shape;
  the round hash-conses only the blocks the check found unstable, and the
  check after it compares only the nodes in or next to those blocks, which
  it marks: 0.021 -> 0.015 s, 0.039 -> 0.023 s on one thread); merging
  same-named types 0.007 s, declarations and closures 0.02 s; the last
  pass over the nodes 0.010 s (dedup_settle(): in parallel, gathering what
  writing needs; with grouping FUNCs and marking the types written 0.022
  s, against 0.040 s for the four passes on one thread); writing 0.021-
  0.027 s, with the alignments for the header collected meanwhile on
  another thread (0.010 s); validation
  0.011 s (it formatted a member's label before each name check: 0.040 s
  -> 0.029 s for `--validate` of the file). Without early resolution
  (arm64, or split BTF) the merge is what it was: 6.2 million steps, about
  50 ns each, with each unit's nodes, edges and new blocks prefetched as a
  stream.
- Memory: the graph after conversion is 125 MB (nodes 69 MB, edges 39 MB;
  the data words, stored once per distinct content, 0.7 MB instead of 59).
  Conversion stays under 140 MB (libdw's handle is renewed every 256 units,
  catching up on unit headers a few at a time, and the pages before the
  next unit are given back, 2 MB at a time: each madvise() also flushes the
  other workers' TLBs, 4,100-4,500 shootdowns a run at `-j2` before,
  2,300-2,500 after); the peak comes in deduplication, at 169-175 MB
  (190 MB before early resolution shrank the seeding table and the merge's
  arrays). The graph is freed on a thread of its own while the BTF is
  validated and written (the validate stage, which included the free,
  0.05-0.07 s -> 0.03-0.04 s).

What the time goals need, measured against this profile. The ratios move
with the host, pahole's more than ours. One thread at 0.3x holds (0.19-0.25x
in the last runs). Two threads: five runs of `make bench RUNS=7` at the code
of the table gave 0.22x, 0.21x, 0.26x, 0.22x and 0.24x, our median at 1.16,
1.14, 1.14, 0.95 and 1.04 s against pahole's 5.29, 5.55, 4.43, 4.36 and
4.32 s: the goal held in four of five, the miss falling in a busy spell.
Conversion is about two thirds of a `-j2` run (0.55-0.59 s on two threads
against 1.1-1.2 s on one), then the rest takes 0.30 s, of it about 0.1 s on
one thread: the workers' names merged 0.011 s (adding the second worker's
strings 0.006 s, renaming its nodes 0.005 s), the round left 0.006 s,
merging 0.026 s, grouping and marking 0.011 s, writing 0.021 s, validation
0.011 s, output 0.006 s, and before the workers start, reading the input
0.007 s and listing the units 0.002 s; the deep hash with seeding (0.126 s),
early resolution's passes (0.022 s), the check after seeding (0.010 s), the
stability check (0.017 s), the round with its check (0.015 s) and the last
pass over the nodes (0.011 s) run on both. What is
left is mostly the conversion's instructions (8.14 G of 11.37 G) and its
page faults (about 58,000 a run at `-j1`, 2-4 us each on these machines:
the 125 MB graph is new memory), and arm64's fallback, where declarations
of a name with two definitions (struct of_bus) keep the merge at 6.2
million steps: resolving those would take binding each CU's declarations
to one of the definitions, as merging does, before refinement.
Measured for the conversion (-j1, alternating runs, noisy host). Only
walking the units, without converting the types: 0.64-0.82 s, against
2.4-2.6 s for the conversion. Leaving out the members of every struct
that a worker has already converted under the same name, size and
line (inexact, an upper bound of skipping repeated structs alone):
conversion 1.6-1.8 s. The rest of each CU's type DIEs (pointers,
typedefs, prototypes, enums, arrays) and its functions cost as much
again. Skipping repeated structs alone would therefore not reach
0.3x: the repeated DIEs have to be recognised before any of their
types are converted. The memo, which is exact and also covers enums,
brings conversion to 1.9-2.3 s.

Hashing the raw bytes of every top-level type DIE during the walk adds
only 0.1 s (0.69 s instead of 0.58 s). But the first 3.0 million such
DIEs have 2.0 million different byte strings, because references and
abbreviation codes differ between CUs. Recognising repeats needs the
attributes decoded and the references replaced.

Decoded, the DIEs do repeat. Take a fingerprint of each top-level type
DIE from its attributes and children, with each reference replaced by
its target's tag and name, and leave out decl_file, decl_column and
DW_AT_sibling. The 3,325,000 such DIEs then have only 25,098 different
fingerprints. This is a lower bound on the classes, which refinement
over the references splits further: 94,538 types are written.

Computed with the reader's abbreviation tables (die_reader.c), with
references taken by the target's tag and name offset, the fingerprints
number 26,061. They cost about 0.9 s on top of the walk at -j1 (1.3-1.9 s
against 0.5-0.7 s), and no DIE needed libdw.

### Figures behind the code's comments

The comments in the code say why; the measurements behind them, on the
6.1 amd64 kernel unless said otherwise, are here.

- Early resolution (dedup.c, struct early): without it refinement leaves
  1.96 million blocks of 3.4 million nodes, which merging joined pair by
  pair on one thread (0.5 s at `-j2`); with it 95,784. Seeding then leaves
  3% as many blocks as nodes (57% without), so its table is sized for a
  sixteenth of the nodes, where it fits the caches (seeding 0.16 s -> 0.08 s
  at `-j2`); without early resolution it starts half full, as a doubling
  would rehash a million blocks from random places (0.07 s). The blocks
  take over early resolution's 14 MB array, whose pages are in memory
  (3,400 page faults fewer).
- The deep hash's DEEP_PASSES: the 6.1 kernels need one round whatever the
  depth (a pointer to each of two struct elf_note_info of one shape); on
  arm64, without early resolution, 5 passes leave one round where 6 left
  none, and that round (0.02 s) with its stability check (0.05 s) at `-j2`
  costs what three more passes cost (0.05 s). Spreading the FWD marks by
  sweeps alone takes eight to ten sweeps a unit; a search over reversed
  edges cost four passes. Prefetching the targets of the range's edges:
  deep hash and seeding 168 -> 152 ms at `-j2`; seeding each chunk while
  the other threads hash: 176 -> 150 ms; one thread seeding after each of
  its own chunks, instead of hashing all first: 228 -> 251 ms.
- Refinement rounds: the round left splits 4 nodes, so the check after it
  reads a bit per node and edge.
- Merging: after same-named types are merged, 109,000 of the 1.96 million
  blocks are roots (without early resolution); the congruence closure joins
  13,000 of them in its first pass, then 454, then 6. Prefetching each
  unit's nodes, edges and blocks as a stream: merging same-named types
  0.36 s -> 0.30 s at `-j2` (medians of 10). dedup_settle() reads the 69 MB of
  nodes once instead of four times on one thread.
- Conversion (convert.c): a CU graph freed by the appending worker made
  1,600 sleeps a run at `-j2` on the converter's malloc arena; appending
  under the lock made each worker wait 0.03-0.04 s; giving pages back at
  least RELEASE_BATCH (2 MB) at a time: TLB shootdowns 4,100-4,500 ->
  2,300-2,500 a run at `-j2`; libdw's records of the units reach tens of MB
  by the last unit without REOPEN_UNITS, and reading all unit headers at
  once would map 90 MB; listing the units through libdw took 10-40 ms
  before any worker starts, from the unit headers 2 ms; malloc_trim()
  after the workers gives back 3 MB.
- die_reader.c: libdw's spec lookup, which reads all specs before the one
  asked for, cost 1.8% of all instructions over the 1.96 million specs;
  the memo key's step per member, enumerator or parameter runs 9.3 million
  times.
- Unmapping the 125 MB graph takes 0.05 s (main.c's reaper); the result's
  string set is 1.7 MB, each probe that reads a string a cache miss.

Measured and not kept:

- Prefetching in the append: the data hash of the node 8 ahead and its
  slot, and the words of the block in the slot 4 ahead. All appends at
  `-j1`, 11 alternating runs: 169 ms against 161 ms, within the noise.
- The deep hash's shape hashes in a loop of their own before the edges are
  read, to bring a range's nodes into the cache first: deep hash and
  seeding 263 ms either way (`-j1`, median of 7).
- hash_bytes() in two lanes of 8 bytes, so that long keys wait on half as
  many multiplies (the output stays byte-identical: no table's order shows
  in it): no faster, at `-j1` or `-j2`.
- An index of each abbreviation's DW_AT_type for attribute lookups: 35 M
  fewer instructions of 11.37 G.
- Asking libdw for an abbreviation only when a DIE of it is handed to
  libdw, instead of for all of each unit's: 287,076 of the 315,053 are,
  so little of dwarf_getabbrev()'s 235 M instructions would go.
- Early resolution's atoms taken from a per-node array (a definition's name
  slot next to each declaration's target), so that the deep hash reads no
  target node: the deep hash was no faster (0.225 s against 0.22-0.24 s),
  and filling the array cost 0.02 s more before it, or 14 MB more at the
  peak if it was also used for the checks.
- The declarations listed in the first pass of early resolution instead of
  found by a second pass over the nodes: 0.07 s against 0.05 s.
- Early resolution going on where a declared name has definitions of
  several shapes, its declarations left to their CUs: on arm64 struct
  module's definitions then fell apart (some reach struct of_bus's
  declarations) and the check threw the work away, after 37 rounds when it
  only checked at the end (`-j2` 5.8-6.2 s against 2.9-3.4 s). It now
  falls back before the deep hash (arm64: 3.3-3.4 s, within the noise of
  before).
- glibc's malloc tunables (mmap_threshold 32 MB, trim_threshold 256 MB,
  arena_max 1), 6 alternating runs each at `-j2`: within the noise, with up
  to 17,000 more page faults or 45 MB more RSS.
- Hash-consing the seed in parallel, with the nodes split by hash between
  two threads. Each thread took 0.19-0.22 s for its half, against 0.26 s
  for all of them on one thread. The phase waits on random reads of the
  graph, and on this host a second thread does not speed those up.
  Tried again with early resolution's 96,000 blocks (seeding 0.044 s on
  one thread): split by hash, 0.058-0.087 s, as both threads wrote
  out[] and, at first, counters of both parts on one cache line (aligned
  parts: 0.070 s); split by node ranges, each range numbering its blocks
  and a table of all blocks joining them, 0.042 s. Each range meets
  nearly all the blocks, and their first reads miss the caches on either
  thread. Aligning the other passes' parts to cache lines changed nothing.
- The deep hash's shape hashes with a cache of data-word hashes by where
  the words are (again): 14 M fewer instructions of 12.83 G.
- Transparent huge pages for the graph's arrays, measured alone: touching
  128 MB takes 15 ms instead of 66 ms once huge pages are at hand, but
  390-460 ms the first time, while the kernel finds them; malloc's
  hugetlb tunable at `-j2`, 9 alternating runs: 1.39 s against 1.26 s.
  madvise(MADV_POPULATE_WRITE) before writing, 32 KB or 256 KB at a time:
  44-49 ms against 50 ms, the cost being the pages, not the faults.
- Checking the stability of each seeded chunk while later chunks are
  seeded: nearly every chunk has a declaration sent to a name whose first
  definition is in the last CU (node 3,415,097 of 3,431,551), so no check
  could start before all was seeded.
- Seeding with the deep hash and the block number in each slot of its
  table (16 bytes instead of 4), so that a probe reads no node's hash and
  a match no block number: 45.8 ms against 47.4 ms, median of 9
  alternating runs at `-j2`, within the noise.
- Looking names up by their offset in .debug_str, in a direct table
  (14 MB) or in a hash table kept across handle renewals. add_str went
  from 9% to 11% of the samples: the larger table misses the caches more
  often than adding names again costs. The address cache, emptied with
  each renewed handle, stays small.
- A queue with prefetching in place of the unification stack: merging
  same-named types took 0.20 s instead of 0.21 s (median of 5), which is
  within the noise.
- Transparent huge pages for malloc (GLIBC_TUNABLES=glibc.malloc.hugetlb=1):
  no faster, and 7 MB more RSS; madvise(MADV_HUGEPAGE) on the growing
  arrays gave 132,000 page faults instead of 90,000 and no gain.
- Prefetching in the deep hash the targets of the edges of the node 16
  ahead, instead of the range's nodes 32 ahead and early resolution's
  targets 64 ahead (kept: deep hash and seeding 168 -> 152 ms at `-j2`):
  139 ms against 133 ms, 11 alternating runs.
- Prefetching the roots' nodes, edges and data in the gather of each
  closure pass of merging: 16.1 -> 14.8 ms and 11.0 -> 10.7 ms at `-j1`
  (15 alternating runs), mixed at `-j2`: too little to tell.
- A pool of up to 8 CU graphs per worker, instead of one graph kept and
  the others freed. At `-j2` a worker makes 940 fresh graphs a run (2 at
  `-j1`), as its units wait for the other worker's before being appended;
  the pool brought that to 116-222, but the wall and CPU times stayed
  the same (1.15 s against 1.14 s, 15 alternating runs).
- The unit's abbreviations read from .debug_abbrev by the reader alone,
  without dwarf_getabbrev(), and the tags and children flags of its DIEs
  from its table instead of dwarf_tag() and dwarf_haschildren(): 11.67 G
  instructions against 11.39 G (callgrind, `-j1`). The table's lookup
  costs more than libdw's with the abbreviation at hand, and libdw still
  looked up abbreviations for the DIEs handed to it (70 M).
- Giving back the pages of the whole mapped input every 256 units instead
  of renewing the libdw handle, whose catching up with the units before
  costs 56-63 ms a run: `-j1` 1.76 s -> 1.69 s, `-j2` 1.06 s -> 1.04 s
  (9 and 15 alternating runs), 6-7 MB more at the peak (libdw's records of
  the units converted stay); with the name cache kept as well, `-j1` was
  slower (1.81 s) and `-j2` 15 MB larger.
- Early resolution's array of definitions zeroed by the parts, each its
  own nodes, so that its 14 MB of new pages fault in on both threads: the
  pass 14.3 -> 12.7 ms, the one before it 12.7 -> 15.6 ms, within the noise.
- The function symbols' hashes computed before their insertion, each slot
  prefetched 8 ahead: reading the symbols 8.0 -> 7.5 ms.
- In the deep hash: a list of the nodes whose hash still changes (half of
  them settle within six passes), 16% fewer instructions but slower
  passes; the FWD marks spread by a search along reversed edges, as
  costly as four passes (spreading them in the passes costs less than
  one).
- The merge's name table grown to the names it holds instead of sized
  for all candidate blocks: no measurable change.
- A cache of data hashes by data offset in the deep hash (equal data is
  stored once): 0.04 G fewer instructions of 14.38 G, the data words being
  short; the shape hash is mostly the rest of each node.
- Prefetching the parents and representatives of the pairs unify() pushes:
  merging same-named types took the same 0.32-0.42 s.
- Not pushing the pairs unify() finds in one refined block (half of the
  6.2 million): the same time, as those are popular blocks, in the caches.
- Prefetching each seeding candidate's block number along with its node:
  no gain (0.18-0.27 s against 0.19-0.26 s).
- Prefetching the next unit's nodes and edges while the deep hash runs
  its passes over one: slower (0.32-0.41 s against 0.29-0.38 s at -j1).
- Prefetching, while the closure gathers its blocks, the nodes of the
  blocks 16 ahead and the edge targets of those 8 ahead: all closures
  0.06-0.12 s against 0.06-0.14 s at -j2, within the noise.
- The congruence closure over the blocks in reverse order: the joins then
  spread one link a pass, hundreds of passes instead of four.
- Renewing libdw's handle every 512 units or never instead of every 128:
  within the noise (4.19-4.33 s and 4.11-4.35 s against 4.28-4.48 s at
  -j1); never renewing costs 36 MB more RSS at -j2 (233 MB). 256 units,
  now used, takes 6,000 page faults fewer than 128 at 0.5 MB more; 512
  took 180 MB at the peak.
- Transparent huge pages for the whole process (THP "always"): half the
  page faults (41,000 instead of 85,000), no faster; zeroing the memory
  costs what the faults did. The 0.45-0.55 s a run spends in the kernel go
  mostly to page faults, zeroing pages and unmapping them (perf).
EOT
	# written by tests/bench-packages.sh, which measures other commands
	[ -z "$packages" ] || printf '\n%s\n' "$packages"
} >"$OUT"
cat "$OUT"
