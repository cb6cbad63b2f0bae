// SPDX-License-Identifier: GPL-2.0
/*
 * nspid - translate PIDs between nested PID namespaces (nspid(1)).
 *
 * Exit status: 0 success, 1 a requested PID or namespace not found,
 * 2 usage, input or output error, or an answer that cannot be proven.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lookup.h"
#include "parse.h"
#include "print.h"
#include "query.h"
#include "status.h"

#ifndef NSPID_VERSION
#define NSPID_VERSION "unknown"
#endif

#define EXIT_NOTFOUND	1
#define EXIT_USAGE	2

enum source { SRC_AUTO, SRC_MODULE, SRC_STATUS };

struct options {
	const char *file;
	const char *proc;	/* procfs root: $NSPID_PROC or /proc */
	enum source source;
	unsigned int ns_of;	/* --ns-of PID */
	unsigned int ns;	/* --ns INODE */
	unsigned int to_host;	/* --to-host NSPID */
	int chain;
	int threads;
	int json;
	int verbose;
};

static void __attribute__((noreturn)) usage(void)
{
	fputs("\nUsage:\n"
	      " nspid [options] [PID...]\n"
	      "\nTranslate PIDs between nested PID namespaces.\n"
	      "\nWithout arguments, list every process with its PID inside its own\n"
	      "namespace. With PIDs (as the caller sees them), print each one's PID\n"
	      "inside its own namespace.\n"
	      "\nOptions:\n"
	      " -c, --chain            print each PID's ids from the caller's namespace\n"
	      "                          down to its own, e.g. 6052:1\n"
	      " -p, --ns-of <pid>      list the tasks in the PID namespace of <pid>\n"
	      " -N, --ns <inode>       list the tasks in the PID namespace <inode>\n"
	      " -t, --to-host <nspid>  with --ns-of or --ns: the caller's PID of <nspid>\n"
	      " -L, --threads          one row per thread in the lists\n"
	      " -J, --json             use JSON output format\n"
	      " -f, --file <path>      read a saved copy of /proc/nspid_map\n"
	      " -s, --source <source>  auto (default), module or status\n"
	      " -v, --verbose          say on stderr which source and path answered\n"
	      "\n -h, --help             display this help\n"
	      " -V, --version          display version\n"
	      "\nFor more details see nspid(1).\n", stdout);
	exit(EXIT_SUCCESS);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
errx_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("nspid: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'nspid --help' for more information.\n", stderr);
	exit(EXIT_USAGE);
}

/* A decimal in 1..max; "pid:[N]" (a ns link's text) too when link. */
static unsigned int number(const char *s, unsigned long max, int link,
			   const char *what)
{
	const char *p = s;
	unsigned long v = 0;
	size_t len;

	if (link && !strncmp(p, "pid:[", 5))
		p += 5;
	len = strspn(p, "0123456789");
	if (len == 0 || len > 10)
		errx_usage("invalid %s: '%s'", what, s);
	v = strtoul(p, NULL, 10);
	if (v == 0 || v > max ||
	    strcmp(p + len, p == s ? "" : "]"))
		errx_usage("invalid %s: '%s'", what, s);
	return (unsigned int)v;
}

static void parse_source(struct options *o, const char *s)
{
	if (!strcmp(s, "auto"))
		o->source = SRC_AUTO;
	else if (!strcmp(s, "module"))
		o->source = SRC_MODULE;
	else if (!strcmp(s, "status"))
		o->source = SRC_STATUS;
	else
		errx_usage("unknown source: '%s' (auto, module or status)", s);
}

static void parse_options(struct options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "chain",   no_argument,       NULL, 'c' },
		{ "ns-of",   required_argument, NULL, 'p' },
		{ "ns",      required_argument, NULL, 'N' },
		{ "to-host", required_argument, NULL, 't' },
		{ "threads", no_argument,       NULL, 'L' },
		{ "json",    no_argument,       NULL, 'J' },
		{ "file",    required_argument, NULL, 'f' },
		{ "source",  required_argument, NULL, 's' },
		{ "verbose", no_argument,       NULL, 'v' },
		{ "help",    no_argument,       NULL, 'h' },
		{ "version", no_argument,       NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c, src_given = 0;

	while ((c = getopt_long(argc, argv, "cp:N:t:LJf:s:vhV", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'c': o->chain = 1; break;
		case 'p': o->ns_of = number(optarg, NSPID_PID_MAX, 0, "PID"); break;
		case 'N': o->ns = number(optarg, 0xffffffffUL, 1, "namespace inode"); break;
		case 't': o->to_host = number(optarg, NSPID_PID_MAX, 0, "PID"); break;
		case 'L': o->threads = 1; break;
		case 'J': o->json = 1; break;
		case 'v': o->verbose = 1; break;
		case 'f': o->file = optarg; break;
		case 's': parse_source(o, optarg); src_given = o->source != SRC_AUTO; break;
		case 'h': usage();
		case 'V':
			printf("nspid %s\n", NSPID_VERSION);
			exit(EXIT_SUCCESS);
		default:
			fputs("Try 'nspid --help' for more information.\n", stderr);
			exit(EXIT_USAGE);
		}
	}
	if (o->file && src_given)
		errx_usage("--file and --source %s exclude each other",
			   o->source == SRC_MODULE ? "module" : "status");
}

static void check_combination(const struct options *o, int npids)
{
	int nsq = o->ns_of || o->ns;

	if (o->ns_of && o->ns)
		errx_usage("--ns-of and --ns exclude each other");
	if (o->to_host && !nsq)
		errx_usage("--to-host needs --ns-of PID or --ns INODE");
	if (nsq && npids)
		errx_usage("--ns-of and --ns take no PID arguments");
	if (o->chain && !npids)
		errx_usage("--chain needs PID arguments");
	if (o->threads && (npids || o->to_host))
		errx_usage("--threads applies to the lists only");
}

static void hint(void)
{
	fprintf(stderr,
		"nspid: load the module:             modprobe nspid_map\n"
		"nspid:   or, from the build tree:   insmod ./nspid_map.ko\n"
		"nspid:   or install it with DKMS:   dkms install nspid/%s"
		" && modprobe nspid_map\n"
		"nspid:   (from the source tree:     make dkms-install)\n",
		NSPID_VERSION);
}

static void __attribute__((format(printf, 2, 3)))
said(const struct options *o, const char *fmt, ...)
{
	va_list ap;

	if (!o->verbose)
		return;
	va_start(ap, fmt);
	fputs("nspid: answered by ", stderr);
	vfprintf(stderr, fmt, ap);
	putc('\n', stderr);
	va_end(ap);
}

static int load_file(const char *path, struct nspid_map *map,
		     const unsigned int *want, size_t nwant)
{
	char err[NSPID_ERR_MAX];
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0) {
		fprintf(stderr, "nspid: cannot open %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	rc = parse_fd_want(fd, map, want, nwant, err, sizeof(err));
	close(fd);
	if (rc)
		fprintf(stderr, "nspid: %s: %s\n", path, err);
	return rc;
}

static int load_status(const struct options *o, struct nspid_map *map)
{
	char err[NSPID_ERR_MAX];

	if (!status_available(o->proc)) {
		fprintf(stderr, "nspid: %s/self/status has no NSpid line "
			"(Linux before 4.1): the status source cannot work\n",
			o->proc);
		hint();
		return -1;
	}
	if (status_read(o->proc, map, err, sizeof(err))) {
		fprintf(stderr, "nspid: %s\n", err);
		return -1;
	}
	return 0;
}

/*
 * want: the PIDs asked for (ascending, nwant of them) when only PIDs are
 * looked up, else nwant is 0. The live file is then read only as far as the
 * highest and only their rows are parsed whole; a --file is always read
 * (and checked) whole.
 */
static int load(const struct options *o, struct nspid_map *map,
		const unsigned int *want, size_t nwant)
{
	char path[512];
	int exists;

	if (o->file) {
		said(o, "the file %s", o->file);
		return load_file(o->file, map, NULL, 0);
	}
	snprintf(path, sizeof(path), "%s/nspid_map", o->proc);
	exists = access(path, F_OK) == 0;
	if (o->source == SRC_STATUS) {
		said(o, "the status source, %s/*/task/*/status", o->proc);
		return load_status(o, map);
	}
	/* One task's answer by ioctl, where the module has them. */
	if (exists && (nwant || (o->ns_of && o->to_host)) &&
	    query_load(path, want, nwant, o->ns_of, o->to_host, map) == Q_OK) {
		said(o, "the module, ioctl on %s", path);
		return 0;
	}
	if (exists) {
		said(o, "the module, reading %s", path);
		return load_file(path, map, want, nwant);
	}
	if (o->source == SRC_AUTO && status_available(o->proc)) {
		said(o, "the status source, %s/*/task/*/status", o->proc);
		return load_status(o, map);
	}
	if (o->source == SRC_AUTO)
		fprintf(stderr, "nspid: %s does not exist and %s/self/status "
			"has no NSpid line (Linux before 4.1)\n", path, o->proc);
	else
		fprintf(stderr, "nspid: %s does not exist: the nspid_map module "
			"is not loaded\n", path);
	hint();
	return -1;
}

static int do_pids(const struct options *o, const struct nspid_map *map,
		   const unsigned int *pids, int n)
{
	const struct nspid_rec **found = calloc((size_t)n, sizeof(*found));
	size_t cnt = 0;
	int i, rc = EXIT_SUCCESS;

	if (!found)
		return EXIT_USAGE;
	for (i = 0; i < n; i++) {
		found[cnt] = lookup_pid(map, pids[i]);
		if (found[cnt]) {
			cnt++;
			continue;
		}
		fprintf(stderr, "nspid: PID %u not found\n", pids[i]);
		rc = EXIT_NOTFOUND;
	}
	print_pids(stdout, map, found, cnt, o->chain, o->json);
	free(found);
	return rc;
}

static int do_ns(const struct options *o, const struct nspid_map *map)
{
	char err[NSPID_ERR_MAX];
	const struct nspid_rec *rec = NULL;
	struct nspid_member *m = NULL;
	struct nspid_ns ns;
	size_t n = 0;
	int rc;

	rc = o->ns ? lookup_ns_inode(map, o->ns, &ns, err, sizeof(err)) :
		     lookup_ns_of(map, o->ns_of, &ns, err, sizeof(err));
	if (rc == LK_OK && o->to_host)
		rc = lookup_to_host(map, &ns, o->to_host, &rec, err,
				    sizeof(err));
	else if (rc == LK_OK)
		rc = lookup_members(map, &ns, o->threads, &m, &n, err,
				    sizeof(err));
	if (rc != LK_OK) {
		fprintf(stderr, "nspid: %s\n", err);
		return rc;
	}
	if (rec)
		print_to_host(stdout, &ns, o->to_host, rec, o->json);
	else if (print_members(stdout, map, &ns, m, n, o->json))
		rc = EXIT_USAGE;
	free(m);
	return rc;
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return x < y ? -1 : x > y;
}

static int close_stdout(int rc)
{
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "nspid: write error: %s\n", strerror(errno));
		return EXIT_USAGE;
	}
	return rc;
}

int main(int argc, char **argv)
{
	struct options o = { .source = SRC_AUTO };
	struct nspid_map map;
	unsigned int *pids, *want;
	size_t nwant = 0;
	int i, rc, npids;

	o.proc = getenv("NSPID_PROC");
	if (!o.proc || !*o.proc)
		o.proc = "/proc";
	parse_options(&o, argc, argv);
	npids = argc - optind;
	check_combination(&o, npids);
	pids = calloc((size_t)npids + 1, sizeof(*pids));
	want = calloc((size_t)npids + 1, sizeof(*want));
	if (!pids || !want)
		return EXIT_USAGE;
	for (i = 0; i < npids; i++) {
		pids[i] = number(argv[optind + i], NSPID_PID_MAX, 0, "PID");
		want[i] = pids[i];
	}
	/* the rows to parse: the PIDs asked for, ascending, each once */
	qsort(want, (size_t)npids, sizeof(*want), cmp_uint);
	for (i = 0; i < npids; i++)
		if (!nwant || want[nwant - 1] != want[i])
			want[nwant++] = want[i];
	if (o.ns || o.ns_of)
		nwant = 0;
	map_init(&map);
	rc = load(&o, &map, want, nwant);
	free(want);
	if (rc) {
		map_free(&map);
		free(pids);
		return EXIT_USAGE;
	}
	if (o.ns || o.ns_of)
		rc = do_ns(&o, &map);
	else if (npids)
		rc = do_pids(&o, &map, pids, npids);
	else
		rc = print_table(stdout, &map, o.threads, o.json) ? EXIT_USAGE :
								EXIT_SUCCESS;
	map_free(&map);
	free(pids);
	return close_stdout(rc);
}
