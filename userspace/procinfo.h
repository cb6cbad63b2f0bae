/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the live /proc says about a task beyond the map: its container (from
 * PROC/TGID/task/TID/cgroup), its user and state (status: Uid:, State:),
 * its command line (PROC/TGID/cmdline). Read lazily, once per task, only
 * for the columns asked for; a --file map has none of it (a PID in a
 * snapshot may be another process now).
 */
#ifndef NSPID_PROCINFO_H
#define NSPID_PROCINFO_H

#include "container.h"
#include "ctnames.h"
#include "lookup.h"
#include "parse.h"

struct procinfo {
	unsigned char have;	/* PI_* read so far */
	unsigned char ok;	/* PI_* that were readable */
	char state;
	unsigned int uid;
	struct container ct;
	char *args;		/* NUL-separated args joined by spaces */
	size_t argslen;
};

enum { PI_CGROUP = 1, PI_STATUS = 2, PI_ARGS = 4 };

struct procinfo_set {
	const char *proc;	/* NULL: no live /proc (a --file map) */
	struct ct_names names;	/* the runtimes' files, read once */
	const struct nspid_map *map;
	struct procinfo *pi;	/* one per map record */
};

int procinfo_init(struct procinfo_set *s, const struct nspid_map *map,
		  const char *proc);
void procinfo_free(struct procinfo_set *s);

/*
 * The task's container: its own cgroup's, or else, for a task below the
 * reader's namespace, that of its namespace's init (the container of a
 * namespace is its init's; a task that entered by setns belongs to it).
 * NULL when none is known.
 */
const struct container *procinfo_container(struct procinfo_set *s,
					   const struct nspid_rec *rec);
/* The container of a namespace: its init's (for the caller's own namespace
 * too, which is a container's when nspid runs inside one); NULL when none
 * or unknown. */
const struct container *procinfo_ns_container(struct procinfo_set *s,
					      const struct nspid_ns *ns);
/* The rest; NULL/0 when unknown. */
const struct procinfo *procinfo_status(struct procinfo_set *s,
				       const struct nspid_rec *rec);
const struct procinfo *procinfo_args(struct procinfo_set *s,
				     const struct nspid_rec *rec);

/*
 * --container QUERY: the caller's pid of a task whose namespace is the
 * container's (its shallowest task). LK_OK and *pid, LK_NOTFOUND, or
 * LK_UNSURE (ambiguous query, no live /proc, or tasks of the container in
 * two namespaces at that depth) with err set.
 */
int procinfo_find_container(struct procinfo_set *s, const char *query,
			    unsigned int *pid, char *err, size_t errlen);

#endif
