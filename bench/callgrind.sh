#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The reader's own cost, command by command: instructions (callgrind, so
# the same on every run and every host) of the static reader that make
# bench puts in the VM, on a saved map of THREADS rows shaped like the
# bench's scenes (userspace/tests/bigmap.sh), with the cost of merely
# starting it (--version) beside them. No VM, no module. Prints the table
# and writes it to bench/callgrind.md.
#
# Usage: bench/callgrind.sh [THREADS] [NSPID]   (default 30000, the
#        static reader userspace/nspid-static, built if missing)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
cd "$top"
. scripts/cache.sh

threads=${1:-30000}
nspid=${2:-}
work=$NSPID_CACHE/callgrind
mkdir -p "$work"
if [ -z "$nspid" ]; then
	make -s -C userspace static >&2
	nspid=$top/userspace/nspid-static
fi
map=$work/map-$threads
userspace/tests/bigmap.sh "$threads" >"$map"

# instructions of one run of nspid ARGS..., output to /dev/null
ir() {
	valgrind --tool=callgrind --callgrind-out-file="$work/out" \
		"$nspid" "$@" 2>"$work/log" >/dev/null ||
		{ cat "$work/log" >&2; echo "callgrind: nspid $* failed" >&2; exit 1; }
	sed -n 's/^summary: *//p' "$work/out"
}

rows=$(($(wc -l <"$map") - 1))
md=bench/callgrind.md
# shellcheck disable=SC2016,SC2086 # backquotes for markdown; args: words
{
	echo "# The reader's instructions per command"
	echo
	echo "Made by \`make callgrind\` on $(date -u +%Y-%m-%d): \`valgrind --tool=callgrind\`"
	echo "on the static reader (musl, as \`make bench\` runs it), \`nspid -f MAP ARGS\`"
	echo "with MAP from \`userspace/tests/bigmap.sh $threads\` ($rows rows), output to"
	echo "/dev/null. Instructions repeat exactly from run to run; reading the live"
	echo "map costs the kernel's time on top (bench/results.md)."
	echo
	printf '| command | instructions | per row |\n| --- | ---: | ---: |\n'
	v=$(ir --version)
	printf '| `nspid --version` | %s | - |\n' "$v"
	while read -r args; do
		n=$(ir -f "$map" $args)
		printf '| `nspid%s` | %s | %s |\n' "${args:+ $args}" "$n" \
			"$(awk -v n="$n" -v r="$rows" 'BEGIN { printf "%.0f", n / r }')"
	done <<EOF
-L
-L -r
-L --json

--json
--output-all -L
--ns-of 400 -L
--ns-of 449
--tree
--tree -L
--tree --json -L
--dump
EOF
} >"$md"
cat "$md"
