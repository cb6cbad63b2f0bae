// SPDX-License-Identifier: GPL-2.0
/*
 * Bad input to /proc/nspid_map (SPEC §1.4, issue 7), in one table: every
 * call with the result it must get, an errno or correct data. Written for
 * 6.1's procfs (fs/proc/inode.c: no ->proc_write/->proc_mmap/->proc_ioctl
 * means EIO/EIO/ENOTTY; seq_lseek knows only SEEK_SET and SEEK_CUR); where
 * another kernel answers differently but just as cleanly, the row lists the
 * alternative, never "anything".
 *
 * Every row gets a fresh O_RDONLY descriptor. Rows marked "as nobody" run in
 * a child with uid/gid 65534. After the table the file must be unchanged:
 * mode 0444, and a fresh pass still parses.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <linux/fs.h>

#include "kselftest_harness.h"
#include "map.h"

#define BIG		(1 << 20)
#define HDR		MAP_HEADER "\n"
#define HDRLEN		(sizeof(HDR) - 1)

/*
 * What a row's call did: its return value and errno, and for calls that
 * return data, why the data is wrong (NULL when right).
 */
struct res {
	long ret;
	int err;
	const char *bad;
};

#define OK(v)		do { r->ret = (v); r->err = 0; return; } while (0)
#define SYS(call)	do { long _v = (call); r->ret = _v; \
			     r->err = _v < 0 ? errno : 0; } while (0)

/* n bytes at the start of a pass: the header's first n bytes. */
static const char *header_prefix(const char *buf, size_t n)
{
	if (n > HDRLEN)
		n = HDRLEN;
	return memcmp(buf, HDR, n) ? "bytes are not the header" : NULL;
}

/* A whole pass in buf: parses, ends with a newline, starts with pid 1. */
static const char *whole_pass(const char *buf, size_t len)
{
	static char why[200];
	struct map m;

	if (map_parse(buf, len, &m)) {
		snprintf(why, sizeof(why), "%s", m.err);
		return why;
	}
	if (strcmp(m.header, MAP_HEADER))
		snprintf(why, sizeof(why), "wrong header");
	else if (!m.nrows || m.rows[0].pid != 1)
		snprintf(why, sizeof(why), "no row for pid 1");
	else
		why[0] = '\0';
	map_free(&m);
	return why[0] ? why : NULL;
}

/* The file still reads as a good pass (after writes, truncates...). */
static const char *still_good(void)
{
	size_t len;
	char *buf = map_read_file(MAP_PATH, BIG, &len);
	const char *bad;

	if (!buf)
		return "file no longer readable";
	bad = whole_pass(buf, len);
	free(buf);
	return bad;
}

/* ---- the calls ---------------------------------------------------------- */

static void write_rdonly(int fd, struct res *r) { SYS(write(fd, "x", 1)); }

static void write_wronly(int fd, struct res *r)
{
	int w = open(MAP_PATH, O_WRONLY);

	(void)fd;
	if (w < 0) { SYS(w); return; }
	SYS(write(w, "1\t1\t0\n", 6));
	close(w);
	if (!r->bad)
		r->bad = still_good();
}

static void pwrite_rdwr(int fd, struct res *r)
{
	int w = open(MAP_PATH, O_RDWR);

	(void)fd;
	if (w < 0) { SYS(w); return; }
	SYS(pwrite(w, "#", 1, 0));
	close(w);
}

static void writev_rdwr(int fd, struct res *r)
{
	struct iovec iov[2] = { { "ab", 2 }, { "cd", 2 } };
	int w = open(MAP_PATH, O_RDWR);

	(void)fd;
	if (w < 0) { SYS(w); return; }
	SYS(writev(w, iov, 2));
	close(w);
}

/* root may open for writing (DAC override); reading through it works. */
static void open_rdwr_root(int fd, struct res *r)
{
	char buf[HDRLEN];
	int w = open(MAP_PATH, O_RDWR);

	(void)fd;
	if (w < 0) { SYS(w); return; }
	SYS(read(w, buf, sizeof(buf)));
	if (r->ret == (long)sizeof(buf))
		r->bad = header_prefix(buf, sizeof(buf));
	close(w);
	if (r->ret > 0)
		r->ret = 0;
}

static void open_excl(int fd, struct res *r)
{
	(void)fd;
	SYS(open(MAP_PATH, O_WRONLY | O_CREAT | O_EXCL, 0644));
	if (r->ret >= 0)
		close(r->ret);
}

static void open_directory(int fd, struct res *r)
{
	(void)fd;
	SYS(open(MAP_PATH, O_RDONLY | O_DIRECTORY));
	if (r->ret >= 0)
		close(r->ret);
}

static void open_path_read(int fd, struct res *r)
{
	char c;
	int p = open(MAP_PATH, O_PATH);

	(void)fd;
	if (p < 0) { SYS(p); return; }
	SYS(read(p, &c, 1));
	close(p);
}

/* procfs accepts a truncate by root and ignores it (SPEC §1.4). */
static void truncate_path(int fd, struct res *r)
{
	(void)fd;
	SYS(truncate(MAP_PATH, 0));
	r->bad = still_good();
}

static void ftruncate_rdonly(int fd, struct res *r) { SYS(ftruncate(fd, 0)); }

static void ftruncate_rdwr(int fd, struct res *r)
{
	int w = open(MAP_PATH, O_RDWR);

	(void)fd;
	if (w < 0) { SYS(w); return; }
	SYS(ftruncate(w, 0));
	close(w);
	r->bad = still_good();
}

static void fallocate_rdwr(int fd, struct res *r)
{
	int w = open(MAP_PATH, O_RDWR);

	(void)fd;
	if (w < 0) { SYS(w); return; }
	SYS(fallocate(w, 0, 0, 4096));
	close(w);
}

static void do_mmap(int fd, struct res *r, int prot, int flags)
{
	void *p = mmap(NULL, 4096, prot, flags, fd, 0);

	if (p == MAP_FAILED) {
		r->ret = -1;
		r->err = errno;
		return;
	}
	r->ret = 0;
	r->err = 0;
	munmap(p, 4096);
}

static void mmap_private(int fd, struct res *r) { do_mmap(fd, r, PROT_READ, MAP_PRIVATE); }
static void mmap_shared(int fd, struct res *r) { do_mmap(fd, r, PROT_READ, MAP_SHARED); }
static void mmap_shared_write(int fd, struct res *r)
{
	do_mmap(fd, r, PROT_READ | PROT_WRITE, MAP_SHARED);
}

static void ioctl_tcgets(int fd, struct res *r)
{
	struct termios t;

	SYS(ioctl(fd, TCGETS, &t));
}

static void ioctl_junk(int fd, struct res *r) { SYS(ioctl(fd, 0xdeadbeef, 0)); }

static void ioctl_getflags(int fd, struct res *r)
{
	int flags;

	SYS(ioctl(fd, FS_IOC_GETFLAGS, &flags));
}

/* A generic ioctl the VFS answers itself. */
static void ioctl_fionbio(int fd, struct res *r)
{
	int on = 1;

	SYS(ioctl(fd, FIONBIO, &on));
}

static void lseek_neg_set(int fd, struct res *r) { SYS(lseek(fd, -1, SEEK_SET)); }
static void lseek_neg_cur(int fd, struct res *r) { SYS(lseek(fd, -1, SEEK_CUR)); }
static void lseek_min_set(int fd, struct res *r) { SYS(lseek(fd, LLONG_MIN, SEEK_SET)); }
static void lseek_end(int fd, struct res *r) { SYS(lseek(fd, 0, SEEK_END)); }
static void lseek_data(int fd, struct res *r) { SYS(lseek(fd, 0, SEEK_DATA)); }
static void lseek_hole(int fd, struct res *r) { SYS(lseek(fd, 0, SEEK_HOLE)); }
static void lseek_bad_whence(int fd, struct res *r) { SYS(lseek(fd, 0, 42)); }

/* Seek far past the end: allowed; a read there returns 0 (end of file). */
static void seek_read(int fd, struct res *r, off_t off)
{
	char buf[4096];

	SYS(lseek(fd, off, SEEK_SET));
	if (r->ret < 0)
		return;
	if (r->ret != off) {
		r->bad = "lseek returned another offset";
		return;
	}
	SYS(read(fd, buf, sizeof(buf)));
}

static void lseek_max_read(int fd, struct res *r) { seek_read(fd, r, LLONG_MAX); }
static void lseek_2p40_read(int fd, struct res *r) { seek_read(fd, r, 1LL << 40); }

/* Then back to 0: a fresh pass, whole. */
static void lseek_far_then_zero(int fd, struct res *r)
{
	char *buf;
	size_t len;

	if (lseek(fd, 1LL << 40, SEEK_SET) < 0 || lseek(fd, 0, SEEK_SET)) {
		SYS(-1);
		return;
	}
	buf = map_read_fd(fd, 4096, &len);
	if (!buf) { SYS(-1); return; }
	r->bad = whole_pass(buf, len);
	free(buf);
	OK(0);
}

static void pread_neg(int fd, struct res *r)
{
	char buf[16];

	SYS(pread(fd, buf, sizeof(buf), -1));
}

static void pread_min(int fd, struct res *r)
{
	char buf[16];

	SYS(pread(fd, buf, sizeof(buf), LLONG_MIN));
}

/* pos + count overflows loff_t: rw_verify_area says EINVAL. */
static void pread_max(int fd, struct res *r)
{
	char buf[16];

	SYS(pread(fd, buf, sizeof(buf), LLONG_MAX));
}

static void pread_2p40(int fd, struct res *r)
{
	char buf[4096];

	SYS(pread(fd, buf, sizeof(buf), 1LL << 40));
}

static void read_zero(int fd, struct res *r)
{
	char buf[1];

	SYS(read(fd, buf, 0));
	if (!r->bad && lseek(fd, 0, SEEK_CUR) != 0)
		r->bad = "a 0-byte read moved the offset";
}

/* 1-byte reads: the header, byte by byte. */
static void read_one(int fd, struct res *r)
{
	char buf[HDRLEN];
	size_t i;

	for (i = 0; i < HDRLEN; i++) {
		SYS(read(fd, buf + i, 1));
		if (r->ret != 1)
			return;
	}
	r->bad = header_prefix(buf, HDRLEN);
}

/* One read of 1 MiB: the whole pass; the next read says end of file. */
static void read_big(int fd, struct res *r)
{
	char *buf = malloc(BIG);
	char c;

	if (!buf) { SYS(-1); return; }
	SYS(read(fd, buf, BIG));
	if (r->ret > 0) {
		r->bad = whole_pass(buf, r->ret);
		if (!r->bad && read(fd, &c, 1) != 0)
			r->bad = "a second read after the whole pass returned data";
		r->ret = 0;	/* the length varies; the checks above judged it */
	}
	free(buf);
}

static void read_null(int fd, struct res *r) { SYS(read(fd, NULL, 100)); }

static void read_kernel_addr(int fd, struct res *r)
{
	SYS(read(fd, (void *)0xffffffff81000000UL, 100));
}

/* The buffer ends 10 bytes before an unmapped page: a short read. */
static void read_into_guard(int fd, struct res *r)
{
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) { SYS(-1); return; }
	munmap(p + 4096, 4096);
	SYS(read(fd, p + 4086, 4096));
	if (r->ret > 0)
		r->bad = header_prefix(p + 4086, r->ret);
	munmap(p, 4096);
}

static void readv_odd(int fd, struct res *r)
{
	char a[1], c[100], buf[101];
	struct iovec iov[3] = { { a, 1 }, { NULL, 0 }, { c, 100 } };

	SYS(readv(fd, iov, 3));
	if (r->ret == 101) {
		buf[0] = a[0];
		memcpy(buf + 1, c, 100);
		r->bad = header_prefix(buf, 101);
	}
}

static void preadv2_nowait(int fd, struct res *r)
{
	char buf[64];
	struct iovec iov = { buf, sizeof(buf) };

	SYS(syscall(SYS_preadv2, fd, &iov, 1, 0, 0, RWF_NOWAIT));
}

static void sendfile_out(int fd, struct res *r)
{
	int out = open("/dev/null", O_WRONLY);

	if (out < 0) { SYS(out); return; }
	SYS(sendfile(out, fd, NULL, 4096));
	close(out);
}

static void fsync_rdonly(int fd, struct res *r) { SYS(fsync(fd)); }

static void flock_ex(int fd, struct res *r) { SYS(flock(fd, LOCK_EX | LOCK_NB)); }

static void fcntl_rdlock(int fd, struct res *r)
{
	struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET };

	SYS(fcntl(fd, F_SETLK, &fl));
}

/* procfs has no unlink for its own entries. */
static void unlink_path(int fd, struct res *r)
{
	(void)fd;
	SYS(unlink(MAP_PATH));
	if (access(MAP_PATH, R_OK))
		r->bad = "the file is gone";
}

/* As nobody: opening for writing is refused outright. */
static void as_nobody(struct res *r, int flags, int trunc)
{
	int pfd[2], st;
	int res[2] = { 0, 0 };
	pid_t p;

	if (pipe(pfd)) { SYS(-1); return; }
	p = fork();
	if (p == 0) {
		int v[2];

		close(pfd[0]);
		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(1);
		v[0] = trunc ? truncate(MAP_PATH, 0) : open(MAP_PATH, flags);
		v[1] = errno;
		if (write(pfd[1], v, sizeof(v)) != sizeof(v))
			_exit(2);
		_exit(0);
	}
	close(pfd[1]);
	if (p < 0 || read(pfd[0], res, sizeof(res)) != sizeof(res))
		r->bad = "child failed";
	close(pfd[0]);
	waitpid(p, &st, 0);
	r->ret = res[0] < 0 ? -1 : 0;
	r->err = res[0] < 0 ? res[1] : 0;
}

static void nobody_rdwr(int fd, struct res *r) { (void)fd; as_nobody(r, O_RDWR, 0); }
static void nobody_wronly(int fd, struct res *r) { (void)fd; as_nobody(r, O_WRONLY, 0); }
static void nobody_truncate(int fd, struct res *r) { (void)fd; as_nobody(r, 0, 1); }
static void nobody_rdonly(int fd, struct res *r) { (void)fd; as_nobody(r, O_RDONLY, 0); }

/* ---- the table ---------------------------------------------------------- */

#define ANY_OK	LONG_MIN	/* success with any non-negative value */

struct bad_call {
	const char *name;
	void (*run)(int fd, struct res *r);
	long want;		/* the return value; -1: fails with errs[0] */
	int errs[3];		/* -1: errs[0]; also clean: errs[1], errs[2] */
	long alt;		/* another clean answer some kernels give, or 0 */
};

/* Designated rows: R(name, function, result), result = FAILS(errno...) or
 * GIVES(value); ALT(): another clean answer, with ERRS() when it is -1. */
#define R(n, f, ...)	{ .name = n, .run = f, __VA_ARGS__ }
#define FAILS(...)	.want = -1, .errs = { __VA_ARGS__ }
#define GIVES(v)	.want = (v)
#define ALT(v)		.alt = (v)
#define ERRS(...)	.errs = { __VA_ARGS__ }

static const struct bad_call calls[] = {
	R("write on an O_RDONLY fd", write_rdonly, FAILS(EBADF)),
	/* no ->proc_write: pde_write() says EIO */
	R("write on an O_WRONLY fd (root), file unchanged", write_wronly, FAILS(EIO)),
	/* seq_open() clears FMODE_PWRITE: no positional write at all */
	R("pwrite at 0 on an O_RDWR fd (root)", pwrite_rdwr, FAILS(ESPIPE)),
	R("writev on an O_RDWR fd (root)", writev_rdwr, FAILS(EIO)),
	R("O_RDWR open by root, then read", open_rdwr_root, GIVES(0)),
	R("O_RDWR open as nobody", nobody_rdwr, FAILS(EACCES)),
	R("O_WRONLY open as nobody", nobody_wronly, FAILS(EACCES)),
	R("O_RDONLY open as nobody", nobody_rdonly, GIVES(0)),
	R("truncate as nobody", nobody_truncate, FAILS(EACCES)),
	R("O_CREAT|O_EXCL open", open_excl, FAILS(EEXIST)),
	R("O_DIRECTORY open", open_directory, FAILS(ENOTDIR)),
	/* procfs's setattr takes a truncate by root and ignores the size */
	R("truncate(path, 0) by root, file unchanged", truncate_path,
	  GIVES(0), ALT(-1), ERRS(EPERM, EINVAL)),
	R("ftruncate on an O_RDONLY fd", ftruncate_rdonly, FAILS(EINVAL, EBADF)),
	R("ftruncate on an O_RDWR fd, file unchanged", ftruncate_rdwr,
	  GIVES(0), ALT(-1), ERRS(EPERM, EINVAL)),
	R("fallocate on an O_RDWR fd", fallocate_rdwr, FAILS(EOPNOTSUPP)),
	/* no ->proc_mmap: EIO (ENODEV where procfs has no mmap hook) */
	R("mmap PROT_READ MAP_PRIVATE", mmap_private, FAILS(EIO, ENODEV)),
	R("mmap PROT_READ MAP_SHARED", mmap_shared, FAILS(EIO, ENODEV)),
	R("mmap PROT_WRITE MAP_SHARED on O_RDONLY", mmap_shared_write,
	  FAILS(EACCES)),
	R("ioctl TCGETS", ioctl_tcgets, FAILS(ENOTTY)),
	R("ioctl 0xdeadbeef", ioctl_junk, FAILS(ENOTTY)),
	R("ioctl FS_IOC_GETFLAGS", ioctl_getflags, FAILS(ENOTTY)),
	R("ioctl FIONBIO (answered by the VFS)", ioctl_fionbio, GIVES(0)),
	R("lseek -1 SEEK_SET", lseek_neg_set, FAILS(EINVAL)),
	R("lseek -1 SEEK_CUR at 0", lseek_neg_cur, FAILS(EINVAL)),
	R("lseek LLONG_MIN SEEK_SET", lseek_min_set, FAILS(EINVAL)),
	/* seq_lseek: SEEK_SET and SEEK_CUR only */
	R("lseek 0 SEEK_END", lseek_end, FAILS(EINVAL)),
	R("lseek SEEK_DATA", lseek_data, FAILS(EINVAL)),
	R("lseek SEEK_HOLE", lseek_hole, FAILS(EINVAL)),
	R("lseek whence 42", lseek_bad_whence, FAILS(EINVAL)),
	R("lseek LLONG_MAX, then read: end of file", lseek_max_read,
	  GIVES(0), ALT(-1), ERRS(EINVAL, EOVERFLOW)),
	R("lseek 2^40, then read: end of file", lseek_2p40_read, GIVES(0)),
	R("lseek 2^40, lseek 0, read all: a whole pass", lseek_far_then_zero,
	  GIVES(0)),
	R("pread at -1", pread_neg, FAILS(EINVAL)),
	R("pread at LLONG_MIN", pread_min, FAILS(EINVAL)),
	/* pos + count overflows loff_t: rw_verify_area() */
	R("pread at LLONG_MAX", pread_max, FAILS(EINVAL)),
	R("pread at 2^40: end of file", pread_2p40, GIVES(0)),
	R("read of 0 bytes, offset unchanged", read_zero, GIVES(0)),
	R("reads of 1 byte: the header", read_one, GIVES(1)),
	R("read of 1 MiB: a whole pass, then end of file", read_big, GIVES(0)),
	R("read into NULL", read_null, FAILS(EFAULT)),
	R("read into a kernel address", read_kernel_addr, FAILS(EFAULT)),
	R("read ending 10 bytes before an unmapped page", read_into_guard,
	  GIVES(10), ALT(-1), ERRS(EFAULT)),
	R("readv of 1 + 0 + 100 bytes", readv_odd, GIVES(101)),
	/* no ->splice_read for a ->proc_read file (6.1); older kernels splice */
	R("sendfile to /dev/null", sendfile_out, FAILS(EINVAL), ALT(ANY_OK)),
	R("fsync", fsync_rdonly, FAILS(EINVAL)),
	R("flock LOCK_EX", flock_ex, GIVES(0)),
	R("fcntl F_SETLK read lock", fcntl_rdlock, GIVES(0)),
	/* procfs has no unlink for its entries */
	R("unlink", unlink_path, FAILS(EPERM, EACCES)),
};

static int matches(const struct bad_call *c, long want, const struct res *r)
{
	int i;

	if (want == ANY_OK)
		return r->ret >= 0;
	if (r->ret != want)
		return 0;
	if (want != -1)
		return 1;
	for (i = 0; i < 3 && c->errs[i]; i++)
		if (r->err == c->errs[i])
			return 1;
	return 0;
}

/* Run one row on a fresh O_RDONLY descriptor; 1 when it got its answer. */
static int run_row(struct __test_metadata *_metadata, const struct bad_call *c)
{
	struct res r = { 0, 0, NULL };
	int fd = open(MAP_PATH, O_RDONLY), ok;

	if (fd < 0) {
		TH_LOG("%s: open: %s", c->name, strerror(errno));
		return 0;
	}
	errno = 0;
	c->run(fd, &r);
	close(fd);
	ok = !r.bad && (matches(c, c->want, &r) ||
			(c->alt && matches(c, c->alt, &r)));
	printf("# %-50s %s: %ld%s%s%s%s\n", c->name, ok ? "ok" : "WRONG",
	       r.ret, r.ret < 0 ? " " : "", r.ret < 0 ? strerror(r.err) : "",
	       r.bad ? "; data: " : "", r.bad ? r.bad : "");
	if (!ok)
		TH_LOG("%s: got %ld (%s)%s%s, want %ld (%s)", c->name, r.ret,
		       r.ret < 0 ? strerror(r.err) : "-",
		       r.bad ? ", data: " : "", r.bad ? r.bad : "",
		       c->want, c->want < 0 ? strerror(c->errs[0]) : "-");
	return ok;
}

TEST(every_bad_call_gets_its_answer)
{
	struct stat st;
	size_t i;
	int bad = 0;

	ASSERT_EQ(0, access(MAP_PATH, R_OK)) TH_LOG("module not loaded");
	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		bad += !run_row(_metadata, &calls[i]);
	EXPECT_EQ(0, bad);
	/* Nothing above changed the file. */
	ASSERT_EQ(0, stat(MAP_PATH, &st));
	EXPECT_EQ(0444, st.st_mode & 07777);
	EXPECT_EQ(NULL, still_good());
}

/*
 * Rows that need a kernel feature, each its own test so that a kernel
 * without the feature reports a SKIP (the probe does not touch our file;
 * the module has no say in either answer).
 */

/*
 * O_PATH is 2.6.39 (commit 1abf0c718f15, "New kind of open files - 'location
 * only'"). Older kernels ignore the unknown open flag and hand out an
 * ordinary read descriptor, so probe on /dev/null: a real O_PATH descriptor
 * refuses read() with EBADF.
 */
static int kernel_has_o_path(void)
{
	char c;
	int fd = open("/dev/null", O_PATH), ok;

	if (fd < 0)
		return 0;
	ok = read(fd, &c, 1) < 0 && errno == EBADF;
	close(fd);
	return ok;
}

TEST(o_path_read_row)
{
	static const struct bad_call c =
		R("read on an O_PATH fd", open_path_read, FAILS(EBADF));

	if (!kernel_has_o_path())
		SKIP(return, "O_PATH ignored by this kernel (before 2.6.39)");
	EXPECT_TRUE(run_row(_metadata, &c));
}

/* preadv2 is 4.6 (commit f17d8b35452c); RWF_NOWAIT is 4.13. */
static int kernel_has_preadv2(void)
{
	char c;
	struct iovec iov = { &c, 1 };
	int fd = open("/dev/null", O_RDONLY);
	long r;

	if (fd < 0)
		return 0;
	r = syscall(SYS_preadv2, fd, &iov, 1, 0, 0, 0);
	close(fd);
	return !(r < 0 && errno == ENOSYS);
}

TEST(preadv2_nowait_row)
{
	/*
	 * No FMODE_NOWAIT on procfs files: EOPNOTSUPP (4.6-4.12 knew no
	 * RWF_NOWAIT and answered EOPNOTSUPP for the unknown flag too).
	 */
	static const struct bad_call c =
		R("preadv2 RWF_NOWAIT", preadv2_nowait,
		  FAILS(EOPNOTSUPP, EAGAIN));

	if (!kernel_has_preadv2())
		SKIP(return, "no preadv2 syscall (ENOSYS; it is Linux 4.6+)");
	EXPECT_TRUE(run_row(_metadata, &c));
}

TEST_HARNESS_MAIN
