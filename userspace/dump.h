/* SPDX-License-Identifier: GPL-2.0 */
/* --dump: records back to nspid_map(5) text, whichever source they came from. */
#ifndef NSPID_DUMP_H
#define NSPID_DUMP_H

#include <stdio.h>

#include "parse.h"

#define NSPID_MAP_HEADER \
	"# pid\ttgid\tppid\tnspid\tnstgid\tpidns\tlevel\tchain\tnschain\tcomm\n"

/* The header and every record, as the module writes them. */
void dump_map(FILE *f, const struct nspid_map *map);

#endif
