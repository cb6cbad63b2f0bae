// SPDX-License-Identifier: GPL-2.0
/*
 * example_test - the example program of ioctl_nspid_map(2)
 * (man/examples/ioctl_nspid_map.c, /bin/ioctl_nspid_map in the VM) run on
 * a small container: its output is printed (the transcript the man page
 * shows) and must be the container tasks' rows of /proc/nspid_map.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "map.h"

#define EXAMPLE	"/bin/ioctl_nspid_map"

static int ready_w;

static void park(const char *name)
{
	prctl(PR_SET_NAME, name);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (write(ready_w, "r", 1) != 1)
		_exit(91);
	for (;;)
		pause();
}

/* Run the example with @a1 (and @a2); its stdout in @out, exit status back. */
static int run(const char *a1, const char *a2, char *out, size_t size)
{
	int p[2], st;
	ssize_t n, len = 0;
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		execl(EXAMPLE, "ioctl_nspid_map", a1, a2, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	while ((n = read(p[0], out + len, size - 1 - len)) > 0)
		len += n;
	out[len] = '\0';
	close(p[0]);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	printf("# $ ioctl_nspid_map %s%s%s\n%s%s", a1, a2 ? " " : "",
	       a2 ? a2 : "", *out ? "# " : "", out);
	return WEXITSTATUS(st);
}

/* The line the example prints for @r. */
static void expect_line(const struct map_row *r, char *buf, size_t size)
{
	size_t n;
	int i;

	n = snprintf(buf, size, "pid %ld tgid %ld ppid %ld nspid %ld nstgid %ld level %d chain ",
		     r->pid, r->tgid, r->ppid, r->nspid, r->nstgid, r->level);
	for (i = 0; i <= r->level; i++)
		n += snprintf(buf + n, size - n, i ? ":%ld" : "%ld", r->chain[i]);
	n += snprintf(buf + n, size - n, " pidns %llu nschain ", r->pidns);
	for (i = 0; i <= r->level; i++)
		n += snprintf(buf + n, size - n, i ? ":%llu" : "%llu", r->nschain[i]);
	snprintf(buf + n, size - n, " comm %s\n", r->comm);
}

TEST(man_page_example)
{
	char out[512], want[512], a1[16], a2[16];
	const struct map_row *init, *kid;
	int p[2], i;
	struct map m;
	pid_t ns;
	char c;

	if (access(EXAMPLE, X_OK))
		SKIP(return, EXAMPLE " is not in the VM");
	ASSERT_EQ(0, pipe(p));
	ready_w = p[1];
	ns = syscall(SYS_clone, 0x20000000 /* CLONE_NEWPID */ | SIGCHLD,
		     NULL, NULL, NULL, NULL);
	ASSERT_LE(0, ns);
	if (ns == 0) {
		if (fork() == 0)
			park("ex-child");
		park("ex-init");
	}
	for (i = 0; i < 2; i++)
		ASSERT_EQ(1, read(p[0], &c, 1));
	ASSERT_EQ(0, map_load(MAP_PATH, 65536, &m));
	init = map_find(&m, ns);
	ASSERT_NE(NULL, init);
	kid = NULL;
	for (i = 0; i < m.nrows; i++)
		if (!strcmp(m.rows[i].comm, "ex-child"))
			kid = &m.rows[i];
	ASSERT_NE(NULL, kid);
	ASSERT_EQ(2, kid->nspid);

	snprintf(a1, sizeof(a1), "%d", ns);
	ASSERT_EQ(0, run(a1, NULL, out, sizeof(out)));
	expect_line(init, want, sizeof(want));
	EXPECT_STREQ(want, out);
	ASSERT_EQ(0, run(a1, "2", out, sizeof(out)));
	expect_line(kid, want, sizeof(want));
	EXPECT_STREQ(want, out);
	/* No task 3 there: ESRCH, exit status 1, nothing printed. */
	snprintf(a2, sizeof(a2), "%d", 3);
	EXPECT_EQ(1, run(a1, a2, out, sizeof(out)));
	EXPECT_STREQ("", out);
	printf("\n");
	kill(ns, SIGKILL);
	waitpid(ns, NULL, 0);
	map_free(&m);
}

TEST_HARNESS_MAIN
