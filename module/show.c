// SPDX-License-Identifier: GPL-2.0
/*
 * show.c - print one row of /proc/nspid_map (format: SPEC §1.1, nspid_map(5)).
 *
 * The ids come from the task's struct pid, whose numbers[] never change
 * after allocation, so a row is always one consistent snapshot; the same
 * loop as the NSpid: line of /proc/PID/status (fs/proc/array.c).
 */
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/seq_file.h>

#include "compat.h"
#include "nspid_map.h"

/**
 * nspid_show_header() - print the header line
 * @m: the seq_file
 */
void nspid_show_header(struct seq_file *m)
{
	seq_puts(m, "# pid\ttgid\tppid\tnspid\tnstgid\tpidns\tlevel\tchain\tnschain\tcomm\n");
}

/*
 * task->comm, with TAB, newline, backslash and every other control byte as
 * \ooo, so that a row is always one line of ten fields.
 */
static void nspid_put_comm(struct seq_file *m, struct task_struct *task)
{
	char comm[sizeof(task->comm)];
	const unsigned char *c;

	task_lock(task);
	memcpy(comm, task->comm, sizeof(comm));
	task_unlock(task);
	comm[sizeof(comm) - 1] = '\0';

	for (c = comm; *c; c++) {
		if (*c < 0x20 || *c == 0x7f || *c == '\\')
			seq_printf(m, "\\%03o", *c);
		else
			seq_putc(m, *c);
	}
}

/**
 * nspid_show_task() - print the row of one task
 * @m:    the seq_file
 * @ns:   the reader's pid namespace; @task has a pid in it
 * @task: the task; the caller holds rcu_read_lock()
 *
 * Return: 0, or SEQ_SKIP when the task died so far that its ids can no
 * longer be resolved (never a row with a 0 id).
 */
int nspid_show_task(struct seq_file *m, struct pid_namespace *ns,
		    struct task_struct *task)
{
	struct pid *pid = task_pid(task);
	struct pid_namespace *own;
	pid_t tgid, nstgid, ppid;
	unsigned int i;

	if (!pid || pid->level < ns->level || pid->numbers[ns->level].ns != ns)
		return SEQ_SKIP;
	own = pid->numbers[pid->level].ns;
	tgid = task_tgid_nr_ns(task, ns);
	nstgid = task_tgid_nr_ns(task, own);
	if (!tgid || !nstgid)
		return SEQ_SKIP;
	/* As PPid: in /proc/PID/status: 0 when the parent is not in @ns. */
	ppid = pid_alive(task) ?
		task_tgid_nr_ns(rcu_dereference(task->real_parent), ns) : 0;

	nspid_put_num(m, 0, pid->numbers[ns->level].nr);
	nspid_put_num(m, '\t', tgid);
	nspid_put_num(m, '\t', ppid);
	nspid_put_num(m, '\t', pid->numbers[pid->level].nr);
	nspid_put_num(m, '\t', nstgid);
	nspid_put_num(m, '\t', nspid_ns_inum(own));
	nspid_put_num(m, '\t', pid->level - ns->level);
	for (i = ns->level; i <= pid->level; i++)
		nspid_put_num(m, i == ns->level ? '\t' : ':', pid->numbers[i].nr);
	for (i = ns->level; i <= pid->level; i++)
		nspid_put_num(m, i == ns->level ? '\t' : ':',
			      nspid_ns_inum(pid->numbers[i].ns));
	seq_putc(m, '\t');
	nspid_put_comm(m, task);
	seq_putc(m, '\n');
	return 0;
}
