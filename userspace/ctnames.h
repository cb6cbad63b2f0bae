/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Container names from the files the runtimes keep on the host, read as
 * plain files (never a FIFO, never a daemon's socket):
 *
 *   Docker                ROOT/var/lib/docker/containers/<id>/config.v2.json
 *                         ("Name": "/web")
 *   Podman, CRI-O         ROOT/var/lib/containers/storage/overlay-containers/
 *                         containers.json ("id", "names")
 *   Kubernetes (kubelet)  ROOT/var/log/containers/<pod>_<namespace>_<container>-<id>.log
 *                         -> "<namespace>/<pod>/<container>"
 *
 * ROOT is "" (or $NSPID_SYSROOT, for tests). Each directory and the
 * containers.json are read at most once per run.
 */
#ifndef NSPID_CTNAMES_H
#define NSPID_CTNAMES_H

#include <stddef.h>

#include "container.h"

struct ct_names {
	char root[256];
	int k8s_read, storage_read;
	char **k8s;		/* /var/log/containers entries */
	size_t nk8s;
	char *storage;		/* containers.json, NUL-terminated */
};

void ctnames_init(struct ct_names *n, const char *root);
void ctnames_free(struct ct_names *n);

/* Fill c->name from the runtime's files where c has an id and none yet:
 * 1 when a name was found, else 0. */
int ctnames_fill(struct ct_names *n, struct container *c);

/* The parsers underneath, on text (fuzzed): c->name from containers.json,
 * or from one /var/log/containers entry's file name; 1 or 0. */
int ctnames_from_storage(const char *json, struct container *c);
int ctnames_from_k8s_log(const char *fname, struct container *c);

#endif
