// SPDX-License-Identifier: GPL-2.0
/*
 * exec_test - rows stay in order while threads exec (SPEC §1.3, issue 11
 * point 3).
 *
 * When a non-leader thread execs, de_thread() gives it the leader's pid and
 * the leader the thread's (exchange_tids() in 6.x, change_pid() in 3.x and
 * 4.x, detach_pid()/attach_pid() in 2.6.32). A row printed from the task's
 * pid read again after the walk matched another one repeats a pid or
 * breaks the ascending order.
 *
 * A pid namespace of its own, with /proc mounted for it, holds only a
 * process whose non-leader thread keeps creating a thread that execs this
 * binary again (so nearly every row of a pass is one of the moving pids),
 * and two reader threads in a second process making whole passes through
 * that mount with small buffers. Every pass must have strictly ascending,
 * unique pids. $NSPID_EXEC_SECONDS (default 20) long.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "exec_churn.h"
#include "map.h"
#include "oracle.h"

struct shared {
	volatile int stop;
	long passes, rows, execs;
	char err[256];
};

static struct shared *sh;
/* ---- the readers -------------------------------------------------------- */

struct reader {
	pthread_t thread;
	const char *path;
	size_t bufsz;
};

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	va_list ap;

	if (__atomic_exchange_n(&sh->stop, 1, __ATOMIC_SEQ_CST) && sh->err[0])
		return;
	va_start(ap, fmt);
	vsnprintf(sh->err, sizeof(sh->err), fmt, ap);
	va_end(ap);
}

static void *reader_main(void *arg)
{
	struct reader *r = arg;

	while (!sh->stop) {
		size_t len;
		char *text = map_read_file(r->path, r->bufsz, &len);
		struct map m;
		int i;

		if (!text) {
			fail("read %s: %s", r->path, strerror(errno));
			break;
		}
		if (map_parse(text, len, &m)) {
			fail("line %d: %s", m.errline, m.err);
			free(text);
			break;
		}
		for (i = 1; i < m.nrows; i++)
			if (m.rows[i].pid <= m.rows[i - 1].pid) {
				fail("%zu-byte reads: row %d has pid %ld after "
				     "pid %ld (a pid repeated or out of order)",
				     r->bufsz, i + 1, m.rows[i].pid,
				     m.rows[i - 1].pid);
				break;
			}
		__atomic_add_fetch(&sh->rows, m.nrows, __ATOMIC_RELAXED);
		__atomic_add_fetch(&sh->passes, 1, __ATOMIC_RELAXED);
		map_free(&m);
		free(text);
	}
	return NULL;
}

static void readers_main(const char *path, double seconds)
{
	struct reader rd[2] = { { 0, path, 1000 }, { 0, path, 150 } };
	struct timespec t0, t;
	int i;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < 2; i++)
		if (pthread_create(&rd[i].thread, NULL, reader_main, &rd[i]))
			_exit(5);
	do {
		usleep(100000);
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while (!sh->stop && (t.tv_sec - t0.tv_sec) < seconds);
	sh->stop = 1;
	for (i = 0; i < 2; i++)
		pthread_join(rd[i].thread, NULL);
	_exit(0);
}

FIXTURE(exec) {
	int unused;
};

FIXTURE_SETUP(exec)
{
}

FIXTURE_TEARDOWN(exec)
{
}

TEST_F_TIMEOUT(exec, keeps_order, 300)
{
	const char *env = getenv("NSPID_EXEC_SECONDS");
	double seconds = env ? atof(env) : 20;
	char dir[] = "/tmp/nspid-exec.XXXXXX";
	int st;
	pid_t p;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	memset(sh, 0, sizeof(*sh));
	ASSERT_NE(NULL, mkdtemp(dir));
	ASSERT_EQ(0, chmod(dir, 0755));
	p = syscall(SYS_clone, CLONE_NEWPID | CLONE_NEWNS | SIGCHLD,
		    NULL, NULL, NULL, NULL);
	ASSERT_LE(0, p);
	if (p == 0) {
		char path[96];
		pid_t churn, rd;
		int fd;

		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
		    mount("proc", dir, "proc", 0, NULL))
			_exit(10);
		snprintf(path, sizeof(path), "%s/nspid_map", dir);
		churn = exec_churn_start("exec_test", &fd);
		if (churn < 0)
			_exit(11);
		rd = fork();
		if (rd == 0)
			readers_main(path, seconds);
		if (rd < 0 || waitpid(rd, &st, 0) != rd)
			_exit(13);
		kill(churn, SIGKILL);
		waitpid(churn, NULL, 0);
		sh->execs = exec_churn_count(fd);
		_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 14);
	}
	ASSERT_EQ(p, waitpid(p, &st, 0));
	rmdir(dir);
	TH_LOG("%ld passes, %ld rows, %ld execs by non-leader threads in %.0f s",
	       sh->passes, sh->rows, sh->execs, seconds);
	EXPECT_EQ(0, sh->err[0]) TH_LOG("%s", sh->err);
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0)
		TH_LOG("namespace init status 0x%x", st);
	EXPECT_LT(0, sh->passes);
	EXPECT_LT(1, sh->execs);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--exec-churn"))
		return exec_churn_main(argv);
	return test_harness_run(argc, argv);
}
