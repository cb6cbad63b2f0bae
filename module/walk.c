// SPDX-License-Identifier: GPL-2.0
/*
 * walk.c - find tasks in pid-number order in the reader's pid namespace.
 *
 * Like next_tgid() in fs/proc/base.c, but over threads (PIDTYPE_PID) and
 * without find_ge_pid(), which modules cannot use before 6.1: the next
 * allocated number comes from the namespace's idr or pidmap (compat.h).
 */
#include <linux/rcupdate.h>
#include <linux/sched.h>

#include "compat.h"
#include "nspid_map.h"

/*
 * Candidates examined in one RCU read section. Hidden rows and pid numbers
 * without a task (process groups, sessions) cost as much as shown rows, so
 * a reader that sees nothing still never holds RCU for a whole pass.
 */
#define NSPID_BATCH	64

/**
 * nspid_walk_begin() - start an RCU read section of the walk
 * @it: the open file's iterator
 */
void nspid_walk_begin(struct nspid_iter *it)
	__acquires(RCU)
{
	rcu_read_lock();
	it->budget = NSPID_BATCH;
}

/**
 * nspid_walk_end() - end it
 * @it: the open file's iterator
 */
void nspid_walk_end(struct nspid_iter *it)
	__releases(RCU)
{
	rcu_read_unlock();
}

static void nspid_walk_pause(struct nspid_iter *it)
{
	if (--it->budget)
		return;
	rcu_read_unlock();
	cond_resched();
	rcu_read_lock();
	it->budget = NSPID_BATCH;
}

/**
 * nspid_walk_find() - the first visible task at or above a pid number
 * @it:  the open file's iterator; the caller holds rcu_read_lock()
 * @pos: in: the lowest pid number (in @it->ns) to consider;
 *       out: the number of the task returned
 *
 * The RCU read section may be broken and resumed between candidates; the
 * task returned is valid until the caller's rcu_read_unlock().
 *
 * Return: the task, or NULL when no visible task is left.
 */
struct task_struct *nspid_walk_find(struct nspid_iter *it, loff_t *pos)
{
	int nr;

	if (*pos > PID_MAX_LIMIT)
		return NULL;
	nr = *pos;
	for (;;) {
		struct task_struct *task;
		struct pid *pid;

		nspid_walk_pause(it);
		pid = nspid_next_pid(it->ns, &nr);
		if (!pid)
			return NULL;
		task = pid_task(pid, PIDTYPE_PID);
		if (task && nspid_visible(it, task)) {
			*pos = nr;
			it->pid = pid;
			return task;
		}
		nr++;
	}
}
