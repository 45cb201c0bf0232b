// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * CPU masks: every operation checked against a plain bool-array model, the text forms against
 * hand-worked kernel examples, and bad input against an unchanged mask.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/xorshift.h"
#include <scx/cpumask.h>

#include "../../libscx/cpumask_internal.h"

static const unsigned int widths[] = { 1, 2, 31, 32, 33, 63, 64, 65, 127, 128, 129, 1000, 8192,
				       100000 };

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	return xorshift64s(&rng_state);
}

/* A model: one bool per id. */
struct model {
	unsigned int width;
	bool *b;
};

static struct model model_new(unsigned int width)
{
	struct model m = { width, calloc(width, sizeof(bool)) };

	cr_assert_not_null(m.b);
	return m;
}

/* Random ids at one of several densities (empty, sparse, half, dense, full). */
static void fill_random(struct scx_cpumask *mask, struct model *m)
{
	static const unsigned int per_mille[] = { 0, 3, 100, 500, 900, 1000 };
	unsigned int d = per_mille[rnd() % 6], i;

	cr_assert_eq(scx_cpumask_zero(mask), 0);
	for (i = 0; i < m->width; i++) {
		m->b[i] = rnd() % 1000 < d;
		if (m->b[i])
			cr_assert_eq(scx_cpumask_set(mask, i), 0);
	}
}

static void check_model(const struct scx_cpumask *mask, const struct model *m)
{
	unsigned int i, n = 0;

	cr_assert_eq(scx_cpumask_width(mask), m->width);
	for (i = 0; i < m->width; i++) {
		cr_assert_eq(scx_cpumask_test(mask, i), m->b[i], "id %u of %u", i, m->width);
		n += m->b[i];
	}
	cr_assert_eq(scx_cpumask_weight(mask), n);
	cr_assert_eq(scx_cpumask_empty(mask), n == 0);
	cr_assert_eq(scx_cpumask_full(mask), n == m->width);
}

/* Bits beyond the width must stay clear: look at the exported last word. */
static void check_tail_clear(const struct scx_cpumask *mask)
{
	unsigned int width = scx_cpumask_width(mask), nr = (width + 63) / 64;
	uint64_t *w = calloc(nr, sizeof(*w));

	cr_assert_eq(scx_cpumask_to_u64s(mask, w, nr), (int)nr);
	if (width % 64)
		cr_assert_eq(w[nr - 1] >> (width % 64), 0, "tail of width %u", width);
	free(w);
}

static struct scx_cpumask *mask_of(unsigned int width, const char *list)
{
	struct scx_cpumask *m = scx_cpumask_new(width);

	cr_assert_not_null(m);
	cr_assert_eq(scx_cpumask_parse_list(m, list), 0, "parse \"%s\" width %u", list, width);
	return m;
}

static void assert_list(const struct scx_cpumask *m, const char *want)
{
	char buf[4096];
	int n = scx_cpumask_format_list(m, buf, sizeof(buf));

	cr_assert_eq(n, (int)strlen(want), "\"%s\" vs \"%s\"", buf, want);
	cr_assert_str_eq(buf, want);
}

static void assert_hex(const struct scx_cpumask *m, const char *want)
{
	char buf[4096];
	int n = scx_cpumask_format_hex(m, buf, sizeof(buf));

	cr_assert_eq(n, (int)strlen(want), "\"%s\" vs \"%s\"", buf, want);
	cr_assert_str_eq(buf, want);
}

/* ---------------------------------------------------------------------------------------- */

Test(cpumask, new_widths)
{
	unsigned int i;

	errno = 0;
	cr_assert_null(scx_cpumask_new(0));
	cr_assert_eq(errno, EINVAL);
	errno = 0;
	cr_assert_null(scx_cpumask_new(SCX_CPUMASK_MAX_WIDTH + 1));
	cr_assert_eq(errno, EINVAL);
	for (i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
		struct scx_cpumask *m = scx_cpumask_new(widths[i]);

		cr_assert_not_null(m);
		cr_assert_eq(scx_cpumask_width(m), widths[i]);
		cr_assert(scx_cpumask_empty(m));
		cr_assert_not(scx_cpumask_full(m));
		cr_assert_eq(scx_cpumask_weight(m), 0);
		cr_assert_eq(scx_cpumask_first(m), -ENOENT);
		cr_assert_eq(errno, ENOENT);
		cr_assert_eq(scx_cpumask_last(m), -ENOENT);
		scx_cpumask_free(m);
	}
	struct scx_cpumask *big = scx_cpumask_new(SCX_CPUMASK_MAX_WIDTH);

	cr_assert_not_null(big);
	cr_assert_eq(scx_cpumask_fill(big), 0);
	cr_assert_eq(scx_cpumask_weight(big), SCX_CPUMASK_MAX_WIDTH);
	cr_assert_eq(scx_cpumask_last(big), (int)SCX_CPUMASK_MAX_WIDTH - 1);
	scx_cpumask_free(big);
	scx_cpumask_free(NULL);
	cr_assert_eq(scx_cpumask_width(NULL), 0);
}

Test(cpumask, null_arguments)
{
	struct scx_cpumask *m = scx_cpumask_new(8);
	uint64_t w = 0;
	char buf[8];

	errno = 0;
	cr_assert_null(scx_cpumask_new_copy(NULL));
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(scx_cpumask_assign(NULL, m), -EINVAL);
	cr_assert_eq(scx_cpumask_assign(m, NULL), -EINVAL);
	cr_assert_eq(scx_cpumask_set(NULL, 0), -EINVAL);
	cr_assert_eq(scx_cpumask_clear(NULL, 0), -EINVAL);
	cr_assert_not(scx_cpumask_test(NULL, 0));
	cr_assert_eq(scx_cpumask_set_range(NULL, 0, 1), -EINVAL);
	cr_assert_eq(scx_cpumask_clear_range(NULL, 0, 1), -EINVAL);
	cr_assert_eq(scx_cpumask_fill(NULL), -EINVAL);
	cr_assert_eq(scx_cpumask_zero(NULL), -EINVAL);
	cr_assert_eq(scx_cpumask_and(m, m, NULL), -EINVAL);
	cr_assert_eq(scx_cpumask_or(NULL, m, m), -EINVAL);
	cr_assert_eq(scx_cpumask_xor(m, NULL, m), -EINVAL);
	cr_assert_eq(scx_cpumask_andnot(m, m, NULL), -EINVAL);
	cr_assert_eq(scx_cpumask_not(NULL, m), -EINVAL);
	cr_assert_eq(scx_cpumask_not(m, NULL), -EINVAL);
	cr_assert_null(scx_cpumask_new_and(m, NULL));
	cr_assert_null(scx_cpumask_new_or(NULL, m));
	cr_assert_null(scx_cpumask_new_xor(NULL, NULL));
	cr_assert_null(scx_cpumask_new_andnot(m, NULL));
	errno = 0;
	cr_assert_null(scx_cpumask_new_not(NULL));
	cr_assert_eq(errno, EINVAL);
	cr_assert_not(scx_cpumask_equal(NULL, NULL));
	cr_assert_not(scx_cpumask_subset(NULL, m));
	cr_assert_not(scx_cpumask_intersects(m, NULL));
	cr_assert(scx_cpumask_empty(NULL));
	cr_assert_not(scx_cpumask_full(NULL));
	cr_assert_eq(scx_cpumask_weight(NULL), 0);
	cr_assert_eq(scx_cpumask_first(NULL), -EINVAL);
	cr_assert_eq(scx_cpumask_next(NULL, -1), -EINVAL);
	cr_assert_eq(scx_cpumask_last(NULL), -EINVAL);
	cr_assert_eq(scx_cpumask_parse_list(NULL, "1"), -EINVAL);
	cr_assert_eq(scx_cpumask_parse_list(m, NULL), -EINVAL);
	cr_assert_eq(scx_cpumask_parse_hex(m, NULL), -EINVAL);
	cr_assert_eq(scx_cpumask_parse(NULL, "1"), -EINVAL);
	cr_assert_eq(scx_cpumask_format_list(NULL, buf, sizeof(buf)), -EINVAL);
	cr_assert_eq(scx_cpumask_format_list(m, NULL, 4), -EINVAL);
	cr_assert_eq(scx_cpumask_format_hex(NULL, buf, sizeof(buf)), -EINVAL);
	cr_assert_eq(scx_cpumask_to_u64s(NULL, &w, 1), -EINVAL);
	cr_assert_eq(scx_cpumask_to_u64s(m, NULL, 1), -EINVAL);
	cr_assert_eq(scx_cpumask_from_u64s(NULL, &w, 1), -EINVAL);
	cr_assert_eq(scx_cpumask_from_u64s(m, NULL, 1), -EINVAL);
	errno = 0;
	cr_assert_eq(scx_cpumask_set(m, 8), -EINVAL);
	cr_assert_eq(errno, EINVAL);

	int cpu, n = 0;

	scx_cpumask_for_each(cpu, (const struct scx_cpumask *)NULL)
		n++;
	cr_assert_eq(n, 0);
	scx_cpumask_free(m);
}

Test(cpumask, set_clear_test_edges)
{
	unsigned int i;

	for (i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
		unsigned int w = widths[i];
		struct scx_cpumask *m = scx_cpumask_new(w);

		cr_assert_eq(scx_cpumask_set(m, w - 1), 0);
		cr_assert_eq(scx_cpumask_set(m, 0), 0);
		cr_assert_eq(scx_cpumask_set(m, w), -EINVAL);
		cr_assert_eq(scx_cpumask_clear(m, w), -EINVAL);
		cr_assert_eq(scx_cpumask_set(m, ~0u), -EINVAL);
		cr_assert_eq(scx_cpumask_set(m, -1), -EINVAL, "a CPU id is an int; negative is none");
		cr_assert_eq(scx_cpumask_clear(m, INT_MIN), -EINVAL);
		cr_assert_not(scx_cpumask_test(m, -1));
		cr_assert_eq(scx_cpumask_set_range(m, -1, 0), -EINVAL);
		cr_assert_eq(scx_cpumask_clear_range(m, -2, -1), -EINVAL);
		cr_assert_eq(scx_cpumask_weight(m), w == 1 ? 1 : 2, "refused calls change nothing");
		cr_assert_not(scx_cpumask_test(m, w));
		cr_assert(scx_cpumask_test(m, w - 1));
		cr_assert(scx_cpumask_test(m, 0));
		cr_assert_eq(scx_cpumask_weight(m), w == 1 ? 1 : 2);
		cr_assert_eq(scx_cpumask_first(m), 0);
		cr_assert_eq(scx_cpumask_last(m), (int)w - 1);
		cr_assert_eq(scx_cpumask_clear(m, 0), 0);
		cr_assert_eq(scx_cpumask_first(m), w == 1 ? -ENOENT : (int)w - 1);
		cr_assert_eq(scx_cpumask_fill(m), 0);
		cr_assert(scx_cpumask_full(m));
		cr_assert_eq(scx_cpumask_weight(m), w);
		check_tail_clear(m);
		cr_assert_eq(scx_cpumask_zero(m), 0);
		cr_assert(scx_cpumask_empty(m));
		scx_cpumask_free(m);
	}
}

Test(cpumask, ranges_against_model)
{
	unsigned int i, round;

	for (i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
		unsigned int w = widths[i];
		struct scx_cpumask *m = scx_cpumask_new(w);
		struct model md = model_new(w);

		for (round = 0; round < 40; round++) {
			unsigned int a = rnd() % w, b = rnd() % w, lo = a < b ? a : b,
				     hi = a < b ? b : a, k;
			bool set = rnd() & 1;

			if (set)
				cr_assert_eq(scx_cpumask_set_range(m, lo, hi), 0);
			else
				cr_assert_eq(scx_cpumask_clear_range(m, lo, hi), 0);
			for (k = lo; k <= hi; k++)
				md.b[k] = set;
		}
		check_model(m, &md);
		check_tail_clear(m);

		/* Refused ranges change nothing. */
		struct scx_cpumask *before = scx_cpumask_new_copy(m);

		cr_assert_eq(scx_cpumask_set_range(m, 0, w), -EINVAL);
		cr_assert_eq(scx_cpumask_clear_range(m, 0, w), -EINVAL);
		if (w > 1) {
			cr_assert_eq(scx_cpumask_set_range(m, 1, 0), -EINVAL);
			cr_assert_eq(scx_cpumask_clear_range(m, 1, 0), -EINVAL);
		}
		cr_assert(scx_cpumask_equal(m, before));
		cr_assert_eq(scx_cpumask_set_range(m, 0, w - 1), 0);
		cr_assert(scx_cpumask_full(m));
		cr_assert_eq(scx_cpumask_clear_range(m, 0, w - 1), 0);
		cr_assert(scx_cpumask_empty(m));
		scx_cpumask_free(before);
		scx_cpumask_free(m);
		free(md.b);
	}
}

/* Every set operation, in all three forms, against the model. */
Test(cpumask, set_algebra_randomized)
{
	unsigned int i, round, k;

	for (i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
		unsigned int w = widths[i];
		unsigned int rounds = w > 10000 ? 6 : 30;
		struct scx_cpumask *a = scx_cpumask_new(w), *b = scx_cpumask_new(w),
				   *d = scx_cpumask_new(w);
		struct model ma = model_new(w), mb = model_new(w), mr = model_new(w);

		for (round = 0; round < rounds; round++) {
			fill_random(a, &ma);
			fill_random(b, &mb);
			for (int op = 0; op < 5; op++) {
				bool any_common = false, sub = true, eq = true;
				struct scx_cpumask *n, *in_a, *in_b;

				for (k = 0; k < w; k++) {
					bool x = ma.b[k], y = mb.b[k];

					mr.b[k] = op == 0 ? (x && y) :
						  op == 1 ? (x || y) :
						  op == 2 ? (x != y) :
						  op == 3 ? (x && !y) : !x;
					any_common |= x && y;
					sub &= !x || y;
					eq &= x == y;
				}
				cr_assert_eq(scx_cpumask_intersects(a, b), any_common);
				cr_assert_eq(scx_cpumask_subset(a, b), sub);
				cr_assert_eq(scx_cpumask_equal(a, b), eq);

				in_a = scx_cpumask_new_copy(a);
				in_b = scx_cpumask_new_copy(b);
				switch (op) {
				case 0:
					cr_assert_eq(scx_cpumask_and(d, a, b), 0);
					cr_assert_eq(scx_cpumask_and(in_a, in_a, b), 0);
					cr_assert_eq(scx_cpumask_and(in_b, a, in_b), 0);
					n = scx_cpumask_new_and(a, b);
					break;
				case 1:
					cr_assert_eq(scx_cpumask_or(d, a, b), 0);
					cr_assert_eq(scx_cpumask_or(in_a, in_a, b), 0);
					cr_assert_eq(scx_cpumask_or(in_b, a, in_b), 0);
					n = scx_cpumask_new_or(a, b);
					break;
				case 2:
					cr_assert_eq(scx_cpumask_xor(d, a, b), 0);
					cr_assert_eq(scx_cpumask_xor(in_a, in_a, b), 0);
					cr_assert_eq(scx_cpumask_xor(in_b, a, in_b), 0);
					n = scx_cpumask_new_xor(a, b);
					break;
				case 3:
					cr_assert_eq(scx_cpumask_andnot(d, a, b), 0);
					cr_assert_eq(scx_cpumask_andnot(in_a, in_a, b), 0);
					cr_assert_eq(scx_cpumask_andnot(in_b, a, in_b), 0);
					n = scx_cpumask_new_andnot(a, b);
					break;
				default:
					cr_assert_eq(scx_cpumask_not(d, a), 0);
					cr_assert_eq(scx_cpumask_not(in_a, in_a), 0);
					cr_assert_eq(scx_cpumask_assign(in_b, in_a), 0);
					n = scx_cpumask_new_not(a);
					break;
				}
				cr_assert_not_null(n);
				check_model(d, &mr);
				check_model(n, &mr);
				check_tail_clear(d);
				cr_assert(scx_cpumask_equal(in_a, d), "op %d width %u", op, w);
				cr_assert(scx_cpumask_equal(in_b, d), "op %d width %u", op, w);
				cr_assert(scx_cpumask_subset(d, n) && scx_cpumask_subset(n, d));
				scx_cpumask_free(n);
				scx_cpumask_free(in_a);
				scx_cpumask_free(in_b);
			}
			/* The operands were not touched. */
			check_model(a, &ma);
			check_model(b, &mb);
		}
		scx_cpumask_free(a);
		scx_cpumask_free(b);
		scx_cpumask_free(d);
		free(ma.b);
		free(mb.b);
		free(mr.b);
	}
}

Test(cpumask, width_mismatch)
{
	struct scx_cpumask *a = mask_of(64, "0-3"), *b = mask_of(65, "0-3"), *c;

	errno = 0;
	cr_assert_eq(scx_cpumask_and(a, a, b), -EINVAL);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(scx_cpumask_or(b, a, a), -EINVAL);
	cr_assert_eq(scx_cpumask_xor(a, b, b), -EINVAL);
	cr_assert_eq(scx_cpumask_andnot(a, a, b), -EINVAL);
	cr_assert_eq(scx_cpumask_not(a, b), -EINVAL);
	cr_assert_eq(scx_cpumask_assign(a, b), -EINVAL);
	cr_assert_null(scx_cpumask_new_and(a, b));
	cr_assert_null(scx_cpumask_new_or(a, b));
	cr_assert_null(scx_cpumask_new_xor(a, b));
	errno = 0;
	cr_assert_null(scx_cpumask_new_andnot(a, b));
	cr_assert_eq(errno, EINVAL);
	cr_assert_not(scx_cpumask_equal(a, b));
	cr_assert_not(scx_cpumask_subset(a, b));
	cr_assert_not(scx_cpumask_intersects(a, b));
	assert_list(a, "0-3");
	c = scx_cpumask_new_copy(b);
	cr_assert(scx_cpumask_equal(c, b));
	scx_cpumask_free(a);
	scx_cpumask_free(b);
	scx_cpumask_free(c);
}

Test(cpumask, iteration_against_model)
{
	unsigned int i, round, k;

	for (i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
		unsigned int w = widths[i];
		struct scx_cpumask *m = scx_cpumask_new(w);
		struct model md = model_new(w);

		for (round = 0; round < 8; round++) {
			int cpu, prev = -1, first = -ENOENT, last = -ENOENT;
			unsigned int seen = 0;

			fill_random(m, &md);
			for (k = 0; k < w; k++) {
				if (md.b[k]) {
					if (first < 0)
						first = (int)k;
					last = (int)k;
				}
			}
			cr_assert_eq(scx_cpumask_first(m), first);
			cr_assert_eq(scx_cpumask_last(m), last);
			scx_cpumask_for_each(cpu, m) {
				cr_assert_gt(cpu, prev);
				cr_assert(md.b[cpu]);
				/* The next id by the slow path agrees. */
				cr_assert_eq(scx_cpumask_next(m, prev), cpu);
				prev = cpu;
				seen++;
			}
			cr_assert_eq(seen, scx_cpumask_weight(m));
			cr_assert_eq(scx_cpumask_next(m, prev), -ENOENT);
			cr_assert_eq(scx_cpumask_next(m, (int)w - 1), -ENOENT);
			cr_assert_eq(scx_cpumask_next(m, (int)w + 100), -ENOENT);
			cr_assert_eq(scx_cpumask_next(m, -5), first);
		}
		scx_cpumask_free(m);
		free(md.b);
	}
}

Test(cpumask, for_each_nests_breaks_and_clears)
{
	struct scx_cpumask *a = mask_of(200, "1,64,130-131,199"), *b = mask_of(200, "0,63-64");
	int x, y, pairs = 0, n = 0;

	scx_cpumask_for_each(x, a) {
		scx_cpumask_for_each(y, b)
			pairs++;
	}
	cr_assert_eq(pairs, 5 * 3);
	scx_cpumask_for_each(x, a) {
		if (x == 130)
			break;
		n++;
	}
	cr_assert_eq(n, 2);
	cr_assert_eq(x, 130);
	n = 0;
	scx_cpumask_for_each(x, a) {
		cr_assert_eq(scx_cpumask_clear(a, x), 0);
		n++;
	}
	cr_assert_eq(n, 5);
	cr_assert(scx_cpumask_empty(a));

	/* An unsigned loop variable ends too. */
	unsigned int u, last = 0;

	n = 0;
	scx_cpumask_for_each(u, b) {
		last = u;
		n++;
	}
	cr_assert_eq(n, 3);
	cr_assert_eq(last, 64);
	scx_cpumask_free(a);
	scx_cpumask_free(b);
}

/* ---------------------------------------------------------------------------------------- */
/* Text. */

Test(cpumask, parse_list_examples)
{
	static const struct {
		unsigned int width;
		const char *in, *out;
	} cases[] = {
		{ 16, "0-3,8,10-11", "0-3,8,10-11" },
		{ 16, "", "" },
		{ 16, "  \n", "" },
		{ 16, " 0-1\n", "0-1" },
		{ 16, "3,1,2", "1-3" },
		{ 16, "0-3,2-5", "0-5" },
		{ 16, "5-5", "5" },
		{ 16, "007", "7" },
		{ 16, "0-15:2/4", "0-1,4-5,8-9,12-13" },
		{ 16, "0-9:3/4", "0-2,4-6,8-9" },
		{ 16, "1-10:1/1", "1-10" },
		{ 16, "2-15:1/8", "2,10" },
		{ 16, "0-8:1/4", "0,4,8" },
		{ 16, "0-15:4/4", "0-15" },
		{ 16, "N", "15" },
		{ 16, "12-N", "12-15" },
		{ 16, "0-N:1/2", "0,2,4,6,8,10,12,14" },
		{ 1, "0", "0" },
		{ 64, "63", "63" },
		{ 65, "0,64", "0,64" },
		{ 8192, "0-8191:1/2", NULL },
		{ 100000, "0-99999", "0-99999" },
		{ 100000, "99998-99999,5", "5,99998-99999" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct scx_cpumask *m = mask_of(cases[i].width, cases[i].in);

		if (cases[i].out)
			assert_list(m, cases[i].out);
		check_tail_clear(m);
		scx_cpumask_free(m);
	}

	struct scx_cpumask *m = mask_of(8192, "0-8191:1/2");

	cr_assert_eq(scx_cpumask_weight(m), 4096);
	cr_assert(scx_cpumask_test(m, 8190));
	cr_assert_not(scx_cpumask_test(m, 8191));
	scx_cpumask_free(m);
}

Test(cpumask, parse_list_rejects)
{
	static const char *const bad[] = {
		"3-1", "0-", "-1", "-", ",", "1,", ",1", "1,,2", "a", "1 2", "1, 2", "x1",
		"1-2:0/4", "1-2:3/2", "1-2:2", "1-2:2/", "1-2:/2", "1-2:2/0", "1:1/1x", "16",
		"0-16", "16-17", "99999999999999999999", "4294967296", "4294967295",
		"1-99999999999", "+1", "1.5", "1-2-3", "NN", "N-1", "1\n2", "\xff", "1;2",
	};
	struct scx_cpumask *m = mask_of(16, "2,5,9-11"), *before = scx_cpumask_new_copy(m);
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		cr_assert_eq(scx_cpumask_parse_list(m, bad[i]), -EINVAL, "\"%s\"", bad[i]);
		cr_assert_eq(errno, EINVAL);
		cr_assert(scx_cpumask_equal(m, before), "\"%s\" changed the mask", bad[i]);
		cr_assert_eq(scx_cpumask_parse(m, bad[i]), -EINVAL, "\"%s\"", bad[i]);
		cr_assert(scx_cpumask_equal(m, before));
	}
	/* "0x" text is hex to scx_cpumask_parse() but not a list. */
	cr_assert_eq(scx_cpumask_parse_list(m, "0x1"), -EINVAL);
	cr_assert(scx_cpumask_equal(m, before));
	scx_cpumask_free(before);
	scx_cpumask_free(m);

	/* A large width goes through the heap scratch: refusals still leave it alone. */
	m = mask_of(100000, "7,99999");
	cr_assert_eq(scx_cpumask_parse_list(m, "0-100000"), -EINVAL);
	cr_assert_eq(scx_cpumask_parse_list(m, "0-5,100000"), -EINVAL);
	assert_list(m, "7,99999");
	scx_cpumask_free(m);
}

Test(cpumask, parse_hex_examples)
{
	static const struct {
		unsigned int width;
		const char *in, *list;
	} cases[] = {
		{ 40, "ff,ffffffff", "0-39" },
		{ 40, "ff,ffffffff\n", "0-39" },
		{ 40, "0,0000000f", "0-3" },
		{ 40, "1,0", "32" },
		{ 8, "3", "0-1" },
		{ 8, "00000000,00000000,00000081", "0,7" },
		{ 8, "0x81", "0,7" },
		{ 8, "0X0000000000000000000000081", "0,7" },
		{ 8, " 0x0 ", "" },
		{ 8, "0", "" },
		{ 5, "1f", "0-4" },
		{ 4, "f", "0-3" },
		{ 32, "80000000", "31" },
		{ 65, "1,00000000,00000000", "64" },
		{ 65, "0x10000000000000001", "0,64" },
		{ 65, "10000000000000001", "0,64" },
		{ 128, "80000000,00000000,00000000,00000001", "0,127" },
		{ 96, "deadbeef,0,1", "0,64-67,69-71,73-77,79-80,82-83,85,87,89-92,94-95" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct scx_cpumask *m = scx_cpumask_new(cases[i].width);

		cr_assert_eq(scx_cpumask_parse_hex(m, cases[i].in), 0, "\"%s\"", cases[i].in);
		assert_list(m, cases[i].list);
		scx_cpumask_free(m);
	}
}

Test(cpumask, parse_hex_rejects)
{
	static const struct {
		unsigned int width;
		const char *in;
	} bad[] = {
		{ 40, "" },   { 40, "  " },	  { 40, "0x" },	   { 40, "g" },	     { 40, ",1" },
		{ 40, "1," }, { 40, "1,,2" },	  { 40, "123456789,0" }, { 40, "0x1,2" },
		{ 40, "1 2" }, { 40, "-1" },	  { 40, "0x-1" },  { 40, "1,00000000,0" },
		{ 4, "1f" },  { 5, "3f" },	  { 8, "100" },	   { 32, "1,00000000" },
		{ 64, "0x10000000000000000" }, { 1, "2" },	   { 40, "x1" },     { 40, "0xg" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct scx_cpumask *m = scx_cpumask_new(bad[i].width), *before;

		cr_assert_eq(scx_cpumask_parse_list(m, "0"), 0);
		before = scx_cpumask_new_copy(m);
		errno = 0;
		cr_assert_eq(scx_cpumask_parse_hex(m, bad[i].in), -EINVAL, "\"%s\"", bad[i].in);
		cr_assert_eq(errno, EINVAL);
		cr_assert(scx_cpumask_equal(m, before), "\"%s\" changed the mask", bad[i].in);
		scx_cpumask_free(before);
		scx_cpumask_free(m);
	}
}

Test(cpumask, parse_dispatch)
{
	struct scx_cpumask *m = scx_cpumask_new(64);

	cr_assert_eq(scx_cpumask_parse(m, "0x11"), 0);
	assert_list(m, "0,4");
	cr_assert_eq(scx_cpumask_parse(m, "  0x3\n"), 0);
	assert_list(m, "0-1");
	/* Without "0x" it is a list, even when it would read as kernel hex. */
	cr_assert_eq(scx_cpumask_parse(m, "10,11"), 0);
	assert_list(m, "10-11");
	cr_assert_eq(scx_cpumask_parse(m, ""), 0);
	cr_assert(scx_cpumask_empty(m));
	/* The scx_utils words: "all" is the whole width, "none" the empty mask. */
	cr_assert_eq(scx_cpumask_parse(m, " all\n"), 0);
	cr_assert(scx_cpumask_full(m));
	assert_list(m, "0-63");
	cr_assert_eq(scx_cpumask_parse(m, "none"), 0);
	cr_assert(scx_cpumask_empty(m));
	/* Only the whole words, in lower case, and not for the list-only parser. */
	cr_assert_eq(scx_cpumask_parse_list(m, "0"), 0);
	cr_assert_eq(scx_cpumask_parse(m, "ALL"), -EINVAL);
	cr_assert_eq(scx_cpumask_parse(m, "alls"), -EINVAL);
	cr_assert_eq(scx_cpumask_parse(m, "non"), -EINVAL);
	cr_assert_eq(scx_cpumask_parse_list(m, "all"), -EINVAL);
	cr_assert_eq(scx_cpumask_parse_hex(m, "none"), -EINVAL);
	assert_list(m, "0");
	scx_cpumask_free(m);
}

Test(cpumask, format_hex_kernel_layout)
{
	struct scx_cpumask *m;
	char *buf;
	int n, i;

	m = mask_of(40, "0-39");
	assert_hex(m, "ff,ffffffff");
	scx_cpumask_free(m);
	m = mask_of(1, "");
	assert_hex(m, "0");
	scx_cpumask_free(m);
	m = mask_of(2, "0-1");
	assert_hex(m, "3");
	scx_cpumask_free(m);
	m = mask_of(32, "4");
	assert_hex(m, "00000010");
	scx_cpumask_free(m);
	m = mask_of(33, "0-32");
	assert_hex(m, "1,ffffffff");
	scx_cpumask_free(m);
	m = mask_of(65, "0,63");
	assert_hex(m, "0,80000000,00000001");
	scx_cpumask_free(m);
	m = mask_of(44, "43");
	assert_hex(m, "800,00000000");
	scx_cpumask_free(m);

	m = mask_of(8192, "8191");
	n = scx_cpumask_format_hex(m, NULL, 0);
	cr_assert_eq(n, 256 * 9 - 1);
	buf = malloc((size_t)n + 1);
	cr_assert_eq(scx_cpumask_format_hex(m, buf, (size_t)n + 1), n);
	cr_assert_eq(strncmp(buf, "80000000,00000000,", 18), 0);
	for (i = 9; i < n; i += 9)
		cr_assert_eq(buf[i - 1], ',');
	free(buf);
	scx_cpumask_free(m);
}

/*
 * scx_utils prints a Cpumask (Display, {:x}) as 32-bit groups, most significant first, joined by
 * commas, the top group zero-padded to ceil(width / 4) % 8 digits (8 when that is 0) and the
 * others to 8: built here with printf, that text must be scx_cpumask_format_hex()'s.
 */
#define NR_WORDS 5u

Test(cpumask, format_hex_is_scx_utils_display)
{
	char want[256], got[256];
	unsigned int width, g, nr_groups;
	uint64_t words[NR_WORDS];

	for (width = 1; width <= 300; width++) {
		struct scx_cpumask *m = scx_cpumask_new(width);
		size_t len = 0;
		int top;

		for (g = 0; g < NR_WORDS; g++)
			words[g] = rnd();
		/* ids at or beyond the width are clear */
		for (g = 0; g < NR_WORDS; g++) {
			unsigned int lo = 64 * g;

			if (lo >= width)
				words[g] = 0;
			else if (width - lo < 64)
				words[g] &= (UINT64_C(1) << (width - lo)) - 1;
		}
		cr_assert_eq(scx_cpumask_from_u64s(m, words, NR_WORDS), 0);
		nr_groups = (width + 31) / 32;
		top = (int)(((width + 3) / 4) % 8);
		for (g = nr_groups; g-- > 0;) {
			uint32_t v = (uint32_t)(words[g / 2] >> (32 * (g % 2)));

			len += (size_t)snprintf(want + len, sizeof(want) - len,
						g == nr_groups - 1 ? "%0*x" : ",%0*x",
						g == nr_groups - 1 ? (top ? top : 8) : 8, v);
		}
		cr_assert_eq(scx_cpumask_format_hex(m, got, sizeof(got)), (int)len, "width %u", width);
		cr_assert_str_eq(got, want, "width %u", width);
		scx_cpumask_free(m);
	}
}

Test(cpumask, format_truncates_like_snprintf)
{
	struct scx_cpumask *m = mask_of(64, "0-3,8,10-11,63");
	const char *full = "0-3,8,10-11,63";
	char buf[32];
	size_t size;

	cr_assert_eq(scx_cpumask_format_list(m, NULL, 0), (int)strlen(full));
	for (size = 1; size <= strlen(full) + 1; size++) {
		memset(buf, 'X', sizeof(buf));
		cr_assert_eq(scx_cpumask_format_list(m, buf, size), (int)strlen(full));
		cr_assert_eq(strlen(buf), size - 1);
		cr_assert_eq(strncmp(buf, full, size - 1), 0);
		cr_assert_eq(buf[size], 'X', "wrote past %zu", size);
	}
	memset(buf, 'X', sizeof(buf));
	cr_assert_eq(scx_cpumask_format_hex(m, buf, 5), 17);
	cr_assert_str_eq(buf, "8000");
	cr_assert_eq(buf[5], 'X');
	scx_cpumask_free(m);
}

Test(cpumask, u64_words)
{
	struct scx_cpumask *m = mask_of(130, "0,64,129"), *r = scx_cpumask_new(130);
	uint64_t w[4] = { 7, 7, 7, 7 }, keep[4];

	cr_assert_eq(scx_cpumask_to_u64s(m, NULL, 0), 3);
	cr_assert_eq(scx_cpumask_to_u64s(m, w, 4), 3);
	cr_assert_eq(w[0], 1);
	cr_assert_eq(w[1], 1);
	cr_assert_eq(w[2], 2);
	cr_assert_eq(w[3], 0);
	/* Too short for id 129: -ERANGE and nothing written. */
	w[0] = w[1] = 5;
	memcpy(keep, w, sizeof(w));
	errno = 0;
	cr_assert_eq(scx_cpumask_to_u64s(m, w, 2), -ERANGE);
	cr_assert_eq(errno, ERANGE);
	cr_assert_eq(memcmp(w, keep, sizeof(w)), 0);
	/* Short but enough. */
	cr_assert_eq(scx_cpumask_clear(m, 129), 0);
	cr_assert_eq(scx_cpumask_to_u64s(m, w, 2), 3);
	cr_assert_eq(w[0], 1);
	cr_assert_eq(w[1], 1);

	/* from: bits beyond the width, in the last word or in extra words, are refused. */
	cr_assert_eq(scx_cpumask_parse_list(r, "5"), 0);
	w[0] = 1;
	w[1] = 0;
	w[2] = 4;
	w[3] = 0;
	cr_assert_eq(scx_cpumask_from_u64s(r, w, 3), -EINVAL);
	assert_list(r, "5");
	w[2] = 0;
	w[3] = 1;
	cr_assert_eq(scx_cpumask_from_u64s(r, w, 4), -EINVAL);
	assert_list(r, "5");
	w[3] = 0;
	w[2] = 2;
	cr_assert_eq(scx_cpumask_from_u64s(r, w, 4), 0);
	assert_list(r, "0,129");
	/* Fewer words: the rest is cleared. */
	cr_assert_eq(scx_cpumask_from_u64s(r, w, 1), 0);
	assert_list(r, "0");
	cr_assert_eq(scx_cpumask_from_u64s(r, NULL, 0), 0);
	cr_assert(scx_cpumask_empty(r));
	scx_cpumask_free(m);
	scx_cpumask_free(r);
}

/* list -> mask -> hex -> mask -> u64 words -> mask, for random masks of every width. */
Test(cpumask, round_trips)
{
	unsigned int i, round;

	for (i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
		unsigned int w = widths[i], nr = (w + 63) / 64;
		struct scx_cpumask *m = scx_cpumask_new(w), *r = scx_cpumask_new(w);
		struct model md = model_new(w);
		uint64_t *words = calloc(nr, sizeof(*words));

		for (round = 0; round < 6; round++) {
			char *text;
			int n;

			fill_random(m, &md);
			n = scx_cpumask_format_list(m, NULL, 0);
			cr_assert_geq(n, 0);
			text = malloc((size_t)n + 1);
			cr_assert_eq(scx_cpumask_format_list(m, text, (size_t)n + 1), n);
			cr_assert_eq(scx_cpumask_parse_list(r, text), 0);
			cr_assert(scx_cpumask_equal(m, r), "list round trip, width %u", w);
			cr_assert_eq(scx_cpumask_parse(r, text), 0);
			cr_assert(scx_cpumask_equal(m, r));
			free(text);

			cr_assert_eq(scx_cpumask_zero(r), 0);
			n = scx_cpumask_format_hex(m, NULL, 0);
			text = malloc((size_t)n + 1);
			cr_assert_eq(scx_cpumask_format_hex(m, text, (size_t)n + 1), n);
			cr_assert_eq(scx_cpumask_parse_hex(r, text), 0);
			cr_assert(scx_cpumask_equal(m, r), "hex round trip, width %u", w);
			free(text);

			cr_assert_eq(scx_cpumask_to_u64s(m, words, nr), (int)nr);
			for (unsigned int k = 0; k < w; k++)
				cr_assert_eq((words[k / 64] >> (k % 64)) & 1, md.b[k]);
			cr_assert_eq(scx_cpumask_zero(r), 0);
			cr_assert_eq(scx_cpumask_from_u64s(r, words, nr), 0);
			cr_assert(scx_cpumask_equal(m, r), "u64 round trip, width %u", w);
		}
		free(words);
		free(md.b);
		scx_cpumask_free(m);
		scx_cpumask_free(r);
	}
}

Test(cpumask, assign_and_copy)
{
	struct scx_cpumask *a = mask_of(100, "1-9,99"), *b = scx_cpumask_new(100), *c;

	cr_assert_eq(scx_cpumask_assign(b, a), 0);
	cr_assert(scx_cpumask_equal(a, b));
	cr_assert_eq(scx_cpumask_assign(a, a), 0);
	assert_list(a, "1-9,99");
	c = scx_cpumask_new_copy(a);
	cr_assert_eq(scx_cpumask_set(c, 50), 0);
	cr_assert_not(scx_cpumask_test(a, 50));
	cr_assert(scx_cpumask_subset(a, c));
	cr_assert_not(scx_cpumask_subset(c, a));
	scx_cpumask_free(a);
	scx_cpumask_free(b);
	scx_cpumask_free(c);
}

/* Wide masks in text: every other id of 100000, both directions. */
Test(cpumask, wide_alternating_text)
{
	struct scx_cpumask *m = mask_of(100000, "0-N:1/2"), *r = scx_cpumask_new(100000);
	unsigned int id, want_len = 0;
	char *text;
	int n;

	cr_assert_eq(scx_cpumask_weight(m), 50000);
	for (id = 0; id < 100000; id += 2)
		want_len += (unsigned int)snprintf(NULL, 0, "%u", id) + (id ? 1 : 0);
	n = scx_cpumask_format_list(m, NULL, 0);
	cr_assert_eq(n, (int)want_len);
	text = malloc((size_t)n + 1);
	cr_assert_eq(scx_cpumask_format_list(m, text, (size_t)n + 1), n);
	cr_assert_eq(strncmp(text, "0,2,4,", 6), 0);
	cr_assert_str_eq(text + n - 6, ",99998");
	cr_assert_eq(scx_cpumask_parse_list(r, text), 0);
	cr_assert(scx_cpumask_equal(m, r));
	free(text);

	n = scx_cpumask_format_hex(m, NULL, 0);
	text = malloc((size_t)n + 1);
	cr_assert_eq(scx_cpumask_format_hex(m, text, (size_t)n + 1), n);
	/* 100000 = 3125 groups of 32; all but the first are 55555555. */
	cr_assert_eq(n, 3125 * 9 - 1);
	cr_assert_eq(strncmp(text, "55555555,55555555", 17), 0);
	cr_assert_eq(scx_cpumask_zero(r), 0);
	cr_assert_eq(scx_cpumask_parse_hex(r, text), 0);
	cr_assert(scx_cpumask_equal(m, r));
	free(text);
	scx_cpumask_free(m);
	scx_cpumask_free(r);
}

/* ---------------------------------------------------------------------------------------- */
/* The internal cpulist reader the modules share. */

/* The largest id is that of the last group a stride reaches, not the range's end. */
Test(cpumask, cpulist_max_follows_the_kernel_stride_meaning)
{
	static const struct {
		const char *text;
		int max;
	} cases[] = {
		{ "0-3:1/8", 0 },   { "0-10:2/4", 9 },	 { "0-9:3/4", 9 }, { "2-15:1/8", 10 },
		{ "0-8:1/4", 8 },   { "3,1,2", 3 },	 { "0-3\n", 3 },   { "0 1 7", 7 },
		{ "0-1, 4-5", 5 },  { "1048575", 1048575 },
	};
	static const char *const bad[] = { "", "\n", "x", "1-0", "0-3:0/4", "0-3:5/4", "N",
					   "1048576", "0-3:1", "-1" };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_eq(scx_cpulist_max(cases[i].text), cases[i].max, "\"%s\"", cases[i].text);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(scx_cpulist_max(bad[i]), -EINVAL, "\"%s\"", bad[i]);
}

static int count_run(unsigned int first, unsigned int last, void *arg)
{
	*(unsigned int *)arg += last - first + 1;
	return 0;
}

/* Kernel text may separate by blanks; the public parser's stricter form is refused there. */
Test(cpumask, cpulist_for_each_kernel_text_and_public_text)
{
	unsigned int n = 0;

	cr_assert_eq(scx_cpulist_for_each("0 2-3,,5", 8, SCX_CPULIST_KERNEL, count_run, &n), 0);
	cr_expect_eq(n, 4);
	cr_expect_eq(scx_cpulist_for_each("0 2-3", 8, 0, count_run, &n), -EINVAL);
	cr_expect_eq(scx_cpulist_for_each("N", 8, SCX_CPULIST_KERNEL, count_run, &n), -EINVAL);
	n = 0;
	cr_assert_eq(scx_cpulist_for_each("0-15:2/4", 16, 0, count_run, &n), 0);
	cr_expect_eq(n, 8);
	n = 0;
	cr_assert_eq(scx_cpuhex_for_each("f0,00000003", 64, count_run, &n), 0);
	cr_expect_eq(n, 6);
	cr_expect_eq(scx_cpuhex_for_each("f0,00000003", 32, count_run, &n), -EINVAL);
}
