// SPDX-License-Identifier: GPL-2.0
/*
 * reader_test - nspid(1) against the live module, in the VM (SPEC §2).
 *
 * The fixture builds three nested PID namespaces with known ids:
 *
 *   ns1: A=1  B=2  T=3 (a thread of B)  C=4  D=5  E=6
 *   ns2:                                C=1  D=2  E=3
 *   ns3:                                          E=1
 *
 * The namespaces come from clone(CLONE_NEWPID), which every supported
 * kernel has. Each task (T too) sends SCM_CREDENTIALS with its own id; the
 * kernel translates it, so the test learns every host id without /proc
 * (before 2.6.36 it does not translate: there the host id is the one /proc
 * gives the task's unique name, oracle.h). The namespace inodes come from
 * stat() on /proc/PID/ns/pid; before 3.8 there are none, the map prints 0,
 * nspid refuses --ns INODE (exit 2) and the test names each namespace with
 * --ns-of its init instead. Then every call
 * of SPEC §2 runs /bin/nspid (userspace/nspid-static) and is checked
 * against what the test knows, and the module and status sources are
 * compared byte for byte.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "kselftest_harness.h"
#include "oracle.h"

#define NSPID_BIN	"/bin/nspid"
#define OUT_MAX		(1 << 20)

enum { A, B, T, C, D, E, NROLES };
static const char *const role_comm[NROLES] = {
	"rt-a", "rt-b", "rt-t", "rt-c", "rt-d", "rt-e"
};
/* ids in ns1, ns2, ns3 (0: not there) */
static const unsigned int role_ids[NROLES][3] = {
	{ 1, 0, 0 }, { 2, 0, 0 }, { 3, 0, 0 },
	{ 4, 1, 0 }, { 5, 2, 0 }, { 6, 3, 1 },
};

/* ---- the scene ------------------------------------------------------- */

static int cred_fd;	/* the senders' end, inherited */

static void send_cred(int role)
{
	struct ucred cr = { .pid = (pid_t)syscall(SYS_gettid),
			    .uid = getuid(), .gid = getgid() };
	char cbuf[CMSG_SPACE(sizeof(cr))];
	struct iovec iov = { .iov_base = &role, .iov_len = sizeof(role) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;

	memset(cbuf, 0, sizeof(cbuf));
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_CREDENTIALS;
	cm->cmsg_len = CMSG_LEN(sizeof(cr));
	memcpy(CMSG_DATA(cm), &cr, sizeof(cr));
	if (sendmsg(cred_fd, &msg, 0) != sizeof(role))
		_exit(90);
}

static void become(int role)
{
	prctl(PR_SET_NAME, role_comm[role], 0, 0, 0);
	send_cred(role);
}

static void __attribute__((noreturn)) park(void)
{
	for (;;)
		pause();
}

/*
 * Fork fn() and wait until it says it is ready (one byte on the pipe); with
 * CLONE_NEWPID in @flags the child is the init of a new pid namespace.
 * clone(2) has made pid namespaces since 2.6.24; unshare(CLONE_NEWPID) only
 * since 3.8. A raw clone leaves musl's cached thread id stale in the child:
 * the roles made that way (A, C, E) create no threads themselves.
 */
static void spawn(void (*fn)(int ready), unsigned long flags)
{
	pid_t pid;
	int p[2];
	char c;

	if (pipe(p))
		_exit(91);
	pid = flags ? syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL)
		    : fork();
	switch (pid) {
	case -1:
		_exit(92);
	case 0:
		close(p[0]);
		fn(p[1]);
		_exit(93);
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1)
		_exit(94);
	close(p[0]);
}

static void ready(int fd)
{
	if (write(fd, "r", 1) != 1)
		_exit(95);
	close(fd);
}

static void *thread_t(void *arg)
{
	become(T);
	ready(*(int *)arg);
	park();
}

static void role_b(int fd)
{
	pthread_t th;
	int p[2];
	char c;

	become(B);
	if (pipe(p) || pthread_create(&th, NULL, thread_t, &p[1]) ||
	    read(p[0], &c, 1) != 1)
		_exit(96);
	ready(fd);
	park();
}

static void role_leaf(int role, int fd)
{
	become(role);
	ready(fd);
	park();
}

static void role_d(int fd) { role_leaf(D, fd); }
static void role_e(int fd) { role_leaf(E, fd); }

static void role_c(int fd)
{
	become(C);
	spawn(role_d, 0);
	spawn(role_e, CLONE_NEWPID);
	ready(fd);
	park();
}

static void role_a(int fd)
{
	become(A);
	spawn(role_b, 0);
	spawn(role_c, CLONE_NEWPID);
	ready(fd);
	park();
}

/* The helper H at level 0: A's parent, so that A is ns1's init. */
static void __attribute__((noreturn)) helper(void)
{
	spawn(role_a, CLONE_NEWPID);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	_exit(0);
}

/* Receive one role's credentials; its id as the test sees it, or -1. */
static int recv_cred(int fd, int *role)
{
	char cbuf[CMSG_SPACE(sizeof(struct ucred))];
	struct iovec iov = { .iov_base = role, .iov_len = sizeof(*role) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct cmsghdr *cm;
	struct ucred cr;

	if (poll(&pfd, 1, 20000) != 1 ||
	    recvmsg(fd, &msg, 0) != sizeof(*role))
		return -1;
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_CREDENTIALS || *role < 0 ||
	    *role >= NROLES)
		return -1;
	memcpy(&cr, CMSG_DATA(cm), sizeof(cr));
	return cr.pid;
}

static unsigned int ns_inode(unsigned int pid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%u/ns/pid", pid);
	return stat(path, &st) ? 0 : (unsigned int)st.st_ino;
}

/* ---- running nspid --------------------------------------------------- */

struct run {
	int rc;
	char out[OUT_MAX];
	char err[4096];
};

static void slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? 0 : read(fd, buf, size - 1);

	buf[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
}

/* Run nspid as uid (-1: ourselves) with the arguments in ap; fills r. */
static void vnspid(int uid, struct run *r, va_list ap)
{
	const char *argv[32] = { "nspid" };
	const char *out = "/tmp/reader_test.out", *err = "/tmp/reader_test.err";
	int n = 1, st, fd;
	pid_t pid;

	while (n < 31 && (argv[n] = va_arg(ap, const char *)))
		n++;
	argv[n] = NULL;
	unlink(out);
	unlink(err);
	pid = fork();
	if (pid == 0) {
		fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		dup2(fd, 1);
		fd = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		dup2(fd, 2);
		if (uid >= 0 && (setgid((gid_t)uid) || setuid((uid_t)uid)))
			_exit(126);
		execv(NSPID_BIN, (char *const *)argv);
		_exit(127);
	}
	r->rc = -1;
	if (pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st))
		r->rc = WEXITSTATUS(st);
	slurp(out, r->out, sizeof(r->out));
	slurp(err, r->err, sizeof(r->err));
}

/* Run nspid with the NULL-terminated arguments; fills r. */
static void nspid(struct run *r, ...)
{
	va_list ap;

	va_start(ap, r);
	vnspid(-1, r, ap);
	va_end(ap);
}

/* The same as the unprivileged user nobody. */
static void nspid_nobody(struct run *r, ...)
{
	va_list ap;

	va_start(ap, r);
	vnspid(65534, r, ap);
	va_end(ap);
}

static const char *u(char *buf, unsigned int v)
{
	sprintf(buf, "%u", v);
	return buf;
}

/* ---- a small JSON syntax checker ------------------------------------- */

static const char *json_value(const char *p);

static const char *ws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

static const char *json_string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	while (*p && *p != '"') {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\') {
			p++;
			if (*p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!isxdigit((unsigned char)p[i]))
						return NULL;
				p += 4;
			} else if (!strchr("\"\\/bfnrt", *p) || !*p) {
				return NULL;
			}
		}
		p++;
	}
	return *p == '"' ? p + 1 : NULL;
}

static const char *json_list(const char *p, char close, int keys)
{
	p = ws(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (keys) {
			p = json_string(ws(p));
			if (!p || *(p = ws(p)) != ':')
				return NULL;
			p++;
		}
		p = json_value(p);
		if (!p)
			return NULL;
		p = ws(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
	}
}

static const char *json_value(const char *p)
{
	p = ws(p);
	if (*p == '{')
		return json_list(p, '}', 1);
	if (*p == '[')
		return json_list(p, ']', 0);
	if (*p == '"')
		return json_string(p);
	if (*p == '-' || isdigit((unsigned char)*p)) {
		p += *p == '-';
		while (isdigit((unsigned char)*p))
			p++;
		return p;
	}
	for (const char *w = "true\0false\0null\0"; *w; w += strlen(w) + 1)
		if (!strncmp(p, w, strlen(w)))
			return p + strlen(w);
	return NULL;
}

static int json_valid(const char *s)
{
	const char *end = json_value(s);

	return end && *ws(end) == '\0';
}

/* ---- the fixture ----------------------------------------------------- */

/* The setup skipped (no /bin/nspid): the harness still runs the body. */
#define NEED_SCENE() do { if (_metadata->skip) return; } while (0)

/* The status source needs NSpid: in /proc/PID/status (Linux 4.1+). */
static int kernel_has_nspid(void)
{
	char buf[4096];
	ssize_t n;
	int fd = open("/proc/self/status", O_RDONLY);

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strstr(buf, "\nNSpid:") != NULL;
}

#define NEED_NSPID() do {						\
	if (!kernel_has_nspid())					\
		SKIP(return, "no NSpid: in /proc/PID/status (before 4.1): "	\
		     "no status source to compare with");			\
} while (0)

FIXTURE(reader) {
	pid_t helper;
	unsigned int host[NROLES];	/* each role's id as the test sees it */
	unsigned int ns[3];		/* inodes of ns1, ns2, ns3 */
	int no_inodes;			/* kernel before 3.8: ns[] are 0 */
	struct run r, r2;
	char b1[16], b2[16], b3[16];
};

FIXTURE_SETUP(reader)
{
	int sv[2], one = 1, role, got = 0, id, xlate, r;

	if (access(NSPID_BIN, X_OK))
		SKIP(return, NSPID_BIN " is not in the VM (build userspace/nspid-static)");
	ASSERT_EQ(0, access("/proc/nspid_map", R_OK));
	xlate = scm_translates_pids();
	ASSERT_LE(0, xlate) TH_LOG("SCM_CREDENTIALS probe failed");
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	ASSERT_EQ(0, setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &one,
				sizeof(one)));
	cred_fd = sv[1];
	self->helper = fork();
	ASSERT_LE(0, self->helper);
	if (self->helper == 0)
		helper();
	close(sv[1]);
	while (got < NROLES) {
		id = recv_cred(sv[0], &role);
		ASSERT_LT(0, id) TH_LOG("no credentials from the scene");
		ASSERT_EQ(0, self->host[role]) TH_LOG("role %d twice", role);
		self->host[role] = (unsigned int)id;
		got++;
	}
	close(sv[0]);
	if (!xlate) {
		/* Untranslated: each sent the id of its own namespace. */
		for (r = 0; r < NROLES; r++) {
			unsigned int own = role_ids[r][2] ? role_ids[r][2] :
					   role_ids[r][1] ? role_ids[r][1] :
					   role_ids[r][0];

			ASSERT_EQ(own, self->host[r]);
			id = proc_tid_by_comm("/proc", role_comm[r]);
			ASSERT_LT(0, id) TH_LOG("%s: not once in /proc", role_comm[r]);
			self->host[r] = (unsigned int)id;
		}
		TH_LOG("SCM_CREDENTIALS does not translate pids (before 2.6.36): "
		       "host ids from /proc by name");
	}
	self->ns[0] = ns_inode(self->host[A]);
	self->ns[1] = ns_inode(self->host[C]);
	self->ns[2] = ns_inode(self->host[E]);
	self->no_inodes = !self->ns[0] && access("/proc/self/ns/pid", F_OK) &&
			  !kernel_at_least(3, 8);
	if (self->no_inodes) {
		ASSERT_EQ(0, self->ns[1]);
		ASSERT_EQ(0, self->ns[2]);
	} else {
		ASSERT_NE(0, self->ns[0]);
		ASSERT_NE(self->ns[0], self->ns[1]);
		ASSERT_NE(self->ns[1], self->ns[2]);
	}
	TH_LOG("scene: A=%u B=%u T=%u C=%u D=%u E=%u, ns %u %u %u",
	       self->host[A], self->host[B], self->host[T], self->host[C],
	       self->host[D], self->host[E], self->ns[0], self->ns[1],
	       self->ns[2]);
}

FIXTURE_TEARDOWN(reader)
{
	if (self->helper > 0) {
		if (self->host[A])
			kill((pid_t)self->host[A], SIGKILL);	/* ends ns1 */
		kill(self->helper, SIGKILL);
		waitpid(self->helper, NULL, 0);
	}
}

/* "INPID PID INPPID PIDNS LEVEL COMMAND" rows must be exactly want[]. */
static int check_ns_rows(struct __test_metadata *_metadata,
			 FIXTURE_DATA(reader) *self, const char *out,
			 const int *roles, int n, int nsidx)
{
	char line[256], comm[64], want[256];
	const char *p = out, *nl;
	unsigned int pid, host, ppid, pidns, level;
	int i = -1, r;

	while (*p) {
		nl = strchr(p, '\n');
		if (!nl || nl - p >= (long)sizeof(line))
			return 0;
		memcpy(line, p, (size_t)(nl - p));
		line[nl - p] = '\0';
		p = nl + 1;
		if (i++ < 0) {
			char h[6][8], hdr[64];

			/* widths follow the values: compare the words */
			EXPECT_EQ(6, sscanf(line, "%7s %7s %7s %7s %7s %7s",
					    h[0], h[1], h[2], h[3], h[4], h[5]));
			snprintf(hdr, sizeof(hdr), "%s %s %s %s %s %s", h[0],
				 h[1], h[2], h[3], h[4], h[5]);
			/* -L lists INTID and TID where a list of processes
			 * has INPID and PID */
			if (strcmp(hdr, "INTID TID INPPID PIDNS LEVEL COMMAND"))
				EXPECT_STREQ("INPID PID INPPID PIDNS LEVEL COMMAND",
					     hdr);
			continue;
		}
		if (i > n)
			return 0;
		r = roles[i - 1];
		if (sscanf(line, "%u %u %u %u %u %63s", &pid, &host, &ppid,
			   &pidns, &level, comm) != 6)
			return 0;
		snprintf(want, sizeof(want), "%u %u %s", role_ids[r][nsidx],
			 self->host[r], role_comm[r]);
		snprintf(line, sizeof(line), "%u %u %s", pid, host, comm);
		EXPECT_STREQ(want, line);
		EXPECT_EQ(self->ns[r == E ? 2 : r >= C ? 1 : 0], pidns);
	}
	return i == n;
}

/*
 * "--ns INODE" of ns1/ns2/ns3, or before 3.8 (no inodes) "--ns-of PID" of
 * that namespace's init (A, C, E): two arguments, the second in @buf.
 */
#define NS_OPT(self, k, buf)						\
	((self)->no_inodes ? "--ns-of" : "--ns"),			\
	u(buf, (self)->no_inodes ? (self)->host[ns_init[k]] : (self)->ns[k])
static const int ns_init[3] = { A, C, E };

TEST_F_TIMEOUT(reader, pid_to_container_pid, 120)
{
	char want[128];
	NEED_SCENE();

	nspid(&self->r, u(self->b1, self->host[A]), u(self->b2, self->host[E]),
	      u(self->b3, self->host[T]), NULL);
	EXPECT_EQ(0, self->r.rc);
	EXPECT_STREQ("1\n1\n3\n", self->r.out);
	EXPECT_STREQ("", self->r.err);
	nspid(&self->r, u(self->b1, self->host[D]), "4194304", NULL);
	EXPECT_EQ(1, self->r.rc);
	EXPECT_STREQ("2\n-\n", self->r.out);	/* a '-' keeps its place */
	EXPECT_STREQ("nspid: PID 4194304 not found\n", self->r.err);
	nspid(&self->r, "--chain", u(self->b1, self->host[E]),
	      u(self->b2, self->host[B]), NULL);
	EXPECT_EQ(0, self->r.rc);
	snprintf(want, sizeof(want), "%u:6:3:1\n%u:2\n", self->host[E],
		 self->host[B]);
	EXPECT_STREQ(want, self->r.out);
}

/* -L tables in the 5-number layout parse_row() reads */
#define LROW_COLS "TID,NSTID,PPID,PIDNS,LEVEL,COMMAND"

/* One row of the process table. */
struct row {
	unsigned int pid, nspid, ppid, pidns, level;
	char comm[80];
};

/* Parse a table line; 1 on success. */
static int parse_row(const char *line, struct row *r)
{
	int n = 0;

	if (sscanf(line, "%u %u %u %u %u %n", &r->pid, &r->nspid, &r->ppid,
		   &r->pidns, &r->level, &n) != 5 || !n)
		return 0;
	snprintf(r->comm, sizeof(r->comm), "%s", line + n);
	return 1;
}

/* Find pid's row in a table; 1 if found. */
static int find_row(const char *out, unsigned int pid, struct row *r)
{
	char line[256];
	const char *p = out, *nl;

	while ((nl = strchr(p, '\n'))) {
		snprintf(line, sizeof(line), "%.*s", (int)(nl - p), p);
		p = nl + 1;
		if (parse_row(line, r) && r->pid == pid)
			return 1;
	}
	return 0;
}

/* The first line of s, runs of spaces made one, leading ones dropped. */
static void squeeze(const char *s, char *out, size_t size)
{
	size_t n = 0;

	s += strspn(s, " ");
	for (; *s && *s != '\n' && n + 1 < size; s++)
		if (*s != ' ' || (s[1] != ' ' && s[1] != '\n' && s[1]))
			out[n++] = *s;
	out[n] = '\0';
}

/* The same for every line, in place. */
static void squeeze_all(char *s)
{
	char *w = s, *r = s;
	int bol = 1;

	for (; *r; r++) {
		if (*r == ' ' && (bol || r[1] == ' ' || r[1] == '\n'))
			continue;
		*w++ = *r;
		bol = *r == '\n';
	}
	*w = '\0';
}

TEST_F_TIMEOUT(reader, table_and_threads, 120)
{
	char h[6][8], hdr[64], want[64];
	struct row r;

	NEED_SCENE();
	nspid(&self->r, NULL);
	EXPECT_EQ(0, self->r.rc);
	EXPECT_EQ(6, sscanf(self->r.out, "%7s %7s %7s %7s %7s %7s", h[0], h[1],
			    h[2], h[3], h[4], h[5]));
	snprintf(hdr, sizeof(hdr), "%s %s %s %s %s %s", h[0], h[1], h[2],
		 h[3], h[4], h[5]);
	EXPECT_STREQ("PID NSPID PPID PIDNS LEVEL COMMAND", hdr);
	ASSERT_TRUE(find_row(self->r.out, self->host[E], &r)) TH_LOG("%s", self->r.out);
	EXPECT_EQ(1, r.nspid);
	EXPECT_EQ(self->host[C], r.ppid);
	EXPECT_EQ(self->ns[2], r.pidns);
	EXPECT_EQ(3, r.level);
	EXPECT_STREQ("rt-e", r.comm);
	EXPECT_FALSE(find_row(self->r.out, self->host[T], &r));	/* a thread */
	nspid(&self->r, "-L", NULL);
	EXPECT_EQ(0, self->r.rc);
	squeeze(self->r.out, hdr, sizeof(hdr));
	EXPECT_STREQ("PID TID NSPID NSTID PPID PIDNS LEVEL COMMAND", hdr);
	/* as ps -L: PID the process, TID the thread */
	nspid(&self->r, "-L", "-o", "PID,TID,NSTID,PPID,LEVEL,COMMAND", NULL);
	EXPECT_EQ(0, self->r.rc);
	snprintf(want, sizeof(want), "\n%u %u 3 %u 1 rt-t\n", self->host[B],
		 self->host[T], self->host[A]);
	squeeze_all(self->r.out);
	EXPECT_NE(NULL, strstr(self->r.out, want)) TH_LOG("%s", self->r.out);
	nspid(&self->r, "-L", "-o", LROW_COLS, NULL);
	EXPECT_EQ(0, self->r.rc);
	ASSERT_TRUE(find_row(self->r.out, self->host[T], &r)) TH_LOG("%s", self->r.out);
	EXPECT_EQ(3, r.nspid);
	EXPECT_EQ(self->host[A], r.ppid);	/* B's parent */
	EXPECT_EQ(self->ns[0], r.pidns);
	EXPECT_EQ(1, r.level);
	EXPECT_STREQ("rt-t", r.comm);
}

TEST_F_TIMEOUT(reader, ns_of_lists_the_container, 120)
{
	static const int procs[] = { A, B, C, D, E };
	static const int all[] = { A, B, T, C, D, E };
	static const int ns2[] = { C, D, E };
	NEED_SCENE();

	nspid(&self->r, "--ns-of", u(self->b1, self->host[B]), NULL);
	EXPECT_EQ(0, self->r.rc);
	EXPECT_TRUE(check_ns_rows(_metadata, self, self->r.out, procs, 5, 0))
		TH_LOG("%s", self->r.out);
	nspid(&self->r, "--ns-of", u(self->b1, self->host[A]), "-L", "-o",
	      "INTID,TID,INPPID,PIDNS,LEVEL,COMMAND", NULL);
	EXPECT_EQ(0, self->r.rc);
	EXPECT_TRUE(check_ns_rows(_metadata, self, self->r.out, all, 6, 0))
		TH_LOG("%s", self->r.out);
	nspid(&self->r, NS_OPT(self, 1, self->b1), NULL);
	EXPECT_EQ(0, self->r.rc);
	EXPECT_TRUE(check_ns_rows(_metadata, self, self->r.out, ns2, 3, 1))
		TH_LOG("%s", self->r.out);
	if (self->no_inodes) {
		/* SPEC §2: refuse with a message, never a silent wrong answer */
		nspid(&self->r, "--ns", "4026531836", NULL);
		EXPECT_EQ(2, self->r.rc);
		EXPECT_STREQ("", self->r.out);
		EXPECT_NE(NULL, strstr(self->r.err, "before 3.8"))
			TH_LOG("%s", self->r.err);
	}
}

TEST_F_TIMEOUT(reader, to_host, 120)
{
	char want[32];
	NEED_SCENE();

	/* into the middle namespace: E is 3 in ns2 */
	nspid(&self->r, "--to-host", "3", NS_OPT(self, 1, self->b1), NULL);
	EXPECT_EQ(0, self->r.rc);
	snprintf(want, sizeof(want), "%u\n", self->host[E]);
	EXPECT_STREQ(want, self->r.out);
	/* the top one, two levels above E, and a thread */
	nspid(&self->r, "--to-host", "6", "--ns-of", u(self->b1, self->host[B]),
	      NULL);
	EXPECT_STREQ(want, self->r.out);
	nspid(&self->r, "--to-host", "3", "--ns-of", u(self->b1, self->host[A]),
	      NULL);
	snprintf(want, sizeof(want), "%u\n", self->host[T]);
	EXPECT_STREQ(want, self->r.out);
	nspid(&self->r, "--to-host", "2", "--ns-of", u(self->b1, self->host[C]),
	      NULL);
	snprintf(want, sizeof(want), "%u\n", self->host[D]);
	EXPECT_STREQ(want, self->r.out);
	nspid(&self->r, "--to-host", "4", NS_OPT(self, 1, self->b1), NULL);
	EXPECT_EQ(1, self->r.rc);
	EXPECT_STREQ("", self->r.out);
	nspid(&self->r, "--to-host", "3", NULL);
	EXPECT_EQ(2, self->r.rc);
}

TEST_F_TIMEOUT(reader, json, 120)
{
	char want[64];
	NEED_SCENE();

	nspid(&self->r, "--json", "-L", NULL);
	EXPECT_EQ(0, self->r.rc);
	EXPECT_TRUE(json_valid(self->r.out));
	nspid(&self->r, "--json", "--chain", u(self->b1, self->host[E]), NULL);
	EXPECT_TRUE(json_valid(self->r.out));
	snprintf(want, sizeof(want), "\"chain\": [%u, 6, 3, 1]", self->host[E]);
	EXPECT_NE(NULL, strstr(self->r.out, want)) TH_LOG("%s", self->r.out);
	nspid(&self->r, "--json", "--ns-of", u(self->b1, self->host[D]), NULL);
	EXPECT_TRUE(json_valid(self->r.out));
	snprintf(want, sizeof(want), "\"inpid\": 3, \"intid\": 3, \"inppid\": 1, \"pid\": %u, \"tid\": %u",
		 self->host[E], self->host[E]);
	EXPECT_NE(NULL, strstr(self->r.out, want)) TH_LOG("%s", self->r.out);
	nspid(&self->r, "--json", "--to-host", "1", NS_OPT(self, 2, self->b1),
	      NULL);
	EXPECT_TRUE(json_valid(self->r.out));
	snprintf(want, sizeof(want), "\"pid\": %u,\n", self->host[E]);
	EXPECT_NE(NULL, strstr(self->r.out, want)) TH_LOG("%s", self->r.out);
}

/* ---- containers ------------------------------------------------------ */

#define DOCKER_ID "5e1f0c2d3b4a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"
#define K8S_ID    "c0ffee00112233445566778899aabbccddeeff00112233445566778899aabbcc"
#define K8S_POD   "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"

/*
 * Put the scene into cgroups as the runtimes name theirs: ns1 (A, B with
 * T) a Docker container of the cgroupfs driver in the v1 hierarchy, ns2
 * (C, D) a Kubernetes pod's container of kubelet's cgroupfs driver in v2
 * (v1 before 4.5), ns3 (E) an LXC container, LXC 1.x/2.x's path in v1 and
 * LXC 4's in v2. The Docker name is in config.v2.json, as Docker keeps it.
 * 0, or the reason it cannot.
 */
static const char *containers(FIXTURE_DATA(reader) *self)
{
	int have = cg_mount();
	const char *k8s = have & CG_HAVE_V2 ? CG_V2 : CG_V1;

	if (!(have & CG_HAVE_V1))
		return "no cgroup v1 hierarchy could be mounted";
	if (cg_move(CG_V1, "docker/" DOCKER_ID, (int)self->host[A]) ||
	    cg_move(CG_V1, "docker/" DOCKER_ID, (int)self->host[B]) ||
	    cg_move(k8s, "kubepods/burstable/pod" K8S_POD "/" K8S_ID,
		    (int)self->host[C]) ||
	    cg_move(k8s, "kubepods/burstable/pod" K8S_POD "/" K8S_ID,
		    (int)self->host[D]) ||
	    cg_move(CG_V1, "lxc/rt-web", (int)self->host[E]) ||
	    ((have & CG_HAVE_V2) &&
	     cg_move(CG_V2, "lxc.payload.rt-web", (int)self->host[E])))
		return "moving the scene into its cgroups failed";
	mkdir("/var", 0755);
	mkdir("/var/lib", 0755);
	if (cg_docker_name("/var/lib/docker", DOCKER_ID, "rt-docker"))
		return "cannot write /var/lib/docker/containers/ID/config.v2.json";
	return NULL;
}

/* The line of out that holds needle, squeezed; "" if none. */
static const char *line_with(char *out, const char *needle, char *buf,
			     size_t size)
{
	const char *p = strstr(out, needle), *bol;

	buf[0] = '\0';
	if (!p)
		return buf;
	p += *needle == '\n';
	for (bol = p; bol > out && bol[-1] != '\n'; bol--)
		;
	squeeze(bol, buf, size);
	return buf;
}

/*
 * The --tree line of the namespace whose init is the caller's pid init:
 * its text after the branch drawing in buf; returns the drawing's width
 * (2 per level below the root), or -1 if there is no such line.
 */
static int tree_line(const char *out, unsigned int init, char *buf,
		     size_t size)
{
	char key[32];
	const char *p, *bol, *nl, *ns;

	buf[0] = '\0';
	snprintf(key, sizeof(key), " init=%u nsinit=", init);
	p = strstr(out, key);
	if (!p)
		return -1;
	for (bol = p; bol > out && bol[-1] != '\n'; bol--)
		;
	ns = strstr(bol, "pidns=");
	nl = strchr(p, '\n');
	if (!ns || ns > p || !nl)
		return -1;
	snprintf(buf, size, "%.*s", (int)(nl - ns), ns);
	return (int)(ns - bol);
}

TEST_F_TIMEOUT(reader, containers, 120)
{
	static const int ns1[] = { A, B, C, D, E };
	static const int ns2[] = { C, D, E };
	static const int ns3[] = { E };
	const char *why;
	char want[256], got[256], pid[16];
	int r;
	NEED_SCENE();

	why = containers(self);
	if (why)
		SKIP(return, "%s", why);
	/* CONTAINER of every process, from its /proc/PID/cgroup */
	nspid(&self->r, "-o", "PID,CONTAINER,POD,COMMAND", NULL);
	ASSERT_EQ(0, self->r.rc);
	for (r = 0; r < NROLES; r++) {
		if (r == T)
			continue;
		snprintf(pid, sizeof(pid), "\n%u ", self->host[r]);
		snprintf(want, sizeof(want), "%u %s %s %s", self->host[r],
			 r <= B ? "docker:5e1f0c2d3b4a(rt-docker)" :
			 r <= D ? "kubepods:c0ffee001122" : "lxc:rt-web",
			 r == C || r == D ? K8S_POD : "-", role_comm[r]);
		EXPECT_STREQ(want, line_with(self->r.out, pid, got, sizeof(got)))
			TH_LOG("%s", self->r.out);
	}
	/* a thread: its own cgroup file says the same */
	nspid(&self->r, "-L", "-o", "TID,CONTAINER", NULL);
	snprintf(pid, sizeof(pid), "\n%u ", self->host[T]);
	snprintf(want, sizeof(want), "%u docker:5e1f0c2d3b4a(rt-docker)",
		 self->host[T]);
	EXPECT_STREQ(want, line_with(self->r.out, pid, got, sizeof(got)));
	/* --container NAME, ID prefix, runtime:NAME: each one's ps */
	nspid(&self->r, "--container", "rt-docker", NULL);
	EXPECT_EQ(0, self->r.rc);
	EXPECT_TRUE(check_ns_rows(_metadata, self, self->r.out, ns1, 5, 0))
		TH_LOG("%s", self->r.out);
	nspid(&self->r, "--container", "c0ffee00", NULL);
	EXPECT_EQ(0, self->r.rc);
	EXPECT_TRUE(check_ns_rows(_metadata, self, self->r.out, ns2, 3, 1))
		TH_LOG("%s", self->r.out);
	nspid(&self->r, "--container", "lxc:rt-web", NULL);
	EXPECT_EQ(0, self->r.rc);
	EXPECT_TRUE(check_ns_rows(_metadata, self, self->r.out, ns3, 1, 2))
		TH_LOG("%s", self->r.out);
	/* the container's PID 2 (D in the pod) on the host */
	nspid(&self->r, "--to-host", "2", "--container", "kubepods:c0ffee", NULL);
	EXPECT_EQ(0, self->r.rc);
	snprintf(want, sizeof(want), "%u\n", self->host[D]);
	EXPECT_STREQ(want, self->r.out);
	nspid(&self->r, "--container", "no-such-container", NULL);
	EXPECT_EQ(1, self->r.rc);
	/* the tree: one node per namespace, each its container, nested */
	nspid(&self->r, "--tree", NULL);
	EXPECT_EQ(0, self->r.rc);
	snprintf(want, sizeof(want), "pidns=%u container=docker:5e1f0c2d3b4a(rt-docker) level=1 init=%u nsinit=1 processes=2 threads=3",
		 self->ns[0], self->host[A]);
	EXPECT_EQ(2, tree_line(self->r.out, self->host[A], got, sizeof(got)))
		TH_LOG("%s", self->r.out);
	EXPECT_STREQ(want, got);
	snprintf(want, sizeof(want), "pidns=%u container=kubepods:c0ffee001122 level=2 init=%u nsinit=1 processes=2 threads=2",
		 self->ns[1], self->host[C]);
	EXPECT_EQ(4, tree_line(self->r.out, self->host[C], got, sizeof(got)))
		TH_LOG("%s", self->r.out);
	EXPECT_STREQ(want, got);
	snprintf(want, sizeof(want), "pidns=%u container=lxc:rt-web level=3 init=%u nsinit=1 processes=1 threads=1",
		 self->ns[2], self->host[E]);
	EXPECT_EQ(6, tree_line(self->r.out, self->host[E], got, sizeof(got)))
		TH_LOG("%s", self->r.out);
	EXPECT_STREQ(want, got);
	/* ns2 is the only child of ns1, ns3 of ns2: drawn as such */
	EXPECT_NE(NULL, strstr(self->r.out, "-pidns=")) TH_LOG("%s", self->r.out);
	snprintf(want, sizeof(want), " `-pidns=%u ", self->ns[1]);
	EXPECT_NE(NULL, strstr(self->r.out, want)) TH_LOG("%s", self->r.out);
	snprintf(want, sizeof(want), "   `-pidns=%u ", self->ns[2]);
	EXPECT_NE(NULL, strstr(self->r.out, want)) TH_LOG("%s", self->r.out);
	nspid(&self->r, "--tree", "--json", NULL);
	EXPECT_EQ(0, self->r.rc);
	EXPECT_TRUE(json_valid(self->r.out));
	EXPECT_NE(NULL, strstr(self->r.out, "\"container\": \"lxc:rt-web\""));
	/* the status source sees the same containers */
	if (kernel_has_nspid()) {
		nspid(&self->r, "--source", "status", "--container",
		      "rt-docker", "-o", "INPID,PID,CONTAINER", NULL);
		EXPECT_EQ(0, self->r.rc);
		snprintf(want, sizeof(want), "\n1 %u docker:5e1f0c2d3b4a(rt-docker)\n",
			 self->host[A]);
		squeeze_all(self->r.out);
		EXPECT_NE(NULL, strstr(self->r.out, want)) TH_LOG("%s", self->r.out);
	}
}

/*
 * An unprivileged caller may not read the scene's ns/pid links (root's
 * tasks, SPEC §1.1): the status source then has hidden rows, and a
 * namespace query that depends on them says why it cannot tell, exit 2,
 * never "not found" and never "kernel before 3.8". The module (issue 11)
 * hides the same rows; where it does, the same holds for it, and where it
 * still shows them the answer must be right.
 */
TEST_F_TIMEOUT(reader, unreadable_namespaces, 120)
{
	static const int ns2[] = { C, D, E };
	NEED_SCENE();
	NEED_NSPID();

	if (self->no_inodes)
		SKIP(return, "no namespace inodes (before 3.8)");
	nspid_nobody(&self->r, "--source", "status", "--ns",
		     u(self->b1, self->ns[1]), NULL);
	EXPECT_EQ(2, self->r.rc);
	EXPECT_STREQ("", self->r.out);
	EXPECT_NE(NULL, strstr(self->r.err, "the caller may not read the namespace of"))
		TH_LOG("%s", self->r.err);
	EXPECT_EQ(NULL, strstr(self->r.err, "3.8"));
	/* the pids themselves stay public */
	nspid_nobody(&self->r, "--source", "status", "--chain",
		     u(self->b1, self->host[E]), NULL);
	EXPECT_EQ(0, self->r.rc);
	EXPECT_NE(NULL, strstr(self->r.out, ":6:3:1\n"));
	/* the module, as nobody */
	nspid_nobody(&self->r, "--source", "module", "--json",
		     u(self->b1, self->host[E]), NULL);
	ASSERT_EQ(0, self->r.rc);
	nspid_nobody(&self->r2, "--source", "module", "--ns",
		     u(self->b1, self->ns[1]), NULL);
	if (strstr(self->r.out, "\"pidns\": 0,")) {
		TH_LOG("the module hides the namespaces from nobody");
		EXPECT_EQ(2, self->r2.rc);
		EXPECT_NE(NULL, strstr(self->r2.err, "the caller may not read"))
			TH_LOG("%s", self->r2.err);
	} else {
		TH_LOG("the module shows the namespaces to nobody");
		EXPECT_EQ(0, self->r2.rc);
		EXPECT_TRUE(check_ns_rows(_metadata, self, self->r2.out, ns2,
					  3, 1)) TH_LOG("%s", self->r2.out);
	}
}

/* Rewrite JSON's "source": "status" as the module's, in place. */
static void same_source(char *out)
{
	char *p = strstr(out, "\"source\": \"status\"");

	if (p)
		memcpy(p + 11, "module", 6);
}

/* Byte-identical where the scene is concerned. */
TEST_F_TIMEOUT(reader, module_and_status_agree_on_the_scene, 120)
{
	const char *const argsets[][6] = {
		{ "--ns-of", self->b1, "-L", NULL },
		{ "--ns-of", self->b1, "--json", "-L", NULL },
		{ "--json", "--chain", self->b2, self->b3, NULL },
		{ "--to-host", "3", "--ns-of", self->b1, NULL },
	};
	size_t i;
	NEED_SCENE();
	NEED_NSPID();

	u(self->b1, self->host[A]);
	u(self->b2, self->host[T]);
	u(self->b3, self->host[E]);
	for (i = 0; i < sizeof(argsets) / sizeof(argsets[0]); i++) {
		const char *const *a = argsets[i];

		nspid(&self->r, "--source", "module", a[0], a[1], a[2], a[3],
		      a[4], NULL);
		nspid(&self->r2, "--source", "status", a[0], a[1], a[2], a[3],
		      a[4], NULL);
		EXPECT_EQ(0, self->r.rc);
		EXPECT_EQ(0, self->r2.rc);
		/* JSON names its source: the one line that differs */
		same_source(self->r2.out);
		EXPECT_STREQ(self->r.out, self->r2.out);
		EXPECT_NE(0, strlen(self->r.out));
	}
}


/* Remove the lines of @text that name JSON's "source" (in place). */
static void drop_source_lines(char *text)
{
	char *r = text, *w = text;

	while (*r) {
		char *nl = strchr(r, '\n');
		size_t n = nl ? (size_t)(nl - r + 1) : strlen(r);

		if (!memmem(r, n, "\"source\": ", 10)) {
			memmove(w, r, n);
			w += n;
		}
		r += n;
	}
	*w = '\0';
}
/*
 * The module's ioctls (nspid PID, --chain, --to-host with --ns-of) and a
 * read of the same map, saved: the same bytes, the same messages and exit
 * status, for found and missing pids, and -v says which path answered.
 */
TEST_F_TIMEOUT(reader, ioctl_and_file_agree, 120)
{
	const char *snap = "/tmp/reader_test.map";
	char h[NROLES][16], miss[16], *text;
	size_t len;
	int fd, i, n = 0;
	NEED_SCENE();

	for (i = 0; i < NROLES; i++)
		u(h[i], self->host[i]);
	u(miss, 4000000);
	const char *const argsets[][7] = {
		{ h[A], NULL }, { h[E], h[B], h[T], miss, h[C], NULL },
		{ "--chain", h[E], h[T], NULL },
		{ "--json", h[D], h[A], NULL },
		{ "--json", "--chain", h[E], miss, NULL },
		{ "--to-host", "6", "--ns-of", h[B], NULL },
		{ "--to-host", "3", "--ns-of", h[C], NULL },
		{ "--to-host", "1", "--ns-of", h[E], NULL },
		{ "--to-host", "1", "--ns-of", h[A], NULL },
		{ "--json", "--to-host", "2", "--ns-of", h[D], NULL },
		{ "--to-host", "9", "--ns-of", h[C], NULL },
		{ "--to-host", "1", "--ns-of", miss, NULL },
		/* one PID alone: query_quick()'s own line, or its fallback */
		{ "--chain", h[T], NULL }, { h[E], NULL }, { miss, NULL },
	};
	/*
	 * ioctl: the path -v must name for a lookup that was found; --json
	 * PID carries each task's container, whose namespace init needs the
	 * whole map (issue 12), so it reads the file. Without -v one PID's
	 * plain line is query_quick()'s, which builds no map: the bytes and
	 * the exit status must still be the file's.
	 */
	static const int by_ioctl[] = { 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 0, 1,
					1, 1, 1 };

	fd = open("/proc/nspid_map", O_RDONLY);
	ASSERT_LE(0, fd);
	text = malloc(OUT_MAX);
	ASSERT_NE(NULL, text);
	len = 0;
	for (;;) {
		ssize_t k = read(fd, text + len, OUT_MAX - len);

		ASSERT_LE(0, k);
		if (k == 0)
			break;
		len += k;
	}
	close(fd);
	fd = open(snap, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)len, write(fd, text, len));
	close(fd);
	free(text);

	for (i = 0; i < (int)(sizeof(argsets) / sizeof(argsets[0])); i++) {
		const char *const *a = argsets[i];

		nspid(&self->r, "-v", a[0], a[1], a[2], a[3], a[4], a[5], NULL);
		if (by_ioctl[i]) {
			EXPECT_NE(NULL, strstr(self->r.err, "source: module (/proc/nspid_map, by ioctl)"))
				TH_LOG("argset %d: %s", i, self->r.err);
		} else {
			EXPECT_NE(NULL, strstr(self->r.err, "source: module (/proc/nspid_map, read as a file"))
				TH_LOG("argset %d: %s", i, self->r.err);
		}
		nspid(&self->r, a[0], a[1], a[2], a[3], a[4], a[5], NULL);
		nspid(&self->r2, "--file", snap, a[0], a[1], a[2], a[3], a[4],
		      a[5], NULL);
		EXPECT_EQ(self->r2.rc, self->r.rc) TH_LOG("argset %d", i);
		/* JSON names its source, "module" or "file": all else equal */
		drop_source_lines(self->r.out);
		drop_source_lines(self->r2.out);
		EXPECT_STREQ(self->r2.out, self->r.out) TH_LOG("argset %d", i);
		EXPECT_STREQ(self->r2.err, self->r.err) TH_LOG("argset %d", i);
		n += self->r.rc == 0;
	}
	EXPECT_EQ(10, n);
	unlink(snap);
}

/* Split a table into rows (header dropped); returns the count. */
static int table_rows(char *out, struct row *rows, int max)
{
	char *save, *line;
	int n = 0;

	for (line = strtok_r(out, "\n", &save); line && n < max;
	     line = strtok_r(NULL, "\n", &save))
		n += parse_row(line, &rows[n]);
	return n;
}

static int kthread(const struct row *r)
{
	return r->pid == 2 || r->ppid == 2;
}

/*
 * The whole -L table, row by row: the same except for the longer names
 * /proc gives kernel threads (workqueue suffixes from 4.19, full names from
 * 6.1), kernel threads that come and go between the two runs, and the two
 * nspid processes themselves.
 */
TEST_F_TIMEOUT(reader, module_and_status_agree_on_everything, 120)
{
	static struct row m[4096], s[4096];
	int nm, ns, i = 0, j = 0, same = 0, longer = 0, transient = 0;

	NEED_SCENE();
	NEED_NSPID();
	nspid(&self->r, "--source", "module", "-L", "-o", LROW_COLS, NULL);
	nspid(&self->r2, "--source", "status", "-L", "-o", LROW_COLS, NULL);
	ASSERT_EQ(0, self->r.rc);
	ASSERT_EQ(0, self->r2.rc);
	nm = table_rows(self->r.out, m, 4096);
	ns = table_rows(self->r2.out, s, 4096);
	while (i < nm || j < ns) {
		if (j >= ns || (i < nm && m[i].pid < s[j].pid)) {
			EXPECT_TRUE(kthread(&m[i]) || !strcmp(m[i].comm, "nspid"))
				TH_LOG("only in module: %u %s", m[i].pid, m[i].comm);
			transient++;
			i++;
			continue;
		}
		if (i >= nm || s[j].pid < m[i].pid) {
			EXPECT_TRUE(kthread(&s[j]) || !strcmp(s[j].comm, "nspid"))
				TH_LOG("only in status: %u %s", s[j].pid, s[j].comm);
			transient++;
			j++;
			continue;
		}
		EXPECT_EQ(m[i].nspid, s[j].nspid);
		EXPECT_EQ(m[i].ppid, s[j].ppid);
		EXPECT_EQ(m[i].pidns, s[j].pidns);
		EXPECT_EQ(m[i].level, s[j].level);
		if (!strcmp(m[i].comm, s[j].comm)) {
			same++;
		} else if (kthread(&m[i]) &&
			   strlen(s[j].comm) > strlen(m[i].comm) &&
			   !strncmp(m[i].comm, s[j].comm, strlen(m[i].comm))) {
			/* 4.19+: "kworker/0:1-events"; 6.1+: full kthread names */
			longer++;
		} else {
			EXPECT_STREQ(m[i].comm, s[j].comm);
		}
		i++;
		j++;
	}
	EXPECT_LT(20, same);
	TH_LOG("%d rows identical, %d kernel threads with longer names in "
	       "/proc, %d rows in one run only", same, longer, transient);
}

TEST_HARNESS_MAIN
