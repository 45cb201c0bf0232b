// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * The installed BPF header cid.bpf.h, compiled for the host: its cid-mask helpers against a
 * plain array of booleans, over random masks whose ranges start anywhere (the kernel's word
 * layout aligns words to absolute cids, so a base that is not a multiple of 64 is where a
 * helper goes wrong), and the layout itself word by word.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../lib/xorshift.h"

/* What vmlinux.h, bpf_helpers.h and common.bpf.h give the header on the BPF side. */
typedef uint32_t u32;
typedef int32_t s32;
typedef unsigned long long u64;
struct scx_cmask {
	u32 base;
	u32 nr_cids;
	u32 alloc_words;
	u64 bits[];
};
struct cpumask {
	u64 bits[4];
};
struct scx_cid_topo;
#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
#define __ksym
#define __weak __attribute__((weak))
#define __arena
#define unlikely(x) __builtin_expect(!!(x), 0)
#define bpf_for(i, start, end) for ((i) = (start); (i) < (__typeof__(i))(end); (i)++)
#define bpf_ksym_exists(sym) ((void *)(sym) != NULL)
#define ctzll(v) __builtin_ctzll(v)
#define __SCX_BPF_ARENA_COMMON_BPF_H /* the kernel's arena kfuncs are not needed here */

static int nr_errors;
#define scx_bpf_error(fmt, ...) ((void)nr_errors++)

/* cmask_from_cpumask()'s kfuncs: 40 CPUs, cid = 39 - cpu. */
static u32 scx_bpf_nr_cpu_ids(void)
{
	return 40;
}

static s32 scx_bpf_cpu_to_cid(s32 cpu)
{
	return 39 - cpu;
}

static bool bpf_cpumask_test_cpu(u32 cpu, const struct cpumask *m)
{
	return m->bits[cpu / 64] & (1ULL << (cpu % 64));
}

#include "scx/cid.bpf.h"

#define MAX_CID 600

/* A mask and its reference: ref[cid] for every absolute cid. */
struct tmask {
	struct scx_cmask *m;
	bool ref[MAX_CID];
};

static uint64_t rng_state = 0x243f6a8885a308d3ULL;

static uint64_t rnd(void)
{
	return xorshift64s(&rng_state);
}

static struct scx_cmask *new_mask(u32 base, u32 nr)
{
	struct scx_cmask *m = calloc(1, sizeof(*m) + CMASK_NR_WORDS(nr) * sizeof(u64));

	cr_assert_not_null(m);
	memset(m->bits, 0xa5, CMASK_NR_WORDS(nr) * sizeof(u64)); /* cmask_init() must clear */
	cmask_init(m, base, nr);
	return m;
}

/* A random mask of a random range inside [0, MAX_CID), its bits set with probability 1/@d. */
static void random_mask(struct tmask *t, unsigned int d)
{
	u32 base = rnd() % (MAX_CID - 1), nr = rnd() % (MAX_CID - base), c;

	t->m = new_mask(base, nr);
	memset(t->ref, 0, sizeof(t->ref));
	for (c = base; c < base + nr; c++) {
		if (rnd() % d)
			continue;
		cmask_set(c, t->m);
		t->ref[c] = true;
	}
}

static bool in(const struct scx_cmask *m, u32 c)
{
	return c >= m->base && c < m->base + m->nr_cids;
}

Test(cid_bpf, word_layout_is_the_kernels)
{
	struct scx_cmask *m = new_mask(70, 100);

	cr_assert_eq(CMASK_NR_WORDS(0), 1);
	cr_assert_eq(CMASK_NR_WORDS(1), 2);
	cr_assert_eq(CMASK_NR_WORDS(64), 2);
	cr_assert_eq(CMASK_NR_WORDS(65), 3);
	cr_assert_eq(CMASK_NR_WORDS(0xffffffffU), 0x4000001U, "no wrap near U32_MAX");
	cr_assert_eq(m->alloc_words, 3);
	cr_assert_eq(m->bits[0] | m->bits[1] | m->bits[2], 0, "cmask_init() clears");
	cmask_set(70, m);
	cmask_set(127, m);
	cmask_set(128, m);
	cmask_set(169, m);
	/* cids 64..127 are word 0, 128..191 word 1: aligned to cid 0, not to the base */
	cr_assert_eq(m->bits[0], (1ULL << 6) | (1ULL << 63));
	cr_assert_eq(m->bits[1], (1ULL << 0) | (1ULL << 41));
	cr_assert_eq(m->bits[2], 0);
	cmask_set(69, m);
	cmask_set(170, m);
	cr_assert_eq(m->bits[0] & (1ULL << 5), 0, "a cid below the range is ignored");
	cr_assert_eq(m->bits[1] & (1ULL << 42), 0, "a cid past the range is ignored");
	cr_assert(!cmask_test(69, m) && cmask_test(70, m) && cmask_test(169, m));
	free(m);
}

Test(cid_bpf, single_cid_operations_match_a_reference)
{
	struct tmask t;
	int round, i;

	for (round = 0; round < 200; round++) {
		random_mask(&t, 3);
		for (i = 0; i < 300; i++) {
			u32 c = rnd() % MAX_CID;
			bool was = t.ref[c], ok = in(t.m, c);

			switch (rnd() % 6) {
			case 0:
				cr_assert_eq(cmask_test_and_set(c, t.m), was);
				t.ref[c] = ok;
				break;
			case 1:
				cr_assert_eq(cmask_test_and_clear(c, t.m), was);
				t.ref[c] = false;
				break;
			case 2:
				cr_assert_eq(__cmask_test_and_set(c, t.m), was);
				t.ref[c] = ok;
				break;
			case 3:
				cr_assert_eq(__cmask_test_and_clear(c, t.m), was);
				t.ref[c] = false;
				break;
			case 4:
				__cmask_set(c, t.m);
				t.ref[c] = ok;
				break;
			default:
				cmask_clear(c, t.m);
				t.ref[c] = false;
				break;
			}
			cr_assert_eq(cmask_test(c, t.m), t.ref[c], "cid %u of [%u, +%u)", c,
				     t.m->base, t.m->nr_cids);
		}
		free(t.m);
	}
	cr_assert_eq(nr_errors, 0);
}

static u32 ref_weight(const struct tmask *t)
{
	u32 c, n = 0;

	for (c = 0; c < MAX_CID; c++)
		n += t->ref[c];
	return n;
}

/* The first cid >= @start set in all of @a, @b, @c (NULL: not used), or @a's end. */
static u32 ref_next(const struct tmask *a, const struct tmask *b, const struct tmask *c, u32 start)
{
	u32 i, end = a->m->base + a->m->nr_cids;

	for (i = start; i < end; i++)
		if (a->ref[i] && (!b || b->ref[i]) && (!c || c->ref[i]))
			return i;
	return end;
}

static u32 ref_next_wrap(const struct tmask *a, const struct tmask *b, const struct tmask *c,
			 u32 start)
{
	u32 end = a->m->base + a->m->nr_cids, i = ref_next(a, b, c, start);

	if (i < end || start <= a->m->base)
		return i;
	i = ref_next(a, b, c, a->m->base);
	return i < start ? i : end;
}

Test(cid_bpf, searches_match_a_reference)
{
	struct tmask a, b, c;
	int round, i;
	u32 cid, n;

	for (round = 0; round < 300; round++) {
		random_mask(&a, 1 + rnd() % 8);
		random_mask(&b, 1 + rnd() % 4);
		random_mask(&c, 1 + rnd() % 4);
		cr_assert_eq(cmask_weight(a.m), ref_weight(&a));
		cr_assert_eq(scx_cmask_weight(a.m), ref_weight(&a));
		cr_assert_eq(cmask_first_set(a.m), ref_next(&a, NULL, NULL, a.m->base));
		n = 0;
		cmask_for_each(cid, a.m) {
			cr_assert(a.ref[cid]);
			n++;
		}
		cr_assert_eq(n, ref_weight(&a));
		for (i = 0; i < 20; i++) {
			u32 s = rnd() % MAX_CID;
			s32 next = scx_cmask_next(a.m, s);

			cr_assert_eq(cmask_next_set(a.m, s), ref_next(&a, NULL, NULL, s));
			cr_assert_eq(cmask_next_and_set(a.m, b.m, s), ref_next(&a, &b, NULL, s));
			cr_assert_eq(cmask_next_and2_set(a.m, b.m, c.m, s),
				     ref_next(&a, &b, &c, s));
			cr_assert_eq(cmask_next_set_wrap(a.m, s), ref_next_wrap(&a, NULL, NULL, s));
			cr_assert_eq(cmask_next_and_set_wrap(a.m, b.m, s),
				     ref_next_wrap(&a, &b, NULL, s));
			cr_assert_eq(cmask_next_and2_set_wrap(a.m, b.m, c.m, s),
				     ref_next_wrap(&a, &b, &c, s));
			cr_assert_eq(next < 0 ? a.m->base + a.m->nr_cids : (u32)next,
				     ref_next(&a, NULL, NULL, s));
		}
		cr_assert_eq(cmask_intersects(a.m, b.m),
			     ref_next(&a, &b, NULL, 0) < a.m->base + a.m->nr_cids);
		free(a.m);
		free(b.m);
		free(c.m);
	}
}

/* One bit of cmask_op(): @d op @s. */
static bool ref_op(int op, bool d, bool s)
{
	switch (op) {
	case BPF_CMASK_OP_AND:
		return d && s;
	case BPF_CMASK_OP_OR:
		return d || s;
	case BPF_CMASK_OP_ANDNOT:
		return d && !s;
	default:
		return s;
	}
}

Test(cid_bpf, set_operations_touch_only_the_common_range)
{
	struct tmask d, s;
	int round, op;
	u32 cid;

	for (round = 0; round < 400; round++) {
		random_mask(&d, 2);
		random_mask(&s, 2);
		op = rnd() % 4;
		cmask_op(d.m, s.m, op);
		for (cid = d.m->base; cid < d.m->base + d.m->nr_cids; cid++) {
			bool want = d.ref[cid], sv = s.ref[cid];

			if (in(s.m, cid))
				want = ref_op(op, want, sv);
			cr_assert_eq(cmask_test(cid, d.m), want, "op %d cid %u", op, cid);
			d.ref[cid] = want;
		}
		cr_assert_eq(cmask_weight(d.m), ref_weight(&d), "bits outside the range stay 0");
		free(d.m);
		free(s.m);
	}
}

Test(cid_bpf, comparisons_match_a_reference)
{
	struct tmask a, b;
	int round;
	u32 cid;

	for (round = 0; round < 400; round++) {
		bool subset = true;

		random_mask(&a, 1 + rnd() % 40);
		random_mask(&b, 1 + rnd() % 2);
		for (cid = 0; cid < MAX_CID; cid++)
			if (a.ref[cid] && !b.ref[cid])
				subset = false;
		cr_assert_eq(cmask_subset(a.m, b.m), subset);
		cr_assert(cmask_equal(a.m, a.m));
		cr_assert_eq(cmask_equal(a.m, b.m),
			     a.m->base == b.m->base && a.m->nr_cids == b.m->nr_cids &&
				     !memcmp(a.ref, b.ref, sizeof(a.ref)));
		free(a.m);
		free(b.m);
	}
}

Test(cid_bpf, reframe_zero_and_cpumask_conversion)
{
	struct scx_cmask *m = new_mask(0, 200);
	struct cpumask cpus = { { (1ULL << 0) | (1ULL << 5) | (1ULL << 39) } };
	u32 cid;

	for (cid = 0; cid < 200; cid++)
		cmask_set(cid, m);
	cmask_reframe(m, 100, 90);
	cr_assert_eq(m->base, 100);
	cr_assert_eq(m->nr_cids, 90);
	cmask_zero(m);
	cr_assert_eq(cmask_weight(m), 0);
	cr_assert_eq(cmask_first_set(m), 190, "nothing set: the end of the range");
	cmask_reframe(m, 0, 1000);
	cr_assert_eq(nr_errors, 1, "a range past the storage is refused");
	cr_assert_eq(m->nr_cids, 90);
	nr_errors = 0;

	cmask_reframe(m, 0, 40);
	cmask_from_cpumask(m, &cpus);
	cr_assert_eq(cmask_weight(m), 3);
	cr_assert(cmask_test(39, m) && cmask_test(34, m) && cmask_test(0, m));
	free(m);
}

Test(cid_bpf, libscx_forms_cover_and_report_none)
{
	struct scx_cmask *m = new_mask(10, 20);

	cr_assert(!scx_cmask_set(m, 9));
	cr_assert(!scx_cmask_set(m, 30));
	cr_assert(!scx_cmask_set(m, -1));
	cr_assert_eq(scx_cmask_next(m, 0), -1);
	cr_assert(scx_cmask_set(m, 29));
	cr_assert(scx_cmask_test(m, 29));
	cr_assert_eq(scx_cmask_next(m, -5), 29);
	cr_assert(scx_cmask_clear(m, 29));
	cr_assert(!scx_cmask_test(m, 29));
	/* storage for fewer words than the range needs: the cids past it are not covered */
	m->alloc_words = 1;
	m->base = 60;
	cr_assert(!scx_cmask_covers(m, 64));
	cr_assert(scx_cmask_covers(m, 63));
	free(m);
}
