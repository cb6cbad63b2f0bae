#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Boot a kernel in QEMU (TCG, no KVM) from a busybox initramfs holding the
# module and the selftests, run the tests, and judge the run from the console.
#
# Usage: selftests/vm/run.sh --kernel VMLINUZ --module DIR_OR_KO
#            [--tests "read lifecycle ..."] [--timeout SECONDS] [--mem MB]
#            [--extra FILE...] [--demo SCRIPT] [--busybox FILE] [--no-module]
#            [--env "NAME=VALUE ..."] [--append "ARGS"] [--lock NAME]
#            [--quiet] [--keep] [--qemu "ARGS"] [--boot-wait SECONDS]
#
#   --kernel    any bzImage/vmlinuz (Debian's 6.1: scripts/get-kernel.sh)
#   --module    nspid_map.ko, or the directory it was built in
#   --tests     test names (read or read_test), run in this order; default:
#               every selftests/build/*_test; "none": only --extra ones
#   --timeout   hard limit for the whole VM run (default 900)
#   --mem       guest memory in MB (default 2048)
#   --extra     more files for /tests in the guest (any number, up to the
#               next option); those named *_test are run after --tests
#   --demo      run SCRIPT in the guest after the tests (make demo uses it
#               with --tests none); its exit status is one counted check
#   --busybox   a static busybox for the guest (default /bin/busybox from
#               busybox-static; that one is glibc-static and needs Linux 3.2+,
#               so kernels before 3.2 need a musl- or uclibc-built busybox)
#   --no-module debug mode: boot without a module; "module loads" is then
#               reported as skipped instead of failed
#   --env       variables for the tests, e.g. NSPID_SCALE_THREADS=100000
#               NSPID_CYCLES=1000 NSPID_CHURN_SECS=30 (no spaces in values)
#   --append    more kernel command line, e.g. ignore_loglevel (then the
#               stacks of hung-task and lockdep reports reach the console)
#   --lock      take the lock NAME instead of the one all VMs share, so
#               that VMs with different names run side by side (make check
#               runs its kernels so, two at a time); the same name still
#               waits for the other
#   --qemu      more QEMU arguments (split at spaces), e.g. a monitor socket
#               and a second serial port for make check-postmortem
#   --boot-wait if init has not said BOOTED on the console this many seconds
#               after QEMU started (default 180; 0: no limit), the boot hung:
#               kill QEMU and boot once more, saying so; a second hang fails
#               the run. (Under TCG a boot now and then stops before the
#               kernel prints anything.) NSPID_VM_FIRST_QEMU="ARGS" adds QEMU
#               arguments to the first attempt only: "-S" (start paused)
#               makes a hang on purpose, for the runner's own test.
#   --quiet     console to the log file only, not to stdout
#   --keep      keep the initramfs staging directory
#
# Counted: every TAP result of every test binary (ok / not ok / ok # SKIP),
# results missing from a binary's plan, a binary exiting non-zero without a
# failed result, the init's own checks (module loads, stays loaded, unloads),
# "kernel log clean" (no BUG, WARNING, Oops, RCU stall, soft lockup,
# refcount_t, general protection fault, kmemleak report, Call Trace, UBSAN,
# KASAN, KFENCE, list corruption), and the
# success marker init prints at its end (missing = boot failure or crash).
# The last line is "vm: N passed, N failed[, N skipped]"; the exit status is
# non-zero on any failure or timeout. Only one VM runs at a time (flock on
# $NSPID_CACHE/qemu.lock), unless --lock names another lock.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/scripts/cache.sh"

kernel= module= tests= timeout=900 mem=2048 extra= nomodule=0 keep=0 demo= quiet=0 busybox=/bin/busybox testenv= append= lock=qemu qemuargs= bootwait=180
die() { echo "vm: $*" >&2; echo "vm: 0 passed, 1 failed"; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--module) module=$2; shift 2 ;;
	--tests) tests=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--no-module) nomodule=1; shift ;;
	--demo) demo=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	--quiet) quiet=1; shift ;;
	--busybox) busybox=$2; shift 2 ;;
	--env) testenv="$testenv $2"; shift 2 ;;
	--append) append="$append $2"; shift 2 ;;
	--lock)
		case $2 in '' | *[!A-Za-z0-9._-]*) die "--lock NAME: letters, digits, . _ - only" ;; esac
		lock=qemu-$2; shift 2 ;;
	--qemu) qemuargs="$qemuargs $2"; shift 2 ;;
	--boot-wait)
		case $2 in '' | *[!0-9]*) die "--boot-wait SECONDS: a number" ;; esac
		bootwait=$2; shift 2 ;;
	--extra)
		shift
		while [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; do
			extra="$extra $1"; shift
		done ;;
	-h|--help) sed -n '3,/^set -eu/p' "$0" | sed -n 's/^# \{0,1\}//p'; exit 0 ;;
	*) die "unknown argument: $1" ;;
	esac
done

[ -n "$kernel" ] || die "--kernel VMLINUZ is required"
[ -f "$kernel" ] || die "no kernel image at $kernel"
if [ "$nomodule" = 1 ]; then
	ko=
else
	[ -n "$module" ] || die "--module DIR_OR_KO is required (or --no-module)"
	if [ -d "$module" ]; then ko=$module/nspid_map.ko; else ko=$module; fi
	[ -f "$ko" ] || die "no module at $ko"
fi
for f in $extra $demo; do [ -f "$f" ] || die "no such file: $f"; done
# The guest has no libc: busybox must be static (Debian's busybox-static).
[ -x "$busybox" ] || die "no $busybox (apt-get install busybox-static)"
if command -v file >/dev/null && ! file -L "$busybox" | grep -q 'statically linked'; then
	die "$busybox is not statically linked"
fi

# The tests: build them (-k: one test that does not compile must not stop
# the others), then pick by name. "--tests none" runs only --extra ones.
build=$top/selftests/build
make -s -k -C "$top/selftests" >&2 || echo "vm: warning: some selftests did not build" >&2
if [ -z "$tests" ]; then
	tests=$(cd "$build" && ls -- *_test 2>/dev/null | tr '\n' ' ')
elif [ "$tests" = none ]; then
	tests=
fi
names=
for t in $tests; do
	t=${t%_test}_test
	[ -x "$build/$t" ] || die "no test binary $build/$t"
	names="$names $t"
done
for f in $extra; do
	case $(basename "$f") in *_test) names="$names $(basename "$f")" ;; esac
done

# The initramfs.
work=$(mktemp -d "${TMPDIR:-/tmp}/nspid-vm.XXXXXX")
cleanup() { [ "$keep" = 1 ] && echo "vm: staging kept in $work" >&2 || rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
root=$work/root
mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" \
	"$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/etc" \
	"$root/root" "$root/mnt" "$root/nspid" "$root/tests"
cp "$busybox" "$root/bin/busybox"
for app in $("$busybox" --list-full); do
	[ -e "$root/$app" ] || ln -s /bin/busybox "$root/$app"
done
cp "$here/init" "$root/init"
chmod 755 "$root/init"
[ -n "$ko" ] && cp "$ko" "$root/nspid/nspid_map.ko"
for t in $names; do
	[ -f "$build/$t" ] && cp "$build/$t" "$root/tests/$t"
done
for f in $extra; do cp "$f" "$root/tests/"; done
# The kernel each binary's libc needs at least: the ELF ABI tag (glibc's,
# "for GNU/Linux 3.2.0"; musl writes none). glibc's static start-up
# refuses an older kernel before main ("FATAL: kernel too old"), so init
# skips such a binary there, naming the reason.
abitags=
if command -v readelf >/dev/null; then
	for t in $names; do
		v=$(readelf -n "$root/tests/$t" 2>/dev/null |
			sed -n 's/^ *OS: Linux, ABI: \([0-9.]*\)$/\1/p')
		[ -n "$v" ] && abitags="$abitags $t=$v"
	done
fi
[ -f "$top/userspace/nspid-static" ] && cp "$top/userspace/nspid-static" "$root/bin/nspid"
[ -f "$build/vm/scene" ] && cp "$build/vm/scene" "$root/bin/nspid-scene"
[ -f "$build/vm/ioctl_nspid_map" ] && cp "$build/vm/ioctl_nspid_map" "$root/bin/"
[ -n "$demo" ] && cp "$demo" "$root/demo.sh"
cat >"$root/etc/nspid-vm.conf" <<EOF
MODULE=${ko:+/nspid/nspid_map.ko}
ALLOW_NO_MODULE=$nomodule
TESTS="$names"
DEMO=${demo:+1}
TEST_ENV="$testenv"
ABI_TAGS="$abitags"
EOF
echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"
echo "nobody:x:65534:65534:nobody:/:/bin/false" >>"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"

# A newc cpio entry, written by hand so that /dev/console exists in the
# archive without mknod (the kernel opens it for init before /dev is
# mounted). Fields: ino mode uid gid nlink mtime size maj min rmaj rmin
# namesize check.
cpio_entry() { # name mode rdevmajor rdevminor
	n=$(( ${#1} + 1 ))
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
		"$5" "$2" 0 0 1 0 0 0 0 "$3" "$4" "$n" 0
	printf '%s\0' "$1"
	pad=$(( (4 - (110 + n) % 4) % 4 ))
	[ $pad -gt 0 ] && head -c $pad /dev/zero
	return 0
}
initrd=$work/initrd.gz
{
	(cd "$root" && find . | sort | cpio -o -H newc -R 0:0 --quiet)
	cpio_entry dev/console $((0020600)) 5 1 999990
	cpio_entry TRAILER!!! 0 0 0 0
} | gzip -1 >"$initrd"

# One VM at a time on this machine (per lock name).
exec 9>"$NSPID_CACHE/$lock.lock"
if ! flock -n 9; then
	echo "vm: another VM is running; waiting for it" >&2
	flock 9
fi

logdir=${NSPID_VM_LOGDIR:-$NSPID_CACHE/vm-logs}
mkdir -p "$logdir"
log=$logdir/console-$(date +%Y%m%d-%H%M%S)-$$.log
echo "vm: kernel $kernel"
echo "vm: module ${ko:-none}; tests:$names${testenv:+; env:$testenv}"
echo "vm: console log $log"

# boot_vm ATTEMPT: one QEMU run, its console in $log; its exit status in
# $rcfile. A watchdog kills QEMU (the timeout(1) in front of it, which passes
# the signal on) when init has not started within $bootwait seconds, and
# leaves $work/hung.
boot_vm() {
	firstargs=
	[ "$1" = 1 ] && firstargs=${NSPID_VM_FIRST_QEMU:-}
	rm -f "$rcfile" "$work/hung" "$work/qemu.pid"
	{
		set +e
		# shellcheck disable=SC2086 # $qemuargs: words, as documented
		timeout -k 10 "$timeout" qemu-system-x86_64 -accel tcg -cpu max -smp 2 \
			-m "$mem" -nographic -no-reboot -net none \
			-kernel "$kernel" -initrd "$initrd" \
			-append "console=ttyS0 panic=-1 oops=panic loglevel=4 log_buf_len=8M$append" \
			$qemuargs $firstargs </dev/null &
		echo $! >"$work/qemu.pid"
		wait $!
		echo $? >"$rcfile"
	} 2>&1 | if [ "$quiet" = 1 ]; then cat >"$log"; else tee "$log"; fi &
	pipe=$!
	if [ "$bootwait" -gt 0 ]; then
		(
			waited=0
			while [ ! -f "$rcfile" ]; do
				if grep -aq 'NSPID-VM: BOOTED' "$log" 2>/dev/null; then exit 0; fi
				if [ "$waited" -ge "$bootwait" ]; then
					: >"$work/hung"
					kill "$(cat "$work/qemu.pid")" 2>/dev/null
					exit 0
				fi
				sleep 1
				waited=$((waited + 1))
			done
		) &
		dog=$!
	fi
	wait "$pipe" || true
	if [ "$bootwait" -gt 0 ]; then
		kill "$dog" 2>/dev/null || true
		wait "$dog" 2>/dev/null || true
	fi
}

t0=$(date +%s)
rcfile=$work/qemu.rc
hung=0
boot_vm 1
if [ -f "$work/hung" ]; then
	mv "$log" "$log.hung"
	echo "vm: init did not start within $bootwait s (console so far: $(tr -d '\r' <"$log.hung" | tr -c '[:print:]' ' ' | tail -c 120)); killed QEMU, booting once more (first console in $log.hung)"
	boot_vm 2
	[ -f "$work/hung" ] && hung=1
fi
t1=$(date +%s)
qrc=$(cat "$rcfile")

# The verdict. The console is parsed with CRs removed.
echo "vm: qemu exited with $qrc after $((t1 - t0)) s"
tr -d '\r' <"$log" | awk -v qrc="$qrc" -v timeout="$timeout" -v hung="$hung" -v bootwait="$bootwait" '
function count(kind, what) {
	if (kind == "ok") pass++
	else if (kind == "skip") skip++
	else { fail++; print "vm: FAIL " what }
}
/NSPID-VM: BOOTED / { booted = 1; sub(/.*uptime=/, ""); boot = $1 }
/^NSPID-VM: CHECK / {
	what = $4; for (i = 5; i <= NF; i++) what = what " " $i
	count($3, "check " what)
}
/^NSPID-VM: TEST .* BEGIN$/ { cur = $3; plan = -1; got = 0; bad = 0; next }
/^NSPID-VM: TEST .* END / {
	rc = $5; sub(/rc=/, "", rc); secs = $6; sub(/secs=/, "", secs)
	if (plan < 0) count("fail", cur ": no TAP plan (crashed before starting?)")
	else if (got < plan) {
		for (i = got; i < plan; i++)
			count("fail", cur ": result " i + 1 " of " plan " missing")
	}
	if (rc != 0 && bad == 0)
		count("fail", cur ": exit status " rc " without a failed result")
	printf "vm: %s: rc=%s %ss\n", cur, rc, secs
	cur = ""; next
}
cur != "" && /^1\.\.[0-9]+$/ { plan = substr($0, 4) + 0; next }
cur != "" && /^ok [0-9]+ / {
	got++
	if ($0 ~ /# SKIP/) count("skip", cur " " $0); else count("ok", "")
	next
}
cur != "" && /^not ok [0-9]+ / { got++; bad++; count("fail", cur ": " $0); next }
/^NSPID-VM: DMESG BEGIN$/ { indmesg = 1; havedmesg = 1; next }
/^NSPID-VM: DMESG END$/ { indmesg = 0; next }
/^NSPID-VM: KMEMLEAK BEGIN$/ { inleak = 1; next }
/^NSPID-VM: KMEMLEAK END$/ { inleak = 0; next }
inleak && NF { leak++; if (leak <= 20) print "vm: kmemleak: " $0 }
/^NSPID-VM: INIT COMPLETE/ { complete = 1; sub(/.*uptime=/, ""); up = $1 }
{
	# Kernel trouble, whether in the dmesg dump or straight on the console.
	if (!indmesg && havedmesg) next
	if ($0 ~ /^NSPID-VM: /) next
	# One known emulation artifact, and only it: 2.6.32 and 3.x kernels
	# warn in setup_local_APIC() at boot when the emulated (TCG) APIC fails
	# their check (and then run on one CPU). Its report, up to the
	# end-of-trace line, is noted, not counted.
	if ($0 ~ /WARNING: (.* )?at [^ ]*arch\/x86\/kernel\/apic\/apic\.c:[0-9]+ setup_local_APIC\+/) {
		inapic = 1
		if (!apicnoted++) print "vm: note: ignored the boot-time setup_local_APIC warning (QEMU TCG APIC)"
		next
	}
	if (inapic) { if ($0 ~ /---\[ end trace /) inapic = 0; next }
	if ($0 ~ /(^|[^A-Za-z_])BUG[: ]|WARNING:|Oops|RCU stall|rcu_sched self-detected stall|rcu_preempt self-detected stall|rcu: INFO|soft lockup|blocked for more than|refcount_t|general protection|kmemleak: .*new suspected|Call Trace|Kernel panic|UBSAN:|KASAN:|KFENCE:|list_(add|del) corruption/) {
		bad_k++
		if (bad_k <= 40) print "vm: kernel: " $0
	}
}
END {
	if (hung) count("fail", "boot: init did not start within " bootwait " s, twice")
	if (!booted) print "vm: init never started (kernel did not boot?)"
	else printf "vm: boot to init %s s (guest uptime)\n", boot
	if (cur != "") count("fail", cur ": never finished (VM died or timed out)")
	if (qrc == 124 || qrc == 137) count("fail", "VM timed out after " timeout " s")
	if (bad_k || leak) count("fail", "kernel log clean (" bad_k + 0 " bad lines, " leak + 0 " kmemleak lines)")
	else if (havedmesg) count("ok", "")
	else count("fail", "kernel log clean (no dmesg dump: VM did not finish)")
	if (complete) { count("ok", ""); printf "vm: init complete at guest uptime %s s\n", up }
	else count("fail", "success marker (init did not complete)")
	line = sprintf("vm: %d passed, %d failed", pass, fail)
	if (skip) line = line sprintf(", %d skipped", skip)
	print line
	exit fail ? 1 : 0
}'
