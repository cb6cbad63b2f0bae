// SPDX-License-Identifier: GPL-2.0
/* Unit tests for lookup.c against the hand-written maps. */
#include <stdlib.h>

#include "t.h"
#include "util.h"
#include "../lookup.h"

#define NS_HOST 4026531836U
#define NS_C1	4026532571U	/* container: 6052 is its init */
#define NS_C2	4026532602U	/* nested in NS_C1: 7010 is its init */
#define NS_C3	4026532700U	/* sibling container: 7020 */

static char err[NSPID_ERR_MAX];
static struct nspid_map scene, noparent, old, setns;

static unsigned int nspid_of(struct nspid_map *m, unsigned int pid)
{
	const struct nspid_rec *r = lookup_pid(m, pid);

	return r ? r->nspid : 0;
}

static void pid_lookup(void)
{
	CHECK(nspid_of(&scene, 6052) == 1);
	CHECK(nspid_of(&scene, 6077) == 5);	/* a thread: its own id */
	CHECK(nspid_of(&scene, 7010) == 1);
	CHECK(nspid_of(&scene, 7012) == 3);
	CHECK(nspid_of(&scene, 1) == 1);
	CHECK(nspid_of(&scene, 7021) == 2);
	CHECK(lookup_pid(&scene, 6053) == NULL);	/* absent */
	CHECK(lookup_pid(&scene, 0) == NULL);
	CHECK(lookup_pid(&scene, 9999) == NULL);
}

static void ns_of(void)
{
	struct nspid_ns ns;

	CHECK(lookup_ns_of(&scene, 6060, &ns, err, sizeof(err)) == LK_OK);
	CHECK(ns.level == 1 && ns.inode == NS_C1 && ns.init == 6052);
	CHECK(lookup_ns_of(&scene, 7012, &ns, err, sizeof(err)) == LK_OK);
	CHECK(ns.level == 2 && ns.inode == NS_C2 && ns.init == 7010);
	CHECK(lookup_ns_of(&scene, 2, &ns, err, sizeof(err)) == LK_OK);
	CHECK(ns.level == 0 && ns.inode == NS_HOST && ns.init == 1);
	CHECK(lookup_ns_of(&scene, 6053, &ns, err, sizeof(err)) == LK_NOTFOUND);
	CHECK_STR(err, "PID 6053 not found");
}

static void ns_inode(void)
{
	struct nspid_ns ns;

	CHECK(lookup_ns_inode(&scene, NS_C1, &ns, err, sizeof(err)) == LK_OK);
	CHECK(ns.level == 1 && ns.inode == NS_C1 && ns.init == 6052);
	CHECK(lookup_ns_inode(&scene, NS_HOST, &ns, err, sizeof(err)) == LK_OK);
	CHECK(ns.level == 0 && ns.init == 1);
	CHECK(lookup_ns_inode(&scene, 12345, &ns, err, sizeof(err)) ==
	      LK_NOTFOUND);
	CHECK_STR(err, "PID namespace 12345 not found");
	/* upper nschain elements 0 (4.1-4.8): found through own pidns */
	CHECK(lookup_ns_inode(&noparent, NS_C1, &ns, err, sizeof(err)) == LK_OK);
	CHECK(ns.level == 1 && ns.init == 6052);
}

static void check_members(struct nspid_map *m, const struct nspid_ns *ns,
			  int threads, const unsigned int (*want)[4], size_t n)
{
	struct nspid_member *got = NULL;
	size_t cnt = 0, i;

	CHECK(lookup_members(m, ns, threads, &got, &cnt, err, sizeof(err)) ==
	      LK_OK);
	CHECK(cnt == n);
	if (cnt != n)
		fprintf(stderr, "# got %zu members, want %zu\n", cnt, n);
	for (i = 0; i < n && i < cnt; i++) {
		if (got[i].pid != want[i][0] || got[i].rec->pid != want[i][1] ||
		    got[i].ppid != want[i][2] || got[i].level != want[i][3]) {
			fprintf(stderr, "# member %zu: %u %u %u %u\n", i,
				got[i].pid, got[i].rec->pid, got[i].ppid,
				got[i].level);
			CHECK(0);
		}
	}
	free(got);
}

/* pid in ns, reader's pid, ppid in ns, level below ns */
static const unsigned int c1_procs[][4] = {
	{ 1, 6052, 0, 0 }, { 2, 6060, 1, 0 }, { 3, 7000, 1, 0 },
	{ 4, 7010, 3, 1 }, { 7, 7011, 4, 1 },
};
static const unsigned int c1_threads[][4] = {
	{ 1, 6052, 0, 0 }, { 2, 6060, 1, 0 }, { 3, 7000, 1, 0 },
	{ 4, 7010, 3, 1 }, { 5, 6077, 0, 0 }, { 7, 7011, 4, 1 },
	{ 8, 7012, 3, 1 },
};
static const unsigned int c2_threads[][4] = {
	{ 1, 7010, 0, 0 }, { 2, 7011, 1, 0 }, { 3, 7012, 0, 0 },
};
static const unsigned int c3_procs[][4] = {
	{ 1, 7020, 0, 0 }, { 2, 7021, 1, 0 },
};

static void members(void)
{
	struct nspid_ns ns;

	CHECK(lookup_ns_of(&scene, 6052, &ns, err, sizeof(err)) == LK_OK);
	check_members(&scene, &ns, 0, c1_procs, 5);
	check_members(&scene, &ns, 1, c1_threads, 7);
	CHECK(lookup_ns_inode(&scene, NS_C2, &ns, err, sizeof(err)) == LK_OK);
	check_members(&scene, &ns, 1, c2_threads, 3);
	CHECK(lookup_ns_of(&scene, 7021, &ns, err, sizeof(err)) == LK_OK);
	check_members(&scene, &ns, 0, c3_procs, 2);
}

/* The same answers when nschain has 0 above the task's own namespace. */
static void members_without_parent_inodes(void)
{
	struct nspid_ns ns;

	CHECK(lookup_ns_inode(&noparent, NS_C1, &ns, err, sizeof(err)) == LK_OK);
	check_members(&noparent, &ns, 1, c1_threads, 7);
	CHECK(lookup_ns_inode(&noparent, NS_C3, &ns, err, sizeof(err)) == LK_OK);
	check_members(&noparent, &ns, 0, c3_procs, 2);
}

static unsigned int to_host(struct nspid_map *m, const struct nspid_ns *ns,
			    unsigned int nspid, int want_rc)
{
	const struct nspid_rec *r = NULL;
	int rc = lookup_to_host(m, ns, nspid, &r, err, sizeof(err));

	CHECK(rc == want_rc);
	return rc == LK_OK && r ? r->pid : 0;
}

static void reverse(void)
{
	struct nspid_ns ns;

	CHECK(lookup_ns_of(&scene, 6052, &ns, err, sizeof(err)) == LK_OK);
	CHECK(to_host(&scene, &ns, 1, LK_OK) == 6052);
	CHECK(to_host(&scene, &ns, 4, LK_OK) == 7010);	/* middle level */
	CHECK(to_host(&scene, &ns, 7, LK_OK) == 7011);
	CHECK(to_host(&scene, &ns, 5, LK_OK) == 6077);	/* a thread */
	CHECK(to_host(&scene, &ns, 6, LK_NOTFOUND) == 0);
	CHECK_STR(err, "PID 6 not found in the namespace");
	CHECK(lookup_ns_inode(&scene, NS_C2, &ns, err, sizeof(err)) == LK_OK);
	CHECK(to_host(&scene, &ns, 2, LK_OK) == 7011);
	CHECK(lookup_ns_inode(&scene, NS_C3, &ns, err, sizeof(err)) == LK_OK);
	CHECK(to_host(&scene, &ns, 2, LK_OK) == 7021);	/* not 6060 */
	CHECK(lookup_ns_inode(&scene, NS_HOST, &ns, err, sizeof(err)) == LK_OK);
	CHECK(to_host(&scene, &ns, 7011, LK_OK) == 7011);
	CHECK(lookup_ns_inode(&noparent, NS_C1, &ns, err, sizeof(err)) == LK_OK);
	CHECK(to_host(&noparent, &ns, 4, LK_OK) == 7010);
}

/* Kernels before 3.8: namespaces named by their init. */
static void no_inodes(void)
{
	static const unsigned int c1[][4] = {
		{ 1, 301, 0, 0 }, { 2, 302, 1, 0 }, { 3, 303, 2, 0 },
	};
	static const unsigned int c2[][4] = {
		{ 1, 311, 0, 0 }, { 2, 312, 1, 0 }, { 3, 313, 1, 0 },
	};
	struct nspid_ns ns;

	CHECK(lookup_ns_of(&old, 303, &ns, err, sizeof(err)) == LK_OK);
	CHECK(ns.level == 1 && ns.inode == 0 && ns.init == 301);
	check_members(&old, &ns, 0, c1, 3);
	CHECK(to_host(&old, &ns, 2, LK_OK) == 302);
	CHECK(lookup_ns_of(&old, 313, &ns, err, sizeof(err)) == LK_OK);
	CHECK(ns.init == 311);
	check_members(&old, &ns, 0, c2, 3);
	CHECK(to_host(&old, &ns, 2, LK_OK) == 312);
	CHECK(to_host(&old, &ns, 4, LK_NOTFOUND) == 0);
	CHECK(lookup_ns_inode(&old, 4026531836U, &ns, err, sizeof(err)) ==
	      LK_UNSURE);
	CHECK_PREFIX(err, "the map has no namespace inodes");
}

/* A process entered with setns: its namespace cannot be proven. */
static void no_inodes_refuses(void)
{
	struct nspid_ns ns;
	struct nspid_member *m = NULL;
	size_t n;

	CHECK(lookup_ns_of(&setns, 321, &ns, err, sizeof(err)) == LK_UNSURE);
	CHECK_PREFIX(err, "cannot identify the PID namespace of 321");
	CHECK(lookup_ns_of(&setns, 302, &ns, err, sizeof(err)) == LK_OK);
	CHECK(lookup_members(&setns, &ns, 0, &m, &n, err, sizeof(err)) ==
	      LK_UNSURE);
	CHECK_PREFIX(err, "cannot tell whether PID 321 is in the namespace");
	CHECK(to_host(&setns, &ns, 2, LK_OK) == 302);
	CHECK(to_host(&setns, &ns, 7, LK_UNSURE) == 0);
	/* the reader's own namespace needs no inode */
	CHECK(lookup_ns_of(&setns, 320, &ns, err, sizeof(err)) == LK_OK);
	CHECK(to_host(&setns, &ns, 321, LK_OK) == 321);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		t_mapdir = argv[1];
	if (load_map("scene.map", &scene, err) ||
	    load_map("noparent.map", &noparent, err) ||
	    load_map("old.map", &old, err) ||
	    load_map("old-setns.map", &setns, err)) {
		printf("not ok - load maps: %s\n", err);
		return 1;
	}
	RUN(pid_lookup);
	RUN(ns_of);
	RUN(ns_inode);
	RUN(members);
	RUN(members_without_parent_inodes);
	RUN(reverse);
	RUN(no_inodes);
	RUN(no_inodes_refuses);
	map_free(&scene);
	map_free(&noparent);
	map_free(&old);
	map_free(&setns);
	return T_DONE();
}
