// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * The topology loader on real machines' sysfs snapshots (../shared/fixtures/sysfs): libscx's
 * core, LLC and NUMA-node partitions of the online CPUs must equal hwloc's (the .truth.json
 * beside each snapshot), except where the table below says why libscx differs on purpose.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <scx/log.h>
#include <scx/topo.h>

#include "../lib/fstree.h"

enum part { PART_CORE, PART_LLC, PART_NODE, NR_PARTS };
static const char *const part_name[NR_PARTS] = { "core", "LLC", "node" };

/* Deliberate differences: snapshot, partition, why. */
static const struct {
	const char *snapshot;
	enum part part;
	const char *why;
} known[] = {
	{ "64amd64-4s2n4ca2co", PART_CORE,
	  "AMD Bulldozer: the kernel lists a module's two cores as SMT siblings; libscx follows the "
	  "kernel (and its scheduler), hwloc splits them by core_id" },
};

struct truth_cpu {
	int cpu, v[NR_PARTS];
};

static void quiet(enum scx_log_level l, const char *m, void *c)
{
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = '\0';
	fclose(f);
	return buf;
}

/* The integer value of "key": inside [obj, end), or -2 when absent. */
static int field(const char *obj, const char *end, const char *key)
{
	char pat[32];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(obj, pat);
	if (!p || p >= end)
		return -2;
	return (int)strtol(p + strlen(pat), NULL, 10);
}

/* A small reader for the truth files' "cpu" array (flat objects of integers). */
static int read_truth(const char *path, struct truth_cpu **out)
{
	char *text = slurp(path), *p;
	struct truth_cpu *cpus = NULL;
	int n = 0, cap = 0;

	if (!text)
		return -errno;
	p = strstr(text, "\"cpu\":[");
	while (p && (p = strchr(p, '{'))) {
		char *end = strchr(p, '}');

		if (!end)
			break;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			cpus = realloc(cpus, sizeof(*cpus) * (size_t)cap);
			cr_assert_not_null(cpus);
		}
		cpus[n].cpu = field(p, end, "cpu");
		cpus[n].v[PART_CORE] = field(p, end, "core_l");
		cpus[n].v[PART_LLC] = field(p, end, "llc_l");
		cpus[n].v[PART_NODE] = field(p, end, "node");
		cr_assert(cpus[n].cpu >= 0 && cpus[n].v[PART_NODE] > -2, "%s: bad entry", path);
		n++;
		p = end;
	}
	free(text);
	*out = cpus;
	return n;
}

static int libscx_group(const struct scx_topo *t, enum part part, int cpu)
{
	switch (part) {
	case PART_CORE:
		return scx_topo_cpu_core(t, cpu);
	case PART_LLC:
		return scx_topo_cpu_llc(t, cpu);
	default:
		return scx_topo_cpu_node(t, cpu);
	}
}

static const char *known_why(const char *name, enum part part)
{
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(known[i].snapshot, name) && known[i].part == part)
			return known[i].why;
	return NULL;
}

/*
 * Whether two CPUs are together in libscx exactly when they are in hwloc.  Writes the first
 * pair that disagrees into @msg.
 */
static bool same_partition(const struct scx_topo *t, const struct truth_cpu *tc, int n,
			   enum part part, char *msg, size_t sz)
{
	int i, j;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			bool hw = tc[i].v[part] == tc[j].v[part];
			bool us = libscx_group(t, part, tc[i].cpu) == libscx_group(t, part, tc[j].cpu);

			if (hw != us) {
				snprintf(msg, sz, "CPUs %d and %d: hwloc %s, libscx %s", tc[i].cpu,
					 tc[j].cpu, hw ? "together" : "apart", us ? "together" : "apart");
				return false;
			}
		}
	return true;
}

static void check_snapshot(const char *dir, const char *name, const char *tmp)
{
	char path[1024], cmd[2600], msg[256];
	struct truth_cpu *tc = NULL;
	struct scx_topo *t;
	int n, i, part, nr_online;

	/* only what the loader reads: the snapshots also hold /proc and PCI trees */
	snprintf(cmd, sizeof(cmd), "tar xjf '%s/%s.tar.bz2' -C '%s' '%s/sys/devices/system'", dir,
		 name, tmp, name);
	cr_assert_eq(system(cmd), 0, "%s: cannot unpack", name);
	snprintf(path, sizeof(path), "%s/%s", tmp, name);
	{
		SCX_OPTS(scx_topo_opts, opts, .sysfs_root = path);

		t = scx_topo_load(&opts);
	}
	cr_assert_not_null(t, "%s: load failed: %s", name, strerror(errno));
	snprintf(path, sizeof(path), "%s/%s.truth.json", dir, name);
	n = read_truth(path, &tc);
	cr_assert_gt(n, 0, "%s: no CPUs in the truth file", name);

	/* the same online CPUs */
	nr_online = (int)scx_cpumask_weight(scx_topo_online(t));
	cr_expect_eq(nr_online, n, "%s: libscx has %d online CPUs, hwloc %d", name, nr_online, n);
	for (i = 0; i < n; i++)
		cr_expect(scx_topo_cpu_online(t, tc[i].cpu), "%s: CPU %d is not online in libscx",
			  name, tc[i].cpu);

	for (part = 0; part < NR_PARTS; part++) {
		const char *why = known_why(name, (enum part)part);
		bool hw_knows = false, same;

		for (i = 0; i < n; i++)
			if (tc[i].v[part] >= 0)
				hw_knows = true;
		if (!hw_knows) {
			/* hwloc has no such object here (no cache, no core info): nothing to match */
			cr_expect_null(why, "%s: stale entry in the table of differences", name);
			continue;
		}
		same = same_partition(t, tc, n, (enum part)part, msg, sizeof(msg));
		if (why)
			/* a known difference must still be one, or the table is stale */
			cr_expect_not(same, "%s %s: listed as different (%s) but equal", name,
				      part_name[part], why);
		else
			cr_expect(same, "%s: %s partition differs from hwloc: %s", name,
				  part_name[part], msg);
	}
	free(tc);
	scx_topo_free(t);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s/%s'", tmp, name);
	cr_expect_eq(system(cmd), 0);
}

/*
 * Load snapshot @name, unpacked under @tmp (NULL when the shared fixtures are absent: the test
 * is skipped).
 */
static struct scx_topo *load_snapshot(struct fstree *tmp, const char *name)
{
	const char *dir = fstree_shared_fixtures();
	char path[1024], cmd[2600];
	struct scx_topo *t;

	if (!dir)
		cr_skip_test("no ../shared/fixtures/sysfs");
	scx_log_fn_set(quiet, NULL);
	cr_assert_eq(fstree_init(tmp), 0);
	snprintf(cmd, sizeof(cmd), "tar xjf '%s/%s.tar.bz2' -C '%s' '%s/sys/devices/system'", dir,
		 name, tmp->root, name);
	cr_assert_eq(system(cmd), 0, "%s: cannot unpack", name);
	snprintf(path, sizeof(path), "%s/%s", tmp->root, name);
	{
		SCX_OPTS(scx_topo_opts, opts, .sysfs_root = path);

		t = scx_topo_load(&opts);
	}
	cr_assert_not_null(t, "%s: load failed: %s", name, strerror(errno));
	return t;
}

/* An Intel hybrid laptop (6 P-cores with SMT, 8 E-cores in two clusters of 4). */
#define HYBRID_SNAPSHOT "20em64t-hybrid-1p6c2t+2ca4co1t"

Test(topology_snapshots, hybrid_laptop_has_little_cores)
{
	struct fstree tmp;
	struct scx_topo *t = load_snapshot(&tmp, HYBRID_SNAPSHOT);

	cr_expect(scx_topo_hybrid(t));
	cr_expect(scx_topo_has_little_cores(t));
	cr_expect_eq(scx_topo_cpu_core_type(t, 12), SCX_TOPO_CORE_LITTLE);
	scx_topo_free(t);
	fstree_fini(&tmp);
}

/*
 * Its caches: a P-core's L1s (48K data, 32K instruction) and L2 (1280K) shared by its two
 * threads, an E-core's L1s (32K, 64K) its own and its L2 (2M) shared by a cluster of four, one
 * L3 (24M) for the 20 CPUs.
 */
Test(topology_snapshots, hybrid_laptop_cache_sizes)
{
	struct fstree tmp;
	struct scx_topo *t = load_snapshot(&tmp, HYBRID_SNAPSHOT);
	const int64_t k = 1024, l3 = 24576 * k;

	cr_expect_eq(scx_topo_cpu_cache_level_size(t, 1, SCX_TOPO_CACHE_L1D), 48 * k);
	cr_expect_eq(scx_topo_cpu_cache_level_size(t, 1, SCX_TOPO_CACHE_L1I), 32 * k);
	cr_expect_eq(scx_topo_cpu_cache_level_size(t, 1, SCX_TOPO_CACHE_L2), 1280 * k);
	cr_expect_eq(scx_topo_cpu_cache_level_size(t, 1, SCX_TOPO_CACHE_L3), l3);
	cr_expect_eq(scx_topo_cpu_cache_level_size(t, 13, SCX_TOPO_CACHE_L1I), 64 * k);
	cr_expect_eq(scx_topo_cpu_cache_level_size(t, 13, SCX_TOPO_CACHE_L2), 2048 * k);
	cr_expect_eq(scx_topo_cpu_cache_size_sum(t, 1), (48 * k + 32 * k + 1280 * k) / 2 + l3 / 20);
	cr_expect_eq(scx_topo_cpu_cache_size_sum(t, 13), 32 * k + 64 * k + 2048 * k / 4 + l3 / 20);
	/* libscx's share counts the LLC only */
	cr_expect_eq(scx_topo_cpu_cache_size(t, 13), l3 / 20);
	scx_topo_free(t);
	fstree_fini(&tmp);
}

/* The kernel's ids: one L3 of id 0; a cluster per P-core, one per four E-cores, numbered by 8. */
Test(topology_snapshots, hybrid_laptop_kernel_ids)
{
	static const int cluster_id[20] = { 0,	0,  8,	8,  16, 16, 24, 24, 32, 32,
					    40, 40, 48, 48, 48, 48, 56, 56, 56, 56 };
	struct fstree tmp;
	struct scx_topo *t = load_snapshot(&tmp, HYBRID_SNAPSHOT);
	int cpu;

	cr_assert_eq(scx_topo_nr_llcs(t), 1);
	cr_expect_eq(scx_topo_llc_id(t, 0), 0);
	for (cpu = 0; cpu < 20; cpu++)
		cr_expect_eq(scx_topo_cpu_cluster_id(t, cpu), cluster_id[cpu], "cpu %d", cpu);
	cr_expect_eq(scx_topo_llc_id(t, 1), -EINVAL);
	scx_topo_free(t);
	fstree_fini(&tmp);
}

/* Its one LLC cut into virtual LLCs: the P-cores and the E-cores never share one. */
Test(topology_snapshots, hybrid_laptop_virtual_llcs_by_core_type)
{
	const char *dir = fstree_shared_fixtures();
	char path[1024], list[64];
	struct fstree tmp;
	struct scx_topo *t = load_snapshot(&tmp, HYBRID_SNAPSHOT);

	scx_topo_free(t);
	snprintf(path, sizeof(path), "%s/%s", tmp.root, HYBRID_SNAPSHOT);
	{
		SCX_OPTS(scx_topo_opts, opts, .sysfs_root = path, .vllc_max_cores = 8);

		t = scx_topo_load(&opts);
	}
	cr_assert_not_null(t, "%s", dir);
	/* 14 cores: not 7 + 7, but the 6 P-cores and the 8 E-cores */
	cr_assert_eq(scx_topo_nr_llcs(t), 2);
	scx_cpumask_format_list(scx_topo_llc_span(t, 0), list, sizeof(list));
	cr_expect_str_eq(list, "0-11");
	scx_cpumask_format_list(scx_topo_llc_span(t, 1), list, sizeof(list));
	cr_expect_str_eq(list, "12-19");
	scx_topo_free(t);
	fstree_fini(&tmp);
}

/* Its cpufreq policies leave the whole hardware range to the governor. */
Test(topology_snapshots, hybrid_laptop_policy_frequencies)
{
	struct fstree tmp;
	struct scx_topo *t = load_snapshot(&tmp, HYBRID_SNAPSHOT);

	cr_expect_eq(scx_topo_cpu_scaling_min_freq(t, 0), 400000);
	cr_expect_eq(scx_topo_cpu_scaling_max_freq(t, 0), 5000000);
	cr_expect_eq(scx_topo_cpu_scaling_max_freq(t, 0), scx_topo_cpu_max_freq(t, 0));
	cr_expect_eq(scx_topo_cpu_scaling_min_freq(t, 19), 400000);
	cr_expect_eq(scx_topo_cpu_scaling_max_freq(t, 19), 3900000);
	cr_expect_eq(scx_topo_cpu_scaling_max_freq(t, 20), -EINVAL);
	scx_topo_free(t);
	fstree_fini(&tmp);
}

Test(topology_snapshots, partitions_match_hwloc, .timeout = 900)
{
	const char *dir = fstree_shared_fixtures();
	struct fstree tmp;
	struct dirent *de;
	int nr = 0;
	DIR *d;

	if (!dir)
		cr_skip_test("no ../shared/fixtures/sysfs");
	scx_log_fn_set(quiet, NULL);
	/* unpacking is quicker in memory */
	if (!getenv("TMPDIR") && !access("/dev/shm", W_OK))
		setenv("TMPDIR", "/dev/shm", 1);
	cr_assert_eq(fstree_init(&tmp), 0);
	d = opendir(dir);
	cr_assert_not_null(d);
	while ((de = readdir(d))) {
		char name[256];
		size_t len = strlen(de->d_name);

		if (len <= 8 || strcmp(de->d_name + len - 8, ".tar.bz2") || len - 8 >= sizeof(name))
			continue;
		memcpy(name, de->d_name, len - 8);
		name[len - 8] = '\0';
		check_snapshot(dir, name, tmp.root);
		nr++;
	}
	closedir(d);
	fstree_fini(&tmp);
	cr_expect_gt(nr, 0, "no snapshot in %s", dir);
}
