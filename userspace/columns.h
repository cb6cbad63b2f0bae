/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one column vocabulary of every table, of JSON (the key is the name in
 * lower case) and of nspid(1): what -o/--output, --output-all and -l take.
 */
#ifndef NSPID_COLUMNS_H
#define NSPID_COLUMNS_H

#include <stddef.h>
#include <stdio.h>

enum col {
	COL_PID, COL_TID, COL_PPID, COL_NSPID, COL_NSTID, COL_PIDNS, COL_LEVEL,
	COL_CHAIN, COL_NSCHAIN, COL_INPID, COL_INTID, COL_INPPID,
	COL_CONTAINER, COL_POD, COL_USER, COL_UID, COL_STATE, COL_ARGS,
	COL_COMMAND, NCOLS
};

enum {
	CF_NUM = 1,	/* a number: right-aligned, unquoted in JSON */
	CF_LIST = 2,	/* numbers joined by ':', a JSON array */
	CF_IN = 4,	/* only in a namespace's listing (--ns-of, --ns, ...) */
	CF_LIVE = 8,	/* read from the live /proc; "-" with --file */
};

struct column {
	const char *name;
	const char *json;
	unsigned int flags;
	const char *help;
};

extern const struct column columns[NCOLS];

/* What is being listed: the defaults differ. */
enum col_kind { CK_TABLE, CK_LISTING, CK_PIDS };

#define COLS_MAX (2 * NCOLS)

/* The default columns of kind; json: the JSON set (every map field). */
size_t columns_default(enum col_kind kind, int threads, int json, int *out);
/* --output-all */
size_t columns_all(enum col_kind kind, int *out);
/*
 * -o LIST: names separated by commas, any case; "+LIST" appends to the
 * defaults in *out (n of them). Returns the new count, or 0 with err set.
 */
size_t columns_parse(const char *list, enum col_kind kind, int *out,
		     size_t n, char *err, size_t errlen);
/* -l: every column with its description */
void columns_list(FILE *f, int json);

#endif
