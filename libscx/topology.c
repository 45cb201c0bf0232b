// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Topology accessors.  A topology never changes after it is made, so none of these lock.
 */
#include "config.h"

#include <scx/topology.h>

#include "internal.h"
#include "topology_internal.h"

unsigned long scx_topo_nr_files_read(const struct scx_topo *t)
{
	return t ? t->nr_files : 0;
}

int scx_topo_nr_cpu_ids(const struct scx_topo *t)
{
	return t ? t->nr_cpu_ids : scx_errno(-EINVAL);
}

const struct scx_cpumask *scx_topo_possible(const struct scx_topo *t)
{
	return t ? t->possible : scx_err_ptr(-EINVAL);
}

const struct scx_cpumask *scx_topo_online(const struct scx_topo *t)
{
	return t ? t->online : scx_err_ptr(-EINVAL);
}

int scx_topo_nr_cores(const struct scx_topo *t)
{
	return t ? t->nr_cores : scx_errno(-EINVAL);
}

int scx_topo_nr_llcs(const struct scx_topo *t)
{
	return t ? t->nr_llcs : scx_errno(-EINVAL);
}

int scx_topo_nr_nodes(const struct scx_topo *t)
{
	return t ? t->nr_nodes : scx_errno(-EINVAL);
}

int scx_topo_nr_packages(const struct scx_topo *t)
{
	return t ? t->nr_pkgs : scx_errno(-EINVAL);
}

bool scx_topo_smt_enabled(const struct scx_topo *t)
{
	return t && t->smt;
}

bool scx_topo_hybrid(const struct scx_topo *t)
{
	return t && t->hybrid;
}

const struct scx_cpumask *scx_topo_primary(const struct scx_topo *t, enum scx_topo_power_mode mode)
{
	if (!t || (unsigned int)mode > SCX_TOPO_POWER_TURBO)
		return scx_err_ptr(-EINVAL);
	return t->primary[mode];
}

/* ---- per CPU ---- */

static const struct topo_cpu *cpu_of(const struct scx_topo *t, int cpu, int *err)
{
	if (!t || cpu < 0 || cpu >= t->nr_cpu_ids) {
		*err = -EINVAL;
		return NULL;
	}
	if (!scx_cpumask_test(t->possible, (unsigned int)cpu)) {
		*err = -ENOENT;
		return NULL;
	}
	return &t->cpus[cpu];
}

/* A value that is negative when unknown. */
#define CPU_FIELD(name, field)                                                             \
	int scx_topo_cpu_##name(const struct scx_topo *t, int cpu)                         \
	{                                                                                  \
		const struct topo_cpu *c;                                                  \
		int err = -EINVAL;                                                         \
                                                                                           \
		c = cpu_of(t, cpu, &err);                                                  \
		if (!c)                                                                    \
			return scx_errno(err);                                             \
		return c->field >= 0 ? c->field : scx_errno(-ENOENT);                      \
	}

CPU_FIELD(core, core)
CPU_FIELD(llc, llc)
CPU_FIELD(node, node)
CPU_FIELD(package, pkg)
CPU_FIELD(cluster, cluster)
CPU_FIELD(l2, l2)
CPU_FIELD(l3, l3)
CPU_FIELD(min_freq, min_freq)
CPU_FIELD(max_freq, max_freq)
CPU_FIELD(base_freq, base_freq)
CPU_FIELD(capacity, capacity)
CPU_FIELD(core_type, type)
CPU_FIELD(resume_latency, resume_lat)
CPU_FIELD(trans_latency, trans_lat)

bool scx_topo_cpu_online(const struct scx_topo *t, int cpu)
{
	return t && cpu >= 0 && cpu < t->nr_cpu_ids && scx_cpumask_test(t->online, (unsigned int)cpu);
}

int scx_topo_cpu_smt_level(const struct scx_topo *t, int cpu)
{
	const struct topo_cpu *c;
	int err = -EINVAL;

	c = cpu_of(t, cpu, &err);
	if (!c)
		return scx_errno(err);
	return c->smt_level > 0 ? c->smt_level : scx_errno(-ENOENT);
}

int64_t scx_topo_cpu_cache_size(const struct scx_topo *t, int cpu)
{
	const struct topo_cpu *c;
	int err = -EINVAL;

	c = cpu_of(t, cpu, &err);
	if (!c)
		return scx_errno(err);
	return c->cache_share >= 0 ? c->cache_share : scx_errno(-ENOENT);
}

int scx_topo_cpu_sibling(const struct scx_topo *t, int cpu)
{
	const struct scx_cpumask *span;
	const struct topo_cpu *c;
	int err = -EINVAL, next;

	c = cpu_of(t, cpu, &err);
	if (!c)
		return scx_errno(err);
	if (c->core < 0)
		return scx_errno(-ENOENT);
	span = t->cores[c->core].span;
	next = scx_cpumask_next(span, cpu);
	if (next < 0)
		next = scx_cpumask_first(span);
	return next >= 0 && next != cpu ? next : scx_errno(-ENOENT);
}

/* ---- cores, LLCs, nodes, packages ---- */

static const struct topo_group *group_of(const struct topo_group *g, int nr, int i)
{
	return g && i >= 0 && i < nr ? &g[i] : NULL;
}

#define GROUP_INT(fn, arr, nr, field)                                                      \
	int fn(const struct scx_topo *t, int i)                                            \
	{                                                                                  \
		const struct topo_group *g = t ? group_of(t->arr, t->nr, i) : NULL;        \
                                                                                           \
		return g ? g->field : scx_errno(-EINVAL);                                  \
	}
#define GROUP_SPAN(fn, arr, nr)                                                            \
	const struct scx_cpumask *fn(const struct scx_topo *t, int i)                      \
	{                                                                                  \
		const struct topo_group *g = t ? group_of(t->arr, t->nr, i) : NULL;        \
                                                                                           \
		return g ? g->span : scx_err_ptr(-EINVAL);                                 \
	}

/* Kernel ids: -1 (unknown) becomes -ENOENT. */
#define GROUP_KID(fn, arr, nr)                                                             \
	int fn(const struct scx_topo *t, int i)                                            \
	{                                                                                  \
		const struct topo_group *g = t ? group_of(t->arr, t->nr, i) : NULL;        \
                                                                                           \
		if (!g)                                                                    \
			return scx_errno(-EINVAL);                                         \
		return g->kid >= 0 ? g->kid : scx_errno(-ENOENT);                          \
	}

GROUP_KID(scx_topo_core_id, cores, nr_cores)
GROUP_SPAN(scx_topo_core_span, cores, nr_cores)
GROUP_INT(scx_topo_core_type, cores, nr_cores, type)
GROUP_INT(scx_topo_core_llc, cores, nr_cores, parent_llc)
GROUP_INT(scx_topo_core_node, cores, nr_cores, parent_node)
GROUP_INT(scx_topo_core_package, cores, nr_cores, parent_pkg)
GROUP_SPAN(scx_topo_llc_span, llcs, nr_llcs)
GROUP_INT(scx_topo_llc_node, llcs, nr_llcs, parent_node)
GROUP_INT(scx_topo_llc_nr_cores, llcs, nr_llcs, nr_cores)
GROUP_INT(scx_topo_node_id, nodes, nr_nodes, kid)
GROUP_SPAN(scx_topo_node_span, nodes, nr_nodes)
GROUP_KID(scx_topo_package_id, pkgs, nr_pkgs)
GROUP_SPAN(scx_topo_package_span, pkgs, nr_pkgs)

int64_t scx_topo_llc_cache_size(const struct scx_topo *t, int llc)
{
	const struct topo_group *g = t ? group_of(t->llcs, t->nr_llcs, llc) : NULL;

	if (!g)
		return scx_errno(-EINVAL);
	return g->cache_size >= 0 ? g->cache_size : scx_errno(-ENOENT);
}

int scx_topo_node_distance(const struct scx_topo *t, int from, int to)
{
	int d;

	if (!t || from < 0 || to < 0 || from >= t->nr_nodes || to >= t->nr_nodes)
		return scx_errno(-EINVAL);
	d = t->distance[from * t->nr_nodes + to];
	return d >= 0 ? d : scx_errno(-ENOENT);
}
