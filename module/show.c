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
 * A row is assembled in the iterator's scratch buffer and handed to the
 * seq_file with one seq_write() (a few for deeply nested tasks): one call
 * per row instead of thirty, which was most of the cost of a pass.
 */

/* Room for the longest piece formatted at once: a comm, escaped. */
#define NSPID_PIECE_MAX	(TASK_COMM_LEN * 4 + 2)

static char *nspid_flush(struct seq_file *m, char *row, char *p)
{
	if (p - row < NSPID_ROW_MAX - NSPID_PIECE_MAX)
		return p;
	seq_write(m, row, p - row);
	return row;
}

static char *nspid_fmt_num(char *p, char delim, unsigned long long v)
{
	char digits[20];
	int n = 0;

	if (delim)
		*p++ = delim;
	do {
		digits[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (n)
		*p++ = digits[--n];
	return p;
}

/*
 * task->comm, with TAB, newline, backslash and every other control byte as
 * \ooo, so that a row is always one line of ten fields.
 */
static char *nspid_fmt_comm(char *p, struct task_struct *task)
{
	char comm[sizeof(task->comm)];
	const unsigned char *c;

	task_lock(task);
	memcpy(comm, task->comm, sizeof(comm));
	task_unlock(task);
	comm[sizeof(comm) - 1] = '\0';

	for (c = comm; *c; c++) {
		if (*c < 0x20 || *c == 0x7f || *c == '\\') {
			*p++ = '\\';
			*p++ = '0' + (*c >> 6);
			*p++ = '0' + ((*c >> 3) & 7);
			*p++ = '0' + (*c & 7);
		} else {
			*p++ = *c;
		}
	}
	return p;
}

/**
 * nspid_show_task() - print the row of one task
 * @m:    the seq_file
 * @it:   the open file's iterator; @it->pid is the struct pid the walk
 *        found @task by, with a number in the reader's namespace
 * @task: the task; the caller holds rcu_read_lock()
 *
 * The row is printed from @it->pid, never from task_pid(@task) read again:
 * a non-leader thread that execs takes over the leader's pid (de_thread()),
 * and a row printed from the task's new pid would repeat a pid or break
 * the ascending order (SPEC §1.3). Such a row is skipped.
 *
 * Return: 0, or SEQ_SKIP when the task no longer has that pid, or died so
 * far that its ids can no longer be resolved (never a row with a 0 id).
 */
int nspid_show_task(struct seq_file *m, struct nspid_iter *it,
		    struct task_struct *task)
{
	struct pid_namespace *ns = it->ns;
	struct pid *pid = it->pid;
	char *row = it->row, *p = row;
	struct pid_namespace *own;
	struct pid *tgpid;
	pid_t tgid, nstgid, ppid;
	bool identity;
	unsigned int i;

	if (task_pid(task) != pid || !nspid_nr_in(pid, ns))
		return SEQ_SKIP;
	own = pid->numbers[pid->level].ns;
	tgpid = task_tgid(task);
	tgid = nspid_nr_in(tgpid, ns);
	nstgid = nspid_nr_in(tgpid, own);
	if (!tgid || !nstgid)
		return SEQ_SKIP;
	/* As PPid: in /proc/PID/status: 0 when the parent is not in @ns. */
	ppid = pid_alive(task) ?
		nspid_nr_in(task_tgid(rcu_dereference(task->real_parent)), ns) : 0;
	/* Below the reader's own namespace, names only for ptrace readers. */
	identity = pid->level == ns->level || nspid_identity_visible(it, task);

	p = nspid_fmt_num(p, 0, pid->numbers[ns->level].nr);
	p = nspid_fmt_num(p, '\t', tgid);
	p = nspid_fmt_num(p, '\t', ppid);
	p = nspid_fmt_num(p, '\t', pid->numbers[pid->level].nr);
	p = nspid_fmt_num(p, '\t', nstgid);
	p = nspid_fmt_num(p, '\t', identity ? nspid_ns_inum(own) : 0);
	p = nspid_fmt_num(p, '\t', pid->level - ns->level);
	for (i = ns->level; i <= pid->level; i++) {
		p = nspid_flush(m, row, p);
		p = nspid_fmt_num(p, i == ns->level ? '\t' : ':',
				  pid->numbers[i].nr);
	}
	for (i = ns->level; i <= pid->level; i++) {
		p = nspid_flush(m, row, p);
		p = nspid_fmt_num(p, i == ns->level ? '\t' : ':',
				  identity || i == ns->level ?
				  nspid_ns_inum(pid->numbers[i].ns) : 0);
	}
	p = nspid_flush(m, row, p);
	*p++ = '\t';
	p = nspid_fmt_comm(p, task);
	*p++ = '\n';
	seq_write(m, row, p - row);
	return 0;
}
