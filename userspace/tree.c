// SPDX-License-Identifier: GPL-2.0
/*
 * tree.c - namespaces as a tree.
 *
 * A namespace is known by its inode, or where the caller cannot have it
 * (before 3.8, or a hidden row) by its init, as lookup.c names it. Its
 * parent is the namespace one level up in its init's nschain, or that of
 * the init's first ancestor one level up (the creator of a namespace lives
 * in its parent). Where neither can be told the tree is refused: a wrong
 * branch would be a wrong answer.
 *
 * Text, one line per namespace, keys as the column names:
 *   pidns=4026532571 container=docker:0123456789ab level=1 init=6052
 *   nsinit=1 processes=4 threads=5
 * with -L the namespace's own tasks under it: "pid=6052 nspid=1 sh".
 */
#include <langinfo.h>
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tree.h"

#define NONE SIZE_MAX

struct tnode {
	struct nspid_ns ns;		/* level, inode (0: none), init */
	const struct nspid_rec *rep;	/* its first task */
	size_t parent;
	size_t procs, threads;
	size_t *kids, nkids;
};

struct tree {
	struct tnode *n;
	size_t nn, cap;
	size_t *of;			/* node of each record */
};

enum tree_style tree_style_for(FILE *f)
{
	const char *cs;

	if (!isatty(fileno(f)))
		return TREE_ASCII;
	setlocale(LC_CTYPE, "");
	cs = nl_langinfo(CODESET);
	return cs && !strcmp(cs, "UTF-8") ? TREE_UTF8 : TREE_ASCII;
}

static int same(const struct nspid_ns *a, const struct nspid_ns *b)
{
	if (a->level != b->level)
		return 0;
	if (a->level == 0)
		return 1;	/* the caller's own */
	if (a->inode || b->inode)
		return a->inode == b->inode;
	return a->init == b->init;
}

static size_t node(struct tree *t, const struct nspid_ns *ns)
{
	struct tnode *nn;
	size_t i;

	for (i = 0; i < t->nn; i++)
		if (same(&t->n[i].ns, ns)) {
			if (!t->n[i].ns.init)
				t->n[i].ns.init = ns->init;
			return i;
		}
	if (t->nn == t->cap) {
		nn = realloc(t->n, (t->cap ? t->cap * 2 : 16) * sizeof(*nn));
		if (!nn)
			return NONE;
		t->n = nn;
		t->cap = t->cap ? t->cap * 2 : 16;
	}
	memset(&t->n[t->nn], 0, sizeof(t->n[0]));
	t->n[t->nn].ns = *ns;
	t->n[t->nn].parent = NONE;
	return t->nn++;
}

/* The namespace of rec's own level. */
static int ns_of(const struct nspid_map *map, const struct nspid_rec *r,
		 struct nspid_ns *ns, char *err, size_t errlen)
{
	if (r->pidns || r->level == 0) {
		memset(ns, 0, sizeof(*ns));
		ns->level = r->level;
		ns->inode = r->pidns;
		ns->init = r->nspid == 1 ? r->pid : 0;
		return LK_OK;
	}
	return lookup_ns_of(map, r->pid, ns, err, errlen);
}

/* The first ancestor of rec one level up, through tgid and ppid. */
static const struct nspid_rec *above(const struct nspid_map *map,
				     const struct nspid_rec *r)
{
	unsigned int level = r->level;
	size_t steps = 0;

	while (r && r->level >= level && steps++ <= map->nrecs)
		r = r->pid != r->tgid ? lookup_pid(map, r->tgid) :
		    r->ppid ? lookup_pid(map, r->ppid) : NULL;
	return r && r->level + 1 == level ? r : NULL;
}

static int link_parent(struct tree *t, const struct nspid_map *map,
		       size_t i, char *err, size_t errlen)
{
	const struct nspid_rec *init, *up;
	struct nspid_ns pns;
	unsigned int L = t->n[i].ns.level;
	size_t p;

	if (L == 0)
		return LK_OK;
	init = t->n[i].ns.init ? lookup_pid(map, t->n[i].ns.init) : NULL;
	if (!init)
		init = t->n[i].rep;
	memset(&pns, 0, sizeof(pns));
	pns.level = L - 1;
	if (init && map_nschain(map, init)[L - 1]) {
		pns.inode = map_nschain(map, init)[L - 1];
	} else if (init && (up = above(map, init)) &&
		   ns_of(map, up, &pns, err, errlen) == LK_OK &&
		   pns.level == L - 1) {
		/* pns set */
	} else {
		snprintf(err, errlen, "cannot draw the tree: the parent of the "
			 "namespace of PID %u cannot be told (%s)",
			 t->n[i].ns.init ? t->n[i].ns.init : 0,
			 map_nhidden(map) ? "the caller may not read the "
			 "namespaces of some tasks, as /proc/PID/ns/pid" :
			 "its init is not visible");
		return LK_UNSURE;
	}
	p = node(t, &pns);
	if (p == NONE)
		return LK_UNSURE;
	t->n[i].parent = p;
	return LK_OK;
}

static int build(struct tree *t, const struct nspid_map *map, char *err,
		 size_t errlen)
{
	const struct nspid_rec *r;
	struct nspid_ns ns;
	size_t i, k, *kids;
	int rc;

	t->of = calloc(map->nrecs + 1, sizeof(*t->of));
	if (!t->of)
		return LK_UNSURE;
	for (i = 0; i < map->nrecs; i++) {
		r = &map->recs[i];
		rc = ns_of(map, r, &ns, err, errlen);
		if (rc != LK_OK)
			return LK_UNSURE;
		t->of[i] = node(t, &ns);
		if (t->of[i] == NONE)
			return LK_UNSURE;
		if (!t->n[t->of[i]].rep)
			t->n[t->of[i]].rep = r;
		t->n[t->of[i]].threads++;
		t->n[t->of[i]].procs += r->pid == r->tgid;
	}
	for (i = 0; i < t->nn; i++)	/* t->nn may grow: parents */
		if (link_parent(t, map, i, err, errlen) != LK_OK)
			return LK_UNSURE;
	for (i = 0; i < t->nn; i++) {
		k = t->n[i].parent;
		if (k == NONE)
			continue;
		kids = realloc(t->n[k].kids, (t->n[k].nkids + 1) * sizeof(*kids));
		if (!kids)
			return LK_UNSURE;
		t->n[k].kids = kids;
		kids[t->n[k].nkids++] = i;
	}
	return LK_OK;
}

static void free_tree(struct tree *t)
{
	size_t i;

	for (i = 0; i < t->nn; i++)
		free(t->n[i].kids);
	free(t->n);
	free(t->of);
}

static const struct tree *sort_tree;

static int cmp_kid(const void *a, const void *b)
{
	const struct nspid_ns *x = &sort_tree->n[*(const size_t *)a].ns;
	const struct nspid_ns *y = &sort_tree->n[*(const size_t *)b].ns;

	if (x->init != y->init)
		return x->init < y->init ? -1 : 1;
	return x->inode < y->inode ? -1 : x->inode > y->inode;
}

struct draw {
	FILE *f;
	struct print_ctx *x;
	const struct tree *t;
	int tasks, threads;
	const char *branch, *last, *vert, *blank;
	char prefix[4 * 3 * 40 + 1];
};

static void ns_line(struct draw *d, const struct tnode *n)
{
	const struct container *ct = procinfo_ns_container(d->x->pi, &n->ns);
	char label[CT_LABEL_MAX];

	container_label(ct, label, sizeof(label));
	fprintf(d->f, "pidns=%u container=%s level=%u init=", n->ns.inode,
		label, n->ns.level);
	if (n->ns.init)
		fprintf(d->f, "%u nsinit=1", n->ns.init);
	else
		fputs("- nsinit=-", d->f);
	fprintf(d->f, " processes=%zu threads=%zu\n", n->procs, n->threads);
}

static void task_line(struct draw *d, const struct nspid_rec *r)
{
	if (d->threads)
		fprintf(d->f, "pid=%u tid=%u nspid=%u nstid=%u ", r->tgid,
			r->pid, r->nstgid, r->nspid);
	else
		fprintf(d->f, "pid=%u nspid=%u ", r->pid, r->nspid);
	print_comm(d->f, r->comm, r->commlen);
	putc('\n', d->f);
}

static int shown(const struct draw *d, const struct nspid_rec *r)
{
	return d->threads || r->pid == r->tgid;
}

static void draw(struct draw *d, size_t i)
{
	const struct tnode *n = &d->t->n[i];
	const struct nspid_map *map = d->x->map;
	size_t len = strlen(d->prefix), k, ntask = 0, seen = 0, total;
	int lastone;

	ns_line(d, n);
	if (d->tasks)
		for (k = 0; k < map->nrecs; k++)
			ntask += d->t->of[k] == i && shown(d, &map->recs[k]);
	total = ntask + n->nkids;
	for (k = 0; d->tasks && k < map->nrecs; k++) {
		if (d->t->of[k] != i || !shown(d, &map->recs[k]))
			continue;
		lastone = ++seen == total;
		fprintf(d->f, "%s%s", d->prefix, lastone ? d->last : d->branch);
		task_line(d, &map->recs[k]);
	}
	for (k = 0; k < n->nkids; k++) {
		lastone = ++seen == total;
		fprintf(d->f, "%s%s", d->prefix, lastone ? d->last : d->branch);
		if (len + 8 < sizeof(d->prefix))
			strcat(d->prefix, lastone ? d->blank : d->vert);
		draw(d, n->kids[k]);
		d->prefix[len] = '\0';
	}
}

static void json_node(struct draw *d, size_t i, int depth)
{
	const struct tnode *n = &d->t->n[i];
	const struct nspid_map *map = d->x->map;
	const struct nspid_rec *r;
	const struct container *ct = procinfo_ns_container(d->x->pi, &n->ns);
	char label[CT_LABEL_MAX];
	size_t k, seen = 0;
	int ind = 2 + depth * 4;

	fprintf(d->f, "%*s{\"pidns\": %u, \"level\": %u, \"container\": ",
		ind, "", n->ns.inode, n->ns.level);
	container_label(ct, label, sizeof(label));
	if (ct)
		print_json_str(d->f, label, strlen(label));
	else
		fputs("null", d->f);
	if (n->ns.init)
		fprintf(d->f, ", \"init\": %u, \"nsinit\": 1", n->ns.init);
	else
		fputs(", \"init\": null, \"nsinit\": null", d->f);
	fprintf(d->f, ", \"processes\": %zu, \"threads\": %zu", n->procs,
		n->threads);
	if (d->tasks) {
		fputs(", \"tasks\": [", d->f);
		for (k = 0; k < map->nrecs; k++) {
			r = &map->recs[k];
			if (d->t->of[k] != i || !shown(d, r))
				continue;
			fprintf(d->f, "%s{\"pid\": %u, \"tid\": %u, \"nspid\": %u, \"nstid\": %u, \"command\": ",
				seen++ ? ", " : "", r->tgid, r->pid, r->nstgid,
				r->nspid);
			print_json_str(d->f, r->comm, r->commlen);
			putc('}', d->f);
		}
		putc(']', d->f);
	}
	fputs(", \"children\": [", d->f);
	for (k = 0; k < n->nkids; k++) {
		fputs(k ? ",\n" : "\n", d->f);
		json_node(d, n->kids[k], depth + 1);
	}
	if (n->nkids)
		fprintf(d->f, "\n%*s", ind, "");
	fputs("]}", d->f);
}

int tree_print(FILE *f, struct print_ctx *x, int tasks, int threads,
	       enum tree_style style, char *err, size_t errlen)
{
	struct tree t = { 0 };
	struct draw d = { .f = f, .x = x, .t = &t, .tasks = tasks,
			  .threads = threads };
	size_t i, roots = 0;
	int rc = build(&t, x->map, err, errlen);

	if (rc == LK_OK) {
		sort_tree = &t;
		for (i = 0; i < t.nn; i++)
			if (t.n[i].nkids > 1)
				qsort(t.n[i].kids, t.n[i].nkids, sizeof(size_t),
				      cmp_kid);
		if (style == TREE_UTF8) {
			d.branch = "\u251c\u2500";
			d.last = "\u2514\u2500";
			d.vert = "\u2502 ";
		} else {
			d.branch = "|-";
			d.last = "`-";
			d.vert = "| ";
		}
		d.blank = "  ";
		if (x->json) {
			print_json_source(f, x->source);
			fputs("  \"namespaces\": [\n", f);
		}
		for (i = 0; i < t.nn; i++) {
			if (t.n[i].parent != NONE)
				continue;
			if (x->json) {
				fputs(roots++ ? ",\n" : "", f);
				json_node(&d, i, 0);
			} else {
				draw(&d, i);
			}
		}
		if (x->json)
			fputs("\n  ]\n}\n", f);
	}
	free_tree(&t);
	return rc;
}
