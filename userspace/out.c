// SPDX-License-Identifier: GPL-2.0
/*
 * out.c - buffered output, numbers and escapes by hand (out.h).
 */
#include <stdlib.h>
#include <string.h>

#include "out.h"

void out_init(struct out *o, FILE *f)
{
	o->f = f;
	o->buf = malloc(OUT_BUF);
	o->p = o->buf ? o->buf : o->small;
	o->end = o->p + (o->buf ? OUT_BUF : OUT_SMALL);
}

void out_flush(struct out *o)
{
	char *start = o->buf ? o->buf : o->small;

	if (o->p > start)
		fwrite(start, 1, (size_t)(o->p - start), o->f);
	o->p = start;
}

void out_done(struct out *o)
{
	out_flush(o);
	free(o->buf);
	o->buf = NULL;
	o->p = o->end = o->small;
}

const char out_pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

void out_mem_slow(struct out *o, const char *s, size_t n)
{
	out_flush(o);
	if ((size_t)(o->end - o->p) < n) {
		fwrite(s, 1, n, o->f);
		return;
	}
	memcpy(o->p, s, n);
	o->p += n;
}

void out_pad(struct out *o, size_t n)
{
	char *p;
	size_t k;

	while (n) {
		k = n < OUT_ROOM ? n : OUT_ROOM;
		p = out_room(o, k);
		memset(p, ' ', k);
		o->p = p + k;
		n -= k;
	}
}

void out_uints(struct out *o, const unsigned int *v, unsigned int n,
	       const char *sep)
{
	size_t seplen = strlen(sep);
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (i)
			out_mem(o, sep, seplen);
		out_uint(o, v[i]);
	}
}

static inline int must_escape(unsigned char c)
{
	return c < 0x20 || c == 0x7f || c == '\\';
}

void out_comm(struct out *o, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, run;
	char *p;

	for (i = 0; i < len; i += run) {
		for (run = 0; i + run < len && !must_escape(u[i + run]); run++)
			;
		if (run) {
			out_mem(o, s + i, run);
			continue;
		}
		p = out_room(o, 4);
		p[0] = '\\';
		p[1] = (char)('0' + (u[i] >> 6));
		p[2] = (char)('0' + ((u[i] >> 3) & 7));
		p[3] = (char)('0' + (u[i] & 7));
		o->p = p + 4;
		run = 1;
	}
}

size_t out_comm_width(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, w = 0;

	for (i = 0; i < len; i++)
		w += must_escape(u[i]) ? 4 : (u[i] & 0xc0) != 0x80;
	return w;
}

static const char hex[] = "0123456789abcdef";

void out_raw(struct out *o, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i;
	char *p;

	for (i = 0; i < len; i++) {
		if (u[i] > 0x20 && u[i] != 0x7f && u[i] != '\\') {
			out_char(o, (char)u[i]);
			continue;
		}
		p = out_room(o, 4);
		p[0] = '\\';
		p[1] = 'x';
		p[2] = hex[u[i] >> 4];
		p[3] = hex[u[i] & 15];
		o->p = p + 4;
	}
}

size_t out_utf8_len(const unsigned char *s, size_t len)
{
	size_t n, i;
	unsigned int cp;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

void out_json_str(struct out *o, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n;
	char *p;

	out_char(o, '"');
	while (i < len) {
		if (u[i] == '"' || u[i] == '\\') {
			p = out_room(o, 2);
			p[0] = '\\';
			p[1] = (char)u[i++];
			o->p = p + 2;
		} else if (u[i] >= 0x20 && u[i] < 0x7f) {
			out_char(o, (char)u[i++]);
		} else if (u[i] >= 0x80 && (n = out_utf8_len(u + i, len - i))) {
			out_mem(o, s + i, n);
			i += n;
		} else {
			p = out_room(o, 6);
			memcpy(p, "\\u00", 4);
			p[4] = hex[u[i] >> 4];
			p[5] = hex[u[i] & 15];
			o->p = p + 6;
			i++;
		}
	}
	out_char(o, '"');
}
