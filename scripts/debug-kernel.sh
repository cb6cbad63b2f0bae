#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build (or reuse) the nspid debug kernel: Debian's linux-source-6.1,
# `make tinyconfig` + scripts/debug-kernel.config + `make olddefconfig`,
# bzImage + modules_prepare + modules (for Module.symvers). Built in the cache, outside the tree, keyed by
# a hash of the fragment, this recipe and the linux-source package version,
# so it is reused until one of those changes.
#
# Usage: scripts/debug-kernel.sh [--config-only]
# NSPID_KERNEL_FRAGMENT=FILE builds another kernel by the same recipe
# (scripts/postmortem-kernel.config for make check-postmortem), cached
# under $NSPID_CACHE/<FILE's name without .config>.
# Output (stdout, last two lines):
#   BZIMAGE=/path/to/arch/x86/boot/bzImage
#   TREE=/path/to/kernel/tree        (build external modules with make -C)
# Progress and the build log path go to stderr.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/cache.sh"
frag=${NSPID_KERNEL_FRAGMENT:-$here/debug-kernel.config}
configonly=0
[ "${1:-}" = --config-only ] && configonly=1

"$here/deps.sh" libelf-dev libssl-dev bc flex bison >&2

tarball=/usr/src/linux-source-6.1.tar.xz
[ -f "$tarball" ] || { echo "debug-kernel: $tarball missing (linux-source-6.1)" >&2; exit 1; }
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
recipe="tinyconfig+fragment+olddefconfig;bzImage;modules_prepare;v1"
key=$( { cat "$frag"; echo "$srcver"; echo "$recipe"; } | sha256sum | cut -c1-16)
base=$NSPID_CACHE/$(basename "$frag" .config)
dir=$base/$key
tree=$dir/linux
bz=$tree/arch/x86/boot/bzImage
log=$dir/build.log
mkdir -p "$dir"

# One build at a time per key.
exec 8>"$dir/.lock"
flock 8

say() { echo "debug-kernel: $*" >&2; }

verify() {
	bad=0
	grep -E '^CONFIG_[A-Za-z0-9_]+=' "$frag" | while IFS= read -r line; do
		name=${line%%=*}; want=${line#*=}; want=${want#\"}; want=${want%\"}
		got=$(cd "$tree" && scripts/config -s "${name#CONFIG_}")
		[ "$want" = n ] && [ "$got" = undef ] && got=n
		if [ "$got" != "$want" ]; then
			say "config: $name wanted $want, got $got"
			echo bad
		fi
	done | grep -q bad && bad=1
	return $bad
}

if [ -f "$dir/.built" ] && [ -f "$bz" ]; then
	say "reusing $dir (key $key, linux-source-6.1 $srcver)"
else
	say "building in $dir (key $key, linux-source-6.1 $srcver); log $log"
	rm -f "$dir/.built"
	# A tree built from the same linux-source under an older fragment is
	# taken over: kbuild then recompiles only what the changed options
	# touch (fixdep records which CONFIG_ each object depends on).
	if [ ! -f "$dir/.extracted" ]; then
		for old in "$base"/*/; do
			old=${old%/}
			[ "$old" != "$dir" ] && [ -f "$old/.extracted" ] &&
				[ "$(cat "$old/source" 2>/dev/null)" = "$srcver" ] || continue
			say "taking over the tree of $(basename "$old") (incremental build)"
			rm -rf "$tree"
			mv "$old/linux" "$tree"
			rm -rf "$old"
			touch "$dir/.extracted"
			break
		done
	fi
	if [ ! -f "$dir/.extracted" ]; then
		rm -rf "$tree"
		mkdir -p "$tree"
		say "extracting $tarball"
		tar -xf "$tarball" -C "$tree" --strip-components=1
		touch "$dir/.extracted"
	fi
	echo "$srcver" >"$dir/source"
	cp "$frag" "$dir/fragment.config"
	cd "$tree"
	{
		make tinyconfig
		scripts/kconfig/merge_config.sh -m -O . .config "$dir/fragment.config"
		make olddefconfig
	} >"$log" 2>&1
	if ! verify; then
		say "config verification failed (see above); .config is $tree/.config"
		exit 1
	fi
	say "config verified: every option of $(basename "$frag") is set as asked"
	[ "$configonly" = 1 ] && { echo "TREE=$tree"; exit 0; }
	t0=$(date +%s)
	if ! nice -n 19 make -j2 bzImage modules_prepare >>"$log" 2>&1; then
		tail -n 30 "$log" >&2
		say "build failed; log $log"
		exit 1
	fi
	t1=$(date +%s)
	echo "$((t1 - t0))" >"$dir/build-seconds"
	touch "$dir/.built"
	say "built in $((t1 - t0)) s"
fi
# Module.symvers comes from `make modules` (every option here is =y, so it
# only runs modpost on vmlinux); without it, modpost cannot check the
# module's symbols (unresolved-symbol warnings, no GPL-only check).
if [ ! -s "$tree/Module.symvers" ]; then
	say "making Module.symvers (make modules)"
	(cd "$tree" && nice -n 19 make -j2 modules) >>"$log" 2>&1 ||
		{ tail -n 20 "$log" >&2; say "make modules failed"; exit 1; }
fi
verify || { say "config verification failed on the cached tree"; exit 1; }
say "config verified; build took $(cat "$dir/build-seconds" 2>/dev/null || echo '?') s"
echo "BZIMAGE=$bz"
echo "TREE=$tree"
