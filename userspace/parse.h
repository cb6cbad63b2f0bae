/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Records of /proc/nspid_map (nspid_map(5)) and the parser that builds them.
 */
#ifndef NSPID_PARSE_H
#define NSPID_PARSE_H

#include <stddef.h>

#define NSPID_MAX_LEVEL	32		/* MAX_PID_NS_LEVEL in the kernel */
#define NSPID_PID_MAX	4194304U	/* PID_MAX_LIMIT on 64-bit */
#define NSPID_COMM_MAX	64		/* /proc/PID/status prints <= 63 bytes */
#define NSPID_LINE_MAX	4096		/* longest accepted map line, without \n */
#define NSPID_ERR_MAX	256

/*
 * One task. chain[] and nschain[] (level + 1 numbers each) live in the map's
 * id arrays, starting at index ids; use map_chain() and map_nschain(). comm
 * lives in the map's store of names; a record filled for map_add() (or by
 * status_parse()) points comm at its caller's NSPID_COMM_MAX bytes. Out of
 * the record, a 30,000-task map is half the size, and its pages as many
 * fewer faults to touch.
 */
struct nspid_rec {
	unsigned int pid;
	unsigned int tgid;
	unsigned int ppid;
	unsigned int nspid;
	unsigned int nstgid;
	unsigned int pidns;	/* 0: no inodes (< 3.8) or hidden (map_hidden) */
	unsigned int level;
	unsigned long line;	/* its line in the map; 0: not from a file */
	size_t ids;
	size_t commlen;
	char *comm;		/* raw bytes, NUL-terminated */
};

struct nspid_map {
	struct nspid_rec *recs;
	size_t nrecs;
	size_t recs_cap;
	unsigned int *chain;
	unsigned int *nschain;
	size_t nids;
	size_t ids_cap;
	/* the records' names: chunks that never move, the newest first */
	char *names, *names_end;
	void *chunks;
};

void map_init(struct nspid_map *map);
void map_free(struct nspid_map *map);
const unsigned int *map_chain(const struct nspid_map *map,
			      const struct nspid_rec *rec);
const unsigned int *map_nschain(const struct nspid_map *map,
				const struct nspid_rec *rec);

/*
 * 1 when the row's namespace identity is hidden from the reader (SPEC §1.1:
 * a task it may not ptrace-read, or an ns/pid link it may not read): level
 * above 0, pidns 0, while the first nschain element (the reader's own
 * namespace) is shown. Kernels before 3.8 print 0 everywhere instead.
 */
int map_hidden(const struct nspid_map *map, const struct nspid_rec *rec);
/* Count of such rows. */
size_t map_nhidden(const struct nspid_map *map);

/* Check one record's internal consistency; 0 or -1 with a message in err. */
int map_check_rec(const struct nspid_rec *rec, const unsigned int *chain,
		  const unsigned int *nschain, char *err, size_t errlen);

/* Append a copy of rec with its ids; 0, or -1 when out of memory. */
int map_add(struct nspid_map *map, const struct nspid_rec *rec,
	    const unsigned int *chain, const unsigned int *nschain);

/* Sort by pid and drop repeated pids (keeping the first); for sources
 * that do not deliver rows in order. */
void map_sort(struct nspid_map *map);

/*
 * Streaming parser: feed it any chunks, then finish. Memory is bounded by
 * one line plus the records. On error, err holds "line N: why".
 */
struct nspid_parser {
	struct nspid_map *map;
	unsigned long line;	/* number of the line being assembled */
	size_t len;		/* bytes of it in buf */
	int failed;
	unsigned int last_pid;	/* 0 until a row is seen */
	/* Optional, ascending: only these rows are parsed whole and kept. */
	const unsigned int *want;
	size_t nwant, wanti;
	/* The fast path's memory of the ten-digit inodes of the row before:
	 * pidns, then nschain's by place. */
	struct nspid_inode_text {
		char text[10];
		unsigned int v;	/* 0: none kept */
	} ino[NSPID_MAX_LEVEL + 2];
	char buf[NSPID_LINE_MAX + 1];
	char err[NSPID_ERR_MAX];
};

void parser_init(struct nspid_parser *p, struct nspid_map *map);
int parser_feed(struct nspid_parser *p, const char *data, size_t n);
int parser_finish(struct nspid_parser *p);

/* Whole-input conveniences: 0 on success, -1 with err set. */
int parse_fd(int fd, struct nspid_map *map, char *err, size_t errlen);
/*
 * The same, for lookups of a few PIDs in the live file, whose rows ascend:
 * want[] (nwant PIDs, ascending, no repeats; nwant 0: every row) names the
 * rows to parse whole and keep. Every other row is only checked for its
 * field count and its place in the order (a lookup then costs a tenth of a
 * full parse per row passed), and reading stops at the first row past the
 * highest wanted PID: the rest of the input is not read.
 */
int parse_fd_want(int fd, struct nspid_map *map, const unsigned int *want,
		  size_t nwant, char *err, size_t errlen);
int parse_buf(const char *data, size_t n, struct nspid_map *map,
	      char *err, size_t errlen);

/* Decode the map's \ooo escapes of comm; -1 on a bad escape or overflow. */
int comm_unescape(const char *s, size_t len, char *out, size_t outsz,
		  size_t *outlen);

#endif
