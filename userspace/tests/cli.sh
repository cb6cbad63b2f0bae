#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Command-line tests of nspid(1) on the hand-written maps, a fake /proc
# and the live /proc of the machine: output, messages and exit codes.
#
#   tests/cli.sh NSPID MAPDIR TEST_STATUS
set -u
N=$1 M=$2 TS=$3
dkms_conf=$(dirname "$0")/../../dkms.conf
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$dkms_conf")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run CMD...: sets out, err (stdout/stderr, trailing newlines dropped), rc
run() {
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

# expect NAME SHELL-CONDITION
expect() {
	if eval "$2"; then
		echo "ok - $1"
	else
		echo "not ok - $1"
		echo "#   condition: $2"
		echo "#   rc=$rc"
		printf '%s\n' "$out" | sed 's/^/#   out: /'
		printf '%s\n' "$err" | sed 's/^/#   err: /'
	fi
}

json_ok() {
	printf '%s' "$out" | python3 -c 'import json,sys; json.load(sys.stdin)'
}

S="$N -f $M/scene.map"

# --- help, version, usage errors --------------------------------------------
run $N --help
expect "--help: usage on stdout, exit 0" \
	'[ $rc = 0 ] && [ -z "$err" ] && printf "%s\n" "$out" | grep -q "^ nspid \[options\] \[PID...\]"'
run $N --version
expect "--version prints dkms.conf's version" \
	'[ $rc = 0 ] && [ "$out" = "nspid $version" ]'
run $N --to-host 4
expect "--to-host alone is a usage error (2)" \
	'[ $rc = 2 ] && [ -z "$out" ] && printf "%s\n" "$err" | grep -q "^nspid: --to-host needs --ns-of PID or --ns INODE"'
run $N --bogus
expect "unknown option: exit 2" '[ $rc = 2 ] && printf "%s\n" "$err" | grep -q "^Try .nspid --help"'
run $S --ns-of 6052 --ns 4026532571
expect "--ns-of with --ns: exit 2" '[ $rc = 2 ] && printf "%s\n" "$err" | grep -q "exclude each other"'
run $S --ns-of abc
expect "--ns-of abc: invalid PID, exit 2" '[ $rc = 2 ] && printf "%s\n" "$err" | grep -q "^nspid: invalid PID: .abc."'
run $S 0
expect "PID 0: invalid, exit 2" '[ $rc = 2 ] && printf "%s\n" "$err" | grep -q "^nspid: invalid PID: .0."'
run $S 4194305
expect "PID above pid_max: exit 2" '[ $rc = 2 ]'
run $S --source foo
expect "--source foo: exit 2" '[ $rc = 2 ] && printf "%s\n" "$err" | grep -q "unknown source"'
run $N -f $M/scene.map --source module
expect "--file with --source module: exit 2" '[ $rc = 2 ]'
run $S --chain
expect "--chain without PIDs: exit 2" '[ $rc = 2 ]'
run $S --ns-of 6052 7000
expect "--ns-of with PID arguments: exit 2" '[ $rc = 2 ]'

# --- PID -> PID in its own namespace -------------------------------------------
run $S 6052
expect "nspid 6052 -> 1 (host PID to container PID)" '[ $rc = 0 ] && [ "$out" = 1 ] && [ -z "$err" ]'
run $S 6052 6077 7012 7011 1
expect "several PIDs, threads answer their own id" \
	'[ $rc = 0 ] && [ "$out" = "$(printf "1\n5\n3\n2\n1")" ]'
run $S --chain 7011 6052
expect "--chain" '[ $rc = 0 ] && [ "$out" = "$(printf "7011:7:2\n6052:1")" ]'
run $S 6052 99 7010
expect "absent PID: others answered, exit 1, named on stderr" \
	'[ $rc = 1 ] && [ "$out" = "$(printf "1\n1")" ] && [ "$err" = "nspid: PID 99 not found" ]'
run $S --json --chain 7011 6052
expect "--json --chain is valid JSON with the chain" \
	'[ $rc = 0 ] && json_ok && printf "%s\n" "$out" | grep -q "\"chain\": \[7011, 7, 2\]"'

# --- tables -------------------------------------------------------------------
run $S
expect "table: one row per process, aligned" '[ $rc = 0 ] && [ "$out" = "$(cat <<EOF
 PID NSPID PPID      PIDNS LEVEL COMMAND
   1     1    0 4026531836     0 init
   2     2    0 4026531836     0 kthreadd
6001  6001    1 4026531836     0 containerd-shim
6052     1 6001 4026532571     1 sh
6060     2 6052 4026532571     1 tab\\011name
7000     3 6052 4026532571     1 unshare
7010     1 7000 4026532602     2 nested
7011     2 7010 4026532602     2 nl\\012bs\\134del\\177
7020     1 6001 4026532700     1 other
7021     2 7020 4026532700     1 café
EOF
)" ]'
run $S -L
expect "-L: one row per thread" \
	'[ $rc = 0 ] && [ $(printf "%s\n" "$out" | wc -l) = 13 ] && printf "%s\n" "$out" | grep -q "^6077     5 6001 4026532571     1 worker 0$"'
run $S --json -L
expect "--json -L: valid JSON, 12 tasks" \
	'[ $rc = 0 ] && json_ok && [ $(printf "%s\n" "$out" | grep -c "\"pid\":") = 12 ]'
run $S --json
expect "--json table: valid JSON, escaped comm" \
	'[ $rc = 0 ] && json_ok && printf "%s\n" "$out" | grep -qF "\"comm\": \"nl\\u000abs\\\\del\\u007f\""'

# --- namespaces ---------------------------------------------------------------
run $S --ns-of 6060
expect "--ns-of: the container's ps" '[ $rc = 0 ] && [ "$out" = "$(cat <<EOF
PID HOSTPID PPID      PIDNS LEVEL COMMAND
  1    6052    0 4026532571     0 sh
  2    6060    1 4026532571     0 tab\\011name
  3    7000    1 4026532571     0 unshare
  4    7010    3 4026532602     1 nested
  7    7011    4 4026532602     1 nl\\012bs\\134del\\177
EOF
)" ]'
run $S --ns 4026532602 -L
expect "--ns INODE -L: nested namespace with its thread" \
	'[ $rc = 0 ] && [ $(printf "%s\n" "$out" | wc -l) = 4 ] && printf "%s\n" "$out" | grep -q "^  3    7012    0 4026532602     0 nested-thr$"'
run $S --ns 'pid:[4026532700]' --json
expect "--ns pid:[N] form, --json valid" \
	'[ $rc = 0 ] && json_ok && printf "%s\n" "$out" | grep -q "\"hostpid\": 7021"'
run $S --ns 12345
expect "--ns of an absent namespace: exit 1" \
	'[ $rc = 1 ] && [ "$err" = "nspid: PID namespace 12345 not found" ]'
run $S --ns-of 99
expect "--ns-of an absent PID: exit 1" '[ $rc = 1 ] && [ "$err" = "nspid: PID 99 not found" ]'

# --- reverse lookups ------------------------------------------------------------
run $S --to-host 1 --ns-of 6077
expect "--to-host 1 --ns-of 6077 -> 6052 (container PID to host PID)" '[ $rc = 0 ] && [ "$out" = 6052 ]'
run $S --to-host 4 --ns-of 6052
expect "--to-host into a middle-level namespace -> 7010" '[ $rc = 0 ] && [ "$out" = 7010 ]'
run $S --to-host 2 --ns 4026532700
expect "--to-host in a sibling namespace -> 7021, not 6060" '[ $rc = 0 ] && [ "$out" = 7021 ]'
run $S --to-host 2 --ns 4026532602 --json
expect "--to-host --json" '[ $rc = 0 ] && json_ok && printf "%s\n" "$out" | grep -q "\"pid\": 7011"'
run $S --to-host 6 --ns-of 6052
expect "--to-host of an absent PID: exit 1" \
	'[ $rc = 1 ] && [ -z "$out" ] && [ "$err" = "nspid: PID 6 not found in the namespace" ]'

# --- kernels without namespace inodes (< 3.8) ----------------------------------
run $N -f $M/old.map --to-host 2 --ns-of 313
expect "pidns 0: namespace named by its init, --to-host -> 312" '[ $rc = 0 ] && [ "$out" = 312 ]'
run $N -f $M/old.map --ns 4026531836
expect "pidns 0: --ns refused, exit 2" '[ $rc = 2 ] && printf "%s\n" "$err" | grep -q "no namespace inodes"'
run $N -f $M/old-setns.map --ns-of 302
expect "pidns 0: unprovable member refused, exit 2" \
	'[ $rc = 2 ] && [ -z "$out" ] && printf "%s\n" "$err" | grep -q "cannot tell whether PID 321"'

# --- bad input files ----------------------------------------------------------
head -c 300 $M/scene.map >"$tmp/trunc.map"
run $N -f "$tmp/trunc.map"
expect "truncated file: exit 2, line number" \
	'[ $rc = 2 ] && [ -z "$out" ] && printf "%s\n" "$err" | grep -q "^nspid: $tmp/trunc.map: line 6: truncated"'
: >"$tmp/empty.map"
run $N -f "$tmp/empty.map"
expect "empty file: exit 2" '[ $rc = 2 ] && printf "%s\n" "$err" | grep -q "line 1: empty input"'
run $N -f $M/duplicate.map
expect "duplicate rows: exit 2, line number" '[ $rc = 2 ] && printf "%s\n" "$err" | grep -q "line 5: duplicate pid 6001"'
run $N -f "$tmp/none.map"
expect "missing file: exit 2" '[ $rc = 2 ] && printf "%s\n" "$err" | grep -q "^nspid: cannot open"'
head -c 20000000 /dev/zero | tr '\0' 'x' >"$tmp/huge.map"
run $N -f "$tmp/huge.map"
expect "20 MB without newline: bounded, exit 2" '[ $rc = 2 ] && printf "%s\n" "$err" | grep -q "line 1: longer than 4096 bytes"'

# --- sources ----------------------------------------------------------------
mkdir -p "$tmp/noproc/self"
printf 'Name:\tx\nPid:\t1\n' >"$tmp/noproc/self/status"
NSPID_PROC=$tmp/noproc run $N 1
expect "auto, neither source: says how to load the module, exit 2" \
	'[ $rc = 2 ] && printf "%s\n" "$err" | grep -q "modprobe nspid_map" && printf "%s\n" "$err" | grep -q "insmod ./nspid_map.ko" && printf "%s\n" "$err" | grep -q "dkms install nspid/$version"'
NSPID_PROC=$tmp/noproc run $N --source module 1
expect "--source module without the module: exit 2" \
	'[ $rc = 2 ] && printf "%s\n" "$err" | grep -q "module is not loaded" && printf "%s\n" "$err" | grep -q modprobe'
NSPID_PROC=$tmp/noproc run $N --source status 1
expect "--source status without NSpid: exit 2" '[ $rc = 2 ] && printf "%s\n" "$err" | grep -q "no NSpid"'

mkdir -p "$tmp/modproc"
cp $M/scene.map "$tmp/modproc/nspid_map"
NSPID_PROC=$tmp/modproc run $N 6052
expect "auto prefers the module's file" '[ $rc = 0 ] && [ "$out" = 1 ]'

# A regular file answers no ioctl (ENOTTY), as a module before 0.2 does:
# every lookup falls back to reading it, with the same bytes as --file.
NSPID_PROC=$tmp/modproc run $N -v 6052
expect "-v: no ioctls (ENOTTY), the file answered" \
	'[ $rc = 0 ] && [ "$out" = 1 ] && [ "$err" = "nspid: answered by the module, reading $tmp/modproc/nspid_map" ]'
run $S -v 6052
expect "-v with --file names the file" '[ "$err" = "nspid: answered by the file $M/scene.map" ]'
same=1
for args in "6052" "6052 1 6077 99999 7011" "--chain 7011 6077" "--json 7010" \
	    "--json --chain 6052 424242" "--to-host 5 --ns-of 6052" \
	    "--to-host 1 --ns-of 7010" "--json --to-host 3 --ns-of 7010" \
	    "--to-host 77 --ns-of 6052" "--to-host 1 --ns-of 424242" \
	    "--to-host 3 --ns 4026532602" "" "-L" "--ns-of 6052 -L"; do
	NSPID_PROC=$tmp/modproc $N $args >"$tmp/a" 2>&1
	echo "rc=$?" >>"$tmp/a"
	$S $args >"$tmp/b" 2>&1
	echo "rc=$?" >>"$tmp/b"
	cmp -s "$tmp/a" "$tmp/b" || { same=0; diff "$tmp/a" "$tmp/b" | sed 's/^/# /'; }
done
rc=0 out= err=
expect "ENOTTY fallback == --file, byte for byte, for every lookup" '[ $same = 1 ]'

if "$TS" "$M" --fake "$tmp/fake" 2>"$tmp/err"; then
	same=1
	for args in "" "-L" "--json -L" "--chain 7011 6077" "--ns-of 6052 -L" \
		    "--to-host 4 --ns 4026532571"; do
		NSPID_PROC=$tmp/fake $N --source status $args >"$tmp/a" 2>&1
		$N -f $M/noparent.map $args >"$tmp/b" 2>&1
		cmp -s "$tmp/a" "$tmp/b" || { same=0; diff "$tmp/a" "$tmp/b" | sed 's/^/# /'; }
	done
	rc=0 out= err=
	expect "status source on a fake /proc == the same map, byte for byte" '[ $same = 1 ]'
else
	rc=1 out= err=$(cat "$tmp/err")
	expect "build the fake /proc" false
fi

if grep -q '^NSpid:' /proc/self/status 2>/dev/null; then
	sh -c 'echo $$ >'"$tmp/pid"'; exec sleep 5' &
	sleep 0.2
	p=$(cat "$tmp/pid")
	want=$(sed -n 's/^NSpid:\t//p' /proc/$p/status | tr '\t' ':')
	run $N --source status --chain "$p"
	expect "live /proc: --source status --chain = NSpid of /proc/PID/status" \
		'[ $rc = 0 ] && [ "$out" = "$want" ]'
	run $N --source status
	expect "live /proc: table lists the sleeping child" \
		'[ $rc = 0 ] && printf "%s\n" "$out" | grep -q "^ *$p .* sleep$"'
	kill "$p" 2>/dev/null
	wait 2>/dev/null
else
	echo "skip - live /proc: no NSpid on this kernel"
fi
