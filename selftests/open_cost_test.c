// SPDX-License-Identifier: GPL-2.0
/*
 * open_cost_test - what an open of /proc/nspid_map costs (issue 11, §5).
 *
 * groups_decided_once: the gid= test of hidepid depends only on the
 *   opener's credentials, so it is decided once per open, not per row. A
 *   reader with 65,536 supplementary groups (none of them the gid= group)
 *   reads a hidepid=2 mount of a pid namespace holding 400 threads; its
 *   best pass must cost less than 3x (+ 5 ms) the best pass of the same
 *   reader with one group. Scanning the groups per row costs 400 scans of
 *   65,536 groups a pass.
 *
 * seq_buffer_never_reclaims: the 32 KiB seq buffer of an open is an
 *   order-3 allocation, which with direct reclaim may stall in compaction
 *   on a fragmented host. The kmem:kmalloc trace event of the open must
 *   show an allocation without __GFP_DIRECT_RECLAIM (no GFP_KERNEL; before
 *   4.4 the flag was __GFP_WAIT, printed GFP_WAIT). Needs tracefs and the
 *   kmalloc event (SKIP without). Before 5.4 ("mm, tracing: Print symbol
 *   name for call_site in trace events") the event prints its call site as
 *   a bare address, which is looked up in /proc/kallsyms.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "map.h"
#include "oracle.h"
#include "procfs_quirks.h"

#define NOBODY		65534
#define GROUP		4242
#define NGROUPS		65536
#define NTHREADS	400

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The best of 7 whole passes through @path, in seconds; < 0 on error. */
static double best_pass(const char *path)
{
	double best = 1e9;
	int i;

	for (i = 0; i < 7; i++) {
		double t = now();
		size_t len;
		char *text = map_read_file(path, 65536, &len);

		if (!text)
			return -1;
		free(text);
		t = now() - t;
		if (t < best)
			best = t;
	}
	return best;
}

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* In a child: take @n groups (not GROUP), become nobody, time passes. */
static void timed_reader(const char *path, int n, int out)
{
	static gid_t groups[NGROUPS];
	double t;
	int i;

	for (i = 0; i < n; i++)
		groups[i] = 100000 + i;
	if (setgroups(n, groups) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		_exit(2);
	t = best_pass(path);
	if (write(out, &t, sizeof(t)) != sizeof(t))
		_exit(3);
	_exit(t < 0 ? 4 : 0);
}

TEST(groups_decided_once)
{
	char dir[] = "/tmp/nspid-groups.XXXXXX";
	double t[2] = { -1, -1 };
	int res[2], st, hp;
	pid_t p;

	hp = procfs_has_hidepid();
	ASSERT_LE(0, hp) TH_LOG("hidepid probe failed");
	if (!hp)
		SKIP(return, "procfs ignores hidepid= (before 3.3, not backported)");
	ASSERT_NE(NULL, mkdtemp(dir));
	ASSERT_EQ(0, chmod(dir, 0755));
	ASSERT_EQ(0, pipe(res));
	p = syscall(SYS_clone, CLONE_NEWPID | CLONE_NEWNS | SIGCHLD,
		    NULL, NULL, NULL, NULL);
	ASSERT_LE(0, p);
	if (p == 0) {
		char path[96];
		pthread_t th;
		int i, k;

		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
			_exit(10);
		/* The gid= test must run for the timing to mean anything. */
		i = procfs_mount(dir, "hidepid=2,gid=4242");
		if (i)
			_exit(20 - i);
		snprintf(path, sizeof(path), "%s/nspid_map", dir);
		/* Rows to decide: 400 threads of a root process. */
		if (fork() == 0) {
			for (i = 0; i < NTHREADS; i++)
				if (pthread_create(&th, NULL, sleeper, NULL))
					_exit(11);
			for (;;)
				pause();
		}
		for (k = 0; k < 50; k++) {
			size_t len;
			char *text;
			struct map m;
			int rows = 0;

			usleep(100000);
			text = map_read_file(path, 65536, &len);
			if (text && !map_parse(text, len, &m)) {
				rows = m.nrows;
				map_free(&m);
			}
			free(text);
			if (rows > NTHREADS)
				break;
		}
		for (i = 0; i < 2; i++) {
			pid_t r = fork();

			if (r == 0)
				timed_reader(path, i ? NGROUPS : 1, res[1]);
			if (r < 0 || waitpid(r, &st, 0) != r ||
			    !WIFEXITED(st) || WEXITSTATUS(st))
				_exit(12 + i);
		}
		_exit(0);
	}
	close(res[1]);
	ASSERT_EQ(p, waitpid(p, &st, 0));
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0)
		TH_LOG("namespace init status 0x%x%s%s", st,
		       WIFEXITED(st) && WEXITSTATUS(st) > 20 ?
		       ": mount proc -o hidepid=2,gid=4242: " : "",
		       WIFEXITED(st) && WEXITSTATUS(st) > 20 ?
		       procfs_mount_error(20 - WEXITSTATUS(st)) : "");
	ASSERT_EQ(sizeof(t), (size_t)read(res[0], t, sizeof(t)));
	close(res[0]);
	rmdir(dir);
	TH_LOG("best pass over %d threads: %.2f ms with 1 group, %.2f ms "
	       "with %d groups", NTHREADS, t[0] * 1e3, t[1] * 1e3, NGROUPS);
	EXPECT_GT(t[0] * 3 + 0.005, t[1]);
}

/* Write @s to the tracefs file @dir/@file; 0 or -1. */
static int trace_write(const char *dir, const char *file, const char *s)
{
	char path[160];
	int fd, ok;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return -1;
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok ? 0 : -1;
}

/*
 * Is @addr inside the function @name, by /proc/kallsyms (the text symbol
 * with the highest address at or below it)? 0 or 1.
 */
static int kallsyms_in(unsigned long addr, const char *name)
{
	char line[512], sym[256], best[256] = "";
	unsigned long a, base = 0;
	char type;
	FILE *f = fopen("/proc/kallsyms", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx %c %255s", &a, &type, sym) != 3)
			continue;
		if ((type != 't' && type != 'T') || a > addr || a < base)
			continue;
		base = a;
		strcpy(best, sym);
	}
	fclose(f);
	return base && !strcmp(best, name);
}

/* Does the kmem:kmalloc line @line come from nspid_open()? */
static int from_nspid_open(const char *line)
{
	const char *cs = strstr(line, "call_site=");
	unsigned long addr;
	char *end;

	if (!cs || !strstr(line, "gfp_flags="))
		return 0;
	if (strstr(line, "nspid_open"))
		return 1;	/* 5.4+: call_site=nspid_open+0x... */
	addr = strtoul(cs + strlen("call_site="), &end, 16);
	return *end == ' ' && addr && kallsyms_in(addr, "nspid_open");
}

/*
 * What the gfp_flags of the event show for a mask with direct reclaim:
 * the bit (__GFP_WAIT before 4.4, __GFP_DIRECT_RECLAIM since, or both
 * reclaim bits as __GFP_RECLAIM), or a composite mask that holds it and
 * is printed by its own name, its bits then not printed again.
 */
static const char *const reclaims[] = {
	"GFP_WAIT", "DIRECT_RECLAIM", "_GFP_RECLAIM", "GFP_KERNEL",
	"GFP_NOFS", "GFP_NOIO", "GFP_USER", "GFP_HIGHUSER", "GFP_TEMPORARY",
};

TEST(seq_buffer_never_reclaims)
{
	static const char *const dirs[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	char path[160], *text, *copy, *line, *found = NULL;
	const char *dir = NULL;
	size_t len;
	unsigned int i;
	int fd;

	mount("tracefs", dirs[0], "tracefs", 0, NULL);
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	for (i = 0; i < 2 && !dir; i++) {
		snprintf(path, sizeof(path), "%s/events/kmem/kmalloc/enable",
			 dirs[i]);
		if (access(path, W_OK) == 0)
			dir = dirs[i];
	}
	if (!dir)
		SKIP(return, "no tracefs with the kmem:kmalloc event here");
	ASSERT_EQ(0, trace_write(dir, "tracing_on", "0"));
	ASSERT_EQ(0, trace_write(dir, "trace", ""));
	ASSERT_EQ(0, trace_write(dir, "events/kmem/kmalloc/filter",
				 "bytes_req == 32768"));
	ASSERT_EQ(0, trace_write(dir, "events/kmem/kmalloc/enable", "1"));
	ASSERT_EQ(0, trace_write(dir, "tracing_on", "1"));
	fd = open(MAP_PATH, O_RDONLY);
	ASSERT_LE(0, fd);
	close(fd);
	trace_write(dir, "tracing_on", "0");
	trace_write(dir, "events/kmem/kmalloc/enable", "0");
	trace_write(dir, "events/kmem/kmalloc/filter", "0");
	snprintf(path, sizeof(path), "%s/trace", dir);
	text = map_read_file(path, 65536, &len);
	ASSERT_NE(NULL, text);
	copy = strdup(text);
	ASSERT_NE(NULL, copy);
	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		if (from_nspid_open(line))
			found = line;
	ASSERT_NE(NULL, found) TH_LOG("no 32 KiB kmalloc from nspid_open "
				      "traced:\n%s", copy);
	TH_LOG("%s", found);
	for (i = 0; i < sizeof(reclaims) / sizeof(reclaims[0]); i++)
		EXPECT_EQ(NULL, strstr(found, reclaims[i]))
			TH_LOG("%s reclaims directly", reclaims[i]);
	free(copy);
	free(text);
}

TEST_HARNESS_MAIN
