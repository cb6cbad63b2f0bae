// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for container.c over tests/cgroups/NAME.cgroup: /proc/PID/cgroup
 * as each runtime's documented layout has it, cgroup v1, v2 and hybrid,
 * and the runtimes' files for the names (tests/sysroot).
 *
 *   test_container MAPDIR       (the fixtures are MAPDIR/../cgroups)
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "t.h"
#include "util.h"
#include "../container.h"
#include "../ctnames.h"

#define ID "3f4e1d1c0b2a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d"
#define ID2 "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"
#define POD "6e1f3c0a-2b4d-4e5f-8a9b-0c1d2e3f4a5b"

static char dir[512];

static const struct {
	const char *file, *label, *id, *name, *pod;
} cases[] = {
	{ "docker-cgroupfs-v1", "docker:3f4e1d1c0b2a", ID, "", "" },
	{ "docker-cgroupfs-v2", "docker:3f4e1d1c0b2a", ID, "", "" },
	{ "docker-systemd-v2", "docker:3f4e1d1c0b2a", ID, "", "" },
	{ "docker-systemd-hybrid", "docker:3f4e1d1c0b2a", ID, "", "" },
	{ "docker-in-docker-v1", "docker:3f4e1d1c0b2a", ID, "", "" },
	{ "k8s-cgroupfs-v1", "kubepods:3f4e1d1c0b2a", ID, "", POD },
	{ "k8s-cgroupfs-guaranteed-v1", "kubepods:a1b2c3d4e5f6", ID2, "", POD },
	{ "k8s-containerd-systemd-v2", "containerd:3f4e1d1c0b2a", ID, "", POD },
	{ "k8s-crio-systemd-hybrid", "crio:3f4e1d1c0b2a", ID, "", POD },
	{ "k8s-docker-systemd-v1", "docker:3f4e1d1c0b2a", ID, "", POD },
	{ "k8s-pod-only-v2", "kubepods:pod" POD, "", "", POD },
	{ "containerd-systemd-v2", "containerd:3f4e1d1c0b2a", ID, "", "" },
	{ "crio-v2", "crio:3f4e1d1c0b2a", ID, "", "" },
	{ "crio-conmon-v2", "crio-conmon:3f4e1d1c0b2a", ID, "", "" },
	{ "podman-v2", "podman:3f4e1d1c0b2a", ID, "", "" },
	{ "podman-rootless-v2", "podman:3f4e1d1c0b2a", ID, "", "" },
	{ "podman-conmon-v2", "podman-conmon:3f4e1d1c0b2a", ID, "", "" },
	{ "podman-cgroupfs-v1", "podman:3f4e1d1c0b2a", ID, "", "" },
	{ "lxc-v1", "lxc:web", "", "web", "" },
	{ "lxc3-hybrid", "lxc:web", "", "web", "" },
	{ "lxd-v2", "lxc:web", "", "web", "" },
	{ "lxc-monitor-v2", "lxc-monitor:web", "", "web", "" },
	{ "nspawn-v2", "nspawn:deb-test", "", "deb-test", "" },
	{ "nspawn-v1", "nspawn:deb-test", "", "deb-test", "" },
	{ "host-init-v2", "-", NULL, NULL, NULL },
	{ "host-session-v2", "-", NULL, NULL, NULL },
	{ "host-v1", "-", NULL, NULL, NULL },
	{ "empty", "-", NULL, NULL, NULL },
	{ "malformed", "-", NULL, NULL, NULL },
};

static size_t slurp(const char *name, char *buf, size_t size)
{
	char path[1024];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s.cgroup", dir, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return (size_t)-1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return (size_t)-1;
	buf[n] = '\0';
	return (size_t)n;
}

static void every_fixture(void)
{
	char buf[8192], label[CT_LABEL_MAX];
	struct container c;
	size_t i, n;
	int found;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = slurp(cases[i].file, buf, sizeof(buf));
		CHECK(n != (size_t)-1);
		if (n == (size_t)-1)
			continue;
		found = container_from_cgroup(buf, n, &c);
		container_label(found ? &c : NULL, label, sizeof(label));
		if (strcmp(label, cases[i].label))
			fprintf(stderr, "# %s: ", cases[i].file);
		CHECK_STR(label, cases[i].label);
		if (!cases[i].id) {
			CHECK(!found && !c.runtime);
			continue;
		}
		CHECK(found);
		CHECK_STR(c.id, cases[i].id);
		CHECK_STR(c.name, cases[i].name);
		CHECK_STR(c.pod, cases[i].pod);
	}
}

/* The runtimes' own files give names: no daemon is asked. */
static void names_from_files(void)
{
	char root[1024], buf[8192], label[CT_LABEL_MAX];
	struct ct_names names;
	struct container c;
	size_t n;

	snprintf(root, sizeof(root), "%s/../sysroot", dir);
	ctnames_init(&names, root);
	/* Docker: config.v2.json */
	n = slurp("docker-systemd-v2", buf, sizeof(buf));
	CHECK(container_from_cgroup(buf, n, &c) == 1);
	CHECK(ctnames_fill(&names, &c) == 1);
	container_label(&c, label, sizeof(label));
	CHECK_STR(label, "docker:3f4e1d1c0b2a(web)");
	CHECK(container_match(&c, "web") == 2);
	CHECK(container_match(&c, "docker:web") == 2);
	CHECK(container_match(&c, "3f4e") == 1);
	CHECK(container_match(&c, "docker:3f4e1d") == 1);
	CHECK(container_match(&c, "3f4f") == 0);
	CHECK(container_match(&c, "we") == 0);
	/* another id: no file, no name */
	n = slurp("docker-in-docker-v1", buf, sizeof(buf));
	memcpy(buf + strlen("12:pids:/docker/"), ID2, 64);
	CHECK(container_from_cgroup(buf, n, &c) == 1);
	CHECK(ctnames_fill(&names, &c) == 0);
	CHECK_STR(c.name, "");
	/* Kubernetes: kubelet's /var/log/containers/<pod>_<ns>_<ctr>-<id>.log */
	n = slurp("k8s-containerd-systemd-v2", buf, sizeof(buf));
	CHECK(container_from_cgroup(buf, n, &c) == 1);
	CHECK(ctnames_fill(&names, &c) == 1);
	container_label(&c, label, sizeof(label));
	CHECK_STR(label, "containerd:3f4e1d1c0b2a(default/web-7d9f8c6b5-x2x4q/nginx)");
	n = slurp("k8s-cgroupfs-guaranteed-v1", buf, sizeof(buf));
	CHECK(container_from_cgroup(buf, n, &c) == 1);
	CHECK(ctnames_fill(&names, &c) == 1);
	CHECK_STR(c.name, "kube-system/coredns-5d78c9869d-abcde/coredns");
	/* Podman and CRI-O: containers/storage's containers.json */
	n = slurp("podman-v2", buf, sizeof(buf));
	CHECK(container_from_cgroup(buf, n, &c) == 1);
	CHECK(ctnames_fill(&names, &c) == 1);
	container_label(&c, label, sizeof(label));
	CHECK_STR(label, "podman:3f4e1d1c0b2a(db)");
	n = slurp("crio-v2", buf, sizeof(buf));
	CHECK(container_from_cgroup(buf, n, &c) == 1);
	CHECK(ctnames_fill(&names, &c) == 1);
	CHECK_STR(c.name, "db");
	/* an LXC name from the path matches exactly, and needs no file */
	n = slurp("lxd-v2", buf, sizeof(buf));
	CHECK(container_from_cgroup(buf, n, &c) == 1);
	CHECK(ctnames_fill(&names, &c) == 0);
	CHECK(container_match(&c, "web") == 2);
	CHECK(container_match(&c, "we") == 0);
	ctnames_free(&names);
	/* no such root: no names, no error */
	ctnames_init(&names, "/nonexistent-nspid-root");
	n = slurp("podman-v2", buf, sizeof(buf));
	CHECK(container_from_cgroup(buf, n, &c) == 1);
	CHECK(ctnames_fill(&names, &c) == 0);
	ctnames_free(&names);
}

/* The unified line decides over v1 lines, then the first v1 line. */
static void line_preference(void)
{
	static const char t[] =
		"2:memory:/lxc/old\n1:name=systemd:/lxc/old\n"
		"0::/system.slice/docker-" ID ".scope\n";
	static const char v1only[] = "3:cpu:/\n2:memory:/lxc/a\n1:pids:/lxc/b\n";
	static const char nonl[] = "0::/lxc.payload.x";
	char label[CT_LABEL_MAX];
	struct container c;

	CHECK(container_from_cgroup(t, sizeof(t) - 1, &c) == 1);
	container_label(&c, label, sizeof(label));
	CHECK_STR(label, "docker:3f4e1d1c0b2a");
	CHECK(container_from_cgroup(v1only, sizeof(v1only) - 1, &c) == 1);
	CHECK_STR(c.name, "a");
	CHECK(container_from_cgroup(nonl, sizeof(nonl) - 1, &c) == 1);
	CHECK_STR(c.name, "x");
}

static void paths_rejected(void)
{
	static const char *const bad[] = {
		"/docker/3f4e",			/* short id */
		"/docker/" ID "x",
		"/docker-" ID,			/* no .scope */
		"/system.slice/docker.service",
		"/lxc.payload.",		/* no name */
		"/machine.slice/machine-.scope",
		"/kubepods/burstable/podxyz/" ID,	/* not a uid */
		"",
		"/",
	};
	struct container c;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (container_from_path(bad[i], strlen(bad[i]), &c))
			fprintf(stderr, "# accepted: %s\n", bad[i]);
		CHECK(!container_from_path(bad[i], strlen(bad[i]), &c));
	}
}

/*
 * A path is a length, not a string: the matchers must read no byte past
 * it. The path ends where an inaccessible page begins, so a read beyond
 * (sscanf() on the \xNN escape did one: it reads to the NUL first) dies.
 */
static void path_at_the_end_of_memory(void)
{
	static const char path[] = "/machine.slice/machine-a\\x2db\\x2dc.scope";
	long pg = sysconf(_SC_PAGESIZE);
	size_t len = sizeof(path) - 1;
	struct container c;
	char *mem, *p;

	mem = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(mem != MAP_FAILED);
	if (mem == MAP_FAILED)
		return;
	CHECK(!mprotect(mem + pg, pg, PROT_NONE));
	p = mem + pg - len;
	memcpy(p, path, len);
	CHECK(container_from_path(p, len, &c) == 1);
	CHECK_STR(c.runtime, "nspawn");
	CHECK_STR(c.name, "a-b-c");
	munmap(mem, 2 * pg);
}

int main(int argc, char **argv)
{
	snprintf(dir, sizeof(dir), "%s/../cgroups", argc > 1 ? argv[1] :
		 "tests/maps");
	RUN(every_fixture);
	RUN(names_from_files);
	RUN(line_preference);
	RUN(paths_rejected);
	RUN(path_at_the_end_of_memory);
	return T_DONE();
}
