#!/bin/sh
# A Debian chroot of another release (e.g. bullseye), made once with
# debootstrap and kept in the cache. Prints its root directory.
# Usage: scripts/debian-chroot.sh SUITE [PACKAGE...]   (as root)
#   PACKAGEs are installed into it with the chroot's own apt (e.g. dkms
#   linux-headers-amd64); a metapackage gives that release's current one.
#   The chroot is redone when the package list or this recipe changes, and
#   its packages are brought up to date once a day.
#
# The archive is the one this machine's apt sources name for its own
# release, with SUITE in place of the release's codename (debian-apt.sh
# derives it at run time); the chroot's sources.list is the same derivation
# (SUITE, SUITE-updates, SUITE-security).
#
# Nothing is mounted into the chroot here: apt and dpkg run there without
# /proc (a user that needs it, like DKMS 2.x, mounts it for its run).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/cache.sh"
. "$here/debian-apt.sh"

die() { echo "debian-chroot: $*" >&2; exit 1; }
[ $# -ge 1 ] || { echo "usage: debian-chroot.sh SUITE [PACKAGE...]" >&2; exit 2; }
suite=$1
shift
pkgs=$*
[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot)"
command -v debootstrap >/dev/null || "$here/deps.sh" debootstrap >&2 ||
	die "no debootstrap (apt-get install debootstrap)"

# Bump when the recipe below changes, to redo cached chroots.
recipe=1
root=$NSPID_CACHE/chroots/$suite
key="recipe $recipe; packages: $pkgs"
mkdir -p "$NSPID_CACHE/chroots"
exec 9>"$NSPID_CACHE/chroots/.$suite.lock"
flock 9

sources=$(debian_apt_sources "$suite")
[ -n "$sources" ] || die "no Debian archive found in /etc/apt to derive $suite from"
# The main suite's archive and keyring, for debootstrap.
mirror=$(echo "$sources" | awk -v s="$suite" '{
	n = 2; kr = ""
	if ($2 ~ /^\[signed-by=/) { kr = $2; sub(/^\[signed-by=/, "", kr); sub(/\]$/, "", kr); n = 3 }
	if ($(n + 1) == s) { print $n " " kr; exit }
}')
keyring=${mirror#* }
mirror=${mirror%% *}
[ -n "$mirror" ] || die "no archive for $suite in the derived sources"

in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"; }

if [ "$(cat "$root/.nspid-ready" 2>/dev/null)" != "$key" ]; then
	start=$(date +%s)
	echo "debian-chroot: debootstrap $suite into $root" >&2
	rm -rf "$root"
	# shellcheck disable=SC2086
	debootstrap --variant=minbase ${keyring:+--keyring="$keyring"} \
		"$suite" "$root" "$mirror" >"$root.log" 2>&1 ||
		die "debootstrap failed; see $root.log"
	echo "$sources" | sed 's/ \[signed-by=[^]]*\]//' >"$root/etc/apt/sources.list"
	cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
	# Services must not start in a chroot.
	printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
	chmod 755 "$root/usr/sbin/policy-rc.d"
	{
		in_root apt-get -q update &&
		# shellcheck disable=SC2086
		in_root apt-get -q -y --no-install-recommends install $pkgs
	} >>"$root.log" 2>&1 || die "installing $pkgs failed; see $root.log"
	in_root apt-get clean
	echo "$key" >"$root/.nspid-ready"
	touch "$root/.nspid-updated"
	echo "debian-chroot: $suite ready in $(( $(date +%s) - start ))s" >&2
elif [ -z "$(find "$root/.nspid-updated" -mmin -1440 2>/dev/null)" ]; then
	echo "debian-chroot: updating $suite" >&2
	{
		in_root apt-get -q update &&
		# shellcheck disable=SC2086
		in_root apt-get -q -y --no-install-recommends install $pkgs &&
		in_root apt-get -q -y --no-install-recommends upgrade &&
		in_root apt-get clean
	} >>"$root.log" 2>&1 &&
		touch "$root/.nspid-updated" ||
		echo "debian-chroot: update failed; using $suite as it is (see $root.log)" >&2
fi
echo "$root"
