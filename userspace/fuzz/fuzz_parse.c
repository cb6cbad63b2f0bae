// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the map parser, and the lookups and printing on what
 * it accepts. Whatever it accepts must satisfy the format's invariants.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../lookup.h"
#include "../parse.h"
#include "../print.h"

static FILE *sink;

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

static void exercise_lookups(const struct nspid_map *m)
{
	char err[NSPID_ERR_MAX];
	const struct nspid_rec *r;
	struct nspid_member *mem;
	struct nspid_ns ns;
	size_t i, n;

	for (i = 0; i < m->nrecs && i < 8; i++) {
		r = &m->recs[i];
		if (lookup_pid(m, r->pid) != r)
			abort();
		if (lookup_ns_of(m, r->pid, &ns, err, sizeof(err)) != LK_OK)
			continue;
		if (lookup_members(m, &ns, 1, &mem, &n, err, sizeof(err)) ==
		    LK_OK) {
			print_members(sink, m, &ns, mem, n, (int)(i & 1));
			free(mem);
		}
		if (lookup_to_host(m, &ns, r->nspid, &r, err, sizeof(err)) ==
		    LK_OK)
			print_to_host(sink, &ns, r->nspid, r, (int)(i & 1));
	}
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
		exercise_lookups(&m);
		print_table(sink, &m, 1, (int)(size & 1));
	}
	map_free(&m);
	return 0;
}
