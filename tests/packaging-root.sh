#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Part of tests/cases/packaging.sh, run in a private mount namespace
# (unshare --mount): install our .debs into an overlay on the cached
# Debian root and check what a user gets.
#
#   sh tests/packaging-root.sh ROOT DEBDIR VMLINUX ABI
#
# ROOT: tests/debian-root.sh's (dkms and linux-headers-ABI installed),
# never written to; DEBDIR: the built .debs; VMLINUX: ABI's debug vmlinux.
# Prints PASS/FAIL lines; exit status 1 when any FAIL.
set -u
. "$(dirname "$0")/lib.sh"

[ $# -eq 4 ] || { echo "usage: sh tests/packaging-root.sh ROOT DEBDIR VMLINUX ABI" >&2; exit 2; }
LOWER=$1
DEBS=$2
VMLINUX=$3
ABI=$4
T=$D2B_TMP/root
M=$T/merged
NAME=btf_vmlinux
V=$(sed -n 's/^PACKAGE_VERSION="\([^"]*\)"/\1/p' "$D2B_SRC/kbuild/dkms.conf")

mkdir -p "$T/upper" "$T/work" "$M"
if ! mount -t overlay overlay -o "lowerdir=$LOWER,upperdir=$T/upper,workdir=$T/work" "$M" 2>"$T/mount.err"; then
	# no overlayfs: a copy of the root
	note "overlay mount failed ($(head -n 1 "$T/mount.err")); copying the root"
	cp -a "$LOWER/." "$M/"
fi
mount -t proc proc "$M/proc"
mount --bind /dev "$M/dev"

# inroot COMMAND...: run a shell command in the root, output to $T/out
inroot() {
	chroot "$M" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
		DEBIAN_FRONTEND=noninteractive /bin/sh -c "$*" >"$T/out" 2>&1
}

# --- apt install ./dwarf2btf_*.deb ./btf-vmlinux-dkms_*.deb ---
mkdir -p "$M/tmp/debs"
cp "$DEBS"/dwarf2btf_*.deb "$DEBS"/btf-vmlinux-dkms_*.deb "$M/tmp/debs/"
if inroot 'cd /tmp/debs && apt-get install -y -q ./dwarf2btf_*.deb ./btf-vmlinux-dkms_*.deb'; then
	pass root.apt-install
else
	fail root.apt-install "apt-get install ./*.deb failed"
	tail -n 15 "$T/out" | detail - 15
	finish
fi

if inroot 'dwarf2btf --help' && grep -q -- '--output' "$T/out"; then
	pass root.help
else
	fail root.help "dwarf2btf --help: $(head -n 2 "$T/out" | tr '\n' ' ')"
fi
if inroot 'MANWIDTH=80 man dwarf2btf' && grep -q 'EXIT STATUS' "$T/out"; then
	pass root.man
else
	fail root.man "man dwarf2btf: $(head -n 2 "$T/out" | tr '\n' ' ')"
fi
# the way an interactive bash finds it: bash-completion's loader, by name
# shellcheck disable=SC2016
if inroot 'bash -c ". /usr/share/bash-completion/bash_completion; __load_completion dwarf2btf;
	COMP_WORDS=(dwarf2btf --sta); COMP_CWORD=1; _dwarf2btf; echo \"\${COMPREPLY[*]}\""' &&
	[ "$(tail -n 1 "$T/out")" = "--stats" ]; then
	pass root.completion
else
	fail root.completion "'dwarf2btf --sta<TAB>' gave: $(tail -n 2 "$T/out" | tr '\n' ' ')"
fi
if inroot "dkms status -m $NAME" && grep -q "^$NAME/$V: added" "$T/out"; then
	pass root.dkms-added
else
	fail root.dkms-added "dkms status: $(head -n 2 "$T/out" | tr '\n' ' ')"
fi

# --- a new kernel without its debug package: a message, no failure ---
# The hooks as linux-image-ABI's postinst runs them (run-parts
# --exit-on-error): a failing hook fails that package's configuration.
if inroot "run-parts --report --exit-on-error --arg=$ABI --arg=/boot/vmlinuz-$ABI /etc/kernel/postinst.d &&
	run-parts --report --exit-on-error --arg=$ABI /etc/kernel/header_postinst.d" &&
	grep -q "no debug vmlinux for $ABI" "$T/out"; then
	pass root.no-debug-hooks-succeed
	grep 'btf-vmlinux-dkms' "$T/out" | detail - 4
else
	fail root.no-debug-hooks-succeed "kernel hooks without a debug vmlinux: $(tail -n 4 "$T/out" | tr '\n' ' ')"
fi
inroot "dkms build -m $NAME -v $V -k $ABI; echo rc=\$?"
if grep -qx 'rc=77' "$T/out" && grep -q "no debug vmlinux for $ABI" "$T/out"; then
	pass root.no-debug-dkms-build
else
	fail root.no-debug-dkms-build "want exit 77 (skipped) and the message: $(tail -n 4 "$T/out" | tr '\n' ' ')"
fi
# Why the module is not AUTOINSTALL: with it, DKMS's own hook fails the
# kernel's configuration when the debug package is missing.
conf=$M/usr/src/$NAME-$V/dkms.conf
cp "$conf" "$T/dkms.conf"
echo 'AUTOINSTALL="yes"' >>"$conf"
if inroot "run-parts --exit-on-error --arg=$ABI --arg=/boot/vmlinuz-$ABI /etc/kernel/postinst.d"; then
	fail root.autoinstall-would-fail "with AUTOINSTALL=yes the kernel hooks succeed: the hook is not needed"
else
	pass root.autoinstall-would-fail
	grep -E 'Error|exited' "$T/out" | detail - 4
fi
cp "$T/dkms.conf" "$conf"

# --- the debug package arrives: the trigger builds the signed module ---
# A package that installs the debug vmlinux where linux-image-ABI-dbg does.
P=$T/dbgpkg
mkdir -p "$P/DEBIAN" "$P/usr/lib/debug/boot"
ln "$VMLINUX" "$P/usr/lib/debug/boot/vmlinux-$ABI" 2>/dev/null ||
	cp "$VMLINUX" "$P/usr/lib/debug/boot/vmlinux-$ABI"
cat >"$P/DEBIAN/control" <<EOF
Package: d2b-test-vmlinux-dbg
Version: 1
Architecture: all
Maintainer: dwarf2btf tests <tests@invalid>
Description: debug vmlinux of $ABI for tests/packaging-root.sh
EOF
dpkg-deb -Znone --root-owner-group -b "$P" "$M/tmp/dbg.deb" >/dev/null
rm -rf "$P"
t0=$(date +%s)
if inroot 'dpkg -i /tmp/dbg.deb' && grep -q "$ABI: building $NAME/$V" "$T/out"; then
	note "dpkg -i of the debug package, trigger, dkms install: $(($(date +%s) - t0)) s"
	pass root.trigger-builds
else
	fail root.trigger-builds "installing the debug vmlinux did not build the module: $(tail -n 5 "$T/out" | tr '\n' ' ')"
fi
ko=$(find "$M/lib/modules/$ABI" -name "$NAME.ko*" 2>/dev/null | head -n 1)
if inroot "dkms status -m $NAME -v $V -k $ABI" && grep -q ': installed' "$T/out" && [ -n "$ko" ]; then
	pass root.dkms-installed
	note "module: ${ko#"$M"}, $(wc -c <"$ko") bytes"
else
	fail root.dkms-installed "dkms status: $(head -n 2 "$T/out" | tr '\n' ' '); module file: ${ko:-none}"
fi

# DKMS's machine owner key signed it (sign-file's trailer, modinfo's signer
# and the key's serial against the certificate DKMS made)
if [ -n "$ko" ]; then
	kin=${ko#"$M"}
	trailer=$(tail -c 28 "$ko" | tr -d '\n')
	inroot "modinfo -F signer $kin; modinfo -F sig_key $kin; modinfo -F vermagic $kin;
		modinfo -F sig_hashalgo $kin; sed -n 's/^CONFIG_MODULE_SIG_HASH=//p' /lib/modules/$ABI/build/.config;
		openssl x509 -inform DER -in /var/lib/dkms/mok.pub -noout -serial -subject"
	signer=$(sed -n 1p "$T/out")
	sigkey=$(sed -n 2p "$T/out" | tr -d ':' | tr 'a-f' 'A-F')
	vermagic=$(sed -n 3p "$T/out")
	hashalgo=$(sed -n 4p "$T/out")
	khash=$(sed -n 5p "$T/out" | tr -d '"')
	serial=$(sed -n 's/^serial=//p' "$T/out" | sed 's/^0*//')
	if [ "$trailer" = "~Module signature appended~" ] && [ "$signer" = "DKMS module signing key" ] &&
		[ -n "$serial" ] && [ "${sigkey#"${sigkey%%[!0]*}"}" = "$serial" ] &&
		[ -n "$khash" ] && [ "$hashalgo" = "$khash" ]; then
		pass root.module-signed
		note "signer '$signer', sig_key $sigkey = serial of /var/lib/dkms/mok.pub, $hashalgo as the kernel's config"
	else
		fail root.module-signed "trailer '$trailer', signer '$signer', sig_key '$sigkey', mok.pub serial '$serial', hash '$hashalgo' (kernel: '$khash')"
	fi
	case $vermagic in
	"$ABI "*) pass root.module-vermagic ;;
	*) fail root.module-vermagic "vermagic '$vermagic', want $ABI" ;;
	esac

	# the blob in the module (btf_vmlinux_blob_start..end in .rodata) is what
	# this tree's dwarf2btf makes of the same vmlinux: output is deterministic
	nm "$ko" >"$T/nm" 2>&1
	b0=$(awk '$3 == "btf_vmlinux_blob_start" { print $1 }' "$T/nm")
	b1=$(awk '$3 == "btf_vmlinux_blob_end" { print $1 }' "$T/nm")
	if [ -n "$b0" ] && [ -n "$b1" ] &&
		objcopy -O binary --only-section=.rodata "$ko" "$T/rodata" 2>"$T/objcopy.err" &&
		"$D2B" -q "$VMLINUX" -o "$T/host.btf" 2>"$T/d2b.err"; then
		tail -c +$((0x$b0 + 1)) "$T/rodata" | head -c $((0x$b1 - 0x$b0)) >"$T/module.btf"
		if cmp -s "$T/module.btf" "$T/host.btf"; then
			pass root.module-btf
			note "the module's BTF: $(wc -c <"$T/module.btf") bytes, identical to dwarf2btf $(basename "$VMLINUX")"
		else
			fail root.module-btf "the module's blob ($(wc -c <"$T/module.btf") bytes) differs from dwarf2btf's output ($(wc -c <"$T/host.btf") bytes)"
		fi
	else
		fail root.module-btf "cannot read the blob: $(head -n 1 "$T/nm") $(head -n 1 "$T/objcopy.err") $(head -n 1 "$T/d2b.err")"
	fi
fi

# "dkms build" by hand, the debug vmlinux present
if inroot "dkms remove -m $NAME -v $V -k $ABI && dkms build -m $NAME -v $V -k $ABI && dkms status -m $NAME -v $V -k $ABI" &&
	grep -q ": built" "$T/out"; then
	pass root.dkms-build
else
	fail root.dkms-build "dkms build with the debug vmlinux present: $(tail -n 3 "$T/out" | tr '\n' ' ')"
fi

# --- removing the package removes the module ---
if inroot 'apt-get purge -y -q btf-vmlinux-dkms' &&
	! find "$M/lib/modules/$ABI" -name "$NAME.ko*" | grep -q . &&
	[ ! -d "$M/var/lib/dkms/$NAME" ] && [ ! -e "$M/etc/kernel/postinst.d/btf-vmlinux-dkms" ]; then
	pass root.purge
else
	fail root.purge "after apt-get purge: $(find "$M/lib/modules/$ABI" "$M/var/lib/dkms/$NAME" -name "$NAME*" 2>/dev/null | head -n 3 | tr '\n' ' ')"
fi

umount "$M/dev" "$M/proc"
mountpoint -q "$M" && umount "$M"
finish
