/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - every kernel-version difference nspid_map depends on.
 *
 * The .c files call only the nspid_*() helpers below and never test a
 * kernel version. Two kinds of switches decide each branch:
 *
 *  - HAVE_* macros come from Kbuild, which greps the target kernel's own
 *    headers (see Kbuild). They are used for every API that vendor kernels
 *    backport (RHEL 6 and 7 carry many later features), where a version
 *    number would lie.
 *  - Macros the headers themselves define (KGIDT_INIT, GROUP_AT,
 *    PTRACE_MODE_READ_FSCREDS) are tested with #ifdef directly.
 *
 * Each branch names the upstream release (and commit, where known) that
 * introduced the change. Facts are collected in shared/COMPAT.md.
 */
#ifndef NSPID_COMPAT_H
#define NSPID_COMPAT_H

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/user_namespace.h>
/*
 * 4.11 split sched.h: task_tgid() and the signal_struct it reads from 4.19
 * (signal->pids[PIDTYPE_TGID]) moved to <linux/sched/signal.h>. Before, the
 * inline is in sched.h and reads group_leader->pids[PIDTYPE_PID].pid.
 */
#ifdef HAVE_SCHED_SIGNAL_H
#include <linux/sched/signal.h>
#endif
#ifdef HAVE_TASK_EXEC_STATE
#include <linux/sched/exec_state.h>
#endif

/* ---- Registering the proc file ---------------------------------------- */

/*
 * 32-bit callers on a 64-bit kernel: the query struct has one layout, so
 * compat_fn only converts the pointer. file_operations has .compat_ioctl
 * in every era (2.6.11), proc_ops has .proc_compat_ioctl only under
 * CONFIG_COMPAT; without CONFIG_COMPAT there are no such callers.
 * .unlocked_ioctl is 2.6.11 too, and procfs passes both on from 2.6.23
 * (proc_reg_unlocked_ioctl/proc_reg_compat_ioctl, which wait for them
 * when the entry is removed from 3.10 on; before, the open file pins the
 * module, see nspid_pin_module()).
 */
/*
 * The member comes with its comma and before the last one of
 * NSPID_PROC_OPS(), so that the list stays well formed when it is absent.
 */
#ifndef CONFIG_COMPAT
#define NSPID_COMPAT_IOCTL(compat_fn)
#elif defined(HAVE_PROC_OPS)
#define NSPID_COMPAT_IOCTL(compat_fn)	.proc_compat_ioctl = compat_fn,
#else
#define NSPID_COMPAT_IOCTL(compat_fn)	.compat_ioctl = compat_fn,
#endif

#ifdef HAVE_PROC_OPS
/*
 * 5.6, d56c0d45f0e2 ("proc: decouple proc from VFS with "struct
 * proc_ops""). proc_ops has no .owner: procfs itself waits for in-flight
 * calls and releases open files when the entry is removed. From 6.12 the
 * .proc_lseek member is mandatory (no default lseek).
 */
#define nspid_proc_ops proc_ops
#define NSPID_PROC_OPS(open_fn, release_fn, ioctl_fn, compat_fn)	\
	.proc_open	= open_fn,			\
	.proc_read	= seq_read,			\
	.proc_lseek	= seq_lseek,			\
	.proc_release	= release_fn,			\
	NSPID_COMPAT_IOCTL(compat_fn)			\
	.proc_ioctl	= ioctl_fn
#else
/*
 * Up to 5.5, procfs wraps a plain file_operations. .owner is not used by
 * procfs (proc_reg_open takes no module reference), see nspid_pin_module().
 */
#define nspid_proc_ops file_operations
#define NSPID_PROC_OPS(open_fn, release_fn, ioctl_fn, compat_fn)	\
	.owner		= THIS_MODULE,			\
	.open		= open_fn,			\
	.read		= seq_read,			\
	.llseek		= seq_lseek,			\
	.release	= release_fn,			\
	NSPID_COMPAT_IOCTL(compat_fn)			\
	.unlocked_ioctl	= ioctl_fn
#endif

static inline struct proc_dir_entry *
nspid_proc_create(const char *name, const struct nspid_proc_ops *ops)
{
	/* proc_create_data exists in every supported kernel (2.6.26+). */
	return proc_create_data(name, 0444, NULL, ops, NULL);
}

static inline void nspid_proc_remove(struct proc_dir_entry *pde,
				     const char *name)
{
#ifdef HAVE_PROC_REMOVE
	/* 3.10, a8ca16ea7b0a ("proc: Supply a function to remove a proc entry by PDE") */
	proc_remove(pde);
#else
	remove_proc_entry(name, NULL);
#endif
}

/*
 * Before 3.10 (and in RHEL 6), remove_proc_entry() can let a concurrent
 * close() run the module's ->release after it returned (COMPAT.md §5); the
 * old kernels pin the module while a file is open instead. From 3.10 on,
 * proc_entry_rundown()/close_pdeo() make unloading with open files safe;
 * that rework came in the same release as proc_remove(), and the vendor
 * kernels that lack one lack the other (RHEL 6).
 */
#ifdef HAVE_PROC_REMOVE
static inline bool nspid_pin_module(void) { return true; }
static inline void nspid_unpin_module(void) { }
#else
static inline bool nspid_pin_module(void) { return try_module_get(THIS_MODULE); }
static inline void nspid_unpin_module(void) { module_put(THIS_MODULE); }
#endif

/* ---- The procfs instance: reader's namespace and hidepid ---------------- */

/* hide_pid values; the enum exists only from 4.14 (HIDEPID_* below). */
#define NSPID_HIDEPID_OFF		0
#define NSPID_HIDEPID_NOT_PTRACEABLE	4	/* 5.8; never set before */

#ifdef KGIDT_INIT
/* 3.5, 7a4e7408c5ca ("userns: Add kuid_t and kgid_t and associated infrastructure") */
#define nspid_uid_t		kuid_t
#define nspid_gid_t		kgid_t
#define nspid_uid_eq(a, b)	uid_eq(a, b)
#define nspid_gid_eq(a, b)	gid_eq(a, b)
#else
#define nspid_uid_t		uid_t
#define nspid_gid_t		gid_t
#define nspid_uid_eq(a, b)	((a) == (b))
#define nspid_gid_eq(a, b)	((a) == (b))
#endif

#ifdef HAVE_PROC_FS_INFO
/*
 * 5.8, fa10fed30f25 ("proc: allow to mount many instances of proc in one
 * pid namespace"): s_fs_info is a struct proc_fs_info, one per mount, and
 * the hidepid options live there.
 */
static inline struct pid_namespace *nspid_sb_pid_ns(struct super_block *sb)
{
	return proc_sb_info(sb)->pid_ns;
}

static inline int nspid_sb_hidepid(struct super_block *sb, nspid_gid_t *gid)
{
	struct proc_fs_info *fs_info = proc_sb_info(sb);

	*gid = fs_info->pid_gid;
	return fs_info->hide_pid;
}
#else
/* Up to 5.7 one procfs superblock per pid namespace, s_fs_info is the ns. */
static inline struct pid_namespace *nspid_sb_pid_ns(struct super_block *sb)
{
	return sb->s_fs_info;
}

static inline int nspid_sb_hidepid(struct super_block *sb, nspid_gid_t *gid)
{
#ifdef HAVE_PIDNS_HIDEPID
	/*
	 * 3.3, 0499680a4214 ("procfs: add hidepid= and gid= mount options");
	 * RHEL 6 backports it with a gid_t pid_gid.
	 */
	struct pid_namespace *ns = sb->s_fs_info;

	*gid = ns->pid_gid;
	return ns->hide_pid;
#else
	return NSPID_HIDEPID_OFF;
#endif
}
#endif

/* ---- Namespace inode numbers (readlink /proc/PID/ns/pid) ---------------- */

static inline unsigned int nspid_ns_inum(struct pid_namespace *ns)
{
#if defined(HAVE_NS_COMMON)
	/* 3.19, 435d5f4bb2cc ("common object embedded into various struct ....ns") */
	return ns->ns.inum;
#elif defined(HAVE_PROC_INUM)
	/* 3.8, 98f842e675f9 ("proc: Usable inode numbers for the namespace file descriptors") */
	return ns->proc_inum;
#else
	/* Before 3.8 namespaces have no inode number: SPEC §1.1 prints 0. */
	return 0;
#endif
}

/* ---- Finding the next allocated pid number ------------------------------ */

#ifdef HAVE_PIDNS_IDR
/*
 * 4.15, 95846ecf9dac ("pid: replace pid bitmap implementation with IDR
 * API"). alloc_pid() reserves a slot with a NULL entry first and fills it
 * later. Caller holds rcu_read_lock().
 *
 * Not idr_get_next(): before 5c089fd0c734 ("idr: Fix idr_get_next race
 * with idr_remove", merged for 5.2, in 4.19.86 and later 4.19.y) it reads
 * the slot it found once more after the lookup, and returns NULL when the
 * entry was removed in between, which a caller cannot tell from the end of
 * the idr, so a pass would end early. Vendor kernels of 4.15-5.1 (RHEL 8's
 * 4.18) may or may not carry the fix, and no header says which.
 * radix_tree_gang_lookup() (exported from 2.6 to 7.x) always skipped
 * empty slots and retried internal ones, and the entry it
 * returns, the struct pid, carries its own number; the pid idr is 0-based
 * (idr_init()), so its index is that number. One path for every idr era.
 */
static inline struct pid *nspid_next_pid(struct pid_namespace *ns, int *nr)
{
	struct pid *pid;

	if (*nr < 0 ||
	    !radix_tree_gang_lookup(&ns->idr.idr_rt, (void **)&pid, *nr, 1))
		return NULL;
	*nr = pid->numbers[ns->level].nr;
	return pid;
}
#else
/*
 * Up to 4.14 a bitmap of pages, allocated lazily (page may be NULL).
 * next_pidmap() and find_ge_pid() are not exported, so scan it here. A bit
 * can be set while no struct pid is hashed yet (or any more), hence the
 * find_pid_ns() check. BITS_PER_PAGE is private to kernel/pid.c before 3.10.
 */
#ifndef BITS_PER_PAGE
#define BITS_PER_PAGE		(PAGE_SIZE * 8)
#endif
/*
 * READ_ONCE() is 3.19, 230fa253df63 ("kernel: Provide READ_ONCE and
 * ASSIGN_ONCE"); ACCESS_ONCE() (2.6.19) is the same volatile load of a
 * pointer. #ifndef, because vendor kernels carry READ_ONCE earlier.
 */
#ifndef READ_ONCE
#define READ_ONCE(x)		ACCESS_ONCE(x)
#endif
static inline struct pid *nspid_next_pid(struct pid_namespace *ns, int *nr)
{
	int n = *nr;

	while (n < PID_MAX_LIMIT) {
		struct pidmap *map = &ns->pidmap[n / BITS_PER_PAGE];
		void *page = READ_ONCE(map->page);
		unsigned long off = n % BITS_PER_PAGE;
		struct pid *pid;

		if (page)
			off = find_next_bit(page, BITS_PER_PAGE, off);
		if (!page || off >= BITS_PER_PAGE) {
			n = (n / BITS_PER_PAGE + 1) * BITS_PER_PAGE;
			continue;
		}
		n = (n / BITS_PER_PAGE) * BITS_PER_PAGE + off;
		pid = find_pid_ns(n, ns);
		if (pid) {
			*nr = n;
			return pid;
		}
		n++;
	}
	return NULL;
}
#endif

/* ---- Credentials, for the hidepid decision ------------------------------ */

/* Is @gid the fsgid or a supplementary group of @cred? (in_group_p() asks current). */
static inline bool nspid_cred_in_group(const struct cred *cred, nspid_gid_t gid)
{
	const struct group_info *gi = cred->group_info;
	int i;

	if (nspid_gid_eq(cred->fsgid, gid))
		return true;
	for (i = 0; i < gi->ngroups; i++) {
#ifdef GROUP_AT
		/* Up to 4.8 groups are kept in blocks of pages. */
		if (nspid_gid_eq(GROUP_AT(gi, i), gid))
#else
		/* 4.9, 81243eacfa40 ("cred: simpler, 1D supplementary groups") */
		if (nspid_gid_eq(gi->gid[i], gid))
#endif
			return true;
	}
	return false;
}

/*
 * The user namespace the ids of @cred belong to. With kuid_t (3.5) it is
 * cred->user_ns; before, the namespace of the uid's user_struct
 * (cred->user->user_ns, present from 2.6.23 to 3.4, the field 3.0-3.4's
 * __ptrace_may_access() compares).
 */
#ifdef KGIDT_INIT
#define nspid_cred_user_ns(cred)	((cred)->user_ns)
#else
#define nspid_cred_user_ns(cred)	((cred)->user->user_ns)
#endif

/*
 * CAP_SYS_PTRACE in the initial user namespace. The kernel accepts the
 * capability in the target's user namespace and asks the LSMs; we cannot
 * ask the LSMs, and requiring the initial namespace is the stricter rule
 * in every era (before 3.5 too, where ns_capable() took it from the
 * task's user_struct's namespace).
 */
static inline bool nspid_cred_ptrace_capable(const struct cred *cred)
{
	return cap_raised(cred->cap_effective, CAP_SYS_PTRACE) &&
	       nspid_cred_user_ns(cred) == &init_user_ns;
}

/*
 * The ids __ptrace_may_access() compares with the task's. 4.5, "ptrace:
 * use fsuid, fsgid, effective creds for fs access checks",
 * added PTRACE_MODE_READ_FSCREDS, which /proc passes, and the fs ids;
 * stable lines that took it (3.10.99, 4.4, RHEL 7.7 and later) define the
 * macro too. Before it, and where it was not backported (3.16.0, 4.0,
 * 2.6.32, RHEL 6), ptrace compares the real ids.
 */
#ifdef PTRACE_MODE_READ_FSCREDS
#define nspid_ptrace_uid(cred)		((cred)->fsuid)
#define nspid_ptrace_gid(cred)		((cred)->fsgid)
/* The same commit: the capability LSM then takes the effective set. */
#define nspid_ptrace_caps(cred)		((cred)->cap_effective)
#else
#define nspid_ptrace_uid(cred)		((cred)->uid)
#define nspid_ptrace_gid(cred)		((cred)->gid)
#define nspid_ptrace_caps(cred)		((cred)->cap_permitted)
#endif

/*
 * Ids are comparable only within one user namespace. From 3.5 kuid_t are
 * global, so equal ids are equal users. Before, 3.0-3.4's
 * __ptrace_may_access() also required cred->user->user_ns to be the same
 * for reader and task (2.6.32 did not test it: stricter there).
 */
static inline bool nspid_same_user_ns(const struct cred *cred,
				      const struct cred *tcred)
{
#ifdef KGIDT_INIT
	return true;
#else
	return nspid_cred_user_ns(cred) == nspid_cred_user_ns(tcred);
#endif
}

/* ---- The task ----------------------------------------------------------- */

/*
 * Is @task dumpable as ptrace's check reads it (SUID_DUMP_USER, 7.2's
 * TASK_DUMPABLE_OWNER)? Written out here: get_dumpable() moved between
 * headers and was not always inline, and 7.2's accessor is not exported.
 * The caller holds task_lock(@task) and has seen @task->mm non-NULL where
 * the era keeps dumpability in the mm.
 */
#if defined(HAVE_TASK_EXEC_STATE)
/*
 * 7.2, 6b1c66c9cca9 ("exec_state: relocate dumpable information", vfs
 * branch kernel-7.2.task_exec_state): dumpability left mm->flags
 * (MMF_DUMPABLE_MASK is gone) for task->exec_state, an RCU pointer shared
 * by CLONE_VM siblings and kept until the task is freed.
 * task_exec_state_get_dumpable() and task_exec_state_rcu() are not
 * exported; struct task_exec_state is in <linux/sched/exec_state.h>. Read
 * as task_exec_state_rcu() does, under task_lock(). No state (never seen
 * on a live task; the kernel WARNs) counts as not dumpable.
 */
static inline bool nspid_task_user_dumpable(struct task_struct *task)
{
	const struct task_exec_state *es;

	es = rcu_dereference_check(task->exec_state,
				   lockdep_is_held(&task->alloc_lock));
	return es && READ_ONCE(es->dumpable) == TASK_DUMPABLE_OWNER;
}
#elif defined(HAVE_MM_FLAGS_T)
/*
 * 6.18, "mm: convert mm_struct flags to a bitmap" (mm_flags_t): mm->flags
 * is opaque; the dumpable bits stay the two low bits of its first word.
 */
static inline bool nspid_task_user_dumpable(struct task_struct *task)
{
	return (__mm_flags_get_word(task->mm) & MMF_DUMPABLE_MASK) == 1;
}
#else
/* Up to 6.17 the two low bits of mm->flags, the same since 2.6.x. */
static inline bool nspid_task_user_dumpable(struct task_struct *task)
{
	return (task->mm->flags & MMF_DUMPABLE_MASK) == 1;
}
#endif

#endif /* NSPID_COMPAT_H */
