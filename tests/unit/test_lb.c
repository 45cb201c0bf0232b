// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Load aggregation with infeasible weights: hand-worked examples and agreement with a
 * brute-force reference that works per task and tries every possible set of capped tasks.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include <scx/lb.h>

#define EPS 1e-9

static void assert_close(double got, double want, const char *what)
{
	cr_assert(fabs(got - want) <= EPS * fmax(1.0, fabs(want)), "%s: got %.12g, want %.12g",
		  what, got, want);
}

static double dom_load(const struct scx_lb_ledger *l, unsigned int dom)
{
	double v = NAN;

	cr_assert_eq(scx_lb_ledger_dom_load_sum(l, dom, &v), 0);
	return v;
}

Test(load, one_heavy_task_on_two_cpus)
{
	/*
	 * 2 CPUs; A: weight 10000, B and C: weight 100, all always runnable.
	 * Raw total 10000 + 100 + 100 = 10200, lambda0 = 10200 / 2 = 5100 < 10000: cap A.
	 * lambda1 = (200) / (2 - 1) = 200 >= 100: stop.  Cap 200.
	 * Adjusted: A 200 + B 100 + C 100 = 400 -- A owns one CPU, B and C share the other.
	 */
	struct scx_lb_agg *agg = scx_lb_agg_new(2, false);
	struct scx_lb_ledger *l;
	uint64_t w;
	double d, load;

	cr_assert_not_null(agg);
	cr_assert_eq(scx_lb_agg_record(agg, 0, 10000, 1.0), 0);
	cr_assert_eq(scx_lb_agg_record(agg, 1, 100, 1.0), 0);
	cr_assert_eq(scx_lb_agg_record(agg, 1, 100, 1.0), 0);
	l = scx_lb_ledger_new(agg);
	cr_assert_not_null(l);
	assert_close(scx_lb_ledger_raw_load_sum(l), 10200, "raw");
	assert_close(scx_lb_ledger_max_weight(l), 200, "cap");
	assert_close(scx_lb_ledger_load_sum(l), 400, "sum");
	cr_assert_eq(scx_lb_ledger_nr_doms(l), 2);
	assert_close(dom_load(l, 0), 200, "dom 0");
	assert_close(dom_load(l, 1), 200, "dom 1");
	cr_assert_eq(scx_lb_ledger_nr_buckets(l), 2);
	/* buckets in increasing weight: 100 (dcycle 2, feasible), 10000 (capped) */
	cr_assert_eq(scx_lb_ledger_bucket(l, 0, &w, &d, &load), 0);
	cr_assert_eq(w, 100);
	assert_close(d, 2, "dcycle 100");
	assert_close(load, 200, "load 100");
	cr_assert_eq(scx_lb_ledger_bucket(l, 1, &w, &d, &load), 1);
	cr_assert_eq(w, 10000);
	assert_close(load, 200, "load 10000");
	cr_assert_eq(scx_lb_ledger_bucket(l, 2, &w, &d, &load), -ENOENT);
	cr_assert_eq(scx_lb_ledger_dom_load_sum(l, 2, &load), -ENOENT);
	scx_lb_ledger_free(l);

	/* the same records, infeasibility ignored: raw loads */
	scx_lb_agg_free(agg);
	agg = scx_lb_agg_new(2, true);
	scx_lb_agg_record(agg, 0, 10000, 1.0);
	scx_lb_agg_record(agg, 1, 100, 2.0);
	l = scx_lb_ledger_new(agg);
	cr_assert(isinf(scx_lb_ledger_max_weight(l)));
	assert_close(scx_lb_ledger_load_sum(l), 10200, "sum ignoring");
	assert_close(dom_load(l, 0), 10000, "dom 0 ignoring");
	cr_assert_eq(scx_lb_ledger_bucket(l, 1, NULL, NULL, NULL), 0);
	scx_lb_ledger_free(l);
	scx_lb_agg_free(agg);
}

/* The example of scx_utils' own documentation (infeasible.rs): its ledger prints 66.06451612903226. */
Test(load, scx_utils_documented_example)
{
	struct scx_lb_agg *agg = scx_lb_agg_new(32, false);
	struct scx_lb_ledger *l;
	double d;
	unsigned int dom;

	cr_assert_not_null(agg);
	for (dom = 0; dom < 64; dom++)
		cr_assert_eq(scx_lb_agg_record(agg, dom, 1, 1.0), 0);
	cr_assert_eq(scx_lb_agg_record(agg, 64, 10000, 1.0), 0);
	l = scx_lb_ledger_new(agg);
	cr_assert_not_null(l);
	assert_close(scx_lb_ledger_load_sum(l), 66.06451612903226, "global_load_sum()");
	/* lambda = feasible load / (CPUs - capped duty cycle) = 64 / 31 */
	assert_close(scx_lb_ledger_effective_max_weight(l), 64.0 / 31.0, "effective_max_weight()");
	assert_close(scx_lb_ledger_max_weight(l), 64.0 / 31.0, "the same cap");
	assert_close(scx_lb_ledger_dcycle_sum(l), 65, "global_dcycle_sum()");
	cr_assert_eq(scx_lb_ledger_dom_dcycle_sum(l, 64, &d), 0);
	assert_close(d, 1, "dom_dcycle_sums()[64]");
	cr_assert_eq(scx_lb_ledger_dom_dcycle_sum(l, 65, &d), -ENOENT);
	cr_assert_eq(scx_lb_ledger_dom_dcycle_sum(l, 0, NULL), -EINVAL);
	cr_assert_eq(scx_lb_ledger_dom_dcycle_sum(NULL, 0, &d), -EINVAL);
	cr_assert(isnan(scx_lb_ledger_dcycle_sum(NULL)));
	cr_assert(isnan(scx_lb_ledger_effective_max_weight(NULL)));
	scx_lb_ledger_free(l);
	scx_lb_agg_free(agg);
}

Test(load, duty_cycles_per_domain_and_the_uncapped_weight)
{
	/* infeasibility ignored, as scx_utils' dcycle_only aggregator */
	struct scx_lb_agg *agg = scx_lb_agg_new(4, true);
	struct scx_lb_ledger *l;
	double d;

	cr_assert_eq(scx_lb_agg_record(agg, 0, 100, 0.25), 0);
	cr_assert_eq(scx_lb_agg_record(agg, 0, 120, 0.5), 0);
	cr_assert_eq(scx_lb_agg_record(agg, 2, 100, 0.75), 0);
	l = scx_lb_ledger_new(agg);
	cr_assert(isinf(scx_lb_ledger_max_weight(l)), "nothing is capped");
	assert_close(scx_lb_ledger_effective_max_weight(l), 10000, "scx_utils reports 10000 then");
	assert_close(scx_lb_ledger_dcycle_sum(l), 1.5, "all");
	cr_assert_eq(scx_lb_ledger_dom_dcycle_sum(l, 0, &d), 0);
	assert_close(d, 0.75, "dom 0: both weights");
	cr_assert_eq(scx_lb_ledger_dom_dcycle_sum(l, 1, &d), 0);
	assert_close(d, 0, "dom 1: no records");
	cr_assert_eq(scx_lb_ledger_dom_dcycle_sum(l, 2, &d), 0);
	assert_close(d, 0.75, "dom 2");
	scx_lb_ledger_free(l);
	scx_lb_agg_free(agg);
}

Test(load, all_feasible)
{
	/*
	 * 4 CPUs; four tasks of weight 100 always runnable, one of weight 50 half the time.
	 * Raw 400 + 25 = 425, lambda0 = 106.25 >= 100: nothing capped.
	 */
	struct scx_lb_agg *agg = scx_lb_agg_new(4, false);
	struct scx_lb_ledger *l;
	int i;

	for (i = 0; i < 4; i++)
		scx_lb_agg_record(agg, 0, 100, 1.0);
	scx_lb_agg_record(agg, 0, 50, 0.5);
	l = scx_lb_ledger_new(agg);
	cr_assert(isinf(scx_lb_ledger_max_weight(l)) && scx_lb_ledger_max_weight(l) > 0);
	assert_close(scx_lb_ledger_load_sum(l), 425, "sum");
	assert_close(scx_lb_ledger_raw_load_sum(l), 425, "raw");
	cr_assert_eq(scx_lb_ledger_bucket(l, 1, NULL, NULL, NULL), 0);
	scx_lb_ledger_free(l);
	scx_lb_agg_free(agg);
}

Test(load, cascade)
{
	/*
	 * 3 CPUs; weights 1000 and 500 always runnable, four tasks of weight 10 always runnable.
	 * Raw 1000 + 500 + 40 = 1540.
	 * lambda0 = 1540 / 3 = 513.33 < 1000: cap 1000 -> feasible 540, capped dcycle 1.
	 * lambda1 = 540 / 2 = 270 < 500: cap 500 -> feasible 40, capped dcycle 2.
	 * lambda2 = 40 / 1 = 40 >= 10: stop.  Cap 40; adjusted 40 + 40 + 40 = 120: the two
	 * heavy tasks own one CPU each, the four light ones share the third.
	 */
	struct scx_lb_agg *agg = scx_lb_agg_new(3, false);
	struct scx_lb_ledger *l;

	scx_lb_agg_record(agg, 0, 1000, 1.0);
	scx_lb_agg_record(agg, 1, 500, 1.0);
	scx_lb_agg_record(agg, 2, 10, 4.0);
	l = scx_lb_ledger_new(agg);
	assert_close(scx_lb_ledger_max_weight(l), 40, "cap");
	assert_close(scx_lb_ledger_load_sum(l), 120, "sum");
	assert_close(dom_load(l, 0), 40, "dom 0");
	assert_close(dom_load(l, 1), 40, "dom 1");
	assert_close(dom_load(l, 2), 40, "dom 2");
	cr_assert_eq(scx_lb_ledger_bucket(l, 0, NULL, NULL, NULL), 0);
	cr_assert_eq(scx_lb_ledger_bucket(l, 1, NULL, NULL, NULL), 1);
	cr_assert_eq(scx_lb_ledger_bucket(l, 2, NULL, NULL, NULL), 1);
	scx_lb_ledger_free(l);
	scx_lb_agg_free(agg);
}

Test(load, underloaded)
{
	/*
	 * 4 CPUs, two tasks (weights 100 and 1, always runnable): each has a CPU of its own.
	 * lambda0 = 101 / 4 = 25.25 < 100: cap 100 -> feasible 1, capped dcycle 1;
	 * lambda1 = 1 / 3 < 1: the last loaded weight is capped too, so the CPUs are not
	 * saturated and the cap is the lightest weight, 1.  Adjusted 1 + 1 = 2.
	 */
	struct scx_lb_agg *agg = scx_lb_agg_new(4, false);
	struct scx_lb_ledger *l;

	scx_lb_agg_record(agg, 0, 100, 1.0);
	scx_lb_agg_record(agg, 1, 1, 1.0);
	l = scx_lb_ledger_new(agg);
	assert_close(scx_lb_ledger_max_weight(l), 1, "cap");
	assert_close(scx_lb_ledger_load_sum(l), 2, "sum");
	assert_close(dom_load(l, 0), 1, "dom 0");
	assert_close(dom_load(l, 1), 1, "dom 1");
	scx_lb_ledger_free(l);
	scx_lb_agg_free(agg);
}

Test(load, empty_and_idle)
{
	/* nothing recorded, and only idle weights: no load, no cap */
	struct scx_lb_agg *agg = scx_lb_agg_new(8, false);
	struct scx_lb_ledger *l = scx_lb_ledger_new(agg);
	double v;

	cr_assert_not_null(l);
	cr_assert_eq(scx_lb_ledger_nr_doms(l), 0);
	cr_assert_eq(scx_lb_ledger_nr_buckets(l), 0);
	cr_assert_eq(scx_lb_ledger_load_sum(l), 0);
	cr_assert(isinf(scx_lb_ledger_max_weight(l)));
	cr_assert_eq(scx_lb_ledger_dom_load_sum(l, 0, &v), -ENOENT);
	scx_lb_ledger_free(l);

	/* 2 CPUs: an idle weight 10000 does not count; 100 + 100 = 200, lambda0 = 100: no cap */
	scx_lb_agg_free(agg);
	agg = scx_lb_agg_new(2, false);
	scx_lb_agg_record(agg, 3, 10000, 0.0);
	scx_lb_agg_record(agg, 0, 100, 2.0);
	l = scx_lb_ledger_new(agg);
	cr_assert(isinf(scx_lb_ledger_max_weight(l)));
	assert_close(scx_lb_ledger_load_sum(l), 200, "sum");
	cr_assert_eq(scx_lb_ledger_nr_doms(l), 4);
	assert_close(dom_load(l, 2), 0, "dom without records");
	assert_close(dom_load(l, 3), 0, "idle dom");
	scx_lb_ledger_free(l);
	scx_lb_agg_free(agg);
}

Test(load, bad_arguments)
{
	struct scx_lb_agg *agg;
	struct scx_lb_ledger *l;
	uint64_t w;

	errno = 0;
	cr_assert_null(scx_lb_agg_new(0, false));
	cr_assert_eq(errno, EINVAL);
	agg = scx_lb_agg_new(2, false);
	cr_assert_eq(scx_lb_agg_record(NULL, 0, 1, 1), -EINVAL);
	cr_assert_eq(scx_lb_agg_record(agg, 0, 0, 1), -EINVAL);
	cr_assert_eq(scx_lb_agg_record(agg, 0, 1, -0.5), -EINVAL);
	cr_assert_eq(scx_lb_agg_record(agg, 0, 1, NAN), -EINVAL);
	cr_assert_eq(scx_lb_agg_record(agg, 0, 1, INFINITY), -EINVAL);
	cr_assert_eq(scx_lb_agg_record(agg, SCX_LB_MAX_DOMS, 1, 1), -EINVAL);
	cr_assert_eq(errno, EINVAL);
	l = scx_lb_ledger_new(agg);
	cr_assert_eq(scx_lb_ledger_nr_buckets(l), 0, "rejected records left nothing");
	scx_lb_ledger_free(l);
	cr_assert_null(scx_lb_ledger_new(NULL));
	cr_assert(isnan(scx_lb_ledger_load_sum(NULL)));
	cr_assert(isnan(scx_lb_ledger_raw_load_sum(NULL)));
	cr_assert(isnan(scx_lb_ledger_max_weight(NULL)));
	cr_assert_eq(scx_lb_ledger_nr_doms(NULL), 0);
	cr_assert_eq(scx_lb_ledger_nr_buckets(NULL), 0);
	cr_assert_eq(scx_lb_ledger_dom_load_sum(NULL, 0, NULL), -EINVAL);
	cr_assert_eq(scx_lb_ledger_bucket(NULL, 0, &w, NULL, NULL), -EINVAL);
	scx_lb_ledger_free(NULL);
	scx_lb_agg_free(NULL);
	scx_lb_agg_free(agg);
}

/* ---- brute-force reference: tasks one by one, every possible number of capped tasks ---- */

struct task {
	uint64_t weight;
	double dcycle;
	unsigned int dom;
};

static int cmp_desc(const void *a, const void *b)
{
	uint64_t wa = ((const struct task *)a)->weight, wb = ((const struct task *)b)->weight;

	return wa > wb ? -1 : wa < wb;
}

/*
 * The cap is the lambda of the k heaviest loaded tasks, for the k where capping is consistent:
 * each capped weight is above lambda_k = (load of the others) / (N - their duty cycles) and
 * each other weight is not.  No capped task (k = 0) means no cap; when no k < m works (m loaded
 * tasks), the CPUs are not saturated and the cap is the lightest loaded weight.
 */
static bool ref_underloaded;

static double ref_cap(struct task *t, size_t n, unsigned int nr_cpus)
{
	size_t m = 0, k, i, nr_valid = 0;
	double cap = NAN;

	qsort(t, n, sizeof(*t), cmp_desc);
	for (i = 0; i < n; i++)
		if (t[i].dcycle > 0)
			t[m++] = t[i];	/* loaded tasks first, still in order */
	ref_underloaded = false;
	if (!m)
		return INFINITY;
	for (k = 0; k < m; k++) {
		double rest = 0, capd = 0, lambda;
		bool ok = true;

		for (i = 0; i < m; i++) {
			if (i < k)
				capd += t[i].dcycle;
			else
				rest += (double)t[i].weight * t[i].dcycle;
		}
		if (capd >= nr_cpus)
			break;
		lambda = rest / (nr_cpus - capd);
		for (i = 0; i < m && ok; i++)
			ok = i < k ? (double)t[i].weight > lambda : (double)t[i].weight <= lambda;
		if (ok) {
			nr_valid++;
			cap = k ? lambda : INFINITY;
		}
	}
	cr_assert_leq(nr_valid, 1, "more than one consistent cap");
	ref_underloaded = !nr_valid;
	return nr_valid ? cap : (double)t[m - 1].weight;
}

static uint64_t rng = 88172645463325252ULL;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

Test(load, matches_brute_force)
{
	static const uint64_t weight_pool[] = { 1, 2, 5, 20, 50, 100, 100, 100, 500, 1000,
						2000, 5000, 10000 };
	unsigned int round, nr_capped_cases = 0, nr_underloaded = 0;

	for (round = 0; round < 3000; round++) {
		unsigned int nr_cpus = 1 + rnd() % 8, nr_doms = 1 + rnd() % 4, d;
		size_t n = 1 + rnd() % 24, i;	/* often more runnable tasks than CPUs */
		struct task t[24], sorted[24];
		double want_cap, want_sum = 0, want_dom[4] = { 0 }, got;
		struct scx_lb_agg *agg = scx_lb_agg_new(nr_cpus, false);
		struct scx_lb_ledger *l;

		for (i = 0; i < n; i++) {
			t[i].weight = rnd() % 4 ? weight_pool[rnd() % 13] : 1 + rnd() % 20000;
			/* a quarter always runnable, some idle, the rest in between */
			switch (rnd() % 8) {
			case 0: case 1:
				t[i].dcycle = 1.0;
				break;
			case 2:
				t[i].dcycle = 0.0;
				break;
			default:
				t[i].dcycle = (double)(rnd() % 1000) / 1000.0;
			}
			t[i].dom = rnd() % nr_doms;
			cr_assert_eq(scx_lb_agg_record(agg, t[i].dom, t[i].weight, t[i].dcycle), 0);
			sorted[i] = t[i];
		}
		want_cap = ref_cap(sorted, n, nr_cpus);
		for (i = 0; i < n; i++) {
			double c = fmin((double)t[i].weight, want_cap) * t[i].dcycle;

			want_sum += c;
			want_dom[t[i].dom] += c;
		}
		l = scx_lb_ledger_new(agg);
		cr_assert_not_null(l);
		got = scx_lb_ledger_max_weight(l);
		if (isinf(want_cap))
			cr_assert(isinf(got), "round %u: cap %g, want none", round, got);
		else
			assert_close(got, want_cap, "cap");
		assert_close(scx_lb_ledger_load_sum(l), want_sum, "sum");
		for (d = 0; d < scx_lb_ledger_nr_doms(l); d++)
			assert_close(dom_load(l, d), want_dom[d], "dom");
		if (!isinf(want_cap) && !ref_underloaded)
			nr_capped_cases++;
		if (ref_underloaded)
			nr_underloaded++;
		scx_lb_ledger_free(l);
		scx_lb_agg_free(agg);
	}
	/* the random cases exercise uncapped, capped-saturated and underloaded outcomes */
	cr_log_info("of 3000 cases: %u capped on saturated CPUs, %u underloaded", nr_capped_cases,
		    nr_underloaded);
	cr_assert_gt(nr_capped_cases, 300);
	cr_assert_gt(nr_underloaded, 100);
	cr_assert_lt(nr_capped_cases + nr_underloaded, 2900);
}

Test(load, many_records_few_buckets)
{
	/* 200000 task records over 50 weights and 8 domains collapse to 50 buckets */
	struct scx_lb_agg *agg = scx_lb_agg_new(64, false);
	struct scx_lb_ledger *l;
	double raw = 0, d0;
	size_t i;

	for (i = 0; i < 200000; i++) {
		uint64_t w = 1 + (i % 50) * 37;

		cr_assert_eq(scx_lb_agg_record(agg, (unsigned int)(i % 8), w, 0.25), 0);
		raw += (double)w * 0.25;
	}
	l = scx_lb_ledger_new(agg);
	cr_assert_eq(scx_lb_ledger_nr_buckets(l), 50);
	cr_assert_eq(scx_lb_ledger_nr_doms(l), 8);
	assert_close(scx_lb_ledger_raw_load_sum(l), raw, "raw");
	/* 50000 runnable tasks' worth on 64 CPUs: nothing is infeasible */
	cr_assert(isinf(scx_lb_ledger_max_weight(l)));
	cr_assert_eq(scx_lb_ledger_dom_load_sum(l, 0, &d0), 0);
	cr_assert_gt(d0, 0);
	scx_lb_ledger_free(l);
	scx_lb_agg_free(agg);
}
