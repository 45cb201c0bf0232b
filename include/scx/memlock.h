/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * libscx memlock: RLIMIT_MEMLOCK, which kernels before 5.11 charge BPF maps to.
 */
#ifndef SCX_MEMLOCK_H
#define SCX_MEMLOCK_H

#include <scx/base.h>

SCX_BEGIN_DECLS

/**
 * scx_memlock_get() - read RLIMIT_MEMLOCK.
 * @soft: set to the soft limit in bytes (UINT64 max for unlimited); may be NULL.
 * @hard: set to the hard limit in bytes (UINT64 max for unlimited); may be NULL.
 * Return: 0, or -EINVAL (an error of getrlimit()).
 */
SCX_API int scx_memlock_get(unsigned long long *soft, unsigned long long *hard);

/**
 * scx_memlock_raise() - raise RLIMIT_MEMLOCK to unlimited.
 *
 * Kernels before 5.11 charge BPF maps to RLIMIT_MEMLOCK; newer ones do not, and the call is
 * then harmless.  On failure it logs an error giving the current soft and hard limits and the
 * capability (CAP_SYS_RESOURCE) that would allow the change.
 *
 * Return: 0 when the limit is (now) unlimited; -EPERM when it cannot be raised; -EINVAL (an
 * error of getrlimit() or setrlimit()).
 */
SCX_API int scx_memlock_raise(void);

SCX_END_DECLS

#endif /* SCX_MEMLOCK_H */
