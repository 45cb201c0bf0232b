/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * Topology internals shared by the loader (topology_load.c), the synthetic builder
 * (topology_synth.c), the derivation of indices, capacities and types (topology_derive.c) and the
 * accessors (topology.c).  Not installed.
 *
 * A source (sysfs or the builder) fills one struct topo_raw per possible CPU with "keys": the
 * lowest online CPU id of the group the CPU belongs to (its core, its L2, ...), or -1.  The
 * derivation turns keys into dense indices and spans.
 */
#ifndef SCX_TOPOLOGY_INTERNAL_H
#define SCX_TOPOLOGY_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <scx/cpumask.h>
#include <scx/topology.h>

/* Capacity sources, in the order they are preferred. */
enum topo_cap_src {
	TOPO_SRC_PREFCORE,	/* amd_pstate_prefcore_ranking */
	TOPO_SRC_HIGHEST_PERF,	/* acpi_cppc/highest_perf */
	TOPO_SRC_CPU_CAPACITY,	/* cpu_capacity (arm64, riscv) */
	TOPO_SRC_MAX_FREQ,	/* cpufreq cpuinfo_max_freq */
	TOPO_NR_SRC,
};

struct topo_raw {
	bool possible;
	bool online;
	int core_key;		/* lowest online CPU of the core */
	int l2_key, l3_key;	/* lowest online CPU of the cache instance */
	int pkg_key;
	int cluster_key;
	int node;		/* dense node index, or -1 */
	int core_kid;		/* kernel core_id, -1 unknown */
	int pkg_kid;		/* kernel physical_package_id, -1 unknown */
	int64_t l2_size, l3_size; /* bytes, -1 unknown */
	int min_freq, max_freq, base_freq; /* kHz, -1 unknown */
	int trans_lat;		/* ns, -1 unknown */
	int resume_lat;		/* us, -1 unknown */
	uint64_t src[TOPO_NR_SRC]; /* capacity source values, 0 unknown */
};

struct topo_group {
	struct scx_cpumask *span;
	int kid;		/* kernel id (core_id, package id, node id), -1 unknown */
	int parent_llc, parent_node, parent_pkg; /* for cores and LLCs */
	int type;		/* cores: enum scx_topo_core_type */
	int nr_cores;		/* LLCs */
	int64_t cache_size;	/* LLCs: bytes, -1 unknown */
};

struct topo_cpu {
	int core, llc, node, pkg, cluster, l2, l3; /* dense indices, -1 none */
	int64_t cache_share;
	int min_freq, max_freq, base_freq, trans_lat, resume_lat;
	int capacity;
	int type;
	int smt_level;
};

struct scx_topo {
	int nr_cpu_ids;
	struct scx_cpumask *possible, *online;
	struct scx_cpumask *primary[4];
	struct topo_cpu *cpus;
	struct topo_group *cores, *llcs, *nodes, *pkgs;
	int nr_cores, nr_llcs, nr_nodes, nr_pkgs, nr_clusters;
	int *distance;		/* nr_nodes x nr_nodes, -1 unknown */
	bool smt, hybrid;
	unsigned long nr_files;
};

/* What a source hands to topo_derive(). */
struct topo_input {
	int nr_cpu_ids;
	struct topo_raw *raw;	/* nr_cpu_ids entries */
	int nr_nodes;
	int *node_ids;		/* kernel id of each dense node */
	int *distance;		/* nr_nodes x nr_nodes, -1 unknown; may be NULL */
	unsigned int vllc_min, vllc_max;
	bool flatten;
};

/* Make a topology from @in (which keeps ownership of its arrays).  NULL + errno on failure. */
struct scx_topo *topo_derive(const struct topo_input *in);
/* Validate the options shared by the loader and the builder.  0 or -EINVAL. */
int topo_opts_get(const struct scx_topo_opts *opts, struct topo_input *in);
/* Fill @r with "unknown" everywhere. */
void topo_raw_init(struct topo_raw *r);

#endif /* SCX_TOPOLOGY_INTERNAL_H */
