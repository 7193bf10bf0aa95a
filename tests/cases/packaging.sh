#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# The distribution packages. kbuild/find-debug-vmlinux.sh finds the debug
# vmlinux where Debian, Red Hat and SUSE put it; dpkg-buildpackage builds
# dwarf2btf and btf-vmlinux-dkms from a copy of the sources, lintian finds nothing
# (errors, warnings, info and pedantic tags), rpmbuild builds the same from
# packaging/dwarf2btf.spec (with --nodeps: the BuildRequires name Fedora's
# packages), and the .debs work in a fresh Debian root
# (tests/packaging-root.sh: the binary, man page and completion; DKMS
# building a signed module from the Debian debug kernel's vmlinux).
#
# Needs root (chroot, mounts). The root is debootstrapped once into the
# cache (tests/debian-root.sh); the debug vmlinux is tests/fetch-kernel.sh's.
set -u
. "$(dirname "$0")/../lib.sh"

T=$D2B_TMP
SRC=$D2B_SRC

if [ "$(id -u)" -ne 0 ]; then
	skip packaging "needs root (chroot and mounts for the Debian root)"
	finish
fi
missing=
for c in dpkg-buildpackage dh lintian rpmbuild debootstrap unshare; do
	has "$c" || missing="$missing $c"
done
if [ -n "$missing" ]; then
	fail packaging "not installed:$missing (sh tests/install-deps.sh)"
	finish
fi

# --- one version everywhere ---
v_make=$(sed -n 's/^VERSION := *//p' "$SRC/Makefile")
v_deb=$(sed -n '1s/^dwarf2btf (\([^)]*\)).*/\1/p' "$SRC/debian/changelog")
v_rpm=$(sed -n 's/^Version: *//p' "$SRC/packaging/dwarf2btf.spec")
v_dkms=$(sed -n 's/^PACKAGE_VERSION="\([^"]*\)"/\1/p' "$SRC/kbuild/dkms.conf")
if [ -n "$v_make" ] && [ "$v_deb" = "$v_make" ] && [ "$v_rpm" = "$v_make" ] &&
	[ "$v_dkms" = "$v_make" ]; then
	pass versions-agree
else
	fail versions-agree "Makefile $v_make, debian/changelog $v_deb, spec $v_rpm, dkms.conf $v_dkms"
fi
V=$v_make

# --- where the DKMS build finds each distribution's debug vmlinux ---
FIND=$SRC/kbuild/find-debug-vmlinux.sh
bad=
n=0
for layout in boot/vmlinux-R lib/modules/R/vmlinux boot/vmlinux-R.debug; do
	n=$((n + 1))
	f=$T/dbg$n/usr/lib/debug/$(echo "$layout" | sed s/R/9.9.9-test/g)
	mkdir -p "${f%/*}"
	: >"$f"
	got=$(D2B_DEBUG_ROOT=$T/dbg$n sh "$FIND" 9.9.9-test 2>&1)
	[ "$got" = "$f" ] || bad="$bad $layout:'$got'"
done
got=$(D2B_DEBUG_ROOT=$T/none sh "$FIND" 9.9.9-test 2>&1)
rc=$?
case $rc:$got in
1:*"no debug vmlinux for 9.9.9-test"*"linux-image-9.9.9-test-dbg"*) ;;
*) bad="$bad missing:rc=$rc:'$got'" ;;
esac
if [ -z "$bad" ]; then
	pass find-debug-vmlinux
else
	fail find-debug-vmlinux "$bad"
fi

# --- a copy of the sources: the package build runs "make clean" ---
mkdir -p "$T/deb/dwarf2btf-$V"
if [ -d "$SRC/.git" ] || [ -f "$SRC/.git" ]; then
	(cd "$SRC" && git ls-files -co --exclude-standard) | grep -v '^build/' >"$T/files"
else
	(cd "$SRC" && find . -type f ! -path './build/*' | sed 's|^\./||') >"$T/files"
fi
(cd "$SRC" && tar -cf - -T "$T/files") | tar -xf - -C "$T/deb/dwarf2btf-$V"

# build NAME DIR COMMAND...: run COMMAND in DIR, output to $T/NAME.log, and
# note how long it took; on failure print FAIL NAME with the log's end
build() {
	_n=$1
	_d=$2
	shift 2
	_t0=$(date +%s)
	if (cd "$_d" && "$@") >"$T/$_n.log" 2>&1; then
		note "$_n: $(($(date +%s) - _t0)) s"
		return 0
	fi
	fail "$_n" "$* failed"
	tail -n 20 "$T/$_n.log" | detail - 20
	return 1
}

# --- dpkg-buildpackage ---
build deb.build "$T/deb/dwarf2btf-$V" env DEB_BUILD_OPTIONS=parallel=2 \
	dpkg-buildpackage -us -uc -b || finish
deb_bin=$(ls "$T"/deb/dwarf2btf_"$V"_*.deb 2>/dev/null | head -n 1)
deb_dkms=$T/deb/btf-vmlinux-dkms_${V}_all.deb
if [ -f "$deb_bin" ] && [ -f "$deb_dkms" ]; then
	pass deb.build
else
	fail deb.build "no dwarf2btf or btf-vmlinux-dkms .deb: $(cd "$T/deb" && ls | tr '\n' ' ')"
	finish
fi

# contents, as each package lists them
want_bin="./usr/bin/dwarf2btf ./usr/share/man/man1/dwarf2btf.1.gz
./usr/share/bash-completion/completions/dwarf2btf ./usr/share/doc/dwarf2btf/copyright"
want_dkms="./usr/src/btf_vmlinux-$V/dkms.conf ./usr/src/btf_vmlinux-$V/Makefile
./usr/src/btf_vmlinux-$V/Kbuild ./usr/src/btf_vmlinux-$V/find-debug-vmlinux.sh
./etc/kernel/postinst.d/btf-vmlinux-dkms ./etc/kernel/header_postinst.d/btf-vmlinux-dkms"
lack=
dpkg-deb -c "$deb_bin" | awk '{ print $NF }' >"$T/bin.list"
dpkg-deb -c "$deb_dkms" | awk '{ print $NF }' >"$T/dkms.list"
for f in $want_bin; do grep -qx "$f" "$T/bin.list" || lack="$lack $f"; done
for f in $want_dkms; do grep -qx "$f" "$T/dkms.list" || lack="$lack $f"; done
if [ -z "$lack" ] && cmp -s "$SRC/kbuild/dkms.conf" "$(dpkg-deb -x "$deb_dkms" "$T/x" &&
	echo "$T/x/usr/src/btf_vmlinux-$V/dkms.conf")" &&
	dpkg-deb -f "$deb_dkms" Depends | grep -q 'dkms' &&
	dpkg-deb -I "$deb_dkms" triggers | grep -qx 'interest-noawait /usr/lib/debug/boot'; then
	pass deb.contents
else
	fail deb.contents "missing:${lack:- none}; or dkms.conf differs from kbuild/, no dkms dependency or no trigger"
fi

# --- lintian: nothing at all, overrides included ---
if lintian -I -E --pedantic --fail-on error,warning,info,pedantic \
	"$T"/deb/dwarf2btf_"$V"_*.changes >"$T/lintian.out" 2>&1; then
	pass deb.lintian
	note "lintian -I -E --pedantic: $(grep -c '^[EWIPX]: ' "$T/lintian.out") tags"
else
	fail deb.lintian "lintian reports:"
	grep '^[EWIPX]: ' "$T/lintian.out" | detail - 20
fi

# --- rpmbuild ---
R=$T/rpm
mkdir -p "$R/SOURCES"
(cd "$SRC" && tar -czf "$R/SOURCES/dwarf2btf-$V.tar.gz" --transform "s,^,dwarf2btf-$V/," -T "$T/files")
if build rpm.build "$R" rpmbuild -bb --nodeps --define "_topdir $R" "$SRC/packaging/dwarf2btf.spec"; then
	rpm_bin=$(ls "$R"/RPMS/*/dwarf2btf-"$V"-*.rpm 2>/dev/null | head -n 1)
	rpm_dkms=$(ls "$R"/RPMS/noarch/btf-vmlinux-dkms-"$V"-*.noarch.rpm 2>/dev/null | head -n 1)
	if [ -n "$rpm_bin" ] && [ -n "$rpm_dkms" ] &&
		rpm -qlp "$rpm_bin" 2>/dev/null | grep -qx /usr/bin/dwarf2btf &&
		rpm -qlp "$rpm_dkms" 2>/dev/null | grep -qx "/usr/src/btf_vmlinux-$V/dkms.conf" &&
		rpm -qlp "$rpm_dkms" 2>/dev/null | grep -qx /usr/lib/kernel/install.d/91-btf-vmlinux-dkms.install &&
		rpm -qp --filetriggers "$rpm_dkms" 2>/dev/null | grep -q '/usr/lib/debug/lib/modules'; then
		pass rpm.build
	else
		fail rpm.build "the RPMs lack files or the file trigger: $(cd "$R/RPMS" 2>/dev/null && find . -name '*.rpm' | tr '\n' ' ')"
	fi
fi

# --- the .debs in a fresh Debian root ---
if ! vmlinux=$(sh "$SRC/tests/fetch-kernel.sh" 2>"$T/fetch.err"); then
	fail root "no Debian debug kernel: $(tail -n 1 "$T/fetch.err")"
	finish
fi
abi=${vmlinux##*/vmlinux-}
t0=$(date +%s)
if ! root=$(sh "$SRC/tests/debian-root.sh" "$abi" 2>"$T/root.err"); then
	fail root "no Debian root: $(tail -n 1 "$T/root.err")"
	finish
fi
note "Debian root $root: $(($(date +%s) - t0)) s"
unshare --mount --propagation private sh "$SRC/tests/packaging-root.sh" \
	"$root" "$T/deb" "$vmlinux" "$abi" || D2B_FAILS=$((D2B_FAILS + 1))

finish
