// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * The perf event name parser.  An accepted name fills only size, type, config and the exclude_*
 * bits of the struct's first 64 bytes (PERF_ATTR_SIZE_VER0), the same way every time, and
 * writes nothing past them; a refused one says EINVAL or ERANGE.  A modifier suffix added to
 * an accepted plain name must be accepted too and keep type and config.
 */
#include "config.h"

#include <errno.h>

#include <scx/perf.h>

#include "fuzz.h"

static void check_fields(const struct perf_event_attr *a)
{
	struct perf_event_attr only = { 0 };
	const unsigned char *bytes = (const unsigned char *)a;
	size_t i;

	only.size = a->size;
	only.type = a->type;
	only.config = a->config;
	only.exclude_user = a->exclude_user;
	only.exclude_kernel = a->exclude_kernel;
	only.exclude_hv = a->exclude_hv;
	FUZZ_CHECK(a->size == PERF_ATTR_SIZE_VER0);
	FUZZ_CHECK(memcmp(&only, a, PERF_ATTR_SIZE_VER0) == 0);
	for (i = PERF_ATTR_SIZE_VER0; i < sizeof(*a); i++)
		FUZZ_CHECK(bytes[i] == 0xa5);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strdup(data, size), *mod;
	struct perf_event_attr a, b;
	int ret;

	if (!s)
		return 0;
	memset(&a, 0xa5, sizeof(a));
	ret = scx_perf_parse(s, &a);
	FUZZ_CHECK(ret == 0 || ret == -EINVAL || ret == -ERANGE);
	FUZZ_CHECK(ret == 0 || errno == -ret);
	if (!ret) {
		check_fields(&a);
		memset(&b, 0x5a, sizeof(b));
		FUZZ_CHECK(scx_perf_parse(s, &b) == 0);
		FUZZ_CHECK(memcmp(&a, &b, PERF_ATTR_SIZE_VER0) == 0);
		/* names have no length limit: any accepted plain name takes the suffix */
		if (!strchr(s, ':')) {
			mod = malloc(strlen(s) + 4);
			if (mod) {
				strcpy(mod, s);
				strcat(mod, ":uk");
				FUZZ_CHECK(scx_perf_parse(mod, &b) == 0);
				FUZZ_CHECK(b.type == a.type && b.config == a.config);
				FUZZ_CHECK(b.exclude_hv);
				free(mod);
			}
		}
	}
	free(s);
	return 0;
}
