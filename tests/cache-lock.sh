# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Sourced by tests/fetch-kernel.sh, tests/kernel/build-kernel.sh and
# tests/debian-root.sh, which define say and die: one writer at a time for
# a cache directory.
#
#   cache_lock LOCKDIR SECONDS WHAT
#
# mkdir is atomic; a lock whose owner process is gone is taken over; after
# SECONDS of waiting, die. The caller removes LOCKDIR when done.
cache_lock() {
	_tries=0
	while ! mkdir "$1" 2>/dev/null; do
		_owner=$(cat "$1/pid" 2>/dev/null || true)
		if [ -n "$_owner" ] && ! kill -0 "$_owner" 2>/dev/null; then
			say "removing stale lock of process $_owner"
			rm -rf "$1"
			continue
		fi
		_tries=$((_tries + 1))
		[ "$_tries" -le "$2" ] || die "timed out waiting for $1"
		[ "$_tries" -ne 1 ] || say "waiting for another $3 ($1)"
		sleep 1
	done
	echo $$ >"$1/pid"
}

# cache_lock_scoped LOCKDIR SECONDS WHAT: cache_lock, and on exit (or INT,
# TERM) remove LOCKDIR and the directory named in $cache_tmp, if any, which
# the caller sets while it builds something there
cache_lock_scoped() {
	cache_lock "$1" "$2" "$3"
	_cache_lockdir=$1
	cache_tmp=
	trap '[ -z "$cache_tmp" ] || rm -rf "$cache_tmp"; rm -rf "$_cache_lockdir"' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}
