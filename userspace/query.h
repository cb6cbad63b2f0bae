/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Answers from the module's ioctls (ioctl_nspid_map(2)) instead of a read
 * of the whole file: one task by pid, and the reverse, in O(1).
 */
#ifndef NSPID_QUERY_H
#define NSPID_QUERY_H

#include <stdio.h>

#include "parse.h"

/* Results: answered, no such task (or hidden), or no ioctl here. */
enum { Q_OK = 0, Q_NOTFOUND = 1, Q_NONE = -1 };

/*
 * The task @pid (the caller's view, through @fd, an open nspid_map), added
 * to @map. Q_NONE: the module has no ioctls (ENOTTY: an older module) or
 * answered something the file would not (then use the file).
 */
int query_pid(int fd, unsigned int pid, struct nspid_map *map);
/*
 * The task numbered @nr in the own namespace of the task @ns_of, added to
 * @map.
 */
int query_nspid(int fd, unsigned int ns_of, unsigned int nr,
		struct nspid_map *map);

/*
 * What main() would otherwise read the whole file for, by ioctl on the
 * file at @path: the rows of the PIDs in @want (ascending, no repeats;
 * absent ones left out, as the file leaves them out), or, when @ns_of and
 * @to_host are set, the rows `--to-host TO_HOST --ns-of NS_OF` needs: the
 * task NS_OF, the init of its namespace and the task numbered TO_HOST
 * there. The lookups of lookup.c then give the answer the whole file
 * would. Q_OK, or Q_NONE where the file must answer: no such file, no
 * ioctls (an older module), or a reverse lookup that found nothing (the
 * file then says why: not there, or not provable).
 */
int query_load(const char *path, const unsigned int *want, size_t nwant,
	       unsigned int ns_of, unsigned int to_host, struct nspid_map *map);

/*
 * `nspid PID` and `nspid -c PID` for one PID, straight from one ioctl,
 * with no map built: a new process then runs little more code than
 * `nspid --version` (under QEMU TCG the general path's first run of its
 * code cost 1.4 ms, more than half again what starting the program costs). The
 * line goes to @out and Q_OK is returned, or Q_NONE with nothing written:
 * the caller then takes the general path, which prints the same line or
 * says why not (not found, no module or no ioctls, another namespace's
 * /proc, an answer that fails the checks).
 */
int query_quick(const char *proc, unsigned int pid, int chain, FILE *out);
/*
 * `nspid --to-host NR --ns-of NS_OF` the same way: two ioctls, the host
 * pid printed, or Q_NONE with nothing written.
 */
int query_quick_to_host(const char *proc, unsigned int ns_of,
			unsigned int nr, FILE *out);

#endif
