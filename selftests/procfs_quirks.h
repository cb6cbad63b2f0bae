/* SPDX-License-Identifier: GPL-2.0 */
/*
 * procfs_quirks.h - what procfs and seq_file do differently by era, probed
 * without /proc/nspid_map, so that the tests expect of the module exactly
 * what the running kernel makes of it: mounting proc with hidepid= and
 * gid= so that they hold (below), and re-reading a seq_file after a seek
 * into the middle of a record (further down).
 *
 * 3.3 added hidepid= and gid= (commit 0499680a4214); up to 5.7 they live
 * in the pid namespace, from 5.8 in each procfs instance ("proc: allow to
 * mount many instances of proc in one pid namespace"). 3.10 to 4.0 parse
 * them on every mount (proc_mount() calls proc_parse_options() whether or
 * not sget() found the namespace's superblock). 4.19 does not: proc_mount()
 * is mount_ns(), which parses options only in proc_fill_super(), for a new
 * superblock, and a new pid namespace has one before anyone mounts it:
 * pid_ns_prepare_proc() mounts it from alloc_pid() when the namespace's
 * init is forked. So the first mount from inside a fresh namespace
 * silently ignores hidepid= and gid=; a remount (proc_remount() parses
 * them) makes them hold. (The change is "proc: Convert proc_mount to use
 * mount_ns", e94591d0d90c, believed 4.8: not read in a tree here.)
 *
 * procfs_mount() mounts, checks, and remounts where the options did not
 * hold; it never returns success for options that do not. The check: a
 * child that drops to uid/gid 65534 without groups or capabilities must
 * not be able to open @dir/1/status of the root-owned pid 1 under any
 * hidepid= mode but 0/off, and must be able to under 0/off. So the caller
 * must be the init of the namespace (pid 1, root), as the tests' are.
 */
#ifndef NSPID_PROCFS_QUIRKS_H
#define NSPID_PROCFS_QUIRKS_H

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "oracle.h"

#ifndef MS_REMOUNT
#define MS_REMOUNT	32
#endif

#define PROCFS_NOBODY	65534

/* Does @opts ask procfs to hide other users' tasks? */
static inline int procfs_opts_hide(const char *opts)
{
	const char *h = opts ? strstr(opts, "hidepid=") : NULL;

	if (!h)
		return 0;
	h += strlen("hidepid=");
	return strncmp(h, "0", 1) && strncmp(h, "off", 3);
}

/*
 * 1: a uid-65534 process cannot open @dir/1/status; 0: it can; -1: the
 * probe itself failed.
 */
static inline int procfs_hides_init(const char *dir)
{
	char path[128];
	int st;
	pid_t p;

	snprintf(path, sizeof(path), "%s/1/status", dir);
	p = fork();
	if (p == 0) {
		int fd;

		if (setgroups(0, NULL) ||
		    setresgid(PROCFS_NOBODY, PROCFS_NOBODY, PROCFS_NOBODY) ||
		    setresuid(PROCFS_NOBODY, PROCFS_NOBODY, PROCFS_NOBODY))
			_exit(2);
		fd = open(path, O_RDONLY);
		if (fd >= 0)
			_exit(0);
		_exit(errno == EACCES || errno == EPERM || errno == ENOENT ?
		      1 : 3);
	}
	if (p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st) ||
	    WEXITSTATUS(st) > 1)
		return -1;
	return WEXITSTATUS(st);
}

/*
 * Mount proc on @dir with @opts (NULL or "" for none) and make hidepid=
 * hold: 0 on success; -1 with errno from mount(2); -2 when the probe
 * failed; -3 when the options still do not hold after a remount (the
 * kernel has no hidepid=, or ignores it).
 */
static inline int procfs_mount(const char *dir, const char *opts)
{
	int want = procfs_opts_hide(opts), got;

	if (!opts || !*opts)
		opts = NULL;
	if (mount("proc", dir, "proc", 0, opts))
		return -1;
	got = procfs_hides_init(dir);
	if (got < 0)
		return -2;
	if (got == want)
		return 0;
	/*
	 * 4.19: the first mount in a new namespace ignored the options. Its
	 * proc_remount() returns 1, not an error, for an option it does not
	 * know (the 5.8 names), and mount(2) passes that on.
	 */
	got = mount("proc", dir, "proc", MS_REMOUNT, opts);
	if (got > 0)
		errno = EINVAL;
	if (got)
		return -1;
	got = procfs_hides_init(dir);
	if (got < 0)
		return -2;
	return got == want ? 0 : -3;
}

/* What procfs_mount()'s result means, for a test's message. */
static inline const char *procfs_mount_error(int ret)
{
	if (ret == -1)
		return strerror(errno);
	if (ret == -2)
		return "the hidepid probe (a uid-65534 child) failed";
	if (ret == -3)
		return "hidepid= does not hold even after a remount";
	return "no error";
}

/*
 * Does procfs honour hidepid= here? It is 3.3 (commit 0499680a4214,
 * "procfs: add hidepid= and gid= mount options"), and RHEL 6.8's 2.6.32
 * backports it; before, the option is ignored. Probed in a throwaway pid
 * and mount namespace (so that no option reaches the caller's /proc, which
 * shares its superblock with any proc mount of the same pid namespace)
 * with procfs_mount(): RHEL 6.8, like 4.19, parses the options only for a
 * new superblock, and the new namespace has one before anyone mounts it,
 * so only the remount makes hidepid=2 hold. 1 yes, 0 no, -1 cannot tell.
 */
static inline int procfs_honours_hidepid(void)
{
	char dir[] = "/tmp/nspid-hpprobe.XXXXXX";
	int st, ret = -1;
	pid_t p;

	if (!mkdtemp(dir))
		return -1;
	p = syscall(SYS_clone, CLONE_NEWPID | CLONE_NEWNS | SIGCHLD,
		    NULL, NULL, NULL, NULL);
	if (p == 0) {
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
			_exit(3);
		switch (procfs_mount(dir, "hidepid=2")) {
		case 0:
			_exit(1);
		case -3:
			_exit(0);
		default:
			_exit(4);
		}
	}
	if (p > 0 && waitpid(p, &st, 0) == p && WIFEXITED(st) &&
	    WEXITSTATUS(st) < 2)
		ret = WEXITSTATUS(st);
	rmdir(dir);
	return ret;
}

/* hidepid= and gid= hold: from 3.3 sure, before only where backported. */
static inline int procfs_has_hidepid(void)
{
	return kernel_at_least(3, 3) ? 1 : procfs_honours_hidepid();
}

/*
 * A read after a seek into the middle of a seq_file record. 4.19.48's
 * traverse() (fs/seq_file.c) stops on the record holding the offset with
 * m->index still on it and the rest of the record in the buffer;
 * seq_read() copies that rest, then, the buffer empty, calls ->start() at
 * m->index again: the same record comes once more, whole, then the ones
 * after it. Later kernels fix it upstream ("seq_file: fix problem when
 * seeking mid-record"; the release was not pinned in a tree here). A seek
 * to a record boundary is right on every kernel.
 *
 * procfs_seek_repeats_record() probes which, on /proc/self/mountinfo (a
 * seq_file of one record per line, that no test changes), never on
 * /proc/nspid_map: 1 the record repeats, 0 it does not, -1 cannot tell.
 */
static inline ssize_t procfs_pread_all(int fd, char *buf, size_t cap,
				       off_t off)
{
	size_t len = 0;

	while (len < cap) {
		ssize_t n = pread(fd, buf + len, cap - len, off + len);

		if (n < 0)
			return -1;
		if (n == 0)
			break;
		len += n;
	}
	return len;
}

static inline int procfs_seek_repeats_record(void)
{
	static char a[65536], b[65536], c[65536];
	ssize_t la, lb, lc;
	size_t s2, e2, off, rest;
	char *nl;
	int fd, ret = -1;

	fd = open("/proc/self/mountinfo", O_RDONLY);
	if (fd < 0)
		return -1;
	la = procfs_pread_all(fd, a, sizeof(a), 0);
	lc = procfs_pread_all(fd, c, sizeof(c), 0);
	if (la <= 0 || la != lc || memcmp(a, c, la) || la == sizeof(a))
		goto out;
	/* The middle of the second record. */
	nl = memchr(a, '\n', la);
	if (!nl)
		goto out;
	s2 = nl + 1 - a;
	nl = memchr(a + s2, '\n', la - s2);
	if (!nl || nl - (a + s2) < 4)
		goto out;
	e2 = nl + 1 - a;
	off = s2 + 2;
	rest = e2 - off;
	close(fd);
	fd = open("/proc/self/mountinfo", O_RDONLY);
	if (fd < 0)
		return -1;
	lb = procfs_pread_all(fd, b, sizeof(b), off);
	if (lb == la - (ssize_t)off && !memcmp(b, a + off, lb))
		ret = 0;
	else if (lb == la - (ssize_t)off + (ssize_t)(e2 - s2) &&
		 !memcmp(b, a + off, rest) &&
		 !memcmp(b + rest, a + s2, la - s2))
		ret = 1;
out:
	close(fd);
	return ret;
}

#endif /* NSPID_PROCFS_QUIRKS_H */
