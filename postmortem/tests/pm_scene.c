// SPDX-License-Identifier: GPL-2.0
/*
 * pm_scene - the guest side of make check-postmortem (issue 14).
 *
 *   pm_scene CONTROL_TTY
 *
 * Builds the scene of selftests/scene_test.c and holds it: pid namespaces
 * nested three deep (root -> L1 -> L2 -> L3), a three-thread init and a
 * three-thread worker at each nested level, a three-thread worker in the
 * root namespace, a zombie at L2, every thread named with TAB, newline,
 * backslash, space, 0x7f and non-ASCII bytes; and, parked at L1 and L3
 * and in the root namespace, churners that start when told to.
 *
 * Then, on stdout (the console), every line prefixed "NSPID-PM: ":
 *
 *   MAP BEGIN / L <hex> ... / MAP END   /proc/nspid_map, read once, with
 *                                       nothing running in the guest
 *   DUMP quiet                          the host may stop and dump now; it
 *                                       writes one byte to CONTROL_TTY when
 *                                       done. No task starts or ends
 *                                       between the read and that byte (this
 *                                       process only waits for it).
 *   PASS n BEGIN / L <hex> / PASS n END with the churners running, the map
 *                                       read again and again
 *   DUMP churn                          (after two passes) the host may
 *                                       stop and dump whenever it likes,
 *                                       then writes a byte
 *   GO after pass K                     the byte came after pass K: passes
 *                                       up to K-1 ended before the stop, K
 *                                       ended before it or was under way,
 *                                       K+1 and K+2 (printed now) follow it
 *   PASSES END                          then the scene is torn down.
 *
 * Lines are hex so that the console's CR/LF handling, and a kernel message
 * landing mid-line, cannot change a byte unnoticed. Exit status 0 when
 * everything went as described.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#ifndef CLONE_NEWPID
#define CLONE_NEWPID	0x20000000
#endif

enum { W0, I1, W1, I2, W2, I3, W3, Z, NROLES };
#define NTHREADS	3
/* Roles that name themselves and report ready: 7 * 3 threads + Z. */
#define NREADY		(7 * NTHREADS + 1)
#define NCHURNERS	3
/* Each churn child lives this long, much longer than a pass. */
#define CHURN_LIFE_MS	1200
#define CHURN_EVERY_MS	150

static int ready_w, go_r, churn_r;

static void die(const char *what)
{
	fprintf(stderr, "pm_scene: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* The names of scene_test.c's scene_name(). */
static void scene_name(int r, int t, char *buf, size_t len)
{
	static const char *const fmt[NTHREADS] = {
		"\t%c%d sp ace\\",
		"n\n%c%d\x7f\x01 x",
		"\\\\\t\n\x7f%c%d\xc3\xa9 truncated here",
	};

	if (r == Z)
		snprintf(buf, len, "zo\tmb\\ie\n\x7f%d", t);
	else
		snprintf(buf, len, fmt[t], 'A' + r, t);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void say_ready(void)
{
	if (write(ready_w, "r", 1) != 1)
		_exit(91);
}

static void name_self(int role, int t)
{
	char name[64];

	scene_name(role, t, name, sizeof(name));
	if (prctl(PR_SET_NAME, name, 0, 0, 0))
		_exit(92);
}

struct targ {
	int role, t;
};

static void *thread_main(void *p)
{
	struct targ *a = p;

	name_self(a->role, a->t);
	say_ready();
	for (;;)
		pause();
	return NULL;
}

/* This process becomes @role: its leader and two more threads. */
static void become(int role)
{
	static struct targ args[NTHREADS];
	pthread_t th;
	int t;

	for (t = 1; t < NTHREADS; t++) {
		args[t].role = role;
		args[t].t = t;
		if (pthread_create(&th, NULL, thread_main, &args[t]))
			_exit(93);
	}
	name_self(role, 0);
	say_ready();
}

static void park(void)
{
	for (;;)
		pause();
}

static pid_t clone_pidns(void)
{
	return syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0);
}

static pid_t fork_or_die(void)
{
	pid_t pid = fork();

	if (pid < 0)
		_exit(94);
	return pid;
}

/*
 * A churner: parked until the churn starts, then forever a new child every
 * CHURN_EVERY_MS, each renamed, every other one with a second thread,
 * each living CHURN_LIFE_MS; the churner reaps them (no reparenting: a
 * churn task's row changes only by its rename).
 */
static void *churn_thread(void *arg)
{
	prctl(PR_SET_NAME, arg, 0, 0, 0);
	for (;;)
		pause();
	return NULL;
}

static void churner(int id)
{
	char c, name[32];
	unsigned int k;

	prctl(PR_SET_NAME, "churner", 0, 0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	while (read(churn_r, &c, 1) < 0 && errno == EINTR)
		;
	for (k = 0;; k++) {
		pid_t pid = fork();

		if (pid == 0) {
			static char tname[32];
			pthread_t th;

			prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
			snprintf(name, sizeof(name), "ch\t%d\n%u", id, k);
			prctl(PR_SET_NAME, name, 0, 0, 0);
			if (k % 2) {
				snprintf(tname, sizeof(tname), "ch\\%d t%u", id, k);
				pthread_create(&th, NULL, churn_thread, tname);
			}
			sleep_ms(CHURN_LIFE_MS);
			_exit(0);
		}
		sleep_ms(CHURN_EVERY_MS);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
	}
}

static void level3(void)
{
	become(I3);
	if (fork_or_die() == 0) {
		become(W3);
		park();
	}
	if (fork_or_die() == 0)
		churner(3);
	park();
}

static void level2(void)
{
	pid_t pid;

	become(I2);
	if (fork_or_die() == 0) {
		become(W2);
		park();
	}
	/* The zombie: exits at once; I2 never reaps it. */
	pid = fork_or_die();
	if (pid == 0) {
		name_self(Z, 0);
		say_ready();
		_exit(0);
	}
	pid = clone_pidns();
	if (pid < 0)
		_exit(95);
	if (pid == 0)
		level3();
	park();
}

static void level1(void)
{
	pid_t pid;

	become(I1);
	if (fork_or_die() == 0) {
		become(W1);
		park();
	}
	if (fork_or_die() == 0)
		churner(1);
	pid = clone_pidns();
	if (pid < 0)
		_exit(95);
	if (pid == 0)
		level2();
	park();
}

static void say(const char *s)
{
	size_t len = strlen(s), off = 0;

	while (off < len) {
		ssize_t n = write(1, s + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die("write");
		off += n;
	}
}

/* The whole file, read with one open; NULL on error. */
static char *read_map(size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	int fd = open("/proc/nspid_map", O_RDONLY);

	if (!buf || fd < 0) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	for (;;) {
		ssize_t r;

		if (n == cap) {
			char *p = realloc(buf, cap *= 2);

			if (!p)
				break;
			buf = p;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			close(fd);
			return NULL;
		}
		if (r == 0)
			break;
		n += r;
	}
	close(fd);
	*len = n;
	return buf;
}

/* Each line of the map as "NSPID-PM: L <hex>\n", one write() a line. */
static void print_map(const char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0;

	while (i < len) {
		char out[4096];
		size_t o = 0;

		memcpy(out, "NSPID-PM: L ", 12);
		o = 12;
		while (i < len && o < sizeof(out) - 4) {
			unsigned char c = buf[i++];

			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
			if (c == '\n')
				break;
		}
		out[o++] = '\n';
		out[o] = '\0';
		say(out);
	}
}

static int map_once(const char *begin, const char *end)
{
	size_t len;
	char *buf = read_map(&len);

	if (!buf)
		return -1;
	say(begin);
	print_map(buf, len);
	say(end);
	free(buf);
	return 0;
}

/* Wait for the host's byte on the control tty; timeout_ms < 0: forever. */
static int wait_host(int fd, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char c;

	for (;;) {
		int n = poll(&p, 1, timeout_ms);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		if (read(fd, &c, 1) == 1)
			return 1;
	}
}

int main(int argc, char **argv)
{
	int ready[2], go[2], churn[2], ctl, got = 0, pass, rc = 0;
	pid_t kids[NCHURNERS + 2];
	struct termios tio;
	char c, line[64];
	int nkids = 0, i;

	if (argc != 2) {
		fprintf(stderr, "usage: pm_scene CONTROL_TTY\n");
		return 2;
	}
	ctl = open(argv[1], O_RDWR | O_NOCTTY);
	if (ctl < 0)
		die(argv[1]);
	if (tcgetattr(ctl, &tio) == 0) {
		cfmakeraw(&tio);
		tcsetattr(ctl, TCSANOW, &tio);
	}
	tcflush(ctl, TCIFLUSH);
	if (pipe(ready) || pipe(go) || pipe(churn))
		die("pipe");
	ready_w = ready[1];
	go_r = go[0];
	churn_r = churn[0];
	prctl(PR_SET_NAME, "pm_scene", 0, 0, 0);

	kids[nkids] = fork_or_die();
	if (kids[nkids] == 0) {
		become(W0);
		park();
	}
	nkids++;
	kids[nkids] = fork_or_die();
	if (kids[nkids] == 0)
		churner(0);
	nkids++;
	kids[nkids] = clone_pidns();
	if (kids[nkids] < 0)
		die("clone(CLONE_NEWPID)");
	if (kids[nkids] == 0)
		level1();
	nkids++;

	while (got < NREADY && read(ready[0], &c, 1) == 1)
		got++;
	if (got < NREADY) {
		fprintf(stderr, "pm_scene: only %d of %d tasks ready\n", got, NREADY);
		rc = 1;
		goto out;
	}
	/* The zombie's exit and the thread names settle. */
	sleep_ms(500);

	if (map_once("NSPID-PM: MAP BEGIN\n", "NSPID-PM: MAP END\n")) {
		fprintf(stderr, "pm_scene: cannot read /proc/nspid_map\n");
		rc = 1;
		goto out;
	}
	say("NSPID-PM: DUMP quiet\n");
	if (!wait_host(ctl, 600 * 1000)) {
		fprintf(stderr, "pm_scene: no word from the host\n");
		rc = 1;
		goto out;
	}

	/* The churn: one byte per churner (three levels: root, L1, L3). */
	for (i = 0; i < NCHURNERS; i++)
		if (write(churn[1], "g", 1) != 1)
			die("write");
	sleep_ms(CHURN_LIFE_MS);
	for (pass = 1;; pass++) {
		char begin[48], end[48];

		snprintf(begin, sizeof(begin), "NSPID-PM: PASS %d BEGIN\n", pass);
		snprintf(end, sizeof(end), "NSPID-PM: PASS %d END\n", pass);
		if (map_once(begin, end)) {
			rc = 1;
			break;
		}
		if (pass == 2)
			say("NSPID-PM: DUMP churn\n");
		if (pass >= 2 && wait_host(ctl, 50)) {
			snprintf(line, sizeof(line), "NSPID-PM: GO after pass %d\n", pass);
			say(line);
			for (i = 1; i <= 2; i++) {
				snprintf(begin, sizeof(begin), "NSPID-PM: PASS %d BEGIN\n", pass + i);
				snprintf(end, sizeof(end), "NSPID-PM: PASS %d END\n", pass + i);
				if (map_once(begin, end))
					rc = 1;
			}
			break;
		}
		if (pass > 20000) {
			fprintf(stderr, "pm_scene: no word from the host\n");
			rc = 1;
			break;
		}
	}
	say("NSPID-PM: PASSES END\n");
out:
	/* Killing L1's init kills L1 and everything nested in it. */
	for (i = 0; i < nkids; i++)
		kill(kids[i], SIGKILL);
	while (wait(NULL) > 0)
		;
	snprintf(line, sizeof(line), "NSPID-PM: SCENE END rc=%d\n", rc);
	say(line);
	return rc;
}
