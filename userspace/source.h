/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where the records come from: a --file (or standard input), the module's
 * /proc/nspid_map, or the status files; which one answered, for -v and for
 * JSON's "source"; and the checks that /proc is there and is the caller's.
 */
#ifndef NSPID_SOURCE_H
#define NSPID_SOURCE_H

#include "parse.h"

enum source { SRC_AUTO, SRC_MODULE, SRC_STATUS };

/* What the question needs from the status source (the module's file is
 * read whole, or up to the highest wanted PID). */
enum need { NEED_ALL, NEED_PROCS, NEED_PIDS };

struct load_req {
	const char *file;	/* --file PATH, "-" for standard input */
	const char *proc;	/* procfs root: $NSPID_PROC or /proc */
	enum source source;
	enum need need;
	const unsigned int *want;	/* NEED_PIDS: ascending, unique */
	size_t nwant;
	/* --to-host TO_HOST --ns-of NS_OF alone: the module may answer by ioctl */
	unsigned int ns_of, to_host;
};

struct loaded {
	const char *source;	/* "module", "status" or "file" */
	char path[512];		/* what was read */
	char what[600];		/* for -v: the path, and how it was read */
	int live;		/* 1: the running system's /proc */
};

/*
 * Fill map; 0, or -1 after a message on stderr. A live pass that is
 * ambiguous (unique.h) is read once more, then reported.
 */
int source_load(const struct load_req *req, struct nspid_map *map,
		struct loaded *out);

#endif
