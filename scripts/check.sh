#!/bin/sh
# make check: install what is missing, build, run the static checks, the
# reader's unit tests and fuzzing, and the selftests in a VM on every
# kernel we prove. Each step counts its checks; the last line is the sum,
# "N passed, N failed", and the exit status is non-zero on any failure.
#
# NSPID_CHECK_ONLY="static vm61" runs a subset (steps named below).
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
	scripts/compat-check.sh 5.10 6.1 6.12 >"$log/compat.log" 2>&1
	grep '^compat:' "$log/compat.log"
	add_counts "$log/compat.log" "compat W=1"
	echo "check: compat builds took $(elapsed "$t")"
fi

# vm_suite NAME VMLINUZ MODULE: the whole selftest suite in a VM.
vm_suite() {
	vlog=$log/vm-$1.log
	if [ -z "$2" ] || [ -z "$3" ]; then
		bad "vm $1: kernel image or module missing (see $log)"
		return
	fi
	selftests/vm/run.sh --kernel "$2" --module "$3" >"$vlog" 2>&1
	st=$?
	grep -aE '^vm: (FAIL|[a-z_]+_test: )' "$vlog"
	add_counts "$vlog" "vm $1"
	[ $st = 0 ] || grep -q '[1-9][0-9]* failed' "$vlog" || bad "vm $1: runner exited $st"
}

# The VM's tests run the static reader as /bin/nspid.
if want vm61 || want vm510; then
	make -s -C userspace static >"$log/static.log" 2>&1 ||
		bad "static nspid for the VM (see $log/static.log)"
fi

# --- selftests in the VM: Debian 12's 6.1 and Debian 11's 5.10 -------------------
for series in 6.1 5.10; do
	want "vm$(echo "$series" | tr -d .)" || continue
	t=$(date +%s)
	blog=$log/build-$series.log
	ko=$(scripts/build-module.sh "$series" 2>"$blog")
	vm_suite "$series" "$(scripts/get-kernel.sh "$series" 2>>"$blog")" \
		"${ko:+$ko/nspid_map.ko}"
	echo "check: vm $series took $(elapsed "$t")"
done

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
