/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output assembled in a 64 KiB buffer and handed to stdio a buffer at a
 * time, numbers and escapes written by hand: printf's format parsing, a
 * putc() or fwrite() per cell and a string built per cell were nine tenths
 * of what `nspid -L` cost on a 30,000-row map (callgrind, bench/callgrind.md).
 * Whoever mixes stdio calls on the same FILE calls out_flush() first.
 */
#ifndef NSPID_OUT_H
#define NSPID_OUT_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define OUT_BUF		65536
#define OUT_SMALL	256	/* if the large buffer cannot be had */
#define OUT_ROOM	64	/* the most out_room() may ask for */

struct out {
	FILE *f;
	char *buf, *p, *end;
	char small[OUT_SMALL];
};

void out_init(struct out *o, FILE *f);
void out_flush(struct out *o);
/* Flush and free the buffer. */
void out_done(struct out *o);

/* Room for n <= OUT_ROOM bytes at the returned pointer; then o->p = end. */
static inline char *out_room(struct out *o, size_t n)
{
	if ((size_t)(o->end - o->p) < n)
		out_flush(o);
	return o->p;
}

static inline void out_char(struct out *o, char c)
{
	*out_room(o, 1) = c;
	o->p++;
}

void out_mem_slow(struct out *o, const char *s, size_t n);

static inline void out_mem(struct out *o, const char *s, size_t n)
{
	if ((size_t)(o->end - o->p) < n) {
		out_mem_slow(o, s, n);
		return;
	}
	memcpy(o->p, s, n);
	o->p += n;
}

/* strlen() of a constant is folded here */
static inline void out_str(struct out *o, const char *s)
{
	out_mem(o, s, strlen(s));
}

void out_pad(struct out *o, size_t n);

/* Decimal digits of v. */
static inline size_t out_digits(unsigned long long v)
{
	size_t n = 1;

	for (;;) {
		if (v < 10)
			return n;
		if (v < 100)
			return n + 1;
		if (v < 1000)
			return n + 2;
		if (v < 10000)
			return n + 3;
		v /= 10000;
		n += 4;
	}
}

extern const char out_pairs[201];	/* "00" "01" ... "99" */

/* v's digits ending at q (out_digits(v) of them before it) */
static inline void out_digits_at(char *q, unsigned long long v)
{
	unsigned int r;

	while (v >= 100) {
		r = (unsigned int)(v % 100);
		v /= 100;
		q -= 2;
		memcpy(q, out_pairs + 2 * r, 2);
	}
	if (v >= 10) {
		memcpy(q - 2, out_pairs + 2 * v, 2);
	} else {
		q[-1] = (char)('0' + v);
	}
}

static inline void out_uint(struct out *o, unsigned long long v)
{
	char *p = out_room(o, 20);

	o->p = p + out_digits(v);
	out_digits_at(o->p, v);
}

/* Numbers joined by sep ("a:b:c"; JSON: "a, b, c"). */
void out_uints(struct out *o, const unsigned int *v, unsigned int n,
	       const char *sep);

/* comm as the map writes it: \ooo for < 0x20, 0x7f and backslash */
void out_comm(struct out *o, const char *s, size_t len);
/* its display width (UTF-8 continuation bytes take no column) */
size_t out_comm_width(const char *s, size_t len);
/* lsns -r's escapes: \xHH for <= 0x20 (space too), 0x7f and backslash */
void out_raw(struct out *o, const char *s, size_t len);
/* Length of the valid UTF-8 sequence at s (len > 0), or 0. */
size_t out_utf8_len(const unsigned char *s, size_t len);
/* a JSON string: \" \\ and \u00XX for control bytes and invalid UTF-8 */
void out_json_str(struct out *o, const char *s, size_t len);

#endif
