/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * The one reader of the cpulist and kernel-hex text forms, shared by the public parsers
 * (scx_cpumask_parse_list/_hex) and every module that reads CPU lists from the system, so the
 * topology's CPU-id width and the one the other modules use come from the same code and the
 * same limit (SCX_CPUMASK_MAX_WIDTH).  Not installed.
 */
#ifndef SCX_CPUMASK_INTERNAL_H
#define SCX_CPUMASK_INTERNAL_H

#include <scx/cpumask.h>

/* Flags of scx_cpulist_for_each(). */
enum scx_cpulist_flags {
	/*
	 * Text written by the kernel: commas and blanks both separate elements (old kernels'
	 * "0 1 2" lists; the kernel's own bitmap_parselist() accepts either), and "N" is not an
	 * id (there is no width to take it from).
	 */
	SCX_CPULIST_KERNEL = 1,
};

/* Called with each run of consecutive ids [@first, @last]; a non-zero return stops the walk. */
typedef int (*scx_cpurun_fn)(unsigned int first, unsigned int last, void *arg);

/*
 * Walk the cpulist @text ("0-3,8", "0-15:2/4") with the meaning of the kernel's
 * bitmap_parselist(): "a-b:used/group" holds, from a, the first @used ids of each group of
 * @group ids up to b ("0-3:1/8" is 0 alone, "0-10:2/4" is 0-1,4-5,8-9).  Ids are below @width
 * ("N" is @width - 1 unless SCX_CPULIST_KERNEL).  Runs come in text order and may overlap.
 * Returns 0, the first non-zero value of @fn, or -EINVAL for text that is not a cpulist or
 * holds an id >= @width (@fn may have seen the runs before the error).
 */
int scx_cpulist_for_each(const char *text, unsigned int width, unsigned int flags,
			 scx_cpurun_fn fn, void *arg);

/*
 * Walk a kernel hex mask ("ff,00000001": 32-bit groups, most significant first; or "0x..."
 * digits), a run per set bit group of a hex digit.  A set bit at or beyond @width is -EINVAL.
 */
int scx_cpuhex_for_each(const char *text, unsigned int width, scx_cpurun_fn fn, void *arg);

/*
 * The largest id in the kernel-written cpulist @text, the CPU-id width minus one
 * ("0-3:1/8" -> 0, "0-10:2/4" -> 9).  -EINVAL when it holds no id, is not a cpulist, or an id
 * is not below SCX_CPUMASK_MAX_WIDTH.
 */
int scx_cpulist_max(const char *text);

/*
 * A positive decimal count at *@p (before @end), at most @limit, into @out; *@p moves past
 * it.  0, or -EINVAL (no digit, zero, past the limit).
 */
int scx_parse_count(const char **p, const char *end, unsigned int limit, unsigned int *out);

struct scx_sysfs;

/*
 * The CPU-id width (nr_cpu_ids) of the system under @fs: the largest id of
 * sys/devices/system/cpu/possible plus one.  Returns it (> 0) or -errno (-EFBIG for a list
 * longer than an attribute can be).
 */
int scx_cpu_width(struct scx_sysfs *fs);

#endif /* SCX_CPUMASK_INTERNAL_H */
