#!/bin/sh
# Compile-only sweep: build the module with W=1 against each kernel build
# directory given, and count the warnings that come from our own files.
# Usage: scripts/compat-check.sh KDIR...
#   A KDIR is any prepared kernel tree or headers directory (one that
#   `make -C KDIR M=... modules` accepts), or one of the series names that
#   scripts/get-headers.sh knows (5.10, 6.1, 6.12, trixie, trixie-backports).
#   Extra make arguments a tree needs go in KDIR/.nspid-make-args.
#
# Each build happens in its own copy of the module sources, through
# scripts/build-module.sh (under $NSPID_CACHE/builds/, never in the work
# tree); the copy, its nspid_map.ko and build.log stay until the next build
# against the same KDIR.
# Prints one line per KDIR:
#   compat: KDIR: ok (0 warnings)
#   compat: KDIR: FAIL (N warnings)      followed by the warnings
#   compat: KDIR: FAIL (build failed)    followed by the errors
# and last "N passed, N failed". Exits non-zero when any KDIR failed.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/cache.sh"

[ $# -gt 0 ] || { echo "usage: compat-check.sh KDIR..." >&2; exit 2; }

passed=0 failed=0

# check KDIR: build and judge one kernel.
check() {
	kdir=$1
	case $kdir in
	5.10 | 6.1 | 6.12 | trixie | trixie-backports)
		kdir=$("$top/scripts/get-headers.sh" "$kdir") || {
			echo "compat: $1: FAIL (no kernel tree)"
			return 1
		}
		;;
	esac
	if [ ! -f "$kdir/Makefile" ]; then
		echo "compat: $kdir: FAIL (not a kernel build directory)"
		return 1
	fi
	kdir=$(cd "$kdir" && pwd)

	start=$(date +%s)
	work=$("$top/scripts/build-module.sh" "$kdir" W=1)
	st=$?
	secs=$(( $(date +%s) - start ))
	if [ -z "$work" ]; then
		echo "compat: $kdir: FAIL (could not start a build)"
		return 1
	fi

	# Ours: compiler diagnostics in our files, and modpost's about our
	# module (an undefined or GPL-only import). Not ours: notes about the
	# tree itself (e.g. a missing vmlinux Module.symvers).
	grep -E "^$work/[^:]*:[0-9]+(:[0-9]+)?: (warning|error):|^(WARNING|ERROR): .*$work/" \
		"$work/build.log" | sed "s|$work/||g" >"$work/ours.log"
	n=$(grep -c '' "$work/ours.log")
	if [ "$st" != 0 ] || [ ! -f "$work/nspid_map.ko" ]; then
		echo "compat: $kdir: FAIL (build failed), ${secs}s; log $work/build.log"
		if [ "$n" -gt 0 ]; then
			sed 's/^/  /' "$work/ours.log"
		else
			grep -E '(error|Error|ERROR)' "$work/build.log" | head -n 20 | sed 's/^/  /'
		fi
		return 1
	fi
	if [ "$n" -gt 0 ]; then
		echo "compat: $kdir: FAIL ($n warnings), ${secs}s"
		sed 's/^/  /' "$work/ours.log"
		return 1
	fi
	echo "compat: $kdir: ok (0 warnings), ${secs}s"
}

for k in "$@"; do
	if check "$k"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
