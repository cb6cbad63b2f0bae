/* SPDX-License-Identifier: GPL-2.0 */
/* Answers to text: aligned tables, one-per-line answers, or JSON. */
#ifndef NSPID_PRINT_H
#define NSPID_PRINT_H

#include <stdio.h>

#include "lookup.h"

/* comm as the map writes it: \ooo for TAB, newline, \, < 0x20 and 0x7f */
void print_comm(FILE *f, const char *s, size_t len);
/* a JSON string: \" \\ and \u00XX for control bytes and invalid UTF-8 */
void print_json_str(FILE *f, const char *s, size_t len);

/* the process table (threads: one row per thread); -1: out of memory */
int print_table(FILE *f, const struct nspid_map *map, int threads,
		 int json);
/* answers to "nspid PID...": innermost id, or the chain */
void print_pids(FILE *f, const struct nspid_map *map,
		const struct nspid_rec *const *recs, size_t n, int chain,
		int json);
/* a namespace's tasks as it sees them */
int print_members(FILE *f, const struct nspid_map *map,
		   const struct nspid_ns *ns, const struct nspid_member *m,
		   size_t n, int json);
/* the reader's pid of nspid inside ns */
void print_to_host(FILE *f, const struct nspid_ns *ns, unsigned int nspid,
		   const struct nspid_rec *rec, int json);

#endif
