#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Real, unmodified CO-RE clients on kernels without BTF (make check-tools,
# or tests/cases/tools.sh from make check). Debian's libbpf-tools (every
# binary), bpftrace one-liners that read kernel structs from BTF, and
# bpftool run in QEMU guests that see the host's root read-only over 9p:
#
#   1  the 6.1 test kernel without BTF, nothing else
#   2  the same kernel with btf_vmlinux.ko serving our BTF
#   3  the same kernel with our raw BTF at /boot/vmlinux-$(uname -r)
#   4  the same kernel built with CONFIG_DEBUG_INFO_BTF=y (the reference)
#   5  the 6.12 test kernel without BTF, with btf_vmlinux.ko
#
# Each guest runs tests/kernel/tools-run.sh: every client at once, then a
# workload (exec, open, stat, create and unlink, mount, TCP on loopback,
# direct I/O on a virtio disk, a signal, getaddrinfo), then SIGINT. The
# checks below decide per client whether it works: it started, reported the
# workload's events, and the fields it printed (pids, comm, paths, port,
# signal, disk, histogram buckets) are what the workload did. Results go
# to $D2B_BUILD/tools/matrix.txt (the table behind docs/tools.md).
#
# Environment: D2B_SKIP_KERNEL=1 skips it; D2B_QEMU_ACCEL (default tcg;
# kvm where it works); D2B_QEMU_TIMEOUT (default 1200 s);
# D2B_TOOLS_SITUATIONS: only these situations (default "1 2 3 4 5").
set -u
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/guest.sh"

KT=$D2B_SRC/tests/kernel
T=$D2B_TMP

guest_can_run tools "the host's programs" || finish

# --- packages ---
need_pkgs=
for p in qemu-system-x86 busybox-static cpio libbpf-tools bpftrace bpftool e2fsprogs \
	clang libbpf-dev flex bison bc libelf-dev libssl-dev procps; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || need_pkgs="$need_pkgs $p"
done
# shellcheck disable=SC2086
install_missing tools fail $need_pkgs || finish
note "libbpf-tools $(dpkg-query -W -f='${Version}' libbpf-tools), bpftrace $(dpkg-query -W -f='${Version}' bpftrace), bpftool $(dpkg-query -W -f='${Version}' bpftool)"

# Every libbpf-tools binary has its line in tools.list.
missing=
for f in $(dpkg-query -L libbpf-tools | grep '^/usr/sbin/.'); do
	grep -q "^$(basename "$f") " "$KT/tools.list" || missing="$missing $(basename "$f")"
done
if [ -n "$missing" ]; then
	fail tools.list "libbpf-tools binaries not in tests/kernel/tools.list:$missing"
else
	pass tools.list
fi

# --- kernels ---
# kernel VAR BUILD-KERNEL-ARGS...: VAR is the build directory
kernel() {
	_v=$1
	shift
	if ! _p=$(sh "$KT/build-kernel.sh" "$@" 2>"$T/build-kernel.log"); then
		fail "build-kernel.$*" "$(tail -n 1 "$T/build-kernel.log")"
		detail "$T/build-kernel.log" 20
		return 1
	fi
	eval "$_v=\$_p"
}
SITS=${D2B_TOOLS_SITUATIONS:-1 2 3 4 5}
want() { case " $SITS " in *" $1 "*) return 0 ;; esac; return 1; }
t0=$(date +%s)
kernel K61 6.1 || finish
K61B=
K612=
! want 4 || kernel K61B 6.1 btf || finish
! want 5 || kernel K612 6.12 || finish
t1=$(date +%s)
pass build-kernels
note "kernels ready in $((t1 - t0))s; build times when made: 6.1 $(cat "$K61/.d2b-complete")s${K61B:+, 6.1 with BTF $(cat "$K61B/.d2b-complete")s}${K612:+, 6.12 $(cat "$K612/.d2b-complete")s}"

# --- our BTF and module for each kernel without BTF ---
# prepare NAME KDIR: $T/NAME.btf and $T/NAME-mod/btf_vmlinux.ko
prepare() {
	if ! "$D2B" "$2/vmlinux" -o "$T/$1.btf" 2>"$T/$1.conv.err"; then
		fail "convert.$1" "$(head -n 1 "$T/$1.conv.err")"
		return 1
	fi
	rm -rf "$T/$1-mod"
	cp -r "$D2B_SRC/kbuild" "$T/$1-mod"
	if ! make -C "$T/$1-mod" BTF="$T/$1.btf" KDIR="$2" >"$T/$1-mod.log" 2>&1; then
		fail "module.$1" "building kbuild/ against $2 failed"
		tail -n 15 "$T/$1-mod.log" | detail - 15
		return 1
	fi
	pass "prepare.$1"
}
prepare k61 "$K61" || finish
[ -z "$K612" ] || prepare k612 "$K612" || finish

# A CO-RE object for bpftool prog loadall, against our vmlinux.h.
if ! "$D2B" --header "$T/k61.btf" >"$T/vmlinux.h" 2>"$T/hdr.err" ||
	! clang -O2 -g -target bpf -D__TARGET_ARCH_x86 -I"$T" -I"$KT" \
		-c "$KT/exec_trace.bpf.c" -o "$T/exec_trace.bpf.o" 2>"$T/clang.err"; then
	fail bpf-object "$(cat "$T/hdr.err" "$T/clang.err" | head -n 1)"
	finish
fi

# --- one guest ---
# boot SITUATION KDIR BTF MODULE LIST: outputs in $T/out-SITUATION/
boot() {
	_s=$1
	_d=$T/g$_s
	rm -rf "$_d"
	mkdir -p "$_d/disk/bb"
	cp /bin/busybox "$_d/disk/bb/busybox"
	ln -s busybox "$_d/disk/bb/nc"
	ln -s busybox "$_d/disk/bb/stat"
	cp "$KT/tools-run.sh" "$T/exec_trace.bpf.o" "$_d/disk/"
	cp "$5" "$_d/disk/tools.list"
	mkfs.ext4 -q -F -L d2b -d "$_d/disk" "$_d/disk.img" 256M >/dev/null 2>&1 ||
		{ fail "guest$_s" "mkfs.ext4 failed"; return 1; }
	guest_root "$_d/root" "$KT/tools-init.sh"
	cp "$3" "$_d/root/vmlinux.btf"
	cp "$4" "$_d/root/btf_vmlinux.ko"
	guest_cpio "$_d/root" "$_d/initramfs.cpio"
	guest_boot "$2" "$_d/initramfs.cpio" "$_d/serial.log" "${D2B_QEMU_TIMEOUT:-1200}" \
		"loglevel=4 d2b.situation=$_s" -cpu max -m 3G -smp 2 \
		-drive "file=$_d/disk.img,format=raw,if=virtio" \
		-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap
	mv "$_d/serial.log.marks" "$_d/marks"
	note "guest $_s: $(sed -n 's/^MARK boot //p' "$_d/marks"), qemu ($guest_accel) ${guest_secs}s, exit $guest_rc"
	rm -rf "$T/out-$_s"
	if ! debugfs -R "rdump /out $_d" "$_d/disk.img" >/dev/null 2>&1 || [ ! -f "$_d/out/situation" ]; then
		fail "guest$_s" "no results from the guest (qemu exit $guest_rc); serial log tail:"
		tail -n 25 "$_d/serial.log" | detail - 25
		return 1
	fi
	mv "$_d/out" "$T/out-$_s"
	sed -n 's/^MARK # /  /p' "$_d/marks" | detail - 10
	note "guest $_s: $(cat "$T/out-$_s/ready")"
	grep -q '^MARK setup PASS' "$_d/marks" || fail "guest$_s.setup" "$(grep -m1 '^MARK setup' "$_d/marks")"
}

# --- the checks ---
# has_line FILE ERE...: some line of FILE matches every pattern
has_line() {
	_f=$1
	shift
	cp "$_f" "$T/hl.0" 2>/dev/null || return 1
	for _p in "$@"; do
		grep -E -- "$_p" "$T/hl.0" >"$T/hl.1" || return 1
		mv "$T/hl.1" "$T/hl.0"
	done
}
# histogram FILE: a log2 or linear histogram with a non-empty bucket
histogram() { has_line "$1" '^ *[0-9]+( -> [0-9]+)? *: *[1-9][0-9]* *\|\*'; }

# works NAME DIR: 0 when the client's output in DIR shows the workload;
# otherwise 1, with the reason in $why. The workload's facts are in
# DIR/workload.env (two runs: two values of each pid).
works() {
	_o=$2/$1.out
	why=
	if [ ! -f "$_o" ]; then
		why="did not run"
		return 1
	fi
	_w=$(sed -n 's/^WPID=//p' "$2/workload.env" | tr '\n' '|')
	_w="(${_w%|})"
	_sig=$(sed -n 's/^SIG_PID=//p' "$2/workload.env" | tr '\n' '|')
	_sig="(${_sig%|})"
	case $1 in
	execsnoop) has_line "$_o" '^d2bexec ' " $_w " ;;
	exitsnoop) has_line "$_o" '^d2bexec ' " $_w " ' 7$' ;;
	opensnoop) has_line "$_o" ' cat ' '/tmp/d2b-open-marker$' ;;
	statsnoop) has_line "$_o" ' stat ' '/tmp/d2b-stat-marker$' ;;
	filelife) has_line "$_o" ' d2b-filelife$' ;;
	mountsnoop) has_line "$_o" 'd2btmpfs' '/tmp/d2bmnt' ;;
	capable) has_line "$_o" ' mount ' 'CAP_SYS_ADMIN' ;;
	sigsnoop | killsnoop) has_line "$_o" "^[0-9:]+ +$_w +d2bwork +10 +$_sig " ;;
	bindsnoop) has_line "$_o" ' nc ' ' 4242' ;;
	solisten) has_line "$_o" ' nc ' ' 4242' ;;
	tcpconnect | tcpconnlat) has_line "$_o" ' nc ' '127\.0\.0\.1' ' 4242' ;;
	tcplife) has_line "$_o" ' nc ' '127\.0\.0\.1' ' 4242' ;;
	tcpstates) has_line "$_o" '127\.0\.0\.1' ' 4242 ' 'ESTABLISHED' ;;
	tcptracer) has_line "$_o" ' nc ' '127\.0\.0\.1' ' 4242' ;;
	tcptop) has_line "$_o" '127\.0\.0\.1:4242' ;;
	tcprtt | tcpsynbl | biolatency | biostacks | cpudist | runqlat | runqlen | funclatency | \
		fsdist | ext4dist) histogram "$_o" ;;
	bitesize) has_line "$_o" 'dd' && histogram "$_o" ;;
	biosnoop) has_line "$_o" '^[0-9.]+ +dd ' ' vda ' ;;
	biopattern) has_line "$_o" 'vda +[0-9]+ +[0-9]+ +[1-9]' ;;
	biotop) has_line "$_o" ' dd ' 'vda' ;;
	fsslower | ext4slower) has_line "$_o" ' dd ' 'd2b-io' ;;
	filetop) has_line "$_o" ' dd ' 'd2b-io' ;;
	gethostlatency) has_line "$_o" ' getent ' 'localhost' ;;
	cachestat) has_line "$_o" '^ *[0-9]+ +[0-9]+ +[0-9]+ +[0-9.]+%' ;;
	vfsstat) has_line "$_o" '^[0-9:]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+' ;;
	syscount) has_line "$_o" '^ *[a-z_0-9]+ +[1-9][0-9]*$' ;;
	hardirqs) has_line "$_o" '^virtio[0-9]+ +[0-9]+$' ;;
	softirqs) has_line "$_o" '^ *[a-z_0-9-]+ +[1-9][0-9]*$' ;;
	runqslower) has_line "$_o" '^[0-9:]+ +[^ ]+ +[0-9]+ +[0-9]+$' ;;
	offcputime | wakeuptime) has_line "$_o" 'schedule' ;;
	slabratetop) has_line "$_o" '^[a-z_0-9-]+ +[1-9][0-9]* +[1-9][0-9]*$' ;;
	readahead) has_line "$_o" 'Readahead unused/total pages' ;;
	llcstat) has_line "$_o" '^ *[0-9]+ +[0-9]+ ' ;;
	klockstat) has_line "$_o" 'Caller' ;;
	ksnoop) has_line "$_o" 'vfs_unlink' ;;
	bt-task | bt-task-env) has_line "$_o" "^D2BBT exec pid=[0-9]+ ppid=$_w\$" ;;
	bt-sock) has_line "$_o" '^D2BBT connect family=2 dport=37392 comm=nc$' ;;
	bt-path) has_line "$_o" '^D2BBT open name=d2b-open-marker comm=cat$' ;;
	*)
		# nothing the workload can make happen: attached and ran until
		# stopped, without an error
		! grep -qiE 'fail|error|not supported|no such' "$_o" &&
			grep -qx 'rc=0' "$2/$1.rc" 2>/dev/null
		;;
	esac && return 0
	why=$(grep -m1 -iE 'fail|error|not supported|no such|invalid|unknown|cannot' "$_o" |
		sed "s/^libbpf: //" | tr -d "|" | cut -c1-110)
	[ -n "$why" ] || why="no workload event in its output ($(wc -l <"$_o") lines)"
	return 1
}

# refuses NAME DIR: the client stopped and said it lacks BTF
refuses() {
	! grep -qx 'rc=0' "$2/$1.rc" 2>/dev/null && grep -qiE 'BTF|struct' "$2/$1.out"
}

# --- situations ---
grep -v '^#' "$KT/tools.list" >"$T/all.list"
grep -E '^(execsnoop|opensnoop|tcpconnect|exitsnoop|biosnoop|statsnoop|bt-task|bt-sock|bt-path|bt-task-env) ' \
	"$KT/tools.list" >"$T/612.list"
! want 1 || boot 1 "$K61" "$T/k61.btf" "$T/k61-mod/btf_vmlinux.ko" "$T/all.list"
if want 2 && boot 2 "$K61" "$T/k61.btf" "$T/k61-mod/btf_vmlinux.ko" "$T/all.list"; then
	grep -q "^MARK served PASS" "$T/g2/marks" && pass served.6.1 ||
		fail served.6.1 "$(grep -m1 "^MARK served" "$T/g2/marks")"
fi
! want 3 || boot 3 "$K61" "$T/k61.btf" "$T/k61-mod/btf_vmlinux.ko" "$T/all.list"
! want 4 || boot 4 "$K61B" "$T/k61.btf" "$T/k61-mod/btf_vmlinux.ko" "$T/all.list"
if want 5 && boot 5 "$K612" "$T/k612.btf" "$T/k612-mod/btf_vmlinux.ko" "$T/612.list"; then
	grep -q "^MARK served PASS" "$T/g5/marks" && pass served.6.12 ||
		fail served.6.12 "$(grep -m1 "^MARK served" "$T/g5/marks")"
fi

mkdir -p "$D2B_BUILD/tools"
M=$D2B_BUILD/tools/matrix.txt
: >"$M"
: >"$D2B_BUILD/tools/bpftool.txt"
n4=0
n2=0
n3=0
while read -r name cmd; do
	row="$name"
	for s in 1 2 3 4 5; do
		[ -d "$T/out-$s" ] || { row="$row|-"; continue; }
		if [ "$s" = 5 ] && ! grep -q "^$name " "$T/612.list"; then
			row="$row|-"
		elif works "$name" "$T/out-$s"; then
			row="$row|works"
		elif [ "$s" = 1 ] && refuses "$name" "$T/out-$s"; then
			row="$row|refuses: $(grep -m1 -iE 'BTF|struct' "$T/out-$s/$name.out" | sed 's/^libbpf: //' | cut -c1-80)"
		else
			row="$row|fails: $why"
		fi
	done
	echo "$row" >>"$M"
done <"$T/all.list"

# cell NAME SITUATION: that cell of the matrix
cell() { awk -F'|' -v n="$1" -v c=$(($2 + 1)) '$1 == n { print $c }' "$M"; }
# excused SITUATION NAME: the reason tests/exceptions/tools.txt gives, if any
excused() { awk -v s="$1" -v n="$2" '$1 == s && $2 == n { $1 = $2 = ""; sub(/^ +/, ""); print; exit }' \
	"$D2B_SRC/tests/exceptions/tools.txt"; }

while read -r name cmd; do
	c1=$(cell "$name" 1)
	c4=$(cell "$name" 4)
	case $c1 in
	- ) ;;
	works | refuses*) pass "s1.$name" ;;
	*)
		if [ "$c4" = works ]; then
			fail "s1.$name" "without BTF it neither refused nor worked: ${c1#fails: }"
		else
			pass "s1.$name"
		fi
		;;
	esac
	# the ratio counts libbpf-tools only
	lib=1
	case $name in bt-*) lib=0 ;; esac
	if [ "$c4" = works ]; then
		n4=$((n4 + lib))
	elif [ "$c4" != - ]; then
		note "$name does not work on the kernel built with BTF: ${c4#fails: }"
	fi
	for s in 2 3; do
		c=$(cell "$name" "$s")
		[ "$c4" = works ] && [ "$c" != - ] || continue
		if [ "$c" = works ]; then
			eval "n$s=\$((n$s + lib))"
			pass "s$s.$name"
		elif r=$(excused "$s" "$name") && [ -n "$r" ]; then
			pass "s$s.$name"
			note "$name in situation $s: ${c#fails: } (tests/exceptions/tools.txt: $r)"
		else
			fail "s$s.$name" "works with the kernel's own BTF, not here: ${c#fails: }"
		fi
	done
done <"$T/all.list"
note "libbpf-tools that work with the kernel's own BTF: $n4; of those, with btf_vmlinux.ko: $n2, with /boot/vmlinux-\$(uname -r): $n3"
if ! want 2 || ! want 4; then
	note "situations 2 and 4 not both run: no ratio"
elif [ "$n4" -gt 0 ] && [ $((n2 * 100)) -ge $((n4 * 90)) ]; then
	pass "s2.at-least-90-percent"
else
	fail "s2.at-least-90-percent" "$n2 of $n4"
fi

for name in execsnoop opensnoop tcpconnect; do
	want 5 || break
	c=$(cell "$name" 5)
	[ "$c" = works ] && pass "s5.$name" || fail "s5.$name" "6.12 with btf_vmlinux.ko: ${c#fails: }"
done

# bpftool: the dump and the CO-RE object, where loaders find BTF (2-5)
for s in 1 2 3 4 5; do
	o=$T/out-$s
	[ -d "$o" ] || continue
	dump=no
	grep -qx 'rc=0' "$o/bpftool-dump.rc" && grep -q '^struct task_struct {' "$o/bpftool-dump.h" && dump=yes
	load=no
	grep -qx 'rc=0' "$o/bpftool-loadall.rc" && load=yes
	echo "bpftool-dump|$s|$dump" >>"$D2B_BUILD/tools/bpftool.txt"
	echo "bpftool-loadall|$s|$load" >>"$D2B_BUILD/tools/bpftool.txt"
	case $s:$dump:$load in
	1:no:no | [245]:yes:yes | 3:no:yes) pass "bpftool.s$s" ;;
	*) fail "bpftool.s$s" "btf dump of /sys/kernel/btf/vmlinux: $dump, prog loadall: $load" ;;
	esac
done
note "matrix: $M"
finish
