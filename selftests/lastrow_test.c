// SPDX-License-Identifier: GPL-2.0
/*
 * lastrow_test - a pass never ends early (SPEC §1.3: tasks that exist for
 * the whole pass appear exactly once), while the pid numbers below the
 * last row come and go.
 *
 * A fresh pid and mount namespace with its own proc mount. Its init sets
 * ns_last_pid so that the first task it forks, the anchor, takes the
 * highest pid the namespace can have (pid_max - 1); every later pid is
 * below it. Churners then vfork and reap children and create and join
 * threads as fast as they can, below the anchor, while readers read whole
 * passes through the namespace's mount: pread() at offset 0 on one
 * descriptor (checked by its last row, and fully every 64th pass), and
 * 256-byte reads through fresh descriptors. Every pass must end with the
 * anchor's row and hold every task that lives through the whole test (the
 * init, the churners, the reader's own thread); the count of passes that
 * do not is the test's verdict.
 *
 * Why: before 5c089fd0c734 ("idr: Fix idr_get_next race with idr_remove",
 * 5.2, and 4.19.86) idr_get_next() could return NULL when the entry it
 * had found was removed before it read the slot again. A walk that takes
 * NULL for the end of the idr ends its pass at the first pid that dies
 * under it; every task above that pid is missing, and here the anchor
 * always is. The module walks with radix_tree_gang_lookup() (compat.h),
 * which skips slots emptied under it.
 *
 * Needs a writable /proc/sys/kernel/ns_last_pid (3.3+ with
 * CONFIG_CHECKPOINT_RESTORE): SKIP without. Duration:
 * $NSPID_LASTROW_SECS (default 10 s).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
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
#include "sysctl.h"
#include "map.h"
#include "oracle.h"

#define NCHURN		2	/* churning processes */
#define NCHURN_THREADS	3	/* threads in each, churning */
#define NREADERS	2
#define THREAD_STACK	(64 * 1024)
#define LAST_PID	"/proc/sys/kernel/ns_last_pid"

/* What the namespace's init reports to the test. */
struct verdict {
	int setup;		/* 0, or which setup step failed */
	int skip;		/* no writable ns_last_pid */
	long anchor, pid_max;
	long passes, misses, bad, rows, rounds;
	int final_ok;		/* a quiet pass after the churn ends with it */
	char first[400];	/* the first miss or bad pass */
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- churn ------------------------------------------------------------- */

static void *short_thread(void *arg)
{
	return arg;
}

static void *churn_thread(void *arg)
{
	volatile long *rounds = arg;
	pthread_attr_t attr;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, THREAD_STACK);
	for (;;) {
		pthread_t t;

		if (!pthread_create(&t, &attr, short_thread, NULL))
			pthread_join(t, NULL);
		__sync_fetch_and_add(rounds, 1);
	}
	return NULL;
}

/* Until killed: children reaped at once, and threads that exit at once. */
static void churn_main(volatile long *rounds)
{
	pthread_attr_t attr;
	int i;

	prctl(PR_SET_NAME, "lr-churn", 0, 0, 0);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, THREAD_STACK);
	for (i = 0; i < NCHURN_THREADS; i++) {
		pthread_t t;

		if (pthread_create(&t, &attr, churn_thread, (void *)rounds))
			_exit(1);
	}
	for (;;) {
		pid_t p = vfork();

		if (p == 0)
			_exit(0);
		if (p > 0)
			waitpid(p, NULL, 0);
		__sync_fetch_and_add(rounds, 1);
	}
}

/* ---- readers ----------------------------------------------------------- */

struct reader {
	pthread_t thread;
	size_t bufsz;
	const char *path;
	const long *alive;	/* tasks living through the whole test */
	int nalive;
	long anchor;
	volatile int *stop;
	long passes, misses, bad, rows;
	char first[320];
};

/*
 * 0: the pass holds every long-lived task and ends with the anchor;
 * 1: it ended early (the anchor or another long-lived task missing);
 * 2: it is broken otherwise. @why says how.
 */
static int judge(const struct reader *rd, const char *text, size_t len,
		 long self, long *rows, char *why, size_t whylen)
{
	struct map m;
	int i, ret = 0;

	if (map_parse(text, len, &m)) {
		snprintf(why, whylen, "parse: line %d: %s", m.errline, m.err);
		map_free(&m);
		return 2;
	}
	*rows = m.nrows;
	for (i = 1; i < m.nrows && !ret; i++)
		if (m.rows[i].pid <= m.rows[i - 1].pid) {
			snprintf(why, whylen, "pid %ld after pid %ld",
				 m.rows[i].pid, m.rows[i - 1].pid);
			ret = 2;
		}
	if (!ret && (!m.nrows || m.rows[m.nrows - 1].pid != rd->anchor)) {
		snprintf(why, whylen, "%d rows ending at pid %ld: the anchor "
			 "(pid %ld) missing", m.nrows,
			 m.nrows ? m.rows[m.nrows - 1].pid : 0, rd->anchor);
		ret = 1;
	}
	for (i = 0; i < rd->nalive && !ret; i++)
		if (!map_find(&m, rd->alive[i])) {
			snprintf(why, whylen, "%d rows ending at pid %ld: "
				 "long-lived pid %ld missing", m.nrows,
				 m.nrows ? m.rows[m.nrows - 1].pid : 0,
				 rd->alive[i]);
			ret = 1;
		}
	if (!ret && !map_find(&m, self)) {
		snprintf(why, whylen, "the reader's own tid %ld missing", self);
		ret = 1;
	}
	map_free(&m);
	return ret;
}

/* The pid of the last row of a pass (0 if none), cheaply. */
static long last_pid(const char *text, size_t len)
{
	size_t i;

	if (len < 2 || text[len - 1] != '\n')
		return 0;
	for (i = len - 1; i > 0 && text[i - 1] != '\n'; i--)
		;
	return strtol(text + i, NULL, 10);
}

/*
 * One whole pass: through one descriptor with pread() at offset 0 (a
 * fresh pass each time, SPEC §1.3; no open/close, so many passes a
 * second, where the race lives), or through a fresh descriptor read
 * @bufsz bytes at a time. Returns the text, NULL with errno on error.
 */
static char *one_pass(struct reader *rd, int fd, char *buf, size_t cap,
		      size_t *lenp)
{
	ssize_t n;

	if (fd < 0)
		return map_read_file(rd->path, rd->bufsz, lenp);
	n = pread(fd, buf, cap - 1, 0);
	if (n < 0)
		return NULL;
	if ((size_t)n == cap - 1) {
		errno = EFBIG;
		return NULL;
	}
	buf[n] = '\0';
	*lenp = n;
	return buf;
}

static void *reader_main(void *arg)
{
	struct reader *rd = arg;
	long self = syscall(SYS_gettid);
	size_t cap = 1 << 16;
	char *buf = malloc(cap);
	int fd = -1;

	if (!buf) {
		rd->bad++;
		return NULL;
	}
	if (!rd->bufsz) {
		fd = open(rd->path, O_RDONLY);
		if (fd < 0) {
			snprintf(rd->first, sizeof(rd->first), "open: %s",
				 strerror(errno));
			rd->bad++;
			free(buf);
			return NULL;
		}
	}
	while (!*rd->stop) {
		char why[256];
		size_t len;
		long rows = 0;
		char *text = one_pass(rd, fd, buf, cap, &len);
		int v, failed = !text;

		if (failed) {
			snprintf(why, sizeof(why), "read: %s", strerror(errno));
			v = 2;
		} else if (fd >= 0 && rd->passes % 64 &&
			   last_pid(text, len) == rd->anchor) {
			/* Most pread passes: the anchor ends it, quickly. */
			v = 0;
		} else {
			v = judge(rd, text, len, self, &rows, why, sizeof(why));
		}
		if (text && text != buf)
			free(text);
		rd->passes++;
		rd->rows += rows;
		if (v == 1)
			rd->misses++;
		if (v == 2)
			rd->bad++;
		if (v && !rd->first[0] && rd->bufsz)
			snprintf(rd->first, sizeof(rd->first),
				 "pass %ld, %zu-byte reads: %s", rd->passes,
				 rd->bufsz, why);
		else if (v && !rd->first[0])
			snprintf(rd->first, sizeof(rd->first),
				 "pass %ld, pread at 0: %s", rd->passes, why);
		if (failed)
			break;
	}
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

/* ---- the namespace's init ---------------------------------------------- */

static pid_t start_anchor(void)
{
	pid_t p = fork();

	if (p == 0) {
		prctl(PR_SET_NAME, "lr-anchor", 0, 0, 0);
		for (;;)
			pause();
	}
	return p;
}

static void ns_init(const char *dir, double secs, struct verdict *v)
{
	static long alive[NCHURN + 1];
	static struct reader rd[NREADERS];
	volatile long *rounds;
	volatile int stop = 0;
	char path[96];
	double t0;
	int i, nalive = 0;

	prctl(PR_SET_NAME, "lr-init", 0, 0, 0);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("proc", dir, "proc", 0, NULL)) {
		v->setup = 1;
		return;
	}
	snprintf(path, sizeof(path), "%s/nspid_map", dir);
	v->pid_max = read_long("/proc/sys/kernel/pid_max");
	if (v->pid_max < 400 || write_long(LAST_PID, v->pid_max - 2)) {
		v->skip = 1;
		return;
	}
	v->anchor = start_anchor();
	/* The churn below it, from the bottom up. */
	if (write_long(LAST_PID, 10)) {
		v->setup = 2;
		return;
	}
	if (v->anchor != v->pid_max - 1) {
		v->setup = 3;
		return;
	}
	rounds = mmap(NULL, sizeof(long), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (rounds == MAP_FAILED) {
		v->setup = 4;
		return;
	}
	*rounds = 0;
	alive[nalive++] = 1;
	for (i = 0; i < NCHURN; i++) {
		pid_t p = fork();

		if (p == 0)
			churn_main(rounds);
		if (p < 0) {
			v->setup = 5;
			return;
		}
		alive[nalive++] = p;
	}
	for (i = 0; i < NREADERS; i++) {
		/* pread passes on one descriptor; 256-byte reads */
		rd[i].bufsz = i ? 256 : 0;
		rd[i].path = path;
		rd[i].alive = alive;
		rd[i].nalive = nalive;
		rd[i].anchor = v->anchor;
		rd[i].stop = &stop;
		if (pthread_create(&rd[i].thread, NULL, reader_main, &rd[i])) {
			v->setup = 6;
			return;
		}
	}
	t0 = now();
	while (now() - t0 < secs)
		usleep(100000);
	stop = 1;
	for (i = 0; i < NREADERS; i++) {
		pthread_join(rd[i].thread, NULL);
		v->passes += rd[i].passes;
		v->misses += rd[i].misses;
		v->bad += rd[i].bad;
		v->rows += rd[i].rows;
		if (!v->first[0] && rd[i].first[0])
			snprintf(v->first, sizeof(v->first), "reader %d: %s",
				 i, rd[i].first);
	}
	v->rounds = *rounds;
	for (i = 1; i < nalive; i++)
		kill(alive[i], SIGKILL);
	for (i = 1; i < nalive; i++)
		waitpid(alive[i], NULL, 0);
	/* Quiet now: the anchor is there to be found. */
	{
		struct reader q = { .path = path, .anchor = v->anchor,
				    .alive = alive, .nalive = 1 };
		char why[256];
		size_t len;
		long rows;
		char *text = map_read_file(path, 65536, &len);

		v->final_ok = text && !judge(&q, text, len,
					     syscall(SYS_gettid), &rows, why,
					     sizeof(why));
		free(text);
	}
	kill(v->anchor, SIGKILL);
	waitpid(v->anchor, NULL, 0);
}

FIXTURE(lastrow) {
	char dir[64];
};

FIXTURE_SETUP(lastrow)
{
	strcpy(self->dir, "/tmp/nspid-lastrow.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
}

FIXTURE_TEARDOWN(lastrow)
{
	rmdir(self->dir);
}

TEST_F_TIMEOUT(lastrow, passes_end_with_the_anchor, 900)
{
	const char *env = getenv("NSPID_LASTROW_SECS");
	double secs = env && *env ? atof(env) : 10;
	struct verdict *v;
	int st;
	pid_t p;

	v = mmap(NULL, sizeof(*v), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, v);
	memset(v, 0, sizeof(*v));
	p = syscall(SYS_clone, CLONE_NEWPID | CLONE_NEWNS | SIGCHLD,
		    NULL, NULL, NULL, NULL);
	ASSERT_LE(0, p) TH_LOG("clone(CLONE_NEWPID|CLONE_NEWNS): %s",
			       strerror(errno));
	if (p == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		ns_init(self->dir, secs, v);
		_exit(0);
	}
	ASSERT_EQ(p, waitpid(p, &st, 0));
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0)
		TH_LOG("namespace init status 0x%x", st);
	if (v->skip)
		SKIP(return, "no writable %s (Linux 3.3+ with "
		     "CONFIG_CHECKPOINT_RESTORE): no pid above the churn",
		     LAST_PID);
	ASSERT_EQ(0, v->setup) TH_LOG("setup step %d failed (anchor pid %ld, "
				      "pid_max %ld)", v->setup, v->anchor,
				      v->pid_max);
	TH_LOG("%.0f s: %ld passes (%ld rows), %ld ended early, %ld broken; "
	       "%ld tasks churned below the anchor (pid %ld)", secs, v->passes,
	       v->rows, v->misses, v->bad, v->rounds, v->anchor);
	if (v->first[0])
		TH_LOG("first: %s", v->first);
	/* Not vacuous: passes were read, churn ran, the anchor is findable. */
	EXPECT_LT(0, v->passes);
	EXPECT_LT(0, v->rounds);
	EXPECT_TRUE(v->final_ok) TH_LOG("a quiet pass did not end with the anchor");
	EXPECT_EQ(0, v->misses);
	EXPECT_EQ(0, v->bad);
}

TEST_HARNESS_MAIN
