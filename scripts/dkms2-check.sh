#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# DKMS 2.x, as legacy hosts have it: Debian 11's DKMS (2.8) in a bullseye
# chroot (scripts/debian-chroot.sh, kept in the cache) serves nspid for
# bullseye's 5.10 kernel, whose headers the chroot installs through its
# linux-headers-amd64 metapackage. Run by scripts/pkg-check.sh (its dkms2
# group, in make check), as root:
#
#   dkms add, build, install for that kernel; dkms status says installed;
#   the .ko has the kernel's vermagic and dkms.conf's version; a kernel
#   before 2.6.32 and one without CONFIG_PID_NS are refused with
#   dkms.conf's message and DKMS's own BUILD_EXCLUSIVE one; dkms remove
#   --all leaves nothing in the chroot.
#
# Every DKMS command and its output is written to the transcript
# $NSPID_CACHE/pkg/logs/dkms2-transcript.txt. The last line is
# "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
. scripts/cache.sh
logs=$NSPID_CACHE/pkg/logs
mkdir -p "$logs"
tr=$logs/dkms2-transcript.txt
: >"$tr"

passed=0 failed=0
ok() { passed=$((passed + 1)); echo "dkms2: ok   $*"; }
bad() { failed=$((failed + 1)); echo "dkms2: FAIL $*"; }
finish() { echo "$passed passed, $failed failed"; [ "$failed" = 0 ]; exit; }

V=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
root=$(scripts/debian-chroot.sh bullseye dkms linux-headers-amd64)
if [ -z "$root" ] || [ ! -x "$root/usr/sbin/dkms" ]; then
	bad "a bullseye chroot with dkms (see $NSPID_CACHE/chroots/bullseye.log)"
	finish
fi

# DKMS 2.8 reads its own output through process substitution (/dev/fd,
# a link to /proc/self/fd): /proc is mounted in the chroot while the
# checks run.
umount_proc() { umount "$root/proc" 2>/dev/null; }
if ! mountpoint -q "$root/proc"; then
	mount -t proc proc "$root/proc" || { bad "mount /proc in the chroot"; finish; }
	trap umount_proc EXIT
	trap 'exit 130' INT TERM
fi

# in_root CMD...: run in the chroot; the command and its output go to the
# transcript, the exit status is the command's.
in_root() {
	echo "# $*" >>"$tr"
	chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		LC_ALL=C "$@" >>"$tr.out" 2>&1
	rc=$?
	cat "$tr.out" >>"$tr"
	echo "(exit $rc)" >>"$tr"
	return $rc
}
: >"$tr.out"
last() { cat "$tr.out"; }
run() { : >"$tr.out"; in_root "$@"; }

dv=$(chroot "$root" /usr/sbin/dkms --version 2>&1 | head -n 1)
kver=$(ls -d "$root"/lib/modules/5.10.*/build 2>/dev/null | sort -V | tail -n 1)
kver=${kver%/build}
kver=${kver##*/}
echo "dkms2: $dv in $root, kernel $kver" | tee -a "$tr"
case $dv in
*[!0-9.]2.[0-9]*) ok "Debian 11's DKMS is 2.x ($dv)" ;;
*) bad "the chroot's DKMS is not 2.x: $dv" ;;
esac
[ -n "$kver" ] || { bad "no 5.10 headers in the chroot"; finish; }

# A previous run that was stopped may have left its registration.
chroot "$root" /usr/sbin/dkms remove -m nspid -v "$V" --all >/dev/null 2>&1
rm -rf "$root/usr/src/nspid-$V" "$root/var/lib/dkms/nspid"
find "$root/lib/modules" -name 'nspid_map.ko*' -delete 2>/dev/null

make -s install-dkms-src DESTDIR="$root" >>"$tr" 2>&1
if [ -f "$root/usr/src/nspid-$V/dkms.conf" ]; then ok "module source in /usr/src/nspid-$V"
else bad "make install-dkms-src DESTDIR=<chroot>"; finish; fi

if run dkms add -m nspid -v "$V"; then ok "dkms add"; else bad "dkms add: $(last)"; fi
if run dkms build -m nspid -v "$V" -k "$kver"; then ok "dkms build -k $kver"
else bad "dkms build -k $kver"; tail -n 20 "$tr"; fi
if run dkms install -m nspid -v "$V" -k "$kver"; then ok "dkms install -k $kver"
else bad "dkms install -k $kver"; tail -n 20 "$tr"; fi
run dkms status -m nspid -v "$V"
st=$(last)
case $st in
*"$kver"*installed*) ok "dkms status: $st" ;;
*) bad "dkms status: '$st'" ;;
esac
ko=$(cd "$root" && find "lib/modules/$kver" -name 'nspid_map.ko*' 2>/dev/null | head -n 1)
if [ -n "$ko" ]; then
	ok "installed as /$ko"
	vm=$(modinfo -F vermagic "$root/$ko")
	case $vm in
	"$kver "*) ok "vermagic: $vm" ;;
	*) bad "vermagic '$vm' is not $kver" ;;
	esac
	mv=$(modinfo -F version "$root/$ko")
	if [ "$mv" = "$V" ]; then ok "MODULE_VERSION $mv = dkms.conf"
	else bad "MODULE_VERSION '$mv' is not $V"; fi
else
	bad "no nspid_map.ko under /lib/modules/$kver in the chroot"
fi

# The refusals, by DKMS 2.x itself: kernel trees that have only a .config.
fake=/tmp/nspid-fake-kernels
mkdir -p "$root$fake/pidns" "$root$fake/nopidns"
printf 'CONFIG_PID_NS=y\n' >"$root$fake/pidns/.config"
printf 'CONFIG_NAMESPACES=y\n# CONFIG_PID_NS is not set\n' >"$root$fake/nopidns/.config"
# refused NAME KERNELVER SOURCEDIR WORD: dkms build must fail, with
# dkms.conf's message (containing WORD) and DKMS's BUILD_EXCLUSIVE one.
refused() {
	if run dkms build -m nspid -v "$V" -k "$2" --kernelsourcedir "$3"; then
		bad "dkms build for $1 ($2) succeeded"
		return
	fi
	if last | grep -q "$4" && last | grep -q BUILD_EXCLUSIVE; then
		ok "dkms build refuses $1 (exit $rc): $(last | grep "$4" | head -n 1)"
	else
		bad "dkms build for $1 (exit $rc) does not say why: $(last | tr '\n' ' ')"
	fi
}
refused "a kernel before 2.6.32" 2.6.31-0-old "$fake/pidns" 2.6.32
refused "a kernel without CONFIG_PID_NS" 5.10.0-0-nopidns "$fake/nopidns" CONFIG_PID_NS
rm -rf "${root:?}$fake"

if run dkms remove -m nspid -v "$V" --all; then ok "dkms remove --all"
else bad "dkms remove --all: $(last)"; fi
rm -rf "$root/usr/src/nspid-$V"
left=$(cd "$root" && { ls -d var/lib/dkms/nspid 2>/dev/null
	find lib/modules -name 'nspid_map.ko*' 2>/dev/null; })
if [ -z "$left" ]; then ok "nothing left in the chroot's /var/lib/dkms or /lib/modules"
else bad "left in the chroot: $(echo $left)"; fi
rm -f "$tr.out"
finish
