#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The packaging tests (SPEC §3, issue 4), run by make check as root:
#
#   version   dkms.conf's PACKAGE_VERSION is the one version: debian/changelog,
#             nspid.spec, MODULE_VERSION and nspid --version agree with it
#   make      make install, uninstall, install-autoload into a DESTDIR
#   refuse    dkms.conf refuses kernels before 2.6.32 or without CONFIG_PID_NS
#   dkms      make dkms-install with Debian's real DKMS for the newest 6.1
#             headers; that .ko booted in the VM, reloaded there with depmod
#             and modprobe, the selftests run against it; make dkms-remove
#             leaves nothing behind
#   deb       dpkg-buildpackage -us -uc, lintian without errors, dpkg -i
#             (DKMS builds the module), dpkg -L, dpkg --purge leaves nothing
#   rpm       rpmbuild -bb nspid.spec, file lists (rpm -qlp), scriptlets
#   dkms2     DKMS 2.x: Debian 11's DKMS 2.8 in a bullseye chroot adds,
#             builds, installs and removes the module for bullseye's 5.10
#             and refuses an old and a !CONFIG_PID_NS kernel with its
#             message (scripts/dkms2-check.sh)
#
# NSPID_PKG_ONLY="version deb" runs a subset; NSPID_PKG_VM_TESTS="read
# lifecycle" picks the selftests booted with the DKMS module (default: all).
# Build outputs and logs go to $NSPID_CACHE/pkg, outside the tree. The host
# keeps no trace: what the tests install is removed, and the depmod index
# files that dkms writes into a /lib/modules/VERSION that had none are
# removed again. The last line is "N passed, N failed[, N skipped]".
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
. scripts/cache.sh
work=$NSPID_CACHE/pkg
log=$work/logs

passed=0 failed=0 skipped=0
start=$(date +%s)
ok() { passed=$((passed + 1)); echo "pkg: ok   $*"; }
bad() { failed=$((failed + 1)); echo "pkg: FAIL $*"; }
skip() { skipped=$((skipped + 1)); echo "pkg: SKIP $*"; }
# judge NAME STATUS: a check that passes when STATUS is 0
judge() { if [ "$2" = 0 ]; then ok "$1"; else bad "$1"; fi; }
# expect NAME COMMAND...: a check that passes when COMMAND succeeds
expect() { n=$1; shift; if "$@"; then ok "$n"; else bad "$n"; fi; }
want() { [ -z "${NSPID_PKG_ONLY:-}" ] || echo " $NSPID_PKG_ONLY " | grep -q " $1 "; }
elapsed() { echo "$(( $(date +%s) - $1 ))s"; }
finish() {
	echo "pkg: logs in $log; total $(elapsed "$start")"
	if [ "$skipped" -gt 0 ]; then
		echo "$passed passed, $failed failed, $skipped skipped"
	else
		echo "$passed passed, $failed failed"
	fi
	[ "$failed" = 0 ]
	exit
}

rm -rf "$work"
mkdir -p "$log"

V=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
[ -n "$V" ] || { bad "dkms.conf has a PACKAGE_VERSION=\"...\" line"; finish; }
echo "pkg: version $V (dkms.conf)"

root=1
[ "$(id -u)" = 0 ] || root=0
if [ $root = 1 ]; then
	scripts/deps.sh dkms debhelper dh-dkms dpkg-dev fakeroot lintian rpm debootstrap \
		rpm2cpio kmod crash >"$log/deps.log" 2>&1
	judge "packaging tools installed (dkms, debhelper, dh-dkms, lintian, rpm)" $?
fi

# The tree as git would ship it (tracked and new, unignored files), so a
# dirty work tree builds what a fresh clone would after a commit.
stage=$work/stage/nspid-$V
mkdir -p "$stage"
git ls-files -co --exclude-standard -z | tr '\0' '\n' |
	while IFS= read -r f; do [ -f "$f" ] && echo "$f"; done |
	tar -cf - -T - | tar -xf - -C "$stage"

# Kernel build dirs with only a .config, for the refusal tests.
fake=$work/fake-kernels
mkdir -p "$fake/pidns" "$fake/nopidns"
printf 'CONFIG_PID_NS=y\n' >"$fake/pidns/.config"
printf 'CONFIG_NAMESPACES=y\n# CONFIG_PID_NS is not set\n' >"$fake/nopidns/.config"

# The newest installed 6.1 headers; the VM boots the matching image.
kver=$(ls -d /lib/modules/6.1.*/build 2>/dev/null | sort -V | tail -n 1)
kver=${kver%/build}
kver=${kver##*/}

# What is nspid's on this host: the DKMS registration, its source copy and
# every built nspid_map.ko. Empty when the host is clean.
traces() {
	[ -e /var/lib/dkms/nspid ] && echo /var/lib/dkms/nspid
	ls -d /usr/src/nspid-* 2>/dev/null
	find /lib/modules -name 'nspid_map.ko*' \
		\( -path '*/updates/*' -o -path '*/extra/*' \) 2>/dev/null
	dpkg-query -W -f='${Package}:${Status}\n' nspid nspid-dkms 2>/dev/null |
		grep -v ' not-installed$' | sed 's/^/package /; s/ /_/g'
	[ -e /usr/bin/nspid ] && echo /usr/bin/nspid
	return 0
}
# A previous run that was interrupted may have left its installation.
cleanup_host() {
	dpkg --purge nspid nspid-dkms >/dev/null 2>&1
	make -s dkms-remove >/dev/null 2>&1
}
# depmod writes modules.dep & co into /lib/modules/$kver; put back what was.
if [ -n "$kver" ]; then
	before=$(ls -A "/lib/modules/$kver")
fi
restore_modules_dir() {
	[ -n "$kver" ] || return 0
	for p in "/lib/modules/$kver"/*; do
		[ -e "$p" ] || continue
		f=${p##*/}
		echo "$before" | grep -qx "$f" && continue
		case $f in
		modules.*) rm -f "/lib/modules/$kver/$f" ;;
		updates|extra) rmdir "/lib/modules/$kver/$f/dkms" \
			"/lib/modules/$kver/$f" 2>/dev/null ;;
		esac
	done
}

# --- version: one place --------------------------------------------------------
if want version; then
	cl=$(dpkg-parsechangelog -l debian/changelog -S Version 2>/dev/null ||
		sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog)
	if [ "$cl" = "$V" ]; then ok "debian/changelog version $cl = dkms.conf"
	else bad "debian/changelog version '$cl' differs from dkms.conf's $V (add a changelog entry)"; fi
	sv=$(sed -n 's/^Version:[[:space:]]*//p' nspid.spec)
	if [ "$sv" = "$V" ]; then ok "nspid.spec Version $sv = dkms.conf"
	else bad "nspid.spec Version '$sv' differs from dkms.conf's $V"; fi
	sc=$(sed -n '/^%changelog/,$s/^\*.* - \([^ -]*\)-[^ -]*$/\1/p' nspid.spec | head -n 1)
	if [ "$sc" = "$V" ]; then ok "nspid.spec %changelog top entry $sc = dkms.conf"
	else bad "nspid.spec %changelog top entry '$sc' differs from dkms.conf's $V"; fi
fi

# --- make: install, uninstall, autoload into a DESTDIR ---------------------------------
if want make; then
	d=$work/destdir
	rm -rf "$d"
	make -s install PREFIX=/usr DESTDIR="$d" >"$log/make-install.log" 2>&1
	judge "make install PREFIX=/usr DESTDIR=..." $?
	miss=
	for p in usr/bin/nspid usr/share/man/man1/nspid.1 usr/share/man/man5/nspid_map.5; do
		[ -f "$d/$p" ] || miss="$miss /$p"
	done
	if [ -z "$miss" ]; then ok "installed /usr/bin/nspid and both man pages"
	else bad "make install did not install:$miss"; fi
	nv=$("$d/usr/bin/nspid" --version 2>&1)
	case $nv in
	*"$V"*) ok "make install's nspid --version: $nv" ;;
	*) bad "make install's nspid --version says '$nv', not $V" ;;
	esac
	expect "make install installs no autoload entry" [ ! -e "$d/etc/modules-load.d/nspid.conf" ]
	make -s uninstall PREFIX=/usr DESTDIR="$d" >>"$log/make-install.log" 2>&1
	left=$(find "$d" -type f)
	if [ -z "$left" ]; then ok "make uninstall removes them"
	else bad "make uninstall left: $(echo $left)"; fi
	mkdir -p "$d/etc/sysconfig/modules"	# as on RHEL/CentOS 6
	make -s install-autoload DESTDIR="$d" >>"$log/make-install.log" 2>&1
	expect "make install-autoload: /etc/modules-load.d/nspid.conf loads nspid_map" \
		grep -qx nspid_map "$d/etc/modules-load.d/nspid.conf"
	expect "make install-autoload: executable /etc/sysconfig/modules/nspid.modules" \
		[ -x "$d/etc/sysconfig/modules/nspid.modules" ]
	make -s uninstall-autoload DESTDIR="$d" >>"$log/make-install.log" 2>&1
	left=$(find "$d" -type f)
	if [ -z "$left" ]; then ok "make uninstall-autoload removes both"
	else bad "make uninstall-autoload left: $(echo $left)"; fi
fi

# --- refuse: kernels dkms.conf must not build for ----------------------------------
# dkms.conf read the way DKMS reads it: bash, $kernelver and
# $kernel_source_dir set; then the test DKMS applies to BUILD_EXCLUSIVE_KERNEL.
if want refuse; then
	accepts() { # KERNELVER SOURCEDIR
		bash -c 'kernelver=$1 kernel_source_dir=$2; . ./dkms.conf 2>/dev/null
			[[ $kernelver =~ $BUILD_EXCLUSIVE_KERNEL ]]' - "$1" "$2"
	}
	wrong=
	for k in 2.6.32 2.6.32-754.35.1.el6.x86_64 2.6.39 3.10.0-1160.el7.x86_64 \
		3.13.0-170-generic 3.16.0-11-amd64 4.0.9 4.9.0-19-amd64 5.15.0-1 \
		6.1.0-57-amd64 6.12.9 10.1.0; do
		accepts "$k" "$fake/pidns" || wrong="$wrong $k"
	done
	if [ -z "$wrong" ]; then ok "dkms.conf accepts 2.6.32 .. 10.x (12 kernel names)"
	else bad "dkms.conf refuses kernels it serves:$wrong"; fi
	wrong=
	for k in 2.6.31 2.6.31.14 2.6.18-419.el5 2.6.9-89.ELsmp 2.4.37 1.2.13; do
		accepts "$k" "$fake/pidns" && wrong="$wrong $k"
	done
	if [ -z "$wrong" ]; then ok "dkms.conf refuses kernels before 2.6.32 (6 kernel names)"
	else bad "dkms.conf accepts kernels before 2.6.32:$wrong"; fi
	if accepts 3.10.0-1160.el7.x86_64 "$fake/nopidns"; then
		bad "dkms.conf accepts a kernel without CONFIG_PID_NS"
	else ok "dkms.conf refuses a kernel without CONFIG_PID_NS"; fi
	msg=$(bash -c 'kernelver=$1 kernel_source_dir=$2; . ./dkms.conf' - 6.1.0 "$fake/nopidns" 2>&1 >/dev/null)
	case $msg in
	*CONFIG_PID_NS*) ok "refusal says why: $msg" ;;
	*) bad "no message for a kernel without CONFIG_PID_NS (got '$msg')" ;;
	esac
	msg=$(bash -c 'kernelver=$1 kernel_source_dir=$2; . ./dkms.conf' - 6.1.0 "$fake/pidns" 2>&1 >/dev/null)
	if [ -z "$msg" ]; then ok "dkms.conf is silent for a kernel it serves"
	else bad "dkms.conf prints for a kernel it serves: $msg"; fi
fi

# --- dkms: real DKMS, the VM, nothing left -----------------------------------------
if want dkms; then
	t=$(date +%s)
	if [ $root = 0 ]; then
		skip "dkms: needs root"
	elif [ -z "$kver" ]; then
		bad "dkms: no 6.1 headers in /lib/modules (scripts/deps.sh installs them)"
	else
		if [ -n "$(traces)" ]; then
			echo "pkg: a previous run left: $(traces | tr '\n' ' ')- removing"
			cleanup_host
		fi
		echo "pkg: dkms for $kver ($(dkms --version 2>/dev/null | head -n 1))"
		make dkms-install KVER="$kver" >"$log/dkms-install.log" 2>&1
		judge "make dkms-install KVER=$kver (dkms add, build, install)" $?
		st=$(dkms status -m nspid -v "$V" -k "$kver" 2>/dev/null)
		echo "pkg: dkms status: $st"
		echo "$st" >"$log/dkms-status.txt"
		case $st in
		*"$kver"*installed*) ok "dkms status: installed for $kver" ;;
		*) bad "dkms status for $kver: '$st' (see $log/dkms-install.log)"; tail -n 20 "$log/dkms-install.log" ;;
		esac
		ko=$(find "/lib/modules/$kver/updates" "/lib/modules/$kver/extra" \
			-name 'nspid_map.ko*' 2>/dev/null | head -n 1)
		if [ -n "$ko" ]; then ok "module installed as $ko"
		else bad "no nspid_map.ko under /lib/modules/$kver/updates or extra"; fi
		if [ -n "$ko" ]; then
			mv=$(modinfo -F version "$ko")
			if [ "$mv" = "$V" ]; then ok "MODULE_VERSION $mv = dkms.conf"
			else bad "MODULE_VERSION '$mv' differs from dkms.conf's $V"; fi
			vm=$(modinfo -F vermagic "$ko")
			case $vm in
			"$kver "*) ok "vermagic is $kver" ;;
			*) bad "vermagic '$vm' is not $kver" ;;
			esac
		fi

		# The refusal, by DKMS 3 itself (DKMS 2.x exits 9 instead of 77).
		dkms build -m nspid -v "$V" -k 6.1.0-0-nopidns \
			--kernelsourcedir "$fake/nopidns" \
			>"$log/refuse-nopidns.log" 2>&1
		rc=$?
		if [ $rc = 77 ] && grep -q 'CONFIG_PID_NS' "$log/refuse-nopidns.log"; then
			ok "dkms build refuses a kernel without CONFIG_PID_NS (exit 77, says why)"
		else
			bad "dkms build for a kernel without CONFIG_PID_NS: exit $rc"; cat "$log/refuse-nopidns.log"
		fi
		dkms build -m nspid -v "$V" -k 2.6.31-0-old \
			--kernelsourcedir "$fake/pidns" \
			>"$log/refuse-old.log" 2>&1
		rc=$?
		if [ $rc = 77 ] && grep -q '2.6.32' "$log/refuse-old.log"; then
			ok "dkms build refuses 2.6.31 (exit 77, says why)"
		else
			bad "dkms build for 2.6.31: exit $rc"; cat "$log/refuse-old.log"
		fi

		# Boot it: the init insmods it, then modprobe_test unloads it and
		# loads it as a host does, depmod then modprobe from
		# /lib/modules/$(uname -r)/updates/dkms; the selftests follow.
		if [ -n "$ko" ]; then
			vmt=$(date +%s)
			kernel=$(scripts/get-kernel.sh 6.1 2>"$log/get-kernel.log")
			case $kernel in
			*/vmlinuz-"$kver") ;;
			*) bad "VM kernel image for $kver (got '$kernel')"; cat "$log/get-kernel.log"; kernel= ;;
			esac
			make -s -k -C selftests >"$log/selftests-build.log" 2>&1
			mkdir -p "$work/vm"
			sed "s/@VERSION@/$V/g" >"$work/vm/modprobe_test" <<'EOF'
#!/bin/sh
# TAP, in the VM: load the DKMS-built module the way a host does.
kver=$(uname -r)
dir=/lib/modules/$kver/updates/dkms
n=0
t() { n=$((n + 1)); d=$1; shift
	if "$@"; then echo "ok $n - $d"; else echo "not ok $n - $d"; fi; }
loaded() { grep -q '^nspid_map ' /proc/modules && [ -e /proc/nspid_map ]; }
echo "1..8"
t "rmmod the insmod-loaded module" sh -c 'rmmod nspid_map && ! grep -q "^nspid_map " /proc/modules'
mkdir -p "$dir" && cp /nspid/nspid_map.ko "$dir/"
t "depmod $kver" depmod "$kver"
t "modules.dep lists updates/dkms/nspid_map.ko" grep -q 'updates/dkms/nspid_map.ko' "/lib/modules/$kver/modules.dep"
t "modinfo nspid_map: vermagic $kver" sh -c "modinfo -F vermagic nspid_map | grep -q '^$kver '"
t "modprobe nspid_map" modprobe nspid_map
t "/proc/nspid_map is there" loaded
v=$(cat /sys/module/nspid_map/version 2>&1)
t "/sys/module/nspid_map/version is @VERSION@ (got: $v)" [ "$v" = @VERSION@ ]
t "modprobe -r, then modprobe again" sh -c 'modprobe -r nspid_map && ! grep -q "^nspid_map " /proc/modules && modprobe nspid_map && [ -e /proc/nspid_map ]'
EOF
			chmod 755 "$work/vm/modprobe_test"
			if [ -n "${NSPID_PKG_VM_TESTS:-}" ]; then
				sel=
				for n in $NSPID_PKG_VM_TESTS; do sel="$sel selftests/build/${n%_test}_test"; done
			else
				sel=$(ls selftests/build/*_test 2>/dev/null | tr '\n' ' ')
			fi
			if [ -n "$kernel" ]; then
				# shellcheck disable=SC2086
				selftests/vm/run.sh --kernel "$kernel" --module "$ko" \
					--tests none --extra "$work/vm/modprobe_test" $sel \
					>"$log/vm.log" 2>&1
				st=$?
				grep -E '^vm: (FAIL|kernel:)|^not ok ' "$log/vm.log" | head -n 40
				line=$(grep -E '^vm: [0-9]+ passed, [0-9]+ failed' "$log/vm.log" | tail -n 1)
				if [ -n "$line" ]; then
					p=$(echo "$line" | sed 's/^vm: \([0-9]*\) passed.*/\1/')
					f=$(echo "$line" | sed 's/.* \([0-9]*\) failed.*/\1/')
					s=$(echo "$line" | sed -n 's/.* \([0-9]*\) skipped.*/\1/p')
					passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + ${s:-0}))
					echo "pkg: VM with the DKMS module: $line ($(elapsed "$vmt"))"
					[ $st = 0 ] || [ "$f" != 0 ] || bad "vm: runner exited $st"
				else
					bad "VM run with the DKMS module: no result line (see $log/vm.log)"
					tail -n 20 "$log/vm.log"
				fi
			fi
		fi

		make dkms-remove >"$log/dkms-remove.log" 2>&1
		judge "make dkms-remove" $?
		st=$(dkms status -m nspid 2>/dev/null)
		if [ -z "$st" ]; then ok "dkms status knows no nspid after removal"
		else bad "dkms status after removal: $st"; fi
		left=$(traces)
		if [ -z "$left" ]; then
			ok "nothing left in /var/lib/dkms, /usr/src, /lib/modules/*/updates|extra"
		else bad "left behind: $(echo $left)"; fi
		restore_modules_dir
	fi
	echo "pkg: dkms took $(elapsed "$t")"
fi

# --- deb: build, lintian, install, inspect, purge -----------------------------------
if want deb; then
	t=$(date +%s)
	(cd "$stage" && dpkg-buildpackage -us -uc) >"$log/deb-build.log" 2>&1
	st=$?
	judge "dpkg-buildpackage -us -uc" $st
	[ $st = 0 ] || tail -n 30 "$log/deb-build.log"
	arch=$(dpkg --print-architecture)
	out=$work/stage
	deb=$out/nspid_${V}_$arch.deb
	dkmsdeb=$out/nspid-dkms_${V}_all.deb
	pmdeb=$out/nspid-postmortem_${V}_$arch.deb
	for f in "$deb" "$dkmsdeb" "$pmdeb" "$out/nspid_$V.dsc"; do
		if [ -f "$f" ]; then ok "built $(basename "$f") ($(stat -c %s "$f") bytes)"
		else bad "no $(basename "$f")"; fi
	done
	if [ -f "$out/nspid_${V}_$arch.changes" ]; then
		lintian --allow-root --info "$out/nspid_${V}_$arch.changes" >"$log/lintian.log" 2>&1
		ne=$(grep -c '^E: ' "$log/lintian.log")
		nw=$(grep -c '^W: ' "$log/lintian.log")
		judge "lintian: $ne errors ($nw warnings)" "$ne"
		grep -E '^[EW]: ' "$log/lintian.log"
	fi
	# Contents, before installing.
	has() { dpkg -c "$1" | awk '{print $NF}' | grep -qx "$2"; }
	for p in ./usr/bin/nspid ./usr/share/man/man1/nspid.1.gz \
		./usr/share/man/man5/nspid_map.5.gz \
		./usr/share/man/man2/ioctl_nspid_map.2.gz \
		./usr/include/nspid/nspid_map.h; do
		expect "nspid deb holds $p" has "$deb" "$p"
	done
	for p in ./usr/lib/crash/extensions/nspid.so ./usr/share/nspid/nspid_map.py \
		./usr/share/man/man7/nspid-postmortem.7.gz; do
		expect "nspid-postmortem deb holds $p" has "$pmdeb" "$p"
	done
	# The packaged extension is crash's: it registers its command from
	# its constructor (crash resolves the rest when it loads it).
	if [ -f "$pmdeb" ]; then
		rm -rf "$work/pm-x" && mkdir -p "$work/pm-x" && dpkg-deb -x "$pmdeb" "$work/pm-x"
		expect "nspid-postmortem: nspid.so defines nspid_init" sh -c \
			"nm -D --defined-only '$work/pm-x/usr/lib/crash/extensions/nspid.so' | grep -qw nspid_init"
		expect "nspid-postmortem: nspid_map.py compiles" \
			python3 -c "import sys; compile(open(sys.argv[1]).read(), sys.argv[1], 'exec')" \
			"$work/pm-x/usr/share/nspid/nspid_map.py"
	fi
	for p in ./usr/src/nspid-$V/dkms.conf ./usr/src/nspid-$V/Kbuild \
		./usr/src/nspid-$V/module/probe.sh ./usr/src/nspid-$V/module/main.c; do
		expect "nspid-dkms deb holds $p" has "$dkmsdeb" "$p"
	done

	if [ $root = 0 ]; then
		skip "deb: dpkg -i / --purge need root"
	elif [ -f "$deb" ] && [ -f "$dkmsdeb" ]; then
		[ -z "$(traces)" ] || cleanup_host
		dpkg -i "$dkmsdeb" "$deb" >"$log/dpkg-install.log" 2>&1
		st=$?
		judge "dpkg -i nspid-dkms nspid" $st
		[ $st = 0 ] || tail -n 30 "$log/dpkg-install.log"
		st=$(dkms status -m nspid -v "$V" -k "$kver" 2>/dev/null)
		echo "pkg: dkms status after dpkg -i: $st"
		echo "$st" >"$log/dkms-status-deb.txt"
		case $st in
		*"$kver"*installed*) ok "the package's postinst built and installed the module for $kver" ;;
		*) bad "dkms status after dpkg -i: '$st'"; tail -n 20 "$log/dpkg-install.log" ;;
		esac
		if ls "/lib/modules/$kver"/updates/dkms/nspid_map.ko* >/dev/null 2>&1; then
			ok "nspid_map.ko in /lib/modules/$kver/updates/dkms"
		else bad "no nspid_map.ko in /lib/modules/$kver/updates/dkms"; fi
		dpkg -L nspid >"$log/dpkg-L-nspid.txt" 2>&1
		dpkg -L nspid-dkms >"$log/dpkg-L-nspid-dkms.txt" 2>&1
		for p in /usr/bin/nspid /usr/share/man/man1/nspid.1.gz \
			/usr/share/man/man5/nspid_map.5.gz; do
			expect "dpkg -L nspid: $p" grep -qx "$p" "$log/dpkg-L-nspid.txt"
		done
		expect "dpkg -L nspid-dkms: /usr/src/nspid-$V/dkms.conf" \
			grep -qx "/usr/src/nspid-$V/dkms.conf" "$log/dpkg-L-nspid-dkms.txt"
		nv=$(/usr/bin/nspid --version 2>&1)
		case $nv in
		*"$V"*) ok "installed nspid --version: $nv" ;;
		*) bad "installed nspid --version says '$nv', not $V" ;;
		esac
		dpkg --purge nspid nspid-dkms >"$log/dpkg-purge.log" 2>&1
		judge "dpkg --purge nspid nspid-dkms" $?
		left=$(traces)
		if [ -z "$left" ]; then
			ok "purged: nothing left (dkms tree, /usr/src, modules, /usr/bin/nspid, dpkg)"
		else bad "left behind after purge: $(echo $left)"; fi
		restore_modules_dir
	fi
	echo "pkg: deb took $(elapsed "$t")"
fi

# --- rpm: build and file lists ---------------------------------------------------------
if want rpm; then
	t=$(date +%s)
	rpmtop=$work/rpm
	mkdir -p "$rpmtop/SOURCES"
	(cd "$work/stage" && tar -czf "$rpmtop/SOURCES/nspid-$V.tar.gz" \
		--exclude="nspid-$V/debian" "nspid-$V")
	# --nodeps: the BuildRequires (gcc, make) are in dpkg's database, not rpm's.
	rpmbuild -bb --nodeps --define "_topdir $rpmtop" nspid.spec >"$log/rpm-build.log" 2>&1
	st=$?
	judge "rpmbuild -bb nspid.spec" $st
	[ $st = 0 ] || tail -n 30 "$log/rpm-build.log"
	n=$(grep -c '^warning' "$log/rpm-build.log")
	judge "rpmbuild: $n warnings" "$n"
	[ "$n" = 0 ] || grep '^warning' "$log/rpm-build.log"
	rpm=$(ls "$rpmtop"/RPMS/*/nspid-"$V"-*.rpm 2>/dev/null | head -n 1)
	krpm=$(ls "$rpmtop"/RPMS/noarch/nspid-dkms-"$V"-*.noarch.rpm 2>/dev/null | head -n 1)
	pmrpm=$(ls "$rpmtop"/RPMS/*/nspid-postmortem-"$V"-*.rpm 2>/dev/null | head -n 1)
	for f in "$rpm" "$krpm" "$pmrpm"; do
		if [ -n "$f" ] && [ -f "$f" ]; then ok "built $(basename "$f") ($(stat -c %s "$f") bytes)"
		else bad "an RPM is missing (see $log/rpm-build.log)"; fi
	done
	if [ -n "$rpm" ] && [ -n "$krpm" ]; then
		rpm -qlp "$rpm" >"$log/rpm-ql-nspid.txt" 2>/dev/null
		rpm -qlp "$krpm" >"$log/rpm-ql-nspid-dkms.txt" 2>/dev/null
		for p in /usr/bin/nspid '/usr/share/man/man1/nspid\.1(\.gz)?' \
			'/usr/share/man/man5/nspid_map\.5(\.gz)?' \
			'/usr/share/man/man2/ioctl_nspid_map\.2(\.gz)?' \
			/usr/include/nspid/nspid_map.h; do
			expect "rpm -qlp nspid: $p" grep -qxE "$p" "$log/rpm-ql-nspid.txt"
		done
		if [ -n "$pmrpm" ]; then
			rpm -qlp "$pmrpm" >"$log/rpm-ql-nspid-postmortem.txt" 2>/dev/null
			# 64-bit crash looks in /usr/lib64/crash/extensions.
			for p in /usr/lib64/crash/extensions/nspid.so /usr/share/nspid/nspid_map.py \
				'/usr/share/man/man7/nspid-postmortem\.7(\.gz)?'; do
				expect "rpm -qlp nspid-postmortem: $p" grep -qxE "$p" \
					"$log/rpm-ql-nspid-postmortem.txt"
			done
		fi
		# The dkms package holds the module source and nothing else.
		(cd "$stage" && make -s install-dkms-src DESTDIR="$work/dkms-src") >/dev/null 2>&1
		(cd "$work/dkms-src" && find "usr/src/nspid-$V" -print | sed 's|^|/|' | sort) >"$log/dkms-src-want.txt"
		if sort "$log/rpm-ql-nspid-dkms.txt" | cmp -s - "$log/dkms-src-want.txt"; then
			ok "rpm -qlp nspid-dkms: exactly /usr/src/nspid-$V ($(wc -l <"$log/dkms-src-want.txt") entries)"
		else
			bad "rpm -qlp nspid-dkms differs from make install-dkms-src"
			sort "$log/rpm-ql-nspid-dkms.txt" | diff - "$log/dkms-src-want.txt" | head -n 20
		fi
		sc=$(rpm -qp --scripts "$krpm" 2>/dev/null)
		case $sc in
		*"dkms add"*"dkms install"*"dkms remove"*) ok "nspid-dkms scriptlets: dkms add, build, install / remove" ;;
		*) bad "nspid-dkms scriptlets lack dkms add/install/remove" ;;
		esac
		expect "nspid-dkms requires dkms" sh -c "rpm -qp --requires '$krpm' 2>/dev/null | grep -q '^dkms'"
		expect "nspid-dkms is noarch" sh -c "[ \"\$(rpm -qp --qf '%{ARCH}' '$krpm' 2>/dev/null)\" = noarch ]"
		mkdir -p "$work/rpm-x"
		(cd "$work/rpm-x" && rpm2cpio "$rpm" | cpio -idm --quiet) 2>/dev/null
		nv=$("$work/rpm-x/usr/bin/nspid" --version 2>&1)
		case $nv in
		*"$V"*) ok "the RPM's nspid --version: $nv" ;;
		*) bad "the RPM's nspid --version says '$nv', not $V" ;;
		esac
	fi
	echo "pkg: rpm took $(elapsed "$t")"
fi

# --- dkms2: DKMS 2.x in a Debian 11 chroot ------------------------------------------
if want dkms2; then
	t=$(date +%s)
	if [ $root = 0 ]; then
		skip "dkms2: needs root (debootstrap, chroot)"
	else
		scripts/dkms2-check.sh >"$log/dkms2.log" 2>&1
		grep -E '^dkms2: (FAIL|dkms)' "$log/dkms2.log"
		line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log/dkms2.log" | tail -n 1)
		if [ -n "$line" ]; then
			p=${line%% passed*}
			f=${line#* passed, }
			f=${f%% failed*}
			passed=$((passed + p)) failed=$((failed + f))
			echo "pkg: DKMS 2.x: $line (transcript $log/dkms2-transcript.txt)"
		else
			bad "dkms2: no result line (see $log/dkms2.log)"
			tail -n 20 "$log/dkms2.log"
		fi
	fi
	echo "pkg: dkms2 took $(elapsed "$t")"
fi

finish
