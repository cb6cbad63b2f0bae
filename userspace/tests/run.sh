#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The reader's test suites. Every check prints "ok - what" or "not ok - what"
# (a check that cannot run prints "skip - what" and counts as neither); the
# last line is "N passed, N failed", and the exit status is 1 on a failure.
#
#   tests/run.sh unit            unit tests + command-line tests (built)
#   tests/run.sh fuzz SECONDS    libFuzzer on the parser (built)
#   tests/run.sh lint MAN...     mandoc -T lint -W warning
#   tests/run.sh example         the example of ioctl_nspid_map(2)
#   tests/run.sh check           builds, then all of the above (fuzz: 60 s,
#                                or $FUZZ_SHORT)
set -u
cd "$(dirname "$0")/.." || exit 2
B=build
mkdir -p "$B"
log=$(mktemp) tmp=$(mktemp)
trap 'rm -f "$log" "$tmp"' EXIT

say() { echo "$*" | tee -a "$log"; }

# step NAME CMD...: run CMD, show and count its ok/not ok lines; a non-zero
# exit with no "not ok" of its own counts as one failure.
step() {
	name=$1
	shift
	"$@" >"$tmp" 2>&1
	st=$?
	cat "$tmp"
	grep -E '^(ok|not ok) ' "$tmp" >>"$log"
	if [ $st != 0 ] && ! grep -q '^not ok ' "$tmp"; then
		say "not ok - $name (exit status $st)"
	fi
}

unit() {
	for t in test_parse test_lookup test_print test_status test_container; do
		if [ -x "$B/$t" ]; then
			step "$t" "$B/$t" tests/maps
		else
			say "not ok - $t: not built"
		fi
	done
	if [ -x "$B/nspid-san" ]; then
		step "cli" tests/cli.sh "$B/nspid-san" tests/maps "$B/test_status" \
			"$([ -x nspid ] && echo "$PWD/nspid")"
	else
		say "not ok - cli: $B/nspid-san not built"
	fi
}

fuzz() {
	secs=$1
	if [ ! -x "$B/fuzz_parse" ]; then
		say "not ok - fuzz parser: $B/fuzz_parse not built"
		return
	fi
	mkdir -p "$B/fuzz-work"
	echo "# fuzzing the parser for ${secs}s (log: $B/fuzz.log)"
	"$B/fuzz_parse" -max_total_time="$secs" -max_len=8192 -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$B/" "$B/fuzz-work" fuzz/corpus \
		>"$B/fuzz.log" 2>&1
	st=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$B/fuzz.log")
	if [ $st = 0 ] && [ -n "$runs" ]; then
		say "ok - fuzz parser ${secs}s: $runs inputs, no crash"
	else
		tail -n 40 "$B/fuzz.log"
		say "not ok - fuzz parser: exit $st (reproducer in $B/crash-*)"
	fi
}

lint() {
	if ! command -v mandoc >/dev/null; then
		say "not ok - lint man pages: mandoc is not installed"
		return
	fi
	for m in "$@"; do
		out=$(mandoc -T lint -W warning "$m" 2>&1)
		st=$?
		if [ $st = 0 ] && [ -z "$out" ]; then
			say "ok - mandoc -T lint -W warning $(basename "$m")"
		else
			echo "$out"
			say "not ok - mandoc -T lint -W warning $(basename "$m")"
		fi
	done
}

build() {
	if make -s "$@" >"$tmp" 2>&1; then
		say "ok - make $*"
	else
		cat "$tmp"
		say "not ok - make $*"
	fi
}

# make install/uninstall into a scratch DESTDIR with PREFIX=/usr
install_check() {
	d=$(mktemp -d)
	files="usr/bin/nspid usr/share/man/man1/nspid.1 usr/share/man/man5/nspid_map.5
		usr/share/man/man2/ioctl_nspid_map.2 usr/include/nspid/nspid_map.h"
	make -s install DESTDIR="$d" PREFIX=/usr >"$tmp" 2>&1
	st=$?
	for f in $files; do [ -f "$d/$f" ] || st=1; done
	[ -x "$d/usr/bin/nspid" ] || st=1
	if [ $st = 0 ]; then say "ok - make install DESTDIR= PREFIX=/usr"; else
		cat "$tmp"; say "not ok - make install DESTDIR= PREFIX=/usr"; fi
	make -s uninstall DESTDIR="$d" PREFIX=/usr >"$tmp" 2>&1
	st=$?
	for f in $files; do [ -e "$d/$f" ] && st=1; done
	if [ $st = 0 ]; then say "ok - make uninstall removes what install put"; else
		cat "$tmp"; say "not ok - make uninstall removes what install put"; fi
	rm -rf "$d"
}

# The example program of ioctl_nspid_map(2): the file compiles with the
# warnings of the reader, and the man page shows exactly that file.
example() {
	src=../man/examples/ioctl_nspid_map.c
	if make -s example >"$tmp" 2>&1; then
		say "ok - the man page example compiles (-Wall -Wextra -Werror)"
	else
		cat "$tmp"
		say "not ok - the man page example compiles"
	fi
	sed -n '/^The program, also$/,/^\.Ed$/p' ../man/ioctl_nspid_map.2 |
		sed '1,/^\.Bd -literal$/d;$d' | sed 's/^\\&//; s/\\e/\\/g' >"$tmp"
	if cmp -s "$tmp" "$src"; then
		say "ok - ioctl_nspid_map(2) shows $src as it is"
	else
		diff "$src" "$tmp" | head -n 20
		say "not ok - ioctl_nspid_map(2) shows $src as it is"
	fi
}

mode=${1:-check}
[ $# -gt 0 ] && shift
case $mode in
unit)	unit ;;
example)	example ;;
fuzz)	fuzz "${1:-60}" ;;
lint)	lint "$@" ;;
check)
	build nspid
	install_check
	build test-bins
	unit
	build fuzz-bin
	fuzz "${FUZZ_SHORT:-60}"
	lint ../man/nspid.1 ../man/nspid_map.5 ../man/ioctl_nspid_map.2
	example
	;;
*)	echo "usage: $0 unit | fuzz SECONDS | lint MAN... | example | check" >&2
	exit 2 ;;
esac

passed=$(grep -c '^ok ' "$log")
failed=$(grep -c '^not ok ' "$log")
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
