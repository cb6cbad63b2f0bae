#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench: every way of learning nested pids, timed in one VM boot on
# Debian 12's 6.1 kernel (bench/nspid_bench.c does the measuring), written
# to bench/results.md, bench/results.tsv and bench/results.svg.
#
# Usage: bench/run.sh [--kernel VMLINUZ] [--report]
#   --report  no new run: write the table, plot and README block again from
#             bench/results.tsv and the last run's log
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
cd "$top"
. scripts/cache.sh

kernel= report=0
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--report) report=1; shift ;;
	*) echo "usage: bench/run.sh [--kernel VMLINUZ] [--report]" >&2; exit 2 ;;
	esac
done
scripts/deps.sh gnuplot-nox >&2
build=$NSPID_CACHE/bench
out=$build/vm.log
tsv=bench/results.tsv
if [ "$report" = 0 ]; then
	[ -n "$kernel" ] || kernel=$(scripts/get-kernel.sh 6.1)
	mkdir -p "$build"
	make -s module >&2
	make -s static >&2
	musl-gcc -static -O2 -Wall -Wextra -Werror -pthread -Iinclude/uapi \
		-isystem userspace/build/musl-include \
		-o "$build/bench_test" bench/nspid_bench.c
	# procps' ps for "ps -eLo pid,tid,comm": the VM has no libc, so ps
	# goes in with its libraries and runs through their dynamic loader.
	ps=$(command -v ps)
	libs=$(ldd "$ps" | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) .*/\1/p')
	loader=$(ldd "$ps" | sed -n 's/^[[:space:]]*\(\/[^ ]*ld-linux[^ ]*\) .*/\1/p')
	mkdir -p "$build/ps"
	cp -L "$ps" $libs "$build/ps/"
	printf '#!/bin/sh\nexec /tests/%s --library-path /tests /tests/ps "$@"\n' \
		"$(basename "$loader")" >"$build/ps.sh"

	selftests/vm/run.sh --kernel "$kernel" --module "$top" --tests none \
		--mem 4096 --timeout 1800 \
		--extra "$build/bench_test" bench/seed.sh "$build/ps.sh" \
		"$build"/ps/* >"$out" 2>&1 || {
		tail -n 40 "$out"
		echo "bench: the VM run failed (log: $out)" >&2
		exit 1
	}

	{
		printf 'threads\tmethod\trows\tmedian_ns\tmin_ns\tmax_ns\n'
		tr -d '\r' <"$out" | sed -n 's/^BENCH\t//p'
	} >"$tsv"
fi
kver=$(sed -n 's/.*BOOTED .*kernel=\([^ ]*\).*/\1/p' "$out" | tr -d '\r' | head -n 1)
tr -d '\r' <"$out" | grep '^SCENE' >&2 || true

# median of METHOD at THREADS, in ns
med() { awk -F'\t' -v t="$1" -v m="$2" '$1 == t && $2 == m { print $4 }' "$tsv"; }
rows() { awk -F'\t' -v t="$1" -v m="$2" '$1 == t && $2 == m { print $3 }' "$tsv"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }

map10=$(med 10000 map) status10=$(med 10000 status)
seed=$(med 10000 lookup-seed) look=$(med 10000 lookup-nspid)
per1=$(awk -v t="$(med 1000 map)" -v r="$(rows 1000 map)" 'BEGIN { print t / r }')
per30=$(awk -v t="$(med 30000 map)" -v r="$(rows 30000 map)" 'BEGIN { print t / r }')
floor10=$(med 10000 floor)

verdict() { # value op target
	awk -v v="$1" -v t="$3" -v op="$2" 'BEGIN {
		ok = (op == ">=") ? v >= t : v <= t; print ok ? "met" : "**missed**" }'
}
r1=$(ratio "$status10" "$map10")
r2=$(ratio "$seed" "$look")
r3=$(awk -v a="$per30" -v b="$per1" 'BEGIN { printf "%.2f", a / b }')
r4=$(ratio "$map10" "$floor10")
spawn=$(med 10000 spawn-nspid)
target10=$(tr -d '\r' <"$out" | sed -n 's/^SCENE\t10000\t.*, target \([0-9]*\).*/\1/p' | head -n 1)
r2max=$(ratio "$seed" "$spawn")

# The query interface (issue 13): one task in O(1).
sp1=$(med 1000 spawn-nspid) sp30=$(med 30000 spawn-nspid)
r5=$(ratio "$(med 30000 lookup-nspid)" "$sp30")
r5b=$(ratio "$(med 1000 lookup-nspid)" "$sp1")
r6=$(ratio "$(med 30000 tohost-nspid)" "$sp30")
r6b=$(ratio "$(med 1000 tohost-nspid)" "$sp1")
r6c=$(ratio "$seed" "$(med 10000 tohost-nspid)")
ratio2() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# per call: the ioctls and the status read run 100 times a sample
r7=$(ratio2 "$(med 10000 ioctl-get)" "$(med 10000 lookup-status)")
r7b=$(ratio2 "$(med 10000 ioctl-reverse)" "$(med 10000 lookup-status)")
r8=$(ratio2 "$(med 10000 nspid-table)" "$(awk -v a="$spawn" -v b="$map10" 'BEGIN { print a + b }')")
r8b=$(ratio2 "$(med 30000 nspid-table)" "$(awk -v a="$sp30" -v b="$(med 30000 map)" 'BEGIN { print a + b }')")
ps10=$(med 10000 ps)
r9=$(ratio2 "$(med 10000 nspid-table)" "${ps10:-0}")
percall() { awk -v t="$1" 'BEGIN { printf "%.1f", t / 100 / 1000 }'; }

md=bench/results.md
{
	echo "# nspid benchmark"
	echo
	echo "Made by \`make bench\` on $(date -u +%Y-%m-%d), kernel $kver under QEMU TCG"
	echo "(2 vCPUs). Median of 7 runs after a warm-up, min and max beside it."
	echo "Absolute times are emulated and only indicative; the ratios hold."
	echo
	echo "| threads | method | rows | median ms | min ms | max ms | µs per row |"
	echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: |"
	awk -F'\t' 'NR > 1 {
		per = ($3 > 1) ? sprintf("%.2f", $4 / $3 / 1000) : "-"
		printf "| %s | %s | %s | %.2f | %.2f | %.2f | %s |\n",
			$1, $2, $3, $4 / 1e6, $5 / 1e6, $6 / 1e6, per }' "$tsv"
	echo
	echo "| target | measured | verdict |"
	echo "| --- | ---: | --- |"
	echo "| map vs status walk at 10,000 threads: ≥ 25× faster | ${r1}× | $(verdict "$r1" ">=" 25) |"
	echo "| \`nspid PID\` vs the maps-hash method: ≥ 100× faster | ${r2}× | $(verdict "$r2" ">=" 100) |"
	echo "| map time per row, 30,000 vs 1,000 threads: ≤ 1.3× | ${r3}× | $(verdict "$r3" "<=" 1.3) |"
	echo "| map vs reading a same-size tmpfs file: ≤ 3× | ${r4}× | $(verdict "$r4" "<=" 3) |"
	echo "| \`nspid PID\` vs \`nspid --version\`, 30,000 threads: ≤ 1.3× | ${r5}× | $(verdict "$r5" "<=" 1.3) |"
	echo "| \`nspid PID\` vs \`nspid --version\`, 1,000 threads: ≤ 1.3× | ${r5b}× | $(verdict "$r5b" "<=" 1.3) |"
	echo "| \`nspid --to-host N --ns-of P\` vs \`nspid --version\`, 30,000: ≤ 1.3× | ${r6}× | $(verdict "$r6" "<=" 1.3) |"
	echo "| \`nspid --to-host N --ns-of P\` vs \`nspid --version\`, 1,000: ≤ 1.3× | ${r6b}× | $(verdict "$r6b" "<=" 1.3) |"
	echo "| \`nspid --to-host\` vs the maps-hash method, 10,000: ≥ 100× faster | ${r6c}× | $(verdict "$r6c" ">=" 100) |"
	echo "| one ioctl lookup vs one read of /proc/PID/status, 10,000: ≤ 1× | ${r7}× | $(verdict "$r7" "<=" 1) |"
	echo "| one ioctl reverse lookup vs one status read, 10,000: ≤ 1× | ${r7b}× | $(verdict "$r7b" "<=" 1) |"
	echo "| \`nspid -L\` vs spawn + map read, 10,000 threads: ≤ 2× | ${r8}× | $(verdict "$r8" "<=" 2) |"
	echo "| \`nspid -L\` vs spawn + map read, 30,000 threads: ≤ 2× | ${r8b}× | $(verdict "$r8b" "<=" 2) |"
	echo "| \`nspid -L\` vs \`ps -eLo pid,tid,comm\`, 10,000 threads: < 1× | ${r9}× | $(verdict "$r9" "<=" 0.999) |"
	echo
	echo "Bounds: starting any program here (\`spawn-nspid\`) costs"
	echo "$(awk -v t="$spawn" 'BEGIN { printf "%.1f", t / 1e6 }') ms at 10,000 threads, so no command can be more than"
	echo "${r2max}× faster than the maps-hash method in this VM. \`nspid PID\` asks"
	echo "the module by ioctl (the lookup's target was host pid $target10 of"
	echo "$(rows 10000 map) rows); before the ioctls it read the map up to that row."
	echo "Where a pass over the map goes, stage by stage: \`make profile\`"
	echo "(bench/profile.md)."
	echo
	echo "Methods: \`map\` reads /proc/nspid_map; \`status\` opens every"
	echo "/proc/PID/task/TID/status for NSpid and reads every ns/pid link (C);"
	echo "\`nspid-table\` and \`nspid-table-status\` run \`nspid -L\` with each source;"
	echo "\`lookup-nspid\` runs \`nspid PID\` (\`spawn-nspid\`: \`nspid --version\`, the cost of"
	echo "starting it at all);"
	echo "\`lookup-seed\` is bench/seed.sh (nsenter and md5sum of maps);"
	echo "\`floor\` reads a tmpfs copy of the map; \`tohost-nspid\` runs"
	echo "\`nspid --to-host N --ns-of P\` (N the target's pid in the container, P its init);"
	echo "\`ioctl-get\` and \`ioctl-reverse\` ask NSPID_IOC_GET_TASK and NSPID_IOC_BY_NSPID"
	echo "(ioctl_nspid_map(2)) from C on an open descriptor, and \`lookup-status\` reads one"
	echo "status file, each 100 times a sample: their per-row column is one call"
	echo "($(percall "$(med 10000 ioctl-get)") µs, $(percall "$(med 10000 ioctl-reverse)") µs and $(percall "$(med 10000 lookup-status)") µs at 10,000 threads);"
	echo "\`ps\` runs procps' \`ps -eLo pid,tid,comm\`, the table a user would otherwise run."
} >"$md"

gnuplot <<EOF
set terminal svg size 800,500 dynamic
set output "bench/results.svg"
set title "Time per row against threads ($kver, QEMU TCG)"
set xlabel "threads"
set ylabel "microseconds per row"
set logscale xy
set key outside right
set datafile separator "\t"
plot for [m in "map floor status nspid-table nspid-table-status"] \
	"< awk -F'\t' -v m=" . m . " 'NR > 1 && \$2 == m' $tsv" \
	using 1:(\$4 / \$3 / 1000) with linespoints title m
EOF

# The README shows the latest figures: the block between its bench markers
# is rewritten from this run (the compact table, the targets, the plot).
if grep -q '^<!-- bench: begin' README.md && grep -q '^<!-- bench: end' README.md; then
	block=$(mktemp)
	{
		echo "<!-- bench: begin (written by make bench; edits here are overwritten) -->"
		echo
		echo "Measured by \`make bench\` on $(date -u +%Y-%m-%d), kernel $kver under QEMU"
		echo "TCG; median ms of 7 runs (whole table, min and max: bench/results.md)."
		echo
		awk -F'\t' 'NR > 1 {
			if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 }
			if (!($1 in tseen)) { tseen[$1] = 1; th[++k] = $1 }
			v[$2, $1] = sprintf("%.2f", $4 / 1e6)
		} END {
			printf "| method |"; for (j = 1; j <= k; j++) printf " %s threads |", th[j]; print ""
			printf "| --- |"; for (j = 1; j <= k; j++) printf " ---: |"; print ""
			for (i = 1; i <= n; i++) {
				printf "| %s |", order[i]
				for (j = 1; j <= k; j++) printf " %s |", v[order[i], th[j]]
				print ""
			}
		}' "$tsv"
		echo
		sed -n '/^| target |/,/^$/p' "$md"
		sed -n '/^Bounds:/,/^$/p' "$md"
		echo "![time per row against threads](bench/results.svg)"
		echo
		echo "<!-- bench: end -->"
	} >"$block"
	awk -v block="$block" '
		/^<!-- bench: begin/ { while ((getline l < block) > 0) print l; skip = 1; next }
		/^<!-- bench: end/ { skip = 0; next }
		!skip' README.md >README.md.new && mv README.md.new README.md
	rm -f "$block"
	echo "bench: README.md updated" >&2
fi
cat "$md"
