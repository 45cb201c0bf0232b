// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Run-time version queries, and a scheduler's version string with the libraries it runs on.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <sys/utsname.h>

#include <bpf/libbpf.h>

#include <scx/version.h>

#include "internal.h"

const char *scx_version(void)
{
	return LIBSCX_VERSION_STRING;
}

unsigned int scx_version_major(void)
{
	return LIBSCX_VERSION_MAJOR;
}

unsigned int scx_version_minor(void)
{
	return LIBSCX_VERSION_MINOR;
}

unsigned int scx_version_patch(void)
{
	return LIBSCX_VERSION_PATCH;
}

int scx_version_full(const char *sched_version, char *buf, size_t sz)
{
	struct utsname u;
	int n;

	if (!buf || !sz)
		return scx_errno(-EINVAL);
	if (uname(&u))
		snprintf(u.machine, sizeof(u.machine), "unknown");
	n = snprintf(buf, sz, "%s%slibscx %s, libbpf %s, %s%s", sched_version ? sched_version : "",
		     sched_version ? " (" : "", scx_version(), libbpf_version_string(), u.machine,
		     sched_version ? ")" : "");
	if (n < 0)
		return scx_errno(-EINVAL);
	if ((size_t)n >= sz)
		return scx_errno(-ENAMETOOLONG);
	return n;
}
