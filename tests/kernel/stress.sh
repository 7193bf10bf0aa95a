#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# The module under stress on a debug kernel (make check-stress, or
# tests/cases/module-stress.sh from make check once that kernel is built):
#
#   1. the 6.1 test kernel with KASAN, lockdep, kmemleak, debug objects,
#      kobject release debugging and failslab (build-kernel.sh 6.1 debug,
#      tests/kernel/config-debug)
#   2. its BTF by dwarf2btf; btf_vmlinux.ko with it, with a corrupted blob,
#      and under a second name; the positive control module
#      (tests/kernel/control/); the guest's reader (btf-stress.c)
#   3. one boot in QEMU (2 CPUs) whose /init (stress-init.sh) loads and
#      unloads the module D2B_STRESS_CYCLES times (default 200) under
#      parallel readers, loads a second copy both ways round, the corrupted
#      blob 20 times, and the module with each of its allocations failing in
#      turn; then checks kmemleak and lockdep, and loads the control
#   4. here: the kernel log of the stress phase must hold no report of any
#      detector (BUG:, WARNING:, KASAN, lockdep, kmemleak, UBSAN, ODEBUG, a
#      call trace, list corruption, a hung or locked-up task), and that of
#      the control phase must hold KASAN's and lockdep's reports, so that
#      a clean log means clean, not blind
#
# The kernel log is the evidence: kept as
# $D2B_CACHE/module-stress/<release>-<UTC time>.log (the newest ten stay).
#
# Environment: D2B_STRESS_BUILD=1 builds the debug kernel when it is not in
# the cache (about 11 minutes on two cores; make check-stress sets it),
# otherwise the test is skipped; D2B_SKIP_KERNEL=1 skips it;
# D2B_STRESS_CYCLES, D2B_STRESS_READERS, D2B_STRESS_FAILNTH_STEP (1: every
# allocation of a load fails in turn; N: every Nth); D2B_QEMU_TIMEOUT (default 7200 s);
# D2B_QEMU_ACCEL (default tcg).
set -u
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/guest.sh"

KT=$D2B_SRC/tests/kernel
T=$D2B_TMP
CYCLES=${D2B_STRESS_CYCLES:-200}
FAILNTH_STEP=${D2B_STRESS_FAILNTH_STEP:-1}
READERS=${D2B_STRESS_READERS:-4}

guest_can_run module-stress "static busybox and btf-stress" || finish
need_pkgs=
has qemu-system-x86_64 || need_pkgs="$need_pkgs qemu-system-x86"
[ -x /bin/busybox ] && LC_ALL=C ldd /bin/busybox 2>&1 | grep -q 'not a dynamic' ||
	need_pkgs="$need_pkgs busybox-static"
has cpio || need_pkgs="$need_pkgs cpio"
[ -f /usr/lib/x86_64-linux-gnu/libc.a ] || need_pkgs="$need_pkgs libc6-dev"
if [ "${D2B_STRESS_BUILD:-0}" = 1 ]; then
	for p in flex bison bc; do
		has "$p" || need_pkgs="$need_pkgs $p"
	done
	[ -f /usr/include/openssl/ssl.h ] || need_pkgs="$need_pkgs libssl-dev"
	[ -f /usr/include/libelf.h ] || need_pkgs="$need_pkgs libelf-dev"
fi
# shellcheck disable=SC2086
install_missing module-stress skip $need_pkgs || finish

# --- 1. the debug kernel ---
nobuild=1
[ "${D2B_STRESS_BUILD:-0}" = 1 ] && nobuild=0
K=$(D2B_NO_BUILD=$nobuild sh "$KT/build-kernel.sh" 6.1 debug 2>"$T/build-kernel.log")
rc=$?
if [ "$rc" -eq 3 ]; then
	skip module-stress "the debug kernel is not built: make check-stress builds it (about 11 minutes)"
	finish
elif [ "$rc" -ne 0 ]; then
	fail build-kernel "$(tail -n 1 "$T/build-kernel.log")"
	detail "$T/build-kernel.log" 30
	finish
fi
pass build-kernel
release=$(cat "$K/include/config/kernel.release")
note "debug kernel: $K (built in $(cat "$K/.d2b-complete")s)"

# --- 2. BTF, modules, reader ---
if ! "$D2B" "$K/vmlinux" -o "$T/vmlinux.btf" 2>"$T/conv.err"; then
	fail convert "dwarf2btf on the debug kernel: $(head -n 1 "$T/conv.err")"
	finish
fi
pass convert
note "vmlinux.btf: $(wc -c <"$T/vmlinux.btf") bytes"
btf_corrupt "$T/vmlinux.btf" "$T/bad.btf" || { fail convert "cannot copy the BTF"; finish; }
# a small blob for the failnth phase: the BTF of btf-stress itself
if ! gcc -g -O2 -c -o "$T/btf-stress-g.o" "$KT/btf-stress.c" 2>"$T/small.err" ||
	! "$D2B" "$T/btf-stress-g.o" -o "$T/small.btf" 2>>"$T/small.err"; then
	fail convert "the small blob: $(head -n 1 "$T/small.err")"
	finish
fi
rm -rf "$T/control"
cp -r "$KT/control" "$T/control"
if ! kmod_build "$T/mod-good" "$T/vmlinux.btf" || ! kmod_build "$T/mod-bad" "$T/bad.btf" ||
	! kmod_build "$T/mod-two" "$T/vmlinux.btf" MODNAME=btf_vmlinux_two ||
	! kmod_build "$T/mod-small" "$T/small.btf" BUILD_ID_CHECK=0 ||
	! make -C "$K" M="$T/control" W=1 modules >"$T/control.log" 2>&1; then
	fail module-build "a module did not build against the debug kernel"
	tail -n 15 "$T"/mod-*.log "$T/control.log" | detail - 30
	finish
fi
if grep -q 'warning:' "$T"/mod-*.log "$T/control.log"; then
	fail module-build "warnings building against the debug kernel"
	grep 'warning:' "$T"/mod-*.log "$T/control.log" | detail - 10
	finish
fi
if ! gcc -static -O2 -Wall -Wextra -Werror -o "$T/btf-stress" "$KT/btf-stress.c" \
	2>"$T/gcc.err"; then
	fail module-build "gcc -static btf-stress.c: $(head -n 1 "$T/gcc.err")"
	finish
fi
pass module-build

# --- 3. the guest ---
R=$T/root
guest_root "$R" "$KT/stress-init.sh"
mkdir -p "$R/bad" "$R/other" "$R/small" "$R/control"
cp "$T/btf-stress" "$T/vmlinux.btf" "$T/mod-good/btf_vmlinux.ko" "$R/"
cp "$T/mod-bad/btf_vmlinux.ko" "$R/bad/"
cp "$T/mod-two/btf_vmlinux_two.ko" "$R/other/"
cp "$T/mod-small/btf_vmlinux.ko" "$R/small/"
cp "$T/small.btf" "$R/"
cp "$T/control/stress_control.ko" "$R/control/"
guest_cpio "$R" "$T/initramfs.cpio" || { fail initramfs "cpio failed"; finish; }
L=$T/kernel.log
guest_boot "$K" "$T/initramfs.cpio" "$L" "${D2B_QEMU_TIMEOUT:-7200}" \
	"ignore_loglevel d2b.cycles=$CYCLES d2b.readers=$READERS d2b.failnth_step=$FAILNTH_STEP" \
	-cpu max -m 2G -smp 2
note "qemu ($guest_accel) ran ${guest_secs}s, exit $guest_rc, kernel $release"
keep=$D2B_CACHE/module-stress
mkdir -p "$keep"
kept=$keep/$release-$(date -u +%Y%m%dT%H%M%SZ).log
cp "$L" "$kept"
ls -t "$keep"/*.log | tail -n +11 | xargs rm -f
note "kernel log: $kept"
sed -n 's/^MARK # /  guest: /p' "$L.marks" | detail - 40
guest_checks "$L.marks" det-kasan det-kmemleak det-lockdep det-failslab cycles readers \
	second-copy corrupt-refused failnth no-leaks lockdep-still-on control-kmemleak \
	control-lockdep-off
if ! grep -q '^MARK done' "$L.marks"; then
	fail guest.completed "init did not reach the end; kernel log tail:"
	tail -n 40 "$L" | detail - 40
	finish
fi
pass guest.completed

# --- 4. the kernel log ---
# phase NAME: the log from "MARK phase NAME" to the next MARK phase or done,
# without the guest's own lines
phase() {
	sed -n "/^MARK phase $1\$/,/^MARK \\(phase\\|done\\)/p" "$L" | grep -v '^MARK'
}
# clean NAME FILE: no detector report in FILE, the log of phase NAME
REPORTS='BUG:|WARNING:|KASAN|lockdep|kmemleak|UBSAN|ODEBUG|Call Trace|list_(add|del) corruption|general protection|Oops|soft lockup|blocked for more than|cannot create duplicate'
clean() {
	grep -E "$REPORTS" "$2" >"$2.reports"
	if [ -s "$2.reports" ]; then
		fail "log.$1-clean" "detector reports in the $1 phase:"
		detail "$2.reports" 40
	else
		pass "log.$1-clean"
	fi
}
sed -n '1,/^MARK phase stress$/p' "$L" | grep -E 'BUG:|WARNING:|Call Trace|ODEBUG|UBSAN' >"$T/boot.reports"
if [ -s "$T/boot.reports" ]; then
	fail log.boot-clean "the kernel reported problems while booting, before the module ran"
	detail "$T/boot.reports" 20
else
	pass log.boot-clean
fi
phase stress >"$T/stress.log"
note "stress phase: $(wc -l <"$T/stress.log") lines of kernel log"
# the module's own lines at least: a log that stopped would look clean
if grep -q 'btf_vmlinux: serving' "$T/stress.log"; then
	pass log.stress-seen
else
	fail log.stress-seen "no line of the module in the kernel log of the stress phase"
fi
clean stress "$T/stress.log"
# A failed allocation is reported by the allocator (warn_alloc: the
# failure, a call trace, the memory state up to "N pages reserved"), or by
# kmemleak when its own bookkeeping is what failed: those reports are the
# injected failures themselves and are left out; anything else in this
# phase is a finding.
phase failnth | awk '
	/kmemleak: Cannot allocate/ { n++; next }
	/vmalloc error: |page allocation failure: / { skip = 1; n++ }
	!skip { print }
	skip && / pages reserved$/ { skip = 0 }
	END { print n + 0 >"/dev/stderr" }' >"$T/failnth.log" 2>"$T/failnth.count"
note "failnth phase: $(cat "$T/failnth.count") allocation-failure reports of the injected failures left out"
clean failnth "$T/failnth.log"
phase after >"$T/after.log"
clean after "$T/after.log"
phase control >"$T/control.log"
missing=
grep -q 'BUG: KASAN: slab-out-of-bounds' "$T/control.log" || missing="$missing KASAN"
grep -q 'possible circular locking dependency' "$T/control.log" || missing="$missing lockdep"
grep -q 'stress_control' "$T/control.log" || missing="$missing (no line of the module)"
if [ -n "$missing" ]; then
	fail log.control-reported "the control's reports are missing:$missing"
else
	pass log.control-reported
	grep -E 'BUG: KASAN|possible circular' "$T/control.log" | detail - 4
fi
finish
