// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Options structs: the caller's struct may be older (smaller) than this library's, or newer
 * (larger) with fields this library does not know, which must then be zero.
 */
#include "config.h"

#include <string.h>

#include "internal.h"

int scx_opts_check(const void *opts, size_t known_end, const char *type_name)
{
	const unsigned char *p = opts;
	size_t sz, i;

	if (!opts)
		return 0;
	memcpy(&sz, opts, sizeof(sz));
	if (sz < sizeof(size_t)) {
		scx_err("struct %s: sz %zu is too small", type_name, sz);
		return -EINVAL;
	}
	for (i = known_end; i < sz; i++) {
		if (p[i]) {
			scx_err("struct %s: unknown non-zero field at offset %zu (built against a newer "
				"libscx?)", type_name, i);
			return -EINVAL;
		}
	}
	return 0;
}
