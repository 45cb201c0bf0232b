// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * The installed BPF header ravg.bpf.h, compiled for the host, against libscx's userspace
 * scx_ravg_accumulate()/scx_ravg_read(): over random value/time sequences both must leave the
 * same struct ravg_data and read the same averages, bit for bit, since userspace reads maps the
 * BPF side fills.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "../lib/xorshift.h"
#include <scx/ravg.h>

/* What vmlinux.h and bpf_helpers.h give the header on the BPF side. */
typedef uint32_t u32;
typedef unsigned long long u64;
#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
#include "scx/ravg.bpf.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	return xorshift64s(&rng_state);
}

static void run_sequence(u32 half_life, int steps, uint64_t max_gap, uint64_t max_val)
{
	struct ravg_data b, u;
	uint64_t now = rnd() % (4ULL * half_life);
	int i;

	memset(&b, 0, sizeof(b));
	memset(&u, 0, sizeof(u));
	for (i = 0; i < steps; i++) {
		uint64_t val = rnd() % (max_val + 1);
		uint64_t avg_u, at;
		u64 avg_b;

		now += rnd() % (max_gap + 1);
		ravg_accumulate(&b, val, now, half_life);
		cr_assert_eq(scx_ravg_accumulate(&u, val, now, half_life), 0);
		cr_assert(memcmp(&b, &u, sizeof(b)) == 0,
			  "step %d: BPF {%llu %llu %llu %llu} != userspace {%llu %llu %llu %llu}", i,
			  b.val, b.val_at, b.old, b.cur, u.val, u.val_at, u.old, u.cur);

		/* read at a random later instant, the same for both */
		at = now + rnd() % (max_gap + 1);
		avg_b = ravg_read(&b, at, half_life);
		cr_assert_eq(scx_ravg_read(&u, at, half_life, &avg_u), 0);
		cr_assert_eq(avg_b, avg_u, "step %d: BPF read %llu != userspace %llu", i, avg_b,
			     (unsigned long long)avg_u);
	}
}

Test(ravg_bpf, agrees_with_userspace_small_values)
{
	run_sequence(100000000, 2000, 30000000, 1);	/* 100 ms half-life, 0/1 values */
}

Test(ravg_bpf, agrees_with_userspace_large_values_and_gaps)
{
	run_sequence(1000000, 2000, 50000000, 1ULL << 50);	/* clamped values, long sleeps */
}

Test(ravg_bpf, agrees_with_userspace_odd_half_life)
{
	run_sequence(999983, 3000, 2000000, 1u << 20);
}

Test(ravg_bpf, known_value_after_long_steady_state)
{
	struct ravg_data b;
	u64 avg;

	memset(&b, 0, sizeof(b));
	ravg_accumulate(&b, 1, 0, 1000);
	ravg_accumulate(&b, 1, 64 * 1000, 1000);
	avg = ravg_read(&b, 64 * 1000, 1000);
	/* held at 1 for 64 half-lives: within 2^-19 of 1.0 in 20-bit fixed point */
	cr_assert(avg >= (1ULL << RAVG_FRAC_BITS) - 2 && avg <= (1ULL << RAVG_FRAC_BITS),
		  "avg %llu", avg);
}
