#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# CO-RE BPF programs in the style of real tracing tools (tests/bpf/*.bpf.c:
# execsnoop, opensnoop, tcpconnect, biolatency, runqlat) built against our
# vmlinux.h of the Debian kernel, then resolved against our BTF and against
# the kernel build's own .BTF:
#   core.NAME.compile       clang -g -O2 -target bpf -Wall -Werror with our
#                           vmlinux.h (from the kernel's DWARF) and libbpf's
#                           bpf_helpers.h, bpf_core_read.h, bpf_tracing.h
#   core.NAME.relocs        `bpftool gen min_core_btf` keeps the same types,
#                           fields and offsets from our BTF as from the
#                           kernel's (dwarf2btf --diff: no differences)
#   core.NAME.local_layout  every field those relocations use sits in the
#                           program's own BTF (what our header declared) at
#                           the kernel's offset: CO-RE has nothing to fix
# D2B_SKIP_REAL_KERNEL=1 skips all of it.
set -u
. "$(dirname "$0")/../lib.sh"

T=$D2B_TMP
need_d2b core || finish
if [ "${D2B_SKIP_REAL_KERNEL:-0}" = 1 ]; then
	skip core "D2B_SKIP_REAL_KERNEL=1"
	finish
fi
if ! has clang || ! printf 'int x;\n' | clang -target bpf -x c -c -o /dev/null - 2>/dev/null; then
	skip core "no clang with the BPF target"
	finish
fi
if ! has bpftool; then
	skip core "bpftool not installed"
	finish
fi
if [ ! -f /usr/include/bpf/bpf_helpers.h ]; then
	skip core "libbpf headers not installed (libbpf-dev)"
	finish
fi
if ! vmlinux=$(sh "$D2B_SRC/tests/fetch-kernel.sh" 2>"$T/fetch.log"); then
	skip core "no Debian debug kernel: $(tail -n 1 "$T/fetch.log")"
	finish
fi
if ! objcopy -O binary --only-section=.BTF "$vmlinux" "$T/ref.btf" 2>/dev/null ||
	[ ! -s "$T/ref.btf" ]; then
	skip core "no .BTF in $vmlinux to compare with"
	finish
fi
mkdir -p "$T/inc"
if ! "$D2B" --header "$vmlinux" -o "$T/inc/vmlinux.h" 2>"$T/hdr.err"; then
	fail core.header "dwarf2btf --header: $(head -n 1 "$T/hdr.err")"
	finish
fi
if ! "$D2B" "$vmlinux" -o "$T/ours.btf" 2>"$T/conv.err"; then
	fail core.convert "dwarf2btf: $(head -n 1 "$T/conv.err")"
	finish
fi

# "STRUCT.member bits_offset" for each member of a named struct or union
# in a `bpftool btf dump` listing
fields() {
	awk '
	/^\[[0-9]+\] (STRUCT|UNION) / {
		s = $3
		gsub(/\x27/, "", s)
		if (s == "(anon)")
			s = ""
		next
	}
	/^\[/ { s = ""; next }
	s != "" && /^\t\x27/ {
		m = $1
		gsub(/\x27/, "", m)
		if (m == "(anon)")
			next
		for (i = 2; i <= NF; i++)
			if ($i ~ /^bits_offset=/)
				print s "." m " " substr($i, 13)
	}' "$1" | sort -u
}

for src in "$D2B_SRC"/tests/bpf/*.bpf.c; do
	name=$(basename "$src" .bpf.c)
	t=core.$name
	obj=$T/$name.bpf.o
	if ! clang -g -O2 -target bpf -D__TARGET_ARCH_x86 -Wall -Werror -I"$T/inc" \
		-c -o "$obj" "$src" >"$T/$name.cc.log" 2>&1; then
		fail "$t.compile" "clang rejects it with our vmlinux.h"
		detail "$T/$name.cc.log" 15
		continue
	fi
	pass "$t.compile"

	if ! bpftool gen min_core_btf "$T/ours.btf" "$T/$name.ours.btf" "$obj" >"$T/$name.min.log" 2>&1 ||
		! bpftool gen min_core_btf "$T/ref.btf" "$T/$name.ref.btf" "$obj" >>"$T/$name.min.log" 2>&1; then
		fail "$t.relocs" "bpftool gen min_core_btf failed"
		detail "$T/$name.min.log" 10
		continue
	fi
	"$D2B" --diff "$T/$name.ref.btf" "$T/$name.ours.btf" >"$T/$name.diff" 2>&1
	rc=$?
	nt=$(awk '/^kind / { for (i = 3; i <= NF; i++) if ($i ~ /^a=/) n += substr($i, 3) } END { print n + 0 }' "$T/$name.diff")
	if [ "$rc" -eq 0 ] && [ "$nt" -gt 0 ]; then
		pass "$t.relocs"
	else
		fail "$t.relocs" "the minimized BTFs differ (--diff exit $rc, $nt types; < kernel's, > ours)"
		grep '^[<>]' "$T/$name.diff" | detail - 20
	fi

	bpftool btf dump file "$T/$name.ref.btf" >"$T/$name.ref.dump" 2>/dev/null
	bpftool btf dump file "$obj" >"$T/$name.obj.dump" 2>/dev/null
	fields "$T/$name.ref.dump" >"$T/$name.want"
	fields "$T/$name.obj.dump" >"$T/$name.have"
	# the kernel's fields whose name the program's BTF has at another offset
	awk 'FILENAME == ARGV[1] { have[$1] = $2; next }
	     ($1 in have) && have[$1] != $2 { print $1 ": kernel " $2 ", ours " have[$1] }
	     !($1 in have) { missing++ }
	     END { if (missing) print "# " missing " fields not in the program BTF" > "/dev/stderr" }' \
		"$T/$name.have" "$T/$name.want" >"$T/$name.layout" 2>"$T/$name.missing"
	nf=$(wc -l <"$T/$name.want")
	if [ -s "$T/$name.layout" ]; then
		fail "$t.local_layout" "$(wc -l <"$T/$name.layout") of $nf fields at other offsets"
		detail "$T/$name.layout" 20
	elif [ "$nf" -eq 0 ]; then
		fail "$t.local_layout" "no fields found in the minimized BTF"
	else
		pass "$t.local_layout"
		note "$t: all $nf fields of named types that relocations use are at the kernel's offsets $(cat "$T/$name.missing")"
	fi
done

finish
