/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * Private helpers shared by libscx's modules.  Not installed.
 */
#ifndef SCX_INTERNAL_H
#define SCX_INTERNAL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <scx/log.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define scx_err(...) scx_log(SCX_LOG_ERROR, __VA_ARGS__)
#define scx_warn(...) scx_log(SCX_LOG_WARN, __VA_ARGS__)
#define scx_info(...) scx_log(SCX_LOG_INFO, __VA_ARGS__)
#define scx_dbg(...) scx_log(SCX_LOG_DEBUG, __VA_ARGS__)

/*
 * libbpf-1.x error convention: an int function returns >= 0, or -errno with errno set too.
 * Use as "return scx_errno(ret);" at each public exit.
 */
static inline int scx_errno(int ret)
{
	if (ret < 0)
		errno = -ret;
	return ret;
}

/* Pointer constructors: return NULL with errno set. */
static inline void *scx_err_ptr(int err)
{
	errno = err < 0 ? -err : err;
	return NULL;
}

/*
 * Validate a caller's options struct (first member size_t sz).  @known is the size this
 * library knows.  A NULL struct is fine; sz smaller than a size_t or bytes past @known that are
 * not zero are -EINVAL.
 */
int scx_opts_check(const void *opts, size_t known, const char *type_name);

/* The member @field is inside the caller's (possibly older, smaller) struct. */
#define SCX_OPTS_HAS(opts, field)                                                            \
	((opts) && (opts)->sz >= offsetof(__typeof__(*(opts)), field) + sizeof((opts)->field))
/* The member's value, or @fallback when the caller's struct predates it. */
#define SCX_OPTS_GET(opts, field, fallback) (SCX_OPTS_HAS(opts, field) ? (opts)->field : (fallback))

#endif /* SCX_INTERNAL_H */
