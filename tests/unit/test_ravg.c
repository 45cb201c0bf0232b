// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Running averages: worked examples, bit-exact agreement with a plain-C transcription of the
 * BPF algorithm over random sequences, and closeness to a floating-point model of the same
 * decay.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <scx/ravg.h>

/* ---- reference: the BPF ravg_accumulate()/ravg_read(), transcribed with BPF's types ---- */

typedef uint32_t u32;
typedef unsigned long long u64;	/* as vmlinux.h, and struct ravg_data, define it */

static u64 ref_full_sum(u32 idx)
{
	/* sum(i = 1..idx+1) of 2^20 >> i, computed rather than tabulated */
	u64 s = 0;
	u32 i;

	for (i = 1; i <= idx + 1; i++)
		s += (1ULL << 20) >> i;
	return s;
}

static void ref_add(u64 *sum, u64 addend)
{
	u64 n = *sum + addend;

	if (n >= *sum)
		*sum = n;
	else
		*sum = -1;
}

static u64 ref_decay(u64 v, u32 shift)
{
	if (shift >= 64)
		return 0;
	else
		return v >> shift;
}

static u32 ref_norm(u32 dur, u32 half_life)
{
	if (dur < half_life)
		return (((u64)dur << 20) + half_life - 1) / half_life;
	else
		return 1 << 20;
}

static void ref_accumulate(struct ravg_data *rd, u64 new_val, u64 now, u32 half_life)
{
	u32 cur_seq, val_seq, seq_delta;

	if (now < rd->val_at)
		now = rd->val_at;
	cur_seq = now / half_life;
	val_seq = rd->val_at / half_life;
	seq_delta = cur_seq - val_seq;
	if (seq_delta > 0) {
		rd->old = ref_decay(rd->old, seq_delta);
		ref_add(&rd->old, ref_decay(rd->cur, seq_delta));
		rd->cur = 0;
	}
	if (!rd->val)
		goto out;
	if (seq_delta > 0) {
		u32 dur = ref_norm(half_life - rd->val_at % half_life, half_life);

		ref_add(&rd->old, rd->val * ref_decay(dur, seq_delta));
		if (seq_delta > 1) {
			u32 idx = seq_delta - 2;

			if (idx >= 20)
				idx = 19;
			ref_add(&rd->old, rd->val * ref_full_sum(idx));
		}
		rd->cur += rd->val * ref_norm(now % half_life, half_life);
	} else {
		rd->cur += rd->val * ref_norm(now - rd->val_at, half_life);
	}
out:
	if (new_val >= 1LLU << 44)
		rd->val = (1LLU << 44) - 1;
	else
		rd->val = new_val;
	rd->val_at = now;
}

static u64 ref_read(const struct ravg_data *in, u64 now, u64 half_life)
{
	struct ravg_data trd = *in;
	u32 elapsed;

	if (now < trd.val_at)
		now = trd.val_at;
	elapsed = now % half_life;
	ref_accumulate(&trd, 0, now, half_life);
	if (elapsed) {
		u32 progress = ref_norm(elapsed, half_life);
		unsigned __int128 prod = (unsigned __int128)trd.old * ((1 << 20) - progress / 2);

		return (u64)(prod >> 20) + trd.cur / 2;
	}
	return trd.old;
}

/* ---- the installed BPF header, compiled here as plain C ---- */

#ifndef __always_inline	/* glibc's <sys/cdefs.h> has one */
#define __always_inline inline __attribute__((always_inline))
#endif
#include <scx/ravg.bpf.h>

/* ---- floating-point model: the same decay with real numbers ---- */

struct fmodel {
	double val, old, cur;
	u64 val_at;
};

static double f_norm(u64 dur, u64 hl)
{
	return (double)dur / (double)hl;
}

static void f_accumulate(struct fmodel *m, double new_val, u64 now, u64 hl)
{
	u64 cur_seq, val_seq, delta;

	if (now < m->val_at)
		now = m->val_at;
	cur_seq = now / hl;
	val_seq = m->val_at / hl;
	delta = cur_seq - val_seq;
	if (delta > 0) {
		double decay = ldexp(1.0, -(int)(delta > 1000 ? 1000 : delta));

		m->old = (m->old + m->cur) * decay;
		m->cur = 0;
		m->old += m->val * f_norm(hl - m->val_at % hl, hl) * decay;
		/* periods val_seq+1 .. cur_seq-1 weigh 1/2^(cur_seq - p) */
		m->old += m->val * (1.0 - 2.0 * decay);
		m->cur = m->val * f_norm(now % hl, hl);
	} else {
		m->cur += m->val * f_norm(now - m->val_at, hl);
	}
	m->val = new_val;
	m->val_at = now;
}

static double f_read(const struct fmodel *in, u64 now, u64 hl)
{
	struct fmodel t = *in;
	double p;

	if (now < t.val_at)
		now = t.val_at;
	f_accumulate(&t, 0, now, hl);
	p = f_norm(now % hl, hl);
	return t.old * (1.0 - p / 2.0) + t.cur / 2.0;
}

/* ---- a small deterministic generator ---- */

static u64 rng_state;

static u64 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static u64 rnd_below(u64 n)
{
	return n ? rnd() % n : 0;
}

/* ---- worked examples, half_life = 1000 ns unless said ---- */

static u64 read_at(const struct ravg_data *rd, u64 now, u64 hl)
{
	uint64_t avg = 0;

	cr_assert_eq(scx_ravg_read(rd, now, hl, &avg), 0);
	return avg;
}

Test(ravg, worked_examples)
{
	struct ravg_data rd;

	memset(&rd, 0, sizeof(rd));
	/* value 1 from t = 0 */
	cr_assert_eq(scx_ravg_accumulate(&rd, 1, 0, 1000), 0);
	cr_assert_eq(rd.val, 1);
	cr_assert_eq(rd.val_at, 0);

	/* t = 500: cur = 1 * ceil(500 * 2^20 / 1000) = 524288, old = 0 -> avg = cur / 2 */
	cr_assert_eq(read_at(&rd, 500, 1000), 262144);
	cr_assert_eq(scx_ravg_to_double(262144), 0.25);

	/* t = 1000: one period done, old = 2^20 >> 1 = 524288 (0.5), nothing elapsed */
	cr_assert_eq(read_at(&rd, 1000, 1000), 524288);

	/*
	 * t = 1500: old = 524288, cur = 524288 (half a period), progress = 524288:
	 * old * (2^20 - 262144) >> 20 = 393216, + cur / 2 = 262144 -> 655360 (0.625)
	 */
	cr_assert_eq(read_at(&rd, 1500, 1000), 655360);

	/* t = 3000: partial oldest 2^20 >> 3 = 131072, two full periods 786432 -> 917504 */
	cr_assert_eq(read_at(&rd, 3000, 1000), 917504);

	/* long after: the oldest period decays away, the full-period sum saturates at 2^20 - 1 */
	cr_assert_eq(read_at(&rd, 100000, 1000), 1048575);

	/* reading never changes the data */
	cr_assert_eq(rd.val, 1);
	cr_assert_eq(rd.val_at, 0);
	cr_assert_eq(rd.old, 0);
	cr_assert_eq(rd.cur, 0);

	/* a read before val_at is a read at val_at */
	cr_assert_eq(scx_ravg_accumulate(&rd, 4, 2500, 1000), 0);
	cr_assert_eq(read_at(&rd, 100, 1000), read_at(&rd, 2500, 1000));

	/*
	 * half_life = 3, value 1 from 0, read at 1: normalized 1/3 rounds up:
	 * ceil(2^20 / 3) = 349526, avg = 349526 / 2 = 174763
	 */
	memset(&rd, 0, sizeof(rd));
	scx_ravg_accumulate(&rd, 1, 0, 3);
	cr_assert_eq(read_at(&rd, 1, 3), 174763);
}

Test(ravg, clamp_and_saturation)
{
	struct ravg_data rd;
	u64 avg;

	memset(&rd, 0, sizeof(rd));
	scx_ravg_accumulate(&rd, 1ULL << 44, 0, 1000);
	cr_assert_eq(rd.val, (1ULL << 44) - 1);
	scx_ravg_accumulate(&rd, UINT64_MAX, 10, 1000);
	cr_assert_eq(rd.val, (1ULL << 44) - 1);

	/* ->old at U64_MAX: the blend must not overflow; compare with 128-bit arithmetic */
	rd.val = 0;
	rd.val_at = 1000;
	rd.old = UINT64_MAX;
	rd.cur = 0;
	avg = read_at(&rd, 1250, 1000);
	/* progress = 2^18, factor 2^20 - 2^17 */
	cr_assert_eq(avg, (u64)(((unsigned __int128)UINT64_MAX * ((1 << 20) - (1 << 17))) >> 20));

	/*
	 * Saturating fold at t = 1000 (one period later): old >> 1 = 2^63 - 1, plus
	 * cur >> 1 = 2^63 - 3, plus val * (ceil(2^20 / 1000) >> 1) = val * 524 overflows, so
	 * ->old stays at U64_MAX instead of wrapping.
	 */
	rd.val = (1ULL << 44) - 1;
	rd.val_at = 999;
	rd.old = UINT64_MAX;
	rd.cur = UINT64_MAX - 5;
	scx_ravg_accumulate(&rd, 0, 1000, 1000);
	cr_assert_eq(rd.old, UINT64_MAX);
}

Test(ravg, bad_arguments)
{
	struct ravg_data rd, before;
	uint64_t avg = 7;

	memset(&rd, 0, sizeof(rd));
	rd.val = 3;
	before = rd;
	errno = 0;
	cr_assert_eq(scx_ravg_read(NULL, 0, 1000, &avg), -EINVAL);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(scx_ravg_read(&rd, 0, 1000, NULL), -EINVAL);
	cr_assert_eq(scx_ravg_read(&rd, 0, 0, &avg), -EINVAL);
	cr_assert_eq(scx_ravg_read(&rd, 0, 1ULL << 32, &avg), -EINVAL);
	cr_assert_eq(avg, 7);
	cr_assert_eq(scx_ravg_accumulate(NULL, 1, 0, 1000), -EINVAL);
	cr_assert_eq(scx_ravg_accumulate(&rd, 1, 0, 0), -EINVAL);
	cr_assert_eq(scx_ravg_accumulate(&rd, 1, 5, 1ULL << 32), -EINVAL);
	cr_assert_eq(memcmp(&rd, &before, sizeof(rd)), 0);
	/* the largest accepted half-life */
	cr_assert_eq(scx_ravg_read(&rd, 5, UINT32_MAX, &avg), 0);
}

static const u64 half_lives[] = { 1, 2, 3, 7, 1000, 4096, 999983, 100000000, UINT32_MAX };

/* One random step: usually forward a bit, sometimes across many periods, sometimes back. */
static u64 next_time(u64 now, u64 hl)
{
	switch (rnd_below(10)) {
	case 0:
		return now;
	case 1:
		return now > hl ? now - rnd_below(hl) : now;	/* into the past */
	case 2:
		return now + hl * rnd_below(80) + rnd_below(hl);	/* many periods */
	case 3:
		return now + hl;
	default:
		return now + rnd_below(hl / 2 + 2);
	}
}

static u64 next_val(void)
{
	switch (rnd_below(8)) {
	case 0:
		return 0;
	case 1:
		return rnd();				/* clamped */
	case 2:
		return rnd_below(1ULL << 44);
	default:
		return rnd_below(2048);
	}
}

Test(ravg, bit_exact_against_reference)
{
	unsigned int seed, step, h;
	u64 compared = 0;

	for (seed = 1; seed <= 64; seed++) {
		for (h = 0; h < sizeof(half_lives) / sizeof(half_lives[0]); h++) {
			u64 hl = half_lives[h];
			struct ravg_data lib, ref;
			u64 now;

			rng_state = 0x9e3779b97f4a7c15ULL * seed + h;
			memset(&lib, 0, sizeof(lib));
			memset(&ref, 0, sizeof(ref));
			/* start anywhere, including near the u32 wrap of the period number */
			now = rnd_below(3) == 0 ? hl * (u64)UINT32_MAX - hl * 3 : rnd_below(1ULL << 40);
			for (step = 0; step < 200; step++) {
				u64 v = next_val();
				uint64_t t_read, a;

				now = next_time(now, hl);
				cr_assert_eq(scx_ravg_accumulate(&lib, v, now, hl), 0);
				ref_accumulate(&ref, v, now, hl);
				cr_assert_eq(memcmp(&lib, &ref, sizeof(lib)), 0,
					     "state differs: seed %u hl %llu step %u", seed,
					     (unsigned long long)hl, step);
				t_read = next_time(now, hl);
				cr_assert_eq(scx_ravg_read(&lib, t_read, hl, &a), 0);
				cr_assert_eq(a, ref_read(&ref, t_read, hl),
					     "read differs: seed %u hl %llu step %u", seed,
					     (unsigned long long)hl, step);
				compared++;
			}
		}
	}
	cr_assert_eq(compared, 64 * 200 * (sizeof(half_lives) / sizeof(half_lives[0])));
}

Test(ravg, bpf_header_agrees)
{
	/* <scx/ravg.bpf.h>'s ravg_accumulate()/ravg_read() against the library, bit for bit */
	unsigned int seed, step, h;

	for (seed = 1; seed <= 32; seed++) {
		for (h = 0; h < sizeof(half_lives) / sizeof(half_lives[0]); h++) {
			u64 hl = half_lives[h];
			struct ravg_data lib, bpf;
			u64 now;

			rng_state = 0xd1b54a32d192ed03ULL * seed + h;
			memset(&lib, 0, sizeof(lib));
			memset(&bpf, 0, sizeof(bpf));
			now = rnd_below(1ULL << 40);
			for (step = 0; step < 200; step++) {
				uint64_t v = next_val(), t_read, a;

				now = next_time(now, hl);
				scx_ravg_accumulate(&lib, v, now, hl);
				ravg_accumulate(&bpf, v, now, (u32)hl);
				cr_assert_eq(memcmp(&lib, &bpf, sizeof(lib)), 0,
					     "state differs: seed %u hl %llu step %u", seed,
					     (unsigned long long)hl, step);
				t_read = next_time(now, hl);
				cr_assert_eq(scx_ravg_read(&lib, t_read, hl, &a), 0);
				cr_assert_eq(a, ravg_read(&bpf, t_read, (u32)hl));
			}
		}
	}
}

Test(ravg, full_sum_table_matches_formula)
{
	/*
	 * Holding value 1 for k full periods plus the rest of the first one from its start:
	 * the fold adds 2^20 >> (k+1) for the partial (here whole) first period and the table
	 * entry k-1 for the k full ones, i.e. sum(i = 1..k+1) 2^20 >> i.
	 */
	unsigned int k;

	for (k = 1; k < 30; k++) {
		struct ravg_data rd;

		memset(&rd, 0, sizeof(rd));
		scx_ravg_accumulate(&rd, 1, 0, 1000);
		scx_ravg_accumulate(&rd, 1, 1000ULL * (k + 1), 1000);
		cr_assert_eq(rd.old, ((1ULL << 20) >> (k + 1)) + ref_full_sum(k - 1 > 19 ? 19 : k - 1),
			     "k = %u", k);
	}
}

Test(ravg, close_to_real_arithmetic)
{
	unsigned int seed, step;
	double worst = 0;

	for (seed = 1; seed <= 32; seed++) {
		const u64 hl = 1000000;
		struct ravg_data rd;
		struct fmodel fm;
		u64 now = 0;

		rng_state = 0x2545f4914f6cdd1dULL * seed;
		memset(&rd, 0, sizeof(rd));
		memset(&fm, 0, sizeof(fm));
		for (step = 0; step < 300; step++) {
			uint64_t v = rnd_below(1000), a, t;
			double exact, err;

			now += rnd_below(hl / 4) + 1;
			scx_ravg_accumulate(&rd, v, now, hl);
			f_accumulate(&fm, (double)v, now, hl);
			t = now + rnd_below(2 * hl);
			cr_assert_eq(scx_ravg_read(&rd, t, hl, &a), 0);
			exact = f_read(&fm, t, hl);
			err = fabs(scx_ravg_to_double(a) - exact);
			/*
			 * Each fold rounds a duration up by < 2^-20 of a period per value unit
			 * (values < 1000) and each shift truncates; older errors halve every
			 * period, so the difference stays far below 0.05.
			 */
			cr_assert_leq(err, 0.05, "seed %u step %u: %f vs %f", seed, step,
				      scx_ravg_to_double(a), exact);
			if (err > worst)
				worst = err;
		}
	}
	cr_log_info("largest difference from real arithmetic: %g", worst);
	cr_assert_lt(worst, 0.05);
}
