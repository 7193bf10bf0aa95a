#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# The sanitizer pass of `make check` (docs/robustness.md): builds
# dwarf2btf and the unit tests with AddressSanitizer and UBSan
# (make SANITIZE=1: build/san/), then runs the fast tests with that build
# through tests/run.sh: the unit tests and D2B_SANITIZE_TESTS (default: cli
# fixtures bad-input header elf-format modules ux dwarf-variants old-targets
# packages debuginfod (without their Debian kernel rows),
# about a minute). Their results are reported here as san.TEST.NAME.
# Any sanitizer report makes the process exit 86, which no test expects.
# The slow tests (the real kernels, the QEMU boot) are not repeated under
# ASan: they take minutes there and exercise the same code as the fixtures.
set -u
. "$(dirname "$0")/../lib.sh"

# not inside the pass itself, nor when run.sh was given the sanitized build
if [ "${D2B_SANITIZE_PASS:-0}" = 1 ]; then
	skip san "already inside the sanitizer pass"
	finish
fi
case $D2B_BUILD in
*/san)
	skip san "D2B_BUILD is the sanitized build already"
	finish
	;;
esac

T=$D2B_TMP
SAN_BUILD=$D2B_SRC/build/san
# a make of its own, not the jobserver of a `make check` around us
if ! (cd "$D2B_SRC" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s SANITIZE=1 all unit) \
	>"$T/build.log" 2>&1; then
	fail san.build "make SANITIZE=1 all unit failed"
	detail "$T/build.log" 20
	finish
fi
pass san.build

units=
for u in "$SAN_BUILD"/tests/*; do
	[ -f "$u" ] && [ -x "$u" ] && units="$units ${u##*/}"
done
cases=${D2B_SANITIZE_TESTS:-cli fixtures bad-input header elf-format modules ux dwarf-variants old-targets packages debuginfod}
for s in "$D2B_SRC"/tests/cases/*.sh; do
	n=${s##*/}
	n=${n%.sh}
	case " $cases sanitize " in
	*" $n "*) ;;
	*)
		case $n in
		real-kernel* | kernel-e2e)
			skip "san.$n" "a real kernel takes many minutes under ASan; the fixtures run the same code" ;;
		*)
			skip "san.$n" "not in the sanitizer pass (D2B_SANITIZE_TESTS=\"$cases\")" ;;
		esac
		;;
	esac
done

ASAN_OPTIONS=exitcode=86:detect_leaks=1:abort_on_error=0:allocator_may_return_null=1
UBSAN_OPTIONS=exitcode=86:print_stacktrace=1:halt_on_error=1
LSAN_OPTIONS=exitcode=86
export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
D2B_SANITIZE_PASS=1 D2B_SKIP_REAL_KERNEL=1 D2B_TESTS="$units $cases" \
	sh "$D2B_SRC/tests/run.sh" "$SAN_BUILD" >"$T/run.log" 2>&1
rc=$?
# "cli.sh: PASS: help" -> "PASS: san.cli.help"; notes and the summary as notes
sed -e 's/^\([^:]*\)\.sh: /\1: /' "$T/run.log" | sed -n \
	-e 's/^\([^:]*\): PASS: \(.*\)$/PASS: san.\1.\2/p' \
	-e 's/^\([^:]*\): SKIP: \(.*\)$/SKIP: san.\1.\2/p' \
	-e 's/^\([^:]*\): FAIL: \(.*\)$/FAIL: san.\1.\2/p' \
	-e 's/^\([^:]*\): # \(.*\)$/# san \1: \2/p' \
	-e 's/^\([0-9]* passed, [0-9]* failed, [0-9]* skipped\)$/# sanitizer pass: \1/p' >"$T/mapped"
cat "$T/mapped"
nfail=$(grep -c '^FAIL: ' "$T/mapped")
if [ "$rc" -ne 0 ] && [ "$nfail" -eq 0 ]; then
	fail san.run "tests/run.sh build/san exited $rc"
	detail "$T/run.log" 20
fi
D2B_FAILS=$((D2B_FAILS + nfail))
finish
