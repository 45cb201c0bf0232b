// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * The topology handle's core: what every source shares (raw facts, options, the handle's
 * release) and the accessors.  The structure of a topology never changes after it is made, so
 * its accessors do not lock.  The details of a loaded topology are read on first use through
 * its backend: their accessors call topo_details(), which takes a mutex only until the details
 * are there.  Nothing here names a source.  Most accessors are made by macros (CPU_FIELD,
 * GROUP_*); the comment above each list of them names the functions it defines.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <scx/topo.h>

#include "internal.h"
#include "topo_internal.h"

void topo_raw_init(struct topo_raw *r)
{
	int i;

	memset(r, 0, sizeof(*r));
	r->core_key = r->l2_key = r->l3_key = r->pkg_key = r->cluster_key = r->freq_key = -1;
	r->node = r->core_kid = r->pkg_kid = -1;
	r->llc_kid = r->llc_index = r->cluster_kid = -1;
	r->l2_size = r->l3_size = -1;
	r->min_freq = r->max_freq = r->base_freq = r->trans_lat = r->resume_lat = -1;
	r->scaling_min = r->scaling_max = -1;
	for (i = 0; i < TOPO_NR_CACHES; i++)
		r->level_size[i] = -1;
	r->size_sum = -1;
}

int topo_opts_get(const struct scx_topo_opts *opts, struct topo_input *in)
{
	in->vllc_min = SCX_OPTS_GET(opts, vllc_min_cores, 0);
	in->vllc_max = SCX_OPTS_GET(opts, vllc_max_cores, 0);
	in->flatten = SCX_OPTS_GET(opts, flatten_llc, false);
	in->vllc_rule = SCX_OPTS_GET(opts, vllc_rule, SCX_TOPO_VLLC_FEWEST);
	in->flatten_nodes = SCX_OPTS_GET(opts, flatten_nodes, false);
	if ((unsigned int)in->vllc_rule > SCX_TOPO_VLLC_EVEN)
		return -EINVAL;
	if (in->vllc_max && in->vllc_min > in->vllc_max)
		return -EINVAL;
	if (!in->vllc_max && in->vllc_min)
		return -EINVAL;
	return 0;
}

static void groups_free(struct topo_group *g, int n)
{
	int i;

	if (!g)
		return;
	for (i = 0; i < n; i++)
		scx_cpumask_free(g[i].span);
	free(g);
}

/* Release the backend's state, if any, and forget the backend. */
static void backend_release(struct scx_topo *t)
{
	if (t->backend && t->backend->release)
		t->backend->release(t->backend_data);
	t->backend = NULL;
	t->backend_data = NULL;
}

void scx_topo_free(struct scx_topo *t)
{
	size_t i;

	if (!t)
		return;
	scx_cpumask_free(t->possible);
	scx_cpumask_free(t->online);
	for (i = 0; i < ARRAY_SIZE(t->primary); i++)
		scx_cpumask_free(t->primary[i]);
	groups_free(t->cores, t->nr_cores);
	groups_free(t->llcs, t->nr_llcs);
	groups_free(t->nodes, t->nr_nodes);
	groups_free(t->pkgs, t->nr_pkgs);
	free(t->distance);
	free(t->cpus);
	backend_release(t);
	pthread_mutex_destroy(&t->details_lock);
	free(t);
}

void topo_details(const struct scx_topo *ct, enum topo_part part)
{
	/* the handle is the caller's, allocated by the library: only the details change */
	struct scx_topo *t = (struct scx_topo *)ct;
	int ready;

	if (__atomic_load_n(&t->details_ready, __ATOMIC_ACQUIRE) & part)
		return;
	pthread_mutex_lock(&t->details_lock);
	ready = __atomic_load_n(&t->details_ready, __ATOMIC_RELAXED);
	if (!(ready & part)) {
		if (t->backend && t->backend->load_part)
			t->backend->load_part(t, part);
		ready |= part;
		__atomic_store_n(&t->details_ready, ready, __ATOMIC_RELEASE);
		/* every part is in the handle now: the source's state has no more use */
		if (ready == TOPO_PARTS)
			backend_release(t);
	}
	pthread_mutex_unlock(&t->details_lock);
}

unsigned long scx_topo_nr_files_read(const struct scx_topo *t)
{
	unsigned long n;
	int ready;

	if (!t)
		return 0;
	ready = __atomic_load_n(&t->details_ready, __ATOMIC_ACQUIRE);
	n = t->nr_files;
	if (ready & TOPO_PART_CAPACITY)
		n += t->nr_part_files[TOPO_PART_SLOT(TOPO_PART_CAPACITY)];
	if (ready & TOPO_PART_OTHER)
		n += t->nr_part_files[TOPO_PART_SLOT(TOPO_PART_OTHER)];
	if (ready & TOPO_PART_CACHES)
		n += t->nr_part_files[TOPO_PART_SLOT(TOPO_PART_CACHES)];
	return n;
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
	if (!t)
		return false;
	topo_details(t, TOPO_PART_CAPACITY);
	return t->hybrid;
}

bool scx_topo_has_little_cores(const struct scx_topo *t)
{
	if (!t)
		return false;
	topo_details(t, TOPO_PART_CAPACITY);
	return t->has_little;
}

const struct scx_cpumask *scx_topo_primary(const struct scx_topo *t, enum scx_topo_power_mode mode)
{
	if (!t || (unsigned int)mode >= TOPO_NR_POWER_MODES)
		return scx_err_ptr(-EINVAL);
	topo_details(t, TOPO_PART_CAPACITY);
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

/*
 * A value of @type that is negative when unknown; @part: the part of the details it is in, or
 * 0.  CPU_FIELD() for ints.
 */
#define CPU_FIELD_T(type, name, field, part)                                            \
	type scx_topo_cpu_##name(const struct scx_topo *t, int cpu)                        \
	{                                                                                  \
		const struct topo_cpu *c;                                                  \
		int err = -EINVAL;                                                         \
                                                                                           \
		c = cpu_of(t, cpu, &err);                                                  \
		if (!c)                                                                    \
			return scx_errno(err);                                             \
		if (part)                                                                  \
			topo_details(t, part);                                             \
		return c->field >= 0 ? c->field : scx_errno(-ENOENT);                      \
	}
#define CPU_FIELD(name, field, part) CPU_FIELD_T(int, name, field, part)

/*
 * The per-CPU accessors made by CPU_FIELD() (named here so that a search for one finds it):
 * scx_topo_cpu_core, scx_topo_cpu_llc, scx_topo_cpu_node, scx_topo_cpu_package,
 * scx_topo_cpu_cluster, scx_topo_cpu_cluster_id, scx_topo_cpu_l2, scx_topo_cpu_l3, scx_topo_cpu_min_freq,
 * scx_topo_cpu_max_freq, scx_topo_cpu_base_freq, scx_topo_cpu_scaling_min_freq,
 * scx_topo_cpu_scaling_max_freq, scx_topo_cpu_capacity,
 * scx_topo_cpu_core_type, scx_topo_cpu_resume_latency, scx_topo_cpu_trans_latency; and by
 * CPU_FIELD_T(): scx_topo_cpu_cache_size, scx_topo_cpu_cache_size_sum.
 */
CPU_FIELD(core, core, 0)
CPU_FIELD(llc, llc, 0)
CPU_FIELD(node, node, 0)
CPU_FIELD(package, pkg, 0)
CPU_FIELD(cluster, cluster, TOPO_PART_OTHER)
CPU_FIELD(cluster_id, cluster_kid, TOPO_PART_OTHER)
CPU_FIELD(l2, l2, TOPO_PART_OTHER)
CPU_FIELD(l3, l3, 0)
CPU_FIELD(min_freq, min_freq, TOPO_PART_OTHER)
CPU_FIELD(max_freq, max_freq, TOPO_PART_CAPACITY)
CPU_FIELD(base_freq, base_freq, TOPO_PART_OTHER)
CPU_FIELD(scaling_min_freq, scaling_min, TOPO_PART_OTHER)
CPU_FIELD(scaling_max_freq, scaling_max, TOPO_PART_OTHER)
CPU_FIELD(capacity, capacity, TOPO_PART_CAPACITY)
CPU_FIELD(core_type, type, TOPO_PART_CAPACITY)
CPU_FIELD(resume_latency, resume_lat, TOPO_PART_OTHER)
CPU_FIELD(trans_latency, trans_lat, TOPO_PART_OTHER)
CPU_FIELD_T(int64_t, cache_size, cache_share, 0)
CPU_FIELD_T(int64_t, cache_size_sum, size_sum, TOPO_PART_CACHES)

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

int64_t scx_topo_cpu_cache_level_size(const struct scx_topo *t, int cpu,
				      enum scx_topo_cache cache)
{
	const struct topo_cpu *c;
	int err = -EINVAL;

	if ((unsigned int)cache >= TOPO_NR_CACHES)
		return scx_errno(-EINVAL);
	c = cpu_of(t, cpu, &err);
	if (!c)
		return scx_errno(err);
	topo_details(t, TOPO_PART_CACHES);
	return c->level_size[cache] >= 0 ? c->level_size[cache] : scx_errno(-ENOENT);
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

#define GROUP_INT(fn, arr, nr, field, part)                                             \
	int fn(const struct scx_topo *t, int i)                                            \
	{                                                                                  \
		const struct topo_group *g = t ? group_of(t->arr, t->nr, i) : NULL;        \
                                                                                           \
		if (!g)                                                                    \
			return scx_errno(-EINVAL);                                         \
		if (part)                                                                  \
			topo_details(t, part);                                             \
		return g->field;                                                           \
	}
#define GROUP_SPAN(fn, arr, nr)                                                            \
	const struct scx_cpumask *fn(const struct scx_topo *t, int i)                      \
	{                                                                                  \
		const struct topo_group *g = t ? group_of(t->arr, t->nr, i) : NULL;        \
                                                                                           \
		return g ? g->span : scx_err_ptr(-EINVAL);                                 \
	}

/* Kernel ids: -1 (unknown) becomes -ENOENT. */
#define GROUP_KID(fn, arr, nr, part)                                                    \
	int fn(const struct scx_topo *t, int i)                                            \
	{                                                                                  \
		const struct topo_group *g = t ? group_of(t->arr, t->nr, i) : NULL;        \
                                                                                           \
		if (!g)                                                                    \
			return scx_errno(-EINVAL);                                         \
		if (part)                                                                  \
			topo_details(t, part);                                             \
		return g->kid >= 0 ? g->kid : scx_errno(-ENOENT);                          \
	}

/*
 * The group accessors made by GROUP_KID(), GROUP_SPAN() and GROUP_INT(): scx_topo_core_id,
 * scx_topo_core_span, scx_topo_core_type, scx_topo_core_llc, scx_topo_core_node,
 * scx_topo_core_package, scx_topo_llc_id, scx_topo_llc_span, scx_topo_llc_node, scx_topo_llc_nr_cores,
 * scx_topo_node_id, scx_topo_node_span, scx_topo_package_id, scx_topo_package_span.
 */
GROUP_KID(scx_topo_core_id, cores, nr_cores, TOPO_PART_OTHER)
GROUP_SPAN(scx_topo_core_span, cores, nr_cores)
GROUP_INT(scx_topo_core_type, cores, nr_cores, type, TOPO_PART_CAPACITY)
GROUP_INT(scx_topo_core_llc, cores, nr_cores, parent_llc, 0)
GROUP_INT(scx_topo_core_node, cores, nr_cores, parent_node, 0)
GROUP_INT(scx_topo_core_package, cores, nr_cores, parent_pkg, 0)
GROUP_KID(scx_topo_llc_id, llcs, nr_llcs, TOPO_PART_OTHER)
GROUP_SPAN(scx_topo_llc_span, llcs, nr_llcs)
GROUP_INT(scx_topo_llc_node, llcs, nr_llcs, parent_node, 0)
GROUP_INT(scx_topo_llc_nr_cores, llcs, nr_llcs, nr_cores, 0)
GROUP_INT(scx_topo_node_id, nodes, nr_nodes, kid, 0)
GROUP_SPAN(scx_topo_node_span, nodes, nr_nodes)
GROUP_KID(scx_topo_package_id, pkgs, nr_pkgs, 0)
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
