#!/bin/sh
# Fetch a Debian kernel image package and unpack it into the cache, without
# installing it on this machine. Prints the path of the vmlinuz.
# Usage: scripts/get-kernel.sh [6.1]
# The ABI number changes with every Debian point release, so the package is
# found through the linux-image-amd64 metapackage, never by a fixed name.
set -eu
. "$(dirname "$0")/cache.sh"

series=${1:-6.1}
case $series in
6.1) meta=linux-image-amd64 ;;
*) echo "get-kernel: unknown series $series" >&2; exit 2 ;;
esac

pkg=$(apt-cache depends "$meta" 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -n 1)
[ -n "$pkg" ] || { echo "get-kernel: cannot resolve $meta (apt-get update?)" >&2; exit 1; }
ver=${pkg#linux-image-}
dir=$NSPID_CACHE/kernels/$ver
if [ ! -f "$dir/boot/vmlinuz-$ver" ]; then
	tmp=$(mktemp -d)
	chmod 755 "$tmp"	# apt downloads as the _apt user
	(cd "$tmp" && apt-get download -qq "$pkg" >/dev/null)
	mkdir -p "$dir"
	dpkg-deb -x "$tmp"/*.deb "$dir"
	rm -rf "$tmp"
fi
echo "$dir/boot/vmlinuz-$ver"
