#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Check that a BTF file was made for the kernel it is about to be built
# into: compare the GNU build-id that dwarf2btf recorded next to it
# (BTF.build-id, one line of hex) with the target kernel's.
#
#   check-build-id.sh ID_FILE KDIR            the target kernel is KDIR's:
#       KDIR is the running kernel's build tree: its /sys/kernel/notes
#       else KDIR/vmlinux exists:                 its build-id note
#       else: refuse (nothing to compare with)
#   check-build-id.sh --notes FILE ID_FILE    compare with a raw notes file
#                                             (the format of /sys/kernel/notes)
#   check-build-id.sh --vmlinux FILE ID_FILE  compare with an ELF file's note
#
# Exit status: 0 same build-id, 1 different or unknown, 2 usage error.
# Environment (for tests): D2B_KERNEL_NOTES (default /sys/kernel/notes),
# D2B_KERNEL_RELEASE (default: uname -r), D2B_MODULES_DIR (default
# /lib/modules).
set -u

prog=check-build-id

usage() {
	echo "usage: $prog ID_FILE KDIR | --notes FILE ID_FILE | --vmlinux FILE ID_FILE" >&2
	exit 2
}

# error FILE MESSAGE...
error() {
	_f=$1
	shift
	echo "dwarf2btf: $_f: $*" >&2
	exit 1
}

# Print the GNU build-id (lowercase hex) found in a raw sequence of ELF
# notes: namesz, descsz, type (4 bytes each), then name and descriptor,
# each padded to 4 bytes. The byte order is the kernel's; it is taken from
# the first note, whose namesz is small in the right order.
notes_build_id() {
	od -An -v -t x1 "$1" | awk '
	{ for (i = 1; i <= NF; i++) b[n++] = $i }
	function hex(s,    v, k, c) {
		v = 0
		for (k = 1; k <= length(s); k++) {
			c = index("0123456789abcdef", substr(s, k, 1)) - 1
			v = v * 16 + c
		}
		return v
	}
	function u32(p) {
		if (be)
			return ((hex(b[p]) * 256 + hex(b[p + 1])) * 256 + hex(b[p + 2])) * 256 + hex(b[p + 3])
		return ((hex(b[p + 3]) * 256 + hex(b[p + 2])) * 256 + hex(b[p + 1])) * 256 + hex(b[p])
	}
	END {
		if (n < 12)
			exit 1
		be = 0
		if (u32(0) > 65535) {
			be = 1
			if (u32(0) > 65535)
				exit 1
		}
		p = 0
		while (p + 12 <= n) {
			namesz = u32(p); descsz = u32(p + 4); type = u32(p + 8)
			p += 12
			name = ""
			for (k = 0; k < namesz && p + k < n; k++)
				name = name b[p + k]
			p += int((namesz + 3) / 4) * 4
			if (p + descsz > n)
				exit 1
			if (type == 3 && name == "474e5500") {
				id = ""
				for (k = 0; k < descsz; k++)
					id = id b[p + k]
				print id
				exit 0
			}
			p += int((descsz + 3) / 4) * 4
		}
		exit 1
	}'
}

elf_build_id() {
	LC_ALL=C readelf -n "$1" 2>/dev/null |
		sed -n 's/^ *Build ID: *\([0-9a-fA-F]*\).*/\1/p' | head -n 1 | tr 'A-F' 'a-f'
}

mode=kdir
src=
case ${1:-} in
--notes | --vmlinux)
	[ $# -eq 3 ] || usage
	mode=${1#--}
	src=$2
	idfile=$3
	;;
-*)
	usage
	;;
*)
	[ $# -eq 2 ] || usage
	idfile=$1
	kdir=$2
	;;
esac

[ -r "$idfile" ] || error "$idfile" "no build-id file (dwarf2btf writes OUTPUT.build-id when the debug vmlinux has a build-id); set BUILD_ID_CHECK=0 to build without the check"
want=$(tr -d ' \n' <"$idfile" | tr 'A-F' 'a-f')
case $want in
'' | *[!0-9a-f]*)
	error "$idfile" "not a build-id (one line of hex expected)"
	;;
esac

if [ "$mode" = kdir ]; then
	[ -d "$kdir" ] || error "$kdir" "no such kernel build directory"
	notes=${D2B_KERNEL_NOTES:-/sys/kernel/notes}
	release=${D2B_KERNEL_RELEASE:-$(uname -r)}
	running=$(cd -P "${D2B_MODULES_DIR:-/lib/modules}/$release/build" 2>/dev/null && pwd)
	target=$(cd -P "$kdir" && pwd)
	if [ -n "$running" ] && [ "$running" = "$target" ] && [ -r "$notes" ]; then
		mode=notes
		src=$notes
	elif [ -f "$kdir/vmlinux" ]; then
		mode=vmlinux
		src=$kdir/vmlinux
	else
		error "$kdir" "cannot tell the kernel's build-id: not the running kernel's build tree and no vmlinux in it; set BUILD_ID_CHECK=0 to build without the check"
	fi
fi

if [ "$mode" = notes ]; then
	have=$(notes_build_id "$src") || have=
else
	have=$(elf_build_id "$src")
fi
[ -n "$have" ] || error "$src" "no GNU build-id note found"

if [ "$have" != "$want" ]; then
	error "$idfile" "build-id $want does not match the kernel's $have (from $src): this BTF was made from another kernel build; set BUILD_ID_CHECK=0 to build anyway"
fi
echo "$prog: build-id $have matches ($src)"
exit 0
