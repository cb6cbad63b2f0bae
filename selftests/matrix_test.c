// SPDX-License-Identifier: GPL-2.0
/*
 * matrix_test - the map is never looser than /proc (SPEC §1.1, §1.2), for
 * every mix of reader and target credentials, under every hidepid= mode.
 *
 * Each variant is a fresh pid and mount namespace with proc mounted on a
 * directory of its own with the variant's options. Its init starts
 * targets (level 0, and in a nested pid namespace at level 1) with chosen
 * ids, a non-dumpable one, a setuid-exec'd one and a zombie, then readers
 * with every mix of real/effective/saved/fs uid and gid around those ids,
 * supplementary groups with and without the gid= group, CAP_SYS_PTRACE in
 * the initial and in a child user namespace. Each reader reads the map
 * through that mount and asks /proc, with its own credentials, about
 * every target:
 *
 *   - a row shown must be of a task whose /proc/PID/status it can open;
 *   - pidns and nschain past the first element may be non-zero only on
 *     rows whose /proc/PID/ns/pid it can readlink (3.8+, where the link
 *     exists; before, the module prints 0 anyway);
 *   - where the map shows less than /proc, it must be one of the README's
 *     named stricter cases: the reader's own task, a task without an mm
 *     (a zombie: 7.1+ remembers its dumpability, the module does not).
 *
 * The init sends every breach as a line of text; the test fails on any,
 * and on a variant where the oracle was never exercised (nothing hidden
 * or nothing shown where the mode must do both), so it cannot pass empty.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>

#include "kselftest_harness.h"
#include "map.h"
#include "oracle.h"
#include "procfs_quirks.h"

#define A	1001	/* uid and gid of the "user" */
#define B	1002	/* another user */
#define G	4242	/* the gid= group */

/* ---- who: the credentials of a target or a reader ---------------------- */

enum { CAP_KEEP, CAP_NONE, CAP_PTRACE_ONLY, CAP_CHILD_USERNS };

struct who {
	const char *name;
	uid_t ru, eu, su, fsu;
	gid_t rg, eg, sg, fsg;
	gid_t group;		/* one supplementary group, 0: none */
	int caps;		/* CAP_* above; readers only */
};

#define IDS(r, e, s, f)	r, e, s, f

static const struct who targets[] = {
	{ "user",	IDS(A, A, A, A), IDS(A, A, A, A), 0, 0 },
	{ "other",	IDS(B, B, B, B), IDS(B, B, B, B), 0, 0 },
	{ "uidmix",	IDS(A, B, A, B), IDS(A, A, A, A), 0, 0 },
	{ "gidmix",	IDS(A, A, A, A), IDS(A, B, A, B), 0, 0 },
};

static const struct who readers[] = {
	{ "user",	 IDS(A, A, A, A), IDS(A, A, A, A), 0, CAP_KEEP },
	{ "other",	 IDS(B, B, B, B), IDS(B, B, B, B), 0, CAP_KEEP },
	{ "ruidA-fsB",	 IDS(A, B, B, B), IDS(A, A, A, A), 0, CAP_KEEP },
	{ "ruidB-fsA",	 IDS(B, A, A, A), IDS(A, A, A, A), 0, CAP_KEEP },
	{ "fsuid-only",	 IDS(A, A, B, B), IDS(A, A, A, A), 0, CAP_KEEP },
	{ "rgidA-fsB",	 IDS(A, A, A, A), IDS(A, B, B, B), 0, CAP_KEEP },
	{ "rgidB-fsA",	 IDS(A, A, A, A), IDS(B, A, A, A), 0, CAP_KEEP },
	{ "group",	 IDS(B, B, B, B), IDS(B, B, B, B), G, CAP_KEEP },
	{ "user+group",	 IDS(A, A, A, A), IDS(A, A, A, A), G, CAP_KEEP },
	{ "root-nocap",	 IDS(0, 0, 0, 0), IDS(0, 0, 0, 0), 0, CAP_NONE },
	{ "other+ptrace", IDS(B, B, B, B), IDS(B, B, B, B), 0, CAP_PTRACE_ONLY },
	{ "user+userns", IDS(A, A, A, A), IDS(A, A, A, A), 0, CAP_CHILD_USERNS },
	{ "root",	 IDS(0, 0, 0, 0), IDS(0, 0, 0, 0), 0, CAP_KEEP },
};

#define NREADERS	(int)(sizeof(readers) / sizeof(readers[0]))

/* Set the effective and permitted sets; @drop: clear @bits, else set only them. */
static int set_caps(int drop, unsigned long long bits)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	int i;

	if (syscall(SYS_capget, &h, d))
		return -1;
	for (i = 0; i < 2; i++) {
		unsigned int b = (unsigned int)(bits >> (32 * i));

		d[i].effective = drop ? d[i].effective & ~b : b;
		d[i].permitted = drop ? d[i].permitted & ~b : b;
		d[i].inheritable = 0;
	}
	return syscall(SYS_capset, &h, d);
}

/* Become @w; 0 or -1. fs ids last: setres[ug]id() resets them. */
static int become(const struct who *w)
{
	gid_t groups[1] = { w->group };

	if (w->caps == CAP_PTRACE_ONLY && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0))
		return -1;
	if (setgroups(w->group ? 1 : 0, groups) ||
	    setresgid(w->rg, w->eg, w->sg) || setresuid(w->ru, w->eu, w->su))
		return -1;
	setfsgid(w->fsg);
	setfsuid(w->fsu);
	if ((gid_t)setfsgid(-1) != w->fsg || (uid_t)setfsuid(-1) != w->fsu)
		return -1;
	switch (w->caps) {
	case CAP_NONE:
		/* Root without CAP_SYS_PTRACE: ids only, DAC override kept. */
		return set_caps(1, 1ULL << CAP_SYS_PTRACE);
	case CAP_PTRACE_ONLY:
		return set_caps(0, 1ULL << CAP_SYS_PTRACE);
	case CAP_CHILD_USERNS:
		/* Every capability, in a user namespace of its own. */
		return unshare(CLONE_NEWUSER);
	}
	return 0;
}

/* ---- the variant's init ------------------------------------------------- */

struct tgt {
	const char *name;
	long pid;		/* in the variant's namespace */
	int level;		/* 0, or 1: in a nested namespace */
	int zombie;		/* no mm: not dumpable for the kernel */
};

#define MAXTGT	16

static struct tgt tgt[MAXTGT];
static int ntgt;
static int rep_fd;	/* breaches go here, one line each */

static void breach(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	if (write(rep_fd, line, n) != n)
		_exit(10);
}

/* Wait for one byte on @fd (a started task says it is ready). */
static int ready(int fd)
{
	char c;

	return read(fd, &c, 1) == 1 ? 0 : -1;
}

static void say_ready(int fd)
{
	if (write(fd, "r", 1) != 1)
		_exit(11);
}

/* A target: becomes @w (dumpable or not) and waits to be killed. */
static long start_target(const struct who *w, int nodump, int nested,
			 int rdy)
{
	int pfd[2];
	long pid;

	if (pipe(pfd))
		return -1;
	pid = fork();
	if (pid == 0) {
		if (nested) {
			long inner;

			/* A root parent in between, the target at level 1. */
			inner = syscall(SYS_clone, CLONE_NEWPID | SIGCHLD,
					NULL, NULL, NULL, NULL);
			if (inner < 0)
				_exit(12);
			if (inner > 0) {
				if (write(pfd[1], &inner, sizeof(inner)) !=
				    sizeof(inner))
					_exit(13);
				for (;;)
					pause();
			}
		}
		/* A change of ids clears dumpable (commit_creds()): reset it. */
		if (become(w) || prctl(PR_SET_DUMPABLE, !nodump, 0, 0, 0))
			_exit(14);
		if (!nested) {
			long self = getpid();

			if (write(pfd[1], &self, sizeof(self)) != sizeof(self))
				_exit(15);
		}
		say_ready(rdy);
		for (;;)
			pause();
	}
	close(pfd[1]);
	if (pid < 0 || read(pfd[0], &pid, sizeof(pid)) != sizeof(pid))
		pid = -1;
	close(pfd[0]);
	return pid;
}

/* A zombie of uid A: a child that exits, its parent never reaps it. */
static long start_zombie(int rdy)
{
	int pfd[2];
	long pid, z = -1;

	if (pipe(pfd))
		return -1;
	pid = fork();
	if (pid == 0) {
		if (become(&targets[0]) || prctl(PR_SET_DUMPABLE, 1, 0, 0, 0))
			_exit(16);
		z = fork();
		if (z == 0)
			_exit(0);
		if (write(pfd[1], &z, sizeof(z)) != sizeof(z))
			_exit(17);
		/* Ready once the child is a zombie. */
		for (;;) {
			char path[64], st[256];
			int fd, n;

			snprintf(path, sizeof(path), "/proc/self/task/%ld/stat", z);
			fd = open(path, O_RDONLY);
			n = fd < 0 ? 0 : read(fd, st, sizeof(st) - 1);
			if (fd >= 0)
				close(fd);
			if (n <= 0)
				break;
			st[n] = '\0';
			if (strstr(st, ") Z"))
				break;
			usleep(1000);
		}
		say_ready(rdy);
		for (;;)
			pause();
	}
	close(pfd[1]);
	if (pid < 0 || read(pfd[0], &z, sizeof(z)) != sizeof(z))
		z = -1;
	close(pfd[0]);
	return z;
}

/*
 * A uid-A process that exec'd a setuid-root copy of this binary: euid 0,
 * real uid A, not dumpable (fs.suid_dumpable 0). -1 if /tmp is nosuid.
 */
static long start_setuid(const char *self_exe, int rdy)
{
	const char *copy = "/tmp/nspid-matrix-suid";
	char buf[65536], fdarg[16];
	int in, out, n;
	long pid;

	in = open(self_exe, O_RDONLY);
	out = open(copy, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (in < 0 || out < 0)
		return -1;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			return -1;
	close(in);
	close(out);
	if (chown(copy, 0, 0) || chmod(copy, 04755))
		return -1;
	snprintf(fdarg, sizeof(fdarg), "%d", rdy);
	pid = fork();
	if (pid == 0) {
		if (become(&targets[0]))
			_exit(18);
		execl(copy, copy, "--matrix-suid-target", fdarg, (char *)NULL);
		_exit(19);
	}
	return pid;
}

/* ---- a reader ----------------------------------------------------------- */

static int can_open(const char *dir, long pid, const char *what)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/%ld/%s", dir, pid, what);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

static int can_readlink(const char *dir, long pid)
{
	char path[128], link[64];

	snprintf(path, sizeof(path), "%s/%ld/ns/pid", dir, pid);
	return readlink(path, link, sizeof(link)) > 0;
}

/*
 * Counts the init adds up, so that a variant cannot pass empty. hidden:
 * rows the map hides that /proc shows; hidden_ids: rows shown without
 * their namespaces; proc_hidden: targets whose status /proc itself
 * refuses the reader (only hidepid= does that: status is mode 0444).
 */
struct tally {
	int shown, hidden, named, hidden_ids, proc_hidden;
};

/* In a forked child: become @r, read, compare; breaches via rep_fd. */
static void run_reader(const struct who *r, const char *dir, int has_nsfile,
		       int tally_fd)
{
	struct tally t = { 0, 0, 0, 0, 0 };
	char path[128];
	struct map m;
	long self;
	int i, j;

	if (become(r)) {
		if (r->caps == CAP_CHILD_USERNS && (errno == EPERM ||
						    errno == EINVAL ||
						    errno == ENOSYS)) {
			/* Unprivileged user namespaces off, or before 3.8. */
			t.named = -1;
			if (write(tally_fd, &t, sizeof(t)) != sizeof(t))
				_exit(20);
			_exit(0);
		}
		breach("%s: cannot take its credentials: %s", r->name,
		       strerror(errno));
		_exit(21);
	}
	self = getpid();
	snprintf(path, sizeof(path), "%s/nspid_map", dir);
	if (map_load(path, 65536, &m)) {
		breach("%s: reading %s: %s", r->name, path,
		       m.errline ? m.err : strerror(errno));
		_exit(22);
	}
	for (i = 0; i < ntgt; i++) {
		const struct map_row *row = map_find(&m, tgt[i].pid);
		int status = can_open(dir, tgt[i].pid, "status");
		int ns = can_readlink(dir, tgt[i].pid);
		int ids = 0;

		if (row) {
			for (j = 1; j < row->nnschain; j++)
				ids |= row->nschain[j] != 0;
			ids |= row->level > 0 && row->pidns != 0;
		}
		if (row && !status)
			breach("%s sees the row of %s (pid %ld) but not its "
			       "/proc/%ld/status", r->name, tgt[i].name,
			       tgt[i].pid, tgt[i].pid);
		if (row && ids && !ns)
			breach("%s sees the namespaces of %s (pid %ld, pidns "
			       "%llu) but cannot readlink /proc/%ld/ns/pid",
			       r->name, tgt[i].name, tgt[i].pid, row->pidns,
			       tgt[i].pid);
		if (row)
			t.shown++;
		else if (status)
			t.hidden++;
		if (!status)
			t.proc_hidden++;
		if (row && row->level > 0 && !ids)
			t.hidden_ids++;
		/* The module stricter than /proc: only for named reasons. */
		if ((!row && status) ||
		    (row && row->level > 0 && !ids && ns && has_nsfile)) {
			if (tgt[i].pid == self || tgt[i].zombie)
				t.named++;
			else
				breach("%s: the map hides %s %s (pid %ld) that "
				       "/proc shows, for no named reason",
				       r->name, row ? "the namespaces of" :
				       "the row of", tgt[i].name, tgt[i].pid);
		}
	}
	map_free(&m);
	if (write(tally_fd, &t, sizeof(t)) != sizeof(t))
		_exit(23);
	_exit(0);
}

/* The effective uid of @pid from its status (read as root), -1 if none. */
static long euid_of(const char *dir, long pid)
{
	char path[128], buf[2048], *p;
	long r = -1, e = -1;
	int fd, n;

	snprintf(path, sizeof(path), "%s/%ld/status", dir, pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strstr(buf, "\nUid:");
	if (!p || sscanf(p + 5, "%ld %ld", &r, &e) != 2)
		return -1;
	return e;
}

/* The init of a variant's namespace; exits 0 when it could run. */
static int variant_init(const char *dir, const char *opts, int hidepid,
			int want_hidden_ids, const char *self_exe)
{
	int rdy[2], tal[2], nready = 0, i, st;
	long pid;
	struct tally sum = { 0, 0, 0, 0, 0 };

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		breach("mount --make-rprivate /: %s", strerror(errno));
		return 1;
	}
	i = procfs_mount(dir, opts);
	if (i) {
		breach("mount proc -o '%s': %s", opts, procfs_mount_error(i));
		return 1;
	}
	if (pipe(rdy) || pipe(tal))
		return 1;

#define ADD(nm, p, lvl, z) do {						\
		if ((p) < 0) {						\
			breach("cannot start target %s", nm);		\
			return 1;					\
		}							\
		tgt[ntgt].name = nm;					\
		tgt[ntgt].pid = (p);					\
		tgt[ntgt].level = (lvl);				\
		tgt[ntgt].zombie = (z);					\
		ntgt++;							\
	} while (0)

	tgt[ntgt].name = "init(root)";
	tgt[ntgt++].pid = 1;
	for (i = 0; i < (int)(sizeof(targets) / sizeof(targets[0])); i++) {
		ADD(targets[i].name, start_target(&targets[i], 0, 0, rdy[1]),
		    0, 0);
		nready++;
	}
	ADD("user,nodump", start_target(&targets[0], 1, 0, rdy[1]), 0, 0);
	nready++;
	ADD("user,nested", start_target(&targets[0], 0, 1, rdy[1]), 1, 0);
	nready++;
	ADD("other,nested", start_target(&targets[1], 0, 1, rdy[1]), 1, 0);
	nready++;
	ADD("user,nodump,nested", start_target(&targets[0], 1, 1, rdy[1]),
	    1, 0);
	nready++;
	ADD("zombie(user)", start_zombie(rdy[1]), 0, 1);
	nready++;
	pid = start_setuid(self_exe, rdy[1]);
	if (pid > 0) {
		ADD("setuid-exec(user)", pid, 0, 0);
		nready++;
	} else {
		fprintf(stderr, "# no setuid-exec'd target: cannot make a "
			"setuid copy in /tmp\n");
	}
	for (i = 0; i < nready; i++)
		if (ready(rdy[0])) {
			breach("a target did not start");
			return 1;
		}
	if (pid > 0) {
		long euid = euid_of(dir, pid);

		/* Still a valid target if not: the oracle is /proc itself. */
		for (i = 0; euid != 0 && i < 100; i++) {
			usleep(10000);
			euid = euid_of(dir, pid);
		}
		if (euid != 0)
			fprintf(stderr, "# the setuid-exec'd target has euid "
				"%ld, not 0: a uid-%d target then\n", euid, A);
	}

	for (i = 0; i < NREADERS; i++) {
		struct tally t;
		long rp = fork();

		if (rp == 0)
			run_reader(&readers[i], dir, pidns_has_inode(),
				   tal[1]);
		if (rp < 0 || waitpid(rp, &st, 0) != rp) {
			breach("reader %s: fork/wait failed", readers[i].name);
			continue;
		}
		if (read(tal[0], &t, sizeof(t)) != sizeof(t)) {
			breach("reader %s died (status 0x%x)", readers[i].name,
			       st);
			continue;
		}
		if (t.named < 0) {
			fprintf(stderr, "# %s: skipped (no unprivileged user "
				"namespaces here)\n", readers[i].name);
			continue;
		}
		fprintf(stderr, "# %-13s %s: %d rows shown, %d hidden, %d "
			"namespace-hidden, %d named stricter, %d hidden by "
			"/proc\n", readers[i].name, opts, t.shown, t.hidden,
			t.hidden_ids, t.named, t.proc_hidden);
		sum.shown += t.shown;
		sum.hidden += t.hidden;
		sum.hidden_ids += t.hidden_ids;
		sum.proc_hidden += t.proc_hidden;
	}
	/*
	 * Non-vacuous: every mode shows rows; /proc hides some under the
	 * hidepid modes (so the option holds: procfs_quirks.h) and none
	 * without.
	 */
	if (!sum.shown)
		breach("no reader saw any row");
	if (hidepid && !sum.proc_hidden)
		breach("hidepid=%d: /proc hid no target from any reader", hidepid);
	if (!hidepid && sum.proc_hidden)
		breach("hidepid=0: /proc hid %d targets' status", sum.proc_hidden);
	/*
	 * Seen from 3.8 on; not on RHEL 6.8 (inodes backported), where with
	 * hidepid=1/2 every reader had 0 rows shown without namespaces.
	 */
	if (want_hidden_ids && kernel_at_least(3, 8) && !sum.hidden_ids)
		breach("no reader had namespace identity hidden");
	return 0;
}

/* ---- the test ------------------------------------------------------------ */

FIXTURE(matrix) {
	char dir[64];
};

FIXTURE_VARIANT(matrix) {
	const char *opts;
	int hidepid;
	int min_major, min_minor;
	/* Rows shown without their namespaces are sure to occur (3.8+). */
	int want_hidden_ids;
};

/*
 * Without gid=, the group is 0: root-nocap is in it. hidepid=4 ignores
 * gid= (5.8, "proc: allow to mount many instances of proc in one pid
 * namespace" added it), so only ptrace readers see rows there.
 */
FIXTURE_VARIANT_ADD(matrix, hidepid0) { "hidepid=0", 0, 2, 6, 1 };
FIXTURE_VARIANT_ADD(matrix, hidepid1) { "hidepid=1", 1, 3, 3, 1 };
FIXTURE_VARIANT_ADD(matrix, hidepid2) { "hidepid=2", 2, 3, 3, 1 };
FIXTURE_VARIANT_ADD(matrix, hidepid2_gid) { "hidepid=2,gid=4242", 2, 3, 3, 1 };
FIXTURE_VARIANT_ADD(matrix, hidepid4_gid) { "hidepid=4,gid=4242", 4, 5, 8, 0 };

FIXTURE_SETUP(matrix)
{
	strcpy(self->dir, "/tmp/nspid-matrix.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, chmod(self->dir, 0755));
}

FIXTURE_TEARDOWN(matrix)
{
	rmdir(self->dir);
}

TEST_F_TIMEOUT(matrix, never_looser, 300)
{
	char self_exe[256], text[8192], drain[4096];
	size_t len = 0, dropped = 0;
	int rep[2], st;
	ssize_t n;
	pid_t p;

	/* hidepid=0-2 and gid= (3.3) are backported to RHEL 6.8: probe. */
	if (variant->min_major == 3 && variant->min_minor == 3 &&
	    !kernel_at_least(3, 3)) {
		int hp = procfs_honours_hidepid();

		ASSERT_LE(0, hp) TH_LOG("hidepid probe failed");
		if (!hp)
			SKIP(return, "%s: procfs ignores hidepid= (before 3.3, "
			     "not backported)", variant->opts);
	} else if (!kernel_at_least(variant->min_major, variant->min_minor)) {
		SKIP(return, "%s needs Linux %d.%d", variant->opts,
		     variant->min_major, variant->min_minor);
	}
	ASSERT_EQ(0, access(MAP_PATH, R_OK)) TH_LOG("module not loaded");
	n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);
	ASSERT_LT(0, n);
	self_exe[n] = '\0';
	ASSERT_EQ(0, pipe(rep));
	p = syscall(SYS_clone, CLONE_NEWPID | CLONE_NEWNS | SIGCHLD,
		    NULL, NULL, NULL, NULL);
	ASSERT_LE(0, p);
	if (p == 0) {
		close(rep[0]);
		rep_fd = rep[1];
		/* pid 1: when it exits, the kernel kills every target. */
		_exit(variant_init(self->dir, variant->opts, variant->hidepid,
				   variant->want_hidden_ids, self_exe));
	}
	close(rep[1]);
	/*
	 * Read to the end even past what fits: a variant init blocked on a
	 * full pipe would never exit, and the waitpid() below never return.
	 */
	while ((n = read(rep[0], len < sizeof(text) - 1 ? text + len : drain,
			 len < sizeof(text) - 1 ? sizeof(text) - 1 - len :
			 sizeof(drain))) > 0) {
		if (len < sizeof(text) - 1)
			len += n;
		else
			dropped += n;
	}
	text[len] = '\0';
	close(rep[0]);
	ASSERT_EQ(p, waitpid(p, &st, 0));
	if (len)
		TH_LOG("%s%s", text, dropped ? "\n(more breaches not shown)" : "");
	EXPECT_EQ(0, (int)len);
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0)
		TH_LOG("variant init status 0x%x", st);
}

int main(int argc, char **argv)
{
	/* The setuid-exec'd target (start_setuid()). */
	if (argc == 3 && !strcmp(argv[1], "--matrix-suid-target")) {
		say_ready(atoi(argv[2]));
		for (;;)
			pause();
	}
	return test_harness_run(argc, argv);
}
