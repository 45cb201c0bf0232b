// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/* The topology loader on generated sysfs trees of many shapes: every field against the shape. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <scx/log.h>
#include <scx/topo.h>

#include "../../libscx/cpumask_internal.h"
#include "../../libscx/sysfs.h"
#include "../lib/fstree.h"
#include "../lib/sysgen.h"

static struct fstree t;

static void quiet(enum scx_log_level l, const char *m, void *c)
{
}

static void setup(void)
{
	cr_assert_eq(fstree_init(&t), 0);
	scx_log_fn_set(quiet, NULL);
}

static void teardown(void)
{
	fstree_fini(&t);
}

TestSuite(topology, .init = setup, .fini = teardown);

static struct scx_topo *load(void)
{
	SCX_OPTS(scx_topo_opts, opts, .sysfs_root = t.root);
	struct scx_topo *topo = scx_topo_load(&opts);

	cr_assert_not_null(topo, "load failed: %s", strerror(errno));
	return topo;
}

/* Whether the capacity source differs among online CPUs (else every CPU is 1024 and big). */
static bool source_differs(const struct sysgen *sg, uint64_t *max)
{
	uint64_t first = 0;
	bool differs = false;
	int cpu;

	*max = 0;
	for (cpu = 0; cpu < sg->nr_cpu_ids; cpu++) {
		const struct sysgen_cpu *e = &sg->cpus[cpu];

		if (!e->online)
			continue;
		if (!e->src)
			return false;
		if (!first)
			first = e->src;
		else if (e->src != first)
			differs = true;
		if (e->src > *max)
			*max = e->src;
	}
	return differs;
}

static int expected_type(const struct sysgen *sg, const struct sysgen_cpu *e)
{
	uint64_t max;
	bool plain_big = sg->cores_per_llc - sg->little_per_llc - sg->turbo_per_llc > 0;

	if (!source_differs(sg, &max))
		return SCX_TOPO_CORE_BIG;
	if (e->type == SG_LITTLE)
		/* an AMD preference ranking says nothing about big and little */
		return sg->src == SG_SRC_PREFCORE && sg->uniform_freq ? SCX_TOPO_CORE_BIG
								       : SCX_TOPO_CORE_LITTLE;
	if (e->type == SG_TURBO && plain_big)
		return SCX_TOPO_CORE_TURBO;
	return SCX_TOPO_CORE_BIG;
}

/* -1 in the expectation means -ENOENT from the accessor. */
static void expect_val(int got, int want, const char *what, int cpu)
{
	if (want < 0)
		cr_expect_eq(got, -ENOENT, "cpu %d %s: got %d, want -ENOENT", cpu, what, got);
	else
		cr_expect_eq(got, want, "cpu %d %s: got %d, want %d", cpu, what, got, want);
}

/* Indices of a per-CPU partition map one-to-one onto the expected groups' lowest CPUs. */
static void expect_partition(const struct sysgen *sg, const struct scx_topo *topo,
			     int (*idx_of)(const struct scx_topo *, int), size_t off,
			     const char *what)
{
	int *first_of = malloc(sizeof(int) * (size_t)sg->nr_cpu_ids);
	int cpu, prev = -1;

	cr_assert_not_null(first_of);
	for (cpu = 0; cpu < sg->nr_cpu_ids; cpu++)
		first_of[cpu] = -2;
	for (cpu = 0; cpu < sg->nr_cpu_ids; cpu++) {
		const struct sysgen_cpu *e = &sg->cpus[cpu];
		int want = *(const int *)((const char *)e + off), got;

		if (!e->online)
			continue;
		got = idx_of(topo, cpu);
		if (want < 0) {
			cr_expect_eq(got, -ENOENT, "cpu %d %s: got %d, want none", cpu, what, got);
			continue;
		}
		cr_assert(got >= 0 && got < sg->nr_cpu_ids, "cpu %d %s: got %d", cpu, what, got);
		if (first_of[got] == -2) {
			/* dense, in order of the lowest CPU */
			cr_expect_eq(got, prev + 1, "cpu %d %s: index %d after %d", cpu, what, got,
				     prev);
			prev = got;
			first_of[got] = want;
		}
		cr_expect_eq(first_of[got], want, "cpu %d %s %d: group of cpu %d, want cpu %d", cpu,
			     what, got, first_of[got], want);
	}
	free(first_of);
}

static void check_tree(const struct sysgen *sg, const struct scx_topo *topo)
{
	int cpu, i, j, nr_online = 0, turbo = 0, big = 0, little = 0;
	uint64_t max_src;
	bool differs = source_differs(sg, &max_src), smt = false;
	char buf[256];

	cr_assert_eq(scx_topo_nr_cpu_ids(topo), sg->nr_cpu_ids);
	cr_assert_eq(scx_cpumask_width(scx_topo_possible(topo)), (unsigned int)sg->nr_cpu_ids);
	for (cpu = 0; cpu < sg->nr_cpu_ids; cpu++) {
		const struct sysgen_cpu *e = &sg->cpus[cpu];
		int core;

		cr_expect_eq(scx_cpumask_test(scx_topo_possible(topo), cpu),
			     e->possible, "cpu %d possible", cpu);
		cr_expect_eq(scx_topo_cpu_online(topo, cpu), e->online, "cpu %d online", cpu);
		cr_expect_eq(scx_cpumask_test(scx_topo_online(topo), cpu), e->online);
		if (!e->possible) {
			cr_expect_eq(scx_topo_cpu_core(topo, cpu), -ENOENT);
			continue;
		}
		if (!e->online) {
			cr_expect_eq(scx_topo_cpu_core(topo, cpu), -ENOENT);
			cr_expect_eq(scx_topo_cpu_llc(topo, cpu), -ENOENT);
			cr_expect_eq(scx_topo_cpu_capacity(topo, cpu), -ENOENT);
			cr_expect_eq(scx_topo_cpu_sibling(topo, cpu), -ENOENT);
			continue;
		}
		nr_online++;
		core = scx_topo_cpu_core(topo, cpu);
		cr_assert_geq(core, 0);
		cr_expect_eq(scx_topo_core_id(topo, core), e->core_kid, "cpu %d core_id", cpu);
		cr_expect_eq(scx_topo_package_id(topo, scx_topo_cpu_package(topo, cpu)), e->pkg_kid);
		cr_expect_eq(scx_topo_core_package(topo, core), scx_topo_cpu_package(topo, cpu));
		cr_expect_eq(scx_topo_core_llc(topo, core), scx_topo_cpu_llc(topo, cpu));
		cr_expect_eq(scx_topo_core_node(topo, core), scx_topo_cpu_node(topo, cpu));
		cr_expect_eq(scx_cpumask_weight(scx_topo_core_span(topo, core)),
			     (unsigned int)e->threads_online);
		cr_expect(scx_cpumask_test(scx_topo_core_span(topo, core), cpu));
		cr_expect(scx_cpumask_test(scx_topo_llc_span(topo, scx_topo_cpu_llc(topo, cpu)),
					   (unsigned int)cpu));
		cr_expect(scx_cpumask_test(scx_topo_package_span(topo,
								 scx_topo_cpu_package(topo, cpu)),
					   (unsigned int)cpu));
		if (sg->no_node_dir)
			cr_expect_eq(scx_topo_node_id(topo, scx_topo_cpu_node(topo, cpu)), 0);
		else
			cr_expect_eq(scx_topo_node_id(topo, scx_topo_cpu_node(topo, cpu)),
				     e->node_kid, "cpu %d node", cpu);
		cr_expect(scx_cpumask_test(scx_topo_node_span(topo, scx_topo_cpu_node(topo, cpu)),
					   (unsigned int)cpu));
		cr_expect_eq(scx_topo_cpu_smt_level(topo, cpu), e->threads_online);
		if (e->threads_online > 1)
			smt = true;
		{
			const struct scx_cpumask *span = scx_topo_core_span(topo, core);
			int next = scx_cpumask_next(span, cpu);

			if (next < 0)
				next = scx_cpumask_first(span);
			expect_val(scx_topo_cpu_sibling(topo, cpu), next == cpu ? -1 : next,
				   "sibling", cpu);
		}
		if (e->llc_size >= 0)
			cr_expect_eq(scx_topo_cpu_cache_size(topo, cpu), e->llc_size / e->llc_weight,
				     "cpu %d cache share", cpu);
		else
			cr_expect_eq(scx_topo_cpu_cache_size(topo, cpu), -ENOENT);
		if (e->l3_first >= 0)
			cr_expect_eq(scx_topo_llc_cache_size(topo, scx_topo_cpu_llc(topo, cpu)),
				     e->llc_size);
		expect_val(scx_topo_llc_id(topo, scx_topo_cpu_llc(topo, cpu)), e->llc_kid, "llc id",
			   cpu);
		expect_val(scx_topo_cpu_cluster_id(topo, cpu), e->cluster_kid, "cluster id", cpu);
		expect_val(scx_topo_cpu_min_freq(topo, cpu), e->min_freq, "min_freq", cpu);
		expect_val(scx_topo_cpu_max_freq(topo, cpu), e->max_freq, "max_freq", cpu);
		expect_val(scx_topo_cpu_scaling_min_freq(topo, cpu), e->scaling_min,
			   "scaling_min_freq", cpu);
		expect_val(scx_topo_cpu_scaling_max_freq(topo, cpu), e->scaling_max,
			   "scaling_max_freq", cpu);
		expect_val(scx_topo_cpu_base_freq(topo, cpu), e->base_freq, "base_freq", cpu);
		expect_val(scx_topo_cpu_trans_latency(topo, cpu), e->trans_lat, "trans_lat", cpu);
		expect_val(scx_topo_cpu_resume_latency(topo, cpu), e->resume_lat, "resume", cpu);
		expect_val(scx_topo_cpu_capacity(topo, cpu),
			   differs ? (int)(e->src * 1024 / max_src) : 1024, "capacity", cpu);
		expect_val(scx_topo_cpu_core_type(topo, cpu), expected_type(sg, e), "type", cpu);
		cr_expect_eq(scx_topo_core_type(topo, core), expected_type(sg, e));
		switch (expected_type(sg, e)) {
		case SCX_TOPO_CORE_TURBO:
			turbo++;
			cr_expect(scx_cpumask_test(scx_topo_primary(topo, SCX_TOPO_POWER_TURBO),
						   (unsigned int)cpu));
			/* fallthrough */
		case SCX_TOPO_CORE_BIG:
			big++;
			cr_expect(scx_cpumask_test(scx_topo_primary(topo,
								    SCX_TOPO_POWER_PERFORMANCE),
						   (unsigned int)cpu));
			break;
		default:
			little++;
			cr_expect(scx_cpumask_test(scx_topo_primary(topo, SCX_TOPO_POWER_POWERSAVE),
						   (unsigned int)cpu));
			cr_expect_not(scx_cpumask_test(
				scx_topo_primary(topo, SCX_TOPO_POWER_PERFORMANCE), (unsigned int)cpu));
			break;
		}
	}
	cr_expect_eq(scx_cpumask_weight(scx_topo_online(topo)), (unsigned int)nr_online);
	cr_expect_eq(scx_topo_smt_enabled(topo), smt);
	cr_expect_eq(scx_topo_hybrid(topo), (little && big) || (turbo && big > turbo));
	cr_expect(scx_cpumask_equal(scx_topo_primary(topo, SCX_TOPO_POWER_ANY),
				    scx_topo_online(topo)));
	cr_expect_eq(scx_cpumask_weight(scx_topo_primary(topo, SCX_TOPO_POWER_TURBO)),
		     (unsigned int)(turbo ? turbo : big ? big : nr_online));
	cr_expect_eq(scx_cpumask_weight(scx_topo_primary(topo, SCX_TOPO_POWER_POWERSAVE)),
		     (unsigned int)(little ? little : nr_online));

	expect_partition(sg, topo, scx_topo_cpu_core, offsetof(struct sysgen_cpu, core_first),
			 "core");
	expect_partition(sg, topo, scx_topo_cpu_llc, offsetof(struct sysgen_cpu, llc_first),
			 "llc");
	expect_partition(sg, topo, scx_topo_cpu_package, offsetof(struct sysgen_cpu, pkg_first),
			 "package");
	expect_partition(sg, topo, scx_topo_cpu_l2, offsetof(struct sysgen_cpu, l2_first), "l2");
	expect_partition(sg, topo, scx_topo_cpu_l3, offsetof(struct sysgen_cpu, l3_first), "l3");

	if (sg->no_node_dir) {
		cr_expect_eq(scx_topo_nr_nodes(topo), 1);
		cr_expect_eq(scx_topo_node_distance(topo, 0, 0), 10);
	} else {
		cr_assert_eq(scx_topo_nr_nodes(topo), sg->nr_nodes_total);
		for (i = 0; i < sg->nr_nodes_total; i++) {
			cr_expect_eq(scx_topo_node_id(topo, i), sg->node_kids[i], "node %d id", i);
			for (j = 0; j < sg->nr_nodes_total; j++)
				cr_expect_eq(scx_topo_node_distance(topo, i, j),
					     sysgen_distance(i, j), "distance %d %d", i, j);
		}
		for (i = sg->nodes; i < sg->nr_nodes_total; i++) {
			scx_cpumask_format_list(scx_topo_node_span(topo, i), buf, sizeof(buf));
			cr_expect(scx_cpumask_empty(scx_topo_node_span(topo, i)),
				  "CPU-less node %d holds %s", i, buf);
		}
	}
}

static void run_shape(struct sysgen *sg)
{
	struct scx_topo *topo;

	cr_assert_eq(sysgen_write(&t, sg), 0);
	topo = load();
	check_tree(sg, topo);
	scx_topo_free(topo);
	sysgen_fini(sg);
}

Test(topology, smt_one_llc)
{
	struct sysgen sg = { .nodes = 1, .llcs_per_node = 1, .cores_per_llc = 4, .threads = 2 };

	run_shape(&sg);
}

Test(topology, a_distance_that_is_no_distance_is_not_reported)
{
	static const char *const bad[] = { "10 99999999999", "10 -21", "10 256", "10 21x",
					   "10 99999999999999999999999" };
	struct sysgen sg = { .nodes = 2, .llcs_per_node = 1, .cores_per_llc = 2, .threads = 1 };
	struct scx_topo *topo;
	size_t i;

	cr_assert_eq(sysgen_write(&t, &sg), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(fstree_write(&t, "sys/devices/system/node/node0/distance", "%s\n",
					  bad[i]),
			     0);
		topo = load();
		cr_expect_eq(scx_topo_node_distance(topo, 0, 1), -ENOENT,
			     "\"%s\" is no distance, not a truncated one", bad[i]);
		cr_expect_eq(scx_topo_node_distance(topo, 0, 0), -ENOENT, "the whole row");
		cr_expect_eq(scx_topo_node_distance(topo, 1, 0), sysgen_distance(1, 0),
			     "the other row stands");
		scx_topo_free(topo);
	}
	cr_assert_eq(fstree_write(&t, "sys/devices/system/node/node0/distance", "10 255\n"), 0);
	topo = load();
	cr_expect_eq(scx_topo_node_distance(topo, 0, 1), 255, "the largest distance is one");
	scx_topo_free(topo);
	sysgen_fini(&sg);
}

Test(topology, cpufreq_policy_per_core_lean_tree)
{
	struct sysgen sg = { .nodes = 2, .llcs_per_node = 2, .cores_per_llc = 3, .threads = 4,
			     .freq_per_core = true, .lean = true, .little_per_llc = 1,
			     .offline = "0,13" };

	run_shape(&sg);
}

Test(topology, old_kernel_hex_masks_only)
{
	/* no *_list files, no possible/online files: cpuN folders, cpuN/online, hex masks */
	struct sysgen sg = { .nodes = 2, .llcs_per_node = 2, .cores_per_llc = 3, .threads = 2,
			     .hex_only = true, .offline = "3,10-11", .thread_major = true };

	run_shape(&sg);
}

Test(topology, two_nodes_thread_major_pmqos)
{
	struct sysgen sg = { .nodes = 2, .llcs_per_node = 2, .cores_per_llc = 4, .threads = 2,
			     .thread_major = true, .pmqos = true };

	run_shape(&sg);
}

Test(topology, offline_cpus_including_cpu0)
{
	struct sysgen sg = { .nodes = 2, .llcs_per_node = 1, .cores_per_llc = 4, .threads = 2,
			     .offline = "0,5,8-9", .pmqos = true };

	run_shape(&sg);
}

Test(topology, offline_hybrid_keeps_capacity)
{
	/* offline little CPUs must not lower anyone's capacity or change the types */
	struct sysgen sg = { .nodes = 1, .llcs_per_node = 2, .cores_per_llc = 6, .threads = 1,
			     .little_per_llc = 2, .turbo_per_llc = 1, .offline = "0,4,11" };

	run_shape(&sg);
}

Test(topology, sparse_cpu_ids)
{
	struct sysgen sg = { .nodes = 2, .llcs_per_node = 1, .cores_per_llc = 2, .threads = 2,
			     .id_gap = 4 };

	run_shape(&sg);
}

Test(topology, sparse_thread_major)
{
	struct sysgen sg = { .nodes = 2, .llcs_per_node = 2, .cores_per_llc = 2, .threads = 2,
			     .id_gap = 3, .thread_major = true, .offline = "1" };

	run_shape(&sg);
}

Test(topology, cpuless_nodes_in_numeric_order)
{
	/* node0 .. node11: readdir gives node10 and node11 anywhere */
	struct sysgen sg = { .nodes = 2, .llcs_per_node = 1, .cores_per_llc = 2, .threads = 1,
			     .cpuless_nodes = 10 };

	run_shape(&sg);
}

Test(topology, node_ids_with_gaps)
{
	struct sysgen sg = { .nodes = 3, .llcs_per_node = 1, .cores_per_llc = 2, .threads = 2,
			     .cpuless_nodes = 1, .node_id_stride = 5 };

	run_shape(&sg);
}

Test(topology, l2_is_llc_without_l3)
{
	struct sysgen sg = { .nodes = 1, .llcs_per_node = 2, .cores_per_llc = 3, .threads = 2,
			     .cache = SG_CACHE_L2_ONLY };

	run_shape(&sg);
}

Test(topology, package_is_llc_without_caches)
{
	struct sysgen sg = { .nodes = 2, .llcs_per_node = 2, .cores_per_llc = 2, .threads = 2,
			     .cache = SG_CACHE_NONE };

	run_shape(&sg);
}

Test(topology, no_cpufreq)
{
	struct sysgen sg = { .nodes = 1, .llcs_per_node = 1, .cores_per_llc = 4, .threads = 1,
			     .no_cpufreq = true, .little_per_llc = 2 };

	run_shape(&sg);
}

Test(topology, smt_off)
{
	struct sysgen sg = { .nodes = 1, .llcs_per_node = 1, .cores_per_llc = 4, .threads = 2,
			     .thread_major = true, .offline = "4-7" };

	run_shape(&sg);
}

Test(topology, duplicate_core_ids)
{
	struct sysgen sg = { .nodes = 2, .llcs_per_node = 2, .cores_per_llc = 3, .threads = 2,
			     .dup_core_ids = true };

	run_shape(&sg);
}

Test(topology, caches_by_level_not_index)
{
	struct sysgen sg = { .nodes = 1, .llcs_per_node = 2, .cores_per_llc = 2, .threads = 2,
			     .shuffle_index = true };

	run_shape(&sg);
}

Test(topology, no_node_folder)
{
	struct sysgen sg = { .nodes = 1, .llcs_per_node = 2, .cores_per_llc = 2, .threads = 1,
			     .no_node_dir = true };

	run_shape(&sg);
}

Test(topology, hybrid_by_max_freq)
{
	struct sysgen sg = { .nodes = 1, .llcs_per_node = 1, .cores_per_llc = 6, .threads = 2,
			     .little_per_llc = 2, .turbo_per_llc = 1, .src = SG_SRC_FREQ };

	run_shape(&sg);
}

Test(topology, hybrid_by_highest_perf)
{
	struct sysgen sg = { .nodes = 1, .llcs_per_node = 1, .cores_per_llc = 6, .threads = 2,
			     .little_per_llc = 2, .turbo_per_llc = 2, .src = SG_SRC_HPERF };

	run_shape(&sg);
}

Test(topology, hybrid_by_cpu_capacity)
{
	struct sysgen sg = { .nodes = 1, .llcs_per_node = 2, .cores_per_llc = 4, .threads = 1,
			     .little_per_llc = 2, .src = SG_SRC_CAPACITY };

	run_shape(&sg);
}

Test(topology, amd_prefcore_ranking)
{
	struct sysgen sg = { .nodes = 1, .llcs_per_node = 2, .cores_per_llc = 4, .threads = 2,
			     .turbo_per_llc = 1, .src = SG_SRC_PREFCORE };

	run_shape(&sg);
}

Test(topology, amd_prefcore_ranking_is_not_big_little)
{
	/* rankings 150 .. 230 on one frequency: capacity and turbo follow them, all are big */
	struct sysgen sg = { .nodes = 1, .llcs_per_node = 1, .cores_per_llc = 4, .threads = 1,
			     .little_per_llc = 1, .turbo_per_llc = 1, .src = SG_SRC_PREFCORE,
			     .uniform_freq = true };

	run_shape(&sg);
}

Test(topology, uniform_machine_is_all_big)
{
	struct sysgen sg = { .nodes = 2, .llcs_per_node = 1, .cores_per_llc = 2, .threads = 2,
			     .src = SG_SRC_HPERF };

	run_shape(&sg);
}

Test(topology, files_grow_with_cores_not_cpus)
{
	struct sysgen a = { .nodes = 2, .llcs_per_node = 2, .cores_per_llc = 8, .threads = 1,
			    .no_cpufreq = true };
	struct sysgen b = a;
	struct fstree t2;
	unsigned long fa, fb, fa_all, fb_all;
	struct scx_topo *topo;

	b.threads = 8;
	cr_assert_eq(sysgen_write(&t, &a), 0);
	topo = load();
	fa = scx_topo_nr_files_read(topo);
	check_tree(&a, topo);
	fa_all = scx_topo_nr_files_read(topo);
	scx_topo_free(topo);
	cr_assert_eq(fstree_init(&t2), 0);
	cr_assert_eq(sysgen_write(&t2, &b), 0);
	{
		SCX_OPTS(scx_topo_opts, opts, .sysfs_root = t2.root);

		topo = scx_topo_load(&opts);
	}
	cr_assert_not_null(topo);
	fb = scx_topo_nr_files_read(topo);
	check_tree(&b, topo);
	fb_all = scx_topo_nr_files_read(topo);
	scx_topo_free(topo);
	fstree_fini(&t2);
	/* 8x the CPUs, same cores, LLCs and nodes: the same files */
	cr_expect_eq(fa, fb, "files loaded: %lu for 32 CPUs, %lu for 256", fa, fb);
	cr_expect_eq(fa_all, fb_all, "files with details: %lu for 32 CPUs, %lu for 256", fa_all,
		     fb_all);
	/*
	 * the load: per core its siblings list; per L3 its level, size and shared_cpu_list;
	 * per package and node two files; the lists of possible and online CPUs and folders
	 */
	cr_expect_leq(fa, 32 * 1 + 4 * 3 + 2 * 2 + 2 * 2 + 8, "files loaded: %lu", fa);
	/* the details add per core core_id, its cluster's list and id and its L2 shared_cpu_list,
	 * per L3 its id */
	cr_expect_gt(fa_all, fa);
	cr_expect_leq(fa_all, 32 * 5 + 4 * 4 + 2 * 4 + 2 * 2 + 16, "files with details: %lu",
		      fa_all);
	sysgen_fini(&a);
	sysgen_fini(&b);
}

Test(topology, details_read_on_first_use)
{
	struct sysgen sg = { .nodes = 2, .llcs_per_node = 1, .cores_per_llc = 2, .threads = 2 };
	struct scx_topo *topo;
	unsigned long loaded;
	int cpu;

	cr_assert_eq(sysgen_write(&t, &sg), 0);
	topo = load();
	loaded = scx_topo_nr_files_read(topo);
	/* the structure is there without reading any more files */
	for (cpu = 0; cpu < sg.nr_cpu_ids; cpu++) {
		expect_val(scx_topo_cpu_core(topo, cpu) >= 0, 1, "core", cpu);
		expect_val(scx_topo_cpu_llc(topo, cpu) >= 0, 1, "llc", cpu);
		expect_val(scx_topo_cpu_smt_level(topo, cpu), 2, "smt level", cpu);
	}
	cr_expect_eq(scx_topo_nr_files_read(topo), loaded);
	/* the details come from sysfs as it is when first asked */
	cr_assert_eq(fstree_write(&t, "sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq",
				  "%d\n", sg.cpus[0].max_freq + 1000), 0);
	cr_expect_eq(scx_topo_cpu_max_freq(topo, 0), sg.cpus[0].max_freq + 1000);
	cr_expect_gt(scx_topo_nr_files_read(topo), loaded);
	loaded = scx_topo_nr_files_read(topo);
	/* ...and are read once */
	cr_assert_eq(fstree_write(&t, "sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq",
				  "%d\n", sg.cpus[0].max_freq), 0);
	cr_expect_eq(scx_topo_cpu_max_freq(topo, 0), sg.cpus[0].max_freq + 1000);
	for (cpu = 1; cpu < sg.nr_cpu_ids; cpu++) {
		expect_val(scx_topo_cpu_max_freq(topo, cpu), sg.cpus[cpu].max_freq, "max freq",
			   cpu);
		/* capacity comes from the frequencies as they were at first use */
		expect_val(scx_topo_cpu_capacity(topo, cpu),
			   (int)((int64_t)sg.cpus[cpu].max_freq * 1024 /
				 (sg.cpus[0].max_freq + 1000)), "capacity", cpu);
	}
	cr_expect(scx_cpumask_equal(scx_topo_primary(topo, SCX_TOPO_POWER_PERFORMANCE),
				    scx_topo_online(topo)));
	cr_expect_eq(scx_topo_nr_files_read(topo), loaded);
	/* the other part (ids, L2s, the other cpufreq files) is read when first asked for */
	cr_assert_eq(fstree_write(&t, "sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_min_freq",
				  "%d\n", sg.cpus[0].min_freq + 1000), 0);
	cr_expect_eq(scx_topo_cpu_min_freq(topo, 0), sg.cpus[0].min_freq + 1000);
	cr_expect_gt(scx_topo_nr_files_read(topo), loaded);
	loaded = scx_topo_nr_files_read(topo);
	for (cpu = 1; cpu < sg.nr_cpu_ids; cpu++) {
		expect_val(scx_topo_cpu_min_freq(topo, cpu), sg.cpus[cpu].min_freq, "min freq",
			   cpu);
		expect_val(scx_topo_cpu_l2(topo, cpu) >= 0, 1, "l2", cpu);
	}
	expect_val(scx_topo_core_id(topo, 0), sg.cpus[0].core_kid, "core id", 0);
	cr_expect_eq(scx_topo_nr_files_read(topo), loaded);
	scx_topo_free(topo);
	sysgen_fini(&sg);
}

Test(topology, details_of_a_vanished_tree_are_unknown)
{
	struct sysgen sg = { .nodes = 1, .llcs_per_node = 2, .cores_per_llc = 2, .threads = 2,
			     .src = SG_SRC_HPERF, .little_per_llc = 1 };
	struct scx_topo *topo;
	int cpu;

	cr_assert_eq(sysgen_write(&t, &sg), 0);
	topo = load();
	fstree_fini(&t);
	cr_assert_eq(fstree_init(&t), 0);	/* for the teardown */
	cr_expect_eq(scx_topo_nr_cores(topo), 4);
	for (cpu = 0; cpu < sg.nr_cpu_ids; cpu++) {
		cr_expect_eq(scx_topo_cpu_max_freq(topo, cpu), -ENOENT);
		cr_expect_eq(errno, ENOENT);
		cr_expect_eq(scx_topo_cpu_l2(topo, cpu), -ENOENT);
		/* no capacity source: every CPU alike */
		expect_val(scx_topo_cpu_capacity(topo, cpu), 1024, "capacity", cpu);
		expect_val(scx_topo_cpu_core_type(topo, cpu), SCX_TOPO_CORE_BIG, "type", cpu);
		expect_val(scx_topo_cpu_llc(topo, cpu), sg.cpus[cpu].llc_first >= 2, "llc", cpu);
	}
	cr_expect_not(scx_topo_hybrid(topo));
	cr_expect(scx_cpumask_equal(scx_topo_primary(topo, SCX_TOPO_POWER_POWERSAVE),
				    scx_topo_online(topo)));
	scx_topo_free(topo);
	sysgen_fini(&sg);
}

/*
 * Without cpufreq's base_frequency (no intel_pstate), the base frequency is ACPI CPPC's
 * nominal_freq in MHz, read once per policy like the other cpufreq files.
 */
static void check_nominal_freq(struct sysgen *sg)
{
	struct scx_topo *topo;
	int cpu;

	cr_assert_eq(sysgen_write(&t, sg), 0);
	for (cpu = 0; cpu < sg->nr_cpu_ids; cpu++) {
		char rel[128];

		if (!sg->cpus[cpu].online)
			continue;
		/* CPU 0 keeps base_frequency, which wins over nominal_freq */
		if (cpu) {
			snprintf(rel, sizeof(rel), "sys/devices/system/cpu/cpu%d/cpufreq/base_frequency",
				 cpu);
			cr_assert(!unlink(fstree_path(&t, rel)) || errno == ENOENT);
		}
		snprintf(rel, sizeof(rel), "sys/devices/system/cpu/cpu%d/acpi_cppc/nominal_freq", cpu);
		cr_assert_eq(fstree_write(&t, rel, "%d\n", 1800 + 100 * cpu), 0);
	}
	topo = load();
	for (cpu = 0; cpu < sg->nr_cpu_ids; cpu++) {
		const struct sysgen_cpu *e = &sg->cpus[cpu];

		if (!e->online) {
			expect_val(scx_topo_cpu_base_freq(topo, cpu), -ENOENT, "base freq", cpu);
			continue;
		}
		/* the policy's first CPU speaks for it (a policy per core or per CPU here) */
		if (sg->freq_per_core ? e->core_first == 0 : cpu == 0)
			expect_val(scx_topo_cpu_base_freq(topo, cpu), e->base_freq, "base freq", cpu);
		else
			expect_val(scx_topo_cpu_base_freq(topo, cpu),
				   (1800 + 100 * (sg->freq_per_core ? e->core_first : cpu)) * 1000,
				   "base freq", cpu);
		/* the other cpufreq files are still read */
		expect_val(scx_topo_cpu_max_freq(topo, cpu), e->max_freq, "max freq", cpu);
	}
	scx_topo_free(topo);
	sysgen_fini(sg);
}

Test(topology, base_freq_from_cppc_nominal_freq)
{
	struct sysgen sg = { .nodes = 1, .llcs_per_node = 2, .cores_per_llc = 2, .threads = 2 };

	check_nominal_freq(&sg);
}

Test(topology, base_freq_from_cppc_nominal_freq_per_core_policy)
{
	struct sysgen sg = { .nodes = 2, .llcs_per_node = 1, .cores_per_llc = 3, .threads = 2,
			     .freq_per_core = true, .lean = true, .offline = "3" };

	check_nominal_freq(&sg);
}

/*
 * A tree whose CPU folder cannot be opened fails with open(2)'s reason, one of the documented
 * pass-through codes (ELOOP here: the folder is a loop of symbolic links).
 */
Test(topology, unopenable_cpu_folder_fails_with_a_documented_code)
{
	SCX_OPTS(scx_topo_opts, opts, .sysfs_root = t.root);

	cr_assert_eq(fstree_mkdir(&t, "sys/devices/system"), 0);
	cr_assert_eq(fstree_symlink(&t, "cpu2", "sys/devices/system/cpu"), 0);
	cr_assert_eq(fstree_symlink(&t, "cpu", "sys/devices/system/cpu2"), 0);
	cr_expect_null(scx_topo_load(&opts));
	cr_expect_eq(errno, ELOOP, "errno %d", errno);
}

Test(topology, errors)
{
	struct scx_topo *topo;

	{
		SCX_OPTS(scx_topo_opts, opts, .sysfs_root = "/nonexistent/root");

		cr_expect_null(scx_topo_load(&opts));
		cr_expect_eq(errno, ENOENT);
	}
	{
		SCX_OPTS(scx_topo_opts, opts, .sysfs_root = t.root);

		cr_expect_null(scx_topo_load(&opts));
		cr_expect_eq(errno, ENOENT, "empty root: errno %d", errno);
	}
	fstree_write(&t, "sys/devices/system/cpu/possible", "\n");
	{
		SCX_OPTS(scx_topo_opts, opts, .sysfs_root = t.root);

		cr_expect_null(scx_topo_load(&opts));
		cr_expect_eq(errno, ENODEV);
	}
	fstree_write(&t, "sys/devices/system/cpu/possible", "0-1\n");
	fstree_write(&t, "sys/devices/system/cpu/online", "0-1\n");
	{
		SCX_OPTS(scx_topo_opts, opts, .sysfs_root = t.root, .vllc_min_cores = 4,
			 .vllc_max_cores = 2);

		cr_expect_null(scx_topo_load(&opts));
		cr_expect_eq(errno, EINVAL);
	}
	{
		struct { struct scx_topo_opts o; long extra; } big = { 0 };

		big.o.sz = sizeof(big);
		big.o.sysfs_root = t.root;
		big.extra = 1;
		cr_expect_null(scx_topo_load(&big.o));
		cr_expect_eq(errno, EINVAL);
	}
	/* a bare tree: two CPUs that are their own cores, one package, one node */
	topo = load();
	cr_expect_eq(scx_topo_nr_cores(topo), 2);
	cr_expect_eq(scx_topo_nr_llcs(topo), 1);
	cr_expect_eq(scx_topo_nr_packages(topo), 1);
	cr_expect_eq(scx_topo_nr_nodes(topo), 1);
	cr_expect_eq(scx_topo_package_id(topo, 0), -ENOENT);
	cr_expect_eq(scx_topo_core_id(topo, 0), -ENOENT);
	cr_expect_eq(scx_topo_cpu_max_freq(topo, 0), -ENOENT);
	cr_expect_eq(scx_topo_cpu_cluster(topo, 1), -ENOENT);
	cr_expect_eq(scx_topo_cpu_capacity(topo, 1), 1024);
	cr_expect_eq(scx_topo_cpu_core(topo, 2), -EINVAL);
	cr_expect_eq(errno, EINVAL);
	cr_expect_eq(scx_topo_cpu_core(topo, -1), -EINVAL);
	cr_expect_null(scx_topo_core_span(topo, 2));
	cr_expect_eq(errno, EINVAL);
	cr_expect_null(scx_topo_primary(topo, (enum scx_topo_power_mode)4));
	cr_expect_eq(scx_topo_node_distance(topo, 0, 1), -EINVAL);
	cr_expect_eq(scx_topo_llc_cache_size(topo, 0), -ENOENT);
	cr_expect_gt(scx_topo_nr_files_read(topo), 0);
	scx_topo_free(topo);
	cr_expect_eq(scx_topo_nr_cores(NULL), -EINVAL);
	cr_expect_eq(scx_topo_nr_cpu_ids(NULL), -EINVAL);
	cr_expect_null(scx_topo_online(NULL));
	cr_expect_not(scx_topo_cpu_online(NULL, 0));
	cr_expect_not(scx_topo_smt_enabled(NULL));
	cr_expect_eq(scx_topo_nr_files_read(NULL), 0);
	scx_topo_free(NULL);
}

Test(topology, env_prefix)
{
	struct sysgen sg = { .nodes = 1, .llcs_per_node = 1, .cores_per_llc = 2, .threads = 2 };
	struct scx_topo *topo;

	cr_assert_eq(sysgen_write(&t, &sg), 0);
	setenv("SCX_SYSFS_PREFIX", t.root, 1);
	topo = scx_topo_load(NULL);
	unsetenv("SCX_SYSFS_PREFIX");
	cr_assert_not_null(topo);
	check_tree(&sg, topo);
	scx_topo_free(topo);
	sysgen_fini(&sg);
}

/*
 * The sizes per kind of cache and scx_utils' per-CPU sum against the shape: the generated L1s
 * (48K data, 32K instruction) and L2 (1M) belong to one core, the L3 (llc_size) to its LLC.
 */
static void check_cache_sizes(const struct sysgen *sg, const struct scx_topo *topo)
{
	int cpu;

	for (cpu = 0; cpu < sg->nr_cpu_ids; cpu++) {
		const struct sysgen_cpu *e = &sg->cpus[cpu];
		int64_t sum = 0, l2 = -1, l3 = -1, l1d = -1, l1i = -1;

		if (!e->possible)
			continue;
		if (e->online && sg->cache != SG_CACHE_NONE) {
			l2 = 1 << 20;
			if (!sg->lean) {
				l1d = 48 << 10;
				l1i = 32 << 10;
				sum += l1d / e->threads_online + l1i / e->threads_online;
			}
			if (sg->cache == SG_CACHE_L3) {
				l3 = e->llc_size;
				sum += l2 / e->threads_online;
			}
			sum += e->llc_size / e->llc_weight;
		} else {
			sum = -ENOENT;
		}
		cr_expect_eq(scx_topo_cpu_cache_level_size(topo, cpu, SCX_TOPO_CACHE_L1D),
			     l1d < 0 ? -ENOENT : l1d, "cpu %d L1d", cpu);
		cr_expect_eq(scx_topo_cpu_cache_level_size(topo, cpu, SCX_TOPO_CACHE_L1I),
			     l1i < 0 ? -ENOENT : l1i, "cpu %d L1i", cpu);
		cr_expect_eq(scx_topo_cpu_cache_level_size(topo, cpu, SCX_TOPO_CACHE_L2),
			     l2 < 0 ? -ENOENT : l2, "cpu %d L2", cpu);
		cr_expect_eq(scx_topo_cpu_cache_level_size(topo, cpu, SCX_TOPO_CACHE_L3),
			     l3 < 0 ? -ENOENT : l3, "cpu %d L3", cpu);
		cr_expect_eq(scx_topo_cpu_cache_size_sum(topo, cpu), sum, "cpu %d sum: %lld, want %lld",
			     cpu, (long long)scx_topo_cpu_cache_size_sum(topo, cpu), (long long)sum);
	}
}

Test(topology, cache_sizes_per_kind_and_summed)
{
	static const struct sysgen shapes[] = {
		{ .nodes = 2, .llcs_per_node = 2, .cores_per_llc = 3, .threads = 2 },
		{ .nodes = 1, .llcs_per_node = 2, .cores_per_llc = 4, .threads = 2,
		  .thread_major = true, .offline = "1,5-6" },
		{ .nodes = 1, .llcs_per_node = 1, .cores_per_llc = 4, .threads = 2,
		  .shuffle_index = true },
		{ .nodes = 1, .llcs_per_node = 1, .cores_per_llc = 4, .threads = 4,
		  .cache = SG_CACHE_L2_ONLY },
		{ .nodes = 1, .llcs_per_node = 1, .cores_per_llc = 2, .threads = 2,
		  .cache = SG_CACHE_NONE },
		{ .nodes = 1, .llcs_per_node = 2, .cores_per_llc = 4, .threads = 1, .lean = true },
	};
	size_t i;

	for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		struct sysgen sg = shapes[i];
		struct scx_topo *topo;
		unsigned long before;

		fstree_fini(&t);
		cr_assert_eq(fstree_init(&t), 0);
		cr_assert_eq(sysgen_write(&t, &sg), 0);
		topo = load();
		/* the other parts do not read the cache part */
		check_tree(&sg, topo);
		before = scx_topo_nr_files_read(topo);
		check_cache_sizes(&sg, topo);
		if (sg.cache != SG_CACHE_NONE)
			cr_expect_gt(scx_topo_nr_files_read(topo), before, "shape %zu", i);
		cr_expect_eq(scx_topo_cpu_cache_level_size(topo, 0, (enum scx_topo_cache)4),
			     -EINVAL);
		cr_expect_eq(scx_topo_cpu_cache_size_sum(topo, sg.nr_cpu_ids), -EINVAL);
		scx_topo_free(topo);
		sysgen_fini(&sg);
	}
}

/* A cache folder without a size: no size for its kind; 1024 bytes in the sum, as scx_utils. */
Test(topology, cache_without_size_counts_1024_in_the_sum)
{
	struct sysgen sg = { .nodes = 1, .llcs_per_node = 1, .cores_per_llc = 2, .threads = 2 };
	struct scx_topo *topo;
	int cpu;

	cr_assert_eq(sysgen_write(&t, &sg), 0);
	for (cpu = 0; cpu < 4; cpu++) {
		char rel[128];

		snprintf(rel, sizeof(rel), "sys/devices/system/cpu/cpu%d/cache/index0/size", cpu);
		cr_assert_eq(unlink(fstree_path(&t, rel)), 0);
	}
	topo = load();
	for (cpu = 0; cpu < 4; cpu++) {
		cr_expect_eq(scx_topo_cpu_cache_level_size(topo, cpu, SCX_TOPO_CACHE_L1D), -ENOENT);
		cr_expect_eq(scx_topo_cpu_cache_level_size(topo, cpu, SCX_TOPO_CACHE_L1I), 32 << 10);
		cr_expect_eq(scx_topo_cpu_cache_size_sum(topo, cpu),
			     1024 / 2 + (32 << 10) / 2 + (1 << 20) / 2 + (32 << 20) / 4);
	}
	scx_topo_free(topo);
	sysgen_fini(&sg);
}

/* Load the tree with virtual LLCs of @min to @max cores cut by @rule. */
static struct scx_topo *load_split(unsigned int min, unsigned int max, enum scx_topo_vllc_rule rule)
{
	SCX_OPTS(scx_topo_opts, opts, .sysfs_root = t.root, .vllc_min_cores = min,
		 .vllc_max_cores = max, .vllc_rule = rule);
	struct scx_topo *topo = scx_topo_load(&opts);

	cr_assert_not_null(topo, "load failed: %s", strerror(errno));
	return topo;
}

/* vllc split on one 10-core LLC, and flattening two LLCs per package into one. */
Test(topology, virtual_llcs)
{
	struct sysgen sg = { .nodes = 2, .llcs_per_node = 2, .cores_per_llc = 10, .threads = 2 };
	struct scx_topo *topo;
	int l;

	cr_assert_eq(sysgen_write(&t, &sg), 0);
	topo = load_split(0, 4, SCX_TOPO_VLLC_FEWEST);
	cr_assert_eq(scx_topo_nr_llcs(topo), 12);
	for (l = 0; l < 12; l++) {
		cr_expect_eq(scx_topo_llc_nr_cores(topo, l), l % 3 == 0 ? 4 : 3, "vllc %d", l);
		cr_expect_eq(scx_cpumask_weight(scx_topo_llc_span(topo, l)),
			     (unsigned int)(l % 3 == 0 ? 8 : 6));
		cr_expect_eq(scx_topo_llc_cache_size(topo, l), 32 << 20);
		cr_expect_eq(scx_topo_llc_node(topo, l), l / 6);
	}
	/* the L3 index and the kernel's cache id still name the physical cache */
	cr_expect_eq(scx_topo_cpu_l3(topo, 0), scx_topo_cpu_l3(topo, 19));
	for (l = 0; l < 12; l++)
		cr_expect_eq(scx_topo_llc_id(topo, l), sg.cpus[scx_cpumask_first(
							   scx_topo_llc_span(topo, l))].llc_kid,
			     "vllc %d", l);
	cr_expect_eq(scx_topo_llc_id(topo, 0), scx_topo_llc_id(topo, 2));
	cr_expect_neq(scx_topo_cpu_llc(topo, 0), scx_topo_cpu_llc(topo, 19));
	scx_topo_free(topo);
	{
		SCX_OPTS(scx_topo_opts, opts, .sysfs_root = t.root, .vllc_min_cores = 4,
			 .vllc_max_cores = 4);

		topo = scx_topo_load(&opts);
	}
	cr_assert_not_null(topo);
	cr_assert_eq(scx_topo_nr_llcs(topo), 8);
	for (l = 0; l < 8; l++)
		cr_expect_eq(scx_topo_llc_nr_cores(topo, l), 5, "vllc %d", l);
	scx_topo_free(topo);
	{
		SCX_OPTS(scx_topo_opts, opts, .sysfs_root = t.root, .flatten_llc = true);

		topo = scx_topo_load(&opts);
	}
	cr_assert_not_null(topo);
	cr_assert_eq(scx_topo_nr_llcs(topo), 2);
	cr_expect(scx_cpumask_equal(scx_topo_llc_span(topo, 1), scx_topo_package_span(topo, 1)));
	cr_expect_eq(scx_topo_llc_nr_cores(topo, 0), 20);
	cr_expect_eq(scx_topo_llc_cache_size(topo, 0), -ENOENT);
	/* a package has no cache id */
	cr_expect_eq(scx_topo_llc_id(topo, 0), -ENOENT);
	scx_topo_free(topo);
	sysgen_fini(&sg);
}

/* Whether every core of @llc is little, or none is. */
static bool llc_one_kind(const struct scx_topo *topo, int llc)
{
	int c, little = -1;

	for (c = 0; c < scx_topo_nr_cores(topo); c++) {
		int is_little;

		if (scx_topo_core_llc(topo, c) != llc)
			continue;
		is_little = scx_topo_core_type(topo, c) == SCX_TOPO_CORE_LITTLE;
		if (little >= 0 && little != is_little)
			return false;
		little = is_little;
	}
	return true;
}

/*
 * An LLC of 4 big and 2 little cores cut into parts of at most 4 cores: libscx's near-equal
 * halves would put a big core with the little ones.  The little cores are a part of their own,
 * under both rules, and the capacity part is read with the load to know them.
 */
Test(topology, virtual_llcs_never_mix_core_types)
{
	struct sysgen sg = { .nodes = 1, .llcs_per_node = 2, .cores_per_llc = 6, .threads = 2,
			     .little_per_llc = 2 };
	struct scx_topo *topo;
	int l;

	cr_assert_eq(sysgen_write(&t, &sg), 0);
	topo = load_split(0, 4, SCX_TOPO_VLLC_FEWEST);
	cr_expect(scx_topo_has_little_cores(topo));
	/* per LLC: 4 big cores, 2 little ones */
	cr_assert_eq(scx_topo_nr_llcs(topo), 4);
	for (l = 0; l < 4; l++) {
		cr_expect(llc_one_kind(topo, l), "vllc %d mixes core types", l);
		cr_expect_eq(scx_topo_llc_nr_cores(topo, l), l % 2 ? 2 : 4, "vllc %d", l);
	}
	check_tree(&sg, topo);
	scx_topo_free(topo);
	topo = load_split(2, 8, SCX_TOPO_VLLC_EVEN);
	/* per LLC: the big cores in two parts of 2, the little ones in one */
	cr_assert_eq(scx_topo_nr_llcs(topo), 6);
	for (l = 0; l < 6; l++) {
		cr_expect(llc_one_kind(topo, l), "vllc %d mixes core types", l);
		cr_expect_eq(scx_topo_llc_nr_cores(topo, l), 2, "vllc %d", l);
	}
	scx_topo_free(topo);
	sysgen_fini(&sg);
}

/* flatten_nodes: the two nodes of a loaded tree become one node 0. */
Test(topology, flattened_nodes)
{
	struct sysgen sg = { .nodes = 2, .llcs_per_node = 2, .cores_per_llc = 2, .threads = 2,
			     .node_id_stride = 2 };
	struct scx_topo *topo;
	int cpu;

	cr_assert_eq(sysgen_write(&t, &sg), 0);
	{
		SCX_OPTS(scx_topo_opts, opts, .sysfs_root = t.root, .flatten_llc = true,
			 .flatten_nodes = true);

		topo = scx_topo_load(&opts);
	}
	cr_assert_not_null(topo);
	cr_expect_eq(scx_topo_nr_nodes(topo), 1);
	cr_expect_eq(scx_topo_node_id(topo, 0), 0);
	cr_expect(scx_cpumask_equal(scx_topo_node_span(topo, 0), scx_topo_online(topo)));
	cr_expect_eq(scx_topo_node_distance(topo, 0, 0), 10);
	for (cpu = 0; cpu < sg.nr_cpu_ids; cpu++)
		cr_expect_eq(scx_topo_cpu_node(topo, cpu), 0);
	/* one LLC per package, as scx_utils' flattened topology */
	cr_expect_eq(scx_topo_nr_llcs(topo), 2);
	cr_expect_eq(scx_topo_nr_packages(topo), 2);
	scx_topo_free(topo);
	sysgen_fini(&sg);
}

/*
 * The topology's CPU-id width and the one the energy model, netdev and perf modules take from
 * the same "possible" list agree, with the kernel's meaning of grouped ranges: "a-b:used/group"
 * holds the first @used ids of every @group from a up to b, so its largest id need not be b.
 */
Test(topology, cpu_width_agrees_with_the_modules_on_grouped_lists)
{
	static const struct {
		const char *possible;
		int width;
	} cases[] = {
		{ "0-3:1/8", 1 },	 { "0-10:2/4", 10 }, { "0-9:3/4", 10 },
		{ "0-15:2/4,17", 18 },	 { "0-7:8/8", 8 },   { "0,4-11:1/4", 9 },
		{ "0-1 4-5", 6 },	 { "0-3\n", 4 },
	};
	struct scx_sysfs fs;

	fstree_write(&t, "sys/devices/system/cpu/online", "0\n");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct scx_topo *topo;

		fstree_write(&t, "sys/devices/system/cpu/possible", "%s\n", cases[i].possible);
		cr_assert_eq(scx_sysfs_init(&fs, t.root), 0);
		cr_expect_eq(scx_cpu_width(&fs), cases[i].width, "modules' width of \"%s\"",
			     cases[i].possible);
		scx_sysfs_fini(&fs);
		topo = load();
		cr_expect_eq(scx_topo_nr_cpu_ids(topo), cases[i].width, "topology's width of \"%s\"",
			     cases[i].possible);
		scx_topo_free(topo);
	}
}
