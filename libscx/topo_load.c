// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Topology from sysfs.  Each file is read at most once, and not at all when its answer is
 * already known: one siblings list per core, one package list per package, one shared_cpu_list
 * per cache instance, one cpulist per node, one set of cpufreq files per policy.  A file that is
 * missing for the first CPU asked is taken to be missing on this kernel, so it is not asked for
 * again on every other CPU.  The work grows with cores + caches + nodes, not CPUs x files.
 *
 * scx_topo_load() reads the structure only: per core its siblings list, per LLC instance its
 * shared_cpu_list and size, per package and node their lists.  The details are read the first
 * time an accessor needs them, in three parts (enum topo_part), with the loader state kept in
 * the handle until all are read (see topo_internal.h): the capacity part reads the capacity
 * sources and, per cpufreq policy, the maximum frequency, AMD ranking and related_cpus; the
 * caches part the size and shared_cpu_list of every cache instance, of every level; the other
 * part reads core_id, clusters, L2 lists where an L3 is the LLC, the rest of each policy's
 * files and PM QoS.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpumask_internal.h"
#include "internal.h"
#include "sysfs.h"
#include "topo_internal.h"

#define CPU_DIR "sys/devices/system/cpu"
#define NODE_DIR "sys/devices/system/node"
/* Large enough for any cpulist of SCX_CPUMASK_MAX_WIDTH CPUs written in ranges. */
#define LIST_BUF (256 * 1024)
#define MAX_NODES 4096
#define MAX_CACHE_INDEX 16
/* The cache levels the loader reads (L2 and L3), as slots of per-level arrays. */
#define MAX_CACHE_LEVEL 3
/* Longest format of a list file the loader names (hex_form() rewrites a copy of it). */
#define LIST_FMT_MAX 64

struct topo_loader {
	struct scx_sysfs fs;
	/*
	 * Per-CPU files are read relative to CPU_DIR's folder: 3 path lookups per file instead
	 * of 7, most of an open's cost on a tree of thousands of CPUs.  Node files are few and
	 * read from the root.
	 */
	struct scx_sysfs_dir cpus, root;
	int n;				/* nr_cpu_ids */
	struct topo_raw *raw;
	char *buf;
	int cache_index[MAX_CACHE_LEVEL + 1];	/* index folder of L2 and L3 (slots 2, 3), -1 none */
	bool layout_known;
	int checked_node[MAX_CACHE_LEVEL + 1];	/* node whose CPUs matched the layout, per level */
	bool online_guessed;		/* no "online" file: see load_cpus() */
	bool hex_lists;			/* the kernel has no *_list files */
	bool no_cluster, no_hperf, no_capacity, no_cpufreq, no_base, no_nominal, no_prefcore,
		no_pmqos, no_scaling;
	bool tried_cluster, tried_hperf, tried_capacity, tried_cpufreq, tried_base, tried_nominal,
		tried_prefcore, tried_pmqos, tried_scaling;
	int nr_nodes;
	int *node_ids;
	int *distance;
	int *scratch;			/* TOPO_SCRATCH_PER_CPU * n ints for topo_derive_part() */
	bool policies_read;		/* load_cpufreq() done (two parts need it) */
};

typedef void (*cpu_fn)(struct topo_loader *ld, int cpu, void *arg);

struct cpu_walk {
	struct topo_loader *ld;
	cpu_fn fn;
	void *arg;
};

/* Ids at or beyond nr_cpu_ids (a damaged tree) are not CPUs of this topology: skipped. */
static int walk_run(unsigned int first, unsigned int last, void *arg)
{
	struct cpu_walk *w = arg;
	unsigned int cpu;

	for (cpu = first; cpu <= last && cpu < (unsigned int)w->ld->n; cpu++)
		w->fn(w->ld, (int)cpu, w->arg);
	return 0;
}

/* Call @fn for each id of a kernel cpulist below ld->n.  Returns 0 or -EINVAL. */
static int list_for_each(struct topo_loader *ld, const char *s, cpu_fn fn, void *arg)
{
	struct cpu_walk w = { ld, fn, arg };

	return scx_cpulist_for_each(s, SCX_CPUMASK_MAX_WIDTH, SCX_CPULIST_KERNEL, walk_run, &w);
}

/* Call @fn for each bit set in a kernel hex mask below ld->n.  Returns 0 or -EINVAL. */
static int mask_for_each(struct topo_loader *ld, const char *s, cpu_fn fn, void *arg)
{
	struct cpu_walk w = { ld, fn, arg };

	return scx_cpuhex_for_each(s, SCX_CPUMASK_MAX_WIDTH, walk_run, &w);
}

static int ld_vread(struct topo_loader *ld, struct scx_sysfs_dir *dir, const char *fmt,
		    va_list ap) SCX_PRINTF(3, 0);
static int ld_vread(struct topo_loader *ld, struct scx_sysfs_dir *dir, const char *fmt, va_list ap)
{
	return scx_sysfs_dir_vread(dir, ld->buf, LIST_BUF, fmt, ap);
}

/* Read a file of CPU_DIR into ld->buf; its length or -errno. */
static int ld_read(struct topo_loader *ld, const char *fmt, ...) SCX_PRINTF(2, 3);
static int ld_read(struct topo_loader *ld, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = ld_vread(ld, &ld->cpus, fmt, ap);
	va_end(ap);
	return n;
}

/* Read one integer file of CPU_DIR; -ENOENT when missing, -EINVAL when not a number. */
static int ld_read_s64(struct topo_loader *ld, int64_t *val, const char *fmt, ...) SCX_PRINTF(3, 4);
static int ld_read_s64(struct topo_loader *ld, int64_t *val, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = ld_vread(ld, &ld->cpus, fmt, ap);
	va_end(ap);
	return n < 0 ? n : scx_parse_s64(ld->buf, val);
}

/*
 * Gate for files that a kernel either has for every CPU or for none: the first miss turns
 * the file off for the rest of the load.
 */
static bool gate_open(bool *tried, bool *missing)
{
	return !*missing;
}

static void gate_result(bool *tried, bool *missing, int err)
{
	if (!*tried && err == -ENOENT)
		*missing = true;
	*tried = true;
}

/* ---- possible and online CPUs --------------------------------------------------------- */

static void mark_possible(struct topo_loader *ld, int cpu, void *arg)
{
	ld->raw[cpu].possible = true;
}

static void mark_online(struct topo_loader *ld, int cpu, void *arg)
{
	if (ld->raw[cpu].possible)
		ld->raw[cpu].online = true;
}

/* Without a "possible" file: the cpuN folders, into a malloc'd array @ids. */
static int scan_cpu_dirs(struct topo_loader *ld, int **ids, int *nr, int *max)
{
	struct dirent *de;
	int cap = 0;
	DIR *d;

	*max = -1;
	*nr = 0;
	*ids = NULL;
	d = scx_sysfs_dir_opendir(&ld->cpus, ".");
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char *end;
		long v;

		if (strncmp(de->d_name, "cpu", 3) || !isdigit((unsigned char)de->d_name[3]))
			continue;
		v = strtol(de->d_name + 3, &end, 10);
		if (*end || v >= SCX_CPUMASK_MAX_WIDTH)
			continue;
		if (*nr == cap) {
			int *n = realloc(*ids, sizeof(int) * (size_t)(cap = cap ? cap * 2 : 64));

			if (!n) {
				closedir(d);
				return -ENOMEM;
			}
			*ids = n;
		}
		(*ids)[(*nr)++] = (int)v;
		if (v > *max)
			*max = (int)v;
	}
	closedir(d);
	return 0;
}

static int alloc_raw(struct topo_loader *ld, int n)
{
	int cpu;

	ld->n = n;
	ld->raw = malloc(sizeof(*ld->raw) * (size_t)n);
	if (!ld->raw)
		return -ENOMEM;
	for (cpu = 0; cpu < n; cpu++)
		topo_raw_init(&ld->raw[cpu]);
	return 0;
}

/*
 * The possible CPUs: the "possible" list, read by the same parser (and so with the same width)
 * as the other modules' CPU-id width; without one, or with one that is not a cpulist, the
 * cpuN folders.
 */
static int load_possible(struct topo_loader *ld, int *max)
{
	int err, i, nr_dirs = 0, *dirs = NULL;

	if (ld_read(ld, "possible") > 0) {
		*max = scx_cpulist_max(ld->buf);
		if (*max >= 0) {
			err = alloc_raw(ld, *max + 1);
			return err ? err : list_for_each(ld, ld->buf, mark_possible, NULL);
		}
	}
	err = scan_cpu_dirs(ld, &dirs, &nr_dirs, max);
	if (!err && *max < 0)
		err = -ENODEV;
	if (!err)
		err = alloc_raw(ld, *max + 1);
	for (i = 0; !err && i < nr_dirs; i++)
		ld->raw[dirs[i]].possible = true;
	free(dirs);
	return err;
}

static int load_cpus(struct topo_loader *ld)
{
	int err, max, cpu;

	err = load_possible(ld, &max);
	if (err)
		return err;
	if (ld_read(ld, "online") < 0 || list_for_each(ld, ld->buf, mark_online, NULL)) {
		/*
		 * Old kernels: every CPU counts as online until load_topology() finds one
		 * without a topology folder whose cpuN/online says 0.
		 */
		ld->online_guessed = true;
		for (cpu = 0; cpu <= max; cpu++)
			ld->raw[cpu].online = ld->raw[cpu].possible;
	}
	for (cpu = 0; cpu <= max; cpu++)
		if (ld->raw[cpu].online)
			return 0;
	return -ENODEV;
}

/* ---- cores, packages, clusters ---------------------------------------------------------- */

struct key_arg {
	int key;
	int kid;
};

static void set_core(struct topo_loader *ld, int cpu, void *arg)
{
	struct key_arg *a = arg;

	if (ld->raw[cpu].online && ld->raw[cpu].core_key < 0) {
		ld->raw[cpu].core_key = a->key;
		ld->raw[cpu].core_kid = a->kid;
	}
}

static void set_pkg(struct topo_loader *ld, int cpu, void *arg)
{
	struct key_arg *a = arg;

	if (ld->raw[cpu].online && ld->raw[cpu].pkg_key < 0) {
		ld->raw[cpu].pkg_key = a->key;
		ld->raw[cpu].pkg_kid = a->kid;
	}
}

static void set_cluster(struct topo_loader *ld, int cpu, void *arg)
{
	struct key_arg *a = arg;

	if (ld->raw[cpu].online && ld->raw[cpu].cluster_key < 0) {
		ld->raw[cpu].cluster_key = a->key;
		ld->raw[cpu].cluster_kid = a->kid;
	}
}

/* Read a per-core capacity source and give it to every thread of the core. */
static void core_source(struct topo_loader *ld, int cpu, int src, const char *file, bool *tried,
			bool *missing)
{
	int64_t v;
	int err;

	if (!gate_open(tried, missing))
		return;
	err = ld_read_s64(ld, &v, "cpu%d/%s", cpu, file);
	gate_result(tried, missing, err);
	if (!err && v > 0)
		ld->raw[cpu].src[src] = (uint64_t)v;	/* the threads get it in load_topology() */
}

static int read_list(struct topo_loader *ld, struct scx_sysfs_dir *dir, cpu_fn fn, void *arg,
		     const char *fmt, ...) SCX_PRINTF(5, 6);
/*
 * Kernels before 2.6.26 have only the hex forms: X for X_list, shared_cpu_map for
 * shared_cpu_list, cpumap for cpulist.  Writes into @out (LIST_FMT_MAX bytes) the format of
 * the hex form of the file whose format is @fmt (the name is its literal end); false when it
 * has none.
 */
static bool hex_form(char *out, const char *fmt)
{
	size_t n = strlen(fmt);

	if (n >= LIST_FMT_MAX)
		return false;
	memcpy(out, fmt, n + 1);
	if (n > 15 && !strcmp(out + n - 15, "shared_cpu_list"))
		strcpy(out + n - 4, "map");
	else if (n > 5 && !strcmp(out + n - 5, "_list"))
		out[n - 5] = '\0';
	else if (n > 7 && !strcmp(out + n - 7, "cpulist"))
		strcpy(out + n - 7, "cpumap");
	else
		return false;
	return true;
}

/* Read the cpulist @fmt under @dir (or its hex form) and call @fn for each of its CPUs. */
static int read_list(struct topo_loader *ld, struct scx_sysfs_dir *dir, cpu_fn fn, void *arg,
		     const char *fmt, ...)
{
	char hex_fmt[LIST_FMT_MAX];
	va_list ap;
	int n = -ENOENT;

	if (!ld->hex_lists) {
		va_start(ap, fmt);
		n = ld_vread(ld, dir, fmt, ap);
		va_end(ap);
		if (n >= 0)
			return list_for_each(ld, ld->buf, fn, arg);
		if (n != -ENOENT)
			return n;
	}
	if (!hex_form(hex_fmt, fmt))
		return -ENOENT;
	va_start(ap, fmt);
	n = ld_vread(ld, dir, hex_fmt, ap);
	va_end(ap);
	if (n < 0)
		return n;
	/* this kernel has hex masks only: go to them directly from now on */
	ld->hex_lists = true;
	return mask_for_each(ld, ld->buf, fn, arg);
}

/* The CPU's core from its siblings list.  Returns whether the CPU has a topology folder. */
static bool load_core(struct topo_loader *ld, int cpu)
{
	struct key_arg a = { .key = cpu, .kid = -1 };
	int err;

	err = read_list(ld, &ld->cpus, set_core, &a, "cpu%d/topology/thread_siblings_list", cpu);
	if (err == -ENOENT)
		err = read_list(ld, &ld->cpus, set_core, &a, "cpu%d/topology/core_cpus_list", cpu);
	set_core(ld, cpu, &a);
	if (err == -ENOENT) {
		ld->raw[cpu].no_topology = true;
		return false;
	}
	return true;
}

static void load_package(struct topo_loader *ld, int cpu)
{
	struct key_arg a = { .key = cpu, .kid = -1 };
	int64_t v;
	int err;

	if (!ld_read_s64(ld, &v, "cpu%d/topology/physical_package_id", cpu))
		a.kid = (int)v;
	err = read_list(ld, &ld->cpus, set_pkg, &a, "cpu%d/topology/core_siblings_list", cpu);
	if (err == -ENOENT)
		read_list(ld, &ld->cpus, set_pkg, &a, "cpu%d/topology/package_cpus_list", cpu);
	set_pkg(ld, cpu, &a);
}

static void load_cluster(struct topo_loader *ld, int cpu)
{
	struct key_arg a = { .key = cpu, .kid = -1 };
	int64_t v;
	int err;

	if (!gate_open(&ld->tried_cluster, &ld->no_cluster))
		return;
	/* -1 where the firmware describes no cluster (arm64) */
	if (!ld_read_s64(ld, &v, "cpu%d/topology/cluster_id", cpu) && v >= 0 && v <= INT_MAX)
		a.kid = (int)v;
	err = read_list(ld, &ld->cpus, set_cluster, &a, "cpu%d/topology/cluster_cpus_list", cpu);
	gate_result(&ld->tried_cluster, &ld->no_cluster, err);
	if (!err)
		set_cluster(ld, cpu, &a);
}

static void load_topology(struct topo_loader *ld)
{
	int cpu;

	for (cpu = 0; cpu < ld->n; cpu++) {
		struct topo_raw *r = &ld->raw[cpu];
		bool has_topology = true;

		if (!r->online)
			continue;
		if (r->core_key < 0)
			has_topology = load_core(ld, cpu);
		if (!has_topology && ld->online_guessed) {
			int64_t v;

			if (!ld_read_s64(ld, &v, "cpu%d/online", cpu) && v == 0) {
				r->online = false;
				r->core_key = -1;
				continue;
			}
		}
		if (!has_topology)
			continue;
		if (r->pkg_key < 0)
			load_package(ld, cpu);
	}
}

/* Capacity part: the per-core capacity sources of the CPUs with a topology folder. */
static void load_core_sources(struct topo_loader *ld)
{
	int cpu;

	for (cpu = 0; cpu < ld->n; cpu++) {
		struct topo_raw *r = &ld->raw[cpu];

		if (!r->online || r->no_topology || r->core_key < 0)
			continue;
		if (r->core_key == cpu) {
			core_source(ld, cpu, TOPO_SRC_HIGHEST_PERF, "acpi_cppc/highest_perf",
				    &ld->tried_hperf, &ld->no_hperf);
			core_source(ld, cpu, TOPO_SRC_CPU_CAPACITY, "cpu_capacity",
				    &ld->tried_capacity, &ld->no_capacity);
		} else {
			/* a thread gets its core's */
			const struct topo_raw *first = &ld->raw[r->core_key];

			r->src[TOPO_SRC_HIGHEST_PERF] = first->src[TOPO_SRC_HIGHEST_PERF];
			r->src[TOPO_SRC_CPU_CAPACITY] = first->src[TOPO_SRC_CPU_CAPACITY];
		}
	}
}

/* Other part: kernel core ids and clusters of the CPUs with a topology folder. */
static void load_core_ids(struct topo_loader *ld)
{
	int cpu;

	for (cpu = 0; cpu < ld->n; cpu++) {
		struct topo_raw *r = &ld->raw[cpu];
		int64_t v;

		if (!r->online || r->no_topology)
			continue;
		if (r->core_key == cpu) {
			if (!ld_read_s64(ld, &v, "cpu%d/topology/core_id", cpu))
				r->core_kid = (int)v;
		} else if (r->core_key >= 0) {
			r->core_kid = ld->raw[r->core_key].core_kid;
		}
		if (r->cluster_key < 0)
			load_cluster(ld, cpu);
	}
}

/* ---- caches ------------------------------------------------------------------------------ */

typedef void (*index_fn)(struct topo_loader *ld, int cpu, int idx, void *arg);

/* Call @fn for each cache/indexN folder of @cpu (N below MAX_CACHE_INDEX), in folder order. */
static void cache_index_for_each(struct topo_loader *ld, int cpu, index_fn fn, void *arg)
{
	struct dirent *de;
	DIR *d;

	d = scx_sysfs_dir_opendir(&ld->cpus, "cpu%d/cache", cpu);
	if (!d)
		return;
	while ((de = readdir(d))) {
		char *end;
		long idx;

		if (strncmp(de->d_name, "index", 5) || !isdigit((unsigned char)de->d_name[5]))
			continue;
		idx = strtol(de->d_name + 5, &end, 10);
		if (!*end && idx < MAX_CACHE_INDEX)
			fn(ld, cpu, (int)idx, arg);
	}
	closedir(d);
}

static void note_llc_index(struct topo_loader *ld, int cpu, int idx, void *arg)
{
	int64_t level;

	if (ld_read_s64(ld, &level, "cpu%d/cache/index%d/level", cpu, idx))
		return;
	if (level < 2 || level > MAX_CACHE_LEVEL)
		return;
	if (ld->cache_index[level] < 0 || idx < ld->cache_index[level])
		ld->cache_index[level] = idx;
}

/* Which indexN folder holds which level, from its "level" file (not from N). */
static void read_cache_layout(struct topo_loader *ld, int cpu)
{
	ld->cache_index[2] = ld->cache_index[3] = -1;
	ld->layout_known = true;
	cache_index_for_each(ld, cpu, note_llc_index, NULL);
}

struct cache_arg {
	int level;
	int key;
	int64_t size;
};

static void set_cache(struct topo_loader *ld, int cpu, void *arg)
{
	struct cache_arg *a = arg;
	struct topo_raw *r = &ld->raw[cpu];

	if (!r->online)
		return;
	if (a->level == 2 && r->l2_key < 0) {
		r->l2_key = a->key;
		r->l2_size = a->size;
	} else if (a->level == 3 && r->l3_key < 0) {
		r->l3_key = a->key;
		r->l3_size = a->size;
	}
}

static void load_cache(struct topo_loader *ld, int cpu, int level, bool fresh_layout)
{
	struct cache_arg a = { .level = level, .key = cpu, .size = -1 };
	int idx = ld->cache_index[level];
	uint64_t size;
	int64_t v;

	if (idx < 0)
		return;
	if (!fresh_layout && (ld->raw[cpu].node < 0 || ld->raw[cpu].node != ld->checked_node[level])) {
		/*
		 * The layout came from another node: check that this CPU's folder is that level.
		 * Within a node the first check stands for all its cache instances.
		 */
		if (ld_read_s64(ld, &v, "cpu%d/cache/index%d/level", cpu, idx) || v != level) {
			read_cache_layout(ld, cpu);
			load_cache(ld, cpu, level, true);
			return;
		}
	}
	ld->checked_node[level] = ld->raw[cpu].node;
	/* only the LLC's size matters (each CPU's share of it); its id comes with the details */
	if (level == 3 || ld->cache_index[3] < 0) {
		ld->raw[cpu].llc_index = idx;
		if (ld_read(ld, "cpu%d/cache/index%d/size", cpu, idx) >= 0 &&
		    !scx_parse_size(ld->buf, &size))
			a.size = (int64_t)size;
	}
	read_list(ld, &ld->cpus, set_cache, &a, "cpu%d/cache/index%d/shared_cpu_list", cpu, idx);
	set_cache(ld, cpu, &a);
}

/* Other part: the kernel's id of each LLC cache instance, from the folder the load read. */
static void load_llc_ids(struct topo_loader *ld)
{
	int cpu;

	for (cpu = 0; cpu < ld->n; cpu++) {
		struct topo_raw *r = &ld->raw[cpu];
		int64_t v;

		if (r->online && r->llc_index >= 0 &&
		    !ld_read_s64(ld, &v, "cpu%d/cache/index%d/id", cpu, r->llc_index) && v >= 0 &&
		    v <= INT_MAX)
			r->llc_kid = (int)v;
	}
	for (cpu = 0; cpu < ld->n; cpu++) {
		struct topo_raw *r = &ld->raw[cpu];
		int key = r->l3_key >= 0 ? r->l3_key : r->l2_key;

		if (r->online && key >= 0 && key != cpu)
			r->llc_kid = ld->raw[key].llc_kid;
	}
}

/*
 * The structure needs the LLC: the L3, or the L2 where there is no L3.  The details add the L2
 * of the CPUs that have an L3.
 */
static void load_caches(struct topo_loader *ld, bool details)
{
	int cpu;

	for (cpu = 0; cpu < ld->n; cpu++) {
		const struct topo_raw *r = &ld->raw[cpu];
		bool fresh = false;

		if (!r->online || (r->l2_key >= 0 && r->l3_key >= 0))
			continue;
		if (!ld->layout_known) {
			read_cache_layout(ld, cpu);
			fresh = true;
		}
		if (!details && r->l3_key < 0)
			load_cache(ld, cpu, 3, fresh);
		if (r->l2_key < 0 && (details || r->l3_key < 0))
			load_cache(ld, cpu, 2, fresh);
	}
}

/*
 * Caches part: every cache folder, for the sizes per kind and scx_utils' per-CPU sum.  The
 * folders' levels and types come from the first online CPU's; each cache instance is read once
 * (its size and shared_cpu_list), for every CPU its list names.
 */
#define SIZE_UNKNOWN_SUM 1024	/* what scx_utils counts for a folder without a size */

struct cache_layout {
	int kind[MAX_CACHE_INDEX];	/* enum scx_topo_cache, -1 another kind, -2 no folder */
};

static int cache_kind(struct topo_loader *ld, int cpu, int idx)
{
	int64_t level;

	if (ld_read_s64(ld, &level, "cpu%d/cache/index%d/level", cpu, idx))
		return -1;
	if (level == 2)
		return SCX_TOPO_CACHE_L2;
	if (level == 3)
		return SCX_TOPO_CACHE_L3;
	if (level != 1)
		return -1;
	if (ld_read(ld, "cpu%d/cache/index%d/type", cpu, idx) >= 0 &&
	    !strncmp(ld->buf, "Instruction", 11))
		return SCX_TOPO_CACHE_L1I;
	return SCX_TOPO_CACHE_L1D;
}

static void note_kind(struct topo_loader *ld, int cpu, int idx, void *arg)
{
	struct cache_layout *lay = arg;

	lay->kind[idx] = cache_kind(ld, cpu, idx);
}

static void read_all_caches_layout(struct topo_loader *ld, int cpu, struct cache_layout *lay)
{
	int i;

	for (i = 0; i < MAX_CACHE_INDEX; i++)
		lay->kind[i] = -2;
	cache_index_for_each(ld, cpu, note_kind, lay);
}

struct sharers {
	int *cpus;		/* the loader's scratch */
	int nr, max;
};

/* A damaged list may name CPUs again and again: the scratch holds what it can. */
static void add_sharer(struct topo_loader *ld, int cpu, void *arg)
{
	struct sharers *s = arg;

	if (s->nr < s->max)
		s->cpus[s->nr++] = cpu;
}

/* One cache instance: @cpu's folder @idx of kind @kind, for every CPU it names. */
static void load_cache_instance(struct topo_loader *ld, int cpu, int idx, int kind)
{
	struct sharers s = { ld->scratch, 0, TOPO_SCRATCH_PER_CPU * ld->n };
	int64_t size = -1;
	uint64_t v;
	int i;

	if (ld_read(ld, "cpu%d/cache/index%d/size", cpu, idx) >= 0 && !scx_parse_size(ld->buf, &v))
		size = (int64_t)v;
	ld->raw[cpu].caches_done |= (uint16_t)(1u << idx);
	if (read_list(ld, &ld->cpus, add_sharer, &s, "cpu%d/cache/index%d/shared_cpu_list", cpu,
		      idx) || !s.nr)
		return;
	for (i = 0; i < s.nr; i++) {
		struct topo_raw *r = &ld->raw[s.cpus[i]];

		if (!r->online || (s.cpus[i] != cpu && (r->caches_done & (1u << idx))))
			continue;
		r->caches_done |= (uint16_t)(1u << idx);
		if (kind >= 0 && size >= 0)
			r->level_size[kind] = size;
		if (r->size_sum < 0)
			r->size_sum = 0;
		r->size_sum += (size >= 0 ? size : SIZE_UNKNOWN_SUM) / s.nr;
	}
}

static void load_cache_sizes(struct topo_loader *ld)
{
	struct cache_layout lay;
	bool known = false;
	int cpu, idx;

	for (cpu = 0; cpu < ld->n; cpu++) {
		if (!ld->raw[cpu].online)
			continue;
		if (!known) {
			read_all_caches_layout(ld, cpu, &lay);
			known = true;
		}
		for (idx = 0; idx < MAX_CACHE_INDEX; idx++)
			if (lay.kind[idx] > -2 && !(ld->raw[cpu].caches_done & (1u << idx)))
				load_cache_instance(ld, cpu, idx, lay.kind[idx]);
	}
}

/* ---- NUMA nodes --------------------------------------------------------------------------- */

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static void set_node(struct topo_loader *ld, int cpu, void *arg)
{
	if (ld->raw[cpu].possible && ld->raw[cpu].node < 0)
		ld->raw[cpu].node = *(int *)arg;
}

/* The kernel keeps NUMA distances in a byte (10 for a node to itself, 255 at most). */
#define NODE_DISTANCE_MAX 255

/*
 * One row of the distance table.  A row with a number that is no distance (negative, past a
 * byte, overflowing, followed by junk) is garbage as a whole: it stays unreported (-1) rather
 * than keeping a truncated value.
 */
static void parse_distances(struct topo_loader *ld, int row)
{
	int *out = &ld->distance[row * ld->nr_nodes];
	const char *s = ld->buf;
	int col = 0;

	while (*s && col < ld->nr_nodes) {
		char *end;
		long v;

		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			break;
		errno = 0;
		v = strtol(s, &end, 10);
		if (end == s || errno || v <= 0 || v > NODE_DISTANCE_MAX ||
		    (*end && !isspace((unsigned char)*end))) {
			for (col = 0; col < ld->nr_nodes; col++)
				out[col] = -1;
			return;
		}
		out[col++] = (int)v;
		s = end;
	}
}

static int load_nodes(struct topo_loader *ld)
{
	struct dirent *de;
	int i, cap = 16;
	DIR *d;

	d = scx_sysfs_opendir(&ld->fs, NODE_DIR);
	if (!d)
		return 0;	/* no NUMA: one node, made by the derivation */
	ld->node_ids = malloc(sizeof(int) * (size_t)cap);
	if (!ld->node_ids) {
		closedir(d);
		return -ENOMEM;
	}
	while ((de = readdir(d))) {
		char *end;
		long id;

		if (strncmp(de->d_name, "node", 4) || !isdigit((unsigned char)de->d_name[4]))
			continue;
		id = strtol(de->d_name + 4, &end, 10);
		if (*end || id >= INT_MAX || ld->nr_nodes >= MAX_NODES)
			continue;
		if (ld->nr_nodes == cap) {
			int *n = realloc(ld->node_ids, sizeof(int) * (size_t)cap * 2);

			if (!n) {
				closedir(d);
				return -ENOMEM;
			}
			ld->node_ids = n;
			cap *= 2;
		}
		ld->node_ids[ld->nr_nodes++] = (int)id;
	}
	closedir(d);
	/* node10 after node9: by number, not by name */
	qsort(ld->node_ids, (size_t)ld->nr_nodes, sizeof(int), cmp_int);
	ld->distance = malloc(sizeof(int) * (size_t)(ld->nr_nodes * ld->nr_nodes + 1));
	if (!ld->distance)
		return -ENOMEM;
	for (i = 0; i < ld->nr_nodes * ld->nr_nodes; i++)
		ld->distance[i] = -1;
	for (i = 0; i < ld->nr_nodes; i++) {
		read_list(ld, &ld->root, set_node, &i, NODE_DIR "/node%d/cpulist", ld->node_ids[i]);
		if (scx_sysfs_dir_read(&ld->root, ld->buf, LIST_BUF, NODE_DIR "/node%d/distance",
				       ld->node_ids[i]) > 0)
			parse_distances(ld, i);
	}
	return 0;
}

/* ---- cpufreq and PM QoS ------------------------------------------------------------------ */

struct freq_arg {
	int key, max;
	uint64_t prefcore;
};

static void set_freq(struct topo_loader *ld, int cpu, void *arg)
{
	struct freq_arg *a = arg;
	struct topo_raw *r = &ld->raw[cpu];

	if (!r->online || r->freq_key >= 0)
		return;
	r->freq_key = a->key;
	r->max_freq = a->max;
	if (a->max > 0)
		r->src[TOPO_SRC_MAX_FREQ] = (uint64_t)a->max;
	r->src[TOPO_SRC_PREFCORE] = a->prefcore;
}

static int khz(int64_t v)
{
	return v >= 0 && v <= INT_MAX ? (int)v : -1;
}

/* @cpu's policy: what capacity needs (maximum frequency, AMD ranking) and the CPUs it spans. */
static void load_policy(struct topo_loader *ld, int cpu)
{
	struct freq_arg a = { cpu, -1, 0 };
	int64_t v;
	int err;

	err = ld_read_s64(ld, &v, "cpu%d/cpufreq/cpuinfo_max_freq", cpu);
	gate_result(&ld->tried_cpufreq, &ld->no_cpufreq, err);
	if (err)
		return;
	a.max = khz(v);
	if (gate_open(&ld->tried_prefcore, &ld->no_prefcore)) {
		err = ld_read_s64(ld, &v, "cpu%d/cpufreq/amd_pstate_prefcore_ranking", cpu);
		gate_result(&ld->tried_prefcore, &ld->no_prefcore, err);
		if (!err && v > 0)
			a.prefcore = (uint64_t)v;
	}
	err = read_list(ld, &ld->cpus, set_freq, &a, "cpu%d/cpufreq/related_cpus", cpu);
	if (err == -ENOENT)
		read_list(ld, &ld->cpus, set_freq, &a, "cpu%d/cpufreq/affected_cpus", cpu);
	set_freq(ld, cpu, &a);
}

/* The policies, once for the capacity and the other part. */
static void load_cpufreq(struct topo_loader *ld)
{
	int cpu;

	if (ld->policies_read)
		return;
	ld->policies_read = true;
	for (cpu = 0; cpu < ld->n && !ld->no_cpufreq; cpu++)
		if (ld->raw[cpu].online && ld->raw[cpu].freq_key < 0)
			load_policy(ld, cpu);
}

/* The policy's own limits (what the governor may pick), inside the hardware's cpuinfo ones. */
static void load_scaling(struct topo_loader *ld, int cpu)
{
	struct topo_raw *r = &ld->raw[cpu];
	int64_t v;
	int err;

	if (!gate_open(&ld->tried_scaling, &ld->no_scaling))
		return;
	err = ld_read_s64(ld, &v, "cpu%d/cpufreq/scaling_min_freq", cpu);
	gate_result(&ld->tried_scaling, &ld->no_scaling, err);
	if (err)
		return;
	r->scaling_min = khz(v);
	if (!ld_read_s64(ld, &v, "cpu%d/cpufreq/scaling_max_freq", cpu))
		r->scaling_max = khz(v);
}

/* Other part: the rest of each policy's files, from the CPU its files were read from. */
static void load_cpufreq_more(struct topo_loader *ld)
{
	int cpu;

	for (cpu = 0; cpu < ld->n; cpu++) {
		struct topo_raw *r = &ld->raw[cpu];
		int64_t v;
		int err;

		if (!r->online || r->freq_key != cpu)
			continue;
		if (!ld_read_s64(ld, &v, "cpu%d/cpufreq/cpuinfo_min_freq", cpu))
			r->min_freq = khz(v);
		if (!ld_read_s64(ld, &v, "cpu%d/cpufreq/cpuinfo_transition_latency", cpu))
			r->trans_lat = khz(v);	/* (u32)-1 is the kernel's "unknown" */
		load_scaling(ld, cpu);
		if (gate_open(&ld->tried_base, &ld->no_base)) {
			err = ld_read_s64(ld, &v, "cpu%d/cpufreq/base_frequency", cpu);
			gate_result(&ld->tried_base, &ld->no_base, err);
			if (!err)
				r->base_freq = khz(v);
		}
		/* without intel_pstate's base_frequency: ACPI CPPC's nominal frequency, in MHz */
		if (r->base_freq < 0 && gate_open(&ld->tried_nominal, &ld->no_nominal)) {
			err = ld_read_s64(ld, &v, "cpu%d/acpi_cppc/nominal_freq", cpu);
			gate_result(&ld->tried_nominal, &ld->no_nominal, err);
			if (!err && v > 0 && v <= INT_MAX / 1000)
				r->base_freq = (int)v * 1000;
		}
	}
	for (cpu = 0; cpu < ld->n; cpu++) {
		struct topo_raw *r = &ld->raw[cpu];
		const struct topo_raw *first;

		if (!r->online || r->freq_key < 0 || r->freq_key == cpu)
			continue;
		first = &ld->raw[r->freq_key];
		r->min_freq = first->min_freq;
		r->trans_lat = first->trans_lat;
		r->base_freq = first->base_freq;
		r->scaling_min = first->scaling_min;
		r->scaling_max = first->scaling_max;
	}
}

static void load_pm_qos(struct topo_loader *ld)
{
	int cpu;

	for (cpu = 0; cpu < ld->n && !ld->no_pmqos; cpu++) {
		int err, len;
		int64_t v;

		if (!ld->raw[cpu].online)
			continue;
		len = ld_read(ld, "cpu%d/power/pm_qos_resume_latency_us", cpu);
		gate_result(&ld->tried_pmqos, &ld->no_pmqos, len < 0 ? len : 0);
		if (len < 0)
			continue;
		err = scx_parse_s64(ld->buf, &v);
		if (!err && v >= 0 && v <= INT_MAX)
			ld->raw[cpu].resume_lat = (int)v;
	}
}

/* ---- the whole load ---------------------------------------------------------------------- */

static void loader_free(struct topo_loader *ld)
{
	if (!ld)
		return;
	scx_sysfs_dir_close(&ld->cpus);
	scx_sysfs_dir_close(&ld->root);
	scx_sysfs_fini(&ld->fs);
	free(ld->raw);
	free(ld->buf);
	free(ld->node_ids);
	free(ld->distance);
	free(ld->scratch);
	free(ld);
}

static void loader_release(void *data)
{
	loader_free(data);
}

static void load_part(struct scx_topo *t, enum topo_part part)
{
	struct topo_loader *ld = t->backend_data;
	struct topo_input in = { 0 };
	unsigned long before;

	before = ld->fs.nr_opens;
	if (part == TOPO_PART_CAPACITY) {
		load_core_sources(ld);
		load_cpufreq(ld);
	} else if (part == TOPO_PART_CACHES) {
		load_cache_sizes(ld);
	} else {
		load_core_ids(ld);
		load_llc_ids(ld);
		load_caches(ld, true);
		load_cpufreq(ld);
		load_cpufreq_more(ld);
		load_pm_qos(ld);
	}
	in.nr_cpu_ids = ld->n;
	in.raw = ld->raw;
	topo_derive_part(&in, t, part, ld->scratch);
	t->nr_part_files[TOPO_PART_SLOT(part)] = ld->fs.nr_opens - before;
	scx_dbg("topology details (part %d) of '%s': %lu files", part, ld->fs.root,
		ld->fs.nr_opens - before);
}

static const struct topo_backend_ops sysfs_backend = {
	.load_part = load_part,
	.release = loader_release,
};

/*
 * Virtual LLCs keep core types apart, so with them the capacity part is read with the
 * structure.  Returns the files it opened.
 */
static unsigned long load_capacity_first(struct topo_loader *ld, struct topo_input *in)
{
	unsigned long before = ld->fs.nr_opens;

	load_core_sources(ld);
	load_cpufreq(ld);
	in->capacity_known = true;
	return ld->fs.nr_opens - before;
}

struct scx_topo *scx_topo_load(const struct scx_topo_opts *opts)
{
	unsigned long cap_files = 0;
	struct topo_input in = { 0 };
	struct topo_loader *ld;
	struct scx_topo *t;
	int err;

	err = SCX_OPTS_VALID(opts, scx_topo_opts);
	if (err)
		return scx_err_ptr(err);
	err = topo_opts_get(opts, &in);
	if (err)
		return scx_err_ptr(err);
	ld = calloc(1, sizeof(*ld));
	if (!ld)
		return scx_err_ptr(-ENOMEM);
	err = scx_sysfs_init(&ld->fs, SCX_OPTS_GET(opts, sysfs_root, NULL));
	if (err) {
		free(ld);
		return scx_err_ptr(err);
	}
	/* when it fails (a damaged tree), every read under it fails alike: load_cpus() says so */
	scx_sysfs_dir_open(&ld->cpus, &ld->fs, CPU_DIR);
	scx_sysfs_dir_open(&ld->root, &ld->fs, NULL);
	ld->cache_index[2] = ld->cache_index[3] = -1;
	ld->checked_node[2] = ld->checked_node[3] = -1;
	ld->buf = malloc(LIST_BUF);
	if (!ld->buf) {
		err = -ENOMEM;
		goto out;
	}
	err = load_cpus(ld);
	if (err)
		goto out;
	/* scratch for topo_derive_part(), which must not fail */
	ld->scratch = malloc(sizeof(int) * TOPO_SCRATCH_PER_CPU * (size_t)ld->n);
	if (!ld->scratch) {
		err = -ENOMEM;
		goto out;
	}
	load_topology(ld);
	err = load_nodes(ld);
	if (err)
		goto out;
	load_caches(ld, false);
	if (in.vllc_max)
		cap_files = load_capacity_first(ld, &in);

	in.nr_cpu_ids = ld->n;
	in.raw = ld->raw;
	in.nr_nodes = ld->nr_nodes;
	in.node_ids = ld->node_ids;
	in.distance = ld->distance;
	t = topo_derive(&in, false);
	if (!t) {
		err = -errno;
		goto out;
	}
	t->nr_files = ld->fs.nr_opens - cap_files;
	t->nr_part_files[TOPO_PART_SLOT(TOPO_PART_CAPACITY)] = cap_files;
	scx_dbg("topology of '%s': %d CPU ids, %d cores, %d LLCs, %d nodes, %lu files",
		ld->fs.root, t->nr_cpu_ids, t->nr_cores, t->nr_llcs, t->nr_nodes, t->nr_files);
	/* the node lists are in the topology now; the rest waits for the details */
	free(ld->node_ids);
	free(ld->distance);
	ld->node_ids = NULL;
	ld->distance = NULL;
	t->backend = &sysfs_backend;
	t->backend_data = ld;
	return t;
out:
	if (err == -ENOENT && !ld->raw)
		scx_dbg("no CPU information under '%s'", ld->fs.root ? ld->fs.root : "/");
	loader_free(ld);
	return scx_err_ptr(err);
}
