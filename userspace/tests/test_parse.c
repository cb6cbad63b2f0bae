// SPDX-License-Identifier: GPL-2.0
/* Unit tests for parse.c: hand-written maps, good and bad. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "t.h"
#include "util.h"

#define HDR "# pid\ttgid\tppid\tnspid\tnstgid\tpidns\tlevel\tchain\tnschain\tcomm\n"
#define ROW1 "1\t1\t0\t1\t1\t4026531836\t0\t1\t4026531836\tinit\n"

static char err[NSPID_ERR_MAX];

/* Parse text; on failure err holds the message. */
static int p(const char *text, struct nspid_map *map)
{
	map_init(map);
	err[0] = '\0';
	return parse_buf(text, strlen(text), map, err, sizeof(err));
}

/* text must fail with a message starting with prefix */
static void bad(const char *text, const char *prefix)
{
	struct nspid_map m;

	CHECK(p(text, &m) == -1);
	CHECK_PREFIX(err, prefix);
	map_free(&m);
}

static void ok1(const char *row, struct nspid_map *m)
{
	char buf[8192];

	snprintf(buf, sizeof(buf), HDR ROW1 "%s", row);
	CHECK(p(buf, m) == 0);
	if (err[0])
		fprintf(stderr, "# unexpected error: %s\n", err);
}

static void scene_records(void)
{
	struct nspid_map m;
	const struct nspid_rec *r;

	CHECK(load_map("scene.map", &m, err) == 0);
	CHECK(m.nrecs == 12);
	if (m.nrecs != 12)
		return;
	r = &m.recs[7];		/* 7010 nested, two levels down */
	CHECK(r->pid == 7010 && r->tgid == 7010 && r->ppid == 7000);
	CHECK(r->nspid == 1 && r->nstgid == 1 && r->level == 2);
	CHECK(r->pidns == 4026532602U);
	CHECK(map_chain(&m, r)[0] == 7010 && map_chain(&m, r)[1] == 4 &&
	      map_chain(&m, r)[2] == 1);
	CHECK(map_nschain(&m, r)[0] == 4026531836U &&
	      map_nschain(&m, r)[1] == 4026532571U &&
	      map_nschain(&m, r)[2] == 4026532602U);
	CHECK_STR(r->comm, "nested");
	r = &m.recs[5];		/* thread 6077 of 6052 */
	CHECK(r->pid == 6077 && r->tgid == 6052 && r->nspid == 5 &&
	      r->nstgid == 1 && r->ppid == 6001);
	CHECK_STR(r->comm, "worker 0");
	map_free(&m);
}

static void escaped_comm(void)
{
	struct nspid_map m;

	CHECK(load_map("scene.map", &m, err) == 0);
	if (m.nrecs != 12)
		return;
	CHECK_STR(m.recs[4].comm, "tab\tname");
	CHECK(m.recs[4].commlen == 8);
	CHECK_STR(m.recs[8].comm, "nl\nbs\\del\x7f");
	CHECK(m.recs[8].commlen == 10);
	CHECK_STR(m.recs[11].comm, "caf\xc3\xa9");	/* raw UTF-8 kept */
	map_free(&m);
}

static void comm_edge_cases(void)
{
	struct nspid_map m;
	char row[512], comm[80];

	ok1("2\t2\t0\t2\t2\t4026531836\t0\t2\t4026531836\t\n", &m);
	CHECK(m.nrecs == 2 && m.recs[1].commlen == 0);	/* prctl(PR_SET_NAME, "") */
	map_free(&m);
	ok1("2\t2\t0\t2\t2\t4026531836\t0\t2\t4026531836\t\\377\\001x y\n", &m);
	CHECK(m.nrecs == 2 && !strcmp(m.recs[1].comm, "\xff\x01x y"));
	map_free(&m);
	memset(comm, 'a', 63);
	comm[63] = '\0';
	snprintf(row, sizeof(row), HDR ROW1
		 "2\t2\t0\t2\t2\t4026531836\t0\t2\t4026531836\t%s\n", comm);
	CHECK(p(row, &m) == 0 && m.recs[1].commlen == 63);
	map_free(&m);
	snprintf(row, sizeof(row), HDR ROW1
		 "2\t2\t0\t2\t2\t4026531836\t0\t2\t4026531836\t%sb\n", comm);
	bad(row, "line 3: comm:");
}

static void bad_escapes(void)
{
	static const char *const comms[] = {
		"a\\01", "a\\0", "\\400", "\\000", "\\q12", "x\\", "\\8",
		"raw\001", "raw\177", "c\rr",
	};
	char row[256];
	size_t i;

	for (i = 0; i < sizeof(comms) / sizeof(comms[0]); i++) {
		snprintf(row, sizeof(row), HDR ROW1
			 "2\t2\t0\t2\t2\t4026531836\t0\t2\t4026531836\t%s\n",
			 comms[i]);
		bad(row, "line 3: comm:");
	}
}

static void empty_and_header(void)
{
	struct nspid_map m;

	bad("", "line 1: empty input");
	bad(ROW1, "line 1: not a nspid_map header");
	bad("\n", "line 1: not a nspid_map header");
	/* the module always shows the reader's own task: not a map */
	bad(HDR, "line 2: no rows after the header: not a map");
	(void)m;
}

/* A DOS copy is reported as such, whichever line shows it first. */
static void crlf(void)
{
	bad("# pid\ttgid\tppid\tnspid\tnstgid\tpidns\tlevel\tchain\tnschain\tcomm\r\n"
	    "1\t1\t0\t1\t1\t4026531836\t0\t1\t4026531836\tinit\r\n",
	    "line 1: ends in CR LF (a DOS text file?)");
	bad(HDR ROW1 "2\t2\t0\t2\t2\t4026531836\t0\t2\t4026531836\tk\r\n",
	    "line 3: ends in CR LF");
}

/*
 * SPEC §1.1: a task the reader may not ptrace-read shows pidns 0 and
 * nschain 0 after the first element, its reader's namespace.
 */
static void hidden_rows(void)
{
	struct nspid_map m;

	ok1("9\t9\t1\t1\t1\t0\t1\t9:1\t4026531836:0\tx\n"
	    "10\t10\t9\t2\t2\t0\t2\t10:2:2\t4026531836:0:0\ty\n", &m);
	CHECK(m.nrecs == 3);
	if (m.nrecs == 3) {
		CHECK(!map_hidden(&m, &m.recs[0]));
		CHECK(map_hidden(&m, &m.recs[1]) && map_hidden(&m, &m.recs[2]));
		CHECK(map_nhidden(&m) == 2);
		CHECK(m.recs[1].line == 3 && m.recs[2].line == 4);
	}
	map_free(&m);
	/* pre-3.8: all zeros, not hidden */
	CHECK(load_map("old.map", &m, err) == 0);
	CHECK(map_nhidden(&m) == 0);
	map_free(&m);
	/* a middle element shown while pidns is hidden: not the module's */
	bad(HDR ROW1 "10\t10\t9\t2\t2\t0\t2\t10:2:2\t4026531836:4026532571:0\ty\n",
	    "line 3: nschain: 4026532571 where pidns is 0");
}

static void truncated(void)
{
	bad(HDR "1\t1\t0\t1\t1\t4026531836\t0\t1\t4026531836\tin",
	    "line 2: truncated");
	bad(HDR ROW1 "2\t2\t0\t2", "line 3: truncated");
	bad("# pid", "line 1: truncated");
	bad(HDR ROW1 "2\t2\t0\t2\n", "line 3: 4 tab-separated fields");
}

static void field_count(void)
{
	bad(HDR "1\t1\t0\t1\t1\t4026531836\t0\t1\t4026531836\n",
	    "line 2: 9 tab-separated fields, expected 10");
	bad(HDR "1\t1\t0\t1\t1\t4026531836\t0\t1\t4026531836\tinit\tx\n",
	    "line 2: 11 tab-separated fields");
	bad(HDR "1\t1\t0\t1\t1\t4026531836\t0\t1\t\t4026531836\tinit\n",
	    "line 2: 11 tab-separated fields");
	bad(HDR ROW1 "\n", "line 3: 1 tab-separated fields");
}

static void non_numeric(void)
{
	bad(HDR "x\t1\t0\t1\t1\t4026531836\t0\t1\t4026531836\tinit\n",
	    "line 2: pid: not a number");
	bad(HDR "1\t1a\t0\t1\t1\t4026531836\t0\t1\t4026531836\tinit\n",
	    "line 2: tgid: not a number");
	bad(HDR "1\t1\t-1\t1\t1\t4026531836\t0\t1\t4026531836\tinit\n",
	    "line 2: ppid: not a number");
	bad(HDR "1\t1\t0\t+1\t1\t4026531836\t0\t1\t4026531836\tinit\n",
	    "line 2: nspid: not a number");
	bad(HDR "1\t1\t0\t1\t01\t4026531836\t0\t1\t4026531836\tinit\n",
	    "line 2: nstgid: not a number");
	bad(HDR "1\t1\t0\t1\t1\t\t0\t1\t4026531836\tinit\n",
	    "line 2: pidns: not a number");
	bad(HDR "1\t1\t0\t1\t1\t4026531836\t 0\t1\t4026531836\tinit\n",
	    "line 2: level: not a number");
	bad(HDR "1\t1\t0\t1\t1\t4026531836\t0\t1x\t4026531836\tinit\n",
	    "line 2: chain: not a list");
	bad(HDR "1\t1\t0\t1\t1\t4026531836\t0\t1\t4026531836:\tinit\n",
	    "line 2: nschain has 2 inodes");
}

static void out_of_range(void)
{
	bad(HDR "4194305\t4194305\t0\t4194305\t4194305\t4026531836\t0\t4194305\t4026531836\tx\n",
	    "line 2: pid: not a number in 0..4194304");
	bad(HDR "1\t1\t0\t1\t1\t4294967296\t0\t1\t4294967296\tinit\n",
	    "line 2: pidns: not a number");
	bad(HDR "1\t1\t0\t1\t1\t4026531836\t33\t1\t4026531836\tinit\n",
	    "line 2: level: not a number in 0..32");
	bad(HDR "1\t1\t0\t1\t1\t4026531836\t0\t99999999999\t4026531836\tinit\n",
	    "line 2: chain: not a list");
	bad(HDR "9\t9\t1\t1\t1\t4026532602\t2\t9:0:1\t4026531836:4026532571:4026532602\tx\n",
	    "line 2: chain: id 0 out of range");
	bad(HDR "0\t1\t0\t1\t1\t4026531836\t0\t0\t4026531836\tinit\n",
	    "line 2: pid, tgid, nspid and nstgid must not be 0");
	bad(HDR "1\t0\t0\t1\t1\t4026531836\t0\t1\t4026531836\tinit\n",
	    "line 2: pid, tgid, nspid and nstgid must not be 0");
	bad(HDR "5\t5\t0\t0\t0\t4026531836\t1\t5:0\t1:4026531836\tx\n",
	    "line 2: pid, tgid, nspid and nstgid must not be 0");
}

static void chain_lengths(void)
{
	char row[1024];
	int i, n;

	bad(HDR "9\t9\t1\t1\t1\t4026532571\t1\t9\t4026531836:4026532571\tx\n",
	    "line 2: chain has 1 ids, level 1 needs 2");
	bad(HDR "9\t9\t1\t1\t1\t4026532571\t1\t9:3:1\t4026531836:4026532571\tx\n",
	    "line 2: chain has 3 ids, level 1 needs 2");
	bad(HDR "9\t9\t1\t1\t1\t4026532571\t1\t9:1\t4026532571\tx\n",
	    "line 2: nschain has 1 inodes, level 1 needs 2");
	n = snprintf(row, sizeof(row), HDR "9\t9\t1\t1\t1\t4026532571\t1\t9");
	for (i = 0; i < 40; i++)
		n += snprintf(row + n, sizeof(row) - (size_t)n, ":1");
	snprintf(row + n, sizeof(row) - (size_t)n, "\t1:4026532571\tx\n");
	bad(row, "line 2: chain has over 33 ids");
}

static void chain_ends(void)
{
	bad(HDR "9\t9\t1\t1\t1\t4026532571\t1\t8:1\t4026531836:4026532571\tx\n",
	    "line 2: chain starts with 8, pid is 9");
	bad(HDR "9\t9\t1\t1\t1\t4026532571\t1\t9:2\t4026531836:4026532571\tx\n",
	    "line 2: chain ends with 2, nspid is 1");
	bad(HDR "9\t9\t1\t1\t1\t4026532571\t1\t9:1\t4026531836:4026532572\tx\n",
	    "line 2: nschain ends with 4026532572, pidns is 4026532571");
	bad(HDR "9\t9\t1\t1\t1\t0\t1\t9:1\t4026531836:5\tx\n",
	    "line 2: nschain: 5 where pidns is 0");
	bad(HDR "9\t9\t1\t1\t1\t4026531836\t0\t9\t4026531836\tx\n",
	    "line 2: level 0, but pid/tgid differ");
	bad(HDR "9\t8\t1\t1\t1\t4026532571\t1\t9:1\t4026531836:4026532571\tx\n",
	    "line 2: thread group leader in one namespace only");
}

static void duplicates_and_order(void)
{
	struct nspid_map m;

	bad(HDR ROW1 ROW1, "line 3: duplicate pid 1");
	bad(HDR "2\t2\t0\t2\t2\t4026531836\t0\t2\t4026531836\tb\n" ROW1,
	    "line 3: pid 1 after 2, rows must ascend");
	CHECK(load_map("duplicate.map", &m, err) == -1);
	CHECK_PREFIX(err, "line 5: duplicate pid 6001");
	map_free(&m);
}

static void long_line_bounded(void)
{
	struct nspid_parser *ps = malloc(sizeof(*ps));
	struct nspid_map m;
	char chunk[65536];
	int i, rc = 0;

	map_init(&m);
	parser_init(ps, &m);
	memset(chunk, 'a', sizeof(chunk));
	CHECK(parser_feed(ps, HDR, strlen(HDR)) == 0);
	for (i = 0; i < 160 && !rc; i++)	/* 10 MiB with no newline */
		rc = parser_feed(ps, chunk, sizeof(chunk));
	CHECK(rc == -1 && i == 1);
	CHECK_STR(ps->err, "line 2: longer than 4096 bytes");
	CHECK(parser_feed(ps, "\n", 1) == -1);		/* stays failed */
	CHECK(parser_finish(ps) == -1);
	free(ps);
	map_free(&m);
}

/* Every field and the name (comm lives in each map's own store). */
static int same_rec(const struct nspid_rec *a, const struct nspid_rec *b)
{
	return a->pid == b->pid && a->tgid == b->tgid && a->ppid == b->ppid &&
	       a->nspid == b->nspid && a->nstgid == b->nstgid &&
	       a->pidns == b->pidns && a->level == b->level &&
	       a->line == b->line && a->ids == b->ids &&
	       a->commlen == b->commlen &&
	       !memcmp(a->comm, b->comm, a->commlen + 1);
}

static void one_byte_chunks(void)
{
	struct nspid_parser *ps = malloc(sizeof(*ps));
	struct nspid_map whole, bytes;
	FILE *f;
	int c, rc = 0;
	size_t i;
	char ch;

	CHECK(load_map("scene.map", &whole, err) == 0);
	f = fopen("tests/maps/scene.map", "r");
	map_init(&bytes);
	parser_init(ps, &bytes);
	while (f && !rc && (c = getc(f)) != EOF) {
		ch = (char)c;
		rc = parser_feed(ps, &ch, 1);
	}
	CHECK(f && rc == 0 && parser_finish(ps) == 0);
	CHECK(bytes.nrecs == whole.nrecs && bytes.nids == whole.nids);
	for (i = 0; i < whole.nrecs && i < bytes.nrecs; i++)
		CHECK(same_rec(&whole.recs[i], &bytes.recs[i]));
	CHECK(!memcmp(whole.chain, bytes.chain, whole.nids * sizeof(int)));
	if (f)
		fclose(f);
	free(ps);
	map_free(&whole);
	map_free(&bytes);
}

/* ~10 MB map: 100000 tasks, three levels; fed in 4000-byte chunks. */
static void big_map(void)
{
	struct nspid_parser *ps = malloc(sizeof(*ps));
	struct nspid_map m;
	char line[256];
	size_t total = 0;
	unsigned int pid;
	clock_t t0 = clock();
	int n, rc;

	map_init(&m);
	parser_init(ps, &m);
	rc = parser_feed(ps, HDR, strlen(HDR));
	for (pid = 1; pid <= 100000 && !rc; pid++) {
		n = snprintf(line, sizeof(line),
			     "%u\t%u\t%u\t%u\t%u\t4026532602\t2\t%u:%u:%u\t"
			     "4026531836:4026532571:4026532602\t"
			     "generated-\\011-%05u-padding-padding-padding-padding\n",
			     pid, pid, pid > 1 ? pid - 1 : 0, pid, pid,
			     pid, pid, pid, pid % 100000);
		rc = parser_feed(ps, line, (size_t)n);
		total += (size_t)n;
	}
	CHECK(rc == 0 && parser_finish(ps) == 0);
	CHECK(total > 10000000);
	CHECK(m.nrecs == 100000 && m.nids == 300000);
	CHECK(m.nrecs == 100000 && m.recs[99999].pid == 100000 &&
	      m.recs[99999].commlen == 49);
	fprintf(stderr, "# big_map: %zu bytes parsed in %.2f s\n", total,
		(double)(clock() - t0) / CLOCKS_PER_SEC);
	free(ps);
	map_free(&m);
}

static void sort_dedup(void)
{
	struct nspid_map m;
	struct nspid_rec r;
	unsigned int c[1], ns[1] = { 7 };
	unsigned int pids[] = { 30, 10, 20, 10, 5 };
	char comm[2] = "";
	size_t i;

	map_init(&m);
	memset(&r, 0, sizeof(r));
	r.comm = comm;
	r.commlen = 1;
	for (i = 0; i < 5; i++) {
		r.pid = r.tgid = r.nspid = r.nstgid = c[0] = pids[i];
		r.pidns = 7;
		comm[0] = (char)('a' + i);
		CHECK(map_add(&m, &r, c, ns) == 0);
	}
	map_sort(&m);
	CHECK(m.nrecs == 4);
	CHECK(m.recs[0].pid == 5 && m.recs[1].pid == 10 &&
	      m.recs[2].pid == 20 && m.recs[3].pid == 30);
	CHECK(m.recs[1].comm[0] == 'b');	/* the first 10 wins */
	CHECK(map_chain(&m, &m.recs[3])[0] == 30);
	map_free(&m);
}

/* A temporary file holding text, positioned at 0. */
static int text_fd(const char *text, char *path)
{
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	return fd;
}

/*
 * parse_fd_want stops once the highest wanted pid is passed: a bad line
 * after it goes unread, and is reported when reading whole. Only the wanted
 * rows are kept.
 */
static void stop_after_pid(void)
{
	const char *text = HDR ROW1
		"5\t5\t1\t5\t5\t4026531836\t0\t5\t4026531836\tsh\n"
		"7\t7\t1\t7\t7\t4026531836\t0\t7\t4026531836\tsh\n"
		"9\t9\t1\t9\t9\t4026531836\t0\t9\t4026531836\tbroken";
	const unsigned int seven[] = { 7 }, two[] = { 1, 7 }, absent[] = { 6 };
	char path[] = "/tmp/nspid-want-XXXXXX";
	struct nspid_map m;
	int fd = text_fd(text, path);

	map_init(&m);
	CHECK(parse_fd_want(fd, &m, seven, 1, err, sizeof(err)) == 0);
	CHECK(m.nrecs == 1 && m.recs[0].pid == 7 && !strcmp(m.recs[0].comm, "sh"));
	map_free(&m);

	map_init(&m);
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	CHECK(parse_fd_want(fd, &m, two, 2, err, sizeof(err)) == 0);
	CHECK(m.nrecs == 2 && m.recs[0].pid == 1 && m.recs[1].pid == 7);
	CHECK(!strcmp(m.recs[0].comm, "init"));
	map_free(&m);

	/* 6 is not there: reading stops at 7, nothing is kept */
	map_init(&m);
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	CHECK(parse_fd_want(fd, &m, absent, 1, err, sizeof(err)) == 0);
	CHECK(m.nrecs == 0);
	map_free(&m);

	map_init(&m);
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	CHECK(parse_fd_want(fd, &m, NULL, 0, err, sizeof(err)) == -1);
	CHECK_PREFIX(err, "line 5: truncated");
	map_free(&m);
	close(fd);
	unlink(path);
}

/*
 * Rows passed over on the way to a wanted one are still checked for their
 * pid, field count and order; the wanted row is checked whole.
 */
static void want_checks_skipped_rows(void)
{
	static const struct {
		const char *text, *err;
	} cases[] = {
		{ HDR ROW1 "5\t5\t1\t5\t5\t4026531836\t0\t5\tsh\n" ROW1,
		  "line 3: 9 tab-separated fields, expected 10" },
		{ HDR "5\t5\t1\t5\t5\t4026531836\t0\t5\t4026531836\tsh\n" ROW1,
		  "line 3: pid 1 after 5, rows must ascend" },
		{ HDR ROW1 ROW1, "line 3: duplicate pid 1" },
		{ HDR "x\t5\t1\t5\t5\t4026531836\t0\t5\t4026531836\tsh\n",
		  "line 2: pid: not a number" },
		{ HDR "05\t5\t1\t5\t5\t4026531836\t0\t5\t4026531836\tsh\n",
		  "line 2: pid: not a number" },
		{ HDR "7\t7\t1\t7\t7\t4026531836\t0\t7\t4026531836\tb\\9ad\n",
		  "line 2: comm: bad escape" },
	};
	const unsigned int want[] = { 7 };
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[] = "/tmp/nspid-want-XXXXXX";
		struct nspid_map m;
		int fd = text_fd(cases[i].text, path);

		map_init(&m);
		CHECK(parse_fd_want(fd, &m, want, 1, err, sizeof(err)) == -1);
		CHECK_PREFIX(err, cases[i].err);
		map_free(&m);
		close(fd);
		unlink(path);
	}
}

int main(int argc, char **argv)
{
	if (argc > 1)
		t_mapdir = argv[1];
	RUN(scene_records);
	RUN(escaped_comm);
	RUN(comm_edge_cases);
	RUN(bad_escapes);
	RUN(empty_and_header);
	RUN(crlf);
	RUN(hidden_rows);
	RUN(truncated);
	RUN(field_count);
	RUN(non_numeric);
	RUN(out_of_range);
	RUN(chain_lengths);
	RUN(chain_ends);
	RUN(duplicates_and_order);
	RUN(long_line_bounded);
	RUN(one_byte_chunks);
	RUN(stop_after_pid);
	RUN(want_checks_skipped_rows);
	RUN(big_map);
	RUN(sort_dedup);
	return T_DONE();
}
