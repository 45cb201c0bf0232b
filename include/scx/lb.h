/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * Load aggregation with infeasible weights.
 *
 * A task's load is its weight times its duty cycle (the fraction of time it is runnable).
 * Balancing on raw loads goes wrong when one weight is so large that its fair share exceeds a
 * whole CPU: with N CPUs, a task of weight w is entitled to N * w / (sum of all loads) CPUs,
 * but it can never use more than one.  Such a weight is "infeasible".  The aggregator caps
 * every infeasible weight at one value lambda that makes the capped tasks' share exactly one
 * CPU:
 *
 *	lambda = (load of the feasible tasks) / (N - duty cycles of the capped tasks)
 *
 * found by capping the heaviest weights one at a time until the next one fits under lambda.
 * Loads are recorded per (domain, weight) bucket, so the work is proportional to the number of
 * distinct weights, not of tasks.
 */
#ifndef SCX_LB_H
#define SCX_LB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <scx/base.h>

SCX_BEGIN_DECLS

/** Collects (domain, weight, duty cycle) records; made by scx_lb_agg_new(). */
struct scx_lb_agg;
/** The result of scx_lb_ledger_new(): adjusted loads and the weight cap.  Immutable. */
struct scx_lb_ledger;

/** Domain numbers accepted by scx_lb_agg_record() are below this. */
#define SCX_LB_MAX_DOMS 65536

/**
 * scx_lb_agg_new() - make an empty aggregator.
 * @nr_cpus: the number of CPUs the load runs on; at least 1.
 * @ignore_infeasible: true to skip the capping (the ledger then holds the raw loads).
 * Return: the aggregator, to release with scx_lb_agg_free(), or NULL with errno set: EINVAL
 * for @nr_cpus 0, ENOMEM.
 */
SCX_API struct scx_lb_agg *scx_lb_agg_new(unsigned int nr_cpus, bool ignore_infeasible);

/**
 * scx_lb_agg_free() - release an aggregator.
 * @agg: the aggregator; NULL is ignored.
 */
SCX_API void scx_lb_agg_free(struct scx_lb_agg *agg);

/**
 * scx_lb_agg_record() - add load of one weight in one domain.
 * @agg: the aggregator.
 * @dom: the domain, below SCX_LB_MAX_DOMS; use 0 when there is only one.
 * @weight: the weight, at least 1.
 * @dcycle: the duty cycle: 0 to 1 for one task, the sum of its tasks' duty cycles for a group
 *	    of tasks of the same weight; finite and not negative.
 *
 * Records with the same @dom and @weight add up.
 *
 * Return: 0; -EINVAL for a NULL @agg, @weight 0, a negative or non-finite @dcycle or @dom too
 * large (nothing recorded); -ENOMEM.
 */
SCX_API int scx_lb_agg_record(struct scx_lb_agg *agg, unsigned int dom, uint64_t weight,
				double dcycle);

/**
 * scx_lb_ledger_new() - cap the infeasible weights and sum the loads.
 * @agg: the aggregator; not changed, so more records may follow and another ledger be made.
 *
 * When every weight that carries load is infeasible, the CPUs are not all busy: each task gets
 * a CPU whenever it runs, so all count alike and the cap is the lightest such weight.
 *
 * Return: a ledger to release with scx_lb_ledger_free(), or NULL with errno set: EINVAL for
 * a NULL @agg, ENOMEM.
 */
SCX_API struct scx_lb_ledger *scx_lb_ledger_new(const struct scx_lb_agg *agg);

/**
 * scx_lb_ledger_free() - release a ledger.
 * @ledger: the ledger; NULL is ignored.
 */
SCX_API void scx_lb_ledger_free(struct scx_lb_ledger *ledger);

/**
 * scx_lb_ledger_load_sum() - the total load with infeasible weights capped.
 * @ledger: the ledger.
 * Return: sum of min(weight, cap) * duty cycle over all records; NAN for NULL.
 */
SCX_API double scx_lb_ledger_load_sum(const struct scx_lb_ledger *ledger);

/**
 * scx_lb_ledger_raw_load_sum() - the total load before capping.
 * @ledger: the ledger.
 * Return: sum of weight * duty cycle over all records; NAN for NULL.
 */
SCX_API double scx_lb_ledger_raw_load_sum(const struct scx_lb_ledger *ledger);

/**
 * scx_lb_ledger_max_weight() - the effective maximum weight (lambda, the cap).
 * @ledger: the ledger.
 * Return: the cap; INFINITY when no weight is infeasible (or the aggregator ignores
 * infeasibility); NAN for NULL.
 */
SCX_API double scx_lb_ledger_max_weight(const struct scx_lb_ledger *ledger);

/**
 * scx_lb_ledger_nr_doms() - the number of domains: the highest recorded domain plus one.
 * @ledger: the ledger.
 * Return: the number; 0 when nothing was recorded or @ledger is NULL.
 */
SCX_API unsigned int scx_lb_ledger_nr_doms(const struct scx_lb_ledger *ledger);

/**
 * scx_lb_ledger_dom_load_sum() - one domain's load with infeasible weights capped.
 * @ledger: the ledger.
 * @dom: the domain.
 * @load: set to the domain's load (0 for a domain without records).
 * Return: 0; -EINVAL for a NULL argument; -ENOENT for @dom at or past scx_lb_ledger_nr_doms().
 */
SCX_API int scx_lb_ledger_dom_load_sum(const struct scx_lb_ledger *ledger, unsigned int dom,
				     double *load);

/**
 * scx_lb_ledger_dcycle_sum() - the total duty cycle: every record's duty cycle, added up.
 * @ledger: the ledger.
 *
 * scx_utils' LoadLedger::global_dcycle_sum().  Since 1.1.
 *
 * Return: the sum; NAN for NULL.
 */
SCX_API double scx_lb_ledger_dcycle_sum(const struct scx_lb_ledger *ledger);

/**
 * scx_lb_ledger_dom_dcycle_sum() - one domain's total duty cycle.
 * @ledger: the ledger.
 * @dom: the domain.
 * @dcycle: set to the sum of the domain's records' duty cycles (0 for a domain without any).
 *
 * scx_utils' LoadLedger::dom_dcycle_sums()[dom].  Since 1.1.
 *
 * Return: 0; -EINVAL for a NULL argument; -ENOENT for @dom at or past scx_lb_ledger_nr_doms().
 */
SCX_API int scx_lb_ledger_dom_dcycle_sum(const struct scx_lb_ledger *ledger, unsigned int dom,
					 double *dcycle);

/**
 * scx_lb_ledger_effective_max_weight() - the weight cap as scx_utils reports it.
 * @ledger: the ledger.
 *
 * scx_utils' LoadLedger::effective_max_weight(): the cap when some weight is infeasible, else
 * 10000 (the largest nice weight, scx_utils' starting value), where scx_lb_ledger_max_weight()
 * gives INFINITY.  Since 1.1.
 *
 * Return: the cap, or 10000.0 when no weight is capped; NAN for NULL.
 */
SCX_API double scx_lb_ledger_effective_max_weight(const struct scx_lb_ledger *ledger);

/**
 * scx_lb_ledger_nr_buckets() - the number of distinct weights recorded (in all domains).
 * @ledger: the ledger.
 * Return: the number; 0 for NULL.
 */
SCX_API size_t scx_lb_ledger_nr_buckets(const struct scx_lb_ledger *ledger);

/**
 * scx_lb_ledger_bucket() - one weight bucket, in increasing weight order.
 * @ledger: the ledger.
 * @idx: the bucket, below scx_lb_ledger_nr_buckets().
 * @weight: if not NULL, set to the bucket's weight.
 * @dcycle: if not NULL, set to the sum of its duty cycles over all domains.
 * @load: if not NULL, set to its load with the cap applied: min(weight, cap) * dcycle.
 * Return: 1 when the weight is infeasible (above the cap), 0 when it is not; -EINVAL for a NULL
 * @ledger; -ENOENT for @idx out of range.
 */
SCX_API int scx_lb_ledger_bucket(const struct scx_lb_ledger *ledger, size_t idx,
				   uint64_t *weight, double *dcycle, double *load);

SCX_END_DECLS

#endif /* SCX_LB_H */
