// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for status.c: status text parsing, a fake /proc built from a
 * map (status files and ns links) read back into the same records, and
 * the live /proc of the machine running the tests.
 *
 *   test_status MAPDIR               run the tests
 *   test_status MAPDIR --fake DIR [MAP]  only build the fake /proc of
 *                                        MAP (default scene.map)
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "t.h"
#include "util.h"
#include "../status.h"
#include "../lookup.h"

static char err[NSPID_ERR_MAX];

static const char nested_status[] =
	"Name:\tnl\\nbs\\\\x y\tz\n"
	"Umask:\t0022\n"
	"State:\tS (sleeping)\n"
	"Tgid:\t7010\n"
	"Ngid:\t0\n"
	"Pid:\t7012\n"
	"PPid:\t7000\n"
	"TracerPid:\t0\n"
	"Groups:\t0 1 2\n"
	"NStgid:\t7010\t4\t1\n"
	"NSpid:\t7012\t8\t3\n"
	"NSpgid:\t7010\t4\t1\n";

static void parse_nested_thread(void)
{
	char comm[NSPID_COMM_MAX];
	struct nspid_rec r = { .comm = comm };
	unsigned int chain[NSPID_MAX_LEVEL + 1];

	CHECK(status_parse(nested_status, sizeof(nested_status) - 1, &r,
			   chain) == 0);
	CHECK(r.pid == 7012 && r.tgid == 7010 && r.ppid == 7000);
	CHECK(r.nspid == 3 && r.nstgid == 1 && r.level == 2);
	CHECK(chain[0] == 7012 && chain[1] == 8 && chain[2] == 3);
	CHECK_STR(r.comm, "nl\nbs\\x y\tz");
	CHECK(r.commlen == 11);
}

static void parse_kthread_long_name(void)
{
	static const char s[] =
		"Name:\tkworker/R-kvfree_rcu_reclaim\nTgid:\t6\nPid:\t6\n"
		"PPid:\t2\nNStgid:\t6\nNSpid:\t6\n";
	char comm[NSPID_COMM_MAX];
	struct nspid_rec r = { .comm = comm };
	unsigned int chain[NSPID_MAX_LEVEL + 1];

	CHECK(status_parse(s, sizeof(s) - 1, &r, chain) == 0);
	CHECK_STR(r.comm, "kworker/R-kvfree_rcu_reclaim");
	CHECK(r.level == 0 && r.nspid == 6 && r.ppid == 2);
}

static void parse_rejects(void)
{
	static const char *const bad[] = {
		/* no NSpid: kernel before 4.1 */
		"Name:\tx\nTgid:\t6\nPid:\t6\nPPid:\t2\n",
		/* NSpid and NStgid differ in length */
		"Name:\tx\nTgid:\t6\nPid:\t6\nPPid:\t2\nNStgid:\t6\t1\nNSpid:\t6\n",
		/* NSpid does not start with Pid */
		"Name:\tx\nTgid:\t6\nPid:\t6\nPPid:\t2\nNStgid:\t6\nNSpid:\t7\n",
		/* garbage */
		"Name:\tx\nTgid:\t6\nPid:\t6x\nPPid:\t2\nNStgid:\t6\nNSpid:\t6\n",
		"",
	};
	char comm[NSPID_COMM_MAX];
	struct nspid_rec r = { .comm = comm };
	unsigned int chain[NSPID_MAX_LEVEL + 1];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(status_parse(bad[i], strlen(bad[i]), &r, chain) == -1);
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

/* Name: as /proc/PID/status writes it: only \n and \ escaped */
static void status_name(FILE *f, const struct nspid_rec *r)
{
	size_t i;

	fputs("Name:\t", f);
	for (i = 0; i < r->commlen; i++) {
		if (r->comm[i] == '\n')
			fputs("\\n", f);
		else if (r->comm[i] == '\\')
			fputs("\\\\", f);
		else
			putc(r->comm[i], f);
	}
	putc('\n', f);
}

static int fake_task(const char *dir, const struct nspid_map *m,
		     const struct nspid_rec *r)
{
	const struct nspid_rec *leader = lookup_pid(m, r->tgid);
	char path[1024], link[64];
	unsigned int i;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%u/task/%u/ns", dir, r->tgid, r->pid);
	if (!leader || mkdir(path, 0755))
		return -1;
	if (r->pidns) {
		snprintf(path, sizeof(path), "%s/%u/task/%u/ns/pid", dir,
			 r->tgid, r->pid);
		snprintf(link, sizeof(link), "pid:[%u]", r->pidns);
		if (symlink(link, path))
			return -1;
	}
	snprintf(path, sizeof(path), "%s/%u/task/%u/status", dir, r->tgid,
		 r->pid);
	f = fopen(path, "w");
	if (!f)
		return -1;
	status_name(f, r);
	fprintf(f, "Umask:\t0022\nTgid:\t%u\nNgid:\t0\nPid:\t%u\nPPid:\t%u\n"
		"NStgid:", r->tgid, r->pid, r->ppid);
	for (i = 0; i <= leader->level; i++)
		fprintf(f, "\t%u", map_chain(m, leader)[i]);
	fputs("\nNSpid:", f);
	for (i = 0; i <= r->level; i++)
		fprintf(f, "\t%u", map_chain(m, r)[i]);
	fputs("\nNSpgid:\t1\n", f);
	return fclose(f);
}

/* A /proc with status files and ns links (symlinks) for every row of m. */
static int make_fake_proc(const char *dir, const struct nspid_map *m)
{
	char path[1024], link[64];
	size_t i;

	snprintf(path, sizeof(path), "%s/self", dir);
	if (mkdir(dir, 0755) || mkdir(path, 0755))
		return -1;
	snprintf(path, sizeof(path), "%s/self/status", dir);
	if (write_file(path, "Name:\tnspid\nNSpid:\t1\n"))
		return -1;
	/* the reader's own namespace, the first row's */
	snprintf(path, sizeof(path), "%s/self/ns", dir);
	if (mkdir(path, 0755))
		return -1;
	snprintf(path, sizeof(path), "%s/self/ns/pid", dir);
	snprintf(link, sizeof(link), "pid:[%u]", m->nrecs ? m->recs[0].pidns : 0);
	if (symlink(link, path))
		return -1;
	for (i = 0; i < m->nrecs; i++) {
		const struct nspid_rec *r = &m->recs[i];

		snprintf(path, sizeof(path), "%s/%u", dir, r->tgid);
		if (r->pid == r->tgid && mkdir(path, 0755))
			return -1;
		snprintf(path, sizeof(path), "%s/%u/task", dir, r->tgid);
		if (r->pid == r->tgid && mkdir(path, 0755))
			return -1;
		snprintf(path, sizeof(path), "%s/%u/task/%u", dir, r->tgid,
			 r->pid);
		if (mkdir(path, 0755) || fake_task(dir, m, r))
			return -1;
		/* PROC/TID of a thread resolves, unlisted as in procfs */
		snprintf(path, sizeof(path), "%s/%u", dir, r->pid);
		snprintf(link, sizeof(link), "%u", r->tgid);
		if (r->pid != r->tgid && symlink(link, path))
			return -1;
	}
	return 0;
}

static int same_maps(const struct nspid_map *a, const struct nspid_map *b)
{
	size_t i;
	int same = a->nrecs == b->nrecs;

	for (i = 0; same && i < a->nrecs; i++) {
		const struct nspid_rec *x = &a->recs[i], *y = &b->recs[i];
		size_t n = (x->level + 1) * sizeof(unsigned int);

		same = x->pid == y->pid && x->tgid == y->tgid &&
		       x->ppid == y->ppid && x->nspid == y->nspid &&
		       x->nstgid == y->nstgid && x->pidns == y->pidns &&
		       x->level == y->level && x->commlen == y->commlen &&
		       !memcmp(x->comm, y->comm, x->commlen) &&
		       !memcmp(map_chain(a, x), map_chain(b, y), n) &&
		       !memcmp(map_nschain(a, x), map_nschain(b, y), n);
		if (!same)
			fprintf(stderr, "# records differ at pid %u\n", x->pid);
	}
	return same;
}

/* The fake /proc of scene.map reads back as noparent.map: the same rows,
 * with 0 above each task's own namespace (symlinks have no NS_GET_PARENT). */
static void fake_proc_roundtrip(void)
{
	struct nspid_map scene, noparent, got;
	char dir[] = "/tmp/nspid-fakeproc.XXXXXX", proc[64], cmd[128];

	CHECK(load_map("scene.map", &scene, err) == 0);
	CHECK(load_map("noparent.map", &noparent, err) == 0);
	CHECK(mkdtemp(dir) != NULL);
	snprintf(proc, sizeof(proc), "%s/proc", dir);
	CHECK(make_fake_proc(proc, &scene) == 0);
	CHECK(status_available(proc) == 1);
	map_init(&got);
	CHECK(status_read(proc, &got, err, sizeof(err)) == 0);
	CHECK(got.nrecs == 12);
	CHECK(same_maps(&got, &noparent));
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
	map_free(&scene);
	map_free(&noparent);
	map_free(&got);
}

/*
 * Unreadable ns/pid links (no link in the fake) come out as the module's
 * hidden rows; a lookup reads only the PIDs asked for, the process table
 * one status per process.
 */
static void hidden_and_partial(void)
{
	struct nspid_map hidden, got;
	const struct nspid_rec *r;
	char dir[] = "/tmp/nspid-fakeproc.XXXXXX", proc[64], cmd[128];
	static const unsigned int want[] = { 6077, 7011, 99 };

	CHECK(load_map("hidden.map", &hidden, err) == 0);
	CHECK(mkdtemp(dir) != NULL);
	snprintf(proc, sizeof(proc), "%s/proc", dir);
	CHECK(make_fake_proc(proc, &hidden) == 0);
	map_init(&got);
	CHECK(status_read(proc, &got, err, sizeof(err)) == 0);
	CHECK(got.nrecs == 12 && map_nhidden(&got) == 5);
	r = lookup_pid(&got, 7011);
	CHECK(r && r->pidns == 0 && map_nschain(&got, r)[0] == 4026531836U &&
	      map_nschain(&got, r)[1] == 0 && map_nschain(&got, r)[2] == 0);
	r = lookup_pid(&got, 6052);
	CHECK(r && r->pidns == 4026532571U && !map_hidden(&got, r));
	map_free(&got);
	CHECK(status_read_some(proc, STATUS_PIDS, want, 3, &got, err,
			       sizeof(err)) == 0);
	CHECK(got.nrecs == 2 && got.recs[0].pid == 6077 &&
	      got.recs[0].tgid == 6052 && got.recs[1].pid == 7011);
	map_free(&got);
	CHECK(status_read_some(proc, STATUS_PROCS, NULL, 0, &got, err,
			       sizeof(err)) == 0);
	CHECK(got.nrecs == 10 && !lookup_pid(&got, 6077) &&
	      !lookup_pid(&got, 7012) && lookup_pid(&got, 7021));
	map_free(&got);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
	map_free(&hidden);
}

static void not_available(void)
{
	char dir[] = "/tmp/nspid-noproc.XXXXXX", path[128];

	CHECK(mkdtemp(dir) != NULL);
	CHECK(status_available(dir) == 0);		/* no self/status */
	snprintf(path, sizeof(path), "%s/self", dir);
	CHECK(mkdir(path, 0755) == 0);
	snprintf(path, sizeof(path), "%s/self/status", dir);
	CHECK(write_file(path, "Name:\tx\nPid:\t1\n") == 0);
	CHECK(status_available(dir) == 0);		/* kernel < 4.1 */
	unlink(path);
	snprintf(path, sizeof(path), "%s/self", dir);
	rmdir(path);
	rmdir(dir);
}

/* The live /proc: every row passes the map's own checks, ours is right. */
static void live_proc(void)
{
	struct nspid_map m;
	const struct nspid_rec *me;
	char err2[NSPID_ERR_MAX];
	size_t i;

	if (!status_available("/proc")) {
		printf("skip - live_proc: /proc has no NSpid (kernel < 4.1)\n");
		return;
	}
	map_init(&m);
	CHECK(status_read("/proc", &m, err, sizeof(err)) == 0);
	for (i = 0; i < m.nrecs; i++) {
		CHECK(map_check_rec(&m.recs[i], map_chain(&m, &m.recs[i]),
				    map_nschain(&m, &m.recs[i]), err2,
				    sizeof(err2)) == 0);
		CHECK(i == 0 || m.recs[i - 1].pid < m.recs[i].pid);
	}
	me = lookup_pid(&m, (unsigned int)getpid());
	CHECK(me != NULL);
	if (me) {
		CHECK(me->tgid == (unsigned int)getpid());
		CHECK(me->ppid == (unsigned int)getppid());
		CHECK(!strncmp(me->comm, "test_status", 11));
	}
	map_free(&m);
}

int main(int argc, char **argv)
{
	struct nspid_map scene;

	if (argc > 1)
		t_mapdir = argv[1];
	if (argc > 3 && !strcmp(argv[2], "--fake")) {
		if (load_map(argc > 4 ? argv[4] : "scene.map", &scene, err) ||
		    make_fake_proc(argv[3], &scene)) {
			fprintf(stderr, "cannot build %s: %s\n", argv[3],
				err[0] ? err : strerror(errno));
			return 1;
		}
		map_free(&scene);
		return 0;
	}
	RUN(parse_nested_thread);
	RUN(parse_kthread_long_name);
	RUN(parse_rejects);
	RUN(fake_proc_roundtrip);
	RUN(hidden_and_partial);
	RUN(not_available);
	if (status_available("/proc"))
		RUN(live_proc);
	else
		live_proc();
	return T_DONE();
}
