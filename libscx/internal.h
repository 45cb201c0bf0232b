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
 * The last member of each public options struct, as libbpf's type__last_field: a caller's
 * struct is checked from the end of this member, not from sizeof(), so that a newer field that
 * falls in today's tail padding is still refused by this library.  Name the new last member here
 * whenever a field is added.
 */
#define scx_btf_opts__last_field sysfs_root
#define scx_em_opts__last_field em_dir
#define scx_journal_opts__last_field allow_fake_root_writes
#define scx_kstate_opts__last_field sysfs_root
#define scx_ops_libbpf_opts__last_field kernel_log_level
#define scx_mangoapp_opts__last_field create
#define scx_netdev_opts__last_field allow_fake_root_writes
#define scx_ops_opts__last_field sysfs_root
#define scx_perf_opts__last_field map_stride
#define scx_pm_opts__last_field allow_fake_root_writes
#define scx_power_profile_opts__last_field scx_utils_mapping
#define scx_stats_client_opts__last_field max_line
#define scx_stats_server_opts__last_field thread
#define scx_topo_opts__last_field flatten_nodes

#define scx_offsetofend(TYPE, FIELD) (offsetof(TYPE, FIELD) + sizeof(((TYPE *)0)->FIELD))

/*
 * Validate a caller's options struct (first member size_t sz).  @known_end is where the last
 * member this library knows ends.  A NULL struct is fine; sz smaller than a size_t or bytes
 * from @known_end up to sz that are not zero are -EINVAL.
 */
int scx_opts_check(const void *opts, size_t known_end, const char *type_name);

/* scx_opts_check() for "const struct TYPE *opts", from the end of TYPE's last member. */
#define SCX_OPTS_VALID(opts, TYPE)                                                             \
	scx_opts_check((opts), scx_offsetofend(struct TYPE, TYPE##__last_field), #TYPE)

/* The member @field is inside the caller's (possibly older, smaller) struct. */
#define SCX_OPTS_HAS(opts, field)                                                            \
	((opts) && (opts)->sz >= offsetof(__typeof__(*(opts)), field) + sizeof((opts)->field))
/* The member's value, or @fallback when the caller's struct predates it. */
#define SCX_OPTS_GET(opts, field, fallback) (SCX_OPTS_HAS(opts, field) ? (opts)->field : (fallback))

#endif /* SCX_INTERNAL_H */
