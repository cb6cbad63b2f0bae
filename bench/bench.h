/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench.h - what nspid_bench and nspid_profile both need: a clock, a
 * comparison for qsort, reading a file whole, copying one.
 */
#ifndef NSPID_BENCH_H
#define NSPID_BENCH_H

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

static inline long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* Read @path whole through @buf; the number of lines, or -1. */
static inline long count_lines(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	long lines = 0;
	ssize_t n, i;

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, size)) > 0)
		for (i = 0; i < n; i++)
			lines += buf[i] == '\n';
	close(fd);
	return n < 0 ? -1 : lines;
}

/* Copy @from to a new file @to through @buf; 0 or -1. */
static inline int copy_file(const char *from, const char *to, char *buf,
			    size_t size)
{
	int in = open(from, O_RDONLY);
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t n = -1;

	if (in >= 0 && out >= 0)
		while ((n = read(in, buf, size)) > 0)
			if (write(out, buf, n) != n) {
				n = -1;
				break;
			}
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return n < 0 ? -1 : 0;
}

#endif
