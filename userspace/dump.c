// SPDX-License-Identifier: GPL-2.0
/*
 * dump.c - the map in the module's own format (nspid_map(5)), so that a
 * host without the module (4.1+, the status source) can take a snapshot
 * for a later --file, and any snapshot can go into a bug report. Rows the
 * status source could not read the namespace of are written as the module
 * writes rows it hides (SPEC §1.1): pidns 0, nschain 0 after the first.
 */
#include "dump.h"
#include "print.h"

static void ids(FILE *f, const unsigned int *v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		fprintf(f, "%s%u", i ? ":" : "", v[i]);
}

void dump_map(FILE *f, const struct nspid_map *map)
{
	const struct nspid_rec *r;
	size_t i;

	fputs(NSPID_MAP_HEADER, f);
	for (i = 0; i < map->nrecs; i++) {
		r = &map->recs[i];
		fprintf(f, "%u\t%u\t%u\t%u\t%u\t%u\t%u\t", r->pid, r->tgid,
			r->ppid, r->nspid, r->nstgid, r->pidns, r->level);
		ids(f, map_chain(map, r), r->level + 1);
		putc('\t', f);
		ids(f, map_nschain(map, r), r->level + 1);
		putc('\t', f);
		print_comm(f, r->comm, r->commlen);
		putc('\n', f);
	}
}
