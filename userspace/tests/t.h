/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny test runner: each RUN() prints "ok - name" or "not ok - name";
 * a failed CHECK() says where on stderr and fails the test it is in.
 */
#ifndef NSPID_T_H
#define NSPID_T_H

#include <stdio.h>
#include <string.h>

static int t_cur_failed, t_passed, t_failed;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "# %s:%d: CHECK(%s) failed\n",		\
			__FILE__, __LINE__, #cond);			\
		t_cur_failed = 1;					\
	}								\
} while (0)

#define CHECK_STR(got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	if (!g_ || strcmp(g_, w_)) {					\
		fprintf(stderr, "# %s:%d: got [%s]\n#   want [%s]\n",	\
			__FILE__, __LINE__, g_ ? g_ : "(null)", w_);	\
		t_cur_failed = 1;					\
	}								\
} while (0)

/* err must start with prefix (e.g. "line 3: ") */
#define CHECK_PREFIX(got, prefix) do {					\
	const char *g_ = (got), *p_ = (prefix);				\
	if (strncmp(g_, p_, strlen(p_))) {				\
		fprintf(stderr, "# %s:%d: got [%s]\n#   want prefix [%s]\n", \
			__FILE__, __LINE__, g_, p_);			\
		t_cur_failed = 1;					\
	}								\
} while (0)

static inline void t_run(const char *name, void (*fn)(void))
{
	t_cur_failed = 0;
	fn();
	printf("%s - %s\n", t_cur_failed ? "not ok" : "ok", name);
	fflush(stdout);
	if (t_cur_failed)
		t_failed++;
	else
		t_passed++;
}

#define RUN(fn) t_run(#fn, fn)
#define T_DONE() (printf("# %d passed, %d failed\n", t_passed, t_failed), \
		  t_failed ? 1 : 0)

#endif
