/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * Running averages in userspace: read (and, for userspace-side bookkeeping, accumulate) a
 * struct ravg_data with exactly the integer arithmetic of the BPF side, so a value read here
 * equals the one the BPF program would compute at the same timestamp.
 */
#ifndef SCX_RAVG_H
#define SCX_RAVG_H

#include <stdint.h>
#include <scx/base.h>
#include <scx/ravg_common.h>

SCX_BEGIN_DECLS

/**
 * scx_ravg_accumulate() - record that the tracked value changes to @new_val at @now.
 * @rd: the running average; all-zero to start.
 * @new_val: the new value; values of 1 << RAVG_VAL_BITS or more are clamped to
 *	     (1 << RAVG_VAL_BITS) - 1.
 * @now: the timestamp in ns; a @now before @rd->val_at is taken as @rd->val_at.
 * @half_life: the decay period in ns, the same at every call on @rd; 1 to UINT32_MAX.
 *
 * Folds the time since @rd->val_at, during which the value was @rd->val, into @rd, exactly as
 * the BPF ravg_accumulate() does.
 *
 * Return: 0; -EINVAL when @rd is NULL or @half_life is 0 or above UINT32_MAX (@rd unchanged).
 */
SCX_API int scx_ravg_accumulate(struct ravg_data *rd, uint64_t new_val, uint64_t now,
				uint64_t half_life);

/**
 * scx_ravg_read() - the running average of @rd as of @now.
 * @rd: the running average, typically copied out of a BPF map; not modified.
 * @now: the timestamp in ns; a @now before @rd->val_at is taken as @rd->val_at.
 * @half_life: the decay period in ns used when accumulating; 1 to UINT32_MAX.
 * @avg: set to the average, fixed point with RAVG_FRAC_BITS fraction bits.
 *
 * The result is bit-for-bit the BPF ravg_read(): the ongoing period is accumulated into a copy,
 * then the average as of the period's start is blended linearly with the current period's.
 *
 * Return: 0; -EINVAL when @rd or @avg is NULL or @half_life is 0 or above UINT32_MAX.
 */
SCX_API int scx_ravg_read(const struct ravg_data *rd, uint64_t now, uint64_t half_life,
			  uint64_t *avg);

/**
 * scx_ravg_to_double() - convert a fixed-point average to a floating-point value.
 * @avg: a value with RAVG_FRAC_BITS fraction bits, as scx_ravg_read() returns.
 * Return: @avg / (1 << RAVG_FRAC_BITS).
 */
SCX_API double scx_ravg_to_double(uint64_t avg);

SCX_END_DECLS

#endif /* SCX_RAVG_H */
