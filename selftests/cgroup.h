/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Container-shaped cgroups for the VM's scenes (reader_test, nspid-scene):
 * the paths Docker, Kubernetes and LXC give their containers, in the
 * hierarchies a host of each era has.
 *
 * cg_mount() builds a hybrid layout, as systemd's was: a tmpfs on
 * /sys/fs/cgroup with cgroup v2 at CG_V2 (4.5+) and a v1 hierarchy with no
 * controllers, name=nspid, at CG_V1 (every kernel with cgroups), so that
 * /proc/PID/cgroup has a "0::" line and a v1 line. cg_move() puts a process
 * (its whole thread group) into a cgroup of one of them, made on demand.
 */
#ifndef NSPID_SELFTEST_CGROUP_H
#define NSPID_SELFTEST_CGROUP_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define CG_ROOT	"/sys/fs/cgroup"
#define CG_V2	CG_ROOT "/unified"
#define CG_V1	CG_ROOT "/nspid"

enum { CG_HAVE_V1 = 1, CG_HAVE_V2 = 2 };

/* Which hierarchies are there (mounting them the first time). */
static inline int cg_mount(void)
{
	int have = 0;

	if (access(CG_V2 "/cgroup.procs", F_OK) &&
	    access(CG_V1 "/cgroup.procs", F_OK)) {
		mkdir(CG_ROOT, 0755);
		if (mount("tmpfs", CG_ROOT, "tmpfs", 0, "mode=755"))
			return 0;
		mkdir(CG_V2, 0755);
		mkdir(CG_V1, 0755);
		if (mount("none", CG_V2, "cgroup2", 0, NULL))
			rmdir(CG_V2);
		if (mount("cgroup", CG_V1, "cgroup", 0, "none,name=nspid"))
			rmdir(CG_V1);
	}
	if (!access(CG_V2 "/cgroup.procs", F_OK))
		have |= CG_HAVE_V2;
	if (!access(CG_V1 "/cgroup.procs", F_OK))
		have |= CG_HAVE_V1;
	return have;
}

/* mkdir -p base/path, then the process pid into it: 0 or -1. */
static inline int cg_move(const char *base, const char *path, int pid)
{
	char dir[512], buf[32];
	size_t n;
	int fd, len;

	n = (size_t)snprintf(dir, sizeof(dir), "%s/%s", base, path);
	if (n >= sizeof(dir))
		return -1;
	for (char *p = dir + strlen(base) + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(dir, 0755) && errno != EEXIST)
		return -1;
	if (strlen(dir) + 14 >= sizeof(dir))
		return -1;
	strcat(dir, "/cgroup.procs");
	fd = open(dir, O_WRONLY);
	if (fd < 0)
		return -1;
	len = snprintf(buf, sizeof(buf), "%d\n", pid);
	n = (size_t)write(fd, buf, (size_t)len);
	close(fd);
	return n == (size_t)len ? 0 : -1;
}

/*
 * Docker keeps the name in ROOT/containers/<id>/config.v2.json; nspid
 * reads it from there (never from the daemon). 0 or -1.
 */
static inline int cg_docker_name(const char *root, const char *id,
				 const char *name)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/containers", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/containers/%s", root, id);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/containers/%s/config.v2.json", root,
		 id);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "{\"ID\":\"%s\",\"Config\":{\"Image\":\"busybox\"},"
		"\"Name\":\"/%s\",\"Driver\":\"overlay2\"}\n", id, name);
	return fclose(f) ? -1 : 0;
}

#endif
