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
#include <stddef.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "print.h"

void print_comm(FILE *f, const char *s, size_t len)
{
	struct out o;

	out_init(&o, f);
	out_comm(&o, s, len);
	out_done(&o);
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
		} else if ((n = out_utf8_len(u + i, len - i))) {
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
	struct out o;

	out_init(&o, f);
	out_json_str(&o, s, len);
	out_done(&o);
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

/* The record field a map number column shows; -1: not one. */
static long field_of(int col)
{
	switch (col) {
	case COL_PID: return (long)offsetof(struct nspid_rec, tgid);
	case COL_TID: return (long)offsetof(struct nspid_rec, pid);
	case COL_PPID: return (long)offsetof(struct nspid_rec, ppid);
	case COL_NSPID: return (long)offsetof(struct nspid_rec, nstgid);
	case COL_NSTID: return (long)offsetof(struct nspid_rec, nspid);
	case COL_PIDNS: return (long)offsetof(struct nspid_rec, pidns);
	case COL_LEVEL: return (long)offsetof(struct nspid_rec, level);
	default: return -1;
	}
}

static inline unsigned int field(const struct nspid_rec *r, size_t off)
{
	return *(const unsigned int *)(const void *)((const char *)r + off);
}

/*
 * How print_text() writes a column. A number cell is formatted once per
 * value with its padding and separator (the text of the last value is
 * kept: in a thread table PID, NSPID, PPID, PIDNS and LEVEL mostly repeat
 * the row above); COMMAND is escaped on the way out; the rest of the
 * columns go through cell() and a string.
 */
enum { TC_FIELD, TC_NUM, TC_COMM, TC_LIST, TC_CELL };

struct tcol {
	int col, kind, last, right;
	size_t off;		/* TC_FIELD */
	size_t w;		/* display width (not raw) */
	unsigned int max;
	int have;		/* text holds v's cell */
	unsigned int v;
	size_t len;
	char text[32];		/* padding, digits, separator */
	char key[32];		/* JSON: ', "name": ' */
	size_t keylen;
};

static void plan(const struct print_ctx *x, struct tcol *tc)
{
	const struct column *c;
	struct tcol *t;
	size_t k;
	long off;
	int n;

	for (k = 0; k < x->ncols; k++) {
		t = &tc[k];
		memset(t, 0, sizeof(*t));
		t->col = x->cols[k];
		c = &columns[t->col];
		off = field_of(t->col);
		t->kind = off >= 0 ? TC_FIELD : t->col == COL_COMMAND ?
			  TC_COMM : t->col == COL_CHAIN || t->col == COL_NSCHAIN ?
			  TC_LIST : (c->flags & CF_NUM) && t->col != COL_UID ?
			  TC_NUM : TC_CELL;
		t->off = off >= 0 ? (size_t)off : 0;
		t->last = k + 1 == x->ncols;
		t->right = !!(c->flags & CF_NUM);
		t->w = strlen(c->name);
		n = snprintf(t->key, sizeof(t->key), "%s\"%s\": ",
			     k ? ", " : "", c->json);
		t->keylen = n > 0 ? (size_t)n : 0;
	}
}

/* A short piece: a fixed-size copy of all of buf, then len of it kept. */
static inline void put_fixed(struct out *o, const char buf[32], size_t len)
{
	char *p = out_room(o, 32);

	memcpy(p, buf, 32);
	o->p = p + len;
}

static const unsigned int *list_of(const struct nspid_map *map, int col,
				   const struct nspid_rec *r)
{
	return col == COL_CHAIN ? map_chain(map, r) : map_nschain(map, r);
}

/* The width of "a:b:c" */
static size_t list_width(const unsigned int *v, unsigned int n)
{
	size_t w = n - 1;
	unsigned int i;

	for (i = 0; i < n; i++)
		w += out_digits(v[i]);
	return w;
}

static void num_cell(struct tcol *t, unsigned int v, int raw)
{
	size_t nd = out_digits(v), pad = !raw && t->w > nd ? t->w - nd : 0;
	char *q = t->text + pad + nd;

	memset(t->text, ' ', pad);
	*q = t->last ? '\n' : ' ';
	t->len = pad + nd + 1;
	out_digits_at(q, v);
	t->have = 1;
}

/* The rows: rows[0..n), or with rows NULL the map's records (x->threads:
 * every task, else the thread group leaders), without an array of them. */
struct rows_it {
	const struct prow *rows;
	size_t n, i;
	const struct print_ctx *x;
	struct prow cur;
};

static void it_start(struct rows_it *it, const struct print_ctx *x,
		     const struct prow *rows, size_t n)
{
	memset(it, 0, sizeof(*it));
	it->rows = rows;
	it->n = rows ? n : x->map->nrecs;
	it->x = x;
}

static inline const struct prow *it_next(struct rows_it *it)
{
	const struct nspid_rec *r;

	if (it->rows)
		return it->i < it->n ? &it->rows[it->i++] : NULL;
	while (it->i < it->n) {
		r = &it->x->map->recs[it->i++];
		if (it->x->threads || r->pid == r->tgid) {
			it->cur.rec = r;
			return &it->cur;
		}
	}
	return NULL;
}

/* A table in two passes over the rows: the widths, then the lines. */
static int print_text(FILE *f, struct print_ctx *x, const struct prow *rows,
		      size_t n)
{
	struct tcol tc[COLS_MAX], *t;
	const struct nspid_rec *r;
	const struct prow *row;
	struct rows_it it;
	struct sb b = { 0 };
	size_t k, cw, nc = x->ncols;
	unsigned int v;
	struct out o;
	int rc = 0;

	plan(x, tc);
	it_start(&it, x, rows, n);
	while (!x->raw && (row = it_next(&it))) {
		r = row->rec;
		for (k = 0; k < nc; k++) {
			t = &tc[k];
			if (r && t->kind == TC_FIELD) {
				v = field(r, t->off);
				if (v > t->max)
					t->max = v;
				continue;
			}
			if (t->kind == TC_NUM && num_value(x, t->col, row, &v)) {
				if (v > t->max)
					t->max = v;
				continue;
			}
			if (r && t->kind == TC_COMM) {
				/* left-aligned: the last column is not padded */
				if (t->last)
					continue;
				cw = out_comm_width(r->comm, r->commlen);
			} else if (r && t->kind == TC_LIST) {
				if (t->last)
					continue;
				cw = list_width(list_of(x->map, t->col, r),
						r->level + 1);
			} else {
				b.len = 0;
				cell(x, t->col, row, &b, 0);
				cw = b.s ? width(b.s, b.len) : 0;
			}
			if (cw > t->w)
				t->w = cw;
		}
	}
	out_init(&o, f);
	for (k = 0; k < nc; k++) {
		t = &tc[k];
		if (out_digits(t->max) > t->w)
			t->w = out_digits(t->max);
		if (x->noheadings)
			continue;
		cw = strlen(columns[t->col].name);
		if (!x->raw && t->right)
			out_pad(&o, t->w - cw);
		out_mem(&o, columns[t->col].name, cw);
		if (!x->raw && !t->right && !t->last)
			out_pad(&o, t->w - cw);
		out_char(&o, t->last ? '\n' : ' ');
	}
	it_start(&it, x, rows, n);
	while ((row = it_next(&it))) {
		r = row->rec;
		for (k = 0; k < nc; k++) {
			t = &tc[k];
			if (r && t->kind == TC_FIELD) {
				v = field(r, t->off);
			} else if (t->kind == TC_NUM &&
				   num_value(x, t->col, row, &v)) {
				/* v set */
			} else if (r && t->kind == TC_COMM) {
				if (x->raw)
					out_raw(&o, r->comm, r->commlen);
				else
					out_comm(&o, r->comm, r->commlen);
				if (!x->raw && !t->last)
					out_pad(&o, t->w -
						out_comm_width(r->comm, r->commlen));
				out_char(&o, t->last ? '\n' : ' ');
				continue;
			} else if (r && t->kind == TC_LIST) {
				out_uints(&o, list_of(x->map, t->col, r),
					  r->level + 1, ":");
				if (!x->raw && !t->last)
					out_pad(&o, t->w -
						list_width(list_of(x->map, t->col, r),
							   r->level + 1));
				out_char(&o, t->last ? '\n' : ' ');
				continue;
			} else {
				b.len = 0;
				cell(x, t->col, row, &b, 0);
				cw = b.s ? width(b.s, b.len) : 0;
				if (!x->raw && t->right)
					out_pad(&o, t->w - cw);
				out_mem(&o, b.s, b.len);
				if (!x->raw && !t->right && !t->last)
					out_pad(&o, t->w - cw);
				out_char(&o, t->last ? '\n' : ' ');
				continue;
			}
			if (!t->have || v != t->v) {
				num_cell(t, v, x->raw);
				t->v = v;
			}
			put_fixed(&o, t->text, t->len);
		}
	}
	out_done(&o);
	if (b.oom)
		rc = -1;
	free(b.s);
	return rc;
}

static void json_row(struct out *o, struct print_ctx *x,
		     const struct tcol *tc, const struct prow *row,
		     struct sb *b)
{
	const struct nspid_rec *r = row->rec;
	const struct tcol *t;
	unsigned int v;
	size_t k;

	out_char(o, '{');
	if (row->arg) {
		out_str(o, "\"arg\": ");
		out_uint(o, row->arg);
	}
	if (!r) {
		out_str(o, ", \"error\": \"PID ");
		out_uint(o, row->arg);
		out_str(o, " not found\"}");
		return;
	}
	if (row->arg)
		out_mem(o, ", ", 2);
	for (k = 0; k < x->ncols; k++) {
		t = &tc[k];
		put_fixed(o, t->key, t->keylen);
		if (t->kind == TC_FIELD) {
			out_uint(o, field(r, t->off));
		} else if (t->kind == TC_NUM && num_value(x, t->col, row, &v)) {
			out_uint(o, v);
		} else if (t->kind == TC_LIST) {
			out_char(o, '[');
			out_uints(o, list_of(x->map, t->col, r), r->level + 1,
				  ", ");
			out_char(o, ']');
		} else if (t->kind == TC_COMM) {
			out_json_str(o, r->comm, r->commlen);
		} else {
			b->len = 0;
			cell(x, t->col, row, b, 1);
			if (b->s)
				out_mem(o, b->s, b->len);
			else
				out_mem(o, "null", 4);
		}
	}
	out_char(o, '}');
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
	struct tcol tc[COLS_MAX];
	const struct prow *row;
	struct rows_it it;
	struct sb b = { 0 };
	struct out o;
	size_t i;

	if (!x->json)
		return print_text(f, x, rows, n);
	print_json_source(f, x->source);
	if (x->ns)
		print_json_ns(f, x, x->ns);
	plan(x, tc);
	out_init(&o, f);
	out_str(&o, "  \"tasks\": [");
	it_start(&it, x, rows, n);
	for (i = 0; (row = it_next(&it)); i++) {
		out_str(&o, i ? ",\n    " : "\n    ");
		json_row(&o, x, tc, row, &b);
	}
	out_str(&o, i ? "\n  ]\n}\n" : "]\n}\n");
	out_done(&o);
	free(b.s);
	return b.oom ? -1 : 0;
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
