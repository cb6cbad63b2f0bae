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

int query_quick(const char *proc, unsigned int pid, int chain, FILE *out)
{
	unsigned int ch[NSPID_MAX_LEVEL + 1], nsc[NSPID_MAX_LEVEL + 1];
	char path[512], link[32], comm[NSPID_COMM_MAX];
	struct nspid_query q;
	struct nspid_rec rec;
	unsigned int i, j;
	ssize_t n;
	int fd, rc;

	/* proc must be this PID namespace's (source.c says why when not) */
	snprintf(path, sizeof(path), "%s/self", proc);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return Q_NONE;
	link[n] = '\0';
	if (strtol(link, NULL, 10) != (long)getpid())
		return Q_NONE;
	snprintf(path, sizeof(path), "%s/nspid_map", proc);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return Q_NONE;
	memset(&q, 0, sizeof(q));
	q.size = sizeof(q);
	q.pid = pid;
	rc = ioctl(fd, NSPID_IOC_GET_TASK, &q);
	close(fd);
	if (rc || q.tid != pid || query_rec(&q, &rec, ch, nsc, comm))
		return Q_NONE;
	/* what map_check_unique() finds in one row: a namespace twice */
	for (i = 0; i <= rec.level; i++)
		for (j = i + 1; nsc[i] && j <= rec.level; j++)
			if (nsc[i] == nsc[j])
				return Q_NONE;
	if (!chain) {
		fprintf(out, "%u\n", rec.nspid);
		return Q_OK;
	}
	for (i = 0; i <= rec.level; i++)
		fprintf(out, "%s%u", i ? ":" : "", ch[i]);
	putc('\n', out);
	return Q_OK;
}
