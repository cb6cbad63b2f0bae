// SPDX-License-Identifier: GPL-2.0
/*
 * nspid_bench - runs inside the VM (bench/run.sh): builds scenes of 1,000,
 * 10,000 and 30,000 threads and times every way of learning their ids.
 *
 * A scene: processes in the root namespace; a container (own pid and mount
 * namespace, own /proc) of 50 processes; inside it a namespace two deep and
 * in that one three deep, each with a large multithreaded process. Every
 * process re-executes this program in a role, so each starts clean:
 *
 *   nspid_bench hold N          N threads, then wait to be killed
 *   nspid_bench nest D N        init of a namespace D deep: mount its own
 *                               /proc (D == 1), hold N threads, start the
 *                               next level (D < 3) and the container's
 *                               single-threaded processes (D == 1)
 *
 * Every process writes one byte to fd 3 when ready. Output, one line per
 * figure, for bench/run.sh:
 *   BENCH <threads> <method> <rows> <median_ns> <min_ns> <max_ns>
 *
 * The query ioctls (ioctl_nspid_map(2)) are timed on a descriptor opened
 * once, 100 calls a sample ("rows" 100: the table's per-row column is the
 * cost of one call). ps -eLo pid,tid,comm runs procps' ps, which
 * bench/run.sh copies into the VM with its libraries (/tests/ps.sh runs it
 * through the dynamic loader there).
 *
 * For shorter runs (profiling one figure): $NSPID_BENCH_SCENES, thread
 * counts separated by spaces or commas (default "1000 10000 30000"), and
 * $NSPID_BENCH_METHODS, method names (default: every method).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sys/ioctl.h>

#include <nspid/nspid_map.h>

#include "bench.h"

#ifndef CLONE_NEWPID
#define CLONE_NEWPID	0x20000000
#endif
#ifndef CLONE_NEWNS
#define CLONE_NEWNS	0x00020000
#endif
#ifndef PR_SET_CHILD_SUBREAPER
#define PR_SET_CHILD_SUBREAPER	36
#endif

#define READY_FD	3
#define RUNS		7
#define CONTAINER_PROCS	50
#define BUFSZ		(128 * 1024)

static const char *self = "/proc/self/exe";

static void die(const char *what)
{
	fprintf(stderr, "nspid_bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void ready(void)
{
	if (write(READY_FD, "r", 1) != 1)
		die("ready");
}

static void __attribute__((noreturn)) wait_forever(void)
{
	for (;;)
		pause();
}

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* Start n - 1 more threads (the caller is the n-th). */
static void hold_threads(long n)
{
	pthread_attr_t attr;
	pthread_t t;
	long i;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 16384);
	for (i = 1; i < n; i++)
		if (pthread_create(&t, &attr, sleeper, NULL))
			die("pthread_create");
	pthread_attr_destroy(&attr);
}

/* fork (or clone into a new pid namespace) and exec a role. */
static pid_t spawn(unsigned long nsflags, char *const argv[])
{
	pid_t pid = syscall(SYS_clone, nsflags | SIGCHLD, NULL, NULL, NULL, NULL);

	if (pid < 0)
		die("clone");
	if (pid == 0) {
		execv(self, argv);
		die("exec");
	}
	return pid;
}

static void spawn_hold(long n)
{
	char num[32];
	char *argv[] = { "nspid_bench", "hold", num, NULL };

	snprintf(num, sizeof(num), "%ld", n);
	spawn(0, argv);
}

static int role_hold(long n)
{
	hold_threads(n);
	ready();
	wait_forever();
}

static int role_nest(int depth, long n)
{
	char d[16], num[32];
	char *argv[] = { "nspid_bench", "nest", d, num, NULL };
	int i;

	if (depth == 1) {
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
		    mount("proc", "/proc", "proc", 0, NULL))
			die("mount /proc in the container");
		/* init + 48 here + the next level's init: 50 processes */
		for (i = 0; i < CONTAINER_PROCS - 2; i++)
			spawn_hold(1);
	}
	if (depth < 3) {
		snprintf(d, sizeof(d), "%d", depth + 1);
		snprintf(num, sizeof(num), "%ld", n);
		spawn(CLONE_NEWPID, argv);
	}
	hold_threads(depth == 1 ? 1 : n);
	ready();
	wait_forever();
}

struct scene {
	pid_t leader;		/* process group of everything */
	pid_t container;	/* host pid of the container's init */
	pid_t target;		/* host pid of a process inside the container */
	long threads;
};

/* Wait for `count` ready bytes. */
static void wait_ready(int fd, long count)
{
	char buf[4096];

	while (count > 0) {
		ssize_t n = read(fd, buf, count < (long)sizeof(buf) ? count : (long)sizeof(buf));

		if (n <= 0)
			die("waiting for the scene");
		count -= n;
	}
}

static pid_t find_child_of(pid_t parent, int nth)
{
	char path[64];
	FILE *f;
	pid_t pid = 0;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", parent, parent);
	f = fopen(path, "r");
	if (!f)
		die(path);
	for (i = 0; i <= nth; i++)
		if (fscanf(f, "%d", &pid) != 1)
			die("too few children");
	fclose(f);
	return pid;
}

static void build_scene(struct scene *s, long threads)
{
	long nested = threads / 10, rest, procs = 0;
	char num[32];
	char *argv[] = { "nspid_bench", "nest", "1", num, NULL };
	int fds[2];

	if (pipe(fds))
		die("pipe");
	s->threads = threads;
	s->leader = fork();
	if (s->leader < 0)
		die("fork");
	if (s->leader == 0) {
		setpgid(0, 0);
		dup2(fds[1], READY_FD);
		snprintf(num, sizeof(num), "%ld", nested);
		spawn(CLONE_NEWPID | CLONE_NEWNS, argv);
		/* Root namespace: the rest, 200 threads a process. */
		rest = threads - 2 * nested - CONTAINER_PROCS - 1;
		while (rest > 0) {
			spawn_hold(rest < 200 ? rest : 200);
			rest -= 200;
		}
		for (;;)
			pause();
	}
	setpgid(s->leader, s->leader);
	close(fds[1]);
	rest = threads - 2 * nested - CONTAINER_PROCS - 1;
	/* root holders, the container's holders, the three namespace inits */
	procs = (rest + 199) / 200 + (CONTAINER_PROCS - 2) + 3;
	wait_ready(fds[0], procs);
	close(fds[0]);
	s->container = find_child_of(s->leader, 0);
	s->target = find_child_of(s->container, CONTAINER_PROCS / 2);
}

static void reap_all(void)
{
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
}

static void destroy_scene(struct scene *s)
{
	kill(-s->leader, SIGKILL);
	reap_all();
}

static char buf[BUFSZ];

/* Read a whole file; returns the number of lines. */
static long read_file(const char *path)
{
	long lines = count_lines(path, buf, sizeof(buf));

	if (lines < 0)
		die(path);
	return lines;
}

static long method_map(void)
{
	return read_file("/proc/nspid_map") - 1;
}

static long method_floor(void)
{
	return read_file("/tmp/nspid_map.copy") - 1;
}

/* The NSpid: line of one status file (path relative to dirfd). */
static int status_nspid(int dirfd, const char *path, char *line, size_t len)
{
	ssize_t n;
	char *p, *e;
	int fd = openat(dirfd, path, O_RDONLY);

	if (fd < 0)
		return 0;
	n = read(fd, buf, 4096);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strstr(buf, "\nNSpid:");
	if (!p)
		return 0;
	e = strchr(p + 1, '\n');
	if (e)
		*e = '\0';
	snprintf(line, len, "%s", p + 7);
	return 1;
}

/*
 * What a tool without the module does: every task's status and ns link,
 * with paths relative to directory descriptors to keep lookups short.
 */
static long method_status(void)
{
	char path[300], line[256], link[64];
	struct dirent *d, *t;
	long rows = 0;
	DIR *proc = opendir("/proc");

	if (!proc)
		die("/proc");
	while ((d = readdir(proc))) {
		DIR *task;
		int fd;

		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "%s/task", d->d_name);
		fd = openat(dirfd(proc), path, O_RDONLY | O_DIRECTORY);
		task = fd < 0 ? NULL : fdopendir(fd);
		if (!task)
			continue;
		while ((t = readdir(task))) {
			if (t->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/status", t->d_name);
			if (!status_nspid(fd, path, line, sizeof(line)))
				continue;
			snprintf(path, sizeof(path), "%s/ns/pid", t->d_name);
			if (readlinkat(fd, path, link, sizeof(link)) > 0)
				rows++;
		}
		closedir(task);
	}
	closedir(proc);
	return rows;
}

static long run_cmd(char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "nspid_bench: %s %s failed\n", argv[0], argv[1]);
		return -1;
	}
	return 1;
}

static struct scene *cur;
static char target_s[16], container_s[16], target_ns_s[16];
static unsigned int target_nspid;
static int map_fd = -1;

#define IOCTL_CALLS	100

static long method_ioctl_get(void)
{
	struct nspid_query q;
	int i;

	for (i = 0; i < IOCTL_CALLS; i++) {
		memset(&q, 0, sizeof(q));
		q.size = sizeof(q);
		q.pid = cur->target;
		if (ioctl(map_fd, NSPID_IOC_GET_TASK, &q) || q.tid != (unsigned int)cur->target)
			die("NSPID_IOC_GET_TASK");
	}
	return IOCTL_CALLS;
}

/* The target's host pid from its number in the container. */
static long method_ioctl_reverse(void)
{
	struct nspid_query q;
	int i;

	for (i = 0; i < IOCTL_CALLS; i++) {
		memset(&q, 0, sizeof(q));
		q.size = sizeof(q);
		q.pid = cur->container;
		q.nr = target_nspid;
		if (ioctl(map_fd, NSPID_IOC_BY_NSPID, &q) || q.tid != (unsigned int)cur->target)
			die("NSPID_IOC_BY_NSPID");
	}
	return IOCTL_CALLS;
}

static long method_nspid_table(void)
{
	char *argv[] = { "/bin/nspid", "-L", NULL };

	return run_cmd(argv) < 0 ? -1 : cur->threads;
}

static long method_nspid_table_status(void)
{
	char *argv[] = { "/bin/nspid", "-L", "--source", "status", NULL };

	return run_cmd(argv) < 0 ? -1 : cur->threads;
}

/* What starting the reader costs by itself, for the lookups. */
static long method_spawn(void)
{
	char *argv[] = { "/bin/nspid", "--version", NULL };

	return run_cmd(argv);
}

static long method_lookup_nspid(void)
{
	char *argv[] = { "/bin/nspid", target_s, NULL };

	return run_cmd(argv);
}

static long method_tohost_nspid(void)
{
	char *argv[] = { "/bin/nspid", "--to-host", target_ns_s, "--ns-of",
			 container_s, NULL };

	return run_cmd(argv);
}

static long method_ps(void)
{
	char *argv[] = { "/bin/sh", "/tests/ps.sh", "-eLo", "pid,tid,comm", NULL };

	if (access("/tests/ps.sh", R_OK))
		return -1;
	return run_cmd(argv) < 0 ? -1 : cur->threads;
}

static long method_lookup_seed(void)
{
	char *argv[] = { "/bin/sh", "-c", ". /tests/seed.sh; seed_lookup \"$0\" \"$1\" >/dev/null",
			 target_s, container_s, NULL };

	return run_cmd(argv);
}

/* 100 reads a sample, as the ioctls: the per-row column is one read. */
static long method_lookup_status(void)
{
	char path[64], line[256];
	int i;

	snprintf(path, sizeof(path), "/proc/%d/status", cur->target);
	for (i = 0; i < IOCTL_CALLS; i++)
		if (!status_nspid(AT_FDCWD, path, line, sizeof(line)))
			die(path);
	return IOCTL_CALLS;
}

/* Is @name in the space/comma separated list @list? */
static int listed(const char *list, const char *name)
{
	size_t len = strlen(name);
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, " ,");

		if (n == len && !strncmp(p, name, len))
			return 1;
		p += n;
		p += strspn(p, " ,");
	}
	return 0;
}

static void measure(const char *name, long (*fn)(void))
{
	const char *only = getenv("NSPID_BENCH_METHODS");
	long long t[RUNS];
	long rows;
	int i;

	if (only && *only && !listed(only, name))
		return;
	rows = fn();	/* warm-up */

	for (i = 0; i < RUNS; i++) {
		long long t0 = now_ns();

		rows = fn();
		t[i] = now_ns() - t0;
	}
	qsort(t, RUNS, sizeof(t[0]), cmp_ll);
	printf("BENCH\t%ld\t%s\t%ld\t%lld\t%lld\t%lld\n", cur->threads, name,
	       rows, t[RUNS / 2], t[0], t[RUNS - 1]);
	fflush(stdout);
}

static void copy_map(void)
{
	if (copy_file("/proc/nspid_map", "/tmp/nspid_map.copy", buf, sizeof(buf)))
		die("copying the map to tmpfs");
}

int main(int argc, char **argv)
{
	const char *sizes = getenv("NSPID_BENCH_SCENES");
	struct scene s;
	char *end;
	long threads;

	if (argc == 3 && !strcmp(argv[1], "hold"))
		return role_hold(atol(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "nest"))
		return role_nest(atoi(argv[2]), atol(argv[3]));

	if (prctl(PR_SET_CHILD_SUBREAPER, 1))
		die("PR_SET_CHILD_SUBREAPER");
	if (!sizes || !*sizes)
		sizes = "1000 10000 30000";
	for (;;) {
		long long t0 = now_ns();

		sizes += strspn(sizes, " ,");
		if (!*sizes)
			break;
		threads = strtol(sizes, &end, 10);
		/* the scene itself: 2 nested levels of threads/10, 50 in the container */
		if (end == sizes || threads < 2 * CONTAINER_PROCS) {
			fprintf(stderr, "nspid_bench: bad scene size in NSPID_BENCH_SCENES\n");
			return 1;
		}
		sizes = end;
		build_scene(&s, threads);
		cur = &s;
		snprintf(target_s, sizeof(target_s), "%d", s.target);
		snprintf(container_s, sizeof(container_s), "%d", s.container);
		printf("SCENE\t%ld\tbuilt in %.1f s, container init %d, target %d\n",
		       s.threads, (now_ns() - t0) / 1e9, s.container, s.target);
		copy_map();
		map_fd = open("/proc/nspid_map", O_RDONLY);
		if (map_fd < 0)
			die("/proc/nspid_map");
		{
			struct nspid_query q = { .size = sizeof(q), .pid = s.target };

			if (ioctl(map_fd, NSPID_IOC_GET_TASK, &q))
				die("NSPID_IOC_GET_TASK on the target");
			target_nspid = q.nspid;
			snprintf(target_ns_s, sizeof(target_ns_s), "%u", q.nspid);
		}
		measure("map", method_map);
		measure("floor", method_floor);
		measure("status", method_status);
		measure("nspid-table", method_nspid_table);
		measure("nspid-table-status", method_nspid_table_status);
		measure("spawn-nspid", method_spawn);
		measure("lookup-nspid", method_lookup_nspid);
		measure("lookup-status", method_lookup_status);
		measure("lookup-seed", method_lookup_seed);
		measure("tohost-nspid", method_tohost_nspid);
		measure("ioctl-get", method_ioctl_get);
		measure("ioctl-reverse", method_ioctl_reverse);
		measure("ps", method_ps);
		close(map_fd);
		destroy_scene(&s);
	}
	printf("1..1\nok 1 bench completed\n");
	return 0;
}
