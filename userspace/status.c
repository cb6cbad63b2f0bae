// SPDX-License-Identifier: GPL-2.0
/*
 * status.c - the records from /proc/PID/task/TID/status, for kernels that
 * have NSpid (4.1+) but not the module. The rows are the module's: same
 * pid order, same ids, same comm (status escapes only \n and \ in Name:),
 * so both sources print the same bytes. Differences the kernel imposes:
 * Name: may show a kernel thread's full name (6.1+), and nschain elements
 * above a task's own namespace are 0 where NS_GET_PARENT is missing (<4.9).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "status.h"

#ifndef NS_GET_PARENT
#define NS_GET_PARENT _IO(0xb7, 0x2)	/* linux/nsfs.h, 4.9 */
#endif

#define STATUS_MAX (1 << 20)

/* nschain of each namespace met, keyed by its inode */
struct ns_cache {
	struct ns_entry {
		unsigned int inode;
		unsigned int level;
		unsigned int nschain[NSPID_MAX_LEVEL + 1];
	} *e;
	size_t n, cap;		/* cap: a power of two, or 0 */
	unsigned int self;	/* the reader's own namespace */
};

/* The value of the line "key\t..." in text, up to its newline. */
static const char *field(const char *text, size_t len, const char *key,
			 size_t *vlen)
{
	size_t klen = strlen(key);
	const char *p = text, *end = text + len, *nl;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		if ((size_t)(nl - p) > klen && !memcmp(p, key, klen) &&
		    p[klen] == '\t') {
			*vlen = (size_t)(nl - p) - klen - 1;
			return p + klen + 1;
		}
		p = nl + 1;
	}
	return NULL;
}

/* Tab-separated decimals into ids; their count, or -1. */
static int parse_ids(const char *s, size_t len, unsigned int *ids, int max)
{
	unsigned long v;
	size_t i = 0;
	int n = 0;

	while (i < len) {
		if (!isdigit((unsigned char)s[i]) || n == max)
			return -1;
		for (v = 0; i < len && isdigit((unsigned char)s[i]); i++) {
			v = v * 10 + (unsigned long)(s[i] - '0');
			if (v > NSPID_PID_MAX)
				return -1;
		}
		ids[n++] = (unsigned int)v;
		if (i < len && s[i++] != '\t')
			return -1;
	}
	return n;
}

static int one_id(const char *text, size_t len, const char *key,
		  unsigned int *v)
{
	const char *s;
	size_t vlen;

	s = field(text, len, key, &vlen);
	return s && parse_ids(s, vlen, v, 1) == 1 ? 0 : -1;
}

/* Name: escapes \n as "\n" and \ as "\\"; undo that. */
static void name_unescape(const char *s, size_t len, struct nspid_rec *rec)
{
	size_t i, n = 0;
	char c;

	for (i = 0; i < len && n < NSPID_COMM_MAX - 1; i++) {
		c = s[i];
		if (c == '\\' && i + 1 < len && (s[i + 1] == 'n' ||
						 s[i + 1] == '\\'))
			c = s[++i] == 'n' ? '\n' : '\\';
		rec->comm[n++] = c;
	}
	rec->comm[n] = '\0';
	rec->commlen = n;
}

int status_parse(const char *text, size_t len, struct nspid_rec *rec,
		 unsigned int *chain)
{
	unsigned int nstgid[NSPID_MAX_LEVEL + 1];
	const char *s;
	size_t vlen;
	char *comm = rec->comm;
	int n, m;

	memset(rec, 0, sizeof(*rec));
	rec->comm = comm;	/* the caller's NSPID_COMM_MAX bytes */
	s = field(text, len, "Name:", &vlen);
	if (!s || one_id(text, len, "Tgid:", &rec->tgid) ||
	    one_id(text, len, "Pid:", &rec->pid) ||
	    one_id(text, len, "PPid:", &rec->ppid))
		return -1;
	name_unescape(s, vlen, rec);
	s = field(text, len, "NSpid:", &vlen);
	n = s ? parse_ids(s, vlen, chain, NSPID_MAX_LEVEL + 1) : -1;
	s = field(text, len, "NStgid:", &vlen);
	m = s ? parse_ids(s, vlen, nstgid, NSPID_MAX_LEVEL + 1) : -1;
	if (n < 1 || m != n || chain[0] != rec->pid || nstgid[0] != rec->tgid)
		return -1;
	rec->level = (unsigned int)n - 1;
	rec->nspid = chain[n - 1];
	rec->nstgid = nstgid[n - 1];
	return 0;
}

/* The whole of a small proc file, NUL-terminated; NULL on error. */
static char *slurp(const char *path, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap), *nb;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	while (fd >= 0 && buf) {
		if (n + 1 == cap) {
			nb = cap < STATUS_MAX ? realloc(buf, cap * 2) : NULL;
			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0) {
				buf[n] = '\0';
				*len = n;
				close(fd);
				return buf;
			}
			break;
		}
		n += (size_t)r;
	}
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

int status_available(const char *proc)
{
	char path[512];
	size_t len, vlen;
	char *text;
	int ok;

	snprintf(path, sizeof(path), "%s/self/status", proc);
	text = slurp(path, &len);
	ok = text && field(text, len, "NSpid:", &vlen);
	free(text);
	return ok;
}

/* "pid:[4026531836]" of a ns link; 0 when unreadable or malformed */
static unsigned int ns_inode(const char *path)
{
	char buf[64];
	unsigned long v;
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);
	char *end;

	if (n < 7)
		return 0;
	buf[n] = '\0';
	if (strncmp(buf, "pid:[", 5))
		return 0;
	v = strtoul(buf + 5, &end, 10);
	return *end == ']' && v <= 0xffffffffUL ? (unsigned int)v : 0;
}

static struct ns_entry *cache_slot(struct ns_cache *c, unsigned int inode)
{
	size_t i = (inode * 2654435761U) & (c->cap - 1);

	while (c->e[i].inode && c->e[i].inode != inode)
		i = (i + 1) & (c->cap - 1);
	return &c->e[i];
}

static int cache_grow(struct ns_cache *c)
{
	struct ns_cache n = { NULL, 0, c->cap ? c->cap * 2 : 64, c->self };
	size_t i;

	n.e = calloc(n.cap, sizeof(*n.e));
	if (!n.e)
		return -1;
	for (i = 0; i < c->cap; i++)
		if (c->e[i].inode)
			*cache_slot(&n, c->e[i].inode) = c->e[i];
	n.n = c->n;
	free(c->e);
	*c = n;
	return 0;
}

/* Walk NS_GET_PARENT from the namespace at path up to the reader's. */
static void ns_parents(const char *path, unsigned int level,
		       unsigned int *nschain)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC), pfd;
	unsigned int k = level;

	while (fd >= 0 && k > 0) {
		pfd = ioctl(fd, NS_GET_PARENT);
		close(fd);
		fd = pfd;
		if (fd < 0 || fstat(fd, &st))
			break;
		nschain[--k] = (unsigned int)st.st_ino;
	}
	if (fd >= 0)
		close(fd);
}

/* The nschain of the task whose ns link is path; pidns must be known. */
static int ns_chain(struct ns_cache *c, const char *path,
		    const struct nspid_rec *rec, unsigned int *nschain)
{
	struct ns_entry *e;

	memset(nschain, 0, (rec->level + 1) * sizeof(*nschain));
	nschain[rec->level] = rec->pidns;
	if (!rec->pidns || !rec->level)
		return 0;
	if ((c->n + 1) * 2 > c->cap && cache_grow(c))
		return -1;
	e = cache_slot(c, rec->pidns);
	if (e->inode && e->level == rec->level) {
		memcpy(nschain, e->nschain, (rec->level + 1) * sizeof(*nschain));
		return 0;
	}
	ns_parents(path, rec->level, nschain);
	if (!e->inode)
		c->n++;
	e->inode = rec->pidns;
	e->level = rec->level;
	memcpy(e->nschain, nschain, (rec->level + 1) * sizeof(*nschain));
	return 0;
}

/* The task exited while we read it (its link went missing). */
static int gone(const char *proc, const char *pid, const char *tid)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s/task/%s/status", proc, pid, tid);
	return access(path, F_OK) != 0;
}

/* Read one task; 1 if it is gone or unreadable (skipped), -1 on error. */
static int read_task(const char *proc, const char *pid, const char *tid,
		     struct ns_cache *c, struct nspid_map *map)
{
	unsigned int chain[NSPID_MAX_LEVEL + 1], nschain[NSPID_MAX_LEVEL + 1];
	char path[512], comm[NSPID_COMM_MAX];
	struct nspid_rec rec = { .comm = comm };
	size_t len;
	char *text;
	int rc;

	snprintf(path, sizeof(path), "%s/%s/task/%s/status", proc, pid, tid);
	text = slurp(path, &len);
	rc = text ? status_parse(text, len, &rec, chain) : 1;
	free(text);
	if (rc)
		return 1;
	snprintf(path, sizeof(path), "%s/%s/task/%s/ns/pid", proc, pid, tid);
	errno = 0;
	rec.pidns = ns_inode(path);
	if (!rec.pidns && errno == ENOENT && gone(proc, pid, tid))
		return 1;
	/* Unreadable (the caller may not ptrace-read the task): as the
	 * module's hidden rows (SPEC §1.1); level 0 is the reader's own. */
	if (!rec.pidns && !rec.level)
		rec.pidns = c->self;
	if (ns_chain(c, path, &rec, nschain))
		return -1;
	if (!rec.pidns)
		nschain[0] = c->self;
	if (map_check_rec(&rec, chain, nschain, path, sizeof(path)))
		return 1;
	return map_add(map, &rec, chain, nschain);
}

static int numeric(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

static int read_threads(const char *proc, const char *pid,
			struct ns_cache *c, struct nspid_map *map)
{
	char path[512];
	struct dirent *d;
	DIR *dir;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/%s/task", proc, pid);
	dir = opendir(path);
	if (!dir)
		return 0;	/* exited meanwhile */
	while (!rc && (d = readdir(dir)))
		if (numeric(d->d_name))
			rc = read_task(proc, pid, d->d_name, c, map) < 0;
	closedir(dir);
	return rc ? -1 : 0;
}

int status_read(const char *proc, struct nspid_map *map, char *err,
		size_t errlen)
{
	return status_read_some(proc, STATUS_THREADS, NULL, 0, map, err,
				errlen);
}

int status_read_some(const char *proc, enum status_what what,
		     const unsigned int *pids, size_t npids,
		     struct nspid_map *map, char *err, size_t errlen)
{
	struct ns_cache c = { NULL, 0, 0, 0 };
	struct dirent *d;
	char path[512], id[16];
	DIR *dir = NULL;
	size_t i;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/self/ns/pid", proc);
	c.self = ns_inode(path);
	if (what == STATUS_PIDS) {
		/* PROC/TID/task/TID names a thread too, listed or not */
		for (i = 0; i < npids && !rc; i++) {
			snprintf(id, sizeof(id), "%u", pids[i]);
			rc = read_task(proc, id, id, &c, map) < 0;
		}
	} else if (!(dir = opendir(proc))) {
		snprintf(err, errlen, "cannot open %s: %s", proc,
			 strerror(errno));
		return -1;
	}
	/* numeric directories only: a test's fake /proc links thread ids */
	while (dir && !rc && (d = readdir(dir)))
		if (numeric(d->d_name) && d->d_type != DT_LNK)
			rc = what == STATUS_THREADS ?
			     read_threads(proc, d->d_name, &c, map) :
			     read_task(proc, d->d_name, d->d_name, &c, map) < 0;
	if (dir)
		closedir(dir);
	free(c.e);
	if (rc) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	map_sort(map);
	return 0;
}
