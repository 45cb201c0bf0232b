// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Synthetic topologies for schedulers' unit tests: nodes x LLCs x cores x threads, with
 * per-LLC core frequencies so hybrid machines can be described.  The result goes through the
 * same derivation as a loaded topology.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <scx/topo.h>

#include "internal.h"
#include "topo_internal.h"

#define MAX_NODE_ID 1023
#define MAX_CORES_PER_LLC 4096
#define MAX_THREADS 16

struct llc_spec {
	int node;
	unsigned int nr_cores, threads, freq;
};

struct scx_topo_builder {
	struct llc_spec *llcs;
	size_t nr_llcs, cap_llcs;
	bool node_used[MAX_NODE_ID + 1];
	unsigned long nr_cpus;
};

struct scx_topo_builder *scx_topo_builder_new(void)
{
	struct scx_topo_builder *b = calloc(1, sizeof(*b));

	return b ? b : scx_err_ptr(-ENOMEM);
}

void scx_topo_builder_free(struct scx_topo_builder *b)
{
	if (!b)
		return;
	free(b->llcs);
	free(b);
}

int scx_topo_builder_add_node(struct scx_topo_builder *b, int node)
{
	if (!b || node < 0 || node > MAX_NODE_ID)
		return scx_errno(-EINVAL);
	b->node_used[node] = true;
	return 0;
}

int scx_topo_builder_add_llc(struct scx_topo_builder *b, int node, unsigned int nr_cores,
			     unsigned int threads, unsigned int max_freq_khz)
{
	unsigned long cpus;

	if (!b || node < 0 || node > MAX_NODE_ID || !nr_cores || nr_cores > MAX_CORES_PER_LLC ||
	    !threads || threads > MAX_THREADS || !max_freq_khz || max_freq_khz > INT32_MAX)
		return scx_errno(-EINVAL);
	cpus = (unsigned long)nr_cores * threads;
	if (b->nr_cpus + cpus > SCX_CPUMASK_MAX_WIDTH)
		return scx_errno(-EINVAL);
	if (b->nr_llcs == b->cap_llcs) {
		size_t cap = b->cap_llcs ? b->cap_llcs * 2 : 8;
		struct llc_spec *n = realloc(b->llcs, cap * sizeof(*n));

		if (!n)
			return scx_errno(-ENOMEM);
		b->llcs = n;
		b->cap_llcs = cap;
	}
	b->llcs[b->nr_llcs++] = (struct llc_spec){ node, nr_cores, threads, max_freq_khz };
	b->node_used[node] = true;
	b->nr_cpus += cpus;
	return 0;
}

struct scx_topo *scx_topo_builder_build(const struct scx_topo_builder *b,
					const struct scx_topo_opts *opts)
{
	int dense[MAX_NODE_ID + 1], node_ids[MAX_NODE_ID + 1], node_first[MAX_NODE_ID + 1];
	int node_cores[MAX_NODE_ID + 1];
	struct topo_input in = { 0 };
	struct scx_topo *t = NULL;
	int nr_nodes = 0, cpu = 0, i, j, err;
	size_t l;

	if (!b || !b->nr_cpus)
		return scx_err_ptr(-EINVAL);
	err = SCX_OPTS_VALID(opts, scx_topo_opts);
	if (!err)
		err = topo_opts_get(opts, &in);
	if (err)
		return scx_err_ptr(err);
	for (i = 0; i <= MAX_NODE_ID; i++) {
		dense[i] = -1;
		node_first[i] = -1;
		node_cores[i] = 0;
		if (b->node_used[i]) {
			dense[i] = nr_nodes;
			node_ids[nr_nodes++] = i;
		}
	}
	in.nr_cpu_ids = (int)b->nr_cpus;
	in.nr_nodes = nr_nodes;
	in.node_ids = node_ids;
	in.raw = malloc(sizeof(*in.raw) * b->nr_cpus);
	in.distance = malloc(sizeof(int) * (size_t)(nr_nodes * nr_nodes));
	if (!in.raw || !in.distance) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < nr_nodes; i++)
		for (j = 0; j < nr_nodes; j++)
			in.distance[i * nr_nodes + j] = i == j ? 10 : 20;
	for (l = 0; l < b->nr_llcs; l++) {
		const struct llc_spec *s = &b->llcs[l];
		int llc_first = cpu;
		unsigned int c, th;

		if (node_first[s->node] < 0)
			node_first[s->node] = cpu;
		for (c = 0; c < s->nr_cores; c++) {
			int core_first = cpu;

			for (th = 0; th < s->threads; th++, cpu++) {
				struct topo_raw *r = &in.raw[cpu];

				topo_raw_init(r);
				r->possible = r->online = true;
				r->core_key = core_first;
				r->core_kid = node_cores[s->node];
				r->l2_key = core_first;
				r->l3_key = llc_first;
				r->pkg_key = node_first[s->node];
				r->pkg_kid = s->node;
				r->llc_kid = (int)l;
				r->node = dense[s->node];
				r->max_freq = (int)s->freq;
				r->src[TOPO_SRC_MAX_FREQ] = s->freq;
			}
			node_cores[s->node]++;
		}
	}
	t = topo_derive(&in, true);
	err = t ? 0 : -errno;
out:
	free(in.raw);
	free(in.distance);
	return err ? scx_err_ptr(err) : t;
}
