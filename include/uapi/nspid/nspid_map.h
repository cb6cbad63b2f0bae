/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * <nspid/nspid_map.h> - queries on an open /proc/nspid_map (SPEC §1.6,
 * ioctl_nspid_map(2)).
 *
 * Both ioctls take a struct nspid_query and answer one task's row of the
 * map, with the reader's namespace, credentials and hidepid= of the open
 * file, exactly as read() would show it: a task that read() would not show
 * gives ESRCH, and a row whose namespace identity read() zeroes has it
 * zeroed here.
 *
 * The layout is the same for 32- and 64-bit callers (only __u32 and __u8,
 * no pointers), so one handler serves compat_ioctl.
 *
 * Growing the struct (the rule of copy_struct_from_user(), as for
 * clone3(2) and openat2(2)): the caller sets @size to the size of the
 * struct it was compiled with and every field it does not use to zero.
 * The module reads min(size, its own size) bytes; when the caller's struct
 * is larger, the bytes the module does not know must be zero (else E2BIG),
 * and a caller that gets E2BIG is talking to an older module and may retry
 * with a smaller size. The module writes back min(size, its own size)
 * bytes and says in @mask which parts of the answer it filled, so a newer
 * caller finds the bits of later fields clear with an older module, and an
 * older caller never sees more than it asked for. Sizes below
 * NSPID_QUERY_SIZE_VER0 give EINVAL; above 4096, E2BIG. The size bits of
 * the ioctl number are not used: @size alone counts.
 */
#ifndef _UAPI_NSPID_NSPID_MAP_H
#define _UAPI_NSPID_NSPID_MAP_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* MAX_PID_NS_LEVEL (32) namespaces below the initial one: 33 numbers. */
#define NSPID_CHAIN_MAX		33
#define NSPID_COMM_LEN		16	/* TASK_COMM_LEN */

/* @flags (in) */
#define NSPID_QUERY_AT_LEVEL	(1U << 0)	/* @ns_level names the namespace */

/* @mask (out): the parts of the answer that were filled */
#define NSPID_MASK_IDS		(1U << 0)	/* pid .. level, chain[] */
#define NSPID_MASK_NS		(1U << 1)	/* pidns, nschain[] */
#define NSPID_MASK_COMM		(1U << 2)	/* comm[] */

struct nspid_query {
	/* in */
	__u32 size;		/* sizeof(struct nspid_query) of the caller */
	__u32 flags;		/* NSPID_QUERY_*; other bits: EINVAL */
	__u32 pid;		/* a pid in the reader's namespace */
	/*
	 * NSPID_IOC_BY_NSPID with NSPID_QUERY_AT_LEVEL: an index in @pid's
	 * chain (0: the reader's namespace); without: 0, @pid's own namespace.
	 */
	__u32 ns_level;
	__u32 nr;		/* NSPID_IOC_BY_NSPID: a pid in that namespace */
	__u32 mask;		/* out: NSPID_MASK_* */
	/* out: the task's row, as nspid_map(5) names the fields */
	__u32 tid;		/* "pid": its thread id in the reader's namespace */
	__u32 tgid;
	__u32 ppid;
	__u32 nspid;
	__u32 nstgid;
	__u32 pidns;
	__u32 level;		/* chain[] and nschain[] hold level + 1 numbers */
	__u32 reserved;		/* 0 */
	__u32 chain[NSPID_CHAIN_MAX];
	__u32 nschain[NSPID_CHAIN_MAX];
	__u8 comm[NSPID_COMM_LEN];	/* raw bytes, NUL-terminated */
};

#define NSPID_QUERY_SIZE_VER0	336	/* sizeof the first version */

#define NSPID_IOC_MAGIC		0x9e

/* The row of the task whose thread id in the reader's namespace is @pid. */
#define NSPID_IOC_GET_TASK	_IOWR(NSPID_IOC_MAGIC, 1, struct nspid_query)
/*
 * The row of the task whose id is @nr in the namespace named by the task
 * @pid (and @ns_level): the reverse lookup. @tid is then its thread id in
 * the reader's namespace.
 */
#define NSPID_IOC_BY_NSPID	_IOWR(NSPID_IOC_MAGIC, 2, struct nspid_query)

#endif /* _UAPI_NSPID_NSPID_MAP_H */
