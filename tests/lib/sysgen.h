/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * Test helper: write a /sys CPU topology tree of a given shape (nodes x LLCs x cores x threads,
 * with offline CPUs, sparse ids, CPU-less nodes, missing caches or cpufreq, hybrid cores...)
 * and record, per CPU, what a correct reader must find in it.
 */
#ifndef SCX_TEST_SYSGEN_H
#define SCX_TEST_SYSGEN_H

#include <stdbool.h>
#include <stdint.h>

#include "fstree.h"

enum sysgen_cache { SG_CACHE_L3 = 0, SG_CACHE_L2_ONLY, SG_CACHE_NONE };
/* Which capacity source differs between big and little cores (the others are uniform/absent). */
enum sysgen_src { SG_SRC_FREQ = 0, SG_SRC_HPERF, SG_SRC_CAPACITY, SG_SRC_PREFCORE };

enum sysgen_type { SG_LITTLE = 0, SG_BIG = 1, SG_TURBO = 2 };

struct sysgen_cpu {
	bool possible, online;
	int core_first;		/* lowest online CPU of its core (-1 offline) */
	int llc_first;		/* lowest online CPU of its LLC */
	int l2_first, l3_first;	/* -1 when the tree has no such cache */
	int pkg_first;
	int node_kid;		/* kernel node id */
	int core_kid, pkg_kid;
	int llc_kid;		/* the id file of its LLC's cache folder, -1 none */
	int cluster_kid;	/* its cluster_id, -1 none */
	int64_t llc_size;	/* bytes of its LLC cache, -1 none */
	int llc_weight;		/* online CPUs sharing the LLC cache */
	int min_freq, max_freq, base_freq, trans_lat; /* -1 none */
	int scaling_min, scaling_max;	/* the policy's limits, inside the hardware's; -1 none */
	int resume_lat;		/* -1 "n/a" or none */
	uint64_t src;		/* value of the differing capacity source */
	int type;		/* enum sysgen_type */
	int threads_online;	/* online threads in its core */
};

struct sysgen {
	/* shape: one package per node */
	int nodes, llcs_per_node, cores_per_llc, threads;
	int cpuless_nodes;	/* extra nodes without CPUs, numbered after the others */
	int node_id_stride;	/* kernel node id = index * stride (0: 1) */
	bool thread_major;	/* siblings nr_cores apart (x86 style), else consecutive */
	int id_gap;		/* impossible ids left after each package */
	const char *offline;	/* logical CPU numbers (before gaps) to write offline, cpulist */
	enum sysgen_cache cache;
	bool shuffle_index;	/* L3 in index2 and L2 in index3 */
	bool no_cpufreq;
	bool dup_core_ids;	/* core_id restarts in every LLC */
	bool no_node_dir;
	bool pmqos;
	bool hex_only;		/* masks only: no *_list, possible or online files (old kernels) */
	bool freq_per_core;	/* one cpufreq policy per core (else one per CPU) */
	bool uniform_freq;	/* every core at one max frequency (with SG_SRC_PREFCORE) */
	bool lean;		/* no L1, cluster, duplicate list files (big benchmark trees) */
	int little_per_llc;	/* the last N cores of each LLC are little */
	int turbo_per_llc;	/* the first N cores of each LLC boost higher */
	enum sysgen_src src;
	/* results */
	int nr_cpu_ids;
	struct sysgen_cpu *cpus;
	int nr_nodes_total;
	int *node_kids;		/* kernel id of node i, in increasing order */
};

/* Write the tree under @t; fills the results.  0 or -errno. */
int sysgen_write(struct fstree *t, struct sysgen *sg);
/* Release the results. */
void sysgen_fini(struct sysgen *sg);
/* Expected NUMA distance between node indices i and j. */
int sysgen_distance(int i, int j);

#endif
