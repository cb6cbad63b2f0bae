// SPDX-License-Identifier: GPL-2.0
/*
 * parse.c - /proc/nspid_map text to records (format: nspid_map(5)).
 *
 * The parser is strict: whatever the module cannot produce is an error
 * naming the line, so a damaged snapshot never turns into a wrong answer.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parse.h"

#define NFIELDS 10

enum { F_PID, F_TGID, F_PPID, F_NSPID, F_NSTGID, F_PIDNS, F_LEVEL,
       F_CHAIN, F_NSCHAIN, F_COMM };

static const char *const field_names[NFIELDS] = {
	"pid", "tgid", "ppid", "nspid", "nstgid", "pidns", "level",
	"chain", "nschain", "comm"
};

struct field {
	const char *s;
	size_t len;
};

void map_init(struct nspid_map *map)
{
	memset(map, 0, sizeof(*map));
}

void map_free(struct nspid_map *map)
{
	void *c, *next;

	for (c = map->chunks; c; c = next) {
		memcpy(&next, c, sizeof(next));
		free(c);
	}
	free(map->recs);
	free(map->chain);
	free(map->nschain);
	map_init(map);
}

#define NAMES_CHUNK	65536

/* Room for one name (NSPID_COMM_MAX bytes) in the store; NULL: no memory. */
static inline char *names_room(struct nspid_map *map)
{
	char *c;

	if (map->names && map->names_end - map->names >= NSPID_COMM_MAX)
		return map->names;
	c = malloc(NAMES_CHUNK);
	if (!c)
		return NULL;
	memcpy(c, &map->chunks, sizeof(map->chunks));	/* the list */
	map->chunks = c;
	map->names = c + sizeof(void *);
	map->names_end = c + NAMES_CHUNK;
	return map->names;
}

/* The name at names_room() is the record's: keep it. */
static inline void names_keep(struct nspid_map *map, size_t len)
{
	map->names += len + 1;
}

const unsigned int *map_chain(const struct nspid_map *map,
			      const struct nspid_rec *rec)
{
	return map->chain + rec->ids;
}

const unsigned int *map_nschain(const struct nspid_map *map,
				const struct nspid_rec *rec)
{
	return map->nschain + rec->ids;
}

static int grow(void **ptr, size_t *cap, size_t need, size_t size)
{
	size_t ncap = *cap ? *cap : 64;
	void *n;

	while (ncap < need)
		ncap *= 2;
	if (ncap == *cap)
		return 0;
	n = realloc(*ptr, ncap * size);
	if (!n)
		return -1;
	*ptr = n;
	*cap = ncap;
	return 0;
}

static int grow_ids(struct nspid_map *map, size_t need)
{
	size_t cap = map->ids_cap;
	size_t cap2 = map->ids_cap;

	if (grow((void **)&map->chain, &cap, need, sizeof(unsigned int)))
		return -1;
	if (grow((void **)&map->nschain, &cap2, need, sizeof(unsigned int)))
		return -1;
	map->ids_cap = cap;
	return 0;
}

int map_add(struct nspid_map *map, const struct nspid_rec *rec,
	    const unsigned int *chain, const unsigned int *nschain)
{
	size_t n = rec->level + 1;
	struct nspid_rec *r;

	if (grow((void **)&map->recs, &map->recs_cap, map->nrecs + 1,
		 sizeof(*rec)))
		return -1;
	if (grow_ids(map, map->nids + n))
		return -1;
	r = &map->recs[map->nrecs];
	*r = *rec;
	r->comm = names_room(map);
	if (!r->comm)
		return -1;
	memcpy(r->comm, rec->comm, rec->commlen);
	r->comm[rec->commlen] = '\0';
	names_keep(map, rec->commlen);
	map->nrecs++;
	r->ids = map->nids;
	memcpy(map->chain + map->nids, chain, n * sizeof(*chain));
	memcpy(map->nschain + map->nids, nschain, n * sizeof(*nschain));
	map->nids += n;
	return 0;
}

static int cmp_pid(const void *a, const void *b)
{
	const struct nspid_rec *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	/* stable for repeated pids: the earlier record first */
	return x->ids < y->ids ? -1 : x->ids > y->ids;
}

void map_sort(struct nspid_map *map)
{
	size_t i, out = 0;

	qsort(map->recs, map->nrecs, sizeof(*map->recs), cmp_pid);
	for (i = 0; i < map->nrecs; i++) {
		if (out && map->recs[out - 1].pid == map->recs[i].pid)
			continue;
		map->recs[out++] = map->recs[i];
	}
	map->nrecs = out;
}

int map_hidden(const struct nspid_map *map, const struct nspid_rec *rec)
{
	return rec->level > 0 && rec->pidns == 0 &&
	       map_nschain(map, rec)[0] != 0;
}

size_t map_nhidden(const struct nspid_map *map)
{
	size_t i, n = 0;

	for (i = 0; i < map->nrecs; i++)
		n += (size_t)map_hidden(map, &map->recs[i]);
	return n;
}

static int errf(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static int check_ids(const struct nspid_rec *r, const unsigned int *chain,
		     const unsigned int *nschain, char *err, size_t errlen)
{
	unsigned int i;

	for (i = 0; i <= r->level; i++) {
		if (chain[i] == 0 || chain[i] > NSPID_PID_MAX)
			return errf(err, errlen, "chain: id %u out of range",
				    chain[i]);
		/* the first element, the reader's own namespace, stays
		 * shown on a hidden row (SPEC §1.1) */
		if (r->pidns == 0 && i > 0 && nschain[i] != 0)
			return errf(err, errlen,
				    "nschain: %u where pidns is 0", nschain[i]);
	}
	if (chain[0] != r->pid)
		return errf(err, errlen, "chain starts with %u, pid is %u",
			    chain[0], r->pid);
	if (chain[r->level] != r->nspid)
		return errf(err, errlen, "chain ends with %u, nspid is %u",
			    chain[r->level], r->nspid);
	if (nschain[r->level] != r->pidns)
		return errf(err, errlen, "nschain ends with %u, pidns is %u",
			    nschain[r->level], r->pidns);
	return 0;
}

int map_check_rec(const struct nspid_rec *r, const unsigned int *chain,
		  const unsigned int *nschain, char *err, size_t errlen)
{
	if (!r->pid || !r->tgid || !r->nspid || !r->nstgid)
		return errf(err, errlen, "pid, tgid, nspid and nstgid must not be 0");
	if (r->pid > NSPID_PID_MAX || r->tgid > NSPID_PID_MAX ||
	    r->ppid > NSPID_PID_MAX || r->nspid > NSPID_PID_MAX ||
	    r->nstgid > NSPID_PID_MAX)
		return errf(err, errlen, "id above %u", NSPID_PID_MAX);
	if (r->level > NSPID_MAX_LEVEL)
		return errf(err, errlen, "level %u above %d", r->level,
			    NSPID_MAX_LEVEL);
	if (r->level == 0 && (r->pid != r->nspid || r->tgid != r->nstgid))
		return errf(err, errlen,
			    "level 0, but pid/tgid differ from nspid/nstgid");
	if ((r->pid == r->tgid) != (r->nspid == r->nstgid))
		return errf(err, errlen,
			    "thread group leader in one namespace only");
	return check_ids(r, chain, nschain, err, errlen);
}

/* A decimal without sign or leading zeros, at most max. */
static int parse_uint(const struct field *f, unsigned long max,
		      unsigned int *out)
{
	unsigned long v = 0;
	size_t i;

	if (f->len == 0 || f->len > 10 || (f->len > 1 && f->s[0] == '0'))
		return -1;
	for (i = 0; i < f->len; i++) {
		if (f->s[i] < '0' || f->s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(f->s[i] - '0');
	}
	if (v > max)
		return -1;
	*out = (unsigned int)v;
	return 0;
}

/*
 * memchr() for the short spans within a row: musl's memchr, tuned for long
 * buffers, was a quarter of what parsing a 30,000-row map cost (callgrind
 * on the static reader), called ten times a row for a few bytes each.
 */
static inline const char *span_end(const char *p, const char *end, char c)
{
	while (p < end && *p != c)
		p++;
	return p < end ? p : NULL;
}

/* "a:b:c" into want numbers; -1 on syntax, or the count found if it differs */
static int parse_list(const struct field *f, unsigned long max,
		      unsigned int *out, unsigned int want)
{
	struct field item;
	const char *p = f->s, *end = f->s + f->len, *colon;
	unsigned int n = 0;

	for (;;) {
		colon = span_end(p, end, ':');
		item.s = p;
		item.len = (size_t)((colon ? colon : end) - p);
		if (n < want && parse_uint(&item, max, &out[n]))
			return -1;
		n++;
		if (!colon || n > NSPID_MAX_LEVEL + 1)
			break;
		p = colon + 1;
	}
	return n == want ? 0 : (int)n;
}

static int octal3(const char *s, unsigned int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < 3; i++) {
		if (s[i] < '0' || s[i] > '7')
			return -1;
		*v = *v * 8 + (unsigned int)(s[i] - '0');
	}
	return *v > 0377 ? -1 : 0;
}

int comm_unescape(const char *s, size_t len, char *out, size_t outsz,
		  size_t *outlen)
{
	size_t i = 0, n = 0;
	unsigned int v;
	unsigned char c;

	while (i < len) {
		c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			return -1;		/* must have been escaped */
		if (c == '\\') {
			if (len - i < 4 || octal3(s + i + 1, &v) || v == 0)
				return -1;
			c = (unsigned char)v;
			i += 4;
		} else {
			i++;
		}
		if (n + 1 >= outsz)
			return -1;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	*outlen = n;
	return 0;
}

static int split(const char *line, size_t len, struct field *f)
{
	const char *p = line, *end = line + len, *tab;
	int n = 0;

	for (;;) {
		tab = span_end(p, end, '\t');
		if (n < NFIELDS) {
			f[n].s = p;
			f[n].len = (size_t)((tab ? tab : end) - p);
		}
		n++;
		if (!tab)
			return n;
		p = tab + 1;
	}
}

static int parse_numbers(struct nspid_parser *p, const struct field *f,
			 struct nspid_rec *r)
{
	unsigned int *dst[] = { &r->pid, &r->tgid, &r->ppid, &r->nspid,
				&r->nstgid, &r->pidns, &r->level };
	int i;

	for (i = F_PID; i <= F_LEVEL; i++) {
		unsigned long max = i == F_PIDNS ? 0xffffffffUL :
				    i == F_LEVEL ? NSPID_MAX_LEVEL :
				    NSPID_PID_MAX;

		if (parse_uint(&f[i], max, dst[i]))
			return errf(p->err, sizeof(p->err),
				    "line %lu: %s: not a number in 0..%lu",
				    p->line, field_names[i], max);
	}
	return 0;
}

static int list_err(struct nspid_parser *p, const char *name,
		    const char *what, int n, unsigned int level)
{
	if (n < 0)
		return errf(p->err, sizeof(p->err),
			    "line %lu: %s: not a list of %s", p->line, name,
			    what);
	if (n > NSPID_MAX_LEVEL + 1)
		return errf(p->err, sizeof(p->err),
			    "line %lu: %s has over %d %s", p->line, name,
			    NSPID_MAX_LEVEL + 1, what);
	return errf(p->err, sizeof(p->err),
		    "line %lu: %s has %d %s, level %u needs %u",
		    p->line, name, n, what, level, level + 1);
}

static int parse_chains(struct nspid_parser *p, const struct field *f,
			const struct nspid_rec *r, unsigned int *chain,
			unsigned int *nschain)
{
	unsigned int want = r->level + 1;
	int n;

	n = parse_list(&f[F_CHAIN], NSPID_PID_MAX, chain, want);
	if (n)
		return list_err(p, "chain", "ids", n, r->level);
	n = parse_list(&f[F_NSCHAIN], 0xffffffffUL, nschain, want);
	if (n)
		return list_err(p, "nschain", "inodes", n, r->level);
	return 0;
}

/* Rows ascend, each pid once: 0, or -1 with the message in p->err. */
static int check_order(struct nspid_parser *p, unsigned int pid)
{
	if (p->last_pid && pid <= p->last_pid)
		return errf(p->err, sizeof(p->err),
			    pid == p->last_pid ?
			    "line %lu: duplicate pid %u" :
			    "line %lu: pid %u after %u, rows must ascend",
			    p->line, pid, p->last_pid);
	p->last_pid = pid;
	return 0;
}

/*
 * The pid a row starts with, when it is one as parse_row() would take it
 * (1..NSPID_PID_MAX, no leading zero, then a tab): 0, else -1.
 */
static int lead_pid(const char *line, size_t len, unsigned int *pid)
{
	unsigned long v = 0;
	size_t i = 0;

	while (i < len && i < 8 && line[i] >= '0' && line[i] <= '9')
		v = v * 10 + (unsigned long)(line[i++] - '0');
	if (!i || i == len || line[i] != '\t' || line[0] == '0' ||
	    v > NSPID_PID_MAX)
		return -1;
	*pid = (unsigned int)v;
	return 0;
}

/* A row that is not wanted: its field count and its place in the order. */
static int skip_row(struct nspid_parser *p, const char *line, size_t len,
		    unsigned int pid)
{
	size_t i, tabs = 0;

	for (i = 0; i < len; i++)
		tabs += line[i] == '\t';
	if (tabs != NFIELDS - 1)
		return errf(p->err, sizeof(p->err),
			    "line %lu: %zu tab-separated fields, expected %d",
			    p->line, tabs + 1, NFIELDS);
	return check_order(p, pid);
}

/*
 * The fast path of parse_row(): one pass over the row, each number read
 * where its field starts. It accepts only rows the full parse accepts (each
 * number 1-10 digits, no leading zero, in range, then its separator; the
 * lists exactly level + 1 long; comm what comm_unescape() takes), so it
 * changes no answer; on anything else it gives up and the full parse says
 * what is wrong. Splitting the row first and then parsing each field cost
 * twice as much (callgrind, 30,000 rows).
 *
 * The byte after a row is never a digit (parser_feed() puts a newline
 * there), so a run of digits needs no bounds check: it ends there at the
 * latest. A longer run than 10 digits may wrap v; it is refused by its
 * length.
 */
static inline const char *fast_num(const char *s, unsigned long max,
				   char sep, unsigned int *out)
{
	const char *start = s;
	unsigned long v = 0;
	unsigned int d;

	while ((d = (unsigned int)(unsigned char)*s - '0') <= 9) {
		v = v * 10 + d;
		s++;
	}
	if (*s != sep || s == start || s - start > 10 || v > max ||
	    (*start == '0' && s - start > 1))
		return NULL;
	*out = (unsigned int)v;
	return s + 1;
}

/*
 * An inode: most rows repeat the namespaces of the row before, so when the
 * ten digits at s (and the separator after them) are the ones kept for
 * this place, the number is known without reading it. Else it is read and,
 * when ten digits long, kept. The same text, the same (valid) number.
 */
static inline const char *fast_inode(const char *s, const char *end,
				     struct nspid_inode_text *c, char sep,
				     unsigned int *out)
{
	const char *e;

	if (c->v && end - s > 10 && !memcmp(s, c->text, 10) && s[10] == sep) {
		*out = c->v;
		return s + 11;
	}
	e = fast_num(s, 0xffffffffUL, sep, out);
	if (e && e - s == 11 && *out) {
		memcpy(c->text, s, 10);
		c->v = *out;
	}
	return e;
}

static inline const char *fast_list(const char *s, unsigned long max,
				    unsigned int *out, unsigned int n)
{
	unsigned int i;

	for (i = 0; s && i + 1 < n; i++)
		s = fast_num(s, max, ':', &out[i]);
	return s ? fast_num(s, max, '\t', &out[i]) : NULL;
}

static inline const char *fast_inodes(const char *s, const char *end,
				      struct nspid_inode_text *c,
				      unsigned int *out, unsigned int n)
{
	unsigned int i;

	for (i = 0; s && i + 1 < n; i++)
		s = fast_inode(s, end, &c[i], ':', &out[i]);
	return s ? fast_inode(s, end, &c[i], '\t', &out[i]) : NULL;
}

/* The ten numbers and the two lists, up to the comm: where it starts, or
 * NULL. end: the row's newline, or (in place) the chunk's last one. */
static const char *fast_ids(struct nspid_parser *p, const char *s,
			    const char *end, struct nspid_rec *r,
			    unsigned int *chain, unsigned int *nschain)
{
	s = fast_num(s, NSPID_PID_MAX, '\t', &r->pid);
	s = s ? fast_num(s, NSPID_PID_MAX, '\t', &r->tgid) : NULL;
	s = s ? fast_num(s, NSPID_PID_MAX, '\t', &r->ppid) : NULL;
	s = s ? fast_num(s, NSPID_PID_MAX, '\t', &r->nspid) : NULL;
	s = s ? fast_num(s, NSPID_PID_MAX, '\t', &r->nstgid) : NULL;
	s = s ? fast_inode(s, end, &p->ino[0], '\t', &r->pidns) : NULL;
	s = s ? fast_num(s, NSPID_MAX_LEVEL, '\t', &r->level) : NULL;
	s = s ? fast_list(s, NSPID_PID_MAX, chain, r->level + 1) : NULL;
	return s ? fast_inodes(s, end, &p->ino[1], nschain, r->level + 1) :
		   NULL;
}

static int fast_row(struct nspid_parser *p, const char *line, size_t len,
		    struct nspid_rec *r, unsigned int *chain,
		    unsigned int *nschain)
{
	const char *end = line + len;
	const char *s = fast_ids(p, line, end, r, chain, nschain);

	if (!s || s > end)
		return -1;
	return comm_unescape(s, (size_t)(end - s), r->comm, NSPID_COMM_MAX,
			     &r->commlen);
}

/* Room for one more record of any level and its name, so a row is
 * parsed in place. */
static int map_reserve(struct nspid_map *map)
{
	if (grow((void **)&map->recs, &map->recs_cap, map->nrecs + 1,
		 sizeof(*map->recs)) || !names_room(map))
		return -1;
	map->recs[map->nrecs].comm = map->names;
	return grow_ids(map, map->nids + NSPID_MAX_LEVEL + 1);
}

/*
 * A row where it lies, its end found on the way: the comm runs up to the
 * row's newline (a raw control byte there is refused anyway), so the line
 * needs no search for its end first. Called only before a newline known
 * to be in the data (last: the chunk's last one); the record is kept, and
 * the newline's address returned. NULL: whatever the fast path does not
 * take (CR LF, a bad row, one out of order), for parse_line() to refuse
 * with its message, or to parse the usual way.
 */
static const char *fast_line(struct nspid_parser *p, const char *line,
			     const char *last)
{
	struct nspid_map *map = p->map;
	struct nspid_rec *r;
	unsigned int *chain, *nschain, v;
	const char *s = line;
	unsigned char c;
	size_t n = 0;

	if (map_reserve(map))
		return NULL;
	r = &map->recs[map->nrecs];
	chain = map->chain + map->nids;
	nschain = map->nschain + map->nids;
	s = fast_ids(p, s, last, r, chain, nschain);
	if (!s)
		return NULL;
	/* comm, as comm_unescape() takes it; octal3() stops at a newline */
	for (;;) {
		c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f)
			break;
		if (c == '\\') {
			if (octal3(s + 1, &v) || v == 0)
				return NULL;
			c = (unsigned char)v;
			s += 4;
		} else {
			s++;
		}
		if (n + 1 >= NSPID_COMM_MAX)
			return NULL;
		r->comm[n++] = (char)c;
	}
	if (*s != '\n')
		return NULL;
	r->comm[n] = '\0';
	r->commlen = n;
	if (map_check_rec(r, chain, nschain, p->err, sizeof(p->err)) ||
	    (p->last_pid && r->pid <= p->last_pid))
		return NULL;
	names_keep(map, n);
	p->last_pid = r->pid;
	r->line = p->line;
	r->ids = map->nids;
	map->nrecs++;
	map->nids += r->level + 1;
	return s;
}

static int parse_row(struct nspid_parser *p, const char *line, size_t len)
{
	struct nspid_map *map = p->map;
	struct field f[NFIELDS];
	struct nspid_rec r, *in;
	unsigned int chain[NSPID_MAX_LEVEL + 1], nschain[NSPID_MAX_LEVEL + 1];
	char why[NSPID_ERR_MAX - 32], comm[NSPID_COMM_MAX];
	int n;

	if (map_reserve(map))
		return errf(p->err, sizeof(p->err), "line %lu: out of memory",
			    p->line);
	/* The usual row goes straight into the map's arrays. */
	in = &map->recs[map->nrecs];
	if (!fast_row(p, line, len, in, map->chain + map->nids,
		      map->nschain + map->nids)) {
		if (map_check_rec(in, map->chain + map->nids,
				  map->nschain + map->nids, why, sizeof(why)))
			return errf(p->err, sizeof(p->err), "line %lu: %s",
				    p->line, why);
		if (check_order(p, in->pid))
			return -1;
		in->line = p->line;
		in->ids = map->nids;
		names_keep(map, in->commlen);
		map->nrecs++;
		map->nids += in->level + 1;
		return 0;
	}
	memset(&r, 0, sizeof(r));
	r.comm = comm;
	n = split(line, len, f);
	if (n != NFIELDS)
		return errf(p->err, sizeof(p->err),
			    "line %lu: %d tab-separated fields, expected %d",
			    p->line, n, NFIELDS);
	if (parse_numbers(p, f, &r) || parse_chains(p, f, &r, chain, nschain))
		return -1;
	if (comm_unescape(f[F_COMM].s, f[F_COMM].len, r.comm,
			  sizeof(comm), &r.commlen))
		return errf(p->err, sizeof(p->err),
			    "line %lu: comm: bad escape, raw control byte or longer than %d bytes",
			    p->line, NSPID_COMM_MAX - 1);
	if (map_check_rec(&r, chain, nschain, why, sizeof(why)))
		return errf(p->err, sizeof(p->err), "line %lu: %s", p->line, why);
	if (check_order(p, r.pid))
		return -1;
	r.line = p->line;
	if (map_add(map, &r, chain, nschain))
		return errf(p->err, sizeof(p->err), "line %lu: out of memory",
			    p->line);
	return 0;
}

static int parse_line(struct nspid_parser *p, const char *line, size_t len)
{
	unsigned int pid;

	if ((len && line[len - 1] == '\r') ||
	    (p->len && p->buf[p->len - 1] == '\r'))
		return errf(p->err, sizeof(p->err),
			    "line %lu: ends in CR LF (a DOS text file?); the map's lines end in LF alone: convert it with dos2unix or tr -d '\\r'",
			    p->line);
	if (p->line == 1) {
		if (len == 0 || line[0] != '#')
			return errf(p->err, sizeof(p->err),
				    "line 1: not a nspid_map header (must start with '#')");
		return 0;
	}
	/* Looking up: rows before a wanted one are only skimmed; a row
	 * whose pid is malformed is parsed whole, for its precise message. */
	if (p->nwant && !lead_pid(line, len, &pid)) {
		while (p->wanti < p->nwant && p->want[p->wanti] < pid)
			p->wanti++;
		if (p->wanti == p->nwant || p->want[p->wanti] != pid)
			return skip_row(p, line, len, pid);
	}
	return parse_row(p, line, len);
}

void parser_init(struct nspid_parser *p, struct nspid_map *map)
{
	memset(p, 0, sizeof(*p));
	p->map = map;
	p->line = 1;
}

int parser_feed(struct nspid_parser *p, const char *data, size_t n)
{
	const char *nl, *last, *e;
	size_t take;

	while (!p->failed && n) {
		/* Every row before the chunk's last newline is whole: parsed
		 * where it lies, one by one, until one needs the usual way. */
		if (!p->len && !p->nwant && p->line > 1 &&
		    (last = memrchr(data, '\n', n))) {
			while (data <= last && (e = fast_line(p, data, last))) {
				n -= (size_t)(e + 1 - data);
				data = e + 1;
				p->line++;
			}
			if (!n)
				break;
		}
		nl = memchr(data, '\n', n);
		take = nl ? (size_t)(nl - data) : n;
		if (p->len + take > NSPID_LINE_MAX) {
			p->failed = 1;
			return errf(p->err, sizeof(p->err),
				    "line %lu: longer than %d bytes",
				    p->line, NSPID_LINE_MAX);
		}
		if (!nl || p->len) {
			memcpy(p->buf + p->len, data, take);
			p->len += take;
		}
		data += take;
		n -= take;
		if (!nl)
			break;
		data++;
		n--;
		/* A whole line in @data is parsed where it is, not copied;
		 * either way a newline follows it (fast_num() relies on it). */
		p->buf[p->len] = '\n';
		if (p->len ? parse_line(p, p->buf, p->len) :
			     parse_line(p, data - take - 1, take)) {
			p->failed = 1;
			return -1;
		}
		p->line++;
		p->len = 0;
	}
	return p->failed ? -1 : 0;
}

int parser_finish(struct nspid_parser *p)
{
	if (p->failed)
		return -1;
	if (p->line == 1 && p->len == 0) {
		p->failed = 1;
		return errf(p->err, sizeof(p->err),
			    "line 1: empty input, no nspid_map header");
	}
	if (p->len) {
		p->failed = 1;
		return errf(p->err, sizeof(p->err),
			    "line %lu: truncated, no newline at the end",
			    p->line);
	}
	if (!p->last_pid) {
		/* the module always shows at least the reader's own task */
		p->failed = 1;
		return errf(p->err, sizeof(p->err),
			    "line %lu: no rows after the header: not a map",
			    p->line);
	}
	return 0;
}

int parse_fd(int fd, struct nspid_map *map, char *err, size_t errlen)
{
	return parse_fd_want(fd, map, NULL, 0, err, errlen);
}

int parse_fd_want(int fd, struct nspid_map *map, const unsigned int *want,
		  size_t nwant, char *err, size_t errlen)
{
	struct nspid_parser *p = malloc(sizeof(*p));
	unsigned int upto = nwant ? want[nwant - 1] : 0;
	char buf[65536];
	ssize_t n;
	int rc = 0;

	if (!p)
		return errf(err, errlen, "out of memory");
	parser_init(p, map);
	p->want = want;
	p->nwant = nwant;
	while (!rc) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = errf(err, errlen, "line %lu: read error: %s",
				  p->line, strerror(errno));
			break;
		}
		if (n == 0) {
			rc = parser_finish(p);
			break;
		}
		rc = parser_feed(p, buf, (size_t)n);
		/* Rows ascend: every row at or below upto has been seen. */
		if (!rc && upto && p->last_pid >= upto)
			break;
	}
	if (rc && p->failed)
		snprintf(err, errlen, "%s", p->err);
	free(p);
	return rc;
}

int parse_buf(const char *data, size_t n, struct nspid_map *map,
	      char *err, size_t errlen)
{
	struct nspid_parser *p = malloc(sizeof(*p));
	int rc;

	if (!p)
		return errf(err, errlen, "out of memory");
	parser_init(p, map);
	rc = parser_feed(p, data, n);
	if (!rc)
		rc = parser_finish(p);
	if (rc)
		snprintf(err, errlen, "%s", p->err);
	free(p);
	return rc;
}
