/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The status source: the same records as /proc/nspid_map, built from
 * PROC/PID/task/TID/status (NSpid, kernels 4.1+), PROC/.../ns/pid and the
 * NS_GET_PARENT ioctl (4.9+; inodes above a task's own namespace are 0
 * without it).
 */
#ifndef NSPID_STATUS_H
#define NSPID_STATUS_H

#include "parse.h"

/* 1 if PROC/self/status has an NSpid line */
int status_available(const char *proc);

/* All visible tasks, sorted by pid; 0, or -1 with err set. */
int status_read(const char *proc, struct nspid_map *map, char *err,
		size_t errlen);

/*
 * Only what a question needs: every thread; one status per process (its
 * leader's row); or the rows of the pids[] given (a thread id too). A task
 * whose ns/pid link the caller may not read gets the module's hidden row:
 * pidns 0 and nschain 0 after the first (the reader's own namespace).
 */
enum status_what { STATUS_THREADS, STATUS_PROCS, STATUS_PIDS };
int status_read_some(const char *proc, enum status_what what,
		     const unsigned int *pids, size_t npids,
		     struct nspid_map *map, char *err, size_t errlen);

/*
 * One status file's text to a record (all but pidns) and its chain;
 * 0, or -1 if a needed line is missing or malformed. The name goes where
 * rec->comm points: NSPID_COMM_MAX bytes of the caller's.
 */
int status_parse(const char *text, size_t len, struct nspid_rec *rec,
		 unsigned int *chain);

#endif
