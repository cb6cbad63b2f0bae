#!/bin/sh
# make check: install what is missing, build, run the static checks, the
# reader's unit tests and fuzzing, and the selftests in a VM on every
# kernel we prove. Each step counts its checks; the last line is the sum,
# "N passed, N failed", and the exit status is non-zero on any failure.
#
# NSPID_CHECK_ONLY="static vm61" runs a subset: deps static userspace
# compat vm61 vm510 vm612 vmbpo vmboot pkg (described below).
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
. scripts/cache.sh
log=$NSPID_CACHE/check-logs/$(date +%Y%m%d-%H%M%S)
mkdir -p "$log"

passed=0 failed=0 skipped=0
start=$(date +%s)

ok() { passed=$((passed + 1)); echo "check: ok   $*"; }
bad() { failed=$((failed + 1)); echo "check: FAIL $*"; }
# judge NAME STATUS -- a check that passes when STATUS is 0
judge() { if [ "$2" = 0 ]; then ok "$1"; else bad "$1"; fi; }
want() { [ -z "${NSPID_CHECK_ONLY:-}" ] || echo " $NSPID_CHECK_ONLY " | grep -q " $1 "; }
elapsed() { echo "$(( $(date +%s) - $1 ))s"; }

# add_counts FILE STEP: add a sub-suite's closing "N passed, N failed" line.
add_counts() {
	line=$(grep -E '(^|: )[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
	if [ -z "$line" ]; then
		bad "$2: no result line (see $1)"
		return
	fi
	p=$(echo "$line" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+')
	f=$(echo "$line" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+')
	s=$(echo "$line" | grep -oE '[0-9]+ skipped' | grep -oE '[0-9]+' || true)
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + ${s:-0}))
	echo "check: $2: $line"
}

# --- dependencies -----------------------------------------------------------
if want deps; then
	scripts/deps.sh >"$log/deps.log" 2>&1
	st=$?
	judge "dependencies installed" $st
	[ $st = 0 ] || tail -n 20 "$log/deps.log"
fi

kdir=$(ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1)

# --- static checks on the module ---------------------------------------------
if want static; then
	t=$(date +%s)
	make -s -C "$kdir" M="$top" clean >/dev/null 2>&1
	make module KDIR="$kdir" W=1 >"$log/build-w1.log" 2>&1
	judge "module builds against $(basename "$(dirname "$kdir")")" $?
	n=$(grep -cE '(warning|error):' "$log/build-w1.log")
	judge "W=1: $n warnings" "$n"
	[ "$n" = 0 ] || grep -E '(warning|error):' "$log/build-w1.log"

	make module KDIR="$kdir" C=2 >"$log/sparse.log" 2>&1
	n=$(grep -cE '(warning|error):' "$log/sparse.log")
	judge "sparse (C=2): $n warnings" "$n"
	[ "$n" = 0 ] || grep -E '(warning|error):' "$log/sparse.log"

	tools=$(scripts/kernel-tools.sh)
	perl "$tools/scripts/checkpatch.pl" --strict --no-tree --terse \
		--show-types -f module/*.c module/*.h include/uapi/nspid/*.h >"$log/checkpatch.log" 2>&1
	n=$(grep -cE ': (ERROR|WARNING|CHECK):' "$log/checkpatch.log")
	judge "checkpatch --strict on module/: $n findings" "$n"
	[ "$n" = 0 ] || cat "$log/checkpatch.log"

	# The crash extension (issue 14): -Wall -Wextra -Werror, and its man page.
	make -C postmortem clean all lint-man >"$log/postmortem-static.log" 2>&1
	judge "postmortem: nspid.so -Wall -Wextra -Werror, nspid-postmortem(7) lint clean" $?

	if git grep -q LINUX_VERSION_CODE -- 'module/*.c'; then
		bad "module/*.c test LINUX_VERSION_CODE (belongs in compat.h)"
	else
		ok "no LINUX_VERSION_CODE in module/*.c"
	fi
	echo "check: static checks took $(elapsed "$t")"
fi

# --- the reader ----------------------------------------------------------------
if want userspace && [ -f userspace/Makefile ]; then
	t=$(date +%s)
	make -C userspace check >"$log/userspace.log" 2>&1
	st=$?
	add_counts "$log/userspace.log" "userspace"
	[ $st = 0 ] || { tail -n 30 "$log/userspace.log"; bad "userspace: make check exited $st"; }
	make -C userspace static >"$log/userspace-static.log" 2>&1
	judge "static musl nspid builds" $?
	echo "check: userspace took $(elapsed "$t")"
fi

# --- compile against every kernel we build for (W=1) -------------------------
if want compat; then
	t=$(date +%s)
	scripts/compat-check.sh 5.10 6.1 6.12 trixie trixie-backports >"$log/compat.log" 2>&1
	grep '^compat:' "$log/compat.log"
	add_counts "$log/compat.log" "compat W=1"
	echo "check: compat builds took $(elapsed "$t")"
fi

# vm_job STEP SERIES: build the module for SERIES, fetch its image and run
# the whole selftest suite in a VM, quietly (it may run beside another);
# vm_judge STEP SERIES counts what it left in $log/vm-STEP.*.
vm_job() {
	t=$(date +%s)
	blog=$log/build-$2.log
	ko=$(scripts/build-module.sh "$2" 2>"$blog")
	kernel=$(scripts/get-kernel.sh "$2" 2>>"$blog")
	if [ -z "$kernel" ] || [ -z "$ko" ] || [ ! -f "$ko/nspid_map.ko" ]; then
		echo missing >"$log/vm-$1.rc"
	else
		selftests/vm/run.sh --lock "$1" --kernel "$kernel" \
			--module "$ko/nspid_map.ko" >"$log/vm-$1.log" 2>&1
		echo $? >"$log/vm-$1.rc"
	fi
	echo "$(( $(date +%s) - t ))s" >"$log/vm-$1.took"
}
vm_judge() {
	vlog=$log/vm-$1.log
	st=$(cat "$log/vm-$1.rc" 2>/dev/null)
	if [ "$st" = missing ] || [ -z "$st" ]; then
		bad "vm $2: kernel image or module missing (see $log/build-$2.log)"
		return
	fi
	grep -aE '^vm: (FAIL|[a-z_]+_test: |kernel )' "$vlog"
	add_counts "$vlog" "vm $2"
	[ "$st" = 0 ] || grep -q '[1-9][0-9]* failed' "$vlog" || bad "vm $2: runner exited $st"
	echo "check: vm $2 took $(cat "$log/vm-$1.took")"
}

# --- selftests in the VM ------------------------------------------------------
# Steps: vm61 Debian 12's 6.1, vm510 Debian 11's 5.10, vm612 Debian 13's
# 6.12, vmbpo the newest kernel of trixie-backports (each image found by its
# metapackage). Two VMs run side by side, each with its own lock and 2 GB,
# while MemAvailable has room for them; NSPID_VM_JOBS=1 runs them one by one.
vms=
for v in vm61:6.1 vm510:5.10 vm612:trixie vmbpo:trixie-backports; do
	want "${v%%:*}" && vms="$vms $v"
done
if [ -n "$vms" ]; then
	t=$(date +%s)
	# The VM's tests run the static reader as /bin/nspid; build it and the
	# tests once, before VMs run side by side.
	make -s -C userspace static >"$log/static.log" 2>&1 ||
		bad "static nspid for the VM (see $log/static.log)"
	make -s -k -C selftests >"$log/selftests-build.log" 2>&1
	jobs=${NSPID_VM_JOBS:-}
	if [ -z "$jobs" ]; then
		mem=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
		if [ "${mem:-0}" -ge 6144 ]; then jobs=2; else jobs=1; fi
	fi
	# shellcheck disable=SC2086
	set -- $vms
	while [ $# -gt 0 ]; do
		pids= i=0
		while [ $i -lt "$jobs" ] && [ $# -gt 0 ]; do
			vm_job "${1%%:*}" "${1#*:}" &
			pids="$pids $!" i=$((i + 1))
			shift
		done
		# shellcheck disable=SC2086
		wait $pids
	done
	for v in $vms; do vm_judge "${v%%:*}" "${v#*:}"; done
	echo "check: VMs ($jobs at a time) took $(elapsed "$t")"
fi

# --- the VM runner's boot watchdog -------------------------------------------
# A boot that hangs before init is killed and tried once more; one that
# always hangs fails the run (selftests/vm/boot-watchdog-test.sh, on 6.1).
if want vmboot; then
	t=$(date +%s)
	ko=$(scripts/build-module.sh 6.1 2>"$log/build-vmboot.log")
	kernel=$(scripts/get-kernel.sh 6.1 2>>"$log/build-vmboot.log")
	if [ -z "$kernel" ] || [ ! -f "$ko/nspid_map.ko" ]; then
		bad "boot watchdog: kernel image or module missing (see $log/build-vmboot.log)"
	else
		selftests/vm/boot-watchdog-test.sh --kernel "$kernel" \
			--module "$ko/nspid_map.ko" >"$log/vmboot.log" 2>&1
		st=$?
		grep '^bootdog: FAIL' "$log/vmboot.log"
		add_counts "$log/vmboot.log" "boot watchdog"
		[ $st = 0 ] || grep -q '[1-9][0-9]* failed' "$log/vmboot.log" || bad "boot watchdog: exited $st"
	fi
	echo "check: boot watchdog took $(elapsed "$t")"
fi

# --- packaging: DKMS, .deb, RPM ----------------------------------------------------
if want pkg; then
	t=$(date +%s)
	# The whole suite ran above on the in-tree build; the DKMS-built module
	# gets modprobe and the core groups, to keep make check short.
	NSPID_PKG_VM_TESTS=${NSPID_PKG_VM_TESTS:-read lifecycle scene} \
		scripts/pkg-check.sh >"$log/pkg.log" 2>&1
	st=$?
	grep -E '^pkg: (FAIL|SKIP)|^vm: (FAIL|kernel:)' "$log/pkg.log"
	add_counts "$log/pkg.log" "packaging"
	[ $st = 0 ] || grep -q '[1-9][0-9]* failed' "$log/pkg.log" || bad "packaging: exited $st"
	echo "check: packaging took $(elapsed "$t")"
fi

echo "check: logs in $log; total $(elapsed "$start")"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" = 0 ]
