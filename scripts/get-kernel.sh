#!/bin/sh
# Fetch a Debian kernel image package and unpack it into the cache, without
# installing it on this machine. Prints the path of the vmlinuz; the image's
# own .config lies beside it: boot/vmlinuz-REL and boot/config-REL, or in the
# 7.x packaging usr/lib/modules/REL/vmlinuz and usr/lib/modules/REL/config.
# Usage: scripts/get-kernel.sh [SERIES]
#   6.1               Debian 12's kernel (default), from this machine's apt
#                     sources
#   5.10              Debian 11's kernel, from bullseye, bullseye-updates and
#                     bullseye-security on the same archives
#   trixie            Debian 13's kernel (6.12), from trixie, trixie-updates
#                     and trixie-security
#   trixie-backports  the newest kernel Debian 13's backports suite carries
#                     (7.3 as of 2026-12)
# The other suites' addresses come from this machine's apt sources at run
# time (scripts/debian-apt.sh). The ABI number changes with every Debian
# point release, and the backported series with every upload, so the package
# is found through the linux-image-amd64 metapackage, never by a fixed name.
# Where that package is itself split (7.x: linux-image-X depends on
# linux-binary-X for the vmlinuz and linux-base-X for config and System.map),
# those two parts are fetched with it; the modules package is not (the VM
# boots from an initramfs and needs none of Debian's modules).
set -eu
here=$(dirname "$0")
. "$here/cache.sh"
. "$here/debian-apt.sh"

series=${1:-6.1}
meta=linux-image-amd64
case $series in
6.1)
	pkg=$(apt-cache depends "$meta" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -n 1)
	;;
5.10)
	debian_apt_init bullseye
	pkg=$(debian_apt_dep "$meta" 'linux-image-5\.10\.[0-9].*-amd64')
	;;
trixie | trixie-backports)
	debian_apt_init "$series"
	pkg=$(debian_apt_dep "$meta" 'linux-image-[0-9].*-amd64')
	;;
*) echo "get-kernel: unknown series $series (6.1, 5.10, trixie or trixie-backports)" >&2; exit 2 ;;
esac
[ -n "$pkg" ] || { echo "get-kernel: cannot resolve $meta for $series (apt-get update?)" >&2; exit 1; }
ver=${pkg#linux-image-}
dir=$NSPID_CACHE/kernels/$ver
vmlinuz() {
	for f in "$dir/boot/vmlinuz-$ver" "$dir/usr/lib/modules/$ver/vmlinuz"; do
		[ -f "$f" ] && { echo "$f"; return 0; }
	done
	return 1
}
if ! vmlinuz >/dev/null; then
	case $series in
	6.1)
		tmp=$(mktemp -d)
		chmod 755 "$tmp"	# apt downloads as the _apt user
		(cd "$tmp" && apt-get download -qq "$pkg" >/dev/null)
		mkdir -p "$dir"
		dpkg-deb -x "$tmp"/*.deb "$dir"
		rm -rf "$tmp"
		;;
	*)
		parts=$(debian_apt apt-cache depends "$pkg" 2>/dev/null |
			sed -n "s/^ *Depends: \\(linux-\\(binary\\|base\\)-$(echo "$ver" | sed 's/\./\\./g')\\)\$/\\1/p")
		rm -rf "$dir"
		# shellcheck disable=SC2086
		debian_apt_unpack "$dir" "$pkg" $parts >/dev/null
		;;
	esac
	vmlinuz >/dev/null || { echo "get-kernel: $pkg holds no vmlinuz" >&2; exit 1; }
fi
vmlinuz
