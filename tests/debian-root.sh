#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Print the path of a minimal Debian root (debootstrap --variant=minbase)
# with what tests/cases/packaging.sh installs our .debs next to: dkms,
# openssl (DKMS's signing key), man-db, bash-completion, the libraries
# dwarf2btf links (so that installing our .debs needs no download) and the kernel
# headers of release ABI. Built once into the cache and reused; only the
# path goes to stdout, progress to stderr. Needs root.
#
#   sh tests/debian-root.sh ABI          e.g. 6.1.0-57-cloud-amd64
#
# Environment:
#   D2B_CACHE          cache directory (default ${XDG_CACHE_HOME:-$HOME/.cache}/dwarf2btf)
#   D2B_DEBIAN_SUITE   default bookworm (its -updates and -security are added)
#   D2B_DEBIAN_MIRROR  default: the host's first deb.debian.org-style URI for
#                      the suite, else http://deb.debian.org/debian
#   D2B_ROOT_MAX_DAYS  rebuild a root older than this (default 30): its apt
#                      lists name package versions the archive drops
#
# Layout: $CACHE/debian-root/<suite>-<abi>-<YYYYMMDD>/ (the date it was made),
# appearing by rename only once complete. Older roots of the same suite and
# ABI are removed when a new one is made.
set -eu

SUITE=${D2B_DEBIAN_SUITE:-bookworm}
CACHE=${D2B_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dwarf2btf}
MAXDAYS=${D2B_ROOT_MAX_DAYS:-30}
RDIR=$CACHE/debian-root

say() { echo "debian-root: $*" >&2; }
die() { say "$*"; exit 1; }
. "$(dirname "$0")/cache-lock.sh"

[ $# -eq 1 ] || die "usage: sh tests/debian-root.sh ABI"
abi=$1
[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot)"
command -v debootstrap >/dev/null || die "debootstrap not installed (sh tests/install-deps.sh)"

# newest complete root for this suite and ABI that is young enough
usable_root() {
	find "$RDIR" -mindepth 1 -maxdepth 1 -type d -name "$SUITE-$abi-[0-9]*" \
		-mtime "-$MAXDAYS" 2>/dev/null | sort | tail -n 1
}

mkdir -p "$RDIR"
root=$(usable_root)
if [ -n "$root" ]; then
	echo "$root"
	exit 0
fi

cache_lock_scoped "$RDIR/.lock-$SUITE-$abi" 1800 debootstrap

root=$(usable_root)
if [ -n "$root" ]; then
	echo "$root"
	exit 0
fi
rm -rf "$RDIR/.tmp-$SUITE-$abi".*

mirror=${D2B_DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
	mirror=$(sed -n 's/^URIs: *\(http[^ ]*\/debian\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
	[ -n "$mirror" ] || mirror=$(sed -n 's/^deb  *\(http[^ ]*\/debian\)  *[a-z].*/\1/p' /etc/apt/sources.list 2>/dev/null | head -n 1)
	[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
fi

cache_tmp=$(mktemp -d "$RDIR/.tmp-$SUITE-$abi.XXXXXX")
tmp=$cache_tmp
chmod 755 "$tmp"
say "debootstrap --variant=minbase $SUITE from $mirror (once; a few minutes)"
debootstrap --variant=minbase "$SUITE" "$tmp" "$mirror" >"$tmp.log" 2>&1 ||
	die "debootstrap failed: $(tail -n 3 "$tmp.log" | tr '\n' ' ')"
rm -f "$tmp.log"

cat >"$tmp/etc/apt/sources.list" <<EOF
deb $mirror $SUITE main
deb $mirror $SUITE-updates main
deb ${mirror%/debian}/debian-security $SUITE-security main
EOF
cp /etc/resolv.conf "$tmp/etc/resolv.conf" 2>/dev/null || true
# man-db's cache trigger is slow and not what the test looks at
echo 'man-db man-db/auto-update boolean false' >"$tmp/tmp/man-db.seed"

say "installing dkms, openssl, man-db, bash-completion, linux-headers-$abi"
# shellcheck disable=SC2016
chroot "$tmp" sh -c '
	export DEBIAN_FRONTEND=noninteractive PATH=/usr/sbin:/usr/bin:/sbin:/bin
	debconf-set-selections /tmp/man-db.seed && rm -f /tmp/man-db.seed &&
	apt-get -q update &&
	apt-get -q -y -o APT::Install-Recommends=false install \
		dkms openssl man-db bash-completion libdw1 libelf1 zlib1g libarchive13 \
		libdebuginfod1 "linux-headers-$1" &&
	apt-get clean' sh "$abi" >"$tmp.log" 2>&1 ||
	die "installing packages in the root failed: $(tail -n 3 "$tmp.log" | tr '\n' ' ')"
rm -f "$tmp.log"

old=$(find "$RDIR" -mindepth 1 -maxdepth 1 -type d -name "$SUITE-$abi-[0-9]*")
final=$RDIR/$SUITE-$abi-$(date -u +%Y%m%d)
mv "$tmp" "$final"
cache_tmp=
for o in $old; do
	[ "$o" = "$final" ] || rm -rf "$o"
done
say "ready: $final"
echo "$final"
