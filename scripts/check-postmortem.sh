#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make check-postmortem (issue 14, SPEC §4): the crash extension and the
# drgn script read /proc/nspid_map's rows out of a memory dump.
#
#   1. the post-mortem kernel: Debian's linux-source-6.1 with DWARF
#      debuginfo (scripts/debug-kernel.sh with scripts/postmortem-kernel.config;
#      built once, cached under $NSPID_CACHE/postmortem-kernel/), or the
#      built tree NSPID_PM_TREE names (its bzImage and vmlinux; an old
#      kernel's dumps, which lack VMCOREINFO before 4.17, get one from
#      postmortem/tests/pm_vmcoreinfo.py);
#   2. the module against it; postmortem/nspid.so and the guest's pm_scene;
#   3. one VM (selftests/vm/run.sh --demo postmortem/tests/guest.sh) run by
#      postmortem/tests/pm_vm.py: the scene is built (three nested pid
#      namespaces, threads, a zombie, hostile names), the guest writes
#      /proc/nspid_map to the console, is stopped (QEMU monitor `stop`) and
#      dumped (`dump-guest-memory`, ELF), resumed; then the churn runs, the
#      guest prints pass after pass of the map, and is stopped and dumped
#      again at a moment of the host's choosing;
#   4. crash with nspid.so and drgn with postmortem/nspid_map.py read each
#      dump: from the quiet one they must print exactly the bytes the guest
#      wrote (-L: every row; no option: the leaders' rows; PID and -L PID);
#      from the churn one every row must be a live row (pm_vm.py churn);
#   5. a copy of the quiet dump with two tasks torn (postmortem/tests/
#      pm_corrupt.py: one's struct pid pointer at another's pid, one's
#      signal pointer unmapped): both tools print every other row as
#      before, skip those two and say "skipped 2" on stderr.
#
# Last line: "N passed, N failed". Logs and dumps: $NSPID_CACHE/check-postmortem/
# (the dumps of earlier runs are removed, their logs kept).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
. scripts/cache.sh

base=$NSPID_CACHE/check-postmortem
log=$base/$(date +%Y%m%d-%H%M%S)
rm -f "$base"/*/*.elf
mkdir -p "$log"
start=$(date +%s)
passed=0 failed=0

ok() { passed=$((passed + 1)); echo "ok - $*"; }
bad() { failed=$((failed + 1)); echo "not ok - $*"; }
judge() { if [ "$2" = 0 ]; then ok "$1"; else bad "$1"; fi; }
finish() {
	echo "check-postmortem: logs in $log; total $(( $(date +%s) - start )) s"
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
	exit $?
}

scripts/deps.sh libelf-dev libssl-dev >"$log/deps.log" 2>&1 ||
	{ cat "$log/deps.log"; bad "dependencies installed (scripts/deps.sh)"; finish; }

# --- 1. the kernel --------------------------------------------------------------
t=$(date +%s)
if [ -n "${NSPID_PM_TREE:-}" ]; then
	# A kernel tree built elsewhere, with DWARF, PID_NS and modules (an
	# old kernel of the matrix, by hand): its bzImage and vmlinux as they are.
	tree=$(cd "$NSPID_PM_TREE" && pwd)
	bz=$tree/arch/x86/boot/bzImage
	echo "BZIMAGE=$bz" >"$log/kernel.out"
	[ -f "$tree/.config" ] && grep -q '^CONFIG_PID_NS=y' "$tree/.config"
	st=$?
else
	NSPID_KERNEL_FRAGMENT=$top/scripts/postmortem-kernel.config scripts/debug-kernel.sh \
		>"$log/kernel.out" 2>"$log/kernel.err"
	st=$?
	cat "$log/kernel.err"
	bz=$(sed -n 's/^BZIMAGE=//p' "$log/kernel.out")
	tree=$(sed -n 's/^TREE=//p' "$log/kernel.out")
fi
vmlinux=$tree/vmlinux
if [ $st != 0 ] || [ ! -f "$bz" ] || [ ! -f "$vmlinux" ]; then
	bad "post-mortem kernel built, config verified"
	finish
fi
ok "post-mortem kernel built, config verified ($bz)"
echo "check-postmortem: kernel step $(( $(date +%s) - t )) s here" \
	"(its build: $(cat "$(dirname "$tree")/build-seconds" 2>/dev/null || echo '?') s)"
if readelf -S "$vmlinux" | grep -q '\.debug_info'; then
	ok "vmlinux has DWARF debuginfo"
else
	bad "vmlinux has DWARF debuginfo"
	finish
fi

# --- 2. module, extension, guest program ------------------------------------------
# In a copy of the sources, as every other build (scripts/build-module.sh).
mod=$(scripts/build-module.sh "$tree")
st=$?
cp "$mod/build.log" "$log/module.log" 2>/dev/null
judge "module builds against the post-mortem kernel" $st
make -C postmortem all tests >"$log/postmortem-build.log" 2>&1
st=$?
judge "postmortem: nspid.so (-Wall -Wextra -Werror) and pm_scene build" $st
if [ ! -f "$mod/nspid_map.ko" ] || [ $st != 0 ]; then
	tail -n 20 "$log/module.log" "$log/postmortem-build.log"
	finish
fi

# --- 3. the VM and its two dumps --------------------------------------------------
t=$(date +%s)
NSPID_VM_LOGDIR=$log postmortem/tests/pm_vm.py run "$log" -- \
	selftests/vm/run.sh --kernel "$bz" --module "$mod/nspid_map.ko" \
	--tests none --extra postmortem/build/pm_scene \
	--demo postmortem/tests/guest.sh --mem 256 --append nokaslr \
	--timeout "${NSPID_VM_TIMEOUT:-600}" >"$log/vm.log" 2>&1
vmst=$?
grep -E '^(vm|pm_vm): ' "$log/vm.log" | grep -v '^vm: [0-9]* passed' | tail -n 20
grep -E '^vm: [0-9]* passed' "$log/vm.log" | tail -n 1
judge "VM: scene built, map written, stopped and dumped twice, clean run (exit $vmst, $(( $(date +%s) - t )) s)" $vmst
live=$log/live-quiet.map
if [ ! -s "$live" ] || [ ! -s "$log/quiet.elf" ] || [ ! -s "$log/churn.elf" ]; then
	bad "the guest's map and both dumps are there"
	finish
fi
# Before 4.17 the guest cannot hand QEMU its vmcoreinfo (no fw_cfg driver):
# the dumps then get a VMCOREINFO note from the kernel's own data, for drgn.
for d in quiet churn; do
	postmortem/tests/pm_vmcoreinfo.py --if-missing "$vmlinux" "$log/$d.elf" \
		"$log/$d.vi.elf" 2>"$log/vmcoreinfo-$d.log" &&
		{ [ ! -f "$log/$d.vi.elf" ] || mv -f "$log/$d.vi.elf" "$log/$d.elf"; }
	judge "$d.elf has a VMCOREINFO note ($(tail -n 1 "$log/vmcoreinfo-$d.log" | sed 's/^pm_vmcoreinfo: [^ ]*: //'))" $?
done
rows=$(grep -vc '^#' "$live")
levels=$(awk -F'\t' '!/^#/ { print $7 }' "$live" | sort -u | tr '\n' ' ')
echo "check-postmortem: the guest wrote $rows rows (levels: $levels)"
[ "$rows" -gt 20 ] && awk -F'\t' '!/^#/ && $7 == 3 { n++ } END { exit !(n >= 6) }' "$live"
judge "the live map holds the scene ($rows rows, 6+ of them at level 3)" $?

# The expected outputs of the selections, from the live map: the leaders'
# rows, one nested thread's row, and its whole thread group.
awk -F'\t' '/^#/ || $1 == $2' "$live" >"$log/live-leaders.map"
sel=$(awk -F'\t' '!/^#/ && $7 == 3 && $1 != $2 { print $1; exit }' "$live")
grp=$(awk -F'\t' -v p="$sel" '$1 == p { print $2 }' "$live")
awk -F'\t' -v p="$sel" '/^#/ || $1 == p' "$live" >"$log/live-pid.map"
awk -F'\t' -v g="$grp" '/^#/ || $2 == g' "$live" >"$log/live-group.map"

# --- 4. the tools on the dumps ------------------------------------------------------
# crash: one session per dump, every command's output to its own file.
run_crash() { # dump name
	cat >"$log/crash-$2.cmd" <<EOF
extend $top/postmortem/nspid.so
nspid -L > $log/crash-$2.map
nspid > $log/crash-$2-leaders.map
nspid $sel > $log/crash-$2-pid.map
nspid -L $sel > $log/crash-$2-group.map
quit
EOF
	timeout 300 crash -s "$vmlinux" "$1" -i "$log/crash-$2.cmd" \
		>"$log/crash-$2.out" 2>"$log/crash-$2.err" </dev/null
}
run_drgn() { # dump name
	timeout 300 drgn -q -c "$1" -s "$vmlinux" postmortem/nspid_map.py -L \
		>"$log/drgn-$2.map" 2>"$log/drgn-$2.err" &&
	drgn -q -c "$1" -s "$vmlinux" postmortem/nspid_map.py \
		>"$log/drgn-$2-leaders.map" 2>>"$log/drgn-$2.err" &&
	drgn -q -c "$1" -s "$vmlinux" postmortem/nspid_map.py "$sel" \
		>"$log/drgn-$2-pid.map" 2>>"$log/drgn-$2.err" &&
	drgn -q -c "$1" -s "$vmlinux" postmortem/nspid_map.py -L "$sel" \
		>"$log/drgn-$2-group.map" 2>>"$log/drgn-$2.err"
}
same() { # what expected got
	if cmp -s "$2" "$3"; then
		ok "$1: identical ($(grep -vc '^#' "$3") rows)"
	else
		bad "$1: differs from the live map ($3)"
		diff "$2" "$3" | head -n 10
	fi
}

for tool in crash drgn; do
	t=$(date +%s)
	"run_$tool" "$log/quiet.elf" quiet
	st=$?
	judge "$tool reads the quiet dump (exit $st, $(( $(date +%s) - t )) s)" $st
	[ -s "$log/$tool-quiet.err" ] && sed 's/^/  stderr: /' "$log/$tool-quiet.err" | head -n 5
	same "$tool nspid -L = the map the guest wrote" "$live" "$log/$tool-quiet.map"
	same "$tool nspid (leaders)" "$log/live-leaders.map" "$log/$tool-quiet-leaders.map"
	same "$tool nspid $sel (a thread at level 3)" "$log/live-pid.map" "$log/$tool-quiet-pid.map"
	same "$tool nspid -L $sel (its thread group)" "$log/live-group.map" "$log/$tool-quiet-group.map"

	t=$(date +%s)
	"run_$tool" "$log/churn.elf" churn
	st=$?
	judge "$tool reads the churn dump (exit $st, $(( $(date +%s) - t )) s)" $st
	skipped=$(sed -n 's/.*skipped \([0-9]*\) inconsistent.*/\1/p' "$log/$tool-churn.err" | head -n 1)
	echo "check-postmortem: $tool on the churn dump: ${skipped:-0} rows skipped as inconsistent"
	out=$(postmortem/tests/pm_vm.py churn "$log" "$log/$tool-churn.map")
	st=$?
	echo "$out" | sed 's/^/  /'
	judge "$tool on the churn dump: every row a live row ($(echo "$out" | head -n 1 | cut -d: -f1))" $st
done

# --- 5. a torn dump ---------------------------------------------------------------------
ta=$(awk -F'\t' '!/^#/ && $7 == 2 && $1 != $2 { p = $1 } END { print p }' "$live")
td=$(awk -F'\t' '!/^#/ && $7 == 3 && $1 != $2 { p = $1 } END { print p }' "$live")
drgn -q -c "$log/quiet.elf" -s "$vmlinux" postmortem/tests/pm_corrupt.py \
	"$log/torn.elf" "$ta" "$td" >"$log/torn.log" 2>&1
judge "torn copy of the quiet dump: threads $ta (level 2) and $td (level 3)" $?
awk -F'\t' -v a="$ta" -v d="$td" '$1 != a && $1 != d' "$live" >"$log/live-torn.map"
printf 'extend %s\nnspid -L > %s\nquit\n' "$top/postmortem/nspid.so" \
	"$log/crash-torn.map" >"$log/crash-torn.cmd"
timeout 300 crash -s "$vmlinux" "$log/torn.elf" -i "$log/crash-torn.cmd" \
	>"$log/crash-torn.out" 2>"$log/crash-torn.err" </dev/null
timeout 300 drgn -q -c "$log/torn.elf" -s "$vmlinux" postmortem/nspid_map.py -L \
	>"$log/drgn-torn.map" 2>"$log/drgn-torn.err"
for tool in crash drgn; do
	same "$tool on the torn dump: every other row" "$log/live-torn.map" "$log/$tool-torn.map"
	grep -q 'skipped 2 inconsistent rows' "$log/$tool-torn.err"
	judge "$tool on the torn dump: 'skipped 2 inconsistent rows' on stderr" $?
done
rm -f "$log/torn.elf"
finish
