// SPDX-License-Identifier: GPL-2.0
/*
 * nspid_map - /proc/nspid_map: the pid of every task in every nested pid
 * namespace, for kernels with and without NSpid: in /proc/PID/status.
 *
 * The file is a seq_file whose position is a pid number in the reader's
 * namespace (the namespace of the procfs instance it was opened through):
 * position 0 is the header, any other position N means "the first task at
 * or above pid N". The RCU read section lasts from ->start to ->stop, one
 * buffer of rows at most, and is broken every few candidates (walk.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "compat.h"
#include "nspid_map.h"

#define NSPID_PROC_NAME	"nspid_map"

/*
 * seq_file's own buffer is one page, and each read() returns at most one
 * buffer: 32 KiB cuts the read() calls of a pass eightfold. Bounded per
 * open file, and optional: without it seq_file allocates its page.
 */
#define NSPID_SEQ_BUF_SIZE	(32 * 1024)

static struct proc_dir_entry *nspid_pde;

static void *nspid_seq_start(struct seq_file *m, loff_t *pos)
	__acquires(RCU)
{
	struct nspid_iter *it = m->private;

	nspid_walk_begin(it);
	if (*pos == 0)
		return SEQ_START_TOKEN;
	return nspid_walk_find(it, pos);
}

static void *nspid_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct nspid_iter *it = m->private;
	loff_t next = *pos + 1;
	struct task_struct *task;

	task = nspid_walk_find(it, &next);
	/* Always advance, also at the end (seq_read warns otherwise). */
	*pos = next;
	return task;
}

static void nspid_seq_stop(struct seq_file *m, void *v)
	__releases(RCU)
{
	nspid_walk_end(m->private);
}

static int nspid_seq_show(struct seq_file *m, void *v)
{
	struct nspid_iter *it = m->private;

	if (v == SEQ_START_TOKEN) {
		nspid_show_header(m);
		return 0;
	}
	return nspid_show_task(m, it, v);
}

static const struct seq_operations nspid_seq_ops = {
	.start	= nspid_seq_start,
	.next	= nspid_seq_next,
	.stop	= nspid_seq_stop,
	.show	= nspid_seq_show,
};

static int nspid_open(struct inode *inode, struct file *file)
{
	struct nspid_iter *it;
	struct seq_file *m;

	/* Unloading (old kernels): answer as procfs does for a removed entry. */
	if (!nspid_pin_module())
		return -ENOENT;
	it = __seq_open_private(file, &nspid_seq_ops, sizeof(*it));
	if (!it) {
		nspid_unpin_module();
		return -ENOMEM;
	}
	/* The file pins the superblock, and so the namespace and f_cred. */
	it->sb = inode->i_sb;
	it->ns = nspid_sb_pid_ns(inode->i_sb);
	it->cred = file->f_cred;
	nspid_perm_open(it);

	/*
	 * seq_release() frees it: kfree() before 3.16, kvfree() since. An
	 * order-3 page block: take one only if it is free now (no direct
	 * reclaim or compaction, which can stall on a fragmented host), and
	 * otherwise let seq_file allocate its own page as it always does.
	 */
	m = file->private_data;
	m->buf = kmalloc(NSPID_SEQ_BUF_SIZE, GFP_NOWAIT | __GFP_NOWARN);
	if (m->buf)
		m->size = NSPID_SEQ_BUF_SIZE;
	return 0;
}

static int nspid_release(struct inode *inode, struct file *file)
{
	int ret = seq_release_private(inode, file);

	nspid_unpin_module();
	return ret;
}

static const struct nspid_proc_ops nspid_proc_ops = {
	NSPID_PROC_OPS(nspid_open, nspid_release, nspid_ioctl,
		       nspid_compat_ioctl),
};

static int __init nspid_init(void)
{
	nspid_pde = nspid_proc_create(NSPID_PROC_NAME, &nspid_proc_ops);
	if (!nspid_pde) {
		pr_err("cannot create /proc/%s\n", NSPID_PROC_NAME);
		return -ENOMEM;
	}
	return 0;
}

static void __exit nspid_exit(void)
{
	nspid_proc_remove(nspid_pde, NSPID_PROC_NAME);
}

module_init(nspid_init);
module_exit(nspid_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("/proc/nspid_map: pids of every task in every nested pid namespace");
MODULE_VERSION(NSPID_VERSION);
