#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The VM runner's boot watchdog, tested on a real kernel: a first boot that
# hangs (QEMU started paused, -S, so nothing reaches the console) is killed
# after --boot-wait seconds and booted once more, and the run passes; a boot
# that hangs every time fails the run, says why, and stops well before the
# run's own --timeout.
#
# Usage: selftests/vm/boot-watchdog-test.sh --kernel VMLINUZ --module KO
# The last line is "bootdog: N passed, N failed"; non-zero exit on failure.
set -u

here=$(cd "$(dirname "$0")" && pwd)
kernel= module=
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--module) module=$2; shift 2 ;;
	*) echo "bootdog: unknown argument: $1" >&2; exit 2 ;;
	esac
done
[ -n "$kernel" ] && [ -n "$module" ] || { echo "bootdog: --kernel and --module are required" >&2; exit 2; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
passed=0 failed=0
check() { # check WHAT STATUS
	if [ "$2" = 0 ]; then passed=$((passed + 1)); echo "bootdog: ok   $1"
	else failed=$((failed + 1)); echo "bootdog: FAIL $1"; fi
}
has() { grep -q -- "$1" "$2"; echo $?; }

# 1. The first attempt hangs, the second boots.
t=$(date +%s)
NSPID_VM_FIRST_QEMU=-S "$here/run.sh" --kernel "$kernel" --module "$module" \
	--tests none --quiet --lock bootdog --boot-wait 15 >"$out/once.log" 2>&1
st=$?
took=$(($(date +%s) - t))
check "a hung first boot is retried and the run passes (exit $st, ${took}s)" "$st"
check "the runner says it booted once more" \
	"$(has 'did not start within 15 s.*booting once more' "$out/once.log")"
check "the retried run's verdict is 0 failed" \
	"$(has '^vm: [1-9][0-9]* passed, 0 failed' "$out/once.log")"
[ "$st" = 0 ] || tail -n 15 "$out/once.log"

# 2. Every attempt hangs: a failure, named, in about two boot waits.
t=$(date +%s)
"$here/run.sh" --kernel "$kernel" --module "$module" --qemu -S \
	--tests none --quiet --lock bootdog --boot-wait 10 --timeout 600 \
	>"$out/twice.log" 2>&1
st=$?
took=$(($(date +%s) - t))
[ "$st" != 0 ]; check "a boot that always hangs fails the run (exit $st)" $?
check "the failure names the hang" \
	"$(has '^vm: FAIL boot: init did not start within 10 s, twice' "$out/twice.log")"
[ "$took" -lt 120 ]; check "it gives up after ${took}s, not at the 600 s timeout" $?
[ "$failed" = 0 ] || tail -n 15 "$out/twice.log"

echo "bootdog: $passed passed, $failed failed"
[ "$failed" = 0 ]
