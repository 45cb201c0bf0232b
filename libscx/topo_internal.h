/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * Topology internals shared by the loader (topo_load.c), the synthetic builder
 * (topo_synth.c), the derivation of indices, capacities and types (topo_derive.c) and the
 * accessors (topo.c).  Not installed.
 *
 * A source (sysfs or the builder) fills one struct topo_raw per possible CPU with "keys": the
 * lowest online CPU id of the group the CPU belongs to (its core, its L2, ...), or -1.  The
 * derivation turns keys into dense indices and spans.
 *
 * A loaded topology is made in steps.  scx_topo_load() reads and derives the structure (online
 * CPUs, cores, packages, LLCs, nodes, cache sizes).  The details come in three parts (enum
 * topo_part), each read and derived the first time an accessor needs it, under details_lock,
 * and published as a bit of details_ready (release store, acquire load).  The parts are read by
 * the topology's backend: functions its source (the sysfs loader) hands over with its state
 * (sysfs descriptors, per-CPU facts, buffers), so that the accessors, the derivation and the
 * builder never name the loader.  A topology made whole (the builder) has no backend.
 */
#ifndef SCX_TOPOLOGY_INTERNAL_H
#define SCX_TOPOLOGY_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <scx/cpumask.h>
#include <scx/topo.h>

/* Capacity sources, in the order they are preferred. */
enum topo_cap_src {
	TOPO_SRC_PREFCORE,	/* amd_pstate_prefcore_ranking */
	TOPO_SRC_HIGHEST_PERF,	/* acpi_cppc/highest_perf */
	TOPO_SRC_CPU_CAPACITY,	/* cpu_capacity (arm64, riscv) */
	TOPO_SRC_MAX_FREQ,	/* cpufreq cpuinfo_max_freq */
	TOPO_NR_SRC,
};

/* Kinds of enum scx_topo_cache. */
#define TOPO_NR_CACHES (SCX_TOPO_CACHE_L3 + 1)

struct topo_raw {
	bool possible;
	bool online;
	bool no_topology;	/* the loader found no topology folder for this CPU */
	int core_key;		/* lowest online CPU of the core */
	int freq_key;		/* CPU whose cpufreq policy files were read (loader), or -1 */
	int l2_key, l3_key;	/* lowest online CPU of the cache instance */
	int pkg_key;
	int cluster_key;
	int node;		/* dense node index, or -1 */
	int core_kid;		/* kernel core_id, -1 unknown */
	int pkg_kid;		/* kernel physical_package_id, -1 unknown */
	int llc_kid;		/* kernel id of the LLC's cache (its folder's "id"), -1 unknown */
	int llc_index;		/* loader: indexN folder of the LLC read for this CPU, -1 none */
	int cluster_kid;	/* kernel cluster_id, -1 unknown */
	int64_t l2_size, l3_size; /* bytes, -1 unknown */
	int64_t level_size[TOPO_NR_CACHES]; /* enum scx_topo_cache: bytes, -1 unknown */
	int64_t size_sum;	/* scx_utils' per-CPU sum over all caches, -1 no cache folder */
	uint16_t caches_done;	/* bit N: cache/indexN counted (loader) */
	int min_freq, max_freq, base_freq; /* kHz, -1 unknown */
	int scaling_min, scaling_max;	/* kHz, the cpufreq policy's limits, -1 unknown */
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
	int first;		/* lowest CPU of the span, -1 while empty */
	int weight;		/* CPUs in the span */
	uint64_t cap_value, perf_value; /* cores: best capacity and performance source values */
};

struct topo_cpu {
	int core, llc, node, pkg, cluster, l2, l3; /* dense indices, -1 none */
	int cluster_kid;	/* kernel cluster_id, -1 unknown */
	int64_t cache_share;
	int64_t level_size[TOPO_NR_CACHES], size_sum;
	int min_freq, max_freq, base_freq, trans_lat, resume_lat;
	int scaling_min, scaling_max;
	int capacity;
	int type;
	int smt_level;
};

/* Power modes of scx_topo_primary(), one primary mask each. */
#define TOPO_NR_POWER_MODES (SCX_TOPO_POWER_TURBO + 1)

/* The parts of the details of a loaded topology, each read on first use (bits). */
enum topo_part {
	/* max frequency and capacity sources: capacities, core types, hybrid, primary masks */
	TOPO_PART_CAPACITY = 1,
	/* kernel core, LLC and cluster ids, clusters, L2s (where an L3 is the LLC), min, base and policy
	 * frequencies, transition and resume latencies */
	TOPO_PART_OTHER = 2,
	/* every cache folder's size and sharers: sizes per kind, scx_utils' sum */
	TOPO_PART_CACHES = 4,
	TOPO_PARTS = 7,
};

/* How many parts there are, and the slot of one in per-part arrays. */
#define TOPO_NR_PARTS 3
#define TOPO_PART_SLOT(part) ((part) == TOPO_PART_CAPACITY ? 0 : (part) == TOPO_PART_OTHER ? 1 : 2)

struct scx_topo;

/* A source's hooks for the details it has not read yet (see above). */
struct topo_backend_ops {
	/* Read and derive @part of the details of @t; called once per part, under details_lock. */
	void (*load_part)(struct scx_topo *t, enum topo_part part);
	/* Release the source's state, once every part is read or when @t is freed. */
	void (*release)(void *data);
};

struct scx_topo {
	int nr_cpu_ids;
	struct scx_cpumask *possible, *online;
	struct scx_cpumask *primary[TOPO_NR_POWER_MODES];
	struct topo_cpu *cpus;
	struct topo_group *cores, *llcs, *nodes, *pkgs;
	int nr_cores, nr_llcs, nr_nodes, nr_pkgs, nr_clusters;
	int *distance;		/* nr_nodes x nr_nodes, -1 unknown */
	bool smt, hybrid;
	bool has_little;	/* some core is SCX_TOPO_CORE_LITTLE */
	bool flat_llc;		/* LLCs are packages (flatten_llc): no cache ids */
	unsigned long nr_files;		/* opened by the structure step */
	/* the details (see above) */
	int details_ready;		/* atomic: enum topo_part bits of the parts filled in */
	pthread_mutex_t details_lock;
	unsigned long nr_part_files[TOPO_NR_PARTS]; /* opened per part (TOPO_PART_SLOT), valid once
						     * its bit is set */
	const struct topo_backend_ops *backend;	/* NULL: no details left to read */
	void *backend_data;			/* the backend's state */
};

/* What a source hands to topo_derive(). */
struct topo_input {
	int nr_cpu_ids;
	struct topo_raw *raw;	/* nr_cpu_ids entries */
	int nr_nodes;
	int *node_ids;		/* kernel id of each dense node */
	int *distance;		/* nr_nodes x nr_nodes, -1 unknown; may be NULL */
	unsigned int vllc_min, vllc_max;
	enum scx_topo_vllc_rule vllc_rule;
	bool flatten, flatten_nodes;
	/* the capacity facts are complete: derive the capacity part with the structure (virtual
	 * LLCs keep core types apart, so splitting needs them) */
	bool capacity_known;
};

/*
 * Make a topology from @in (which keeps ownership of its arrays).  With @details the details
 * are derived too (all of @in is known); without, the topology waits for topo_derive_part().
 * NULL + errno on failure.
 */
struct scx_topo *topo_derive(const struct topo_input *in, bool details);
/* Ints of scratch per CPU id that topo_derive_part() needs. */
#define TOPO_SCRATCH_PER_CPU 3

/*
 * Derive @part of the details of @t from @in (whose raw facts for it are now complete), with
 * @scratch holding TOPO_SCRATCH_PER_CPU * nr_cpu_ids ints.  Cannot fail; does not allocate.
 */
void topo_derive_part(const struct topo_input *in, struct scx_topo *t, enum topo_part part,
		      int *scratch);
/* Make sure @part of the details of @t is there (any thread, any number of times). */
void topo_details(const struct scx_topo *t, enum topo_part part);
/* Validate the options shared by the loader and the builder.  0 or -EINVAL. */
int topo_opts_get(const struct scx_topo_opts *opts, struct topo_input *in);
/* Fill @r with "unknown" everywhere. */
void topo_raw_init(struct topo_raw *r);

#endif /* SCX_TOPOLOGY_INTERNAL_H */
