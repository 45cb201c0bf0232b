// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * From per-CPU facts (keys, sizes, frequencies, capacity sources) to a struct scx_topo: dense
 * indices, spans, virtual LLCs, capacity, core types and primary masks.  Shared by the sysfs
 * loader and the synthetic builder, so both follow one set of rules.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "topo_internal.h"

/* A little core is at most 1/1.3 as capable as the best one: v * 13 < best * 10. */
#define LITTLE_NUM 13
#define LITTLE_DEN 10

/*
 * Number the distinct keys of the online CPUs densely in order of their lowest CPU.  @keys[cpu]
 * is a key below @key_space or -1 (no group); @out[cpu] receives the index or -1.  @map holds
 * @key_space ints of scratch.
 */
static int densify_into(const struct topo_input *in, const int *keys, int key_space, int *out,
			int *map)
{
	int cpu, n = 0;

	for (cpu = 0; cpu < key_space; cpu++)
		map[cpu] = -1;
	for (cpu = 0; cpu < in->nr_cpu_ids; cpu++) {
		int k = keys[cpu];

		out[cpu] = -1;
		if (!in->raw[cpu].online || k < 0)
			continue;
		if (map[k] < 0)
			map[k] = n++;
		out[cpu] = map[k];
	}
	return n;
}

static int densify(const struct topo_input *in, const int *keys, int key_space, int *out)
{
	int *map = malloc(sizeof(*map) * (size_t)key_space);
	int n;

	if (!map)
		return -ENOMEM;
	n = densify_into(in, keys, key_space, out, map);
	free(map);
	return n;
}

static struct topo_group *groups_new(int n, int width)
{
	struct topo_group *g = calloc((size_t)(n ? n : 1), sizeof(*g));
	int i;

	if (!g)
		return NULL;
	for (i = 0; i < n; i++) {
		g[i].kid = g[i].parent_llc = g[i].parent_node = g[i].parent_pkg = -1;
		g[i].cache_size = -1;
		g[i].first = -1;
		g[i].span = scx_cpumask_new((unsigned int)width);
		if (!g[i].span) {
			while (i--)
				scx_cpumask_free(g[i].span);
			free(g);
			return NULL;
		}
	}
	return g;
}

/*
 * Add @cpu to @g.  Spans are filled in increasing CPU order, so the first CPU and the weight are
 * kept as they come instead of being searched for in masks of nr_cpu_ids bits (a machine with
 * 4096 cores would scan 4096 masks of 8192 bits for each).
 */
static void group_add(struct topo_group *g, int cpu)
{
	scx_cpumask_set(g->span, (unsigned int)cpu);
	if (g->first < 0 || cpu < g->first)
		g->first = cpu;
	g->weight++;
}

/* The LLC key of each online CPU before virtual splitting: L3, else L2, else package. */
static void physical_llc_keys(const struct topo_input *in, int *keys, bool flatten)
{
	int n = in->nr_cpu_ids, cpu;

	for (cpu = 0; cpu < n; cpu++) {
		const struct topo_raw *r = &in->raw[cpu];

		if (!r->online)
			keys[cpu] = -1;
		else if (!flatten && r->l3_key >= 0)
			keys[cpu] = r->l3_key;
		else if (!flatten && r->l2_key >= 0)
			keys[cpu] = n + r->l2_key;
		else
			keys[cpu] = 2 * n + (r->pkg_key >= 0 ? r->pkg_key : n);
	}
}

/*
 * scx_utils' part size for @nr cores: the smallest size in [@min, @max] dividing @nr evenly,
 * else the one leaving the smallest remainder (the smaller on a tie); @nr itself when it is at
 * most @min.  Sizes above @nr never win, so the search stops there.
 */
static unsigned int even_part_size(unsigned int nr, unsigned int min, unsigned int max)
{
	unsigned int s, best = min;

	if (nr <= min)
		return nr;
	for (s = min; s <= max && s <= nr; s++) {
		if (nr % s == 0)
			return s;
		if (nr % s < nr % best)
			best = s;
	}
	return best;
}

/* How many parts a run of @nr cores becomes under the rule of @in (@nr >= 1). */
static int nr_parts(const struct topo_input *in, int nr)
{
	int k, min = in->vllc_min ? (int)in->vllc_min : 1;

	if (!in->vllc_max)
		return 1;
	if (in->vllc_rule == SCX_TOPO_VLLC_EVEN)
		return nr / (int)even_part_size((unsigned int)nr, (unsigned int)min, in->vllc_max);
	if ((unsigned int)nr <= in->vllc_max)
		return 1;
	k = (nr + (int)in->vllc_max - 1) / (int)in->vllc_max;
	while (k > 1 && nr / k < min)
		k--;
	return k;
}

/* The part (0 .. @k - 1) of the @i-th of @nr cores cut into @k parts under the rule of @in. */
static int part_of(const struct topo_input *in, int i, int nr, int k)
{
	int size;

	if (in->vllc_rule != SCX_TOPO_VLLC_EVEN)
		return (int)((long)i * k / nr);	/* near-equal runs */
	size = nr / k;
	return i / size < k ? i / size : k - 1;	/* the remainder goes to the last part */
}

/*
 * Cut the LLCs into virtual LLCs (enum scx_topo_vllc_rule).  With @by_type the little cores of
 * an LLC that is cut (under scx_utils' rule, of every LLC) are a run of their own ("bucket" 2l + 1), apart from its big and turbo
 * cores (bucket 2l), so no virtual LLC mixes the two.  Cores keep their index order, so a part
 * is a run of its bucket's cores.  @key_of_core receives, for each core, the lowest CPU of the
 * first core of its part.
 */
static int split_llcs(const struct topo_input *in, const struct scx_topo *t,
		      const int *llc_of_core, int nr_llcs, bool by_type, int *key_of_core)
{
	int nr_b = 2 * nr_llcs, c, b, l, err = 0;
	int *llc_count = calloc((size_t)nr_llcs, sizeof(int));
	int *count = calloc((size_t)nr_b, sizeof(int));
	int *seen = calloc((size_t)nr_b, sizeof(int));
	int *parts = calloc((size_t)nr_b, sizeof(int));
	int *offset = calloc((size_t)nr_b + 1, sizeof(int));
	int *bucket = malloc(sizeof(int) * (size_t)(t->nr_cores + 1));
	int *first = NULL;

	if (!llc_count || !count || !seen || !parts || !offset || !bucket) {
		err = -ENOMEM;
		goto out;
	}
	for (c = 0; c < t->nr_cores; c++)
		llc_count[llc_of_core[c]]++;
	for (c = 0; c < t->nr_cores; c++) {
		l = llc_of_core[c];
		bucket[c] = 2 * l;
		/* an LLC left whole (libscx's rule, small enough) keeps its core types together */
		if (by_type && t->cores[c].type == SCX_TOPO_CORE_LITTLE &&
		    (in->vllc_rule == SCX_TOPO_VLLC_EVEN || nr_parts(in, llc_count[l]) > 1))
			bucket[c]++;
		count[bucket[c]]++;
	}
	for (b = 0; b < nr_b; b++) {
		parts[b] = count[b] ? nr_parts(in, count[b]) : 0;
		offset[b + 1] = offset[b] + parts[b];
	}
	first = malloc(sizeof(int) * (size_t)(offset[nr_b] + 1));
	if (!first) {
		err = -ENOMEM;
		goto out;
	}
	for (b = 0; b < offset[nr_b]; b++)
		first[b] = -1;
	for (c = 0; c < t->nr_cores; c++) {
		int slot;

		b = bucket[c];
		slot = offset[b] + part_of(in, seen[b]++, count[b], parts[b]);
		if (first[slot] < 0)
			first[slot] = t->cores[c].first;
		key_of_core[c] = first[slot];
	}
out:
	free(llc_count);
	free(count);
	free(seen);
	free(parts);
	free(offset);
	free(bucket);
	free(first);
	return err;
}

static int derive_llcs(const struct topo_input *in, struct scx_topo *t, bool by_type, int *tmp,
		       int *idx)
{
	int n = in->nr_cpu_ids, cpu, c, nr, err;
	int *llc_of_core = NULL, *key_of_core = NULL;
	int *phys = NULL, *phys_w = NULL;

	physical_llc_keys(in, tmp, false);
	phys = malloc(sizeof(*phys) * (size_t)n);
	if (!phys)
		return -ENOMEM;
	/* the physical LLC's weight gives each CPU its share of the cache */
	nr = densify(in, tmp, 3 * n + 1, phys);
	if (nr < 0) {
		err = nr;
		goto out;
	}
	phys_w = calloc((size_t)(nr ? nr : 1), sizeof(*phys_w));
	if (!phys_w) {
		err = -ENOMEM;
		goto out;
	}
	for (cpu = 0; cpu < n; cpu++)
		if (phys[cpu] >= 0)
			phys_w[phys[cpu]]++;
	for (cpu = 0; cpu < n; cpu++) {
		const struct topo_raw *r = &in->raw[cpu];
		int64_t size = r->l3_key >= 0 ? r->l3_size : (r->l2_key >= 0 ? r->l2_size : -1);

		if (phys[cpu] < 0 || size < 0)
			continue;
		t->cpus[cpu].cache_share = size / phys_w[phys[cpu]];
	}

	t->flat_llc = in->flatten;
	physical_llc_keys(in, tmp, in->flatten);
	nr = densify(in, tmp, 3 * n + 1, idx);
	if (nr < 0) {
		err = nr;
		goto out;
	}
	llc_of_core = malloc(sizeof(*llc_of_core) * (size_t)(t->nr_cores + 1));
	key_of_core = malloc(sizeof(*key_of_core) * (size_t)(t->nr_cores + 1));
	if (!llc_of_core || !key_of_core) {
		err = -ENOMEM;
		goto out;
	}
	for (c = 0; c < t->nr_cores; c++)
		llc_of_core[c] = idx[t->cores[c].first];
	err = split_llcs(in, t, llc_of_core, nr, by_type, key_of_core);
	if (err)
		goto out;
	for (cpu = 0; cpu < n; cpu++)
		tmp[cpu] = -1;
	for (cpu = 0; cpu < n; cpu++)
		if (t->cpus[cpu].core >= 0)
			tmp[cpu] = key_of_core[t->cpus[cpu].core];
	nr = densify(in, tmp, n, idx);
	if (nr < 0) {
		err = nr;
		goto out;
	}
	t->nr_llcs = nr;
	t->llcs = groups_new(nr, n);
	if (!t->llcs) {
		err = -ENOMEM;
		goto out;
	}
	for (cpu = 0; cpu < n; cpu++) {
		struct topo_group *g;

		t->cpus[cpu].llc = idx[cpu];
		if (idx[cpu] < 0)
			continue;
		g = &t->llcs[idx[cpu]];
		if (g->first < 0) {
			const struct topo_raw *r = &in->raw[cpu];

			if (!in->flatten)
				g->cache_size = r->l3_key >= 0 ? r->l3_size
					      : (r->l2_key >= 0 ? r->l2_size : -1);
		}
		group_add(g, cpu);
	}
	for (c = 0; c < t->nr_cores; c++) {
		int l = t->cpus[t->cores[c].first].llc;

		t->cores[c].parent_llc = l;
		t->llcs[l].nr_cores++;
	}
	err = 0;
out:
	free(llc_of_core);
	free(key_of_core);
	free(phys);
	free(phys_w);
	return err;
}

/* A source whose value is known for every online CPU and not the same for all, or -1. */
static int pick_source(const struct topo_input *in, const int *candidates, int nr)
{
	int i, cpu;

	for (i = 0; i < nr; i++) {
		int s = candidates[i];
		uint64_t first = 0;
		bool all = true, differs = false;

		for (cpu = 0; cpu < in->nr_cpu_ids && all; cpu++) {
			uint64_t v;

			if (!in->raw[cpu].online)
				continue;
			v = in->raw[cpu].src[s];
			if (!v)
				all = false;
			else if (!first)
				first = v;
			else if (v != first)
				differs = true;
		}
		if (all && differs)
			return s;
	}
	return -1;
}

/* The best value of sources @cap and @perf (-1: none) among each core's CPUs, in one pass. */
static void core_values(const struct topo_input *in, struct scx_topo *t, int cap, int perf)
{
	int cpu, c;

	for (c = 0; c < t->nr_cores; c++)
		t->cores[c].cap_value = t->cores[c].perf_value = 0;
	for (cpu = 0; cpu < in->nr_cpu_ids; cpu++) {
		struct topo_group *g;

		if (t->cpus[cpu].core < 0)
			continue;
		g = &t->cores[t->cpus[cpu].core];
		if (cap >= 0 && in->raw[cpu].src[cap] > g->cap_value)
			g->cap_value = in->raw[cpu].src[cap];
		if (perf >= 0 && in->raw[cpu].src[perf] > g->perf_value)
			g->perf_value = in->raw[cpu].src[perf];
	}
}

static void derive_capacity(const struct topo_input *in, struct scx_topo *t)
{
	static const int cap_order[] = { TOPO_SRC_PREFCORE, TOPO_SRC_HIGHEST_PERF,
					 TOPO_SRC_CPU_CAPACITY, TOPO_SRC_MAX_FREQ };
	/* AMD's highest_perf is a preference ranking too, not a performance ratio */
	static const int perf_order_amd[] = { TOPO_SRC_CPU_CAPACITY, TOPO_SRC_MAX_FREQ };
	static const int perf_order[] = { TOPO_SRC_HIGHEST_PERF, TOPO_SRC_CPU_CAPACITY,
					  TOPO_SRC_MAX_FREQ };
	bool amd = false, big_differ = false;
	uint64_t cap_best = 0, perf_best = 0, big_first = 0;
	int cap, perf, cpu, c, first_type = -1;

	for (cpu = 0; cpu < in->nr_cpu_ids; cpu++)
		if (in->raw[cpu].online && in->raw[cpu].src[TOPO_SRC_PREFCORE])
			amd = true;
	cap = pick_source(in, cap_order, ARRAY_SIZE(cap_order));
	perf = amd ? pick_source(in, perf_order_amd, ARRAY_SIZE(perf_order_amd))
		   : pick_source(in, perf_order, ARRAY_SIZE(perf_order));
	for (cpu = 0; cpu < in->nr_cpu_ids; cpu++) {
		if (!in->raw[cpu].online)
			continue;
		if (cap >= 0 && in->raw[cpu].src[cap] > cap_best)
			cap_best = in->raw[cpu].src[cap];
		if (perf >= 0 && in->raw[cpu].src[perf] > perf_best)
			perf_best = in->raw[cpu].src[perf];
	}
	for (cpu = 0; cpu < in->nr_cpu_ids; cpu++) {
		uint64_t v;

		if (!in->raw[cpu].online)
			continue;
		if (cap < 0) {
			t->cpus[cpu].capacity = 1024;
			continue;
		}
		v = in->raw[cpu].src[cap] * 1024 / cap_best;
		t->cpus[cpu].capacity = v ? (int)v : 1;
	}
	core_values(in, t, cap, perf);
	/* little: below best / 1.3 by the performance source */
	for (c = 0; c < t->nr_cores; c++) {
		uint64_t v = t->cores[c].perf_value;

		if (perf >= 0 && v * LITTLE_NUM < perf_best * LITTLE_DEN) {
			t->cores[c].type = SCX_TOPO_CORE_LITTLE;
			t->has_little = true;
			continue;
		}
		t->cores[c].type = SCX_TOPO_CORE_BIG;
		v = t->cores[c].cap_value;
		if (!big_first)
			big_first = v;
		else if (v != big_first)
			big_differ = true;
	}
	/* turbo: the top tier of big cores, when big cores are not all alike */
	for (c = 0; c < t->nr_cores; c++) {
		if (big_differ && t->cores[c].type == SCX_TOPO_CORE_BIG &&
		    t->cores[c].cap_value == cap_best)
			t->cores[c].type = SCX_TOPO_CORE_TURBO;
		if (first_type < 0)
			first_type = t->cores[c].type;
		else if (first_type != t->cores[c].type)
			t->hybrid = true;
	}
	for (cpu = 0; cpu < in->nr_cpu_ids; cpu++)
		if (t->cpus[cpu].core >= 0)
			t->cpus[cpu].type = t->cores[t->cpus[cpu].core].type;
}

/* Fill the primary masks (allocated, empty) from the core types. */
static void derive_primary(struct scx_topo *t)
{
	int cpu;

	scx_cpumask_assign(t->primary[SCX_TOPO_POWER_ANY], t->online);
	for (cpu = 0; cpu < t->nr_cpu_ids; cpu++) {
		if (t->cpus[cpu].core < 0)
			continue;
		switch (t->cores[t->cpus[cpu].core].type) {
		case SCX_TOPO_CORE_LITTLE:
			scx_cpumask_set(t->primary[SCX_TOPO_POWER_POWERSAVE], (unsigned int)cpu);
			break;
		case SCX_TOPO_CORE_TURBO:
			scx_cpumask_set(t->primary[SCX_TOPO_POWER_TURBO], (unsigned int)cpu);
			/* fallthrough */
		default:
			scx_cpumask_set(t->primary[SCX_TOPO_POWER_PERFORMANCE], (unsigned int)cpu);
			break;
		}
	}
	if (scx_cpumask_empty(t->primary[SCX_TOPO_POWER_PERFORMANCE]))
		scx_cpumask_assign(t->primary[SCX_TOPO_POWER_PERFORMANCE], t->online);
	if (scx_cpumask_empty(t->primary[SCX_TOPO_POWER_TURBO]))
		scx_cpumask_assign(t->primary[SCX_TOPO_POWER_TURBO],
				   t->primary[SCX_TOPO_POWER_PERFORMANCE]);
	if (scx_cpumask_empty(t->primary[SCX_TOPO_POWER_POWERSAVE]))
		scx_cpumask_assign(t->primary[SCX_TOPO_POWER_POWERSAVE], t->online);
}

/* flatten_nodes: one node 0 of every CPU, as without NUMA (scx_utils' flattened topology). */
static int derive_flat_node(const struct topo_input *in, struct scx_topo *t)
{
	int cpu;

	t->nr_nodes = 1;
	t->nodes = groups_new(1, in->nr_cpu_ids);
	t->distance = malloc(sizeof(int));
	if (!t->nodes || !t->distance)
		return -ENOMEM;
	t->nodes[0].kid = 0;
	t->distance[0] = 10;
	for (cpu = 0; cpu < in->nr_cpu_ids; cpu++) {
		t->cpus[cpu].node = in->raw[cpu].possible ? 0 : -1;
		if (in->raw[cpu].online)
			group_add(&t->nodes[0], cpu);
	}
	return 0;
}

static int derive_nodes(const struct topo_input *in, struct scx_topo *t)
{
	int n = in->nr_cpu_ids, cpu, i;

	if (in->flatten_nodes)
		return derive_flat_node(in, t);
	t->nr_nodes = in->nr_nodes > 0 ? in->nr_nodes : 1;
	t->nodes = groups_new(t->nr_nodes, n);
	t->distance = malloc(sizeof(int) * (size_t)t->nr_nodes * (size_t)t->nr_nodes);
	if (!t->nodes || !t->distance)
		return -ENOMEM;
	for (i = 0; i < t->nr_nodes; i++)
		t->nodes[i].kid = in->nr_nodes > 0 ? in->node_ids[i] : 0;
	for (i = 0; i < t->nr_nodes * t->nr_nodes; i++)
		t->distance[i] = in->distance ? in->distance[i] : -1;
	if (!in->distance && t->nr_nodes == 1)
		t->distance[0] = 10;
	for (cpu = 0; cpu < n; cpu++) {
		int node = in->raw[cpu].node;

		if (node >= t->nr_nodes)
			node = -1;
		if (in->raw[cpu].online && node < 0)
			node = 0;
		t->cpus[cpu].node = node;
		if (in->raw[cpu].online)
			group_add(&t->nodes[node], cpu);
	}
	return 0;
}

/*
 * A part of the details (enum topo_part).  No allocation: @scratch holds 3n ints.
 */
void topo_derive_part(const struct topo_input *in, struct scx_topo *t, enum topo_part part,
		      int *scratch)
{
	int n = in->nr_cpu_ids, cpu, c;
	int *keys = scratch, *idx = scratch + n, *map = scratch + 2 * n;

	if (part == TOPO_PART_CAPACITY) {
		for (cpu = 0; cpu < n; cpu++)
			t->cpus[cpu].max_freq = in->raw[cpu].max_freq;
		derive_capacity(in, t);
		derive_primary(t);
		return;
	}
	if (part == TOPO_PART_CACHES) {
		for (cpu = 0; cpu < n; cpu++) {
			if (!in->raw[cpu].online)
				continue;
			memcpy(t->cpus[cpu].level_size, in->raw[cpu].level_size,
			       sizeof(t->cpus[cpu].level_size));
			t->cpus[cpu].size_sum = in->raw[cpu].size_sum;
		}
		return;
	}
	for (c = 0; c < t->nr_cores; c++)
		t->cores[c].kid = in->raw[t->cores[c].first].core_kid;
	/* a virtual LLC has its physical cache's id; a package taken as the LLC has none */
	for (c = 0; c < t->nr_llcs; c++)
		t->llcs[c].kid = t->flat_llc ? -1 : in->raw[t->llcs[c].first].llc_kid;
	for (cpu = 0; cpu < n; cpu++) {
		const struct topo_raw *r = &in->raw[cpu];
		struct topo_cpu *tc = &t->cpus[cpu];

		tc->min_freq = r->min_freq;
		tc->base_freq = r->base_freq;
		tc->cluster_kid = r->cluster_kid;
		tc->scaling_min = r->scaling_min;
		tc->scaling_max = r->scaling_max;
		tc->trans_lat = r->trans_lat;
		tc->resume_lat = r->resume_lat;
	}
	/* clusters and L2s: indices only */
	for (cpu = 0; cpu < n; cpu++)
		keys[cpu] = in->raw[cpu].cluster_key;
	t->nr_clusters = densify_into(in, keys, n, idx, map);
	for (cpu = 0; cpu < n; cpu++)
		t->cpus[cpu].cluster = idx[cpu];
	for (cpu = 0; cpu < n; cpu++)
		keys[cpu] = in->raw[cpu].l2_key;
	densify_into(in, keys, n, idx, map);
	for (cpu = 0; cpu < n; cpu++)
		t->cpus[cpu].l2 = idx[cpu];
}

struct scx_topo *topo_derive(const struct topo_input *in, bool details)
{
	int n = in->nr_cpu_ids, cpu, c, m, nr, err = -ENOMEM;
	int *keys = NULL, *idx = NULL;
	struct scx_topo *t;

	t = calloc(1, sizeof(*t));
	if (!t)
		return scx_err_ptr(-ENOMEM);
	if (pthread_mutex_init(&t->details_lock, NULL)) {
		free(t);
		return scx_err_ptr(-ENOMEM);
	}
	t->nr_cpu_ids = n;
	t->cpus = calloc((size_t)n, sizeof(*t->cpus));
	t->possible = scx_cpumask_new((unsigned int)n);
	t->online = scx_cpumask_new((unsigned int)n);
	for (m = 0; m < TOPO_NR_POWER_MODES; m++) {
		t->primary[m] = scx_cpumask_new((unsigned int)n);
		if (!t->primary[m])
			goto fail;
	}
	keys = malloc(sizeof(*keys) * (TOPO_SCRATCH_PER_CPU * (size_t)n + 1));
	idx = malloc(sizeof(*idx) * (size_t)n);
	if (!t->cpus || !t->possible || !t->online || !keys || !idx)
		goto fail;
	for (cpu = 0; cpu < n; cpu++) {
		const struct topo_raw *r = &in->raw[cpu];
		struct topo_cpu *tc = &t->cpus[cpu];

		tc->core = tc->llc = tc->node = tc->pkg = tc->cluster = tc->l2 = tc->l3 = -1;
		tc->cluster_kid = -1;
		tc->cache_share = -1;
		tc->min_freq = tc->max_freq = tc->base_freq = tc->trans_lat = tc->resume_lat = -1;
		tc->scaling_min = tc->scaling_max = -1;
		for (m = 0; m < TOPO_NR_CACHES; m++)
			tc->level_size[m] = -1;
		tc->size_sum = -1;
		tc->type = tc->capacity = -1;
		if (r->possible)
			scx_cpumask_set(t->possible, (unsigned int)cpu);
		if (r->online)
			scx_cpumask_set(t->online, (unsigned int)cpu);
	}

	/* cores: a CPU without a core key is a core of its own */
	for (cpu = 0; cpu < n; cpu++)
		keys[cpu] = in->raw[cpu].core_key >= 0 ? in->raw[cpu].core_key : cpu;
	nr = densify(in, keys, n, idx);
	if (nr < 0)
		goto fail_err;
	t->nr_cores = nr;
	t->cores = groups_new(nr, n);
	if (!t->cores)
		goto fail;
	for (cpu = 0; cpu < n; cpu++) {
		t->cpus[cpu].core = idx[cpu];
		if (idx[cpu] >= 0)
			group_add(&t->cores[idx[cpu]], cpu);
	}

	/* packages: CPUs of unknown package share one */
	for (cpu = 0; cpu < n; cpu++)
		keys[cpu] = in->raw[cpu].pkg_key >= 0 ? in->raw[cpu].pkg_key : n;
	nr = densify(in, keys, n + 1, idx);
	if (nr < 0)
		goto fail_err;
	t->nr_pkgs = nr;
	t->pkgs = groups_new(nr, n);
	if (!t->pkgs)
		goto fail;
	for (cpu = 0; cpu < n; cpu++) {
		t->cpus[cpu].pkg = idx[cpu];
		if (idx[cpu] < 0)
			continue;
		if (t->pkgs[idx[cpu]].first < 0)
			t->pkgs[idx[cpu]].kid = in->raw[cpu].pkg_kid;
		group_add(&t->pkgs[idx[cpu]], cpu);
	}

	/* L3s: indices only */
	for (cpu = 0; cpu < n; cpu++)
		keys[cpu] = in->raw[cpu].l3_key;
	nr = densify(in, keys, n, idx);
	if (nr < 0)
		goto fail_err;
	for (cpu = 0; cpu < n; cpu++)
		t->cpus[cpu].l3 = idx[cpu];

	err = derive_nodes(in, t);
	if (err)
		goto fail_err;
	/* virtual LLCs keep core types apart: the capacity part comes first when it is known */
	if (details || in->capacity_known) {
		topo_derive_part(in, t, TOPO_PART_CAPACITY, keys);
		t->details_ready |= TOPO_PART_CAPACITY;
	}
	err = derive_llcs(in, t, in->vllc_max && (details || in->capacity_known), keys, idx);
	if (err)
		goto fail_err;

	for (c = 0; c < t->nr_cores; c++) {
		struct topo_group *g = &t->cores[c];

		g->parent_node = t->cpus[g->first].node;
		g->parent_pkg = t->cpus[g->first].pkg;
		if (g->weight > 1)
			t->smt = true;
	}
	for (cpu = 0; cpu < n; cpu++)
		if (t->cpus[cpu].core >= 0)
			t->cpus[cpu].smt_level = t->cores[t->cpus[cpu].core].weight;
	for (c = 0; c < t->nr_llcs; c++)
		t->llcs[c].parent_node = t->cpus[t->llcs[c].first].node;
	if (details) {
		/* keys holds TOPO_SCRATCH_PER_CPU * n + 1 ints: enough scratch for the details */
		topo_derive_part(in, t, TOPO_PART_OTHER, keys);
		topo_derive_part(in, t, TOPO_PART_CACHES, keys);
		t->details_ready = TOPO_PARTS;
	}
	free(keys);
	free(idx);
	return t;
fail:
	err = -ENOMEM;
fail_err:
	free(keys);
	free(idx);
	scx_topo_free(t);
	return scx_err_ptr(err);
}
