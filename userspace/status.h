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
 * One status file's text to a record (all but pidns) and its chain;
 * 0, or -1 if a needed line is missing or malformed.
 */
int status_parse(const char *text, size_t len, struct nspid_rec *rec,
		 unsigned int *chain);

#endif
