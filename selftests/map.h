/* SPDX-License-Identifier: GPL-2.0 */
/*
 * map.h - read and strictly parse /proc/nspid_map for the selftests.
 *
 * Header-only (static functions), libc only, so every test links it
 * statically with musl. The parser checks syntax (SPEC §1.1); map_row_check()
 * checks a row's internal consistency. Neither looks at the running system.
 */
#ifndef NSPID_SELFTESTS_MAP_H
#define NSPID_SELFTESTS_MAP_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAP_PATH	"/proc/nspid_map"
#define MAP_HEADER \
	"# pid\ttgid\tppid\tnspid\tnstgid\tpidns\tlevel\tchain\tnschain\tcomm"
/* MAX_PID_NS_LEVEL is 32: levels 0..32 below the reader at most. */
#define MAX_LEVEL	33
#define MAP_COMM_LEN	16	/* TASK_COMM_LEN */

/* Not every test uses every helper; -Werror must not mind. */
#define MAP_FN	static __attribute__((unused))

struct map_row {
	long pid, tgid, ppid, nspid, nstgid;
	unsigned long long pidns;
	int level;
	long chain[MAX_LEVEL];
	unsigned long long nschain[MAX_LEVEL];
	int nchain, nnschain;
	char comm[MAP_COMM_LEN];		/* unescaped, NUL-terminated */
	char raw_comm[4 * MAP_COMM_LEN];	/* as written in the file */
	int line;				/* 1-based line number */
};

struct map {
	char header[128];	/* the first line, without its newline */
	struct map_row *rows;
	int nrows;
	int errline;		/* line of the first error, 0 if none */
	char err[160];
};

/*
 * Read all of @fd from its current offset with read() calls of @bufsz bytes.
 * Returns a malloc'd NUL-terminated buffer and its length in *lenp, or NULL
 * with errno set.
 */
MAP_FN char *map_read_fd(int fd, size_t bufsz, size_t *lenp)
{
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap + 1);

	if (!buf)
		return NULL;
	for (;;) {
		ssize_t n;

		while (cap - len < bufsz) {
			char *nbuf = realloc(buf, 2 * cap + 1);

			if (!nbuf) {
				free(buf);
				errno = ENOMEM;
				return NULL;
			}
			buf = nbuf;
			cap *= 2;
		}
		n = read(fd, buf + len, bufsz);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;

			free(buf);
			errno = e;
			return NULL;
		}
		if (n == 0)
			break;
		len += n;
	}
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

MAP_FN char *map_read_file(const char *path, size_t bufsz, size_t *lenp)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *buf;
	int e;

	if (fd < 0)
		return NULL;
	buf = map_read_fd(fd, bufsz, lenp);
	e = errno;
	close(fd);
	errno = e;
	return buf;
}

/* Strict unsigned decimal: digits only, no sign, no leading zero. */
MAP_FN int map_num(const char *s, size_t n, unsigned long long max,
		   unsigned long long *out)
{
	unsigned long long v = 0;
	size_t i;

	if (n == 0 || (n > 1 && s[0] == '0'))
		return -1;
	for (i = 0; i < n; i++) {
		unsigned int d = (unsigned char)s[i] - '0';

		if (d > 9 || v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* "a:b:c" into out[]; returns the count or -1. */
MAP_FN int map_list(const char *s, size_t n, unsigned long long max,
		    unsigned long long *out)
{
	int count = 0;
	size_t start = 0, i;

	for (i = 0; i <= n; i++) {
		if (i < n && s[i] != ':')
			continue;
		if (count == MAX_LEVEL ||
		    map_num(s + start, i - start, max, &out[count]))
			return -1;
		count++;
		start = i + 1;
	}
	return count;
}

MAP_FN int map_needs_escape(unsigned char c)
{
	return c < 0x20 || c == 0x7f || c == '\\';
}

/* Unescape comm; every byte that must be escaped is, and no other. */
MAP_FN int map_comm(const char *s, size_t n, struct map_row *r)
{
	size_t i, o = 0;

	if (n >= sizeof(r->raw_comm))
		return -1;
	memcpy(r->raw_comm, s, n);
	r->raw_comm[n] = '\0';
	for (i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (c == '\\') {
			unsigned int v = 0, k;

			if (n - i < 4)
				return -1;
			for (k = 1; k <= 3; k++) {
				if (s[i + k] < '0' || s[i + k] > '7')
					return -1;
				v = v * 8 + (s[i + k] - '0');
			}
			if (v == 0 || v > 0xff || !map_needs_escape(v))
				return -1;
			c = v;
			i += 3;
		} else if (map_needs_escape(c)) {
			return -1;
		}
		if (o == MAP_COMM_LEN - 1)
			return -1;
		r->comm[o++] = c;
	}
	r->comm[o] = '\0';
	return 0;
}

MAP_FN int map_fail(struct map *m, int line, const char *what)
{
	m->errline = line;
	snprintf(m->err, sizeof(m->err), "line %d: %s", line, what);
	return -1;
}

/* 1-based number of the line holding byte @off. */
MAP_FN int map_lineof(const char *text, size_t off)
{
	int line = 1;
	size_t i;

	for (i = 0; i < off; i++)
		line += text[i] == '\n';
	return line;
}

MAP_FN void map_free(struct map *m)
{
	free(m->rows);
	m->rows = NULL;
	m->nrows = 0;
}

/*
 * Parse @len bytes of @text into @m. Returns 0, or -1 with m->errline and
 * m->err describing the first malformed line.
 */
MAP_FN int map_parse(const char *text, size_t len, struct map *m)
{
	static const char *const names[10] = {
		"pid", "tgid", "ppid", "nspid", "nstgid",
		"pidns", "level", "chain", "nschain", "comm",
	};
	size_t pos = 0, cap = 0;
	int line = 0;

	memset(m, 0, sizeof(*m));
	if (len == 0)
		return map_fail(m, 1, "empty file, no header");
	if (text[len - 1] != '\n')
		return map_fail(m, map_lineof(text, len),
				"last line not terminated by a newline");
	if (memchr(text, '\0', len))
		return map_fail(m, map_lineof(text, (const char *)
					      memchr(text, '\0', len) - text),
				"NUL byte");

	while (pos < len) {
		const char *s = text + pos;
		size_t n = (const char *)memchr(s, '\n', len - pos) - s;
		const char *f[10];
		size_t flen[10];
		unsigned long long v[7], tmp[MAX_LEVEL];
		struct map_row *r;
		size_t i, start = 0;
		int nf = 0, k;

		line++;
		pos += n + 1;
		if (line == 1) {
			if (n == 0 || s[0] != '#' || n >= sizeof(m->header))
				return map_fail(m, line, "bad header line");
			memcpy(m->header, s, n);
			m->header[n] = '\0';
			continue;
		}
		for (i = 0; i <= n; i++) {
			if (i < n && s[i] != '\t')
				continue;
			if (nf == 10)
				return map_fail(m, line, "more than 10 fields");
			f[nf] = s + start;
			flen[nf++] = i - start;
			start = i + 1;
		}
		if (nf != 10)
			return map_fail(m, line, "fewer than 10 fields");

		if ((size_t)m->nrows == cap) {
			size_t ncap = cap ? 2 * cap : 1024;
			struct map_row *nr = realloc(m->rows, ncap * sizeof(*nr));

			if (!nr)
				return map_fail(m, line, "out of memory");
			m->rows = nr;
			cap = ncap;
		}
		r = &m->rows[m->nrows];
		memset(r, 0, sizeof(*r));
		r->line = line;
		for (k = 0; k < 7; k++) {
			unsigned long long max = k == 5 ? ~0ULL :
						 k == 6 ? MAX_LEVEL - 1 : 0x7fffffff;

			if (map_num(f[k], flen[k], max, &v[k]))
				return map_fail(m, line, names[k]);
		}
		r->pid = v[0];
		r->tgid = v[1];
		r->ppid = v[2];
		r->nspid = v[3];
		r->nstgid = v[4];
		r->pidns = v[5];
		r->level = v[6];

		r->nchain = map_list(f[7], flen[7], 0x7fffffff, tmp);
		if (r->nchain < 0)
			return map_fail(m, line, names[7]);
		for (k = 0; k < r->nchain; k++)
			r->chain[k] = tmp[k];
		r->nnschain = map_list(f[8], flen[8], ~0ULL, r->nschain);
		if (r->nnschain < 0)
			return map_fail(m, line, names[8]);
		if (map_comm(f[9], flen[9], r))
			return map_fail(m, line, "comm (bad escape or too long)");
		m->nrows++;
	}
	return 0;
}

/*
 * The rules a single row must keep by itself (SPEC §1.1, §1.3). Returns NULL
 * when it does, else what is wrong.
 */
MAP_FN const char *map_row_check(const struct map_row *r)
{
	if (!r->pid || !r->tgid || !r->nspid || !r->nstgid)
		return "0 in pid, tgid, nspid or nstgid";
	if (r->nchain != r->level + 1)
		return "chain length is not level + 1";
	if (r->nnschain != r->level + 1)
		return "nschain length is not level + 1";
	if (r->chain[0] != r->pid)
		return "first chain element is not pid";
	if (r->chain[r->nchain - 1] != r->nspid)
		return "last chain element is not nspid";
	if (r->nschain[r->nnschain - 1] != r->pidns)
		return "last nschain element is not pidns";
	if (r->level == 0 && (r->pid != r->nspid || r->tgid != r->nstgid))
		return "level 0 but pid/tgid differ from nspid/nstgid";
	return NULL;
}

/* Rows come sorted by pid (SPEC §1.3); binary search, linear if not. */
MAP_FN const struct map_row *map_find(const struct map *m, long pid)
{
	int lo = 0, hi = m->nrows - 1, i;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;

		if (m->rows[mid].pid == pid)
			return &m->rows[mid];
		if (m->rows[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	for (i = 0; i < m->nrows; i++)
		if (m->rows[i].pid == pid)
			return &m->rows[i];
	return NULL;
}

/* Read and parse @path in one go; -1 with m->err set on any failure. */
MAP_FN int map_load(const char *path, size_t bufsz, struct map *m)
{
	size_t len;
	char *text = map_read_file(path, bufsz, &len);
	int ret;

	if (!text) {
		memset(m, 0, sizeof(*m));
		snprintf(m->err, sizeof(m->err), "read %s: %s", path,
			 strerror(errno));
		return -1;
	}
	ret = map_parse(text, len, m);
	free(text);
	return ret;
}

#endif /* NSPID_SELFTESTS_MAP_H */
