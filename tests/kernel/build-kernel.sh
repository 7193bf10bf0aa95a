#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Build an x86_64 test kernel from Debian's linux-source-SERIES with the
# options of tests/kernel/config added to tinyconfig, and print the path of
# its build directory (O=) on stdout; progress goes to stderr. Builds are
# cached: a second run with the same source version, fragment and compiler
# prints the cached directory at once.
#
#   sh tests/kernel/build-kernel.sh [SERIES] [btf|debug]
#
# SERIES is 6.1 (default) or 6.12. VARIANT "btf" builds the same kernel with
# CONFIG_DEBUG_INFO_BTF=y (pahole makes its .BTF): the reference kernel. It is
# a build of its own: that option changes <linux/module.h>, so almost every
# file is compiled again anyway. "debug" adds tests/kernel/config-debug
# (KASAN, lockdep, kmemleak, debug objects and friends) for the module's
# stress test.
#
# The build directory has arch/x86/boot/bzImage, vmlinux (with DWARF 5),
# certs/signing_key.{pem,x509} (the key CONFIG_MODULE_SIG made), and is
# ready for out-of-tree modules:  make -C DIR M=/path/to/module
#
# Environment:
#   D2B_CACHE   cache directory (default ${XDG_CACHE_HOME:-$HOME/.cache}/dwarf2btf)
#   D2B_JOBS    make -j (default: online CPUs)
#   D2B_NO_BUILD=1  only look: exit 3 when the kernel is not in the cache
#
# Layout:
#   $CACHE/linux-src/<pkgver>/linux-source-SERIES   unpacked source (also
#                                                   gives scripts/checkpatch.pl)
#   $CACHE/test-kernel/<pkgver>-<hash>/             O= build directory,
#                                                   complete when .d2b-complete exists
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${D2B_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dwarf2btf}
SERIES=${1:-6.1}
VARIANT=${2:-nobtf}
PKG=linux-source-$SERIES
TARBALL=/usr/src/$PKG.tar.xz
JOBS=${D2B_JOBS:-$(nproc 2>/dev/null || echo 2)}

say() { echo "build-kernel: $*" >&2; }
die() { say "$*"; exit 1; }
. "$HERE/../cache-lock.sh"

case $SERIES in
6.1 | 6.12) ;;
*) die "unknown series '$SERIES' (6.1 or 6.12)" ;;
esac
case $VARIANT in
nobtf | btf | debug) ;;
*) die "unknown variant '$VARIANT' (btf, debug, or nothing)" ;;
esac

if [ "$(id -u)" -eq 0 ]; then
	SUDO=
else
	SUDO=sudo
fi

pkgver() { dpkg-query -W -f='${Version}' "$PKG" 2>/dev/null || true; }

# --- the source tarball ---
if [ ! -f "$TARBALL" ] && [ "${D2B_NO_BUILD:-0}" = 1 ]; then
	say "not built yet: $PKG is not installed"
	exit 3
fi
if [ ! -f "$TARBALL" ]; then
	say "installing $PKG"
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get -q -y \
		-o APT::Install-Recommends=false install "$PKG" >&2 ||
		{ $SUDO apt-get -q update >/dev/null &&
		  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -q -y \
			-o APT::Install-Recommends=false install "$PKG" >&2; } ||
		die "cannot install $PKG"
fi
[ -f "$TARBALL" ] || die "$TARBALL missing after installing $PKG"
ver=$(pkgver)
[ -n "$ver" ] || ver=unknown-$(stat -c %s-%Y "$TARBALL")

tmpx=
frag=
lock=
cleanup() {
	[ -z "$tmpx" ] || rm -rf "$tmpx"
	[ -z "$frag" ] || rm -f "$frag"
	[ -z "$lock" ] || rm -rf "$lock"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the options: the fragment, with BTF on for the reference, with the
# detectors for the debug kernel ---
frag=$(mktemp "${TMPDIR:-/tmp}/d2b-kconfig.XXXXXX")
case $VARIANT in
btf) sed 's/^CONFIG_DEBUG_INFO_BTF=n$/CONFIG_DEBUG_INFO_BTF=y/' "$HERE/config" >"$frag" ;;
debug) cat "$HERE/config" "$HERE/config-debug" >"$frag" ;;
*) cp "$HERE/config" "$frag" ;;
esac

# --- build directory, keyed by source version + configuration + compiler ---
key=$( { cat "$frag"; echo "targets: all modules_prepare"; ${CC:-gcc} --version | head -n 1;
	[ "$VARIANT" != btf ] || pahole --version; } | sha256sum | cut -c1-16)
out=$CACHE/test-kernel/$ver-$key
if_cached() {
	if [ -f "$out/.d2b-complete" ]; then
		say "cached: $out"
		echo "$out"
		exit 0
	fi
}
if_cached
if [ "${D2B_NO_BUILD:-0}" = 1 ]; then
	say "not built yet: $out"
	exit 3
fi

# --- one build at a time (a cached build needs no lock) ---
mkdir -p "$CACHE/linux-src" "$CACHE/test-kernel"
cache_lock "$CACHE/test-kernel/.lock" 3600 build
lock=$CACHE/test-kernel/.lock
if_cached

# --- unpacked source, once per package version ---
srcroot=$CACHE/linux-src/$ver
src=$srcroot/$PKG
if [ ! -f "$src/Makefile" ]; then
	rm -rf "$srcroot" "$CACHE/linux-src/.tmp-$ver".*
	tmpx=$(mktemp -d "$CACHE/linux-src/.tmp-$ver.XXXXXX")
	say "unpacking $TARBALL ($ver)"
	tar -xJf "$TARBALL" -C "$tmpx" || die "cannot unpack $TARBALL"
	[ -f "$tmpx/$PKG/Makefile" ] || die "$TARBALL has no $PKG/Makefile"
	mv "$tmpx" "$srcroot"
	tmpx=
fi
rm -rf "$out"
mkdir -p "$out"
make -s -C "$src" O="$out" tinyconfig >&2 || die "make tinyconfig failed"

say "configuring $SERIES ($VARIANT) in $out ($(grep -c '^CONFIG_' "$frag") options)"
grep '^CONFIG_' "$frag" | sed 's/^\(CONFIG_[A-Za-z0-9_]*\)=n$/# \1 is not set/' >>"$out/.config"
make -s -C "$src" O="$out" olddefconfig >&2 || die "make olddefconfig failed"
bad=
for line in $(grep '^CONFIG_' "$frag"); do
	opt=${line%%=*}
	val=${line#*=}
	if [ "$val" = n ]; then
		! grep -q "^$opt=" "$out/.config" || bad="$bad $line"
	else
		grep -qx "$line" "$out/.config" || bad="$bad $line"
	fi
done
[ -z "$bad" ] || die "options not set as asked after olddefconfig (missing dependency?):$bad"

say "building with make -j$JOBS (a few minutes)"
t0=$(date +%s)
if ! make -C "$src" O="$out" -j"$JOBS" all modules_prepare >"$out/build.log" 2>&1; then
	tail -n 30 "$out/build.log" >&2
	die "kernel build failed (log: $out/build.log)"
fi
t1=$(date +%s)
for f in arch/x86/boot/bzImage vmlinux Module.symvers scripts/module.lds certs/signing_key.pem; do
	[ -e "$out/$f" ] || die "build finished but $f is missing"
done
if [ "$VARIANT" = btf ]; then
	readelf -S "$out/vmlinux" | grep -q ' \.BTF ' || die "built with BTF, but vmlinux has no .BTF"
fi
say "built in $((t1 - t0))s: $out"
echo "$((t1 - t0))" >"$out/.d2b-complete"
echo "$out"
