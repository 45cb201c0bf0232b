// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/* Synthetic topologies: shapes, hybrid rules, virtual LLCs and errors. */
#include <criterion/criterion.h>
#include <errno.h>

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
	scx_topo_free(t);
	scx_topo_builder_free(b);
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
	for (l = 0; l < 3; l++)
		cr_expect_eq(scx_topo_cpu_l3(t, 2 * l), 0);
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
