#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make check-debug (issue 7): the module under a kernel built to catch
# memory, locking and RCU mistakes, under load, for long.
#
#   1. the debug kernel: scripts/debug-kernel.sh (built once, cached by the
#      hash of its config fragment and the linux-source version);
#   2. the module, built against that tree with W=1 in a scratch copy: no
#      warning from its own code;
#   3. one VM on it: every selftest, then stress_test for
#      $NSPID_STRESS_SECONDS (default 600) with $NSPID_STRESS_CYCLES (1000)
#      load/unload cycles; the runner's verdict, plus a scan of the console
#      for what the runner's patterns may not name (KASAN, UBSAN, lockdep,
#      ODEBUG, list corruption, sleeping in atomic), kmemleak reports
#      (split by whether they name nspid_map), the slab figures;
#   4. the reader's fuzz target for $FUZZ_SECONDS (default 1800), at the same
#      time as the VM (niced: the VM's tests are time-based, not CPU-bound);
#   5. make check-postmortem (scripts/check-postmortem.sh: crash and drgn
#      on VM dumps; its own 6.1 kernel with DWARF), while the fuzzing goes on.
#
# Last line: "N passed, N failed". Logs: $NSPID_CACHE/check-debug/<time>/.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
. scripts/cache.sh

stress_seconds=${NSPID_STRESS_SECONDS:-600}
stress_cycles=${NSPID_STRESS_CYCLES:-1000}
# Under emulation the debug kernel's RCU callbacks (kmemleak queues one per
# freed object) run minutes behind a busy guest, and each unload waits for
# them in synchronize_rcu(): hung-task reports, 1 cycle in 2 minutes. So
# the guest boots with rcupdate.rcu_expedited=1 (synchronize_rcu() then
# waits for a grace period, not for the callback queue; every RCU debug
# option still runs) and the churn is paced.
churn_pause=${NSPID_STRESS_CHURN_PAUSE_MS:-100}
fuzz_seconds=${FUZZ_SECONDS:-1800}
vm_timeout=${NSPID_VM_TIMEOUT:-$((stress_seconds + 3600))}
log=$NSPID_CACHE/check-debug/$(date +%Y%m%d-%H%M%S)
mkdir -p "$log"
start=$(date +%s)
passed=0 failed=0

ok() { passed=$((passed + 1)); echo "ok - $*"; }
bad() { failed=$((failed + 1)); echo "not ok - $*"; }
judge() { if [ "$2" = 0 ]; then ok "$1"; else bad "$1"; fi; }
elapsed() { s=$(( $(date +%s) - $1 )); echo "$((s / 60))m$((s % 60))s"; }
finish() {
	echo "check-debug: logs in $log; total $(elapsed "$start")"
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
	exit $?
}

scripts/deps.sh libelf-dev libssl-dev bc flex bison >"$log/deps.log" 2>&1 ||
	{ cat "$log/deps.log"; bad "build dependencies installed"; finish; }

# --- 1. the debug kernel ------------------------------------------------------
t=$(date +%s)
scripts/debug-kernel.sh >"$log/kernel.out" 2>"$log/kernel.err"
st=$?
cat "$log/kernel.err"
bz=$(sed -n 's/^BZIMAGE=//p' "$log/kernel.out")
tree=$(sed -n 's/^TREE=//p' "$log/kernel.out")
if [ $st != 0 ] || [ ! -f "$bz" ]; then
	bad "debug kernel built, config verified"
	finish
fi
ok "debug kernel built, config verified ($bz)"
echo "check-debug: debug kernel took $(elapsed "$t") here" \
	"(first build: $(cat "$(dirname "$tree")/build-seconds" 2>/dev/null || echo '?') s)"

# --- 2. the module against it, W=1 ----------------------------------------------
mod=$(mktemp -d "${TMPDIR:-/tmp}/nspid-debugmod.XXXXXX")
trap 'rm -rf "$mod"; [ -n "${fuzzpid:-}" ] && kill "$fuzzpid" 2>/dev/null' EXIT
cp -r Kbuild dkms.conf module include "$mod/"
rm -f "$mod"/module/*.o "$mod"/module/.*.cmd
make -C "$tree" M="$mod" W=1 modules >"$log/module.log" 2>&1
st=$?
judge "module builds against the debug tree" $st
[ $st = 0 ] || { tail -n 30 "$log/module.log"; finish; }
if grep -E 'warning:' "$log/module.log" | grep -q "$mod/" ||
   grep -q 'WARNING: modpost' "$log/module.log"; then
	grep -E 'warning:|WARNING: modpost' "$log/module.log" | head -n 20
	bad "module W=1 build: no warning from its own code, modpost clean"
else
	ok "module W=1 build: no warning from its own code, modpost clean"
fi
cp "$mod/nspid_map.ko" "$log/nspid_map.ko"

# --- 4 (started now). the reader's fuzz target ------------------------------------
fuzzpid=
if grep -q '^fuzz:' userspace/Makefile 2>/dev/null; then
	nice -n 10 make -C userspace fuzz FUZZ_SECONDS="$fuzz_seconds" \
		>"$log/fuzz.log" 2>&1 &
	fuzzpid=$!
	echo "check-debug: fuzzing the reader for ${fuzz_seconds}s in the background"
else
	bad "reader fuzz target (make -C userspace fuzz) exists"
fi

# --- 3. the VM ------------------------------------------------------------------------
printf 'seconds=%s\ncycles=%s\nchurn_pause_ms=%s\n' "$stress_seconds" "$stress_cycles" \
	"$churn_pause" >"$mod/stress.conf"
make -s -k -C selftests >"$log/selftests-build.log" 2>&1
# The reader goes into the guest as /bin/nspid (reader_test runs it); the
# runner takes userspace/nspid-static when it exists.
make -s static >"$log/static.log" 2>&1
judge "static musl reader built for the guest (userspace/nspid-static)" $?
tests=
for f in selftests/*_test.c; do
	n=$(basename "$f" .c)
	[ "$n" = stress_test ] || tests="$tests $n"
done
tests="$tests stress_test"
t=$(date +%s)
echo "check-debug: VM on the debug kernel:$tests (stress ${stress_seconds}s," \
	"${stress_cycles} cycles, churn paused ${churn_pause} ms; timeout ${vm_timeout}s)"
NSPID_VM_LOGDIR=$log selftests/vm/run.sh --kernel "$bz" --module "$mod/nspid_map.ko" \
	--tests "$tests" --timeout "$vm_timeout" --mem "${NSPID_VM_MEM:-4096}" \
	--append "ignore_loglevel rcupdate.rcu_expedited=1" --extra "$mod/stress.conf" \
	>"$log/vm.log" 2>&1
vmst=$?
echo "check-debug: VM took $(elapsed "$t")"
console=$(sed -n 's/^vm: console log //p' "$log/vm.log")
grep -E '^vm: ' "$log/vm.log" | grep -v '^vm: [0-9]* passed' | tail -n 60
vp=$(sed -n 's/^vm: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p' "$log/vm.log" | tail -n 1)
vf=$(sed -n 's/^vm: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p' "$log/vm.log" | tail -n 1)
if [ -n "$vp" ] && [ -n "$vf" ]; then
	passed=$((passed + vp))
	failed=$((failed + vf))
	echo "check-debug: VM: $vp passed, $vf failed"
	[ "$vmst" = 0 ] || [ "$vf" != 0 ] || bad "VM runner exited $vmst"
else
	bad "VM runner verdict (exit $vmst; see $log/vm.log)"
fi

if [ -f "$console" ]; then
	tr -d '\r' <"$console" >"$log/console.txt"
	# The debug kernel really ran with its options.
	grep -q 'Kernel command line:.*panic_on_warn=1' "$log/console.txt"
	judge "debug kernel booted with panic_on_warn=1" $?
	grep -q 'NSPID-VM: INFO kmemleak=/sys/kernel/debug/kmemleak' "$log/console.txt"
	judge "kmemleak active in the guest" $?
	# Everything the debugging options print, whether or not the runner's
	# own patterns name it. Kernel lines only (the tests print "# ...").
	pat='KASAN:|UBSAN:|BUG:|WARNING:|Oops|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|DEBUG_LOCKS_WARN_ON|ODEBUG:|list_(add|del) corruption|sleeping function called from invalid context|rcu: INFO|self-detected stall|soft lockup|blocked for more than|kmemleak: .*suspected|Kernel panic|refcount_t:'
	grep -E "$pat" "$log/console.txt" | grep -vE '^(# |NSPID-VM: |ok |not ok )' |
		sort -u >"$log/kernel-trouble.txt"
	n=$(wc -l <"$log/kernel-trouble.txt")
	if [ "$n" = 0 ]; then
		ok "debug kernel log: no KASAN/UBSAN/lockdep/RCU/ODEBUG/list/atomic-sleep report"
	else
		head -n 30 "$log/kernel-trouble.txt"
		bad "debug kernel log: $n distinct report lines ($log/kernel-trouble.txt)"
	fi
	# kmemleak, after init's own "echo scan" (see selftests/vm/init).
	sed -n '/^NSPID-VM: KMEMLEAK BEGIN$/,/^NSPID-VM: KMEMLEAK END$/p' \
		"$log/console.txt" | sed '1d;$d' >"$log/kmemleak.txt"
	leaks=$(grep -c '^unreferenced object' "$log/kmemleak.txt")
	modleaks=$(awk '/^unreferenced object/ { if (m) n++; m = 0 }
		/nspid_map/ { m = 1 } END { if (m) n++; print n + 0 }' "$log/kmemleak.txt")
	echo "check-debug: kmemleak: $leaks unreferenced objects, $modleaks naming nspid_map"
	grep -q '^NSPID-VM: KMEMLEAK END$' "$log/console.txt" &&
		[ "$modleaks" = 0 ] && [ "$leaks" = 0 ]
	judge "kmemleak scan after the run: nothing reported ($leaks objects, $modleaks from nspid_map)" $?
	# The stress figures and the slab results, as the test printed them.
	grep -E '^# (stress|slab)' "$log/console.txt" | grep -v ' objects (' \
		| sed 's/^# /check-debug: /'
else
	bad "VM console log found"
fi

# --- 5. the post-mortem tools (issue 14) -----------------------------------------------
t=$(date +%s)
scripts/check-postmortem.sh >"$log/postmortem.log" 2>&1
pst=$?
grep -E '^(ok|not ok) ' "$log/postmortem.log" | sed 's/^/  postmortem: /'
pp=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$log/postmortem.log" | tail -n 1)
pf=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$log/postmortem.log" | tail -n 1)
echo "check-debug: check-postmortem: ${pp:-?} passed, ${pf:-?} failed in $(elapsed "$t")"
judge "make check-postmortem ($log/postmortem.log)" $pst

# --- 4. the fuzz result ---------------------------------------------------------------
if [ -n "$fuzzpid" ]; then
	wait "$fuzzpid"
	fst=$?
	fuzzpid=
	grep -E '^(ok|not ok) ' "$log/fuzz.log"
	if [ $fst = 0 ] && grep -q '^ok - fuzz' "$log/fuzz.log"; then
		ok "reader fuzzed ${fuzz_seconds}s, no crash"
	else
		tail -n 20 "$log/fuzz.log"
		bad "reader fuzz run (exit $fst, $log/fuzz.log)"
	fi
fi
finish
