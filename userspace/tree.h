/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --tree: the PID namespace hierarchy, one node per namespace (inode,
 * container, level, its init's pid as the caller and as the namespace see
 * it, its processes and threads), as lsns --tree and pstree draw theirs.
 */
#ifndef NSPID_TREE_H
#define NSPID_TREE_H

#include <stdio.h>

#include "print.h"

enum tree_style { TREE_ASCII, TREE_UTF8 };

/* UTF-8 line drawing only on a UTF-8 terminal (like pstree and lsns) */
enum tree_style tree_style_for(FILE *f);

/*
 * Print the tree (tasks: each namespace's own tasks under it, one per
 * thread when threads). LK_OK, or LK_UNSURE with err set when a task's
 * namespace or a namespace's parent cannot be told (SPEC §2: no guess).
 */
int tree_print(FILE *f, struct print_ctx *x, int tasks, int threads,
	       enum tree_style style, char *err, size_t errlen);

#endif
