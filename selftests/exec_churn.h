/* SPDX-License-Identifier: GPL-2.0 */
/*
 * exec_churn.h - a process whose non-leader thread keeps creating a thread
 * that execs the test binary again (de_thread() then moves the leader's pid
 * to the execing thread), for exec_test and stress_test.
 *
 * The test's main() hands "BINARY --exec-churn FD" to exec_churn_main();
 * exec_churn_start() starts the first generation and returns its pid; the
 * number of generations is kept at offset 0 of the file behind FD
 * (exec_churn_count()).
 */
#ifndef NSPID_EXEC_CHURN_H
#define NSPID_EXEC_CHURN_H

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

static char *const *exec_churn_argv;

static void *exec_churn_thread(void *arg)
{
	(void)arg;
	usleep(rand() % 2000);
	execv("/proc/self/exe", exec_churn_argv);
	_exit(1);
}

/* The non-leader thread: makes the thread that execs. */
static void *exec_churn_spawner(void *arg)
{
	pthread_t t;

	(void)arg;
	if (pthread_create(&t, NULL, exec_churn_thread, NULL))
		_exit(2);
	pthread_join(t, NULL);
	return NULL;
}

/*
 * One generation: count it, then let a non-leader thread's thread exec the
 * next one. Killed by the test (and by PR_SET_PDEATHSIG if the test dies).
 */
static int exec_churn_main(char **argv)
{
	int fd = atoi(argv[2]);
	long gen = 0;
	pthread_t t;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_NAME, "execchurn");
	if (pread(fd, &gen, sizeof(gen), 0) < 0)
		gen = 0;
	gen++;
	if (pwrite(fd, &gen, sizeof(gen), 0) != sizeof(gen))
		return 3;
	srand(gen);
	exec_churn_argv = argv;
	if (pthread_create(&t, NULL, exec_churn_spawner, NULL))
		return 4;
	for (;;)
		pause();
}

/* Start the churner as @name; its count file's descriptor in *fdp. */
static pid_t exec_churn_start(const char *name, int *fdp)
{
	char path[64], fdarg[16];
	pid_t p;
	int fd;

	snprintf(path, sizeof(path), "/tmp/nspid-execchurn.%d", getpid());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return -1;
	unlink(path);
	snprintf(fdarg, sizeof(fdarg), "%d", fd);
	p = fork();
	if (p == 0) {
		execl("/proc/self/exe", name, "--exec-churn", fdarg,
		      (char *)NULL);
		_exit(1);
	}
	*fdp = fd;
	return p;
}

/* Generations so far (after the churner was killed); 0 if unreadable. */
static long exec_churn_count(int fd)
{
	long gen;

	return pread(fd, &gen, sizeof(gen), 0) == sizeof(gen) ? gen : 0;
}

#endif /* NSPID_EXEC_CHURN_H */
