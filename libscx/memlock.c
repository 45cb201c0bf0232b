// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * RLIMIT_MEMLOCK: read it, and raise it with a message that says what would allow it.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include <scx/memlock.h>

#include "internal.h"

/* A resource limit as text: "unlimited" or a decimal u64. */
#define LIMIT_TEXT_MAX 32

static unsigned long long rlim_u64(rlim_t v)
{
	return v == RLIM_INFINITY ? UINT64_MAX : (unsigned long long)v;
}

int scx_memlock_get(unsigned long long *soft, unsigned long long *hard)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_MEMLOCK, &rl))
		return scx_errno(-errno);
	if (soft)
		*soft = rlim_u64(rl.rlim_cur);
	if (hard)
		*hard = rlim_u64(rl.rlim_max);
	return 0;
}

static void fmt_limit(char *buf, size_t sz, rlim_t v)
{
	if (v == RLIM_INFINITY)
		snprintf(buf, sz, "unlimited");
	else
		snprintf(buf, sz, "%llu bytes", (unsigned long long)v);
}

int scx_memlock_raise(void)
{
	struct rlimit cur, inf = { RLIM_INFINITY, RLIM_INFINITY };
	char soft[LIMIT_TEXT_MAX], hard[LIMIT_TEXT_MAX];
	int err;

	if (getrlimit(RLIMIT_MEMLOCK, &cur))
		return scx_errno(-errno);
	if (cur.rlim_cur == RLIM_INFINITY)
		return 0;
	if (setrlimit(RLIMIT_MEMLOCK, &inf) == 0)
		return 0;
	err = -errno;
	fmt_limit(soft, sizeof(soft), cur.rlim_cur);
	fmt_limit(hard, sizeof(hard), cur.rlim_max);
	scx_err("cannot raise RLIMIT_MEMLOCK to unlimited (soft %s, hard %s): %s; raising it past "
		"the hard limit needs CAP_SYS_RESOURCE (or 'ulimit -l unlimited' as root, or "
		"LimitMEMLOCK=infinity in a systemd unit)", soft, hard, strerror(-err));
	return scx_errno(err);
}
