// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Running averages: the BPF side's fixed-point arithmetic, done in userspace.  Every type
 * width below (u32 sequence numbers and durations, u64 sums, saturating adds) is the BPF
 * code's: changing one changes results.
 */
#include "config.h"

#include <stdint.h>

#include <scx/ravg.h>

#include "internal.h"

typedef uint32_t u32;
typedef unsigned long long u64;	/* as vmlinux.h, and struct ravg_data, define it */

/*
 * Sum of the decayed weights of k full periods, k = 1..20: entry k-1 is
 * sum(i = 1..k) of (1 << RAVG_FRAC_BITS) >> i.  From 20 periods on the sum no longer changes.
 */
static const u64 ravg_full_sum[] = {
	524288,  786432,  917504,  983040,  1015808, 1032192, 1040384, 1044480, 1046528, 1047552,
	1048064, 1048320, 1048448, 1048512, 1048544, 1048560, 1048568, 1048572, 1048574, 1048575,
};

/* Adds saturate at U64_MAX. */
static void ravg_add(u64 *sum, u64 addend)
{
	u64 sum_new = *sum + addend;

	*sum = sum_new >= *sum ? sum_new : UINT64_MAX;
}

static u64 ravg_decay(u64 v, u32 shift)
{
	return shift >= 64 ? 0 : v >> shift;
}

/* @dur as a fraction of @half_life, rounded up, in RAVG_FRAC_BITS fixed point. */
static u32 ravg_normalize_dur(u32 dur, u32 half_life)
{
	if (dur < half_life)
		return (u32)((((u64)dur << RAVG_FRAC_BITS) + half_life - 1) / half_life);
	return 1U << RAVG_FRAC_BITS;
}

/* (@a * @b) >> @rshift without losing the product's high bits; the result must fit u64. */
static u64 u64_x_u32_rshift(u64 a, u32 b, u32 rshift)
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

static void ravg_accumulate(struct ravg_data *rd, u64 new_val, u64 now, u32 half_life)
{
	u32 cur_seq, val_seq, seq_delta;

	if (now < rd->val_at)
		now = rd->val_at;

	cur_seq = (u32)(now / half_life);
	val_seq = (u32)(rd->val_at / half_life);
	seq_delta = cur_seq - val_seq;

	/* A new period began: decay ->old to the previous period and fold ->cur into it. */
	if (seq_delta > 0) {
		rd->old = ravg_decay(rd->old, seq_delta);
		ravg_add(&rd->old, ravg_decay(rd->cur, seq_delta));
		rd->cur = 0;
	}

	if (rd->val) {
		if (seq_delta > 0) {
			/* the rest of ->val_at's period, possibly partial */
			u32 dur = ravg_normalize_dur((u32)(half_life - rd->val_at % half_life),
						     half_life);

			ravg_add(&rd->old, rd->val * ravg_decay(dur, seq_delta));
			/* the full periods in between */
			if (seq_delta > 1) {
				u32 idx = seq_delta - 2;

				if (idx >= ARRAY_SIZE(ravg_full_sum))
					idx = ARRAY_SIZE(ravg_full_sum) - 1;
				ravg_add(&rd->old, rd->val * ravg_full_sum[idx]);
			}
			/* and the part of the current period up to @now */
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

static bool half_life_ok(u64 half_life)
{
	return half_life && half_life <= UINT32_MAX;
}

int scx_ravg_accumulate(struct ravg_data *rd, uint64_t new_val, uint64_t now, uint64_t half_life)
{
	if (!rd || !half_life_ok(half_life))
		return scx_errno(-EINVAL);
	ravg_accumulate(rd, new_val, now, (u32)half_life);
	return 0;
}

int scx_ravg_read(const struct ravg_data *rd, uint64_t now, uint64_t half_life, uint64_t *avg)
{
	struct ravg_data trd;
	u32 elapsed;

	if (!rd || !avg || !half_life_ok(half_life))
		return scx_errno(-EINVAL);
	if (now < rd->val_at)
		now = rd->val_at;
	elapsed = (u32)(now % half_life);

	/* Accumulate the ongoing period into a copy: the reader never writes @rd. */
	trd = *rd;
	ravg_accumulate(&trd, 0, now, (u32)half_life);

	/*
	 * With P = elapsed / half_life, the average is old * (1 - P / 2) + cur / 2: at a
	 * period's start it is ->old, at its end half ->old and half the period's own average.
	 * ->old may use all 64 bits, so the product goes through u64_x_u32_rshift().
	 */
	if (elapsed) {
		u32 progress = ravg_normalize_dur(elapsed, (u32)half_life);
		u64 old = u64_x_u32_rshift(trd.old, (1U << RAVG_FRAC_BITS) - progress / 2,
					   RAVG_FRAC_BITS);

		*avg = old + trd.cur / 2;
	} else {
		*avg = trd.old;
	}
	return 0;
}

double scx_ravg_to_double(uint64_t avg)
{
	return (double)avg / (double)(1ULL << RAVG_FRAC_BITS);
}
