// SPDX-License-Identifier: GPL-2.0
/*
 * Unloading nspid_map.ko under readers (SPEC §1.4): with a descriptor held
 * open, while readers are mid-read, and 200 load/unload cycles with four
 * readers running. The kernel log scan of the VM runner (selftests/vm)
 * catches oopses and warnings; this file checks what a reader sees.
 *
 * Convention (selftests/vm/init): the module is loaded when a test starts,
 * and a test that unloads it loads it again before it returns. The fixture
 * teardown does that here, also when an assertion ended the test early.
 * The module image comes from $NSPID_MODULE, which init sets.
 *
 * Loading uses init_module(2) on the file's bytes and unloading
 * delete_module(2) with O_NONBLOCK, both present on every kernel nspid
 * supports (finit_module is 3.8+).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "map.h"
#define MODCTL_FIXTURE
#include "modctl.h"

/*
 * The rules a completed pass keeps: header, well-formed rows, strictly
 * ascending pids. NULL when it does, else why not (static buffer).
 */
static const char *pass_problem(const char *text, size_t len)
{
	static __thread char why[200];
	struct map m;
	int i;

	if (map_parse(text, len, &m)) {
		snprintf(why, sizeof(why), "%s", m.err);
		map_free(&m);
		return why;
	}
	if (strcmp(m.header, MAP_HEADER)) {
		map_free(&m);
		return "wrong header";
	}
	for (i = 0; i < m.nrows; i++) {
		const char *bad = map_row_check(&m.rows[i]);

		if (!bad && i && m.rows[i].pid <= m.rows[i - 1].pid)
			bad = "pids not strictly ascending";
		if (bad) {
			snprintf(why, sizeof(why), "line %d: %s",
				 m.rows[i].line, bad);
			map_free(&m);
			return why;
		}
	}
	map_free(&m);
	return NULL;
}

/*
 * A pass cut short by an unload: the bytes read so far must be a clean
 * prefix, i.e. its complete lines are a well-formed pass.
 */
static const char *prefix_problem(char *text, size_t len)
{
	char *nl = memrchr(text, '\n', len);

	if (!nl)
		return NULL;	/* not even the header line yet */
	return pass_problem(text, nl - text + 1);
}

/* FIXTURE(mod) comes from modctl.h (MODCTL_FIXTURE). */

/* After a test: the module is loaded, and a fresh read is a good pass. */
static const char *fresh_pass_problem(void)
{
	static char why[240];
	size_t len;
	char *text = map_read_file(MAP_PATH, 65536, &len);
	const char *bad;

	if (!text) {
		snprintf(why, sizeof(why), "read: %s", strerror(errno));
		return why;
	}
	bad = pass_problem(text, len);
	if (bad) {
		snprintf(why, sizeof(why), "%s", bad);
		bad = why;
	}
	free(text);
	return bad;
}

/*
 * rmmod while a reader holds the file open, mid-pass. Either the kernel
 * refuses (busy) and the descriptor keeps working, and the unload succeeds
 * once it is closed; or the unload succeeds, the file is gone and the stale
 * descriptor fails every read with an error.
 */
TEST_F_TIMEOUT(mod, rmmod_while_open, 120)
{
	char buf[4096];
	ssize_t n;
	int fd, r;

	fd = open(MAP_PATH, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(100, read(fd, buf, 100));

	r = mod_unload();
	if (r == 0) {
		TH_LOG("unload succeeded with the file open");
		EXPECT_FALSE(map_exists());
		errno = 0;
		n = read(fd, buf, sizeof(buf));
		EXPECT_EQ(-1, n) TH_LOG("stale read returned %zd bytes", n);
		EXPECT_NE(0, errno);
		n = pread(fd, buf, sizeof(buf), 0);
		EXPECT_EQ(-1, n) TH_LOG("stale pread returned %zd bytes", n);
		lseek(fd, 0, SEEK_SET);	/* may fail too; must not crash */
		n = read(fd, buf, 1);
		EXPECT_EQ(-1, n) TH_LOG("stale 1-byte read returned %zd", n);
		EXPECT_EQ(0, close(fd));
		ASSERT_EQ(0, mod_load());
	} else {
		struct text { char *buf; size_t len; } rest;
		const char *bad;

		TH_LOG("unload refused (%s) with the file open", strerror(-r));
		EXPECT_TRUE(is_busy(r)) TH_LOG("unexpected error %d", r);
		EXPECT_TRUE(map_exists());
		/* The open descriptor still reads a whole, good pass. */
		ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
		rest.buf = map_read_fd(fd, 4096, &rest.len);
		ASSERT_NE(NULL, rest.buf);
		bad = pass_problem(rest.buf, rest.len);
		EXPECT_EQ(NULL, bad) TH_LOG("%s", bad);
		free(rest.buf);
		EXPECT_EQ(0, close(fd));
		/* Closing the last descriptor releases the module. */
		r = mod_unload_retry(1000);
		EXPECT_EQ(0, r) TH_LOG("unload after close: %s", strerror(-r));
		EXPECT_FALSE(map_exists());
		ASSERT_EQ(0, mod_load());
	}
	ASSERT_TRUE(map_exists());
	EXPECT_EQ(NULL, fresh_pass_problem());
}

/* The same with the holder in another process, which then exits. */
TEST_F_TIMEOUT(mod, rmmod_while_child_holds_open, 120)
{
	int ready[2], go[2], status, r;
	char c;
	pid_t pid;

	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char buf[64];
		int fd = open(MAP_PATH, O_RDONLY);

		if (fd < 0 || read(fd, buf, 1) != 1)
			_exit(1);
		if (write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(2);
		/* 0 bytes would be a lie: the pass had not ended. */
		if (read(fd, buf, sizeof(buf)) == 0)
			_exit(3);
		_exit(0);	/* exit closes the descriptor */
	}
	ASSERT_EQ(1, read(ready[0], &c, 1));
	r = mod_unload();
	EXPECT_TRUE(r == 0 || is_busy(r)) TH_LOG("unload: %s", strerror(-r));
	if (r == 0)
		EXPECT_FALSE(map_exists());
	ASSERT_EQ(1, write(go[1], "g", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("holder: status %#x", status);
	if (r != 0) {
		r = mod_unload_retry(1000);
		EXPECT_EQ(0, r) TH_LOG("unload after the holder exited: %s", strerror(-r));
	}
	EXPECT_FALSE(map_exists());
	ASSERT_EQ(0, mod_load());
	EXPECT_EQ(NULL, fresh_pass_problem());
	close(ready[0]); close(ready[1]); close(go[0]); close(go[1]);
}

/* Reader threads: open, read a pass with their buffer size, close, again. */
struct reader {
	pthread_t thread;
	size_t bufsz;
	size_t max_bytes;	/* stop a pass early after this many (0: never) */
	int gap_us;		/* sleep between passes */
	volatile int *stop;
	/* results */
	long passes, prefixes, open_fail, read_fail, empty_reads;
	char bad[240];
};

static void *reader_main(void *arg)
{
	struct reader *rd = arg;
	size_t cap = 1 << 20;
	char *text = malloc(cap + 1);
	unsigned int seed = (unsigned int)(size_t)rd;

	if (!text) {
		snprintf(rd->bad, sizeof(rd->bad), "out of memory");
		return NULL;
	}
	while (!*rd->stop) {
		size_t len = 0;
		int fd = open(MAP_PATH, O_RDONLY);
		int failed = 0;

		if (fd < 0) {
			rd->open_fail++;
			if (errno != ENOENT && !open_raced_removal(errno) &&
			    !rd->bad[0])
				snprintf(rd->bad, sizeof(rd->bad),
					 "open: %s", strerror(errno));
			usleep(100);
			continue;
		}
		for (;;) {
			size_t want = rd->bufsz;
			ssize_t n;

			if (len + want > cap)
				want = cap - len;
			if (rd->max_bytes && len + want > rd->max_bytes)
				want = rd->max_bytes - len;
			if (!want)
				break;
			n = read(fd, text + len, want);
			if (n < 0) {
				failed = 1;
				rd->read_fail++;
				break;
			}
			if (n == 0)
				break;
			len += n;
		}
		close(fd);
		if (len == 0 && !failed)
			rd->empty_reads++;
		if (!rd->bad[0]) {
			const char *why;

			text[len] = '\0';
			if (failed || rd->max_bytes) {
				why = prefix_problem(text, len);
				rd->prefixes++;
			} else {
				why = len ? pass_problem(text, len) :
				      "a pass of 0 bytes";
				rd->passes++;
			}
			if (why)
				snprintf(rd->bad, sizeof(rd->bad),
					 "%s pass, %zu-byte reads: %s",
					 failed ? "cut" : "whole",
					 rd->bufsz, why);
		}
		if (rd->gap_us)
			usleep(rand_r(&seed) % (rd->gap_us + 1));
	}
	free(text);
	return NULL;
}

static int start_readers(struct reader *rd, int n, volatile int *stop)
{
	int i;

	for (i = 0; i < n; i++) {
		rd[i].stop = stop;
		if (pthread_create(&rd[i].thread, NULL, reader_main, &rd[i]))
			return -1;
	}
	return 0;
}

static void stop_readers(struct reader *rd, int n, volatile int *stop)
{
	int i;

	*stop = 1;
	for (i = 0; i < n; i++)
		pthread_join(rd[i].thread, NULL);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Unload while threads are mid-read, with 1-byte and big buffers, for a
 * few seconds: what they read is never garbage, and the kernel survives.
 */
TEST_F_TIMEOUT(mod, rmmod_while_mid_read, 300)
{
	struct reader rd[6] = {
		{ .bufsz = 1 }, { .bufsz = 1, .max_bytes = 3000 },
		{ .bufsz = 7 }, { .bufsz = 4096 }, { .bufsz = 1 << 20 },
		{ .bufsz = 1 << 20, .gap_us = 500 },
	};
	volatile int stop = 0;
	long unloads = 0, refused = 0, passes = 0, cut = 0;
	double end;
	int i, r;

	ASSERT_EQ(0, start_readers(rd, 6, &stop));
	usleep(200000);		/* let every reader get into a pass */
	end = now() + 5;
	while (now() < end) {
		r = mod_unload();
		if (r == 0) {
			unloads++;
			if (map_exists()) {
				stop_readers(rd, 6, &stop);
				ASSERT_FALSE(1) TH_LOG("file remains after unload");
			}
			usleep(20000);
			r = mod_load();
			if (r) {
				stop_readers(rd, 6, &stop);
				ASSERT_EQ(0, r) TH_LOG("reload: %s", strerror(-r));
			}
			usleep(50000);	/* readers back into passes */
		} else if (is_busy(r)) {
			refused++;
			usleep(1000);
		} else {
			stop_readers(rd, 6, &stop);
			ASSERT_EQ(0, r) TH_LOG("unload: %s", strerror(-r));
		}
	}
	stop_readers(rd, 6, &stop);
	for (i = 0; i < 6; i++) {
		EXPECT_EQ(0, rd[i].bad[0]) TH_LOG("reader %d: %s", i, rd[i].bad);
		passes += rd[i].passes;
		cut += rd[i].read_fail;
		EXPECT_EQ(0, rd[i].empty_reads) TH_LOG("reader %d: 0-byte pass", i);
	}
	TH_LOG("%ld unloads, %ld refused busy, %ld whole passes, %ld cut by an unload",
	       unloads, refused, passes, cut);
	EXPECT_LT(0, unloads + refused);
	EXPECT_LT(0, passes);
	if (!map_exists())
		ASSERT_EQ(0, mod_load());
	EXPECT_EQ(NULL, fresh_pass_problem());
}

/*
 * SPEC §1.4 asks 1,000 load/unload cycles with readers; the VM suite runs
 * 200 (NSPID_CYCLES overrides) with four readers.
 */
TEST_F_TIMEOUT(mod, load_unload_cycles_with_readers, 900)
{
	struct reader rd[4] = {
		{ .bufsz = 1, .max_bytes = 2000, .gap_us = 200 },
		{ .bufsz = 4096, .gap_us = 200 },
		{ .bufsz = 1 << 20, .gap_us = 200 },
		{ .bufsz = 100, .gap_us = 200 },
	};
	const char *env = getenv("NSPID_CYCLES");
	long cycles = env ? atol(env) : 200, c, passes = 0, prefixes = 0,
	     enoent = 0;
	volatile int stop = 0;
	double t0 = now();
	int i, r;

	ASSERT_LT(0, cycles);
	ASSERT_EQ(0, start_readers(rd, 4, &stop));
	for (c = 0; c < cycles; c++) {
		r = mod_unload_retry(20000);
		if (r) {
			stop_readers(rd, 4, &stop);
			ASSERT_EQ(0, r) TH_LOG("cycle %ld: unload: %s", c, strerror(-r));
		}
		if (map_exists()) {
			stop_readers(rd, 4, &stop);
			ASSERT_FALSE(1) TH_LOG("cycle %ld: file remains after unload", c);
		}
		r = mod_load();
		if (r) {
			stop_readers(rd, 4, &stop);
			ASSERT_EQ(0, r) TH_LOG("cycle %ld: load: %s", c, strerror(-r));
		}
		if (!map_exists()) {
			stop_readers(rd, 4, &stop);
			ASSERT_TRUE(0) TH_LOG("cycle %ld: no file after load", c);
		}
		sched_yield();
	}
	stop_readers(rd, 4, &stop);
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(0, rd[i].bad[0]) TH_LOG("reader %d: %s", i, rd[i].bad);
		EXPECT_EQ(0, rd[i].empty_reads) TH_LOG("reader %d: 0-byte pass", i);
		passes += rd[i].passes;
		prefixes += rd[i].prefixes;
		enoent += rd[i].open_fail;
	}
	TH_LOG("%ld cycles in %.1f s; readers: %ld whole passes, %ld partial, %ld opens found no file",
	       cycles, now() - t0, passes, prefixes, enoent);
	EXPECT_LT(0, passes);
	EXPECT_EQ(NULL, fresh_pass_problem());
}

TEST_HARNESS_MAIN
