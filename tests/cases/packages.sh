#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Packages as input (dwarf2btf/package.c): each conversion must give the
# same bytes, BTF and .build-id file, as converting the unpacked vmlinux.
#   pkg.deb, pkg.deb-md5sums, pkg.ddeb   dpkg-deb with xz, with Debian's
#                       md5sums list, with zstd (Ubuntu's .ddeb)
#   pkg.rpm-xz, pkg.rpm-zstd   rpmbuild, both payload compressions
#   pkg.tar, pkg.cpio, pkg.zst, pkg.stdin-*   a tar, a cpio archive, a
#                       zstd-compressed vmlinux, and standard input: a .deb,
#                       a plain ELF, an xz stream
#   pkg.suse-name       SUSE's vmlinux-REL.debug, in a tar.xz
#   pkg.several, pkg.several-md5sums, pkg.kernel, pkg.kernel-absent,
#   pkg.kernel-plain    a package with two kernels: the error lists them,
#                       --kernel picks one; --kernel on a plain file
#   pkg.debian-deb      Debian's own -dbg .deb (tests/fetch-kernel.sh)
#   pkg.debian-rpm, pkg.debian-rpm-stdin   its vmlinux repacked by rpmbuild
#                       (zstd), built once into $D2B_CACHE/packages/<abi>/
# D2B_SKIP_REAL_KERNEL=1 skips the Debian kernel's rows.
set -u
. "$(dirname "$0")/../lib.sh"
. "$D2B_SRC/tests/packages.sh"

need_d2b pkg || finish
T=$D2B_TMP
for tool in dpkg-deb rpmbuild zstd xz gcc; do
	if ! has $tool; then
		fail pkg "$tool not installed (sh tests/install-deps.sh)"
		finish
	fi
done

# err NAME WANT CMD...: CMD fails with exactly WANT on stderr and writes nothing
err() {
	_en=$1
	_ew=$2
	shift 2
	rm -f "$T/out.btf" "$T/out.btf.build-id"
	"$@" >"$T/err.out" 2>"$T/err.err"
	_erc=$?
	if [ $_erc -ne 1 ]; then
		fail "$_en" "exit $_erc, want 1"
	elif [ "$(cat "$T/err.err")" != "$_ew" ]; then
		fail "$_en" "stderr '$(cat "$T/err.err")', want '$_ew'"
	elif [ -e "$T/out.btf" ] || [ -e "$T/out.btf.build-id" ]; then
		fail "$_en" "an output was written"
	else
		pass "$_en"
	fi
}

# --- small packages of a fixture program ---
boot=usr/lib/debug/boot
mods=usr/lib/debug/lib/modules
mkdir -p "$T/deb/$boot" "$T/rpm/$mods/9.9.9-rpm"
if ! pkg_vmlinux "$T/deb/$boot/vmlinux-9.9.9-deb"; then
	fail pkg "cannot build the fixture"
	finish
fi
small=$T/deb/$boot/vmlinux-9.9.9-deb
cp "$small" "$T/rpm/$mods/9.9.9-rpm/vmlinux"
"$D2B" "$small" -o "$T/ref.btf" || fail pkg.ref "cannot convert the fixture"

cd "$T" || finish
pkg_deb deb t.deb xz && pkg_same pkg.deb ref.btf "$D2B" t.deb -o out.btf
pkg_deb deb t-md5.deb xz md5sums && pkg_same pkg.deb-md5sums ref.btf "$D2B" t-md5.deb -o out.btf
pkg_deb deb t.ddeb zstd && pkg_same pkg.ddeb ref.btf "$D2B" t.ddeb -o out.btf
pkg_rpm rpm t-xz.rpm xz && pkg_same pkg.rpm-xz ref.btf "$D2B" t-xz.rpm -o out.btf
pkg_rpm rpm t-zstd.rpm zstd && pkg_same pkg.rpm-zstd ref.btf "$D2B" t-zstd.rpm -o out.btf
tar -C deb -cf t.tar . && pkg_same pkg.tar ref.btf "$D2B" t.tar -o out.btf
zstd -q -c "$small" >v.zst && pkg_same pkg.zst ref.btf "$D2B" v.zst -o out.btf
if has bsdtar; then
	bsdtar --format newc -cf t.cpio -C deb . && pkg_same pkg.cpio ref.btf "$D2B" t.cpio -o out.btf
else
	skip pkg.cpio "bsdtar not installed (libarchive-tools)"
fi
# SUSE's name, vmlinux-REL.debug, in an xz-compressed tar
mkdir -p "suse/$boot"
cp "$small" "suse/$boot/vmlinux-9.9.9-default.debug"
tar -C suse -cJf suse.tar.xz . &&
	pkg_same pkg.suse-name ref.btf "$D2B" --kernel 9.9.9-default suse.tar.xz -o out.btf
pkg_same pkg.stdin-deb ref.btf sh -c "exec \"\$0\" - -o out.btf <t.deb" "$D2B"
pkg_same pkg.stdin-elf ref.btf sh -c "exec \"\$0\" - -o out.btf <\"\$1\"" "$D2B" "$small"
pkg_same pkg.stdin-xz ref.btf sh -c "xz -c \"\$1\" | \"\$0\" - -o out.btf" "$D2B" "$small"

# two kernels: another fixture program as the second
mkdir -p "$T/two/$boot" "$T/two/$mods/9.9.9-b"
cp "$small" "$T/two/$boot/vmlinux-9.9.9-a"
gcc -g -O1 -Wl,--build-id -o "$T/two/$mods/9.9.9-b/vmlinux" "$D2B_SRC/tests/fixtures/funcs.c"
"$D2B" "$T/two/$mods/9.9.9-b/vmlinux" -o ref-b.btf
tar -C two -cf two.tar .
err pkg.several "dwarf2btf: two.tar: the package holds the debug vmlinux of 2 kernels: 9.9.9-a, 9.9.9-b (pick one with --kernel)" \
	"$D2B" two.tar -o out.btf
pkg_deb two two.deb xz md5sums &&
	err pkg.several-md5sums "dwarf2btf: two.deb: the package holds the debug vmlinux of 2 kernels: 9.9.9-a, 9.9.9-b (pick one with --kernel)" \
		"$D2B" two.deb -o out.btf
pkg_same pkg.kernel ref-b.btf "$D2B" --kernel 9.9.9-b two.tar -o out.btf
err pkg.kernel-absent "dwarf2btf: two.tar: no debug vmlinux of kernel 9.9.9-c in the package (it holds: 9.9.9-a, 9.9.9-b)" \
	"$D2B" --kernel 9.9.9-c two.tar -o out.btf
err pkg.kernel-plain "dwarf2btf: $small: --kernel 9.9.9-a picks a kernel in a package, and this is none" \
	"$D2B" --kernel 9.9.9-a "$small" -o out.btf

# --- Debian's kernel ---
pkg_debian pkg.debian || finish
"$D2B" "$vmlinux" -o kref.btf || fail pkg.debian "cannot convert $vmlinux"
# timed NAME CMD...: as pkg_same, with wall time and peak RSS noted
timed() {
	_tn=$1
	shift
	pkg_same "$_tn" kref.btf /usr/bin/time -f "%e s, %M KB" -o "$T/time" "$@"
	note "$_tn: $(cat "$T/time" 2>/dev/null)"
}
timed pkg.debian-deb "$D2B" "$deb" -o out.btf

# the repacked rpm, built once per kernel
rpmdir=$D2B_CACHE/packages/$abi
rpm=$rpmdir/kernel-debuginfo-$abi.rpm
if [ ! -s "$rpm" ]; then
	say() { note "$*"; }
	die() { fail pkg.debian-rpm "$*"; finish; }
	. "$D2B_SRC/tests/cache-lock.sh"
	mkdir -p "$rpmdir"
	cache_lock "$rpmdir/.lock" 1800 "rpm build"
	if [ ! -s "$rpm" ]; then
		note "repacking $abi's vmlinux with rpmbuild into $rpm"
		mkdir -p "$T/krpm/$mods/$abi"
		ln "$vmlinux" "$T/krpm/$mods/$abi/vmlinux" 2>/dev/null ||
			cp "$vmlinux" "$T/krpm/$mods/$abi/vmlinux"
		pkg_rpm "$T/krpm" "$rpm.tmp" zstd && mv "$rpm.tmp" "$rpm"
		rm -rf "$T/krpm" "$rpm.tmp"
	fi
	rm -rf "$rpmdir/.lock"
fi
if [ -s "$rpm" ]; then
	timed pkg.debian-rpm "$D2B" "$rpm" -o out.btf
	pkg_same pkg.debian-rpm-stdin kref.btf sh -c "exec \"\$0\" - -o out.btf <\"\$1\"" "$D2B" "$rpm"
else
	fail pkg.debian-rpm "rpmbuild did not make $rpm"
fi
finish
