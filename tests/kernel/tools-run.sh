#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Runs in the guest of tests/kernel/tools.sh, chrooted into the host's root
# (read-only over 9p), with the test disk (ext4) at /mnt: starts every client
# of /mnt/tools.list at once, runs the workload, stops them with SIGINT and
# leaves each one's output in /mnt/out/NAME.out and exit status in
# /mnt/out/NAME.rc. /mnt/out/workload.env records what the workload did
# (pids, port, paths) for the checks on the host.
#
#   tools-run.sh SITUATION
set -u

S=$1
say() { echo "$(cut -d" " -f1 /proc/uptime)s $*"; }
D=/mnt
O=$D/out
mkdir -p "$O"
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
cd "$O" || exit 1

# --- every client, at once ---
pids=
while read -r name cmd; do
	case $name in '' | '#'*) continue ;; esac
	(
		sh -c "exec stdbuf -oL -eL $cmd" >"$O/$name.out" 2>&1 </dev/null
		echo "rc=$?" >"$O/$name.rc"
	) &
	pids="$pids $!"
	echo "$name $!" >>"$O/started"
done <"$D/tools.list"
say "started $(wc -l <"$O/started") clients"

# Ready when each has printed a line or ended (most print a header once
# attached), at most 90 s: loading 60 programs at once takes a while.
i=0
while [ "$i" -lt 90 ]; do
	waiting=0
	while read -r name pid; do
		[ -s "$O/$name.out" ] || [ -e "$O/$name.rc" ] || waiting=$((waiting + 1))
	done <"$O/started"
	[ "$waiting" -gt 0 ] || break
	[ $((i % 15)) -ne 0 ] || say "$waiting clients silent"
	sleep 1
	i=$((i + 1))
done
echo "ready after ${i}s, $waiting still silent" >"$O/ready"
say "$(cat "$O/ready")"
sync
sleep 3

# --- the workload, twice (interval tools see it in more than one interval) ---
printf 'marker\n' >/tmp/d2b-open-marker
printf 'marker\n' >/tmp/d2b-stat-marker
printf '#!/bin/sh\nexit 7\n' >/tmp/d2bexec
chmod 755 /tmp/d2bexec
cat >/tmp/d2bwork <<'WORK'
#!/bin/sh
O=/mnt/out
echo "WPID=$$" >>$O/workload.env
/tmp/d2bexec
echo "EXEC_RC=$?" >>$O/workload.env
cat /tmp/d2b-open-marker >/dev/null
stat /tmp/d2b-stat-marker >/dev/null
/mnt/bb/stat /tmp/d2b-stat-marker >/dev/null
touch /tmp/d2b-filelife; sleep 0.3; rm /tmp/d2b-filelife
mkdir -p /tmp/d2bmnt; mount -t tmpfs d2btmpfs /tmp/d2bmnt; umount /tmp/d2bmnt
/mnt/bb/nc -l -p 4242 >/dev/null &
lpid=$!
# the listener may take a while to start: try again until one connects
for i in 1 2 3 4 5 6 7 8 9 10; do
	sleep 1
	echo d2b | /mnt/bb/nc -w 2 127.0.0.1 4242 && break
done
echo "NC_LISTEN_PID=$lpid" >>$O/workload.env
kill $lpid 2>/dev/null
wait $lpid
dd if=/dev/zero of=/mnt/d2b-io bs=64k count=64 oflag=direct conv=fsync 2>/dev/null
echo 3 >/proc/sys/vm/drop_caches
dd if=/mnt/d2b-io of=/dev/null bs=64k iflag=direct 2>/dev/null
cat /mnt/d2b-io >/dev/null
rm /mnt/d2b-io
sleep 10 &
spid=$!
kill -USR1 $spid
echo "SIG_PID=$spid" >>$O/workload.env
wait $spid
getent ahosts localhost >/dev/null
sync
WORK
chmod 755 /tmp/d2bwork
timeout 300 /tmp/d2bwork
sleep 1
timeout 300 /tmp/d2bwork
sleep 2
say "workload done"

# --- stop them all ---
for p in $pids; do
	pkill -INT -P "$p" 2>/dev/null
done
i=0
while [ "$i" -lt 20 ] && [ "$(ls "$O"/*.rc 2>/dev/null | wc -l)" -lt "$(wc -l <"$O/started")" ]; do
	sleep 1
	i=$((i + 1))
done
for p in $pids; do
	pkill -KILL -P "$p" 2>/dev/null
done
sleep 1
say "stopped, $(ls "$O"/*.rc | wc -l) results"

# --- bpftool: the BTF as loaders find it, and a CO-RE object loaded ---
{
	if bpftool btf dump file /sys/kernel/btf/vmlinux format c >"$O/bpftool-dump.h" 2>"$O/bpftool-dump.err"; then
		echo "rc=0"
	else
		echo "rc=$?"
	fi
} >"$O/bpftool-dump.rc"
mkdir -p /sys/fs/bpf/d2b
bpftool prog loadall "$D/exec_trace.bpf.o" /sys/fs/bpf/d2b >"$O/bpftool-loadall.out" 2>&1
echo "rc=$?" >"$O/bpftool-loadall.rc"
ls /sys/fs/bpf/d2b >>"$O/bpftool-loadall.out" 2>&1
rm -rf /sys/fs/bpf/d2b
uname -r >"$O/release"
echo "$S" >"$O/situation"
dmesg >"$O/dmesg"
sync
