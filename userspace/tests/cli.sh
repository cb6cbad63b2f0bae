#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Command-line tests of nspid(1) on the hand-written maps, a fake /proc
# and the live /proc of the machine: output, messages and exit codes.
#
#   tests/cli.sh NSPID MAPDIR TEST_STATUS [PLAIN_NSPID]
#
# PLAIN_NSPID, an uninstrumented build, runs the one test where /proc is
# unmounted (the sanitizers' runtime cannot start without /proc).
set -u
N=$1 M=$2 TS=$3 PLAIN=${4:-}
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
	'[ $rc = 2 ] && [ -z "$out" ] && printf "%s\n" "$err" | grep -q "^nspid: --to-host needs --ns-of PID, --ns INODE or --container ID"'
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
expect "absent PID: keeps its place (-), exit 1, named on stderr" \
	'[ $rc = 1 ] && [ "$out" = "$(printf "1\n-\n1")" ] && [ "$err" = "nspid: PID 99 not found" ]'
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
	'[ $rc = 0 ] && [ $(printf "%s\n" "$out" | wc -l) = 13 ] && printf "%s\n" "$out" | grep -q "^6052 6077     1     5 6001 4026532571     1 worker 0$"'
run $S --json -L
expect "--json -L: valid JSON, 12 tasks" \
	'[ $rc = 0 ] && json_ok && [ $(printf "%s\n" "$out" | grep -c "\"pid\":") = 12 ]'
run $S --json
expect "--json table: valid JSON, escaped comm" \
	'[ $rc = 0 ] && json_ok && printf "%s\n" "$out" | grep -qF "\"command\": \"nl\\u000abs\\\\del\\u007f\""'

# --- namespaces ---------------------------------------------------------------
run $S --ns-of 6060
expect "--ns-of: the container's ps" '[ $rc = 0 ] && [ "$out" = "$(cat <<EOF
INPID  PID INPPID      PIDNS LEVEL COMMAND
    1 6052      0 4026532571     1 sh
    2 6060      1 4026532571     1 tab\\011name
    3 7000      1 4026532571     1 unshare
    4 7010      3 4026532602     2 nested
    7 7011      4 4026532602     2 nl\\012bs\\134del\\177
EOF
)" ]'
run $S --ns 4026532602 -L
expect "--ns INODE -L: nested namespace with its thread" \
	'[ $rc = 0 ] && [ $(printf "%s\n" "$out" | wc -l) = 4 ] && printf "%s\n" "$out" | grep -q "^    1     3 7010 7012      0 4026532602     2 nested-thr$"'
run $S --ns 'pid:[4026532700]' --json
expect "--ns pid:[N] form, --json valid" \
	'[ $rc = 0 ] && json_ok && printf "%s\n" "$out" | grep -q "\"inpid\": 2, \"intid\": 2, \"inppid\": 1, \"pid\": 7021"'
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

mkdir -p "$tmp/modproc/self"
cp $M/scene.map "$tmp/modproc/nspid_map"
printf 'Name:\tnspid\n' >"$tmp/modproc/self/status"
NSPID_PROC=$tmp/modproc run $N 6052
expect "auto prefers the module's file" '[ $rc = 0 ] && [ "$out" = 1 ]'

# A regular file answers no ioctl (ENOTTY), as a module before 0.2 does:
# every lookup falls back to reading it, with the same bytes as --file.
NSPID_PROC=$tmp/modproc run $N -v 6052
expect "-v: no ioctls (ENOTTY), the file answered" \
	'[ $rc = 0 ] && [ "$out" = 1 ] && [ "$err" = "nspid: source: module ($tmp/modproc/nspid_map, read as a file up to the highest PID asked)" ]'
run $S -v 6052
expect "-v with --file names the file" '[ "$err" = "nspid: source: file ($M/scene.map)" ]'
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
	# JSON names its source ("module" here, "file" there): all else equal
	sed -i '/^ *"source": /d' "$tmp/a" "$tmp/b"
	cmp -s "$tmp/a" "$tmp/b" || { same=0; diff "$tmp/a" "$tmp/b" | sed 's/^/# /'; }
done
rc=0 out= err=
expect "ENOTTY fallback == --file, byte for byte but JSON's \"source\", for every lookup" '[ $same = 1 ]'

if "$TS" "$M" --fake "$tmp/fake" 2>"$tmp/err"; then
	same=1
	for args in "" "-L" "--json -L" "--chain 7011 6077" "--ns-of 6052 -L" \
		    "--to-host 4 --ns 4026532571"; do
		NSPID_PROC=$tmp/fake $N --source status $args 2>&1 |
			sed 's/"source": "status"/"source": "file"/' >"$tmp/a"
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

# --- issue 11 point 2: rows whose namespace the caller may not read ---------
H="$N -f $M/hidden.map"
run $H --ns 4026532700
expect "hidden rows: --ns of a namespace only they could be in: exit 2, the real cause" \
	'[ $rc = 2 ] && [ -z "$out" ] && printf "%s\n" "$err" | grep -q "cannot tell whether PID namespace 4026532700 exists: the caller may not read the namespace of 5 tasks (as /proc/PID/ns/pid)" && ! printf "%s\n" "$err" | grep -q "3.8"'
run $H --ns-of 7020
expect "hidden rows: a namespace named by its init (provable): listed" \
	'[ $rc = 0 ] && [ "$out" = "$(printf "INPID  PID INPPID PIDNS LEVEL COMMAND\n    1 7020      0     0     1 other\n    2 7021      1     0     1 café")" ]'
run $H --to-host 7 --ns 4026532571
expect "hidden rows below a readable namespace: --to-host through the parent links -> 7011" \
	'[ $rc = 0 ] && [ "$out" = 7011 ]'
run $H --json 7011
expect "hidden rows: JSON shows pidns 0 and nschain 0 after the first" \
	'[ $rc = 0 ] && json_ok && printf "%s\n" "$out" | grep -q "\"pidns\": 0, \"level\": 2, \"chain\": \[7011, 7, 2\], \"nschain\": \[4026531836, 0, 0\]"'
HS="$N -f $M/hidden-setns.map"
run $HS --ns 4026532571
expect "hidden setns'd task: membership unprovable: exit 2 naming /proc/7030/ns/pid" \
	'[ $rc = 2 ] && [ -z "$out" ] && printf "%s\n" "$err" | grep -q "cannot tell whether PID 7030 is in the namespace: the caller may not read its namespace (as /proc/7030/ns/pid)"'
run $HS --ns-of 7030
expect "hidden setns'd task: its namespace cannot be told: exit 2" \
	'[ $rc = 2 ] && printf "%s\n" "$err" | grep -q "cannot identify the PID namespace of 7030: the caller may not read it"'
run $HS --to-host 3 --ns-of 7020
expect "hidden setns'd task: --to-host refuses rather than guess: exit 2" '[ $rc = 2 ] && [ -z "$out" ]'
run $HS --to-host 2 --ns-of 7020
expect "hidden setns'd task: an id it does not have is still answered (ids are unique per namespace)" '[ $rc = 0 ] && [ "$out" = 7021 ]'
run $HS --tree
expect "hidden setns'd task: --tree refuses: exit 2" '[ $rc = 2 ] && [ -z "$out" ]'
run $HS 7030
expect "hidden rows: PID lookups still answer (chain is public)" '[ $rc = 0 ] && [ "$out" = 3 ]'

# --- ambiguity -------------------------------------------------------------------
run $N -f $M/ambiguous-pid.map --to-host 2 --ns 4026532700
expect "a pid twice in one namespace: exit 2 with both lines" \
	'[ $rc = 2 ] && [ -z "$out" ] && [ "$err" = "nspid: $M/ambiguous-pid.map: line 14: ambiguous map: PID 2 twice in namespace 4026532700 (also on line 13)" ]'
run $N -f $M/ambiguous-level.map 1
expect "a namespace at two levels: exit 2 with both lines" \
	'[ $rc = 2 ] && [ "$err" = "nspid: $M/ambiguous-level.map: line 14: ambiguous map: namespace 4026532700 at level 2, but at level 1 on line 12" ]'
# a live pass that shows it is read once more: a FIFO serves two passes
mkdir -p "$tmp/fifoproc/self"
printf 'Name:\tnspid\n' >"$tmp/fifoproc/self/status"
mkfifo "$tmp/fifoproc/nspid_map"
# (the pause lets the reader see the end of the first pass; the timeouts
# end a writer that no reader opens, so a reader that reads once fails
# the test instead of hanging it)
fifo() {
	timeout 10 sh -c "cat '$1' >'$tmp/fifoproc/nspid_map'" &&
	sleep 0.5 && timeout 5 sh -c "cat '$2' >'$tmp/fifoproc/nspid_map'"
}
fifo $M/ambiguous-pid.map $M/scene.map &
NSPID_PROC=$tmp/fifoproc run $N --to-host 2 --ns 4026532700
wait
expect "live pass ambiguous once, then clean: read again, answered" '[ $rc = 0 ] && [ "$out" = 7021 ]'
fifo $M/ambiguous-pid.map $M/ambiguous-pid.map &
NSPID_PROC=$tmp/fifoproc run $N --to-host 2 --ns 4026532700
wait
expect "live pass ambiguous twice: exit 2, line number, says it read twice" \
	'[ $rc = 2 ] && [ -z "$out" ] && printf "%s\n" "$err" | grep -q "nspid_map: line 14: ambiguous map" && printf "%s\n" "$err" | grep -q "read twice"'

# --- input files -----------------------------------------------------------------
head -n 1 $M/scene.map >"$tmp/header.map"
run $N -f "$tmp/header.map"
expect "header-only file: not a map, exit 2" '[ $rc = 2 ] && printf "%s\n" "$err" | grep -q "line 2: no rows after the header: not a map"'
sed 's/$/\r/' $M/scene.map >"$tmp/crlf.map"
run $N -f "$tmp/crlf.map"
expect "CRLF file: reported as such, exit 2" '[ $rc = 2 ] && printf "%s\n" "$err" | grep -q "line 1: ends in CR LF (a DOS text file?)"'
run sh -c "$N -f - 6052 7011 < $M/scene.map"
expect "--file - reads standard input" '[ $rc = 0 ] && [ "$out" = "$(printf "1\n2")" ]'
run sh -c "$N -v -f - --json 1 < $M/scene.map"
expect "-v names standard input; JSON says source file" \
	'[ $rc = 0 ] && [ "$err" = "nspid: source: file (-)" ] && printf "%s\n" "$out" | grep -q "^  \"source\": \"file\",$"'

# --- nspid PID...: argument order ----------------------------------------------
run $S 7011 99 6052 99
expect "answers in argument order, a '-' for each missing one" \
	'[ $rc = 1 ] && [ "$out" = "$(printf "2\n-\n1\n-")" ] && [ "$err" = "$(printf "nspid: PID 99 not found\nnspid: PID 99 not found")" ]'
run $S --json 7011 99
expect "--json PID...: an entry per argument, with its error" \
	'[ $rc = 1 ] && json_ok && printf "%s\n" "$out" | grep -q "{\"arg\": 99, \"error\": \"PID 99 not found\"}" && printf "%s\n" "$out" | grep -q "{\"arg\": 7011, \"pid\": 7011,"'
run $S -o pid,nspid,command 6077 99
expect "-o with PIDs: a table in argument order" \
	'[ $rc = 1 ] && [ "$out" = "$(printf " PID NSPID COMMAND\n6052     1 worker 0\n   -     - -")" ]'

# --- columns ----------------------------------------------------------------------
run $N -l
expect "-l lists every column with a description" \
	'[ $rc = 0 ] && [ $(printf "%s\n" "$out" | wc -l) = 19 ] && printf "%s\n" "$out" | grep -q "^   CONTAINER  runtime:id or runtime:name"'
run $N --help
expect "--help lists the columns too" '[ $rc = 0 ] && printf "%s\n" "$out" | grep -q "^       NSTID  thread ID in its own"'
run $N -l --json
expect "-l --json is valid JSON" '[ $rc = 0 ] && json_ok'
run $S -o TID,nstid,chain -L
expect "-o picks and orders columns, any case" \
	'[ $rc = 0 ] && printf "%s\n" "$out" | head -n 1 | grep -q "^ TID NSTID CHAIN$" && printf "%s\n" "$out" | grep -q "^7012     3 7012:8:3$"'
run $S -o +NSCHAIN 7011
expect "-o +LIST adds to the defaults" \
	'[ $rc = 0 ] && [ "$(printf "%s\n" "$out" | tail -n 1)" = "7011     2 7010 4026532602     2 nl\\012bs\\134del\\177 4026531836:4026532571:4026532602" ]'
run $S -n -r -o pid,command 6077
expect "-n -r: no heading, raw, spaces escaped as lsns -r" '[ $rc = 0 ] && [ "$out" = "6052 worker\\x200" ]'
run $S --output-all 6052
expect "--output-all: every column but the listing's own" \
	'[ $rc = 0 ] && [ "$(printf "%s\n" "$out" | head -n 1)" = " PID  TID PPID NSPID NSTID      PIDNS LEVEL CHAIN  NSCHAIN               CONTAINER POD USER UID STATE ARGS COMMAND" ]'
run $S --ns-of 6052 --output-all --json
expect "--output-all --json in a listing: inpid, intid, inppid" \
	'[ $rc = 0 ] && json_ok && printf "%s\n" "$out" | grep -q "{\"pid\": 7010, \"tid\": 7010, .*\"inpid\": 4, \"intid\": 4, \"inppid\": 3,"'
run $S -o inpid
expect "-o INPID outside a listing: usage error" '[ $rc = 2 ] && printf "%s\n" "$err" | grep -q "exists only in a namespace"'
run $S -o bogus
expect "-o with an unknown column: usage error" '[ $rc = 2 ] && printf "%s\n" "$err" | grep -q "unknown column: .bogus."'
run $S -o container,user,state,args 6052
expect "--file: the live columns are '-'" '[ $rc = 0 ] && [ "$(printf "%s\n" "$out" | tail -n 1)" = "-         -    -     -" ]'

# --- --dump -------------------------------------------------------------------------
run $N -f $M/hidden.map --dump
printf '%s\n' "$out" >"$tmp/dumped.map"
run $N -f "$tmp/dumped.map" --json -L
a=$out
run $N -f $M/hidden.map --json -L
expect "--dump of a --file reads back as the same map" '[ $rc = 0 ] && [ "$a" = "$out" ] && [ -n "$a" ]'
run $N -f $M/scene.map --dump "$tmp/d1.map"
rc1=$rc
run $N -f $M/scene.map --dump="$tmp/d2.map"
expect "--dump FILE and --dump=FILE write the same file, nothing on stdout" \
	'[ $rc1 = 0 ] && [ $rc = 0 ] && [ -z "$out" ] && cmp -s "$tmp/d1.map" "$tmp/d2.map" && head -n 1 "$tmp/d1.map" | grep -q "^# pid	tgid	ppid	nspid	nstgid	pidns	level	chain	nschain	comm$"'
run $N -f $M/scene.map --dump a b
expect "--dump with two files: usage error" '[ $rc = 2 ]'
run $N -f $M/scene.map --dump --json
expect "--dump --json: usage error" '[ $rc = 2 ]'
if "$TS" "$M" --fake "$tmp/hfake" hidden.map 2>"$tmp/err"; then
	NSPID_PROC=$tmp/hfake run $N --source status --dump
	expect "--dump from the status source: unreadable ns links as the module's hidden rows" \
		'[ $rc = 0 ] && printf "%s\n" "$out" | grep -q "^7012	7010	7000	3	1	0	2	7012:8:3	4026531836:0:0	nested-thr$" && printf "%s\n" "$out" | grep -q "^7020	7020	6001	1	1	0	1	7020:1	4026531836:0	other$"'
	NSPID_PROC=$tmp/hfake run $N --source status --ns 4026532700
	expect "status source, unreadable links: --ns says the real cause, exit 2" \
		'[ $rc = 2 ] && printf "%s\n" "$err" | grep -q "the caller may not read the namespace of 4 tasks" && ! printf "%s\n" "$err" | grep -q "3.8"'
	NSPID_PROC=$tmp/hfake run $N -v --source status 7011
	expect "-v: the status source read the asked PIDs only" \
		'[ $rc = 0 ] && [ "$out" = 2 ] && [ "$err" = "nspid: source: status ($tmp/hfake/PID/task/TID/status, the asked PIDs'"'"')" ]'
	NSPID_PROC=$tmp/hfake run $N -v --source status
	expect "-v: the status source read one status per process for the table" \
		'[ $rc = 0 ] && printf "%s\n" "$err" | grep -q "each process'"'"'s)$" && [ $(printf "%s\n" "$out" | wc -l) = 11 ]'
else
	rc=1 out= err=$(cat "$tmp/err")
	expect "build the fake /proc of hidden.map" false
fi

# --- /proc missing or not the caller's -------------------------------------------
mkdir -p "$tmp/empty"
NSPID_PROC=$tmp/empty run $N 1
expect "/proc not mounted: said so, exit 2" \
	'[ $rc = 2 ] && [ "$err" = "nspid: $tmp/empty is not mounted (no procfs there): mount it with '"'"'mount -t proc proc $tmp/empty'"'"'" ]'
mkdir -p "$tmp/otherns/1"
printf 'Name:\tinit\nNSpid:\t1\n' >"$tmp/otherns/1/status"
ln -s 1 "$tmp/otherns/self"
cp $M/scene.map "$tmp/otherns/nspid_map"
NSPID_PROC=$tmp/otherns run $N --chain 1
expect "/proc of another PID namespace (/proc/self is not getpid()): said so, exit 2" \
	'[ $rc = 2 ] && [ -z "$out" ] && printf "%s\n" "$err" | grep -q "is the /proc of another PID namespace (.*/self is 1, this process is [0-9]*)"'
if [ "$(id -u)" = 0 ] && unshare --pid --fork true 2>/dev/null; then
	run unshare --pid --fork sh -c "exec $N --chain \$\$"
	expect "live: unshare --pid --fork without --mount-proc: refused, exit 2" \
		'[ $rc = 2 ] && [ -z "$out" ] && printf "%s\n" "$err" | grep -q "/proc is the /proc of another PID namespace"'
	if [ -n "$PLAIN" ]; then
		run unshare -m sh -c "umount -l /proc && exec $PLAIN 1"
		expect "live: /proc unmounted: refused, says /proc is not mounted" \
			'[ $rc = 2 ] && [ "$err" = "nspid: /proc is not mounted (no procfs there): mount it with '"'"'mount -t proc proc /proc'"'"'" ]'
	else
		echo "skip - live: /proc unmounted: no uninstrumented nspid given"
	fi
else
	echo "skip - live unshare checks: not root or no unshare"
fi

# --- containers (a fake /proc with the runtimes' cgroup paths) ------------------
CG=$(dirname "$0")/cgroups
# ctproc DIR OTHER: scene.map as a module's /proc; 6052's container is
# Docker (name "web" in config.v2.json), 6060 entered it by setns (its
# cgroup is the host's), 7020's cgroup file is OTHER (uid 4242)
ctproc() {
	mkdir -p "$1/self"
	printf 'Name:\tnspid\n' >"$1/self/status"
	cp $M/scene.map "$1/nspid_map"
	tail -n +2 $M/scene.map | while IFS='	' read -r pid tgid ppid _; do
		d=$1/$tgid/task/$pid
		mkdir -p "$d"
		case $tgid in
		6052|7000|7010) cp "$CG/docker-systemd-v2.cgroup" "$d/cgroup" ;;
		7020|7021) cp "$2" "$d/cgroup" ;;
		1) cp "$CG/host-init-v2.cgroup" "$d/cgroup" ;;
		*) echo "0::/" >"$d/cgroup" ;;
		esac
		printf 'Name:\tx\nState:\tS (sleeping)\nUid:\t%s\t0\t0\t0\n' \
			"$((tgid == 7020 ? 4242 : 0))" >"$d/status"
		printf 'prog\0--flag\0arg %s\0' "$tgid" >"$1/$tgid/cmdline"
	done
}
ctproc "$tmp/ct" "$CG/lxd-v2.cgroup"
NSPID_SYSROOT=$(cd "$(dirname "$0")" && pwd)/sysroot
export NSPID_SYSROOT
C() { NSPID_PROC=$tmp/ct run $N "$@"; }
cat >"$tmp/want" <<'WANT'
 PID CONTAINER                POD COMMAND
   1 -                        -   init
   2 -                        -   kthreadd
6001 -                        -   containerd-shim
6052 docker:3f4e1d1c0b2a(web) -   sh
6060 docker:3f4e1d1c0b2a(web) -   tab\011name
7000 docker:3f4e1d1c0b2a(web) -   unshare
7010 docker:3f4e1d1c0b2a(web) -   nested
7011 docker:3f4e1d1c0b2a(web) -   nl\012bs\134del\177
7020 lxc:web                  -   other
7021 lxc:web                  -   café
WANT
C -o pid,container,pod,command
expect "CONTAINER: Docker with its name, LXD, a setns'd task, a nested namespace, the host" \
	'[ $rc = 0 ] && [ "$out" = "$(cat "$tmp/want")" ]'
C -o pid,user,uid,state,args 6052 7020
expect "USER, UID, STATE, ARGS from the live /proc" \
	'[ $rc = 0 ] && [ "$out" = "$(printf " PID USER  UID STATE ARGS\n6052 root    0 S     prog --flag arg 6052\n7020 4242 4242 S     prog --flag arg 7020")" ]'
C --container web
expect "--container NAME that two containers have (Docker's and LXD's web): exit 2" \
	'[ $rc = 2 ] && printf "%s\n" "$err" | grep -q "matches more than one container"'
C --container docker:web
expect "--container runtime:NAME: the container's ps" \
	'[ $rc = 0 ] && [ "$(printf "%s\n" "$out" | sed -n 2p)" = "    1 6052      0 4026532571     1 sh" ] && [ $(printf "%s\n" "$out" | wc -l) = 6 ]'
C --container 3f4e1d
expect "--container ID-PREFIX: the same namespace" \
	'[ $rc = 0 ] && [ "$(printf "%s\n" "$out" | sed -n 2p)" = "    1 6052      0 4026532571     1 sh" ]'
C --to-host 2 --container lxc:web
expect "--to-host NSPID --container: the LXD container's PID 2 -> 7021" '[ $rc = 0 ] && [ "$out" = 7021 ]'
C --container nope
expect "--container that matches nothing: exit 1" '[ $rc = 1 ] && [ "$err" = "nspid: no container matches '"'"'nope'"'"'" ]'
C --container 3f4e --json
expect "--container --json: the namespace's container in JSON" \
	'[ $rc = 0 ] && json_ok && printf "%s\n" "$out" | grep -q "^  \"container\": \"docker:3f4e1d1c0b2a(web)\",$"'
cat >"$tmp/want" <<'WANT'
pidns=4026531836 container=- level=0 init=1 nsinit=1 processes=3 threads=3
|-pidns=4026532571 container=docker:3f4e1d1c0b2a(web) level=1 init=6052 nsinit=1 processes=3 threads=4
| `-pidns=4026532602 container=docker:3f4e1d1c0b2a(web) level=2 init=7010 nsinit=1 processes=2 threads=3
`-pidns=4026532700 container=lxc:web level=1 init=7020 nsinit=1 processes=2 threads=2
WANT
C --tree
expect "--tree shows each namespace's container (ASCII off a terminal)" '[ $rc = 0 ] && [ "$out" = "$(cat "$tmp/want")" ]'
C --tree --json
expect "--tree --json: nested, valid" '[ $rc = 0 ] && json_ok && printf "%s\n" "$out" | grep -q "\"children\": \[$"'
if script -qec true /dev/null >/dev/null 2>&1; then
	out=$(NSPID_PROC=$tmp/ct LC_ALL=C.UTF-8 script -qec "$N --tree" /dev/null | tr -d '\r')
	rc=0 err=
	expect "--tree on a UTF-8 terminal draws lines" \
		'printf "%s\n" "$out" | grep -q "^├─pidns=4026532571" && printf "%s\n" "$out" | grep -q "^│ └─pidns=4026532602"'
	out=$(NSPID_PROC=$tmp/ct LC_ALL=C script -qec "$N --tree" /dev/null | tr -d '\r')
	expect "--tree on a non-UTF-8 terminal: ASCII" 'printf "%s\n" "$out" | grep -q "^|-pidns=4026532571"'
else
	echo "skip - --tree on a terminal: no script(1)"
fi
C --tree -L
expect "--tree -L: tasks under their namespace" \
	'[ $rc = 0 ] && printf "%s\n" "$out" | grep -q "^| |-pid=6052 tid=6077 nspid=1 nstid=5 worker 0$"'
echo "0::/system.slice/docker-3f4e999999999999999999999999999999999999999999999999999999999999.scope" >"$tmp/other.cgroup"
ctproc "$tmp/ct3" "$tmp/other.cgroup"
NSPID_PROC=$tmp/ct3 run $N --container 3f4e
expect "--container: an id prefix two containers share: exit 2" \
	'[ $rc = 2 ] && printf "%s\n" "$err" | grep -q "matches more than one container; give more of the id"'
NSPID_PROC=$tmp/ct3 run $N --container 3f4e1
expect "--container: a longer prefix tells them apart" \
	'[ $rc = 0 ] && [ "$(printf "%s\n" "$out" | sed -n 2p)" = "    1 6052      0 4026532571     1 sh" ]'
ctproc "$tmp/ct2" "$CG/k8s-containerd-systemd-v2.cgroup"
NSPID_PROC=$tmp/ct2 run $N --container 3f4e
expect "--container: the same id under two runtimes is two containers: exit 2" \
	'[ $rc = 2 ] && printf "%s\n" "$err" | grep -q "matches more than one container"'
NSPID_PROC=$tmp/ct2 run $N -o pid,container,pod 7021
expect "Kubernetes: containerd container, its name from kubelet's /var/log/containers, the pod uid" \
	'[ $rc = 0 ] && [ "$(printf "%s\n" "$out" | tail -n 1)" = "7021 containerd:3f4e1d1c0b2a(default/web-7d9f8c6b5-x2x4q/nginx) 6e1f3c0a-2b4d-4e5f-8a9b-0c1d2e3f4a5b" ]'
NSPID_PROC=$tmp/ct2 run $N --to-host 2 --container default/web-7d9f8c6b5-x2x4q/nginx
expect "--container NAMESPACE/POD/CONTAINER: the Kubernetes container's PID 2 -> 7021" '[ $rc = 0 ] && [ "$out" = 7021 ]'
run $N -f $M/scene.map --container web
expect "--container with --file: needs the live /proc, exit 2" '[ $rc = 2 ] && printf "%s\n" "$err" | grep -q "needs the live /proc"'

# --- the status source reads what the question needs (live /proc) ----------------
if grep -q '^NSpid:' /proc/self/status 2>/dev/null && command -v strace >/dev/null; then
	n=$(strace -f -e trace=open,openat $N --source status $$ 2>&1 >/dev/null | grep -c '/status"')
	all=$(strace -f -e trace=open,openat $N --source status -L 2>&1 >/dev/null | grep -c '/status"')
	rc=0 out="lookup opened $n status files, -L $all" err=
	expect "live: nspid PID opens at most 2 status files (the NSpid check, the task)" '[ "$n" -le 2 ] && [ "$all" -gt 10 ]'
	echo "# $out"
else
	echo "skip - live status reads: no NSpid or no strace"
fi

# --- the tree before 3.8: namespaces named by their inits ------------------------
run $N -f $M/old.map --tree
expect "--tree without inodes: the namespaces by their inits" \
	'[ $rc = 0 ] && [ "$out" = "$(printf "pidns=0 container=- level=0 init=1 nsinit=1 processes=3 threads=3\n|-pidns=0 container=- level=1 init=301 nsinit=1 processes=3 threads=3\n\`-pidns=0 container=- level=1 init=311 nsinit=1 processes=3 threads=3")" ]'
run $N -f $M/old-setns.map --tree
expect "--tree without inodes, a setns'd task: refused, exit 2" \
	'[ $rc = 2 ] && [ -z "$out" ] && printf "%s\n" "$err" | grep -q "cannot identify the PID namespace of 321: the map has no namespace inodes (kernel before 3.8)"'

# --- a large map: every whole-table command prints what it printed before -------
# tests/bigmap.sums holds the sha256 of what main's reader printed (stdout and
# stderr) for each command on the maps of tests/bigmap.sh, before the table
# code was made faster: byte for byte the same output, at 30,000 rows.
T=$(dirname "$0")
if command -v sha256sum >/dev/null; then
	"$T/bigmap.sh" 30000 >"$tmp/big.map" && "$T/bigmap.sh" 30000 old >"$tmp/old.map"
	bad=0 total=0
	while read -r sum map args; do
		case $sum in '#'*) continue ;; esac
		total=$((total + 1))
		# shellcheck disable=SC2086 # args: several words
		got=$($N -f "$tmp/$map.map" $args 2>&1 | sha256sum | cut -c1-64)
		if [ "$got" != "$sum" ]; then
			bad=$((bad + 1))
			echo "#   differs: nspid -f $map.map $args"
		fi
	done <"$T/bigmap.sums"
	rc=0 out="$total commands, $bad differ" err=
	expect "30,000 rows: every whole-table command's output as before ($total commands)" \
		'[ "$bad" = 0 ] && [ "$total" -ge 40 ]'
else
	echo "skip - the large map's outputs: no sha256sum"
fi
