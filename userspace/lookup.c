// SPDX-License-Identifier: GPL-2.0
/*
 * lookup.c - records to answers.
 *
 * A namespace is named by its inode where the kernel has one. Before 3.8
 * (pidns 0) it is named by its init process, found through ppid: a task's
 * parent always lives in the task's namespace or in one above it, so the
 * first ancestor at level L lives in the level-L namespace above the task,
 * and the topmost ancestor still at level L is that namespace's init --
 * unless the chain leaves level L at a task that is not an init (a process
 * entered with setns), and then the answer is "cannot tell", never a guess.
 */
#include <stdio.h>
#include <stdlib.h>

#include "lookup.h"

const struct nspid_rec *lookup_pid(const struct nspid_map *map,
				   unsigned int pid)
{
	size_t lo = 0, hi = map->nrecs, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (map->recs[mid].pid == pid)
			return &map->recs[mid];
		if (map->recs[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const struct nspid_rec *parent(const struct nspid_map *map,
				      const struct nspid_rec *rec)
{
	return rec->ppid ? lookup_pid(map, rec->ppid) : NULL;
}

/* One step up: a thread to its group leader, a leader to its parent. */
static const struct nspid_rec *up(const struct nspid_map *map,
				  const struct nspid_rec *rec)
{
	if (rec->pid != rec->tgid)
		return lookup_pid(map, rec->tgid);
	return parent(map, rec);
}

/* The first ancestor (or rec itself) at ns level; NULL if none provably. */
static const struct nspid_rec *ancestor_at(const struct nspid_map *map,
					   const struct nspid_rec *rec,
					   unsigned int level)
{
	size_t steps = 0;

	while (rec && rec->level > level && steps++ <= map->nrecs)
		rec = up(map, rec);
	return rec && rec->level == level ? rec : NULL;
}

/* The init of rec's own namespace, through ppid; NULL if not provable. */
static const struct nspid_rec *init_of(const struct nspid_map *map,
				       const struct nspid_rec *rec)
{
	unsigned int level = rec->level;
	size_t steps = 0;

	while (rec && rec->level == level && steps++ <= map->nrecs) {
		if (rec->nspid == 1)
			return rec;
		rec = up(map, rec);
	}
	return NULL;
}

static int map_has_inodes(const struct nspid_map *map)
{
	size_t i;

	for (i = 0; i < map->nrecs; i++)
		if (map->recs[i].pidns)
			return 1;
	return 0;
}

/* The reader's pid of the init of namespace inode at level; 0 if absent. */
static unsigned int init_by_inode(const struct nspid_map *map,
				  unsigned int inode, unsigned int level)
{
	const struct nspid_rec *r;
	size_t i;

	for (i = 0; i < map->nrecs; i++) {
		r = &map->recs[i];
		if (r->level == level && r->nspid == 1 &&
		    map_nschain(map, r)[level] == inode)
			return r->pid;
	}
	return 0;
}

int lookup_ns_inode(const struct nspid_map *map, unsigned int inode,
		    struct nspid_ns *ns, char *err, size_t errlen)
{
	const unsigned int *nsc;
	size_t i, hidden;
	unsigned int k;

	if (!map_has_inodes(map)) {
		snprintf(err, errlen, "the map has no namespace inodes (kernel "
			 "before 3.8); name the namespace with --ns-of PID");
		return LK_UNSURE;
	}
	hidden = map_nhidden(map);
	for (i = 0; i < map->nrecs; i++) {
		nsc = map_nschain(map, &map->recs[i]);
		for (k = 0; k <= map->recs[i].level; k++) {
			if (nsc[k] != inode)
				continue;
			ns->level = k;
			ns->inode = inode;
			ns->init = init_by_inode(map, inode, k);
			return LK_OK;
		}
	}
	if (hidden) {
		/* it may be theirs: not found would be a wrong answer */
		snprintf(err, errlen, "cannot tell whether PID namespace %u "
			 "exists: the caller may not read the namespace of %zu "
			 "task%s (as /proc/PID/ns/pid); run as their owner or "
			 "as root", inode, hidden, hidden == 1 ? "" : "s");
		return LK_UNSURE;
	}
	snprintf(err, errlen, "PID namespace %u not found", inode);
	return LK_NOTFOUND;
}

int lookup_ns_of(const struct nspid_map *map, unsigned int pid,
		 struct nspid_ns *ns, char *err, size_t errlen)
{
	const struct nspid_rec *rec = lookup_pid(map, pid), *init;

	if (!rec) {
		snprintf(err, errlen, "PID %u not found", pid);
		return LK_NOTFOUND;
	}
	ns->level = rec->level;
	ns->inode = rec->pidns;
	init = init_of(map, rec);
	ns->init = init ? init->pid : 0;
	if (!init && ns->inode)
		ns->init = init_by_inode(map, ns->inode, ns->level);
	if (!ns->inode && ns->level && !init) {
		if (map_hidden(map, rec))
			snprintf(err, errlen, "cannot identify the PID namespace "
				 "of %u: the caller may not read it (as "
				 "/proc/%u/ns/pid) and its init is not among its "
				 "ancestors", pid, pid);
		else
			snprintf(err, errlen, "cannot identify the PID namespace "
				 "of %u: the map has no namespace inodes (kernel "
				 "before 3.8) and its init is not among its "
				 "ancestors", pid);
		return LK_UNSURE;
	}
	return LK_OK;
}

int lookup_member(const struct nspid_map *map, const struct nspid_ns *ns,
		  const struct nspid_rec *rec)
{
	const struct nspid_rec *top, *init;
	unsigned int L = ns->level;

	if (rec->level < L)
		return 0;
	if (L == 0)
		return 1;	/* the reader's own namespace */
	if (ns->inode && map_nschain(map, rec)[L])
		return map_nschain(map, rec)[L] == ns->inode;
	top = ancestor_at(map, rec, L);
	if (!top)
		return -1;
	if (ns->inode && top->pidns)
		return top->pidns == ns->inode;
	init = init_of(map, top);
	if (!init || !ns->init)
		return -1;
	return init->pid == ns->init;
}

static unsigned int ppid_in(const struct nspid_map *map,
			    const struct nspid_ns *ns,
			    const struct nspid_rec *rec)
{
	const struct nspid_rec *p = parent(map, rec);

	if (!p || lookup_member(map, ns, p) != 1)
		return 0;
	return map_chain(map, p)[ns->level];
}

static int cmp_member(const void *a, const void *b)
{
	const struct nspid_member *x = a, *y = b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static int unsure(const struct nspid_map *map, char *err, size_t errlen,
		  const struct nspid_rec *rec)
{
	if (map_hidden(map, rec))
		snprintf(err, errlen, "cannot tell whether PID %u is in the "
			 "namespace: the caller may not read its namespace (as "
			 "/proc/%u/ns/pid), and its ancestors do not lead to an "
			 "init it may read", rec->pid, rec->pid);
	else
		snprintf(err, errlen, "cannot tell whether PID %u is in the "
			 "namespace: no namespace inodes (kernel before 3.8) "
			 "and its ancestors do not lead to an init", rec->pid);
	return LK_UNSURE;
}

int lookup_members(const struct nspid_map *map, const struct nspid_ns *ns,
		   int threads, struct nspid_member **out, size_t *n,
		   char *err, size_t errlen)
{
	struct nspid_member *m = calloc(map->nrecs ? map->nrecs : 1, sizeof(*m));
	const struct nspid_rec *rec;
	size_t i, cnt = 0;
	int in;

	if (!m) {
		snprintf(err, errlen, "out of memory");
		return LK_UNSURE;
	}
	for (i = 0; i < map->nrecs; i++) {
		rec = &map->recs[i];
		if (!threads && rec->pid != rec->tgid)
			continue;
		in = lookup_member(map, ns, rec);
		if (in < 0) {
			free(m);
			return unsure(map, err, errlen, rec);
		}
		if (!in)
			continue;
		m[cnt].rec = rec;
		m[cnt].pid = map_chain(map, rec)[ns->level];
		m[cnt].ppid = ppid_in(map, ns, rec);
		m[cnt].level = rec->level - ns->level;
		cnt++;
	}
	/* in the reader's own namespace, and often below, they come sorted */
	for (i = 1; i < cnt && m[i - 1].pid < m[i].pid; i++)
		;
	if (i < cnt)
		qsort(m, cnt, sizeof(*m), cmp_member);
	*out = m;
	*n = cnt;
	return LK_OK;
}

int lookup_to_host(const struct nspid_map *map, const struct nspid_ns *ns,
		   unsigned int nspid, const struct nspid_rec **out,
		   char *err, size_t errlen)
{
	const struct nspid_rec *rec, *doubt = NULL;
	size_t i;
	int in;

	for (i = 0; i < map->nrecs; i++) {
		rec = &map->recs[i];
		if (rec->level < ns->level ||
		    map_chain(map, rec)[ns->level] != nspid)
			continue;
		in = lookup_member(map, ns, rec);
		if (in == 1) {
			*out = rec;
			return LK_OK;
		}
		if (in < 0 && !doubt)
			doubt = rec;
	}
	if (doubt)
		return unsure(map, err, errlen, doubt);
	snprintf(err, errlen, "PID %u not found in the namespace", nspid);
	return LK_NOTFOUND;
}
