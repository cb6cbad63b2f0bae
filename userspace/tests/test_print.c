// SPDX-License-Identifier: GPL-2.0
/* Unit tests for print.c: exact output for the scene map. */
#include <stdlib.h>

#include "t.h"
#include "util.h"
#include "../print.h"

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

static void table(void)
{
	FILE *f = mem();

	CHECK(print_table(f, &scene, 0, 0) == 0);
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

static void table_threads(void)
{
	FILE *f = mem();
	const char *s;

	CHECK(print_table(f, &scene, 1, 0) == 0);
	s = done(f);
	CHECK(strstr(s, "\n6077     5 6001 4026532571     1 worker 0\n") != NULL);
	CHECK(strstr(s, "\n7012     3 7000 4026532602     2 nested-thr\n") != NULL);
	CHECK(strstr(s, "\n6060 ") < strstr(s, "\n6077 "));
}

static void table_empty(void)
{
	struct nspid_map m;
	FILE *f = mem();

	map_init(&m);
	CHECK(print_table(f, &m, 0, 0) == 0);
	CHECK_STR(done(f), "PID NSPID PPID PIDNS LEVEL COMMAND\n");
	f = mem();
	CHECK(print_table(f, &m, 0, 1) == 0);
	CHECK_STR(done(f), "{\n  \"tasks\": []\n}\n");
}

static void pids_and_chains(void)
{
	const struct nspid_rec *r[3];
	FILE *f;

	r[0] = lookup_pid(&scene, 6052);
	r[1] = lookup_pid(&scene, 7012);
	r[2] = lookup_pid(&scene, 1);
	f = mem();
	print_pids(f, &scene, r, 3, 0, 0);
	CHECK_STR(done(f), "1\n3\n1\n");
	f = mem();
	print_pids(f, &scene, r, 3, 1, 0);
	CHECK_STR(done(f), "6052:1\n7012:8:3\n1\n");
}

static void json_task_rows(void)
{
	const struct nspid_rec *r[2];
	FILE *f = mem();

	r[0] = lookup_pid(&scene, 7011);
	r[1] = lookup_pid(&scene, 7021);
	print_pids(f, &scene, r, 2, 1, 1);
	CHECK_STR(done(f),
"{\n  \"tasks\": [\n"
"    {\"pid\": 7011, \"tgid\": 7011, \"ppid\": 7010, \"nspid\": 2, "
"\"nstgid\": 2, \"pidns\": 4026532602, \"level\": 2, "
"\"chain\": [7011, 7, 2], "
"\"nschain\": [4026531836, 4026532571, 4026532602], "
"\"comm\": \"nl\\u000abs\\\\del\\u007f\"},\n"
"    {\"pid\": 7021, \"tgid\": 7021, \"ppid\": 7020, \"nspid\": 2, "
"\"nstgid\": 2, \"pidns\": 4026532700, \"level\": 1, "
"\"chain\": [7021, 2], \"nschain\": [4026531836, 4026532700], "
"\"comm\": \"caf\xc3\xa9\"}\n"
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

static void members_table(void)
{
	struct nspid_member *m = NULL;
	struct nspid_ns ns;
	size_t n = 0;
	FILE *f;

	CHECK(lookup_ns_of(&scene, 6052, &ns, err, sizeof(err)) == LK_OK);
	CHECK(lookup_members(&scene, &ns, 0, &m, &n, err, sizeof(err)) == LK_OK);
	f = mem();
	CHECK(print_members(f, &scene, &ns, m, n, 0) == 0);
	CHECK_STR(done(f),
"PID HOSTPID PPID      PIDNS LEVEL COMMAND\n"
"  1    6052    0 4026532571     0 sh\n"
"  2    6060    1 4026532571     0 tab\\011name\n"
"  3    7000    1 4026532571     0 unshare\n"
"  4    7010    3 4026532602     1 nested\n"
"  7    7011    4 4026532602     1 nl\\012bs\\134del\\177\n");
	f = mem();
	CHECK(print_members(f, &scene, &ns, m, 2, 1) == 0);
	CHECK_STR(done(f),
"{\n  \"pidns\": 4026532571,\n  \"level\": 1,\n  \"init\": 6052,\n"
"  \"tasks\": [\n"
"    {\"pid\": 1, \"hostpid\": 6052, \"ppid\": 0, \"pidns\": 4026532571, "
"\"level\": 0, \"comm\": \"sh\"},\n"
"    {\"pid\": 2, \"hostpid\": 6060, \"ppid\": 1, \"pidns\": 4026532571, "
"\"level\": 0, \"comm\": \"tab\\u0009name\"}\n"
"  ]\n}\n");
	free(m);
}

static void to_host_answer(void)
{
	const struct nspid_rec *r = NULL;
	struct nspid_ns ns;
	FILE *f;

	CHECK(lookup_ns_of(&scene, 6052, &ns, err, sizeof(err)) == LK_OK);
	CHECK(lookup_to_host(&scene, &ns, 4, &r, err, sizeof(err)) == LK_OK);
	if (!r)
		return;
	f = mem();
	print_to_host(f, &ns, 4, r, 0);
	CHECK_STR(done(f), "7010\n");
	f = mem();
	print_to_host(f, &ns, 4, r, 1);
	CHECK_STR(done(f), "{\n  \"pidns\": 4026532571,\n  \"level\": 1,\n"
		  "  \"init\": 6052,\n  \"nspid\": 4,\n  \"pid\": 7010\n}\n");
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
	RUN(pids_and_chains);
	RUN(json_task_rows);
	RUN(json_strings);
	RUN(comm_escapes);
	RUN(members_table);
	RUN(to_host_answer);
	free(out);
	map_free(&scene);
	return T_DONE();
}
