// SPDX-License-Identifier: GPL-2.0
/*
 * dump.c - the map in the module's own format (nspid_map(5)), so that a
 * host without the module (4.1+, the status source) can take a snapshot
 * for a later --file, and any snapshot can go into a bug report. Rows the
 * status source could not read the namespace of are written as the module
 * writes rows it hides (SPEC §1.1): pidns 0, nschain 0 after the first.
 */
#include "dump.h"
#include "out.h"

void dump_map(FILE *f, const struct nspid_map *map)
{
	const struct nspid_rec *r;
	struct out o;
	size_t i;

	out_init(&o, f);
	out_str(&o, NSPID_MAP_HEADER);
	for (i = 0; i < map->nrecs; i++) {
		r = &map->recs[i];
		out_uint(&o, r->pid);
		out_char(&o, '\t');
		out_uint(&o, r->tgid);
		out_char(&o, '\t');
		out_uint(&o, r->ppid);
		out_char(&o, '\t');
		out_uint(&o, r->nspid);
		out_char(&o, '\t');
		out_uint(&o, r->nstgid);
		out_char(&o, '\t');
		out_uint(&o, r->pidns);
		out_char(&o, '\t');
		out_uint(&o, r->level);
		out_char(&o, '\t');
		out_uints(&o, map_chain(map, r), r->level + 1, ":");
		out_char(&o, '\t');
		out_uints(&o, map_nschain(map, r), r->level + 1, ":");
		out_char(&o, '\t');
		out_comm(&o, r->comm, r->commlen);
		out_char(&o, '\n');
	}
	out_done(&o);
}
