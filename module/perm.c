// SPDX-License-Identifier: GPL-2.0
/*
 * perm.c - which rows a reader may see under hidepid= (SPEC §1.2).
 *
 * /proc decides with has_pid_permissions() (fs/proc/base.c): the gid=
 * group sees everything, everyone else what ptrace_may_access(task,
 * PTRACE_MODE_READ_FSCREDS) allows. ptrace_may_access() is not exported,
 * so its checks are rebuilt here from the opener's credentials, each one
 * the same or stricter:
 *
 *  - the kernel lets a task always see its own thread group; we do not
 *    (the opener's credentials are all we keep, not its task);
 *  - CAP_SYS_PTRACE counts only in the initial user namespace, where the
 *    kernel also accepts it in the target's user namespace;
 *  - the LSM hook (SELinux, AppArmor, Yama) cannot be asked at all: a
 *    policy that denies ptrace is not seen here. The README says so.
 */
#include <linux/cred.h>
#include <linux/sched.h>

#include "compat.h"
#include "nspid_map.h"

/* Caller holds rcu_read_lock(). */
static bool nspid_ids_match(const struct cred *cred, struct task_struct *task)
{
	const struct cred *tcred = __task_cred(task);

	return nspid_uid_eq(cred->fsuid, tcred->uid) &&
	       nspid_uid_eq(cred->fsuid, tcred->euid) &&
	       nspid_uid_eq(cred->fsuid, tcred->suid) &&
	       nspid_gid_eq(cred->fsgid, tcred->gid) &&
	       nspid_gid_eq(cred->fsgid, tcred->egid) &&
	       nspid_gid_eq(cred->fsgid, tcred->sgid);
}

static bool nspid_may_read(const struct cred *cred, struct task_struct *task)
{
	bool capable = nspid_cred_ptrace_capable(cred);
	bool dumpable;

	if (!capable && !nspid_ids_match(cred, task))
		return false;
	/*
	 * Read dumpability after the credentials, as __ptrace_may_access()
	 * does: pairs with the barrier in commit_creds().
	 */
	smp_rmb();
	task_lock(task);
	dumpable = !task->mm || nspid_mm_user_dumpable(task->mm);
	task_unlock(task);
	return dumpable || capable;
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
	if (hide_pid != NSPID_HIDEPID_NOT_PTRACEABLE &&
	    nspid_cred_in_group(it->cred, gid))
		return true;
	return nspid_may_read(it->cred, task);
}
