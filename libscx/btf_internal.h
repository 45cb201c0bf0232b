/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * BTF helpers shared by the btf, enums and ops modules.  Not installed.
 */
#ifndef SCX_BTF_INTERNAL_H
#define SCX_BTF_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

struct btf;
struct btf_type;

/*
 * Look for enumerator @name in the enum type @t.  Returns 0 with @val and @truncated (an
 * 8-byte BTF_KIND_ENUM: only the low 32 bits are known) set, or -ENOENT.
 */
int scx_btf_enum_lookup(const struct btf *btf, const struct btf_type *t, const char *name,
			uint64_t *val, bool *truncated);

/*
 * Recover a value found @truncated from the caller's @expect: 0 (not truncated),
 * SCX_BTF_ENUM_TRUNCATED (*@v = @expect), or -ERANGE (logged) when the low bits differ.
 */
int scx_btf_enum_recover(const char *name, uint64_t *v, bool truncated, uint64_t expect);

#endif /* SCX_BTF_INTERNAL_H */
