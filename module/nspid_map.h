/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nspid_map.h - what the parts of nspid_map share.
 */
#ifndef NSPID_MAP_H
#define NSPID_MAP_H

#include <linux/compiler.h>
#include <linux/types.h>

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
	unsigned int budget;		/* rows left in this RCU read section */
	char row[NSPID_ROW_MAX];	/* scratch for the row being shown */
};

/* walk.c */
void nspid_walk_begin(struct nspid_iter *it) __acquires(RCU);
void nspid_walk_end(struct nspid_iter *it) __releases(RCU);
struct task_struct *nspid_walk_find(struct nspid_iter *it, loff_t *pos);

/* show.c */
void nspid_show_header(struct seq_file *m);
int nspid_show_task(struct seq_file *m, struct pid_namespace *ns,
		    struct task_struct *task, char *row);

/* perm.c */
bool nspid_visible(const struct nspid_iter *it, struct task_struct *task);

#endif /* NSPID_MAP_H */
