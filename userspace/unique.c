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

struct slot {
	unsigned int inode;	/* 0: empty */
	unsigned int id;	/* 0: the namespace's own entry (its level) */
	unsigned int level;
	const struct nspid_rec *rec;
};

static struct slot *find(struct slot *t, size_t mask, unsigned int inode,
			 unsigned int id)
{
	size_t i = ((size_t)inode * 2654435761U ^ (size_t)id * 40503U) & mask;

	while (t[i].inode && (t[i].inode != inode || t[i].id != id))
		i = (i + 1) & mask;
	return &t[i];
}

static void where(char *buf, size_t n, const struct nspid_rec *r)
{
	if (r->line)
		snprintf(buf, n, "line %lu", r->line);
	else
		snprintf(buf, n, "PID %u", r->pid);
}

int map_check_unique(const struct nspid_map *map, char *err, size_t errlen)
{
	struct slot *t, *s;
	size_t cap = 64, i, mask;
	const struct nspid_rec *r;
	const unsigned int *ch, *nsc;
	char a[32], b[32];
	unsigned int k;
	int rc = 0;

	/* a slot per id below level 0, one per namespace (each has such an
	 * id, but the reader's own): at most half full */
	while (cap < 4 * (map->nids - map->nrecs) + 128)
		cap *= 2;
	t = calloc(cap, sizeof(*t));
	if (!t) {
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
			s = find(t, mask, nsc[k], 0);
			if (!s->inode) {
				*s = (struct slot){ nsc[k], 0, k, r };
			} else if (s->level != k) {
				where(a, sizeof(a), r);
				where(b, sizeof(b), s->rec);
				snprintf(err, errlen, "%s: ambiguous map: namespace %u at level %u, but at level %u on %s",
					 a, nsc[k], k, s->level, b);
				rc = -1;
				break;
			}
			if (k == 0)
				continue;	/* pids ascend, each once */
			s = find(t, mask, nsc[k], ch[k]);
			if (!s->inode) {
				*s = (struct slot){ nsc[k], ch[k], k, r };
				continue;
			}
			where(a, sizeof(a), r);
			where(b, sizeof(b), s->rec);
			snprintf(err, errlen, "%s: ambiguous map: PID %u twice in namespace %u (also on %s)",
				 a, ch[k], nsc[k], b);
			rc = -1;
		}
	}
	free(t);
	return rc;
}
