// SPDX-License-Identifier: GPL-2.0
/*
 * print.c - answers to text.
 *
 * Tables: numbers right-aligned under their headers, one space apart,
 * COMMAND last and escaped like the map, so every task is one line.
 * JSON: one object per task per line; strings escape ", \ and control
 * bytes; bytes >= 0x80 pass through when they form valid UTF-8 and are
 * otherwise written as \u00XX (the byte's value as a code point).
 */
#include <stdlib.h>
#include <string.h>

#include "print.h"

#define NCOLS 5

struct row {
	unsigned int v[NCOLS];
	const struct nspid_rec *rec;
};

static const char *const task_cols[NCOLS] = {
	"PID", "NSPID", "PPID", "PIDNS", "LEVEL"
};
static const char *const member_cols[NCOLS] = {
	"PID", "HOSTPID", "PPID", "PIDNS", "LEVEL"
};

void print_comm(FILE *f, const char *s, size_t len)
{
	unsigned char c;
	size_t i;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || c == '\\')
			fprintf(f, "\\%03o", c);
		else
			putc(c, f);
	}
}

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t utf8_len(const unsigned char *s, size_t len)
{
	size_t n, i;
	unsigned int cp;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

void print_json_str(FILE *f, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n;

	putc('"', f);
	while (i < len) {
		if (u[i] == '"' || u[i] == '\\') {
			fprintf(f, "\\%c", u[i++]);
		} else if (u[i] < 0x20 || u[i] == 0x7f) {
			fprintf(f, "\\u%04x", u[i++]);
		} else if (u[i] < 0x80) {
			putc(u[i++], f);
		} else if ((n = utf8_len(u + i, len - i))) {
			fwrite(u + i, 1, n, f);
			i += n;
		} else {
			fprintf(f, "\\u%04x", u[i++]);
		}
	}
	putc('"', f);
}

static int digits(unsigned int v)
{
	int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/*
 * One table line at @p, formatted by hand; the lines go out in 64 KiB
 * fwrite()s. printf's format parsing per field was half of what `nspid -L`
 * cost on a 30,000-row map, and an fwrite() per line a tenth (callgrind).
 * The longest line: NCOLS numbers of at most 10 digits in columns of at
 * most 10, a space after each, and a comm of NSPID_COMM_MAX bytes escaped.
 */
#define ROW_MAX	(NCOLS * 11 + 4 * NSPID_COMM_MAX + 1)

static char *put_row(char *p, const int *width, const struct row *row)
{
	const unsigned char *c = (const unsigned char *)row->rec->comm;
	size_t k;
	int i;

	for (i = 0; i < NCOLS; i++) {
		unsigned int v = row->v[i];
		char *q = p + width[i];	/* the column fits every value */

		p = q;
		do {
			*--q = (char)('0' + v % 10);
			v /= 10;
		} while (v);
		while (q > p - width[i])
			*--q = ' ';
		*p++ = ' ';
	}
	for (k = 0; k < row->rec->commlen; k++) {
		if (c[k] < 0x20 || c[k] == 0x7f || c[k] == '\\') {
			*p++ = '\\';
			*p++ = (char)('0' + (c[k] >> 6));
			*p++ = (char)('0' + ((c[k] >> 3) & 7));
			*p++ = (char)('0' + (c[k] & 7));
		} else {
			*p++ = (char)c[k];
		}
	}
	*p++ = '\n';
	return p;
}

static void print_rows(FILE *f, const char *const *cols,
		       const struct row *rows, size_t n)
{
	unsigned int max[NCOLS] = { 0 };
	static char out[65536];
	char *p = out;
	int w[NCOLS], i;
	size_t r;

	for (r = 0; r < n; r++)
		for (i = 0; i < NCOLS; i++)
			if (rows[r].v[i] > max[i])
				max[i] = rows[r].v[i];
	for (i = 0; i < NCOLS; i++) {
		w[i] = (int)strlen(cols[i]);
		if (digits(max[i]) > w[i])
			w[i] = digits(max[i]);
	}
	for (i = 0; i < NCOLS; i++)
		fprintf(f, "%*s ", w[i], cols[i]);
	fputs("COMMAND\n", f);
	for (r = 0; r < n; r++) {
		if (sizeof(out) - (size_t)(p - out) < ROW_MAX) {
			fwrite(out, 1, (size_t)(p - out), f);
			p = out;
		}
		p = put_row(p, w, &rows[r]);
	}
	fwrite(out, 1, (size_t)(p - out), f);
}

static void print_uints(FILE *f, const unsigned int *v, unsigned int n,
			const char *sep)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		fprintf(f, "%s%u", i ? sep : "", v[i]);
}

static void json_task(FILE *f, const struct nspid_map *map,
		      const struct nspid_rec *r)
{
	fprintf(f, "{\"pid\": %u, \"tgid\": %u, \"ppid\": %u, \"nspid\": %u, "
		"\"nstgid\": %u, \"pidns\": %u, \"level\": %u, \"chain\": [",
		r->pid, r->tgid, r->ppid, r->nspid, r->nstgid, r->pidns,
		r->level);
	print_uints(f, map_chain(map, r), r->level + 1, ", ");
	fputs("], \"nschain\": [", f);
	print_uints(f, map_nschain(map, r), r->level + 1, ", ");
	fputs("], \"comm\": ", f);
	print_json_str(f, r->comm, r->commlen);
	putc('}', f);
}

static void json_tasks(FILE *f, const struct nspid_map *map,
		       const struct nspid_rec *const *recs, size_t n)
{
	size_t i;

	fputs("{\n  \"tasks\": [", f);
	for (i = 0; i < n; i++) {
		fputs(i ? ",\n    " : "\n    ", f);
		json_task(f, map, recs[i]);
	}
	fputs(n ? "\n  ]\n}\n" : "]\n}\n", f);
}

int print_table(FILE *f, const struct nspid_map *map, int threads, int json)
{
	const struct nspid_rec **recs = calloc(map->nrecs + 1, sizeof(*recs));
	struct row *rows = calloc(map->nrecs + 1, sizeof(*rows));
	const struct nspid_rec *r;
	size_t i, n = 0;
	int rc = -1;

	if (!recs || !rows)
		goto out;
	for (i = 0; i < map->nrecs; i++) {
		r = &map->recs[i];
		if (!threads && r->pid != r->tgid)
			continue;
		recs[n] = r;
		rows[n].rec = r;
		rows[n].v[0] = r->pid;
		rows[n].v[1] = r->nspid;
		rows[n].v[2] = r->ppid;
		rows[n].v[3] = r->pidns;
		rows[n].v[4] = r->level;
		n++;
	}
	if (json)
		json_tasks(f, map, recs, n);
	else
		print_rows(f, task_cols, rows, n);
	rc = 0;
out:
	free(recs);
	free(rows);
	return rc;
}

void print_pids(FILE *f, const struct nspid_map *map,
		const struct nspid_rec *const *recs, size_t n, int chain,
		int json)
{
	size_t i;

	if (json) {
		json_tasks(f, map, recs, n);
		return;
	}
	for (i = 0; i < n; i++) {
		if (chain)
			print_uints(f, map_chain(map, recs[i]),
				    recs[i]->level + 1, ":");
		else
			fprintf(f, "%u", recs[i]->nspid);
		putc('\n', f);
	}
}

static void json_ns(FILE *f, const struct nspid_ns *ns)
{
	fprintf(f, "{\n  \"pidns\": %u,\n  \"level\": %u,\n  \"init\": %u,\n",
		ns->inode, ns->level, ns->init);
}

static void json_members(FILE *f, const struct nspid_ns *ns,
			 const struct nspid_member *m, size_t n)
{
	size_t i;

	json_ns(f, ns);
	fputs("  \"tasks\": [", f);
	for (i = 0; i < n; i++) {
		fprintf(f, "%s{\"pid\": %u, \"hostpid\": %u, \"ppid\": %u, "
			"\"pidns\": %u, \"level\": %u, \"comm\": ",
			i ? ",\n    " : "\n    ", m[i].pid, m[i].rec->pid,
			m[i].ppid, m[i].rec->pidns, m[i].level);
		print_json_str(f, m[i].rec->comm, m[i].rec->commlen);
		putc('}', f);
	}
	fputs(n ? "\n  ]\n}\n" : "]\n}\n", f);
}

int print_members(FILE *f, const struct nspid_map *map,
		   const struct nspid_ns *ns, const struct nspid_member *m,
		   size_t n, int json)
{
	struct row *rows;
	size_t i;

	(void)map;
	if (json) {
		json_members(f, ns, m, n);
		return 0;
	}
	rows = calloc(n + 1, sizeof(*rows));
	if (!rows)
		return -1;
	for (i = 0; i < n; i++) {
		rows[i].rec = m[i].rec;
		rows[i].v[0] = m[i].pid;
		rows[i].v[1] = m[i].rec->pid;
		rows[i].v[2] = m[i].ppid;
		rows[i].v[3] = m[i].rec->pidns;
		rows[i].v[4] = m[i].level;
	}
	print_rows(f, member_cols, rows, n);
	free(rows);
	return 0;
}

void print_to_host(FILE *f, const struct nspid_ns *ns, unsigned int nspid,
		   const struct nspid_rec *rec, int json)
{
	if (!json) {
		fprintf(f, "%u\n", rec->pid);
		return;
	}
	json_ns(f, ns);
	fprintf(f, "  \"nspid\": %u,\n  \"pid\": %u\n}\n", nspid, rec->pid);
}
