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

#include "out.h"
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
	size_t *slot, mask;		/* nodes by namespace (hashed) */
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

/* A hash of what same() compares: equal for namespaces it finds equal. */
static size_t ns_hash(const struct nspid_ns *ns)
{
	unsigned long long k = ns->level;

	if (ns->level)
		k = k << 32 ^ (ns->inode ? ns->inode : ns->init ^ 0x9e3779b9U);
	return (size_t)(k * 0x9e3779b97f4a7c15ULL >> 20);
}

static size_t *slot_of(const struct tree *t, const struct nspid_ns *ns)
{
	size_t h = ns_hash(ns) & t->mask;

	while (t->slot[h] != NONE && !same(&t->n[t->slot[h]].ns, ns))
		h = (h + 1) & t->mask;
	return &t->slot[h];
}

/* Twice as many slots as nodes at least; -1 when out of memory. */
static int rehash(struct tree *t)
{
	size_t cap = t->slot ? (t->mask + 1) * 2 : 64, i;
	size_t *old = t->slot;

	t->slot = malloc(cap * sizeof(*t->slot));
	if (!t->slot) {
		t->slot = old;
		return -1;
	}
	t->mask = cap - 1;
	for (i = 0; i < cap; i++)
		t->slot[i] = NONE;
	for (i = 0; i < t->nn; i++)
		*slot_of(t, &t->n[i].ns) = i;
	free(old);
	return 0;
}

/* The node of ns, made if new: a hash lookup per record, where a scan of
 * every node grew with namespaces times tasks. */
static size_t node(struct tree *t, const struct nspid_ns *ns)
{
	struct tnode *nn;
	size_t *slot;

	if ((!t->slot || 2 * (t->nn + 1) > t->mask + 1) && rehash(t))
		return NONE;
	slot = slot_of(t, ns);
	if (*slot != NONE) {
		if (!t->n[*slot].ns.init)
			t->n[*slot].ns.init = ns->init;
		return *slot;
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
	*slot = t->nn;
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
	free(t->slot);
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
	struct out o;
	struct print_ctx *x;
	const struct tree *t;
	int tasks, threads;
	const char *branch, *last, *vert, *blank;
	size_t *first, *next;		/* each node's tasks, in map order */
	char prefix[4 * 3 * 40 + 1];
};

/* The tasks of each node as lists through the records: one pass, where
 * a pass over the whole map per namespace grew with their product. */
static int bucket(struct draw *d)
{
	const struct nspid_map *map = d->x->map;
	size_t *tail, i, k;

	d->first = malloc((d->t->nn + 1) * sizeof(*d->first));
	d->next = malloc((map->nrecs + 1) * sizeof(*d->next));
	tail = malloc((d->t->nn + 1) * sizeof(*tail));
	if (!d->first || !d->next || !tail) {
		free(tail);
		return -1;
	}
	for (k = 0; k < d->t->nn; k++)
		d->first[k] = tail[k] = NONE;
	for (i = 0; i < map->nrecs; i++) {
		k = d->t->of[i];
		d->next[i] = NONE;
		if (tail[k] == NONE)
			d->first[k] = i;
		else
			d->next[tail[k]] = i;
		tail[k] = i;
	}
	free(tail);
	return 0;
}

static void ns_line(struct draw *d, const struct tnode *n)
{
	const struct container *ct = procinfo_ns_container(d->x->pi, &n->ns);
	char label[CT_LABEL_MAX];
	struct out *o = &d->o;

	container_label(ct, label, sizeof(label));
	out_str(o, "pidns=");
	out_uint(o, n->ns.inode);
	out_str(o, " container=");
	out_str(o, label);
	out_str(o, " level=");
	out_uint(o, n->ns.level);
	out_str(o, " init=");
	if (n->ns.init) {
		out_uint(o, n->ns.init);
		out_str(o, " nsinit=1");
	} else {
		out_str(o, "- nsinit=-");
	}
	out_str(o, " processes=");
	out_uint(o, n->procs);
	out_str(o, " threads=");
	out_uint(o, n->threads);
	out_char(o, '\n');
}

static void task_line(struct draw *d, const struct nspid_rec *r)
{
	struct out *o = &d->o;

	out_str(o, "pid=");
	if (d->threads) {
		out_uint(o, r->tgid);
		out_str(o, " tid=");
		out_uint(o, r->pid);
		out_str(o, " nspid=");
		out_uint(o, r->nstgid);
		out_str(o, " nstid=");
		out_uint(o, r->nspid);
	} else {
		out_uint(o, r->pid);
		out_str(o, " nspid=");
		out_uint(o, r->nspid);
	}
	out_char(o, ' ');
	out_comm(o, r->comm, r->commlen);
	out_char(o, '\n');
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
		for (k = d->first[i]; k != NONE; k = d->next[k])
			ntask += shown(d, &map->recs[k]);
	total = ntask + n->nkids;
	for (k = d->tasks ? d->first[i] : NONE; k != NONE; k = d->next[k]) {
		if (!shown(d, &map->recs[k]))
			continue;
		lastone = ++seen == total;
		out_str(&d->o, d->prefix);
		out_str(&d->o, lastone ? d->last : d->branch);
		task_line(d, &map->recs[k]);
	}
	for (k = 0; k < n->nkids; k++) {
		lastone = ++seen == total;
		out_str(&d->o, d->prefix);
		out_str(&d->o, lastone ? d->last : d->branch);
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
	struct out *o = &d->o;
	size_t k, seen = 0;
	size_t ind = 2 + (size_t)depth * 4;

	out_pad(o, ind);
	out_str(o, "{\"pidns\": ");
	out_uint(o, n->ns.inode);
	out_str(o, ", \"level\": ");
	out_uint(o, n->ns.level);
	out_str(o, ", \"container\": ");
	container_label(ct, label, sizeof(label));
	if (ct)
		out_json_str(o, label, strlen(label));
	else
		out_str(o, "null");
	if (n->ns.init) {
		out_str(o, ", \"init\": ");
		out_uint(o, n->ns.init);
		out_str(o, ", \"nsinit\": 1");
	} else {
		out_str(o, ", \"init\": null, \"nsinit\": null");
	}
	out_str(o, ", \"processes\": ");
	out_uint(o, n->procs);
	out_str(o, ", \"threads\": ");
	out_uint(o, n->threads);
	if (d->tasks) {
		out_str(o, ", \"tasks\": [");
		for (k = d->first[i]; k != NONE; k = d->next[k]) {
			r = &map->recs[k];
			if (!shown(d, r))
				continue;
			out_str(o, seen++ ? ", {\"pid\": " : "{\"pid\": ");
			out_uint(o, r->tgid);
			out_str(o, ", \"tid\": ");
			out_uint(o, r->pid);
			out_str(o, ", \"nspid\": ");
			out_uint(o, r->nstgid);
			out_str(o, ", \"nstid\": ");
			out_uint(o, r->nspid);
			out_str(o, ", \"command\": ");
			out_json_str(o, r->comm, r->commlen);
			out_char(o, '}');
		}
		out_char(o, ']');
	}
	out_str(o, ", \"children\": [");
	for (k = 0; k < n->nkids; k++) {
		out_str(o, k ? ",\n" : "\n");
		json_node(d, n->kids[k], depth + 1);
	}
	if (n->nkids) {
		out_char(o, '\n');
		out_pad(o, ind);
	}
	out_str(o, "]}");
}

int tree_print(FILE *f, struct print_ctx *x, int tasks, int threads,
	       enum tree_style style, char *err, size_t errlen)
{
	struct tree t = { 0 };
	struct draw d = { .x = x, .t = &t, .tasks = tasks,
			  .threads = threads };
	size_t i, roots = 0;
	int rc = build(&t, x->map, err, errlen);

	if (rc == LK_OK && tasks && bucket(&d)) {
		snprintf(err, errlen, "out of memory");
		rc = LK_UNSURE;
	}
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
		if (x->json)
			print_json_source(f, x->source);
		out_init(&d.o, f);
		if (x->json)
			out_str(&d.o, "  \"namespaces\": [\n");
		for (i = 0; i < t.nn; i++) {
			if (t.n[i].parent != NONE)
				continue;
			if (x->json) {
				out_str(&d.o, roots++ ? ",\n" : "");
				json_node(&d, i, 0);
			} else {
				draw(&d, i);
			}
		}
		if (x->json)
			out_str(&d.o, "\n  ]\n}\n");
		out_done(&d.o);
	}
	free(d.first);
	free(d.next);
	free_tree(&t);
	return rc;
}
