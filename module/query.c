// SPDX-License-Identifier: GPL-2.0
/*
 * query.c - one task's row by ioctl on an open /proc/nspid_map (SPEC §1.6,
 * <nspid/nspid_map.h>, ioctl_nspid_map(2)).
 *
 * What is asked is what fs/nsfs.c's NS_GET_PID_IN_PIDNS family (6.11)
 * answers, for every kernel the module builds on: find_pid_ns() in the
 * reader's namespace, or in a namespace of a task's chain, then the task's
 * struct pid. No walk: O(1) in the number of tasks. How the struct grows
 * is PIDFD_GET_INFO's (6.13) and copy_struct_from_user()'s rule, rebuilt
 * here because that helper is 5.4 and check_zeroed_user() 5.5.
 *
 * Visibility is the map's, decided by the same helpers: a task read()
 * would not show gives ESRCH, and a row whose namespace identity read()
 * zeroes has it zeroed here (SPEC §1.1, §1.2).
 */
#include <linux/compat.h>
#include <linux/errno.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <nspid/nspid_map.h>

#include "compat.h"
#include "nspid_map.h"

/* The largest struct a caller may pass; as openat2(2), one page. */
#define NSPID_QUERY_SIZE_MAX	4096

/* Are the bytes [from, to) of the caller's struct zero? 1, 0 or -EFAULT. */
static int nspid_tail_zero(const u8 __user *u, size_t from, size_t to)
{
	u8 buf[64];

	while (from < to) {
		size_t n = min_t(size_t, to - from, sizeof(buf));
		size_t i;

		if (copy_from_user(buf, u + from, n))
			return -EFAULT;
		for (i = 0; i < n; i++)
			if (buf[i])
				return 0;
		from += n;
	}
	return 1;
}

/*
 * Read the caller's struct into @q (zeroed first): copy_struct_from_user().
 * Return: its size, or -errno.
 */
static long nspid_query_in(struct nspid_query *q, const void __user *arg)
{
	u32 usize;
	int zero;

	if (get_user(usize, (const u32 __user *)arg))
		return -EFAULT;
	if (usize < NSPID_QUERY_SIZE_VER0)
		return -EINVAL;
	if (usize > NSPID_QUERY_SIZE_MAX)
		return -E2BIG;
	memset(q, 0, sizeof(*q));
	if (copy_from_user(q, arg, min_t(size_t, usize, sizeof(*q))))
		return -EFAULT;
	if (usize > sizeof(*q)) {
		zero = nspid_tail_zero(arg, sizeof(*q), usize);
		if (zero <= 0)
			return zero ? zero : -E2BIG;
	}
	return usize;
}

/*
 * Fill the answer from @task's struct pid, with the rules of
 * nspid_show_task(): ESRCH where the map would skip the row (the task died
 * so far that its ids no longer resolve), identity as nspid_show_task()
 * shows it. Caller holds rcu_read_lock() and has checked nspid_visible().
 */
static int nspid_query_fill(const struct nspid_iter *it,
			    struct task_struct *task, struct nspid_query *q)
{
	struct pid_namespace *ns = it->ns;
	struct pid *pid = task_pid(task);
	struct pid_namespace *own;
	struct pid *tgpid;
	bool identity;
	unsigned int i, n;

	BUILD_BUG_ON(sizeof(task->comm) != sizeof(q->comm));
	BUILD_BUG_ON(sizeof(*q) != NSPID_QUERY_SIZE_VER0);
	if (!pid || pid->level < ns->level || pid->numbers[ns->level].ns != ns)
		return -ESRCH;
	/* MAX_PID_NS_LEVEL is 32 in every era; never more than the struct holds. */
	if (pid->level - ns->level >= NSPID_CHAIN_MAX)
		return -EOVERFLOW;
	own = pid->numbers[pid->level].ns;
	tgpid = task_tgid(task);
	q->tid = pid->numbers[ns->level].nr;
	q->tgid = nspid_nr_in(tgpid, ns);
	q->nstgid = nspid_nr_in(tgpid, own);
	if (!q->tgid || !q->nstgid)
		return -ESRCH;
	/* As PPid: in /proc/PID/status: 0 when the parent is not in @ns. */
	q->ppid = pid_alive(task) ?
		nspid_nr_in(task_tgid(rcu_dereference(task->real_parent)), ns) : 0;
	q->nspid = pid->numbers[pid->level].nr;
	q->level = pid->level - ns->level;
	/* Below the reader's own namespace, names only for ptrace readers. */
	identity = q->level == 0 || nspid_identity_visible(it, task);
	q->pidns = identity ? nspid_ns_inum(own) : 0;
	for (i = ns->level, n = 0; i <= pid->level; i++, n++) {
		q->chain[n] = pid->numbers[i].nr;
		q->nschain[n] = n == 0 || identity ?
			nspid_ns_inum(pid->numbers[i].ns) : 0;
	}
	task_lock(task);
	memcpy(q->comm, task->comm, sizeof(q->comm));
	task_unlock(task);
	q->comm[sizeof(q->comm) - 1] = '\0';
	q->mask = NSPID_MASK_IDS | NSPID_MASK_NS | NSPID_MASK_COMM;
	return 0;
}

/* The visible task numbered @nr in @ns; caller holds rcu_read_lock(). */
static struct task_struct *nspid_query_task(const struct nspid_iter *it,
					    struct pid_namespace *ns, u32 nr)
{
	struct task_struct *task;
	struct pid *pid;

	if (nr > PID_MAX_LIMIT)
		return NULL;
	pid = find_pid_ns(nr, ns);
	task = pid ? pid_task(pid, PIDTYPE_PID) : NULL;
	/* As nspid_show_task(): not a thread whose exec moved it meanwhile. */
	if (!task || task_pid(task) != pid || !nspid_visible(it, task))
		return NULL;
	return task;
}

static int nspid_get_task(const struct nspid_iter *it, struct nspid_query *q)
{
	struct task_struct *task;
	int ret = -ESRCH;

	if (q->flags || q->ns_level || q->nr)
		return -EINVAL;
	rcu_read_lock();
	task = nspid_query_task(it, it->ns, q->pid);
	if (task)
		ret = nspid_query_fill(it, task, q);
	rcu_read_unlock();
	return ret;
}

/*
 * The reverse lookup. The namespace is one of @q->pid's chain; naming one
 * below the reader's own tells which namespace a task is in, which the map
 * shows only where the namespace identity is visible: so then both the
 * naming task and the answer must pass nspid_identity_visible(), and a
 * miss is ESRCH like any hidden task.
 */
static int nspid_by_nspid(const struct nspid_iter *it, struct nspid_query *q)
{
	struct task_struct *named, *task;
	struct pid_namespace *ns;
	unsigned int level;
	struct pid *pid;
	int ret = -ESRCH;

	if (q->flags & ~NSPID_QUERY_AT_LEVEL)
		return -EINVAL;
	if (!(q->flags & NSPID_QUERY_AT_LEVEL) && q->ns_level)
		return -EINVAL;
	if (q->ns_level >= NSPID_CHAIN_MAX)
		return -EINVAL;
	rcu_read_lock();
	named = nspid_query_task(it, it->ns, q->pid);
	pid = named ? task_pid(named) : NULL;
	if (!pid || pid->level < it->ns->level)
		goto out;
	if (q->flags & NSPID_QUERY_AT_LEVEL)
		level = it->ns->level + q->ns_level;
	else
		level = pid->level;
	if (level > pid->level) {
		ret = -EINVAL;
		goto out;
	}
	if (level > it->ns->level && !nspid_identity_visible(it, named))
		goto out;
	ns = pid->numbers[level].ns;
	task = nspid_query_task(it, ns, q->nr);
	if (!task)
		goto out;
	/* Every task of @ns has a pid in the reader's, its ancestor. */
	if (level > it->ns->level && !nspid_identity_visible(it, task))
		goto out;
	ret = nspid_query_fill(it, task, q);
out:
	rcu_read_unlock();
	return ret;
}

/**
 * nspid_ioctl() - ->unlocked_ioctl of /proc/nspid_map
 * @file: the open file; its seq_file's private data is the nspid_iter
 * @cmd:  NSPID_IOC_GET_TASK or NSPID_IOC_BY_NSPID (size bits ignored)
 * @arg:  the caller's struct nspid_query
 *
 * Return: 0 with the answer written back, or -ESRCH, -EINVAL, -E2BIG,
 * -EFAULT, or -ENOTTY for any other command.
 */
long nspid_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	const struct seq_file *m = file->private_data;
	void __user *uarg = (void __user *)arg;
	struct nspid_query q;
	long usize;
	int ret;

	if (_IOC_TYPE(cmd) != NSPID_IOC_MAGIC ||
	    _IOC_DIR(cmd) != (_IOC_READ | _IOC_WRITE))
		return -ENOTTY;
	switch (_IOC_NR(cmd)) {
	case _IOC_NR(NSPID_IOC_GET_TASK):
	case _IOC_NR(NSPID_IOC_BY_NSPID):
		break;
	default:
		return -ENOTTY;
	}
	usize = nspid_query_in(&q, uarg);
	if (usize < 0)
		return usize;
	if (!q.pid || (_IOC_NR(cmd) == _IOC_NR(NSPID_IOC_BY_NSPID) && !q.nr))
		return -EINVAL;
	if (_IOC_NR(cmd) == _IOC_NR(NSPID_IOC_GET_TASK))
		ret = nspid_get_task(m->private, &q);
	else
		ret = nspid_by_nspid(m->private, &q);
	if (ret)
		return ret;
	/* @size stays the caller's; the module writes what both know. */
	q.size = usize;
	if (copy_to_user(uarg, &q, min_t(size_t, usize, sizeof(q))))
		return -EFAULT;
	return 0;
}

#ifdef CONFIG_COMPAT
/**
 * nspid_compat_ioctl() - ->compat_ioctl: the struct has one layout
 * @file: the open file
 * @cmd:  as for nspid_ioctl()
 * @arg:  a 32-bit caller's pointer
 *
 * Return: as nspid_ioctl().
 */
long nspid_compat_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return nspid_ioctl(file, cmd, (unsigned long)compat_ptr(arg));
}
#endif
