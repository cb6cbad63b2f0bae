#!/bin/sh
# Build nspid_map.ko against KDIR in a copy of the module sources (Kbuild,
# dkms.conf, module/) under $NSPID_CACHE/builds/, never in the work tree:
# builds against different kernels can then run side by side, and none
# disturbs a build in the work tree. Prints the directory holding
# nspid_map.ko and build.log; exits with make's status.
# Usage: scripts/build-module.sh KDIR [MAKE-ARG...]
#   KDIR may also be a series name scripts/get-headers.sh knows (5.10, 6.1,
#   6.12, trixie, trixie-backports). KDIR/.nspid-make-args, if present, is
#   added to the make arguments. NSPID_JOBS sets make -j (default 2).
# E.g. the 5.10 VM run:
#   selftests/vm/run.sh --kernel "$(scripts/get-kernel.sh 5.10)" \
#       --module "$(scripts/build-module.sh 5.10)"
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/cache.sh"

[ $# -ge 1 ] || { echo "usage: build-module.sh KDIR [MAKE-ARG...]" >&2; exit 2; }
kdir=$1
shift
case $kdir in
5.10 | 6.1 | 6.12 | trixie | trixie-backports) kdir=$("$top/scripts/get-headers.sh" "$kdir") || exit 1 ;;
esac
[ -f "$kdir/Makefile" ] || { echo "build-module: $kdir is not a kernel build directory" >&2; exit 1; }
kdir=$(cd "$kdir" && pwd)
rel=$(cat "$kdir/include/config/kernel.release" 2>/dev/null || basename "$kdir")
work=$NSPID_CACHE/builds/$rel-$(echo "$kdir" | cksum | cut -d ' ' -f 1)
args=$(cat "$kdir/.nspid-make-args" 2>/dev/null || true)

mkdir -p "$NSPID_CACHE/builds"
# One build per directory at a time.
exec 9>"$work.lock"
flock 9
rm -rf "$work"
mkdir -p "$work"
cp -R "$top/Kbuild" "$top/dkms.conf" "$top/module" "$top/include" "$work/"
# drop build products the work tree may hold
find "$work/module" \( -name '*.o' -o -name '.*.cmd' -o -name '*.mod*' \
	-o -name '*.ko' -o -name '.*.d' \) -exec rm -f {} +

# shellcheck disable=SC2086
make -C "$kdir" M="$work" -j"${NSPID_JOBS:-2}" $args "$@" modules >"$work/build.log" 2>&1
st=$?
echo "$work"
exit $st
