// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the map parser, the whole-map checks, the lookups,
 * every printer (tables of every column, raw, JSON, the tree, --dump) on
 * what it accepts; and the same bytes as a /proc/PID/cgroup file for the
 * container matchers, as a runtime's names file (containers.json, a
 * kubelet log name), and as an -o column list. Whatever the parser
 * accepts must satisfy the format's invariants, and --dump of it must
 * parse back into the same rows.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../columns.h"
#include "../container.h"
#include "../ctnames.h"
#include "../dump.h"
#include "../lookup.h"
#include "../parse.h"
#include "../print.h"
#include "../tree.h"
#include "../unique.h"

static FILE *sink;
static struct procinfo_set nopi;

static void check_invariants(const struct nspid_map *m)
{
	char err[NSPID_ERR_MAX];
	size_t i;

	for (i = 0; i < m->nrecs; i++) {
		if (map_check_rec(&m->recs[i], map_chain(m, &m->recs[i]),
				  map_nschain(m, &m->recs[i]), err,
				  sizeof(err)))
			abort();
		if (i && m->recs[i - 1].pid >= m->recs[i].pid)
			abort();
	}
}

static void print_all(struct print_ctx *x, const struct nspid_rec *rec,
		      const struct nspid_member *mem, size_t n, int flavour)
{
	int cols[COLS_MAX];
	struct prow *rows = calloc(n + 1, sizeof(*rows));
	size_t i;

	if (!rows)
		return;
	for (i = 0; i < n; i++) {
		rows[i].rec = mem ? mem[i].rec : &rec[i];
		rows[i].m = mem ? &mem[i] : NULL;
		rows[i].arg = (unsigned int)i;
	}
	x->cols = cols;
	x->ncols = columns_all(mem ? CK_LISTING : CK_TABLE, cols);
	x->json = flavour & 1;
	x->raw = (flavour >> 1) & 1;
	x->noheadings = (flavour >> 2) & 1;
	print_rows(sink, x, rows, n);
	free(rows);
}

static void exercise_lookups(const struct nspid_map *m, int flavour)
{
	char err[NSPID_ERR_MAX];
	const struct nspid_rec *r;
	struct nspid_member *mem;
	struct print_ctx x = { .map = m, .pi = &nopi, .source = "file" };
	struct nspid_ns ns;
	size_t i, n;

	for (i = 0; i < m->nrecs && i < 8; i++) {
		r = &m->recs[i];
		if (lookup_pid(m, r->pid) != r)
			abort();
		if (lookup_ns_of(m, r->pid, &ns, err, sizeof(err)) != LK_OK)
			continue;
		x.ns = &ns;
		if (lookup_members(m, &ns, 1, &mem, &n, err, sizeof(err)) ==
		    LK_OK) {
			print_all(&x, NULL, mem, n, flavour + (int)i);
			free(mem);
		}
		if (lookup_to_host(m, &ns, r->nspid, &r, err, sizeof(err)) ==
		    LK_OK)
			print_to_host(sink, &x, r->nspid, r);
		if (ns.inode)
			lookup_ns_inode(m, ns.inode, &ns, err, sizeof(err));
	}
	x.ns = NULL;
	print_all(&x, m->recs, NULL, m->nrecs, flavour);
	x.json = flavour & 1;
	tree_print(sink, &x, flavour & 2, flavour & 4, flavour & 8 ?
		   TREE_UTF8 : TREE_ASCII, err, sizeof(err));
}

/* --dump must write what parses back into the same records. */
static void dump_roundtrip(const struct nspid_map *m)
{
	char err[NSPID_ERR_MAX], *buf = NULL;
	struct nspid_map again;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return;
	dump_map(f, m);
	fclose(f);
	map_init(&again);
	if (parse_buf(buf, len, &again, err, sizeof(err)) ||
	    again.nrecs != m->nrecs || again.nids != m->nids)
		abort();
	for (i = 0; i < m->nrecs; i++)
		if (again.recs[i].pid != m->recs[i].pid ||
		    again.recs[i].commlen != m->recs[i].commlen ||
		    memcmp(again.recs[i].comm, m->recs[i].comm,
			   m->recs[i].commlen))
			abort();
	if (memcmp(again.chain, m->chain, m->nids * sizeof(unsigned int)) ||
	    memcmp(again.nschain, m->nschain, m->nids * sizeof(unsigned int)))
		abort();
	map_free(&again);
	free(buf);
}

static void cgroup_and_columns(const uint8_t *data, size_t size)
{
	char label[CT_LABEL_MAX], err[NSPID_ERR_MAX], *s;
	struct container c;
	int cols[COLS_MAX];

	if (container_from_cgroup((const char *)data, size, &c)) {
		if (!c.runtime)
			abort();
		container_label(&c, label, sizeof(label));
		if (c.id[0] && container_match(&c, c.id) != 1 &&
		    container_match(&c, c.id) != 2)
			abort();
		if (c.name[0] && container_match(&c, c.name) != 2)
			abort();
	} else if (c.runtime) {
		abort();
	}
	s = malloc(size + 1);
	if (!s)
		return;
	memcpy(s, data, size);
	s[size] = '\0';
	/* the same bytes as a runtime's names file, for an id in them */
	memset(&c, 0, sizeof(c));
	c.runtime = "podman";
	memcpy(c.id, size > CT_ID_MAX ? s + size - CT_ID_MAX : "0", size > CT_ID_MAX ? CT_ID_MAX : 1);
	if (ctnames_from_storage(s, &c) && !c.name[0])
		abort();
	c.name[0] = '\0';
	if (ctnames_from_k8s_log(s, &c) && !c.name[0])
		abort();
	columns_parse(s, size & 1 ? CK_LISTING : CK_TABLE, cols, 0, err,
		      sizeof(err));
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[NSPID_ERR_MAX];
	struct nspid_map m;

	if (!sink)
		sink = fopen("/dev/null", "w");
	map_init(&m);
	if (parse_buf((const char *)data, size, &m, err, sizeof(err)) == 0) {
		check_invariants(&m);
		dump_roundtrip(&m);
		if (map_check_unique(&m, err, sizeof(err)) == 0)
			exercise_lookups(&m, (int)(size & 15));
	}
	map_free(&m);
	cgroup_and_columns(data, size);
	return 0;
}
