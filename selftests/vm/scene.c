// SPDX-License-Identifier: GPL-2.0
/*
 * nspid-scene: a small container scene for `make demo` (selftests/vm).
 *
 *   nspid-scene HOST_CMD CONTAINER_CMD
 *
 * Builds a "container": an init in a new pid and mount namespace that
 * mounts its own /proc, a process "web" with two threads "worker 0" and
 * "worker 1", and a container nested inside it running "nested". Then runs
 * HOST_CMD with /bin/sh in the caller's view (CONTAINER_PID in its
 * environment is the container init's pid there), then CONTAINER_CMD inside
 * the container, then tears the scene down. Static (musl), clone() only, so
 * it runs on any kernel the tests run on.
 *
 * Where cgroups can be mounted (../cgroup.h), the container sits in the
 * cgroup Docker's systemd driver gives a container named "web"
 * (system.slice/docker-<id>.scope, its name in config.v2.json) and the
 * nested one in LXC 4's (lxc.payload.inner), so nspid shows containers.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../cgroup.h"

#define SCENE_DOCKER_ID \
	"0d0c4e2b9a8f7e6d5c4b3a29181716151413121110f0e0d0c0b0a09080706050"

#ifndef CLONE_NEWPID
#define CLONE_NEWPID	0x20000000
#endif
#ifndef CLONE_NEWNS
#define CLONE_NEWNS	0x00020000
#endif

static void die(const char *what)
{
	fprintf(stderr, "nspid-scene: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* fork() into new namespaces; the child runs on a copy of our stack. */
static pid_t clone_ns(unsigned long flags)
{
	return syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
}

static void *worker(void *arg)
{
	prctl(PR_SET_NAME, arg);
	for (;;)
		pause();
	return NULL;
}

static void park(const char *name)
{
	prctl(PR_SET_NAME, name);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (;;)
		pause();
}

/* The caller into cgroup path of every hierarchy there is. */
static void into_cgroup(const char *path)
{
	if (!access(CG_V2 "/cgroup.procs", F_OK))
		cg_move(CG_V2, path, 0);
	if (!access(CG_V1 "/cgroup.procs", F_OK))
		cg_move(CG_V1, path, 0);
}

static int run_sh(const char *cmd)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The container's init: build the inside, say ready, run the command. */
static int container(int ready, int go, const char *cmd)
{
	static char w0[] = "worker 0", w1[] = "worker 1";
	pid_t pid;
	char c;
	int rc;

	prctl(PR_SET_NAME, "container-init");
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	into_cgroup("system.slice/docker-" SCENE_DOCKER_ID ".scope");
	/* Its own /proc, without touching the host's mount. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) && errno != EINVAL)
		die("make / private");
	if (mount("proc", "/proc", "proc", 0, NULL))
		die("mount /proc");

	pid = fork();
	if (pid == 0) {
		pthread_t t;

		prctl(PR_SET_NAME, "web");
		pthread_create(&t, NULL, worker, w0);
		pthread_create(&t, NULL, worker, w1);
		park("web");
	}
	pid = clone_ns(CLONE_NEWPID);
	if (pid == 0) {
		into_cgroup("lxc.payload.inner");
		pid = fork();
		if (pid == 0)
			park("nested");
		park("nested-init");
	}
	usleep(200000);		/* let the threads name themselves */
	if (write(ready, "r", 1) != 1 || read(go, &c, 1) != 1)
		die("sync");
	rc = run_sh(cmd);
	kill(-1, SIGKILL);	/* everything in the container */
	while (wait(NULL) > 0)
		;
	return rc;
}

int main(int argc, char **argv)
{
	int ready[2], go[2], status, rc;
	char c, env[32];
	pid_t pid;

	if (argc != 3) {
		fprintf(stderr, "usage: nspid-scene HOST_CMD CONTAINER_CMD\n");
		return 2;
	}
	if (pipe(ready) || pipe(go))
		die("pipe");
	if (cg_mount()) {
		mkdir("/var", 0755);
		mkdir("/var/lib", 0755);
		cg_docker_name("/var/lib/docker", SCENE_DOCKER_ID, "web");
	}
	pid = clone_ns(CLONE_NEWPID | CLONE_NEWNS);
	if (pid < 0)
		die("clone(CLONE_NEWPID | CLONE_NEWNS)");
	if (pid == 0)
		_exit(container(ready[1], go[0], argv[2]));
	if (read(ready[0], &c, 1) != 1)
		die("container did not start");
	snprintf(env, sizeof(env), "%d", pid);
	setenv("CONTAINER_PID", env, 1);
	rc = run_sh(argv[1]);
	if (write(go[1], "g", 1) != 1)
		die("sync");
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		rc = rc ? rc : 1;
	return rc;
}
