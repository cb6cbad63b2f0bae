// SPDX-License-Identifier: GPL-2.0
/*
 * nspid_profile - where a pass over /proc/nspid_map spends its time; runs
 * inside the VM (bench/profile.sh).
 *
 * bench/profile.sh builds the module several times, each build stopping a
 * row earlier (see there). This program builds one scene (PROCS processes
 * of THREADS threads each, in the root namespace), then loads each build in
 * turn, ROUNDS times round, and times whole passes over the file: the
 * difference between two builds is the cost of the stage between them.
 * Interleaving the builds keeps a slow patch of the host from landing on
 * one build only. The floor is a tmpfs copy of the full map, read the same
 * way.
 *
 * Usage: nspid_profile [BUILD.ko...]   (the first one is the full module;
 *        default: the builds bench/profile.sh puts in /tests)
 * Output: PROFILE <build> <round> <rows> <median_ns> <min_ns>, then
 *         the kselftest-style "1..1" / "ok 1".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define PROCS		50
#define THREADS		200	/* 10,000 tasks */
#define ROUNDS		4
#define PASSES		9
#define MAP		"/proc/nspid_map"
#define COPY		"/tmp/nspid_map.profile"

static char buf[128 * 1024];

static void die(const char *what)
{
	printf("not ok 1 %s: %s\n", what, strerror(errno));
	exit(1);
}

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* PROCS processes of THREADS threads; returns when all exist. */
static void build_scene(void)
{
	int fds[2], i, t;
	char c;

	if (pipe(fds))
		die("pipe");
	for (i = 0; i < PROCS; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid)
			continue;
		for (t = 1; t < THREADS; t++) {
			pthread_t th;

			if (pthread_create(&th, NULL, sleeper, NULL))
				_exit(1);
		}
		if (write(fds[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(fds[1]);
	for (i = 0; i < PROCS; i++)
		if (read(fds[0], &c, 1) != 1)
			die("waiting for the scene");
	close(fds[0]);
}

/* One whole pass; returns the number of lines, or -1. */
static long pass(const char *path)
{
	return count_lines(path, buf, sizeof(buf));
}

static int load(const char *path)
{
	struct stat st;
	void *image;
	int fd, rc;

	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st))
		return -1;
	image = malloc(st.st_size);
	if (!image || read(fd, image, st.st_size) != st.st_size) {
		free(image);
		close(fd);
		return -1;
	}
	close(fd);
	rc = syscall(SYS_init_module, image, (unsigned long)st.st_size, "");
	free(image);
	return rc;
}

static int unload(void)
{
	int i;

	for (i = 0; i < 100; i++) {
		if (!syscall(SYS_delete_module, "nspid_map", O_NONBLOCK))
			return 0;
		if (errno == ENOENT)
			return 0;
		usleep(100000);
	}
	return -1;
}

static void measure(const char *name, const char *path, int round)
{
	long long t[PASSES];
	long rows = pass(path);	/* warm-up */
	int i;

	if (rows < 0)
		die(path);
	for (i = 0; i < PASSES; i++) {
		long long t0 = now_ns();

		pass(path);
		t[i] = now_ns() - t0;
	}
	qsort(t, PASSES, sizeof(t[0]), cmp_ll);
	printf("PROFILE\t%s\t%d\t%ld\t%lld\t%lld\n", name, round, rows - 1,
	       t[PASSES / 2], t[0]);
	fflush(stdout);
}

static void copy_map(void)
{
	if (copy_file(MAP, COPY, buf, sizeof(buf)))
		die("copying the map to tmpfs");
}

int main(int argc, char **argv)
{
	static char *builds[] = { NULL, "/tests/full.ko", "/tests/fmt.ko",
				  "/tests/ids.ko", "/tests/walk.ko", NULL };
	int round, i;

	if (argc < 2) {
		argv = builds;
		argc = 5;
	}
	setpgid(0, 0);
	build_scene();
	for (round = 0; round < ROUNDS; round++) {
		for (i = 1; i < argc; i++) {
			const char *name = strrchr(argv[i], '/');

			name = name ? name + 1 : argv[i];
			if (unload() || load(argv[i]))
				die(argv[i]);
			if (i == 1 && round == 0)
				copy_map();
			measure(name, MAP, round);
		}
		measure("floor", COPY, round);
	}
	/* leave the full module loaded, as found */
	if (unload() || load(argv[1]))
		die(argv[1]);
	signal(SIGTERM, SIG_IGN);
	kill(0, SIGTERM);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	printf("1..1\nok 1 profile completed\n");
	return 0;
}
