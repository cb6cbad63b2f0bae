#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Kbuild probes for module/compat.h: print -DHAVE_* for each API the target
# kernel's headers declare. Used for what vendor kernels backport (RHEL 6
# and 7 carry later features), where LINUX_VERSION_CODE would mislead.
# Usage: probe.sh SRCTREE
inc=$1/include/linux

# have HEADER EXTENDED-REGEX MACRO
have() {
	grep -qsE "$2" "$inc/$1" && printf ' -D%s' "$3"
}

have proc_fs.h        'struct proc_ops \{'               HAVE_PROC_OPS
have proc_fs.h        'struct proc_fs_info \{'           HAVE_PROC_FS_INFO
have proc_fs.h        'void proc_remove\('               HAVE_PROC_REMOVE
have pid_namespace.h  'struct idr[[:space:]]+idr;'       HAVE_PIDNS_IDR
have pid_namespace.h  'struct ns_common[[:space:]]+ns;'  HAVE_NS_COMMON
have pid_namespace.h  'unsigned int[[:space:]]+proc_inum;' HAVE_PROC_INUM
have pid_namespace.h  '[[:space:]]hide_pid;'             HAVE_PIDNS_HIDEPID
have sched/signal.h   'struct pid \*task_tgid\('          HAVE_SCHED_SIGNAL_H
have sched/exec_state.h 'enum task_dumpable[[:space:]]+dumpable;' HAVE_TASK_EXEC_STATE
have mm_types.h       '\}[[:space:]]*(__private[[:space:]]+)?mm_flags_t;' HAVE_MM_FLAGS_T
echo
