// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Load aggregation with infeasible weights: records go into a hash table keyed by (domain,
 * weight); a calculation sorts the distinct weights and caps the heaviest ones.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <scx/lb.h>

#include "internal.h"

struct agg_entry {
	uint64_t weight;	/* 0: empty slot */
	unsigned int dom;
	double dcycle;
};

struct scx_lb_agg {
	unsigned int nr_cpus;
	bool ignore_infeasible;
	struct agg_entry *slots;
	size_t nr_slots;	/* a power of two */
	size_t nr_used;
	unsigned int nr_doms;
};

struct ledger_bucket {
	uint64_t weight;
	double dcycle;
};

struct scx_lb_ledger {
	double load_sum;
	double raw_load_sum;
	double max_weight;
	unsigned int nr_doms;
	double *dom_loads;
	double *dom_dcycles;
	double dcycle_sum;
	size_t nr_buckets;
	struct ledger_bucket *buckets;	/* increasing weight */
};

/* splitmix64's finalizer over weight and domain: every input bit moves the low bits */
static size_t slot_hash(unsigned int dom, uint64_t weight)
{
	uint64_t h = weight ^ ((uint64_t)dom << 47 | (uint64_t)dom >> 17);

	h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
	h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
	return (size_t)(h ^ (h >> 31));
}

static struct agg_entry *slot_find(struct agg_entry *slots, size_t nr_slots, unsigned int dom,
				   uint64_t weight)
{
	size_t i = slot_hash(dom, weight) & (nr_slots - 1);

	while (slots[i].weight && (slots[i].weight != weight || slots[i].dom != dom))
		i = (i + 1) & (nr_slots - 1);
	return &slots[i];
}

static int agg_grow(struct scx_lb_agg *agg)
{
	size_t n = agg->nr_slots ? agg->nr_slots * 2 : 64, i;
	struct agg_entry *slots;

	if (n > SIZE_MAX / sizeof(*slots))
		return -ENOMEM;
	slots = calloc(n, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (i = 0; i < agg->nr_slots; i++) {
		const struct agg_entry *e = &agg->slots[i];

		if (e->weight)
			*slot_find(slots, n, e->dom, e->weight) = *e;
	}
	free(agg->slots);
	agg->slots = slots;
	agg->nr_slots = n;
	return 0;
}

struct scx_lb_agg *scx_lb_agg_new(unsigned int nr_cpus, bool ignore_infeasible)
{
	struct scx_lb_agg *agg;

	if (!nr_cpus)
		return scx_err_ptr(-EINVAL);
	agg = calloc(1, sizeof(*agg));
	if (!agg)
		return scx_err_ptr(-ENOMEM);
	agg->nr_cpus = nr_cpus;
	agg->ignore_infeasible = ignore_infeasible;
	if (agg_grow(agg)) {
		free(agg);
		return scx_err_ptr(-ENOMEM);
	}
	return agg;
}

void scx_lb_agg_free(struct scx_lb_agg *agg)
{
	if (!agg)
		return;
	free(agg->slots);
	free(agg);
}

int scx_lb_agg_record(struct scx_lb_agg *agg, unsigned int dom, uint64_t weight, double dcycle)
{
	struct agg_entry *e;
	int err;

	if (!agg || !weight || !isfinite(dcycle) || dcycle < 0 || dom >= SCX_LB_MAX_DOMS)
		return scx_errno(-EINVAL);
	e = slot_find(agg->slots, agg->nr_slots, dom, weight);
	if (!e->weight) {
		/* keep the table at most half full */
		if ((agg->nr_used + 1) * 2 > agg->nr_slots) {
			err = agg_grow(agg);
			if (err)
				return scx_errno(err);
			e = slot_find(agg->slots, agg->nr_slots, dom, weight);
		}
		e->weight = weight;
		e->dom = dom;
		e->dcycle = 0;
		agg->nr_used++;
		if (dom >= agg->nr_doms)
			agg->nr_doms = dom + 1;
	}
	e->dcycle += dcycle;
	return 0;
}

static int cmp_weight(const void *a, const void *b)
{
	uint64_t wa = ((const struct agg_entry *)a)->weight;
	uint64_t wb = ((const struct agg_entry *)b)->weight;

	return wa < wb ? -1 : wa > wb;
}

/*
 * Walk the buckets from the heaviest, capping each while it is above
 * lambda = feasible load / (N - capped duty cycles).  Buckets without load do not change
 * lambda and are skipped; they end up infeasible or not by comparison with the result.
 */
static double find_cap(const struct ledger_bucket *b, size_t nr, unsigned int nr_cpus,
		       double raw_sum)
{
	double feasible = raw_sum, capped_dcycle = 0, lambda;
	size_t i, last = nr, nr_capped = 0;

	for (i = 0; i < nr; i++)
		if (b[i].dcycle > 0) {
			last = i;
			break;
		}
	if (last == nr || !(raw_sum > 0))
		return INFINITY;

	for (i = nr; i-- > last;) {
		if (!(b[i].dcycle > 0))
			continue;
		lambda = feasible / ((double)nr_cpus - capped_dcycle);
		if ((double)b[i].weight <= lambda)
			return nr_capped ? lambda : INFINITY;
		feasible -= (double)b[i].weight * b[i].dcycle;
		capped_dcycle += b[i].dcycle;
		nr_capped++;
		/*
		 * Every loaded weight capped (or, through rounding, the capped tasks alone
		 * filling the CPUs): the CPUs are not saturated, each task gets a CPU when it
		 * runs, and the lightest capped weight is the cap.
		 */
		if (i == last || capped_dcycle >= (double)nr_cpus || !(feasible > 0))
			return (double)b[i].weight;
	}
	return INFINITY;	/* not reached */
}

static double capped(uint64_t weight, double cap)
{
	return (double)weight < cap ? (double)weight : cap;
}

struct scx_lb_ledger *scx_lb_ledger_new(const struct scx_lb_agg *agg)
{
	struct scx_lb_ledger *l;
	struct agg_entry *ents;
	size_t i, n = 0;

	if (!agg)
		return scx_err_ptr(-EINVAL);
	l = calloc(1, sizeof(*l));
	ents = calloc(agg->nr_used ? agg->nr_used : 1, sizeof(*ents));
	if (!l || !ents)
		goto nomem;
	l->buckets = calloc(agg->nr_used ? agg->nr_used : 1, sizeof(*l->buckets));
	l->dom_loads = calloc(agg->nr_doms ? agg->nr_doms : 1, sizeof(*l->dom_loads));
	l->dom_dcycles = calloc(agg->nr_doms ? agg->nr_doms : 1, sizeof(*l->dom_dcycles));
	if (!l->buckets || !l->dom_loads || !l->dom_dcycles)
		goto nomem;
	l->nr_doms = agg->nr_doms;

	for (i = 0; i < agg->nr_slots; i++)
		if (agg->slots[i].weight)
			ents[n++] = agg->slots[i];
	qsort(ents, n, sizeof(*ents), cmp_weight);

	/* merge the domains' entries into one bucket per weight */
	for (i = 0; i < n; i++) {
		struct ledger_bucket *b = l->nr_buckets ? &l->buckets[l->nr_buckets - 1] : NULL;

		if (!b || b->weight != ents[i].weight) {
			b = &l->buckets[l->nr_buckets++];
			b->weight = ents[i].weight;
			b->dcycle = 0;
		}
		b->dcycle += ents[i].dcycle;
	}
	for (i = 0; i < l->nr_buckets; i++) {
		l->raw_load_sum += (double)l->buckets[i].weight * l->buckets[i].dcycle;
		l->dcycle_sum += l->buckets[i].dcycle;
	}

	l->max_weight = agg->ignore_infeasible ? INFINITY
					       : find_cap(l->buckets, l->nr_buckets, agg->nr_cpus,
							  l->raw_load_sum);
	for (i = 0; i < l->nr_buckets; i++)
		l->load_sum += capped(l->buckets[i].weight, l->max_weight) * l->buckets[i].dcycle;
	for (i = 0; i < n; i++) {
		l->dom_loads[ents[i].dom] += capped(ents[i].weight, l->max_weight) * ents[i].dcycle;
		l->dom_dcycles[ents[i].dom] += ents[i].dcycle;
	}
	free(ents);
	return l;

nomem:
	free(ents);
	scx_lb_ledger_free(l);
	return scx_err_ptr(-ENOMEM);
}

void scx_lb_ledger_free(struct scx_lb_ledger *ledger)
{
	if (!ledger)
		return;
	free(ledger->buckets);
	free(ledger->dom_loads);
	free(ledger->dom_dcycles);
	free(ledger);
}

double scx_lb_ledger_load_sum(const struct scx_lb_ledger *ledger)
{
	return ledger ? ledger->load_sum : NAN;
}

double scx_lb_ledger_raw_load_sum(const struct scx_lb_ledger *ledger)
{
	return ledger ? ledger->raw_load_sum : NAN;
}

double scx_lb_ledger_max_weight(const struct scx_lb_ledger *ledger)
{
	return ledger ? ledger->max_weight : NAN;
}

unsigned int scx_lb_ledger_nr_doms(const struct scx_lb_ledger *ledger)
{
	return ledger ? ledger->nr_doms : 0;
}

int scx_lb_ledger_dom_load_sum(const struct scx_lb_ledger *ledger, unsigned int dom, double *load)
{
	if (!ledger || !load)
		return scx_errno(-EINVAL);
	if (dom >= ledger->nr_doms)
		return scx_errno(-ENOENT);
	*load = ledger->dom_loads[dom];
	return 0;
}

double scx_lb_ledger_dcycle_sum(const struct scx_lb_ledger *ledger)
{
	return ledger ? ledger->dcycle_sum : NAN;
}

int scx_lb_ledger_dom_dcycle_sum(const struct scx_lb_ledger *ledger, unsigned int dom,
				 double *dcycle)
{
	if (!ledger || !dcycle)
		return scx_errno(-EINVAL);
	if (dom >= ledger->nr_doms)
		return scx_errno(-ENOENT);
	*dcycle = ledger->dom_dcycles[dom];
	return 0;
}

/* scx_utils' LoadLedger::effective_max_weight() starts from the largest nice weight, 10000. */
#define SCX_UTILS_DFL_MAX_WEIGHT 10000.0

double scx_lb_ledger_effective_max_weight(const struct scx_lb_ledger *ledger)
{
	if (!ledger)
		return NAN;
	return isinf(ledger->max_weight) ? SCX_UTILS_DFL_MAX_WEIGHT : ledger->max_weight;
}

size_t scx_lb_ledger_nr_buckets(const struct scx_lb_ledger *ledger)
{
	return ledger ? ledger->nr_buckets : 0;
}

int scx_lb_ledger_bucket(const struct scx_lb_ledger *ledger, size_t idx, uint64_t *weight,
			   double *dcycle, double *load)
{
	const struct ledger_bucket *b;

	if (!ledger)
		return scx_errno(-EINVAL);
	if (idx >= ledger->nr_buckets)
		return scx_errno(-ENOENT);
	b = &ledger->buckets[idx];
	if (weight)
		*weight = b->weight;
	if (dcycle)
		*dcycle = b->dcycle;
	if (load)
		*load = capped(b->weight, ledger->max_weight) * b->dcycle;
	return (double)b->weight > ledger->max_weight;
}
