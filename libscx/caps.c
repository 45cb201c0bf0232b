// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Capabilities, through libcap.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>

#include <scx/caps.h>

#include "internal.h"

/* CAP_BPF and CAP_PERFMON are 39 and 38; older libcap headers may lack the names. */
#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

static const struct {
	unsigned int bit;
	cap_value_t cap;
	const char *name;
	const char *why;
} known_caps[] = {
	{ SCX_CAPS_SYS_ADMIN, CAP_SYS_ADMIN, "CAP_SYS_ADMIN", "registering a sched_ext struct_ops" },
	{ SCX_CAPS_BPF, CAP_BPF, "CAP_BPF", "creating BPF maps and loading programs" },
	{ SCX_CAPS_PERFMON, CAP_PERFMON, "CAP_PERFMON", "loading tracing-type BPF programs" },
	{ SCX_CAPS_SYS_RESOURCE, CAP_SYS_RESOURCE, "CAP_SYS_RESOURCE", "raising RLIMIT_MEMLOCK" },
	{ SCX_CAPS_SYS_NICE, CAP_SYS_NICE, "CAP_SYS_NICE", "changing priorities and PM QoS" },
};

#define SCX_CAPS_ALL 0x1fu
/* The message naming every missing capability (five names of at most 20 characters). */
#define CAPS_MSG_MAX 512

const char *scx_caps_name(unsigned int cap)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(known_caps); i++)
		if (known_caps[i].bit == cap)
			return known_caps[i].name;
	errno = EINVAL;
	return NULL;
}

int scx_caps_effective(unsigned int *caps)
{
	unsigned int mask = 0;
	cap_t cur;
	size_t i;

	if (!caps)
		return scx_errno(-EINVAL);
	cur = cap_get_proc();
	if (!cur)
		return scx_errno(-errno);
	for (i = 0; i < ARRAY_SIZE(known_caps); i++) {
		cap_flag_value_t v = CAP_CLEAR;

		/* A kernel too old to know a capability reports it as clear. */
		if (cap_get_flag(cur, known_caps[i].cap, CAP_EFFECTIVE, &v) == 0 && v == CAP_SET)
			mask |= known_caps[i].bit;
	}
	cap_free(cur);
	*caps = mask;
	return 0;
}

int scx_caps_missing(unsigned int need, unsigned int *missing)
{
	unsigned int have;
	int err;

	if (!missing || (need & ~SCX_CAPS_ALL))
		return scx_errno(-EINVAL);
	err = scx_caps_effective(&have);
	if (err)
		return err;
	if (have & SCX_CAPS_SYS_ADMIN)
		have |= SCX_CAPS_BPF | SCX_CAPS_PERFMON;
	*missing = need & ~have;
	return 0;
}

int scx_caps_check(void)
{
	char msg[CAPS_MSG_MAX];
	unsigned int missing;
	size_t i, off = 0;
	int err;

	err = scx_caps_missing(SCX_CAPS_LOAD, &missing);
	if (err)
		return err;
	if (!missing)
		return 0;
	for (i = 0; i < ARRAY_SIZE(known_caps); i++) {
		if (!(missing & known_caps[i].bit))
			continue;
		off += (size_t)snprintf(msg + off, sizeof(msg) - off, "%s%s (%s)", off ? ", " : "",
					known_caps[i].name, known_caps[i].why);
		if (off >= sizeof(msg))
			break;
	}
	scx_err("missing capabilities: %s; run the scheduler as root or grant them, e.g. "
		"'setcap cap_sys_admin,cap_bpf,cap_perfmon+ep PROGRAM'", msg);
	return scx_errno(-EPERM);
}
