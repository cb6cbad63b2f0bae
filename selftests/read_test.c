// SPDX-License-Identifier: GPL-2.0
/*
 * Reading /proc/nspid_map (SPEC §1.1 header, §1.3 reading, §1.4 bad input):
 * buffer sizes, lseek, pread, zero-size and out-of-range reads, writes,
 * truncate and chmod.
 *
 * "Quiet scene": the VM runs nothing but init and this test, but the kernel
 * may start or end a worker thread at any time, which changes the file.
 * Comparisons between two passes therefore retry a few times and demand
 * that at least one attempt, bracketed by two identical big reads, matches.
 * A module that gets a rule wrong fails every attempt.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "map.h"
#include "procfs_quirks.h"

#define BIG	(1 << 20)
#define TRIES	10

struct text {
	char *buf;
	size_t len;
};

static void text_free(struct text *t)
{
	free(t->buf);
	t->buf = NULL;
	t->len = 0;
}

static int text_eq(const struct text *a, const struct text *b)
{
	return a->len == b->len && !memcmp(a->buf, b->buf, a->len);
}

/* The whole file through a fresh descriptor, @bufsz bytes per read(). */
static int read_all(size_t bufsz, struct text *t)
{
	t->buf = map_read_file(MAP_PATH, bufsz, &t->len);
	return t->buf ? 0 : -1;
}

/* Two identical big reads in a row: the scene is quiet, return that text. */
static int read_quiet(struct text *t)
{
	struct text u;
	int i;

	if (read_all(BIG, t))
		return -1;
	for (i = 0; i < 50; i++) {
		if (read_all(BIG, &u)) {
			text_free(t);
			return -1;
		}
		if (text_eq(t, &u)) {
			text_free(&u);
			return 0;
		}
		text_free(t);
		*t = u;
	}
	text_free(t);
	errno = EAGAIN;
	return -1;
}

/*
 * What a read from offset @off on yields of the pass @q, on this kernel:
 * q[off..], except where seq_file repeats the record a seek lands inside
 * (@repeats, procfs_quirks.h): there the rest of that record, then the
 * record again whole, then the rest of the pass. Records are lines: the
 * header and each row are one ->show() each.
 */
static int after_seek(const struct text *q, size_t off, int repeats,
		      struct text *w)
{
	size_t sol = off, eol = off;

	if (off > q->len)
		off = q->len;
	if (repeats && off > 0 && off < q->len && q->buf[off - 1] != '\n') {
		while (sol > 0 && q->buf[sol - 1] != '\n')
			sol--;
		while (eol < q->len && q->buf[eol] != '\n')
			eol++;
		if (eol < q->len)
			eol++;
	} else {
		sol = eol = off;
	}
	w->len = (eol - off) + (q->len - sol);
	w->buf = malloc(w->len + 1);
	if (!w->buf)
		return -1;
	memcpy(w->buf, q->buf + off, eol - off);
	memcpy(w->buf + (eol - off), q->buf + sol, q->len - sol);
	w->buf[w->len] = '\0';
	return 0;
}

/* Read from @fd's current offset to EOF with @bufsz-byte reads. */
static int read_rest(int fd, size_t bufsz, struct text *t)
{
	t->buf = map_read_fd(fd, bufsz, &t->len);
	return t->buf ? 0 : -1;
}

TEST(mode_is_0444)
{
	struct stat st;

	ASSERT_EQ(0, stat(MAP_PATH, &st));
	EXPECT_TRUE(S_ISREG(st.st_mode));
	EXPECT_EQ(0444, st.st_mode & 07777);
	EXPECT_EQ(0, st.st_uid);
}

TEST(header_line)
{
	struct map m;

	ASSERT_EQ(0, map_load(MAP_PATH, BIG, &m)) TH_LOG("%s", m.err);
	EXPECT_EQ('#', m.header[0]);
	EXPECT_STREQ(MAP_HEADER, m.header);
	map_free(&m);
}

TEST(rows_well_formed_and_ascending)
{
	const struct map_row *self, *init;
	struct map m;
	int i;

	ASSERT_EQ(0, map_load(MAP_PATH, BIG, &m)) TH_LOG("%s", m.err);
	ASSERT_GT(m.nrows, 2);
	for (i = 0; i < m.nrows; i++) {
		const struct map_row *r = &m.rows[i];
		const char *why = map_row_check(r);

		EXPECT_EQ(NULL, why) TH_LOG("line %d: %s", r->line, why);
		/* The test runs in the VM's root namespace: nothing above it. */
		if (r->level == 0) {
			EXPECT_EQ(r->pid, r->nspid);
			EXPECT_EQ(r->tgid, r->nstgid);
		}
		if (i > 0)
			EXPECT_LT(m.rows[i - 1].pid, r->pid)
				TH_LOG("line %d: pid %ld after %ld", r->line,
				       r->pid, m.rows[i - 1].pid);
	}
	/* Rows the test can know by itself. */
	self = map_find(&m, getpid());
	ASSERT_NE(NULL, self);
	EXPECT_EQ(getpid(), self->tgid);
	EXPECT_EQ(getppid(), self->ppid);
	EXPECT_EQ(0, self->level);
	init = map_find(&m, 1);
	ASSERT_NE(NULL, init);
	EXPECT_EQ(1, init->tgid);
	EXPECT_EQ(0, init->ppid);
	EXPECT_EQ(init->pidns, self->pidns);
	map_free(&m);
}

/* SPEC §1.3: any buffer size yields the bytes one 1 MiB read yields. */
TEST(small_reads_equal_one_big_read)
{
	static const size_t sizes[] = { 1, 2, 7, 100, 4095, 4096, 4097, 65536 };
	unsigned int s;

	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		int tries, same = 0;

		for (tries = 0; tries < TRIES && !same; tries++) {
			struct text big, small, after;

			ASSERT_EQ(0, read_quiet(&big));
			ASSERT_EQ(0, read_all(sizes[s], &small));
			ASSERT_EQ(0, read_all(BIG, &after));
			same = text_eq(&big, &small);
			if (!same && text_eq(&big, &after))
				TH_LOG("%zu-byte reads: %zu bytes, 1 MiB read: %zu bytes, scene quiet",
				       sizes[s], small.len, big.len);
			text_free(&big);
			text_free(&small);
			text_free(&after);
		}
		EXPECT_TRUE(same) TH_LOG("%zu-byte reads never matched", sizes[s]);
	}
}

/* Reading at offset 0 again starts a fresh pass. */
TEST(lseek_zero_restarts)
{
	int tries, same = 0;

	for (tries = 0; tries < TRIES && !same; tries++) {
		struct text quiet, first, again;
		char part[100];
		int fd;

		ASSERT_EQ(0, read_quiet(&quiet));
		fd = open(MAP_PATH, O_RDONLY);
		ASSERT_LE(0, fd);
		/* Part of a pass, then back to 0. */
		ASSERT_EQ(sizeof(part), read(fd, part, sizeof(part)));
		ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
		ASSERT_EQ(0, read_rest(fd, 4096, &first));
		/* A whole pass to EOF, then back to 0. */
		ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
		ASSERT_EQ(0, read_rest(fd, 1000, &again));
		close(fd);
		same = text_eq(&quiet, &first) && text_eq(&quiet, &again);
		text_free(&quiet);
		text_free(&first);
		text_free(&again);
	}
	EXPECT_TRUE(same);
}

/*
 * lseek into the middle, read on: the same bytes as the big read there
 * (as this kernel's seq_file makes them: after_seek()).
 */
TEST(lseek_middle)
{
	int tries, same = 0, repeats = procfs_seek_repeats_record();

	ASSERT_LE(0, repeats) TH_LOG("the seq_file seek probe on "
				     "/proc/self/mountinfo could not tell");
	if (repeats)
		TH_LOG("this kernel's seq_file repeats a record sought into");

	for (tries = 0; tries < TRIES && !same; tries++) {
		struct text quiet, rest;
		size_t offs[6];
		unsigned int i;
		off_t end;
		int fd;

		ASSERT_EQ(0, read_quiet(&quiet));
		offs[0] = 1;
		offs[1] = strlen(MAP_HEADER) + 1;	/* first row */
		offs[2] = quiet.len / 3;
		offs[3] = quiet.len / 2 + 1;
		offs[4] = quiet.len - 1;
		offs[5] = quiet.len;
		fd = open(MAP_PATH, O_RDONLY);
		ASSERT_LE(0, fd);
		same = 1;
		for (i = 0; i < 6; i++) {
			struct text want;

			ASSERT_EQ((off_t)offs[i], lseek(fd, offs[i], SEEK_SET));
			ASSERT_EQ(0, read_rest(fd, i % 2 ? 1 : 4096, &rest));
			ASSERT_EQ(0, after_seek(&quiet, offs[i], repeats, &want));
			if (!text_eq(&rest, &want))
				same = 0;
			text_free(&want);
			text_free(&rest);
		}
		/*
		 * SEEK_CUR from the end back into the middle. The end is
		 * where this pass ended, which is quiet.len only if no task
		 * changed meanwhile (then the bytes differ and we try again).
		 */
		end = lseek(fd, 0, SEEK_CUR);
		ASSERT_LE((off_t)offs[2], end);
		ASSERT_EQ((off_t)offs[2], lseek(fd, (off_t)offs[2] - end, SEEK_CUR));
		ASSERT_EQ(0, read_rest(fd, 333, &rest));
		{
			struct text want;

			ASSERT_EQ(0, after_seek(&quiet, offs[2], repeats, &want));
			if (!text_eq(&rest, &want))
				same = 0;
			text_free(&want);
		}
		text_free(&rest);
		close(fd);
		text_free(&quiet);
	}
	EXPECT_TRUE(same);
}

/*
 * pread at offsets: the bytes there (after_seek()), and the file offset
 * stays put.
 */
TEST(pread_offsets)
{
	int tries, same = 0, repeats = procfs_seek_repeats_record();

	ASSERT_LE(0, repeats) TH_LOG("the seq_file seek probe on "
				     "/proc/self/mountinfo could not tell");

	for (tries = 0; tries < TRIES && !same; tries++) {
		struct text quiet, rest;
		char buf[512];
		size_t off;
		int fd;

		ASSERT_EQ(0, read_quiet(&quiet));
		fd = open(MAP_PATH, O_RDONLY);
		ASSERT_LE(0, fd);
		same = 1;
		for (off = 0; off < quiet.len; off += quiet.len / 7 + 13) {
			struct text w;
			size_t want;
			ssize_t n;

			ASSERT_EQ(0, after_seek(&quiet, off, repeats, &w));
			want = w.len < sizeof(buf) ? w.len : sizeof(buf);
			n = pread(fd, buf, sizeof(buf), off);
			ASSERT_EQ((ssize_t)want, n) TH_LOG("pread at %zu", off);
			if (memcmp(buf, w.buf, want))
				same = 0;
			text_free(&w);
		}
		/* Backwards too, which rebuilds the pass from an earlier pid. */
		{
			size_t back[2] = { quiet.len / 2, 5 };
			struct text w;
			int k;

			for (k = 0; k < 2; k++) {
				ASSERT_EQ(0, after_seek(&quiet, back[k], repeats,
							&w));
				ASSERT_LE(10, w.len);
				ASSERT_EQ(10, pread(fd, buf, 10, back[k]));
				if (memcmp(buf, w.buf, 10))
					same = 0;
				text_free(&w);
			}
		}
		ASSERT_EQ(0, pread(fd, buf, sizeof(buf), quiet.len));
		/* pread did not move the offset: read() starts at 0. */
		ASSERT_EQ(0, lseek(fd, 0, SEEK_CUR));
		ASSERT_EQ(0, read_rest(fd, 4096, &rest));
		if (!text_eq(&quiet, &rest))
			same = 0;
		text_free(&rest);
		close(fd);
		text_free(&quiet);
	}
	EXPECT_TRUE(same);
}

TEST(zero_size_reads)
{
	int tries, same = 0;

	for (tries = 0; tries < TRIES && !same; tries++) {
		struct text quiet, rest;
		char buf[64], head[64];
		int fd;

		ASSERT_EQ(0, read_quiet(&quiet));
		fd = open(MAP_PATH, O_RDONLY);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, read(fd, buf, 0));
		ASSERT_EQ(0, lseek(fd, 0, SEEK_CUR));
		ASSERT_EQ(0, pread(fd, buf, 0, 100));
		ASSERT_EQ(sizeof(head), read(fd, head, sizeof(head)));
		ASSERT_EQ(0, read(fd, buf, 0));
		ASSERT_EQ(sizeof(head), lseek(fd, 0, SEEK_CUR));
		ASSERT_EQ(0, read_rest(fd, 4096, &rest));
		same = rest.len + sizeof(head) == quiet.len &&
		       !memcmp(head, quiet.buf, sizeof(head)) &&
		       !memcmp(rest.buf, quiet.buf + sizeof(head), rest.len);
		ASSERT_EQ(0, read(fd, buf, 0));
		close(fd);
		text_free(&rest);
		text_free(&quiet);
	}
	EXPECT_TRUE(same);
}

/* Past the end: EOF or a clean error, and the descriptor still works. */
TEST(huge_offsets)
{
	static const off_t offs[] = {
		1 << 20, (off_t)1 << 31, ((off_t)1 << 32) + 7, (off_t)1 << 40,
		((off_t)1 << 62) - 1,
	};
	struct text quiet, again;
	char buf[4096];
	unsigned int i;
	int fd, tries, same = 0;

	fd = open(MAP_PATH, O_RDONLY);
	ASSERT_LE(0, fd);
	for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		off_t r = lseek(fd, offs[i], SEEK_SET);
		ssize_t n;

		if (r < 0) {
			EXPECT_NE(0, errno);
		} else {
			EXPECT_EQ(offs[i], r);
			n = read(fd, buf, sizeof(buf));
			EXPECT_TRUE(n == 0 || (n < 0 && errno != 0))
				TH_LOG("read at %lld returned %zd", (long long)offs[i], n);
		}
		n = pread(fd, buf, sizeof(buf), offs[i]);
		EXPECT_TRUE(n == 0 || (n < 0 && errno != 0))
			TH_LOG("pread at %lld returned %zd", (long long)offs[i], n);
	}
	errno = 0;
	EXPECT_EQ(-1, lseek(fd, -1, SEEK_SET));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, pread(fd, buf, sizeof(buf), -1));
	EXPECT_EQ(EINVAL, errno);

	for (tries = 0; tries < TRIES && !same; tries++) {
		ASSERT_EQ(0, read_quiet(&quiet));
		ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
		ASSERT_EQ(0, read_rest(fd, 4096, &again));
		same = text_eq(&quiet, &again);
		text_free(&quiet);
		text_free(&again);
	}
	EXPECT_TRUE(same);
	close(fd);
}

/*
 * Run @op, then compare the file with what it was before. Retried for a
 * quiet scene; returns 1 when some attempt saw no change.
 */
static int unchanged_by(void (*op)(void *), void *arg)
{
	int tries;

	for (tries = 0; tries < TRIES; tries++) {
		struct text before, after;
		int same;

		if (read_quiet(&before))
			return 0;
		op(arg);
		if (read_quiet(&after)) {
			text_free(&before);
			return 0;
		}
		same = text_eq(&before, &after);
		text_free(&before);
		text_free(&after);
		if (same)
			return 1;
	}
	return 0;
}

struct write_result {
	int flags;
	int opened, open_errno;
	ssize_t wrote, pwrote, wrote_row;
};

static void root_write(void *arg)
{
	struct write_result *w = arg;
	static const char row[] = "1\t1\t0\t1\t1\t1\t0\t1\t1\tevil\n";
	int fd = open(MAP_PATH, w->flags);

	w->opened = fd >= 0;
	w->open_errno = fd < 0 ? errno : 0;
	w->wrote = w->pwrote = w->wrote_row = -1;
	if (fd < 0)
		return;
	w->wrote = write(fd, "x", 1);
	w->pwrote = pwrite(fd, "0", 1, 0);
	w->wrote_row = write(fd, row, sizeof(row) - 1);
	close(fd);
}

/* SPEC §1.4: write() fails with an error, nothing changes, even for root. */
TEST(root_write_fails_and_changes_nothing)
{
	static const int flags[] = { O_WRONLY, O_RDWR, O_WRONLY | O_APPEND,
				     O_WRONLY | O_TRUNC };
	unsigned int i;

	ASSERT_EQ(0, geteuid());
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		struct write_result w = { .flags = flags[i] };

		EXPECT_TRUE(unchanged_by(root_write, &w))
			TH_LOG("open flags %#x changed the file", flags[i]);
		if (!w.opened) {
			EXPECT_NE(0, w.open_errno);
			continue;
		}
		EXPECT_EQ(-1, w.wrote);
		EXPECT_EQ(-1, w.pwrote);
		EXPECT_EQ(-1, w.wrote_row);
	}
}

/*
 * In a child that became uid/gid 65534 (nobody): open for writing must
 * fail with EACCES unless @may_open (root made the file writable), and a
 * write must fail in any case; reading stays allowed. Returns the child's
 * exit status: 0 when all held, else the number of the rule broken.
 */
static int as_nobody(int may_open)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return 100;
	if (pid == 0) {
		int fd;

		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(99);
		fd = open(MAP_PATH, O_WRONLY);
		if (fd >= 0) {
			if (!may_open)
				_exit(1);
			if (write(fd, "x", 1) != -1)
				_exit(2);
			close(fd);
		} else if (errno != EACCES) {
			_exit(3);
		}
		fd = open(MAP_PATH, O_RDWR);
		if (fd >= 0) {
			if (!may_open)
				_exit(4);
			if (write(fd, "x", 1) != -1)
				_exit(5);
			close(fd);
		} else if (errno != EACCES) {
			_exit(6);
		}
		fd = open(MAP_PATH, O_RDONLY);
		if (fd < 0)
			_exit(7);
		close(fd);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return 101;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 102;
}

static void nobody_write(void *arg)
{
	*(int *)arg = as_nobody(0);
}

TEST(unprivileged_open_for_write_fails)
{
	int rc = -1;

	EXPECT_TRUE(unchanged_by(nobody_write, &rc));
	EXPECT_EQ(0, rc) TH_LOG("rule %d broken (1,4: opened for writing; 3,6: not EACCES; 7: cannot read)", rc);
}

static void root_truncate(void *arg)
{
	int *rc = arg;
	int fd;

	rc[0] = truncate(MAP_PATH, 0);
	fd = open(MAP_PATH, O_RDONLY);
	rc[1] = fd < 0 ? -2 : ftruncate(fd, 0);
	if (fd >= 0)
		close(fd);
}

struct chmod_result {
	int chmod_rc, nobody_rc;
};

static void root_chmod(void *arg)
{
	struct chmod_result *c = arg;

	c->chmod_rc = chmod(MAP_PATH, 0666);
	/* If procfs took the mode, the file must still refuse writes. */
	c->nobody_rc = as_nobody(c->chmod_rc == 0);
	chmod(MAP_PATH, 0444);
}

/* procfs may accept truncate or chmod by root: they change no row. */
TEST(truncate_and_chmod_change_nothing)
{
	struct chmod_result c = { -1, -1 };
	int trunc_rc[2] = { 0, 0 };
	struct stat st;

	EXPECT_TRUE(unchanged_by(root_truncate, trunc_rc));
	TH_LOG("truncate: %d, ftruncate on O_RDONLY: %d", trunc_rc[0], trunc_rc[1]);
	EXPECT_NE(0, trunc_rc[1]);	/* not open for writing: EINVAL/EBADF */
	EXPECT_TRUE(unchanged_by(root_chmod, &c));
	TH_LOG("chmod 0666 by root: %d", c.chmod_rc);
	EXPECT_EQ(0, c.nobody_rc) TH_LOG("rule %d broken after chmod", c.nobody_rc);
	ASSERT_EQ(0, stat(MAP_PATH, &st));
	EXPECT_EQ(0444, st.st_mode & 07777);
}

TEST_HARNESS_MAIN
