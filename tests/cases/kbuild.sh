#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# The kbuild/ module outside a guest: it builds without warnings (W=1)
# against a real distribution kernel's headers (Debian's cloud-amd64),
# rebuilds when the blob changes, passes checkpatch, and
# kbuild/check-build-id.sh reads build-ids from raw notes of either byte
# order and from ELF files, and refuses what does not match.
set -u
. "$(dirname "$0")/../lib.sh"

T=$D2B_TMP
KB=$D2B_SRC/kbuild
CHECK=$KB/check-build-id.sh

# --- check-build-id.sh on synthetic notes ---
# notes FILE ORDER(le|be) ID_HEX: a "Linux" note, then the GNU build-id note
u32() {
	_v=$1
	_b0=$((_v & 255)); _b1=$(((_v >> 8) & 255)); _b2=$(((_v >> 16) & 255)); _b3=$(((_v >> 24) & 255))
	if [ "$2" = le ]; then
		printf "\\$(printf %03o $_b0)\\$(printf %03o $_b1)\\$(printf %03o $_b2)\\$(printf %03o $_b3)"
	else
		printf "\\$(printf %03o $_b3)\\$(printf %03o $_b2)\\$(printf %03o $_b1)\\$(printf %03o $_b0)"
	fi
}
hexbytes() {
	echo "$1" | sed 's/../& /g' | tr ' ' '\n' | while read -r _h; do
		[ -n "$_h" ] && printf "\\$(printf %03o "0x$_h")"
	done
}
notes() {
	{
		u32 6 "$2"; u32 4 "$2"; u32 0x101 "$2"; printf 'Linux\000\000\000'; printf '\001\002\003\004'
		u32 4 "$2"; u32 $((${#3} / 2)) "$2"; u32 3 "$2"; printf 'GNU\000'; hexbytes "$3"
	} >"$1"
}
id1=0123456789abcdef0123456789abcdef01234567
id2=fedcba9876543210fedcba9876543210fedcba98
echo "$id1" >"$T/id1"
echo "$id2" >"$T/id2"
for order in le be; do
	notes "$T/notes.$order" "$order" "$id1"
	if sh "$CHECK" --notes "$T/notes.$order" "$T/id1" >"$T/out" 2>&1; then
		pass "build-id.notes-$order-match"
	else
		fail "build-id.notes-$order-match" "$(head -n 1 "$T/out")"
	fi
	if sh "$CHECK" --notes "$T/notes.$order" "$T/id2" >"$T/out" 2>&1; then
		fail "build-id.notes-$order-mismatch" "accepted a different build-id"
	elif grep -q "$id1" "$T/out" && grep -q "$id2" "$T/out"; then
		pass "build-id.notes-$order-mismatch"
	else
		fail "build-id.notes-$order-mismatch" "message does not name both ids: $(head -n 1 "$T/out")"
	fi
done
# KDIR mode: the running kernel's build tree reads the notes file
mkdir -p "$T/lib/modules" "$T/kdir"
if D2B_KERNEL_NOTES=$T/notes.le D2B_KERNEL_RELEASE=none sh "$CHECK" "$T/id1" "$T/kdir" >"$T/out" 2>&1; then
	fail build-id.kdir-unknown "accepted a KDIR with nothing to compare with"
else
	pass build-id.kdir-unknown
fi
mkdir -p "$T/lib/modules/9.9.9-test"
ln -s "$T/kdir" "$T/lib/modules/9.9.9-test/build"
if D2B_KERNEL_NOTES=$T/notes.be D2B_KERNEL_RELEASE=9.9.9-test D2B_MODULES_DIR=$T/lib/modules \
	sh "$CHECK" "$T/id1" "$T/kdir" >"$T/out" 2>&1 &&
	grep -q "notes.be" "$T/out" &&
	! D2B_KERNEL_NOTES=$T/notes.be D2B_KERNEL_RELEASE=9.9.9-test D2B_MODULES_DIR=$T/lib/modules \
	sh "$CHECK" "$T/id2" "$T/kdir" >/dev/null 2>&1; then
	pass build-id.kdir-running
else
	fail build-id.kdir-running "the running kernel's build tree does not use its notes: $(head -n 1 "$T/out")"
fi
if [ -r /sys/kernel/notes ]; then
	if sh "$CHECK" --notes /sys/kernel/notes "$T/id1" 2>&1 | grep -q "kernel's [0-9a-f]\{16,\}"; then
		pass build-id.host-notes
	else
		fail build-id.host-notes "no build-id read from this machine's /sys/kernel/notes"
	fi
fi
if has gcc && gcc -Wl,--build-id=sha1 -o "$T/prog" -x c - <<EOF 2>/dev/null
int main(void) { return 0; }
EOF
then
	readelf -n "$T/prog" | sed -n 's/.*Build ID: *//p' >"$T/id-prog"
	if sh "$CHECK" --vmlinux "$T/prog" "$T/id-prog" >/dev/null 2>&1 &&
		! sh "$CHECK" --vmlinux "$T/prog" "$T/id1" >/dev/null 2>&1; then
		pass build-id.elf
	else
		fail build-id.elf "--vmlinux does not accept the file's own id or accepts another"
	fi
fi
echo "not hex" >"$T/badid"
if ! sh "$CHECK" --notes "$T/notes.le" "$T/badid" >/dev/null 2>&1 &&
	! sh "$CHECK" --notes "$T/notes.le" "$T/missing" >/dev/null 2>&1; then
	pass build-id.bad-id-file
else
	fail build-id.bad-id-file "accepted a missing or malformed id file"
fi

# --- checkpatch on the module source, and on the stress test's control module ---
cp=$(ls "$D2B_CACHE"/linux-src/*/linux-source-*/scripts/checkpatch.pl 2>/dev/null | sort -V | tail -n 1)
if [ -z "$cp" ] || ! has perl; then
	skip checkpatch "no unpacked kernel source in $D2B_CACHE/linux-src yet (tests/kernel/build-kernel.sh unpacks it)"
else
	bad=
	for f in btf_sysfs.c btf_vmlinux.h btf_blob.S Kbuild ../tests/kernel/control/stress_control.c; do
		if ! perl "$cp" --no-tree -q -f "$KB/$f" >"$T/cp.${f##*/}" 2>&1; then
			bad="$bad $f"
		fi
	done
	if [ -z "$bad" ]; then
		pass checkpatch
	else
		fail checkpatch "style problems in:$bad"
		for f in $bad; do detail "$T/cp.${f##*/}" 15; done
	fi
fi

# --- build against Debian's cloud kernel headers ---
abi=$(apt-cache depends linux-image-cloud-amd64-dbg 2>/dev/null |
	sed -n 's/^ *Depends: linux-image-\(.*-cloud-amd64\)-dbg$/\1/p' | head -n 1)
[ -n "$abi" ] || abi=$(ls -d /usr/src/linux-headers-*-cloud-amd64 2>/dev/null | sort -V | tail -n 1 | sed 's,.*/linux-headers-,,')
if [ -z "$abi" ]; then
	skip headers-build "cannot tell the Debian cloud kernel ABI (apt lists missing?)"
	finish
fi
H=/usr/src/linux-headers-$abi
if [ ! -f "$H/Makefile" ] && [ "$(id -u)" -eq 0 ]; then
	note "installing linux-headers-$abi"
	env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o APT::Install-Recommends=false \
		install "linux-headers-$abi" >"$T/apt.log" 2>&1 ||
		{ apt-get -q update >/dev/null 2>&1 &&
		  env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o APT::Install-Recommends=false \
			install "linux-headers-$abi" >"$T/apt.log" 2>&1; }
fi
if [ ! -f "$H/Makefile" ]; then
	skip headers-build "linux-headers-$abi not installed and cannot be installed: $(tail -n 1 "$T/apt.log" 2>/dev/null)"
	finish
fi
if ! has gcc || ! has clang; then
	skip headers-build "needs gcc"
	finish
fi
# a small, valid blob is enough to build (the guest test loads a real one)
gcc -g -c -o "$T/blob.o" "$D2B_SRC/tests/fixtures/structs.c" &&
	"$D2B" "$T/blob.o" -o "$T/blob.btf" 2>"$T/err" ||
	{ fail headers-build "cannot make a blob: $(head -n 1 "$T/err")"; finish; }
M=$T/kbuild
cp -r "$KB" "$M"
make -C "$M" clean KDIR="$H" >/dev/null 2>&1
t0=$(date +%s)
make -C "$M" BTF="$T/blob.btf" KDIR="$H" BUILD_ID_CHECK=0 W=1 >"$T/build.log" 2>&1
rc=$?
t1=$(date +%s)
if [ "$rc" -ne 0 ] || [ ! -f "$M/btf_vmlinux.ko" ]; then
	fail headers-build "make against $H: exit $rc"
	tail -n 15 "$T/build.log" | detail - 15
	finish
elif grep -qi 'warning' "$T/build.log"; then
	fail headers-build "warnings with W=1 against $H"
	grep -i 'warning' "$T/build.log" | detail - 10
else
	pass headers-build
	note "built against $H with W=1 in $((t1 - t0))s"
fi
lic=$(objcopy -O binary --only-section=.modinfo "$M/btf_vmlinux.ko" /dev/stdout 2>/dev/null |
	tr '\000' '\n' | sed -n 's/^license=//p')
if [ "$lic" = "Dual BSD/GPL" ]; then
	pass modinfo-license
else
	fail modinfo-license "license '$lic'"
fi
# without a build-id file and without BUILD_ID_CHECK=0 it refuses
if make -C "$M" BTF="$T/blob.btf" KDIR="$H" >"$T/nocheck.log" 2>&1; then
	fail headers-build-id-required "built without a way to check the build-id"
else
	pass headers-build-id-required
fi
# a changed blob rebuilds the blob object (and only it, with the module)
sleep 1
cp "$T/blob.btf" "$T/blob.tmp" && mv "$T/blob.tmp" "$T/blob.btf"
make -C "$M" BTF="$T/blob.btf" KDIR="$H" BUILD_ID_CHECK=0 W=1 >"$T/rebuild.log" 2>&1
if grep -q 'AS \[M\].*btf_blob.o' "$T/rebuild.log" && ! grep -q 'CC \[M\].*btf_sysfs.o' "$T/rebuild.log"; then
	pass rebuild-on-blob-change
else
	fail rebuild-on-blob-change "blob object not rebuilt (or everything was)"
	detail "$T/rebuild.log" 10
fi
make -C "$M" BTF="$T/blob.btf" KDIR="$H" BUILD_ID_CHECK=0 W=1 >"$T/rebuild2.log" 2>&1
if grep -q '\[M\]' "$T/rebuild2.log"; then
	fail no-rebuild-when-unchanged "rebuilt with nothing changed"
else
	pass no-rebuild-when-unchanged
fi
finish
