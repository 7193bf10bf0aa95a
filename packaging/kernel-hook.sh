#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Build and install the btf_vmlinux DKMS module for a kernel as soon as
# both its headers and its debug vmlinux are installed, in whichever order
# they arrive. Installed as:
#
#   /etc/kernel/postinst.d/btf-vmlinux-dkms          RELEASE [IMAGE]  (a kernel package)
#   /etc/kernel/header_postinst.d/btf-vmlinux-dkms   RELEASE          (its headers, Debian)
#   /usr/lib/kernel/install.d/91-btf-vmlinux-dkms.install  add RELEASE ...  (kernel-install)
#
# and run with no argument by the packages' triggers on the debug
# directories (a -dbg / -debuginfo package arriving later): then for every
# kernel in /lib/modules. A kernel that lacks its headers or debug package
# gets a message, never a failure: a hook that fails makes the kernel's
# package fail to configure.
set -u

NAME=btf_vmlinux
MODDIR=/lib/modules

say() { echo "btf-vmlinux-dkms: $*" >&2; }

case ${1:-} in
add) shift ;;
remove) exit 0 ;;
esac

command -v dkms >/dev/null 2>&1 || exit 0
[ ! -f /etc/dkms/no-autoinstall ] || exit 0

# the newest version of the module's sources that DKMS knows
version=$(dkms status -m "$NAME" 2>/dev/null |
	sed -n "s|^${NAME}[/,] *\([^,:]*\)[,:].*|\1|p" | sort -V | tail -n 1)
[ -n "$version" ] || exit 0
src=/usr/src/$NAME-$version

# build_for RELEASE [quiet]: dkms install for RELEASE when it can be built
build_for() {
	r=$1
	if dkms status -m "$NAME" -v "$version" -k "$r" 2>/dev/null | grep -q ': installed'; then
		return 0
	fi
	if [ ! -e "$MODDIR/$r/build/include" ]; then
		[ -n "${2:-}" ] || say "$r: no kernel headers ($MODDIR/$r/build): install linux-headers-$r (Debian, Ubuntu) or kernel-devel-$r; the module is built when they are there"
		return 0
	fi
	if [ ! -f "$src/vmlinux-$r.btf" ] && ! sh "$src/find-debug-vmlinux.sh" "$r" >/dev/null 2>&1; then
		[ -n "${2:-}" ] || { sh "$src/find-debug-vmlinux.sh" "$r" 2>&1 >/dev/null | sed 's/^btf_vmlinux: /btf-vmlinux-dkms: /' >&2;
			say "$r: no BTF module for now; it is built when the debug package is installed"; }
		return 0
	fi
	say "$r: building $NAME/$version"
	if dkms install -m "$NAME" -v "$version" -k "$r" >&2; then
		return 0
	fi
	say "$r: dkms install $NAME/$version failed (see /var/lib/dkms/$NAME/$version/build/make.log); the kernel itself is installed"
}

if [ $# -ge 1 ] && [ -n "$1" ]; then
	build_for "$1"
else
	for d in "$MODDIR"/*/; do
		[ -d "$d" ] || continue
		r=${d%/}
		build_for "${r##*/}" quiet
	done
fi
exit 0
