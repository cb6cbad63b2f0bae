/* SPDX-License-Identifier: GPL-2.0 */
/* Answers to text: tables of chosen columns, one-per-line answers, JSON. */
#ifndef NSPID_PRINT_H
#define NSPID_PRINT_H

#include <stdio.h>

#include "columns.h"
#include "lookup.h"
#include "procinfo.h"

/* comm as the map writes it: \ooo for TAB, newline, \, < 0x20 and 0x7f */
void print_comm(FILE *f, const char *s, size_t len);
/* a JSON string: \" \\ and \u00XX for control bytes and invalid UTF-8 */
void print_json_str(FILE *f, const char *s, size_t len);

/* One line of output. */
struct prow {
	const struct nspid_rec *rec;	/* NULL: a PID argument not found */
	const struct nspid_member *m;	/* in a listing: ids in that ns */
	unsigned int arg;		/* nspid PID...: the argument */
};

struct print_ctx {
	const struct nspid_map *map;
	struct procinfo_set *pi;
	const struct nspid_ns *ns;	/* a listing's or --to-host's */
	const int *cols;
	size_t ncols;
	int json, raw, noheadings;
	int threads;			/* print_rows() without rows: all */
	const char *source;		/* for JSON "source" */
};

/* "{\n  \"source\": ...,\n" */
void print_json_source(FILE *f, const char *source);
/* a namespace's "pidns", "level", "init", "container" lines */
void print_json_ns(FILE *f, struct print_ctx *x, const struct nspid_ns *ns);
/* A table (or JSON with "tasks"); -1 when out of memory. rows NULL: the
 * map's records, every task with x->threads, else the processes. */
int print_rows(FILE *f, struct print_ctx *x, const struct prow *rows,
	       size_t n);
/* nspid PID...: the innermost id (or the chain), "-" for a missing one */
void print_pid_lines(FILE *f, const struct nspid_map *map,
		     const struct prow *rows, size_t n, int chain);
/* --to-host: the caller's pid of nspid inside x->ns */
void print_to_host(FILE *f, struct print_ctx *x, unsigned int nspid,
		   const struct nspid_rec *rec);

#endif
