// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/* Synthetic topologies: shapes, hybrid rules, virtual LLCs and errors. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <scx/topo.h>

static char buf[1024];

static const char *list(const struct scx_cpumask *m)
{
	scx_cpumask_format_list(m, buf, sizeof(buf));
	return buf;
}

Test(topology_builder, nodes_llcs_cores_threads)
{
	struct scx_topo_builder *b = scx_topo_builder_new();
	struct scx_topo *t;
	int n, l, c;

	cr_assert_not_null(b);
	/* 2 nodes x 2 LLCs x 3 cores x 2 threads, and a memory-only node 5 */
	for (n = 0; n < 2; n++)
		for (l = 0; l < 2; l++)
			cr_assert_eq(scx_topo_builder_add_llc(b, n * 2, 3, 2, 3000000), 0);
	cr_assert_eq(scx_topo_builder_add_node(b, 5), 0);
	t = scx_topo_builder_build(b, NULL);
	cr_assert_not_null(t);
	cr_expect_eq(scx_topo_nr_cpu_ids(t), 24);
	cr_expect_eq(scx_topo_nr_cores(t), 12);
	cr_expect_eq(scx_topo_nr_llcs(t), 4);
	cr_expect_eq(scx_topo_nr_nodes(t), 3);
	cr_expect_eq(scx_topo_nr_packages(t), 2);
	cr_expect_eq(scx_topo_node_id(t, 1), 2);
	cr_expect_eq(scx_topo_node_id(t, 2), 5);
	cr_expect(scx_cpumask_empty(scx_topo_node_span(t, 2)));
	cr_expect_str_eq(list(scx_topo_node_span(t, 1)), "12-23");
	cr_expect_str_eq(list(scx_topo_llc_span(t, 1)), "6-11");
	cr_expect_eq(scx_topo_node_distance(t, 0, 2), 20);
	cr_expect_eq(scx_topo_node_distance(t, 1, 1), 10);
	cr_expect(scx_topo_smt_enabled(t));
	cr_expect_not(scx_topo_hybrid(t));
	for (c = 0; c < 24; c++) {
		cr_expect_eq(scx_topo_cpu_core(t, c), c / 2);
		cr_expect_eq(scx_topo_cpu_llc(t, c), c / 6);
		cr_expect_eq(scx_topo_cpu_node(t, c), c / 12);
		cr_expect_eq(scx_topo_cpu_package(t, c), c / 12);
		cr_expect_eq(scx_topo_cpu_sibling(t, c), c ^ 1);
		cr_expect_eq(scx_topo_cpu_capacity(t, c), 1024);
		cr_expect_eq(scx_topo_cpu_core_type(t, c), SCX_TOPO_CORE_BIG);
		cr_expect_eq(scx_topo_cpu_max_freq(t, c), 3000000);
		/* no cpufreq policy */
		cr_expect_eq(scx_topo_cpu_scaling_max_freq(t, c), -ENOENT);
		cr_expect_eq(scx_topo_cpu_smt_level(t, c), 2);
		cr_expect_eq(scx_topo_cpu_l2(t, c), c / 2);
		cr_expect_eq(scx_topo_cpu_l3(t, c), c / 6);
	}
	/* core ids restart in each package */
	cr_expect_eq(scx_topo_core_id(t, 6), 0);
	cr_expect_eq(scx_topo_core_id(t, 5), 5);
	cr_expect_eq(scx_topo_core_llc(t, 7), 2);
	cr_expect_eq(scx_topo_package_id(t, 1), 2);
	cr_expect_eq(scx_topo_nr_files_read(t), 0);
	scx_topo_free(t);
	/* the builder can build again */
	t = scx_topo_builder_build(b, NULL);
	cr_expect_not_null(t);
	scx_topo_free(t);
	scx_topo_builder_free(b);
}

Test(topology_builder, hybrid_turbo_and_primary_masks)
{
	struct scx_topo_builder *b = scx_topo_builder_new();
	struct scx_topo *t;

	cr_assert_not_null(b);
	cr_assert_eq(scx_topo_builder_add_llc(b, 0, 1, 2, 5200000), 0);	/* 0-1 turbo */
	cr_assert_eq(scx_topo_builder_add_llc(b, 0, 2, 2, 4800000), 0);	/* 2-5 big */
	cr_assert_eq(scx_topo_builder_add_llc(b, 0, 4, 1, 3600000), 0);	/* 6-9 little */
	t = scx_topo_builder_build(b, NULL);
	cr_assert_not_null(t);
	cr_expect(scx_topo_hybrid(t));
	cr_expect_eq(scx_topo_cpu_core_type(t, 0), SCX_TOPO_CORE_TURBO);
	cr_expect_eq(scx_topo_cpu_core_type(t, 3), SCX_TOPO_CORE_BIG);
	/* 3.6 GHz is within 1.3x of 4.8 but not of 5.2: little */
	cr_expect_eq(scx_topo_cpu_core_type(t, 6), SCX_TOPO_CORE_LITTLE);
	cr_expect_eq(scx_topo_core_type(t, 5), SCX_TOPO_CORE_LITTLE);
	cr_expect_eq(scx_topo_cpu_capacity(t, 0), 1024);
	cr_expect_eq(scx_topo_cpu_capacity(t, 2), 4800000ULL * 1024 / 5200000);
	cr_expect_eq(scx_topo_cpu_capacity(t, 9), 3600000ULL * 1024 / 5200000);
	cr_expect_str_eq(list(scx_topo_primary(t, SCX_TOPO_POWER_TURBO)), "0-1");
	cr_expect_str_eq(list(scx_topo_primary(t, SCX_TOPO_POWER_PERFORMANCE)), "0-5");
	cr_expect_str_eq(list(scx_topo_primary(t, SCX_TOPO_POWER_POWERSAVE)), "6-9");
	cr_expect_str_eq(list(scx_topo_primary(t, SCX_TOPO_POWER_ANY)), "0-9");
	cr_expect(scx_topo_has_little_cores(t));
	scx_topo_free(t);
	scx_topo_builder_free(b);
}

/* Big cores of which some boost higher: hybrid by libscx's rule, without little cores. */
Test(topology_builder, big_and_turbo_cores_are_hybrid_without_little_cores)
{
	struct scx_topo_builder *b = scx_topo_builder_new();
	struct scx_topo *t;

	cr_assert_not_null(b);
	cr_assert_eq(scx_topo_builder_add_llc(b, 0, 1, 2, 5200000), 0);	/* 0-1 turbo */
	cr_assert_eq(scx_topo_builder_add_llc(b, 0, 3, 2, 4800000), 0);	/* 2-7 big */
	t = scx_topo_builder_build(b, NULL);
	cr_assert_not_null(t);
	cr_expect_eq(scx_topo_cpu_core_type(t, 0), SCX_TOPO_CORE_TURBO);
	cr_expect_eq(scx_topo_cpu_core_type(t, 7), SCX_TOPO_CORE_BIG);
	cr_expect(scx_topo_hybrid(t));
	cr_expect_not(scx_topo_has_little_cores(t));
	scx_topo_free(t);
	/* one core type alone: neither */
	scx_topo_builder_free(b);
	b = scx_topo_builder_new();
	cr_assert_eq(scx_topo_builder_add_llc(b, 0, 4, 2, 3000000), 0);
	t = scx_topo_builder_build(b, NULL);
	cr_assert_not_null(t);
	cr_expect_not(scx_topo_hybrid(t));
	cr_expect_not(scx_topo_has_little_cores(t));
	scx_topo_free(t);
	scx_topo_builder_free(b);
	cr_expect_not(scx_topo_has_little_cores(NULL));
}

Test(topology_builder, big_cores_alike_have_no_turbo_tier)
{
	struct scx_topo_builder *b = scx_topo_builder_new();
	struct scx_topo *t;

	cr_assert_eq(scx_topo_builder_add_llc(b, 0, 2, 2, 5000000), 0);
	cr_assert_eq(scx_topo_builder_add_llc(b, 0, 2, 1, 2000000), 0);
	t = scx_topo_builder_build(b, NULL);
	cr_assert_not_null(t);
	cr_expect_eq(scx_topo_cpu_core_type(t, 0), SCX_TOPO_CORE_BIG);
	cr_expect_eq(scx_topo_cpu_core_type(t, 5), SCX_TOPO_CORE_LITTLE);
	/* no turbo cores: turbo falls back to performance */
	cr_expect_str_eq(list(scx_topo_primary(t, SCX_TOPO_POWER_TURBO)), "0-3");
	scx_topo_free(t);
	scx_topo_builder_free(b);
}

Test(topology_builder, virtual_and_flattened_llcs)
{
	struct scx_topo_builder *b = scx_topo_builder_new();
	struct scx_topo *t;
	int l;

	cr_assert_eq(scx_topo_builder_add_llc(b, 0, 7, 1, 3000000), 0);
	cr_assert_eq(scx_topo_builder_add_llc(b, 0, 2, 1, 3000000), 0);
	{
		SCX_OPTS(scx_topo_opts, o, .vllc_max_cores = 3);

		t = scx_topo_builder_build(b, &o);
	}
	cr_assert_not_null(t);
	/* 7 cores -> 3 parts (3, 2, 2), then the 2-core LLC untouched */
	cr_assert_eq(scx_topo_nr_llcs(t), 4);
	cr_expect_str_eq(list(scx_topo_llc_span(t, 0)), "0-2");
	cr_expect_str_eq(list(scx_topo_llc_span(t, 1)), "3-4");
	cr_expect_str_eq(list(scx_topo_llc_span(t, 2)), "5-6");
	cr_expect_str_eq(list(scx_topo_llc_span(t, 3)), "7-8");
	for (l = 0; l < 3; l++) {
		cr_expect_eq(scx_topo_cpu_l3(t, 2 * l), 0);
		/* the cache id of the LLC they were split from: the builder numbers LLCs from 0 */
		cr_expect_eq(scx_topo_llc_id(t, l), 0);
	}
	cr_expect_eq(scx_topo_llc_id(t, 3), 1);
	cr_expect_eq(scx_topo_cpu_cluster_id(t, 0), -ENOENT);
	scx_topo_free(t);
	{
		SCX_OPTS(scx_topo_opts, o, .flatten_llc = true);

		t = scx_topo_builder_build(b, &o);
	}
	cr_assert_not_null(t);
	cr_expect_eq(scx_topo_nr_llcs(t), 1);
	cr_expect_eq(scx_topo_llc_nr_cores(t, 0), 9);
	scx_topo_free(t);
	scx_topo_builder_free(b);
}

Test(topology_builder, errors)
{
	struct scx_topo_builder *b = scx_topo_builder_new();

	cr_assert_not_null(b);
	cr_expect_null(scx_topo_builder_build(b, NULL));
	cr_expect_eq(errno, EINVAL);
	cr_expect_eq(scx_topo_builder_add_llc(b, -1, 1, 1, 1000), -EINVAL);
	cr_expect_eq(scx_topo_builder_add_llc(b, 1024, 1, 1, 1000), -EINVAL);
	cr_expect_eq(scx_topo_builder_add_llc(b, 0, 0, 1, 1000), -EINVAL);
	cr_expect_eq(scx_topo_builder_add_llc(b, 0, 1, 0, 1000), -EINVAL);
	cr_expect_eq(scx_topo_builder_add_llc(b, 0, 1, 17, 1000), -EINVAL);
	cr_expect_eq(scx_topo_builder_add_llc(b, 0, 1, 1, 0), -EINVAL);
	cr_expect_eq(errno, EINVAL);
	cr_expect_eq(scx_topo_builder_add_llc(NULL, 0, 1, 1, 1000), -EINVAL);
	cr_expect_eq(scx_topo_builder_add_node(b, 4096), -EINVAL);
	cr_expect_eq(scx_topo_builder_add_node(NULL, 0), -EINVAL);
	cr_assert_eq(scx_topo_builder_add_llc(b, 0, 1, 1, 1000), 0);
	{
		SCX_OPTS(scx_topo_opts, o, .vllc_min_cores = 3, .vllc_max_cores = 2);

		cr_expect_null(scx_topo_builder_build(b, &o));
		cr_expect_eq(errno, EINVAL);
	}
	cr_expect_null(scx_topo_builder_build(NULL, NULL));
	scx_topo_builder_free(b);
	scx_topo_builder_free(NULL);
}

/* scx_utils' TopologyArgs: "--virt-llc" and "--virt-llc=MIN-MAX". */
Test(topology_builder, virt_llc_arguments)
{
	static const char *const bad[] = {
		"--virt-llc=",	   "--virt-llc=4",   "--virt-llc=0-8", "--virt-llc=8-2",
		"--virt-llc=2-",   "--virt-llc=-8",  "--virt-llc=a-b", "--virt-llc=2-8-9",
		"--virt-llc=2 -8", "--virt-llc=+2-8", "--virt-llc=1-99999999999",
	};
	SCX_OPTS(scx_topo_opts, o, .flatten_llc = true);
	size_t i;

	cr_expect_eq(scx_topo_opts_parse_arg(&o, "--virt-llc"), 1);
	cr_expect_eq(o.vllc_min_cores, SCX_TOPO_VLLC_DEFAULT_MIN);
	cr_expect_eq(o.vllc_max_cores, SCX_TOPO_VLLC_DEFAULT_MAX);
	cr_expect(o.flatten_llc);
	cr_expect_eq(scx_topo_opts_parse_arg(&o, "--virt-llc=3-12"), 1);
	cr_expect_eq(o.vllc_min_cores, 3);
	cr_expect_eq(o.vllc_max_cores, 12);
	cr_expect_eq(scx_topo_opts_parse_arg(&o, "--virt-llc=4-4"), 1);
	cr_expect_eq(o.vllc_min_cores, 4);
	/* other arguments are the caller's */
	cr_expect_eq(scx_topo_opts_parse_arg(&o, "--virt-llcs"), 0);
	cr_expect_eq(scx_topo_opts_parse_arg(&o, "2-8"), 0);
	cr_expect_eq(scx_topo_opts_parse_arg(&o, "-v"), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		cr_expect_eq(scx_topo_opts_parse_arg(&o, bad[i]), -EINVAL, "%s", bad[i]);
		cr_expect_eq(errno, EINVAL);
		cr_expect_eq(o.vllc_min_cores, 4, "%s changed the options", bad[i]);
		cr_expect_eq(o.vllc_max_cores, 4, "%s changed the options", bad[i]);
	}
	cr_expect_eq(scx_topo_opts_parse_arg(NULL, "--virt-llc"), -EINVAL);
	cr_expect_eq(scx_topo_opts_parse_arg(&o, NULL), -EINVAL);
	/* a caller's struct from before the vllc fields */
	o.sz = sizeof(size_t) + sizeof(const char *);
	cr_expect_eq(scx_topo_opts_parse_arg(&o, "--virt-llc"), -EINVAL);
}

/* The parsed options split the builder's LLCs. */
Test(topology_builder, virt_llc_argument_splits_llcs)
{
	struct scx_topo_builder *b = scx_topo_builder_new();
	SCX_OPTS(scx_topo_opts, o);
	struct scx_topo *t;

	cr_assert_eq(scx_topo_builder_add_llc(b, 0, 20, 2, 3000000), 0);
	cr_assert_eq(scx_topo_opts_parse_arg(&o, "--virt-llc=2-5"), 1);
	/* as scx_utils cuts them: parts of 2, the smallest size dividing 20 */
	cr_expect_eq(o.vllc_rule, SCX_TOPO_VLLC_EVEN);
	t = scx_topo_builder_build(b, &o);
	cr_assert_not_null(t);
	cr_expect_eq(scx_topo_nr_llcs(t), 10);
	cr_expect_eq(scx_topo_llc_nr_cores(t, 9), 2);
	scx_topo_free(t);
	scx_topo_builder_free(b);
}

static struct scx_topo *build_vllc(const struct scx_topo_builder *b, unsigned int min,
				   unsigned int max, enum scx_topo_vllc_rule rule)
{
	SCX_OPTS(scx_topo_opts, o, .vllc_min_cores = min, .vllc_max_cores = max, .vllc_rule = rule);
	struct scx_topo *t = scx_topo_builder_build(b, &o);

	cr_assert_not_null(t);
	return t;
}

/*
 * 16 cores with 2 to 8 per virtual LLC: libscx's rule makes the fewest parts (2 of 8),
 * scx_utils' the smallest even size (8 of 2).
 */
Test(topology_builder, virtual_llc_rules)
{
	struct scx_topo_builder *b = scx_topo_builder_new();
	struct scx_topo *t;
	int l;

	cr_assert_eq(scx_topo_builder_add_llc(b, 0, 16, 2, 3000000), 0);
	cr_assert_eq(scx_topo_builder_add_llc(b, 0, 7, 1, 3000000), 0);	/* CPUs 32-38 */
	cr_assert_eq(scx_topo_builder_add_llc(b, 0, 2, 1, 3000000), 0);	/* CPUs 39-40 */
	t = build_vllc(b, 2, 8, SCX_TOPO_VLLC_FEWEST);
	/* 16 -> 8 + 8; 7 and 2 stay whole */
	cr_assert_eq(scx_topo_nr_llcs(t), 4);
	cr_expect_eq(scx_topo_llc_nr_cores(t, 0), 8);
	cr_expect_eq(scx_topo_llc_nr_cores(t, 2), 7);
	scx_topo_free(t);
	t = build_vllc(b, 2, 8, SCX_TOPO_VLLC_EVEN);
	/* 16 -> 8 x 2; 7 -> one part (7 is the smallest size of 2..8 dividing it); 2 whole */
	cr_assert_eq(scx_topo_nr_llcs(t), 8 + 1 + 1);
	for (l = 0; l < 8; l++)
		cr_expect_eq(scx_topo_llc_nr_cores(t, l), 2, "vllc %d", l);
	cr_expect_eq(scx_topo_llc_nr_cores(t, 8), 7);
	cr_expect_eq(scx_topo_llc_nr_cores(t, 9), 2);
	scx_topo_free(t);
	/* 7 cores, 2 to 3: no even size; 2 leaves the smallest remainder, which joins the last */
	t = build_vllc(b, 2, 3, SCX_TOPO_VLLC_EVEN);
	cr_assert_eq(scx_topo_nr_llcs(t), 8 + 3 + 1);
	cr_expect_str_eq(list(scx_topo_llc_span(t, 8)), "32-33");
	cr_expect_str_eq(list(scx_topo_llc_span(t, 9)), "34-35");
	cr_expect_str_eq(list(scx_topo_llc_span(t, 10)), "36-38");
	/* an LLC of at most vllc_min_cores cores is one part */
	cr_expect_str_eq(list(scx_topo_llc_span(t, 11)), "39-40");
	scx_topo_free(t);
	{
		SCX_OPTS(scx_topo_opts, o, .vllc_max_cores = 8, .vllc_rule = 2);

		cr_expect_null(scx_topo_builder_build(b, &o));
		cr_expect_eq(errno, EINVAL);
	}
	scx_topo_builder_free(b);
}

/* flatten_nodes: one node 0, as scx_utils' flattened topology (with flatten_llc). */
Test(topology_builder, flattened_nodes)
{
	struct scx_topo_builder *b = scx_topo_builder_new();
	struct scx_topo *t;

	cr_assert_eq(scx_topo_builder_add_llc(b, 0, 2, 2, 3000000), 0);
	cr_assert_eq(scx_topo_builder_add_llc(b, 0, 2, 2, 3000000), 0);
	cr_assert_eq(scx_topo_builder_add_llc(b, 3, 2, 2, 3000000), 0);
	{
		SCX_OPTS(scx_topo_opts, o, .flatten_llc = true, .flatten_nodes = true);

		t = scx_topo_builder_build(b, &o);
	}
	cr_assert_not_null(t);
	cr_expect_eq(scx_topo_nr_nodes(t), 1);
	cr_expect_eq(scx_topo_node_id(t, 0), 0);
	cr_expect_str_eq(list(scx_topo_node_span(t, 0)), "0-11");
	cr_expect_eq(scx_topo_node_distance(t, 0, 0), 10);
	cr_expect_eq(scx_topo_cpu_node(t, 11), 0);
	/* still one LLC per package */
	cr_expect_eq(scx_topo_nr_llcs(t), 2);
	cr_expect_eq(scx_topo_llc_node(t, 1), 0);
	cr_expect_eq(scx_topo_nr_packages(t), 2);
	scx_topo_free(t);
	scx_topo_builder_free(b);
}

/* A mask of @topo's width holding the CPUs of @list. */
static struct scx_cpumask *mask_of(const struct scx_topo *topo, const char *list)
{
	struct scx_cpumask *m = scx_cpumask_new((unsigned int)scx_topo_nr_cpu_ids(topo));

	cr_assert_not_null(m);
	cr_assert_eq(scx_cpumask_parse_list(m, list), 0);
	return m;
}

Test(topology_builder, cpumask_nr_cores_counts_cores_touched)
{
	struct scx_topo_builder *b = scx_topo_builder_new();
	struct scx_cpumask *m, *narrow;
	struct scx_topo *t;

	cr_assert_not_null(b);
	cr_assert_eq(scx_topo_builder_add_llc(b, 0, 3, 2, 3000000), 0);	/* cores 0-2: 0-5 */
	cr_assert_eq(scx_topo_builder_add_llc(b, 1, 3, 2, 3000000), 0);	/* cores 3-5: 6-11 */
	t = scx_topo_builder_build(b, NULL);
	cr_assert_not_null(t);
	/* both threads of core 0 count once; 2 is core 1, 7 core 3 */
	m = mask_of(t, "0-2,7");
	cr_expect_eq(scx_topo_cpumask_nr_cores(t, m), 3);
	cr_assert_eq(scx_cpumask_zero(m), 0);
	cr_expect_eq(scx_topo_cpumask_nr_cores(t, m), 0);
	cr_assert_eq(scx_cpumask_fill(m), 0);
	cr_expect_eq(scx_topo_cpumask_nr_cores(t, m), 6);
	narrow = scx_cpumask_new(8);
	cr_expect_eq(scx_topo_cpumask_nr_cores(t, narrow), -EINVAL);
	cr_expect_eq(errno, EINVAL);
	cr_expect_eq(scx_topo_cpumask_nr_cores(NULL, m), -EINVAL);
	cr_expect_eq(scx_topo_cpumask_nr_cores(t, NULL), -EINVAL);
	scx_cpumask_free(narrow);
	scx_cpumask_free(m);
	scx_topo_free(t);
	scx_topo_builder_free(b);
}

#define NONE "\u2591"
#define FIRST "\u2580"
#define SECOND "\u2584"
#define ALL "\u2588"

/*
 * Node 0: an LLC of 9 two-thread cores (0-17) and one of 3 (18-23); node 2: an LLC of 2
 * four-thread cores (24-31); node 5 has no CPU.
 */
static struct scx_topo *grid_topo(void)
{
	struct scx_topo_builder *b = scx_topo_builder_new();
	struct scx_topo *t;

	cr_assert_not_null(b);
	cr_assert_eq(scx_topo_builder_add_llc(b, 0, 9, 2, 3000000), 0);
	cr_assert_eq(scx_topo_builder_add_llc(b, 0, 3, 2, 3000000), 0);
	cr_assert_eq(scx_topo_builder_add_llc(b, 2, 2, 4, 3000000), 0);
	cr_assert_eq(scx_topo_builder_add_node(b, 5), 0);
	t = scx_topo_builder_build(b, NULL);
	cr_assert_not_null(t);
	scx_topo_builder_free(b);
	return t;
}

Test(topology_builder, cpumask_grid_draws_threads_groups_and_llcs)
{
	struct scx_topo *t = grid_topo();
	struct scx_cpumask *m = mask_of(t, "0,3-5,18-19,24-25,28-31");
	const char *want = "> N0 L00: " FIRST SECOND ALL NONE NONE " " NONE NONE NONE NONE "|"
			   ALL NONE NONE "\n"
			   "> N2 L02: " SECOND ALL "\n";
	char out[512];

	cr_expect_eq(scx_topo_format_cpumask_grid(t, m, "> ", 80, out, sizeof(out)),
		     (int)strlen(want));
	cr_expect_str_eq(out, want);
	/* the length alone, and a cut text that stays terminated */
	cr_expect_eq(scx_topo_format_cpumask_grid(t, m, "> ", 80, NULL, 0), (int)strlen(want));
	cr_expect_eq(scx_topo_format_cpumask_grid(t, m, "> ", 80, out, 5), (int)strlen(want));
	cr_expect_str_eq(out, "> N0");
	scx_cpumask_free(m);
	scx_topo_free(t);
}

Test(topology_builder, cpumask_grid_wraps_at_llc_boundaries)
{
	struct scx_topo *t = grid_topo();
	struct scx_cpumask *m = mask_of(t, "");
	const char *node2 = "N2 L02: " NONE NONE "\n";
	char out[512], want[512];

	/* "N0 L00: " and 10 cores are 18 characters; the second LLC needs 4 more */
	snprintf(want, sizeof(want), "N0 L00: %s|%s\n%s", NONE NONE NONE NONE NONE " " NONE NONE
		 NONE NONE, NONE NONE NONE, node2);
	cr_expect_gt(scx_topo_format_cpumask_grid(t, m, NULL, 22, out, sizeof(out)), 0);
	cr_expect_str_eq(out, want);
	snprintf(want, sizeof(want), "N0 L00: %s\n        %s\n%s", NONE NONE NONE NONE NONE " "
		 NONE NONE NONE NONE, NONE NONE NONE, node2);
	cr_expect_gt(scx_topo_format_cpumask_grid(t, m, "", 21, out, sizeof(out)), 0);
	cr_expect_str_eq(out, want);
	/* the indent counts in characters, and starts the continuation line too */
	snprintf(want, sizeof(want), ALL "N0 L00: %s\n" ALL "        %s\n" ALL "%s",
		 NONE NONE NONE NONE NONE " " NONE NONE NONE NONE, NONE NONE NONE, node2);
	cr_expect_gt(scx_topo_format_cpumask_grid(t, m, ALL, 22, out, sizeof(out)), 0);
	cr_expect_str_eq(out, want);
	scx_cpumask_free(m);
	scx_topo_free(t);
}

Test(topology_builder, cpumask_grid_groups_of_at_most_eight)
{
	struct scx_topo_builder *b = scx_topo_builder_new();
	struct scx_cpumask *m;
	struct scx_topo *t;
	char out[512];

	cr_assert_not_null(b);
	/* 17 cores: groups of 6, 6 and 5; 16: two of 8 */
	cr_assert_eq(scx_topo_builder_add_llc(b, 0, 17, 1, 3000000), 0);
	cr_assert_eq(scx_topo_builder_add_llc(b, 0, 16, 1, 3000000), 0);
	t = scx_topo_builder_build(b, NULL);
	cr_assert_not_null(t);
	m = mask_of(t, "0-5,17");
	cr_expect_gt(scx_topo_format_cpumask_grid(t, m, NULL, 200, out, sizeof(out)), 0);
	cr_expect_str_eq(out, "N0 L00: " ALL ALL ALL ALL ALL ALL " " NONE NONE NONE NONE NONE NONE
			      " " NONE NONE NONE NONE NONE "|" ALL NONE NONE NONE NONE NONE NONE
			      NONE " " NONE NONE NONE NONE NONE NONE NONE NONE "\n");
	scx_cpumask_free(m);
	scx_topo_free(t);
	scx_topo_builder_free(b);
}

Test(topology_builder, cpumask_grid_errors)
{
	struct scx_topo *t = grid_topo();
	struct scx_cpumask *m = mask_of(t, "0"), *narrow = scx_cpumask_new(4);
	char out[16];

	cr_expect_eq(scx_topo_format_cpumask_grid(NULL, m, NULL, 80, out, sizeof(out)), -EINVAL);
	cr_expect_eq(scx_topo_format_cpumask_grid(t, NULL, NULL, 80, out, sizeof(out)), -EINVAL);
	cr_expect_eq(scx_topo_format_cpumask_grid(t, narrow, NULL, 80, out, sizeof(out)), -EINVAL);
	cr_expect_eq(scx_topo_format_cpumask_grid(t, m, NULL, 80, NULL, 4), -EINVAL);
	cr_expect_eq(errno, EINVAL);
	scx_cpumask_free(narrow);
	scx_cpumask_free(m);
	scx_topo_free(t);
}
