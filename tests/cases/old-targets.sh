#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Older consumers reject BTF kinds they do not know (FLOAT before 5.13,
# DECL_TAG 5.16, TYPE_TAG 5.17, ENUM64 and signed ENUM 6.0). For an older
# target dwarf2btf writes what the kernel build's pahole writes for it:
#   old.fixture.*     --target-kernel 5.4 equals pahole -J without
#                     --btf_gen_floats and with --skip_encoding_btf_{enum64,
#                     decl_tag,type_tag}, on fixture programs (gcc and clang)
#   old.rules.*       --validate --target-kernel 5.4 (the old consumers'
#                     rules) accepts that output, and refuses the default
#                     output, which has such kinds (negative control)
#   old.features      --btf-features picks kinds by name
#   old.banner        the kernel version comes from the vmlinux's linux_banner
#   old.kernel.*      the 6.1 vmlinux for a 5.10 target, against pahole
set -u
. "$(dirname "$0")/../lib.sh"

need_d2b old || finish
T=$D2B_TMP
F=$D2B_SRC/tests/fixtures
OLD_PAHOLE="-J --skip_encoding_btf_enum64 --skip_encoding_btf_decl_tag --skip_encoding_btf_type_tag"

# kinds in BTF file $1, one per line
kinds() {
	bpftool btf dump file "$1" 2>/dev/null | awk '/^\[/ { print $2 }' | sort -u
}

for spec in gcc:structs gcc:bitfields gcc:enums gcc:arrays gcc:ints gcc:qualifiers \
	gcc:recursive clang:enums clang:ints clang:btf_tags; do
	cc=${spec%%:*}
	name=${spec#*:}
	p=old.fixture.$name.$cc
	if ! "$cc" -g -O1 -w -o "$T/$name" "$F/$name.c" 2>"$T/cc.err"; then
		fail "$p" "$cc: $(head -n 1 "$T/cc.err")"
		continue
	fi
	rm -f "$T/p.btf"
	# shellcheck disable=SC2086 # the option list splits on purpose
	pahole $OLD_PAHOLE --btf_encode_detached="$T/p.btf" "$T/$name" >/dev/null 2>&1
	if ! "$D2B" --target-kernel 5.4 "$T/$name" -o "$T/o.btf" 2>"$T/err"; then
		fail "$p" "conversion failed: $(head -n 1 "$T/err")"
	elif "$D2B" --diff "$T/p.btf" "$T/o.btf" >"$T/diff"; then
		pass "$p"
	else
		fail "$p" "$(grep -c '^[<>]' "$T/diff") types differ from pahole's for an old target"
		grep '^[<>]' "$T/diff" | detail - 10
	fi
	if "$D2B" --validate --target-kernel 5.4 "$T/o.btf" >/dev/null 2>"$T/err"; then
		pass "old.rules.$name.$cc"
	else
		fail "old.rules.$name.$cc" "$(head -n 1 "$T/err")"
	fi
	bad=$(kinds "$T/o.btf" | grep -E '^(FLOAT|DECL_TAG|TYPE_TAG|ENUM64)$' | tr '\n' ' ')
	if [ -n "$bad" ]; then
		fail "old.kinds.$name.$cc" "kinds an old target lacks: $bad"
	fi
done

# negative control: the default output has FLOAT, ENUM64 and signed enums
gcc -g -O1 -w -o "$T/enums" "$F/enums.c" && "$D2B" "$T/enums" -o "$T/new.btf"
if "$D2B" --validate --target-kernel 5.4 "$T/new.btf" >/dev/null 2>"$T/err"; then
	fail old.rules.negative "the default output passed the 5.4 rules"
elif grep -q "needs BTF feature" "$T/err"; then
	pass old.rules.negative
else
	fail old.rules.negative "unexpected message: $(head -n 1 "$T/err")"
fi

# --btf-features by name: floats kept, the rest of the newer kinds not
gcc -g -O1 -w -o "$T/ints" "$F/ints.c"
if "$D2B" --btf-features float "$T/ints" -o "$T/f.btf" 2>"$T/err" &&
	kinds "$T/f.btf" | grep -qx FLOAT &&
	"$D2B" --btf-features none "$T/ints" -o "$T/n.btf" 2>>"$T/err" &&
	! kinds "$T/n.btf" | grep -qx FLOAT; then
	pass old.features
else
	fail old.features "FLOAT not kept with float or kept with none: $(head -n 1 "$T/err")"
fi
"$D2B" --btf-features float,bogus "$T/ints" -o "$T/x.btf" >/dev/null 2>"$T/err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q "unknown BTF feature 'bogus'" "$T/err"; then
	pass old.features.unknown
else
	fail old.features.unknown "exit $rc: $(head -n 1 "$T/err")"
fi

if [ "${D2B_SKIP_REAL_KERNEL:-0}" = 1 ]; then
	skip old.kernel "D2B_SKIP_REAL_KERNEL=1"
	finish
fi
if ! vmlinux=$(sh "$D2B_SRC/tests/fetch-kernel.sh" 2>"$T/fetch.err"); then
	fail old.kernel "tests/fetch-kernel.sh: $(tail -n 1 "$T/fetch.err")"
	finish
fi
if "$D2B" -v "$vmlinux" -o "$T/k61.btf" 2>&1 | grep -q ': Linux 6\.1, BTF kinds beyond the basics: float,decl_tag,type_tag,enum64$'; then
	pass old.banner
else
	fail old.banner "-v did not report Linux 6.1 with all kinds"
fi
if ! "$D2B" --target-kernel 5.10 "$vmlinux" -o "$T/k510.btf" 2>"$T/err"; then
	fail old.kernel.convert "$(head -n 1 "$T/err")"
	finish
fi
if "$D2B" --validate --target-kernel 5.10 "$T/k510.btf" >/dev/null 2>"$T/err"; then
	pass old.kernel.rules
else
	fail old.kernel.rules "$(head -n 1 "$T/err")"
fi
rm -f "$T/kp.btf"
# one thread: pahole 1.24's FUNCs change with its thread count
# shellcheck disable=SC2086
if pahole $OLD_PAHOLE --btf_encode_detached="$T/kp.btf" "$vmlinux" >"$T/err" 2>&1; then
	compare_kernel_btf old.kernel "$T/kp.btf" "$T/k510.btf" \
		"$D2B_SRC/tests/exceptions/real-kernel-cloud-amd64.txt"
else
	fail old.kernel.pahole "$(tail -n 1 "$T/err")"
fi

finish
