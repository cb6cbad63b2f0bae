// SPDX-License-Identifier: GPL-2.0
/*
 * print.c - answers to text.
 *
 * Tables (the columns of columns.c): numbers right-aligned under their
 * headers, text left-aligned, one space apart, the last column unpadded;
 * COMMAND and ARGS escaped like the map's comm, so every task is one line.
 * Raw (-r): no alignment, one space, and as lsns -r has it every space,
 * backslash and control byte written as \xHH. JSON: one object per task
 * per line, keys the column names in lower case; strings escape ", \ and
 * control bytes; bytes >= 0x80 pass through when they form valid UTF-8 and
 * are otherwise written as \u00XX (the byte's value as a code point).
 */
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "print.h"

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

/* A growing string: the text of one cell. */
struct sb {
	char *s;
	size_t len, cap;
	int oom;
};

static void sb_add(struct sb *b, const char *s, size_t n)
{
	char *ns;
	size_t cap = b->cap ? b->cap : 64;

	while (cap < b->len + n + 1)
		cap *= 2;
	if (cap != b->cap) {
		ns = realloc(b->s, cap);
		if (!ns) {
			b->oom = 1;
			return;
		}
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void __attribute__((format(printf, 2, 3)))
sb_printf(struct sb *b, const char *fmt, ...)
{
	char buf[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		sb_add(b, buf, (size_t)n < sizeof(buf) ? (size_t)n :
		       sizeof(buf) - 1);
}

/* comm/args bytes in text: \ooo as in the map; raw: \xHH as lsns -r */
static void sb_text(struct sb *b, const char *s, size_t len, int raw)
{
	unsigned char c;
	size_t i;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (raw && (c <= 0x20 || c == 0x7f || c == '\\'))
			sb_printf(b, "\\x%02x", c);
		else if (c < 0x20 || c == 0x7f || c == '\\')
			sb_printf(b, "\\%03o", c);
		else
			sb_add(b, (const char *)&c, 1);
	}
}

static void sb_json(struct sb *b, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n;

	sb_add(b, "\"", 1);
	while (i < len) {
		if (u[i] == '"' || u[i] == '\\') {
			sb_add(b, "\\", 1);
			sb_add(b, s + i++, 1);
		} else if (u[i] < 0x20 || u[i] == 0x7f) {
			sb_printf(b, "\\u%04x", u[i++]);
		} else if (u[i] < 0x80) {
			sb_add(b, s + i++, 1);
		} else if ((n = utf8_len(u + i, len - i))) {
			sb_add(b, s + i, n);
			i += n;
		} else {
			sb_printf(b, "\\u%04x", u[i++]);
		}
	}
	sb_add(b, "\"", 1);
}

void print_json_str(FILE *f, const char *s, size_t len)
{
	struct sb b = { 0 };

	sb_json(&b, s, len);
	if (b.s)
		fputs(b.s, f);
	free(b.s);
}

/* The id in the listed namespace of the process rec belongs to; 0: none */
static unsigned int in_pid(const struct print_ctx *x,
			   const struct nspid_rec *rec)
{
	const struct nspid_rec *lead = lookup_pid(x->map, rec->tgid);

	if (!x->ns || !lead || lead->level < x->ns->level)
		return 0;
	return map_chain(x->map, lead)[x->ns->level];
}

static void cell_str(struct sb *b, const char *s, size_t len, int json,
		     int raw)
{
	if (!s)
		sb_add(b, json ? "null" : "-", json ? 4 : 1);
	else if (json)
		sb_json(b, s, len);
	else
		sb_text(b, s, len, raw);
}

static void cell_num(struct sb *b, unsigned int v, int known, int json)
{
	if (known)
		sb_printf(b, "%u", v);
	else
		sb_add(b, json ? "null" : "-", json ? 4 : 1);
}

static void cell_list(struct sb *b, const unsigned int *v, unsigned int n,
		      int json)
{
	unsigned int i;

	sb_add(b, json ? "[" : "", json ? 1 : 0);
	for (i = 0; i < n; i++)
		sb_printf(b, "%s%u", !i ? "" : json ? ", " : ":", v[i]);
	sb_add(b, json ? "]" : "", json ? 1 : 0);
}

/* The value of a map number column; 0 when col is not one or unknown. */
static int num_value(struct print_ctx *x, int col, const struct prow *row,
		     unsigned int *v)
{
	const struct nspid_rec *r = row->rec;

	if (!r)
		return 0;
	switch (col) {
	case COL_PID: *v = r->tgid; return 1;
	case COL_TID: *v = r->pid; return 1;
	case COL_PPID: *v = r->ppid; return 1;
	case COL_NSPID: *v = r->nstgid; return 1;
	case COL_NSTID: *v = r->nspid; return 1;
	case COL_PIDNS: *v = r->pidns; return 1;
	case COL_LEVEL: *v = r->level; return 1;
	case COL_INPID: *v = in_pid(x, r); return *v != 0;
	case COL_INTID: *v = row->m ? row->m->pid : 0; return row->m != NULL;
	case COL_INPPID: *v = row->m ? row->m->ppid : 0; return row->m != NULL;
	default: return 0;
	}
}

static void cell(struct print_ctx *x, int col, const struct prow *row,
		 struct sb *b, int json)
{
	const struct nspid_rec *r = row->rec;
	const struct nspid_member *m = row->m;
	const struct container *ct;
	const struct procinfo *pi;
	char label[CT_LABEL_MAX];
	struct passwd *pw;
	unsigned int v;

	if (!r) {
		cell_str(b, NULL, 0, json, x->raw);
		return;
	}
	switch (col) {
	case COL_PID: cell_num(b, r->tgid, 1, json); break;
	case COL_TID: cell_num(b, r->pid, 1, json); break;
	case COL_PPID: cell_num(b, r->ppid, 1, json); break;
	case COL_NSPID: cell_num(b, r->nstgid, 1, json); break;
	case COL_NSTID: cell_num(b, r->nspid, 1, json); break;
	case COL_PIDNS: cell_num(b, r->pidns, 1, json); break;
	case COL_LEVEL: cell_num(b, r->level, 1, json); break;
	case COL_CHAIN:
		cell_list(b, map_chain(x->map, r), r->level + 1, json);
		break;
	case COL_NSCHAIN:
		cell_list(b, map_nschain(x->map, r), r->level + 1, json);
		break;
	case COL_INPID:
		v = in_pid(x, r);
		cell_num(b, v, v != 0, json);
		break;
	case COL_INTID: cell_num(b, m ? m->pid : 0, m != NULL, json); break;
	case COL_INPPID: cell_num(b, m ? m->ppid : 0, m != NULL, json); break;
	case COL_CONTAINER:
	case COL_POD:
		ct = procinfo_container(x->pi, r);
		if (col == COL_POD)
			cell_str(b, ct && ct->pod[0] ? ct->pod : NULL,
				 ct ? strlen(ct->pod) : 0, json, x->raw);
		else if (ct) {
			container_label(ct, label, sizeof(label));
			cell_str(b, label, strlen(label), json, x->raw);
		} else {
			cell_str(b, NULL, 0, json, x->raw);
		}
		break;
	case COL_USER:
	case COL_UID:
	case COL_STATE:
		pi = procinfo_status(x->pi, r);
		if (col == COL_UID) {
			cell_num(b, pi ? pi->uid : 0, pi != NULL, json);
		} else if (col == COL_STATE) {
			cell_str(b, pi ? &pi->state : NULL, 1, json, x->raw);
		} else if (pi && (pw = getpwuid(pi->uid))) {
			cell_str(b, pw->pw_name, strlen(pw->pw_name), json,
				 x->raw);
		} else if (pi) {
			snprintf(label, sizeof(label), "%u", pi->uid);
			cell_str(b, label, strlen(label), json, x->raw);
		} else {
			cell_str(b, NULL, 0, json, x->raw);
		}
		break;
	case COL_ARGS:
		pi = procinfo_args(x->pi, r);
		cell_str(b, pi ? pi->args : NULL, pi ? pi->argslen : 0, json,
			 x->raw);
		break;
	case COL_COMMAND:
	default:
		cell_str(b, r->comm, r->commlen, json, x->raw);
		break;
	}
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

/* Display width: UTF-8 continuation bytes take no column. */
static size_t width(const char *s, size_t len)
{
	size_t i, w = 0;

	for (i = 0; i < len; i++)
		w += ((unsigned char)s[i] & 0xc0) != 0x80;
	return w;
}

void print_json_source(FILE *f, const char *source)
{
	fprintf(f, "{\n  \"source\": \"%s\",\n", source ? source : "file");
}

static void pad(FILE *f, size_t n)
{
	static const char spaces[] = "                                ";

	while (n) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;

		fwrite(spaces, 1, k, f);
		n -= k;
	}
}

/* The text of one cell in b (numbers without the string machinery). */
static void text_cell(struct print_ctx *x, int col, const struct prow *row,
		      struct sb *b)
{
	char num[16];
	unsigned int v;
	int n;

	b->len = 0;
	if (num_value(x, col, row, &v)) {
		n = snprintf(num, sizeof(num), "%u", v);
		sb_add(b, num, (size_t)n);
	} else {
		cell(x, col, row, b, 0);
	}
}

static int print_text(FILE *f, struct print_ctx *x, const struct prow *rows,
		      size_t n)
{
	size_t *w = calloc(x->ncols + 1, sizeof(*w)), i, k, cw;
	struct sb b = { 0 };
	unsigned int v;
	int last, rc = 0;

	if (!w)
		return -1;
	for (k = 0; k < x->ncols; k++)
		w[k] = strlen(columns[x->cols[k]].name);
	for (i = 0; i < n && !x->raw; i++)
		for (k = 0; k < x->ncols; k++) {
			if (num_value(x, x->cols[k], &rows[i], &v)) {
				cw = (size_t)digits(v);
			} else {
				b.len = 0;
				cell(x, x->cols[k], &rows[i], &b, 0);
				cw = b.s ? width(b.s, b.len) : 0;
			}
			if (cw > w[k])
				w[k] = cw;
		}
	for (i = x->noheadings; i <= n; i++) {
		for (k = 0; k < x->ncols; k++) {
			const struct column *c = &columns[x->cols[k]];

			last = k + 1 == x->ncols;
			b.len = 0;
			if (i == 0)
				sb_add(&b, c->name, strlen(c->name));
			else
				text_cell(x, x->cols[k], &rows[i - 1], &b);
			cw = b.s ? width(b.s, b.len) : 0;
			if (!x->raw && (c->flags & CF_NUM))
				pad(f, w[k] - cw);
			if (b.len)
				fwrite(b.s, 1, b.len, f);
			if (!x->raw && !(c->flags & CF_NUM) && !last)
				pad(f, w[k] - cw);
			if (!last)
				putc(' ', f);
		}
		putc('\n', f);
	}
	if (b.oom)
		rc = -1;
	free(b.s);
	free(w);
	return rc;
}

static void json_row(FILE *f, struct print_ctx *x, const struct prow *row)
{
	struct sb b = { 0 };
	size_t k;

	putc('{', f);
	if (row->arg)
		fprintf(f, "\"arg\": %u%s", row->arg, row->rec ? ", " : "");
	if (!row->rec)
		fprintf(f, ", \"error\": \"PID %u not found\"", row->arg);
	for (k = 0; k < x->ncols && row->rec; k++) {
		unsigned int v;

		if (k)
			fputs(", ", f);
		putc('"', f);
		fputs(columns[x->cols[k]].json, f);
		fputs("\": ", f);
		if (num_value(x, x->cols[k], row, &v)) {
			fprintf(f, "%u", v);
			continue;
		}
		b.len = 0;
		cell(x, x->cols[k], row, &b, 1);
		fputs(b.s ? b.s : "null", f);
	}
	putc('}', f);
	free(b.s);
}

void print_json_ns(FILE *f, struct print_ctx *x, const struct nspid_ns *ns)
{
	const struct container *ct = procinfo_ns_container(x->pi, ns);
	char label[CT_LABEL_MAX];

	fprintf(f, "  \"pidns\": %u,\n  \"level\": %u,\n  \"init\": %u,\n"
		"  \"container\": ", ns->inode, ns->level, ns->init);
	container_label(ct, label, sizeof(label));
	if (ct)
		print_json_str(f, label, strlen(label));
	else
		fputs("null", f);
	fputs(",\n", f);
}

int print_rows(FILE *f, struct print_ctx *x, const struct prow *rows,
	       size_t n)
{
	size_t i;

	if (!x->json)
		return print_text(f, x, rows, n);
	print_json_source(f, x->source);
	if (x->ns)
		print_json_ns(f, x, x->ns);
	fputs("  \"tasks\": [", f);
	for (i = 0; i < n; i++) {
		fputs(i ? ",\n    " : "\n    ", f);
		json_row(f, x, &rows[i]);
	}
	fputs(n ? "\n  ]\n}\n" : "]\n}\n", f);
	return 0;
}

void print_pid_lines(FILE *f, const struct nspid_map *map,
		     const struct prow *rows, size_t n, int chain)
{
	const struct nspid_rec *r;
	unsigned int k;
	size_t i;

	for (i = 0; i < n; i++) {
		r = rows[i].rec;
		if (!r)
			fputs("-", f);
		else if (!chain)
			fprintf(f, "%u", r->nspid);
		else
			for (k = 0; k <= r->level; k++)
				fprintf(f, "%s%u", k ? ":" : "",
					map_chain(map, r)[k]);
		putc('\n', f);
	}
}

void print_to_host(FILE *f, struct print_ctx *x, unsigned int nspid,
		   const struct nspid_rec *rec)
{
	if (!x->json) {
		fprintf(f, "%u\n", rec->pid);
		return;
	}
	print_json_source(f, x->source);
	print_json_ns(f, x, x->ns);
	fprintf(f, "  \"nspid\": %u,\n  \"pid\": %u,\n  \"tid\": %u\n}\n",
		nspid, rec->tgid, rec->pid);
}
