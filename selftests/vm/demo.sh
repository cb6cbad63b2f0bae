#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo: the module at work in a VM, without loading anything into this
# machine's kernel. Builds the module (and the static reader, if the
# top-level Makefile has the target), boots Debian's 6.1 kernel in QEMU with
# a small container scene (selftests/vm/scene.c, demo-guest.sh) and shows
# /proc/nspid_map from the host and from inside the container.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cd "$top"

./scripts/deps.sh
kernel=$(./scripts/get-kernel.sh)
make -s module
# The reader is optional for the demo: shown when it builds.
if make -s -n static >/dev/null 2>&1; then
	make -s static || echo "demo: the static reader did not build; showing the map only" >&2
fi
make -s -C selftests

out=$(mktemp)
trap 'rm -f "$out"' EXIT
set +e
./selftests/vm/run.sh --kernel "$kernel" --module "$top" --tests none \
	--demo "$here/demo-guest.sh" --timeout 300 --quiet >"$out" 2>&1
rc=$?
set -e
log=$(sed -n 's/^vm: console log //p' "$out")
if [ -n "$log" ] && [ -f "$log" ]; then
	tr -d '\r' <"$log" | sed -n '/^NSPID-VM: DEMO BEGIN$/,/^NSPID-VM: DEMO END/p' |
		sed '1d;$d'
fi
grep '^vm: ' "$out"
exit $rc
