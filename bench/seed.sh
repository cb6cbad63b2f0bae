# SPDX-License-Identifier: GPL-2.0
# The way people answer "what is host PID X called in its container" on a
# kernel without NSpid: hash the process's memory map on the host, then
# enter the container and hash each of its processes' maps until one
# matches. Slow (two nsenters per candidate), racy, and wrong when two
# processes map the same files at the same addresses.
#
# seed_lookup HOST_PID CONTAINER_INIT_HOST_PID
seed_lookup() {
	want=$(md5sum </proc/"$1"/maps)
	for p in $(nsenter -t "$2" -m -p ls /proc); do
		case $p in
		*[!0-9]*) continue ;;
		esac
		got=$(nsenter -t "$2" -m -p cat /proc/"$p"/maps | md5sum)
		if [ "$got" = "$want" ]; then
			echo "$p"
			return 0
		fi
	done
	return 1
}
