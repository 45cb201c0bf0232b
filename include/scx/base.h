/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * libscx base definitions: the export marker, options-struct helpers and C/C++ guards that
 * every public libscx header uses.
 */
#ifndef SCX_BASE_H
#define SCX_BASE_H

#include <stddef.h>
#include <string.h>

#ifdef __cplusplus
#define SCX_BEGIN_DECLS extern "C" {
#define SCX_END_DECLS }
#else
#define SCX_BEGIN_DECLS
#define SCX_END_DECLS
#endif

/*
 * SCX_API marks a public function.  The library is built with -fvisibility=hidden, so only
 * declarations carrying this marker are exported (and each must be listed in libscx.map).
 */
#define SCX_API __attribute__((visibility("default")))

#if defined(__GNUC__) && !defined(__cplusplus)
#define SCX_PRINTF(fmt_idx, args_idx) __attribute__((format(printf, fmt_idx, args_idx)))
#elif defined(__GNUC__)
#define SCX_PRINTF(fmt_idx, args_idx) __attribute__((format(printf, fmt_idx, args_idx)))
#else
#define SCX_PRINTF(fmt_idx, args_idx)
#endif

/*
 * SCX_OPTS(type, name, .field = value, ...) declares a zero-filled options struct
 * "struct type name" whose first member, size_t sz, holds the size the caller was compiled
 * with.  The library accepts smaller (older) structs and rejects a larger one whose bytes past
 * what it knows are not all zero, so options can grow without new symbols.
 */
#define SCX_OPTS(TYPE, NAME, ...)                                                    \
	struct TYPE NAME = ({                                                        \
		memset(&NAME, 0, sizeof(struct TYPE));                               \
		(struct TYPE){ .sz = sizeof(struct TYPE), __VA_ARGS__ };             \
	})

#endif /* SCX_BASE_H */
