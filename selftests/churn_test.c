// SPDX-License-Identifier: GPL-2.0
/*
 * Reading while tasks come and go (SPEC §1.3): fork/exit and thread
 * create/exit churn in the root pid namespace, in a nested one and in one
 * nested two deep (with short-lived namespaces born and dying too), while
 * readers read whole passes with several buffer sizes. Every pass must be
 * well-formed, strictly ascending, and list each long-lived task, created
 * before the churn, exactly once and with the right ids.
 *
 * The long-lived tasks tell the test who they are over a unix socket with
 * SCM_CREDENTIALS: the kernel translates the sender's thread id into the
 * receiver's namespace, so the test knows each task's pid in its own view
 * and in the task's namespace without NSpid (absent before 4.1). Namespaces
 * come from clone(CLONE_NEWPID), which every supported kernel has. Before
 * 2.6.36 the kernel does not translate (oracle.h); there each long-lived
 * task's unique name ("ch<group>.<tid>") finds its tid in the test's /proc.
 * Before 3.8 namespaces have no inodes: pidns and nschain must be all 0.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "map.h"
#include "oracle.h"

#define THREAD_STACK	(64 * 1024)

/* What a long-lived task says about itself. */
struct report {
	int nstid, nstgid;	/* in its own namespace */
	int level;		/* below the test's namespace */
	int group;		/* which process it belongs to */
};

struct member {
	struct report r;
	int tid;		/* in the test's namespace (from the kernel) */
	int tgid;		/* ditto, the tid of its group's leader */
};

/* Groups: 1, 2 root; 3 nested init; 4 a process beside it; 5 two deep. */
static const int group_size[6] = { 0, 3, 3, 1, 3, 2 };
#define MEMBERS	12

static int rep_fd = -1;		/* sending end, inherited by every task */

static pid_t raw_clone_newpid(void)
{
	/* Like fork(), in a new pid namespace; the child runs on a copy. */
	return syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0);
}

/* The unique name a long-lived task gives itself. */
static void member_name(char *buf, size_t len, int group, int nstid)
{
	snprintf(buf, len, "ch%d.%d", group, nstid);
}

static void report(int level, int group)
{
	struct report r = {
		.nstid = syscall(SYS_gettid), .nstgid = getpid(),
		.level = level, .group = group,
	};
	char name[16];
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(struct ucred))];
	} c;
	struct iovec iov = { &r, sizeof(r) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = c.buf, .msg_controllen = sizeof(c.buf),
	};
	struct ucred uc = { .pid = r.nstid, .uid = getuid(), .gid = getgid() };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	member_name(name, sizeof(name), group, r.nstid);
	if (prctl(PR_SET_NAME, name, 0, 0, 0))
		_exit(89);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_CREDENTIALS;
	cm->cmsg_len = CMSG_LEN(sizeof(uc));
	memcpy(CMSG_DATA(cm), &uc, sizeof(uc));
	if (sendmsg(rep_fd, &msg, 0) != sizeof(r))
		_exit(90);
}

struct park_arg {
	int level, group;
};

static void *parked_thread(void *arg)
{
	struct park_arg *p = arg;

	report(p->level, p->group);
	for (;;)
		pause();
	return NULL;
}

/* Report the calling thread, start @threads more that report, return. */
static void report_group(int level, int group, int threads)
{
	static struct park_arg args[8];
	pthread_attr_t attr;
	int i;

	report(level, group);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, THREAD_STACK);
	for (i = 0; i < threads; i++) {
		pthread_t t;

		args[i].level = level;
		args[i].group = group;
		if (pthread_create(&t, &attr, parked_thread, &args[i]))
			_exit(91);
	}
}

/*
 * Churned tasks take another name at once: a member that churns (group 5)
 * would otherwise lend its unique name to them (found by name, before
 * 2.6.36).
 */
static void *exiting_thread(void *arg)
{
	prctl(PR_SET_NAME, "churn-thread", 0, 0, 0);
	return arg;
}

/* Churn until killed: fork/exit, thread create/exit, and every tenth
 * round a pid namespace that lives a moment (when @nsclone). */
static void churn_forever(int nsclone)
{
	pthread_attr_t attr;
	unsigned long round;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, THREAD_STACK);
	for (round = 0;; round++) {
		pthread_t t;
		pid_t pid;

		pid = (nsclone && round % 10 == 0) ? raw_clone_newpid() : fork();
		if (pid == 0) {
			prctl(PR_SET_NAME, "churn-child", 0, 0, 0);
			_exit(0);
		}
		if (pid > 0)
			waitpid(pid, NULL, 0);
		if (!pthread_create(&t, &attr, exiting_thread, NULL))
			pthread_join(t, NULL);
	}
}

static void park_forever(void)
{
	for (;;)
		pause();
}

/*
 * The nested namespace, run by its init (group 3, level 1): a process
 * with two threads (group 4), a churner, and a namespace two deep whose
 * init (group 5) has one thread and churns itself. The init reaps.
 */
static void nested_init(void)
{
	pid_t pid;

	report(1, 3);
	pid = fork();
	if (pid == 0) {
		report_group(1, 4, 2);
		park_forever();
	}
	pid = fork();
	if (pid == 0) {
		/* not a member: leave the init's name to the init */
		prctl(PR_SET_NAME, "churner", 0, 0, 0);
		churn_forever(1);
	}
	pid = raw_clone_newpid();
	if (pid == 0) {
		prctl(PR_SET_NAME, "churn-l2-init", 0, 0, 0);
		/* A fresh process image: fork so libc state is its own. */
		pid = fork();
		if (pid == 0) {
			/* Not the init of level 2: report as pid 2 there. */
			report_group(2, 5, 1);
			churn_forever(0);
		}
		for (;;)
			if (wait(NULL) < 0 && errno == ECHILD)
				pause();
	}
	for (;;)
		if (wait(NULL) < 0 && errno == ECHILD)
			pause();
}

/* Receive one report and the sender's tid in our namespace. */
static int receive(int fd, struct member *m)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(struct ucred))];
	} c;
	struct iovec iov = { &m->r, sizeof(m->r) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = c.buf, .msg_controllen = sizeof(c.buf),
	};
	struct cmsghdr *cm;
	struct ucred uc;

	if (recvmsg(fd, &msg, 0) != sizeof(m->r))
		return -1;
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_CREDENTIALS)
		return -1;
	memcpy(&uc, CMSG_DATA(cm), sizeof(uc));
	m->tid = uc.pid;
	return 0;
}

struct reader {
	pthread_t thread;
	size_t bufsz;
	volatile int *stop;
	const struct member *members;
	long self_pid;
	int no_inodes;		/* kernel before 3.8: pidns/nschain all 0 */
	long passes, rows;
	char bad[300];
};

/* NULL when the pass keeps every rule, else what it broke. */
static const char *check_pass(struct reader *rd, const char *text, size_t len)
{
	static __thread char why[300];
	const struct map_row *self, *nsinit = NULL;
	struct map m;
	int i;

	if (map_parse(text, len, &m)) {
		snprintf(why, sizeof(why), "parse: %s", m.err);
		map_free(&m);
		return why;
	}
	why[0] = '\0';
	if (strcmp(m.header, MAP_HEADER))
		snprintf(why, sizeof(why), "header \"%s\"", m.header);
	for (i = 0; i < m.nrows && !why[0]; i++) {
		const struct map_row *r = &m.rows[i];
		const char *bad = map_row_check(r);

		if (!bad && i && r->pid <= m.rows[i - 1].pid)
			bad = "pid not above the previous row's";
		if (bad)
			snprintf(why, sizeof(why), "line %d (pid %ld): %s",
				 r->line, r->pid, bad);
	}
	self = map_find(&m, rd->self_pid);
	if (!why[0] && !self)
		snprintf(why, sizeof(why), "the test's own pid %ld missing",
			 rd->self_pid);
	for (i = 0; i < MEMBERS && !why[0]; i++) {
		const struct member *e = &rd->members[i];
		const struct map_row *r = map_find(&m, e->tid);

		if (!r) {
			snprintf(why, sizeof(why), "long-lived tid %d (group %d) missing",
				 e->tid, e->r.group);
			break;
		}
		if (r->tgid != e->tgid || r->nspid != e->r.nstid ||
		    r->nstgid != e->r.nstgid || r->level != e->r.level) {
			snprintf(why, sizeof(why),
				 "tid %d: tgid/nspid/nstgid/level %ld/%ld/%ld/%d, want %d/%d/%d/%d",
				 e->tid, r->tgid, r->nspid, r->nstgid, r->level,
				 e->tgid, e->r.nstid, e->r.nstgid, e->r.level);
			break;
		}
		if (e->r.group == 3)
			nsinit = r;
	}
	/* Before 3.8 (no namespace inodes) every one is 0. */
	for (i = 0; i < m.nrows && !why[0] && rd->no_inodes; i++) {
		const struct map_row *r = &m.rows[i];
		int j;

		for (j = 0; j < r->nnschain && !r->nschain[j]; j++)
			;
		if (r->pidns || j < r->nnschain)
			snprintf(why, sizeof(why), "line %d: a namespace inode "
				 "on a kernel without them", r->line);
	}
	/* Namespaces: level 0 is ours, 1 the nested init's, 2 below it. */
	for (i = 0; i < MEMBERS && !why[0] && nsinit && !rd->no_inodes; i++) {
		const struct member *e = &rd->members[i];
		const struct map_row *r = map_find(&m, e->tid);
		int ok = r->nschain[0] == self->pidns;

		if (e->r.level == 0)
			ok = ok && r->pidns == self->pidns;
		else
			ok = ok && r->nschain[1] == nsinit->pidns &&
			     nsinit->pidns != self->pidns;
		if (e->r.level == 2)
			ok = ok && r->pidns != nsinit->pidns;
		if (!ok)
			snprintf(why, sizeof(why), "tid %d: wrong namespace in nschain",
				 e->tid);
	}
	rd->rows += m.nrows;
	map_free(&m);
	return why[0] ? why : NULL;
}

static void *reader_main(void *arg)
{
	struct reader *rd = arg;

	while (!*rd->stop && !rd->bad[0]) {
		size_t len;
		char *text = map_read_file(MAP_PATH, rd->bufsz, &len);
		const char *why;

		if (!text) {
			snprintf(rd->bad, sizeof(rd->bad), "read: %s",
				 strerror(errno));
			break;
		}
		why = check_pass(rd, text, len);
		if (why)
			snprintf(rd->bad, sizeof(rd->bad), "pass %ld, %zu-byte reads: %s",
				 rd->passes + 1, rd->bufsz, why);
		rd->passes++;
		free(text);
	}
	return NULL;
}

struct churner {
	pthread_t thread;
	int threads;		/* thread churn, else fork churn */
	volatile int *stop;
	long rounds;
};

static void *churner_main(void *arg)
{
	struct churner *c = arg;
	pthread_attr_t attr;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, THREAD_STACK);
	while (!*c->stop) {
		if (c->threads) {
			pthread_t t;

			if (!pthread_create(&t, &attr, exiting_thread, NULL))
				pthread_join(t, NULL);
		} else {
			pid_t pid = fork();

			if (pid == 0)
				_exit(0);
			if (pid > 0)
				waitpid(pid, NULL, 0);
		}
		c->rounds++;
	}
	return NULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

FIXTURE(churn) {
	pid_t procs[3];
	int nprocs;
	struct member members[MEMBERS];
	int no_inodes;
};

FIXTURE_SETUP(churn)
{
	int sv[2], one = 1, i, g, count[6] = { 0 }, xlate;
	pid_t pid;

	xlate = scm_translates_pids();
	ASSERT_LE(0, xlate) TH_LOG("SCM_CREDENTIALS probe failed");
	/* /proc/PID/ns/pid and namespace inodes are 3.8 (commit 57e8391d327) */
	self->no_inodes = access("/proc/self/ns/pid", F_OK) && !kernel_at_least(3, 8);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	ASSERT_EQ(0, setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)));
	rep_fd = sv[1];

	for (g = 1; g <= 2; g++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			report_group(0, g, 2);
			park_forever();
		}
		self->procs[self->nprocs++] = pid;
	}
	pid = raw_clone_newpid();
	ASSERT_LE(0, pid) TH_LOG("clone(CLONE_NEWPID): %s", strerror(errno));
	if (pid == 0) {
		/* Its death takes the whole namespace with it. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		nested_init();
	}
	self->procs[self->nprocs++] = pid;

	for (i = 0; i < MEMBERS; i++) {
		struct member *m = &self->members[i];

		ASSERT_EQ(0, receive(sv[0], m));
		ASSERT_TRUE(m->r.group >= 1 && m->r.group <= 5);
		count[m->r.group]++;
	}
	/*
	 * Untranslated: look the names up once all have reported (a child
	 * or thread carries its creator's name until it renames itself).
	 */
	for (i = 0; i < MEMBERS && !xlate; i++) {
		struct member *m = &self->members[i];
		char name[16];
		int try;

		member_name(name, sizeof(name), m->r.group, m->r.nstid);
		/* a churned child may hold the name for an instant */
		for (try = 0; try < 1000; try++) {
			m->tid = proc_tid_by_comm("/proc", name);
			if (m->tid != -1)
				break;
			usleep(1000);
		}
	}
	for (i = 0; i < MEMBERS; i++)
		ASSERT_LT(0, self->members[i].tid);
	for (g = 1; g <= 5; g++)
		ASSERT_EQ(group_size[g], count[g]);
	/* Each thread's tgid is its group leader's tid. */
	for (i = 0; i < MEMBERS; i++) {
		struct member *m = &self->members[i];
		int j;

		m->tgid = 0;
		for (j = 0; j < MEMBERS; j++)
			if (self->members[j].r.group == m->r.group &&
			    self->members[j].r.nstid == self->members[j].r.nstgid)
				m->tgid = self->members[j].tid;
		ASSERT_NE(0, m->tgid);
	}
	/* Sanity of what the kernel told us, where we know it ourselves. */
	for (i = 0; i < MEMBERS; i++) {
		if (self->members[i].r.group == 3) {
			EXPECT_EQ(pid, self->members[i].tid);
			EXPECT_EQ(1, self->members[i].r.nstid);
		}
		if (self->members[i].r.group == 5 &&
		    self->members[i].r.nstid == self->members[i].r.nstgid)
			EXPECT_EQ(2, self->members[i].r.nstid);
	}
	close(sv[0]);
	close(sv[1]);
}

FIXTURE_TEARDOWN(churn)
{
	int i;

	for (i = 0; i < self->nprocs; i++)
		kill(self->procs[i], SIGKILL);
	for (i = 0; i < self->nprocs; i++)
		waitpid(self->procs[i], NULL, 0);
}

TEST_F_TIMEOUT(churn, passes_stay_whole_under_churn, 300)
{
	struct reader rd[4] = {
		{ .bufsz = 1 << 20 }, { .bufsz = 4096 }, { .bufsz = 100 },
		{ .bufsz = 1 },
	};
	struct churner ch[3] = { { .threads = 0 }, { .threads = 1 },
				 { .threads = 0 } };
	const char *env = getenv("NSPID_CHURN_SECS");
	double secs = env ? atof(env) : 6, t0;
	volatile int stop = 0, stop_churn = 0;
	long passes = 0, rows = 0, rounds = 0;
	int i;

	for (i = 0; i < 3; i++) {
		ch[i].stop = &stop_churn;
		ASSERT_EQ(0, pthread_create(&ch[i].thread, NULL, churner_main, &ch[i]));
	}
	for (i = 0; i < 4; i++) {
		rd[i].stop = &stop;
		rd[i].members = self->members;
		rd[i].self_pid = getpid();
		rd[i].no_inodes = self->no_inodes;
		ASSERT_EQ(0, pthread_create(&rd[i].thread, NULL, reader_main, &rd[i]));
	}
	t0 = now();
	while (now() - t0 < secs)
		usleep(100000);
	stop = 1;
	for (i = 0; i < 4; i++)
		pthread_join(rd[i].thread, NULL);
	stop_churn = 1;
	for (i = 0; i < 3; i++) {
		pthread_join(ch[i].thread, NULL);
		rounds += ch[i].rounds;
	}
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(0, rd[i].bad[0]) TH_LOG("reader %d: %s", i, rd[i].bad);
		EXPECT_LT(0, rd[i].passes) TH_LOG("reader %d read no pass", i);
		passes += rd[i].passes;
		rows += rd[i].rows;
	}
	TH_LOG("%.1f s: %ld passes (%ld rows) checked, %ld root-namespace churn rounds",
	       now() - t0, passes, rows, rounds);
	EXPECT_LT(0, rounds);
}

TEST_HARNESS_MAIN
