// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * The restore journal's parser: any bytes are either refused with -EINVAL and a reason, or
 * accepted; an accepted journal formats back to text that parses to the same knobs, and every
 * accepted path stays under sys/ or proc/ with no ".." component (a journal must never make
 * the restore write anywhere else).
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "fuzz.h"
#include "../libscx/journal_internal.h"

static int same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scx_journal_doc doc, again;
	const char *why = NULL;
	unsigned int i;
	char *text;
	int ret, len;

	ret = scx_journal_parse((const char *)data, size, &doc, &why);
	FUZZ_CHECK(ret == 0 || ret == -EINVAL || ret == -ENOMEM);
	if (ret) {
		FUZZ_CHECK(ret != -EINVAL || (why && *why));
		return 0;
	}
	for (i = 0; i < doc.nr; i++) {
		const char *p = doc.k[i].path;

		FUZZ_CHECK(!strncmp(p, "sys/", 4) || !strncmp(p, "proc/", 5));
		FUZZ_CHECK(!strstr(p, "/../") && !strstr(p, "//") && strcmp(p + strlen(p) - 3, "/.."));
	}
	len = scx_journal_format(&doc, &text);
	if (len >= 0) {
		FUZZ_CHECK((size_t)len == strlen(text));
		ret = scx_journal_parse(text, (size_t)len, &again, &why);
		FUZZ_CHECK(ret == 0 || ret == -ENOMEM);
		if (!ret) {
			FUZZ_CHECK(again.nr == doc.nr && again.pid == doc.pid &&
				   again.start == doc.start && !strcmp(again.boot, doc.boot));
			for (i = 0; i < doc.nr; i++)
				FUZZ_CHECK(!strcmp(again.k[i].path, doc.k[i].path) &&
					   !strcmp(again.k[i].orig, doc.k[i].orig) &&
					   same_text(again.k[i].written, doc.k[i].written));
			scx_journal_doc_fini(&again);
		}
		free(text);
	}
	scx_journal_doc_fini(&doc);
	return 0;
}
