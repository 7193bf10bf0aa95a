#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# --format elf and the OUTPUT.build-id file: the ELF wrapper is read by
# readelf, bpftool and libbpf, carries the same BTF as the raw output, and
# has the input's class, byte order, machine and build-id.
set -u
. "$(dirname "$0")/../lib.sh"

need_d2b elf-format || finish

T=$D2B_TMP
FIX=$D2B_SRC/tests/fixtures

if ! has gcc; then
	skip elf-format "no gcc"
	finish
fi

run() {
	"$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
}

# dump_section FILE NAME OUT: the bytes of section NAME (readelf + dd, so
# that it works for any machine, unlike the host's objcopy)
dump_section() {
	_l=$(readelf -S -W "$1" 2>/dev/null | sed 's/^ *\[ *[0-9]*\]//' | awk -v n="$2" '$1 == n { print $4, $5 }')
	[ -n "$_l" ] || return 1
	_off=$(printf '%d' "0x${_l% *}")
	_size=$(printf '%d' "0x${_l#* }")
	dd if="$1" of="$3" bs=1 skip="$_off" count="$_size" 2>/dev/null
}

if ! gcc -g -O1 -Wl,--build-id=sha1 -o "$T/structs" "$FIX/structs.c" 2>"$T/cc.err"; then
	fail compile "gcc failed: $(head -n 1 "$T/cc.err")"
	finish
fi
want_id=$(readelf -n "$T/structs" | sed -n 's/.*Build ID: *\([0-9a-f]*\).*/\1/p' | head -n 1)

run "$D2B" "$T/structs" -o "$T/s.btf"
run "$D2B" --format elf "$T/structs" -o "$T/s.elf"
if [ "$rc" -ne 0 ]; then
	fail convert-elf "--format elf exited $rc: $(head -n 1 "$T/err")"
	finish
fi
pass convert-elf

# build-id files next to both outputs
if [ -n "$want_id" ] && [ "$(cat "$T/s.btf.build-id" 2>/dev/null)" = "$want_id" ] &&
	[ "$(cat "$T/s.elf.build-id" 2>/dev/null)" = "$want_id" ] &&
	[ "$(wc -l <"$T/s.btf.build-id")" -eq 1 ]; then
	pass build-id-file
else
	fail build-id-file "want one line '$want_id', got '$(cat "$T/s.btf.build-id" 2>/dev/null)'"
fi

# no build-id file for stdout
mkdir "$T/stdout"
(cd "$T/stdout" && "$D2B" "$T/structs" -o - >"$T/stdout.btf" 2>"$T/err")
if cmp -s "$T/stdout.btf" "$T/s.btf" && [ -z "$(ls -A "$T/stdout")" ]; then
	pass build-id-not-for-stdout
else
	fail build-id-not-for-stdout "-o - output differs or files were created: $(ls -A "$T/stdout")"
fi

# an input without a build-id removes a stale OUTPUT.build-id
gcc -g -c -o "$T/noid.o" "$FIX/structs.c"
echo stale >"$T/n.btf.build-id"
run "$D2B" "$T/noid.o" -o "$T/n.btf"
if [ "$rc" -eq 0 ] && [ ! -e "$T/n.btf.build-id" ]; then
	pass build-id-stale-removed
else
	fail build-id-stale-removed "exit $rc; n.btf.build-id: $(cat "$T/n.btf.build-id" 2>/dev/null)"
fi

run "$D2B" --format xml "$T/structs" -o "$T/x"
if [ "$rc" -eq 2 ] && grep -q "unknown output format 'xml'" "$T/err"; then
	pass format-unknown
else
	fail format-unknown "--format xml: exit $rc, want 2: $(head -n 1 "$T/err")"
fi

# readelf: sections and note
if readelf -S -W "$T/s.elf" >"$T/sections" 2>&1 &&
	grep -q ' \.BTF  *PROGBITS' "$T/sections" &&
	grep -q ' \.note\.gnu\.build-id  *NOTE' "$T/sections" &&
	! grep -qi 'warning\|error' "$T/sections"; then
	pass readelf-sections
else
	fail readelf-sections "readelf -S does not show .BTF and the note cleanly"
	detail "$T/sections" 20
fi
got_id=$(readelf -n "$T/s.elf" | sed -n 's/.*Build ID: *\([0-9a-f]*\).*/\1/p')
if [ "$got_id" = "$want_id" ]; then
	pass readelf-note
else
	fail readelf-note "build-id note '$got_id', want '$want_id'"
fi

# the .BTF section is the raw output, byte for byte
if dump_section "$T/s.elf" .BTF "$T/section.btf" 2>"$T/err" &&
	cmp -s "$T/section.btf" "$T/s.btf"; then
	pass elf-section-is-raw
else
	fail elf-section-is-raw ".BTF section differs from the raw output"
fi

consumers_check elf "$T/s.elf"

# other classes and byte orders (clang cross-compiles objects for them)
if ! has clang; then
	skip elf-cross "no clang"
	finish
fi
for t in s390x-linux-gnu:ELF64:big i386-linux-gnu:ELF32:little aarch64-linux-gnu:ELF64:little; do
	triple=${t%%:*}
	rest=${t#*:}
	class=${rest%%:*}
	order=${rest#*:}
	name=elf-cross.${triple%%-*}
	if ! clang --target="$triple" -g -c -o "$T/x.o" "$FIX/structs.c" 2>"$T/cc.err"; then
		skip "$name" "clang cannot compile for $triple"
		continue
	fi
	want_machine=$(readelf -h "$T/x.o" | sed -n 's/ *Machine: *//p')
	if ! "$D2B" --format elf "$T/x.o" -o "$T/x.elf" 2>"$T/err" ||
		! "$D2B" "$T/x.o" -o "$T/x.btf" 2>>"$T/err"; then
		fail "$name" "conversion failed: $(head -n 1 "$T/err")"
		continue
	fi
	readelf -h "$T/x.elf" >"$T/hdr" 2>&1
	if ! grep -q "Class: *$class" "$T/hdr" || ! grep -q "Data: .*$order endian" "$T/hdr" ||
		[ "$(sed -n 's/ *Machine: *//p' "$T/hdr")" != "$want_machine" ]; then
		fail "$name" "header is not $class $order $want_machine"
		detail "$T/hdr" 20
	elif ! dump_section "$T/x.elf" .BTF "$T/xs.btf" 2>/dev/null ||
		! cmp -s "$T/xs.btf" "$T/x.btf"; then
		fail "$name" ".BTF section differs from the raw output"
	elif has bpftool && ! bpftool btf dump file "$T/x.elf" >/dev/null 2>"$T/err"; then
		fail "$name" "bpftool rejects it: $(head -n 1 "$T/err")"
	else
		pass "$name"
	fi
done

finish
