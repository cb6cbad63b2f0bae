#!/bin/sh
# Fetch a Debian kernel image package and unpack it into the cache, without
# installing it on this machine. Prints the path of the vmlinuz.
# Usage: scripts/get-kernel.sh [SERIES]
#   6.1   Debian 12's kernel (default), from this machine's apt sources
#   5.10  Debian 11's kernel, from bullseye, bullseye-updates and
#         bullseye-security on the same archives (scripts/debian-apt.sh)
# The ABI number changes with every Debian point release, so the package is
# found through the linux-image-amd64 metapackage, never by a fixed name.
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
*) echo "get-kernel: unknown series $series (6.1 or 5.10)" >&2; exit 2 ;;
esac
[ -n "$pkg" ] || { echo "get-kernel: cannot resolve $meta for $series (apt-get update?)" >&2; exit 1; }
ver=${pkg#linux-image-}
dir=$NSPID_CACHE/kernels/$ver
if [ ! -f "$dir/boot/vmlinuz-$ver" ]; then
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
		rm -rf "$dir"
		debian_apt_unpack "$dir" "$pkg" >/dev/null
		;;
	esac
fi
echo "$dir/boot/vmlinuz-$ver"
