#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Install what dwarf2btf needs to build and to run its tests (Debian/Ubuntu).
# Does nothing when every package is already installed; otherwise runs
# apt-get update, then apt-get install. Uses sudo only when not root.
#
#   sh tests/install-deps.sh
set -eu

# build
BUILD_PKGS="gcc make pkg-config libc6-dev libdw-dev libelf-dev zlib1g-dev libarchive-dev libdebuginfod-dev"
# tests: reference encoder (pahole), BTF consumers (bpftool, libbpf),
# second compiler, objcopy, apt-get download + dpkg-deb + xz for the
# Debian debug kernel, /usr/bin/time for the resource report; libFuzzer
# (libclang-rt-14-dev, only recommended by clang) and valgrind for the
# robustness tests; rpmbuild (rpm), zstd, debuginfod and the bsdtar it
# runs on .debs (libarchive-tools) for packages as input; the package
# builds (dpkg-buildpackage with debhelper and dh-dkms, lintian) and
# debootstrap for the Debian root they are installed into
# (tests/cases/packaging.sh); for the test kernels in QEMU
# (tests/kernel/): the kernel sources, their build tools, QEMU, a static
# busybox, and the clients run in the guest (libbpf-tools, bpftrace)
TEST_PKGS="clang llvm dwarves bpftool libbpf-dev jq binutils xz-utils dpkg-dev tar time coreutils dwz gzip libclang-rt-14-dev valgrind groff-base man-db rpm zstd debuginfod libarchive-tools build-essential debhelper dh-dkms lintian debootstrap linux-source-6.1 linux-source-6.12 flex bison bc libssl-dev libzstd-dev cpio e2fsprogs procps qemu-system-x86 busybox-static libbpf-tools bpftrace"

missing=
for p in $BUILD_PKGS $TEST_PKGS; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	if [ "$st" != installed ]; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	echo "install-deps: all build and test packages are installed" >&2
	exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
	SUDO=
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "install-deps: need root (or sudo) to install:$missing" >&2
	exit 1
fi

echo "install-deps: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get -q update >/dev/null
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get -qq -y \
	-o Dpkg::Use-Pty=0 -o APT::Install-Recommends=false \
	install $missing >/dev/null

# check that it worked
still=
for p in $missing; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || still="$still $p"
done
if [ -n "$still" ]; then
	echo "install-deps: still missing after install:$still" >&2
	exit 1
fi
echo "install-deps: done" >&2
