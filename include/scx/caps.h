/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * libscx capabilities: which of the capabilities loading a sched_ext scheduler needs the
 * calling thread has, and a message naming the missing ones.
 */
#ifndef SCX_CAPS_H
#define SCX_CAPS_H

#include <scx/base.h>

SCX_BEGIN_DECLS

/** Capabilities libscx knows about, as bits of a mask. */
enum scx_caps_bit {
	SCX_CAPS_SYS_ADMIN = 1u << 0,	/**< struct_ops registration; implies BPF and PERFMON */
	SCX_CAPS_BPF = 1u << 1,		/**< creating maps and loading programs */
	SCX_CAPS_PERFMON = 1u << 2,	/**< tracing-type programs, pointer reads, perf events */
	SCX_CAPS_SYS_RESOURCE = 1u << 3,	/**< raising RLIMIT_MEMLOCK past the hard limit */
	SCX_CAPS_SYS_NICE = 1u << 4,	/**< PM QoS and priority changes some schedulers make */
};

/** The capabilities loading a sched_ext scheduler needs. */
#define SCX_CAPS_LOAD (SCX_CAPS_SYS_ADMIN | SCX_CAPS_BPF | SCX_CAPS_PERFMON)

/**
 * scx_caps_effective() - which of the known capabilities the calling thread has.
 * @caps: set to a mask of enum scx_caps_bit bits that are in the effective set.
 *
 * Return: 0; -EINVAL when @caps is NULL; -ENOMEM, -EPERM or -ESRCH (errors of cap_get_proc())
 * when the capability state cannot be read.
 */
SCX_API int scx_caps_effective(unsigned int *caps);

/**
 * scx_caps_missing() - which of the needed capabilities the calling thread lacks.
 * @need: mask of enum scx_caps_bit bits.
 * @missing: set to the subset of @need that is missing.  CAP_BPF and CAP_PERFMON count as
 *           present when CAP_SYS_ADMIN is (the kernel treats it as implying both).
 *
 * Return: 0; -EINVAL when @missing is NULL or @need has unknown bits; -ENOMEM, -EPERM or
 * -ESRCH (errors of cap_get_proc()) when the capability state cannot be read.
 */
SCX_API int scx_caps_missing(unsigned int need, unsigned int *missing);

/**
 * scx_caps_check() - check that a scheduler can be loaded, and say what is missing.
 *
 * Logs one error naming every missing capability of SCX_CAPS_LOAD and how to get it.
 *
 * Return: 0 when all are present; -EPERM when some are missing; -ENOMEM, -EPERM or -ESRCH
 * (errors of cap_get_proc()) when the capability state cannot be read.
 */
SCX_API int scx_caps_check(void);

/**
 * scx_caps_name() - the kernel's name of one capability bit ("CAP_SYS_ADMIN", ...).
 * @cap: exactly one enum scx_caps_bit bit.
 * Return: a static string, or NULL (errno EINVAL) for anything else.
 */
SCX_API const char *scx_caps_name(unsigned int cap);

SCX_END_DECLS

#endif /* SCX_CAPS_H */
