// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * scxinfo's JSON string writer (tools/scxinfo-json.c, compiled in here): any text, control
 * bytes, quotes, backslashes and invalid UTF-8 included, must come out as one JSON string that
 * json-c reads back to exactly the same bytes.
 */
#include "config.h"

#include <stdio.h>

#include <json-c/json.h>

#include "fuzz.h"
#include "../tools/scxinfo-json.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strdup(data, size), *text = NULL;
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
	tok = json_tokener_new();
	FUZZ_CHECK(tok != NULL);
	o = json_tokener_parse_ex(tok, text, (int)len);
	FUZZ_CHECK(o && json_tokener_get_error(tok) == json_tokener_success);
	FUZZ_CHECK(json_tokener_get_parse_end(tok) == len);
	FUZZ_CHECK(json_object_is_type(o, json_type_string));
	FUZZ_CHECK(strcmp(json_object_get_string(o), s) == 0);
	FUZZ_CHECK((size_t)json_object_get_string_len(o) == strlen(s));
	json_object_put(o);
	json_tokener_free(tok);
	free(text);
	free(s);
	return 0;
}
