// SPDX-License-Identifier: GPL-2.0
/*
 * nspid.c - a crash(8) extension: /proc/nspid_map from a dump (SPEC §4).
 *
 *   crash> extend nspid.so
 *   crash> nspid -L          every row, as the file has them
 *   crash> nspid [-L] PID... the rows of those tasks (with -L: of all the
 *                            threads of their thread groups)
 *
 * The rows are those of /proc/nspid_map read by root in the initial pid
 * namespace through a procfs without hidepid= (a dump has no reader), in
 * the module's format byte for byte (module/show.c, nspid_map(5)): the
 * same walk (the initial namespace's idr or pidmap, in pid order), the
 * same ids (struct pid's numbers[], pid_nr_ns()'s rule), the same comm
 * escaping.
 *
 * Every structure layout comes from the dump's debuginfo through crash's
 * datatype_info() (MEMBER_OFFSET, MEMBER_EXISTS, ...), never from kernel
 * headers, so one build reads dumps of every kernel the module serves
 * (2.6.32 to 6.x). Where a member's existence decides an era, the comment
 * says which. Memory is read with RETURN_ON_ERROR: a dump taken while a
 * task was being created or reaped may hold structures that do not agree;
 * such a row is skipped and counted on stderr, never printed half, and
 * never stops the command.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "defs.h"

/* MAX_PID_NS_LEVEL (include/linux/pid_namespace.h, 3.7 and later: 32). */
#define NSPID_MAX_LEVEL		32
/* TASK_COMM_LEN has been 16 since 2.6.x; the dump's own size is used. */
#define NSPID_COMM_MAX		64
/* A tree deeper than this, or a hash chain longer, is corrupt. */
#define NSPID_TREE_DEPTH	12
#define NSPID_CHAIN_MAX		(1L << 22)

/* Kernel eras, decided by what the dump's debuginfo has. */
enum nspid_walk { WALK_XARRAY, WALK_RADIX, WALK_PIDMAP };

struct nspid_layout {
	ulong init_ns;		/* &init_pid_ns */
	enum nspid_walk walk;
	/* struct pid_namespace */
	long ns_level, ns_inum, ns_idr, ns_pidmap;
	int pidmap_entries;
	long pidmap_size, pidmap_page;
	/* struct idr and its tree (radix_tree_node or xa_node) */
	long idr_root, idr_base, tree_head, node_shift, node_slots;
	int chunk;
	ulong internal_tag;
	/* the pidmap era's hash of struct upid */
	ulong pid_hash;
	uint pidhash_shift;
	long upid_chain;
	/* struct pid and struct upid */
	long pid_level, pid_tasks, pid_numbers, upid_size, upid_nr, upid_ns;
	/* struct task_struct */
	long task_link;		/* its hlist_node in pid->tasks[PIDTYPE_PID] */
	long task_pid;		/* its struct pid *, PIDTYPE_PID */
	long task_leader, task_signal, signal_tgid;
	long task_parent, task_comm, comm_len;
};

struct nspid_row {
	ulong nr, tgid;
	char *text;
};

struct nspid_rows {
	struct nspid_row *v;
	size_t n, cap;
	ulong skipped;		/* inconsistent rows */
};

/* One candidate: a pid number in the initial namespace and its struct pid. */
struct nspid_cand {
	ulong nr, pid;
};

struct nspid_cands {
	struct nspid_cand *v;
	size_t n, cap;
	ulong broken;		/* parts of the tree or hash that could not be read */
};

/*
 * error(FATAL, ...) does not return: crash longjmps back to its prompt,
 * ending the command. Said so to the compiler (and its analyzer).
 */
#define nspid_fatal(...)					\
	do {							\
		error(FATAL, __VA_ARGS__);			\
		__builtin_unreachable();			\
	} while (0)

void nspid_init(void);
void nspid_fini(void);
void cmd_nspid(void);

static int nspid_read(ulong addr, void *buf, long size)
{
	return readmem(addr, KVADDR, buf, size, "nspid", RETURN_ON_ERROR | QUIET);
}

static int nspid_read_ptr(ulong addr, ulong *v)
{
	return nspid_read(addr, v, sizeof(*v));
}

static int nspid_read_uint(ulong addr, uint *v)
{
	return nspid_read(addr, v, sizeof(*v));
}

static void *nspid_grow(void *v, size_t *cap, size_t n, size_t size)
{
	void *p;

	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 1024;
	p = realloc(v, *cap * size);
	if (!p) {
		free(v);
		nspid_fatal("nspid: out of memory\n");
	}
	return p;
}

static void nspid_cand_add(struct nspid_cands *c, ulong nr, ulong pid)
{
	c->v = nspid_grow(c->v, &c->cap, c->n, sizeof(*c->v));
	c->v[c->n].nr = nr;
	c->v[c->n].pid = pid;
	c->n++;
}

/* A member's offset, or a fatal error naming it (the dump lacks debuginfo). */
static long nspid_need(char *s, char *m)
{
	long off = MEMBER_OFFSET(s, m);

	if (off < 0)
		nspid_fatal("nspid: no %s.%s in the debuginfo\n", s, m);
	return off;
}

static long nspid_size(char *s)
{
	long size = STRUCT_SIZE(s);

	if (size <= 0)
		nspid_fatal("nspid: no struct %s in the debuginfo\n", s);
	return size;
}

static void nspid_layout(struct nspid_layout *l)
{
	long val;

	memset(l, 0, sizeof(*l));
	if (!symbol_exists("init_pid_ns"))
		nspid_fatal("nspid: no init_pid_ns symbol (kernels before 2.6.24 are not served)\n");
	l->init_ns = symbol_value("init_pid_ns");

	/*
	 * Present whether or not the kernel has CONFIG_PID_NS: without it
	 * every pid has level 0 and every row comes out at level 0.
	 */
	l->ns_level = nspid_need("pid_namespace", "level");
	if (MEMBER_EXISTS("pid_namespace", "ns") && MEMBER_EXISTS("ns_common", "inum"))
		/* 3.19, 435d5f4bb2cc: struct ns_common ns; ns.inum */
		l->ns_inum = MEMBER_OFFSET("pid_namespace", "ns") +
			     MEMBER_OFFSET("ns_common", "inum");
	else if (MEMBER_EXISTS("pid_namespace", "proc_inum"))
		/* 3.8, 98f842e675f9 (and RHEL 6's backport): proc_inum */
		l->ns_inum = MEMBER_OFFSET("pid_namespace", "proc_inum");
	else
		/* before 3.8: no inode number; SPEC §1.1 prints 0 */
		l->ns_inum = -1;

	if (MEMBER_EXISTS("pid_namespace", "idr")) {
		/* 4.15, 95846ecf9dac: the pids of a namespace in an idr */
		l->ns_idr = MEMBER_OFFSET("pid_namespace", "idr");
		l->idr_root = nspid_need("idr", "idr_rt");
		/* 4.16, 6ce711f27500: idr_base (0 for pid idrs; honoured) */
		l->idr_base = MEMBER_OFFSET("idr", "idr_base");
		if (STRUCT_EXISTS("xa_node")) {
			/*
			 * 4.20, the XArray: radix_tree_root is struct xarray,
			 * an internal entry has the low bits 10, and one above
			 * 4096 is a node (xa_is_node()).
			 */
			l->walk = WALK_XARRAY;
			l->tree_head = nspid_need("xarray", "xa_head");
			l->node_shift = nspid_need("xa_node", "shift");
			l->node_slots = nspid_need("xa_node", "slots");
			l->chunk = get_array_length("xa_node.slots", NULL, 0);
			l->internal_tag = 2;
		} else {
			/*
			 * 4.15 - 4.19: the radix tree; an internal entry has
			 * the low bits 01 (RADIX_TREE_INTERNAL_NODE 1UL).
			 */
			l->walk = WALK_RADIX;
			l->tree_head = nspid_need("radix_tree_root", "rnode");
			l->node_shift = nspid_need("radix_tree_node", "shift");
			l->node_slots = nspid_need("radix_tree_node", "slots");
			l->chunk = get_array_length("radix_tree_node.slots", NULL, 0);
			l->internal_tag = 1;
		}
		if (l->chunk <= 0 || l->chunk > 1024)
			nspid_fatal("nspid: tree node slots: bad length %d\n", l->chunk);
	} else {
		/* 2.6.24 - 4.14: a bitmap of pages, and the upids in pid_hash */
		l->walk = WALK_PIDMAP;
		l->ns_pidmap = nspid_need("pid_namespace", "pidmap");
		l->pidmap_entries = get_array_length("pid_namespace.pidmap", NULL, 0);
		l->pidmap_size = nspid_size("pidmap");
		l->pidmap_page = nspid_need("pidmap", "page");
		if (!symbol_exists("pid_hash") || !symbol_exists("pidhash_shift"))
			nspid_fatal("nspid: no pid_hash/pidhash_shift symbols\n");
		if (!nspid_read_ptr(symbol_value("pid_hash"), &l->pid_hash) ||
		    !nspid_read_uint(symbol_value("pidhash_shift"), &l->pidhash_shift) ||
		    l->pidhash_shift > 24)
			nspid_fatal("nspid: cannot read pid_hash\n");
		l->upid_chain = nspid_need("upid", "pid_chain");
	}

	l->pid_level = nspid_need("pid", "level");
	l->pid_tasks = nspid_need("pid", "tasks");
	l->pid_numbers = nspid_need("pid", "numbers");
	l->upid_size = nspid_size("upid");
	l->upid_nr = nspid_need("upid", "nr");
	l->upid_ns = nspid_need("upid", "ns");

	/* PIDTYPE_PID is 0 in every era; asked anyway. */
	if (enumerator_value("PIDTYPE_PID", &val) && val != 0)
		nspid_fatal("nspid: PIDTYPE_PID is %ld\n", val);
	if (MEMBER_EXISTS("task_struct", "thread_pid")) {
		/*
		 * 4.19, 2c4704756cab ("pids: Move the pgrp and session pid
		 * pointers from task_struct to signal_struct"): the task's
		 * struct pid is thread_pid, its links are pid_links[], and the
		 * thread group's pid is signal->pids[PIDTYPE_TGID].
		 */
		l->task_link = nspid_need("task_struct", "pid_links");
		l->task_pid = nspid_need("task_struct", "thread_pid");
		l->task_signal = nspid_need("task_struct", "signal");
		if (!enumerator_value("PIDTYPE_TGID", &val))
			nspid_fatal("nspid: no PIDTYPE_TGID in the debuginfo\n");
		l->signal_tgid = nspid_need("signal_struct", "pids") +
				 val * (long)sizeof(ulong);
		l->task_leader = -1;
	} else {
		/*
		 * Up to 4.18: task->pids[PIDTYPE_PID] is a struct pid_link
		 * { node, pid }, and task_tgid() is the group leader's
		 * pids[PIDTYPE_PID].pid.
		 */
		long pids = nspid_need("task_struct", "pids");

		l->task_link = pids + nspid_need("pid_link", "node");
		l->task_pid = pids + nspid_need("pid_link", "pid");
		l->task_leader = nspid_need("task_struct", "group_leader");
		l->task_signal = -1;
	}
	l->task_parent = nspid_need("task_struct", "real_parent");
	l->task_comm = nspid_need("task_struct", "comm");
	l->comm_len = MEMBER_SIZE("task_struct", "comm");
	if (l->comm_len <= 0 || l->comm_len > NSPID_COMM_MAX)
		nspid_fatal("nspid: task_struct.comm: bad size %ld\n", l->comm_len);
}

/* ---- the candidates: pid numbers of the initial namespace, in order -- */

static void nspid_tree(const struct nspid_layout *l, struct nspid_cands *c,
		       ulong entry, ulong base, int depth)
{
	ulong *slots, node;
	unsigned char shift;
	int i;

	if (!entry)
		return;
	if ((entry & 3) != l->internal_tag) {
		/* a struct pid * at index base (a NULL slot is a reserved number) */
		nspid_cand_add(c, base, entry);
		return;
	}
	/* Retry and sibling entries are small internal values: no pid there. */
	if (entry < 4096)
		return;
	node = entry & ~3UL;
	if (depth > NSPID_TREE_DEPTH ||
	    !nspid_read(node + l->node_shift, &shift, sizeof(shift)) ||
	    shift >= 64) {
		c->broken++;
		return;
	}
	slots = malloc(l->chunk * sizeof(*slots));
	if (!slots)
		nspid_fatal("nspid: out of memory\n");
	if (!nspid_read(node + l->node_slots, slots, l->chunk * sizeof(*slots))) {
		c->broken++;
		free(slots);
		return;
	}
	for (i = 0; i < l->chunk; i++)
		nspid_tree(l, c, slots[i], base + ((ulong)i << shift), depth + 1);
	free(slots);
}

static int nspid_cand_cmp(const void *a, const void *b)
{
	const struct nspid_cand *x = a, *y = b;

	return x->nr < y->nr ? -1 : x->nr > y->nr;
}

/*
 * Up to 4.14: find_pid_ns() looks a number up in pid_hash, a hash of the
 * struct upids of every namespace. The hash function changed over the
 * years; instead of replaying it, every chain is walked once and the
 * initial namespace's upids (numbers[0]) collected, sorted by number.
 */
static void nspid_hash(const struct nspid_layout *l, struct nspid_cands *c)
{
	ulong i, n = 1UL << l->pidhash_shift, node, ns, steps = 0;
	int nr;

	for (i = 0; i < n; i++) {
		if (!nspid_read_ptr(l->pid_hash + i * sizeof(ulong), &node)) {
			c->broken++;
			continue;
		}
		while (node) {
			ulong upid = node - l->upid_chain;

			if (++steps > NSPID_CHAIN_MAX) {
				c->broken++;
				return;
			}
			if (!nspid_read_ptr(upid + l->upid_ns, &ns) ||
			    !nspid_read(upid + l->upid_nr, &nr, sizeof(nr))) {
				c->broken++;
				break;
			}
			/* numbers[0] of its struct pid: container_of() */
			if (ns == l->init_ns && nr > 0)
				nspid_cand_add(c, nr, upid - l->pid_numbers);
			/* hlist_node.next is its first member in every era */
			if (!nspid_read_ptr(node, &node)) {
				c->broken++;
				break;
			}
		}
	}
	qsort(c->v, c->n, sizeof(*c->v), nspid_cand_cmp);
}

/*
 * ... and, as the module does (next_pidmap(), then find_pid_ns()), a
 * number counts only while its bit in the namespace's pidmap is set.
 */
static void nspid_pidmap(const struct nspid_layout *l, struct nspid_cands *c)
{
	ulong bits = PAGESIZE() * 8, page = 0, cur = ~0UL;
	unsigned char *map = malloc(PAGESIZE());
	size_t i, kept = 0;
	int have = 0;

	if (!map)
		nspid_fatal("nspid: out of memory\n");
	nspid_hash(l, c);
	for (i = 0; i < c->n; i++) {
		ulong nr = c->v[i].nr, idx = nr / bits, off = nr % bits;

		if (idx >= (ulong)l->pidmap_entries)
			continue;
		if (idx != cur) {
			cur = idx;
			have = nspid_read_ptr(l->init_ns + l->ns_pidmap +
					      idx * l->pidmap_size + l->pidmap_page, &page) &&
			       page && nspid_read(page, map, PAGESIZE());
		}
		if (have && (map[off / 8] & (1U << (off % 8))))
			c->v[kept++] = c->v[i];
	}
	c->n = kept;
	free(map);
}

static void nspid_candidates(const struct nspid_layout *l, struct nspid_cands *c)
{
	ulong head, base = 0;
	uint idr_base = 0;

	memset(c, 0, sizeof(*c));
	if (l->walk == WALK_PIDMAP) {
		nspid_pidmap(l, c);
		return;
	}
	if (l->idr_base >= 0 &&
	    !nspid_read_uint(l->init_ns + l->ns_idr + l->idr_base, &idr_base))
		nspid_fatal("nspid: cannot read init_pid_ns.idr\n");
	base = idr_base;
	if (!nspid_read_ptr(l->init_ns + l->ns_idr + l->idr_root + l->tree_head, &head))
		nspid_fatal("nspid: cannot read init_pid_ns.idr\n");
	nspid_tree(l, c, head, 0, 0);
	/* In tree order already; idr_get_next() adds idr_base to the index. */
	for (size_t i = 0; i < c->n; i++)
		c->v[i].nr += base;
}

/* ---- one row ----------------------------------------------------------- */

struct nspid_upid {
	int nr;
	ulong ns;
};

/* The pid's level and numbers[0..level], or 0 when they cannot be read. */
static int nspid_numbers(const struct nspid_layout *l, ulong pid, uint *level,
			 struct nspid_upid *up)
{
	uint i;

	if (!pid || !nspid_read_uint(pid + l->pid_level, level) ||
	    *level > NSPID_MAX_LEVEL)
		return 0;
	for (i = 0; i <= *level; i++) {
		ulong u = pid + l->pid_numbers + i * l->upid_size;

		if (!nspid_read(u + l->upid_nr, &up[i].nr, sizeof(up[i].nr)) ||
		    !nspid_read_ptr(u + l->upid_ns, &up[i].ns))
			return 0;
	}
	return 1;
}

/*
 * pid_nr_ns(pid, ns) of a namespace at @lvl: 0 when the pid has no number
 * there. *ok becomes 0 when the pid cannot be read at all.
 */
static ulong nspid_nr_in(const struct nspid_layout *l, ulong pid, ulong ns,
			 uint lvl, int *ok)
{
	struct nspid_upid up[NSPID_MAX_LEVEL + 1];
	uint level;

	if (!pid)
		return 0;
	if (!nspid_numbers(l, pid, &level, up)) {
		*ok = 0;
		return 0;
	}
	if (lvl <= level && up[lvl].ns == ns && up[lvl].nr > 0)
		return up[lvl].nr;
	return 0;
}

/* task_tgid(task) of the era (see nspid_layout()). */
static int nspid_task_tgid(const struct nspid_layout *l, ulong task, ulong *tgpid)
{
	ulong p;

	if (l->task_signal >= 0)
		return nspid_read_ptr(task + l->task_signal, &p) && p &&
		       nspid_read_ptr(p + l->signal_tgid, tgpid);
	return nspid_read_ptr(task + l->task_leader, &p) && p &&
	       nspid_read_ptr(p + l->task_pid, tgpid);
}

static ulong nspid_inum(const struct nspid_layout *l, ulong ns, int *ok)
{
	uint inum = 0;

	if (l->ns_inum < 0)
		return 0;
	if (!ns || !nspid_read_uint(ns + l->ns_inum, &inum))
		*ok = 0;
	return inum;
}

static char *nspid_put(char *p, char delim, ulong v)
{
	if (delim)
		*p++ = delim;
	return p + sprintf(p, "%lu", v);
}

/* As nspid_fmt_comm() in module/show.c. */
static char *nspid_put_comm(char *p, const unsigned char *c)
{
	for (; *c; c++) {
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
 * The row of the task of @pid (number @nr in the initial namespace), as
 * nspid_show_task() prints it. Return 1 and the row in @r, 0 when the pid
 * has no task (a process group or session id: no row, as in the module),
 * -1 when its structures are inconsistent.
 */
static int nspid_row(const struct nspid_layout *l, ulong nr, ulong pid,
		     struct nspid_row *r)
{
	struct nspid_upid up[NSPID_MAX_LEVEL + 1];
	unsigned char comm[NSPID_COMM_MAX + 1];
	char buf[64 + (NSPID_MAX_LEVEL + 1) * 24 + NSPID_COMM_MAX * 4];
	ulong first, task, tpid, tgpid, parent, ptgpid, tgid, nstgid, ppid, own;
	uint level, own_level, i;
	int ok = 1;
	char *p = buf;

	if (!nspid_read_ptr(pid + l->pid_tasks, &first))
		return -1;
	if (!first)
		return 0;
	task = first - l->task_link;
	/*
	 * The task's own struct pid is the one its number led to; not so
	 * while a non-leader thread that execs takes over the leader's pid
	 * (de_thread()): the module skips that row too (module/show.c).
	 */
	if (!nspid_read_ptr(task + l->task_pid, &tpid) || tpid != pid)
		return -1;
	if (!nspid_numbers(l, pid, &level, up) ||
	    up[0].ns != l->init_ns || (ulong)up[0].nr != nr)
		return -1;
	own = up[level].ns;
	if (!own || !nspid_read_uint(own + l->ns_level, &own_level) ||
	    own_level != level)
		return -1;
	if (!nspid_task_tgid(l, task, &tgpid))
		return -1;
	tgid = nspid_nr_in(l, tgpid, l->init_ns, 0, &ok);
	nstgid = nspid_nr_in(l, tgpid, own, own_level, &ok);
	/* The module's SEQ_SKIP: never a row with a 0 id. */
	if (!ok || !tgid || !nstgid)
		return -1;
	/* As PPid: in /proc/PID/status: 0 when the parent is not in the ns. */
	if (!nspid_read_ptr(task + l->task_parent, &parent) || !parent ||
	    !nspid_task_tgid(l, parent, &ptgpid))
		return -1;
	ppid = nspid_nr_in(l, ptgpid, l->init_ns, 0, &ok);

	p = nspid_put(p, 0, nr);
	p = nspid_put(p, '\t', tgid);
	p = nspid_put(p, '\t', ppid);
	p = nspid_put(p, '\t', up[level].nr);
	p = nspid_put(p, '\t', nstgid);
	p = nspid_put(p, '\t', nspid_inum(l, own, &ok));
	p = nspid_put(p, '\t', level);
	for (i = 0; i <= level; i++)
		p = nspid_put(p, i ? ':' : '\t', up[i].nr);
	for (i = 0; i <= level; i++)
		p = nspid_put(p, i ? ':' : '\t', nspid_inum(l, up[i].ns, &ok));
	*p++ = '\t';
	memset(comm, 0, sizeof(comm));
	if (!nspid_read(task + l->task_comm, comm, l->comm_len))
		return -1;
	comm[l->comm_len - 1] = '\0';
	p = nspid_put_comm(p, comm);
	*p++ = '\n';
	*p = '\0';
	if (!ok)
		return -1;
	for (i = 0; i <= level; i++)
		if (up[i].nr <= 0)
			return -1;
	r->nr = nr;
	r->tgid = tgid;
	r->text = strdup(buf);
	if (!r->text)
		nspid_fatal("nspid: out of memory\n");
	return 1;
}

static void nspid_collect(const struct nspid_layout *l, struct nspid_rows *rows)
{
	struct nspid_cands c;
	ulong last = 0;
	size_t i;

	nspid_candidates(l, &c);
	memset(rows, 0, sizeof(*rows));
	rows->skipped = c.broken;
	for (i = 0; i < c.n; i++) {
		struct nspid_row r;
		int st;

		/* ascending, each pid once (a torn tree could repeat one) */
		if (c.v[i].nr <= last && i) {
			rows->skipped++;
			continue;
		}
		last = c.v[i].nr;
		st = nspid_row(l, c.v[i].nr, c.v[i].pid, &r);
		if (st < 0)
			rows->skipped++;
		if (st <= 0)
			continue;
		rows->v = nspid_grow(rows->v, &rows->cap, rows->n, sizeof(*rows->v));
		rows->v[rows->n++] = r;
	}
	free(c.v);
}

/* ---- the command ----------------------------------------------------- */

static const char nspid_header[] =
	"# pid\ttgid\tppid\tnspid\tnstgid\tpidns\tlevel\tchain\tnschain\tcomm\n";

void cmd_nspid(void)
{
	struct nspid_layout l;
	struct nspid_rows rows;
	ulong *want = NULL, *groups = NULL;
	int threads = 0, c, nwant = 0, i, j;
	size_t k;

	while ((c = getopt(argcnt, args, "L")) != EOF) {
		switch (c) {
		case 'L':
			threads = 1;
			break;
		default:
			argerrs++;
			break;
		}
	}
	if (argerrs)
		cmd_usage(pc->curcmd, SYNOPSIS);
	/* First what may fail with a fatal error, then what must be freed. */
	nspid_layout(&l);
	if (args[optind]) {
		nwant = argcnt - optind;
		want = calloc(nwant, sizeof(*want));
		groups = calloc(nwant, sizeof(*groups));
		if (!want || !groups)
			nspid_fatal("nspid: out of memory\n");
		for (i = 0; i < nwant; i++) {
			int bad = 0;

			want[i] = stol(args[optind + i], RETURN_ON_ERROR | QUIET, &bad);
			if (bad || !want[i]) {
				free(want);
				free(groups);
				nspid_fatal("nspid: not a pid: %s\n", args[optind + i]);
			}
		}
	}

	nspid_collect(&l, &rows);

	/* With PIDs and -L: every thread of their thread groups. */
	for (i = 0; i < nwant; i++) {
		groups[i] = 0;
		for (k = 0; k < rows.n; k++)
			if (rows.v[k].nr == want[i])
				groups[i] = rows.v[k].tgid;
		if (!groups[i])
			fprintf(stderr, "nspid: pid %lu: no such task in the dump\n", want[i]);
	}
	fputs(nspid_header, fp);
	for (k = 0; k < rows.n; k++) {
		const struct nspid_row *r = &rows.v[k];
		int show = !nwant && (threads || r->nr == r->tgid);

		for (j = 0; j < nwant && !show; j++)
			show = threads ? groups[j] && r->tgid == groups[j] : r->nr == want[j];
		if (show)
			fputs(r->text, fp);
		free(r->text);
	}
	if (rows.skipped)
		fprintf(stderr, "nspid: skipped %lu inconsistent row%s (structures changing when the dump was taken)\n",
			rows.skipped, rows.skipped == 1 ? "" : "s");
	free(rows.v);
	free(want);
	free(groups);
}

static char *help_nspid[] = {
	"nspid",
	"/proc/nspid_map from the dump: pid namespace ids of tasks",
	"[-L] [PID ...]",
	"  Prints the rows of /proc/nspid_map (nspid_map(5)) as root in the",
	"  initial pid namespace would read them, without hidepid=, byte for",
	"  byte the module's format, from the dump's own structures: the module",
	"  need not have been loaded. The header line comes first; the output",
	"  can be read with nspid --file.",
	" ",
	"    -L   one row per thread (all rows, as the file has them); without",
	"         it, one row per thread group (its leader's row).",
	"   PID   only the row of each PID (a pid in the initial namespace; a",
	"         thread id gives that thread's row); with -L, the rows of every",
	"         thread of PID's thread group.",
	" ",
	"  Rows whose structures do not agree (a task being created or reaped",
	"  when the dump was taken) are skipped; their count goes to stderr.",
	"\nEXAMPLE",
	"    crash> nspid -L > /tmp/nspid_map",
	"    crash> nspid 6052",
	"    # pid\ttgid\tppid\tnspid\tnstgid\tpidns\tlevel\tchain\tnschain\tcomm",
	"    6052\t6052\t6001\t1\t1\t4026532571\t1\t6052:1\t4026531836:4026532571\tsh",
	NULL
};

static struct command_table_entry nspid_commands[] = {
	{ "nspid", cmd_nspid, help_nspid, 0 },
	{ NULL, NULL, NULL, 0 },
};

void __attribute__((constructor)) nspid_init(void)
{
	register_extension(nspid_commands);
}

void __attribute__((destructor)) nspid_fini(void)
{
}
