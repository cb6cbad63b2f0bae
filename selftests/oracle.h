/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oracle.h - what the tests may trust besides the module, on every kernel.
 *
 * The scene tests learn a task's pid in an outer namespace from
 * SCM_CREDENTIALS: the kernel translates the sender's pid into the
 * receiver's namespace. It has done so only since 2.6.36 (commit
 * 257b5358b32f, "scm: Capture the full credentials of the scm sender");
 * before, the receiver gets the number the sender wrote, its own id.
 * scm_translates_pids() probes which, with a throwaway child in a new pid
 * namespace, never with /proc/nspid_map.
 *
 * Where it does not translate, the fallback is the kernel's procfs: a
 * procfs instance shows the tasks of the namespace it was mounted in
 * (mounted by a task inside that namespace), with their ids there, and
 * /proc/PID/task/TID/stat gives each thread's name. Scene tasks carry
 * unique names, so proc_tid_by_comm() finds a task's id in that namespace
 * by its name: an independent answer from the kernel, not from the module.
 */
#ifndef NSPID_ORACLE_H
#define NSPID_ORACLE_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_NEWPID
#define CLONE_NEWPID	0x20000000
#endif
#ifndef CLONE_NEWNS
#define CLONE_NEWNS	0x00020000
#endif
#ifndef CLONE_NEWUSER
#define CLONE_NEWUSER	0x10000000
#endif
#ifndef MS_PRIVATE
#define MS_PRIVATE	(1 << 18)
#endif
#ifndef MS_REC
#define MS_REC		16384
#endif

/* The running kernel is at least major.minor (uname -r). */
static inline int kernel_at_least(int major, int minor)
{
	struct utsname u;
	int ma = 0, mi = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &ma, &mi) != 2)
		return 1;	/* unknown: hold it to the newest rules */
	return ma > major || (ma == major && mi >= minor);
}

/*
 * Has a pid namespace an inode number, shown as /proc/PID/ns/pid? Both are
 * 3.8 (98f842e675f9 and 57e8391d327); RHEL 6.8's 2.6.32 backports them, so
 * ask /proc. From 3.8 on the answer is yes whatever /proc says.
 */
static inline int pidns_has_inode(void)
{
	return kernel_at_least(3, 8) || access("/proc/self/ns/pid", F_OK) == 0;
}

/*
 * 1: SCM_CREDENTIALS pids arrive translated into the receiver's namespace;
 * 0: they arrive as sent (before 2.6.36); -1: the probe itself failed.
 */
static inline int scm_translates_pids(void)
{
	char cbuf[CMSG_SPACE(sizeof(struct ucred))];
	struct ucred cr;
	struct iovec iov;
	struct msghdr msg;
	struct cmsghdr *cm;
	int sv[2], one = 1, ret = -1;
	char c = 'p';
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
		return -1;
	if (setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)))
		goto out;
	pid = syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, NULL, NULL, NULL, NULL);
	if (pid < 0)
		goto out;
	memset(&msg, 0, sizeof(msg));
	memset(cbuf, 0, sizeof(cbuf));
	iov.iov_base = &c;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf;
	msg.msg_controllen = sizeof(cbuf);
	if (pid == 0) {
		/* pid 1 of the new namespace says "I am 1" */
		cr.pid = syscall(SYS_gettid);
		cr.uid = getuid();
		cr.gid = getgid();
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_CREDENTIALS;
		cm->cmsg_len = CMSG_LEN(sizeof(cr));
		memcpy(CMSG_DATA(cm), &cr, sizeof(cr));
		_exit(sendmsg(sv[1], &msg, 0) == 1 ? 0 : 1);
	}
	if (recvmsg(sv[0], &msg, 0) == 1) {
		cm = CMSG_FIRSTHDR(&msg);
		if (cm && cm->cmsg_type == SCM_CREDENTIALS) {
			memcpy(&cr, CMSG_DATA(cm), sizeof(cr));
			if (cr.pid == pid)
				ret = 1;
			else if (cr.pid == 1)
				ret = 0;
		}
	}
	waitpid(pid, NULL, 0);
out:
	close(sv[0]);
	close(sv[1]);
	return ret;
}

/* The name field of a stat file: between the first '(' and the last ')'. */
static inline int proc_stat_comm(const char *path, char *comm, size_t len)
{
	char buf[512], *open_p, *close_p;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	open_p = strchr(buf, '(');
	close_p = strrchr(buf, ')');
	if (!open_p || !close_p || close_p < open_p ||
	    (size_t)(close_p - open_p - 1) >= len)
		return -1;
	memcpy(comm, open_p + 1, close_p - open_p - 1);
	comm[close_p - open_p - 1] = '\0';
	return 0;
}

static inline int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/*
 * The id, in the namespace of the procfs mounted at @procdir, of the one
 * thread named @comm: a tid > 0, 0 when no thread has that name, -1 when
 * more than one does (or @procdir cannot be read). A process's leader is
 * found through /PID/stat too, so that a zombie, whose task directory may
 * be empty, is found.
 */
static inline long proc_tid_by_comm(const char *procdir, const char *comm)
{
	char path[256], name[64];
	struct dirent *p, *t;
	long found = 0;
	DIR *d, *td;

	d = opendir(procdir);
	if (!d)
		return -1;
	while ((p = readdir(d))) {
		int leader_seen = 0;

		if (!all_digits(p->d_name))
			continue;
		snprintf(path, sizeof(path), "%.100s/%.20s/task", procdir, p->d_name);
		td = opendir(path);
		while (td && (t = readdir(td))) {
			if (!all_digits(t->d_name))
				continue;
			snprintf(path, sizeof(path), "%.100s/%.20s/task/%.20s/stat",
				 procdir, p->d_name, t->d_name);
			if (proc_stat_comm(path, name, sizeof(name)) ||
			    strcmp(name, comm))
				continue;
			leader_seen |= !strcmp(t->d_name, p->d_name);
			found = found ? -1 : atol(t->d_name);
		}
		if (td)
			closedir(td);
		if (leader_seen)
			continue;
		snprintf(path, sizeof(path), "%.100s/%.20s/stat", procdir, p->d_name);
		if (!proc_stat_comm(path, name, sizeof(name)) &&
		    !strcmp(name, comm))
			found = found ? -1 : atol(p->d_name);
	}
	closedir(d);
	return found;
}

#endif /* NSPID_ORACLE_H */
