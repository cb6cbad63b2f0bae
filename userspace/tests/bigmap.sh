#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A large map in nspid_map(5) format, shaped like make bench's scenes
# (bench/nspid_bench.c): kernel threads, processes of 200 threads in the
# reader's namespace, a container of 50 processes (level 1), inside it a
# namespace two deep and in that one three deep, each holding one process
# of THREADS/10 threads. Some names need escapes or are UTF-8. The same
# THREADS always gives the same bytes. With "old", every inode is 0, as
# kernels before 3.8 print them: namespaces are then known by their inits.
#
#   tests/bigmap.sh THREADS [old] >FILE
set -eu
[ $# -ge 1 ] && [ "$1" -ge 200 ] 2>/dev/null && [ "${2:-old}" = old ] || {
	echo "usage: tests/bigmap.sh THREADS [old] (200 or more threads)" >&2
	exit 2
}
awk -v threads="$1" -v old="${2:-}" 'BEGIN {
	OFS = "\t"
	print "# pid\ttgid\tppid\tnspid\tnstgid\tpidns\tlevel\tchain\tnschain\tcomm"
	host = "4026531836"; ct = "4026532571"; ns2 = "4026532602"; ns3 = "4026532650"
	if (old != "")
		host = ct = ns2 = ns3 = 0
	nested = int(threads / 10)
	pid = 1
	row(1, 1, 0, "", "", "init")
	row(2, 2, 0, "", "", "kthreadd")
	split("kworker/0:1 ksoftirqd/1 rcu_preempt migration/0", kname, " ")
	for (i = 0; i < 48; i++)
		row(3 + i, 3 + i, 2, "", "", kname[1 + i % 4])
	pid = 400
	# the container: init, 48 processes, the init of the next level
	cinit = pid
	row(pid, pid, 1, cinit, ct, "sh")
	split("tab\\011x caf\303\251 holder holder", cname, " ")
	for (i = 0; i < 48; i++) {
		pid++
		row(pid, pid, cinit, cinit, ct, cname[1 + i % 4])
	}
	# two deep: init with nested threads, then three deep
	n2 = ++pid
	row(n2, n2, cinit, cinit SUBSEP n2, ct SUBSEP ns2, "nested")
	for (i = 1; i < nested; i++)
		row(++pid, n2, cinit, cinit SUBSEP n2, ct SUBSEP ns2,
		    "worker " i % 100)
	n3 = ++pid
	row(n3, n3, n2, cinit SUBSEP n2 SUBSEP n3, ct SUBSEP ns2 SUBSEP ns3,
	    "deeper")
	for (i = 1; i < nested; i++)
		row(++pid, n3, n2, cinit SUBSEP n2 SUBSEP n3,
		    ct SUBSEP ns2 SUBSEP ns3, "bs\\134" i % 7)
	# the namespace of the reader: the rest, 200 threads a process
	rest = threads - 2 * nested - 50 - 1
	while (rest > 0) {
		lead = ++pid
		row(lead, lead, 1, "", "", "hold")
		for (i = 1; i < (rest < 200 ? rest : 200); i++)
			row(++pid, lead, 1, "", "", "hold")
		rest -= 200
	}
}
# inits: the host pid of each namespace init on the chain, SUBSEP-joined;
# a task is the next id in each of its namespaces (counters per init)
function row(p, tg, pp, inits, nss, comm,    n, a, b, i, chain, nsc, id, tid, lvl) {
	lvl = inits == "" ? 0 : split(inits, a, SUBSEP)
	split(nss, b, SUBSEP)
	chain = p; nsc = host
	for (i = 1; i <= lvl; i++) {
		if (!((a[i], p) in ids)) ids[a[i], p] = ++cnt[a[i]]
		chain = chain ":" ids[a[i], p]
		nsc = nsc ":" b[i]
	}
	if (lvl) {
		id = ids[a[lvl], p]
		if (!((a[lvl], tg) in ids)) ids[a[lvl], tg] = ++cnt[a[lvl]]
		tid = ids[a[lvl], tg]
	} else {
		id = p; tid = tg
	}
	print p, tg, pp, id, tid, (lvl ? b[lvl] : host), lvl, chain, nsc, comm
}'
