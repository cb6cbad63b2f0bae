// SPDX-License-Identifier: GPL-2.0
/*
 * source.c - load the records, and say from where.
 *
 * Before any live source: /proc must be mounted, and must be the caller's
 * own PID namespace's (/proc/self is getpid()); otherwise every answer
 * would be about other processes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "query.h"
#include "source.h"
#include "status.h"
#include "unique.h"

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

static void hint(void)
{
	fprintf(stderr,
		"nspid: load the module:             modprobe nspid_map\n"
		"nspid:   or, from the build tree:   insmod ./nspid_map.ko\n"
		"nspid:   or install it with DKMS:   dkms install nspid/%s"
		" && modprobe nspid_map\n"
		"nspid:   (from the source tree:     make dkms-install)\n",
		NSPID_VERSION);
}

/* 0 when proc is a procfs of the caller's PID namespace. */
static int check_proc(const char *proc)
{
	char path[512], link[32];
	struct statfs sf;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/self/status", proc);
	if (access(path, F_OK)) {
		if (statfs(proc, &sf) || sf.f_type != PROC_SUPER_MAGIC) {
			fprintf(stderr, "nspid: %s is not mounted (no procfs "
				"there): mount it with 'mount -t proc proc %s'\n",
				proc, proc);
			return -1;
		}
		fprintf(stderr, "nspid: %s belongs to another PID namespace "
			"(%s/self does not exist there): mount this "
			"namespace's own, e.g. unshare --pid --fork "
			"--mount-proc, or mount -t proc proc %s in a new mount "
			"namespace\n", proc, proc, proc);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/self", proc);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return 0;	/* not a symlink: a test's fake /proc */
	link[n] = '\0';
	if (strtol(link, NULL, 10) != (long)getpid()) {
		fprintf(stderr, "nspid: %s is the /proc of another PID "
			"namespace (%s/self is %s, this process is %d): its "
			"PIDs are not the caller's; mount this namespace's "
			"own, e.g. unshare --pid --fork --mount-proc\n", proc,
			proc, link, (int)getpid());
		return -1;
	}
	return 0;
}

static int load_file(const char *path, struct nspid_map *map,
		     const unsigned int *want, size_t nwant)
{
	char err[NSPID_ERR_MAX];
	int fd, rc;

	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	if (fd < 0) {
		fprintf(stderr, "nspid: cannot open %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	rc = parse_fd_want(fd, map, want, nwant, err, sizeof(err));
	if (fd)
		close(fd);
	if (rc)
		fprintf(stderr, "nspid: %s: %s\n",
			strcmp(path, "-") ? path : "standard input", err);
	return rc;
}

static int load_status(const struct load_req *req, struct nspid_map *map,
		       struct loaded *out)
{
	static const char *const how[] = {
		[NEED_ALL] = "every thread's", [NEED_PROCS] = "each process's",
		[NEED_PIDS] = "the asked PIDs'",
	};
	static const enum status_what what[] = {
		[NEED_ALL] = STATUS_THREADS, [NEED_PROCS] = STATUS_PROCS,
		[NEED_PIDS] = STATUS_PIDS,
	};
	char err[NSPID_ERR_MAX];

	if (!status_available(req->proc)) {
		fprintf(stderr, "nspid: %s/self/status has no NSpid line "
			"(Linux before 4.1): the status source cannot work\n",
			req->proc);
		hint();
		return -1;
	}
	if (status_read_some(req->proc, what[req->need], req->want,
			     req->nwant, map, err, sizeof(err))) {
		fprintf(stderr, "nspid: %s\n", err);
		return -1;
	}
	out->source = "status";
	snprintf(out->path, sizeof(out->path), "%s", req->proc);
	snprintf(out->what, sizeof(out->what), "%s/PID/task/TID/status, "
		 "%s", req->proc, how[req->need]);
	return 0;
}

static int load_once(const struct load_req *req, struct nspid_map *map,
		     struct loaded *out)
{
	char path[512];
	int exists;

	if (req->file) {
		out->source = "file";
		snprintf(out->path, sizeof(out->path), "%s",
			 strcmp(req->file, "-") ? req->file : "standard input");
		snprintf(out->what, sizeof(out->what), "%s", req->file);
		return load_file(req->file, map, NULL, 0);
	}
	out->live = 1;
	if (check_proc(req->proc))
		return -1;
	snprintf(path, sizeof(path), "%s/nspid_map", req->proc);
	exists = access(path, F_OK) == 0;
	if (req->source == SRC_STATUS)
		return load_status(req, map, out);
	/* One task's answer by ioctl (query.c), where the module has them. */
	if (exists && ((req->need == NEED_PIDS && req->nwant) ||
		       (req->ns_of && req->to_host)) &&
	    query_load(path, req->need == NEED_PIDS ? req->want : NULL,
		       req->need == NEED_PIDS ? req->nwant : 0,
		       req->ns_of, req->to_host, map) == Q_OK) {
		out->source = "module";
		snprintf(out->path, sizeof(out->path), "%s", path);
		snprintf(out->what, sizeof(out->what), "%s, by ioctl", path);
		return 0;
	}
	if (exists) {
		out->source = "module";
		snprintf(out->path, sizeof(out->path), "%s", path);
		snprintf(out->what, sizeof(out->what), "%s, read as a file%s",
			 path, req->need == NEED_PIDS && req->nwant ?
			 " up to the highest PID asked" : "");
		return load_file(path, map, req->need == NEED_PIDS ?
				 req->want : NULL, req->need == NEED_PIDS ?
				 req->nwant : 0);
	}
	if (req->source == SRC_AUTO && status_available(req->proc))
		return load_status(req, map, out);
	if (req->source == SRC_AUTO)
		fprintf(stderr, "nspid: %s does not exist and %s/self/status "
			"has no NSpid line (Linux before 4.1)\n", path,
			req->proc);
	else
		fprintf(stderr, "nspid: %s does not exist: the nspid_map module "
			"is not loaded\n", path);
	hint();
	return -1;
}

int source_load(const struct load_req *req, struct nspid_map *map,
		struct loaded *out)
{
	char err[NSPID_ERR_MAX];
	int pass;

	memset(out, 0, sizeof(*out));
	for (pass = 0; pass < 2; pass++) {
		if (load_once(req, map, out))
			return -1;
		if (!map_check_unique(map, err, sizeof(err)))
			return 0;
		if (!out->live)
			break;
		/* pid reuse during a live pass can show this: once more */
		map_free(map);
	}
	fprintf(stderr, "nspid: %s: %s\n", out->path, err);
	if (out->live)
		fprintf(stderr, "nspid: (read twice; it stayed ambiguous)\n");
	return -1;
}
