// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * scxinfo's JSON string writer (tools/scxinfo-json.c, compiled in here): any text, control
 * bytes, quotes, backslashes and invalid UTF-8 included, must come out as one JSON string in
 * 7-bit ASCII that json-c reads back, strict and validating UTF-8, to the same bytes; except
 * that each byte of an ill-formed UTF-8 sequence becomes U+FFFD, as the reference below
 * (RFC 3629's grammar, written apart from the writer's decoder) says.
 */
#include "config.h"

#include <stdio.h>

#include <json-c/json.h>

#include "fuzz.h"
#include "../tools/scxinfo-json.c"

/* The length of the UTF8-char (RFC 3629, section 4) at @s, or 0. */
static size_t rfc3629_char(const unsigned char *s)
{
	static const struct {
		unsigned char lead_lo, lead_hi, second_lo, second_hi, len;
	} forms[] = {
		{ 0x00, 0x7f, 0, 0, 1 },
		{ 0xc2, 0xdf, 0x80, 0xbf, 2 },
		{ 0xe0, 0xe0, 0xa0, 0xbf, 3 },
		{ 0xe1, 0xec, 0x80, 0xbf, 3 },
		{ 0xed, 0xed, 0x80, 0x9f, 3 },
		{ 0xee, 0xef, 0x80, 0xbf, 3 },
		{ 0xf0, 0xf0, 0x90, 0xbf, 4 },
		{ 0xf1, 0xf3, 0x80, 0xbf, 4 },
		{ 0xf4, 0xf4, 0x80, 0x8f, 4 },
	};
	size_t f, i;

	for (f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
		if (s[0] < forms[f].lead_lo || s[0] > forms[f].lead_hi)
			continue;
		if (forms[f].len == 1)
			return 1;
		if (s[1] < forms[f].second_lo || s[1] > forms[f].second_hi)
			return 0;
		for (i = 2; i < forms[f].len; i++)
			if (s[i] < 0x80 || s[i] > 0xbf)
				return 0;
		return forms[f].len;
	}
	return 0;
}

/* @s with each byte of an ill-formed sequence replaced by U+FFFD (EF BF BD). */
static char *expected(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char *e = malloc(strlen(s) * 3 + 1), *q = e;
	size_t n;

	if (!e)
		return NULL;
	while (*p) {
		n = rfc3629_char(p);
		if (n) {
			memcpy(q, p, n);
			q += n;
			p += n;
		} else {
			memcpy(q, "\xef\xbf\xbd", 3);
			q += 3;
			p++;
		}
	}
	*q = '\0';
	return e;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strdup(data, size), *text = NULL, *want;
	size_t len = 0;
	json_tokener *tok;
	json_object *o;
	FILE *out;

	if (!s)
		return 0;
	out = open_memstream(&text, &len);
	if (!out) {
		free(s);
		return 0;
	}
	scxinfo_json_str(out, s);
	fclose(out);
	/* 7-bit ASCII: json-c 0.17 and 0.18 refuse raw UTF-8 under JSON_TOKENER_STRICT */
	for (size_t i = 0; i < len; i++)
		FUZZ_CHECK((unsigned char)text[i] < 0x80);
	tok = json_tokener_new();
	FUZZ_CHECK(tok != NULL);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, text, (int)len);
	FUZZ_CHECK(o && json_tokener_get_error(tok) == json_tokener_success);
	FUZZ_CHECK(json_tokener_get_parse_end(tok) == len);
	FUZZ_CHECK(json_object_is_type(o, json_type_string));
	want = expected(s);
	if (want) {
		FUZZ_CHECK(strcmp(json_object_get_string(o), want) == 0);
		FUZZ_CHECK((size_t)json_object_get_string_len(o) == strlen(want));
		free(want);
	}
	json_object_put(o);
	json_tokener_free(tok);
	free(text);
	free(s);
	return 0;
}
