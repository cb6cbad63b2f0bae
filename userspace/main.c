// SPDX-License-Identifier: GPL-2.0
/*
 * nspid - translate PIDs between nested PID namespaces (nspid(1)).
 *
 * main.c holds the options and which question is asked; source.c loads
 * the records, lookup.c answers, procinfo.c and container.c add what the
 * live /proc says, print.c, tree.c and dump.c write the answers.
 *
 * Exit status: 0 success, 1 a requested PID or namespace not found,
 * 2 usage, input or output error, or an answer that cannot be proven.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "columns.h"
#include "dump.h"
#include "lookup.h"
#include "parse.h"
#include "print.h"
#include "procinfo.h"
#include "query.h"
#include "source.h"
#include "tree.h"

#ifndef NSPID_VERSION
#define NSPID_VERSION "unknown"
#endif

#define EXIT_NOTFOUND	1
#define EXIT_USAGE	2

struct options {
	struct load_req req;
	unsigned int ns_of;	/* --ns-of PID */
	unsigned int ns;	/* --ns INODE */
	const char *container;	/* --container ID|NAME */
	unsigned int to_host;	/* --to-host NSPID */
	int chain, threads, json, tree, verbose;
	int dump;		/* --dump [FILE] */
	const char *dump_file;
	const char *output;	/* -o LIST */
	int output_all, raw, noheadings, list_columns;
};

/* long-only options */
enum { OPT_OUTPUT_ALL = 256, OPT_DUMP };

static void __attribute__((noreturn)) usage(void)
{
	fputs("\nUsage:\n"
	      " nspid [options] [PID...]\n"
	      "\nTranslate PIDs between nested PID namespaces.\n"
	      "\nWithout arguments, list every process with its PID inside its own\n"
	      "namespace. With PIDs (as the caller sees them), print each one's PID\n"
	      "inside its own namespace, one line per argument ('-' if not found).\n"
	      "\nQuestions:\n"
	      " -c, --chain            print each PID's ids from the caller's namespace\n"
	      "                          down to its own, e.g. 6052:1\n"
	      " -p, --ns-of <pid>      list the tasks in the PID namespace of <pid>\n"
	      " -N, --ns <inode>       list the tasks in the PID namespace <inode>\n"
	      " -C, --container <id|name>\n"
	      "                        list the tasks in a container's PID namespace\n"
	      "                          (a unique id prefix or an exact name)\n"
	      " -t, --to-host <nspid>  with --ns-of, --ns or --container: the\n"
	      "                          caller's PID of <nspid> in that namespace\n"
	      " -T, --tree             the PID namespace hierarchy as a tree\n"
	      "     --dump [<file>]    write the map in nspid_map(5) format\n"
	      "\nOutput:\n"
	      " -L, --threads, --tasks one row per thread; with --tree, the tasks\n"
	      " -o, --output <list>    the columns to print (+LIST: add to the defaults)\n"
	      "     --output-all       print every column\n"
	      " -l, --list-columns     list the columns and exit\n"
	      " -n, --noheadings       don't print headings\n"
	      " -r, --raw              no alignment, one space, escapes as lsns -r\n"
	      " -J, --json             use JSON output format\n"
	      " -v, --verbose          say on standard error which source answered\n"
	      "\nSources:\n"
	      " -f, --file <path>      read a saved copy of /proc/nspid_map ('-': stdin)\n"
	      " -s, --source <source>  auto (default), module or status\n"
	      "\n -h, --help             display this help\n"
	      " -V, --version          display version\n"
	      "\nAvailable output columns:\n", stdout);
	columns_list(stdout, 0);
	fputs("\nFor more details see nspid(1).\n", stdout);
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
		o->req.source = SRC_AUTO;
	else if (!strcmp(s, "module"))
		o->req.source = SRC_MODULE;
	else if (!strcmp(s, "status"))
		o->req.source = SRC_STATUS;
	else
		errx_usage("unknown source: '%s' (auto, module or status)", s);
}

static void parse_options(struct options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "chain",        no_argument,       NULL, 'c' },
		{ "ns-of",        required_argument, NULL, 'p' },
		{ "ns",           required_argument, NULL, 'N' },
		{ "container",    required_argument, NULL, 'C' },
		{ "to-host",      required_argument, NULL, 't' },
		{ "tree",         no_argument,       NULL, 'T' },
		{ "dump",         optional_argument, NULL, OPT_DUMP },
		{ "threads",      no_argument,       NULL, 'L' },
		{ "tasks",        no_argument,       NULL, 'L' },
		{ "output",       required_argument, NULL, 'o' },
		{ "output-all",   no_argument,       NULL, OPT_OUTPUT_ALL },
		{ "list-columns", no_argument,       NULL, 'l' },
		{ "noheadings",   no_argument,       NULL, 'n' },
		{ "raw",          no_argument,       NULL, 'r' },
		{ "json",         no_argument,       NULL, 'J' },
		{ "verbose",      no_argument,       NULL, 'v' },
		{ "file",         required_argument, NULL, 'f' },
		{ "source",       required_argument, NULL, 's' },
		{ "help",         no_argument,       NULL, 'h' },
		{ "version",      no_argument,       NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c, src_given = 0;

	while ((c = getopt_long(argc, argv, "cp:N:C:t:TLo:lnrJvf:s:hV",
				longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o->chain = 1; break;
		case 'p': o->ns_of = number(optarg, NSPID_PID_MAX, 0, "PID"); break;
		case 'N': o->ns = number(optarg, 0xffffffffUL, 1, "namespace inode"); break;
		case 'C':
			if (!*optarg)
				errx_usage("--container needs an id or a name");
			o->container = optarg;
			break;
		case 't': o->to_host = number(optarg, NSPID_PID_MAX, 0, "PID"); break;
		case 'T': o->tree = 1; break;
		case OPT_DUMP: o->dump = 1; o->dump_file = optarg; break;
		case 'L': o->threads = 1; break;
		case 'o': o->output = optarg; break;
		case OPT_OUTPUT_ALL: o->output_all = 1; break;
		case 'l': o->list_columns = 1; break;
		case 'n': o->noheadings = 1; break;
		case 'r': o->raw = 1; break;
		case 'J': o->json = 1; break;
		case 'v': o->verbose = 1; break;
		case 'f': o->req.file = optarg; break;
		case 's': parse_source(o, optarg); src_given = o->req.source != SRC_AUTO; break;
		case 'h': usage();
		case 'V':
			printf("nspid %s\n", NSPID_VERSION);
			exit(EXIT_SUCCESS);
		default:
			fputs("Try 'nspid --help' for more information.\n", stderr);
			exit(EXIT_USAGE);
		}
	}
	if (o->req.file && src_given)
		errx_usage("--file and --source %s exclude each other",
			   o->req.source == SRC_MODULE ? "module" : "status");
}

static int nsq(const struct options *o)
{
	return !!o->ns_of + !!o->ns + !!o->container;
}

static void check_combination(struct options *o, int npids)
{
	int cols = o->output || o->output_all;

	if (nsq(o) > 1)
		errx_usage("--ns-of, --ns and --container exclude each other");
	if (o->to_host && !nsq(o))
		errx_usage("--to-host needs --ns-of PID, --ns INODE or --container ID");
	if (nsq(o) && npids)
		errx_usage("--ns-of, --ns and --container take no PID arguments");
	if (o->chain && !npids)
		errx_usage("--chain needs PID arguments");
	if (o->threads && (npids || o->to_host))
		errx_usage("--threads applies to the lists and the tree only");
	if (o->tree && (nsq(o) || npids || o->chain || o->dump || cols))
		errx_usage("--tree takes no PIDs, no namespace and no columns");
	if (o->dump && (nsq(o) || o->chain || o->json || cols || o->threads ||
			npids > 1))
		errx_usage("--dump takes at most a FILE and the source options");
	if (o->dump && npids == 1 && o->dump_file)
		errx_usage("--dump takes one FILE");
	if (cols && (o->to_host || o->chain))
		errx_usage("--output and --output-all do not apply to --to-host and --chain");
	if (o->output && o->output_all)
		errx_usage("--output and --output-all exclude each other");
}

/* The columns of kind: defaults, -o LIST or --output-all. */
static size_t choose_columns(const struct options *o, enum col_kind kind,
			     int *cols)
{
	char err[NSPID_ERR_MAX];
	size_t n;

	if (o->output_all)
		return columns_all(kind, cols);
	n = columns_default(kind, o->threads, o->json, cols);
	if (!o->output)
		return n;
	n = columns_parse(o->output, kind, cols, n, err, sizeof(err));
	if (!n)
		errx_usage("%s", err);
	return n;
}

static int do_pids(const struct options *o, struct print_ctx *x,
		   const unsigned int *pids, int n)
{
	struct prow *rows = calloc((size_t)n + 1, sizeof(*rows));
	int cols[COLS_MAX];
	int i, rc = EXIT_SUCCESS;

	if (!rows)
		return EXIT_USAGE;
	for (i = 0; i < n; i++) {
		rows[i].arg = pids[i];
		rows[i].rec = lookup_pid(x->map, pids[i]);
		if (rows[i].rec)
			continue;
		fprintf(stderr, "nspid: PID %u not found\n", pids[i]);
		rc = EXIT_NOTFOUND;
	}
	if (o->json || o->output || o->output_all) {
		x->ncols = choose_columns(o, CK_PIDS, cols);
		x->cols = cols;
		if (print_rows(stdout, x, rows, (size_t)n))
			rc = EXIT_USAGE;
	} else {
		print_pid_lines(stdout, x->map, rows, (size_t)n, o->chain);
	}
	free(rows);
	return rc;
}

static int pick_ns(const struct options *o, struct print_ctx *x,
		   struct nspid_ns *ns, char *err, size_t errlen)
{
	unsigned int pid = o->ns_of;
	int rc;

	if (o->ns)
		return lookup_ns_inode(x->map, o->ns, ns, err, errlen);
	if (o->container) {
		rc = procinfo_find_container(x->pi, o->container, &pid, err,
					     errlen);
		if (rc != LK_OK)
			return rc;
	}
	return lookup_ns_of(x->map, pid, ns, err, errlen);
}

static int do_ns(const struct options *o, struct print_ctx *x)
{
	char err[NSPID_ERR_MAX];
	const struct nspid_rec *rec = NULL;
	struct nspid_member *m = NULL;
	struct prow *rows = NULL;
	struct nspid_ns ns;
	int cols[COLS_MAX];
	size_t n = 0, i;
	int rc;

	rc = pick_ns(o, x, &ns, err, sizeof(err));
	if (rc == LK_OK && o->to_host)
		rc = lookup_to_host(x->map, &ns, o->to_host, &rec, err,
				    sizeof(err));
	else if (rc == LK_OK)
		rc = lookup_members(x->map, &ns, o->threads, &m, &n, err,
				    sizeof(err));
	if (rc != LK_OK) {
		fprintf(stderr, "nspid: %s\n", err);
		return rc;
	}
	x->ns = &ns;
	if (rec) {
		print_to_host(stdout, x, o->to_host, rec);
		return rc;
	}
	rows = calloc(n + 1, sizeof(*rows));
	if (!rows) {
		free(m);
		return EXIT_USAGE;
	}
	for (i = 0; i < n; i++) {
		rows[i].rec = m[i].rec;
		rows[i].m = &m[i];
	}
	x->ncols = choose_columns(o, CK_LISTING, cols);
	x->cols = cols;
	if (print_rows(stdout, x, rows, n))
		rc = EXIT_USAGE;
	free(rows);
	free(m);
	return rc;
}

static int do_table(const struct options *o, struct print_ctx *x)
{
	int cols[COLS_MAX];

	x->ncols = choose_columns(o, CK_TABLE, cols);
	x->cols = cols;
	x->threads = o->threads;
	return print_rows(stdout, x, NULL, 0) ? EXIT_USAGE : EXIT_SUCCESS;
}

static int do_tree(const struct options *o, struct print_ctx *x)
{
	char err[NSPID_ERR_MAX];
	int rc;

	rc = tree_print(stdout, x, o->threads, o->threads,
			tree_style_for(stdout), err, sizeof(err));
	if (rc != LK_OK)
		fprintf(stderr, "nspid: %s\n", err);
	return rc;
}

static int do_dump(const struct options *o, const struct nspid_map *map)
{
	const char *path = o->dump_file;
	FILE *f = stdout;

	if (path && strcmp(path, "-")) {
		f = fopen(path, "w");
		if (!f) {
			fprintf(stderr, "nspid: cannot create %s: %s\n", path,
				strerror(errno));
			return EXIT_USAGE;
		}
	}
	dump_map(f, map);
	if (f != stdout && fclose(f)) {
		fprintf(stderr, "nspid: write error on %s: %s\n", path,
			strerror(errno));
		return EXIT_USAGE;
	}
	return EXIT_SUCCESS;
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

/* Does nspid PID... print a column that may need the task's namespace
 * init (a container, when the task's own cgroup names none)? */
static int pids_need_ns(const struct options *o)
{
	int cols[COLS_MAX];
	size_t i, n;

	if (!o->json && !o->output && !o->output_all)
		return 0;
	n = choose_columns(o, CK_PIDS, cols);
	for (i = 0; i < n; i++)
		if (cols[i] == COL_CONTAINER || cols[i] == COL_POD)
			return 1;
	return 0;
}

/* What the question needs read (the status source reads no more). */
static enum need need_of(const struct options *o, int npids)
{
	if (o->dump || o->tree || o->threads || o->to_host)
		return NEED_ALL;
	if (npids)
		return pids_need_ns(o) ? NEED_ALL : NEED_PIDS;
	return NEED_PROCS;
}

/* One PID's plain line, which query_quick() may answer alone (-v shows
 * the general path's source; every other option needs the map). */
static int quick(const struct options *o)
{
	return o->req.need == NEED_PIDS && !nsq(o) && !o->json &&
	       !o->output && !o->output_all && !o->verbose && !o->dump &&
	       !o->req.file && o->req.source != SRC_STATUS;
}

/* --to-host N --ns-of P's plain line, the same way. */
static int quick_to_host(const struct options *o, int npids)
{
	return !npids && o->to_host && o->ns_of && !o->ns && !o->container &&
	       !o->json && !o->output && !o->output_all && !o->verbose &&
	       !o->dump && !o->tree && !o->threads && !o->chain &&
	       !o->req.file && o->req.source != SRC_STATUS;
}

static int answer(const struct options *o, struct print_ctx *x,
		  const unsigned int *pids, int npids)
{
	if (o->dump)
		return do_dump(o, x->map);
	if (o->tree)
		return do_tree(o, x);
	if (nsq(o))
		return do_ns(o, x);
	if (npids)
		return do_pids(o, x, pids, npids);
	return do_table(o, x);
}

int main(int argc, char **argv)
{
	struct options o = { .req.source = SRC_AUTO };
	struct procinfo_set pi = { 0 };
	struct print_ctx x = { 0 };
	struct nspid_map map;
	struct loaded from;
	unsigned int *pids, *want;
	size_t nwant = 0;
	int i, rc, npids;

	o.req.proc = getenv("NSPID_PROC");
	if (!o.req.proc || !*o.req.proc)
		o.req.proc = "/proc";
	parse_options(&o, argc, argv);
	if (o.list_columns) {
		columns_list(stdout, o.json);
		return close_stdout(EXIT_SUCCESS);
	}
	npids = argc - optind;
	check_combination(&o, npids);
	if (o.dump && npids == 1) {
		o.dump_file = argv[optind];
		npids = 0;
	}
	o.req.need = need_of(&o, npids);
	if (npids == 1 && quick(&o) &&
	    query_quick(o.req.proc, number(argv[optind], NSPID_PID_MAX, 0,
					   "PID"), o.chain, stdout) == Q_OK)
		return close_stdout(EXIT_SUCCESS);
	if (quick_to_host(&o, npids) &&
	    query_quick_to_host(o.req.proc, o.ns_of, o.to_host,
				stdout) == Q_OK)
		return close_stdout(EXIT_SUCCESS);
	pids = calloc((size_t)npids + 1, sizeof(*pids));
	want = calloc((size_t)npids + 1, sizeof(*want));
	if (!pids || !want)
		return EXIT_USAGE;
	for (i = 0; i < npids; i++) {
		pids[i] = number(argv[optind + i], NSPID_PID_MAX, 0, "PID");
		want[i] = pids[i];
	}
	/* the rows to read: the PIDs asked for, ascending, each once */
	qsort(want, (size_t)npids, sizeof(*want), cmp_uint);
	for (i = 0; i < npids; i++)
		if (!nwant || want[nwant - 1] != want[i])
			want[nwant++] = want[i];
	o.req.want = want;
	o.req.nwant = nwant;
	if (o.to_host && o.ns_of && !o.container && !o.dump && !o.tree) {
		o.req.ns_of = o.ns_of;
		o.req.to_host = o.to_host;
	}
	map_init(&map);
	rc = source_load(&o.req, &map, &from);
	free(want);
	if (rc) {
		map_free(&map);
		free(pids);
		return EXIT_USAGE;
	}
	if (o.verbose)
		fprintf(stderr, "nspid: source: %s (%s)\n", from.source,
			from.what);
	if (procinfo_init(&pi, &map, from.live ? o.req.proc : NULL)) {
		map_free(&map);
		free(pids);
		return EXIT_USAGE;
	}
	x.map = &map;
	x.pi = &pi;
	x.json = o.json;
	x.raw = o.raw;
	x.noheadings = o.noheadings;
	x.source = from.source;
	rc = answer(&o, &x, pids, npids);
	procinfo_free(&pi);
	map_free(&map);
	free(pids);
	return close_stdout(rc);
}
