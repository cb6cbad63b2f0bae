// SPDX-License-Identifier: GPL-2.0
/*
 * procinfo.c - the live extras of a task, read on demand.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procinfo.h"

#define ARGS_MAX 4096

int procinfo_init(struct procinfo_set *s, const struct nspid_map *map,
		  const char *proc)
{
	s->proc = proc;
	ctnames_init(&s->names, getenv("NSPID_SYSROOT"));
	s->map = map;
	/* the per-task slots come with the first task asked about: a table of
	 * map columns alone never touches their pages */
	s->pi = NULL;
	return 0;
}

void procinfo_free(struct procinfo_set *s)
{
	size_t i;

	if (s->pi)
		for (i = 0; i < s->map->nrecs; i++)
			free(s->pi[i].args);
	free(s->pi);
	s->pi = NULL;
	ctnames_free(&s->names);
}

/* Up to max bytes of a proc file; its length, or -1. */
static ssize_t read_small(const char *path, char *buf, size_t max)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	size_t n = 0;
	ssize_t r;

	if (fd < 0)
		return -1;
	while (n < max) {
		r = read(fd, buf + n, max - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	return (ssize_t)n;
}

static struct procinfo *pi_of(struct procinfo_set *s,
			      const struct nspid_rec *rec)
{
	return &s->pi[rec - s->map->recs];
}

static void task_path(const struct procinfo_set *s,
		      const struct nspid_rec *rec, const char *file,
		      char *path, size_t size)
{
	snprintf(path, size, "%s/%u/task/%u/%s", s->proc, rec->tgid,
		 rec->pid, file);
}

static struct procinfo *load(struct procinfo_set *s,
			     const struct nspid_rec *rec, unsigned char what)
{
	static struct procinfo none;	/* nothing is known without /proc */
	struct procinfo *pi;
	char path[512], buf[8192], *p;
	ssize_t n;
	size_t i;

	if (!s->proc)
		return &none;
	if (!s->pi)
		s->pi = calloc(s->map->nrecs + 1, sizeof(*s->pi));
	if (!s->pi)
		return &none;
	pi = pi_of(s, rec);
	if ((pi->have & what) == what)
		return pi;
	if (what & PI_CGROUP & ~pi->have) {
		task_path(s, rec, "cgroup", path, sizeof(path));
		n = read_small(path, buf, sizeof(buf) - 1);
		if (n >= 0 && container_from_cgroup(buf, (size_t)n, &pi->ct)) {
			ctnames_fill(&s->names, &pi->ct);
			pi->ok |= PI_CGROUP;
		}
	}
	if (what & PI_STATUS & ~pi->have) {
		task_path(s, rec, "status", path, sizeof(path));
		n = read_small(path, buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = '\0';
		p = n > 0 ? strstr(buf, "\nState:\t") : NULL;
		if (p)
			pi->state = p[8];
		p = n > 0 ? strstr(buf, "\nUid:\t") : NULL;
		if (p && pi->state && sscanf(p + 6, "%u", &pi->uid) == 1)
			pi->ok |= PI_STATUS;
	}
	if (what & PI_ARGS & ~pi->have) {
		snprintf(path, sizeof(path), "%s/%u/cmdline", s->proc,
			 rec->tgid);
		n = read_small(path, buf, ARGS_MAX);
		while (n > 0 && buf[n - 1] == '\0')
			n--;
		if (n > 0 && (pi->args = malloc((size_t)n + 1))) {
			for (i = 0; i < (size_t)n; i++)
				pi->args[i] = buf[i] ? buf[i] : ' ';
			pi->args[n] = '\0';
			pi->argslen = (size_t)n;
			pi->ok |= PI_ARGS;
		}
	}
	pi->have |= what;
	return pi;
}

static const struct nspid_rec *init_of_ns(struct procinfo_set *s,
					  const struct nspid_ns *ns)
{
	return ns->init ? lookup_pid(s->map, ns->init) : NULL;
}

const struct container *procinfo_ns_container(struct procinfo_set *s,
					      const struct nspid_ns *ns)
{
	const struct nspid_rec *init;
	struct procinfo *pi;

	if (!s->proc)
		return NULL;
	init = init_of_ns(s, ns);
	if (!init)
		return NULL;	/* the caller's own too: inside a container */
	pi = load(s, init, PI_CGROUP);
	return pi->ok & PI_CGROUP ? &pi->ct : NULL;
}

const struct container *procinfo_container(struct procinfo_set *s,
					   const struct nspid_rec *rec)
{
	struct procinfo *pi = load(s, rec, PI_CGROUP);
	struct nspid_ns ns;
	char err[NSPID_ERR_MAX];

	if (!s->proc)
		return NULL;
	if (pi->ok & PI_CGROUP)
		return &pi->ct;
	if (!s->proc || !rec->level ||
	    lookup_ns_of(s->map, rec->pid, &ns, err, sizeof(err)) != LK_OK ||
	    ns.init == rec->pid)
		return NULL;
	return procinfo_ns_container(s, &ns);
}

const struct procinfo *procinfo_status(struct procinfo_set *s,
				       const struct nspid_rec *rec)
{
	struct procinfo *pi = load(s, rec, PI_STATUS);

	return pi->ok & PI_STATUS ? pi : NULL;
}

const struct procinfo *procinfo_args(struct procinfo_set *s,
				     const struct nspid_rec *rec)
{
	struct procinfo *pi = load(s, rec, PI_ARGS);

	return pi->ok & PI_ARGS ? pi : NULL;
}

static int same_ct(const struct container *a, const struct container *b)
{
	return !strcmp(a->runtime, b->runtime) && !strcmp(a->id, b->id) &&
	       !strcmp(a->name, b->name);
}

/* Provably in one namespace (by inode, or by init where there is none). */
static int same_ns(const struct nspid_map *map, const struct nspid_rec *a,
		   const struct nspid_rec *b)
{
	struct nspid_ns x, y;
	char err[NSPID_ERR_MAX];

	if (lookup_ns_of(map, a->pid, &x, err, sizeof(err)) != LK_OK ||
	    lookup_ns_of(map, b->pid, &y, err, sizeof(err)) != LK_OK)
		return 0;
	if (x.inode || y.inode)
		return x.inode == y.inode;
	return x.init && x.init == y.init;
}

int procinfo_find_container(struct procinfo_set *s, const char *query,
			    unsigned int *pid, char *err, size_t errlen)
{
	const struct nspid_rec *r, *best = NULL, *other = NULL;
	const struct container *c, *exact = NULL, *pfx = NULL;
	char l1[CT_LABEL_MAX], l2[CT_LABEL_MAX];
	int m, exact_many = 0, pfx_many = 0, want;
	size_t i;

	if (!s->proc) {
		snprintf(err, errlen, "--container needs the live /proc (a --file map holds no cgroups)");
		return LK_UNSURE;
	}
	/* pass 1: which container the query names, exactly or by prefix */
	for (i = 0; i < s->map->nrecs; i++) {
		r = &s->map->recs[i];
		if (r->pid != r->tgid)
			continue;
		c = procinfo_container(s, r);
		m = c ? container_match(c, query) : 0;
		if (m == 2) {
			exact_many |= exact && !same_ct(exact, c);
			exact = exact ? exact : c;
		} else if (m == 1) {
			pfx_many |= pfx && !same_ct(pfx, c);
			pfx = pfx ? pfx : c;
		}
	}
	if (exact) {
		pfx = exact;
		pfx_many = exact_many;
	}
	if (!pfx) {
		snprintf(err, errlen, "no container matches '%s'", query);
		return LK_NOTFOUND;
	}
	if (pfx_many) {
		snprintf(err, errlen, "'%s' matches more than one container; give more of the id",
			 query);
		return LK_UNSURE;
	}
	want = exact ? 2 : 1;
	/* pass 2: its shallowest task */
	for (i = 0; i < s->map->nrecs; i++) {
		r = &s->map->recs[i];
		if (r->pid != r->tgid)
			continue;
		c = procinfo_container(s, r);
		if (!c || container_match(c, query) != want || !same_ct(c, pfx))
			continue;
		if (!best || r->level < best->level) {
			best = r;
			other = NULL;
		} else if (r->level == best->level && !other &&
			   !same_ns(s->map, r, best)) {
			other = r;
		}
	}
	if (other) {
		container_label(pfx, l1, sizeof(l1));
		snprintf(l2, sizeof(l2), "%u and %u", best->pid, other->pid);
		snprintf(err, errlen, "cannot tell the PID namespace of container %s: its tasks %s are in different namespaces at level %u",
			 l1, l2, best->level);
		return LK_UNSURE;
	}
	*pid = best->pid;
	return LK_OK;
}
