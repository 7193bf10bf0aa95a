#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Print the path of a Debian cloud-amd64 debug vmlinux (DWARF + the
# kernel build's own .BTF), downloading and extracting it when it is not
# in the cache yet. Only the path goes to stdout; progress to stderr.
#
#   sh tests/fetch-kernel.sh
#
# Environment:
#   D2B_CACHE        cache directory (default ${XDG_CACHE_HOME:-$HOME/.cache}/dwarf2btf)
#   D2B_KERNEL_ABI   pin a version, e.g. 6.1.0-56 or 6.1.0-56-cloud-amd64
#                    (default: what linux-image-cloud-amd64-dbg depends on)
#   D2B_KERNEL_FLAVOUR  another Debian flavour: cloud-arm64, s390x, ...
#                    (default cloud-amd64); a foreign architecture is added
#                    with dpkg --add-architecture
#
# Layout:
#   $CACHE/downloads/linux-image-<abi>-dbg_<version>_amd64.deb
#   $CACHE/kernels/<abi>/usr/lib/debug/boot/vmlinux-<abi>
# where <abi> is the full release string, e.g. 6.1.0-56-cloud-amd64.
# The kernels/<abi> directory appears (by rename) only once complete.
set -eu

FLAVOUR=${D2B_KERNEL_FLAVOUR:-cloud-amd64}
ARCH=${FLAVOUR##*-}
HOST_ARCH=$(dpkg --print-architecture)
QUAL=
[ "$ARCH" = "$HOST_ARCH" ] || QUAL=:$ARCH
META=linux-image-$FLAVOUR-dbg
CACHE=${D2B_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dwarf2btf}
DL=$CACHE/downloads
KDIR=$CACHE/kernels

say() { echo "fetch-kernel: $*" >&2; }
die() { say "$*"; exit 1; }
. "$(dirname "$0")/cache-lock.sh"

if [ "$(id -u)" -eq 0 ]; then
	SUDO=
else
	SUDO=sudo
fi

apt_update() {
	say "running apt-get update"
	$SUDO apt-get -q update >/dev/null || say "apt-get update failed"
}

# print the ABI that the meta package depends on, or nothing
resolve_abi() {
	apt-cache depends "$META$QUAL" 2>/dev/null |
		sed -n "s/^ *Depends: linux-image-\(.*-$FLAVOUR\)-dbg\(:$ARCH\)\{0,1\}\$/\1/p" |
		head -n 1
}

# packages of a foreign architecture need it added to dpkg first
if [ -n "$QUAL" ] && ! dpkg --print-foreign-architectures | grep -qx "$ARCH"; then
	say "adding architecture $ARCH"
	$SUDO dpkg --add-architecture "$ARCH"
	apt_update
fi

vmlinux_of() { echo "$KDIR/$1/usr/lib/debug/boot/vmlinux-$1"; }

is_elf() {
	[ -s "$1" ] || return 1
	[ "$(od -An -c -N4 "$1" | tr -d ' ')" = '177ELF' ]
}

# newest complete cached kernel, or nothing
newest_cached() {
	for d in "$KDIR"/*-"$FLAVOUR"; do
		[ -d "$d" ] || continue
		a=${d##*/}
		is_elf "$(vmlinux_of "$a")" && echo "$a"
	done | sort -V | tail -n 1
}

abi=${D2B_KERNEL_ABI:-}
if [ -n "$abi" ]; then
	case $abi in
	*-"$FLAVOUR") ;;
	*) abi=$abi-$FLAVOUR ;;
	esac
else
	abi=$(resolve_abi)
	if [ -z "$abi" ]; then
		cached=$(newest_cached)
		if [ -n "$cached" ]; then
			say "cannot resolve $META from the apt lists; using cached $cached"
			abi=$cached
		else
			apt_update
			abi=$(resolve_abi)
			[ -n "$abi" ] || die "cannot resolve $META (apt-cache depends printed no Depends)"
		fi
	fi
fi

vmlinux=$(vmlinux_of "$abi")
if is_elf "$vmlinux"; then
	echo "$vmlinux"
	exit 0
fi

mkdir -p "$DL" "$KDIR"

# --- one fetch at a time ---
lock=$KDIR/.lock-$abi
cache_lock "$lock" 1800 fetch
tmpx=
tmpd=
cleanup() {
	[ -z "$tmpx" ] || rm -rf "$tmpx"
	[ -z "$tmpd" ] || rm -rf "$tmpd"
	rm -rf "$lock"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# leftovers of a fetch that was killed (we hold the lock for this abi)
rm -rf "$KDIR/.tmp-$abi".* "$DL/.tmp-dl-$abi".*

# another process may have finished while we waited
if is_elf "$vmlinux"; then
	echo "$vmlinux"
	exit 0
fi

pkg=linux-image-$abi-dbg

find_deb() {
	ls "$DL/${pkg}"_*_"$ARCH".deb 2>/dev/null | sort -V | tail -n 1
}

download() {
	tmpd=$(mktemp -d "$DL/.tmp-dl-$abi.XXXXXX")
	say "downloading $pkg$QUAL (about 300 MB) into $DL"
	# apt warns that the _apt sandbox user cannot write here; harmless
	if (cd "$tmpd" && apt-get -q download "$pkg$QUAL" >&2); then
		for f in "$tmpd"/*.deb; do
			[ -f "$f" ] || return 1
			mv "$f" "$DL/"
		done
		rm -rf "$tmpd"
		tmpd=
		return 0
	fi
	rm -rf "$tmpd"
	tmpd=
	return 1
}

extract() {
	deb=$1
	tmpx=$(mktemp -d "$KDIR/.tmp-$abi.XXXXXX")
	chmod 755 "$tmpx"
	say "extracting vmlinux from ${deb##*/}"
	if ! dpkg-deb --fsys-tarfile "$deb" |
		tar -x -C "$tmpx" --wildcards './usr/lib/debug/boot/vmlinux-*'; then
		rm -rf "$tmpx"
		tmpx=
		return 1
	fi
	if ! is_elf "$tmpx/usr/lib/debug/boot/vmlinux-$abi"; then
		say "no ELF vmlinux-$abi in ${deb##*/}"
		rm -rf "$tmpx"
		tmpx=
		return 1
	fi
	rm -rf "${KDIR:?}/$abi"
	mv "$tmpx" "$KDIR/$abi"
	tmpx=
}

deb=$(find_deb)
if [ -n "$deb" ]; then
	if ! extract "$deb"; then
		say "cached ${deb##*/} is unusable; downloading again"
		rm -f "$deb"
		deb=
	fi
fi
if [ -z "$deb" ]; then
	if ! download; then
		# stale apt lists name a version the archive no longer has
		apt_update
		if [ -z "${D2B_KERNEL_ABI:-}" ]; then
			new=$(resolve_abi)
			if [ -n "$new" ] && [ "$new" != "$abi" ]; then
				say "$META now depends on $new"
				rm -rf "$lock"
				exec env D2B_KERNEL_ABI="$new" sh "$0"
			fi
		fi
		download || die "apt-get download $pkg failed"
	fi
	deb=$(find_deb)
	[ -n "$deb" ] || die "apt-get download $pkg left no .deb in $DL"
	extract "$deb" || die "could not extract vmlinux from $deb"
fi

is_elf "$vmlinux" || die "internal error: $vmlinux missing after extraction"
say "ready: $vmlinux"
echo "$vmlinux"
