#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Benchmark (not a test): from Debian's -dbg .deb to BTF, three routes in
# one run, commands alternating, N runs each (default 3):
#   dwarf2btf PKG.deb -o out.btf                   the package read directly
#   dpkg-deb -x PKG.deb dir && dwarf2btf dir/.../vmlinux-ABI -o out.btf
#   dpkg-deb -x PKG.deb dir && pahole -J --btf_encode_detached=out.btf ...
#                                                  (BTFHub's route)
# Wall time and peak RSS (the largest process: /usr/bin/time of sh -c) as
# medians; prints the "Packages as input" section of docs/performance.md
# (tests/bench.sh keeps that section when it rewrites the file).
#
#   sh tests/bench-packages.sh BUILD_DIR [RUNS]
set -eu

BUILD=${1:-build}
RUNS=${2:-3}
SRC=$(cd "$(dirname "$0")/.." && pwd)
D2B=$(cd "$BUILD" && pwd)/dwarf2btf
CACHE=${D2B_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dwarf2btf}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

[ -x "$D2B" ] || { echo "bench: no $D2B (run make first)" >&2; exit 1; }
. "$SRC/tests/bench-lib.sh"
vmlinux=$(sh "$SRC/tests/fetch-kernel.sh")
abi=${vmlinux##*/vmlinux-}
deb=$(ls "$CACHE/downloads/linux-image-$abi-dbg_"*.deb | sort -V | tail -n 1)
inner=usr/lib/debug/boot/vmlinux-$abi
"$D2B" "$vmlinux" -o "$T/ref.btf"

cat >"$T/commands" <<EOF
deb-direct|"$D2B" "$deb" -o "$T/a.btf"
deb-extract-d2b|dpkg-deb -x "$deb" "$T/x" && "$D2B" "$T/x/$inner" -o "$T/b.btf"; rc=\$?; rm -rf "$T/x"; exit \$rc
deb-extract-pahole|dpkg-deb -x "$deb" "$T/x" && pahole -J --btf_gen_floats --btf_encode_detached="$T/c.btf" "$T/x/$inner"; rc=\$?; rm -rf "$T/x"; exit \$rc
EOF

load0=$(cut -d' ' -f1-3 /proc/loadavg)
i=1
while [ "$i" -le "$RUNS" ]; do
	bench_round "$T"
	cmp "$T/a.btf" "$T/ref.btf" && cmp "$T/b.btf" "$T/ref.btf" ||
		{ echo "bench: the BTF from the package differs from the file's" >&2; exit 1; }
	echo "bench: run $i of $RUNS done" >&2
	i=$((i + 1))
done
load1=$(cut -d' ' -f1-3 /proc/loadavg)

# the memory file is shared memory, counted in RSS only where mapped: sample
# the process's own (anonymous) memory of one more direct run, every 0.1 s
"$D2B" -q "$deb" -o "$T/a.btf" &
pid=$!
anon=0
while kill -0 "$pid" 2>/dev/null; do
	a=$(awk '/^RssAnon/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
	[ -z "$a" ] || [ "$a" -le "$anon" ] || anon=$a
	sleep 0.1
done
wait "$pid"
anon_mb=$((anon / 1024))

# stat NAME: "median | min-max | cpu_median | rss_median_MB"
stat() {
	rss=$(sort -n -k2 "$T/$1.times" | awk '{ r[NR] = $2 } END { print r[int((NR + 1) / 2)] }')
	cpu=$(awk '{ print $3 + $4 }' "$T/$1.times" | sort -n |
		awk '{ c[NR] = $1 } END { print c[int((NR + 1) / 2)] }')
	sort -n "$T/$1.times" | awk -v rss="$rss" -v cpu="$cpu" '{ w[NR] = $1 }
		END { printf "%.2f | %.2f-%.2f | %.2f | %d", w[int((NR + 1) / 2)], w[1], w[NR], cpu, rss / 1024 }'
}
vm_mb=$(($(wc -c <"$vmlinux") / 1000000))
deb_mb=$(($(wc -c <"$deb") / 1000000))
cat <<EOF
## Packages as input

\`sh tests/bench-packages.sh build $RUNS\` on $(date -u +%Y-%m-%d), $(nproc) CPUs, load
average $load0 before and $load1 after (other jobs were running on the
host). From Debian's \`${deb##*/}\` ($deb_mb MB; its vmlinux is $vm_mb MB, the
package 1.8 GB unpacked) to BTF; $RUNS runs each, alternating, wall time in
seconds (median, min-max), CPU time (user + system of all its processes,
median; the load moves it far less than the wall time), peak RSS of the
largest process in MB (median).

| route | wall median | min-max | CPU | peak RSS |
| --- | ---: | ---: | ---: | ---: |
| \`dwarf2btf PKG.deb -o out.btf\` | $(stat deb-direct) |
| \`dpkg-deb -x PKG.deb dir\` + \`dwarf2btf dir/$inner -o out.btf\` | $(stat deb-extract-d2b) |
| \`dpkg-deb -x PKG.deb dir\` + \`pahole -J --btf_gen_floats --btf_encode_detached=out.btf dir/...\` (BTFHub) | $(stat deb-extract-pahole) |

The BTF of the first two routes was byte-identical to converting the cached
vmlinux. Reading the package directly writes nothing to disk (the other two
routes write the 1.8 GB the package holds) but holds the vmlinux in memory:
a memory file of $vm_mb MB, of which peak RSS counts only the pages the
conversion maps. The memory in use peaks at about $((anon_mb + vm_mb)) MB: $anon_mb MB of the
process's own (anonymous, sampled every 0.1 s) plus the memory file. Reading
stops after the vmlinux, which comes early in Debian's data.tar (its md5sums
list shows that no other kernel follows).
EOF
