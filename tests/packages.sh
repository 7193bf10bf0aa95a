# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Builders of small distribution packages for the tests, sourced by
# tests/cases/packages.sh, bad-input.sh and debuginfod.sh. Each puts the
# files of directory ROOT (a file system tree: usr/lib/debug/...) into
# one package.
#
#   pkg_deb ROOT OUT COMPRESSION [md5sums]   .deb/.ddeb with dpkg-deb
#                  (xz, zstd, gzip, none); "md5sums" adds the list that
#                  Debian's packages carry (dh_md5sums)
#   pkg_rpm ROOT OUT COMPRESSION             .rpm with rpmbuild (xz, zstd)
#   pkg_vmlinux OUT                          a small ELF with DWARF and a
#                  build-id, from tests/fixtures (a stand-in for a vmlinux)
#   pkg_same NAME REF CMD...                 CMD writes $D2B_TMP/out.btf:
#                  PASS when it equals REF, and its .build-id REF.build-id
#   pkg_debian NAME                          Debian's kernel for the rows
#                  NAME*: sets $vmlinux, $abi and $deb (its -dbg .deb); prints
#                  a SKIP (D2B_SKIP_REAL_KERNEL=1, as in the sanitizer pass)
#                  or FAIL
# Each returns non-zero, with the reason on stderr, when it fails.

pkg_deb() {
	_pd_root=$1
	_pd_out=$2
	_pd_comp=$3
	mkdir -p "$_pd_root/DEBIAN"
	cat >"$_pd_root/DEBIAN/control" <<EOT
Package: linux-image-test-dbg
Version: 1.0
Architecture: all
Maintainer: dwarf2btf tests <tests@invalid>
Description: debug vmlinux for the dwarf2btf tests
EOT
	if [ "${4:-}" = md5sums ]; then
		(cd "$_pd_root" && find . -path ./DEBIAN -prune -o -type f -print |
			sed 's|^\./||' | sort | xargs md5sum) >"$_pd_root/DEBIAN/md5sums" || return 1
	fi
	dpkg-deb --root-owner-group -Z"$_pd_comp" --build "$_pd_root" "$_pd_out" >/dev/null
	_pd_rc=$?
	rm -rf "$_pd_root/DEBIAN"
	return $_pd_rc
}

pkg_rpm() {
	_pr_root=$(cd "$1" && pwd)
	_pr_out=$2
	case $3 in
	xz) _pr_payload=w2.xzdio ;;
	zstd) _pr_payload=w3.zstdio ;;
	*) echo "pkg_rpm: unknown compression $3" >&2; return 1 ;;
	esac
	_pr_top=$(mktemp -d "${TMPDIR:-/tmp}/d2b-rpm.XXXXXX")
	mkdir -p "$_pr_top/SPECS"
	_pr_files=$(cd "$_pr_root" && find . -type f | sed 's|^\.||')
	# no stripping, no debuginfo subpackage, no build-id links: the
	# files go in as they are
	cat >"$_pr_top/SPECS/t.spec" <<EOT
%global debug_package %{nil}
%global __os_install_post %{nil}
%global _build_id_links none
%global _binary_payload $_pr_payload
Name: kernel-debuginfo-test
Version: 1.0
Release: 1
Summary: debug vmlinux for the dwarf2btf tests
License: GPL-2.0-only
%description
debug vmlinux for the dwarf2btf tests
%install
mkdir -p %{buildroot}
cp -a $_pr_root/. %{buildroot}/
%files
$_pr_files
EOT
	if ! rpmbuild -bb --quiet --define "_topdir $_pr_top" --nodeps \
		"$_pr_top/SPECS/t.spec" >"$_pr_top/log" 2>&1; then
		tail -n 5 "$_pr_top/log" >&2
		rm -rf "$_pr_top"
		return 1
	fi
	mv "$_pr_top"/RPMS/*/*.rpm "$_pr_out"
	_pr_rc=$?
	rm -rf "$_pr_top"
	return $_pr_rc
}

pkg_vmlinux() {
	gcc -g -O1 -Wl,--build-id -o "$1" "$D2B_SRC/tests/fixtures/multi_cu_a.c" \
		"$D2B_SRC/tests/fixtures/multi_cu_b.c"
}

pkg_debian() {
	if [ "${D2B_SKIP_REAL_KERNEL:-0}" = 1 ]; then
		skip "$1" "D2B_SKIP_REAL_KERNEL=1"
		return 1
	fi
	if ! vmlinux=$(sh "$D2B_SRC/tests/fetch-kernel.sh" 2>"$D2B_TMP/fetch.err"); then
		fail "$1" "tests/fetch-kernel.sh: $(tail -n 1 "$D2B_TMP/fetch.err")"
		return 1
	fi
	abi=${vmlinux##*/vmlinux-}
	deb=$(dbg_deb "$abi")
	if [ -z "$deb" ]; then
		fail "$1" "no linux-image-$abi-dbg_*.deb in $D2B_CACHE/downloads"
		return 1
	fi
}

pkg_same() {
	_sn=$1
	_sref=$2
	shift 2
	rm -f "$D2B_TMP/out.btf" "$D2B_TMP/out.btf.build-id"
	if ! "$@" >"$D2B_TMP/same.out" 2>"$D2B_TMP/same.err"; then
		fail "$_sn" "exit $?: $(head -n 1 "$D2B_TMP/same.err")"
	elif ! cmp -s "$_sref" "$D2B_TMP/out.btf"; then
		fail "$_sn" "BTF differs from the unpacked file's"
	elif [ -e "$_sref.build-id" ] && ! cmp -s "$_sref.build-id" "$D2B_TMP/out.btf.build-id"; then
		fail "$_sn" ".build-id differs from the unpacked file's"
	else
		pass "$_sn"
	fi
}
