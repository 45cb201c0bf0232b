/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * libscx topology: the machine's CPUs as a scheduler needs them -- NUMA nodes, last-level caches
 * (LLCs), cores and their hardware threads, packages, clusters, L2/L3 caches, frequencies,
 * capacity, core types (little, big, big-turbo), SMT, NUMA distances, primary CPUs per power mode
 * and optionally split ("virtual") or flattened LLCs.
 *
 * A struct scx_topo does not change once scx_topo_load() or scx_topo_builder_build() returns it,
 * so any number of threads may read it at once.  scx_topo_load() reads the structure (online
 * CPUs, cores, LLCs, packages, nodes, distances, cache sizes) and leaves the details, in three
 * parts, to the first call that needs each: the capacity part (maximum frequencies, capacities,
 * core types, scx_topo_hybrid(), scx_topo_primary()), the caches part (every cache folder, for
 * scx_topo_cpu_cache_level_size() and scx_topo_cpu_cache_size_sum()) and the rest (kernel core,
 * LLC and cluster ids, clusters, L2 indices where an L3 is the LLC, minimum, base and
 * policy frequencies, latencies).  That first call reads its part from sysfs as it is then,
 * once, under a mutex of the handle (threads asking at the same time wait for it; afterwards no
 * call locks); until every part is read the handle keeps close-on-exec descriptors of the sysfs
 * root and of its CPU folder.  Details that can no longer be read (CPUs unplugged or the
 * captured tree removed since the load) are unknown: -ENOENT, or capacity 1024 and big cores
 * when no capacity source is left.
 *
 * Indices.  libscx numbers cores, LLCs, packages and clusters densely from 0, in increasing order
 * of the lowest online CPU id each contains (core 0 holds the lowest online CPU, and so on).  NUMA
 * nodes are numbered densely in increasing order of the kernel's node id, CPU-less nodes
 * included; scx_topo_node_id() gives the kernel's id back.  CPU ids are the kernel's own (they
 * may be sparse: possible CPUs 0-3,8-11).  Every span holds online CPUs only; offline CPUs
 * belong to the possible mask and, when the kernel says so, to a node, and to nothing else.
 *
 * Errors.  Functions returning int give >= 0 or -errno and set errno: -EINVAL for a NULL topology
 * or an index/CPU id out of range, -ENOENT when the value is not known (an offline CPU's core, a
 * machine without cpufreq, a CPU without a cluster).  scx_topo_load(3) describes the rules.
 */
#ifndef SCX_TOPO_H
#define SCX_TOPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <scx/base.h>
#include <scx/cpumask.h>

SCX_BEGIN_DECLS

/** A loaded (or built) CPU topology. */
struct scx_topo;

/** How virtual LLCs are cut (scx_topo_opts.vllc_rule). */
enum scx_topo_vllc_rule {
	/**
	 * libscx's: an LLC of more than vllc_max_cores cores becomes the fewest near-equal parts
	 * of at most vllc_max_cores (fewer while a part would hold less than vllc_min_cores);
	 * smaller LLCs stay whole.
	 */
	SCX_TOPO_VLLC_FEWEST = 0,
	/**
	 * scx_utils': every LLC is cut into parts of the smallest size in [vllc_min_cores,
	 * vllc_max_cores] that divides its cores evenly (else the size leaving the smallest
	 * remainder, which goes to the last part); an LLC of at most vllc_min_cores cores is one
	 * part.
	 */
	SCX_TOPO_VLLC_EVEN = 1,
};

/** Options for scx_topo_load(); fill with SCX_OPTS(scx_topo_opts, name, ...). */
struct scx_topo_opts {
	size_t sz;		   /**< sizeof(struct scx_topo_opts) */
	const char *sysfs_root;	   /**< root of a captured tree; NULL: $SCX_SYSFS_PREFIX, else / */
	unsigned int vllc_min_cores; /**< virtual LLCs: smallest part (0: 1) */
	unsigned int vllc_max_cores; /**< split LLCs with more cores than this (0: never) */
	bool flatten_llc;	   /**< one LLC per package, ignoring the caches */
	enum scx_topo_vllc_rule vllc_rule; /**< how LLCs are split (when vllc_max_cores is set) */
	bool flatten_nodes;	   /**< one NUMA node 0 of every CPU (scx_utils' flattened topology
				    *   is flatten_llc + flatten_nodes) */
	size_t :0;
};

/** Cores per virtual LLC that a bare "--virt-llc" asks for (scx_utils' default range). */
#define SCX_TOPO_VLLC_DEFAULT_MIN 2
#define SCX_TOPO_VLLC_DEFAULT_MAX 8

/** Core types, from the least to the most capable. */
enum scx_topo_core_type {
	SCX_TOPO_CORE_LITTLE = 0,	/**< efficiency core (capable < 1/1.3 of the best) */
	SCX_TOPO_CORE_BIG = 1,		/**< performance core */
	SCX_TOPO_CORE_TURBO = 2,	/**< big core of the highest capability tier */
};

/** Kinds of cache for scx_topo_cpu_cache_level_size(). */
enum scx_topo_cache {
	SCX_TOPO_CACHE_L1D = 0,		/**< level-1 data cache (or a unified level-1 cache) */
	SCX_TOPO_CACHE_L1I = 1,		/**< level-1 instruction cache */
	SCX_TOPO_CACHE_L2 = 2,		/**< level-2 cache */
	SCX_TOPO_CACHE_L3 = 3,		/**< level-3 cache */
};

/** Power modes for scx_topo_primary(). */
enum scx_topo_power_mode {
	SCX_TOPO_POWER_ANY = 0,		/**< every online CPU */
	SCX_TOPO_POWER_POWERSAVE = 1,	/**< little cores; every CPU when there are none */
	SCX_TOPO_POWER_PERFORMANCE = 2,	/**< big and turbo cores; every CPU when none */
	SCX_TOPO_POWER_TURBO = 3,	/**< turbo cores; else as PERFORMANCE */
};

/**
 * scx_topo_load() - read the CPU topology from sysfs.
 * @opts: options, or NULL for the defaults.
 *
 * Reads /sys/devices/system/cpu, /sys/devices/system/node and cpufreq under the root given in
 * @opts (else $SCX_SYSFS_PREFIX, else /).  Missing information is not an error: no cache
 * information makes the L2 the LLC, else the package; no cpufreq leaves frequencies unknown; no
 * NUMA folder makes one node 0.  The details (frequencies, capacities, core types, core ids,
 * clusters, caches) are read on first use, in three parts (see the top of this header); the handle
 * keeps the root open until then.
 *
 * Virtual LLCs (vllc_max_cores) never mix little cores with big ones, so with them the load
 * reads the capacity part of the details at once.
 *
 * Return: a topology to release with scx_topo_free(), or NULL with errno set: EINVAL (bad options
 * such as vllc_min_cores > vllc_max_cores or an unknown vllc_rule), ENOENT/ENOTDIR (the root does not exist), ENODEV (no
 * CPU found under the root), ENOMEM; EACCES, ELOOP, EMFILE, ENAMETOOLONG or ENFILE when a file
 * or folder of the tree cannot be opened (open(2)).
 */
SCX_API struct scx_topo *scx_topo_load(const struct scx_topo_opts *opts);

/**
 * scx_topo_opts_parse_arg() - read one command-line argument of scx_utils' TopologyArgs form.
 * @opts: the options to fill (declared with SCX_OPTS()); only fields the argument names change.
 * @arg: one argument as the command line has it: "--virt-llc" (cores per virtual LLC from
 *       SCX_TOPO_VLLC_DEFAULT_MIN to SCX_TOPO_VLLC_DEFAULT_MAX) or "--virt-llc=MIN-MAX"
 *       (decimal, 1 <= MIN <= MAX), which set vllc_min_cores and vllc_max_cores, and
 *       vllc_rule to SCX_TOPO_VLLC_EVEN, as scx_utils cuts such a scheduler's LLCs.
 *
 * A scheduler calls it for each argument of its own loop and handles those it returns 0 for.
 * The value must follow an '=', as with scx_utils ("--virt-llc 2-8" is the bare option followed
 * by another argument).  Unlike scx_utils, which ignores "--virt-llc=N", a value that is not a
 * range is an error.  @opts is unchanged unless the return is 1.
 *
 * Return: 1 when @arg is a topology argument (now in @opts), 0 when it is another argument, or
 * -EINVAL (NULL @opts or @arg, @opts older than its vllc fields, or a value that is no range of
 * at least one core).
 */
SCX_API int scx_topo_opts_parse_arg(struct scx_topo_opts *opts, const char *arg);

/**
 * scx_topo_free() - release a topology.
 * @topo: the topology; NULL is ignored.
 */
SCX_API void scx_topo_free(struct scx_topo *topo);

/**
 * scx_topo_nr_files_read() - how many files and folders the topology was read from.
 * @topo: a topology.
 *
 * Counts the opens of scx_topo_load() and, once a call has needed them, of the details (see the
 * top of this header).
 *
 * Return: the count (0 for a built topology or NULL).
 */
SCX_API unsigned long scx_topo_nr_files_read(const struct scx_topo *topo);

/**
 * scx_topo_nr_cpu_ids() - one more than the highest possible CPU id: the width of every mask.
 * @topo: a topology.
 * Return: the count, or -EINVAL for NULL.
 */
SCX_API int scx_topo_nr_cpu_ids(const struct scx_topo *topo);

/**
 * scx_topo_possible() - the possible CPUs.
 * @topo: a topology.
 * Return: the mask (owned by @topo), or NULL with errno EINVAL.
 */
SCX_API const struct scx_cpumask *scx_topo_possible(const struct scx_topo *topo);

/**
 * scx_topo_online() - the online CPUs.
 * @topo: a topology.
 * Return: the mask (owned by @topo), or NULL with errno EINVAL.
 */
SCX_API const struct scx_cpumask *scx_topo_online(const struct scx_topo *topo);

/** scx_topo_nr_cores() - number of cores.  Return: the count, or -EINVAL for NULL. */
SCX_API int scx_topo_nr_cores(const struct scx_topo *topo);
/** scx_topo_nr_llcs() - number of (virtual) LLCs.  Return: the count, or -EINVAL for NULL. */
SCX_API int scx_topo_nr_llcs(const struct scx_topo *topo);
/** scx_topo_nr_nodes() - number of NUMA nodes, CPU-less ones included.  Return: as above. */
SCX_API int scx_topo_nr_nodes(const struct scx_topo *topo);
/** scx_topo_nr_packages() - number of packages.  Return: the count, or -EINVAL for NULL. */
SCX_API int scx_topo_nr_packages(const struct scx_topo *topo);

/**
 * scx_topo_smt_enabled() - whether some core runs more than one online hardware thread.
 * @topo: a topology.
 * Return: true or false (false for NULL).
 */
SCX_API bool scx_topo_smt_enabled(const struct scx_topo *topo);

/**
 * scx_topo_hybrid() - whether the online cores are not all of one core type.
 * @topo: a topology.
 * Return: true or false (false for NULL).
 */
SCX_API bool scx_topo_hybrid(const struct scx_topo *topo);

/**
 * scx_topo_has_little_cores() - whether some online core is little (SCX_TOPO_CORE_LITTLE).
 * @topo: a topology.
 *
 * scx_utils' Topology::has_little_cores().  Unlike scx_topo_hybrid(), a machine of big and
 * turbo cores only (one core type boosting higher) has none.
 *
 * Return: true or false (false for NULL).
 */
SCX_API bool scx_topo_has_little_cores(const struct scx_topo *topo);

/**
 * scx_topo_primary() - the CPUs to prefer in a power mode.
 * @topo: a topology.
 * @mode: one of enum scx_topo_power_mode.
 * Return: the mask (owned by @topo; never empty on a machine with online CPUs), or NULL with errno
 * EINVAL (NULL @topo or unknown @mode).
 */
SCX_API const struct scx_cpumask *scx_topo_primary(const struct scx_topo *topo,
						   enum scx_topo_power_mode mode);

/*
 * Per CPU.  @cpu is a kernel CPU id below scx_topo_nr_cpu_ids(); a CPU id that is not possible
 * gives -ENOENT (false for the bool accessors).
 */

/** scx_topo_cpu_online() - whether @cpu is online.  Return: true or false. */
SCX_API bool scx_topo_cpu_online(const struct scx_topo *topo, int cpu);
/** scx_topo_cpu_core() - @cpu's core index.  Return: it, -EINVAL, or -ENOENT (offline). */
SCX_API int scx_topo_cpu_core(const struct scx_topo *topo, int cpu);
/** scx_topo_cpu_llc() - @cpu's (virtual) LLC index.  Return: as scx_topo_cpu_core(). */
SCX_API int scx_topo_cpu_llc(const struct scx_topo *topo, int cpu);
/** scx_topo_cpu_node() - @cpu's node index.  Return: it, -EINVAL or -ENOENT. */
SCX_API int scx_topo_cpu_node(const struct scx_topo *topo, int cpu);
/** scx_topo_cpu_package() - @cpu's package index.  Return: as scx_topo_cpu_core(). */
SCX_API int scx_topo_cpu_package(const struct scx_topo *topo, int cpu);
/** scx_topo_cpu_cluster() - @cpu's cluster index.  Return: it, -EINVAL or -ENOENT (none). */
SCX_API int scx_topo_cpu_cluster(const struct scx_topo *topo, int cpu);
/**
 * scx_topo_cpu_cluster_id() - the kernel's cluster_id of @cpu (scx_utils' Core::cluster_id and
 * Cpu::cluster_id), not dense and not unique across packages.
 * Return: it, -EINVAL, or -ENOENT (offline, no cluster, or the kernel's -1).
 */
SCX_API int scx_topo_cpu_cluster_id(const struct scx_topo *topo, int cpu);
/** scx_topo_cpu_l2() - index of @cpu's L2 cache instance.  Return: it, -EINVAL or -ENOENT. */
SCX_API int scx_topo_cpu_l2(const struct scx_topo *topo, int cpu);
/** scx_topo_cpu_l3() - index of @cpu's L3 cache instance.  Return: it, -EINVAL or -ENOENT. */
SCX_API int scx_topo_cpu_l3(const struct scx_topo *topo, int cpu);
/**
 * scx_topo_cpu_cache_size() - @cpu's share of its LLC's cache: the cache's size in bytes
 * divided by the number of online CPUs sharing it.
 * Return: bytes, -EINVAL, or -ENOENT (offline, or no cache size known).
 */
SCX_API int64_t scx_topo_cpu_cache_size(const struct scx_topo *topo, int cpu);
/**
 * scx_topo_cpu_cache_level_size() - size in bytes of the whole cache of kind @cache (enum
 * scx_topo_cache) that @cpu uses, shared or not.
 * Return: bytes, -EINVAL (also for an unknown @cache), or -ENOENT (offline, no such cache, or
 * no size given).
 */
SCX_API int64_t scx_topo_cpu_cache_level_size(const struct scx_topo *topo, int cpu,
					      enum scx_topo_cache cache);
/**
 * scx_topo_cpu_cache_size_sum() - scx_utils' Cpu::cache_size: over every cache folder of @cpu
 * (each level and type), its size divided by the number of CPUs its shared_cpu_list names,
 * summed; a folder without a size counts 1024 bytes, as scx_utils counts it.
 * Return: bytes, -EINVAL, or -ENOENT (offline, or no cache folder).
 */
SCX_API int64_t scx_topo_cpu_cache_size_sum(const struct scx_topo *topo, int cpu);
/** scx_topo_cpu_min_freq() - lowest hardware frequency in kHz.  Return: it, -EINVAL/-ENOENT. */
SCX_API int scx_topo_cpu_min_freq(const struct scx_topo *topo, int cpu);
/** scx_topo_cpu_max_freq() - highest hardware frequency in kHz.  Return: it, -EINVAL/-ENOENT. */
SCX_API int scx_topo_cpu_max_freq(const struct scx_topo *topo, int cpu);
/**
 * scx_topo_cpu_scaling_min_freq() - lowest frequency in kHz the cpufreq policy allows now
 * (scaling_min_freq, scx_utils' Cpu::min_freq), at or above scx_topo_cpu_min_freq()'s hardware
 * limit.  Return: it, -EINVAL or -ENOENT.
 */
SCX_API int scx_topo_cpu_scaling_min_freq(const struct scx_topo *topo, int cpu);
/**
 * scx_topo_cpu_scaling_max_freq() - highest frequency in kHz the cpufreq policy allows now
 * (scaling_max_freq, scx_utils' Cpu::max_freq), at or below scx_topo_cpu_max_freq()'s hardware
 * limit.  Return: it, -EINVAL or -ENOENT.
 */
SCX_API int scx_topo_cpu_scaling_max_freq(const struct scx_topo *topo, int cpu);
/**
 * scx_topo_cpu_base_freq() - base (non-turbo) frequency in kHz from cpufreq's base_frequency
 * (intel_pstate), else from ACPI CPPC's acpi_cppc/nominal_freq (MHz) of the policy's first CPU.
 * Return: it, -EINVAL or -ENOENT.
 */
SCX_API int scx_topo_cpu_base_freq(const struct scx_topo *topo, int cpu);
/**
 * scx_topo_cpu_capacity() - @cpu's capacity, 1..1024, 1024 for the most capable CPUs.
 * Return: it, -EINVAL or -ENOENT (offline).
 */
SCX_API int scx_topo_cpu_capacity(const struct scx_topo *topo, int cpu);
/** scx_topo_cpu_core_type() - enum scx_topo_core_type of @cpu's core.  Return: it or -errno. */
SCX_API int scx_topo_cpu_core_type(const struct scx_topo *topo, int cpu);
/** scx_topo_cpu_smt_level() - online threads in @cpu's core.  Return: >= 1 or -errno. */
SCX_API int scx_topo_cpu_smt_level(const struct scx_topo *topo, int cpu);
/**
 * scx_topo_cpu_sibling() - the next online thread of @cpu's core after @cpu (wrapping round).
 * Return: its id, -EINVAL, or -ENOENT (alone in its core, or offline).
 */
SCX_API int scx_topo_cpu_sibling(const struct scx_topo *topo, int cpu);
/**
 * scx_topo_cpu_resume_latency() - PM QoS resume latency limit in microseconds (0: none).
 * Return: it, -EINVAL, or -ENOENT (offline, no file, or "n/a").
 */
SCX_API int scx_topo_cpu_resume_latency(const struct scx_topo *topo, int cpu);
/**
 * scx_topo_cpu_trans_latency() - cpufreq transition latency in nanoseconds.
 * Return: it, -EINVAL, or -ENOENT (no cpufreq, or the kernel's "unknown" value).
 */
SCX_API int scx_topo_cpu_trans_latency(const struct scx_topo *topo, int cpu);

/* Per core: @core is an index below scx_topo_nr_cores(); else -EINVAL (NULL for masks). */

/** scx_topo_core_id() - the kernel's core_id of @core (not unique across packages). */
SCX_API int scx_topo_core_id(const struct scx_topo *topo, int core);
/** scx_topo_core_span() - the online CPUs of @core.  Return: the mask, or NULL (EINVAL). */
SCX_API const struct scx_cpumask *scx_topo_core_span(const struct scx_topo *topo, int core);
/** scx_topo_core_type() - enum scx_topo_core_type of @core.  Return: it, or -EINVAL. */
SCX_API int scx_topo_core_type(const struct scx_topo *topo, int core);
/** scx_topo_core_llc() - (virtual) LLC index of @core.  Return: it, or -EINVAL. */
SCX_API int scx_topo_core_llc(const struct scx_topo *topo, int core);
/** scx_topo_core_node() - node index of @core.  Return: it, or -EINVAL. */
SCX_API int scx_topo_core_node(const struct scx_topo *topo, int core);
/** scx_topo_core_package() - package index of @core.  Return: it, or -EINVAL. */
SCX_API int scx_topo_core_package(const struct scx_topo *topo, int core);

/* Per LLC: @llc is an index below scx_topo_nr_llcs(). */

/**
 * scx_topo_llc_id() - the kernel's id of the cache behind @llc: the "id" file of its cache
 * folder (scx_utils' Llc::kernel_id); a virtual LLC has its physical cache's.
 * Return: it, -EINVAL, or -ENOENT (no id file, or the LLC is a package: no cache information,
 * or flatten_llc).
 */
SCX_API int scx_topo_llc_id(const struct scx_topo *topo, int llc);
/** scx_topo_llc_span() - the online CPUs of @llc.  Return: the mask, or NULL (EINVAL). */
SCX_API const struct scx_cpumask *scx_topo_llc_span(const struct scx_topo *topo, int llc);
/** scx_topo_llc_node() - node index of @llc.  Return: it, or -EINVAL. */
SCX_API int scx_topo_llc_node(const struct scx_topo *topo, int llc);
/** scx_topo_llc_nr_cores() - number of cores in @llc.  Return: it, or -EINVAL. */
SCX_API int scx_topo_llc_nr_cores(const struct scx_topo *topo, int llc);
/**
 * scx_topo_llc_cache_size() - size in bytes of the cache behind @llc (a virtual LLC reports its
 * whole physical cache).  Return: it, -EINVAL, or -ENOENT (not known).
 */
SCX_API int64_t scx_topo_llc_cache_size(const struct scx_topo *topo, int llc);

/* Per node: @node is an index below scx_topo_nr_nodes(). */

/** scx_topo_node_id() - the kernel's id of @node.  Return: it, or -EINVAL. */
SCX_API int scx_topo_node_id(const struct scx_topo *topo, int node);
/** scx_topo_node_span() - the online CPUs of @node (may be empty).  Return: mask or NULL. */
SCX_API const struct scx_cpumask *scx_topo_node_span(const struct scx_topo *topo, int node);
/**
 * scx_topo_node_distance() - the kernel's NUMA distance from node index @from to @to.
 * Return: the distance (10 for a node to itself), -EINVAL, or -ENOENT (not reported).
 */
SCX_API int scx_topo_node_distance(const struct scx_topo *topo, int from, int to);

/* Per package: @pkg is an index below scx_topo_nr_packages(). */

/** scx_topo_package_id() - the kernel's physical_package_id (-1 unknown).  Return: it/-EINVAL. */
SCX_API int scx_topo_package_id(const struct scx_topo *topo, int pkg);
/** scx_topo_package_span() - the online CPUs of @pkg.  Return: the mask, or NULL (EINVAL). */
SCX_API const struct scx_cpumask *scx_topo_package_span(const struct scx_topo *topo, int pkg);

/* A mask seen through the topology.  The mask's width must be scx_topo_nr_cpu_ids(). */

/**
 * scx_topo_cpumask_nr_cores() - how many cores have at least one CPU in @mask, as scx_utils'
 * Topology::cpumask_nr_cores() counts them.  Since 1.1.
 * @topo: a topology.
 * @mask: the CPUs.
 * Return: the count (0 .. scx_topo_nr_cores()), or -EINVAL for NULL or a mask of another width.
 */
SCX_API int scx_topo_cpumask_nr_cores(const struct scx_topo *topo,
				      const struct scx_cpumask *mask);

/**
 * scx_topo_format_cpumask_grid() - draw @mask on the topology, one character per core, as
 * scx_utils' Topology::format_cpumask_grid() does.  Since 1.1.
 * @topo: a topology.
 * @mask: the CPUs to show.
 * @indent: text that starts every line; NULL for none.
 * @max_width: the line width (in characters) past which the next LLC goes on a new line.
 * @buf: output buffer, always NUL-terminated when @size > 0; may be NULL when @size is 0.
 * @size: its size.
 *
 * One line per NUMA node with CPUs, "<indent>N<node id> L<first LLC index, 2 digits>: ", then the
 * node's LLCs separated by "|", each as its cores separated by a blank into groups of at most 8
 * of near-equal size.  A core is U+2591 (none of its CPUs in @mask), U+2580 (only its first
 * thread), U+2584 (only its second; with more than two threads: some but not all) or U+2588
 * (all), in UTF-8.  An LLC that would pass @max_width starts a new line, indented to stand
 * under the first LLC.  Every line ends with a newline.
 *
 * Return: the length of the full text in bytes (like snprintf: >= @size means it was cut), or
 * -EINVAL (NULL @topo or @mask, a mask of another width, or NULL @buf with @size > 0) or
 * -EOVERFLOW (the text is longer than INT_MAX).
 */
SCX_API int scx_topo_format_cpumask_grid(const struct scx_topo *topo,
					 const struct scx_cpumask *mask, const char *indent,
					 unsigned int max_width, char *buf, size_t size);

/*
 * Synthetic topologies for schedulers' unit tests: add LLCs of identical cores one call at a
 * time, then build.  CPU ids are given in the order the cores are added, threads of one core
 * consecutive; every CPU is online; each node is one package.
 */

/** A synthetic topology under construction. */
struct scx_topo_builder;

/**
 * scx_topo_builder_new() - start a synthetic topology.
 * Return: a builder to release with scx_topo_builder_free(), or NULL with errno ENOMEM.
 */
SCX_API struct scx_topo_builder *scx_topo_builder_new(void);

/**
 * scx_topo_builder_add_llc() - add one LLC of identical cores to a node.
 * @b: the builder.
 * @node: kernel node id (0 .. 1023); nodes are created as they are named.
 * @nr_cores: cores in the LLC (1 .. 4096).
 * @threads: hardware threads per core (1 .. 16).
 * @max_freq_khz: the cores' highest frequency (> 0); with scx_topo_builder_add_llc() calls of
 *                different frequencies this makes a hybrid machine (capacity and core types
 *                follow the rules of scx_topo_load()).
 * Return: 0, or -EINVAL (bad argument, or more than SCX_CPUMASK_MAX_WIDTH CPUs), -ENOMEM.
 */
SCX_API int scx_topo_builder_add_llc(struct scx_topo_builder *b, int node, unsigned int nr_cores,
				     unsigned int threads, unsigned int max_freq_khz);

/**
 * scx_topo_builder_add_node() - add a node without CPUs (memory only).
 * @b: the builder.
 * @node: kernel node id (0 .. 1023).
 * Return: 0, -EINVAL or -ENOMEM.
 */
SCX_API int scx_topo_builder_add_node(struct scx_topo_builder *b, int node);

/**
 * scx_topo_builder_build() - make the topology.  The builder stays usable.
 * @b: the builder.
 * @opts: options (only the vllc_ and flatten_ ones apply), or NULL.
 * Return: a topology to release with scx_topo_free(), or NULL with errno EINVAL (no CPU added,
 * bad options), ENOMEM.
 */
SCX_API struct scx_topo *scx_topo_builder_build(const struct scx_topo_builder *b,
						const struct scx_topo_opts *opts);

/**
 * scx_topo_builder_free() - release a builder.
 * @b: the builder; NULL is ignored.
 */
SCX_API void scx_topo_builder_free(struct scx_topo_builder *b);

SCX_END_DECLS

#endif /* SCX_TOPO_H */
