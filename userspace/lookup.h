/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Answers from the records: a pid's row, a namespace and who is in it.
 * Results are LK_OK, LK_NOTFOUND or LK_UNSURE: the exit codes of nspid(1).
 */
#ifndef NSPID_LOOKUP_H
#define NSPID_LOOKUP_H

#include "parse.h"

enum { LK_OK = 0, LK_NOTFOUND = 1, LK_UNSURE = 2 };

/* A PID namespace as the reader can name it. */
struct nspid_ns {
	unsigned int level;	/* how far below the reader's namespace */
	unsigned int inode;	/* 0: unknown (kernels before 3.8) */
	unsigned int init;	/* reader's pid of its init; 0: unknown */
};

/* A task seen from inside a namespace. */
struct nspid_member {
	const struct nspid_rec *rec;
	unsigned int pid;	/* its id in that namespace */
	unsigned int ppid;	/* its parent's id there; 0 if outside */
	unsigned int level;	/* of its own namespace below that one */
};

const struct nspid_rec *lookup_pid(const struct nspid_map *map,
				   unsigned int pid);
int lookup_ns_inode(const struct nspid_map *map, unsigned int inode,
		    struct nspid_ns *ns, char *err, size_t errlen);
int lookup_ns_of(const struct nspid_map *map, unsigned int pid,
		 struct nspid_ns *ns, char *err, size_t errlen);
/* 1: rec is in ns or below it, 0: not, -1: cannot tell (no inodes) */
int lookup_member(const struct nspid_map *map, const struct nspid_ns *ns,
		  const struct nspid_rec *rec);
int lookup_members(const struct nspid_map *map, const struct nspid_ns *ns,
		   int threads, struct nspid_member **out, size_t *n,
		   char *err, size_t errlen);
int lookup_to_host(const struct nspid_map *map, const struct nspid_ns *ns,
		   unsigned int nspid, const struct nspid_rec **out,
		   char *err, size_t errlen);

#endif
