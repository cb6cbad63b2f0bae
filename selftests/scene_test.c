// SPDX-License-Identifier: GPL-2.0
/*
 * scene_test - /proc/nspid_map against what the kernel and the test know
 * (SPEC §1.1).
 *
 * The fixture builds a scene: PID namespaces nested three deep, made with
 * clone(CLONE_NEWPID) (root -> L1 -> L2 -> L3), a three-thread init and a
 * three-thread worker at each nested level, a three-thread worker in the
 * root namespace, and a zombie at L2. Every thread names itself with TAB,
 * newline, backslash, space, 0x7f and a non-ASCII byte.
 *
 * What the test knows by itself, so that it works without NSpid: every task
 * reports getpid()/gettid()/getppid() from inside its namespace over a pipe,
 * the parents report what clone()/fork() returned, and every task sends its
 * tid with SCM_CREDENTIALS to a receiver at each namespace level above it;
 * the kernel translates it into the receiver's namespace, which yields the
 * whole chain. Kernels before 2.6.36 do not translate (oracle.h): there the
 * init of each level mounts a procfs instance of its namespace, and a
 * task's id at a level is the one that procfs gives the task's unique name;
 * either way the ids must agree with what clone()/fork() returned. The
 * kernel's own view (NSpid/NStgid/PPid in /proc/PID/task/TID/status, the
 * ns/pid link, NS_GET_PARENT) is the oracle for every other row of the
 * file.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "map.h"
#include "oracle.h"

#ifndef CLONE_NEWPID
#define CLONE_NEWPID	0x20000000
#endif
#define NS_GET_PARENT	_IO(0xb7, 0x2)

/* The scene: roles, their level, parent role (-1: the test) and threads. */
enum { W0, I1, W1, I2, W2, I3, W3, Z, NROLES };
#define NTHREADS	3
#define DEPTH		3
static const char *const role_name[NROLES] = {
	"W0", "I1", "W1", "I2", "W2", "I3", "W3", "Z",
};
static const int role_level[NROLES] = { 0, 1, 1, 2, 2, 3, 3, 2 };
static const int role_parent[NROLES] = { -1, -1, I1, I1, I2, I2, I3, I2 };
static const int role_nthreads[NROLES] = { 3, 3, 3, 3, 3, 3, 3, 1 };
/* The init of level k, and its worker. */
static const int level_init[DEPTH + 1] = { -1, I1, I2, I3 };
static const int level_worker[DEPTH + 1] = { W0, W1, W2, W3 };

enum { R_TASK = 1, R_XLATE, R_CLONE, R_NS, R_ZOMBIE };

/* One message on the report pipe; smaller than PIPE_BUF, so atomic. */
struct report {
	int kind, role, thread, level;
	long tid, tgid, ppid;		/* R_TASK: as seen inside; R_XLATE/R_CLONE: tid */
	unsigned long long ino;		/* R_NS */
	char comm[MAP_COMM_LEN];	/* R_TASK: read back with PR_GET_NAME */
};

/* Body of an SCM_CREDENTIALS message. */
struct hello {
	int role, thread;
};

/* What the children inherit. */
struct ctx {
	int report_w;
	int release_r, release_w;
	int cred_w[DEPTH];	/* send end of the receiver at level j */
	int cred_r[DEPTH];	/* receive end (used by the level's owner) */
	char procdir[64];	/* no SCM translation: inits mount procfs here */
};

struct known {
	int seen;
	long nspid, nstgid, nsppid;
	char comm[MAP_COMM_LEN];
	long ids[MAX_LEVEL];	/* pid at level j; 0 = not known */
};

/* The name thread @t of role @r gives itself (may exceed 15 bytes). */
static void scene_name(int r, int t, char *buf, size_t len)
{
	static const char *const fmt[NTHREADS] = {
		"\t%c%d sp ace\\",
		"n\n%c%d\x7f\x01 x",
		"\\\\\t\n\x7f%c%d\xc3\xa9 truncated here",
	};

	if (r == Z)
		snprintf(buf, len, "zo\tmb\\ie\n\x7f%d", t);
	else
		snprintf(buf, len, fmt[t], 'A' + r, t);
}

/* SPEC §1.1 escaping, written independently of map.h's parser. */
static void escape_comm(const char *in, char *out)
{
	for (; *in; in++) {
		unsigned char c = *in;

		if (c < 0x20 || c == 0x7f || c == '\\')
			out += sprintf(out, "\\%03o", c);
		else
			*out++ = c;
	}
	*out = '\0';
}

static long sys_gettid(void)
{
	return syscall(SYS_gettid);
}

/*
 * fork() semantics in a new PID namespace. Raw clone keeps musl's cached
 * thread id stale in the child, so children use sys_gettid() only.
 */
static pid_t clone_newpid(void)
{
	return syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, NULL, NULL, NULL, NULL);
}

static unsigned long long ns_ino_of(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : (unsigned long long)st.st_ino;
}

/* ---- the children ---------------------------------------------------- */

static struct ctx cx;

static void report(const struct report *rp)
{
	if (write(cx.report_w, rp, sizeof(*rp)) != sizeof(*rp))
		_exit(90);
}

static void send_cred(int fd, const struct hello *h, long tid)
{
	struct ucred cred = { .pid = tid, .uid = getuid(), .gid = getgid() };
	char cbuf[CMSG_SPACE(sizeof(cred))];
	struct iovec iov = { .iov_base = (void *)h, .iov_len = sizeof(*h) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;

	memset(cbuf, 0, sizeof(cbuf));
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_CREDENTIALS;
	cm->cmsg_len = CMSG_LEN(sizeof(cred));
	memcpy(CMSG_DATA(cm), &cred, sizeof(cred));
	if (sendmsg(fd, &msg, 0) != sizeof(*h))
		_exit(91);
}

/* Receive one hello; returns the sender's tid as this process sees it. */
static long recv_cred(int fd, struct hello *h)
{
	char cbuf[CMSG_SPACE(sizeof(struct ucred))];
	struct iovec iov = { .iov_base = h, .iov_len = sizeof(*h) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	struct ucred cred;

	if (recvmsg(fd, &msg, 0) != sizeof(*h))
		return -1;
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_CREDENTIALS)
		return -1;
	memcpy(&cred, CMSG_DATA(cm), sizeof(cred));
	return cred.pid;
}

/* Name the calling thread, tell the test who it is, greet every level. */
static void announce(int role, int t)
{
	struct report rp = { .kind = R_TASK, .role = role, .thread = t };
	struct hello h = { .role = role, .thread = t };
	char name[64];
	int j;

	scene_name(role, t, name, sizeof(name));
	if (prctl(PR_SET_NAME, name, 0, 0, 0) ||
	    prctl(PR_GET_NAME, rp.comm, 0, 0, 0))
		_exit(92);
	rp.level = role_level[role];
	rp.tid = sys_gettid();
	rp.tgid = getpid();
	rp.ppid = getppid();
	report(&rp);
	for (j = 0; j < role_level[role]; j++)
		send_cred(cx.cred_w[j], &h, rp.tid);
}

static void wait_release(void)
{
	char c;

	while (read(cx.release_r, &c, 1) < 0 && errno == EINTR)
		;
}

struct thread_arg {
	int role, thread;
};

static void *thread_main(void *p)
{
	struct thread_arg *a = p;

	announce(a->role, a->thread);
	wait_release();
	return NULL;
}

static void report_clone(int role, pid_t pid)
{
	struct report rp = { .kind = R_CLONE, .role = role, .tid = pid };

	if (pid < 0)
		_exit(93);
	report(&rp);
}

static int make_receiver(int level)
{
	int sv[2], one = 1;
	struct timeval tv = { .tv_sec = 60 };

	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) ||
	    setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) ||
	    setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		return -1;
	cx.cred_r[level] = sv[0];
	cx.cred_w[level] = sv[1];
	return 0;
}

/* Tasks below level @j: those that greet the receiver of level j. */
static int greeters_below(int j)
{
	int r, n = 0;

	for (r = 0; r < NROLES; r++)
		if (role_level[r] > j)
			n += role_nthreads[r];
	return n;
}

static void run_role(int role) __attribute__((noreturn));

static pid_t spawn(int role, int newpid)
{
	pid_t pid = newpid ? clone_newpid() : fork();

	if (pid == 0) {
		/* -1 after closing: a grandchild must not close a reused number. */
		close(cx.release_w);
		cx.release_w = -1;
		run_role(role);
	}
	report_clone(role, pid);
	return pid;
}

static void run_role(int role)
{
	int level = role_level[role];
	int is_init = level_init[level] == role;
	struct thread_arg args[NTHREADS];
	pthread_t th[NTHREADS];
	int t;

	if (role == Z) {
		announce(Z, 0);
		_exit(0);
	}
	if (is_init) {
		struct report rp = { .kind = R_NS, .level = level };
		char dir[96];

		if (cx.procdir[0]) {
			snprintf(dir, sizeof(dir), "%s/L%d", cx.procdir, level);
			if (mount("proc", dir, "proc", 0, NULL))
				_exit(98);
		}
		rp.ino = ns_ino_of("/proc/self/ns/pid");
		report(&rp);
		if (level < DEPTH) {
			if (make_receiver(level))
				_exit(94);
			spawn(level_init[level + 1], 1);
		}
		spawn(level_worker[level], 0);
	}
	if (role == I2) {
		pid_t z = spawn(Z, 0);
		siginfo_t si;
		struct report rp = { .kind = R_ZOMBIE, .role = Z, .tid = z };

		/* Wait for it to die, but leave it unreaped. */
		if (waitid(P_PID, z, &si, WEXITED | WNOWAIT))
			_exit(95);
		report(&rp);
	}
	for (t = 1; t < role_nthreads[role]; t++) {
		args[t].role = role;
		args[t].thread = t;
		if (pthread_create(&th[t], NULL, thread_main, &args[t]))
			_exit(96);
	}
	announce(role, 0);
	if (is_init && level < DEPTH) {
		int n = greeters_below(level);

		while (n--) {
			struct report rp = { .kind = R_XLATE, .level = level };
			struct hello h;

			rp.tid = recv_cred(cx.cred_r[level], &h);
			if (rp.tid <= 0)
				_exit(97);
			rp.role = h.role;
			rp.thread = h.thread;
			report(&rp);
		}
	}
	wait_release();
	for (t = 1; t < role_nthreads[role]; t++)
		pthread_join(th[t], NULL);
	if (is_init)
		while (wait(NULL) > 0 || errno == EINTR)
			;
	_exit(0);
}

/* ---- the test's side --------------------------------------------------- */

FIXTURE(scene) {
	pid_t self;
	int release_w;
	pid_t kids[2];
	struct known k[NROLES][NTHREADS];
	long clone_ret[NROLES];	/* role's pid in its parent's namespace */
	unsigned long long ns_ino[DEPTH + 1];
	long zombie;		/* the zombie, dead and unreaped, as L2 sees it */
	int xlate;		/* SCM_CREDENTIALS translates pids */
	struct map m;
};

/* Where SCM_CREDENTIALS does not translate: ids from each level's procfs. */
static void ids_from_procfs(struct __test_metadata *_metadata,
			    FIXTURE_DATA(scene) *self)
{
	char dir[96];
	int r, t, j;

	for (r = 0; r < NROLES; r++) {
		for (t = 0; t < role_nthreads[r]; t++) {
			struct known *kn = &self->k[r][t];

			for (j = 0; j < role_level[r]; j++) {
				snprintf(dir, sizeof(dir), "%s/L%d", cx.procdir, j);
				kn->ids[j] = proc_tid_by_comm(j ? dir : "/proc",
							      kn->comm);
				ASSERT_LT(0, kn->ids[j]) {
					TH_LOG("%s/%d: no single thread of its "
					       "name in level %d's procfs (%ld)",
					       role_name[r], t, j, kn->ids[j]);
				}
			}
		}
	}
}

static int count_expected_reports(void)
{
	int r, n = 0;

	for (r = 0; r < NROLES; r++)
		n += role_nthreads[r] + 1;		/* R_TASK, R_CLONE */
	n += DEPTH;					/* R_NS */
	n += 1;						/* R_ZOMBIE */
	n += greeters_below(1) + greeters_below(2);	/* R_XLATE */
	return n;
}

FIXTURE_SETUP(scene)
{
	int report_p[2], release_p[2], r, j;
	int want_reports = count_expected_reports();
	int want_creds = greeters_below(0);
	struct timespec t0, now;

	memset(&cx, 0, sizeof(cx));
	self->self = getpid();
	self->ns_ino[0] = ns_ino_of("/proc/self/ns/pid");
	self->xlate = scm_translates_pids();
	ASSERT_LE(0, self->xlate) TH_LOG("SCM_CREDENTIALS probe failed");
	if (!self->xlate) {
		snprintf(cx.procdir, sizeof(cx.procdir), "/tmp/nspid-scene.%d",
			 getpid());
		ASSERT_EQ(0, mkdir(cx.procdir, 0755));
		for (j = 1; j <= DEPTH; j++) {
			char dir[96];

			snprintf(dir, sizeof(dir), "%s/L%d", cx.procdir, j);
			ASSERT_EQ(0, mkdir(dir, 0755));
		}
	}
	ASSERT_EQ(0, pipe(report_p));
	ASSERT_EQ(0, pipe(release_p));
	cx.report_w = report_p[1];
	cx.release_r = release_p[0];
	cx.release_w = release_p[1];
	self->release_w = release_p[1];
	ASSERT_EQ(0, make_receiver(0));

	self->kids[0] = spawn(W0, 0);
	self->kids[1] = spawn(I1, 1);
	close(cx.report_w);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (want_reports || want_creds) {
		struct pollfd pf[2] = {
			{ .fd = report_p[0], .events = POLLIN },
			{ .fd = cx.cred_r[0], .events = POLLIN },
		};
		struct report rp;
		struct known *kn;

		clock_gettime(CLOCK_MONOTONIC, &now);
		ASSERT_LT(now.tv_sec - t0.tv_sec, 60) {
			TH_LOG("scene incomplete: %d reports, %d greetings missing",
			       want_reports, want_creds);
		}
		if (poll(pf, 2, 1000) <= 0)
			continue;
		if (pf[1].revents & POLLIN) {
			struct hello h;
			long tid = recv_cred(cx.cred_r[0], &h);

			ASSERT_GT(tid, 0);
			ASSERT_LT((unsigned int)h.role, NROLES);
			self->k[h.role][h.thread].ids[0] = tid;
			want_creds--;
		}
		if (!(pf[0].revents & (POLLIN | POLLHUP)))
			continue;
		ASSERT_EQ(sizeof(rp), read(report_p[0], &rp, sizeof(rp))) {
			TH_LOG("report pipe closed early: a scene child died");
		}
		want_reports--;
		kn = &self->k[rp.role][rp.thread];
		switch (rp.kind) {
		case R_TASK:
			kn->seen = 1;
			kn->nspid = rp.tid;
			kn->nstgid = rp.tgid;
			kn->nsppid = rp.ppid;
			memcpy(kn->comm, rp.comm, sizeof(kn->comm));
			kn->comm[MAP_COMM_LEN - 1] = '\0';
			kn->ids[role_level[rp.role]] = rp.tid;
			break;
		case R_XLATE:
			kn->ids[rp.level] = rp.tid;
			break;
		case R_CLONE:
			self->clone_ret[rp.role] = rp.tid;
			break;
		case R_NS:
			self->ns_ino[rp.level] = rp.ino;
			break;
		case R_ZOMBIE:
			self->zombie = rp.tid;
			break;
		default:
			ASSERT_TRUE(0) TH_LOG("bad report kind %d", rp.kind);
		}
	}
	close(report_p[0]);
	if (!self->xlate) {
		TH_LOG("SCM_CREDENTIALS does not translate pids (before 2.6.36): "
		       "outer ids from each level's procfs");
		ids_from_procfs(_metadata, self);
	}

	/*
	 * The outer ids must agree with what clone() and fork() returned, or
	 * the chains below mean nothing.
	 */
	for (r = 0; r < NROLES; r++) {
		int p = role_parent[r];
		int plevel = p < 0 ? 0 : role_level[p];

		ASSERT_EQ(1, self->k[r][0].seen);
		ASSERT_EQ(self->clone_ret[r], self->k[r][0].ids[plevel]) {
			TH_LOG("%s: clone returned %ld, the oracle said %ld",
			       role_name[r], self->clone_ret[r],
			       self->k[r][0].ids[plevel]);
		}
		for (j = 0; j <= role_level[r]; j++) {
			ASSERT_GT(self->k[r][0].ids[j], 0);
		}
	}
	ASSERT_EQ(self->clone_ret[Z], self->zombie);
}

FIXTURE_TEARDOWN(scene)
{
	int i;

	map_free(&self->m);
	close(self->release_w);
	for (i = 0; i < 2; i++)
		if (self->kids[i] > 0)
			waitpid(self->kids[i], NULL, 0);
	if (cx.procdir[0]) {
		for (i = 1; i <= DEPTH; i++) {
			char dir[96];

			snprintf(dir, sizeof(dir), "%s/L%d", cx.procdir, i);
			umount2(dir, MNT_DETACH);
			rmdir(dir);
		}
		rmdir(cx.procdir);
	}
}

static int load_map(struct __test_metadata *_metadata, struct map *m)
{
	int ret = map_load(MAP_PATH, 1 << 16, m);

	if (ret)
		TH_LOG("%s", m->err);
	return ret;
}

/* The parent's pid as the root namespace sees it. */
static long expected_ppid(FIXTURE_DATA(scene) *self, int role)
{
	int p = role_parent[role];

	return p < 0 ? self->self : self->k[p][0].ids[0];
}

/* Every scene task's row holds the ids the test knows. */
TEST_F_TIMEOUT(scene, known_ids, 300)
{
	int r, t, j;

	ASSERT_EQ(0, load_map(_metadata, &self->m));
	for (r = 0; r < NROLES; r++) {
		for (t = 0; t < role_nthreads[r]; t++) {
			const struct known *kn = &self->k[r][t];
			const struct map_row *row = map_find(&self->m, kn->ids[0]);
			int lvl = role_level[r];

			ASSERT_NE(NULL, row) {
				TH_LOG("%s thread %d (pid %ld) has no row",
				       role_name[r], t, kn->ids[0]);
			}
			EXPECT_EQ(self->k[r][0].ids[0], row->tgid);
			EXPECT_EQ(expected_ppid(self, r), row->ppid);
			EXPECT_EQ(kn->nspid, row->nspid);
			EXPECT_EQ(kn->nstgid, row->nstgid);
			EXPECT_EQ(self->k[r][0].nspid, row->nstgid);
			EXPECT_EQ(self->ns_ino[lvl], row->pidns);
			ASSERT_EQ(lvl, row->level);
			ASSERT_EQ(lvl + 1, row->nchain);
			ASSERT_EQ(lvl + 1, row->nnschain);
			for (j = 0; j <= lvl; j++) {
				EXPECT_EQ(kn->ids[j], row->chain[j]) {
					TH_LOG("%s/%d chain[%d]", role_name[r], t, j);
				}
				EXPECT_EQ(self->ns_ino[j], row->nschain[j]) {
					TH_LOG("%s/%d nschain[%d]", role_name[r], t, j);
				}
			}
		}
	}
}

/* comm as set with PR_SET_NAME, escaped exactly as SPEC §1.1 says. */
TEST_F_TIMEOUT(scene, comm_escaping, 300)
{
	char set[64], want[4 * MAP_COMM_LEN];
	int r, t;

	ASSERT_EQ(0, load_map(_metadata, &self->m));
	for (r = 0; r < NROLES; r++) {
		for (t = 0; t < role_nthreads[r]; t++) {
			const struct known *kn = &self->k[r][t];
			const struct map_row *row = map_find(&self->m, kn->ids[0]);

			ASSERT_NE(NULL, row);
			/* The kernel keeps the first 15 bytes of the name. */
			scene_name(r, t, set, sizeof(set));
			set[MAP_COMM_LEN - 1] = '\0';
			ASSERT_STREQ(set, kn->comm);
			escape_comm(set, want);
			EXPECT_STREQ(want, row->raw_comm) {
				TH_LOG("%s/%d line %d", role_name[r], t, row->line);
			}
			EXPECT_STREQ(set, row->comm);
		}
	}
	/* Spot check of the raw text, spelled out. */
	escape_comm("\t\n\\ \x7f\xc3\xa9", want);
	ASSERT_STREQ("\\011\\012\\134 \\177\xc3\xa9", want);
}

/* The zombie (dead, unreaped) has its row with the right ids. */
TEST_F_TIMEOUT(scene, zombie, 300)
{
	const struct known *kz = &self->k[Z][0];
	const struct map_row *row;
	char path[64], buf[4096];
	int fd;
	ssize_t n;

	/* Make sure the scene is right: it is a zombie. */
	snprintf(path, sizeof(path), "/proc/%ld/stat", kz->ids[0]);
	fd = open(path, O_RDONLY);
	ASSERT_LE(0, fd);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ASSERT_LT(0, n);
	buf[n] = '\0';
	ASSERT_NE(NULL, strstr(strrchr(buf, ')'), ") Z "));

	ASSERT_EQ(0, load_map(_metadata, &self->m));
	row = map_find(&self->m, kz->ids[0]);
	ASSERT_NE(NULL, row);
	EXPECT_EQ(kz->ids[0], row->tgid);
	EXPECT_EQ(self->k[I2][0].ids[0], row->ppid);
	EXPECT_EQ(self->zombie, row->nspid);
	EXPECT_EQ(self->zombie, row->nstgid);
	EXPECT_EQ(kz->nspid, row->nspid);
	EXPECT_EQ(2, row->level);
	EXPECT_EQ(self->ns_ino[2], row->pidns);
	ASSERT_EQ(3, row->nchain);
	EXPECT_EQ(kz->ids[0], row->chain[0]);
	EXPECT_EQ(kz->ids[1], row->chain[1]);
	EXPECT_EQ(self->zombie, row->chain[2]);
}

/* Threads: one row each, distinct pids, the leader's tgid and nstgid. */
TEST_F_TIMEOUT(scene, threads, 300)
{
	int r, t, u;

	ASSERT_EQ(0, load_map(_metadata, &self->m));
	for (r = 0; r < NROLES; r++) {
		const struct map_row *lead = map_find(&self->m, self->k[r][0].ids[0]);

		ASSERT_NE(NULL, lead);
		ASSERT_EQ(lead->pid, lead->tgid);
		ASSERT_EQ(lead->nspid, lead->nstgid);
		for (t = 1; t < role_nthreads[r]; t++) {
			const struct map_row *row = map_find(&self->m,
							     self->k[r][t].ids[0]);

			ASSERT_NE(NULL, row);
			for (u = 0; u < t; u++) {
				ASSERT_NE(self->k[r][u].ids[0], row->pid);
			}
			ASSERT_NE(lead->nspid, row->nspid);
			ASSERT_EQ(lead->pid, row->tgid);
			ASSERT_EQ(lead->nspid, row->nstgid);
			ASSERT_EQ(lead->ppid, row->ppid);
			ASSERT_EQ(lead->pidns, row->pidns);
			ASSERT_EQ(lead->level, row->level);
		}
	}
}

/* Header, order, and the rules every row keeps on its own. */
TEST_F_TIMEOUT(scene, header_order_rows, 300)
{
	int i;

	ASSERT_EQ(0, load_map(_metadata, &self->m));
	ASSERT_STREQ(MAP_HEADER, self->m.header);
	ASSERT_LT(0, self->m.nrows);
	for (i = 0; i < self->m.nrows; i++) {
		const struct map_row *row = &self->m.rows[i];
		const char *bad = map_row_check(row);

		ASSERT_EQ(NULL, bad) TH_LOG("line %d: %s", row->line, bad);
		if (i) {
			ASSERT_LT(self->m.rows[i - 1].pid, row->pid)
				TH_LOG("line %d: pid not ascending", row->line);
		}
	}
}

/* ---- the kernel's own view ---------------------------------------------- */

static char *slurp(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;
	size_t got = 0;

	if (fd < 0)
		return NULL;
	while (got < len - 1 && (n = read(fd, buf + got, len - 1 - got)) > 0)
		got += n;
	close(fd);
	buf[got] = '\0';
	return got ? buf : NULL;
}

/* "Key:\tn\tn\tn" into v[]; returns the count, -1 when absent. */
static int status_field(const char *status, const char *key, long *v, int max)
{
	const char *p = status;
	size_t kl = strlen(key);
	int n = 0;

	while (p && strncmp(p, key, kl))
		p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL;
	if (!p)
		return -1;
	p += kl;
	while (*p && *p != '\n' && n < max) {
		char *end;

		v[n] = strtol(p, &end, 10);
		if (end == p)
			break;
		n++;
		p = end;
	}
	return n;
}

static int has_nspid(void)
{
	char buf[4096];
	long v[MAX_LEVEL];

	return slurp("/proc/self/status", buf, sizeof(buf)) &&
	       status_field(buf, "NSpid:", v, MAX_LEVEL) > 0;
}

/*
 * Every row against /proc/TGID/task/PID/status and comm (SPEC §1.1 oracle).
 * Rows of tasks that ended since the read are skipped; all scene tasks must
 * be checked.
 */
TEST_F_TIMEOUT(scene, status_oracle, 300)
{
	int i, j, r, t, checked = 0, gone = 0;

	if (!has_nspid())
		SKIP(return, "no NSpid in /proc/PID/status (kernel before 4.1)");
	ASSERT_EQ(0, load_map(_metadata, &self->m));
	for (i = 0; i < self->m.nrows; i++) {
		const struct map_row *row = &self->m.rows[i];
		char path[96], buf[8192], comm[64];
		long nspid[MAX_LEVEL + 1], nstgid[MAX_LEVEL + 1], v;
		int n;

		snprintf(path, sizeof(path), "/proc/%ld/task/%ld/status",
			 row->tgid, row->pid);
		if (!slurp(path, buf, sizeof(buf))) {
			ASSERT_TRUE(errno == ENOENT || errno == ESRCH)
				TH_LOG("%s: %s", path, strerror(errno));
			gone++;
			continue;
		}
		checked++;
		ASSERT_EQ(1, status_field(buf, "Tgid:", &v, 1));
		EXPECT_EQ(v, row->tgid) TH_LOG("line %d", row->line);
		ASSERT_EQ(1, status_field(buf, "PPid:", &v, 1));
		EXPECT_EQ(v, row->ppid) TH_LOG("line %d: ppid", row->line);
		n = status_field(buf, "NSpid:", nspid, MAX_LEVEL + 1);
		ASSERT_EQ(row->nchain, n) TH_LOG("line %d: chain", row->line);
		for (j = 0; j < n; j++) {
			EXPECT_EQ(nspid[j], row->chain[j])
				TH_LOG("line %d: chain[%d]", row->line, j);
		}
		n = status_field(buf, "NStgid:", nstgid, MAX_LEVEL + 1);
		ASSERT_EQ(row->nchain, n);
		EXPECT_EQ(nstgid[n - 1], row->nstgid) TH_LOG("line %d", row->line);
		EXPECT_EQ(nspid[n - 1], row->nspid) TH_LOG("line %d", row->line);

		/*
		 * /proc may show longer names for kernel threads (the full
		 * name, 6.1) and workqueue workers (the queue of the work
		 * they run: "kworker/u8:1-pm", short or long), never for
		 * others. Kernel threads are kthreadd (2) and its children.
		 */
		snprintf(path, sizeof(path), "/proc/%ld/task/%ld/comm",
			 row->tgid, row->pid);
		if (!slurp(path, comm, sizeof(comm)))
			continue;
		comm[strlen(comm) - 1] = '\0';	/* its newline */
		if (strlen(comm) < MAP_COMM_LEN && row->pid != 2 && row->ppid != 2) {
			EXPECT_STREQ(comm, row->comm) TH_LOG("line %d", row->line);
		} else {
			EXPECT_EQ(0, strncmp(comm, row->comm, strlen(row->comm)))
				TH_LOG("line %d: %s / %s", row->line, comm, row->comm);
		}
	}
	TH_LOG("%d rows checked, %d gone meanwhile", checked, gone);
	for (r = 0; r < NROLES; r++)
		for (t = 0; t < role_nthreads[r]; t++) {
			ASSERT_NE(NULL, map_find(&self->m, self->k[r][t].ids[0]));
		}
	ASSERT_LT(gone, checked);
}

/*
 * pidns against readlink ns/pid, and nschain against the chain of
 * NS_GET_PARENT ioctls up to the reader's namespace.
 */
TEST_F_TIMEOUT(scene, nschain_oracle, 300)
{
	unsigned long long reader = self->ns_ino[0];
	int i, j, checked = 0, zombies = 0, no_ioctl = 0;

	if (!reader)
		SKIP(return, "no /proc/self/ns/pid (kernel before 3.8)");
	ASSERT_EQ(0, load_map(_metadata, &self->m));
	for (i = 0; i < self->m.nrows; i++) {
		const struct map_row *row = &self->m.rows[i];
		unsigned long long up[MAX_LEVEL + 1];
		char path[96], link[64], want[64];
		struct stat st;
		ssize_t n;
		int fd, depth = 0;

		snprintf(path, sizeof(path), "/proc/%ld/task/%ld/ns/pid",
			 row->tgid, row->pid);
		n = readlink(path, link, sizeof(link) - 1);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (n < 0 || fd < 0) {
			/* Exited meanwhile, or a zombie: no namespaces left. */
			if (fd >= 0)
				close(fd);
			zombies++;
			continue;
		}
		link[n] = '\0';
		snprintf(want, sizeof(want), "pid:[%llu]", row->pidns);
		EXPECT_STREQ(want, link) TH_LOG("line %d", row->line);
		ASSERT_EQ(0, fstat(fd, &st));
		EXPECT_EQ(row->pidns, st.st_ino) TH_LOG("line %d", row->line);
		up[depth++] = st.st_ino;
		while (!no_ioctl && up[depth - 1] != reader) {
			int pfd;

			ASSERT_LE(depth, MAX_LEVEL) TH_LOG("line %d", row->line);
			pfd = ioctl(fd, NS_GET_PARENT);
			if (pfd < 0 && errno == ENOTTY) {
				no_ioctl = 1;	/* the pidns checks go on */
				break;
			}
			ASSERT_LE(0, pfd) TH_LOG("line %d: NS_GET_PARENT: %s",
						 row->line, strerror(errno));
			close(fd);
			fd = pfd;
			ASSERT_EQ(0, fstat(fd, &st));
			up[depth++] = st.st_ino;
		}
		close(fd);
		checked++;
		if (no_ioctl)
			continue;
		ASSERT_EQ(depth, row->nnschain) TH_LOG("line %d", row->line);
		for (j = 0; j < depth; j++) {
			EXPECT_EQ(up[depth - 1 - j], row->nschain[j])
				TH_LOG("line %d: nschain[%d]", row->line, j);
		}
	}
	TH_LOG("%d rows checked, %d without namespaces", checked, zombies);
	ASSERT_LE(21, checked);
	if (no_ioctl)
		SKIP(return, "pidns checked; no NS_GET_PARENT for nschain (kernel before 4.9)");
}

/* ---- completeness ------------------------------------------------------- */

struct tidlist {
	long *v;
	int n, cap;
};

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

static void tid_add(struct tidlist *l, long tid)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 4096;
		l->v = realloc(l->v, l->cap * sizeof(long));
		if (!l->v)
			abort();
	}
	l->v[l->n++] = tid;
}

/* Every task /proc lists (leaders and their threads), sorted, once each. */
static void list_tids(struct tidlist *l)
{
	DIR *d = opendir("/proc"), *td;
	struct dirent *e, *te;
	char path[300];
	int i, j;

	l->n = 0;
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		/*
		 * The leader itself too: a zombie leader's task directory is
		 * empty on some kernels (2.6.32), yet it is a task with a pid.
		 */
		tid_add(l, atol(e->d_name));
		snprintf(path, sizeof(path), "/proc/%s/task", e->d_name);
		td = opendir(path);
		if (!td)
			continue;
		while ((te = readdir(td))) {
			if (te->d_name[0] < '1' || te->d_name[0] > '9')
				continue;
			tid_add(l, atol(te->d_name));
		}
		closedir(td);
	}
	closedir(d);
	qsort(l->v, l->n, sizeof(long), cmp_long);
	for (i = j = 0; i < l->n; i++)
		if (!j || l->v[j - 1] != l->v[i])
			l->v[j++] = l->v[i];
	l->n = j;
}

/* Root reader: every task (all have a pid here) appears, nothing else. */
TEST_F_TIMEOUT(scene, complete, 300)
{
	struct tidlist before = { 0 }, after = { 0 };
	int i, missing = 0, stray = 0;

	list_tids(&before);
	ASSERT_EQ(0, load_map(_metadata, &self->m));
	list_tids(&after);
	ASSERT_LT(22, before.n);
	for (i = 0; i < before.n; i++) {
		long pid = before.v[i];

		if (!bsearch(&pid, after.v, after.n, sizeof(long), cmp_long))
			continue;	/* ended during the read */
		if (!map_find(&self->m, pid)) {
			TH_LOG("task %ld is listed in /proc but has no row", pid);
			missing++;
		}
	}
	for (i = 0; i < self->m.nrows; i++) {
		long pid = self->m.rows[i].pid;

		if (!bsearch(&pid, before.v, before.n, sizeof(long), cmp_long) &&
		    !bsearch(&pid, after.v, after.n, sizeof(long), cmp_long)) {
			TH_LOG("line %d: pid %ld (tgid %ld, %s) unknown to /proc",
			       self->m.rows[i].line, pid, self->m.rows[i].tgid,
			       self->m.rows[i].raw_comm);
			stray++;
		}
	}
	free(before.v);
	free(after.v);
	ASSERT_EQ(0, missing);
	ASSERT_EQ(0, stray);
}

TEST_HARNESS_MAIN
