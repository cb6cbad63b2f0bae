// SPDX-License-Identifier: GPL-2.0
/*
 * columns.c - names, descriptions and default sets of the columns.
 *
 * PID and TID are always the caller's view (as in ps; with -L, PID is the
 * process and TID the thread, as ps -L has PID and LWP), NSPID and NSTID
 * the task's own namespace's, INPID/INTID/INPPID the listed namespace's.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "columns.h"

const struct column columns[NCOLS] = {
	[COL_PID] = { "PID", "pid", CF_NUM,
		"process ID as the caller sees it" },
	[COL_TID] = { "TID", "tid", CF_NUM,
		"thread ID as the caller sees it" },
	[COL_PPID] = { "PPID", "ppid", CF_NUM,
		"parent's process ID as the caller sees it (0: not visible)" },
	[COL_NSPID] = { "NSPID", "nspid", CF_NUM,
		"process ID in its own, innermost PID namespace" },
	[COL_NSTID] = { "NSTID", "nstid", CF_NUM,
		"thread ID in its own, innermost PID namespace" },
	[COL_PIDNS] = { "PIDNS", "pidns", CF_NUM,
		"inode of its PID namespace (0: before 3.8, or hidden)" },
	[COL_LEVEL] = { "LEVEL", "level", CF_NUM,
		"namespaces between the caller's and its own (0: the caller's)" },
	[COL_CHAIN] = { "CHAIN", "chain", CF_LIST,
		"thread IDs from the caller's namespace down to its own" },
	[COL_NSCHAIN] = { "NSCHAIN", "nschain", CF_LIST,
		"inodes of the namespaces CHAIN's IDs belong to" },
	[COL_INPID] = { "INPID", "inpid", CF_NUM | CF_IN,
		"process ID in the listed namespace" },
	[COL_INTID] = { "INTID", "intid", CF_NUM | CF_IN,
		"thread ID in the listed namespace" },
	[COL_INPPID] = { "INPPID", "inppid", CF_NUM | CF_IN,
		"parent's process ID in the listed namespace (0: outside it)" },
	[COL_CONTAINER] = { "CONTAINER", "container", CF_LIVE,
		"runtime:id or runtime:name, from /proc/PID/cgroup (-: none)" },
	[COL_POD] = { "POD", "pod", CF_LIVE,
		"Kubernetes pod uid, from /proc/PID/cgroup (-: none)" },
	[COL_USER] = { "USER", "user", CF_LIVE,
		"user name (or uid) of the real uid" },
	[COL_UID] = { "UID", "uid", CF_NUM | CF_LIVE,
		"real user ID" },
	[COL_STATE] = { "STATE", "state", CF_LIVE,
		"state as in /proc/PID/status (R, S, D, Z, T, ...)" },
	[COL_ARGS] = { "ARGS", "args", CF_LIVE,
		"command line, where readable (-: none, e.g. a kernel thread)" },
	[COL_COMMAND] = { "COMMAND", "command", 0,
		"task name (comm), escaped as in nspid_map(5)" },
};

static size_t put(int *out, size_t n, const int *cols, size_t k)
{
	memcpy(out + n, cols, k * sizeof(*cols));
	return n + k;
}

#define PUT(out, n, ...) put(out, n, (const int[]){ __VA_ARGS__ },	\
	sizeof((const int[]){ __VA_ARGS__ }) / sizeof(int))

size_t columns_default(enum col_kind kind, int threads, int json, int *out)
{
	size_t n = 0;

	if (json) {
		if (kind == CK_LISTING)
			n = PUT(out, n, COL_INPID, COL_INTID, COL_INPPID);
		return PUT(out, n, COL_PID, COL_TID, COL_PPID, COL_NSPID,
			   COL_NSTID, COL_PIDNS, COL_LEVEL, COL_CHAIN,
			   COL_NSCHAIN, COL_CONTAINER, COL_COMMAND);
	}
	if (kind == CK_LISTING) {
		n = threads ? PUT(out, n, COL_INPID, COL_INTID, COL_PID, COL_TID)
			    : PUT(out, n, COL_INPID, COL_PID);
		return PUT(out, n, COL_INPPID, COL_PIDNS, COL_LEVEL,
			   COL_COMMAND);
	}
	n = threads ? PUT(out, n, COL_PID, COL_TID, COL_NSPID, COL_NSTID)
		    : PUT(out, n, COL_PID, COL_NSPID);
	return PUT(out, n, COL_PPID, COL_PIDNS, COL_LEVEL, COL_COMMAND);
}

size_t columns_all(enum col_kind kind, int *out)
{
	size_t n = 0;
	int c;

	for (c = 0; c < NCOLS; c++)
		if (kind == CK_LISTING || !(columns[c].flags & CF_IN))
			out[n++] = c;
	return n;
}

size_t columns_parse(const char *list, enum col_kind kind, int *out,
		     size_t n, char *err, size_t errlen)
{
	const char *p = list, *e;
	size_t len;
	int c;

	if (*p == '+')
		p++;
	else
		n = 0;
	for (;;) {
		e = strchr(p, ',');
		len = e ? (size_t)(e - p) : strlen(p);
		for (c = 0; c < NCOLS; c++)
			if (strlen(columns[c].name) == len &&
			    !strncasecmp(columns[c].name, p, len))
				break;
		if (c == NCOLS) {
			snprintf(err, errlen, "unknown column: '%.*s' (nspid -l lists them)",
				 (int)len, p);
			return 0;
		}
		if ((columns[c].flags & CF_IN) && kind != CK_LISTING) {
			snprintf(err, errlen, "column %s exists only in a namespace's listing (--ns-of, --ns, --container)",
				 columns[c].name);
			return 0;
		}
		if (n == COLS_MAX) {
			snprintf(err, errlen, "more than %d columns", COLS_MAX);
			return 0;
		}
		out[n++] = c;
		if (!e)
			return n;
		p = e + 1;
	}
}

void columns_list(FILE *f, int json)
{
	int c;

	if (json)
		fputs("{\n  \"columns\": [", f);
	for (c = 0; c < NCOLS; c++) {
		if (json)
			fprintf(f, "%s{\"name\": \"%s\", \"key\": \"%s\", \"description\": \"%s\"}",
				c ? ",\n    " : "\n    ", columns[c].name,
				columns[c].json, columns[c].help);
		else
			fprintf(f, "%12s  %s\n", columns[c].name,
				columns[c].help);
	}
	if (json)
		fputs("\n  ]\n}\n", f);
}
