/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * Text written into a caller's buffer with snprintf's contract, shared by the formatters of the
 * cpumask and topology modules: every character is counted, those that fit are stored, and the
 * result is always NUL-terminated (when the buffer has room for anything), so a caller learns
 * the full length from a first call with a small buffer.  Not installed.
 */
#ifndef SCX_TEXTOUT_H
#define SCX_TEXTOUT_H

#include <limits.h>
#include <stddef.h>

#include "internal.h"

struct scx_out {
	char *buf;
	size_t size;
	size_t len;		/* of the full text, stored or not */
};

static inline void scx_out_char(struct scx_out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static inline void scx_out_str(struct scx_out *o, const char *s)
{
	while (*s)
		scx_out_char(o, *s++);
}

static inline void scx_out_uint(struct scx_out *o, unsigned int v)
{
	char tmp[3 * sizeof(v) + 1];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		scx_out_char(o, tmp[--n]);
}

/* Terminate the text; returns its full length, or -EOVERFLOW when an int cannot hold it. */
static inline int scx_out_finish(struct scx_out *o)
{
	if (o->size)
		o->buf[o->len < o->size ? o->len : o->size - 1] = '\0';
	return o->len > INT_MAX ? scx_errno(-EOVERFLOW) : (int)o->len;
}

#endif /* SCX_TEXTOUT_H */
