// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * scxinfo's JSON string writer, in a file of its own so the fuzz harness (fuzz/fuzz_json.c)
 * checks the very code scxinfo runs.
 */
#include <stdio.h>

#include "scxinfo.h"

/*
 * The length of the well-formed UTF-8 sequence (RFC 3629) that @s starts with, or 0: a stray
 * continuation byte, a truncated sequence, an overlong form, a surrogate or a code point past
 * U+10FFFF; its code point in @code.  The string's NUL ends a truncated sequence like any other
 * non-continuation byte.
 */
static size_t utf8_len(const unsigned char *s, unsigned int *code)
{
	unsigned int cp;
	size_t n, i;

	if (s[0] < 0x80) {
		*code = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*code = cp;
	return n;
}

/* @cp as \uXXXX, or as a UTF-16 surrogate pair past the Basic Multilingual Plane */
static void put_escaped(FILE *out, unsigned int cp)
{
	if (cp < 0x10000) {
		fprintf(out, "\\u%04x", cp);
		return;
	}
	cp -= 0x10000;
	fprintf(out, "\\u%04x\\u%04x", 0xd800 | cp >> 10, 0xdc00 | (cp & 0x3ff));
}

/*
 * JSON text must be UTF-8 (RFC 8259): kernel-provided text that is not, such as a damaged
 * sysfs file, has each byte of an ill-formed sequence written as U+FFFD.  Every character past
 * ASCII is written as a \\u escape, so the output is 7-bit ASCII: json-c 0.17 and 0.18 refuse
 * raw UTF-8 in strings when parsing with JSON_TOKENER_STRICT, and a reader that is not told the
 * encoding gets it right too.
 */
void scxinfo_json_str(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned int cp;
	size_t n;

	if (!s) {
		fputs("null", out);
		return;
	}
	fputc('"', out);
	while (*p) {
		if (*p == '"' || *p == '\\') {
			fprintf(out, "\\%c", *p++);
		} else if (*p < 0x20) {
			fprintf(out, "\\u%04x", *p++);
		} else if (*p < 0x80) {
			fputc(*p++, out);
		} else if ((n = utf8_len(p, &cp))) {
			put_escaped(out, cp);
			p += n;
		} else {
			fputs("\\ufffd", out);
			p++;
		}
	}
	fputc('"', out);
}
