/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * ravg.bpf.h: running averages with exponential decay, in BPF fixed point.
 *
 * struct ravg_data (in <scx/ravg_common.h>, shared with userspace) holds
 *   u64 val;     the value as of val_at, clamped below 1 << RAVG_VAL_BITS (44)
 *   u64 val_at;  time (ns) of the last accumulation
 *   u64 old;     decayed average as of the start of val_at's period, fixed point
 *   u64 cur;     value * normalized duration summed within val_at's period
 * Averages are fixed point with RAVG_FRAC_BITS (20) fraction bits: a value held at 1 long
 * enough reads 1 << 20.  Time is cut into periods of @half_life ns; each completed period
 * weighs half the next one.  An all-zero struct is a valid start.
 *
 *   ravg_accumulate(rd, new_val, now, half_life)   the value changes to @new_val at @now
 *   ravg_read(rd, now, half_life)                  the average at @now (rd is not changed)
 *
 * The arithmetic is bit for bit that of libscx's scx_ravg_accumulate()/scx_ravg_read(), so
 * userspace reading a map of struct ravg_data gets what the BPF side would.  @half_life must
 * be non-zero and fit 32 bits.
 */
#ifndef __SCX_RAVG_BPF_H
#define __SCX_RAVG_BPF_H

#include <scx/ravg_common.h>

/* Sum over i = 1..k of (1 << RAVG_FRAC_BITS) >> i, for k = 1..20 (constant from 20 on). */
static const u64 ravg_full_sum[] = {
	524288,  786432,  917504,  983040,  1015808, 1032192, 1040384, 1044480, 1046528, 1047552,
	1048064, 1048320, 1048448, 1048512, 1048544, 1048560, 1048568, 1048572, 1048574, 1048575,
};
#define __SCX_RAVG_FULL_SUM_LEN (sizeof(ravg_full_sum) / sizeof(ravg_full_sum[0]))

/* Saturating add. */
static __always_inline void ravg_add(u64 *sum, u64 addend)
{
	u64 s = *sum + addend;

	*sum = s >= *sum ? s : (u64)-1;
}

static __always_inline u64 ravg_decay(u64 v, u32 shift)
{
	return shift >= 64 ? 0 : v >> shift;
}

/* @dur / @half_life rounded up, in fixed point, at most 1.0. */
static __always_inline u32 ravg_normalize_dur(u32 dur, u32 half_life)
{
	if (dur < half_life)
		return (u32)((((u64)dur << RAVG_FRAC_BITS) + half_life - 1) / half_life);
	return 1U << RAVG_FRAC_BITS;
}

/* (@a * @b) >> @rshift keeping the product's high bits (the result must fit 64 bits). */
static __always_inline u64 __scx_ravg_u64_x_u32_rshift(u64 a, u32 b, u32 rshift)
{
	const u64 mask32 = (u32)-1;
	u64 al = a & mask32;
	u64 ah = (a & (mask32 << 32)) >> 32;

	al *= b;
	ah *= b;
	al >>= rshift;
	if (rshift <= 32)
		ah <<= 32 - rshift;
	else
		ah >>= rshift - 32;
	return al + ah;
}

static __always_inline void ravg_accumulate(struct ravg_data *rd, u64 new_val, u64 now,
					    u32 half_life)
{
	u32 cur_seq, val_seq, seq_delta;

	if (now < rd->val_at)
		now = rd->val_at;
	cur_seq = (u32)(now / half_life);
	val_seq = (u32)(rd->val_at / half_life);
	seq_delta = cur_seq - val_seq;

	/* A new period began: decay the history and fold the finished period's sum into it. */
	if (seq_delta > 0) {
		rd->old = ravg_decay(rd->old, seq_delta);
		ravg_add(&rd->old, ravg_decay(rd->cur, seq_delta));
		rd->cur = 0;
	}

	if (rd->val) {
		if (seq_delta > 0) {
			u32 dur = ravg_normalize_dur((u32)(half_life - rd->val_at % half_life),
						     half_life);

			/* the tail of val_at's period */
			ravg_add(&rd->old, rd->val * ravg_decay(dur, seq_delta));
			/* whole periods in between */
			if (seq_delta > 1) {
				u32 idx = seq_delta - 2;

				if (idx >= __SCX_RAVG_FULL_SUM_LEN)
					idx = __SCX_RAVG_FULL_SUM_LEN - 1;
				ravg_add(&rd->old, rd->val * ravg_full_sum[idx]);
			}
			/* the current period up to @now */
			rd->cur += rd->val * ravg_normalize_dur((u32)(now % half_life), half_life);
		} else {
			rd->cur += rd->val * ravg_normalize_dur((u32)(now - rd->val_at), half_life);
		}
	}

	if (new_val >= 1ULL << RAVG_VAL_BITS)
		rd->val = (1ULL << RAVG_VAL_BITS) - 1;
	else
		rd->val = new_val;
	rd->val_at = now;
}

/*
 * The average at @now.  Within a period at progress P (0..1) it is old * (1 - P / 2) + cur / 2,
 * which moves smoothly from the last period's average towards the current one.
 */
static __always_inline u64 ravg_read(const struct ravg_data *rd, u64 now, u32 half_life)
{
	struct ravg_data trd;
	u32 elapsed;

	__builtin_memcpy(&trd, rd, sizeof(trd));
	if (now < trd.val_at)
		now = trd.val_at;
	elapsed = (u32)(now % half_life);

	ravg_accumulate(&trd, 0, now, half_life);

	if (elapsed) {
		u32 progress = ravg_normalize_dur(elapsed, half_life);

		return __scx_ravg_u64_x_u32_rshift(trd.old, (1U << RAVG_FRAC_BITS) - progress / 2,
					     RAVG_FRAC_BITS) + trd.cur / 2;
	}
	return trd.old;
}

#endif /* __SCX_RAVG_BPF_H */
