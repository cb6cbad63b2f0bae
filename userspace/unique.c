// SPDX-License-Identifier: GPL-2.0
/*
 * unique.c - is the map unambiguous?
 *
 * Every (namespace inode, id) pair names one task, and every namespace
 * sits at one level below the reader's. Rows whose inodes are 0 (kernels
 * before 3.8, hidden rows) say nothing here; lookup.c names their
 * namespaces by their inits instead, and refuses where it cannot.
 */
#include <stdio.h>
#include <stdlib.h>

#include "unique.h"

/*
 * Two open-addressing tables: one slot of 8 bytes per id below level 0
 * (inode, id), at most half full, and the few namespaces (inode: level and
 * first row) in a table that grows. The map's first duplicate is found
 * again by a scan, for its message: a 24-byte slot per id, pointing at its
 * row, was 1.5 MB at 30,000 tasks, pages each a fault to touch.
 */
struct id_slot {
	unsigned int inode;	/* 0: empty */
	unsigned int id;
};

struct ns_slot {
	unsigned int inode;	/* 0: empty */
	unsigned int level;
	size_t rec;		/* the first row with it */
};

struct ns_table {
	struct ns_slot *t;
	size_t mask, n;
};

static size_t hash2(unsigned int inode, unsigned int id)
{
	return (size_t)inode * 2654435761U ^ (size_t)id * 40503U;
}

static struct id_slot *find_id(struct id_slot *t, size_t mask,
			       unsigned int inode, unsigned int id)
{
	size_t i = hash2(inode, id) & mask;

	while (t[i].inode && (t[i].inode != inode || t[i].id != id))
		i = (i + 1) & mask;
	return &t[i];
}

static struct ns_slot *find_ns(const struct ns_table *ns, unsigned int inode)
{
	size_t i = hash2(inode, 0) & ns->mask;

	while (ns->t[i].inode && ns->t[i].inode != inode)
		i = (i + 1) & ns->mask;
	return &ns->t[i];
}

/* Room for one more namespace, at most half full; -1 when out of memory. */
static int ns_room(struct ns_table *ns)
{
	struct ns_table old = *ns;
	size_t cap = ns->t ? (ns->mask + 1) * 2 : 64, i;

	if (ns->t && 2 * (ns->n + 1) <= ns->mask + 1)
		return 0;
	ns->t = calloc(cap, sizeof(*ns->t));
	if (!ns->t) {
		*ns = old;
		return -1;
	}
	ns->mask = cap - 1;
	for (i = 0; old.t && i <= old.mask; i++)
		if (old.t[i].inode)
			*find_ns(ns, old.t[i].inode) = old.t[i];
	free(old.t);
	return 0;
}

static void where(char *buf, size_t n, const struct nspid_rec *r)
{
	if (r->line)
		snprintf(buf, n, "line %lu", r->line);
	else
		snprintf(buf, n, "PID %u", r->pid);
}

/* The first row before last with id in namespace inode at level k. */
static const struct nspid_rec *first_with(const struct nspid_map *map,
					  size_t last, unsigned int k,
					  unsigned int inode, unsigned int id)
{
	const struct nspid_rec *r;
	size_t i;

	for (i = 0; i < last; i++) {
		r = &map->recs[i];
		if (r->level >= k && map_nschain(map, r)[k] == inode &&
		    map_chain(map, r)[k] == id)
			return r;
	}
	return &map->recs[last];	/* not reached */
}

int map_check_unique(const struct nspid_map *map, char *err, size_t errlen)
{
	struct ns_table ns = { 0 };
	struct id_slot *t, *s;
	struct ns_slot *n;
	size_t cap = 64, i, mask;
	const struct nspid_rec *r;
	const unsigned int *ch, *nsc;
	char a[32], b[32];
	unsigned int k;
	int rc = 0;

	/* a slot per id below level 0: at most half full */
	while (cap < 2 * (map->nids - map->nrecs) + 16)
		cap *= 2;
	t = calloc(cap, sizeof(*t));
	if (!t || ns_room(&ns)) {
		free(t);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	mask = cap - 1;
	for (i = 0; i < map->nrecs && !rc; i++) {
		r = &map->recs[i];
		ch = map_chain(map, r);
		nsc = map_nschain(map, r);
		for (k = 0; k <= r->level && !rc; k++) {
			if (!nsc[k])
				continue;
			n = find_ns(&ns, nsc[k]);
			if (!n->inode) {
				if (ns_room(&ns)) {
					snprintf(err, errlen, "out of memory");
					rc = -1;
					break;
				}
				n = find_ns(&ns, nsc[k]);
				*n = (struct ns_slot){ nsc[k], k, i };
				ns.n++;
			} else if (n->level != k) {
				where(a, sizeof(a), r);
				where(b, sizeof(b), &map->recs[n->rec]);
				snprintf(err, errlen, "%s: ambiguous map: namespace %u at level %u, but at level %u on %s",
					 a, nsc[k], k, n->level, b);
				rc = -1;
				break;
			}
			if (k == 0)
				continue;	/* pids ascend, each once */
			s = find_id(t, mask, nsc[k], ch[k]);
			if (!s->inode) {
				*s = (struct id_slot){ nsc[k], ch[k] };
				continue;
			}
			where(a, sizeof(a), r);
			where(b, sizeof(b), first_with(map, i, k, nsc[k], ch[k]));
			snprintf(err, errlen, "%s: ambiguous map: PID %u twice in namespace %u (also on %s)",
				 a, ch[k], nsc[k], b);
			rc = -1;
		}
	}
	free(ns.t);
	free(t);
	return rc;
}
