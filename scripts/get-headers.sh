#!/bin/sh
# Print a kernel build directory (KDIR) to build the module against:
#   make -C "$KDIR" M=<module dir> modules $(cat "$KDIR/.nspid-make-args")
# Usage: scripts/get-headers.sh SERIES
#   6.1   Debian 12's installed headers: the newest /lib/modules/6.1.*/build
#         (scripts/deps.sh installs linux-headers-amd64).
#   5.10  Debian 11's linux-headers (via the bullseye linux-headers-amd64
#         metapackage, never a fixed ABI), its -common part and
#         linux-kbuild-5.10: downloaded and unpacked into the cache, not
#         installed (they depend on gcc-10, which Debian 12 lacks).
#   6.12  Debian 12's linux-source-6.12 (scripts/deps.sh installs it and
#         linux-config-6.12 when missing), unpacked into the cache, configured
#         with Debian's own config (linux-config-6.12) and prepared with
#         `make modules_prepare`, once; reused while the tarball, the config
#         and this script's recipe are unchanged.
#   trixie, trixie-backports
#         Debian 13's kernel (6.12) and the newest one its backports suite
#         carries (7.3 as of 2026-12), each found through the suite's
#         linux-image-amd64 and linux-source metapackages, never by number.
#         Their header packages are built for Debian 13's libc and gcc 14,
#         and their kbuild tools (linux-kbuild-*, libc6 >= 2.38) do not run
#         on Debian 12. So the tree is Debian's own linux-source-X of the
#         image's version, configured with the image's own config
#         (scripts/get-kernel.sh fetches the image), LOCALVERSION set so
#         that kernel.release is the image's, prepared with this machine's
#         gcc, plus Module.symvers from the image's linux-headers package:
#         a module built here carries the image's vermagic (and, where the
#         config has CONFIG_MODVERSIONS, its CRCs) and loads into it.
#         Cached under $NSPID_CACHE/trees/RELEASE.
#
# Extra make arguments a KDIR needs, if any, are in $KDIR/.nspid-make-args
# (one line; absent or empty when there are none). Today none are needed:
#   5.10: Debian 11's .kernelvariables sets CC = gcc-10; our unpacked copy
#         is rewritten to plain gcc (Debian 12's gcc 12), so no CC= is
#         needed. The kbuild helpers (fixdep, modpost) are Debian 11's
#         binaries and run as they are; HOSTCC is never invoked for them.
#         The absolute include of the -common Makefile is pointed at the
#         cache.
#   6.12, trixie, trixie-backports: built here with gcc 12 from the start.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/cache.sh"

# Bump when the preparation below changes, to redo cached trees.
# 3: refuse a tree whose config lost options of the image's (a host
#    without pahole lost DEBUG_INFO_BTF_MODULES, which changes struct
#    module: the module then failed to load, "Invalid relocation target").
recipe=3

die() { echo "get-headers: $*" >&2; exit 1; }

headers_61() {
	kdir=$(ls -d /lib/modules/6.1.*/build 2>/dev/null | sort -V | tail -n 1)
	[ -n "$kdir" ] || die "no /lib/modules/6.1.*/build: run scripts/deps.sh"
	echo "$kdir"
}

headers_510() {
	. "$here/debian-apt.sh"
	debian_apt_init bullseye
	pkg=$(debian_apt_dep linux-headers-amd64 'linux-headers-5\.10\.[0-9].*-amd64')
	[ -n "$pkg" ] || die "cannot resolve bullseye's linux-headers-amd64"
	rel=${pkg#linux-headers-}
	root=$NSPID_CACHE/headers/$rel
	kdir=$root/usr/src/linux-headers-$rel
	stamp=$root/.nspid-ready
	if [ "$(cat "$stamp" 2>/dev/null)" != "$pkg $recipe" ]; then
		ver=$(debian_apt apt-cache show --no-all-versions "$pkg" |
			sed -n 's/^Version: //p' | head -n 1)
		common=$(debian_apt_dep "$pkg" 'linux-headers-.*-common')
		kbuild=$(debian_apt_dep "$pkg" 'linux-kbuild-.*')
		[ -n "$ver" ] && [ -n "$common" ] && [ -n "$kbuild" ] ||
			die "cannot resolve the parts of $pkg"
		rm -rf "$root"
		debian_apt_unpack "$root" "$pkg=$ver" "$common=$ver" "$kbuild=$ver" >/dev/null ||
			die "download of $pkg failed"
		# The arch part includes the common part by absolute path.
		sed -i "s|^include /usr/src/|include $root/usr/src/|" "$kdir/Makefile"
		# Debian 11 built with gcc-10; build with this machine's gcc.
		sed -i 's/^CC = .*/CC = $(CROSS_COMPILE)gcc/' "$kdir/.kernelvariables"
		# lib/modules/*/build and source are absolute links to /usr/src.
		rm -rf "${root:?}/lib"
		: >"$kdir/.nspid-make-args"
		echo "$pkg $recipe" >"$stamp"
	fi
	echo "$kdir"
}

headers_612() {
	config=/usr/src/linux-config-6.12/config.amd64_none_amd64.xz
	# Installs them when missing (as root), a no-op when present.
	"$here/deps.sh" linux-source-6.12 linux-config-6.12 >&2 || true
	tarball=$(ls /usr/src/linux-source-6.12.tar.* 2>/dev/null | head -n 1)
	[ -n "$tarball" ] && [ -f "$config" ] ||
		die "linux-source-6.12 or linux-config-6.12 missing: run scripts/deps.sh linux-source-6.12 linux-config-6.12"
	kdir=$NSPID_CACHE/trees/linux-source-6.12
	key="$(basename "$tarball") $(stat -c '%s %Y' "$tarball" "$config" | tr '\n' ' ')recipe $recipe"
	mkdir -p "$NSPID_CACHE/trees"
	# One preparation at a time; a second caller waits and reuses it.
	exec 9>"$NSPID_CACHE/trees/.lock"
	flock 9
	if [ "$(cat "$kdir/.nspid-ready" 2>/dev/null)" != "$key" ]; then
		prepare_612 >"$NSPID_CACHE/trees/linux-source-6.12.log" 2>&1 ||
			die "preparing 6.12 failed; see $NSPID_CACHE/trees/linux-source-6.12.log"
		echo "$key" >"$kdir/.nspid-ready"
	fi
	exec 9>&-
	echo "$kdir"
}

# In a subshell: its cd and xtrace stay there.
prepare_612() (
	set -ex
	start=$(date +%s)
	rm -rf "$kdir"
	mkdir -p "$kdir"
	tar -xf "$tarball" -C "$kdir" --strip-components=1
	echo "unpacked in $(( $(date +%s) - start ))s"
	cd "$kdir"
	xz -dc "$config" >.config
	# Debian's signing keys are not in the source package; the module
	# needs only what the config already enables.
	scripts/config --set-str SYSTEM_TRUSTED_KEYS "" \
		--set-str SYSTEM_REVOCATION_KEYS "" \
		--enable MODULES --enable PROC_FS --enable PID_NS
	# Explicit exits: a function run as "f || die" ignores set -e, and a
	# failed modules_prepare once left a tree without asm-offsets.h that
	# was taken as prepared (libelf-dev was missing for objtool).
	make olddefconfig || exit 1
	make -j2 modules_prepare || exit 1
	[ -f include/generated/asm-offsets.h ] && [ -x scripts/mod/modpost ] || exit 1
	# modpost checks the module's imports against Module.symvers, which
	# only a full kernel build makes. Debian's linux-headers package of
	# the same version and config carries it: take it when it matches.
	symvers_612 || echo "no matching linux-headers-6.12 package; modpost will skip import checks"
	: >.nspid-make-args
	echo "prepared in $(( $(date +%s) - start ))s"
)

symvers_612() {
	ver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
	for p in $(apt-cache pkgnames linux-headers-6.12. | grep -E '^linux-headers-6\.12\.[^-]*-amd64$'); do
		[ "$(apt-cache show "$p=$ver" 2>/dev/null | sed -n 's/^Version: //p' | head -n 1)" = "$ver" ] || continue
		tmp=$(mktemp -d)
		chmod 755 "$tmp"
		(cd "$tmp" && apt-get download -q "$p=$ver") || { rm -rf "$tmp"; return 1; }
		dpkg-deb --fsys-tarfile "$tmp"/*.deb |
			tar -xO --wildcards '*/Module.symvers' >Module.symvers
		rm -rf "$tmp"
		[ -s Module.symvers ] && return 0
	done
	return 1
}

# headers_deb13 SUITE: the prepared tree for SUITE's linux-image-amd64.
headers_deb13() {
	suite=$1
	. "$here/debian-apt.sh"
	debian_apt_init "$suite"
	img=$(debian_apt_dep linux-image-amd64 'linux-image-[0-9].*-amd64')
	src=$(debian_apt_dep linux-source 'linux-source-[0-9].*')
	[ -n "$img" ] && [ -n "$src" ] ||
		die "cannot resolve $suite's linux-image-amd64 and linux-source"
	rel=${img#linux-image-}
	hdr=linux-headers-$rel
	pkgver() {
		debian_apt apt-cache show --no-all-versions "$1" 2>/dev/null |
			sed -n 's/^Version: //p' | head -n 1
	}
	ver=$(pkgver "$img")
	[ -n "$ver" ] && [ "$(pkgver "$src")" = "$ver" ] && [ "$(pkgver "$hdr")" = "$ver" ] ||
		die "$suite: $img ${ver:-?}, $src $(pkgver "$src") and $hdr $(pkgver "$hdr") differ (archive mid-update?)"
	vmlinuz=$("$here/get-kernel.sh" "$suite") || die "cannot fetch $img"
	config=
	for c in "$(dirname "$vmlinuz")/config-$rel" "$(dirname "$vmlinuz")/config"; do
		[ -f "$c" ] && config=$c && break
	done
	[ -n "$config" ] || die "$img holds no config"
	kdir=$NSPID_CACHE/trees/$rel
	key="$src=$ver $img recipe $recipe"
	mkdir -p "$NSPID_CACHE/trees"
	exec 9>"$NSPID_CACHE/trees/.lock"
	flock 9
	if [ "$(cat "$kdir/.nspid-ready" 2>/dev/null)" != "$key" ]; then
		echo "get-headers: preparing $rel from $src $ver (log: $kdir.log)" >&2
		set +e
		prepare_deb13 >"$kdir.log" 2>&1
		st=$?
		set -e
		[ $st = 0 ] || die "preparing $rel failed; see $kdir.log"
		echo "$key" >"$kdir/.nspid-ready"
	fi
	exec 9>&-
	echo "$kdir"
}

# config_kept IMAGE_CONFIG TREE_CONFIG: fail, naming them, when options
# the image has are lost or changed in the tree's config. olddefconfig
# drops what this host's tools cannot provide, and some of those change
# the layout of structures the module uses or the kernel checks at load:
# without pahole (dwarves) DEBUG_INFO_BTF goes, with it
# DEBUG_INFO_BTF_MODULES (fields of struct module) and SCHED_CLASS_EXT
# (a member of struct task_struct). Allowed to differ: the tool versions
# and what the compiler, assembler and linker can do (probed, no layout),
# signing and what the host's openssl can sign with, the release string,
# and what needs Rust's bindgen (Rust itself and the drivers written in
# it), which Debian 12 cannot provide and which adds no field to a
# structure the module reads.
config_kept() {
	lost=$(diff "$1" "$2" | sed -n 's/^< CONFIG_\([A-Za-z0-9_]*\)=.*/\1/p' |
		grep -vxE '(CC|AS|LD|GCC|RUSTC|PAHOLE|BINDGEN)_[A-Z0-9_]*|CC_VERSION_TEXT|RUST|RUST_[A-Z0-9_]*|[A-Z0-9_]*_RUST_[A-Z0-9_]*|AMCC_QT2025_PHY|DRM_PANIC_SCREEN_QR_[A-Z_]*|LOCALVERSION|BUILD_SALT|MODULE_SIG_[A-Z_]*|SYSTEM_(TRUSTED|REVOCATION)_KEYS|OPENSSL_SUPPORTS_[A-Z0-9_]*' || true)
	[ -z "$lost" ] && return 0
	echo "the tree's config lost these options of the image's config:" $lost
	case " $lost " in
	*" DEBUG_INFO_BTF "*) echo "(DEBUG_INFO_BTF needs pahole: apt-get install dwarves)" ;;
	esac
	return 1
}

prepare_deb13() (
	set -ex
	start=$(date +%s)
	rm -rf "$kdir"
	mkdir -p "$kdir"
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	(cd "$tmp" && debian_apt apt-get download "$src=$ver" "$hdr=$ver")
	dpkg-deb --fsys-tarfile "$tmp/${src}_"*.deb |
		tar -xO --wildcards "./usr/src/$src.tar.*" |
		tar -xJ -C "$kdir" --strip-components=1
	echo "unpacked in $(( $(date +%s) - start ))s"
	cd "$kdir"
	cp "$config" .config
	# The image's release is the source's version plus its LOCALVERSION
	# (6.12.118 + "+deb13-amd64"); Debian sets it on make's command line.
	kv=$(make -s kernelversion)
	case $rel in "$kv"*) ;; *) echo "$rel is not $kv plus a suffix"; exit 1 ;; esac
	scripts/config --set-str LOCALVERSION "${rel#"$kv"}" --disable LOCALVERSION_AUTO \
		--set-str SYSTEM_TRUSTED_KEYS "" --set-str SYSTEM_REVOCATION_KEYS ""
	make olddefconfig
	# What gcc 12 and this host change in the image's config.
	diff "$config" .config | grep '^[<>] CONFIG_' >.nspid-config-diff || true
	config_kept "$config" .config
	make -j2 modules_prepare
	[ "$(cat include/config/kernel.release)" = "$rel" ]
	dpkg-deb --fsys-tarfile "$tmp/${hdr}_"*.deb |
		tar -xO --wildcards '*/Module.symvers' >Module.symvers
	[ -s Module.symvers ]
	: >.nspid-make-args
	echo "prepared in $(( $(date +%s) - start ))s"
)

case ${1:-} in
6.1) headers_61 ;;
5.10) headers_510 ;;
6.12) headers_612 ;;
trixie | trixie-backports) headers_deb13 "$1" ;;
*) echo "usage: get-headers.sh 5.10|6.1|6.12|trixie|trixie-backports" >&2; exit 2 ;;
esac
