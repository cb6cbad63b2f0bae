/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nspid_map.h - what the parts of nspid_map share.
 */
#ifndef NSPID_MAP_H
#define NSPID_MAP_H

#include <linux/compiler.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/types.h>

#include "compat.h"

struct cred;
struct pid_namespace;
struct seq_file;
struct super_block;
struct task_struct;

/*
 * The seq_file's private data. Everything here is fixed at open; the read
 * position (a pid number in @ns) is the only cursor, so a pass can be
 * resumed from any position without state from earlier reads.
 */
/*
 * Scratch space for formatting a row; long rows (deep nesting) are handed
 * to the seq_file in pieces of at most this size.
 */
#define NSPID_ROW_MAX	256

struct nspid_iter {
	struct pid_namespace *ns;	/* the reader's: the procfs instance's */
	struct super_block *sb;		/* hidepid options, read for every row */
	const struct cred *cred;	/* the opener's; the open file pins it */
	bool ptrace_capable;		/* CAP_SYS_PTRACE: decided at open */
	bool in_group;			/* the opener is in @group: ditto */
	nspid_gid_t group;		/* the gid= group at open */
	struct pid *pid;		/* the walk's match: the row shown is its */
	unsigned int budget;		/* rows left in this RCU read section */
	char row[NSPID_ROW_MAX];	/* scratch for the row being shown */
};

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

/* walk.c */
void nspid_walk_begin(struct nspid_iter *it) __acquires(RCU);
void nspid_walk_end(struct nspid_iter *it) __releases(RCU);
struct task_struct *nspid_walk_find(struct nspid_iter *it, loff_t *pos);

/* show.c */
void nspid_show_header(struct seq_file *m);
int nspid_show_task(struct seq_file *m, struct nspid_iter *it,
		    struct task_struct *task);

/* perm.c */
void nspid_perm_open(struct nspid_iter *it);
bool nspid_visible(const struct nspid_iter *it, struct task_struct *task);
bool nspid_identity_visible(const struct nspid_iter *it,
			    struct task_struct *task);

/* query.c */
struct file;
long nspid_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
long nspid_compat_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

#endif /* NSPID_MAP_H */
