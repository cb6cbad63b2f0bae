#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make profile: where a pass over /proc/nspid_map spends its time, stage by
# stage, in the 6.1 VM (perf is not there). The module is built four times
# from a copy of module/, each build doing less of a row:
#
#   full  the module as it is
#   fmt   everything but handing the row to the seq_file (no output)
#   ids   the walk and the ids (tgid, nstgid, ppid), no comm, no formatting
#   walk  the walk alone: pid lookup, task, visibility; no row at all
#
# bench/nspid_profile.c times whole passes of each build in one VM boot
# (10,000 tasks); the differences are the stages' costs. Prints a table
# and writes bench/profile.md.
#
# Usage: bench/profile.sh [--kernel VMLINUZ]
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
cd "$top"
. scripts/cache.sh

kernel=
[ "${1:-}" = --kernel ] && kernel=$2
[ -n "$kernel" ] || kernel=$(scripts/get-kernel.sh 6.1)
kdir=$(scripts/get-headers.sh 6.1)
work=$NSPID_CACHE/profile
rm -rf "$work"
mkdir -p "$work"

# edit FILE PERL-SUBSTITUTION: apply it once, or stop (the source moved on)
edit() {
	perl -0pi -e "\$n = ($2); END { exit(\$n == 1 ? 0 : 1) }" "$1" || {
		echo "profile: the edit for $(basename "$(dirname "$(dirname "$1")")") no longer applies to $1" >&2
		exit 1
	}
}

for b in full fmt ids walk; do
	mkdir -p "$work/$b"
	cp -R Kbuild dkms.conf module include "$work/$b/"
	find "$work/$b/module" \( -name '*.o' -o -name '.*.cmd' \) -exec rm -f {} +
done
# fmt: the row is formatted whole, then dropped
edit "$work/fmt/module/show.c" \
	's/\tseq_write\(m, row, p - row\);\n\treturn 0;\n}/\treturn p > row ? SEQ_SKIP : 0;\n}/'
# ids: drop the row once its ids are known
edit "$work/ids/module/show.c" \
	's/(\t\tnspid_nr_in\(task_tgid\(rcu_dereference\(task->real_parent\)\), ns\) : 0;\n)/$1\tif (tgid + nstgid + ppid)\n\t\treturn SEQ_SKIP;\n/'
# walk: no row at all
edit "$work/walk/module/main.c" \
	's/\treturn nspid_show_task\(m, it->ns, v, it->row\);/\treturn SEQ_SKIP;/'

for b in full fmt ids walk; do
	make -s -C "$kdir" M="$work/$b" modules >"$work/$b.log" 2>&1 ||
		{ tail -n 20 "$work/$b.log" >&2; echo "profile: build $b failed" >&2; exit 1; }
	cp "$work/$b/nspid_map.ko" "$work/$b.ko"
done
musl-gcc -static -O2 -Wall -Wextra -Werror -pthread \
	-o "$work/profile_test" bench/nspid_profile.c

out=$work/vm.log
selftests/vm/run.sh --kernel "$kernel" --module "$work/full.ko" --tests none \
	--mem 2048 --timeout 900 --quiet --extra "$work/profile_test" \
	"$work/full.ko" "$work/fmt.ko" "$work/ids.ko" "$work/walk.ko" >"$out" 2>&1 || {
	tail -n 30 "$out"
	echo "profile: the VM run failed (log: $out)" >&2
	exit 1
}
console=$(sed -n 's/^vm: console log //p' "$out")
kver=$(tr -d '\r' <"$console" | sed -n 's/.*BOOTED .*kernel=\([^ ]*\).*/\1/p' | head -n 1)
tr -d '\r' <"$console" | sed -n 's/^PROFILE\t//p' >"$work/profile.tsv"

# The median over the rounds of each build's median pass.
md=bench/profile.md
awk -F'\t' -v kver="$kver" -v date="$(date -u +%Y-%m-%d)" '
	$1 == "full.ko" && $3 > rows { rows = $3 }
	{ n[$1]++; t[$1, n[$1]] = $4 }
	function median(b,   i, j, k, v, a) {
		k = n[b]
		for (i = 1; i <= k; i++) a[i] = t[b, i]
		for (i = 1; i <= k; i++)
			for (j = i + 1; j <= k; j++)
				if (a[j] < a[i]) { v = a[i]; a[i] = a[j]; a[j] = v }
		return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
	}
	function row(name, ns, what) {
		printf "| %s | %.2f | %.2f | %.0f%% |\n", name, ns / 1e6,
			ns / rows / 1e3, 100 * ns / full
	}
	END {
		full = median("full.ko"); walk = median("walk.ko")
		ids = median("ids.ko"); fmt = median("fmt.ko")
		floor = median("floor")
		print "# Where a pass over /proc/nspid_map goes"
		print ""
		printf "Made by `make profile` on %s, kernel %s under QEMU TCG, %d rows\n", date, kver, rows
		print "(50 processes of 200 threads). Each stage is the difference between two"
		print "builds of the module that stop a row at successive points (bench/profile.sh),"
		print "timed in turn in one boot, 4 rounds of 9 passes; medians."
		print ""
		print "| stage | ms per pass | µs per row | share |"
		print "| --- | ---: | ---: | ---: |"
		row("walk: next pid, its task, visibility, seq_file calls", walk)
		row("ids: tgid, nstgid, ppid of the row", ids - walk)
		row("row: comm (under task_lock) and formatting", fmt - ids)
		row("output: seq_write, copy to user space", full - fmt)
		row("**whole pass**", full)
		print ""
		printf "Floor, a tmpfs file of the same %d rows read the same way: %.2f ms (the pass is %.1f× that).\n", rows, floor / 1e6, full / floor
	}' "$work/profile.tsv" >"$md"
cat "$md"
