// SPDX-License-Identifier: GPL-2.0
/*
 * One pass over many tasks (SPEC §1.3): at least 20,000 threads
 * (NSPID_SCALE_THREADS overrides) in a few processes, all parked, then one
 * full pass must list every one of them exactly once, in ascending order.
 * The pass times are printed. That the pass caused no RCU stall and no
 * soft lockup is the VM runner's kernel log scan (selftests/vm/run.sh).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "sysctl.h"
#include "map.h"

#define PROCS		4
#define STACK		(16 * 1024)

struct shared {
	int ready;		/* threads that stored their tid */
	int errors;		/* pthread_create failures */
	int tids[];		/* [proc * per + i] */
};

struct slot {
	struct shared *sh;
	int idx;
};

static void *parked(void *arg)
{
	struct slot *s = arg;

	s->sh->tids[s->idx] = syscall(SYS_gettid);
	__atomic_add_fetch(&s->sh->ready, 1, __ATOMIC_SEQ_CST);
	for (;;)
		pause();
	return NULL;
}

/* A process that starts @n parked threads and parks itself; never returns. */
static void worker(struct shared *sh, int base, int n)
{
	struct slot *slots = calloc(n, sizeof(*slots));
	pthread_attr_t attr;
	int i;

	if (!slots || pthread_attr_init(&attr) ||
	    pthread_attr_setstacksize(&attr, STACK)) {
		__atomic_add_fetch(&sh->errors, 1, __ATOMIC_SEQ_CST);
		_exit(1);
	}
	for (i = 0; i < n; i++) {
		pthread_t t;

		slots[i].sh = sh;
		slots[i].idx = base + i;
		if (pthread_create(&t, &attr, parked, &slots[i])) {
			__atomic_add_fetch(&sh->errors, 1, __ATOMIC_SEQ_CST);
			break;
		}
	}
	for (;;)
		pause();
}

/* The harness ends a test with _exit(): flush every line. */
#define say(...) do { printf(__VA_ARGS__); fflush(stdout); } while (0)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

FIXTURE(many) {
	struct shared *sh;
	size_t shsize;
	pid_t procs[PROCS];
	int nprocs, total;
	long old_threads_max, old_pid_max;
};

FIXTURE_SETUP(many)
{
	const char *env = getenv("NSPID_SCALE_THREADS");

	self->total = env ? atoi(env) : 20000;
	ASSERT_LE(PROCS, self->total);
	self->shsize = sizeof(struct shared) + self->total * sizeof(int);
	self->sh = mmap(NULL, self->shsize, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->sh);

	/* The kernel's limits scale with guest memory; lift them for now. */
	self->old_threads_max = read_long("/proc/sys/kernel/threads-max");
	self->old_pid_max = read_long("/proc/sys/kernel/pid_max");
	if (self->old_threads_max < self->total + 10000) {
		long now;

		ASSERT_EQ(0, write_long("/proc/sys/kernel/threads-max",
					self->total + 10000));
		/*
		 * 4.19's set_max_threads() keeps the value under its memory
		 * bound (totalram / (8 * THREAD_SIZE)) whatever is written:
		 * 15,955 threads in a 2 GiB guest (5.10 takes the value).
		 */
		now = read_long("/proc/sys/kernel/threads-max");
		ASSERT_LE(self->total + 500, now)
			TH_LOG("threads-max is %ld after writing %d: this kernel "
			       "caps it by memory; give the VM more (--mem)",
			       now, self->total + 10000);
	}
	if (self->old_pid_max < 2 * self->total + 10000)
		ASSERT_EQ(0, write_long("/proc/sys/kernel/pid_max",
					2 * self->total + 10000));
}

FIXTURE_TEARDOWN(many)
{
	int i;

	for (i = 0; i < self->nprocs; i++)
		kill(self->procs[i], SIGKILL);
	for (i = 0; i < self->nprocs; i++)
		waitpid(self->procs[i], NULL, 0);
	if (self->old_threads_max > 0)
		write_long("/proc/sys/kernel/threads-max", self->old_threads_max);
	if (self->old_pid_max > 0)
		write_long("/proc/sys/kernel/pid_max", self->old_pid_max);
	munmap(self->sh, self->shsize);
}

/* Read one whole pass with @bufsz-byte reads, timed. */
static char *timed_pass(size_t bufsz, size_t *len, double *secs)
{
	double t0 = now();
	char *text = map_read_file(MAP_PATH, bufsz, len);

	*secs = now() - t0;
	return text;
}

/*
 * Every parked tid exactly once, with its process as tgid; pids strictly
 * ascending; every row well-formed. Returns the number of problems.
 */
static int check_pass(struct __test_metadata *_metadata, FIXTURE_DATA(many) *self,
		      const char *text, size_t len)
{
	long pid_max = read_long("/proc/sys/kernel/pid_max");
	unsigned char *seen = calloc(pid_max + 1, 1);
	int *owner = calloc(pid_max + 1, sizeof(int));
	int i, per = self->total / PROCS, problems = 0;
	struct map m;

	if (!seen || !owner) {
		free(seen);
		free(owner);
		return 1;
	}
	if (map_parse(text, len, &m)) {
		TH_LOG("parse: %s", m.err);
		free(seen);
		free(owner);
		return 1;
	}
	EXPECT_STREQ(MAP_HEADER, m.header);
	EXPECT_LE(self->total, m.nrows);
	for (i = 0; i < m.nrows; i++) {
		const struct map_row *r = &m.rows[i];
		const char *why = map_row_check(r);

		if (why || (i && r->pid <= m.rows[i - 1].pid) ||
		    r->pid > pid_max) {
			if (problems++ < 10)
				TH_LOG("line %d (pid %ld): %s", r->line, r->pid,
				       why ? why : "not ascending or > pid_max");
			continue;
		}
		if (seen[r->pid] < 255)
			seen[r->pid]++;
		owner[r->pid] = r->tgid;
	}
	for (i = 0; i < self->total; i++) {
		int tid = self->sh->tids[i];
		pid_t proc = self->procs[i / per < PROCS ? i / per : PROCS - 1];

		if (tid <= 0 || tid > pid_max || seen[tid] != 1 ||
		    owner[tid] != proc) {
			if (problems++ < 10)
				TH_LOG("thread %d (tid %d of process %d): seen %d times, tgid %d",
				       i, tid, proc, tid > 0 && tid <= pid_max ? seen[tid] : -1,
				       tid > 0 && tid <= pid_max ? owner[tid] : -1);
		}
	}
	map_free(&m);
	free(seen);
	free(owner);
	return problems;
}

TEST_F_TIMEOUT(many, one_pass_lists_every_thread, 900)
{
	int per = self->total / PROCS, i, last = -1;
	double t0 = now(), deadline = t0 + 600, secs;
	size_t len;
	char *text;

	for (i = 0; i < PROCS; i++) {
		int n = i == PROCS - 1 ? self->total - per * i : per;
		pid_t pid = fork();

		ASSERT_LE(0, pid);
		if (pid == 0)
			worker(self->sh, per * i, n);
		self->procs[self->nprocs++] = pid;
	}
	while (__atomic_load_n(&self->sh->ready, __ATOMIC_SEQ_CST) < self->total &&
	       !self->sh->errors && now() < deadline) {
		int r = self->sh->ready;

		if (r / 5000 != last / 5000)
			say("# scale: %d threads up after %.1f s\n", r, now() - t0);
		last = r;
		usleep(20000);
	}
	ASSERT_EQ(0, self->sh->errors)
		TH_LOG("pthread_create failed after %d threads", self->sh->ready);
	ASSERT_EQ(self->total, self->sh->ready);
	say("# scale: %d threads in %d processes started in %.1f s\n",
	       self->total, PROCS, now() - t0);

	text = timed_pass(1 << 20, &len, &secs);
	ASSERT_NE(NULL, text);
	say("# scale: one pass, 1 MiB reads: %zu bytes in %.3f s\n", len, secs);
	EXPECT_EQ(0, check_pass(_metadata, self, text, len));
	free(text);

	text = timed_pass(4096, &len, &secs);
	ASSERT_NE(NULL, text);
	say("# scale: one pass, 4 KiB reads: %zu bytes in %.3f s\n", len, secs);
	EXPECT_EQ(0, check_pass(_metadata, self, text, len));
	free(text);
}

TEST_HARNESS_MAIN
