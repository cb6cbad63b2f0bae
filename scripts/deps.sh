#!/bin/sh
# Install the Debian packages the build and the tests need, if missing.
# Usage: scripts/deps.sh [extra-package...]
set -eu

pkgs="make gcc libc6-dev bc bison flex kmod cpio xz-utils busybox-static
musl-tools sparse qemu-system-x86 linux-source-6.1 linux-headers-amd64
libelf-dev libssl-dev dwarves mandoc clang crash python3-drgn gcc-multilib $*"

missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$missing" >&2
	echo "deps: run as root, or: apt-get install$missing" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
