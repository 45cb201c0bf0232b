// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * The cpumask text parsers.  The first input byte picks a width, the rest is the text.  A
 * refused text must leave the mask as it was; an accepted one must come back unchanged through
 * both formatters and parsers.
 */
#include <errno.h>

#include <scx/cpumask.h>

#include "fuzz.h"

static const unsigned int widths[] = { 1, 7, 32, 33, 64, 65, 200, 4096, 8192, 8193, 70000 };

static char *format(const struct scx_cpumask *m, int (*fn)(const struct scx_cpumask *, char *,
							     size_t))
{
	int n = fn(m, NULL, 0);
	char *buf;

	FUZZ_CHECK(n >= 0);
	buf = malloc((size_t)n + 1);
	if (buf)
		FUZZ_CHECK(fn(m, buf, (size_t)n + 1) == n);
	return buf;
}

/* @m survives text -> mask -> text -> mask in both forms. */
static void round_trip(const struct scx_cpumask *m)
{
	struct scx_cpumask *r = scx_cpumask_new(scx_cpumask_width(m));
	char *text;

	if (!r)
		return;
	text = format(m, scx_cpumask_format_list);
	if (text) {
		FUZZ_CHECK(scx_cpumask_parse_list(r, text) == 0);
		FUZZ_CHECK(scx_cpumask_equal(m, r));
		free(text);
	}
	text = format(m, scx_cpumask_format_hex);
	if (text) {
		scx_cpumask_zero(r);
		FUZZ_CHECK(scx_cpumask_parse_hex(r, text) == 0);
		FUZZ_CHECK(scx_cpumask_equal(m, r));
		free(text);
	}
	scx_cpumask_free(r);
}

static void try_parser(struct scx_cpumask *m, const struct scx_cpumask *before, const char *s,
		       int (*parse)(struct scx_cpumask *, const char *))
{
	int ret;

	scx_cpumask_assign(m, before);
	ret = parse(m, s);
	FUZZ_CHECK(ret == 0 || ret == -EINVAL || ret == -ENOMEM);
	if (ret) {
		FUZZ_CHECK(scx_cpumask_equal(m, before));
		return;
	}
	FUZZ_CHECK(scx_cpumask_weight(m) <= scx_cpumask_width(m));
	round_trip(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scx_cpumask *m, *before;
	char *s;

	if (!size)
		return 0;
	m = scx_cpumask_new(widths[data[0] % (sizeof(widths) / sizeof(widths[0]))]);
	before = m ? scx_cpumask_new(scx_cpumask_width(m)) : NULL;
	s = fuzz_strdup(data + 1, size - 1);
	if (m && before && s) {
		/* A recognisable prior content: every third id. */
		for (unsigned int i = 0; i < scx_cpumask_width(before); i += 3)
			scx_cpumask_set(before, i);
		try_parser(m, before, s, scx_cpumask_parse_list);
		try_parser(m, before, s, scx_cpumask_parse_hex);
		try_parser(m, before, s, scx_cpumask_parse);
	}
	free(s);
	scx_cpumask_free(before);
	scx_cpumask_free(m);
	return 0;
}
