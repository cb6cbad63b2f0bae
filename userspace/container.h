/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which container a task is in, from its /proc/PID/cgroup (cgroup v1 with
 * any mix of hierarchies, v2, or both): one matcher per runtime's path
 * shapes. Names from the runtimes' own files are ctnames.h's.
 */
#ifndef NSPID_CONTAINER_H
#define NSPID_CONTAINER_H

#include <stddef.h>

#define CT_ID_MAX	64	/* a 256-bit id in hex */
#define CT_NAME_MAX	128
#define CT_POD_MAX	36	/* a uuid */
#define CT_LABEL_MAX	(16 + 1 + 12 + 2 + CT_NAME_MAX + 1)

struct container {
	const char *runtime;	/* "docker", "containerd", "crio", "podman",
				 * "kubepods", "lxc", "nspawn", or a runtime's
				 * helper: "podman-conmon", "crio-conmon",
				 * "lxc-monitor"; NULL: none */
	char id[CT_ID_MAX + 1];		/* hex id, or "" */
	char name[CT_NAME_MAX + 1];	/* from the path or a runtime's file */
	char pod[CT_POD_MAX + 1];	/* Kubernetes pod uid, or "" */
};

/*
 * The container a cgroup path names (e.g. "/docker/<id>"): 1, or 0 when
 * none (c->runtime is then NULL).
 */
int container_from_path(const char *path, size_t len, struct container *c);

/*
 * The container of a task from the text of its /proc/PID/cgroup: the
 * unified ("0::") line first, then the v1 lines in order. 1 or 0.
 */
int container_from_cgroup(const char *text, size_t len, struct container *c);

/*
 * "runtime:id12", "runtime:id12(name)" when a name is known besides the id,
 * "runtime:name" where the path holds only a name; "-" for none.
 */
void container_label(const struct container *c, char *buf, size_t size);

/* A name (printable bytes, no space, at most CT_NAME_MAX) for c, with
 * runtime rt: 1, or 0 when it is not one. */
int container_set_name(struct container *c, const char *rt, const char *s,
		       size_t len);

/*
 * How c answers --container QUERY: 2 an exact name, 1 a prefix of the id
 * (or of the label after "runtime:"), 0 no match.
 */
int container_match(const struct container *c, const char *query);

#endif
