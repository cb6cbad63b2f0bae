// SPDX-License-Identifier: GPL-2.0
/*
 * perm.c - what a reader may see: which rows under hidepid= (SPEC §1.2),
 * and whose namespace identity on any row (SPEC §1.1).
 *
 * /proc decides a row with has_pid_permissions() (fs/proc/base.c): the
 * gid= group sees everything, everyone else what ptrace_may_access(task,
 * PTRACE_MODE_READ[_FSCREDS]) allows. readlink /proc/PID/ns/pid asks
 * ptrace_may_access() alone (fs/proc/namespaces.c), hidepid or not.
 * ptrace_may_access() is not exported, so its checks are rebuilt here from
 * the opener's credentials, each one the same or stricter:
 *
 *  - the ids compared are the ones the target kernel's ptrace compares:
 *    fs ids where PTRACE_MODE_READ_FSCREDS exists, real ids before
 *    (compat.h, nspid_ptrace_uid());
 *  - before 3.5 the reader's and the task's user namespaces must be the
 *    same, as __ptrace_may_access() of 3.0-3.4 required (2.6.32 did not:
 *    there the test is stricter than the kernel's);
 *  - a task without an mm (a zombie, a kernel thread) counts as not
 *    dumpable. The kernel's check skipped dumpability for such a task
 *    until "ptrace: slightly saner 'get_dumpable()' logic" (7.1, and the
 *    stable lines: in 6.1.172; Debian 11's 5.10 and 13's 6.12 have it),
 *    which keeps the last mm's dumpability in task->user_dumpable; 7.2's
 *    task->exec_state keeps it too. Ours is stricter than all of them;
 *  - the kernel lets a task always see its own thread group; we do not
 *    (the opener's credentials are all we keep, not its task);
 *  - CAP_SYS_PTRACE counts only in the initial user namespace, where the
 *    kernel also accepts it in the target's user namespace;
 *  - of the security modules' hook, the capability module's rule (the
 *    task's permitted capabilities within the reader's) is rebuilt; the
 *    others (SELinux, AppArmor, Yama) cannot be asked at all: a policy
 *    that denies ptrace is not seen here. The README says so.
 */
#include <linux/cred.h>
#include <linux/sched.h>

#include "compat.h"
#include "nspid_map.h"

/* Caller holds rcu_read_lock(). */
static bool nspid_ids_match(const struct cred *cred, struct task_struct *task)
{
	const struct cred *tcred = __task_cred(task);
	nspid_uid_t uid = nspid_ptrace_uid(cred);
	nspid_gid_t gid = nspid_ptrace_gid(cred);

	return nspid_same_user_ns(cred, tcred) &&
	       nspid_uid_eq(uid, tcred->uid) &&
	       nspid_uid_eq(uid, tcred->euid) &&
	       nspid_uid_eq(uid, tcred->suid) &&
	       nspid_gid_eq(gid, tcred->gid) &&
	       nspid_gid_eq(gid, tcred->egid) &&
	       nspid_gid_eq(gid, tcred->sgid);
}

/*
 * The capability LSM, which every kernel stacks (cap_ptrace_access_check()
 * in security/commoncap.c): in the same user namespace, the task's
 * permitted capabilities must all be the reader's too, so that root
 * without CAP_SYS_PTRACE cannot read a root task. The reader's effective
 * set with PTRACE_MODE_READ_FSCREDS, its permitted set before (compat.h).
 * Caller holds rcu_read_lock().
 */
static bool nspid_caps_cover(const struct cred *cred, struct task_struct *task)
{
	const struct cred *tcred = __task_cred(task);

	return nspid_cred_user_ns(cred) == nspid_cred_user_ns(tcred) &&
	       cap_issubset(tcred->cap_permitted, nspid_ptrace_caps(cred));
}

/**
 * nspid_identity_visible() - may the opener ptrace-read this task?
 * @it:   the open file's iterator
 * @task: the task; the caller holds rcu_read_lock()
 *
 * The check /proc applies to /proc/PID/ns/pid and, under hidepid=, to
 * the task's directory (by the stricter rules above).
 *
 * Return: true when the opener may, so the row may name its namespaces.
 */
bool nspid_identity_visible(const struct nspid_iter *it,
			    struct task_struct *task)
{
	bool dumpable;

	if (it->ptrace_capable)
		return true;
	if (!nspid_ids_match(it->cred, task) || !nspid_caps_cover(it->cred, task))
		return false;
	/*
	 * Read dumpability after the credentials, as __ptrace_may_access()
	 * does: pairs with the barrier in commit_creds().
	 */
	smp_rmb();
	task_lock(task);
	/*
	 * No mm (a zombie, a task past exit_mm(), a kernel thread): only
	 * CAP_SYS_PTRACE passes. Stricter than every kernel: older ones
	 * skip the test there, newer ones keep the last mm's dumpability
	 * (task->user_dumpable, then task->exec_state), which is not
	 * exported or not in every era's headers.
	 */
	dumpable = task->mm && nspid_task_user_dumpable(task);
	task_unlock(task);
	return dumpable;
}

/*
 * Is the gid= group @gid one of the opener's groups? Decided at open for
 * the group the mount had then (nspid_perm_open()); a remount with another
 * gid= is rare, and then the groups are scanned for every row.
 */
static bool nspid_in_group(const struct nspid_iter *it, nspid_gid_t gid)
{
	if (nspid_gid_eq(gid, it->group))
		return it->in_group;
	return nspid_cred_in_group(it->cred, gid);
}

/**
 * nspid_visible() - may the opener of the file see this task's row?
 * @it:   the open file's iterator
 * @task: the task; the caller holds rcu_read_lock()
 *
 * Return: true when the procfs instance has no hidepid=, or when /proc
 * would show the opener the details of @task (by the stricter rules above).
 */
bool nspid_visible(const struct nspid_iter *it, struct task_struct *task)
{
	nspid_gid_t gid;
	int hide_pid = nspid_sb_hidepid(it->sb, &gid);

	if (hide_pid == NSPID_HIDEPID_OFF)
		return true;
	if (hide_pid != NSPID_HIDEPID_NOT_PTRACEABLE && nspid_in_group(it, gid))
		return true;
	return nspid_identity_visible(it, task);
}

/**
 * nspid_perm_open() - decide what is fixed for the open file
 * @it: the new file's iterator; @it->sb and @it->cred are set
 *
 * The opener's credentials never change for the file, so neither does
 * CAP_SYS_PTRACE nor membership of the gid= group the mount has now.
 */
void nspid_perm_open(struct nspid_iter *it)
{
	it->ptrace_capable = nspid_cred_ptrace_capable(it->cred);
	nspid_sb_hidepid(it->sb, &it->group);
	it->in_group = nspid_cred_in_group(it->cred, it->group);
}
