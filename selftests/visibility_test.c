// SPDX-License-Identifier: GPL-2.0
/*
 * visibility_test - who sees which rows of /proc/nspid_map (SPEC §1.2).
 *
 * container: a container (clone(CLONE_NEWPID | CLONE_NEWNS)) with its own
 *   proc mount, a nested namespace inside it with its own proc mount; each
 *   init reads the file through its own mount and sends the text and its
 *   /proc listing back. The test knows every task's id at every level
 *   (self-reported, and translated by SCM_CREDENTIALS to the test and to the
 *   container's init; before 2.6.36, which does not translate, the test and
 *   the init find each task's id by its unique name in their own /proc,
 *   oracle.h), and checks relative numbers, completeness, and that no host
 *   pid and no namespace above the reader's shows.
 *
 * hidepid: a fresh PID + mount namespace with proc mounted with each
 *   hidepid=/gid= variant; root tasks, tasks of uid 65534 (one of them not
 *   dumpable) and an unprivileged reader. Rows shown must be tasks /proc
 *   lets the reader see; root's never; the reader's own and its same-uid
 *   dumpable neighbour's always. The reader hands an unread descriptor to
 *   the (root) test, which must see no more than the reader. Before 3.3
 *   procfs ignores hidepid= (probed: uid 65534 still sees /proc/1 through
 *   a hidepid=2 mount): the variants with options SKIP there. On 4.19 the
 *   first mount in the new namespace ignores them too, until a remount:
 *   procfs_mount() (procfs_quirks.h) makes them hold, or the scene fails.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
#include "procfs_quirks.h"
#include "oracle.h"

#ifndef CLONE_NEWNS
#define CLONE_NEWNS	0x00020000
#endif
#ifndef MS_PRIVATE
#define MS_PRIVATE	(1 << 18)
#endif
#ifndef MS_REC
#define MS_REC		16384
#endif

#define NOBODY		65534
#define GROUP		4242	/* the gid= group of the hidepid variants */
#define MAXT		3	/* threads per role at most */
#define MAXID		64	/* namespace-local ids the reader probes */

/* ---- plumbing shared by both fixtures --------------------------------- */

enum { R_TASK = 1, R_XLATE, R_NS, R_ERR };

struct report {
	int kind, role, thread;
	long tid, tgid, ppid;	/* R_TASK: inside; R_XLATE: as the receiver sees it */
	unsigned long long ino;	/* R_NS */
	int err;		/* R_ERR: errno of a failed setup step */
};

struct hello {
	int role, thread;
};

/* What every child inherits. Children close the write ends they must not hold. */
static struct {
	int report_w;
	int release_r, release_w;
	int go_r[2], go_w[2];
	int res_w[2];
	int cred_r[2], cred_w[2];	/* receivers: [0] the test, [1] the container init */
	int fd_w;			/* SCM_RIGHTS to the test */
	char dir[2][64];		/* proc mount points */
	const char *opts;
	int in_group;
	int xlate;			/* SCM_CREDENTIALS translates pids */
} cx;

static long sys_gettid(void)
{
	return syscall(SYS_gettid);
}

/* fork() semantics; the child is init of a new PID namespace. */
static pid_t clone_ns(int flags)
{
	return syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
}

static void report(const struct report *rp)
{
	if (write(cx.report_w, rp, sizeof(*rp)) != sizeof(*rp))
		_exit(90);
}

static void report_err(int role, int err)
{
	struct report rp = { .kind = R_ERR, .role = role, .err = err };

	report(&rp);
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

static int read_all(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

/* A length-prefixed blob. */
static void send_blob(int fd, const char *buf, uint32_t len)
{
	if (write_all(fd, &len, sizeof(len)) || write_all(fd, buf, len))
		_exit(91);
}

static char *recv_blob(int fd, uint32_t *lenp)
{
	uint32_t len;
	char *buf;

	if (read_all(fd, &len, sizeof(len)) || len > (64u << 20))
		return NULL;
	buf = malloc(len + 1);
	if (!buf || read_all(fd, buf, len)) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

static void send_cred(int fd, int role, int thread, long tid)
{
	struct hello h = { .role = role, .thread = thread };
	struct ucred cred = { .pid = tid, .uid = getuid(), .gid = getgid() };
	char cbuf[CMSG_SPACE(sizeof(cred))];
	struct iovec iov = { .iov_base = &h, .iov_len = sizeof(h) };
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
	if (sendmsg(fd, &msg, 0) != sizeof(h))
		_exit(92);
}

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

static int make_receiver(int *r, int *w)
{
	int sv[2], one = 1;
	struct timeval tv = { .tv_sec = 60 };

	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) ||
	    setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) ||
	    setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		return -1;
	*r = sv[0];
	*w = sv[1];
	return 0;
}

static void wait_fd(int fd)
{
	char c;

	while (read(fd, &c, 1) < 0 && errno == EINTR)
		;
}

/* Called first in every child: drop what only the test may hold. */
static void child_fds(void)
{
	int i;

	/* -1 after closing: a grandchild must not close a reused number. */
	close(cx.release_w);
	cx.release_w = -1;
	for (i = 0; i < 2; i++) {
		close(cx.go_w[i]);
		cx.go_w[i] = -1;
	}
}

static pid_t spawn(int flags, void (*fn)(int), int role)
{
	pid_t pid = flags ? clone_ns(flags) : fork();

	if (pid == 0) {
		child_fds();
		fn(role);
		_exit(0);
	}
	return pid;
}

/*
 * With options, through procfs_mount() (the caller is then the init of
 * its namespace): where they do not hold even after a remount, errno is
 * ENOTSUP (ECHILD: the probe failed), and the scene fails instead of
 * testing a mount without them.
 */
static int private_proc(const char *dir, const char *opts)
{
	int ret;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return -1;
	if (!opts || !*opts)
		return mount("proc", dir, "proc", 0, NULL);
	ret = procfs_mount(dir, opts);
	if (ret == -2)
		errno = ECHILD;
	if (ret == -3)
		errno = ENOTSUP;
	return ret ? -1 : 0;
}

static unsigned long long ns_ino(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : (unsigned long long)st.st_ino;
}

/* Every /DIR/[0-9]* /task/[0-9]*, one per line. */
static char *list_tasks(const char *dir, uint32_t *lenp)
{
	size_t cap = 65536, len = 0;
	char *out = malloc(cap), path[512];
	DIR *d = opendir(dir), *td;
	struct dirent *e, *te;

	if (!out || !d)
		_exit(93);
	while ((e = readdir(d))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "%s/%s/task", dir, e->d_name);
		td = opendir(path);
		if (!td)
			continue;
		while ((te = readdir(td))) {
			if (te->d_name[0] < '1' || te->d_name[0] > '9')
				continue;
			if (cap - len < 32) {
				cap *= 2;
				out = realloc(out, cap);
				if (!out)
					_exit(93);
			}
			len += snprintf(out + len, cap - len, "%s\n", te->d_name);
		}
		closedir(td);
	}
	closedir(d);
	*lenp = len;
	return out;
}

static int in_list(const long *v, int n, long x)
{
	int i;

	for (i = 0; i < n; i++)
		if (v[i] == x)
			return 1;
	return 0;
}

/* Parse "n\n" lines into v[]; returns the count. */
static int parse_list(const char *s, long *v, int max)
{
	int n = 0;

	while (*s && n < max) {
		v[n++] = strtol(s, (char **)&s, 10);
		if (*s == '\n')
			s++;
	}
	return n;
}

/* ---- container fixture ------------------------------------------------ */

/* C: container init; P: its child; N: nested init; M: N's child. */
enum { C, P, N, M, NCROLES };
static const char *const crole_name[NCROLES] = { "C", "P", "N", "M" };
static const int crole_threads[NCROLES] = { 2, 2, 2, 1 };
static const int crole_level[NCROLES] = { 1, 1, 2, 2 };	/* below the host */

struct cthread_arg {
	int role, thread;
};

/* The unique name a container task gives itself. */
static void cname(char *buf, size_t len, int role, int t)
{
	snprintf(buf, len, "vis-%s%d", crole_name[role], t);
}

static void cannounce(int role, int t)
{
	struct report rp = { .kind = R_TASK, .role = role, .thread = t };
	char name[16];

	cname(name, sizeof(name), role, t);
	if (prctl(PR_SET_NAME, name, 0, 0, 0))
		_exit(89);
	rp.tid = sys_gettid();
	rp.tgid = getpid();
	rp.ppid = getppid();
	report(&rp);
	send_cred(cx.cred_w[0], role, t, rp.tid);
	if (crole_level[role] > 1)
		send_cred(cx.cred_w[1], role, t, rp.tid);
}

static void *cthread(void *p)
{
	struct cthread_arg *a = p;

	cannounce(a->role, a->thread);
	wait_fd(cx.release_r);
	return NULL;
}

/* The reader at @which (0 container, 1 nested): its view, sent back. */
static void container_view(int which)
{
	char path[96];
	size_t len;
	uint32_t llen;
	char *text, *list;

	wait_fd(cx.go_r[which]);
	snprintf(path, sizeof(path), "%s/nspid_map", cx.dir[which]);
	text = map_read_file(path, 4096, &len);
	if (!text) {
		text = strdup("");
		len = 0;
	}
	list = list_tasks(cx.dir[which], &llen);
	send_blob(cx.res_w[which], text, len);
	send_blob(cx.res_w[which], list, llen);
	free(text);
	free(list);
}

static void crole(int role)
{
	struct cthread_arg args[MAXT];
	pthread_t th[MAXT];
	int t;

	if (role == C || role == N) {
		struct report rp = { .kind = R_NS, .role = role };
		int which = role == N;

		if (private_proc(cx.dir[which], NULL)) {
			report_err(role, errno);
			_exit(1);
		}
		rp.ino = ns_ino("/proc/self/ns/pid");
		report(&rp);
		if (role == C) {
			if (make_receiver(&cx.cred_r[1], &cx.cred_w[1]))
				_exit(94);
			spawn(CLONE_NEWPID | CLONE_NEWNS, crole, N);
			spawn(0, crole, P);
		} else {
			spawn(0, crole, M);
		}
	}
	for (t = 1; t < crole_threads[role]; t++) {
		args[t].role = role;
		args[t].thread = t;
		if (pthread_create(&th[t], NULL, cthread, &args[t]))
			_exit(95);
	}
	cannounce(role, 0);
	if (role == C) {
		int n = crole_threads[N] + crole_threads[M];

		while (n--) {
			struct report rp = { .kind = R_XLATE };
			struct hello h;

			rp.tid = recv_cred(cx.cred_r[1], &h);
			if (rp.tid > 0 && !cx.xlate) {
				char name[16];

				cname(name, sizeof(name), h.role, h.thread);
				rp.tid = proc_tid_by_comm(cx.dir[0], name);
			}
			if (rp.tid <= 0)
				_exit(96);
			rp.role = h.role;
			rp.thread = h.thread;
			report(&rp);
		}
	}
	if (role == C || role == N)
		container_view(role == N);
	wait_fd(cx.release_r);
	for (t = 1; t < crole_threads[role]; t++)
		pthread_join(th[t], NULL);
	if (role == C || role == N)
		while (wait(NULL) > 0 || errno == EINTR)
			;
}

struct cknown {
	long host, cont, own;	/* pid in the host, the container, its own ns */
	long own_tgid, own_ppid;
};

FIXTURE(container) {
	int release_w;
	pid_t init;
	struct cknown k[NCROLES][MAXT];
	unsigned long long ino_host, ino[NCROLES];
	struct map view[2];	/* what C and N saw */
	long list[2][256];	/* their /proc listings */
	int nlist[2];
	long ids_all[64];	/* every host pid of the scene */
	int nids;
};

/* Push the pid counter up, so host pids cannot equal container pids. */
static void burn_pids(long above)
{
	int i;

	for (i = 0; i < 5000; i++) {
		pid_t p = fork();

		if (p == 0)
			_exit(0);
		if (p < 0)
			return;
		waitpid(p, NULL, 0);
		if (p > above)
			return;
	}
}

FIXTURE_SETUP(container)
{
	int report_p[2], release_p[2], go[2][2], res[2][2];
	int want = 0, want_creds = 0, r, t, w;
	struct timespec t0, now;

	memset(&cx, 0, sizeof(cx));
	cx.xlate = scm_translates_pids();
	ASSERT_LE(0, cx.xlate) TH_LOG("SCM_CREDENTIALS probe failed");
	if (!cx.xlate)
		TH_LOG("SCM_CREDENTIALS does not translate pids (before 2.6.36): "
		       "ids from /proc by name");
	burn_pids(300);
	self->ino_host = ns_ino("/proc/self/ns/pid");
	for (w = 0; w < 2; w++) {
		strcpy(cx.dir[w], "/tmp/nspid-vis.XXXXXX");
		ASSERT_NE(NULL, mkdtemp(cx.dir[w]));
		ASSERT_EQ(0, pipe(go[w]));
		ASSERT_EQ(0, pipe(res[w]));
		cx.go_r[w] = go[w][0];
		cx.go_w[w] = go[w][1];
		cx.res_w[w] = res[w][1];
	}
	ASSERT_EQ(0, pipe(report_p));
	ASSERT_EQ(0, pipe(release_p));
	cx.report_w = report_p[1];
	cx.release_r = release_p[0];
	cx.release_w = release_p[1];
	self->release_w = release_p[1];
	ASSERT_EQ(0, make_receiver(&cx.cred_r[0], &cx.cred_w[0]));

	self->init = spawn(CLONE_NEWPID | CLONE_NEWNS, crole, C);
	ASSERT_LT(0, self->init);
	close(cx.report_w);
	close(res[0][1]);
	close(res[1][1]);

	for (r = 0; r < NCROLES; r++)
		want_creds += crole_threads[r];		/* one greeting each */
	want = want_creds;				/* R_TASK */
	want += 2;					/* R_NS of C and N */
	want += crole_threads[N] + crole_threads[M];	/* R_XLATE */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (want || want_creds) {
		struct pollfd pf[2] = {
			{ .fd = report_p[0], .events = POLLIN },
			{ .fd = cx.cred_r[0], .events = POLLIN },
		};
		struct report rp;
		struct cknown *kn;

		clock_gettime(CLOCK_MONOTONIC, &now);
		ASSERT_LT(now.tv_sec - t0.tv_sec, 60)
			TH_LOG("scene incomplete: %d, %d missing", want, want_creds);
		if (poll(pf, 2, 1000) <= 0)
			continue;
		if (pf[1].revents & POLLIN) {
			struct hello h;
			long tid = recv_cred(cx.cred_r[0], &h);

			if (tid > 0 && !cx.xlate) {
				char name[16];

				cname(name, sizeof(name), h.role, h.thread);
				tid = proc_tid_by_comm("/proc", name);
			}
			ASSERT_LT(0, tid);
			self->k[h.role][h.thread].host = tid;
			self->ids_all[self->nids++] = tid;
			want_creds--;
		}
		if (!(pf[0].revents & (POLLIN | POLLHUP)))
			continue;
		ASSERT_EQ(0, read_all(report_p[0], &rp, sizeof(rp)))
			TH_LOG("report pipe closed early: a scene child died");
		want--;
		kn = &self->k[rp.role][rp.thread];
		switch (rp.kind) {
		case R_TASK:
			kn->own = rp.tid;
			kn->own_tgid = rp.tgid;
			kn->own_ppid = rp.ppid;
			if (crole_level[rp.role] == 1)
				kn->cont = rp.tid;
			break;
		case R_XLATE:
			kn->cont = rp.tid;
			break;
		case R_NS:
			self->ino[rp.role] = rp.ino;
			break;
		case R_ERR:
			ASSERT_EQ(0, rp.err)
				TH_LOG("%s: mounting proc failed", crole_name[rp.role]);
			break;
		}
	}
	close(report_p[0]);

	/* Host pids must be unlike any container-level number. */
	for (r = 0; r < NCROLES; r++)
		for (t = 0; t < crole_threads[r]; t++) {
			ASSERT_LT(300, self->k[r][t].host);
			ASSERT_GE(64, self->k[r][t].cont);
			ASSERT_LT(0, self->k[r][t].cont);
		}

	/* Each reader in turn: its map text, then its /proc listing. */
	for (w = 0; w < 2; w++) {
		uint32_t len;
		char *text, *list;

		ASSERT_EQ(1, write(cx.go_w[w], "g", 1));
		text = recv_blob(res[w][0], &len);
		ASSERT_NE(NULL, text);
		list = recv_blob(res[w][0], &len);
		ASSERT_NE(NULL, list);
		ASSERT_EQ(0, map_parse(text, strlen(text), &self->view[w]))
			TH_LOG("%s's view: %s", w ? "N" : "C", self->view[w].err);
		self->nlist[w] = parse_list(list, self->list[w], 256);
		free(text);
		free(list);
	}
}

FIXTURE_TEARDOWN(container)
{
	map_free(&self->view[0]);
	map_free(&self->view[1]);
	close(self->release_w);
	if (self->init > 0)
		waitpid(self->init, NULL, 0);
	rmdir(cx.dir[0]);
	rmdir(cx.dir[1]);
}

/* No host pid anywhere in a row. */
static const char *host_leak(FIXTURE_DATA(container) *self,
			     const struct map_row *row)
{
	int i;

	for (i = 0; i < self->nids; i++) {
		long h = self->ids_all[i];

		if (row->pid == h || row->tgid == h || row->ppid == h ||
		    row->nspid == h || row->nstgid == h)
			return "a host pid in pid/tgid/ppid/nspid/nstgid";
		if (in_list(row->chain, row->nchain, h))
			return "a host pid in chain";
	}
	return NULL;
}

/* The container's init reads through its own /proc: its tasks only. */
TEST_F_TIMEOUT(container, container_view, 120)
{
	const struct map *m = &self->view[0];
	int i, r, t, j;

	ASSERT_STREQ(MAP_HEADER, m->header);
	/* Exactly what its /proc lists, and what the test knows is there. */
	ASSERT_EQ(self->nlist[0], m->nrows);
	for (i = 0; i < self->nlist[0]; i++) {
		ASSERT_NE(NULL, map_find(m, self->list[0][i]))
			TH_LOG("%ld is in the container's /proc, not in the file",
			       self->list[0][i]);
	}
	ASSERT_EQ(7, m->nrows);
	for (r = 0; r < NCROLES; r++) {
		for (t = 0; t < crole_threads[r]; t++) {
			const struct cknown *kn = &self->k[r][t];
			const struct map_row *row = map_find(m, kn->cont);
			int lvl = crole_level[r] - 1;

			ASSERT_NE(NULL, row) TH_LOG("%s/%d", crole_name[r], t);
			EXPECT_EQ(self->k[r][0].cont, row->tgid);
			EXPECT_EQ(kn->own, row->nspid);
			EXPECT_EQ(kn->own_tgid, row->nstgid);
			EXPECT_EQ(self->ino[r == P ? C : r == M ? N : r], row->pidns);
			ASSERT_EQ(lvl, row->level);
			ASSERT_EQ(lvl + 1, row->nchain);
			ASSERT_EQ(lvl + 1, row->nnschain);
			EXPECT_EQ(kn->cont, row->chain[0]);
			EXPECT_EQ(kn->own, row->chain[lvl]);
			EXPECT_EQ(self->ino[C], row->nschain[0]);
			if (lvl) {
				EXPECT_EQ(self->ino[N], row->nschain[1]);
			}
		}
	}
	/* Its init: pid 1, ppid 0, level 0. */
	ASSERT_EQ(1, self->k[C][0].cont);
	EXPECT_EQ(1, m->rows[0].pid);
	EXPECT_EQ(1, m->rows[0].tgid);
	EXPECT_EQ(0, m->rows[0].ppid);
	EXPECT_EQ(0, m->rows[0].level);
	EXPECT_EQ(1, m->rows[0].nspid);
	/* Parents, in container numbers. */
	for (t = 0; t < crole_threads[C]; t++) {
		EXPECT_EQ(0, map_find(m, self->k[C][t].cont)->ppid);
	}
	for (t = 0; t < crole_threads[P]; t++) {
		EXPECT_EQ(1, map_find(m, self->k[P][t].cont)->ppid);
	}
	for (t = 0; t < crole_threads[N]; t++) {
		EXPECT_EQ(1, map_find(m, self->k[N][t].cont)->ppid);
	}
	for (t = 0; t < crole_threads[M]; t++) {
		EXPECT_EQ(self->k[N][0].cont, map_find(m, self->k[M][t].cont)->ppid);
	}
	/* Nothing of the host: no pid, no namespace. */
	for (i = 0; i < m->nrows; i++) {
		const struct map_row *row = &m->rows[i];
		const char *leak = host_leak(self, row);

		EXPECT_EQ(NULL, leak) TH_LOG("line %d: %s", row->line, leak);
		for (j = 0; j < row->nnschain; j++) {
			if (self->ino_host)
				EXPECT_NE(self->ino_host, row->nschain[j]);
			EXPECT_TRUE(row->nschain[j] == self->ino[C] ||
				    row->nschain[j] == self->ino[N])
				TH_LOG("line %d: nschain[%d] %llu", row->line, j,
				       row->nschain[j]);
		}
	}
}

/* The nested init's view: only its own namespace, at level 0. */
TEST_F_TIMEOUT(container, nested_view, 120)
{
	const struct map *m = &self->view[1];
	int i, r, t;

	ASSERT_STREQ(MAP_HEADER, m->header);
	ASSERT_EQ(self->nlist[1], m->nrows);
	for (i = 0; i < self->nlist[1]; i++) {
		ASSERT_NE(NULL, map_find(m, self->list[1][i]));
	}
	ASSERT_EQ(crole_threads[N] + crole_threads[M], m->nrows);
	for (r = N; r <= M; r++) {
		for (t = 0; t < crole_threads[r]; t++) {
			const struct cknown *kn = &self->k[r][t];
			const struct map_row *row = map_find(m, kn->own);

			ASSERT_NE(NULL, row) TH_LOG("%s/%d", crole_name[r], t);
			EXPECT_EQ(kn->own_tgid, row->tgid);
			EXPECT_EQ(kn->own_ppid, row->ppid);
			EXPECT_EQ(kn->own, row->nspid);
			EXPECT_EQ(0, row->level);
			ASSERT_EQ(1, row->nchain);
			ASSERT_EQ(1, row->nnschain);
			EXPECT_EQ(self->ino[N], row->nschain[0]);
			EXPECT_EQ(self->ino[N], row->pidns);
		}
	}
	EXPECT_EQ(1, m->rows[0].pid);
	EXPECT_EQ(0, m->rows[0].ppid);
	for (i = 0; i < m->nrows; i++) {
		const char *leak = host_leak(self, &m->rows[i]);

		EXPECT_EQ(NULL, leak) TH_LOG("line %d: %s", m->rows[i].line, leak);
	}
}

/* The host's reader sees every task of the nested namespaces. */
TEST_F_TIMEOUT(container, root_view, 120)
{
	struct map m;
	int r, t;

	ASSERT_EQ(0, map_load(MAP_PATH, 1 << 16, &m)) TH_LOG("%s", m.err);
	for (r = 0; r < NCROLES; r++) {
		for (t = 0; t < crole_threads[r]; t++) {
			const struct cknown *kn = &self->k[r][t];
			const struct map_row *row = map_find(&m, kn->host);
			int lvl = crole_level[r];

			ASSERT_NE(NULL, row) TH_LOG("%s/%d", crole_name[r], t);
			EXPECT_EQ(self->k[r][0].host, row->tgid);
			ASSERT_EQ(lvl, row->level);
			ASSERT_EQ(lvl + 1, row->nchain);
			ASSERT_EQ(lvl + 1, row->nnschain);
			EXPECT_EQ(kn->host, row->chain[0]);
			EXPECT_EQ(kn->cont, row->chain[1]);
			EXPECT_EQ(kn->own, row->chain[lvl]);
			EXPECT_EQ(self->ino_host, row->nschain[0]);
			EXPECT_EQ(self->ino[C], row->nschain[1]);
			if (lvl == 2) {
				EXPECT_EQ(self->ino[N], row->nschain[2]);
			}
		}
	}
	EXPECT_EQ(getpid(), map_find(&m, self->k[C][0].host)->ppid);
	EXPECT_EQ(self->k[C][0].host, map_find(&m, self->k[N][0].host)->ppid);
	EXPECT_EQ(self->k[N][0].host, map_find(&m, self->k[M][0].host)->ppid);
	map_free(&m);
}

/* ---- hidepid fixture -------------------------------------------------- */

/*
 * H: init (root); R: root; U: uid 65534 dumpable; D: uid 65534 not
 * dumpable; G: uid 65534 but gid 0 (ptrace wants the gids equal too);
 * X: the reader (uid 65534).
 */
enum { H, R, U, D, G, X, NHROLES };
static const char *const hrole_name[NHROLES] = { "H", "R", "U", "D", "G", "X" };
static const int hrole_threads[NHROLES] = { 1, 2, 2, 2, 1, 2 };

struct hthread_arg {
	int role, thread;
};

static void hannounce(int role, int t)
{
	struct report rp = { .kind = R_TASK, .role = role, .thread = t };

	rp.tid = sys_gettid();
	rp.tgid = getpid();
	rp.ppid = getuid();	/* the uid, for the record */
	report(&rp);
}

static void *hthread(void *p)
{
	struct hthread_arg *a = p;

	hannounce(a->role, a->thread);
	wait_fd(cx.release_r);
	return NULL;
}

static int drop_to(gid_t gid, int dumpable)
{
	gid_t g = GROUP;

	if (setgroups(cx.in_group, &g) ||
	    setresgid(gid, gid, gid) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		return -1;
	/* A uid change cleared dumpable; set what the scene wants. */
	return prctl(PR_SET_DUMPABLE, dumpable, 0, 0, 0);
}

static int readable(const char *dir, long tgid, long tid)
{
	char path[128], buf[64];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%ld/task/%ld/status", dir, tgid, tid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n > 0;
}

static void send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))], c = 'f';
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;

	memset(cbuf, 0, sizeof(cbuf));
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	if (sendmsg(sock, &msg, 0) != 1)
		_exit(97);
}

static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))], c;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &msg, 0) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/*
 * The reader: opens the file twice, hands the unread descriptor to the
 * test, reads the other, and probes which ids /proc lets it see.
 */
static void reader(void)
{
	char path[96], probe[2 * MAXID + 2];
	struct map m;
	size_t len;
	char *text;
	int fd, i;

	snprintf(path, sizeof(path), "%s/nspid_map", cx.dir[0]);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		report_err(X, errno);
		_exit(1);
	}
	send_fd(cx.fd_w, fd);
	close(fd);
	text = map_read_file(path, 4096, &len);
	if (!text) {
		report_err(X, errno);
		_exit(1);
	}
	send_blob(cx.res_w[0], text, len);
	/* For every row: may /proc show this uid the task's details? */
	if (map_parse(text, len, &m) == 0) {
		for (i = 0; i < m.nrows && i < 2 * MAXID; i++)
			probe[i] = '0' + readable(cx.dir[0], m.rows[i].tgid,
						  m.rows[i].pid);
		send_blob(cx.res_w[0], probe, i);
		map_free(&m);
	} else {
		send_blob(cx.res_w[0], "", 0);
	}
	/* And for the first ids of the namespace, as thread groups. */
	for (i = 1; i <= MAXID; i++)
		probe[i - 1] = '0' + readable(cx.dir[0], i, i);
	send_blob(cx.res_w[0], probe, MAXID);
	free(text);
}

static void hrole(int role)
{
	struct hthread_arg args[MAXT];
	pthread_t th[MAXT];
	int t;

	switch (role) {
	case H:
		if (private_proc(cx.dir[0], cx.opts)) {
			report_err(H, errno);
			_exit(1);
		}
		spawn(0, hrole, R);
		spawn(0, hrole, U);
		spawn(0, hrole, D);
		spawn(0, hrole, G);
		spawn(0, hrole, X);
		break;
	case U:
	case D:
		if (drop_to(NOBODY, role == U))
			_exit(98);
		break;
	case G:
		if (drop_to(0, 1))
			_exit(98);
		break;
	case X:
		wait_fd(cx.go_r[0]);
		if (drop_to(NOBODY, 1))
			_exit(98);
		break;
	}
	for (t = 1; t < hrole_threads[role]; t++) {
		args[t].role = role;
		args[t].thread = t;
		if (pthread_create(&th[t], NULL, hthread, &args[t]))
			_exit(95);
	}
	hannounce(role, 0);
	if (role == X)
		reader();
	wait_fd(cx.release_r);
	for (t = 1; t < hrole_threads[role]; t++)
		pthread_join(th[t], NULL);
	if (role == H)
		while (wait(NULL) > 0 || errno == EINTR)
			;
}

FIXTURE(hidepid) {
	int release_w;
	pid_t init;
	int skipped;		/* 1: cannot mount with the options, 2: ignored */
	long tid[NHROLES][MAXT];
	long uid[NHROLES];
	struct map seen;	/* what the reader read */
	char probe_rows[2 * MAXID + 1];
	char probe_ids[MAXID + 1];
	int handed;		/* the descriptor it handed over, unread */
};

FIXTURE_VARIANT(hidepid) {
	const char *opts;
	int restricted;	/* 0: every task visible */
	int in_group;	/* reader in GROUP */
	int named;	/* a 5.8+ option name: EINVAL means "not this kernel" */
};

FIXTURE_VARIANT_ADD(hidepid, none) { .opts = "", .restricted = 0 };
FIXTURE_VARIANT_ADD(hidepid, hidepid_1) { .opts = "hidepid=1", .restricted = 1 };
FIXTURE_VARIANT_ADD(hidepid, hidepid_2) { .opts = "hidepid=2", .restricted = 1 };
FIXTURE_VARIANT_ADD(hidepid, noaccess) {
	.opts = "hidepid=noaccess", .restricted = 1, .named = 1 };
FIXTURE_VARIANT_ADD(hidepid, invisible) {
	.opts = "hidepid=invisible", .restricted = 1, .named = 1 };
FIXTURE_VARIANT_ADD(hidepid, ptraceable) {
	.opts = "hidepid=ptraceable", .restricted = 1, .named = 1 };
FIXTURE_VARIANT_ADD(hidepid, hidepid_2_gid_member) {
	.opts = "hidepid=2,gid=4242", .restricted = 0, .in_group = 1 };
FIXTURE_VARIANT_ADD(hidepid, hidepid_1_gid_member) {
	.opts = "hidepid=1,gid=4242", .restricted = 0, .in_group = 1 };
FIXTURE_VARIANT_ADD(hidepid, hidepid_2_gid_other) {
	.opts = "hidepid=2,gid=4242", .restricted = 1, .in_group = 0 };
/* ptraceable ignores gid= (fs/proc/base.c has_pid_permissions()). */
FIXTURE_VARIANT_ADD(hidepid, ptraceable_gid_member) {
	.opts = "hidepid=ptraceable,gid=4242", .restricted = 1, .in_group = 1,
	.named = 1 };

FIXTURE_SETUP(hidepid)
{
	int report_p[2], release_p[2], go[2], res[2], sv[2];
	int want = 0, r;
	uint32_t len;
	char *blob;

	memset(&cx, 0, sizeof(cx));
	self->handed = -1;
	if (*variant->opts && !kernel_at_least(3, 3)) {
		int h = procfs_honours_hidepid();

		ASSERT_LE(0, h) TH_LOG("hidepid probe failed");
		if (!h) {
			self->skipped = 2;
			SKIP(return, "procfs ignores hidepid= here (uid 65534 "
			     "sees /proc/1 through a hidepid=2 mount; before 3.3)");
		}
	}
	cx.opts = variant->opts;
	cx.in_group = variant->in_group;
	strcpy(cx.dir[0], "/tmp/nspid-hp.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(cx.dir[0]));
	ASSERT_EQ(0, chmod(cx.dir[0], 0755));
	ASSERT_EQ(0, pipe(report_p));
	ASSERT_EQ(0, pipe(release_p));
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(res));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	cx.report_w = report_p[1];
	cx.release_r = release_p[0];
	cx.release_w = release_p[1];
	cx.go_r[0] = go[0];
	cx.go_w[0] = go[1];
	cx.go_w[1] = -1;
	cx.res_w[0] = res[1];
	cx.fd_w = sv[1];
	self->release_w = release_p[1];

	self->init = spawn(CLONE_NEWPID | CLONE_NEWNS, hrole, H);
	ASSERT_LT(0, self->init);
	close(report_p[1]);
	close(res[1]);
	close(sv[1]);

	for (r = 0; r < NHROLES; r++)
		want += hrole_threads[r];
	/* All but the reader first; then it may drop its privileges. */
	while (want > hrole_threads[X]) {
		struct report rp;

		ASSERT_EQ(0, read_all(report_p[0], &rp, sizeof(rp)))
			TH_LOG("report pipe closed early: a scene child died");
		if (rp.kind == R_ERR && rp.role == H && rp.err == EINVAL &&
		    variant->named) {
			self->skipped = 1;
			SKIP(return, "mount -t proc -o %s: EINVAL (kernel before 5.8)",
			     variant->opts);
		}
		if (rp.kind == R_ERR && rp.role == H && rp.err == EINVAL &&
		    *variant->opts) {
			self->skipped = 1;
			SKIP(return, "mount -t proc -o %s: EINVAL (kernel before 3.3)",
			     variant->opts);
		}
		ASSERT_EQ(R_TASK, rp.kind)
			TH_LOG("%s failed: %s", hrole_name[rp.role], strerror(rp.err));
		self->tid[rp.role][rp.thread] = rp.tid;
		self->uid[rp.role] = rp.ppid;
		want--;
	}
	ASSERT_EQ(1, write(go[1], "g", 1));
	while (want) {
		struct report rp;

		ASSERT_EQ(0, read_all(report_p[0], &rp, sizeof(rp)));
		ASSERT_EQ(R_TASK, rp.kind)
			TH_LOG("%s failed: %s", hrole_name[rp.role], strerror(rp.err));
		self->tid[rp.role][rp.thread] = rp.tid;
		self->uid[rp.role] = rp.ppid;
		want--;
	}
	close(report_p[0]);
	ASSERT_EQ(NOBODY, self->uid[X]);
	ASSERT_EQ(0, self->uid[R]);

	self->handed = recv_fd(sv[0]);
	ASSERT_LE(0, self->handed);
	blob = recv_blob(res[0], &len);
	ASSERT_NE(NULL, blob);
	ASSERT_EQ(0, map_parse(blob, len, &self->seen))
		TH_LOG("reader's view: %s", self->seen.err);
	free(blob);
	blob = recv_blob(res[0], &len);
	ASSERT_NE(NULL, blob);
	memcpy(self->probe_rows, blob, len < 2 * MAXID ? len : 2 * MAXID);
	free(blob);
	blob = recv_blob(res[0], &len);
	ASSERT_NE(NULL, blob);
	ASSERT_EQ(MAXID, len);
	memcpy(self->probe_ids, blob, MAXID);
	free(blob);
	close(res[0]);
	close(sv[0]);
}

FIXTURE_TEARDOWN(hidepid)
{
	map_free(&self->seen);
	if (self->handed >= 0)
		close(self->handed);
	close(self->release_w);
	if (self->init > 0)
		waitpid(self->init, NULL, 0);
	rmdir(cx.dir[0]);
}

static int shown(const struct map *m, long tid)
{
	return map_find(m, tid) != NULL;
}

/* /proc lets the reader see details of thread group @tgid (probed). */
static int proc_shows(FIXTURE_DATA(hidepid) *self, long tgid)
{
	return tgid >= 1 && tgid <= MAXID && self->probe_ids[tgid - 1] == '1';
}

TEST_F_TIMEOUT(hidepid, rows, 120)
{
	const struct map *m = &self->seen;
	int i, r, t, all = 0;

	if (self->skipped)
		SKIP(return, "proc %s %s here", self->skipped == 2 ?
		     "ignores" : "cannot be mounted with", variant->opts);
	ASSERT_STREQ(MAP_HEADER, m->header);
	for (r = 0; r < NHROLES; r++)
		all += hrole_threads[r];
	/* The scene is what the variant says it is, as /proc sees it. */
	ASSERT_EQ(1, self->tid[H][0]);
	ASSERT_EQ(1, proc_shows(self, self->tid[X][0]));
	ASSERT_EQ(1, proc_shows(self, self->tid[U][0]));
	ASSERT_EQ(!variant->restricted, proc_shows(self, self->tid[H][0]));
	ASSERT_EQ(!variant->restricted, proc_shows(self, self->tid[R][0]));
	ASSERT_EQ(!variant->restricted, proc_shows(self, self->tid[D][0]));
	ASSERT_EQ(!variant->restricted, proc_shows(self, self->tid[G][0]));

	/* Every row shown is a task whose details /proc shows this uid. */
	ASSERT_LT(0, m->nrows);
	for (i = 0; i < m->nrows && i < 2 * MAXID; i++) {
		EXPECT_EQ('1', self->probe_rows[i])
			TH_LOG("line %d: pid %ld shown, /proc hides it",
			       m->rows[i].line, m->rows[i].pid);
	}
	/* Namespace-relative, all at level 0. */
	for (i = 0; i < m->nrows; i++) {
		EXPECT_EQ(0, m->rows[i].level);
		EXPECT_GE(MAXID, m->rows[i].pid);
	}
	for (r = 0; r < NHROLES; r++) {
		for (t = 0; t < hrole_threads[r]; t++) {
			long tid = self->tid[r][t];
			int want = !variant->restricted || r == U || r == X;

			EXPECT_EQ(want, shown(m, tid))
				TH_LOG("%s/%d (pid %ld, uid %ld) %s", hrole_name[r],
				       t, tid, self->uid[r],
				       want ? "missing" : "shown");
		}
	}
	EXPECT_EQ(variant->restricted ? hrole_threads[U] + hrole_threads[X] : all,
		  m->nrows);
}

/*
 * The descriptor the reader opened and never read, read by root (another
 * namespace, all capabilities) from offset 0: exactly the reader's view.
 */
TEST_F_TIMEOUT(hidepid, fd_to_root, 120)
{
	struct map m;
	size_t len;
	char *text;
	int i, r, t;

	if (self->skipped)
		SKIP(return, "proc %s %s here", self->skipped == 2 ?
		     "ignores" : "cannot be mounted with", variant->opts);
	ASSERT_EQ(0, getuid());
	ASSERT_EQ(0, lseek(self->handed, 0, SEEK_SET));
	text = map_read_fd(self->handed, 1 << 16, &len);
	ASSERT_NE(NULL, text);
	ASSERT_EQ(0, map_parse(text, len, &m)) TH_LOG("%s", m.err);
	free(text);
	ASSERT_EQ(self->seen.nrows, m.nrows);
	for (i = 0; i < m.nrows; i++) {
		EXPECT_EQ(self->seen.rows[i].pid, m.rows[i].pid);
		EXPECT_EQ(0, m.rows[i].level);
	}
	if (variant->restricted) {
		for (r = 0; r < NHROLES; r++) {
			if (r != H && r != R && r != D && r != G)
				continue;
			for (t = 0; t < hrole_threads[r]; t++) {
				EXPECT_EQ(0, shown(&m, self->tid[r][t]))
					TH_LOG("%s/%d shown to root through "
					       "the reader's descriptor",
					       hrole_name[r], t);
			}
		}
	}
	/* pread at 0 starts a fresh pass too. */
	{
		char buf[4096];
		ssize_t n = pread(self->handed, buf, sizeof(buf) - 1, 0);

		ASSERT_LT(0, n);
		buf[n] = '\0';
		ASSERT_EQ(0, strncmp(buf, MAP_HEADER "\n", strlen(MAP_HEADER) + 1));
		if (variant->restricted) {
			ASSERT_EQ(NULL, strstr(buf, "\n1\t1\t0\t"))
				TH_LOG("the init (root) row through pread");
		}
	}
	map_free(&m);
}

TEST_HARNESS_MAIN
