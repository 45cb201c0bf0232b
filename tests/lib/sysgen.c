// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Generated sysfs CPU topology trees; see sysgen.h.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysgen.h"

#define CPU "sys/devices/system/cpu"
#define L2_SIZE_K 1024
#define L3_SIZE_M 32
/* The kernel's cache and cluster ids of the Nth core and LLC: sparse, unlike libscx's indices. */
#define L2_ID(core) (2 * (core) + 1)
#define L3_ID(llc) (10 + 3 * (llc))
#define CLUSTER_ID(core) (100 + 8 * (core))

static const int freq_of[] = { [SG_LITTLE] = 2800000, [SG_BIG] = 4000000, [SG_TURBO] = 4400000 };
static const int hperf_of[] = { [SG_LITTLE] = 70, [SG_BIG] = 100, [SG_TURBO] = 110 };
static const int capacity_of[] = { [SG_LITTLE] = 650, [SG_BIG] = 930, [SG_TURBO] = 1024 };
static const int prefcore_of[] = { [SG_LITTLE] = 150, [SG_BIG] = 200, [SG_TURBO] = 230 };

struct gen {
	struct fstree *t;
	struct sysgen *sg;
	int nr_cores;		/* all cores */
	int cores_per_pkg;
	int *id_of;		/* logical CPU -> kernel id */
	bool *offline;		/* by logical number */
	char *list;		/* scratch cpulist text */
	size_t list_cap;
	int *ids;		/* scratch id set */
	int nr_ids;
	int err;
};

int sysgen_distance(int i, int j)
{
	return i == j ? 10 : 20 + 3 * i + j;
}

static void put(struct gen *g, const char *content, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void put(struct gen *g, const char *content, const char *fmt, ...)
{
	char path[512];
	va_list ap;
	int err;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	err = fstree_write(g->t, path, "%s\n", content);
	if (err && !g->err)
		g->err = err;
}

/* Write the number @v to @dir/@file. */
static void putn(struct gen *g, long v, const char *dir, const char *file)
{
	char val[32];

	snprintf(val, sizeof(val), "%ld", v);
	put(g, val, "%s/%s", dir, file);
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* The scratch id set as a kernel cpulist. */
static const char *ids_list(struct gen *g)
{
	size_t len = 0;
	int i = 0;

	qsort(g->ids, (size_t)g->nr_ids, sizeof(int), cmp_int);
	g->list[0] = '\0';
	while (i < g->nr_ids) {
		int j = i;

		while (j + 1 < g->nr_ids && g->ids[j + 1] == g->ids[j] + 1)
			j++;
		if (j > i)
			len += (size_t)snprintf(g->list + len, g->list_cap - len, "%s%d-%d",
						len ? "," : "", g->ids[i], g->ids[j]);
		else
			len += (size_t)snprintf(g->list + len, g->list_cap - len, "%s%d",
						len ? "," : "", g->ids[i]);
		i = j + 1;
	}
	return g->list;
}

/* The scratch id set as a kernel hex mask: 32-bit groups, most significant first. */
static const char *ids_hex(struct gen *g)
{
	int nr_words = (g->sg->nr_cpu_ids + 31) / 32, w, i;
	uint32_t *words = calloc((size_t)nr_words, sizeof(*words));
	size_t len = 0;

	if (!words) {
		g->err = -ENOMEM;
		g->list[0] = '\0';
		return g->list;
	}
	for (i = 0; i < g->nr_ids; i++)
		words[g->ids[i] / 32] |= 1u << (g->ids[i] % 32);
	for (w = nr_words - 1; w >= 0; w--)
		len += (size_t)snprintf(g->list + len, g->list_cap - len, "%08x%s", words[w],
					w ? "," : "");
	free(words);
	return g->list;
}

/* A CPU set in both kernel forms. */
struct set {
	char *list, *hex;
};

/* The scratch id set in both forms (strdup'd); false when out of memory. */
static bool set_make(struct gen *g, struct set *s)
{
	s->list = strdup(ids_list(g));
	s->hex = strdup(ids_hex(g));
	if (!s->list || !s->hex)
		g->err = -ENOMEM;
	return s->list && s->hex;
}

static void set_free(struct set *s)
{
	free(s->list);
	free(s->hex);
}

/* Write @set as @dir/@list_name (cpulist) and as the hex mask @dir/@hex_name. */
static void put_set(struct gen *g, const struct set *set, const char *dir, const char *list_name,
		    const char *hex_name)
{
	if (!g->sg->hex_only)
		put(g, set->list, "%s/%s", dir, list_name);
	put(g, set->hex, "%s/%s", dir, hex_name);
}

static int logical(const struct gen *g, int core, int thread)
{
	return g->sg->thread_major ? thread * g->nr_cores + core : core * g->sg->threads + thread;
}

static int parse_offline(struct gen *g, int nr_logical)
{
	const char *s = g->sg->offline;

	while (s && *s) {
		char *end;
		long a = strtol(s, &end, 10), b = a, i;

		if (end == s)
			return -EINVAL;
		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		for (i = a; i <= b && i < nr_logical; i++)
			g->offline[i] = true;
		s = *end == ',' ? end + 1 : end;
		if (*s && !isdigit((unsigned char)*s))
			return -EINVAL;
	}
	return 0;
}

static int core_type(const struct sysgen *sg, int core_in_llc)
{
	if (core_in_llc >= sg->cores_per_llc - sg->little_per_llc)
		return SG_LITTLE;
	if (core_in_llc < sg->turbo_per_llc)
		return SG_TURBO;
	return SG_BIG;
}

/* Online kernel ids of cores [first, first + nr) into the scratch set; returns the lowest. */
static int collect(struct gen *g, int first_core, int nr)
{
	int c, th, low = -1;

	g->nr_ids = 0;
	for (c = first_core; c < first_core + nr; c++)
		for (th = 0; th < g->sg->threads; th++) {
			int l = logical(g, c, th);

			if (g->offline[l])
				continue;
			g->ids[g->nr_ids++] = g->id_of[l];
			if (low < 0 || g->id_of[l] < low)
				low = g->id_of[l];
		}
	return low;
}

static void write_cache(struct gen *g, int id, int index, int level, const char *type,
			const char *size, const struct set *shared, int cache_id)
{
	char path[256];

	snprintf(path, sizeof(path), CPU "/cpu%d/cache/index%d", id, index);
	putn(g, level, path, "level");
	putn(g, cache_id, path, "id");
	if (!g->sg->lean)
		put(g, type, "%s/type", path);
	put(g, size, "%s/size", path);
	put_set(g, shared, path, "shared_cpu_list", "shared_cpu_map");
}

static void write_cpu(struct gen *g, int core, int thread, const struct set *siblings,
		      const struct set *llc_set, const struct set *pkg_set)
{
	struct sysgen *sg = g->sg;
	int l = logical(g, core, thread), id = g->id_of[l];
	struct sysgen_cpu *e = &sg->cpus[id];
	char dir[64], val[32];

	snprintf(dir, sizeof(dir), CPU "/cpu%d", id);
	if (id)
		put(g, "1", "%s/online", dir);
	put_set(g, siblings, dir, "topology/thread_siblings_list", "topology/thread_siblings");
	if (!sg->lean)
		put_set(g, siblings, dir, "topology/core_cpus_list", "topology/core_cpus");
	putn(g, e->core_kid, dir, "topology/core_id");
	putn(g, e->pkg_kid, dir, "topology/physical_package_id");
	put_set(g, pkg_set, dir, "topology/core_siblings_list", "topology/core_siblings");
	if (!sg->lean)
		put_set(g, pkg_set, dir, "topology/package_cpus_list", "topology/package_cpus");
	if (!sg->lean) {
		put_set(g, siblings, dir, "topology/cluster_cpus_list", "topology/cluster_cpus");
		putn(g, CLUSTER_ID(core), dir, "topology/cluster_id");
	}

	if (sg->cache != SG_CACHE_NONE) {
		int i2 = sg->shuffle_index && sg->cache == SG_CACHE_L3 ? 3 : 2;

		if (!sg->lean) {
			write_cache(g, id, 0, 1, "Data", "48K", siblings, core);
			write_cache(g, id, 1, 1, "Instruction", "32K", siblings, core);
		}
		snprintf(val, sizeof(val), "%dK", L2_SIZE_K);
		write_cache(g, id, i2, 2, "Unified", val, siblings, L2_ID(core));
		if (sg->cache == SG_CACHE_L3) {
			snprintf(val, sizeof(val), "%dM", L3_SIZE_M);
			write_cache(g, id, i2 == 2 ? 3 : 2, 3, "Unified", val, llc_set,
				    L3_ID(core / sg->cores_per_llc));
		}
	}
	if (!sg->no_cpufreq && (!sg->lean || !sg->freq_per_core || id == e->core_first)) {
		putn(g, e->max_freq, dir, "cpufreq/cpuinfo_max_freq");
		putn(g, e->min_freq, dir, "cpufreq/cpuinfo_min_freq");
		putn(g, e->base_freq, dir, "cpufreq/base_frequency");
		putn(g, e->scaling_min, dir, "cpufreq/scaling_min_freq");
		putn(g, e->scaling_max, dir, "cpufreq/scaling_max_freq");
		putn(g, e->trans_lat, dir, "cpufreq/cpuinfo_transition_latency");
		if (sg->freq_per_core)
			put(g, siblings->list, "%s/cpufreq/related_cpus", dir);
		else
			putn(g, id, dir, "cpufreq/related_cpus");
	}
	if (sg->src == SG_SRC_HPERF)
		putn(g, hperf_of[e->type], dir, "acpi_cppc/highest_perf");
	if (sg->src == SG_SRC_CAPACITY)
		putn(g, capacity_of[e->type], dir, "cpu_capacity");
	if (sg->src == SG_SRC_PREFCORE) {
		putn(g, prefcore_of[e->type], dir, "acpi_cppc/highest_perf");
		if (!sg->no_cpufreq)
			putn(g, prefcore_of[e->type], dir, "cpufreq/amd_pstate_prefcore_ranking");
	}
	if (sg->pmqos) {
		if (e->resume_lat < 0)
			put(g, "n/a", "%s/power/pm_qos_resume_latency_us", dir);
		else
			putn(g, e->resume_lat, dir, "power/pm_qos_resume_latency_us");
	}
}

/* Fill the expected values of every CPU of one LLC. */
static void expect_llc(struct gen *g, int pkg, int llc_in_pkg)
{
	struct sysgen *sg = g->sg;
	int first_core = pkg * g->cores_per_pkg + llc_in_pkg * sg->cores_per_llc;
	int llc_low, pkg_low, c, th, llc_weight;

	pkg_low = collect(g, pkg * g->cores_per_pkg, g->cores_per_pkg);
	llc_low = collect(g, first_core, sg->cores_per_llc);
	llc_weight = g->nr_ids;
	for (c = first_core; c < first_core + sg->cores_per_llc; c++) {
		int core_low = collect(g, c, 1), type = core_type(sg, c - first_core);
		int nr_online = g->nr_ids;

		for (th = 0; th < sg->threads; th++) {
			int l = logical(g, c, th);
			struct sysgen_cpu *e = &sg->cpus[g->id_of[l]];

			e->possible = true;
			e->online = !g->offline[l];
			e->node_kid = pkg * (sg->node_id_stride ? sg->node_id_stride : 1);
			e->core_kid = sg->dup_core_ids ? c - first_core : c - pkg * g->cores_per_pkg;
			e->pkg_kid = pkg;
			e->type = type;
			e->resume_lat = -1;
			e->min_freq = e->max_freq = e->base_freq = e->trans_lat = -1;
			e->scaling_min = e->scaling_max = -1;
			e->core_first = e->llc_first = e->l2_first = e->l3_first = e->pkg_first = -1;
			e->llc_size = -1;
			e->llc_kid = e->cluster_kid = -1;
			if (!e->online)
				continue;
			if (!sg->lean)
				e->cluster_kid = CLUSTER_ID(c);
			if (sg->cache == SG_CACHE_L3)
				e->llc_kid = L3_ID(c / sg->cores_per_llc);
			else if (sg->cache == SG_CACHE_L2_ONLY)
				e->llc_kid = L2_ID(c);
			e->threads_online = nr_online;
			e->core_first = core_low;
			e->pkg_first = pkg_low;
			if (sg->cache != SG_CACHE_NONE)
				e->l2_first = core_low;
			if (sg->cache == SG_CACHE_L3) {
				e->l3_first = llc_low;
				e->llc_first = llc_low;
				e->llc_size = (int64_t)L3_SIZE_M << 20;
				e->llc_weight = llc_weight;
			} else if (sg->cache == SG_CACHE_L2_ONLY) {
				e->llc_first = core_low;
				e->llc_size = (int64_t)L2_SIZE_K << 10;
				e->llc_weight = nr_online;
			} else {
				e->llc_first = pkg_low;
			}
			if (!sg->no_cpufreq) {
				bool uniform = sg->src == SG_SRC_HPERF || sg->src == SG_SRC_CAPACITY ||
					       sg->uniform_freq;

				e->max_freq = uniform ? freq_of[SG_BIG] : freq_of[type];
				e->min_freq = 800000;
				e->base_freq = 2000000;
				e->scaling_min = e->min_freq + 200000;
				e->scaling_max = e->max_freq - 100000;
				e->trans_lat = 20000 + (sg->freq_per_core ? core_low : g->id_of[l]);
			}
			if (sg->pmqos)
				e->resume_lat = g->id_of[l] % 4 == 1 ? -1 : g->id_of[l] * 5;
			switch (sg->src) {
			case SG_SRC_FREQ:
				e->src = sg->no_cpufreq ? 0 : (uint64_t)freq_of[type];
				break;
			case SG_SRC_HPERF:
				e->src = (uint64_t)hperf_of[type];
				break;
			case SG_SRC_CAPACITY:
				e->src = (uint64_t)capacity_of[type];
				break;
			case SG_SRC_PREFCORE:
				e->src = sg->no_cpufreq ? 0 : (uint64_t)prefcore_of[type];
				break;
			}
		}
	}
}

static void write_llc(struct gen *g, int pkg, int llc_in_pkg)
{
	struct sysgen *sg = g->sg;
	int first_core = pkg * g->cores_per_pkg + llc_in_pkg * sg->cores_per_llc;
	struct set pkg_set = { 0 }, llc_set = { 0 }, sib = { 0 };
	int c, th;

	collect(g, pkg * g->cores_per_pkg, g->cores_per_pkg);
	if (!set_make(g, &pkg_set))
		goto out;
	collect(g, first_core, sg->cores_per_llc);
	if (!set_make(g, &llc_set))
		goto out;
	for (c = first_core; c < first_core + sg->cores_per_llc; c++) {
		collect(g, c, 1);
		if (!set_make(g, &sib))
			goto out;
		for (th = 0; th < sg->threads; th++) {
			int l = logical(g, c, th);

			if (g->offline[l])
				put(g, "0", CPU "/cpu%d/online", g->id_of[l]);
			else
				write_cpu(g, c, th, &sib, &llc_set, &pkg_set);
		}
		set_free(&sib);
		memset(&sib, 0, sizeof(sib));
	}
out:
	set_free(&sib);
	set_free(&pkg_set);
	set_free(&llc_set);
}

static void write_nodes(struct gen *g)
{
	struct sysgen *sg = g->sg;
	int n, j, cpu, stride = sg->node_id_stride ? sg->node_id_stride : 1;
	char row[4096];

	for (n = 0; n < sg->nr_nodes_total; n++) {
		size_t len = 0;

		g->nr_ids = 0;
		for (cpu = 0; cpu < sg->nr_cpu_ids; cpu++)
			if (sg->cpus[cpu].possible && sg->cpus[cpu].node_kid == n * stride)
				g->ids[g->nr_ids++] = cpu;
		{
			struct set set = { 0 };
			char dir[64];

			snprintf(dir, sizeof(dir), "sys/devices/system/node/node%d", n * stride);
			if (set_make(g, &set))
				put_set(g, &set, dir, "cpulist", "cpumap");
			set_free(&set);
		}
		for (j = 0; j < sg->nr_nodes_total && len < sizeof(row) - 16; j++)
			len += (size_t)snprintf(row + len, sizeof(row) - len, "%s%d", j ? " " : "",
						sysgen_distance(n, j));
		put(g, row, "sys/devices/system/node/node%d/distance", n * stride);
	}
}

int sysgen_write(struct fstree *t, struct sysgen *sg)
{
	struct gen g = { .t = t, .sg = sg };
	int nr_logical, l, p, i, c, th;

	if (sg->nodes < 1 || sg->llcs_per_node < 1 || sg->cores_per_llc < 1 || sg->threads < 1)
		return -EINVAL;
	g.cores_per_pkg = sg->llcs_per_node * sg->cores_per_llc;
	g.nr_cores = sg->nodes * g.cores_per_pkg;
	nr_logical = g.nr_cores * sg->threads;
	g.id_of = calloc((size_t)nr_logical, sizeof(int));
	g.offline = calloc((size_t)nr_logical, sizeof(bool));
	g.ids = calloc((size_t)nr_logical, sizeof(int));
	g.list_cap = (size_t)nr_logical * 12 + 16;
	g.list = malloc(g.list_cap);
	if (!g.id_of || !g.offline || !g.ids || !g.list) {
		g.err = -ENOMEM;
		goto out;
	}
	g.err = parse_offline(&g, nr_logical);
	if (g.err)
		goto out;
	sg->nr_cpu_ids = 0;
	for (c = 0; c < g.nr_cores; c++)
		for (th = 0; th < sg->threads; th++) {
			int pkg = c / g.cores_per_pkg;
			int block = sg->thread_major ? th * sg->nodes + pkg : pkg;

			l = logical(&g, c, th);
			g.id_of[l] = l + sg->id_gap * block;
			if (g.id_of[l] + 1 > sg->nr_cpu_ids)
				sg->nr_cpu_ids = g.id_of[l] + 1;
		}
	sg->cpus = calloc((size_t)sg->nr_cpu_ids, sizeof(*sg->cpus));
	sg->nr_nodes_total = sg->nodes + sg->cpuless_nodes;
	sg->node_kids = calloc((size_t)sg->nr_nodes_total, sizeof(int));
	if (!sg->cpus || !sg->node_kids) {
		g.err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < sg->nr_cpu_ids; i++) {
		sg->cpus[i].node_kid = -1;
		sg->cpus[i].core_first = sg->cpus[i].llc_first = sg->cpus[i].pkg_first = -1;
	}
	for (i = 0; i < sg->nr_nodes_total; i++)
		sg->node_kids[i] = i * (sg->node_id_stride ? sg->node_id_stride : 1);
	for (p = 0; p < sg->nodes; p++)
		for (i = 0; i < sg->llcs_per_node; i++)
			expect_llc(&g, p, i);

	/* possible and online */
	g.nr_ids = 0;
	for (i = 0; i < sg->nr_cpu_ids; i++)
		if (sg->cpus[i].possible)
			g.ids[g.nr_ids++] = i;
	if (!sg->hex_only) {
		/* old kernels have neither these nor the online file */
		put(&g, ids_list(&g), CPU "/possible");
		put(&g, ids_list(&g), CPU "/present");
	}
	g.nr_ids = 0;
	for (i = 0; i < sg->nr_cpu_ids; i++)
		if (sg->cpus[i].online)
			g.ids[g.nr_ids++] = i;
	if (!sg->hex_only)
		put(&g, ids_list(&g), CPU "/online");
	for (p = 0; p < sg->nodes && !g.err; p++)
		for (i = 0; i < sg->llcs_per_node; i++)
			write_llc(&g, p, i);
	if (!sg->no_node_dir)
		write_nodes(&g);
out:
	free(g.id_of);
	free(g.offline);
	free(g.ids);
	free(g.list);
	return g.err;
}

void sysgen_fini(struct sysgen *sg)
{
	free(sg->cpus);
	free(sg->node_kids);
	sg->cpus = NULL;
	sg->node_kids = NULL;
}
