// SPDX-License-Identifier: GPL-2.0
/*
 * query_test - the ioctls of /proc/nspid_map (SPEC §1.6, ioctl_nspid_map(2))
 * against the rows read() shows through the same descriptor.
 *
 * The fixture builds PID namespaces nested three deep, each init with its
 * own proc mount (the container's own /proc): l1 "q-l1" with a process
 * "q-web" of three threads, l2 "q-l2", l3 "q-l3" with a thread and a child
 * "q-nobody3" of uid 65534 (dumpable, so a reader of that uid may
 * ptrace-read it), and a sibling container "q-hp" whose proc is mounted
 * hidepid=2, holding a root task and a uid-65534 one.
 *
 * For every row of every view (the host's /proc, each container's own,
 * a descriptor opened by uid 65534 and used by root, the hidepid mount seen
 * by root and by uid 65534), NSPID_IOC_GET_TASK on that row's pid and
 * NSPID_IOC_BY_NSPID at every level of its chain must answer exactly that
 * row, field by field; the reverse lookup below the reader's namespace must
 * give ESRCH where the row's namespace identity is hidden; every pid the
 * view does not show must give ESRCH. Rows of tasks that start or end
 * meanwhile are told apart by reading the map again.
 *
 * Built twice: with musl for the VM's native ABI (query_test), and with
 * gcc -m32 where the toolchain has it (query32_test, compat_ioctl).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <nspid/nspid_map.h>

#include "kselftest_harness.h"
#include "map.h"
#define MODCTL_FIXTURE
#include "modctl.h"
#include "oracle.h"
#include "procfs_quirks.h"

#define NOBODY		65534
#define MAXCHECKPID	(1 << 16)	/* absent pids probed: 1 .. highest + 64 */

/* ---- ioctl helpers ------------------------------------------------------ */

static int q_get(int fd, unsigned int pid, struct nspid_query *q)
{
	memset(q, 0, sizeof(*q));
	q->size = sizeof(*q);
	q->pid = pid;
	return ioctl(fd, NSPID_IOC_GET_TASK, q) ? -errno : 0;
}

/* level < 0: the naming task's own namespace (no NSPID_QUERY_AT_LEVEL). */
static int q_rev(int fd, unsigned int pid, int level, unsigned int nr,
		 struct nspid_query *q)
{
	memset(q, 0, sizeof(*q));
	q->size = sizeof(*q);
	q->pid = pid;
	q->nr = nr;
	if (level >= 0) {
		q->flags = NSPID_QUERY_AT_LEVEL;
		q->ns_level = level;
	}
	return ioctl(fd, NSPID_IOC_BY_NSPID, q) ? -errno : 0;
}

/* NULL when the answer is the row, else the first field that differs. */
static const char *q_differs(const struct map_row *r, const struct nspid_query *q)
{
	int i;

	if (q->mask != (NSPID_MASK_IDS | NSPID_MASK_NS | NSPID_MASK_COMM))
		return "mask";
	if ((long)q->tid != r->pid)
		return "pid";
	if ((long)q->tgid != r->tgid)
		return "tgid";
	if ((long)q->ppid != r->ppid)
		return "ppid";
	if ((long)q->nspid != r->nspid)
		return "nspid";
	if ((long)q->nstgid != r->nstgid)
		return "nstgid";
	if (q->pidns != r->pidns)
		return "pidns";
	if ((int)q->level != r->level)
		return "level";
	for (i = 0; i <= r->level; i++) {
		if ((long)q->chain[i] != r->chain[i])
			return "chain";
		if (q->nschain[i] != r->nschain[i])
			return "nschain";
	}
	for (; i < NSPID_CHAIN_MAX; i++)
		if (q->chain[i] || q->nschain[i])
			return "chain/nschain past level";
	if (memchr(q->comm, '\0', sizeof(q->comm)) == NULL ||
	    strcmp((const char *)q->comm, r->comm))
		return "comm";
	if (q->reserved)
		return "reserved";
	return NULL;
}

/* Who opened a view's descriptor, and through which procfs. */
struct view {
	int fd;
	uid_t opener;		/* 0 or NOBODY */
	const char *proc;	/* where that procfs is mounted */
	const char *label;
};

/*
 * May the opener ptrace-read task @pid, by the kernel's own check?
 * readlink of /proc/PID/exe asks ptrace_may_access(PTRACE_MODE_READ[_FSCREDS])
 * (proc_fd_access_allowed(), every era), so a child with the opener's ids
 * tries it. Root (CAP_SYS_PTRACE) may. A task without an mm (no exe link)
 * counts as not readable, as in the module.
 */
static int ptrace_readable(const struct view *v, long pid)
{
	char path[160], buf[256];
	int status;
	pid_t p;

	if (v->opener == 0)
		return 1;
	snprintf(path, sizeof(path), "%s/%ld/exe", v->proc, pid);
	p = fork();
	if (p < 0)
		return -1;
	if (p == 0) {
		if (setgroups(0, NULL) || setresgid(v->opener, v->opener, v->opener) ||
		    setresuid(v->opener, v->opener, v->opener))
			_exit(2);
		_exit(readlink(path, buf, sizeof(buf)) > 0 ? 0 : 1);
	}
	if (waitpid(p, &status, 0) != p)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/*
 * Does the view hide this row's namespace identity (SPEC §1.1)? Where pid
 * namespaces have inodes (3.8, and RHEL 6.8) the row says so (pidns 0
 * below the reader's level). Before, every row has pidns 0, so ask the
 * kernel's ptrace check instead.
 */
static int identity_hidden(const struct view *v, const struct map_row *r)
{
	if (r->level == 0)
		return 0;
	if (pidns_has_inode())
		return r->pidns == 0;
	return ptrace_readable(v, r->pid) != 1;
}

/* ---- reading a view ----------------------------------------------------- */

static int view_read(int fd, struct map *m)
{
	size_t len;
	char *text;
	int ret;

	if (lseek(fd, 0, SEEK_SET) != 0)
		return -1;
	text = map_read_fd(fd, 65536, &len);
	if (!text)
		return -1;
	ret = map_parse(text, len, m);
	free(text);
	return ret;
}

/*
 * One comparison, and what a second look says when it failed: 0 agree,
 * 1 the task changed meanwhile (its row is no longer the same), -1 a real
 * difference.
 */
struct ask {
	int kind;		/* 0 get, 1 reverse at level, 2 reverse own */
	int level;
};

static int ask_row(int fd, const struct map_row *r, struct ask a, int hidden,
		   const char **why, int *err)
{
	struct nspid_query q;

	switch (a.kind) {
	case 0:
		*err = q_get(fd, r->pid, &q);
		break;
	case 1:
		*err = q_rev(fd, r->pid, a.level, r->chain[a.level], &q);
		break;
	default:
		*err = q_rev(fd, r->pid, -1, r->nspid, &q);
		break;
	}
	/* Below the reader's namespace a hidden identity hides the answer. */
	if ((a.kind == 2 ? r->level > 0 : a.kind == 1 && a.level > 0) &&
	    hidden) {
		*why = *err == -ESRCH ? NULL : "answered a hidden identity";
		return *why ? -1 : 0;
	}
	*why = *err ? "error" : q_differs(r, &q);
	return *why ? -1 : 0;
}

static int same_row(const struct map_row *a, const struct map_row *b)
{
	return a->pid == b->pid && a->tgid == b->tgid && a->ppid == b->ppid &&
	       a->nspid == b->nspid && a->pidns == b->pidns &&
	       a->level == b->level && !strcmp(a->comm, b->comm) &&
	       !memcmp(a->chain, b->chain, sizeof(a->chain)) &&
	       !memcmp(a->nschain, b->nschain, sizeof(a->nschain));
}

struct tally {
	int rows, asks, raced, bad, absent;
};

/*
 * Every row of the view through @fd against the ioctls on @fd, and every
 * pid the view lacks (up to the highest + 64) gives ESRCH.
 */
static void check_view(struct __test_metadata *_metadata,
		       const struct view *v, struct tally *t)
{
	const char *label = v->label;
	struct map m, again;
	int fd = v->fd;
	long maxpid = 0;
	int i, k;

	memset(t, 0, sizeof(*t));
	ASSERT_EQ(0, view_read(fd, &m)) TH_LOG("%s: %s", label, m.err);
	ASSERT_LT(0, m.nrows);
	for (i = 0; i < m.nrows; i++) {
		const struct map_row *r = &m.rows[i];
		int hidden = identity_hidden(v, r);

		t->rows++;
		if (r->pid > maxpid)
			maxpid = r->pid;
		for (k = -2; k <= r->level; k++) {
			struct ask a = { k == -2 ? 0 : k == -1 ? 2 : 1, k };
			const struct map_row *now;
			const char *why;
			int err;

			t->asks++;
			if (!ask_row(fd, r, a, hidden, &why, &err))
				continue;
			/* A second look: is the task still what the row says? */
			ASSERT_EQ(0, view_read(fd, &again));
			now = map_find(&again, r->pid);
			if (!now || !same_row(now, r)) {
				t->raced++;
				map_free(&again);
				continue;
			}
			if (ask_row(fd, r, a, hidden, &why, &err)) {
				t->bad++;
				EXPECT_EQ(NULL, why)
					TH_LOG("%s: pid %ld (%s) ask %d level %d: %s (err %d)",
					       label, r->pid, r->comm, a.kind,
					       a.level, why, err);
			}
			map_free(&again);
		}
	}
	maxpid = maxpid + 64 < MAXCHECKPID ? maxpid + 64 : MAXCHECKPID;
	for (k = 1; k <= maxpid; k++) {
		struct nspid_query q;
		int err;

		if (map_find(&m, k))
			continue;
		err = q_get(fd, k, &q);
		if (err == -ESRCH) {
			t->absent++;
			continue;
		}
		ASSERT_EQ(0, view_read(fd, &again));
		if (map_find(&again, k)) {
			t->raced++;
			map_free(&again);
			continue;
		}
		map_free(&again);
		err = q_get(fd, k, &q);
		EXPECT_EQ(-ESRCH, err)
			TH_LOG("%s: pid %d not in the view, ioctl gives %d (tid %u)",
			       label, k, err, q.tid);
		t->bad += err != -ESRCH;
	}
	TH_LOG("%s: %d rows, %d questions, %d absent pids, %d raced, %d wrong",
	       label, t->rows, t->asks, t->absent, t->raced, t->bad);
	map_free(&m);
}

/* The row of the task named @comm in the view through @fd; 0 or -1. */
static int view_row(int fd, const char *comm, struct map_row *out)
{
	struct map m;
	int i, found = -1;

	if (view_read(fd, &m))
		return -1;
	for (i = 0; i < m.nrows; i++) {
		if (!strcmp(m.rows[i].comm, comm)) {
			*out = m.rows[i];
			found = 0;
			break;
		}
	}
	map_free(&m);
	return found;
}

/* ---- the scene ---------------------------------------------------------- */

static struct {
	char dir[64];
	int ready_w;
	int hidepid_works;
} cx;

static pid_t clone_ns(void)
{
	return syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, NULL, NULL, NULL, NULL);
}

static void ready(void)
{
	if (write(cx.ready_w, "r", 1) != 1)
		_exit(91);
}

static void park(const char *name)
{
	prctl(PR_SET_NAME, name);
	ready();
	for (;;)
		pause();
}

static void *thread_park(void *name)
{
	prctl(PR_SET_NAME, name);
	ready();
	for (;;)
		pause();
	return NULL;
}

static void spawn_thread(const char *name)
{
	pthread_t t;

	if (pthread_create(&t, NULL, thread_park, (void *)name))
		_exit(92);
}

static void mount_proc(const char *sub, const char *opts)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", cx.dir, sub);
	if (!opts) {
		if (mount("proc", path, "proc", 0, NULL))
			_exit(93);
		return;
	}
	/*
	 * So that hidepid= holds on 4.19 too (procfs_quirks.h); before 3.3
	 * there is none, and the test that needs it says so.
	 */
	switch (procfs_mount(path, opts)) {
	case 0:
		return;
	case -3:
		if (!kernel_at_least(3, 3))
			return;
		/* fall through */
	default:
		_exit(93);
	}
}

static void become_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		_exit(94);
	/* A uid change clears dumpable; a same-uid reader may ptrace it. */
	prctl(PR_SET_DUMPABLE, 1);
}

/* Every process dies with the one that made it. */
static pid_t child(void)
{
	pid_t p = fork();

	if (p == 0)
		prctl(PR_SET_PDEATHSIG, SIGKILL);
	return p;
}

static pid_t child_ns(void)
{
	pid_t p = clone_ns();

	if (p == 0)
		prctl(PR_SET_PDEATHSIG, SIGKILL);
	return p;
}

static void level3(void)
{
	mount_proc("l3", NULL);
	if (child() == 0) {
		become_nobody();
		park("q-nobody3");
	}
	spawn_thread("q-l3-thread");
	park("q-l3");
}

static void level2(void)
{
	mount_proc("l2", NULL);
	if (child_ns() == 0)
		level3();
	park("q-l2");
}

static void level1(void)
{
	mount_proc("l1", NULL);
	if (child() == 0) {
		spawn_thread("q-worker 0");
		spawn_thread("q-worker 1");
		park("q-web");
	}
	if (child_ns() == 0)
		level2();
	park("q-l1");
}

static void hidepid_ns(void)
{
	mount_proc("hp", "hidepid=2");
	if (child() == 0) {
		become_nobody();
		park("q-hp-nobody");
	}
	if (child() == 0)
		park("q-hp-root");
	park("q-hp");
}

/* Tasks that say ready: l1 1, web 3, l2 1, l3 2, nobody3 1; hp 3. */
#define SCENE_READY	11

FIXTURE(nest) {
	pid_t l1, hp;
};

FIXTURE_SETUP(nest)
{
	static const char *const subs[] = { "l1", "l2", "l3", "hp" };
	int pipefd[2];
	unsigned int i;
	char c;

	ASSERT_TRUE(map_exists()) TH_LOG("module not loaded");
	snprintf(cx.dir, sizeof(cx.dir), "/tmp/nspid-query.%d", getpid());
	ASSERT_EQ(0, mkdir(cx.dir, 0755));
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		char path[128];

		snprintf(path, sizeof(path), "%s/%s", cx.dir, subs[i]);
		ASSERT_EQ(0, mkdir(path, 0755));
	}
	ASSERT_EQ(0, pipe(pipefd));
	cx.ready_w = pipefd[1];
	self->l1 = clone_ns();
	ASSERT_LE(0, self->l1);
	if (self->l1 == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(pipefd[0]);
		level1();
	}
	self->hp = clone_ns();
	ASSERT_LE(0, self->hp);
	if (self->hp == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(pipefd[0]);
		hidepid_ns();
	}
	close(pipefd[1]);
	for (i = 0; i < SCENE_READY; i++)
		ASSERT_EQ(1, read(pipefd[0], &c, 1)) TH_LOG("scene incomplete: %u of %d",
							   i, SCENE_READY);
	close(pipefd[0]);
}

FIXTURE_TEARDOWN(nest)
{
	static const char *const subs[] = { "l3", "l2", "l1", "hp" };
	unsigned int i;

	if (self->l1 > 0)
		kill(self->l1, SIGKILL);
	if (self->hp > 0)
		kill(self->hp, SIGKILL);
	while (waitpid(-1, NULL, 0) > 0)
		;
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		char path[128];

		snprintf(path, sizeof(path), "%s/%s", cx.dir, subs[i]);
		umount2(path, MNT_DETACH);
		rmdir(path);
	}
	rmdir(cx.dir);
}

static int open_view(const char *sub)
{
	char path[128];

	if (!sub)
		return open(MAP_PATH, O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "%s/%s/nspid_map", cx.dir, sub);
	return open(path, O_RDONLY | O_CLOEXEC);
}

/* A descriptor opened by uid 65534 (in a child), handed to us. */
static int open_view_as_nobody(const char *sub)
{
	char cbuf[CMSG_SPACE(sizeof(int))], c = 'f';
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	int sv[2], fd = -1;
	pid_t p;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return -1;
	p = fork();
	if (p < 0)
		return -1;
	if (p == 0) {
		close(sv[0]);
		become_nobody();
		fd = open_view(sub);
		if (fd < 0)
			_exit(95);
		memset(cbuf, 0, sizeof(cbuf));
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
		_exit(sendmsg(sv[1], &msg, 0) == 1 ? 0 : 96);
	}
	close(sv[1]);
	if (recvmsg(sv[0], &msg, 0) == 1) {
		cm = CMSG_FIRSTHDR(&msg);
		if (cm && cm->cmsg_type == SCM_RIGHTS)
			memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	}
	close(sv[0]);
	waitpid(p, NULL, 0);
	return fd;
}

/* ---- every row of every view -------------------------------------------- */

TEST_F_TIMEOUT(nest, host_view, 300)
{
	struct map_row r;
	struct tally t;
	int fd = open_view(NULL);

	ASSERT_LE(0, fd);
	check_view(_metadata, &(struct view){ fd, 0, "/proc", "host" }, &t);
	EXPECT_EQ(0, t.bad);
	/* The scene is in it, down to level 3. */
	ASSERT_EQ(0, view_row(fd, "q-nobody3", &r));
	EXPECT_EQ(3, r.level);
	ASSERT_EQ(0, view_row(fd, "q-worker 1", &r));
	EXPECT_EQ(1, r.level);
	close(fd);
}

TEST_F_TIMEOUT(nest, container_views, 300)
{
	static const char *const subs[] = { "l1", "l2", "l3" };
	unsigned int i;

	for (i = 0; i < 3; i++) {
		struct map_row r;
		struct tally t;
		int fd = open_view(subs[i]);

		ASSERT_LE(0, fd) TH_LOG("open %s: %s", subs[i], strerror(errno));
		check_view(_metadata, &(struct view){ fd, 0, NULL, subs[i] }, &t);
		EXPECT_EQ(0, t.bad);
		/* Container-relative: the deepest task sits 2 - i below. */
		ASSERT_EQ(0, view_row(fd, "q-nobody3", &r));
		EXPECT_EQ(2 - (int)i, r.level);
		EXPECT_EQ(r.chain[0], r.pid);
		/* Each container's own init is 1 there. */
		ASSERT_EQ(0, view_row(fd, i == 0 ? "q-l1" : i == 1 ? "q-l2" : "q-l3", &r));
		EXPECT_EQ(1, r.pid);
		EXPECT_EQ(0, r.level);
		close(fd);
	}
}

/*
 * The reverse at every level of the three-deep nesting, from the host:
 * q-nobody3 by its number in each namespace of its chain, named by itself
 * and by the init of that namespace; and the inits by number 1.
 */
TEST_F_TIMEOUT(nest, reverse_every_level, 300)
{
	static const char *const inits[] = { NULL, "q-l1", "q-l2", "q-l3" };
	struct map_row deep, init;
	struct nspid_query q;
	int fd = open_view(NULL), lvl;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, view_row(fd, "q-nobody3", &deep));
	ASSERT_EQ(3, deep.level);
	for (lvl = 0; lvl <= 3; lvl++) {
		ASSERT_EQ(0, q_rev(fd, deep.pid, lvl, deep.chain[lvl], &q)) TH_LOG("level %d", lvl);
		EXPECT_EQ(NULL, q_differs(&deep, &q));
		if (!inits[lvl])
			continue;
		ASSERT_EQ(0, view_row(fd, inits[lvl], &init));
		ASSERT_EQ(lvl, init.level);
		EXPECT_EQ(1, init.nspid);
		/* Named by the init, own namespace: q-nobody3's number there. */
		ASSERT_EQ(0, q_rev(fd, init.pid, -1, deep.chain[lvl], &q));
		EXPECT_EQ(NULL, q_differs(&deep, &q));
		/* Named by q-nobody3 at that level, number 1: the init. */
		ASSERT_EQ(0, q_rev(fd, deep.pid, lvl, 1, &q));
		EXPECT_EQ(NULL, q_differs(&init, &q));
		/* A number nobody has there. */
		EXPECT_EQ(-ESRCH, q_rev(fd, init.pid, -1, 4000000, &q));
		/* The init's own chain ends at lvl: a deeper level is EINVAL. */
		EXPECT_EQ(-EINVAL, q_rev(fd, init.pid, lvl + 1, 1, &q));
	}
	/* Level 0 is the reader's namespace: the same as NSPID_IOC_GET_TASK. */
	ASSERT_EQ(0, q_rev(fd, deep.pid, 0, deep.pid, &q));
	EXPECT_EQ(NULL, q_differs(&deep, &q));
	close(fd);
}

/*
 * Opened by uid 65534, used by root: the rows of root's tasks below the
 * reader's namespace have their identity zeroed, and so do the answers,
 * and the reverse lookup in those namespaces gives ESRCH; q-nobody3 (same
 * uid, dumpable) keeps its identity, and its reverse lookups work.
 */
TEST_F_TIMEOUT(nest, passed_to_root, 300)
{
	struct map_row deep, l2;
	struct nspid_query q;
	struct tally t;
	int fd = open_view_as_nobody(NULL), lvl;

	ASSERT_LE(0, fd);
	check_view(_metadata, &(struct view){ fd, NOBODY, "/proc",
					      "host, opened by 65534" }, &t);
	EXPECT_EQ(0, t.bad);
	ASSERT_EQ(0, view_row(fd, "q-l2", &l2));
	ASSERT_EQ(0, view_row(fd, "q-nobody3", &deep));
	if (pidns_has_inode()) {
		EXPECT_EQ(0, l2.pidns);
		EXPECT_NE(0, deep.pidns);
	}
	ASSERT_EQ(0, q_get(fd, l2.pid, &q));
	EXPECT_EQ(0, q.pidns);
	EXPECT_EQ(0, q.nschain[1]);
	EXPECT_EQ(0, q.nschain[2]);
	EXPECT_EQ(-ESRCH, q_rev(fd, l2.pid, -1, 1, &q));
	EXPECT_EQ(-ESRCH, q_rev(fd, l2.pid, 1, l2.chain[1], &q));
	EXPECT_EQ(0, q_rev(fd, l2.pid, 0, l2.pid, &q));
	/* q-nobody3 named in its namespaces; the inits there stay hidden. */
	for (lvl = 1; lvl <= 3; lvl++) {
		EXPECT_EQ(0, q_rev(fd, deep.pid, lvl, deep.chain[lvl], &q));
		EXPECT_EQ(-ESRCH, q_rev(fd, deep.pid, lvl, 1, &q));
	}
	close(fd);
}

/*
 * hidepid=2: root's view of the mount shows everything; uid 65534's
 * descriptor, used by root, answers only for its own task, and ESRCH for
 * every row root's view has beyond it.
 */
TEST_F_TIMEOUT(nest, hidepid, 300)
{
	struct map mr, mn;
	struct nspid_query q;
	struct tally t;
	int fr = open_view("hp"), fn = open_view_as_nobody("hp"), i, hidden = 0;
	char hp[128];

	ASSERT_LE(0, fr);
	ASSERT_LE(0, fn);
	ASSERT_EQ(0, view_read(fr, &mr));
	ASSERT_EQ(0, view_read(fn, &mn));
	if (map_find(&mn, 1)) {
		map_free(&mr);
		map_free(&mn);
		ASSERT_FALSE(kernel_at_least(3, 3))
			TH_LOG("65534 sees the init through hidepid=2");
		SKIP(return, "procfs ignores hidepid= (Linux before 3.3)");
	}
	snprintf(hp, sizeof(hp), "%s/hp", cx.dir);
	check_view(_metadata, &(struct view){ fr, 0, hp, "hidepid=2, root" }, &t);
	EXPECT_EQ(0, t.bad);
	check_view(_metadata, &(struct view){ fn, NOBODY, hp,
					      "hidepid=2, opened by 65534" }, &t);
	EXPECT_EQ(0, t.bad);
	for (i = 0; i < mr.nrows; i++) {
		const struct map_row *r = &mr.rows[i];

		if (map_find(&mn, r->pid))
			continue;
		hidden++;
		EXPECT_EQ(-ESRCH, q_get(fn, r->pid, &q)) TH_LOG("pid %ld", r->pid);
		EXPECT_EQ(-ESRCH, q_rev(fn, r->pid, -1, r->nspid, &q));
		EXPECT_EQ(-ESRCH, q_rev(fn, r->pid, 0, r->pid, &q));
	}
	EXPECT_LE(2, hidden);	/* q-hp, q-hp-root */
	EXPECT_EQ(1, mn.nrows) TH_LOG("65534 sees %d rows", mn.nrows);
	map_free(&mr);
	map_free(&mn);
	close(fr);
	close(fn);
}

/* ---- input -------------------------------------------------------------- */

TEST(sizes)
{
	struct { struct nspid_query q; uint8_t tail[64]; } big;
	int fd = open(MAP_PATH, O_RDONLY), self = syscall(SYS_gettid);
	struct nspid_query q;
	struct map_row r;
	char comm[16];
	struct map m;

	ASSERT_LE(0, fd);
	ASSERT_EQ(NSPID_QUERY_SIZE_VER0, sizeof(struct nspid_query));
	prctl(PR_GET_NAME, comm);
	ASSERT_EQ(0, q_get(fd, self, &q));
	EXPECT_EQ((unsigned int)self, q.tid);
	EXPECT_STREQ(comm, (char *)q.comm);
	ASSERT_EQ(0, view_read(fd, &m));
	ASSERT_NE(NULL, map_find(&m, self));
	r = *map_find(&m, self);
	map_free(&m);
	EXPECT_EQ(NULL, q_differs(&r, &q));

	/* Too small, far too big. */
	memset(&q, 0, sizeof(q));
	q.pid = self;
	q.size = 0;
	EXPECT_EQ(-1, ioctl(fd, NSPID_IOC_GET_TASK, &q));
	EXPECT_EQ(EINVAL, errno);
	q.size = NSPID_QUERY_SIZE_VER0 - 1;
	EXPECT_EQ(-1, ioctl(fd, NSPID_IOC_GET_TASK, &q));
	EXPECT_EQ(EINVAL, errno);
	q.size = 4097;
	EXPECT_EQ(-1, ioctl(fd, NSPID_IOC_GET_TASK, &q));
	EXPECT_EQ(E2BIG, errno);

	/* A newer caller's larger struct: zero tail works, left untouched. */
	memset(&big, 0, sizeof(big));
	big.q.size = sizeof(big);
	big.q.pid = self;
	ASSERT_EQ(0, ioctl(fd, NSPID_IOC_GET_TASK, &big));
	EXPECT_EQ(sizeof(big), big.q.size);
	EXPECT_EQ(NULL, q_differs(&r, &big.q));
	for (unsigned int i = 0; i < sizeof(big.tail); i++)
		ASSERT_EQ(0, big.tail[i]);
	/* ... a field this module does not know, set: E2BIG. */
	big.tail[63] = 1;
	EXPECT_EQ(-1, ioctl(fd, NSPID_IOC_GET_TASK, &big));
	EXPECT_EQ(E2BIG, errno);

	/* Flags and fields that do not belong. */
	memset(&q, 0, sizeof(q));
	q.size = sizeof(q);
	q.pid = self;
	q.flags = NSPID_QUERY_AT_LEVEL;
	EXPECT_EQ(-1, ioctl(fd, NSPID_IOC_GET_TASK, &q));
	EXPECT_EQ(EINVAL, errno);
	q.flags = 0x80;
	q.nr = self;
	EXPECT_EQ(-1, ioctl(fd, NSPID_IOC_BY_NSPID, &q));
	EXPECT_EQ(EINVAL, errno);
	q.flags = 0;
	q.ns_level = 1;
	EXPECT_EQ(-1, ioctl(fd, NSPID_IOC_BY_NSPID, &q));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-EINVAL, q_get(fd, 0, &q));
	EXPECT_EQ(-EINVAL, q_rev(fd, self, 0, 0, &q));
	EXPECT_EQ(-EINVAL, q_rev(fd, self, NSPID_CHAIN_MAX, 1, &q));
	EXPECT_EQ(-ESRCH, q_get(fd, 0xffffffffu, &q));
	EXPECT_EQ(-ESRCH, q_get(fd, 4194305, &q));
	close(fd);
}

TEST(bad_pointers)
{
	long page = sysconf(_SC_PAGESIZE);
	int fd = open(MAP_PATH, O_RDONLY), self = syscall(SYS_gettid);
	struct nspid_query *q;
	char *map;

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, ioctl(fd, NSPID_IOC_GET_TASK, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(fd, NSPID_IOC_BY_NSPID, (void *)1));
	EXPECT_EQ(EFAULT, errno);
	/* The struct at the end of a page, the next one inaccessible. */
	map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, mprotect(map + page, page, PROT_NONE));
	q = (struct nspid_query *)(map + page - sizeof(*q));
	q->size = sizeof(*q);
	q->pid = self;
	EXPECT_EQ(0, ioctl(fd, NSPID_IOC_GET_TASK, q));
	EXPECT_EQ((unsigned int)self, q->tid);
	/* Says it is larger: the tail is unreadable. */
	q->size = sizeof(*q) + 8;
	EXPECT_EQ(-1, ioctl(fd, NSPID_IOC_GET_TASK, q));
	EXPECT_EQ(EFAULT, errno);
	/* Straddling into the inaccessible page. */
	q = (struct nspid_query *)(map + page - 16);
	q->size = sizeof(*q);
	EXPECT_EQ(-1, ioctl(fd, NSPID_IOC_GET_TASK, q));
	EXPECT_EQ(EFAULT, errno);
	/* Readable but not writable: the answer cannot be written. */
	q = (struct nspid_query *)map;
	memset(q, 0, sizeof(*q));
	q->size = sizeof(*q);
	q->pid = self;
	ASSERT_EQ(0, mprotect(map, page, PROT_READ));
	EXPECT_EQ(-1, ioctl(fd, NSPID_IOC_GET_TASK, q));
	EXPECT_EQ(EFAULT, errno);
	munmap(map, 2 * page);
	close(fd);
}

TEST(unknown_numbers)
{
	static const unsigned long cmds[] = {
		_IOWR(NSPID_IOC_MAGIC, 0, struct nspid_query),
		_IOWR(NSPID_IOC_MAGIC, 3, struct nspid_query),
		_IOWR(NSPID_IOC_MAGIC, 0xff, struct nspid_query),
		_IOR(NSPID_IOC_MAGIC, 1, struct nspid_query),
		_IOW(NSPID_IOC_MAGIC, 2, struct nspid_query),
		_IO(NSPID_IOC_MAGIC, 1),
		_IOWR(NSPID_IOC_MAGIC + 1, 1, struct nspid_query),
		_IOWR(0xb7, 1, struct nspid_query),	/* nsfs's type */
		0x5401,					/* TCGETS */
		0xdeadbeef,
	};
	struct nspid_query q;
	unsigned int i;
	int fd = open(MAP_PATH, O_RDONLY);

	ASSERT_LE(0, fd);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		memset(&q, 0, sizeof(q));
		q.size = sizeof(q);
		q.pid = 1;
		errno = 0;
		EXPECT_EQ(-1, ioctl(fd, cmds[i], &q)) TH_LOG("cmd %#lx", cmds[i]);
		EXPECT_EQ(ENOTTY, errno) TH_LOG("cmd %#lx", cmds[i]);
	}
	/* The size bits of the number do not count: @size does. */
	memset(&q, 0, sizeof(q));
	q.size = sizeof(q);
	q.pid = 1;
	EXPECT_EQ(0, ioctl(fd, _IOC(_IOC_READ | _IOC_WRITE, NSPID_IOC_MAGIC, 1, 8), &q));
	EXPECT_EQ(1, q.tid);
	close(fd);
}

/* ---- unload -------------------------------------------------------------- */

#define RACE_CYCLES	15	/* 2 s in all in the 6.1 VM, idle host; 30 s loaded */

static volatile int race_stop;
static int race_bad_err, race_ok, race_gone;

static void *race_reader(void *arg)
{
	long tid = syscall(SYS_gettid);

	(void)arg;
	while (!race_stop) {
		struct nspid_query q;
		int fd = open(MAP_PATH, O_RDONLY), e;

		if (fd < 0)
			continue;
		for (int i = 0; i < 50 && !race_stop; i++) {
			e = q_get(fd, tid, &q);
			if (e == 0 && (long)q.tid == tid)
				__sync_fetch_and_add(&race_ok, 1);
			else if (e == -ENOTTY || e == -EIO || e == -ENOENT)
				__sync_fetch_and_add(&race_gone, 1);
			else
				__sync_val_compare_and_swap(&race_bad_err, 0,
							    e ? e : -1000);
		}
		close(fd);
	}
	return NULL;
}

/* FIXTURE(mod) comes from modctl.h (MODCTL_FIXTURE). */

/*
 * Readers open, ask and close in a loop while the module is unloaded and
 * loaded again: every answer is right or an error of a removed entry
 * (ENOTTY from procfs once the entry is gone, 3.10 on); never a wrong
 * answer, and the kernel log stays clean (the VM runner checks it).
 */
TEST_F_TIMEOUT(mod, ioctls_racing_unload, 300)
{
	pthread_t t[4];
	int i, r, unloads = 0, pinned = open_file_pins_module();
	time_t t0 = time(NULL);

	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, race_reader, NULL));
	for (i = 0; i < RACE_CYCLES; i++) {
		usleep(20000);
		/*
		 * Where the readers' open files pin the module (before 3.10, and RHEL 6),
		 * a retried O_NONBLOCK unload waits for an instant when none
		 * of the four has the file open (on 2.6.32 with two CPUs,
		 * 300 to 1,900 tries of 15 to 30 ms each per unload). Wait
		 * for the last close instead; meanwhile the readers go on
		 * asking on their open files and opening, and meet the
		 * GOING module and the entry's removal.
		 */
		r = pinned ? mod_unload_wait() : mod_unload_retry(20000);
		if (r) {
			TH_LOG("unload %d: %s", i, strerror(-r));
			break;
		}
		unloads++;
		usleep(5000);
		r = mod_load();
		if (r) {
			TH_LOG("load %d: %s", i, strerror(-r));
			break;
		}
	}
	race_stop = 1;
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	if (!map_exists())
		EXPECT_EQ(0, mod_load());
	TH_LOG("%d unloads (%s) in %lds; answers: %d right, %d from a removed entry",
	       unloads, pinned ? "waiting for the last close" : "O_NONBLOCK",
	       (long)(time(NULL) - t0), race_ok, race_gone);
	EXPECT_EQ(RACE_CYCLES, unloads);
	EXPECT_EQ(0, race_bad_err);
	EXPECT_LT(0, race_ok);
}

/* A descriptor that outlives the module answers with an error, never a row. */
TEST_F_TIMEOUT(mod, stale_descriptor, 120)
{
	struct nspid_query q;
	int fd, r;

	fd = open(MAP_PATH, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, q_get(fd, 1, &q));
	r = mod_unload();
	if (r) {
		/* Before 3.10 the open file pins the module. */
		EXPECT_TRUE(is_busy(r));
		EXPECT_EQ(0, q_get(fd, 1, &q));
		close(fd);
		ASSERT_EQ(0, mod_unload_retry(1000));
	} else {
		EXPECT_NE(0, q_get(fd, 1, &q));
		close(fd);
	}
	ASSERT_EQ(0, mod_load());
	ASSERT_TRUE(map_exists());
}

TEST_HARNESS_MAIN
