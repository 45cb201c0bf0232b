/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * The running-average ("ravg") layout shared by a scheduler's BPF side, which accumulates
 * into a struct ravg_data, and userspace, which reads it back (scx_ravg_read()).
 *
 * A ravg tracks a value that changes at arbitrary times and reports its time-weighted average
 * with exponential decay: time is cut into periods of half_life nanoseconds (a period starts
 * whenever now % half_life == 0) and each completed period weighs half as much as the one
 * after it.  Averages are fixed point with RAVG_FRAC_BITS fraction bits: a value held at 1
 * long enough reads as 1 << RAVG_FRAC_BITS.  An all-zero struct ravg_data is a valid start.
 *
 * Usable from BPF C (__bpf__ defined; no libc header is included then) and from userspace C
 * and C++.  The fields are 64-bit unsigned on every Linux ABI libscx supports.
 */
#ifndef SCX_RAVG_COMMON_H
#define SCX_RAVG_COMMON_H

enum ravg_consts {
	RAVG_VAL_BITS = 44,	/* accumulated values are clamped below 1 << 44 */
	RAVG_FRAC_BITS = 20,	/* fixed-point fraction bits: 1 << 20 is 1.0 */
};

/*
 * @val:    the value as of @val_at (clamped to RAVG_VAL_BITS bits)
 * @val_at: the timestamp (ns) of the last accumulation; @val_at / half_life is the period
 *          it falls in
 * @old:    the decayed average as of the start of @val_at's period (fixed point)
 * @cur:    the sum of value * normalized duration accumulated within @val_at's period
 */
struct ravg_data {
	unsigned long long val;
	unsigned long long val_at;
	unsigned long long old;
	unsigned long long cur;
};

#ifndef __bpf__
#ifdef __cplusplus
static_assert(sizeof(struct ravg_data) == 32, "struct ravg_data must keep its layout");
#else
_Static_assert(sizeof(struct ravg_data) == 32, "struct ravg_data must keep its layout");
#endif
#endif /* !__bpf__ */

#endif /* SCX_RAVG_COMMON_H */
