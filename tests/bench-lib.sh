# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Sourced by tests/bench.sh and tests/bench-packages.sh:
#   bench_round DIR   runs each "name|command" line of DIR/commands once
#                     (through sh -c), appending "wall rss_KB user sys" to
#                     DIR/NAME.times; exits on a failure
bench_round() {
	while IFS='|' read -r _bn _bc; do
		/usr/bin/time -f "%e %M %U %S" -o "$1/one" sh -c "$_bc" >/dev/null 2>"$1/err" ||
			{ echo "bench: $_bn failed: $(tail -n 1 "$1/err")" >&2; exit 1; }
		tail -n 1 "$1/one" >>"$1/$_bn.times"
	done <"$1/commands"
}
