// SPDX-License-Identifier: GPL-2.0
/*
 * query.c - records from the module's ioctls (<nspid/nspid_map.h>).
 *
 * Each answer is one row of the map as read() would show it through the
 * same descriptor; it becomes a record like a parsed line, checked by the
 * same map_check_rec(), so printing cannot tell the two paths apart.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <nspid/nspid_map.h>

#include "query.h"

/* A row of an answer, with its arrays. */
struct quick_row {
	struct nspid_rec rec;
	unsigned int chain[NSPID_MAX_LEVEL + 1], nschain[NSPID_MAX_LEVEL + 1];
	char comm[NSPID_COMM_MAX];
};

/* The row of answer @q, checked as a parsed line is; 0 or -1. */
static int query_rec(const struct nspid_query *q, struct nspid_rec *rec,
		     unsigned int *chain, unsigned int *nschain, char *comm)
{
	const unsigned int want = NSPID_MASK_IDS | NSPID_MASK_NS | NSPID_MASK_COMM;
	char err[NSPID_ERR_MAX];
	unsigned int i;

	if ((q->mask & want) != want || q->level > NSPID_MAX_LEVEL ||
	    q->level >= NSPID_CHAIN_MAX)
		return -1;
	memset(rec, 0, sizeof(*rec));
	rec->pid = q->tid;
	rec->tgid = q->tgid;
	rec->ppid = q->ppid;
	rec->nspid = q->nspid;
	rec->nstgid = q->nstgid;
	rec->pidns = q->pidns;
	rec->level = q->level;
	for (i = 0; i <= q->level; i++) {
		chain[i] = q->chain[i];
		nschain[i] = q->nschain[i];
	}
	rec->comm = comm;
	rec->commlen = strnlen((const char *)q->comm, sizeof(q->comm) - 1);
	memcpy(rec->comm, q->comm, rec->commlen);
	rec->comm[rec->commlen] = '\0';
	return map_check_rec(rec, chain, nschain, err, sizeof(err));
}

static int query(int fd, unsigned long cmd, struct nspid_query *q,
		 struct nspid_map *map)
{
	unsigned int chain[NSPID_MAX_LEVEL + 1], nschain[NSPID_MAX_LEVEL + 1];
	char comm[NSPID_COMM_MAX];
	struct nspid_rec rec;

	q->size = sizeof(*q);
	if (ioctl(fd, cmd, q)) {
		if (errno == ESRCH)
			return Q_NOTFOUND;	/* absent or hidden, as in the file */
		/* ENOTTY: a module without ioctls; anything else: the file decides */
		return Q_NONE;
	}
	if (query_rec(q, &rec, chain, nschain, comm))
		return Q_NONE;
	return map_add(map, &rec, chain, nschain) ? Q_NONE : Q_OK;
}

int query_pid(int fd, unsigned int pid, struct nspid_map *map)
{
	struct nspid_query q;

	memset(&q, 0, sizeof(q));
	q.pid = pid;
	return query(fd, NSPID_IOC_GET_TASK, &q, map);
}

int query_nspid(int fd, unsigned int ns_of, unsigned int nr,
		struct nspid_map *map)
{
	struct nspid_query q;

	memset(&q, 0, sizeof(q));
	q.pid = ns_of;
	q.nr = nr;
	return query(fd, NSPID_IOC_BY_NSPID, &q, map);
}

static int load_to_host(int fd, unsigned int ns_of, unsigned int to_host,
			struct nspid_map *map)
{
	const struct nspid_rec *named;
	int rc = query_pid(fd, ns_of, map);

	if (rc != Q_OK)
		return rc == Q_NOTFOUND ? Q_OK : Q_NONE;	/* "PID not found" */
	named = &map->recs[map->nrecs - 1];
	/* A namespace the map cannot name (before 3.8, or hidden): the file. */
	if (named->level && !named->pidns)
		return Q_NONE;
	if (query_nspid(fd, ns_of, 1, map) != Q_OK ||
	    query_nspid(fd, ns_of, to_host, map) != Q_OK)
		return Q_NONE;
	map_sort(map);
	return Q_OK;
}

int query_load(const char *path, const unsigned int *want, size_t nwant,
	       unsigned int ns_of, unsigned int to_host, struct nspid_map *map)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = Q_OK;
	size_t i;

	if (fd < 0)
		return Q_NONE;
	if (ns_of && to_host) {
		rc = load_to_host(fd, ns_of, to_host, map);
	} else {
		for (i = 0; i < nwant && rc == Q_OK; i++)
			if (query_pid(fd, want[i], map) == Q_NONE)
				rc = Q_NONE;
	}
	close(fd);
	if (rc != Q_OK) {
		map_free(map);
		map_init(map);
	}
	return rc;
}

/* proc/nspid_map opened, when proc is this PID namespace's; else -1
 * (source.c then says why). */
static int open_own(const char *proc)
{
	char path[512], link[32];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/self", proc);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return -1;
	link[n] = '\0';
	if (strtol(link, NULL, 10) != (long)getpid())
		return -1;
	snprintf(path, sizeof(path), "%s/nspid_map", proc);
	return open(path, O_RDONLY | O_CLOEXEC);
}

/* The answer to CMD about PID (and NR) as a checked row with no
 * namespace twice (what map_check_unique() finds in one row); 0 or -1. */
static int quick_query(int fd, unsigned long cmd, unsigned int pid,
		       unsigned int nr, struct quick_row *r)
{
	struct nspid_query q;
	unsigned int i, j;

	memset(&q, 0, sizeof(q));
	q.size = sizeof(q);
	q.pid = pid;
	q.nr = nr;
	if (ioctl(fd, cmd, &q) ||
	    query_rec(&q, &r->rec, r->chain, r->nschain, r->comm))
		return -1;
	for (i = 0; i <= r->rec.level; i++)
		for (j = i + 1; r->nschain[i] && j <= r->rec.level; j++)
			if (r->nschain[i] == r->nschain[j])
				return -1;
	return 0;
}

int query_quick(const char *proc, unsigned int pid, int chain, FILE *out)
{
	struct quick_row r;
	unsigned int i;
	int fd = open_own(proc), rc;

	if (fd < 0)
		return Q_NONE;
	rc = quick_query(fd, NSPID_IOC_GET_TASK, pid, 0, &r);
	close(fd);
	if (rc || r.rec.pid != pid)
		return Q_NONE;
	if (!chain) {
		fprintf(out, "%u\n", r.rec.nspid);
		return Q_OK;
	}
	for (i = 0; i <= r.rec.level; i++)
		fprintf(out, "%s%u", i ? ":" : "", r.chain[i]);
	putc('\n', out);
	return Q_OK;
}

int query_quick_to_host(const char *proc, unsigned int ns_of,
			unsigned int nr, FILE *out)
{
	struct quick_row named, r;
	unsigned int k;
	int fd = open_own(proc), rc;

	if (fd < 0)
		return Q_NONE;
	rc = quick_query(fd, NSPID_IOC_GET_TASK, ns_of, 0, &named);
	if (!rc)
		rc = quick_query(fd, NSPID_IOC_BY_NSPID, ns_of, nr, &r);
	close(fd);
	if (rc || named.rec.pid != ns_of)
		return Q_NONE;
	/*
	 * The row must show that it is in the named namespace, as lookup.c
	 * asks of a row of the file: its id there is nr, and the namespace
	 * there is named's, by an inode the reader may see. A namespace
	 * without a shown inode (before 3.8, or hidden) is the general
	 * path's to explain.
	 */
	k = named.rec.level;
	if (!named.rec.pidns || r.rec.level < k || r.chain[k] != nr ||
	    r.nschain[k] != named.rec.pidns)
		return Q_NONE;
	fprintf(out, "%u\n", r.rec.pid);
	return Q_OK;
}
