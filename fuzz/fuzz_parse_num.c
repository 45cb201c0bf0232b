// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/* The numeric sysfs parsers: decimal, 0x hex, signed, and K/M/G/T sizes. */
#include "config.h"

#include <errno.h>

#include "../libscx/sysfs.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strdup(data, size);
	uint64_t u = 0xdead;
	int64_t v = 0xdead;
	int ret;

	if (!s)
		return 0;
	ret = scx_parse_u64(s, &u);
	FUZZ_CHECK(ret == 0 || ret == -EINVAL || ret == -ERANGE);
	FUZZ_CHECK(ret == 0 || u == 0xdead);
	ret = scx_parse_s64(s, &v);
	FUZZ_CHECK(ret == 0 || ret == -EINVAL || ret == -ERANGE);
	FUZZ_CHECK(ret == 0 || v == 0xdead);
	u = 0xdead;
	ret = scx_parse_size(s, &u);
	FUZZ_CHECK(ret == 0 || ret == -EINVAL || ret == -ERANGE);
	FUZZ_CHECK(ret == 0 || u == 0xdead);
	free(s);
	return 0;
}
