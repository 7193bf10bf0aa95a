#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# debuginfod (dwarf2btf/fetch.c): Debian's debuginfod server, started here
# on a free port and asked on 127.0.0.1 only, indexes .deb packages (-U);
# DEBUGINFOD_URLS points at it and DEBUGINFOD_CACHE_PATH into $D2B_TMP.
#   dinfod.build-id      --build-id of a small package's vmlinux: the same
#                        BTF and .build-id file as converting the file
#   dinfod.running       no INPUT, no local debug file: the build-id in
#                        D2B_ROOT/sys/kernel/notes is fetched (-o and --header)
#   dinfod.unknown       a build-id the server lacks: the error names it
#                        and the server
#   dinfod.running-unknown  the same for the running kernel's, and the
#                        local paths tried
#   dinfod.no-urls       --build-id without DEBUGINFOD_URLS
#   dinfod.debian        the build-id of Debian's kernel, the server
#                        indexing its -dbg .deb (tests/fetch-kernel.sh):
#                        the same BTF as converting the unpacked vmlinux.
#                        The index (debuginfod's database) is kept in
#                        $D2B_CACHE/debuginfod/<abi>/: indexing the 280 MB
#                        .deb takes 1-2 minutes once; D2B_SKIP_REAL_KERNEL=1
#                        skips it.
# debuginfod 0.188 has no option to listen on loopback only: it listens on
# its port on every interface while the test runs.
set -u
. "$(dirname "$0")/../lib.sh"
. "$D2B_SRC/tests/packages.sh"

need_d2b dinfod || finish
T=$D2B_TMP
for tool in debuginfod bsdtar dpkg-deb gcc objcopy; do
	if ! has $tool; then
		fail dinfod "$tool not installed (sh tests/install-deps.sh)"
		finish
	fi
done

server_pid=
stop_server() {
	if [ -n "$server_pid" ]; then
		kill "$server_pid" 2>/dev/null
		wait "$server_pid" 2>/dev/null
	fi
	server_pid=
}
trap 'stop_server; rm -rf "$T"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start_server DB DIR: debuginfod indexing the .debs in DIR into DB, on a
# free port; waits until the first scan is done (at most $3 seconds).
# Sets $url.
start_server() {
	_tries=0
	while [ $_tries -lt 5 ]; do
		_port=$(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000 + 30000 ))
		debuginfod -v -U -t 0 -g 0 -c 1 -d "$1" -p "$_port" "$2" >"$T/server.log" 2>&1 &
		server_pid=$!
		_waited=0
		while [ $_waited -lt "$3" ] && kill -0 "$server_pid" 2>/dev/null; do
			if grep -q 'files scanned (#)' "$T/server.log"; then
				url=http://127.0.0.1:$_port
				return 0
			fi
			sleep 1
			_waited=$((_waited + 1))
		done
		stop_server
		# a port in use ends the server at once; anything else is a failure
		grep -qi 'bind\|address in use\|cannot' "$T/server.log" || return 1
		_tries=$((_tries + 1))
	done
	return 1
}

# --- a small package ---
boot=usr/lib/debug/boot
mkdir -p "$T/root/$boot" "$T/debs" "$T/cache"
small=$T/root/$boot/vmlinux-9.9.9-test
if ! pkg_vmlinux "$small" || ! "$D2B" "$small" -o "$T/ref.btf"; then
	fail dinfod "cannot build and convert the fixture"
	finish
fi
id=$(cat "$T/ref.btf.build-id")
pkg_deb "$T/root" "$T/debs/linux-image-test-dbg_1.0_all.deb" xz
t0=$(date +%s)
if ! start_server "$T/db.sqlite" "$T/debs" 120; then
	fail dinfod "debuginfod did not start or scan"
	detail "$T/server.log" 10
	finish
fi
note "server $url, small .deb indexed in $(($(date +%s) - t0)) s"
export DEBUGINFOD_URLS=$url DEBUGINFOD_CACHE_PATH=$T/cache DEBUGINFOD_TIMEOUT=60
pkg_same dinfod.build-id "$T/ref.btf" "$D2B" --build-id "$id" -o "$T/out.btf"

# the running kernel: only its notes under D2B_ROOT, no local debug file
mkdir -p "$T/fakeroot/sys/kernel"
objcopy -O binary --only-section=.note.gnu.build-id "$small" "$T/fakeroot/sys/kernel/notes"
rm -rf "$T/cache"
pkg_same dinfod.running "$T/ref.btf" env D2B_ROOT="$T/fakeroot" "$D2B" -o "$T/out.btf"
"$D2B" --header "$small" >"$T/ref.h"
if env D2B_ROOT="$T/fakeroot" "$D2B" --header >"$T/got.h" 2>"$T/err" && cmp -s "$T/ref.h" "$T/got.h"; then
	pass dinfod.running-header
else
	fail dinfod.running-header "header differs or failed: $(head -n 1 "$T/err")"
fi

unknown=0123456789abcdef0123456789abcdef01234567
"$D2B" --build-id $unknown -o "$T/out.btf" >"$T/out" 2>"$T/err"
rc=$?
want="dwarf2btf: build-id $unknown: not found on the debuginfod servers ($url)"
if [ $rc -eq 1 ] && [ "$(cat "$T/err")" = "$want" ]; then
	pass dinfod.unknown
else
	fail dinfod.unknown "exit $rc, stderr '$(cat "$T/err")', want '$want'"
fi
# the running kernel's build-id unknown to the server: both the server and
# the local paths tried are named
gcc -g -Wl,--build-id -o "$T/other" "$D2B_SRC/tests/fixtures/funcs.c"
objcopy -O binary --only-section=.note.gnu.build-id "$T/other" "$T/fakeroot/sys/kernel/notes"
oid=$("$D2B" "$T/other" -o "$T/other.btf" && cat "$T/other.btf.build-id")
rm -f "$T/out.btf"
env D2B_ROOT="$T/fakeroot" "$D2B" -o "$T/out.btf" >"$T/out" 2>"$T/err"
rc=$?
want="dwarf2btf: build-id $oid: not found on the debuginfod servers ($url)"
if [ $rc -eq 1 ] && [ "$(head -n 1 "$T/err")" = "$want" ] &&
	sed -n 2p "$T/err" | grep -q "^no debug vmlinux of the running kernel (.*); tried:\$" &&
	grep -q "^  $T/fakeroot/usr/lib/debug/boot/vmlinux-" "$T/err" && [ ! -e "$T/out.btf" ]; then
	pass dinfod.running-unknown
else
	fail dinfod.running-unknown "exit $rc, stderr '$(head -n 2 "$T/err" | tr '\n' '|')'"
fi
env -u DEBUGINFOD_URLS "$D2B" --build-id $unknown -o "$T/out.btf" >"$T/out" 2>"$T/err"
rc=$?
want="dwarf2btf: build-id $unknown: no debuginfod server to ask (DEBUGINFOD_URLS is not set)"
if [ $rc -eq 1 ] && [ "$(cat "$T/err")" = "$want" ]; then
	pass dinfod.no-urls
else
	fail dinfod.no-urls "exit $rc, stderr '$(cat "$T/err")', want '$want'"
fi
stop_server

# --- Debian's kernel ---
pkg_debian dinfod.debian || finish
"$D2B" "$vmlinux" -o "$T/kref.btf" || fail dinfod.debian "cannot convert $vmlinux"
kid=$(cat "$T/kref.btf.build-id")
dir=$D2B_CACHE/debuginfod/$abi
say() { note "$*"; }
die() { fail dinfod.debian "$*"; finish; }
. "$D2B_SRC/tests/cache-lock.sh"
mkdir -p "$dir/debs"
cache_lock "$dir/.lock" 1800 "debuginfod test"
[ -e "$dir/debs/${deb##*/}" ] || ln "$deb" "$dir/debs/" 2>/dev/null || cp "$deb" "$dir/debs/"
t0=$(date +%s)
if ! start_server "$dir/db.sqlite" "$dir/debs" 900; then
	rm -rf "$dir/.lock"
	fail dinfod.debian "debuginfod did not start or scan the .deb"
	detail "$T/server.log" 10
	finish
fi
note "Debian's .deb indexed (or found in the kept index) in $(($(date +%s) - t0)) s"
rm -rf "$T/cache"
t0=$(date +%s)
export DEBUGINFOD_URLS=$url
pkg_same dinfod.debian "$T/kref.btf" "$D2B" --build-id "$kid" -o "$T/out.btf"
note "fetched and converted in $(($(date +%s) - t0)) s"
stop_server
rm -rf "$dir/.lock"
finish
