#!/bin/sh
# Extract checkpatch.pl and the kselftest headers from Debian's
# linux-source-6.1 tarball into the cache, once. Prints the directory.
set -eu
. "$(dirname "$0")/cache.sh"

tarball=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -n 1)
[ -n "$tarball" ] || { echo "kernel-tools: linux-source-6.1 is not installed" >&2; exit 1; }
dest=$NSPID_CACHE/linux-tools
stamp=$dest/.from-$(basename "$tarball")-$(stat -c %Y "$tarball")
if [ ! -f "$stamp" ]; then
	rm -rf "$dest"
	mkdir -p "$dest"
	tar -xf "$tarball" -C "$dest" --strip-components=1 --wildcards \
		'*/tools/testing/selftests/kselftest*' \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
	touch "$stamp"
fi
echo "$dest"
