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

/*
 * The number of @pid in @ns, 0 when it has none there (or no @pid: the task
 * was detached meanwhile): the rule of pid_nr_ns(), which is what
 * task_tgid_nr_ns() applies to task_tgid() in every kernel from 2.6.32 to
 * 6.12. Done inline: three exported calls per row, each with its own RCU
 * read section, made a pass over 10,000 rows in the 6.1 VM take 42-79 ms
 * instead of 30-38 (both builds timed in turn in one boot; make profile).
 */
static inline pid_t nspid_nr_in(const struct pid *pid,
				const struct pid_namespace *ns)
{
	if (pid && ns->level <= pid->level && pid->numbers[ns->level].ns == ns)
		return pid->numbers[ns->level].nr;
	return 0;
}

/**
 * nspid_show_task() - print the row of one task
 * @m:    the seq_file
 * @ns:   the reader's pid namespace; @task has a pid in it
 * @task: the task; the caller holds rcu_read_lock()
 * @row:  scratch space of NSPID_ROW_MAX bytes
 *
 * Return: 0, or SEQ_SKIP when the task died so far that its ids can no
 * longer be resolved (never a row with a 0 id).
 */
int nspid_show_task(struct seq_file *m, struct pid_namespace *ns,
		    struct task_struct *task, char *row)
{
	char *p = row;
	struct pid *pid = task_pid(task);
	struct pid_namespace *own;
	struct pid *tgpid;
	pid_t tgid, nstgid, ppid;
	unsigned int i;

	if (!pid || pid->level < ns->level || pid->numbers[ns->level].ns != ns)
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

	p = nspid_fmt_num(p, 0, pid->numbers[ns->level].nr);
	p = nspid_fmt_num(p, '\t', tgid);
	p = nspid_fmt_num(p, '\t', ppid);
	p = nspid_fmt_num(p, '\t', pid->numbers[pid->level].nr);
	p = nspid_fmt_num(p, '\t', nstgid);
	p = nspid_fmt_num(p, '\t', nspid_ns_inum(own));
	p = nspid_fmt_num(p, '\t', pid->level - ns->level);
	for (i = ns->level; i <= pid->level; i++) {
		p = nspid_flush(m, row, p);
		p = nspid_fmt_num(p, i == ns->level ? '\t' : ':',
				  pid->numbers[i].nr);
	}
	for (i = ns->level; i <= pid->level; i++) {
		p = nspid_flush(m, row, p);
		p = nspid_fmt_num(p, i == ns->level ? '\t' : ':',
				  nspid_ns_inum(pid->numbers[i].ns));
	}
	p = nspid_flush(m, row, p);
	*p++ = '\t';
	p = nspid_fmt_comm(p, task);
	*p++ = '\n';
	seq_write(m, row, p - row);
	return 0;
}
