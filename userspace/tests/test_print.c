// SPDX-License-Identifier: GPL-2.0
/* Unit tests for print.c: exact output for the scene map. */
#include <stdlib.h>

#include "t.h"
#include "util.h"
#include "../dump.h"
#include "../print.h"
#include "../tree.h"

static char err[NSPID_ERR_MAX];
static struct nspid_map scene;
static char *out;
static size_t outlen;

static FILE *mem(void)
{
	free(out);
	out = NULL;
	return open_memstream(&out, &outlen);
}

static const char *done(FILE *f)
{
	fclose(f);
	return out;
}

static struct procinfo_set nopi;

/* A context for the scene with the columns given (-1 terminated). */
static struct print_ctx ctx(const int *cols, int json)
{
	struct print_ctx x = { .map = &scene, .pi = &nopi, .json = json,
			       .source = "file" };
	size_t n = 0;

	while (cols && cols[n] >= 0)
		n++;
	x.cols = cols;
	x.ncols = n;
	return x;
}

/* Rows of every process (threads: every task) of m. */
static size_t all_rows(const struct nspid_map *m, int threads,
		       struct prow *rows)
{
	size_t i, n = 0;

	for (i = 0; i < m->nrecs; i++)
		if (threads || m->recs[i].pid == m->recs[i].tgid)
			rows[n++].rec = &m->recs[i];
	return n;
}

static int defaults[COLS_MAX + 1];

static const int *dflt(enum col_kind kind, int threads, int json)
{
	size_t n = columns_default(kind, threads, json, defaults);

	defaults[n] = -1;
	return defaults;
}

static void table(void)
{
	struct prow rows[32];
	struct print_ctx x = ctx(dflt(CK_TABLE, 0, 0), 0);
	FILE *f = mem();

	CHECK(print_rows(f, &x, rows, all_rows(&scene, 0, rows)) == 0);
	CHECK_STR(done(f),
" PID NSPID PPID      PIDNS LEVEL COMMAND\n"
"   1     1    0 4026531836     0 init\n"
"   2     2    0 4026531836     0 kthreadd\n"
"6001  6001    1 4026531836     0 containerd-shim\n"
"6052     1 6001 4026532571     1 sh\n"
"6060     2 6052 4026532571     1 tab\\011name\n"
"7000     3 6052 4026532571     1 unshare\n"
"7010     1 7000 4026532602     2 nested\n"
"7011     2 7010 4026532602     2 nl\\012bs\\134del\\177\n"
"7020     1 6001 4026532700     1 other\n"
"7021     2 7020 4026532700     1 caf\xc3\xa9\n");
}

/* -L: PID is the process, TID the thread (as ps -L has PID and LWP) */
static void table_threads(void)
{
	struct prow rows[32];
	struct print_ctx x = ctx(dflt(CK_TABLE, 1, 0), 0);
	FILE *f = mem();
	const char *s;

	CHECK(print_rows(f, &x, rows, all_rows(&scene, 1, rows)) == 0);
	s = done(f);
	CHECK(!strncmp(s, " PID  TID NSPID NSTID PPID      PIDNS LEVEL COMMAND\n", 52));
	CHECK(strstr(s, "\n6052 6077     1     5 6001 4026532571     1 worker 0\n") != NULL);
	CHECK(strstr(s, "\n7010 7012     1     3 7000 4026532602     2 nested-thr\n") != NULL);
	CHECK(strstr(s, "\n6060 ") < strstr(s, "\n6052 6077 "));
}

static void table_empty(void)
{
	struct nspid_map m;
	struct print_ctx x = ctx(dflt(CK_TABLE, 0, 0), 0);
	FILE *f = mem();

	map_init(&m);
	x.map = &m;
	CHECK(print_rows(f, &x, NULL, 0) == 0);
	CHECK_STR(done(f), "PID NSPID PPID PIDNS LEVEL COMMAND\n");
	x.json = 1;
	f = mem();
	CHECK(print_rows(f, &x, NULL, 0) == 0);
	CHECK_STR(done(f), "{\n  \"source\": \"file\",\n  \"tasks\": []\n}\n");
}

/* -o, -n, -r: chosen columns, text left-aligned, lsns -r escapes */
static void chosen_columns(void)
{
	static const int cols[] = { COL_COMMAND, COL_CHAIN, COL_CONTAINER,
				    COL_TID, -1 };
	struct prow rows[2];
	struct print_ctx x = ctx(cols, 0);
	FILE *f;

	rows[0].rec = lookup_pid(&scene, 6077);
	rows[1].rec = lookup_pid(&scene, 7011);
	rows[0].m = rows[1].m = NULL;
	f = mem();
	CHECK(print_rows(f, &x, rows, 2) == 0);
	CHECK_STR(done(f),
"COMMAND             CHAIN    CONTAINER  TID\n"
"worker 0            6077:5   -         6077\n"
"nl\\012bs\\134del\\177 7011:7:2 -         7011\n");
	x.raw = 1;
	x.noheadings = 1;
	f = mem();
	CHECK(print_rows(f, &x, rows, 2) == 0);
	CHECK_STR(done(f), "worker\\x200 6077:5 - 6077\n"
		  "nl\\x0abs\\x5cdel\\x7f 7011:7:2 - 7011\n");
}

static void column_lists(void)
{
	int cols[COLS_MAX];
	size_t n;

	n = columns_default(CK_TABLE, 0, 0, cols);
	n = columns_parse("+container,Pod", CK_TABLE, cols, n, err, sizeof(err));
	CHECK(n == 8 && cols[6] == COL_CONTAINER && cols[7] == COL_POD);
	n = columns_parse("pid,args", CK_TABLE, cols, 8, err, sizeof(err));
	CHECK(n == 2 && cols[0] == COL_PID && cols[1] == COL_ARGS);
	CHECK(columns_parse("pid,nope", CK_TABLE, cols, 0, err, sizeof(err)) == 0);
	CHECK_PREFIX(err, "unknown column: 'nope'");
	CHECK(columns_parse("inpid", CK_TABLE, cols, 0, err, sizeof(err)) == 0);
	CHECK_PREFIX(err, "column INPID exists only in a namespace's listing");
	CHECK(columns_parse("inpid", CK_LISTING, cols, 0, err, sizeof(err)) == 1);
	CHECK(columns_all(CK_TABLE, cols) == NCOLS - 3);
	CHECK(columns_all(CK_LISTING, cols) == NCOLS);
}

/* nspid PID...: one line per argument, "-" keeps a missing one's place */
static void pids_and_chains(void)
{
	struct prow r[4] = { { 0 } };
	FILE *f;

	r[0].rec = lookup_pid(&scene, 6052);
	r[1].rec = lookup_pid(&scene, 7012);
	r[2].rec = NULL;
	r[3].rec = lookup_pid(&scene, 1);
	f = mem();
	print_pid_lines(f, &scene, r, 4, 0);
	CHECK_STR(done(f), "1\n3\n-\n1\n");
	f = mem();
	print_pid_lines(f, &scene, r, 4, 1);
	CHECK_STR(done(f), "6052:1\n7012:8:3\n-\n1\n");
}

static void json_task_rows(void)
{
	struct prow r[3] = { { 0 } };
	struct print_ctx x = ctx(dflt(CK_PIDS, 0, 1), 1);
	FILE *f = mem();

	r[0].rec = lookup_pid(&scene, 7011);
	r[0].arg = 7011;
	r[1].arg = 99;
	r[2].rec = lookup_pid(&scene, 7021);
	r[2].arg = 7021;
	CHECK(print_rows(f, &x, r, 3) == 0);
	CHECK_STR(done(f),
"{\n  \"source\": \"file\",\n  \"tasks\": [\n"
"    {\"arg\": 7011, \"pid\": 7011, \"tid\": 7011, \"ppid\": 7010, "
"\"nspid\": 2, \"nstid\": 2, \"pidns\": 4026532602, \"level\": 2, "
"\"chain\": [7011, 7, 2], "
"\"nschain\": [4026531836, 4026532571, 4026532602], "
"\"container\": null, \"command\": \"nl\\u000abs\\\\del\\u007f\"},\n"
"    {\"arg\": 99, \"error\": \"PID 99 not found\"},\n"
"    {\"arg\": 7021, \"pid\": 7021, \"tid\": 7021, \"ppid\": 7020, "
"\"nspid\": 2, \"nstid\": 2, \"pidns\": 4026532700, \"level\": 1, "
"\"chain\": [7021, 2], \"nschain\": [4026531836, 4026532700], "
"\"container\": null, \"command\": \"caf\xc3\xa9\"}\n"
"  ]\n}\n");
}

static void json_strings(void)
{
	static const struct {
		const char *in;
		size_t len;
		const char *want;
	} c[] = {
		{ "a\"b\\c", 5, "\"a\\\"b\\\\c\"" },
		{ "\t\n\x01\x1f\x7f", 5, "\"\\u0009\\u000a\\u0001\\u001f\\u007f\"" },
		{ "\xc3\xa9", 2, "\"\xc3\xa9\"" },			/* é */
		{ "\xf0\x9f\x98\x80", 4, "\"\xf0\x9f\x98\x80\"" },	/* U+1F600 */
		{ "\xff", 1, "\"\\u00ff\"" },
		{ "x\xc3", 2, "\"x\\u00c3\"" },			/* truncated */
		{ "\xc0\xaf", 2, "\"\\u00c0\\u00af\"" },		/* overlong */
		{ "\xed\xa0\x80", 3, "\"\\u00ed\\u00a0\\u0080\"" },	/* surrogate */
		{ "\xe2\x82", 2, "\"\\u00e2\\u0082\"" },
		{ "", 0, "\"\"" },
	};
	size_t i;
	FILE *f;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		f = mem();
		print_json_str(f, c[i].in, c[i].len);
		CHECK_STR(done(f), c[i].want);
	}
}

static void comm_escapes(void)
{
	FILE *f = mem();

	print_comm(f, "a\tb\nc\\d\x7f\x01 e\xc3\xa9", 13);
	CHECK_STR(done(f), "a\\011b\\012c\\134d\\177\\001 e\xc3\xa9");
}

/* the id in the listed namespace has its own column: INPID/INTID */
static void members_table(void)
{
	struct nspid_member *m = NULL;
	struct prow rows[16] = { { 0 } };
	struct print_ctx x = ctx(dflt(CK_LISTING, 0, 0), 0);
	struct nspid_ns ns;
	size_t n = 0, i;
	FILE *f;

	CHECK(lookup_ns_of(&scene, 6052, &ns, err, sizeof(err)) == LK_OK);
	CHECK(lookup_members(&scene, &ns, 0, &m, &n, err, sizeof(err)) == LK_OK);
	for (i = 0; i < n && i < 16; i++) {
		rows[i].rec = m[i].rec;
		rows[i].m = &m[i];
	}
	x.ns = &ns;
	f = mem();
	CHECK(print_rows(f, &x, rows, n) == 0);
	CHECK_STR(done(f),
"INPID  PID INPPID      PIDNS LEVEL COMMAND\n"
"    1 6052      0 4026532571     1 sh\n"
"    2 6060      1 4026532571     1 tab\\011name\n"
"    3 7000      1 4026532571     1 unshare\n"
"    4 7010      3 4026532602     2 nested\n"
"    7 7011      4 4026532602     2 nl\\012bs\\134del\\177\n");
	x = ctx((const int[]){ COL_INPID, COL_PID, COL_COMMAND, -1 }, 1);
	x.ns = &ns;
	f = mem();
	CHECK(print_rows(f, &x, rows, 2) == 0);
	CHECK_STR(done(f),
"{\n  \"source\": \"file\",\n  \"pidns\": 4026532571,\n  \"level\": 1,\n"
"  \"init\": 6052,\n  \"container\": null,\n"
"  \"tasks\": [\n"
"    {\"inpid\": 1, \"pid\": 6052, \"command\": \"sh\"},\n"
"    {\"inpid\": 2, \"pid\": 6060, \"command\": \"tab\\u0009name\"}\n"
"  ]\n}\n");
	free(m);
}

static void to_host_answer(void)
{
	const struct nspid_rec *r = NULL;
	struct print_ctx x = ctx(NULL, 0);
	struct nspid_ns ns;
	FILE *f;

	CHECK(lookup_ns_of(&scene, 6052, &ns, err, sizeof(err)) == LK_OK);
	CHECK(lookup_to_host(&scene, &ns, 4, &r, err, sizeof(err)) == LK_OK);
	if (!r)
		return;
	x.ns = &ns;
	f = mem();
	print_to_host(f, &x, 4, r);
	CHECK_STR(done(f), "7010\n");
	x.json = 1;
	f = mem();
	print_to_host(f, &x, 4, r);
	CHECK_STR(done(f), "{\n  \"source\": \"file\",\n  \"pidns\": 4026532571,\n"
		  "  \"level\": 1,\n  \"init\": 6052,\n  \"container\": null,\n"
		  "  \"nspid\": 4,\n  \"pid\": 7010,\n  \"tid\": 7010\n}\n");
}

static void tree_ascii_and_utf8(void)
{
	struct print_ctx x = ctx(NULL, 0);
	FILE *f = mem();

	CHECK(tree_print(f, &x, 0, 0, TREE_ASCII, err, sizeof(err)) == LK_OK);
	CHECK_STR(done(f),
"pidns=4026531836 container=- level=0 init=1 nsinit=1 processes=3 threads=3\n"
"|-pidns=4026532571 container=- level=1 init=6052 nsinit=1 processes=3 threads=4\n"
"| `-pidns=4026532602 container=- level=2 init=7010 nsinit=1 processes=2 threads=3\n"
"`-pidns=4026532700 container=- level=1 init=7020 nsinit=1 processes=2 threads=2\n");
	f = mem();
	CHECK(tree_print(f, &x, 1, 0, TREE_UTF8, err, sizeof(err)) == LK_OK);
	CHECK_STR(done(f),
"pidns=4026531836 container=- level=0 init=1 nsinit=1 processes=3 threads=3\n"
"\u251c\u2500pid=1 nspid=1 init\n"
"\u251c\u2500pid=2 nspid=2 kthreadd\n"
"\u251c\u2500pid=6001 nspid=6001 containerd-shim\n"
"\u251c\u2500pidns=4026532571 container=- level=1 init=6052 nsinit=1 processes=3 threads=4\n"
"\u2502 \u251c\u2500pid=6052 nspid=1 sh\n"
"\u2502 \u251c\u2500pid=6060 nspid=2 tab\\011name\n"
"\u2502 \u251c\u2500pid=7000 nspid=3 unshare\n"
"\u2502 \u2514\u2500pidns=4026532602 container=- level=2 init=7010 nsinit=1 processes=2 threads=3\n"
"\u2502   \u251c\u2500pid=7010 nspid=1 nested\n"
"\u2502   \u2514\u2500pid=7011 nspid=2 nl\\012bs\\134del\\177\n"
"\u2514\u2500pidns=4026532700 container=- level=1 init=7020 nsinit=1 processes=2 threads=2\n"
"  \u251c\u2500pid=7020 nspid=1 other\n"
"  \u2514\u2500pid=7021 nspid=2 caf\xc3\xa9\n");
}

/*
 * --dump writes the module's format: what the parser reads back into the
 * same records, dumped again the same bytes; the fixture's lines where it
 * escapes no more than the module does (bytes >= 0x80 go as they are).
 */
static void dump_roundtrip(void)
{
	struct nspid_map again;
	char *first;
	FILE *f = mem();

	dump_map(f, &scene);
	first = strdup(done(f));
	CHECK(!strncmp(first, NSPID_MAP_HEADER, strlen(NSPID_MAP_HEADER)));
	CHECK(strstr(first, "\n7011\t7011\t7010\t2\t2\t4026532602\t2\t7011:7:2\t"
		     "4026531836:4026532571:4026532602\tnl\\012bs\\134del\\177\n"));
	CHECK(strstr(first, "\t4026531836:4026532700\tcaf\xc3\xa9\n"));
	map_init(&again);
	CHECK(parse_buf(first, strlen(first), &again, err, sizeof(err)) == 0);
	CHECK(again.nrecs == scene.nrecs);
	f = mem();
	dump_map(f, &again);
	CHECK_STR(done(f), first);
	map_free(&again);
	free(first);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		t_mapdir = argv[1];
	if (load_map("scene.map", &scene, err)) {
		printf("not ok - load scene.map: %s\n", err);
		return 1;
	}
	RUN(table);
	RUN(table_threads);
	RUN(table_empty);
	RUN(chosen_columns);
	RUN(column_lists);
	RUN(pids_and_chains);
	RUN(json_task_rows);
	RUN(json_strings);
	RUN(comm_escapes);
	RUN(members_table);
	RUN(to_host_answer);
	RUN(tree_ascii_and_utf8);
	RUN(dump_roundtrip);
	free(out);
	map_free(&scene);
	return T_DONE();
}
