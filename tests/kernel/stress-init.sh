#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# /init of the module stress test's initramfs (tests/kernel/stress.sh), run
# on the debug kernel (KASAN, lockdep, kmemleak, debug objects, kobject
# release debugging, failslab). Reports each check on the serial console
# as "MARK name PASS|FAIL [detail]", detail lines as "MARK # text", and
# the phases as "MARK phase NAME": the host reads the kernel log between
# them. Files: /btf-stress, /vmlinux.btf, /btf_vmlinux.ko,
# /bad/btf_vmlinux.ko (corrupted blob), /other/btf_vmlinux_two.ko (a second
# copy under another name), /small/btf_vmlinux.ko with /small.btf (a small
# blob), /control/stress_control.ko.
# Kernel command line: d2b.cycles=N (default 200), d2b.readers=N (4),
# d2b.failnth_step=N (1: every allocation of a load fails in turn).

. /guest-init.sh
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
param() { sed -n "s/.*d2b\\.$1=\\([0-9]*\\).*/\\1/p" /proc/cmdline; }
cycles=$(param cycles)
cycles=${cycles:-200}
readers=$(param readers)
readers=${readers:-4}
step=$(param failnth_step)
step=${step:-1}
KL=/sys/kernel/debug/kmemleak
SYSFS=/sys/kernel/btf/vmlinux
mark "boot $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPUs, $cycles cycles, $readers readers"

# --- the detectors are there and armed ---
dmesg | grep -q 'KernelAddressSanitizer initialized'
check det-kasan $? "KASAN did not initialise"
[ -w "$KL" ] && echo scan >"$KL" && echo clear >"$KL"
check det-kmemleak $? "no $KL, or kmemleak is off"
grep -q 'debug_locks: *1' /proc/lockdep_stats
check det-lockdep $? "lockdep is off: $(grep debug_locks /proc/lockdep_stats)"
[ -d /sys/kernel/debug/failslab ] && [ -e /proc/self/fail-nth ]
check det-failslab $? "no failslab or fail-nth"

mark "phase stress"

# --- load and unload, readers in parallel ---
rm -f /tmp/stop
r=1
pids=
while [ "$r" -le "$readers" ]; do
	/btf-stress read "$SYSFS" /vmlinux.btf /tmp/stop "$r" >"/tmp/reader.$r" 2>&1 &
	pids="$pids $!"
	r=$((r + 1))
done
i=0
bad=
t0=$(date +%s)
while [ "$i" -lt "$cycles" ]; do
	i=$((i + 1))
	if ! insmod /btf_vmlinux.ko 2>/tmp/insmod.err; then
		bad="cycle $i: insmod: $(cat /tmp/insmod.err)"
		break
	fi
	# the cycle's own read, by cmp or by cat in turn
	if [ $((i % 2)) -eq 0 ]; then
		cmp -s "$SYSFS" /vmlinux.btf
	else
		cat "$SYSFS" >/tmp/cat.btf && cmp -s /tmp/cat.btf /vmlinux.btf
	fi || { bad="cycle $i: the file differs from vmlinux.btf"; break; }
	if ! rmmod btf_vmlinux 2>/tmp/rmmod.err; then
		bad="cycle $i: rmmod: $(cat /tmp/rmmod.err)"
		break
	fi
	if [ -e /sys/kernel/btf ]; then
		bad="cycle $i: /sys/kernel/btf still there after rmmod"
		break
	fi
done
t1=$(date +%s)
touch /tmp/stop
rbad=
for p in $pids; do
	wait "$p" || rbad="$rbad $p"
done
r=1
while [ "$r" -le "$readers" ]; do
	log "/tmp/reader.$r"
	r=$((r + 1))
done
mark "# $i load/read/unload cycles in $((t1 - t0)) s"
[ -z "$bad" ]
check cycles $? "$bad"
[ -z "$rbad" ] && ! grep -q MISMATCH /tmp/reader.*
check readers $? "a reader failed (pids$rbad)"
rmmod btf_vmlinux 2>/dev/null

# --- a second copy under another name, in either order ---
insmod /btf_vmlinux.ko && ! insmod /other/btf_vmlinux_two.ko 2>/dev/null &&
	cmp -s "$SYSFS" /vmlinux.btf && rmmod btf_vmlinux &&
	insmod /other/btf_vmlinux_two.ko && ! insmod /btf_vmlinux.ko 2>/dev/null &&
	cmp -s "$SYSFS" /vmlinux.btf && rmmod btf_vmlinux_two && [ ! -e /sys/kernel/btf ]
check second-copy $? "a second copy loaded, or the first one stopped serving"
rmmod btf_vmlinux btf_vmlinux_two 2>/dev/null

# --- a corrupted blob, many times: refused, nothing left behind ---
i=0
ok=0
while [ "$i" -lt 20 ]; do
	i=$((i + 1))
	if insmod /bad/btf_vmlinux.ko 2>/dev/null || [ -e /sys/kernel/btf ]; then
		ok=1
		rmmod btf_vmlinux 2>/dev/null
		break
	fi
done
check corrupt-refused $ok "the corrupted blob loaded, or left /sys/kernel/btf (try $i)"

mark "phase failnth"

# --- every allocation of a load failing in turn: the error paths ---
# (the module with a small blob: the same code, each load a fraction of the
# time; the full blob was loaded 200 times above)
echo N >/sys/kernel/debug/failslab/ignore-gfp-wait
echo 0 >/sys/kernel/debug/failslab/verbose
/btf-stress failnth /small/btf_vmlinux.ko /small.btf 20000 "$step" >/tmp/failnth.log 2>&1
rc=$?
log /tmp/failnth.log
check failnth $rc "btf-stress failnth exit $rc"
rmmod btf_vmlinux 2>/dev/null

mark "phase after"

# --- leaks (kmemleak reports objects older than 5 s), lockdep still on ---
sleep 6
echo scan >"$KL"
echo scan >"$KL"
cat "$KL" >/tmp/leaks
log /tmp/leaks
[ ! -s /tmp/leaks ]
check no-leaks $? "kmemleak reports $(grep -c 'unreferenced object' /tmp/leaks) objects"
grep -q 'debug_locks: *1' /proc/lockdep_stats
check lockdep-still-on $? "lockdep turned itself off (it does after its first report)"

mark "phase control"

# --- the positive control: each detector must report it ---
insmod /control/stress_control.ko
sleep 6
echo scan >"$KL"
echo scan >"$KL"
cat "$KL" >/tmp/leaks
grep -q 'unreferenced object' /tmp/leaks
check control-kmemleak $? "kmemleak did not report the control's leak"
grep 'unreferenced object\|stress_control' /tmp/leaks | head -n 4 | sed 's/^/MARK # kmemleak: /'
! grep -q 'debug_locks: *1' /proc/lockdep_stats
check control-lockdep-off $? "lockdep still on after the control's lock inversion"

mark done
reboot -f
